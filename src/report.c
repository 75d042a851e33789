/* The compliance report model and its text rendering: requirements with
 * one verdict column per requirement set, findings by severity, traffic
 * by class.  Lines fit REPORT_TEXT_WIDTH columns. */
#include "config.h"

#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "text_escape.h"
#include "xalloc.h"

#define ANSI_RED "\033[1;31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

/* Indent of summaries, fixes and evidence under their requirement. */
#define REPORT_INDENT 6

/* Verdict columns shown side by side (four fit in the width). */
#define REPORT_TEXT_SETS 4

/* Escaped text is at most 6 bytes per input byte ("\u202e" for 3). */
#define REPORT_ESCAPED_MAX 4096

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct report *report_new(void)
{
    return xcalloc(1, sizeof(struct report));
}

void report_clear(struct report *r)
{
    bool keep_media;
    size_t i;

    free(r->source);
    free(r->link_type);
    free(r->profile_name);
    free(r->tool_version);
    for (i = 0; i < r->n_sets; i++)
        free(r->sets[i]);
    free(r->sets);
    for (i = 0; i < r->n_verdicts; i++) {
        struct report_verdict *v = &r->verdicts[i];

        free(v->requirement);
        free(v->set_name);
        free(v->severity);
        free(v->check);
        free(v->summary);
        free(v->evidence);
        free(v->fix);
    }
    free(r->verdicts);
    for (i = 0; i < r->n_findings; i++) {
        free(r->findings[i].kind);
        free(r->findings[i].requirement);
        free(r->findings[i].summary);
    }
    free(r->findings);
    for (i = 0; i < r->n_classes; i++)
        free(r->classes[i].name);
    free(r->classes);
    report_clear_media(r);
    keep_media = r->keep_media;
    memset(r, 0, sizeof(*r));
    r->keep_media = keep_media;
}

void report_free(struct report *r)
{
    if (!r)
        return;
    report_clear(r);
    free(r);
}

void report_set_capture(struct report *r, int64_t capture_id,
                        const char *source, const char *link_type,
                        const char *profile_name, const char *tool_version)
{
    r->capture_id = capture_id;
    free(r->source);
    free(r->link_type);
    free(r->profile_name);
    free(r->tool_version);
    r->source = dup_or_null(source);
    r->link_type = dup_or_null(link_type);
    r->profile_name = dup_or_null(profile_name);
    r->tool_version = dup_or_null(tool_version);
}

static void add_set(struct report *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->n_sets; i++)
        if (strcmp(r->sets[i], name) == 0)
            return;
    r->sets = xreallocarray(r->sets, r->n_sets + 1, sizeof(*r->sets));
    r->sets[r->n_sets++] = xstrdup(name);
}

void report_add_verdict(struct report *r, const struct verdict_record *v)
{
    struct report_verdict *d;

    add_set(r, v->set_name);
    r->verdicts = xreallocarray(r->verdicts, r->n_verdicts + 1,
                                sizeof(*r->verdicts));
    d = &r->verdicts[r->n_verdicts++];
    d->requirement = xstrdup(v->requirement);
    d->set_name = xstrdup(v->set_name);
    d->verdict = v->verdict;
    d->severity = dup_or_null(v->severity);
    d->check = dup_or_null(v->check);
    d->summary = xstrdup(v->summary ? v->summary : "");
    d->evidence = xstrdup(v->evidence ? v->evidence : "");
    d->fix = xstrdup(v->fix ? v->fix : "");
}

void report_add_finding(struct report *r, const struct finding *fd)
{
    struct report_finding *d;

    if ((size_t)fd->severity < 3)
        r->severity_count[fd->severity]++;
    if (r->n_findings == REPORT_FINDINGS_MAX) {
        r->findings_omitted++;
        return;
    }
    r->findings = xreallocarray(r->findings, r->n_findings + 1,
                                sizeof(*r->findings));
    d = &r->findings[r->n_findings++];
    d->kind = xstrdup(fd->kind);
    d->severity = fd->severity;
    d->requirement = dup_or_null(fd->requirement);
    d->flow_id = fd->flow_id;
    d->first_packet = fd->first_packet;
    d->ts_us = fd->ts_us;
    d->summary = xstrndup(fd->summary, strnlen(fd->summary,
                                               sizeof(fd->summary)));
}

