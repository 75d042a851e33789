/* Unit tests for the TCP sequence analysis (tcp_analysis.h) and the
 * transport health stage (analyzer_tcp.h).
 *
 * The expected flags of every row of the flag tables are what tshark 4.0
 * (Debian 12, default preferences) reports for the same segments written
 * to a pcap between 10.0.0.1:40000 (side 0) and 10.0.0.2:443 (side 1),
 * times counted from T0.  Span-port duplicates are our own extension and
 * are checked separately. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "analyzer_tcp.h"
#include "decode.h"
#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "packet.h"
#include "sink.h"
#include "tcp_analysis.h"
#include "tcp_record.h"

/* A capture time far from the epoch: Wireshark takes a SYN stamped at
 * time zero for "no SYN seen". */
#define T0 INT64_C(1700000000000000)

/* One segment and the flags expected for it. */
struct row {
    int64_t t_us;       /* after T0 */
    unsigned side;
    uint8_t flags;
    uint32_t seq;
    uint32_t ack;
    uint32_t len;
    uint16_t win;
    int8_t ws;          /* window scale option, -1 none */
    uint32_t expect;
};

/* Every frame gets its own non-zero IP ID, as a real sender would, so
 * that no row looks like a span-port copy. */
static void row_segment(struct tcp_segment *s, const struct row *r,
                        uint64_t frame)
{
    memset(s, 0, sizeof(*s));
    s->frame = frame;
    s->ts_us = T0 + r->t_us;
    s->seq = r->seq;
    s->ack = r->ack;
    s->len = r->len;
    s->window = r->win;
    s->flags = r->flags;
    s->wscale = r->ws;
    s->ip_version = 4;
    s->ttl = 64;
    s->ip_id = (uint16_t)frame;
    s->ip_checksum = (uint16_t)(0x1000 + frame);
    s->tcp_checksum = (uint16_t)(0x2000 + frame);
}

/* Feeds the rows in order (frames 1..n) and checks each one's flags. */
static void run_rows(struct tcp_analysis *ta, const struct row *rows,
                     size_t n)
{
    struct tcp_segment s;
    uint32_t got;
    size_t i;

    for (i = 0; i < n; i++) {
        row_segment(&s, &rows[i], i + 1);
        got = tcp_analysis_segment(ta, rows[i].side, &s);
        ck_assert_msg(got == rows[i].expect,
                      "frame %zu: flags 0x%x, expected 0x%x", i + 1,
                      (unsigned)got, (unsigned)rows[i].expect);
    }
}

static void run_fresh(struct tcp_analysis *ta, const struct row *rows,
                      size_t n)
{
    tcp_analysis_init(ta);
    run_rows(ta, rows, n);
}

/* --- flag tables, as tshark 4.0 flags them ------------------------------
 *   { time, side, TCP flags, seq, ack, len, window, wscale, expected } */

static const struct row rows_clean[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {50000, 1, TCP_PSH | TCP_ACK, 5001, 1101, 200, 509, -1, 0},
    {60000, 0, TCP_ACK, 1101, 5201, 0, 502, -1, 0},
};

