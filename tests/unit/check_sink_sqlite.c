/* Unit tests for the SQLite sink (sink_sqlite.h): the rows and values it
 * writes, appending captures, batching, what survives a crash or a write
 * error, and the files it refuses to touch.  The database is read back
 * with the plain SQLite API, as a report script would. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "decode.h"
#include "finding.h"
#include "flow.h"
#include "sink.h"
#include "sink_sqlite.h"

/* sql/schema.sql as built into the program. */
extern const char ringscope_schema_sql[];

/* Per-test scratch directory and database path (the fixture runs in
 * each test's own process).  Sizes leave room for the names added. */
static char test_dir[256];
static char test_db[512];

/* 2023-11-14 22:13:20.123456 UTC and later: microseconds must survive. */
#define T0_US INT64_C(1700000000123456)
#define T1_US INT64_C(1700000012654321)

/* --- fixture ---------------------------------------------------------- */

static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char sub[1024];

    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    chmod(path, 0700);
    d = opendir(path);
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        remove_tree(sub);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(test_dir, sizeof(test_dir), "%s/check_sink_sqlite.XXXXXX",
             base && base[0] ? base : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
    snprintf(test_db, sizeof(test_db), "%s/test.db", test_dir);
}

static void teardown(void)
{
    remove_tree(test_dir);
}

/* --- helpers ------------------------------------------------------------ */

static void sink_open_ok(const char *path, uint32_t batch_rows,
                         int64_t batch_interval_us, struct sink *out)
{
    struct sink_sqlite_config cfg;
    char err[1024] = "";

    sink_sqlite_config_defaults(&cfg);
    cfg.path = path;
    cfg.batch_rows = batch_rows;
    cfg.batch_interval_us = batch_interval_us;
    ck_assert_msg(sink_sqlite_open(&cfg, out, err, sizeof(err)) == 0,
                  "open failed: %s", err);
}

/* Opens path with a short busy timeout and returns the error text. */
static int sink_open_err(const char *path, char *err, size_t errlen)
{
    struct sink_sqlite_config cfg;
    struct sink out;

    memset(&out, 0, sizeof(out));
    sink_sqlite_config_defaults(&cfg);
    cfg.path = path;
    cfg.busy_timeout_ms = 50;
    err[0] = '\0';
    return sink_sqlite_open(&cfg, &out, err, errlen);
}

static void meta_init(struct capture_meta *m, const char *source)
{
    memset(m, 0, sizeof(*m));
    m->source = source;
    m->link_type = "EN10MB";
    m->tool_version = "0.1.0";
    m->command_line = "ringscope -r in.pcap udp";
    m->profile_name = "default";
    m->profile_text = "[profile]\nname = default\n";
    m->filter = "udp";
}

/* A plain flow with id base + first_packet, as the pipeline makes it. */
static void flow_init(struct flow *f, const struct capture_meta *m,
                      uint64_t first_packet)
{
    static const uint8_t c[4] = { 192, 0, 2, 10 };
    static const uint8_t s[4] = { 198, 51, 100, 7 };

    memset(f, 0, sizeof(*f));
    f->id = m->flow_id_base + first_packet;
    f->key.ip_version = 4;
    f->key.proto = 17;
    ipaddr_set_v4(&f->client_ip, c);
    ipaddr_set_v4(&f->server_ip, s);
    f->client_port = 40000;
    f->server_port = 3478;
    f->first_packet = first_packet;
    f->first_us = T0_US;
    f->last_us = T1_US;
    f->dir[FLOW_DIR_C2S].packets = 1;
    f->dir[FLOW_DIR_C2S].bytes = 100;
    f->client_side = FLOW_SIDE_INSIDE;
    f->server_side = FLOW_SIDE_OUTSIDE;
    f->orient = FLOW_ORIENT_FIRST;
    f->tcp_rtt_us = -1;
    f->end_reason = FLOW_END_IDLE;
}

static void finding_init(struct finding *fd, const char *kind)
{
    memset(fd, 0, sizeof(*fd));
    fd->kind = kind;
    fd->severity = FINDING_WARNING;
    snprintf(fd->summary, sizeof(fd->summary), "%s seen", kind);
}

static void write_flows(struct sink *sk, struct capture_meta *m,
                        uint64_t first, uint64_t n)
{
    struct flow f;
    uint64_t i;

    for (i = 0; i < n; i++) {
        flow_init(&f, m, first + i);
        ck_assert_int_eq(sk->ops->flow(sk->self, m, &f), 0);
    }
}

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    return db;
}

