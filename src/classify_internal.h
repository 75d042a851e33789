/* Shared between the classification stage (classify.c) and its DNS part
 * (classify_dns.c); not part of the interface. */
#ifndef RINGSCOPE_CLASSIFY_INTERNAL_H
#define RINGSCOPE_CLASSIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "decode.h"
#include "dns.h"
#include "flow.h"
#include "packet.h"

struct profile;

/* Following one direction of a TCP stream in sequence order.  next is the
 * sequence number of the next byte expected; known once a SYN or the
 * first data segment set it. */
struct classify_seq {
    uint32_t next;
    bool known;
};

/* Notes the SYN of a direction: the first data byte is seq + 1. */
void classify_seq_syn(struct classify_seq *s, uint32_t seq);

/* Cuts a segment down to the bytes that continue the stream: *data and
 * *len are advanced past bytes already seen (a retransmission or a span
 * duplicate leaves *len 0).  Returns false, leaving them alone, when
 * bytes are missing before the segment (a loss, or reordering). */
bool classify_seq_take(struct classify_seq *s, uint32_t seq,
                       const uint8_t **data, size_t *len);

/* The DNS part's per-run state. */
struct classify_dns_ctx {
    const struct profile *profile;
    struct dns_cache *cache;    /* per capture */
    struct emit emit;
    struct dns_message msg;     /* scratch: too big for the stack */
    uint64_t messages;          /* parsed */
    uint64_t malformed;         /* not parsed */
    uint64_t pending_dropped;   /* queries written without waiting */
    uint64_t duplicates;        /* second responses to a question */
    uint64_t alloc_failures;    /* DNS flows not followed */
    uint64_t tcp_lost;          /* TCP directions given up after a gap */
};

/* Per-flow DNS state; allocated at the flow's first DNS packet. */
struct classify_dns_flow;

/* Reads the DNS messages of one packet of flow f (UDP datagram or TCP
 * segment), learns answers, pairs queries with responses and emits rows
 * and findings.  *st is created on first use; when that fails the flow's
 * DNS is not followed (counted).  now_us is the packet's time. */
void classify_dns_packet(struct classify_dns_ctx *ctx,
                         struct classify_dns_flow **st, const struct flow *f,
                         const struct pkt *pkt, const struct decoded *d,
                         enum flow_dir dir);

/* Writes out the queries still waiting (TIMEOUT when now_us is at least
 * CLASSIFY_DNS_TIMEOUT_US after them, else without rcode) and frees *st.
 * Accepts a NULL *st. */
void classify_dns_flow_end(struct classify_dns_ctx *ctx,
                           struct classify_dns_flow **st,
                           const struct flow *f, int64_t now_us);

#endif
