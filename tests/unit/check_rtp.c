/* Unit tests for RTP parsing, demultiplexing, detection and statistics. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtp.h"

/* PCMU, no options: V=2, PT 0, seq 0x1234, ts 0xdeadbeef, SSRC
 * 0x11223344, four payload bytes. */
static const uint8_t rtp_plain[] = {
    0x80, 0x00, 0x12, 0x34,             /* V=2 P=0 X=0 CC=0 | M=0 PT=0 | seq */
    0xde, 0xad, 0xbe, 0xef,             /* timestamp */
    0x11, 0x22, 0x33, 0x44,             /* SSRC */
    0xd5, 0xd5, 0xd5, 0xd5,             /* payload */
};

/* Everything at once: P, X, CC=2, M, PT 111. */
static const uint8_t rtp_full[] = {
    0xb2, 0xef, 0x00, 0x07,             /* V=2 P X CC=2 | M PT=111 | seq 7 */
    0x00, 0x00, 0x03, 0xc0,             /* timestamp 960 */
    0xca, 0xfe, 0xba, 0xbe,             /* SSRC */
    0x00, 0x00, 0x00, 0x01,             /* CSRC 1 */
    0x00, 0x00, 0x00, 0x02,             /* CSRC 2 */
    0xbe, 0xde, 0x00, 0x01,             /* RFC 8285 one-byte ext, 1 word */
    0x10, 0xaa, 0x00, 0x00,             /* extension data */
    0x01, 0x02, 0x03,                   /* payload (3 bytes) */
    0x00, 0x00, 0x00, 0x04,             /* padding: 4 octets, count last */
};
#define RTP_FULL_HDR 28                 /* 12 + 2 * 4 + 4 + 4 */

/* Writes a 16-byte RTP packet (12-byte header and 4 payload bytes). */
static size_t build_rtp(uint8_t *buf, uint16_t seq, uint32_t ts,
                        uint32_t ssrc, uint8_t pt, int marker)
{
    buf[0] = 0x80;
    buf[1] = (uint8_t)((marker & 1) << 7 | (pt & 0x7f));
    buf[2] = (uint8_t)(seq >> 8);
    buf[3] = (uint8_t)seq;
    buf[4] = (uint8_t)(ts >> 24);
    buf[5] = (uint8_t)(ts >> 16);
    buf[6] = (uint8_t)(ts >> 8);
    buf[7] = (uint8_t)ts;
    buf[8] = (uint8_t)(ssrc >> 24);
    buf[9] = (uint8_t)(ssrc >> 16);
    buf[10] = (uint8_t)(ssrc >> 8);
    buf[11] = (uint8_t)ssrc;
    memset(buf + 12, 0xd5, 4);
    return 16;
}

/* Parses and accounts one PCMU packet arriving at t_ms. */
static void feed(struct rtp_stream_stats *s, uint16_t seq, uint32_t ts,
                 double t_ms, uint8_t pt, int marker)
{
    uint8_t buf[16];
    struct rtp_header h;
    size_t n = build_rtp(buf, seq, ts, 0x01020304, pt, marker);

    ck_assert_int_eq(rtp_parse(buf, n, n, &h), RTP_OK);
    rtp_stream_update(s, &h, 1700000000000000 + (int64_t)(t_ms * 1000),
                      rtp_clock_rate_for(pt, NULL, 0), 46);
}

/* ------------------------------------------------------------------ */

START_TEST(test_parse_plain)
{
    struct rtp_header h;

    ck_assert_int_eq(rtp_parse(rtp_plain, sizeof(rtp_plain),
                               sizeof(rtp_plain), &h), RTP_OK);
    ck_assert_uint_eq(h.version, 2);
    ck_assert(!h.padding);
    ck_assert(!h.extension);
    ck_assert(!h.marker);
    ck_assert_uint_eq(h.csrc_count, 0);
    ck_assert_uint_eq(h.payload_type, 0);
    ck_assert_uint_eq(h.seq, 0x1234);
    ck_assert_uint_eq(h.timestamp, 0xdeadbeef);
    ck_assert_uint_eq(h.ssrc, 0x11223344);
    ck_assert_uint_eq(h.header_len, 12);
    ck_assert_ptr_eq(h.payload, rtp_plain + 12);
    ck_assert_uint_eq(h.payload_len, 4);
    ck_assert_uint_eq(h.wire_payload_len, 4);
    ck_assert_uint_eq(h.pad_len, 0);
    ck_assert(!h.truncated);
    ck_assert_ptr_null(h.ext_data);
}
END_TEST

START_TEST(test_parse_csrc_extension_padding)
{
    struct rtp_header h;

    ck_assert_int_eq(rtp_parse(rtp_full, sizeof(rtp_full), sizeof(rtp_full),
                               &h), RTP_OK);
    ck_assert(h.padding);
    ck_assert(h.extension);
    ck_assert(h.marker);
    ck_assert_uint_eq(h.payload_type, 111);
    ck_assert_uint_eq(h.seq, 7);
    ck_assert_uint_eq(h.timestamp, 960);
    ck_assert_uint_eq(h.ssrc, 0xcafebabe);
    ck_assert_uint_eq(h.csrc_count, 2);
    ck_assert_uint_eq(h.csrc[0], 1);
    ck_assert_uint_eq(h.csrc[1], 2);
    ck_assert_uint_eq(h.ext_profile, 0xbede);
    ck_assert_uint_eq(h.ext_len, 4);
    ck_assert_ptr_eq(h.ext_data, rtp_full + 24);
    ck_assert_uint_eq(h.header_len, RTP_FULL_HDR);
    ck_assert_uint_eq(h.pad_len, 4);
    ck_assert_ptr_eq(h.payload, rtp_full + RTP_FULL_HDR);
    ck_assert_uint_eq(h.payload_len, 3);
    ck_assert_uint_eq(h.wire_payload_len, 3);
}
END_TEST

