/* Unit tests for the HTTP/1.x request head parser (http.h). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static enum http_status parse(const char *s, struct http_request *r)
{
    return http_parse_request((const uint8_t *)s, strlen(s), r);
}

/* The SDK download of the web phone; the Host header name in capitals. */
static const char sdk_get[] =
    "GET /js/client/v1.14/twilio.min.js HTTP/1.1\r\n"
    "User-Agent: Mozilla/5.0\r\n"
    "HOST: SDK.Twilio.COM\r\n"
    "Accept: */*\r\n"
    "\r\n";

START_TEST(test_get_with_host)
{
    struct http_request r;

    ck_assert_int_eq(parse(sdk_get, &r), HTTP_OK);
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(r.target, "/js/client/v1.14/twilio.min.js");
    ck_assert(!r.target_cut);
    ck_assert_uint_eq(r.version_major, 1);
    ck_assert_uint_eq(r.version_minor, 1);
    ck_assert(r.has_host);
    ck_assert_str_eq(r.host, "sdk.twilio.com");
    ck_assert_uint_eq(r.host_port, 0);
    ck_assert(!r.host_from_target);
    /* Decided at the end of the Host line; the rest is not needed. */
    ck_assert_uint_eq(r.head_len, strlen(sdk_get) - strlen("Accept: */*\r\n"
                                                           "\r\n"));
}
END_TEST

START_TEST(test_every_prefix_needs_more)
{
    struct http_request r;
    size_t len, need;

    ck_assert_int_eq(parse(sdk_get, &r), HTTP_OK);
    need = r.head_len;
    for (len = 0; len < need; len++)
        ck_assert_msg(http_parse_request((const uint8_t *)sdk_get, len, &r)
                          == HTTP_NEED_MORE, "length %zu", len);
    for (len = need; len <= strlen(sdk_get); len++)
        ck_assert_int_eq(http_parse_request((const uint8_t *)sdk_get, len,
                                            &r), HTTP_OK);
}
END_TEST

START_TEST(test_host_name_any_case)
{
    struct http_request r;

    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nhost: a.example\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert_str_eq(r.host, "a.example");
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHoSt:b.example  \r\n\r\n", &r),
                     HTTP_OK);
    ck_assert_str_eq(r.host, "b.example");
    /* "Hostname" is another header. */
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHostname: x\r\n"
                           "Host: c.example\r\n\r\n", &r), HTTP_OK);
    ck_assert_str_eq(r.host, "c.example");
}
END_TEST

START_TEST(test_host_ports_and_literals)
{
    struct http_request r;

    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: ring.io:5280\r\n\r\n",
                           &r), HTTP_OK);
    ck_assert_str_eq(r.host, "ring.io");
    ck_assert_uint_eq(r.host_port, 5280);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [2001:DB8::1]:8080\r\n"
                           "\r\n", &r), HTTP_OK);
    ck_assert_str_eq(r.host, "2001:db8::1");
    ck_assert_uint_eq(r.host_port, 8080);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n",
                           &r), HTTP_OK);
    ck_assert_str_eq(r.host, "2001:db8::1");
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert_str_eq(r.host, "192.0.2.1");
    /* Values that are no host: decided, but without a host. */
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: a:\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n", &r), HTTP_OK);
    ck_assert(!r.has_host);
}
END_TEST

START_TEST(test_no_host)
{
    static const char req[] = "POST /api HTTP/1.0\n\n";
    struct http_request r;

    /* HTTP/1.0 and bare LF line ends. */
    ck_assert_int_eq(parse(req, &r), HTTP_OK);
    ck_assert_str_eq(r.method, "POST");
    ck_assert_uint_eq(r.version_minor, 0);
    ck_assert(!r.has_host);
    ck_assert_uint_eq(r.head_len, strlen(req));
    /* A folded line is skipped over. */
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nX-A: 1\r\n  more\r\n"
                           "Host: d.example\r\n\r\n", &r), HTTP_OK);
    ck_assert_str_eq(r.host, "d.example");
}
END_TEST

