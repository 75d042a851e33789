/* RTCP: compound packet parsing (SR, RR, SDES CNAME, BYE; APP, XR and
 * feedback packets skipped) and the round-trip time of RFC 3550 6.4.1.
 *
 * Specs: RFC 3550 sections 6.4 (SR, RR, report blocks), 6.5 (SDES), 6.6
 * (BYE), 6.7 (APP) and appendix A.2 (validity of a compound packet);
 * RFC 5506 (reduced-size RTCP, which may start with any packet type);
 * RFC 5761 section 4 (RTCP packet types 192-223 on an RTP port).
 *
 * Pure functions over caller-owned structs: no allocation, no I/O. */
#ifndef RINGSCOPE_RTCP_H
#define RINGSCOPE_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rtcp_type {
    RTCP_SR = 200,
    RTCP_RR = 201,
    RTCP_SDES = 202,
    RTCP_BYE = 203,
    RTCP_APP = 204,
    RTCP_RTPFB = 205,           /* RFC 4585 transport feedback */
    RTCP_PSFB = 206,            /* RFC 4585 payload-specific feedback */
    RTCP_XR = 207,              /* RFC 3611 extended reports */
};

enum rtcp_status {
    RTCP_OK,
    RTCP_TRUNCATED,     /* a header, or the length it declares, runs past
                           the captured bytes */
    RTCP_MALFORMED,     /* version not 2, a packet type outside 192-223,
                           padding on a packet that is not the last, a
                           count that does not fit the length, or trailing
                           bytes that are not a whole packet */
};

/* True when the datagram routes to RTCP: version 2 and a second octet in
 * 200-207 (SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR), with a first length
 * field that fits in len.  Enough to tell RTCP from RTP on a shared port;
 * an SRTCP packet passes too (its first header is in clear). */
bool rtcp_looks_like(const uint8_t *data, size_t len);

/* A report block (RFC 3550 6.4.1), as sent by reporter_ssrc about ssrc. */
struct rtcp_report_block {
    uint32_t reporter_ssrc;     /* SSRC of the SR/RR that carried it */
    uint32_t ssrc;              /* source this block reports on */
    uint8_t fraction_lost;      /* fixed point, lost / 256 */
    int32_t cumulative_lost;    /* signed 24-bit, sign-extended: negative
                                   when duplicates outnumber losses */
    uint32_t ext_highest_seq;   /* cycles << 16 | highest seq */
    uint32_t jitter;            /* interarrival jitter, timestamp units */
    uint32_t lsr;               /* middle 32 bits of the last SR's NTP
                                   timestamp; 0: no SR received yet */
    uint32_t dlsr;              /* delay since that SR, 1/65536 s */
};

/* Sender information of an SR (RFC 3550 6.4.1). */
struct rtcp_sender_info {
    uint32_t ssrc;
    uint32_t ntp_sec;           /* NTP timestamp, seconds since 1900 */
    uint32_t ntp_frac;          /* and fraction, 1/2^32 s */
    uint32_t rtp_ts;            /* the same instant in RTP units */
    uint32_t packet_count;
    uint32_t octet_count;
};

/* Report blocks kept per compound packet; more are counted, not kept.
 * RC is five bits, so one SR or RR carries at most 31. */
#define RTCP_MAX_REPORT_BLOCKS 31
/* SDES item text is at most 255 octets (RFC 3550 6.5). */
#define RTCP_CNAME_MAX 256

struct rtcp_compound {
    unsigned packets;           /* RTCP packets in the compound */
    bool reduced_size;          /* did not start with SR or RR (RFC 5506) */

    bool has_sr;
    struct rtcp_sender_info sr; /* the first SR */
    unsigned rr_packets;        /* RR packets */
    uint32_t rr_ssrc;           /* sender SSRC of the first RR */

    unsigned block_count;       /* kept in blocks[] */
    unsigned blocks_dropped;    /* beyond RTCP_MAX_REPORT_BLOCKS */
    struct rtcp_report_block blocks[RTCP_MAX_REPORT_BLOCKS];

    bool has_cname;
    uint32_t cname_ssrc;        /* chunk that carried the first CNAME */
    char cname[RTCP_CNAME_MAX]; /* NUL-terminated; bytes as sent, with
                                   control characters replaced by '?' */

    unsigned bye_packets;
    unsigned bye_ssrc_count;    /* SSRCs in all BYE packets */
    uint32_t bye_ssrc;          /* first SSRC of the first BYE */

    unsigned skipped;           /* APP, RTPFB, PSFB, XR and other types
                                   in 192-223, not decoded */
};

/* Parses a compound RTCP packet: data holds caplen captured bytes of a
 * UDP payload that was wirelen bytes long (pass caplen twice when it was
 * all captured).  On RTCP_OK *out describes every packet; otherwise it
 * holds what was decoded before the failure (packets counts them), and a
 * snaplen cut gives RTCP_TRUNCATED even when it fell between packets.
 * The rules of RFC 3550 A.2 apply, except that a compound need not start
 * with SR or RR (RFC 5506: reduced_size is set instead).  SRTCP encrypts
 * everything after the first 8 octets and appends its index and tag, so
 * on SRTCP expect RTCP_MALFORMED or RTCP_TRUNCATED after the first
 * packet. */
enum rtcp_status rtcp_parse(const uint8_t *data, size_t caplen,
                            size_t wirelen, struct rtcp_compound *out);

/* Stable lowercase name of a status ("truncated"). */
const char *rtcp_status_name(enum rtcp_status st);

/* ------------------------------------------------------------------ */
/* Round-trip time (RFC 3550 6.4.1)                                    */
/* ------------------------------------------------------------------ */

/* Seconds from 1900 (NTP era 0) to 1970 (Unix epoch). */
#define RTCP_NTP_UNIX_OFFSET 2208988800u

/* The middle 32 bits of a 64-bit NTP timestamp: the low 16 bits of the
 * seconds and the high 16 bits of the fraction, unit 1/65536 s.  This is
 * what LSR carries. */
uint32_t rtcp_ntp_middle32(uint32_t ntp_sec, uint32_t ntp_frac);

/* The same for a UTC time in microseconds since the Unix epoch (a capture
 * timestamp). */
uint32_t rtcp_ntp_middle32_from_us(int64_t unix_us);

/* RFC 3550 6.4.1: RTT = A - LSR - DLSR, where A is the arrival time of
 * the report block at the host that sent the SR, as NTP middle 32 bits
 * (rtcp_ntp_middle32_from_us() of its arrival).  Returns microseconds, or
 * -1 when LSR is 0 (no SR received yet) or the result is negative as a
 * signed 32-bit value (clocks that disagree).  Only meaningful when A was
 * taken by the clock that stamped the SR, i.e. at or next to its sender. */
int64_t rtcp_rtt_us(uint32_t arrival_mid32, uint32_t lsr, uint32_t dlsr);

/* The passive variant for a capture point anywhere on the path: the SR
 * was seen at sr_seen_us (the SR whose NTP middle 32 bits equal the
 * block's LSR) and the report block at rr_seen_us; the far side held the
 * SR for DLSR.  Returns the round trip from the capture point to the
 * reporter and back, in microseconds, or -1 when the result is negative
 * (LSR matched the wrong SR).  Needs no clock agreement. */
int64_t rtcp_rtt_passive_us(int64_t sr_seen_us, int64_t rr_seen_us,
                            uint32_t dlsr);

#endif
