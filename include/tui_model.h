/* The interactive interface's model: plain rows copied from flows,
 * findings, SIP calls and requirement verdicts, plus the capture counters
 * of the header, and for each table its sort order, category and text
 * filters, selection and scroll position.
 *
 * Everything here is computation on memory: no terminal, no I/O and no
 * clock (times come in with the data), so sorting, filtering, selection
 * and scrolling are unit-tested without curses and the --batch output is
 * deterministic.  Screens read the model and never change it while they
 * draw; key handlers change it through the functions below.
 *
 * Every string that comes from packets (hostnames, nDPI names, SIP
 * headers, finding summaries) is passed through tui_model_sanitize() as it
 * is copied in, so no control character or escape sequence ever reaches
 * the terminal.
 *
 * Memory is bounded: each table keeps at most TUI_MODEL_MAX_* rows.  When
 * the flow table is full the older half of the ended flows is dropped;
 * when the findings or the calls are full the older half of them is
 * dropped; a row that still finds no room (a flow while every flow is
 * live, a requirement past the checklist's bound) is refused.  Every row
 * not kept is counted (tui_model_dropped()) and the header shows the
 * count.  The database keeps everything. */
#ifndef RINGSCOPE_TUI_MODEL_H
#define RINGSCOPE_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "flow.h"
#include "ipaddr.h"

struct tui_model;

#define TUI_MODEL_MAX_FLOWS 50000
#define TUI_MODEL_MAX_FINDINGS 20000
#define TUI_MODEL_MAX_CALLS 4096
#define TUI_MODEL_MAX_REQUIREMENTS 256
/* SIP messages kept per call for the ladder of the call detail. */
#define TUI_MODEL_MAX_CALL_MESSAGES 64

/* Text sizes, terminator included. */
#define TUI_NAME_MAX 48             /* class, kind, requirement, state */
#define TUI_ENDPOINT_MAX 56         /* "[IPv6]:port" */
#define TUI_FILTER_MAX 64
#define TUI_SOURCE_MAX 256
#define TUI_CALL_ID_MAX 128
#define TUI_URI_MAX 96
#define TUI_LABEL_MAX 48
#define TUI_TEXT_MAX 512            /* summaries, requirement text */
/* Requirement sets (verdict columns) kept per requirement. */
#define TUI_MODEL_MAX_SETS 4

enum tui_table {
    TUI_TABLE_FLOWS,
    TUI_TABLE_CALLS,
    TUI_TABLE_FINDINGS,
    TUI_TABLE_CHECKLIST,
    TUI_TABLE_COUNT,
};

/* A requirement's verdict (SPEC 5).  The order is the checklist's sort
 * rank: failures first when sorted descending. */
enum tui_verdict {
    TUI_VERDICT_NOT_OBSERVED,
    TUI_VERDICT_PASS,
    TUI_VERDICT_FAIL,
};

/* Columns of each table; the sort order is by one of them. */
enum tui_flow_col {
    TUI_FLOW_COL_FRAME,         /* frame that opened the flow */
    TUI_FLOW_COL_CLASS,
    TUI_FLOW_COL_CLIENT,
    TUI_FLOW_COL_SERVER,
    TUI_FLOW_COL_APP,           /* "TCP", or "TCP/TLS" with nDPI's name */
    TUI_FLOW_COL_PACKETS,       /* each way; sorted by the sum */
    TUI_FLOW_COL_BYTES,
    TUI_FLOW_COL_RETRANS,       /* every kind Wireshark flags, each way */
    TUI_FLOW_COL_STATE,         /* TCP handshake outcome */
    TUI_FLOW_COL_DURATION,
    TUI_FLOW_COL_HOST,
    TUI_FLOW_COL_COUNT,
};

