/* Unit tests for the nDPI adapter (classify_ndpi.h).
 *
 * Packets are IPv4/IPv6 datagrams from the IP header on, as the adapter
 * takes them.  Checksums are zero: nDPI does not verify them.  The names
 * expected here are the ones ndpiReader prints for the same packets. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify_ndpi.h"
#include "flow.h"

/* A string literal holding a packet; its size counts the terminator. */
#define PKT(a) (const uint8_t *)(a), (uint32_t)(sizeof(a) - 1)

static const int64_t t0 = 1700000000000000LL;

/* --- DNS over UDP: 192.168.1.10:49152 <-> 198.51.100.53:53 ------------ */

static const char dns_query[] =
    /* IPv4: total 57, id 1, DF, TTL 64, UDP, 192.168.1.10 -> 198.51.100.53 */
    "\x45\x00\x00\x39\x00\x01\x40\x00\x40\x11\x00\x00"
    "\xc0\xa8\x01\x0a\xc6\x33\x64\x35"
    /* UDP: 49152 -> 53, length 37 */
    "\xc0\x00\x00\x35\x00\x25\x00\x00"
    /* DNS: id 0x4000, RD; qd 1 */
    "\x40\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    /* question: example.org A IN */
    "\x07\x65\x78\x61\x6d\x70\x6c\x65\x03\x6f\x72\x67"
    "\x00\x00\x01\x00\x01";

static const char dns_response[] =
    /* IPv4: total 73, id 2, DF, TTL 64, UDP, 198.51.100.53 -> 192.168.1.10 */
    "\x45\x00\x00\x49\x00\x02\x40\x00\x40\x11\x00\x00"
    "\xc6\x33\x64\x35\xc0\xa8\x01\x0a"
    /* UDP: 53 -> 49152, length 53 */
    "\x00\x35\xc0\x00\x00\x35\x00\x00"
    /* DNS: id 0x4000, QR RD RA NOERROR; qd 1, an 1 */
    "\x40\x00\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"
    /* question: example.org A IN */
    "\x07\x65\x78\x61\x6d\x70\x6c\x65\x03\x6f\x72\x67"
    "\x00\x00\x01\x00\x01"
    /* answer: pointer to the question name, A IN, TTL 300, 93.184.216.34 */
    "\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04"
    "\x5d\xb8\xd8\x22";

/* The same query over IPv6: [2001:db8::10]:49153 -> [2001:db8::53]:53. */
static const char dns6_query[] =
    /* IPv6: payload 37, UDP, hop limit 64 */
    "\x60\x00\x00\x00\x00\x25\x11\x40"
    /* source 2001:db8::10, destination 2001:db8::53 */
    "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"
    "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x53"
    /* UDP: 49153 -> 53, length 37 */
    "\xc0\x01\x00\x35\x00\x25\x00\x00"
    /* DNS: id 0x4000, RD; qd 1 */
    "\x40\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    /* question: example.org A IN */
    "\x07\x65\x78\x61\x6d\x70\x6c\x65\x03\x6f\x72\x67"
    "\x00\x00\x01\x00\x01";

/* --- HTTP: 192.168.1.10:50001 <-> 93.184.216.34:80 -------------------- */

static const char http_syn[] =
    /* IPv4: total 40, id 3, TCP, 192.168.1.10 -> 93.184.216.34 */
    "\x45\x00\x00\x28\x00\x03\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\x5d\xb8\xd8\x22"
    /* TCP: 50001 -> 80, seq 1000, SYN */
    "\xc3\x51\x00\x50\x00\x00\x03\xe8\x00\x00\x00\x00"
    "\x50\x02\xfa\xf0\x00\x00\x00\x00";

static const char http_synack[] =
    /* IPv4: total 40, id 4, TCP, 93.184.216.34 -> 192.168.1.10 */
    "\x45\x00\x00\x28\x00\x04\x40\x00\x40\x06\x00\x00"
    "\x5d\xb8\xd8\x22\xc0\xa8\x01\x0a"
    /* TCP: 80 -> 50001, seq 5000, ack 1001, SYN ACK */
    "\x00\x50\xc3\x51\x00\x00\x13\x88\x00\x00\x03\xe9"
    "\x50\x12\xfa\xf0\x00\x00\x00\x00";

