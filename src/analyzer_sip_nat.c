/* SIP ALG and NAT signatures in one message.  Spec: RFC 3261 section
 * 18.2.1 (received=), RFC 3581 (rport), RFC 6598 (shared address space),
 * RFC 8839 section 4.2.1.1 (c= is the default candidate), RFC 1918;
 * signature list in requirements-data.md sections 2.1 and 2.2.
 *
 * The tests a signature passes are chosen so that plain NAT done right
 * stays silent on both sides of the router: on the LAN side the phone's
 * private Via sent-by is answered with the router's public received=; on
 * the WAN side the same private addresses leave from the router's public
 * address, with no public address inside SIP.  Known false positives are
 * listed with each test and in ringscope(1). */
#include "config.h"

#include "analyzer_sip_nat.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Longest value quoted in a text; longer ones are cut. */
#define NAT_QUOTE_MAX 60

/* Fields of one message that carry an address, for A4. */
#define NAT_MAX_FIELDS 24

struct nat_field {
    const char *name;           /* "Contact", "SDP c=" */
    struct ip_addr addr;
};

/* snprintf for texts that may be cut at their buffer's size: a cut
 * summary is still useful, so truncation is not an error here. */
static void text_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void text_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* --- address words ----------------------------------------------------- */

static bool in_home_nets(const struct ip_addr *a, const struct ip_prefix *p,
                         size_t n)
{
    size_t i;

    for (i = 0; p && i < n; i++)
        if (ipaddr_in_prefix(a, &p[i]))
            return true;
    return false;
}

bool analyzer_sip_nat_is_private(const struct ip_addr *a)
{
    return ipaddr_is_rfc1918(a) || ipaddr_is_ula(a) ||
           ipaddr_is_link_local(a);
}

/* Unicast and routable: not unspecified, "this network" (0/8),
 * multicast, reserved (240/4) or broadcast. */
static bool is_unicast(const struct ip_addr *a)
{
    static const uint8_t zero[16];

    if (a->family == 4)
        return a->bytes[0] != 0 && a->bytes[0] < 224;
    if (a->family == 6)
        return memcmp(a->bytes, zero, 16) != 0 && a->bytes[0] != 0xff;
    return false;
}

bool analyzer_sip_nat_is_public(const struct ip_addr *a,
                                const struct ip_prefix *home_nets,
                                size_t n_home_nets)
{
    return is_unicast(a) && !ipaddr_is_home(a) &&
           !in_home_nets(a, home_nets, n_home_nets);
}

/* Addresses that only reach the Internet through a NAT. */
static bool needs_nat(const struct ip_addr *a)
{
    return analyzer_sip_nat_is_private(a) || ipaddr_is_cgnat(a);
}

static bool is_public_in(const struct analyzer_sip_nat_input *in,
                         const struct ip_addr *a)
{
    return analyzer_sip_nat_is_public(a, in->home_nets, in->n_home_nets);
}

/* --- texts -------------------------------------------------------------- */

static int quote_len(struct sip_str s)
{
    return (int)(s.len < NAT_QUOTE_MAX ? s.len : NAT_QUOTE_MAX);
}

void analyzer_sip_nat_label(const struct sip_msg *msg, char *buf,
                            size_t size)
{
    struct sip_str reason = msg->reason;

    if (msg->is_request) {
        snprintf(buf, size, "%.*s", quote_len(msg->method),
                 msg->method.ptr ? msg->method.ptr : "");
        return;
    }
    if (reason.len > 24)
        reason.len = 24;
    if (msg->has_cseq)
        snprintf(buf, size, "%d %.*s (CSeq %" PRIu32 " %.*s)",
                 msg->status_code, (int)reason.len,
                 reason.ptr ? reason.ptr : "", msg->cseq,
                 quote_len(msg->cseq_method),
                 msg->cseq_method.ptr ? msg->cseq_method.ptr : "");
    else
        snprintf(buf, size, "%d %.*s", msg->status_code, (int)reason.len,
                 reason.ptr ? reason.ptr : "");
}

static const char *fmt_addr(const struct ip_addr *a, char *buf)
{
    return ipaddr_format(a, buf);
}

static struct analyzer_sip_nat_hit *
hit_add(struct analyzer_sip_nat_hit *hits, size_t max, size_t *n,
        enum analyzer_sip_nat_sig sig)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (hits[i].sig == sig)
            return NULL;
    if (*n >= max)
        return NULL;
    memset(&hits[*n], 0, sizeof(hits[*n]));
    hits[*n].sig = sig;
    return &hits[(*n)++];
}

