/* Shared between the media stage's files (analyzer_media.c dispatches,
 * analyzer_media_rtp.c keeps streams, RTCP and calls,
 * analyzer_media_stun.c STUN, analyzer_media_udpto.c UDP bindings,
 * analyzer_media_policy.c the profile checks); not a public interface. */
#ifndef RINGSCOPE_ANALYZER_MEDIA_INTERNAL_H
#define RINGSCOPE_ANALYZER_MEDIA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "analyzer_media.h"
#include "finding.h"
#include "flow.h"
#include "media_expect.h"
#include "profile.h"
#include "rtp.h"
#include "rtp_series.h"
#include "stun.h"

/* Why a flow carries RTP. */
enum media_by {
    MEDIA_BY_NONE,              /* undecided, or not RTP */
    MEDIA_BY_SDP,
    MEDIA_BY_CLASS,
    MEDIA_BY_HEURISTIC,
};

/* One SSRC in one direction of a flow. */
struct media_stream {
    enum flow_dir dir;
    uint32_t ssrc;
    uint64_t first_packet;
    uint32_t clock_rate;        /* latest non-zero rate used */
    char encoding[16];          /* from SDP, "" when none */
    struct rtp_stream_stats stats;
    struct rtp_series series;   /* for the report's plots */
};

/* Per-flow media state, allocated when a flow first shows RTP, RTCP or
 * STUN; freed at flow end. */
struct media_state {
    enum media_by by;
    bool rtp_off;               /* decided not RTP: no more accounting */

    /* SDP: the announcements of the flow's endpoints (index 0: the key's
     * lo endpoint, 1: hi), copied when found. */
    bool has_call;
    bool has_ep[2];
    struct media_expect_entry ep[2];
    char call_id[MEDIA_EXPECT_CALL_ID_MAX];
    size_t call_slot;           /* in the calls table; valid if in_call */
    bool in_call;
    bool nat_checked;           /* media_nat_mismatch looked at */

    struct media_stream *streams;   /* cap_streams, up to
                                       ANALYZER_MEDIA_MAX_STREAMS */
    unsigned n_streams;
    unsigned cap_streams;
    bool has_dropped;           /* an SSRC found no room */
    uint32_t dropped_ssrc;      /* the latest one */
    struct analyzer_media_activity rtp[2];  /* by enum flow_dir */
    uint64_t rtcp_packets[2];

    struct stun_keepalive ka;
    uint64_t stun_requests[2];
    uint64_t stun_answered;
    bool has_mapped[2];         /* last mapping reported, by direction of
                                   the response */
    struct ip_addr mapped_ip[2];
    uint16_t mapped_port[2];
};

enum media_flow_flags {
    MEDIA_F_STARTED = 1u << 0,  /* first packet handled */
    MEDIA_F_SIP = 1u << 1,      /* a payload looked like SIP */
    MEDIA_F_BINDING = 1u << 2,  /* followed as a UDP binding */
    MEDIA_F_CLASS_MEDIA = 1u << 3,  /* the class says media at start */
    MEDIA_F_FAILED = 1u << 4,   /* out of memory: not analysed */
};

/* The stage's slice of flow->ext: small, because every flow has one. */
struct media_flow {
    struct rtp_detect detect;
    struct media_state *st;
    uint16_t expect_probes;
    uint16_t binding;           /* 1 + index in m->bindings, or 0; a hint
                                   checked against the key before use */
    uint8_t sip_probes;
    uint8_t flags;
};

/* A call: the media flows SDP tied to one Call-ID, judged for one-way
 * media when the last of them ends.  act[] is indexed outbound (0) and
 * inbound (1). */
struct media_call {
    bool used;
    uint64_t seq;
    char call_id[MEDIA_EXPECT_CALL_ID_MAX];
    unsigned live;              /* flows not ended yet */
    unsigned flows;
    bool lan_view;              /* the customer endpoint is inside */
    struct analyzer_media_activity act[2];
    uint64_t flow_id;           /* first flow */
    uint64_t first_packet;
    int64_t first_us;
    struct ip_addr cust_ip;     /* endpoints of the first flow */
    struct ip_addr remote_ip;
    uint16_t cust_port;
    uint16_t remote_port;
    const struct profile_requirement *req;
};

/* What RTCP said about one SSRC, across flows (RTCP often runs on its own
 * port pair).  Keyed by SSRC and the unordered address pair. */