static const struct row rows_retrans[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {230000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
    {240000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
};

static const struct row rows_fast[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {30200, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_WINDOW_UPDATE},
    {40100, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {40200, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {45000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_FAST_RETRANSMISSION},
};

static const struct row rows_fast_late[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {30200, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_WINDOW_UPDATE},
    {40100, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {40200, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {60200, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
};

static const struct row rows_spurious[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {240000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_SPURIOUS_RETRANSMISSION},
};

static const struct row rows_ooo_default[] = {
    {0, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {1000, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1, TCP_AF_LOST_SEGMENT},
    {3000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, TCP_AF_OUT_OF_ORDER},
    {10000, 0, TCP_PSH | TCP_ACK, 1401, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
    {13500, 0, TCP_PSH | TCP_ACK, 1301, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
};

static const struct row rows_ooo_irtt[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
    {40000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_OUT_OF_ORDER},
    {50000, 0, TCP_PSH | TCP_ACK, 1301, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
    {75000, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
};

static const struct row rows_lost[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
    {40000, 0, TCP_RST | TCP_ACK, 1301, 5001, 0, 0, -1, 0},
};

static const struct row rows_ack_unseen[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_PSH | TCP_ACK, 5001, 1001, 100, 509, -1, 0},
    {40000, 0, TCP_ACK, 1001, 5201, 0, 502, -1, TCP_AF_ACK_LOST_SEGMENT},
    {50000, 0, TCP_ACK, 1001, 5201, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
    {60000, 1, TCP_PSH | TCP_ACK, 5201, 1001, 100, 509, -1,
     TCP_AF_LOST_SEGMENT},
    {70000, 0, TCP_ACK, 1001, 5301, 0, 502, -1, TCP_AF_ACK_LOST_SEGMENT},
};

static const struct row rows_dupack[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_PSH | TCP_ACK, 5001, 1001, 100, 509, -1, 0},
    {40000, 0, TCP_ACK, 1001, 5101, 0, 502, -1, 0},
    {50000, 0, TCP_ACK, 1001, 5101, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
    {60000, 0, TCP_ACK, 1001, 5101, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
    {70000, 0, TCP_ACK, 1001, 5101, 0, 600, -1, TCP_AF_WINDOW_UPDATE},
    {80000, 0, TCP_ACK, 1001, 5101, 0, 600, -1, TCP_AF_DUPLICATE_ACK},
    {90000, 0, TCP_FIN | TCP_ACK, 1001, 5101, 0, 600, -1, 0},
};

static const struct row rows_keepalive[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {45040000, 0, TCP_ACK, 1100, 5001, 0, 502, -1, TCP_AF_KEEP_ALIVE},
    {45041000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, TCP_AF_KEEP_ALIVE_ACK},
    {90040000, 0, TCP_ACK, 1100, 5001, 1, 502, -1, TCP_AF_KEEP_ALIVE},
    {90041000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, TCP_AF_KEEP_ALIVE_ACK},
};

static const struct row rows_zero_window[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_PSH | TCP_ACK, 5001, 1001, 100, 509, -1, 0},
    {40000, 0, TCP_ACK, 1001, 5101, 0, 0, -1, TCP_AF_ZERO_WINDOW},
    {240000, 1, TCP_ACK, 5101, 1001, 1, 509, -1, TCP_AF_ZERO_WINDOW_PROBE},
    {241000, 0, TCP_ACK, 1001, 5101, 0, 0, -1,
     TCP_AF_ZERO_WINDOW | TCP_AF_ZERO_WINDOW_PROBE_ACK},
    {500000, 0, TCP_ACK, 1001, 5101, 0, 502, -1, TCP_AF_WINDOW_UPDATE},
    {510000, 1, TCP_PSH | TCP_ACK, 5101, 1001, 100, 509, -1, 0},
};

static const struct row rows_window_full[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {25000, 1, TCP_ACK, 5001, 1001, 0, 502, -1, TCP_AF_WINDOW_UPDATE},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 32128, 502, -1, 0},
    {31000, 0, TCP_PSH | TCP_ACK, 33129, 5001, 32128, 502, -1,
     TCP_AF_WINDOW_FULL},
    {40000, 1, TCP_ACK, 5001, 65257, 0, 509, -1, 0},
};

static const struct row rows_window_full_first[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 32580, 502, -1, 0},
    {31000, 0, TCP_PSH | TCP_ACK, 33581, 5001, 32580, 502, -1,
     TCP_AF_WINDOW_FULL},
};

static const struct row rows_window_full_noscale[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 1000, -1, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_ACK, 5001, 1001, 0, 1000, -1, TCP_AF_DUPLICATE_ACK},
    {40000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 1000, 502, -1,
     TCP_AF_WINDOW_FULL},
};

static const struct row rows_window_full_unknown[] = {
    {0, 1, TCP_ACK, 5001, 1001, 0, 1000, -1, 0},
    {10000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 1000, 502, -1, 0},
};

static const struct row rows_wrap[] = {
    {0, 0, TCP_SYN, 0xffffff6au, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 0xffffff6bu, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 0xffffff6bu, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 0xffffff6bu, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 0xffffffcfu, 5001, 100, 502, -1, 0},
    {30200, 0, TCP_PSH | TCP_ACK, 51, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 151, 0, 509, -1, 0},
    {240000, 0, TCP_PSH | TCP_ACK, 151, 5001, 100, 502, -1, 0},
    {440000, 0, TCP_PSH | TCP_ACK, 151, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
    {450000, 0, TCP_PSH | TCP_ACK, 451, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
};

static const struct row rows_syn_fin_retrans[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {1000000, 0, TCP_SYN, 1000, 0, 0, 64240, 7, TCP_AF_RETRANSMISSION},
    {1010000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {2010000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7,
     TCP_AF_RETRANSMISSION},
    {2020000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {2030000, 0, TCP_FIN | TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {2230000, 0, TCP_FIN | TCP_ACK, 1001, 5001, 0, 502, -1,
     TCP_AF_RETRANSMISSION},
    {2240000, 1, TCP_ACK, 5001, 1002, 0, 509, -1, 0},
};

static const struct row rows_precedence[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {10040000, 0, TCP_PSH | TCP_ACK, 1100, 5001, 1, 502, -1, TCP_AF_KEEP_ALIVE},
    {10041000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, TCP_AF_KEEP_ALIVE_ACK},
    {10042000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {10043000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 0, -1,
     TCP_AF_RETRANSMISSION | TCP_AF_ZERO_WINDOW},
    {10043500, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 0, -1,
     TCP_AF_RETRANSMISSION | TCP_AF_ZERO_WINDOW},
};

static const struct row rows_spurious_over_ooo[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {30500, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {31000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_SPURIOUS_RETRANSMISSION},
};

static const struct row rows_fast_over_ooo[] = {
    {0, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {100, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {200, 1, TCP_ACK, 5001, 1001, 0, 509, -1, 0},
    {300, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {400, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {500, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_FAST_RETRANSMISSION},
};

static const struct row rows_reused[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_FIN | TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {40000, 1, TCP_FIN | TCP_ACK, 5001, 1002, 0, 509, -1, 0},
    {50000, 0, TCP_ACK, 1002, 5002, 0, 502, -1, 0},
    {60000, 0, TCP_SYN, 900000, 0, 0, 64240, 7, TCP_AF_REUSED_PORTS},
    {70000, 1, TCP_SYN | TCP_ACK, 7000, 900001, 0, 65160, 7, 0},
    {80000, 0, TCP_ACK, 900001, 7001, 0, 502, -1, 0},
    {90000, 0, TCP_PSH | TCP_ACK, 900001, 7001, 100, 502, -1, 0},
};

static const struct row rows_evidence[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {230000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
    {430000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
    {630000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
    {830000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
     TCP_AF_RETRANSMISSION},
};

static const struct row rows_probe_resend[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_ACK, 5001, 1001, 0, 0, -1, TCP_AF_ZERO_WINDOW},
    {40000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 1, 502, -1,
     TCP_AF_ZERO_WINDOW_PROBE},
    {50000, 1, TCP_ACK, 5001, 1001, 0, 0, -1,
     TCP_AF_ZERO_WINDOW | TCP_AF_ZERO_WINDOW_PROBE_ACK},
    {300000, 1, TCP_ACK, 5001, 1001, 0, 502, -1, TCP_AF_WINDOW_UPDATE},
    {310000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {320000, 0, TCP_PSH | TCP_ACK, 1100, 5001, 100, 502, -1, 0},
};

static const struct row rows_wrap_reorder[] = {
    {0, 0, TCP_SYN, 0xffffff6au, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 0xffffff6bu, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 0xffffff6bu, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 0xffffff6bu, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 51, 5001, 100, 502, -1, TCP_AF_LOST_SEGMENT},
    {31000, 0, TCP_PSH | TCP_ACK, 0xffffffcfu, 5001, 100, 502, -1,
     TCP_AF_OUT_OF_ORDER},
    {40000, 1, TCP_ACK, 5001, 151, 0, 509, -1, 0},
    {41000, 1, TCP_ACK, 5001, 251, 0, 509, -1, TCP_AF_ACK_LOST_SEGMENT},
};

static const struct row rows_window_full_synack_only[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, -1, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 1000, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_ACK, 5001, 1001, 0, 1000, -1, TCP_AF_DUPLICATE_ACK},
    {40000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 1000, 502, -1,
     TCP_AF_WINDOW_FULL},
};

static const struct row rows_dupack_reset[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {30100, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {30200, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1, 0},
    {30300, 0, TCP_PSH | TCP_ACK, 1301, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_WINDOW_UPDATE},
    {40100, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {40200, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {40300, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0},
    {40400, 1, TCP_ACK, 5001, 1101, 0, 509, -1, TCP_AF_DUPLICATE_ACK},
    {45000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1,
     TCP_AF_OUT_OF_ORDER},
};

static const struct row rows_dupack_after_mark[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_PSH | TCP_ACK, 5001, 1001, 100, 509, -1, 0},
    {31000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_ACK, 5101, 1201, 0, 509, -1, TCP_AF_ACK_LOST_SEGMENT},
    {41000, 0, TCP_ACK, 1101, 5001, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
    {42000, 0, TCP_ACK, 1101, 5001, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
    {45000, 1, TCP_PSH | TCP_ACK, 5001, 1101, 100, 509, -1,
     TCP_AF_FAST_RETRANSMISSION},
};

static const struct row rows_syn_again[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 0, TCP_PSH | TCP_ACK, 1201, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
    {50000, 0, TCP_SYN, 1000, 0, 0, 64240, 7, TCP_AF_OUT_OF_ORDER},
    {60000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
    {70000, 0, TCP_PSH | TCP_ACK, 1301, 5001, 100, 502, -1,
     TCP_AF_LOST_SEGMENT},
};

static const struct row rows_synack_new_isn[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {1010000, 1, TCP_SYN | TCP_ACK, 7000, 1001, 0, 65160, 7,
     TCP_AF_LOST_SEGMENT | TCP_AF_REUSED_PORTS},
    {2010000, 1, TCP_SYN | TCP_ACK, 7000, 1001, 0, 65160, 7,
     TCP_AF_RETRANSMISSION},
};

#define ROWS(t) (t), (sizeof(t) / sizeof((t)[0]))

/* --- flags ------------------------------------------------------------ */

START_TEST(test_flags_clean_connection)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_clean));
}
END_TEST

START_TEST(test_flags_retransmission)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_retrans));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_RETRANSMISSION),
                      1);
}
END_TEST

START_TEST(test_flags_fast_retransmission)
{
    struct tcp_analysis ta;

    /* Two duplicate ACKs (after a window update) and the segment they
     * ask for within 20 ms. */
    run_fresh(&ta, ROWS(rows_fast));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 1, FLOW_TCPF_DUPLICATE_ACK),
                      2);
}
END_TEST

START_TEST(test_flags_fast_retransmission_too_late)
{
    struct tcp_analysis ta;

    /* 20 ms after the last duplicate ACK it is a plain retransmission. */
    run_fresh(&ta, ROWS(rows_fast_late));
}
END_TEST

START_TEST(test_flags_spurious_retransmission)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_spurious));
}
END_TEST

START_TEST(test_flags_out_of_order_default_threshold)
{
    struct tcp_analysis ta;

    /* No handshake: 2 ms after the highest segment is out-of-order,
     * 3.5 ms is a retransmission. */
    run_fresh(&ta, ROWS(rows_ooo_default));
    ck_assert_int_eq(tcp_analysis_initial_rtt_us(&ta), 0);
}
END_TEST

START_TEST(test_flags_out_of_order_initial_rtt)
{
    struct tcp_analysis ta;

    /* iRTT 20 ms: 10 ms late is out-of-order, 25 ms a retransmission. */
    run_fresh(&ta, ROWS(rows_ooo_irtt));
    ck_assert_int_eq(tcp_analysis_initial_rtt_us(&ta), 20000);
}
END_TEST

START_TEST(test_flags_lost_segment)
{
    struct tcp_analysis ta;

    /* A RST beyond the next expected seq is not a lost segment. */
    run_fresh(&ta, ROWS(rows_lost));
}
END_TEST

START_TEST(test_flags_ack_unseen)
{
    struct tcp_analysis ta;

    /* Reported once, again after the other side sent beyond a hole. */
    run_fresh(&ta, ROWS(rows_ack_unseen));
}
END_TEST

START_TEST(test_flags_duplicate_ack)
{
    struct tcp_analysis ta;

    /* A new window is a window update; FIN ends the series. */
    run_fresh(&ta, ROWS(rows_dupack));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_DUPLICATE_ACK),
                      3);
}
END_TEST

START_TEST(test_flags_keep_alive_not_retransmission)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_keepalive));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_KEEP_ALIVE), 2);
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_RETRANSMISSION),
                      0);
}
END_TEST

START_TEST(test_flags_zero_window)
{
    struct tcp_analysis ta;

    /* Zero window, a probe, its ACK, then the window opens again. */
    run_fresh(&ta, ROWS(rows_zero_window));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_ZERO_WINDOW), 2);
}
END_TEST

START_TEST(test_flags_window_full_scaled)
{
    struct tcp_analysis ta;

    /* Both SYNs scale by 2^7: 502 << 7 bytes past the ACK. */
    run_fresh(&ta, ROWS(rows_window_full));
}
END_TEST

START_TEST(test_flags_window_full_first_window_unscaled)
{
    struct tcp_analysis ta;

    /* Until the receiver's first ACK, its SYN/ACK window is unscaled. */
    run_fresh(&ta, ROWS(rows_window_full_first));
}
END_TEST

START_TEST(test_flags_window_full_one_sided_option)
{
    struct tcp_analysis ta;

    /* Only the SYN has the option: no scaling, raw windows. */
    run_fresh(&ta, ROWS(rows_window_full_noscale));
}
END_TEST

START_TEST(test_flags_window_full_scale_unknown)
{
    struct tcp_analysis ta;

    /* No SYN seen: the scale is unknown and window full never set. */
    run_fresh(&ta, ROWS(rows_window_full_unknown));
}
END_TEST

START_TEST(test_flags_sequence_wraparound)
{
    struct tcp_analysis ta;

    /* ISN 150 below 2^32; the data crosses zero. */
    run_fresh(&ta, ROWS(rows_wrap));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_RETRANSMISSION),
                      1);
}
END_TEST

START_TEST(test_flags_syn_fin_retransmissions)
{
    struct tcp_analysis ta;

    /* SYN, SYN/ACK and FIN each take one sequence number. */
    run_fresh(&ta, ROWS(rows_syn_fin_retrans));
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), 10000);
}
END_TEST

