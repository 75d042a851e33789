/* Unit tests for the table of SDP-announced media endpoints. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media_expect.h"

static struct media_expect_entry entry(unsigned host, uint16_t port,
                                       const char *call_id, int64_t ts_us)
{
    struct media_expect_entry e;
    char addr[32];

    memset(&e, 0, sizeof(e));
    snprintf(addr, sizeof(addr), "10.%u.%u.%u", (host >> 16) & 255,
             (host >> 8) & 255, host & 255);
    ck_assert_int_eq(ipaddr_parse(addr, &e.addr), 0);
    e.port = port;
    snprintf(e.call_id, sizeof(e.call_id), "%s", call_id);
    e.ts_us = ts_us;
    e.sdp_packet = (uint64_t)ts_us;
    return e;
}

static const struct media_expect_entry *lookup(const struct media_expect *me,
                                               unsigned host, uint16_t port,
                                               int64_t now_us)
{
    struct media_expect_entry e = entry(host, port, "", 0);

    return media_expect_lookup(me, &e.addr, port, now_us);
}

START_TEST(test_add_lookup_refresh)
{
    struct media_expect *me = media_expect_new(8);
    struct media_expect_entry e = entry(1, 4000, "call-a", 100);
    const struct media_expect_entry *got;

    ck_assert_ptr_nonnull(me);
    media_expect_add(me, &e);
    got = lookup(me, 1, 4000, 100);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got->call_id, "call-a");
    /* Not announced yet at an earlier time; other ports are unknown. */
    ck_assert_ptr_null(lookup(me, 1, 4000, 99));
    ck_assert_ptr_null(lookup(me, 1, 4002, 100));
    ck_assert_ptr_null(lookup(me, 2, 4000, 100));
    /* A later announcement of the endpoint replaces the first. */
    e = entry(1, 4000, "call-b", 200);
    media_expect_add(me, &e);
    got = lookup(me, 1, 4000, 300);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got->call_id, "call-b");
    media_expect_free(me);
}
END_TEST

START_TEST(test_find_call)
{
    struct media_expect *me = media_expect_new(16);
    const struct media_expect_entry *out[4];
    struct media_expect_entry e;
    unsigned i;

    for (i = 0; i < 6; i++) {
        e = entry(i, (uint16_t)(4000 + 2 * i), i % 2 ? "odd" : "even",
                  10 * (int64_t)i);
        media_expect_add(me, &e);
    }
    ck_assert_uint_eq(media_expect_find_call(me, "odd", 1000, out, 4), 3);
    for (i = 0; i < 3; i++)
        ck_assert_str_eq(out[i]->call_id, "odd");
    /* Announcements after now do not count; max bounds what is stored. */
    ck_assert_uint_eq(media_expect_find_call(me, "even", 20, out, 4), 2);
    ck_assert_uint_eq(media_expect_find_call(me, "even", 1000, out, 1), 3);
    ck_assert_uint_eq(media_expect_find_call(me, "none", 1000, out, 4), 0);
    media_expect_free(me);
}
END_TEST

/* A full table drops its oldest announcement, and every other one can
 * still be found, however the probe runs were laid out. */
START_TEST(test_eviction_keeps_the_rest)
{
    struct media_expect *me = media_expect_new(64);
    struct media_expect_entry e;
    unsigned i, round;

    for (round = 0; round < 4; round++) {
        for (i = 0; i < 64; i++) {
            unsigned n = round * 64 + i;

            e = entry(n % 7, (uint16_t)(10000 + n), "c", (int64_t)n);
            media_expect_add(me, &e);
            /* The 64 newest are there, the one before them is not. */
            ck_assert_ptr_nonnull(lookup(me, n % 7, (uint16_t)(10000 + n),
                                         n));
            if (n >= 64)
                ck_assert_ptr_null(lookup(me, (n - 64) % 7,
                                          (uint16_t)(10000 + n - 64), n));
        }
        for (i = 0; i < 64; i++) {
            unsigned n = round * 64 + i;
            const struct media_expect_entry *got =
                lookup(me, n % 7, (uint16_t)(10000 + n), 1000000);

            ck_assert_ptr_nonnull(got);
            ck_assert_int_eq(got->ts_us, (int64_t)n);
        }
    }
    media_expect_free(me);
}
END_TEST

/* Evicted entries leave stale slots behind that must not count; a call
 * with more entries than are ordered on the stack is still found in full;
 * a smaller max keeps a prefix of the same order. */
START_TEST(test_find_call_after_eviction)
{
    struct media_expect *me = media_expect_new(8);
    struct media_expect *big = media_expect_new(128);
    const struct media_expect_entry *out[100], *one[1], *three[3];
    struct media_expect_entry e;
    unsigned i, j;

    for (i = 0; i < 8; i++) {
        e = entry(i, (uint16_t)(6000 + i), "a", (int64_t)i);
        media_expect_add(me, &e);
    }
    for (i = 0; i < 3; i++) {
        e = entry(100 + i, 7000, "b", (int64_t)(10 + i));
        media_expect_add(me, &e);
    }
    ck_assert_uint_eq(media_expect_find_call(me, "a", 1000, out, 8), 5);
    for (i = 0; i < 5; i++) {
        ck_assert_str_eq(out[i]->call_id, "a");
        ck_assert_int_ge(out[i]->ts_us, 3);
        for (j = 0; j < i; j++)
            ck_assert_ptr_ne(out[i], out[j]);
    }
    ck_assert_uint_eq(media_expect_find_call(me, "a", 1000, one, 1), 5);
    ck_assert_ptr_eq(one[0], out[0]);
    ck_assert_uint_eq(media_expect_find_call(me, "a", 1000, three, 3), 5);
    for (i = 0; i < 3; i++)
        ck_assert_ptr_eq(three[i], out[i]);
    ck_assert_uint_eq(media_expect_find_call(me, "b", 1000, out, 8), 3);

    for (i = 0; i < 100; i++) {
        e = entry(i, (uint16_t)(8000 + i), "many", 1);
        media_expect_add(big, &e);
    }
    ck_assert_uint_eq(media_expect_find_call(big, "many", 1, out, 100), 100);
    for (i = 0; i < 100; i++)
        for (j = 0; j < i; j++)
            ck_assert_ptr_ne(out[i], out[j]);
    media_expect_free(big);
    media_expect_free(me);
}
END_TEST

START_TEST(test_clear)
{
    struct media_expect *me = media_expect_new(4);
    const struct media_expect_entry *out[4];
    struct media_expect_entry e = entry(1, 4000, "x", 1);

    media_expect_add(me, &e);
    media_expect_clear(me);
    ck_assert_ptr_null(lookup(me, 1, 4000, 10));
    ck_assert_uint_eq(media_expect_find_call(me, "x", 10, out, 4), 0);
    /* Usable again, to its full capacity. */
    for (unsigned i = 0; i < 4; i++) {
        e = entry(i, 5000, "y", 2);
        media_expect_add(me, &e);
    }
    ck_assert_uint_eq(media_expect_find_call(me, "y", 10, out, 4), 4);
    media_expect_clear(me);
    media_expect_clear(me);
    media_expect_free(me);
}
END_TEST

static Suite *media_expect_suite(void)
{
    Suite *s = suite_create("media_expect");
    TCase *tc = tcase_create("table");

    tcase_add_test(tc, test_add_lookup_refresh);
    tcase_add_test(tc, test_find_call);
    tcase_add_test(tc, test_find_call_after_eviction);
    tcase_add_test(tc, test_eviction_keeps_the_rest);
    tcase_add_test(tc, test_clear);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(media_expect_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
