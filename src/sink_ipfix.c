/* IPFIX export of finished flows through libfixbuf.
 * Spec: RFC 7011 (protocol), RFC 5103 (biflow reverse elements),
 * RFC 7012 (information elements).
 *
 * The pipeline thread copies each flow into a fixed-size queue entry; an
 * exporter thread owns every libfixbuf object and turns entries into
 * records.  Two export templates share one internal record layout: one
 * with IPv4 addresses, one with IPv6 addresses. */
#include "config.h"

#include "sink_ipfix.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <fixbuf/public.h>

#include "finding.h"
#include "log.h"
#include "xalloc.h"

#define IPFIX_QUEUE_DEFAULT 8192
#define IPFIX_REFRESH_DEFAULT_S 60
/* Also resend templates after this many records on UDP, so that a
 * collector that started late learns them soon on a busy sensor. */
#define IPFIX_REFRESH_RECORDS 4096
/* A record waits at most this long in a half-full message. */
#define IPFIX_EMIT_INTERVAL_MS 1000

#define TID_INTERNAL 0x9000
#define TID_V4 0x9001
#define TID_V6 0x9002

/* Spec flags: which elements each template takes. */
enum {
    IPFIX_F_V4 = 1,
    IPFIX_F_V6 = 2,
    IPFIX_F_PAD = 4,
    IPFIX_F_ALL = 7,
};

/* flowEndReason values (RFC 7012, IE 136). */
enum {
    IPFIX_END_IDLE = 1,
    IPFIX_END_EOF = 3,      /* end of flow detected */
    IPFIX_END_FORCED = 4,
    IPFIX_END_RESOURCES = 5,
};

/* The internal record: its fields are exactly, in order and size, the
 * elements of ipfix_spec[] with IPFIX_F_ALL.  Largest first, so there is
 * no padding but the explicit one at the end. */
struct ipfix_record {
    uint64_t start_ms;
    uint64_t end_ms;
    uint64_t octets;
    uint64_t rev_octets;
    uint64_t packets;
    uint64_t rev_packets;
    fbVarfield_t class_name;
    fbVarfield_t classified_by;
    fbVarfield_t hostname;
    fbVarfield_t ndpi_proto;
    uint8_t src6[16];
    uint8_t dst6[16];
    uint32_t src4;
    uint32_t dst4;
    uint32_t retrans;
    uint32_t rev_retrans;
    uint32_t findings;
    uint16_t sport;
    uint16_t dport;
    uint16_t vlan;
    uint8_t proto;
    uint8_t tos;
    uint8_t rev_tos;
    uint8_t end_reason;
    uint8_t worst_severity;
    uint8_t pad[1];
};

_Static_assert(sizeof(struct ipfix_record) == 176,
               "ipfix_record must match ipfix_spec without padding");

/* Constant in use; not const only because libfixbuf's spec type has a
 * non-const name pointer. */
static fbInfoElementSpec_t ipfix_spec[] = {
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
    { "sourceIPv6Address", 16, IPFIX_F_V6 },
    { "destinationIPv6Address", 16, IPFIX_F_V6 },
    { "sourceIPv4Address", 4, IPFIX_F_V4 },
    { "destinationIPv4Address", 4, IPFIX_F_V4 },
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
    { "paddingOctets", 1, IPFIX_F_PAD },
    FB_IESPEC_NULL
};

/* One queued flow: plain values and bounded string copies. */
struct ipfix_entry {
    struct ipfix_record rec;            /* varfields unset */
    bool v6;
    char class_name[SINK_IPFIX_STRING_MAX + 1];
    char classified_by[SINK_IPFIX_STRING_MAX + 1];
    char hostname[SINK_IPFIX_STRING_MAX + 1];
    char ndpi_proto[SINK_IPFIX_STRING_MAX + 1];
};

/* Findings seen so far per flow id, open addressing with linear probing;
 * key 0 marks a free slot (flow ids start above 0). */
struct ipfix_tally {
    uint64_t flow_id;
    uint32_t findings;
    uint8_t worst;              /* 0 none, else severity + 1 */
};

struct sink_ipfix {
    struct sink_ipfix_config cfg;
    char *host;
    char *port;
    char *file_path;

