/* The media stage: RTP/RTCP streams, STUN, one-way media, media NAT
 * mismatches, media ports outside the customer document, UDP binding
 * timeouts and DSCP marking.
 *
 * What it writes: one RECORD_RTP_STREAM per (flow, direction, SSRC) when
 * a flow ends, one RECORD_STUN_MAPPING per reflexive address a flow's STUN
 * responses handed out, and the findings one_way_media,
 * media_nat_mismatch, media_port_outside_document, cgnat, double_nat,
 * udp_timeout_short, udp_timeout_unproven and qos_unmarked.
 *
 * RTP detection, per UDP flow, by the first that holds:
 * - SDP: either endpoint was announced in SDP (env->media, filled by the
 *   SIP stage, which runs first); the flow is tied to that call.
 * - Class: the flow's class (flow->class_name, else the profile's class of
 *   the remote endpoint) is "rtp" or ends in "-media", and neither port is
 *   a system port (< 1024), STUN/TURN (3478, 5349) or SIP (5060-5061).
 * - Heuristic: rtp_detect() (rtp.h) says RTP.
 * Every datagram is routed first by its first octets (RFC 7983:
 * rtp_demux_classify()), so STUN, DTLS, QUIC and RTCP sharing the 5-tuple
 * never become RTP packets; RTP packets must also pass
 * rtp_parse_strict().  Packets are accounted from the flow's first packet
 * while the decision is pending and thrown away if it ends "not RTP".
 *
 * Customer direction: the endpoint inside the customer network (flow.h
 * client_side/server_side) is the customer's; when both or neither are
 * inside, the endpoint the profile does not claim, if the other is
 * claimed.  "Outbound" is from the customer's endpoint.
 *
 * Findings and their thresholds are documented with the constants below
 * and in ringscope(1), ANALYZERS. */
#ifndef RINGSCOPE_ANALYZER_MEDIA_H
#define RINGSCOPE_ANALYZER_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"

extern const struct analyzer_ops analyzer_media_ops;

/* RTP streams kept per flow (both directions together); packets of
 * further SSRCs are counted in the stage's statistics, not kept. */
#define ANALYZER_MEDIA_MAX_STREAMS 8
/* Packets of a flow for which the SDP endpoints are looked up: the answer
 * may arrive after the far end's first media. */
#define ANALYZER_MEDIA_EXPECT_PROBE 256
/* Payload-carrying packets of a flow without a class tried as SIP
 * (sip_looks_like()) for the DSCP check. */
#define ANALYZER_MEDIA_SIP_PROBE 4

/* one_way_media: a call (the flows SDP tied to one Call-ID) or a media
 * flow (class media, or SDP) whose RTP runs in one direction only, with
 * at least ANALYZER_MEDIA_ONEWAY_MIN_PACKETS packets over at least
 * ANALYZER_MEDIA_ONEWAY_MIN_US (error); or whose other direction starts
 * more than ANALYZER_MEDIA_ONEWAY_LAG_US after the first, or stops more
 * than that before it (warning). */
#define ANALYZER_MEDIA_ONEWAY_MIN_PACKETS 25
#define ANALYZER_MEDIA_ONEWAY_MIN_US 2000000
#define ANALYZER_MEDIA_ONEWAY_LAG_US 2000000

/* udp_timeout_*: the required binding lifetime when the profile's
 * udp-timeout requirement gives none; idle gaps shorter than
 * ANALYZER_MEDIA_UDPTO_MIN_GAP_US prove nothing either way (RFC 8445
 * section 11 keepalives may be 15 s apart); an inbound packet after a gap
 * counts as answered when an outbound one follows within
 * ANALYZER_MEDIA_UDPTO_ANSWER_US (RFC 3261 T2). */
#define ANALYZER_MEDIA_UDPTO_DEFAULT_S 120
#define ANALYZER_MEDIA_UDPTO_MIN_GAP_US 15000000
#define ANALYZER_MEDIA_UDPTO_ANSWER_US 4000000

