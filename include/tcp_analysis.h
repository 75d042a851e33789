/* TCP sequence analysis of one flow: Wireshark's tcp.analysis.* flags,
 * the handshake outcome, and span-port duplicate detection.
 *
 * The reference is the TCP dissector of Wireshark 4.0 (tshark 4.0 in
 * Debian 12, default preferences): for every segment the same flags come
 * out, with the same precedence, so that per-flow counts agree with
 * tshark's.  The state is a fixed-size value embedded in the analyzer's
 * per-flow slot: no allocation, no I/O.
 *
 * Deliberate differences from tshark, all documented in tcp_analysis.c:
 * a span-port duplicate (the same frame captured twice) is counted as
 * TCP_AF_MIRROR_DUPLICATE and takes no part in the analysis, where tshark
 * calls it a retransmission or a duplicate ACK; and tshark's unacked
 * segment list, which only feeds fields we do not report, is not kept. */
#ifndef RINGSCOPE_TCP_ANALYSIS_H
#define RINGSCOPE_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

/* Analysis flags of one segment.  The first FLOW_TCPF_COUNT bits are the
 * counted flags, bit n standing for enum flow_tcp_flag n; the others are
 * flags Wireshark also sets, which steer the analysis but are not
 * counted per flow. */
enum tcp_analysis_flag_bits {
    TCP_AF_RETRANSMISSION = 1u << FLOW_TCPF_RETRANSMISSION,
    TCP_AF_FAST_RETRANSMISSION = 1u << FLOW_TCPF_FAST_RETRANSMISSION,
    TCP_AF_SPURIOUS_RETRANSMISSION = 1u << FLOW_TCPF_SPURIOUS_RETRANSMISSION,
    TCP_AF_OUT_OF_ORDER = 1u << FLOW_TCPF_OUT_OF_ORDER,
    TCP_AF_LOST_SEGMENT = 1u << FLOW_TCPF_LOST_SEGMENT,
    TCP_AF_ACK_LOST_SEGMENT = 1u << FLOW_TCPF_ACK_LOST_SEGMENT,
    TCP_AF_DUPLICATE_ACK = 1u << FLOW_TCPF_DUPLICATE_ACK,
    TCP_AF_KEEP_ALIVE = 1u << FLOW_TCPF_KEEP_ALIVE,
    TCP_AF_ZERO_WINDOW = 1u << FLOW_TCPF_ZERO_WINDOW,
    TCP_AF_WINDOW_FULL = 1u << FLOW_TCPF_WINDOW_FULL,
    TCP_AF_MIRROR_DUPLICATE = 1u << FLOW_TCPF_MIRROR_DUPLICATE,
    TCP_AF_ZERO_WINDOW_PROBE = 1u << (FLOW_TCPF_COUNT + 0),
    TCP_AF_ZERO_WINDOW_PROBE_ACK = 1u << (FLOW_TCPF_COUNT + 1),
    TCP_AF_KEEP_ALIVE_ACK = 1u << (FLOW_TCPF_COUNT + 2),
    TCP_AF_WINDOW_UPDATE = 1u << (FLOW_TCPF_COUNT + 3),
    TCP_AF_REUSED_PORTS = 1u << (FLOW_TCPF_COUNT + 4),
};

/* The three kinds tshark's tcp.analysis.retransmission filter matches. */
#define TCP_AF_ANY_RETRANSMISSION                                           \
    (TCP_AF_RETRANSMISSION | TCP_AF_FAST_RETRANSMISSION |                   \
     TCP_AF_SPURIOUS_RETRANSMISSION)

/* Out-of-order threshold when the handshake gave no initial RTT. */
#define TCP_ANALYSIS_OOO_DEFAULT_US 3000
/* A fast retransmission follows the last duplicate ACK within this. */
#define TCP_ANALYSIS_FAST_RETRANS_US 20000
/* Two copies of one frame closer than this are a span duplicate. */
#define TCP_ANALYSIS_MIRROR_WINDOW_US 10000
/* Frame numbers kept per flag kind and direction, for evidence. */
#define TCP_ANALYSIS_EVIDENCE 3
/* Recent frames per direction remembered for duplicate detection. */
#define TCP_ANALYSIS_MIRROR_RING 4

/* One TCP segment as the analysis needs it.  len is the payload length
 * the IP header announces (Wireshark's tcp.len), even when the snaplen
 * cut the captured bytes. */
struct tcp_segment {
    uint64_t frame;         /* 1-based frame number */
    int64_t ts_us;
    uint32_t seq;
    uint32_t ack;
    uint32_t len;
    uint16_t window;        /* raw header value */
    uint8_t flags;          /* enum tcp_flag_bits (decode.h) */
    int8_t wscale;          /* window scale option, -1 when absent */
    uint8_t ip_version;
    uint8_t ttl;            /* hop limit for IPv6 */
    uint16_t ip_id;         /* IPv4 only */
    uint16_t ip_checksum;   /* IPv4 only */
    uint16_t tcp_checksum;
};

struct decoded;
struct pkt;

/* Fills *seg from a decoded TCP packet (d->proto must be 6). */
void tcp_segment_from_decoded(struct tcp_segment *seg, const struct pkt *pkt,
                              const struct decoded *d);

/* Private: per-direction sequence state, mirroring the fields of
 * Wireshark's tcp_flow_t that decide the flags.  A zero nextseq,
 * maxseqtobeacked or lastack means "not known yet", as in Wireshark. */
struct tcp_analysis_dir_state {
    uint32_t base_seq;
    uint32_t nextseq;
    uint32_t maxseqtobeacked;
    uint32_t lastack;
    uint32_t window;            /* last raw window; UINT32_MAX unknown */
    int64_t nextseq_us;
    int64_t lastack_us;
    uint32_t dupacknum;
    uint32_t lastsegmentflags;
    int8_t win_scale;           /* -1 unknown, -2 not used, else shift */
    bool base_seq_set;
    bool is_first_ack;
};

