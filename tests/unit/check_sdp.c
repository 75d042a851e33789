/* Unit tests for the SDP parser and the media endpoint helper. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

/* A phone's offer: session-level c=, one audio stream (RFC 3264 style). */
static const char phone[] =
    "v=0\r\n"
    "o=alice 2890844526 2890844527 IN IP4 192.168.1.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.168.1.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n";

/* A browser-style offer: session i= and c= and a session-level sendonly,
 * an audio stream overriding c= and direction with ICE candidates, a=rtcp
 * with an address and rtcp-mux, then an IPv6 video stream with a port
 * count that inherits the session direction. */
static const char webrtc[] =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "i=Session info\r\n"
    "c=IN IP4 203.0.113.1\r\n"
    "t=0 0\r\n"
    "a=sendonly\r\n"
    "a=group:BUNDLE 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 101\r\n"
    "c=IN IP4 198.51.100.7\r\n"
    "i=Audio stream\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=candidate:842163049 1 udp 1677729535 198.51.100.7 53705 typ srflx "
    "raddr 192.168.1.10 rport 53705 generation 0\r\n"
    "a=candidate:1 1 UDP 2130706431 192.168.1.10 53705 typ host\r\n"
    "a=candidate:2 2 UDP 16777215 168.86.128.5 10500 typ relay "
    "raddr 198.51.100.7 rport 53706\r\n"
    "a=recvonly\r\n"
    "a=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=ptime:20\r\n"
    "m=video 49172/2 RTP/AVP 96\r\n"
    "c=IN IP6 2001:db8::7\r\n"
    "a=rtpmap:96 H264/90000\r\n";

static uint8_t *dup_exact(const char *text, size_t len)
{
    uint8_t *b = malloc(len > 0 ? len : 1);

    ck_assert_ptr_nonnull(b);
    memcpy(b, text, len);
    return b;
}

static void expect_view(struct sip_str v, const char *want)
{
    ck_assert_msg(v.len == strlen(want) &&
                  (v.len == 0 || memcmp(v.ptr, want, v.len) == 0),
                  "got '%.*s', want '%s'", (int)v.len,
                  v.ptr ? v.ptr : "", want);
}

START_TEST(test_phone_offer)
{
    size_t len = strlen(phone);
    uint8_t *buf = dup_exact(phone, len);
    struct sdp *s = malloc(sizeof(*s));
    struct sdp_endpoint ep;
    const struct sdp_media *m;

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(buf, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies, 0);
    ck_assert_int_eq(s->version, 0);
    ck_assert(s->origin.present);
    expect_view(s->origin.username, "alice");
    expect_view(s->origin.sess_id, "2890844526");
    expect_view(s->origin.sess_version, "2890844527");
    expect_view(s->origin.nettype, "IN");
    expect_view(s->origin.addrtype, "IP4");
    expect_view(s->origin.address, "192.168.1.10");
    expect_view(s->name, "-");
    ck_assert(s->conn.present);
    ck_assert(s->conn.is_ip);
    ck_assert_uint_eq(s->conn.addr.family, 4);
    ck_assert_int_eq(s->direction, SDP_DIR_NONE);

    ck_assert_uint_eq(s->media_count, 1);
    m = &s->media[0];
    expect_view(m->media, "audio");
    ck_assert_uint_eq(m->port, 49170);
    ck_assert_uint_eq(m->port_count, 1);
    expect_view(m->proto, "RTP/AVP");
    expect_view(m->formats, "0 8 101");
    ck_assert_uint_eq(m->format_count, 3);
    ck_assert_uint_eq(m->format[0], 0);
    ck_assert_uint_eq(m->format[1], 8);
    ck_assert_uint_eq(m->format[2], 101);
    ck_assert_uint_eq(m->rtpmap_count, 3);
    expect_view(m->rtpmap[2].encoding, "telephone-event");
    ck_assert_uint_eq(m->rtpmap[2].clock_rate, 8000);
    ck_assert_uint_eq(m->rtpmap[2].channels, 1);
    ck_assert_ptr_eq(sdp_media_rtpmap(m, 8), &m->rtpmap[1]);
    ck_assert_ptr_null(sdp_media_rtpmap(m, 18));
    ck_assert_int_eq(m->direction, SDP_DIR_SENDRECV);
    ck_assert(!m->conn.present);
    ck_assert_uint_eq(m->ptime, 0);

    ck_assert_int_eq(sdp_media_endpoint(s, 0, &ep), 0);
    ck_assert(ep.has_addr);
    ck_assert(ep.addr_from_session);
    expect_view(ep.conn.address, "192.168.1.10");
    ck_assert_uint_eq(ep.port, 49170);
    ck_assert_uint_eq(ep.rtcp_port, 49171);
    expect_view(ep.rtcp_conn.address, "192.168.1.10");
    ck_assert_int_eq(ep.direction, SDP_DIR_SENDRECV);
    ck_assert(!ep.null_addr);
    ck_assert_int_eq(sdp_media_endpoint(s, 1, &ep), -1);
    free(s);
    free(buf);
}
END_TEST

