/* Unit tests for the longest-prefix-match tree (prefix.h). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "prefix.h"

/* Distinct non-NULL values to store; the tree never dereferences them. */
static int tag[16];

static struct ip_prefix pfx(const char *s)
{
    struct ip_prefix p;

    ck_assert_int_eq(ipaddr_parse_prefix(s, &p), 0);
    return p;
}

static struct ip_addr addr(const char *s)
{
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse(s, &a), 0);
    return a;
}

static void add(struct prefix_tree *t, const char *s, int i)
{
    struct ip_prefix p = pfx(s);

    ck_assert_int_eq(prefix_tree_insert(t, &p, &tag[i]), 0);
}

/* Looks a up and returns the index of the tag found, or -1. */
static int find(const struct prefix_tree *t, const char *s)
{
    struct ip_addr a = addr(s);
    int *v = prefix_tree_lookup(t, &a, NULL);

    return v ? (int)(v - tag) : -1;
}

static const char *matched_text(const struct prefix_tree *t, const char *s,
                                char *buf, size_t len)
{
    struct ip_addr a = addr(s);
    struct ip_prefix m;
    char ab[IPADDR_STRLEN];

    ck_assert_ptr_nonnull(prefix_tree_lookup(t, &a, &m));
    snprintf(buf, len, "%s/%u", ipaddr_format(&m.addr, ab), m.len);
    return buf;
}

START_TEST(test_empty_tree_misses)
{
    struct prefix_tree *t = prefix_tree_new();

    ck_assert_int_eq(find(t, "10.0.0.1"), -1);
    ck_assert_int_eq(find(t, "2001:db8::1"), -1);
    ck_assert_uint_eq(prefix_tree_count(t), 0);
    prefix_tree_free(t);
    prefix_tree_free(NULL);
}
END_TEST

