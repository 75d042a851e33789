/* Unit tests for replaying a database into a sink (db_replay.h): what the
 * SQLite sink wrote comes back to a sink's hooks as the same values, in
 * the order the run handed them over, capture by capture; and bad input
 * is refused with a message. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compliance.h"
#include "db_replay.h"
#include "finding.h"
#include "flow.h"
#include "media_record.h"
#include "sink.h"
#include "sink_sqlite.h"
#include "sip_record.h"
#include "tcp_record.h"

#define T0_US INT64_C(1700000000123456)
#define T1_US INT64_C(1700000012654321)

static char test_dir[256];
static char test_db[512];

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(test_dir, sizeof(test_dir), "%s/check_db_replay.XXXXXX",
             base && base[0] ? base : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
    snprintf(test_db, sizeof(test_db), "%s/test.db", test_dir);
}

static void teardown(void)
{
    char path[600];
    static const char *const suffix[] = { "", "-wal", "-shm" };
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", test_db, suffix[i]);
        unlink(path);
    }
    rmdir(test_dir);
}

/* --- writing a database with the SQLite sink --------------------------- */

static void meta_init(struct capture_meta *m, const char *source)
{
    memset(m, 0, sizeof(*m));
    m->source = source;
    m->link_type = "EN10MB";
    m->tool_version = "0.1.0";
    m->command_line = "ringscope -r in.pcap";
    m->profile_name = "lab";
    m->profile_text = "# the profile text\n";
}

static void ip4(struct ip_addr *a, uint8_t x, uint8_t y, uint8_t z,
                uint8_t w)
{
    const uint8_t b[4] = { x, y, z, w };

    ipaddr_set_v4(a, b);
}

/* One TCP flow with every field the replay restores. */
static void tcp_flow(struct flow *f, const struct capture_meta *m)
{
    memset(f, 0, sizeof(*f));
    f->id = m->flow_id_base + 3;
    f->key.ip_version = 4;
    f->key.proto = 6;
    f->key.vlan = 42;
    ip4(&f->client_ip, 192, 168, 1, 10);
    ip4(&f->server_ip, 198, 51, 100, 7);
    f->client_port = 40000;
    f->server_port = 5222;
    f->client_side = FLOW_SIDE_INSIDE;
    f->server_side = FLOW_SIDE_OUTSIDE;
    f->first_packet = 3;
    f->first_us = T0_US;
    f->last_us = T1_US;
    f->dir[0].packets = 10;
    f->dir[0].bytes = 1000;
    f->dir[0].dscp_seen = (UINT64_C(1) << 46) | 1;
    f->dir[0].tcp[FLOW_TCPF_RETRANSMISSION] = 2;
    f->dir[0].tcp[FLOW_TCPF_FAST_RETRANSMISSION] = 1;
    f->dir[1].packets = 8;
    f->dir[1].bytes = 4000;
    f->dir[1].tcp[FLOW_TCPF_DUPLICATE_ACK] = 4;
    f->class_name = "provider-xmpp";
    f->classified_by = FLOW_BY_SNI;
    snprintf(f->hostname, sizeof(f->hostname), "xmpp.example.com");
    snprintf(f->ndpi_proto, sizeof(f->ndpi_proto), "TLS");
    snprintf(f->ndpi_category, sizeof(f->ndpi_category), "Web");
    f->tcp_state = FLOW_TCP_ESTABLISHED;
    f->tcp_rtt_us = 12500;
    f->end_reason = FLOW_END_CLOSED;
}

static void put_tcp_flag(struct sink *sk, struct capture_meta *m,
                         uint64_t flow_id, enum flow_dir dir,
                         enum flow_tcp_flag flag, uint32_t count)
{
    struct tcp_flag_record r;

    memset(&r, 0, sizeof(r));
    r.flow_id = flow_id;
    r.dir = dir;
    r.flag = flag;
    r.count = count;
    r.n_packets = 1;
    r.packets[0] = 5;
    ck_assert_int_eq(sk->ops->record(sk->self, m, RECORD_TCP_FLAG, &r), 0);
}

/* Writes capture 1 (a TCP flow, a SIP message, a call, an RTP stream, a
 * finding, a verdict) and capture 2 (one UDP flow). */
