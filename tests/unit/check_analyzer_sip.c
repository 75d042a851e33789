/* Unit tests for the SIP stage (analyzer_sip.h) and its NAT and ALG
 * signatures (analyzer_sip_nat.h): message records over UDP and TCP
 * (reassembly across segments, several messages per segment,
 * retransmitted, overlapping and out-of-order segments), transaction and
 * call findings, and each signature on hand-written messages together
 * with the lookalike that must stay silent (plain NAT done right, a SIP
 * ALG that rewrites consistently, a proxied request).
 *
 * Packets are given to the stage as decoded packets: the addresses,
 * ports and TCP sequence numbers, with the SIP text as the payload. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "analyzer_sip.h"
#include "analyzer_sip_nat.h"
#include "decode.h"
#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "media_expect.h"
#include "profile.h"
#include "sdp.h"
#include "sink.h"
#include "sip.h"
#include "sip_record.h"

#define MS 1000LL
#define SEC 1000000LL
#define T0 (1700000000LL * SEC)

#define PHONE "192.168.1.10"
#define ROUTER "203.0.113.2"
#define SERVER "199.7.172.10"
#define FAR "199.7.172.20"

/* --- what the stage emitted ---------------------------------------------- */

#define SEEN_MAX 64

struct seen_msg {
    uint64_t flow_id;
    uint64_t packet;
    enum flow_dir direction;
    char src[IPADDR_STRLEN];
    uint16_t src_port;
    char transport[8];
    char method[32];
    int status;
    char reason[64];
    char request_uri[128];
    char call_id[128];
    int64_t cseq;
    char cseq_method[32];
    char from_uri[128];
    char from_tag[64];
    char to_uri[128];
    char to_tag[64];
    char via_branch[64];
    char via[512];
    char via_received[64];
    int32_t via_rport;
    char contact[128];
    char user_agent[64];
    int64_t content_length;
    int64_t body_length;
    char sdp_o[64];
    char sdp_c[64];
    char sdp_m[128];
    bool retransmission;
    char malformed[64];
    size_t raw_len;
};

struct seen_finding {
    char kind[32];
    enum finding_severity severity;
    char requirement[32];
    uint64_t flow_id;
    uint64_t first_packet;
    char summary[FINDING_SUMMARY_MAX];
};

struct seen_call {
    char call_id[128];
    char state[16];
    uint64_t first_packet;
    int64_t setup_us;
    int64_t duration_us;
    int final_status;
    uint32_t messages;
    uint32_t retransmissions;
    char end_reason[16];
};

struct seen {
    size_t nmsg;
    struct seen_msg msg[SEEN_MAX];
    size_t nfind;
    struct seen_finding find[SEEN_MAX];
    size_t ncall;
    struct seen_call call[SEEN_MAX];
};

