/* SDP body parser.  Spec: RFC 8866 (was RFC 4566) section 5 for the
 * lines, RFC 3264 section 5.1 for direction attributes, RFC 3605 for
 * a=rtcp, RFC 5761 for a=rtcp-mux, RFC 8839 section 5.1 for a=candidate.
 *
 * One pass over the lines.  Lines before the first m= describe the
 * session, the rest belong to the latest m=.  Fields are separated by
 * runs of spaces or tabs (the grammar says one space; real stacks are
 * sloppier). */
#include "config.h"

#include "sdp.h"

#include <string.h>

#include "cursor.h"

static int byte_at(const struct cursor *c, size_t i)
{
    uint8_t b;

    if (!cur_peek_u8(c, i, &b))
        return -1;
    return b;
}

static bool is_blank(int b)
{
    return b == ' ' || b == '\t';
}

/* Next field of v at *pos, separated by spaces or tabs; false at the end. */
static bool next_field(struct sip_str v, size_t *pos, struct sip_str *f)
{
    struct cursor c;
    size_t start;

    cur_init(&c, (const uint8_t *)v.ptr, v.ptr ? v.len : 0);
    while (*pos < c.len && is_blank(byte_at(&c, *pos)))
        (*pos)++;
    if (*pos >= c.len)
        return false;
    start = *pos;
    while (*pos < c.len && !is_blank(byte_at(&c, *pos)))
        (*pos)++;
    *f = sip_str_sub(v, start, *pos);
    return true;
}

/* The rest of v after *pos, without leading blanks. */
static struct sip_str rest_of(struct sip_str v, size_t pos)
{
    return sip_str_trim(sip_str_sub(v, pos < v.len ? pos : v.len, v.len));
}

