/* Unit tests for classification (classify.h): the decision order on
 * hand-built evidence, and the stage on packets run through the real
 * decoder and flow table (TLS and DTLS SNI, HTTP Host, passive DNS, DNS
 * rows and dns_failure findings, the TLS handshake facts).
 *
 * Packets are IPv4 datagrams (link type RAW).  IP and transport headers
 * come from build_ip(); the payloads (DNS messages, TLS records, HTTP)
 * are spelled out with a comment per part.  Checksums are zero: nothing
 * here verifies them.  All tests use the built-in profile. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "classify.h"
#include "decode.h"
#include "dns.h"
#include "dns_record.h"
#include "finding.h"
#include "flow.h"
#include "flow_table.h"
#include "profile.h"
#include "tls.h"

#define T0 INT64_C(1700000000000000)
#define MS INT64_C(1000)
#define SEC INT64_C(1000000)

#define TCP 6
#define UDP 17
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

static struct profile *prof;

static void load_profile(void)
{
    char err[PROFILE_ERR_MAX];

    ck_assert_msg(profile_load_default(&prof, err, sizeof(err)) == 0, "%s",
                  err);
}

static void free_profile(void)
{
    profile_free(prof);
    prof = NULL;
}

/* ------------------------------------------------------------------ */
/* The decision on hand-built evidence */

static struct classify_evidence ev_make(uint8_t proto, const char *server,
                                        uint16_t sport_server)
{
    struct classify_evidence ev;

    memset(&ev, 0, sizeof(ev));
    ev.proto = proto;
    ck_assert_int_eq(ipaddr_parse(server, &ev.server_ip), 0);
    ev.server_port = sport_server;
    ck_assert_int_eq(ipaddr_parse("192.168.1.10", &ev.client_ip), 0);
    ev.client_port = 50000;
    return ev;
}

static struct classify_decision decide(const struct classify_evidence *ev)
{
    struct classify_decision d;

    classify_decide(prof, ev, &d);
    return d;
}

START_TEST(test_sni_beats_range)
{
    /* 54.172.61.20 is in twilio-nts (TCP 443 rule of twilio-turn): the
     * README's trap.  The SNI names the signaling gateway. */
    struct classify_evidence ev = ev_make(TCP, "54.172.61.20", 443);
    struct classify_decision d;

    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "twilio-turn");
    ck_assert_int_eq(d.by, FLOW_BY_RANGE);
    ck_assert_ptr_null(d.hostname);

    ev.sni = "chunderw-vpc-gll.twilio.com";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "twilio-signaling");
    ck_assert_int_eq(d.by, FLOW_BY_SNI);
    ck_assert_str_eq(d.hostname, "chunderw-vpc-gll.twilio.com");
    ck_assert_ptr_nonnull(d.cls);
}
END_TEST

START_TEST(test_name_order)
{
    struct classify_evidence ev = ev_make(TCP, "199.7.173.10", 443);
    struct classify_decision d;

    ev.sni = "eventgw.twilio.com";
    ev.http_host = "lab-web.ring.io";
    ev.dns_name = "chunderw-vpc-gll.twilio.com";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "twilio-insights");
    ck_assert_int_eq(d.by, FLOW_BY_SNI);

    ev.sni = "";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-web");
    ck_assert_int_eq(d.by, FLOW_BY_HTTP_HOST);
    ck_assert_str_eq(d.hostname, "lab-web.ring.io");

    ev.http_host = NULL;
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "twilio-signaling");
    ck_assert_int_eq(d.by, FLOW_BY_DNS);

    /* A name the profile does not know gives way to the range, but is
     * still the flow's hostname. */
    ev.dns_name = "www.example.com";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-web");
    ck_assert_int_eq(d.by, FLOW_BY_RANGE);
    ck_assert_str_eq(d.hostname, "www.example.com");
}
END_TEST

START_TEST(test_range_beats_ndpi)
{
    struct classify_evidence ev = ev_make(UDP, "168.86.128.10", 10000);
    struct classify_decision d;

    ev.ndpi_proto = "STUN";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "twilio-media");
    ck_assert_int_eq(d.by, FLOW_BY_RANGE);

    /* Outside the range's ports, nDPI decides. */
    ev.server_port = 9999;
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "stun");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);
}
END_TEST

START_TEST(test_client_range)
{
    /* RTP the provider sent first: the flow's client is the provider. */
    struct classify_evidence ev = ev_make(UDP, "203.0.113.2", 16384);
    struct classify_decision d;

    ck_assert_int_eq(ipaddr_parse("199.7.172.20", &ev.client_ip), 0);
    ev.client_port = 30000;
    ev.ndpi_proto = "RTP";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-media");
    ck_assert_int_eq(d.by, FLOW_BY_RANGE);
}
END_TEST

START_TEST(test_ndpi_beats_port)
{
    struct classify_evidence ev = ev_make(TCP, "203.0.113.9", 443);
    struct classify_decision d;

    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "tls");
    ck_assert_int_eq(d.by, FLOW_BY_PORT);

    ev.ndpi_proto = "SIP";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "sip");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);

    /* A port-only profile class also gives way to nDPI... */
    ev.server_port = 5222;
    ev.ndpi_proto = "HTTP";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "http");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);

    /* ...XMPP maps onto it... */
    ev.ndpi_proto = "Jabber";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-xmpp");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);

    /* ...and without nDPI the port decides. */
    ev.ndpi_proto = "Unknown";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-xmpp");
    ck_assert_int_eq(d.by, FLOW_BY_PORT);
}
END_TEST

START_TEST(test_third_party)
{
    struct classify_evidence ev = ev_make(TCP, "93.184.216.34", 443);
    struct classify_decision d;

    ev.sni = "www.example.com";
    ev.ndpi_proto = "TLS.Google";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "tls");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);
    ck_assert_str_eq(d.hostname, "www.example.com");

    ev = ev_make(UDP, "203.0.113.9", 5060);
    ev.ndpi_proto = "SIP";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "sip");
    ck_assert_int_eq(d.by, FLOW_BY_NDPI);
}
END_TEST

