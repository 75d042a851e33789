/* The SQLite sink: writes captures, flows and analyzer records with
 * prepared statements in batched transactions (opening and validating
 * the database is in sink_sqlite_schema.c). */
#include "config.h"

#include "sink_sqlite.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "compliance.h"
#include "decode.h"
#include "dns_record.h"
#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "log.h"
#include "media_record.h"
#include "sink_sqlite_internal.h"
#include "tls.h"
#include "sip_record.h"
#include "tcp_record.h"
#include "xalloc.h"

/* --- statements ------------------------------------------------------- */

enum sink_sqlite_stmt {
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_CAPTURE_INSERT,
    STMT_CAPTURE_END,
    STMT_ANOMALY_INSERT,
    STMT_FLOW_INSERT,
    STMT_COUNT,
};

static const char *const sink_sqlite_stmt_sql[STMT_COUNT] = {
    /* IMMEDIATE takes the write lock at once, so a competing writer is
     * seen here (busy timeout, then SQLITE_BUSY) rather than half-way
     * through a batch. */
    [STMT_BEGIN] = "BEGIN IMMEDIATE",
    [STMT_COMMIT] = "COMMIT",
    [STMT_ROLLBACK] = "ROLLBACK",
    [STMT_CAPTURE_INSERT] =
        "INSERT INTO captures (source, link_type, profile, profile_name, "
        "tool_version, command_line, filter, sensor, complete) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
    [STMT_CAPTURE_END] =
        "UPDATE captures SET packets = ?, bytes = ?, drops = ?, "
        "if_drops = ?, first_ts = ?, last_ts = ?, flows = ?, "
        "flows_evicted = ?, interrupted = ?, read_error = ?, complete = 1 "
        "WHERE id = ?",
    [STMT_ANOMALY_INSERT] =
        "INSERT INTO decode_anomalies (capture_id, anomaly, count) "
        "VALUES (?, ?, ?)",
    [STMT_FLOW_INSERT] =
        "INSERT INTO flows (id, capture_id, ip_version, proto, "
        "client_ip, client_port, server_ip, server_port, vlan, "
        "first_ts, last_ts, first_packet, "
        "c2s_packets, s2c_packets, c2s_bytes, s2c_bytes, "
        "c2s_payload_bytes, s2c_payload_bytes, "
        "client_side, server_side, orientation, class, classified_by, "
        "hostname, ndpi_proto, ndpi_category, tcp_state, tcp_rtt_ms, "
        "c2s_tcp_flags, s2c_tcp_flags, c2s_retrans, s2c_retrans, "
        "c2s_dscp, s2c_dscp, end_reason, "
        "tls_version, tls_alpn, tls_established, tls_alert) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?)",
};

/* --- records ---------------------------------------------------------- */

/* One writer per record kind, indexed by enum record_kind: an INSERT and
 * the function that binds one record to it.  The sink prepares every
 * INSERT once when it opens, binds a record, steps the statement right
 * after bind returns and batches the row like a flow.  So bind may pass
 * the record's own strings with SQLITE_STATIC, but text it formats into
 * a local buffer must be bound with SQLITE_TRANSIENT.  Adding a kind
 * takes its table in sql/schema.sql, a bind function and one entry
 * here; the assertion below catches a kind without an entry. */
struct sink_sqlite_writer {
    const char *sql;
    int (*bind)(sqlite3_stmt *st, int64_t capture_id, const void *rec);
};

static int sink_sqlite_bind_finding(sqlite3_stmt *st, int64_t capture_id,
                                    const void *rec);
static int sink_sqlite_bind_sip_message(sqlite3_stmt *st, int64_t capture_id,
                                        const void *rec);
static int sink_sqlite_bind_call(sqlite3_stmt *st, int64_t capture_id,
                                 const void *rec);

static int sink_sqlite_bind_tcp_flag(sqlite3_stmt *st, int64_t capture_id,
                                     const void *rec);
static int sink_sqlite_bind_dns(sqlite3_stmt *st, int64_t capture_id,
                                const void *rec);
static int sink_sqlite_bind_verdict(sqlite3_stmt *st, int64_t capture_id,
                                    const void *rec);
static int sink_sqlite_bind_rtp_stream(sqlite3_stmt *st, int64_t capture_id,
                                       const void *rec);
static int sink_sqlite_bind_stun_mapping(sqlite3_stmt *st,
                                         int64_t capture_id,
                                         const void *rec);
static int sink_sqlite_bind_rtp_sample(sqlite3_stmt *st, int64_t capture_id,
                                       const void *rec);