static void cp(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void seen_msg_add(struct seen *s, const void *rec)
{
    const struct sip_message_record *r = rec;
    struct seen_msg *m = &s->msg[s->nmsg];

    ck_assert_uint_lt(s->nmsg, SEEN_MAX);
    m->flow_id = r->flow_id;
    m->packet = r->packet;
    m->direction = r->direction;
    ipaddr_format(&r->src_ip, m->src);
    m->src_port = r->src_port;
    cp(m->transport, sizeof(m->transport), r->transport);
    cp(m->method, sizeof(m->method), r->method);
    m->status = r->status;
    cp(m->reason, sizeof(m->reason), r->reason);
    cp(m->request_uri, sizeof(m->request_uri), r->request_uri);
    cp(m->call_id, sizeof(m->call_id), r->call_id);
    m->cseq = r->cseq;
    cp(m->cseq_method, sizeof(m->cseq_method), r->cseq_method);
    cp(m->from_uri, sizeof(m->from_uri), r->from_uri);
    cp(m->from_tag, sizeof(m->from_tag), r->from_tag);
    cp(m->to_uri, sizeof(m->to_uri), r->to_uri);
    cp(m->to_tag, sizeof(m->to_tag), r->to_tag);
    cp(m->via_branch, sizeof(m->via_branch), r->via_branch);
    cp(m->via, sizeof(m->via), r->via);
    cp(m->via_received, sizeof(m->via_received), r->via_received);
    m->via_rport = r->via_rport;
    cp(m->contact, sizeof(m->contact), r->contact);
    cp(m->user_agent, sizeof(m->user_agent), r->user_agent);
    m->content_length = r->content_length;
    m->body_length = r->body_length;
    cp(m->sdp_o, sizeof(m->sdp_o), r->sdp_o);
    cp(m->sdp_c, sizeof(m->sdp_c), r->sdp_c);
    cp(m->sdp_m, sizeof(m->sdp_m), r->sdp_m);
    m->retransmission = r->retransmission;
    cp(m->malformed, sizeof(m->malformed), r->malformed);
    m->raw_len = r->raw_len * (r->raw != NULL);
    s->nmsg++;
}

static void seen_finding_add(struct seen *s, const void *rec)
{
    const struct finding *fd = rec;
    struct seen_finding *f = &s->find[s->nfind];

    ck_assert_uint_lt(s->nfind, SEEN_MAX);
    cp(f->kind, sizeof(f->kind), fd->kind);
    f->severity = fd->severity;
    cp(f->requirement, sizeof(f->requirement), fd->requirement);
    f->flow_id = fd->flow_id;
    f->first_packet = fd->first_packet;
    cp(f->summary, sizeof(f->summary), fd->summary);
    s->nfind++;
}

static void seen_call_add(struct seen *s, const void *rec)
{
    const struct call_record *c = rec;
    struct seen_call *k = &s->call[s->ncall];

    ck_assert_uint_lt(s->ncall, SEEN_MAX);
    cp(k->call_id, sizeof(k->call_id), c->call_id);
    cp(k->state, sizeof(k->state), c->state);
    k->first_packet = c->first_packet;
    k->setup_us = c->setup_us;
    k->duration_us = c->duration_us;
    k->final_status = c->final_status;
    k->messages = c->messages;
    k->retransmissions = c->retransmissions;
    cp(k->end_reason, sizeof(k->end_reason), c->end_reason);
    s->ncall++;
}

/* The stage emits these three kinds only: any other has no entry and
 * fails the test. */
typedef void (*seen_add_fn)(struct seen *s, const void *rec);

static const seen_add_fn seen_add[RECORD_KIND_COUNT] = {
    [RECORD_FINDING] = seen_finding_add,
    [RECORD_SIP_MESSAGE] = seen_msg_add,
    [RECORD_CALL] = seen_call_add,
};

static void on_record(void *arg, enum record_kind kind, const void *rec)
{
    ck_assert_int_lt(kind, RECORD_KIND_COUNT);
    ck_assert_ptr_nonnull(seen_add[kind]);
    seen_add[kind](arg, rec);
}

/* Findings of one kind. */
static size_t count_kind(const struct seen *s, const char *kind)
{
    size_t i, n = 0;

    for (i = 0; i < s->nfind; i++)
        n += strcmp(s->find[i].kind, kind) == 0;
    return n;
}

/* The first finding of a kind; fails the test when there is none. */
static const struct seen_finding *find_kind(const struct seen *s,
                                            const char *kind)
{
    size_t i = 0;

    while (i < s->nfind && strcmp(s->find[i].kind, kind) != 0)
        i++;
    ck_assert_uint_lt(i, s->nfind);
    return &s->find[i];
}

/* --- a stage with a few flows -------------------------------------------- */

#define H_FLOWS 4

struct harness {
    void *stage;
    struct media_expect *media;     /* shared with the media stage */
    struct seen seen;
    struct flow flow[H_FLOWS];
    bool flow_used[H_FLOWS];
    void *fstate[H_FLOWS];
    int64_t last_us;
};

static struct harness *h_new(const struct profile *profile)
{
    struct harness *h = calloc(1, sizeof(*h));
    struct analyzer_env env;
    struct capture_meta meta;
    size_t i;

    ck_assert_ptr_nonnull(h);
    h->media = media_expect_new(64);
    ck_assert_ptr_nonnull(h->media);
    memset(&env, 0, sizeof(env));
    env.profile = profile;
    env.media = h->media;
    env.emit.record = on_record;
    env.emit.arg = &h->seen;
    h->stage = analyzer_sip_ops.create(&env);
    ck_assert_ptr_nonnull(h->stage);
    for (i = 0; i < H_FLOWS; i++) {
        h->fstate[i] = calloc(1, analyzer_sip_ops.flow_state_size);
        ck_assert_ptr_nonnull(h->fstate[i]);
        h->flow[i].id = 100 + i;
    }
    memset(&meta, 0, sizeof(meta));
    analyzer_sip_ops.capture_begin(h->stage, &meta);
    return h;
}

static void set_ip(struct ip_addr *a, const char *text)
{
    ck_assert_int_eq(ipaddr_parse(text, a), 0);
}

static void h_packet(struct harness *h, size_t fi, uint64_t num,
                     int64_t ts, struct decoded *d)
{
    struct flow *f = &h->flow[fi];
    struct pkt pkt;
    bool from_lo;

    ck_assert_uint_lt(fi, H_FLOWS);
    memset(&pkt, 0, sizeof(pkt));
    pkt.num = num;
    pkt.ts_us = ts;
    flow_key_from_decoded(d, &f->key, &from_lo);
    h->flow_used[fi] = true;
    h->last_us = ts;
    analyzer_sip_ops.packet(h->stage, f, h->fstate[fi], &pkt, d,
                            FLOW_DIR_C2S);
}

static void h_udp(struct harness *h, size_t fi, uint64_t num, int64_t ts,
                  const char *src, uint16_t sport, const char *dst,
                  uint16_t dport, const char *payload, size_t len)
{
    struct decoded d;

    memset(&d, 0, sizeof(d));
    d.ip_version = 4;
    d.proto = 17;
    set_ip(&d.src, src);
    set_ip(&d.dst, dst);
    d.sport = sport;
    d.dport = dport;
    d.frame_count = 1;
    d.payload = (const uint8_t *)payload;
    d.payload_len = (uint32_t)len;
    d.payload_wire_len = (uint32_t)len;
    h_packet(h, fi, num, ts, &d);
}

static void h_tcp(struct harness *h, size_t fi, uint64_t num, int64_t ts,
                  const char *src, uint16_t sport, const char *dst,
                  uint16_t dport, uint32_t seq, uint8_t flags,
                  const char *payload, size_t len)
{
    struct decoded d;

    memset(&d, 0, sizeof(d));
    d.ip_version = 4;
    d.proto = 6;
    set_ip(&d.src, src);
    set_ip(&d.dst, dst);
    d.sport = sport;
    d.dport = dport;
    d.frame_count = 1;
    d.tcp.seq = seq;
    d.tcp.flags = flags;
    d.payload = len ? (const uint8_t *)payload : NULL;
    d.payload_len = (uint32_t)len;
    d.payload_wire_len = (uint32_t)len;
    h_packet(h, fi, num, ts, &d);
}

/* Ends every flow used and the capture, as the pipeline does. */
static void h_end(struct harness *h)
{
    struct capture_meta meta;
    size_t i;

    for (i = 0; i < H_FLOWS; i++)
        analyzer_sip_ops.flow_end(h->stage, &h->flow[i], h->fstate[i],
                                  FLOW_END_CAPTURE_END);
    memset(&meta, 0, sizeof(meta));
    meta.last_us = h->last_us;
    analyzer_sip_ops.capture_end(h->stage, &meta);
}

static void h_free(struct harness *h)
{
    size_t i;

    analyzer_sip_ops.destroy(h->stage);
    media_expect_free(h->media);
    for (i = 0; i < H_FLOWS; i++)
        free(h->fstate[i]);
    free(h);
}

/* --- messages ------------------------------------------------------------ */

/* Headers (CRLF-terminated lines) plus a Content-Length for body. */
static size_t msg_build(char *out, size_t cap, const char *headers,
                        const char *body)
{
    int n = snprintf(out, cap, "%sContent-Length: %zu\r\n\r\n%s", headers,
                     strlen(body), body);

    ck_assert_int_gt(n, 0);
    ck_assert_uint_lt((size_t)n, cap);
    return (size_t)n;
}

static const char register_hdrs[] =
    "REGISTER sip:" SERVER " SIP/2.0\r\n"
    "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKreg1;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:alice@" SERVER ">;tag=ft1\r\n"
    "To: <sip:alice@" SERVER ">\r\n"
    "Call-ID: reg-1@" PHONE "\r\n"
    "CSeq: 7 REGISTER\r\n"
    "Contact: <sip:alice@" PHONE ":5060>\r\n"
    "User-Agent: testphone 1.0\r\n"
    "Expires: 600\r\n";

/* A 200 to the REGISTER above with the given received= and rport=. */
static size_t register_ok(char *out, size_t cap, const char *received,
                          unsigned rport, unsigned branch, unsigned cseq)
{
    char h[1024];

    snprintf(h, sizeof(h),
             "SIP/2.0 200 OK\r\n"
             "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKreg%u;"
             "rport=%u;received=%s\r\n"
             "From: <sip:alice@" SERVER ">;tag=ft1\r\n"
             "To: <sip:alice@" SERVER ">;tag=tt1\r\n"
             "Call-ID: reg-1@" PHONE "\r\n"
             "CSeq: %u REGISTER\r\n"
             "Contact: <sip:alice@" PHONE ":5060>;expires=600\r\n",
             branch, rport, received, cseq);
    return msg_build(out, cap, h, "");
}

static const char sdp_phone[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 " PHONE "\r\n"
    "s=-\r\n"
    "c=IN IP4 " PHONE "\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0 8\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

/* --- records ------------------------------------------------------------- */

START_TEST(test_record_register)
{
    struct harness *h = h_new(NULL);
    char buf[2048];
    size_t n = msg_build(buf, sizeof(buf), register_hdrs, "");
    const struct seen_msg *m;

    h_udp(h, 0, 3, T0, PHONE, 5060, SERVER, 5060, buf, n);
    ck_assert_uint_eq(h->seen.nmsg, 1);
    m = &h->seen.msg[0];
    ck_assert_uint_eq(m->packet, 3);
    ck_assert_uint_eq(m->flow_id, 100);
    ck_assert_str_eq(m->transport, "udp");
    ck_assert_str_eq(m->src, PHONE);
    ck_assert_str_eq(m->method, "REGISTER");
    ck_assert_int_eq(m->status, 0);
    ck_assert_str_eq(m->request_uri, "sip:" SERVER);
    ck_assert_str_eq(m->call_id, "reg-1@" PHONE);
    ck_assert_int_eq(m->cseq, 7);
    ck_assert_str_eq(m->cseq_method, "REGISTER");
    ck_assert_str_eq(m->from_uri, "sip:alice@" SERVER);
    ck_assert_str_eq(m->from_tag, "ft1");
    ck_assert_str_eq(m->to_tag, "");
    ck_assert_str_eq(m->via_branch, "z9hG4bKreg1");
    ck_assert_str_eq(m->via, "SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKreg1;"
                             "rport");
    ck_assert_int_eq(m->via_rport, -1);
    ck_assert_str_eq(m->contact, "sip:alice@" PHONE ":5060");
    ck_assert_str_eq(m->user_agent, "testphone 1.0");
    ck_assert_int_eq(m->content_length, 0);
    ck_assert_int_eq(m->body_length, 0);
    ck_assert_str_eq(m->sdp_m, "");
    ck_assert(!m->retransmission);
    ck_assert_str_eq(m->malformed, "");
    ck_assert_uint_eq(m->raw_len, 0);
    h_end(h);
    h_free(h);
}
END_TEST

START_TEST(test_record_response_and_sdp)
{
    struct harness *h = h_new(NULL);
    char buf[2048];
    size_t n;
    const struct seen_msg *m;

    n = register_ok(buf, sizeof(buf), ROUTER, 5062, 1, 7);
    h_udp(h, 0, 4, T0, SERVER, 5060, PHONE, 5060, buf, n);
    n = msg_build(buf, sizeof(buf),
                  "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKinv1\r\n"
                  "From: <sip:alice@" SERVER ">;tag=a1\r\n"
                  "To: <sip:bob@" SERVER ">\r\n"
                  "Call-ID: call-1\r\n"
                  "CSeq: 1 INVITE\r\n"
                  "Contact: <sip:alice@" PHONE ">\r\n"
                  "Content-Type: application/sdp\r\n", sdp_phone);
    h_udp(h, 0, 5, T0 + 10 * MS, PHONE, 5060, SERVER, 5060, buf, n);
    ck_assert_uint_eq(h->seen.nmsg, 2);
    m = &h->seen.msg[0];
    ck_assert_int_eq(m->status, 200);
    ck_assert_str_eq(m->reason, "OK");
    ck_assert_str_eq(m->method, "");
    ck_assert_str_eq(m->via_received, ROUTER);
    ck_assert_int_eq(m->via_rport, 5062);
    ck_assert_str_eq(m->to_tag, "tt1");
    m = &h->seen.msg[1];
    ck_assert_str_eq(m->sdp_o, PHONE);
    ck_assert_str_eq(m->sdp_c, PHONE);
    ck_assert_str_eq(m->sdp_m, "audio 4000 RTP/AVP 0 8");
    ck_assert_int_eq(m->content_length, (int64_t)strlen(sdp_phone));
    ck_assert_int_eq(m->body_length, (int64_t)strlen(sdp_phone));
    h_end(h);
    h_free(h);
}
END_TEST

START_TEST(test_record_malformed_and_not_sip)
{
    struct harness *h = h_new(NULL);
    static const char bad[] =
        "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
        "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKbad\r\n"
        "Call-ID: bad-1\r\n"
        "CSeq: seven INVITE\r\n"
        "Content-Length: 0\r\n\r\n";
    static const char rtp[] = "\x80\x00\x00\x01\x00\x00\x00\xa0rtp";
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const struct seen_msg *m;

    h_udp(h, 0, 1, T0, PHONE, 5060, SERVER, 5060, bad, sizeof(bad) - 1);
    h_udp(h, 1, 2, T0, PHONE, 4000, FAR, 30000, rtp, sizeof(rtp) - 1);
    h_udp(h, 2, 3, T0, PHONE, 5060, SERVER, 80, http, sizeof(http) - 1);
    ck_assert_uint_eq(h->seen.nmsg, 1);
    m = &h->seen.msg[0];
    ck_assert_str_eq(m->malformed, "cseq");
    ck_assert_uint_eq(m->raw_len, sizeof(bad) - 1);
    ck_assert_str_eq(m->method, "INVITE");
    h_end(h);
    h_free(h);
}
END_TEST

START_TEST(test_record_retransmission_flag)
{
    struct harness *h = h_new(NULL);
    char buf[2048];
    size_t n = msg_build(buf, sizeof(buf), register_hdrs, "");

    h_udp(h, 0, 1, T0, PHONE, 5060, SERVER, 5060, buf, n);
    h_udp(h, 0, 2, T0 + 500 * MS, PHONE, 5060, SERVER, 5060, buf, n);
    ck_assert_uint_eq(h->seen.nmsg, 2);
    ck_assert(!h->seen.msg[0].retransmission);
    ck_assert(h->seen.msg[1].retransmission);
    h_end(h);
    h_free(h);
}
END_TEST

/* --- TCP ----------------------------------------------------------------- */

#define TCP_ISN 1000u
#define TCP_SYN_FLAG 0x02
#define TCP_ACK_PSH 0x18

/* Two REGISTERs over TCP as one stream. */
static size_t tcp_stream(char *out, size_t cap, size_t *first_len)
{
    char one[1024], two[1024];
    size_t n1 = msg_build(one, sizeof(one),
                          "REGISTER sip:" SERVER " SIP/2.0\r\n"
                          "Via: SIP/2.0/TCP " PHONE
                          ":50000;branch=z9hG4bKt1\r\n"
                          "From: <sip:alice@" SERVER ">;tag=f\r\n"
                          "To: <sip:alice@" SERVER ">\r\n"
                          "Call-ID: tcp-1\r\n"
                          "CSeq: 1 REGISTER\r\n", "");
    size_t n2 = msg_build(two, sizeof(two),
                          "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
                          "Via: SIP/2.0/TCP " PHONE
                          ":50000;branch=z9hG4bKt2\r\n"
                          "From: <sip:alice@" SERVER ">;tag=g\r\n"
                          "To: <sip:bob@" SERVER ">\r\n"
                          "Call-ID: tcp-2\r\n"
                          "CSeq: 1 INVITE\r\n"
                          "Content-Type: application/sdp\r\n", sdp_phone);

    ck_assert_uint_lt(n1 + n2, cap);
    memcpy(out, one, n1);
    memcpy(out + n1, two, n2);
    *first_len = n1;
    return n1 + n2;
}

START_TEST(test_tcp_two_messages_one_segment)
{
    struct harness *h = h_new(NULL);
    char s[4096];
    size_t first, n = tcp_stream(s, sizeof(s), &first);

    h_tcp(h, 0, 1, T0, PHONE, 50000, SERVER, 5060, TCP_ISN, TCP_SYN_FLAG,
          NULL, 0);
    h_tcp(h, 0, 4, T0 + MS, PHONE, 50000, SERVER, 5060, TCP_ISN + 1,
          TCP_ACK_PSH, s, n);
    ck_assert_uint_eq(h->seen.nmsg, 2);
    ck_assert_str_eq(h->seen.msg[0].method, "REGISTER");
    ck_assert_str_eq(h->seen.msg[1].method, "INVITE");
    ck_assert_uint_eq(h->seen.msg[0].packet, 4);
    ck_assert_uint_eq(h->seen.msg[1].packet, 4);
    ck_assert_str_eq(h->seen.msg[1].transport, "tcp");
    ck_assert_str_eq(h->seen.msg[1].sdp_m, "audio 4000 RTP/AVP 0 8");
    h_end(h);
    h_free(h);
}
END_TEST

/* The INVITE cut in three segments; the second one arrives twice (a
 * retransmission) and the third overlaps the second by 10 bytes. */
START_TEST(test_tcp_across_segments)
{
    struct harness *h = h_new(NULL);
    char s[4096];
    size_t first, n = tcp_stream(s, sizeof(s), &first);
    uint32_t base = TCP_ISN + 1;
    size_t a = first + 40, b = first + 200;

    h_tcp(h, 0, 1, T0, PHONE, 50000, SERVER, 5060, TCP_ISN, TCP_SYN_FLAG,
          NULL, 0);
    h_tcp(h, 0, 3, T0 + MS, PHONE, 50000, SERVER, 5060, base, TCP_ACK_PSH,
          s, a);
    ck_assert_uint_eq(h->seen.nmsg, 1);
    ck_assert_uint_eq(h->seen.msg[0].packet, 3);
    h_tcp(h, 0, 5, T0 + 2 * MS, PHONE, 50000, SERVER, 5060,
          base + (uint32_t)a, TCP_ACK_PSH, s + a, b - a);
    h_tcp(h, 0, 6, T0 + 3 * MS, PHONE, 50000, SERVER, 5060,
          base + (uint32_t)a, TCP_ACK_PSH, s + a, b - a);
    ck_assert_uint_eq(h->seen.nmsg, 1);
    h_tcp(h, 0, 8, T0 + 4 * MS, PHONE, 50000, SERVER, 5060,
          base + (uint32_t)(b - 10), TCP_ACK_PSH, s + b - 10, n - b + 10);
    ck_assert_uint_eq(h->seen.nmsg, 2);
    ck_assert_uint_eq(h->seen.msg[1].packet, 8);
    ck_assert_str_eq(h->seen.msg[1].call_id, "tcp-2");
    ck_assert_str_eq(h->seen.msg[1].malformed, "");
    ck_assert_int_eq(h->seen.msg[1].body_length,
                     (int64_t)strlen(sdp_phone));
    h_end(h);
    h_free(h);
}
END_TEST

/* The second half arrives before the first: the message completes with
 * the segment that fills the gap. */
START_TEST(test_tcp_out_of_order)
{
    struct harness *h = h_new(NULL);
    char s[4096];
    size_t first, n = tcp_stream(s, sizeof(s), &first);
    uint32_t base = TCP_ISN + 1;
    size_t half = n / 2;

    h_tcp(h, 0, 1, T0, PHONE, 50000, SERVER, 5060, TCP_ISN, TCP_SYN_FLAG,
          NULL, 0);
    h_tcp(h, 0, 2, T0 + MS, PHONE, 50000, SERVER, 5060,
          base + (uint32_t)half, TCP_ACK_PSH, s + half, n - half);
    ck_assert_uint_eq(h->seen.nmsg, 0);
    h_tcp(h, 0, 3, T0 + 2 * MS, PHONE, 50000, SERVER, 5060, base,
          TCP_ACK_PSH, s, half);
    ck_assert_uint_eq(h->seen.nmsg, 2);
    ck_assert_uint_eq(h->seen.msg[0].packet, 3);
    ck_assert_uint_eq(h->seen.msg[1].packet, 3);
    h_end(h);
    h_free(h);
}
END_TEST

/* A connection whose first payload is not SIP is never buffered, even
 * when SIP-looking text comes later. */
START_TEST(test_tcp_not_sip)
{
    struct harness *h = h_new(NULL);
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    char s[4096];
    size_t first, n = tcp_stream(s, sizeof(s), &first);

    h_tcp(h, 0, 1, T0, PHONE, 50000, SERVER, 5060, TCP_ISN, TCP_SYN_FLAG,
          NULL, 0);
    h_tcp(h, 0, 2, T0 + MS, PHONE, 50000, SERVER, 5060, TCP_ISN + 1,
          TCP_ACK_PSH, http, sizeof(http) - 1);
    h_tcp(h, 0, 3, T0 + 2 * MS, PHONE, 50000, SERVER, 5060,
          TCP_ISN + 1 + (uint32_t)(sizeof(http) - 1), TCP_ACK_PSH, s, n);
    ck_assert_uint_eq(h->seen.nmsg, 0);
    h_end(h);
    h_free(h);
}
END_TEST

/* --- transactions and calls ---------------------------------------------- */

/* RFC 3261 Timer E: 11 copies at 0, 0.5, 1.5, 3.5, 7.5, 11.5 ... 31.5 s. */
static const int64_t timer_e_ms[] = {
    0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
};

START_TEST(test_no_response)
{
    struct harness *h = h_new(NULL);
    char buf[2048];
    size_t n = msg_build(buf, sizeof(buf), register_hdrs, "");
    const struct seen_finding *f;
    size_t i;

    for (i = 0; i < 11; i++)
        h_udp(h, 0, 3 + i, T0 + timer_e_ms[i] * MS, PHONE, 5060, SERVER,
              5060, buf, n);
    h_end(h);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_no_response"), 1);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_retransmissions"), 0);
    f = find_kind(&h->seen, "sip_no_response");
    ck_assert_int_eq(f->severity, FINDING_ERROR);
    ck_assert_uint_eq(f->first_packet, 3);
    ck_assert_uint_eq(f->flow_id, 100);
    ck_assert_str_eq(f->summary,
                     "REGISTER to " SERVER ":5060 (from " PHONE ":5060, "
                     "Call-ID reg-1@" PHONE ") sent 11 times over 31.5 s, "
                     "no response: a firewall drops the requests or the "
                     "responses");
    h_free(h);
}
END_TEST

