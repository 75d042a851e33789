/* Media stage, UDP binding timeout: per UDP binding between the customer
 * and the provider, the idle gaps it is known to have survived and the
 * evidence that it died, against the required lifetime (RINGIO 120 s;
 * RFC 4787 REQ-5 and REQ-6).  Method: requirements-data.md section 2.3.
 *
 * A binding is a 5-tuple followed across the flows the flow table cuts it
 * into (a gap longer than the UDP flow timeout ends one flow and the next
 * packet opens another).  Gaps are measured from the previous packet in
 * either direction, since a NAT refreshes its timer on each.
 * - Survived (lower bound): an inbound packet after a gap g >=
 *   ANALYZER_MEDIA_UDPTO_MIN_GAP_US.  Seen inside the NAT (the customer
 *   endpoint is inside) the packet crossed the NAT, which proves g; seen
 *   outside, it proves g only when the customer answers within
 *   ANALYZER_MEDIA_UDPTO_ANSWER_US.
 * - Died (upper bound), outside captures only: after a gap g, the
 *   provider sent two or more packets (its retransmissions) and none was
 *   answered in time; or the customer reappeared at the same server port
 *   from a new source port while this binding stayed silent for good.
 * - Cadence: the longest gap between two outbound packets (keepalives:
 *   SIP OPTIONS, CRLF, STUN, REGISTER refreshes). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer_media_internal.h"
#include "ipaddr.h"

#define MEDIA_WAYS 4

_Static_assert(ANALYZER_MEDIA_BINDINGS_MAX < UINT16_MAX,
               "media_flow.binding holds a binding index");
#define MEDIA_PROTO_UDP 17

enum analyzer_media_udpto_verdict
analyzer_media_udpto_decide(const struct analyzer_media_udpto *u,
                            int64_t required_us)
{
    /* A death after a shorter gap than one survived contradicts it (the
     * device was probably gone): only a consistent bound counts. */
    if (u->dead_us > 0 && u->dead_us < required_us &&
        u->dead_us >= u->proven_us)
        return ANALYZER_MEDIA_UDPTO_SHORT;
    if (u->proven_us >= required_us)
        return ANALYZER_MEDIA_UDPTO_PROVEN;
    if (u->cadence_us > required_us)
        return ANALYZER_MEDIA_UDPTO_UNPROVEN;
    return ANALYZER_MEDIA_UDPTO_NONE;
}

int analyzer_media_udpto_init(struct analyzer_media *m)
{
    m->bindings = calloc(ANALYZER_MEDIA_BINDINGS_MAX, sizeof(*m->bindings));
    m->binding_ways = calloc(ANALYZER_MEDIA_BINDINGS_MAX,
                             sizeof(*m->binding_ways));
    m->n_bindings_made = 0;
    return m->bindings && m->binding_ways ? 0 : -1;
}

void analyzer_media_udpto_release(struct analyzer_media *m)
{
    free(m->bindings);
    free(m->binding_ways);
    m->bindings = NULL;
    m->binding_ways = NULL;
}

/* --- judging ---------------------------------------------------------- */

static void media_dead(struct media_binding *b, int64_t gap_us,
                       uint64_t packet, int64_t ts_us, unsigned in,
                       uint16_t new_port)
{
    if (b->dead_us != 0 && b->dead_us <= gap_us)
        return;
    b->dead_us = gap_us;
    b->dead_packet = packet;
    b->dead_ts = ts_us;
    b->dead_in = in;
    b->dead_new_port = new_port;
}

static void media_proven(struct media_binding *b, int64_t gap_us,
                         uint64_t packet, int64_t ts_us)
{
    if (gap_us <= b->proven_us)
        return;
    b->proven_us = gap_us;
    b->proven_packet = packet;
    b->proven_ts = ts_us;
}

/* Settles the pending inbound packet, at the next outbound packet or at
 * the end of the capture (outbound false): answered in time proves the
 * gap; two or more inbound packets (the provider retransmitting) and no
 * answer in time prove the opposite.  Until then every inbound packet
 * adds to the count. */