enum tui_call_col {
    TUI_CALL_COL_START,
    TUI_CALL_COL_CALL_ID,
    TUI_CALL_COL_FROM,
    TUI_CALL_COL_TO,
    TUI_CALL_COL_STATE,
    TUI_CALL_COL_DURATION,
    TUI_CALL_COL_MEDIA_FWD,     /* caller to callee: packets, loss, jitter */
    TUI_CALL_COL_MEDIA_REV,     /* callee to caller */
    TUI_CALL_COL_ONE_WAY,
    TUI_CALL_COL_COUNT,
};

enum tui_finding_col {
    TUI_FINDING_COL_SEVERITY,
    TUI_FINDING_COL_KIND,
    TUI_FINDING_COL_REQUIREMENT,
    TUI_FINDING_COL_FRAME,
    TUI_FINDING_COL_TIME,
    TUI_FINDING_COL_SUMMARY,
    TUI_FINDING_COL_COUNT,
};

enum tui_check_col {
    TUI_CHECK_COL_VERDICT,
    TUI_CHECK_COL_REQUIREMENT,
    TUI_CHECK_COL_SETS,
    TUI_CHECK_COL_SUMMARY,
    TUI_CHECK_COL_COUNT,
};

/* The counters of the header.  Times are UTC microseconds. */
struct tui_stats {
    char source[TUI_SOURCE_MAX];    /* file or interface */
    bool live;
    bool finished;                  /* the capture was read to its end */
    int64_t first_us;               /* first packet; 0 none */
    int64_t last_us;                /* latest packet */
    int64_t elapsed_us;             /* live: since the start; file: packet
                                       time from first to last packet */
    uint64_t packets;
    uint64_t bytes;
    double packets_per_s;
    uint64_t drops;                 /* kernel and interface drops */
    uint64_t flows_live;
    uint64_t flows_total;
};

/* Every row carries a serial, unique in the model and never reused: the
 * selection follows it when rows are sorted, filtered or dropped. */
struct tui_flow_row {
    uint64_t serial;
    unsigned capture;               /* 1-based capture number in this run */
    uint64_t flow_id;
    uint64_t first_packet;
    uint8_t ip_version;
    uint8_t proto;
    uint16_t vlan;
    char class_name[TUI_NAME_MAX];  /* "other" when unclassified */
    struct ip_addr client_ip;
    struct ip_addr server_ip;
    uint16_t client_port;
    uint16_t server_port;
    char client[TUI_ENDPOINT_MAX];  /* "ip:port", for display */
    char server[TUI_ENDPOINT_MAX];
    enum flow_side client_side;
    enum flow_side server_side;
    enum flow_classified_by classified_by;
    char app[FLOW_NDPI_NAME_MAX];   /* nDPI protocol, "" unknown */
    char category[FLOW_NDPI_NAME_MAX];
    char hostname[FLOW_HOSTNAME_MAX];
    uint64_t packets[2];            /* indexed by enum flow_dir */
    uint64_t bytes[2];
    uint64_t dscp_seen[2];
    uint32_t tcp[2][FLOW_TCPF_COUNT];
    uint32_t retrans[2];            /* plain + fast + spurious */
    enum flow_tcp_state tcp_state;
    int64_t tcp_rtt_us;
    int64_t first_us;
    int64_t last_us;
    bool ended;
    enum flow_end_reason end_reason;    /* when ended */
};

struct tui_finding_row {
    uint64_t serial;
    unsigned capture;
    enum finding_severity severity;
    char kind[TUI_NAME_MAX];
    char requirement[TUI_NAME_MAX]; /* "" when none */
    uint64_t flow_id;               /* 0 when no single flow */
    uint64_t first_packet;
    int64_t ts_us;
    char summary[TUI_TEXT_MAX];
};

/* One direction of a call's media, as the RTP analysis reports it. */
struct tui_call_media {
    bool seen;                      /* any packet this way */
    uint64_t packets;
    int64_t lost;                   /* RFC 3550 cumulative loss */
    double jitter_ms;
};

