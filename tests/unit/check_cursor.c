/* Unit tests for the bounds-checked packet reader. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

/* Bytes 0x01..0x08: every getter's result is easy to predict. */
static const uint8_t seq8[8] = { 0x01, 0x02, 0x03, 0x04,
                                 0x05, 0x06, 0x07, 0x08 };

START_TEST(test_init_and_remaining)
{
    struct cursor c;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert_ptr_eq(c.base, seq8);
    ck_assert_uint_eq(c.len, 8);
    ck_assert_uint_eq(c.off, 0);
    ck_assert_uint_eq(cur_remaining(&c), 8);
    ck_assert_ptr_eq(cur_ptr(&c), seq8);
    ck_assert(cur_has(&c, 0));
    ck_assert(cur_has(&c, 8));
    ck_assert(!cur_has(&c, 9));
    ck_assert(!cur_has(&c, SIZE_MAX));
}
END_TEST

START_TEST(test_init_null_is_empty)
{
    struct cursor c;
    uint8_t v = 0xee;

    /* A NULL base with a length must not become a readable window. */
    cur_init(&c, NULL, 100);
    ck_assert_uint_eq(c.len, 0);
    ck_assert_uint_eq(cur_remaining(&c), 0);
    ck_assert(cur_has(&c, 0));
    ck_assert(!cur_has(&c, 1));
    ck_assert(!cur_get_u8(&c, &v));
    ck_assert_uint_eq(v, 0xee);
}
END_TEST

START_TEST(test_skip)
{
    struct cursor c;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_skip(&c, 0));
    ck_assert(cur_skip(&c, 3));
    ck_assert_uint_eq(c.off, 3);
    ck_assert(!cur_skip(&c, 6));
    ck_assert_uint_eq(c.off, 3);
    ck_assert(!cur_skip(&c, SIZE_MAX));
    ck_assert_uint_eq(c.off, 3);
    ck_assert(cur_skip(&c, 5));
    ck_assert_uint_eq(cur_remaining(&c), 0);
    ck_assert(!cur_skip(&c, 1));
    ck_assert(cur_skip(&c, 0));
}
END_TEST

START_TEST(test_get_u8)
{
    struct cursor c;
    uint8_t v = 0;

    cur_init(&c, seq8, 2);
    ck_assert(cur_get_u8(&c, &v));
    ck_assert_uint_eq(v, 0x01);
    ck_assert(cur_get_u8(&c, &v));
    ck_assert_uint_eq(v, 0x02);
    /* At the end: false, value and position unchanged. */
    ck_assert(!cur_get_u8(&c, &v));
    ck_assert_uint_eq(v, 0x02);
    ck_assert_uint_eq(c.off, 2);
}
END_TEST

START_TEST(test_get_be16_le16)
{
    struct cursor c;
    uint16_t v = 0;

    cur_init(&c, seq8, 3);
    ck_assert(cur_get_be16(&c, &v));
    ck_assert_uint_eq(v, 0x0102);
    /* One byte left: both widths refuse it. */
    ck_assert(!cur_get_be16(&c, &v));
    ck_assert(!cur_get_le16(&c, &v));
    ck_assert_uint_eq(v, 0x0102);
    ck_assert_uint_eq(c.off, 2);

    cur_init(&c, seq8, 2);
    ck_assert(cur_get_le16(&c, &v));
    ck_assert_uint_eq(v, 0x0201);
    ck_assert(!cur_get_le16(&c, &v));
    ck_assert_uint_eq(c.off, 2);
}
END_TEST

START_TEST(test_get_be24)
{
    struct cursor c;
    uint32_t v = 0;

    cur_init(&c, seq8, 5);
    ck_assert(cur_get_be24(&c, &v));
    ck_assert_uint_eq(v, 0x010203);
    ck_assert(!cur_get_be24(&c, &v));
    ck_assert_uint_eq(v, 0x010203);
    ck_assert_uint_eq(c.off, 3);
}
END_TEST

START_TEST(test_get_be32_le32)
{
    struct cursor c;
    uint32_t v = 0;

    cur_init(&c, seq8, 7);
    ck_assert(cur_get_be32(&c, &v));
    ck_assert_uint_eq(v, 0x01020304);
    ck_assert(!cur_get_be32(&c, &v));
    ck_assert(!cur_get_le32(&c, &v));
    ck_assert_uint_eq(v, 0x01020304);
    ck_assert_uint_eq(c.off, 4);

    cur_init(&c, seq8, 4);
    ck_assert(cur_get_le32(&c, &v));
    ck_assert_uint_eq(v, 0x04030201);
    ck_assert(!cur_get_le32(&c, &v));
}
END_TEST

START_TEST(test_get_bytes)
{
    struct cursor c;
    uint8_t out[8] = { 0 };
    static const uint8_t zero[8] = { 0 };

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_get_bytes(&c, out, 0));
    ck_assert(cur_get_bytes(&c, out, 3));
    ck_assert_mem_eq(out, seq8, 3);
    ck_assert_uint_eq(c.off, 3);
    /* Too many: nothing copied, nothing consumed. */
    memset(out, 0, sizeof(out));
    ck_assert(!cur_get_bytes(&c, out, 6));
    ck_assert_mem_eq(out, zero, sizeof(out));
    ck_assert_uint_eq(c.off, 3);
    ck_assert(cur_get_bytes(&c, out, 5));
    ck_assert_mem_eq(out, seq8 + 3, 5);
}
END_TEST