START_TEST(test_parse_truncations)
{
    struct rtp_header h;
    size_t len;

    /* Cut inside the header, CSRC list or extension: never OK. */
    for (len = 0; len < RTP_FULL_HDR; len++)
        ck_assert_int_eq(rtp_parse(rtp_full, len, sizeof(rtp_full), &h),
                         RTP_TRUNCATED);
    /* Cut in the payload by the snaplen: the header is good, the padding
     * count is not there to check, so it stays in the payload length. */
    for (len = RTP_FULL_HDR; len < sizeof(rtp_full); len++) {
        ck_assert_int_eq(rtp_parse(rtp_full, len, sizeof(rtp_full), &h),
                         RTP_OK);
        ck_assert(h.truncated);
        ck_assert_uint_eq(h.pad_len, 0);
        ck_assert_uint_eq(h.payload_len, len - RTP_FULL_HDR);
        ck_assert_uint_eq(h.wire_payload_len,
                          sizeof(rtp_full) - RTP_FULL_HDR);
    }
    /* The plain packet cut anywhere inside its 12-byte header. */
    for (len = 0; len < 12; len++)
        ck_assert_int_eq(rtp_parse(rtp_plain, len, len, &h), RTP_TRUNCATED);
}
END_TEST

START_TEST(test_parse_bad_padding)
{
    uint8_t pkt[sizeof(rtp_full)];
    struct rtp_header h;

    /* Count 0: the count octet itself is padding, so 0 is impossible. */
    memcpy(pkt, rtp_full, sizeof(pkt));
    pkt[sizeof(pkt) - 1] = 0;
    ck_assert_int_eq(rtp_parse(pkt, sizeof(pkt), sizeof(pkt), &h),
                     RTP_BAD_PADDING);
    /* Count larger than the 7 bytes after the header. */
    pkt[sizeof(pkt) - 1] = 8;
    ck_assert_int_eq(rtp_parse(pkt, sizeof(pkt), sizeof(pkt), &h),
                     RTP_BAD_PADDING);
    /* Count equal to everything after the header: empty payload. */
    pkt[sizeof(pkt) - 1] = 7;
    ck_assert_int_eq(rtp_parse(pkt, sizeof(pkt), sizeof(pkt), &h), RTP_OK);
    ck_assert_uint_eq(h.payload_len, 0);
    /* P set and nothing after the header at all. */
    ck_assert_int_eq(rtp_parse(pkt, RTP_FULL_HDR, RTP_FULL_HDR, &h),
                     RTP_BAD_PADDING);
}
END_TEST

START_TEST(test_parse_bad_version)
{
    /* STUN binding request, DTLS handshake, QUIC long header: none is
     * version 2. */
    static const uint8_t stun[12] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12,
                                      0xa4, 0x42, 1, 2, 3, 4 };
    static const uint8_t dtls[12] = { 0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t quic[12] = { 0xc3, 0x00, 0x00, 0x00, 0x01, 0x08,
                                      1, 2, 3, 4, 5, 6 };
    struct rtp_header h;

    ck_assert_int_eq(rtp_parse(stun, 12, 12, &h), RTP_BAD_VERSION);
    ck_assert_int_eq(rtp_parse(dtls, 12, 12, &h), RTP_BAD_VERSION);
    ck_assert_int_eq(rtp_parse(quic, 12, 12, &h), RTP_BAD_VERSION);
}
END_TEST