/* --- A1 and N1: received= in responses ---------------------------------- */

static void check_received(const struct analyzer_sip_nat_input *in,
                           const char *label,
                           struct analyzer_sip_nat_hit *hits, size_t max,
                           size_t *n)
{
    const struct sip_via *via = sip_msg_top_via(in->msg);
    struct analyzer_sip_nat_hit *h;
    char rcv[IPADDR_STRLEN], src[IPADDR_STRLEN];
    struct ip_addr r;

    if (in->msg->is_request || !via || !via->valid || !via->received.ptr ||
        sip_host_to_addr(via->received, &r) != 0)
        return;
    fmt_addr(&r, rcv);
    fmt_addr(&in->src, src);
    if (ipaddr_is_cgnat(&r)) {
        h = hit_add(hits, max, n, ANALYZER_SIP_NAT_CGNAT);
        if (!h)
            return;
        text_fmt(h->evidence, sizeof(h->evidence),
                 "Via received=%s in %s from %s", rcv, label, src);
        text_fmt(h->why, sizeof(h->why),
                 "received= is the source address the server saw, and "
                 "100.64.0.0/10 is carrier-grade NAT space (RFC 6598): the "
                 "line is behind the ISP's NAT, a second NAT");
        return;
    }
    /* The server is on the Internet, so it can only have seen a public
     * address; RFC 3581 makes it echo that address.  A private value was
     * written back by something on the path.  A LAN-side server (a PBX
     * on 10.x) legitimately sees private addresses: not public, so not
     * tested. */
    if (!analyzer_sip_nat_is_private(&r) || !is_public_in(in, &in->src))
        return;
    h = hit_add(hits, max, n, ANALYZER_SIP_NAT_RECEIVED_PRIVATE);
    if (!h)
        return;
    text_fmt(h->evidence, sizeof(h->evidence),
             "Via received=%s in %s from public %s", rcv, label, src);
    if (ipaddr_equal(&r, &in->dst))
        text_fmt(h->why, sizeof(h->why),
                 "the server can only have seen the router's public "
                 "address, so a SIP ALG on the path rewrote the response "
                 "back to the phone's own address (disable SIP ALG)");
    else
        text_fmt(h->why, sizeof(h->why),
                 "the server can only have seen a public address, so a "
                 "device on the path rewrote the response (disable SIP "
                 "ALG)");
}

/* --- A4: mixed public and private addresses ------------------------------ */

static void field_add(struct nat_field *f, size_t *nf, const char *name,
                      const struct ip_addr *a)
{
    if (*nf >= NAT_MAX_FIELDS || !is_unicast(a))
        return;
    f[*nf].name = name;
    f[*nf].addr = *a;
    (*nf)++;
}

static void field_add_host(struct nat_field *f, size_t *nf, const char *name,
                           struct sip_str host)
{
    struct ip_addr a;

    if (host.ptr && sip_host_to_addr(host, &a) == 0)
        field_add(f, nf, name, &a);
}

/* The host of a Call-ID "local@host", when the host is an IP literal. */
static struct sip_str call_id_host(struct sip_str call_id)
{
    struct sip_str none = { NULL, 0 };
    size_t at = call_id.len, i;

    for (i = 0; i < call_id.len; i++)
        if (call_id.ptr[i] == '@')
            at = i;
    if (at >= call_id.len)
        return none;
    return sip_str_sub(call_id, at + 1, call_id.len);
}

/* True when a is one of the ICE candidates of media m (of any media
 * when m is NULL): then the phone chose it itself, typically its
 * server-reflexive address learned by STUN (RFC 8839 section 4.2.1.1). */
static bool is_candidate(const struct sdp *s, const struct sdp_media *m,
                         const struct ip_addr *a)
{
    size_t i, k;

    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];
        size_t nc = md->candidate_count < SDP_MAX_CANDIDATES ?
                        md->candidate_count : SDP_MAX_CANDIDATES;

        if (m && md != m)
            continue;
        for (k = 0; k < nc; k++)
            if (md->candidate[k].is_ip &&
                ipaddr_equal(&md->candidate[k].addr, a))
                return true;
    }
    return false;
}

