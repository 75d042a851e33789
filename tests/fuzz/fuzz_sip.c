/* Fuzz target for the SIP and SDP parsers and SIP framing: one input is
 * parsed as a SIP message (and its body, and the whole input, as SDP),
 * run through the NAT and ALG signatures from both sides of a router,
 * framed as a TCP stream with sip_frame(), and fed to a sip_stream in
 * segments, some repeated and some out of order.
 *
 * Input format: the whole input is the message.  Its first byte also
 * chooses the segment size for the stream (1 + byte % 97) and, in bit 7,
 * whether every second segment is sent before the previous one.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs, so the corpus runs under make check.  Invariant
 * violations abort(). */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_sip_nat.h"
#include "fuzz_replay.h"
#include "ipaddr.h"
#include "sdp.h"
#include "sip.h"
#include "sip_stream.h"

/* A view must lie inside [buf, buf + len) or be absent. */
static void fuzz_sip_check_view(const uint8_t *buf, size_t len,
                                struct sip_str v)
{
    const char *b = (const char *)buf;

    if (!v.ptr) {
        if (v.len != 0)
            abort();
        return;
    }
    if (v.ptr < b || v.len > len || v.ptr - b > (ptrdiff_t)(len - v.len))
        abort();
}

static void fuzz_sip_check_msg(const uint8_t *buf, size_t len,
                               const struct sip_msg *m)
{
    size_t i, n;

    if (m->header_len > len || m->msg_len > len + (size_t)INT32_MAX)
        abort();
    fuzz_sip_check_view(buf, len, m->method);
    fuzz_sip_check_view(buf, len, m->ruri_text);
    fuzz_sip_check_view(buf, len, m->reason);
    fuzz_sip_check_view(buf, len, m->call_id);
    fuzz_sip_check_view(buf, len, m->body);
    n = m->via_count < SIP_MAX_VIAS ? m->via_count : SIP_MAX_VIAS;
    for (i = 0; i < n; i++) {
        fuzz_sip_check_view(buf, len, m->via[i].text);
        fuzz_sip_check_view(buf, len, m->via[i].host);
        fuzz_sip_check_view(buf, len, m->via[i].received);
    }
    n = m->header_count < SIP_MAX_HEADERS ? m->header_count : SIP_MAX_HEADERS;
    for (i = 0; i < n; i++)
        fuzz_sip_check_view(buf, len, m->headers[i].value);
}

/* The signatures on the message from the LAN side, then the WAN side. */
static void fuzz_sip_nat(const uint8_t *buf, size_t len,
                         const struct sip_msg *m, const struct sdp *s)
{
    static const char *const ends[][2] = {
        { "199.7.172.10", "192.168.1.10" },
        { "203.0.113.2", "199.7.172.10" },
        { "10.0.0.2", "199.7.172.10" },
        { "199.7.172.10", "100.64.10.2" },
    };
    struct analyzer_sip_nat_hit hits[ANALYZER_SIP_NAT_SIG_COUNT];
    struct analyzer_sip_nat_input in;
    size_t i, n;

    for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        memset(&in, 0, sizeof(in));
        in.msg = m;
        in.sdp = s;
        in.raw = buf;
        in.raw_len = len;
        if (ipaddr_parse(ends[i][0], &in.src) != 0 ||
            ipaddr_parse(ends[i][1], &in.dst) != 0)
            abort();
        in.sport = 5060;
        in.dport = 5060;
        in.datagram = (i & 1) == 0;
        in.complete = true;
        n = analyzer_sip_nat_check(&in, hits, ANALYZER_SIP_NAT_SIG_COUNT);
        if (n > ANALYZER_SIP_NAT_SIG_COUNT)
            abort();
        while (n-- > 0)
            if (!memchr(hits[n].evidence, '\0', sizeof(hits[n].evidence)) ||
                !memchr(hits[n].why, '\0', sizeof(hits[n].why)))
                abort();
    }
}

/* Frames the input as a stream: each unit is 1..remaining bytes. */
static void fuzz_sip_frame(const uint8_t *buf, size_t len)
{
    size_t pos = 0, n;

    while (pos < len) {
        enum sip_frame_status st = sip_frame(buf + pos, len - pos, &n);

        if (st == SIP_FRAME_NEED_MORE)
            break;
        if (n == 0 || n > len - pos)
            abort();
        pos += n;
    }
}

static void fuzz_sip_drain(struct sip_stream *s)
{
    enum sip_frame_status st;
    const uint8_t *unit;
    volatile uint8_t sink = 0;
    size_t len, i;

    for (;;) {
        st = sip_stream_next(s, &unit, &len);
        if (st == SIP_FRAME_NEED_MORE)
            break;
        if (!unit || len == 0)
            abort();
        for (i = 0; i < len; i++)
            sink ^= unit[i];
    }
    (void)sink;
}

/* The input as TCP segments of one size, each sent twice; with bit 7 of
 * the first byte, pairs of segments swap places. */
static void fuzz_sip_stream(const uint8_t *buf, size_t len)
{
    struct sip_stream *s = sip_stream_new(4096);
    size_t seg = 1 + (size_t)(buf[0] % 97);
    bool swap = (buf[0] & 0x80) != 0;
    uint32_t base = 0xfffffff0u;
    size_t pos;

    if (!s)
        return;
    for (pos = 0; pos < len; pos += 2 * seg) {
        size_t a = len - pos < seg ? len - pos : seg;
        size_t b2 = pos + a < len ? (len - pos - a < seg ? len - pos - a :
                                                           seg) : 0;

        if (swap && b2 > 0) {
            sip_stream_segment(s, base + (uint32_t)(pos + a), buf + pos + a,
                               b2);
            fuzz_sip_drain(s);
        }
        sip_stream_segment(s, base + (uint32_t)pos, buf + pos, a);
        sip_stream_segment(s, base + (uint32_t)pos, buf + pos, a);
        fuzz_sip_drain(s);
        if (b2 > 0)
            sip_stream_segment(s, base + (uint32_t)(pos + a), buf + pos + a,
                               b2);
        fuzz_sip_drain(s);
    }
    sip_stream_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sip_msg *msg;
    struct sdp *sdp;
    uint8_t *buf;
    bool has_sdp = false;

    if (size < 1)
        return 0;
    msg = malloc(sizeof(*msg));
    sdp = malloc(sizeof(*sdp));
    /* A copy of exactly size bytes: reading past it is an error. */
    buf = malloc(size);
    if (!msg || !sdp || !buf)
        goto out;
    memcpy(buf, data, size);
    sip_parse(buf, size, msg);
    fuzz_sip_check_msg(buf, size, msg);
    if (msg->body.len > 0)
        has_sdp = sdp_parse((const uint8_t *)msg->body.ptr, msg->body.len,
                            sdp) == SDP_OK;
    if (msg->header_len > 0)
        fuzz_sip_nat(buf, size, msg, has_sdp ? sdp : NULL);
    sdp_parse(buf, size, sdp);
    (void)sip_looks_like(buf, size);
    (void)sip_keepalive_kind(buf, size);
    fuzz_sip_frame(buf, size);
    fuzz_sip_stream(buf, size);
out:
    free(buf);
    free(sdp);
    free(msg);
    return 0;
}
