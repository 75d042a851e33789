/* Unit tests for flow keys (flow.h) and the flow table (flow_table.h).
 *
 * Packets are struct decoded values built by hand, as the decoder would
 * fill them, so these tests do not depend on decode.c. */
#include "config.h"

#include <check.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "flow.h"
#include "flow_table.h"
#include "ipaddr.h"
#include "packet.h"

#define SEC INT64_C(1000000)
/* 2023-11-14T22:13:20Z, an arbitrary capture start. */
#define T0 (INT64_C(1700000000) * SEC)

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17

/* --- helpers --------------------------------------------------------- */

static struct ip_addr addr(const char *s)
{
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse(s, &a), 0);
    return a;
}

/* One single-frame packet of 100 wire bytes carrying 50 payload bytes. */
static struct decoded pkt_of(uint8_t proto, const char *src, uint16_t sport,
                             const char *dst, uint16_t dport)
{
    struct decoded d;

    memset(&d, 0, sizeof(d));
    d.src = addr(src);
    d.dst = addr(dst);
    d.ip_version = d.src.family;
    d.proto = proto;
    d.sport = sport;
    d.dport = dport;
    d.ttl = 64;
    d.frame_count = 1;
    d.frame_bytes = 100;
    d.payload_wire_len = 50;
    d.payload_len = 50;
    d.tcp.wscale = -1;
    return d;
}

static struct decoded tcp_of(const char *src, uint16_t sport,
                             const char *dst, uint16_t dport, uint8_t flags,
                             uint32_t seq)
{
    struct decoded d = pkt_of(PROTO_TCP, src, sport, dst, dport);

    d.tcp.flags = flags;
    d.tcp.seq = seq;
    d.tcp.hdr_len = 20;
    return d;
}

static struct decoded udp_of(const char *src, uint16_t sport,
                             const char *dst, uint16_t dport)
{
    return pkt_of(PROTO_UDP, src, sport, dst, dport);
}

/* The same packet, sent the other way. */
static struct decoded reversed(const struct decoded *d)
{
    struct decoded r = *d;

    r.src = d->dst;
    r.dst = d->src;
    r.sport = d->dport;
    r.dport = d->sport;
    return r;
}

/* Records every ended flow.  The first REC_MAX are kept in order. */
#define REC_MAX 16

struct rec {
    size_t n;
    enum flow_end_reason why[REC_MAX];
    enum flow_end_reason stored[REC_MAX];   /* f->end_reason at the call */
    uint64_t first_packet[REC_MAX];
    uint8_t proto[REC_MAX];
    uint64_t ext_first[REC_MAX];            /* first 8 bytes of ext */
};

static void rec_on_end(void *arg, struct flow *f, enum flow_end_reason why)
{
    struct rec *r = arg;
    size_t i = r->n < REC_MAX ? r->n : REC_MAX - 1;

    r->why[i] = why;
    r->stored[i] = f->end_reason;
    r->first_packet[i] = f->first_packet;
    r->proto[i] = f->key.proto;
    memcpy(&r->ext_first[i], f->ext, sizeof(r->ext_first[i]));
    /* The flow is still writable here. */
    f->class_name = "ended";
    r->n++;
}

/* For tables whose flows carry no ext area. */
static void count_on_end(void *arg, struct flow *f, enum flow_end_reason why)
{
    size_t *n = arg;

    (void)f;
    (void)why;
    (*n)++;
}

static struct flow_table_config small_cfg(void)
{
    struct flow_table_config cfg;

    flow_table_config_defaults(&cfg);
    cfg.max_flows = 1000;
    cfg.ext_size = 64;
    return cfg;
}

/* Feeds one packet; returns the flow, which must exist. */
static struct flow *feed(struct flow_table *ft, const struct decoded *d,
                         uint64_t num, int64_t ts, bool *created,
                         enum flow_dir *dir)
{
    struct pkt p;
    struct flow *f;

    /* The frame that completes a packet; for a reassembled datagram the
     * last fragment, smaller than the datagram's frame_bytes. */
    memset(&p, 0, sizeof(p));
    p.num = num;
    p.ts_us = ts;
    p.wirelen = 100;
    p.caplen = p.wirelen;
    f = flow_table_update(ft, &p, d, created, dir);
    ck_assert_ptr_nonnull(f);
    return f;
}

static struct flow *feed1(struct flow_table *ft, const struct decoded *d,
                          uint64_t num, int64_t ts)
{
    bool created;
    enum flow_dir dir;

    return feed(ft, d, num, ts, &created, &dir);
}

static struct flow_key key_of(const struct decoded *d)
{
    struct flow_key k;
    bool from_lo;

    flow_key_from_decoded(d, &k, &from_lo);
    return k;
}

static uint64_t live_flows(const struct flow_table *ft)
{
    struct flow_table_stats st;

    flow_table_get_stats(ft, &st);
    return st.flows_live;
}

/* --- names ----------------------------------------------------------- */