/* The fields this sender wrote itself.  A request with one Via comes
 * straight from the user agent; with more, a proxy forwarded it and may
 * have fixed Contact and SDP on purpose (a provider's nathelper does),
 * so such requests are left out.  A response's Via belongs to the
 * requester: left out.  The Call-ID host belongs to whoever created the
 * dialog: only an initial request (no To tag) from the user agent. */
static size_t collect_fields(const struct analyzer_sip_nat_input *in,
                             struct nat_field *f)
{
    const struct sip_msg *m = in->msg;
    const struct sdp *s = in->sdp;
    size_t nf = 0, i, nc;

    if (m->is_request && m->via_count != 1)
        return 0;
    if (m->is_request && m->via[0].valid)
        field_add_host(f, &nf, "Via sent-by", m->via[0].host);
    nc = m->contact_count < SIP_MAX_CONTACTS ? m->contact_count :
                                               SIP_MAX_CONTACTS;
    for (i = 0; i < nc; i++)
        if (m->contact[i].uri_valid)
            field_add_host(f, &nf, "Contact", m->contact[i].uri.host);
    if (m->is_request && m->has_to && !m->to.tag.ptr)
        field_add_host(f, &nf, "Call-ID host", call_id_host(m->call_id));
    if (!s)
        return nf;
    if (s->origin.present)
        field_add_host(f, &nf, "SDP o=", s->origin.address);
    if (s->conn.present && s->conn.is_ip && !is_candidate(s, NULL,
                                                          &s->conn.addr))
        field_add(f, &nf, "SDP c=", &s->conn.addr);
    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];

        if (md->conn.present && md->conn.is_ip &&
            !is_candidate(s, md, &md->conn.addr))
            field_add(f, &nf, "SDP c=", &md->conn.addr);
        if (md->has_rtcp && md->rtcp_conn.present && md->rtcp_conn.is_ip)
            field_add(f, &nf, "SDP a=rtcp", &md->rtcp_conn.addr);
    }
    return nf;
}

/* "A and B": the distinct names of the fields matching want. */
static void names_of(const struct nat_field *f, size_t nf,
                     bool (*want)(const struct nat_field *, const void *),
                     const void *arg, char *buf, size_t size)
{
    const char *seen[NAT_MAX_FIELDS];
    size_t ns = 0, i, j, used = 0;

    buf[0] = '\0';
    for (i = 0; i < nf; i++) {
        bool dup = false;

        if (!want(&f[i], arg))
            continue;
        for (j = 0; j < ns; j++)
            if (strcmp(seen[j], f[i].name) == 0)
                dup = true;
        if (!dup)
            seen[ns++] = f[i].name;
    }
    for (i = 0; i < ns && used < size; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == ns ? " and " : ", ");
        int w = snprintf(buf + used, size - used, "%s%s", sep, seen[i]);

        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static bool field_is_source(const struct nat_field *f, const void *arg)
{
    return ipaddr_equal(&f->addr, arg);
}

static bool field_needs_nat(const struct nat_field *f, const void *arg)
{
    (void)arg;
    return needs_nat(&f->addr);
}

static void check_mixed(const struct analyzer_sip_nat_input *in,
                        const char *label,
                        struct analyzer_sip_nat_hit *hits, size_t max,
                        size_t *n)
{
    struct nat_field f[NAT_MAX_FIELDS];
    struct analyzer_sip_nat_hit *h;
    const struct nat_field *priv = NULL;
    char src[IPADDR_STRLEN], paddr[IPADDR_STRLEN];
    char pub_names[128], priv_names[128];
    size_t nf, i;
    bool has_pub = false;

    /* Only a public source can have been written into SIP by a NAT-side
     * device: on the LAN side nothing has touched the message yet. */
    if (!is_public_in(in, &in->src))
        return;
    nf = collect_fields(in, f);
    for (i = 0; i < nf; i++) {
        if (ipaddr_equal(&f[i].addr, &in->src))
            has_pub = true;
        else if (!priv && needs_nat(&f[i].addr))
            priv = &f[i];
    }
    if (!has_pub || !priv)
        return;
    h = hit_add(hits, max, n, ANALYZER_SIP_NAT_MIXED);
    if (!h)
        return;
    fmt_addr(&in->src, src);
    fmt_addr(&priv->addr, paddr);
    names_of(f, nf, field_is_source, &in->src, pub_names, sizeof(pub_names));
    names_of(f, nf, field_needs_nat, NULL, priv_names, sizeof(priv_names));
    text_fmt(h->evidence, sizeof(h->evidence),
             "%s from %s: %s hold its public source address but %s "
             "hold private %s", label, src, pub_names, priv_names, paddr);
    text_fmt(h->why, sizeof(h->why),
             "something on the path rewrote some of the phone's addresses "
             "to the NAT's and left others, as a SIP ALG does (a phone set "
             "to write its public address looks alike: compare both sides "
             "with ringscope diff)");
}

/* RFC 8839 section 4.2.1.1: with ICE, c= and the m= port are those of
 * the default candidate, so a public c= matching no candidate was
 * written by someone else.  Only a c= equal to the public source counts:
 * a relay or a host address in c= is the phone's own choice. */
static void check_ice(const struct analyzer_sip_nat_input *in,
                      const char *label, struct analyzer_sip_nat_hit *hits,
                      size_t max, size_t *n)
{
    const struct sdp *s = in->sdp;
    size_t i, k;

    if (!s || !is_public_in(in, &in->src))
        return;
    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];
        struct sdp_endpoint ep;
        struct analyzer_sip_nat_hit *h;
        char c[IPADDR_STRLEN], src[IPADDR_STRLEN];
        size_t nc = md->candidate_count < SDP_MAX_CANDIDATES ?
                        md->candidate_count : SDP_MAX_CANDIDATES;
        bool found = false;

        if (nc == 0 || sdp_media_endpoint(s, i, &ep) != 0 ||
            !ep.has_addr || !ep.conn.is_ip ||
            !ipaddr_equal(&ep.conn.addr, &in->src))
            continue;
        for (k = 0; k < nc; k++)
            if (md->candidate[k].is_ip &&
                ipaddr_equal(&md->candidate[k].addr, &ep.conn.addr))
                found = true;
        if (found)
            continue;
        h = hit_add(hits, max, n, ANALYZER_SIP_NAT_MIXED);
        if (!h)
            return;
        fmt_addr(&ep.conn.addr, c);
        fmt_addr(&in->src, src);
        text_fmt(h->evidence, sizeof(h->evidence),
                 "%s from %s: SDP c=%s is none of its %zu ICE candidates",
                 label, src, c, nc);
        text_fmt(h->why, sizeof(h->why),
                 "c= must be the address of the default candidate (RFC "
                 "8839), so c= was rewritten on the way after the phone "
                 "wrote it: a SIP ALG (disable SIP ALG)");
        return;
    }
}

