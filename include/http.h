/* HTTP/1.x request head recognition for classification: the request line
 * and the Host, read from the first bytes a client sends.
 *
 * Spec: RFC 9112 section 3 (request line, request-target forms) and 3.2
 * (Host), RFC 9110 section 7.2 (Host), 5.6.2 (token).  Works on partial
 * data (need-more), looks at no more than HTTP_HEAD_MAX bytes, reads
 * through cursor.h and never allocates. */
#ifndef RINGSCOPE_HTTP_H
#define RINGSCOPE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Request heads longer than this are not looked at further: 8 KiB is
 * the usual server limit for the whole head. */
#define HTTP_HEAD_MAX 8192
#define HTTP_METHOD_MAX 24      /* longest method kept, with terminator */
#define HTTP_TARGET_MAX 256     /* target kept (cut beyond) */
#define HTTP_HOST_MAX 256       /* host name, 255 bytes + terminator */

enum http_status {
    HTTP_OK,            /* request line read, and the Host line or the end
                         * of the head */
    HTTP_NEED_MORE,     /* a plausible start: more bytes needed */
    HTTP_NOT_HTTP,      /* cannot be an HTTP/1.x request */
    HTTP_TOO_LONG,      /* no decision within HTTP_HEAD_MAX bytes */
};

struct http_request {
    char method[HTTP_METHOD_MAX];
    char target[HTTP_TARGET_MAX];
    bool target_cut;                /* longer than HTTP_TARGET_MAX - 1 */
    uint8_t version_major;          /* 1 */
    uint8_t version_minor;          /* 0 or 1 */
    /* The host the request is for, lowercase, without port or brackets:
     * from the absolute-form or authority-form target (RFC 9112 3.2.2,
     * 3.2.3: then it wins over Host), else from the Host header. */
    char host[HTTP_HOST_MAX];
    bool has_host;
    uint16_t host_port;             /* 0 when not given */
    bool host_from_target;
    size_t head_len;                /* bytes read up to the decision */
};

/* Parses the start of a client stream.  Returns HTTP_OK once the Host
 * line is complete (or the head ended without one), HTTP_NEED_MORE while
 * the data is a valid prefix, HTTP_NOT_HTTP as soon as a byte rules HTTP
 * out (a SIP request says "SIP/2.0": not HTTP), HTTP_TOO_LONG past
 * HTTP_HEAD_MAX.  Lines may end in CRLF or a bare LF. */
enum http_status http_parse_request(const uint8_t *data, size_t len,
                                    struct http_request *out);

#endif