/* Which way of a call's media failed (SPEC 4, one-way media). */
enum tui_one_way {
    TUI_ONE_WAY_NONE,
    TUI_ONE_WAY_FWD_ONLY,           /* caller to callee only */
    TUI_ONE_WAY_REV_ONLY,           /* callee to caller only */
};

/* A SIP call as a value: what tui_model_set_call() takes and what the
 * calls table holds. */
struct tui_call {
    char call_id[TUI_CALL_ID_MAX];
    char from[TUI_URI_MAX];
    char to[TUI_URI_MAX];
    char state[TUI_NAME_MAX];       /* as the SIP analysis names it */
    int64_t start_us;
    int64_t end_us;                 /* the end, or the latest message
                                       while the call goes on */
    struct ip_addr caller_ip;       /* who sent the INVITE; family 0
                                       when unknown */
    bool media_known;               /* media was analysed: media[] and
                                       one_way are meaningful */
    struct tui_call_media media[2]; /* [0] caller to callee, [1] back */
    enum tui_one_way one_way;
};

/* One SIP message of a call, for the ladder. */
struct tui_sip_msg {
    uint64_t packet;                /* frame number */
    int64_t ts_us;
    char src[TUI_ENDPOINT_MAX];
    char dst[TUI_ENDPOINT_MAX];
    char label[TUI_LABEL_MAX];      /* "INVITE", "180 Ringing" */
};

struct tui_call_row {
    uint64_t serial;
    struct tui_call call;
    struct tui_sip_msg *messages;   /* owned; up to the maximum above */
    size_t n_messages;
    uint64_t messages_dropped;
};

/* The verdict of a requirement in one requirement set. */
struct tui_set_verdict {
    char set[TUI_NAME_MAX];
    enum tui_verdict verdict;
    char summary[TUI_TEXT_MAX];
};

struct tui_check_row {
    uint64_t serial;
    char id[TUI_NAME_MAX];
    char sets[TUI_NAME_MAX];        /* "document,current" */
    char text[TUI_TEXT_MAX];        /* the requirement, for humans */
    enum tui_verdict verdict;       /* the worst over its sets */
    char summary[TUI_TEXT_MAX];     /* why; "" until a verdict is set */
    struct tui_set_verdict per_set[TUI_MODEL_MAX_SETS];
    size_t n_per_set;
};

/* Copies src into dst (dstlen > 0) so that it is safe to show on a
 * terminal, and always terminates it.  Printable ASCII and well-formed
 * UTF-8 for printable characters are kept; control characters (C0, DEL,
 * C1), malformed or overlong UTF-8, surrogates, and the invisible
 * direction and line controls (U+200E/F, U+2028..U+202E, U+2066..U+2069,
 * U+FEFF) each become one '?'.  An ESC [ 2 J sequence thus shows as the
 * harmless text "?[2J".  A multibyte character that does not fit is cut
 * whole.  Returns the length written. */
size_t tui_model_sanitize(char *dst, size_t dstlen, const char *src);

/* Formats "192.0.2.1:5060" or "[2001:db8::1]:5060" into buf
 * (TUI_ENDPOINT_MAX bytes). */
void tui_model_endpoint(const struct ip_addr *ip, uint16_t port, char *buf);

const char *tui_verdict_name(enum tui_verdict v);

/* Formatting shared by the cells and the detail screens. */
/* A count in at most five characters: exact below 10,000, then with a
 * k, M or G suffix (powers of 1,000). */
void tui_model_format_count(uint64_t v, char *buf, size_t len);
/* "0.250s", "59.9s", "1m05s", "2h03m". */
void tui_model_format_duration(int64_t us, char *buf, size_t len);
/* "HH:MM:SS.mmm" in UTC; "-" for 0. */
void tui_model_format_clock(int64_t us, char *buf, size_t len);

/* A new, empty model.  Exits on exhaustion (start-up path). */
struct tui_model *tui_model_new(void);

/* Accepts NULL. */
void tui_model_free(struct tui_model *m);

