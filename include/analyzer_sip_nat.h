/* SIP ALG and NAT signatures read from one SIP message at one capture
 * point: the addresses inside SIP and SDP compared with the IP header
 * that carried them and with each other.
 *
 * Pure: no state, no I/O.  The SIP stage (analyzer_sip.c) calls
 * analyzer_sip_nat_check() on every message and turns the hits into
 * findings; signatures that need state across messages (the SDP port
 * against the RTP flow, a NAT binding that changes between REGISTER
 * refreshes) live in the stage itself but share the enum and the texts.
 *
 * Address words used throughout: "private" is RFC 1918, IPv6 ULA or
 * link-local; "CGNAT" is RFC 6598 shared space (100.64.0.0/10); "public"
 * is any other unicast address outside the --home-net prefixes. */
#ifndef RINGSCOPE_ANALYZER_SIP_NAT_H
#define RINGSCOPE_ANALYZER_SIP_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "ipaddr.h"
#include "sdp.h"
#include "sip.h"

/* The signatures; names of requirements-data.md section 2.1 (A*) and
 * 2.2 (N*). */
enum analyzer_sip_nat_sig {
    /* A1: a response from a public address carries a private received=
     * in its top Via.  sip_alg_suspected, error. */
    ANALYZER_SIP_NAT_RECEIVED_PRIVATE,
    /* A4: one message mixes the public address it left from (in Via,
     * Contact or SDP c=/o=) with private addresses in other fields
     * (Call-ID host, o=, c=, a=rtcp), or its public c= is none of its ICE
     * candidates.  sip_alg_suspected, warning. */
    ANALYZER_SIP_NAT_MIXED,
    /* A5: a complete UDP datagram whose body length differs from its
     * Content-Length.  sip_alg_suspected, warning. */
    ANALYZER_SIP_NAT_CONTENT_LENGTH,
    /* A8: an SDP i= line holds a private address while c= is public
     * (FortiGate "NAT with IP address conservation").
     * sip_alg_suspected, warning. */
    ANALYZER_SIP_NAT_INFO_ADDR,
    /* A6: RTP leaves the address an SDP announced from another port
     * than the m= port.  sip_alg_suspected, warning (stateful). */
    ANALYZER_SIP_NAT_MEDIA_PORT,
    /* N1: received= in 100.64.0.0/10, or a request to a public address
     * leaving from 100.64.0.0/10.  cgnat, error. */
    ANALYZER_SIP_NAT_CGNAT,
    /* Private-to-private translation: a request to a public address
     * leaves from a private address other than its Via sent-by, or a
     * response whose received= is public arrives at a private address
     * other than the Via sent-by.  double_nat, error. */
    ANALYZER_SIP_NAT_DOUBLE,
    /* N4: received=/rport of consecutive 2xx to REGISTER differ while the
     * phone's Via sent-by stays the same.  nat_rewrite, warning (info
     * when the refreshes are further apart than the UDP timeout the
     * profile requires) (stateful). */
    ANALYZER_SIP_NAT_BINDING_CHANGED,
    ANALYZER_SIP_NAT_SIG_COUNT,
};

#define ANALYZER_SIP_NAT_TEXT_MAX 240

/* One signature seen in one message.  evidence names the message, the
 * header and the value ("Via received=192.168.1.10 in 200 OK (CSeq 2
 * REGISTER) from public 199.7.172.10"); why says what it proves and the
 * fix.  The stage adds the frame number between them. */
struct analyzer_sip_nat_hit {
    enum analyzer_sip_nat_sig sig;
    char evidence[ANALYZER_SIP_NAT_TEXT_MAX];
    char why[ANALYZER_SIP_NAT_TEXT_MAX];
};

/* One message and where it was seen. */
struct analyzer_sip_nat_input {
    const struct sip_msg *msg;      /* parsed, headers complete */
    const struct sdp *sdp;          /* its SDP body, or NULL */
    const uint8_t *raw;             /* the bytes msg was parsed from */
    size_t raw_len;
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    bool datagram;                  /* UDP: the message is the whole
                                       datagram (A5 only applies then) */
    bool complete;                  /* the capture did not cut it */
    const struct ip_prefix *home_nets;  /* --home-net, may be NULL */
    size_t n_home_nets;
};

/* Fills up to max hits, at most one per signature, in enum order; returns
 * how many.  Plain NAT done right (a private Via sent-by answered with a
 * public received=/rport) gives none. */
size_t analyzer_sip_nat_check(const struct analyzer_sip_nat_input *in,
                              struct analyzer_sip_nat_hit *hits, size_t max);

/* Finding kind ("sip_alg_suspected", "cgnat", "double_nat",
 * "nat_rewrite") and default severity of a signature. */
const char *analyzer_sip_nat_kind(enum analyzer_sip_nat_sig sig);
enum finding_severity analyzer_sip_nat_severity(enum analyzer_sip_nat_sig sig);

/* Address words of this module. */
bool analyzer_sip_nat_is_private(const struct ip_addr *a);
bool analyzer_sip_nat_is_public(const struct ip_addr *a,
                                const struct ip_prefix *home_nets,
                                size_t n_home_nets);

/* A short label for a message: "INVITE", "200 OK (CSeq 1 INVITE)".  The
 * reason phrase is cut to keep the label short. */
void analyzer_sip_nat_label(const struct sip_msg *msg, char *buf,
                            size_t size);

#endif