static void db_exec(sqlite3 *db, const char *sql)
{
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK,
                  "%s: %s", sql, sqlite3_errmsg(db));
}

/* Creates path as a plain SQLite database holding sql. */
static void db_create(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
                                     SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
    db_exec(db, sql);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

static sqlite3_stmt *q_step(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;

    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
                  "%s: %s", sql, sqlite3_errmsg(db));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
    return st;
}

static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = q_step(db, sql);
    long long v = sqlite3_column_int64(st, 0);

    sqlite3_finalize(st);
    return v;
}

/* The first column of the first row as text; it must not be NULL (test
 * NULLs with typeof()). */
static const char *q_text(sqlite3 *db, const char *sql, char *buf,
                          size_t len)
{
    sqlite3_stmt *st = q_step(db, sql);

    ck_assert_msg(sqlite3_column_type(st, 0) != SQLITE_NULL, "%s: NULL",
                  sql);
    snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

/* Rows of a table, read through a fresh connection so only committed
 * data counts. */
static long long committed_rows(const char *table)
{
    char sql[128];
    sqlite3 *db = db_open(test_db);
    long long n;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    n = q_int(db, sql);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
    return n;
}

static size_t read_file(const char *path, char *buf, size_t len)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    ck_assert_ptr_nonnull(fp);
    n = fread(buf, 1, len, fp);
    fclose(fp);
    return n;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

/* --- what is written ---------------------------------------------------- */

/* A TCP flow with every column set. */
static void flow_full(struct flow *f)
{
    static const uint8_t c[4] = { 192, 0, 2, 10 };
    static const uint8_t s[4] = { 198, 51, 100, 7 };
    struct flow_dir_stats *c2s = &f->dir[FLOW_DIR_C2S];
    struct flow_dir_stats *s2c = &f->dir[FLOW_DIR_S2C];

    memset(f, 0, sizeof(*f));
    f->id = 5;
    f->key.ip_version = 4;
    f->key.proto = 6;
    f->key.vlan = 100;
    ipaddr_set_v4(&f->client_ip, c);
    ipaddr_set_v4(&f->server_ip, s);
    f->client_port = 51000;
    f->server_port = 443;
    f->orient = FLOW_ORIENT_SYN;
    f->client_side = FLOW_SIDE_INSIDE;
    f->server_side = FLOW_SIDE_OUTSIDE;
    f->first_packet = 5;
    f->first_us = T0_US;
    f->last_us = T1_US;
    c2s->packets = 10;
    c2s->bytes = 1500;
    c2s->payload_bytes = 900;
    c2s->tcp_flags = TCP_SYN | TCP_ACK | TCP_PSH | TCP_FIN;
    c2s->dscp_seen = (UINT64_C(1) << 0) | (UINT64_C(1) << 46);
    c2s->tcp[FLOW_TCPF_RETRANSMISSION] = 3;
    c2s->tcp[FLOW_TCPF_FAST_RETRANSMISSION] = 2;
    c2s->tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION] = 1;
    c2s->tcp[FLOW_TCPF_OUT_OF_ORDER] = 7;       /* not a retransmission */
    c2s->tcp[FLOW_TCPF_KEEP_ALIVE] = 4;         /* nor is this */
    s2c->packets = 8;
    s2c->bytes = 6000;
    s2c->payload_bytes = 5000;
    s2c->tcp_flags = TCP_SYN | TCP_ACK;
    s2c->dscp_seen = UINT64_C(1) << 46;
    s2c->tcp[FLOW_TCPF_FAST_RETRANSMISSION] = 1;
    s2c->tcp[FLOW_TCPF_DUPLICATE_ACK] = 9;
    f->class_name = "twilio-signaling";
    f->classified_by = FLOW_BY_SNI;
    snprintf(f->hostname, sizeof(f->hostname), "chunderw-gll.twilio.com");
    snprintf(f->ndpi_proto, sizeof(f->ndpi_proto), "TLS");
    snprintf(f->ndpi_category, sizeof(f->ndpi_category), "Web");
    f->tcp_state = FLOW_TCP_ESTABLISHED;
    f->tcp_rtt_us = 12345;
    f->end_reason = FLOW_END_CLOSED;
}

