/* IPv4/IPv6 addresses as plain values: comparison, hashing, formatting,
 * parsing, prefix tests and the address-space categories that decide whether
 * an endpoint is on the customer's side of the network. */
#ifndef RINGSCOPE_IPADDR_H
#define RINGSCOPE_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* family is 4 or 6 (0: unset).  An IPv4 address lives in bytes[0..3] and
 * the other twelve bytes are always zero, so memcmp() and hashing over the
 * whole struct are well defined. */
struct ip_addr {
    uint8_t family;
    uint8_t bytes[16];
};

/* Long enough for any IPv6 text form plus the terminator. */
#define IPADDR_STRLEN 46

struct ip_prefix {
    struct ip_addr addr;    /* host bits are zero */
    uint8_t len;            /* 0..32 or 0..128 */
};

/* Inline: the decoder sets two addresses per packet and the analyzers
 * compare them per packet. */
static inline void ipaddr_set_v4(struct ip_addr *a, const uint8_t b[4])
{
    memset(a, 0, sizeof(*a));
    a->family = 4;
    memcpy(a->bytes, b, 4);
}

void ipaddr_set_v6(struct ip_addr *a, const uint8_t b[16]);
int ipaddr_cmp(const struct ip_addr *a, const struct ip_addr *b);

/* The same answer as ipaddr_cmp() == 0. */
static inline bool ipaddr_equal(const struct ip_addr *a,
                                const struct ip_addr *b)
{
    return a->family == b->family &&
           memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

/* Writes the usual text form ("192.0.2.1", "2001:db8::1") into buf, which
 * must hold IPADDR_STRLEN bytes; returns buf.  Never fails. */
const char *ipaddr_format(const struct ip_addr *a, char *buf);

/* Long enough for "[IPv6]:port" plus the terminator. */
#define IPADDR_ENDPOINT_STRLEN (IPADDR_STRLEN + 8)

/* Writes "192.0.2.1:5060" or "[2001:db8::1]:5060" into buf (size bytes,
 * at least IPADDR_ENDPOINT_STRLEN for no truncation); returns buf. */
const char *ipaddr_format_endpoint(const struct ip_addr *a, uint16_t port,
                                   char *buf, size_t size);

/* Parses an address in text form.  Returns 0, or -1 and leaves *a zeroed. */
int ipaddr_parse(const char *s, struct ip_addr *a);

/* Parses "ADDR/LEN" or a bare address (full-length prefix).  Host bits set
 * beyond LEN are an error ("10.0.0.1/8" is refused) so that typos in a
 * profile are caught.  Returns 0, or -1 on any syntax error. */
int ipaddr_parse_prefix(const char *s, struct ip_prefix *p);

bool ipaddr_in_prefix(const struct ip_addr *a, const struct ip_prefix *p);

/* Address-space categories (RFC 1918, RFC 6598 shared space, link-local,
 * IPv6 ULA, loopback).  ipaddr_is_home() is their union: the addresses that
 * are inside a customer network unless configuration says otherwise. */
bool ipaddr_is_rfc1918(const struct ip_addr *a);
bool ipaddr_is_cgnat(const struct ip_addr *a);
bool ipaddr_is_link_local(const struct ip_addr *a);
bool ipaddr_is_ula(const struct ip_addr *a);
bool ipaddr_is_loopback(const struct ip_addr *a);
bool ipaddr_is_home(const struct ip_addr *a);

#endif