START_TEST(test_parse_strict_rtcp)
{
    /* RTCP RR header: as RTP it reads M=1 PT=73. */
    static const uint8_t rr[12] = { 0x80, 0xc9, 0x00, 0x01, 0x11, 0x22,
                                    0x33, 0x44, 0, 0, 0, 0 };
    uint8_t pkt[16];
    struct rtp_header h;

    ck_assert_int_eq(rtp_parse(rr, 12, 12, &h), RTP_OK);
    ck_assert_int_eq(rtp_parse_strict(rr, 12, 12, &h), RTP_RTCP_CONFLICT);

    /* PT 72-76 is reserved even without the marker. */
    build_rtp(pkt, 1, 1, 1, 74, 0);
    ck_assert_int_eq(rtp_parse_strict(pkt, 16, 16, &h), RTP_RTCP_CONFLICT);
    /* Marked PT 95 (second octet 223) is the top of RTCP's range. */
    build_rtp(pkt, 1, 1, 1, 95, 1);
    ck_assert_int_eq(rtp_parse_strict(pkt, 16, 16, &h), RTP_RTCP_CONFLICT);
    /* Marked PT 96 (second octet 224) and unmarked PT 95 are RTP. */
    build_rtp(pkt, 1, 1, 1, 96, 1);
    ck_assert_int_eq(rtp_parse_strict(pkt, 16, 16, &h), RTP_OK);
    build_rtp(pkt, 1, 1, 1, 95, 0);
    ck_assert_int_eq(rtp_parse_strict(pkt, 16, 16, &h), RTP_OK);
    ck_assert_int_eq(rtp_parse_strict(rtp_full, sizeof(rtp_full),
                                      sizeof(rtp_full), &h), RTP_OK);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(rtp_status_name(RTP_OK), "ok");
    ck_assert_str_eq(rtp_status_name(RTP_TRUNCATED), "truncated");
    ck_assert_str_eq(rtp_status_name(RTP_BAD_VERSION), "bad_version");
    ck_assert_str_eq(rtp_status_name(RTP_BAD_PADDING), "bad_padding");
    ck_assert_str_eq(rtp_status_name(RTP_RTCP_CONFLICT), "rtcp_conflict");
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_demux)
{
    static const uint8_t b[][2] = {
        { 0x00, 0x01 }, { 0x03, 0x00 }, { 0x04, 0x00 }, { 0x10, 0x00 },
        { 0x14, 0x00 }, { 0x16, 0xfe }, { 0x3f, 0x00 }, { 0x40, 0x00 },
        { 0x4f, 0x00 }, { 0x50, 0x00 }, { 0x7f, 0x00 }, { 0x80, 0x00 },
        { 0x80, 0xc8 }, { 0x81, 0xdf }, { 0x80, 0xe0 }, { 0xbf, 0xbf },
        { 0xc0, 0x00 }, { 0xff, 0x00 },
    };
    static const enum rtp_demux want[] = {
        RTP_DEMUX_STUN, RTP_DEMUX_STUN, RTP_DEMUX_OTHER, RTP_DEMUX_ZRTP,
        RTP_DEMUX_DTLS, RTP_DEMUX_DTLS, RTP_DEMUX_DTLS, RTP_DEMUX_TURN_CHANNEL,
        RTP_DEMUX_TURN_CHANNEL, RTP_DEMUX_QUIC, RTP_DEMUX_QUIC, RTP_DEMUX_RTP,
        RTP_DEMUX_RTCP, RTP_DEMUX_RTCP, RTP_DEMUX_RTP, RTP_DEMUX_RTP,
        RTP_DEMUX_QUIC, RTP_DEMUX_QUIC,
    };
    size_t i;

    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_int_eq(rtp_demux_classify(b[i], 2), want[i]);
    ck_assert_int_eq(rtp_demux_classify(b[0], 0), RTP_DEMUX_OTHER);
    /* One octet of 128-191 cannot say RTCP. */
    ck_assert_int_eq(rtp_demux_classify(b[12], 1), RTP_DEMUX_RTP);
}
END_TEST

START_TEST(test_clock_rates)
{
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_PCMU), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_PCMA), 8000);
    /* G.722 samples at 16 kHz but its RTP clock is 8000 (RFC 3551). */
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_G722), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_G729), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_CN), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_GSM), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(RTP_PT_G723), 8000);
    ck_assert_uint_eq(rtp_clock_rate_static(6), 16000);
    ck_assert_uint_eq(rtp_clock_rate_static(11), 44100);
    ck_assert_uint_eq(rtp_clock_rate_static(34), 90000);
    ck_assert_uint_eq(rtp_clock_rate_static(20), 0);
    ck_assert_uint_eq(rtp_clock_rate_static(35), 0);
    ck_assert_uint_eq(rtp_clock_rate_static(96), 0);
    ck_assert_uint_eq(rtp_clock_rate_static(127), 0);

    ck_assert_str_eq(rtp_payload_name_static(0), "PCMU");
    ck_assert_str_eq(rtp_payload_name_static(9), "G722");
    ck_assert_str_eq(rtp_payload_name_static(18), "G729");
    ck_assert_ptr_null(rtp_payload_name_static(20));
    ck_assert_ptr_null(rtp_payload_name_static(111));

    /* Static types ignore SDP, as Wireshark does. */
    ck_assert_uint_eq(rtp_clock_rate_for(9, "G722", 16000), 8000);
    ck_assert_uint_eq(rtp_clock_rate_for(111, "opus", 48000), 48000);
    ck_assert_uint_eq(rtp_clock_rate_for(111, "OPUS", 0), 48000);
    ck_assert_uint_eq(rtp_clock_rate_for(97, "AMR-WB", 0), 16000);
    ck_assert_uint_eq(rtp_clock_rate_for(97, "AMR", 0), 8000);
    ck_assert_uint_eq(rtp_clock_rate_for(98, "iLBC", 8000), 8000);
    ck_assert_uint_eq(rtp_clock_rate_for(98, "iLBC", 0), 0);
    ck_assert_uint_eq(rtp_clock_rate_for(101, "telephone-event", 8000), 0);
    ck_assert_uint_eq(rtp_clock_rate_for(101, "Telephone-Event", 48000), 0);
    ck_assert_uint_eq(rtp_clock_rate_for(97, NULL, 0), 0);
    ck_assert_uint_eq(rtp_clock_rate_for(97, NULL, 16000), 16000);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_detect_rtp_with_ice_and_rtcp)
{
    /* STUN binding request header, a DTLS record start and an RTCP RR
     * interleaved with the media, as on a WebRTC 5-tuple. */
    static const uint8_t stun[20] = {
        0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    };
    static const uint8_t dtls[13] = {
        0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x10,
    };
    static const uint8_t rr[8] = { 0x80, 0xc9, 0x00, 0x01,
                                   0x11, 0x22, 0x33, 0x44 };
    struct rtp_detect d;
    uint8_t pkt[16];

    rtp_detect_init(&d);
    ck_assert_int_eq(rtp_detect_update(&d, 0, stun, 20, 20),
                     RTP_DETECT_UNKNOWN);
    ck_assert_int_eq(rtp_detect_update(&d, 1, dtls, 13, 13),
                     RTP_DETECT_UNKNOWN);
    build_rtp(pkt, 100, 8000, 0xabcd, 0, 1);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, 16, 16),
                     RTP_DETECT_UNKNOWN);
    build_rtp(pkt, 101, 8160, 0xabcd, 0, 0);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, 16, 16),
                     RTP_DETECT_UNKNOWN);
    ck_assert_int_eq(rtp_detect_update(&d, 0, stun, 20, 20),
                     RTP_DETECT_UNKNOWN);
    ck_assert_int_eq(rtp_detect_update(&d, 0, rr, 8, 8), RTP_DETECT_UNKNOWN);
    /* A packet from the other direction does not break this one's run. */
    build_rtp(pkt, 7, 0, 0x9999, 0, 0);
    ck_assert_int_eq(rtp_detect_update(&d, 1, pkt, 16, 16),
                     RTP_DETECT_UNKNOWN);
    /* Lost packet 102: a step of 2 still fits. */
    build_rtp(pkt, 103, 8480, 0xabcd, 0, 0);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, 16, 16),
                     RTP_DETECT_UNKNOWN);
    build_rtp(pkt, 104, 8640, 0xabcd, 0, 0);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, 16, 16), RTP_DETECT_RTP);
    /* Final. */
    ck_assert_int_eq(rtp_detect_update(&d, 0, stun, 20, 20), RTP_DETECT_RTP);
}
END_TEST

