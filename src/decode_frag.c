/* IPv4 and IPv6 fragment reassembly, bounded in datagrams, bytes and time.
 *
 * Specs: RFC 791 section 3.2 and RFC 815 (IPv4 reassembly), RFC 8200
 * section 4.5 (IPv6), RFC 5722 (overlapping IPv6 fragments).
 *
 * A datagram is keyed by (source, destination, identification, protocol,
 * IP version, VLAN).  Policy, chosen to match what a modern receiver does
 * (Linux since 4.19 for both IP versions; RFC 5722 for IPv6), so that the
 * analyzer sees what the host saw:
 * - A fragment that repeats bytes already held with the same content (a
 *   duplicate from a span port or a retransmission) changes nothing; its
 *   frame still counts towards the datagram's frames and bytes.
 * - Any other overlap, or fragments that disagree on where the datagram
 *   ends, drops the whole datagram (frag_overlap).  Later fragments of it
 *   start a new datagram that can only time out.
 * - A datagram longer than 65535 bytes (IPv4 total length; IPv6 payload
 *   length) is dropped (frag_too_big).
 * - Limits: at most frag_max_datagrams datagrams and frag_max_bytes bytes
 *   of datagram buffers.  A buffer is as long as the highest fragment end
 *   seen, and that length is what counts.  When a new datagram or a larger
 *   buffer would exceed a limit, the oldest other datagrams are dropped
 *   first (frag_limit each); a datagram that alone exceeds the byte limit
 *   is dropped too.
 * - A datagram whose first fragment is older than frag_timeout_us in packet
 *   time is dropped (frag_timeout) at the next decode_packet() call.  The
 *   age list is in arrival order, so when packet time steps backwards a
 *   datagram may outlive its timeout until those ahead of it expire; the
 *   limits still hold.
 * - A fragment cut by the snaplen still counts as received for completion;
 *   the rebuilt payload then holds the captured bytes up to the first gap,
 *   and payload_len < payload_wire_len tells the rest. */
#include "config.h"

#include "decode.h"

#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "ipaddr.h"

/* Disjoint byte ranges held per datagram after merging neighbours.  In-order
 * and out-of-order arrival of a real datagram needs a few; more holes than
 * this are an attack and drop the datagram (frag_limit). */
#define DECODE_FRAG_RANGES 32

/* Hash buckets: a power of two between these, at least the datagram
 * limit. */
#define DECODE_FRAG_BUCKETS_MIN 16u
#define DECODE_FRAG_BUCKETS_MAX 65536u

struct decode_frag_range {
    uint32_t lo;
    uint32_t hi;            /* exclusive */
};

/* Sorted, disjoint and non-adjacent ranges. */
struct decode_frag_ranges {
    unsigned n;
    struct decode_frag_range r[DECODE_FRAG_RANGES];
};

struct decode_frag_dgram {
    struct decode_frag_dgram *hnext;    /* hash chain */
    struct decode_frag_dgram *older;    /* age list */
    struct decode_frag_dgram *newer;
    uint32_t hash;

    struct ip_addr src;
    struct ip_addr dst;
    uint32_t id;
    uint16_t vlan;
    uint8_t proto;
    uint8_t version;

    int64_t first_ts;
    bool have_first;
    bool have_last;
    uint32_t total;         /* fragmentable bytes, once have_last */

    /* IP header facts of the first fragment (offset 0). */
    uint8_t dscp;
    uint8_t ecn;
    uint8_t ttl;
    uint16_t ip_checksum;
    uint32_t hdr_len;

    uint32_t frame_count;
    uint64_t frame_bytes;

    uint8_t *buf;
    uint32_t buf_len;
    struct decode_frag_ranges wire;     /* bytes received */
    struct decode_frag_ranges have;     /* bytes received and captured */
};

struct decode_frag {
    uint32_t max_datagrams;
    uint32_t max_bytes;
    int64_t timeout_us;

    struct decode_frag_dgram **buckets;
    uint32_t mask;
    struct decode_frag_dgram *oldest;
    struct decode_frag_dgram *newest;
    uint32_t n_dgrams;
    uint64_t bytes;
};

/* --- ranges ----------------------------------------------------------- */

static bool decode_frag_ranges_intersect(const struct decode_frag_ranges *s,
                                         uint32_t lo, uint32_t hi)
{
    unsigned i;

    for (i = 0; i < s->n; i++)
        if (s->r[i].lo < hi && lo < s->r[i].hi)
            return true;
    return false;
}

static bool decode_frag_ranges_contain(const struct decode_frag_ranges *s,
                                       uint32_t lo, uint32_t hi)
{
    unsigned i;

    for (i = 0; i < s->n; i++)
        if (s->r[i].lo <= lo && hi <= s->r[i].hi)
            return true;
    return false;
}

