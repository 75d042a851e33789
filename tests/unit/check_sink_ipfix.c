/* Unit tests for the IPFIX sink (sink_ipfix.h): flows exported to a file
 * are read back with libfixbuf's own collector, every element checked,
 * including the enterprise ones; long strings are cut to the documented
 * bound; and libfixbuf's reader refuses corrupted messages (a template
 * set with a bad length, a record longer than its set) cleanly.  The
 * reader's information model is written here from the documented element
 * numbers, not taken from the sink. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fixbuf/public.h>

#include "finding.h"
#include "flow.h"
#include "sink.h"
#include "sink_ipfix.h"

#define PEN 32473u
#define T0_US INT64_C(1700000000123456)
#define T1_US INT64_C(1700000012654321)

static char test_path[256];

static void setup(void)
{
    const char *base = getenv("TMPDIR");
    int fd;

    snprintf(test_path, sizeof(test_path), "%s/check_sink_ipfix.XXXXXX",
             base && base[0] ? base : P_tmpdir);
    fd = mkstemp(test_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(test_path);
}

/* --- the reader side --------------------------------------------------- */

/* What the collector reads: every element the sink may send. */
struct rec {
    uint64_t start_ms, end_ms;
    uint64_t octets, rev_octets, packets, rev_packets;
    fbVarfield_t class_name, classified_by, hostname, ndpi;
    uint8_t src6[16], dst6[16];
    uint32_t src4, dst4;
    uint32_t retrans, rev_retrans, findings;
    uint16_t sport, dport, vlan;
    uint8_t proto, tos, rev_tos, end_reason, worst;
    uint8_t pad[1];
};

static fbInfoElementSpec_t rec_spec[] = {
    { "flowStartMilliseconds", 8, 0 },
    { "flowEndMilliseconds", 8, 0 },
    { "octetDeltaCount", 8, 0 },
    { "reverseOctetDeltaCount", 8, 0 },
    { "packetDeltaCount", 8, 0 },
    { "reversePacketDeltaCount", 8, 0 },
    { "ringscopeClass", FB_IE_VARLEN, 0 },
    { "ringscopeClassifiedBy", FB_IE_VARLEN, 0 },
    { "ringscopeHostname", FB_IE_VARLEN, 0 },
    { "ringscopeNdpiProtocol", FB_IE_VARLEN, 0 },
    { "sourceIPv6Address", 16, 0 },
    { "destinationIPv6Address", 16, 0 },
    { "sourceIPv4Address", 4, 0 },
    { "destinationIPv4Address", 4, 0 },
    { "ringscopeRetransmissions", 4, 0 },
    { "reverseRingscopeRetransmissions", 4, 0 },
    { "ringscopeFindings", 4, 0 },
    { "sourceTransportPort", 2, 0 },
    { "destinationTransportPort", 2, 0 },
    { "vlanId", 2, 0 },
    { "protocolIdentifier", 1, 0 },
    { "ipClassOfService", 1, 0 },
    { "reverseIpClassOfService", 1, 0 },
    { "flowEndReason", 1, 0 },
    { "ringscopeWorstSeverity", 1, 0 },
    { "paddingOctets", 1, 0 },
    FB_IESPEC_NULL
};

static fbInfoModel_t *reader_model(void)
{
    static fbInfoElement_t ies[] = {
        FB_IE_INIT_FULL("ringscopeClass", PEN, 1, FB_IE_VARLEN, 0, 0, 0,
                        FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeClassifiedBy", PEN, 2, FB_IE_VARLEN, 0, 0,
                        0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeHostname", PEN, 3, FB_IE_VARLEN, 0, 0, 0,
                        FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeNdpiProtocol", PEN, 4, FB_IE_VARLEN, 0, 0,
                        0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeRetransmissions", PEN, 5, 4,
                        FB_IE_F_ENDIAN | FB_IE_F_REVERSIBLE, 0, 0,
                        FB_UINT_32, NULL),
        FB_IE_INIT_FULL("ringscopeFindings", PEN, 6, 4, FB_IE_F_ENDIAN, 0,
                        0, FB_UINT_32, NULL),
        FB_IE_INIT_FULL("ringscopeWorstSeverity", PEN, 7, 1, FB_IE_F_ENDIAN,
                        0, 0, FB_UINT_8, NULL),
        FB_IE_NULL,
    };
    fbInfoModel_t *model = fbInfoModelAlloc();

    fbInfoModelAddElementArray(model, ies);
    return model;
}

