/* A bounded time series of one RTP stream, for the report's plots:
 * packets, packets lost and jitter per interval of the stream's life.
 *
 * Intervals start at the stream's first packet and last one second;
 * when a stream outlives RTP_SERIES_MAX intervals, neighbours are merged
 * pairwise and the interval doubles (2 s, 4 s, ...), so a series never
 * holds more than RTP_SERIES_MAX points whatever the stream's length.
 *
 * Cost: O(1) per packet (an interval is measured when the first packet
 * of a later one arrives, and merging is amortised over the packets that
 * filled the series); the points grow by doubling up to RTP_SERIES_MAX,
 * so there is no allocation per packet.  Pure apart from that memory: no
 * I/O, no globals. */
#ifndef RINGSCOPE_RTP_SERIES_H
#define RINGSCOPE_RTP_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "rtp.h"

#define RTP_SERIES_MAX 600

/* Longest interval: beyond it (34 years) nothing is merged any more and
 * later packets count in the last point. */
#define RTP_SERIES_BUCKET_MAX_S (UINT32_C(1) << 30)

/* One interval. */
struct rtp_series_point {
    uint32_t packets;           /* packets that arrived in it */
    int32_t lost;               /* growth of tshark's lost count (expected
                                   minus packets) over it: what the
                                   packets arriving in it showed missing;
                                   negative with duplicates */
    float jitter_ms;            /* RFC 3550 A.8 jitter estimate after its
                                   last packet (the largest one when
                                   intervals were merged); 0 when empty */
};

/* All zero bytes are the empty series (so is rtp_series_init()). */
struct rtp_series {
    int64_t start_us;           /* first packet's arrival */
    int64_t edge_us;            /* end of the open (last) interval */
    int64_t lost_mark;          /* tshark lost when it opened */
    uint32_t bucket_s;          /* interval length */
    uint32_t n;                 /* intervals, the open one included */
    uint32_t cap;               /* points allocated */
    uint32_t open_packets;      /* packets of the open interval not yet
                                   added to its point: counting them here,
                                   beside the edge, spares each packet a
                                   visit to the points array */
    bool failed;                /* out of memory: no more points */
    bool finished;
    struct rtp_series_point *points;
};

void rtp_series_init(struct rtp_series *s);

/* Frees the points; the series is empty afterwards. */
void rtp_series_release(struct rtp_series *s);

/* Accounts one packet arriving at ts_us.  st holds the stream's
 * statistics BEFORE this packet is added (rtp_stream_update() comes
 * after): when the packet opens a new interval, the previous one is
 * measured from them.  Returns 0, or -1 when memory ran out on this
 * packet (once: the series keeps what it has and ignores later packets,
 * returning 0). */
int rtp_series_packet(struct rtp_series *s, int64_t ts_us,
                      const struct rtp_stream_stats *st);

/* Measures the open interval from the final statistics.  Call once,
 * after the stream's last packet; later packets are ignored. */
void rtp_series_finish(struct rtp_series *s,
                       const struct rtp_stream_stats *st);

#endif