START_TEST(test_names)
{
    ck_assert_str_eq(flow_side_name(FLOW_SIDE_INSIDE), "inside");
    ck_assert_str_eq(flow_side_name(FLOW_SIDE_OUTSIDE), "outside");

    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_NONE), "none");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_PORT), "port");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_RANGE), "range");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_SNI), "sni");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_DNS), "dns");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_HTTP_HOST),
                     "http-host");
    ck_assert_str_eq(flow_classified_by_name(FLOW_BY_NDPI), "ndpi");

    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_NONE), "none");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_SYN_SENT), "syn-sent");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_ESTABLISHED),
                     "established");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_REFUSED), "refused");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_UNANSWERED),
                     "unanswered");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_ICMP_UNREACHABLE),
                     "icmp-unreachable");
    ck_assert_str_eq(flow_tcp_state_name(FLOW_TCP_MID_STREAM),
                     "mid-stream");

    ck_assert_str_eq(flow_end_reason_name(FLOW_END_IDLE), "idle");
    ck_assert_str_eq(flow_end_reason_name(FLOW_END_CLOSED), "closed");
    ck_assert_str_eq(flow_end_reason_name(FLOW_END_EVICTED), "evicted");
    ck_assert_str_eq(flow_end_reason_name(FLOW_END_CAPTURE_END),
                     "capture_end");

    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_RETRANSMISSION),
                     "retransmission");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_FAST_RETRANSMISSION),
                     "fast_retransmission");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_SPURIOUS_RETRANSMISSION),
                     "spurious_retransmission");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_OUT_OF_ORDER),
                     "out_of_order");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_LOST_SEGMENT),
                     "lost_segment");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_ACK_LOST_SEGMENT),
                     "ack_lost_segment");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_DUPLICATE_ACK),
                     "duplicate_ack");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_KEEP_ALIVE),
                     "keep_alive");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_ZERO_WINDOW),
                     "zero_window");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_WINDOW_FULL),
                     "window_full");
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_MIRROR_DUPLICATE),
                     "mirror_duplicate");

    /* Out-of-range values still print something. */
    ck_assert_str_eq(flow_tcp_flag_name(FLOW_TCPF_COUNT), "unknown");
    ck_assert_str_eq(flow_end_reason_name((enum flow_end_reason)99),
                     "unknown");
}
END_TEST

/* --- keys ------------------------------------------------------------ */

START_TEST(test_key_canonical_both_directions)
{
    struct decoded fwd = tcp_of("198.51.100.20", 443, "192.168.1.10",
                                51000, TCP_ACK, 1);
    struct decoded rev = reversed(&fwd);
    struct flow_key kf;
    struct flow_key kr;
    bool lo_f;
    bool lo_r;
    struct ip_addr lo = addr("192.168.1.10");
    struct ip_addr hi = addr("198.51.100.20");

    fwd.vlan = 42;
    rev.vlan = 42;
    flow_key_from_decoded(&fwd, &kf, &lo_f);
    flow_key_from_decoded(&rev, &kr, &lo_r);
    ck_assert(flow_key_equal(&kf, &kr));
    ck_assert_mem_eq(&kf, &kr, sizeof(kf));
    ck_assert(!lo_f);
    ck_assert(lo_r);
    ck_assert(ipaddr_equal(&kf.lo_ip, &lo));
    ck_assert(ipaddr_equal(&kf.hi_ip, &hi));
    ck_assert_uint_eq(kf.lo_port, 51000);
    ck_assert_uint_eq(kf.hi_port, 443);
    ck_assert_uint_eq(kf.vlan, 42);
    ck_assert_uint_eq(kf.ip_version, 4);
    ck_assert_uint_eq(kf.proto, PROTO_TCP);
}
END_TEST

START_TEST(test_key_same_address_orders_by_port)
{
    /* A host talking to itself: the ports decide the order. */
    struct decoded d = udp_of("10.0.0.1", 5060, "10.0.0.1", 4000);
    struct decoded r = reversed(&d);
    struct flow_key k;
    bool from_lo;

    flow_key_from_decoded(&d, &k, &from_lo);
    ck_assert(!from_lo);
    ck_assert_uint_eq(k.lo_port, 4000);
    ck_assert_uint_eq(k.hi_port, 5060);
    flow_key_from_decoded(&r, &k, &from_lo);
    ck_assert(from_lo);
    ck_assert_uint_eq(k.lo_port, 4000);
}
END_TEST

START_TEST(test_key_fields_distinguish)
{
    struct decoded base = udp_of("192.168.1.10", 40000, "203.0.113.5", 53);
    struct decoded other_vlan = base;
    struct decoded other_proto = base;
    struct decoded other_port = base;
    struct decoded v6 = udp_of("fd00::10", 40000, "2001:db8::5", 53);
    struct flow_key kb = key_of(&base);
    struct flow_key kv;
    struct flow_key kp;
    struct flow_key ko;
    struct flow_key k6 = key_of(&v6);

    other_vlan.vlan = 7;
    other_proto.proto = PROTO_TCP;
    other_port.sport = 40001;
    kv = key_of(&other_vlan);
    kp = key_of(&other_proto);
    ko = key_of(&other_port);
    ck_assert(!flow_key_equal(&kb, &kv));
    ck_assert(!flow_key_equal(&kb, &kp));
    ck_assert(!flow_key_equal(&kb, &ko));
    ck_assert(!flow_key_equal(&kb, &k6));
    ck_assert_uint_eq(k6.ip_version, 6);
    ck_assert_uint_ne(flow_key_hash(&kb), flow_key_hash(&kv));
    ck_assert_uint_ne(flow_key_hash(&kb), flow_key_hash(&kp));
    ck_assert_uint_ne(flow_key_hash(&kb), flow_key_hash(&ko));
}
END_TEST

START_TEST(test_key_hash_symmetric)
{
    struct decoded d = udp_of("2001:db8::1", 5060, "fd00::99", 12345);
    struct decoded r = reversed(&d);
    struct flow_key kd = key_of(&d);
    struct flow_key kr = key_of(&r);

    ck_assert_uint_eq(flow_key_hash(&kd), flow_key_hash(&kr));
}
END_TEST

/* 65,536 flows that differ only in the client port and the last address
 * byte, spread over 1,024 buckets (64 per bucket on average): with a good
 * hash no bucket gets more than twice the average. */
START_TEST(test_key_hash_distribution)
{
    enum { N_BUCKETS = 1024, N_KEYS = 65536 };
    unsigned *count = calloc(N_BUCKETS, sizeof(*count));
    struct decoded d = udp_of("10.0.0.0", 0, "192.0.2.1", 3478);
    struct flow_key k;
    bool from_lo;
    unsigned i;

    ck_assert_ptr_nonnull(count);
    for (i = 0; i < N_KEYS; i++) {
        d.src.bytes[3] = (uint8_t)(i & 0xff);
        d.sport = (uint16_t)(40000 + (i >> 8));
        flow_key_from_decoded(&d, &k, &from_lo);
        count[flow_key_hash(&k) & (N_BUCKETS - 1)]++;
    }
    for (i = 0; i < N_BUCKETS; i++)
        ck_assert_uint_le(count[i], 2 * N_KEYS / N_BUCKETS);
    free(count);
}
END_TEST