/* Reads every data record of path into out (at most max).  Returns the
 * number read; *clean says whether reading ended at the end of the file
 * rather than on an error. */
static int read_records(const char *path, struct rec *out, int max,
                        char (*strings)[4][512], bool *clean)
{
    fbInfoModel_t *model = reader_model();
    fbSession_t *session = fbSessionAlloc(model);
    fbTemplate_t *t = fbTemplateAlloc(model);
    fbCollector_t *coll;
    fBuf_t *fbuf;
    GError *err = NULL;
    int n = 0;

    ck_assert(fbTemplateAppendSpecArray(t, rec_spec, 0, &err));
    ck_assert(fbSessionAddTemplate(session, TRUE, 0x100, t, &err) != 0);
    coll = fbCollectorAllocFile(NULL, path, &err);
    ck_assert_ptr_nonnull(coll);
    fbuf = fBufAllocForCollection(session, coll);
    ck_assert(fBufSetInternalTemplate(fbuf, 0x100, &err));
    *clean = false;
    for (;;) {
        struct rec r;
        size_t len = sizeof(r);

        memset(&r, 0, sizeof(r));
        if (!fBufNext(fbuf, (uint8_t *)&r, &len, &err)) {
            *clean = g_error_matches(err, FB_ERROR_DOMAIN, FB_ERROR_EOF);
            g_clear_error(&err);
            break;
        }
        if (n < max) {
            const fbVarfield_t *v[4] = { &r.class_name, &r.classified_by,
                                         &r.hostname, &r.ndpi };
            int i;

            for (i = 0; i < 4; i++) {
                ck_assert_uint_lt(v[i]->len, sizeof(strings[n][i]));
                /* An empty string may come with a NULL buffer. */
                memcpy(strings[n][i],
                       v[i]->buf ? v[i]->buf : (const uint8_t *)"",
                       v[i]->len);
                strings[n][i][v[i]->len] = '\0';
            }
            out[n] = r;
        }
        n++;
    }
    fBufFree(fbuf);
    fbInfoModelFree(model);
    return n;
}

/* --- the exporter side ------------------------------------------------- */

static void make_flow4(struct flow *f, const char *class_name)
{
    static const uint8_t c[4] = { 192, 168, 1, 10 };
    static const uint8_t s[4] = { 203, 0, 113, 5 };

    memset(f, 0, sizeof(*f));
    f->id = 10000000005ull;
    f->key.ip_version = 4;
    f->key.proto = 6;
    f->key.vlan = 42;
    ipaddr_set_v4(&f->client_ip, c);
    ipaddr_set_v4(&f->server_ip, s);
    f->client_port = 51000;
    f->server_port = 5061;
    f->first_us = T0_US;
    f->last_us = T1_US;
    f->dir[FLOW_DIR_C2S].packets = 11;
    f->dir[FLOW_DIR_C2S].bytes = 1500;
    f->dir[FLOW_DIR_S2C].packets = 7;
    f->dir[FLOW_DIR_S2C].bytes = 9000;
    f->dir[FLOW_DIR_C2S].dscp_seen = (1ull << 0) | (1ull << 24);
    f->dir[FLOW_DIR_S2C].dscp_seen = 1ull << 46;
    f->dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION] = 2;
    f->dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_FAST_RETRANSMISSION] = 1;
    f->dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION] = 4;
    f->dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_DUPLICATE_ACK] = 9;
    f->class_name = class_name;
    f->classified_by = FLOW_BY_SNI;
    memset(f->hostname, 'h', FLOW_HOSTNAME_MAX - 1);
    f->hostname[FLOW_HOSTNAME_MAX - 1] = '\0';
    snprintf(f->ndpi_proto, sizeof(f->ndpi_proto), "TLS");
    f->end_reason = FLOW_END_CLOSED;
}