/* Bounded tables of the stage (entries; the oldest is replaced). */
#define ANALYZER_MEDIA_BINDINGS_MAX 4096
#define ANALYZER_MEDIA_CALLS_MAX 1024
#define ANALYZER_MEDIA_RTCP_SOURCES_MAX 4096
#define ANALYZER_MEDIA_STUN_TXN_MAX 4096
#define ANALYZER_MEDIA_NAT_REPORTED_MAX 256

/* ------------------------------------------------------------------ */
/* Decisions, as pure functions                                        */
/* ------------------------------------------------------------------ */

/* RTP seen in one direction: packets and the arrival of the first and
 * last (UTC microseconds; meaningless when packets is 0). */
struct analyzer_media_activity {
    uint64_t packets;
    int64_t first_us;
    int64_t last_us;
};

enum analyzer_media_oneway {
    ANALYZER_MEDIA_NO_VERDICT,  /* too little media to judge */
    ANALYZER_MEDIA_TWO_WAY,
    ANALYZER_MEDIA_ONE_WAY,     /* one direction never carried RTP */
    ANALYZER_MEDIA_LATE_START,  /* one direction started late */
    ANALYZER_MEDIA_EARLY_STOP,  /* one direction stopped early */
};

/* Decides from the activity of the two directions (any indexing, e.g.
 * outbound and inbound) with the thresholds above.  *silent (may be NULL)
 * receives the index of the direction at fault for ONE_WAY, LATE_START
 * and EARLY_STOP.  A late start is checked before an early stop; between
 * two faults of one kind the larger one wins. */
enum analyzer_media_oneway
analyzer_media_oneway_decide(const struct analyzer_media_activity act[2],
                             unsigned *silent);

/* What the idle gaps of one UDP binding proved (microseconds, 0 when
 * nothing): the longest gap the binding is known to have survived, the
 * shortest gap after which it is known to have died, and the longest gap
 * between two outbound packets (the keepalive cadence). */
struct analyzer_media_udpto {
    int64_t proven_us;
    int64_t dead_us;
    int64_t cadence_us;
};

enum analyzer_media_udpto_verdict {
    ANALYZER_MEDIA_UDPTO_NONE,      /* nothing to say */
    ANALYZER_MEDIA_UDPTO_PROVEN,    /* survived the required time */
    ANALYZER_MEDIA_UDPTO_SHORT,     /* died before the required time, and
                                       no longer gap proved otherwise */
    ANALYZER_MEDIA_UDPTO_UNPROVEN,  /* the traffic leaves longer gaps than
                                       required, and nothing proved that
                                       the binding survives them */
};

enum analyzer_media_udpto_verdict
analyzer_media_udpto_decide(const struct analyzer_media_udpto *u,
                            int64_t required_us);

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

struct analyzer_media_stats {
    uint64_t rtp_flows;         /* flows decided RTP */
    uint64_t rtp_streams;       /* records written */
    uint64_t rtp_bad;           /* routed to RTP, failed the strict parse */
    uint64_t streams_dropped;   /* SSRCs beyond ANALYZER_MEDIA_MAX_STREAMS */
    uint64_t packets_dropped;   /* ... and their packets */
    uint64_t rtcp_packets;      /* compounds parsed (first packet at
                                   least) */
    uint64_t rtcp_bad;
    uint64_t rtcp_sources_replaced; /* table full */
    uint64_t stun_messages;
    uint64_t stun_bad;          /* routed to STUN, not STUN */
    uint64_t stun_mappings;     /* records written */
    uint64_t calls_dropped;     /* table full: judged per flow */
    uint64_t bindings;          /* UDP bindings followed */
    uint64_t bindings_replaced; /* table full: judged early */
    uint64_t alloc_failures;    /* flows not analysed: out of memory */
};

/* The counters of a stage made by analyzer_media_ops.create (summed over
 * captures). */
void analyzer_media_get_stats(const void *self,
                              struct analyzer_media_stats *out);

#endif
