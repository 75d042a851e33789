/* SIP message parsing (RFC 3261 sections 7, 19, 20 and 25; rport from
 * RFC 3581; CRLF keep-alives from RFC 5626 section 3.5.1).
 *
 * The parser is zero-copy: every string in a struct sip_msg is a view
 * {ptr, len} into the caller's buffer, which stays borrowed and must
 * outlive the views.  Views are not NUL-terminated.  An absent value is
 * a view with ptr == NULL and len == 0.
 *
 * Storage is bounded: at most SIP_MAX_VIAS Vias, SIP_MAX_CONTACTS Contact
 * values and so on are kept; the rest are counted, never stored.  Parsing
 * is linear in the message length whatever the number of headers.  Bad
 * input is never fatal: the status says what was wrong, the anomaly bits
 * say what was odd, and whatever could be parsed stays available. */
#ifndef RINGSCOPE_SIP_H
#define RINGSCOPE_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

/* A borrowed view into a buffer. */
struct sip_str {
    const char *ptr;        /* NULL when absent */
    size_t len;
};

/* The part [from, to) of a view; an absent view when out of range. */
struct sip_str sip_str_sub(struct sip_str s, size_t from, size_t to);
/* Without leading and trailing spaces, tabs, CRs and LFs. */
struct sip_str sip_str_trim(struct sip_str s);
/* Index of the first byte b at or after from; s.len when there is none. */
size_t sip_str_find(struct sip_str s, size_t from, int b);
/* Bytes equal (exact case). */
bool sip_str_eq(struct sip_str a, struct sip_str b);
/* Equal to a C string, ASCII case-insensitive (header names, schemes,
 * transport names, parameter names). */
bool sip_str_eq_ci(struct sip_str a, const char *s);
/* Parses an unsigned decimal number that fills the whole view (no sign,
 * no spaces) and is at most max.  Returns 0, or -1 and leaves *out alone. */
int sip_str_to_u64(struct sip_str s, uint64_t max, uint64_t *out);

/* ---- methods ---------------------------------------------------------- */

enum sip_method {
    SIP_METHOD_UNKNOWN,     /* an extension method: see the text view */
    SIP_METHOD_INVITE,
    SIP_METHOD_ACK,
    SIP_METHOD_BYE,
    SIP_METHOD_CANCEL,
    SIP_METHOD_REGISTER,
    SIP_METHOD_OPTIONS,
    SIP_METHOD_PRACK,
    SIP_METHOD_SUBSCRIBE,
    SIP_METHOD_NOTIFY,
    SIP_METHOD_PUBLISH,
    SIP_METHOD_INFO,
    SIP_METHOD_REFER,
    SIP_METHOD_MESSAGE,
    SIP_METHOD_UPDATE,
};

/* Methods are case-sensitive (RFC 3261 section 7.1): "invite" is an
 * extension method, not INVITE. */
enum sip_method sip_method_from(struct sip_str s);
/* Upper-case name; "UNKNOWN" for SIP_METHOD_UNKNOWN. */
const char *sip_method_name(enum sip_method m);

/* ---- URIs ------------------------------------------------------------- */

enum sip_uri_scheme {
    SIP_URI_NONE,
    SIP_URI_SIP,
    SIP_URI_SIPS,
    SIP_URI_TEL,
    SIP_URI_OTHER,          /* any other absolute URI: only scheme known */
};

enum sip_host_kind {
    SIP_HOST_NONE,
    SIP_HOST_NAME,          /* a domain name (or anything not an IP) */
    SIP_HOST_IPV4,
    SIP_HOST_IPV6,          /* the view excludes the brackets */
};

struct sip_uri {
    enum sip_uri_scheme scheme;
    struct sip_str scheme_text;
    struct sip_str user;        /* sip: user part; tel: the number */
    struct sip_str password;
    struct sip_str host;
    enum sip_host_kind host_kind;
    bool has_port;
    uint16_t port;              /* 0 when absent */
    struct sip_str params;      /* after the first ';' without it, up to
                                   '?' (sip:) or the end (tel:) */
    struct sip_str headers;     /* after '?' */
};

/* Parses sip:, sips: and tel: URIs (RFC 3261 section 19.1, RFC 3966);
 * other schemes give SIP_URI_OTHER with only the scheme filled.  *out is
 * fully overwritten.  Returns 0, or -1 on a syntax error (no scheme, empty
 * or bad host, bad port, unterminated IPv6 reference). */
