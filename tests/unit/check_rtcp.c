/* Unit tests for RTCP compound parsing and the round-trip time helpers. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtcp.h"

/* SR + RR + SDES + BYE, as one datagram. */
static const uint8_t compound[] = {
    /* SR: V=2 P=0 RC=1, PT 200, length 12 words (52 bytes) */
    0x81, 0xc8, 0x00, 0x0c,
    0x11, 0x22, 0x33, 0x44,             /* sender SSRC */
    0xe4, 0xb3, 0xa1, 0xc2,             /* NTP seconds */
    0x80, 0x00, 0x00, 0x00,             /* NTP fraction (.5 s) */
    0x00, 0x01, 0x23, 0x40,             /* RTP timestamp */
    0x00, 0x00, 0x00, 0x64,             /* sender's packet count 100 */
    0x00, 0x00, 0x3e, 0x80,             /* sender's octet count 16000 */
    0xaa, 0xbb, 0xcc, 0xdd,             /* block: SSRC */
    0x19, 0xff, 0xff, 0xfe,             /* fraction 25/256, cum. lost -2 */
    0x00, 0x01, 0x00, 0x2a,             /* ext. highest seq: cycle 1, 42 */
    0x00, 0x00, 0x00, 0x20,             /* jitter 32 */
    0xb7, 0x05, 0x20, 0x00,             /* LSR */
    0x00, 0x05, 0x40, 0x00,             /* DLSR 5.25 s */
    /* RR: RC=1, PT 201, length 7 (32 bytes) */
    0x81, 0xc9, 0x00, 0x07,
    0x55, 0x66, 0x77, 0x88,             /* reporter SSRC */
    0x11, 0x22, 0x33, 0x44,             /* block: SSRC */
    0x00, 0x00, 0x00, 0x03,             /* fraction 0, cum. lost 3 */
    0x00, 0x00, 0x04, 0x00,             /* ext. highest seq 1024 */
    0x00, 0x00, 0x00, 0x10,             /* jitter 16 */
    0x00, 0x00, 0x00, 0x00,             /* LSR: no SR yet */
    0x00, 0x00, 0x00, 0x00,             /* DLSR */
    /* SDES: SC=1, PT 202, length 5 (24 bytes) */
    0x81, 0xca, 0x00, 0x05,
    0x11, 0x22, 0x33, 0x44,             /* chunk SSRC */
    0x01, 0x0b,                         /* CNAME, 11 bytes */
    'a', '@', 'h', 'o', 's', 't', '.', 't', 'e', 's', 't',
    0x00, 0x00, 0x00,                   /* end of items, pad to 32 bits */
    /* BYE: SC=1, PT 203, length 2 (12 bytes), with a reason */
    0x81, 0xcb, 0x00, 0x02,
    0x11, 0x22, 0x33, 0x44,             /* SSRC */
    0x03, 'b', 'y', 'e',                /* reason */
};
#define SR_LEN 52

