/* RTP header parsing, demultiplexing, stream detection and per-stream
 * statistics.  Specs: RFC 3550 (section 5.1, appendices A.1, A.3, A.8),
 * RFC 3551, RFC 5761 section 4, RFC 7983 and RFC 9443. */
#include "config.h"

#include "rtp.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"

#define RTP_SEQ_MOD 65536u

/* ------------------------------------------------------------------ */
/* Header                                                              */
/* ------------------------------------------------------------------ */

enum rtp_status rtp_parse(const uint8_t *data, size_t caplen, size_t wirelen,
                          struct rtp_header *h)
{
    struct cursor c;
    const uint8_t *p;
    uint8_t b0, b1;
    uint16_t words;
    size_t avail, wire_after;
    unsigned i;

    memset(h, 0, sizeof(*h));
    if (wirelen < caplen)
        wirelen = caplen;
    cur_init(&c, data, caplen);

    if (!cur_get_u8(&c, &b0))
        return RTP_TRUNCATED;
    h->version = b0 >> 6;
    if (h->version != 2)
        return RTP_BAD_VERSION;
    h->padding = (b0 & 0x20) != 0;
    h->extension = (b0 & 0x10) != 0;
    h->csrc_count = b0 & 0x0f;

    /* The rest of the fixed header with one check; a short packet takes
     * the field-by-field path, which fills in what there is. */
    p = cur_take(&c, 11);
    if (p) {
        b1 = p[0];
        h->seq = cur_at_be16(p, 1);
        h->timestamp = cur_at_be32(p, 3);
        h->ssrc = cur_at_be32(p, 7);
    } else if (!cur_get_u8(&c, &b1) || !cur_get_be16(&c, &h->seq) ||
               !cur_get_be32(&c, &h->timestamp) ||
               !cur_get_be32(&c, &h->ssrc)) {
        return RTP_TRUNCATED;
    }
    h->marker = (b1 & 0x80) != 0;
    h->payload_type = b1 & 0x7f;

    for (i = 0; i < h->csrc_count; i++)
        if (!cur_get_be32(&c, &h->csrc[i]))
            return RTP_TRUNCATED;

    if (h->extension) {
        if (!cur_get_be16(&c, &h->ext_profile) || !cur_get_be16(&c, &words))
            return RTP_TRUNCATED;
        h->ext_len = 4u * words;
        h->ext_data = cur_ptr(&c);
        if (!cur_skip(&c, h->ext_len))
            return RTP_TRUNCATED;
    }
    h->header_len = (uint32_t)c.off;

    avail = cur_remaining(&c);
    wire_after = wirelen - c.off;
    h->truncated = caplen < wirelen;

    /* RFC 3550 5.1: the last octet of the packet counts the padding
     * octets, itself included, so it is at least 1 and at most everything
     * after the header.  It is only there to check when captured. */
    if (h->padding && !h->truncated) {
        uint8_t count;

        if (avail == 0 || !cur_peek_u8(&c, avail - 1, &count))
            return RTP_BAD_PADDING;
        if (count == 0 || count > avail)
            return RTP_BAD_PADDING;
        h->pad_len = count;
    }

    h->payload = cur_ptr(&c);
    h->payload_len = (uint32_t)(avail - h->pad_len);
    h->wire_payload_len = (uint32_t)(wire_after - h->pad_len);
    return RTP_OK;
}

enum rtp_status rtp_parse_strict(const uint8_t *data, size_t caplen,
                                 size_t wirelen, struct rtp_header *h)
{
    struct cursor c;
    uint8_t b0, b1;

    cur_init(&c, data, caplen);
    /* Decide on RTCP before anything else, so that an RTCP packet is
     * reported as such whatever its length and padding say. */
    if (cur_get_u8(&c, &b0) && cur_get_u8(&c, &b1) && (b0 >> 6) == 2) {
        unsigned pt = b1 & 0x7fu;

        if ((b1 >= 192 && b1 <= 223) || (pt >= 72 && pt <= 76)) {
            memset(h, 0, sizeof(*h));
            return RTP_RTCP_CONFLICT;
        }
    }
    return rtp_parse(data, caplen, wirelen, h);
}

const char *rtp_status_name(enum rtp_status st)
{
    switch (st) {
    case RTP_OK:
        return "ok";
    case RTP_TRUNCATED:
        return "truncated";
    case RTP_BAD_VERSION:
        return "bad_version";
    case RTP_BAD_PADDING:
        return "bad_padding";
    case RTP_RTCP_CONFLICT:
        return "rtcp_conflict";
    }
    return "unknown";
}

