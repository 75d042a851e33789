/* The SIP stage's state across messages: transactions and calls
 * (sip_no_response, sip_2xx_no_ack, sip_retransmissions, call records),
 * NAT bindings between REGISTER refreshes (nat_rewrite, RFC 3581) and
 * SDP media endpoints against the RTP that follows (RFC 4961).
 * Thresholds are stated in analyzer_sip.h. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_sip_internal.h"
#include "finding.h"
#include "media_expect.h"
#include "sip_record.h"
#include "xalloc.h"

/* Longest value quoted in a finding. */
#define SIP_QUOTE_MAX 60

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

/* --- retransmission accounts (open addressing, linear probing) ----------- */

static size_t acct_slot(uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) &
           (ANALYZER_SIP_ACCOUNTS_MAX - 1);
}

_Static_assert(ANALYZER_SIP_ACCOUNTS_MAX <= UINT16_MAX &&
                   ANALYZER_SIP_BINDINGS_MAX <= UINT16_MAX,
               "record numbers are 16-bit");

static struct sip_acct *acct_at(const struct analyzer_sip *self, size_t i)
{
    return &self->accts[self->acct_slots[i] - 1];
}

static struct sip_acct *acct_find(struct analyzer_sip *self, uint64_t key,
                                  bool create)
{
    size_t i = acct_slot(key), k;

    for (k = 0; k < ANALYZER_SIP_ACCOUNTS_MAX; k++) {
        if (self->acct_slots[i] == 0) {
            size_t n;
            struct sip_acct *a;

            if (!create)
                return NULL;
            /* A record given back first, else a fresh one; one per slot
             * at most, so the array never runs out. */
            n = self->n_accts_free ? self->accts_free[--self->n_accts_free]
                                   : self->n_accts_made++;
            self->acct_slots[i] = (uint16_t)(n + 1);
            a = &self->accts[n];
            memset(a, 0, sizeof(*a));
            a->call_ref = key;
            return a;
        }
        if (acct_at(self, i)->call_ref == key)
            return acct_at(self, i);
        i = (i + 1) & (ANALYZER_SIP_ACCOUNTS_MAX - 1);
    }
    if (create)
        self->st.accounts_dropped++;
    return NULL;
}

/* Removes a slot and shifts later members of its probe run back, so
 * lookups never need tombstones.  The records stay where they are; only
 * their numbers move. */
static void acct_remove(struct analyzer_sip *self, struct sip_acct *a)
{
    size_t mask = ANALYZER_SIP_ACCOUNTS_MAX - 1;
    size_t n = (size_t)(a - self->accts);
    size_t hole = acct_slot(a->call_ref), i;

    while (self->acct_slots[hole] != n + 1)
        hole = (hole + 1) & mask;
    a->call_ref = 0;
    self->accts_free[self->n_accts_free++] = (uint16_t)n;
    self->acct_slots[hole] = 0;
    i = (hole + 1) & mask;
    while (self->acct_slots[i] != 0) {
        size_t home = acct_slot(acct_at(self, i)->call_ref);

        /* Move i into the hole when its home is not in (hole, i]. */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            self->acct_slots[hole] = self->acct_slots[i];
            self->acct_slots[i] = 0;
            hole = i;
        }
        i = (i + 1) & mask;
    }
}

/* --- transaction and call callbacks -------------------------------------- */

