/* Flow keys (canonical endpoint order, hashing, equality) and flow names. */
#include "config.h"

#include "flow.h"

#include <stddef.h>
#include <string.h>

#include "decode.h"

/* The key is hashed and compared as raw bytes, so it must have no padding
 * that a caller could forget to zero: 2 x 17 address bytes, three 16-bit
 * fields and two bytes.  If this ever fires, the layout changed and the
 * "zero the struct first" rule becomes the only protection. */
_Static_assert(sizeof(struct flow_key) ==
               2 * sizeof(struct ip_addr) + 3 * sizeof(uint16_t) + 2,
               "struct flow_key has padding");

/* Big-endian 64-bit load; compilers turn it into one load and a swap. */
static inline uint64_t flow_be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
           (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
           (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

/* Whether endpoint a sorts at or before endpoint b: family, address bytes
 * as a number, then port; the same order as ipaddr_cmp(), without the
 * library memcmp() call it costs on every packet. */
static bool flow_endpoint_le(const struct ip_addr *a_ip, uint16_t a_port,
                             const struct ip_addr *b_ip, uint16_t b_port)
{
    uint64_t a;
    uint64_t b;

    if (a_ip->family != b_ip->family)
        return a_ip->family < b_ip->family;
    a = flow_be64(a_ip->bytes);
    b = flow_be64(b_ip->bytes);
    if (a != b)
        return a < b;
    a = flow_be64(a_ip->bytes + 8);
    b = flow_be64(b_ip->bytes + 8);
    if (a != b)
        return a < b;
    return a_port <= b_port;
}

void flow_key_from_decoded(const struct decoded *d, struct flow_key *key,
                           bool *from_lo)
{
    bool lo = flow_endpoint_le(&d->src, d->sport, &d->dst, d->dport);

    memset(key, 0, sizeof(*key));
    if (lo) {
        key->lo_ip = d->src;
        key->lo_port = d->sport;
        key->hi_ip = d->dst;
        key->hi_port = d->dport;
    } else {
        key->lo_ip = d->dst;
        key->lo_port = d->dport;
        key->hi_ip = d->src;
        key->hi_port = d->sport;
    }
    key->vlan = d->vlan;
    key->ip_version = d->ip_version;
    key->proto = d->proto;
    *from_lo = lo;
}

void flow_key_from_icmp_quote(const struct decoded *d, struct flow_key *key,
                              bool *from_lo)
{
    struct decoded q;

    memset(&q, 0, sizeof(q));
    q.vlan = d->vlan;
    q.ip_version = d->icmp.q_ip_version;
    q.proto = d->icmp.q_proto;
    q.src = d->icmp.q_src;
    q.dst = d->icmp.q_dst;
    q.sport = d->icmp.q_sport;
    q.dport = d->icmp.q_dport;
    flow_key_from_decoded(&q, key, from_lo);
}

/* The key is read as 64-bit words straight from the struct: the full
 * words, then, when its size is not a multiple of 8, one more word ending
 * at its last byte (overlapping the previous one).  No copy to the stack,
 * so no store-forwarding stalls. */
#define FLOW_KEY_FULL_WORDS (sizeof(struct flow_key) / 8)
#define FLOW_KEY_WORDS ((sizeof(struct flow_key) + 7) / 8)

_Static_assert(sizeof(struct flow_key) >= 8, "flow_key shorter than a word");

static inline uint64_t flow_key_word(const struct flow_key *key, size_t i)
{
    const unsigned char *p = (const unsigned char *)key;
    uint64_t v;

    if (i < FLOW_KEY_FULL_WORDS)
        memcpy(&v, p + 8 * i, 8);
    else
        memcpy(&v, p + sizeof(*key) - 8, 8);
    return v;
}

#define FLOW_P1 0x9e3779b185ebca87ull
#define FLOW_P2 0xc2b2ae3d27d4eb4full
#define FLOW_P3 0x165667b19e3779f9ull
#define FLOW_P5 0x27d4eb2f165667c5ull

static inline uint64_t flow_rotl64(uint64_t x, unsigned r)
{
    return (x << (r & 63u)) | (x >> ((64u - r) & 63u));
}

/* One xxHash64-style round: multiply, rotate, multiply.  A bijection of
 * the word, so two keys that differ in one word differ after it. */
static inline uint64_t flow_lane(uint64_t v)
{
    return flow_rotl64(v * FLOW_P2, 31) * FLOW_P1;
}

/* Every word of the key goes through its own round, offset by its
 * position so that equal words in different places do not cancel.  The
 * rounds are independent, so the CPU overlaps their multiplications
 * instead of chaining them.  They are summed at distinct rotations, and
 * the sum goes through xxHash64's final avalanche, which spreads every
 * input bit over all 64 output bits (bucket indices use the low bits). */
static inline uint64_t flow_key_lane(const struct flow_key *key, size_t i)
{
    return flow_rotl64(flow_lane(flow_key_word(key, i) +
                                 (uint64_t)i * FLOW_P3),
                       (unsigned)(i * 13));
}

/* Written out word by word: compilers keep a loop here, and this runs
 * for every packet. */
_Static_assert(FLOW_KEY_WORDS == 6, "flow_key_hash() reads six words");

uint64_t flow_key_hash(const struct flow_key *key)
{
    uint64_t h = FLOW_P5 + (uint64_t)sizeof(*key);

    h += flow_key_lane(key, 0) + flow_key_lane(key, 1) +
         flow_key_lane(key, 2) + flow_key_lane(key, 3) +
         flow_key_lane(key, 4) + flow_key_lane(key, 5);
    h ^= h >> 33;
    h *= FLOW_P2;
    h ^= h >> 29;
    h *= FLOW_P3;
    h ^= h >> 32;
    return h;
}

/* Word-wise and branch-free: cheaper than a library memcmp() call for a
 * 42-byte key that is compared once per packet. */
bool flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
    uint64_t diff = 0;

    diff |= flow_key_word(a, 0) ^ flow_key_word(b, 0);
    diff |= flow_key_word(a, 1) ^ flow_key_word(b, 1);
    diff |= flow_key_word(a, 2) ^ flow_key_word(b, 2);
    diff |= flow_key_word(a, 3) ^ flow_key_word(b, 3);
    diff |= flow_key_word(a, 4) ^ flow_key_word(b, 4);
    diff |= flow_key_word(a, 5) ^ flow_key_word(b, 5);
    return diff == 0;
}

enum flow_dir flow_dir_of(const struct flow *f, const struct decoded *d)
{
    /* A flow whose two endpoints are equal (a host talking to itself on
     * one port) has only the client-to-server direction. */
    if (d->sport == f->client_port && ipaddr_equal(&d->src, &f->client_ip))
        return FLOW_DIR_C2S;
    return FLOW_DIR_S2C;
}

/* Name tables, indexed by the enum value.  The strings are stable: they go
 * into the database and the reports. */
static const char *const flow_side_names[] = {
    [FLOW_SIDE_INSIDE] = "inside",
    [FLOW_SIDE_OUTSIDE] = "outside",
};

static const char *const flow_by_names[] = {
    [FLOW_BY_NONE] = "none",
    [FLOW_BY_PORT] = "port",
    [FLOW_BY_RANGE] = "range",
    [FLOW_BY_SNI] = "sni",
    [FLOW_BY_DNS] = "dns",
    [FLOW_BY_HTTP_HOST] = "http-host",
    [FLOW_BY_NDPI] = "ndpi",
};

static const char *const flow_tcp_state_names[] = {
    [FLOW_TCP_NONE] = "none",
    [FLOW_TCP_SYN_SENT] = "syn-sent",
    [FLOW_TCP_ESTABLISHED] = "established",
    [FLOW_TCP_REFUSED] = "refused",
    [FLOW_TCP_UNANSWERED] = "unanswered",
    [FLOW_TCP_ICMP_UNREACHABLE] = "icmp-unreachable",
    [FLOW_TCP_MID_STREAM] = "mid-stream",
};

static const char *const flow_end_names[] = {
    [FLOW_END_IDLE] = "idle",
    [FLOW_END_CLOSED] = "closed",
    [FLOW_END_EVICTED] = "evicted",
    [FLOW_END_CAPTURE_END] = "capture_end",
};

/* Wireshark's tcp.analysis.<suffix> field names. */
static const char *const flow_tcp_flag_names[] = {
    [FLOW_TCPF_RETRANSMISSION] = "retransmission",
    [FLOW_TCPF_FAST_RETRANSMISSION] = "fast_retransmission",
    [FLOW_TCPF_SPURIOUS_RETRANSMISSION] = "spurious_retransmission",
    [FLOW_TCPF_OUT_OF_ORDER] = "out_of_order",
    [FLOW_TCPF_LOST_SEGMENT] = "lost_segment",
    [FLOW_TCPF_ACK_LOST_SEGMENT] = "ack_lost_segment",
    [FLOW_TCPF_DUPLICATE_ACK] = "duplicate_ack",
    [FLOW_TCPF_KEEP_ALIVE] = "keep_alive",
    [FLOW_TCPF_ZERO_WINDOW] = "zero_window",
    [FLOW_TCPF_WINDOW_FULL] = "window_full",
    [FLOW_TCPF_MIRROR_DUPLICATE] = "mirror_duplicate",
};

_Static_assert(sizeof(flow_tcp_flag_names) / sizeof(flow_tcp_flag_names[0])
               == FLOW_TCPF_COUNT, "flow_tcp_flag_names out of step");

/* Returns names[v], or "unknown" for a value outside the table (a
 * corrupted or future enum value): the callers print it, so never NULL. */
static const char *flow_name(const char *const *names, size_t n,
                             unsigned v)
{
    if (v >= n || !names[v])
        return "unknown";
    return names[v];
}

#define FLOW_NAMES_LEN(t) (sizeof(t) / sizeof((t)[0]))

const char *flow_side_name(enum flow_side side)
{
    return flow_name(flow_side_names, FLOW_NAMES_LEN(flow_side_names),
                     (unsigned)side);
}

const char *flow_classified_by_name(enum flow_classified_by by)
{
    return flow_name(flow_by_names, FLOW_NAMES_LEN(flow_by_names),
                     (unsigned)by);
}

const char *flow_tcp_state_name(enum flow_tcp_state st)
{
    return flow_name(flow_tcp_state_names,
                     FLOW_NAMES_LEN(flow_tcp_state_names), (unsigned)st);
}

const char *flow_end_reason_name(enum flow_end_reason why)
{
    return flow_name(flow_end_names, FLOW_NAMES_LEN(flow_end_names),
                     (unsigned)why);
}

const char *flow_tcp_flag_name(enum flow_tcp_flag flag)
{
    return flow_name(flow_tcp_flag_names,
                     FLOW_NAMES_LEN(flow_tcp_flag_names), (unsigned)flag);
}
