/* Classification stage: gathers each flow's evidence (TLS and DTLS SNI,
 * HTTP Host, passive DNS, profile ranges and ports, nDPI) and decides its
 * class; follows the TLS handshake.  The decision order and the limits
 * are documented in classify.h; DNS is in classify_dns.c.  Specs: RFC 8446
 * (TLS 1.3), RFC 6066 section 3 (server_name), RFC 9147 (DTLS), RFC 9112
 * section 3.2 (Host), RFC 9293 section 3.4 (sequence numbers). */
#include "config.h"

#include "classify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify_internal.h"
#include "classify_ndpi.h"
#include "dns.h"
#include "http.h"
#include "log.h"
#include "profile.h"
#include "tls.h"

#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17

/* The first byte of a TLS stream: a handshake record (RFC 8446 5.1). */
#define CLASSIFY_TLS_FIRST_BYTE 0x16

/* Bytes of the server's first flight kept to read a ServerHello that
 * does not fit the first segment: one whole plaintext record and its
 * header (tls.c reads the first record whole). */
#define CLASSIFY_SERVER_HELLO_MAX (5 + 16384)

/* --- decision --------------------------------------------------------- */

enum classify_proto_flags {
    CLASSIFY_P_UDP = 1u << 0,
    CLASSIFY_P_TCP = 1u << 1,
};

/* Step 5: the server ports of the generic classes (IANA service names
 * domain, http, http-alt, https, sip, sips, stun). */
static const struct {
    uint16_t lo;
    uint16_t hi;
    unsigned protos;
    const char *cls;
} classify_well_known[] = {
    { 53, 53, CLASSIFY_P_UDP | CLASSIFY_P_TCP, "dns" },
    { 80, 80, CLASSIFY_P_TCP, "http" },
    { 8080, 8080, CLASSIFY_P_TCP, "http" },
    { 443, 443, CLASSIFY_P_TCP, "tls" },
    { 5060, 5061, CLASSIFY_P_UDP | CLASSIFY_P_TCP, "sip" },
    { 3478, 3478, CLASSIFY_P_UDP | CLASSIFY_P_TCP, "stun" },
};

/* nDPI protocol names (ndpi_main.c of 4.2 to 4.12) and what they stand
 * for.  "Jabber" is nDPI's name for XMPP. */
static const struct {
    const char *ndpi;
    const char *cls;
} classify_ndpi_map[] = {
    { "SIP", "sip" },
    { "RTP", "rtp" },
    { "RTCP", "rtp" },
    { "STUN", "stun" },
    { "TLS", "tls" },
    { "DTLS", "tls" },
    { "HTTP", "http" },
    { "HTTP_Proxy", "http" },
    { "HTTP_Connect", "http" },
    { "DNS", "dns" },
    { "Jabber", "xmpp" },
    { "XMPP", "xmpp" },
};

static const char *classify_ndpi_lookup(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(classify_ndpi_map) / sizeof(classify_ndpi_map[0]);
         i++)
        if (strlen(classify_ndpi_map[i].ndpi) == n &&
            strncasecmp(classify_ndpi_map[i].ndpi, s, n) == 0)
            return classify_ndpi_map[i].cls;
    return NULL;
}

const char *classify_ndpi_generic(const char *ndpi_proto)
{
    const char *dot;
    const char *cls;

    if (!ndpi_proto || !ndpi_proto[0])
        return NULL;
    dot = strchr(ndpi_proto, '.');
    if (!dot)
        return classify_ndpi_lookup(ndpi_proto, strlen(ndpi_proto));
    cls = classify_ndpi_lookup(ndpi_proto, (size_t)(dot - ndpi_proto));
    if (cls)
        return cls;
    return classify_ndpi_lookup(dot + 1, strlen(dot + 1));
}

static bool classify_has(const char *s)
{
    return s && s[0];
}

/* The first profile rule on protocol and port alone that fits. */
static const struct profile_class *
classify_port_rule(const struct profile *p, uint8_t proto, uint16_t port)
{
    size_t i;

    for (i = 0; i < profile_rule_count(p); i++) {
        const struct profile_rule *r = profile_rule_at(p, i);

        if (r->n_ranges == 0 && r->n_hosts == 0 &&
            profile_rule_matches(r, NULL, NULL, proto, port))
            return r->cls;
    }
    return NULL;
}