int sip_uri_parse(struct sip_str text, struct sip_uri *out);

/* Finds a ";"-separated parameter by name (case-insensitive) in a
 * parameter list such as sip_uri.params or sip_via.params.  *value gets
 * the text after '=' with surrounding whitespace and double quotes removed,
 * or an absent view for a flag parameter such as "lr" or "rport".  Returns
 * true when the parameter is present. */
bool sip_param_find(struct sip_str params, const char *name,
                    struct sip_str *value);

/* Classifies a host text: an IPv4 dotted quad, an IPv6 literal (with or
 * without brackets) or a name. */
enum sip_host_kind sip_host_kind_of(struct sip_str host);

/* Converts an IP-literal host (IPv6 with or without brackets) to an
 * address.  Returns 0, or -1 for names and bad literals. */
int sip_host_to_addr(struct sip_str host, struct ip_addr *out);

/* ---- header values ---------------------------------------------------- */

/* Bounds on what a struct sip_msg keeps.  The excess is counted in the
 * *_count fields, which can exceed the array sizes. */
#define SIP_MAX_HEADERS 64
#define SIP_MAX_VIAS 64
#define SIP_MAX_CONTACTS 16
#define SIP_MAX_ROUTES 16

/* One via-parm (RFC 3261 section 20.42, RFC 3581). */
struct sip_via {
    struct sip_str text;        /* the whole via-parm */
    struct sip_str protocol;    /* "SIP/2.0" */
    struct sip_str transport;   /* "UDP", "TCP", "TLS", "WS", ... */
    struct sip_str host;        /* sent-by host; IPv6 without brackets */
    enum sip_host_kind host_kind;
    bool has_port;
    uint16_t port;              /* sent-by port; 0 when absent */
    struct sip_str params;      /* after the first ';' without it */
    struct sip_str branch;
    struct sip_str received;
    struct sip_str maddr;
    bool has_rport;             /* rport parameter present */
    bool has_rport_value;       /* ... and carries a value ("rport=N") */
    uint16_t rport;
    bool valid;                 /* false: syntax error, only text is set */
};

/* name-addr or addr-spec with header parameters: From, To, Contact,
 * Route, Record-Route (RFC 3261 section 20.10). */
struct sip_nameaddr {
    struct sip_str text;        /* the whole value */
    struct sip_str display;     /* display name without quotes */
    struct sip_str uri_text;    /* inside <>, or the bare addr-spec */
    struct sip_uri uri;
    bool uri_valid;             /* sip_uri_parse() succeeded */
    struct sip_str params;      /* header params after the URI, no ';' */
    struct sip_str tag;         /* the tag param (From/To) */
    int64_t expires;            /* Contact "expires" param; -1 absent */
};

/* One header line as it appeared (folded continuation lines included). */
enum sip_hdr {
    SIP_HDR_OTHER,
    SIP_HDR_VIA,
    SIP_HDR_FROM,
    SIP_HDR_TO,
    SIP_HDR_CALL_ID,
    SIP_HDR_CSEQ,
    SIP_HDR_CONTACT,
    SIP_HDR_MAX_FORWARDS,
    SIP_HDR_CONTENT_LENGTH,
    SIP_HDR_CONTENT_TYPE,
    SIP_HDR_CONTENT_ENCODING,
    SIP_HDR_EXPIRES,
    SIP_HDR_RECORD_ROUTE,
    SIP_HDR_ROUTE,
    SIP_HDR_USER_AGENT,
    SIP_HDR_SERVER,
    SIP_HDR_SUBJECT,
    SIP_HDR_SUPPORTED,
    SIP_HDR_EVENT,
    SIP_HDR_ALLOW_EVENTS,
    SIP_HDR_REFER_TO,
    SIP_HDR_REFERRED_BY,
    SIP_HDR_SESSION_EXPIRES,
    SIP_HDR_ACCEPT_CONTACT,
    SIP_HDR_REJECT_CONTACT,
    SIP_HDR_REQUEST_DISPOSITION,
    SIP_HDR_IDENTITY,
    SIP_HDR_AUTHORIZATION,
    SIP_HDR_PROXY_AUTHORIZATION,
    SIP_HDR_WWW_AUTHENTICATE,
    SIP_HDR_PROXY_AUTHENTICATE,
    SIP_HDR_COUNT,
};