START_TEST(test_detect_run_breaks)
{
    struct rtp_detect d;
    uint8_t pkt[16];
    static const uint8_t junk[4] = { 0x05, 0x00, 0x00, 0x00 };

    rtp_detect_init(&d);
    build_rtp(pkt, 1, 0, 0xabcd, 0, 0);
    rtp_detect_update(&d, 0, pkt, 16, 16);
    build_rtp(pkt, 2, 160, 0xabcd, 0, 0);
    rtp_detect_update(&d, 0, pkt, 16, 16);
    build_rtp(pkt, 3, 320, 0xabcd, 0, 0);
    rtp_detect_update(&d, 0, pkt, 16, 16);
    ck_assert_uint_eq(d.dir[0].run, 3);
    /* SSRC change: the run restarts from this packet. */
    build_rtp(pkt, 4, 480, 0xabce, 0, 0);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, 16, 16),
                     RTP_DETECT_UNKNOWN);
    ck_assert_uint_eq(d.dir[0].run, 1);
    /* Sequence step beyond RTP_DETECT_MAX_SEQ_STEP. */
    build_rtp(pkt, 4 + RTP_DETECT_MAX_SEQ_STEP + 1, 640, 0xabce, 0, 0);
    rtp_detect_update(&d, 0, pkt, 16, 16);
    ck_assert_uint_eq(d.dir[0].run, 1);
    /* Timestamp going back. */
    build_rtp(pkt, 4 + RTP_DETECT_MAX_SEQ_STEP + 2, 600, 0xabce, 0, 0);
    rtp_detect_update(&d, 0, pkt, 16, 16);
    ck_assert_uint_eq(d.dir[0].run, 1);
    /* Same sequence number again. */
    rtp_detect_update(&d, 0, pkt, 16, 16);
    ck_assert_uint_eq(d.dir[0].run, 1);
    /* A datagram no demultiplexing rule names. */
    rtp_detect_update(&d, 0, junk, 4, 4);
    ck_assert_uint_eq(d.dir[0].run, 0);
    ck_assert_int_eq(d.verdict, RTP_DETECT_UNKNOWN);
}
END_TEST

/* Feeds the same datagram RTP_DETECT_MAX_PACKETS times, alternating
 * directions, and checks the flow is never taken for RTP. */
static void detect_never_rtp(const uint8_t *pkt, size_t len)
{
    struct rtp_detect d;
    unsigned i;

    rtp_detect_init(&d);
    for (i = 0; i + 1 < RTP_DETECT_MAX_PACKETS; i++)
        ck_assert_int_eq(rtp_detect_update(&d, i & 1u, pkt, len, len),
                         RTP_DETECT_UNKNOWN);
    ck_assert_int_eq(rtp_detect_update(&d, 0, pkt, len, len),
                     RTP_DETECT_NOT_RTP);
}

START_TEST(test_detect_dns_not_rtp)
{
    /* DNS query "a.example" A, with IDs whose first two bits read as
     * version 2 -- the worst case for a version check. */
    uint8_t q[27] = {
        0x80, 0x00, 0x01, 0x00,         /* ID (set below), flags RD */
        0x00, 0x01, 0x00, 0x00,         /* QDCOUNT 1, ANCOUNT 0 */
        0x00, 0x00, 0x00, 0x00,         /* NSCOUNT 0, ARCOUNT 0 */
        0x01, 'a', 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x00,
        0x00, 0x01, 0x00, 0x01,         /* QTYPE A, QCLASS IN */
    };
    struct rtp_detect d;
    unsigned i;

    rtp_detect_init(&d);
    for (i = 0; i + 1 < RTP_DETECT_MAX_PACKETS; i++) {
        q[0] = (uint8_t)(0x80 | (i * 37) % 64);
        q[1] = (uint8_t)(i * 101);
        ck_assert_int_eq(rtp_detect_update(&d, i & 1u, q, sizeof(q), sizeof(q)),
                         RTP_DETECT_UNKNOWN);
    }
    ck_assert_int_eq(rtp_detect_update(&d, 0, q, sizeof(q), sizeof(q)),
                     RTP_DETECT_NOT_RTP);
}
END_TEST

