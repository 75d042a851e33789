/* Replaying a database into a sink (db_replay.h): the stored captures,
 * flows, SIP messages, calls, RTP streams, findings and verdicts, turned
 * back into the values the pipeline hands to sinks. */
#include "config.h"

#include "db_replay.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "compliance.h"
#include "finding.h"
#include "flow.h"
#include "media_record.h"
#include "sip_record.h"
#include "xalloc.h"

enum replay_stmt {
    REPLAY_CAPTURES,
    REPLAY_SIP,
    REPLAY_CALLS,
    REPLAY_FLOWS,
    REPLAY_TCP_FLAGS,
    REPLAY_RTP,
    REPLAY_FINDINGS,
    REPLAY_VERDICTS,
    REPLAY_COUNT,
};

/* Each kind in the order it was written (id, or rowid), as the run
 * handed it over. */
static const char *const replay_sql[REPLAY_COUNT] = {
    [REPLAY_CAPTURES] =
        "SELECT id, source, link_type, tool_version, command_line, sensor, "
        "profile_name, profile, filter, packets, bytes, drops, if_drops, "
        "first_ts, last_ts, flows, flows_evicted, interrupted, read_error "
        "FROM captures WHERE ?1 = 0 OR id = ?1 ORDER BY id",
    [REPLAY_SIP] =
        "SELECT flow_id, packet, ts, direction, src_ip, src_port, dst_ip, "
        "dst_port, transport, call_id, cseq, cseq_method, method, status, "
        "reason, from_uri, to_uri, retransmission FROM sip_messages "
        "WHERE capture_id = ? ORDER BY id",
    [REPLAY_CALLS] =
        "SELECT flow_id, call_id, state, first_method, from_uri, to_uri, "
        "from_tag, to_tag, caller_ip, caller_port, callee_ip, callee_port, "
        "first_packet, first_ts, last_ts, ring_ms, setup_ms, duration_s, "
        "final_status, messages, reinvites, retransmissions, cancelled, "
        "end_reason FROM calls WHERE capture_id = ? ORDER BY id",
    [REPLAY_FLOWS] =
        "SELECT id, ip_version, proto, client_ip, client_port, server_ip, "
        "server_port, vlan, first_ts, last_ts, first_packet, c2s_packets, "
        "s2c_packets, c2s_bytes, s2c_bytes, c2s_payload_bytes, "
        "s2c_payload_bytes, client_side, server_side, class, classified_by, "
        "hostname, ndpi_proto, ndpi_category, tcp_state, tcp_rtt_ms, "
        "c2s_tcp_flags, s2c_tcp_flags, c2s_retrans, s2c_retrans, c2s_dscp, "
        "s2c_dscp, end_reason FROM flows WHERE capture_id = ? ORDER BY id",
    [REPLAY_TCP_FLAGS] =
        "SELECT flow_id, direction, flag, count FROM tcp_analysis "
        "WHERE capture_id = ? ORDER BY flow_id",
    [REPLAY_RTP] =
        "SELECT flow_id, call_id, ssrc, direction, payload_type, packets, "
        "lost, jitter_ms, first_packet, rfc_lost, src_ip, src_port, dst_ip, "
        "dst_port, encoding, dscp, payload_types FROM rtp_streams "
        "WHERE capture_id = ? ORDER BY id",
    [REPLAY_FINDINGS] =
        "SELECT kind, severity, requirement, flow_id, first_packet, ts, "
        "summary FROM findings WHERE capture_id = ? ORDER BY id",
    [REPLAY_VERDICTS] =
        "SELECT requirement, set_name, verdict, severity, check_kind, "
        "summary, evidence, fix FROM requirements WHERE capture_id = ? "
        "ORDER BY rowid",
};

struct replay {
    sqlite3_stmt *st[REPLAY_COUNT];
    const struct sink *sink;
    struct capture_meta meta;
    /* The next tcp_analysis row not yet merged into a flow. */
    bool tcp_pending;
};

/* --- columns --------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_us(sqlite3_stmt *st, int i, double scale)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    return (int64_t)llround(sqlite3_column_double(st, i) * scale);
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
    sqlite3_int64 v = sqlite3_column_int64(st, i);

    return v < 0 ? 0 : (uint64_t)v;
}

static uint16_t col_u16(sqlite3_stmt *st, int i)
{
    sqlite3_int64 v = sqlite3_column_int64(st, i);

    return v < 0 || v > 65535 ? 0 : (uint16_t)v;
}

/* An address column; a NULL or unreadable one stays family 0. */
static void col_ip(sqlite3_stmt *st, int i, struct ip_addr *out)
{
    const char *s = col_text(st, i);

    memset(out, 0, sizeof(*out));
    if (s && ipaddr_parse(s, out) != 0)
        memset(out, 0, sizeof(*out));
}

