/* The SIP stage: SIP over UDP and TCP on any port, message records,
 * transactions and calls, and the SIP findings.  Spec: RFC 3261 (sections
 * 17 and 18 for transactions and transport, Table 4 for timers), RFC
 * 3581 (rport), RFC 4566 (SDP), RFC 4961 (symmetric RTP); the NAT and
 * ALG signatures are in analyzer_sip_nat.c.  Thresholds are stated in
 * analyzer_sip.h. */
#include "config.h"

#include "analyzer_sip.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_sip_internal.h"
#include "analyzer_sip_nat.h"
#include "options.h"
#include "profile.h"
#include "sdp.h"
#include "sip.h"
#include "sip_record.h"
#include "sip_stream.h"
#include "sip_txn.h"

#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17

/* Longest single header value stored; Via lists get more. */
#define SIP_TEXT_FIELD_MAX 1024
#define SIP_TEXT_VIA_MAX 4096

enum sip_tcp_mode {
    SIP_TCP_UNKNOWN,
    SIP_TCP_SIP,
    SIP_TCP_NOT_SIP,
};

/* Heap state of a flow that carries SIP.  A signature's accumulator
 * (half a kilobyte of evidence text) is allocated at its first hit: most
 * SIP flows never show one, and they outlive their calls by the UDP
 * timeout. */
struct sip_flow_state {
    struct sip_stream *stream[2];   /* TCP, by key side */
    struct sip_sig_acc *acc[ANALYZER_SIP_NAT_SIG_COUNT];
};

/* The stage's slice of flow->ext, zeroed by the flow table.  Small,
 * because every flow has one. */
struct analyzer_sip_flow {
    struct sip_flow_state *sf;      /* NULL until the flow carries SIP */
    uint8_t tcp_mode;               /* enum sip_tcp_mode */
    uint8_t tcp_probe;
    bool syn_seen[2];               /* by key side */
    uint32_t next_seq[2];           /* first byte of the stream */
    uint8_t media_probe[2];         /* UDP packets compared with SDP */
};

/* --- small helpers ------------------------------------------------------ */

static void home_nets(const struct analyzer_sip *self,
                      const struct ip_prefix **p, size_t *n)
{
    *p = self->cfg ? self->cfg->home_nets : NULL;
    *n = self->cfg ? self->cfg->n_home_nets : 0;
}

/* --- text arena for one record ------------------------------------------- */

static void text_reset(struct analyzer_sip *self)
{
    self->text_used = 0;
}

/* A NUL-terminated copy of at most max bytes of v in the arena; NULL
 * when v is absent or the arena is full. */
static const char *text_put(struct analyzer_sip *self, struct sip_str v,
                            size_t max)
{
    size_t room = sizeof(self->text) - self->text_used;
    size_t n = v.len < max ? v.len : max;
    char *out;

    if (!v.ptr || room < 2)
        return NULL;
    if (n > room - 1)
        n = room - 1;
    out = self->text + self->text_used;
    memcpy(out, v.ptr, n);
    out[n] = '\0';
    self->text_used += n + 1;
    return out;
}

/* Appends formatted text to a string being built at the arena's end;
 * begin with text_begin(), finish with text_end(). */
static char *text_begin(struct analyzer_sip *self)
{
    if (self->text_used >= sizeof(self->text))
        return NULL;
    self->text[self->text_used] = '\0';
    return self->text + self->text_used;
}

static void text_append(struct analyzer_sip *self, char *start,
                        size_t max, const char *sep, struct sip_str v)
{
    size_t used, room;

    if (!start || !v.ptr)
        return;
    used = strlen(start);
    room = sizeof(self->text) - (size_t)(start - self->text);
    if (room > max + 1)
        room = max + 1;
    if (used + 1 >= room)
        return;
    snprintf(start + used, room - used, "%s%.*s", used ? sep : "",
             (int)(v.len < max ? v.len : max), v.ptr);
}

static const char *text_end(struct analyzer_sip *self, char *start)
{
    if (!start || start[0] == '\0')
        return NULL;
    self->text_used += strlen(start) + 1;
    return start;
}

/* --- one message --------------------------------------------------------- */