static const char *classify_well_known_port(uint8_t proto, uint16_t port)
{
    unsigned flag = proto == IPPROTO_NUM_UDP ? CLASSIFY_P_UDP
                  : proto == IPPROTO_NUM_TCP ? CLASSIFY_P_TCP : 0;
    size_t i;

    for (i = 0; i < sizeof(classify_well_known) /
                    sizeof(classify_well_known[0]); i++)
        if ((classify_well_known[i].protos & flag) &&
            port >= classify_well_known[i].lo &&
            port <= classify_well_known[i].hi)
            return classify_well_known[i].cls;
    return NULL;
}

static void classify_set(const struct profile *p,
                         struct classify_decision *out,
                         const struct profile_class *cls, const char *name,
                         enum flow_classified_by by)
{
    if (!cls && name)
        cls = profile_class_find(p, name);
    out->cls = cls;
    out->class_name = cls ? cls->name : name;
    out->by = by;
}

void classify_decide(const struct profile *p,
                     const struct classify_evidence *ev,
                     struct classify_decision *out)
{
    const char *names[3] = { ev->sni, ev->http_host, ev->dns_name };
    static const enum flow_classified_by name_by[3] = {
        FLOW_BY_SNI, FLOW_BY_HTTP_HOST, FLOW_BY_DNS,
    };
    const struct profile_class *cls;
    struct profile_match m;
    const char *generic;
    size_t i;

    out->hostname = NULL;
    for (i = 0; i < 3 && !out->hostname; i++)
        if (classify_has(names[i]))
            out->hostname = names[i];

    /* 1. A name whose rule covers this traffic. */
    for (i = 0; i < 3; i++) {
        if (!classify_has(names[i]))
            continue;
        cls = profile_match_host_port(p, names[i], ev->proto,
                                      ev->server_port, NULL);
        if (cls) {
            out->hostname = names[i];
            classify_set(p, out, cls, NULL, name_by[i]);
            return;
        }
    }

    /* 2. A range: the server's, else the client's ("to or from"). */
    cls = profile_match_addr(p, &ev->server_ip, ev->proto, ev->server_port,
                             &m);
    if (cls && m.by == PROFILE_BY_RANGE) {
        classify_set(p, out, cls, NULL, FLOW_BY_RANGE);
        return;
    }
    cls = profile_match_addr(p, &ev->client_ip, ev->proto, ev->client_port,
                             &m);
    if (cls && m.by == PROFILE_BY_RANGE) {
        classify_set(p, out, cls, NULL, FLOW_BY_RANGE);
        return;
    }

    /* 3. nDPI. */
    generic = classify_ndpi_generic(ev->ndpi_proto);
    if (generic && strcmp(generic, "xmpp") == 0) {
        cls = classify_port_rule(p, ev->proto, ev->server_port);
        if (cls) {
            classify_set(p, out, cls, NULL, FLOW_BY_NDPI);
            return;
        }
    } else if (generic) {
        classify_set(p, out, NULL, generic, FLOW_BY_NDPI);
        return;
    }

    /* 4. A profile rule on protocol and port alone. */
    cls = classify_port_rule(p, ev->proto, ev->server_port);
    if (cls) {
        classify_set(p, out, cls, NULL, FLOW_BY_PORT);
        return;
    }

    /* 5. Well-known ports. */
    generic = classify_well_known_port(ev->proto, ev->server_port);
    if (generic) {
        classify_set(p, out, NULL, generic, FLOW_BY_PORT);
        return;
    }

    /* 6. A name of the profile on traffic no rule of it covers; only
     * TCP and UDP can be any class's traffic. */
    for (i = 0; i < 3 && (ev->proto == IPPROTO_NUM_TCP ||
                          ev->proto == IPPROTO_NUM_UDP); i++) {
        if (!classify_has(names[i]))
            continue;
        cls = profile_match_host(p, names[i], NULL);
        if (cls) {
            out->hostname = names[i];
            classify_set(p, out, cls, NULL, name_by[i]);
            return;
        }
    }

    /* 7. */
    classify_set(p, out, NULL, "other", FLOW_BY_NONE);
}

/* --- per-flow state --------------------------------------------------- */

