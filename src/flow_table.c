/* The flow table: a chained hash of bidirectional flows with packet-time
 * LRU expiry, orientation, inside/outside sides and capped memory.
 *
 * Layout.  Each flow lives in one calloc()ed block: a node header (hash
 * chain and LRU links), the public struct flow, then the analyzers' ext
 * area, aligned for any type.  Buckets are a power-of-two array of chain
 * heads; the table doubles them (a full rehash) whenever live flows exceed
 * the bucket count, up to the first power of two >= max_flows, so the load
 * factor stays <= 1 and memory stays O(max_flows).  Nothing is allocated
 * per packet except the block of a new flow (and, rarely, a larger bucket
 * array).
 *
 * Expiry.  A flow sits in exactly one of four LRU lists, one per timeout
 * class (open TCP, closed TCP, UDP, other), ordered by last activity.  An
 * update moves the flow to the tail of its class's list in O(1), so each
 * list is sorted and flow_table_expire() only looks at heads: O(expired).
 * Activity is measured on the table's clock, the highest packet time seen
 * so far, so a packet with an earlier timestamp (merged captures) cannot
 * break the order of a list; with monotonic timestamps the clock equals
 * the packet's own time.
 *
 * Callbacks.  on_end runs for every flow that ends, after the flow has been
 * taken out of the hash and the lists and before it is freed.  It may read
 * and modify the flow but must not call any flow_table_*() function on the
 * same table. */
#include "config.h"

#include "flow_table.h"

#include <netinet/in.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "packet.h"

/* The first bucket array; it grows on demand (see above). */
#define FLOW_TABLE_MIN_BUCKETS 1024u

enum flow_table_tclass {
    FLOW_TABLE_TC_TCP,
    FLOW_TABLE_TC_TCP_CLOSED,
    FLOW_TABLE_TC_UDP,
    FLOW_TABLE_TC_OTHER,
    FLOW_TABLE_TC_COUNT,
};

struct flow_table_node {
    /* Hot fields first: a chain walk reads only hash and hnext. */
    uint64_t hash;
    struct flow_table_node *hnext;
    struct flow_table_node **hpprev;    /* the pointer that points here */
    struct flow_table_node *lru_prev;
    struct flow_table_node *lru_next;
    int64_t lru_us;                     /* table clock at the last packet */
    /* First sequence number per direction, as Wireshark's base_seq: the
     * ISN of a SYN, or seq - 1 for a flow picked up mid-stream.  It tells
     * a retransmitted SYN from a new connection on reused ports. */
    uint32_t base_seq[2];
    uint8_t base_seq_set;
    uint8_t tclass;                     /* enum flow_table_tclass */
    bool client_is_lo;                  /* client is the key's lo endpoint */
    struct flow flow;
};

struct flow_table_lru {
    struct flow_table_node *head;       /* least recently seen */
    struct flow_table_node *tail;
};

struct flow_table {
    struct flow_table_config cfg;
    flow_end_fn on_end;
    void *on_end_arg;

    struct flow_table_node **buckets;
    size_t n_buckets;                   /* a power of two */
    size_t max_buckets;

    size_t ext_off;                     /* offset of ext in a flow block */
    size_t block_size;

    int64_t timeout_us[FLOW_TABLE_TC_COUNT];
    struct flow_table_lru lru[FLOW_TABLE_TC_COUNT];
    int64_t clock_us;                   /* highest packet time seen */

    struct flow_table_stats stats;
};

void flow_table_config_defaults(struct flow_table_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_flows = 1000000;
    cfg->tcp_timeout_us = 300 * INT64_C(1000000);
    cfg->tcp_closed_timeout_us = 15 * INT64_C(1000000);
    cfg->udp_timeout_us = 120 * INT64_C(1000000);
    cfg->other_timeout_us = 60 * INT64_C(1000000);
    cfg->ext_size = 0;
    cfg->home_nets = NULL;
    cfg->n_home_nets = 0;
}

/* --- orientation ----------------------------------------------------- */