static struct sip_flow_state *flow_sip(struct analyzer_sip *self,
                                       struct analyzer_sip_flow *fs)
{
    if (!fs->sf) {
        fs->sf = calloc(1, sizeof(*fs->sf));
        if (!fs->sf)
            self->st.alloc_failures++;
    }
    return fs->sf;
}

static void accumulate(struct analyzer_sip *self, struct sip_flow_state *sf,
                       const struct analyzer_sip_nat_hit *h,
                       const struct pkt *pkt)
{
    struct sip_sig_acc *a = sf->acc[h->sig];

    if (!a) {
        a = calloc(1, sizeof(*a));
        if (!a) {
            self->st.alloc_failures++;
            return;
        }
        sf->acc[h->sig] = a;
    }
    if (a->count == 0) {
        a->frame = pkt->num;
        a->ts_us = pkt->ts_us;
        memcpy(a->evidence, h->evidence, sizeof(a->evidence));
        memcpy(a->why, h->why, sizeof(a->why));
    }
    if (a->count < UINT32_MAX)
        a->count++;
}

static bool body_is_sdp(const struct sip_msg *m)
{
    struct sip_str ct = sip_str_trim(m->content_type);

    if (m->body.len == 0)
        return false;
    if (ct.ptr)
        return ct.len >= 15 &&
               sip_str_eq_ci(sip_str_sub(ct, 0, 15), "application/sdp");
    return m->body.len >= 2 && m->body.ptr[0] == 'v' && m->body.ptr[1] == '=';
}

static const char *malformed_reason(const struct sip_msg *m,
                                    const struct sip_where *w)
{
    if (m->status == SIP_PARSE_MALFORMED)
        return sip_bad_name(m->bad);
    if (m->status == SIP_PARSE_TRUNCATED) {
        /* RFC 3261 section 18.3: over UDP a body shorter than
         * Content-Length makes the message bad, unless the capture cut
         * it. */
        if (m->header_len > 0 && !w->tcp && w->complete)
            return "body_shorter_than_content_length";
        return "truncated";
    }
    return NULL;
}

/* "audio 4000 RTP/AVP 0 8; video 4002 RTP/AVP 96" */
static const char *sdp_m_text(struct analyzer_sip *self, const struct sdp *s)
{
    char *out = text_begin(self);
    size_t i;

    for (i = 0; out && i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];
        char line[SIP_TEXT_FIELD_MAX];
        struct sip_str v;

        if (md->port_count > 1)
            snprintf(line, sizeof(line), "%.*s %u/%u %.*s %.*s",
                     (int)md->media.len, md->media.ptr ? md->media.ptr : "",
                     (unsigned)md->port, (unsigned)md->port_count,
                     (int)md->proto.len, md->proto.ptr ? md->proto.ptr : "",
                     (int)(md->formats.len < 512 ? md->formats.len : 512),
                     md->formats.ptr ? md->formats.ptr : "");
        else
            snprintf(line, sizeof(line), "%.*s %u %.*s %.*s",
                     (int)md->media.len, md->media.ptr ? md->media.ptr : "",
                     (unsigned)md->port,
                     (int)md->proto.len, md->proto.ptr ? md->proto.ptr : "",
                     (int)(md->formats.len < 512 ? md->formats.len : 512),
                     md->formats.ptr ? md->formats.ptr : "");
        v.ptr = line;
        v.len = strlen(line);
        text_append(self, out, SIP_TEXT_VIA_MAX, "; ", v);
    }
    return text_end(self, out);
}