enum classify_flow_flags {
    CLASSIFY_F_STARTED = 1u << 0,
    CLASSIFY_F_NDPI_DONE = 1u << 1,     /* nDPI gave its verdict */
    CLASSIFY_F_NAMES_DONE = 1u << 2,    /* SNI / Host found or given up */
    CLASSIFY_F_TLS_DONE = 1u << 3,      /* handshake followed or not TLS */
    CLASSIFY_F_DONE = 1u << 4,          /* all of the above: decided */
    CLASSIFY_F_DNS = 1u << 5,           /* DNS messages are read */
    CLASSIFY_F_DTLS_CLIENT = 1u << 6,   /* DTLS ClientHello read */
    CLASSIFY_F_DTLS_SERVER = 1u << 7,   /* DTLS ServerHello read */
};

#define CLASSIFY_F_SETTLED \
    (CLASSIFY_F_NDPI_DONE | CLASSIFY_F_NAMES_DONE | CLASSIFY_F_TLS_DONE)

/* What the client's first bytes are. */
enum classify_client_tls {
    CLASSIFY_TLS_UNKNOWN,
    CLASSIFY_TLS_YES,           /* the ClientHello was read */
    CLASSIFY_TLS_NO,
};

/* Bytes of one direction kept from its start until a parser is happy. */
struct classify_prefix {
    uint8_t *buf;
    size_t len;
};

/* Inspection state, allocated while a flow has names or a TCP stream to
 * look at, and freed once the flow is decided. */
struct classify_detail {
    char sni[TLS_SNI_MAX];
    char http_host[HTTP_HOST_MAX];
    char dns_name[DNS_NAME_MAX];

    /* TCP */
    struct classify_seq seq[2];     /* by enum flow_dir */
    bool lost[2];                   /* a gap: no longer in order */
    struct tls_reasm reasm;
    enum classify_client_tls client_tls;
    enum http_status http;          /* HTTP_NEED_MORE while looking */
    struct classify_prefix head;    /* client bytes for the HTTP head */
    bool server_hello_done;
    struct classify_prefix server;  /* server bytes for the ServerHello */
    struct tls_track track;
    uint32_t client_segments;       /* with data */
};

/* The stage's slice of flow->ext, zeroed by the flow table. */
struct classify_flow {
    struct classify_ndpi_flow ndpi;
    struct classify_detail *detail;
    struct classify_dns_flow *dns;
    uint32_t packets;
    unsigned flags;
};

struct classify {
    const struct profile *profile;
    struct classify_ndpi *ndpi;
    int64_t now_us;                 /* time of the latest packet */
    uint64_t alloc_failures;        /* flows whose names were not read */
    struct classify_dns_ctx dns;
};

static void classify_prefix_free(struct classify_prefix *p)
{
    free(p->buf);
    p->buf = NULL;
    p->len = 0;
}

/* Appends to a prefix of at most cap bytes (allocated at the first
 * append).  Returns false when out of memory; the bytes past cap are
 * dropped, which the caller's parser sees as "too long". */
static bool classify_prefix_add(struct classify_prefix *p, size_t cap,
                                const uint8_t *data, size_t len)
{
    if (!p->buf) {
        p->buf = malloc(cap);
        if (!p->buf)
            return false;
    }
    if (len > cap - p->len)
        len = cap - p->len;
    memcpy(p->buf + p->len, data, len);
    p->len += len;
    return true;
}

static struct classify_detail *classify_detail_get(struct classify *self,
                                                   struct classify_flow *fs)
{
    struct classify_detail *det = fs->detail;

    if (det)
        return det;
    det = calloc(1, sizeof(*det));
    if (!det) {
        self->alloc_failures++;
        return NULL;
    }
    tls_reasm_init(&det->reasm);
    tls_track_init(&det->track);
    det->http = HTTP_NEED_MORE;
    fs->detail = det;
    return det;
}

static void classify_detail_free(struct classify_flow *fs)
{
    struct classify_detail *det = fs->detail;

    if (!det)
        return;
    tls_reasm_release(&det->reasm);
    classify_prefix_free(&det->head);
    classify_prefix_free(&det->server);
    free(det);
    fs->detail = NULL;
}

/* Decides from what is known now and writes the result into the flow. */
static void classify_apply(const struct classify *self, struct flow *f,
                           const struct classify_flow *fs)
{
    const struct classify_detail *det = fs->detail;
    struct classify_evidence ev;
    struct classify_decision dec;

    memset(&ev, 0, sizeof(ev));
    ev.proto = f->key.proto;
    ev.server_ip = f->server_ip;
    ev.server_port = f->server_port;
    ev.client_ip = f->client_ip;
    ev.client_port = f->client_port;
    if (det) {
        ev.sni = det->sni;
        ev.http_host = det->http_host;
        ev.dns_name = det->dns_name;
    }
    ev.ndpi_proto = f->ndpi_proto;
    classify_decide(self->profile, &ev, &dec);
    f->class_name = dec.class_name;
    f->classified_by = dec.by;
    if (dec.hostname)
        snprintf(f->hostname, sizeof(f->hostname), "%s", dec.hostname);
}

