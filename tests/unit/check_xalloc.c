/* Unit tests for the allocation helpers. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* Whatever bytes are set, at page edges or not, it clears them all and
 * nothing outside the range. */
START_TEST(test_mem_zero_sparse_clears_everything)
{
    static const size_t offsets[] = { 0, 1, 4095, 4096, 4097, 9000,
                                      12287, 20000 - 1 };
    size_t n = 20000, i, j;
    unsigned char *buf = calloc(1, n + 2);

    ck_assert_ptr_nonnull(buf);
    for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        buf[0] = 0xaa;          /* guard before the range */
        buf[n + 1] = 0xbb;      /* guard after it */
        for (j = 0; j <= i; j++)
            buf[1 + offsets[j]] = (unsigned char)(j + 1);
        mem_zero_sparse(buf + 1, n);
        ck_assert(all_zero(buf + 1, n));
        ck_assert_uint_eq(buf[0], 0xaa);
        ck_assert_uint_eq(buf[n + 1], 0xbb);
    }
    /* Every byte set, and empty or one-byte ranges. */
    memset(buf, 0x5a, n + 2);
    mem_zero_sparse(buf + 1, n);
    ck_assert(all_zero(buf + 1, n));
    mem_zero_sparse(buf + 1, 0);
    buf[1] = 7;
    mem_zero_sparse(buf + 1, 1);
    ck_assert_uint_eq(buf[1], 0);
    ck_assert_uint_eq(buf[0], 0x5a);
    free(buf);
}
END_TEST

static Suite *xalloc_suite(void)
{
    Suite *s = suite_create("xalloc");
    TCase *tc = tcase_create("mem_zero_sparse");

    tcase_add_test(tc, test_mem_zero_sparse_clears_everything);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(xalloc_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
