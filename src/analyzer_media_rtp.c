/* Media stage, RTP and RTCP: per-stream statistics (rtp.h), what RTCP
 * receivers report about each source, and the rtp_streams records.
 * Specs: RFC 3550 sections 5.1, 6.4 and appendix A; RFC 3551 (payload
 * types); RFC 5761 (RTCP on the RTP port). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_media_internal.h"
#include "ipaddr.h"
#include "media_record.h"
#include "mos.h"
#include "rtcp.h"
#include "xalloc.h"

#define MEDIA_WAYS 4

/* --- the RTCP source table ------------------------------------------- */

_Static_assert(ANALYZER_MEDIA_RTCP_SOURCES_MAX <= UINT16_MAX,
               "RTCP record numbers are 16-bit");

int analyzer_media_rtp_init(struct analyzer_media *m)
{
    m->rtcp = calloc(ANALYZER_MEDIA_RTCP_SOURCES_MAX, sizeof(*m->rtcp));
    m->rtcp_ways = calloc(ANALYZER_MEDIA_RTCP_SOURCES_MAX,
                          sizeof(*m->rtcp_ways));
    if (!m->rtcp || !m->rtcp_ways)
        return -1;
    return analyzer_media_call_init(m);
}

void analyzer_media_rtp_release(struct analyzer_media *m)
{
    free(m->rtcp);
    free(m->rtcp_ways);
    m->rtcp = NULL;
    m->rtcp_ways = NULL;
    analyzer_media_call_release(m);
}

void analyzer_media_rtp_clear(struct analyzer_media *m)
{
    if (m->rtcp && m->n_rtcp_made > 0) {
        memset(m->rtcp, 0, m->n_rtcp_made * sizeof(*m->rtcp));
        memset(m->rtcp_ways, 0,
               ANALYZER_MEDIA_RTCP_SOURCES_MAX * sizeof(*m->rtcp_ways));
        m->n_rtcp_made = 0;
    }
    analyzer_media_call_clear(m);
}

static uint64_t media_rtcp_hash(uint32_t ssrc, const struct ip_addr *a,
                                const struct ip_addr *b)
{
    uint64_t h = 1469598103934665603ull ^ ssrc;
    size_t i;

    for (i = 0; i < sizeof(a->bytes); i++) {
        h = (h ^ a->bytes[i]) * 1099511628211ull;
        h = (h ^ b->bytes[i]) * 1099511628211ull;
    }
    return h ^ (h >> 31);
}

/* The entry of (ssrc, address pair); with create, a new one replaces the
 * oldest of its bucket when the bucket is full (counted).  NULL when not
 * found and not created. */
static struct media_rtcp_src *media_rtcp_src(struct analyzer_media *m,
                                             uint32_t ssrc,
                                             const struct ip_addr *x,
                                             const struct ip_addr *y,
                                             bool create)
{
    const struct ip_addr *a = ipaddr_cmp(x, y) <= 0 ? x : y;
    const struct ip_addr *b = a == x ? y : x;
    size_t nb = ANALYZER_MEDIA_RTCP_SOURCES_MAX / MEDIA_WAYS;
    size_t base = (size_t)(media_rtcp_hash(ssrc, a, b) % nb) * MEDIA_WAYS;
    size_t victim = base;
    struct media_rtcp_src *v;
    size_t i;

    for (i = base; i < base + MEDIA_WAYS; i++) {
        unsigned n = m->rtcp_ways[i], vn = m->rtcp_ways[victim];
        struct media_rtcp_src *e = n ? &m->rtcp[n - 1] : NULL;

        if (e && e->ssrc == ssrc && ipaddr_equal(&e->a, a) &&
            ipaddr_equal(&e->b, b))
            return e;
        /* An unused way, else the oldest. */
        if (vn && (!e || e->seq < m->rtcp[vn - 1].seq))
            victim = i;
    }
    if (!create)
        return NULL;
    if (m->rtcp_ways[victim]) {
        m->stats.rtcp_sources_replaced++;
    } else {
        /* One record per way at most: never more than the array holds. */
        m->rtcp_ways[victim] = (uint16_t)(++m->n_rtcp_made);
    }
    v = &m->rtcp[m->rtcp_ways[victim] - 1];
    memset(v, 0, sizeof(*v));
    v->used = true;
    v->seq = ++m->clock;
    v->ssrc = ssrc;
    v->a = *a;
    v->b = *b;
    return v;
}