/* Registered ports that identify the server side of the traffic this tool
 * looks at, beyond the system ports below 1024 (RFC 6335 section 6). */
static const struct {
    uint16_t lo;
    uint16_t hi;
} flow_table_service_ports[] = {
    { 1900, 1900 },     /* SSDP (UPnP discovery) */
    { 3478, 3478 },     /* STUN/TURN, RFC 8489 and RFC 8656 */
    { 5060, 5066 },     /* SIP (RFC 3261), SIP over TLS 5061, and the
                           5062-5066 that the provider's phones use */
    { 5222, 5222 },     /* XMPP client-to-server, RFC 6120 */
    { 5269, 5269 },     /* XMPP server-to-server, RFC 6120 */
    { 5280, 5280 },     /* XMPP over BOSH (HTTP binding) */
    { 5349, 5349 },     /* TURN over TLS, RFC 7065 */
    { 5353, 5353 },     /* multicast DNS, RFC 6762 */
    { 5355, 5355 },     /* LLMNR, RFC 4795 */
    { 8080, 8080 },     /* HTTP alternate */
    { 8443, 8443 },     /* HTTPS alternate */
};

/* How strongly a port says "server": 2 for a system port (< 1024), 1 for
 * a port of the table above, 0 otherwise (ephemeral, media). */
static int flow_table_port_rank(uint16_t port)
{
    size_t i;

    if (port < 1024)
        return 2;
    for (i = 0; i < sizeof(flow_table_service_ports) /
                    sizeof(flow_table_service_ports[0]); i++)
        if (port >= flow_table_service_ports[i].lo &&
            port <= flow_table_service_ports[i].hi)
            return 1;
    return 0;
}

bool flow_table_is_inside(const struct flow_table *ft,
                          const struct ip_addr *a)
{
    size_t i;

    if (ipaddr_is_home(a))
        return true;
    for (i = 0; i < ft->cfg.n_home_nets; i++)
        if (ipaddr_in_prefix(a, &ft->cfg.home_nets[i]))
            return true;
    return false;
}

static enum flow_side flow_table_side(const struct flow_table *ft,
                                      const struct ip_addr *a)
{
    return flow_table_is_inside(ft, a) ? FLOW_SIDE_INSIDE
                                       : FLOW_SIDE_OUTSIDE;
}

/* Decides client and server from the packet that creates the flow, once;
 * later packets never flip it, so the result does not depend on timing.
 *
 *  1. TCP SYN without ACK: the sender is the client.  SYN/ACK: the sender
 *     is the server (the SYN was missed).                  FLOW_ORIENT_SYN
 *  2. Otherwise the ports decide: the side whose port ranks higher (system
 *     port < 1024 above a service port of the table above, above any
 *     other port) is the server.  This covers a flow picked up mid-stream
 *     by a packet from the server (an HTTPS response: 443 is the server),
 *     and UDP such as DNS (53) and SIP (5060) to an ephemeral port.
 *                                                          FLOW_ORIENT_PORT
 *  3. Equal ranks (5060 to 5060, RTP between two media ports, ICMP with no
 *     ports): the sender of the first packet is the client.
 *                                                         FLOW_ORIENT_FIRST
 */
static void flow_table_orient(const struct flow_table *ft,
                              struct flow_table_node *n,
                              const struct decoded *d, bool from_lo)
{
    struct flow *f = &n->flow;
    bool sender_is_client = true;

    if (d->proto == IPPROTO_TCP && (d->tcp.flags & TCP_SYN)) {
        sender_is_client = !(d->tcp.flags & TCP_ACK);
        f->orient = FLOW_ORIENT_SYN;
    } else {
        int rs = flow_table_port_rank(d->sport);
        int rd = flow_table_port_rank(d->dport);

        if (rs != rd) {
            sender_is_client = rs < rd;
            f->orient = FLOW_ORIENT_PORT;
        } else {
            f->orient = FLOW_ORIENT_FIRST;
        }
    }
    if (sender_is_client) {
        f->client_ip = d->src;
        f->client_port = d->sport;
        f->server_ip = d->dst;
        f->server_port = d->dport;
    } else {
        f->client_ip = d->dst;
        f->client_port = d->dport;
        f->server_ip = d->src;
        f->server_port = d->sport;
    }
    n->client_is_lo = sender_is_client == from_lo;
    f->client_side = flow_table_side(ft, &f->client_ip);
    f->server_side = flow_table_side(ft, &f->server_ip);
}

