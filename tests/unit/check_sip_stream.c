/* Unit tests for SIP over TCP reassembly and framing (sip_stream.h):
 * in-order, retransmitted, overlapping and out-of-order segments, gaps
 * that never fill, units larger than the bound, keep-alives, bytes that
 * are not SIP, and sequence numbers that wrap. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"
#include "sip_stream.h"

/* Two complete messages, back to back. */
static const char msg_a[] =
    "OPTIONS sip:a@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKa\r\n"
    "Call-ID: a\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";
static const char msg_b[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKa\r\n"
    "Call-ID: a\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

#define LEN_A (sizeof(msg_a) - 1)
#define LEN_B (sizeof(msg_b) - 1)

struct units {
    size_t n;
    enum sip_frame_status st[64];
    size_t len[64];
    char first[64];             /* first byte of each unit */
};

/* Takes every unit the stream has. */
static void drain(struct sip_stream *s, struct units *u)
{
    enum sip_frame_status st;
    const uint8_t *p;
    size_t len;

    for (st = sip_stream_next(s, &p, &len); st != SIP_FRAME_NEED_MORE;
         st = sip_stream_next(s, &p, &len)) {
        ck_assert_uint_lt(u->n, 64);
        ck_assert_ptr_nonnull(p);
        u->st[u->n] = st;
        u->len[u->n] = len;
        u->first[u->n] = (char)p[0];
        u->n++;
    }
}

static char both[LEN_A + LEN_B];

static void setup(void)
{
    memcpy(both, msg_a, LEN_A);
    memcpy(both + LEN_A, msg_b, LEN_B);
}

START_TEST(test_in_order_and_keepalives)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct sip_stream_stats st;
    struct units u = { 0 };

    sip_stream_begin(s, 100);
    sip_stream_segment(s, 100, (const uint8_t *)"\r\n\r\n", 4);
    sip_stream_segment(s, 104, (const uint8_t *)both, sizeof(both));
    sip_stream_segment(s, 104 + sizeof(both), (const uint8_t *)"\r\n", 2);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 4);
    ck_assert_int_eq(u.st[0], SIP_FRAME_PING);
    ck_assert_int_eq(u.st[1], SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(u.len[1], LEN_A);
    ck_assert_int_eq(u.st[2], SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(u.len[2], LEN_B);
    ck_assert_int_eq(u.first[2], 'S');
    ck_assert_int_eq(u.st[3], SIP_FRAME_PONG);
    ck_assert_uint_eq(sip_stream_pending(s), 0);
    sip_stream_get_stats(s, &st);
    ck_assert_uint_eq(st.segments, 3);
    ck_assert_uint_eq(st.messages, 2);
    ck_assert_uint_eq(st.keepalives, 2);
    sip_stream_free(s);
}
END_TEST

/* One byte at a time: nothing until the last byte of each message. */
START_TEST(test_byte_by_byte)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct units u = { 0 };
    size_t i;

    for (i = 0; i < LEN_A - 1; i++) {
        sip_stream_segment(s, 7000u + (uint32_t)i,
                           (const uint8_t *)both + i, 1);
        drain(s, &u);
    }
    ck_assert_uint_eq(u.n, 0);
    ck_assert_uint_eq(sip_stream_pending(s), LEN_A - 1);
    sip_stream_segment(s, 7000u + (uint32_t)(LEN_A - 1),
                       (const uint8_t *)both + LEN_A - 1, 1);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 1);
    ck_assert_uint_eq(u.len[0], LEN_A);
    sip_stream_free(s);
}
END_TEST

START_TEST(test_retransmission_and_overlap)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct sip_stream_stats st;
    struct units u = { 0 };
    uint32_t base = 5000;

    sip_stream_segment(s, base, (const uint8_t *)both, 60);
    sip_stream_segment(s, base, (const uint8_t *)both, 60);
    sip_stream_segment(s, base + 50, (const uint8_t *)both + 50,
                       sizeof(both) - 50);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 2);
    ck_assert_uint_eq(u.len[0], LEN_A);
    ck_assert_uint_eq(u.len[1], LEN_B);
    sip_stream_get_stats(s, &st);
    ck_assert_uint_eq(st.dup_bytes, 70);
    sip_stream_free(s);
}
END_TEST

START_TEST(test_out_of_order)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct sip_stream_stats st;
    struct units u = { 0 };
    uint32_t base = 1;

    sip_stream_begin(s, base);
    sip_stream_segment(s, base + 100, (const uint8_t *)both + 100,
                       sizeof(both) - 100);
    sip_stream_segment(s, base + 40, (const uint8_t *)both + 40, 60);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 0);
    sip_stream_segment(s, base, (const uint8_t *)both, 40);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 2);
    ck_assert_uint_eq(u.len[0], LEN_A);
    ck_assert_uint_eq(u.len[1], LEN_B);
    sip_stream_get_stats(s, &st);
    ck_assert_uint_eq(st.held_segments, 2);
    ck_assert_uint_eq(st.gaps, 0);
    sip_stream_free(s);
}
END_TEST