/* --- orientation ----------------------------------------------------- */

START_TEST(test_orient_syn)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* The server has the lower address, so the client is the hi end. */
    struct decoded syn = tcp_of("192.168.1.10", 51000, "10.0.0.1", 8000,
                                TCP_SYN, 1000);
    struct decoded synack = tcp_of("10.0.0.1", 8000, "192.168.1.10", 51000,
                                   TCP_SYN | TCP_ACK, 5000);
    struct ip_addr client = addr("192.168.1.10");
    struct flow *f;
    bool created;
    enum flow_dir dir;

    f = feed(ft, &syn, 1, T0, &created, &dir);
    ck_assert(created);
    ck_assert_int_eq(dir, FLOW_DIR_C2S);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_SYN);
    ck_assert(ipaddr_equal(&f->client_ip, &client));
    ck_assert_uint_eq(f->client_port, 51000);
    ck_assert_uint_eq(f->server_port, 8000);
    ck_assert_int_eq(flow_dir_of(f, &syn), FLOW_DIR_C2S);
    ck_assert_int_eq(flow_dir_of(f, &synack), FLOW_DIR_S2C);

    f = feed(ft, &synack, 2, T0 + 1000, &created, &dir);
    ck_assert(!created);
    ck_assert_int_eq(dir, FLOW_DIR_S2C);
    ck_assert_uint_eq(f->client_port, 51000);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_orient_synack_first)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* The SYN was missed: the SYN/ACK's sender is the server, even on a
     * port with no service meaning. */
    struct decoded synack = tcp_of("10.0.0.1", 40001, "192.168.1.10", 443,
                                   TCP_SYN | TCP_ACK, 5000);
    struct decoded ack = reversed(&synack);
    struct flow *f;
    bool created;
    enum flow_dir dir;

    ack.tcp.flags = TCP_ACK;
    f = feed(ft, &synack, 1, T0, &created, &dir);
    ck_assert_int_eq(dir, FLOW_DIR_S2C);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_SYN);
    ck_assert_uint_eq(f->client_port, 443);
    ck_assert_uint_eq(f->server_port, 40001);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].packets, 1);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 0);
    feed(ft, &ack, 2, T0 + 10, &created, &dir);
    ck_assert_int_eq(dir, FLOW_DIR_C2S);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_orient_port_sip_udp)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* The first packet seen comes from the SIP server's 5060. */
    struct decoded resp = udp_of("54.172.60.1", 5060, "192.168.1.10", 35000);
    struct decoded req = reversed(&resp);
    struct flow *f;
    bool created;
    enum flow_dir dir;

    f = feed(ft, &resp, 1, T0, &created, &dir);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_PORT);
    ck_assert_int_eq(dir, FLOW_DIR_S2C);
    ck_assert_uint_eq(f->client_port, 35000);
    ck_assert_uint_eq(f->server_port, 5060);
    feed(ft, &req, 2, T0 + 1, &created, &dir);
    ck_assert_int_eq(dir, FLOW_DIR_C2S);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_orient_port_dns_and_ranks)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* A DNS response seen before its query. */
    struct decoded dns = udp_of("192.168.1.1", 53, "192.168.1.10", 41000);
    /* A system port outranks a service port: 5060 -> 53 is a query. */
    struct decoded q = udp_of("192.168.1.10", 5060, "192.168.1.1", 53);
    /* Picked up mid-stream from the HTTPS server's side. */
    struct decoded mid = tcp_of("203.0.113.9", 443, "192.168.1.10", 52000,
                                TCP_ACK | TCP_PSH, 77);
    struct flow *f;

    f = feed1(ft, &dns, 1, T0);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_PORT);
    ck_assert_uint_eq(f->client_port, 41000);
    ck_assert_uint_eq(f->server_port, 53);

    f = feed1(ft, &q, 2, T0);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_PORT);
    ck_assert_uint_eq(f->client_port, 5060);
    ck_assert_uint_eq(f->server_port, 53);

    f = feed1(ft, &mid, 3, T0);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_PORT);
    ck_assert_uint_eq(f->client_port, 52000);
    ck_assert_uint_eq(f->server_port, 443);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_orient_first_sender)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* RTP between two media ports, then SIP 5060 <-> 5060: no port
     * outranks the other, so the first sender is the client. */
    struct decoded rtp = udp_of("203.0.113.50", 18000, "192.168.1.10", 10000);
    struct decoded sip = udp_of("192.168.1.10", 5060, "54.172.60.2", 5060);
    struct decoded sip_back = reversed(&sip);
    struct ip_addr rtp_client = addr("203.0.113.50");
    struct flow *f;
    bool created;
    enum flow_dir dir;

    f = feed1(ft, &rtp, 1, T0);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_FIRST);
    ck_assert(ipaddr_equal(&f->client_ip, &rtp_client));
    ck_assert_uint_eq(f->client_port, 18000);

    f = feed(ft, &sip, 2, T0, &created, &dir);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_FIRST);
    ck_assert_int_eq(dir, FLOW_DIR_C2S);
    f = feed(ft, &sip_back, 3, T0, &created, &dir);
    ck_assert_int_eq(dir, FLOW_DIR_S2C);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 1);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].packets, 1);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_orient_later_syn_does_not_flip)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    /* Mid-stream from the client, ephemeral to ephemeral: FIRST.  A SYN
     * from the other side later (no FIN/RST seen) keeps the orientation. */
    struct decoded a = tcp_of("192.168.1.10", 40000, "192.168.1.20", 50000,
                              TCP_ACK, 10);
    struct decoded syn = tcp_of("192.168.1.20", 50000, "192.168.1.10",
                                40000, TCP_SYN, 99);
    struct flow *f;
    bool created;
    enum flow_dir dir;

    f = feed1(ft, &a, 1, T0);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_FIRST);
    f = feed(ft, &syn, 2, T0 + 1, &created, &dir);
    ck_assert(!created);
    ck_assert_int_eq(dir, FLOW_DIR_S2C);
    ck_assert_int_eq(f->orient, FLOW_ORIENT_FIRST);
    ck_assert_uint_eq(f->client_port, 40000);
    flow_table_free(ft);
}
END_TEST