static void fill_record(struct analyzer_sip *self, const struct sip_msg *m,
                        const struct sdp *s, const struct sip_where *w,
                        bool usable, struct sip_message_record *r)
{
    size_t i, nv;
    char *via;

    text_reset(self);
    memset(r, 0, sizeof(*r));
    r->flow_id = w->f->id;
    r->packet = w->pkt->num;
    r->ts_us = w->pkt->ts_us;
    r->direction = w->dir;
    r->src_ip = w->d->src;
    r->dst_ip = w->d->dst;
    r->src_port = w->d->sport;
    r->dst_port = w->d->dport;
    r->transport = w->tcp ? "tcp" : "udp";
    r->cseq = -1;
    r->via_rport = -1;
    r->content_length = -1;
    r->body_length = -1;
    if (m->is_request)
        r->method = text_put(self, m->method, SIP_TEXT_FIELD_MAX);
    else
        r->status = m->status_code;
    if (!m->is_request)
        r->reason = text_put(self, m->reason, SIP_TEXT_FIELD_MAX);
    r->request_uri = text_put(self, m->ruri_text, SIP_TEXT_FIELD_MAX);
    if (!usable)
        return;
    r->call_id = text_put(self, m->call_id, SIP_TEXT_FIELD_MAX);
    if (m->has_cseq) {
        r->cseq = m->cseq;
        r->cseq_method = text_put(self, m->cseq_method, SIP_TEXT_FIELD_MAX);
    }
    if (m->has_from) {
        r->from_uri = text_put(self, m->from.uri_text, SIP_TEXT_FIELD_MAX);
        r->from_tag = text_put(self, m->from.tag, SIP_TEXT_FIELD_MAX);
    }
    if (m->has_to) {
        r->to_uri = text_put(self, m->to.uri_text, SIP_TEXT_FIELD_MAX);
        r->to_tag = text_put(self, m->to.tag, SIP_TEXT_FIELD_MAX);
    }
    if (m->via_count > 0) {
        const struct sip_via *top = &m->via[0];

        r->via_branch = text_put(self, top->branch, SIP_TEXT_FIELD_MAX);
        r->via_received = text_put(self, top->received, SIP_TEXT_FIELD_MAX);
        if (top->has_rport_value)
            r->via_rport = top->rport;
    }
    nv = m->via_count < SIP_MAX_VIAS ? m->via_count : SIP_MAX_VIAS;
    via = text_begin(self);
    for (i = 0; i < nv; i++)
        text_append(self, via, SIP_TEXT_VIA_MAX, ", ", m->via[i].text);
    r->via = text_end(self, via);
    if (m->contact_star) {
        struct sip_str star = { "*", 1 };

        r->contact = text_put(self, star, 1);
    } else if (m->contact_count > 0) {
        r->contact = text_put(self, m->contact[0].uri_text,
                              SIP_TEXT_FIELD_MAX);
    }
    r->user_agent = text_put(self, m->user_agent, SIP_TEXT_FIELD_MAX);
    r->server = text_put(self, m->server, SIP_TEXT_FIELD_MAX);
    r->content_length = m->content_length;
    r->body_length = (int64_t)m->body_available;
    if (s) {
        struct sdp_endpoint ep;

        if (s->origin.present)
            r->sdp_o = text_put(self, s->origin.address, SIP_TEXT_FIELD_MAX);
        if (sdp_media_endpoint(s, 0, &ep) == 0 && ep.has_addr)
            r->sdp_c = text_put(self, ep.conn.address, SIP_TEXT_FIELD_MAX);
        else if (s->conn.present)
            r->sdp_c = text_put(self, s->conn.address, SIP_TEXT_FIELD_MAX);
        r->sdp_m = sdp_m_text(self, s);
    }
}