static const char http_ack[] =
    /* IPv4: total 40, id 5, TCP, 192.168.1.10 -> 93.184.216.34 */
    "\x45\x00\x00\x28\x00\x05\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\x5d\xb8\xd8\x22"
    /* TCP: 50001 -> 80, seq 1001, ack 5001, ACK */
    "\xc3\x51\x00\x50\x00\x00\x03\xe9\x00\x00\x13\x89"
    "\x50\x10\xfa\xf0\x00\x00\x00\x00";

static const char http_get[] =
    /* IPv4: total 115, id 6, TCP, 192.168.1.10 -> 93.184.216.34 */
    "\x45\x00\x00\x73\x00\x06\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\x5d\xb8\xd8\x22"
    /* TCP: 50001 -> 80, seq 1001, ack 5001, PSH ACK */
    "\xc3\x51\x00\x50\x00\x00\x03\xe9\x00\x00\x13\x89"
    "\x50\x18\xfa\xf0\x00\x00\x00\x00"
    /* HTTP request, 75 bytes */
    "GET / HTTP/1.1\r\n"
    "Host: example.org\r\n"
    "User-Agent: curl/7.88.1\r\n"
    "Accept: */*\r\n"
    "\r\n";

static const char http_response[] =
    /* IPv4: total 103, id 7, TCP, 93.184.216.34 -> 192.168.1.10 */
    "\x45\x00\x00\x67\x00\x07\x40\x00\x40\x06\x00\x00"
    "\x5d\xb8\xd8\x22\xc0\xa8\x01\x0a"
    /* TCP: 80 -> 50001, seq 5001, ack 1076, PSH ACK */
    "\x00\x50\xc3\x51\x00\x00\x13\x89\x00\x00\x04\x34"
    "\x50\x18\xfa\xf0\x00\x00\x00\x00"
    /* HTTP response, 63 bytes */
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/* --- TLS: 192.168.1.10:50002 <-> 203.0.113.7:443 ---------------------- */

static const char tls_syn[] =
    /* IPv4: total 40, id 8, TCP, 192.168.1.10 -> 203.0.113.7 */
    "\x45\x00\x00\x28\x00\x08\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\xcb\x00\x71\x07"
    /* TCP: 50002 -> 443, seq 2000, SYN */
    "\xc3\x52\x01\xbb\x00\x00\x07\xd0\x00\x00\x00\x00"
    "\x50\x02\xfa\xf0\x00\x00\x00\x00";

static const char tls_synack[] =
    /* IPv4: total 40, id 9, TCP, 203.0.113.7 -> 192.168.1.10 */
    "\x45\x00\x00\x28\x00\x09\x40\x00\x40\x06\x00\x00"
    "\xcb\x00\x71\x07\xc0\xa8\x01\x0a"
    /* TCP: 443 -> 50002, seq 7000, ack 2001, SYN ACK */
    "\x01\xbb\xc3\x52\x00\x00\x1b\x58\x00\x00\x07\xd1"
    "\x50\x12\xfa\xf0\x00\x00\x00\x00";

static const char tls_ack[] =
    /* IPv4: total 40, id 10, TCP, 192.168.1.10 -> 203.0.113.7 */
    "\x45\x00\x00\x28\x00\x0a\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\xcb\x00\x71\x07"
    /* TCP: 50002 -> 443, seq 2001, ack 7001, ACK */
    "\xc3\x52\x01\xbb\x00\x00\x07\xd1\x00\x00\x1b\x59"
    "\x50\x10\xfa\xf0\x00\x00\x00\x00";

static const char tls_client_hello[] =
    /* IPv4: total 138, id 11, TCP, 192.168.1.10 -> 203.0.113.7 */
    "\x45\x00\x00\x8a\x00\x0b\x40\x00\x40\x06\x00\x00"
    "\xc0\xa8\x01\x0a\xcb\x00\x71\x07"
    /* TCP: 50002 -> 443, seq 2001, ack 7001, PSH ACK */
    "\xc3\x52\x01\xbb\x00\x00\x07\xd1\x00\x00\x1b\x59"
    "\x50\x18\xfa\xf0\x00\x00\x00\x00"
    /* TLS record: handshake, TLS 1.0, length 93 */
    "\x16\x03\x01\x00\x5d"
    /* handshake: ClientHello, length 89; legacy version TLS 1.2 */
    "\x01\x00\x00\x59\x03\x03"
    /* random: 00 01 .. 1f */
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b"
    "\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
    /* no session id; one suite TLS_AES_128_GCM_SHA256; null compression;
     * extensions length 46 */
    "\x00\x00\x02\x13\x01\x01\x00\x00\x2e"
    /* server_name: host_name www.google.com */
    "\x00\x00\x00\x13\x00\x11\x00\x00\x0e"
    "www.google.com"
    /* supported_versions: TLS 1.3 */
    "\x00\x2b\x00\x03\x02\x03\x04"
    /* supported_groups: x25519 */
    "\x00\x0a\x00\x04\x00\x02\x00\x1d"
    /* signature_algorithms: ecdsa_secp256r1_sha256 */
    "\x00\x0d\x00\x04\x00\x02\x04\x03";