/* --- accounting ------------------------------------------------------ */

START_TEST(test_new_flow_defaults)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded d = udp_of("192.168.1.10", 40000, "203.0.113.5", 3478);
    struct flow *f = feed1(ft, &d, 17, T0 + 5);
    const unsigned char *ext = f->ext;
    unsigned char zero[64];
    struct flow_key k = key_of(&d);

    memset(zero, 0, sizeof(zero));
    ck_assert_uint_eq(f->id, 0);
    ck_assert_uint_eq(f->first_packet, 17);
    ck_assert_str_eq(f->class_name, "other");
    ck_assert_int_eq(f->classified_by, FLOW_BY_NONE);
    ck_assert_str_eq(f->hostname, "");
    ck_assert_int_eq(f->tcp_state, FLOW_TCP_NONE);
    ck_assert_int_eq(f->tcp_rtt_us, -1);
    ck_assert(!f->tcp_closed);
    ck_assert_int_eq(f->first_us, T0 + 5);
    ck_assert_int_eq(f->last_us, T0 + 5);
    ck_assert(flow_key_equal(&f->key, &k));
    /* The ext area is zeroed, writable and aligned for any type. */
    ck_assert_mem_eq(ext, zero, sizeof(zero));
    ck_assert_uint_eq((uintptr_t)f->ext % alignof(max_align_t), 0);
    memset(f->ext, 0xab, 64);
    ck_assert_ptr_eq(flow_table_find(ft, &k), f);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_accounting_per_direction)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded syn = tcp_of("192.168.1.10", 51000, "203.0.113.7", 443,
                                TCP_SYN, 1000);
    struct decoded synack = tcp_of("203.0.113.7", 443, "192.168.1.10",
                                   51000, TCP_SYN | TCP_ACK, 9000);
    struct decoded data = tcp_of("192.168.1.10", 51000, "203.0.113.7", 443,
                                 TCP_ACK | TCP_PSH, 1001);
    struct decoded fin = tcp_of("203.0.113.7", 443, "192.168.1.10", 51000,
                                TCP_FIN | TCP_ACK, 9001);
    struct flow *f;

    syn.payload_wire_len = 0;
    synack.payload_wire_len = 0;
    /* A datagram rebuilt from 3 frames of 1,514 wire bytes each, whose
     * payload the snaplen cut (payload_len < payload_wire_len). */
    data.reassembled = true;
    data.frame_count = 3;
    data.frame_bytes = 3 * 1514;
    data.payload_wire_len = 4000;
    data.payload_len = 200;
    fin.payload_wire_len = 0;

    feed1(ft, &syn, 1, T0);
    feed1(ft, &synack, 2, T0 + 300);
    feed1(ft, &data, 3, T0 + 700);
    f = feed1(ft, &fin, 4, T0 + 900);

    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 4);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].bytes, 100 + 3 * 1514);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].payload_bytes, 4000);
    ck_assert_int_eq(f->dir[FLOW_DIR_C2S].first_us, T0);
    ck_assert_int_eq(f->dir[FLOW_DIR_C2S].last_us, T0 + 700);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].tcp_flags,
                      TCP_SYN | TCP_ACK | TCP_PSH);

    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].packets, 2);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].bytes, 200);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].payload_bytes, 0);
    ck_assert_int_eq(f->dir[FLOW_DIR_S2C].first_us, T0 + 300);
    ck_assert_int_eq(f->dir[FLOW_DIR_S2C].last_us, T0 + 900);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].tcp_flags,
                      TCP_SYN | TCP_ACK | TCP_FIN);

    ck_assert_int_eq(f->first_us, T0);
    ck_assert_int_eq(f->last_us, T0 + 900);
    ck_assert(f->tcp_closed);
    ck_assert_int_eq(f->tcp_state, FLOW_TCP_NONE);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_accounting_without_frame_facts)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded d = udp_of("192.168.1.10", 40000, "198.51.100.1", 5060);
    struct flow *f;

    /* Built without frame_count/frame_bytes: the frame that carried the
     * packet (100 wire bytes in feed()) is counted once. */
    d.frame_count = 0;
    d.frame_bytes = 0;
    f = feed1(ft, &d, 1, T0);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 1);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].bytes, 100);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_accounting_out_of_order_time)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded d = udp_of("192.168.1.10", 40000, "198.51.100.1", 5060);
    struct flow *f;

    feed1(ft, &d, 1, T0 + 50);
    f = feed1(ft, &d, 2, T0 + 10);
    ck_assert_int_eq(f->first_us, T0 + 10);
    ck_assert_int_eq(f->last_us, T0 + 50);
    ck_assert_int_eq(f->dir[FLOW_DIR_C2S].first_us, T0 + 10);
    ck_assert_int_eq(f->dir[FLOW_DIR_C2S].last_us, T0 + 50);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 2);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_dscp_bitmask)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded c2s = udp_of("192.168.1.10", 10000, "198.51.100.1", 20000);
    struct decoded s2c = reversed(&c2s);
    struct flow *f;

    c2s.dscp = 46;                      /* EF */
    feed1(ft, &c2s, 1, T0);
    c2s.dscp = 0;                       /* best effort */
    feed1(ft, &c2s, 2, T0 + 1);
    feed1(ft, &c2s, 3, T0 + 2);
    s2c.dscp = 63;                      /* the highest codepoint */
    feed1(ft, &s2c, 4, T0 + 3);
    s2c.dscp = 24;                      /* CS3 */
    f = feed1(ft, &s2c, 5, T0 + 4);

    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].dscp_seen,
                      (UINT64_C(1) << 46) | UINT64_C(1));
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].dscp_seen,
                      (UINT64_C(1) << 63) | (UINT64_C(1) << 24));
    flow_table_free(ft);
}
END_TEST