/* Three copies, then the answer: not a no-response, a lossy path. */
START_TEST(test_retransmissions)
{
    struct harness *h = h_new(NULL);
    char req[2048], ok[2048];
    size_t nr = msg_build(req, sizeof(req), register_hdrs, "");
    size_t no = register_ok(ok, sizeof(ok), ROUTER, 5060, 1, 7);
    const struct seen_finding *f;
    size_t i;

    for (i = 0; i < 4; i++)
        h_udp(h, 0, 1 + i, T0 + timer_e_ms[i] * MS, PHONE, 5060, SERVER,
              5060, req, nr);
    h_udp(h, 0, 5, T0 + 3600 * MS, SERVER, 5060, PHONE, 5060, ok, no);
    h_end(h);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_no_response"), 0);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_retransmissions"), 1);
    f = find_kind(&h->seen, "sip_retransmissions");
    ck_assert_int_eq(f->severity, FINDING_WARNING);
    ck_assert_ptr_nonnull(strstr(f->summary, "3 of 5 SIP messages were "
                                             "retransmissions (60.0%)"));
    ck_assert_ptr_nonnull(strstr(f->summary, "REGISTER from " PHONE
                                             ":5060 to " SERVER ":5060 sent "
                                             "4 times"));
    h_free(h);
}
END_TEST

