/* ringscope diff: the SIP messages of an inside and an outside capture
 * matched and compared header by header (requirements-data.md section
 * 2.1, signatures A3 and A7).  Reads both files with the capture and
 * decode modules; SIP over UDP and TCP (reassembled with sip_stream).
 * The comparison of two messages is in diff_compare.c. */
#include "config.h"

#include "diff.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "decode.h"
#include "diff_internal.h"
#include "ipaddr.h"
#include "log.h"
#include "sip.h"
#include "sip_stream.h"
#include "xalloc.h"

#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define DIFF_STREAM_MAX (64 * 1024)

/* One TCP direction being reassembled. */
struct diff_conn {
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    bool syn_seen;
    uint32_t next_seq;
    struct sip_stream *s;
};

struct diff_loader {
    struct diff_side *side;
    struct sip_msg *msg;
    struct diff_conn *conns;
    size_t n_conns;
    size_t cap_conns;
};

/* --- loading ------------------------------------------------------------- */

/* The matching key: the top Via branch (or the Call-ID without one),
 * the CSeq, and the method or status.  NULL when the message cannot be
 * matched (no start line or no CSeq). */
static char *diff_key(const struct sip_msg *m)
{
    const struct sip_via *via = sip_msg_top_via(m);
    struct sip_str id = (via && via->branch.ptr) ? via->branch : m->call_id;
    char *key;
    size_t cap;

    if (m->header_len == 0 || !m->has_cseq || !id.ptr)
        return NULL;
    cap = id.len + m->cseq_method.len + m->method.len + 48;
    key = xmalloc(cap);
    if (m->is_request)
        snprintf(key, cap, "%.*s|%" PRIu32 " %.*s|%.*s", (int)id.len, id.ptr,
                 m->cseq, (int)m->cseq_method.len,
                 m->cseq_method.ptr ? m->cseq_method.ptr : "",
                 (int)m->method.len, m->method.ptr ? m->method.ptr : "");
    else
        snprintf(key, cap, "%.*s|%" PRIu32 " %.*s|%d", (int)id.len, id.ptr,
                 m->cseq, (int)m->cseq_method.len,
                 m->cseq_method.ptr ? m->cseq_method.ptr : "",
                 m->status_code);
    return key;
}

static void diff_add(struct diff_loader *l, const struct pkt *pkt,
                     const struct decoded *d, bool tcp, const uint8_t *buf,
                     size_t len)
{
    struct diff_side *side = l->side;
    struct diff_msg *dm;

    if (side->n == side->cap) {
        side->cap = side->cap ? 2 * side->cap : 64;
        side->msgs = xreallocarray(side->msgs, side->cap, sizeof(*dm));
    }
    dm = &side->msgs[side->n++];
    memset(dm, 0, sizeof(*dm));
    dm->frame = pkt->num;
    dm->ts_us = pkt->ts_us;
    dm->src = d->src;
    dm->dst = d->dst;
    dm->sport = d->sport;
    dm->dport = d->dport;
    dm->tcp = tcp;
    dm->raw = xmalloc(len ? len : 1);
    memcpy(dm->raw, buf, len);
    dm->len = len;
    sip_parse(buf, len, l->msg);
    dm->key = diff_key(l->msg);
    dm->peer = NULL;
    if (side->first_us == 0 || pkt->ts_us < side->first_us)
        side->first_us = pkt->ts_us;
    if (pkt->ts_us > side->last_us)
        side->last_us = pkt->ts_us;
}

static struct diff_conn *diff_conn_find(struct diff_loader *l,
                                        const struct decoded *d)
{
    struct diff_conn *c;
    size_t i;

    for (i = 0; i < l->n_conns; i++) {
        c = &l->conns[i];
        if (c->sport == d->sport && c->dport == d->dport &&
            ipaddr_equal(&c->src, &d->src) && ipaddr_equal(&c->dst, &d->dst))
            return c;
    }
    if (l->n_conns == l->cap_conns) {
        l->cap_conns = l->cap_conns ? 2 * l->cap_conns : 16;
        l->conns = xreallocarray(l->conns, l->cap_conns, sizeof(*c));
    }
    c = &l->conns[l->n_conns++];
    memset(c, 0, sizeof(*c));
    c->src = d->src;
    c->dst = d->dst;
    c->sport = d->sport;
    c->dport = d->dport;
    return c;
}

