/* Media stage: routes each UDP datagram to RTP, RTCP or STUN by its first
 * octets (RFC 7983 as updated by RFC 9443), follows UDP bindings, and
 * runs the per-flow checks when a flow ends.  The parts live in
 * analyzer_media_{rtp,stun,udpto,policy}.c. */
#include "config.h"

#include "analyzer_media.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_media_internal.h"
#include "decode.h"
#include "ipaddr.h"
#include "sip.h"

#define MEDIA_PROTO_TCP 6
#define MEDIA_PROTO_UDP 17

/* --- helpers shared by the stage's files ------------------------------ */

struct media_state *analyzer_media_state(struct analyzer_media *m,
                                         struct media_flow *mf)
{
    struct media_state *st;

    if (mf->st)
        return mf->st;
    st = calloc(1, sizeof(*st));
    if (!st) {
        m->stats.alloc_failures++;
        mf->flags |= MEDIA_F_FAILED;
        return NULL;
    }
    stun_keepalive_init(&st->ka);
    mf->st = st;
    return st;
}

unsigned analyzer_media_src_side(const struct flow *f,
                                 const struct decoded *d)
{
    if (ipaddr_equal(&d->src, &f->key.lo_ip) && d->sport == f->key.lo_port)
        return 0;
    return 1;
}

/* RTP by class needs ports RTP can use: RFC 3551 section 8 puts RTP on
 * dynamic ports, and a media class that also covers a service port (DNS,
 * STUN, SIP) must not turn that service into RTP. */
static bool media_port_may_be_rtp(uint16_t port)
{
    return port >= 1024 && port != 3478 && port != 5349 &&
           (port < 5060 || port > 5061);
}

/* --- lifecycle -------------------------------------------------------- */

static void analyzer_media_destroy(void *self)
{
    struct analyzer_media *m = self;

    if (!m)
        return;
    stun_txn_table_free(m->stun_txn);
    analyzer_media_rtp_release(m);
    analyzer_media_udpto_release(m);
    free(m);
}

/* The profile is required (env->profile non-NULL); env->media may be
 * NULL, and then no flow is tied to a call. */
static void *analyzer_media_create(const struct analyzer_env *env)
{
    struct analyzer_media *m;

    if (!env->profile)
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->emit = env->emit;
    m->profile = env->profile;
    m->media = env->media;
    m->stun_txn = stun_txn_table_new(ANALYZER_MEDIA_STUN_TXN_MAX,
                                     STUN_TXN_TIMEOUT_US);
    if (!m->stun_txn || analyzer_media_rtp_init(m) != 0 ||
        analyzer_media_udpto_init(m) != 0) {
        analyzer_media_destroy(m);
        return NULL;
    }
    return m;
}

static void analyzer_media_capture_begin(void *self,
                                         const struct capture_meta *meta)
{
    struct analyzer_media *m = self;

    (void)meta;
    m->last_us = 0;
    m->n_nat_seen = 0;
    m->nat_next = 0;
    analyzer_media_rtp_clear(m);
}

static void analyzer_media_capture_end(void *self,
                                       const struct capture_meta *meta)
{
    struct analyzer_media *m = self;
    int64_t now = meta && meta->last_us ? meta->last_us : m->last_us;

    analyzer_media_udpto_finish(m, now);
    /* Pending STUN requests of this capture must not match responses of
     * the next one. */
    stun_txn_expire(m->stun_txn, INT64_MAX);
    analyzer_media_rtp_clear(m);
}

/* --- per packet ------------------------------------------------------- */

static void media_sip_probe(struct media_flow *mf, const struct decoded *d)
{
    if ((mf->flags & MEDIA_F_SIP) ||
        mf->sip_probes >= ANALYZER_MEDIA_SIP_PROBE || d->payload_len == 0)
        return;
    mf->sip_probes++;
    if (sip_looks_like(d->payload, d->payload_len))
        mf->flags |= MEDIA_F_SIP;
}

