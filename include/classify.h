/* Classification: the first analyzer stage.  It names the class of every
 * flow (SPEC 3) and says how it was decided, and it follows DNS.
 *
 * Evidence, gathered per flow while the flow is young:
 *   - TLS SNI from the client's first flight over TCP (reassembled across
 *     segments, tls_reasm), and on UDP from a DTLS ClientHello;
 *   - HTTP Host from the client's first bytes over TCP, on any port;
 *   - the passive DNS name of the server address, as known at the flow's
 *     first packet (a flow opened after an answer gets the name, a flow
 *     opened before it does not);
 *   - the profile's ranges (server endpoint, else client endpoint);
 *   - nDPI's protocol (classify_ndpi.h), fed until it is done;
 *   - the server port.
 * It also records the TLS handshake (ServerHello version, completion,
 * plaintext alerts) in the flow's tls_* fields.
 *
 * Decision (classify_decide(), a pure function), first match wins:
 *   1. a name of the profile whose rule fits the flow's protocol and
 *      server port: SNI, then HTTP Host, then DNS;        by sni/http-host/dns
 *   2. a profile range holding the server (else the client) address,
 *      whose rule fits the protocol and that endpoint's port;      by range
 *   3. nDPI's protocol: SIP, RTP/RTCP, STUN, TLS/DTLS, HTTP and DNS give
 *      the generic classes sip rtp stun tls http dns; XMPP gives the
 *      profile's port-only class for the flow (provider-xmpp on 5222);
 *                                                                   by ndpi
 *   4. a profile rule on protocol and port alone;                   by port
 *   5. a well-known server port: 53 dns, 80 and 8080 http, 443 tls,
 *      5060-5061 sip, 3478 stun;                                    by port
 *   6. a name of the profile on any protocol and port (the server is the
 *      provider's, but no rule for that name covers this traffic);
 *                                                     by sni/http-host/dns
 *   7. otherwise "other".
 * A name says who the server is only together with the traffic its rule
 * covers: a provider host on a port its rules do not name may carry
 * anything, so the protocol evidence of steps 2-5 comes first and step 6
 * only keeps such a flow from being "other".  Generic classes apply to
 * anyone's traffic: third-party SIP or TLS is classified as such.
 *
 * The class is decided provisionally as soon as the flow starts and again
 * whenever evidence arrives, so a live view is right early, and finally at
 * flow end.  Once no evidence can change any more (names read or given
 * up, nDPI done, TLS handshake followed), the stage stops looking at the
 * flow's packets and frees its inspection state; DNS flows are read to the
 * end.
 *
 * DNS (RFC 1035; over TCP RFC 7766) on port 53, or on any flow nDPI calls
 * DNS from the packet it says so: answers are learned into the passive DNS
 * map, and every query becomes a RECORD_DNS (dns_record.h), paired with
 * its response by transaction ID and question.  Failures (NXDOMAIN,
 * SERVFAIL, REFUSED, TIMEOUT) for names of the profile become findings of
 * kind dns_failure. */
#ifndef RINGSCOPE_CLASSIFY_H
#define RINGSCOPE_CLASSIFY_H

#include <stdint.h>

#include "analyzer.h"
#include "flow.h"
#include "ipaddr.h"

struct profile;
struct profile_class;

extern const struct analyzer_ops classify_ops;

/* Addresses the passive DNS map holds (per capture; the oldest answer is
 * evicted first).  An entry costs about 300 bytes, so 64 Ki entries are
 * about 20 MiB at most: room for the names of hours of busy office
 * traffic. */
#define CLASSIFY_DNS_CACHE_ENTRIES 65536

/* A query with no response within this much packet time is a TIMEOUT.
 * Five seconds is the first retry interval of the common stub resolvers
 * (glibc's "timeout" default, RFC 1536 section 1). */
#define CLASSIFY_DNS_TIMEOUT_US (5 * INT64_C(1000000))

/* Queries awaiting their response, per flow.  Past this the oldest is
 * written out without a response (rcode NULL) and counted. */
#define CLASSIFY_DNS_PENDING_MAX 32

/* TCP: client data segments looked at for a ClientHello or an HTTP
 * request head before the names are given up. */
#define CLASSIFY_TCP_NAME_SEGMENTS 16

/* TCP: packets of a flow after which its names and TLS handshake are no
 * longer looked for (a handshake takes a handful). */
#define CLASSIFY_TCP_INSPECT_PACKETS 64

/* UDP: packets looked at for a DTLS ClientHello.  WebRTC runs ICE
 * (STUN) checks first, so the hello may come some dozens of packets in. */
#define CLASSIFY_UDP_INSPECT_PACKETS 64

/* The evidence the decision rests on.  Strings are borrowed; NULL or ""
 * means not seen. */
struct classify_evidence {
    uint8_t proto;                  /* IP protocol number */
    struct ip_addr server_ip;
    uint16_t server_port;
    struct ip_addr client_ip;
    uint16_t client_port;
    const char *sni;                /* TLS or DTLS server_name */
    const char *http_host;
    const char *dns_name;           /* passive DNS name of server_ip */
    const char *ndpi_proto;         /* the adapter's name: "TLS.Google",
                                       "DNS", "Unknown" */
};

struct classify_decision {
    const struct profile_class *cls;    /* NULL for "other" when the
                                           profile has no such class */
    const char *class_name;     /* the profile's name, valid as long as the
                                   profile; "other" when nothing matched */
    enum flow_classified_by by; /* FLOW_BY_NONE for "other" */
    const char *hostname;       /* the name that decided, else the best one
                                   known (SNI, HTTP Host, DNS); borrowed
                                   from the evidence; NULL when none */
};

/* Decides the class from the evidence, in the order documented above.
 * Never allocates; same evidence, same decision. */
void classify_decide(const struct profile *p,
                     const struct classify_evidence *ev,
                     struct classify_decision *out);

/* The generic class ("sip", "rtp", "stun", "tls", "http", "dns") that an
 * nDPI protocol name stands for, "xmpp" for XMPP (mapped to the profile's
 * port-only classes by classify_decide()), or NULL.  Both parts of a
 * "MASTER.APP" name are looked at, the master first. */
const char *classify_ndpi_generic(const char *ndpi_proto);

#endif
