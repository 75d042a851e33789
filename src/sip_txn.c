/* SIP transactions, calls, registrations and retransmission timing, seen
 * passively.  Spec: RFC 3261 sections 17.1 and 17.2 (client and server
 * transactions, Timers A-K in Table 4), 17.2.3 (matching, with the RFC
 * 2543 fallback), 13.3.1.4 (2xx retransmitted by the UAS core until ACK),
 * 10.3 (REGISTER bindings).
 *
 * A transaction is found by a hash of (Call-ID, CSeq number, CSeq method)
 * and then told apart from its neighbours by the top Via branch (or, for
 * RFC 2543 peers, by From tag and top Via).  Requests and responses use
 * the same key, since a response carries the request's top Via.  Calls
 * are keyed by Call-ID alone: forked early dialogs fold into one call.
 *
 * Every entry sits on an expiry list whose entries share one timeout and
 * are in order of last activity, so expiry only ever looks at list
 * heads.  Nothing here reads a clock: time is packet time. */
#include "config.h"

#include "sip_txn.h"

#include <stdlib.h>
#include <string.h>

/* RFC 3261 section 8.1.1.7: branches of RFC 3261 clients start with it. */
#define MAGIC_COOKIE "z9hG4bK"
#define MAGIC_COOKIE_LEN 7

#define METHOD_MAX 32           /* CSeq method text kept, NUL included */
#define TAG_MAX 64              /* tags kept, NUL included */
#define RESEND_DIRS 4           /* Wireshark resend state per call:
                                   (src, dst) pairs before the least
                                   recently used is replaced */

/* ---- hashing and stored strings ----------------------------------------- */

/* FNV-1a, 64 bits.  Not seeded: results must be the same on every run. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t hash_init(void)
{
    return 0xcbf29ce484222325ull;
}

/* Hashes a view and a separator, so that ("ab","c") != ("a","bc"). */
static uint64_t hash_str(uint64_t h, struct sip_str s)
{
    static const uint8_t sep = 0xff;

    if (s.ptr && s.len > 0)
        h = hash_bytes(h, s.ptr, s.len);
    return hash_bytes(h, &sep, 1);
}

static uint64_t hash_u32(uint64_t h, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 8), (uint8_t)v };

    return hash_bytes(h, b, sizeof(b));
}

/* Spreads the FNV bits before masking (MurmurHash3 finaliser). */
static size_t bucket_of(uint64_t h, size_t mask)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)(h & mask);
}