/* --- sides ----------------------------------------------------------- */

START_TEST(test_inside_outside)
{
    struct ip_prefix home[2];
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft;
    struct ip_addr a;
    struct decoded d;
    struct flow *f;

    ck_assert_int_eq(ipaddr_parse_prefix("203.0.113.0/24", &home[0]), 0);
    ck_assert_int_eq(ipaddr_parse_prefix("2001:db8:1::/48", &home[1]), 0);
    cfg.home_nets = home;
    cfg.n_home_nets = 2;
    ft = flow_table_new(&cfg, NULL, NULL);

    a = addr("192.168.1.10");       /* RFC 1918 */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("172.16.0.1");
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("100.64.12.1");        /* RFC 6598 shared space (CGNAT) */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("169.254.3.4");        /* IPv4 link-local */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("fe80::1");            /* IPv6 link-local */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("fd12:3456::1");       /* ULA */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("127.0.0.1");
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("203.0.113.77");       /* configured home network */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("2001:db8:1:5::9");    /* configured home network */
    ck_assert(flow_table_is_inside(ft, &a));
    a = addr("203.0.114.1");
    ck_assert(!flow_table_is_inside(ft, &a));
    a = addr("2001:db8:2::1");
    ck_assert(!flow_table_is_inside(ft, &a));
    a = addr("100.128.0.1");        /* just past 100.64.0.0/10 */
    ck_assert(!flow_table_is_inside(ft, &a));
    a = addr("8.8.8.8");
    ck_assert(!flow_table_is_inside(ft, &a));

    d = udp_of("100.64.0.9", 40000, "54.172.60.1", 5060);
    f = feed1(ft, &d, 1, T0);
    ck_assert_int_eq(f->client_side, FLOW_SIDE_INSIDE);
    ck_assert_int_eq(f->server_side, FLOW_SIDE_OUTSIDE);
    /* XMPP opened from outside towards a configured home address. */
    d = tcp_of("198.51.100.3", 45000, "203.0.113.8", 5222, TCP_SYN, 1);
    f = feed1(ft, &d, 2, T0);
    ck_assert_int_eq(f->client_side, FLOW_SIDE_OUTSIDE);
    ck_assert_int_eq(f->server_side, FLOW_SIDE_INSIDE);
    flow_table_free(ft);

    /* Without the configured networks the same address is outside. */
    cfg.n_home_nets = 0;
    cfg.home_nets = NULL;
    ft = flow_table_new(&cfg, NULL, NULL);
    a = addr("203.0.113.77");
    ck_assert(!flow_table_is_inside(ft, &a));
    flow_table_free(ft);
}
END_TEST

/* --- expiry ---------------------------------------------------------- */

START_TEST(test_idle_expiry_per_protocol)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded tcp = tcp_of("192.168.1.10", 51000, "203.0.113.7", 443,
                                TCP_ACK, 5);
    struct decoded udp = udp_of("192.168.1.10", 40000, "203.0.113.7", 53);
    struct decoded icmp = pkt_of(PROTO_ICMP, "192.168.1.10", 0,
                                 "203.0.113.7", 0);
    struct decoded udp2 = udp_of("192.168.1.10", 40001, "203.0.113.7", 53);

    memset(&r, 0, sizeof(r));
    cfg.tcp_timeout_us = 300 * SEC;
    cfg.udp_timeout_us = 120 * SEC;
    cfg.other_timeout_us = 60 * SEC;
    ft = flow_table_new(&cfg, rec_on_end, &r);
    feed1(ft, &tcp, 1, T0);
    feed1(ft, &udp, 2, T0);
    feed1(ft, &icmp, 3, T0);
    feed1(ft, &udp2, 4, T0);
    feed1(ft, &udp2, 5, T0 + 100 * SEC);    /* keeps udp2 alive */

    /* Idle time must exceed the timeout: equal is not enough. */
    flow_table_expire(ft, T0 + 60 * SEC);
    ck_assert_uint_eq(r.n, 0);
    flow_table_expire(ft, T0 + 60 * SEC + 1);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.proto[0], PROTO_ICMP);
    ck_assert_int_eq(r.why[0], FLOW_END_IDLE);
    ck_assert_int_eq(r.stored[0], FLOW_END_IDLE);

    flow_table_expire(ft, T0 + 120 * SEC + 1);
    ck_assert_uint_eq(r.n, 2);
    ck_assert_uint_eq(r.proto[1], PROTO_UDP);
    ck_assert_uint_eq(r.first_packet[1], 2);

    flow_table_expire(ft, T0 + 220 * SEC + 1);
    ck_assert_uint_eq(r.n, 3);
    ck_assert_uint_eq(r.first_packet[2], 4);

    flow_table_expire(ft, T0 + 300 * SEC);
    ck_assert_uint_eq(r.n, 3);
    flow_table_expire(ft, T0 + 300 * SEC + 1);
    ck_assert_uint_eq(r.n, 4);
    ck_assert_uint_eq(r.proto[3], PROTO_TCP);
    ck_assert_int_eq(r.why[3], FLOW_END_IDLE);
    ck_assert_uint_eq(live_flows(ft), 0);
    flow_table_free(ft);
    ck_assert_uint_eq(r.n, 4);
}
END_TEST

