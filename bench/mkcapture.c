/* mkcapture: writes a deterministic synthetic VoIP office capture (pcap)
 * for benchmarks; the traffic model is described in bench/README.md.
 *
 * The capture is the LAN span-port view of an office behind a NAT router:
 * SIP phones (UDP 5060, RFC 3261, SDP RFC 4566) and G.711 RTP (RFC 3550)
 * to the provider's 199.7.172.0/22, WebRTC calls (TLS signalling, STUN
 * consent checks RFC 7675, SRTP to 168.86.128.0/18), DNS (RFC 1035), short
 * TLS sessions with SNI (RFC 8446, RFC 6066) and bulk HTTP downloads with
 * upstream loss, duplicate ACKs and fast retransmissions (RFC 5681).
 * Every IPv4 (RFC 791), UDP (RFC 768) and TCP (RFC 793) checksum is valid.
 *
 * Determinism: every choice comes from one seeded splitmix64 generator and
 * events are ordered by (time, sequence number), so the same arguments
 * always give the same bytes. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    MK_LINKTYPE_ETHERNET = 1,
    MK_SNAPLEN = 65535,
    MK_MSS = 1460,              /* Ethernet MTU 1500, no TCP options */
    MK_MAX_FRAME = 1600,
    MK_OUTBUF = 4 << 20,
    MK_NOISE = 1 << 16,         /* bytes of random "ciphertext" */
    MK_TONE = 8000,             /* one second of mu-law samples */
    MK_HOSTS_PER_NET = 240,     /* LAN hosts .10-.249 of each /24 */
};

/* Start of the capture: 2024-03-05 14:00:00 UTC, a weekday afternoon. */
static const uint64_t mk_epoch_us = UINT64_C(1709647200000000);
/* The office's public address, as STUN and SIP Via received= show it
 * (RFC 5737 documentation range). */
static const uint32_t mk_public_ip = 0xcb00710aU;      /* 203.0.113.10 */
static const uint32_t mk_router_ip = 0xc0a80101U;      /* 192.168.1.1 */

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, so output depends on the seed only. */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z;

    r->s += UINT64_C(0x9e3779b97f4a7c15);
    z = r->s;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static uint32_t rng_between(struct rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static int rng_permille(struct rng *r, uint32_t pm)
{
    return rng_below(r, 1000) < pm;
}

/* ------------------------------------------------------------------ */
/* Wire helpers */

static void put_be16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* pcap headers are written little-endian whatever the host is. */
static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Internet checksum (RFC 1071): 32-bit big-endian words may be summed
 * because 2^16 = 1 modulo 2^16 - 1. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    while (n >= 4) {
        sum += (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
               (uint64_t)p[2] << 8 | p[3];
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        sum += (uint64_t)p[0] << 8 | p[1];
        p += 2;
        n -= 2;
    }
    if (n)
        sum += (uint64_t)p[0] << 8;
    return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint32_t ip4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return a << 24 | b << 16 | c << 8 | d;
}

static int ip_is_lan(uint32_t ip)
{
    return (ip >> 16) == 0xc0a8;
}

static void ip_str(uint32_t ip, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
             (ip >> 8) & 0xff, ip & 0xff);
}

/* ------------------------------------------------------------------ */
/* One direction of a conversation: addresses, ports and IP fields. */

struct dir {
    uint32_t src;
    uint32_t dst;
    uint16_t sport;
    uint16_t dport;
    uint16_t ip_id;
    uint8_t tos;
    uint8_t ttl;
};

/* Fills d[0] (a -> b) and d[1] (b -> a).  LAN hosts send with TTL 64;
 * what arrives from outside has crossed about a dozen routers. */
static void dir_pair(struct dir d[2], struct rng *r, uint32_t a,
                     uint16_t aport, uint32_t b, uint16_t bport,
                     uint8_t tos_a, uint8_t tos_b)
{
    d[0].src = a;
    d[0].dst = b;
    d[0].sport = aport;
    d[0].dport = bport;
    d[0].ip_id = (uint16_t)rng_next(r);
    d[0].tos = tos_a;
    d[0].ttl = ip_is_lan(a) ? 64 : (uint8_t)rng_between(r, 46, 58);
    d[1].src = b;
    d[1].dst = a;
    d[1].sport = bport;
    d[1].dport = aport;
    d[1].ip_id = (uint16_t)rng_next(r);
    d[1].tos = tos_b;
    d[1].ttl = ip_is_lan(b) ? 64 : (uint8_t)rng_between(r, 46, 58);
}

/* ------------------------------------------------------------------ */
/* Entities: every source of packets is one entity with one pending event.
 * A step writes at most one packet, at the event's time, so the capture
 * is in time order. */

enum ent_kind {
    ENT_FREE,
    ENT_SIP,        /* a SIP phone: REGISTER, then calls one after another */
    ENT_WEB,        /* a WebRTC web phone: calls one after another */
    ENT_RTP,        /* one direction of one RTP stream */
    ENT_STUN,       /* ICE consent checks of one WebRTC call */
    ENT_TLS,        /* DNS lookup, then one TLS session over TCP */
    ENT_BULK,       /* HTTP downloads one after another */
    ENT_BROWSE,     /* starts short TLS sessions at random */
};

struct rtp_stream {
    struct dir d;
    uint64_t nominal;       /* 20 ms grid; the packet is sent later by
                               up to jitter_us */
    uint64_t end;
    uint32_t ssrc;
    uint32_t ts;
    uint32_t tone_off;
    uint16_t seq;
    uint16_t loss_pm;       /* upstream loss, per mille */
    uint16_t jitter_us;
    uint8_t pt;
    uint8_t srtp;           /* payload is ciphertext plus a 10-byte tag */
    uint8_t marker;
};

struct stun_check {
    struct dir d[2];        /* 0: browser -> media server */
    uint64_t end;
    uint32_t n;
    uint8_t txid[12];
    uint8_t awaiting;       /* a request is out, the response is next */
    char user[24];          /* "remote-ufrag:local-ufrag" */
};

struct tcp_conn {
    struct dir d[2];        /* 0: client -> server */
    uint32_t snd_nxt[2];
    uint32_t rcv_nxt[2];    /* what each side acknowledges */
    uint16_t win[2];
};

enum tls_step {
    TLS_DNS_Q,
    TLS_DNS_R,
    TLS_SYN,
    TLS_SYNACK,
    TLS_ACK,
    TLS_CH,
    TLS_SH,
    TLS_SFLIGHT,
    TLS_CACK,
    TLS_CFIN,
    TLS_RESP,
    TLS_RACK,
    TLS_REQ,
    TLS_FIN1,
    TLS_FIN2,
    TLS_FIN3,
};

struct tls_sess {
    struct tcp_conn c;
    struct dir dns[2];      /* 0: client -> resolver */
    uint64_t end;           /* long-lived sessions close at this time */
    uint32_t rtt_us;
    uint32_t exchanges;     /* request/response pairs still to come */
    uint32_t gap_min_ms;
    uint32_t gap_max_ms;
    uint32_t segs_left;     /* of the current server flight */
    uint16_t dns_id;
    uint8_t step;
    char sni[48];
};

struct sip_call {
    struct dir d[2];        /* 0: phone -> proxy */
    uint64_t last_register;
    uint64_t bye_at;
    uint64_t number;        /* the remote party, E.164 without '+' */
    uint64_t sess;
    uint32_t media;         /* provider media server */
    uint32_t ext;
    uint32_t call_no;
    uint32_t cseq;
    uint32_t ftag;
    uint32_t ttag;
    uint32_t rtt_us;
    uint16_t phone_rtp;
    uint16_t media_port;
    uint8_t step;
    uint8_t outbound;       /* the phone places the call */
    uint8_t one_way;        /* provider audio never reaches the phone */
    uint8_t bye_by_phone;
};

struct web_call {
    uint64_t end;
    uint32_t host;
    uint32_t media;
    uint16_t media_port;
    uint16_t local_port;
    uint8_t step;
    uint8_t one_way;
    uint8_t edge2x;         /* Voice JS 2.x: voice-js.roaming.twilio.com */
};

struct bulk {
    struct tcp_conn c;
    uint64_t left;          /* body bytes not yet sent */
    uint64_t next_seg;      /* time of the next new data segment */
    uint64_t ack_at;
    uint64_t rtx_at;
    uint32_t client;
    uint32_t rtt_us;
    uint32_t gap_us;        /* between data segments */
    uint32_t hole_seq;      /* the lost segment, while one is lost */
    uint32_t hole_len;
    uint32_t high;          /* highest sequence number received */
    uint32_t unacked;       /* in-order segments since the last ACK */
    uint32_t dupacks;
    uint32_t file_no;
    uint8_t phase;
    uint8_t ack_due;
    uint8_t rtx_due;
    uint8_t hdr_sent;
};

struct browse {
    uint32_t mean_gap_us;
};

struct ent {
    enum ent_kind kind;
    union {
        struct rtp_stream rtp;
        struct stun_check stun;
        struct tls_sess tls;
        struct sip_call sip;
        struct web_call web;
        struct bulk bulk;
        struct browse browse;
    } u;
};