static void copy_str(char *dst, size_t cap, struct sip_str s)
{
    size_t n = s.ptr ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    if (n > 0)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

/* Does a stored (possibly cut) copy equal the view cut the same way? */
static bool stored_eq(const char *stored, size_t cap, struct sip_str s)
{
    size_t n = s.ptr ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    return strlen(stored) == n && (n == 0 || memcmp(stored, s.ptr, n) == 0);
}

static struct sip_str cstr(const char *s)
{
    struct sip_str v = { s, strlen(s) };

    return v;
}

/* ---- expiry lists ---------------------------------------------------------- */

/* Circular, with a sentinel.  Entries embed a node as their first member
 * so a node pointer converts back to its entry. */
struct lnode {
    struct lnode *prev;
    struct lnode *next;
};

static void list_init(struct lnode *head)
{
    head->prev = head;
    head->next = head;
}

static bool list_empty(const struct lnode *head)
{
    return head->next == head;
}

static void list_unlink(struct lnode *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n;
    n->next = n;
}

static void list_append(struct lnode *head, struct lnode *n)
{
    n->prev = head->prev;
    n->next = head;
    head->prev->next = n;
    head->prev = n;
}

/* ---- entries ----------------------------------------------------------------- */

/* One message and its copies from one sender. */
struct train {
    struct ip_addr src;
    uint16_t sport;
    uint64_t first_frame;
    int64_t first_us;
    int64_t last_us;
    uint32_t copies;            /* the original included */
    uint32_t timer_gaps;
    uint32_t timer_matches;
};

enum txn_list {
    TXN_LIST_NORMAL,            /* kept 64*T1 after the last message */
    TXN_LIST_PROCEEDING,        /* INVITE, provisional, no final */
    TXN_LISTS,
};

struct txn {
    struct lnode lru;           /* first member: see struct lnode */
    struct txn *hnext;
    enum txn_list list;
    int64_t touched_us;         /* last activity, in table time */

    uint64_t id;
    uint64_t fam;               /* hash of Call-ID, CSeq, method */
    uint64_t ident;             /* hash of the branch (or RFC 2543 key) */
    uint64_t call_ref;
    char call_id[SIP_TXN_STR_MAX];
    char branch[SIP_TXN_STR_MAX];
    char method[METHOD_MAX];
    enum sip_method method_id;
    uint32_t cseq;
    bool rfc2543;
    bool reliable;
    uint64_t flow_id;
    uint64_t first_frame;
    int64_t first_us;

    bool request_seen;
    struct ip_addr client_ip;
    struct ip_addr server_ip;
    uint16_t client_port;
    uint16_t server_port;
    struct train req;
    int64_t req_expires;        /* REGISTER: what the client asked for */

    int first_prov;
    int64_t prov_us;            /* first provisional */
    int last_prov;              /* the latest distinct provisional ... */
    uint64_t last_prov_tag;     /* ... its To tag hash ... */
    struct train prov;          /* ... and its copies */
    uint32_t prov_copies;

    int final_status;
    uint64_t final_tag;         /* hash of its To tag */
    struct train fin;
    uint32_t req_since_final;   /* request copies since the last final
                                   copy: a final sent after one answers it
                                   rather than following Timer G */
    int64_t first_2xx_us;
    uint32_t final_forks;

    uint32_t retrans;
    uint32_t mirror;
    uint32_t other_path;
    uint32_t ack_copies;
    bool acked;
    uint64_t ack_frame;
    struct ip_addr ack_src;
    uint16_t ack_sport;
    int64_t ack_last_us;
};

enum resend_state {
    RESEND_NOTHING,
    RESEND_REQUEST,
    RESEND_PROVISIONAL,
    RESEND_FINAL,
};

/* Wireshark's per (Call-ID, src, dst, sport, dport) resend state. */
struct resend_dir {
    bool used;
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    uint32_t cseq;
    char method[METHOD_MAX];
    enum resend_state state;
    int code;
    uint64_t frame;
    uint64_t used_at;           /* for least-recently-used replacement */
};

enum call_list {
    CALL_LIST_FINISHED,         /* kept 64*T1 after the last message */
    CALL_LIST_EARLY,            /* trying or ringing: proceeding_us */
    CALL_LIST_ANSWERED,         /* call_idle_us */
    CALL_LISTS,
};

struct call {
    struct lnode lru;           /* first member: see struct lnode */
    struct call *hnext;
    enum call_list list;
    int64_t touched_us;

    uint64_t id;
    uint64_t hash;              /* of the whole Call-ID */
    size_t call_id_len;
    char call_id[SIP_TXN_STR_MAX];
    char from_uri[SIP_TXN_STR_MAX];
    char to_uri[SIP_TXN_STR_MAX];
    char from_tag[TAG_MAX];
    char to_tag[TAG_MAX];
    char first_method[METHOD_MAX];

    enum sip_call_state state;
    bool is_invite;
    uint32_t invite_cseq;
    int final_status;
    bool cancel_seen;
    uint32_t messages;
    uint32_t reinvites;
    uint64_t flow_id;
    struct ip_addr caller_ip;
    struct ip_addr callee_ip;
    uint16_t caller_port;
    uint16_t callee_port;
    uint64_t first_frame;
    int64_t start_us;
    int64_t ring_us;
    int64_t answer_us;
    int64_t end_us;
    int64_t last_us;

    uint64_t dir_clock;
    struct resend_dir dirs[RESEND_DIRS];
};

struct sip_txn_table {
    struct sip_txn_config cfg;
    struct sip_txn_events ev;
    int64_t now;
    bool started;

    struct txn **tbuckets;
    size_t tmask;
    size_t ntxns;
    struct lnode tlists[TXN_LISTS];
    uint64_t next_txn;

    struct call **cbuckets;
    size_t cmask;
    size_t ncalls;
    struct lnode clists[CALL_LISTS];
    uint64_t next_call;

    struct sip_txn_stats st;
};

static struct txn *txn_of(struct lnode *n)
{
    return (struct txn *)(void *)n;
}

static struct call *call_of(struct lnode *n)
{
    return (struct call *)(void *)n;
}

/* ---- configuration and lifecycle --------------------------------------------- */

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
    for (i = 0; i < TXN_LISTS; i++)
        list_init(&t->tlists[i]);
    for (i = 0; i < CALL_LISTS; i++)
        list_init(&t->clists[i]);
    return t;
}

