/* Per-capture text summary: what was read, which classes of traffic it
 * held, what the decoder could not use, and what the analyzers found. */
#include "config.h"

#include "sink_summary.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finding.h"
#include "xalloc.h"

/* Distinct classes and finding kinds are few (the profile's classes and
 * the documented finding kinds); past these caps the rest is folded into
 * one "(more)" row rather than growing without bound. */
#define SUMMARY_MAX_ROWS 48

struct summary_row {
    const char *name;       /* borrowed: class names and finding kinds
                               live for the whole run */
    uint64_t count;
    uint64_t packets;
    uint64_t bytes;
};

struct sink_summary {
    FILE *out;
    struct summary_row classes[SUMMARY_MAX_ROWS + 1];
    size_t n_classes;
    struct summary_row kinds[SUMMARY_MAX_ROWS + 1];
    size_t n_kinds;
};

static struct summary_row *summary_row(struct summary_row *rows, size_t *n,
                                       const char *name)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    if (*n == SUMMARY_MAX_ROWS) {
        rows[SUMMARY_MAX_ROWS].name = "(more)";
        return &rows[SUMMARY_MAX_ROWS];
    }
    rows[*n].name = name;
    return &rows[(*n)++];
}

static int summary_begin(void *self, struct capture_meta *meta)
{
    struct sink_summary *s = self;

    (void)meta;
    memset(s->classes, 0, sizeof(s->classes));
    memset(s->kinds, 0, sizeof(s->kinds));
    s->n_classes = 0;
    s->n_kinds = 0;
    return 0;
}

static int summary_flow(void *self, const struct capture_meta *meta,
                        const struct flow *f)
{
    struct sink_summary *s = self;
    struct summary_row *r;

    (void)meta;
    r = summary_row(s->classes, &s->n_classes,
                    f->class_name ? f->class_name : "other");
    r->count++;
    r->packets += f->dir[0].packets + f->dir[1].packets;
    r->bytes += f->dir[0].bytes + f->dir[1].bytes;
    return 0;
}

static int summary_record(void *self, const struct capture_meta *meta,
                          enum record_kind kind, const void *rec)
{
    struct sink_summary *s = self;

    (void)meta;
    if (kind == RECORD_FINDING) {
        const struct finding *fd = rec;

        summary_row(s->kinds, &s->n_kinds, fd->kind)->count++;
    }
    return 0;
}

static int summary_compare_rows(const void *a, const void *b)
{
    const struct summary_row *x = a, *y = b;

    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Counters that are facts about the traffic rather than defects in it. */
static bool summary_is_defect(enum decode_anomaly a)
{
    return a != DECODE_ANOM_NON_IP && a != DECODE_ANOM_FRAG_HELD &&
           a != DECODE_ANOM_FRAG_REASSEMBLED;
}

static void format_utc(int64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static int summary_end(void *self, const struct capture_meta *meta)
{
    struct sink_summary *s = self;
    char t0[32] = "-", t1[32] = "-";
    size_t i, n;
    uint64_t anomalies = 0;

    if (meta->packets) {
        format_utc(meta->first_us, t0, sizeof(t0));
        format_utc(meta->last_us, t1, sizeof(t1));
    }
    fprintf(s->out, "capture %s (%s)%s\n", meta->source, meta->link_type,
            meta->interrupted ? " [interrupted]" : "");
    fprintf(s->out, "  %llu packets, %llu bytes, %s to %s UTC (%.3f s)\n",
            (unsigned long long)meta->packets,
            (unsigned long long)meta->bytes, t0, t1,
            meta->packets ? (double)(meta->last_us - meta->first_us) / 1e6
                          : 0.0);
    fprintf(s->out, "  %llu flows",
            (unsigned long long)meta->flows.flows_created);
    if (meta->flows.flows_evicted)
        fprintf(s->out, ", %llu evicted when the flow table was full",
                (unsigned long long)meta->flows.flows_evicted);
    if (meta->drops || meta->if_drops)
        fprintf(s->out, ", %llu packets dropped by the kernel, %llu by the "
                "interface", (unsigned long long)meta->drops,
                (unsigned long long)meta->if_drops);
    fputc('\n', s->out);
    if (meta->decode.anomalies[DECODE_ANOM_NON_IP])
        fprintf(s->out, "  %llu frames carried no IP (ARP and the like)\n",
                (unsigned long long)meta->decode.anomalies[DECODE_ANOM_NON_IP]);
    if (meta->decode.anomalies[DECODE_ANOM_FRAG_REASSEMBLED])
        fprintf(s->out, "  %llu IP datagrams reassembled from fragments\n",
                (unsigned long long)
                    meta->decode.anomalies[DECODE_ANOM_FRAG_REASSEMBLED]);
    if (meta->read_error)
        fprintf(s->out, "  reading stopped early: %s\n", meta->read_error);

    n = s->n_classes + (s->classes[SUMMARY_MAX_ROWS].count ? 1 : 0);
    if (s->classes[SUMMARY_MAX_ROWS].count && n > s->n_classes)
        s->classes[s->n_classes] = s->classes[SUMMARY_MAX_ROWS];
    qsort(s->classes, n, sizeof(s->classes[0]), summary_compare_rows);
    if (n) {
        fprintf(s->out, "\n  %-20s %10s %12s %14s\n", "class", "flows",
                "packets", "bytes");
        for (i = 0; i < n; i++)
            fprintf(s->out, "  %-20s %10llu %12llu %14llu\n",
                    s->classes[i].name,
                    (unsigned long long)s->classes[i].count,
                    (unsigned long long)s->classes[i].packets,
                    (unsigned long long)s->classes[i].bytes);
    }

    for (i = 0; i < DECODE_ANOM_COUNT; i++)
        if (summary_is_defect((enum decode_anomaly)i))
            anomalies += meta->decode.anomalies[i];
    if (anomalies) {
        fprintf(s->out, "\n  packets the decoder could not fully use:\n");
        for (i = 0; i < DECODE_ANOM_COUNT; i++)
            if (meta->decode.anomalies[i] &&
                summary_is_defect((enum decode_anomaly)i))
                fprintf(s->out, "    %-28s %llu\n",
                        decode_anomaly_name((enum decode_anomaly)i),
                        (unsigned long long)meta->decode.anomalies[i]);
    }

    n = s->n_kinds + (s->kinds[SUMMARY_MAX_ROWS].count ? 1 : 0);
    if (s->kinds[SUMMARY_MAX_ROWS].count && n > s->n_kinds)
        s->kinds[s->n_kinds] = s->kinds[SUMMARY_MAX_ROWS];
    qsort(s->kinds, n, sizeof(s->kinds[0]), summary_compare_rows);
    if (n) {
        fprintf(s->out, "\n  findings:\n");
        for (i = 0; i < n; i++)
            fprintf(s->out, "    %-28s %llu\n", s->kinds[i].name,
                    (unsigned long long)s->kinds[i].count);
    }
    fputc('\n', s->out);
    fflush(s->out);
    return 0;
}

static void summary_free(void *self)
{
    free(self);
}

static const struct sink_ops summary_ops = {
    .name = "summary",
    .begin_capture = summary_begin,
    .flow = summary_flow,
    .record = summary_record,
    .end_capture = summary_end,
    .free = summary_free,
};

void sink_summary_new(FILE *out_stream, struct sink *out)
{
    struct sink_summary *s = xcalloc(1, sizeof(*s));

    s->out = out_stream;
    out->ops = &summary_ops;
    out->self = s;
}
