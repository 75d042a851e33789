/* Following a TLS connection as a byte stream: reassembly of the
 * client's first flight, and a record walker for handshake completion and
 * alerts.  Spec: RFC 8446 section 5.1 (record layer), RFC 5246 7.1 (CCS),
 * RFC 9293 3.4 (sequence numbers). */
#include "config.h"

#include "tls.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define TLS_RECORD_HDR 5
/* A TLSPlaintext fragment is at most 2^14 bytes (RFC 8446 5.1); ciphertext
 * may add up to 2048 bytes of expansion (TLS 1.2). */
#define TLS_RECORD_MAX (16384 + 2048)

/* ------------------------------------------------------------------ */
/* Reassembly */

void tls_reasm_init(struct tls_reasm *r)
{
    memset(r, 0, sizeof(*r));
    r->status = TLS_NEED_MORE;
}

void tls_reasm_start(struct tls_reasm *r, uint32_t first_seq)
{
    r->base_seq = first_seq;
    r->started = true;
}

void tls_reasm_release(struct tls_reasm *r)
{
    if (!r)
        return;
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

/* Grows the buffer to hold end bytes: doubling from 2 KiB (most hellos
 * fit), never past TLS_REASM_CAP. */
static bool tls_reasm_reserve(struct tls_reasm *r, size_t end)
{
    size_t cap = r->cap ? r->cap : 2048;
    uint8_t *p;

    if (end <= r->cap)
        return true;
    while (cap < end)
        cap *= 2;
    if (cap > TLS_REASM_CAP)
        cap = TLS_REASM_CAP;
    p = realloc(r->buf, cap);
    if (!p)
        return false;
    r->buf = p;
    r->cap = cap;
    return true;
}

/* Copies the bytes of [off, end) that no earlier segment supplied. */
static void tls_reasm_fill(struct tls_reasm *r, size_t off, size_t end,
                           const uint8_t *data)
{
    size_t pos = off, i;

    for (i = 0; i < r->n_spans && pos < end; i++) {
        if (r->spans[i].end <= pos)
            continue;
        if (r->spans[i].start >= end)
            break;
        if (r->spans[i].start > pos)
            memcpy(r->buf + pos, data + (pos - off),
                   r->spans[i].start - pos);
        pos = r->spans[i].end;
    }
    if (pos < end)
        memcpy(r->buf + pos, data + (pos - off), end - pos);
}

/* Adds [off, end) to the sorted span list, merging overlapping and
 * touching spans.  False when the result needs more spans than there is
 * room for (too many holes). */
static bool tls_reasm_merge(struct tls_reasm *r, size_t off, size_t end)
{
    size_t s[TLS_REASM_HOLES + 2], e[TLS_REASM_HOLES + 2];
    size_t n_all = 0, n = 0, i, j;

    for (i = 0; i < r->n_spans && r->spans[i].start <= off; i++) {
        s[n_all] = r->spans[i].start;
        e[n_all++] = r->spans[i].end;
    }
    s[n_all] = off;
    e[n_all++] = end;
    for (; i < r->n_spans; i++) {
        s[n_all] = r->spans[i].start;
        e[n_all++] = r->spans[i].end;
    }
    /* In place: entry n - 1 is the span being grown. */
    for (j = 0; j < n_all; j++) {
        if (n > 0 && s[j] <= e[n - 1]) {
            if (e[j] > e[n - 1])
                e[n - 1] = e[j];
            continue;
        }
        s[n] = s[j];
        e[n] = e[j];
        n++;
    }
    if (n > TLS_REASM_HOLES + 1)
        return false;
    for (i = 0; i < n; i++) {
        r->spans[i].start = s[i];
        r->spans[i].end = e[i];
    }
    r->n_spans = n;
    return true;
}

enum tls_status tls_reasm_add(struct tls_reasm *r, uint32_t seq,
                              const uint8_t *data, size_t len,
                              struct tls_client_hello *out)
{
    struct tls_client_hello hello;
    int32_t delta;
    size_t off, end;

    if (r->status != TLS_NEED_MORE || len == 0)
        return r->status;
    if (!r->started)
        tls_reasm_start(r, seq);
    /* Sequence numbers wrap (RFC 9293 3.4): compare by signed distance. */
    delta = (int32_t)(seq - r->base_seq);
    if (delta < 0) {
        size_t before = (size_t)-(int64_t)delta;

        if (before >= len)
            return r->status;   /* all of it precedes byte 0 */
        data += before;
        len -= before;
        delta = 0;
    }
    off = (size_t)delta;
    if (off >= TLS_REASM_CAP) {
        r->status = TLS_GAVE_UP;
        return r->status;
    }
    end = off + len;
    if (end > TLS_REASM_CAP)
        end = TLS_REASM_CAP;
    if (!tls_reasm_reserve(r, end)) {
        r->status = TLS_GAVE_UP;
        return r->status;
    }
    tls_reasm_fill(r, off, end, data);
    if (!tls_reasm_merge(r, off, end)) {
        r->status = TLS_GAVE_UP;
        return r->status;
    }
    if (r->spans[0].start != 0)
        return r->status;
    r->status = tls_parse_client_hello(r->buf, r->spans[0].end, &hello);
    if (r->status == TLS_NEED_MORE && r->spans[0].end >= TLS_REASM_CAP)
        r->status = TLS_GAVE_UP;
    if (r->status == TLS_OK && out)
        *out = hello;
    return r->status;
}

/* ------------------------------------------------------------------ */
/* Record tracking */

void tls_track_init(struct tls_track *t)
{
    memset(t, 0, sizeof(*t));
}

void tls_track_gap(struct tls_track *t, unsigned dir)
{
    if (dir < 2)
        t->dir[dir].lost = true;
}

static void tls_track_record_done(struct tls_track *t, unsigned dir)
{
    struct tls_track_dir *d = &t->dir[dir];

    d->records++;
    switch (d->type) {
    case TLS_CT_CHANGE_CIPHER_SPEC:
        d->ccs = true;
        break;
    case TLS_CT_HANDSHAKE:
        if (d->ccs)
            d->hs_after_ccs = true;
        break;
    case TLS_CT_APPLICATION_DATA:
        d->appdata = true;
        if (d->body_len > TLS_TRACK_ALERT_MAX)
            d->appdata_big = true;
        break;
    case TLS_CT_ALERT:
        /* Plaintext alerts have a 2-byte body; after ChangeCipherSpec
         * they are encrypted and longer. */
        if (d->body_len == 2 && d->alert_have == 2 && !t->alert_seen) {
            t->alert_seen = true;
            t->alert_dir = dir;
            t->alert.level = d->alert[0];
            t->alert.description = d->alert[1];
        }
        break;
    default:
        break;
    }
}

void tls_track_feed(struct tls_track *t, unsigned dir, const uint8_t *data,
                    size_t len)
{
    struct tls_track_dir *d;
    struct cursor c;

    if (dir > 1)
        return;
    d = &t->dir[dir];
    cur_init(&c, data, len);
    while (!d->lost && cur_remaining(&c) > 0) {
        if (d->remaining > 0) {
            size_t n = cur_remaining(&c);

            if (n > d->remaining)
                n = d->remaining;
            while (d->type == TLS_CT_ALERT && d->alert_have < 2 &&
                   d->body_len == 2 && n > 0) {
                cur_get_u8(&c, &d->alert[d->alert_have++]);
                d->remaining--;
                n--;
            }
            cur_skip(&c, n);
            d->remaining -= (uint32_t)n;
            if (d->remaining == 0)
                tls_track_record_done(t, dir);
            continue;
        }
        while (d->hdr_have < TLS_RECORD_HDR &&
               cur_get_u8(&c, &d->hdr[d->hdr_have]))
            d->hdr_have++;
        if (d->hdr_have < TLS_RECORD_HDR)
            break;
        d->hdr_have = 0;
        d->type = d->hdr[0];
        d->body_len = (uint32_t)d->hdr[3] << 8 | d->hdr[4];
        d->remaining = d->body_len;
        d->alert_have = 0;
        /* Content types 20..24 (24: heartbeat), version 3.x, a sane
         * length; anything else means we lost the record boundary. */
        if (d->type < TLS_CT_CHANGE_CIPHER_SPEC || d->type > 24 ||
            d->hdr[1] != 3 || d->body_len > TLS_RECORD_MAX) {
            d->lost = true;
            break;
        }
        if (d->remaining == 0)
            tls_track_record_done(t, dir);
    }
}

bool tls_track_established(const struct tls_track *t)
{
    const struct tls_track_dir *c = &t->dir[0], *s = &t->dir[1];

    if (c->ccs && c->hs_after_ccs && s->ccs && s->hs_after_ccs)
        return true;
    return s->appdata && c->appdata_big;
}