    /* Owned by the exporter thread once it runs. */
    fbInfoModel_t *model;
    fbSession_t *session;
    fBuf_t *fbuf;
    bool udp;

    /* The queue, guarded by lock. */
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    struct ipfix_entry *ring;
    size_t cap, head, count;
    bool stopping;
    bool want_emit;
    bool thread_started;
    pthread_t thread;
    uint64_t dropped;           /* queue full */
    uint64_t failed;            /* libfixbuf refused or could not send */
    uint64_t exported;
    uint64_t dropped_reported;

    /* Pipeline thread only. */
    struct ipfix_tally *tally;
    size_t tally_cap, tally_count;
};

/* --- findings per flow ------------------------------------------------ */

static size_t ipfix_tally_slot(const struct sink_ipfix *s, uint64_t id)
{
    size_t i = (size_t)((id * 0x9E3779B97F4A7C15ull) >> 20) &
               (s->tally_cap - 1);

    while (s->tally[i].flow_id != 0 && s->tally[i].flow_id != id)
        i = (i + 1) & (s->tally_cap - 1);
    return i;
}

static void ipfix_tally_grow(struct sink_ipfix *s)
{
    struct ipfix_tally *old = s->tally;
    size_t old_cap = s->tally_cap, i;

    s->tally_cap = old_cap ? old_cap * 2 : 256;
    s->tally = xcalloc(s->tally_cap, sizeof(*s->tally));
    for (i = 0; i < old_cap; i++)
        if (old[i].flow_id != 0)
            s->tally[ipfix_tally_slot(s, old[i].flow_id)] = old[i];
    free(old);
}

static void ipfix_tally_add(struct sink_ipfix *s, const struct finding *fd)
{
    struct ipfix_tally *t;
    uint8_t sev = (uint8_t)(fd->severity + 1);

    if (fd->flow_id == 0)
        return;
    if ((s->tally_count + 1) * 2 > s->tally_cap)
        ipfix_tally_grow(s);
    t = &s->tally[ipfix_tally_slot(s, fd->flow_id)];
    if (t->flow_id == 0) {
        t->flow_id = fd->flow_id;
        s->tally_count++;
    }
    t->findings++;
    if (sev > t->worst)
        t->worst = sev;
}

/* Takes the flow's tally out of the table (backward-shift deletion keeps
 * every probe chain unbroken). */
static struct ipfix_tally ipfix_tally_take(struct sink_ipfix *s, uint64_t id)
{
    struct ipfix_tally none = { 0, 0, 0 }, got;
    size_t i, j, mask;

    if (s->tally_cap == 0)
        return none;
    mask = s->tally_cap - 1;
    i = ipfix_tally_slot(s, id);
    if (s->tally[i].flow_id == 0)
        return none;
    got = s->tally[i];
    s->tally_count--;
    j = i;
    for (;;) {
        size_t home;

        j = (j + 1) & mask;
        if (s->tally[j].flow_id == 0)
            break;
        home = (size_t)((s->tally[j].flow_id * 0x9E3779B97F4A7C15ull) >> 20)
               & mask;
        /* Move j back into the hole at i unless its home lies in (i, j]. */
        if ((j > i && (home <= i || home > j)) ||
            (j < i && (home <= i && home > j))) {
            s->tally[i] = s->tally[j];
            i = j;
        }
    }
    s->tally[i].flow_id = 0;
    s->tally[i].findings = 0;
    s->tally[i].worst = 0;
    return got;
}

/* --- the exporter thread ---------------------------------------------- */

static int64_t ipfix_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ipfix_report_failure(struct sink_ipfix *s, GError *gerr)
{
    /* Only the first failure is worth a line; the count says the rest. */
    if (s->failed == 0)
        log_error("ipfix export to '%s': %s",
                  s->file_path ? s->file_path : s->host,
                  gerr ? gerr->message : "unknown error");
}

static void ipfix_varfield(fbVarfield_t *v, char *text)
{
    v->buf = (uint8_t *)text;
    v->len = strlen(text);
}

