/* Transport health: runs the TCP analysis (tcp_analysis.h) on every TCP
 * flow, ties ICMP errors to the TCP and UDP flows they quote, and emits
 * the findings tcp_blocked, tcp_retransmissions, tcp_resets and
 * icmp_unreachable when a flow ends.
 *
 * Per packet it adds the segment's analysis flags to
 * flow->dir[dir].tcp[FLOW_TCPF_*] and keeps flow->tcp_state and
 * flow->tcp_rtt_us current; at flow end it settles the handshake outcome.
 * capture_begin and capture_end are NULL: the stage keeps no per-capture
 * state. */
#ifndef RINGSCOPE_ANALYZER_TCP_H
#define RINGSCOPE_ANALYZER_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"
#include "tcp_analysis.h"

extern const struct analyzer_ops analyzer_tcp_ops;

/* tcp_retransmissions: a direction of an open connection whose
 * retransmissions of all three kinds reach both this count and this share
 * of its data segments (segments with payload). */
#define ANALYZER_TCP_RETRANS_MIN 3
#define ANALYZER_TCP_RETRANS_PERCENT 2

/* True for the ICMP errors that say a packet was not delivered:
 * destination unreachable of any code (ICMPv4 type 3, ICMPv6 type 1),
 * except ICMPv4 "fragmentation needed", which is path MTU discovery at
 * work (RFC 1191). */
bool analyzer_tcp_icmp_is_unreachable(uint8_t ip_version, uint8_t type,
                                      uint8_t code);

/* Human name of an ICMP/ICMPv6 error ("port unreachable",
 * "communication administratively prohibited", ...).  Never NULL. */
const char *analyzer_tcp_icmp_name(uint8_t ip_version, uint8_t type,
                                   uint8_t code);

/* The TCP analysis kept in the stage's per-flow state (fstate as handed
 * to the analyzer hooks), for evidence lookups; NULL when the flow has
 * not carried TCP, and once its flow_end hook has run (which frees it). */
const struct tcp_analysis *analyzer_tcp_flow_analysis(const void *fstate);

#endif