START_TEST(test_well_known_ports)
{
    struct classify_evidence ev = ev_make(UDP, "198.51.100.53", 53);
    struct classify_decision d;

    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "dns");
    ck_assert_int_eq(d.by, FLOW_BY_PORT);
    ev = ev_make(TCP, "203.0.113.9", 8080);
    ck_assert_str_eq(decide(&ev).class_name, "http");
    ev = ev_make(UDP, "203.0.113.9", 3478);
    ck_assert_str_eq(decide(&ev).class_name, "stun");
    ev = ev_make(TCP, "203.0.113.9", 5061);
    ck_assert_str_eq(decide(&ev).class_name, "sip");
    /* QUIC on UDP 443 is not TLS by port. */
    ev = ev_make(UDP, "203.0.113.9", 443);
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "other");
    ck_assert_int_eq(d.by, FLOW_BY_NONE);
    ck_assert_ptr_null(d.hostname);
}
END_TEST

START_TEST(test_name_without_port)
{
    /* The provider's host on a port no rule of its names covers: the
     * port-only class comes first, then well-known ports, then the
     * name. */
    struct classify_evidence ev = ev_make(TCP, "203.0.113.77", 5222);
    struct classify_decision d;

    ev.dns_name = "lab-xmpp.ring.io";
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-xmpp");
    ck_assert_int_eq(d.by, FLOW_BY_PORT);
    ck_assert_str_eq(d.hostname, "lab-xmpp.ring.io");

    ev.server_port = 8443;
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "provider-web");
    ck_assert_int_eq(d.by, FLOW_BY_DNS);

    /* ICMP is no class's traffic, whatever the name. */
    ev.proto = 1;
    ev.server_port = 0;
    d = decide(&ev);
    ck_assert_str_eq(d.class_name, "other");
    ck_assert_str_eq(d.hostname, "lab-xmpp.ring.io");
}
END_TEST