/* Starts a new capture: the capture number of the rows that follow
 * goes up by one (flow ids are unique per capture only). */
void tui_model_begin_capture(struct tui_model *m);

void tui_model_set_stats(struct tui_model *m, const struct tui_stats *st);
const struct tui_stats *tui_model_stats(const struct tui_model *m);

/* A message for the status line (sanitized, one line); "" clears it. */
void tui_model_set_status(struct tui_model *m, const char *msg);
const char *tui_model_status(const struct tui_model *m);

/* Adds or refreshes the row of a flow of the current capture (found by
 * flow id).  ended says the flow is over and this is its final state.
 * Returns 0, or -1 when the table is full of live flows (counted). */
int tui_model_put_flow(struct tui_model *m, const struct flow *f,
                       bool ended);

/* Adds a finding of the current capture.  Returns 0 (the oldest half of
 * the findings is dropped when the table is full). */
int tui_model_add_finding(struct tui_model *m, const struct finding *fd);

/* Adds a requirement of the profile, NOT OBSERVED until told otherwise.
 * An id that exists already keeps its verdict.  Returns 0, or -1 when
 * the checklist is full. */
int tui_model_add_requirement(struct tui_model *m, const char *id,
                              const char *sets, const char *text);

/* Sets a requirement's verdict and its one-line reason (summary may be
 * NULL).  An unknown id is added.  Returns 0, or -1 when full. */
int tui_model_set_verdict(struct tui_model *m, const char *id,
                          enum tui_verdict v, const char *summary);

/* The verdict of a requirement in one requirement set (a verdict
 * column).  The row's verdict becomes the worst of its sets (FAIL, then
 * PASS, then NOT OBSERVED) with that set's summary.  An unknown id is
 * added.  Returns 0, or -1 when full (the checklist, or the sets of the
 * requirement). */
int tui_model_set_set_verdict(struct tui_model *m, const char *id,
                              const char *set, enum tui_verdict v,
                              const char *summary);

/* Adds or replaces a call, found by Call-ID; its messages are kept, and
 * so are its media and caller when c does not know them.  A full table
 * first drops its older half (counted).  Returns 0, or -1 when call_id
 * is empty. */
int tui_model_set_call(struct tui_model *m, const struct tui_call *c);

/* Appends a SIP message to the ladder of a known call, whose end moves
 * to the message's time if later.  Returns 0, or -1 when the call is
 * unknown; past TUI_MODEL_MAX_CALL_MESSAGES messages are counted, not
 * kept. */
int tui_model_add_call_message(struct tui_model *m, const char *call_id,
                               const struct tui_sip_msg *msg);

/* Accounts one RTP stream of a known call: caller to callee when src is
 * the caller's address (or the caller is unknown), else back.  Packets
 * and losses add up, jitter keeps the highest; a call with media one way
 * only is marked one-way.  Returns 0, or -1 when the call is unknown. */
int tui_model_add_call_stream(struct tui_model *m, const char *call_id,
                              const struct ip_addr *src, uint64_t packets,
                              int64_t lost, double jitter_ms);

/* Rows stored in a table (filters ignored), and rows dropped from it to
 * stay within its bound. */
size_t tui_model_rows(const struct tui_model *m, enum tui_table t);
uint64_t tui_model_dropped(const struct tui_model *m, enum tui_table t);

/* Rows that pass the filters, in display order.  The view is rebuilt on
 * demand when rows, sort or filters changed; the selection stays on the
 * same row (by serial) when that row is still shown. */
size_t tui_model_visible(struct tui_model *m, enum tui_table t);
const struct tui_flow_row *tui_model_flow_at(struct tui_model *m, size_t i);
const struct tui_finding_row *tui_model_finding_at(struct tui_model *m,
                                                   size_t i);
const struct tui_call_row *tui_model_call_at(struct tui_model *m, size_t i);
const struct tui_check_row *tui_model_check_at(struct tui_model *m,
                                               size_t i);