static void classify_copy_alpn(struct flow *f,
                               const struct tls_client_hello *h)
{
    size_t n = 0;
    unsigned i;

    f->tls_alpn[0] = '\0';
    for (i = 0; i < h->n_alpn && i < TLS_ALPN_KEEP; i++) {
        int w = snprintf(f->tls_alpn + n, sizeof(f->tls_alpn) - n, "%s%s",
                         i ? "," : "", h->alpn[i]);

        if (w < 0 || (size_t)w >= sizeof(f->tls_alpn) - n)
            break;
        n += (size_t)w;
    }
}

/* A ClientHello was read: its name and offer.  Returns true when the
 * flow gained a name. */
static bool classify_client_hello(struct classify *self,
                                  struct classify_flow *fs, struct flow *f,
                                  const struct tls_client_hello *h)
{
    struct classify_detail *det;

    f->tls_seen = true;
    classify_copy_alpn(f, h);
    if (!h->sni[0])
        return false;
    det = classify_detail_get(self, fs);
    if (!det)
        return false;
    snprintf(det->sni, sizeof(det->sni), "%s", h->sni);
    return true;
}

/* --- TLS and HTTP over TCP -------------------------------------------- */

/* The client's bytes in order from the stream start, for the HTTP
 * request head.  Returns true when a Host was found. */
static bool classify_http(struct classify_detail *det, const uint8_t *data,
                          size_t len)
{
    struct http_request req;
    enum http_status st;

    if (det->head.len == 0) {
        st = http_parse_request(data, len, &req);
        if (st == HTTP_NEED_MORE &&
            !classify_prefix_add(&det->head, HTTP_HEAD_MAX, data, len))
            st = HTTP_TOO_LONG;
    } else if (!classify_prefix_add(&det->head, HTTP_HEAD_MAX, data, len)) {
        st = HTTP_TOO_LONG;
    } else {
        st = http_parse_request(det->head.buf, det->head.len, &req);
        if (st == HTTP_NEED_MORE && det->head.len >= HTTP_HEAD_MAX)
            st = HTTP_TOO_LONG;
    }
    det->http = st;
    if (st == HTTP_NEED_MORE)
        return false;
    classify_prefix_free(&det->head);
    if (st != HTTP_OK || !req.has_host)
        return false;
    snprintf(det->http_host, sizeof(det->http_host), "%s", req.host);
    return det->http_host[0] != '\0';
}

/* The server's bytes in order from the stream start, for the version the
 * ServerHello chose. */
static void classify_server_hello(struct classify_detail *det,
                                  struct flow *f, const uint8_t *data,
                                  size_t len)
{
    struct tls_server_hello sh;
    enum tls_status st;

    if (det->server.len == 0) {
        st = tls_parse_server_hello(data, len, &sh);
        if (st == TLS_NEED_MORE &&
            !classify_prefix_add(&det->server, CLASSIFY_SERVER_HELLO_MAX,
                                 data, len))
            st = TLS_GAVE_UP;
    } else if (!classify_prefix_add(&det->server, CLASSIFY_SERVER_HELLO_MAX,
                                    data, len)) {
        st = TLS_GAVE_UP;
    } else {
        st = tls_parse_server_hello(det->server.buf, det->server.len, &sh);
        if (st == TLS_NEED_MORE &&
            det->server.len >= CLASSIFY_SERVER_HELLO_MAX)
            st = TLS_GAVE_UP;
    }
    if (st == TLS_NEED_MORE)
        return;
    det->server_hello_done = true;
    classify_prefix_free(&det->server);
    if (st == TLS_OK) {
        f->tls_seen = true;
        f->tls_version = sh.version;
    }
}

/* The client's segment for the ClientHello: the reassembly takes
 * segments in any order.  A stream whose first byte is known and is not
 * a handshake record is not TLS, and costs no buffer. */