static void write_db(void)
{
    struct sink_sqlite_config cfg;
    struct sink sk;
    struct capture_meta m;
    struct flow f;
    struct sip_message_record sm;
    struct call_record c;
    struct rtp_stream_record rs;
    struct finding fd;
    struct verdict_record v;
    char err[512] = "";

    sink_sqlite_config_defaults(&cfg);
    cfg.path = test_db;
    ck_assert_msg(sink_sqlite_open(&cfg, &sk, err, sizeof(err)) == 0, "%s",
                  err);
    meta_init(&m, "one.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    tcp_flow(&f, &m);
    put_tcp_flag(&sk, &m, f.id, FLOW_DIR_C2S, FLOW_TCPF_RETRANSMISSION, 2);
    put_tcp_flag(&sk, &m, f.id, FLOW_DIR_C2S,
                 FLOW_TCPF_FAST_RETRANSMISSION, 1);
    put_tcp_flag(&sk, &m, f.id, FLOW_DIR_S2C, FLOW_TCPF_DUPLICATE_ACK, 4);

    memset(&sm, 0, sizeof(sm));
    sm.flow_id = m.flow_id_base + 1;
    sm.packet = 1;
    sm.ts_us = T0_US;
    ip4(&sm.src_ip, 192, 168, 1, 10);
    ip4(&sm.dst_ip, 199, 7, 172, 10);
    sm.src_port = 5060;
    sm.dst_port = 5060;
    sm.transport = "udp";
    sm.call_id = "call-1@lab";
    sm.cseq = 1;
    sm.cseq_method = "INVITE";
    sm.method = "INVITE";
    sm.from_uri = "sip:alice@lab";
    sm.to_uri = "sip:bob@lab";
    sm.via_rport = -1;
    sm.content_length = -1;
    sm.body_length = -1;
    sm.retransmission = true;
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_SIP_MESSAGE, &sm),
                     0);

    memset(&c, 0, sizeof(c));
    c.flow_id = sm.flow_id;
    c.call_id = "call-1@lab";
    c.state = "ended";
    c.from_uri = "sip:alice@lab";
    c.to_uri = "sip:bob@lab";
    c.caller_ip = sm.src_ip;
    c.caller_port = 5060;
    c.first_packet = 1;
    c.first_us = T0_US;
    c.last_us = T1_US;
    c.ring_us = -1;
    c.setup_us = 250000;
    c.duration_us = -1;
    c.messages = 7;
    c.end_reason = "finished";
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_CALL, &c), 0);

    ck_assert_int_eq(sk.ops->flow(sk.self, &m, &f), 0);

    memset(&rs, 0, sizeof(rs));
    rs.flow_id = m.flow_id_base + 16;
    rs.call_id = "call-1@lab";
    rs.ssrc = 0xdeadbeef;
    rs.direction = FLOW_DIR_S2C;
    ip4(&rs.src_ip, 199, 7, 172, 20);
    ip4(&rs.dst_ip, 192, 168, 1, 10);
    rs.src_port = 30000;
    rs.dst_port = 16384;
    rs.first_packet = 16;
    rs.payload_types = "0";
    rs.dscp = "46";
    rs.summary.packets = 250;
    rs.summary.lost = 3;
    rs.summary.rfc_lost = 2;
    rs.summary.max_jitter_ms = 2.5;
    rs.rtcp_loss_pct = -1;
    rs.rtcp_jitter_ms = -1;
    rs.rtcp_rtt_ms = -1;
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_RTP_STREAM, &rs),
                     0);

    memset(&fd, 0, sizeof(fd));
    fd.kind = "tcp_blocked";
    fd.severity = FINDING_ERROR;
    fd.requirement = "REQ-TCP";
    fd.flow_id = f.id;
    fd.first_packet = 3;
    fd.ts_us = T0_US;
    snprintf(fd.summary, sizeof(fd.summary), "no answer");
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_FINDING, &fd), 0);

    memset(&v, 0, sizeof(v));
    v.requirement = "REQ-TCP";
    v.set_name = "current";
    v.verdict = VERDICT_FAIL;
    v.severity = "error";
    v.check = "connect";
    v.summary = "1 of 1 flows unanswered";
    ck_assert_int_eq(sk.ops->record(sk.self, &m, RECORD_VERDICT, &v), 0);
    m.packets = 525;
    m.bytes = 125277;
    m.drops = 4;
    m.first_us = T0_US;
    m.last_us = T1_US;
    m.flows.flows_created = 1;
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);

    meta_init(&m, "two.pcap");
    ck_assert_int_eq(sk.ops->begin_capture(sk.self, &m), 0);
    tcp_flow(&f, &m);
    f.key.proto = 17;
    f.tcp_state = FLOW_TCP_NONE;
    f.tcp_rtt_us = -1;
    memset(f.dir[0].tcp, 0, sizeof(f.dir[0].tcp));
    memset(f.dir[1].tcp, 0, sizeof(f.dir[1].tcp));
    f.class_name = NULL;
    f.classified_by = FLOW_BY_NONE;
    ck_assert_int_eq(sk.ops->flow(sk.self, &m, &f), 0);
    ck_assert_int_eq(sk.ops->end_capture(sk.self, &m), 0);
    sk.ops->free(sk.self);
}

