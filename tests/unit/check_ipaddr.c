/* Unit tests for IPv4/IPv6 address values. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"

/* Parses s, which the test knows to be valid. */
static struct ip_addr addr(const char *s)
{
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse(s, &a), 0);
    return a;
}

static struct ip_prefix prefix(const char *s)
{
    struct ip_prefix p;

    ck_assert_int_eq(ipaddr_parse_prefix(s, &p), 0);
    return p;
}

/* --- values ------------------------------------------------------------ */

START_TEST(test_set_and_layout)
{
    static const uint8_t v4[4] = { 192, 0, 2, 1 };
    static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const uint8_t zero12[12] = { 0 };
    struct ip_addr a;

    /* Garbage first: the setter must clear the unused bytes. */
    memset(&a, 0xa5, sizeof(a));
    ipaddr_set_v4(&a, v4);
    ck_assert_uint_eq(a.family, 4);
    ck_assert_mem_eq(a.bytes, v4, 4);
    ck_assert_mem_eq(a.bytes + 4, zero12, 12);

    memset(&a, 0xa5, sizeof(a));
    ipaddr_set_v6(&a, v6);
    ck_assert_uint_eq(a.family, 6);
    ck_assert_mem_eq(a.bytes, v6, 16);
}
END_TEST

START_TEST(test_compare)
{
    struct ip_addr a = addr("10.0.0.1"), b = addr("10.0.0.2");
    struct ip_addr c = addr("::1"), a2 = addr("10.0.0.1");

    ck_assert_int_lt(ipaddr_cmp(&a, &b), 0);
    ck_assert_int_gt(ipaddr_cmp(&b, &a), 0);
    ck_assert_int_eq(ipaddr_cmp(&a, &a2), 0);
    ck_assert(ipaddr_equal(&a, &a2));
    ck_assert(!ipaddr_equal(&a, &b));
    /* IPv4 sorts before IPv6 whatever the bytes. */
    ck_assert_int_lt(ipaddr_cmp(&a, &c), 0);
    ck_assert_int_gt(ipaddr_cmp(&c, &a), 0);
    ck_assert(!ipaddr_equal(&a, &c));
}
END_TEST

/* --- parse and format -------------------------------------------------- */

START_TEST(test_parse_v4)
{
    static const uint8_t want[4] = { 198, 51, 100, 7 };
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse("198.51.100.7", &a), 0);
    ck_assert_uint_eq(a.family, 4);
    ck_assert_mem_eq(a.bytes, want, 4);
}
END_TEST

START_TEST(test_parse_v6)
{
    static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                      0, 0, 0, 0, 0, 0, 0xab, 0xcd };
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse("2001:DB8::abcd", &a), 0);
    ck_assert_uint_eq(a.family, 6);
    ck_assert_mem_eq(a.bytes, want, 16);
}
END_TEST

static const char *const bad_addresses[] = {
    "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d",
    "1.2.3.4/24", "2001:db8:::1", "2001:db8::1::2", "fe80::1%eth0", "::g",
    "1:2:3:4:5:6:7:8:9", "localhost",
};

START_TEST(test_parse_rejects)
{
    struct ip_addr a, zero;

    memset(&zero, 0, sizeof(zero));
    memset(&a, 0xa5, sizeof(a));
    ck_assert_int_eq(ipaddr_parse(bad_addresses[_i], &a), -1);
    ck_assert_mem_eq(&a, &zero, sizeof(a));
}
END_TEST

static const char *const round_trips[] = {
    "0.0.0.0", "10.1.2.3", "255.255.255.255", "::", "::1", "2001:db8::1",
    "fe80::1:2", "2001:db8:0:1:1:1:1:1", "::ffff:192.0.2.1",
};

START_TEST(test_format_round_trip)
{
    char buf[IPADDR_STRLEN];
    struct ip_addr a = addr(round_trips[_i]);

    ck_assert_ptr_eq(ipaddr_format(&a, buf), buf);
    ck_assert_str_eq(buf, round_trips[_i]);
}
END_TEST

START_TEST(test_format_canonical_and_unset)
{
    char buf[IPADDR_STRLEN];
    struct ip_addr a = addr("2001:0DB8:0000:0000:0000:0000:0000:0001");
    struct ip_addr unset;

    ck_assert_str_eq(ipaddr_format(&a, buf), "2001:db8::1");
    memset(&unset, 0, sizeof(unset));
    ck_assert_str_eq(ipaddr_format(&unset, buf), "?");
}
END_TEST

START_TEST(test_format_longest)
{
    char buf[IPADDR_STRLEN];
    struct ip_addr a = addr("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");

    ipaddr_format(&a, buf);
    ck_assert_uint_lt(strlen(buf), sizeof(buf));
}
END_TEST

/* IPv4 text is written without the C library: it must match
 * inet_ntop() for every octet value in every position. */
