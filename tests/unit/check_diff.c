/* Unit tests for `ringscope diff` (diff.h): two small captures written
 * here (raw IPv4 link type, one SIP message per UDP datagram), compared,
 * and the whole printed report checked.  Cases: plain NAT, a SIP ALG
 * that rewrites Via, Contact, received=, SDP and Content-Length, messages
 * dropped on the way, and the errors. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"

#define PHONE "192.168.1.10"
#define ROUTER "203.0.113.2"
#define SERVER "199.7.172.10"

static char test_dir[256];
static char in_path[300];
static char out_path[300];

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(test_dir, sizeof(test_dir), "%s/check_diff.XXXXXX",
             base && base[0] ? base : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
    snprintf(in_path, sizeof(in_path), "%s/in.pcap", test_dir);
    snprintf(out_path, sizeof(out_path), "%s/out.pcap", test_dir);
}

static void teardown(void)
{
    unlink(in_path);
    unlink(out_path);
    rmdir(test_dir);
}

/* --- writing captures ---------------------------------------------------- */

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_ip(uint8_t *p, const char *dotted)
{
    unsigned a, b, c, d;

    ck_assert_int_eq(sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
    p[0] = (uint8_t)a;
    p[1] = (uint8_t)b;
    p[2] = (uint8_t)c;
    p[3] = (uint8_t)d;
}

static FILE *pcap_create(const char *path)
{
    /* pcap file header: magic (little-endian), version 2.4, zone 0,
     * sigfigs 0, snaplen 65535, LINKTYPE_RAW (101). */
    static const uint8_t hdr[24] = {
        0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xff, 0xff, 0, 0, 101, 0, 0, 0,
    };
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(hdr, 1, sizeof(hdr), f), sizeof(hdr));
    return f;
}

/* One IPv4/UDP datagram carrying text, at ms milliseconds. */
static void pcap_udp(FILE *f, uint32_t ms, const char *src, const char *dst,
                     const char *text)
{
    uint8_t rec[16], pkt[2048];
    size_t len = strlen(text), total = 20 + 8 + len;
    uint32_t sum = 0;
    size_t i;

    ck_assert_uint_le(total, sizeof(pkt));
    memset(pkt, 0, 28);
    /* IPv4: version 4, IHL 5, total length, TTL 64, protocol UDP. */
    pkt[0] = 0x45;
    put16(pkt + 2, (unsigned)total);
    pkt[8] = 64;
    pkt[9] = 17;
    put_ip(pkt + 12, src);
    put_ip(pkt + 16, dst);
    for (i = 0; i < 20; i += 2)
        sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    put16(pkt + 10, ~sum & 0xffff);
    /* UDP: 5060 -> 5060, length, no checksum. */
    put16(pkt + 20, 5060);
    put16(pkt + 22, 5060);
    put16(pkt + 24, (unsigned)(8 + len));
    memcpy(pkt + 28, text, len);
    /* Record header: seconds, microseconds, captured and wire length. */
    put_le32(rec, 1700000000u + ms / 1000);
    put_le32(rec + 4, (ms % 1000) * 1000);
    put_le32(rec + 8, (uint32_t)total);
    put_le32(rec + 12, (uint32_t)total);
    ck_assert_uint_eq(fwrite(rec, 1, 16, f), 16);
    ck_assert_uint_eq(fwrite(pkt, 1, total, f), total);
}

/* --- messages ------------------------------------------------------------ */

static char msg_buf[8][2048];

/* A REGISTER whose Via sent-by and Contact name host. */
static const char *register_from(int slot, const char *host)
{
    snprintf(msg_buf[slot], sizeof(msg_buf[slot]),
             "REGISTER sip:" SERVER " SIP/2.0\r\n"
             "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKr1;rport\r\n"
             "From: <sip:alice@" SERVER ">;tag=f1\r\n"
             "To: <sip:alice@" SERVER ">\r\n"
             "Call-ID: reg-1\r\n"
             "CSeq: 1 REGISTER\r\n"
             "Contact: <sip:alice@%s:5060>\r\n"
             "Content-Length: 0\r\n\r\n", host, host);
    return msg_buf[slot];
}

/* Its answer, with sent-by host and received=. */
static const char *ok_to(int slot, const char *host, const char *received)
{
    snprintf(msg_buf[slot], sizeof(msg_buf[slot]),
             "SIP/2.0 200 OK\r\n"
             "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKr1;rport=5060;"
             "received=%s\r\n"
             "From: <sip:alice@" SERVER ">;tag=f1\r\n"
             "To: <sip:alice@" SERVER ">;tag=t1\r\n"
             "Call-ID: reg-1\r\n"
             "CSeq: 1 REGISTER\r\n"
             "Content-Length: 0\r\n\r\n", host, received);
    return msg_buf[slot];
}