/* Writes one entry; called without the lock. */
static bool ipfix_write(struct sink_ipfix *s, struct ipfix_entry *e)
{
    GError *gerr = NULL;

    ipfix_varfield(&e->rec.class_name, e->class_name);
    ipfix_varfield(&e->rec.classified_by, e->classified_by);
    ipfix_varfield(&e->rec.hostname, e->hostname);
    ipfix_varfield(&e->rec.ndpi_proto, e->ndpi_proto);
    if (!fBufSetExportTemplate(s->fbuf, e->v6 ? TID_V6 : TID_V4, &gerr) ||
        !fBufAppend(s->fbuf, (uint8_t *)&e->rec, sizeof(e->rec), &gerr)) {
        ipfix_report_failure(s, gerr);
        g_clear_error(&gerr);
        return false;
    }
    return true;
}

static bool ipfix_send_templates(struct sink_ipfix *s)
{
    GError *gerr = NULL;

    if (!fbSessionExportTemplates(s->session, &gerr)) {
        ipfix_report_failure(s, gerr);
        g_clear_error(&gerr);
        return false;
    }
    return true;
}

static bool ipfix_emit(struct sink_ipfix *s)
{
    GError *gerr = NULL;

    if (!fBufEmit(s->fbuf, &gerr)) {
        ipfix_report_failure(s, gerr);
        g_clear_error(&gerr);
        return false;
    }
    return true;
}

static void *ipfix_thread(void *arg)
{
    struct sink_ipfix *s = arg;
    struct ipfix_entry *e = xmalloc(sizeof(*e));
    int64_t last_templates = ipfix_now_ms(), last_emit = last_templates;
    uint64_t since_templates = 0;
    bool pending = false;

    pthread_mutex_lock(&s->lock);
    for (;;) {
        bool emit_now;

        while (s->count == 0 && !s->stopping && !s->want_emit) {
            struct timespec until;

            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)IPFIX_EMIT_INTERVAL_MS * 1000000L / 4;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            if (pthread_cond_timedwait(&s->not_empty, &s->lock, &until) ==
                ETIMEDOUT)
                break;
        }
        if (s->count > 0) {
            bool ok;

            *e = s->ring[s->head];
            s->head = (s->head + 1) % s->cap;
            s->count--;
            pthread_cond_signal(&s->not_full);
            pthread_mutex_unlock(&s->lock);
            ok = ipfix_write(s, e);
            pthread_mutex_lock(&s->lock);
            if (ok) {
                s->exported++;
                pending = true;
                since_templates++;
            } else {
                s->failed++;
            }
        }
        emit_now = s->want_emit || (s->stopping && s->count == 0);
        s->want_emit = false;
        pthread_mutex_unlock(&s->lock);

        if (s->udp) {
            int64_t now = ipfix_now_ms();

            /* RFC 7011 section 8.4: over UDP, templates are resent
             * periodically; the collector forgets them otherwise. */
            if (now - last_templates >=
                (int64_t)s->cfg.template_refresh_s * 1000 ||
                since_templates >= IPFIX_REFRESH_RECORDS) {
                if (pending)
                    ipfix_emit(s);
                ipfix_send_templates(s);
                last_templates = now;
                since_templates = 0;
                pending = true;
            }
        }
        if (pending && (emit_now || ipfix_now_ms() - last_emit >=
                                    IPFIX_EMIT_INTERVAL_MS)) {
            ipfix_emit(s);
            pending = false;
            last_emit = ipfix_now_ms();
        }
        pthread_mutex_lock(&s->lock);
        if (s->stopping && s->count == 0 && !pending)
            break;
    }
    pthread_mutex_unlock(&s->lock);
    free(e);
    return NULL;
}

/* --- the sink --------------------------------------------------------- */