/* Canonical long name ("Call-ID"); "" for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr h);
/* Identifies a header name, long or compact form (RFC 3261 section 7.3.3
 * and the extensions' compact forms), case-insensitively. */
enum sip_hdr sip_hdr_from_name(struct sip_str name);

struct sip_header {
    enum sip_hdr id;
    struct sip_str name;        /* as written, possibly compact */
    struct sip_str value;       /* trimmed; may contain folded CRLFs */
};

/* ---- messages --------------------------------------------------------- */

enum sip_parse_status {
    SIP_PARSE_OK,
    SIP_PARSE_TRUNCATED,    /* no end of headers, or the body is shorter
                               than Content-Length */
    SIP_PARSE_MALFORMED,    /* see struct sip_msg.bad */
};

/* Why a message is malformed: the first problem found. */
enum sip_bad {
    SIP_BAD_NONE,
    SIP_BAD_START_LINE,     /* neither a request nor a status line */
    SIP_BAD_VERSION,        /* not "SIP/<digits>.<digits>" */
    SIP_BAD_STATUS_CODE,    /* not three digits in 100..699 */
    SIP_BAD_HEADER,         /* header line without a colon or a token name */
    SIP_BAD_CONTENT_LENGTH, /* not a decimal number (or absurdly large) */
    SIP_BAD_CSEQ,           /* not "<number> <method>" */
};

/* Odd but parseable; bits of struct sip_msg.anomalies. */
enum sip_anomaly {
    SIP_ANOM_NO_VIA = 1u << 0,
    SIP_ANOM_NO_FROM = 1u << 1,
    SIP_ANOM_NO_TO = 1u << 2,
    SIP_ANOM_NO_CALL_ID = 1u << 3,
    SIP_ANOM_NO_CSEQ = 1u << 4,
    SIP_ANOM_BAD_VIA = 1u << 5,         /* a Via value did not parse */
    SIP_ANOM_BAD_URI = 1u << 6,         /* Request-URI, From, To, Contact or
                                           route URI did not parse */
    SIP_ANOM_DUP_HEADER = 1u << 7,      /* a single-valued header repeated
                                           (the first one is kept) */
    SIP_ANOM_NO_CONTENT_LENGTH = 1u << 8,
    SIP_ANOM_BODY_EXTRA = 1u << 9,      /* bytes after Content-Length */
    SIP_ANOM_CSEQ_METHOD = 1u << 10,    /* request method != CSeq method */
    SIP_ANOM_VERSION = 1u << 11,        /* SIP version other than 2.0 */
    SIP_ANOM_HEADERS_DROPPED = 1u << 12, /* more than a bound kept */
    SIP_ANOM_BAD_EXPIRES = 1u << 13,
    SIP_ANOM_BAD_MAX_FORWARDS = 1u << 14,
    SIP_ANOM_LF_ONLY = 1u << 15,        /* lines end in LF, not CRLF */
    SIP_ANOM_LEADING_CRLF = 1u << 16,   /* CRLFs before the start line */
};

/* A parsed message.  About 22 KiB: keep one per analyzer and reuse it
 * rather than placing many on the stack.  Arrays are valid up to the
 * smaller of their *_count and their bound. */
struct sip_msg {
    enum sip_parse_status status;
    enum sip_bad bad;
    uint32_t anomalies;             /* enum sip_anomaly bits */

    bool is_request;
    /* Request line. */
    struct sip_str method;
    enum sip_method method_id;
    struct sip_str ruri_text;
    struct sip_uri ruri;
    /* Status line. */
    int status_code;                /* 0 for requests */
    struct sip_str reason;
    struct sip_str version;         /* "SIP/2.0" */

    /* Single-valued headers (the first occurrence). */
    struct sip_str call_id;
    bool has_cseq;
    uint32_t cseq;
    struct sip_str cseq_method;
    enum sip_method cseq_method_id;
    bool has_from;
    struct sip_nameaddr from;
    bool has_to;
    struct sip_nameaddr to;
    int64_t expires;                /* Expires header; -1 absent */
    int64_t max_forwards;           /* -1 absent */
    int64_t content_length;         /* -1 absent */
    struct sip_str content_type;
    struct sip_str user_agent;
    struct sip_str server;