START_TEST(test_ndpi_generic)
{
    ck_assert_str_eq(classify_ndpi_generic("TLS.AmazonAWS"), "tls");
    ck_assert_str_eq(classify_ndpi_generic("DTLS"), "tls");
    ck_assert_str_eq(classify_ndpi_generic("HTTP.Google"), "http");
    ck_assert_str_eq(classify_ndpi_generic("STUN.AmazonAWS"), "stun");
    ck_assert_str_eq(classify_ndpi_generic("RTCP"), "rtp");
    ck_assert_str_eq(classify_ndpi_generic("DNS"), "dns");
    ck_assert_str_eq(classify_ndpi_generic("Jabber"), "xmpp");
    ck_assert_str_eq(classify_ndpi_generic("Google.TLS"), "tls");
    ck_assert_ptr_null(classify_ndpi_generic("AmazonAWS"));
    ck_assert_ptr_null(classify_ndpi_generic("QUIC.Google"));
    ck_assert_ptr_null(classify_ndpi_generic("TLSx"));
    ck_assert_ptr_null(classify_ndpi_generic("Unknown"));
    ck_assert_ptr_null(classify_ndpi_generic(""));
    ck_assert_ptr_null(classify_ndpi_generic(NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* The stage: decoder, flow table and classify_ops together */

#define MAX_ROWS 32

struct saved_dns {
    uint64_t packet, response_packet;
    uint16_t dns_id;
    int64_t ttl_min, response_us;
    char name[DNS_NAME_MAX];
    char type[16];
    char rcode[16];             /* "-" for NULL */
    char answers[256];          /* "-" for NULL */
};

struct saved_finding {
    char kind[32];
    char requirement[32];       /* "-" for NULL */
    enum finding_severity severity;
    uint64_t first_packet;
    char summary[FINDING_SUMMARY_MAX];
};

struct saved_flow {
    uint16_t server_port;
    uint16_t client_port;
    char cls[64];
    enum flow_classified_by by;
    char hostname[FLOW_HOSTNAME_MAX];
    char ndpi[FLOW_NDPI_NAME_MAX];
    bool tls_seen, tls_established, tls_alert_seen;
    uint16_t tls_version;
    uint8_t tls_alert;
    enum flow_dir tls_alert_dir;
    char tls_alpn[FLOW_TLS_ALPN_MAX];
};

struct harness {
    void *stage;
    struct decoder *dec;
    struct flow_table *ft;
    struct flow_table_config cfg;
    uint64_t num;
    struct saved_dns dns[MAX_ROWS];
    size_t n_dns;
    struct saved_finding findings[MAX_ROWS];
    size_t n_findings;
    struct saved_flow flows[MAX_ROWS];
    size_t n_flows;
};

static struct harness h;

static void copy_or_dash(char *dst, size_t len, const char *s)
{
    snprintf(dst, len, "%s", s ? s : "-");
}

static void h_record(void *arg, enum record_kind kind, const void *rec)
{
    struct harness *hh = arg;

    if (kind == RECORD_DNS) {
        const struct dns_record *r = rec;
        struct saved_dns *s = &hh->dns[hh->n_dns++];

        ck_assert_uint_le(hh->n_dns, MAX_ROWS);
        s->packet = r->packet;
        s->response_packet = r->response_packet;
        s->dns_id = r->dns_id;
        s->ttl_min = r->ttl_min;
        s->response_us = r->response_us;
        copy_or_dash(s->name, sizeof(s->name), r->query_name);
        copy_or_dash(s->type, sizeof(s->type), r->query_type);
        copy_or_dash(s->rcode, sizeof(s->rcode), r->rcode);
        copy_or_dash(s->answers, sizeof(s->answers), r->answers);
    } else if (kind == RECORD_FINDING) {
        const struct finding *fd = rec;
        struct saved_finding *s = &hh->findings[hh->n_findings++];

        ck_assert_uint_le(hh->n_findings, MAX_ROWS);
        copy_or_dash(s->kind, sizeof(s->kind), fd->kind);
        copy_or_dash(s->requirement, sizeof(s->requirement),
                     fd->requirement);
        s->severity = fd->severity;
        s->first_packet = fd->first_packet;
        snprintf(s->summary, sizeof(s->summary), "%s", fd->summary);
    }
}

static void h_flow_end(void *arg, struct flow *f, enum flow_end_reason why)
{
    struct harness *hh = arg;
    struct saved_flow *s = &hh->flows[hh->n_flows++];

    ck_assert_uint_le(hh->n_flows, MAX_ROWS);
    classify_ops.flow_end(hh->stage, f, f->ext, why);
    s->server_port = f->server_port;
    s->client_port = f->client_port;
    snprintf(s->cls, sizeof(s->cls), "%s", f->class_name);
    s->by = f->classified_by;
    snprintf(s->hostname, sizeof(s->hostname), "%s", f->hostname);
    snprintf(s->ndpi, sizeof(s->ndpi), "%s", f->ndpi_proto);
    s->tls_seen = f->tls_seen;
    s->tls_established = f->tls_established;
    s->tls_alert_seen = f->tls_alert_seen;
    s->tls_version = f->tls_version;
    s->tls_alert = f->tls_alert;
    s->tls_alert_dir = f->tls_alert_dir;
    snprintf(s->tls_alpn, sizeof(s->tls_alpn), "%s", f->tls_alpn);
}

static void stage_setup(void)
{
    struct analyzer_env env;
    struct decoder_config dcfg;

    load_profile();
    memset(&h, 0, sizeof(h));
    memset(&env, 0, sizeof(env));
    env.profile = prof;
    env.emit.record = h_record;
    env.emit.arg = &h;
    h.stage = classify_ops.create(&env);
    ck_assert_ptr_nonnull(h.stage);
    classify_ops.capture_begin(h.stage, NULL);
    decoder_config_defaults(&dcfg);
    h.dec = decoder_new(&dcfg);
    ck_assert_ptr_nonnull(h.dec);
    flow_table_config_defaults(&h.cfg);
    h.cfg.ext_size = classify_ops.flow_state_size;
    h.ft = flow_table_new(&h.cfg, h_flow_end, &h);
    ck_assert_ptr_nonnull(h.ft);
}

/* Ends every flow (as at the end of a capture), then frees. */
static void h_finish(void)
{
    flow_table_free(h.ft);
    h.ft = NULL;
}

static void stage_teardown(void)
{
    flow_table_free(h.ft);
    decoder_free(h.dec);
    classify_ops.destroy(h.stage);
    free_profile();
}

/* IPv4 (20 bytes, DF, TTL 64) + UDP (8) or TCP (20, window 64240)
 * around payload.  Returns the datagram's length. */
static size_t build_ip(uint8_t *b, uint8_t proto, const char *src,
                       uint16_t sport, const char *dst, uint16_t dport,
                       uint32_t seq, uint32_t ack, uint8_t flags,
                       const uint8_t *payload, size_t len)
{
    size_t l4 = proto == TCP ? 20 : 8;
    size_t total = 20 + l4 + len;
    struct in_addr a;

    memset(b, 0, 20 + l4);
    /* IPv4: version 4, IHL 5, total length, DF, TTL 64, protocol */
    b[0] = 0x45;
    b[2] = (uint8_t)(total >> 8);
    b[3] = (uint8_t)total;
    b[6] = 0x40;
    b[8] = 64;
    b[9] = proto;
    ck_assert_int_eq(inet_pton(AF_INET, src, &a), 1);
    memcpy(b + 12, &a, 4);
    ck_assert_int_eq(inet_pton(AF_INET, dst, &a), 1);
    memcpy(b + 16, &a, 4);
    /* Ports */
    b[20] = (uint8_t)(sport >> 8);
    b[21] = (uint8_t)sport;
    b[22] = (uint8_t)(dport >> 8);
    b[23] = (uint8_t)dport;
    if (proto == UDP) {
        /* UDP: length */
        b[24] = (uint8_t)((8 + len) >> 8);
        b[25] = (uint8_t)(8 + len);
    } else {
        /* TCP: seq, ack, data offset 5, flags, window */
        b[24] = (uint8_t)(seq >> 24);
        b[25] = (uint8_t)(seq >> 16);
        b[26] = (uint8_t)(seq >> 8);
        b[27] = (uint8_t)seq;
        b[28] = (uint8_t)(ack >> 24);
        b[29] = (uint8_t)(ack >> 16);
        b[30] = (uint8_t)(ack >> 8);
        b[31] = (uint8_t)ack;
        b[32] = 0x50;
        b[33] = flags;
        b[34] = 0xfa;
        b[35] = 0xf0;
    }
    if (len > 0)
        memcpy(b + 20 + l4, payload, len);
    return total;
}

/* Runs one datagram through decoder, flow table and stage at time ts.
 * Returns its frame number. */
static uint64_t h_send(uint8_t proto, const char *src, uint16_t sport,
                       const char *dst, uint16_t dport, uint32_t seq,
                       uint32_t ack, uint8_t flags, const void *payload,
                       size_t len, int64_t ts)
{
    static uint8_t buf[2048];
    struct pkt pkt;
    struct decoded d;
    struct flow *f;
    enum flow_dir dir;
    bool created;

    ck_assert_uint_le(len, sizeof(buf) - 40);
    memset(&pkt, 0, sizeof(pkt));
    pkt.data = buf;
    pkt.caplen = (uint32_t)build_ip(buf, proto, src, sport, dst, dport, seq,
                                    ack, flags, payload, len);
    pkt.wirelen = pkt.caplen;
    pkt.ts_us = ts;
    pkt.num = ++h.num;
    pkt.linktype = 12;          /* DLT_RAW */
    ck_assert_int_eq(decode_packet(h.dec, &pkt, &d), DECODE_OK);
    f = flow_table_update(h.ft, &pkt, &d, &created, &dir);
    ck_assert_ptr_nonnull(f);
    if (created)
        f->id = pkt.num;
    classify_ops.packet(h.stage, f, f->ext, &pkt, &d, dir);
    return pkt.num;
}

static const struct saved_flow *flow_by_ports(uint16_t client,
                                              uint16_t server)
{
    size_t i;

    for (i = 0; i < h.n_flows; i++)
        if (h.flows[i].client_port == client &&
            h.flows[i].server_port == server)
            return &h.flows[i];
    ck_abort_msg("no flow %u -> %u", client, server);
    return NULL;
}

static const struct saved_dns *dns_row(const char *name, const char *type)
{
    size_t i;

    for (i = 0; i < h.n_dns; i++)
        if (strcmp(h.dns[i].name, name) == 0 &&
            strcmp(h.dns[i].type, type) == 0)
            return &h.dns[i];
    ck_abort_msg("no dns row %s %s", name, type);
    return NULL;
}

/* --- DNS messages ---------------------------------------------------- */

/* Writes a name as DNS labels (RFC 1035 3.1). */
static size_t dns_name(uint8_t *b, const char *name)
{
    size_t n = 0;
    const char *s = name;

    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);

        b[n++] = (uint8_t)l;
        memcpy(b + n, s, l);
        n += l;
        s += l;
        if (*s == '.')
            s++;
    }
    b[n++] = 0;
    return n;
}

/* A query (answer 0) or a response with rcode and, when a4 is non-NULL,
 * one A record for the question name with the given TTL. */
static size_t dns_msg(uint8_t *b, uint16_t id, bool response, uint8_t rcode,
                      const char *qname, uint16_t qtype, const char *a4,
                      uint32_t ttl)
{
    size_t n = 12;
    struct in_addr a;

    memset(b, 0, 12);
    /* Header: id, flags (QR, RD, RA, rcode), qdcount 1, ancount */
    b[0] = (uint8_t)(id >> 8);
    b[1] = (uint8_t)id;
    b[2] = response ? 0x81 : 0x01;
    b[3] = response ? (uint8_t)(0x80 | rcode) : 0x00;
    b[5] = 1;
    b[7] = a4 ? 1 : 0;
    /* Question: name, type, class IN */
    n += dns_name(b + n, qname);
    b[n++] = (uint8_t)(qtype >> 8);
    b[n++] = (uint8_t)qtype;
    b[n++] = 0;
    b[n++] = 1;
    if (a4) {
        /* Answer: pointer to the question name, A, IN, TTL, 4 bytes */
        b[n++] = 0xc0;
        b[n++] = 0x0c;
        b[n++] = 0;
        b[n++] = 1;
        b[n++] = 0;
        b[n++] = 1;
        b[n++] = (uint8_t)(ttl >> 24);
        b[n++] = (uint8_t)(ttl >> 16);
        b[n++] = (uint8_t)(ttl >> 8);
        b[n++] = (uint8_t)ttl;
        b[n++] = 0;
        b[n++] = 4;
        ck_assert_int_eq(inet_pton(AF_INET, a4, &a), 1);
        memcpy(b + n, &a, 4);
        n += 4;
    }
    return n;
}

static const char phone[] = "192.168.1.10";
static const char resolver[] = "198.51.100.53";

static uint64_t send_dns(uint16_t cport, bool response, uint16_t id,
                         uint8_t rcode, const char *qname, uint16_t qtype,
                         const char *a4, int64_t ts)
{
    uint8_t m[512];
    size_t n = dns_msg(m, id, response, rcode, qname, qtype, a4, 60);

    if (response)
        return h_send(UDP, resolver, 53, phone, cport, 0, 0, 0, m, n, ts);
    return h_send(UDP, phone, cport, resolver, 53, 0, 0, 0, m, n, ts);
}

START_TEST(test_dns_name_after_answer)
{
    const char *gw = "54.172.61.20";
    const struct saved_flow *before, *after;
    const struct saved_dns *r;

    /* A connection opened before the answer... */
    h_send(TCP, phone, 50001, gw, 443, 1000, 0, TH_SYN, NULL, 0, T0);
    send_dns(40000, false, 0x4000, 0, "chunderw-vpc-gll.twilio.com", 1,
             NULL, T0 + 1 * MS);
    send_dns(40000, true, 0x4000, 0, "chunderw-vpc-gll.twilio.com", 1, gw,
             T0 + 2 * MS);
    /* ...one after it, and the first one's SYN again. */
    h_send(TCP, phone, 50002, gw, 443, 2000, 0, TH_SYN, NULL, 0,
           T0 + 3 * MS);
    h_send(TCP, phone, 50001, gw, 443, 1000, 0, TH_SYN, NULL, 0,
           T0 + 4 * MS);
    h_finish();

    before = flow_by_ports(50001, 443);
    ck_assert_str_eq(before->cls, "twilio-turn");
    ck_assert_int_eq(before->by, FLOW_BY_RANGE);
    ck_assert_str_eq(before->hostname, "");
    after = flow_by_ports(50002, 443);
    ck_assert_str_eq(after->cls, "twilio-signaling");
    ck_assert_int_eq(after->by, FLOW_BY_DNS);
    ck_assert_str_eq(after->hostname, "chunderw-vpc-gll.twilio.com");

    ck_assert_uint_eq(h.n_dns, 1);
    r = dns_row("chunderw-vpc-gll.twilio.com", "A");
    ck_assert_uint_eq(r->packet, 2);
    ck_assert_uint_eq(r->response_packet, 3);
    ck_assert_uint_eq(r->dns_id, 0x4000);
    ck_assert_str_eq(r->rcode, "NOERROR");
    ck_assert_str_eq(r->answers, "A 54.172.61.20");
    ck_assert_int_eq(r->ttl_min, 60);
    ck_assert_int_eq(r->response_us, 1 * MS);
    ck_assert_str_eq(flow_by_ports(40000, 53)->cls, "dns");
    ck_assert_uint_eq(h.n_findings, 0);
}
END_TEST

START_TEST(test_dns_failures)
{
    const char *gll = "voice-js.roaming.twilio.com";
    const struct saved_dns *r;
    uint64_t q1, q3;

    /* NXDOMAIN for a name of twilio-gll (WEB-GLL-DNS), A and AAAA on the
     * same socket; the A response comes twice. */
    q1 = send_dns(40001, false, 0x1111, 0, gll, 1, NULL, T0);
    send_dns(40001, false, 0x1112, 0, gll, 28, NULL, T0 + 1 * MS);
    send_dns(40001, true, 0x1111, 3, gll, 1, NULL, T0 + 5 * MS);
    send_dns(40001, true, 0x1111, 3, gll, 1, NULL, T0 + 5 * MS + 3);
    send_dns(40001, true, 0x1112, 3, gll, 28, NULL, T0 + 6 * MS);
    /* NXDOMAIN for a name the profile does not know; the query twice
     * (a span-port copy). */
    send_dns(40002, false, 0x2222, 0, "www.example.com", 1, NULL,
             T0 + 20 * MS);
    send_dns(40002, false, 0x2222, 0, "www.example.com", 1, NULL,
             T0 + 20 * MS + 4);
    send_dns(40002, true, 0x2222, 3, "www.example.com", 1, NULL,
             T0 + 30 * MS);
    /* No answer at all; the next query on the socket comes 6.1 s later
     * and finds the first one timed out.  It is itself unanswered when
     * the capture ends 0 s after it: no rcode can be told. */
    q3 = send_dns(40003, false, 0x3333, 0, "eventgw.twilio.com", 1, NULL,
                  T0 + 100 * MS);
    send_dns(40003, false, 0x3334, 0, "lab-web.ring.io", 1, NULL,
             T0 + 6200 * MS);
    h_finish();

    ck_assert_uint_eq(h.n_dns, 5);
    r = dns_row(gll, "A");
    ck_assert_uint_eq(r->packet, q1);
    ck_assert_str_eq(r->rcode, "NXDOMAIN");
    ck_assert_str_eq(r->answers, "-");
    ck_assert_int_eq(r->ttl_min, -1);
    ck_assert_int_eq(r->response_us, 5 * MS);
    ck_assert_str_eq(dns_row(gll, "AAAA")->rcode, "NXDOMAIN");
    r = dns_row("www.example.com", "A");
    ck_assert_uint_eq(r->packet, 6);
    ck_assert_str_eq(r->rcode, "NXDOMAIN");
    r = dns_row("eventgw.twilio.com", "A");
    ck_assert_uint_eq(r->packet, q3);
    ck_assert_str_eq(r->rcode, "TIMEOUT");
    ck_assert_uint_eq(r->response_packet, 0);
    ck_assert_int_eq(r->response_us, -1);
    ck_assert_str_eq(dns_row("lab-web.ring.io", "A")->rcode, "-");

    /* One finding per failing name of the profile and flow. */
    ck_assert_uint_eq(h.n_findings, 2);
    ck_assert_str_eq(h.findings[0].kind, "dns_failure");
    ck_assert_int_eq(h.findings[0].severity, FINDING_ERROR);
    ck_assert_str_eq(h.findings[0].requirement, "WEB-GLL-DNS");
    ck_assert_uint_eq(h.findings[0].first_packet, q1);
    ck_assert_ptr_nonnull(strstr(h.findings[0].summary, gll));
    ck_assert_ptr_nonnull(strstr(h.findings[0].summary, "NXDOMAIN"));
    ck_assert_str_eq(h.findings[1].kind, "dns_failure");
    ck_assert_str_eq(h.findings[1].requirement, "-");
    ck_assert_uint_eq(h.findings[1].first_packet, q3);
    ck_assert_ptr_nonnull(strstr(h.findings[1].summary,
                                 "eventgw.twilio.com"));
    ck_assert_ptr_nonnull(strstr(h.findings[1].summary, "no response"));
}
END_TEST

START_TEST(test_dns_over_tcp)
{
    uint8_t m[512], s[600];
    size_t n;
    const struct saved_dns *r;

    h_send(TCP, phone, 41000, resolver, 53, 100, 0, TH_SYN, NULL, 0, T0);
    h_send(TCP, resolver, 53, phone, 41000, 900, 101, TH_SYN | TH_ACK, NULL,
           0, T0 + 1 * MS);
    /* Query: 2-byte length, then the message, in one segment. */
    n = dns_msg(m + 2, 0x5555, false, 0, "sdk.twilio.com", 1, NULL, 0);
    m[0] = (uint8_t)(n >> 8);
    m[1] = (uint8_t)n;
    h_send(TCP, phone, 41000, resolver, 53, 101, 901, TH_PSH | TH_ACK, m,
           n + 2, T0 + 2 * MS);
    /* Response: its length prefix and first 5 bytes, then the rest. */
    n = dns_msg(s + 2, 0x5555, true, 0, "sdk.twilio.com", 1, "203.0.113.44",
                300);
    s[0] = (uint8_t)(n >> 8);
    s[1] = (uint8_t)n;
    h_send(TCP, resolver, 53, phone, 41000, 901, 103 + (uint32_t)n, TH_ACK,
           s, 7, T0 + 3 * MS);
    h_send(TCP, resolver, 53, phone, 41000, 908, 103 + (uint32_t)n,
           TH_PSH | TH_ACK, s + 7, n + 2 - 7, T0 + 4 * MS);
    /* A connection to the answered address afterwards. */
    h_send(TCP, phone, 50050, "203.0.113.44", 443, 7000, 0, TH_SYN, NULL, 0,
           T0 + 10 * MS);
    h_finish();

    ck_assert_uint_eq(h.n_dns, 1);
    r = dns_row("sdk.twilio.com", "A");
    ck_assert_str_eq(r->rcode, "NOERROR");
    ck_assert_str_eq(r->answers, "A 203.0.113.44");
    ck_assert_uint_eq(r->response_packet, 5);
    ck_assert_str_eq(flow_by_ports(50050, 443)->cls, "provider-web");
    ck_assert_int_eq(flow_by_ports(50050, 443)->by, FLOW_BY_DNS);
}
END_TEST

/* --- TLS ------------------------------------------------------------- */

/* A ClientHello for "www.example.com" offering h2 and http/1.1. */
static const uint8_t hello_example[] = {
    /* TLS record: handshake, TLS 1.0, length 104 */
    0x16, 0x03, 0x01, 0x00, 0x68,
    /* Handshake: client_hello, length 100; legacy_version TLS 1.2 */
    0x01, 0x00, 0x00, 0x64, 0x03, 0x03,
    /* random: 0x00..0x1f */
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
    0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    /* session_id empty; cipher_suites TLS_AES_128_GCM_SHA256; null
     * compression; extensions 57 bytes */
    0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x39,
    /* server_name: host_name "www.example.com" */
    0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f, 'w', 'w', 'w',
    '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
    /* ALPN: "h2", "http/1.1" */
    0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't',
    't', 'p', '/', '1', '.', '1',
    /* supported_versions: TLS 1.3 */
    0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,
    /* supported_groups: x25519 */
    0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,
};

/* A ClientHello for "sdk.twilio.com" (the provider's web assets). */
static const uint8_t hello_sdk[] = {
    /* TLS record: handshake, TLS 1.0, length 77 */
    0x16, 0x03, 0x01, 0x00, 0x4d,
    /* Handshake: client_hello, length 73; legacy_version TLS 1.2 */
    0x01, 0x00, 0x00, 0x49, 0x03, 0x03,
    /* random: 0x20..0x3f */
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
    0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    /* session_id empty; cipher_suites TLS_AES_128_GCM_SHA256; null
     * compression; extensions 30 bytes */
    0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x1e,
    /* server_name: host_name "sdk.twilio.com" */
    0x00, 0x00, 0x00, 0x13, 0x00, 0x11, 0x00, 0x00, 0x0e, 's', 'd', 'k',
    '.', 't', 'w', 'i', 'l', 'i', 'o', '.', 'c', 'o', 'm',
    /* supported_versions: TLS 1.3 */
    0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,
};

/* ServerHello choosing TLS 1.3, ChangeCipherSpec, and an encrypted
 * record of 50 bytes, in one segment. */
static const uint8_t server_flight[] = {
    /* TLS record: handshake, version 0x0303, length 58 */
    0x16, 0x03, 0x03, 0x00, 0x3a,
    /* Handshake: server_hello, length 54; legacy_version TLS 1.2 */
    0x02, 0x00, 0x00, 0x36, 0x03, 0x03,
    /* random: 0x40..0x5f */
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b,
    0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
    0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    /* session_id empty; TLS_AES_128_GCM_SHA256; null compression;
     * extensions 14 bytes */
    0x00, 0x13, 0x01, 0x00, 0x00, 0x0e,
    /* supported_versions: selected TLS 1.3 */
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
    /* key_share: x25519 with a 4-byte stand-in key (not checked) */
    0x00, 0x33, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x00,
    /* ChangeCipherSpec */
    0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
    /* application_data, 50 bytes */
    0x17, 0x03, 0x03, 0x00, 0x32,
    0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
    0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
    0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
    0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
    0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
};

/* The client's ChangeCipherSpec and a 50-byte encrypted record. */
static const uint8_t client_finish[] = {
    /* ChangeCipherSpec */
    0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
    /* application_data, 50 bytes */
    0x17, 0x03, 0x03, 0x00, 0x32,
    0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0,
    0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0,
    0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0,
    0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0,
    0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0,
};

/* Alert: fatal, handshake_failure (40). */
static const uint8_t fatal_alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02,
                                       0x28 };