static const struct sink_sqlite_writer sink_sqlite_writers[] = {
    [RECORD_FINDING] = {
        "INSERT INTO findings (capture_id, flow_id, kind, severity, "
        "requirement, first_packet, ts, summary) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_finding,
    },
    [RECORD_SIP_MESSAGE] = {
        "INSERT INTO sip_messages (capture_id, flow_id, packet, ts, "
        "direction, src_ip, src_port, dst_ip, dst_port, transport, "
        "call_id, cseq, cseq_method, method, status, reason, request_uri, "
        "from_uri, from_tag, to_uri, to_tag, via_branch, via, "
        "via_received, via_rport, contact, user_agent, server, "
        "content_length, body_length, sdp_o, sdp_c, sdp_m, "
        "retransmission, malformed, raw) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_sip_message,
    },
    [RECORD_CALL] = {
        "INSERT INTO calls (capture_id, call_id, state, flow_id, "
        "first_method, from_uri, to_uri, from_tag, to_tag, caller_ip, "
        "caller_port, callee_ip, callee_port, first_packet, first_ts, "
        "last_ts, ring_ms, setup_ms, duration_s, final_status, messages, "
        "reinvites, retransmissions, cancelled, end_reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_call,
    },
    [RECORD_TCP_FLAG] = {
        "INSERT INTO tcp_analysis (capture_id, flow_id, direction, flag, "
        "count, first_packets) VALUES (?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_tcp_flag,
    },
    [RECORD_DNS] = {
        "INSERT INTO dns (capture_id, flow_id, packet, ts, client_ip, "
        "server_ip, transport, dns_id, query_name, query_type, rcode, "
        "answers, ttl_min, response_ms, response_packet) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_dns,
    },
    [RECORD_VERDICT] = {
        "INSERT OR REPLACE INTO requirements (capture_id, requirement, "
        "set_name, verdict, severity, check_kind, summary, evidence, fix) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_verdict,
    },
    [RECORD_RTP_STREAM] = {
        "INSERT INTO rtp_streams (capture_id, flow_id, call_id, ssrc, "
        "direction, payload_type, packets, lost, jitter_ms, max_delta_ms, "
        "mos, first_packet, first_ts, last_ts, expected, lost_pct, "
        "duplicates, reordered, max_gap_ms, min_delta_ms, mean_delta_ms, "
        "min_jitter_ms, mean_jitter_ms, max_jitter_ms, seq_errors, "
        "problem, rfc_expected, rfc_lost, rfc_jitter_ms, restarts, "
        "payload_types, encoding, clock_rate, dscp, r_factor, "
        "rtcp_reports, rtcp_loss_pct, rtcp_cum_lost, rtcp_jitter_ms, "
        "rtcp_rtt_ms, src_ip, src_port, dst_ip, dst_port) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)",
        sink_sqlite_bind_rtp_stream,
    },
    [RECORD_STUN_MAPPING] = {
        "INSERT INTO stun_mappings (capture_id, flow_id, packet, ts, "
        "requester_ip, requester_port, requester_side, server_ip, "
        "server_port, mapped_ip, mapped_port, attribute, address_kind, "
        "translated, rtt_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_stun_mapping,
    },
    [RECORD_RTP_SAMPLE] = {
        "INSERT INTO rtp_samples (capture_id, flow_id, ssrc, direction, "
        "t_offset_s, bucket_s, packets, lost, jitter_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sink_sqlite_bind_rtp_sample,
    },
};

_Static_assert(sizeof(sink_sqlite_writers) / sizeof(sink_sqlite_writers[0])
                   == RECORD_KIND_COUNT,
               "every record kind needs a writer in sink_sqlite_writers");

/* --- the sink ---------------------------------------------------------- */

struct sink_sqlite {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[STMT_COUNT];
    sqlite3_stmt *record_stmt[RECORD_KIND_COUNT];
    uint32_t batch_rows;
    int64_t batch_interval_us;
    int64_t capture_id;         /* of the capture being written, or 0 */
    bool in_txn;
    uint32_t txn_rows;          /* rows written in the open transaction */
    int64_t txn_start_us;       /* monotonic time it began */
    bool failed;                /* a write failed and was reported */
};

void sink_sqlite_config_defaults(struct sink_sqlite_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->busy_timeout_ms = 5000;
    cfg->batch_rows = 5000;
    cfg->batch_interval_us = 1000000;
}

/* Wall time for batching; monotonic so that clock steps cannot stall
 * or burst commits. */
static int64_t sink_sqlite_monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- binding helpers --------------------------------------------------- */

static int sink_sqlite_bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
    /* Counters stay far below 2^63; SQLite integers are signed. */
    return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Epoch microseconds as REAL seconds.  Epoch times in microseconds stay
 * below 2^53 until the year 2255, so the double nearest us / 1e6 keeps
 * every microsecond: round(ts * 1e6) gives us back. */
static int sink_sqlite_bind_ts(sqlite3_stmt *st, int i, int64_t us)
{
    return sqlite3_bind_double(st, i, (double)us / 1e6);
}

static int sink_sqlite_bind_ts_or_null(sqlite3_stmt *st, int i, int64_t us)
{
    if (us == 0)
        return sqlite3_bind_null(st, i);
    return sink_sqlite_bind_ts(st, i, us);
}

/* Text that must stay valid until the statement is stepped; NULL and
 * "" are stored as NULL. */
static int sink_sqlite_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !s[0])
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* A fixed-size char array of a value struct: bounded by its size even
 * if a writer forgot the terminator; empty is NULL. */
static int sink_sqlite_bind_array(sqlite3_stmt *st, int i, const char *buf,
                                  size_t size)
{
    size_t n = strnlen(buf, size);

    if (n == 0)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, buf, (int)n, SQLITE_STATIC);
}

/* DSCP is six bits (RFC 2474 section 3), so dscp_seen has a bit for
 * each value 0..63.  The text lists the values in ascending order
 * ("0,46"); it is at most 10 one-digit and 54 two-digit values with 63
 * commas, 171 characters.  NULL when no value was seen. */
#define SINK_SQLITE_DSCP_TEXT_MAX 176

static const char *sink_sqlite_dscp_text(uint64_t seen, char *buf,
                                         size_t len)
{
    size_t n = 0;
    unsigned v;

    if (seen == 0)
        return NULL;
    buf[0] = '\0';
    for (v = 0; v < 64 && n < len; v++)
        if (seen & (UINT64_C(1) << v))
            n += (size_t)snprintf(buf + n, len - n, "%s%u", n ? "," : "",
                                  v);
    return buf;
}

/* flow.h names no text for the orientation; these are the words of the
 * flows.orientation column. */
static const char *sink_sqlite_orient_name(enum flow_orient o)
{
    switch (o) {
    case FLOW_ORIENT_SYN:
        return "syn";
    case FLOW_ORIENT_PORT:
        return "port";
    case FLOW_ORIENT_FIRST:
        return "first";
    }
    return NULL;
}

/* Every retransmission Wireshark flags counts (SPEC 6a): plain, fast
 * and spurious. */
static uint64_t sink_sqlite_retrans(const struct flow_dir_stats *d)
{
    return (uint64_t)d->tcp[FLOW_TCPF_RETRANSMISSION] +
           d->tcp[FLOW_TCPF_FAST_RETRANSMISSION] +
           d->tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION];
}

