/* HTTP/1.x request line and Host.  Spec: RFC 9112 sections 2.2, 3, 3.2,
 * 5; RFC 9110 sections 5.6.2 (token) and 7.2 (Host). */
#include "config.h"

#include "http.h"

#include <string.h>
#include <strings.h>

#include "cursor.h"

/* tchar (RFC 9110 5.6.2): the bytes of methods and header names. */
static bool http_tchar(uint8_t ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || (ch && strchr("!#$%&'*+-.^_`|~",
                                                      ch) != NULL);
}

static bool http_digit(uint8_t ch)
{
    return ch >= '0' && ch <= '9';
}

/* True when the header name that starts line (name_len bytes) is name,
 * compared case-insensitively (RFC 9110 5.1). */
static bool http_name_is(const struct cursor *line, size_t name_len,
                         const char *name)
{
    struct cursor c = *line;
    size_t i;
    uint8_t ch;

    if (name_len != strlen(name))
        return false;
    c.off = 0;
    for (i = 0; i < name_len; i++) {
        if (!cur_get_u8(&c, &ch))
            return false;
        if (ch >= 'A' && ch <= 'Z')
            ch = (uint8_t)(ch - 'A' + 'a');
        if (ch != (uint8_t)name[i])
            return false;
    }
    return true;
}

/* Out of data: wait for more unless the head is already at its cap. */
static enum http_status http_short(size_t len)
{
    return len >= HTTP_HEAD_MAX ? HTTP_TOO_LONG : HTTP_NEED_MORE;
}

/* Takes "host", "host:port", "[v6]" or "[v6]:port" (n bytes, no
 * whitespace) as the request's host.  A value that is none of these
 * leaves has_host false. */
static void http_set_host(struct http_request *r, const char *s, size_t n)
{
    const char *host = s, *port = NULL;
    size_t hlen = n, i;
    unsigned long p = 0;

    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);

        if (!close)
            return;
        host = s + 1;
        hlen = (size_t)(close - host);
        if ((size_t)(close - s) + 1 < n) {
            if (close[1] != ':')
                return;
            port = close + 2;
        }
    } else {
        const char *colon = memchr(s, ':', n);

        if (colon) {
            hlen = (size_t)(colon - s);
            port = colon + 1;
        }
    }
    if (hlen == 0 || hlen >= HTTP_HOST_MAX)
        return;
    if (port) {
        size_t plen = n - (size_t)(port - s);

        if (plen == 0 || plen > 5)
            return;
        for (i = 0; i < plen; i++) {
            if (!http_digit((uint8_t)port[i]))
                return;
            p = p * 10 + (unsigned long)(port[i] - '0');
        }
        if (p > 65535)
            return;
    }
    for (i = 0; i < hlen; i++) {
        char ch = host[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
              ch == '_' || ch == ':'))
            return;
        r->host[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    r->host[hlen] = '\0';
    r->host_port = (uint16_t)p;
    r->has_host = true;
}

/* absolute-form "scheme://[userinfo@]authority/..." (RFC 9112 3.2.2) or,
 * for CONNECT, authority-form (3.2.3): the target names the host. */
static void http_host_from_target(struct http_request *r)
{
    const char *t = r->target, *auth, *end, *at;

    if (r->target_cut)
        return;
    if (strcmp(r->method, "CONNECT") == 0) {
        auth = t;
    } else {
        const char *sep = strstr(t, "://");

        if (!sep || (sep - t != 4 && sep - t != 5) ||
            (strncasecmp(t, "http", 4) != 0) ||
            (sep - t == 5 && (t[4] != 's' && t[4] != 'S')))
            return;
        auth = sep + 3;
    }
    end = auth + strcspn(auth, "/?#");
    at = memchr(auth, '@', (size_t)(end - auth));
    if (at)
        auth = at + 1;
    http_set_host(r, auth, (size_t)(end - auth));
    r->host_from_target = r->has_host;
}

enum http_status http_parse_request(const uint8_t *data, size_t len,
                                    struct http_request *out)
{
    static const char version[] = "HTTP/";
    struct cursor c;
    size_t i = 0, n, k;
    uint8_t ch;

    memset(out, 0, sizeof(*out));
    cur_init(&c, data, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX);

