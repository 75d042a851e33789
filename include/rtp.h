/* RTP: header parsing, demultiplexing from the protocols that share its
 * ports, stream detection on a UDP flow, and per-stream statistics.
 *
 * Specs: RFC 3550 section 5.1 (header), appendix A.1 (sequence number
 * validation), appendix A.8 (interarrival jitter); RFC 3551 section 6
 * (static payload types); RFC 5761 section 4 (RTP and RTCP on one port);
 * RFC 7983 as updated by RFC 9443 (first-octet demultiplexing of STUN,
 * ZRTP, DTLS, TURN channels, QUIC and RTP/RTCP).
 *
 * Everything here is a pure function of its arguments and of the state
 * struct the caller owns: no allocation, no I/O, no globals.  Bad packet
 * data is reported through return values and never logged. */
#ifndef RINGSCOPE_RTP_H
#define RINGSCOPE_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Header                                                              */
/* ------------------------------------------------------------------ */

#define RTP_HEADER_LEN 12       /* fixed part, before CSRCs */
#define RTP_MAX_CSRC 15         /* CC is four bits */

enum rtp_status {
    RTP_OK,
    RTP_TRUNCATED,      /* fewer bytes than the fixed header, the CSRC list
                           or the header extension need */
    RTP_BAD_VERSION,    /* the version field is not 2 */
    RTP_BAD_PADDING,    /* P is set but the padding count is 0 or larger
                           than what follows the header */
    RTP_RTCP_CONFLICT,  /* strict parse only: second octet in 192-223
                           (RTCP packet types, RFC 5761 section 4) or a
                           payload type in 72-76 (reserved, RFC 3551) */
};

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  (X)
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
struct rtp_header {
    uint8_t version;
    bool padding;
    bool extension;
    bool marker;
    uint8_t csrc_count;
    uint8_t payload_type;
    uint16_t seq;
    uint32_t timestamp;
    uint32_t ssrc;
    uint32_t csrc[RTP_MAX_CSRC];

    uint16_t ext_profile;       /* "defined by profile" (0xBEDE: RFC 8285
                                   one-byte form); 0 without X */
    uint32_t ext_len;           /* extension data bytes (4 * length) */
    const uint8_t *ext_data;    /* borrowed from the packet; NULL without X */

    uint32_t header_len;        /* fixed header + CSRCs + extension */
    uint8_t pad_len;            /* padding octets, count octet included;
                                   0 when P is clear or not captured */

    /* Payload, padding excluded.  payload points into the packet
     * (borrowed) and holds payload_len captured bytes; wire_payload_len
     * is what the datagram carried.  They differ only when truncated. */
    const uint8_t *payload;
    uint32_t payload_len;
    uint32_t wire_payload_len;
    bool truncated;             /* snaplen cut the payload: the padding
                                   count was not captured, not checked */
};

/* Parses an RTP packet: data holds caplen captured bytes of a UDP payload
 * that was wirelen bytes long (wirelen >= caplen; pass caplen twice when
 * the whole datagram is there).  Checks the version, that the CSRC list
 * and the header extension fit in the captured bytes, and, when the whole
 * datagram was captured, that the padding count is 1..(bytes after the
 * header).  *h is fully written on RTP_OK and unspecified otherwise. */
enum rtp_status rtp_parse(const uint8_t *data, size_t caplen, size_t wirelen,
                          struct rtp_header *h);

/* rtp_parse() plus the rules a heuristic needs (RFC 5761 section 4): a
 * second octet in 192-223 is an RTCP packet type, not a marked payload
 * type 64-95, and payload types 72-76 are never RTP.  The demultiplexing
 * rules of RFC 7983 follow from the version check alone: STUN (first octet
 * 0-3), ZRTP (16-19), DTLS (20-63), TURN channels (64-79) and QUIC (80-127,
 * 192-255) never carry version 2. */
enum rtp_status rtp_parse_strict(const uint8_t *data, size_t caplen,
                                 size_t wirelen, struct rtp_header *h);

/* Stable lowercase name of a status ("truncated"). */
const char *rtp_status_name(enum rtp_status st);

/* ------------------------------------------------------------------ */
/* Demultiplexing (RFC 7983, RFC 9443)                                 */
/* ------------------------------------------------------------------ */