START_TEST(test_detect_stun_dtls_quic_not_rtp)
{
    static const uint8_t stun[20] = {
        0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    };
    static const uint8_t dtls[16] = {
        0x17, 0xfe, 0xfd, 0x00, 0x01, 0x00, 0x00, 0x00,     /* app data */
        0x00, 0x00, 0x05, 0x00, 0x03, 0xaa, 0xbb, 0xcc,
    };
    /* QUIC v1 Initial: long header, then version 1. */
    static const uint8_t quic[16] = {
        0xc3, 0x00, 0x00, 0x00, 0x01, 0x08, 0x11, 0x22,
        0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00, 0x00,
    };
    /* An Initial with the fixed bit greased to 0 (RFC 9287): the first
     * octet reads as version 2 without CSRCs, and the "sequence number"
     * is the top half of the QUIC version: constant. */
    static const uint8_t quic_grease[16] = {
        0x80, 0x00, 0x00, 0x00, 0x01, 0x08, 0x11, 0x22,
        0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00, 0x00,
    };

    detect_never_rtp(stun, sizeof(stun));
    detect_never_rtp(dtls, sizeof(dtls));
    detect_never_rtp(quic, sizeof(quic));
    detect_never_rtp(quic_grease, sizeof(quic_grease));
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_seq_wrap)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    uint16_t seq = 65533;
    int i;

    rtp_stream_init(&s);
    /* 65533 65534 65535 0 1 2 3, in order, 20 ms apart. */
    for (i = 0; i < 7; i++)
        feed(&s, (uint16_t)(seq + i), 160u * (uint32_t)i, 20.0 * i, 0, 0);
    rtp_stream_summarize(&s, &o);
    ck_assert_uint_eq(o.packets, 7);
    /* tshark: 3 + 65536 * 1 - 65533 + 1 = 7 expected. */
    ck_assert_int_eq(o.expected, 7);
    ck_assert_int_eq(o.lost, 0);
    ck_assert_uint_eq(o.seq_errors, 0);
    ck_assert(!o.problem);
    /* RFC 3550: 65533 is probation, base 65534; highest 65536 + 3. */
    ck_assert(o.valid);
    ck_assert_uint_eq(o.ext_max_seq, 65539);
    ck_assert_int_eq(o.rfc_expected, 6);
    ck_assert_int_eq(o.rfc_received, 6);
    ck_assert_int_eq(o.rfc_lost, 0);
    ck_assert_uint_eq(s.rejected, 1);
}
END_TEST

START_TEST(test_seq_restart)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    int i;

    rtp_stream_init(&s);
    for (i = 0; i < 10; i++)                   /* 1000..1009 */
        feed(&s, (uint16_t)(1000 + i), 160u * (uint32_t)i, 20.0 * i, 0, 0);
    /* The sender restarts its numbering at 30000: beyond MAX_DROPOUT. */
    for (i = 0; i < 3; i++)                    /* 30000..30002 */
        feed(&s, (uint16_t)(30000 + i), 1600u + 160u * (uint32_t)i,
             200.0 + 20.0 * i, 0, 0);
    rtp_stream_summarize(&s, &o);
    ck_assert_uint_eq(o.packets, 13);
    /* A.1: 30000 is dropped as a jump, 30001 follows it: restart.
     * Segment 1: base 1001 (1000 was probation), 1001..1009 = 9 expected,
     * 9 received.  Segment 2: base 30001, 30001..30002 = 2 and 2. */
    ck_assert_uint_eq(o.restarts, 1);
    ck_assert_uint_eq(s.rejected, 2);
    ck_assert_int_eq(o.rfc_expected, 11);
    ck_assert_int_eq(o.rfc_received, 11);
    ck_assert_int_eq(o.rfc_lost, 0);
    /* tshark never restarts: 30002 - 1000 + 1 = 29003 expected. */
    ck_assert_int_eq(o.expected, 29003);
    ck_assert_int_eq(o.lost, 29003 - 13);
    ck_assert_uint_eq(o.seq_errors, 1);
    ck_assert(o.problem);
}
END_TEST

START_TEST(test_seq_probation)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;

    rtp_stream_init(&s);
    feed(&s, 5, 0, 0, 0, 0);
    feed(&s, 9, 640, 20, 0, 0);      /* not 6: probation starts over */
    rtp_stream_summarize(&s, &o);
    ck_assert(!o.valid);
    ck_assert_int_eq(o.rfc_expected, 0);
    ck_assert_int_eq(o.rfc_received, 0);
    feed(&s, 10, 800, 40, 0, 0);     /* follows 9: valid, base 10 */
    rtp_stream_summarize(&s, &o);
    ck_assert(o.valid);
    ck_assert_uint_eq(s.rejected, 2);
    ck_assert_int_eq(o.rfc_expected, 1);
    ck_assert_int_eq(o.rfc_received, 1);
}
END_TEST