START_TEST(test_webrtc_offer)
{
    size_t len = strlen(webrtc);
    uint8_t *buf = dup_exact(webrtc, len);
    struct sdp *s = malloc(sizeof(*s));
    struct sdp_endpoint ep;
    const struct sdp_media *a, *v;
    const struct sdp_candidate *c;

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(buf, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies, 0);
    expect_view(s->info, "Session info");
    ck_assert_int_eq(s->direction, SDP_DIR_SENDONLY);
    ck_assert_uint_eq(s->media_count, 2);

    a = &s->media[0];
    expect_view(a->proto, "UDP/TLS/RTP/SAVPF");
    ck_assert_uint_eq(a->port, 9);
    expect_view(a->info, "Audio stream");
    ck_assert(a->conn.present);
    expect_view(a->conn.address, "198.51.100.7");
    ck_assert(a->has_rtcp);
    ck_assert_uint_eq(a->rtcp_port, 9);
    ck_assert(a->rtcp_conn.present);
    expect_view(a->rtcp_conn.address, "0.0.0.0");
    ck_assert(a->rtcp_mux);
    ck_assert_int_eq(a->direction, SDP_DIR_RECVONLY);
    ck_assert_uint_eq(a->ptime, 20);
    ck_assert_uint_eq(a->rtpmap_count, 3);
    expect_view(a->rtpmap[0].encoding, "opus");
    ck_assert_uint_eq(a->rtpmap[0].pt, 111);
    ck_assert_uint_eq(a->rtpmap[0].clock_rate, 48000);
    ck_assert_uint_eq(a->rtpmap[0].channels, 2);

    ck_assert_uint_eq(a->candidate_count, 3);
    c = &a->candidate[0];
    expect_view(c->foundation, "842163049");
    ck_assert_uint_eq(c->component, 1);
    expect_view(c->transport, "udp");
    ck_assert_uint_eq(c->priority, 1677729535u);
    expect_view(c->address, "198.51.100.7");
    ck_assert(c->is_ip);
    ck_assert_uint_eq(c->port, 53705);
    ck_assert_int_eq(c->type, SDP_CAND_SRFLX);
    expect_view(c->raddr, "192.168.1.10");
    ck_assert(c->has_rport);
    ck_assert_uint_eq(c->rport, 53705);
    c = &a->candidate[1];
    ck_assert_int_eq(c->type, SDP_CAND_HOST);
    ck_assert_uint_eq(c->raddr.len, 0);
    ck_assert(!c->has_rport);
    c = &a->candidate[2];
    ck_assert_uint_eq(c->component, 2);
    ck_assert_int_eq(c->type, SDP_CAND_RELAY);
    expect_view(c->type_text, "relay");
    ck_assert_uint_eq(c->rport, 53706);

    v = &s->media[1];
    expect_view(v->media, "video");
    ck_assert_uint_eq(v->port, 49172);
    ck_assert_uint_eq(v->port_count, 2);
    ck_assert_int_eq(v->direction, SDP_DIR_NONE);
    expect_view(v->conn.addrtype, "IP6");
    ck_assert_uint_eq(v->conn.addr.family, 6);
    ck_assert_uint_eq(v->candidate_count, 0);

    /* Audio: media c=, a=rtcp port with its own address, own direction. */
    ck_assert_int_eq(sdp_media_endpoint(s, 0, &ep), 0);
    ck_assert(!ep.addr_from_session);
    expect_view(ep.conn.address, "198.51.100.7");
    ck_assert_uint_eq(ep.rtcp_port, 9);
    expect_view(ep.rtcp_conn.address, "0.0.0.0");
    ck_assert_int_eq(ep.direction, SDP_DIR_RECVONLY);
    ck_assert(!ep.null_addr);
    /* Video: inherits the session direction; RTCP on port + 1. */
    ck_assert_int_eq(sdp_media_endpoint(s, 1, &ep), 0);
    expect_view(ep.conn.address, "2001:db8::7");
    ck_assert_uint_eq(ep.rtcp_port, 49173);
    ck_assert_int_eq(ep.direction, SDP_DIR_SENDONLY);
    free(s);
    free(buf);
}
END_TEST