static enum flow_dir col_dir(sqlite3_stmt *st, int i)
{
    const char *s = col_text(st, i);

    return s && strcmp(s, "s2c") == 0 ? FLOW_DIR_S2C : FLOW_DIR_C2S;
}

/* The value whose name (as name() spells it) is s; fallback when none. */
static unsigned name_lookup(const char *s, const char *(*name)(unsigned),
                            unsigned n, unsigned fallback)
{
    unsigned v;

    for (v = 0; s && v < n; v++)
        if (strcmp(name(v), s) == 0)
            return v;
    return fallback;
}

/* flow.h's name functions take their own enums; these adapt them to
 * name_lookup(). */
static const char *side_name(unsigned v)
{
    return flow_side_name((enum flow_side)v);
}

static const char *by_name(unsigned v)
{
    return flow_classified_by_name((enum flow_classified_by)v);
}

static const char *tcp_state_name(unsigned v)
{
    return flow_tcp_state_name((enum flow_tcp_state)v);
}

static const char *end_name(unsigned v)
{
    return flow_end_reason_name((enum flow_end_reason)v);
}

static const char *tcp_flag_name(unsigned v)
{
    return flow_tcp_flag_name((enum flow_tcp_flag)v);
}

static const char *severity_name(unsigned v)
{
    return finding_severity_name((enum finding_severity)v);
}

/* "0,46" back into a bit set (the writer's format). */
static uint64_t dscp_parse(const char *s)
{
    uint64_t seen = 0;
    char *end;

    while (s && *s) {
        unsigned long v = strtoul(s, &end, 10);

        if (end == s)
            break;
        if (v < 64)
            seen |= UINT64_C(1) << v;
        s = *end == ',' ? end + 1 : end;
    }
    return seen;
}

/* --- records ---------------------------------------------------------- */

static int replay_record(struct replay *rp, enum record_kind kind,
                         const void *rec)
{
    if (!rp->sink->ops->record)
        return 0;
    return rp->sink->ops->record(rp->sink->self, &rp->meta, kind, rec);
}

static int replay_sip(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_SIP];
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sip_message_record m;

        memset(&m, 0, sizeof(m));
        m.flow_id = col_u64(st, 0);
        m.packet = col_u64(st, 1);
        m.ts_us = col_us(st, 2, 1e6);
        m.direction = col_dir(st, 3);
        col_ip(st, 4, &m.src_ip);
        m.src_port = col_u16(st, 5);
        col_ip(st, 6, &m.dst_ip);
        m.dst_port = col_u16(st, 7);
        m.transport = col_text(st, 8);
        m.call_id = col_text(st, 9);
        m.cseq = sqlite3_column_type(st, 10) == SQLITE_NULL
                     ? -1
                     : sqlite3_column_int64(st, 10);
        m.cseq_method = col_text(st, 11);
        m.method = col_text(st, 12);
        m.status = sqlite3_column_int(st, 13);
        m.reason = col_text(st, 14);
        m.from_uri = col_text(st, 15);
        m.to_uri = col_text(st, 16);
        m.retransmission = sqlite3_column_int(st, 17) != 0;
        m.via_rport = -1;
        m.content_length = -1;
        m.body_length = -1;
        if (replay_record(rp, RECORD_SIP_MESSAGE, &m) != 0)
            return -2;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* A delay column in ms (or s, scale 1e6) as microseconds; -1 NULL. */
static int64_t col_delay(sqlite3_stmt *st, int i, double scale)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return -1;
    return col_us(st, i, scale);
}