static void media_resolve(struct media_binding *b, int64_t now_us,
                          bool outbound)
{
    if (!b->cand)
        return;
    if (outbound && now_us - b->cand_us <= ANALYZER_MEDIA_UDPTO_ANSWER_US)
        media_proven(b, b->cand_gap_us, b->cand_packet, b->cand_us);
    else if (now_us - b->cand_us > ANALYZER_MEDIA_UDPTO_ANSWER_US &&
             b->cand_in >= 2)
        media_dead(b, b->cand_gap_us, b->cand_packet, b->cand_us,
                   b->cand_in, 0);
    b->cand = false;
}

static void media_binding_judge(struct analyzer_media *m,
                                struct media_binding *b, int64_t now_us)
{
    char cust[IPADDR_STRLEN], srv[IPADDR_STRLEN];
    struct analyzer_media_udpto u;
    int64_t required = (int64_t)b->required_s * 1000000;

    media_resolve(b, now_us, false);
    if (b->reappear_us && b->last_us < b->reappear_us)
        media_dead(b, b->reappear_gap_us, b->reappear_packet,
                   b->reappear_us, 0, b->reappear_port);
    u.proven_us = b->proven_us;
    u.dead_us = b->dead_us;
    u.cadence_us = b->cadence_us;
    ipaddr_format(&b->cust_ip, cust);
    ipaddr_format(&b->srv_ip, srv);
    switch (analyzer_media_udpto_decide(&u, required)) {
    case ANALYZER_MEDIA_UDPTO_SHORT:
        if (b->dead_new_port)
            analyzer_media_emit(
                m, "udp_timeout_short", FINDING_ERROR, b->req, b->flow_id,
                b->dead_packet, b->dead_ts,
                "UDP binding %s:%u <-> %s:%u died within %.0f s idle, "
                "less than the %u s required: the customer then reached "
                "%s:%u from a new port %u while the old one stayed silent "
                "(the NAT had dropped the old binding, unless another "
                "device took over); longest idle gap proven survived: "
                "%.0f s.  Raise the router's UDP timeout to %u s or more",
                cust, b->cust_port, srv, b->srv_port,
                (double)b->dead_us / 1e6, b->required_s, srv, b->srv_port,
                b->dead_new_port, (double)b->proven_us / 1e6,
                b->required_s);
        else
            analyzer_media_emit(
                m, "udp_timeout_short", FINDING_ERROR, b->req, b->flow_id,
                b->dead_packet, b->dead_ts,
                "UDP binding %s:%u <-> %s:%u died within %.0f s idle, "
                "less than the %u s required: after that gap %s:%u sent "
                "%u packets and none was answered from the inside; "
                "longest idle gap proven survived: %.0f s.  Raise the "
                "router's UDP timeout to %u s or more",
                cust, b->cust_port, srv, b->srv_port,
                (double)b->dead_us / 1e6, b->required_s, srv, b->srv_port,
                b->dead_in, (double)b->proven_us / 1e6, b->required_s);
        break;
    case ANALYZER_MEDIA_UDPTO_UNPROVEN:
        analyzer_media_emit(
            m, "udp_timeout_unproven", FINDING_INFO, b->req, b->flow_id,
            b->cadence_packet, b->cadence_ts,
            "UDP binding %s:%u <-> %s:%u goes up to %.0f s without an "
            "outbound packet (keepalive cadence), more than the %u s the "
            "NAT must keep it, and nothing in the capture proves it does "
            "(longest idle gap proven survived: %.0f s): incoming calls "
            "fail if the router's UDP timeout is shorter; keep alive more "
            "often than every %u s",
            cust, b->cust_port, srv, b->srv_port,
            (double)b->cadence_us / 1e6, b->required_s,
            (double)b->proven_us / 1e6, b->required_s);
        break;
    default:
        break;
    }
}

/* --- the table -------------------------------------------------------- */