/* --- a sink that records what it is handed ---------------------------- */

#define REC_MAX 16

struct recorder {
    char log[REC_MAX][32];          /* hook names, in call order */
    size_t n_log;
    int64_t capture_ids[4];
    uint64_t packets[4];
    uint64_t drops[4];
    size_t n_captures;
    struct flow flows[4];
    char classes[4][32];
    size_t n_flows;
    char call_id[64], state[32], from[64];
    struct ip_addr caller_ip;
    int64_t call_first_us, call_setup_us, call_ring_us;
    char sip_method[32];
    bool sip_retrans;
    uint16_t sip_src_port;
    uint64_t rtp_packets;
    int64_t rtp_rfc_lost;
    double rtp_jitter;
    struct ip_addr rtp_src;
    enum finding_severity finding_sev;
    uint64_t finding_packet;
    int64_t finding_ts;
    char finding_summary[FINDING_SUMMARY_MAX];
    enum verdict verdict;
    char verdict_set[32];
    int fail_on_flow;               /* return -1 from flow() */
};

static void rec_log(struct recorder *r, const char *what)
{
    if (r->n_log < REC_MAX)
        snprintf(r->log[r->n_log++], sizeof(r->log[0]), "%s", what);
}

static int rec_begin(void *self, struct capture_meta *m)
{
    struct recorder *r = self;

    rec_log(r, "begin");
    if (r->n_captures < 4) {
        r->capture_ids[r->n_captures] = m->capture_id;
        r->packets[r->n_captures] = m->packets;
        r->drops[r->n_captures] = m->drops;
        r->n_captures++;
    }
    return 0;
}

static int rec_flow(void *self, const struct capture_meta *m,
                    const struct flow *f)
{
    struct recorder *r = self;

    (void)m;
    rec_log(r, "flow");
    if (r->fail_on_flow)
        return -1;
    if (r->n_flows < 4) {
        r->flows[r->n_flows] = *f;
        snprintf(r->classes[r->n_flows], sizeof(r->classes[0]), "%s",
                 f->class_name);
        r->flows[r->n_flows].class_name = NULL;
        r->n_flows++;
    }
    return 0;
}

static int rec_record(void *self, const struct capture_meta *m,
                      enum record_kind kind, const void *rec)
{
    struct recorder *r = self;

    (void)m;
    if (kind == RECORD_SIP_MESSAGE) {
        const struct sip_message_record *s = rec;

        rec_log(r, "sip");
        snprintf(r->sip_method, sizeof(r->sip_method), "%s", s->method);
        r->sip_retrans = s->retransmission;
        r->sip_src_port = s->src_port;
    } else if (kind == RECORD_CALL) {
        const struct call_record *c = rec;

        rec_log(r, "call");
        snprintf(r->call_id, sizeof(r->call_id), "%s", c->call_id);
        snprintf(r->state, sizeof(r->state), "%s", c->state);
        snprintf(r->from, sizeof(r->from), "%s", c->from_uri);
        r->caller_ip = c->caller_ip;
        r->call_first_us = c->first_us;
        r->call_setup_us = c->setup_us;
        r->call_ring_us = c->ring_us;
    } else if (kind == RECORD_RTP_STREAM) {
        const struct rtp_stream_record *s = rec;

        rec_log(r, "rtp");
        r->rtp_packets = s->summary.packets;
        r->rtp_rfc_lost = s->summary.rfc_lost;
        r->rtp_jitter = s->summary.max_jitter_ms;
        r->rtp_src = s->src_ip;
    } else if (kind == RECORD_FINDING) {
        const struct finding *fd = rec;

        rec_log(r, "finding");
        r->finding_sev = fd->severity;
        r->finding_packet = fd->first_packet;
        r->finding_ts = fd->ts_us;
        snprintf(r->finding_summary, sizeof(r->finding_summary), "%s",
                 fd->summary);
    } else if (kind == RECORD_VERDICT) {
        const struct verdict_record *v = rec;

        rec_log(r, "verdict");
        r->verdict = v->verdict;
        snprintf(r->verdict_set, sizeof(r->verdict_set), "%s", v->set_name);
    } else {
        rec_log(r, "other");
    }
    return 0;
}