/* ------------------------------------------------------------------ */
/* Demultiplexing                                                      */
/* ------------------------------------------------------------------ */

enum rtp_demux rtp_demux_classify(const uint8_t *data, size_t len)
{
    struct cursor c;
    uint8_t b0, b1;

    cur_init(&c, data, len);
    if (!cur_get_u8(&c, &b0))
        return RTP_DEMUX_OTHER;
    if (b0 <= 3)
        return RTP_DEMUX_STUN;
    if (b0 >= 16 && b0 <= 19)
        return RTP_DEMUX_ZRTP;
    if (b0 >= 20 && b0 <= 63)
        return RTP_DEMUX_DTLS;
    if (b0 >= 64 && b0 <= 79)
        return RTP_DEMUX_TURN_CHANNEL;
    if ((b0 >= 80 && b0 <= 127) || b0 >= 192)
        return RTP_DEMUX_QUIC;
    if (b0 >= 128) {
        /* 128-191: RTP or RTCP, told apart by the second octet
         * (RFC 5761 section 4). */
        if (cur_get_u8(&c, &b1) && b1 >= 192 && b1 <= 223)
            return RTP_DEMUX_RTCP;
        return RTP_DEMUX_RTP;
    }
    return RTP_DEMUX_OTHER;
}

/* ------------------------------------------------------------------ */
/* Payload types and clock rates                                       */
/* ------------------------------------------------------------------ */

struct rtp_static_pt {
    const char *name;
    uint32_t rate;
};

/* RFC 3551 tables 4 and 5 and the IANA RTP payload type registry.  1 and
 * 2 are reserved today (formerly FS-1016 and G.721) and 19 formerly
 * carried comfort noise; Wireshark still gives them 8000 Hz, and so do we
 * so that jitter agrees with tshark. */
static const struct rtp_static_pt rtp_static_pts[35] = {
    [0] = { "PCMU", 8000 },
    [1] = { "1016", 8000 },
    [2] = { "G721", 8000 },
    [3] = { "GSM", 8000 },
    [4] = { "G723", 8000 },
    [5] = { "DVI4", 8000 },
    [6] = { "DVI4", 16000 },
    [7] = { "LPC", 8000 },
    [8] = { "PCMA", 8000 },
    [9] = { "G722", 8000 },
    [10] = { "L16", 44100 },
    [11] = { "L16", 44100 },
    [12] = { "QCELP", 8000 },
    [13] = { "CN", 8000 },
    [14] = { "MPA", 90000 },
    [15] = { "G728", 8000 },
    [16] = { "DVI4", 11025 },
    [17] = { "DVI4", 22050 },
    [18] = { "G729", 8000 },
    [19] = { "CN", 8000 },
    [25] = { "CelB", 90000 },
    [26] = { "JPEG", 90000 },
    [28] = { "nv", 90000 },
    [31] = { "H261", 90000 },
    [32] = { "MPV", 90000 },
    [33] = { "MP2T", 90000 },
    [34] = { "H263", 90000 },
};

uint32_t rtp_clock_rate_static(uint8_t pt)
{
    if (pt >= sizeof(rtp_static_pts) / sizeof(rtp_static_pts[0]))
        return 0;
    return rtp_static_pts[pt].rate;
}

const char *rtp_payload_name_static(uint8_t pt)
{
    if (pt >= sizeof(rtp_static_pts) / sizeof(rtp_static_pts[0]))
        return NULL;
    return rtp_static_pts[pt].name;
}

/* Clock rates of encodings that use dynamic payload types, for when SDP
 * named the encoding but gave no rate (IANA media subtypes; the same set
 * Wireshark knows for voice). */
static const struct rtp_static_pt rtp_dynamic_encodings[] = {
    { "AMR", 8000 },
    { "AMR-WB", 16000 },
    { "EVRC", 8000 },
    { "EVRCB", 8000 },
    { "EVRCWB", 16000 },
    { "EVS", 16000 },
    { "G7221", 16000 },
    { "G726-16", 8000 },
    { "G726-24", 8000 },
    { "G726-32", 8000 },
    { "G726-40", 8000 },
    { "G729D", 8000 },
    { "G729E", 8000 },
    { "GSM-EFR", 8000 },
    { "H263-1998", 90000 },
    { "H263-2000", 90000 },
    { "H264", 90000 },
    { "MP4V-ES", 90000 },
    { "opus", 48000 },
    { "red", 1000 },
    { "t140", 1000 },
};