enum rtp_demux {
    RTP_DEMUX_OTHER,        /* empty, or a first octet no rule names */
    RTP_DEMUX_STUN,         /* 0-3 */
    RTP_DEMUX_ZRTP,         /* 16-19 */
    RTP_DEMUX_DTLS,         /* 20-63 */
    RTP_DEMUX_TURN_CHANNEL, /* 64-79 */
    RTP_DEMUX_QUIC,         /* 80-127 and 192-255 */
    RTP_DEMUX_RTP,          /* 128-191, second octet outside 192-223 */
    RTP_DEMUX_RTCP,         /* 128-191, second octet 192-223 */
};

/* Which protocol a datagram on a shared media port belongs to, from its
 * first two octets only.  This is a routing decision, not validation:
 * parse the packet with its own parser afterwards. */
enum rtp_demux rtp_demux_classify(const uint8_t *data, size_t len);

/* ------------------------------------------------------------------ */
/* Payload types and clock rates                                       */
/* ------------------------------------------------------------------ */

#define RTP_PT_PCMU 0
#define RTP_PT_GSM 3
#define RTP_PT_G723 4
#define RTP_PT_PCMA 8
#define RTP_PT_G722 9
#define RTP_PT_CN 13
#define RTP_PT_G729 18
#define RTP_PT_CN_OLD 19
#define RTP_PT_DYNAMIC_FIRST 96

/* RTP clock rate of a static payload type (RFC 3551 table 4 and 5; the
 * IANA registry for the rest).  G.722 is 8000 although it samples at
 * 16 kHz (RFC 3551 section 4.5.2).  0 for dynamic (96-127), unassigned
 * and reserved payload types. */
uint32_t rtp_clock_rate_static(uint8_t pt);

/* Encoding name of a static payload type ("PCMU", "G722"), NULL when the
 * type is dynamic or unassigned. */
const char *rtp_payload_name_static(uint8_t pt);

/* The clock rate the stream statistics should use for a packet of payload
 * type pt, with Wireshark's rules so that jitter agrees with tshark:
 * a static type uses its table rate whatever SDP says; a dynamic type
 * uses rtpmap_rate (from SDP a=rtpmap, 0 if unknown), else the rate of a
 * known encoding name (opus 48000, AMR 8000, AMR-WB 16000, ...; compared
 * whole and case-insensitively, where Wireshark compares prefixes); and
 * telephone-event (RFC 4733) gives 0, because its timestamp stays at the
 * start of the event and says nothing about arrival regularity.
 * encoding may be NULL.  0 means "no jitter for this packet". */
uint32_t rtp_clock_rate_for(uint8_t pt, const char *encoding,
                            uint32_t rtpmap_rate);

/* ------------------------------------------------------------------ */
/* Detection: is this UDP flow RTP?                                    */
/* ------------------------------------------------------------------ */

/* A flow is RTP once RTP_DETECT_MIN_PACKETS consecutive packets in one
 * direction parse strictly (rtp_parse_strict), carry the same SSRC, and
 * each advances the sequence number by 1..RTP_DETECT_MAX_SEQ_STEP (mod
 * 2^16) with a timestamp that does not go back (mod 2^32, as a signed
 * difference).  Any other packet in that direction restarts the run from
 * itself.  Packets that RFC 7983 routes elsewhere (STUN, DTLS, ZRTP, TURN
 * channel, QUIC) and RTCP are neutral: they neither extend nor break a run,
 * so ICE and DTLS-SRTP on the same 5-tuple do not hide the media.  After
 * RTP_DETECT_MAX_PACKETS packets without a verdict the flow is NOT_RTP.
 *
 * Why these rules hold against the usual lookalikes: STUN, DTLS and QUIC
 * cannot carry version 2 in their first octet (QUIC long headers with the
 * greased fixed bit of RFC 9287 can, but then octets 1-4 are the version,
 * constant, so the "sequence" never advances).  A DNS message has version 2
 * one time in four (its ID is random), but its "sequence" is the flags
 * word, constant per direction, and IDs change, so four in a row never
 * line up.  Random payloads must repeat a 32-bit SSRC four times. */
#define RTP_DETECT_MIN_PACKETS 4
#define RTP_DETECT_MAX_SEQ_STEP 100
#define RTP_DETECT_MAX_PACKETS 128

enum rtp_detect_verdict {
    RTP_DETECT_UNKNOWN,
    RTP_DETECT_RTP,
    RTP_DETECT_NOT_RTP,
};

