/* DNS for the classification stage: learns answers into the passive DNS
 * map, pairs each query with its response and writes one dns row per
 * query, with dns_failure findings for the profile's names.  Spec: RFC
 * 1035 sections 4.1 and 4.2 (UDP and TCP framing), RFC 7766 (TCP), RFC
 * 5452 section 9.1 (a response matches a query by ID and question).
 *
 * Pairing: per flow, a response answers the pending query with the same
 * transaction ID, question name (compared case-insensitively: RFC 4343;
 * resolvers may randomise the case, draft-vixie-dnsext-dns0x20) and
 * question type.  A query repeated while pending is a retransmission: the
 * first copy is kept and the response time is measured from it; a second
 * response to the question answered last (a span-port copy, or the answer
 * to a retransmission) is counted, not written.  A query
 * unanswered CLASSIFY_DNS_TIMEOUT_US after it was sent is written with
 * rcode TIMEOUT; a response that comes later, or whose query was not
 * captured, is a row of its own with no query frame.  At flow end, queries
 * younger than the timeout are written without rcode (nothing can be
 * said).  At most CLASSIFY_DNS_PENDING_MAX queries wait per flow. */
#include "config.h"

#include "classify_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "dns_record.h"
#include "finding.h"
#include "ipaddr.h"
#include "profile.h"

#define IPPROTO_NUM_TCP 6

/* Whole messages over TCP are at most 65535 bytes behind a 2-byte length
 * (RFC 1035 4.2.2). */
#define CLASSIFY_DNS_TCP_MAX (2 + 65535)

/* The answers column is cut beyond this, ending in "...". */
#define CLASSIFY_DNS_ANSWERS_TEXT 1024

/* Failures already reported per flow (name and rcode); a client that
 * asks for A and AAAA of a failing name gets one finding. */
#define CLASSIFY_DNS_REPORTED_MAX 4

struct classify_dns_query {
    uint16_t id;
    uint16_t qtype;
    uint64_t packet;
    int64_t ts_us;
    struct ip_addr client;
    struct ip_addr server;
    char qname[DNS_NAME_MAX];
};

/* One direction of DNS over TCP: bytes of a message not yet whole. */
struct classify_dns_tcp {
    struct classify_seq seq;
    uint8_t *buf;
    size_t len;
    size_t cap;
    bool lost;
};

struct classify_dns_flow {
    struct classify_dns_query *pending;
    size_t n_pending;
    size_t cap_pending;
    struct classify_dns_tcp tcp[2];     /* by enum flow_dir */
    uint32_t reported[CLASSIFY_DNS_REPORTED_MAX];
    size_t n_reported;
    /* The question answered last: a second response to it (a span-port
     * copy, or the answer to a retransmitted query) is not a row. */
    bool answered;
    uint16_t answered_id;
    uint16_t answered_type;
    uint32_t answered_name;
};

/* --- sequence following (shared with classify.c) ---------------------- */

void classify_seq_syn(struct classify_seq *s, uint32_t seq)
{
    if (s->known)
        return;
    s->next = seq + 1;
    s->known = true;
}

bool classify_seq_take(struct classify_seq *s, uint32_t seq,
                       const uint8_t **data, size_t *len)
{
    int32_t delta;
    size_t skip;

    if (!s->known) {
        s->next = seq;
        s->known = true;
    }
    /* Sequence numbers wrap (RFC 9293 section 3.4): signed distance. */
    delta = (int32_t)(seq - s->next);
    if (delta > 0)
        return false;
    skip = (size_t)-(int64_t)delta;
    if (skip >= *len) {
        *len = 0;
        return true;
    }
    *data += skip;
    *len -= skip;
    s->next += (uint32_t)*len;
    return true;
}

/* --- text ------------------------------------------------------------- */

