/* SIP over TCP: sequence-ordered reassembly of one direction and framing
 * into messages.  Spec: RFC 3261 section 18.3 (framing by
 * Content-Length), RFC 9293 section 3.4 (sequence numbers, modulo 2^32),
 * RFC 5626 section 3.5.1 (CRLF keep-alives). */
#include "config.h"

#include "sip_stream.h"

#include <stdlib.h>
#include <string.h>

/* The buffer starts this small and doubles up to max_bytes: most SIP
 * messages are 1-4 KiB. */
#define SIP_STREAM_INITIAL_CAP 4096
#define SIP_STREAM_MIN_MAX 1024

struct sip_stream_held {
    uint32_t seq;
    size_t len;
    uint8_t *data;
};

struct sip_stream {
    size_t max_bytes;
    bool synced;
    uint32_t next_seq;          /* of the next byte expected */
    uint8_t *buf;
    size_t cap;
    size_t start;               /* unread data is buf[start, start + len) */
    size_t len;
    bool resync;                /* after a unit that did not fit: skip
                                   to a segment that starts like SIP */
    struct sip_stream_held held[SIP_STREAM_MAX_HELD];
    size_t n_held;
    size_t held_bytes;
    struct sip_stream_stats st;
};

/* Sequence comparison modulo 2^32 (RFC 9293 section 3.4): negative when
 * a comes before b. */
static int64_t seq_diff(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;

    return d < 0x80000000u ? (int64_t)d : (int64_t)d - 0x100000000LL;
}

struct sip_stream *sip_stream_new(size_t max_bytes)
{
    struct sip_stream *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->max_bytes = max_bytes < SIP_STREAM_MIN_MAX ? SIP_STREAM_MIN_MAX :
                                                    max_bytes;
    return s;
}

void sip_stream_free(struct sip_stream *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_held; i++)
        free(s->held[i].data);
    free(s->buf);
    free(s);
}

void sip_stream_begin(struct sip_stream *s, uint32_t seq)
{
    if (s->synced)
        return;
    s->synced = true;
    s->next_seq = seq;
}

/* Room for n more bytes after the unread ones; false when the unit
 * would pass the bound or memory is short. */
static bool stream_reserve(struct sip_stream *s, size_t n)
{
    size_t need, cap;
    uint8_t *p;

    if (s->start > 0) {
        if (s->len > 0)
            memmove(s->buf, s->buf + s->start, s->len);
        s->start = 0;
    }
    if (n > s->max_bytes - s->len) {
        s->st.overflows++;
        return false;
    }
    need = s->len + n;
    if (need <= s->cap)
        return true;
    cap = s->cap ? s->cap : SIP_STREAM_INITIAL_CAP;
    while (cap < need)
        cap *= 2;
    if (cap > s->max_bytes)
        cap = s->max_bytes;
    p = realloc(s->buf, cap);
    if (!p) {
        s->st.alloc_failures++;
        return false;
    }
    s->buf = p;
    s->cap = cap;
    return true;
}

/* Appends in-order bytes.  When they do not fit, the unit being built
 * can never complete: it is dropped, and so is what follows until a
 * segment starts like SIP (senders write whole messages, so a new one
 * usually starts a segment).  The sequence number moves on either
 * way. */
