/* Bounds-checked reader over packet bytes.
 *
 * Every decoder reads packet data through a cursor and never through a raw
 * pointer cast: each getter checks the remaining length first, returns false
 * and leaves the cursor unchanged when the data is not there.  Values are
 * read byte by byte, so alignment and host endianness never matter.  The
 * getters move the cursor before storing the value: a store through a
 * uint8_t pointer may alias the cursor as far as the compiler knows, and
 * would otherwise force it to reload the cursor for every later read. */
#ifndef RINGSCOPE_CURSOR_H
#define RINGSCOPE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
    const uint8_t *base;    /* borrowed; first byte of the window */
    size_t len;             /* bytes in the window */
    size_t off;             /* next byte to read */
};

static inline void cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
    c->base = p;
    c->len = p ? len : 0;
    c->off = 0;
}

static inline size_t cur_remaining(const struct cursor *c)
{
    return c->len - c->off;
}

static inline const uint8_t *cur_ptr(const struct cursor *c)
{
    return c->base + c->off;
}

static inline bool cur_has(const struct cursor *c, size_t n)
{
    return n <= c->len - c->off;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
    if (!cur_has(c, n))
        return false;
    c->off += n;
    return true;
}

static inline bool cur_get_u8(struct cursor *c, uint8_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 1))
        return false;
    p = c->base + c->off;
    c->off += 1;
    *v = p[0];
    return true;
}

static inline bool cur_get_be16(struct cursor *c, uint16_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 2))
        return false;
    p = c->base + c->off;
    c->off += 2;
    *v = (uint16_t)((unsigned)p[0] << 8 | p[1]);
    return true;
}

static inline bool cur_get_be24(struct cursor *c, uint32_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 3))
        return false;
    p = c->base + c->off;
    c->off += 3;
    *v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[2];
    return true;
}

static inline bool cur_get_be32(struct cursor *c, uint32_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 4))
        return false;
    p = c->base + c->off;
    c->off += 4;
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
    return true;
}

static inline bool cur_get_le16(struct cursor *c, uint16_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 2))
        return false;
    p = c->base + c->off;
    c->off += 2;
    *v = (uint16_t)((unsigned)p[1] << 8 | p[0]);
    return true;
}

static inline bool cur_get_le32(struct cursor *c, uint32_t *v)
{
    const uint8_t *p;

    if (!cur_has(c, 4))
        return false;
    p = c->base + c->off;
    c->off += 4;
    *v = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 |
         (uint32_t)p[0];
    return true;
}

/* Copies n bytes out; false (nothing copied) when fewer remain. */
static inline bool cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
    if (!cur_has(c, n))
        return false;
    if (n != 0)     /* an empty window may have a null base */
        memcpy(dst, c->base + c->off, n);
    c->off += n;
    return true;
}

/* Fixed-size headers: cur_take() checks once that n bytes remain, moves
 * past them and returns the first (NULL, the cursor unchanged, when fewer
 * remain); the cur_at_* readers then read at offsets below n of it.  One
 * check instead of one per field, on the per-packet path. */
static inline const uint8_t *cur_take(struct cursor *c, size_t n)
{
    const uint8_t *p;

    if (!cur_has(c, n))
        return NULL;
    p = c->base + c->off;
    c->off += n;
    return p;
}

static inline uint16_t cur_at_be16(const uint8_t *p, size_t at)
{
    return (uint16_t)((unsigned)p[at] << 8 | p[at + 1]);
}

static inline uint32_t cur_at_be32(const uint8_t *p, size_t at)
{
    return (uint32_t)p[at] << 24 | (uint32_t)p[at + 1] << 16 |
           (uint32_t)p[at + 2] << 8 | (uint32_t)p[at + 3];
}

/* Reads a byte at off + at without moving the cursor. */
static inline bool cur_peek_u8(const struct cursor *c, size_t at, uint8_t *v)
{
    if (!cur_has(c, at + 1) || at + 1 == 0)
        return false;
    *v = c->base[c->off + at];
    return true;
}

static inline bool cur_peek_be16(const struct cursor *c, size_t at, uint16_t *v)
{
    if (at > SIZE_MAX - 2 || !cur_has(c, at + 2))
        return false;
    *v = (uint16_t)((unsigned)c->base[c->off + at] << 8 |
                    c->base[c->off + at + 1]);
    return true;
}

/* Splits off the next n bytes as their own cursor and advances past them.
 * False, and nothing changes, when fewer than n remain. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *out)
{
    if (!cur_has(c, n))
        return false;
    cur_init(out, c->base + c->off, n);
    c->off += n;
    return true;
}

#endif