static void media_first_packet(struct analyzer_media *m, struct flow *f,
                               struct media_flow *mf, const struct pkt *pkt)
{
    mf->flags |= MEDIA_F_STARTED;
    rtp_detect_init(&mf->detect);
    if (analyzer_media_class_is_media(analyzer_media_flow_class(m, f)) &&
        media_port_may_be_rtp(f->client_port) &&
        media_port_may_be_rtp(f->server_port))
        mf->flags |= MEDIA_F_CLASS_MEDIA;
    if (analyzer_media_udpto_start(m, f, mf, pkt))
        mf->flags |= MEDIA_F_BINDING;
}

/* Settles why (or whether) the flow is RTP once the evidence is in. */
static void media_decide(struct media_flow *mf)
{
    struct media_state *st = mf->st;

    if (!st || st->by != MEDIA_BY_NONE || st->rtp_off)
        return;
    if (mf->flags & MEDIA_F_CLASS_MEDIA) {
        st->by = MEDIA_BY_CLASS;
    } else if (mf->detect.verdict == RTP_DETECT_RTP) {
        st->by = MEDIA_BY_HEURISTIC;
    } else if (mf->detect.verdict == RTP_DETECT_NOT_RTP) {
        st->rtp_off = true;
        analyzer_media_rtp_drop(st);
    }
}

static void analyzer_media_packet(void *self, struct flow *f, void *fstate,
                                  const struct pkt *pkt,
                                  const struct decoded *d, enum flow_dir dir)
{
    struct analyzer_media *m = self;
    struct media_flow *mf = fstate;

    if (mf->flags & MEDIA_F_FAILED)
        return;
    if (pkt->ts_us > m->last_us)
        m->last_us = pkt->ts_us;
    if (d->proto == MEDIA_PROTO_TCP) {
        media_sip_probe(mf, d);
        return;
    }
    if (d->proto != MEDIA_PROTO_UDP)
        return;
    if (!(mf->flags & MEDIA_F_STARTED))
        media_first_packet(m, f, mf, pkt);
    if (mf->flags & MEDIA_F_BINDING)
        analyzer_media_udpto_packet(m, f, mf, pkt, d);
    if (d->payload_len == 0)
        return;
    media_sip_probe(mf, d);
    if (mf->detect.verdict == RTP_DETECT_UNKNOWN)
        rtp_detect_update(&mf->detect, (unsigned)dir, d->payload,
                          d->payload_len, d->payload_wire_len);
    switch (rtp_demux_classify(d->payload, d->payload_len)) {
    case RTP_DEMUX_STUN:
        analyzer_media_stun_packet(m, f, mf, pkt, d, dir);
        break;
    case RTP_DEMUX_RTCP:
        analyzer_media_rtcp_packet(m, mf, pkt, d, dir);
        break;
    case RTP_DEMUX_RTP:
        if (!mf->st || !mf->st->rtp_off)
            analyzer_media_rtp_packet(m, f, mf, pkt, d, dir);
        break;
    default:
        break;
    }
    media_decide(mf);
}

static void analyzer_media_flow_end(void *self, struct flow *f, void *fstate,
                                    enum flow_end_reason why)
{
    struct analyzer_media *m = self;
    struct media_flow *mf = fstate;
    uint64_t dscp[2] = { 0, 0 };
    bool is_rtp = false;

    (void)why;
    if (mf->st) {
        media_decide(mf);
        is_rtp = analyzer_media_rtp_flow_end(m, f, mf, dscp);
        analyzer_media_rtp_drop(mf->st);
        free(mf->st);
        mf->st = NULL;
    }
    if (f->key.proto == MEDIA_PROTO_UDP || f->key.proto == MEDIA_PROTO_TCP)
        analyzer_media_policy_flow_end(m, f, is_rtp, dscp,
                                       (mf->flags & MEDIA_F_SIP) != 0);
}

void analyzer_media_get_stats(const void *self,
                              struct analyzer_media_stats *out)
{
    const struct analyzer_media *m = self;

    *out = m->stats;
}

const struct analyzer_ops analyzer_media_ops = {
    .name = "media",
    .flow_state_size = sizeof(struct media_flow),
    .create = analyzer_media_create,
    .destroy = analyzer_media_destroy,
    .capture_begin = analyzer_media_capture_begin,
    .packet = analyzer_media_packet,
    .icmp_error = NULL,
    .flow_end = analyzer_media_flow_end,
    .capture_end = analyzer_media_capture_end,
};