struct event {
    uint64_t t;
    uint64_t seq;
    uint32_t id;
};

struct gen {
    struct rng rng;
    FILE *fp;
    uint8_t *out;
    size_t out_len;
    int write_failed;
    uint64_t now;
    uint64_t written;
    uint64_t limit;
    struct ent *ents;
    uint32_t n_ents;
    uint32_t cap_ents;
    uint32_t *free_ids;
    uint32_t n_free;
    struct event *heap;
    uint32_t n_heap;
    uint64_t ev_seq;
    uint32_t call_no;
    uint8_t noise[MK_NOISE];
    uint8_t tone[MK_TONE];
    uint32_t crc_table[256];
};

/* ------------------------------------------------------------------ */
/* Output */

static void out_flush(struct gen *g)
{
    if (g->out_len && !g->write_failed &&
        fwrite(g->out, 1, g->out_len, g->fp) != g->out_len)
        g->write_failed = 1;
    g->out_len = 0;
}

static void out_file_header(struct gen *g)
{
    uint8_t *p = g->out + g->out_len;

    put_le32(p, 0xa1b2c3d4U);           /* microsecond timestamps */
    p[4] = 2;                           /* version 2.4 */
    p[5] = 0;
    p[6] = 4;
    p[7] = 0;
    put_le32(p + 8, 0);                 /* thiszone */
    put_le32(p + 12, 0);                /* sigfigs */
    put_le32(p + 16, MK_SNAPLEN);
    put_le32(p + 20, MK_LINKTYPE_ETHERNET);
    g->out_len += 24;
}

/* Where the L4 payload of the next frame goes: record header (16),
 * Ethernet (14), IPv4 (20), then l4_hdr bytes. */
static uint8_t *frame_payload(struct gen *g, size_t l4_hdr)
{
    if (g->out_len + 16 + MK_MAX_FRAME > MK_OUTBUF)
        out_flush(g);
    return g->out + g->out_len + 16 + 14 + 20 + l4_hdr;
}

static void mac_of(uint32_t ip, uint8_t *mac)
{
    static const uint8_t router[6] = { 0x00, 0x0d, 0xb9, 0x4a, 0x10, 0x01 };

    if (!ip_is_lan(ip) || ip == mk_router_ip) {
        memcpy(mac, router, 6);
        return;
    }
    /* Phones (third octet odd) get a Yealink OUI, PCs a Dell one. */
    mac[0] = 0x00;
    mac[1] = ((ip >> 8) & 1) ? 0x15 : 0x14;
    mac[2] = ((ip >> 8) & 1) ? 0x65 : 0x22;
    mac[3] = (uint8_t)(ip >> 16);
    mac[4] = (uint8_t)(ip >> 8);
    mac[5] = (uint8_t)ip;
}

/* Writes record, Ethernet and IPv4 headers for an L4 segment of l4_len
 * bytes and returns the pseudo-header sum for the L4 checksum. */
static uint64_t frame_ip(struct gen *g, struct dir *d, uint8_t proto,
                         size_t l4_len)
{
    uint8_t *rec = g->out + g->out_len;
    uint8_t *eth = rec + 16;
    uint8_t *ip = eth + 14;
    uint32_t frame_len = (uint32_t)(14 + 20 + l4_len);
    uint64_t ts = mk_epoch_us + g->now;
    uint64_t sum;

    put_le32(rec, (uint32_t)(ts / 1000000));
    put_le32(rec + 4, (uint32_t)(ts % 1000000));
    put_le32(rec + 8, frame_len);
    put_le32(rec + 12, frame_len);
    mac_of(d->dst, eth);
    mac_of(d->src, eth + 6);
    put_be16(eth + 12, 0x0800);
    ip[0] = 0x45;
    ip[1] = d->tos;
    put_be16(ip + 2, (uint32_t)(20 + l4_len));
    put_be16(ip + 4, d->ip_id++);
    put_be16(ip + 6, 0x4000);           /* DF */
    ip[8] = d->ttl;
    ip[9] = proto;
    put_be16(ip + 10, 0);
    put_be32(ip + 12, d->src);
    put_be32(ip + 16, d->dst);
    put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    sum = csum_add(0, ip + 12, 8);
    return sum + proto + l4_len;
}

static void frame_commit(struct gen *g, size_t l4_len)
{
    g->out_len += 16 + 14 + 20 + l4_len;
    g->written++;
}

/* Sends a UDP datagram whose payload is already at frame_payload(g, 8). */
static void emit_udp(struct gen *g, struct dir *d, size_t len)
{
    uint8_t *udp = frame_payload(g, 8) - 8;
    uint64_t sum = frame_ip(g, d, 17, 8 + len);
    uint16_t ck;

    put_be16(udp, d->sport);
    put_be16(udp + 2, d->dport);
    put_be16(udp + 4, (uint32_t)(8 + len));
    put_be16(udp + 6, 0);
    ck = csum_fold(csum_add(sum, udp, 8 + len));
    put_be16(udp + 6, ck ? ck : 0xffff);
    frame_commit(g, 8 + len);
}

enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
};

/* Sends a TCP segment from side (0 client, 1 server) with an explicit
 * sequence number; the payload is already at frame_payload(g, 20).  A SYN
 * carries MSS and window scale options (RFC 7323). */
static void emit_tcp_seq(struct gen *g, struct tcp_conn *c, int side,
                         uint8_t flags, uint32_t seq, size_t len)
{
    size_t hl = (flags & TCP_SYN) ? 28 : 20;
    uint8_t *tcp = frame_payload(g, 20) - 20;
    struct dir *d = &c->d[side];
    uint64_t sum;

    if (flags & TCP_SYN)
        len = 0;
    sum = frame_ip(g, d, 6, hl + len);
    put_be16(tcp, d->sport);
    put_be16(tcp + 2, d->dport);
    put_be32(tcp + 4, seq);
    put_be32(tcp + 8, (flags & TCP_ACK) ? c->rcv_nxt[side] : 0);
    tcp[12] = (uint8_t)((hl / 4) << 4);
    tcp[13] = flags;
    put_be16(tcp + 14, (flags & TCP_SYN) ? 64240 : c->win[side]);
    put_be16(tcp + 16, 0);
    put_be16(tcp + 18, 0);
    if (flags & TCP_SYN) {
        tcp[20] = 2;                    /* MSS */
        tcp[21] = 4;
        put_be16(tcp + 22, MK_MSS);
        tcp[24] = 1;                    /* NOP */
        tcp[25] = 3;                    /* window scale 7 */
        tcp[26] = 3;
        tcp[27] = 7;
    }
    put_be16(tcp + 16, csum_fold(csum_add(sum, tcp, hl + len)));
    frame_commit(g, hl + len);
}

/* The ordinary case: next sequence number, delivered to the peer. */
static void emit_tcp(struct gen *g, struct tcp_conn *c, int side,
                     uint8_t flags, size_t len)
{
    uint32_t seq = c->snd_nxt[side];

    emit_tcp_seq(g, c, side, flags, seq, len);
    c->snd_nxt[side] += (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) != 0);
    c->rcv_nxt[!side] = c->snd_nxt[side];
}

static void tcp_init(struct tcp_conn *c, struct rng *r, uint32_t client,
                     uint16_t cport, uint32_t server, uint16_t sport)
{
    dir_pair(c->d, r, client, cport, server, sport, 0, 0);
    c->snd_nxt[0] = (uint32_t)rng_next(r);
    c->snd_nxt[1] = (uint32_t)rng_next(r);
    c->rcv_nxt[0] = 0;
    c->rcv_nxt[1] = 0;
    c->win[0] = 502;                    /* x128 = 64256 */
    c->win[1] = (uint16_t)rng_between(r, 230, 1024);
}

/* Random bytes standing in for ciphertext and compressed files. */
static void fill_noise(struct gen *g, uint8_t *p, size_t len)
{
    while (len) {
        size_t n = len < MK_NOISE / 2 ? len : MK_NOISE / 2;

        memcpy(p, g->noise + rng_below(&g->rng, MK_NOISE / 2), n);
        p += n;
        len -= n;
    }
}

/* ------------------------------------------------------------------ */
/* Entity pool and the event heap */

static struct ent *ent_at(struct gen *g, uint32_t id)
{
    return &g->ents[id];
}

static uint32_t ent_new(struct gen *g, enum ent_kind kind)
{
    uint32_t id;

    if (g->n_free) {
        id = g->free_ids[--g->n_free];
    } else {
        if (g->n_ents == g->cap_ents) {
            uint32_t cap = g->cap_ents ? g->cap_ents * 2 : 1024;
            struct ent *e = realloc(g->ents, cap * sizeof(*e));
            uint32_t *f = realloc(g->free_ids, cap * sizeof(*f));
            struct event *h = realloc(g->heap, cap * sizeof(*h));

            if (e)
                g->ents = e;
            if (f)
                g->free_ids = f;
            if (h)
                g->heap = h;
            if (!e || !f || !h) {
                fprintf(stderr, "mkcapture: out of memory\n");
                exit(2);
            }
            g->cap_ents = cap;
        }
        id = g->n_ents++;
    }
    memset(&g->ents[id], 0, sizeof(g->ents[id]));
    g->ents[id].kind = kind;
    return id;
}

