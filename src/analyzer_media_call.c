/* Media stage, calls: ties RTP flows to the SIP calls whose SDP announced
 * their endpoints, judges one-way media per call (or per media flow), and
 * compares the announced endpoints with the ones the media uses
 * (media_nat_mismatch).  Definitions: requirements-data.md section 2.4
 * (VoIPmonitor, sipnab, Wireshark practice); RFC 3264 (offer/answer). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_media_internal.h"
#include "ipaddr.h"
#include "xalloc.h"

#define MEDIA_WAYS 4
/* Announcements of one call looked at for the other party's endpoint
 * (audio and video of an offer and an answer, and a re-INVITE). */
#define MEDIA_CALL_ENTRIES 8

/* --- the call table --------------------------------------------------- */

_Static_assert(ANALYZER_MEDIA_CALLS_MAX <= UINT16_MAX,
               "call record numbers are 16-bit");

int analyzer_media_call_init(struct analyzer_media *m)
{
    m->calls = calloc(ANALYZER_MEDIA_CALLS_MAX, sizeof(*m->calls));
    m->call_ways = calloc(ANALYZER_MEDIA_CALLS_MAX, sizeof(*m->call_ways));
    m->calls_free = calloc(ANALYZER_MEDIA_CALLS_MAX, sizeof(*m->calls_free));
    return m->calls && m->call_ways && m->calls_free ? 0 : -1;
}

void analyzer_media_call_release(struct analyzer_media *m)
{
    free(m->calls);
    free(m->call_ways);
    free(m->calls_free);
    m->calls = NULL;
    m->call_ways = NULL;
    m->calls_free = NULL;
}

void analyzer_media_call_clear(struct analyzer_media *m)
{
    if (!m->calls || m->n_calls_made == 0)
        return;
    memset(m->calls, 0, m->n_calls_made * sizeof(*m->calls));
    memset(m->call_ways, 0, ANALYZER_MEDIA_CALLS_MAX * sizeof(*m->call_ways));
    m->n_calls_made = 0;
    m->n_calls_free = 0;
}

/* The call in way i, or NULL when the way is free. */
static struct media_call *media_call_at(const struct analyzer_media *m,
                                        size_t i)
{
    unsigned n = m->call_ways[i];

    return n ? &m->calls[n - 1] : NULL;
}

