/* The writer thread of the threaded pipeline (record_writer.h).
 *
 * A batch is an arena plus a list of items.  Each record kind has an entry
 * in record_layouts[]: its struct size and the offsets of its string
 * members, which are copied into the arena after the struct and
 * re-pointed there.  A record type that gains a string member must gain
 * its offset here too, or the writer would hand the sinks a pointer into
 * the analysis thread's memory. */
#include "config.h"

#include "record_writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_queue.h"
#include "compliance.h"
#include "dns_record.h"
#include "finding.h"
#include "media_record.h"
#include "sip_record.h"
#include "tcp_record.h"

#define RECORD_WRITER_ARENA_BYTES (512 * 1024)
#define RECORD_WRITER_BATCHES 8
#define RECORD_WRITER_MAX_STRINGS 24

struct record_layout {
    size_t size;
    size_t n_strings;
    size_t strings[RECORD_WRITER_MAX_STRINGS];
};

#define STR(type, member) offsetof(struct type, member)

static const struct record_layout record_layouts[RECORD_KIND_COUNT] = {
    [RECORD_FINDING] = {
        sizeof(struct finding), 2,
        { STR(finding, kind), STR(finding, requirement) } },
    [RECORD_SIP_MESSAGE] = {
        sizeof(struct sip_message_record), 20,
        { STR(sip_message_record, transport),
          STR(sip_message_record, call_id),
          STR(sip_message_record, cseq_method),
          STR(sip_message_record, method),
          STR(sip_message_record, reason),
          STR(sip_message_record, request_uri),
          STR(sip_message_record, from_uri),
          STR(sip_message_record, from_tag),
          STR(sip_message_record, to_uri),
          STR(sip_message_record, to_tag),
          STR(sip_message_record, via_branch),
          STR(sip_message_record, via),
          STR(sip_message_record, via_received),
          STR(sip_message_record, contact),
          STR(sip_message_record, user_agent),
          STR(sip_message_record, server),
          STR(sip_message_record, sdp_o),
          STR(sip_message_record, sdp_c),
          STR(sip_message_record, sdp_m),
          STR(sip_message_record, malformed) } },
    [RECORD_CALL] = {
        sizeof(struct call_record), 8,
        { STR(call_record, call_id), STR(call_record, state),
          STR(call_record, first_method), STR(call_record, from_uri),
          STR(call_record, to_uri), STR(call_record, from_tag),
          STR(call_record, to_tag), STR(call_record, end_reason) } },
    [RECORD_TCP_FLAG] = { sizeof(struct tcp_flag_record), 0, { 0 } },
    [RECORD_DNS] = {
        sizeof(struct dns_record), 5,
        { STR(dns_record, transport), STR(dns_record, query_name),
          STR(dns_record, query_type), STR(dns_record, rcode),
          STR(dns_record, answers) } },
    [RECORD_VERDICT] = {
        sizeof(struct verdict_record), 7,
        { STR(verdict_record, requirement), STR(verdict_record, set_name),
          STR(verdict_record, severity), STR(verdict_record, check),
          STR(verdict_record, summary), STR(verdict_record, evidence),
          STR(verdict_record, fix) } },
    [RECORD_RTP_STREAM] = {
        sizeof(struct rtp_stream_record), 4,
        { STR(rtp_stream_record, call_id),
          STR(rtp_stream_record, payload_types),
          STR(rtp_stream_record, encoding), STR(rtp_stream_record, dscp) } },
    [RECORD_STUN_MAPPING] = {
        sizeof(struct stun_mapping_record), 2,
        { STR(stun_mapping_record, attribute),
          STR(stun_mapping_record, address_kind) } },
    [RECORD_RTP_SAMPLE] = { sizeof(struct rtp_sample_record), 0, { 0 } },
};

#undef STR

enum item_what {
    ITEM_FLOW,
    ITEM_RECORD,
    ITEM_FLUSH,
};

struct item {
    enum item_what what;
    enum record_kind kind;
    size_t off;                 /* of the copy in the arena */
};

struct write_batch {
    uint64_t seq;
    size_t n;
    struct item items[RECORD_WRITER_BATCH_ITEMS];
    size_t used;
    size_t cap;
    unsigned char *arena;       /* never moved while items point into it */
};

struct record_writer {
    const struct sink *sinks;
    size_t n_sinks;
    struct capture_meta meta;   /* the writer thread's; see set_meta */