void report_add_class(struct report *r, const char *name, uint64_t flows,
                      uint64_t packets, uint64_t bytes)
{
    struct report_class *c = NULL;
    size_t i;

    for (i = 0; i < r->n_classes && !c; i++)
        if (strcmp(r->classes[i].name, name) == 0)
            c = &r->classes[i];
    if (!c) {
        r->classes = xreallocarray(r->classes, r->n_classes + 1,
                                   sizeof(*r->classes));
        c = &r->classes[r->n_classes++];
        memset(c, 0, sizeof(*c));
        c->name = xstrdup(name);
    }
    c->flows += flows;
    c->packets += packets;
    c->bytes += bytes;
}

static int compare_classes(const void *a, const void *b)
{
    const struct report_class *x = a, *y = b;

    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->flows != y->flows)
        return x->flows > y->flows ? -1 : 1;
    return strcmp(x->name, y->name);
}

void report_sort_classes(struct report *r)
{
    if (r->n_classes)
        qsort(r->classes, r->n_classes, sizeof(*r->classes),
              compare_classes);
}

/* --- text ------------------------------------------------------------- */

/* Prints text escaped and word-wrapped to the report width, every line
 * indented; label (may be "") goes in front of the first line. */
static void print_wrapped(FILE *out, const char *label, const char *text)
{
    char buf[REPORT_ESCAPED_MAX];
    const char *s;
    size_t width = REPORT_TEXT_WIDTH - REPORT_INDENT;
    size_t col = strlen(label);
    bool first = true;

    text_escape_terminal(text, buf, sizeof(buf));
    fprintf(out, "%*s%s", REPORT_INDENT, "", label);
    s = buf;
    while (*s == ' ')
        s++;
    while (*s) {
        size_t word = strcspn(s, " ");

        if (!first && col + 1 + word > width) {
            fprintf(out, "\n%*s", REPORT_INDENT + 2, "");
            col = 2;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(s, 1, word, out);
        col += word;
        first = false;
        s += word;
        while (*s == ' ')
            s++;
    }
    fputc('\n', out);
}

static const char *verdict_text(enum verdict v)
{
    return v == VERDICT_NOT_OBSERVED ? "NOT OBSERVED" : verdict_name(v);
}

static const char *verdict_color(enum verdict v)
{
    return v == VERDICT_FAIL ? ANSI_RED
           : v == VERDICT_PASS ? ANSI_GREEN
                               : ANSI_YELLOW;
}

const struct report_verdict *report_find_verdict(const struct report *r,
                                                 const char *req,
                                                 const char *set)
{
    size_t i;

    for (i = 0; i < r->n_verdicts; i++)
        if (strcmp(r->verdicts[i].requirement, req) == 0 &&
            strcmp(r->verdicts[i].set_name, set) == 0)
            return &r->verdicts[i];
    return NULL;
}

bool report_verdict_repeats(const struct report *r, size_t i)
{
    size_t k;

    for (k = 0; k < i; k++)
        if (strcmp(r->verdicts[k].requirement,
                   r->verdicts[i].requirement) == 0)
            return true;
    return false;
}

static void print_requirements(FILE *out, const struct report *r,
                               bool color)
{
    char id[64];
    size_t i, k;

    if (r->n_verdicts == 0)
        return;
    fprintf(out, "\n  %-22s %-11s", "requirement", "check");
    for (k = 0; k < r->n_sets && k < REPORT_TEXT_SETS; k++)
        fprintf(out, " %-*.13s", k + 1 < r->n_sets ? 13 : 0, r->sets[k]);
    fputc('\n', out);
    for (i = 0; i < r->n_verdicts; i++) {
        const struct report_verdict *v = &r->verdicts[i];

        if (report_verdict_repeats(r, i))
            continue;
        text_escape_terminal(v->requirement, id, sizeof(id));
        fprintf(out, "  %-22s %-11s", id, v->check ? v->check : "");
        for (k = 0; k < r->n_sets && k < REPORT_TEXT_SETS; k++) {
            const struct report_verdict *c =
                report_find_verdict(r, v->requirement, r->sets[k]);
            /* No padding after the last column, unless more follows. */
            int w = k + 1 < r->n_sets || (v->severity &&
                    strcmp(v->severity, "error") != 0) ? 13 : 0;

            if (!c)
                fprintf(out, " %-*s", w, "-");
            else if (color)
                fprintf(out, " %s%-*s%s", verdict_color(c->verdict), w,
                        verdict_text(c->verdict), ANSI_RESET);
            else
                fprintf(out, " %-*s", w, verdict_text(c->verdict));
        }
        if (v->severity && strcmp(v->severity, "error") != 0)
            fprintf(out, " (%s)", v->severity);
        fputc('\n', out);
        print_wrapped(out, "", v->summary);
        if (v->fix && v->fix[0])
            print_wrapped(out, "fix: ", v->fix);
        if (v->evidence && v->evidence[0])
            print_wrapped(out, "evidence: ", v->evidence);
    }
}

static void print_findings(FILE *out, const struct report *r, bool color)
{
    static const enum finding_severity order[] = {
        FINDING_ERROR, FINDING_WARNING, FINDING_INFO,
    };
    size_t i, k;

    if (r->n_findings == 0)
        return;
    fprintf(out, "\n  findings: %" PRIu64 " error, %" PRIu64 " warning, %"
            PRIu64 " info\n", r->severity_count[FINDING_ERROR],
            r->severity_count[FINDING_WARNING],
            r->severity_count[FINDING_INFO]);
    for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        size_t shown = 0, total = 0;

        for (i = 0; i < r->n_findings; i++) {
            const struct report_finding *f = &r->findings[i];
            char kind[64], req[64], where[64];

            if (f->severity != order[k])
                continue;
            if (++total > REPORT_TEXT_FINDINGS)
                continue;
            shown++;
            text_escape_terminal(f->kind, kind, sizeof(kind));
            text_escape_terminal(f->requirement ? f->requirement : "-", req,
                                 sizeof(req));
            if (f->flow_id)
                snprintf(where, sizeof(where), "flow %" PRIu64 " packet %"
                         PRIu64, f->flow_id, f->first_packet);
            else
                snprintf(where, sizeof(where), "packet %" PRIu64,
                         f->first_packet);
            fprintf(out, "  %s%-8s%s %-26s %-18s %s\n",
                    color && order[k] == FINDING_ERROR ? ANSI_RED
                    : color ? ANSI_BOLD : "",
                    finding_severity_name(f->severity),
                    color ? ANSI_RESET : "", kind, req, where);
            print_wrapped(out, "", f->summary);
        }
        if (total > shown)
            fprintf(out, "  ... and %zu more %s findings (all are in the "
                    "database)\n", total - shown,
                    finding_severity_name(order[k]));
    }
    if (r->findings_omitted)
        fprintf(out, "  ... and %" PRIu64 " more findings not kept in the "
                "report\n", r->findings_omitted);
}