/* An INVITE whose addresses are host, with SDP. */
static const char *invite_from(int slot, const char *host)
{
    char sdp[512];

    snprintf(sdp, sizeof(sdp),
             "v=0\r\n"
             "o=- 1 1 IN IP4 %s\r\n"
             "s=-\r\n"
             "c=IN IP4 %s\r\n"
             "t=0 0\r\n"
             "m=audio 16384 RTP/AVP 0\r\n", host, host);
    snprintf(msg_buf[slot], sizeof(msg_buf[slot]),
             "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
             "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKi1\r\n"
             "From: <sip:alice@" SERVER ">;tag=f2\r\n"
             "To: <sip:bob@" SERVER ">\r\n"
             "Call-ID: call-1\r\n"
             "CSeq: 1 INVITE\r\n"
             "Contact: <sip:alice@%s:5060>\r\n"
             "Content-Type: application/sdp\r\n"
             "Content-Length: %zu\r\n\r\n%s", host, host, strlen(sdp), sdp);
    return msg_buf[slot];
}

/* Runs the comparison; *text gets the report (freed by the caller). */
static int run_diff(char **text)
{
    FILE *out = tmpfile();
    long size;
    int status;

    ck_assert_ptr_nonnull(out);
    status = diff_captures(in_path, out_path, out);
    size = ftell(out);
    ck_assert_int_ge(size, 0);
    *text = calloc(1, (size_t)size + 1);
    ck_assert_ptr_nonnull(*text);
    rewind(out);
    ck_assert_uint_eq(fread(*text, 1, (size_t)size, out), (size_t)size);
    fclose(out);
    return status;
}

/* --- tests --------------------------------------------------------------- */

