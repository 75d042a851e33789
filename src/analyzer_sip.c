/* The SIP stage: SIP over UDP and TCP on any port, message records,
 * transactions and calls, and the SIP findings.  Spec: RFC 3261 (sections
 * 17 and 18 for transactions and transport, Table 4 for timers), RFC
 * 3581 (rport), RFC 4566 (SDP), RFC 4961 (symmetric RTP); the NAT and
 * ALG signatures are in analyzer_sip_nat.c.  Thresholds are stated in
 * analyzer_sip.h. */
#include "config.h"

#include "analyzer_sip.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_sip_nat.h"
#include "finding.h"
#include "options.h"
#include "profile.h"
#include "sdp.h"
#include "sip.h"
#include "sip_record.h"
#include "sip_stream.h"
#include "sip_txn.h"

#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17

/* Room for the strings of one sip_messages row. */
#define SIP_TEXT_ARENA 16384
/* Longest single header value stored; Via lists get more. */
#define SIP_TEXT_FIELD_MAX 1024
#define SIP_TEXT_VIA_MAX 4096
/* Longest value quoted in a finding. */
#define SIP_QUOTE_MAX 60

enum sip_tcp_mode {
    SIP_TCP_UNKNOWN,
    SIP_TCP_SIP,
    SIP_TCP_NOT_SIP,
};

/* Per flow and signature: how often it was seen and the first time. */
struct sip_sig_acc {
    uint32_t count;
    uint64_t frame;
    int64_t ts_us;
    char evidence[ANALYZER_SIP_NAT_TEXT_MAX];
    char why[ANALYZER_SIP_NAT_TEXT_MAX];
};

/* Heap state of a flow that carries SIP. */
struct sip_flow_state {
    struct sip_stream *stream[2];   /* TCP, by key side */
    struct sip_sig_acc acc[ANALYZER_SIP_NAT_SIG_COUNT];
};

/* The stage's slice of flow->ext, zeroed by the flow table.  Small,
 * because every flow has one. */
struct analyzer_sip_flow {
    struct sip_flow_state *sf;      /* NULL until the flow carries SIP */
    uint8_t tcp_mode;               /* enum sip_tcp_mode */
    uint8_t tcp_probe;
    bool syn_seen[2];               /* by key side */
    bool payload_seen[2];
    uint32_t next_seq[2];           /* after the SYN */
    uint8_t media_probe[2];         /* UDP packets compared with SDP */
};

/* Retransmissions of one call (by sip_txn call id), kept until the call
 * ends.  Slot free when call_ref == 0. */
struct sip_acct {
    uint64_t call_ref;
    uint32_t all;               /* every retransmitted copy */
    uint32_t counted;           /* ... outside no-response/no-ACK */
    uint32_t worst;             /* of the worst transaction */
    uint32_t worst_copies;
    bool worst_final;           /* its final response was resent most */
    uint64_t worst_frame;
    int64_t worst_us;
    uint64_t worst_flow;
    char worst_method[24];
    struct ip_addr worst_from;
    struct ip_addr worst_to;
    uint16_t worst_from_port;
    uint16_t worst_to_port;
};

/* The NAT binding a 2xx to REGISTER shows.  Slot free when key == 0. */
struct sip_binding {
    uint64_t key;               /* AoR and registrar */
    char sent_by[80];           /* Via sent-by host:port as written */
    char received[48];          /* received= text, "" when absent */
    int32_t rport;              /* -1 absent */
    uint64_t frame;
    int64_t ts_us;
};

/* One media endpoint an SDP announced. */
struct sip_media_ann {
    uint64_t call_ref;          /* 0: free */
    struct ip_addr addr;
    uint16_t port;
    uint64_t frame;
    int64_t ts_us;
    bool reported;
};

struct analyzer_sip {
    struct emit emit;
    const struct config *cfg;
    const char *req_alg;
    const char *req_nat;
    const char *req_udpto;
    uint32_t udpto_s;

    struct sip_txn_table *txn;
    struct sip_msg msg;         /* ~22 KiB: one per stage, reused */
    struct sdp sdp;             /* ~85 KiB */
    char text[SIP_TEXT_ARENA];
    size_t text_used;

