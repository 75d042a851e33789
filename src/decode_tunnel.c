/* GRE and ERSPAN decapsulation: span ports often deliver mirrored traffic
 * inside GRE, and the flow of interest is the inner packet.
 *
 * Specs: RFC 2784 and RFC 2890 (GRE with key and sequence number), RFC 1701
 * (the routing bit, not decoded), RFC 1701 section 3 and IEEE 802.1
 * (0x6558 transparent Ethernet bridging), draft-foschiano-erspan-03
 * (ERSPAN types I, II and III). */
#include "config.h"

#include "decode.h"

#include "decode_internal.h"

/* GRE flags and version, first 16 bits:
 *   C R K S s Recur(3) A Flags(4) Ver(3) */
enum decode_tunnel_gre_bits {
    DECODE_GRE_C = 0x8000,      /* checksum + reserved1 present */
    DECODE_GRE_R = 0x4000,      /* RFC 1701 routing present */
    DECODE_GRE_K = 0x2000,      /* key present */
    DECODE_GRE_S = 0x1000,      /* sequence number present */
    DECODE_GRE_VER = 0x0007,    /* 0; 1 is PPTP's enhanced GRE */
};

enum decode_tunnel_proto {
    DECODE_GRE_IPV4 = 0x0800,
    DECODE_GRE_IPV6 = 0x86dd,
    DECODE_GRE_TEB = 0x6558,        /* transparent Ethernet bridging */
    DECODE_GRE_ERSPAN_2 = 0x88be,   /* ERSPAN type I or II */
    DECODE_GRE_ERSPAN_3 = 0x22eb,
};

enum decode_tunnel_sizes {
    DECODE_ERSPAN2_HDR = 8,
    DECODE_ERSPAN3_HDR = 12,
    DECODE_ERSPAN3_PLATFORM = 8,
};

/* ERSPAN's T bit says the switch cut the mirrored frame, so its inner
 * headers may claim more than the frame holds: that is the same as a short
 * snaplen.  No frame carries more than an IP datagram plus its link
 * headers; this much slack on the wire length covers any. */
#define DECODE_ERSPAN_T_SLACK (2 * (size_t)DECODE_IP_MAX)

/* Removes one tunnel layer and decodes what it carried. */
static enum decode_status decode_tunnel_inner(struct decoder *d,
                                              struct decode_buf *b,
                                              bool cut, decode_layer_fn fn)
{
    struct decode_buf inner;

    decode_buf_take(b, decode_buf_wire_left(b), &inner);
    if (cut)
        inner.wire += DECODE_ERSPAN_T_SLACK;
    d->out->tunnel_depth++;
    return fn(d, &inner);
}

static enum decode_status decode_tunnel_truncated(struct decoder *d)
{
    decode_count(d, DECODE_ANOM_TUNNEL_TRUNCATED);
    return DECODE_TRUNCATED;
}

static enum decode_status decode_tunnel_opaque(struct decoder *d,
                                               enum decode_anomaly a,
                                               bool *opaque)
{
    decode_count(d, a);
    *opaque = true;
    return DECODE_OK;
}

/* ERSPAN type II (after a GRE header with S set):
 *   Ver(4)=1 VLAN(12) | COS(3) En(2) T(1) Session ID(10)
 *   Reserved(12) Index(20)
 * Type I has no header at all: GRE without the sequence number carries the
 * mirrored frame directly.  The VLAN field repeats the mirrored frame's
 * tag; the frame's own tags are what count, as for any Ethernet frame. */
static enum decode_status decode_tunnel_erspan2(struct decoder *d,
                                                struct decode_buf *b,
                                                uint16_t gre_flags,
                                                bool *opaque)
{
    uint32_t w1 = 0;

    if (!(gre_flags & DECODE_GRE_S))
        return decode_tunnel_inner(d, b, false, decode_link_ether);
    if (!cur_has(&b->c, DECODE_ERSPAN2_HDR))
        return decode_tunnel_truncated(d);
    (void)cur_get_be32(&b->c, &w1);
    (void)cur_skip(&b->c, 4);
    if (w1 >> 28 != 1)
        return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_UNSUPPORTED, opaque);
    return decode_tunnel_inner(d, b, (w1 & 0x0400) != 0, decode_link_ether);
}

/* ERSPAN type III:
 *   Ver(4)=2 VLAN(12) | COS(3) BSO(2) T(1) Session ID(10)
 *   Timestamp(32)
 *   SGT(16) | P(1) FT(5) HW ID(6) D(1) Gra(2) O(1)
 *   [platform specific subheader, 8 bytes, when O is set]
 * FT 0 is an Ethernet frame, FT 2 a bare IP packet. */