/* --- no protocol: 192.168.1.10:40000 -> 203.0.113.9:40001 ------------- */

static const char udp_noise[] =
    /* IPv4: total 44, id 100, UDP, 192.168.1.10 -> 203.0.113.9 */
    "\x45\x00\x00\x2c\x00\x64\x40\x00\x40\x11\x00\x00"
    "\xc0\xa8\x01\x0a\xcb\x00\x71\x09"
    /* UDP: 40000 -> 40001, length 24 */
    "\x9c\x40\x9c\x41\x00\x18\x00\x00"
    /* 16 bytes that no protocol starts with */
    "\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5";

/* ------------------------------------------------------------------ */

static struct classify_ndpi *cn;

static void setup(void)
{
    cn = classify_ndpi_new();
    ck_assert_ptr_nonnull(cn);
}

static void teardown(void)
{
    classify_ndpi_free(cn);
    cn = NULL;
}

static void flow_init(struct flow *f, struct classify_ndpi_flow *st,
                      uint8_t proto)
{
    memset(f, 0, sizeof(*f));
    memset(st, 0, sizeof(*st));
    f->key.proto = proto;
}

static struct classify_ndpi_stats stats(void)
{
    struct classify_ndpi_stats s;

    classify_ndpi_get_stats(cn, &s);
    return s;
}

/* --- detection ------------------------------------------------------ */

START_TEST(test_dns_query_then_response)
{
    struct classify_ndpi_flow st;
    struct flow f;
    struct classify_ndpi_stats s;

    flow_init(&f, &st, 17);
    /* DNS is known from the query, but nDPI waits for the answer. */
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(dns_query), t0,
                                    FLOW_DIR_C2S));
    ck_assert_str_eq(f.ndpi_proto, "");
    ck_assert(classify_ndpi_packet(cn, &st, &f, PKT(dns_response), t0 + 900,
                                   FLOW_DIR_S2C));
    ck_assert_str_eq(f.ndpi_proto, "DNS");
    ck_assert_str_eq(f.ndpi_category, "Network");
    ck_assert_ptr_null(st._ndpi);

    /* Finished: further packets are not fed, the result stays. */
    ck_assert(classify_ndpi_packet(cn, &st, &f, PKT(dns_query), t0 + 2000,
                                   FLOW_DIR_C2S));
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "DNS");
    s = stats();
    ck_assert_uint_eq(s.flows_inspected, 1);
    ck_assert_uint_eq(s.flows_detected, 1);
    ck_assert_uint_eq(s.flows_given_up, 0);
    ck_assert_uint_eq(s.packets_fed, 2);
    ck_assert_uint_eq(s.packets_skipped, 0);
}
END_TEST

START_TEST(test_http_get)
{
    struct classify_ndpi_flow st;
    struct flow f;

    flow_init(&f, &st, 6);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(http_syn), t0,
                                    FLOW_DIR_C2S));
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(http_synack), t0 + 100,
                                    FLOW_DIR_S2C));
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(http_ack), t0 + 200,
                                    FLOW_DIR_C2S));
    /* HTTP from the request; nDPI still wants the response status. */
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(http_get), t0 + 300,
                                    FLOW_DIR_C2S));
    ck_assert(classify_ndpi_packet(cn, &st, &f, PKT(http_response), t0 + 900,
                                   FLOW_DIR_S2C));
    ck_assert_str_eq(f.ndpi_proto, "HTTP");
    ck_assert_str_eq(f.ndpi_category, "Web");
    ck_assert_uint_eq(stats().flows_detected, 1);
    ck_assert_uint_eq(stats().packets_fed, 5);
}
END_TEST