#define MEDIA_RTCP_SR_KEEP 4
struct media_rtcp_src {
    bool used;
    uint64_t seq;
    uint32_t ssrc;
    struct ip_addr a;           /* the lower address */
    struct ip_addr b;
    uint32_t sr_mid[MEDIA_RTCP_SR_KEEP];    /* SRs sent by the SSRC */
    int64_t sr_seen[MEDIA_RTCP_SR_KEEP];
    unsigned sr_next;
    uint32_t reports;           /* report blocks about the SSRC */
    double fraction_sum;        /* of fraction_lost / 256 */
    int32_t cum_lost;           /* latest */
    uint32_t max_jitter;        /* timestamp units */
    uint32_t rtt_count;
    int64_t rtt_sum_us;
};

/* One UDP binding (5-tuple) followed for its idle timeout, across the
 * flows the flow table cuts it into. */
struct media_binding {
    bool used;
    uint64_t seq;
    struct flow_key key;
    bool lan_view;              /* customer endpoint inside: inbound
                                   packets crossed the NAT already */
    struct ip_addr cust_ip;
    struct ip_addr srv_ip;
    uint16_t cust_port;
    uint16_t srv_port;
    const struct profile_requirement *req;
    uint32_t required_s;        /* the binding lifetime required */
    uint64_t flow_id;           /* latest flow */
    uint64_t out_packets;
    uint64_t in_packets;
    int64_t first_us;
    int64_t last_us;
    int64_t last_out_us;

    int64_t cadence_us;         /* longest outbound gap */
    uint64_t cadence_packet;    /* the packet that ended it */
    int64_t cadence_ts;

    int64_t proven_us;
    uint64_t proven_packet;
    int64_t proven_ts;

    /* An inbound packet after an idle gap, waiting for its answer. */
    bool cand;
    int64_t cand_gap_us;
    int64_t cand_us;
    uint64_t cand_packet;
    unsigned cand_in;           /* inbound packets since, itself included */

    int64_t dead_us;
    uint64_t dead_packet;
    int64_t dead_ts;
    unsigned dead_in;           /* unanswered inbound packets; 0 when
                                   the evidence is a new port */
    uint16_t dead_new_port;     /* non-zero: the evidence is the customer
                                   reappearing from this port */

    /* The customer reappeared at the same server from another port
     * (outside captures only); evidence if this binding stays silent. */
    int64_t reappear_us;        /* 0 when not */
    int64_t reappear_gap_us;
    uint64_t reappear_packet;
    uint16_t reappear_port;
};

struct analyzer_media {
    struct emit emit;
    const struct profile *profile;
    struct media_expect *media;
    struct stun_txn_table *stun_txn;
    uint64_t clock;             /* insertion order for every table */
    int64_t last_us;            /* latest packet time */

    /* Calls and RTCP sources: set-associative tables of record numbers
     * (1 + index in the records array, 0 free), the records packed at the
     * start of their array, as for the bindings below: a run touches only
     * the pages of the records it uses, not one page per hashed slot.
     * Freed calls go on a stack of record numbers for reuse. */
    struct media_call *calls;
    uint16_t *call_ways;
    uint16_t *calls_free;
    size_t n_calls_made;        /* calls[0, n) have been used */
    size_t n_calls_free;
    struct media_rtcp_src *rtcp;
    uint16_t *rtcp_ways;
    size_t n_rtcp_made;         /* rtcp[0, n) have been used */
    /* UDP bindings: a 4-way set-associative table of binding numbers
     * (1 + index in bindings, 0 free); the bindings themselves are packed
     * at the start of their array, so few pages are touched. */
    struct media_binding *bindings;
    uint16_t *binding_ways;
    size_t n_bindings_made;     /* bindings[0, n) have been used */

    /* (requester, mapped) address pairs already reported as double NAT
     * or CGNAT, so that ICE checks every few seconds give one finding. */
    struct ip_addr nat_seen[ANALYZER_MEDIA_NAT_REPORTED_MAX][2];
    size_t n_nat_seen;
    size_t nat_next;

    struct analyzer_media_stats stats;
};

/* --- analyzer_media_policy.c: the profile and the customer side ------ */

/* The class of a flow: flow->class_name when set and not "other", else
 * the profile's class of its remote endpoint (the outside one, else the
 * server), else NULL. */
const struct profile_class *
analyzer_media_flow_class(const struct analyzer_media *m,
                          const struct flow *f);

bool analyzer_media_class_is_media(const struct profile_class *c);
bool analyzer_media_class_is_sip(const struct profile_class *c);

/* The flow direction that leaves the customer network (see the header
 * comment), or -1 when it cannot be told. */
int analyzer_media_outbound_dir(const struct analyzer_media *m,
                                const struct flow *f);

/* The first requirement with check `check` whose scope holds the flow
 * (its class among the requirement's classes if any, the remote endpoint
 * matching one of its match lines if any); when none does and fallback
 * is set, the first requirement with that check.  NULL when none. */
