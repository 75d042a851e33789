/* SIP transactions, calls, registrations and retransmission timing, seen
 * passively.  Spec: RFC 3261 sections 17.1 and 17.2 (client and server
 * transactions, Timers A-K in Table 4), 17.2.3 (matching, with the RFC
 * 2543 fallback), 13.3.1.4 (2xx retransmitted by the UAS core until ACK),
 * 10.3 (REGISTER bindings).
 *
 * A transaction is found by a hash of (Call-ID, CSeq number, CSeq method)
 * and then told apart from its neighbours by the top Via branch (or, for
 * RFC 2543 peers, by From tag and top Via).  Requests and responses use
 * the same key, since a response carries the request's top Via.  Call
 * records live in sip_txn_call.c.  Nothing here reads a clock: time is
 * packet time. */
#include "config.h"

#include "sip_txn.h"

#include <stdlib.h>
#include <string.h>

#include "sip_txn_internal.h"

/* RFC 3261 section 8.1.1.7: branches of RFC 3261 clients start with it. */
#define MAGIC_COOKIE "z9hG4bK"
#define MAGIC_COOKIE_LEN 7

static struct sip_str cstr(const char *s)
{
    struct sip_str v = { s, strlen(s) };

    return v;
}

/* ---- configuration and lifecycle ----------------------------------------- */

void sip_txn_config_defaults(struct sip_txn_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->t1_us = 500000;
    cfg->t2_us = 4000000;
    cfg->proceeding_us = 180000000;
    cfg->call_idle_us = 3600000000;
    cfg->tolerance_pct = 25;
    cfg->tolerance_min_us = 50000;
    cfg->mirror_window_us = 2000;
    cfg->max_txns = 16384;
    cfg->max_calls = 16384;
}

/* Smallest power of two >= n (n >= 1), capped to keep the shift defined. */
static size_t pow2_at_least(size_t n)
{
    size_t p = 1;

    while (p < n && p < ((size_t)1 << 30))
        p <<= 1;
    return p;
}

struct sip_txn_table *sip_txn_new(const struct sip_txn_config *cfg,
                                  const struct sip_txn_events *ev)
{
    struct sip_txn_table *t = calloc(1, sizeof(*t));
    size_t nt, nc;
    int i;

    if (!t)
        return NULL;
    t->cfg = *cfg;
    if (t->cfg.max_txns == 0)
        t->cfg.max_txns = 1;
    if (t->cfg.max_calls == 0)
        t->cfg.max_calls = 1;
    if (ev)
        t->ev = *ev;
    nt = pow2_at_least(t->cfg.max_txns);
    nc = pow2_at_least(t->cfg.max_calls);
    t->tbuckets = calloc(nt, sizeof(*t->tbuckets));
    t->cbuckets = calloc(nc, sizeof(*t->cbuckets));
    if (!t->tbuckets || !t->cbuckets) {
        free(t->tbuckets);
        free(t->cbuckets);
        free(t);
        return NULL;
    }
    t->tmask = nt - 1;
    t->cmask = nc - 1;
    for (i = 0; i < SIP_TXN_LISTS; i++)
        sip_txn_list_init(&t->tlists[i]);
    for (i = 0; i < SIP_CALL_LISTS; i++)
        sip_txn_list_init(&t->clists[i]);
    return t;
}

void sip_txn_free(struct sip_txn_table *t)
{
    int i;

    if (!t)
        return;
    for (i = 0; i < SIP_TXN_LISTS; i++) {
        while (!sip_txn_list_empty(&t->tlists[i])) {
            struct sip_lnode *n = t->tlists[i].next;

            sip_txn_list_unlink(n);
            free(sip_txn_rec_of(n));
        }
    }
    for (i = 0; i < SIP_CALL_LISTS; i++) {
        while (!sip_txn_list_empty(&t->clists[i])) {
            struct sip_lnode *n = t->clists[i].next;

            sip_txn_list_unlink(n);
            free(sip_call_rec_of(n));
        }
    }
    free(t->tbuckets);
    free(t->cbuckets);
    free(t);
}

void sip_txn_get_stats(const struct sip_txn_table *t,
                       struct sip_txn_stats *out)
{
    *out = t->st;
}

/* ---- timers -------------------------------------------------------------- */

