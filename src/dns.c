/* DNS message parsing and the passive DNS map.  Spec: RFC 1035 sections
 * 4.1 (format) and 4.1.4 (compression), 4.2.2 (TCP); RFC 2181 section 8
 * (TTL); RFC 3596 (AAAA); RFC 7766 (TCP). */
#include "config.h"

#include "dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "xalloc.h"

#define DNS_HEADER_LEN 12
/* RFC 1035 3.1: 255 octets for a whole name on the wire, 63 per label. */
#define DNS_WIRE_NAME_MAX 255

/*                                  1  1  1  1  1  1
 *    0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+   (RFC 1035 4.1.1) */
#define DNS_FLAG_QR 0x8000u
#define DNS_FLAG_TC 0x0200u

/* Appends one label to the text name, '.'-separated.  Bytes that cannot
 * be in a hostname become '?' (see struct dns_message.odd_names). */
static void dns_append_label(char *out, size_t *tlen, const uint8_t *p,
                             uint8_t n, bool *odd)
{
    uint8_t i;

    if (*tlen > 0)
        out[(*tlen)++] = '.';
    for (i = 0; i < n; i++) {
        uint8_t ch = p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                  ch == '*';

        if (!ok)
            *odd = true;
        out[(*tlen)++] = ok ? (char)ch : '?';
    }
    out[*tlen] = '\0';
}

/* Reads a possibly compressed name at c's position; on success c is just
 * past the name as it appears there (after the first pointer, if any).
 *
 * Loops are impossible by construction: a pointer must point strictly
 * before the start of the run of labels that contains it, so each jump
 * lands lower in the message than the one before, and the walk ends.
 * DNS_MAX_POINTERS caps the work anyway, and the 255-octet limit bounds
 * the text.  Pointers into the header are malformed. */
static enum dns_status dns_read_name(const struct cursor *msg,
                                     struct cursor *c, char *out, bool *odd)
{
    struct cursor r = *msg;
    size_t run_start = c->off, resume = 0, tlen = 0, wire = 0;
    unsigned jumps = 0;
    bool jumped = false;

    r.off = c->off;
    out[0] = '\0';
    for (;;) {
        uint8_t l, lo;

        /* Running out of data inside the name is truncation; after a
         * jump the target lies in bytes already seen, so it is bad. */
        if (!cur_get_u8(&r, &l))
            return jumped ? DNS_MALFORMED : DNS_TRUNCATED;
        if ((l & 0xc0) == 0xc0) {
            size_t target;

            if (!cur_get_u8(&r, &lo))
                return jumped ? DNS_MALFORMED : DNS_TRUNCATED;
            target = (size_t)(l & 0x3f) << 8 | lo;
            if (target >= run_start || target < DNS_HEADER_LEN ||
                ++jumps > DNS_MAX_POINTERS)
                return DNS_MALFORMED;
            if (!jumped)
                resume = r.off;
            jumped = true;
            r.off = target;
            run_start = target;
            continue;
        }
        if (l & 0xc0)
            return DNS_MALFORMED;   /* 0x40/0x80: extended label types */
        wire += 1u + l;
        if (wire > DNS_WIRE_NAME_MAX)
            return DNS_MALFORMED;
        if (l == 0)
            break;
        if (!cur_has(&r, l))
            return jumped ? DNS_MALFORMED : DNS_TRUNCATED;
        dns_append_label(out, &tlen, cur_ptr(&r), l, odd);
        cur_skip(&r, l);
    }
    c->off = jumped ? resume : r.off;
    return DNS_OK;
}

/* RFC 2181 8: a TTL with the top bit set is to be read as zero. */
static uint32_t dns_ttl(uint32_t raw)
{
    return (raw & 0x80000000u) ? 0 : raw;
}

/* Reads one resource record; stores it in m when it is an answer of a
 * kept type. */
static enum dns_status dns_read_rr(const struct cursor *msg, struct cursor *c,
                                   struct dns_message *m, bool answer)
{
    char name[DNS_NAME_MAX], cname[DNS_NAME_MAX] = "";
    struct cursor rdata;
    uint16_t type, rclass, rdlen;
    uint32_t ttl;
    struct dns_answer *a;
    enum dns_status st;