/* --- hash ------------------------------------------------------------ */

static void flow_table_hash_insert(struct flow_table_node **buckets,
                                   size_t mask, struct flow_table_node *n)
{
    struct flow_table_node **head = &buckets[n->hash & mask];

    n->hnext = *head;
    if (n->hnext)
        n->hnext->hpprev = &n->hnext;
    *head = n;
    n->hpprev = head;
}

static void flow_table_hash_remove(struct flow_table_node *n)
{
    *n->hpprev = n->hnext;
    if (n->hnext)
        n->hnext->hpprev = n->hpprev;
    n->hnext = NULL;
    n->hpprev = NULL;
}

/* Doubles the bucket array.  On allocation failure the table keeps its
 * current size: chains get longer, nothing is lost. */
static void flow_table_grow(struct flow_table *ft)
{
    size_t new_n = ft->n_buckets * 2;
    struct flow_table_node **nb = calloc(new_n, sizeof(*nb));
    size_t i;

    if (!nb)
        return;
    for (i = 0; i < ft->n_buckets; i++) {
        struct flow_table_node *n = ft->buckets[i];

        while (n) {
            struct flow_table_node *next = n->hnext;

            flow_table_hash_insert(nb, new_n - 1, n);
            n = next;
        }
    }
    free(ft->buckets);
    ft->buckets = nb;
    ft->n_buckets = new_n;
}

static struct flow_table_node *flow_table_lookup(const struct flow_table *ft,
                                                 const struct flow_key *k,
                                                 uint64_t hash)
{
    struct flow_table_node *n = ft->buckets[hash & (ft->n_buckets - 1)];

    for (; n; n = n->hnext)
        if (n->hash == hash && flow_key_equal(&n->flow.key, k))
            return n;
    return NULL;
}

/* --- LRU lists ------------------------------------------------------- */

static void flow_table_lru_append(struct flow_table_lru *l,
                                  struct flow_table_node *n)
{
    n->lru_next = NULL;
    n->lru_prev = l->tail;
    if (l->tail)
        l->tail->lru_next = n;
    else
        l->head = n;
    l->tail = n;
}

static void flow_table_lru_unlink(struct flow_table_lru *l,
                                  struct flow_table_node *n)
{
    if (n->lru_prev)
        n->lru_prev->lru_next = n->lru_next;
    else
        l->head = n->lru_next;
    if (n->lru_next)
        n->lru_next->lru_prev = n->lru_prev;
    else
        l->tail = n->lru_prev;
    n->lru_prev = NULL;
    n->lru_next = NULL;
}

/* The timeout class follows the flow's state: a TCP flow is closed once
 * both sides sent a FIN, or either sent a RST (RFC 9293 section 3.6);
 * after that only stragglers are expected. */
static enum flow_table_tclass flow_table_tclass_of(const struct flow *f)
{
    uint8_t c2s;
    uint8_t s2c;

    if (f->key.proto == IPPROTO_UDP)
        return FLOW_TABLE_TC_UDP;
    if (f->key.proto != IPPROTO_TCP)
        return FLOW_TABLE_TC_OTHER;
    c2s = f->dir[FLOW_DIR_C2S].tcp_flags;
    s2c = f->dir[FLOW_DIR_S2C].tcp_flags;
    if (((c2s | s2c) & TCP_RST) || ((c2s & s2c) & TCP_FIN))
        return FLOW_TABLE_TC_TCP_CLOSED;
    return FLOW_TABLE_TC_TCP;
}

