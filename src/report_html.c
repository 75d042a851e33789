/* The HTML report page (report_html.h): the document, its style sheet
 * and the sections of a capture; the drawings are in report_html_svg.c. */
#include "config.h"

#include "report_html.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "text_escape.h"
#include "xalloc.h"

struct report_html {
    FILE *mem;                  /* the sections so far */
    char *buf;                  /* open_memstream()'s buffer */
    size_t len;
    unsigned captures;
};

/* Nothing is fetched and nothing runs, even if markup got in. */
static const char html_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<title>ringscope compliance report</title>\n"
    "<style>\n"
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;"
    "--pass:#1a7f37;--fail:#cf222e;--nobs:#9a6700;--info:#0969da;"
    "--purple:#8250df}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--fg);background:#fff;font:14px/1.45 "
    "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "sans-serif}\n"
    "header.top{background:#0d1117;color:#f0f6fc;padding:18px 32px}\n"
    "header.top h1{margin:0;font-size:22px;font-weight:600}\n"
    "header.top p{margin:4px 0 0;color:#9198a1}\n"
    "main{padding:4px 32px 40px;max-width:1440px}\n"
    "section.capture{margin-top:20px}\n"
    "h2{font-size:20px;margin:18px 0 10px;padding-bottom:6px;"
    "border-bottom:1px solid var(--line);overflow-wrap:anywhere}\n"
    "h3{font-size:16px;margin:26px 0 8px}\n"
    "h4{font-size:14px;margin:0 0 4px;overflow-wrap:anywhere}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;"
    "gap:2px 18px;margin:0}\n"
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 12px;"
    "font-size:13px}\n"
    "th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}\n"
    "td.id{white-space:nowrap}\n"
    "th{background:var(--head);font-weight:600}\n"
    "tbody tr:nth-child(even){background:#fafbfc}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "monospace}\n"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;"
    "font-size:12px;font-weight:600;color:#fff;white-space:nowrap}\n"
    ".pass{background:var(--pass)}.fail{background:var(--fail)}"
    ".nobs{background:var(--nobs)}.none{background:#818b98}\n"
    ".sev-error{background:var(--fail)}.sev-warning{background:var(--nobs)}"
    ".sev-info{background:var(--info)}.oneway{background:var(--fail)}\n"
    ".muted{color:var(--muted)}\n"
    "details{margin:6px 0}summary{cursor:pointer;font-weight:600;"
    "padding:2px 0}\n"
    "article.call{border:1px solid var(--line);border-radius:6px;"
    "padding:12px 16px;margin:14px 0}\n"
    "p.meta{color:var(--muted);font-size:13px;margin:0 0 8px}\n"
    ".scroll{overflow-x:auto}\n"
    "svg text{font:11px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,"
    "sans-serif;fill:var(--fg)}\n"
    "svg.ladder .ep{font-weight:600;text-anchor:middle;font-size:12px}\n"
    "svg.ladder .port{text-anchor:middle;fill:var(--muted)}\n"
    "svg.ladder .life{stroke:#8c959f;stroke-dasharray:4 3}\n"
    "svg.ladder .t{fill:var(--muted);font-variant-numeric:tabular-nums}\n"
    "svg.ladder .msg{color:var(--info)}svg.ladder .r1{color:#59636e}"
    "svg.ladder .r2{color:var(--pass)}svg.ladder .rerr{color:var(--fail)}\n"
    "svg.ladder .msg line,svg.ladder .msg path{stroke:currentColor;"
    "stroke-width:1.5;fill:none}\n"
    "svg.ladder .msg polygon{fill:currentColor}\n"
    "svg.ladder .msg .lbl{fill:currentColor;text-anchor:middle;"
    "font-weight:600}\n"
    "svg.ladder .msg .self{text-anchor:start}\n"
    "svg.ladder .retx line,svg.ladder .retx path{stroke-dasharray:6 4}\n"
    "svg.ladder .retx .lbl{fill:var(--nobs)}\n"
    ".plots{display:flex;flex-wrap:wrap;gap:4px 16px;margin:4px 0 8px}\n"
    "figure{margin:0}figcaption{font-size:12px;color:var(--muted)}\n"
    "svg.plot .frame{fill:#fff;stroke:var(--line)}\n"
    "svg.plot .grid{stroke:#eaeef2}\n"
    "svg.plot .ptitle{font-weight:600}\n"
    "svg.plot .ylab{text-anchor:end;fill:var(--muted)}\n"
    "svg.plot .xlab{fill:var(--muted)}svg.plot .end{text-anchor:end}\n"
    "svg.plot .empty{text-anchor:middle;fill:var(--muted)}\n"
    "svg.plot .bar{fill:var(--fail)}\n"
    "svg.plot .line{stroke:var(--purple);stroke-width:1.5;fill:none}\n"
    "svg.plot .dot{fill:var(--purple)}\n"
    "footer{padding:16px 32px;color:var(--muted);font-size:12px;"
    "border-top:1px solid var(--line)}\n"
    "</style>\n"
    "</head>\n"
    "<body>\n";