/* A UDP/IPv6 flow that leaves every optional column empty. */
static void flow_bare(struct flow *f)
{
    static const uint8_t c[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const uint8_t s[16] = { 0x20, 0x01, 0x0d, 0xb8, [13] = 2,
                                   [15] = 0x10 };

    memset(f, 0, sizeof(*f));
    f->id = 9;
    f->key.ip_version = 6;
    f->key.proto = 17;
    ipaddr_set_v6(&f->client_ip, c);
    ipaddr_set_v6(&f->server_ip, s);
    f->client_port = 5060;
    f->server_port = 5060;
    f->orient = FLOW_ORIENT_FIRST;
    f->client_side = FLOW_SIDE_INSIDE;
    f->server_side = FLOW_SIDE_INSIDE;
    f->first_packet = 9;
    f->first_us = INT64_C(1700000001000001);
    f->last_us = INT64_C(1700000001000001);
    f->dir[FLOW_DIR_C2S].packets = 1;
    f->dir[FLOW_DIR_C2S].bytes = 90;
    f->dir[FLOW_DIR_C2S].dscp_seen = UINT64_C(1) << 63;
    f->tcp_rtt_us = -1;
    f->end_reason = FLOW_END_IDLE;
}

/* Writes one capture with the two flows above and two findings. */
static void write_sample(void)
{
    struct sink sk;
    struct capture_meta m;
    struct flow f;
    struct finding fd;

    sink_open_ok(test_db, 5000, 1000000, &sk);
    meta_init(&m, "in.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    ck_assert_int_eq(m.capture_id, 1);
    ck_assert_uint_eq(m.flow_id_base, UINT64_C(10000000000));

    flow_full(&f);
    ck_assert_int_eq(sk.ops->flow(sk.self, &m, &f), 0);
    flow_bare(&f);
    ck_assert_int_eq(sk.ops->flow(sk.self, &m, &f), 0);

    finding_init(&fd, "tcp_retransmissions");
    fd.severity = FINDING_ERROR;
    fd.requirement = "R1.2";
    fd.flow_id = 5;
    fd.first_packet = 5;
    fd.ts_us = T0_US;
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_FINDING, &fd), 0);
    finding_init(&fd, "qos_unmarked");
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_FINDING, &fd), 0);

    /* The capture row was committed on its own, before the flows. */
    ck_assert_int_eq(committed_rows("captures"), 1);
    ck_assert_int_eq(committed_rows("flows"), 0);

    m.packets = 18;
    m.bytes = 13000;
    m.drops = 0;
    m.if_drops = 2;
    m.first_us = T0_US;
    m.last_us = T1_US;
    m.interrupted = 1;
    m.read_error = "truncated file";
    m.flows.flows_created = 2;
    m.flows.flows_evicted = 1;
    m.decode.anomalies[DECODE_ANOM_IPV4_TRUNCATED] = 3;
    m.decode.anomalies[DECODE_ANOM_UDP_BAD_LENGTH] = 1;
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    sk.ops->free(sk.self);
}

START_TEST(test_capture_row)
{
    sqlite3 *db;
    char b[256];

    write_sample();
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "PRAGMA user_version"), 1);
    ck_assert_str_eq(q_text(db, "PRAGMA journal_mode", b, sizeof(b)), "wal");
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check", b, sizeof(b)),
                     "ok");
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM captures"), 1);
    ck_assert_str_eq(q_text(db, "SELECT source || '|' || link_type || '|' || "
                            "tool_version || '|' || command_line || '|' || "
                            "filter || '|' || profile_name FROM captures",
                            b, sizeof(b)),
                     "in.pcap|EN10MB|0.1.0|ringscope -r in.pcap udp|udp|"
                     "default");
    ck_assert_str_eq(q_text(db, "SELECT profile FROM captures", b,
                            sizeof(b)), "[profile]\nname = default\n");
    ck_assert_str_eq(q_text(db, "SELECT typeof(sensor) FROM captures", b,
                            sizeof(b)), "null");
    ck_assert_int_eq(q_int(db, "SELECT packets FROM captures"), 18);
    ck_assert_int_eq(q_int(db, "SELECT bytes FROM captures"), 13000);
    ck_assert_int_eq(q_int(db, "SELECT drops FROM captures"), 0);
    ck_assert_int_eq(q_int(db, "SELECT if_drops FROM captures"), 2);
    ck_assert_int_eq(q_int(db, "SELECT CAST(round(first_ts * 1e6) AS "
                           "INTEGER) FROM captures"), T0_US);
    ck_assert_int_eq(q_int(db, "SELECT CAST(round(last_ts * 1e6) AS "
                           "INTEGER) FROM captures"), T1_US);
    ck_assert_str_eq(q_text(db, "SELECT printf('%.6f', last_ts) FROM "
                            "captures", b, sizeof(b)),
                     "1700000012.654321");
    ck_assert_int_eq(q_int(db, "SELECT flows FROM captures"), 2);
    ck_assert_int_eq(q_int(db, "SELECT flows_evicted FROM captures"), 1);
    ck_assert_int_eq(q_int(db, "SELECT interrupted FROM captures"), 1);
    ck_assert_str_eq(q_text(db, "SELECT read_error FROM captures", b,
                            sizeof(b)), "truncated file");
    ck_assert_int_eq(q_int(db, "SELECT complete FROM captures"), 1);

    /* Only the non-zero anomaly counters get a row. */
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM decode_anomalies"), 2);
    ck_assert_int_eq(q_int(db, "SELECT count FROM decode_anomalies WHERE "
                           "capture_id = 1 AND anomaly = 'ipv4_truncated'"),
                     3);
    ck_assert_int_eq(q_int(db, "SELECT sum(count) FROM decode_anomalies"),
                     4);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