START_TEST(test_longest_wins_over_overlaps)
{
    struct prefix_tree *t = prefix_tree_new();
    char buf[64];

    /* Inserted in an order that forces every insertion case: below, above
     * and beside an existing node (a glue node). */
    add(t, "54.172.60.0/23", 1);
    add(t, "54.172.60.0/30", 2);
    add(t, "54.0.0.0/8", 3);
    add(t, "54.172.61.0/24", 4);
    add(t, "54.244.51.0/24", 5);
    ck_assert_int_eq(find(t, "54.172.60.1"), 2);
    ck_assert_int_eq(find(t, "54.172.60.4"), 1);
    ck_assert_int_eq(find(t, "54.172.61.9"), 4);
    ck_assert_int_eq(find(t, "54.244.51.200"), 5);
    ck_assert_int_eq(find(t, "54.1.2.3"), 3);
    ck_assert_int_eq(find(t, "55.172.60.1"), -1);
    ck_assert_str_eq(matched_text(t, "54.172.60.3", buf, sizeof(buf)),
                     "54.172.60.0/30");
    ck_assert_str_eq(matched_text(t, "54.172.60.200", buf, sizeof(buf)),
                     "54.172.60.0/23");
    ck_assert_uint_eq(prefix_tree_count(t), 5);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_insert_order_does_not_matter)
{
    struct prefix_tree *t = prefix_tree_new();

    add(t, "54.244.51.0/24", 5);
    add(t, "54.172.61.0/24", 4);
    add(t, "54.0.0.0/8", 3);
    add(t, "54.172.60.0/30", 2);
    add(t, "54.172.60.0/23", 1);
    ck_assert_int_eq(find(t, "54.172.60.1"), 2);
    ck_assert_int_eq(find(t, "54.172.60.4"), 1);
    ck_assert_int_eq(find(t, "54.172.61.9"), 4);
    ck_assert_int_eq(find(t, "54.244.51.200"), 5);
    ck_assert_int_eq(find(t, "54.1.2.3"), 3);
    ck_assert_int_eq(find(t, "53.255.255.255"), -1);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_default_route_and_host_routes)
{
    struct prefix_tree *t = prefix_tree_new();
    char buf[64];

    add(t, "0.0.0.0/0", 0);
    add(t, "192.0.2.7/32", 1);
    add(t, "192.0.2.6/32", 2);
    ck_assert_int_eq(find(t, "192.0.2.7"), 1);
    ck_assert_int_eq(find(t, "192.0.2.6"), 2);
    ck_assert_int_eq(find(t, "192.0.2.8"), 0);
    ck_assert_int_eq(find(t, "255.255.255.255"), 0);
    ck_assert_int_eq(find(t, "0.0.0.0"), 0);
    ck_assert_str_eq(matched_text(t, "8.8.8.8", buf, sizeof(buf)),
                     "0.0.0.0/0");
    /* An IPv4 default route says nothing about IPv6. */
    ck_assert_int_eq(find(t, "2001:db8::1"), -1);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_ipv6)
{
    struct prefix_tree *t = prefix_tree_new();
    char buf[64];

    add(t, "2001:db8::/32", 1);
    add(t, "2001:db8:1::/48", 2);
    add(t, "2001:db8:1::1/128", 3);
    add(t, "::/0", 4);
    add(t, "fc00::/7", 5);
    ck_assert_int_eq(find(t, "2001:db8:1::1"), 3);
    ck_assert_int_eq(find(t, "2001:db8:1::2"), 2);
    ck_assert_int_eq(find(t, "2001:db8:2::1"), 1);
    ck_assert_int_eq(find(t, "fd12:3456::1"), 5);
    ck_assert_int_eq(find(t, "2a00::1"), 4);
    ck_assert_str_eq(matched_text(t, "2001:db8:1::1", buf, sizeof(buf)),
                     "2001:db8:1::1/128");
    /* IPv6 prefixes do not match IPv4 addresses, even 0::/0. */
    ck_assert_int_eq(find(t, "10.0.0.1"), -1);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_duplicate_refused)
{
    struct prefix_tree *t = prefix_tree_new();
    struct ip_prefix p = pfx("168.86.128.0/18");
    struct ip_prefix q = pfx("168.86.128.0/17");

    ck_assert_int_eq(prefix_tree_insert(t, &p, &tag[1]), 0);
    ck_assert_int_eq(prefix_tree_insert(t, &p, &tag[2]), -1);
    ck_assert_ptr_eq(prefix_tree_get(t, &p), &tag[1]);
    ck_assert_ptr_null(prefix_tree_get(t, &q));
    ck_assert_int_eq(find(t, "168.86.130.1"), 1);
    ck_assert_uint_eq(prefix_tree_count(t), 1);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_glue_node_becomes_prefix)
{
    struct prefix_tree *t = prefix_tree_new();
    struct ip_prefix glue = pfx("10.0.0.0/23");

    /* These two part at bit 23, creating a glue node for 10.0.0.0/23. */
    add(t, "10.0.0.0/24", 1);
    add(t, "10.0.1.0/24", 2);
    ck_assert_ptr_null(prefix_tree_get(t, &glue));
    ck_assert_int_eq(find(t, "10.0.2.1"), -1);
    add(t, "10.0.0.0/23", 3);
    ck_assert_ptr_eq(prefix_tree_get(t, &glue), &tag[3]);
    ck_assert_int_eq(find(t, "10.0.0.1"), 1);
    ck_assert_int_eq(find(t, "10.0.1.1"), 2);
    ck_assert_int_eq(prefix_tree_insert(t, &glue, &tag[4]), -1);
    ck_assert_uint_eq(prefix_tree_count(t), 3);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_bad_insert)
{
    struct prefix_tree *t = prefix_tree_new();
    struct ip_prefix p = pfx("10.0.0.0/8");
    struct ip_prefix bad;

    ck_assert_int_eq(prefix_tree_insert(t, &p, NULL), -1);
    memset(&bad, 0, sizeof(bad));
    ck_assert_int_eq(prefix_tree_insert(t, &bad, &tag[1]), -1);
    bad = p;
    bad.len = 33;
    ck_assert_int_eq(prefix_tree_insert(t, &bad, &tag[1]), -1);
    ck_assert_uint_eq(prefix_tree_count(t), 0);
    prefix_tree_free(t);
}
END_TEST

START_TEST(test_lookup_all_longest_first)
{
    struct prefix_tree *t = prefix_tree_new();
    struct ip_addr a = addr("54.172.60.1");
    struct ip_prefix m[PREFIX_MAX_MATCHES];
    void *v[PREFIX_MAX_MATCHES];
    size_t n;

    add(t, "54.172.60.0/23", 1);
    add(t, "54.172.60.0/30", 2);
    add(t, "54.0.0.0/8", 3);
    add(t, "54.172.62.0/23", 4);
    n = prefix_tree_lookup_all(t, &a, v, m, PREFIX_MAX_MATCHES);
    ck_assert_uint_eq(n, 3);
    ck_assert_ptr_eq(v[0], &tag[2]);
    ck_assert_ptr_eq(v[1], &tag[1]);
    ck_assert_ptr_eq(v[2], &tag[3]);
    ck_assert_uint_eq(m[0].len, 30);
    ck_assert_uint_eq(m[1].len, 23);
    ck_assert_uint_eq(m[2].len, 8);
    /* A smaller array keeps the longest ones. */
    n = prefix_tree_lookup_all(t, &a, v, NULL, 2);
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_eq(v[1], &tag[1]);
    prefix_tree_free(t);
}
END_TEST

/* Every length of one IPv6 path: 129 nested prefixes of 2001:db8::1, so
 * lookup_all must report all of them. */