START_TEST(test_compound)
{
    struct rtcp_compound c;
    const struct rtcp_report_block *b;

    ck_assert_int_eq(rtcp_parse(compound, sizeof(compound), sizeof(compound),
                                &c), RTCP_OK);
    ck_assert_uint_eq(c.packets, 4);
    ck_assert(!c.reduced_size);
    ck_assert_uint_eq(c.skipped, 0);

    ck_assert(c.has_sr);
    ck_assert_uint_eq(c.sr.ssrc, 0x11223344);
    ck_assert_uint_eq(c.sr.ntp_sec, 0xe4b3a1c2);
    ck_assert_uint_eq(c.sr.ntp_frac, 0x80000000);
    ck_assert_uint_eq(c.sr.rtp_ts, 0x12340);
    ck_assert_uint_eq(c.sr.packet_count, 100);
    ck_assert_uint_eq(c.sr.octet_count, 16000);

    ck_assert_uint_eq(c.rr_packets, 1);
    ck_assert_uint_eq(c.rr_ssrc, 0x55667788);

    ck_assert_uint_eq(c.block_count, 2);
    ck_assert_uint_eq(c.blocks_dropped, 0);
    b = &c.blocks[0];
    ck_assert_uint_eq(b->reporter_ssrc, 0x11223344);
    ck_assert_uint_eq(b->ssrc, 0xaabbccdd);
    ck_assert_uint_eq(b->fraction_lost, 25);
    ck_assert_int_eq(b->cumulative_lost, -2);
    ck_assert_uint_eq(b->ext_highest_seq, 0x1002a);
    ck_assert_uint_eq(b->jitter, 32);
    ck_assert_uint_eq(b->lsr, 0xb7052000);
    ck_assert_uint_eq(b->dlsr, 0x54000);
    b = &c.blocks[1];
    ck_assert_uint_eq(b->reporter_ssrc, 0x55667788);
    ck_assert_uint_eq(b->ssrc, 0x11223344);
    ck_assert_int_eq(b->cumulative_lost, 3);
    ck_assert_uint_eq(b->lsr, 0);

    ck_assert(c.has_cname);
    ck_assert_uint_eq(c.cname_ssrc, 0x11223344);
    ck_assert_str_eq(c.cname, "a@host.test");

    ck_assert_uint_eq(c.bye_packets, 1);
    ck_assert_uint_eq(c.bye_ssrc_count, 1);
    ck_assert_uint_eq(c.bye_ssrc, 0x11223344);
}
END_TEST

START_TEST(test_truncations)
{
    struct rtcp_compound c;
    size_t len;

    /* Cut by the snaplen anywhere, even between two packets. */
    for (len = 0; len < sizeof(compound); len++)
        ck_assert_int_eq(rtcp_parse(compound, len, sizeof(compound), &c),
                         RTCP_TRUNCATED);
    /* A datagram that really ends after the SR is a valid compound. */
    ck_assert_int_eq(rtcp_parse(compound, SR_LEN, SR_LEN, &c), RTCP_OK);
    ck_assert_uint_eq(c.packets, 1);
    /* One that ends inside the RR is not. */
    ck_assert_int_eq(rtcp_parse(compound, SR_LEN + 8, SR_LEN + 8, &c),
                     RTCP_TRUNCATED);
    ck_assert_uint_eq(c.packets, 1);
    ck_assert(c.has_sr);
}
END_TEST

START_TEST(test_malformed)
{
    uint8_t p[sizeof(compound) + 4];
    struct rtcp_compound c;

    /* Version 1 in the second packet. */
    memcpy(p, compound, sizeof(compound));
    p[SR_LEN] = 0x41;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound), sizeof(compound), &c),
                     RTCP_MALFORMED);
    ck_assert_uint_eq(c.packets, 1);

    /* A packet type outside 192-223. */
    memcpy(p, compound, sizeof(compound));
    p[SR_LEN + 1] = 0x96;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound), sizeof(compound), &c),
                     RTCP_MALFORMED);

    /* RR claiming two blocks in room for one. */
    memcpy(p, compound, sizeof(compound));
    p[SR_LEN] = 0x82;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound), sizeof(compound), &c),
                     RTCP_MALFORMED);

    /* Padding on a packet that is not the last (A.2). */
    memcpy(p, compound, sizeof(compound));
    p[0] |= 0x20;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound), sizeof(compound), &c),
                     RTCP_MALFORMED);

    /* CNAME length running past the SDES packet. */
    memcpy(p, compound, sizeof(compound));
    p[SR_LEN + 32 + 9] = 0x20;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound), sizeof(compound), &c),
                     RTCP_MALFORMED);

    /* Two stray bytes after the last packet. */
    memcpy(p, compound, sizeof(compound));
    p[sizeof(compound)] = 0x80;
    p[sizeof(compound) + 1] = 0xc9;
    ck_assert_int_eq(rtcp_parse(p, sizeof(compound) + 2,
                                sizeof(compound) + 2, &c), RTCP_TRUNCATED);
}
END_TEST

