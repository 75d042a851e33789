/* Reading compliance reports back from a database (report_db.h): the
 * captures, their verdicts, findings and traffic by class, and for the
 * HTML page their calls, SIP messages, RTP streams and time series. */
#include "config.h"

#include "report_db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "compliance.h"
#include "finding.h"
#include "ipaddr.h"
#include "media_record.h"
#include "sip_record.h"

enum read_stmt {
    READ_CAPTURES,
    READ_REQUIREMENTS,
    READ_FINDINGS,
    READ_CLASSES,
    READ_SIP,                   /* the rest only for media */
    READ_CALLS,
    READ_STREAMS,
    READ_SAMPLES,
    READ_COUNT,
};

#define READ_MEDIA_FIRST READ_SIP

/* Verdicts and findings in the order they were written (rowid), so the
 * text matches what the run printed. */
static const char *const read_sql[READ_COUNT] = {
    [READ_CAPTURES] =
        "SELECT id, source, link_type, profile_name, tool_version, packets, "
        "bytes, flows, first_ts, last_ts FROM captures "
        "WHERE ?1 = 0 OR id = ?1 ORDER BY id",
    [READ_REQUIREMENTS] =
        "SELECT requirement, set_name, verdict, severity, check_kind, "
        "summary, evidence, fix FROM requirements WHERE capture_id = ? "
        "ORDER BY rowid",
    [READ_FINDINGS] =
        "SELECT kind, severity, requirement, flow_id, first_packet, ts, "
        "summary FROM findings WHERE capture_id = ? ORDER BY id",
    [READ_CLASSES] =
        "SELECT class, COUNT(*), SUM(c2s_packets + s2c_packets), "
        "SUM(c2s_bytes + s2c_bytes) FROM flows WHERE capture_id = ? "
        "GROUP BY class",
    /* Calls and media in the order the run handed them to its sinks,
     * which is the order they were written. */
    [READ_SIP] =
        "SELECT packet, ts, src_ip, src_port, dst_ip, dst_port, transport, "
        "call_id, cseq, cseq_method, method, status, reason, user_agent, "
        "server, retransmission FROM sip_messages WHERE capture_id = ? "
        "ORDER BY id",
    [READ_CALLS] =
        "SELECT call_id, state, flow_id, from_uri, to_uri, caller_ip, "
        "caller_port, callee_ip, callee_port, first_packet, first_ts, "
        "last_ts, ring_ms, setup_ms, duration_s, final_status, messages, "
        "retransmissions, end_reason FROM calls WHERE capture_id = ? "
        "ORDER BY id",
    [READ_STREAMS] =
        "SELECT flow_id, call_id, ssrc, direction, src_ip, src_port, "
        "dst_ip, dst_port, encoding, payload_type, packets, lost, "
        "lost_pct, max_jitter_ms, mos, first_ts, last_ts "
        "FROM rtp_streams WHERE capture_id = ? ORDER BY id",
    [READ_SAMPLES] =
        "SELECT flow_id, ssrc, direction, t_offset_s, bucket_s, packets, "
        "lost, jitter_ms FROM rtp_samples WHERE capture_id = ? "
        "ORDER BY rowid",
};

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_us(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    return (int64_t)llround(sqlite3_column_double(st, i) * 1e6);
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
    sqlite3_int64 v = sqlite3_column_int64(st, i);

    return v < 0 ? 0 : (uint64_t)v;
}

