/* Unit tests for the media stage (analyzer_media.h): the one-way and UDP
 * timeout decisions, and synthetic packet sequences fed through a flow
 * table and the stage's hooks, as the pipeline does, with the records
 * collected by a test emit callback.  The profile is the built-in one
 * (profiles/ringio.profile): 199.7.172.0/22 is Ring.io, 168.86.128.0/18
 * Twilio media, 54.172.60.0/23 a legacy Twilio media range. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "analyzer_media.h"
#include "decode.h"
#include "finding.h"
#include "flow.h"
#include "flow_table.h"
#include "ipaddr.h"
#include "media_expect.h"
#include "media_record.h"
#include "packet.h"
#include "profile.h"
#include "sink.h"

/* Capture time of the first packet of every test. */
#define T0 INT64_C(1700000000000000)
#define MS INT64_C(1000)
#define SEC INT64_C(1000000)

/* --- what the stage emitted ------------------------------------------- */

#define MAX_SEEN 64

struct seen_finding {
    const char *kind;
    enum finding_severity severity;
    const char *requirement;    /* owned by the profile */
    uint64_t flow_id;
    uint64_t packet;
    char summary[FINDING_SUMMARY_MAX];
};

struct seen_stream {
    uint64_t flow_id;
    char call_id[MEDIA_EXPECT_CALL_ID_MAX];
    uint32_t ssrc;
    enum flow_dir dir;
    uint64_t packets;
    int64_t lost;
    int64_t rfc_lost;
    uint64_t first_packet;
    char dscp[64];
    char payload_types[64];
    bool has_mos;
    double mos;
    uint32_t rtcp_reports;
    double rtcp_loss_pct;
    double rtcp_rtt_ms;
    uint64_t sample_packets;    /* its RECORD_RTP_SAMPLEs added up */
    uint32_t samples;
};

struct seen_mapping {
    char mapped[IPADDR_STRLEN];
    uint16_t mapped_port;
    char kind[16];
    bool translated;
    int64_t rtt_us;
    uint64_t packet;
};

struct seen {
    struct seen_finding f[MAX_SEEN];
    size_t nf;
    struct seen_stream s[MAX_SEEN];
    size_t ns;
    struct seen_mapping m[MAX_SEEN];
    size_t nm;
};

static void seen_finding(struct seen *c, const struct finding *fd)
{
    struct seen_finding *o = &c->f[c->nf++];

    o->kind = fd->kind;
    o->severity = fd->severity;
    o->requirement = fd->requirement;
    o->flow_id = fd->flow_id;
    o->packet = fd->first_packet;
    memcpy(o->summary, fd->summary, sizeof(o->summary));
}

static void seen_stream(struct seen *c, const struct rtp_stream_record *r)
{
    struct seen_stream *o = &c->s[c->ns++];

    memset(o, 0, sizeof(*o));
    o->flow_id = r->flow_id;
    strncpy(o->call_id, r->call_id ? r->call_id : "",
            sizeof(o->call_id) - 1);
    o->ssrc = r->ssrc;
    o->dir = r->direction;
    o->packets = r->summary.packets;
    o->lost = r->summary.lost;
    o->rfc_lost = r->summary.rfc_lost;
    o->first_packet = r->first_packet;
    strncpy(o->dscp, r->dscp, sizeof(o->dscp) - 1);
    strncpy(o->payload_types, r->payload_types,
            sizeof(o->payload_types) - 1);
    o->has_mos = r->has_mos;
    o->mos = r->mos;
    o->rtcp_reports = r->rtcp_reports;
    o->rtcp_loss_pct = r->rtcp_loss_pct;
    o->rtcp_rtt_ms = r->rtcp_rtt_ms;
}

static void seen_mapping(struct seen *c, const struct stun_mapping_record *r)
{
    struct seen_mapping *o = &c->m[c->nm++];

    memset(o, 0, sizeof(*o));
    ipaddr_format(&r->mapped_ip, o->mapped);
    o->mapped_port = r->mapped_port;
    strncpy(o->kind, r->address_kind, sizeof(o->kind) - 1);
    o->translated = r->translated;
    o->rtt_us = r->rtt_us;
    o->packet = r->packet;
}

/* A stream's time series follows its record. */
static void seen_sample(struct seen *c, const struct rtp_sample_record *r)
{
    struct seen_stream *o;

    ck_assert_uint_gt(c->ns, 0);
    o = &c->s[c->ns - 1];
    ck_assert_int_eq(r->direction, o->dir);
    o->sample_packets += r->packets;
    o->samples++;
}

static void collect(void *arg, enum record_kind kind, const void *rec)
{
    struct seen *c = arg;

    ck_assert_uint_lt(c->nf, MAX_SEEN);
    ck_assert_uint_lt(c->ns, MAX_SEEN);
    ck_assert_uint_lt(c->nm, MAX_SEEN);
    switch (kind) {
    case RECORD_FINDING:
        seen_finding(c, rec);
        break;
    case RECORD_RTP_STREAM:
        seen_stream(c, rec);
        break;
    case RECORD_STUN_MAPPING:
        seen_mapping(c, rec);
        break;
    case RECORD_RTP_SAMPLE:
        seen_sample(c, rec);
        break;
    default:
        ck_abort_msg("unexpected record kind %d", (int)kind);
    }
}

/* Findings of one kind. */
static size_t count_kind(const struct seen *c, const char *kind)
{
    size_t i, n = 0;

    for (i = 0; i < c->nf; i++)
        n += strcmp(c->f[i].kind, kind) == 0;
    return n;
}

/* The first finding of a kind; the test fails without one. */
static const struct seen_finding *find_kind(const struct seen *c,
                                            const char *kind)
{
    size_t i;

    for (i = 0; i < c->nf; i++)
        if (strcmp(c->f[i].kind, kind) == 0)
            return &c->f[i];
    ck_abort_msg("no %s finding", kind);
    return NULL;
}

/* --- a small pipeline: flow table, the stage, the collector ----------- */

struct fixture {
    struct profile *profile;
    struct media_expect *media;
    void *self;
    struct flow_table *ft;
    struct flow_table_config cfg;
    uint64_t num;
    int64_t last_us;
    struct seen out;
};

