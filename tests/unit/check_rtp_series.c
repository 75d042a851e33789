/* Unit tests for the per-interval time series of an RTP stream. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtp.h"
#include "rtp_series.h"

#define T0_US INT64_C(1700000000000000)

/* A stream fed the way the media stage feeds it: the series sees each
 * packet before the statistics do. */
struct stream {
    struct rtp_stream_stats stats;
    struct rtp_series series;
};

static void stream_init(struct stream *s)
{
    rtp_stream_init(&s->stats);
    rtp_series_init(&s->series);
}

/* One PCMU packet (20 ms of audio per sequence number) at t_ms. */
static void feed(struct stream *s, uint16_t seq, double t_ms)
{
    uint8_t buf[16] = {
        0x80, 0x00, (uint8_t)(seq >> 8), (uint8_t)seq,
        0, 0, 0, 0,                     /* timestamp, set below */
        0x01, 0x02, 0x03, 0x04,         /* SSRC */
        0xd5, 0xd5, 0xd5, 0xd5,
    };
    uint32_t ts = (uint32_t)seq * 160;
    int64_t at = T0_US + (int64_t)(t_ms * 1000);
    struct rtp_header h;

    buf[4] = (uint8_t)(ts >> 24);
    buf[5] = (uint8_t)(ts >> 16);
    buf[6] = (uint8_t)(ts >> 8);
    buf[7] = (uint8_t)ts;
    ck_assert_int_eq(rtp_parse(buf, sizeof(buf), sizeof(buf), &h), RTP_OK);
    ck_assert_int_eq(rtp_series_packet(&s->series, at, &s->stats), 0);
    rtp_stream_update(&s->stats, &h, at, 8000, 46);
}

START_TEST(test_empty)
{
    struct stream s;

    stream_init(&s);
    rtp_series_finish(&s.series, &s.stats);
    ck_assert_uint_eq(s.series.n, 0);
    ck_assert_ptr_null(s.series.points);
    rtp_series_release(&s.series);
}
END_TEST

START_TEST(test_intervals)
{
    struct stream s;
    const struct rtp_series_point *p;

    stream_init(&s);
    feed(&s, 100, 0);
    feed(&s, 101, 20);
    feed(&s, 102, 999.999);
    ck_assert_uint_eq(s.series.n, 1);
    feed(&s, 103, 1000);                /* opens the second second */
    feed(&s, 104, 3500);                /* the third stays empty */
    rtp_series_finish(&s.series, &s.stats);
    p = s.series.points;
    ck_assert_uint_eq(s.series.bucket_s, 1);
    ck_assert_uint_eq(s.series.n, 4);
    ck_assert_uint_eq(p[0].packets, 3);
    ck_assert_uint_eq(p[1].packets, 1);
    ck_assert_uint_eq(p[2].packets, 0);
    ck_assert_int_eq(p[2].lost, 0);
    ck_assert_float_eq(p[2].jitter_ms, 0);
    ck_assert_uint_eq(p[3].packets, 1);
    ck_assert_int_eq(p[0].lost + p[1].lost + p[3].lost, 0);
    rtp_series_release(&s.series);
    ck_assert_uint_eq(s.series.n, 0);
}
END_TEST

/* Loss shows in the interval of the packet that revealed it, and the
 * intervals add up to tshark's lost count of the whole stream. */
START_TEST(test_loss)
{
    struct stream s;
    struct rtp_stream_summary sum;
    uint16_t seq;
    int64_t total = 0;
    uint32_t i;

    stream_init(&s);
    for (seq = 0; seq < 100; seq++) {
        /* Five packets lost: seq 60..64 are missing, which seq 65 shows
         * at 1.3 s, in the second interval. */
        uint16_t real = seq < 60 ? seq : (uint16_t)(seq + 5);

        feed(&s, real, (double)real * 20);
    }
    rtp_series_finish(&s.series, &s.stats);
    rtp_stream_summarize(&s.stats, &sum);
    ck_assert_int_eq(sum.lost, 5);
    for (i = 0; i < s.series.n; i++)
        total += s.series.points[i].lost;
    ck_assert_int_eq(total, sum.lost);
    ck_assert_int_eq(s.series.points[0].lost, 0);
    ck_assert_int_eq(s.series.points[1].lost, 5);
    ck_assert_int_eq(s.series.points[2].lost, 0);
    /* Finishing twice counts nothing twice. */
    rtp_series_finish(&s.series, &s.stats);
    ck_assert_int_eq(s.series.points[1].lost, 5);
    rtp_series_release(&s.series);
}
END_TEST

/* 1300 s at two packets a second: 1 s intervals to 600 s, then 2 s to
 * 1200 s, then 4 s: 325 points, every packet counted once. */
START_TEST(test_merge)
{
    struct stream s;
    uint64_t packets = 0;
    uint32_t i;
    int k;

    stream_init(&s);
    for (k = 0; k < 2600; k++)
        feed(&s, (uint16_t)k, k * 500.0);
    rtp_series_finish(&s.series, &s.stats);
    ck_assert_uint_eq(s.series.bucket_s, 4);
    ck_assert_uint_eq(s.series.n, 325);
    ck_assert_uint_le(s.series.cap, RTP_SERIES_MAX);
    for (i = 0; i < s.series.n; i++) {
        packets += s.series.points[i].packets;
        ck_assert_uint_eq(s.series.points[i].packets, 8);
    }
    ck_assert_uint_eq(packets, 2600);
    rtp_series_release(&s.series);
}
END_TEST

/* A clock that jumps by decades, or by millennia beyond the longest
 * interval, keeps the series bounded. */
START_TEST(test_time_jump)
{
    struct stream s;

    stream_init(&s);
    feed(&s, 1, 0);
    feed(&s, 2, 1e12);                  /* 31 years later */
    feed(&s, 3, 1e12 + 20);
    ck_assert_uint_eq(s.series.bucket_s, UINT32_C(1) << 21);
    ck_assert_uint_eq(s.series.n, 477);
    /* The open interval counts its packets beside the points. */
    ck_assert_uint_eq(s.series.points[476].packets + s.series.open_packets,
                      2);
    feed(&s, 4, 1e15);                  /* 31,700 years later */
    feed(&s, 5, 1e15 + 20);
    rtp_series_finish(&s.series, &s.stats);
    ck_assert_uint_eq(s.series.bucket_s, RTP_SERIES_BUCKET_MAX_S);
    ck_assert_uint_eq(s.series.n, RTP_SERIES_MAX);
    ck_assert_uint_eq(s.series.points[0].packets, 3);
    ck_assert_uint_eq(s.series.points[RTP_SERIES_MAX - 1].packets, 2);
    rtp_series_release(&s.series);
}
END_TEST

static Suite *rtp_series_suite(void)
{
    Suite *s = suite_create("rtp_series");
    TCase *tc = tcase_create("series");

    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_intervals);
    tcase_add_test(tc, test_loss);
    tcase_add_test(tc, test_merge);
    tcase_add_test(tc, test_time_jump);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rtp_series_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