static int64_t txn_linger(const struct sip_txn_table *t, enum sip_txn_list l)
{
    return l == SIP_TXN_LIST_PROCEEDING ? t->cfg.proceeding_us :
                                          sip_txn_timer_b(t);
}

static int64_t call_linger(const struct sip_txn_table *t, enum sip_call_list l)
{
    switch (l) {
    case SIP_CALL_LIST_EARLY:
        return t->cfg.proceeding_us;
    case SIP_CALL_LIST_ANSWERED:
        return t->cfg.call_idle_us;
    default:
        return sip_txn_timer_b(t);
    }
}

/* T1 * 2^k, capped at cap (0 = no cap) and kept from overflowing. */
static int64_t backoff(const struct sip_txn_table *t, uint32_t k, int64_t cap)
{
    int64_t v = t->cfg.t1_us;
    uint32_t i;

    for (i = 0; i < k && v < ((int64_t)1 << 50); i++)
        v *= 2;
    return (cap > 0 && v > cap) ? cap : v;
}

static bool gap_matches(const struct sip_txn_table *t, int64_t gap,
                        int64_t expected)
{
    int64_t tol = expected * (int64_t)t->cfg.tolerance_pct / 100;
    int64_t diff = gap > expected ? gap - expected : expected - gap;

    if (tol < t->cfg.tolerance_min_us)
        tol = t->cfg.tolerance_min_us;
    return diff <= tol;
}

/* ---- reports and expiry -------------------------------------------------- */

static void txn_report(const struct sip_txn_table *t,
                       const struct sip_txn_rec *x,
                       enum sip_txn_end why)
{
    struct sip_txn_report r;

    if (!t->ev.txn_end)
        return;
    memset(&r, 0, sizeof(r));
    r.id = x->id;
    r.call_ref = x->call_ref;
    r.call_id = x->call_id;
    r.branch = x->branch;
    r.method = x->method;
    r.method_id = x->method_id;
    r.cseq = x->cseq;
    r.rfc2543 = x->rfc2543;
    r.reliable = x->reliable;
    r.flow_id = x->flow_id;
    r.request_seen = x->request_seen;
    r.client_ip = x->client_ip;
    r.server_ip = x->server_ip;
    r.client_port = x->client_port;
    r.server_port = x->server_port;
    r.first_frame = x->first_frame;
    r.first_us = x->first_us;
    r.last_us = x->touched_us;
    r.request_copies = x->req.copies;
    r.request_timer_gaps = x->req.timer_gaps;
    r.request_timer_matches = x->req.timer_matches;
    r.first_provisional = x->first_prov;
    r.provisional_us = x->prov_us;
    r.provisional_copies = x->prov_copies;
    r.final_status = x->final_status;
    r.final_frame = x->fin.first_frame;
    r.final_us = x->fin.first_us;
    r.final_copies = x->fin.copies;
    r.final_timer_gaps = x->fin.timer_gaps;
    r.final_timer_matches = x->fin.timer_matches;
    r.final_forks = x->final_forks;
    r.retransmissions = x->retrans;
    r.mirror_duplicates = x->mirror;
    r.other_path_copies = x->other_path;
    r.acked = x->acked;
    r.ack_frame = x->ack_frame;
    r.timed_out = x->request_seen &&
                  t->now - x->req.first_us >= sip_txn_timer_b(t);
    r.no_response = r.timed_out && x->method_id != SIP_METHOD_ACK &&
                    x->first_prov == 0 && x->final_status == 0;
    r.twoxx_no_ack = x->method_id == SIP_METHOD_INVITE &&
                     x->first_2xx_us != 0 && !x->acked &&
                     t->now - x->first_2xx_us >= sip_txn_timer_b(t);
    r.why = why;
    t->ev.txn_end(t->ev.arg, &r);
}

static void txn_remove(struct sip_txn_table *t, struct sip_txn_rec *x,
                       enum sip_txn_end why)
{
    struct sip_txn_rec **pp = &t->tbuckets[sip_txn_bucket(x->fam, t->tmask)];

    txn_report(t, x, why);
    while (*pp && *pp != x)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = x->hnext;
    sip_txn_list_unlink(&x->lru);
    t->ntxns--;
    free(x);
}

/* The least recently active transaction, or NULL (ties: lower list). */
static struct sip_txn_rec *oldest_txn(struct sip_txn_table *t)
{
    struct sip_txn_rec *best = NULL;
    int i;