    /* Sizes and body.  header_len covers the start line, the headers and
     * the empty line.  body is the part of the buffer after the headers,
     * cut to Content-Length when present.  body_available counts every
     * byte after the headers, so body_available != content_length is the
     * SIP ALG signature "Content-Length does not match the body".
     * msg_len is header_len + Content-Length (or the whole buffer without
     * Content-Length): the size of this message in a stream. */
    size_t header_len;
    size_t body_available;
    struct sip_str body;
    size_t msg_len;

    /* Multi-valued headers, in order of appearance. */
    size_t via_count;
    struct sip_via via[SIP_MAX_VIAS];
    bool contact_star;              /* "Contact: *" */
    size_t contact_count;
    struct sip_nameaddr contact[SIP_MAX_CONTACTS];
    size_t record_route_count;
    struct sip_nameaddr record_route[SIP_MAX_ROUTES];
    size_t route_count;
    struct sip_nameaddr route[SIP_MAX_ROUTES];

    /* Every header line, in order. */
    size_t header_count;
    struct sip_header headers[SIP_MAX_HEADERS];
};

/* Parses one message at the start of buf (a UDP datagram, or one message
 * framed by sip_frame()).  CRLFs before the start line are skipped
 * (RFC 3261 section 7.5).  Both CRLF and bare LF line ends are accepted.
 * *msg is overwritten; its views point into buf.  Returns msg->status. */
enum sip_parse_status sip_parse(const uint8_t *buf, size_t len,
                                struct sip_msg *msg);

/* The top (first) Via, or NULL when there is none. */
const struct sip_via *sip_msg_top_via(const struct sip_msg *msg);

/* First header with this id at or after index *pos, for headers the
 * struct has no field for (Event, Authorization, ...).  Only the first
 * SIP_MAX_HEADERS lines are searchable.  Advances *pos past the match;
 * NULL when none is left. */
const struct sip_header *sip_msg_find_header(const struct sip_msg *msg,
                                             enum sip_hdr id, size_t *pos);

/* Short stable names for the database and reports ("start_line"...). */
const char *sip_parse_status_name(enum sip_parse_status st);
const char *sip_bad_name(enum sip_bad bad);

/* ---- detection and stream framing ------------------------------------ */

/* Quick test for any-port detection: does the buffer start with a SIP
 * start line?  True for "SIP/2.0 NNN" status lines and for request lines
 * "TOKEN SP URI SP SIP/2.0" ending in CRLF or LF; also for a request line
 * cut before its end if it starts with a known method, a space and a sip:,
 * sips: or tel: URI.  Reads at most the first line. */
bool sip_looks_like(const uint8_t *buf, size_t len);

enum sip_frame_status {
    SIP_FRAME_MESSAGE,      /* *out_len = size of the whole message */
    SIP_FRAME_PING,         /* CRLFCRLF keep-alive ping; *out_len = 4 */
    SIP_FRAME_PONG,         /* CRLF keep-alive pong; *out_len = 2 */
    SIP_FRAME_NEED_MORE,    /* the message is not complete yet */
    SIP_FRAME_MALFORMED,    /* cannot be framed: not a SIP start line, or
                               a bad Content-Length.  *out_len = bytes to
                               drop to get past it (at least 1) */
};

/* Finds the first unit in a stream buffer (RFC 3261 section 18.3: the
 * end of the headers plus Content-Length; a missing Content-Length counts
 * as 0).  Call again on buf + *out_len for the next one.  A lone "\r\n" at the
 * very end is reported as a pong; "\r\n\r" waits for more.  A 4-byte ping
 * split across two segments therefore reads as two pongs, which only
 * affects keep-alive counts.  The caller bounds the buffer it keeps (for
 * example 64 KiB) and treats a larger unframed buffer as malformed. */
enum sip_frame_status sip_frame(const uint8_t *buf, size_t len,
                                size_t *out_len);

/* Keep-alive test for a whole datagram made only of CRLFs: "\r\n\r\n" is
 * a ping, "\r\n" a pong (RFC 5626 section 3.5.1).  Returns SIP_FRAME_PING,
 * SIP_FRAME_PONG or SIP_FRAME_MALFORMED (not a keep-alive). */
enum sip_frame_status sip_keepalive_kind(const uint8_t *buf, size_t len);

#endif