/* The least recently seen flow of all lists; ties go to the lower class,
 * then to list order, so the choice is deterministic.  NULL when empty. */
static struct flow_table_node *flow_table_oldest(const struct flow_table *ft)
{
    struct flow_table_node *best = NULL;
    int c;

    for (c = 0; c < FLOW_TABLE_TC_COUNT; c++) {
        struct flow_table_node *h = ft->lru[c].head;

        if (h && (!best || h->lru_us < best->lru_us))
            best = h;
    }
    return best;
}

/* --- life cycle ------------------------------------------------------ */

static void flow_table_end(struct flow_table *ft, struct flow_table_node *n,
                           enum flow_end_reason why)
{
    flow_table_hash_remove(n);
    flow_table_lru_unlink(&ft->lru[n->tclass], n);
    ft->stats.flows_live--;
    ft->stats.flows_ended++;
    if (why == FLOW_END_EVICTED)
        ft->stats.flows_evicted++;
    n->flow.end_reason = why;
    if (ft->on_end)
        ft->on_end(ft->on_end_arg, &n->flow, why);
    free(n);
}

struct flow_table *flow_table_new(const struct flow_table_config *cfg,
                                  flow_end_fn on_end, void *on_end_arg)
{
    struct flow_table *ft = NULL;
    size_t align = alignof(max_align_t);
    size_t max_flows;

    ft = calloc(1, sizeof(*ft));
    if (!ft)
        goto fail;
    ft->cfg = *cfg;
    ft->on_end = on_end;
    ft->on_end_arg = on_end_arg;

    ft->ext_off = (sizeof(struct flow_table_node) + align - 1) / align *
                  align;
    if (cfg->ext_size > SIZE_MAX - ft->ext_off)
        goto fail;
    ft->block_size = ft->ext_off + cfg->ext_size;

    /* A cap of 0 would make every packet evict the flow it just created;
     * the option parser refuses it, and a table holds at least one. */
    if (ft->cfg.max_flows == 0)
        ft->cfg.max_flows = 1;
    max_flows = ft->cfg.max_flows;
    ft->max_buckets = FLOW_TABLE_MIN_BUCKETS;
    while (ft->max_buckets < max_flows &&
           ft->max_buckets <= SIZE_MAX / 2 / sizeof(*ft->buckets))
        ft->max_buckets *= 2;
    ft->n_buckets = FLOW_TABLE_MIN_BUCKETS;
    ft->buckets = calloc(ft->n_buckets, sizeof(*ft->buckets));
    if (!ft->buckets)
        goto fail;

    ft->timeout_us[FLOW_TABLE_TC_TCP] = cfg->tcp_timeout_us;
    ft->timeout_us[FLOW_TABLE_TC_TCP_CLOSED] = cfg->tcp_closed_timeout_us;
    ft->timeout_us[FLOW_TABLE_TC_UDP] = cfg->udp_timeout_us;
    ft->timeout_us[FLOW_TABLE_TC_OTHER] = cfg->other_timeout_us;
    ft->clock_us = INT64_MIN;
    return ft;

fail:
    if (ft)
        free(ft->buckets);
    free(ft);
    return NULL;
}

void flow_table_flush(struct flow_table *ft, enum flow_end_reason why)
{
    struct flow_table_node *n = flow_table_oldest(ft);

    /* Oldest first, as they would have expired. */
    while (n) {
        flow_table_end(ft, n, why);
        n = flow_table_oldest(ft);
    }
}

void flow_table_free(struct flow_table *ft)
{
    if (!ft)
        return;
    flow_table_flush(ft, FLOW_END_CAPTURE_END);
    free(ft->buckets);
    free(ft);
}