void analyzer_media_rtcp_packet(struct analyzer_media *m,
                                struct media_flow *mf,
                                const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir)
{
    struct rtcp_compound c;
    enum rtcp_status rs;
    unsigned i;

    rs = rtcp_parse(d->payload, d->payload_len, d->payload_wire_len, &c);
    if (c.packets == 0) {
        m->stats.rtcp_bad++;
        return;
    }
    /* SRTCP encrypts everything after the first header: what came before
     * the failure is still the sender's. */
    if (rs != RTCP_OK)
        m->stats.rtcp_bad++;
    m->stats.rtcp_packets++;
    if (mf->st)
        mf->st->rtcp_packets[dir]++;
    if (c.has_sr) {
        struct media_rtcp_src *e =
            media_rtcp_src(m, c.sr.ssrc, &d->src, &d->dst, true);

        e->sr_mid[e->sr_next] = rtcp_ntp_middle32(c.sr.ntp_sec,
                                                  c.sr.ntp_frac);
        e->sr_seen[e->sr_next] = pkt->ts_us;
        e->sr_next = (e->sr_next + 1) % MEDIA_RTCP_SR_KEEP;
    }
    for (i = 0; i < c.block_count; i++) {
        const struct rtcp_report_block *b = &c.blocks[i];
        struct media_rtcp_src *e =
            media_rtcp_src(m, b->ssrc, &d->src, &d->dst, true);
        unsigned k;

        e->reports++;
        e->fraction_sum += b->fraction_lost / 256.0;
        e->cum_lost = b->cumulative_lost;
        if (b->jitter > e->max_jitter)
            e->max_jitter = b->jitter;
        if (b->lsr == 0)
            continue;
        /* The SR this block answers went the other way: the passive
         * round trip needs no clock agreement (rtcp.h). */
        for (k = 0; k < MEDIA_RTCP_SR_KEEP; k++) {
            int64_t rtt;

            if (e->sr_seen[k] == 0 || e->sr_mid[k] != b->lsr)
                continue;
            rtt = rtcp_rtt_passive_us(e->sr_seen[k], pkt->ts_us, b->dlsr);
            if (rtt >= 0) {
                e->rtt_count++;
                e->rtt_sum_us += rtt;
            }
            break;
        }
    }
}

/* --- RTP streams ------------------------------------------------------ */

void analyzer_media_rtp_drop(struct media_state *st)
{
    unsigned i;

    for (i = 0; i < st->n_streams; i++)
        rtp_series_release(&st->streams[i].series);
    free(st->streams);
    st->streams = NULL;
    st->n_streams = 0;
}

static struct media_stream *media_stream_get(struct analyzer_media *m,
                                             struct media_state *st,
                                             enum flow_dir dir,
                                             uint32_t ssrc,
                                             uint64_t packet)
{
    struct media_stream *s;
    unsigned i;

    for (i = 0; i < st->n_streams; i++)
        if (st->streams[i].dir == dir && st->streams[i].ssrc == ssrc)
            return &st->streams[i];
    if (st->n_streams == ANALYZER_MEDIA_MAX_STREAMS) {
        if (!st->has_dropped || st->dropped_ssrc != ssrc) {
            m->stats.streams_dropped++;
            st->has_dropped = true;
            st->dropped_ssrc = ssrc;
        }
        m->stats.packets_dropped++;
        return NULL;
    }
    if (st->n_streams == st->cap_streams) {
        /* Room for one stream each way first: nearly every media flow
         * has no more, and it outlives its call by the UDP timeout.  No
         * stream pointer is kept across packets, so the array may move. */
        unsigned cap = st->cap_streams ? st->cap_streams * 2 : 2;
        struct media_stream *more;

        if (cap > ANALYZER_MEDIA_MAX_STREAMS)
            cap = ANALYZER_MEDIA_MAX_STREAMS;
        more = realloc(st->streams, cap * sizeof(*more));
        if (!more) {
            m->stats.alloc_failures++;
            return NULL;
        }
        st->streams = more;
        st->cap_streams = cap;
    }
    s = &st->streams[st->n_streams++];
    memset(s, 0, sizeof(*s));
    s->dir = dir;
    s->ssrc = ssrc;
    s->first_packet = packet;
    rtp_stream_init(&s->stats);
    return s;
}

