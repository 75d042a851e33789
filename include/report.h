/* The compliance report of one capture: a model (verdicts, findings,
 * classes) filled either by the summary sink during a run or from a
 * database (report_db.h), and its renderers: text (here) and JSON
 * (report_json_*).  Both sources give the same text for the same data.
 *
 * struct report is a transparent value; report_* functions copy every
 * string they are given, and text from packet data is escaped when it is
 * rendered (text_escape.h). */
#ifndef RINGSCOPE_REPORT_H
#define RINGSCOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compliance.h"
#include "finding.h"

/* Findings kept per report; the rest are only counted (findings_omitted),
 * so a capture with millions of findings keeps bounded memory.  The
 * database holds them all. */
#define REPORT_FINDINGS_MAX 2000

/* Findings printed per severity in the text report. */
#define REPORT_TEXT_FINDINGS 20

/* The text report's width. */
#define REPORT_TEXT_WIDTH 100

struct report_verdict {
    char *requirement;
    char *set_name;
    enum verdict verdict;
    char *severity;
    char *check;
    char *summary;
    char *evidence;
    char *fix;
};

struct report_finding {
    char *kind;
    enum finding_severity severity;
    char *requirement;          /* NULL when none */
    uint64_t flow_id;           /* 0 when none */
    uint64_t first_packet;      /* 0 unknown */
    int64_t ts_us;              /* 0 unknown */
    char *summary;
};

struct report_class {
    char *name;
    uint64_t flows;
    uint64_t packets;
    uint64_t bytes;
};

struct report {
    int64_t capture_id;         /* database id, 0 without a database */
    char *source;
    char *link_type;
    char *profile_name;
    char *tool_version;
    uint64_t packets;
    uint64_t bytes;
    uint64_t flows;
    int64_t first_us;           /* 0 when no packet */
    int64_t last_us;

    char **sets;                /* verdict columns, in first-seen order */
    size_t n_sets;
    struct report_verdict *verdicts;
    size_t n_verdicts;
    struct report_finding *findings;
    size_t n_findings;
    uint64_t findings_omitted;
    uint64_t severity_count[3]; /* by enum finding_severity, all seen */
    struct report_class *classes;
    size_t n_classes;
};

/* Cannot fail (allocation failure exits). */
struct report *report_new(void);

/* Empties the report for the next capture. */
void report_clear(struct report *r);

/* Accepts NULL. */
void report_free(struct report *r);

/* Sets the capture facts (strings copied; NULL allowed). */
void report_set_capture(struct report *r, int64_t capture_id,
                        const char *source, const char *link_type,
                        const char *profile_name, const char *tool_version);

void report_add_verdict(struct report *r, const struct verdict_record *v);
void report_add_finding(struct report *r, const struct finding *fd);

/* Adds to the class's row (created on first use). */
void report_add_class(struct report *r, const char *name, uint64_t flows,
                      uint64_t packets, uint64_t bytes);

/* Sorts classes by bytes, then flows, then name (descending, descending,
 * ascending), as both the run and the database show them. */
void report_sort_classes(struct report *r);

/* Prints the requirements, the findings by severity and the classes.
 * color: ANSI colours (only for a terminal). */
void report_print(FILE *out, const struct report *r, bool color);

/* Prints the capture's facts (source, link type, packets, bytes, time
 * span, flows) in the summary's layout. */
void report_print_header(FILE *out, const struct report *r);

/* The JSON document ("ringscope-report", version 1; ringscope(1),
 * OUTPUT FORMAT) being built from the reports of a run. */
struct report_json;

struct report_json *report_json_new(void);
void report_json_free(struct report_json *j);

/* Appends one capture.  Cannot fail. */
void report_json_add(struct report_json *j, const struct report *r);

/* Writes the document to path ("-": standard output).  Returns 0, or -1
 * after reporting the error. */
int report_json_write(const struct report_json *j, const char *path);

#endif