/* SYN, SYN/ACK, ACK from client port cp to server:443; client ISN 1000,
 * server ISN 5000. */
static void tcp_open(uint16_t cp, const char *server, int64_t ts)
{
    h_send(TCP, phone, cp, server, 443, 1000, 0, TH_SYN, NULL, 0, ts);
    h_send(TCP, server, 443, phone, cp, 5000, 1001, TH_SYN | TH_ACK, NULL,
           0, ts + 1 * MS);
    h_send(TCP, phone, cp, server, 443, 1001, 5001, TH_ACK, NULL, 0,
           ts + 2 * MS);
}

START_TEST(test_tls_sni_out_of_order)
{
    const char *srv = "93.184.216.34";
    const struct saved_flow *f;

    tcp_open(50100, srv, T0);
    /* The hello in two segments, the second one first. */
    h_send(TCP, phone, 50100, srv, 443, 1001 + 40, 5001, TH_PSH | TH_ACK,
           hello_example + 40, sizeof(hello_example) - 40, T0 + 3 * MS);
    h_send(TCP, phone, 50100, srv, 443, 1001, 5001, TH_ACK, hello_example,
           40, T0 + 4 * MS);
    h_finish();

    f = flow_by_ports(50100, 443);
    ck_assert_str_eq(f->hostname, "www.example.com");
    ck_assert_str_eq(f->cls, "tls");
    ck_assert(f->tls_seen);
    ck_assert_str_eq(f->tls_alpn, "h2,http/1.1");
    ck_assert(!f->tls_established);
}
END_TEST