START_TEST(test_flags_precedence_keep_alive_and_zero_window)
{
    struct tcp_analysis ta;

    /* One byte below the next seq is a keep-alive, not a retransmission;
     * zero window goes along with a retransmission. */
    run_fresh(&ta, ROWS(rows_precedence));
}
END_TEST

START_TEST(test_flags_precedence_spurious_over_out_of_order)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_spurious_over_ooo));
}
END_TEST

START_TEST(test_flags_precedence_fast_over_out_of_order)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_fast_over_ooo));
}
END_TEST

START_TEST(test_flags_reused_ports)
{
    struct tcp_analysis ta;

    /* A SYN with a new ISN starts a new connection: no retransmission. */
    run_fresh(&ta, ROWS(rows_reused));
}
END_TEST

START_TEST(test_flags_resend_from_probe_byte)
{
    struct tcp_analysis ta;

    /* More than one byte sent from one below the next seq (after a zero
     * window probe) is new data, not a retransmission. */
    run_fresh(&ta, ROWS(rows_probe_resend));
}
END_TEST

START_TEST(test_flags_reordering_across_zero)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_wrap_reorder));
}
END_TEST

START_TEST(test_flags_window_full_synack_only_option)
{
    struct tcp_analysis ta;

    /* Only the SYN/ACK has the option: scaling stays off. */
    run_fresh(&ta, ROWS(rows_window_full_synack_only));
}
END_TEST

START_TEST(test_flags_dupack_after_unseen_mark)
{
    struct tcp_analysis ta;

    /* The "ACKed unseen" mark on side 0's counter, then two duplicate
     * ACKs from side 0 (the mark counts as none): side 1's resend is a
     * fast retransmission. */
    run_fresh(&ta, ROWS(rows_dupack_after_mark));
}
END_TEST

START_TEST(test_flags_syn_sent_again)
{
    struct tcp_analysis ta;

    /* The same ISN again takes the next expected seq back to the last
     * contiguous one, so 1101 is in order and 1301 beyond a gap. */
    run_fresh(&ta, ROWS(rows_syn_again));
}
END_TEST

START_TEST(test_flags_synack_new_isn)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_synack_new_isn));
}
END_TEST

START_TEST(test_flags_dupack_count_restarts)
{
    struct tcp_analysis ta;

    /* Two duplicates of ACK 1001, then a new ACK and one duplicate: not
     * enough for a fast retransmission. */
    run_fresh(&ta, ROWS(rows_dupack_reset));
}
END_TEST

/* --- evidence --------------------------------------------------------- */

START_TEST(test_evidence_first_three_frames)
{
    struct tcp_analysis ta;
    int64_t ts = 0;

    run_fresh(&ta, ROWS(rows_evidence));
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_RETRANSMISSION),
                      4);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 0, FLOW_TCPF_RETRANSMISSION, 0), 5);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 0, FLOW_TCPF_RETRANSMISSION, 1), 6);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 0, FLOW_TCPF_RETRANSMISSION, 2), 7);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 0, FLOW_TCPF_RETRANSMISSION, 3), 0);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 1, FLOW_TCPF_RETRANSMISSION, 0), 0);
    ck_assert_uint_eq(tcp_analysis_first_retrans(&ta, 0, &ts), 5);
    ck_assert_int_eq(ts, T0 + 230000);
    ck_assert_uint_eq(tcp_analysis_first_retrans(&ta, 1, NULL), 0);
    ck_assert_uint_eq(tcp_analysis_data_segments(&ta, 0), 5);
    ck_assert_uint_eq(tcp_analysis_data_segments(&ta, 1), 0);
}
END_TEST

