/* The flow table: bidirectional flows in a hash table, with per-direction
 * accounting, client/server orientation, inside/outside sides, idle
 * timeouts on packet time and a hard cap with counted eviction.
 *
 * Memory is bounded by the number of live flows, never by capture length.
 * Expiry uses packet timestamps only, so offline runs are deterministic. */
#ifndef RINGSCOPE_FLOW_TABLE_H
#define RINGSCOPE_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct decoded;
struct pkt;

struct flow_table_config {
    uint32_t max_flows;             /* live flows; the oldest is evicted */
    int64_t tcp_timeout_us;         /* idle TCP flow */
    int64_t tcp_closed_timeout_us;  /* after FIN/RST, grace for stragglers */
    int64_t udp_timeout_us;
    int64_t other_timeout_us;       /* ICMP and other protocols */
    size_t ext_size;                /* bytes of flow->ext, zeroed */
    const struct ip_prefix *home_nets;  /* extra inside prefixes; borrowed */
    size_t n_home_nets;
};

/* Defaults: 1,000,000 flows, TCP 300 s, closed 15 s, UDP 120 s, other
 * 60 s, no ext, no extra home networks. */
void flow_table_config_defaults(struct flow_table_config *cfg);

/* Called for every flow that ends, before the table frees it.  The flow is
 * still fully readable and writable inside the callback, but it is no
 * longer in the table: the callback must not call any flow_table_*()
 * function on the same table. */
typedef void (*flow_end_fn)(void *arg, struct flow *f,
                            enum flow_end_reason why);

struct flow_table_stats {
    uint64_t flows_created;
    uint64_t flows_ended;
    uint64_t flows_evicted;     /* ended because the table was full */
    uint64_t flows_live;
    uint64_t flows_peak;
    uint64_t alloc_failures;    /* packets not tracked: out of memory */
};

struct flow_table;

/* Returns NULL when out of memory.  cfg and the home_nets it points to
 * must outlive the table. */
struct flow_table *flow_table_new(const struct flow_table_config *cfg,
                                  flow_end_fn on_end, void *on_end_arg);

/* Ends every live flow (FLOW_END_CAPTURE_END) and frees the table.
 * Accepts NULL. */
void flow_table_free(struct flow_table *ft);

/* Finds or creates the flow of a decoded packet and accounts the packet
 * to it (counters, timestamps, flags, DSCP, orientation).  *created says
 * whether the flow is new; *dir gives the packet's direction.  Returns
 * NULL only when a new flow cannot be allocated (counted).  The flow is
 * borrowed until the next call that can end flows (flow_table_update,
 * flow_table_expire, flow_table_flush).
 *
 * It never expires idle flows (flow_table_expire() does), but it ends one
 * flow in two cases before creating the new one: when the table is full
 * (the least recently seen flow, FLOW_END_EVICTED), and when a TCP SYN
 * without ACK reuses the ports of a flow that saw FIN or RST and is not a
 * retransmission of that flow's own SYN (FLOW_END_CLOSED). */
struct flow *flow_table_update(struct flow_table *ft, const struct pkt *pkt,
                               const struct decoded *d, bool *created,
                               enum flow_dir *dir);

/* Looks a flow up without accounting anything (ICMP errors use it to
 * find the flow they quote).  NULL when unknown. */
struct flow *flow_table_find(struct flow_table *ft, const struct flow_key *k);

/* Ends the flows whose idle time at now_us exceeds their timeout. */
void flow_table_expire(struct flow_table *ft, int64_t now_us);

/* Ends every live flow with the given reason. */
void flow_table_flush(struct flow_table *ft, enum flow_end_reason why);

void flow_table_get_stats(const struct flow_table *ft,
                          struct flow_table_stats *out);

/* Calls fn for every live flow, least recently seen first within each
 * timeout class, so the order is deterministic.  The flows are borrowed
 * for the call; fn must not call any flow_table_*() function on ft. */
void flow_table_foreach(struct flow_table *ft,
                        void (*fn)(void *arg, const struct flow *f),
                        void *arg);

/* True when the address is inside the customer network: the RFC 1918,
 * RFC 6598, link-local, ULA and loopback spaces, or a configured home
 * network. */
bool flow_table_is_inside(const struct flow_table *ft,
                          const struct ip_addr *a);

#endif