START_TEST(test_tls_established)
{
    const char *srv = "203.0.113.7";
    const struct saved_flow *f;

    tcp_open(50101, srv, T0);
    h_send(TCP, phone, 50101, srv, 443, 1001, 5001, TH_PSH | TH_ACK,
           hello_sdk, sizeof(hello_sdk), T0 + 3 * MS);
    h_send(TCP, srv, 443, phone, 50101, 5001, 1001 + sizeof(hello_sdk),
           TH_PSH | TH_ACK, server_flight, sizeof(server_flight),
           T0 + 4 * MS);
    /* A span-port copy of the server's flight changes nothing. */
    h_send(TCP, srv, 443, phone, 50101, 5001, 1001 + sizeof(hello_sdk),
           TH_PSH | TH_ACK, server_flight, sizeof(server_flight),
           T0 + 4 * MS + 2);
    h_send(TCP, phone, 50101, srv, 443, 1001 + sizeof(hello_sdk),
           5001 + sizeof(server_flight), TH_PSH | TH_ACK, client_finish,
           sizeof(client_finish), T0 + 5 * MS);
    h_finish();

    f = flow_by_ports(50101, 443);
    ck_assert_str_eq(f->cls, "provider-web");
    ck_assert_int_eq(f->by, FLOW_BY_SNI);
    ck_assert_str_eq(f->hostname, "sdk.twilio.com");
    ck_assert_uint_eq(f->tls_version, TLS_VERSION_1_3);
    ck_assert(f->tls_established);
    ck_assert(!f->tls_alert_seen);
}
END_TEST