START_TEST(test_host_from_target)
{
    struct http_request r;

    /* absolute-form wins over Host (RFC 9112 3.2.2) */
    ck_assert_int_eq(parse("GET http://User@Voice-JS.roaming.twilio.com:80"
                           "/x?y HTTP/1.1\r\nHost: other\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert_str_eq(r.host, "voice-js.roaming.twilio.com");
    ck_assert_uint_eq(r.host_port, 80);
    ck_assert(r.host_from_target);
    ck_assert_int_eq(parse("GET HTTPS://a.example HTTP/1.1\r\n", &r),
                     HTTP_OK);
    ck_assert_str_eq(r.host, "a.example");
    /* authority-form of CONNECT, through a proxy */
    ck_assert_int_eq(parse("CONNECT voice-js.ashburn.twilio.com:443 "
                           "HTTP/1.1\r\n", &r), HTTP_OK);
    ck_assert_str_eq(r.host, "voice-js.ashburn.twilio.com");
    ck_assert_uint_eq(r.host_port, 443);
    /* "ftp://" is no HTTP target: the Host header decides. */
    ck_assert_int_eq(parse("GET ftp://a.example/ HTTP/1.1\r\n"
                           "Host: b.example\r\n\r\n", &r), HTTP_OK);
    ck_assert_str_eq(r.host, "b.example");
    ck_assert(!r.host_from_target);
    ck_assert_int_eq(parse("GET httpx://a.example/ HTTP/1.1\r\n\r\n", &r),
                     HTTP_OK);
    ck_assert(!r.has_host);
}
END_TEST

START_TEST(test_long_target_is_cut)
{
    static char req[600];
    struct http_request r;

    static const char tail[] = " HTTP/1.1\r\nHost: e.example\r\n\r\n";

    memset(req, 0, sizeof(req));
    memcpy(req, "GET /", 5);
    memset(req + 5, 'a', 400);
    memcpy(req + 405, tail, sizeof(tail));
    ck_assert_int_eq(parse(req, &r), HTTP_OK);
    ck_assert(r.target_cut);
    ck_assert_uint_eq(strlen(r.target), HTTP_TARGET_MAX - 1);
    ck_assert_str_eq(r.host, "e.example");
}
END_TEST

START_TEST(test_not_http)
{
    /* TLS record header */
    static const uint8_t tls[] = {0x16, 0x03, 0x01, 0x02, 0x00};
    struct http_request r;

    ck_assert_int_eq(http_parse_request(tls, sizeof(tls), &r),
                     HTTP_NOT_HTTP);
    /* SIP looks alike until the version */
    ck_assert_int_eq(parse("INVITE sip:bob@example.com S", &r),
                     HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("REGISTER sip:ring.io SIP/2.0\r\n", &r),
                     HTTP_NOT_HTTP);
    /* The HTTP/2 preface */
    ck_assert_int_eq(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", &r),
                     HTTP_NOT_HTTP);
    ck_assert_int_eq(parse(" GET / HTTP/1.1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET  / HTTP/1.1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("G(T / HTTP/1.1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\n", &r),
                     HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET /\001 HTTP/1.1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET /\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/x.1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1,1\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1.x\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1.1x\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1.1\rx", &r), HTTP_NOT_HTTP);
    /* Header lines without a name, or with a bad one */
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nno colon here\r\n", &r),
                     HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\n: x\r\n", &r), HTTP_NOT_HTTP);
    ck_assert_int_eq(parse("GET / HTTP/1.1\r\nBad Name: x\r\n", &r),
                     HTTP_NOT_HTTP);
}
END_TEST

START_TEST(test_bounded)
{
    static char big[HTTP_HEAD_MAX + 100];
    struct http_request r;
    size_t n;

    ck_assert_int_eq(http_parse_request(NULL, 0, &r), HTTP_NEED_MORE);
    /* A target that never ends */
    memset(big, 0, sizeof(big));
    memcpy(big, "GET /", 5);
    memset(big + 5, 'a', sizeof(big) - 6);
    ck_assert_int_eq(http_parse_request((const uint8_t *)big,
                                        HTTP_HEAD_MAX - 1, &r),
                     HTTP_NEED_MORE);
    ck_assert_int_eq(http_parse_request((const uint8_t *)big, HTTP_HEAD_MAX,
                                        &r), HTTP_TOO_LONG);
    ck_assert_int_eq(http_parse_request((const uint8_t *)big,
                                        sizeof(big) - 1, &r),
                     HTTP_TOO_LONG);
    /* Headers without Host past the cap */
    memset(big, 0, sizeof(big));
    n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\n");
    while (n + 12 < sizeof(big) - 1) {
        memcpy(big + n, "X-Pad: 123\r\n", 12);
        n += 12;
    }
    ck_assert_int_eq(http_parse_request((const uint8_t *)big, n, &r),
                     HTTP_TOO_LONG);
}
END_TEST

static Suite *http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("request");

    tcase_add_test(tc, test_get_with_host);
    tcase_add_test(tc, test_every_prefix_needs_more);
    tcase_add_test(tc, test_host_name_any_case);
    tcase_add_test(tc, test_host_ports_and_literals);
    tcase_add_test(tc, test_no_host);
    tcase_add_test(tc, test_host_from_target);
    tcase_add_test(tc, test_long_target_is_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("rejects");
    tcase_add_test(tc, test_not_http);
    tcase_add_test(tc, test_bounded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(http_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