static void esc(FILE *out, const char *s)
{
    text_escape_html_fputs(s, out);
}

/* Escaped text, or a dash when there is none. */
static void esc_or_dash(FILE *out, const char *s)
{
    if (s && s[0])
        esc(out, s);
    else
        fputs("-", out);
}

static void format_utc(int64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    char s[32];

    gmtime_r(&t, &tm);
    strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, len, "%s.%03d", s, (int)(us % 1000000 / 1000));
}

/* --- the document ------------------------------------------------------ */

struct report_html *report_html_new(void)
{
    struct report_html *h = xcalloc(1, sizeof(*h));

    h->mem = open_memstream(&h->buf, &h->len);
    /* open_memstream fails only when memory runs out; like xmalloc,
     * give up. */
    if (!h->mem) {
        log_error("out of memory");
        exit(EXIT_FAILURE);
    }
    return h;
}

void report_html_free(struct report_html *h)
{
    if (!h)
        return;
    fclose(h->mem);
    free(h->buf);
    free(h);
}

void report_html_add(struct report_html *h, const struct report *r)
{
    h->captures++;
    report_html_capture(h->mem, r);
}

int report_html_write(const struct report_html *h, const char *path)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f;

    if (fflush(h->mem) != 0)
        return log_error("cannot write '%s': out of memory", path);
    f = to_stdout ? stdout : fopen(path, "w");
    if (!f)
        return log_error("cannot write '%s': %s", path, strerror(errno));
    fputs(html_head, f);
    fprintf(f, "<header class=\"top\">\n<h1>ringscope compliance report"
            "</h1>\n<p>%u capture%s</p>\n</header>\n<main>\n", h->captures,
            h->captures == 1 ? "" : "s");
    if (h->len)
        fwrite(h->buf, 1, h->len, f);
    fputs("</main>\n<footer>Verdicts, findings, calls and media as "
          "analysed by ringscope; every figure is also in its database. "
          "See ringscope(1).</footer>\n</body>\n</html>\n", f);
    return report_output_close(f, path, to_stdout, 0);
}

/* --- capture facts ----------------------------------------------------- */

static void html_facts(FILE *out, const struct report *r)
{
    char t0[48] = "-", t1[48] = "-";

    if (r->packets) {
        format_utc(r->first_us, t0, sizeof(t0));
        format_utc(r->last_us, t1, sizeof(t1));
    }
    fputs("<h2>Capture <code>", out);
    esc(out, r->source);
    fputs("</code></h2>\n<dl class=\"facts\">\n<dt>Link type</dt><dd>", out);
    esc_or_dash(out, r->link_type);
    fputs("</dd>\n<dt>Profile</dt><dd>", out);
    esc_or_dash(out, r->profile_name);
    fprintf(out, "</dd>\n<dt>Packets</dt><dd>%" PRIu64 "</dd>\n"
            "<dt>Bytes</dt><dd>%" PRIu64 "</dd>\n"
            "<dt>Flows</dt><dd>%" PRIu64 "</dd>\n"
            "<dt>Time span</dt><dd>%s to %s UTC (%.3f s)</dd>\n",
            r->packets, r->bytes, r->flows, t0, t1,
            r->packets ? (double)(r->last_us - r->first_us) / 1e6 : 0.0);
    if (r->capture_id)
        fprintf(out, "<dt>Database capture</dt><dd>%" PRId64 "</dd>\n",
                r->capture_id);
    fprintf(out, "<dt>Findings</dt><dd>%" PRIu64 " error, %" PRIu64
            " warning, %" PRIu64 " info</dd>\n</dl>\n",
            r->severity_count[FINDING_ERROR],
            r->severity_count[FINDING_WARNING],
            r->severity_count[FINDING_INFO]);
}