/* --- handshake outcome ------------------------------------------------ */

/* The flags of these rows, and of the reset rows below, are tshark's too.
 * After the RST (seq 0), the SYN/ACK's ISN differs from the base tshark
 * took from the RST, hence "reused ports". */

static const struct row hs_syn_only[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {1000000, 0, TCP_SYN, 1000, 0, 0, 64240, 7, TCP_AF_RETRANSMISSION},
    {3000000, 0, TCP_SYN, 1000, 0, 0, 64240, 7, TCP_AF_RETRANSMISSION},
};

static const struct row hs_refused[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {300, 1, TCP_RST | TCP_ACK, 0, 1001, 0, 0, -1, 0},
};

static const struct row hs_refused_then_open[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {300, 1, TCP_RST | TCP_ACK, 0, 1001, 0, 0, -1, 0},
    {1000000, 0, TCP_SYN, 1000, 0, 0, 64240, 7, TCP_AF_RETRANSMISSION},
    {1004000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7,
     TCP_AF_REUSED_PORTS},
};

static const struct row hs_synack_first[] = {
    {0, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {10000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
};

static const struct row hs_bare_ack_answer[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {300, 1, TCP_ACK, 77, 4242, 0, 502, -1, TCP_AF_ACK_LOST_SEGMENT},
};

START_TEST(test_handshake_established_with_rtt)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_clean));
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), 10000);
    ck_assert_int_eq(tcp_analysis_initial_rtt_us(&ta), 20000);
    ck_assert_uint_eq(tcp_analysis_syn_count(&ta), 1);
    ck_assert_uint_eq(tcp_analysis_syn_side(&ta), 0);
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_ESTABLISHED);
}
END_TEST

START_TEST(test_handshake_unanswered)
{
    struct tcp_analysis ta;
    int64_t first = 0;
    int64_t last = 0;

    run_fresh(&ta, ROWS(hs_syn_only));
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_SYN_SENT);
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_UNANSWERED);
    ck_assert_uint_eq(tcp_analysis_syn_count(&ta), 3);
    ck_assert_uint_eq(tcp_analysis_first_syn(&ta, &first, &last), 1);
    ck_assert_int_eq(first, T0);
    ck_assert_int_eq(last, T0 + 3000000);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), -1);
}
END_TEST

START_TEST(test_handshake_refused)
{
    struct tcp_analysis ta;
    int64_t ts = 0;

    run_fresh(&ta, ROWS(hs_refused));
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_REFUSED);
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_REFUSED);
    ck_assert_uint_eq(tcp_analysis_refused_frame(&ta, &ts), 2);
    ck_assert_int_eq(ts, T0 + 300);
}
END_TEST

START_TEST(test_handshake_refused_then_answered)
{
    struct tcp_analysis ta;

    /* The retried SYN got its SYN/ACK: RTT from the last SYN. */
    run_fresh(&ta, ROWS(hs_refused_then_open));
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), 4000);
    ck_assert_uint_eq(tcp_analysis_syn_count(&ta), 2);
}
END_TEST

START_TEST(test_handshake_icmp_unreachable)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(hs_syn_only));
    tcp_analysis_icmp_error(&ta, false);
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_SYN_SENT);
    tcp_analysis_icmp_error(&ta, true);
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_ICMP_UNREACHABLE);
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_ICMP_UNREACHABLE);
}
END_TEST

START_TEST(test_handshake_icmp_after_established_ignored)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_clean));
    tcp_analysis_icmp_error(&ta, true);
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_ESTABLISHED);
}
END_TEST

START_TEST(test_handshake_mid_stream)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rows_ooo_default));
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_MID_STREAM);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), -1);
    ck_assert_uint_eq(tcp_analysis_syn_count(&ta), 0);
}
END_TEST

START_TEST(test_handshake_synack_first)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(hs_synack_first));
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), -1);
    ck_assert_uint_eq(tcp_analysis_syn_side(&ta), 0);
}
END_TEST

START_TEST(test_handshake_answered_without_synack)
{
    struct tcp_analysis ta;

    /* Something came back, so the SYN was not unanswered. */
    run_fresh(&ta, ROWS(hs_bare_ack_answer));
    ck_assert_int_eq(tcp_analysis_finish(&ta), FLOW_TCP_SYN_SENT);
}
END_TEST

START_TEST(test_handshake_before_first_segment)
{
    struct tcp_analysis ta;

    tcp_analysis_init(&ta);
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_NONE);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), -1);
    ck_assert_uint_eq(tcp_analysis_count(&ta, 0, FLOW_TCPF_COUNT), 0);
    ck_assert_uint_eq(tcp_analysis_evidence(&ta, 0, FLOW_TCPF_RETRANSMISSION,
                                            TCP_ANALYSIS_EVIDENCE),
                      0);
}
END_TEST

/* --- resets ----------------------------------------------------------- */

static const struct row rst_mid_call[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 1, TCP_RST | TCP_ACK, 5001, 1101, 0, 0, -1, 0},
    {50000, 0, TCP_RST, 1101, 0, 0, 0, -1, 0},
};

static const struct row rst_after_fin[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
    {40000, 0, TCP_FIN | TCP_ACK, 1101, 5001, 0, 502, -1, 0},
    {50000, 1, TCP_RST | TCP_ACK, 5001, 1102, 0, 0, -1, 0},
};

