/* IPFIX export (RFC 7011) of every finished flow, as one biflow record
 * (RFC 5103) per flow, with ringscope's classification and findings as
 * enterprise-specific elements.  Built only with libfixbuf
 * (HAVE_LIBFIXBUF); sink_ipfix.c is the only file that includes it.
 *
 * Export never blocks capture: the sink copies each flow into a bounded
 * queue that an exporter thread drains.  On a live capture a full queue
 * drops the record and counts it; reading files, where no packet can be
 * lost by waiting, the sink waits for room instead. */
#ifndef RINGSCOPE_SINK_IPFIX_H
#define RINGSCOPE_SINK_IPFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

/* IANA reserves 32473 for documentation (RFC 5612); a real deployment
 * sets its own private enterprise number with --ipfix-pen. */
#define SINK_IPFIX_PEN_DEFAULT 32473u

/* Enterprise element ids under the PEN.  Reversible ones carry the
 * reverse direction (server to client) with bit 14 set (RFC 5103
 * section 6.1). */
enum sink_ipfix_element {
    SINK_IPFIX_IE_CLASS = 1,            /* string: class name */
    SINK_IPFIX_IE_CLASSIFIED_BY = 2,    /* string: how the class was found */
    SINK_IPFIX_IE_HOSTNAME = 3,         /* string: SNI, DNS or HTTP host */
    SINK_IPFIX_IE_NDPI_PROTO = 4,       /* string: nDPI protocol name */
    SINK_IPFIX_IE_RETRANS = 5,          /* unsigned32, reversible */
    SINK_IPFIX_IE_FINDINGS = 6,         /* unsigned32 */
    SINK_IPFIX_IE_WORST_SEVERITY = 7,   /* unsigned8: 0 none, 1 info,
                                           2 warning, 3 error */
};

/* Strings are cut to this many bytes so that a record always fits one
 * message, whatever a packet claimed as host name. */
#define SINK_IPFIX_STRING_MAX 255

/* The largest record: fixed fields, four strings of at most
 * SINK_IPFIX_STRING_MAX bytes and their length prefixes.  Far below the
 * smallest message libfixbuf writes, so no record is ever refused as too
 * large. */
#define SINK_IPFIX_RECORD_MAX (256 + 4 * (SINK_IPFIX_STRING_MAX + 3))

struct sink_ipfix_config {
    /* Exactly one destination: a collector (host, port, tcp) or, for
     * tests and offline hand-over, a file. */
    const char *host;
    const char *port;
    bool tcp;
    const char *file_path;

    uint32_t pen;                   /* enterprise number of our elements */
    uint32_t observation_domain;
    size_t queue_len;               /* records; 0: the default */
    bool wait_when_full;            /* files: wait; live: drop and count */
    unsigned template_refresh_s;    /* UDP: resend templates this often */
};

void sink_ipfix_config_defaults(struct sink_ipfix_config *cfg);

/* Builds the templates, opens the destination (a UDP or TCP socket, or
 * the file) and starts the exporter thread.  Returns 0 and fills out, or
 * -1 with the reason in err (unknown host, cannot connect, ...). */
int sink_ipfix_open(const struct sink_ipfix_config *cfg, struct sink *out,
                    char *err, size_t errlen);

#endif