static int rec_end(void *self, const struct capture_meta *m)
{
    (void)m;
    rec_log(self, "end");
    return 0;
}

static const struct sink_ops rec_ops = {
    .name = "recorder",
    .begin_capture = rec_begin,
    .flow = rec_flow,
    .record = rec_record,
    .end_capture = rec_end,
};

/* --- tests ---------------------------------------------------------- */

START_TEST(test_replay_order_and_values)
{
    static const char *const order[] = {
        "begin", "sip", "call", "flow", "rtp", "finding", "verdict", "end",
        "begin", "flow", "end",
    };
    struct recorder *r = calloc(1, sizeof(*r));
    struct sink sk = { &rec_ops, r };
    struct ip_addr a;
    char err[512] = "";
    const struct flow *f;
    size_t i;

    write_db();
    ck_assert_int_eq(db_replay(test_db, 0, &sk, err, sizeof(err)), 2);
    ck_assert_uint_eq(r->n_log, sizeof(order) / sizeof(order[0]));
    for (i = 0; i < r->n_log; i++)
        ck_assert_str_eq(r->log[i], order[i]);

    ck_assert_int_eq(r->capture_ids[0], 1);
    ck_assert_int_eq(r->capture_ids[1], 2);
    ck_assert_uint_eq(r->packets[0], 525);
    ck_assert_uint_eq(r->drops[0], 4);

    f = &r->flows[0];
    ck_assert_str_eq(r->classes[0], "provider-xmpp");
    ck_assert_uint_eq(f->key.proto, 6);
    ck_assert_uint_eq(f->key.vlan, 42);
    ip4(&a, 192, 168, 1, 10);
    ck_assert(ipaddr_equal(&f->client_ip, &a));
    ck_assert_uint_eq(f->client_port, 40000);
    ck_assert_uint_eq(f->server_port, 5222);
    ck_assert_uint_eq(f->first_packet, 3);
    ck_assert_int_eq(f->first_us, T0_US);
    ck_assert_int_eq(f->last_us, T1_US);
    ck_assert_uint_eq(f->dir[0].packets, 10);
    ck_assert_uint_eq(f->dir[1].bytes, 4000);
    ck_assert_uint_eq(f->dir[0].dscp_seen, (UINT64_C(1) << 46) | 1);
    ck_assert_uint_eq(f->dir[0].tcp[FLOW_TCPF_RETRANSMISSION], 2);
    ck_assert_uint_eq(f->dir[0].tcp[FLOW_TCPF_FAST_RETRANSMISSION], 1);
    ck_assert_uint_eq(f->dir[1].tcp[FLOW_TCPF_DUPLICATE_ACK], 4);
    ck_assert_int_eq(f->classified_by, FLOW_BY_SNI);
    ck_assert_str_eq(f->hostname, "xmpp.example.com");
    ck_assert_str_eq(f->ndpi_proto, "TLS");
    ck_assert_int_eq(f->tcp_state, FLOW_TCP_ESTABLISHED);
    ck_assert_int_eq(f->tcp_rtt_us, 12500);
    ck_assert_int_eq(f->end_reason, FLOW_END_CLOSED);
    ck_assert_int_eq(f->client_side, FLOW_SIDE_INSIDE);
    ck_assert_int_eq(f->server_side, FLOW_SIDE_OUTSIDE);

    /* The second capture's UDP flow: no class stored means "other". */
    f = &r->flows[1];
    ck_assert_str_eq(r->classes[1], "other");
    ck_assert_int_eq(f->tcp_state, FLOW_TCP_NONE);
    ck_assert_int_eq(f->tcp_rtt_us, -1);
    ck_assert_int_eq(f->classified_by, FLOW_BY_NONE);

    ck_assert_str_eq(r->sip_method, "INVITE");
    ck_assert(r->sip_retrans);
    ck_assert_uint_eq(r->sip_src_port, 5060);
    ck_assert_str_eq(r->call_id, "call-1@lab");
    ck_assert_str_eq(r->state, "ended");
    ck_assert_str_eq(r->from, "sip:alice@lab");
    ck_assert(ipaddr_equal(&r->caller_ip, &a));
    ck_assert_int_eq(r->call_first_us, T0_US);
    ck_assert_int_eq(r->call_setup_us, 250000);
    ck_assert_int_eq(r->call_ring_us, -1);
    ck_assert_uint_eq(r->rtp_packets, 250);
    ck_assert_int_eq(r->rtp_rfc_lost, 2);
    ck_assert(r->rtp_jitter > 2.49 && r->rtp_jitter < 2.51);
    ip4(&a, 199, 7, 172, 20);
    ck_assert(ipaddr_equal(&r->rtp_src, &a));
    ck_assert_int_eq(r->finding_sev, FINDING_ERROR);
    ck_assert_uint_eq(r->finding_packet, 3);
    ck_assert_int_eq(r->finding_ts, T0_US);
    ck_assert_str_eq(r->finding_summary, "no answer");
    ck_assert_int_eq(r->verdict, VERDICT_FAIL);
    ck_assert_str_eq(r->verdict_set, "current");
    free(r);
}
END_TEST