/* --- errors while writing ---------------------------------------------- */

/* Reports the first write error with SQLite's reason.  The pipeline
 * stops at the first failing sink, so later calls stay quiet. */
static int sink_sqlite_report(struct sink_sqlite *s, const char *what)
{
    if (!s->failed)
        log_error("cannot write %s to '%s': %s", what, s->path,
                  sqlite3_errmsg(s->db));
    s->failed = true;
    return -1;
}

/* Drops the open batch after an error: the database keeps exactly the
 * committed batches, and the capture row stays complete = 0. */
static void sink_sqlite_abort_txn(struct sink_sqlite *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        sqlite3_step(s->stmt[STMT_ROLLBACK]);
        sqlite3_reset(s->stmt[STMT_ROLLBACK]);
    }
    s->in_txn = false;
}

/* Steps a statement that returns no row we need, then resets it. */
static int sink_sqlite_run(struct sink_sqlite *s, sqlite3_stmt *st,
                           const char *what)
{
    int rc = sqlite3_step(st);

    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sink_sqlite_report(s, what);
        sqlite3_reset(st);
        sink_sqlite_abort_txn(s);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

/* A bind call failed (only out of memory or a programming error). */
static int sink_sqlite_bind_failed(struct sink_sqlite *s, sqlite3_stmt *st,
                                   const char *what)
{
    sink_sqlite_report(s, what);
    sqlite3_reset(st);
    sink_sqlite_abort_txn(s);
    return -1;
}

/* --- transactions ------------------------------------------------------ */

static int sink_sqlite_txn_begin(struct sink_sqlite *s)
{
    if (s->in_txn)
        return 0;
    if (sink_sqlite_run(s, s->stmt[STMT_BEGIN], "a transaction") != 0)
        return -1;
    s->in_txn = true;
    s->txn_rows = 0;
    s->txn_start_us = sink_sqlite_monotonic_us();
    return 0;
}

static int sink_sqlite_txn_commit(struct sink_sqlite *s)
{
    if (!s->in_txn)
        return 0;
    if (sink_sqlite_run(s, s->stmt[STMT_COMMIT], "a batch of rows") != 0)
        return -1;
    s->in_txn = false;
    return 0;
}

/* Counts a row of the open batch and commits once the batch holds
 * batch_rows rows or has been open for batch_interval_us.  The time is
 * checked when a row arrives; an idle live capture is made durable by
 * the pipeline's periodic flush. */
static int sink_sqlite_row_done(struct sink_sqlite *s)
{
    s->txn_rows++;
    if (s->txn_rows >= s->batch_rows ||
        sink_sqlite_monotonic_us() - s->txn_start_us >= s->batch_interval_us)
        return sink_sqlite_txn_commit(s);
    return 0;
}

/* --- hooks -------------------------------------------------------------- */

/* Room for ten billion frames per capture in the flow id space. */
#define SINK_SQLITE_FLOW_ID_STRIDE UINT64_C(10000000000)

/* The capture row is committed on its own before any flow, so its id is
 * known to the pipeline and a crash leaves it marked incomplete. */
static int sink_sqlite_begin_capture(void *self, struct capture_meta *meta)
{
    struct sink_sqlite *s = self;
    sqlite3_stmt *st = s->stmt[STMT_CAPTURE_INSERT];
    int64_t capture_id;
    int rc = 0;
    int i = 1;

    if (s->failed)
        return -1;
    if (sink_sqlite_txn_commit(s) != 0 || sink_sqlite_txn_begin(s) != 0)
        return -1;
    rc |= sqlite3_bind_text(st, i++, meta->source, -1, SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, meta->link_type);
    rc |= sink_sqlite_bind_text(st, i++, meta->profile_text);
    rc |= sink_sqlite_bind_text(st, i++, meta->profile_name);
    rc |= sqlite3_bind_text(st, i++, meta->tool_version, -1, SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, meta->command_line);
    rc |= sink_sqlite_bind_text(st, i++, meta->filter);
    rc |= sink_sqlite_bind_text(st, i++, meta->sensor);
    if (rc != SQLITE_OK)
        return sink_sqlite_bind_failed(s, st, "the capture");
    if (sink_sqlite_run(s, st, "the capture") != 0)
        return -1;
    capture_id = sqlite3_last_insert_rowid(s->db);

    /* Flow ids are base + frame number (>= 1).  The base comes from the
     * capture id, which the database hands out under its write lock, so
     * runs writing the same database at the same time never collide, and
     * an id tells its capture and opening frame at a glance: flow
     * 20000000017 is capture 2, frame 17. */
    if (sink_sqlite_txn_commit(s) != 0)
        return -1;

    s->capture_id = capture_id;
    meta->capture_id = capture_id;
    meta->flow_id_base = (uint64_t)capture_id * SINK_SQLITE_FLOW_ID_STRIDE;
    return 0;
}

static int sink_sqlite_flow(void *self, const struct capture_meta *meta,
                            const struct flow *f)
{
    struct sink_sqlite *s = self;
    sqlite3_stmt *st = s->stmt[STMT_FLOW_INSERT];
    const struct flow_dir_stats *c2s = &f->dir[FLOW_DIR_C2S];
    const struct flow_dir_stats *s2c = &f->dir[FLOW_DIR_S2C];
    char client_ip[IPADDR_STRLEN], server_ip[IPADDR_STRLEN];
    char c2s_dscp[SINK_SQLITE_DSCP_TEXT_MAX];
    char s2c_dscp[SINK_SQLITE_DSCP_TEXT_MAX];
    int rc = 0;
    int i = 1;

    (void)meta;
    if (s->failed)
        return -1;
    if (sink_sqlite_txn_begin(s) != 0)
        return -1;
    ipaddr_format(&f->client_ip, client_ip);
    ipaddr_format(&f->server_ip, server_ip);

    rc |= sink_sqlite_bind_u64(st, i++, f->id);
    rc |= sqlite3_bind_int64(st, i++, s->capture_id);
    rc |= sqlite3_bind_int(st, i++, f->key.ip_version);
    rc |= sqlite3_bind_int(st, i++, f->key.proto);
    rc |= sqlite3_bind_text(st, i++, client_ip, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int(st, i++, f->client_port);
    rc |= sqlite3_bind_text(st, i++, server_ip, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int(st, i++, f->server_port);
    rc |= sqlite3_bind_int(st, i++, f->key.vlan);
    rc |= sink_sqlite_bind_ts(st, i++, f->first_us);
    rc |= sink_sqlite_bind_ts(st, i++, f->last_us);
    rc |= sink_sqlite_bind_u64(st, i++, f->first_packet);
    rc |= sink_sqlite_bind_u64(st, i++, c2s->packets);
    rc |= sink_sqlite_bind_u64(st, i++, s2c->packets);
    rc |= sink_sqlite_bind_u64(st, i++, c2s->bytes);
    rc |= sink_sqlite_bind_u64(st, i++, s2c->bytes);
    rc |= sink_sqlite_bind_u64(st, i++, c2s->payload_bytes);
    rc |= sink_sqlite_bind_u64(st, i++, s2c->payload_bytes);
    rc |= sink_sqlite_bind_text(st, i++, flow_side_name(f->client_side));
    rc |= sink_sqlite_bind_text(st, i++, flow_side_name(f->server_side));
    rc |= sink_sqlite_bind_text(st, i++, sink_sqlite_orient_name(f->orient));
    rc |= sqlite3_bind_text(st, i++, f->class_name ? f->class_name : "other",
                            -1, SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++,
                                f->classified_by == FLOW_BY_NONE ? NULL :
                                flow_classified_by_name(f->classified_by));
    rc |= sink_sqlite_bind_array(st, i++, f->hostname, sizeof(f->hostname));
    rc |= sink_sqlite_bind_array(st, i++, f->ndpi_proto,
                                 sizeof(f->ndpi_proto));
    rc |= sink_sqlite_bind_array(st, i++, f->ndpi_category,
                                 sizeof(f->ndpi_category));
    rc |= sink_sqlite_bind_text(st, i++,
                                f->tcp_state == FLOW_TCP_NONE ? NULL :
                                flow_tcp_state_name(f->tcp_state));
    if (f->tcp_rtt_us < 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sqlite3_bind_double(st, i++, (double)f->tcp_rtt_us / 1e3);
    rc |= sqlite3_bind_int(st, i++, c2s->tcp_flags);
    rc |= sqlite3_bind_int(st, i++, s2c->tcp_flags);
    rc |= sink_sqlite_bind_u64(st, i++, sink_sqlite_retrans(c2s));
    rc |= sink_sqlite_bind_u64(st, i++, sink_sqlite_retrans(s2c));
    rc |= sink_sqlite_bind_text(st, i++,
                                sink_sqlite_dscp_text(c2s->dscp_seen, c2s_dscp,
                                                      sizeof(c2s_dscp)));
    rc |= sink_sqlite_bind_text(st, i++,
                                sink_sqlite_dscp_text(s2c->dscp_seen, s2c_dscp,
                                                      sizeof(s2c_dscp)));
    rc |= sink_sqlite_bind_text(st, i++, flow_end_reason_name(f->end_reason));
    rc |= sink_sqlite_bind_text(st, i++, f->tls_version == 0 ? NULL :
                                tls_version_name(f->tls_version));
    rc |= sink_sqlite_bind_array(st, i++, f->tls_alpn, sizeof(f->tls_alpn));
    /* Completion is told for TLS over TCP only (not DTLS). */
    if (f->tls_seen && f->key.proto == 6)
        rc |= sqlite3_bind_int(st, i++, f->tls_established ? 1 : 0);
    else
        rc |= sqlite3_bind_null(st, i++);
    rc |= sink_sqlite_bind_text(st, i++, f->tls_alert_seen ?
                                tls_alert_name(f->tls_alert) : NULL);
    if (rc != SQLITE_OK)
        return sink_sqlite_bind_failed(s, st, "a flow");
    if (sink_sqlite_run(s, st, "a flow") != 0)
        return -1;
    return sink_sqlite_row_done(s);
}

static int sink_sqlite_bind_tcp_flag(sqlite3_stmt *st, int64_t capture_id,
                                     const void *rec)
{
    const struct tcp_flag_record *r = rec;
    char packets[TCP_RECORD_EVIDENCE * 21 + 1] = "";
    size_t i, len = 0;
    int rc = 0;

    for (i = 0; i < r->n_packets && i < TCP_RECORD_EVIDENCE; i++)
        len += (size_t)snprintf(packets + len, sizeof(packets) - len, "%s%llu",
                                i ? "," : "",
                                (unsigned long long)r->packets[i]);
    rc |= sqlite3_bind_int64(st, 1, capture_id);
    rc |= sink_sqlite_bind_u64(st, 2, r->flow_id);
    rc |= sqlite3_bind_text(st, 3, r->dir == FLOW_DIR_C2S ? "c2s" : "s2c", -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 4, flow_tcp_flag_name(r->flag), -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, 5, r->count);
    rc |= sqlite3_bind_text(st, 6, packets, -1, SQLITE_TRANSIENT);
    return rc;
}

/* The addresses are formatted into local buffers (SQLITE_TRANSIENT);
 * the record's strings bind SQLITE_STATIC. */
static int sink_sqlite_bind_dns(sqlite3_stmt *st, int64_t capture_id,
                                const void *rec)
{
    const struct dns_record *r = rec;
    char client[IPADDR_STRLEN], server[IPADDR_STRLEN];
    int rc = 0;
    int i = 1;

    ipaddr_format(&r->client_ip, client);
    ipaddr_format(&r->server_ip, server);
    rc |= sqlite3_bind_int64(st, i++, capture_id);
    if (r->flow_id == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, r->flow_id);
    if (r->packet == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, r->packet);
    rc |= sink_sqlite_bind_ts(st, i++, r->ts_us);
    rc |= sqlite3_bind_text(st, i++, client, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_text(st, i++, server, -1, SQLITE_TRANSIENT);
    rc |= sink_sqlite_bind_text(st, i++, r->transport);
    rc |= sqlite3_bind_int(st, i++, r->dns_id);
    rc |= sqlite3_bind_text(st, i++, r->query_name ? r->query_name : "", -1,
                            SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, r->query_type);
    rc |= sink_sqlite_bind_text(st, i++, r->rcode);
    rc |= sink_sqlite_bind_text(st, i++, r->answers);
    if (r->ttl_min < 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sqlite3_bind_int64(st, i++, r->ttl_min);
    if (r->response_us < 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sqlite3_bind_double(st, i++, (double)r->response_us / 1e3);
    if (r->response_packet == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, r->response_packet);
    return rc == SQLITE_OK ? 0 : -1;
}

/* A requirement's verdict in one requirement set; the strings are the
 * record's (SQLITE_STATIC). */
static int sink_sqlite_bind_verdict(sqlite3_stmt *st, int64_t capture_id,
                                    const void *rec)
{
    const struct verdict_record *v = rec;
    int rc = 0;
    int i = 1;

    rc |= sqlite3_bind_int64(st, i++, capture_id);
    rc |= sqlite3_bind_text(st, i++, v->requirement, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, v->set_name, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, verdict_name(v->verdict), -1,
                            SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, v->severity);
    rc |= sink_sqlite_bind_text(st, i++, v->check);
    rc |= sqlite3_bind_text(st, i++, v->summary ? v->summary : "", -1,
                            SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, v->evidence);
    rc |= sink_sqlite_bind_text(st, i++, v->fix);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sink_sqlite_bind_finding(sqlite3_stmt *st, int64_t capture_id,
                                    const void *rec)
{
    const struct finding *fd = rec;
    int rc = 0;
    int i = 1;

    rc |= sqlite3_bind_int64(st, i++, capture_id);
    if (fd->flow_id == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, fd->flow_id);
    rc |= sqlite3_bind_text(st, i++, fd->kind, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, finding_severity_name(fd->severity), -1,
                            SQLITE_STATIC);
    rc |= sink_sqlite_bind_text(st, i++, fd->requirement);
    if (fd->first_packet == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, fd->first_packet);
    rc |= sink_sqlite_bind_ts_or_null(st, i++, fd->ts_us);
    rc |= sqlite3_bind_text(st, i++, fd->summary,
                            (int)strnlen(fd->summary, sizeof(fd->summary)),
                            SQLITE_STATIC);
    return rc == SQLITE_OK ? 0 : -1;
}

/* A duration in microseconds as REAL in the given unit (1e3: ms,
 * 1e6: s); NULL when unknown (negative). */
static int sink_sqlite_bind_duration(sqlite3_stmt *st, int i, int64_t us,
                                     double unit_us)
{
    if (us < 0)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_double(st, i, (double)us / unit_us);
}

static int sink_sqlite_bind_int_or_null(sqlite3_stmt *st, int i, int64_t v,
                                        bool present)
{
    if (!present)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* The addresses are formatted into local buffers, so they bind
 * SQLITE_TRANSIENT; the record's own strings bind SQLITE_STATIC. */
static int sink_sqlite_bind_sip_message(sqlite3_stmt *st, int64_t capture_id,
                                        const void *rec)
{
    const struct sip_message_record *m = rec;
    char src[IPADDR_STRLEN], dst[IPADDR_STRLEN];
    int rc = 0;
    int i = 1;

    ipaddr_format(&m->src_ip, src);
    ipaddr_format(&m->dst_ip, dst);
    rc |= sqlite3_bind_int64(st, i++, capture_id);
    if (m->flow_id == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, m->flow_id);
    rc |= sink_sqlite_bind_u64(st, i++, m->packet);
    rc |= sink_sqlite_bind_ts(st, i++, m->ts_us);
    rc |= sqlite3_bind_text(st, i++,
                            m->direction == FLOW_DIR_C2S ? "c2s" : "s2c", -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, src, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, m->src_port);
    rc |= sqlite3_bind_text(st, i++, dst, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, m->dst_port);
    rc |= sink_sqlite_bind_text(st, i++, m->transport);
    rc |= sink_sqlite_bind_text(st, i++, m->call_id);
    rc |= sink_sqlite_bind_int_or_null(st, i++, m->cseq, m->cseq >= 0);
    rc |= sink_sqlite_bind_text(st, i++, m->cseq_method);
    rc |= sink_sqlite_bind_text(st, i++, m->method);
    rc |= sink_sqlite_bind_int_or_null(st, i++, m->status, m->status > 0);
    rc |= sink_sqlite_bind_text(st, i++, m->reason);
    rc |= sink_sqlite_bind_text(st, i++, m->request_uri);
    rc |= sink_sqlite_bind_text(st, i++, m->from_uri);
    rc |= sink_sqlite_bind_text(st, i++, m->from_tag);
    rc |= sink_sqlite_bind_text(st, i++, m->to_uri);
    rc |= sink_sqlite_bind_text(st, i++, m->to_tag);
    rc |= sink_sqlite_bind_text(st, i++, m->via_branch);
    rc |= sink_sqlite_bind_text(st, i++, m->via);
    rc |= sink_sqlite_bind_text(st, i++, m->via_received);
    rc |= sink_sqlite_bind_int_or_null(st, i++, m->via_rport,
                                       m->via_rport >= 0);
    rc |= sink_sqlite_bind_text(st, i++, m->contact);
    rc |= sink_sqlite_bind_text(st, i++, m->user_agent);
    rc |= sink_sqlite_bind_text(st, i++, m->server);
    rc |= sink_sqlite_bind_int_or_null(st, i++, m->content_length,
                                       m->content_length >= 0);
    rc |= sink_sqlite_bind_int_or_null(st, i++, m->body_length,
                                       m->body_length >= 0);
    rc |= sink_sqlite_bind_text(st, i++, m->sdp_o);
    rc |= sink_sqlite_bind_text(st, i++, m->sdp_c);
    rc |= sink_sqlite_bind_text(st, i++, m->sdp_m);
    rc |= sqlite3_bind_int(st, i++, m->retransmission ? 1 : 0);
    rc |= sink_sqlite_bind_text(st, i++, m->malformed);
    if (m->raw && m->raw_len > 0)
        rc |= sqlite3_bind_text(st, i++, m->raw, (int)m->raw_len,
                                SQLITE_STATIC);
    else
        rc |= sqlite3_bind_null(st, i++);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sink_sqlite_bind_call(sqlite3_stmt *st, int64_t capture_id,
                                 const void *rec)
{
    const struct call_record *c = rec;
    char caller[IPADDR_STRLEN], callee[IPADDR_STRLEN];
    int rc = 0;
    int i = 1;

    ipaddr_format(&c->caller_ip, caller);
    ipaddr_format(&c->callee_ip, callee);
    rc |= sqlite3_bind_int64(st, i++, capture_id);
    rc |= sqlite3_bind_text(st, i++, c->call_id ? c->call_id : "", -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, c->state ? c->state : "unknown", -1,
                            SQLITE_STATIC);
    if (c->flow_id == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sink_sqlite_bind_u64(st, i++, c->flow_id);
    rc |= sink_sqlite_bind_text(st, i++, c->first_method);
    rc |= sink_sqlite_bind_text(st, i++, c->from_uri);
    rc |= sink_sqlite_bind_text(st, i++, c->to_uri);
    rc |= sink_sqlite_bind_text(st, i++, c->from_tag);
    rc |= sink_sqlite_bind_text(st, i++, c->to_tag);
    if (c->caller_ip.family == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sqlite3_bind_text(st, i++, caller, -1, SQLITE_TRANSIENT);
    rc |= sink_sqlite_bind_int_or_null(st, i++, c->caller_port,
                                       c->caller_ip.family != 0);
    if (c->callee_ip.family == 0)
        rc |= sqlite3_bind_null(st, i++);
    else
        rc |= sqlite3_bind_text(st, i++, callee, -1, SQLITE_TRANSIENT);
    rc |= sink_sqlite_bind_int_or_null(st, i++, c->callee_port,
                                       c->callee_ip.family != 0);
    rc |= sink_sqlite_bind_int_or_null(st, i++, (int64_t)c->first_packet,
                                       c->first_packet != 0);
    rc |= sink_sqlite_bind_ts_or_null(st, i++, c->first_us);
    rc |= sink_sqlite_bind_ts_or_null(st, i++, c->last_us);
    rc |= sink_sqlite_bind_duration(st, i++, c->ring_us, 1e3);
    rc |= sink_sqlite_bind_duration(st, i++, c->setup_us, 1e3);
    rc |= sink_sqlite_bind_duration(st, i++, c->duration_us, 1e6);
    rc |= sink_sqlite_bind_int_or_null(st, i++, c->final_status,
                                       c->final_status > 0);
    rc |= sqlite3_bind_int64(st, i++, c->messages);
    rc |= sqlite3_bind_int64(st, i++, c->reinvites);
    rc |= sqlite3_bind_int64(st, i++, c->retransmissions);
    rc |= sqlite3_bind_int(st, i++, c->cancelled ? 1 : 0);
    rc |= sink_sqlite_bind_text(st, i++, c->end_reason);
    return rc == SQLITE_OK ? 0 : -1;
}

/* REAL, or NULL when the value is unknown (negative). */
static int sink_sqlite_bind_real_or_null(sqlite3_stmt *st, int i, double v,
                                         bool present)
{
    if (!present)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_double(st, i, v);
}

static int sink_sqlite_bind_rtp_stream(sqlite3_stmt *st, int64_t capture_id,
                                       const void *rec)
{
    const struct rtp_stream_record *r = rec;
    const struct rtp_stream_summary *sm = &r->summary;
    char src[IPADDR_STRLEN], dst[IPADDR_STRLEN];
    int rc = 0;
    int i = 1;

    ipaddr_format(&r->src_ip, src);
    ipaddr_format(&r->dst_ip, dst);
    rc |= sqlite3_bind_int64(st, i++, capture_id);
    rc |= sink_sqlite_bind_u64(st, i++, r->flow_id);
    rc |= sink_sqlite_bind_text(st, i++, r->call_id);
    rc |= sqlite3_bind_int64(st, i++, (sqlite3_int64)r->ssrc);
    rc |= sqlite3_bind_text(st, i++,
                            r->direction == FLOW_DIR_C2S ? "c2s" : "s2c", -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_int(st, i++, r->payload_type);
    rc |= sink_sqlite_bind_u64(st, i++, sm->packets);
    rc |= sqlite3_bind_int64(st, i++, sm->lost);
    rc |= sqlite3_bind_double(st, i++, sm->max_jitter_ms);
    rc |= sqlite3_bind_double(st, i++, sm->max_delta_ms);
    rc |= sink_sqlite_bind_real_or_null(st, i++, r->mos, r->has_mos);
    rc |= sink_sqlite_bind_u64(st, i++, r->first_packet);
    rc |= sqlite3_bind_double(st, i++, sm->start_s);
    rc |= sqlite3_bind_double(st, i++, sm->end_s);
    rc |= sqlite3_bind_int64(st, i++, sm->expected);
    rc |= sqlite3_bind_double(st, i++, sm->lost_pct);
    rc |= sink_sqlite_bind_u64(st, i++, sm->duplicates);
    rc |= sink_sqlite_bind_u64(st, i++, sm->reordered);
    rc |= sqlite3_bind_double(st, i++, sm->max_gap_ms);
    rc |= sqlite3_bind_double(st, i++, sm->min_delta_ms);
    rc |= sqlite3_bind_double(st, i++, sm->mean_delta_ms);
    rc |= sqlite3_bind_double(st, i++, sm->min_jitter_ms);
    rc |= sqlite3_bind_double(st, i++, sm->mean_jitter_ms);
    rc |= sqlite3_bind_double(st, i++, sm->max_jitter_ms);
    rc |= sink_sqlite_bind_u64(st, i++, sm->seq_errors);
    rc |= sqlite3_bind_int(st, i++, sm->problem ? 1 : 0);
    rc |= sqlite3_bind_int64(st, i++, sm->rfc_expected);
    rc |= sqlite3_bind_int64(st, i++, sm->rfc_lost);
    rc |= sqlite3_bind_double(st, i++, sm->jitter_ms);
    rc |= sink_sqlite_bind_u64(st, i++, sm->restarts);
    rc |= sink_sqlite_bind_text(st, i++,
                                r->payload_types ? r->payload_types : "");
    rc |= sink_sqlite_bind_text(st, i++, r->encoding);
    rc |= sink_sqlite_bind_int_or_null(st, i++, r->clock_rate,
                                       r->clock_rate != 0);
    rc |= sink_sqlite_bind_text(st, i++, r->dscp ? r->dscp : "");
    rc |= sink_sqlite_bind_real_or_null(st, i++, r->r_factor, r->has_mos);
    rc |= sqlite3_bind_int64(st, i++, r->rtcp_reports);
    rc |= sink_sqlite_bind_real_or_null(st, i++, r->rtcp_loss_pct,
                                        r->rtcp_reports != 0);
    rc |= sink_sqlite_bind_int_or_null(st, i++, r->rtcp_cum_lost,
                                       r->rtcp_reports != 0);
    rc |= sink_sqlite_bind_real_or_null(st, i++, r->rtcp_jitter_ms,
                                        r->rtcp_jitter_ms >= 0);
    rc |= sink_sqlite_bind_real_or_null(st, i++, r->rtcp_rtt_ms,
                                        r->rtcp_rtt_ms >= 0);
    rc |= sqlite3_bind_text(st, i++, src, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, r->src_port);
    rc |= sqlite3_bind_text(st, i++, dst, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, r->dst_port);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sink_sqlite_bind_stun_mapping(sqlite3_stmt *st,
                                         int64_t capture_id,
                                         const void *rec)
{
    const struct stun_mapping_record *r = rec;
    char req[IPADDR_STRLEN], srv[IPADDR_STRLEN], map[IPADDR_STRLEN];
    int rc = 0;
    int i = 1;

    ipaddr_format(&r->requester_ip, req);
    ipaddr_format(&r->server_ip, srv);
    ipaddr_format(&r->mapped_ip, map);
    rc |= sqlite3_bind_int64(st, i++, capture_id);
    rc |= sink_sqlite_bind_u64(st, i++, r->flow_id);
    rc |= sink_sqlite_bind_u64(st, i++, r->packet);
    rc |= sink_sqlite_bind_ts(st, i++, r->ts_us);
    rc |= sqlite3_bind_text(st, i++, req, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, r->requester_port);
    rc |= sqlite3_bind_text(st, i++, flow_side_name(r->requester_side), -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, i++, srv, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, r->server_port);
    rc |= sqlite3_bind_text(st, i++, map, -1, SQLITE_TRANSIENT);
    rc |= sqlite3_bind_int(st, i++, r->mapped_port);
    rc |= sink_sqlite_bind_text(st, i++, r->attribute);
    rc |= sink_sqlite_bind_text(st, i++, r->address_kind);
    rc |= sqlite3_bind_int(st, i++, r->translated ? 1 : 0);
    rc |= sink_sqlite_bind_duration(st, i++, r->rtt_us, 1e3);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sink_sqlite_bind_rtp_sample(sqlite3_stmt *st, int64_t capture_id,
                                       const void *rec)
{
    const struct rtp_sample_record *r = rec;
    int rc = 0;
    int i = 1;

    rc |= sqlite3_bind_int64(st, i++, capture_id);
    rc |= sink_sqlite_bind_u64(st, i++, r->flow_id);
    rc |= sqlite3_bind_int64(st, i++, (sqlite3_int64)r->ssrc);
    rc |= sqlite3_bind_text(st, i++,
                            r->direction == FLOW_DIR_C2S ? "c2s" : "s2c", -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, i++, (sqlite3_int64)r->index * r->bucket_s);
    rc |= sqlite3_bind_int64(st, i++, r->bucket_s);
    rc |= sqlite3_bind_int64(st, i++, r->packets);
    rc |= sqlite3_bind_int64(st, i++, r->lost);
    rc |= sqlite3_bind_double(st, i++, r->jitter_ms);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sink_sqlite_record(void *self, const struct capture_meta *meta,
                              enum record_kind kind, const void *rec)
{
    struct sink_sqlite *s = self;
    sqlite3_stmt *st;

    (void)meta;
    if (s->failed)
        return -1;
    if ((unsigned)kind >= RECORD_KIND_COUNT) {
        s->failed = true;
        return log_error("cannot write record kind %d to '%s': unknown kind",
                         (int)kind, s->path);
    }
    st = s->record_stmt[kind];
    if (sink_sqlite_txn_begin(s) != 0)
        return -1;
    if (sink_sqlite_writers[kind].bind(st, s->capture_id, rec) != 0)
        return sink_sqlite_bind_failed(s, st, "a record");
    if (sink_sqlite_run(s, st, "a record") != 0)
        return -1;
    return sink_sqlite_row_done(s);
}

static int sink_sqlite_flush(void *self)
{
    struct sink_sqlite *s = self;

    if (s->failed)
        return -1;
    return sink_sqlite_txn_commit(s);
}

static int sink_sqlite_write_anomalies(struct sink_sqlite *s,
                                       const struct decode_stats *ds)
{
    sqlite3_stmt *st = s->stmt[STMT_ANOMALY_INSERT];
    int rc;
    int i;

    for (i = 0; i < DECODE_ANOM_COUNT; i++) {
        if (ds->anomalies[i] == 0)
            continue;
        rc = sqlite3_bind_int64(st, 1, s->capture_id);
        rc |= sqlite3_bind_text(st, 2,
                                decode_anomaly_name((enum decode_anomaly)i),
                                -1, SQLITE_STATIC);
        rc |= sink_sqlite_bind_u64(st, 3, ds->anomalies[i]);
        if (rc != SQLITE_OK)
            return sink_sqlite_bind_failed(s, st, "decoder anomalies");
        if (sink_sqlite_run(s, st, "decoder anomalies") != 0)
            return -1;
    }
    return 0;
}

static int sink_sqlite_end_capture(void *self,
                                   const struct capture_meta *meta)
{
    struct sink_sqlite *s = self;
    sqlite3_stmt *st = s->stmt[STMT_CAPTURE_END];
    int rc = 0;
    int i = 1;

    if (s->failed)
        return -1;
    if (sink_sqlite_txn_begin(s) != 0)
        return -1;
    rc |= sink_sqlite_bind_u64(st, i++, meta->packets);
    rc |= sink_sqlite_bind_u64(st, i++, meta->bytes);
    rc |= sink_sqlite_bind_u64(st, i++, meta->drops);
    rc |= sink_sqlite_bind_u64(st, i++, meta->if_drops);
    if (meta->packets == 0) {
        rc |= sqlite3_bind_null(st, i++);
        rc |= sqlite3_bind_null(st, i++);
    } else {
        rc |= sink_sqlite_bind_ts(st, i++, meta->first_us);
        rc |= sink_sqlite_bind_ts(st, i++, meta->last_us);
    }
    rc |= sink_sqlite_bind_u64(st, i++, meta->flows.flows_created);
    rc |= sink_sqlite_bind_u64(st, i++, meta->flows.flows_evicted);
    rc |= sqlite3_bind_int(st, i++, meta->interrupted ? 1 : 0);
    rc |= sink_sqlite_bind_text(st, i++, meta->read_error);
    rc |= sqlite3_bind_int64(st, i++, s->capture_id);
    if (rc != SQLITE_OK)
        return sink_sqlite_bind_failed(s, st, "the capture totals");
    if (sink_sqlite_run(s, st, "the capture totals") != 0)
        return -1;
    if (sink_sqlite_write_anomalies(s, &meta->decode) != 0)
        return -1;
    if (sink_sqlite_txn_commit(s) != 0)
        return -1;
    s->capture_id = 0;
    return 0;
}

/* Commits a batch still open (unless a write failed: then it is
 * dropped), finalizes the statements and closes the connection, which
 * checkpoints the WAL. */
static void sink_sqlite_free(void *self)
{
    struct sink_sqlite *s = self;
    size_t i;

    if (!s)
        return;
    if (s->db && s->in_txn) {
        if (s->failed)
            sink_sqlite_abort_txn(s);
        else
            sink_sqlite_txn_commit(s);
    }
    for (i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (i = 0; i < RECORD_KIND_COUNT; i++)
        sqlite3_finalize(s->record_stmt[i]);
    if (s->db && sqlite3_close_v2(s->db) != SQLITE_OK)
        log_error("cannot close '%s': %s", s->path, sqlite3_errmsg(s->db));
    free(s->path);
    free(s);
}

static const struct sink_ops sink_sqlite_ops = {
    .name = "sqlite",
    .begin_capture = sink_sqlite_begin_capture,
    .flow = sink_sqlite_flow,
    .record = sink_sqlite_record,
    .flush = sink_sqlite_flush,
    .end_capture = sink_sqlite_end_capture,
    .free = sink_sqlite_free,
};

/* --- opening ------------------------------------------------------------ */

static int sink_sqlite_prepare(struct sink_sqlite *s, char *err,
                               size_t errlen)
{
    size_t i;
    int rc;

    for (i = 0; i < STMT_COUNT; i++) {
        rc = sqlite3_prepare_v3(s->db, sink_sqlite_stmt_sql[i], -1,
                                SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);
        if (rc != SQLITE_OK)
            goto fail;
    }
    for (i = 0; i < RECORD_KIND_COUNT; i++) {
        rc = sqlite3_prepare_v3(s->db, sink_sqlite_writers[i].sql, -1,
                                SQLITE_PREPARE_PERSISTENT, &s->record_stmt[i],
                                NULL);
        if (rc != SQLITE_OK)
            goto fail;
    }
    return 0;
fail:
    sink_sqlite_describe(s->db, rc, s->path, err, errlen);
    return -1;
}

int sink_sqlite_open(const struct sink_sqlite_config *cfg, struct sink *out,
                     char *err, size_t errlen)
{
    struct sink_sqlite *s = xcalloc(1, sizeof(*s));
    int ret = -1;
    int rc;

    s->path = xstrdup(cfg->path);
    s->batch_rows = cfg->batch_rows ? cfg->batch_rows : 1;
    s->batch_interval_us = cfg->batch_interval_us;

    /* No SQLITE_OPEN_URI: the path is a file name, never a URI.  The sink
     * is called by one thread at a time, so the connection needs none of
     * SQLite's own locking (NOMUTEX), which costs a mutex on every call. */
    rc = sqlite3_open_v2(s->path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sink_sqlite_describe(s->db, rc, s->path, err, errlen);
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, cfg->busy_timeout_ms);
    if (sink_sqlite_schema_setup(s->db, s->path, err, errlen) != 0 ||
        sink_sqlite_prepare(s, err, errlen) != 0)
        goto out;

    out->ops = &sink_sqlite_ops;
    out->self = s;
    ret = 0;
out:
    if (ret != 0)
        sink_sqlite_free(s);
    return ret;
}
