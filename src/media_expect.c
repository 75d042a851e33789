/* Media endpoints announced in SDP: a small open-addressing table keyed by
 * address and port, with the oldest entry replaced when full. */
#include "config.h"

#include "media_expect.h"

#include <stdlib.h>
#include <string.h>

/* Entries live in a dense array, filled in order as announcements
 * arrive, and an open-addressing index of entry numbers points at them.
 * A sparsely used table so touches only the few pages its entries and
 * index need, where slots holding whole entries would each touch a page
 * of their own; and scans read the small index.  The index has the
 * layout a table of whole entries would have, so scans visit entries in
 * the same order. */
/* Matches media_expect_find_call() orders on the stack before it falls
 * back to scanning the whole index. */
#define MEDIA_EXPECT_FIND_SORT 64

struct media_slot {
    uint64_t seq;               /* insertion order, for eviction */
    uint64_t call_hash;         /* of e.call_id, to skip most compares */
    struct media_expect_entry e;
};

struct media_expect {
    struct media_slot *slots;   /* max_entries, dense */
    uint32_t *index;            /* n_slots; 1 + entry number, 0 free */
    uint32_t *free_list;        /* entry numbers given back by eviction */
    size_t n_free;
    size_t n_fresh;             /* entries [0, n_fresh) have been used */
    size_t n_slots;             /* power of two, twice the capacity */
    size_t max_entries;
    size_t count;
    uint64_t next_seq;
};

static uint64_t media_hash(const struct ip_addr *a, uint16_t port)
{
    uint64_t h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < sizeof(a->bytes); i++)
        h = (h ^ a->bytes[i]) * 1099511628211ull;
    h = (h ^ a->family) * 1099511628211ull;
    h = (h ^ port) * 1099511628211ull;
    return h ^ (h >> 29);
}

/* FNV-1a over a Call-ID as strncmp(..., MEDIA_EXPECT_CALL_ID_MAX) sees
 * it: equal prefixes hash equal. */
static uint64_t media_call_hash(const char *call_id)
{
    uint64_t h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < MEDIA_EXPECT_CALL_ID_MAX && call_id[i]; i++)
        h = (h ^ (unsigned char)call_id[i]) * 1099511628211ull;
    return h;
}

struct media_expect *media_expect_new(size_t max_entries)
{
    struct media_expect *me = calloc(1, sizeof(*me));
    size_t n = 16;

    if (!me)
        return NULL;
    if (max_entries == 0)
        max_entries = 1;
    if (max_entries > UINT32_MAX / 4)
        max_entries = UINT32_MAX / 4;
    while (n < 2 * max_entries)
        n *= 2;
    me->slots = calloc(max_entries, sizeof(*me->slots));
    me->index = calloc(n, sizeof(*me->index));
    me->free_list = calloc(max_entries, sizeof(*me->free_list));
    if (!me->slots || !me->index || !me->free_list) {
        media_expect_free(me);
        return NULL;
    }
    me->n_slots = n;
    me->max_entries = max_entries;
    return me;
}

void media_expect_free(struct media_expect *me)
{
    if (!me)
        return;
    free(me->slots);
    free(me->index);
    free(me->free_list);
    free(me);
}

static struct media_slot *media_at(const struct media_expect *me, size_t i)
{
    return &me->slots[me->index[i] - 1];
}

/* The index position of addr:port, or n_slots when absent. */
static size_t media_find(const struct media_expect *me,
                         const struct ip_addr *addr, uint16_t port)
{
    size_t mask = me->n_slots - 1;
    size_t i = (size_t)media_hash(addr, port) & mask;
    size_t probes;

    for (probes = 0; probes < me->n_slots; probes++) {
        const struct media_slot *s;

        if (!me->index[i])
            return me->n_slots;
        s = media_at(me, i);
        if (s->e.port == port && ipaddr_equal(&s->e.addr, addr))
            return i;
        i = (i + 1) & mask;
    }
    return me->n_slots;
}

/* Removes index position i and re-inserts the rest of its probe run, so
 * that lookups never stop early at the hole (linear-probing deletion). */
static void media_remove(struct media_expect *me, size_t i)
{
    size_t mask = me->n_slots - 1;
    size_t j = (i + 1) & mask;

    me->free_list[me->n_free++] = me->index[i] - 1;
    me->index[i] = 0;
    me->count--;
    while (me->index[j]) {
        uint32_t tmp = me->index[j];
        const struct media_slot *s = &me->slots[tmp - 1];
        size_t k = (size_t)media_hash(&s->e.addr, s->e.port) & mask;

        me->index[j] = 0;
        while (me->index[k])
            k = (k + 1) & mask;
        me->index[k] = tmp;
        j = (j + 1) & mask;
    }
}