/* a + b, clamped to the int64_t range (a timeout may be "forever"). */
static int64_t flow_table_add_sat(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

void flow_table_expire(struct flow_table *ft, int64_t now_us)
{
    /* Each round ends the flow with the earliest deadline among the list
     * heads, so flows end in the order in which they timed out. */
    for (;;) {
        struct flow_table_node *best = NULL;
        int64_t best_deadline = 0;
        int c;

        for (c = 0; c < FLOW_TABLE_TC_COUNT; c++) {
            struct flow_table_node *h = ft->lru[c].head;
            int64_t deadline;

            if (!h)
                continue;
            deadline = flow_table_add_sat(h->lru_us, ft->timeout_us[c]);
            if (now_us > deadline && (!best || deadline < best_deadline)) {
                best = h;
                best_deadline = deadline;
            }
        }
        if (!best)
            break;
        flow_table_end(ft, best, best->tclass == FLOW_TABLE_TC_TCP_CLOSED
                                     ? FLOW_END_CLOSED : FLOW_END_IDLE);
    }
}

/* --- per packet ------------------------------------------------------ */

static struct flow_table_node *flow_table_create(struct flow_table *ft,
                                                 const struct pkt *pkt,
                                                 const struct decoded *d,
                                                 const struct flow_key *k,
                                                 uint64_t hash, bool from_lo)
{
    struct flow_table_node *n = calloc(1, ft->block_size);
    struct flow *f;

    if (!n) {
        ft->stats.alloc_failures++;
        return NULL;
    }
    /* Allocated first, so that a failed allocation evicts nothing. */
    if (ft->stats.flows_live >= ft->cfg.max_flows)
        flow_table_end(ft, flow_table_oldest(ft), FLOW_END_EVICTED);

    f = &n->flow;
    n->hash = hash;
    f->key = *k;
    f->first_packet = pkt->num;
    f->class_name = "other";
    f->classified_by = FLOW_BY_NONE;
    f->tcp_state = FLOW_TCP_NONE;   /* the TCP analyzer decides */
    f->tcp_rtt_us = -1;
    f->ext = (char *)n + ft->ext_off;
    flow_table_orient(ft, n, d, from_lo);

    /* The class list is chosen by flow_table_account(); park it in any. */
    n->tclass = FLOW_TABLE_TC_OTHER;
    flow_table_lru_append(&ft->lru[n->tclass], n);
    flow_table_hash_insert(ft->buckets, ft->n_buckets - 1, n);

    ft->stats.flows_created++;
    ft->stats.flows_live++;
    if (ft->stats.flows_live > ft->stats.flows_peak)
        ft->stats.flows_peak = ft->stats.flows_live;
    if (ft->stats.flows_live > ft->n_buckets &&
        ft->n_buckets < ft->max_buckets)
        flow_table_grow(ft);
    return n;
}

/* The bit of flow_table_node.base_seq_set for a direction. */
static inline uint8_t flow_table_seq_bit(enum flow_dir dir)
{
    return (uint8_t)(1u << (unsigned)dir);
}

static void flow_table_account(struct flow_table *ft,
                               struct flow_table_node *n,
                               const struct pkt *pkt,
                               const struct decoded *d, enum flow_dir dir)
{
    struct flow *f = &n->flow;
    struct flow_dir_stats *s = &f->dir[dir];
    int64_t ts = pkt->ts_us;
    enum flow_table_tclass tc;

    if (f->dir[0].packets == 0 && f->dir[1].packets == 0) {
        f->first_us = ts;
        f->last_us = ts;
    } else {
        if (ts < f->first_us)
            f->first_us = ts;
        if (ts > f->last_us)
            f->last_us = ts;
    }
    if (s->packets == 0) {
        s->first_us = ts;
        s->last_us = ts;
    } else {
        if (ts < s->first_us)
            s->first_us = ts;
        if (ts > s->last_us)
            s->last_us = ts;
    }
    /* A reassembled datagram stands for all its frames.  The decoder sets
     * frame_count >= 1 and frame_bytes; a packet built without them counts
     * as the one frame that carried it. */
    s->packets += d->frame_count ? d->frame_count : 1;
    s->bytes += d->frame_bytes ? d->frame_bytes : pkt->wirelen;
    s->payload_bytes += d->payload_wire_len;
    s->dscp_seen |= UINT64_C(1) << (d->dscp & 63u);
    if (d->ttl > s->max_ttl)
        s->max_ttl = d->ttl;

    if (d->proto == IPPROTO_TCP) {
        s->tcp_flags |= d->tcp.flags;
        if (d->tcp.flags & (TCP_FIN | TCP_RST))
            f->tcp_closed = true;
        if (!(n->base_seq_set & flow_table_seq_bit(dir))) {
            n->base_seq[dir] = (d->tcp.flags & TCP_SYN) ? d->tcp.seq
                                                        : d->tcp.seq - 1;
            n->base_seq_set |= flow_table_seq_bit(dir);
        }
    }

    if (ts > ft->clock_us)
        ft->clock_us = ts;
    n->lru_us = ft->clock_us;
    tc = flow_table_tclass_of(f);
    /* Back-to-back packets of one flow find it at the tail already; not
     * relinking then spares two cache misses on its neighbours. */
    if (tc != n->tclass || ft->lru[tc].tail != n) {
        flow_table_lru_unlink(&ft->lru[n->tclass], n);
        n->tclass = (uint8_t)tc;
        flow_table_lru_append(&ft->lru[tc], n);
    }
}

/* Port reuse (Wireshark's tcp.analysis.reused_ports): a SYN without ACK
 * on a flow that already saw FIN or RST opens a new connection, unless it
 * repeats the sequence number this side started with, which makes it a
 * retransmission of the SYN that opened this flow (a client retrying a
 * refused connect). */
static bool flow_table_is_reuse(const struct flow_table_node *n,
                                const struct decoded *d, enum flow_dir dir)
{
    if (d->proto != IPPROTO_TCP ||
        (d->tcp.flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
        !n->flow.tcp_closed)
        return false;
    return !(n->base_seq_set & flow_table_seq_bit(dir)) ||
           n->base_seq[dir] != d->tcp.seq;
}

static enum flow_dir flow_table_dir(const struct flow_table_node *n,
                                    bool from_lo)
{
    return from_lo == n->client_is_lo ? FLOW_DIR_C2S : FLOW_DIR_S2C;
}

struct flow *flow_table_update(struct flow_table *ft, const struct pkt *pkt,
                               const struct decoded *d, bool *created,
                               enum flow_dir *dir)
{
    struct flow_key k;
    struct flow_table_node *n;
    enum flow_dir pdir;
    bool from_lo;
    bool is_new = false;
    uint64_t hash;

    flow_key_from_decoded(d, &k, &from_lo);
    hash = flow_key_hash(&k);
    n = flow_table_lookup(ft, &k, hash);
    if (n && flow_table_is_reuse(n, d, flow_table_dir(n, from_lo))) {
        flow_table_end(ft, n, FLOW_END_CLOSED);
        n = NULL;
    }
    if (!n) {
        n = flow_table_create(ft, pkt, d, &k, hash, from_lo);
        if (!n)
            return NULL;
        is_new = true;
    }
    pdir = flow_table_dir(n, from_lo);
    flow_table_account(ft, n, pkt, d, pdir);
    if (created)
        *created = is_new;
    if (dir)
        *dir = pdir;
    return &n->flow;
}

struct flow *flow_table_find(struct flow_table *ft, const struct flow_key *k)
{
    struct flow_table_node *n = flow_table_lookup(ft, k, flow_key_hash(k));

    return n ? &n->flow : NULL;
}

void flow_table_get_stats(const struct flow_table *ft,
                          struct flow_table_stats *out)
{
    *out = ft->stats;
}

void flow_table_foreach(struct flow_table *ft,
                        void (*fn)(void *arg, const struct flow *f),
                        void *arg)
{
    const struct flow_table_node *n;
    int c;

    for (c = 0; c < FLOW_TABLE_TC_COUNT; c++)
        for (n = ft->lru[c].head; n; n = n->lru_next)
            fn(arg, &n->flow);
}