START_TEST(test_plain_nat)
{
    FILE *in = pcap_create(in_path), *out = pcap_create(out_path);
    char *text;

    pcap_udp(in, 1000, PHONE, SERVER, register_from(0, PHONE));
    pcap_udp(out, 1001, ROUTER, SERVER, register_from(0, PHONE));
    pcap_udp(out, 1010, SERVER, ROUTER, ok_to(1, PHONE, ROUTER));
    pcap_udp(in, 1011, SERVER, PHONE, ok_to(1, PHONE, ROUTER));
    fclose(in);
    fclose(out);
    ck_assert_int_eq(run_diff(&text), 0);
    ck_assert_ptr_nonnull(strstr(text,
        "outbound REGISTER sip:" SERVER " (CSeq 1 REGISTER, Call-ID reg-1): "
        "inside frame 1, outside frame 1\n"
        "    source                 " PHONE ":5060/udp -> " ROUTER
        ":5060/udp\n"
        "    verdict: plain NAT (SIP text identical)\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "inbound 200 OK (CSeq 1 REGISTER, Call-ID reg-1): inside frame 2, "
        "outside frame 2\n"
        "    destination            " ROUTER ":5060/udp -> " PHONE
        ":5060/udp\n"
        "    verdict: plain NAT (SIP text identical)\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "summary: 2 matched (0 unchanged, 2 plain NAT, 0 SIP ALG "
        "rewriting); 0 dropped on the way out, 0 dropped on the way in, 0 "
        "only inside, 0 only outside, 0 outside the other capture's time "
        "span\nverdict: plain NAT\n"));
    free(text);
}
END_TEST

START_TEST(test_alg_rewriting)
{
    FILE *in = pcap_create(in_path), *out = pcap_create(out_path);
    char *text;

    pcap_udp(in, 1000, PHONE, SERVER, register_from(0, PHONE));
    pcap_udp(out, 1001, ROUTER, SERVER, register_from(1, ROUTER));
    pcap_udp(out, 1010, SERVER, ROUTER, ok_to(2, ROUTER, ROUTER));
    pcap_udp(in, 1011, SERVER, PHONE, ok_to(3, PHONE, PHONE));
    pcap_udp(in, 2000, PHONE, SERVER, invite_from(4, PHONE));
    pcap_udp(out, 2001, ROUTER, SERVER, invite_from(5, ROUTER));
    fclose(in);
    fclose(out);
    ck_assert_int_eq(run_diff(&text), 1);
    /* Everything after the header lines, which name the temporary
     * files. */
    ck_assert_ptr_nonnull(strstr(text, "clock offset (outside - inside): "
                                       "+0.001000 s\n"));
    ck_assert_str_eq(strstr(text, "\noutbound REGISTER"),
        "\noutbound REGISTER sip:" SERVER " (CSeq 1 REGISTER, Call-ID reg-1): "
        "inside frame 1, outside frame 1\n"
        "    source                 " PHONE ":5060/udp -> " ROUTER
        ":5060/udp\n"
        "    Via[1] sent-by         " PHONE ":5060 -> " ROUTER ":5060\n"
        "    Contact                sip:alice@" PHONE ":5060 -> sip:alice@"
        ROUTER ":5060\n"
        "    verdict: SIP ALG rewriting (Via sent-by, Contact)\n"
        "\n"
        "inbound 200 OK (CSeq 1 REGISTER, Call-ID reg-1): inside frame 2, "
        "outside frame 2\n"
        "    destination            " ROUTER ":5060/udp -> " PHONE
        ":5060/udp\n"
        "    Via[1] sent-by         " ROUTER ":5060 -> " PHONE ":5060\n"
        "    Via[1] received        " ROUTER " -> " PHONE "\n"
        "    verdict: SIP ALG rewriting (Via sent-by, Via received)\n"
        "\n"
        "outbound INVITE sip:bob@" SERVER " (CSeq 1 INVITE, Call-ID call-1): "
        "inside frame 3, outside frame 3\n"
        "    source                 " PHONE ":5060/udp -> " ROUTER
        ":5060/udp\n"
        "    Via[1] sent-by         " PHONE ":5060 -> " ROUTER ":5060\n"
        "    Contact                sip:alice@" PHONE ":5060 -> sip:alice@"
        ROUTER ":5060\n"
        "    Content-Length         94 -> 92\n"
        "    SDP o=                 o=- 1 1 IN IP4 " PHONE " -> o=- 1 1 IN IP4 "
        ROUTER "\n"
        "    SDP c=                 c=IN IP4 " PHONE " -> c=IN IP4 " ROUTER
        "\n"
        "    verdict: SIP ALG rewriting (Via sent-by, Contact, "
        "Content-Length, SDP o=, SDP c=)\n"
        "\n"
        "summary: 3 matched (0 unchanged, 0 plain NAT, 3 SIP ALG "
        "rewriting); 0 dropped on the way out, 0 dropped on the way in, 0 "
        "only inside, 0 only outside, 0 outside the other capture's time "
        "span\n"
        "rewritten: Via sent-by, Contact, Via received, Content-Length, "
        "SDP o=, SDP c=\n"
        "verdict: SIP ALG rewriting\n");
    free(text);
}
END_TEST

/* A request that never left, and an answer that never came in. */
START_TEST(test_dropped)
{
    FILE *in = pcap_create(in_path), *out = pcap_create(out_path);
    char *text;

    pcap_udp(in, 1000, PHONE, SERVER, register_from(0, PHONE));
    pcap_udp(out, 1001, ROUTER, SERVER, register_from(0, PHONE));
    pcap_udp(out, 1010, SERVER, ROUTER, ok_to(1, PHONE, ROUTER));
    pcap_udp(in, 2000, PHONE, SERVER, invite_from(2, PHONE));
    pcap_udp(in, 3000, PHONE, SERVER, register_from(0, PHONE));
    pcap_udp(out, 3001, ROUTER, SERVER, register_from(0, PHONE));
    fclose(in);
    fclose(out);
    ck_assert_int_eq(run_diff(&text), 0);
    ck_assert_ptr_nonnull(strstr(text,
        "inbound 200 OK (CSeq 1 REGISTER, Call-ID reg-1): outside frame 2 "
        "only, dropped on the way in\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "outbound INVITE sip:bob@" SERVER " (CSeq 1 INVITE, Call-ID call-1): "
        "inside frame 2 only, dropped on the way out\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "summary: 2 matched (0 unchanged, 2 plain NAT, 0 SIP ALG "
        "rewriting); 1 dropped on the way out, 1 dropped on the way in"));
    ck_assert_ptr_nonnull(strstr(text, "verdict: plain NAT; 2 messages "
                                       "dropped by the router\n"));
    free(text);
}
END_TEST

START_TEST(test_errors)
{
    static char *no_args[] = { "diff", NULL };
    static char *help[] = { "diff", "--help", NULL };
    FILE *in = pcap_create(in_path);
    FILE *devnull = fopen("/dev/null", "w");

    fclose(in);
    ck_assert_ptr_nonnull(devnull);
    ck_assert_int_eq(diff_captures(in_path, "/nonexistent/x.pcap", devnull),
                     2);
    ck_assert_int_eq(diff_captures("/nonexistent/y.pcap", in_path, devnull),
                     2);
    ck_assert_int_eq(diff_run(1, no_args), 2);
    ck_assert_int_eq(diff_run(2, help), 0);
    fclose(devnull);
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc;

    tc = tcase_create("compare");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_plain_nat);
    tcase_add_test(tc, test_alg_rewriting);
    tcase_add_test(tc, test_dropped);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(diff_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
