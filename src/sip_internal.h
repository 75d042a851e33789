/* Declarations shared by sip.c and sip_uri.c; not part of the interface.
 *
 * sip.c parses messages and frames streams; sip_uri.c holds the pieces of
 * grammar that several headers share (views, hosts, URIs, parameters,
 * comma-separated lists, name-addr).  All scanning goes through cursors
 * made fresh over one view, so an index is always relative to the view. */
#ifndef RINGSCOPE_SIP_INTERNAL_H
#define RINGSCOPE_SIP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "sip.h"

/* Byte at index i of a cursor whose offset is 0 (every cursor here is a
 * fresh window over one view), or -1 past its end. */
static inline int sip_byte_at(const struct cursor *c, size_t i)
{
    uint8_t b;

    if (!cur_peek_u8(c, i, &b))
        return -1;
    return b;
}

static inline void sip_cur_of(struct cursor *c, struct sip_str s)
{
    cur_init(c, (const uint8_t *)s.ptr, s.ptr ? s.len : 0);
}

static inline bool sip_is_lws(int b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static inline bool sip_is_digit(int b)
{
    return b >= '0' && b <= '9';
}

static inline bool sip_is_alpha(int b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static inline bool sip_is_alnum(int b)
{
    return sip_is_alpha(b) || sip_is_digit(b);
}

/* RFC 3261 section 25.1 token characters. */
static inline bool sip_is_token(int b)
{
    switch (b) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
        return true;
    default:
        return sip_is_alnum(b);
    }
}

static inline int sip_lower(int b)
{
    return (b >= 'A' && b <= 'Z') ? b + ('a' - 'A') : b;
}

/* True when the view starts with s, ASCII case-insensitive. */
bool sip_str_prefix_ci(struct sip_str a, const char *s);

/* Reads a token (RFC 3261 section 25.1) of the cursor's view s starting at
 * *i and moves *i past it; the view is empty when none starts there. */
struct sip_str sip_take_token(const struct cursor *c, struct sip_str s,
                              size_t *i);
/* Moves *i past spaces, tabs and folded line ends. */
void sip_skip_lws(const struct cursor *c, size_t *i);

/* Parses "host[:port]" or "[v6][:port]" occupying the whole view.
 * Returns 0, or -1 on a bad host or port. */
int sip_parse_hostport(struct sip_str s, struct sip_str *host,
                       enum sip_host_kind *kind, bool *has_port,
                       uint16_t *port);

/* Returns the next element of a comma-separated header value, starting at
 * *pos, and moves *pos past it.  Commas inside double quotes, <...> or
 * [...] do not separate.  Empty elements are skipped.  False at the end. */
bool sip_next_element(struct sip_str v, size_t *pos, struct sip_str *item);

/* Parses a name-addr or addr-spec with header parameters into *na (fully
 * overwritten).  False when the value or its URI does not parse; the
 * fields found so far stay set. */
bool sip_nameaddr_parse(struct sip_str v, struct sip_nameaddr *na);

#endif