/* --- requirements ------------------------------------------------------ */

static const char *verdict_class(enum verdict v)
{
    return v == VERDICT_FAIL ? "fail" : v == VERDICT_PASS ? "pass" : "nobs";
}

static const char *verdict_text(enum verdict v)
{
    return v == VERDICT_NOT_OBSERVED ? "NOT OBSERVED" : verdict_name(v);
}

/* One row per requirement, a verdict column per requirement set, as in
 * the text report. */
static void html_requirements(FILE *out, const struct report *r)
{
    size_t i, k;

    fputs("<h3>Requirements</h3>\n", out);
    if (r->n_verdicts == 0) {
        fputs("<p class=\"muted\">No requirement was checked.</p>\n", out);
        return;
    }
    fputs("<table class=\"verdicts\">\n<thead><tr><th>Requirement</th>"
          "<th>Check</th>", out);
    for (k = 0; k < r->n_sets; k++) {
        fputs("<th>", out);
        esc(out, r->sets[k]);
        fputs("</th>", out);
    }
    fputs("<th>Severity</th><th>Summary</th><th>Evidence</th><th>Fix</th>"
          "</tr></thead>\n<tbody>\n", out);
    for (i = 0; i < r->n_verdicts; i++) {
        const struct report_verdict *v = &r->verdicts[i];

        if (report_verdict_repeats(r, i))
            continue;
        fputs("<tr><td class=\"id\"><code>", out);
        esc(out, v->requirement);
        fputs("</code></td><td class=\"id\">", out);
        esc_or_dash(out, v->check);
        fputs("</td>", out);
        for (k = 0; k < r->n_sets; k++) {
            const struct report_verdict *c =
                report_find_verdict(r, v->requirement, r->sets[k]);

            if (c)
                fprintf(out, "<td><span class=\"badge %s\">%s</span></td>",
                        verdict_class(c->verdict), verdict_text(c->verdict));
            else
                fputs("<td><span class=\"muted\">-</span></td>", out);
        }
        fputs("<td class=\"id\">", out);
        esc_or_dash(out, v->severity);
        fputs("</td><td>", out);
        esc(out, v->summary);
        fputs("</td><td>", out);
        esc_or_dash(out, v->evidence);
        fputs("</td><td>", out);
        esc_or_dash(out, v->fix);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

/* --- findings ---------------------------------------------------------- */

static void html_finding_row(FILE *out, const struct report_finding *f)
{
    char when[48] = "-";

    if (f->ts_us)
        format_utc(f->ts_us, when, sizeof(when));
    fputs("<tr><td class=\"id\"><code>", out);
    esc(out, f->kind);
    fputs("</code></td><td class=\"id\">", out);
    esc_or_dash(out, f->requirement);
    fputs("</td>", out);
    if (f->flow_id)
        fprintf(out, "<td class=\"num\">%" PRIu64 "</td>", f->flow_id);
    else
        fputs("<td class=\"num\">-</td>", out);
    if (f->first_packet)
        fprintf(out, "<td class=\"num\">%" PRIu64 "</td>", f->first_packet);
    else
        fputs("<td class=\"num\">-</td>", out);
    fprintf(out, "<td class=\"num\">%s</td><td>", when);
    esc(out, f->summary);
    fputs("</td></tr>\n", out);
}

static void html_findings(FILE *out, const struct report *r)
{
    static const enum finding_severity order[] = {
        FINDING_ERROR, FINDING_WARNING, FINDING_INFO,
    };
    size_t i, k;

    fputs("<h3>Findings</h3>\n", out);
    if (r->n_findings == 0) {
        fputs("<p class=\"muted\">No findings.</p>\n", out);
        return;
    }
    for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        const char *name = finding_severity_name(order[k]);
        size_t total = 0, shown = 0;

        for (i = 0; i < r->n_findings; i++)
            total += r->findings[i].severity == order[k];
        if (total == 0)
            continue;
        fprintf(out, "<details%s><summary><span class=\"badge sev-%s\">%s"
                "</span> %zu finding%s</summary>\n<table class=\"findings\">"
                "\n<thead><tr><th>Kind</th><th>Requirement</th>"
                "<th>Flow</th><th>Packet</th><th>Time (UTC)</th>"
                "<th>Summary</th></tr></thead>\n<tbody>\n",
                order[k] == FINDING_INFO ? "" : " open", name, name, total,
                total == 1 ? "" : "s");
        for (i = 0; i < r->n_findings && shown < REPORT_HTML_FINDINGS; i++)
            if (r->findings[i].severity == order[k]) {
                html_finding_row(out, &r->findings[i]);
                shown++;
            }
        fputs("</tbody>\n</table>\n", out);
        if (total > shown)
            fprintf(out, "<p class=\"muted\">... and %zu more %s findings "
                    "(all are in the database).</p>\n", total - shown, name);
        fputs("</details>\n", out);
    }
    if (r->findings_omitted)
        fprintf(out, "<p class=\"muted\">... and %" PRIu64 " more findings "
                "not kept in the report.</p>\n", r->findings_omitted);
}

/* --- classes ----------------------------------------------------------- */

static void html_classes(FILE *out, const struct report *r)
{
    size_t i;

    if (r->n_classes == 0)
        return;
    fputs("<h3>Traffic by class</h3>\n<table class=\"classes\">\n<thead><tr>"
          "<th>Class</th><th class=\"num\">Flows</th><th class=\"num\">"
          "Packets</th><th class=\"num\">Bytes</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < r->n_classes; i++) {
        fputs("<tr><td>", out);
        esc(out, r->classes[i].name);
        fprintf(out, "</td><td class=\"num\">%" PRIu64 "</td><td class="
                "\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64
                "</td></tr>\n", r->classes[i].flows, r->classes[i].packets,
                r->classes[i].bytes);
    }
    fputs("</tbody>\n</table>\n", out);
}

/* --- media streams ----------------------------------------------------- */

static bool stream_of_call(const struct report_stream *s,
                           const struct report_call *c)
{
    return s->call_id && strcmp(s->call_id, c->call_id) == 0;
}

/* Which way a call's stream goes: 0 from the caller (or when the caller
 * is unknown), 1 towards it, as the interface tells them. */
static int stream_way(const struct report_stream *s,
                      const struct report_call *c)
{
    return c && c->caller_ip[0] && strcmp(s->src_ip, c->caller_ip) != 0;
}

/* A call's media flowed one way only: packets from one side and none
 * from the other.  Returns 0 (both ways or none), 1 (caller to callee
 * only) or 2 (callee to caller only). */
static int call_one_way(const struct report *r, const struct report_call *c)
{
    uint64_t way[2] = { 0, 0 };
    size_t i;

    for (i = 0; i < r->n_streams; i++)
        if (stream_of_call(&r->streams[i], c))
            way[stream_way(&r->streams[i], c)] += r->streams[i].packets;
    if (way[0] && !way[1])
        return 1;
    if (!way[0] && way[1])
        return 2;
    return 0;
}

static void html_stream_row(FILE *out, const struct report_stream *s,
                            const struct report_call *c, bool one_way)
{
    fputs("<tr><td>", out);
    if (c)
        fputs(stream_way(s, c) ? "callee \xe2\x86\x92 caller"
                               : "caller \xe2\x86\x92 callee", out);
    else
        fputs(s->direction == FLOW_DIR_C2S ? "c2s" : "s2c", out);
    if (one_way)
        fputs(" <span class=\"badge oneway\">ONE-WAY</span>", out);
    fputs("</td><td><code>", out);
    esc(out, s->src);
    fputs("</code></td><td><code>", out);
    esc(out, s->dst);
    fprintf(out, "</code></td><td><code>0x%08" PRIx32 "</code></td><td>",
            s->ssrc);
    if (s->encoding)
        esc(out, s->encoding);
    else
        fprintf(out, "PT %u", (unsigned)s->payload_type);
    fprintf(out, "</td><td class=\"num\">%" PRIu64 "</td>"
            "<td class=\"num\">%" PRId64 " (%.1f%%)</td>"
            "<td class=\"num\">%.2f</td>", s->packets, s->lost, s->lost_pct,
            s->jitter_ms);
    if (s->has_mos)
        fprintf(out, "<td class=\"num\">%.2f</td>", s->mos);
    else
        fputs("<td class=\"num\">-</td>", out);
    fprintf(out, "<td class=\"num\">%.3f</td></tr>\n",
            (double)(s->last_us - s->first_us) / 1e6);
}

static void html_streams_head(FILE *out)
{
    fputs("<table class=\"streams\">\n<thead><tr><th>Direction</th>"
          "<th>From</th><th>To</th><th>SSRC</th><th>Codec</th>"
          "<th class=\"num\">Packets</th><th class=\"num\">Lost</th>"
          "<th class=\"num\">Max jitter (ms)</th><th class=\"num\">MOS</th>"
          "<th class=\"num\">Duration (s)</th></tr></thead>\n<tbody>\n", out);
}

/* The loss and jitter plots of one stream. */
static void html_stream_plots(FILE *out, const struct report_stream *s)
{
    double *v = xcalloc(s->n_samples ? s->n_samples : 1, sizeof(*v));
    char title[64];
    uint32_t i;

    fputs("<figure>\n<figcaption><code>", out);
    esc(out, s->src);
    fputs("</code> \xe2\x86\x92 <code>", out);
    esc(out, s->dst);
    fprintf(out, "</code> SSRC 0x%08" PRIx32 ", %" PRIu32 " s intervals"
            "</figcaption>\n<div class=\"plots\">\n", s->ssrc,
            s->bucket_s ? s->bucket_s : 1);
    for (i = 0; i < s->n_samples; i++)
        v[i] = s->samples[i].lost;
    snprintf(title, sizeof(title), "Packets lost per interval");
    report_html_plot(out, title, v, s->n_samples, s->bucket_s, true);
    /* Jitter means nothing for an interval without packets: a gap. */
    for (i = 0; i < s->n_samples; i++)
        v[i] = s->samples[i].packets ? s->samples[i].jitter_ms : NAN;
    snprintf(title, sizeof(title), "Jitter (ms, RFC 3550)");
    report_html_plot(out, title, v, s->n_samples, s->bucket_s, false);
    fputs("</div>\n</figure>\n", out);
    free(v);
}

/* --- calls ------------------------------------------------------------- */

static void html_call_meta(FILE *out, const struct report_call *c)
{
    fputs("<p class=\"meta\">From <code>", out);
    esc_or_dash(out, c->from_uri);
    fputs("</code> to <code>", out);
    esc_or_dash(out, c->to_uri);
    fputs("</code><br>State ", out);
    esc(out, c->state);
    if (c->final_status)
        fprintf(out, ", final response %d", c->final_status);
    if (c->ring_us >= 0)
        fprintf(out, ", ringing after %.1f ms", (double)c->ring_us / 1e3);
    if (c->setup_us >= 0)
        fprintf(out, ", set up in %.1f ms", (double)c->setup_us / 1e3);
    if (c->duration_us >= 0)
        fprintf(out, ", lasted %.3f s", (double)c->duration_us / 1e6);
    fprintf(out, "; %" PRIu32 " message%s, %" PRIu32 " retransmission%s",
            c->messages, c->messages == 1 ? "" : "s", c->retransmissions,
            c->retransmissions == 1 ? "" : "s");
    if (c->end_reason) {
        fputs("; ended: ", out);
        esc(out, c->end_reason);
    }
    fputs("</p>\n", out);
}

static void html_call(FILE *out, const struct report *r,
                      const struct report_call *c, size_t *plots)
{
    int one_way = call_one_way(r, c);
    size_t i, n = 0;

    fputs("<article class=\"call\">\n<h4>Call <code>", out);
    esc(out, c->call_id);
    fputs("</code>", out);
    if (one_way)
        fprintf(out, " <span class=\"badge oneway\">ONE-WAY MEDIA %s</span>",
                one_way == 1 ? "caller \xe2\x86\x92 callee only"
                             : "callee \xe2\x86\x92 caller only");
    fputs("</h4>\n", out);
    html_call_meta(out, c);
    fputs("<div class=\"scroll\">\n", out);
    report_html_ladder(out, r, c);
    fputs("</div>\n", out);
    for (i = 0; i < r->n_streams; i++)
        if (stream_of_call(&r->streams[i], c)) {
            if (n++ == 0)
                html_streams_head(out);
            html_stream_row(out, &r->streams[i], c, one_way != 0);
        }
    if (n == 0) {
        fputs("<p class=\"muted\">No RTP stream was tied to this call.</p>\n",
              out);
    } else {
        fputs("</tbody>\n</table>\n", out);
        for (i = 0; i < r->n_streams; i++)
            if (stream_of_call(&r->streams[i], c) &&
                (*plots)++ < REPORT_HTML_PLOTS_MAX)
                html_stream_plots(out, &r->streams[i]);
    }
    fputs("</article>\n", out);
}

/* Calls in the order they began (then as they came). */
static int compare_calls(const void *a, const void *b)
{
    const struct report_call *x = *(const struct report_call *const *)a;
    const struct report_call *y = *(const struct report_call *const *)b;

    if (x->first_us != y->first_us)
        return x->first_us < y->first_us ? -1 : 1;
    return x < y ? -1 : x > y;
}

static bool stream_has_call(const struct report *r,
                            const struct report_stream *s)
{
    size_t i;

    for (i = 0; i < r->n_calls; i++)
        if (stream_of_call(s, &r->calls[i]))
            return true;
    return false;
}

static void html_media(FILE *out, const struct report *r)
{
    const struct report_call **order;
    size_t i, n_other = 0, plots = 0;

    fputs("<h3>Calls</h3>\n", out);
    if (r->n_calls == 0)
        fputs("<p class=\"muted\">No SIP call.</p>\n", out);
    order = xcalloc(r->n_calls ? r->n_calls : 1, sizeof(*order));
    for (i = 0; i < r->n_calls; i++)
        order[i] = &r->calls[i];
    if (r->n_calls)
        qsort(order, r->n_calls, sizeof(*order), compare_calls);
    for (i = 0; i < r->n_calls; i++)
        html_call(out, r, order[i], &plots);
    free(order);
    if (r->calls_omitted)
        fprintf(out, "<p class=\"muted\">... and %" PRIu64 " more calls not "
                "kept in the report (all are in the database).</p>\n",
                r->calls_omitted);
    if (r->sip_omitted)
        fprintf(out, "<p class=\"muted\">%" PRIu64 " SIP messages of calls "
                "were not kept in the report.</p>\n", r->sip_omitted);

    for (i = 0; i < r->n_streams; i++)
        if (!stream_has_call(r, &r->streams[i])) {
            if (n_other++ == 0) {
                fputs("<h3>Other media streams</h3>\n", out);
                html_streams_head(out);
            }
            html_stream_row(out, &r->streams[i], NULL, false);
        }
    if (n_other) {
        fputs("</tbody>\n</table>\n", out);
        for (i = 0; i < r->n_streams; i++)
            if (!stream_has_call(r, &r->streams[i]) &&
                plots++ < REPORT_HTML_PLOTS_MAX)
                html_stream_plots(out, &r->streams[i]);
    }
    if (plots > REPORT_HTML_PLOTS_MAX)
        fprintf(out, "<p class=\"muted\">Plots are drawn for the first %d "
                "streams.</p>\n", REPORT_HTML_PLOTS_MAX);
    if (r->streams_omitted)
        fprintf(out, "<p class=\"muted\">... and %" PRIu64 " more RTP "
                "streams not kept in the report (all are in the database)."
                "</p>\n", r->streams_omitted);
}

void report_html_capture(FILE *out, const struct report *r)
{
    fputs("<section class=\"capture\">\n", out);
    html_facts(out, r);
    html_requirements(out, r);
    html_findings(out, r);
    html_classes(out, r);
    html_media(out, r);
    fputs("</section>\n", out);
}