START_TEST(test_every_length_nested)
{
    struct prefix_tree *t = prefix_tree_new();
    struct ip_addr a = addr("2001:db8::1");
    static int many[129];
    void *v[PREFIX_MAX_MATCHES];
    struct ip_prefix p;
    unsigned len;
    size_t n;

    for (len = 0; len <= 128; len++) {
        memset(&p, 0, sizeof(p));
        p.addr.family = 6;
        memcpy(p.addr.bytes, a.bytes, 16);
        /* Zero the host bits. */
        for (unsigned b = len; b < 128; b++)
            p.addr.bytes[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
        p.len = (uint8_t)len;
        ck_assert_int_eq(prefix_tree_insert(t, &p, &many[len]), 0);
    }
    n = prefix_tree_lookup_all(t, &a, v, NULL, PREFIX_MAX_MATCHES);
    ck_assert_uint_eq(n, 129);
    ck_assert_ptr_eq(v[0], &many[128]);
    ck_assert_ptr_eq(v[128], &many[0]);
    ck_assert_ptr_eq(prefix_tree_lookup(t, &a, NULL), &many[128]);
    prefix_tree_free(t);
}
END_TEST

/* Linear-congruential generator: a fixed sequence, so the randomised test
 * below is deterministic. */
static uint32_t lcg(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x;
}

/* Inserts n pseudo-random IPv4 prefixes drawn from a small bit space (so
 * that they overlap a lot); keeps the ones the tree accepted (duplicates
 * are refused) in ps and returns their number. */
static size_t insert_random(struct prefix_tree *t, struct ip_prefix *ps,
                            size_t n, uint32_t *x)
{
    size_t i, stored = 0;

    for (i = 0; i < n; i++) {
        uint32_t v = lcg(x) & 0x0f0f00ffu;
        unsigned len = (lcg(x) >> 16) % 33;
        struct ip_prefix p;

        memset(&p, 0, sizeof(p));
        p.addr.family = 4;
        p.len = (uint8_t)len;
        v = len ? v & (0xffffffffu << (32 - len)) : 0;
        p.addr.bytes[0] = (uint8_t)(v >> 24);
        p.addr.bytes[1] = (uint8_t)(v >> 16);
        p.addr.bytes[2] = (uint8_t)(v >> 8);
        p.addr.bytes[3] = (uint8_t)v;
        if (prefix_tree_insert(t, &p, &ps[stored]) == 0)
            ps[stored++] = p;
    }
    return stored;
}

/* The oracle: the longest of ps containing a, by linear scan. */
static const struct ip_prefix *linear_best(const struct ip_prefix *ps,
                                           size_t n, const struct ip_addr *a)
{
    const struct ip_prefix *best = NULL;
    size_t i;

    for (i = 0; i < n; i++)
        if (ipaddr_in_prefix(a, &ps[i]) && (!best || ps[i].len > best->len))
            best = &ps[i];
    return best;
}

/* A dense mix of prefixes cross-checked against the linear scan. */
START_TEST(test_against_linear_scan)
{
    enum { N = 400, Q = 4000 };
    static struct ip_prefix ps[N];
    struct prefix_tree *t = prefix_tree_new();
    uint32_t x = 12345;
    size_t stored, j;

    stored = insert_random(t, ps, N, &x);
    ck_assert_uint_gt(stored, N / 2);
    ck_assert_uint_eq(prefix_tree_count(t), stored);
    for (j = 0; j < Q; j++) {
        struct ip_addr a;
        uint32_t r = lcg(&x);

        memset(&a, 0, sizeof(a));
        a.family = 4;
        a.bytes[0] = (uint8_t)((r >> 24) & 0x0f);
        a.bytes[1] = (uint8_t)((r >> 16) & 0x0f);
        a.bytes[2] = (uint8_t)(r >> 8);
        a.bytes[3] = (uint8_t)r;
        ck_assert_ptr_eq(prefix_tree_lookup(t, &a, NULL),
                         linear_best(ps, stored, &a));
    }
    prefix_tree_free(t);
}
END_TEST

static Suite *prefix_suite(void)
{
    Suite *s = suite_create("prefix");
    TCase *tc = tcase_create("lookup");

    tcase_add_test(tc, test_empty_tree_misses);
    tcase_add_test(tc, test_longest_wins_over_overlaps);
    tcase_add_test(tc, test_insert_order_does_not_matter);
    tcase_add_test(tc, test_default_route_and_host_routes);
    tcase_add_test(tc, test_ipv6);
    tcase_add_test(tc, test_lookup_all_longest_first);
    tcase_add_test(tc, test_every_length_nested);
    tcase_add_test(tc, test_against_linear_scan);
    suite_add_tcase(s, tc);

    tc = tcase_create("insert");
    tcase_add_test(tc, test_duplicate_refused);
    tcase_add_test(tc, test_glue_node_becomes_prefix);
    tcase_add_test(tc, test_bad_insert);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(prefix_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
