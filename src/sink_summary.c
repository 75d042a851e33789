/* Per-capture text report: what was read, the compliance verdicts, the
 * findings by severity, the classes of traffic, and what the decoder could
 * not use; and the capture's part of the JSON report. */
#include "config.h"

#include "sink_summary.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compliance.h"
#include "finding.h"
#include "report.h"
#include "report_html.h"
#include "text_escape.h"
#include "xalloc.h"

struct sink_summary {
    FILE *out;                  /* NULL: no text */
    bool color;
    struct report_json *json;   /* NULL: no JSON */
    struct report_html *html;   /* NULL: no HTML */
    struct report *report;
};

static int summary_begin(void *self, struct capture_meta *meta)
{
    struct sink_summary *s = self;

    (void)meta;
    report_clear(s->report);
    return 0;
}

static int summary_flow(void *self, const struct capture_meta *meta,
                        const struct flow *f)
{
    struct sink_summary *s = self;

    (void)meta;
    report_add_class(s->report, f->class_name ? f->class_name : "other", 1,
                     f->dir[0].packets + f->dir[1].packets,
                     f->dir[0].bytes + f->dir[1].bytes);
    return 0;
}

static int summary_record(void *self, const struct capture_meta *meta,
                          enum record_kind kind, const void *rec)
{
    struct sink_summary *s = self;

    (void)meta;
    if (kind == RECORD_FINDING)
        report_add_finding(s->report, rec);
    else if (kind == RECORD_VERDICT)
        report_add_verdict(s->report, rec);
    else if (kind == RECORD_SIP_MESSAGE)
        report_add_sip_message(s->report, rec);
    else if (kind == RECORD_CALL)
        report_add_call(s->report, rec);
    else if (kind == RECORD_RTP_STREAM)
        report_add_rtp_stream(s->report, rec);
    else if (kind == RECORD_RTP_SAMPLE)
        report_add_rtp_sample(s->report, rec);
    return 0;
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

/* The capture's facts, as report_print_header() prints them plus what
 * only a run knows (interruption, evictions, drops). */
static void summary_print_header(struct sink_summary *s,
                                 const struct capture_meta *meta)
{
    char src[1024], t0[32] = "-", t1[32] = "-";

    if (meta->packets) {
        format_utc(meta->first_us, t0, sizeof(t0));
        format_utc(meta->last_us, t1, sizeof(t1));
    }
    text_escape_terminal(meta->source, src, sizeof(src));
    fprintf(s->out, "capture %s (%s)%s\n", src, meta->link_type,
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
}

static void summary_print_anomalies(struct sink_summary *s,
                                    const struct capture_meta *meta)
{
    uint64_t anomalies = 0;
    size_t i;

    for (i = 0; i < DECODE_ANOM_COUNT; i++)
        if (summary_is_defect((enum decode_anomaly)i))
            anomalies += meta->decode.anomalies[i];
    if (!anomalies)
        return;
    fprintf(s->out, "\n  packets the decoder could not fully use:\n");
    for (i = 0; i < DECODE_ANOM_COUNT; i++)
        if (meta->decode.anomalies[i] &&
            summary_is_defect((enum decode_anomaly)i))
            fprintf(s->out, "    %-28s %llu\n",
                    decode_anomaly_name((enum decode_anomaly)i),
                    (unsigned long long)meta->decode.anomalies[i]);
}

static int summary_end(void *self, const struct capture_meta *meta)
{
    struct sink_summary *s = self;
    struct report *r = s->report;

    report_set_capture(r, meta->capture_id, meta->source, meta->link_type,
                       meta->profile_name, meta->tool_version);
    r->packets = meta->packets;
    r->bytes = meta->bytes;
    r->flows = meta->flows.flows_created;
    r->first_us = meta->packets ? meta->first_us : 0;
    r->last_us = meta->packets ? meta->last_us : 0;
    report_sort_classes(r);
    if (s->json)
        report_json_add(s->json, r);
    if (s->html)
        report_html_add(s->html, r);
    if (!s->out)
        return 0;
    summary_print_header(s, meta);
    report_print(s->out, r, s->color);
    summary_print_anomalies(s, meta);
    fputc('\n', s->out);
    fflush(s->out);
    return 0;
}

static void summary_free(void *self)
{
    struct sink_summary *s = self;

    if (!s)
        return;
    report_free(s->report);
    free(s);
}

static const struct sink_ops summary_ops = {
    .name = "summary",
    .begin_capture = summary_begin,
    .flow = summary_flow,
    .record = summary_record,
    .end_capture = summary_end,
    .free = summary_free,
};

void sink_summary_new(FILE *out_stream, struct report_json *json,
                      struct report_html *html, struct sink *out)
{
    struct sink_summary *s = xcalloc(1, sizeof(*s));

    s->out = out_stream;
    s->color = out_stream && isatty(fileno(out_stream)) == 1;
    s->json = json;
    s->html = html;
    s->report = report_new();
    /* Calls and media cost memory and time; only the page shows them. */
    s->report->keep_media = html != NULL;
    out->ops = &summary_ops;
    out->self = s;
}