void sip_txn_free(struct sip_txn_table *t)
{
    int i;

    if (!t)
        return;
    for (i = 0; i < TXN_LISTS; i++) {
        while (!list_empty(&t->tlists[i])) {
            struct lnode *n = t->tlists[i].next;

            list_unlink(n);
            free(txn_of(n));
        }
    }
    for (i = 0; i < CALL_LISTS; i++) {
        while (!list_empty(&t->clists[i])) {
            struct lnode *n = t->clists[i].next;

            list_unlink(n);
            free(call_of(n));
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

/* ---- timers -------------------------------------------------------------------- */

static int64_t timer_b(const struct sip_txn_table *t)
{
    return 64 * t->cfg.t1_us;
}

static int64_t txn_linger(const struct sip_txn_table *t, enum txn_list l)
{
    return l == TXN_LIST_PROCEEDING ? t->cfg.proceeding_us : timer_b(t);
}

static int64_t call_linger(const struct sip_txn_table *t, enum call_list l)
{
    switch (l) {
    case CALL_LIST_EARLY:
        return t->cfg.proceeding_us;
    case CALL_LIST_ANSWERED:
        return t->cfg.call_idle_us;
    default:
        return timer_b(t);
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

/* ---- reports ------------------------------------------------------------------- */

static void txn_report(const struct sip_txn_table *t, const struct txn *x,
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
                  t->now - x->req.first_us >= timer_b(t);
    r.no_response = r.timed_out && x->method_id != SIP_METHOD_ACK &&
                    x->first_prov == 0 && x->final_status == 0;
    r.twoxx_no_ack = x->method_id == SIP_METHOD_INVITE &&
                     x->first_2xx_us != 0 && !x->acked &&
                     t->now - x->first_2xx_us >= timer_b(t);
    r.why = why;
    t->ev.txn_end(t->ev.arg, &r);
}

static void call_fill(const struct call *c, enum sip_call_end why,
                      struct sip_call_report *r)
{
    memset(r, 0, sizeof(*r));
    r->id = c->id;
    r->call_id = c->call_id;
    r->from_uri = c->from_uri;
    r->to_uri = c->to_uri;
    r->from_tag = c->from_tag;
    r->to_tag = c->to_tag;
    r->first_method = c->first_method;
    r->state = c->state;
    r->final_status = c->final_status;
    r->cancel_seen = c->cancel_seen;
    r->messages = c->messages;
    r->reinvites = c->reinvites;
    r->flow_id = c->flow_id;
    r->caller_ip = c->caller_ip;
    r->callee_ip = c->callee_ip;
    r->caller_port = c->caller_port;
    r->callee_port = c->callee_port;
    r->first_frame = c->first_frame;
    r->start_us = c->start_us;
    r->ring_us = c->ring_us;
    r->answer_us = c->answer_us;
    r->end_us = c->end_us;
    r->last_us = c->last_us;
    r->ring_delay_us = c->ring_us ? c->ring_us - c->start_us : -1;
    r->setup_us = c->answer_us ? c->answer_us - c->start_us : -1;
    r->duration_us = (c->state == SIP_CALL_ENDED && c->answer_us) ?
                     c->end_us - c->answer_us : -1;
    r->why = why;
}

static void call_notify(const struct sip_txn_table *t, const struct call *c)
{
    struct sip_call_report r;

    if (!t->ev.call_state)
        return;
    call_fill(c, SIP_CALL_END_NONE, &r);
    t->ev.call_state(t->ev.arg, &r);
}

/* ---- removal, eviction, expiry ------------------------------------------------ */

static void txn_remove(struct sip_txn_table *t, struct txn *x,
                       enum sip_txn_end why)
{
    struct txn **pp = &t->tbuckets[bucket_of(x->fam, t->tmask)];

    txn_report(t, x, why);
    while (*pp && *pp != x)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = x->hnext;
    list_unlink(&x->lru);
    t->ntxns--;
    free(x);
}

static void call_remove(struct sip_txn_table *t, struct call *c,
                        enum sip_call_end why)
{
    struct call **pp = &t->cbuckets[bucket_of(c->hash, t->cmask)];

    if (t->ev.call_end) {
        struct sip_call_report r;

        call_fill(c, why, &r);
        t->ev.call_end(t->ev.arg, &r);
    }
    while (*pp && *pp != c)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = c->hnext;
    list_unlink(&c->lru);
    t->ncalls--;
    free(c);
}

/* The least recently active transaction, or NULL (ties: lower list). */
static struct txn *oldest_txn(struct sip_txn_table *t)
{
    struct txn *best = NULL;
    int i;

    for (i = 0; i < TXN_LISTS; i++) {
        struct txn *x;

        if (list_empty(&t->tlists[i]))
            continue;
        x = txn_of(t->tlists[i].next);
        if (!best || x->touched_us < best->touched_us)
            best = x;
    }
    return best;
}

static struct call *oldest_call(struct sip_txn_table *t)
{
    struct call *best = NULL;
    int i;

    for (i = 0; i < CALL_LISTS; i++) {
        struct call *c;

        if (list_empty(&t->clists[i]))
            continue;
        c = call_of(t->clists[i].next);
        if (!best || c->touched_us < best->touched_us)
            best = c;
    }
    return best;
}

static enum sip_call_end call_end_reason(const struct call *c)
{
    return c->list == CALL_LIST_FINISHED ? SIP_CALL_END_FINISHED :
                                           SIP_CALL_END_IDLE;
}

void sip_txn_advance(struct sip_txn_table *t, int64_t now_us)
{
    int i;

    if (!t->started || now_us > t->now) {
        t->now = now_us;
        t->started = true;
    }
    for (i = 0; i < TXN_LISTS; i++) {
        int64_t linger = txn_linger(t, (enum txn_list)i);

        while (!list_empty(&t->tlists[i])) {
            struct txn *x = txn_of(t->tlists[i].next);

            if (t->now - x->touched_us < linger)
                break;
            txn_remove(t, x, SIP_TXN_END_EXPIRED);
        }
    }
    for (i = 0; i < CALL_LISTS; i++) {
        int64_t linger = call_linger(t, (enum call_list)i);

        while (!list_empty(&t->clists[i])) {
            struct call *c = call_of(t->clists[i].next);

            if (t->now - c->touched_us < linger)
                break;
            call_remove(t, c, call_end_reason(c));
        }
    }
}

void sip_txn_flush(struct sip_txn_table *t, int64_t now_us)
{
    struct txn *x;
    struct call *c;

    sip_txn_advance(t, now_us);
    for (x = oldest_txn(t); x; x = oldest_txn(t))
        txn_remove(t, x, SIP_TXN_END_FLUSHED);
    for (c = oldest_call(t); c; c = oldest_call(t))
        call_remove(t, c, SIP_CALL_END_FLUSHED);
}

static void txn_touch(struct sip_txn_table *t, struct txn *x,
                      enum txn_list l)
{
    list_unlink(&x->lru);
    x->list = l;
    x->touched_us = t->now;
    list_append(&t->tlists[l], &x->lru);
}

static void call_touch(struct sip_txn_table *t, struct call *c)
{
    enum call_list l;

    switch (c->state) {
    case SIP_CALL_TRYING:
    case SIP_CALL_RINGING:
        l = CALL_LIST_EARLY;
        break;
    case SIP_CALL_ANSWERED:
        l = CALL_LIST_ANSWERED;
        break;
    default:
        l = CALL_LIST_FINISHED;
        break;
    }
    list_unlink(&c->lru);
    c->list = l;
    c->touched_us = t->now;
    list_append(&t->clists[l], &c->lru);
}

/* ---- calls --------------------------------------------------------------------- */

static bool same_endpoint(const struct ip_addr *a, uint16_t ap,
                          const struct ip_addr *b, uint16_t bp)
{
    return ap == bp && ipaddr_equal(a, b);
}

static struct call *call_find(struct sip_txn_table *t, struct sip_str id,
                              uint64_t h)
{
    struct call *c = t->cbuckets[bucket_of(h, t->cmask)];

    for (; c; c = c->hnext) {
        if (c->hash == h && c->call_id_len == id.len &&
            stored_eq(c->call_id, sizeof(c->call_id), id))
            return c;
    }
    return NULL;
}

static struct call *call_get(struct sip_txn_table *t,
                             const struct sip_msg *msg,
                             const struct sip_txn_pkt *pkt)
{
    uint64_t h = hash_str(hash_init(), msg->call_id);
    struct call *c = call_find(t, msg->call_id, h);
    size_t b;

    if (c)
        return c;
    if (t->ncalls >= t->cfg.max_calls) {
        struct call *old = oldest_call(t);

        if (old) {
            call_remove(t, old, SIP_CALL_END_EVICTED);
            t->st.calls_evicted++;
        }
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        t->st.alloc_failures++;
        return NULL;
    }
    c->id = ++t->next_call;
    c->hash = h;
    c->call_id_len = msg->call_id.len;
    copy_str(c->call_id, sizeof(c->call_id), msg->call_id);
    copy_str(c->from_uri, sizeof(c->from_uri), msg->from.uri_text);
    copy_str(c->to_uri, sizeof(c->to_uri), msg->to.uri_text);
    copy_str(c->from_tag, sizeof(c->from_tag), msg->from.tag);
    copy_str(c->first_method, sizeof(c->first_method),
             msg->is_request ? msg->method : msg->cseq_method);
    c->state = SIP_CALL_NONE;
    c->flow_id = pkt->flow_id;
    if (msg->is_request) {
        c->caller_ip = pkt->src;
        c->caller_port = pkt->sport;
        c->callee_ip = pkt->dst;
        c->callee_port = pkt->dport;
    } else {
        c->caller_ip = pkt->dst;
        c->caller_port = pkt->dport;
        c->callee_ip = pkt->src;
        c->callee_port = pkt->sport;
    }
    c->first_frame = pkt->frame;
    c->start_us = pkt->ts_us;
    b = bucket_of(h, t->cmask);
    c->hnext = t->cbuckets[b];
    t->cbuckets[b] = c;
    c->lru.prev = &c->lru;
    c->lru.next = &c->lru;
    t->ncalls++;
    t->st.calls++;
    return c;
}

/* Wireshark's sip_is_packet_resend(), same rules: the frame this one
 * repeats, or 0. */
static uint64_t ws_resend(struct call *c, const struct sip_msg *msg,
                          const struct sip_txn_pkt *pkt)
{
    struct resend_dir *d = NULL, *victim = &c->dirs[0];
    uint32_t cmp = 0;
    uint64_t result = 0;
    size_t i;

    if (pkt->reliable)
        return 0;
    for (i = 0; i < RESEND_DIRS; i++) {
        struct resend_dir *e = &c->dirs[i];

        if (e->used && same_endpoint(&e->src, e->sport, &pkt->src,
                                     pkt->sport) &&
            same_endpoint(&e->dst, e->dport, &pkt->dst, pkt->dport)) {
            d = e;
            break;
        }
        if (!e->used || (victim->used && e->used_at < victim->used_at))
            victim = e;
    }
    if (d) {
        cmp = d->cseq;
        if (msg->cseq != d->cseq) {
            d->cseq = msg->cseq;
            copy_str(d->method, sizeof(d->method), msg->cseq_method);
            d->state = RESEND_NOTHING;
            d->frame = 0;
        }
    } else {
        d = victim;
        memset(d, 0, sizeof(*d));
        d->used = true;
        d->src = pkt->src;
        d->dst = pkt->dst;
        d->sport = pkt->sport;
        d->dport = pkt->dport;
        d->cseq = msg->cseq;
        copy_str(d->method, sizeof(d->method), msg->cseq_method);
        d->state = RESEND_NOTHING;
    }
    d->used_at = ++c->dir_clock;

    if (msg->is_request && msg->cseq == cmp && d->state == RESEND_REQUEST &&
        stored_eq(d->method, sizeof(d->method), msg->cseq_method) &&
        msg->cseq_method_id != SIP_METHOD_ACK &&
        msg->cseq_method_id != SIP_METHOD_CANCEL)
        result = d->frame;
    if (!msg->is_request && msg->cseq == cmp && d->state == RESEND_FINAL &&
        stored_eq(d->method, sizeof(d->method), msg->cseq_method) &&
        msg->status_code >= 200 && msg->status_code == d->code)
        result = d->frame;

    if (msg->is_request) {
        d->state = RESEND_REQUEST;
        if (!result)
            d->frame = pkt->frame;
    } else if (msg->status_code >= 200) {
        d->code = msg->status_code;
        d->state = RESEND_FINAL;
        if (!result)
            d->frame = pkt->frame;
    } else {
        d->state = RESEND_PROVISIONAL;
    }
    return result;
}

static void call_set_state(const struct sip_txn_table *t, struct call *c,
                           enum sip_call_state st)
{
    if (c->state == st)
        return;
    c->state = st;
    call_notify(t, c);
}

/* An initial INVITE (no To tag).  A new CSeq after a failure is the same
 * call trying again, typically after a 401/407 challenge. */
static void call_initial_invite(struct sip_txn_table *t, struct call *c,
                                const struct sip_msg *msg,
                                const struct sip_txn_pkt *pkt)
{
    if (!c->is_invite) {
        c->is_invite = true;
        c->invite_cseq = msg->cseq;
        c->flow_id = pkt->flow_id;
        c->caller_ip = pkt->src;
        c->caller_port = pkt->sport;
        c->callee_ip = pkt->dst;
        c->callee_port = pkt->dport;
        c->first_frame = pkt->frame;
        c->start_us = pkt->ts_us;
        copy_str(c->from_uri, sizeof(c->from_uri), msg->from.uri_text);
        copy_str(c->to_uri, sizeof(c->to_uri), msg->to.uri_text);
        copy_str(c->from_tag, sizeof(c->from_tag), msg->from.tag);
        copy_str(c->first_method, sizeof(c->first_method), msg->method);
        call_set_state(t, c, SIP_CALL_TRYING);
        return;
    }
    if (msg->cseq == c->invite_cseq)
        return;
    c->invite_cseq = msg->cseq;
    if (c->state == SIP_CALL_FAILED) {
        c->final_status = 0;
        c->end_us = 0;
        c->to_tag[0] = '\0';
        call_set_state(t, c, SIP_CALL_TRYING);
    }
}

static void call_request(struct sip_txn_table *t, struct call *c,
                         const struct sip_msg *msg,
                         const struct sip_txn_pkt *pkt,
                         const struct sip_txn_verdict *v)
{
    bool original = !v->retransmission && !v->mirror_duplicate &&
                    !v->other_path;

    switch (msg->method_id) {
    case SIP_METHOD_INVITE:
        if (msg->to.tag.len == 0)
            call_initial_invite(t, c, msg, pkt);
        else if (original)
            c->reinvites++;
        break;
    case SIP_METHOD_CANCEL:
        c->cancel_seen = true;
        break;
    case SIP_METHOD_BYE:
        if (c->state == SIP_CALL_ANSWERED) {
            c->end_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_ENDED);
        } else if (c->state == SIP_CALL_TRYING ||
                   c->state == SIP_CALL_RINGING) {
            c->end_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_CANCELLED);
        }
        break;
    default:
        break;
    }
}

static void call_response(struct sip_txn_table *t, struct call *c,
                          const struct sip_msg *msg,
                          const struct sip_txn_pkt *pkt)
{
    int code = msg->status_code;
    bool early = c->state == SIP_CALL_TRYING || c->state == SIP_CALL_RINGING;

    if (!c->is_invite || msg->cseq_method_id != SIP_METHOD_INVITE ||
        msg->cseq != c->invite_cseq)
        return;
    if (code > 100 && code < 200) {
        if (c->state == SIP_CALL_TRYING) {
            c->ring_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_RINGING);
        }
    } else if (code >= 200 && code < 300) {
        if (early || c->state == SIP_CALL_FAILED ||
            c->state == SIP_CALL_CANCELLED) {
            if (c->answer_us == 0)
                c->answer_us = pkt->ts_us;
            c->final_status = code;
            c->end_us = 0;
            copy_str(c->to_tag, sizeof(c->to_tag), msg->to.tag);
            call_set_state(t, c, SIP_CALL_ANSWERED);
        }
    } else if (code >= 300 && early) {
        /* 487 Request Terminated answers a CANCEL (RFC 3261 section
         * 9.2), even one the capture missed. */
        c->final_status = code;
        c->end_us = pkt->ts_us;
        copy_str(c->to_tag, sizeof(c->to_tag), msg->to.tag);
        call_set_state(t, c, code == 487 ? SIP_CALL_CANCELLED :
                                           SIP_CALL_FAILED);
    }
}

/* ---- transactions --------------------------------------------------------------- */

struct txn_key {
    uint64_t fam;
    uint64_t ident;
    bool rfc2543;
    struct sip_str branch;
    struct sip_str method;
};

static uint64_t family_hash(const struct sip_msg *msg, struct sip_str method)
{
    uint64_t h = hash_str(hash_init(), msg->call_id);

    h = hash_u32(h, msg->cseq);
    return hash_str(h, method);
}

static void make_key(const struct sip_msg *msg, struct sip_str method,
                     struct txn_key *k)
{
    const struct sip_via *via = sip_msg_top_via(msg);
    struct sip_str none = { NULL, 0 };
    uint64_t h = hash_init();

    k->fam = family_hash(msg, method);
    k->method = method;
    k->branch = via ? via->branch : none;
    k->rfc2543 = !(k->branch.len > MAGIC_COOKIE_LEN &&
                   memcmp(k->branch.ptr, MAGIC_COOKIE, MAGIC_COOKIE_LEN) == 0);
    if (!k->rfc2543) {
        k->ident = hash_str(h, k->branch);
        return;
    }
    /* RFC 3261 section 17.2.3 for RFC 2543 peers: Call-ID and CSeq are in
     * the family already; add From tag and the whole top Via. */
    h = hash_str(h, msg->from.tag);
    if (via) {
        h = hash_str(h, via->host);
        h = hash_u32(h, via->port);
        h = hash_str(h, via->branch);
    }
    k->ident = hash_str(h, cstr("2543"));
}

static bool txn_matches(const struct txn *x, const struct sip_msg *msg,
                        const struct txn_key *k, bool check_ident)
{
    return x->fam == k->fam && (!check_ident || x->ident == k->ident) &&
           x->cseq == msg->cseq &&
           stored_eq(x->method, sizeof(x->method), k->method) &&
           stored_eq(x->call_id, sizeof(x->call_id), msg->call_id) &&
           (!check_ident ||
            stored_eq(x->branch, sizeof(x->branch), k->branch));
}

static struct txn *txn_find(struct sip_txn_table *t, const struct sip_msg *msg,
                            const struct txn_key *k)
{
    struct txn *x = t->tbuckets[bucket_of(k->fam, t->tmask)];

    for (; x; x = x->hnext) {
        if (txn_matches(x, msg, k, true))
            return x;
    }
    return NULL;
}

static struct txn *txn_create(struct sip_txn_table *t,
                              const struct sip_msg *msg,
                              const struct sip_txn_pkt *pkt,
                              const struct txn_key *k, uint64_t call_ref)
{
    struct txn *x;
    size_t b;

    if (t->ntxns >= t->cfg.max_txns) {
        struct txn *old = oldest_txn(t);

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
    copy_str(x->call_id, sizeof(x->call_id), msg->call_id);
    copy_str(x->branch, sizeof(x->branch), k->branch);
    copy_str(x->method, sizeof(x->method), k->method);
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
    b = bucket_of(k->fam, t->tmask);
    x->hnext = t->tbuckets[b];
    t->tbuckets[b] = x;
    x->lru.prev = &x->lru;
    x->lru.next = &x->lru;
    t->ntxns++;
    t->st.txns++;
    return x;
}

static void train_start(struct train *tr, const struct sip_txn_pkt *pkt)
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
static bool train_copy(const struct sip_txn_table *t, struct train *tr,
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
                                const struct txn *x, uint32_t k)
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
                              const struct txn *x, int code, uint32_t k)
{
    if (x->method_id != SIP_METHOD_INVITE)
        return 0;
    if (code >= 300 && x->reliable)
        return 0;
    return backoff(t, k - 1, t->cfg.t2_us);
}

static void txn_request(struct sip_txn_table *t, struct txn *x,
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
    if (!same_endpoint(&x->req.src, x->req.sport, &pkt->src, pkt->sport)) {
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

static void report_bindings(struct sip_txn_table *t, const struct txn *x,
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

static void txn_provisional(struct sip_txn_table *t, struct txn *x,
                            const struct sip_msg *msg,
                            const struct sip_txn_pkt *pkt,
                            struct sip_txn_verdict *v)
{
    uint64_t tag = hash_str(hash_init(), msg->to.tag);

    if (x->last_prov == msg->status_code && x->last_prov_tag == tag) {
        if (!same_endpoint(&x->prov.src, x->prov.sport, &pkt->src,
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

static void txn_final(struct sip_txn_table *t, struct txn *x,
                      const struct sip_msg *msg,
                      const struct sip_txn_pkt *pkt,
                      struct sip_txn_verdict *v)
{
    int code = msg->status_code;
    uint64_t tag = hash_str(hash_init(), msg->to.tag);
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
    if (!same_endpoint(&x->fin.src, x->fin.sport, &pkt->src, pkt->sport)) {
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
static struct txn *ack_find(struct sip_txn_table *t, const struct sip_msg *msg)
{
    struct txn_key k;
    struct txn *x, *best = NULL;

    make_key(msg, cstr("INVITE"), &k);
    x = txn_find(t, msg, &k);
    if (x)
        return x;
    for (x = t->tbuckets[bucket_of(k.fam, t->tmask)]; x; x = x->hnext) {
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
    struct txn *x = ack_find(t, msg);

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
    } else if (!same_endpoint(&x->ack_src, x->ack_sport, &pkt->src,
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
    struct txn *x;
    enum txn_list l;

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
         x->final_status == 0) ? TXN_LIST_PROCEEDING : TXN_LIST_NORMAL;
    txn_touch(t, x, l);
}

void sip_txn_process(struct sip_txn_table *t, const struct sip_msg *msg,
                     const struct sip_txn_pkt *pkt,
                     struct sip_txn_verdict *out)
{
    struct call *c;

    memset(out, 0, sizeof(*out));
    sip_txn_advance(t, pkt->ts_us);
    t->st.messages++;
    if (msg->call_id.len == 0 || !msg->has_cseq ||
        (!msg->is_request && msg->status_code == 0)) {
        t->st.ignored++;
        return;
    }
    c = call_get(t, msg, pkt);
    if (c) {
        out->call_ref = c->id;
        out->resend_of = ws_resend(c, msg, pkt);
        out->resend = out->resend_of != 0;
    }
    txn_message(t, msg, pkt, out->call_ref, out);
    if (!c)
        return;
    c->messages++;
    c->last_us = pkt->ts_us;
    if (msg->is_request)
        call_request(t, c, msg, pkt, out);
    else
        call_response(t, c, msg, pkt);
    call_touch(t, c);
}

/* ---- names ------------------------------------------------------------------------ */

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