START_TEST(test_expiry_order_across_classes)
{
    /* One call that expires several classes ends them in deadline order:
     * UDP (idle since T0, 120 s) before ICMP (idle since T0 + 100 s,
     * 60 s). */
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded udp = udp_of("192.168.1.10", 40000, "203.0.113.7", 53);
    struct decoded icmp = pkt_of(PROTO_ICMP, "192.168.1.10", 0,
                                 "203.0.113.7", 0);

    memset(&r, 0, sizeof(r));
    cfg.udp_timeout_us = 120 * SEC;
    cfg.other_timeout_us = 60 * SEC;
    ft = flow_table_new(&cfg, rec_on_end, &r);
    feed1(ft, &udp, 1, T0);
    feed1(ft, &icmp, 2, T0 + 100 * SEC);
    flow_table_expire(ft, T0 + 1000 * SEC);
    ck_assert_uint_eq(r.n, 2);
    ck_assert_uint_eq(r.proto[0], PROTO_UDP);
    ck_assert_uint_eq(r.proto[1], PROTO_ICMP);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_closed_grace_expiry)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    /* Flow A: FIN from both sides.  Flow B: one FIN only (half-closed).
     * Flow C: a RST. */
    struct decoded a_fin = tcp_of("192.168.1.10", 51000, "203.0.113.7", 443,
                                  TCP_FIN | TCP_ACK, 100);
    struct decoded a_fin2 = reversed(&a_fin);
    struct decoded b_fin = tcp_of("192.168.1.10", 51001, "203.0.113.7", 443,
                                  TCP_FIN | TCP_ACK, 100);
    struct decoded c_rst = tcp_of("203.0.113.7", 443, "192.168.1.10", 51002,
                                  TCP_RST, 7);
    struct flow *fa;
    struct flow *fb;

    memset(&r, 0, sizeof(r));
    cfg.tcp_timeout_us = 300 * SEC;
    cfg.tcp_closed_timeout_us = 15 * SEC;
    ft = flow_table_new(&cfg, rec_on_end, &r);
    a_fin2.tcp.seq = 900;
    fa = feed1(ft, &a_fin, 1, T0);
    ck_assert(fa->tcp_closed);
    feed1(ft, &a_fin2, 2, T0 + 1 * SEC);
    fb = feed1(ft, &b_fin, 3, T0 + 2 * SEC);
    ck_assert(fb->tcp_closed);
    feed1(ft, &c_rst, 4, T0 + 3 * SEC);

    flow_table_expire(ft, T0 + 16 * SEC);
    ck_assert_uint_eq(r.n, 0);
    flow_table_expire(ft, T0 + 16 * SEC + 1);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.first_packet[0], 1);
    ck_assert_int_eq(r.why[0], FLOW_END_CLOSED);
    flow_table_expire(ft, T0 + 18 * SEC + 1);
    ck_assert_uint_eq(r.n, 2);
    ck_assert_uint_eq(r.first_packet[1], 4);
    ck_assert_int_eq(r.why[1], FLOW_END_CLOSED);

    /* The half-closed flow keeps the open-TCP timeout. */
    flow_table_expire(ft, T0 + 302 * SEC);
    ck_assert_uint_eq(r.n, 2);
    flow_table_expire(ft, T0 + 302 * SEC + 1);
    ck_assert_uint_eq(r.n, 3);
    ck_assert_uint_eq(r.first_packet[2], 3);
    ck_assert_int_eq(r.why[2], FLOW_END_IDLE);
    flow_table_free(ft);
}
END_TEST

/* --- port reuse ------------------------------------------------------ */

START_TEST(test_port_reuse_after_fin)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded syn = tcp_of("192.168.1.10", 51000, "203.0.113.7", 5222,
                                TCP_SYN, 1000);
    struct decoded synack = tcp_of("203.0.113.7", 5222, "192.168.1.10",
                                   51000, TCP_SYN | TCP_ACK, 7000);
    struct decoded fin_c = tcp_of("192.168.1.10", 51000, "203.0.113.7",
                                  5222, TCP_FIN | TCP_ACK, 1001);
    struct decoded fin_s = tcp_of("203.0.113.7", 5222, "192.168.1.10",
                                  51000, TCP_FIN | TCP_ACK, 7001);
    struct decoded syn2 = syn;
    struct flow_table_stats st;
    struct flow *f;
    bool created;
    enum flow_dir dir;

    memset(&r, 0, sizeof(r));
    ft = flow_table_new(&cfg, rec_on_end, &r);
    feed1(ft, &syn, 1, T0);
    feed1(ft, &synack, 2, T0 + 10);
    feed1(ft, &fin_c, 3, T0 + 20);
    f = feed1(ft, &fin_s, 4, T0 + 30);
    /* Tag the old flow's ext, to recognise it in the callback. */
    memset(f->ext, 0x11, 8);

    /* A new connection on the same ports: a new ISN. */
    syn2.tcp.seq = 555555;
    f = feed(ft, &syn2, 5, T0 + 40, &created, &dir);
    ck_assert(created);
    ck_assert_int_eq(dir, FLOW_DIR_C2S);
    ck_assert_uint_eq(f->first_packet, 5);
    ck_assert(!f->tcp_closed);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 1);
    ck_assert_uint_eq(f->dir[FLOW_DIR_S2C].packets, 0);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.why[0], FLOW_END_CLOSED);
    ck_assert_uint_eq(r.first_packet[0], 1);
    ck_assert_uint_eq(r.ext_first[0], UINT64_C(0x1111111111111111));

    flow_table_get_stats(ft, &st);
    ck_assert_uint_eq(st.flows_created, 2);
    ck_assert_uint_eq(st.flows_ended, 1);
    ck_assert_uint_eq(st.flows_live, 1);
    ck_assert_uint_eq(st.flows_evicted, 0);
    flow_table_free(ft);
}
END_TEST