static const struct row rst_without_data[] = {
    {0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0},
    {10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
    {20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0},
    {30000, 1, TCP_RST | TCP_ACK, 5001, 1001, 0, 0, -1, 0},
};

START_TEST(test_reset_mid_connection)
{
    struct tcp_analysis ta;
    int64_t ts = 0;
    unsigned side = 0;

    run_fresh(&ta, ROWS(rst_mid_call));
    ck_assert_uint_eq(tcp_analysis_reset(&ta, &ts, &side), 5);
    ck_assert_int_eq(ts, T0 + 40000);
    ck_assert_uint_eq(side, 1);
}
END_TEST

START_TEST(test_reset_after_fin_or_without_data)
{
    struct tcp_analysis ta;

    run_fresh(&ta, ROWS(rst_after_fin));
    ck_assert_uint_eq(tcp_analysis_reset(&ta, NULL, NULL), 0);
    run_fresh(&ta, ROWS(rst_without_data));
    ck_assert_uint_eq(tcp_analysis_reset(&ta, NULL, NULL), 0);
}
END_TEST

/* --- span-port duplicates --------------------------------------------- */

/* A segment with its IP-level identity. */
struct mrow {
    struct row r;
    uint8_t ip_version;
    uint8_t ttl;
    uint16_t ip_id;
    uint16_t ip_checksum;
    uint16_t tcp_checksum;
};

static void run_mrows(struct tcp_analysis *ta, const struct mrow *rows,
                      size_t n)
{
    struct tcp_segment s;
    uint32_t got;
    size_t i;

    tcp_analysis_init(ta);
    for (i = 0; i < n; i++) {
        row_segment(&s, &rows[i].r, i + 1);
        s.ip_version = rows[i].ip_version;
        s.ttl = rows[i].ttl;
        s.ip_id = rows[i].ip_id;
        s.ip_checksum = rows[i].ip_checksum;
        s.tcp_checksum = rows[i].tcp_checksum;
        got = tcp_analysis_segment(ta, rows[i].r.side, &s);
        ck_assert_msg(got == rows[i].r.expect,
                      "frame %zu: flags 0x%x, expected 0x%x", i + 1,
                      (unsigned)got, (unsigned)rows[i].r.expect);
    }
}

#define HS_M                                                                \
    {{0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0}, 4, 64, 0x0e9d, 0xf65a, 1},  \
    {{10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},             \
     4, 64, 0x1d89, 0x0a0a, 2},                                             \
    {{20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0}, 4, 64, 0x0e9e, 0xf661, 3}

/* tshark would call frame 5 a retransmission and frame 7 a duplicate
 * ACK; both are second copies of one frame. */
static const struct mrow mirror_with_id[] = {
    HS_M,
    {{30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
     4, 64, 0x0e9f, 0xf61c, 0x1111},
    {{30004, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_MIRROR_DUPLICATE},
     4, 64, 0x0e9f, 0xf61c, 0x1111},
    {{40000, 1, TCP_ACK, 5001, 1101, 0, 509, -1, 0}, 4, 64, 0x1d8a, 0xe875, 7},
    {{40001, 1, TCP_ACK, 5001, 1101, 0, 509, -1, TCP_AF_MIRROR_DUPLICATE},
     4, 64, 0x1d8a, 0xe875, 7},
    {{50000, 0, TCP_PSH | TCP_ACK, 1101, 5001, 100, 502, -1, 0},
     4, 64, 0x0ea0, 0xf65f, 0x2222},
};

/* Linux sends its SYN/ACK with IP ID 0: still a copy, nothing came from
 * the other side in between. */
static const struct mrow mirror_synack_id0[] = {
    {{0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0}, 4, 64, 0x0e9d, 0xf65a, 1},
    {{80, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0},
     4, 64, 0, 0x05f8, 2},
    {{81, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7,
      TCP_AF_MIRROR_DUPLICATE},
     4, 64, 0, 0x05f8, 2},
    {{130, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0}, 4, 64, 0x0e9e, 0xf661, 3},
};

/* Without an IP ID, identical pure ACKs are real duplicate ACKs. */
static const struct mrow mirror_pure_ack_id0[] = {
    HS_M,
    {{30000, 1, TCP_PSH | TCP_ACK, 5001, 1001, 100, 509, -1, 0},
     4, 64, 0x1d8a, 0x0b0b, 4},
    {{40000, 0, TCP_ACK, 1001, 5101, 0, 502, -1, 0}, 4, 64, 0, 0x7777, 5},
    {{40100, 0, TCP_ACK, 1001, 5101, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
     4, 64, 0, 0x7777, 5},
};

/* The copy must come within 10 ms: 9.999 ms is one, 10 ms is not. */
static const struct mrow mirror_window[] = {
    HS_M,
    {{30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
     4, 64, 0x0e9f, 0xf61c, 0x1111},
    {{39999, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_MIRROR_DUPLICATE},
     4, 64, 0x0e9f, 0xf61c, 0x1111},
    {{40000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_RETRANSMISSION},
     4, 64, 0x0e9f, 0xf61c, 0x1111},
};

/* IP ID 0 data: a copy only when the other side sent nothing between. */
static const struct mrow mirror_id0_reverse_between[] = {
    HS_M,
    {{30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
     4, 64, 0, 0x3333, 0x1111},
    {{30100, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_MIRROR_DUPLICATE},
     4, 64, 0, 0x3333, 0x1111},
    {{30150, 1, TCP_ACK, 5001, 1001, 0, 509, -1, TCP_AF_WINDOW_UPDATE},
     4, 64, 0x1d8a, 0x0c0c, 6},
    {{30200, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_RETRANSMISSION},
     4, 64, 0, 0x3333, 0x1111},
};

/* A different hop limit (a router's two sides) is not the same frame. */
static const struct mrow mirror_ttl_differs[] = {
    {{0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0}, 6, 64, 0, 0, 1},
    {{10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0}, 6, 64, 0, 0, 2},
    {{20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0}, 6, 64, 0, 0, 3},
    {{30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
     6, 64, 0, 0, 0x1111},
    {{30004, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_RETRANSMISSION},
     6, 63, 0, 0, 0x1111},
};

/* IPv6 has no IP ID: data copies are caught, pure ACK copies are not. */
static const struct mrow mirror_ipv6[] = {
    {{0, 0, TCP_SYN, 1000, 0, 0, 64240, 7, 0}, 6, 64, 0, 0, 1},
    {{10000, 1, TCP_SYN | TCP_ACK, 5000, 1001, 0, 65160, 7, 0}, 6, 64, 0, 0, 2},
    {{20000, 0, TCP_ACK, 1001, 5001, 0, 502, -1, 0}, 6, 64, 0, 0, 3},
    {{20001, 0, TCP_ACK, 1001, 5001, 0, 502, -1, TCP_AF_DUPLICATE_ACK},
     6, 64, 0, 0, 3},
    {{30000, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1, 0},
     6, 64, 0, 0, 0x1111},
    {{30001, 0, TCP_PSH | TCP_ACK, 1001, 5001, 100, 502, -1,
      TCP_AF_MIRROR_DUPLICATE},
     6, 64, 0, 0, 0x1111},
};

START_TEST(test_mirror_copies_excluded)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_with_id));
    ck_assert_uint_eq(
        tcp_analysis_count(&ta, 0, FLOW_TCPF_MIRROR_DUPLICATE), 1);
    ck_assert_uint_eq(
        tcp_analysis_count(&ta, 1, FLOW_TCPF_MIRROR_DUPLICATE), 1);
    ck_assert_uint_eq(
        tcp_analysis_evidence(&ta, 0, FLOW_TCPF_MIRROR_DUPLICATE, 0), 5);
    ck_assert_uint_eq(tcp_analysis_data_segments(&ta, 0), 2);
}
END_TEST

START_TEST(test_mirror_synack_without_ip_id)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_synack_id0));
    ck_assert_int_eq(tcp_analysis_state(&ta), FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(tcp_analysis_rtt_us(&ta), 80);
}
END_TEST

START_TEST(test_mirror_pure_acks_without_ip_id_kept)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_pure_ack_id0));
}
END_TEST

START_TEST(test_mirror_time_window)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_window));
}
END_TEST

START_TEST(test_mirror_id0_needs_quiet_reverse)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_id0_reverse_between));
}
END_TEST

START_TEST(test_mirror_ttl_differs)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_ttl_differs));
}
END_TEST

START_TEST(test_mirror_ipv6)
{
    struct tcp_analysis ta;

    run_mrows(&ta, ROWS(mirror_ipv6));
}
END_TEST

/* --- the analyzer stage ----------------------------------------------- */

#define MAX_FINDINGS 8

struct collected {
    struct finding f[MAX_FINDINGS];
    size_t n;
    struct tcp_flag_record flags[2 * FLOW_TCPF_COUNT];
    size_t n_flags;
};

static void collect(void *arg, enum record_kind kind, const void *rec)
{
    struct collected *c = arg;

    /* Per-flag records go to the tcp_analysis table; keep them apart
     * from the findings the tests look at. */
    if (kind == RECORD_TCP_FLAG) {
        ck_assert_uint_lt(c->n_flags, 2 * FLOW_TCPF_COUNT);
        c->flags[c->n_flags++] = *(const struct tcp_flag_record *)rec;
        return;
    }
    ck_assert_int_eq(kind, RECORD_FINDING);
    ck_assert_uint_lt(c->n, MAX_FINDINGS);
    c->f[c->n++] = *(const struct finding *)rec;
}

struct fixture {
    void *self;
    void *fstate;
    struct flow f;
    struct collected out;
    struct ip_addr ep_ip[2];    /* indexed by enum flow_dir: sender */
    uint16_t ep_port[2];
};