START_TEST(test_flow_rows)
{
    sqlite3 *db;
    char b[256];
    char sql[256];

    write_sample();
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM flows"), 2);
    ck_assert_str_eq(q_text(db, "SELECT capture_id || ' ' || ip_version || "
                            "' ' || proto || ' ' || client_ip || ':' || "
                            "client_port || ' ' || server_ip || ':' || "
                            "server_port || ' vlan ' || vlan || ' #' || "
                            "first_packet FROM flows WHERE id = 5",
                            b, sizeof(b)),
                     "1 4 6 192.0.2.10:51000 198.51.100.7:443 vlan 100 #5");
    ck_assert_int_eq(q_int(db, "SELECT CAST(round(first_ts * 1e6) AS "
                           "INTEGER) FROM flows WHERE id = 5"), T0_US);
    ck_assert_int_eq(q_int(db, "SELECT CAST(round(last_ts * 1e6) AS "
                           "INTEGER) FROM flows WHERE id = 5"), T1_US);
    ck_assert_str_eq(q_text(db, "SELECT printf('%.6f', first_ts) FROM flows "
                            "WHERE id = 9", b, sizeof(b)),
                     "1700000001.000001");
    ck_assert_str_eq(q_text(db, "SELECT c2s_packets || ' ' || s2c_packets || "
                            "' ' || c2s_bytes || ' ' || s2c_bytes || ' ' || "
                            "c2s_payload_bytes || ' ' || s2c_payload_bytes "
                            "FROM flows WHERE id = 5", b, sizeof(b)),
                     "10 8 1500 6000 900 5000");
    ck_assert_str_eq(q_text(db, "SELECT client_side || ' ' || server_side || "
                            "' ' || orientation || ' ' || class || ' ' || "
                            "classified_by || ' ' || hostname || ' ' || "
                            "ndpi_proto || ' ' || ndpi_category || ' ' || "
                            "end_reason FROM flows WHERE id = 5",
                            b, sizeof(b)),
                     "inside outside syn twilio-signaling sni "
                     "chunderw-gll.twilio.com TLS Web closed");
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM flows WHERE id = 5 AND "
             "tcp_state = '%s'", flow_tcp_state_name(FLOW_TCP_ESTABLISHED));
    ck_assert_int_eq(q_int(db, sql), 1);
    ck_assert_str_eq(q_text(db, "SELECT printf('%.3f', tcp_rtt_ms) FROM "
                            "flows WHERE id = 5", b, sizeof(b)), "12.345");
    ck_assert_int_eq(q_int(db, "SELECT c2s_tcp_flags FROM flows WHERE "
                           "id = 5"), TCP_SYN | TCP_ACK | TCP_PSH | TCP_FIN);
    ck_assert_int_eq(q_int(db, "SELECT s2c_tcp_flags FROM flows WHERE "
                           "id = 5"), TCP_SYN | TCP_ACK);
    /* Plain + fast + spurious; out-of-order and keep-alive excluded. */
    ck_assert_int_eq(q_int(db, "SELECT c2s_retrans FROM flows WHERE id = 5"),
                     6);
    ck_assert_int_eq(q_int(db, "SELECT s2c_retrans FROM flows WHERE id = 5"),
                     1);
    ck_assert_str_eq(q_text(db, "SELECT c2s_dscp FROM flows WHERE id = 5", b,
                            sizeof(b)), "0,46");
    ck_assert_str_eq(q_text(db, "SELECT s2c_dscp FROM flows WHERE id = 5", b,
                            sizeof(b)), "46");

    /* The bare flow: empty and unknown values are NULL, class defaults. */
    ck_assert_str_eq(q_text(db, "SELECT client_ip || ' ' || server_ip || ' ' "
                            "|| ip_version || ' ' || proto || ' ' || "
                            "client_side || ' ' || server_side || ' ' || "
                            "orientation || ' ' || class || ' ' || "
                            "end_reason FROM flows WHERE id = 9",
                            b, sizeof(b)),
                     "2001:db8::1 2001:db8::2:10 6 17 inside inside first "
                     "other idle");
    ck_assert_str_eq(q_text(db, "SELECT typeof(classified_by) || typeof("
                            "hostname) || typeof(ndpi_proto) || typeof("
                            "ndpi_category) || typeof(tcp_state) || typeof("
                            "tcp_rtt_ms) || typeof(s2c_dscp) FROM flows "
                            "WHERE id = 9", b, sizeof(b)),
                     "nullnullnullnullnullnullnull");
    ck_assert_str_eq(q_text(db, "SELECT c2s_dscp FROM flows WHERE id = 9", b,
                            sizeof(b)), "63");
    ck_assert_int_eq(q_int(db, "SELECT c2s_retrans + s2c_retrans FROM flows "
                           "WHERE id = 9"), 0);
    ck_assert_str_eq(q_text(db, "SELECT typeof(first_ts) FROM flows WHERE "
                            "id = 9", b, sizeof(b)), "real");
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