    /* method SP */
    for (n = 0; cur_peek_u8(&c, i, &ch) && ch != ' '; i++, n++) {
        if (!http_tchar(ch) || n + 1 >= HTTP_METHOD_MAX)
            return HTTP_NOT_HTTP;
        out->method[n] = (char)ch;
    }
    if (!cur_peek_u8(&c, i, &ch))
        return http_short(len);
    if (n == 0)
        return HTTP_NOT_HTTP;
    i++;

    /* request-target SP: visible ASCII */
    for (n = 0; cur_peek_u8(&c, i, &ch) && ch != ' '; i++, n++) {
        if (ch < 0x21 || ch > 0x7e)
            return HTTP_NOT_HTTP;
        if (n + 1 < HTTP_TARGET_MAX)
            out->target[n] = (char)ch;
        else
            out->target_cut = true;
    }
    if (!cur_peek_u8(&c, i, &ch))
        return http_short(len);
    if (n == 0)
        return HTTP_NOT_HTTP;
    i++;

    /* HTTP-version = "HTTP/" DIGIT "." DIGIT, then CRLF (or LF) */
    for (k = 0; k < sizeof(version) - 1; k++, i++) {
        if (!cur_peek_u8(&c, i, &ch))
            return http_short(len);
        if (ch != (uint8_t)version[k])
            return HTTP_NOT_HTTP;
    }
    for (k = 0; k < 3; k++, i++) {
        if (!cur_peek_u8(&c, i, &ch))
            return http_short(len);
        if (k == 1 ? ch != '.' : !http_digit(ch))
            return HTTP_NOT_HTTP;
        if (k == 0)
            out->version_major = (uint8_t)(ch - '0');
        if (k == 2)
            out->version_minor = (uint8_t)(ch - '0');
    }
    if (!cur_peek_u8(&c, i, &ch))
        return http_short(len);
    if (ch == '\r') {
        i++;
        if (!cur_peek_u8(&c, i, &ch))
            return http_short(len);
    }
    if (ch != '\n')
        return HTTP_NOT_HTTP;
    i++;
    /* "PRI * HTTP/2.0" is the HTTP/2 preface, not HTTP/1.x. */
    if (out->version_major != 1)
        return HTTP_NOT_HTTP;
    http_host_from_target(out);
    if (out->has_host) {
        out->head_len = i;
        return HTTP_OK;
    }

    /* header lines, up to the empty line or Host */
    cur_skip(&c, i);
    for (;;) {
        struct cursor line;
        size_t n_line = 0, name_len = 0;
        char value[HTTP_HOST_MAX + 8];

        while (cur_peek_u8(&c, n_line, &ch) && ch != '\n')
            n_line++;
        if (!cur_peek_u8(&c, n_line, &ch))
            return http_short(len);
        if (!cur_sub(&c, n_line, &line) || !cur_skip(&c, 1))
            return http_short(len);         /* cannot happen: LF seen */
        if (n_line > 0 && cur_peek_u8(&line, n_line - 1, &ch) && ch == '\r')
            line.len--;
        if (cur_remaining(&line) == 0) {
            out->head_len = c.off;
            return HTTP_OK;
        }
        /* obs-fold continuation (RFC 9112 5.2): part of the line before */
        if (cur_peek_u8(&line, 0, &ch) && (ch == ' ' || ch == '\t'))
            continue;
        while (cur_get_u8(&line, &ch) && ch != ':') {
            if (!http_tchar(ch))
                return HTTP_NOT_HTTP;
            name_len++;
        }
        if (name_len == 0 || ch != ':')
            return HTTP_NOT_HTTP;
        if (!http_name_is(&line, name_len, "host"))
            continue;
        /* field-value without the OWS around it */
        while (cur_peek_u8(&line, 0, &ch) && (ch == ' ' || ch == '\t'))
            cur_skip(&line, 1);
        while (cur_remaining(&line) > 0 &&
               cur_peek_u8(&line, cur_remaining(&line) - 1, &ch) &&
               (ch == ' ' || ch == '\t'))
            line.len--;
        n = cur_remaining(&line);
        if (n < sizeof(value) && cur_get_bytes(&line, value, n))
            http_set_host(out, value, n);
        out->head_len = c.off;
        return HTTP_OK;
    }
}