uint32_t rtp_clock_rate_for(uint8_t pt, const char *encoding,
                            uint32_t rtpmap_rate)
{
    size_t i;

    if (pt < RTP_PT_DYNAMIC_FIRST)
        return rtp_clock_rate_static(pt);
    /* RFC 4733 2.2.1: one timestamp per event, so its packets say nothing
     * about arrival regularity; Wireshark skips them the same way. */
    if (encoding && strncasecmp(encoding, "telephone-event", 15) == 0)
        return 0;
    if (rtpmap_rate)
        return rtpmap_rate;
    if (!encoding)
        return 0;
    for (i = 0; i < sizeof(rtp_dynamic_encodings) /
                        sizeof(rtp_dynamic_encodings[0]); i++)
        if (strcasecmp(encoding, rtp_dynamic_encodings[i].name) == 0)
            return rtp_dynamic_encodings[i].rate;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Detection                                                           */
/* ------------------------------------------------------------------ */

void rtp_detect_init(struct rtp_detect *d)
{
    memset(d, 0, sizeof(*d));
}

/* Does h continue the run recorded in dd? */
static bool rtp_detect_fits(const struct rtp_detect_dir *dd,
                            const struct rtp_header *h)
{
    uint16_t step = (uint16_t)(h->seq - dd->seq);
    int32_t ts_step = (int32_t)(h->timestamp - dd->timestamp);

    return dd->run > 0 && h->ssrc == dd->ssrc && step >= 1 &&
           step <= RTP_DETECT_MAX_SEQ_STEP && ts_step >= 0;
}

enum rtp_detect_verdict rtp_detect_update(struct rtp_detect *d, unsigned dir,
                                          const uint8_t *data, size_t caplen,
                                          size_t wirelen)
{
    struct rtp_detect_dir *dd = &d->dir[dir & 1u];
    struct rtp_header h;

    if (d->verdict != RTP_DETECT_UNKNOWN)
        return (enum rtp_detect_verdict)d->verdict;
    if (d->examined < UINT8_MAX)
        d->examined++;

    switch (rtp_demux_classify(data, caplen)) {
    case RTP_DEMUX_RTP:
        if (rtp_parse_strict(data, caplen, wirelen, &h) != RTP_OK) {
            dd->run = 0;
            break;
        }
        if (rtp_detect_fits(dd, &h)) {
            if (dd->run < UINT8_MAX)
                dd->run++;
        } else {
            dd->run = 1;
        }
        dd->ssrc = h.ssrc;
        dd->seq = h.seq;
        dd->timestamp = h.timestamp;
        if (dd->run >= RTP_DETECT_MIN_PACKETS)
            d->verdict = RTP_DETECT_RTP;
        break;
    case RTP_DEMUX_OTHER:
        dd->run = 0;
        break;
    case RTP_DEMUX_STUN:
    case RTP_DEMUX_ZRTP:
    case RTP_DEMUX_DTLS:
    case RTP_DEMUX_TURN_CHANNEL:
    case RTP_DEMUX_QUIC:
    case RTP_DEMUX_RTCP:
        /* Shares the 5-tuple with media (ICE, DTLS-SRTP, rtcp-mux): no
         * evidence either way. */
        break;
    }

    if (d->verdict == RTP_DETECT_UNKNOWN &&
        d->examined >= RTP_DETECT_MAX_PACKETS)
        d->verdict = RTP_DETECT_NOT_RTP;
    return (enum rtp_detect_verdict)d->verdict;
}

/* ------------------------------------------------------------------ */
/* Statistics: RFC 3550 A.1 sequence validation                        */
/* ------------------------------------------------------------------ */

static void rtp_window_clear(struct rtp_stream_stats *s)
{
    s->_window[0] = 1;          /* max_seq itself */
    s->_window[1] = 0;
}

/* Shifts the window of received numbers up by n (the highest number
 * advanced by n) and marks the new highest as received. */
static void rtp_window_advance(struct rtp_stream_stats *s, unsigned n)
{
    if (n >= 128) {
        s->_window[1] = 0;
        s->_window[0] = 0;
    } else if (n >= 64) {
        s->_window[1] = n == 64 ? s->_window[0] : s->_window[0] << (n - 64);
        s->_window[0] = 0;
    } else if (n > 0) {
        s->_window[1] = s->_window[1] << n | s->_window[0] >> (64 - n);
        s->_window[0] <<= n;
    }
    s->_window[0] |= 1;
}

/* Marks max_seq - back as received; returns whether it already was. */
static bool rtp_window_test_set(struct rtp_stream_stats *s, unsigned back)
{
    uint64_t bit = (uint64_t)1 << (back % 64);
    uint64_t *word = &s->_window[back / 64];
    bool seen = (*word & bit) != 0;

    *word |= bit;
    return seen;
}

/* A.1 init_seq(). */
static void rtp_seq_init(struct rtp_stream_stats *s, uint16_t seq)
{
    s->_base_seq = seq;
    s->_max_seq = seq;
    s->_bad_seq = RTP_SEQ_MOD + 1;      /* so seq == bad_seq is false */
    s->_cycles = 0;
    s->_received = 0;
    rtp_window_clear(s);
}

static int64_t rtp_seq_expected(const struct rtp_stream_stats *s)
{
    return (int64_t)(s->_cycles + s->_max_seq) - (int64_t)s->_base_seq + 1;
}

/* A.1 update_seq(), with the duplicate/late split added.  Counts the
 * packet in _received when A.1 does. */
static void rtp_seq_update(struct rtp_stream_stats *s, uint16_t seq)
{
    uint16_t udelta = (uint16_t)(seq - s->_max_seq);

    if (s->_probation) {
        /* A new source must send MIN_SEQUENTIAL packets in sequence before
         * it is counted. */
        if (seq == (uint16_t)(s->_max_seq + 1)) {
            s->_probation--;
            s->_max_seq = seq;
            if (s->_probation == 0) {
                rtp_seq_init(s, seq);
                s->_received++;
                s->_valid = true;
                return;
            }
        } else {
            s->_probation = RTP_MIN_SEQUENTIAL - 1;
            s->_max_seq = seq;
        }
        s->rejected++;
        return;
    }

    if (udelta < RTP_MAX_DROPOUT) {
        /* In order, with a permissible gap; 0 repeats the highest. */
        if (udelta == 0) {
            s->duplicates++;
        } else {
            if (seq < s->_max_seq)
                s->_cycles += RTP_SEQ_MOD;      /* wrapped */
            s->_max_seq = seq;
            rtp_window_advance(s, udelta);
        }
    } else if (udelta <= RTP_SEQ_MOD - RTP_MAX_MISORDER) {
        /* A very large jump.  Two in sequence mean the sender restarted
         * its numbering without telling us: re-synchronise, keeping what
         * the earlier segment counted. */
        if (seq == s->_bad_seq) {
            s->_prior_expected += (uint64_t)rtp_seq_expected(s);
            s->_prior_received += s->_received;
            rtp_seq_init(s, seq);
            s->restarts++;
        } else {
            s->_bad_seq = (uint16_t)(seq + 1);
            s->rejected++;
            return;
        }
    } else {
        /* Behind the highest by less than MAX_MISORDER: late or
         * duplicate. */
        unsigned back = (uint16_t)(s->_max_seq - seq);

        if (rtp_window_test_set(s, back))
            s->duplicates++;
        else
            s->reordered++;
    }
    s->_received++;
}

/* ------------------------------------------------------------------ */
/* Statistics: RFC 3550 A.8 jitter                                     */
/* ------------------------------------------------------------------ */

static void rtp_jitter_update(struct rtp_stream_stats *s,
                              const struct rtp_header *h, int64_t arrival_us,
                              uint32_t clock_rate)
{
    if (clock_rate == 0)
        return;
    if (s->_have_transit && s->_jitter_rate != clock_rate) {
        /* The clock changed with the payload type: timestamps of the two
         * clocks do not compare, so carry the estimate over in the new
         * unit and start the transit series again from this packet. */
        s->_jitter_ts *= (double)clock_rate / s->_jitter_rate;
    } else if (s->_have_transit) {
        /* D(i,j) = (Rj - Ri) - (Sj - Si), both in timestamp units; the
         * RTP difference is taken modulo 2^32 as a signed value. */
        double r = (double)(arrival_us - s->_prev_arrival_us) * clock_rate /
                   1e6;
        double d = r - (double)(int32_t)(h->timestamp - s->_prev_ts);

        s->_jitter_ts += (fabs(d) - s->_jitter_ts) / 16.0;
    }
    s->_have_transit = true;
    s->_jitter_rate = clock_rate;
    s->_prev_arrival_us = arrival_us;
    s->_prev_ts = h->timestamp;
}

/* ------------------------------------------------------------------ */
/* Statistics: Wireshark's RTP stream analysis                         */
/* ------------------------------------------------------------------ */

static bool rtp_pt_is_cn(uint8_t pt)
{
    return pt == RTP_PT_CN || pt == RTP_PT_CN_OLD;
}

static void rtp_ws_first(struct rtp_stream_stats *s,
                         const struct rtp_header *h, int64_t arrival_us)
{
    s->_ws_start_seq = h->seq;
    s->_ws_stop_seq = h->seq;
    s->_ws_seq_num = h->seq;
    s->_ws_time_us = arrival_us;
    s->_ws_first_ts = h->timestamp;
    s->_ws_last_nominal = 0;
    s->_ws_pt = h->payload_type;
    s->_ws_min_delta = -1;
    s->_ws_min_jitter = -1;
    s->_ws_total = 1;
}

/* Wireshark's sequence bookkeeping: wraps are counted against the first
 * sequence number, errors against the last in-order one.  Kept as it is,
 * quirks included, so that Lost agrees with tshark. */
static void rtp_ws_seq(struct rtp_stream_stats *s, uint16_t seq,
                       bool in_time)
{
    uint32_t last = s->_ws_seq_num;

    if (in_time && !s->_ws_under &&
        (seq < s->_ws_start_seq || (seq == 0 && s->_ws_stop_seq == 65535))) {
        s->_ws_cycles++;
        s->_ws_under = true;
    } else if (in_time && s->_ws_under && seq > s->_ws_start_seq) {
        s->_ws_under = false;
    }

    if (in_time && (last + 1 == seq || (last == 65535 && seq == 0))) {
        s->_ws_seq_num = seq;
    } else if (in_time && (last + 1 < seq || (last > seq &&
                                              last - seq > 0xff00))) {
        /* Lost packets; a huge step back is taken as a wrap with the
         * wrapping packets lost. */
        s->_ws_seq_num = seq;
        s->_ws_seq_errors++;
        s->_ws_problem = true;
    } else if (last + 1 > seq) {
        /* Late or duplicated. */
        s->_ws_seq_errors++;
        s->_ws_problem = true;
    }
}

static void rtp_ws_update(struct rtp_stream_stats *s,
                          const struct rtp_header *h, int64_t arrival_us,
                          uint32_t clock_rate)
{
    uint32_t since_first = h->timestamp - s->_ws_first_ts;
    uint32_t khz = clock_rate / 1000;   /* integer, as Wireshark divides */
    bool in_time, cn, follow_cn;
    double delta, jitter_now = 0;

    /* "In time": the timestamp is not before the first packet's, modulo
     * 2^32.  Packets that are not skip jitter and the time reference. */
    in_time = since_first < 0x80000000u;
    if (!in_time)
        s->_ws_problem = true;

    rtp_ws_seq(s, h->seq, in_time);

    cn = rtp_pt_is_cn(h->payload_type);
    follow_cn = rtp_pt_is_cn(s->_ws_pt);
    s->_ws_pt = h->payload_type;

    delta = (double)(arrival_us - s->_ws_time_us) / 1000.0;
    if (khz != 0 && in_time) {
        /* RFC 3550 6.4.1 estimator, in ms: D is the arrival gap minus the
         * nominal (timestamp) gap since the previous in-time packet. */
        double nominal = (double)since_first / khz;
        double d = delta - (nominal - s->_ws_last_nominal);

        s->_ws_jitter = (15.0 * s->_ws_jitter + fabs(d)) / 16.0;
        s->_ws_last_nominal = nominal;
        jitter_now = s->_ws_jitter;
    }

    /* Only "regular" packets enter min/mean/max. */
    if (!h->marker && !cn && in_time && !follow_cn) {
        double n = (double)s->_ws_total;

        if (delta > s->_ws_max_delta)
            s->_ws_max_delta = delta;
        if (s->_ws_min_delta < 0 || delta < s->_ws_min_delta)
            s->_ws_min_delta = delta;
        s->_ws_mean_delta = (s->_ws_mean_delta * (n - 1) + delta) / n;
        if (khz != 0) {
            if (s->_ws_jitter > s->_ws_max_jitter)
                s->_ws_max_jitter = s->_ws_jitter;
            if (s->_ws_min_jitter < 0 || s->_ws_jitter < s->_ws_min_jitter)
                s->_ws_min_jitter = s->_ws_jitter;
            s->_ws_mean_jitter = (s->_ws_mean_jitter * (n - 1) + jitter_now) /
                                 n;
        }
    }

    if (in_time)
        s->_ws_time_us = arrival_us;
    s->_ws_stop_seq = h->seq;
    s->_ws_total++;
}

/* ------------------------------------------------------------------ */
/* Statistics: public                                                  */
/* ------------------------------------------------------------------ */

void rtp_stream_init(struct rtp_stream_stats *s)
{
    memset(s, 0, sizeof(*s));
}

void rtp_stream_update(struct rtp_stream_stats *s, const struct rtp_header *h,
                       int64_t arrival_us, uint32_t clock_rate, uint8_t dscp)
{
    uint8_t pt = h->payload_type & 0x7f;

    if (!s->_started) {
        s->_started = true;
        s->ssrc = h->ssrc;
        s->first_us = arrival_us;
        s->first_pt = pt;
        /* A.1: a new source starts on probation. */
        rtp_seq_init(s, h->seq);
        s->_max_seq = (uint16_t)(h->seq - 1);
        s->_probation = RTP_MIN_SEQUENTIAL;
        rtp_ws_first(s, h, arrival_us);
    } else {
        if (arrival_us - s->last_us > s->max_gap_us)
            s->max_gap_us = arrival_us - s->last_us;
        if (pt != s->last_pt)
            s->pt_changes++;
        rtp_ws_update(s, h, arrival_us, clock_rate);
    }
    rtp_seq_update(s, h->seq);
    rtp_jitter_update(s, h, arrival_us, clock_rate);

    s->packets++;
    s->payload_bytes += h->wire_payload_len;
    if (h->marker)
        s->markers++;
    if (rtp_pt_is_cn(pt))
        s->comfort_noise++;
    s->pt_seen[pt / 64] |= (uint64_t)1 << (pt % 64);
    s->dscp_seen |= (uint64_t)1 << (dscp & 0x3f);
    s->last_pt = pt;
    s->last_us = arrival_us;
}

void rtp_stream_summarize(const struct rtp_stream_stats *s,
                          struct rtp_stream_summary *out)
{
    int64_t seg_expected;

    memset(out, 0, sizeof(*out));
    if (!s->_started)
        return;

    out->packets = s->packets;
    out->start_s = (double)s->first_us / 1e6;
    out->end_s = (double)s->last_us / 1e6;

    out->expected = (int64_t)s->_ws_stop_seq +
                    (int64_t)s->_ws_cycles * RTP_SEQ_MOD -
                    (int64_t)s->_ws_start_seq + 1;
    out->lost = out->expected - (int64_t)s->_ws_total;
    if (out->expected != 0)
        out->lost_pct = (double)out->lost * 100.0 / (double)out->expected;
    out->min_delta_ms = s->_ws_min_delta < 0 ? 0 : s->_ws_min_delta;
    out->mean_delta_ms = s->_ws_mean_delta;
    out->max_delta_ms = s->_ws_max_delta;
    out->min_jitter_ms = s->_ws_min_jitter < 0 ? 0 : s->_ws_min_jitter;
    out->mean_jitter_ms = s->_ws_mean_jitter;
    out->max_jitter_ms = s->_ws_max_jitter;
    out->seq_errors = s->_ws_seq_errors;
    out->problem = s->_ws_problem;

    out->valid = s->_valid;
    seg_expected = s->_valid ? rtp_seq_expected(s) : 0;
    out->ext_max_seq = s->_valid ? s->_cycles + s->_max_seq : 0;
    out->rfc_expected = (int64_t)s->_prior_expected + seg_expected;
    out->rfc_received = (int64_t)(s->_prior_received +
                                  (s->_valid ? s->_received : 0));
    out->rfc_lost = out->rfc_expected - out->rfc_received;
    if (s->_jitter_rate != 0)
        out->jitter_ms = s->_jitter_ts * 1000.0 / s->_jitter_rate;
    out->duplicates = s->duplicates;
    out->reordered = s->reordered;
    out->restarts = s->restarts;
    out->max_gap_ms = (double)s->max_gap_us / 1000.0;
}