START_TEST(test_finding_rows)
{
    sqlite3 *db;
    char b[256];

    write_sample();
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM findings"), 2);
    ck_assert_str_eq(q_text(db, "SELECT capture_id || ' ' || flow_id || ' ' "
                            "|| kind || ' ' || severity || ' ' || "
                            "requirement || ' ' || first_packet || ' ' || "
                            "summary FROM findings WHERE kind = "
                            "'tcp_retransmissions'", b, sizeof(b)),
                     "1 5 tcp_retransmissions error R1.2 5 "
                     "tcp_retransmissions seen");
    ck_assert_int_eq(q_int(db, "SELECT CAST(round(ts * 1e6) AS INTEGER) "
                           "FROM findings WHERE kind = "
                           "'tcp_retransmissions'"), T0_US);
    /* No flow, no packet, no time: NULL, not 0. */
    ck_assert_str_eq(q_text(db, "SELECT typeof(flow_id) || typeof("
                            "requirement) || typeof(first_packet) || typeof("
                            "ts) || ' ' || severity FROM findings WHERE "
                            "kind = 'qos_unmarked'", b, sizeof(b)),
                     "nullnullnullnull warning");
    /* The finding's flow id joins to the flow. */
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM findings JOIN flows ON "
                           "flows.id = findings.flow_id"), 1);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

START_TEST(test_empty_file_gets_schema)
{
    struct sink sk;
    sqlite3 *db;

    write_file(test_db, "", 0);
    sink_open_ok(test_db, 10, 1000000, &sk);
    sk.ops->free(sk.self);
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "PRAGMA user_version"), 1);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE "
                           "type = 'table' AND name IN ('captures', "
                           "'decode_anomalies', 'flows', 'findings')"), 4);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

/* --- appending ---------------------------------------------------------- */

START_TEST(test_append_captures)
{
    struct sink sk;
    struct capture_meta m;
    sqlite3 *db;

    sink_open_ok(test_db, 5000, 1000000, &sk);
    meta_init(&m, "a.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    ck_assert_int_eq(m.capture_id, 1);
    ck_assert_uint_eq(m.flow_id_base, UINT64_C(10000000000));
    write_flows(&sk, &m, 1, 3);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    sk.ops->free(sk.self);

    /* A later run appends: new capture id, and flow ids in the range of
     * that capture id, also for a second capture in the same run. */
    sink_open_ok(test_db, 5000, 1000000, &sk);
    meta_init(&m, "b.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    ck_assert_int_eq(m.capture_id, 2);
    ck_assert_uint_eq(m.flow_id_base, UINT64_C(20000000000));
    write_flows(&sk, &m, 1, 2);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    meta_init(&m, "c.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    ck_assert_int_eq(m.capture_id, 3);
    ck_assert_uint_eq(m.flow_id_base, UINT64_C(30000000000));
    write_flows(&sk, &m, 1, 1);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    sk.ops->free(sk.self);

    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM captures WHERE "
                           "complete = 1"), 3);
    ck_assert_int_eq(q_int(db, "SELECT group_concat(id) = '1,2,3' FROM "
                           "(SELECT id FROM captures ORDER BY id)"), 1);
    ck_assert_int_eq(q_int(db, "SELECT count(DISTINCT id) FROM flows"), 6);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM flows WHERE "
                           "capture_id = 1 AND id IN (10000000001, "
                           "10000000002, 10000000003)"), 3);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM flows WHERE "
                           "capture_id = 2 AND id IN (20000000001, "
                           "20000000002)"), 2);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM flows WHERE "
                           "capture_id = 3 AND id = 30000000001"), 1);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