/* Adds [lo, hi), merging with ranges it touches.  Returns -1, and changes
 * nothing, when that would need more than DECODE_FRAG_RANGES ranges. */
static int decode_frag_ranges_add(struct decode_frag_ranges *s, uint32_t lo,
                                  uint32_t hi)
{
    unsigned first, last, i;

    if (lo >= hi)
        return 0;
    /* first: the first range that ends at or after lo (can merge);
     * last: one past the last range that starts at or before hi. */
    for (first = 0; first < s->n && s->r[first].hi < lo; first++)
        ;
    for (last = first; last < s->n && s->r[last].lo <= hi; last++)
        ;
    if (first == last) {
        if (s->n == DECODE_FRAG_RANGES)
            return -1;
        memmove(&s->r[first + 1], &s->r[first],
                (s->n - first) * sizeof(s->r[0]));
        s->r[first].lo = lo;
        s->r[first].hi = hi;
        s->n++;
        return 0;
    }
    if (s->r[first].lo < lo)
        lo = s->r[first].lo;
    if (s->r[last - 1].hi > hi)
        hi = s->r[last - 1].hi;
    s->r[first].lo = lo;
    s->r[first].hi = hi;
    for (i = last; i < s->n; i++)
        s->r[first + 1 + i - last] = s->r[i];
    s->n -= last - first - 1;
    return 0;
}

/* --- table ------------------------------------------------------------ */

struct decode_frag *decode_frag_new(const struct decoder_config *cfg)
{
    struct decode_frag *f = calloc(1, sizeof(*f));
    uint32_t n = DECODE_FRAG_BUCKETS_MIN;

    if (!f)
        return NULL;
    f->max_datagrams = cfg->frag_max_datagrams;
    f->max_bytes = cfg->frag_max_bytes;
    f->timeout_us = cfg->frag_timeout_us > 0 ? cfg->frag_timeout_us : 0;
    while (n < cfg->frag_max_datagrams && n < DECODE_FRAG_BUCKETS_MAX)
        n *= 2;
    f->buckets = calloc(n, sizeof(f->buckets[0]));
    if (!f->buckets) {
        free(f);
        return NULL;
    }
    f->mask = n - 1;
    return f;
}

static void decode_frag_drop(struct decode_frag *f, struct decode_frag_dgram *g)
{
    struct decode_frag_dgram **pp = &f->buckets[g->hash & f->mask];

    while (*pp != g)
        pp = &(*pp)->hnext;
    *pp = g->hnext;
    if (g->older)
        g->older->newer = g->newer;
    else
        f->oldest = g->newer;
    if (g->newer)
        g->newer->older = g->older;
    else
        f->newest = g->older;
    f->n_dgrams--;
    f->bytes -= g->buf_len;
    free(g->buf);
    free(g);
}

void decode_frag_clear(struct decode_frag *f)
{
    if (!f)
        return;
    while (f->oldest)
        decode_frag_drop(f, f->oldest);
}

void decode_frag_free(struct decode_frag *f)
{
    if (!f)
        return;
    decode_frag_clear(f);
    free(f->buckets);
    free(f);
}

void decode_frag_expire(struct decoder *d, int64_t now)
{
    struct decode_frag *f = d->frag;

    /* Differences in uint64_t: packet times come from files and may be
     * anything, and now > first_ts makes the difference fit. */
    while (f->oldest && now > f->oldest->first_ts &&
           (uint64_t)now - (uint64_t)f->oldest->first_ts >
               (uint64_t)f->timeout_us) {
        decode_frag_drop(f, f->oldest);
        decode_count(d, DECODE_ANOM_FRAG_TIMEOUT);
    }
}

/* FNV-1a over the key fields. */
static uint32_t decode_frag_hash(const struct decoded *o, uint32_t id,
                                 uint8_t proto)
{
    uint32_t h = 2166136261u;
    uint8_t extra[8];
    size_t i;

    extra[0] = (uint8_t)(id >> 24);
    extra[1] = (uint8_t)(id >> 16);
    extra[2] = (uint8_t)(id >> 8);
    extra[3] = (uint8_t)id;
    extra[4] = proto;
    extra[5] = o->ip_version;
    extra[6] = (uint8_t)(o->vlan >> 8);
    extra[7] = (uint8_t)o->vlan;
    for (i = 0; i < sizeof(o->src.bytes); i++)
        h = (h ^ o->src.bytes[i]) * 16777619u;
    for (i = 0; i < sizeof(o->dst.bytes); i++)
        h = (h ^ o->dst.bytes[i]) * 16777619u;
    for (i = 0; i < sizeof(extra); i++)
        h = (h ^ extra[i]) * 16777619u;
    return h;
}