    for (i = 0; i < SIP_TXN_LISTS; i++) {
        struct sip_txn_rec *x;

        if (sip_txn_list_empty(&t->tlists[i]))
            continue;
        x = sip_txn_rec_of(t->tlists[i].next);
        if (!best || x->touched_us < best->touched_us)
            best = x;
    }
    return best;
}

static enum sip_call_end call_end_reason(const struct sip_call_rec *c)
{
    return c->list == SIP_CALL_LIST_FINISHED ? SIP_CALL_END_FINISHED :
                                           SIP_CALL_END_IDLE;
}

void sip_txn_advance(struct sip_txn_table *t, int64_t now_us)
{
    int i;

    if (!t->started || now_us > t->now) {
        t->now = now_us;
        t->started = true;
    }
    if (t->now < t->next_due)
        return;
    for (i = 0; i < SIP_TXN_LISTS; i++) {
        int64_t linger = txn_linger(t, (enum sip_txn_list)i);

        while (!sip_txn_list_empty(&t->tlists[i])) {
            struct sip_txn_rec *x = sip_txn_rec_of(t->tlists[i].next);

            if (t->now - x->touched_us < linger)
                break;
            txn_remove(t, x, SIP_TXN_END_EXPIRED);
        }
    }
    for (i = 0; i < SIP_CALL_LISTS; i++) {
        int64_t linger = call_linger(t, (enum sip_call_list)i);

        while (!sip_txn_list_empty(&t->clists[i])) {
            struct sip_call_rec *c = sip_call_rec_of(t->clists[i].next);

            if (t->now - c->touched_us < linger)
                break;
            sip_txn_call_remove(t, c, call_end_reason(c));
        }
    }
    /* Lists are in touch order and each has one linger, so their heads
     * say when the next record is due. */
    t->next_due = INT64_MAX;
    for (i = 0; i < SIP_TXN_LISTS; i++) {
        int64_t due;

        if (sip_txn_list_empty(&t->tlists[i]))
            continue;
        due = sip_txn_rec_of(t->tlists[i].next)->touched_us +
              txn_linger(t, (enum sip_txn_list)i);
        if (due < t->next_due)
            t->next_due = due;
    }
    for (i = 0; i < SIP_CALL_LISTS; i++) {
        int64_t due;

        if (sip_txn_list_empty(&t->clists[i]))
            continue;
        due = sip_call_rec_of(t->clists[i].next)->touched_us +
              call_linger(t, (enum sip_call_list)i);
        if (due < t->next_due)
            t->next_due = due;
    }
}

void sip_txn_flush(struct sip_txn_table *t, int64_t now_us)
{
    struct sip_txn_rec *x;
    struct sip_call_rec *c;

    sip_txn_advance(t, now_us);
    for (x = oldest_txn(t); x; x = oldest_txn(t))
        txn_remove(t, x, SIP_TXN_END_FLUSHED);
    for (c = sip_txn_call_oldest(t); c; c = sip_txn_call_oldest(t))
        sip_txn_call_remove(t, c, SIP_CALL_END_FLUSHED);
}

static void txn_touch(struct sip_txn_table *t, struct sip_txn_rec *x,
                      enum sip_txn_list l)
{
    sip_txn_list_unlink(&x->lru);
    x->list = l;
    x->touched_us = t->now;
    sip_txn_list_append(&t->tlists[l], &x->lru);
    sip_txn_lists_changed(t);
}

/* ---- transactions -------------------------------------------------------- */

struct txn_key {
    uint64_t fam;
    uint64_t ident;
    bool rfc2543;
    struct sip_str branch;
    struct sip_str method;
};

static uint64_t family_hash(const struct sip_msg *msg, struct sip_str method)
{
    uint64_t h = sip_txn_hash_str(sip_txn_hash_init(), msg->call_id);

    h = sip_txn_hash_u32(h, msg->cseq);
    return sip_txn_hash_str(h, method);
}

static void make_key(const struct sip_msg *msg, struct sip_str method,
                     struct txn_key *k)
{
    const struct sip_via *via = sip_msg_top_via(msg);
    struct sip_str none = { NULL, 0 };
    uint64_t h = sip_txn_hash_init();

