/* The SIP stage: finds SIP on any UDP or TCP port, writes one
 * RECORD_SIP_MESSAGE per message and one RECORD_CALL per call, follows
 * transactions and calls (sip_txn.h), and emits the findings
 * sip_no_response, sip_2xx_no_ack, sip_retransmissions,
 * sip_alg_suspected, cgnat, double_nat and nat_rewrite.
 *
 * UDP: a datagram is SIP when sip_looks_like() says so (reassembled IP
 * fragments arrive as one datagram).  TCP: a connection is SIP when the
 * first payload of either direction starts like SIP; each direction is
 * then reassembled in sequence order (sip_stream.h, at most
 * ANALYZER_SIP_STREAM_MAX bytes buffered) and cut by Content-Length.
 * A message's packet number is that of the frame that completed it.
 *
 * Findings and their thresholds:
 * - sip_no_response (error): a request (not ACK) seen, nothing back for
 *   64*T1 = 32 s of packet time (RFC 3261 Timer B/F).
 * - sip_2xx_no_ack (error): a 2xx to INVITE never ACKed for 32 s
 *   (Timer H; RFC 3261 section 13.3.1.4).
 * - sip_retransmissions (warning): at the end of a Call-ID, its
 *   retransmitted copies (span-port duplicates and copies seen at a
 *   second capture point excluded, and transactions already reported as
 *   sip_no_response or sip_2xx_no_ack left out) reach both
 *   ANALYZER_SIP_RETRANS_MIN and ANALYZER_SIP_RETRANS_PERCENT % of its
 *   messages.
 * - The NAT and ALG signatures of analyzer_sip_nat.h, once per flow and
 *   signature with the count of messages that showed it, when the flow
 *   ends; the SDP-port signature (A6) once per direction of an RTP flow
 *   when it starts; nat_rewrite at the REGISTER response that shows the
 *   change.
 * Every SDP stream with an address and port goes to the shared table of
 * announced media endpoints (env->media, media_expect.h), which the
 * media stage reads; A6 needs that table and is off without it.
 * Requirement IDs come from the profile: the first requirement with
 * check no-sip-alg for sip_alg_suspected, single-nat for cgnat and
 * double_nat, udp-timeout for nat_rewrite. */
#ifndef RINGSCOPE_ANALYZER_SIP_H
#define RINGSCOPE_ANALYZER_SIP_H

#include <stdint.h>

#include "analyzer.h"

extern const struct analyzer_ops analyzer_sip_ops;

/* Bytes buffered per TCP direction while a message is incomplete. */
#define ANALYZER_SIP_STREAM_MAX (64 * 1024)
/* Payload segments of a TCP connection looked at for a SIP start line
 * when the capture began mid-connection. */
#define ANALYZER_SIP_TCP_PROBE 8
/* sip_retransmissions thresholds. */
#define ANALYZER_SIP_RETRANS_MIN 3
#define ANALYZER_SIP_RETRANS_PERCENT 10
/* Bytes of a malformed message kept in sip_messages.raw. */
#define ANALYZER_SIP_RAW_MAX 2048
/* The first packets of each direction of a UDP flow compared with the
 * SDP-announced endpoints (env->media), and the announcements of one
 * call looked at. */
#define ANALYZER_SIP_MEDIA_PROBE 4
#define ANALYZER_SIP_MEDIA_CALL_MAX 32
/* Calls with retransmissions and REGISTER bindings followed at once. */
#define ANALYZER_SIP_ACCOUNTS_MAX 4096
#define ANALYZER_SIP_BINDINGS_MAX 4096

struct analyzer_sip_stats {
    uint64_t messages;          /* records written */
    uint64_t malformed;         /* ... of which malformed */
    uint64_t keepalives;        /* CRLF pings and pongs */
    uint64_t tcp_streams;       /* TCP directions reassembled */
    uint64_t tcp_gaps;          /* bytes never captured, given up */
    uint64_t tcp_overflows;     /* units larger than the stream bound */
    uint64_t tcp_skipped_bytes; /* not SIP, skipped by framing */
    uint64_t alloc_failures;
    uint64_t accounts_dropped;  /* table full: retransmissions of a call
                                   not followed */
    uint64_t bindings_dropped;  /* table full: a binding not followed */
};

/* The counters of a stage made by analyzer_sip_ops.create. */
void analyzer_sip_get_stats(const void *self, struct analyzer_sip_stats *out);

#endif
