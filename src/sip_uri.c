/* SIP string views, URIs, hosts, parameters and name-addr values.  Spec:
 * RFC 3261 sections 19.1 (SIP URIs), 20.10 (name-addr and addr-spec) and
 * 25.1 (grammar); RFC 3966 (tel URIs).  Everything reads through cursors
 * over borrowed views; nothing is copied. */
#include "config.h"

#include "sip.h"

#include <string.h>

#include "cursor.h"
#include "sip_internal.h"

/* ---- views -------------------------------------------------------------- */

struct sip_str sip_str_sub(struct sip_str s, size_t from, size_t to)
{
    struct sip_str r = { NULL, 0 };

    if (!s.ptr || from > to || to > s.len)
        return r;
    r.ptr = s.ptr + from;
    r.len = to - from;
    return r;
}

struct sip_str sip_str_trim(struct sip_str s)
{
    struct cursor c;
    size_t lo = 0, hi;

    sip_cur_of(&c, s);
    hi = c.len;
    while (lo < hi && sip_is_lws(sip_byte_at(&c, lo)))
        lo++;
    while (hi > lo && sip_is_lws(sip_byte_at(&c, hi - 1)))
        hi--;
    return sip_str_sub(s, lo, hi);
}

size_t sip_str_find(struct sip_str s, size_t from, int b)
{
    struct cursor c;
    const uint8_t *p;

    sip_cur_of(&c, s);
    if (from >= c.len || !cur_skip(&c, from))
        return s.ptr ? s.len : 0;
    p = memchr(cur_ptr(&c), b, cur_remaining(&c));
    return p ? (size_t)(p - c.base) : c.len;
}

bool sip_str_eq(struct sip_str a, struct sip_str b)
{
    if (a.len != b.len)
        return false;
    if (a.len == 0)
        return true;
    return memcmp(a.ptr, b.ptr, a.len) == 0;
}

bool sip_str_eq_ci(struct sip_str a, const char *s)
{
    struct cursor c;
    size_t i, n = strlen(s);

    if (a.len != n || (n > 0 && !a.ptr))
        return false;
    sip_cur_of(&c, a);
    for (i = 0; i < n; i++) {
        if (sip_lower(sip_byte_at(&c, i)) != sip_lower((unsigned char)s[i]))
            return false;
    }
    return true;
}

bool sip_str_prefix_ci(struct sip_str a, const char *s)
{
    size_t n = strlen(s);

    if (a.len < n)
        return false;
    return sip_str_eq_ci(sip_str_sub(a, 0, n), s);
}