static bool classify_tls_client(struct classify *self,
                                struct classify_flow *fs, struct flow *f,
                                const struct decoded *d)
{
    struct classify_detail *det = fs->detail;
    struct tls_client_hello hello;
    enum tls_status st;

    if (det->client_tls != CLASSIFY_TLS_UNKNOWN)
        return false;
    if (det->reasm.started && d->tcp.seq == det->reasm.base_seq &&
        d->payload[0] != CLASSIFY_TLS_FIRST_BYTE) {
        det->client_tls = CLASSIFY_TLS_NO;
        return false;
    }
    st = tls_reasm_add(&det->reasm, d->tcp.seq, d->payload, d->payload_len,
                       &hello);
    if (st == TLS_NEED_MORE)
        return false;
    tls_reasm_release(&det->reasm);
    if (st != TLS_OK) {
        det->client_tls = CLASSIFY_TLS_NO;
        return false;
    }
    det->client_tls = CLASSIFY_TLS_YES;
    return classify_client_hello(self, fs, f, &hello);
}

static void classify_tls_state(struct classify_flow *fs, struct flow *f)
{
    struct classify_detail *det = fs->detail;
    const struct tls_track *t = &det->track;

    if (t->alert_seen && !f->tls_alert_seen) {
        f->tls_alert_seen = true;
        f->tls_alert_level = t->alert.level;
        f->tls_alert = t->alert.description;
        f->tls_alert_dir = t->alert_dir == 0 ? FLOW_DIR_C2S : FLOW_DIR_S2C;
    }
    if (tls_track_established(t))
        f->tls_established = true;
    if (f->tls_established ||
        (det->client_tls == CLASSIFY_TLS_NO && !f->tls_seen) ||
        (t->dir[0].lost && t->dir[1].lost) ||
        fs->packets >= CLASSIFY_TCP_INSPECT_PACKETS)
        fs->flags |= CLASSIFY_F_TLS_DONE;
}

/* One TCP segment while names or the handshake are still looked at.
 * Returns true when the flow gained a name. */
static bool classify_tcp(struct classify *self, struct classify_flow *fs,
                         struct flow *f, const struct decoded *d,
                         enum flow_dir dir)
{
    struct classify_detail *det = classify_detail_get(self, fs);
    const uint8_t *data = d->payload;
    size_t len = d->payload_len;
    bool named = false;

    if (!det) {
        fs->flags |= CLASSIFY_F_NAMES_DONE | CLASSIFY_F_TLS_DONE;
        return false;
    }
    if (d->tcp.flags & TCP_SYN) {
        classify_seq_syn(&det->seq[dir], d->tcp.seq);
        if (dir == FLOW_DIR_C2S && !det->reasm.started)
            tls_reasm_start(&det->reasm, d->tcp.seq + 1);
    }
    if (len == 0)
        return false;

    if (dir == FLOW_DIR_C2S && !(fs->flags & CLASSIFY_F_NAMES_DONE)) {
        det->client_segments++;
        named = classify_tls_client(self, fs, f, d);
    }

    if (det->lost[dir] || !classify_seq_take(&det->seq[dir], d->tcp.seq,
                                             &data, &len)) {
        /* Bytes are missing: what needs the stream from its start stops
         * here. */
        det->lost[dir] = true;
        tls_track_gap(&det->track, dir);
        if (dir == FLOW_DIR_C2S && det->http == HTTP_NEED_MORE) {
            det->http = HTTP_NOT_HTTP;
            classify_prefix_free(&det->head);
        }
        if (dir == FLOW_DIR_S2C && !det->server_hello_done) {
            det->server_hello_done = true;
            classify_prefix_free(&det->server);
        }
        len = 0;
    }
    if (len > 0) {
        if (dir == FLOW_DIR_C2S && det->http == HTTP_NEED_MORE &&
            !(fs->flags & CLASSIFY_F_NAMES_DONE))
            named |= classify_http(det, data, len);
        if (dir == FLOW_DIR_S2C && !det->server_hello_done &&
            det->client_tls != CLASSIFY_TLS_NO)
            classify_server_hello(det, f, data, len);
        tls_track_feed(&det->track, dir, data, len);
    }

    if ((det->client_tls != CLASSIFY_TLS_UNKNOWN &&
         det->http != HTTP_NEED_MORE) ||
        det->client_segments >= CLASSIFY_TCP_NAME_SEGMENTS ||
        fs->packets >= CLASSIFY_TCP_INSPECT_PACKETS) {
        fs->flags |= CLASSIFY_F_NAMES_DONE;
        tls_reasm_release(&det->reasm);
        classify_prefix_free(&det->head);
    }
    classify_tls_state(fs, f);
    return named;
}