    st = dns_read_name(msg, c, name, &m->odd_names);
    if (st != DNS_OK)
        return st;
    if (!cur_get_be16(c, &type) || !cur_get_be16(c, &rclass) ||
        !cur_get_be32(c, &ttl) || !cur_get_be16(c, &rdlen))
        return DNS_TRUNCATED;
    if (!cur_has(c, rdlen))
        return DNS_TRUNCATED;
    /* rdata as a window of the whole message, so that names inside it
     * may point anywhere earlier. */
    rdata = *c;
    cur_skip(c, rdlen);
    if (type == DNS_TYPE_A && rdlen != 4)
        return DNS_MALFORMED;
    if (type == DNS_TYPE_AAAA && rdlen != 16)
        return DNS_MALFORMED;
    if (type == DNS_TYPE_CNAME) {
        size_t end = rdata.off + rdlen;

        /* The rdata is all there, so a short name is malformed; and the
         * name must fill the rdata exactly. */
        st = dns_read_name(msg, &rdata, cname, &m->odd_names);
        if (st != DNS_OK || rdata.off != end)
            return DNS_MALFORMED;
    }
    if (!answer)
        return DNS_OK;
    if (type != DNS_TYPE_A && type != DNS_TYPE_AAAA &&
        type != DNS_TYPE_CNAME) {
        m->n_answers_other++;
        return DNS_OK;
    }
    if (m->n_answers == DNS_ANSWERS_MAX) {
        m->n_answers_dropped++;
        return DNS_OK;
    }
    a = &m->answers[m->n_answers++];
    memcpy(a->name, name, sizeof(name));
    a->type = type;
    a->rclass = rclass;
    a->ttl = dns_ttl(ttl);
    memcpy(a->cname, cname, sizeof(cname));
    if (type == DNS_TYPE_A)
        ipaddr_set_v4(&a->addr, cur_ptr(&rdata));
    else if (type == DNS_TYPE_AAAA)
        ipaddr_set_v6(&a->addr, cur_ptr(&rdata));
    return DNS_OK;
}

enum dns_status dns_parse(const uint8_t *data, size_t len,
                          struct dns_message *out)
{
    struct cursor msg, c;
    uint16_t flags;
    unsigned i;
    enum dns_status st;

    memset(out, 0, sizeof(*out));
    cur_init(&msg, data, len);
    c = msg;
    if (!cur_get_be16(&c, &out->id) || !cur_get_be16(&c, &flags) ||
        !cur_get_be16(&c, &out->qdcount) ||
        !cur_get_be16(&c, &out->ancount) ||
        !cur_get_be16(&c, &out->nscount) ||
        !cur_get_be16(&c, &out->arcount))
        return DNS_TRUNCATED;
    out->is_response = (flags & DNS_FLAG_QR) != 0;
    out->opcode = (uint8_t)((flags >> 11) & 0x0f);
    out->truncated_flag = (flags & DNS_FLAG_TC) != 0;
    out->rcode = (uint8_t)(flags & 0x0f);

    for (i = 0; i < out->qdcount; i++) {
        char name[DNS_NAME_MAX];
        uint16_t qtype, qclass;

        st = dns_read_name(&msg, &c, name, &out->odd_names);
        if (st != DNS_OK)
            return st;
        if (!cur_get_be16(&c, &qtype) || !cur_get_be16(&c, &qclass))
            return DNS_TRUNCATED;
        if (i == 0) {
            memcpy(out->qname, name, sizeof(name));
            out->qtype = qtype;
            out->qclass = qclass;
        }
    }
    for (i = 0; i < out->ancount; i++) {
        st = dns_read_rr(&msg, &c, out, true);
        if (st != DNS_OK)
            return st;
    }
    for (i = 0; i < (unsigned)out->nscount + out->arcount; i++) {
        st = dns_read_rr(&msg, &c, out, false);
        if (st != DNS_OK)
            return st;
    }
    out->length = c.off;
    return DNS_OK;
}

enum dns_status dns_parse_tcp(const uint8_t *data, size_t len,
                              struct dns_message *out, size_t *consumed)
{
    struct cursor c;
    uint16_t mlen;
    enum dns_status st;

    *consumed = 0;
    memset(out, 0, sizeof(*out));
    cur_init(&c, data, len);
    if (!cur_get_be16(&c, &mlen) || !cur_has(&c, mlen))
        return DNS_TRUNCATED;
    st = dns_parse(cur_ptr(&c), mlen, out);
    /* The whole message is there: a section that runs past its end is
     * the message's fault, not the capture's. */
    if (st == DNS_TRUNCATED)
        st = DNS_MALFORMED;
    *consumed = 2u + mlen;
    return st;
}