START_TEST(test_padding_last_packet)
{
    /* An RR with no blocks, padded by 4 octets (count 4). */
    static const uint8_t rr[] = {
        0xa0, 0xc9, 0x00, 0x02,         /* V=2 P=1 RC=0, RR, 12 bytes */
        0x01, 0x02, 0x03, 0x04,         /* SSRC */
        0x00, 0x00, 0x00, 0x04,         /* padding, count last */
    };
    uint8_t bad[sizeof(rr)];
    struct rtcp_compound c;

    ck_assert_int_eq(rtcp_parse(rr, sizeof(rr), sizeof(rr), &c), RTCP_OK);
    ck_assert_uint_eq(c.rr_packets, 1);
    ck_assert_uint_eq(c.rr_ssrc, 0x01020304);
    ck_assert_uint_eq(c.block_count, 0);

    memcpy(bad, rr, sizeof(rr));
    bad[sizeof(bad) - 1] = 0;           /* count 0 */
    ck_assert_int_eq(rtcp_parse(bad, sizeof(bad), sizeof(bad), &c),
                     RTCP_MALFORMED);
    bad[sizeof(bad) - 1] = 9;           /* eats the header */
    ck_assert_int_eq(rtcp_parse(bad, sizeof(bad), sizeof(bad), &c),
                     RTCP_MALFORMED);
}
END_TEST

START_TEST(test_reduced_size_and_skipped)
{
    /* RFC 5506: a lone PSFB (PLI), then an APP packet. */
    static const uint8_t pkt[] = {
        0x81, 0xce, 0x00, 0x02,         /* FMT 1 (PLI), PSFB, 12 bytes */
        0x01, 0x02, 0x03, 0x04,         /* sender SSRC */
        0x05, 0x06, 0x07, 0x08,         /* media SSRC */
        0x80, 0xcc, 0x00, 0x02,         /* APP, 12 bytes */
        0x01, 0x02, 0x03, 0x04,         /* SSRC */
        'n', 'a', 'm', 'e',             /* name */
    };
    struct rtcp_compound c;

    ck_assert_int_eq(rtcp_parse(pkt, sizeof(pkt), sizeof(pkt), &c), RTCP_OK);
    ck_assert(c.reduced_size);
    ck_assert_uint_eq(c.packets, 2);
    ck_assert_uint_eq(c.skipped, 2);
    ck_assert(!c.has_sr);
}
END_TEST

START_TEST(test_blocks_dropped)
{
    /* An SR with 31 blocks and an RR with one more: 32 blocks, 31 kept. */
    uint8_t p[4 + 4 + 20 + 31 * 24 + 8 + 24];
    size_t rr = 4 + 4 + 20 + 31 * 24;
    struct rtcp_compound c;

    memset(p, 0, sizeof(p));
    p[0] = 0x80 | 31;
    p[1] = 200;
    p[2] = (uint8_t)((rr / 4 - 1) >> 8);
    p[3] = (uint8_t)(rr / 4 - 1);
    p[rr] = 0x81;
    p[rr + 1] = 201;
    p[rr + 3] = 7;
    p[rr + 8 + 3] = 0x99;               /* the 32nd block's SSRC */
    ck_assert_int_eq(rtcp_parse(p, sizeof(p), sizeof(p), &c), RTCP_OK);
    ck_assert_uint_eq(c.block_count, RTCP_MAX_REPORT_BLOCKS);
    ck_assert_uint_eq(c.blocks_dropped, 1);
}
END_TEST