/* --- batching ----------------------------------------------------------- */

START_TEST(test_batch_by_rows)
{
    struct sink sk;
    struct capture_meta m;
    struct finding fd;
    int i;

    sink_open_ok(test_db, 7, INT64_C(3600000000), &sk);
    meta_init(&m, "a.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);

    write_flows(&sk, &m, 1, 20);
    ck_assert_int_eq(committed_rows("flows"), 14);     /* two batches */
    ck_assert_int_eq(sk.ops->flush(sk.self), 0);
    ck_assert_int_eq(committed_rows("flows"), 20);

    /* Records and flows share the batch. */
    finding_init(&fd, "qos_unmarked");
    for (i = 0; i < 5; i++)
        ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_FINDING, &fd), 0);
    ck_assert_int_eq(committed_rows("findings"), 0);
    write_flows(&sk, &m, 21, 2);
    ck_assert_int_eq(committed_rows("findings"), 5);
    ck_assert_int_eq(committed_rows("flows"), 22);

    write_flows(&sk, &m, 23, 103);     /* 14 batches, 5 rows left */
    ck_assert_int_eq(committed_rows("flows"), 120);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    ck_assert_int_eq(committed_rows("flows"), 125);
    sk.ops->free(sk.self);
    ck_assert_int_eq(committed_rows("flows"), 125);
}
END_TEST

START_TEST(test_batch_by_time)
{
    struct sink sk;
    struct capture_meta m;
    const struct timespec pause = { 0, 300 * 1000 * 1000 };

    /* 200 ms batches, far more rows than written. */
    sink_open_ok(test_db, 1000000, 200000, &sk);
    meta_init(&m, "a.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    write_flows(&sk, &m, 1, 1);
    ck_assert_int_eq(committed_rows("flows"), 0);
    nanosleep(&pause, NULL);
    write_flows(&sk, &m, 2, 1);
    ck_assert_int_eq(committed_rows("flows"), 2);
    write_flows(&sk, &m, 3, 1);
    ck_assert_int_eq(committed_rows("flows"), 2);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    ck_assert_int_eq(committed_rows("flows"), 3);
    sk.ops->free(sk.self);
}
END_TEST

/* --- crashes and write errors ------------------------------------------- */

/* The writer process: 35 flows in batches of 10, then killed. */
static void killed_writer(void)
{
    struct sink sk;
    struct capture_meta m;
    struct flow f;
    uint64_t i;

    sink_open_ok(test_db, 10, INT64_C(3600000000), &sk);
    meta_init(&m, "live");
    sk.ops->begin_capture(sk.self, &m);
    for (i = 1; i <= 35; i++) {
        flow_init(&f, &m, i);
        sk.ops->flow(sk.self, &m, &f);
    }
    raise(SIGKILL);
}

START_TEST(test_sigkill_keeps_committed_batches)
{
    struct sink sk;
    struct capture_meta m;
    sqlite3 *db;
    char b[64];
    pid_t pid;
    int status = 0;

    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        killed_writer();
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(WTERMSIG(status), SIGKILL);

    db = db_open(test_db);
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check", b, sizeof(b)),
                     "ok");
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM flows"), 30);
    ck_assert_int_eq(q_int(db, "SELECT complete FROM captures"), 0);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);

    /* The next run appends after what survived. */
    sink_open_ok(test_db, 10, 1000000, &sk);
    meta_init(&m, "again");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    ck_assert_int_eq(m.capture_id, 2);
    ck_assert_uint_eq(m.flow_id_base, UINT64_C(20000000000));
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    sk.ops->free(sk.self);
}
END_TEST