static void fixture_flow_end(void *arg, struct flow *f,
                             enum flow_end_reason why)
{
    struct fixture *fx = arg;

    analyzer_media_ops.flow_end(fx->self, f, f->ext, why);
}

static struct fixture *fixture_new(void)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct analyzer_env env;
    char err[PROFILE_ERR_MAX];

    ck_assert_ptr_nonnull(fx);
    ck_assert_int_eq(profile_load_default(&fx->profile, err, sizeof(err)),
                     0);
    fx->media = media_expect_new(64);
    ck_assert_ptr_nonnull(fx->media);
    memset(&env, 0, sizeof(env));
    env.profile = fx->profile;
    env.media = fx->media;
    env.emit.record = collect;
    env.emit.arg = &fx->out;
    fx->self = analyzer_media_ops.create(&env);
    ck_assert_ptr_nonnull(fx->self);
    flow_table_config_defaults(&fx->cfg);
    fx->cfg.ext_size = analyzer_media_ops.flow_state_size;
    fx->ft = flow_table_new(&fx->cfg, fixture_flow_end, fx);
    ck_assert_ptr_nonnull(fx->ft);
    analyzer_media_ops.capture_begin(fx->self, NULL);
    return fx;
}

/* Ends every flow and the capture, as the pipeline does. */
static void fixture_finish(struct fixture *fx)
{
    struct capture_meta meta;

    memset(&meta, 0, sizeof(meta));
    meta.last_us = fx->last_us;
    flow_table_flush(fx->ft, FLOW_END_CAPTURE_END);
    analyzer_media_ops.capture_end(fx->self, &meta);
}

static void fixture_free(struct fixture *fx)
{
    flow_table_free(fx->ft);
    analyzer_media_ops.destroy(fx->self);
    media_expect_free(fx->media);
    profile_free(fx->profile);
    free(fx);
}

/* One UDP datagram (transport payload given) at T0 + t_us.  Idle flows
 * are expired first, as the pipeline does once a second. */
static void send_udp(struct fixture *fx, int64_t t_us, const char *src,
                     uint16_t sport, const char *dst, uint16_t dport,
                     uint8_t dscp, const uint8_t *payload, size_t len)
{
    struct pkt pkt;
    struct decoded d;
    enum flow_dir dir;
    struct flow *f;
    bool created;

    memset(&pkt, 0, sizeof(pkt));
    memset(&d, 0, sizeof(d));
    pkt.num = ++fx->num;
    pkt.ts_us = T0 + t_us;
    pkt.wirelen = (uint32_t)(42 + len);
    pkt.caplen = pkt.wirelen;
    fx->last_us = pkt.ts_us;
    flow_table_expire(fx->ft, pkt.ts_us);
    d.ip_version = 4;
    d.proto = 17;
    d.ttl = 64;
    d.dscp = dscp;
    ck_assert_int_eq(ipaddr_parse(src, &d.src), 0);
    ck_assert_int_eq(ipaddr_parse(dst, &d.dst), 0);
    d.sport = sport;
    d.dport = dport;
    d.frame_count = 1;
    d.frame_bytes = pkt.wirelen;
    d.payload = len ? payload : NULL;
    d.payload_len = (uint32_t)len;
    d.payload_wire_len = (uint32_t)len;
    f = flow_table_update(fx->ft, &pkt, &d, &created, &dir);
    ck_assert_ptr_nonnull(f);
    f->id = created ? pkt.num : f->id;
    analyzer_media_ops.packet(fx->self, f, f->ext, &pkt, &d, dir);
}

/* RTP: the 12-byte fixed header (RFC 3550 5.1) and 160 bytes of PCMU. */
static const uint8_t rtp_template[12] = {
    0x80,                       /* V=2, P=0, X=0, CC=0 */
    0x00,                       /* M=0, PT=0 (PCMU) */
    0x00, 0x00,                 /* sequence number */
    0x00, 0x00, 0x00, 0x00,     /* timestamp */
    0x00, 0x00, 0x00, 0x00,     /* SSRC */
};

static void send_rtp(struct fixture *fx, int64_t t_us, const char *src,
                     uint16_t sport, const char *dst, uint16_t dport,
                     uint8_t dscp, uint32_t ssrc, uint16_t seq)
{
    uint8_t buf[12 + 160];
    uint32_t ts = (uint32_t)seq * 160;

    memset(buf, 0xff, sizeof(buf));
    memcpy(buf, rtp_template, sizeof(rtp_template));
    buf[2] = (uint8_t)(seq >> 8);
    buf[3] = (uint8_t)seq;
    buf[4] = (uint8_t)(ts >> 24);
    buf[5] = (uint8_t)(ts >> 16);
    buf[6] = (uint8_t)(ts >> 8);
    buf[7] = (uint8_t)ts;
    buf[8] = (uint8_t)(ssrc >> 24);
    buf[9] = (uint8_t)(ssrc >> 16);
    buf[10] = (uint8_t)(ssrc >> 8);
    buf[11] = (uint8_t)ssrc;
    send_udp(fx, t_us, src, sport, dst, dport, dscp, buf, sizeof(buf));
}

/* n packets of one stream every 20 ms from t_us. */
static void send_stream(struct fixture *fx, int64_t t_us, const char *src,
                        uint16_t sport, const char *dst, uint16_t dport,
                        uint8_t dscp, uint32_t ssrc, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        send_rtp(fx, t_us + (int64_t)i * 20 * MS, src, sport, dst, dport,
                 dscp, ssrc, (uint16_t)(1000 + i));
}

/* Two streams interleaved, a the first to send, b 5 ms after it. */
static void send_call(struct fixture *fx, int64_t t_us, const char *a,
                      uint16_t ap, const char *b, uint16_t bp,
                      uint8_t dscp_a, uint8_t dscp_b, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        int64_t t = t_us + (int64_t)i * 20 * MS;

        send_rtp(fx, t, a, ap, b, bp, dscp_a, 0x11111111u,
                 (uint16_t)(100 + i));
        send_rtp(fx, t + 5 * MS, b, bp, a, ap, dscp_b, 0x22222222u,
                 (uint16_t)(5000 + i));
    }
}

/* STUN (RFC 8489): a binding request, and a binding success response
 * carrying XOR-MAPPED-ADDRESS. */