START_TEST(test_hold_and_mux)
{
    static const char text[] =
        "v=0\n"
        "o=bob 1 2 IN IP4 198.51.100.20\n"
        "s=hold\n"
        "c=IN IP4 0.0.0.0\n"
        "t=0 0\n"
        "a=inactive\n"
        "m=audio 3456 RTP/AVP 0\n"
        "a=rtcp-mux\n"
        "m=audio 65535 RTP/AVP 0\n"
        "a=ptime:30.0\n";
    size_t len = strlen(text);
    uint8_t *buf = dup_exact(text, len);
    struct sdp *s = malloc(sizeof(*s));
    struct sdp_endpoint ep;

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(buf, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies, SDP_ANOM_LF_ONLY);
    ck_assert_int_eq(sdp_media_endpoint(s, 0, &ep), 0);
    ck_assert(ep.null_addr);
    ck_assert_int_eq(ep.direction, SDP_DIR_INACTIVE);
    ck_assert_uint_eq(ep.rtcp_port, 3456);
    ck_assert_int_eq(sdp_media_endpoint(s, 1, &ep), 0);
    ck_assert_uint_eq(ep.rtcp_port, 0);
    ck_assert_uint_eq(s->media[1].ptime, 30);
    ck_assert_str_eq(sdp_direction_name(SDP_DIR_INACTIVE), "inactive");
    ck_assert_str_eq(sdp_direction_name(SDP_DIR_NONE), "");
    free(s);
    free(buf);
}
END_TEST

START_TEST(test_no_connection)
{
    static const char text[] =
        "v=0\r\n"
        "o=x 1 1 IN IP4 192.0.2.1\r\n"
        "s=-\r\n"
        "t=0 0\r\n"
        "m=audio 4000 RTP/AVP 0\r\n"
        "m=video 0 RTP/AVP 96\r\n";
    size_t len = strlen(text);
    uint8_t *buf = dup_exact(text, len);
    struct sdp *s = malloc(sizeof(*s));
    struct sdp_endpoint ep;

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(buf, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies, SDP_ANOM_NO_CONN);
    ck_assert_int_eq(sdp_media_endpoint(s, 0, &ep), 0);
    ck_assert(!ep.has_addr);
    ck_assert_uint_eq(ep.port, 4000);
    free(s);
    free(buf);
}
END_TEST

START_TEST(test_bad_lines)
{
    static const char text[] =
        "v=1\r\n"
        "o=alice 1\r\n"
        "s=-\r\n"
        "garbage\r\n"
        "c=IN IP4\r\n"
        "t=0 0\r\n"
        "m=audio x RTP/AVP 0\r\n"
        "a=rtpmap:abc PCMU/8000\r\n"
        "a=rtpmap:0 PCMU\r\n"
        "a=rtpmap:0 PCMU/8000/x\r\n"
        "a=rtcp:port\r\n"
        "a=rtcp:5000 IN IPX foo\r\n"
        "a=candidate:1 1 UDP\r\n"
        "a=candidate:1 1 UDP 1 192.0.2.1 70000 typ host\r\n"
        "a=candidate:1 1 UDP 1 192.0.2.1 7000 typ host rport x\r\n"
        "c=IN IP4 fqdn.example.com\r\n"
        "m=audio\r\n";
    size_t len = strlen(text);
    uint8_t *buf = dup_exact(text, len);
    struct sdp *s = malloc(sizeof(*s));

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(buf, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies,
                      SDP_ANOM_BAD_VERSION | SDP_ANOM_BAD_ORIGIN |
                      SDP_ANOM_BAD_LINE | SDP_ANOM_BAD_CONN |
                      SDP_ANOM_BAD_MEDIA | SDP_ANOM_BAD_RTPMAP |
                      SDP_ANOM_BAD_RTCP | SDP_ANOM_BAD_CANDIDATE);
    ck_assert_int_eq(s->version, 1);
    ck_assert_uint_eq(s->media_count, 2);
    ck_assert_uint_eq(s->media[0].rtpmap_count, 0);
    ck_assert(s->media[0].has_rtcp);
    ck_assert_uint_eq(s->media[0].rtcp_port, 5000);
    /* The last candidate is kept; only its rport was bad. */
    ck_assert_uint_eq(s->media[0].candidate_count, 1);
    ck_assert(!s->media[0].candidate[0].has_rport);
    ck_assert(s->media[0].conn.present);
    ck_assert(!s->media[0].conn.is_ip);
    expect_view(s->media[0].conn.address, "fqdn.example.com");
    free(s);
    free(buf);
}
END_TEST

