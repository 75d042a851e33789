/* Records of the media stage for the sinks: one per RTP stream
 * (RECORD_RTP_STREAM, table rtp_streams), one per interval of a stream's
 * time series (RECORD_RTP_SAMPLE, table rtp_samples) and one per STUN
 * mapped address seen on a flow (RECORD_STUN_MAPPING, table
 * stun_mappings).
 *
 * Both are values.  Their strings are NUL-terminated, borrowed for the
 * duration of the sink call, and NULL when unknown; sinks copy what they
 * keep. */
#ifndef RINGSCOPE_MEDIA_RECORD_H
#define RINGSCOPE_MEDIA_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "ipaddr.h"
#include "rtp.h"

/* One RTP stream: the packets of one SSRC in one direction of one flow. */
struct rtp_stream_record {
    uint64_t flow_id;
    const char *call_id;        /* SIP Call-ID when SDP tied the flow to a
                                   call; NULL otherwise */
    uint32_t ssrc;
    enum flow_dir direction;    /* relative to the flow */
    struct ip_addr src_ip;
    struct ip_addr dst_ip;
    uint16_t src_port;
    uint16_t dst_port;
    uint64_t first_packet;      /* frame of the stream's first packet */
    uint8_t payload_type;       /* of the first packet */
    const char *payload_types;  /* every payload type seen, "0,13" */
    const char *encoding;       /* "PCMU", from SDP or the static table */
    uint32_t clock_rate;        /* Hz used for jitter; 0 when unknown */
    const char *dscp;           /* DSCP values of its packets, "0,46" */

    /* tshark's figures and RFC 3550's (rtp.h). */
    struct rtp_stream_summary summary;

    /* Call quality estimate (mos.h); has_mos false when the codec is
     * unknown. */
    bool has_mos;
    double mos;
    double r_factor;

    /* What the receiver reported about this SSRC in RTCP (RFC 3550
     * 6.4.1): report blocks seen, the mean of their fraction-lost in
     * percent, the latest cumulative loss, the largest jitter in ms
     * (negative when the clock rate is unknown) and the mean round trip
     * from the capture point to the receiver and back in ms (negative
     * when no SR/RR pair matched). */
    uint32_t rtcp_reports;
    double rtcp_loss_pct;
    int64_t rtcp_cum_lost;
    double rtcp_jitter_ms;
    double rtcp_rtt_ms;
};

/* One interval of a stream's time series (rtp_series.h), sent right
 * after the stream's record, in time order.  Intervals without packets
 * and without loss are not sent: a reader fills them with zeros up to
 * the last one, which always holds a packet. */
struct rtp_sample_record {
    uint64_t flow_id;           /* the stream's flow, SSRC and direction */
    uint32_t ssrc;
    enum flow_dir direction;
    uint32_t index;             /* 0-based; < RTP_SERIES_MAX */
    uint32_t bucket_s;          /* interval length in seconds; it starts
                                   index * bucket_s after the stream's
                                   first packet */
    uint32_t packets;
    int32_t lost;
    double jitter_ms;
};

/* A reflexive address a STUN binding success response handed out: the
 * requester (where the response went) as the responder saw it. */
struct stun_mapping_record {
    uint64_t flow_id;
    uint64_t packet;            /* the response */
    int64_t ts_us;
    struct ip_addr requester_ip;    /* destination of the response */
    struct ip_addr server_ip;       /* the responder */
    struct ip_addr mapped_ip;
    uint16_t requester_port;
    uint16_t server_port;
    uint16_t mapped_port;
    enum flow_side requester_side;
    const char *attribute;      /* "xor-mapped-address" or
                                   "mapped-address" */
    const char *address_kind;   /* "public", "cgnat" (RFC 6598) or
                                   "private" (RFC 1918, link-local, ULA,
                                   loopback) */
    bool translated;            /* mapped differs from the requester's
                                   address and port in the capture: a NAT
                                   sits between the capture point and the
                                   responder */
    int64_t rtt_us;             /* request to response; -1 when the
                                   request was not seen */
};

#endif