static void stream_append(struct sip_stream *s, const uint8_t *data,
                          size_t n)
{
    s->next_seq += (uint32_t)n;
    if (s->resync) {
        if (!sip_looks_like(data, n)) {
            s->st.skipped_bytes += n;
            return;
        }
        s->resync = false;
    }
    if (!stream_reserve(s, n)) {
        s->st.skipped_bytes += s->len;
        s->len = 0;
        s->start = 0;
        if (!sip_looks_like(data, n) || !stream_reserve(s, n)) {
            s->st.skipped_bytes += n;
            s->resync = true;
            return;
        }
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
}

static void held_remove(struct sip_stream *s, size_t i)
{
    s->held_bytes -= s->held[i].len;
    free(s->held[i].data);
    s->held[i] = s->held[s->n_held - 1];
    s->n_held--;
}

/* Appends every held segment that now touches the expected sequence
 * number, in order, dropping what was already seen. */
static void stream_drain_held(struct sip_stream *s)
{
    bool progress = true;

    while (progress && s->n_held > 0) {
        size_t i;

        progress = false;
        for (i = 0; i < s->n_held; i++) {
            struct sip_stream_held *h = &s->held[i];
            int64_t d = seq_diff(h->seq, s->next_seq);

            if (d > 0)
                continue;
            if (d + (int64_t)h->len > 0) {
                size_t skip = (size_t)-d;

                s->st.dup_bytes += skip;
                stream_append(s, h->data + skip, h->len - skip);
            } else {
                s->st.dup_bytes += h->len;
            }
            held_remove(s, i);
            progress = true;
            break;
        }
    }
}

/* The bytes before the first held segment will not come: drop the
 * partial unit and continue from that segment. */
static void stream_give_up_gap(struct sip_stream *s)
{
    size_t i, lowest = 0;

    if (s->n_held == 0)
        return;
    for (i = 1; i < s->n_held; i++)
        if (seq_diff(s->held[i].seq, s->held[lowest].seq) < 0)
            lowest = i;
    s->st.gaps++;
    s->len = 0;
    s->start = 0;
    s->next_seq = s->held[lowest].seq;
    stream_drain_held(s);
}

/* Keeps a copy of a segment that arrived ahead of a gap. */
static void stream_hold(struct sip_stream *s, uint32_t seq,
                        const uint8_t *data, size_t len)
{
    struct sip_stream_held *h;

    s->st.held_segments++;
    if (len > s->max_bytes) {
        s->st.overflows++;
        return;
    }
    while (s->n_held > 0 && (s->n_held == SIP_STREAM_MAX_HELD ||
                             s->held_bytes + len > s->max_bytes))
        stream_give_up_gap(s);
    h = &s->held[s->n_held];
    h->data = malloc(len);
    if (!h->data) {
        s->st.alloc_failures++;
        return;
    }
    memcpy(h->data, data, len);
    h->seq = seq;
    h->len = len;
    s->n_held++;
    s->held_bytes += len;
}

void sip_stream_segment(struct sip_stream *s, uint32_t seq,
                        const uint8_t *data, size_t len)
{
    int64_t d;

    if (len == 0)
        return;
    s->st.segments++;
    if (!s->synced) {
        s->synced = true;
        s->next_seq = seq;
    }
    d = seq_diff(seq, s->next_seq);
    if (d + (int64_t)len <= 0) {
        s->st.dup_bytes += len;
        return;
    }
    if (d > 0) {
        stream_hold(s, seq, data, len);
        /* Giving up a gap may have made this segment the next one. */
        stream_drain_held(s);
        return;
    }
    if (d < 0) {
        size_t skip = (size_t)-d;

        s->st.dup_bytes += skip;
        data += skip;
        len -= skip;
    }
    stream_append(s, data, len);
    stream_drain_held(s);
}

enum sip_frame_status sip_stream_next(struct sip_stream *s,
                                      const uint8_t **unit, size_t *len)
{
    enum sip_frame_status st;
    size_t n = 0;

    *unit = NULL;
    *len = 0;
    if (s->len == 0)
        return SIP_FRAME_NEED_MORE;
    st = sip_frame(s->buf + s->start, s->len, &n);
    if (st == SIP_FRAME_NEED_MORE)
        return st;
    if (n == 0 || n > s->len)
        n = s->len;     /* sip_frame promises 1..len; stay safe anyway */
    *unit = s->buf + s->start;
    *len = n;
    s->start += n;
    s->len -= n;
    if (s->len == 0)
        s->start = 0;
    if (st == SIP_FRAME_MESSAGE)
        s->st.messages++;
    else if (st == SIP_FRAME_PING || st == SIP_FRAME_PONG)
        s->st.keepalives++;
    else
        s->st.skipped_bytes += n;
    return st;
}

size_t sip_stream_pending(const struct sip_stream *s)
{
    return s->len;
}

void sip_stream_get_stats(const struct sip_stream *s,
                          struct sip_stream_stats *out)
{
    *out = s->st;
}