START_TEST(test_replay_one_capture)
{
    struct recorder *r = calloc(1, sizeof(*r));
    struct sink sk = { &rec_ops, r };
    char err[512] = "";

    write_db();
    ck_assert_int_eq(db_replay(test_db, 2, &sk, err, sizeof(err)), 1);
    ck_assert_uint_eq(r->n_captures, 1);
    ck_assert_int_eq(r->capture_ids[0], 2);
    ck_assert_uint_eq(r->n_flows, 1);
    ck_assert_int_eq(db_replay(test_db, 3, &sk, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "has no capture 3") != NULL, "%s", err);
    free(r);
}
END_TEST

START_TEST(test_replay_profile)
{
    char *name = NULL, *text = NULL, err[512] = "";

    write_db();
    ck_assert_int_eq(db_replay_profile(test_db, 0, &name, &text, err,
                                       sizeof(err)), 0);
    ck_assert_str_eq(name, "lab");
    ck_assert_str_eq(text, "# the profile text\n");
    free(name);
    free(text);
    ck_assert_int_eq(db_replay_profile(test_db, 9, &name, &text, err,
                                       sizeof(err)), -1);
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(err, "has no capture 9") != NULL, "%s", err);
}
END_TEST

START_TEST(test_replay_errors)
{
    struct recorder *r = calloc(1, sizeof(*r));
    struct sink sk = { &rec_ops, r };
    char path[600], err[512] = "";
    FILE *fp;

    snprintf(path, sizeof(path), "%s/missing.db", test_dir);
    ck_assert_int_eq(db_replay(path, 0, &sk, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "cannot open") != NULL, "%s", err);

    /* Not a database: refused, nothing handed to the sink. */
    snprintf(path, sizeof(path), "%s/text.db", test_dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("this is not an SQLite database, just text long enough\n", fp);
    fclose(fp);
    ck_assert_int_eq(db_replay(path, 0, &sk, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "cannot read") != NULL, "%s", err);
    ck_assert_uint_eq(r->n_log, 0);
    unlink(path);

    /* A failing sink stops the replay after closing the capture. */
    write_db();
    r->fail_on_flow = 1;
    ck_assert_int_eq(db_replay(test_db, 0, &sk, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "recorder output failed") != NULL, "%s", err);
    ck_assert_str_eq(r->log[r->n_log - 1], "end");
    free(r);
}
END_TEST

static Suite *db_replay_suite(void)
{
    Suite *s = suite_create("db_replay");
    TCase *tc = tcase_create("replay");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_replay_order_and_values);
    tcase_add_test(tc, test_replay_one_capture);
    tcase_add_test(tc, test_replay_profile);
    tcase_add_test(tc, test_replay_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(db_replay_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
