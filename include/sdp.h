/* SDP parsing (RFC 4566 / RFC 8866 lines; a=rtcp from RFC 3605; ICE
 * candidates from RFC 8839; direction attributes from RFC 3264).
 *
 * Zero-copy like the SIP parser: strings are struct sip_str views into the
 * caller's body, which stays borrowed.  Storage is bounded (SDP_MAX_*); the
 * excess is counted in the *_count fields, never stored.  Bad lines are
 * counted and skipped, never fatal. */
#ifndef RINGSCOPE_SDP_H
#define RINGSCOPE_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "sip.h"

#define SDP_MAX_MEDIA 16
#define SDP_MAX_RTPMAPS 32          /* per media */
#define SDP_MAX_CANDIDATES 32       /* per media */
#define SDP_MAX_FORMATS 32          /* payload types kept per m= line */

enum sdp_direction {
    SDP_DIR_NONE,           /* no direction attribute at this level */
    SDP_DIR_SENDRECV,
    SDP_DIR_SENDONLY,
    SDP_DIR_RECVONLY,
    SDP_DIR_INACTIVE,
};

/* c= (and the optional address of a=rtcp). */
struct sdp_conn {
    bool present;
    struct sip_str nettype;     /* "IN" */
    struct sip_str addrtype;    /* "IP4", "IP6" */
    struct sip_str address;     /* without any "/ttl/count" suffix */
    bool is_ip;                 /* address is an IP literal, in addr */
    struct ip_addr addr;
};

struct sdp_origin {
    bool present;
    struct sip_str username;
    struct sip_str sess_id;
    struct sip_str sess_version;
    struct sip_str nettype;
    struct sip_str addrtype;
    struct sip_str address;
};

struct sdp_rtpmap {
    uint8_t pt;                 /* payload type, 0..127 */
    struct sip_str encoding;    /* "PCMU", "opus", "telephone-event" */
    uint32_t clock_rate;
    uint8_t channels;           /* 1 when not given (RFC 4566 default) */
};

enum sdp_cand_type {
    SDP_CAND_OTHER,
    SDP_CAND_HOST,
    SDP_CAND_SRFLX,
    SDP_CAND_PRFLX,
    SDP_CAND_RELAY,
};

/* a=candidate (RFC 8839 section 5.1). */
struct sdp_candidate {
    struct sip_str foundation;
    uint32_t component;         /* 1 RTP, 2 RTCP */
    struct sip_str transport;   /* "UDP", "TCP" */
    uint32_t priority;
    struct sip_str address;
    bool is_ip;
    struct ip_addr addr;
    uint16_t port;
    enum sdp_cand_type type;
    struct sip_str type_text;   /* "host", "srflx", ... */
    struct sip_str raddr;       /* related address, absent for host */
    bool has_rport;
    uint16_t rport;
};

struct sdp_media {
    struct sip_str media;       /* "audio", "video", "application" */
    uint16_t port;
    uint16_t port_count;        /* "m=audio 49170/2": 2; 1 when not given */
    struct sip_str proto;       /* "RTP/AVP", "UDP/TLS/RTP/SAVPF" */
    struct sip_str formats;     /* the whole format list */
    size_t format_count;        /* numeric formats seen */
    uint8_t format[SDP_MAX_FORMATS];
    struct sip_str info;        /* i= */
    struct sdp_conn conn;       /* media-level c= */
    enum sdp_direction direction;
    uint32_t ptime;             /* a=ptime in ms; 0 when absent */
    bool has_rtcp;              /* a=rtcp present */
    uint16_t rtcp_port;
    struct sdp_conn rtcp_conn;  /* optional address of a=rtcp */
    bool rtcp_mux;              /* a=rtcp-mux (RFC 5761) */
    size_t rtpmap_count;
    struct sdp_rtpmap rtpmap[SDP_MAX_RTPMAPS];
    size_t candidate_count;
    struct sdp_candidate candidate[SDP_MAX_CANDIDATES];
};

enum sdp_status {
    SDP_OK,
    SDP_MALFORMED,          /* does not start with "v=" */
};

/* Odd but parseable; bits of struct sdp.anomalies. */
enum sdp_anomaly {
    SDP_ANOM_BAD_LINE = 1u << 0,        /* not "<letter>=<value>" */
    SDP_ANOM_BAD_VERSION = 1u << 1,     /* v= other than 0 */
    SDP_ANOM_BAD_ORIGIN = 1u << 2,
    SDP_ANOM_BAD_CONN = 1u << 3,
    SDP_ANOM_BAD_MEDIA = 1u << 4,
    SDP_ANOM_BAD_RTPMAP = 1u << 5,
    SDP_ANOM_BAD_RTCP = 1u << 6,
    SDP_ANOM_BAD_CANDIDATE = 1u << 7,
    SDP_ANOM_DROPPED = 1u << 8,         /* more than a bound kept */
    SDP_ANOM_NO_CONN = 1u << 9,         /* a media stream has no c= at
                                           either level */
    SDP_ANOM_LF_ONLY = 1u << 10,
};

/* About 85 KiB: keep one per analyzer and reuse it. */
struct sdp {
    enum sdp_status status;
    uint32_t anomalies;         /* enum sdp_anomaly bits */
    int version;                /* v=; -1 when unreadable */
    struct sdp_origin origin;
    struct sip_str name;        /* s= */
    struct sip_str info;        /* session-level i= */
    struct sdp_conn conn;       /* session-level c= */
    enum sdp_direction direction;   /* session-level default */
    size_t media_count;
    struct sdp_media media[SDP_MAX_MEDIA];
};

/* Parses an SDP body.  *out is overwritten; views point into body.
 * Returns out->status. */
enum sdp_status sdp_parse(const uint8_t *body, size_t len, struct sdp *out);

/* Where one media stream wants to receive, with session-level values
 * filled in where the media level says nothing. */
struct sdp_endpoint {
    bool has_addr;              /* a c= line applies */
    bool addr_from_session;     /* it came from the session level */
    struct sdp_conn conn;
    uint16_t port;
    uint16_t rtcp_port;         /* a=rtcp, else port (rtcp-mux), else
                                   port + 1 (RFC 3550 section 11) */
    struct sdp_conn rtcp_conn;  /* the a=rtcp address, else conn */
    enum sdp_direction direction;   /* media, else session, else
                                       sendrecv (RFC 3264 section 5.1) */
    bool null_addr;             /* c= 0.0.0.0 or ::, the RFC 2543 way of
                                   putting a stream on hold (RFC 3264
                                   section 8.4) */
};

/* Effective endpoint of media stream i.  Returns 0, or -1 when i is not a
 * stored stream. */
int sdp_media_endpoint(const struct sdp *s, size_t i,
                       struct sdp_endpoint *out);

/* Payload types and their rtpmap: the rtpmap for pt in media m, or NULL
 * (static payload types 0..34 may legally have none). */
const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m,
                                          uint8_t pt);

/* "sendrecv", "sendonly", "recvonly", "inactive", or "" for none. */
const char *sdp_direction_name(enum sdp_direction d);

#endif