const struct profile_requirement *
analyzer_media_requirement(const struct analyzer_media *m,
                           const struct flow *f,
                           const struct profile_class *cls,
                           enum profile_check check, bool fallback);

/* The remote endpoint of a flow (the one the profile is matched on). */
void analyzer_media_remote(const struct analyzer_media *m,
                           const struct flow *f, struct ip_addr *ip,
                           uint16_t *port);

/* Emits a finding with a printf-style summary. */
void analyzer_media_emit(struct analyzer_media *m, const char *kind,
                         enum finding_severity sev,
                         const struct profile_requirement *req,
                         uint64_t flow_id, uint64_t packet, int64_t ts_us,
                         const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* "0,46" into buf; "" when no bit is set. */
const char *analyzer_media_dscp_text(uint64_t seen, char *buf, size_t len);

/* media_port_outside_document and qos_unmarked, at flow end.  rtp_dscp
 * holds the DSCP values of the flow's RTP per direction when it carried
 * RTP (is_rtp). */
void analyzer_media_policy_flow_end(struct analyzer_media *m,
                                    const struct flow *f, bool is_rtp,
                                    const uint64_t rtp_dscp[2],
                                    bool is_sip);

/* --- analyzer_media_rtp.c -------------------------------------------- */

int analyzer_media_rtp_init(struct analyzer_media *m);
void analyzer_media_rtp_release(struct analyzer_media *m);
void analyzer_media_rtp_clear(struct analyzer_media *m);

/* An RTP-routed datagram of a UDP flow. */
void analyzer_media_rtp_packet(struct analyzer_media *m, struct flow *f,
                               struct media_flow *mf,
                               const struct pkt *pkt,
                               const struct decoded *d, enum flow_dir dir);

/* An RTCP-routed datagram of any UDP flow. */
void analyzer_media_rtcp_packet(struct analyzer_media *m,
                                struct media_flow *mf,
                                const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir);

/* Drops the tentative streams of a flow decided not RTP. */
void analyzer_media_rtp_drop(struct media_state *st);

/* Writes the streams, judges one-way media.  Fills rtp_dscp[] and
 * returns true when the flow carried RTP. */
bool analyzer_media_rtp_flow_end(struct analyzer_media *m, struct flow *f,
                                 struct media_flow *mf, uint64_t rtp_dscp[2]);

/* --- analyzer_media_call.c: SDP, calls, one-way, NAT mismatch ------- */

int analyzer_media_call_init(struct analyzer_media *m);
void analyzer_media_call_release(struct analyzer_media *m);
void analyzer_media_call_clear(struct analyzer_media *m);

/* Looks the flow's endpoints up in the SDP announcements (for the first
 * ANALYZER_MEDIA_EXPECT_PROBE packets until one is found); on a match
 * ties the flow to its call and checks media_nat_mismatch. */
void analyzer_media_call_sdp(struct analyzer_media *m, struct flow *f,
                             struct media_flow *mf, const struct pkt *pkt);

/* Judges one-way media for the flow, or adds it to its call and judges
 * the call when its last flow ends. */
void analyzer_media_call_flow_end(struct analyzer_media *m,
                                  const struct flow *f,
                                  struct media_flow *mf, bool is_rtp);

/* --- analyzer_media_stun.c ------------------------------------------- */

void analyzer_media_stun_packet(struct analyzer_media *m, struct flow *f,
                                struct media_flow *mf, const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir);

/* --- analyzer_media_udpto.c ------------------------------------------ */

int analyzer_media_udpto_init(struct analyzer_media *m);
void analyzer_media_udpto_release(struct analyzer_media *m);

/* Starts following a flow's binding when it is in scope; returns true
 * when it is. */
bool analyzer_media_udpto_start(struct analyzer_media *m, struct flow *f,
                                struct media_flow *mf,
                                const struct pkt *pkt);
void analyzer_media_udpto_packet(struct analyzer_media *m, struct flow *f,
                                 struct media_flow *mf,
                                 const struct pkt *pkt,
                                 const struct decoded *d);

/* Judges every binding and forgets them (end of a capture); now_us is
 * the capture's last packet time. */
void analyzer_media_udpto_finish(struct analyzer_media *m, int64_t now_us);

/* --- analyzer_media.c ------------------------------------------------- */

/* The flow's media state, allocated on first use; NULL when out of
 * memory (counted). */
struct media_state *analyzer_media_state(struct analyzer_media *m,
                                         struct media_flow *mf);

/* Index (0: key lo, 1: key hi) of the packet's source endpoint. */
unsigned analyzer_media_src_side(const struct flow *f,
                                 const struct decoded *d);

#endif