/* Counts lines of text that start with "ringscope: ". */
static int count_messages(const char *text)
{
    int n = 0;
    const char *p = text;

    while ((p = strstr(p, "ringscope: ")) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* The file size limit makes the WAL stop growing, as a full disk does:
 * the failing write is reported once, later calls fail quietly, and the
 * database keeps exactly the batches committed before. */
START_TEST(test_write_error_reported_once)
{
    struct sink sk;
    struct capture_meta m;
    struct flow f;
    struct rlimit old_lim, lim;
    void (*old_xfsz)(int);
    char log_path[1024];
    char text[4096] = "";
    char b[64];
    sqlite3 *db;
    uint64_t i;
    int saved_stderr, fd;
    int rc = 0;

    snprintf(log_path, sizeof(log_path), "%s/stderr.txt", test_dir);
    sink_open_ok(test_db, 50, INT64_C(3600000000), &sk);
    meta_init(&m, "big.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);

    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
    close(fd);
    old_xfsz = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old_lim), 0);
    lim = old_lim;
    lim.rlim_cur = 256 * 1024;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);

    for (i = 1; i <= 20000 && rc == 0; i++) {
        flow_init(&f, &m, i);
        memset(f.hostname, 'h', sizeof(f.hostname) - 1);
        rc = sk.ops->flow(sk.self, &m, &f);
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_lt(i, 20000);
    flow_init(&f, &m, i);
    ck_assert_int_eq(sk.ops->flow(sk.self, &m, &f), -1);
    ck_assert_int_eq(sk.ops->flush(sk.self), -1);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), -1);
    sk.ops->free(sk.self);

    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old_lim), 0);
    signal(SIGXFSZ, old_xfsz);
    fflush(stderr);
    ck_assert_int_ge(dup2(saved_stderr, STDERR_FILENO), 0);
    close(saved_stderr);

    read_file(log_path, text, sizeof(text) - 1);
    ck_assert_int_eq(count_messages(text), 1);
    ck_assert_ptr_nonnull(strstr(text, test_db));

    db = db_open(test_db);
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check", b, sizeof(b)),
                     "ok");
    ck_assert_int_gt(q_int(db, "SELECT count(*) FROM flows"), 0);
    ck_assert_int_eq(q_int(db, "SELECT count(*) % 50 FROM flows"), 0);
    ck_assert_int_eq(q_int(db, "SELECT complete FROM captures"), 0);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

/* --- refusals ----------------------------------------------------------- */

START_TEST(test_refuse_missing_directory)
{
    char path[1024], dir[512], err[2048], want[2048];

    snprintf(dir, sizeof(dir), "%s/missing", test_dir);
    snprintf(path, sizeof(path), "%s/sub/x.db", dir);
    ck_assert_int_eq(sink_open_err(path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "cannot create database '%s': its "
             "directory does not exist", path);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

START_TEST(test_refuse_directory_as_file)
{
    char err[1024], want[1024];

    ck_assert_int_eq(sink_open_err(test_dir, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s'", test_dir);
    ck_assert_ptr_nonnull(strstr(err, want));
}
END_TEST

START_TEST(test_refuse_garbage)
{
    char data[4096], after[8192], err[1024], want[1024];
    size_t i;

    for (i = 0; i < sizeof(data); i++)
        data[i] = "this is not a database\n"[i % 23];
    write_file(test_db, data, sizeof(data));
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s' is not a ringscope database or is "
             "corrupt", test_db);
    ck_assert_str_eq(err, want);
    /* Untouched. */
    ck_assert_uint_eq(read_file(test_db, after, sizeof(after)), sizeof(data));
    ck_assert_int_eq(memcmp(after, data, sizeof(data)), 0);
}
END_TEST

START_TEST(test_refuse_newer_version)
{
    char err[1024], want[1024];
    sqlite3 *db;

    db_create(test_db, ringscope_schema_sql);
    db = db_open(test_db);
    db_exec(db, "PRAGMA user_version = 999");
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);

    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s' has schema version 999, newer than "
             "this ringscope (1); upgrade ringscope", test_db);
    ck_assert_str_eq(err, want);
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "PRAGMA user_version"), 999);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM captures"), 0);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

START_TEST(test_refuse_negative_version)
{
    char err[1024], want[1024];

    db_create(test_db, "CREATE TABLE t (x); PRAGMA user_version = -3");
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s' is not a ringscope database",
             test_db);
    ck_assert_ptr_nonnull(strstr(err, want));
}
END_TEST