START_TEST(test_syn_retransmission_after_rst_stays)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded syn = tcp_of("192.168.1.10", 51000, "203.0.113.7", 5061,
                                TCP_SYN, 4242);
    struct decoded rst = tcp_of("203.0.113.7", 5061, "192.168.1.10", 51000,
                                TCP_RST | TCP_ACK, 0);
    struct flow *f;
    bool created;
    enum flow_dir dir;

    memset(&r, 0, sizeof(r));
    ft = flow_table_new(&cfg, rec_on_end, &r);
    feed1(ft, &syn, 1, T0);
    feed1(ft, &rst, 2, T0 + 100);
    /* The client retries the refused connect with the same ISN: the same
     * connection attempt, so the same flow. */
    f = feed(ft, &syn, 3, T0 + 1 * SEC, &created, &dir);
    ck_assert(!created);
    ck_assert_uint_eq(f->first_packet, 1);
    ck_assert_uint_eq(f->dir[FLOW_DIR_C2S].packets, 2);
    ck_assert_uint_eq(r.n, 0);
    flow_table_free(ft);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.why[0], FLOW_END_CAPTURE_END);
}
END_TEST

START_TEST(test_syn_on_open_flow_stays)
{
    struct flow_table_config cfg = small_cfg();
    struct flow_table *ft = flow_table_new(&cfg, NULL, NULL);
    struct decoded syn = tcp_of("192.168.1.10", 51000, "203.0.113.7", 443,
                                TCP_SYN, 1);
    struct decoded syn2 = syn;
    bool created;
    enum flow_dir dir;

    feed1(ft, &syn, 1, T0);
    /* No FIN or RST yet: a SYN with another ISN is not port reuse. */
    syn2.tcp.seq = 99;
    feed(ft, &syn2, 2, T0 + 1, &created, &dir);
    ck_assert(!created);
    ck_assert_uint_eq(live_flows(ft), 1);
    flow_table_free(ft);
}
END_TEST

/* --- eviction, flush, free, stats ------------------------------------ */

START_TEST(test_eviction_at_max_flows)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded f1 = udp_of("192.168.1.10", 40001, "198.51.100.1", 53);
    struct decoded f2 = tcp_of("192.168.1.10", 40002, "198.51.100.1", 443,
                               TCP_SYN, 1);
    struct decoded f3 = pkt_of(PROTO_ICMP, "192.168.1.10", 0,
                               "198.51.100.1", 0);
    struct decoded f4 = udp_of("192.168.1.10", 40004, "198.51.100.1", 53);
    struct decoded f5 = udp_of("192.168.1.10", 40005, "198.51.100.1", 53);
    struct flow_table_stats st;
    struct flow_key k;

    memset(&r, 0, sizeof(r));
    cfg.max_flows = 3;
    ft = flow_table_new(&cfg, rec_on_end, &r);
    feed1(ft, &f1, 1, T0 + 1);
    feed1(ft, &f2, 2, T0 + 2);
    feed1(ft, &f3, 3, T0 + 3);
    feed1(ft, &f1, 4, T0 + 4);          /* f1 is now the most recent */
    ck_assert_uint_eq(r.n, 0);

    /* Full: the least recently seen flow (f2, TCP) makes room for f4,
     * whatever its timeout class. */
    feed1(ft, &f4, 5, T0 + 5);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.first_packet[0], 2);
    ck_assert_int_eq(r.why[0], FLOW_END_EVICTED);
    ck_assert_int_eq(r.stored[0], FLOW_END_EVICTED);
    k = key_of(&f2);
    ck_assert_ptr_null(flow_table_find(ft, &k));

    feed1(ft, &f5, 6, T0 + 6);          /* evicts f3 */
    ck_assert_uint_eq(r.n, 2);
    ck_assert_uint_eq(r.first_packet[1], 3);

    flow_table_get_stats(ft, &st);
    ck_assert_uint_eq(st.flows_created, 5);
    ck_assert_uint_eq(st.flows_evicted, 2);
    ck_assert_uint_eq(st.flows_ended, 2);
    ck_assert_uint_eq(st.flows_live, 3);
    ck_assert_uint_eq(st.flows_peak, 3);
    ck_assert_uint_eq(st.alloc_failures, 0);
    k = key_of(&f1);
    ck_assert_ptr_nonnull(flow_table_find(ft, &k));
    flow_table_free(ft);
    ck_assert_uint_eq(r.n, 5);
}
END_TEST

START_TEST(test_flush_and_free_end_every_flow)
{
    struct flow_table_config cfg = small_cfg();
    struct rec r;
    struct flow_table *ft;
    struct decoded d = udp_of("192.168.1.10", 40000, "198.51.100.1", 5060);
    struct flow_table_stats st;
    uint16_t i;

    memset(&r, 0, sizeof(r));
    ft = flow_table_new(&cfg, rec_on_end, &r);
    for (i = 0; i < 5; i++) {
        d.sport = (uint16_t)(40000 + i);
        feed1(ft, &d, i + 1u, T0 + i);
    }
    flow_table_flush(ft, FLOW_END_CAPTURE_END);
    ck_assert_uint_eq(r.n, 5);
    /* Oldest first. */
    ck_assert_uint_eq(r.first_packet[0], 1);
    ck_assert_uint_eq(r.first_packet[4], 5);
    ck_assert_int_eq(r.why[0], FLOW_END_CAPTURE_END);
    ck_assert_int_eq(r.why[4], FLOW_END_CAPTURE_END);
    ck_assert_uint_eq(live_flows(ft), 0);

    for (i = 0; i < 3; i++) {
        d.sport = (uint16_t)(41000 + i);
        feed1(ft, &d, 10u + i, T0 + 10 + i);
    }
    flow_table_get_stats(ft, &st);
    ck_assert_uint_eq(st.flows_created, 8);
    ck_assert_uint_eq(st.flows_ended, 5);
    ck_assert_uint_eq(st.flows_live, 3);
    ck_assert_uint_eq(st.flows_peak, 5);
    flow_table_free(ft);
    ck_assert_uint_eq(r.n, 8);
    ck_assert_int_eq(r.why[7], FLOW_END_CAPTURE_END);
    ck_assert_uint_eq(r.first_packet[7], 12);
    flow_table_free(NULL);
}
END_TEST

