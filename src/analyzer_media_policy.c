/* Media stage, the profile side: a flow's class and customer direction,
 * the requirement a finding bears on, and the checks that need only the
 * flow and the profile: media_port_outside_document (SPEC 3a.1) and
 * qos_unmarked (SPEC 3a.5; RFC 4594, RFC 8837 for the DSCP values). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyzer_media_internal.h"
#include "ipaddr.h"

#define MEDIA_PROTO_UDP 17
#define MEDIA_PROTO_TCP 6

/* --- classes and sides ------------------------------------------------ */

static const struct profile_class *
media_match_endpoint(const struct analyzer_media *m, const struct flow *f,
                     const struct ip_addr *ip, uint16_t port)
{
    return profile_match_addr(m->profile, ip, f->key.proto, port, NULL);
}

void analyzer_media_remote(const struct analyzer_media *m,
                           const struct flow *f, struct ip_addr *ip,
                           uint16_t *port)
{
    bool client_remote = false;

    if (f->client_side == FLOW_SIDE_OUTSIDE &&
        f->server_side == FLOW_SIDE_INSIDE)
        client_remote = true;
    else if (f->client_side == f->server_side &&
             !media_match_endpoint(m, f, &f->server_ip, f->server_port) &&
             media_match_endpoint(m, f, &f->client_ip, f->client_port))
        client_remote = true;
    if (client_remote) {
        *ip = f->client_ip;
        *port = f->client_port;
    } else {
        *ip = f->server_ip;
        *port = f->server_port;
    }
}

const struct profile_class *
analyzer_media_flow_class(const struct analyzer_media *m,
                          const struct flow *f)
{
    const struct profile_class *c;
    struct ip_addr ip;
    uint16_t port;

    /* The flow table starts every flow as "other": that means not
     * classified (yet), and the profile is asked directly. */
    if (f->class_name && strcmp(f->class_name, "other") != 0) {
        c = profile_class_find(m->profile, f->class_name);
        if (c)
            return c;
    }
    analyzer_media_remote(m, f, &ip, &port);
    return media_match_endpoint(m, f, &ip, port);
}

static bool media_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* The profile has no "media" property, so the stage goes by the names of
 * SPEC 3: the built-in "rtp" and every class named "*-media" carry media,
 * "sip" and "*-sip" carry SIP (ringscope(1), ANALYZERS). */
bool analyzer_media_class_is_media(const struct profile_class *c)
{
    return c && (strcmp(c->name, "rtp") == 0 ||
                 media_has_suffix(c->name, "-media"));
}

bool analyzer_media_class_is_sip(const struct profile_class *c)
{
    return c && (strcmp(c->name, "sip") == 0 ||
                 media_has_suffix(c->name, "-sip"));
}

int analyzer_media_outbound_dir(const struct analyzer_media *m,
                                const struct flow *f)
{
    bool srv, cli;

    if (f->client_side == FLOW_SIDE_INSIDE &&
        f->server_side == FLOW_SIDE_OUTSIDE)
        return FLOW_DIR_C2S;
    if (f->server_side == FLOW_SIDE_INSIDE &&
        f->client_side == FLOW_SIDE_OUTSIDE)
        return FLOW_DIR_S2C;
    /* Both on one side (a capture outside the NAT sees only public
     * addresses): the provider is the endpoint the profile claims. */
    srv = media_match_endpoint(m, f, &f->server_ip, f->server_port) != NULL;
    cli = media_match_endpoint(m, f, &f->client_ip, f->client_port) != NULL;
    if (srv && !cli)
        return FLOW_DIR_C2S;
    if (cli && !srv)
        return FLOW_DIR_S2C;
    return -1;
}

/* --- requirements ----------------------------------------------------- */

static bool media_req_has_class(const struct profile_requirement *r,
                                const struct profile_class *cls)
{
    size_t i;

    for (i = 0; i < r->n_classes; i++)
        if (r->classes[i] == cls)
            return true;
    return false;
}

static bool media_req_in_scope(const struct profile_requirement *r,
                               const struct flow *f,
                               const struct profile_class *cls,
                               const struct ip_addr *ip, uint16_t port)
{
    const char *name = f->hostname[0] ? f->hostname : NULL;
    size_t i;

    if (r->n_classes > 0 && !media_req_has_class(r, cls))
        return false;
    if (r->n_scope == 0)
        return true;
    for (i = 0; i < r->n_scope; i++)
        if (profile_rule_matches(r->scope[i], ip, name, f->key.proto, port))
            return true;
    return false;
}

const struct profile_requirement *
analyzer_media_requirement(const struct analyzer_media *m,
                           const struct flow *f,
                           const struct profile_class *cls,
                           enum profile_check check, bool fallback)
{
    const struct profile_requirement *first = NULL;
    size_t i, n = profile_requirement_count(m->profile);
    struct ip_addr ip;
    uint16_t port;