static int replay_calls(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_CALLS];
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct call_record c;

        memset(&c, 0, sizeof(c));
        c.flow_id = col_u64(st, 0);
        c.call_id = col_text(st, 1);
        c.state = col_text(st, 2);
        c.first_method = col_text(st, 3);
        c.from_uri = col_text(st, 4);
        c.to_uri = col_text(st, 5);
        c.from_tag = col_text(st, 6);
        c.to_tag = col_text(st, 7);
        col_ip(st, 8, &c.caller_ip);
        c.caller_port = col_u16(st, 9);
        col_ip(st, 10, &c.callee_ip);
        c.callee_port = col_u16(st, 11);
        c.first_packet = col_u64(st, 12);
        c.first_us = col_us(st, 13, 1e6);
        c.last_us = col_us(st, 14, 1e6);
        c.ring_us = col_delay(st, 15, 1e3);
        c.setup_us = col_delay(st, 16, 1e3);
        c.duration_us = col_delay(st, 17, 1e6);
        c.final_status = sqlite3_column_int(st, 18);
        c.messages = (uint32_t)col_u64(st, 19);
        c.reinvites = (uint32_t)col_u64(st, 20);
        c.retransmissions = (uint32_t)col_u64(st, 21);
        c.cancelled = sqlite3_column_int(st, 22) != 0;
        c.end_reason = col_text(st, 23);
        if (!c.call_id || !c.state)
            continue;   /* not a row this version wrote */
        if (replay_record(rp, RECORD_CALL, &c) != 0)
            return -2;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds the tcp_analysis rows of flow id (rows come ordered by flow id,
 * like the flows) to f; rows of flows not stored are skipped. */