START_TEST(test_tls_client_hello_sni)
{
    struct classify_ndpi_flow st;
    struct flow f;
    struct classify_ndpi_stats s;

    flow_init(&f, &st, 6);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(tls_syn), t0,
                                    FLOW_DIR_C2S));
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(tls_synack), t0 + 100,
                                    FLOW_DIR_S2C));
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(tls_ack), t0 + 200,
                                    FLOW_DIR_C2S));
    /* The SNI names the application, but nDPI waits for the server's
     * certificate, which never comes: the flow ends first. */
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(tls_client_hello),
                                    t0 + 300, FLOW_DIR_C2S));
    ck_assert_ptr_nonnull(st._ndpi);
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_ptr_null(st._ndpi);
    ck_assert_str_eq(f.ndpi_proto, "TLS.Google");
    ck_assert_str_eq(f.ndpi_category, "Web");
    s = stats();
    ck_assert_uint_eq(s.flows_detected, 1);
    ck_assert_uint_eq(s.flows_given_up, 0);
    ck_assert_uint_eq(s.flows_guessed, 0);
}
END_TEST

START_TEST(test_dns_ipv6_query_only)
{
    struct classify_ndpi_flow st;
    struct flow f;

    flow_init(&f, &st, 17);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(dns6_query), t0,
                                    FLOW_DIR_C2S));
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "DNS");
    ck_assert_str_eq(f.ndpi_category, "Network");
    ck_assert_uint_eq(stats().flows_detected, 1);
}
END_TEST

/* --- giving up ------------------------------------------------------ */

START_TEST(test_udp_packet_budget)
{
    struct classify_ndpi_flow st;
    struct flow f;
    struct classify_ndpi_stats s;
    uint32_t i;

    flow_init(&f, &st, 17);
    for (i = 0; i < CLASSIFY_NDPI_MAX_UDP_PACKETS; i++)
        ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(udp_noise),
                                        t0 + i * 20000, FLOW_DIR_C2S));
    ck_assert_str_eq(f.ndpi_proto, "");
    /* One packet over the budget: given up, as ndpiReader does. */
    ck_assert(classify_ndpi_packet(cn, &st, &f, PKT(udp_noise),
                                   t0 + i * 20000, FLOW_DIR_C2S));
    ck_assert_str_eq(f.ndpi_proto, "Unknown");
    ck_assert_str_eq(f.ndpi_category, "");
    ck_assert_ptr_null(st._ndpi);
    s = stats();
    ck_assert_uint_eq(s.flows_given_up, 1);
    ck_assert_uint_eq(s.flows_guessed, 0);
    ck_assert_uint_eq(s.flows_detected, 0);
    ck_assert_uint_eq(s.packets_fed, CLASSIFY_NDPI_MAX_UDP_PACKETS + 1);
}
END_TEST

START_TEST(test_end_without_protocol)
{
    struct classify_ndpi_flow st;
    struct flow f;

    flow_init(&f, &st, 17);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(udp_noise), t0,
                                    FLOW_DIR_C2S));
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "Unknown");
    ck_assert_ptr_null(st._ndpi);
    /* A second end changes nothing. */
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "Unknown");
    ck_assert_uint_eq(stats().flows_given_up, 1);
}
END_TEST

START_TEST(test_end_unseen_flow)
{
    struct classify_ndpi_flow st;
    struct flow f;
    struct classify_ndpi_stats s;

    flow_init(&f, &st, 6);
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "");
    ck_assert_str_eq(f.ndpi_category, "");
    s = stats();
    ck_assert_uint_eq(s.flows_inspected, 0);
    ck_assert_uint_eq(s.flows_given_up, 0);
}
END_TEST

/* --- packets not shown to nDPI -------------------------------------- */

/* A datagram cut short (the snaplen) is skipped without starting the
 * flow, whatever the cut; the whole one is fed. */
START_TEST(test_every_truncation)
{
    struct classify_ndpi_flow st;
    struct flow f;
    uint32_t len;

    for (len = 0; len < sizeof(dns_query) - 1; len++) {
        uint8_t *copy = malloc(len ? len : 1);

        ck_assert_ptr_nonnull(copy);
        memcpy(copy, dns_query, len);
        flow_init(&f, &st, 17);
        ck_assert(!classify_ndpi_packet(cn, &st, &f, copy, len, t0,
                                        FLOW_DIR_C2S));
        ck_assert_ptr_null(st._ndpi);
        free(copy);
    }
    ck_assert_uint_eq(stats().packets_skipped, sizeof(dns_query) - 1);
    ck_assert_uint_eq(stats().flows_inspected, 0);
    flow_init(&f, &st, 17);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(dns_query), t0,
                                    FLOW_DIR_C2S));
    ck_assert_uint_eq(stats().packets_fed, 1);
    classify_ndpi_flow_end(cn, &st, &f);
}
END_TEST