START_TEST(test_looks_like)
{
    static const uint8_t rtp[] = { 0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0,
                                   0, 0, 0, 1 };
    static const uint8_t stun[] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12,
                                    0xa4, 0x42 };
    static const uint8_t rtpfb[] = { 0x81, 0xcd, 0x00, 0x01, 1, 2, 3, 4 };

    ck_assert(rtcp_looks_like(compound, sizeof(compound)));
    ck_assert(rtcp_looks_like(compound, SR_LEN));
    ck_assert(!rtcp_looks_like(compound, SR_LEN - 4));  /* length won't fit */
    ck_assert(!rtcp_looks_like(compound, 3));
    ck_assert(rtcp_looks_like(rtpfb, sizeof(rtpfb)));
    ck_assert(!rtcp_looks_like(rtp, sizeof(rtp)));
    ck_assert(!rtcp_looks_like(stun, sizeof(stun)));
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(rtcp_status_name(RTCP_OK), "ok");
    ck_assert_str_eq(rtcp_status_name(RTCP_TRUNCATED), "truncated");
    ck_assert_str_eq(rtcp_status_name(RTCP_MALFORMED), "malformed");
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_rtt_rfc3550_example)
{
    /* RFC 3550 6.4.1, figure 2: the SR left at 46853.125 s (LSR
     * 0xb705:2000), the receiver held it 5.25 s (DLSR 0x0005:4000) and the
     * RR arrived at 46864.500 s (A 0xb710:8000): RTT 0x0006:2000 =
     * 6.125 s. */
    ck_assert_int_eq(rtcp_rtt_us(0xb7108000u, 0xb7052000u, 0x00054000u),
                     6125000);
    /* No SR received yet. */
    ck_assert_int_eq(rtcp_rtt_us(0xb7108000u, 0, 0x00054000u), -1);
    /* DLSR longer than A - LSR: clocks disagree. */
    ck_assert_int_eq(rtcp_rtt_us(0xb7108000u, 0xb7052000u, 0x00100000u), -1);
    /* A wrapped past 2^32 since LSR: modular arithmetic still holds. */
    ck_assert_int_eq(rtcp_rtt_us(0x00008000u, 0xffff8000u, 0x00008000u),
                     500000);
}
END_TEST

START_TEST(test_ntp_middle32)
{
    /* 10 Nov 1995 11:33:25.125 UTC (the example's SR) is Unix time
     * 816003205.125, NTP seconds 3024992005 = 0xb44db705: low 16 bits
     * 0xb705, and .125 s is 0x2000 in 1/65536 s. */
    ck_assert_uint_eq(rtcp_ntp_middle32_from_us(816003205125000), 0xb7052000u);
    /* The Unix epoch is NTP 2208988800 = 0x83aa7e80. */
    ck_assert_uint_eq(rtcp_ntp_middle32_from_us(0), 0x7e800000u);
    ck_assert_uint_eq(rtcp_ntp_middle32(0x83aa7e80u, 0x80000000u),
                      0x7e808000u);
    /* 2036-02-07 06:28:16 UTC: NTP era 1 starts, seconds wrap to 0. */
    ck_assert_uint_eq(rtcp_ntp_middle32_from_us(2085978496000000), 0);
}
END_TEST

START_TEST(test_rtt_passive)
{
    /* SR seen at 10 s, RR with DLSR 5.25 s seen at 16.5 s: 1.25 s. */
    ck_assert_int_eq(rtcp_rtt_passive_us(10000000, 16500000, 0x00054000u),
                     1250000);
    ck_assert_int_eq(rtcp_rtt_passive_us(10000000, 15000000, 0x00054000u),
                     -1);
}
END_TEST

static Suite *rtcp_suite(void)
{
    Suite *s = suite_create("rtcp");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_test(tc, test_compound);
    tcase_add_test(tc, test_truncations);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_padding_last_packet);
    tcase_add_test(tc, test_reduced_size_and_skipped);
    tcase_add_test(tc, test_blocks_dropped);
    tcase_add_test(tc, test_looks_like);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("rtt");
    tcase_add_test(tc, test_rtt_rfc3550_example);
    tcase_add_test(tc, test_ntp_middle32);
    tcase_add_test(tc, test_rtt_passive);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rtcp_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