static int replay_tcp_flags(struct replay *rp, struct flow *f)
{
    sqlite3_stmt *st = rp->st[REPLAY_TCP_FLAGS];
    int rc = SQLITE_ROW;

    while (rp->tcp_pending) {
        uint64_t id = col_u64(st, 0);

        if (id > f->id)
            return 0;
        if (id == f->id) {
            unsigned k = name_lookup(col_text(st, 2), tcp_flag_name,
                                     FLOW_TCPF_COUNT, FLOW_TCPF_COUNT);

            if (k < FLOW_TCPF_COUNT)
                f->dir[col_dir(st, 1)].tcp[k] =
                    (uint32_t)col_u64(st, 3);
        }
        rc = sqlite3_step(st);
        rp->tcp_pending = rc == SQLITE_ROW;
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The retransmission total of a direction when tcp_analysis has no rows
 * for it (the flows row has the sum). */
static void replay_retrans(struct flow_dir_stats *d, uint64_t total)
{
    if (d->tcp[FLOW_TCPF_RETRANSMISSION] +
            d->tcp[FLOW_TCPF_FAST_RETRANSMISSION] +
            d->tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION] == 0)
        d->tcp[FLOW_TCPF_RETRANSMISSION] = (uint32_t)total;
}

static void copy_text(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

static int replay_flows(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_FLOWS];
    struct flow *f = xcalloc(1, sizeof(*f));
    int rc, ret = -1, d;

    rc = sqlite3_step(rp->st[REPLAY_TCP_FLAGS]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto out;
    rp->tcp_pending = rc == SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *class_name = col_text(st, 19);

        memset(f, 0, sizeof(*f));
        f->id = col_u64(st, 0);
        f->key.ip_version = (uint8_t)sqlite3_column_int(st, 1);
        f->key.proto = (uint8_t)sqlite3_column_int(st, 2);
        col_ip(st, 3, &f->client_ip);
        f->client_port = col_u16(st, 4);
        col_ip(st, 5, &f->server_ip);
        f->server_port = col_u16(st, 6);
        f->key.vlan = col_u16(st, 7);
        f->first_us = col_us(st, 8, 1e6);
        f->last_us = col_us(st, 9, 1e6);
        f->first_packet = col_u64(st, 10);
        for (d = 0; d < 2; d++) {
            f->dir[d].packets = col_u64(st, 11 + d);
            f->dir[d].bytes = col_u64(st, 13 + d);
            f->dir[d].payload_bytes = col_u64(st, 15 + d);
            f->dir[d].tcp_flags = (uint8_t)sqlite3_column_int(st, 26 + d);
            f->dir[d].dscp_seen = dscp_parse(col_text(st, 30 + d));
        }
        f->client_side = name_lookup(col_text(st, 17), side_name, 2,
                                     FLOW_SIDE_INSIDE);
        f->server_side = name_lookup(col_text(st, 18), side_name, 2,
                                     FLOW_SIDE_OUTSIDE);
        f->class_name = class_name ? class_name : "other";
        f->classified_by = name_lookup(col_text(st, 20), by_name,
                                       FLOW_BY_NDPI + 1, FLOW_BY_NONE);
        copy_text(f->hostname, sizeof(f->hostname), col_text(st, 21));
        copy_text(f->ndpi_proto, sizeof(f->ndpi_proto), col_text(st, 22));
        copy_text(f->ndpi_category, sizeof(f->ndpi_category),
                  col_text(st, 23));
        f->tcp_state = name_lookup(col_text(st, 24), tcp_state_name,
                                   FLOW_TCP_MID_STREAM + 1, FLOW_TCP_NONE);
        f->tcp_rtt_us = col_delay(st, 25, 1e3);
        f->end_reason = name_lookup(col_text(st, 32), end_name,
                                    FLOW_END_CAPTURE_END + 1,
                                    FLOW_END_CAPTURE_END);
        if (replay_tcp_flags(rp, f) != 0)
            goto out;
        replay_retrans(&f->dir[0], col_u64(st, 28));
        replay_retrans(&f->dir[1], col_u64(st, 29));
        if (rp->sink->ops->flow &&
            rp->sink->ops->flow(rp->sink->self, &rp->meta, f) != 0) {
            ret = -2;
            goto out;
        }
    }
    if (rc == SQLITE_DONE)
        ret = 0;
out:
    free(f);
    return ret;
}

static int replay_rtp(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_RTP];
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rtp_stream_record r;

        memset(&r, 0, sizeof(r));
        r.flow_id = col_u64(st, 0);
        r.call_id = col_text(st, 1);
        r.ssrc = (uint32_t)sqlite3_column_int64(st, 2);
        r.direction = col_dir(st, 3);
        r.payload_type = (uint8_t)sqlite3_column_int(st, 4);
        r.summary.packets = col_u64(st, 5);
        r.summary.lost = sqlite3_column_int64(st, 6);
        r.summary.max_jitter_ms = sqlite3_column_double(st, 7);
        r.first_packet = col_u64(st, 8);
        r.summary.rfc_lost = sqlite3_column_int64(st, 9);
        col_ip(st, 10, &r.src_ip);
        r.src_port = col_u16(st, 11);
        col_ip(st, 12, &r.dst_ip);
        r.dst_port = col_u16(st, 13);
        r.encoding = col_text(st, 14);
        r.dscp = col_text(st, 15);
        r.payload_types = col_text(st, 16);
        r.rtcp_loss_pct = -1;
        r.rtcp_jitter_ms = -1;
        r.rtcp_rtt_ms = -1;
        if (replay_record(rp, RECORD_RTP_STREAM, &r) != 0)
            return -2;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int replay_findings(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_FINDINGS];
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct finding fd;
        unsigned sev = name_lookup(col_text(st, 1), severity_name,
                                   FINDING_ERROR + 1, FINDING_ERROR + 1);

        memset(&fd, 0, sizeof(fd));
        fd.kind = col_text(st, 0);
        if (!fd.kind || sev > FINDING_ERROR)
            continue;   /* not a row this version wrote */
        fd.severity = (enum finding_severity)sev;
        fd.requirement = col_text(st, 2);
        fd.flow_id = col_u64(st, 3);
        fd.first_packet = col_u64(st, 4);
        fd.ts_us = col_us(st, 5, 1e6);
        copy_text(fd.summary, sizeof(fd.summary), col_text(st, 6));
        if (replay_record(rp, RECORD_FINDING, &fd) != 0)
            return -2;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int replay_verdicts(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_VERDICTS];
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct verdict_record v;
        const char *verdict = col_text(st, 2);

        memset(&v, 0, sizeof(v));
        v.requirement = col_text(st, 0);
        v.set_name = col_text(st, 1);
        if (!v.requirement || !v.set_name ||
            verdict_parse(verdict ? verdict : "", &v.verdict) != 0)
            continue;
        v.severity = col_text(st, 3);
        v.check = col_text(st, 4);
        v.summary = col_text(st, 5);
        v.evidence = col_text(st, 6);
        v.fix = col_text(st, 7);
        if (replay_record(rp, RECORD_VERDICT, &v) != 0)
            return -2;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* --- captures --------------------------------------------------------- */

/* The capture row's facts; its strings stay valid until the captures
 * statement steps again, after end_capture. */
static void replay_meta(struct replay *rp)
{
    sqlite3_stmt *st = rp->st[REPLAY_CAPTURES];
    struct capture_meta *m = &rp->meta;

    memset(m, 0, sizeof(*m));
    m->capture_id = sqlite3_column_int64(st, 0);
    m->source = col_text(st, 1);
    m->link_type = col_text(st, 2);
    m->tool_version = col_text(st, 3);
    m->command_line = col_text(st, 4);
    m->sensor = col_text(st, 5);
    m->profile_name = col_text(st, 6);
    m->profile_text = col_text(st, 7);
    m->filter = col_text(st, 8);
    m->packets = col_u64(st, 9);
    m->bytes = col_u64(st, 10);
    m->drops = col_u64(st, 11);
    m->if_drops = col_u64(st, 12);
    m->first_us = col_us(st, 13, 1e6);
    m->last_us = col_us(st, 14, 1e6);
    m->flows.flows_created = col_u64(st, 15);
    m->flows.flows_evicted = col_u64(st, 16);
    m->interrupted = sqlite3_column_int(st, 17);
    m->read_error = col_text(st, 18);
    if (!m->source)
        m->source = "";
}

/* Replays the capture of the current captures row.  Returns 0, -1 on a
 * read error, -2 when a sink hook failed.  (The replay_* functions of
 * each kind return the same.)  end_capture is called whenever
 * begin_capture was, as the pipeline does. */
static int replay_capture(struct replay *rp)
{
    const struct sink_ops *ops = rp->sink->ops;
    int i, rc;

    replay_meta(rp);
    for (i = REPLAY_SIP; i < REPLAY_COUNT; i++) {
        sqlite3_reset(rp->st[i]);
        if (sqlite3_bind_int64(rp->st[i], 1, rp->meta.capture_id) !=
            SQLITE_OK)
            return -1;
    }
    if (ops->begin_capture && ops->begin_capture(rp->sink->self,
                                                 &rp->meta) != 0)
        return -2;
    rc = replay_sip(rp);
    if (rc == 0)
        rc = replay_calls(rp);
    if (rc == 0)
        rc = replay_flows(rp);
    if (rc == 0)
        rc = replay_rtp(rp);
    if (rc == 0)
        rc = replay_findings(rp);
    if (rc == 0)
        rc = replay_verdicts(rp);
    if (ops->end_capture && ops->end_capture(rp->sink->self, &rp->meta) != 0)
        return -2;
    return rc;
}

static sqlite3 *replay_open(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);

    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static int replay_prepare(sqlite3 *db, const char *path, const char *sql,
                          sqlite3_stmt **st, char *err, size_t errlen)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "cannot read '%s': %s (not a ringscope database "
             "of this version)", path, sqlite3_errmsg(db));
    return -1;
}