struct rtp_detect_dir {
    uint32_t ssrc;
    uint32_t timestamp;
    uint16_t seq;
    uint8_t run;                /* consecutive packets that fit */
};

/* Per-flow state (a few dozen bytes), set up by rtp_detect_init(); all
 * zero bytes are a valid initial state too. */
struct rtp_detect {
    struct rtp_detect_dir dir[2];
    uint8_t examined;           /* packets seen, saturating */
    uint8_t verdict;            /* enum rtp_detect_verdict */
};

void rtp_detect_init(struct rtp_detect *d);

/* Feeds one UDP payload travelling in direction dir (0 or 1, e.g. enum
 * flow_dir) and returns the verdict so far.  Once the verdict is RTP or
 * NOT_RTP it is final and further packets are not examined. */
enum rtp_detect_verdict rtp_detect_update(struct rtp_detect *d, unsigned dir,
                                          const uint8_t *data, size_t caplen,
                                          size_t wirelen);

/* ------------------------------------------------------------------ */
/* Per-stream statistics                                               */
/* ------------------------------------------------------------------ */

/* One struct per (flow, direction, SSRC): the caller keys streams by SSRC,
 * so an SSRC change starts a new stream (as tshark does).
 *
 * Two sets of figures are kept, because they answer different questions
 * and differ on damaged streams:
 *
 * - tshark's (tshark -q -z rtp,streams, as Wireshark 4.0 computes them;
 *   checked against tshark 4.0.17 on hand-made and randomised streams), so
 *   that ringscope agrees with it on the same capture.  A packet is "in
 *   time" when its RTP timestamp is not before the first packet's (modulo
 *   2^32, so after 2^31 clock ticks -- 74 h at 8 kHz, 12 h at 48 kHz --
 *   nothing is in time any more, as in Wireshark 4.0).
 *   expected = last packet's seq + 65536 * wraps - first packet's seq + 1,
 *   where a wrap is counted when an in-time packet's seq falls below the
 *   first seq (or goes 65535 -> 0); lost = expected - packets, negative
 *   with duplicates.  Delta is the arrival gap to the previous in-time
 *   packet.  Jitter is RFC 3550's estimator in milliseconds over in-time
 *   packets (J += (|D| - J) / 16, the timestamp gap divided by the integer
 *   clock_rate / 1000, as Wireshark divides).  Min/mean/max delta and
 *   jitter skip the first packet, marked packets, comfort noise (PT 13,
 *   19), the packet after comfort noise and packets not in time; the mean
 *   divides by the packets before the current one, all kinds counted, as
 *   Wireshark does.  A packet with clock rate 0 updates delta, not jitter.
 *   "Problems" is a sequence error or a packet not in time.
 *
 * - RFC 3550's: appendix A.1 sequence validation with MIN_SEQUENTIAL 2,
 *   MAX_DROPOUT 3000 and MAX_MISORDER 100 (probation of a new source, a
 *   jump beyond those limits is dropped unless the next packet follows it,
 *   which restarts the count), extended highest sequence number, expected
 *   and cumulative lost as in A.3, and the A.8 jitter in timestamp units
 *   over every packet in arrival order.  Restarted segments are summed.
 *   Duplicates and late (reordered) packets are told apart with a bitmap
 *   of the 128 sequence numbers below the highest. */
#define RTP_MIN_SEQUENTIAL 2
#define RTP_MAX_DROPOUT 3000
#define RTP_MAX_MISORDER 100

struct rtp_stream_stats {
    /* Facts about every packet given to rtp_stream_update(). */
    uint32_t ssrc;              /* of the first packet */
    uint64_t packets;           /* duplicates included (tshark "Pkts") */
    uint64_t payload_bytes;     /* wire payload, padding excluded */
    uint64_t markers;           /* packets with M set */
    uint64_t comfort_noise;     /* packets with PT 13 or 19 */
    int64_t first_us;           /* arrival of the first packet */
    int64_t last_us;            /* arrival of the latest packet */
    int64_t max_gap_us;         /* longest arrival gap between consecutive
                                   packets, whatever their kind */
    uint8_t first_pt;
    uint8_t last_pt;
    uint32_t pt_changes;        /* payload type differed from the previous
                                   packet's */
    uint64_t pt_seen[2];        /* bit n of [n / 64]: payload type n seen */
    uint64_t dscp_seen;         /* bit n: DSCP n seen */

