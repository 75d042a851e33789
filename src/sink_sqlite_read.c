/* Reading compliance reports back from a database (report_db.h): the
 * captures, their verdicts, findings and traffic by class. */
#include "config.h"

#include "report_db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "compliance.h"
#include "finding.h"

enum read_stmt {
    READ_CAPTURES,
    READ_REQUIREMENTS,
    READ_FINDINGS,
    READ_CLASSES,
    READ_COUNT,
};

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

/* Fills r from the current row of the captures statement and the
 * per-capture queries. */
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
        sqlite3_reset(st[i]);
        if (sqlite3_bind_int64(st[i], 1, id) != SQLITE_OK)
            return -1;
    }
    if (read_requirements(st[READ_REQUIREMENTS], r) != 0 ||
        read_findings(st[READ_FINDINGS], r) != 0 ||
        read_classes(st[READ_CLASSES], r) != 0)
        return -1;
    return 0;
}

int report_db_load(const char *path, int64_t capture_id, report_db_fn fn,
                   void *arg, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st[READ_COUNT] = { NULL };
    struct report *r = report_new();
    int ret = -1, n = 0, rc, i;

    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto out;
    }
    for (i = 0; i < READ_COUNT; i++) {
        rc = sqlite3_prepare_v2(db, read_sql[i], -1, &st[i], NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "cannot read '%s': %s (not a ringscope "
                     "database, or one without compliance verdicts)", path,
                     sqlite3_errmsg(db));
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