/* A message of call "call-7" from the phone at host; to_tag "" for
 * none (";tag=" is then left out), body "" for none. */
static size_t call_msg_at(char *out, size_t cap, const char *host,
                          const char *start, const char *branch,
                          unsigned cseq, const char *method,
                          const char *to_tag, const char *body)
{
    static const char *const tag_param[] = { ";tag=", "" };
    static const char *const sdp_type[] = {
        "Content-Type: application/sdp\r\n", "",
    };
    char h[1024];

    snprintf(h, sizeof(h),
             "%s\r\n"
             "Via: SIP/2.0/UDP %s:5060;branch=%s\r\n"
             "From: <sip:alice@" SERVER ">;tag=a1\r\n"
             "To: <sip:bob@" SERVER ">%s%s\r\n"
             "Call-ID: call-7\r\n"
             "CSeq: %u %s\r\n"
             "Contact: <sip:x@%s:5060>\r\n"
             "%s",
             start, host, branch, tag_param[to_tag[0] == '\0'], to_tag, cseq,
             method, host, sdp_type[body[0] == '\0']);
    return msg_build(out, cap, h, body);
}

static size_t call_msg(char *out, size_t cap, const char *start,
                       const char *branch, unsigned cseq, const char *method,
                       const char *to_tag, const char *body)
{
    return call_msg_at(out, cap, PHONE, start, branch, cseq, method, to_tag,
                       body);
}