/* --- A5: Content-Length -------------------------------------------------- */

static bool only_padding(const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (p[i] != '\r' && p[i] != '\n' && p[i] != ' ' && p[i] != '\t' &&
            p[i] != '\0')
            return false;
    return true;
}

static void check_content_length(const struct analyzer_sip_nat_input *in,
                                 const char *label,
                                 struct analyzer_sip_nat_hit *hits,
                                 size_t max, size_t *n)
{
    const struct sip_msg *m = in->msg;
    struct analyzer_sip_nat_hit *h;
    char src[IPADDR_STRLEN];
    size_t cl;

    /* Over TCP Content-Length is what frames the message, so a wrong one
     * garbles the stream instead; a datagram cut by the snaplen is
     * shorter for another reason. */
    if (!in->datagram || !in->complete || m->content_length < 0 ||
        m->header_len == 0)
        return;
    cl = (size_t)m->content_length;
    if (cl == m->body_available)
        return;
    /* Trailing CRLFs or NULs after the body are padding some stacks add;
     * an ALG that lengthened the SDP leaves SDP text there. */
    if (cl < m->body_available && in->raw &&
        m->header_len + cl <= in->raw_len &&
        only_padding(in->raw + m->header_len + cl,
                     in->raw_len - m->header_len - cl))
        return;
    h = hit_add(hits, max, n, ANALYZER_SIP_NAT_CONTENT_LENGTH);
    if (!h)
        return;
    fmt_addr(&in->src, src);
    text_fmt(h->evidence, sizeof(h->evidence),
             "Content-Length %" PRId64 " but the body has %zu bytes in %s "
             "from %s", m->content_length, m->body_available, label, src);
    text_fmt(h->why, sizeof(h->why),
             "something on the path changed the body (addresses of another "
             "length) without fixing Content-Length, as a faulty SIP ALG "
             "does; receivers cut or drop such messages (disable SIP ALG)");
}

/* --- A8: an address in SDP i= ------------------------------------------- */