static const char *media_sdp_encoding(const struct media_expect_entry *e,
                                      uint8_t pt)
{
    size_t i;

    for (i = 0; i < e->n_pt && i < MEDIA_EXPECT_PT_MAX; i++)
        if (e->pt[i] == pt && e->encoding[i][0])
            return e->encoding[i];
    return NULL;
}

static void media_activity_add(struct analyzer_media_activity *a,
                               int64_t ts_us)
{
    if (a->packets == 0 || ts_us < a->first_us)
        a->first_us = ts_us;
    if (a->packets == 0 || ts_us > a->last_us)
        a->last_us = ts_us;
    a->packets++;
}

void analyzer_media_rtp_packet(struct analyzer_media *m, struct flow *f,
                               struct media_flow *mf,
                               const struct pkt *pkt,
                               const struct decoded *d, enum flow_dir dir)
{
    const struct media_expect_entry *e = NULL;
    struct media_state *st = analyzer_media_state(m, mf);
    struct media_stream *s;
    struct rtp_header h;
    const char *enc = NULL;
    unsigned src;
    uint32_t rate;

    if (!st || st->rtp_off)
        return;
    analyzer_media_call_sdp(m, f, mf, pkt);
    if (rtp_parse_strict(d->payload, d->payload_len, d->payload_wire_len,
                         &h) != RTP_OK) {
        m->stats.rtp_bad++;
        return;
    }
    s = media_stream_get(m, st, dir, h.ssrc, pkt->num);
    if (!s)
        return;
    /* An SDP's payload type map applies to what its author receives
     * (RFC 3264 section 5.1): the destination's announcement first. */
    src = analyzer_media_src_side(f, d);
    if (st->has_ep[1 - src])
        e = &st->ep[1 - src];
    else if (st->has_ep[src])
        e = &st->ep[src];
    if (e)
        enc = media_sdp_encoding(e, h.payload_type);
    rate = rtp_clock_rate_for(h.payload_type, enc,
                              e ? media_expect_clock_rate(e, h.payload_type)
                                : 0);
    if (rate) {
        s->clock_rate = rate;
        if (enc && !s->encoding[0])
            snprintf(s->encoding, sizeof(s->encoding), "%s", enc);
    }
    /* Before the update: a new interval is measured from the figures
     * of the packets before this one. */
    if (rtp_series_packet(&s->series, pkt->ts_us, &s->stats) != 0)
        m->stats.alloc_failures++;
    rtp_stream_update(&s->stats, &h, pkt->ts_us, rate, d->dscp);
    media_activity_add(&st->rtp[dir], pkt->ts_us);
}

/* --- records ---------------------------------------------------------- */

