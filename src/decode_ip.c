/* IPv4 and IPv6 headers, IPv4 options and IPv6 extension headers.
 *
 * Specs: RFC 791 (IPv4), RFC 2474 and RFC 3168 (DSCP and ECN in the old
 * TOS / traffic class octet), RFC 8200 (IPv6 and its extension headers),
 * RFC 4302 (AH), RFC 6946 (atomic fragments), RFC 7045 (which next-header
 * values are extension headers). */
#include "config.h"

#include "decode.h"

#include "decode_internal.h"
#include "ipaddr.h"

enum decode_ip_sizes {
    DECODE_IPV4_HDR = 20,
    DECODE_IPV6_HDR = 40,
    DECODE_IPV6_FRAG_HDR = 8,
};

/* --- IPv4 ------------------------------------------------------------- */

/* Walks the option list (RFC 791 section 3.1): EOL ends it, NOP is one
 * byte, every other option is type, length (counting both), data.  False
 * when an option's length is below 2 or runs past the header. */
static bool decode_ip_v4_options_ok(struct cursor c)
{
    uint8_t type, len;

    while (cur_get_u8(&c, &type)) {
        if (type == 0)
            return true;
        if (type == 1)
            continue;
        if (!cur_get_u8(&c, &len) || len < 2 || !cur_skip(&c, len - 2u))
            return false;
    }
    return true;
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |  DSCP     |ECN|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum decode_status decode_ip_v4(struct decoder *d, struct decode_buf *b)
{
    struct decoded *out = d->out;
    size_t wire_left = decode_buf_wire_left(b);
    const uint8_t *l3 = b->c.base ? cur_ptr(&b->c) : NULL;
    size_t l3_cap = cur_remaining(&b->c);
    struct decode_buf pl;
    struct cursor opts;
    uint8_t vihl, tos, ttl, proto;
    uint16_t total, id, frag, csum;
    unsigned hlen;
    const uint8_t *h = cur_take(&b->c, DECODE_IPV4_HDR);

    if (!h) {
        decode_count(d, DECODE_ANOM_IPV4_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    /* One bounds check for the fixed header, then reads within it. */
    vihl = h[0];
    tos = h[1];
    total = cur_at_be16(h, 2);
    id = cur_at_be16(h, 4);
    frag = cur_at_be16(h, 6);
    ttl = h[8];
    proto = h[9];
    csum = cur_at_be16(h, 10);
    hlen = (vihl & 0x0fu) * 4u;
    if (vihl >> 4 != 4 || hlen < DECODE_IPV4_HDR) {
        decode_count(d, DECODE_ANOM_IPV4_BAD_HEADER);
        return DECODE_MALFORMED;
    }
    out->ip_version = 4;
    out->proto = proto;
    out->dscp = tos >> 2;
    out->ecn = tos & 0x03;
    out->ttl = ttl;
    out->ip_id = id;
    out->ip_checksum = csum;
    out->ip_len = total;
    ipaddr_set_v4(&out->src, h + 12);
    ipaddr_set_v4(&out->dst, h + 16);

    /* The total length covers the header and cannot exceed the frame on
     * the wire; bytes beyond it (Ethernet padding, trailers) are not ours. */
    if (total < hlen || total > wire_left) {
        decode_count(d, DECODE_ANOM_IPV4_BAD_LENGTH);
        return DECODE_MALFORMED;
    }
    out->l3 = l3;
    out->l3_len = (uint32_t)(l3_cap < total ? l3_cap : total);
    if (!cur_sub(&b->c, hlen - DECODE_IPV4_HDR, &opts)) {
        decode_count(d, DECODE_ANOM_IPV4_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    /* Options carry nothing we use; a broken list is counted and the
     * packet still decoded, since the header length is sound. */
    if (!decode_ip_v4_options_ok(opts))
        decode_count(d, DECODE_ANOM_IPV4_BAD_OPTIONS);
    decode_buf_take(b, total - hlen, &pl);

    /* Flags: reserved, DF (0x4000), MF (0x2000); offset in 8-byte units. */
    if ((frag & 0x3fff) != 0) {
        struct decode_frag_in in;
        enum decode_status st;

        in.id = id;
        in.proto = proto;
        in.offset = (uint32_t)(frag & 0x1fff) * 8u;
        in.more = (frag & 0x2000) != 0;
        in.hdr_len = hlen;
        in.max_len = DECODE_IP_MAX;
        in.data = pl;
        st = decode_frag_add(d, &in, &pl);
        if (st != DECODE_OK)
            return st;
        out->l3 = NULL;
        out->l3_len = 0;
    }
    return decode_l4(d, &pl);
}

/* --- IPv6 ------------------------------------------------------------- */

/* Next-header values that are extension headers we can walk (RFC 7045
 * section 4 table).  ESP (50) ends the chain: the rest is encrypted. */
static const uint8_t decode_ip_v6_ext_kind_table[256] = {
    [0] = DECODE_V6_EXT_GENERIC,        /* hop-by-hop options */
    [43] = DECODE_V6_EXT_GENERIC,       /* routing */
    [44] = DECODE_V6_EXT_FRAG,          /* fragment */
    [51] = DECODE_V6_EXT_AH,            /* authentication header */
    [60] = DECODE_V6_EXT_GENERIC,       /* destination options */
    [135] = DECODE_V6_EXT_GENERIC,      /* mobility (RFC 6275) */
    [139] = DECODE_V6_EXT_GENERIC,      /* HIP (RFC 7401) */
    [140] = DECODE_V6_EXT_GENERIC,      /* shim6 (RFC 5533) */
};

enum decode_ip_v6_ext decode_ip_v6_ext_kind(uint8_t nh)
{
    return (enum decode_ip_v6_ext)decode_ip_v6_ext_kind_table[nh];
}

/* Fragment header (RFC 8200 section 4.5):
 *   next(8) reserved(8) offset(13) res(2) M(1) identification(32)
 * An atomic fragment (offset 0, M clear) is an ordinary packet (RFC 6946).
 * Otherwise the rest of the payload goes to reassembly and, once complete,
 * the chain continues over the rebuilt fragmentable part.  hdr_len is the
 * length of the unfragmentable part in front of this header. */
static enum decode_status decode_ip_v6_frag(struct decoder *d,
                                            struct decode_buf *pl,
                                            uint32_t hdr_len,
                                            bool *reassembled,
                                            uint8_t *nh)
{
    struct decode_frag_in in;
    struct decode_buf rest;
    uint8_t next = 0, reserved = 0;
    uint16_t offlg = 0;
    uint32_t id = 0;
    enum decode_status st;

    if (!cur_has(&pl->c, DECODE_IPV6_FRAG_HDR)) {
        bool cut = decode_buf_wire_left(pl) >= DECODE_IPV6_FRAG_HDR;

        decode_count(d, cut ? DECODE_ANOM_IPV6_TRUNCATED
                            : DECODE_ANOM_IPV6_BAD_EXT);
        return cut ? DECODE_TRUNCATED : DECODE_MALFORMED;
    }
    (void)cur_get_u8(&pl->c, &next);
    (void)cur_get_u8(&pl->c, &reserved);
    (void)cur_get_be16(&pl->c, &offlg);
    (void)cur_get_be32(&pl->c, &id);
    *nh = next;
    if ((offlg & 0xfff9) == 0)
        return DECODE_OK;
    /* A fragment header inside a reassembled datagram would nest
     * reassembly without bound; no sender does that. */
    if (*reassembled) {
        decode_count(d, DECODE_ANOM_IPV6_BAD_EXT);
        return DECODE_MALFORMED;
    }
    decode_buf_take(pl, decode_buf_wire_left(pl), &rest);
    in.id = id;
    in.proto = next;
    in.offset = offlg & 0xfff8;
    in.more = (offlg & 1) != 0;
    in.hdr_len = hdr_len;
    in.max_len = DECODE_IPV6_HDR + DECODE_IP_MAX;
    in.data = rest;
    st = decode_frag_add(d, &in, pl);
    if (st == DECODE_OK)
        *reassembled = true;
    return st;
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                  Source Address (128 bits)                    |
 * |               Destination Address (128 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum decode_status decode_ip_v6(struct decoder *d, struct decode_buf *b)
{
    struct decoded *out = d->out;
    size_t wire_left = decode_buf_wire_left(b);
    const uint8_t *l3 = b->c.base ? cur_ptr(&b->c) : NULL;
    size_t l3_cap = cur_remaining(&b->c);
    struct decode_buf pl;
    uint8_t nh = 0, hlim = 0, src[16], dst[16];
    uint16_t plen = 0;
    uint32_t vtf = 0, hdr_len = DECODE_IPV6_HDR;
    unsigned n_ext = 0;
    bool reassembled = false;

    if (!cur_has(&b->c, DECODE_IPV6_HDR)) {
        decode_count(d, DECODE_ANOM_IPV6_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    (void)cur_get_be32(&b->c, &vtf);
    (void)cur_get_be16(&b->c, &plen);
    (void)cur_get_u8(&b->c, &nh);
    (void)cur_get_u8(&b->c, &hlim);
    (void)cur_get_bytes(&b->c, src, 16);
    (void)cur_get_bytes(&b->c, dst, 16);
    if (vtf >> 28 != 6) {
        decode_count(d, DECODE_ANOM_IPV6_BAD_HEADER);
        return DECODE_MALFORMED;
    }
    out->ip_version = 6;
    out->proto = nh;
    out->dscp = (uint8_t)(vtf >> 22) & 0x3f;
    out->ecn = (uint8_t)(vtf >> 20) & 0x03;
    out->ttl = hlim;
    out->ip_id = 0;
    out->ip_checksum = 0;
    out->ip_len = DECODE_IPV6_HDR + (uint32_t)plen;
    ipaddr_set_v6(&out->src, src);
    ipaddr_set_v6(&out->dst, dst);
    /* Jumbograms (payload length 0 with a hop-by-hop jumbo option,
     * RFC 2675) exist only on special links and are not decoded. */
    if ((size_t)DECODE_IPV6_HDR + plen > wire_left) {
        decode_count(d, DECODE_ANOM_IPV6_BAD_LENGTH);
        return DECODE_MALFORMED;
    }
    out->l3 = l3;
    out->l3_len = (uint32_t)(l3_cap < out->ip_len ? l3_cap : out->ip_len);
    decode_buf_take(b, plen, &pl);

    while (decode_ip_v6_ext_kind_table[nh] != DECODE_V6_NOT_EXT) {
        enum decode_ip_v6_ext kind = decode_ip_v6_ext_kind(nh);
        uint8_t next = 0, hl = 0;
        size_t len;

        if (++n_ext > DECODE_IPV6_EXT_MAX) {
            decode_count(d, DECODE_ANOM_IPV6_TOO_MANY_EXT);
            return DECODE_UNSUPPORTED;
        }
        if (kind == DECODE_V6_EXT_FRAG) {
            enum decode_status st;

            st = decode_ip_v6_frag(d, &pl, hdr_len, &reassembled, &nh);
            if (st != DECODE_OK)
                return st;
            if (reassembled) {
                out->l3 = NULL;
                out->l3_len = 0;
            }
            hdr_len += DECODE_IPV6_FRAG_HDR;
            out->proto = nh;
            continue;
        }
        if (!cur_peek_u8(&pl.c, 0, &next) || !cur_peek_u8(&pl.c, 1, &hl)) {
            bool cut = decode_buf_wire_left(&pl) >= 2;

            decode_count(d, cut ? DECODE_ANOM_IPV6_TRUNCATED
                                : DECODE_ANOM_IPV6_BAD_EXT);
            return cut ? DECODE_TRUNCATED : DECODE_MALFORMED;
        }
        if (kind == DECODE_V6_EXT_AH)
            len = ((size_t)hl + 2) * 4;
        else
            len = ((size_t)hl + 1) * 8;
        if (len > decode_buf_wire_left(&pl)) {
            decode_count(d, DECODE_ANOM_IPV6_BAD_EXT);
            return DECODE_MALFORMED;
        }
        if (!cur_skip(&pl.c, len)) {
            decode_count(d, DECODE_ANOM_IPV6_TRUNCATED);
            return DECODE_TRUNCATED;
        }
        hdr_len += (uint32_t)len;
        nh = next;
        out->proto = nh;
    }
    return decode_l4(d, &pl);
}

/* --- bare IP link types ----------------------------------------------- */

enum decode_status decode_ip_any(struct decoder *d, struct decode_buf *b)
{
    uint8_t v;

    if (!cur_peek_u8(&b->c, 0, &v)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    if (v >> 4 == 4)
        return decode_ip_v4(d, b);
    if (v >> 4 == 6)
        return decode_ip_v6(d, b);
    decode_count(d, DECODE_ANOM_NON_IP);
    return DECODE_NOT_IP;
}
