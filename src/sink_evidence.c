/* The evidence writer: one pcap per failing requirement, cut from the
 * capture file in a second pass (what is written and why: sink_evidence.h). */
#include "config.h"

#include "sink_evidence.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "capture.h"
#include "compliance.h"
#include "decode.h"
#include "flow.h"
#include "log.h"
#include "xalloc.h"

/* What the second pass needs of a flow: no more, so keeping every flow of
 * a capture until its end costs a few dozen bytes each. */
struct ev_flow {
    uint64_t id;
    struct flow_key key;
    uint64_t first_packet;
    int64_t last_us;
};

/* A failing requirement of the current capture and its evidence. */
struct ev_fail {
    char *requirement;
    struct evidence_item items[COMPLIANCE_EVIDENCE_MAX];
    size_t n_items;
    const struct ev_flow *flows[COMPLIANCE_EVIDENCE_MAX];
    size_t n_flows;
    struct capture_writer *writer;  /* open during the second pass */
    char path[1024];
    uint64_t written;
};

/* A file created in this run, so later captures append to it. */
struct ev_file {
    char *name;
    int linktype;
};

struct sink_evidence {
    char *dir;
    char *bpf;
    struct ev_flow *flows;
    size_t n_flows;
    size_t cap_flows;
    struct ev_fail *fails;
    size_t n_fails;
    struct ev_file *files;
    size_t n_files;
    unsigned captures;          /* ordinal of the current capture */
};

/* --- evidence text and file names -------------------------------------- */

static bool parse_number(const char **p, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (**p < '0' || **p > '9')
        return false;
    errno = 0;
    v = strtoull(*p, &end, 10);
    if (errno != 0 || v == 0)
        return false;
    *out = v;
    *p = end;
    return true;
}

static bool parse_word(const char **p, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(*p, word, n) != 0)
        return false;
    *p += n;
    return true;
}

int evidence_parse(const char *text, struct evidence_item *items, size_t max)
{
    const char *p = text;
    size_t n = 0;

    while (*p) {
        struct evidence_item it = { 0, 0 };

        if (parse_word(&p, "flow ")) {
            if (!parse_number(&p, &it.flow_id))
                return -1;
            if (parse_word(&p, " packet ") && !parse_number(&p, &it.packet))
                return -1;
        } else if (parse_word(&p, "packet ")) {
            if (!parse_number(&p, &it.packet))
                return -1;
        } else {
            return -1;
        }
        if (*p && (!parse_word(&p, ", ") || *p == '\0'))
            return -1;
        if (n < max)
            items[n++] = it;
    }
    return (int)n;
}

void evidence_file_name(const char *requirement, char *buf, size_t len)
{
    static const char suffix[] = ".pcap";
    size_t room, i, o = 0;

    if (len < sizeof(suffix) + 1) {
        if (len)
            buf[0] = '\0';
        return;
    }
    room = len - sizeof(suffix);
    for (i = 0; requirement[i] && o < room; i++) {
        char ch = requirement[i];
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                    (ch == '.' && o > 0);

        buf[o++] = keep ? ch : '_';
    }
    if (o == 0)
        buf[o++] = '_';
    memcpy(buf + o, suffix, sizeof(suffix));
}

/* --- bookkeeping ------------------------------------------------------- */

static void evidence_reset_capture(struct sink_evidence *e)
{
    size_t i;

    for (i = 0; i < e->n_fails; i++)
        free(e->fails[i].requirement);
    free(e->fails);
    e->fails = NULL;
    e->n_fails = 0;
    e->n_flows = 0;
}

static int compare_flow_ids(const void *a, const void *b)
{
    const struct ev_flow *x = a, *y = b;

    return x->id < y->id ? -1 : x->id > y->id;
}

static const struct ev_flow *find_flow(const struct sink_evidence *e,
                                       uint64_t id)
{
    struct ev_flow probe;

    if (e->n_flows == 0)
        return NULL;
    memset(&probe, 0, sizeof(probe));
    probe.id = id;
    return bsearch(&probe, e->flows, e->n_flows, sizeof(*e->flows),
                   compare_flow_ids);
}

/* Where this capture's packets for f go: the file made earlier in the run
 * (appended) if its link type agrees, else a new one. */