START_TEST(test_tls_alert)
{
    const char *srv = "203.0.113.8";
    const struct saved_flow *f;

    tcp_open(50102, srv, T0);
    h_send(TCP, phone, 50102, srv, 443, 1001, 5001, TH_PSH | TH_ACK,
           hello_example, sizeof(hello_example), T0 + 3 * MS);
    h_send(TCP, srv, 443, phone, 50102, 5001, 1001 + sizeof(hello_example),
           TH_PSH | TH_ACK | TH_FIN, fatal_alert, sizeof(fatal_alert),
           T0 + 4 * MS);
    h_finish();

    f = flow_by_ports(50102, 443);
    ck_assert(f->tls_seen);
    ck_assert(f->tls_alert_seen);
    ck_assert_uint_eq(f->tls_alert, 40);
    ck_assert_int_eq(f->tls_alert_dir, FLOW_DIR_S2C);
    ck_assert(!f->tls_established);
    ck_assert_uint_eq(f->tls_version, 0);
}
END_TEST

/* --- HTTP ------------------------------------------------------------ */

START_TEST(test_http_host_split)
{
    static const char part1[] = "GET / HTTP/1.1\r\nUser-Agent: t\r\n";
    static const char part2[] = "Host: lab-web.ring.io\r\n\r\n";
    const char *srv = "199.7.173.10";
    const struct saved_flow *f;

    h_send(TCP, phone, 50200, srv, 80, 1000, 0, TH_SYN, NULL, 0, T0);
    h_send(TCP, srv, 80, phone, 50200, 5000, 1001, TH_SYN | TH_ACK, NULL, 0,
           T0 + 1 * MS);
    h_send(TCP, phone, 50200, srv, 80, 1001, 5001, TH_ACK, part1,
           sizeof(part1) - 1, T0 + 2 * MS);
    h_send(TCP, phone, 50200, srv, 80, 1001 + sizeof(part1) - 1, 5001,
           TH_PSH | TH_ACK, part2, sizeof(part2) - 1, T0 + 3 * MS);
    h_finish();

    f = flow_by_ports(50200, 80);
    ck_assert_str_eq(f->cls, "provider-web");
    ck_assert_int_eq(f->by, FLOW_BY_HTTP_HOST);
    ck_assert_str_eq(f->hostname, "lab-web.ring.io");
    ck_assert(!f->tls_seen);
}
END_TEST

