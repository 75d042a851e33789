/* Reader threads for the threaded pipeline: capture, copy and decode in
 * batches (pkt_feed.h).
 *
 * Each batch owns a fixed arena.  A frame is copied into it before it is
 * decoded, so every pointer decode_packet() leaves in struct decoded
 * points into the frame's copy; the one exception, the payload of a
 * datagram rebuilt from fragments (which lives in the decoder's buffer
 * until its next call), is copied into the arena after the frame and the
 * pointer moved there.  Batches circulate between a free queue and a full
 * queue (batch_queue.h), so memory is bounded and a slow analysis holds
 * the readers back instead of piling packets up. */
#include "config.h"

#include "pkt_feed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch_queue.h"

/* Room for a full batch of typical frames; a frame larger than what is
 * left starts a new batch.  The largest frame (snaplen 262144) plus the
 * largest rebuilt datagram (65535 bytes) always fits an empty arena. */
#define PKT_FEED_ARENA_BYTES (1024 * 1024)
#define PKT_FEED_REASM_MAX 65536

struct feed_slot {
    struct pkt pkt;
    struct decoded d;
    enum decode_status ds;
};

struct feed_batch {
    size_t n;
    size_t used;                /* arena bytes */
    enum capture_status end;    /* CAPTURE_PACKET: more to come from this
                                   reader; END or ERROR: its last batch */
    char error[512];
    struct feed_slot slot[PKT_FEED_BATCH_PACKETS];
    uint8_t *arena;
};

struct feed_reader {
    struct pkt_feed *feed;
    struct capture *cap;
    struct decoder *decoder;
    pthread_t thread;
    bool started;
};

struct pkt_feed {
    struct batch_queue *free_q;
    struct batch_queue *full_q;
    struct feed_batch **batches;
    size_t n_batches;
    struct feed_reader *readers;
    size_t n_readers;
    atomic_bool stop;
    bool stopped;
    uint64_t limit;             /* packets to read in all; 0 no limit */
    atomic_uint_fast64_t taken; /* packets the readers took so far */

    /* The analysis thread's side. */
    struct feed_batch *cur;
    size_t cur_i;
    size_t readers_ended;
    char error[512];
};

static int64_t feed_monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void feed_batch_reset(struct feed_batch *b)
{
    b->n = 0;
    b->used = 0;
    b->end = CAPTURE_PACKET;
    b->error[0] = '\0';
}

/* Copies one frame into b and decodes it there.  The caller made sure
 * the frame and a rebuilt datagram fit. */
static void feed_add(struct feed_batch *b, struct decoder *dec,
                     const struct pkt *in)
{
    struct feed_slot *s = &b->slot[b->n++];
    uint8_t *frame = b->arena + b->used;
    const uint8_t *p;

    memcpy(frame, in->data, in->caplen);
    b->used += in->caplen;
    s->pkt = *in;
    s->pkt.data = frame;
    s->ds = decode_packet(dec, &s->pkt, &s->d);
    p = s->d.payload;
    if (s->d.payload_len > 0 &&
        (p < frame || p + s->d.payload_len > frame + in->caplen)) {
        uint8_t *copy = b->arena + b->used;

        memcpy(copy, p, s->d.payload_len);
        b->used += s->d.payload_len;
        s->d.payload = copy;
    }
}

static bool feed_has_room(const struct feed_batch *b, uint32_t caplen)
{
    return b->n < PKT_FEED_BATCH_PACKETS &&
           PKT_FEED_ARENA_BYTES - b->used >=
               (size_t)caplen + PKT_FEED_REASM_MAX;
}

/* Hands b to the analysis and takes an empty batch; NULL when stopped. */
static struct feed_batch *feed_hand_over(struct pkt_feed *f,
                                         struct feed_batch *b)
{
    if (batch_queue_push(f->full_q, b) != 0)
        return NULL;
    /* Reading usually runs ahead of the analysis: wait for half the
     * batches to come back rather than waking for each one. */
    b = batch_queue_pop_lazy(f->free_q, PKT_FEED_BATCHES_PER_READER / 2);
    if (b)
        feed_batch_reset(b);
    return b;
}

static void *feed_reader_main(void *arg)
{
    struct feed_reader *r = arg;
    struct pkt_feed *f = r->feed;
    bool live = capture_is_live(r->cap);
    struct feed_batch *b;
    int64_t first_ms = 0;
    struct pkt pkt;

    b = batch_queue_pop(f->free_q, -1, NULL);
    if (!b)
        return NULL;
    feed_batch_reset(b);
    for (;;) {
        enum capture_status st;

        if (atomic_load_explicit(&f->stop, memory_order_relaxed)) {
            /* Nobody waits for this batch any more. */
            batch_queue_push(f->free_q, b);
            return NULL;
        }
        st = capture_next(r->cap, &pkt);
        if (st == CAPTURE_PACKET && f->limit &&
            atomic_fetch_add(&f->taken, 1) >= f->limit)
            st = CAPTURE_END;
        if (st == CAPTURE_END || st == CAPTURE_ERROR) {
            b->end = st;
            if (st == CAPTURE_ERROR)
                snprintf(b->error, sizeof(b->error), "%s",
                         capture_error(r->cap));
            if (batch_queue_push(f->full_q, b) != 0)
                batch_queue_push(f->free_q, b);
            return NULL;
        }
        if (st == CAPTURE_PACKET) {
            if (pkt.caplen > PKT_FEED_ARENA_BYTES - PKT_FEED_REASM_MAX)
                pkt.caplen = PKT_FEED_ARENA_BYTES - PKT_FEED_REASM_MAX;
            if (!feed_has_room(b, pkt.caplen)) {
                b = feed_hand_over(f, b);
                if (!b)
                    return NULL;
            }
            if (b->n == 0 && live)
                first_ms = feed_monotonic_ms();
            feed_add(b, r->decoder, &pkt);
        }
        if (live && b->n > 0 &&
            (st == CAPTURE_TIMEOUT ||
             feed_monotonic_ms() - first_ms >= PKT_FEED_LIVE_WAIT_MS)) {
            b = feed_hand_over(f, b);
            if (!b)
                return NULL;
        }
    }
}