static void choose_path(struct sink_evidence *e, struct ev_fail *f,
                        int linktype, bool *append)
{
    char name[256];
    size_t i;

    evidence_file_name(f->requirement, name, sizeof(name));
    *append = false;
    for (i = 0; i < e->n_files; i++) {
        if (strcmp(e->files[i].name, name) != 0)
            continue;
        if (e->files[i].linktype == linktype) {
            *append = true;
        } else {
            /* "X.pcap" -> "X.<N>.pcap" */
            name[strlen(name) - 5] = '\0';
            snprintf(f->path, sizeof(f->path), "%s/%s.%u.pcap", e->dir,
                     name, e->captures);
            return;
        }
        break;
    }
    snprintf(f->path, sizeof(f->path), "%s/%s", e->dir, name);
    if (i == e->n_files) {
        e->files = xreallocarray(e->files, e->n_files + 1,
                                 sizeof(*e->files));
        e->files[e->n_files].name = xstrdup(name);
        e->files[e->n_files].linktype = linktype;
        e->n_files++;
    }
}

/* --- the second pass --------------------------------------------------- */

static bool fail_wants(const struct ev_fail *f, uint64_t num, int64_t ts_us,
                       const struct flow_key *keys, size_t n_keys)
{
    size_t i, k;

    for (i = 0; i < f->n_items; i++)
        if (f->items[i].packet == num)
            return true;
    for (i = 0; i < f->n_flows; i++) {
        const struct ev_flow *fl = f->flows[i];

        if (num < fl->first_packet || ts_us > fl->last_us)
            continue;
        for (k = 0; k < n_keys; k++)
            if (flow_key_equal(&fl->key, &keys[k]))
                return true;
    }
    return false;
}

/* The keys a decoded packet belongs to: its own flow's, and for an ICMP
 * error the flow of the packet it quotes (as the pipeline does). */
static size_t packet_keys(const struct decoded *d, struct flow_key keys[2])
{
    bool from_lo;
    size_t n = 0;

    flow_key_from_decoded(d, &keys[n++], &from_lo);
    if ((d->proto == 1 || d->proto == 58) && d->icmp.is_error &&
        d->icmp.has_quote)
        flow_key_from_icmp_quote(d, &keys[n++], &from_lo);
    return n;
}

static int write_packet(struct sink_evidence *e, struct ev_fail *f,
                        const struct pkt *pkt)
{
    char err[1200];

    if (!f->writer) {
        bool append;

        choose_path(e, f, pkt->linktype, &append);
        f->writer = capture_writer_open(f->path, pkt->linktype, append, err,
                                        sizeof(err));
        if (!f->writer)
            return log_error("%s", err);
    }
    if (capture_writer_write(f->writer, pkt) != 0)
        return log_error("%s", capture_writer_error(f->writer));
    f->written++;
    return 0;
}

static int second_pass(struct sink_evidence *e,
                       const struct capture_meta *meta)
{
    struct decoder_config dcfg;
    struct decoder *dec = NULL;
    struct capture *cap;
    char err[1200];
    uint64_t num = 0;
    int ret = -1;
    size_t i;

    cap = capture_open_file(meta->source, e->bpf, err, sizeof(err));
    if (!cap)
        return log_error("evidence: %s", err);
    decoder_config_defaults(&dcfg);
    dec = decoder_new(&dcfg);
    if (!dec) {
        log_error("out of memory cutting the evidence");
        goto out;
    }
    /* Frames are numbered as in the analysis: every packet the filter
     * passed, up to the number analysed (-c may have stopped it). */
    while (num < meta->packets) {
        struct flow_key keys[2];
        struct decoded d;
        struct pkt pkt;
        size_t n_keys = 0;
        enum capture_status st = capture_next(cap, &pkt);

        if (st == CAPTURE_END)
            break;
        if (st == CAPTURE_ERROR) {
            log_error("evidence: '%s': %s", meta->source, capture_error(cap));
            goto out;
        }
        if (st != CAPTURE_PACKET)
            continue;
        pkt.num = ++num;
        if (decode_packet(dec, &pkt, &d) == DECODE_OK)
            n_keys = packet_keys(&d, keys);
        for (i = 0; i < e->n_fails; i++)
            if (fail_wants(&e->fails[i], pkt.num, pkt.ts_us, keys, n_keys) &&
                write_packet(e, &e->fails[i], &pkt) != 0)
                goto out;
    }
    ret = 0;
out:
    for (i = 0; i < e->n_fails; i++) {
        struct ev_fail *f = &e->fails[i];

        if (!f->writer) {
            if (ret == 0 && f->n_items > 0)
                log_warn("%s failed, but no packet of its evidence was "
                         "found in '%s': no evidence file", f->requirement,
                         meta->source);
            continue;
        }
        if (capture_writer_close(f->writer, err, sizeof(err)) != 0) {
            log_error("%s", err);
            ret = -1;
        } else if (ret == 0) {
            log_info("evidence for %s: %" PRIu64 " packets in '%s'",
                     f->requirement, f->written, f->path);
        }
        f->writer = NULL;
    }
    decoder_free(dec);
    capture_close(cap);
    return ret;
}

