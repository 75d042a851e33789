/* Fuzz target for the TCP sequence analysis: one flow's state machine fed
 * a series of segments decoded from the input, in both directions.
 *
 * Input format:
 *   bytes 0-7     initial sequence numbers of side 0 and side 1 (32 bits
 *                 each, big-endian)
 *   then records of 12 bytes, one segment each:
 *     byte 0      bit 0: the side that sent it; bits 1-7: milliseconds
 *                 elapsed since the previous segment, times 4
 *     byte 1      TCP flags
 *     bytes 2-3   sequence number minus the sender's ISN (big-endian)
 *     bytes 4-5   acknowledgment number minus the other ISN
 *     bytes 6-7   payload length
 *     bytes 8-9   window (raw)
 *     byte 10     window scale: 0..14, else absent; 0xff: instead of a
 *                 segment, an ICMP error (unreachable when byte 11 is odd)
 *     byte 11     IP ID, TTL and checksums derive from it (span copies)
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"
#include "tcp_analysis.h"

#define FUZZ_TCP_RECORD 12

static uint32_t fuzz_tcp_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint16_t fuzz_tcp_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Reads everything the analysis exposes, checking what it promises. */
static void fuzz_tcp_read(const struct tcp_analysis *ta)
{
    int64_t t1, t2;
    unsigned side, f, n, syn_side;

    for (side = 0; side < 2; side++) {
        for (f = 0; f < FLOW_TCPF_COUNT; f++) {
            uint32_t count = tcp_analysis_count(ta, side, f);

            for (n = 0; n < TCP_ANALYSIS_EVIDENCE; n++)
                if (n >= count &&
                    tcp_analysis_evidence(ta, side, f, n) != 0)
                    abort();
        }
        tcp_analysis_data_segments(ta, side);
        tcp_analysis_first_retrans(ta, side, &t1);
    }
    tcp_analysis_syn_count(ta);
    tcp_analysis_first_syn(ta, &t1, &t2);
    tcp_analysis_rtt_us(ta);
    tcp_analysis_initial_rtt_us(ta);
    tcp_analysis_refused_frame(ta, &t1);
    tcp_analysis_reset(ta, &t1, &syn_side);
    if (tcp_analysis_syn_count(ta) > 0 && tcp_analysis_syn_side(ta) > 1)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tcp_analysis ta;
    struct tcp_segment seg;
    uint32_t isn[2];
    size_t pos = 8;
    enum flow_tcp_state st;

    if (size < 8)
        return 0;
    isn[0] = fuzz_tcp_be32(data);
    isn[1] = fuzz_tcp_be32(data + 4);
    tcp_analysis_init(&ta);
    memset(&seg, 0, sizeof(seg));
    seg.ts_us = 1000000;
    while (pos + FUZZ_TCP_RECORD <= size) {
        const uint8_t *r = data + pos;
        unsigned side = r[0] & 1;
        uint32_t fl;

        pos += FUZZ_TCP_RECORD;
        seg.frame++;
        seg.ts_us += (int64_t)(r[0] >> 1) * 4000;
        if (r[10] == 0xff) {
            tcp_analysis_icmp_error(&ta, r[11] & 1);
            continue;
        }
        seg.flags = r[1];
        seg.seq = isn[side] + fuzz_tcp_be16(r + 2);
        seg.ack = isn[!side] + fuzz_tcp_be16(r + 4);
        seg.len = fuzz_tcp_be16(r + 6);
        seg.window = fuzz_tcp_be16(r + 8);
        seg.wscale = r[10] <= 14 ? (int8_t)r[10] : -1;
        seg.ip_version = (r[11] & 0x80) ? 6 : 4;
        seg.ttl = (uint8_t)(64 - (r[11] & 3));
        seg.ip_id = (uint16_t)(r[11] * 257u);
        seg.ip_checksum = (uint16_t)(r[11] ^ 0x5a5a);
        seg.tcp_checksum = (uint16_t)(r[11] ^ 0xa5a5);
        fl = tcp_analysis_segment(&ta, side, &seg);
        /* A span duplicate is that and nothing else. */
        if ((fl & TCP_AF_MIRROR_DUPLICATE) && fl != TCP_AF_MIRROR_DUPLICATE)
            abort();
        fuzz_tcp_read(&ta);
    }
    /* SYN_SENT may remain: the other side answered, but not with a
     * SYN/ACK, so the handshake outcome stays undecided. */
    st = tcp_analysis_finish(&ta);
    if (st != tcp_analysis_state(&ta))
        abort();
    fuzz_tcp_read(&ta);
    return 0;
}