/* The binding in way i, or NULL when the way is free. */
static struct media_binding *media_binding_at(struct analyzer_media *m,
                                              size_t i)
{
    return m->binding_ways[i] ? &m->bindings[m->binding_ways[i] - 1] : NULL;
}

static struct media_binding *media_binding_find(struct analyzer_media *m,
                                                const struct flow_key *k)
{
    size_t nb = ANALYZER_MEDIA_BINDINGS_MAX / MEDIA_WAYS;
    size_t base = (size_t)(flow_key_hash(k) % nb) * MEDIA_WAYS, i;

    for (i = base; i < base + MEDIA_WAYS; i++) {
        struct media_binding *b = media_binding_at(m, i);

        if (b && flow_key_equal(&b->key, k))
            return b;
    }
    return NULL;
}

static struct media_binding *media_binding_new(struct analyzer_media *m,
                                               const struct flow_key *k,
                                               int64_t now_us)
{
    size_t nb = ANALYZER_MEDIA_BINDINGS_MAX / MEDIA_WAYS;
    size_t base = (size_t)(flow_key_hash(k) % nb) * MEDIA_WAYS, i;
    size_t way = base;
    struct media_binding *victim = media_binding_at(m, base);

    /* An unused way, else the least recently used binding. */
    for (i = base + 1; i < base + MEDIA_WAYS; i++) {
        struct media_binding *b = media_binding_at(m, i);

        if (victim && (!b || b->seq < victim->seq)) {
            victim = b;
            way = i;
        }
    }
    if (!victim) {
        /* Every way holds at most one binding, so there is room. */
        m->binding_ways[way] = (uint16_t)(++m->n_bindings_made);
        victim = media_binding_at(m, way);
    } else {
        /* Judged with what it has: its findings are not lost. */
        media_binding_judge(m, victim, now_us);
        m->stats.bindings_replaced++;
    }
    memset(victim, 0, sizeof(*victim));
    victim->used = true;
    victim->key = *k;
    m->stats.bindings++;
    return victim;
}

/* Outside the NAT, a customer that shows up at the same server port from
 * a new source port while exactly one older binding of it sits idle is
 * evidence that the NAT forgot the older one (its own port would have
 * been kept).  Two or more idle candidates are ambiguous. */
static void media_reappear(struct analyzer_media *m,
                           const struct media_binding *nb,
                           uint64_t packet, int64_t ts_us)
{
    struct media_binding *old = NULL;
    size_t i, found = 0;

    for (i = 0; i < ANALYZER_MEDIA_BINDINGS_MAX; i++) {
        struct media_binding *b = media_binding_at(m, i);

        if (!b || b == nb || b->srv_port != nb->srv_port ||
            b->cust_port == nb->cust_port || b->out_packets < 2 ||
            !ipaddr_equal(&b->cust_ip, &nb->cust_ip) ||
            !ipaddr_equal(&b->srv_ip, &nb->srv_ip) ||
            ts_us - b->last_us < ANALYZER_MEDIA_UDPTO_MIN_GAP_US)
            continue;
        old = b;
        found++;
    }
    if (found != 1 || old->reappear_us)
        return;
    old->reappear_us = ts_us;
    old->reappear_gap_us = ts_us - old->last_us;
    old->reappear_packet = packet;
    old->reappear_port = nb->cust_port;
}