/* --- sink hooks -------------------------------------------------------- */

static int evidence_begin(void *self, struct capture_meta *meta)
{
    struct sink_evidence *e = self;

    (void)meta;
    evidence_reset_capture(e);
    e->captures++;
    return 0;
}

static int evidence_flow(void *self, const struct capture_meta *meta,
                         const struct flow *f)
{
    struct sink_evidence *e = self;
    struct ev_flow *ef;

    (void)meta;
    if (e->n_flows == e->cap_flows) {
        e->cap_flows = e->cap_flows ? 2 * e->cap_flows : 256;
        e->flows = xreallocarray(e->flows, e->cap_flows, sizeof(*e->flows));
    }
    ef = &e->flows[e->n_flows++];
    memset(ef, 0, sizeof(*ef));
    ef->id = f->id;
    ef->key = f->key;
    ef->first_packet = f->first_packet;
    ef->last_us = f->last_us;
    return 0;
}

static int evidence_record(void *self, const struct capture_meta *meta,
                           enum record_kind kind, const void *rec)
{
    struct sink_evidence *e = self;
    const struct verdict_record *v = rec;
    struct ev_fail *f;
    size_t i;
    int n;

    (void)meta;
    if (kind != RECORD_VERDICT || v->verdict != VERDICT_FAIL)
        return 0;
    /* One verdict per requirement set: the evidence is the same. */
    for (i = 0; i < e->n_fails; i++)
        if (strcmp(e->fails[i].requirement, v->requirement) == 0)
            return 0;
    e->fails = xreallocarray(e->fails, e->n_fails + 1, sizeof(*e->fails));
    f = &e->fails[e->n_fails++];
    memset(f, 0, sizeof(*f));
    f->requirement = xstrdup(v->requirement);
    n = evidence_parse(v->evidence ? v->evidence : "", f->items,
                       COMPLIANCE_EVIDENCE_MAX);
    if (n < 0) {
        log_warn("evidence of %s not understood ('%s'): no evidence file",
                 v->requirement, v->evidence);
        n = 0;
    }
    f->n_items = (size_t)n;
    return 0;
}

static int evidence_end(void *self, const struct capture_meta *meta)
{
    struct sink_evidence *e = self;
    bool any = false;
    size_t i, k;

    if (e->n_fails == 0)
        return 0;
    if (e->n_flows > 0)
        qsort(e->flows, e->n_flows, sizeof(*e->flows), compare_flow_ids);
    for (i = 0; i < e->n_fails; i++) {
        struct ev_fail *f = &e->fails[i];

        for (k = 0; k < f->n_items; k++) {
            const struct ev_flow *fl;

            if (!f->items[k].flow_id)
                continue;
            fl = find_flow(e, f->items[k].flow_id);
            if (fl)
                f->flows[f->n_flows++] = fl;
        }
        if (f->n_items == 0)
            log_warn("%s failed without flow or packet evidence: no "
                     "evidence file", f->requirement);
        else
            any = true;
    }
    if (!any || meta->packets == 0)
        return 0;
    return second_pass(e, meta);
}

static void evidence_free(void *self)
{
    struct sink_evidence *e = self;
    size_t i;

    if (!e)
        return;
    evidence_reset_capture(e);
    for (i = 0; i < e->n_files; i++)
        free(e->files[i].name);
    free(e->files);
    free(e->flows);
    free(e->dir);
    free(e->bpf);
    free(e);
}

static const struct sink_ops evidence_ops = {
    .name = "evidence",
    .begin_capture = evidence_begin,
    .flow = evidence_flow,
    .record = evidence_record,
    .end_capture = evidence_end,
    .free = evidence_free,
};

int sink_evidence_new(const char *dir, const char *bpf, struct sink *out,
                      char *err, size_t errlen)
{
    struct sink_evidence *e;
    struct stat st;

    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create evidence directory '%s': %s",
                 dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "evidence directory '%s' is not a directory",
                 dir);
        return -1;
    }
    e = xcalloc(1, sizeof(*e));
    e->dir = xstrdup(dir);
    e->bpf = bpf ? xstrdup(bpf) : NULL;
    out->ops = &evidence_ops;
    out->self = e;
    return 0;
}