static void feed_release(struct pkt_feed *f)
{
    size_t i;

    for (i = 0; i < f->n_readers; i++)
        decoder_free(f->readers[i].decoder);
    free(f->readers);
    for (i = 0; i < f->n_batches; i++) {
        if (f->batches[i])
            free(f->batches[i]->arena);
        free(f->batches[i]);
    }
    free(f->batches);
    batch_queue_free(f->free_q);
    batch_queue_free(f->full_q);
    free(f);
}

struct pkt_feed *pkt_feed_start(struct capture *const *caps, size_t n_caps,
                                const struct decoder_config *dcfg,
                                uint64_t limit, char *err, size_t errlen)
{
    struct pkt_feed *f = calloc(1, sizeof(*f));
    size_t i;

    if (!f || n_caps == 0)
        goto oom;
    atomic_init(&f->stop, false);
    atomic_init(&f->taken, 0);
    f->limit = limit;
    f->n_batches = PKT_FEED_BATCHES_PER_READER * n_caps;
    f->batches = calloc(f->n_batches, sizeof(*f->batches));
    f->readers = calloc(n_caps, sizeof(*f->readers));
    f->free_q = batch_queue_new(f->n_batches);
    f->full_q = batch_queue_new(f->n_batches);
    if (!f->batches || !f->readers || !f->free_q || !f->full_q)
        goto oom;
    for (i = 0; i < f->n_batches; i++) {
        f->batches[i] = calloc(1, sizeof(struct feed_batch));
        if (!f->batches[i])
            goto oom;
        f->batches[i]->arena = malloc(PKT_FEED_ARENA_BYTES);
        if (!f->batches[i]->arena)
            goto oom;
        batch_queue_push(f->free_q, f->batches[i]);
    }
    f->n_readers = n_caps;
    for (i = 0; i < n_caps; i++) {
        f->readers[i].feed = f;
        f->readers[i].cap = caps[i];
        f->readers[i].decoder = decoder_new(dcfg);
        if (!f->readers[i].decoder)
            goto oom;
    }
    for (i = 0; i < n_caps; i++) {
        if (pthread_create(&f->readers[i].thread, NULL, feed_reader_main,
                           &f->readers[i]) != 0) {
            snprintf(err, errlen, "cannot start a reader thread");
            pkt_feed_free(f);
            return NULL;
        }
        f->readers[i].started = true;
    }
    return f;
oom:
    snprintf(err, errlen, "out of memory setting up the reader threads");
    if (f)
        feed_release(f);
    return NULL;
}

enum capture_status pkt_feed_next(struct pkt_feed *f, int timeout_ms,
                                  struct pkt *pkt, struct decoded *d,
                                  enum decode_status *ds,
                                  const char **error)
{
    for (;;) {
        struct feed_batch *b = f->cur;
        bool timed_out;

        if (b && f->cur_i < b->n) {
            const struct feed_slot *s = &b->slot[f->cur_i++];

            *pkt = s->pkt;
            pkt->num = 0;
            *d = s->d;
            *ds = s->ds;
            return CAPTURE_PACKET;
        }
        if (b) {
            enum capture_status end = b->end;

            if (end == CAPTURE_ERROR)
                snprintf(f->error, sizeof(f->error), "%s", b->error);
            f->cur = NULL;
            batch_queue_push(f->free_q, b);
            if (end == CAPTURE_ERROR) {
                *error = f->error;
                return CAPTURE_ERROR;
            }
            if (end == CAPTURE_END && ++f->readers_ended == f->n_readers)
                return CAPTURE_END;
        }
        if (f->readers_ended == f->n_readers || f->stopped)
            return CAPTURE_END;
        b = batch_queue_pop(f->full_q, timeout_ms, &timed_out);
        if (!b)
            return timed_out ? CAPTURE_TIMEOUT : CAPTURE_END;
        f->cur = b;
        f->cur_i = 0;
    }
}

void pkt_feed_stop(struct pkt_feed *f)
{
    size_t i;

    if (f->stopped)
        return;
    atomic_store(&f->stop, true);
    batch_queue_close(f->free_q);
    batch_queue_close(f->full_q);
    for (i = 0; i < f->n_readers; i++) {
        /* A reader notices the flag within one live poll interval;
         * the closed queues wake it if it waits for a batch. */
        if (f->readers[i].started)
            pthread_join(f->readers[i].thread, NULL);
    }
    f->stopped = true;
}

void pkt_feed_get_decode_stats(const struct pkt_feed *f,
                               struct decode_stats *out)
{
    size_t i, k;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < f->n_readers; i++) {
        struct decode_stats s;

        decoder_get_stats(f->readers[i].decoder, &s);
        for (k = 0; k < DECODE_ANOM_COUNT; k++)
            out->anomalies[k] += s.anomalies[k];
    }
}

void pkt_feed_free(struct pkt_feed *f)
{
    if (!f)
        return;
    pkt_feed_stop(f);
    feed_release(f);
}