static void ipfix_copy_string(char *dst, const char *src)
{
    size_t n;

    if (!src) {
        dst[0] = '\0';
        return;
    }
    /* A loop, not strnlen: the bound may exceed a shorter array. */
    for (n = 0; n < SINK_IPFIX_STRING_MAX && src[n] != '\0'; n++)
        continue;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The highest DSCP value seen in a direction, as the TOS byte. */
static uint8_t ipfix_tos(uint64_t dscp_seen)
{
    int v;

    for (v = 63; v >= 0; v--)
        if (dscp_seen & (1ull << v))
            return (uint8_t)(v << 2);
    return 0;
}

static uint32_t ipfix_retrans(const struct flow_dir_stats *d)
{
    uint64_t n = (uint64_t)d->tcp[FLOW_TCPF_RETRANSMISSION] +
                 d->tcp[FLOW_TCPF_FAST_RETRANSMISSION] +
                 d->tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION];

    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static uint8_t ipfix_end_reason(enum flow_end_reason why)
{
    switch (why) {
    case FLOW_END_IDLE:
        return IPFIX_END_IDLE;
    case FLOW_END_CLOSED:
        return IPFIX_END_EOF;
    case FLOW_END_EVICTED:
        return IPFIX_END_RESOURCES;
    case FLOW_END_CAPTURE_END:
        break;
    }
    return IPFIX_END_FORCED;
}

static void ipfix_fill(struct ipfix_entry *e, const struct flow *f,
                       const struct ipfix_tally *t)
{
    const struct flow_dir_stats *c2s = &f->dir[FLOW_DIR_C2S];
    const struct flow_dir_stats *s2c = &f->dir[FLOW_DIR_S2C];
    struct ipfix_record *r = &e->rec;

    memset(r, 0, sizeof(*r));
    r->start_ms = (uint64_t)(f->first_us / 1000);
    r->end_ms = (uint64_t)(f->last_us / 1000);
    r->octets = c2s->bytes;
    r->rev_octets = s2c->bytes;
    r->packets = c2s->packets;
    r->rev_packets = s2c->packets;
    e->v6 = f->key.ip_version == 6;
    if (e->v6) {
        memcpy(r->src6, f->client_ip.bytes, 16);
        memcpy(r->dst6, f->server_ip.bytes, 16);
    } else {
        /* Internal records hold numbers in host order; libfixbuf writes
         * them in network order. */
        r->src4 = (uint32_t)f->client_ip.bytes[0] << 24 |
                  (uint32_t)f->client_ip.bytes[1] << 16 |
                  (uint32_t)f->client_ip.bytes[2] << 8 |
                  f->client_ip.bytes[3];
        r->dst4 = (uint32_t)f->server_ip.bytes[0] << 24 |
                  (uint32_t)f->server_ip.bytes[1] << 16 |
                  (uint32_t)f->server_ip.bytes[2] << 8 |
                  f->server_ip.bytes[3];
    }
    r->retrans = ipfix_retrans(c2s);
    r->rev_retrans = ipfix_retrans(s2c);
    r->findings = t->findings;
    r->sport = f->client_port;
    r->dport = f->server_port;
    r->vlan = f->key.vlan;
    r->proto = f->key.proto;
    r->tos = ipfix_tos(c2s->dscp_seen);
    r->rev_tos = ipfix_tos(s2c->dscp_seen);
    r->end_reason = ipfix_end_reason(f->end_reason);
    r->worst_severity = t->worst;
    ipfix_copy_string(e->class_name, f->class_name);
    ipfix_copy_string(e->classified_by,
                      flow_classified_by_name(f->classified_by));
    ipfix_copy_string(e->hostname, f->hostname);
    ipfix_copy_string(e->ndpi_proto, f->ndpi_proto);
}

static int sink_ipfix_begin(void *self, struct capture_meta *meta)
{
    (void)self;
    (void)meta;
    return 0;
}

static int sink_ipfix_flow(void *self, const struct capture_meta *meta,
                           const struct flow *f)
{
    struct sink_ipfix *s = self;
    struct ipfix_tally t = ipfix_tally_take(s, f->id);

    (void)meta;
    pthread_mutex_lock(&s->lock);
    while (s->count == s->cap && s->cfg.wait_when_full)
        pthread_cond_wait(&s->not_full, &s->lock);
    if (s->count == s->cap) {
        s->dropped++;
    } else {
        ipfix_fill(&s->ring[(s->head + s->count) % s->cap], f, &t);
        s->count++;
        pthread_cond_signal(&s->not_empty);
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static int sink_ipfix_record(void *self, const struct capture_meta *meta,
                             enum record_kind kind, const void *rec)
{
    (void)meta;
    if (kind == RECORD_FINDING)
        ipfix_tally_add(self, rec);
    return 0;
}

static int sink_ipfix_flush(void *self)
{
    struct sink_ipfix *s = self;

    pthread_mutex_lock(&s->lock);
    s->want_emit = true;
    pthread_cond_signal(&s->not_empty);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static int sink_ipfix_end_capture(void *self, const struct capture_meta *meta)
{
    struct sink_ipfix *s = self;
    uint64_t dropped;

    (void)meta;
    /* Findings of flows that never reached the sink stay behind. */
    free(s->tally);
    s->tally = NULL;
    s->tally_cap = s->tally_count = 0;
    pthread_mutex_lock(&s->lock);
    dropped = s->dropped - s->dropped_reported;
    s->dropped_reported = s->dropped;
    pthread_mutex_unlock(&s->lock);
    if (dropped > 0)
        log_warn("ipfix: %llu flow records dropped: the export queue "
                 "(%zu records) was full", (unsigned long long)dropped,
                 s->cap);
    return sink_ipfix_flush(s);
}

static void sink_ipfix_free(void *self)
{
    struct sink_ipfix *s = self;

    if (!s)
        return;
    if (s->thread_started) {
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_cond_signal(&s->not_empty);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
        log_info("ipfix: %llu flow records exported, %llu dropped, "
                 "%llu failed", (unsigned long long)s->exported,
                 (unsigned long long)s->dropped,
                 (unsigned long long)s->failed);
    }
    if (s->fbuf)
        fBufFree(s->fbuf);      /* with its session and exporter */
    else if (s->session)
        fbSessionFree(s->session);
    if (s->model)
        fbInfoModelFree(s->model);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->not_empty);
    pthread_cond_destroy(&s->not_full);
    free(s->ring);
    free(s->tally);
    free(s->host);
    free(s->port);
    free(s->file_path);
    free(s);
}

static const struct sink_ops sink_ipfix_ops = {
    .name = "ipfix",
    .begin_capture = sink_ipfix_begin,
    .flow = sink_ipfix_flow,
    .record = sink_ipfix_record,
    .flush = sink_ipfix_flush,
    .end_capture = sink_ipfix_end_capture,
    .free = sink_ipfix_free,
};

/* --- setup ------------------------------------------------------------ */

void sink_ipfix_config_defaults(struct sink_ipfix_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->pen = SINK_IPFIX_PEN_DEFAULT;
    cfg->observation_domain = 1;
    cfg->queue_len = IPFIX_QUEUE_DEFAULT;
    cfg->template_refresh_s = IPFIX_REFRESH_DEFAULT_S;
}

static void ipfix_add_elements(fbInfoModel_t *model, uint32_t pen)
{
    fbInfoElement_t ies[] = {
        FB_IE_INIT_FULL("ringscopeClass", pen, SINK_IPFIX_IE_CLASS,
                        FB_IE_VARLEN, FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeClassifiedBy", pen,
                        SINK_IPFIX_IE_CLASSIFIED_BY, FB_IE_VARLEN,
                        FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeHostname", pen, SINK_IPFIX_IE_HOSTNAME,
                        FB_IE_VARLEN, FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeNdpiProtocol", pen,
                        SINK_IPFIX_IE_NDPI_PROTO, FB_IE_VARLEN,
                        FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
        FB_IE_INIT_FULL("ringscopeRetransmissions", pen,
                        SINK_IPFIX_IE_RETRANS, 4,
                        FB_IE_F_ENDIAN | FB_IE_F_REVERSIBLE |
                        FB_IE_DELTACOUNTER, 0, 0, FB_UINT_32, NULL),
        FB_IE_INIT_FULL("ringscopeFindings", pen, SINK_IPFIX_IE_FINDINGS, 4,
                        FB_IE_F_ENDIAN | FB_IE_DELTACOUNTER, 0, 0,
                        FB_UINT_32, NULL),
        FB_IE_INIT_FULL("ringscopeWorstSeverity", pen,
                        SINK_IPFIX_IE_WORST_SEVERITY, 1,
                        FB_IE_F_ENDIAN | FB_IE_IDENTIFIER, 0, 3, FB_UINT_8,
                        NULL),
        FB_IE_NULL,
    };

    /* libfixbuf copies the definitions (and adds the reverse ones). */
    fbInfoModelAddElementArray(model, ies);
}

static int ipfix_add_template(struct sink_ipfix *s, uint16_t tid,
                              uint32_t flags, bool internal, char *err,
                              size_t errlen)
{
    fbTemplate_t *t = fbTemplateAlloc(s->model);
    GError *gerr = NULL;

    if (!fbTemplateAppendSpecArray(t, ipfix_spec, flags, &gerr) ||
        fbSessionAddTemplate(s->session, internal, tid, t, &gerr) == 0) {
        snprintf(err, errlen, "ipfix: cannot build template: %s",
                 gerr ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        fbTemplateFreeUnused(t);
        return -1;
    }
    return 0;
}

/* libfixbuf resolves the collector only when it first sends; resolving
 * here turns a typo into an error before capture starts. */
static int ipfix_resolve(const struct sink_ipfix_config *cfg, char *err,
                         size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = cfg->tcp ? SOCK_STREAM : SOCK_DGRAM;
    rc = getaddrinfo(cfg->host, cfg->port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "ipfix: cannot resolve collector '%s' "
                 "port '%s': %s", cfg->host, cfg->port, gai_strerror(rc));
        return -1;
    }
    freeaddrinfo(res);
    return 0;
}

int sink_ipfix_open(const struct sink_ipfix_config *cfg, struct sink *out,
                    char *err, size_t errlen)
{
    struct sink_ipfix *s;
    fbExporter_t *exporter;
    GError *gerr = NULL;
    int ret = -1;

    if (!cfg->file_path && (!cfg->host || !cfg->port)) {
        snprintf(err, errlen, "ipfix: no collector given");
        return -1;
    }
    if (!cfg->file_path && ipfix_resolve(cfg, err, errlen) != 0)
        return -1;
    s = xcalloc(1, sizeof(*s));
    s->cfg = *cfg;
    if (s->cfg.queue_len == 0)
        s->cfg.queue_len = IPFIX_QUEUE_DEFAULT;
    if (s->cfg.template_refresh_s == 0)
        s->cfg.template_refresh_s = IPFIX_REFRESH_DEFAULT_S;
    s->host = cfg->host ? xstrdup(cfg->host) : NULL;
    s->port = cfg->port ? xstrdup(cfg->port) : NULL;
    s->file_path = cfg->file_path ? xstrdup(cfg->file_path) : NULL;
    s->cap = s->cfg.queue_len;
    s->ring = xcalloc(s->cap, sizeof(*s->ring));
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->not_empty, NULL);
    pthread_cond_init(&s->not_full, NULL);

    s->model = fbInfoModelAlloc();
    ipfix_add_elements(s->model, cfg->pen);
    s->session = fbSessionAlloc(s->model);
    fbSessionSetDomain(s->session, cfg->observation_domain);
    if (ipfix_add_template(s, TID_INTERNAL, IPFIX_F_ALL, true, err,
                           errlen) != 0 ||
        ipfix_add_template(s, TID_V4, IPFIX_F_V4, false, err, errlen) != 0 ||
        ipfix_add_template(s, TID_V6, IPFIX_F_V6, false, err, errlen) != 0)
        goto out;
    if (s->file_path) {
        exporter = fbExporterAllocFile(s->file_path);
    } else {
        fbConnSpec_t spec;

        memset(&spec, 0, sizeof(spec));
        spec.transport = cfg->tcp ? FB_TCP : FB_UDP;
        spec.host = s->host;
        spec.svc = s->port;
        s->udp = !cfg->tcp;
        exporter = fbExporterAllocNet(&spec);
    }
    if (!exporter) {
        snprintf(err, errlen, "ipfix: cannot create the exporter");
        goto out;
    }
    s->fbuf = fBufAllocForExport(s->session, exporter);
    if (!fbSessionExportTemplates(s->session, &gerr) ||
        !fBufSetInternalTemplate(s->fbuf, TID_INTERNAL, &gerr) ||
        !fBufSetExportTemplate(s->fbuf, TID_V4, &gerr) ||
        !fBufEmit(s->fbuf, &gerr)) {
        snprintf(err, errlen, "ipfix: cannot start export to '%s': %s",
                 s->file_path ? s->file_path : s->host,
                 gerr ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        goto out;
    }
    if (pthread_create(&s->thread, NULL, ipfix_thread, s) != 0) {
        snprintf(err, errlen, "ipfix: cannot start the exporter thread");
        goto out;
    }
    s->thread_started = true;
    out->ops = &sink_ipfix_ops;
    out->self = s;
    ret = 0;
out:
    if (ret != 0)
        sink_ipfix_free(s);
    return ret;
}