/* --- DTLS over UDP ----------------------------------------------------- */

/* Either side may be the DTLS client (in WebRTC the roles come from
 * SDP, not from who sent first), so hellos are looked for both ways. */
static bool classify_udp(struct classify *self, struct classify_flow *fs,
                         struct flow *f, const struct decoded *d)
{
    struct tls_client_hello hello;
    struct tls_server_hello sh;
    bool named = false;

    if (d->payload_len > 0 &&
        tls_is_dtls_record(d->payload, d->payload_len)) {
        if (!(fs->flags & CLASSIFY_F_DTLS_CLIENT) &&
            tls_parse_dtls_client_hello(d->payload, d->payload_len,
                                        &hello) == TLS_OK) {
            fs->flags |= CLASSIFY_F_DTLS_CLIENT;
            named = classify_client_hello(self, fs, f, &hello);
        }
        if (!(fs->flags & CLASSIFY_F_DTLS_SERVER) &&
            tls_parse_dtls_server_hello(d->payload, d->payload_len, &sh) ==
                TLS_OK &&
            !sh.hello_retry) {
            fs->flags |= CLASSIFY_F_DTLS_SERVER;
            f->tls_seen = true;
            f->tls_version = sh.version;
        }
    }
    if ((fs->flags & CLASSIFY_F_DTLS_CLIENT &&
         fs->flags & CLASSIFY_F_DTLS_SERVER) ||
        fs->packets >= CLASSIFY_UDP_INSPECT_PACKETS)
        fs->flags |= CLASSIFY_F_NAMES_DONE;
    return named;
}

/* --- hooks ------------------------------------------------------------ */

static bool classify_is_dns_port(const struct flow *f)
{
    return (f->key.proto == IPPROTO_NUM_UDP ||
            f->key.proto == IPPROTO_NUM_TCP) &&
           (f->server_port == 53 || f->client_port == 53);
}

/* The flow's first packet: what is known without looking at payloads. */
static void classify_start(struct classify *self, struct classify_flow *fs,
                           struct flow *f)
{
    char name[DNS_NAME_MAX];
    struct classify_detail *det;

    fs->flags |= CLASSIFY_F_STARTED;
    if (classify_is_dns_port(f))
        fs->flags |= CLASSIFY_F_DNS;
    if (f->key.proto == IPPROTO_NUM_UDP)
        fs->flags |= CLASSIFY_F_TLS_DONE;   /* DTLS: hellos only */
    else if (f->key.proto != IPPROTO_NUM_TCP)
        fs->flags |= CLASSIFY_F_NAMES_DONE | CLASSIFY_F_TLS_DONE;
    /* Only an answer seen before the flow began counts (dns.h). */
    if (dns_cache_lookup(self->dns.cache, &f->server_ip, f->first_us,
                         name)) {
        det = classify_detail_get(self, fs);
        if (det)
            snprintf(det->dns_name, sizeof(det->dns_name), "%s", name);
    }
    classify_apply(self, f, fs);
}

static void classify_packet(void *self_, struct flow *f, void *fstate,
                            const struct pkt *pkt, const struct decoded *d,
                            enum flow_dir dir)
{
    struct classify *self = self_;
    struct classify_flow *fs = fstate;
    bool changed = false;

    self->now_us = pkt->ts_us;
    if (!(fs->flags & CLASSIFY_F_STARTED))
        classify_start(self, fs, f);