bool analyzer_media_udpto_start(struct analyzer_media *m, struct flow *f,
                                struct media_flow *mf,
                                const struct pkt *pkt)
{
    const struct profile_requirement *req, *any;
    const struct profile_class *cls;
    struct media_binding *b;
    int out;
    bool fresh = false;

    if (f->key.proto != MEDIA_PROTO_UDP)
        return false;
    out = analyzer_media_outbound_dir(m, f);
    if (out < 0)
        return false;
    cls = analyzer_media_flow_class(m, f);
    req = analyzer_media_requirement(m, f, cls, PROFILE_CHECK_UDP_TIMEOUT,
                                     false);
    if (!req && f->client_port != 5060 && f->server_port != 5060 &&
        !(cls && !cls->builtin &&
          (analyzer_media_class_is_sip(cls) ||
           analyzer_media_class_is_media(cls))))
        return false;
    b = media_binding_find(m, &f->key);
    if (!b) {
        b = media_binding_new(m, &f->key, pkt->ts_us);
        fresh = true;
    }
    mf->binding = (uint16_t)(b - m->bindings + 1);
    b->seq = ++m->clock;
    b->flow_id = f->id;
    if (!fresh)
        return true;
    b->lan_view = (out == FLOW_DIR_C2S ? f->client_side : f->server_side) ==
                  FLOW_SIDE_INSIDE;
    if (out == FLOW_DIR_C2S) {
        b->cust_ip = f->client_ip;
        b->cust_port = f->client_port;
        b->srv_ip = f->server_ip;
        b->srv_port = f->server_port;
    } else {
        b->cust_ip = f->server_ip;
        b->cust_port = f->server_port;
        b->srv_ip = f->client_ip;
        b->srv_port = f->client_port;
    }
    any = analyzer_media_requirement(m, f, cls, PROFILE_CHECK_UDP_TIMEOUT,
                                     true);
    b->req = req;
    b->required_s = any && any->check_param ? any->check_param
                                            : ANALYZER_MEDIA_UDPTO_DEFAULT_S;
    if (req && req->check_param)
        b->required_s = req->check_param;
    /* The flow table has accounted this first packet already. */
    if (!b->lan_view && f->dir[out].packets == 1)
        media_reappear(m, b, pkt->num, pkt->ts_us);
    return true;
}

void analyzer_media_udpto_packet(struct analyzer_media *m, struct flow *f,
                                 struct media_flow *mf,
                                 const struct pkt *pkt,
                                 const struct decoded *d)
{
    struct media_binding *b = NULL;
    int64_t ts = pkt->ts_us, gap;
    bool outbound;

    /* The flow's binding stays where it was made unless it was replaced:
     * no hashing on every packet. */
    if (mf->binding) {
        b = &m->bindings[mf->binding - 1];
        if (!b->used || !flow_key_equal(&b->key, &f->key))
            b = NULL;
    }
    if (!b) {
        b = media_binding_find(m, &f->key);
        if (!b)
            return;
        mf->binding = (uint16_t)(b - m->bindings + 1);
    }
    outbound = ipaddr_equal(&d->src, &b->cust_ip) && d->sport == b->cust_port;
    if (outbound)
        media_resolve(b, ts, true);
    else if (b->cand)
        b->cand_in++;
    gap = b->first_us ? ts - b->last_us : 0;
    if (!outbound && gap >= ANALYZER_MEDIA_UDPTO_MIN_GAP_US) {
        if (b->lan_view) {
            media_proven(b, gap, pkt->num, ts);
        } else if (!b->cand) {
            b->cand = true;
            b->cand_gap_us = gap;
            b->cand_us = ts;
            b->cand_packet = pkt->num;
            b->cand_in = 1;
        }
    }
    if (outbound) {
        if (b->out_packets && ts - b->last_out_us > b->cadence_us) {
            b->cadence_us = ts - b->last_out_us;
            b->cadence_packet = pkt->num;
            b->cadence_ts = ts;
        }
        b->last_out_us = ts;
        b->out_packets++;
    } else {
        b->in_packets++;
    }
    if (!b->first_us)
        b->first_us = ts;
    b->last_us = ts;
    b->flow_id = f->id;
    b->seq = ++m->clock;
}

void analyzer_media_udpto_finish(struct analyzer_media *m, int64_t now_us)
{
    size_t i;

    for (i = 0; i < ANALYZER_MEDIA_BINDINGS_MAX; i++) {
        struct media_binding *b = media_binding_at(m, i);

        if (b)
            media_binding_judge(m, b, now_us);
    }
    memset(m->bindings, 0, m->n_bindings_made * sizeof(*m->bindings));
    memset(m->binding_ways, 0,
           ANALYZER_MEDIA_BINDINGS_MAX * sizeof(*m->binding_ways));
    m->n_bindings_made = 0;
}