static void emit_no_response(struct analyzer_sip *self,
                             const struct sip_txn_report *r)
{
    struct finding fd;
    char to[IPADDR_STRLEN + 8], from[IPADDR_STRLEN + 8], span[32];
    char sent[64];

    ipaddr_format_endpoint(&r->server_ip, r->server_port, to, sizeof(to));
    ipaddr_format_endpoint(&r->client_ip, r->client_port, from, sizeof(from));
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

    ipaddr_format_endpoint(&r->server_ip, r->server_port, from, sizeof(from));
    ipaddr_format_endpoint(&r->client_ip, r->client_port, to, sizeof(to));
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

/* A UDP client sends at most 7 copies of an INVITE (Timer A until
 * Timer B) and 11 of any other request (Timer E, capped at T2, until
 * Timer F): RFC 3261 sections 17.1.1.2 and 17.1.2.2.  When all of them
 * are in the capture, on the timer's schedule, with nothing back, the
 * client has given up even if the capture ends before Timer B/F
 * itself. */
static bool train_complete(const struct sip_txn_report *r)
{
    uint32_t full = r->method_id == SIP_METHOD_INVITE ? 7 : 11;

    return !r->reliable && r->request_seen &&
           r->method_id != SIP_METHOD_ACK && r->first_provisional == 0 &&
           r->final_status == 0 && r->request_copies >= full &&
           r->request_timer_gaps >= full - 1 &&
           r->request_timer_matches == r->request_timer_gaps;
}

void analyzer_sip_state_txn_end(void *arg, const struct sip_txn_report *r)
{
    struct analyzer_sip *self = arg;
    bool no_response = r->no_response || train_complete(r);
    bool reported = no_response || r->twoxx_no_ack;
    struct sip_acct *a;
    uint32_t req_re, fin_re;

    if (no_response)
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
    /* RFC 3261 section 17.2: a server answers every copy of a request
     * it has answered with its final response again.  Request copies
     * and several finals seen here mean the answers passed this point
     * and were lost on the way back to the requester. */
    a->worst_answer = (!a->worst_final && r->request_copies >= 2 &&
                       r->final_copies + r->final_forks >= 2) ?
                          r->final_status : 0;
    a->worst_answer_frame = r->final_frame;
}

static void emit_retransmissions(struct analyzer_sip *self,
                                 const struct sip_call_report *r,
                                 const struct sip_acct *a)
{
    struct finding fd;
    char from[IPADDR_STRLEN + 8], to[IPADDR_STRLEN + 8];
    char cause[160];
    uint64_t per_mille;

    if (a->counted < ANALYZER_SIP_RETRANS_MIN || r->messages == 0 ||
        (uint64_t)a->counted * 100 <
            (uint64_t)ANALYZER_SIP_RETRANS_PERCENT * r->messages)
        return;
    per_mille = (uint64_t)a->counted * 1000 / r->messages;
    ipaddr_format_endpoint(&a->worst_from, a->worst_from_port,
                           from, sizeof(from));
    ipaddr_format_endpoint(&a->worst_to, a->worst_to_port, to, sizeof(to));
    if (a->worst_answer)
        text_fmt(cause, sizeof(cause),
                 "although its %d answers passed this capture point (first "
                 "in frame %" PRIu64 "): they are lost between here and %s",
                 a->worst_answer, a->worst_answer_frame, from);
    else
        text_fmt(cause, sizeof(cause),
                 "messages are lost or answered late between these ends");
    finding_init(&fd, "sip_retransmissions", FINDING_WARNING, NULL,
                 a->worst_flow, a->worst_frame, a->worst_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "Call-ID %.*s: %" PRIu32 " of %" PRIu32 " SIP messages were "
             "retransmissions (%" PRIu64 ".%" PRIu64 "%%); most: %s%s from "
             "%s to %s sent %" PRIu32 " times, %s",
             SIP_QUOTE_MAX, r->call_id, a->counted, r->messages,
             per_mille / 10, per_mille % 10,
             a->worst_final ? "the final response to " : "", a->worst_method,
             from, to, a->worst_copies, cause);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

void analyzer_sip_state_call_end(void *arg, const struct sip_call_report *r)
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
        unsigned n = self->binding_slots[i];
        struct sip_binding *b;

        if (n == 0) {
            /* A fresh record, zeroed: the caller fills it in. */
            self->binding_slots[i] = (uint16_t)(++self->n_bindings_made);
            return &self->bindings[self->n_bindings_made - 1];
        }
        b = &self->bindings[n - 1];
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
void analyzer_sip_state_binding(struct analyzer_sip *self,
                                const struct sip_msg *m,
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
        ipaddr_format_endpoint(&w->d->src, w->d->sport,
                               server, sizeof(server));
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

/* Every stream of an SDP with an address and a port goes to the shared
 * table of announced media endpoints (media_expect.h): the media stage
 * ties RTP flows to calls with it, and media_check() below reads it
 * back.  Requests carry offers, responses answers (RFC 3264). */
void analyzer_sip_state_media_remember(struct analyzer_sip *self,
                                       const struct sip_msg *m,
                                       const struct sdp *s,
                                       const struct sip_where *w)
{
    struct media_expect_entry e;
    size_t i, k, n;

    if (!self->media || !m->call_id.ptr)
        return;
    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];
        struct sdp_endpoint ep;

        if (sdp_media_endpoint(s, i, &ep) != 0 || !ep.has_addr ||
            !ep.conn.is_ip || ep.null_addr || ep.port == 0)
            continue;
        memset(&e, 0, sizeof(e));
        e.addr = ep.conn.addr;
        e.port = ep.port;
        text_fmt(e.call_id, sizeof(e.call_id), "%.*s",
                 (int)(m->call_id.len < MEDIA_EXPECT_CALL_ID_MAX ?
                       m->call_id.len : MEDIA_EXPECT_CALL_ID_MAX - 1),
                 m->call_id.ptr);
        e.sdp_packet = w->pkt->num;
        e.ts_us = w->pkt->ts_us;
        e.from_offer = m->is_request;
        n = md->format_count < SDP_MAX_FORMATS ? md->format_count :
                                                 SDP_MAX_FORMATS;
        for (k = 0; k < n && e.n_pt < MEDIA_EXPECT_PT_MAX; k++) {
            const struct sdp_rtpmap *rm = sdp_media_rtpmap(md, md->format[k]);

            e.pt[e.n_pt] = md->format[k];
            e.clock_rate[e.n_pt] = rm ? rm->clock_rate : 0;
            if (rm)
                text_fmt(e.encoding[e.n_pt], sizeof(e.encoding[e.n_pt]),
                         "%.*s", (int)(rm->encoding.len < 15 ?
                                       rm->encoding.len : 15),
                         rm->encoding.ptr ? rm->encoding.ptr : "");
            e.n_pt++;
        }
        media_expect_add(self->media, &e);
    }
}

/* The first packets of each direction of a non-SIP UDP flow: when they
 * go to an endpoint an SDP announced, the sender should be one of the
 * call's announced endpoints.  The address matching but not the port
 * means the m= port is not where the media comes from: an ALG that
 * re-allocated the port without mapping the media to it, or a phone
 * that does not send from the port it receives on (RFC 4961).  At most
 * one finding per direction of a flow. */
void analyzer_sip_state_media_check(struct analyzer_sip *self,
                                    const struct flow *f, uint8_t *probe,
                                    const struct pkt *pkt,
                                    const struct decoded *d)
{
    const struct media_expect_entry *all[ANALYZER_SIP_MEDIA_CALL_MAX];
    const struct media_expect_entry *to, *from = NULL;
    struct finding fd;
    char src[IPADDR_STRLEN + 8], dst[IPADDR_STRLEN + 8];
    size_t n, k;

    if (!self->media || *probe >= ANALYZER_SIP_MEDIA_PROBE)
        return;
    (*probe)++;
    to = media_expect_lookup(self->media, &d->dst, d->dport, pkt->ts_us);
    if (!to)
        return;
    *probe = ANALYZER_SIP_MEDIA_PROBE;
    n = media_expect_find_call(self->media, to->call_id, pkt->ts_us, all,
                               ANALYZER_SIP_MEDIA_CALL_MAX);
    if (n > ANALYZER_SIP_MEDIA_CALL_MAX)
        n = ANALYZER_SIP_MEDIA_CALL_MAX;
    for (k = 0; k < n; k++) {
        if (all[k] == to || !ipaddr_equal(&all[k]->addr, &d->src))
            continue;
        if (all[k]->port == d->sport)
            return;
        if (!from || all[k]->ts_us > from->ts_us)
            from = all[k];
    }
    if (!from)
        return;
    ipaddr_format_endpoint(&d->src, d->sport, src, sizeof(src));
    ipaddr_format_endpoint(&d->dst, d->dport, dst, sizeof(dst));
    finding_init(&fd, "sip_alg_suspected",
                 analyzer_sip_nat_severity(ANALYZER_SIP_NAT_MEDIA_PORT),
                 self->req_alg, f->id, pkt->num, pkt->ts_us);
    text_fmt(fd.summary, sizeof(fd.summary),
             "RTP from %s to %s (frame %" PRIu64 ") leaves the address the "
             "SDP of frame %" PRIu64 " announced, but not its m= port %u: "
             "the SDP port was rewritten without the media being mapped to "
             "it, as an ALG re-allocating ports does (or the phone does not "
             "send from the port it receives on, RFC 4961)",
             src, dst, pkt->num, from->sdp_packet, (unsigned)from->port);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

/* --- per-flow signatures, and the tables' life --------------------------- */

void analyzer_sip_state_emit_sig(struct analyzer_sip *self,
                                 const struct flow *f,
                                 enum analyzer_sip_nat_sig sig,
                                 const struct sip_sig_acc *a)
{
    struct finding fd;
    char more[64] = "";

    if (a->count > 1)
        text_fmt(more, sizeof(more), "; %" PRIu32 " messages of this flow "
                 "show it", a->count);
    finding_init(&fd, analyzer_sip_nat_kind(sig),
                 analyzer_sip_nat_severity(sig), sig_requirement(self, sig),
                 f->id, a->frame, a->ts_us);
    text_fmt(fd.summary, sizeof(fd.summary), "%s (frame %" PRIu64 "%s): %s",
             a->evidence, a->frame, more, a->why);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

int analyzer_sip_state_init(struct analyzer_sip *self)
{
    self->accts = calloc(ANALYZER_SIP_ACCOUNTS_MAX, sizeof(*self->accts));
    self->acct_slots = calloc(ANALYZER_SIP_ACCOUNTS_MAX,
                              sizeof(*self->acct_slots));
    self->accts_free = calloc(ANALYZER_SIP_ACCOUNTS_MAX,
                              sizeof(*self->accts_free));
    self->bindings = calloc(ANALYZER_SIP_BINDINGS_MAX,
                            sizeof(*self->bindings));
    self->binding_slots = calloc(ANALYZER_SIP_BINDINGS_MAX,
                                 sizeof(*self->binding_slots));
    if (!self->accts || !self->acct_slots || !self->accts_free ||
        !self->bindings || !self->binding_slots) {
        analyzer_sip_state_release(self);
        return -1;
    }
    return 0;
}

void analyzer_sip_state_reset(struct analyzer_sip *self)
{
    if (self->n_accts_made > 0) {
        memset(self->accts, 0, self->n_accts_made * sizeof(*self->accts));
        memset(self->acct_slots, 0,
               ANALYZER_SIP_ACCOUNTS_MAX * sizeof(*self->acct_slots));
        self->n_accts_made = 0;
        self->n_accts_free = 0;
    }
    if (self->n_bindings_made > 0) {
        memset(self->bindings, 0,
               self->n_bindings_made * sizeof(*self->bindings));
        memset(self->binding_slots, 0,
               ANALYZER_SIP_BINDINGS_MAX * sizeof(*self->binding_slots));
        self->n_bindings_made = 0;
    }
}

void analyzer_sip_state_release(struct analyzer_sip *self)
{
    free(self->accts);
    free(self->acct_slots);
    free(self->accts_free);
    free(self->bindings);
    free(self->binding_slots);
    self->accts = NULL;
    self->acct_slots = NULL;
    self->accts_free = NULL;
    self->bindings = NULL;
    self->binding_slots = NULL;
}