static void diff_tcp(struct diff_loader *l, const struct pkt *pkt,
                     const struct decoded *d)
{
    struct diff_conn *c = diff_conn_find(l, d);
    enum sip_frame_status st;
    const uint8_t *unit;
    size_t len;

    if (d->tcp.flags & TCP_SYN) {
        c->syn_seen = true;
        c->next_seq = d->tcp.seq + 1;
        return;
    }
    if (d->payload_len == 0)
        return;
    if (!c->s) {
        /* Only connections that start like SIP are followed. */
        if (!sip_looks_like(d->payload, d->payload_len))
            return;
        c->s = sip_stream_new(DIFF_STREAM_MAX);
        if (!c->s)
            return;
        if (c->syn_seen && c->next_seq == d->tcp.seq)
            sip_stream_begin(c->s, c->next_seq);
    }
    sip_stream_segment(c->s, d->tcp.seq, d->payload, d->payload_len);
    for (;;) {
        st = sip_stream_next(c->s, &unit, &len);
        if (st == SIP_FRAME_NEED_MORE)
            break;
        if (st == SIP_FRAME_MESSAGE)
            diff_add(l, pkt, d, true, unit, len);
    }
}

static int diff_load(struct diff_side *side, struct sip_msg *msg)
{
    struct diff_loader l;
    struct decoder_config dcfg;
    struct decoder *dec = NULL;
    struct capture *cap;
    struct decoded d;
    struct pkt pkt;
    char err[1024];
    uint64_t num = 0;
    int ret = -1;
    size_t i;

    memset(&l, 0, sizeof(l));
    l.side = side;
    l.msg = msg;
    cap = capture_open_file(side->path, NULL, err, sizeof(err));
    if (!cap)
        return log_error("%s", err);
    if (!decode_linktype_supported(capture_linktype(cap))) {
        log_error("cannot analyse '%s': unsupported link type %s",
                  side->path, capture_linktype_name(cap));
        goto out;
    }
    decoder_config_defaults(&dcfg);
    dec = decoder_new(&dcfg);
    if (!dec) {
        log_error("out of memory reading '%s'", side->path);
        goto out;
    }
    for (;;) {
        enum capture_status st = capture_next(cap, &pkt);

        if (st == CAPTURE_END)
            break;
        if (st == CAPTURE_ERROR) {
            log_error("'%s': %s", side->path, capture_error(cap));
            goto out;
        }
        if (st != CAPTURE_PACKET)
            continue;
        pkt.num = ++num;
        if (decode_packet(dec, &pkt, &d) != DECODE_OK)
            continue;
        if (d.proto == IPPROTO_NUM_UDP && d.payload_len > 0 &&
            sip_looks_like(d.payload, d.payload_len))
            diff_add(&l, &pkt, &d, false, d.payload, d.payload_len);
        else if (d.proto == IPPROTO_NUM_TCP)
            diff_tcp(&l, &pkt, &d);
    }
    ret = 0;
out:
    for (i = 0; i < l.n_conns; i++)
        sip_stream_free(l.conns[i].s);
    free(l.conns);
    decoder_free(dec);
    capture_close(cap);
    return ret;
}

static void diff_side_release(struct diff_side *side)
{
    size_t i;

    for (i = 0; i < side->n; i++) {
        free(side->msgs[i].raw);
        free(side->msgs[i].key);
    }
    free(side->msgs);
    side->msgs = NULL;
    side->n = 0;
}

/* --- matching ------------------------------------------------------------ */

static int diff_cmp_msg(const void *a, const void *b)
{
    const struct diff_msg *x = *(const struct diff_msg *const *)a;
    const struct diff_msg *y = *(const struct diff_msg *const *)b;
    int c = strcmp(x->key, y->key);

    if (c)
        return c;
    if (x->ts_us != y->ts_us)
        return x->ts_us < y->ts_us ? -1 : 1;
    return (x->frame > y->frame) - (x->frame < y->frame);
}

/* The keyed messages of a side, ordered by key, time and frame. */
static struct diff_msg **diff_sorted(struct diff_side *side, size_t *n)
{
    struct diff_msg **v = xreallocarray(NULL, side->n ? side->n : 1,
                                        sizeof(*v));
    size_t i, k = 0;

    for (i = 0; i < side->n; i++)
        if (side->msgs[i].key)
            v[k++] = &side->msgs[i];
    qsort(v, k, sizeof(*v), diff_cmp_msg);
    *n = k;
    return v;
}

