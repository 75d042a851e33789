/* DNS messages and the passive DNS map.
 *
 * The parser reads a DNS message (RFC 1035 section 4) over UDP, or one
 * length-prefixed message of a TCP stream (RFC 1035 4.2.2, RFC 7766): the
 * header, the first question, and the A, AAAA and CNAME records of the
 * answer section (other types are counted and skipped); the authority and
 * additional sections are walked for consistency only.  Names are
 * decompressed (RFC 1035 4.1.4) with loop protection.  Reads go through
 * cursor.h and never pass len.
 *
 * The passive DNS map remembers, for each address seen in an answer, the
 * name the client asked for, so that later flows to that address can be
 * classified by name.  It is bounded and evicts the oldest entries. */
#ifndef RINGSCOPE_DNS_H
#define RINGSCOPE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

/* A name in text form: at most 253 characters (255 octets on the wire)
 * plus the terminator.  The root is "". */
#define DNS_NAME_MAX 256
/* Answers kept per message; more are counted in n_answers_dropped. */
#define DNS_ANSWERS_MAX 24
/* Compression pointers followed for one name; see dns.c for why a loop
 * is impossible anyway. */
#define DNS_MAX_POINTERS 32

enum dns_type {
    DNS_TYPE_A = 1,
    DNS_TYPE_CNAME = 5,
    DNS_TYPE_AAAA = 28,
};

enum dns_status {
    DNS_OK,
    DNS_TRUNCATED,      /* the data ends inside the message */
    DNS_MALFORMED,      /* inconsistent: bad label, pointer, rdata length */
};

enum dns_rcode {
    DNS_RCODE_NOERROR = 0,
    DNS_RCODE_FORMERR = 1,
    DNS_RCODE_SERVFAIL = 2,
    DNS_RCODE_NXDOMAIN = 3,
    DNS_RCODE_NOTIMP = 4,
    DNS_RCODE_REFUSED = 5,
};

struct dns_answer {
    char name[DNS_NAME_MAX];        /* owner name */
    uint16_t type;                  /* A, AAAA or CNAME */
    uint16_t rclass;                /* 1 = IN (top bit: mDNS cache flush) */
    uint32_t ttl;                   /* seconds */
    struct ip_addr addr;            /* A, AAAA */
    char cname[DNS_NAME_MAX];       /* CNAME target */
};

struct dns_message {
    uint16_t id;
    bool is_response;               /* QR */
    uint8_t opcode;
    bool truncated_flag;            /* TC: the server cut the answer */
    uint8_t rcode;                  /* enum dns_rcode, 4 bits */
    uint16_t qdcount, ancount, nscount, arcount;
    /* The first question; qname "" when qdcount is 0. */
    char qname[DNS_NAME_MAX];
    uint16_t qtype;
    uint16_t qclass;
    /* A, AAAA and CNAME records of the answer section, in order. */
    size_t n_answers;
    struct dns_answer answers[DNS_ANSWERS_MAX];
    unsigned n_answers_dropped;     /* A/AAAA/CNAME beyond the array */
    unsigned n_answers_other;       /* other types, skipped */
    /* Labels with bytes that cannot appear in a hostname ('.', space,
     * control or non-ASCII) are kept with those bytes as '?', so such a
     * name never matches a hostname pattern; this says it happened. */
    bool odd_names;
    size_t length;                  /* bytes of the message */
};

/* Parses one message that fills data (a UDP payload).  On DNS_TRUNCATED
 * the fields parsed before the cut are valid (a snaplen-cut response may
 * still carry useful answers). */
enum dns_status dns_parse(const uint8_t *data, size_t len,
                          struct dns_message *out);

/* Parses the message at the start of a TCP stream: a 2-byte length, then
 * the message.  DNS_TRUNCATED, with *consumed 0, while the stream holds
 * less than a whole message: the caller keeps the bytes and tries again
 * with more.  Once the message is whole, *consumed is 2 + its length, on
 * DNS_OK and on DNS_MALFORMED alike, so the next message can be read. */
enum dns_status dns_parse_tcp(const uint8_t *data, size_t len,
                              struct dns_message *out, size_t *consumed);

/* "NOERROR", "NXDOMAIN", ..., "rcode N" written into buf (16 bytes). */
const char *dns_rcode_name(uint8_t rcode, char buf[16]);

/* ------------------------------------------------------------------ */
/* Passive DNS map */

/* Addresses stay usable this long after their TTL ran out: browsers and
 * operating systems keep using a resolved address past its TTL (host
 * caches with their own minimum lifetimes, connections re-opened to the
 * address in use), and TTLs of 0..60 s are common on CDN and GLL names,
 * which would otherwise expire before the media or signaling flow that
 * follows them.  Five minutes matches the minimum cache lifetime several
 * stub resolvers and browsers apply. */
#define DNS_CACHE_GRACE_US (300 * INT64_C(1000000))

struct dns_cache;

/* A map of at most max_entries addresses (at least 1).  Allocated once
 * (configuration time, exits on exhaustion). */
struct dns_cache *dns_cache_new(size_t max_entries);
void dns_cache_free(struct dns_cache *c);

/* Maps ip to name, learned at ts_us (capture time, microseconds) with a
 * TTL in seconds.  A newer answer for the same address replaces the older
 * one.  When the map is full the entry learned longest ago is evicted and
 * counted.  Returns 0, or -1 when name is not a storable name (empty or
 * longer than DNS_NAME_MAX - 1) or the copy could not be allocated (then
 * the map is unchanged; degrades, never exits). */
int dns_cache_insert(struct dns_cache *c, const struct ip_addr *ip,
                     const char *name, int64_t ts_us, uint32_t ttl);

/* Learns every A and AAAA answer of a response with rcode NOERROR and
 * class IN: each address maps to the name the client asked for (the
 * question), found by following the CNAME chain backwards from the
 * record's owner; when the chain does not lead to the question (at most
 * DNS_MAX_CHAIN steps), the head of the chain is used.  Returns the number
 * of addresses learned. */
#define DNS_MAX_CHAIN 16
size_t dns_cache_learn(struct dns_cache *c, const struct dns_message *m,
                       int64_t ts_us);

/* The name for ip as known at now_us: only an answer seen at or before
 * now_us counts (a flow that began before the answer cannot have come
 * from it), and only until ts + ttl + DNS_CACHE_GRACE_US.  Copies the
 * name (lowercase, no trailing dot) into name (DNS_NAME_MAX bytes) and
 * returns true, or returns false.  Never allocates. */
bool dns_cache_lookup(const struct dns_cache *c, const struct ip_addr *ip,
                      int64_t now_us, char *name);

size_t dns_cache_count(const struct dns_cache *c);
uint64_t dns_cache_evictions(const struct dns_cache *c);

#endif
