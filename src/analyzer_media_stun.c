/* Media stage, STUN: binding requests matched with their responses,
 * consent and keepalive checks told apart (stun.h), the reflexive address
 * each response hands out recorded (stun_mappings), and a reflexive
 * address in private or shared space reported as double NAT or CGNAT.
 * Specs: RFC 8489 (STUN), RFC 7675 (consent freshness), RFC 6598 (shared
 * address space); requirements-data.md section 2.2 signatures N1, N3. */
#include "config.h"

#include <string.h>

#include "analyzer_media_internal.h"
#include "ipaddr.h"
#include "media_record.h"

static bool media_nat_reported(struct analyzer_media *m,
                               const struct ip_addr *requester,
                               const struct ip_addr *mapped)
{
    size_t i;

    for (i = 0; i < m->n_nat_seen; i++)
        if (ipaddr_equal(&m->nat_seen[i][0], requester) &&
            ipaddr_equal(&m->nat_seen[i][1], mapped))
            return true;
    m->nat_seen[m->nat_next][0] = *requester;
    m->nat_seen[m->nat_next][1] = *mapped;
    m->nat_next = (m->nat_next + 1) % ANALYZER_MEDIA_NAT_REPORTED_MAX;
    if (m->n_nat_seen < ANALYZER_MEDIA_NAT_REPORTED_MAX)
        m->n_nat_seen++;
    return false;
}

/* A response that rewrote the requester's address into private or
 * shared space: the requester's traffic left a NAT with an address that
 * cannot reach the Internet, so another NAT follows.  A reflexive address
 * equal to the requester's own (ICE checks between two hosts of one LAN)
 * shows no NAT at all and says nothing. */
static void media_nat_finding(struct analyzer_media *m, const struct flow *f,
                              const struct stun_mapping_record *r)
{
    char req[IPADDR_STRLEN], srv[IPADDR_STRLEN], map[IPADDR_STRLEN];
    bool cgnat = strcmp(r->address_kind, "cgnat") == 0;

    if (!r->translated || strcmp(r->address_kind, "public") == 0 ||
        ipaddr_equal(&r->mapped_ip, &r->requester_ip) ||
        media_nat_reported(m, &r->requester_ip, &r->mapped_ip))
        return;
    ipaddr_format(&r->requester_ip, req);
    ipaddr_format(&r->server_ip, srv);
    ipaddr_format(&r->mapped_ip, map);
    analyzer_media_emit(
        m, cgnat ? "cgnat" : "double_nat", FINDING_ERROR,
        analyzer_media_requirement(m, f, analyzer_media_flow_class(m, f),
                                   PROFILE_CHECK_SINGLE_NAT, true),
        f->id, r->packet, r->ts_us,
        "STUN server %s:%u saw %s:%u as %s:%u (%s), %s: the NAT in front "
        "of %s is followed by another NAT before the Internet%s",
        srv, r->server_port, req, r->requester_port, map, r->mapped_port,
        r->attribute,
        cgnat ? "an address in the carrier-grade NAT space 100.64.0.0/10"
              : "a private address",
        req,
        cgnat ? " (the carrier's CGNAT); ask the provider for a public "
                "address or plan for a second NAT"
              : "; remove one NAT (put the first router in bridge mode)");
}

static void media_mapping(struct analyzer_media *m, const struct flow *f,
                          struct media_state *st, const struct pkt *pkt,
                          const struct decoded *d, enum flow_dir dir,
                          const struct stun_message *msg, int64_t rtt_us)
{
    const struct stun_address *a;
    struct stun_mapping_record r;

    if (msg->xor_mapped.present)
        a = &msg->xor_mapped;
    else if (msg->mapped.present)
        a = &msg->mapped;
    else
        return;
    if (st->has_mapped[dir] && st->mapped_port[dir] == a->port &&
        ipaddr_equal(&st->mapped_ip[dir], &a->addr))
        return;
    st->has_mapped[dir] = true;
    st->mapped_ip[dir] = a->addr;
    st->mapped_port[dir] = a->port;

    memset(&r, 0, sizeof(r));
    r.flow_id = f->id;
    r.packet = pkt->num;
    r.ts_us = pkt->ts_us;
    r.requester_ip = d->dst;
    r.requester_port = d->dport;
    r.server_ip = d->src;
    r.server_port = d->sport;
    r.mapped_ip = a->addr;
    r.mapped_port = a->port;
    if (ipaddr_equal(&d->dst, &f->client_ip) && d->dport == f->client_port)
        r.requester_side = f->client_side;
    else
        r.requester_side = f->server_side;
    r.attribute = a == &msg->xor_mapped ? "xor-mapped-address"
                                        : "mapped-address";
    if (ipaddr_is_cgnat(&a->addr))
        r.address_kind = "cgnat";
    else if (ipaddr_is_home(&a->addr))
        r.address_kind = "private";
    else
        r.address_kind = "public";
    r.translated = !(ipaddr_equal(&a->addr, &d->dst) && a->port == d->dport);
    r.rtt_us = rtt_us;
    emit_record(&m->emit, RECORD_STUN_MAPPING, &r);
    m->stats.stun_mappings++;
    media_nat_finding(m, f, &r);
}

void analyzer_media_stun_packet(struct analyzer_media *m, struct flow *f,
                                struct media_flow *mf, const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir)
{
    struct stun_message msg;
    struct stun_txn_match match;
    struct media_state *st;
    bool matched;

    if (stun_parse(d->payload, d->payload_len, d->payload_wire_len, &msg) ==
        STUN_NOT_STUN) {
        m->stats.stun_bad++;
        return;
    }
    m->stats.stun_messages++;
    st = analyzer_media_state(m, mf);
    if (!st)
        return;
    stun_keepalive_classify(&st->ka, (unsigned)dir, &msg, pkt->ts_us);
    if (msg.cls == STUN_CLASS_REQUEST) {
        st->stun_requests[dir]++;
        stun_txn_request(m->stun_txn, &msg, pkt->ts_us, f->id);
        return;
    }
    if (msg.cls != STUN_CLASS_SUCCESS && msg.cls != STUN_CLASS_ERROR)
        return;
    matched = stun_txn_response(m->stun_txn, &msg, pkt->ts_us, &match);
    if (msg.cls != STUN_CLASS_SUCCESS)
        return;
    if (matched)
        st->stun_answered++;
    if (stun_is_binding(&msg))
        media_mapping(m, f, st, pkt, d, dir, &msg,
                      matched ? match.rtt_us : -1);
}