static struct decode_frag_dgram *decode_frag_find(struct decode_frag *f,
                                                  const struct decoded *o,
                                                  uint32_t hash, uint32_t id,
                                                  uint8_t proto)
{
    struct decode_frag_dgram *g;

    for (g = f->buckets[hash & f->mask]; g; g = g->hnext)
        if (g->hash == hash && g->id == id && g->proto == proto &&
            g->version == o->ip_version && g->vlan == o->vlan &&
            ipaddr_equal(&g->src, &o->src) && ipaddr_equal(&g->dst, &o->dst))
            return g;
    return NULL;
}

/* Drops the oldest datagram other than keep; false when there is none. */
static bool decode_frag_evict(struct decoder *d,
                              const struct decode_frag_dgram *keep)
{
    struct decode_frag *f = d->frag;
    struct decode_frag_dgram *g = f->oldest;

    if (g == keep && g)
        g = g->newer;
    if (!g)
        return false;
    decode_frag_drop(f, g);
    decode_count(d, DECODE_ANOM_FRAG_LIMIT);
    return true;
}

static struct decode_frag_dgram *decode_frag_create(struct decoder *d,
                                                    uint32_t hash, uint32_t id,
                                                    uint8_t proto)
{
    struct decode_frag *f = d->frag;
    const struct decoded *o = d->out;
    struct decode_frag_dgram *g;

    if (f->max_datagrams == 0)
        return NULL;
    while (f->n_dgrams >= f->max_datagrams)
        (void)decode_frag_evict(d, NULL);
    g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->hash = hash;
    g->src = o->src;
    g->dst = o->dst;
    g->id = id;
    g->vlan = o->vlan;
    g->proto = proto;
    g->version = o->ip_version;
    g->first_ts = d->pkt->ts_us;
    g->hnext = f->buckets[hash & f->mask];
    f->buckets[hash & f->mask] = g;
    g->older = f->newest;
    if (f->newest)
        f->newest->newer = g;
    else
        f->oldest = g;
    f->newest = g;
    f->n_dgrams++;
    return g;
}

/* Grows g's buffer to len bytes within the byte limit, dropping older
 * datagrams as needed.  -1 when g cannot have it. */
static int decode_frag_grow(struct decoder *d, struct decode_frag_dgram *g,
                            uint32_t len)
{
    struct decode_frag *f = d->frag;
    uint32_t more = len - g->buf_len;
    uint8_t *p;

    while (f->bytes + more > f->max_bytes)
        if (!decode_frag_evict(d, g))
            return -1;
    p = realloc(g->buf, len);
    if (!p)
        return -1;
    g->buf = p;
    g->buf_len = len;
    f->bytes += more;
    return 0;
}

/* True when every captured byte of the fragment that is already held as
 * captured has the same value: a duplicate, not an overlap. */
static bool decode_frag_same_bytes(const struct decode_frag_dgram *g,
                                   uint32_t off, const uint8_t *data,
                                   uint32_t cap)
{
    unsigned i;

    for (i = 0; i < g->have.n; i++) {
        uint32_t lo = g->have.r[i].lo > off ? g->have.r[i].lo : off;
        uint32_t hi = g->have.r[i].hi < off + cap ? g->have.r[i].hi
                                                  : off + cap;

        if (lo < hi && memcmp(g->buf + lo, data + (lo - off), hi - lo) != 0)
            return false;
    }
    return true;
}

static bool decode_frag_complete(const struct decode_frag_dgram *g)
{
    return g->have_first && g->have_last && g->wire.n == 1 &&
           g->wire.r[0].lo == 0 && g->wire.r[0].hi == g->total;
}

/* Hands the rebuilt datagram to the caller and forgets it. */
static enum decode_status decode_frag_finish(struct decoder *d,
                                             struct decode_frag_dgram *g,
                                             struct decode_buf *out)
{
    struct decoded *o = d->out;
    uint32_t cap = 0;

    /* One completion per IP layer and at most DECODE_DONE_MAX layers per
     * frame, so this only guards the invariant. */
    if (d->n_done == DECODE_DONE_MAX) {
        decode_frag_drop(d->frag, g);
        decode_count(d, DECODE_ANOM_FRAG_LIMIT);
        return DECODE_FRAGMENT_HELD;
    }
    if (g->have.n > 0 && g->have.r[0].lo == 0)
        cap = g->have.r[0].hi;
    decode_buf_init(out, g->buf, cap, g->total);
    d->done[d->n_done++] = g->buf;
    d->frag->bytes -= g->buf_len;
    g->buf = NULL;
    g->buf_len = 0;

