/* A bidirectional flow: its key, orientation, per-direction counters and
 * the facts that classification and the analyzers attach to it.
 *
 * struct flow is a transparent value owned by the flow table; stages that
 * hold a struct flow * borrow it until the table ends the flow. */
#ifndef RINGSCOPE_FLOW_H
#define RINGSCOPE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"

struct decoded;

enum flow_dir {
    FLOW_DIR_C2S = 0,
    FLOW_DIR_S2C = 1,
};

enum flow_side {
    FLOW_SIDE_INSIDE,
    FLOW_SIDE_OUTSIDE,
};

/* How client and server were told apart. */
enum flow_orient {
    FLOW_ORIENT_SYN,        /* a SYN without ACK, or a SYN/ACK */
    FLOW_ORIENT_PORT,       /* one well-known or service port */
    FLOW_ORIENT_FIRST,      /* whoever sent the first packet */
};

enum flow_end_reason {
    FLOW_END_IDLE,          /* idle timeout in packet time */
    FLOW_END_CLOSED,        /* TCP FIN/RST, then the closing grace */
    FLOW_END_EVICTED,       /* table full: the least recently seen flow */
    FLOW_END_CAPTURE_END,   /* end of input, or a clean stop */
};

enum flow_classified_by {
    FLOW_BY_NONE,
    FLOW_BY_PORT,
    FLOW_BY_RANGE,
    FLOW_BY_SNI,
    FLOW_BY_DNS,
    FLOW_BY_HTTP_HOST,
    FLOW_BY_NDPI,
};

/* Handshake outcome of a TCP flow (SPEC 4). */
enum flow_tcp_state {
    FLOW_TCP_NONE,              /* not TCP */
    FLOW_TCP_SYN_SENT,          /* SYN seen, outcome not decided yet */
    FLOW_TCP_ESTABLISHED,
    FLOW_TCP_REFUSED,           /* RST answering the SYN */
    FLOW_TCP_UNANSWERED,        /* SYN(s) and nothing back */
    FLOW_TCP_ICMP_UNREACHABLE,  /* an ICMP error quoting the SYN */
    FLOW_TCP_MID_STREAM,        /* no handshake in the capture */
};

/* Wireshark's TCP analysis flags, counted per direction. */
enum flow_tcp_flag {
    FLOW_TCPF_RETRANSMISSION,
    FLOW_TCPF_FAST_RETRANSMISSION,
    FLOW_TCPF_SPURIOUS_RETRANSMISSION,
    FLOW_TCPF_OUT_OF_ORDER,
    FLOW_TCPF_LOST_SEGMENT,
    FLOW_TCPF_ACK_LOST_SEGMENT,
    FLOW_TCPF_DUPLICATE_ACK,
    FLOW_TCPF_KEEP_ALIVE,
    FLOW_TCPF_ZERO_WINDOW,
    FLOW_TCPF_WINDOW_FULL,
    FLOW_TCPF_MIRROR_DUPLICATE,     /* span-port copy, not network loss */
    FLOW_TCPF_COUNT,
};

/* Canonical key: the lower (address, port) endpoint comes first, so both
 * directions of a flow build the same key.  Zero the whole struct before
 * filling it; padding takes part in hashing and comparison. */
struct flow_key {
    struct ip_addr lo_ip;
    struct ip_addr hi_ip;
    uint16_t lo_port;
    uint16_t hi_port;
    uint16_t vlan;
    uint8_t ip_version;
    uint8_t proto;
};

struct flow_dir_stats {
    uint64_t packets;
    uint64_t bytes;             /* frame bytes on the wire */
    uint64_t payload_bytes;     /* transport payload bytes */
    int64_t first_us;           /* 0 when no packet yet */
    int64_t last_us;
    uint8_t tcp_flags;          /* union of flags seen */
    uint8_t max_ttl;            /* highest IP TTL / hop limit seen */
    uint64_t dscp_seen;         /* bit n set: DSCP value n seen */
    uint32_t tcp[FLOW_TCPF_COUNT];
};

#define FLOW_HOSTNAME_MAX 256
#define FLOW_NDPI_NAME_MAX 48
#define FLOW_TLS_ALPN_MAX 64

struct flow {
    uint64_t id;                /* unique in its database; set on creation */
    struct flow_key key;

