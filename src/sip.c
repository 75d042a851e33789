/* SIP message parser and stream framing.  Spec: RFC 3261 sections 7, 18.3,
 * 19, 20 and 25 (grammar), RFC 3581 (rport), RFC 5626 section 3.5.1
 * (CRLF keep-alives), compact forms from RFC 3261 section 7.3.3 and the
 * extensions that define them (RFC 6665, 3515, 3892, 4028, 3841, 8224).
 *
 * The parser walks the buffer once: it splits lines, joins folded
 * continuation lines to their header, and hands each complete header to a
 * field parser.  Field parsers work on a cursor over the header value, so
 * no read can leave the buffer.  Nothing is copied and nothing allocated.
 * URIs, name-addr values and parameters are in sip_uri.c. */
#include "config.h"

#include "sip.h"

#include <string.h>

#include "cursor.h"
#include "sip_internal.h"

/* ---- methods ---------------------------------------------------------- */

static const char *const method_names[] = {
    [SIP_METHOD_UNKNOWN] = "UNKNOWN",
    [SIP_METHOD_INVITE] = "INVITE",
    [SIP_METHOD_ACK] = "ACK",
    [SIP_METHOD_BYE] = "BYE",
    [SIP_METHOD_CANCEL] = "CANCEL",
    [SIP_METHOD_REGISTER] = "REGISTER",
    [SIP_METHOD_OPTIONS] = "OPTIONS",
    [SIP_METHOD_PRACK] = "PRACK",
    [SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
    [SIP_METHOD_NOTIFY] = "NOTIFY",
    [SIP_METHOD_PUBLISH] = "PUBLISH",
    [SIP_METHOD_INFO] = "INFO",
    [SIP_METHOD_REFER] = "REFER",
    [SIP_METHOD_MESSAGE] = "MESSAGE",
    [SIP_METHOD_UPDATE] = "UPDATE",
};

#define N_METHODS (sizeof(method_names) / sizeof(method_names[0]))

enum sip_method sip_method_from(struct sip_str s)
{
    size_t i;

    for (i = 1; i < N_METHODS; i++) {
        size_t n = strlen(method_names[i]);

        if (s.len == n && memcmp(s.ptr, method_names[i], n) == 0)
            return (enum sip_method)i;
    }
    return SIP_METHOD_UNKNOWN;
}

const char *sip_method_name(enum sip_method m)
{
    if ((size_t)m >= N_METHODS)
        return method_names[SIP_METHOD_UNKNOWN];
    return method_names[m];
}

/* ---- header names ----------------------------------------------------- */

struct hdr_def {
    const char *name;
    char compact;           /* 0: no compact form */
};

static const struct hdr_def hdr_defs[SIP_HDR_COUNT] = {
    [SIP_HDR_OTHER] = { "", 0 },
    [SIP_HDR_VIA] = { "Via", 'v' },
    [SIP_HDR_FROM] = { "From", 'f' },
    [SIP_HDR_TO] = { "To", 't' },
    [SIP_HDR_CALL_ID] = { "Call-ID", 'i' },
    [SIP_HDR_CSEQ] = { "CSeq", 0 },
    [SIP_HDR_CONTACT] = { "Contact", 'm' },
    [SIP_HDR_MAX_FORWARDS] = { "Max-Forwards", 0 },
    [SIP_HDR_CONTENT_LENGTH] = { "Content-Length", 'l' },
    [SIP_HDR_CONTENT_TYPE] = { "Content-Type", 'c' },
    [SIP_HDR_CONTENT_ENCODING] = { "Content-Encoding", 'e' },
    [SIP_HDR_EXPIRES] = { "Expires", 0 },
    [SIP_HDR_RECORD_ROUTE] = { "Record-Route", 0 },
    [SIP_HDR_ROUTE] = { "Route", 0 },
    [SIP_HDR_USER_AGENT] = { "User-Agent", 0 },
    [SIP_HDR_SERVER] = { "Server", 0 },
    [SIP_HDR_SUBJECT] = { "Subject", 's' },
    [SIP_HDR_SUPPORTED] = { "Supported", 'k' },
    [SIP_HDR_EVENT] = { "Event", 'o' },                 /* RFC 6665 */
    [SIP_HDR_ALLOW_EVENTS] = { "Allow-Events", 'u' },
    [SIP_HDR_REFER_TO] = { "Refer-To", 'r' },           /* RFC 3515 */
    [SIP_HDR_REFERRED_BY] = { "Referred-By", 'b' },     /* RFC 3892 */
    [SIP_HDR_SESSION_EXPIRES] = { "Session-Expires", 'x' }, /* RFC 4028 */
    [SIP_HDR_ACCEPT_CONTACT] = { "Accept-Contact", 'a' },   /* RFC 3841 */
    [SIP_HDR_REJECT_CONTACT] = { "Reject-Contact", 'j' },
    [SIP_HDR_REQUEST_DISPOSITION] = { "Request-Disposition", 'd' },
    [SIP_HDR_IDENTITY] = { "Identity", 'y' },           /* RFC 8224 */
    [SIP_HDR_AUTHORIZATION] = { "Authorization", 0 },
    [SIP_HDR_PROXY_AUTHORIZATION] = { "Proxy-Authorization", 0 },
    [SIP_HDR_WWW_AUTHENTICATE] = { "WWW-Authenticate", 0 },
    [SIP_HDR_PROXY_AUTHENTICATE] = { "Proxy-Authenticate", 0 },
};

const char *sip_hdr_name(enum sip_hdr h)
{
    if ((unsigned)h >= SIP_HDR_COUNT)
        return "";
    return hdr_defs[h].name;
}

enum sip_hdr sip_hdr_from_name(struct sip_str name)
{
    struct cursor c;
    unsigned i;

    if (name.len == 1) {
        int b;

        sip_cur_of(&c, name);
        b = sip_lower(sip_byte_at(&c, 0));
        for (i = 1; i < SIP_HDR_COUNT; i++) {
            if (hdr_defs[i].compact && hdr_defs[i].compact == b)
                return (enum sip_hdr)i;
        }
        return SIP_HDR_OTHER;
    }
    for (i = 1; i < SIP_HDR_COUNT; i++) {
        if (sip_str_eq_ci(name, hdr_defs[i].name))
            return (enum sip_hdr)i;
    }
    return SIP_HDR_OTHER;
}

/* ---- Via ---------------------------------------------------------------- */

static bool expect_char(const struct cursor *c, size_t *i, int ch)
{
    sip_skip_lws(c, i);
    if (sip_byte_at(c, *i) != ch)
        return false;
    (*i)++;
    sip_skip_lws(c, i);
    return true;
}

/* via-parm = sent-protocol LWS sent-by *( SEMI via-params ), with LWS
 * allowed around the slashes (RFC 3261 section 20.42 examples). */
static void parse_via(struct sip_str v, struct sip_via *via)
{
    struct cursor c;
    struct sip_str name, ver, hp;
    size_t i = 0, hp_from, hp_to;
    uint64_t port;

    memset(via, 0, sizeof(*via));
    via->text = v;
    sip_cur_of(&c, v);

    name = sip_take_token(&c, v, &i);
    if (name.len == 0 || !expect_char(&c, &i, '/'))
        return;
    ver = sip_take_token(&c, v, &i);
    if (ver.len == 0)
        return;
    via->protocol = sip_str_sub(v, 0, i);
    if (!expect_char(&c, &i, '/'))
        return;
    via->transport = sip_take_token(&c, v, &i);
    if (via->transport.len == 0)
        return;
    sip_skip_lws(&c, &i);

    /* sent-by runs to ';', whitespace, or a "(comment)". */
    hp_from = i;
    if (sip_byte_at(&c, i) == '[') {
        while (i < c.len && sip_byte_at(&c, i) != ']')
            i++;
    }
    while (i < c.len && sip_byte_at(&c, i) != ';' && !sip_is_lws(sip_byte_at(&c, i)) &&
           sip_byte_at(&c, i) != '(')
        i++;
    hp_to = i;
    hp = sip_str_sub(v, hp_from, hp_to);
    if (sip_parse_hostport(hp, &via->host, &via->host_kind, &via->has_port,
                       &via->port) != 0)
        return;

    sip_skip_lws(&c, &i);
    if (sip_byte_at(&c, i) == ';')
        via->params = sip_str_trim(sip_str_sub(v, i + 1, v.len));
    else if (i < c.len && sip_byte_at(&c, i) != '(')
        return;

    sip_param_find(via->params, "branch", &via->branch);
    sip_param_find(via->params, "received", &via->received);
    sip_param_find(via->params, "maddr", &via->maddr);
    {
        struct sip_str rp;

        if (sip_param_find(via->params, "rport", &rp)) {
            via->has_rport = true;
            if (rp.len > 0 && sip_str_to_u64(rp, 65535, &port) == 0) {
                via->has_rport_value = true;
                via->rport = (uint16_t)port;
            }
        }
    }
    via->valid = true;
}

/* ---- start line ------------------------------------------------------- */

/* "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" is case-insensitive. */
static bool parse_version(struct sip_str v, bool *is_2_0)
{
    struct cursor c;
    size_t i = 4, d;

    if (!sip_str_prefix_ci(v, "SIP/"))
        return false;
    sip_cur_of(&c, v);
    d = i;
    while (i < c.len && sip_is_digit(sip_byte_at(&c, i)))
        i++;
    if (i == d || sip_byte_at(&c, i) != '.')
        return false;
    d = ++i;
    while (i < c.len && sip_is_digit(sip_byte_at(&c, i)))
        i++;
    if (i == d || i != c.len)
        return false;
    *is_2_0 = sip_str_eq_ci(v, "SIP/2.0");
    return true;
}

static void set_bad(struct sip_msg *msg, enum sip_bad bad)
{
    if (msg->bad == SIP_BAD_NONE)
        msg->bad = bad;
}

static void parse_start_line(struct sip_str line, struct sip_msg *msg)
{
    struct cursor c;
    size_t i = 0, sp1, sp2;
    bool v20 = false;

    sip_cur_of(&c, line);
    if (sip_str_prefix_ci(line, "SIP/")) {
        /* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
        sp1 = sip_str_find(line, 0, ' ');
        msg->version = sip_str_sub(line, 0, sp1);
        if (!parse_version(msg->version, &v20)) {
            set_bad(msg, SIP_BAD_VERSION);
            return;
        }
        i = sp1;
        while (sip_byte_at(&c, i) == ' ')
            i++;
        if (i + 3 > c.len || !sip_is_digit(sip_byte_at(&c, i)) ||
            !sip_is_digit(sip_byte_at(&c, i + 1)) || !sip_is_digit(sip_byte_at(&c, i + 2)) ||
            (i + 3 < c.len && sip_byte_at(&c, i + 3) != ' ')) {
            set_bad(msg, SIP_BAD_STATUS_CODE);
            return;
        }
        msg->status_code = (sip_byte_at(&c, i) - '0') * 100 +
                           (sip_byte_at(&c, i + 1) - '0') * 10 +
                           (sip_byte_at(&c, i + 2) - '0');
        if (msg->status_code < 100 || msg->status_code > 699) {
            set_bad(msg, SIP_BAD_STATUS_CODE);
            return;
        }
        msg->reason = sip_str_trim(sip_str_sub(line, i + 3, line.len));
        msg->is_request = false;
    } else {
        /* Request-Line = Method SP Request-URI SP SIP-Version */
        msg->method = sip_take_token(&c, line, &i);
        if (msg->method.len == 0 || sip_byte_at(&c, i) != ' ') {
            set_bad(msg, SIP_BAD_START_LINE);
            return;
        }
        while (sip_byte_at(&c, i) == ' ')
            i++;
        sp1 = i;
        sp2 = sip_str_find(line, sp1, ' ');
        if (sp2 >= line.len || sp2 == sp1) {
            set_bad(msg, SIP_BAD_START_LINE);
            return;
        }
        msg->ruri_text = sip_str_sub(line, sp1, sp2);
        i = sp2;
        while (sip_byte_at(&c, i) == ' ')
            i++;
        msg->version = sip_str_trim(sip_str_sub(line, i, line.len));
        if (!parse_version(msg->version, &v20)) {
            set_bad(msg, sip_str_prefix_ci(msg->version, "SIP/") ?
                         SIP_BAD_VERSION : SIP_BAD_START_LINE);
            return;
        }
        msg->is_request = true;
        msg->method_id = sip_method_from(msg->method);
        if (sip_uri_parse(msg->ruri_text, &msg->ruri) != 0)
            msg->anomalies |= SIP_ANOM_BAD_URI;
    }
    if (!v20)
        msg->anomalies |= SIP_ANOM_VERSION;
}

/* ---- headers ------------------------------------------------------------ */

static void parse_cseq(struct sip_str v, struct sip_msg *msg)
{
    struct cursor c;
    size_t i = 0, d;
    uint64_t n;

    sip_cur_of(&c, v);
    while (i < c.len && sip_is_digit(sip_byte_at(&c, i)))
        i++;
    d = i;
    sip_skip_lws(&c, &i);
    if (d == 0 || i == d ||
        sip_str_to_u64(sip_str_sub(v, 0, d), UINT32_MAX, &n) != 0) {
        set_bad(msg, SIP_BAD_CSEQ);
        return;
    }
    msg->cseq_method = sip_take_token(&c, v, &i);
    if (msg->cseq_method.len == 0 || i != c.len) {
        set_bad(msg, SIP_BAD_CSEQ);
        return;
    }
    msg->has_cseq = true;
    msg->cseq = (uint32_t)n;
    msg->cseq_method_id = sip_method_from(msg->cseq_method);
}

static void parse_routes(struct sip_str v, struct sip_nameaddr *arr,
                         size_t *count, struct sip_msg *msg)
{
    size_t pos = 0;
    struct sip_str item;

    while (sip_next_element(v, &pos, &item)) {
        if (*count < SIP_MAX_ROUTES) {
            if (!sip_nameaddr_parse(item, &arr[*count]))
                msg->anomalies |= SIP_ANOM_BAD_URI;
        } else {
            msg->anomalies |= SIP_ANOM_HEADERS_DROPPED;
        }
        (*count)++;
    }
}

static void parse_contact(struct sip_str v, struct sip_msg *msg)
{
    size_t pos = 0;
    struct sip_str item;

    if (sip_str_eq_ci(v, "*")) {
        msg->contact_star = true;
        return;
    }
    while (sip_next_element(v, &pos, &item)) {
        if (msg->contact_count < SIP_MAX_CONTACTS) {
            if (!sip_nameaddr_parse(item, &msg->contact[msg->contact_count]))
                msg->anomalies |= SIP_ANOM_BAD_URI;
        } else {
            msg->anomalies |= SIP_ANOM_HEADERS_DROPPED;
        }
        msg->contact_count++;
    }
}

static void parse_vias(struct sip_str v, struct sip_msg *msg)
{
    size_t pos = 0;
    struct sip_str item;

    while (sip_next_element(v, &pos, &item)) {
        if (msg->via_count < SIP_MAX_VIAS) {
            struct sip_via *via = &msg->via[msg->via_count];

            parse_via(item, via);
            if (!via->valid)
                msg->anomalies |= SIP_ANOM_BAD_VIA;
        } else {
            msg->anomalies |= SIP_ANOM_HEADERS_DROPPED;
        }
        msg->via_count++;
    }
}

/* Records a single-valued header; false when it is a repeat. */
static bool first_of(struct sip_msg *msg, bool seen)
{
    if (seen)
        msg->anomalies |= SIP_ANOM_DUP_HEADER;
    return !seen;
}

static void handle_header(struct sip_msg *msg, struct sip_str name,
                          struct sip_str value)
{
    enum sip_hdr id = sip_hdr_from_name(name);
    uint64_t n;

    if (msg->header_count < SIP_MAX_HEADERS) {
        struct sip_header *h = &msg->headers[msg->header_count];

        h->id = id;
        h->name = name;
        h->value = value;
    } else {
        msg->anomalies |= SIP_ANOM_HEADERS_DROPPED;
    }
    msg->header_count++;

    switch (id) {
    case SIP_HDR_VIA:
        parse_vias(value, msg);
        break;
    case SIP_HDR_FROM:
        if (first_of(msg, msg->has_from)) {
            msg->has_from = true;
            if (!sip_nameaddr_parse(value, &msg->from))
                msg->anomalies |= SIP_ANOM_BAD_URI;
        }
        break;
    case SIP_HDR_TO:
        if (first_of(msg, msg->has_to)) {
            msg->has_to = true;
            if (!sip_nameaddr_parse(value, &msg->to))
                msg->anomalies |= SIP_ANOM_BAD_URI;
        }
        break;
    case SIP_HDR_CALL_ID:
        if (first_of(msg, msg->call_id.ptr != NULL))
            msg->call_id = value;
        break;
    case SIP_HDR_CSEQ:
        if (first_of(msg, msg->has_cseq))
            parse_cseq(value, msg);
        break;
    case SIP_HDR_CONTACT:
        parse_contact(value, msg);
        break;
    case SIP_HDR_RECORD_ROUTE:
        parse_routes(value, msg->record_route, &msg->record_route_count,
                     msg);
        break;
    case SIP_HDR_ROUTE:
        parse_routes(value, msg->route, &msg->route_count, msg);
        break;
    case SIP_HDR_EXPIRES:
        if (first_of(msg, msg->expires >= 0)) {
            if (sip_str_to_u64(value, UINT32_MAX, &n) == 0)
                msg->expires = (int64_t)n;
            else
                msg->anomalies |= SIP_ANOM_BAD_EXPIRES;
        }
        break;
    case SIP_HDR_MAX_FORWARDS:
        if (first_of(msg, msg->max_forwards >= 0)) {
            if (sip_str_to_u64(value, UINT32_MAX, &n) == 0)
                msg->max_forwards = (int64_t)n;
            else
                msg->anomalies |= SIP_ANOM_BAD_MAX_FORWARDS;
        }
        break;
    case SIP_HDR_CONTENT_LENGTH:
        /* 2^31 bytes is far beyond any SIP message; larger is garbage. */
        if (sip_str_to_u64(value, INT32_MAX, &n) != 0) {
            set_bad(msg, SIP_BAD_CONTENT_LENGTH);
        } else if (msg->content_length >= 0) {
            msg->anomalies |= SIP_ANOM_DUP_HEADER;
            if ((uint64_t)msg->content_length != n)
                set_bad(msg, SIP_BAD_CONTENT_LENGTH);
        } else {
            msg->content_length = (int64_t)n;
        }
        break;
    case SIP_HDR_CONTENT_TYPE:
        if (first_of(msg, msg->content_type.ptr != NULL))
            msg->content_type = value;
        break;
    case SIP_HDR_USER_AGENT:
        if (first_of(msg, msg->user_agent.ptr != NULL))
            msg->user_agent = value;
        break;
    case SIP_HDR_SERVER:
        if (first_of(msg, msg->server.ptr != NULL))
            msg->server = value;
        break;
    default:
        break;
    }
}

/* Splits "name: value" (HCOLON allows whitespace before the colon). */
static void header_line(struct sip_msg *msg, struct sip_str text)
{
    struct cursor c;
    size_t colon = sip_str_find(text, 0, ':'), i = 0;
    struct sip_str name;

    sip_cur_of(&c, text);
    name = sip_take_token(&c, text, &i);
    sip_skip_lws(&c, &i);
    if (colon >= text.len || name.len == 0 || i != colon) {
        set_bad(msg, SIP_BAD_HEADER);
        return;
    }
    handle_header(msg, name, sip_str_trim(sip_str_sub(text, colon + 1, text.len)));
}

/* The next line from *off: its content (without CR LF) and the offset just
 * past its end.  False when no LF is left (an incomplete line). */
static bool next_line(const struct cursor *all, size_t off, size_t *end,
                      size_t *next, bool *lf_only)
{
    struct cursor c = *all;
    const uint8_t *p;
    size_t nl;

    if (!cur_skip(&c, off))
        return false;
    p = memchr(cur_ptr(&c), '\n', cur_remaining(&c));
    if (!p)
        return false;
    nl = (size_t)(p - all->base);
    *next = nl + 1;
    *lf_only = !(nl > off && sip_byte_at(all, nl - 1) == '\r');
    *end = *lf_only ? nl : nl - 1;
    return true;
}

static void msg_reset(struct sip_msg *msg)
{
    /* The arrays are only read up to their counts, so zeroing the fixed
     * part is enough and keeps the cost independent of the bounds. */
    memset(msg, 0, offsetof(struct sip_msg, via));
    msg->via_count = 0;
    msg->contact_star = false;
    msg->contact_count = 0;
    msg->record_route_count = 0;
    msg->route_count = 0;
    msg->header_count = 0;
    msg->expires = -1;
    msg->max_forwards = -1;
    msg->content_length = -1;
}

static void check_mandatory(struct sip_msg *msg)
{
    if (msg->via_count == 0)
        msg->anomalies |= SIP_ANOM_NO_VIA;
    if (!msg->has_from)
        msg->anomalies |= SIP_ANOM_NO_FROM;
    if (!msg->has_to)
        msg->anomalies |= SIP_ANOM_NO_TO;
    if (msg->call_id.len == 0)
        msg->anomalies |= SIP_ANOM_NO_CALL_ID;
    if (!msg->has_cseq && msg->bad != SIP_BAD_CSEQ)
        msg->anomalies |= SIP_ANOM_NO_CSEQ;
    if (msg->is_request && msg->has_cseq &&
        !sip_str_eq(msg->method, msg->cseq_method))
        msg->anomalies |= SIP_ANOM_CSEQ_METHOD;
}

enum sip_parse_status sip_parse(const uint8_t *buf, size_t len,
                                struct sip_msg *msg)
{
    struct cursor all;
    struct sip_str whole;
    size_t off = 0, end, next, hdr_from = 0, hdr_to = 0;
    bool lf_only, have_hdr = false, truncated = true;

    msg_reset(msg);
    cur_init(&all, buf, len);
    whole.ptr = (const char *)buf;
    whole.len = all.len;

    /* RFC 3261 section 7.5: ignore CRLFs before the start line. */
    while (sip_byte_at(&all, off) == '\r' || sip_byte_at(&all, off) == '\n') {
        msg->anomalies |= SIP_ANOM_LEADING_CRLF;
        off++;
    }
    if (!next_line(&all, off, &end, &next, &lf_only)) {
        msg->status = SIP_PARSE_TRUNCATED;
        return msg->status;
    }
    if (lf_only)
        msg->anomalies |= SIP_ANOM_LF_ONLY;
    parse_start_line(sip_str_sub(whole, off, end), msg);
    if (msg->bad != SIP_BAD_NONE) {
        msg->status = SIP_PARSE_MALFORMED;
        return msg->status;
    }
    off = next;

    /* Header lines.  A line starting with SP or HT continues the previous
     * header (RFC 3261 section 7.3.1 folding); the header is handled once
     * its last continuation line is known. */
    while (next_line(&all, off, &end, &next, &lf_only)) {
        int first = sip_byte_at(&all, off);

        if (lf_only)
            msg->anomalies |= SIP_ANOM_LF_ONLY;
        if (end == off) {
            truncated = false;
            off = next;
            break;
        }
        if (first == ' ' || first == '\t') {
            if (have_hdr)
                hdr_to = end;
            else
                set_bad(msg, SIP_BAD_HEADER);
        } else {
            if (have_hdr)
                header_line(msg, sip_str_sub(whole, hdr_from, hdr_to));
            have_hdr = true;
            hdr_from = off;
            hdr_to = end;
        }
        off = next;
    }
    if (have_hdr && !truncated)
        header_line(msg, sip_str_sub(whole, hdr_from, hdr_to));

    if (truncated) {
        msg->status = msg->bad != SIP_BAD_NONE ? SIP_PARSE_MALFORMED :
                                                 SIP_PARSE_TRUNCATED;
        return msg->status;
    }

    msg->header_len = off;
    msg->body_available = all.len - off;
    check_mandatory(msg);
    if (msg->content_length >= 0) {
        size_t cl = (size_t)msg->content_length;

        if (cl > msg->body_available) {
            msg->body = sip_str_sub(whole, off, all.len);
            msg->msg_len = off + cl;
            msg->status = msg->bad != SIP_BAD_NONE ? SIP_PARSE_MALFORMED :
                                                     SIP_PARSE_TRUNCATED;
            return msg->status;
        }
        if (cl < msg->body_available)
            msg->anomalies |= SIP_ANOM_BODY_EXTRA;
        msg->body = sip_str_sub(whole, off, off + cl);
        msg->msg_len = off + cl;
    } else {
        /* RFC 3261 section 18.3: optional over UDP, where the body is the
         * rest of the datagram. */
        msg->anomalies |= SIP_ANOM_NO_CONTENT_LENGTH;
        msg->body = sip_str_sub(whole, off, all.len);
        msg->msg_len = all.len;
    }
    if (msg->body.len == 0)
        msg->body.ptr = NULL;
    msg->status = msg->bad != SIP_BAD_NONE ? SIP_PARSE_MALFORMED :
                                             SIP_PARSE_OK;
    return msg->status;
}

const struct sip_via *sip_msg_top_via(const struct sip_msg *msg)
{
    return msg->via_count > 0 ? &msg->via[0] : NULL;
}

const struct sip_header *sip_msg_find_header(const struct sip_msg *msg,
                                             enum sip_hdr id, size_t *pos)
{
    size_t n = msg->header_count < SIP_MAX_HEADERS ? msg->header_count :
                                                     SIP_MAX_HEADERS;

    while (*pos < n) {
        const struct sip_header *h = &msg->headers[(*pos)++];

        if (h->id == id)
            return h;
    }
    return NULL;
}

const char *sip_parse_status_name(enum sip_parse_status st)
{
    switch (st) {
    case SIP_PARSE_OK:
        return "ok";
    case SIP_PARSE_TRUNCATED:
        return "truncated";
    case SIP_PARSE_MALFORMED:
        return "malformed";
    }
    return "unknown";
}

const char *sip_bad_name(enum sip_bad bad)
{
    switch (bad) {
    case SIP_BAD_NONE:
        return "none";
    case SIP_BAD_START_LINE:
        return "start_line";
    case SIP_BAD_VERSION:
        return "version";
    case SIP_BAD_STATUS_CODE:
        return "status_code";
    case SIP_BAD_HEADER:
        return "header";
    case SIP_BAD_CONTENT_LENGTH:
        return "content_length";
    case SIP_BAD_CSEQ:
        return "cseq";
    }
    return "unknown";
}

/* ---- detection and framing ---------------------------------------------- */

bool sip_looks_like(const uint8_t *buf, size_t len)
{
    struct cursor c;
    struct sip_str s, method, rest;
    size_t i = 0, end, next, sp;
    bool lf_only, v20;

    cur_init(&c, buf, len);
    /* Both a status line ("SIP/2.0") and a request (a method token) start
     * with a token character; this runs on every UDP datagram, and RTP,
     * STUN, DTLS and TLS never pass it. */
    if (c.len == 0 || !sip_is_token(sip_byte_at(&c, 0)))
        return false;
    s.ptr = (const char *)buf;
    s.len = c.len;
    if (sip_str_prefix_ci(s, "SIP/2.0 ")) {
        /* A status line: three digits follow when they are present. */
        for (i = 8; i < 11 && i < c.len; i++) {
            if (!sip_is_digit(sip_byte_at(&c, i)))
                return false;
        }
        return true;
    }
    method = sip_take_token(&c, s, &i);
    if (method.len == 0 || method.len > 32 || sip_byte_at(&c, i) != ' ')
        return false;
    if (next_line(&c, 0, &end, &next, &lf_only)) {
        struct sip_str line = sip_str_sub(s, 0, end);

        /* Method SP Request-URI SP "SIP/2.0": the URI has no spaces. */
        sp = sip_str_find(line, i + 1, ' ');
        if (sp >= line.len || sp == i + 1)
            return false;
        return parse_version(sip_str_sub(line, sp + 1, line.len), &v20) && v20;
    }
    /* The first line is cut: accept a known method and a SIP-ish URI. */
    if (sip_method_from(method) == SIP_METHOD_UNKNOWN)
        return false;
    rest = sip_str_sub(s, i + 1, s.len);
    return sip_str_prefix_ci(rest, "sip:") || sip_str_prefix_ci(rest, "sips:") ||
           sip_str_prefix_ci(rest, "tel:");
}

enum sip_frame_status sip_keepalive_kind(const uint8_t *buf, size_t len)
{
    struct cursor c;
    size_t i;

    cur_init(&c, buf, len);
    if (c.len == 0 || c.len % 2 != 0)
        return SIP_FRAME_MALFORMED;
    for (i = 0; i < c.len; i += 2) {
        if (sip_byte_at(&c, i) != '\r' || sip_byte_at(&c, i + 1) != '\n')
            return SIP_FRAME_MALFORMED;
    }
    return c.len == 2 ? SIP_FRAME_PONG : SIP_FRAME_PING;
}

/* Offset just past the empty line ending the headers, or 0 if not seen. */
static size_t headers_end(const struct cursor *c)
{
    size_t off = 0, end, next;
    bool lf_only;

    while (next_line(c, off, &end, &next, &lf_only)) {
        if (end == off)
            return next;
        off = next;
    }
    return 0;
}

/* Content-Length of a header block: 0 when absent, -1 when unusable. */
static int64_t frame_content_length(const struct cursor *c, size_t hend)
{
    struct sip_str s;
    size_t off = 0, end, next;
    bool lf_only;
    int64_t cl = -2;

    s.ptr = (const char *)c->base;
    s.len = hend;
    while (next_line(c, off, &end, &next, &lf_only) && end > off) {
        struct sip_str line = sip_str_sub(s, off, end);
        size_t colon = sip_str_find(line, 0, ':');
        struct sip_str name = sip_str_trim(sip_str_sub(line, 0, colon));

        if (colon < line.len &&
            sip_hdr_from_name(name) == SIP_HDR_CONTENT_LENGTH) {
            uint64_t n;

            if (sip_str_to_u64(sip_str_trim(sip_str_sub(line, colon + 1, line.len)),
                               INT32_MAX, &n) != 0)
                return -1;
            if (cl >= 0 && (uint64_t)cl != n)
                return -1;
            cl = (int64_t)n;
        }
        off = next;
    }
    return cl < 0 ? 0 : cl;
}

/* Longest first line waited for; real start lines are far shorter. */
#define SIP_FRAME_MAX_START_LINE 8192

/* Could these bytes begin a start line whose end has not arrived yet?
 * Printable ASCII only, starting with a token character. */
static bool start_line_prefix_ok(const struct cursor *c)
{
    size_t i;

    if (c->len > SIP_FRAME_MAX_START_LINE || !sip_is_token(sip_byte_at(c, 0)))
        return false;
    for (i = 0; i < c->len; i++) {
        int b = sip_byte_at(c, i);

        if ((b < 0x20 || b > 0x7e) && b != '\r')
            return false;
    }
    return true;
}

enum sip_frame_status sip_frame(const uint8_t *buf, size_t len,
                                size_t *out_len)
{
    struct cursor c;
    size_t hend, end, next;
    int64_t cl;
    bool lf_only;
    int b0;

    cur_init(&c, buf, len);
    *out_len = 0;
    b0 = sip_byte_at(&c, 0);
    if (b0 < 0)
        return SIP_FRAME_NEED_MORE;
    if (b0 == '\r') {
        /* RFC 5626 section 3.5.1: CRLFCRLF ping, CRLF pong. */
        if (c.len < 2)
            return SIP_FRAME_NEED_MORE;
        if (sip_byte_at(&c, 1) != '\n') {
            *out_len = 1;
            return SIP_FRAME_MALFORMED;
        }
        if (c.len == 3 && sip_byte_at(&c, 2) == '\r')
            return SIP_FRAME_NEED_MORE;
        if (c.len >= 4 && sip_byte_at(&c, 2) == '\r' && sip_byte_at(&c, 3) == '\n') {
            *out_len = 4;
            return SIP_FRAME_PING;
        }
        *out_len = 2;
        return SIP_FRAME_PONG;
    }
    if (!next_line(&c, 0, &end, &next, &lf_only)) {
        /* Wait for the rest of the first line unless it cannot be one. */
        if (!start_line_prefix_ok(&c)) {
            *out_len = c.len;
            return SIP_FRAME_MALFORMED;
        }
        return SIP_FRAME_NEED_MORE;
    }
    if (!sip_looks_like(buf, len)) {
        *out_len = next;
        return SIP_FRAME_MALFORMED;
    }
    hend = headers_end(&c);
    if (hend == 0)
        return SIP_FRAME_NEED_MORE;
    cl = frame_content_length(&c, hend);
    if (cl < 0) {
        *out_len = hend;
        return SIP_FRAME_MALFORMED;
    }
    if ((uint64_t)cl > c.len - hend)
        return SIP_FRAME_NEED_MORE;
    *out_len = hend + (size_t)cl;
    return SIP_FRAME_MESSAGE;
}