START_TEST(test_not_sdp)
{
    struct sdp *s = malloc(sizeof(*s));

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse(NULL, 0, s), SDP_MALFORMED);
    ck_assert_int_eq(sdp_parse((const uint8_t *)"o=x 1 1 IN IP4 h\r\n", 18, s),
                     SDP_MALFORMED);
    ck_assert_int_eq(sdp_parse((const uint8_t *)"<xml/>", 6, s),
                     SDP_MALFORMED);
    ck_assert_int_eq(sdp_parse((const uint8_t *)"\r\n\r\nv=0\r\n", 9, s),
                     SDP_OK);
    free(s);
}
END_TEST

/* Builds an SDP with n_media m= lines, each with n_attr rtpmaps and
 * candidates. */
static char *big_sdp(size_t n_media, size_t n_attr, size_t *len)
{
    size_t cap = 64 + n_media * (64 + n_attr * 128), off = 0, i, j;
    char *s = malloc(cap);

    ck_assert_ptr_nonnull(s);
    off += (size_t)snprintf(s + off, cap - off, "v=0\r\nc=IN IP4 192.0.2.9\r\n");
    for (i = 0; i < n_media; i++) {
        off += (size_t)snprintf(s + off, cap - off,
                                "m=audio %zu RTP/AVP", 10000 + 2 * i);
        for (j = 0; j < n_attr; j++)
            off += (size_t)snprintf(s + off, cap - off, " %zu", j);
        off += (size_t)snprintf(s + off, cap - off, "\r\n");
        for (j = 0; j < n_attr; j++)
            off += (size_t)snprintf(s + off, cap - off,
                                    "a=rtpmap:%zu X%zu/8000\r\n"
                                    "a=candidate:%zu 1 UDP 1 192.0.2.1 %zu "
                                    "typ host\r\n", j, j, j, 20000 + j);
    }
    *len = off;
    return s;
}

START_TEST(test_bounds)
{
    size_t len;
    char *text = big_sdp(20, 40, &len);
    struct sdp *s = malloc(sizeof(*s));
    struct sdp_endpoint ep;

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(sdp_parse((const uint8_t *)text, len, s), SDP_OK);
    ck_assert_uint_eq(s->anomalies, SDP_ANOM_DROPPED);
    ck_assert_uint_eq(s->media_count, 20);
    ck_assert_uint_eq(s->media[15].port, 10030);
    ck_assert_uint_eq(s->media[15].format_count, 40);
    ck_assert_uint_eq(s->media[15].format[31], 31);
    ck_assert_uint_eq(s->media[15].rtpmap_count, 40);
    ck_assert_uint_eq(s->media[15].rtpmap[31].pt, 31);
    ck_assert_uint_eq(s->media[15].candidate_count, 40);
    ck_assert_uint_eq(s->media[15].candidate[31].port, 20031);
    ck_assert_int_eq(sdp_media_endpoint(s, 15, &ep), 0);
    ck_assert_int_eq(sdp_media_endpoint(s, 16, &ep), -1);
    free(text);
    free(s);
}
END_TEST

/* Every prefix of the browser offer parses without reading past its end;
 * from "v=" on it is SDP. */
START_TEST(test_every_truncation)
{
    size_t full = strlen(webrtc), len;
    struct sdp *s = malloc(sizeof(*s));

    ck_assert_ptr_nonnull(s);
    for (len = 0; len <= full; len++) {
        uint8_t *buf = dup_exact(webrtc, len);

        ck_assert_int_eq(sdp_parse(buf, len, s),
                         len < 2 ? SDP_MALFORMED : SDP_OK);
        ck_assert_uint_le(s->media_count, 2);
        free(buf);
    }
    ck_assert_uint_eq(s->media[0].candidate_count, 3);
    free(s);
}
END_TEST

static Suite *sdp_suite(void)
{
    Suite *s = suite_create("sdp");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_test(tc, test_phone_offer);
    tcase_add_test(tc, test_webrtc_offer);
    tcase_add_test(tc, test_hold_and_mux);
    tcase_add_test(tc, test_no_connection);
    suite_add_tcase(s, tc);

    tc = tcase_create("robustness");
    tcase_add_test(tc, test_bad_lines);
    tcase_add_test(tc, test_not_sdp);
    tcase_add_test(tc, test_bounds);
    tcase_add_test(tc, test_every_truncation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sdp_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