/* The row at view position i as an untyped pointer (NULL past the end). */
const void *tui_model_row_at(struct tui_model *m, enum tui_table t,
                             size_t i);

/* Row i of a table in arrival order, filters ignored (NULL past the
 * end). */
const void *tui_model_row(const struct tui_model *m, enum tui_table t,
                          size_t i);

/* Lookups among all rows, filters ignored; NULL when absent. */
const void *tui_model_find_serial(const struct tui_model *m,
                                  enum tui_table t, uint64_t serial);
const struct tui_flow_row *tui_model_find_flow(const struct tui_model *m,
                                               unsigned capture,
                                               uint64_t flow_id);
uint64_t tui_model_row_serial(enum tui_table t, const void *row);

/* Calls fn for every finding in arrival order, filters ignored. */
void tui_model_foreach_finding(const struct tui_model *m,
                               void (*fn)(void *arg,
                                          const struct tui_finding_row *r),
                               void *arg);

/* Counts of the checklist by verdict, indexed by enum tui_verdict. */
void tui_model_verdict_counts(const struct tui_model *m, size_t counts[3]);

/* --- columns --------------------------------------------------------- */

size_t tui_model_column_count(enum tui_table t);
const char *tui_model_column_name(enum tui_table t, int col);
/* Text of one cell of row (a row of table t) into buf; never fails. */
void tui_model_cell(enum tui_table t, const void *row, int col, char *buf,
                    size_t len);

/* --- sort ------------------------------------------------------------ */

/* Sorts by col in that column's natural direction (text ascending,
 * numbers and severities descending); ties keep arrival order. */
void tui_model_set_sort(struct tui_model *m, enum tui_table t, int col);
/* The next column, wrapping around. */
void tui_model_sort_next(struct tui_model *m, enum tui_table t);
void tui_model_sort_reverse(struct tui_model *m, enum tui_table t);
int tui_model_sort_column(const struct tui_model *m, enum tui_table t);
bool tui_model_sort_descending(const struct tui_model *m, enum tui_table t);

/* --- filters --------------------------------------------------------- */

/* The category of a row: the class of a flow, the state of a call, the
 * severity of a finding, the verdict of a requirement. */
const char *tui_model_row_category(enum tui_table t, const void *row);
/* What the category filter is called on the table ("class", ...). */
const char *tui_model_category_label(enum tui_table t);
/* Cycles the category filter: all, then each category present among the
 * rows in name order, then all again.  NULL means all. */
void tui_model_category_next(struct tui_model *m, enum tui_table t);
void tui_model_set_category(struct tui_model *m, enum tui_table t,
                            const char *category);
const char *tui_model_category(const struct tui_model *m, enum tui_table t);

/* Shows only rows with text (case-insensitive) in one of their text
 * fields; "" or NULL shows every row.  Cut at TUI_FILTER_MAX - 1. */
void tui_model_set_text_filter(struct tui_model *m, enum tui_table t,
                               const char *text);
const char *tui_model_text_filter(const struct tui_model *m,
                                  enum tui_table t);

/* --- selection and scrolling ----------------------------------------- */

/* Rows the screen shows at once (at least 1); scrolling keeps the
 * selected row among them. */
void tui_model_set_page(struct tui_model *m, enum tui_table t, size_t rows);
/* Moves the selection by delta rows, clamped to the view. */
void tui_model_move(struct tui_model *m, enum tui_table t, long delta);
/* By whole pages (negative: up). */
void tui_model_page(struct tui_model *m, enum tui_table t, long pages);
void tui_model_home(struct tui_model *m, enum tui_table t);
void tui_model_end(struct tui_model *m, enum tui_table t);
/* View position of the selected row, and of the first row shown. */
size_t tui_model_selected(struct tui_model *m, enum tui_table t);
size_t tui_model_top(struct tui_model *m, enum tui_table t);
/* The selected row, NULL when the view is empty. */
const void *tui_model_selected_row(struct tui_model *m, enum tui_table t);

#endif