/* --- DTLS ------------------------------------------------------------ */

/* A DTLS 1.2 ClientHello for "global.turn.twilio.com". */
static const uint8_t dtls_hello[] = {
    /* DTLS record: handshake, version 0xfeff, epoch 0, sequence 0,
     * length 87 */
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x57,
    /* Handshake: client_hello, length 75, message_seq 0, fragment 0+75 */
    0x01, 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4b,
    /* client_version DTLS 1.2 */
    0xfe, 0xfd,
    /* random: 0x60..0x7f */
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
    0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
    0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
    /* session_id empty; cookie empty; cipher_suites 0xc02b; null
     * compression; extensions 31 bytes */
    0x00, 0x00, 0x00, 0x02, 0xc0, 0x2b, 0x01, 0x00, 0x00, 0x1f,
    /* server_name: host_name "global.turn.twilio.com" */
    0x00, 0x00, 0x00, 0x1b, 0x00, 0x19, 0x00, 0x00, 0x16, 'g', 'l', 'o',
    'b', 'a', 'l', '.', 't', 'u', 'r', 'n', '.', 't', 'w', 'i', 'l', 'i',
    'o', '.', 'c', 'o', 'm',
};

/* A DTLS 1.2 ServerHello. */
static const uint8_t dtls_server_hello[] = {
    /* DTLS record: handshake, version 0xfefd, epoch 0, sequence 0,
     * length 50 */
    0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x32,
    /* Handshake: server_hello, length 38, message_seq 0, fragment 0+38 */
    0x02, 0x00, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x26,
    /* server_version DTLS 1.2 */
    0xfe, 0xfd,
    /* random: 0x80..0x9f */
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
    0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
    /* session_id empty; cipher_suite 0xc02b; null compression; no
     * extensions */
    0x00, 0xc0, 0x2b, 0x00,
};

