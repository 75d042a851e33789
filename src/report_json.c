/* The JSON report (format "ringscope-report", version 1; documented in
 * ringscope(1), OUTPUT FORMAT).  The only user of json-c.  Strings from
 * packet data pass text_escape_terminal() first, so the document is
 * valid UTF-8 without control characters; json-c escapes the rest. */
#include "config.h"

#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "log.h"
#include "text_escape.h"
#include "xalloc.h"

#define REPORT_JSON_FORMAT "ringscope-report"
#define REPORT_JSON_VERSION 1

struct report_json {
    json_object *root;
    json_object *captures;      /* borrowed from root */
};

static json_object *jstr(const char *s)
{
    char buf[4096];

    if (!s)
        return NULL;    /* json-c writes NULL members as null */
    return json_object_new_string(text_escape_terminal(s, buf, sizeof(buf)));
}

static json_object *jts(int64_t us)
{
    if (us == 0)
        return NULL;
    return json_object_new_double((double)us / 1e6);
}

static json_object *ju64(uint64_t v)
{
    return json_object_new_int64((int64_t)v);
}

struct report_json *report_json_new(void)
{
    struct report_json *j = xcalloc(1, sizeof(*j));

    j->root = json_object_new_object();
    j->captures = json_object_new_array();
    /* json-c fails only when memory runs out; like xmalloc, give up. */
    if (!j->root || !j->captures) {
        log_error("out of memory");
        exit(EXIT_FAILURE);
    }
    json_object_object_add(j->root, "format",
                           json_object_new_string(REPORT_JSON_FORMAT));
    json_object_object_add(j->root, "version",
                           json_object_new_int(REPORT_JSON_VERSION));
    json_object_object_add(j->root, "captures", j->captures);
    return j;
}

void report_json_free(struct report_json *j)
{
    if (!j)
        return;
    json_object_put(j->root);
    free(j);
}

static json_object *verdict_json(const struct report_verdict *v)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "requirement", jstr(v->requirement));
    json_object_object_add(o, "set", jstr(v->set_name));
    json_object_object_add(o, "verdict", jstr(verdict_name(v->verdict)));
    json_object_object_add(o, "severity", jstr(v->severity));
    json_object_object_add(o, "check", jstr(v->check));
    json_object_object_add(o, "summary", jstr(v->summary));
    json_object_object_add(o, "evidence", jstr(v->evidence));
    json_object_object_add(o, "fix", jstr(v->fix));
    return o;
}

static json_object *finding_json(const struct report_finding *f)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "kind", jstr(f->kind));
    json_object_object_add(o, "severity",
                           jstr(finding_severity_name(f->severity)));
    json_object_object_add(o, "requirement", jstr(f->requirement));
    json_object_object_add(o, "flow_id", f->flow_id ? ju64(f->flow_id)
                                                    : NULL);
    json_object_object_add(o, "first_packet",
                           f->first_packet ? ju64(f->first_packet) : NULL);
    json_object_object_add(o, "ts", jts(f->ts_us));
    json_object_object_add(o, "summary", jstr(f->summary));
    return o;
}

static json_object *class_json(const struct report_class *c)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "class", jstr(c->name));
    json_object_object_add(o, "flows", ju64(c->flows));
    json_object_object_add(o, "packets", ju64(c->packets));
    json_object_object_add(o, "bytes", ju64(c->bytes));
    return o;
}

void report_json_add(struct report_json *j, const struct report *r)
{
    json_object *c = json_object_new_object();
    json_object *a;
    size_t i;

    json_object_object_add(c, "source", jstr(r->source));
    json_object_object_add(c, "capture_id",
                           r->capture_id ? json_object_new_int64(r->capture_id)
                                         : NULL);
    json_object_object_add(c, "link_type", jstr(r->link_type));
    json_object_object_add(c, "profile", jstr(r->profile_name));
    json_object_object_add(c, "tool_version", jstr(r->tool_version));
    json_object_object_add(c, "packets", ju64(r->packets));
    json_object_object_add(c, "bytes", ju64(r->bytes));
    json_object_object_add(c, "flows", ju64(r->flows));
    json_object_object_add(c, "first_ts", jts(r->first_us));
    json_object_object_add(c, "last_ts", jts(r->last_us));

    a = json_object_new_array();
    for (i = 0; i < r->n_sets; i++)
        json_object_array_add(a, jstr(r->sets[i]));
    json_object_object_add(c, "sets", a);

    a = json_object_new_array();
    for (i = 0; i < r->n_verdicts; i++)
        json_object_array_add(a, verdict_json(&r->verdicts[i]));
    json_object_object_add(c, "requirements", a);

    a = json_object_new_array();
    for (i = 0; i < r->n_findings; i++)
        json_object_array_add(a, finding_json(&r->findings[i]));
    json_object_object_add(c, "findings", a);
    json_object_object_add(c, "findings_omitted", ju64(r->findings_omitted));

    a = json_object_new_array();
    for (i = 0; i < r->n_classes; i++)
        json_object_array_add(a, class_json(&r->classes[i]));
    json_object_object_add(c, "classes", a);

    json_object_array_add(j->captures, c);
}

int report_json_write(const struct report_json *j, const char *path)
{
    const char *text;
    FILE *f;
    bool to_stdout = strcmp(path, "-") == 0;

    text = json_object_to_json_string_ext(
        j->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                     JSON_C_TO_STRING_NOSLASHESCAPE);
    f = to_stdout ? stdout : fopen(path, "w");
    if (!f)
        return log_error("cannot write '%s': %s", path, strerror(errno));
    fputs(text, f);
    fputc('\n', f);
    return report_output_close(f, path, to_stdout, 0);
}
