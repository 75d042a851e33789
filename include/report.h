/* The compliance report of one capture: a model (verdicts, findings,
 * classes) filled either by the summary sink during a run or from a
 * database (report_db.h), and its renderers: text (here) and JSON
 * (report_json_*).  Both sources give the same text for the same data.
 *
 * The HTML page (report_html.h) also shows the calls, their SIP messages
 * and the RTP streams with their time series; the report keeps those
 * only when asked to (keep_media), from the records of a run
 * (report_add_sip_message() and the like, report_media.c) or from the
 * same tables of a database, in the order they were written, so both
 * sources give the same page.
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
#include "flow.h"
#include "ipaddr.h"

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

/* Calls, SIP messages of calls and RTP streams kept per report when
 * keep_media is set; the rest are only counted.  A message is kept when
 * its Call-ID had an INVITE before it (or it is the INVITE), up to
 * REPORT_SIP_MESSAGES_MAX, so OPTIONS and REGISTER traffic does not push
 * the calls out. */
#define REPORT_CALLS_MAX 200
#define REPORT_SIP_MESSAGES_MAX 5000
#define REPORT_STREAMS_MAX 1000

/* Call-IDs remembered as calls for the message filter (a hash set). */
#define REPORT_CALL_IDS_SLOTS 1024

struct report_sip_message {
    char *call_id;
    uint64_t _call_hash;
    uint64_t packet;
    int64_t ts_us;
    char src[IPADDR_ENDPOINT_STRLEN];   /* "192.0.2.1:5060" */
    char dst[IPADDR_ENDPOINT_STRLEN];
    char transport[4];          /* "udp" or "tcp" */
    char *method;               /* requests; NULL for responses */
    int status;                 /* responses; 0 for requests */
    char *reason;               /* NULL when none */
    int64_t cseq;               /* -1 when absent */
    char *cseq_method;          /* NULL when absent */
    char *user_agent;           /* User-Agent, else Server; NULL: none */
    bool retransmission;
};

struct report_call {
    char *call_id;
    uint64_t _call_hash;
    char *state;
    char *from_uri;             /* NULL when absent */
    char *to_uri;
    char caller[IPADDR_ENDPOINT_STRLEN];    /* "" when unknown */
    char callee[IPADDR_ENDPOINT_STRLEN];
    char caller_ip[IPADDR_STRLEN];
    uint64_t flow_id;
    uint64_t first_packet;
    int64_t first_us;           /* 0 when unknown */
    int64_t last_us;
    int64_t ring_us;            /* -1 when unknown */
    int64_t setup_us;
    int64_t duration_us;
    int final_status;           /* 0 when none */
    uint32_t messages;
    uint32_t retransmissions;
    char *end_reason;
};

struct report_sample {
    uint32_t packets;
    int32_t lost;
    double jitter_ms;
};

struct report_stream {
    uint64_t flow_id;
    char *call_id;              /* NULL when not tied to a call */
    uint32_t ssrc;
    enum flow_dir direction;
    char src[IPADDR_ENDPOINT_STRLEN];
    char dst[IPADDR_ENDPOINT_STRLEN];
    char src_ip[IPADDR_STRLEN];
    char *encoding;             /* NULL when unknown */
    uint8_t payload_type;
    uint64_t packets;
    int64_t lost;               /* tshark's */
    double lost_pct;
    double jitter_ms;           /* tshark's max jitter */
    bool has_mos;
    double mos;
    int64_t first_us;
    int64_t last_us;
    /* The time series: n_samples intervals of bucket_s seconds from
     * first_us (rtp_series.h), intervals without a record zero. */
    uint32_t bucket_s;
    uint32_t n_samples;
    struct report_sample *samples;
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

    /* Calls and media, for the HTML page; kept only with keep_media,
     * which report_clear() leaves as it was. */
    bool keep_media;
    struct report_call *calls;
    size_t n_calls;
    uint64_t calls_omitted;
    struct report_sip_message *sip;
    size_t n_sip;
    uint64_t sip_omitted;       /* of calls, beyond the cap */
    struct report_stream *streams;
    size_t n_streams;
    uint64_t streams_omitted;
    uint64_t *_call_ids;        /* REPORT_CALL_IDS_SLOTS hashes, 0 free */
    size_t _n_call_ids;
    size_t _last_stream;        /* where the last sample went */
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

/* Calls and media (report_media.c): each does nothing unless
 * keep_media is set; records are borrowed, everything kept is copied. */
struct sip_message_record;
struct call_record;
struct rtp_stream_record;
struct rtp_sample_record;

void report_add_sip_message(struct report *r,
                            const struct sip_message_record *m);
void report_add_call(struct report *r, const struct call_record *c);
void report_add_rtp_stream(struct report *r,
                           const struct rtp_stream_record *s);

/* Adds one interval to the stream of the same flow, SSRC and direction
 * (ignored when that stream was not kept). */
void report_add_rtp_sample(struct report *r,
                           const struct rtp_sample_record *s);

/* Frees the calls and media (part of report_clear()). */
void report_clear_media(struct report *r);

/* Sorts classes by bytes, then flows, then name (descending, descending,
 * ascending), as both the run and the database show them. */
void report_sort_classes(struct report *r);

/* Prints the requirements, the findings by severity and the classes.
 * color: ANSI colours (only for a terminal). */
void report_print(FILE *out, const struct report *r, bool color);

/* The verdict row of requirement REQ in requirement set SET, or NULL. */
const struct report_verdict *report_find_verdict(const struct report *r,
                                                 const char *req,
                                                 const char *set);

/* True when a verdict row before row I names the same requirement: every
 * renderer shows each requirement once, with a column per set. */
bool report_verdict_repeats(const struct report *r, size_t i);

/* Finishes an output file of the renderers: closes F, or flushes it when
 * it is stdout.  Logs the first write error against PATH.  Returns RET,
 * or -1 when F saw an error. */
int report_output_close(FILE *f, const char *path, bool to_stdout, int ret);

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
