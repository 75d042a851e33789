/* The record of the classification stage for the sinks: one per DNS
 * query and its outcome (RECORD_DNS, table dns).
 *
 * A value.  Its strings are NUL-terminated, borrowed for the duration of
 * the sink call, and NULL when unknown; sinks copy what they keep. */
#ifndef RINGSCOPE_DNS_RECORD_H
#define RINGSCOPE_DNS_RECORD_H

#include <stdint.h>

#include "ipaddr.h"

struct dns_record {
    uint64_t flow_id;
    uint64_t packet;            /* 1-based frame of the query; 0 when only
                                   the response was seen */
    int64_t ts_us;              /* of the query, else of the response */
    struct ip_addr client_ip;   /* who asked */
    struct ip_addr server_ip;   /* who was asked */
    const char *transport;      /* "udp" or "tcp" */
    uint16_t dns_id;            /* the transaction ID */
    const char *query_name;     /* "" for the root */
    const char *query_type;     /* "A", "AAAA", ... or "TYPE65280" */
    /* "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", ... (dns_rcode_name),
     * "TIMEOUT" when no response came in time, NULL when the capture or
     * the flow ended before the timeout could be told. */
    const char *rcode;
    const char *answers;        /* "A 1.2.3.4; CNAME x.example"; NULL
                                   when the response had none */
    int64_t ttl_min;            /* seconds, least TTL of the answers; -1 */
    int64_t response_us;        /* query to response; -1 unknown */
    uint64_t response_packet;   /* frame of the response; 0 none */
};

#endif