START_TEST(test_no_ip_header)
{
    static const char not_ip[] =
        /* version 5, otherwise an IPv4 header of total length 20 */
        "\x55\x00\x00\x14\x00\x01\x40\x00\x40\x11\x00\x00"
        "\xc0\xa8\x01\x0a\xc6\x33\x64\x35";
    struct classify_ndpi_flow st;
    struct flow f;

    flow_init(&f, &st, 17);
    /* A reassembled datagram comes without its IP header. */
    ck_assert(!classify_ndpi_packet(cn, &st, &f, NULL, 0, t0,
                                    FLOW_DIR_C2S));
    ck_assert(!classify_ndpi_packet(cn, &st, &f, PKT(not_ip), t0,
                                    FLOW_DIR_C2S));
    ck_assert_uint_eq(stats().packets_skipped, 2);
    ck_assert_uint_eq(stats().flows_inspected, 0);
    classify_ndpi_flow_end(cn, &st, &f);
    ck_assert_str_eq(f.ndpi_proto, "");
}
END_TEST

/* An IPv6 datagram longer than nDPI's 16-bit packet length. */
START_TEST(test_oversized_datagram)
{
    static const uint8_t hdr[] = {
        /* IPv6: payload 65535, UDP, hop limit 64 */
        0x60, 0x00, 0x00, 0x00, 0xff, 0xff, 0x11, 0x40,
    };
    struct classify_ndpi_flow st;
    struct flow f;
    uint32_t len = 40u + 65535u;
    uint8_t *big = calloc(1, len);

    ck_assert_ptr_nonnull(big);
    memcpy(big, hdr, sizeof(hdr));
    flow_init(&f, &st, 17);
    ck_assert(!classify_ndpi_packet(cn, &st, &f, big, len, t0,
                                    FLOW_DIR_C2S));
    ck_assert_uint_eq(stats().packets_skipped, 1);
    free(big);
}
END_TEST

/* --- module --------------------------------------------------------- */

START_TEST(test_version_and_free_null)
{
    const char *v = classify_ndpi_version();

    ck_assert_ptr_nonnull(v);
    ck_assert_uint_gt(strlen(v), 0);
    classify_ndpi_free(NULL);
}
END_TEST

/* Two modules are independent: each counts its own flows. */
START_TEST(test_two_modules)
{
    struct classify_ndpi *other = classify_ndpi_new();
    struct classify_ndpi_stats s;
    struct classify_ndpi_flow st;
    struct flow f;

    ck_assert_ptr_nonnull(other);
    flow_init(&f, &st, 17);
    ck_assert(!classify_ndpi_packet(other, &st, &f, PKT(dns_query), t0,
                                    FLOW_DIR_C2S));
    classify_ndpi_flow_end(other, &st, &f);
    classify_ndpi_get_stats(other, &s);
    ck_assert_uint_eq(s.flows_inspected, 1);
    ck_assert_uint_eq(stats().flows_inspected, 0);
    classify_ndpi_free(other);
}
END_TEST

static Suite *classify_ndpi_suite(void)
{
    Suite *s = suite_create("classify_ndpi");
    TCase *tc;

    tc = tcase_create("detect");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dns_query_then_response);
    tcase_add_test(tc, test_http_get);
    tcase_add_test(tc, test_tls_client_hello_sni);
    tcase_add_test(tc, test_dns_ipv6_query_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("give_up");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_udp_packet_budget);
    tcase_add_test(tc, test_end_without_protocol);
    tcase_add_test(tc, test_end_unseen_flow);
    suite_add_tcase(s, tc);

    tc = tcase_create("skip");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_no_ip_header);
    tcase_add_test(tc, test_oversized_datagram);
    suite_add_tcase(s, tc);

    tc = tcase_create("module");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_version_and_free_null);
    tcase_add_test(tc, test_two_modules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(classify_ndpi_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