START_TEST(test_call_record)
{
    struct harness *h = h_new(NULL);
    char b[2048];
    size_t n;
    const struct seen_call *c;

    n = call_msg(b, sizeof(b), "INVITE sip:bob@" SERVER " SIP/2.0",
                 "z9hG4bKi1", 1, "INVITE", "", sdp_phone);
    h_udp(h, 0, 10, T0, PHONE, 5060, SERVER, 5060, b, n);
    n = call_msg(b, sizeof(b), "SIP/2.0 180 Ringing", "z9hG4bKi1", 1,
                 "INVITE", "b1", "");
    h_udp(h, 0, 11, T0 + 100 * MS, SERVER, 5060, PHONE, 5060, b, n);
    n = call_msg(b, sizeof(b), "SIP/2.0 200 OK", "z9hG4bKi1", 1, "INVITE",
                 "b1", "");
    h_udp(h, 0, 12, T0 + 1500 * MS, SERVER, 5060, PHONE, 5060, b, n);
    n = call_msg(b, sizeof(b), "ACK sip:bob@" FAR " SIP/2.0", "z9hG4bKa1", 1,
                 "ACK", "b1", "");
    h_udp(h, 0, 13, T0 + 1510 * MS, PHONE, 5060, SERVER, 5060, b, n);
    n = call_msg(b, sizeof(b), "BYE sip:bob@" FAR " SIP/2.0", "z9hG4bKy1", 2,
                 "BYE", "b1", "");
    h_udp(h, 0, 14, T0 + 6500 * MS, PHONE, 5060, SERVER, 5060, b, n);
    n = call_msg(b, sizeof(b), "SIP/2.0 200 OK", "z9hG4bKy1", 2, "BYE", "b1",
                 "");
    h_udp(h, 0, 15, T0 + 6510 * MS, SERVER, 5060, PHONE, 5060, b, n);
    h_end(h);
    ck_assert_uint_eq(h->seen.ncall, 1);
    c = &h->seen.call[0];
    ck_assert_str_eq(c->call_id, "call-7");
    ck_assert_str_eq(c->state, "ended");
    ck_assert_uint_eq(c->first_packet, 10);
    ck_assert_int_eq(c->setup_us, 1500 * MS);
    ck_assert_int_eq(c->duration_us, 5000 * MS);
    ck_assert_int_eq(c->final_status, 200);
    ck_assert_uint_eq(c->messages, 6);
    ck_assert_uint_eq(c->retransmissions, 0);
    ck_assert_uint_eq(h->seen.nfind, 0);
    h_free(h);
}
END_TEST

/* The 200 repeats on the UAS schedule and no ACK ever comes. */
START_TEST(test_2xx_no_ack)
{
    static const int64_t g_ms[] = { 0, 500, 1500, 3500, 7500, 11500, 15500,
                                    19500, 23500, 27500, 31500 };
    struct harness *h = h_new(NULL);
    char b[2048];
    size_t n, i;
    const struct seen_finding *f;

    n = call_msg(b, sizeof(b), "INVITE sip:bob@" SERVER " SIP/2.0",
                 "z9hG4bKi2", 1, "INVITE", "", sdp_phone);
    h_udp(h, 0, 1, T0, PHONE, 5060, SERVER, 5060, b, n);
    n = call_msg(b, sizeof(b), "SIP/2.0 200 OK", "z9hG4bKi2", 1, "INVITE",
                 "b2", "");
    for (i = 0; i < 11; i++)
        h_udp(h, 0, 2 + i, T0 + SEC + g_ms[i] * MS, SERVER, 5060, PHONE,
              5060, b, n);
    /* Packet time moves on past Timer H. */
    h_udp(h, 1, 50, T0 + 40 * SEC, PHONE, 4000, FAR, 30000, "\x80", 1);
    h_end(h);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_2xx_no_ack"), 1);
    f = find_kind(&h->seen, "sip_2xx_no_ack");
    ck_assert_uint_eq(f->first_packet, 2);
    ck_assert_ptr_nonnull(strstr(f->summary, "200 answer to INVITE (Call-ID "
                                             "call-7) from " SERVER ":5060 to "
                                             PHONE ":5060 sent 11 times"));
    ck_assert_uint_eq(count_kind(&h->seen, "sip_retransmissions"), 0);
    h_free(h);
}
END_TEST

/* --- NAT and ALG signatures on one message ------------------------------- */

struct nat_case {
    struct sip_msg msg;
    struct sdp sdp;
    struct analyzer_sip_nat_hit hits[ANALYZER_SIP_NAT_SIG_COUNT];
    char buf[4096];
};

/* Runs the signatures on text seen from src to dst (UDP, complete). */
static size_t nat_run(struct nat_case *c, const char *text, size_t len,
                      const char *src, const char *dst, bool datagram)
{
    struct analyzer_sip_nat_input in;
    bool has_sdp;

    memset(&in, 0, sizeof(in));
    memcpy(c->buf, text, len);
    sip_parse((const uint8_t *)c->buf, len, &c->msg);
    ck_assert_uint_gt(c->msg.header_len, 0);
    has_sdp = c->msg.body.len > 0 &&
              sdp_parse((const uint8_t *)c->msg.body.ptr, c->msg.body.len,
                        &c->sdp) == SDP_OK;
    in.msg = &c->msg;
    in.sdp = has_sdp ? &c->sdp : NULL;
    in.raw = (const uint8_t *)c->buf;
    in.raw_len = len;
    set_ip(&in.src, src);
    set_ip(&in.dst, dst);
    in.sport = 5060;
    in.dport = 5060;
    in.datagram = datagram;
    in.complete = true;
    return analyzer_sip_nat_check(&in, c->hits, ANALYZER_SIP_NAT_SIG_COUNT);
}

