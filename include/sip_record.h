/* Records of the SIP stage for the sinks: one per SIP message
 * (RECORD_SIP_MESSAGE, table sip_messages) and one per call
 * (RECORD_CALL, table calls).
 *
 * Both are values.  Their strings are NUL-terminated, borrowed for the
 * duration of the sink call, and NULL when the message had no such
 * field; sinks copy what they keep. */
#ifndef RINGSCOPE_SIP_RECORD_H
#define RINGSCOPE_SIP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "ipaddr.h"

struct sip_message_record {
    uint64_t flow_id;
    uint64_t packet;            /* 1-based frame that completed the message
                                   (the last segment or fragment) */
    int64_t ts_us;
    enum flow_dir direction;    /* relative to the flow */
    struct ip_addr src_ip;
    struct ip_addr dst_ip;
    uint16_t src_port;
    uint16_t dst_port;
    const char *transport;      /* "udp" or "tcp" */

    const char *call_id;
    int64_t cseq;               /* -1 when absent */
    const char *cseq_method;
    const char *method;         /* requests only */
    int status;                 /* responses only; 0 for requests */
    const char *reason;
    const char *request_uri;
    const char *from_uri;
    const char *from_tag;
    const char *to_uri;
    const char *to_tag;
    const char *via_branch;     /* of the top Via */
    const char *via;            /* every Via value, joined by ", " */
    const char *via_received;   /* top Via received= */
    int32_t via_rport;          /* top Via rport=N; -1 absent or no value */
    const char *contact;        /* URI of the first Contact, or "*" */
    const char *user_agent;
    const char *server;
    int64_t content_length;     /* -1 when absent */
    int64_t body_length;        /* bytes after the headers; -1 unknown */

    /* SDP, when the body is one. */
    const char *sdp_o;          /* o= address */
    const char *sdp_c;          /* c= address of the first media stream
                                   (media level, else session level) */
    const char *sdp_m;          /* every m= line without "m=", joined by
                                   "; " ("audio 4000 RTP/AVP 0 8") */

    bool retransmission;        /* Wireshark's sip.resend */
    const char *malformed;      /* why it is malformed, or NULL */
    const char *raw;            /* malformed messages only: the start of
                                   the message, raw_len bytes (not
                                   NUL-terminated, may hold any byte) */
    size_t raw_len;
};

/* A SIP call: the messages of one Call-ID that had an INVITE. */
struct call_record {
    uint64_t flow_id;           /* of the initial INVITE */
    const char *call_id;
    const char *state;          /* sip_call_state_name() */
    const char *first_method;
    const char *from_uri;
    const char *to_uri;
    const char *from_tag;
    const char *to_tag;
    struct ip_addr caller_ip;
    struct ip_addr callee_ip;
    uint16_t caller_port;
    uint16_t callee_port;
    uint64_t first_packet;
    int64_t first_us;           /* the initial INVITE */
    int64_t last_us;            /* the last message */
    int64_t ring_us;            /* delays; -1 when unknown */
    int64_t setup_us;
    int64_t duration_us;
    int final_status;           /* 0 when none */
    uint32_t messages;
    uint32_t reinvites;
    uint32_t retransmissions;   /* every retransmitted copy in its
                                   transactions */
    bool cancelled;             /* a CANCEL was seen */
    const char *end_reason;     /* sip_call_end_name() */
};

#endif