static void media_pt_text(const struct rtp_stream_stats *s, char *buf,
                          size_t len)
{
    size_t used = 0;
    unsigned pt;

    buf[0] = '\0';
    for (pt = 0; pt < 128 && used < len; pt++) {
        int n;

        if (!(s->pt_seen[pt / 64] & (UINT64_C(1) << (pt % 64))))
            continue;
        n = snprintf(buf + used, len - used, "%s%u", used ? "," : "", pt);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void media_rtcp_figures(struct analyzer_media *m,
                               const struct media_stream *s,
                               const struct ip_addr *src,
                               const struct ip_addr *dst,
                               struct rtp_stream_record *r)
{
    const struct media_rtcp_src *e =
        media_rtcp_src(m, s->ssrc, src, dst, false);

    r->rtcp_reports = 0;
    r->rtcp_loss_pct = 0;
    r->rtcp_cum_lost = 0;
    r->rtcp_jitter_ms = -1;
    r->rtcp_rtt_ms = -1;
    if (!e)
        return;
    r->rtcp_reports = e->reports;
    if (e->reports) {
        r->rtcp_loss_pct = 100.0 * e->fraction_sum / e->reports;
        r->rtcp_cum_lost = e->cum_lost;
        if (s->clock_rate)
            r->rtcp_jitter_ms = e->max_jitter * 1000.0 / s->clock_rate;
    }
    if (e->rtt_count)
        r->rtcp_rtt_ms = (double)e->rtt_sum_us / e->rtt_count / 1000.0;
}

/* The MOS estimate of mos.h: loss is the larger of what the capture saw
 * (RFC 3550 figures) and what the receiver reported in RTCP, delay half
 * the RTCP round trip when known, else 0. */
static void media_quality(struct rtp_stream_record *r)
{
    const struct rtp_stream_summary *sm = &r->summary;
    struct mos_input in;
    struct mos_result out;
    double loss = 0;

    if (sm->rfc_expected > 0 && sm->rfc_lost > 0)
        loss = 100.0 * (double)sm->rfc_lost / (double)sm->rfc_expected;
    if (r->rtcp_reports && r->rtcp_loss_pct > loss)
        loss = r->rtcp_loss_pct;
    memset(&in, 0, sizeof(in));
    in.codec = mos_codec_from_payload(r->payload_type, r->encoding);
    in.delay_ms = r->rtcp_rtt_ms > 0 ? r->rtcp_rtt_ms / 2 : 0;
    in.jitter_ms = sm->mean_jitter_ms > 0 ? sm->mean_jitter_ms : 0;
    in.loss_pct = loss;
    in.burst_r = 1;
    r->has_mos = mos_estimate(&in, &out) == 0;
    r->mos = r->has_mos ? out.mos : 0;
    r->r_factor = r->has_mos ? out.r : 0;
}

/* The stream's time series, one record per interval that had packets
 * or loss (media_record.h). */
static void media_write_series(struct analyzer_media *m,
                               const struct flow *f,
                               struct media_stream *s)
{
    struct rtp_sample_record r;
    uint32_t i;

    rtp_series_finish(&s->series, &s->stats);
    memset(&r, 0, sizeof(r));
    r.flow_id = f->id;
    r.ssrc = s->ssrc;
    r.direction = s->dir;
    r.bucket_s = s->series.bucket_s;
    for (i = 0; i < s->series.n; i++) {
        const struct rtp_series_point *p = &s->series.points[i];

        if (p->packets == 0 && p->lost == 0)
            continue;
        r.index = i;
        r.packets = p->packets;
        r.lost = p->lost;
        r.jitter_ms = p->jitter_ms;
        emit_record(&m->emit, RECORD_RTP_SAMPLE, &r);
    }
}

static void media_write_stream(struct analyzer_media *m,
                               const struct flow *f,
                               const struct media_state *st,
                               struct media_stream *s)
{
    struct rtp_stream_record r;
    char pts[400], dscp[200];

    memset(&r, 0, sizeof(r));
    r.flow_id = f->id;
    r.call_id = st->has_call ? st->call_id : NULL;
    r.ssrc = s->ssrc;
    r.direction = s->dir;
    if (s->dir == FLOW_DIR_C2S) {
        r.src_ip = f->client_ip;
        r.src_port = f->client_port;
        r.dst_ip = f->server_ip;
        r.dst_port = f->server_port;
    } else {
        r.src_ip = f->server_ip;
        r.src_port = f->server_port;
        r.dst_ip = f->client_ip;
        r.dst_port = f->client_port;
    }
    r.first_packet = s->first_packet;
    r.payload_type = s->stats.first_pt;
    media_pt_text(&s->stats, pts, sizeof(pts));
    r.payload_types = pts;
    r.encoding = s->encoding[0] ? s->encoding
                                : rtp_payload_name_static(s->stats.first_pt);
    r.clock_rate = s->clock_rate;
    r.dscp = analyzer_media_dscp_text(s->stats.dscp_seen, dscp,
                                      sizeof(dscp));
    rtp_stream_summarize(&s->stats, &r.summary);
    media_rtcp_figures(m, s, &r.src_ip, &r.dst_ip, &r);
    media_quality(&r);
    emit_record(&m->emit, RECORD_RTP_STREAM, &r);
    m->stats.rtp_streams++;
    media_write_series(m, f, s);
}

bool analyzer_media_rtp_flow_end(struct analyzer_media *m, struct flow *f,
                                 struct media_flow *mf, uint64_t rtp_dscp[2])
{
    struct media_state *st = mf->st;
    bool is_rtp;
    unsigned i;

    is_rtp = st->by != MEDIA_BY_NONE && !st->rtp_off && st->n_streams > 0;
    if (is_rtp) {
        m->stats.rtp_flows++;
        for (i = 0; i < st->n_streams; i++) {
            media_write_stream(m, f, st, &st->streams[i]);
            rtp_dscp[st->streams[i].dir] |= st->streams[i].stats.dscp_seen;
        }
    }
    analyzer_media_call_flow_end(m, f, mf, is_rtp);
    return is_rtp;
}
