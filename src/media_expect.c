/* Media endpoints announced in SDP: a small open-addressing table keyed by
 * address and port, with the oldest entry replaced when full. */
#include "config.h"

#include "media_expect.h"

#include <stdlib.h>
#include <string.h>

struct media_slot {
    bool used;
    uint64_t seq;               /* insertion order, for eviction */
    struct media_expect_entry e;
};

struct media_expect {
    struct media_slot *slots;
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

struct media_expect *media_expect_new(size_t max_entries)
{
    struct media_expect *me = calloc(1, sizeof(*me));
    size_t n = 16;

    if (!me)
        return NULL;
    if (max_entries == 0)
        max_entries = 1;
    while (n < 2 * max_entries)
        n *= 2;
    me->slots = calloc(n, sizeof(*me->slots));
    if (!me->slots) {
        free(me);
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
    free(me);
}

static struct media_slot *media_find(const struct media_expect *me,
                                     const struct ip_addr *addr,
                                     uint16_t port)
{
    size_t mask = me->n_slots - 1;
    size_t i = (size_t)media_hash(addr, port) & mask;
    size_t probes;

    for (probes = 0; probes < me->n_slots; probes++) {
        struct media_slot *s = &me->slots[i];

        if (!s->used)
            return NULL;
        if (s->e.port == port && ipaddr_equal(&s->e.addr, addr))
            return s;
        i = (i + 1) & mask;
    }
    return NULL;
}

/* Removes slot i and re-inserts the entries of its probe run, so that
 * lookups never stop early at the hole (linear-probing deletion). */
static void media_remove(struct media_expect *me, size_t i)
{
    size_t mask = me->n_slots - 1;
    size_t j = (i + 1) & mask;

    me->slots[i].used = false;
    me->count--;
    while (me->slots[j].used) {
        struct media_slot tmp = me->slots[j];
        size_t k = (size_t)media_hash(&tmp.e.addr, tmp.e.port) & mask;

        me->slots[j].used = false;
        while (me->slots[k].used)
            k = (k + 1) & mask;
        me->slots[k] = tmp;
        j = (j + 1) & mask;
    }
}

static void media_evict_oldest(struct media_expect *me)
{
    size_t i, oldest = me->n_slots;

    for (i = 0; i < me->n_slots; i++)
        if (me->slots[i].used &&
            (oldest == me->n_slots ||
             me->slots[i].seq < me->slots[oldest].seq))
            oldest = i;
    if (oldest < me->n_slots)
        media_remove(me, oldest);
}

void media_expect_add(struct media_expect *me,
                      const struct media_expect_entry *e)
{
    struct media_slot *s = media_find(me, &e->addr, e->port);
    size_t mask = me->n_slots - 1;
    size_t i;

    if (!s) {
        /* Eviction scans the table, but only when it is full, which a
         * capture reaches only with more concurrent calls than the
         * configured capacity. */
        if (me->count >= me->max_entries)
            media_evict_oldest(me);
        i = (size_t)media_hash(&e->addr, e->port) & mask;
        while (me->slots[i].used)
            i = (i + 1) & mask;
        s = &me->slots[i];
        s->used = true;
        me->count++;
    }
    s->e = *e;
    s->e.call_id[MEDIA_EXPECT_CALL_ID_MAX - 1] = '\0';
    s->seq = me->next_seq++;
}

const struct media_expect_entry *
media_expect_lookup(const struct media_expect *me, const struct ip_addr *addr,
                    uint16_t port, int64_t now_us)
{
    const struct media_slot *s = media_find(me, addr, port);

    if (!s || s->e.ts_us > now_us)
        return NULL;
    return &s->e;
}

size_t media_expect_find_call(const struct media_expect *me,
                              const char *call_id, int64_t now_us,
                              const struct media_expect_entry **out,
                              size_t max)
{
    size_t i, n = 0;

    for (i = 0; i < me->n_slots; i++) {
        const struct media_slot *s = &me->slots[i];

        if (!s->used || s->e.ts_us > now_us ||
            strncmp(s->e.call_id, call_id, MEDIA_EXPECT_CALL_ID_MAX) != 0)
            continue;
        if (n < max)
            out[n] = &s->e;
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
    memset(me->slots, 0, me->n_slots * sizeof(*me->slots));
    me->count = 0;
}