static struct nat_case *nat_new(void)
{
    struct nat_case *c = calloc(1, sizeof(*c));

    ck_assert_ptr_nonnull(c);
    return c;
}

/* A response on the LAN side, as the phone receives it. */
static size_t lan_response(char *out, size_t cap, const char *received)
{
    char h[1024];

    snprintf(h, sizeof(h),
             "SIP/2.0 200 OK\r\n"
             "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKx;rport=5060;"
             "received=%s\r\n"
             "From: <sip:alice@" SERVER ">;tag=f\r\n"
             "To: <sip:alice@" SERVER ">;tag=t\r\n"
             "Call-ID: c1\r\n"
             "CSeq: 2 REGISTER\r\n", received);
    return msg_build(out, cap, h, "");
}

START_TEST(test_a1_received_private)
{
    struct nat_case *c = nat_new();
    char b[2048];
    size_t n = lan_response(b, sizeof(b), PHONE);

    ck_assert_uint_eq(nat_run(c, b, n, SERVER, PHONE, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_RECEIVED_PRIVATE);
    ck_assert_str_eq(c->hits[0].evidence,
                     "Via received=" PHONE " in 200 OK (CSeq 2 REGISTER) "
                     "from public " SERVER);
    ck_assert_ptr_nonnull(strstr(c->hits[0].why, "phone's own address"));
    ck_assert_str_eq(analyzer_sip_nat_kind(c->hits[0].sig),
                     "sip_alg_suspected");
    ck_assert_int_eq(analyzer_sip_nat_severity(c->hits[0].sig),
                     FINDING_ERROR);
    free(c);
}
END_TEST

/* Plain NAT done right, LAN side: a private sent-by answered with the
 * router's public received= and rport (signature A2, the baseline). */
START_TEST(test_plain_nat_lan_silent)
{
    struct nat_case *c = nat_new();
    char b[2048];
    size_t n = lan_response(b, sizeof(b), ROUTER);
    size_t nr;

    ck_assert_uint_eq(nat_run(c, b, n, SERVER, PHONE, true), 0);
    nr = msg_build(b, sizeof(b), register_hdrs, "");
    ck_assert_uint_eq(nat_run(c, b, nr, PHONE, SERVER, true), 0);
    /* A LAN-side server (a PBX) legitimately sees private addresses. */
    n = lan_response(b, sizeof(b), PHONE);
    ck_assert_uint_eq(nat_run(c, b, n, "192.168.1.2", PHONE, true), 0);
    free(c);
}
END_TEST

static size_t wan_invite(char *out, size_t cap, const char *via_host,
                         const char *extra_via, const char *call_id,
                         const char *contact_host, const char *sdp)
{
    char h[2048];

    snprintf(h, sizeof(h),
             "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
             "%s"
             "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKw\r\n"
             "From: <sip:alice@" SERVER ">;tag=f\r\n"
             "To: <sip:bob@" SERVER ">\r\n"
             "Call-ID: %s\r\n"
             "CSeq: 1 INVITE\r\n"
             "Contact: <sip:alice@%s:5060>\r\n"
             "Content-Type: application/sdp\r\n",
             extra_via, via_host, call_id, contact_host);
    return msg_build(out, cap, h, sdp);
}

static const char sdp_router[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 " ROUTER "\r\n"
    "s=-\r\n"
    "c=IN IP4 " ROUTER "\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\n";

/* Plain NAT seen from the WAN side: the phone's private addresses leave
 * from the router's public one, and nothing public is inside SIP. */
START_TEST(test_plain_nat_wan_silent)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), PHONE, "", "x@" PHONE, PHONE,
                          sdp_phone);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 0);
    free(c);
}
END_TEST

/* A SIP ALG that rewrites every address consistently cannot be told
 * from a phone with a public address on the WAN side. */
START_TEST(test_consistent_alg_wan_silent)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), ROUTER, "", "8d0e5c1f", ROUTER,
                          sdp_router);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 0);
    free(c);
}
END_TEST

START_TEST(test_a4_mixed)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), ROUTER, "", "abc@" PHONE, ROUTER,
                          sdp_router);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_MIXED);
    ck_assert_str_eq(c->hits[0].evidence,
                     "INVITE from " ROUTER ": Via sent-by, Contact, SDP o= "
                     "and SDP c= hold its public source address but Call-ID "
                     "host hold private " PHONE);
    ck_assert_int_eq(analyzer_sip_nat_severity(c->hits[0].sig),
                     FINDING_WARNING);
    free(c);
}
END_TEST

/* The same mix in a request a proxy forwarded (two Vias): the proxy may
 * have fixed Contact and SDP on purpose. */
START_TEST(test_a4_proxied_silent)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), ROUTER,
                          "Via: SIP/2.0/UDP " SERVER ";branch=z9hG4bKp\r\n",
                          "abc@" PHONE, ROUTER, sdp_router);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 0);
    free(c);
}
END_TEST

static const char sdp_ice_host_only[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 " ROUTER "\r\n"
    "s=-\r\n"
    "c=IN IP4 " ROUTER "\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\n"
    "a=candidate:1 1 UDP 2130706431 " PHONE " 4000 typ host\r\n";

static const char sdp_ice_srflx[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 " PHONE "\r\n"
    "s=-\r\n"
    "c=IN IP4 " ROUTER "\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\n"
    "a=candidate:1 1 UDP 2130706431 " PHONE " 4000 typ host\r\n"
    "a=candidate:2 1 UDP 1694498815 " ROUTER " 4000 typ srflx raddr "
    PHONE " rport 4000\r\n";

START_TEST(test_a4_ice)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), ROUTER, "", "8d0e5c1f", ROUTER,
                          sdp_ice_host_only);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_MIXED);
    ck_assert_ptr_nonnull(strstr(c->hits[0].evidence,
                                 "SDP c=" ROUTER " is none of its 1 ICE "
                                 "candidates"));
    free(c);
}
END_TEST

/* ICE done right: c= is the server-reflexive candidate, the host
 * candidate is private, o= still names the private address. */
START_TEST(test_a4_ice_srflx_silent)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), PHONE, "", "8d0e5c1f", PHONE,
                          sdp_ice_srflx);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 0);
    free(c);
}
END_TEST

START_TEST(test_a5_content_length)
{
    struct nat_case *c = nat_new();
    char b[4096];
    int n;

    /* The ALG wrote a longer address into the SDP and kept the length
     * the phone's shorter one had. */
    n = snprintf(b, sizeof(b),
                 "INVITE sip:bob@" SERVER " SIP/2.0\r\n"
                 "Via: SIP/2.0/UDP " PHONE ":5060;branch=z9hG4bKc\r\n"
                 "From: <sip:alice@" SERVER ">;tag=f\r\n"
                 "To: <sip:bob@" SERVER ">\r\n"
                 "Call-ID: cl-1\r\n"
                 "CSeq: 1 INVITE\r\n"
                 "Content-Type: application/sdp\r\n"
                 "Content-Length: %zu\r\n\r\n%s",
                 strlen(sdp_phone) - 4, sdp_phone);
    ck_assert_uint_eq(nat_run(c, b, (size_t)n, PHONE, SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_CONTENT_LENGTH);
    ck_assert_ptr_nonnull(strstr(c->hits[0].evidence,
                                 "but the body has 117 bytes in INVITE"));
    /* Over TCP Content-Length frames the message: not this signature. */
    ck_assert_uint_eq(nat_run(c, b, (size_t)n, PHONE, SERVER, false), 0);
    free(c);
}
END_TEST

/* Trailing CRLFs after the body are padding, not a rewrite. */
START_TEST(test_a5_padding_silent)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), PHONE, "", "8d0e5c1f", PHONE,
                          sdp_phone);

    memcpy(b + n, "\r\n\r\n", 4);
    ck_assert_uint_eq(nat_run(c, b, n + 4, PHONE, SERVER, true), 0);
    free(c);
}
END_TEST