START_TEST(test_refuse_foreign_database)
{
    char err[1024], want[1024];
    sqlite3 *db;

    db_create(test_db, "CREATE TABLE contacts (name TEXT); "
              "INSERT INTO contacts VALUES ('alice')");
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s' is an SQLite database of another "
             "program", test_db);
    ck_assert_ptr_nonnull(strstr(err, want));
    /* Nothing added, nothing changed. */
    db = db_open(test_db);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM sqlite_master"), 1);
    ck_assert_int_eq(q_int(db, "SELECT count(*) FROM contacts"), 1);
    ck_assert_int_eq(q_int(db, "PRAGMA user_version"), 0);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

/* Another program that also sets user_version = 1. */
START_TEST(test_refuse_same_version_other_tables)
{
    char err[1024], want[1024];

    db_create(test_db, "CREATE TABLE t (x); PRAGMA user_version = 1");
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "'%s' is not a ringscope database or is "
             "corrupt (it has no table 'captures')", test_db);
    ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_refuse_locked)
{
    struct sink sk;
    char err[1024], want[1024];
    sqlite3 *db;

    sink_open_ok(test_db, 10, 1000000, &sk);
    sk.ops->free(sk.self);
    db = db_open(test_db);
    db_exec(db, "BEGIN EXCLUSIVE");
    db_exec(db, "INSERT INTO captures (source, tool_version) VALUES "
            "('other', 'x')");

    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "database '%s' is locked by another "
             "process", test_db);
    ck_assert_str_eq(err, want);
    db_exec(db, "ROLLBACK");
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

/* --- read-only (meaningless for root, who may write anyway) ------------- */

START_TEST(test_refuse_read_only_file)
{
    struct sink sk;
    char err[1024], want[1024];

    sink_open_ok(test_db, 10, 1000000, &sk);
    sk.ops->free(sk.self);
    ck_assert_int_eq(chmod(test_db, 0444), 0);
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "database '%s' is read-only", test_db);
    ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_refuse_read_only_directory)
{
    char err[1024], want[1024];

    ck_assert_int_eq(chmod(test_dir, 0555), 0);
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "cannot create database '%s': its "
             "directory is not writable", test_db);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(access(test_db, F_OK), -1);
}
END_TEST

/* An existing database whose directory cannot take the WAL file. */
START_TEST(test_refuse_read_only_directory_existing)
{
    struct sink sk;
    char err[1024], want[1024];

    sink_open_ok(test_db, 10, 1000000, &sk);
    sk.ops->free(sk.self);
    ck_assert_int_eq(chmod(test_dir, 0555), 0);
    ck_assert_int_eq(sink_open_err(test_db, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "cannot write database '%s': its "
             "directory is read-only", test_db);
    ck_assert_str_eq(err, want);
}
END_TEST

static Suite *sink_sqlite_suite(void)
{
    Suite *s = suite_create("sink_sqlite");
    TCase *tc = tcase_create("write");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_capture_row);
    tcase_add_test(tc, test_flow_rows);
    tcase_add_test(tc, test_finding_rows);
    tcase_add_test(tc, test_empty_file_gets_schema);
    tcase_add_test(tc, test_append_captures);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_batch_by_rows);
    tcase_add_test(tc, test_batch_by_time);
    suite_add_tcase(s, tc);

    tc = tcase_create("failure");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sigkill_keeps_committed_batches);
    tcase_add_test(tc, test_write_error_reported_once);
    suite_add_tcase(s, tc);

    tc = tcase_create("refuse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_refuse_missing_directory);
    tcase_add_test(tc, test_refuse_directory_as_file);
    tcase_add_test(tc, test_refuse_garbage);
    tcase_add_test(tc, test_refuse_newer_version);
    tcase_add_test(tc, test_refuse_negative_version);
    tcase_add_test(tc, test_refuse_foreign_database);
    tcase_add_test(tc, test_refuse_same_version_other_tables);
    tcase_add_test(tc, test_refuse_locked);
    suite_add_tcase(s, tc);

    /* Permission bits do not stop root, so these only run for other
     * users. */
    if (geteuid() != 0) {
        tc = tcase_create("read_only");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_refuse_read_only_file);
        tcase_add_test(tc, test_refuse_read_only_directory);
        tcase_add_test(tc, test_refuse_read_only_directory_existing);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sink_sqlite_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