static size_t media_call_bucket(const char *call_id)
{
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p;

    for (p = (const unsigned char *)call_id; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    h ^= h >> 29;
    return (size_t)(h % (ANALYZER_MEDIA_CALLS_MAX / MEDIA_WAYS)) * MEDIA_WAYS;
}

static void media_endpoint(const struct flow *f, int dir_from,
                           struct ip_addr *ip, uint16_t *port)
{
    if (dir_from == FLOW_DIR_C2S) {
        *ip = f->client_ip;
        *port = f->client_port;
    } else {
        *ip = f->server_ip;
        *port = f->server_port;
    }
}

/* Entries are freed once judged, so every used entry has live flows; a
 * call whose bucket is full of live calls is judged per flow. */
static void media_call_attach(struct analyzer_media *m, const struct flow *f,
                              struct media_state *st)
{
    int out = analyzer_media_outbound_dir(m, f);
    size_t base, i, slot = ANALYZER_MEDIA_CALLS_MAX;
    struct media_call *c;

    if (out < 0)
        return;
    base = media_call_bucket(st->call_id);
    for (i = base; i < base + MEDIA_WAYS; i++) {
        c = media_call_at(m, i);
        if (c && strcmp(c->call_id, st->call_id) == 0) {
            slot = i;
            break;
        }
        if (!c && slot == ANALYZER_MEDIA_CALLS_MAX)
            slot = i;
    }
    if (slot == ANALYZER_MEDIA_CALLS_MAX) {
        m->stats.calls_dropped++;
        return;
    }
    c = media_call_at(m, slot);
    if (!c) {
        /* A record given back first, else a fresh one: records stay
         * packed.  One per way at most, so the array never runs out. */
        size_t n = m->n_calls_free ? m->calls_free[--m->n_calls_free]
                                   : m->n_calls_made++;

        m->call_ways[slot] = (uint16_t)(n + 1);
        c = &m->calls[n];
        memset(c, 0, sizeof(*c));
        c->used = true;
        c->seq = ++m->clock;
        snprintf(c->call_id, sizeof(c->call_id), "%s", st->call_id);
        c->lan_view = (out == FLOW_DIR_C2S ? f->client_side
                                           : f->server_side) ==
                      FLOW_SIDE_INSIDE;
        c->flow_id = f->id;
        c->first_packet = f->first_packet;
        c->first_us = f->first_us;
        media_endpoint(f, out, &c->cust_ip, &c->cust_port);
        media_endpoint(f, 1 - out, &c->remote_ip, &c->remote_port);
        c->req = analyzer_media_requirement(m, f,
                                            analyzer_media_flow_class(m, f),
                                            PROFILE_CHECK_CONNECT, false);
    }
    c->live++;
    c->flows++;
    st->in_call = true;
    st->call_slot = slot;
}

/* --- media_nat_mismatch ---------------------------------------------- */

/* The other party's announcement: an endpoint of the call that is not
 * the matched one, from the other half of the offer/answer if there is
 * one, the latest first. */
static const struct media_expect_entry *
media_other_party(const struct analyzer_media *m,
                  const struct media_expect_entry *mine, uint8_t family,
                  int64_t now_us)
{
    const struct media_expect_entry *all[MEDIA_CALL_ENTRIES], *best = NULL;
    size_t n, i;

    n = media_expect_find_call(m->media, mine->call_id, now_us, all,
                               MEDIA_CALL_ENTRIES);
    if (n > MEDIA_CALL_ENTRIES)
        n = MEDIA_CALL_ENTRIES;
    for (i = 0; i < n; i++) {
        const struct media_expect_entry *e = all[i];
        bool better;

        if (e->addr.family != family ||
            (e->port == mine->port && ipaddr_equal(&e->addr, &mine->addr)))
            continue;
        better = !best ||
                 ((e->from_offer != mine->from_offer) >
                  (best->from_offer != mine->from_offer)) ||
                 ((e->from_offer != mine->from_offer) ==
                      (best->from_offer != mine->from_offer) &&
                  e->ts_us > best->ts_us);
        if (better)
            best = e;
    }
    return best;
}

/* One endpoint of the flow was announced, the other was not: compare the
 * other party's announcement with the endpoint it really uses.  A private
 * announced address behind a public observed one is ordinary NAT
 * traversal, left to the provider (symmetric RTP, nathelper): no finding.
 * Otherwise a port that differs from the announced one on the same
 * address, or on a public announced address seen from a private one (a
 * phone that knows its NAT), or a different address of the same kind,
 * means the far end sends where no media is received. */
static void media_nat_check(struct analyzer_media *m, const struct flow *f,
                            struct media_state *st, const struct pkt *pkt)
{
    const struct media_expect_entry *mine, *other;
    char ann[IPADDR_STRLEN], obs[IPADDR_STRLEN];
    const struct ip_addr *oip;
    bool ann_home, obs_home, same_addr, port_only;
    unsigned s;
    uint16_t oport;

    if (st->nat_checked || (st->has_ep[0] && st->has_ep[1]))
        return;
    st->nat_checked = true;
    s = st->has_ep[0] ? 0 : 1;
    mine = &st->ep[s];
    oip = s == 0 ? &f->key.hi_ip : &f->key.lo_ip;
    oport = s == 0 ? f->key.hi_port : f->key.lo_port;
    other = media_other_party(m, mine, oip->family, pkt->ts_us);
    if (!other)
        return;
    ann_home = ipaddr_is_home(&other->addr);
    if (ipaddr_equal(oip, &f->client_ip) && oport == f->client_port)
        obs_home = f->client_side == FLOW_SIDE_INSIDE;
    else
        obs_home = f->server_side == FLOW_SIDE_INSIDE;
    if (ann_home && !obs_home)
        return;
    same_addr = ipaddr_equal(&other->addr, oip);
    port_only = same_addr || (!ann_home && obs_home);
    if (port_only && other->port == oport)
        return;
    ipaddr_format(&other->addr, ann);
    ipaddr_format(oip, obs);
    analyzer_media_emit(
        m, "media_nat_mismatch", FINDING_WARNING,
        analyzer_media_requirement(m, f, analyzer_media_flow_class(m, f),
                                   PROFILE_CHECK_CONNECT, false),
        f->id, pkt->num, pkt->ts_us,
        "SDP of call %s announced media at %s:%u (frame %llu), but the "
        "call's RTP uses %s:%u: %s",
        st->call_id, ann, other->port,
        (unsigned long long)other->sdp_packet, obs, oport,
        port_only ? "the port differs, so media sent to the announced port "
                    "is lost (a NAT that changed the port, or an ALG that "
                    "rewrote the SDP)"
                  : "the address differs (a second NAT, or an ALG that "
                    "rewrote the SDP)");
}

void analyzer_media_call_sdp(struct analyzer_media *m, struct flow *f,
                             struct media_flow *mf, const struct pkt *pkt)
{
    struct media_state *st = mf->st;
    const struct media_expect_entry *e[2];
    unsigned side;

    if (st->has_call || !m->media ||
        mf->expect_probes >= ANALYZER_MEDIA_EXPECT_PROBE)
        return;
    mf->expect_probes++;
    e[0] = media_expect_lookup(m->media, &f->key.lo_ip, f->key.lo_port,
                               pkt->ts_us);
    e[1] = media_expect_lookup(m->media, &f->key.hi_ip, f->key.hi_port,
                               pkt->ts_us);
    if (!e[0] && !e[1])
        return;
    side = e[0] ? 0 : 1;
    snprintf(st->call_id, sizeof(st->call_id), "%s", e[side]->call_id);
    /* A stale announcement of another call on the other endpoint is not
     * this call's. */
    if (e[1 - side] && strcmp(e[1 - side]->call_id, st->call_id) != 0)
        e[1 - side] = NULL;
    for (side = 0; side < 2; side++) {
        st->has_ep[side] = e[side] != NULL;
        if (e[side])
            st->ep[side] = *e[side];
    }
    st->has_call = true;
    st->by = MEDIA_BY_SDP;
    media_call_attach(m, f, st);
    media_nat_check(m, f, st, pkt);
}

/* --- one-way media ---------------------------------------------------- */

enum analyzer_media_oneway
analyzer_media_oneway_decide(const struct analyzer_media_activity act[2],
                             unsigned *silent)
{
    enum analyzer_media_oneway v = ANALYZER_MEDIA_TWO_WAY;
    int64_t worst = 0;
    unsigned d, at = 0;

    if (act[0].packets == 0 && act[1].packets == 0)
        return ANALYZER_MEDIA_NO_VERDICT;
    for (d = 0; d < 2; d++) {
        const struct analyzer_media_activity *a = &act[1 - d];

        if (act[d].packets != 0)
            continue;
        if (a->packets < ANALYZER_MEDIA_ONEWAY_MIN_PACKETS ||
            a->last_us - a->first_us < ANALYZER_MEDIA_ONEWAY_MIN_US)
            return ANALYZER_MEDIA_NO_VERDICT;
        if (silent)
            *silent = d;
        return ANALYZER_MEDIA_ONE_WAY;
    }
    for (d = 0; d < 2; d++) {
        int64_t lag = act[d].first_us - act[1 - d].first_us;

        if (lag > ANALYZER_MEDIA_ONEWAY_LAG_US && lag > worst) {
            worst = lag;
            at = d;
            v = ANALYZER_MEDIA_LATE_START;
        }
    }
    for (d = 0; d < 2 && v == ANALYZER_MEDIA_TWO_WAY; d++) {
        int64_t lag = act[1 - d].last_us - act[d].last_us;

        if (lag > ANALYZER_MEDIA_ONEWAY_LAG_US && lag > worst) {
            worst = lag;
            at = d;
        }
    }
    if (v == ANALYZER_MEDIA_TWO_WAY && worst > 0)
        v = ANALYZER_MEDIA_EARLY_STOP;
    if (v != ANALYZER_MEDIA_TWO_WAY && silent)
        *silent = at;
    return v;
}

/* What one judgement needs; index 0 of act/ip/port is the customer's
 * outbound direction when oriented, else the flow's c2s. */
struct media_judge {
    struct analyzer_media_activity act[2];
    struct ip_addr ip[2];       /* ip[i] sends act[i] */
    uint16_t port[2];
    bool oriented;
    bool lan_view;
    const char *call_id;
    uint64_t flow_id;
    uint64_t packet;
    int64_t ts_us;
    const struct profile_requirement *req;
    uint64_t consent;           /* STUN checks answered on the flow */
};

static const char *media_oneway_cause(const struct media_judge *j,
                                      unsigned silent)
{
    if (!j->oriented)
        return "check the firewalls and NATs between the two ends";
    if (silent == 1)
        return j->lan_view
                   ? "the customer firewall or NAT drops inbound media, or "
                     "the far end never sent"
                   : "nothing reached the customer's public address: the "
                     "far end sends elsewhere (check the SDP address and "
                     "any SIP ALG) or never sent";
    return j->lan_view ? "the inside host sent none (or sends it to "
                         "another address)"
                       : "the customer firewall drops outbound media, or "
                         "the inside host never sent";
}

static void media_judge(struct analyzer_media *m, const struct media_judge *j)
{
    char a_ip[IPADDR_STRLEN], s_ip[IPADDR_STRLEN], what[200], extra[160];
    enum analyzer_media_oneway v;
    unsigned s = 0, a;
    const char *dname;

    v = analyzer_media_oneway_decide(j->act, &s);
    if (v == ANALYZER_MEDIA_NO_VERDICT || v == ANALYZER_MEDIA_TWO_WAY)
        return;
    a = 1 - s;
    ipaddr_format(&j->ip[a], a_ip);
    ipaddr_format(&j->ip[s], s_ip);
    if (j->call_id)
        snprintf(what, sizeof(what), "call %s", j->call_id);
    else
        snprintf(what, sizeof(what), "media flow");
    dname = !j->oriented ? "reverse" : s == 0 ? "outbound" : "inbound";
    extra[0] = '\0';
    if (j->consent)
        snprintf(extra, sizeof(extra),
                 "; %llu STUN checks were answered on the same 5-tuple, so "
                 "connectivity holds and the media path does not",
                 (unsigned long long)j->consent);
    if (v == ANALYZER_MEDIA_ONE_WAY) {
        analyzer_media_emit(
            m, "one_way_media", FINDING_ERROR, j->req, j->flow_id,
            j->packet, j->ts_us,
            "one-way media in %s: %llu RTP packets from %s:%u to %s:%u "
            "over %.1f s, none from %s:%u to %s:%u (%s direction silent): "
            "%s%s",
            what, (unsigned long long)j->act[a].packets, a_ip, j->port[a],
            s_ip, j->port[s],
            (double)(j->act[a].last_us - j->act[a].first_us) / 1e6, s_ip,
            j->port[s], a_ip, j->port[a], dname, media_oneway_cause(j, s),
            extra);
        return;
    }
    analyzer_media_emit(
        m, "one_way_media", FINDING_WARNING, j->req, j->flow_id, j->packet,
        j->ts_us,
        "media in %s: the %s direction (%s:%u to %s:%u, %llu RTP packets) "
        "%s %.1f s %s the other (%llu packets); media ran one way "
        "meanwhile (silence suppression can do this too)%s",
        what, dname, s_ip, j->port[s], a_ip, j->port[a],
        (unsigned long long)j->act[s].packets,
        v == ANALYZER_MEDIA_LATE_START ? "started" : "stopped",
        (double)(v == ANALYZER_MEDIA_LATE_START
                     ? j->act[s].first_us - j->act[a].first_us
                     : j->act[a].last_us - j->act[s].last_us) / 1e6,
        v == ANALYZER_MEDIA_LATE_START ? "after" : "before",
        (unsigned long long)j->act[a].packets, extra);
}

static void media_activity_merge(struct analyzer_media_activity *into,
                                 const struct analyzer_media_activity *a)
{
    if (a->packets == 0)
        return;
    if (into->packets == 0 || a->first_us < into->first_us)
        into->first_us = a->first_us;
    if (into->packets == 0 || a->last_us > into->last_us)
        into->last_us = a->last_us;
    into->packets += a->packets;
}

static void media_judge_call(struct analyzer_media *m,
                             const struct media_call *c)
{
    struct media_judge j;

    memset(&j, 0, sizeof(j));
    j.act[0] = c->act[0];
    j.act[1] = c->act[1];
    j.ip[0] = c->cust_ip;
    j.port[0] = c->cust_port;
    j.ip[1] = c->remote_ip;
    j.port[1] = c->remote_port;
    j.oriented = true;
    j.lan_view = c->lan_view;
    j.call_id = c->call_id;
    j.flow_id = c->flow_id;
    j.packet = c->first_packet;
    j.ts_us = c->first_us;
    j.req = c->req;
    media_judge(m, &j);
}

static void media_judge_flow(struct analyzer_media *m, const struct flow *f,
                             const struct media_state *st)
{
    int out = analyzer_media_outbound_dir(m, f);
    struct media_judge j;
    unsigned i;

    memset(&j, 0, sizeof(j));
    j.oriented = out >= 0;
    if (out < 0)
        out = FLOW_DIR_C2S;
    for (i = 0; i < 2; i++) {
        int dir = i == 0 ? out : 1 - out;

        j.act[i] = st->rtp[dir];
        media_endpoint(f, dir, &j.ip[i], &j.port[i]);
    }
    j.lan_view = (out == FLOW_DIR_C2S ? f->client_side : f->server_side) ==
                 FLOW_SIDE_INSIDE;
    j.call_id = st->has_call ? st->call_id : NULL;
    j.flow_id = f->id;
    j.packet = f->first_packet;
    j.ts_us = f->first_us;
    j.req = analyzer_media_requirement(m, f, analyzer_media_flow_class(m, f),
                                       PROFILE_CHECK_CONNECT, false);
    j.consent = st->stun_answered;
    media_judge(m, &j);
}

void analyzer_media_call_flow_end(struct analyzer_media *m,
                                  const struct flow *f,
                                  struct media_flow *mf, bool is_rtp)
{
    struct media_state *st = mf->st;

    if (st->in_call) {
        struct media_call *c = media_call_at(m, st->call_slot);
        int out;

        st->in_call = false;
        if (!c || c->live == 0 || strcmp(c->call_id, st->call_id) != 0)
            return;
        out = analyzer_media_outbound_dir(m, f);
        if (out < 0)
            out = FLOW_DIR_C2S;
        if (is_rtp) {
            media_activity_merge(&c->act[0], &st->rtp[out]);
            media_activity_merge(&c->act[1], &st->rtp[1 - out]);
        }
        if (--c->live == 0) {
            media_judge_call(m, c);
            memset(c, 0, sizeof(*c));
            m->calls_free[m->n_calls_free++] =
                (uint16_t)(m->call_ways[st->call_slot] - 1);
            m->call_ways[st->call_slot] = 0;
        }
        return;
    }
    /* Without SDP or a media class, a flow one way may be meant so
     * (paging, recording): not judged. */
    if (is_rtp && (st->by == MEDIA_BY_SDP || st->by == MEDIA_BY_CLASS))
        media_judge_flow(m, f, st);
}
