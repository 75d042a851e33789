/* Unit tests for merging databases (db_merge.h): capture and flow ids
 * renumbered with every reference (capture_id, flow_id, declared
 * REFERENCES to row ids, flow ids quoted in evidence text), and the
 * refusals: schema version mismatch, a capture merged twice, a flow
 * reference the merge cannot map, the output given as an input.  The
 * databases are built with plain SQL on the program's schema. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_merge.h"

/* sql/schema.sql as built into the program. */
extern const char ringscope_schema_sql[];

static char dir[256];
static char out_db[300], in1_db[300], in2_db[300];

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(dir, sizeof(dir), "%s/check_db_merge.XXXXXX",
             base && base[0] ? base : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out_db, sizeof(out_db), "%s/out.db", dir);
    snprintf(in1_db, sizeof(in1_db), "%s/in1.db", dir);
    snprintf(in2_db, sizeof(in2_db), "%s/in2.db", dir);
}

static void teardown(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    /* Scratch files: no need to wait for the disk. */
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL,
                                  NULL, NULL), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        ck_abort_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void query_text(const char *path, const char *sql, char *buf,
                       size_t len)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A sensor's database: capture 1 (and 2 when two) with one flow at
 * frame 7, a finding on it, a verdict quoting it, and rows of two
 * tables the schema lacks: a stream on the flow, and a note pointing at
 * the stream by its row id. */
static void make_db(const char *path, const char *sensor, int captures)
{
    char sql[4096];
    int c;

    exec_sql(path, ringscope_schema_sql);
    /* Tables a later version might add: rows with their own ids, and
     * rows pointing at them. */
    exec_sql(path, "CREATE TABLE IF NOT EXISTS streams ("
                   "id INTEGER PRIMARY KEY, "
                   "capture_id INTEGER NOT NULL REFERENCES captures(id), "
                   "flow_id INTEGER NOT NULL, ssrc INTEGER);"
                   "CREATE TABLE IF NOT EXISTS stream_notes ("
                   "capture_id INTEGER NOT NULL REFERENCES captures(id), "
                   "stream INTEGER REFERENCES streams(id), "
                   "note TEXT)");
    for (c = 1; c <= captures; c++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO captures (id, source, packets, first_ts, "
                 "tool_version, sensor) VALUES (%d, 'site%d.pcap', %d, "
                 "1700000000.5, 'test', '%s');"
                 "INSERT INTO flows (id, capture_id, ip_version, proto, "
                 "client_ip, client_port, server_ip, server_port, first_ts, "
                 "last_ts, first_packet, c2s_packets, s2c_packets, "
                 "c2s_bytes, s2c_bytes, client_side, server_side) VALUES "
                 "(%d0000000007, %d, 4, 17, '192.168.1.%d', 5060, "
                 "'203.0.113.1', 5060, 1700000000.5, 1700000001.5, 7, 3, "
                 "2, 300, 200, 'inside', 'outside');"
                 "INSERT INTO findings (capture_id, flow_id, kind, "
                 "severity, summary) VALUES (%d, %d0000000007, "
                 "'sip_no_response', 'error', 'no answer');"
                 "INSERT INTO requirements (capture_id, requirement, "
                 "set_name, verdict, summary, evidence) VALUES (%d, 'R1', "
                 "'current', 'FAIL', 's', 'flow %d0000000007 packet 7, "
                 "flow 12 packet 3');",
                 c, c, 100 + c, sensor, c, c, c, c, c, c, c);
        exec_sql(path, sql);
        snprintf(sql, sizeof(sql),
                 "INSERT INTO streams (capture_id, flow_id, ssrc) "
                 "VALUES (%d, %d0000000007, 1234);"
                 "INSERT INTO stream_notes VALUES (%d, "
                 "(SELECT max(id) FROM streams), 'n%d');",
                 c, c, c, c);
        exec_sql(path, sql);
    }
}