START_TEST(test_a8_info_address)
{
    static const char sdp_forti[] =
        "v=0\r\n"
        "o=- 1 1 IN IP4 " ROUTER "\r\n"
        "s=-\r\n"
        "i=(o=IN IP4 " PHONE ")\r\n"
        "c=IN IP4 " ROUTER "\r\n"
        "t=0 0\r\n"
        "m=audio 4000 RTP/AVP 0\r\n";
    static const char sdp_info_text[] =
        "v=0\r\n"
        "o=- 1 1 IN IP4 " ROUTER "\r\n"
        "s=-\r\n"
        "i=Call from reception 1.2\r\n"
        "c=IN IP4 " ROUTER "\r\n"
        "t=0 0\r\n"
        "m=audio 4000 RTP/AVP 0\r\n";
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), ROUTER, "", "8d0e5c1f", ROUTER,
                          sdp_forti);

    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_INFO_ADDR);
    ck_assert_ptr_nonnull(strstr(c->hits[0].evidence, "holds private " PHONE
                                                      " while c= is " ROUTER));
    n = wan_invite(b, sizeof(b), ROUTER, "", "8d0e5c1f", ROUTER,
                   sdp_info_text);
    ck_assert_uint_eq(nat_run(c, b, n, ROUTER, SERVER, true), 0);
    free(c);
}
END_TEST

START_TEST(test_cgnat)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = lan_response(b, sizeof(b), "100.64.10.2");

    ck_assert_uint_eq(nat_run(c, b, n, SERVER, PHONE, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_CGNAT);
    ck_assert_str_eq(analyzer_sip_nat_kind(c->hits[0].sig), "cgnat");
    /* Between the home router and the carrier NAT. */
    n = wan_invite(b, sizeof(b), PHONE, "", "8d0e5c1f", PHONE, sdp_phone);
    ck_assert_uint_eq(nat_run(c, b, n, "100.64.10.2", SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_CGNAT);
    ck_assert_ptr_nonnull(strstr(c->hits[0].evidence,
                                 "leaves from 100.64.10.2 (Via sent-by "
                                 PHONE ")"));
    free(c);
}
END_TEST

START_TEST(test_double_nat)
{
    struct nat_case *c = nat_new();
    char b[4096];
    size_t n = wan_invite(b, sizeof(b), PHONE, "", "8d0e5c1f", PHONE,
                          sdp_phone);

    /* A request between two NATs: already translated, still private. */
    ck_assert_uint_eq(nat_run(c, b, n, "10.0.0.2", SERVER, true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_DOUBLE);
    ck_assert_str_eq(analyzer_sip_nat_kind(c->hits[0].sig), "double_nat");
    /* Its response on the way back, public received=. */
    n = lan_response(b, sizeof(b), "198.51.100.7");
    ck_assert_uint_eq(nat_run(c, b, n, SERVER, "10.0.0.2", true), 1);
    ck_assert_int_eq(c->hits[0].sig, ANALYZER_SIP_NAT_DOUBLE);
    ck_assert_ptr_nonnull(strstr(c->hits[0].why, PHONE " to 10.0.0.2 before "
                                                 "this point, 10.0.0.2 to "
                                                 "198.51.100.7 after it"));
    free(c);
}
END_TEST

/* --- NAT findings through the stage -------------------------------------- */

START_TEST(test_stage_alg_finding)
{
    struct profile *p = NULL;
    struct harness *h;
    char err[256], b[2048];
    size_t n;
    const struct seen_finding *f;

    ck_assert_int_eq(profile_load_default(&p, err, sizeof(err)), 0);
    h = h_new(p);
    n = lan_response(b, sizeof(b), PHONE);
    h_udp(h, 0, 14, T0, SERVER, 5060, PHONE, 5060, b, n);
    h_udp(h, 0, 16, T0 + SEC, SERVER, 5060, PHONE, 5060, b, n);
    h_end(h);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_alg_suspected"), 1);
    f = find_kind(&h->seen, "sip_alg_suspected");
    ck_assert_str_eq(f->requirement, "RIO-PHONE-ALG");
    ck_assert_uint_eq(f->first_packet, 14);
    ck_assert_uint_eq(f->flow_id, 100);
    ck_assert_str_eq(f->summary,
                     "Via received=" PHONE " in 200 OK (CSeq 2 REGISTER) "
                     "from public " SERVER " (frame 14; 2 messages of this "
                     "flow show it): the server can only have seen the "
                     "router's public address, so a SIP ALG on the path "
                     "rewrote the response back to the phone's own address "
                     "(disable SIP ALG)");
    h_free(h);
    profile_free(p);
}
END_TEST

/* A complete plain-NAT registration and call, LAN side, gives records
 * and no finding at all. */
START_TEST(test_stage_plain_nat_silent)
{
    struct harness *h = h_new(NULL);
    char b[2048];
    size_t n;

    n = msg_build(b, sizeof(b), register_hdrs, "");
    h_udp(h, 0, 1, T0, PHONE, 5060, SERVER, 5060, b, n);
    n = register_ok(b, sizeof(b), ROUTER, 5060, 1, 7);
    h_udp(h, 0, 2, T0 + 20 * MS, SERVER, 5060, PHONE, 5060, b, n);
    n = call_msg(b, sizeof(b), "INVITE sip:bob@" SERVER " SIP/2.0",
                 "z9hG4bKi9", 1, "INVITE", "", sdp_phone);
    h_udp(h, 0, 3, T0 + SEC, PHONE, 5060, SERVER, 5060, b, n);
    n = call_msg(b, sizeof(b), "SIP/2.0 200 OK", "z9hG4bKi9", 1, "INVITE",
                 "b9", "");
    h_udp(h, 0, 4, T0 + 2 * SEC, SERVER, 5060, PHONE, 5060, b, n);
    n = call_msg(b, sizeof(b), "ACK sip:bob@" FAR " SIP/2.0", "z9hG4bKa9", 1,
                 "ACK", "b9", "");
    h_udp(h, 0, 5, T0 + 2 * SEC + 10 * MS, PHONE, 5060, SERVER, 5060, b, n);
    h_end(h);
    ck_assert_uint_eq(h->seen.nmsg, 5);
    ck_assert_uint_eq(h->seen.nfind, 0);
    h_free(h);
}
END_TEST

START_TEST(test_stage_binding_changed)
{
    struct profile *p = NULL;
    struct harness *h;
    char err[256], b[2048];
    size_t n;
    const struct seen_finding *f;

    ck_assert_int_eq(profile_load_default(&p, err, sizeof(err)), 0);
    h = h_new(p);
    n = register_ok(b, sizeof(b), ROUTER, 5060, 1, 1);
    h_udp(h, 0, 6, T0, SERVER, 5060, PHONE, 5060, b, n);
    /* Same mapping at the next refresh: nothing. */
    n = register_ok(b, sizeof(b), ROUTER, 5060, 2, 2);
    h_udp(h, 0, 9, T0 + 60 * SEC, SERVER, 5060, PHONE, 5060, b, n);
    ck_assert_uint_eq(count_kind(&h->seen, "nat_rewrite"), 0);
    /* A new public port 90 s later, the phone's sent-by unchanged. */
    n = register_ok(b, sizeof(b), ROUTER, 61000, 3, 3);
    h_udp(h, 0, 12, T0 + 150 * SEC, SERVER, 5060, PHONE, 5060, b, n);
    ck_assert_uint_eq(count_kind(&h->seen, "nat_rewrite"), 1);
    f = find_kind(&h->seen, "nat_rewrite");
    ck_assert_int_eq(f->severity, FINDING_WARNING);
    ck_assert_str_eq(f->requirement, "RIO-PHONE-UDPTO");
    ck_assert_uint_eq(f->first_packet, 12);
    ck_assert_ptr_nonnull(strstr(f->summary, "changed from " ROUTER
                                             ":5060 (frame 9) to " ROUTER
                                             ":61000 within 90.0 s"));
    h_end(h);
    h_free(h);
    profile_free(p);
}
END_TEST

/* A phone with a public address (PUBPHONE) offers port 20000, the far
 * end answers 30000; RTP then leaves the offered address from 16384
 * (A6), or from 20000 (consistent). */
#define PUBPHONE "198.51.100.50"

static void media_call(struct harness *h, uint16_t rtp_sport)
{
    static const char offer[] =
        "v=0\r\no=- 1 1 IN IP4 " PUBPHONE "\r\ns=-\r\n"
        "c=IN IP4 " PUBPHONE "\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\n";
    static const char answer[] =
        "v=0\r\no=- 2 2 IN IP4 " FAR "\r\ns=-\r\nc=IN IP4 " FAR "\r\n"
        "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\n";
    char b[2048];
    size_t n;

    n = call_msg_at(b, sizeof(b), PUBPHONE,
                    "INVITE sip:bob@" SERVER " SIP/2.0", "z9hG4bKm1", 1,
                    "INVITE", "", offer);
    h_udp(h, 0, 1, T0, PUBPHONE, 5060, SERVER, 5060, b, n);
    n = call_msg_at(b, sizeof(b), PUBPHONE, "SIP/2.0 200 OK", "z9hG4bKm1", 1,
                    "INVITE", "m1", answer);
    h_udp(h, 0, 2, T0 + SEC, SERVER, 5060, PUBPHONE, 5060, b, n);
    h_udp(h, 1, 3, T0 + SEC + 20 * MS, PUBPHONE, rtp_sport, FAR, 30000,
          "\x80\x00\x00\x01", 4);
}

START_TEST(test_stage_media_port)
{
    struct harness *h = h_new(NULL);
    const struct seen_finding *f;

    media_call(h, 16384);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_alg_suspected"), 1);
    f = find_kind(&h->seen, "sip_alg_suspected");
    ck_assert_uint_eq(f->flow_id, 101);
    ck_assert_uint_eq(f->first_packet, 3);
    ck_assert_ptr_nonnull(strstr(f->summary, "RTP from " PUBPHONE ":16384 "
                                             "to " FAR ":30000 (frame 3)"));
    ck_assert_ptr_nonnull(strstr(f->summary, "m= port 20000"));
    h_end(h);
    h_free(h);
}
END_TEST

/* Both SDPs reach the table the media stage reads, offer and answer. */
START_TEST(test_stage_media_expect)
{
    struct harness *h = h_new(NULL);
    const struct media_expect_entry *e;
    struct ip_addr a;

    media_call(h, 20000);
    set_ip(&a, PUBPHONE);
    e = media_expect_lookup(h->media, &a, 20000, T0 + 2 * SEC);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->call_id, "call-7");
    ck_assert_uint_eq(e->sdp_packet, 1);
    ck_assert(e->from_offer);
    ck_assert_uint_eq(e->n_pt, 1);
    ck_assert_uint_eq(e->pt[0], 0);
    set_ip(&a, FAR);
    e = media_expect_lookup(h->media, &a, 30000, T0 + 2 * SEC);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->sdp_packet, 2);
    ck_assert(!e->from_offer);
    h_end(h);
    h_free(h);
}
END_TEST