START_TEST(test_seq_duplicates_and_reorder)
{
    static const uint16_t seqs[] = { 1, 2, 3, 4, 5, 5, 3, 7, 6, 8 };
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    size_t i;

    rtp_stream_init(&s);
    for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
        feed(&s, seqs[i], 160u * (seqs[i] - 1u), 20.0 * (double)i, 0, 0);
    rtp_stream_summarize(&s, &o);
    /* 5 again repeats the highest, 3 again is in the window: two
     * duplicates; 6 after 7 is late: one reordered. */
    ck_assert_uint_eq(o.duplicates, 2);
    ck_assert_uint_eq(o.reordered, 1);
    /* RFC: base 2, highest 8: 7 expected; 9 received (all but the
     * probation packet) -> lost -2. */
    ck_assert_int_eq(o.rfc_expected, 7);
    ck_assert_int_eq(o.rfc_received, 9);
    ck_assert_int_eq(o.rfc_lost, -2);
    /* tshark: 8 - 1 + 1 = 8 expected, 10 packets: lost -2, and four
     * sequence errors (5 again, 3 late, 7 skipping 6, 6 late). */
    ck_assert_uint_eq(o.packets, 10);
    ck_assert_int_eq(o.expected, 8);
    ck_assert_int_eq(o.lost, -2);
    ck_assert_uint_eq(o.seq_errors, 4);
    ck_assert(o.problem);
}
END_TEST

START_TEST(test_seq_window_far_back)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    int i;

    rtp_stream_init(&s);
    /* 1..200 without 110, then 110 (90 behind: late), then 110 again
     * (duplicate), then 50 (150 behind: beyond MAX_MISORDER, treated as
     * a jump and dropped). */
    for (i = 1; i <= 200; i++) {
        uint16_t q = (uint16_t)(i + (i >= 110));   /* skips 110 */

        feed(&s, q, 160u * q, 20.0 * i, 0, 0);
    }
    feed(&s, 110, 160u * 110, 20.0 * 201, 0, 0);
    feed(&s, 110, 160u * 110, 20.0 * 202, 0, 0);
    feed(&s, 50, 160u * 50, 20.0 * 203, 0, 0);
    rtp_stream_summarize(&s, &o);
    ck_assert_uint_eq(o.reordered, 1);
    ck_assert_uint_eq(o.duplicates, 1);
    ck_assert_uint_eq(s.rejected, 2);
    /* base 2, highest 201: 200 expected; received 199 + 110 twice. */
    ck_assert_int_eq(o.rfc_expected, 200);
    ck_assert_int_eq(o.rfc_received, 201);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_jitter_hand_computed)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;

    /* PCMU, 8000 Hz, 20 ms (160 ticks) per packet.
     *
     *   pkt  arrival ms  ts    arrival gap  nominal gap  |D| ms
     *   0      0          0        -            -          -
     *   1     20        160       20           20          0
     *   2     45        320       25           20          5
     *   3     60        480       15           20          5
     *   4     80        640       20           20          0
     *   5    100        800       20           20          0
     *
     * J_i = J_{i-1} + (|D| - J_{i-1}) / 16, in ms:
     *   J1 = 0
     *   J2 = 5 / 16                         = 0.3125
     *   J3 = 0.3125 + (5 - 0.3125) / 16     = 0.60546875
     *   J4 = 0.60546875 * 15 / 16           = 0.567626953125
     *   J5 = 0.567626953125 * 15 / 16       = 0.532150268554688 (rounded)
     *
     * The same in timestamp units is 8 times that; A.8 converted back:
     * 0.5321502685546875 ms.
     *
     * Wireshark's figures over packets 1..5:
     *   max jitter 0.60546875, min 0,
     *   mean = (0 + 0.3125 + 0.60546875 + 0.567626953125
     *           + 0.5321502685546875) / 5 = 2.0177459716796875 / 5
     *        = 0.4035491943359375
     *   deltas 20 25 15 20 20: max 25, min 15, mean 20. */
    rtp_stream_init(&s);
    feed(&s, 1, 0, 0, 0, 0);
    feed(&s, 2, 160, 20, 0, 0);
    feed(&s, 3, 320, 45, 0, 0);
    feed(&s, 4, 480, 60, 0, 0);
    feed(&s, 5, 640, 80, 0, 0);
    feed(&s, 6, 800, 100, 0, 0);
    rtp_stream_summarize(&s, &o);

    ck_assert_double_eq_tol(o.jitter_ms, 0.5321502685546875, 1e-9);
    ck_assert_double_eq_tol(o.max_jitter_ms, 0.60546875, 1e-9);
    ck_assert_double_eq_tol(o.min_jitter_ms, 0.0, 1e-9);
    ck_assert_double_eq_tol(o.mean_jitter_ms, 0.4035491943359375, 1e-9);
    ck_assert_double_eq_tol(o.max_delta_ms, 25.0, 1e-9);
    ck_assert_double_eq_tol(o.min_delta_ms, 15.0, 1e-9);
    ck_assert_double_eq_tol(o.mean_delta_ms, 20.0, 1e-9);
    ck_assert_double_eq_tol(o.max_gap_ms, 25.0, 1e-9);
    ck_assert_int_eq(o.lost, 0);
}
END_TEST