    k->fam = family_hash(msg, method);
    k->method = method;
    k->branch = via ? via->branch : none;
    k->rfc2543 = !(k->branch.len > MAGIC_COOKIE_LEN &&
                   memcmp(k->branch.ptr, MAGIC_COOKIE, MAGIC_COOKIE_LEN) == 0);
    if (!k->rfc2543) {
        k->ident = sip_txn_hash_str(h, k->branch);
        return;
    }
    /* RFC 3261 section 17.2.3 for RFC 2543 peers: Call-ID and CSeq are in
     * the family already; add From tag and the whole top Via. */
    h = sip_txn_hash_str(h, msg->from.tag);
    if (via) {
        h = sip_txn_hash_str(h, via->host);
        h = sip_txn_hash_u32(h, via->port);
        h = sip_txn_hash_str(h, via->branch);
    }
    k->ident = sip_txn_hash_str(h, cstr("2543"));
}

static bool txn_matches(const struct sip_txn_rec *x, const struct sip_msg *msg,
                        const struct txn_key *k, bool check_ident)
{
    return x->fam == k->fam && (!check_ident || x->ident == k->ident) &&
           x->cseq == msg->cseq &&
           sip_txn_stored_eq(x->method, sizeof(x->method), k->method) &&
           sip_txn_stored_eq(x->call_id, sizeof(x->call_id), msg->call_id) &&
           (!check_ident ||
            sip_txn_stored_eq(x->branch, sizeof(x->branch), k->branch));
}

static struct sip_txn_rec *txn_find(struct sip_txn_table *t,
                                    const struct sip_msg *msg,
                                    const struct txn_key *k)
{
    struct sip_txn_rec *x = t->tbuckets[sip_txn_bucket(k->fam, t->tmask)];

    for (; x; x = x->hnext) {
        if (txn_matches(x, msg, k, true))
            return x;
    }
    return NULL;
}

static struct sip_txn_rec *txn_create(struct sip_txn_table *t,
                                      const struct sip_msg *msg,
                                      const struct sip_txn_pkt *pkt,
                                      const struct txn_key *k,
                                      uint64_t call_ref)
{
    struct sip_txn_rec *x;
    size_t b;

    if (t->ntxns >= t->cfg.max_txns) {
        struct sip_txn_rec *old = oldest_txn(t);

        if (old) {
            txn_remove(t, old, SIP_TXN_END_EVICTED);
            t->st.txns_evicted++;
        }
    }
    x = calloc(1, sizeof(*x));
    if (!x) {
        t->st.alloc_failures++;
        return NULL;
    }
    x->id = ++t->next_txn;
    x->fam = k->fam;
    x->ident = k->ident;
    x->rfc2543 = k->rfc2543;
    x->call_ref = call_ref;
    sip_txn_copy_str(x->call_id, sizeof(x->call_id), msg->call_id);
    sip_txn_copy_str(x->branch, sizeof(x->branch), k->branch);
    sip_txn_copy_str(x->method, sizeof(x->method), k->method);
    x->method_id = sip_method_from(k->method);
    x->cseq = msg->cseq;
    x->reliable = pkt->reliable;
    x->flow_id = pkt->flow_id;
    x->first_frame = pkt->frame;
    x->first_us = pkt->ts_us;
    x->req_expires = -1;
    if (msg->is_request) {
        x->client_ip = pkt->src;
        x->client_port = pkt->sport;
        x->server_ip = pkt->dst;
        x->server_port = pkt->dport;
    } else {
        x->client_ip = pkt->dst;
        x->client_port = pkt->dport;
        x->server_ip = pkt->src;
        x->server_port = pkt->sport;
    }
    b = sip_txn_bucket(k->fam, t->tmask);
    x->hnext = t->tbuckets[b];
    t->tbuckets[b] = x;
    x->lru.prev = &x->lru;
    x->lru.next = &x->lru;
    t->ntxns++;
    t->st.txns++;
    return x;
}

static void train_start(struct sip_train *tr, const struct sip_txn_pkt *pkt)
{
    memset(tr, 0, sizeof(*tr));
    tr->src = pkt->src;
    tr->sport = pkt->sport;
    tr->first_frame = pkt->frame;
    tr->first_us = pkt->ts_us;
    tr->last_us = pkt->ts_us;
    tr->copies = 1;
}

/* Another copy of a train's message from the same source.  expected is
 * the timer's interval for it, 0 when no timer drives it.  Fills the
 * verdict; false for a mirror duplicate, which is not a copy. */