static void make_flow6(struct flow *f)
{
    static const uint8_t c[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                   0, 0, 0, 0, 0, 0, 0, 0x10 };
    static const uint8_t s[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                   0, 0, 0, 0, 0, 0, 0, 0x53 };

    memset(f, 0, sizeof(*f));
    f->id = 10000000009ull;
    f->key.ip_version = 6;
    f->key.proto = 17;
    ipaddr_set_v6(&f->client_ip, c);
    ipaddr_set_v6(&f->server_ip, s);
    f->client_port = 40000;
    f->server_port = 53;
    f->first_us = T0_US;
    f->last_us = T0_US + 2000;
    f->dir[FLOW_DIR_C2S].packets = 1;
    f->dir[FLOW_DIR_C2S].bytes = 90;
    f->class_name = "dns";
    f->classified_by = FLOW_BY_PORT;
    f->end_reason = FLOW_END_IDLE;
}

static void export_flows(const struct flow *flows, size_t n,
                         const struct finding *findings, size_t n_findings)
{
    struct sink_ipfix_config cfg;
    struct capture_meta meta;
    struct sink sink;
    char err[256];
    size_t i;

    sink_ipfix_config_defaults(&cfg);
    cfg.file_path = test_path;
    cfg.wait_when_full = true;
    cfg.queue_len = 1;          /* exercise waiting for room */
    ck_assert_int_eq(sink_ipfix_open(&cfg, &sink, err, sizeof(err)), 0);
    memset(&meta, 0, sizeof(meta));
    ck_assert_int_eq(sink.ops->begin_capture(sink.self, &meta), 0);
    for (i = 0; i < n_findings; i++)
        ck_assert_int_eq(sink.ops->record(sink.self, &meta, RECORD_FINDING,
                                          &findings[i]), 0);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(sink.ops->flow(sink.self, &meta, &flows[i]), 0);
    ck_assert_int_eq(sink.ops->end_capture(sink.self, &meta), 0);
    sink.ops->free(sink.self);
}