/* First position whose key is not below key. */
static size_t diff_lower(struct diff_msg *const *v, size_t n,
                         const char *key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(v[mid]->key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t diff_run_len(struct diff_msg *const *v, size_t n, size_t pos,
                           const char *key)
{
    size_t k = pos;

    while (k < n && strcmp(v[k]->key, key) == 0)
        k++;
    return k - pos;
}

static int diff_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The clock offset outside - inside: the median over the keys seen
 * exactly once on each side (a retransmitted message is ambiguous). */
static int64_t diff_offset(struct diff_msg *const *in, size_t nin,
                           struct diff_msg *const *out, size_t nout)
{
    int64_t *d = xreallocarray(NULL, nin ? nin : 1, sizeof(*d));
    size_t i = 0, nd = 0;
    int64_t off = 0;

    while (i < nin) {
        size_t run = diff_run_len(in, nin, i, in[i]->key);
        size_t pos;

        if (run == 1) {
            pos = diff_lower(out, nout, in[i]->key);
            if (diff_run_len(out, nout, pos, in[i]->key) == 1)
                d[nd++] = out[pos]->ts_us - in[i]->ts_us;
        }
        i += run;
    }
    if (nd > 0) {
        qsort(d, nd, sizeof(*d), diff_cmp_i64);
        off = d[(nd - 1) / 2];
    }
    free(d);
    return off;
}

static int64_t diff_abs(int64_t v)
{
    return v < 0 ? -v : v;
}

/* Pairs each inside message, in capture order, with the unmatched
 * outside message of the same key closest in time (offset removed),
 * within DIFF_MAX_SKEW_US. */
static void diff_match(struct diff_side *in, struct diff_msg *const *out,
                       size_t nout, int64_t offset)
{
    size_t i, j;

    for (i = 0; i < in->n; i++) {
        struct diff_msg *m = &in->msgs[i];
        struct diff_msg *best = NULL;
        int64_t best_skew = 0;
        size_t pos;

        if (!m->key)
            continue;
        pos = diff_lower(out, nout, m->key);
        for (j = pos; j < nout && strcmp(out[j]->key, m->key) == 0; j++) {
            int64_t skew = diff_abs(out[j]->ts_us - m->ts_us - offset);

            if (out[j]->peer || skew > DIFF_MAX_SKEW_US)
                continue;
            if (!best || skew < best_skew) {
                best = out[j];
                best_skew = skew;
            }
        }
        if (best) {
            m->peer = best;
            best->peer = m;
        }
    }
}

/* --- output -------------------------------------------------------------- */

enum diff_way {
    DIFF_OUTBOUND,
    DIFF_INBOUND,
};

/* One line of the report: a pair, or a message seen on one side. */
struct diff_entry {
    int64_t ts_us;              /* inside clock */
    struct diff_msg *in;
    struct diff_msg *out;
};

static int diff_cmp_entry(const void *a, const void *b)
{
    const struct diff_entry *x = a, *y = b;
    uint64_t xi = x->in ? x->in->frame : UINT64_MAX;
    uint64_t yi = y->in ? y->in->frame : UINT64_MAX;
    uint64_t xo = x->out ? x->out->frame : UINT64_MAX;
    uint64_t yo = y->out ? y->out->frame : UINT64_MAX;

    if (x->ts_us != y->ts_us)
        return x->ts_us < y->ts_us ? -1 : 1;
    if (xi != yi)
        return xi < yi ? -1 : 1;
    return (xo > yo) - (xo < yo);
}

/* The direction of a message seen inside: outbound when it goes from
 * the home network to the Internet, inbound for the reverse, otherwise
 * (both ends home, or both not) by which side saw it first. */
static enum diff_way diff_way_inside(const struct diff_msg *m,
                                     int64_t offset)
{
    bool src_home = ipaddr_is_home(&m->src);
    bool dst_home = ipaddr_is_home(&m->dst);

    if (src_home != dst_home)
        return src_home ? DIFF_OUTBOUND : DIFF_INBOUND;
    if (m->peer)
        return m->peer->ts_us - offset >= m->ts_us ? DIFF_OUTBOUND :
                                                     DIFF_INBOUND;
    return DIFF_OUTBOUND;
}

/* A message seen only outside has no inside copy to tell: it goes the
 * way of the matched messages sent from the same endpoint, or against
 * the way of those sent to it; inbound when nothing tells. */
static enum diff_way diff_way_outside(const struct diff_msg *m,
                                      const struct diff_side *outside,
                                      int64_t offset)
{
    size_t i;

    for (i = 0; i < outside->n; i++) {
        const struct diff_msg *o = &outside->msgs[i];

        if (o->peer && o->sport == m->sport && ipaddr_equal(&o->src, &m->src))
            return diff_way_inside(o->peer, offset);
    }
    for (i = 0; i < outside->n; i++) {
        const struct diff_msg *o = &outside->msgs[i];

        if (o->peer && o->dport == m->sport && ipaddr_equal(&o->dst, &m->src))
            return diff_way_inside(o->peer, offset) == DIFF_OUTBOUND ?
                       DIFF_INBOUND : DIFF_OUTBOUND;
    }
    return DIFF_INBOUND;
}

struct diff_totals {
    size_t matched;
    size_t unchanged;
    size_t plain_nat;
    size_t rewritten;
    size_t dropped_out;         /* outbound, inside only */
    size_t dropped_in;          /* inbound, outside only */
    size_t only_inside;         /* other one-sided messages */
    size_t only_outside;
    size_t unspanned;           /* outside the other capture's span */
};

static bool diff_in_span(const struct diff_side *side, int64_t ts_us)
{
    return side->n > 0 && ts_us >= side->first_us - DIFF_MAX_SKEW_US &&
           ts_us <= side->last_us + DIFF_MAX_SKEW_US;
}

static void diff_print_entry(FILE *out, const struct diff_entry *e,
                             const struct diff_side *inside,
                             const struct diff_side *outside,
                             int64_t offset, struct sip_msg *mb,
                             struct sip_msg *ma, struct diff_labels *all,
                             struct diff_totals *t)
{
    enum diff_way way = e->in ? diff_way_inside(e->in, offset) :
                                diff_way_outside(e->out, outside, offset);
    const char *wname = way == DIFF_OUTBOUND ? "outbound" : "inbound";
    struct diff_labels mine;
    char what[512];
    bool addr = false, sip;
    size_t i;

    diff_describe(e->in ? e->in : e->out, mb, what, sizeof(what));
    if (!e->in || !e->out) {
        const struct diff_msg *m = e->in ? e->in : e->out;
        const struct diff_side *other = e->in ? outside : inside;
        int64_t ts_other = e->in ? m->ts_us + offset : m->ts_us - offset;
        const char *why;

        if (!diff_in_span(other, ts_other)) {
            why = "outside the other capture's time span";
            t->unspanned++;
        } else if (e->in && way == DIFF_OUTBOUND) {
            why = "dropped on the way out";
            t->dropped_out++;
        } else if (e->out && way == DIFF_INBOUND) {
            why = "dropped on the way in";
            t->dropped_in++;
        } else if (e->in) {
            why = "not seen outside";
            t->only_inside++;
        } else {
            why = "not seen inside";
            t->only_outside++;
        }
        fprintf(out, "%s %s: %s frame %" PRIu64 " only, %s\n", wname, what,
                e->in ? "inside" : "outside", m->frame, why);
        return;
    }
    t->matched++;
    fprintf(out, "%s %s: inside frame %" PRIu64 ", outside frame %" PRIu64
            "\n", wname, what, e->in->frame, e->out->frame);
    mine.n = 0;
    if (way == DIFF_OUTBOUND)
        sip = diff_compare(out, e->in, e->out, mb, ma, &mine, &addr);
    else
        sip = diff_compare(out, e->out, e->in, mb, ma, &mine, &addr);
    if (sip) {
        t->rewritten++;
        fprintf(out, "    verdict: SIP ALG rewriting (");
        diff_labels_print(out, &mine);
        fprintf(out, ")\n");
        for (i = 0; i < mine.n; i++)
            diff_labels_add(all, mine.name[i]);
    } else if (addr) {
        t->plain_nat++;
        fprintf(out, "    verdict: plain NAT (SIP text identical)\n");
    } else {
        t->unchanged++;
        fprintf(out, "    verdict: unchanged\n");
    }
}

static void diff_print_offset(FILE *out, int64_t offset)
{
    int64_t a = diff_abs(offset);

    fprintf(out, "clock offset (outside - inside): %s%" PRId64 ".%06" PRId64
            " s\n", offset < 0 ? "-" : "+", a / 1000000, a % 1000000);
}

static int diff_report(FILE *out, struct diff_side *inside,
                       struct diff_side *outside)
{
    struct diff_msg **in_sorted, **out_sorted;
    struct diff_entry *e;
    struct diff_labels all;
    struct diff_totals t;
    struct sip_msg *mb = xmalloc(sizeof(*mb));
    struct sip_msg *ma = xmalloc(sizeof(*ma));
    size_t nin, nout, ne = 0, i;
    int64_t offset;

    in_sorted = diff_sorted(inside, &nin);
    out_sorted = diff_sorted(outside, &nout);
    offset = diff_offset(in_sorted, nin, out_sorted, nout);
    diff_match(inside, out_sorted, nout, offset);
    e = xreallocarray(NULL, inside->n + outside->n + 1, sizeof(*e));
    for (i = 0; i < inside->n; i++) {
        e[ne].ts_us = inside->msgs[i].ts_us;
        e[ne].in = &inside->msgs[i];
        e[ne].out = inside->msgs[i].peer;
        ne++;
    }
    for (i = 0; i < outside->n; i++) {
        if (outside->msgs[i].peer)
            continue;
        e[ne].ts_us = outside->msgs[i].ts_us - offset;
        e[ne].in = NULL;
        e[ne].out = &outside->msgs[i];
        ne++;
    }
    qsort(e, ne, sizeof(*e), diff_cmp_entry);

    fprintf(out, "inside:  %s (%zu SIP messages)\n", inside->path,
            inside->n);
    fprintf(out, "outside: %s (%zu SIP messages)\n", outside->path,
            outside->n);
    diff_print_offset(out, offset);
    memset(&t, 0, sizeof(t));
    all.n = 0;
    for (i = 0; i < ne; i++) {
        fprintf(out, "\n");
        diff_print_entry(out, &e[i], inside, outside, offset, mb, ma, &all,
                         &t);
    }
    fprintf(out, "\nsummary: %zu matched (%zu unchanged, %zu plain NAT, "
            "%zu SIP ALG rewriting); %zu dropped on the way out, %zu "
            "dropped on the way in, %zu only inside, %zu only outside, "
            "%zu outside the other capture's time span\n",
            t.matched, t.unchanged, t.plain_nat, t.rewritten, t.dropped_out,
            t.dropped_in, t.only_inside, t.only_outside, t.unspanned);
    if (t.rewritten > 0) {
        fprintf(out, "rewritten: ");
        diff_labels_print(out, &all);
        fprintf(out, "\nverdict: SIP ALG rewriting");
    } else if (t.plain_nat > 0) {
        fprintf(out, "verdict: plain NAT");
    } else if (t.matched > 0) {
        fprintf(out, "verdict: no translation");
    } else {
        fprintf(out, "verdict: no SIP message in common");
    }
    if (t.dropped_out + t.dropped_in > 0)
        fprintf(out, "; %zu message%s dropped by the router",
                t.dropped_out + t.dropped_in,
                t.dropped_out + t.dropped_in == 1 ? "" : "s");
    fprintf(out, "\n");
    free(e);
    free(in_sorted);
    free(out_sorted);
    free(mb);
    free(ma);
    return t.rewritten > 0 ? 1 : 0;
}

int diff_captures(const char *inside, const char *outside, FILE *out)
{
    struct diff_side in, outs;
    struct sip_msg *msg = xmalloc(sizeof(*msg));
    int status = 2;

    memset(&in, 0, sizeof(in));
    memset(&outs, 0, sizeof(outs));
    in.path = inside;
    outs.path = outside;
    if (diff_load(&in, msg) != 0 || diff_load(&outs, msg) != 0)
        goto out;
    status = diff_report(out, &in, &outs);
    if (fflush(out) != 0 || ferror(out)) {
        log_error("cannot write the comparison");
        status = 2;
    }
out:
    diff_side_release(&in);
    diff_side_release(&outs);
    free(msg);
    return status;
}

static void diff_usage(FILE *f)
{
    fprintf(f, "Usage: ringscope diff INSIDE OUTSIDE\n"
            "Compare the SIP messages of two captures of the same traffic, "
            "taken inside\n(LAN side) and outside (WAN side) a router, and "
            "list every header the\nrouter changed.  Exit status: 0 no SIP "
            "ALG rewriting, 1 rewriting found,\n2 usage or input error.  "
            "See ringscope(1), section DIFF.\n");
}

int diff_run(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "--help") == 0)) {
        diff_usage(stdout);
        return 0;
    }
    if (argc != 3) {
        log_error("diff needs two captures: INSIDE and OUTSIDE");
        diff_usage(stderr);
        return 2;
    }
    return diff_captures(argv[1], argv[2], stdout);
}