    struct sip_acct *accts;     /* ANALYZER_SIP_ACCOUNTS_MAX slots */
    struct sip_binding *bindings;   /* ANALYZER_SIP_BINDINGS_MAX slots */
    struct sip_media_ann *media;    /* ring of ANALYZER_SIP_MEDIA_MAX */
    size_t media_next;

    struct analyzer_sip_stats st;
};

/* Where one message was seen. */
struct sip_where {
    const struct pkt *pkt;
    const struct decoded *d;
    const struct flow *f;
    enum flow_dir dir;
    bool tcp;
    bool complete;              /* UDP: not cut by the snaplen */
};

/* snprintf for texts that may be cut at their buffer's size: a cut
 * summary is still useful, so truncation is not an error here. */
static void text_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void text_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* --- small helpers ------------------------------------------------------ */

static uint64_t fnv1a(uint64_t h, const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void home_nets(const struct analyzer_sip *self,
                      const struct ip_prefix **p, size_t *n)
{
    *p = self->cfg ? self->cfg->home_nets : NULL;
    *n = self->cfg ? self->cfg->n_home_nets : 0;
}

static void fmt_endpoint(char *buf, size_t size, const struct ip_addr *a,
                         uint16_t port)
{
    char ip[IPADDR_STRLEN];

    ipaddr_format(a, ip);
    if (a->family == 6)
        snprintf(buf, size, "[%s]:%u", ip, (unsigned)port);
    else
        snprintf(buf, size, "%s:%u", ip, (unsigned)port);
}

/* "31.5": tenths of a second. */
static void fmt_seconds(char *buf, size_t size, int64_t us)
{
    if (us < 0)
        us = 0;
    snprintf(buf, size, "%" PRId64 ".%" PRId64, us / 1000000,
             (us % 1000000) / 100000);
}

static void finding_init(struct finding *fd, const char *kind,
                         enum finding_severity sev, const char *req,
                         uint64_t flow_id, uint64_t frame, int64_t ts_us)
{
    memset(fd, 0, sizeof(*fd));
    fd->kind = kind;
    fd->severity = sev;
    fd->requirement = req;
    fd->flow_id = flow_id;
    fd->first_packet = frame;
    fd->ts_us = ts_us;
}

static const char *sig_requirement(const struct analyzer_sip *self,
                                   enum analyzer_sip_nat_sig sig)
{
    switch (sig) {
    case ANALYZER_SIP_NAT_CGNAT:
    case ANALYZER_SIP_NAT_DOUBLE:
        return self->req_nat;
    case ANALYZER_SIP_NAT_BINDING_CHANGED:
        return self->req_udpto;
    default:
        return self->req_alg;
    }
}

/* --- text arena for one record -------------------------------------------- */

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

/* --- retransmission accounts (open addressing, linear probing) ------------ */

static size_t acct_slot(uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) &
           (ANALYZER_SIP_ACCOUNTS_MAX - 1);
}

static struct sip_acct *acct_find(struct analyzer_sip *self, uint64_t key,
                                  bool create)
{
    size_t i = acct_slot(key), k;

    for (k = 0; k < ANALYZER_SIP_ACCOUNTS_MAX; k++) {
        struct sip_acct *a = &self->accts[i];

        if (a->call_ref == key)
            return a;
        if (a->call_ref == 0) {
            if (!create)
                return NULL;
            memset(a, 0, sizeof(*a));
            a->call_ref = key;
            return a;
        }
        i = (i + 1) & (ANALYZER_SIP_ACCOUNTS_MAX - 1);
    }
    if (create)
        self->st.accounts_dropped++;
    return NULL;
}

/* Removes a slot and shifts later members of its probe run back, so
 * lookups never need tombstones. */
static void acct_remove(struct analyzer_sip *self, struct sip_acct *a)
{
    size_t mask = ANALYZER_SIP_ACCOUNTS_MAX - 1;
    size_t hole = (size_t)(a - self->accts);
    size_t i = (hole + 1) & mask;

    self->accts[hole].call_ref = 0;
    while (self->accts[i].call_ref != 0) {
        size_t home = acct_slot(self->accts[i].call_ref);

        /* Move i into the hole when its home is not in (hole, i]. */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            self->accts[hole] = self->accts[i];
            self->accts[i].call_ref = 0;
            hole = i;
        }
        i = (i + 1) & mask;
    }
}