static void parse_ip(const char *s, struct ip_addr *a)
{
    ck_assert_int_eq(ipaddr_parse(s, a), 0);
}

/* A flow from client to server; lo/hi of the key follow the canonical
 * order, which the caller states (client_is_lo). */
static void fixture_init(struct fixture *fx, uint8_t proto,
                         const char *client, uint16_t cport,
                         const char *server, uint16_t sport,
                         bool client_is_lo)
{
    struct analyzer_env env;
    struct ip_addr ips[2];
    uint16_t ports[2] = {cport, sport};

    memset(fx, 0, sizeof(*fx));
    parse_ip(client, &ips[0]);
    parse_ip(server, &ips[1]);
    fx->ep_ip[FLOW_DIR_C2S] = ips[0];
    fx->ep_ip[FLOW_DIR_S2C] = ips[1];
    fx->ep_port[FLOW_DIR_C2S] = cport;
    fx->ep_port[FLOW_DIR_S2C] = sport;
    ck_assert_int_lt(ipaddr_cmp(&ips[!client_is_lo], &ips[client_is_lo]), 0);

    fx->f.id = 42;
    fx->f.key.lo_ip = ips[!client_is_lo];
    fx->f.key.hi_ip = ips[client_is_lo];
    fx->f.key.lo_port = ports[!client_is_lo];
    fx->f.key.hi_port = ports[client_is_lo];
    fx->f.key.ip_version = 4;
    fx->f.key.proto = proto;
    fx->f.client_ip = ips[0];
    fx->f.server_ip = ips[1];
    fx->f.client_port = cport;
    fx->f.server_port = sport;
    fx->f.tcp_rtt_us = -1;

    memset(&env, 0, sizeof(env));
    env.emit.record = collect;
    env.emit.arg = &fx->out;
    fx->self = analyzer_tcp_ops.create(&env);
    ck_assert_ptr_nonnull(fx->self);
    fx->fstate = calloc(1, analyzer_tcp_ops.flow_state_size);
    ck_assert_ptr_nonnull(fx->fstate);
}

static void fixture_release(struct fixture *fx)
{
    analyzer_tcp_ops.destroy(fx->self);
    free(fx->fstate);
}

/* One packet of the flow in direction dir; the flow table's part of the
 * accounting (packet counts) is done here too. */
static void send_pkt(struct fixture *fx, uint64_t frame, int64_t t_us,
                     enum flow_dir dir, uint8_t proto, uint8_t flags,
                     uint32_t seq, uint32_t ack, uint32_t len)
{
    struct pkt pkt;
    struct decoded d;

    memset(&pkt, 0, sizeof(pkt));
    memset(&d, 0, sizeof(d));
    pkt.num = frame;
    pkt.ts_us = T0 + t_us;
    d.ip_version = 4;
    d.proto = proto;
    d.ttl = 64;
    d.ip_id = (uint16_t)(0x100 + frame);
    d.ip_checksum = (uint16_t)(0x4000 + frame);
    d.src = fx->ep_ip[dir];
    d.dst = fx->ep_ip[dir ^ 1];
    d.sport = fx->ep_port[dir];
    d.dport = fx->ep_port[dir ^ 1];
    d.tcp.seq = seq;
    d.tcp.ack = ack;
    d.tcp.flags = flags;
    d.tcp.window = 502;
    d.tcp.wscale = -1;
    d.tcp.checksum = (uint16_t)frame;
    d.payload_len = len;
    d.payload_wire_len = len;
    fx->f.dir[dir].packets++;
    analyzer_tcp_ops.packet(fx->self, &fx->f, fx->fstate, &pkt, &d, dir);
}

static void send_tcp(struct fixture *fx, uint64_t frame, int64_t t_us,
                     enum flow_dir dir, uint8_t flags, uint32_t seq,
                     uint32_t ack, uint32_t len)
{
    send_pkt(fx, frame, t_us, dir, 6, flags, seq, ack, len);
}

/* An ICMP error from reporter quoting the flow. */
static void send_icmp(struct fixture *fx, uint64_t frame, int64_t t_us,
                      const char *reporter, uint8_t type, uint8_t code)
{
    struct pkt pkt;
    struct decoded d;

    memset(&pkt, 0, sizeof(pkt));
    memset(&d, 0, sizeof(d));
    pkt.num = frame;
    pkt.ts_us = T0 + t_us;
    d.ip_version = 4;
    d.proto = 1;
    parse_ip(reporter, &d.src);
    d.dst = fx->f.client_ip;
    d.icmp.type = type;
    d.icmp.code = code;
    d.icmp.is_error = true;
    d.icmp.has_quote = true;
    d.icmp.q_ip_version = 4;
    d.icmp.q_proto = fx->f.key.proto;
    d.icmp.q_src = fx->f.client_ip;
    d.icmp.q_dst = fx->f.server_ip;
    d.icmp.q_sport = fx->f.client_port;
    d.icmp.q_dport = fx->f.server_port;
    analyzer_tcp_ops.icmp_error(fx->self, &fx->f, fx->fstate, &pkt, &d);
}

static void end_flow(struct fixture *fx)
{
    analyzer_tcp_ops.flow_end(fx->self, &fx->f, fx->fstate,
                              FLOW_END_CAPTURE_END);
}

/* SYN, SYN/ACK, ACK: client ISN 1000, server ISN 5000, frames 1-3. */
static void handshake(struct fixture *fx)
{
    send_tcp(fx, 1, 0, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_tcp(fx, 2, 10000, FLOW_DIR_S2C, TCP_SYN | TCP_ACK, 5000, 1001, 0);
    send_tcp(fx, 3, 20000, FLOW_DIR_C2S, TCP_ACK, 1001, 5001, 0);
}

/* n data segments of 100 bytes from the client, 1 ms apart from frame 4,
 * then the first r of them again, one second later each. */
static void client_data(struct fixture *fx, uint32_t n, uint32_t r)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        send_tcp(fx, 4 + i, 30000 + 1000 * (int64_t)i, FLOW_DIR_C2S,
                 TCP_PSH | TCP_ACK, 1001 + 100 * i, 5001, 100);
    for (i = 0; i < r; i++)
        send_tcp(fx, 4 + n + i, 2000000 + 1000000 * (int64_t)i,
                 FLOW_DIR_C2S, TCP_PSH | TCP_ACK, 1001 + 100 * i, 5001,
                 100);
}

