/* Packet decoding: link layer, VLAN stacks, GRE/ERSPAN tunnels, IPv4/IPv6
 * (with fragment reassembly), TCP, UDP, ICMP and ICMPv6.
 *
 * decode_packet() turns one borrowed frame into a struct decoded: layer
 * facts and pointers into the captured bytes.  It never reads past the
 * captured length.  Malformed or truncated layers are counted per kind in
 * the decoder's statistics and reported through the return status; they are
 * never fatal and are never logged per packet. */
#ifndef RINGSCOPE_DECODE_H
#define RINGSCOPE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"
#include "packet.h"

enum decode_status {
    DECODE_OK,              /* an IP packet with its transport decoded */
    DECODE_FRAGMENT_HELD,   /* an IP fragment, kept until its datagram is
                               complete (or dropped by the reassembly
                               limits, counted as frag_limit); nothing to
                               analyse yet */
    DECODE_NOT_IP,          /* a well-formed frame that carries no IP (ARP,
                               LLDP, ...): counted, not analysed */
    DECODE_TRUNCATED,       /* a layer was cut by the snaplen or the file */
    DECODE_MALFORMED,       /* a header contradicts itself */
    DECODE_UNSUPPORTED,     /* link type or encapsulation we do not decode */
};

/* Counted events, one counter each.  Keep decode_anomaly_name() in step. */
enum decode_anomaly {
    DECODE_ANOM_LINK_TRUNCATED,
    DECODE_ANOM_LINK_UNSUPPORTED,
    DECODE_ANOM_VLAN_TOO_DEEP,
    DECODE_ANOM_TUNNEL_TRUNCATED,
    DECODE_ANOM_TUNNEL_UNSUPPORTED,
    DECODE_ANOM_TUNNEL_TOO_DEEP,
    DECODE_ANOM_NON_IP,
    DECODE_ANOM_IPV4_TRUNCATED,
    DECODE_ANOM_IPV4_BAD_HEADER,
    DECODE_ANOM_IPV4_BAD_LENGTH,
    DECODE_ANOM_IPV4_BAD_OPTIONS,
    DECODE_ANOM_IPV6_TRUNCATED,
    DECODE_ANOM_IPV6_BAD_HEADER,
    DECODE_ANOM_IPV6_BAD_LENGTH,
    DECODE_ANOM_IPV6_BAD_EXT,
    DECODE_ANOM_IPV6_TOO_MANY_EXT,
    DECODE_ANOM_FRAG_HELD,
    DECODE_ANOM_FRAG_REASSEMBLED,
    DECODE_ANOM_FRAG_OVERLAP,
    DECODE_ANOM_FRAG_TOO_BIG,
    DECODE_ANOM_FRAG_TIMEOUT,
    DECODE_ANOM_FRAG_LIMIT,
    DECODE_ANOM_TCP_TRUNCATED,
    DECODE_ANOM_TCP_BAD_OFFSET,
    DECODE_ANOM_TCP_BAD_OPTIONS,
    DECODE_ANOM_UDP_TRUNCATED,
    DECODE_ANOM_UDP_BAD_LENGTH,
    DECODE_ANOM_ICMP_TRUNCATED,
    DECODE_ANOM_ICMP_BAD_QUOTE,
    DECODE_ANOM_L4_UNSUPPORTED,
    DECODE_ANOM_PAYLOAD_TRUNCATED,
    DECODE_ANOM_COUNT,
};

struct decode_stats {
    uint64_t anomalies[DECODE_ANOM_COUNT];
};

/* Stable snake_case name of an anomaly counter, for the database and the
 * report ("ipv4_truncated").  Never NULL for a valid enum value. */
const char *decode_anomaly_name(enum decode_anomaly a);

enum tcp_flag_bits {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
    TCP_ECE = 0x40,
    TCP_CWR = 0x80,
};

#define DECODE_MAX_SACK 4

struct decoded_tcp {
    uint32_t seq;
    uint32_t ack;
    uint16_t window;        /* raw header value, not scaled */
    uint8_t flags;          /* enum tcp_flag_bits */
    uint8_t hdr_len;        /* bytes, including options */
    uint16_t checksum;
    uint16_t mss;           /* 0 when the option is absent */
    int8_t wscale;          /* -1 when the option is absent */
    bool sack_permitted;
    uint8_t sack_blocks;    /* pairs in sack[] */
    uint32_t sack[2 * DECODE_MAX_SACK];
    bool has_timestamp;
    uint32_t tsval;
    uint32_t tsecr;
    bool options_truncated; /* the snaplen cut the options: the fields
                               above may miss an option that was sent */
};