    struct batch_queue *free_q;
    struct batch_queue *full_q;
    struct write_batch *batches[RECORD_WRITER_BATCHES];
    pthread_t thread;
    bool started;
    atomic_bool failed;

    /* The analysis thread's side. */
    struct write_batch *cur;
    uint64_t next_seq;

    /* Progress, for record_writer_sync(). */
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    uint64_t done_seq;          /* every batch up to this one written */
};

static void writer_call_sinks(struct record_writer *w,
                              const struct write_batch *b)
{
    size_t i, k;

    for (i = 0; i < b->n; i++) {
        const struct item *it = &b->items[i];
        const void *obj = b->arena + it->off;

        for (k = 0; k < w->n_sinks; k++) {
            const struct sink *s = &w->sinks[k];
            int rc = 0;

            if (it->what == ITEM_FLOW && s->ops->flow)
                rc = s->ops->flow(s->self, &w->meta, obj);
            else if (it->what == ITEM_RECORD && s->ops->record)
                rc = s->ops->record(s->self, &w->meta, it->kind, obj);
            else if (it->what == ITEM_FLUSH && s->ops->flush)
                rc = s->ops->flush(s->self);
            if (rc != 0)
                atomic_store(&w->failed, true);
        }
    }
}

static void *writer_main(void *arg)
{
    struct record_writer *w = arg;
    struct write_batch *b;

    while ((b = batch_queue_pop(w->full_q, -1, NULL)) != NULL) {
        uint64_t seq = b->seq;

        writer_call_sinks(w, b);
        b->n = 0;
        b->used = 0;
        batch_queue_push(w->free_q, b);
        pthread_mutex_lock(&w->lock);
        w->done_seq = seq;
        pthread_cond_broadcast(&w->done_cond);
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

/* Hands the current batch over (if it holds anything). */
static void writer_hand_over(struct record_writer *w)
{
    if (!w->cur || w->cur->n == 0)
        return;
    w->cur->seq = ++w->next_seq;
    batch_queue_push(w->full_q, w->cur);
    w->cur = NULL;
}

/* Room for one more item of `bytes` arena bytes; NULL when a copy that
 * large cannot be made (counted as a failure). */
static struct write_batch *writer_room(struct record_writer *w, size_t bytes)
{
    struct write_batch *b = w->cur;

    if (b && (b->n == RECORD_WRITER_BATCH_ITEMS || b->cap - b->used < bytes))
        writer_hand_over(w);
    if (!w->cur)
        w->cur = batch_queue_pop(w->free_q, -1, NULL);
    b = w->cur;
    if (b->cap - b->used < bytes) {
        /* Empty, yet too small: a record larger than any seen before.
         * Nothing points into the arena yet, so it may move. */
        unsigned char *bigger = realloc(b->arena, bytes);

        if (!bigger) {
            atomic_store(&w->failed, true);
            return NULL;
        }
        b->arena = bigger;
        b->cap = bytes;
    }
    return b;
}

static size_t align16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

void record_writer_flow(struct record_writer *w, const struct flow *f)
{
    struct write_batch *b = writer_room(w, align16(sizeof(*f)));
    struct flow *copy;

    if (!b)
        return;
    copy = (struct flow *)(void *)(b->arena + b->used);
    *copy = *f;
    copy->ext = NULL;
    b->items[b->n].what = ITEM_FLOW;
    b->items[b->n].kind = RECORD_KIND_COUNT;
    b->items[b->n].off = b->used;
    b->n++;
    b->used += align16(sizeof(*f));
}

void record_writer_record(struct record_writer *w, enum record_kind kind,
                          const void *rec)
{
    const struct record_layout *l = &record_layouts[kind];
    const struct sip_message_record *sip = rec;
    size_t bytes = align16(l->size), i;
    struct write_batch *b;
    unsigned char *base;

    for (i = 0; i < l->n_strings; i++) {
        const char *s;

        memcpy(&s, (const unsigned char *)rec + l->strings[i], sizeof(s));
        if (s)
            bytes += strlen(s) + 1;
    }
    if (kind == RECORD_SIP_MESSAGE && sip->raw)
        bytes += sip->raw_len;
    b = writer_room(w, align16(bytes));
    if (!b)
        return;
    base = b->arena + b->used;
    memcpy(base, rec, l->size);
    bytes = align16(l->size);
    for (i = 0; i < l->n_strings; i++) {
        const char *s;
        char *copy;
        size_t len;

        memcpy(&s, (const unsigned char *)rec + l->strings[i], sizeof(s));
        if (!s)
            continue;
        len = strlen(s) + 1;
        copy = (char *)base + bytes;
        memcpy(copy, s, len);
        bytes += len;
        memcpy(base + l->strings[i], &copy, sizeof(copy));
    }
    if (kind == RECORD_SIP_MESSAGE && sip->raw) {
        struct sip_message_record *c = (struct sip_message_record *)
                                           (void *)base;

        memcpy(base + bytes, sip->raw, sip->raw_len);
        c->raw = (const char *)base + bytes;
        bytes += sip->raw_len;
    }
    b->items[b->n].what = ITEM_RECORD;
    b->items[b->n].kind = kind;
    b->items[b->n].off = b->used;
    b->n++;
    b->used += align16(bytes);
}

void record_writer_flush(struct record_writer *w)
{
    struct write_batch *b = writer_room(w, 0);

    if (!b)
        return;
    b->items[b->n].what = ITEM_FLUSH;
    b->items[b->n].kind = RECORD_KIND_COUNT;
    b->items[b->n].off = 0;
    b->n++;
}

void record_writer_sync(struct record_writer *w)
{
    uint64_t want;

    writer_hand_over(w);
    want = w->next_seq;
    pthread_mutex_lock(&w->lock);
    while (w->done_seq < want)
        pthread_cond_wait(&w->done_cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void record_writer_set_meta(struct record_writer *w,
                            const struct capture_meta *meta)
{
    w->meta = *meta;
}

bool record_writer_failed(const struct record_writer *w)
{
    return atomic_load_explicit(&w->failed, memory_order_relaxed);
}

static void writer_release(struct record_writer *w)
{
    size_t i;

    for (i = 0; i < RECORD_WRITER_BATCHES; i++) {
        if (w->batches[i])
            free(w->batches[i]->arena);
        free(w->batches[i]);
    }
    batch_queue_free(w->free_q);
    batch_queue_free(w->full_q);
    free(w);
}

struct record_writer *record_writer_start(const struct sink *sinks,
                                          size_t n, char *err,
                                          size_t errlen)
{
    struct record_writer *w;
    size_t i;

    /* A record kind added to sink.h without a layout here would be copied
     * as zero bytes; refuse to start rather than hand sinks garbage. */
    for (i = 0; i < RECORD_KIND_COUNT; i++) {
        if (record_layouts[i].size == 0) {
            snprintf(err, errlen, "record kind %zu has no layout in the "
                     "writer thread", i);
            return NULL;
        }
    }
    w = calloc(1, sizeof(*w));
    if (!w)
        goto oom;
    w->sinks = sinks;
    w->n_sinks = n;
    atomic_init(&w->failed, false);
    w->free_q = batch_queue_new(RECORD_WRITER_BATCHES);
    w->full_q = batch_queue_new(RECORD_WRITER_BATCHES);
    if (!w->free_q || !w->full_q)
        goto oom;
    for (i = 0; i < RECORD_WRITER_BATCHES; i++) {
        w->batches[i] = calloc(1, sizeof(struct write_batch));
        if (!w->batches[i])
            goto oom;
        w->batches[i]->arena = malloc(RECORD_WRITER_ARENA_BYTES);
        if (!w->batches[i]->arena)
            goto oom;
        w->batches[i]->cap = RECORD_WRITER_ARENA_BYTES;
        batch_queue_push(w->free_q, w->batches[i]);
    }
    if (pthread_mutex_init(&w->lock, NULL) != 0)
        goto oom;
    if (pthread_cond_init(&w->done_cond, NULL) != 0) {
        pthread_mutex_destroy(&w->lock);
        goto oom;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_cond_destroy(&w->done_cond);
        pthread_mutex_destroy(&w->lock);
        snprintf(err, errlen, "cannot start the writer thread");
        writer_release(w);
        return NULL;
    }
    w->started = true;
    return w;
oom:
    snprintf(err, errlen, "out of memory setting up the writer thread");
    if (w)
        writer_release(w);
    return NULL;
}

void record_writer_free(struct record_writer *w)
{
    if (!w)
        return;
    record_writer_sync(w);
    batch_queue_close(w->full_q);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done_cond);
    pthread_mutex_destroy(&w->lock);
    writer_release(w);
}