/* The first private or CGNAT IPv4 literal in text, if any. */
static bool find_private_v4(struct sip_str text, struct ip_addr *out)
{
    size_t i = 0;

    while (i < text.len) {
        size_t j = i;
        char c = text.ptr[i];

        if (c < '0' || c > '9') {
            i++;
            continue;
        }
        while (j < text.len && ((text.ptr[j] >= '0' && text.ptr[j] <= '9') ||
                                text.ptr[j] == '.'))
            j++;
        if (sip_host_kind_of(sip_str_sub(text, i, j)) == SIP_HOST_IPV4 &&
            sip_host_to_addr(sip_str_sub(text, i, j), out) == 0 &&
            needs_nat(out))
            return true;
        i = j;
    }
    return false;
}

static void check_info(const struct analyzer_sip_nat_input *in,
                       const char *label, struct analyzer_sip_nat_hit *hits,
                       size_t max, size_t *n)
{
    const struct sdp *s = in->sdp;
    struct ip_addr priv, pub;
    struct sip_str info = { NULL, 0 };
    bool have_priv = false, have_pub = false;
    size_t i;

    if (!s)
        return;
    if (s->info.ptr && find_private_v4(s->info, &priv)) {
        have_priv = true;
        info = s->info;
    }
    if (s->conn.present && s->conn.is_ip &&
        is_public_in(in, &s->conn.addr)) {
        have_pub = true;
        pub = s->conn.addr;
    }
    for (i = 0; i < s->media_count && i < SDP_MAX_MEDIA; i++) {
        const struct sdp_media *md = &s->media[i];

        if (!have_priv && md->info.ptr && find_private_v4(md->info, &priv)) {
            have_priv = true;
            info = md->info;
        }
        if (!have_pub && md->conn.present && md->conn.is_ip &&
            is_public_in(in, &md->conn.addr)) {
            have_pub = true;
            pub = md->conn.addr;
        }
    }
    if (have_priv && have_pub) {
        struct analyzer_sip_nat_hit *h;
        char pa[IPADDR_STRLEN], pu[IPADDR_STRLEN], src[IPADDR_STRLEN];

        h = hit_add(hits, max, n, ANALYZER_SIP_NAT_INFO_ADDR);
        if (!h)
            return;
        fmt_addr(&priv, pa);
        fmt_addr(&pub, pu);
        fmt_addr(&in->src, src);
        text_fmt(h->evidence, sizeof(h->evidence),
                 "SDP i=%.*s in %s from %s holds private %s while c= is %s",
                 quote_len(info), info.ptr, label, src, pa, pu);
        text_fmt(h->why, sizeof(h->why),
                 "a FortiGate SIP ALG records the original address in i= "
                 "when it rewrites c= (voip profile option nat-trace): the "
                 "ALG is on (disable SIP ALG)");
    }
}

/* --- double NAT and CGNAT from the IP header ----------------------------- */