    o->reassembled = true;
    o->frame_count = g->frame_count;
    o->frame_bytes = g->frame_bytes;
    o->dscp = g->dscp;
    o->ecn = g->ecn;
    o->ttl = g->ttl;
    o->ip_checksum = g->ip_checksum;
    o->ip_len = g->hdr_len + g->total;
    decode_frag_drop(d->frag, g);
    decode_count(d, DECODE_ANOM_FRAG_REASSEMBLED);
    return DECODE_OK;
}

static enum decode_status decode_frag_limit(struct decoder *d,
                                            struct decode_frag_dgram *g)
{
    if (g)
        decode_frag_drop(d->frag, g);
    decode_count(d, DECODE_ANOM_FRAG_LIMIT);
    return DECODE_FRAGMENT_HELD;
}

enum decode_status decode_frag_add(struct decoder *d,
                                   const struct decode_frag_in *in,
                                   struct decode_buf *out)
{
    struct decode_frag *f = d->frag;
    struct decoded *o = d->out;
    const uint8_t *data = in->data.c.base ? cur_ptr(&in->data.c) : NULL;
    uint32_t cap = (uint32_t)cur_remaining(&in->data.c);
    uint32_t wire = (uint32_t)in->data.wire;
    uint32_t lo = in->offset, hi = in->offset + wire;
    uint32_t hash = decode_frag_hash(o, in->id, in->proto);
    struct decode_frag_dgram *g = decode_frag_find(f, o, hash, in->id,
                                                   in->proto);

    /* Every fragment but the last carries a multiple of 8 bytes (RFC 791;
     * RFC 8200 section 4.5 says to discard it otherwise). */
    if (in->more && wire % 8 != 0) {
        decode_count(d, o->ip_version == 4 ? DECODE_ANOM_IPV4_BAD_LENGTH
                                           : DECODE_ANOM_IPV6_BAD_EXT);
        return DECODE_MALFORMED;
    }
    if ((uint64_t)in->hdr_len + hi > in->max_len) {
        if (g)
            decode_frag_drop(f, g);
        decode_count(d, DECODE_ANOM_FRAG_TOO_BIG);
        return DECODE_MALFORMED;
    }
    if (!g) {
        g = decode_frag_create(d, hash, in->id, in->proto);
        if (!g)
            return decode_frag_limit(d, NULL);
    }

    /* The last fragment fixes the end; nothing may lie beyond it. */
    if ((!in->more && g->have_last && hi != g->total) ||
        (!in->more && !g->have_last && g->wire.n > 0 &&
         g->wire.r[g->wire.n - 1].hi > hi) ||
        (in->more && g->have_last && hi > g->total)) {
        decode_frag_drop(f, g);
        decode_count(d, DECODE_ANOM_FRAG_OVERLAP);
        return DECODE_MALFORMED;
    }
    if (decode_frag_ranges_intersect(&g->wire, lo, hi)) {
        if (!decode_frag_ranges_contain(&g->wire, lo, hi) ||
            !decode_frag_same_bytes(g, lo, data, cap)) {
            decode_frag_drop(f, g);
            decode_count(d, DECODE_ANOM_FRAG_OVERLAP);
            return DECODE_MALFORMED;
        }
        g->frame_count += o->frame_count;
        g->frame_bytes += o->frame_bytes;
        decode_count(d, DECODE_ANOM_FRAG_HELD);
        return DECODE_FRAGMENT_HELD;
    }

    if (hi > g->buf_len && decode_frag_grow(d, g, hi) != 0)
        return decode_frag_limit(d, g);
    if (decode_frag_ranges_add(&g->wire, lo, hi) != 0)
        return decode_frag_limit(d, g);
    if (cap > 0) {
        memcpy(g->buf + lo, data, cap);
        /* Out of ranges for captured bytes only shortens what the rebuilt
         * payload can show; completion does not depend on it. */
        (void)decode_frag_ranges_add(&g->have, lo, lo + cap);
    }
    if (lo == 0) {
        g->have_first = true;
        g->dscp = o->dscp;
        g->ecn = o->ecn;
        g->ttl = o->ttl;
        g->ip_checksum = o->ip_checksum;
        g->hdr_len = in->hdr_len;
    }
    if (!in->more) {
        g->have_last = true;
        g->total = hi;
    }
    g->frame_count += o->frame_count;
    g->frame_bytes += o->frame_bytes;
    if (!decode_frag_complete(g)) {
        decode_count(d, DECODE_ANOM_FRAG_HELD);
        return DECODE_FRAGMENT_HELD;
    }
    return decode_frag_finish(d, g, out);
}
