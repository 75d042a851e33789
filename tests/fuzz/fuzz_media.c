/* Fuzz target for the media parsers: a sequence of UDP payloads of one
 * flow, each routed (rtp_demux_classify) and parsed as RTP (lenient and
 * strict), RTCP and STUN whatever the routing says, with the per-flow
 * state the media stage keeps carried from datagram to datagram: RTP
 * detection, stream statistics, STUN transactions and keepalives.
 *
 * Input format:
 *   byte 0        bytes the snaplen cut from every datagram: the wire
 *                 length is the captured length plus this
 *   then records: length (16 bits, big-endian), flags (8 bits), payload
 *                 flags bit 0:    direction
 *                 flags bits 1-7: milliseconds * 8 of packet time
 *                                 elapsed before this datagram
 *                 A length beyond the input takes what is left.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"
#include "rtcp.h"
#include "rtp.h"
#include "stun.h"

/* A table this small fills after a few requests, so eviction runs. */
#define FUZZ_MEDIA_STUN_TXN 8

struct fuzz_media_state {
    struct rtp_detect detect;
    struct rtp_stream_stats stream;
    struct stun_keepalive ka;
    struct stun_txn_table *txn;
};

/* Checks what a parsed RTP header promises and touches every byte it
 * points at, so that AddressSanitizer sees a pointer past the copy. */
static void fuzz_media_check_rtp(const uint8_t *data, size_t caplen,
                                 const struct rtp_header *h)
{
    volatile uint8_t sink = 0;
    uint32_t i;

    if (h->version != 2 || h->csrc_count > RTP_MAX_CSRC ||
        h->header_len > caplen || h->payload_len > h->wire_payload_len)
        abort();
    if (h->payload_len > 0 &&
        (h->payload < data || h->payload + h->payload_len > data + caplen))
        abort();
    for (i = 0; i < h->payload_len; i++)
        sink ^= h->payload[i];
    for (i = 0; h->ext_data && i < h->ext_len; i++)
        sink ^= h->ext_data[i];
    (void)sink;
}

static void fuzz_media_check_rtcp(const struct rtcp_compound *c)
{
    if (c->block_count > RTCP_MAX_REPORT_BLOCKS ||
        memchr(c->cname, '\0', sizeof(c->cname)) == NULL)
        abort();
}

static void fuzz_media_check_stun(const struct stun_message *m)
{
    if (memchr(m->username, '\0', sizeof(m->username)) == NULL ||
        memchr(m->software, '\0', sizeof(m->software)) == NULL ||
        memchr(m->error_reason, '\0', sizeof(m->error_reason)) == NULL)
        abort();
    if (m->xor_mapped.present && m->xor_mapped.addr.family != 4 &&
        m->xor_mapped.addr.family != 6)
        abort();
}

static void fuzz_media_datagram(struct fuzz_media_state *st,
                                const uint8_t *data, size_t caplen,
                                size_t wirelen, unsigned dir, int64_t ts)
{
    struct rtp_header h;
    struct rtcp_compound c;
    struct stun_message m;
    struct stun_txn_match match;

    (void)rtp_demux_classify(data, caplen);
    rtp_detect_update(&st->detect, dir, data, caplen, wirelen);
    if (rtp_parse(data, caplen, wirelen, &h) == RTP_OK)
        fuzz_media_check_rtp(data, caplen, &h);
    if (rtp_parse_strict(data, caplen, wirelen, &h) == RTP_OK) {
        fuzz_media_check_rtp(data, caplen, &h);
        rtp_stream_update(&st->stream, &h, ts,
                          rtp_clock_rate_for(h.payload_type, NULL, 0),
                          (uint8_t)(dir * 46));
    }
    (void)rtcp_looks_like(data, caplen);
    if (rtcp_parse(data, caplen, wirelen, &c) == RTCP_OK)
        fuzz_media_check_rtcp(&c);
    if (stun_parse(data, caplen, wirelen, &m) != STUN_NOT_STUN) {
        fuzz_media_check_stun(&m);
        (void)stun_keepalive_classify(&st->ka, dir, &m, ts);
        if (m.cls == STUN_CLASS_REQUEST)
            (void)stun_txn_request(st->txn, &m, ts, dir);
        else if (m.cls == STUN_CLASS_SUCCESS || m.cls == STUN_CLASS_ERROR)
            (void)stun_txn_response(st->txn, &m, ts, &match);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_media_state st;
    struct rtp_stream_summary sum;
    struct stun_txn_stats ts;
    size_t pos = 1, cut;
    int64_t now = 1700000000000000;

    if (size < 1)
        return 0;
    cut = data[0];
    memset(&st, 0, sizeof(st));
    rtp_detect_init(&st.detect);
    rtp_stream_init(&st.stream);
    stun_keepalive_init(&st.ka);
    st.txn = stun_txn_table_new(FUZZ_MEDIA_STUN_TXN, STUN_TXN_TIMEOUT_US);
    if (!st.txn)
        return 0;
    while (pos + 3 <= size) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        uint8_t flags = data[pos + 2];
        uint8_t *copy;

        pos += 3;
        if (len > size - pos)
            len = size - pos;
        /* A copy of exactly len bytes: reading past it is an error. */
        copy = malloc(len ? len : 1);
        if (!copy)
            break;
        memcpy(copy, data + pos, len);
        pos += len;
        now += (int64_t)(flags >> 1) * 8000;
        fuzz_media_datagram(&st, copy, len, len + cut, flags & 1u, now);
        free(copy);
    }
    rtp_stream_summarize(&st.stream, &sum);
    if (sum.packets != st.stream.packets)
        abort();
    stun_txn_expire(st.txn, now + STUN_TXN_TIMEOUT_US + 1);
    stun_txn_get_stats(st.txn, &ts);
    stun_txn_table_free(st.txn);
    return 0;
}