/* Parses and accounts one message of len bytes at buf. */
static void sip_message(struct analyzer_sip *self,
                        struct analyzer_sip_flow *fs,
                        const struct sip_where *w, const uint8_t *buf,
                        size_t len)
{
    struct sip_msg *m = &self->msg;
    struct sip_message_record rec;
    struct sip_txn_verdict v;
    const struct sdp *s = NULL;
    bool usable;

    memset(&v, 0, sizeof(v));
    sip_parse(buf, len, m);
    /* A message whose start line and headers are all there is accounted,
     * even when a header is bad or the body is short. */
    usable = m->header_len > 0;
    if (usable && body_is_sdp(m) &&
        sdp_parse((const uint8_t *)m->body.ptr, m->body.len, &self->sdp) ==
            SDP_OK)
        s = &self->sdp;
    if (usable && self->txn) {
        struct sip_txn_pkt tp;

        memset(&tp, 0, sizeof(tp));
        tp.ts_us = w->pkt->ts_us;
        tp.frame = w->pkt->num;
        tp.flow_id = w->f->id;
        tp.src = w->d->src;
        tp.dst = w->d->dst;
        tp.sport = w->d->sport;
        tp.dport = w->d->dport;
        tp.reliable = w->tcp;
        sip_txn_process(self->txn, m, &tp, &v);
    }
    fill_record(self, m, s, w, usable, &rec);
    rec.retransmission = v.resend;
    rec.malformed = malformed_reason(m, w);
    if (rec.malformed) {
        rec.raw = (const char *)buf;
        rec.raw_len = len < ANALYZER_SIP_RAW_MAX ? len : ANALYZER_SIP_RAW_MAX;
        self->st.malformed++;
    }
    self->st.messages++;
    emit_record(&self->emit, RECORD_SIP_MESSAGE, &rec);
    if (!usable)
        return;
    {
        struct analyzer_sip_nat_hit hits[ANALYZER_SIP_NAT_SIG_COUNT];
        struct analyzer_sip_nat_input in;
        struct sip_flow_state *sf = flow_sip(self, fs);
        size_t n, i;

        memset(&in, 0, sizeof(in));
        in.msg = m;
        in.sdp = s;
        in.raw = buf;
        in.raw_len = len;
        in.src = w->d->src;
        in.dst = w->d->dst;
        in.sport = w->d->sport;
        in.dport = w->d->dport;
        in.datagram = !w->tcp;
        in.complete = w->complete;
        home_nets(self, &in.home_nets, &in.n_home_nets);
        n = analyzer_sip_nat_check(&in, hits, ANALYZER_SIP_NAT_SIG_COUNT);
        for (i = 0; sf && i < n; i++)
            accumulate(self, sf, &hits[i], w->pkt);
    }
    analyzer_sip_state_binding(self, m, w);
    if (s && !v.retransmission)
        analyzer_sip_state_media_remember(self, m, s, w);
}

/* --- UDP and TCP --------------------------------------------------------- */

/* Side 0 is the flow key's lo endpoint: stable whatever the flow's
 * client/server orientation decides later. */
static unsigned side_of(const struct flow *f, const struct decoded *d)
{
    if (ipaddr_equal(&d->src, &f->key.lo_ip) && d->sport == f->key.lo_port)
        return 0;
    return 1;
}

static void sip_udp(struct analyzer_sip *self, struct flow *f,
                    struct analyzer_sip_flow *fs, const struct pkt *pkt,
                    const struct decoded *d, enum flow_dir dir)
{
    struct sip_where w;
    enum sip_frame_status ka;

    if (d->payload_len == 0)
        return;
    if (fs->sf) {
        ka = sip_keepalive_kind(d->payload, d->payload_len);
        if (ka == SIP_FRAME_PING || ka == SIP_FRAME_PONG) {
            self->st.keepalives++;
            return;
        }
    }
    if (!sip_looks_like(d->payload, d->payload_len)) {
        if (!fs->sf)
            analyzer_sip_state_media_check(self, f,
                                           &fs->media_probe[side_of(f, d)],
                                           pkt, d);
        return;
    }
    if (!flow_sip(self, fs))
        return;
    memset(&w, 0, sizeof(w));
    w.pkt = pkt;
    w.d = d;
    w.f = f;
    w.dir = dir;
    w.tcp = false;
    w.complete = d->payload_len >= d->payload_wire_len;
    sip_message(self, fs, &w, d->payload, d->payload_len);
}

static void stream_stats_add(struct analyzer_sip *self,
                             const struct sip_stream *s)
{
    struct sip_stream_stats ss;

    sip_stream_get_stats(s, &ss);
    self->st.tcp_gaps += ss.gaps;
    self->st.tcp_overflows += ss.overflows;
    self->st.tcp_skipped_bytes += ss.skipped_bytes;
    self->st.alloc_failures += ss.alloc_failures;
}

/* The stream of one side, created on first use; from the handshake's
 * sequence number when the SYN was seen, else from the first segment. */
static struct sip_stream *side_stream(struct analyzer_sip *self,
                                      struct analyzer_sip_flow *fs,
                                      unsigned side)
{
    struct sip_flow_state *sf = flow_sip(self, fs);
    struct sip_stream *s;

    if (!sf)
        return NULL;
    if (sf->stream[side])
        return sf->stream[side];
    s = sip_stream_new(ANALYZER_SIP_STREAM_MAX);
    if (!s) {
        self->st.alloc_failures++;
        return NULL;
    }
    if (fs->syn_seen[side])
        sip_stream_begin(s, fs->next_seq[side]);
    sf->stream[side] = s;
    self->st.tcp_streams++;
    return s;
}