    /* RFC 3550 A.1 results (see rtp_stream_summarize() for the rest). */
    uint64_t duplicates;        /* a sequence number seen before */
    uint64_t reordered;         /* first arrival of a number below the
                                   highest (late) */
    uint64_t restarts;          /* re-synchronisations after a big jump */
    uint64_t rejected;          /* packets A.1 does not count: probation
                                   and the first packet of a big jump */

    /* Private state below: read the results through
     * rtp_stream_summarize(). */
    bool _started;
    bool _valid;                /* A.1 probation passed */
    uint8_t _probation;
    uint16_t _max_seq;
    uint32_t _cycles;           /* shifted count of wraps (A.1) */
    uint32_t _base_seq;
    uint32_t _bad_seq;
    uint64_t _received;         /* this segment */
    uint64_t _prior_expected;   /* earlier segments (before restarts) */
    uint64_t _prior_received;
    uint64_t _window[2];        /* bit i: max_seq - i received */

    /* A.8 jitter, timestamp units. */
    bool _have_transit;
    double _jitter_ts;
    uint32_t _jitter_rate;      /* clock rate of the latest update */
    int64_t _prev_arrival_us;
    uint32_t _prev_ts;

    /* tshark-compatible state; times in ms as doubles, as Wireshark. */
    uint16_t _ws_start_seq;
    uint16_t _ws_stop_seq;
    uint16_t _ws_seq_num;
    bool _ws_under;
    bool _ws_problem;
    uint32_t _ws_cycles;
    uint64_t _ws_seq_errors;
    uint64_t _ws_total;
    int64_t _ws_time_us;        /* arrival of the latest in-time packet */
    uint32_t _ws_first_ts;      /* RTP timestamp of the first packet */
    double _ws_last_nominal;    /* ms from the first timestamp to the
                                   latest in-time packet's */
    uint8_t _ws_pt;
    double _ws_jitter;
    double _ws_max_delta;
    double _ws_min_delta;       /* -1 until the first regular packet */
    double _ws_mean_delta;
    double _ws_max_jitter;
    double _ws_min_jitter;      /* -1 until the first regular packet */
    double _ws_mean_jitter;
};

/* Zeroes the statistics; the first packet then sets the SSRC. */
void rtp_stream_init(struct rtp_stream_stats *s);

/* Accounts one packet of the stream: h from rtp_parse(), its arrival time
 * arrival_us (capture time, UTC microseconds, non-decreasing across
 * calls), the clock rate for this packet (rtp_clock_rate_for(); 0 when
 * unknown: no jitter from this packet) and the DSCP of the IP header that
 * carried it.  Never fails. */
void rtp_stream_update(struct rtp_stream_stats *s, const struct rtp_header *h,
                       int64_t arrival_us, uint32_t clock_rate, uint8_t dscp);

struct rtp_stream_summary {
    uint64_t packets;
    double start_s;             /* first and last arrival, UTC seconds */
    double end_s;

    /* tshark -z rtp,streams columns. */
    int64_t expected;
    int64_t lost;               /* negative with duplicates */
    double lost_pct;            /* 100 * lost / expected; 0 if none */
    double min_delta_ms;        /* 0 when no packet qualified */
    double mean_delta_ms;
    double max_delta_ms;
    double min_jitter_ms;
    double mean_jitter_ms;
    double max_jitter_ms;
    uint64_t seq_errors;        /* packets out of sequence (Wireshark's
                                   "wrong sequence" count) */
    bool problem;               /* tshark's "Problems?" X: a sequence
                                   error, or a packet not in time */

    /* RFC 3550. */
    bool valid;                 /* A.1 probation passed */
    uint32_t ext_max_seq;       /* extended highest seq, current segment */
    int64_t rfc_expected;       /* A.3, summed over restarts */
    int64_t rfc_received;
    int64_t rfc_lost;           /* cumulative lost; negative with dups */
    double jitter_ms;           /* A.8 estimate after the last packet,
                                   converted with the latest clock rate;
                                   0 when no rate was ever known */
    uint64_t duplicates;
    uint64_t reordered;
    uint64_t restarts;
    double max_gap_ms;
};

/* Computes the figures above from the state.  Pure; callable at any time. */
void rtp_stream_summarize(const struct rtp_stream_stats *s,
                          struct rtp_stream_summary *out);

#endif
