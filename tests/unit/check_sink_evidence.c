/* Unit tests for the evidence writer (sink_evidence.h) and the pcap
 * writer it uses (capture.h): the evidence text parser, file names, and
 * the second pass over a small capture file written here. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "compliance.h"
#include "decode.h"
#include "flow.h"
#include "sink.h"
#include "sink_evidence.h"

#define DLT_EN10MB_VALUE 1

/* ------------------------------------------------------------------ */
/* Parsing and names. */

START_TEST(parse_forms)
{
    struct evidence_item it[5];

    ck_assert_int_eq(evidence_parse("", it, 5), 0);
    ck_assert_int_eq(evidence_parse("flow 10000000003 packet 4", it, 5), 1);
    ck_assert_uint_eq(it[0].flow_id, 10000000003ULL);
    ck_assert_uint_eq(it[0].packet, 4);
    ck_assert_int_eq(evidence_parse("flow 7, packet 9, flow 8 packet 12",
                                    it, 5), 3);
    ck_assert_uint_eq(it[0].flow_id, 7);
    ck_assert_uint_eq(it[0].packet, 0);
    ck_assert_uint_eq(it[1].flow_id, 0);
    ck_assert_uint_eq(it[1].packet, 9);
    ck_assert_uint_eq(it[2].flow_id, 8);
    ck_assert_uint_eq(it[2].packet, 12);
    /* More items than room: the first ones are kept. */
    ck_assert_int_eq(evidence_parse("packet 1, packet 2, packet 3", it, 2), 2);
    ck_assert_uint_eq(it[1].packet, 2);
}
END_TEST