static bool train_copy(const struct sip_txn_table *t, struct sip_train *tr,
                       const struct sip_txn_pkt *pkt, int64_t expected,
                       struct sip_txn_verdict *v)
{
    int64_t gap = pkt->ts_us - tr->last_us;

    if (gap >= 0 && gap < t->cfg.mirror_window_us) {
        v->mirror_duplicate = true;
        return false;
    }
    tr->copies++;
    tr->last_us = pkt->ts_us;
    v->retransmission = true;
    v->copy = tr->copies - 1;
    v->original_frame = tr->first_frame;
    v->gap_us = gap;
    v->expected_gap_us = expected;
    if (expected > 0) {
        tr->timer_gaps++;
        v->timer_match = gap_matches(t, gap, expected);
        if (v->timer_match)
            tr->timer_matches++;
    }
    return true;
}

/* Timer A (INVITE: T1 doubling) or Timer E (others: doubling to T2, then
 * T2 once a provisional came), RFC 3261 sections 17.1.1.2 and 17.1.2.2.
 * k is the number of the retransmission, from 1. */
static int64_t request_interval(const struct sip_txn_table *t,
                                const struct sip_txn_rec *x, uint32_t k)
{
    if (x->reliable)
        return 0;
    if (x->method_id == SIP_METHOD_INVITE)
        return backoff(t, k - 1, 0);
    if (x->prov_us != 0 && x->prov_us < x->req.last_us)
        return t->cfg.t2_us;
    return backoff(t, k - 1, t->cfg.t2_us);
}

/* Timer G for INVITE finals (3xx-6xx, unreliable transports only) and the
 * UAS core's 2xx schedule (every transport), RFC 3261 sections 17.2.1 and
 * 13.3.1.4.  Non-INVITE finals are only resent when the request is. */
static int64_t final_interval(const struct sip_txn_table *t,
                              const struct sip_txn_rec *x, int code, uint32_t k)
{
    if (x->method_id != SIP_METHOD_INVITE)
        return 0;
    if (code >= 300 && x->reliable)
        return 0;
    return backoff(t, k - 1, t->cfg.t2_us);
}

static void txn_request(struct sip_txn_table *t, struct sip_txn_rec *x,
                        const struct sip_msg *msg,
                        const struct sip_txn_pkt *pkt,
                        struct sip_txn_verdict *v)
{
    if (!x->request_seen) {
        x->request_seen = true;
        x->client_ip = pkt->src;
        x->client_port = pkt->sport;
        x->server_ip = pkt->dst;
        x->server_port = pkt->dport;
        train_start(&x->req, pkt);
        if (msg->expires >= 0)
            x->req_expires = msg->expires;
        else if (msg->contact_count > 0 && msg->contact[0].expires >= 0)
            x->req_expires = msg->contact[0].expires;
        return;
    }
    if (!sip_txn_same_endpoint(&x->req.src, x->req.sport, &pkt->src,
                               pkt->sport)) {
        v->other_path = true;
        x->other_path++;
        return;
    }
    if (train_copy(t, &x->req, pkt,
                   request_interval(t, x, x->req.copies), v)) {
        x->retrans++;
        x->req_since_final++;
    } else {
        x->mirror++;
    }
}

static void report_bindings(struct sip_txn_table *t,
                            const struct sip_txn_rec *x,
                            const struct sip_msg *msg,
                            const struct sip_txn_pkt *pkt)
{
    struct sip_binding_report r;
    size_t n = msg->contact_count < SIP_MAX_CONTACTS ? msg->contact_count :
                                                       SIP_MAX_CONTACTS;
    size_t i;

    if (!t->ev.binding)
        return;
    memset(&r, 0, sizeof(r));
    r.txn_id = x->id;
    r.call_ref = x->call_ref;
    r.frame = pkt->frame;
    r.ts_us = pkt->ts_us;
    r.flow_id = pkt->flow_id;
    r.client_ip = pkt->dst;
    r.client_port = pkt->dport;
    r.aor = msg->to.uri_text;
    r.requested_s = x->req_expires;
    r.count = msg->contact_count;
    if (n == 0) {
        r.expires_s = msg->expires;
        t->ev.binding(t->ev.arg, &r);
        return;
    }
    for (i = 0; i < n; i++) {
        r.index = i;
        r.contact = msg->contact[i].uri_text;
        r.expires_s = msg->contact[i].expires >= 0 ? msg->contact[i].expires :
                                                     msg->expires;
        t->ev.binding(t->ev.arg, &r);
    }
}