int sip_str_to_u64(struct sip_str s, uint64_t max, uint64_t *out)
{
    struct cursor c;
    uint64_t v = 0;
    size_t i;

    if (s.len == 0 || !s.ptr || s.len > 20)
        return -1;
    sip_cur_of(&c, s);
    for (i = 0; i < c.len; i++) {
        int b = sip_byte_at(&c, i);
        uint64_t d;

        if (!sip_is_digit(b))
            return -1;
        d = (uint64_t)(b - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- hosts and URIs --------------------------------------------------- */

/* Four dotted decimal octets, each at most 255. */
static bool is_ipv4_text(struct sip_str s)
{
    struct cursor c;
    size_t i;
    unsigned octets = 0, digits = 0, val = 0;

    sip_cur_of(&c, s);
    if (c.len == 0 || c.len > 15)
        return false;
    for (i = 0; i < c.len; i++) {
        int b = sip_byte_at(&c, i);

        if (sip_is_digit(b)) {
            val = val * 10 + (unsigned)(b - '0');
            if (++digits > 3 || val > 255)
                return false;
        } else if (b == '.') {
            if (digits == 0 || ++octets > 3)
                return false;
            digits = 0;
            val = 0;
        } else {
            return false;
        }
    }
    return octets == 3 && digits > 0;
}

static struct sip_str strip_brackets(struct sip_str s)
{
    struct cursor c;

    sip_cur_of(&c, s);
    if (c.len >= 2 && sip_byte_at(&c, 0) == '[' && sip_byte_at(&c, c.len - 1) == ']')
        return sip_str_sub(s, 1, s.len - 1);
    return s;
}

int sip_host_to_addr(struct sip_str host, struct ip_addr *out)
{
    char buf[IPADDR_STRLEN];
    struct sip_str h = strip_brackets(host);

    if (!h.ptr || h.len == 0 || h.len >= sizeof(buf))
        return -1;
    memcpy(buf, h.ptr, h.len);
    buf[h.len] = '\0';
    return ipaddr_parse(buf, out);
}

enum sip_host_kind sip_host_kind_of(struct sip_str host)
{
    struct ip_addr a;

    if (!host.ptr || host.len == 0)
        return SIP_HOST_NONE;
    if (is_ipv4_text(host))
        return SIP_HOST_IPV4;
    if (sip_str_find(host, 0, ':') < host.len && sip_host_to_addr(host, &a) == 0 &&
        a.family == 6)
        return SIP_HOST_IPV6;
    return SIP_HOST_NAME;
}

/* Host names: letters, digits, '-', '.', and '_' (seen in the wild). */
static bool is_hostname_text(struct sip_str s)
{
    struct cursor c;
    size_t i;

    sip_cur_of(&c, s);
    if (c.len == 0)
        return false;
    for (i = 0; i < c.len; i++) {
        int b = sip_byte_at(&c, i);

        if (!sip_is_alnum(b) && b != '-' && b != '.' && b != '_')
            return false;
    }
    return true;
}

int sip_parse_hostport(struct sip_str s, struct sip_str *host,
                          enum sip_host_kind *kind, bool *has_port,
                          uint16_t *port)
{
    struct cursor c;
    size_t host_end, port_from;
    uint64_t v;

    sip_cur_of(&c, s);
    *has_port = false;
    *port = 0;
    if (c.len == 0)
        return -1;
    if (sip_byte_at(&c, 0) == '[') {
        size_t rb = sip_str_find(s, 1, ']');

        if (rb >= s.len)
            return -1;
        *host = sip_str_sub(s, 1, rb);
        if (sip_host_kind_of(*host) != SIP_HOST_IPV6)
            return -1;
        *kind = SIP_HOST_IPV6;
        port_from = rb + 1;
        if (port_from == s.len)
            return 0;
        if (sip_byte_at(&c, port_from) != ':')
            return -1;
    } else {
        host_end = sip_str_find(s, 0, ':');
        *host = sip_str_sub(s, 0, host_end);
        if (!is_hostname_text(*host))
            return -1;
        *kind = sip_host_kind_of(*host);
        if (host_end == s.len)
            return 0;
        port_from = host_end;
    }
    if (sip_str_to_u64(sip_str_sub(s, port_from + 1, s.len), 65535, &v) != 0)
        return -1;
    *has_port = true;
    *port = (uint16_t)v;
    return 0;
}

/* RFC 3261 section 19.1.1 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static bool is_scheme_text(struct sip_str s)
{
    struct cursor c;
    size_t i;

    sip_cur_of(&c, s);
    if (c.len == 0 || !sip_is_alpha(sip_byte_at(&c, 0)))
        return false;
    for (i = 1; i < c.len; i++) {
        int b = sip_byte_at(&c, i);

        if (!sip_is_alnum(b) && b != '+' && b != '-' && b != '.')
            return false;
    }
    return true;
}

int sip_uri_parse(struct sip_str text, struct sip_uri *out)
{
    struct sip_str t = sip_str_trim(text), rest, hostport;
    size_t colon, at, end, semi, q;

    memset(out, 0, sizeof(*out));
    colon = sip_str_find(t, 0, ':');
    if (colon >= t.len || !is_scheme_text(sip_str_sub(t, 0, colon)))
        return -1;
    out->scheme_text = sip_str_sub(t, 0, colon);
    rest = sip_str_sub(t, colon + 1, t.len);

    if (sip_str_eq_ci(out->scheme_text, "tel")) {
        /* RFC 3966: telephone-subscriber, then ;params. */
        out->scheme = SIP_URI_TEL;
        semi = sip_str_find(rest, 0, ';');
        out->user = sip_str_sub(rest, 0, semi);
        if (out->user.len == 0)
            return -1;
        if (semi < rest.len)
            out->params = sip_str_sub(rest, semi + 1, rest.len);
        return 0;
    }
    if (sip_str_eq_ci(out->scheme_text, "sip"))
        out->scheme = SIP_URI_SIP;
    else if (sip_str_eq_ci(out->scheme_text, "sips"))
        out->scheme = SIP_URI_SIPS;
    else {
        out->scheme = SIP_URI_OTHER;
        return 0;
    }

    /* userinfo: the user part may hold ';', '?' and '=' (user-unreserved),
     * so the host starts after the first '@' anywhere in the URI. */
    at = sip_str_find(rest, 0, '@');
    if (at < rest.len) {
        struct sip_str ui = sip_str_sub(rest, 0, at);
        size_t pw = sip_str_find(ui, 0, ':');

        out->user = sip_str_sub(ui, 0, pw);
        if (pw < ui.len)
            out->password = sip_str_sub(ui, pw + 1, ui.len);
        rest = sip_str_sub(rest, at + 1, rest.len);
    }

    /* hostport ends at ';' (params) or '?' (headers); an IPv6 reference
     * holds ':' but neither of those. */
    semi = sip_str_find(rest, 0, ';');
    q = sip_str_find(rest, 0, '?');
    end = semi < q ? semi : q;
    hostport = sip_str_sub(rest, 0, end);
    if (sip_parse_hostport(hostport, &out->host, &out->host_kind, &out->has_port,
                       &out->port) != 0)
        return -1;
    if (semi < q)
        out->params = sip_str_sub(rest, semi + 1, q);
    if (q < rest.len)
        out->headers = sip_str_sub(rest, q + 1, rest.len);
    return 0;
}

bool sip_param_find(struct sip_str params, const char *name,
                    struct sip_str *value)
{
    size_t pos = 0;

    while (params.ptr && pos <= params.len) {
        size_t end = sip_str_find(params, pos, ';');
        struct sip_str item = sip_str_trim(sip_str_sub(params, pos, end));
        size_t eq = sip_str_find(item, 0, '=');
        struct sip_str key = sip_str_trim(sip_str_sub(item, 0, eq));

        if (sip_str_eq_ci(key, name)) {
            struct sip_str v = { NULL, 0 };

            if (eq < item.len) {
                struct cursor c;

                v = sip_str_trim(sip_str_sub(item, eq + 1, item.len));
                sip_cur_of(&c, v);
                if (c.len >= 2 && sip_byte_at(&c, 0) == '"' &&
                    sip_byte_at(&c, c.len - 1) == '"')
                    v = sip_str_sub(v, 1, v.len - 1);
            }
            if (value)
                *value = v;
            return true;
        }
        if (end >= params.len)
            break;
        pos = end + 1;
    }
    return false;
}

/* ---- comma-separated values ------------------------------------------- */

bool sip_next_element(struct sip_str v, size_t *pos, struct sip_str *item)
{
    struct cursor c;

    sip_cur_of(&c, v);
    while (*pos < c.len) {
        size_t i = *pos, start = *pos;
        bool quoted = false, angle = false, bracket = false;

        while (i < c.len) {
            int b = sip_byte_at(&c, i);

            if (quoted) {
                if (b == '\\')
                    i++;
                else if (b == '"')
                    quoted = false;
            } else if (b == '"') {
                quoted = true;
            } else if (b == '<') {
                angle = true;
            } else if (b == '>') {
                angle = false;
            } else if (b == '[') {
                bracket = true;
            } else if (b == ']') {
                bracket = false;
            } else if (b == ',' && !angle && !bracket) {
                break;
            }
            i++;
        }
        if (i > c.len)
            i = c.len;
        *pos = i < c.len ? i + 1 : c.len;
        *item = sip_str_trim(sip_str_sub(v, start, i));
        if (item->len > 0)
            return true;
    }
    return false;
}

/* ---- tokens ------------------------------------------------------------- */

struct sip_str sip_take_token(const struct cursor *c, struct sip_str s,
                                 size_t *i)
{
    size_t from = *i;

    while (*i < c->len && sip_is_token(sip_byte_at(c, *i)))
        (*i)++;
    return sip_str_sub(s, from, *i);
}

void sip_skip_lws(const struct cursor *c, size_t *i)
{
    while (*i < c->len && sip_is_lws(sip_byte_at(c, *i)))
        (*i)++;
}

/* ---- name-addr ---------------------------------------------------------- */

bool sip_nameaddr_parse(struct sip_str v, struct sip_nameaddr *na)
{
    struct cursor c;
    size_t i = 0, lt, gt;
    struct sip_str after = { NULL, 0 };
    struct sip_str ev;
    uint64_t e;

    memset(na, 0, sizeof(*na));
    na->text = v;
    na->expires = -1;
    sip_cur_of(&c, v);

    if (sip_byte_at(&c, 0) == '"') {
        /* quoted-string display name with backslash escapes. */
        i = 1;
        while (i < c.len && sip_byte_at(&c, i) != '"') {
            if (sip_byte_at(&c, i) == '\\')
                i++;
            i++;
        }
        if (i >= c.len)
            return false;
        na->display = sip_str_sub(v, 1, i);
        i++;
        sip_skip_lws(&c, &i);
        if (sip_byte_at(&c, i) != '<')
            return false;
        lt = i;
    } else {
        lt = sip_str_find(v, 0, '<');
        if (lt < v.len)
            na->display = sip_str_trim(sip_str_sub(v, 0, lt));
    }

    if (lt < v.len) {
        gt = sip_str_find(v, lt + 1, '>');
        if (gt >= v.len) {
            na->uri_text = sip_str_sub(v, lt + 1, v.len);
            return false;
        }
        na->uri_text = sip_str_sub(v, lt + 1, gt);
        after = sip_str_trim(sip_str_sub(v, gt + 1, v.len));
    } else {
        /* addr-spec: any ';' parameters belong to the header (RFC 3261
         * section 20.10). */
        size_t semi = sip_str_find(v, 0, ';');

        na->uri_text = sip_str_trim(sip_str_sub(v, 0, semi));
        after = sip_str_sub(v, semi, v.len);
    }
    sip_cur_of(&c, after);
    if (after.len > 0 && sip_byte_at(&c, 0) == ';')
        na->params = sip_str_trim(sip_str_sub(after, 1, after.len));
    else if (after.len > 0)
        return false;

    sip_param_find(na->params, "tag", &na->tag);
    if (sip_param_find(na->params, "expires", &ev) &&
        sip_str_to_u64(ev, UINT32_MAX, &e) == 0)
        na->expires = (int64_t)e;
    na->uri_valid = sip_uri_parse(na->uri_text, &na->uri) == 0;
    return na->uri_valid;
}