static int severity_parse(const char *s, enum finding_severity *out)
{
    static const enum finding_severity all[] = {
        FINDING_INFO, FINDING_WARNING, FINDING_ERROR,
    };
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (s && strcmp(s, finding_severity_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

static int read_requirements(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct verdict_record v;

        memset(&v, 0, sizeof(v));
        v.requirement = col_text(st, 0);
        v.set_name = col_text(st, 1);
        if (!v.requirement || !v.set_name ||
            verdict_parse(col_text(st, 2) ? col_text(st, 2) : "",
                          &v.verdict) != 0)
            continue;   /* not a row this version wrote: skipped */
        v.severity = col_text(st, 3);
        v.check = col_text(st, 4);
        v.summary = col_text(st, 5);
        v.evidence = col_text(st, 6);
        v.fix = col_text(st, 7);
        report_add_verdict(r, &v);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_findings(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct finding fd;
        const char *summary = col_text(st, 6);

        memset(&fd, 0, sizeof(fd));
        fd.kind = col_text(st, 0);
        if (!fd.kind || severity_parse(col_text(st, 1), &fd.severity) != 0)
            continue;
        fd.requirement = col_text(st, 2);
        fd.flow_id = col_u64(st, 3);
        fd.first_packet = col_u64(st, 4);
        fd.ts_us = col_us(st, 5);
        snprintf(fd.summary, sizeof(fd.summary), "%s",
                 summary ? summary : "");
        report_add_finding(r, &fd);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_classes(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = col_text(st, 0);

        report_add_class(r, name ? name : "other", col_u64(st, 1),
                         col_u64(st, 2), col_u64(st, 3));
    }
    report_sort_classes(r);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* --- calls and media ---------------------------------------------------- */

static void col_ip(sqlite3_stmt *st, int i, struct ip_addr *out)
{
    const char *s = col_text(st, i);

    if (!s || ipaddr_parse(s, out) != 0)
        memset(out, 0, sizeof(*out));
}

static uint16_t col_port(sqlite3_stmt *st, int i)
{
    return (uint16_t)sqlite3_column_int(st, i);
}

/* A duration stored in unit_us units, or -1 when NULL. */
static int64_t col_duration(sqlite3_stmt *st, int i, double unit_us)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return -1;
    return (int64_t)llround(sqlite3_column_double(st, i) * unit_us);
}

static enum flow_dir col_dir(sqlite3_stmt *st, int i)
{
    const char *s = col_text(st, i);

    return s && strcmp(s, "s2c") == 0 ? FLOW_DIR_S2C : FLOW_DIR_C2S;
}

static int read_sip(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sip_message_record m;

        memset(&m, 0, sizeof(m));
        m.packet = col_u64(st, 0);
        m.ts_us = col_us(st, 1);
        col_ip(st, 2, &m.src_ip);
        m.src_port = col_port(st, 3);
        col_ip(st, 4, &m.dst_ip);
        m.dst_port = col_port(st, 5);
        m.transport = col_text(st, 6);
        m.call_id = col_text(st, 7);
        m.cseq = sqlite3_column_type(st, 8) == SQLITE_NULL
                     ? -1 : sqlite3_column_int64(st, 8);
        m.cseq_method = col_text(st, 9);
        m.method = col_text(st, 10);
        m.status = sqlite3_column_int(st, 11);
        m.reason = col_text(st, 12);
        m.user_agent = col_text(st, 13);
        m.server = col_text(st, 14);
        m.retransmission = sqlite3_column_int(st, 15) != 0;
        report_add_sip_message(r, &m);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_calls(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct call_record c;

        memset(&c, 0, sizeof(c));
        c.call_id = col_text(st, 0);
        c.state = col_text(st, 1);
        c.flow_id = col_u64(st, 2);
        c.from_uri = col_text(st, 3);
        c.to_uri = col_text(st, 4);
        col_ip(st, 5, &c.caller_ip);
        c.caller_port = col_port(st, 6);
        col_ip(st, 7, &c.callee_ip);
        c.callee_port = col_port(st, 8);
        c.first_packet = col_u64(st, 9);
        c.first_us = col_us(st, 10);
        c.last_us = col_us(st, 11);
        c.ring_us = col_duration(st, 12, 1e3);
        c.setup_us = col_duration(st, 13, 1e3);
        c.duration_us = col_duration(st, 14, 1e6);
        c.final_status = sqlite3_column_int(st, 15);
        c.messages = (uint32_t)sqlite3_column_int64(st, 16);
        c.retransmissions = (uint32_t)sqlite3_column_int64(st, 17);
        c.end_reason = col_text(st, 18);
        report_add_call(r, &c);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_streams(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rtp_stream_record s;

        memset(&s, 0, sizeof(s));
        s.flow_id = col_u64(st, 0);
        s.call_id = col_text(st, 1);
        s.ssrc = (uint32_t)sqlite3_column_int64(st, 2);
        s.direction = col_dir(st, 3);
        col_ip(st, 4, &s.src_ip);
        s.src_port = col_port(st, 5);
        col_ip(st, 6, &s.dst_ip);
        s.dst_port = col_port(st, 7);
        s.encoding = col_text(st, 8);
        s.payload_type = (uint8_t)sqlite3_column_int(st, 9);
        s.summary.packets = col_u64(st, 10);
        s.summary.lost = sqlite3_column_int64(st, 11);
        s.summary.lost_pct = sqlite3_column_double(st, 12);
        s.summary.max_jitter_ms = sqlite3_column_double(st, 13);
        s.has_mos = sqlite3_column_type(st, 14) != SQLITE_NULL;
        s.mos = sqlite3_column_double(st, 14);
        s.summary.start_s = sqlite3_column_double(st, 15);
        s.summary.end_s = sqlite3_column_double(st, 16);
        report_add_rtp_stream(r, &s);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_samples(sqlite3_stmt *st, struct report *r)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rtp_sample_record s;
        sqlite3_int64 off = sqlite3_column_int64(st, 3);
        sqlite3_int64 bucket = sqlite3_column_int64(st, 4);

        if (bucket <= 0 || bucket > UINT32_MAX || off < 0 ||
            off % bucket != 0 || off / bucket > UINT32_MAX)
            continue;   /* not a row this version wrote: skipped */
        memset(&s, 0, sizeof(s));
        s.flow_id = col_u64(st, 0);
        s.ssrc = (uint32_t)sqlite3_column_int64(st, 1);
        s.direction = col_dir(st, 2);
        s.index = (uint32_t)(off / bucket);
        s.bucket_s = (uint32_t)bucket;
        s.packets = (uint32_t)sqlite3_column_int64(st, 5);
        s.lost = (int32_t)sqlite3_column_int64(st, 6);
        s.jitter_ms = sqlite3_column_double(st, 7);
        report_add_rtp_sample(r, &s);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Fills r from the current row of the captures statement and the
 * per-capture queries (the media ones when prepared). */
static int read_capture(sqlite3_stmt **st, struct report *r)
{
    sqlite3_stmt *cap = st[READ_CAPTURES];
    int64_t id = sqlite3_column_int64(cap, 0);
    int i;

    report_clear(r);
    report_set_capture(r, id, col_text(cap, 1), col_text(cap, 2),
                       col_text(cap, 3), col_text(cap, 4));
    r->packets = col_u64(cap, 5);
    r->bytes = col_u64(cap, 6);
    r->flows = col_u64(cap, 7);
    r->first_us = col_us(cap, 8);
    r->last_us = col_us(cap, 9);
    for (i = READ_REQUIREMENTS; i < READ_COUNT; i++) {
        if (!st[i])
            continue;
        sqlite3_reset(st[i]);
        if (sqlite3_bind_int64(st[i], 1, id) != SQLITE_OK)
            return -1;
    }
    if (read_requirements(st[READ_REQUIREMENTS], r) != 0 ||
        read_findings(st[READ_FINDINGS], r) != 0 ||
        read_classes(st[READ_CLASSES], r) != 0)
        return -1;
    if (!r->keep_media)
        return 0;
    if (read_sip(st[READ_SIP], r) != 0 || read_calls(st[READ_CALLS], r) != 0 ||
        read_streams(st[READ_STREAMS], r) != 0 ||
        read_samples(st[READ_SAMPLES], r) != 0)
        return -1;
    return 0;
}

static int report_db_read(const char *path, int64_t capture_id, bool media,
                          report_db_fn fn, void *arg, char *err,
                          size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st[READ_COUNT] = { NULL };
    struct report *r = report_new();
    int ret = -1, n = 0, rc, i;

    r->keep_media = media;
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto out;
    }
    for (i = 0; i < (media ? READ_COUNT : READ_MEDIA_FIRST); i++) {
        rc = sqlite3_prepare_v2(db, read_sql[i], -1, &st[i], NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "cannot read '%s': %s (not a ringscope "
                     "database, or one without compliance verdicts%s)", path,
                     sqlite3_errmsg(db),
                     i >= READ_MEDIA_FIRST ? " or media series" : "");
            goto out;
        }
    }
    if (sqlite3_bind_int64(st[READ_CAPTURES], 1, capture_id) != SQLITE_OK)
        goto db_error;
    while ((rc = sqlite3_step(st[READ_CAPTURES])) == SQLITE_ROW) {
        if (read_capture(st, r) != 0)
            goto db_error;
        n++;
        if (fn(arg, r) != 0)
            goto out;
    }
    if (rc != SQLITE_DONE)
        goto db_error;
    if (n == 0 && capture_id != 0) {
        snprintf(err, errlen, "'%s' has no capture %lld", path,
                 (long long)capture_id);
        goto out;
    }
    ret = n;
    goto out;
db_error:
    snprintf(err, errlen, "cannot read '%s': %s", path, sqlite3_errmsg(db));
out:
    for (i = 0; i < READ_COUNT; i++)
        sqlite3_finalize(st[i]);
    sqlite3_close(db);
    report_free(r);
    return ret;
}

int report_db_load(const char *path, int64_t capture_id, report_db_fn fn,
                   void *arg, char *err, size_t errlen)
{
    return report_db_read(path, capture_id, false, fn, arg, err, errlen);
}

int report_db_load_media(const char *path, int64_t capture_id,
                         report_db_fn fn, void *arg, char *err,
                         size_t errlen)
{
    return report_db_read(path, capture_id, true, fn, arg, err, errlen);
}