static const uint8_t stun_request[20] = {
    0x00, 0x01, 0x00, 0x00,     /* binding request, no attributes */
    0x21, 0x12, 0xa4, 0x42,     /* magic cookie */
    0x00, 0x00, 0x00, 0x00,     /* transaction ID (last byte patched) */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

static const uint8_t stun_response[32] = {
    0x01, 0x01, 0x00, 0x0c,     /* binding success, 12 attribute bytes */
    0x21, 0x12, 0xa4, 0x42,     /* magic cookie */
    0x00, 0x00, 0x00, 0x00,     /* transaction ID (last byte patched) */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x20, 0x00, 0x08,     /* XOR-MAPPED-ADDRESS, 8 bytes */
    0x00, 0x01, 0x00, 0x00,     /* IPv4, port ^ 0x2112 (patched) */
    0x00, 0x00, 0x00, 0x00,     /* address ^ cookie (patched) */
};

static void send_stun_request(struct fixture *fx, int64_t t_us,
                              const char *src, uint16_t sport,
                              const char *dst, uint16_t dport, uint8_t id)
{
    uint8_t buf[sizeof(stun_request)];

    memcpy(buf, stun_request, sizeof(buf));
    buf[19] = id;
    send_udp(fx, t_us, src, sport, dst, dport, 0, buf, sizeof(buf));
}

static void send_stun_response(struct fixture *fx, int64_t t_us,
                               const char *src, uint16_t sport,
                               const char *dst, uint16_t dport, uint8_t id,
                               const char *mapped, uint16_t mport)
{
    uint8_t buf[sizeof(stun_response)];
    struct ip_addr a;
    uint16_t xport = mport ^ 0x2112;

    ck_assert_int_eq(ipaddr_parse(mapped, &a), 0);
    memcpy(buf, stun_response, sizeof(buf));
    buf[19] = id;
    buf[26] = (uint8_t)(xport >> 8);
    buf[27] = (uint8_t)xport;
    buf[28] = a.bytes[0] ^ 0x21;
    buf[29] = a.bytes[1] ^ 0x12;
    buf[30] = a.bytes[2] ^ 0xa4;
    buf[31] = a.bytes[3] ^ 0x42;
    send_udp(fx, t_us, src, sport, dst, dport, 0, buf, sizeof(buf));
}

/* An announcement of the SIP stage: call_id expects PCMU at addr:port. */
static void announce(struct fixture *fx, int64_t t_us, const char *call_id,
                     const char *addr, uint16_t port, bool offer,
                     uint64_t frame)
{
    struct media_expect_entry e;

    memset(&e, 0, sizeof(e));
    ck_assert_int_eq(ipaddr_parse(addr, &e.addr), 0);
    e.port = port;
    strncpy(e.call_id, call_id, sizeof(e.call_id) - 1);
    e.sdp_packet = frame;
    e.ts_us = T0 + t_us;
    e.from_offer = offer;
    e.n_pt = 1;
    e.pt[0] = 0;
    e.clock_rate[0] = 8000;
    strncpy(e.encoding[0], "PCMU", sizeof(e.encoding[0]) - 1);
    media_expect_add(fx->media, &e);
}

static const char PHONE[] = "192.168.1.10";
static const char FAR[] = "199.7.172.20";
static const char REGISTRAR[] = "199.7.172.10";
static const char NAT_PUBLIC[] = "203.0.113.2";

/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */

struct oneway_case {
    struct analyzer_media_activity act[2];
    enum analyzer_media_oneway want;
    unsigned silent;            /* when want is a fault */
};

START_TEST(test_oneway_decide)
{
    static const struct oneway_case cases[] = {
        /* Nothing at all. */
        { { { 0, 0, 0 }, { 0, 0, 0 } }, ANALYZER_MEDIA_NO_VERDICT, 0 },
        /* One way, long enough: the silent side is named. */
        { { { 250, 0, 5 * SEC }, { 0, 0, 0 } }, ANALYZER_MEDIA_ONE_WAY, 1 },
        { { { 0, 0, 0 }, { 250, 0, 5 * SEC } }, ANALYZER_MEDIA_ONE_WAY, 0 },
        /* One way but too few packets, or too short. */
        { { { 24, 0, 5 * SEC }, { 0, 0, 0 } },
          ANALYZER_MEDIA_NO_VERDICT, 0 },
        { { { 99, 0, 2 * SEC - 1 }, { 0, 0, 0 } },
          ANALYZER_MEDIA_NO_VERDICT, 0 },
        /* Both ways, aligned within the lag. */
        { { { 250, 0, 5 * SEC }, { 250, 2 * SEC, 5 * SEC } },
          ANALYZER_MEDIA_TWO_WAY, 0 },
        /* Reverse starts 2.5 s late. */
        { { { 250, 0, 5 * SEC }, { 100, 2500 * MS, 5 * SEC } },
          ANALYZER_MEDIA_LATE_START, 1 },
        /* Reverse stops 3 s early. */
        { { { 250, 0, 5 * SEC }, { 100, 0, 2 * SEC } },
          ANALYZER_MEDIA_EARLY_STOP, 1 },
        /* Late start is reported before an early stop. */
        { { { 250, 0, 9 * SEC }, { 100, 3 * SEC, 5 * SEC } },
          ANALYZER_MEDIA_LATE_START, 1 },
        /* Direction 0 is the late one. */
        { { { 100, 4 * SEC, 9 * SEC }, { 250, 0, 9 * SEC } },
          ANALYZER_MEDIA_LATE_START, 0 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned silent = 99;
        enum analyzer_media_oneway v =
            analyzer_media_oneway_decide(cases[i].act, &silent);

        ck_assert_msg(v == cases[i].want, "case %zu: verdict %d", i, (int)v);
        ck_assert_msg(cases[i].want <= ANALYZER_MEDIA_TWO_WAY ||
                          silent == cases[i].silent,
                      "case %zu: silent %u", i, silent);
    }
}
END_TEST

START_TEST(test_udpto_decide)
{
    static const struct {
        struct analyzer_media_udpto u;
        enum analyzer_media_udpto_verdict want;
    } cases[] = {
        { { 0, 0, 0 }, ANALYZER_MEDIA_UDPTO_NONE },
        { { 130 * SEC, 0, 300 * SEC }, ANALYZER_MEDIA_UDPTO_PROVEN },
        { { 0, 0, 180 * SEC }, ANALYZER_MEDIA_UDPTO_UNPROVEN },
        { { 60 * SEC, 0, 180 * SEC }, ANALYZER_MEDIA_UDPTO_UNPROVEN },
        { { 0, 0, 120 * SEC }, ANALYZER_MEDIA_UDPTO_NONE },
        { { 20 * SEC, 45 * SEC, 0 }, ANALYZER_MEDIA_UDPTO_SHORT },
        /* Died after 45 s although 60 s were survived: inconsistent. */
        { { 60 * SEC, 45 * SEC, 0 }, ANALYZER_MEDIA_UDPTO_NONE },
        /* Died only after the required time. */
        { { 0, 150 * SEC, 0 }, ANALYZER_MEDIA_UDPTO_NONE },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(analyzer_media_udpto_decide(&cases[i].u, 120 * SEC) ==
                          cases[i].want,
                      "case %zu", i);
}
END_TEST

/* ------------------------------------------------------------------ */
/* RTP streams and one-way media                                       */
/* ------------------------------------------------------------------ */

START_TEST(test_one_way_inbound_silent)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* 3 s of the phone's RTP to Ring.io, nothing back (LAN capture). */
    send_stream(fx, 0, PHONE, 16384, FAR, 30000, 46, 0xd0a7dd48u, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 1);
    ck_assert_uint_eq(fx->out.s[0].packets, 150);
    /* 150 packets every 20 ms: a time series of three seconds. */
    ck_assert_uint_eq(fx->out.s[0].sample_packets, 150);
    ck_assert_uint_eq(fx->out.s[0].samples, 3);
    ck_assert_int_eq(fx->out.s[0].lost, 0);
    ck_assert_uint_eq(fx->out.s[0].ssrc, 0xd0a7dd48u);
    ck_assert_int_eq(fx->out.s[0].dir, FLOW_DIR_C2S);
    ck_assert_str_eq(fx->out.s[0].dscp, "46");
    ck_assert(fx->out.s[0].has_mos);
    ck_assert_uint_eq(count_kind(&fx->out, "one_way_media"), 1);
    fd = find_kind(&fx->out, "one_way_media");
    ck_assert_int_eq(fd->severity, FINDING_ERROR);
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-UDP");
    ck_assert_ptr_nonnull(strstr(fd->summary, "inbound direction silent"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "customer firewall or NAT"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "199.7.172.20:30000"));
    ck_assert_uint_eq(fx->out.nf, 1);
    fixture_free(fx);
}
END_TEST

START_TEST(test_two_way_is_clean)
{
    struct fixture *fx = fixture_new();

    send_call(fx, 0, PHONE, 16384, FAR, 30000, 46, 46, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_uint_eq(fx->out.s[0].packets, 150);
    ck_assert_uint_eq(fx->out.s[1].packets, 150);
    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_late_start_warns)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;
    unsigned i;

    /* Outbound from 0 s, inbound only from 3 s on. */
    for (i = 0; i < 250; i++) {
        int64_t t = (int64_t)i * 20 * MS;

        send_rtp(fx, t, PHONE, 16384, FAR, 30000, 46, 1, (uint16_t)i);
        if (t >= 3 * SEC)
            send_rtp(fx, t + 5 * MS, FAR, 30000, PHONE, 16384, 46, 2,
                     (uint16_t)i);
    }
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "one_way_media"), 1);
    fd = find_kind(&fx->out, "one_way_media");
    ck_assert_int_eq(fd->severity, FINDING_WARNING);
    ck_assert_ptr_nonnull(strstr(fd->summary, "inbound direction"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "started 3.0 s after"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_call_from_sdp)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    announce(fx, 0, "call-1@lab", PHONE, 16384, true, 7);
    announce(fx, 1 * MS, "call-1@lab", FAR, 30000, false, 13);
    /* Media between the two announced endpoints: tied to the call. */
    send_stream(fx, 10 * MS, PHONE, 16384, FAR, 30000, 46, 7, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 1);
    ck_assert_str_eq(fx->out.s[0].call_id, "call-1@lab");
    fd = find_kind(&fx->out, "one_way_media");
    ck_assert_ptr_nonnull(strstr(fd->summary, "call call-1@lab"));
    ck_assert_uint_eq(count_kind(&fx->out, "media_nat_mismatch"), 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_call_two_flows)
{
    struct fixture *fx = fixture_new();

    /* The far end sends from another port than it announced: each flow
     * runs one way, the call both ways, so no one-way finding; the port
     * the far end really uses is a media_nat_mismatch. */
    announce(fx, 0, "call-2@lab", PHONE, 16384, true, 7);
    announce(fx, 1 * MS, "call-2@lab", FAR, 30000, false, 13);
    send_stream(fx, 10 * MS, PHONE, 16384, FAR, 30000, 46, 7, 150);
    send_stream(fx, 15 * MS, FAR, 30002, PHONE, 16384, 46, 8, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_str_eq(fx->out.s[0].call_id, "call-2@lab");
    ck_assert_str_eq(fx->out.s[1].call_id, "call-2@lab");
    ck_assert_uint_eq(count_kind(&fx->out, "one_way_media"), 0);
    ck_assert_uint_eq(count_kind(&fx->out, "media_nat_mismatch"), 1);
    ck_assert_ptr_nonnull(strstr(find_kind(&fx->out,
                                           "media_nat_mismatch")->summary,
                                 "199.7.172.20:30002"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_nat_mismatch_port)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Outside view: the phone announced its public address with port
     * 16384, but its RTP leaves the NAT from port 1030. */
    announce(fx, 0, "call-3@lab", NAT_PUBLIC, 16384, true, 7);
    announce(fx, 1 * MS, "call-3@lab", FAR, 30000, false, 13);
    send_call(fx, 10 * MS, NAT_PUBLIC, 1030, FAR, 30000, 46, 46, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "media_nat_mismatch"), 1);
    fd = find_kind(&fx->out, "media_nat_mismatch");
    ck_assert_int_eq(fd->severity, FINDING_WARNING);
    ck_assert_ptr_nonnull(strstr(fd->summary, "203.0.113.2:16384"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "203.0.113.2:1030"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "port differs"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_nat_private_sdp_is_traversal)
{
    struct fixture *fx = fixture_new();

    /* Outside view of a plain NAT: the SDP holds the phone's private
     * address, the media the public one with the same port. */
    announce(fx, 0, "call-4@lab", PHONE, 16384, true, 7);
    announce(fx, 1 * MS, "call-4@lab", FAR, 30000, false, 13);
    send_call(fx, 10 * MS, NAT_PUBLIC, 16384, FAR, 30000, 46, 46, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_uint_eq(count_kind(&fx->out, "media_nat_mismatch"), 0);
    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

/* DNS on a port pair that no class claims: a query and its answer whose
 * first octet routes them to RTP.  Version 2 bits, but the ID changes
 * and the "sequence" (the flags) stays, so the heuristic never says
 * RTP. */
START_TEST(test_dns_is_not_rtp)
{
    static const uint8_t query[] = {
        0x80, 0x01,             /* ID 0x8001: first octet 128-191 */
        0x01, 0x00,             /* flags: RD */
        0x00, 0x01,             /* QDCOUNT */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x03, 'l', 'a', 'b', 0x00, /* "lab." */
        0x00, 0x01, 0x00, 0x01, /* A, IN */
    };
    struct fixture *fx = fixture_new();
    uint8_t buf[sizeof(query)];
    unsigned i;

    memcpy(buf, query, sizeof(buf));
    for (i = 0; i < 200; i++) {
        buf[1] = (uint8_t)(i * 37);
        buf[2] = 0x01;
        send_udp(fx, (int64_t)i * 10 * MS, PHONE, 40000, "198.51.100.53",
                 40001, 0, buf, sizeof(buf));
        buf[2] = 0x81;          /* QR: the answer */
        send_udp(fx, (int64_t)i * 10 * MS + MS, "198.51.100.53", 40001,
                 PHONE, 40000, 0, buf, sizeof(buf));
    }
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 0);
    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_heuristic_rtp_without_class)
{
    struct fixture *fx = fixture_new();

    /* Third-party RTP, no SDP and no class: the heuristic finds it, and
     * a one-way stream there is not judged (paging, recording). */
    send_stream(fx, 0, PHONE, 20000, "198.51.100.7", 20002, 46, 5, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 1);
    ck_assert_uint_eq(fx->out.s[0].packets, 150);
    ck_assert_uint_eq(fx->out.s[0].first_packet, 1);
    ck_assert_uint_eq(count_kind(&fx->out, "one_way_media"), 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_ssrc_bound)
{
    struct fixture *fx = fixture_new();
    struct analyzer_media_stats st;
    uint32_t ssrc;

    for (ssrc = 1; ssrc <= ANALYZER_MEDIA_MAX_STREAMS + 2; ssrc++)
        send_stream(fx, (int64_t)ssrc * SEC, PHONE, 16384, FAR, 30000, 46,
                    ssrc, 10);
    fixture_finish(fx);
    analyzer_media_get_stats(fx->self, &st);

    ck_assert_uint_eq(fx->out.ns, ANALYZER_MEDIA_MAX_STREAMS);
    ck_assert_uint_eq(st.streams_dropped, 2);
    ck_assert_uint_eq(st.packets_dropped, 20);
    fixture_free(fx);
}
END_TEST

START_TEST(test_loss_and_duplicates)
{
    /* Offsets from sequence number 2000 in sending order: 7, 27, 47, 67
     * and 87 never sent, 50 sent twice. */
    static const uint16_t sent[] = {
        0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
        38, 39, 40, 41, 42, 43, 44, 45, 46, 48, 49, 50, 50, 51, 52, 53, 54,
        55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 68, 69, 70, 71, 72,
        73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 88, 89, 90,
        91, 92, 93, 94, 95, 96, 97, 98, 99,
    };
    struct fixture *fx = fixture_new();
    size_t i;

    for (i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
        send_rtp(fx, (int64_t)i * 20 * MS, FAR, 30000, PHONE, 16384, 46, 9,
                 (uint16_t)(2000 + sent[i]));
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 1);
    ck_assert_uint_eq(fx->out.s[0].packets, 96);
    /* tshark: expected 100, lost 100 - 96; RFC 3550 A.3 counts the
     * duplicate as received too. */
    ck_assert_int_eq(fx->out.s[0].lost, 4);
    ck_assert_int_eq(fx->out.s[0].rfc_lost, 4);
    fixture_free(fx);
}
END_TEST

/* RTCP about SSRCs that no stream of the call carries changes nothing. */
START_TEST(test_rtcp_other_ssrc_ignored)
{
    static const uint8_t sr[] = {
        0x80, 200, 0x00, 0x06,  /* V=2, RC=0, SR, length 6 */
        0x00, 0x00, 0x00, 0x07, /* SSRC of sender */
        0x83, 0xaa, 0x7e, 0x80, /* NTP seconds */
        0x12, 0x34, 0x00, 0x00, /* NTP fraction */
        0x00, 0x00, 0x10, 0x00, /* RTP timestamp */
        0x00, 0x00, 0x00, 0x64, /* packet count */
        0x00, 0x00, 0x3e, 0x80, /* octet count */
    };
    static const uint8_t rr[] = {
        0x81, 201, 0x00, 0x07,  /* V=2, RC=1, RR, length 7 */
        0x00, 0x00, 0x00, 0x08, /* SSRC of the reporter */
        0x00, 0x00, 0x00, 0x07, /* report block: about SSRC 7 */
        0x1a, 0x00, 0x00, 0x0f, /* fraction 26/256, cumulative 15 */
        0x00, 0x00, 0x04, 0x4b, /* extended highest sequence */
        0x00, 0x00, 0x00, 0x50, /* jitter 80 (10 ms at 8 kHz) */
        0x7e, 0x80, 0x12, 0x34, /* LSR: middle of the SR's NTP */
        0x00, 0x00, 0x0f, 0x5c, /* DLSR 3932/65536 s = 60 ms */
    };
    struct fixture *fx = fixture_new();

    send_call(fx, 0, PHONE, 16384, FAR, 30000, 46, 46, 150);
    send_udp(fx, 1 * SEC, PHONE, 16385, FAR, 30001, 46, sr, sizeof(sr));
    send_udp(fx, 1 * SEC + 100 * MS, FAR, 30001, PHONE, 16385, 46, rr,
             sizeof(rr));
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_uint_eq(fx->out.s[0].rtcp_reports, 0);
    ck_assert_uint_eq(fx->out.s[1].rtcp_reports, 0);
    fixture_free(fx);
}
END_TEST

/* An RTCP SR from the phone about its stream, and the far end's RR about
 * it 100 ms later, answering that SR after holding it 60 ms: the passive
 * round trip is 40 ms, and the receiver reports 26/256 lost. */
START_TEST(test_rtcp_reports_for_ssrc)
{
    static const uint8_t sr[] = {
        0x80, 200, 0x00, 0x06,  /* V=2, RC=0, SR, length 6 */
        0x11, 0x11, 0x11, 0x11, /* SSRC of sender: the phone's stream */
        0x83, 0xaa, 0x7e, 0x80, /* NTP seconds */
        0x12, 0x34, 0x00, 0x00, /* NTP fraction */
        0x00, 0x00, 0x10, 0x00, /* RTP timestamp */
        0x00, 0x00, 0x00, 0x64, /* packet count */
        0x00, 0x00, 0x3e, 0x80, /* octet count */
    };
    static const uint8_t rr[] = {
        0x81, 201, 0x00, 0x07,  /* V=2, RC=1, RR, length 7 */
        0x22, 0x22, 0x22, 0x22, /* SSRC of the reporter */
        0x11, 0x11, 0x11, 0x11, /* report block: about the phone */
        0x1a, 0x00, 0x00, 0x0f, /* fraction 26/256, cumulative 15 */
        0x00, 0x00, 0x04, 0x4b, /* extended highest sequence */
        0x00, 0x00, 0x00, 0x50, /* jitter 80 (10 ms at 8 kHz) */
        0x7e, 0x80, 0x12, 0x34, /* LSR: middle of the SR's NTP */
        0x00, 0x00, 0x0f, 0x5c, /* DLSR 3932/65536 s = 60 ms */
    };
    struct fixture *fx = fixture_new();

    send_udp(fx, 0, PHONE, 16385, FAR, 30001, 46, sr, sizeof(sr));
    send_udp(fx, 100 * MS, FAR, 30001, PHONE, 16385, 46, rr, sizeof(rr));
    send_call(fx, 200 * MS, PHONE, 16384, FAR, 30000, 46, 46, 150);
    fixture_finish(fx);

    /* The RTCP flow itself carries no RTP. */
    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_uint_eq(fx->out.s[0].ssrc, 0x11111111u);
    ck_assert_uint_eq(fx->out.s[0].rtcp_reports, 1);
    ck_assert_double_eq_tol(fx->out.s[0].rtcp_loss_pct, 100.0 * 26 / 256,
                            1e-9);
    ck_assert_double_eq_tol(fx->out.s[0].rtcp_rtt_ms, 40.0, 0.1);
    ck_assert_uint_eq(fx->out.s[1].rtcp_reports, 0);
    fixture_free(fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Media ports outside the customer document (SPEC 3a.1)               */
/* ------------------------------------------------------------------ */

START_TEST(test_port_outside_document_unanswered)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Four ICE checks to current Twilio media on port 25000, no answer. */
    send_stun_request(fx, 0, PHONE, 50004, "168.86.130.21", 25000, 1);
    send_stun_request(fx, 500 * MS, PHONE, 50004, "168.86.130.21", 25000, 1);
    send_stun_request(fx, 1500 * MS, PHONE, 50004, "168.86.130.21", 25000,
                      1);
    send_stun_request(fx, 3500 * MS, PHONE, 50004, "168.86.130.21", 25000,
                      1);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "media_port_outside_document"),
                      1);
    fd = find_kind(&fx->out, "media_port_outside_document");
    ck_assert_int_eq(fd->severity, FINDING_ERROR);
    ck_assert_str_eq(fd->requirement, "WEB-MEDIA-NOW");
    ck_assert_ptr_nonnull(strstr(fd->summary, "168.86.130.21:25000"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "10000-20000"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "WEB-MEDIA-LEGACY"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "no reply"));
    ck_assert_uint_eq(fx->out.ns, 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_port_outside_document_answered)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    send_call(fx, 0, PHONE, 50006, "168.86.130.21", 30000, 46, 46, 150);
    fixture_finish(fx);

    fd = find_kind(&fx->out, "media_port_outside_document");
    ck_assert_int_eq(fd->severity, FINDING_WARNING);
    ck_assert_ptr_null(strstr(fd->summary, "no reply"));
    ck_assert_uint_eq(fx->out.ns, 2);
    ck_assert_uint_eq(fx->out.nf, 1);
    fixture_free(fx);
}
END_TEST

START_TEST(test_port_inside_document)
{
    struct fixture *fx = fixture_new();

    send_call(fx, 0, PHONE, 50000, "168.86.130.20", 15000, 46, 46, 150);
    /* A legacy range meets the document, and current Twilio allows the
     * port too. */
    send_call(fx, 5 * SEC, PHONE, 50002, "54.172.60.20", 12000, 46, 46, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.ns, 4);
    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* STUN                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_stun_cgnat)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    send_stun_request(fx, 0, PHONE, 40000, "100.64.0.10", 3478, 5);
    send_stun_response(fx, 2 * MS, "100.64.0.10", 3478, PHONE, 40000, 5,
                       "100.64.10.2", 40000);
    /* A second check with the same answer adds nothing. */
    send_stun_request(fx, 5 * SEC, PHONE, 40000, "100.64.0.10", 3478, 6);
    send_stun_response(fx, 5 * SEC + 2 * MS, "100.64.0.10", 3478, PHONE,
                       40000, 6, "100.64.10.2", 40000);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.nm, 1);
    ck_assert_str_eq(fx->out.m[0].mapped, "100.64.10.2");
    ck_assert_uint_eq(fx->out.m[0].mapped_port, 40000);
    ck_assert_str_eq(fx->out.m[0].kind, "cgnat");
    ck_assert(fx->out.m[0].translated);
    ck_assert_int_eq(fx->out.m[0].rtt_us, 2000);
    ck_assert_uint_eq(fx->out.m[0].packet, 2);
    ck_assert_uint_eq(count_kind(&fx->out, "cgnat"), 1);
    ck_assert_uint_eq(count_kind(&fx->out, "double_nat"), 0);
    fd = find_kind(&fx->out, "cgnat");
    ck_assert_int_eq(fd->severity, FINDING_ERROR);
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-NAT1");
    ck_assert_uint_eq(fd->packet, 2);
    ck_assert_ptr_nonnull(strstr(fd->summary, "100.64.10.2:40000"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_stun_double_nat)
{
    struct fixture *fx = fixture_new();

    send_stun_request(fx, 0, PHONE, 40002, "198.51.100.34", 3478, 7);
    send_stun_response(fx, 3 * MS, "198.51.100.34", 3478, PHONE, 40002, 7,
                       "10.20.0.5", 61000);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.nm, 1);
    ck_assert_str_eq(fx->out.m[0].kind, "private");
    ck_assert_uint_eq(count_kind(&fx->out, "double_nat"), 1);
    ck_assert_uint_eq(count_kind(&fx->out, "cgnat"), 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_stun_public_and_lan)
{
    struct fixture *fx = fixture_new();

    /* One NAT: a public reflexive address. */
    send_stun_request(fx, 0, PHONE, 40004, "198.51.100.34", 3478, 8);
    send_stun_response(fx, 3 * MS, "198.51.100.34", 3478, PHONE, 40004, 8,
                       NAT_PUBLIC, 40004);
    /* An ICE check between two hosts of one LAN: no NAT at all. */
    send_stun_request(fx, 10 * MS, PHONE, 40006, "192.168.1.20", 40008, 9);
    send_stun_response(fx, 11 * MS, "192.168.1.20", 40008, PHONE, 40006, 9,
                       PHONE, 40006);
    /* A response whose request was not captured. */
    send_stun_response(fx, 20 * MS, "198.51.100.34", 3478, PHONE, 40010, 10,
                       NAT_PUBLIC, 40010);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.nm, 3);
    ck_assert_str_eq(fx->out.m[0].kind, "public");
    ck_assert(fx->out.m[0].translated);
    ck_assert_str_eq(fx->out.m[1].kind, "private");
    ck_assert(!fx->out.m[1].translated);
    ck_assert_int_eq(fx->out.m[2].rtt_us, -1);
    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_stun_consent_in_one_way)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;
    unsigned i;

    /* WebRTC to Twilio: ICE checks answered every 2 s, media out only. */
    for (i = 0; i < 3; i++) {
        send_stun_request(fx, (int64_t)i * 2 * SEC, PHONE, 50000,
                          "168.86.130.20", 15000, (uint8_t)(20 + i));
        send_stun_response(fx, (int64_t)i * 2 * SEC + MS, "168.86.130.20",
                           15000, PHONE, 50000, (uint8_t)(20 + i),
                           NAT_PUBLIC, 50000);
    }
    send_stream(fx, 10 * MS, PHONE, 50000, "168.86.130.20", 15000, 46, 3,
                250);
    fixture_finish(fx);

    fd = find_kind(&fx->out, "one_way_media");
    ck_assert_int_eq(fd->severity, FINDING_ERROR);
    ck_assert_str_eq(fd->requirement, "WEB-MEDIA-NOW");
    ck_assert_ptr_nonnull(strstr(fd->summary, "3 STUN checks were answered"));
    ck_assert_uint_eq(fx->out.ns, 1);
    fixture_free(fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* QoS                                                                 */
/* ------------------------------------------------------------------ */

static const uint8_t sip_options[] =
    "OPTIONS sip:199.7.172.10 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1\r\n"
    "Content-Length: 0\r\n\r\n";

START_TEST(test_qos_rtp_unmarked_outbound)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Outbound unmarked, inbound EF (the far end marks). */
    send_call(fx, 0, PHONE, 16384, FAR, 30000, 0, 46, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "qos_unmarked"), 1);
    fd = find_kind(&fx->out, "qos_unmarked");
    ck_assert_int_eq(fd->severity, FINDING_WARNING);
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-QOS");
    ck_assert_ptr_nonnull(strstr(fd->summary, "outbound RTP from "
                                              "192.168.1.10:16384"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "EF (46)"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_qos_inbound_unmarked_ignored)
{
    struct fixture *fx = fixture_new();

    send_call(fx, 0, PHONE, 16384, FAR, 30000, 46, 0, 150);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "qos_unmarked"), 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_qos_webrtc)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    send_call(fx, 0, PHONE, 50000, "168.86.130.20", 15000, 0, 0, 150);
    fixture_finish(fx);

    fd = find_kind(&fx->out, "qos_unmarked");
    ck_assert_str_eq(fd->requirement, "WEB-QOS");
    ck_assert_uint_eq(fx->out.nf, 1);
    fixture_free(fx);
}
END_TEST

START_TEST(test_qos_sip)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Unmarked SIP to the registrar, CS3 SIP to a third party. */
    send_udp(fx, 0, PHONE, 5060, REGISTRAR, 5060, 0, sip_options,
             sizeof(sip_options) - 1);
    send_udp(fx, 10 * MS, PHONE, 5062, "198.51.100.80", 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "qos_unmarked"), 1);
    fd = find_kind(&fx->out, "qos_unmarked");
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-QOS");
    ck_assert_ptr_nonnull(strstr(fd->summary, "outbound SIP"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "CS3 (24)"));
    fixture_free(fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* UDP binding timeout                                                 */
/* ------------------------------------------------------------------ */

static void sip_exchange(struct fixture *fx, int64_t t_us, const char *cust,
                         bool server_first)
{
    const char *a = server_first ? REGISTRAR : cust;
    const char *b = server_first ? cust : REGISTRAR;

    send_udp(fx, t_us, a, 5060, b, 5060, 24, sip_options,
             sizeof(sip_options) - 1);
    send_udp(fx, t_us + 2 * MS, b, 5060, a, 5060, 24, sip_options,
             sizeof(sip_options) - 1);
}

START_TEST(test_udpto_unproven)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* The phone keeps its binding alive every 180 s; each keepalive is
     * answered at once, so nothing shows the binding outliving 180 s. */
    sip_exchange(fx, 0, PHONE, false);
    sip_exchange(fx, 180 * SEC, PHONE, false);
    sip_exchange(fx, 360 * SEC, PHONE, false);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_unproven"), 1);
    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_short"), 0);
    fd = find_kind(&fx->out, "udp_timeout_unproven");
    ck_assert_int_eq(fd->severity, FINDING_INFO);
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-UDPTO");
    ck_assert_ptr_nonnull(strstr(fd->summary, "180 s"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_udpto_proven_inside)
{
    struct fixture *fx = fixture_new();

    /* Same cadence, but the registrar reached the phone after 150 s of
     * silence: on the LAN side that packet crossed the NAT. */
    sip_exchange(fx, 0, PHONE, false);
    sip_exchange(fx, 150 * SEC, PHONE, true);
    sip_exchange(fx, 330 * SEC, PHONE, false);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_unproven"), 0);
    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_short"), 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_udpto_short_outside)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Outside the NAT: after 60 s idle the registrar sends a request
     * five times (Timer E: 0, 0.5, 1.5, 3.5, 7.5 s) and the NAT forwards
     * none of them: no answer from inside. */
    sip_exchange(fx, 0, NAT_PUBLIC, false);
    send_udp(fx, 60 * SEC, REGISTRAR, 5060, NAT_PUBLIC, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    send_udp(fx, 60 * SEC + 500 * MS, REGISTRAR, 5060, NAT_PUBLIC, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    send_udp(fx, 61 * SEC + 500 * MS, REGISTRAR, 5060, NAT_PUBLIC, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    send_udp(fx, 63 * SEC + 500 * MS, REGISTRAR, 5060, NAT_PUBLIC, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    send_udp(fx, 67 * SEC + 500 * MS, REGISTRAR, 5060, NAT_PUBLIC, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_short"), 1);
    fd = find_kind(&fx->out, "udp_timeout_short");
    ck_assert_int_eq(fd->severity, FINDING_ERROR);
    ck_assert_str_eq(fd->requirement, "RIO-PHONE-UDPTO");
    ck_assert_uint_eq(fd->packet, 3);
    ck_assert_ptr_nonnull(strstr(fd->summary, "within 60 s"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "sent 5 packets"));
    fixture_free(fx);
}
END_TEST

START_TEST(test_udpto_answered_outside)
{
    struct fixture *fx = fixture_new();

    /* The same, answered from inside within a second: survived 60 s. */
    sip_exchange(fx, 0, NAT_PUBLIC, false);
    sip_exchange(fx, 60 * SEC, NAT_PUBLIC, true);
    fixture_finish(fx);

    ck_assert_uint_eq(fx->out.nf, 0);
    fixture_free(fx);
}
END_TEST

START_TEST(test_udpto_new_port_outside)
{
    struct fixture *fx = fixture_new();
    const struct seen_finding *fd;

    /* Outside view: after 90 s the customer reaches the registrar from
     * a new public port and the old one never speaks again. */
    sip_exchange(fx, 0, NAT_PUBLIC, false);
    sip_exchange(fx, 20 * SEC, NAT_PUBLIC, false);
    send_udp(fx, 110 * SEC, NAT_PUBLIC, 1024, REGISTRAR, 5060, 24,
             sip_options, sizeof(sip_options) - 1);
    send_udp(fx, 110 * SEC + 2 * MS, REGISTRAR, 5060, NAT_PUBLIC, 1024, 24,
             sip_options, sizeof(sip_options) - 1);
    fixture_finish(fx);

    ck_assert_uint_eq(count_kind(&fx->out, "udp_timeout_short"), 1);
    fd = find_kind(&fx->out, "udp_timeout_short");
    ck_assert_ptr_nonnull(strstr(fd->summary, "new port 1024"));
    ck_assert_ptr_nonnull(strstr(fd->summary, "within 90 s"));
    fixture_free(fx);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *analyzer_media_suite(void)
{
    Suite *s = suite_create("analyzer_media");
    TCase *tc;

    tc = tcase_create("decisions");
    tcase_add_test(tc, test_oneway_decide);
    tcase_add_test(tc, test_udpto_decide);
    suite_add_tcase(s, tc);

    tc = tcase_create("rtp");
    tcase_add_test(tc, test_one_way_inbound_silent);
    tcase_add_test(tc, test_two_way_is_clean);
    tcase_add_test(tc, test_late_start_warns);
    tcase_add_test(tc, test_call_from_sdp);
    tcase_add_test(tc, test_call_two_flows);
    tcase_add_test(tc, test_nat_mismatch_port);
    tcase_add_test(tc, test_nat_private_sdp_is_traversal);
    tcase_add_test(tc, test_dns_is_not_rtp);
    tcase_add_test(tc, test_heuristic_rtp_without_class);
    tcase_add_test(tc, test_ssrc_bound);
    tcase_add_test(tc, test_loss_and_duplicates);
    tcase_add_test(tc, test_rtcp_other_ssrc_ignored);
    tcase_add_test(tc, test_rtcp_reports_for_ssrc);
    suite_add_tcase(s, tc);

    tc = tcase_create("document");
    tcase_add_test(tc, test_port_outside_document_unanswered);
    tcase_add_test(tc, test_port_outside_document_answered);
    tcase_add_test(tc, test_port_inside_document);
    suite_add_tcase(s, tc);

    tc = tcase_create("stun");
    tcase_add_test(tc, test_stun_cgnat);
    tcase_add_test(tc, test_stun_double_nat);
    tcase_add_test(tc, test_stun_public_and_lan);
    tcase_add_test(tc, test_stun_consent_in_one_way);
    suite_add_tcase(s, tc);

    tc = tcase_create("qos");
    tcase_add_test(tc, test_qos_rtp_unmarked_outbound);
    tcase_add_test(tc, test_qos_inbound_unmarked_ignored);
    tcase_add_test(tc, test_qos_webrtc);
    tcase_add_test(tc, test_qos_sip);
    suite_add_tcase(s, tc);

    tc = tcase_create("udp_timeout");
    tcase_add_test(tc, test_udpto_unproven);
    tcase_add_test(tc, test_udpto_proven_inside);
    tcase_add_test(tc, test_udpto_short_outside);
    tcase_add_test(tc, test_udpto_answered_outside);
    tcase_add_test(tc, test_udpto_new_port_outside);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(analyzer_media_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