START_TEST(parse_rejects)
{
    struct evidence_item it[5];

    ck_assert_int_eq(evidence_parse("flow", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow x", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow 0", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow 1 packet", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow 1,packet 2", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow 1, ", it, 5), -1);
    ck_assert_int_eq(evidence_parse("DNS query 5", it, 5), -1);
    ck_assert_int_eq(evidence_parse("flow 99999999999999999999999", it, 5),
                     -1);
}
END_TEST

START_TEST(file_names)
{
    char buf[32];

    evidence_file_name("RIO-PHONE-ALG", buf, sizeof(buf));
    ck_assert_str_eq(buf, "RIO-PHONE-ALG.pcap");
    evidence_file_name("../etc/passwd", buf, sizeof(buf));
    ck_assert_str_eq(buf, "_._etc_passwd.pcap");
    evidence_file_name("a b\n", buf, sizeof(buf));
    ck_assert_str_eq(buf, "a_b_.pcap");
    evidence_file_name("", buf, sizeof(buf));
    ck_assert_str_eq(buf, "_.pcap");
    evidence_file_name("abcdefghijklmnopqrstuvwxyz0123456789", buf,
                       sizeof(buf));
    ck_assert_str_eq(buf, "abcdefghijklmnopqrstuvwxyz.pcap");
    ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A capture of three UDP flows: A (10.0.0.1:5060 <-> 192.0.2.1:5060)
 * frames 1, 2, 4; B (10.0.0.1:4000 -> 192.0.2.2:30000) frames 3, 5;
 * A's 5-tuple again 200 s later as a new flow C, frame 6. */

struct frame_spec {
    const char *src;
    const char *dst;
    uint16_t sport;
    uint16_t dport;
    int64_t ts_us;
};

static const struct frame_spec frames[] = {
    { "10.0.0.1", "192.0.2.1", 5060, 5060, 1000000000000000LL },
    { "192.0.2.1", "10.0.0.1", 5060, 5060, 1000000000100000LL },
    { "10.0.0.1", "192.0.2.2", 4000, 30000, 1000000000200000LL },
    { "10.0.0.1", "192.0.2.1", 5060, 5060, 1000000000300000LL },
    { "10.0.0.1", "192.0.2.2", 4000, 30000, 1000000000400000LL },
    { "10.0.0.1", "192.0.2.1", 5060, 5060, 1000000200000000LL },
};
#define N_FRAMES (sizeof(frames) / sizeof(frames[0]))

static void put_ip(uint8_t *p, const char *s)
{
    unsigned a, b, c, d;

    ck_assert_int_eq(sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
    p[0] = (uint8_t)a;
    p[1] = (uint8_t)b;
    p[2] = (uint8_t)c;
    p[3] = (uint8_t)d;
}

/* Ethernet + IPv4 + UDP + 4 payload bytes. */
static size_t build_frame(const struct frame_spec *f, uint8_t *buf)
{
    static const uint8_t eth[14] = {
        0x02, 0, 0, 0, 0, 2,            /* destination */
        0x02, 0, 0, 0, 0, 1,            /* source */
        0x08, 0x00,                     /* IPv4 */
    };
    uint8_t *ip = buf + 14, *udp = ip + 20;

    memset(buf, 0, 46);
    memcpy(buf, eth, sizeof(eth));
    ip[0] = 0x45;                       /* version 4, 20-byte header */
    ip[3] = 32;                         /* total length */
    ip[8] = 64;                         /* TTL */
    ip[9] = 17;                         /* UDP */
    put_ip(ip + 12, f->src);
    put_ip(ip + 16, f->dst);
    udp[0] = (uint8_t)(f->sport >> 8);
    udp[1] = (uint8_t)f->sport;
    udp[2] = (uint8_t)(f->dport >> 8);
    udp[3] = (uint8_t)f->dport;
    udp[5] = 12;                        /* UDP length */
    memcpy(udp + 8, "ping", 4);
    return 46;
}

static char tmpdir[64];
static char input_path[128];
static char out_dir[128];

static void write_input(void)
{
    struct capture_writer *w;
    char err[256];
    size_t i;

    w = capture_writer_open(input_path, DLT_EN10MB_VALUE, false, err,
                            sizeof(err));
    ck_assert_msg(w != NULL, "%s", err);
    for (i = 0; i < N_FRAMES; i++) {
        uint8_t buf[64];
        struct pkt pkt;

        memset(&pkt, 0, sizeof(pkt));
        pkt.caplen = pkt.wirelen = (uint32_t)build_frame(&frames[i], buf);
        pkt.data = buf;
        pkt.ts_us = frames[i].ts_us;
        pkt.num = i + 1;
        ck_assert_int_eq(capture_writer_write(w, &pkt), 0);
    }
    ck_assert_int_eq(capture_writer_close(w, err, sizeof(err)), 0);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/evidence.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(input_path, sizeof(input_path), "%s/in.pcap", tmpdir);
    snprintf(out_dir, sizeof(out_dir), "%s/out", tmpdir);
    write_input();
}

static void teardown(void)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The flow record the pipeline would hand over for a flow opened by
 * frame first (1-based) and last seen at frame last. */
static void make_flow(struct flow *f, size_t first, size_t last)
{
    struct decoder_config cfg;
    struct decoder *dec;
    struct decoded d;
    struct pkt pkt;
    uint8_t buf[64];
    bool from_lo;

    memset(f, 0, sizeof(*f));
    memset(&pkt, 0, sizeof(pkt));
    pkt.caplen = pkt.wirelen = (uint32_t)build_frame(&frames[first - 1], buf);
    pkt.data = buf;
    pkt.linktype = DLT_EN10MB_VALUE;
    pkt.ts_us = frames[first - 1].ts_us;
    decoder_config_defaults(&cfg);
    dec = decoder_new(&cfg);
    ck_assert_int_eq(decode_packet(dec, &pkt, &d), DECODE_OK);
    flow_key_from_decoded(&d, &f->key, &from_lo);
    decoder_free(dec);
    f->id = 10000000000ULL + first;
    f->first_packet = first;
    f->first_us = frames[first - 1].ts_us;
    f->last_us = frames[last - 1].ts_us;
}

static void run_capture(struct sink *s, const char *const *reqs,
                        const enum verdict *verdicts,
                        const char *const *evidence, size_t n)
{
    struct capture_meta meta;
    struct flow fa, fb, fc;
    size_t i;

    memset(&meta, 0, sizeof(meta));
    meta.source = input_path;
    meta.link_type = "EN10MB";
    meta.packets = N_FRAMES;
    ck_assert_int_eq(s->ops->begin_capture(s->self, &meta), 0);
    make_flow(&fa, 1, 4);
    make_flow(&fb, 3, 5);
    make_flow(&fc, 6, 6);
    ck_assert_int_eq(s->ops->flow(s->self, &meta, &fb), 0);
    ck_assert_int_eq(s->ops->flow(s->self, &meta, &fa), 0);
    ck_assert_int_eq(s->ops->flow(s->self, &meta, &fc), 0);
    for (i = 0; i < n; i++) {
        struct verdict_record v;

        memset(&v, 0, sizeof(v));
        v.requirement = reqs[i];
        v.verdict = verdicts[i];
        v.evidence = evidence[i];
        /* Two requirement sets: the same verdict twice. */
        v.set_name = "document";
        ck_assert_int_eq(s->ops->record(s->self, &meta, RECORD_VERDICT, &v),
                         0);
        v.set_name = "current";
        ck_assert_int_eq(s->ops->record(s->self, &meta, RECORD_VERDICT, &v),
                         0);
    }
    ck_assert_int_eq(s->ops->end_capture(s->self, &meta), 0);
}

/* Reads path back; the frames must be those listed (1-based indexes into
 * frames[]), with their timestamps. */
static void expect_frames(const char *name, const size_t *want, size_t n)
{
    char path[256], err[256];
    struct capture *cap;
    struct pkt pkt;
    size_t got = 0;

    snprintf(path, sizeof(path), "%s/%s", out_dir, name);
    cap = capture_open_file(path, NULL, err, sizeof(err));
    ck_assert_msg(cap != NULL, "%s", err);
    ck_assert_int_eq(capture_linktype(cap), DLT_EN10MB_VALUE);
    while (capture_next(cap, &pkt) == CAPTURE_PACKET) {
        uint8_t buf[64];

        ck_assert_uint_lt(got, n);
        ck_assert_int_eq(pkt.ts_us, frames[want[got] - 1].ts_us);
        ck_assert_uint_eq(pkt.caplen, build_frame(&frames[want[got] - 1],
                                                  buf));
        ck_assert_int_eq(memcmp(pkt.data, buf, pkt.caplen), 0);
        got++;
    }
    ck_assert_uint_eq(got, n);
    capture_close(cap);
}

static bool exists(const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", out_dir, name);
    return access(path, F_OK) == 0;
}

START_TEST(writes_failing_only)
{
    static const char *const reqs[] = { "ALG", "UDP/RANGE", "OK", "BARE" };
    static const enum verdict verdicts[] = { VERDICT_FAIL, VERDICT_FAIL,
                                             VERDICT_PASS, VERDICT_FAIL };
    static const char *const ev[] = { "flow 10000000001 packet 1",
                                      "flow 10000000003, packet 2",
                                      "flow 10000000001 packet 1", "" };
    static const size_t alg[] = { 1, 2, 4 };
    static const size_t range[] = { 2, 3, 5 };
    struct sink s;
    char err[256];

    ck_assert_int_eq(sink_evidence_new(out_dir, NULL, &s, err, sizeof(err)),
                     0);
    run_capture(&s, reqs, verdicts, ev, 4);
    s.ops->free(s.self);
    /* Flow A without the later flow C on the same 5-tuple. */
    expect_frames("ALG.pcap", alg, 3);
    /* Flow B plus the packet named on its own, in capture order. */
    expect_frames("UDP_RANGE.pcap", range, 3);
    ck_assert(!exists("OK.pcap"));
    ck_assert(!exists("BARE.pcap"));
}
END_TEST

START_TEST(appends_across_captures)
{
    static const char *const reqs[] = { "ALG" };
    static const enum verdict verdicts[] = { VERDICT_FAIL };
    static const char *const ev1[] = { "flow 10000000006 packet 6" };
    static const char *const ev2[] = { "flow 10000000003 packet 3" };
    static const size_t want[] = { 6, 3, 5 };
    struct sink s;
    char err[256];

    ck_assert_int_eq(sink_evidence_new(out_dir, NULL, &s, err, sizeof(err)),
                     0);
    run_capture(&s, reqs, verdicts, ev1, 1);
    run_capture(&s, reqs, verdicts, ev2, 1);
    s.ops->free(s.self);
    expect_frames("ALG.pcap", want, 3);
}
END_TEST

START_TEST(filter_keeps_numbering)
{
    static const char *const reqs[] = { "R" };
    static const enum verdict verdicts[] = { VERDICT_FAIL };
    /* With the filter, B's frames are numbered 1 and 2. */
    static const char *const ev[] = { "packet 2" };
    static const size_t want[] = { 5 };
    struct capture_meta meta;
    struct verdict_record v;
    struct sink s;
    char err[256];

    ck_assert_int_eq(sink_evidence_new(out_dir, "udp port 4000", &s, err,
                                       sizeof(err)), 0);
    memset(&meta, 0, sizeof(meta));
    meta.source = input_path;
    meta.packets = 2;
    ck_assert_int_eq(s.ops->begin_capture(s.self, &meta), 0);
    memset(&v, 0, sizeof(v));
    v.requirement = reqs[0];
    v.verdict = verdicts[0];
    v.evidence = ev[0];
    v.set_name = "document";
    ck_assert_int_eq(s.ops->record(s.self, &meta, RECORD_VERDICT, &v), 0);
    ck_assert_int_eq(s.ops->end_capture(s.self, &meta), 0);
    s.ops->free(s.self);
    expect_frames("R.pcap", want, 1);
}
END_TEST

START_TEST(bad_directory)
{
    struct sink s;
    char err[256], path[256];

    snprintf(path, sizeof(path), "%s/no/such/dir", tmpdir);
    ck_assert_int_eq(sink_evidence_new(path, NULL, &s, err, sizeof(err)),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot create evidence directory"));
    ck_assert_int_eq(sink_evidence_new(input_path, NULL, &s, err,
                                       sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a directory"));
}
END_TEST

START_TEST(writer_refuses_other_linktype)
{
    struct capture_writer *w;
    char err[256];

    /* Raw IP (DLT_RAW) cannot be appended to an Ethernet file. */
    w = capture_writer_open(input_path, 12, true, err, sizeof(err));
    ck_assert_ptr_null(w);
    ck_assert_ptr_nonnull(strstr(err, input_path));
}
END_TEST

static Suite *evidence_suite(void)
{
    Suite *s = suite_create("sink_evidence");
    TCase *tc = tcase_create("text");
    TCase *tw = tcase_create("write");

    tcase_add_test(tc, parse_forms);
    tcase_add_test(tc, parse_rejects);
    tcase_add_test(tc, file_names);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tw, setup, teardown);
    tcase_add_test(tw, writes_failing_only);
    tcase_add_test(tw, appends_across_captures);
    tcase_add_test(tw, filter_keeps_numbering);
    tcase_add_test(tw, bad_directory);
    tcase_add_test(tw, writer_refuses_other_linktype);
    suite_add_tcase(s, tw);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(evidence_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