START_TEST(test_merge_renumbers)
{
    char *in[2] = { in1_db, in2_db };
    char err[512], text[256];

    make_db(out_db, "o", 0);    /* the same tables, no captures */
    make_db(in1_db, "a", 1);
    make_db(in2_db, "b", 2);
    ck_assert_int_eq(db_merge(out_db, in, 2, err, sizeof(err)), 3);
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM captures"), 3);
    query_text(out_db, "SELECT group_concat(sensor || id, ',') FROM "
               "(SELECT * FROM captures ORDER BY id)", text, sizeof(text));
    ck_assert_str_eq(text, "a1,b2,b3");
    /* Flow ids follow the capture ids; references follow the flows. */
    query_text(out_db, "SELECT group_concat(id, ',') FROM "
               "(SELECT id FROM flows ORDER BY id)", text, sizeof(text));
    ck_assert_str_eq(text, "10000000007,20000000007,30000000007");
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM findings "
                               "JOIN flows ON flows.id = findings.flow_id "
                               "AND flows.capture_id = findings.capture_id"),
                     3);
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM streams "
                               "JOIN flows ON flows.id = streams.flow_id "
                               "AND flows.capture_id = streams.capture_id"),
                     3);
    /* A declared REFERENCES to a row id follows the renumbered row. */
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM stream_notes "
                               "JOIN streams ON streams.id = "
                               "stream_notes.stream AND "
                               "streams.capture_id = "
                               "stream_notes.capture_id"), 3);
    ck_assert_int_eq(query_int(out_db, "SELECT count(DISTINCT id) FROM "
                               "streams"), 3);
    /* Evidence text: flow ids rewritten, other numbers untouched. */
    query_text(out_db, "SELECT evidence FROM requirements WHERE "
               "capture_id = 3", text, sizeof(text));
    ck_assert_str_eq(text, "flow 30000000007 packet 7, flow 12 packet 3");
    query_text(out_db, "SELECT client_ip FROM flows WHERE capture_id = 3",
               text, sizeof(text));
    ck_assert_str_eq(text, "192.168.1.2");
}
END_TEST

START_TEST(test_merge_twice_refused)
{
    char *in[1] = { in1_db };
    char err[512];

    make_db(out_db, "o", 0);
    make_db(in1_db, "a", 1);
    ck_assert_int_eq(db_merge(out_db, in, 1, err, sizeof(err)), 1);
    ck_assert_int_eq(db_merge(out_db, in, 1, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "already in"));
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM flows"), 1);
}
END_TEST

START_TEST(test_version_mismatch_refused)
{
    char *in[2] = { in1_db, in2_db };
    char err[512];

    make_db(out_db, "o", 0);
    make_db(in1_db, "a", 1);
    make_db(in2_db, "b", 1);
    exec_sql(in2_db, "PRAGMA user_version = 7");
    /* The first input was fine; nothing of it may stay behind. */
    ck_assert_int_eq(db_merge(out_db, in, 2, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "schema version 7"));
    ck_assert_int_eq(query_int(out_db, "SELECT count(*) FROM captures"), 0);
}
END_TEST

START_TEST(test_unmapped_flow_reference_refused)
{
    char *in[1] = { in2_db };
    char err[512];

    make_db(in1_db, "a", 1);
    make_db(in2_db, "b", 1);
    exec_sql(in1_db, "CREATE TABLE pairs (capture_id INTEGER, "
                     "other_flow_id INTEGER)");
    exec_sql(in2_db, "CREATE TABLE pairs (capture_id INTEGER, "
                     "other_flow_id INTEGER);"
                     "INSERT INTO pairs VALUES (1, 10000000007)");
    ck_assert_int_eq(db_merge(in1_db, in, 1, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "pairs.other_flow_id"));
    ck_assert_int_eq(query_int(in1_db, "SELECT count(*) FROM captures"), 1);
}
END_TEST

START_TEST(test_table_out_lacks_refused)
{
    char *in[1] = { in2_db };
    char err[512];

    make_db(in1_db, "a", 1);
    make_db(in2_db, "b", 1);
    exec_sql(in2_db, "CREATE TABLE later (capture_id INTEGER);"
                     "INSERT INTO later VALUES (1)");
    ck_assert_int_eq(db_merge(in1_db, in, 1, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "table later"));
}
END_TEST

START_TEST(test_output_as_input_refused)
{
    char *in[1] = { in1_db };
    char err[512];

    make_db(in1_db, "a", 1);
    ck_assert_int_eq(db_merge(in1_db, in, 1, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "both the output and an input"));
}
END_TEST

static Suite *db_merge_suite(void)
{
    Suite *s = suite_create("db_merge");
    TCase *tc = tcase_create("merge");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);  /* sanitizer builds are slower */
    tcase_add_test(tc, test_merge_renumbers);
    tcase_add_test(tc, test_merge_twice_refused);
    tcase_add_test(tc, test_version_mismatch_refused);
    tcase_add_test(tc, test_unmapped_flow_reference_refused);
    tcase_add_test(tc, test_table_out_lacks_refused);
    tcase_add_test(tc, test_output_as_input_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(db_merge_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