START_TEST(test_round_trip)
{
    struct flow flows[2];
    struct finding fd[3];
    struct rec r[4];
    char strings[4][4][512];
    bool clean;
    int n;

    make_flow4(&flows[0], "voip-signaling");
    make_flow6(&flows[1]);
    memset(fd, 0, sizeof(fd));
    fd[0].kind = "tcp_retransmissions";
    fd[0].severity = FINDING_WARNING;
    fd[0].flow_id = flows[0].id;
    fd[1].kind = "tcp_resets";
    fd[1].severity = FINDING_ERROR;
    fd[1].flow_id = flows[0].id;
    fd[2].kind = "dns_failure";
    fd[2].severity = FINDING_INFO;
    fd[2].flow_id = 0;          /* no flow: counted nowhere */
    export_flows(flows, 2, fd, 3);

    n = read_records(test_path, r, 4, strings, &clean);
    ck_assert(clean);
    ck_assert_int_eq(n, 2);

    /* IPv4, TCP, every element. */
    ck_assert_uint_eq(r[0].start_ms, (uint64_t)(T0_US / 1000));
    ck_assert_uint_eq(r[0].end_ms, (uint64_t)(T1_US / 1000));
    ck_assert_uint_eq(r[0].src4, 0xC0A8010Au);
    ck_assert_uint_eq(r[0].dst4, 0xCB007105u);
    ck_assert_uint_eq(r[0].sport, 51000);
    ck_assert_uint_eq(r[0].dport, 5061);
    ck_assert_uint_eq(r[0].proto, 6);
    ck_assert_uint_eq(r[0].vlan, 42);
    ck_assert_uint_eq(r[0].packets, 11);
    ck_assert_uint_eq(r[0].octets, 1500);
    ck_assert_uint_eq(r[0].rev_packets, 7);
    ck_assert_uint_eq(r[0].rev_octets, 9000);
    ck_assert_uint_eq(r[0].tos, 24 << 2);       /* the highest DSCP */
    ck_assert_uint_eq(r[0].rev_tos, 46 << 2);
    ck_assert_uint_eq(r[0].end_reason, 3);      /* end of flow detected */
    ck_assert_uint_eq(r[0].retrans, 3);
    ck_assert_uint_eq(r[0].rev_retrans, 4);
    ck_assert_uint_eq(r[0].findings, 2);
    ck_assert_uint_eq(r[0].worst, 3);           /* error */
    ck_assert_str_eq(strings[0][0], "voip-signaling");
    ck_assert_str_eq(strings[0][1], "sni");
    ck_assert_uint_eq(strlen(strings[0][2]), FLOW_HOSTNAME_MAX - 1);
    ck_assert_str_eq(strings[0][3], "TLS");
    ck_assert_uint_eq(r[0].src6[0], 0);         /* v4 template: no v6 */

    /* IPv6, UDP, no findings. */
    ck_assert_uint_eq(r[1].src6[0], 0x20);
    ck_assert_uint_eq(r[1].src6[15], 0x10);
    ck_assert_uint_eq(r[1].dst6[15], 0x53);
    ck_assert_uint_eq(r[1].src4, 0);
    ck_assert_uint_eq(r[1].sport, 40000);
    ck_assert_uint_eq(r[1].dport, 53);
    ck_assert_uint_eq(r[1].proto, 17);
    ck_assert_uint_eq(r[1].packets, 1);
    ck_assert_uint_eq(r[1].octets, 90);
    ck_assert_uint_eq(r[1].rev_packets, 0);
    ck_assert_uint_eq(r[1].end_reason, 1);      /* idle timeout */
    ck_assert_uint_eq(r[1].findings, 0);
    ck_assert_uint_eq(r[1].worst, 0);
    ck_assert_str_eq(strings[1][0], "dns");
    ck_assert_str_eq(strings[1][1], "port");
    ck_assert_str_eq(strings[1][2], "");
}
END_TEST

/* A class name longer than the bound arrives cut to
 * SINK_IPFIX_STRING_MAX bytes, and the record stays within
 * SINK_IPFIX_RECORD_MAX. */
START_TEST(test_long_string_cut)
{
    static char long_class[1000];
    struct flow f;
    struct rec r[1];
    char strings[1][4][512];
    bool clean;
    long size;
    FILE *fp;

    memset(long_class, 'c', sizeof(long_class) - 1);
    make_flow4(&f, long_class);
    export_flows(&f, 1, NULL, 0);
    ck_assert_int_eq(read_records(test_path, r, 1, strings, &clean), 1);
    ck_assert(clean);
    ck_assert_uint_eq(strlen(strings[0][0]), SINK_IPFIX_STRING_MAX);
    ck_assert_int_eq(memcmp(strings[0][0], long_class,
                            SINK_IPFIX_STRING_MAX), 0);
    /* The file: templates plus one record, so the record is bounded. */
    fp = fopen(test_path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fclose(fp);
    ck_assert_int_lt(size, SINK_IPFIX_RECORD_MAX + 1024);
}
END_TEST

/* --- corrupted messages ------------------------------------------------ */

static size_t load(const char *path, uint8_t *buf, size_t max)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    ck_assert_ptr_nonnull(fp);
    n = fread(buf, 1, max, fp);
    fclose(fp);
    return n;
}

static void store(const char *path, const uint8_t *buf, size_t n)
{
    FILE *fp = fopen(path, "wb");

    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(buf, 1, n, fp), n);
    fclose(fp);
}

/* Finds the first set with the given id (2: templates, else data) in
 * the first message; returns its offset. */