static void drop_streams(struct analyzer_sip *self,
                         struct analyzer_sip_flow *fs)
{
    size_t i;

    for (i = 0; fs->sf && i < 2; i++) {
        if (fs->sf->stream[i]) {
            stream_stats_add(self, fs->sf->stream[i]);
            sip_stream_free(fs->sf->stream[i]);
            fs->sf->stream[i] = NULL;
        }
    }
}

/* Decides whether a TCP connection carries SIP: the first bytes of a
 * side's stream must start like SIP.  A CRLF keep-alive there is
 * skipped.  Segments that arrive ahead of the first bytes are kept in
 * the side's stream until those come.  Without the handshake in the
 * capture, the first of ANALYZER_SIP_TCP_PROBE payload segments that
 * starts like SIP starts the stream.  Returns the mode. */
static enum sip_tcp_mode tcp_mode(struct analyzer_sip *self,
                                  struct analyzer_sip_flow *fs,
                                  unsigned side, const struct decoded *d)
{
    enum sip_frame_status ka;
    struct sip_stream *s;
    bool at_start;

    if (fs->tcp_mode != SIP_TCP_UNKNOWN)
        return (enum sip_tcp_mode)fs->tcp_mode;
    if (sip_looks_like(d->payload, d->payload_len)) {
        fs->tcp_mode = SIP_TCP_SIP;
        return SIP_TCP_SIP;
    }
    at_start = fs->syn_seen[side] && d->tcp.seq == fs->next_seq[side];
    ka = sip_keepalive_kind(d->payload, d->payload_len);
    if (at_start && (ka == SIP_FRAME_PING || ka == SIP_FRAME_PONG)) {
        fs->next_seq[side] += d->payload_len;
        return SIP_TCP_UNKNOWN;
    }
    if (at_start || ++fs->tcp_probe >= ANALYZER_SIP_TCP_PROBE) {
        fs->tcp_mode = SIP_TCP_NOT_SIP;
        drop_streams(self, fs);
        return SIP_TCP_NOT_SIP;
    }
    if (fs->syn_seen[side]) {
        s = side_stream(self, fs, side);
        if (s)
            sip_stream_segment(s, d->tcp.seq, d->payload, d->payload_len);
    }
    return SIP_TCP_UNKNOWN;
}

static void sip_tcp(struct analyzer_sip *self, struct flow *f,
                    struct analyzer_sip_flow *fs, const struct pkt *pkt,
                    const struct decoded *d, enum flow_dir dir)
{
    unsigned side = side_of(f, d);
    struct sip_stream *s;
    struct sip_where w;
    const uint8_t *unit;
    size_t len;
    enum sip_frame_status st;

    if (d->tcp.flags & TCP_SYN) {
        fs->syn_seen[side] = true;
        fs->next_seq[side] = d->tcp.seq + 1;
        return;
    }
    if (d->payload_len == 0 ||
        tcp_mode(self, fs, side, d) != SIP_TCP_SIP)
        return;
    s = side_stream(self, fs, side);
    if (!s)
        return;
    sip_stream_segment(s, d->tcp.seq, d->payload, d->payload_len);
    memset(&w, 0, sizeof(w));
    w.pkt = pkt;
    w.d = d;
    w.f = f;
    w.dir = dir;
    w.tcp = true;
    w.complete = true;
    for (;;) {
        st = sip_stream_next(s, &unit, &len);
        if (st == SIP_FRAME_NEED_MORE)
            break;
        if (st == SIP_FRAME_PING || st == SIP_FRAME_PONG)
            self->st.keepalives++;
        else if (st == SIP_FRAME_MESSAGE || sip_looks_like(unit, len))
            sip_message(self, fs, &w, unit, len);
    }
}

/* --- hooks -------------------------------------------------------------- */

static const char *requirement_for(const struct profile *p,
                                   enum profile_check check,
                                   uint32_t *param)
{
    size_t i, n = p ? profile_requirement_count(p) : 0;

    for (i = 0; i < n; i++) {
        const struct profile_requirement *r = profile_requirement_at(p, i);

        if (r->check == check) {
            if (param)
                *param = r->check_param;
            return r->id;
        }
    }
    return NULL;
}