/* The transport header quoted inside an ICMP/ICMPv6 error, which ties the
 * error to the flow that caused it.  Addresses and ports are as in the
 * offending packet: src is the host that sent it. */
struct decoded_icmp {
    uint8_t type;
    uint8_t code;
    bool is_error;          /* unreachable, time exceeded, param problem, too big */
    bool has_quote;         /* quoted IP + first 8 transport bytes decoded */
    uint8_t q_ip_version;
    uint8_t q_proto;
    struct ip_addr q_src;
    struct ip_addr q_dst;
    uint16_t q_sport;
    uint16_t q_dport;
};

struct decoded {
    uint16_t vlan;          /* VID of the innermost 802.1Q/802.1ad tag of
                               the frame carrying the IP packet; 0 if none */
    uint8_t tunnel_depth;   /* GRE/ERSPAN layers removed */
    uint8_t ip_version;     /* 4 or 6 */
    uint8_t proto;          /* transport protocol number (after IPv6
                               extension headers) */
    uint8_t dscp;
    uint8_t ecn;
    uint8_t ttl;            /* hop limit for IPv6 */
    uint16_t ip_id;         /* IPv4 identification; 0 for IPv6 */
    uint16_t ip_checksum;   /* IPv4 header checksum as captured; 0 for IPv6 */
    uint32_t ip_len;        /* datagram length from the IP header */
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;         /* 0 for protocols without ports */
    uint16_t dport;

    /* Fragment reassembly: when the datagram was rebuilt from fragments,
     * these give all its frames; frame_count is 1 otherwise. */
    bool reassembled;
    uint32_t frame_count;
    uint64_t frame_bytes;   /* sum of wire lengths of those frames */

    struct decoded_tcp tcp;     /* valid when proto == 6 */
    struct decoded_icmp icmp;   /* valid when proto == 1 or 58 */

    /* Transport payload.  Points into the frame, or into the decoder's
     * reassembly buffer (valid until the next decode_packet() call). */
    const uint8_t *payload;
    uint32_t payload_len;       /* bytes actually available */
    uint32_t payload_wire_len;  /* bytes the headers say there are; larger
                                   than payload_len when snaplen cut it */

    /* The IP packet itself, for stages that inspect whole packets (the
     * nDPI adapter): its first header byte, and the bytes captured of the
     * datagram (never more than its total length, so no link padding).
     * For a tunnelled packet, the innermost IP header.  Valid as long as
     * payload.  NULL and 0 for a datagram rebuilt from fragments, because
     * the reassembly buffer holds only the fragmentable part. */
    const uint8_t *l3;
    uint32_t l3_len;
};

struct decoder_config {
    uint32_t frag_max_datagrams;    /* concurrent datagrams being rebuilt */
    uint32_t frag_max_bytes;        /* total bytes held for reassembly */
    int64_t frag_timeout_us;        /* packet time after which a partial
                                       datagram is dropped */
};

/* Defaults: 1024 datagrams, 16 MiB, 30 s. */
void decoder_config_defaults(struct decoder_config *cfg);

struct decoder;

/* Returns a decoder owning its reassembly state, or NULL when out of
 * memory.  decoder_free() accepts NULL. */
struct decoder *decoder_new(const struct decoder_config *cfg);
void decoder_free(struct decoder *d);

/* True when decode_packet() understands this DLT_* link type. */
bool decode_linktype_supported(int linktype);

/* Decodes one frame.  *out is fully overwritten.  The status says whether
 * *out describes an IP packet ready for the flow table (DECODE_OK only).
 * Partial datagrams older than the configured timeout (in packet time) are
 * dropped as a side effect, so memory stays bounded on any input.
 * Fragments that repeat held bytes unchanged are duplicates and only add to
 * frame_count/frame_bytes; any other overlap drops the whole datagram
 * (frag_overlap), as Linux and RFC 5722 do. */
enum decode_status decode_packet(struct decoder *d, const struct pkt *pkt,
                                 struct decoded *out);

/* Drops all partial datagrams (end of a capture file). */
void decoder_reset(struct decoder *d);

/* Copies the counters out. */
void decoder_get_stats(const struct decoder *d, struct decode_stats *out);

#endif