const char *dns_rcode_name(uint8_t rcode, char buf[16])
{
    static const char *const names[] = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    };

    if (rcode < sizeof(names) / sizeof(names[0]))
        snprintf(buf, 16, "%s", names[rcode]);
    else
        snprintf(buf, 16, "rcode %u", (unsigned)rcode);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Passive DNS map */

/* Entry links are indices + 1 so that 0 means "none". */
struct dns_entry {
    struct ip_addr ip;
    char *name;
    int64_t ts_us;
    int64_t expires_us;
    uint32_t hnext;             /* hash chain */
    uint32_t older, newer;      /* age list */
};

/* Buckets of a new cache; they double as entries arrive, up to one per
 * entry at full size. */
#define DNS_CACHE_FIRST_BUCKETS 256

struct dns_cache {
    struct dns_entry *e;
    size_t max;
    size_t used;
    uint32_t *buckets;
    size_t mask;                /* buckets - 1, a power of two minus one */
    size_t max_mask;            /* the mask at full size */
    uint32_t oldest, newest;
    uint64_t evictions;
};

/* FNV-1a over the address value. */
static size_t dns_ip_hash(const struct ip_addr *ip)
{
    uint64_t h = 1469598103934665603ull;
    size_t i, n = ip->family == 4 ? 4 : 16;

    h = (h ^ ip->family) * 1099511628211ull;
    for (i = 0; i < n; i++)
        h = (h ^ ip->bytes[i]) * 1099511628211ull;
    return (size_t)h;
}

struct dns_cache *dns_cache_new(size_t max_entries)
{
    struct dns_cache *c = xcalloc(1, sizeof(*c));
    size_t nb = 16;

    if (max_entries == 0)
        max_entries = 1;
    if (max_entries > UINT32_MAX - 1)
        max_entries = UINT32_MAX - 1;
    while (nb < max_entries && nb < SIZE_MAX / 4)
        nb *= 2;
    c->max = max_entries;
    /* Entries are taken in order, so only those in use cost memory; the
     * buckets start small and double with the entries (dns_cache_grow),
     * because hashing would touch every page of a full-size array. */
    c->e = xcalloc(max_entries, sizeof(*c->e));
    c->max_mask = nb - 1;
    if (nb > DNS_CACHE_FIRST_BUCKETS)
        nb = DNS_CACHE_FIRST_BUCKETS;
    c->buckets = xcalloc(nb, sizeof(*c->buckets));
    c->mask = nb - 1;
    return c;
}

/* Doubles the buckets and links every entry in use again.  On failure
 * the chains just stay longer. */
static void dns_cache_grow(struct dns_cache *c)
{
    size_t nb = (c->mask + 1) * 2, i;
    uint32_t *b = calloc(nb, sizeof(*b));

    if (!b)
        return;
    for (i = 0; i < c->used; i++) {
        size_t k = dns_ip_hash(&c->e[i].ip) & (nb - 1);

        c->e[i].hnext = b[k];
        b[k] = (uint32_t)i + 1;
    }
    free(c->buckets);
    c->buckets = b;
    c->mask = nb - 1;
}

void dns_cache_free(struct dns_cache *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->used; i++)
        free(c->e[i].name);
    free(c->e);
    free(c->buckets);
    free(c);
}

static struct dns_entry *dns_cache_find(const struct dns_cache *c,
                                        const struct ip_addr *ip)
{
    uint32_t i = c->buckets[dns_ip_hash(ip) & c->mask];

    while (i) {
        struct dns_entry *e = &c->e[i - 1];

        if (ipaddr_equal(&e->ip, ip))
            return e;
        i = e->hnext;
    }
    return NULL;
}

static void dns_age_unlink(struct dns_cache *c, uint32_t idx)
{
    struct dns_entry *e = &c->e[idx - 1];

    if (e->older)
        c->e[e->older - 1].newer = e->newer;
    else
        c->oldest = e->newer;
    if (e->newer)
        c->e[e->newer - 1].older = e->older;
    else
        c->newest = e->older;
    e->older = e->newer = 0;
}

static void dns_age_push(struct dns_cache *c, uint32_t idx)
{
    struct dns_entry *e = &c->e[idx - 1];

    e->older = c->newest;
    e->newer = 0;
    if (c->newest)
        c->e[c->newest - 1].newer = idx;
    else
        c->oldest = idx;
    c->newest = idx;
}