static void *analyzer_sip_create(const struct analyzer_env *env)
{
    struct analyzer_sip *self = calloc(1, sizeof(*self));

    if (!self)
        return NULL;
    self->emit = env->emit;
    self->cfg = env->cfg;
    self->media = env->media;
    self->req_alg = requirement_for(env->profile, PROFILE_CHECK_NO_SIP_ALG,
                                    NULL);
    self->req_nat = requirement_for(env->profile, PROFILE_CHECK_SINGLE_NAT,
                                    NULL);
    self->req_udpto = requirement_for(env->profile,
                                      PROFILE_CHECK_UDP_TIMEOUT,
                                      &self->udpto_s);
    if (analyzer_sip_state_init(self) != 0) {
        free(self);
        return NULL;
    }
    return self;
}

static void analyzer_sip_destroy(void *self_)
{
    struct analyzer_sip *self = self_;

    if (!self)
        return;
    sip_txn_free(self->txn);
    analyzer_sip_state_release(self);
    free(self);
}

static void analyzer_sip_capture_begin(void *self_,
                                       const struct capture_meta *meta)
{
    struct analyzer_sip *self = self_;
    struct sip_txn_config cfg;
    struct sip_txn_events ev;

    (void)meta;
    sip_txn_free(self->txn);
    sip_txn_config_defaults(&cfg);
    memset(&ev, 0, sizeof(ev));
    ev.txn_end = analyzer_sip_state_txn_end;
    ev.call_end = analyzer_sip_state_call_end;
    ev.arg = self;
    /* Without a table the stage still writes messages; it only loses
     * transactions, calls and their findings. */
    self->txn = sip_txn_new(&cfg, &ev);
    if (!self->txn)
        self->st.alloc_failures++;
}

static void analyzer_sip_packet(void *self_, struct flow *f, void *fstate,
                                const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir)
{
    struct analyzer_sip *self = self_;
    struct analyzer_sip_flow *fs = fstate;

    if (self->txn)
        sip_txn_advance(self->txn, pkt->ts_us);
    if (d->proto == IPPROTO_NUM_UDP)
        sip_udp(self, f, fs, pkt, d, dir);
    else if (d->proto == IPPROTO_NUM_TCP)
        sip_tcp(self, f, fs, pkt, d, dir);
}

static void analyzer_sip_flow_end(void *self_, struct flow *f, void *fstate,
                                  enum flow_end_reason why)
{
    struct analyzer_sip *self = self_;
    struct analyzer_sip_flow *fs = fstate;
    struct sip_flow_state *sf = fs->sf;
    size_t i;

    (void)why;
    if (!sf)
        return;
    for (i = 0; i < ANALYZER_SIP_NAT_SIG_COUNT; i++) {
        if (sf->acc[i] && sf->acc[i]->count > 0)
            analyzer_sip_state_emit_sig(self, f,
                                        (enum analyzer_sip_nat_sig)i,
                                        sf->acc[i]);
        free(sf->acc[i]);
    }
    for (i = 0; i < 2; i++) {
        if (sf->stream[i]) {
            stream_stats_add(self, sf->stream[i]);
            sip_stream_free(sf->stream[i]);
        }
    }
    free(sf);
    fs->sf = NULL;
}

static void analyzer_sip_capture_end(void *self_,
                                     const struct capture_meta *meta)
{
    struct analyzer_sip *self = self_;

    if (self->txn)
        sip_txn_flush(self->txn, meta->last_us);
    sip_txn_free(self->txn);
    self->txn = NULL;
    analyzer_sip_state_reset(self);
}

void analyzer_sip_get_stats(const void *self_, struct analyzer_sip_stats *out)
{
    const struct analyzer_sip *self = self_;

    *out = self->st;
}

const struct analyzer_ops analyzer_sip_ops = {
    .name = "sip",
    .flow_state_size = sizeof(struct analyzer_sip_flow),
    .create = analyzer_sip_create,
    .destroy = analyzer_sip_destroy,
    .capture_begin = analyzer_sip_capture_begin,
    .packet = analyzer_sip_packet,
    .icmp_error = NULL,
    .flow_end = analyzer_sip_flow_end,
    .capture_end = analyzer_sip_capture_end,
};