static size_t find_set(const uint8_t *buf, size_t n, int data)
{
    size_t msg_len = (size_t)buf[2] << 8 | buf[3];
    size_t off = 16;

    ck_assert_uint_le(msg_len, n);
    while (off + 4 <= msg_len) {
        unsigned id = (unsigned)buf[off] << 8 | buf[off + 1];
        size_t len = (size_t)buf[off + 2] << 8 | buf[off + 3];

        ck_assert_uint_ge(len, 4);
        if ((data && id >= 256) || (!data && id == 2))
            return off;
        off += len;
    }
    ck_abort_msg("set not found");
    return 0;
}

static void export_one(void)
{
    struct flow f;

    make_flow4(&f, "web");
    export_flows(&f, 1, NULL, 0);
}

/* The first message holds the templates; its first template record
 * claims more fields than the set has bytes.  The reader must neither
 * crash (ASan builds run this) nor return a record. */
START_TEST(test_reader_rejects_bad_template)
{
    uint8_t buf[8192];
    struct rec r[1];
    char strings[1][4][512];
    bool clean;
    size_t n, off;

    export_one();
    n = load(test_path, buf, sizeof(buf));
    off = find_set(buf, n, 0);
    /* Template header: id, then field count (big endian). */
    buf[off + 6] = 0x0f;
    buf[off + 7] = 0xff;
    store(test_path, buf, n);
    /* libfixbuf drops the broken set (with a warning) and with it every
     * record that needs it: nothing is decoded from garbage. */
    ck_assert_int_eq(read_records(test_path, r, 1, strings, &clean), 0);
}
END_TEST

/* A data set whose length runs past the end of its message. */
START_TEST(test_reader_rejects_oversized_record)
{
    uint8_t buf[8192];
    struct rec r[1];
    char strings[1][4][512];
    bool clean;
    size_t n, msg_len, off = 0, data = 0;

    export_one();
    n = load(test_path, buf, sizeof(buf));
    /* Walk the messages to the one holding data. */
    while (off + 16 <= n) {
        msg_len = (size_t)buf[off + 2] << 8 | buf[off + 3];
        ck_assert_uint_ge(msg_len, 16);
        if (off + 16 + 4 <= n &&
            ((unsigned)buf[off + 16] << 8 | buf[off + 17]) >= 256) {
            data = off + 16;
            break;
        }
        off += msg_len;
    }
    ck_assert_uint_gt(data, 0);
    buf[data + 2] = 0xff;           /* set length above 65280 */
    store(test_path, buf, n);
    /* libfixbuf drops the broken set (with a warning) and with it every
     * record that needs it: nothing is decoded from garbage. */
    ck_assert_int_eq(read_records(test_path, r, 1, strings, &clean), 0);
}
END_TEST

/* A varlen string whose length prefix claims more than the record. */
START_TEST(test_reader_rejects_long_varlen)
{
    uint8_t buf[8192];
    struct rec r[1];
    char strings[1][4][512];
    bool clean;
    size_t n, off = 0, data = 0, msg_len;

    export_one();
    n = load(test_path, buf, sizeof(buf));
    while (off + 16 <= n) {
        msg_len = (size_t)buf[off + 2] << 8 | buf[off + 3];
        ck_assert_uint_ge(msg_len, 16);
        if (((unsigned)buf[off + 16] << 8 | buf[off + 17]) >= 256) {
            data = off + 16;
            break;
        }
        off += msg_len;
    }
    ck_assert_uint_gt(data, 0);
    /* Set header 4 bytes, then six 8-byte counters, then the class
     * string's one-byte length: claim 254 bytes of a 3-byte string. */
    ck_assert_uint_eq(buf[data + 4 + 48], 3);
    buf[data + 4 + 48] = 254;
    store(test_path, buf, n);
    ck_assert_int_eq(read_records(test_path, r, 1, strings, &clean), 0);
}
END_TEST

static Suite *sink_ipfix_suite(void)
{
    Suite *s = suite_create("sink_ipfix");
    TCase *tc = tcase_create("export");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_long_string_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reader_rejects_bad_template);
    tcase_add_test(tc, test_reader_rejects_oversized_record);
    tcase_add_test(tc, test_reader_rejects_long_varlen);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sink_ipfix_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