static void check_translation(const struct analyzer_sip_nat_input *in,
                              const char *label,
                              struct analyzer_sip_nat_hit *hits, size_t max,
                              size_t *n)
{
    const struct sip_msg *m = in->msg;
    const struct sip_via *via = sip_msg_top_via(m);
    struct analyzer_sip_nat_hit *h;
    char src[IPADDR_STRLEN], dst[IPADDR_STRLEN], sb[IPADDR_STRLEN];
    char rc[IPADDR_STRLEN];
    struct ip_addr sent_by, r;

    if (!via || !via->valid || sip_host_to_addr(via->host, &sent_by) != 0)
        return;
    fmt_addr(&in->src, src);
    fmt_addr(&in->dst, dst);
    fmt_addr(&sent_by, sb);
    if (m->is_request) {
        /* Straight from a user agent (one Via) to the Internet. */
        if (m->via_count != 1 || !is_public_in(in, &in->dst))
            return;
        if (ipaddr_is_cgnat(&in->src)) {
            h = hit_add(hits, max, n, ANALYZER_SIP_NAT_CGNAT);
            if (!h)
                return;
            text_fmt(h->evidence, sizeof(h->evidence),
                     "%s to public %s leaves from %s (Via sent-by %s)",
                     label, dst, src, sb);
            text_fmt(h->why, sizeof(h->why),
                     "100.64.0.0/10 is carrier-grade NAT space (RFC 6598): "
                     "the router's WAN side is behind the ISP's NAT, a "
                     "second NAT");
            return;
        }
        if (!analyzer_sip_nat_is_private(&in->src) || !needs_nat(&sent_by) ||
            ipaddr_equal(&sent_by, &in->src))
            return;
        h = hit_add(hits, max, n, ANALYZER_SIP_NAT_DOUBLE);
        if (!h)
            return;
        text_fmt(h->evidence, sizeof(h->evidence),
                 "%s to public %s leaves from private %s although its Via "
                 "sent-by is %s", label, dst, src, sb);
        text_fmt(h->why, sizeof(h->why),
                 "a NAT already translated the phone's private address into "
                 "another private one, so a second NAT must follow before "
                 "the Internet (double NAT)");
        return;
    }
    /* A response on its way back, seen between two NATs: the server saw
     * a public address (received=), the packet goes to a private or CGNAT
     * one, and the phone wrote yet another private one. */
    if (!is_public_in(in, &in->src) || !via->received.ptr ||
        sip_host_to_addr(via->received, &r) != 0 || !is_public_in(in, &r) ||
        !needs_nat(&in->dst) || !needs_nat(&sent_by) ||
        ipaddr_equal(&sent_by, &in->dst) || ipaddr_equal(&r, &in->dst))
        return;
    fmt_addr(&r, rc);
    h = hit_add(hits, max, n, ipaddr_is_cgnat(&in->dst) ?
                                  ANALYZER_SIP_NAT_CGNAT :
                                  ANALYZER_SIP_NAT_DOUBLE);
    if (!h)
        return;
    text_fmt(h->evidence, sizeof(h->evidence),
             "%s from public %s arrives at %s, but its Via says the request "
             "left as %s and reached the server from %s", label, src, dst,
             sb, rc);
    text_fmt(h->why, sizeof(h->why),
             "two translations on the path (%s to %s before this point, %s "
             "to %s after it): %s", sb, dst, dst, rc,
             ipaddr_is_cgnat(&in->dst) ?
                 "the second is the ISP's carrier-grade NAT (RFC 6598)" :
                 "double NAT");
}

/* --- entry points -------------------------------------------------------- */

size_t analyzer_sip_nat_check(const struct analyzer_sip_nat_input *in,
                              struct analyzer_sip_nat_hit *hits, size_t max)
{
    const struct sip_msg *m = in->msg;
    size_t n = 0;
    char label[96];

    if (!m || m->header_len == 0)
        return 0;
    analyzer_sip_nat_label(m, label, sizeof(label));
    check_received(in, label, hits, max, &n);
    check_mixed(in, label, hits, max, &n);
    check_ice(in, label, hits, max, &n);
    check_content_length(in, label, hits, max, &n);
    check_info(in, label, hits, max, &n);
    check_translation(in, label, hits, max, &n);
    return n;
}

const char *analyzer_sip_nat_kind(enum analyzer_sip_nat_sig sig)
{
    switch (sig) {
    case ANALYZER_SIP_NAT_RECEIVED_PRIVATE:
    case ANALYZER_SIP_NAT_MIXED:
    case ANALYZER_SIP_NAT_CONTENT_LENGTH:
    case ANALYZER_SIP_NAT_INFO_ADDR:
    case ANALYZER_SIP_NAT_MEDIA_PORT:
        return "sip_alg_suspected";
    case ANALYZER_SIP_NAT_CGNAT:
        return "cgnat";
    case ANALYZER_SIP_NAT_DOUBLE:
        return "double_nat";
    case ANALYZER_SIP_NAT_BINDING_CHANGED:
        return "nat_rewrite";
    case ANALYZER_SIP_NAT_SIG_COUNT:
        break;
    }
    return "unknown";
}

enum finding_severity analyzer_sip_nat_severity(enum analyzer_sip_nat_sig sig)
{
    switch (sig) {
    case ANALYZER_SIP_NAT_RECEIVED_PRIVATE:
    case ANALYZER_SIP_NAT_CGNAT:
    case ANALYZER_SIP_NAT_DOUBLE:
        return FINDING_ERROR;
    case ANALYZER_SIP_NAT_MIXED:
    case ANALYZER_SIP_NAT_CONTENT_LENGTH:
    case ANALYZER_SIP_NAT_INFO_ADDR:
    case ANALYZER_SIP_NAT_MEDIA_PORT:
    case ANALYZER_SIP_NAT_BINDING_CHANGED:
    case ANALYZER_SIP_NAT_SIG_COUNT:
        break;
    }
    return FINDING_WARNING;
}