START_TEST(test_dtls_sni)
{
    const char *srv = "203.0.113.60";
    const struct saved_flow *f;

    h_send(UDP, phone, 50300, srv, 3478, 0, 0, 0, dtls_hello,
           sizeof(dtls_hello), T0);
    h_send(UDP, srv, 3478, phone, 50300, 0, 0, 0, dtls_server_hello,
           sizeof(dtls_server_hello), T0 + 1 * MS);
    h_finish();

    f = flow_by_ports(50300, 3478);
    ck_assert_str_eq(f->cls, "twilio-turn");
    ck_assert_int_eq(f->by, FLOW_BY_SNI);
    ck_assert_str_eq(f->hostname, "global.turn.twilio.com");
    ck_assert(f->tls_seen);
    ck_assert_uint_eq(f->tls_version, DTLS_VERSION_1_2);
}
END_TEST

START_TEST(test_udp_inspection_stops)
{
    static const uint8_t noise[16] = { 0xa5, 0xa5, 0xa5, 0xa5 };
    const char *srv = "203.0.113.61";
    const struct saved_flow *f;
    int i;

    /* Past CLASSIFY_UDP_INSPECT_PACKETS the flow is no longer looked at:
     * a late hello names nothing. */
    for (i = 0; i < CLASSIFY_UDP_INSPECT_PACKETS + 2; i++)
        h_send(UDP, phone, 50301, srv, 3478, 0, 0, 0, noise, sizeof(noise),
               T0 + i * 20 * MS);
    h_send(UDP, phone, 50301, srv, 3478, 0, 0, 0, dtls_hello,
           sizeof(dtls_hello), T0 + 2 * SEC);
    h_finish();

    f = flow_by_ports(50301, 3478);
    ck_assert_str_eq(f->hostname, "");
    ck_assert(!f->tls_seen);
    ck_assert_int_ne(f->by, FLOW_BY_SNI);
}
END_TEST

/* --- every truncation ------------------------------------------------ */

/* Hands the stage every prefix of a payload as the first data of a
 * fresh flow, one flow per length, straight through the hooks; ASan
 * watches the reads. */
static void truncations(uint8_t proto, uint16_t server_port,
                        const uint8_t *payload, size_t len)
{
    struct flow f;
    struct decoded d;
    struct pkt pkt;
    void *ext = calloc(1, classify_ops.flow_state_size);
    size_t n;

    ck_assert_ptr_nonnull(ext);
    for (n = 0; n <= len; n++) {
        memset(&f, 0, sizeof(f));
        memset(&d, 0, sizeof(d));
        memset(&pkt, 0, sizeof(pkt));
        memset(ext, 0, classify_ops.flow_state_size);
        f.key.proto = proto;
        f.key.ip_version = 4;
        ck_assert_int_eq(ipaddr_parse(phone, &f.client_ip), 0);
        ck_assert_int_eq(ipaddr_parse("203.0.113.99", &f.server_ip), 0);
        f.client_port = 40000;
        f.server_port = server_port;
        f.first_us = T0;
        f.id = n + 1;
        f.class_name = "other";
        f.ext = ext;
        d.ip_version = 4;
        d.proto = proto;
        d.src = f.client_ip;
        d.dst = f.server_ip;
        d.sport = f.client_port;
        d.dport = server_port;
        d.tcp.seq = 1001;
        d.tcp.flags = TH_ACK;
        d.payload = n ? payload : NULL;
        d.payload_len = (uint32_t)n;
        d.payload_wire_len = (uint32_t)n;
        pkt.ts_us = T0;
        pkt.num = n + 1;
        classify_ops.packet(h.stage, &f, ext, &pkt, &d, FLOW_DIR_C2S);
        classify_ops.flow_end(h.stage, &f, ext, FLOW_END_CAPTURE_END);
        ck_assert_ptr_nonnull(f.class_name);
    }
    free(ext);
}

START_TEST(test_every_truncation)
{
    uint8_t m[512];
    size_t n = dns_msg(m, 0x7777, true, 0, "chunderw-vpc-gll.twilio.com", 1,
                       "54.172.61.20", 60);
    static const char get[] =
        "GET / HTTP/1.1\r\nHost: lab-web.ring.io\r\n\r\n";

    truncations(TCP, 443, hello_example, sizeof(hello_example));
    truncations(TCP, 443, server_flight, sizeof(server_flight));
    truncations(TCP, 80, (const uint8_t *)get, sizeof(get) - 1);
    truncations(UDP, 3478, dtls_hello, sizeof(dtls_hello));
    truncations(UDP, 53, m, n);
    truncations(TCP, 53, m, n);
}
END_TEST

static Suite *classify_suite(void)
{
    Suite *s = suite_create("classify");
    TCase *tc;

    tc = tcase_create("decide");
    tcase_add_checked_fixture(tc, load_profile, free_profile);
    tcase_add_test(tc, test_sni_beats_range);
    tcase_add_test(tc, test_name_order);
    tcase_add_test(tc, test_range_beats_ndpi);
    tcase_add_test(tc, test_client_range);
    tcase_add_test(tc, test_ndpi_beats_port);
    tcase_add_test(tc, test_third_party);
    tcase_add_test(tc, test_well_known_ports);
    tcase_add_test(tc, test_name_without_port);
    tcase_add_test(tc, test_ndpi_generic);
    suite_add_tcase(s, tc);

    tc = tcase_create("dns");
    tcase_add_checked_fixture(tc, stage_setup, stage_teardown);
    tcase_add_test(tc, test_dns_name_after_answer);
    tcase_add_test(tc, test_dns_failures);
    tcase_add_test(tc, test_dns_over_tcp);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_checked_fixture(tc, stage_setup, stage_teardown);
    tcase_add_test(tc, test_tls_sni_out_of_order);
    tcase_add_test(tc, test_tls_established);
    tcase_add_test(tc, test_tls_alert);
    tcase_add_test(tc, test_http_host_split);
    tcase_add_test(tc, test_dtls_sni);
    tcase_add_test(tc, test_udp_inspection_stops);
    tcase_add_test(tc, test_every_truncation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(classify_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