static int to_u32(struct sip_str s, uint32_t max, uint32_t *out)
{
    uint64_t v;

    if (sip_str_to_u64(s, max, &v) != 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* "<nettype> <addrtype> <address>[/ttl[/count]]" (c= and a=rtcp).  On -1
 * the connection is left absent. */
static int parse_conn(struct sip_str v, size_t pos, struct sdp_conn *conn)
{
    struct sip_str addr;

    memset(conn, 0, sizeof(*conn));
    if (!next_field(v, &pos, &conn->nettype) ||
        !next_field(v, &pos, &conn->addrtype) ||
        !next_field(v, &pos, &addr))
        return -1;
    if (!sip_str_eq_ci(conn->addrtype, "IP4") &&
        !sip_str_eq_ci(conn->addrtype, "IP6"))
        return -1;
    conn->address = sip_str_sub(addr, 0, sip_str_find(addr, 0, '/'));
    conn->is_ip = sip_host_to_addr(conn->address, &conn->addr) == 0;
    conn->present = true;
    return 0;
}

static void parse_origin(struct sip_str v, struct sdp *s)
{
    struct sdp_origin *o = &s->origin;
    size_t pos = 0;

    memset(o, 0, sizeof(*o));
    o->present = true;
    if (!next_field(v, &pos, &o->username) ||
        !next_field(v, &pos, &o->sess_id) ||
        !next_field(v, &pos, &o->sess_version) ||
        !next_field(v, &pos, &o->nettype) ||
        !next_field(v, &pos, &o->addrtype) ||
        !next_field(v, &pos, &o->address))
        s->anomalies |= SDP_ANOM_BAD_ORIGIN;
}

/* m=<media> <port>[/<count>] <proto> <fmt> ... */
static void parse_media(struct sip_str v, struct sdp_media *m, uint32_t *anom)
{
    struct sip_str port, fmt;
    size_t pos = 0, slash;
    uint32_t n;
    bool ok = true;

    memset(m, 0, sizeof(*m));
    m->port_count = 1;
    if (!next_field(v, &pos, &m->media) || !next_field(v, &pos, &port) ||
        !next_field(v, &pos, &m->proto)) {
        *anom |= SDP_ANOM_BAD_MEDIA;
        return;
    }
    slash = sip_str_find(port, 0, '/');
    if (to_u32(sip_str_sub(port, 0, slash), 65535, &n) == 0)
        m->port = (uint16_t)n;
    else
        ok = false;
    if (slash < port.len) {
        if (to_u32(sip_str_sub(port, slash + 1, port.len), 65535, &n) == 0)
            m->port_count = (uint16_t)n;
        else
            ok = false;
    }
    m->formats = rest_of(v, pos);
    while (next_field(v, &pos, &fmt)) {
        if (to_u32(fmt, 127, &n) != 0)
            continue;
        if (m->format_count < SDP_MAX_FORMATS)
            m->format[m->format_count] = (uint8_t)n;
        else
            *anom |= SDP_ANOM_DROPPED;
        m->format_count++;
    }
    if (!ok)
        *anom |= SDP_ANOM_BAD_MEDIA;
}

/* a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>] */
static void parse_rtpmap(struct sip_str v, struct sdp_media *m,
                         uint32_t *anom)
{
    struct sdp_rtpmap r;
    struct sip_str pt, enc, rate, rest;
    size_t pos = 0, s1, s2;
    uint32_t n;

    memset(&r, 0, sizeof(r));
    r.channels = 1;
    if (!next_field(v, &pos, &pt) || !next_field(v, &pos, &enc) ||
        to_u32(pt, 127, &n) != 0) {
        *anom |= SDP_ANOM_BAD_RTPMAP;
        return;
    }
    r.pt = (uint8_t)n;
    s1 = sip_str_find(enc, 0, '/');
    r.encoding = sip_str_sub(enc, 0, s1);
    rest = sip_str_sub(enc, s1 + 1, enc.len);
    s2 = sip_str_find(rest, 0, '/');
    rate = sip_str_sub(rest, 0, s2);
    if (s1 >= enc.len || r.encoding.len == 0 ||
        to_u32(rate, UINT32_MAX, &r.clock_rate) != 0) {
        *anom |= SDP_ANOM_BAD_RTPMAP;
        return;
    }
    if (s2 < rest.len) {
        if (to_u32(sip_str_sub(rest, s2 + 1, rest.len), 255, &n) != 0) {
            *anom |= SDP_ANOM_BAD_RTPMAP;
            return;
        }
        r.channels = (uint8_t)n;
    }
    if (m->rtpmap_count < SDP_MAX_RTPMAPS)
        m->rtpmap[m->rtpmap_count] = r;
    else
        *anom |= SDP_ANOM_DROPPED;
    m->rtpmap_count++;
}

/* a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605 section 2.1) */
static void parse_rtcp(struct sip_str v, struct sdp_media *m, uint32_t *anom)
{
    struct sip_str port;
    size_t pos = 0;
    uint32_t n;

    if (!next_field(v, &pos, &port) || to_u32(port, 65535, &n) != 0) {
        *anom |= SDP_ANOM_BAD_RTCP;
        return;
    }
    m->has_rtcp = true;
    m->rtcp_port = (uint16_t)n;
    if (rest_of(v, pos).len > 0 && parse_conn(v, pos, &m->rtcp_conn) != 0)
        *anom |= SDP_ANOM_BAD_RTCP;
}

static enum sdp_cand_type cand_type(struct sip_str t)
{
    if (sip_str_eq_ci(t, "host"))
        return SDP_CAND_HOST;
    if (sip_str_eq_ci(t, "srflx"))
        return SDP_CAND_SRFLX;
    if (sip_str_eq_ci(t, "prflx"))
        return SDP_CAND_PRFLX;
    if (sip_str_eq_ci(t, "relay"))
        return SDP_CAND_RELAY;
    return SDP_CAND_OTHER;
}

/* a=candidate:<foundation> <component> <transport> <priority> <address>
 * <port> typ <type> [raddr <addr>] [rport <port>] *(<name> <value>) */
static void parse_candidate(struct sip_str v, struct sdp_media *m,
                            uint32_t *anom)
{
    struct sdp_candidate c;
    struct sip_str comp, prio, port, typ, name, val;
    size_t pos = 0;
    uint32_t n;

    memset(&c, 0, sizeof(c));
    if (!next_field(v, &pos, &c.foundation) || !next_field(v, &pos, &comp) ||
        !next_field(v, &pos, &c.transport) || !next_field(v, &pos, &prio) ||
        !next_field(v, &pos, &c.address) || !next_field(v, &pos, &port) ||
        !next_field(v, &pos, &typ) || !next_field(v, &pos, &c.type_text) ||
        !sip_str_eq_ci(typ, "typ") ||
        to_u32(comp, 256, &c.component) != 0 ||
        to_u32(prio, UINT32_MAX, &c.priority) != 0 ||
        to_u32(port, 65535, &n) != 0) {
        *anom |= SDP_ANOM_BAD_CANDIDATE;
        return;
    }
    c.port = (uint16_t)n;
    c.is_ip = sip_host_to_addr(c.address, &c.addr) == 0;
    c.type = cand_type(c.type_text);
    while (next_field(v, &pos, &name) && next_field(v, &pos, &val)) {
        if (sip_str_eq_ci(name, "raddr")) {
            c.raddr = val;
        } else if (sip_str_eq_ci(name, "rport")) {
            if (to_u32(val, 65535, &n) == 0) {
                c.has_rport = true;
                c.rport = (uint16_t)n;
            } else {
                *anom |= SDP_ANOM_BAD_CANDIDATE;
            }
        }
    }
    if (m->candidate_count < SDP_MAX_CANDIDATES)
        m->candidate[m->candidate_count] = c;
    else
        *anom |= SDP_ANOM_DROPPED;
    m->candidate_count++;
}

static enum sdp_direction direction_of(struct sip_str name)
{
    if (sip_str_eq_ci(name, "sendrecv"))
        return SDP_DIR_SENDRECV;
    if (sip_str_eq_ci(name, "sendonly"))
        return SDP_DIR_SENDONLY;
    if (sip_str_eq_ci(name, "recvonly"))
        return SDP_DIR_RECVONLY;
    if (sip_str_eq_ci(name, "inactive"))
        return SDP_DIR_INACTIVE;
    return SDP_DIR_NONE;
}

/* a=<name>[:<value>].  m is NULL at session level. */
static void parse_attr(struct sip_str v, struct sdp *s, struct sdp_media *m)
{
    size_t colon = sip_str_find(v, 0, ':');
    struct sip_str name = sip_str_trim(sip_str_sub(v, 0, colon));
    struct sip_str val = sip_str_sub(v, colon + 1, v.len);
    enum sdp_direction dir = direction_of(name);
    uint32_t n;

    if (colon >= v.len)
        val.ptr = NULL;
    if (dir != SDP_DIR_NONE) {
        if (m)
            m->direction = dir;
        else
            s->direction = dir;
        return;
    }
    if (!m)
        return;
    if (sip_str_eq_ci(name, "rtpmap")) {
        parse_rtpmap(val, m, &s->anomalies);
    } else if (sip_str_eq_ci(name, "rtcp")) {
        parse_rtcp(val, m, &s->anomalies);
    } else if (sip_str_eq_ci(name, "rtcp-mux")) {
        m->rtcp_mux = true;
    } else if (sip_str_eq_ci(name, "candidate")) {
        parse_candidate(val, m, &s->anomalies);
    } else if (sip_str_eq_ci(name, "ptime")) {
        /* Milliseconds; a fractional part ("20.0") is ignored. */
        struct sip_str t = sip_str_trim(val);

        if (to_u32(sip_str_sub(t, 0, sip_str_find(t, 0, '.')), 100000, &n)
            == 0)
            m->ptime = n;
    }
}

/* One line of the body: its content without CR LF, and where the next
 * one starts.  The last line may lack its LF.  False at the end. */
static bool next_line(const struct cursor *all, size_t off, size_t *end,
                      size_t *next, bool *lf_only)
{
    struct cursor c = *all;
    const uint8_t *p;
    size_t nl;

    if (off >= all->len || !cur_skip(&c, off))
        return false;
    p = memchr(cur_ptr(&c), '\n', cur_remaining(&c));
    nl = p ? (size_t)(p - all->base) : all->len;
    *next = p ? nl + 1 : nl;
    *lf_only = p && !(nl > off && byte_at(all, nl - 1) == '\r');
    *end = (nl > off && byte_at(all, nl - 1) == '\r') ? nl - 1 : nl;
    return true;
}

static void sdp_reset(struct sdp *s)
{
    /* The media array is only read up to media_count. */
    memset(s, 0, offsetof(struct sdp, media));
    s->version = -1;
}

enum sdp_status sdp_parse(const uint8_t *body, size_t len, struct sdp *out)
{
    struct cursor all;
    struct sip_str whole;
    struct sdp_media *cur = NULL;
    size_t off = 0, end, next, i;
    bool lf_only, in_media = false, first = true;

    sdp_reset(out);
    cur_init(&all, body, len);
    whole.ptr = (const char *)body;
    whole.len = all.len;

    while (next_line(&all, off, &end, &next, &lf_only)) {
        struct sip_str line = sip_str_sub(whole, off, end);
        struct sip_str v = sip_str_sub(line, 2, line.len);
        int type = byte_at(&all, off), eq = byte_at(&all, off + 1);
        uint32_t n;

        off = next;
        if (line.len == 0)
            continue;
        if (lf_only)
            out->anomalies |= SDP_ANOM_LF_ONLY;
        if (line.len < 2 || eq != '=' || type < 'a' || type > 'z') {
            if (first)
                break;
            out->anomalies |= SDP_ANOM_BAD_LINE;
            continue;
        }
        if (first) {
            /* RFC 8866 section 5: the body starts with v=. */
            if (type != 'v')
                break;
            first = false;
        }
        switch (type) {
        case 'v':
            if (to_u32(sip_str_trim(v), 255, &n) == 0)
                out->version = (int)n;
            if (out->version != 0)
                out->anomalies |= SDP_ANOM_BAD_VERSION;
            break;
        case 'o':
            parse_origin(v, out);
            break;
        case 's':
            out->name = v;
            break;
        case 'i':
            if (!in_media)
                out->info = v;
            else if (cur)
                cur->info = v;
            break;
        case 'c':
            if (!in_media) {
                if (parse_conn(v, 0, &out->conn) != 0)
                    out->anomalies |= SDP_ANOM_BAD_CONN;
            } else if (cur) {
                if (parse_conn(v, 0, &cur->conn) != 0)
                    out->anomalies |= SDP_ANOM_BAD_CONN;
            }
            break;
        case 'm':
            in_media = true;
            if (out->media_count < SDP_MAX_MEDIA) {
                cur = &out->media[out->media_count];
                parse_media(v, cur, &out->anomalies);
            } else {
                cur = NULL;
                out->anomalies |= SDP_ANOM_DROPPED;
            }
            out->media_count++;
            break;
        case 'a':
            if (!in_media || cur)
                parse_attr(v, out, cur);
            break;
        default:
            break;
        }
    }
    if (first) {
        out->status = SDP_MALFORMED;
        return out->status;
    }
    for (i = 0; i < out->media_count && i < SDP_MAX_MEDIA; i++) {
        if (out->media[i].port != 0 && !out->media[i].conn.present &&
            !out->conn.present)
            out->anomalies |= SDP_ANOM_NO_CONN;
    }
    out->status = SDP_OK;
    return out->status;
}

static bool is_null_addr(const struct sdp_conn *c)
{
    static const uint8_t zero[16];

    return c->present && c->is_ip &&
           memcmp(c->addr.bytes, zero, sizeof(zero)) == 0;
}

int sdp_media_endpoint(const struct sdp *s, size_t i,
                       struct sdp_endpoint *out)
{
    const struct sdp_media *m;

    memset(out, 0, sizeof(*out));
    if (i >= s->media_count || i >= SDP_MAX_MEDIA)
        return -1;
    m = &s->media[i];
    if (m->conn.present) {
        out->conn = m->conn;
    } else if (s->conn.present) {
        out->conn = s->conn;
        out->addr_from_session = true;
    }
    out->has_addr = out->conn.present;
    out->port = m->port;
    if (m->has_rtcp) {
        out->rtcp_port = m->rtcp_port;
        out->rtcp_conn = m->rtcp_conn.present ? m->rtcp_conn : out->conn;
    } else {
        out->rtcp_port = m->rtcp_mux ? m->port :
                         m->port < 65535 ? (uint16_t)(m->port + 1) : 0;
        out->rtcp_conn = out->conn;
    }
    out->direction = m->direction != SDP_DIR_NONE ? m->direction :
                     s->direction != SDP_DIR_NONE ? s->direction :
                     SDP_DIR_SENDRECV;
    out->null_addr = is_null_addr(&out->conn);
    return 0;
}

const struct sdp_rtpmap *sdp_media_rtpmap(const struct sdp_media *m,
                                          uint8_t pt)
{
    size_t i, n = m->rtpmap_count < SDP_MAX_RTPMAPS ? m->rtpmap_count :
                                                      SDP_MAX_RTPMAPS;

    for (i = 0; i < n; i++) {
        if (m->rtpmap[i].pt == pt)
            return &m->rtpmap[i];
    }
    return NULL;
}

const char *sdp_direction_name(enum sdp_direction d)
{
    switch (d) {
    case SDP_DIR_SENDRECV:
        return "sendrecv";
    case SDP_DIR_SENDONLY:
        return "sendonly";
    case SDP_DIR_RECVONLY:
        return "recvonly";
    case SDP_DIR_INACTIVE:
        return "inactive";
    case SDP_DIR_NONE:
        break;
    }
    return "";
}