START_TEST(test_stage_media_port_silent)
{
    struct harness *h = h_new(NULL);

    media_call(h, 20000);
    h_end(h);
    ck_assert_uint_eq(count_kind(&h->seen, "sip_alg_suspected"), 0);
    h_free(h);
}
END_TEST

static Suite *analyzer_sip_suite(void)
{
    Suite *s = suite_create("analyzer_sip");
    TCase *tc;

    tc = tcase_create("records");
    tcase_add_test(tc, test_record_register);
    tcase_add_test(tc, test_record_response_and_sdp);
    tcase_add_test(tc, test_record_malformed_and_not_sip);
    tcase_add_test(tc, test_record_retransmission_flag);
    suite_add_tcase(s, tc);

    tc = tcase_create("tcp");
    tcase_add_test(tc, test_tcp_two_messages_one_segment);
    tcase_add_test(tc, test_tcp_across_segments);
    tcase_add_test(tc, test_tcp_out_of_order);
    tcase_add_test(tc, test_tcp_not_sip);
    suite_add_tcase(s, tc);

    tc = tcase_create("transactions");
    tcase_add_test(tc, test_no_response);
    tcase_add_test(tc, test_retransmissions);
    tcase_add_test(tc, test_call_record);
    tcase_add_test(tc, test_2xx_no_ack);
    suite_add_tcase(s, tc);

    tc = tcase_create("signatures");
    tcase_add_test(tc, test_a1_received_private);
    tcase_add_test(tc, test_plain_nat_lan_silent);
    tcase_add_test(tc, test_plain_nat_wan_silent);
    tcase_add_test(tc, test_consistent_alg_wan_silent);
    tcase_add_test(tc, test_a4_mixed);
    tcase_add_test(tc, test_a4_proxied_silent);
    tcase_add_test(tc, test_a4_ice);
    tcase_add_test(tc, test_a4_ice_srflx_silent);
    tcase_add_test(tc, test_a5_content_length);
    tcase_add_test(tc, test_a5_padding_silent);
    tcase_add_test(tc, test_a8_info_address);
    tcase_add_test(tc, test_cgnat);
    tcase_add_test(tc, test_double_nat);
    suite_add_tcase(s, tc);

    tc = tcase_create("stage_findings");
    tcase_add_test(tc, test_stage_alg_finding);
    tcase_add_test(tc, test_stage_plain_nat_silent);
    tcase_add_test(tc, test_stage_binding_changed);
    tcase_add_test(tc, test_stage_media_port);
    tcase_add_test(tc, test_stage_media_port_silent);
    tcase_add_test(tc, test_stage_media_expect);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(analyzer_sip_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
