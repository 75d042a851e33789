/* Fuzz target for the packet decoder: a sequence of frames on one decoder,
 * so that VLAN, tunnel, IP, transport and reassembly paths all see hostile
 * input and reassembly state carries from frame to frame.
 *
 * Input format:
 *   byte 0        link type: an index into fuzz_decode_links[] (modulo its
 *                 length; the order is fixed so stored inputs keep their
 *                 meaning)
 *   then records: length (16 bits, big-endian), flags (8 bits), frame
 *                 flags bits 0-3: the frame was cut by a snaplen; the wire
 *                             length is the captured length + 16 * n
 *                 flags bits 4-7: seconds of packet time elapsed before
 *                             this frame (the timeout here is 8 s)
 *                 A length beyond the input takes what is left.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise main() replays the files named on the command
 * line, so a stored corpus runs under make check.  Invariant violations
 * abort(). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz_replay.h"
#include "packet.h"

/* DLT_* values, plus 105 (802.11) to reach the unsupported path. */
static const int fuzz_decode_links[] = {
    1, 113, 276, 12, 101, 228, 229, 0, 108, 105,
};

/* Small limits so eviction and timeout happen within one input. */
#define FUZZ_DECODE_MAX_DATAGRAMS 4
#define FUZZ_DECODE_MAX_BYTES 4096
#define FUZZ_DECODE_TIMEOUT_US (8 * 1000000LL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what a decoded frame promises and touches every payload byte so
 * that AddressSanitizer sees a payload pointing outside live memory. */
static void fuzz_decode_check(const struct pkt *pkt, enum decode_status st,
                              const struct decoded *out)
{
    volatile uint8_t sink = 0;
    uint32_t i;

    if (st == DECODE_OK) {
        if (out->ip_version != 4 && out->ip_version != 6)
            abort();
        if (out->payload_len > out->payload_wire_len)
            abort();
        if (out->payload_len > 0 && !out->payload)
            abort();
        if (out->frame_count == 0 || (!out->reassembled &&
                                      (out->frame_count != 1 ||
                                       out->frame_bytes != pkt->wirelen)))
            abort();
        if (out->tcp.sack_blocks > DECODE_MAX_SACK)
            abort();
        for (i = 0; i < out->payload_len; i++)
            sink ^= out->payload[i];
    }
    if (out->payload_len == 0 && out->payload)
        abort();
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nlinks = sizeof(fuzz_decode_links) / sizeof(fuzz_decode_links[0]);
    struct decoder_config cfg;
    struct decode_stats stats;
    struct decoder *d;
    struct decoded out;
    struct pkt pkt;
    size_t pos = 1;
    int64_t ts = 1000000;

    if (size < 1)
        return 0;
    decoder_config_defaults(&cfg);
    cfg.frag_max_datagrams = FUZZ_DECODE_MAX_DATAGRAMS;
    cfg.frag_max_bytes = FUZZ_DECODE_MAX_BYTES;
    cfg.frag_timeout_us = FUZZ_DECODE_TIMEOUT_US;
    d = decoder_new(&cfg);
    if (!d)
        return 0;
    memset(&pkt, 0, sizeof(pkt));
    pkt.linktype = fuzz_decode_links[data[0] % nlinks];
    while (pos + 3 <= size) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        uint8_t flags = data[pos + 2];
        enum decode_status st;
        uint8_t *frame;

        pos += 3;
        if (len > size - pos)
            len = size - pos;
        /* A copy of exactly len bytes: reading past it is an error. */
        frame = malloc(len ? len : 1);
        if (!frame)
            break;
        memcpy(frame, data + pos, len);
        pos += len;
        ts += (int64_t)(flags >> 4) * 1000000;
        pkt.data = frame;
        pkt.caplen = (uint32_t)len;
        pkt.wirelen = (uint32_t)(len + 16u * (flags & 0x0fu));
        pkt.ts_us = ts;
        pkt.num++;
        st = decode_packet(d, &pkt, &out);
        fuzz_decode_check(&pkt, st, &out);
        free(frame);
    }
    decoder_get_stats(d, &stats);
    decoder_reset(d);
    decoder_free(d);
    return 0;
}