START_TEST(test_analyzer_clean_flow_no_findings)
{
    struct fixture fx;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 10, 0);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(fx.f.tcp_rtt_us, 10000);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 0);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_ESTABLISHED);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_unanswered)
{
    struct fixture fx;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    send_tcp(&fx, 1, 0, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_tcp(&fx, 2, 1000000, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_tcp(&fx, 3, 3000000, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_tcp(&fx, 4, 7000000, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_SYN_SENT);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION],
                      3);
    end_flow(&fx);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_UNANSWERED);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "tcp_blocked");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_ERROR);
    ck_assert_ptr_null(fx.out.f[0].requirement);
    ck_assert_uint_eq(fx.out.f[0].flow_id, 42);
    ck_assert_uint_eq(fx.out.f[0].first_packet, 1);
    ck_assert_int_eq(fx.out.f[0].ts_us, T0);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 192.168.1.10:40000 -> 199.7.172.10:5061 "
                     "unanswered: 4 SYNs over 7.0 s, no reply");
    /* The three SYN retransmissions, with their frames as evidence. */
    ck_assert_uint_eq(fx.out.n_flags, 1);
    ck_assert_int_eq(fx.out.flags[0].dir, FLOW_DIR_C2S);
    ck_assert_int_eq(fx.out.flags[0].flag, FLOW_TCPF_RETRANSMISSION);
    ck_assert_uint_eq(fx.out.flags[0].count, 3);
    ck_assert_uint_eq(fx.out.flags[0].n_packets, 3);
    ck_assert_uint_eq(fx.out.flags[0].packets[0], 2);
    ck_assert_uint_eq(fx.out.flags[0].packets[2], 4);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_refused)
{
    struct fixture fx;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    send_tcp(&fx, 7, 0, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_tcp(&fx, 8, 300, FLOW_DIR_S2C, TCP_RST | TCP_ACK, 0, 1001, 0);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_REFUSED);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "tcp_blocked");
    ck_assert_uint_eq(fx.out.f[0].first_packet, 7);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 192.168.1.10:40000 -> 199.7.172.10:5061 refused: "
                     "the server answered the SYN with a RST (1 SYN sent)");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_icmp_unreachable_tcp)
{
    struct fixture fx;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    send_tcp(&fx, 1, 0, FLOW_DIR_C2S, TCP_SYN, 1000, 0, 0);
    send_icmp(&fx, 2, 500, "199.7.172.10", 3, 3);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_ICMP_UNREACHABLE);
    end_flow(&fx);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_ICMP_UNREACHABLE);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "icmp_unreachable");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_ERROR);
    ck_assert_uint_eq(fx.out.f[0].first_packet, 2);
    ck_assert_int_eq(fx.out.f[0].ts_us, T0 + 500);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 192.168.1.10:40000 -> 199.7.172.10:5061: ICMP port "
                     "unreachable from 199.7.172.10 (1 error)");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_icmp_unreachable_udp)
{
    struct fixture fx;

    /* Both directions carried packets: a warning. */
    fixture_init(&fx, 17, "192.168.1.10", 5060, "199.7.172.10", 5060, true);
    send_pkt(&fx, 1, 0, FLOW_DIR_C2S, 17, 0, 0, 0, 400);
    send_pkt(&fx, 2, 100, FLOW_DIR_S2C, 17, 0, 0, 0, 400);
    send_icmp(&fx, 3, 200, "203.0.113.1", 3, 13);
    send_icmp(&fx, 4, 300, "203.0.113.1", 3, 13);
    ck_assert_int_eq(fx.f.tcp_state, FLOW_TCP_NONE);
    ck_assert_ptr_null(analyzer_tcp_flow_analysis(fx.fstate));
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "icmp_unreachable");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_WARNING);
    ck_assert_uint_eq(fx.out.f[0].first_packet, 3);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "UDP 192.168.1.10:5060 -> 199.7.172.10:5060: ICMP "
                     "communication administratively prohibited from "
                     "203.0.113.1 (2 errors)");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_icmp_unreachable_ttl_probe)
{
    struct fixture fx;

    /* traceroute's last probe: the destination's port unreachable ends
     * it, and is no blocked port. */
    fixture_init(&fx, 17, "192.168.1.10", 37436, "199.7.172.10", 33437,
                 true);
    send_pkt(&fx, 1, 0, FLOW_DIR_C2S, 17, 0, 0, 0, 32);
    fx.f.dir[FLOW_DIR_C2S].max_ttl = 4;
    send_icmp(&fx, 2, 100, "199.7.172.10", 3, 3);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "icmp_unreachable");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_INFO);
    ck_assert_ptr_null(fx.out.f[0].requirement);
    ck_assert_ptr_nonnull(strstr(fx.out.f[0].summary,
                                 "a TTL-limited probe (traceroute)"));
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_icmp_frag_needed_ignored)
{
    struct fixture fx;

    fixture_init(&fx, 17, "192.168.1.10", 5060, "199.7.172.10", 5060, true);
    send_pkt(&fx, 1, 0, FLOW_DIR_C2S, 17, 0, 0, 0, 1400);
    send_icmp(&fx, 2, 100, "203.0.113.1", 3, 4);
    send_icmp(&fx, 3, 200, "203.0.113.1", 11, 0);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 0);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_retransmissions_over_threshold)
{
    struct fixture fx;

    /* 3 of 103 data segments: 2.9 %. */
    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 100, 3);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION],
                      3);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_RETRANSMISSION],
                      0);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "tcp_retransmissions");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_WARNING);
    ck_assert_uint_eq(fx.out.f[0].first_packet, 104);
    ck_assert_int_eq(fx.out.f[0].ts_us, T0 + 2000000);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 192.168.1.10:40000 -> 199.7.172.10:5061: 3 "
                     "retransmissions client to server, 2.9% of 103 data "
                     "segments (3 plain, 0 fast, 0 spurious)");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_retransmissions_under_threshold)
{
    struct fixture fx;

    /* Two retransmissions are below the count... */
    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 10, 2);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 0);
    fixture_release(&fx);

    /* ...and 3 of 203 are below 2 %. */
    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 200, 3);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 0);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_direction_when_client_is_hi)
{
    struct fixture fx;

    /* The server is the key's lo endpoint: counts still land on the
     * client-to-server side. */
    fixture_init(&fx, 6, "203.0.113.5", 40000, "10.0.0.2", 443, false);
    handshake(&fx);
    client_data(&fx, 10, 3);
    send_tcp(&fx, 17, 5000000, FLOW_DIR_S2C, TCP_ACK, 5001, 2001, 0);
    send_tcp(&fx, 18, 5000100, FLOW_DIR_S2C, TCP_ACK, 5001, 2001, 0);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION],
                      3);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_DUPLICATE_ACK],
                      1);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_DUPLICATE_ACK],
                      0);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 203.0.113.5:40000 -> 10.0.0.2:443: 3 "
                     "retransmissions client to server, 23.0% of 13 data "
                     "segments (3 plain, 0 fast, 0 spurious)");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_reset_mid_call)
{
    struct fixture fx;
    const struct tcp_analysis *ta;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 2, 0);
    send_tcp(&fx, 6, 40000, FLOW_DIR_S2C, TCP_RST | TCP_ACK, 5001, 1201, 0);
    ta = analyzer_tcp_flow_analysis(fx.fstate);
    ck_assert_ptr_nonnull(ta);
    ck_assert_uint_eq(tcp_analysis_reset(ta, NULL, NULL), 6);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 1);
    ck_assert_str_eq(fx.out.f[0].kind, "tcp_resets");
    ck_assert_int_eq(fx.out.f[0].severity, FINDING_WARNING);
    ck_assert_uint_eq(fx.out.f[0].first_packet, 6);
    ck_assert_str_eq(fx.out.f[0].summary,
                     "TCP 192.168.1.10:40000 -> 199.7.172.10:5061 reset by "
                     "the server in the middle of the connection, after data "
                     "and before any FIN");
    /* Ending the flow hands its state back. */
    ck_assert_ptr_null(analyzer_tcp_flow_analysis(fx.fstate));
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_mirror_counted_not_retransmission)
{
    struct fixture fx;
    struct pkt pkt;
    struct decoded d;

    fixture_init(&fx, 6, "192.168.1.10", 40000, "199.7.172.10", 5061, true);
    handshake(&fx);
    client_data(&fx, 1, 0);
    /* The same frame 4 once more, 5 us later. */
    memset(&pkt, 0, sizeof(pkt));
    memset(&d, 0, sizeof(d));
    pkt.num = 5;
    pkt.ts_us = T0 + 30005;
    d.ip_version = 4;
    d.proto = 6;
    d.ttl = 64;
    d.ip_id = 0x104;
    d.ip_checksum = 0x4004;
    d.src = fx.ep_ip[FLOW_DIR_C2S];
    d.dst = fx.ep_ip[FLOW_DIR_S2C];
    d.sport = 40000;
    d.dport = 5061;
    d.tcp.seq = 1001;
    d.tcp.ack = 5001;
    d.tcp.flags = TCP_PSH | TCP_ACK;
    d.tcp.window = 502;
    d.tcp.wscale = -1;
    d.tcp.checksum = 4;
    d.payload_len = 100;
    d.payload_wire_len = 100;
    analyzer_tcp_ops.packet(fx.self, &fx.f, fx.fstate, &pkt, &d,
                            FLOW_DIR_C2S);
    ck_assert_uint_eq(
        fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_MIRROR_DUPLICATE], 1);
    ck_assert_uint_eq(fx.f.dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION],
                      0);
    end_flow(&fx);
    ck_assert_uint_eq(fx.out.n, 0);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_analyzer_icmp_names)
{
    ck_assert_str_eq(analyzer_tcp_icmp_name(4, 3, 3), "port unreachable");
    ck_assert_str_eq(analyzer_tcp_icmp_name(4, 3, 13),
                     "communication administratively prohibited");
    ck_assert_str_eq(analyzer_tcp_icmp_name(4, 3, 99),
                     "destination unreachable");
    ck_assert_str_eq(analyzer_tcp_icmp_name(6, 1, 4), "port unreachable");
    ck_assert_str_eq(analyzer_tcp_icmp_name(6, 1, 1),
                     "communication administratively prohibited");
    ck_assert_str_eq(analyzer_tcp_icmp_name(4, 11, 0), "time exceeded");
    ck_assert_str_eq(analyzer_tcp_icmp_name(6, 2, 0), "packet too big");
    ck_assert_str_eq(analyzer_tcp_icmp_name(0, 3, 3), "error");
    ck_assert(analyzer_tcp_icmp_is_unreachable(4, 3, 1));
    ck_assert(!analyzer_tcp_icmp_is_unreachable(4, 3, 4));
    ck_assert(!analyzer_tcp_icmp_is_unreachable(4, 11, 0));
    ck_assert(analyzer_tcp_icmp_is_unreachable(6, 1, 4));
    ck_assert(!analyzer_tcp_icmp_is_unreachable(6, 2, 0));
}
END_TEST