START_TEST(test_jitter_clock_rate_zero)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    uint8_t buf[16];
    struct rtp_header h;
    int i;

    /* telephone-event: rate 0, so no jitter at all, but deltas count. */
    rtp_stream_init(&s);
    for (i = 0; i < 5; i++) {
        build_rtp(buf, (uint16_t)(i + 1), 8000, 7, 101, 0);
        ck_assert_int_eq(rtp_parse(buf, 16, 16, &h), RTP_OK);
        rtp_stream_update(&s, &h, 1000 + 20000 * (int64_t)i + 3000 * (i & 1),
                          rtp_clock_rate_for(101, "telephone-event", 8000),
                          46);
    }
    rtp_stream_summarize(&s, &o);
    ck_assert_double_eq_tol(o.jitter_ms, 0, 1e-12);
    ck_assert_double_eq_tol(o.max_jitter_ms, 0, 1e-12);
    ck_assert_double_eq_tol(o.max_delta_ms, 23, 1e-9);
    ck_assert_double_eq_tol(o.min_delta_ms, 17, 1e-9);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_loss_and_max_delta)
{
    static const uint16_t seqs[] = { 1, 2, 3, 7, 8, 9, 10 };
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    size_t i;

    /* Packets 4, 5, 6 lost: 7 arrives 80 ms after 3. */
    rtp_stream_init(&s);
    for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
        feed(&s, seqs[i], 160u * (seqs[i] - 1u), 20.0 * (seqs[i] - 1), 0, 0);
    rtp_stream_summarize(&s, &o);
    ck_assert_uint_eq(o.packets, 7);
    ck_assert_int_eq(o.expected, 10);
    ck_assert_int_eq(o.lost, 3);
    ck_assert_double_eq_tol(o.lost_pct, 30.0, 1e-9);
    ck_assert_uint_eq(o.seq_errors, 1);
    ck_assert(o.problem);
    ck_assert_double_eq_tol(o.max_delta_ms, 80.0, 1e-9);
    ck_assert_double_eq_tol(o.min_delta_ms, 20.0, 1e-9);
    ck_assert_double_eq_tol(o.max_gap_ms, 80.0, 1e-9);
    /* The gap is in the timestamps too, so no jitter. */
    ck_assert_double_eq_tol(o.max_jitter_ms, 0.0, 1e-9);
    /* RFC: base 2, highest 10: 9 expected, 6 received. */
    ck_assert_int_eq(o.rfc_expected, 9);
    ck_assert_int_eq(o.rfc_lost, 3);
}
END_TEST

START_TEST(test_marker_and_cn_skip_max_delta)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;

    rtp_stream_init(&s);
    feed(&s, 1, 0, 0, 0, 0);
    feed(&s, 2, 160, 20, 0, 0);
    feed(&s, 3, 320, 40, RTP_PT_CN, 0);      /* comfort noise */
    feed(&s, 4, 8320, 1040, 0, 1);           /* talk spurt after 1 s */
    feed(&s, 5, 8480, 1060, 0, 0);
    feed(&s, 6, 8640, 1080, 8, 0);           /* switch to PCMA */
    rtp_stream_summarize(&s, &o);
    /* The 1000 ms gap is on a marked packet: not in Max Delta. */
    ck_assert_double_eq_tol(o.max_delta_ms, 20.0, 1e-9);
    ck_assert_double_eq_tol(o.max_gap_ms, 1000.0, 1e-9);
    ck_assert_uint_eq(s.markers, 1);
    ck_assert_uint_eq(s.comfort_noise, 1);
    ck_assert_uint_eq(s.pt_changes, 3);
    ck_assert_uint_eq(s.first_pt, 0);
    ck_assert_uint_eq(s.last_pt, 8);
    ck_assert_uint_eq(s.pt_seen[0], (1u << 0) | (1u << 8) | (1u << 13));
    ck_assert_uint_eq(s.pt_seen[1], 0);
    ck_assert_uint_eq(s.dscp_seen, (uint64_t)1 << 46);
    ck_assert_uint_eq(s.ssrc, 0x01020304);
    ck_assert_uint_eq(s.payload_bytes, 6 * 4);
    ck_assert_int_eq(o.lost, 0);
    ck_assert(!o.problem);
    ck_assert_double_eq_tol(o.start_s, 1700000000.0, 1e-6);
    ck_assert_double_eq_tol(o.end_s, 1700000001.08, 1e-6);
}
END_TEST

/* The next two streams were also written to pcaps and run through
 * "tshark -q -z rtp,streams" (Wireshark 4.0.17); the expected values are
 * what it printed (3 decimals, hence the tolerance). */
#define TSHARK_TOL 0.0005