START_TEST(test_format_v4_matches_inet_ntop)
{
    char buf[IPADDR_STRLEN], want[INET_ADDRSTRLEN];
    uint8_t b[4];
    struct ip_addr a;
    unsigned pos, v;

    for (pos = 0; pos < 4; pos++) {
        for (v = 0; v < 256; v++) {
            b[0] = 192;
            b[1] = 0;
            b[2] = 2;
            b[3] = 77;
            b[pos] = (uint8_t)v;
            ipaddr_set_v4(&a, b);
            ck_assert_ptr_nonnull(inet_ntop(AF_INET, b, want, sizeof(want)));
            ck_assert_str_eq(ipaddr_format(&a, buf), want);
        }
    }
}
END_TEST

/* --- prefixes ---------------------------------------------------------- */

START_TEST(test_prefix_parse)
{
    struct ip_prefix p = prefix("10.0.0.0/8");

    ck_assert_uint_eq(p.addr.family, 4);
    ck_assert_uint_eq(p.len, 8);
    p = prefix("192.168.1.0/24");
    ck_assert_uint_eq(p.len, 24);
    p = prefix("0.0.0.0/0");
    ck_assert_uint_eq(p.len, 0);
    p = prefix("2001:db8::/32");
    ck_assert_uint_eq(p.addr.family, 6);
    ck_assert_uint_eq(p.len, 32);
    p = prefix("::/0");
    ck_assert_uint_eq(p.len, 0);
    p = prefix("2001:db8::1/128");
    ck_assert_uint_eq(p.len, 128);
}
END_TEST

START_TEST(test_prefix_bare_address)
{
    struct ip_prefix p = prefix("203.0.113.9");

    ck_assert_uint_eq(p.len, 32);
    p = prefix("2001:db8::9");
    ck_assert_uint_eq(p.len, 128);
}
END_TEST

static const char *const bad_prefixes[] = {
    "10.0.0.1/8",           /* host bits set */
    "192.168.1.1/24",       /* host bits set */
    "2001:db8::1/32",       /* host bits set */
    "10.0.0.0/33",          /* longer than the family */
    "::/129",
    "10.0.0.0/-1",
    "10.0.0.0/+8",
    "10.0.0.0/ 8",
    "10.0.0.0/",
    "10.0.0.0/8x",
    "10.0.0.0/8/8",
    "10.0.0.0/99999999999999999999",
    "/8",
    "",
    "not-an-address/8",
    "10.0.0.0:8",
    "1234567890123456789012345678901234567890123456789012345678/8",
};

START_TEST(test_prefix_rejects)
{
    struct ip_prefix p, zero;

    memset(&zero, 0, sizeof(zero));
    memset(&p, 0xa5, sizeof(p));
    ck_assert_int_eq(ipaddr_parse_prefix(bad_prefixes[_i], &p), -1);
    ck_assert_mem_eq(&p, &zero, sizeof(p));
}
END_TEST

START_TEST(test_in_prefix)
{
    struct ip_prefix p8 = prefix("10.0.0.0/8");
    struct ip_prefix p12 = prefix("172.16.0.0/12");
    struct ip_prefix p0 = prefix("0.0.0.0/0");
    struct ip_prefix p6 = prefix("2001:db8:8000::/33");
    struct ip_prefix host = prefix("192.0.2.7");
    struct ip_addr a;

    a = addr("10.255.1.2");
    ck_assert(ipaddr_in_prefix(&a, &p8));
    ck_assert(ipaddr_in_prefix(&a, &p0));
    a = addr("11.0.0.0");
    ck_assert(!ipaddr_in_prefix(&a, &p8));
    a = addr("172.31.255.255");
    ck_assert(ipaddr_in_prefix(&a, &p12));
    a = addr("172.32.0.0");
    ck_assert(!ipaddr_in_prefix(&a, &p12));
    a = addr("2001:db8:8000::1");
    ck_assert(ipaddr_in_prefix(&a, &p6));
    a = addr("2001:db8:7fff::1");
    ck_assert(!ipaddr_in_prefix(&a, &p6));
    a = addr("192.0.2.7");
    ck_assert(ipaddr_in_prefix(&a, &host));
    a = addr("192.0.2.8");
    ck_assert(!ipaddr_in_prefix(&a, &host));
    /* Families never match each other, not even ::/0 with IPv4. */
    a = addr("::ffff:10.0.0.1");
    ck_assert(!ipaddr_in_prefix(&a, &p8));
    a = addr("10.0.0.1");
    ck_assert(!ipaddr_in_prefix(&a, &p6));
}
END_TEST

START_TEST(test_in_prefix_refuses_bad_length)
{
    struct ip_prefix p = prefix("10.0.0.0/8");
    struct ip_addr a = addr("10.0.0.1");

    /* Built by hand past the family's length. */
    p.len = 200;
    ck_assert(!ipaddr_in_prefix(&a, &p));
}
END_TEST

/* --- categories -------------------------------------------------------- */