static void dns_hash_unlink(struct dns_cache *c, uint32_t idx)
{
    uint32_t *link = &c->buckets[dns_ip_hash(&c->e[idx - 1].ip) & c->mask];

    while (*link && *link != idx)
        link = &c->e[*link - 1].hnext;
    if (*link)
        *link = c->e[idx - 1].hnext;
    c->e[idx - 1].hnext = 0;
}

/* Lowercase, without one trailing dot; false when empty or too long. */
static bool dns_name_normalise(const char *name, char *buf)
{
    size_t len = strlen(name), i;

    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0 || len >= DNS_NAME_MAX)
        return false;
    for (i = 0; i < len; i++)
        buf[i] = (name[i] >= 'A' && name[i] <= 'Z')
                     ? (char)(name[i] - 'A' + 'a') : name[i];
    buf[len] = '\0';
    return true;
}

int dns_cache_insert(struct dns_cache *c, const struct ip_addr *ip,
                     const char *name, int64_t ts_us, uint32_t ttl)
{
    char norm[DNS_NAME_MAX];
    struct dns_entry *e;
    uint32_t idx;
    size_t b;
    char *copy;

    if (!dns_name_normalise(name, norm))
        return -1;
    copy = strdup(norm);
    if (!copy)
        return -1;
    e = dns_cache_find(c, ip);
    if (e) {
        idx = (uint32_t)(e - c->e) + 1;
        free(e->name);
        dns_age_unlink(c, idx);
    } else {
        if (c->used < c->max) {
            if (c->used > c->mask && c->mask < c->max_mask)
                dns_cache_grow(c);
            idx = (uint32_t)++c->used;
        } else {
            idx = c->oldest;
            dns_age_unlink(c, idx);
            dns_hash_unlink(c, idx);
            free(c->e[idx - 1].name);
            c->evictions++;
        }
        e = &c->e[idx - 1];
        e->ip = *ip;
        b = dns_ip_hash(ip) & c->mask;
        e->hnext = c->buckets[b];
        c->buckets[b] = idx;
    }
    e->name = copy;
    e->ts_us = ts_us;
    e->expires_us = ts_us + (int64_t)ttl * 1000000 + DNS_CACHE_GRACE_US;
    dns_age_push(c, idx);
    return 0;
}

/* The CNAME record of m whose target is name, or NULL. */
static const struct dns_answer *dns_cname_to(const struct dns_message *m,
                                             const char *name)
{
    size_t i;

    for (i = 0; i < m->n_answers; i++)
        if (m->answers[i].type == DNS_TYPE_CNAME &&
            strcasecmp(m->answers[i].cname, name) == 0)
            return &m->answers[i];
    return NULL;
}

size_t dns_cache_learn(struct dns_cache *c, const struct dns_message *m,
                       int64_t ts_us)
{
    size_t i, learned = 0;

    if (!m->is_response || m->rcode != DNS_RCODE_NOERROR)
        return 0;
    for (i = 0; i < m->n_answers; i++) {
        const struct dns_answer *a = &m->answers[i];
        const char *name = a->name;
        uint32_t ttl = a->ttl;
        unsigned steps;

        if ((a->type != DNS_TYPE_A && a->type != DNS_TYPE_AAAA) ||
            (a->rclass & 0x7fff) != 1)
            continue;
        /* Walk back from the owner towards the question; the client's
         * cached chain lives as long as its shortest TTL. */
        for (steps = 0; steps < DNS_MAX_CHAIN &&
                        strcasecmp(name, m->qname) != 0; steps++) {
            const struct dns_answer *cn = dns_cname_to(m, name);

            if (!cn)
                break;
            name = cn->name;
            if (cn->ttl < ttl)
                ttl = cn->ttl;
        }
        if (dns_cache_insert(c, &a->addr, name, ts_us, ttl) == 0)
            learned++;
    }
    return learned;
}

bool dns_cache_lookup(const struct dns_cache *c, const struct ip_addr *ip,
                      int64_t now_us, char *name)
{
    const struct dns_entry *e = dns_cache_find(c, ip);

    if (!e || now_us < e->ts_us || now_us > e->expires_us)
        return false;
    memcpy(name, e->name, strlen(e->name) + 1);
    return true;
}

size_t dns_cache_count(const struct dns_cache *c)
{
    return c->used;
}

uint64_t dns_cache_evictions(const struct dns_cache *c)
{
    return c->evictions;
}
