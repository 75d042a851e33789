/* Per-interval packets, loss and jitter of an RTP stream (rtp_series.h). */
#include "config.h"

#include "rtp_series.h"

#include <stdlib.h>
#include <string.h>

/* Points allocated at first; doubled up to RTP_SERIES_MAX. */
#define RTP_SERIES_FIRST_CAP 16

void rtp_series_init(struct rtp_series *s)
{
    memset(s, 0, sizeof(*s));
}

void rtp_series_release(struct rtp_series *s)
{
    free(s->points);
    rtp_series_init(s);
}

static int32_t clamp_i32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)v;
}

static uint32_t add_u32(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static int reserve(struct rtp_series *s, uint32_t need)
{
    struct rtp_series_point *p;
    uint32_t cap = s->cap ? s->cap : RTP_SERIES_FIRST_CAP;

    if (need <= s->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    if (cap > RTP_SERIES_MAX)
        cap = RTP_SERIES_MAX;
    p = realloc(s->points, (size_t)cap * sizeof(*p));
    if (!p) {
        s->failed = true;
        return -1;
    }
    s->points = p;
    s->cap = cap;
    return 0;
}

/* Adds what the statistics say happened since the open interval began:
 * additive, so measuring the last point twice (when the series is full)
 * counts nothing twice. */
static void measure(struct rtp_series *s, const struct rtp_stream_stats *st)
{
    struct rtp_series_point *p = &s->points[s->n - 1];
    struct rtp_stream_summary sum;

    rtp_stream_summarize(st, &sum);
    p->lost = clamp_i32((int64_t)p->lost + sum.lost - s->lost_mark);
    s->lost_mark = sum.lost;
    if ((float)sum.jitter_ms > p->jitter_ms)
        p->jitter_ms = (float)sum.jitter_ms;
}

/* Adds the open interval's packets to its point. */
static void fold_open(struct rtp_series *s)
{
    struct rtp_series_point *p = &s->points[s->n - 1];

    p->packets = add_u32(p->packets, s->open_packets);
    s->open_packets = 0;
}

/* Halves the series: neighbours merged, the interval doubled. */
static void merge(struct rtp_series *s)
{
    uint32_t i, n = (s->n + 1) / 2;

    for (i = 0; i < n; i++) {
        struct rtp_series_point a = s->points[2 * i];

        if (2 * i + 1 < s->n) {
            const struct rtp_series_point *b = &s->points[2 * i + 1];

            a.packets = add_u32(a.packets, b->packets);
            a.lost = clamp_i32((int64_t)a.lost + b->lost);
            if (b->jitter_ms > a.jitter_ms)
                a.jitter_ms = b->jitter_ms;
        }
        s->points[i] = a;
    }
    s->n = n;
    s->bucket_s *= 2;
}

static int64_t interval_of(const struct rtp_series *s, int64_t ts_us)
{
    return (ts_us - s->start_us) / ((int64_t)s->bucket_s * 1000000);
}

int rtp_series_packet(struct rtp_series *s, int64_t ts_us,
                      const struct rtp_stream_stats *st)
{
    int64_t k;

    if (s->failed || s->finished)
        return 0;
    if (s->n == 0) {
        if (reserve(s, 1) != 0)
            return -1;
        s->start_us = ts_us;
        s->bucket_s = 1;
        s->n = 1;
        s->lost_mark = 0;
        memset(&s->points[0], 0, sizeof(s->points[0]));
        s->open_packets = 1;
        s->edge_us = ts_us + 1000000;
        return 0;
    }
    if (ts_us < s->edge_us) {
        if (s->open_packets < UINT32_MAX)
            s->open_packets++;
        return 0;
    }
    fold_open(s);
    measure(s, st);
    k = interval_of(s, ts_us);
    while (k >= RTP_SERIES_MAX && s->bucket_s < RTP_SERIES_BUCKET_MAX_S) {
        merge(s);
        k = interval_of(s, ts_us);
    }
    if (k >= RTP_SERIES_MAX)
        k = RTP_SERIES_MAX - 1;
    if (k >= s->n) {
        if (reserve(s, (uint32_t)k + 1) != 0)
            return -1;
        memset(&s->points[s->n], 0,
               (size_t)((uint32_t)k + 1 - s->n) * sizeof(s->points[0]));
        s->n = (uint32_t)k + 1;
    }
    s->open_packets = 1;
    s->edge_us = k == RTP_SERIES_MAX - 1 &&
                         s->bucket_s >= RTP_SERIES_BUCKET_MAX_S
                     ? INT64_MAX
                     : s->start_us + (k + 1) * (int64_t)s->bucket_s * 1000000;
    return 0;
}

void rtp_series_finish(struct rtp_series *s,
                       const struct rtp_stream_stats *st)
{
    if (s->n > 0 && !s->finished) {
        fold_open(s);
        measure(s, st);
    }
    s->finished = true;
}