static enum decode_status decode_tunnel_erspan3(struct decoder *d,
                                                struct decode_buf *b,
                                                uint16_t gre_flags,
                                                bool *opaque)
{
    uint32_t w1 = 0, w3 = 0;
    unsigned ft;
    bool cut;

    (void)gre_flags;
    if (!cur_has(&b->c, DECODE_ERSPAN3_HDR))
        return decode_tunnel_truncated(d);
    (void)cur_get_be32(&b->c, &w1);
    (void)cur_skip(&b->c, 4);
    (void)cur_get_be32(&b->c, &w3);
    if (w1 >> 28 != 2)
        return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_UNSUPPORTED, opaque);
    if ((w3 & 1) && !cur_skip(&b->c, DECODE_ERSPAN3_PLATFORM))
        return decode_tunnel_truncated(d);
    cut = (w1 & 0x0400) != 0;
    ft = (w3 >> 10) & 0x1f;
    if (ft == 0)
        return decode_tunnel_inner(d, b, cut, decode_link_ether);
    if (ft == 2)
        return decode_tunnel_inner(d, b, cut, decode_ip_any);
    return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_UNSUPPORTED, opaque);
}

static enum decode_status decode_tunnel_ipv4(struct decoder *d,
                                             struct decode_buf *b,
                                             uint16_t gre_flags, bool *opaque)
{
    (void)gre_flags;
    (void)opaque;
    return decode_tunnel_inner(d, b, false, decode_ip_v4);
}

static enum decode_status decode_tunnel_ipv6(struct decoder *d,
                                             struct decode_buf *b,
                                             uint16_t gre_flags, bool *opaque)
{
    (void)gre_flags;
    (void)opaque;
    return decode_tunnel_inner(d, b, false, decode_ip_v6);
}

static enum decode_status decode_tunnel_teb(struct decoder *d,
                                            struct decode_buf *b,
                                            uint16_t gre_flags, bool *opaque)
{
    (void)gre_flags;
    (void)opaque;
    return decode_tunnel_inner(d, b, false, decode_link_ether);
}

typedef enum decode_status (*decode_tunnel_fn)(struct decoder *d,
                                               struct decode_buf *b,
                                               uint16_t gre_flags,
                                               bool *opaque);

struct decode_tunnel_entry {
    uint16_t proto;
    decode_tunnel_fn fn;
};

static const struct decode_tunnel_entry decode_tunnels[] = {
    { DECODE_GRE_IPV4, decode_tunnel_ipv4 },
    { DECODE_GRE_IPV6, decode_tunnel_ipv6 },
    { DECODE_GRE_TEB, decode_tunnel_teb },
    { DECODE_GRE_ERSPAN_2, decode_tunnel_erspan2 },
    { DECODE_GRE_ERSPAN_3, decode_tunnel_erspan3 },
};

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S| Reserved0       | Ver |         Protocol Type         |
 * |      Checksum (optional)      |       Reserved1 (optional)    |
 * |                         Key (optional)                        |
 * |                 Sequence Number (optional)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum decode_status decode_tunnel_gre(struct decoder *d, struct decode_buf *b,
                                     bool *opaque)
{
    uint16_t flags, proto;
    size_t opt = 0, i;

    *opaque = false;
    if (d->out->tunnel_depth >= DECODE_TUNNEL_MAX)
        return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_TOO_DEEP, opaque);
    if (!cur_get_be16(&b->c, &flags) || !cur_get_be16(&b->c, &proto))
        return decode_tunnel_truncated(d);
    if ((flags & DECODE_GRE_VER) != 0 || (flags & DECODE_GRE_R) != 0)
        return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_UNSUPPORTED, opaque);
    if (flags & DECODE_GRE_C)
        opt += 4;
    if (flags & DECODE_GRE_K)
        opt += 4;
    if (flags & DECODE_GRE_S)
        opt += 4;
    if (!cur_skip(&b->c, opt))
        return decode_tunnel_truncated(d);
    for (i = 0; i < sizeof(decode_tunnels) / sizeof(decode_tunnels[0]); i++)
        if (decode_tunnels[i].proto == proto)
            return decode_tunnels[i].fn(d, b, flags, opaque);
    /* Keepalives, PPP, MPLS, NSH, WCCP ... */
    return decode_tunnel_opaque(d, DECODE_ANOM_TUNNEL_UNSUPPORTED, opaque);
}