static Suite *tcp_analysis_suite(void)
{
    Suite *s = suite_create("tcp_analysis");
    TCase *tc;

    tc = tcase_create("flags");
    tcase_add_test(tc, test_flags_clean_connection);
    tcase_add_test(tc, test_flags_retransmission);
    tcase_add_test(tc, test_flags_fast_retransmission);
    tcase_add_test(tc, test_flags_fast_retransmission_too_late);
    tcase_add_test(tc, test_flags_spurious_retransmission);
    tcase_add_test(tc, test_flags_out_of_order_default_threshold);
    tcase_add_test(tc, test_flags_out_of_order_initial_rtt);
    tcase_add_test(tc, test_flags_lost_segment);
    tcase_add_test(tc, test_flags_ack_unseen);
    tcase_add_test(tc, test_flags_duplicate_ack);
    tcase_add_test(tc, test_flags_keep_alive_not_retransmission);
    tcase_add_test(tc, test_flags_zero_window);
    tcase_add_test(tc, test_flags_window_full_scaled);
    tcase_add_test(tc, test_flags_window_full_first_window_unscaled);
    tcase_add_test(tc, test_flags_window_full_one_sided_option);
    tcase_add_test(tc, test_flags_window_full_scale_unknown);
    tcase_add_test(tc, test_flags_sequence_wraparound);
    tcase_add_test(tc, test_flags_syn_fin_retransmissions);
    tcase_add_test(tc, test_flags_precedence_keep_alive_and_zero_window);
    tcase_add_test(tc, test_flags_precedence_spurious_over_out_of_order);
    tcase_add_test(tc, test_flags_precedence_fast_over_out_of_order);
    tcase_add_test(tc, test_flags_reused_ports);
    tcase_add_test(tc, test_flags_resend_from_probe_byte);
    tcase_add_test(tc, test_flags_reordering_across_zero);
    tcase_add_test(tc, test_flags_window_full_synack_only_option);
    tcase_add_test(tc, test_flags_dupack_count_restarts);
    tcase_add_test(tc, test_flags_dupack_after_unseen_mark);
    tcase_add_test(tc, test_flags_syn_sent_again);
    tcase_add_test(tc, test_flags_synack_new_isn);
    suite_add_tcase(s, tc);

    tc = tcase_create("evidence");
    tcase_add_test(tc, test_evidence_first_three_frames);
    suite_add_tcase(s, tc);

    tc = tcase_create("handshake");
    tcase_add_test(tc, test_handshake_established_with_rtt);
    tcase_add_test(tc, test_handshake_unanswered);
    tcase_add_test(tc, test_handshake_refused);
    tcase_add_test(tc, test_handshake_refused_then_answered);
    tcase_add_test(tc, test_handshake_icmp_unreachable);
    tcase_add_test(tc, test_handshake_icmp_after_established_ignored);
    tcase_add_test(tc, test_handshake_mid_stream);
    tcase_add_test(tc, test_handshake_synack_first);
    tcase_add_test(tc, test_handshake_answered_without_synack);
    tcase_add_test(tc, test_handshake_before_first_segment);
    suite_add_tcase(s, tc);

    tc = tcase_create("resets");
    tcase_add_test(tc, test_reset_mid_connection);
    tcase_add_test(tc, test_reset_after_fin_or_without_data);
    suite_add_tcase(s, tc);

    tc = tcase_create("mirror");
    tcase_add_test(tc, test_mirror_copies_excluded);
    tcase_add_test(tc, test_mirror_synack_without_ip_id);
    tcase_add_test(tc, test_mirror_pure_acks_without_ip_id_kept);
    tcase_add_test(tc, test_mirror_time_window);
    tcase_add_test(tc, test_mirror_id0_needs_quiet_reverse);
    tcase_add_test(tc, test_mirror_ttl_differs);
    tcase_add_test(tc, test_mirror_ipv6);
    suite_add_tcase(s, tc);

    tc = tcase_create("analyzer");
    tcase_add_test(tc, test_analyzer_clean_flow_no_findings);
    tcase_add_test(tc, test_analyzer_unanswered);
    tcase_add_test(tc, test_analyzer_refused);
    tcase_add_test(tc, test_analyzer_icmp_unreachable_tcp);
    tcase_add_test(tc, test_analyzer_icmp_unreachable_udp);
    tcase_add_test(tc, test_analyzer_icmp_unreachable_ttl_probe);
    tcase_add_test(tc, test_analyzer_icmp_frag_needed_ignored);
    tcase_add_test(tc, test_analyzer_retransmissions_over_threshold);
    tcase_add_test(tc, test_analyzer_retransmissions_under_threshold);
    tcase_add_test(tc, test_analyzer_direction_when_client_is_hi);
    tcase_add_test(tc, test_analyzer_reset_mid_call);
    tcase_add_test(tc, test_analyzer_mirror_counted_not_retransmission);
    tcase_add_test(tc, test_analyzer_icmp_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tcp_analysis_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