    if (!(fs->flags & CLASSIFY_F_DONE)) {
        fs->packets++;
        if (!(fs->flags & CLASSIFY_F_NDPI_DONE) &&
            classify_ndpi_packet(self->ndpi, &fs->ndpi, f, d->l3, d->l3_len,
                                 pkt->ts_us, dir)) {
            fs->flags |= CLASSIFY_F_NDPI_DONE;
            changed = true;
            /* DNS on another port: read from the packet nDPI named. */
            if ((f->key.proto == IPPROTO_NUM_UDP ||
                 f->key.proto == IPPROTO_NUM_TCP) &&
                classify_ndpi_generic(f->ndpi_proto) &&
                strcmp(classify_ndpi_generic(f->ndpi_proto), "dns") == 0)
                fs->flags |= CLASSIFY_F_DNS;
        }
        if (f->key.proto == IPPROTO_NUM_TCP &&
            (fs->flags & (CLASSIFY_F_NAMES_DONE | CLASSIFY_F_TLS_DONE)) !=
                (CLASSIFY_F_NAMES_DONE | CLASSIFY_F_TLS_DONE))
            changed |= classify_tcp(self, fs, f, d, dir);
        else if (f->key.proto == IPPROTO_NUM_UDP &&
                 !(fs->flags & CLASSIFY_F_NAMES_DONE))
            changed |= classify_udp(self, fs, f, d);
        if (changed)
            classify_apply(self, f, fs);
        if ((fs->flags & CLASSIFY_F_SETTLED) == CLASSIFY_F_SETTLED) {
            /* Nothing can change the decision any more. */
            fs->flags |= CLASSIFY_F_DONE;
            classify_detail_free(fs);
        }
    }
    if (fs->flags & CLASSIFY_F_DNS)
        classify_dns_packet(&self->dns, &fs->dns, f, pkt, d, dir);
}

static void classify_flow_end(void *self_, struct flow *f, void *fstate,
                              enum flow_end_reason why)
{
    struct classify *self = self_;
    struct classify_flow *fs = fstate;

    (void)why;
    if (!(fs->flags & CLASSIFY_F_STARTED))
        return;
    if (!(fs->flags & CLASSIFY_F_DONE)) {
        classify_ndpi_flow_end(self->ndpi, &fs->ndpi, f);
        if (fs->detail)
            classify_tls_state(fs, f);
        classify_apply(self, f, fs);
        fs->flags |= CLASSIFY_F_DONE;
        classify_detail_free(fs);
    }
    classify_dns_flow_end(&self->dns, &fs->dns, f, self->now_us);
}

static void *classify_create(const struct analyzer_env *env)
{
    struct classify *self = calloc(1, sizeof(*self));

    if (!self)
        return NULL;
    self->profile = env->profile;
    self->dns.profile = env->profile;
    self->dns.emit = env->emit;
    self->dns.cache = dns_cache_new(CLASSIFY_DNS_CACHE_ENTRIES);
    self->ndpi = classify_ndpi_new();
    if (!self->ndpi || !self->profile) {
        dns_cache_free(self->dns.cache);
        classify_ndpi_free(self->ndpi);
        free(self);
        return NULL;
    }
    return self;
}

static void classify_destroy(void *self_)
{
    struct classify *self = self_;

    if (!self)
        return;
    dns_cache_free(self->dns.cache);
    classify_ndpi_free(self->ndpi);
    free(self);
}

/* Each capture starts with an empty DNS map: names learned in one file
 * say nothing about the order of events in another. */
static void classify_capture_begin(void *self_,
                                   const struct capture_meta *meta)
{
    struct classify *self = self_;

    (void)meta;
    if (dns_cache_count(self->dns.cache) > 0) {
        dns_cache_free(self->dns.cache);
        self->dns.cache = dns_cache_new(CLASSIFY_DNS_CACHE_ENTRIES);
    }
    self->now_us = 0;
}

static void classify_capture_end(void *self_,
                                 const struct capture_meta *meta)
{
    struct classify *self = self_;
    struct classify_ndpi_stats ns;

    classify_ndpi_get_stats(self->ndpi, &ns);
    log_debug("'%s': classification: nDPI %llu flows inspected, %llu "
              "detected, %llu given up; DNS %llu messages, %llu "
              "malformed, %llu TCP directions lost, %llu queries not "
              "paired, %zu names mapped; %llu flows not inspected (no "
              "memory)",
              meta->source, (unsigned long long)ns.flows_inspected,
              (unsigned long long)ns.flows_detected,
              (unsigned long long)ns.flows_given_up,
              (unsigned long long)self->dns.messages,
              (unsigned long long)self->dns.malformed,
              (unsigned long long)self->dns.tcp_lost,
              (unsigned long long)self->dns.pending_dropped,
              dns_cache_count(self->dns.cache),
              (unsigned long long)(self->alloc_failures +
                                   self->dns.alloc_failures));
}

const struct analyzer_ops classify_ops = {
    .name = "classify",
    .flow_state_size = sizeof(struct classify_flow),
    .create = classify_create,
    .destroy = classify_destroy,
    .capture_begin = classify_capture_begin,
    .packet = classify_packet,
    .icmp_error = NULL,
    .flow_end = classify_flow_end,
    .capture_end = classify_capture_end,
};