    struct ip_addr client_ip;
    struct ip_addr server_ip;
    uint16_t client_port;
    uint16_t server_port;
    enum flow_orient orient;
    enum flow_side client_side;
    enum flow_side server_side;

    uint64_t first_packet;      /* frame number that created the flow */
    int64_t first_us;
    int64_t last_us;
    struct flow_dir_stats dir[2];   /* indexed by enum flow_dir */

    /* Classification.  class_name is borrowed from the classifier and
     * stays valid for the whole run; hostname is owned by the flow. */
    const char *class_name;
    enum flow_classified_by classified_by;
    char hostname[FLOW_HOSTNAME_MAX];
    char ndpi_proto[FLOW_NDPI_NAME_MAX];
    char ndpi_category[FLOW_NDPI_NAME_MAX];

    /* TLS (over TCP) and DTLS handshake facts, set by classification.
     * tls_seen: a ClientHello or ServerHello was read.  tls_version: the
     * version the ServerHello chose (tls.h TLS_VERSION_*), 0 unknown.
     * tls_alpn: the ALPN names the client offered, comma-separated.
     * tls_established: TLS over TCP only, tls_track_established().
     * tls_alert*: the first plaintext alert and who sent it. */
    bool tls_seen;
    uint16_t tls_version;
    char tls_alpn[FLOW_TLS_ALPN_MAX];
    bool tls_established;
    bool tls_alert_seen;
    uint8_t tls_alert_level;    /* 1 warning, 2 fatal */
    uint8_t tls_alert;          /* description (RFC 8446 section 6) */
    enum flow_dir tls_alert_dir;

    /* TCP analysis. */
    enum flow_tcp_state tcp_state;
    int64_t tcp_rtt_us;         /* SYN to SYN/ACK; -1 unknown */
    bool tcp_closed;            /* FIN or RST seen */

    /* An ICMP time exceeded in transit quoted one of the flow's packets.
     * Set by the pipeline; see flow_is_ttl_probe(). */
    bool ttl_expired;

    /* Why the flow ended; set by the table before on_end. */
    enum flow_end_reason end_reason;

    /* Per-analyzer state, zeroed at creation; the pipeline hands each
     * analyzer its slice.  Owned by the table together with the flow. */
    void *ext;
};

/* traceroute's default maximum hop count: a client that never sends with
 * a higher TTL is probing the path, not talking to the server. */
#define FLOW_PROBE_TTL_MAX 30

/* True for a TTL-limited probe (traceroute's UDP or TCP method): an ICMP
 * time exceeded answered it, or its client never sent with a TTL above
 * FLOW_PROBE_TTL_MAX.  Its silence says nothing about the firewall and
 * its marking nothing about calls, so compliance leaves it out. */
static inline bool flow_is_ttl_probe(const struct flow *f)
{
    const struct flow_dir_stats *c2s = &f->dir[FLOW_DIR_C2S];

    return f->ttl_expired ||
           (c2s->max_ttl > 0 && c2s->max_ttl <= FLOW_PROBE_TTL_MAX);
}

/* Builds the canonical key of a decoded packet and says whether the packet
 * goes from the key's lo endpoint to its hi endpoint. */
void flow_key_from_decoded(const struct decoded *d, struct flow_key *key,
                           bool *from_lo);

/* The same for the packet an ICMP error quotes (d->icmp.has_quote): the
 * key of the flow the error is about, on the error's VLAN. */
void flow_key_from_icmp_quote(const struct decoded *d, struct flow_key *key,
                              bool *from_lo);

/* Symmetric by construction (the key is canonical): both directions of a
 * flow hash alike, which lets workers shard flows by this value. */
uint64_t flow_key_hash(const struct flow_key *key);
bool flow_key_equal(const struct flow_key *a, const struct flow_key *b);

/* Direction of a packet relative to the flow's orientation. */
enum flow_dir flow_dir_of(const struct flow *f, const struct decoded *d);

const char *flow_side_name(enum flow_side side);
const char *flow_classified_by_name(enum flow_classified_by by);
const char *flow_tcp_state_name(enum flow_tcp_state st);
const char *flow_end_reason_name(enum flow_end_reason why);
const char *flow_tcp_flag_name(enum flow_tcp_flag flag);

#endif