START_TEST(test_peek_u8)
{
    struct cursor c;
    uint8_t v = 0;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_skip(&c, 2));
    ck_assert(cur_peek_u8(&c, 0, &v));
    ck_assert_uint_eq(v, 0x03);
    ck_assert(cur_peek_u8(&c, 5, &v));
    ck_assert_uint_eq(v, 0x08);
    ck_assert(!cur_peek_u8(&c, 6, &v));
    /* at + 1 would wrap to 0, which cur_has() alone would accept. */
    ck_assert(!cur_peek_u8(&c, SIZE_MAX, &v));
    ck_assert_uint_eq(v, 0x08);
    ck_assert_uint_eq(c.off, 2);
}
END_TEST

START_TEST(test_peek_be16)
{
    struct cursor c;
    uint16_t v = 0;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_skip(&c, 1));
    ck_assert(cur_peek_be16(&c, 0, &v));
    ck_assert_uint_eq(v, 0x0203);
    ck_assert(cur_peek_be16(&c, 5, &v));
    ck_assert_uint_eq(v, 0x0708);
    ck_assert(!cur_peek_be16(&c, 6, &v));
    ck_assert(!cur_peek_be16(&c, SIZE_MAX, &v));
    ck_assert(!cur_peek_be16(&c, SIZE_MAX - 1, &v));
    ck_assert(!cur_peek_be16(&c, SIZE_MAX - 2, &v));
    ck_assert_uint_eq(v, 0x0708);
    ck_assert_uint_eq(c.off, 1);
}
END_TEST

START_TEST(test_take_and_at)
{
    struct cursor c;
    const uint8_t *h;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_skip(&c, 1));
    h = cur_take(&c, 6);
    ck_assert_ptr_eq(h, seq8 + 1);
    ck_assert_uint_eq(c.off, 7);
    ck_assert_uint_eq(cur_at_be16(h, 0), 0x0203);
    ck_assert_uint_eq(cur_at_be16(h, 4), 0x0607);
    ck_assert_uint_eq(cur_at_be32(h, 1), 0x03040506u);
    /* One byte left: a take of two fails and moves nothing. */
    ck_assert_ptr_null(cur_take(&c, 2));
    ck_assert_uint_eq(c.off, 7);
    ck_assert_ptr_null(cur_take(&c, SIZE_MAX));
    ck_assert_ptr_eq(cur_take(&c, 1), seq8 + 7);
    ck_assert_uint_eq(cur_remaining(&c), 0);
    /* An empty window (NULL base) gives nothing, not a null-based span. */
    cur_init(&c, NULL, 100);
    ck_assert_ptr_null(cur_take(&c, 1));
}
END_TEST

START_TEST(test_sub)
{
    struct cursor c, s;
    uint8_t v = 0;

    cur_init(&c, seq8, sizeof(seq8));
    ck_assert(cur_skip(&c, 1));
    ck_assert(cur_sub(&c, 3, &s));
    ck_assert_uint_eq(c.off, 4);
    ck_assert_ptr_eq(s.base, seq8 + 1);
    ck_assert_uint_eq(s.len, 3);
    ck_assert_uint_eq(s.off, 0);
    /* The sub-window ends where it was cut, not where the parent does. */
    ck_assert(cur_skip(&s, 2));
    ck_assert(cur_get_u8(&s, &v));
    ck_assert_uint_eq(v, 0x04);
    ck_assert(!cur_get_u8(&s, &v));
    /* Too long: nothing changes. */
    ck_assert(!cur_sub(&c, 5, &s));
    ck_assert_uint_eq(c.off, 4);
    ck_assert(cur_sub(&c, 4, &s));
    ck_assert_uint_eq(cur_remaining(&c), 0);
    ck_assert(cur_sub(&c, 0, &s));
    ck_assert_uint_eq(s.len, 0);
}
END_TEST

static Suite *cursor_suite(void)
{
    Suite *s = suite_create("cursor");
    TCase *tc;

    tc = tcase_create("window");
    tcase_add_test(tc, test_init_and_remaining);
    tcase_add_test(tc, test_init_null_is_empty);
    tcase_add_test(tc, test_skip);
    tcase_add_test(tc, test_sub);
    tcase_add_test(tc, test_take_and_at);
    suite_add_tcase(s, tc);

    tc = tcase_create("getters");
    tcase_add_test(tc, test_get_u8);
    tcase_add_test(tc, test_get_be16_le16);
    tcase_add_test(tc, test_get_be24);
    tcase_add_test(tc, test_get_be32_le32);
    tcase_add_test(tc, test_get_bytes);
    suite_add_tcase(s, tc);

    tc = tcase_create("peek");
    tcase_add_test(tc, test_peek_u8);
    tcase_add_test(tc, test_peek_be16);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cursor_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