START_TEST(test_tshark_reorder_and_duplicate)
{
    /* seq (ts = 160 * (seq - 1000)) @ arrival ms: 1000..1004 every 20 ms
     * from 0, then 1006 @120, 1005 @120.5 (late), 1007 @140 .. 1010 @200,
     * 1010 again @201, 1011 @220 .. 1019 @380. */
    static const struct {
        uint16_t seq;
        double t;
    } pk[] = {
        { 1000, 0 }, { 1001, 20 }, { 1002, 40 }, { 1003, 60 }, { 1004, 80 },
        { 1006, 120 }, { 1005, 120.5 }, { 1007, 140 }, { 1008, 160 },
        { 1009, 180 }, { 1010, 200 }, { 1010, 201 }, { 1011, 220 },
        { 1012, 240 }, { 1013, 260 }, { 1014, 280 }, { 1015, 300 },
        { 1016, 320 }, { 1017, 340 }, { 1018, 360 }, { 1019, 380 },
    };
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    size_t i;

    rtp_stream_init(&s);
    for (i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
        feed(&s, pk[i].seq, 160000u + 160u * (pk[i].seq - 1000u), pk[i].t,
             0, 0);
    rtp_stream_summarize(&s, &o);
    /* tshark: Pkts 21, Lost -1 (-5.0%), Min/Mean/Max Delta 0.500 19.000
     * 40.000, Min/Mean/Max Jitter 0.000 1.291 2.482, Problems X. */
    ck_assert_uint_eq(o.packets, 21);
    ck_assert_int_eq(o.lost, -1);
    ck_assert_double_eq_tol(o.lost_pct, -5.0, 0.05);
    ck_assert_double_eq_tol(o.min_delta_ms, 0.5, TSHARK_TOL);
    ck_assert_double_eq_tol(o.mean_delta_ms, 19.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.max_delta_ms, 40.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.min_jitter_ms, 0.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.mean_jitter_ms, 1.291, TSHARK_TOL);
    ck_assert_double_eq_tol(o.max_jitter_ms, 2.482, TSHARK_TOL);
    ck_assert(o.problem);
}
END_TEST

START_TEST(test_tshark_timestamp_before_first)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;
    int i;

    /* The first two packets swapped: 501 (ts +160) @0, then 500 (ts +0)
     * @20, whose timestamp is before the first packet's: not "in time",
     * so it counts no wrap, enters no min/mean/max and moves no time
     * reference.  Then 502..509 every 20 ms. */
    rtp_stream_init(&s);
    feed(&s, 501, 160000u + 160u, 0, 0, 0);
    feed(&s, 500, 160000u, 20, 0, 0);
    for (i = 2; i < 10; i++)
        feed(&s, (uint16_t)(500 + i), 160000u + 160u * (uint32_t)i, 20.0 * i,
             0, 0);
    rtp_stream_summarize(&s, &o);
    /* tshark: Pkts 10, Lost -1 (-11.1%), Min/Mean/Max Delta 20.000 20.000
     * 40.000, Min/Mean/Max Jitter 0.796 0.896 1.250, Problems X. */
    ck_assert_uint_eq(o.packets, 10);
    ck_assert_int_eq(o.expected, 9);
    ck_assert_int_eq(o.lost, -1);
    ck_assert_double_eq_tol(o.min_delta_ms, 20.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.mean_delta_ms, 20.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.max_delta_ms, 40.0, TSHARK_TOL);
    ck_assert_double_eq_tol(o.min_jitter_ms, 0.796, TSHARK_TOL);
    ck_assert_double_eq_tol(o.mean_jitter_ms, 0.896, TSHARK_TOL);
    ck_assert_double_eq_tol(o.max_jitter_ms, 1.250, TSHARK_TOL);
    ck_assert(o.problem);
}
END_TEST

START_TEST(test_summary_empty)
{
    struct rtp_stream_stats s;
    struct rtp_stream_summary o;

    rtp_stream_init(&s);
    rtp_stream_summarize(&s, &o);
    ck_assert_uint_eq(o.packets, 0);
    ck_assert_int_eq(o.expected, 0);
    ck_assert_int_eq(o.lost, 0);
    ck_assert(!o.valid);
}
END_TEST

static Suite *rtp_suite(void)
{
    Suite *s = suite_create("rtp");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_test(tc, test_parse_plain);
    tcase_add_test(tc, test_parse_csrc_extension_padding);
    tcase_add_test(tc, test_parse_truncations);
    tcase_add_test(tc, test_parse_bad_padding);
    tcase_add_test(tc, test_parse_bad_version);
    tcase_add_test(tc, test_parse_strict_rtcp);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("demux_and_clock");
    tcase_add_test(tc, test_demux);
    tcase_add_test(tc, test_clock_rates);
    suite_add_tcase(s, tc);

    tc = tcase_create("detect");
    tcase_add_test(tc, test_detect_rtp_with_ice_and_rtcp);
    tcase_add_test(tc, test_detect_run_breaks);
    tcase_add_test(tc, test_detect_dns_not_rtp);
    tcase_add_test(tc, test_detect_stun_dtls_quic_not_rtp);
    suite_add_tcase(s, tc);

    tc = tcase_create("sequence");
    tcase_add_test(tc, test_seq_wrap);
    tcase_add_test(tc, test_seq_restart);
    tcase_add_test(tc, test_seq_probation);
    tcase_add_test(tc, test_seq_duplicates_and_reorder);
    tcase_add_test(tc, test_seq_window_far_back);
    suite_add_tcase(s, tc);

    tc = tcase_create("jitter_and_delta");
    tcase_add_test(tc, test_jitter_hand_computed);
    tcase_add_test(tc, test_jitter_clock_rate_zero);
    tcase_add_test(tc, test_loss_and_max_delta);
    tcase_add_test(tc, test_marker_and_cn_skip_max_delta);
    tcase_add_test(tc, test_summary_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("tshark_agreement");
    tcase_add_test(tc, test_tshark_reorder_and_duplicate);
    tcase_add_test(tc, test_tshark_timestamp_before_first);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rtp_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