int db_replay_profile(const char *path, int64_t capture_id, char **name,
                      char **text, char *err, size_t errlen)
{
    static const char sql[] =
        "SELECT profile_name, profile FROM captures "
        "WHERE ?1 = 0 OR id = ?1 ORDER BY id LIMIT 1";
    sqlite3 *db = replay_open(path, err, errlen);
    sqlite3_stmt *st = NULL;
    int ret = -1, rc;

    *name = NULL;
    *text = NULL;
    if (!db)
        return -1;
    if (replay_prepare(db, path, sql, &st, err, errlen) != 0)
        goto out;
    if (sqlite3_bind_int64(st, 1, capture_id) != SQLITE_OK)
        goto db_error;
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        if (capture_id != 0)
            snprintf(err, errlen, "'%s' has no capture %lld", path,
                     (long long)capture_id);
        else
            snprintf(err, errlen, "'%s' holds no capture", path);
        goto out;
    }
    if (rc != SQLITE_ROW)
        goto db_error;
    *name = xstrdup(col_text(st, 0) ? col_text(st, 0) : "");
    if (col_text(st, 1))
        *text = xstrdup(col_text(st, 1));
    ret = 0;
    goto out;
db_error:
    snprintf(err, errlen, "cannot read '%s': %s", path, sqlite3_errmsg(db));
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ret;
}

int db_replay(const char *path, int64_t capture_id, const struct sink *sink,
              char *err, size_t errlen)
{
    struct replay rp;
    sqlite3 *db = replay_open(path, err, errlen);
    int ret = -1, n = 0, rc, i;

    memset(&rp, 0, sizeof(rp));
    rp.sink = sink;
    if (!db)
        return -1;
    for (i = 0; i < REPLAY_COUNT; i++)
        if (replay_prepare(db, path, replay_sql[i], &rp.st[i], err,
                           errlen) != 0)
            goto out;
    if (sqlite3_bind_int64(rp.st[REPLAY_CAPTURES], 1, capture_id) !=
        SQLITE_OK)
        goto db_error;
    while ((rc = sqlite3_step(rp.st[REPLAY_CAPTURES])) == SQLITE_ROW) {
        rc = replay_capture(&rp);
        if (rc == -2) {
            /* The sink has reported its own error. */
            snprintf(err, errlen, "cannot show '%s': the %s output failed",
                     path, sink->ops->name ? sink->ops->name : "");
            goto out;
        }
        if (rc != 0)
            goto db_error;
        n++;
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
    for (i = 0; i < REPLAY_COUNT; i++)
        sqlite3_finalize(rp.st[i]);
    sqlite3_close(db);
    return ret;
}