static void txn_provisional(struct sip_txn_table *t, struct sip_txn_rec *x,
                            const struct sip_msg *msg,
                            const struct sip_txn_pkt *pkt,
                            struct sip_txn_verdict *v)
{
    uint64_t tag = sip_txn_hash_str(sip_txn_hash_init(), msg->to.tag);

    if (x->last_prov == msg->status_code && x->last_prov_tag == tag) {
        if (!sip_txn_same_endpoint(&x->prov.src, x->prov.sport, &pkt->src,
                                   pkt->sport)) {
            v->other_path = true;
            x->other_path++;
        } else if (train_copy(t, &x->prov, pkt, 0, v)) {
            x->prov_copies++;
            x->retrans++;
        } else {
            x->mirror++;
        }
        return;
    }
    x->last_prov = msg->status_code;
    x->last_prov_tag = tag;
    train_start(&x->prov, pkt);
    if (x->first_prov == 0) {
        x->first_prov = msg->status_code;
        x->prov_us = pkt->ts_us;
    }
}

static void txn_final(struct sip_txn_table *t, struct sip_txn_rec *x,
                      const struct sip_msg *msg,
                      const struct sip_txn_pkt *pkt,
                      struct sip_txn_verdict *v)
{
    int code = msg->status_code;
    uint64_t tag = sip_txn_hash_str(sip_txn_hash_init(), msg->to.tag);
    int64_t expected;

    if (x->final_status == 0) {
        x->final_status = code;
        x->final_tag = tag;
        train_start(&x->fin, pkt);
        x->req_since_final = 0;
        if (code < 300)
            x->first_2xx_us = pkt->ts_us;
        if (x->method_id == SIP_METHOD_REGISTER && code < 300)
            report_bindings(t, x, msg, pkt);
        return;
    }
    if (code != x->final_status || tag != x->final_tag) {
        x->final_forks++;
        if (code < 300 && x->first_2xx_us == 0)
            x->first_2xx_us = pkt->ts_us;
        return;
    }
    if (!sip_txn_same_endpoint(&x->fin.src, x->fin.sport, &pkt->src,
                               pkt->sport)) {
        v->other_path = true;
        x->other_path++;
        return;
    }
    /* A final sent after a request retransmission answers it. */
    expected = x->req_since_final > 0 ? 0 :
               final_interval(t, x, code, x->fin.copies);
    if (train_copy(t, &x->fin, pkt, expected, v)) {
        x->retrans++;
        x->req_since_final = 0;
    } else {
        x->mirror++;
    }
}

/* An ACK: for a non-2xx final it is part of the INVITE transaction (same
 * branch); for a 2xx it is a transaction of its own with a new branch,
 * tied to the INVITE by Call-ID and CSeq number (RFC 3261 section 17.1.1.3
 * and 13.2.2.4). */
static struct sip_txn_rec *ack_find(struct sip_txn_table *t,
                                    const struct sip_msg *msg)
{
    struct txn_key k;
    struct sip_txn_rec *x, *best = NULL;

    make_key(msg, cstr("INVITE"), &k);
    x = txn_find(t, msg, &k);
    if (x)
        return x;
    for (x = t->tbuckets[sip_txn_bucket(k.fam, t->tmask)]; x; x = x->hnext) {
        if (!txn_matches(x, msg, &k, false))
            continue;
        if (!best || (x->first_2xx_us != 0 && best->first_2xx_us == 0) ||
            ((x->first_2xx_us != 0) == (best->first_2xx_us != 0) &&
             x->id > best->id))
            best = x;
    }
    return best;
}

