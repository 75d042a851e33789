/* Fuzz target for the TLS and DTLS recognisers: the hello, alert and
 * record parsers on the input, the record walker on both directions, and
 * the first-flight reassembly fed in chunks.
 *
 * Input format:
 *   byte 0        mode
 *     bit 0 set   "raw": the rest is one payload.  Every parser runs on
 *                 it, and the reassembly gets it in chunks of
 *                 (mode >> 2) + 1 bytes; with bit 1 set the second chunk
 *                 goes first (out of order) and the first is sent twice.
 *     bit 0 clear "segments": the rest is records of a sequence offset
 *                 (16 bits, big-endian, from an initial sequence number
 *                 near the 32-bit wrap), a length (8 bits) and that many
 *                 bytes, fed to the reassembly and the record walker in
 *                 input order; bit 1 picks the walker's direction of the
 *                 odd records.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"
#include "tls.h"

/* Close to the wrap so that sequence arithmetic crosses it. */
#define FUZZ_TLS_ISN 0xffffff00u

static void fuzz_tls_check_ch(const struct tls_client_hello *ch,
                              enum tls_status st)
{
    unsigned i;

    if (st != TLS_OK)
        return;
    if (!memchr(ch->sni, '\0', sizeof(ch->sni)))
        abort();
    for (i = 0; i < TLS_ALPN_KEEP; i++)
        if (!memchr(ch->alpn[i], '\0', sizeof(ch->alpn[i])))
            abort();
}

static void fuzz_tls_check_sh(const struct tls_server_hello *sh,
                              enum tls_status st)
{
    if (st == TLS_OK && !memchr(sh->alpn, '\0', sizeof(sh->alpn)))
        abort();
}

/* Every one-shot parser on the same bytes. */
static void fuzz_tls_parsers(const uint8_t *data, size_t len)
{
    struct tls_client_hello ch;
    struct tls_server_hello sh;
    struct tls_alert al;

    fuzz_tls_check_ch(&ch, tls_parse_client_hello(data, len, &ch));
    fuzz_tls_check_sh(&sh, tls_parse_server_hello(data, len, &sh));
    if (tls_parse_alert(data, len, &al) == TLS_OK)
        tls_alert_name(al.description);
    fuzz_tls_check_ch(&ch, tls_parse_dtls_client_hello(data, len, &ch));
    fuzz_tls_check_sh(&sh, tls_parse_dtls_server_hello(data, len, &sh));
    tls_is_dtls_record(data, len);
    if (len >= 2)
        tls_version_name((uint16_t)(data[0] << 8 | data[1]));
}

/* Adds one chunk and checks that a final status stays final. */
static void fuzz_tls_add(struct tls_reasm *r, uint32_t seq,
                         const uint8_t *data, size_t len)
{
    struct tls_client_hello ch;
    enum tls_status before = r->status;
    enum tls_status st;

    memset(&ch, 0, sizeof(ch));
    st = tls_reasm_add(r, seq, data, len, &ch);
    /* out is filled only by the call that completes the hello. */
    if (before == TLS_NEED_MORE)
        fuzz_tls_check_ch(&ch, st);
    else if (st != before)
        abort();
    if (r->cap > TLS_REASM_CAP || r->n_spans > TLS_REASM_HOLES + 1)
        abort();
}

static void fuzz_tls_raw(uint8_t mode, const uint8_t *data, size_t len)
{
    size_t chunk = (size_t)(mode >> 2) + 1;
    struct tls_track tr;
    struct tls_reasm r;
    size_t pos = 0;

    fuzz_tls_parsers(data, len);
    tls_reasm_init(&r);
    tls_reasm_start(&r, FUZZ_TLS_ISN);
    if ((mode & 2) && len > chunk) {
        size_t n = len - chunk < chunk ? len - chunk : chunk;

        fuzz_tls_add(&r, FUZZ_TLS_ISN + (uint32_t)chunk, data + chunk, n);
        fuzz_tls_add(&r, FUZZ_TLS_ISN, data, chunk);
    }
    while (pos < len) {
        size_t n = len - pos < chunk ? len - pos : chunk;

        fuzz_tls_add(&r, FUZZ_TLS_ISN + (uint32_t)pos, data + pos, n);
        pos += n;
    }
    tls_reasm_release(&r);
    tls_track_init(&tr);
    tls_track_feed(&tr, 0, data, len);
    tls_track_feed(&tr, 1, data, len);
    tls_track_established(&tr);
}

static void fuzz_tls_segments(uint8_t mode, const uint8_t *data, size_t len)
{
    struct tls_track tr;
    struct tls_reasm r;
    size_t pos = 0;
    unsigned n = 0;

    tls_reasm_init(&r);
    tls_track_init(&tr);
    while (pos + 3 <= len) {
        uint32_t off = (uint32_t)data[pos] << 8 | data[pos + 1];
        size_t seglen = data[pos + 2];
        uint8_t *seg;
        unsigned dir = (mode & 2) ? (n & 1) : 0;

        pos += 3;
        if (seglen > len - pos)
            seglen = len - pos;
        /* An exact copy, so reading past the segment is caught. */
        seg = malloc(seglen ? seglen : 1);
        if (!seg)
            break;
        memcpy(seg, data + pos, seglen);
        fuzz_tls_add(&r, FUZZ_TLS_ISN + off, seg, seglen);
        if (seglen == 0)
            tls_track_gap(&tr, dir);
        else
            tls_track_feed(&tr, dir, seg, seglen);
        free(seg);
        pos += seglen;
        n++;
    }
    tls_track_established(&tr);
    tls_reasm_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        fuzz_tls_raw(data[0], data + 1, size - 1);
    else
        fuzz_tls_segments(data[0], data + 1, size - 1);
    return 0;
}