static const char *classify_dns_type_name(uint16_t type, char buf[16])
{
    static const struct {
        uint16_t type;
        const char *name;
    } names[] = {
        { 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
        { 12, "PTR" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
        { 33, "SRV" }, { 35, "NAPTR" }, { 64, "SVCB" }, { 65, "HTTPS" },
        { 255, "ANY" },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return names[i].name;
    /* RFC 3597 section 5: the generic form of an unknown type. */
    snprintf(buf, 16, "TYPE%u", (unsigned)type);
    return buf;
}

/* "A 1.2.3.4; CNAME x.example; +2 other"; NULL when there is nothing. */
static const char *classify_dns_answers(const struct dns_message *m,
                                        char *buf, size_t len,
                                        int64_t *ttl_min)
{
    char addr[IPADDR_STRLEN];
    size_t n = 0, i;
    unsigned other = m->n_answers_other + m->n_answers_dropped;
    bool cut = false;

    *ttl_min = -1;
    buf[0] = '\0';
    for (i = 0; i < m->n_answers; i++) {
        const struct dns_answer *a = &m->answers[i];
        int w;

        if (*ttl_min < 0 || a->ttl < *ttl_min)
            *ttl_min = a->ttl;
        if (a->type == DNS_TYPE_CNAME)
            w = snprintf(buf + n, len - n, "%sCNAME %s", n ? "; " : "",
                         a->cname);
        else
            w = snprintf(buf + n, len - n, "%s%s %s", n ? "; " : "",
                         a->type == DNS_TYPE_AAAA ? "AAAA" : "A",
                         ipaddr_format(&a->addr, addr));
        if (w < 0 || (size_t)w >= len - n) {
            cut = true;
            break;
        }
        n += (size_t)w;
    }
    if (!cut && other > 0) {
        int w = snprintf(buf + n, len - n, "%s+%u other", n ? "; " : "",
                         other);

        if (w < 0 || (size_t)w >= len - n)
            cut = true;
        else
            n += (size_t)w;
    }
    if (cut) {
        /* Room for "..." is kept by cutting the text back. */
        n = strnlen(buf, len - 4);
        snprintf(buf + n, len - n, "...");
        n += 3;
    }
    return n ? buf : NULL;
}

/* --- findings --------------------------------------------------------- */

static bool classify_dns_is_failure(const char *rcode)
{
    return rcode && (strcmp(rcode, "NXDOMAIN") == 0 ||
                     strcmp(rcode, "SERVFAIL") == 0 ||
                     strcmp(rcode, "REFUSED") == 0 ||
                     strcmp(rcode, "TIMEOUT") == 0);
}

/* The requirement a failure bears on: the first one checking DNS whose
 * scope covers the name (its classes hold the name's class, or one of its
 * rules' host sets holds the name, or it has no scope at all).  A failure
 * of a name outside every such scope bears on none: it is still an error,
 * but no DNS requirement speaks of that name. */
static const char *classify_dns_requirement(const struct profile *p,
                                            const char *name,
                                            const struct profile_class *cls)
{
    size_t i, j, k;

    for (i = 0; i < profile_requirement_count(p); i++) {
        const struct profile_requirement *r = profile_requirement_at(p, i);

        if (r->check != PROFILE_CHECK_DNS)
            continue;
        if (r->n_classes == 0 && r->n_scope == 0)
            return r->id;
        for (j = 0; j < r->n_classes; j++)
            if (r->classes[j] == cls)
                return r->id;
        for (j = 0; j < r->n_scope; j++)
            for (k = 0; k < r->scope[j]->n_hosts; k++)
                if (profile_hosts_contains(r->scope[j]->hosts[k], name))
                    return r->id;
    }
    return NULL;
}

/* FNV-1a over a name in lowercase, continuing from h. */
static uint32_t classify_dns_hash(uint32_t h, const char *name)
{
    const char *s;

    for (s = name; *s; s++) {
        char c = *s;

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        h = (h ^ (uint8_t)c) * 16777619u;
    }
    return h;
}

#define CLASSIFY_DNS_FNV_BASIS 2166136261u

static uint32_t classify_dns_failure_key(const char *name, const char *rcode)
{
    uint32_t h = classify_dns_hash(CLASSIFY_DNS_FNV_BASIS, name);

    h = (h ^ 0xffu) * 16777619u;
    return classify_dns_hash(h, rcode);
}

static bool classify_dns_already_reported(struct classify_dns_flow *st,
                                          uint32_t key)
{
    size_t i;

    for (i = 0; i < st->n_reported; i++)
        if (st->reported[i] == key)
            return true;
    if (st->n_reported < CLASSIFY_DNS_REPORTED_MAX)
        st->reported[st->n_reported++] = key;
    return false;
}

static void classify_dns_finding(struct classify_dns_ctx *ctx,
                                 struct classify_dns_flow *st,
                                 const struct flow *f,
                                 const struct dns_record *r)
{
    const struct profile_class *cls;
    struct finding fd;
    char server[IPADDR_STRLEN];
    uint64_t frame = r->packet ? r->packet : r->response_packet;

    if (!classify_dns_is_failure(r->rcode))
        return;
    cls = profile_match_host(ctx->profile, r->query_name, NULL);
    if (!cls)
        return;
    if (classify_dns_already_reported(
            st, classify_dns_failure_key(r->query_name, r->rcode)))
        return;
    memset(&fd, 0, sizeof(fd));
    fd.kind = "dns_failure";
    fd.severity = FINDING_ERROR;
    fd.requirement = classify_dns_requirement(ctx->profile, r->query_name,
                                              cls);
    fd.flow_id = f->id;
    fd.first_packet = frame;
    fd.ts_us = r->ts_us;
    ipaddr_format(&r->server_ip, server);
    if (strcmp(r->rcode, "TIMEOUT") == 0)
        snprintf(fd.summary, sizeof(fd.summary),
                 "DNS %s query for %s (%s) to %s in frame %" PRIu64
                 ": no response within %d s",
                 r->query_type, r->query_name, cls->name, server, frame,
                 (int)(CLASSIFY_DNS_TIMEOUT_US / 1000000));
    else
        snprintf(fd.summary, sizeof(fd.summary),
                 "DNS %s query for %s (%s) to %s failed: %s in frame %"
                 PRIu64, r->query_type, r->query_name, cls->name, server,
                 r->rcode, frame);
    emit_record(&ctx->emit, RECORD_FINDING, &fd);
}

/* --- rows ------------------------------------------------------------- */

/* Writes one row: q is the query (NULL when not seen), m the response
 * (NULL when none), rcode overrides the response's ("TIMEOUT", or NULL
 * for unknown when there is no response). */
static void classify_dns_emit(struct classify_dns_ctx *ctx,
                              struct classify_dns_flow *st,
                              const struct flow *f,
                              const struct classify_dns_query *q,
                              const struct dns_message *m,
                              const struct pkt *resp_pkt,
                              const struct decoded *resp_d,
                              const char *rcode)
{
    struct dns_record r;
    char answers[CLASSIFY_DNS_ANSWERS_TEXT];
    char type_buf[16], rcode_buf[16];

    memset(&r, 0, sizeof(r));
    r.flow_id = f->id;
    r.transport = f->key.proto == IPPROTO_NUM_TCP ? "tcp" : "udp";
    r.ttl_min = -1;
    r.response_us = -1;
    if (q) {
        r.packet = q->packet;
        r.ts_us = q->ts_us;
        r.client_ip = q->client;
        r.server_ip = q->server;
        r.dns_id = q->id;
        r.query_name = q->qname;
        r.query_type = classify_dns_type_name(q->qtype, type_buf);
    }
    if (m) {
        if (!q) {
            /* The response goes from the server to the client. */
            r.ts_us = resp_pkt->ts_us;
            r.client_ip = resp_d->dst;
            r.server_ip = resp_d->src;
            r.dns_id = m->id;
            r.query_name = m->qname;
            r.query_type = classify_dns_type_name(m->qtype, type_buf);
        } else {
            r.response_us = resp_pkt->ts_us - q->ts_us;
        }
        r.response_packet = resp_pkt->num;
        r.rcode = dns_rcode_name(m->rcode, rcode_buf);
        r.answers = classify_dns_answers(m, answers, sizeof(answers),
                                         &r.ttl_min);
    } else {
        r.rcode = rcode;
    }
    emit_record(&ctx->emit, RECORD_DNS, &r);
    classify_dns_finding(ctx, st, f, &r);
}

static void classify_dns_drop_pending(struct classify_dns_flow *st,
                                      size_t i)
{
    memmove(&st->pending[i], &st->pending[i + 1],
            (st->n_pending - i - 1) * sizeof(st->pending[0]));
    st->n_pending--;
    /* Most resolver flows ask once and then idle until they time out:
     * their answered queries need no room meanwhile. */
    if (st->n_pending == 0) {
        free(st->pending);
        st->pending = NULL;
        st->cap_pending = 0;
    }
}

/* Writes the queries that waited past the timeout at now_us, in the
 * order they were sent. */
static void classify_dns_expire(struct classify_dns_ctx *ctx,
                                struct classify_dns_flow *st,
                                const struct flow *f, int64_t now_us)
{
    size_t i = 0;

    while (i < st->n_pending) {
        if (now_us - st->pending[i].ts_us >= CLASSIFY_DNS_TIMEOUT_US) {
            classify_dns_emit(ctx, st, f, &st->pending[i], NULL, NULL, NULL,
                              "TIMEOUT");
            classify_dns_drop_pending(st, i);
        } else {
            i++;
        }
    }
}

static bool classify_dns_same_question(const struct classify_dns_query *q,
                                       const struct dns_message *m)
{
    return q->id == m->id && q->qtype == m->qtype &&
           strcasecmp(q->qname, m->qname) == 0;
}

/* Makes room for one more pending query: grows the array (doubling from
 * 2), or when it is at CLASSIFY_DNS_PENDING_MAX writes out the oldest. */
static bool classify_dns_room(struct classify_dns_ctx *ctx,
                              struct classify_dns_flow *st,
                              const struct flow *f)
{
    struct classify_dns_query *p;
    size_t cap;

    if (st->n_pending < st->cap_pending)
        return true;
    if (st->cap_pending >= CLASSIFY_DNS_PENDING_MAX) {
        ctx->pending_dropped++;
        classify_dns_emit(ctx, st, f, &st->pending[0], NULL, NULL, NULL,
                          NULL);
        classify_dns_drop_pending(st, 0);
        return true;
    }
    cap = st->cap_pending ? st->cap_pending * 2 : 2;
    p = realloc(st->pending, cap * sizeof(*p));
    if (!p) {
        ctx->alloc_failures++;
        return false;
    }
    st->pending = p;
    st->cap_pending = cap;
    return true;
}

static void classify_dns_query(struct classify_dns_ctx *ctx,
                               struct classify_dns_flow *st,
                               const struct flow *f, const struct pkt *pkt,
                               const struct decoded *d,
                               const struct dns_message *m)
{
    struct classify_dns_query *q;
    size_t i;

    for (i = 0; i < st->n_pending; i++)
        if (classify_dns_same_question(&st->pending[i], m))
            return;             /* a retransmission */
    if (!classify_dns_room(ctx, st, f))
        return;
    q = &st->pending[st->n_pending++];
    memset(q, 0, sizeof(*q));
    q->id = m->id;
    q->qtype = m->qtype;
    q->packet = pkt->num;
    q->ts_us = pkt->ts_us;
    q->client = d->src;
    q->server = d->dst;
    snprintf(q->qname, sizeof(q->qname), "%s", m->qname);
}

static void classify_dns_response(struct classify_dns_ctx *ctx,
                                  struct classify_dns_flow *st,
                                  const struct flow *f,
                                  const struct pkt *pkt,
                                  const struct decoded *d,
                                  const struct dns_message *m)
{
    uint32_t name = classify_dns_hash(CLASSIFY_DNS_FNV_BASIS, m->qname);
    size_t i;

    if (m->rcode == DNS_RCODE_NOERROR)
        dns_cache_learn(ctx->cache, m, pkt->ts_us);
    for (i = 0; i < st->n_pending; i++) {
        if (classify_dns_same_question(&st->pending[i], m)) {
            classify_dns_emit(ctx, st, f, &st->pending[i], m, pkt, d, NULL);
            classify_dns_drop_pending(st, i);
            st->answered = true;
            st->answered_id = m->id;
            st->answered_type = m->qtype;
            st->answered_name = name;
            return;
        }
    }
    if (st->answered && st->answered_id == m->id &&
        st->answered_type == m->qtype && st->answered_name == name) {
        ctx->duplicates++;
        return;
    }
    classify_dns_emit(ctx, st, f, NULL, m, pkt, d, NULL);
}

/* One whole message.  Only standard queries (opcode 0) with a question
 * are followed: NOTIFY, UPDATE and the like are not lookups. */
static void classify_dns_message(struct classify_dns_ctx *ctx,
                                 struct classify_dns_flow *st,
                                 const struct flow *f, const struct pkt *pkt,
                                 const struct decoded *d,
                                 const struct dns_message *m)
{
    ctx->messages++;
    if (m->opcode != 0 || m->qdcount == 0)
        return;
    if (m->is_response)
        classify_dns_response(ctx, st, f, pkt, d, m);
    else
        classify_dns_query(ctx, st, f, pkt, d, m);
}

/* --- TCP framing ------------------------------------------------------ */

static void classify_dns_tcp_drop(struct classify_dns_tcp *t)
{
    free(t->buf);
    t->buf = NULL;
    t->len = 0;
    t->cap = 0;
}

/* Reads the whole messages at the start of data; returns the bytes
 * consumed (the rest is the start of a message not yet whole). */
static size_t classify_dns_tcp_messages(struct classify_dns_ctx *ctx,
                                        struct classify_dns_flow *st,
                                        const struct flow *f,
                                        const struct pkt *pkt,
                                        const struct decoded *d,
                                        const uint8_t *data, size_t len)
{
    size_t off = 0;

    while (off < len) {
        size_t used = 0;
        enum dns_status s = dns_parse_tcp(data + off, len - off, &ctx->msg,
                                          &used);

        if (used == 0)
            break;
        if (s == DNS_OK)
            classify_dns_message(ctx, st, f, pkt, d, &ctx->msg);
        else
            ctx->malformed++;
        off += used;
    }
    return off;
}

static bool classify_dns_tcp_keep(struct classify_dns_tcp *t,
                                  const uint8_t *data, size_t len)
{
    size_t need = t->len + len;

    if (need > CLASSIFY_DNS_TCP_MAX)
        return false;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 512;
        uint8_t *p;

        while (cap < need)
            cap *= 2;
        if (cap > CLASSIFY_DNS_TCP_MAX)
            cap = CLASSIFY_DNS_TCP_MAX;
        p = realloc(t->buf, cap);
        if (!p)
            return false;
        t->buf = p;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, data, len);
    t->len += len;
    return true;
}

/* A segment of DNS over TCP: messages are parsed straight from the
 * segment when nothing is held, and bytes of an unfinished message are
 * kept (up to one whole message) until the rest comes.  A gap ends the
 * direction: its message boundaries are lost. */
static void classify_dns_tcp(struct classify_dns_ctx *ctx,
                             struct classify_dns_flow *st,
                             const struct flow *f, const struct pkt *pkt,
                             const struct decoded *d, enum flow_dir dir)
{
    struct classify_dns_tcp *t = &st->tcp[dir];
    const uint8_t *data = d->payload;
    size_t len = d->payload_len, used;

    if (t->lost)
        return;
    if (d->tcp.flags & TCP_SYN)
        classify_seq_syn(&t->seq, d->tcp.seq);
    if (len == 0)
        return;
    if (!classify_seq_take(&t->seq, d->tcp.seq, &data, &len)) {
        ctx->tcp_lost++;
        t->lost = true;
        classify_dns_tcp_drop(t);
        return;
    }
    if (len == 0)
        return;
    if (t->len == 0) {
        used = classify_dns_tcp_messages(ctx, st, f, pkt, d, data, len);
        data += used;
        len -= used;
        if (len > 0 && !classify_dns_tcp_keep(t, data, len))
            goto lost;
        return;
    }
    if (!classify_dns_tcp_keep(t, data, len))
        goto lost;
    used = classify_dns_tcp_messages(ctx, st, f, pkt, d, t->buf, t->len);
    memmove(t->buf, t->buf + used, t->len - used);
    t->len -= used;
    return;
lost:
    ctx->tcp_lost++;
    t->lost = true;
    classify_dns_tcp_drop(t);
}

/* --- hooks ------------------------------------------------------------ */

void classify_dns_packet(struct classify_dns_ctx *ctx,
                         struct classify_dns_flow **stp,
                         const struct flow *f, const struct pkt *pkt,
                         const struct decoded *d, enum flow_dir dir)
{
    struct classify_dns_flow *st = *stp;

    if (!st) {
        st = calloc(1, sizeof(*st));
        if (!st) {
            ctx->alloc_failures++;
            return;
        }
        *stp = st;
    }
    classify_dns_expire(ctx, st, f, pkt->ts_us);
    if (f->key.proto == IPPROTO_NUM_TCP) {
        classify_dns_tcp(ctx, st, f, pkt, d, dir);
        return;
    }
    if (d->payload_len == 0)
        return;
    /* A snaplen-cut response still carries what was parsed before the
     * cut (dns.h), but its rcode and question are whole only when the
     * header and question are: a truncated message is counted, not
     * used. */
    if (dns_parse(d->payload, d->payload_len, &ctx->msg) != DNS_OK) {
        ctx->malformed++;
        return;
    }
    classify_dns_message(ctx, st, f, pkt, d, &ctx->msg);
}

void classify_dns_flow_end(struct classify_dns_ctx *ctx,
                           struct classify_dns_flow **stp,
                           const struct flow *f, int64_t now_us)
{
    struct classify_dns_flow *st = *stp;
    size_t i;

    if (!st)
        return;
    classify_dns_expire(ctx, st, f, now_us);
    for (i = 0; i < st->n_pending; i++)
        classify_dns_emit(ctx, st, f, &st->pending[i], NULL, NULL, NULL,
                          NULL);
    free(st->pending);
    classify_dns_tcp_drop(&st->tcp[0]);
    classify_dns_tcp_drop(&st->tcp[1]);
    free(st);
    *stp = NULL;
}