static void media_evict_oldest(struct media_expect *me)
{
    size_t i, oldest = me->n_slots;

    for (i = 0; i < me->n_slots; i++)
        if (me->index[i] &&
            (oldest == me->n_slots ||
             media_at(me, i)->seq < media_at(me, oldest)->seq))
            oldest = i;
    if (oldest < me->n_slots)
        media_remove(me, oldest);
}

void media_expect_add(struct media_expect *me,
                      const struct media_expect_entry *e)
{
    size_t mask = me->n_slots - 1;
    size_t i = media_find(me, &e->addr, e->port);
    struct media_slot *s;

    if (i == me->n_slots) {
        size_t n;

        /* Eviction scans the index, but only when the table is full,
         * which a capture reaches only with more concurrent calls than
         * the configured capacity. */
        if (me->count >= me->max_entries)
            media_evict_oldest(me);
        /* The entry most recently given back first, else a fresh one:
         * entries stay packed at the start of the array. */
        n = me->n_free ? me->free_list[--me->n_free] : me->n_fresh++;
        i = (size_t)media_hash(&e->addr, e->port) & mask;
        while (me->index[i])
            i = (i + 1) & mask;
        me->index[i] = (uint32_t)n + 1;
        me->count++;
    }
    s = media_at(me, i);
    s->e = *e;
    s->e.call_id[MEDIA_EXPECT_CALL_ID_MAX - 1] = '\0';
    s->call_hash = media_call_hash(s->e.call_id);
    s->seq = me->next_seq++;
}

const struct media_expect_entry *
media_expect_lookup(const struct media_expect *me, const struct ip_addr *addr,
                    uint16_t port, int64_t now_us)
{
    size_t i = media_find(me, addr, port);
    const struct media_slot *s;

    if (i == me->n_slots)
        return NULL;
    s = media_at(me, i);
    if (s->e.ts_us > now_us)
        return NULL;
    return &s->e;
}

/* The whole-index scan, for a call with more entries than
 * media_expect_find_call() sorts on the stack. */
static size_t media_expect_find_call_scan(const struct media_expect *me,
                                          uint64_t h, const char *call_id,
                                          int64_t now_us,
                                          const struct media_expect_entry **out,
                                          size_t max)
{
    size_t i, n = 0;

    for (i = 0; i < me->n_slots; i++) {
        const struct media_slot *s;

        if (!me->index[i])
            continue;
        s = media_at(me, i);
        if (s->call_hash != h || s->e.ts_us > now_us ||
            strncmp(s->e.call_id, call_id, MEDIA_EXPECT_CALL_ID_MAX) != 0)
            continue;
        if (n < max)
            out[n] = &s->e;
        n++;
    }
    return n;
}

size_t media_expect_find_call(const struct media_expect *me,
                              const char *call_id, int64_t now_us,
                              const struct media_expect_entry **out,
                              size_t max)
{
    uint64_t h = media_call_hash(call_id);
    size_t j, n = 0;
    size_t pos[MEDIA_EXPECT_FIND_SORT];

    /* The entries in use are packed in [0, n_fresh), much smaller than
     * the index; a slot given back keeps its old contents, so a match is
     * live only if the index still points at it.  Matches are returned in
     * index order, as a scan of the index would give them (callers break
     * ties between announcements of one SDP by that order). */
    for (j = 0; j < me->n_fresh; j++) {
        const struct media_slot *s = &me->slots[j];
        size_t i, k;

        if (s->call_hash != h || s->e.ts_us > now_us ||
            strncmp(s->e.call_id, call_id, MEDIA_EXPECT_CALL_ID_MAX) != 0)
            continue;
        i = media_find(me, &s->e.addr, s->e.port);
        if (i == me->n_slots || me->index[i] - 1 != j)
            continue;
        if (n >= MEDIA_EXPECT_FIND_SORT)
            return media_expect_find_call_scan(me, h, call_id, now_us, out,
                                               max);
        /* Insertion by index position; a call has a handful of entries. */
        for (k = n; k > 0 && pos[k - 1] > i; k--) {
            pos[k] = pos[k - 1];
            if (k < max)
                out[k] = out[k - 1];
        }
        pos[k] = i;
        if (k < max)
            out[k] = &s->e;
        n++;
    }
    return n;
}

uint32_t media_expect_clock_rate(const struct media_expect_entry *e,
                                 uint8_t pt)
{
    size_t i;

    for (i = 0; i < e->n_pt && i < MEDIA_EXPECT_PT_MAX; i++)
        if (e->pt[i] == pt)
            return e->clock_rate[i];
    return 0;
}

void media_expect_clear(struct media_expect *me)
{
    /* Skipping an empty table keeps its untouched pages out of memory. */
    if (me->count == 0)
        return;
    memset(me->slots, 0, me->n_fresh * sizeof(*me->slots));
    memset(me->index, 0, me->n_slots * sizeof(*me->index));
    me->n_fresh = 0;
    me->n_free = 0;
    me->count = 0;
}