static void print_classes(FILE *out, const struct report *r)
{
    char name[64];
    size_t i;

    if (r->n_classes == 0)
        return;
    fprintf(out, "\n  %-20s %10s %12s %14s\n", "class", "flows", "packets",
            "bytes");
    for (i = 0; i < r->n_classes; i++) {
        text_escape_terminal(r->classes[i].name, name, sizeof(name));
        fprintf(out, "  %-20s %10" PRIu64 " %12" PRIu64 " %14" PRIu64 "\n",
                name, r->classes[i].flows, r->classes[i].packets,
                r->classes[i].bytes);
    }
}

void report_print(FILE *out, const struct report *r, bool color)
{
    print_requirements(out, r, color);
    print_findings(out, r, color);
    print_classes(out, r);
}

static void format_utc(int64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

void report_print_header(FILE *out, const struct report *r)
{
    char src[REPORT_ESCAPED_MAX], link[64];
    char t0[32] = "-", t1[32] = "-";

    if (r->packets) {
        format_utc(r->first_us, t0, sizeof(t0));
        format_utc(r->last_us, t1, sizeof(t1));
    }
    text_escape_terminal(r->source, src, sizeof(src));
    text_escape_terminal(r->link_type ? r->link_type : "?", link,
                         sizeof(link));
    fprintf(out, "capture %s (%s)\n", src, link);
    fprintf(out, "  %" PRIu64 " packets, %" PRIu64 " bytes, %s to %s UTC "
            "(%.3f s)\n", r->packets, r->bytes, t0, t1,
            r->packets ? (double)(r->last_us - r->first_us) / 1e6 : 0.0);
    fprintf(out, "  %" PRIu64 " flows\n", r->flows);
}

int report_output_close(FILE *f, const char *path, bool to_stdout, int ret)
{
    if (ferror(f) && ret == 0)
        ret = log_error("cannot write '%s': %s", path, strerror(errno));
    if (to_stdout) {
        if (fflush(f) != 0 && ret == 0)
            ret = log_error("cannot write '%s': %s", path, strerror(errno));
    } else if (fclose(f) != 0 && ret == 0) {
        ret = log_error("cannot write '%s': %s", path, strerror(errno));
    }
    return ret;
}