static void ent_free(struct gen *g, uint32_t id)
{
    g->ents[id].kind = ENT_FREE;
    g->free_ids[g->n_free++] = id;
}

static int ev_less(const struct event *a, const struct event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Schedules entity id at time t (never before now). */
static void sched(struct gen *g, uint32_t id, uint64_t t)
{
    struct event ev;
    uint32_t i = g->n_heap++;

    ev.t = t < g->now ? g->now : t;
    ev.seq = g->ev_seq++;
    ev.id = id;
    while (i) {
        uint32_t parent = (i - 1) / 2;

        if (!ev_less(&ev, &g->heap[parent]))
            break;
        g->heap[i] = g->heap[parent];
        i = parent;
    }
    g->heap[i] = ev;
}

static struct event heap_pop(struct gen *g)
{
    struct event top = g->heap[0];
    struct event last = g->heap[--g->n_heap];
    uint32_t i = 0;

    for (;;) {
        uint32_t l = 2 * i + 1;
        uint32_t m;

        if (l >= g->n_heap)
            break;
        m = l;
        if (l + 1 < g->n_heap && ev_less(&g->heap[l + 1], &g->heap[l]))
            m = l + 1;
        if (!ev_less(&g->heap[m], &last))
            break;
        g->heap[i] = g->heap[m];
        i = m;
    }
    if (g->n_heap)
        g->heap[i] = last;
    return top;
}

/* ------------------------------------------------------------------ */
/* RTP (RFC 3550 section 5.1), G.711 mu-law at 20 ms (RFC 3551) */

static void rtp_start(struct gen *g, const struct dir *d, uint64_t start,
                      uint64_t end, uint8_t srtp, uint16_t loss_pm,
                      uint16_t jitter_us)
{
    uint32_t id = ent_new(g, ENT_RTP);
    struct rtp_stream *s = &ent_at(g, id)->u.rtp;

    s->d = *d;
    s->nominal = start;
    s->end = end;
    s->ssrc = (uint32_t)rng_next(&g->rng);
    s->ts = (uint32_t)rng_next(&g->rng);
    s->seq = (uint16_t)rng_next(&g->rng);
    s->tone_off = rng_below(&g->rng, MK_TONE / 160) * 160;
    s->loss_pm = loss_pm;
    s->jitter_us = jitter_us;
    s->pt = 0;                          /* PCMU */
    s->srtp = srtp;
    s->marker = 1;
    sched(g, id, start);
}

static void rtp_step(struct gen *g, uint32_t id)
{
    struct rtp_stream *s = &ent_at(g, id)->u.rtp;
    size_t len = 12 + 160 + (s->srtp ? 10 : 0);

    if (s->nominal >= s->end) {
        ent_free(g, id);
        return;
    }
    if (!rng_permille(&g->rng, s->loss_pm)) {
        uint8_t *p = frame_payload(g, 8);

        p[0] = 0x80;
        p[1] = (uint8_t)((s->marker ? 0x80 : 0) | s->pt);
        put_be16(p + 2, s->seq);
        put_be32(p + 4, s->ts);
        put_be32(p + 8, s->ssrc);
        if (s->srtp)
            fill_noise(g, p + 12, 170);
        else
            memcpy(p + 12, g->tone + s->tone_off, 160);
        emit_udp(g, &s->d, len);
        s->marker = 0;
    }
    s->seq++;
    s->ts += 160;
    s->tone_off = (s->tone_off + 160) % MK_TONE;
    s->nominal += 20000;
    sched(g, id, s->nominal + rng_below(&g->rng, s->jitter_us + 1u));
}

/* ------------------------------------------------------------------ */
/* STUN consent checks (RFC 8489 message format, RFC 7675 consent every
 * 4-6 s).  Twilio's media servers are ICE-lite: only the browser checks. */

static uint32_t crc32_calc(const struct gen *g, const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffU;
    size_t i;

    for (i = 0; i < n; i++)
        c = g->crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffU;
}

static size_t stun_attr(uint8_t *p, uint16_t type, const void *val,
                        size_t len)
{
    size_t padded = (len + 3) & ~(size_t)3;

    put_be16(p, type);
    put_be16(p + 2, (uint32_t)len);
    memcpy(p + 4, val, len);
    memset(p + 4 + len, 0, padded - len);
    return 4 + padded;
}

/* Adds MESSAGE-INTEGRITY (an HMAC we cannot know without the ICE password:
 * random bytes) and FINGERPRINT, and sets the length. */
static size_t stun_finish(struct gen *g, uint8_t *p, size_t n)
{
    uint8_t mi[20];
    uint8_t fp[4];

    fill_noise(g, mi, sizeof(mi));
    n += stun_attr(p + n, 0x0008, mi, sizeof(mi));
    put_be16(p + 2, (uint32_t)(n + 8 - 20));
    put_be32(fp, crc32_calc(g, p, n) ^ 0x5354554eU);
    n += stun_attr(p + n, 0x8028, fp, sizeof(fp));
    return n;
}

static void stun_step(struct gen *g, uint32_t id)
{
    struct stun_check *s = &ent_at(g, id)->u.stun;
    uint8_t *p;
    size_t n = 20;
    uint8_t v[8];

    if (!s->awaiting && g->now >= s->end) {
        ent_free(g, id);
        return;
    }
    p = frame_payload(g, 8);
    put_be32(p + 4, 0x2112a442U);       /* magic cookie */
    if (!s->awaiting) {
        size_t i;

        for (i = 0; i < sizeof(s->txid); i++)
            s->txid[i] = (uint8_t)rng_next(&g->rng);
        put_be16(p, 0x0001);            /* Binding request */
        memcpy(p + 8, s->txid, 12);
        n += stun_attr(p + n, 0x0006, s->user, strlen(s->user));
        put_be32(v, 0x6e7f1eff);        /* PRIORITY: host candidate */
        n += stun_attr(p + n, 0x0024, v, 4);
        put_be32(v, 0x1c2d3e4f);        /* ICE-CONTROLLING tie-breaker */
        put_be32(v + 4, s->n);
        n += stun_attr(p + n, 0x802a, v, 8);
        if (s->n == 0)
            n += stun_attr(p + n, 0x0025, v, 0);    /* USE-CANDIDATE */
        n = stun_finish(g, p, n);
        emit_udp(g, &s->d[0], n);
        s->awaiting = 1;
        sched(g, id, g->now + rng_between(&g->rng, 15000, 60000));
        return;
    }
    put_be16(p, 0x0101);                /* Binding success response */
    memcpy(p + 8, s->txid, 12);
    v[0] = 0;
    v[1] = 1;                           /* IPv4 */
    put_be16(v + 2, s->d[0].sport ^ 0x2112U);
    put_be32(v + 4, mk_public_ip ^ 0x2112a442U);
    n += stun_attr(p + n, 0x0020, v, 8);    /* XOR-MAPPED-ADDRESS */
    n = stun_finish(g, p, n);
    emit_udp(g, &s->d[1], n);
    s->awaiting = 0;
    s->n++;
    sched(g, id, g->now + rng_between(&g->rng, 4000000, 6000000));
}

/* ------------------------------------------------------------------ */
/* DNS (RFC 1035 section 4) */

static size_t dns_name(uint8_t *p, const char *name)
{
    size_t n = 0;

    while (*name) {
        const char *dot = strchr(name, '.');
        size_t len = dot ? (size_t)(dot - name) : strlen(name);

        p[n++] = (uint8_t)len;
        memcpy(p + n, name, len);
        n += len;
        name += len + (dot ? 1 : 0);
    }
    p[n++] = 0;
    return n;
}

static size_t dns_message(uint8_t *p, uint16_t id, const char *name,
                          uint32_t answer, int response)
{
    size_t n = 12;

    put_be16(p, id);
    put_be16(p + 2, response ? 0x8180 : 0x0100);
    put_be16(p + 4, 1);
    put_be16(p + 6, response ? 1 : 0);
    put_be16(p + 8, 0);
    put_be16(p + 10, 0);
    n += dns_name(p + n, name);
    put_be16(p + n, 1);                 /* A */
    put_be16(p + n + 2, 1);             /* IN */
    n += 4;
    if (response) {
        put_be16(p + n, 0xc00c);        /* the name in the question */
        put_be16(p + n + 2, 1);
        put_be16(p + n + 4, 1);
        put_be32(p + n + 6, 60);        /* TTL */
        put_be16(p + n + 10, 4);
        put_be32(p + n + 12, answer);
        n += 16;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* TLS 1.3 handshake records (RFC 8446 section 4) */

static size_t tls_client_hello(struct gen *g, uint8_t *p, const char *sni)
{
    static const uint16_t suites[] = {
        0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
        0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
    };
    size_t sni_len = strlen(sni);
    size_t n = 9;
    size_t ext_at;
    size_t i;

    p[0] = 0x16;                        /* handshake record */
    put_be16(p + 1, 0x0301);
    p[5] = 1;                           /* ClientHello */
    put_be16(p + n, 0x0303);
    n += 2;
    fill_noise(g, p + n, 32);           /* random */
    n += 32;
    p[n++] = 32;                        /* legacy session id */
    fill_noise(g, p + n, 32);
    n += 32;
    put_be16(p + n, (uint32_t)(2 * (sizeof(suites) / sizeof(suites[0]))));
    n += 2;
    for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++, n += 2)
        put_be16(p + n, suites[i]);
    p[n++] = 1;                         /* compression: null */
    p[n++] = 0;
    ext_at = n;
    n += 2;
    put_be16(p + n, 0x0000);            /* server_name (RFC 6066) */
    put_be16(p + n + 2, (uint32_t)(sni_len + 5));
    put_be16(p + n + 4, (uint32_t)(sni_len + 3));
    p[n + 6] = 0;                       /* host_name */
    put_be16(p + n + 7, (uint32_t)sni_len);
    memcpy(p + n + 9, sni, sni_len);
    n += 9 + sni_len;
    memcpy(p + n, "\x00\x0a\x00\x08\x00\x06\x00\x1d\x00\x17\x00\x18", 12);
    n += 12;                            /* supported_groups */
    memcpy(p + n, "\x00\x0d\x00\x0a\x00\x08\x04\x03\x08\x04\x04\x01"
           "\x05\x01", 14);
    n += 14;                            /* signature_algorithms */
    memcpy(p + n, "\x00\x10\x00\x0e\x00\x0c\x02h2\x08http/1.1", 18);
    n += 18;                            /* ALPN */
    memcpy(p + n, "\x00\x2b\x00\x05\x04\x03\x04\x03\x03", 9);
    n += 9;                             /* supported_versions */
    memcpy(p + n, "\x00\x2d\x00\x02\x01\x01", 6);
    n += 6;                             /* psk_key_exchange_modes */
    memcpy(p + n, "\x00\x33\x00\x26\x00\x24\x00\x1d\x00\x20", 10);
    n += 10;                            /* key_share: x25519 */
    fill_noise(g, p + n, 32);
    n += 32;
    put_be16(p + ext_at, (uint32_t)(n - ext_at - 2));
    put_be16(p + 3, (uint32_t)(n - 5));
    p[6] = (uint8_t)((n - 9) >> 16);
    put_be16(p + 7, (uint32_t)(n - 9));
    return n;
}

/* ServerHello, ChangeCipherSpec and the first encrypted record. */
static size_t tls_server_hello(struct gen *g, uint8_t *p, size_t want)
{
    size_t n = 9;
    size_t ad;

    p[0] = 0x16;
    put_be16(p + 1, 0x0303);
    p[5] = 2;                           /* ServerHello */
    put_be16(p + n, 0x0303);
    n += 2;
    fill_noise(g, p + n, 32);
    n += 32;
    p[n++] = 32;
    fill_noise(g, p + n, 32);
    n += 32;
    put_be16(p + n, 0x1301);            /* TLS_AES_128_GCM_SHA256 */
    p[n + 2] = 0;
    n += 3;
    memcpy(p + n, "\x00\x2e\x00\x2b\x00\x02\x03\x04\x00\x33\x00\x24\x00\x1d"
           "\x00\x20", 16);
    n += 16;
    fill_noise(g, p + n, 32);
    n += 32;
    put_be16(p + 3, (uint32_t)(n - 5));
    p[6] = 0;
    put_be16(p + 7, (uint32_t)(n - 9));
    memcpy(p + n, "\x14\x03\x03\x00\x01\x01", 6);
    n += 6;
    ad = want > n + 5 + 64 ? want - n - 5 : 64;
    p[n] = 0x17;
    put_be16(p + n + 1, 0x0303);
    put_be16(p + n + 3, (uint32_t)ad);
    fill_noise(g, p + n + 5, ad);
    return n + 5 + ad;
}

/* One application_data record of len bytes in all. */
static size_t tls_app_data(struct gen *g, uint8_t *p, size_t len)
{
    p[0] = 0x17;
    put_be16(p + 1, 0x0303);
    put_be16(p + 3, (uint32_t)(len - 5));
    fill_noise(g, p + 5, len - 5);
    return len;
}

/* ------------------------------------------------------------------ */
/* TLS sessions: optional DNS lookup, TCP handshake, TLS handshake, some
 * request/response exchanges, FIN both ways. */

struct tls_params {
    const char *sni;
    uint32_t client;
    uint32_t server;
    uint64_t end;           /* 0: close after the exchanges */
    uint32_t exchanges;
    uint32_t gap_min_ms;
    uint32_t gap_max_ms;
    int dns;
};

static void tls_start(struct gen *g, const struct tls_params *tp,
                      uint64_t at)
{
    uint32_t id = ent_new(g, ENT_TLS);
    struct tls_sess *s = &ent_at(g, id)->u.tls;
    uint16_t cport = (uint16_t)rng_between(&g->rng, 32768, 60999);

    tcp_init(&s->c, &g->rng, tp->client, cport, tp->server, 443);
    dir_pair(s->dns, &g->rng, tp->client,
             (uint16_t)rng_between(&g->rng, 32768, 60999), mk_router_ip, 53,
             0, 0);
    snprintf(s->sni, sizeof(s->sni), "%s", tp->sni);
    s->end = tp->end;
    s->rtt_us = rng_between(&g->rng, 12000, 90000);
    s->exchanges = tp->exchanges;
    s->gap_min_ms = tp->gap_min_ms;
    s->gap_max_ms = tp->gap_max_ms;
    s->dns_id = (uint16_t)rng_next(&g->rng);
    s->step = tp->dns ? TLS_DNS_Q : TLS_SYN;
    sched(g, id, at);
}

static uint64_t tls_gap(struct gen *g, const struct tls_sess *s)
{
    return (uint64_t)rng_between(&g->rng, s->gap_min_ms, s->gap_max_ms) *
           1000;
}

static void tls_step(struct gen *g, uint32_t id)
{
    struct tls_sess *s = &ent_at(g, id)->u.tls;
    struct tcp_conn *c = &s->c;
    uint8_t *p;
    size_t n;
    uint64_t next = g->now + rng_between(&g->rng, 40, 400);

    switch (s->step) {
    case TLS_DNS_Q:
        n = dns_message(frame_payload(g, 8), s->dns_id, s->sni, 0, 0);
        emit_udp(g, &s->dns[0], n);
        s->step = TLS_DNS_R;
        next = g->now + rng_between(&g->rng, 800, 30000);
        break;
    case TLS_DNS_R:
        n = dns_message(frame_payload(g, 8), s->dns_id, s->sni,
                        c->d[0].dst, 1);
        emit_udp(g, &s->dns[1], n);
        s->step = TLS_SYN;
        break;
    case TLS_SYN:
        emit_tcp(g, c, 0, TCP_SYN, 0);
        s->step = TLS_SYNACK;
        next = g->now + s->rtt_us;
        break;
    case TLS_SYNACK:
        emit_tcp(g, c, 1, TCP_SYN | TCP_ACK, 0);
        s->step = TLS_ACK;
        break;
    case TLS_ACK:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        s->step = TLS_CH;
        break;
    case TLS_CH:
        n = tls_client_hello(g, frame_payload(g, 20), s->sni);
        emit_tcp(g, c, 0, TCP_PSH | TCP_ACK, n);
        s->step = TLS_SH;
        next = g->now + s->rtt_us;
        break;
    case TLS_SH:
        n = tls_server_hello(g, frame_payload(g, 20), MK_MSS);
        emit_tcp(g, c, 1, TCP_ACK, n);
        s->step = TLS_SFLIGHT;
        s->segs_left = 2;
        break;
    case TLS_SFLIGHT:
        /* Certificate and the rest of the flight, one record a segment. */
        n = s->segs_left == 1 ? rng_between(&g->rng, 300, 1200) : MK_MSS;
        tls_app_data(g, frame_payload(g, 20), n);
        emit_tcp(g, c, 1, s->segs_left == 1 ? TCP_PSH | TCP_ACK : TCP_ACK,
                 n);
        if (--s->segs_left == 0)
            s->step = TLS_CACK;
        break;
    case TLS_CACK:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        s->step = TLS_CFIN;
        next = g->now + rng_between(&g->rng, 1000, 6000);
        break;
    case TLS_CFIN:
    case TLS_REQ:
        p = frame_payload(g, 20);
        n = 0;
        if (s->step == TLS_CFIN) {
            memcpy(p, "\x14\x03\x03\x00\x01\x01", 6);
            n = 6 + tls_app_data(g, p + 6, 58);     /* Finished */
        }
        n += tls_app_data(g, p + n, rng_between(&g->rng, 80, 900));
        emit_tcp(g, c, 0, TCP_PSH | TCP_ACK, n);
        s->step = TLS_RESP;
        s->segs_left = rng_between(&g->rng, 1, 4);
        next = g->now + s->rtt_us + rng_between(&g->rng, 200, 20000);
        break;
    case TLS_RESP:
        n = s->segs_left == 1 ? rng_between(&g->rng, 60, MK_MSS) : MK_MSS;
        tls_app_data(g, frame_payload(g, 20), n);
        emit_tcp(g, c, 1, s->segs_left == 1 ? TCP_PSH | TCP_ACK : TCP_ACK,
                 n);
        if (--s->segs_left == 0)
            s->step = TLS_RACK;
        break;
    case TLS_RACK:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        if (s->exchanges > 0)
            s->exchanges--;
        next = g->now + tls_gap(g, s);
        if (s->exchanges > 0 && (!s->end || next < s->end)) {
            s->step = TLS_REQ;
        } else {
            s->step = TLS_FIN1;
            if (s->end && s->end > g->now)
                next = s->end;
        }
        break;
    case TLS_FIN1:
        emit_tcp(g, c, 0, TCP_FIN | TCP_ACK, 0);
        s->step = TLS_FIN2;
        next = g->now + s->rtt_us;
        break;
    case TLS_FIN2:
        emit_tcp(g, c, 1, TCP_FIN | TCP_ACK, 0);
        s->step = TLS_FIN3;
        break;
    default:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        ent_free(g, id);
        return;
    }
    sched(g, id, next);
}

/* ------------------------------------------------------------------ */
/* Names the office resolves and the addresses they resolve to. */

struct site {
    const char *name;
    uint32_t net;           /* a /24; the host part is chosen per session */
};

static const struct site mk_sites[] = {
    { "chunderw-vpc-gll.twilio.com", 0x3415690aU },    /* 52.21.105.0 */
    { "voice-js.roaming.twilio.com", 0x34156a00U },    /* 52.21.106.0 */
    { "voice-js.ashburn.twilio.com", 0x34156b00U },    /* 52.21.107.0 */
    { "eventgw.twilio.com", 0x22e2aa00U },             /* 34.226.170.0 */
    { "sdk.twilio.com", 0x0de00000U },                 /* 13.224.0.0 */
    { "app.ring.io", 0x68121e00U },                    /* 104.18.30.0 */
    { "www.google.com", 0x8efa4800U },                 /* 142.250.72.0 */
    { "outlook.office365.com", 0x3460a500U },          /* 52.96.165.0 */
    { "teams.microsoft.com", 0x3471c200U },            /* 52.113.194.0 */
    { "login.salesforce.com", 0x686d0a00U },           /* 104.109.10.0 */
    { "update.googleapis.com", 0x8efa5000U },          /* 142.250.80.0 */
};

enum {
    SITE_CHUNDERW,
    SITE_VOICEJS,
    SITE_VOICEJS_ASHBURN,
    SITE_EVENTGW,
    N_SITES = sizeof(mk_sites) / sizeof(mk_sites[0]),
};

static uint32_t site_addr(struct gen *g, int site)
{
    return (mk_sites[site].net & 0xffffff00U) | rng_between(&g->rng, 1, 30);
}

static uint32_t pc_addr(struct gen *g)
{
    return ip4(192, 168, 2, rng_between(&g->rng, 10, 249));
}

/* ------------------------------------------------------------------ */
/* SIP phones (RFC 3261) with SDP offer/answer (RFC 3264) */

enum sip_step {
    SIP_REG,
    SIP_REG_OK,
    SIP_INVITE,
    SIP_TRYING,
    SIP_RINGING,
    SIP_OK,
    SIP_ACK,
    SIP_BYE,
    SIP_BYE_OK,
    SIP_NEXT,
};

static const char mk_user_agent[] = "Yealink SIP-T46S 66.86.0.15";

static int sip_sdp(char *buf, size_t cap, uint64_t sess, uint32_t ip,
                   uint16_t port)
{
    char a[16];

    ip_str(ip, a, sizeof(a));
    return snprintf(buf, cap,
                    "v=0\r\n"
                    "o=- %" PRIu64 " %" PRIu64 " IN IP4 %s\r\n"
                    "s=SIP Call\r\n"
                    "c=IN IP4 %s\r\n"
                    "t=0 0\r\n"
                    "m=audio %u RTP/AVP 0 101\r\n"
                    "a=rtpmap:0 PCMU/8000\r\n"
                    "a=rtpmap:101 telephone-event/8000\r\n"
                    "a=fmtp:101 0-15\r\n"
                    "a=ptime:20\r\n"
                    "a=sendrecv\r\n",
                    sess, sess, a, a, (unsigned)port);
}

/* Writes the SIP message of step s->step into buf; returns its length. */
static size_t sip_text(const struct sip_call *s, char *buf, size_t cap)
{
    char phone[16], proxy[16], ph_uri[48], rm_uri[48];
    char via[128], body[512];
    const char *method = "INVITE";
    const char *from_uri, *to_uri, *status = NULL;
    uint32_t from_tag, to_tag, cseq = s->cseq;
    uint32_t branch;
    int body_len = 0;
    int req_by_phone;
    int len;

    ip_str(s->d[0].src, phone, sizeof(phone));
    ip_str(s->d[0].dst, proxy, sizeof(proxy));
    snprintf(ph_uri, sizeof(ph_uri), "<sip:%u@sip.ring.io>", s->ext);
    snprintf(rm_uri, sizeof(rm_uri), "<sip:+%" PRIu64 "@sip.ring.io>",
             s->number);

    if (s->step == SIP_REG || s->step == SIP_REG_OK) {
        snprintf(via, sizeof(via),
                 "SIP/2.0/UDP %s:5060;branch=z9hG4bK%08x%s", phone,
                 s->call_no * 2654435761U + 17U,
                 s->step == SIP_REG_OK
                 ? ";received=203.0.113.10;rport=5060" : ";rport");
        len = snprintf(buf, cap,
                       "%s"
                       "Via: %s\r\n"
                       "%s"
                       "From: %s;tag=%08x\r\n"
                       "To: %s%s\r\n"
                       "Call-ID: reg-%u-%08x@%s\r\n"
                       "CSeq: %u REGISTER\r\n"
                       "Contact: <sip:%u@%s:5060>;expires=300\r\n"
                       "%s%s%s"
                       "Content-Length: 0\r\n\r\n",
                       s->step == SIP_REG ? "REGISTER sip:sip.ring.io "
                       "SIP/2.0\r\n" : "SIP/2.0 200 OK\r\n",
                       via,
                       s->step == SIP_REG ? "Max-Forwards: 70\r\n" : "",
                       ph_uri, s->ftag ^ 0x5a5a5a5aU, ph_uri,
                       s->step == SIP_REG_OK ? ";tag=as7f3e1c2b" : "",
                       s->ext, s->ftag, phone, s->cseq,
                       s->ext, phone,
                       s->step == SIP_REG ? "User-Agent: " : "",
                       s->step == SIP_REG ? mk_user_agent : "",
                       s->step == SIP_REG ? "\r\nExpires: 300\r\n" : "");
        return len > 0 && (size_t)len < cap ? (size_t)len : 0;
    }

    from_uri = s->outbound ? ph_uri : rm_uri;
    to_uri = s->outbound ? rm_uri : ph_uri;
    from_tag = s->ftag;
    to_tag = s->ttag;
    /* Which side sent the request this message is or answers. */
    switch (s->step) {
    case SIP_INVITE:
    case SIP_TRYING:
    case SIP_RINGING:
    case SIP_OK:
    case SIP_ACK:
        req_by_phone = s->outbound;
        break;
    default:
        req_by_phone = s->bye_by_phone;
        method = "BYE";
        cseq = (s->bye_by_phone == s->outbound) ? s->cseq + 1 : 101;
        if (s->bye_by_phone != s->outbound) {
            /* The callee hangs up: dialog roles swap (RFC 3261 12.2.1). */
            from_uri = s->outbound ? rm_uri : ph_uri;
            to_uri = s->outbound ? ph_uri : rm_uri;
            from_tag = s->ttag;
            to_tag = s->ftag;
        }
        break;
    }
    if (s->step == SIP_ACK)
        method = "ACK";
    branch = s->call_no * 2654435761U + (uint32_t)s->step * 40503U;
    if (s->step == SIP_TRYING || s->step == SIP_RINGING || s->step == SIP_OK)
        branch = s->call_no * 2654435761U + SIP_INVITE * 40503U;
    if (s->step == SIP_BYE_OK)
        branch = s->call_no * 2654435761U + SIP_BYE * 40503U;
    snprintf(via, sizeof(via), "SIP/2.0/UDP %s:5060;branch=z9hG4bK%08x%s",
             req_by_phone ? phone : proxy, branch,
             !req_by_phone ? "" :
             (s->step == SIP_TRYING || s->step == SIP_RINGING ||
              s->step == SIP_OK || s->step == SIP_BYE_OK)
             ? ";received=203.0.113.10;rport=5060" : ";rport");

    if (s->step == SIP_INVITE)
        body_len = sip_sdp(body, sizeof(body), s->sess,
                           s->outbound ? s->d[0].src : s->media,
                           s->outbound ? s->phone_rtp : s->media_port);
    else if (s->step == SIP_OK)
        body_len = sip_sdp(body, sizeof(body), s->sess + 1,
                           s->outbound ? s->media : s->d[0].src,
                           s->outbound ? s->media_port : s->phone_rtp);
    if (body_len < 0 || (size_t)body_len >= sizeof(body))
        body_len = 0;

    switch (s->step) {
    case SIP_TRYING:
        status = "100 Trying";
        break;
    case SIP_RINGING:
        status = "180 Ringing";
        break;
    case SIP_OK:
    case SIP_BYE_OK:
        status = "200 OK";
        break;
    default:
        break;
    }
    {
        char start[128], to_tag_s[24], contact[80];
        int is_req = status == NULL;
        int sender_phone = is_req ? req_by_phone : !req_by_phone;

        /* Request-URI: the dialled number for a new call from the
         * phone, otherwise the remote target (the Contact it gave). */
        if (!is_req)
            snprintf(start, sizeof(start), "SIP/2.0 %s\r\n", status);
        else if (!req_by_phone)
            snprintf(start, sizeof(start), "%s sip:%u@%s:5060 SIP/2.0\r\n",
                     method, s->ext, phone);
        else if (s->step != SIP_BYE)
            snprintf(start, sizeof(start),
                     "%s sip:+%" PRIu64 "@sip.ring.io SIP/2.0\r\n", method,
                     s->number);
        else
            snprintf(start, sizeof(start), "%s sip:gw@%s:5060 SIP/2.0\r\n",
                     method, proxy);
        to_tag_s[0] = '\0';
        if (s->step != SIP_INVITE && s->step != SIP_TRYING)
            snprintf(to_tag_s, sizeof(to_tag_s), ";tag=%08x", to_tag);
        contact[0] = '\0';
        if (s->step == SIP_INVITE || s->step == SIP_RINGING ||
            s->step == SIP_OK)
            snprintf(contact, sizeof(contact), "Contact: <sip:%s%s:5060>\r\n",
                     sender_phone ? "" : "gw@",
                     sender_phone ? phone : proxy);
        len = snprintf(buf, cap,
                       "%s"
                       "Via: %s\r\n"
                       "%s"
                       "From: %s;tag=%08x\r\n"
                       "To: %s%s\r\n"
                       "Call-ID: %08x%08x@%s\r\n"
                       "CSeq: %u %s\r\n"
                       "%s"
                       "%s%s%s"
                       "%s"
                       "Content-Length: %d\r\n\r\n%s",
                       start, via,
                       is_req ? "Max-Forwards: 70\r\n" : "",
                       from_uri, from_tag, to_uri, to_tag_s,
                       s->call_no * 2246822519U, s->ftag,
                       s->outbound ? phone : proxy,
                       cseq, method,
                       contact,
                       sender_phone ? "User-Agent: " : "",
                       sender_phone ? mk_user_agent : "",
                       sender_phone ? "\r\n" : "",
                       body_len ? "Content-Type: application/sdp\r\n" : "",
                       body_len, body_len ? body : "");
    }
    return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

/* A new call on this phone: new Call-ID, tags, ports, media server. */
static void sip_new_call(struct gen *g, struct sip_call *s)
{
    s->call_no = ++g->call_no;
    s->outbound = rng_permille(&g->rng, 650);
    s->one_way = rng_permille(&g->rng, 50);
    s->bye_by_phone = rng_permille(&g->rng, 500);
    /* One random draw per statement: the order in which a compiler
     * evaluates operands is unspecified, and the output must not depend
     * on it. */
    s->number = UINT64_C(14155550000) + rng_below(&g->rng, 10000);
    s->number += (uint64_t)rng_below(&g->rng, 800) * 10000000;
    s->sess = rng_next(&g->rng) >> 34;
    s->cseq = rng_between(&g->rng, 1, 5000);
    s->ftag = (uint32_t)rng_next(&g->rng);
    s->ttag = (uint32_t)rng_next(&g->rng);
    s->phone_rtp = (uint16_t)(11780 + 2 * rng_below(&g->rng, 500));
    s->media = ip4(199, 7, rng_between(&g->rng, 173, 175), 0);
    s->media |= rng_between(&g->rng, 1, 254);
    s->media_port = (uint16_t)(10000 + 2 * rng_below(&g->rng, 5000));
    s->rtt_us = rng_between(&g->rng, 15000, 70000);
}

static void sip_step(struct gen *g, uint32_t id)
{
    struct sip_call *s = &ent_at(g, id)->u.sip;
    uint64_t next = g->now + s->rtt_us;
    int from_phone;
    char *p;
    size_t n;

    switch (s->step) {
    case SIP_REG:
        from_phone = 1;
        break;
    case SIP_REG_OK:
        from_phone = 0;
        break;
    case SIP_INVITE:
    case SIP_ACK:
        from_phone = s->outbound;
        break;
    case SIP_TRYING:
    case SIP_RINGING:
    case SIP_OK:
        from_phone = !s->outbound;
        break;
    case SIP_BYE:
        from_phone = s->bye_by_phone;
        break;
    case SIP_BYE_OK:
        from_phone = !s->bye_by_phone;
        break;
    default:
        /* Between calls: a new call after 1-20 s, re-registering every
         * five minutes (Expires: 300). */
        sip_new_call(g, s);
        next = g->now + rng_between(&g->rng, 1000000, 20000000);
        s->step = s->last_register + UINT64_C(270000000) < next
                  ? SIP_REG : SIP_INVITE;
        sched(g, id, next);
        return;
    }
    p = (char *)frame_payload(g, 8);
    n = sip_text(s, p, MK_MAX_FRAME - 16 - 14 - 20 - 8);
    emit_udp(g, &s->d[from_phone ? 0 : 1], n);

    switch (s->step) {
    case SIP_REG:
        s->last_register = g->now;
        s->step = SIP_REG_OK;
        break;
    case SIP_REG_OK:
        s->step = SIP_INVITE;
        next = g->now + rng_between(&g->rng, 100000, 3000000);
        break;
    case SIP_INVITE:
        s->step = SIP_TRYING;
        next = g->now + (from_phone ? s->rtt_us : 2000);
        break;
    case SIP_TRYING:
        s->step = SIP_RINGING;
        next = g->now + rng_between(&g->rng, 50000, 400000);
        break;
    case SIP_RINGING:
        s->step = SIP_OK;
        next = g->now + rng_between(&g->rng, 1000000, 8000000);
        break;
    case SIP_OK:
        s->step = SIP_ACK;
        next = g->now + (from_phone ? s->rtt_us : 3000);
        break;
    case SIP_ACK: {
        /* Media both ways until the BYE; a one-way call loses the
         * provider's audio before it reaches the LAN. */
        struct dir media[2];
        uint64_t start = g->now + rng_between(&g->rng, 1000, 20000);
        uint64_t bye_at = g->now + (uint64_t)rng_between(&g->rng, 10, 180) *
                          1000000;
        int one_way = s->one_way;

        dir_pair(media, &g->rng, s->d[0].src, s->phone_rtp, s->media,
                 s->media_port, 0xb8, 0x00);    /* EF out, bleached in */
        s->bye_at = bye_at;
        s->step = SIP_BYE;
        next = bye_at;
        /* Starting streams may move the entity pool: s is stale after. */
        rtp_start(g, &media[0], start, bye_at, 0, 0, 300);
        if (!one_way)
            rtp_start(g, &media[1], start + rng_below(&g->rng, 20000),
                      bye_at, 0, 3, 4000);
        sched(g, id, next);
        return;
        break;
    }
    case SIP_BYE:
        s->step = SIP_BYE_OK;
        next = g->now + (from_phone ? s->rtt_us : 2000);
        break;
    default:
        s->step = SIP_NEXT;
        next = g->now;
        break;
    }
    sched(g, id, next);
}

static void sip_phone_start(struct gen *g, uint32_t slot)
{
    uint32_t id = ent_new(g, ENT_SIP);
    struct sip_call *s = &ent_at(g, id)->u.sip;
    uint32_t phone = ip4(192, 168, 1 + 2 * (slot / MK_HOSTS_PER_NET),
                         10 + slot % MK_HOSTS_PER_NET);
    uint32_t proxy = ip4(199, 7, 172, 20 + rng_below(&g->rng, 2));

    dir_pair(s->d, &g->rng, phone, 5060, proxy, 5060, 0x68, 0x00);
    s->ext = 200 + slot;
    sip_new_call(g, s);
    s->step = SIP_REG;
    /* Calls already start in the first seconds, so the capture reaches
     * its full concurrency quickly. */
    sched(g, id, rng_below(&g->rng, 3000000));
}

/* ------------------------------------------------------------------ */
/* WebRTC web phones (Twilio Voice JS): TLS signalling to chunderw or
 * voice-js, Insights events, STUN consent and SRTP to Twilio media. */

enum web_step {
    WEB_START,
    WEB_MEDIA,
    WEB_END,
};

static void web_step(struct gen *g, uint32_t id)
{
    struct web_call w = ent_at(g, id)->u.web;
    struct tls_params tp;
    uint64_t next;

    memset(&tp, 0, sizeof(tp));
    tp.client = w.host;
    switch (w.step) {
    case WEB_START: {
        int site = w.edge2x ? SITE_VOICEJS : SITE_CHUNDERW;
        uint64_t len = (uint64_t)rng_between(&g->rng, 10, 180) * 1000000;

        if (w.edge2x && rng_permille(&g->rng, 200))
            site = SITE_VOICEJS_ASHBURN;
        w.end = g->now + len;
        w.media = ip4(168, 86, 128 + rng_below(&g->rng, 64), 0);
        w.media |= rng_between(&g->rng, 1, 254);
        w.media_port = (uint16_t)rng_between(&g->rng, 10000, 60000);
        w.local_port = (uint16_t)rng_between(&g->rng, 50000, 65000);
        w.one_way = (uint8_t)rng_permille(&g->rng, 50);
        tp.sni = mk_sites[site].name;
        tp.server = site_addr(g, site);
        tp.end = w.end + 500000;
        tp.exchanges = 1000000;
        tp.gap_min_ms = 2000;
        tp.gap_max_ms = 15000;
        tp.dns = 1;
        tls_start(g, &tp, g->now);
        tp.sni = mk_sites[SITE_EVENTGW].name;
        tp.server = site_addr(g, SITE_EVENTGW);
        tp.end = 0;
        tp.exchanges = 3;
        tp.gap_min_ms = 100;
        tp.gap_max_ms = 1500;
        tls_start(g, &tp, g->now + rng_between(&g->rng, 200000, 900000));
        w.step = WEB_MEDIA;
        next = g->now + rng_between(&g->rng, 1200000, 6000000);
        break;
    }
    case WEB_MEDIA: {
        uint32_t sid = ent_new(g, ENT_STUN);
        struct stun_check *st = &ent_at(g, sid)->u.stun;
        struct dir md[2];
        uint64_t start;
        uint32_t ufrag;

        dir_pair(st->d, &g->rng, w.host, w.local_port, w.media,
                 w.media_port, 0, 0);
        ufrag = (uint32_t)rng_next(&g->rng);
        snprintf(st->user, sizeof(st->user), "%08x:%04x", ufrag,
                 rng_below(&g->rng, 65536));
        st->end = w.end;
        /* Copies: starting a stream may move the entity pool. */
        memcpy(md, st->d, sizeof(md));
        sched(g, sid, g->now);
        start = g->now + rng_between(&g->rng, 80000, 200000);
        rtp_start(g, &md[0], start, w.end, 1, 0, 1500);
        if (!w.one_way)
            rtp_start(g, &md[1], start + rng_below(&g->rng, 20000), w.end,
                      1, 3, 6000);
        w.step = WEB_END;
        next = w.end;
        break;
    }
    default:
        /* Call summary to Insights, then the next call. */
        tp.sni = mk_sites[SITE_EVENTGW].name;
        tp.server = site_addr(g, SITE_EVENTGW);
        tp.exchanges = 2;
        tp.gap_min_ms = 100;
        tp.gap_max_ms = 800;
        tp.dns = rng_permille(&g->rng, 300);
        tls_start(g, &tp, g->now + rng_between(&g->rng, 100000, 600000));
        w.step = WEB_START;
        next = g->now + rng_between(&g->rng, 2000000, 20000000);
        break;
    }
    ent_at(g, id)->u.web = w;
    sched(g, id, next);
}

static void web_phone_start(struct gen *g, uint32_t slot)
{
    uint32_t id = ent_new(g, ENT_WEB);
    struct web_call *w = &ent_at(g, id)->u.web;

    w->host = ip4(192, 168, 2 + 2 * (slot / MK_HOSTS_PER_NET),
                  10 + slot % MK_HOSTS_PER_NET);
    w->edge2x = (uint8_t)rng_permille(&g->rng, 600);
    w->step = WEB_START;
    sched(g, id, rng_below(&g->rng, 3000000));
}

/* ------------------------------------------------------------------ */
/* Bulk HTTP downloads (RFC 9112) with upstream loss: the LAN sees the
 * gap, the client's duplicate ACKs and the fast retransmission a round
 * trip after the third duplicate (RFC 5681 section 3.2). */

enum bulk_phase {
    BULK_SYN,
    BULK_SYNACK,
    BULK_ACK,
    BULK_GET,
    BULK_DATA,
    BULK_FIN1,
    BULK_FIN2,
    BULK_FIN3,
    BULK_FIN4,
    BULK_IDLE,
};

static const uint16_t mk_bulk_loss_pm = 3;  /* segments lost upstream */

static void bulk_new(struct gen *g, struct bulk *b)
{
    uint32_t server = ip4(151, 101, rng_below(&g->rng, 4), 0);

    server |= rng_between(&g->rng, 1, 254);
    tcp_init(&b->c, &g->rng, b->client,
             (uint16_t)rng_between(&g->rng, 32768, 60999), server, 80);
    b->left = (uint64_t)rng_between(&g->rng, 2, 40) << 20;
    b->rtt_us = rng_between(&g->rng, 8000, 40000);
    b->gap_us = rng_between(&g->rng, 600, 1400);
    b->hole_len = 0;
    b->unacked = 0;
    b->dupacks = 0;
    b->ack_due = 0;
    b->rtx_due = 0;
    b->hdr_sent = 0;
    b->file_no++;
    b->phase = BULK_SYN;
}

/* The next segment's time: the earliest of data, ACK and retransmission. */
static uint64_t bulk_next(const struct bulk *b)
{
    uint64_t t = b->left || b->hole_len ? b->next_seg : UINT64_MAX;

    if (b->ack_due && b->ack_at < t)
        t = b->ack_at;
    if (b->rtx_due && b->rtx_at < t)
        t = b->rtx_at;
    return t;
}

static void bulk_client_ack(struct gen *g, struct bulk *b, uint32_t delay)
{
    if (!b->ack_due) {
        b->ack_due = 1;
        b->ack_at = g->now + delay;
    }
}

static void bulk_data(struct gen *g, struct bulk *b)
{
    struct tcp_conn *c = &b->c;
    uint8_t *p;
    size_t n;

    if (b->ack_due && b->ack_at <= g->now) {
        b->ack_due = 0;
        emit_tcp_seq(g, c, 0, TCP_ACK, c->snd_nxt[0], 0);
        return;
    }
    if (b->rtx_due && b->rtx_at <= g->now) {
        /* The retransmission fills the hole; everything after it had
         * arrived, so the ACK jumps to the highest byte received. */
        b->rtx_due = 0;
        fill_noise(g, frame_payload(g, 20), b->hole_len);
        emit_tcp_seq(g, c, 1, TCP_ACK, b->hole_seq, b->hole_len);
        b->hole_len = 0;
        b->dupacks = 0;
        c->rcv_nxt[0] = b->high;
        b->unacked = 0;
        bulk_client_ack(g, b, rng_between(&g->rng, 30, 200));
        return;
    }
    if (!b->left) {
        /* Fewer than three segments followed the hole: the sender's
         * retransmission timer fires instead (RFC 6298, 200 ms floor). */
        if (b->hole_len && !b->rtx_due) {
            b->rtx_due = 1;
            b->rtx_at = g->now + 200000 + b->rtt_us;
        }
        b->next_seg = UINT64_MAX;
        return;
    }
    p = frame_payload(g, 20);
    n = b->left < MK_MSS ? (size_t)b->left : MK_MSS;
    if (!b->hdr_sent) {
        int h = snprintf((char *)p, MK_MSS,
                         "HTTP/1.1 200 OK\r\n"
                         "Content-Type: application/octet-stream\r\n"
                         "Content-Length: %" PRIu64 "\r\n"
                         "Accept-Ranges: bytes\r\n"
                         "Cache-Control: max-age=86400\r\n\r\n", b->left);

        b->hdr_sent = 1;
        n = MK_MSS;
        b->left += (uint64_t)h;
        fill_noise(g, p + h, n - (size_t)h);
    } else {
        fill_noise(g, p, n);
    }
    b->left -= n;
    b->next_seg = g->now + b->gap_us + rng_below(&g->rng, b->gap_us / 4);
    if (!b->hole_len && b->left && b->hdr_sent &&
        rng_permille(&g->rng, mk_bulk_loss_pm)) {
        /* Lost before the router: nothing on the LAN.  The frame written
         * at p is simply not committed. */
        b->hole_seq = c->snd_nxt[1];
        b->hole_len = (uint32_t)n;
        c->snd_nxt[1] += (uint32_t)n;
        return;
    }
    emit_tcp_seq(g, c, 1, b->left ? TCP_ACK : TCP_PSH | TCP_ACK,
                 c->snd_nxt[1], n);
    c->snd_nxt[1] += (uint32_t)n;
    b->high = c->snd_nxt[1];
    if (b->hole_len) {
        /* Out of order: an immediate duplicate ACK for every segment. */
        b->ack_due = 0;
        b->dupacks++;
        b->ack_due = 1;
        b->ack_at = g->now + rng_between(&g->rng, 20, 120);
        if (b->dupacks == 3) {
            b->rtx_due = 1;
            b->rtx_at = b->ack_at + b->rtt_us;
        }
        return;
    }
    c->rcv_nxt[0] = b->high;
    if (++b->unacked >= 2 || !b->left) {
        b->unacked = 0;
        bulk_client_ack(g, b, rng_between(&g->rng, 20, 120));
    }
}

static void bulk_step(struct gen *g, uint32_t id)
{
    struct bulk *b = &ent_at(g, id)->u.bulk;
    struct tcp_conn *c = &b->c;
    uint64_t next = g->now + rng_between(&g->rng, 40, 300);
    uint8_t *p;
    int n;

    switch (b->phase) {
    case BULK_SYN:
        emit_tcp(g, c, 0, TCP_SYN, 0);
        b->phase = BULK_SYNACK;
        next = g->now + b->rtt_us;
        break;
    case BULK_SYNACK:
        emit_tcp(g, c, 1, TCP_SYN | TCP_ACK, 0);
        b->phase = BULK_ACK;
        break;
    case BULK_ACK:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        b->phase = BULK_GET;
        break;
    case BULK_GET:
        p = frame_payload(g, 20);
        n = snprintf((char *)p, 512,
                     "GET /pub/%s/pkg-%u.bin HTTP/1.1\r\n"
                     "Host: %s\r\n"
                     "User-Agent: Microsoft-Delivery-Optimization/10.0\r\n"
                     "Accept: */*\r\n\r\n",
                     (b->file_no & 1) ? "win" : "chrome", b->file_no,
                     (b->file_no & 1) ? "download.windowsupdate.com"
                     : "dl.google.com");
        emit_tcp(g, c, 0, TCP_PSH | TCP_ACK, (size_t)n);
        b->phase = BULK_DATA;
        b->high = c->snd_nxt[1];
        next = b->next_seg = g->now + b->rtt_us;
        break;
    case BULK_DATA:
        bulk_data(g, b);
        next = bulk_next(b);
        if (next == UINT64_MAX) {
            b->phase = BULK_FIN1;
            next = g->now + rng_between(&g->rng, 1000, 50000);
        }
        break;
    case BULK_FIN1:
        emit_tcp(g, c, 0, TCP_FIN | TCP_ACK, 0);
        b->phase = BULK_FIN2;
        next = g->now + b->rtt_us;
        break;
    case BULK_FIN2:
        emit_tcp(g, c, 1, TCP_FIN | TCP_ACK, 0);
        b->phase = BULK_FIN3;
        break;
    case BULK_FIN3:
        emit_tcp(g, c, 0, TCP_ACK, 0);
        b->phase = BULK_IDLE;
        next = g->now + rng_between(&g->rng, 500000, 10000000);
        break;
    default:
        bulk_new(g, b);
        break;
    }
    sched(g, id, next);
}

/* ------------------------------------------------------------------ */
/* Browsing: short TLS sessions to a mix of names, Poisson-like starts. */

static void browse_step(struct gen *g, uint32_t id)
{
    struct tls_params tp;
    uint32_t gap = ent_at(g, id)->u.browse.mean_gap_us;
    int site = (int)rng_below(&g->rng, N_SITES);

    memset(&tp, 0, sizeof(tp));
    tp.sni = mk_sites[site].name;
    tp.client = pc_addr(g);
    tp.server = site_addr(g, site);
    tp.exchanges = rng_between(&g->rng, 1, 6);
    tp.gap_min_ms = 5;
    tp.gap_max_ms = 400;
    tp.dns = rng_permille(&g->rng, 600);
    tls_start(g, &tp, g->now);
    sched(g, id, g->now + rng_below(&g->rng, 2 * gap + 1));
}

/* ------------------------------------------------------------------ */
/* Setup */

/* G.711 mu-law encoding of a 16-bit sample (ITU-T G.711, the classic
 * segment search with bias 0x84). */
static uint8_t ulaw_encode(int sample)
{
    int sign = 0;
    int exponent = 7;
    int mantissa;
    int mask;

    if (sample < 0) {
        sample = -sample;
        sign = 0x80;
    }
    if (sample > 32635)
        sample = 32635;
    sample += 0x84;
    for (mask = 0x4000; !(sample & mask) && exponent > 0; mask >>= 1)
        exponent--;
    mantissa = (sample >> (exponent + 3)) & 0x0f;
    return (uint8_t)~(sign | (exponent << 4) | mantissa);
}

static void gen_tables(struct gen *g)
{
    uint32_t i, k;
    int32_t phase = 0;

    for (i = 0; i < MK_NOISE; i++)
        g->noise[i] = (uint8_t)(rng_next(&g->rng) >> 56);
    /* A 400 Hz triangle at -12 dBFS: speech-like level, no libm needed. */
    for (i = 0; i < MK_TONE; i++) {
        int32_t tri;

        phase = (phase + 400 * 65536 / 8000) % 65536;
        tri = phase < 32768 ? phase - 16384 : 49152 - phase;
        g->tone[i] = ulaw_encode(tri / 2);
    }
    for (i = 0; i < 256; i++) {
        uint32_t c = i;

        for (k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
        g->crc_table[i] = c;
    }
}

static void gen_step(struct gen *g, uint32_t id)
{
    switch (ent_at(g, id)->kind) {
    case ENT_RTP:
        rtp_step(g, id);
        break;
    case ENT_STUN:
        stun_step(g, id);
        break;
    case ENT_TLS:
        tls_step(g, id);
        break;
    case ENT_SIP:
        sip_step(g, id);
        break;
    case ENT_WEB:
        web_step(g, id);
        break;
    case ENT_BULK:
        bulk_step(g, id);
        break;
    case ENT_BROWSE:
        browse_step(g, id);
        break;
    default:
        break;
    }
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;
    unsigned long long x;

    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: mkcapture [-n PACKETS] [-c CALLS] [-s SEED] [-o FILE]\n"
            "  -n PACKETS  packets to write (default 1000000)\n"
            "  -c CALLS    concurrent calls (default 300)\n"
            "  -s SEED     random seed (default 1)\n"
            "  -o FILE     output pcap (default: standard output)\n");
}

int main(int argc, char **argv)
{
    struct gen *g = NULL;
    uint64_t packets = 1000000, calls = 300, seed = 1;
    const char *path = NULL;
    uint32_t i, n_bulk, id;
    int opt;
    int ret = 2;

    while ((opt = getopt(argc, argv, "n:c:s:o:h")) != -1) {
        switch (opt) {
        case 'n':
            if (parse_u64(optarg, 1, UINT64_C(1) << 40, &packets) != 0)
                goto bad;
            break;
        case 'c':
            if (parse_u64(optarg, 1, 100000, &calls) != 0)
                goto bad;
            break;
        case 's':
            if (parse_u64(optarg, 0, UINT64_MAX, &seed) != 0)
                goto bad;
            break;
        case 'o':
            path = optarg;
            break;
        default:
            goto bad;
        }
    }
    if (optind != argc)
        goto bad;

    g = calloc(1, sizeof(*g));
    if (g)
        g->out = malloc(MK_OUTBUF);
    if (!g || !g->out) {
        fprintf(stderr, "mkcapture: out of memory\n");
        goto out;
    }
    g->fp = stdout;
    if (path && strcmp(path, "-") != 0) {
        g->fp = fopen(path, "wb");
        if (!g->fp) {
            fprintf(stderr, "mkcapture: cannot open '%s': %s\n", path,
                    strerror(errno));
            goto out;
        }
    }
    g->rng.s = seed ^ UINT64_C(0x6d6b636170747572);    /* "mkcaptur" */
    g->limit = packets;
    gen_tables(g);

    /* About 70 % of the calls are desk phones, the rest web phones. */
    for (i = 0; i < calls; i++) {
        if (rng_permille(&g->rng, 700))
            sip_phone_start(g, i);
        else
            web_phone_start(g, i);
    }
    /* One download for every 100 calls: about a tenth of the packets. */
    n_bulk = (uint32_t)(calls / 100 ? calls / 100 : 1);
    for (i = 0; i < n_bulk; i++) {
        id = ent_new(g, ENT_BULK);
        ent_at(g, id)->u.bulk.client = pc_addr(g);
        bulk_new(g, &ent_at(g, id)->u.bulk);
        sched(g, id, rng_below(&g->rng, 5000000));
    }
    /* One new web session a second for every 30 calls. */
    id = ent_new(g, ENT_BROWSE);
    ent_at(g, id)->u.browse.mean_gap_us =
        (uint32_t)(30000000 / calls ? 30000000 / calls : 1);
    sched(g, id, 0);

    out_file_header(g);
    while (g->written < g->limit && g->n_heap && !g->write_failed) {
        struct event ev = heap_pop(g);

        g->now = ev.t;
        gen_step(g, ev.id);
    }
    out_flush(g);
    if (g->write_failed || fflush(g->fp) != 0) {
        fprintf(stderr, "mkcapture: write error: %s\n", strerror(errno));
        goto out;
    }
    ret = 0;
    goto out;
bad:
    usage();
out:
    if (g && g->fp && g->fp != stdout && fclose(g->fp) != 0 && ret == 0) {
        fprintf(stderr, "mkcapture: write error: %s\n", strerror(errno));
        ret = 2;
    }
    if (g) {
        free(g->out);
        free(g->ents);
        free(g->free_ids);
        free(g->heap);
    }
    free(g);
    return ret;
}