    analyzer_media_remote(m, f, &ip, &port);
    for (i = 0; i < n; i++) {
        const struct profile_requirement *r =
            profile_requirement_at(m->profile, i);

        if (r->check != check)
            continue;
        if (!first)
            first = r;
        if (media_req_in_scope(r, f, cls, &ip, port))
            return r;
    }
    return fallback ? first : NULL;
}

/* --- findings --------------------------------------------------------- */

void analyzer_media_emit(struct analyzer_media *m, const char *kind,
                         enum finding_severity sev,
                         const struct profile_requirement *req,
                         uint64_t flow_id, uint64_t packet, int64_t ts_us,
                         const char *fmt, ...)
{
    struct finding fd;
    va_list ap;

    memset(&fd, 0, sizeof(fd));
    fd.kind = kind;
    fd.severity = sev;
    fd.requirement = req ? req->id : NULL;
    fd.flow_id = flow_id;
    fd.first_packet = packet;
    fd.ts_us = ts_us;
    va_start(ap, fmt);
    vsnprintf(fd.summary, sizeof(fd.summary), fmt, ap);
    va_end(ap);
    emit_record(&m->emit, RECORD_FINDING, &fd);
}

const char *analyzer_media_dscp_text(uint64_t seen, char *buf, size_t len)
{
    size_t used = 0;
    unsigned v;

    buf[0] = '\0';
    for (v = 0; v < 64 && used < len; v++) {
        int n;

        if (!(seen & (UINT64_C(1) << v)))
            continue;
        n = snprintf(buf + used, len - used, "%s%u", used ? "," : "", v);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* "EF (46)", "CS3 (24)", "AF31 (26)" or the bare number. */
static const char *media_dscp_name(unsigned v, char *buf, size_t len)
{
    if (v == 46)
        snprintf(buf, len, "EF (46)");
    else if (v == 0)
        snprintf(buf, len, "0 (unmarked)");
    else if (v % 8 == 0)
        snprintf(buf, len, "CS%u (%u)", v / 8, v);
    else if (v >= 10 && v <= 38 && v % 2 == 0 && (v % 8) / 2 >= 1 &&
             (v % 8) / 2 <= 3)
        snprintf(buf, len, "AF%u%u (%u)", v / 8, (v % 8) / 2, v);
    else
        snprintf(buf, len, "%u", v);
    return buf;
}

static void media_dscp_names(uint64_t mask, char *buf, size_t len)
{
    size_t used = 0;
    unsigned v;

    buf[0] = '\0';
    for (v = 0; v < 64 && used < len; v++) {
        char one[16];
        int n;

        if (!(mask & (UINT64_C(1) << v)))
            continue;
        n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                     media_dscp_name(v, one, sizeof(one)));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* --- media_port_outside_document ------------------------------------- */

static bool media_rule_fits_port(const struct profile_rule *r,
                                 uint8_t proto, uint16_t port)
{
    unsigned want = proto == MEDIA_PROTO_UDP ? PROFILE_PROTO_UDP
                                             : PROFILE_PROTO_TCP;
    size_t i;

    if (!(r->protos & want))
        return false;
    if (r->any_port)
        return true;
    for (i = 0; i < r->n_ports; i++)
        if (port >= r->ports[i].lo && port <= r->ports[i].hi)
            return true;
    return false;
}

/* The ports of a requirement's match lines for one protocol,
 * "10000-20000". */
static void media_req_ports(const struct profile_requirement *r,
                            uint8_t proto, char *buf, size_t len)
{
    unsigned want = proto == MEDIA_PROTO_UDP ? PROFILE_PROTO_UDP
                                             : PROFILE_PROTO_TCP;
    size_t used = 0, i, k;

    buf[0] = '\0';
    for (i = 0; i < r->n_scope; i++) {
        const struct profile_rule *rule = r->scope[i];

        if (!(rule->protos & want) || rule->any_port)
            continue;
        for (k = 0; k < rule->n_ports && used < len; k++) {
            const struct profile_port_range *pr = &rule->ports[k];
            int n;

            if (pr->lo == pr->hi)
                n = snprintf(buf + used, len - used, "%s%u",
                             used ? "," : "", pr->lo);
            else
                n = snprintf(buf + used, len - used, "%s%u-%u",
                             used ? "," : "", pr->lo, pr->hi);
            if (n < 0)
                return;
            used += (size_t)n;
        }
    }
}

static const char *media_set_name(const struct profile *p, unsigned bits)
{
    size_t i, n = profile_set_count(p);

    for (i = 0; i < n; i++) {
        const struct profile_set *s = profile_set_at(p, i);

        if (bits & s->bit)
            return s->name;
    }
    return "?";
}

/* SPEC 3a.1: the flow is in scope of a connect requirement R (what the
 * provider needs now), and another connect requirement L of the same
 * class but of a requirement set R is not in (the customer's document)
 * has match lines none of which allows the flow's port.  A firewall set
 * up from L blocks the flow. */
static void media_check_document(struct analyzer_media *m,
                                 const struct flow *f,
                                 const struct profile_class *cls,
                                 int out)
{
    const struct profile_requirement *now, *doc = NULL;
    size_t i, n = profile_requirement_count(m->profile);
    struct ip_addr ip;
    char ipbuf[IPADDR_STRLEN], ports[128];
    uint64_t sent, back;
    uint16_t port;
    bool silent;

    now = analyzer_media_requirement(m, f, cls, PROFILE_CHECK_CONNECT,
                                     false);
    if (!now)
        return;
    analyzer_media_remote(m, f, &ip, &port);
    for (i = 0; i < n && !doc; i++) {
        const struct profile_requirement *r =
            profile_requirement_at(m->profile, i);
        size_t k;
        bool fits = false;

        if (r == now || r->check != PROFILE_CHECK_CONNECT ||
            !(r->sets & ~now->sets) || !media_req_has_class(r, cls) ||
            r->n_scope == 0)
            continue;
        for (k = 0; k < r->n_scope && !fits; k++)
            fits = media_rule_fits_port(r->scope[k], f->key.proto, port);
        if (!fits)
            doc = r;
    }
    if (!doc)
        return;
    if (out < 0)
        out = FLOW_DIR_C2S;
    sent = f->dir[out].packets;
    back = f->dir[1 - out].packets;
    silent = back == 0;
    media_req_ports(doc, f->key.proto, ports, sizeof(ports));
    ipaddr_format(&ip, ipbuf);
    analyzer_media_emit(
        m, "media_port_outside_document",
        silent ? FINDING_ERROR : FINDING_WARNING, now, f->id,
        f->first_packet, f->first_us,
        "media to %s:%u: requirement set '%s' (%s) allows only %s %s; a "
        "firewall that follows it blocks current media (%s)%s%llu "
        "packet(s) out, %llu back",
        ipbuf, port, media_set_name(m->profile, doc->sets & ~now->sets),
        doc->id, f->key.proto == MEDIA_PROTO_UDP ? "UDP" : "TCP", ports,
        now->id,
        silent ? "; this flow got no reply, so a firewall in the path does "
                 "exactly that: "
               : ": ",
        (unsigned long long)sent, (unsigned long long)back);
}

/* --- qos_unmarked ----------------------------------------------------- */

static void media_check_qos(struct analyzer_media *m, const struct flow *f,
                            const struct profile_class *cls, int out,
                            const char *what, uint64_t seen)
{
    const struct profile_requirement *req;
    char src[IPADDR_STRLEN], dst[IPADDR_STRLEN], got[192], want[192];
    const struct ip_addr *sip, *dip;
    uint16_t sport, dport;
    uint64_t bad;

    if (!cls || cls->dscp_mask == 0 || seen == 0)
        return;
    bad = seen & ~cls->dscp_mask;
    if (bad == 0)
        return;
    req = analyzer_media_requirement(m, f, cls, PROFILE_CHECK_DSCP, false);
    if (out == FLOW_DIR_C2S) {
        sip = &f->client_ip;
        sport = f->client_port;
        dip = &f->server_ip;
        dport = f->server_port;
    } else {
        sip = &f->server_ip;
        sport = f->server_port;
        dip = &f->client_ip;
        dport = f->client_port;
    }
    ipaddr_format(sip, src);
    ipaddr_format(dip, dst);
    media_dscp_names(bad, got, sizeof(got));
    media_dscp_names(cls->dscp_mask, want, sizeof(want));
    analyzer_media_emit(
        m, "qos_unmarked", FINDING_WARNING, req, f->id, f->first_packet,
        f->first_us,
        "outbound %s from %s:%u to %s:%u carries DSCP %s where class %s "
        "expects %s: mark it at the sender or the edge router (Windows "
        "strips DSCP without a QoS policy)",
        what, src, sport, dst, dport, got, cls->name, want);
}

void analyzer_media_policy_flow_end(struct analyzer_media *m,
                                    const struct flow *f, bool is_rtp,
                                    const uint64_t rtp_dscp[2],
                                    bool is_sip)
{
    const struct profile_class *cls = analyzer_media_flow_class(m, f);
    int out = analyzer_media_outbound_dir(m, f);

    if (f->key.proto == MEDIA_PROTO_UDP && analyzer_media_class_is_media(cls))
        media_check_document(m, f, cls, out);
    /* Marks on inbound traffic are set by others; only what leaves the
     * customer network is the customer's to fix. */
    if (out < 0)
        return;
    if (is_rtp) {
        const struct profile_class *q = cls;

        if (!analyzer_media_class_is_media(q) || q->dscp_mask == 0)
            q = profile_class_find(m->profile, "rtp");
        media_check_qos(m, f, q, out, "RTP", rtp_dscp[out]);
    } else if (is_sip || analyzer_media_class_is_sip(cls)) {
        const struct profile_class *q = cls;

        if (!analyzer_media_class_is_sip(q) || q->dscp_mask == 0)
            q = profile_class_find(m->profile, "sip");
        media_check_qos(m, f, q, out, "SIP", f->dir[out].dscp_seen);
    }
}