struct tcp_analysis_mirror_entry {
    int64_t ts_us;
    uint64_t other_segments;    /* the other side's count at that time */
    uint32_t seq;
    uint32_t ack;
    uint32_t len;
    uint16_t ip_id;
    uint16_t ip_checksum;
    uint16_t tcp_checksum;
    uint16_t window;
    uint8_t flags;
    uint8_t ip_version;
    uint8_t ttl;
    bool used;
};

/* Per-side tallies and evidence (sides as the caller numbers them). */
struct tcp_analysis_side {
    uint32_t count[FLOW_TCPF_COUNT];
    uint64_t evidence[FLOW_TCPF_COUNT][TCP_ANALYSIS_EVIDENCE];
    uint64_t segments;          /* analysed, span duplicates excluded */
    uint64_t data_segments;     /* of those, with payload */
    uint64_t first_retrans_frame;   /* any kind; 0 none */
    int64_t first_retrans_us;
    struct tcp_analysis_mirror_entry mirror[TCP_ANALYSIS_MIRROR_RING];
    uint8_t mirror_next;
};

/* The state of one flow.  The layout is visible only so that callers can
 * embed it (analyzer_ops.flow_state_size); members starting with '_' are
 * private, read the state through the functions below. */
struct tcp_analysis {
    struct tcp_analysis_dir_state _dir[2];
    struct tcp_analysis_side _side[2];

    int64_t _mru_syn_us;        /* most recent pure SYN; 0 none */
    int64_t _first_rtt_us;      /* Wireshark's iRTT; 0 unknown */
    bool _seen_any;

    /* Handshake. */
    enum flow_tcp_state _state;
    uint8_t _syn_side;
    uint32_t _syn_count;
    uint64_t _first_syn_frame;
    int64_t _first_syn_us;
    int64_t _last_syn_us;
    int64_t _rtt_us;            /* SYN to SYN/ACK; -1 unknown */
    bool _reply_seen;           /* any segment from the other side */
    uint64_t _refused_frame;    /* the RST that refused the SYN */
    int64_t _refused_us;

    /* Resets and closing. */
    bool _fin_seen;
    bool _payload_seen;
    uint8_t _reset_side;
    uint64_t _reset_frame;      /* first RST of an open flow with data */
    int64_t _reset_us;
};

/* Starts the state of a new flow. */
void tcp_analysis_init(struct tcp_analysis *ta);

/* Analyses one segment sent by side (0 or 1; any numbering that stays the
 * same for the whole flow) and returns its flags (enum
 * tcp_analysis_flag_bits).  A span duplicate returns exactly
 * TCP_AF_MIRROR_DUPLICATE and leaves the sequence state untouched. */
uint32_t tcp_analysis_segment(struct tcp_analysis *ta, unsigned side,
                              const struct tcp_segment *seg);

/* An ICMP error quoting the flow.  unreachable says whether it is one
 * that means the packet was not delivered (see analyzer_tcp.h); while a
 * SYN waits for an answer it decides the handshake outcome. */
void tcp_analysis_icmp_error(struct tcp_analysis *ta, bool unreachable);

/* Ends the flow: a SYN that nothing ever answered becomes
 * FLOW_TCP_UNANSWERED.  Returns the final outcome. */
enum flow_tcp_state tcp_analysis_finish(struct tcp_analysis *ta);

/* Handshake outcome so far, and the SYN to SYN/ACK time (-1 unknown). */
enum flow_tcp_state tcp_analysis_state(const struct tcp_analysis *ta);
int64_t tcp_analysis_rtt_us(const struct tcp_analysis *ta);

/* Wireshark's initial RTT (most recent SYN to the first ACK without SYN),
 * which sets the out-of-order threshold; 0 while unknown. */
int64_t tcp_analysis_initial_rtt_us(const struct tcp_analysis *ta);

/* How many segments of side carried flag, and the frame number of the
 * n-th of them (n < TCP_ANALYSIS_EVIDENCE; 0 when fewer were seen). */
uint32_t tcp_analysis_count(const struct tcp_analysis *ta, unsigned side,
                            enum flow_tcp_flag flag);
uint64_t tcp_analysis_evidence(const struct tcp_analysis *ta, unsigned side,
                               enum flow_tcp_flag flag, unsigned n);

/* Segments of side with payload (span duplicates excluded), and the first
 * retransmission of any kind (frame 0 when none). */
uint64_t tcp_analysis_data_segments(const struct tcp_analysis *ta,
                                    unsigned side);
uint64_t tcp_analysis_first_retrans(const struct tcp_analysis *ta,
                                    unsigned side, int64_t *ts_us);

/* The handshake: pure SYNs sent by the opening side, the first of them,
 * the last one, and which side opened (valid when syn_count > 0). */
uint32_t tcp_analysis_syn_count(const struct tcp_analysis *ta);
uint64_t tcp_analysis_first_syn(const struct tcp_analysis *ta,
                                int64_t *first_us, int64_t *last_us);
unsigned tcp_analysis_syn_side(const struct tcp_analysis *ta);

/* The RST that refused the connection (0 unless FLOW_TCP_REFUSED). */
uint64_t tcp_analysis_refused_frame(const struct tcp_analysis *ta,
                                    int64_t *ts_us);

/* The first RST sent while the connection was open, had carried payload
 * and neither side had sent a FIN; 0 when there was none. */
uint64_t tcp_analysis_reset(const struct tcp_analysis *ta, int64_t *ts_us,
                            unsigned *side);

#endif