START_TEST(test_find_unknown_and_no_ext)
{
    struct flow_table_config cfg;
    struct flow_table *ft;
    struct decoded d = udp_of("192.168.1.10", 40000, "198.51.100.1", 5060);
    struct decoded other = udp_of("192.168.1.10", 40001, "198.51.100.1",
                                  5060);
    struct flow_key k = key_of(&other);
    struct flow *f;
    size_t ended = 0;

    flow_table_config_defaults(&cfg);
    ck_assert_uint_eq(cfg.max_flows, 1000000);
    ck_assert_int_eq(cfg.tcp_timeout_us, 300 * SEC);
    ck_assert_int_eq(cfg.tcp_closed_timeout_us, 15 * SEC);
    ck_assert_int_eq(cfg.udp_timeout_us, 120 * SEC);
    ck_assert_int_eq(cfg.other_timeout_us, 60 * SEC);
    ck_assert_uint_eq(cfg.ext_size, 0);
    ck_assert_uint_eq(cfg.n_home_nets, 0);
    ft = flow_table_new(&cfg, count_on_end, &ended);
    ck_assert_ptr_null(flow_table_find(ft, &k));
    f = feed1(ft, &d, 1, T0);
    ck_assert_ptr_nonnull(f->ext);
    ck_assert_ptr_null(flow_table_find(ft, &k));
    k = key_of(&d);
    ck_assert_ptr_eq(flow_table_find(ft, &k), f);
    flow_table_free(ft);
    ck_assert_uint_eq(ended, 1);
}
END_TEST

/* 100,000 flows (the bucket array grows several times on the way), all
 * found again, then all expired in one call: under ASan this also proves
 * that nothing leaks. */
START_TEST(test_many_flows_expire_all)
{
    enum { N = 100000 };
    struct flow_table_config cfg;
    struct flow_table *ft;
    struct decoded d = udp_of("10.0.0.0", 0, "198.51.100.1", 3478);
    struct flow_table_stats st;
    struct flow_key k;
    size_t ended = 0;
    uint32_t i;

    flow_table_config_defaults(&cfg);
    cfg.max_flows = 200000;
    cfg.ext_size = 32;
    ft = flow_table_new(&cfg, count_on_end, &ended);
    for (i = 0; i < N; i++) {
        d.src.bytes[2] = (uint8_t)(i >> 8);
        d.src.bytes[3] = (uint8_t)i;
        d.sport = (uint16_t)(20000 + (i >> 16));
        feed1(ft, &d, i + 1u, T0 + i);
    }
    flow_table_get_stats(ft, &st);
    ck_assert_uint_eq(st.flows_live, N);
    ck_assert_uint_eq(st.flows_created, N);
    for (i = 0; i < N; i++) {
        struct flow *f;

        d.src.bytes[2] = (uint8_t)(i >> 8);
        d.src.bytes[3] = (uint8_t)i;
        d.sport = (uint16_t)(20000 + (i >> 16));
        k = key_of(&d);
        f = flow_table_find(ft, &k);
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->first_packet, i + 1u);
    }
    /* The first half idles out, the second half not yet. */
    flow_table_expire(ft, T0 + cfg.udp_timeout_us + N / 2);
    ck_assert_uint_eq(ended, N / 2);
    flow_table_expire(ft, T0 + cfg.udp_timeout_us + N);
    ck_assert_uint_eq(ended, N);
    flow_table_get_stats(ft, &st);
    ck_assert_uint_eq(st.flows_live, 0);
    ck_assert_uint_eq(st.flows_ended, N);
    ck_assert_uint_eq(st.flows_peak, N);
    ck_assert_uint_eq(st.flows_evicted, 0);
    flow_table_free(ft);
    ck_assert_uint_eq(ended, N);
}
END_TEST

static Suite *flow_table_suite(void)
{
    Suite *s = suite_create("flow_table");
    TCase *tc = tcase_create("names");

    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("key");
    tcase_add_test(tc, test_key_canonical_both_directions);
    tcase_add_test(tc, test_key_same_address_orders_by_port);
    tcase_add_test(tc, test_key_fields_distinguish);
    tcase_add_test(tc, test_key_hash_symmetric);
    tcase_add_test(tc, test_key_hash_distribution);
    suite_add_tcase(s, tc);

    tc = tcase_create("orientation");
    tcase_add_test(tc, test_orient_syn);
    tcase_add_test(tc, test_orient_synack_first);
    tcase_add_test(tc, test_orient_port_sip_udp);
    tcase_add_test(tc, test_orient_port_dns_and_ranks);
    tcase_add_test(tc, test_orient_first_sender);
    tcase_add_test(tc, test_orient_later_syn_does_not_flip);
    suite_add_tcase(s, tc);

    tc = tcase_create("accounting");
    tcase_add_test(tc, test_new_flow_defaults);
    tcase_add_test(tc, test_accounting_per_direction);
    tcase_add_test(tc, test_accounting_without_frame_facts);
    tcase_add_test(tc, test_accounting_out_of_order_time);
    tcase_add_test(tc, test_dscp_bitmask);
    tcase_add_test(tc, test_inside_outside);
    suite_add_tcase(s, tc);

    tc = tcase_create("expiry");
    tcase_add_test(tc, test_idle_expiry_per_protocol);
    tcase_add_test(tc, test_expiry_order_across_classes);
    tcase_add_test(tc, test_closed_grace_expiry);
    tcase_add_test(tc, test_port_reuse_after_fin);
    tcase_add_test(tc, test_syn_retransmission_after_rst_stays);
    tcase_add_test(tc, test_syn_on_open_flow_stays);
    suite_add_tcase(s, tc);

    tc = tcase_create("lifecycle");
    tcase_add_test(tc, test_eviction_at_max_flows);
    tcase_add_test(tc, test_flush_and_free_end_every_flow);
    tcase_add_test(tc, test_find_unknown_and_no_ext);
    tcase_add_test(tc, test_many_flows_expire_all);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(flow_table_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