/* The first 30 bytes are never seen; once SIP_STREAM_MAX_HELD segments
 * wait, the gap is given up and the next message is still found. */
START_TEST(test_gap_given_up)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct sip_stream_stats st;
    struct units u = { 0 };
    uint32_t seq = 30;
    size_t i;

    sip_stream_begin(s, 0);
    sip_stream_segment(s, seq, (const uint8_t *)msg_a + 30, LEN_A - 30);
    seq += (uint32_t)(LEN_A - 30);
    for (i = 0; i < SIP_STREAM_MAX_HELD; i++) {
        sip_stream_segment(s, seq, (const uint8_t *)msg_b, LEN_B);
        seq += (uint32_t)LEN_B;
    }
    drain(s, &u);
    sip_stream_get_stats(s, &st);
    ck_assert_uint_eq(st.gaps, 1);
    ck_assert_uint_ge(u.n, SIP_STREAM_MAX_HELD - 1);
    ck_assert_int_eq(u.st[u.n - 1], SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(u.len[u.n - 1], LEN_B);
    ck_assert_uint_gt(st.skipped_bytes, 0);
    sip_stream_free(s);
}
END_TEST

/* A message larger than the bound is dropped with the rest of its
 * bytes; the next message, starting its own segment, is kept. */
START_TEST(test_overflow)
{
    struct sip_stream *s = sip_stream_new(1024);
    struct sip_stream_stats st;
    struct units u = { 0 };
    char big[1500];
    int n;

    n = snprintf(big, sizeof(big),
                 "MESSAGE sip:a@example.com SIP/2.0\r\n"
                 "Call-ID: big\r\nCSeq: 1 MESSAGE\r\n"
                 "Content-Length: 1200\r\n\r\n");
    memset(big + n, 'x', sizeof(big) - (size_t)n);
    sip_stream_segment(s, 0, (const uint8_t *)big, 600);
    sip_stream_segment(s, 600, (const uint8_t *)big + 600, 600);
    drain(s, &u);
    sip_stream_segment(s, 1200, (const uint8_t *)big + 1200, (size_t)n);
    sip_stream_segment(s, (uint32_t)n + 1200, (const uint8_t *)msg_b, LEN_B);
    drain(s, &u);
    sip_stream_get_stats(s, &st);
    ck_assert_uint_eq(st.overflows, 1);
    ck_assert_uint_eq(st.skipped_bytes, (uint64_t)n + 1200);
    ck_assert_uint_eq(u.n, 1);
    ck_assert_int_eq(u.st[0], SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(u.len[0], LEN_B);
    sip_stream_free(s);
}
END_TEST

/* Bytes that are not SIP come out as MALFORMED units, then the next
 * start line is framed. */
START_TEST(test_garbage_then_sip)
{
    static const char junk[] = "garbage line\r\nmore: junk\r\n";
    struct sip_stream *s = sip_stream_new(65536);
    struct units u = { 0 };

    sip_stream_segment(s, 10, (const uint8_t *)junk, sizeof(junk) - 1);
    sip_stream_segment(s, 10 + (uint32_t)(sizeof(junk) - 1),
                       (const uint8_t *)msg_b, LEN_B);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 3);
    ck_assert_int_eq(u.st[0], SIP_FRAME_MALFORMED);
    ck_assert_int_eq(u.st[1], SIP_FRAME_MALFORMED);
    ck_assert_int_eq(u.st[2], SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(u.len[2], LEN_B);
    sip_stream_free(s);
}
END_TEST

/* Sequence numbers wrap modulo 2^32 (RFC 9293 section 3.4). */
START_TEST(test_sequence_wrap)
{
    struct sip_stream *s = sip_stream_new(65536);
    struct units u = { 0 };
    uint32_t base = 0xffffffe0u;

    sip_stream_segment(s, base, (const uint8_t *)both, 100);
    sip_stream_segment(s, base + 100u, (const uint8_t *)both + 100,
                       sizeof(both) - 100);
    sip_stream_segment(s, base + 20u, (const uint8_t *)both + 20, 50);
    drain(s, &u);
    ck_assert_uint_eq(u.n, 2);
    ck_assert_uint_eq(u.len[0], LEN_A);
    ck_assert_uint_eq(u.len[1], LEN_B);
    sip_stream_free(s);
    sip_stream_free(NULL);
}
END_TEST

static Suite *sip_stream_suite(void)
{
    Suite *s = suite_create("sip_stream");
    TCase *tc;

    tc = tcase_create("order");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_in_order_and_keepalives);
    tcase_add_test(tc, test_byte_by_byte);
    tcase_add_test(tc, test_retransmission_and_overlap);
    tcase_add_test(tc, test_out_of_order);
    tcase_add_test(tc, test_sequence_wrap);
    suite_add_tcase(s, tc);

    tc = tcase_create("trouble");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_gap_given_up);
    tcase_add_test(tc, test_overflow);
    tcase_add_test(tc, test_garbage_then_sip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sip_stream_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