/* --- transaction and call callbacks --------------------------------------- */

static void emit_no_response(struct analyzer_sip *self,
                             const struct sip_txn_report *r)
{
    struct finding fd;
    char to[IPADDR_STRLEN + 8], from[IPADDR_STRLEN + 8], span[32];
    char sent[48];

    fmt_endpoint(to, sizeof(to), &r->server_ip, r->server_port);
    fmt_endpoint(from, sizeof(from), &r->client_ip, r->client_port);
    fmt_seconds(span, sizeof(span), r->last_us - r->first_us);
    if (r->request_copies <= 1)
        snprintf(sent, sizeof(sent), "sent once%s",
                 r->reliable ? " over a reliable transport" : "");
    else
        snprintf(sent, sizeof(sent), "sent %" PRIu32 " times over %s s",
                 r->request_copies, span);
    finding_init(&fd, "sip_no_response", FINDING_ERROR, NULL, r->flow_id,
                 r->first_frame, r->first_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "%s to %s (from %s, Call-ID %.*s) %s, no response: a "
             "firewall drops the requests or the responses",
             r->method, to, from, SIP_QUOTE_MAX, r->call_id, sent);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void emit_no_ack(struct analyzer_sip *self,
                        const struct sip_txn_report *r)
{
    struct finding fd;
    char to[IPADDR_STRLEN + 8], from[IPADDR_STRLEN + 8], span[32];

    fmt_endpoint(from, sizeof(from), &r->server_ip, r->server_port);
    fmt_endpoint(to, sizeof(to), &r->client_ip, r->client_port);
    fmt_seconds(span, sizeof(span), r->last_us - r->final_us);
    finding_init(&fd, "sip_2xx_no_ack", FINDING_ERROR, NULL, r->flow_id,
                 r->final_frame, r->final_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "%d answer to INVITE (Call-ID %.*s) from %s to %s sent %" PRIu32
             " time%s over %s s, never ACKed: the ACK does not reach the "
             "answering side (a NAT or SIP ALG sends it elsewhere, or a "
             "wrong Contact), so the call drops after about 32 s",
             r->final_status, SIP_QUOTE_MAX, r->call_id, from, to,
             r->final_copies, r->final_copies == 1 ? "" : "s", span);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void on_txn_end(void *arg, const struct sip_txn_report *r)
{
    struct analyzer_sip *self = arg;
    bool reported = r->no_response || r->twoxx_no_ack;
    struct sip_acct *a;
    uint32_t req_re, fin_re;

    if (r->no_response)
        emit_no_response(self, r);
    if (r->twoxx_no_ack)
        emit_no_ack(self, r);
    if (r->retransmissions == 0 || r->call_ref == 0)
        return;
    a = acct_find(self, r->call_ref, true);
    if (!a)
        return;
    a->all += r->retransmissions;
    if (reported)
        return;
    a->counted += r->retransmissions;
    if (r->retransmissions <= a->worst)
        return;
    req_re = r->request_copies > 0 ? r->request_copies - 1 : 0;
    fin_re = r->final_copies > 0 ? r->final_copies - 1 : 0;
    a->worst = r->retransmissions;
    a->worst_final = fin_re > req_re;
    a->worst_copies = a->worst_final ? r->final_copies : r->request_copies;
    a->worst_frame = a->worst_final ? r->final_frame : r->first_frame;
    a->worst_us = a->worst_final ? r->final_us : r->first_us;
    a->worst_flow = r->flow_id;
    snprintf(a->worst_method, sizeof(a->worst_method), "%s", r->method);
    a->worst_from = a->worst_final ? r->server_ip : r->client_ip;
    a->worst_to = a->worst_final ? r->client_ip : r->server_ip;
    a->worst_from_port = a->worst_final ? r->server_port : r->client_port;
    a->worst_to_port = a->worst_final ? r->client_port : r->server_port;
}

static void emit_retransmissions(struct analyzer_sip *self,
                                 const struct sip_call_report *r,
                                 const struct sip_acct *a)
{
    struct finding fd;
    char from[IPADDR_STRLEN + 8], to[IPADDR_STRLEN + 8];
    uint64_t per_mille;

    if (a->counted < ANALYZER_SIP_RETRANS_MIN || r->messages == 0 ||
        (uint64_t)a->counted * 100 <
            (uint64_t)ANALYZER_SIP_RETRANS_PERCENT * r->messages)
        return;
    per_mille = (uint64_t)a->counted * 1000 / r->messages;
    fmt_endpoint(from, sizeof(from), &a->worst_from, a->worst_from_port);
    fmt_endpoint(to, sizeof(to), &a->worst_to, a->worst_to_port);
    finding_init(&fd, "sip_retransmissions", FINDING_WARNING, NULL,
                 a->worst_flow, a->worst_frame, a->worst_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "Call-ID %.*s: %" PRIu32 " of %" PRIu32 " SIP messages were "
             "retransmissions (%" PRIu64 ".%" PRIu64 "%%); most: %s%s from "
             "%s to %s sent %" PRIu32 " times: messages are lost or answered "
             "late between these ends",
             SIP_QUOTE_MAX, r->call_id, a->counted, r->messages,
             per_mille / 10, per_mille % 10,
             a->worst_final ? "the final response to " : "", a->worst_method,
             from, to, a->worst_copies);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void on_call_end(void *arg, const struct sip_call_report *r)
{
    struct analyzer_sip *self = arg;
    struct sip_acct *a = acct_find(self, r->id, false);

    if (r->state != SIP_CALL_NONE) {
        struct call_record c;

        memset(&c, 0, sizeof(c));
        c.flow_id = r->flow_id;
        c.call_id = r->call_id;
        c.state = sip_call_state_name(r->state);
        c.first_method = r->first_method;
        c.from_uri = r->from_uri;
        c.to_uri = r->to_uri;
        c.from_tag = r->from_tag;
        c.to_tag = r->to_tag;
        c.caller_ip = r->caller_ip;
        c.callee_ip = r->callee_ip;
        c.caller_port = r->caller_port;
        c.callee_port = r->callee_port;
        c.first_packet = r->first_frame;
        c.first_us = r->start_us;
        c.last_us = r->last_us;
        c.ring_us = r->ring_delay_us;
        c.setup_us = r->setup_us;
        c.duration_us = r->duration_us;
        c.final_status = r->final_status;
        c.messages = r->messages;
        c.reinvites = r->reinvites;
        c.retransmissions = a ? a->all : 0;
        c.cancelled = r->cancel_seen;
        c.end_reason = sip_call_end_name(r->why);
        emit_record(&self->emit, RECORD_CALL, &c);
    }
    if (a) {
        emit_retransmissions(self, r, a);
        acct_remove(self, a);
    }
}

/* --- NAT bindings between REGISTER refreshes (N4) ------------------------ */

static struct sip_binding *binding_find(struct analyzer_sip *self,
                                        uint64_t key)
{
    size_t i = (size_t)(key >> 20) & (ANALYZER_SIP_BINDINGS_MAX - 1), k;

    for (k = 0; k < ANALYZER_SIP_BINDINGS_MAX; k++) {
        struct sip_binding *b = &self->bindings[i];

        if (b->key == key || b->key == 0)
            return b;
        i = (i + 1) & (ANALYZER_SIP_BINDINGS_MAX - 1);
    }
    self->st.bindings_dropped++;
    return NULL;
}

/* A 2xx to REGISTER: the registrar's received=/rport say which public
 * address and port the NAT gave the phone.  When they change while the
 * phone's Via sent-by stays the same, the NAT dropped the mapping and
 * made a new one between the refreshes (RFC 3581; requirements-data
 * N4).  A SIP ALG that rewrites received= hides this; a phone that
 * changes its own port changes sent-by and is not compared. */
static void check_binding(struct analyzer_sip *self, const struct sip_msg *m,
                          const struct sip_where *w)
{
    const struct sip_via *via = sip_msg_top_via(m);
    struct sip_binding *b;
    struct finding fd;
    char sent_by[80], received[48], old_ep[64], new_ep[64], gap[32];
    char server[IPADDR_STRLEN + 8];
    const char *req;
    enum finding_severity sev;
    int32_t rport;
    uint64_t key;
    int64_t gap_us;

    if (m->is_request || m->cseq_method_id != SIP_METHOD_REGISTER ||
        m->status_code < 200 || m->status_code > 299 || !via ||
        !via->valid || !m->has_to || (!via->received.ptr &&
                                      !via->has_rport_value))
        return;
    key = fnv1a(0xcbf29ce484222325ull, m->to.uri_text.ptr, m->to.uri_text.len);
    key = fnv1a(key, &w->d->src, sizeof(w->d->src));
    key = fnv1a(key, &w->d->sport, sizeof(w->d->sport));
    if (key == 0)
        key = 1;
    snprintf(sent_by, sizeof(sent_by), "%.*s:%u", (int)(via->host.len < 64 ?
             via->host.len : 64), via->host.ptr ? via->host.ptr : "",
             via->has_port ? (unsigned)via->port : 5060u);
    snprintf(received, sizeof(received), "%.*s",
             (int)(via->received.len < 46 ? via->received.len : 46),
             via->received.ptr ? via->received.ptr : "");
    rport = via->has_rport_value ? (int32_t)via->rport : -1;
    b = binding_find(self, key);
    if (!b)
        return;
    if (b->key == key && strcmp(b->sent_by, sent_by) == 0 &&
        (strcmp(b->received, received) != 0 || b->rport != rport)) {
        gap_us = w->pkt->ts_us - b->ts_us;
        /* Refreshes further apart than the required UDP timeout may
         * legitimately find a new mapping. */
        if (self->req_udpto && gap_us <= (int64_t)self->udpto_s * 1000000) {
            req = self->req_udpto;
            sev = FINDING_WARNING;
        } else {
            req = NULL;
            sev = FINDING_INFO;
        }
        snprintf(old_ep, sizeof(old_ep), "%s:%d", b->received[0] ?
                 b->received : "?", (int)b->rport);
        snprintf(new_ep, sizeof(new_ep), "%s:%d", received[0] ? received :
                 "?", (int)rport);
        fmt_seconds(gap, sizeof(gap), gap_us);
        fmt_endpoint(server, sizeof(server), &w->d->src, w->d->sport);
        finding_init(&fd, "nat_rewrite", sev, req, w->f->id, w->pkt->num,
                     w->pkt->ts_us);
        text_fmt(fd.summary, sizeof(fd.summary),
                 "Via received=/rport in the %d to REGISTER from %s (frame "
                 "%" PRIu64 ") changed from %s (frame %" PRIu64 ") to %s "
                 "within %s s while the phone kept sent-by %s: the NAT "
                 "dropped the binding and made a new one (idle timeout "
                 "shorter than the refresh interval, or a second NAT)",
                 m->status_code, server, w->pkt->num, old_ep, b->frame,
                 new_ep, gap, sent_by);
        emit_record(&self->emit, RECORD_FINDING, &fd);
    }
    b->key = key;
    snprintf(b->sent_by, sizeof(b->sent_by), "%s", sent_by);
    snprintf(b->received, sizeof(b->received), "%s", received);
    b->rport = rport;
    b->frame = w->pkt->num;
    b->ts_us = w->pkt->ts_us;
}

/* --- SDP media endpoints against RTP (A6) -------------------------------- */

static void media_remember(struct analyzer_sip *self, const struct sdp *s,
                           uint64_t call_ref, const struct sip_where *w)
{
    size_t i, k;

    if (call_ref == 0)
        return;
    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        struct sdp_endpoint ep;
        struct sip_media_ann *a;
        bool known = false;

        if (sdp_media_endpoint(s, i, &ep) != 0 || !ep.has_addr ||
            !ep.conn.is_ip || ep.null_addr || ep.port == 0)
            continue;
        for (k = 0; k < ANALYZER_SIP_MEDIA_MAX; k++) {
            a = &self->media[k];
            if (a->call_ref == call_ref && a->port == ep.port &&
                ipaddr_equal(&a->addr, &ep.conn.addr))
                known = true;
        }
        if (known)
            continue;
        a = &self->media[self->media_next];
        self->media_next = (self->media_next + 1) % ANALYZER_SIP_MEDIA_MAX;
        memset(a, 0, sizeof(*a));
        a->call_ref = call_ref;
        a->addr = ep.conn.addr;
        a->port = ep.port;
        a->frame = w->pkt->num;
        a->ts_us = w->pkt->ts_us;
    }
}

/* The first packets of each direction of a non-SIP UDP flow: when they
 * go to an endpoint an SDP announced, the sender should be the other
 * party's announced endpoint.  The address matching but not the port
 * means the m= port is not where the media comes from: an ALG that
 * re-allocated the port without mapping the media to it, or a phone
 * that does not send from the port it receives on (RFC 4961). */
static void media_check(struct analyzer_sip *self, struct flow *f,
                        struct analyzer_sip_flow *fs, unsigned side,
                        const struct pkt *pkt, const struct decoded *d)
{
    const struct sip_media_ann *to = NULL;
    struct sip_media_ann *from = NULL;
    struct finding fd;
    char src[IPADDR_STRLEN + 8], dst[IPADDR_STRLEN + 8];
    size_t k;

    if (fs->media_probe[side] >= ANALYZER_SIP_MEDIA_PROBE)
        return;
    fs->media_probe[side]++;
    for (k = 0; k < ANALYZER_SIP_MEDIA_MAX && !to; k++) {
        const struct sip_media_ann *a = &self->media[k];

        if (a->call_ref != 0 && a->port == d->dport &&
            ipaddr_equal(&a->addr, &d->dst))
            to = a;
    }
    if (!to)
        return;
    fs->media_probe[side] = ANALYZER_SIP_MEDIA_PROBE;
    for (k = 0; k < ANALYZER_SIP_MEDIA_MAX; k++) {
        struct sip_media_ann *a = &self->media[k];

        if (a == to || a->call_ref != to->call_ref ||
            !ipaddr_equal(&a->addr, &d->src))
            continue;
        if (a->port == d->sport)
            return;
        if (!from || a->ts_us > from->ts_us)
            from = a;
    }
    if (!from || from->reported)
        return;
    from->reported = true;
    fmt_endpoint(src, sizeof(src), &d->src, d->sport);
    fmt_endpoint(dst, sizeof(dst), &d->dst, d->dport);
    finding_init(&fd, "sip_alg_suspected",
                 analyzer_sip_nat_severity(ANALYZER_SIP_NAT_MEDIA_PORT),
                 self->req_alg, f->id, pkt->num, pkt->ts_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "RTP from %s to %s (frame %" PRIu64 ") leaves the address the "
             "SDP of frame %" PRIu64 " announced, but not its m= port %u: "
             "the SDP port was rewritten without the media being mapped to "
             "it, as an ALG re-allocating ports does (or the phone does not "
             "send from the port it receives on, RFC 4961)",
             src, dst, pkt->num, from->frame, (unsigned)from->port);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

/* --- one message ------------------------------------------------------------ */

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

static void accumulate(struct sip_flow_state *sf,
                       const struct analyzer_sip_nat_hit *h,
                       const struct pkt *pkt)
{
    struct sip_sig_acc *a = &sf->acc[h->sig];

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
            accumulate(sf, &hits[i], w->pkt);
    }
    check_binding(self, m, w);
    if (s && !v.retransmission)
        media_remember(self, s, v.call_ref, w);
}

/* --- UDP and TCP ---------------------------------------------------------- */

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
            media_check(self, f, fs, side_of(f, d), pkt, d);
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

/* Decides whether a TCP connection carries SIP: the first payload of
 * either direction must start like SIP (a CRLF keep-alive is neutral).
 * Without the handshake in the capture, up to ANALYZER_SIP_TCP_PROBE
 * payload segments are looked at. */
static bool tcp_is_sip(struct analyzer_sip_flow *fs, unsigned side,
                       const struct decoded *d)
{
    enum sip_frame_status ka;

    if (fs->tcp_mode == SIP_TCP_SIP)
        return true;
    if (fs->tcp_mode == SIP_TCP_NOT_SIP)
        return false;
    if (sip_looks_like(d->payload, d->payload_len)) {
        fs->tcp_mode = SIP_TCP_SIP;
        return true;
    }
    ka = sip_keepalive_kind(d->payload, d->payload_len);
    if (ka == SIP_FRAME_PING || ka == SIP_FRAME_PONG)
        return false;
    if ((fs->syn_seen[side] && d->tcp.seq == fs->next_seq[side] &&
         !fs->payload_seen[side]) ||
        ++fs->tcp_probe >= ANALYZER_SIP_TCP_PROBE)
        fs->tcp_mode = SIP_TCP_NOT_SIP;
    return false;
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

static void sip_tcp(struct analyzer_sip *self, struct flow *f,
                    struct analyzer_sip_flow *fs, const struct pkt *pkt,
                    const struct decoded *d, enum flow_dir dir)
{
    unsigned side = side_of(f, d);
    struct sip_flow_state *sf;
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
    if (d->payload_len == 0)
        return;
    if (!tcp_is_sip(fs, side, d)) {
        fs->payload_seen[side] = true;
        return;
    }
    sf = flow_sip(self, fs);
    if (!sf)
        return;
    s = sf->stream[side];
    if (!s) {
        s = sip_stream_new(ANALYZER_SIP_STREAM_MAX);
        if (!s) {
            self->st.alloc_failures++;
            return;
        }
        sf->stream[side] = s;
        self->st.tcp_streams++;
        /* From the handshake when nothing of this direction was skipped
         * before; else from this segment on. */
        if (fs->syn_seen[side] && !fs->payload_seen[side])
            sip_stream_begin(s, fs->next_seq[side]);
    }
    fs->payload_seen[side] = true;
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
        else if (st == SIP_FRAME_MESSAGE ||
                 sip_looks_like(unit, len))
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
    self->req_alg = requirement_for(env->profile, PROFILE_CHECK_NO_SIP_ALG,
                                    NULL);
    self->req_nat = requirement_for(env->profile, PROFILE_CHECK_SINGLE_NAT,
                                    NULL);
    self->req_udpto = requirement_for(env->profile,
                                      PROFILE_CHECK_UDP_TIMEOUT,
                                      &self->udpto_s);
    self->accts = calloc(ANALYZER_SIP_ACCOUNTS_MAX, sizeof(*self->accts));
    self->bindings = calloc(ANALYZER_SIP_BINDINGS_MAX,
                            sizeof(*self->bindings));
    self->media = calloc(ANALYZER_SIP_MEDIA_MAX, sizeof(*self->media));
    if (!self->accts || !self->bindings || !self->media) {
        free(self->accts);
        free(self->bindings);
        free(self->media);
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
    free(self->accts);
    free(self->bindings);
    free(self->media);
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
    ev.txn_end = on_txn_end;
    ev.call_end = on_call_end;
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
        const struct sip_sig_acc *a = &sf->acc[i];
        enum analyzer_sip_nat_sig sig = (enum analyzer_sip_nat_sig)i;
        struct finding fd;
        char more[64] = "";

        if (a->count == 0)
            continue;
        if (a->count > 1)
            snprintf(more, sizeof(more), "; %" PRIu32 " messages of this "
                     "flow show it", a->count);
        finding_init(&fd, analyzer_sip_nat_kind(sig),
                     analyzer_sip_nat_severity(sig),
                     sig_requirement(self, sig), f->id, a->frame, a->ts_us);
        text_fmt(fd.summary, sizeof(fd.summary), "%s (frame %" PRIu64 "%s): %s",
                 a->evidence, a->frame, more, a->why);
        emit_record(&self->emit, RECORD_FINDING, &fd);
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
    memset(self->accts, 0, ANALYZER_SIP_ACCOUNTS_MAX * sizeof(*self->accts));
    memset(self->bindings, 0,
           ANALYZER_SIP_BINDINGS_MAX * sizeof(*self->bindings));
    memset(self->media, 0, ANALYZER_SIP_MEDIA_MAX * sizeof(*self->media));
    self->media_next = 0;
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