struct category_case {
    const char *addr;
    bool rfc1918, cgnat, link_local, ula, loopback;
};

static const struct category_case categories[] = {
    { "10.0.0.0", true, false, false, false, false },
    { "10.255.255.255", true, false, false, false, false },
    { "9.255.255.255", false, false, false, false, false },
    { "172.16.0.1", true, false, false, false, false },
    { "172.31.255.255", true, false, false, false, false },
    { "172.15.255.255", false, false, false, false, false },
    { "172.32.0.0", false, false, false, false, false },
    { "192.168.0.1", true, false, false, false, false },
    { "192.169.0.1", false, false, false, false, false },
    { "100.64.0.1", false, true, false, false, false },
    { "100.127.255.255", false, true, false, false, false },
    { "100.63.255.255", false, false, false, false, false },
    { "100.128.0.0", false, false, false, false, false },
    { "169.254.1.1", false, false, true, false, false },
    { "169.255.0.1", false, false, false, false, false },
    { "127.0.0.1", false, false, false, false, true },
    { "127.255.0.9", false, false, false, false, true },
    { "8.8.8.8", false, false, false, false, false },
    { "fe80::1", false, false, true, false, false },
    { "febf::1", false, false, true, false, false },
    { "fec0::1", false, false, false, false, false },
    { "fc00::1", false, false, false, true, false },
    { "fd12:3456::1", false, false, false, true, false },
    { "fe00::1", false, false, false, false, false },
    { "::1", false, false, false, false, true },
    { "::2", false, false, false, false, false },
    { "2001:db8::1", false, false, false, false, false },
};

START_TEST(test_categories)
{
    const struct category_case *c = &categories[_i];
    struct ip_addr a = addr(c->addr);

    ck_assert_msg(ipaddr_is_rfc1918(&a) == c->rfc1918, "%s rfc1918", c->addr);
    ck_assert_msg(ipaddr_is_cgnat(&a) == c->cgnat, "%s cgnat", c->addr);
    ck_assert_msg(ipaddr_is_link_local(&a) == c->link_local, "%s link-local",
                  c->addr);
    ck_assert_msg(ipaddr_is_ula(&a) == c->ula, "%s ula", c->addr);
    ck_assert_msg(ipaddr_is_loopback(&a) == c->loopback, "%s loopback",
                  c->addr);
    ck_assert_msg(ipaddr_is_home(&a) == (c->rfc1918 || c->cgnat ||
                                         c->link_local || c->ula ||
                                         c->loopback),
                  "%s home", c->addr);
}
END_TEST

START_TEST(test_categories_unset)
{
    struct ip_addr a;

    memset(&a, 0, sizeof(a));
    ck_assert(!ipaddr_is_home(&a));
}
END_TEST

START_TEST(test_format_endpoint)
{
    struct ip_addr a;
    char buf[IPADDR_ENDPOINT_STRLEN];

    ck_assert_int_eq(ipaddr_parse("192.0.2.1", &a), 0);
    ck_assert_str_eq(ipaddr_format_endpoint(&a, 5060, buf, sizeof(buf)),
                     "192.0.2.1:5060");
    ck_assert_int_eq(ipaddr_parse("2001:db8::1", &a), 0);
    ck_assert_str_eq(ipaddr_format_endpoint(&a, 443, buf, sizeof(buf)),
                     "[2001:db8::1]:443");
}
END_TEST

static Suite *ipaddr_suite(void)
{
    Suite *s = suite_create("ipaddr");
    TCase *tc;

    tc = tcase_create("value");
    tcase_add_test(tc, test_set_and_layout);
    tcase_add_test(tc, test_compare);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_test(tc, test_parse_v4);
    tcase_add_test(tc, test_format_endpoint);
    tcase_add_test(tc, test_parse_v6);
    tcase_add_loop_test(tc, test_parse_rejects, 0,
                        (int)(sizeof(bad_addresses) /
                              sizeof(bad_addresses[0])));
    tcase_add_loop_test(tc, test_format_round_trip, 0,
                        (int)(sizeof(round_trips) / sizeof(round_trips[0])));
    tcase_add_test(tc, test_format_canonical_and_unset);
    tcase_add_test(tc, test_format_longest);
    tcase_add_test(tc, test_format_v4_matches_inet_ntop);
    suite_add_tcase(s, tc);

    tc = tcase_create("prefix");
    tcase_add_test(tc, test_prefix_parse);
    tcase_add_test(tc, test_prefix_bare_address);
    tcase_add_loop_test(tc, test_prefix_rejects, 0,
                        (int)(sizeof(bad_prefixes) / sizeof(bad_prefixes[0])));
    tcase_add_test(tc, test_in_prefix);
    tcase_add_test(tc, test_in_prefix_refuses_bad_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("category");
    tcase_add_loop_test(tc, test_categories, 0,
                        (int)(sizeof(categories) / sizeof(categories[0])));
    tcase_add_test(tc, test_categories_unset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ipaddr_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
