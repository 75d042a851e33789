/* Declarations shared by the decode_*.c files; not part of the interface.
 *
 * The decoder is split by layer: decode.c (entry point, lifecycle,
 * counters), decode_link.c (link types, Ethernet, VLAN, PPPoE),
 * decode_tunnel.c (GRE, ERSPAN), decode_ip.c (IPv4, IPv6 and extension
 * headers), decode_frag.c (fragment reassembly) and decode_l4.c (TCP, UDP,
 * ICMP, ICMPv6).  Each layer function reads through a struct decode_buf and
 * hands what follows its header to the next layer. */
#ifndef RINGSCOPE_DECODE_INTERNAL_H
#define RINGSCOPE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "packet.h"

/* Stacked 802.1Q/802.1ad tags accepted in one Ethernet frame; one more is
 * counted as vlan_too_deep.  Real networks use two (QinQ). */
#define DECODE_VLAN_MAX 4

/* GRE layers removed from one frame; a deeper one is left encapsulated and
 * counted as tunnel_too_deep.  Bounds the recursion. */
#define DECODE_TUNNEL_MAX 3

/* IPv6 extension headers walked in one packet before giving up
 * (ipv6_too_many_ext).  A legitimate chain has at most six (RFC 8200
 * section 4.1 order: hop-by-hop, dest options, routing, fragment, AH, dest
 * options). */
#define DECODE_IPV6_EXT_MAX 8

/* Largest IPv4 datagram and largest IPv6 payload (RFC 791, RFC 8200). */
#define DECODE_IP_MAX 65535u

/* Bytes of a layer in the captured frame, and on the wire.
 *
 * wire is the length of the window on the wire, counted from the cursor's
 * base: at least c.len, more when the snaplen (or an ERSPAN truncation)
 * cut the frame.  A header that claims more than the wire holds
 * contradicts its frame (malformed); one that claims more than was
 * captured but no more than the wire held was cut by the snaplen. */
struct decode_buf {
    struct cursor c;
    size_t wire;
};

static inline void decode_buf_init(struct decode_buf *b, const uint8_t *p,
                                   size_t caplen, size_t wire)
{
    cur_init(&b->c, p, caplen);
    b->wire = wire > b->c.len ? wire : b->c.len;
}

/* Bytes left on the wire from the cursor's position. */
static inline size_t decode_buf_wire_left(const struct decode_buf *b)
{
    return b->wire - b->c.off;
}

/* Splits off the next n wire bytes as their own window (the captured part
 * may be shorter) and moves b past what was captured of them.  The caller
 * has checked n <= decode_buf_wire_left(b). */
static inline void decode_buf_take(struct decode_buf *b, size_t n,
                                   struct decode_buf *out)
{
    size_t cap = cur_remaining(&b->c);

    if (cap > n)
        cap = n;
    /* No arithmetic on a null base (an empty frame). */
    cur_init(&out->c, b->c.base ? cur_ptr(&b->c) : NULL, cap);
    out->wire = n;
    b->c.off += cap;
}

/* Per-datagram reassembly state lives in decode_frag.c. */
struct decode_frag;

/* Datagrams completed during one decode_packet() call: one per IP layer at
 * most (outer packet plus DECODE_TUNNEL_MAX tunnelled ones).  Their buffers
 * back decoded.payload and are freed at the start of the next call. */
#define DECODE_DONE_MAX (DECODE_TUNNEL_MAX + 1)

typedef enum decode_status (*decode_layer_fn)(struct decoder *d,
                                              struct decode_buf *b);

struct decoder {
    struct decoder_config cfg;
    struct decode_stats stats;

    /* The frame being decoded and the caller's result, for this call. */
    const struct pkt *pkt;
    struct decoded *out;

    /* Last link type looked up and its decoder: captures rarely mix
     * link types, so the table is searched once per change. */
    int link_type;
    decode_layer_fn link_fn;

    struct decode_frag *frag;
    uint8_t *done[DECODE_DONE_MAX];
    unsigned n_done;
};

static inline void decode_count(struct decoder *d, enum decode_anomaly a)
{
    d->stats.anomalies[a]++;
}

/* decode_link.c */
decode_layer_fn decode_link_lookup(int linktype);
/* An Ethernet frame from its destination address on (also the payload of
 * GRE transparent bridging and ERSPAN).  Resets decoded.vlan: the VLAN of
 * an IP packet is that of the innermost frame carrying it. */
enum decode_status decode_link_ether(struct decoder *d, struct decode_buf *b);

/* decode_ip.c */

/* How an IPv6 next-header value continues the chain. */
enum decode_ip_v6_ext {
    DECODE_V6_NOT_EXT,      /* a transport (or ESP, or no next header) */
    DECODE_V6_EXT_GENERIC,  /* next(8) len(8) in 8-octet units, not
                               counting the first 8 */
    DECODE_V6_EXT_AH,       /* next(8) len(8) in 4-octet units, minus 2 */
    DECODE_V6_EXT_FRAG,     /* fixed 8 bytes */
};
enum decode_ip_v6_ext decode_ip_v6_ext_kind(uint8_t nh);

/* One IPv4 or IPv6 packet from its first header byte. */
enum decode_status decode_ip_v4(struct decoder *d, struct decode_buf *b);
enum decode_status decode_ip_v6(struct decoder *d, struct decode_buf *b);
/* Picks IPv4 or IPv6 from the version nibble; other versions are not IP
 * (counted as non_ip).  For link types that carry bare IP. */
enum decode_status decode_ip_any(struct decoder *d, struct decode_buf *b);

/* decode_tunnel.c: GRE (IP protocol 47) payload of the packet in out.
 * Sets *opaque and returns DECODE_OK without touching out when the tunnel
 * is not decapsulated (unknown payload, too deep): the caller then reports
 * the carrying packet as plain protocol 47. */
enum decode_status decode_tunnel_gre(struct decoder *d, struct decode_buf *b,
                                     bool *opaque);

/* decode_l4.c: the transport layer named by out->proto; b is the IP
 * payload. */
enum decode_status decode_l4(struct decoder *d, struct decode_buf *b);

/* decode_frag.c */

/* One fragment as the IP layer hands it over.  The key fields (addresses,
 * VLAN) are read from d->out, which the IP layer has filled. */
struct decode_frag_in {
    uint32_t id;            /* IPv4 identification or IPv6 fragment id */
    uint8_t proto;          /* IPv4 protocol; IPv6 fragment next header */
    uint32_t offset;        /* bytes */
    bool more;              /* more fragments follow */
    uint32_t hdr_len;       /* bytes before the fragmentable part (IPv4
                               header; IPv6 header + unfragmentable
                               extension headers) */
    uint32_t max_len;       /* largest datagram: hdr_len + payload */
    struct decode_buf data; /* the fragment's payload */
};

struct decode_frag *decode_frag_new(const struct decoder_config *cfg);
void decode_frag_free(struct decode_frag *f);
/* Drops every partial datagram without counting. */
void decode_frag_clear(struct decode_frag *f);
/* Drops datagrams whose first fragment is older than the timeout at packet
 * time now, counting each as frag_timeout. */
void decode_frag_expire(struct decoder *d, int64_t now);
/* Adds a fragment.  DECODE_FRAGMENT_HELD while the datagram is incomplete
 * (or when it had to be dropped by a limit: counted); DECODE_OK with *out
 * the rebuilt fragmentable part and the decoded frame facts updated;
 * DECODE_MALFORMED when the fragment contradicts the datagram. */
enum decode_status decode_frag_add(struct decoder *d,
                                   const struct decode_frag_in *in,
                                   struct decode_buf *out);

#endif