static void txn_ack(struct sip_txn_table *t, const struct sip_msg *msg,
                    const struct sip_txn_pkt *pkt, struct sip_txn_verdict *v)
{
    struct sip_txn_rec *x = ack_find(t, msg);

    if (!x) {
        t->st.acks_unmatched++;
        return;
    }
    v->txn_id = x->id;
    if (!x->acked) {
        x->acked = true;
        x->ack_frame = pkt->frame;
        x->ack_src = pkt->src;
        x->ack_sport = pkt->sport;
        x->ack_last_us = pkt->ts_us;
    } else if (!sip_txn_same_endpoint(&x->ack_src, x->ack_sport, &pkt->src,
                                      pkt->sport)) {
        v->other_path = true;
        x->other_path++;
    } else if (pkt->ts_us - x->ack_last_us >= 0 &&
               pkt->ts_us - x->ack_last_us < t->cfg.mirror_window_us) {
        v->mirror_duplicate = true;
        x->mirror++;
    } else {
        /* The UAC sends an ACK for every copy of the final it gets. */
        x->ack_copies++;
        x->retrans++;
        v->retransmission = true;
        v->copy = x->ack_copies;
        v->original_frame = x->ack_frame;
        v->gap_us = pkt->ts_us - x->ack_last_us;
        x->ack_last_us = pkt->ts_us;
    }
    txn_touch(t, x, x->list);
}

static void txn_message(struct sip_txn_table *t, const struct sip_msg *msg,
                        const struct sip_txn_pkt *pkt, uint64_t call_ref,
                        struct sip_txn_verdict *v)
{
    struct txn_key k;
    struct sip_txn_rec *x;
    enum sip_txn_list l;

    if (msg->is_request && msg->method_id == SIP_METHOD_ACK) {
        txn_ack(t, msg, pkt, v);
        return;
    }
    make_key(msg, msg->cseq_method, &k);
    x = txn_find(t, msg, &k);
    if (!x) {
        x = txn_create(t, msg, pkt, &k, call_ref);
        if (!x)
            return;
    }
    v->txn_id = x->id;
    if (msg->is_request)
        txn_request(t, x, msg, pkt, v);
    else if (msg->status_code < 200)
        txn_provisional(t, x, msg, pkt, v);
    else
        txn_final(t, x, msg, pkt, v);

    l = (x->method_id == SIP_METHOD_INVITE && x->first_prov != 0 &&
         x->final_status == 0) ? SIP_TXN_LIST_PROCEEDING : SIP_TXN_LIST_NORMAL;
    txn_touch(t, x, l);
}

void sip_txn_process(struct sip_txn_table *t, const struct sip_msg *msg,
                     const struct sip_txn_pkt *pkt,
                     struct sip_txn_verdict *out)
{
    struct sip_call_rec *c;

    memset(out, 0, sizeof(*out));
    sip_txn_advance(t, pkt->ts_us);
    t->st.messages++;
    if (msg->call_id.len == 0 || !msg->has_cseq ||
        (!msg->is_request && msg->status_code == 0)) {
        t->st.ignored++;
        return;
    }
    c = sip_txn_call_get(t, msg, pkt);
    if (c) {
        out->call_ref = c->id;
        out->resend_of = sip_txn_call_resend(c, msg, pkt);
        out->resend = out->resend_of != 0;
    }
    txn_message(t, msg, pkt, out->call_ref, out);
    if (!c)
        return;
    c->messages++;
    c->last_us = pkt->ts_us;
    if (msg->is_request)
        sip_txn_call_request(t, c, msg, pkt, out);
    else
        sip_txn_call_response(t, c, msg, pkt);
    sip_txn_call_touch(t, c);
}

/* ---- names --------------------------------------------------------------- */

const char *sip_call_state_name(enum sip_call_state st)
{
    switch (st) {
    case SIP_CALL_NONE:
        return "none";
    case SIP_CALL_TRYING:
        return "trying";
    case SIP_CALL_RINGING:
        return "ringing";
    case SIP_CALL_ANSWERED:
        return "answered";
    case SIP_CALL_FAILED:
        return "failed";
    case SIP_CALL_CANCELLED:
        return "cancelled";
    case SIP_CALL_ENDED:
        return "ended";
    }
    return "unknown";
}

const char *sip_call_end_name(enum sip_call_end why)
{
    switch (why) {
    case SIP_CALL_END_NONE:
        return "none";
    case SIP_CALL_END_FINISHED:
        return "finished";
    case SIP_CALL_END_IDLE:
        return "idle";
    case SIP_CALL_END_EVICTED:
        return "evicted";
    case SIP_CALL_END_FLUSHED:
        return "flushed";
    }
    return "unknown";
}

const char *sip_txn_end_name(enum sip_txn_end why)
{
    switch (why) {
    case SIP_TXN_END_EXPIRED:
        return "expired";
    case SIP_TXN_END_EVICTED:
        return "evicted";
    case SIP_TXN_END_FLUSHED:
        return "flushed";
    }
    return "unknown";
}
