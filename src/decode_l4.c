/* Transport layers: TCP with its options, UDP, ICMP and ICMPv6 with the
 * packet an error quotes.
 *
 * Specs: RFC 9293 (TCP header, MSS), RFC 7323 (window scale, timestamps),
 * RFC 2018 (SACK), RFC 768 (UDP), RFC 792 and RFC 1122 section 3.2.2
 * (ICMP), RFC 4443 (ICMPv6).
 *
 * Protocols without a decoder here (ESP, SCTP, ...) are still IP packets
 * that belong to a flow: they return DECODE_OK with both ports 0 and are
 * counted as l4_unsupported.
 *
 * When the snaplen cuts the TCP options, the fixed header still gives the
 * flow, ports, flags and sequence numbers, so the packet is DECODE_OK with
 * tcp.options_truncated set and tcp_truncated counted: losing every SYN of
 * a capture taken with a short snaplen would be worse than a SYN whose
 * options are partly unknown. */
#include "config.h"

#include "decode.h"

#include "decode_internal.h"
#include "ipaddr.h"

enum decode_l4_sizes {
    DECODE_TCP_HDR = 20,
    DECODE_UDP_HDR = 8,
    DECODE_ICMP_MIN = 4,    /* type, code, checksum */
    DECODE_ICMP_HDR = 8,    /* with the 4-byte rest of header */
    DECODE_PORTS = 4,
};

/* Sets the payload fields: wire bytes the headers promise, of which what
 * was captured. */
static void decode_l4_payload(struct decoder *d, const struct decode_buf *b,
                              size_t wire)
{
    struct decoded *out = d->out;
    size_t cap = cur_remaining(&b->c);

    if (cap > wire)
        cap = wire;
    out->payload_wire_len = (uint32_t)wire;
    out->payload_len = (uint32_t)cap;
    out->payload = cap ? cur_ptr(&b->c) : NULL;
    if (cap < wire)
        decode_count(d, DECODE_ANOM_PAYLOAD_TRUNCATED);
}

/* A transport header that is not all there: cut by the snaplen when the
 * wire held it, else the IP length left no room for it. */
static enum decode_status decode_l4_short(struct decoder *d,
                                          enum decode_anomaly a, bool cut)
{
    decode_count(d, a);
    return cut ? DECODE_TRUNCATED : DECODE_MALFORMED;
}

/* --- TCP -------------------------------------------------------------- */

/* The option list (RFC 9293 section 3.1): EOL (0) ends it, NOP (1) is one
 * byte, every other option is kind, length (counting both), data.  c holds
 * the captured options, wire their length per the data offset.  An option
 * running past the header, or a known option with the wrong length, is
 * counted once per packet; the fixed header stays usable. */
static void decode_l4_tcp_options(struct decoder *d, struct cursor c,
                                  size_t wire)
{
    struct decoded_tcp *t = &d->out->tcp;
    bool bad = false;
    uint8_t kind = 0, len = 0;

    while (cur_get_u8(&c, &kind)) {
        size_t start = c.off - 1;
        struct cursor o;

        if (kind == 0)
            break;
        if (kind == 1)
            continue;
        if (!cur_get_u8(&c, &len)) {
            bad = start + 2 > wire;
            break;
        }
        if (len < 2 || start + len > wire) {
            bad = true;
            break;
        }
        if (!cur_sub(&c, len - 2u, &o))
            break;              /* cut by the snaplen */
        if (kind == 2 && len == 4) {
            (void)cur_get_be16(&o, &t->mss);
        } else if (kind == 3 && len == 3) {
            uint8_t shift = 0;

            (void)cur_get_u8(&o, &shift);
            /* RFC 7323 section 2.3: above 14, log and use 14. */
            if (shift > 14) {
                shift = 14;
                bad = true;
            }
            t->wscale = (int8_t)shift;
        } else if (kind == 4 && len == 2) {
            t->sack_permitted = true;
        } else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
            unsigned n = 0;

            while (n < DECODE_MAX_SACK && cur_get_be32(&o, &t->sack[2 * n]) &&
                   cur_get_be32(&o, &t->sack[2 * n + 1]))
                n++;
            t->sack_blocks = (uint8_t)n;
        } else if (kind == 8 && len == 10) {
            (void)cur_get_be32(&o, &t->tsval);
            (void)cur_get_be32(&o, &t->tsecr);
            t->has_timestamp = true;
        } else if (kind >= 2 && kind <= 8 && kind != 6 && kind != 7) {
            bad = true;         /* a known option of the wrong length */
        }
    }
    if (bad)
        decode_count(d, DECODE_ANOM_TCP_BAD_OPTIONS);
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options (data offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static enum decode_status decode_l4_tcp(struct decoder *d,
                                        struct decode_buf *b)
{
    struct decoded *out = d->out;
    struct decoded_tcp *t = &out->tcp;
    size_t wire_left = decode_buf_wire_left(b);
    size_t hlen, optlen, optcap;
    uint16_t offflags;
    struct cursor opts = { NULL, 0, 0 };
    const uint8_t *h = cur_take(&b->c, DECODE_TCP_HDR);

    if (!h)
        return decode_l4_short(d, DECODE_ANOM_TCP_TRUNCATED,
                               wire_left >= DECODE_TCP_HDR);
    /* One bounds check for the fixed header, then reads within it. */
    out->sport = cur_at_be16(h, 0);
    out->dport = cur_at_be16(h, 2);
    t->seq = cur_at_be32(h, 4);
    t->ack = cur_at_be32(h, 8);
    offflags = cur_at_be16(h, 12);
    t->window = cur_at_be16(h, 14);
    t->checksum = cur_at_be16(h, 16);
    /* The urgent pointer (offset 18) is not used. */
    t->flags = (uint8_t)offflags;
    hlen = (size_t)(offflags >> 12) * 4;
    if (hlen < DECODE_TCP_HDR || hlen > wire_left) {
        decode_count(d, DECODE_ANOM_TCP_BAD_OFFSET);
        return DECODE_MALFORMED;
    }
    t->hdr_len = (uint8_t)hlen;
    optlen = hlen - DECODE_TCP_HDR;
    optcap = cur_remaining(&b->c);
    if (optcap > optlen)
        optcap = optlen;
    (void)cur_sub(&b->c, optcap, &opts);
    decode_l4_tcp_options(d, opts, optlen);
    if (optcap < optlen) {
        t->options_truncated = true;
        out->payload_wire_len = (uint32_t)(wire_left - hlen);
        decode_count(d, DECODE_ANOM_TCP_TRUNCATED);
        return DECODE_OK;
    }
    decode_l4_payload(d, b, wire_left - hlen);
    return DECODE_OK;
}

/* --- UDP -------------------------------------------------------------- */

/* source port(16) destination port(16) length(16) checksum(16).  The length
 * counts the header and should equal the IP payload; when they differ the
 * smaller one bounds the payload (udp_bad_length). */
static enum decode_status decode_l4_udp(struct decoder *d,
                                        struct decode_buf *b)
{
    struct decoded *out = d->out;
    size_t wire_left = decode_buf_wire_left(b);
    size_t plen;
    uint16_t ulen;
    const uint8_t *h = cur_take(&b->c, DECODE_UDP_HDR);

    if (!h)
        return decode_l4_short(d, DECODE_ANOM_UDP_TRUNCATED,
                               wire_left >= DECODE_UDP_HDR);
    /* One bounds check for the fixed header, then reads within it. */
    out->sport = cur_at_be16(h, 0);
    out->dport = cur_at_be16(h, 2);
    ulen = cur_at_be16(h, 4);
    /* The checksum (offset 6) is not verified. */
    plen = wire_left - DECODE_UDP_HDR;
    if (ulen < DECODE_UDP_HDR || ulen > wire_left) {
        decode_count(d, DECODE_ANOM_UDP_BAD_LENGTH);
    } else if (ulen < wire_left) {
        decode_count(d, DECODE_ANOM_UDP_BAD_LENGTH);
        plen = ulen - DECODE_UDP_HDR;
    }
    decode_l4_payload(d, b, plen);
    return DECODE_OK;
}

/* --- ICMP and ICMPv6 -------------------------------------------------- */

enum decode_l4_quote {
    DECODE_QUOTE_OK,        /* addresses and, for TCP/UDP, ports */
    DECODE_QUOTE_CUT,       /* the snaplen cut it short */
    DECODE_QUOTE_BAD,       /* the message holds no usable quote */
    DECODE_QUOTE_NO_PORTS,  /* a non-first fragment: no transport header */
};

/* Outcome when a quoted header needs n more bytes than c holds. */
static enum decode_l4_quote decode_l4_quote_short(const struct decode_buf *q,
                                                  size_t n)
{
    return decode_buf_wire_left(q) >= n ? DECODE_QUOTE_CUT : DECODE_QUOTE_BAD;
}

/* The ports open the TCP and UDP headers; the flow of any other protocol
 * has none. */
static enum decode_l4_quote decode_l4_quote_ports(struct decode_buf *q,
                                                  struct decoded_icmp *ic)
{
    if (ic->q_proto != 6 && ic->q_proto != 17)
        return DECODE_QUOTE_OK;
    if (!cur_has(&q->c, DECODE_PORTS))
        return decode_l4_quote_short(q, DECODE_PORTS);
    (void)cur_get_be16(&q->c, &ic->q_sport);
    (void)cur_get_be16(&q->c, &ic->q_dport);
    return DECODE_QUOTE_OK;
}

/* The quoted IPv4 header (its total length describes the original packet,
 * not the quote, and is ignored). */
static enum decode_l4_quote decode_l4_quote_v4(struct decode_buf *q,
                                               struct decoded_icmp *ic)
{
    uint8_t vihl = 0, proto = 0, src[4] = { 0 }, dst[4] = { 0 };
    uint16_t frag = 0;
    size_t hlen;

    if (!cur_has(&q->c, 20))
        return decode_l4_quote_short(q, 20);
    (void)cur_get_u8(&q->c, &vihl);
    (void)cur_skip(&q->c, 5);
    (void)cur_get_be16(&q->c, &frag);
    (void)cur_skip(&q->c, 1);
    (void)cur_get_u8(&q->c, &proto);
    (void)cur_skip(&q->c, 2);
    (void)cur_get_bytes(&q->c, src, 4);
    (void)cur_get_bytes(&q->c, dst, 4);
    hlen = (size_t)(vihl & 0x0f) * 4;
    if (vihl >> 4 != 4 || hlen < 20)
        return DECODE_QUOTE_BAD;
    ic->q_ip_version = 4;
    ic->q_proto = proto;
    ipaddr_set_v4(&ic->q_src, src);
    ipaddr_set_v4(&ic->q_dst, dst);
    if (!cur_skip(&q->c, hlen - 20))
        return decode_l4_quote_short(q, hlen - 20);
    if ((frag & 0x1fff) != 0)
        return DECODE_QUOTE_NO_PORTS;
    return decode_l4_quote_ports(q, ic);
}

/* The quoted IPv6 header and its extension headers. */
static enum decode_l4_quote decode_l4_quote_v6(struct decode_buf *q,
                                               struct decoded_icmp *ic)
{
    uint8_t nh = 0, src[16], dst[16];
    uint32_t vtf = 0;
    unsigned n = 0;

    if (!cur_has(&q->c, 40))
        return decode_l4_quote_short(q, 40);
    (void)cur_get_be32(&q->c, &vtf);
    (void)cur_skip(&q->c, 2);
    (void)cur_get_u8(&q->c, &nh);
    (void)cur_skip(&q->c, 1);
    (void)cur_get_bytes(&q->c, src, 16);
    (void)cur_get_bytes(&q->c, dst, 16);
    if (vtf >> 28 != 6)
        return DECODE_QUOTE_BAD;
    ic->q_ip_version = 6;
    ipaddr_set_v6(&ic->q_src, src);
    ipaddr_set_v6(&ic->q_dst, dst);
    for (;;) {
        enum decode_ip_v6_ext kind = decode_ip_v6_ext_kind(nh);
        uint8_t next = 0, hl = 0;
        uint16_t offlg = 0;
        size_t len;

        ic->q_proto = nh;
        if (kind == DECODE_V6_NOT_EXT)
            break;
        if (++n > DECODE_IPV6_EXT_MAX)
            return DECODE_QUOTE_BAD;
        if (!cur_peek_u8(&q->c, 0, &next) || !cur_peek_u8(&q->c, 1, &hl))
            return decode_l4_quote_short(q, 2);
        if (kind == DECODE_V6_EXT_FRAG)
            len = 8;
        else if (kind == DECODE_V6_EXT_AH)
            len = ((size_t)hl + 2) * 4;
        else
            len = ((size_t)hl + 1) * 8;
        if (kind == DECODE_V6_EXT_FRAG) {
            if (!cur_peek_be16(&q->c, 2, &offlg))
                return decode_l4_quote_short(q, 4);
            if ((offlg & 0xfff8) != 0) {
                ic->q_proto = next;
                return DECODE_QUOTE_NO_PORTS;
            }
        }
        if (!cur_skip(&q->c, len))
            return decode_l4_quote_short(q, len);
        nh = next;
    }
    return decode_l4_quote_ports(q, ic);
}

/* ICMP (RFC 792) and ICMPv6 (RFC 4443) share their first 8 bytes:
 *   type(8) code(8) checksum(16) rest of header(32)
 * An error message then quotes the offending packet from its IP header. */
static enum decode_status decode_l4_icmp_any(struct decoder *d,
                                             struct decode_buf *b, bool v6)
{
    struct decoded_icmp *ic = &d->out->icmp;
    size_t wire_left = decode_buf_wire_left(b);
    size_t hdr;
    uint16_t csum = 0;

    if (!cur_has(&b->c, DECODE_ICMP_MIN))
        return decode_l4_short(d, DECODE_ANOM_ICMP_TRUNCATED,
                               wire_left >= DECODE_ICMP_MIN);
    (void)cur_get_u8(&b->c, &ic->type);
    (void)cur_get_u8(&b->c, &ic->code);
    (void)cur_get_be16(&b->c, &csum);
    if (v6)     /* unreachable, packet too big, time exceeded, parameter */
        ic->is_error = ic->type >= 1 && ic->type <= 4;
    else        /* unreachable, source quench, time exceeded, parameter */
        ic->is_error = ic->type == 3 || ic->type == 4 || ic->type == 11 ||
                       ic->type == 12;
    hdr = wire_left >= DECODE_ICMP_HDR ? DECODE_ICMP_HDR : DECODE_ICMP_MIN;
    if (!cur_skip(&b->c, hdr - DECODE_ICMP_MIN))
        (void)cur_skip(&b->c, cur_remaining(&b->c));
    if (ic->is_error) {
        struct decode_buf q;
        enum decode_l4_quote r;

        q.c = b->c;
        q.wire = b->wire;
        if (hdr < DECODE_ICMP_HDR)
            r = DECODE_QUOTE_BAD;
        else if (v6)
            r = decode_l4_quote_v6(&q, ic);
        else
            r = decode_l4_quote_v4(&q, ic);
        ic->has_quote = r == DECODE_QUOTE_OK;
        if (r == DECODE_QUOTE_BAD)
            decode_count(d, DECODE_ANOM_ICMP_BAD_QUOTE);
    }
    decode_l4_payload(d, b, wire_left - hdr);
    return DECODE_OK;
}

static enum decode_status decode_l4_icmp(struct decoder *d,
                                         struct decode_buf *b)
{
    return decode_l4_icmp_any(d, b, false);
}

static enum decode_status decode_l4_icmp6(struct decoder *d,
                                          struct decode_buf *b)
{
    return decode_l4_icmp_any(d, b, true);
}

/* --- everything else -------------------------------------------------- */

static enum decode_status decode_l4_other(struct decoder *d,
                                          struct decode_buf *b)
{
    decode_count(d, DECODE_ANOM_L4_UNSUPPORTED);
    decode_l4_payload(d, b, decode_buf_wire_left(b));
    return DECODE_OK;
}

/* GRE is a tunnel to open when it carries something we decode; otherwise
 * the carrying packet is a protocol-47 flow like any other. */
static enum decode_status decode_l4_gre(struct decoder *d,
                                        struct decode_buf *b)
{
    struct decode_buf whole = *b;
    enum decode_status st;
    bool opaque = false;

    st = decode_tunnel_gre(d, b, &opaque);
    if (!opaque)
        return st;
    decode_l4_payload(d, &whole, decode_buf_wire_left(&whole));
    return DECODE_OK;
}

static const decode_layer_fn decode_l4_table[256] = {
    [1] = decode_l4_icmp,
    [6] = decode_l4_tcp,
    [17] = decode_l4_udp,
    [47] = decode_l4_gre,
    [58] = decode_l4_icmp6,
};

enum decode_status decode_l4(struct decoder *d, struct decode_buf *b)
{
    decode_layer_fn fn = decode_l4_table[d->out->proto];

    if (!fn)
        fn = decode_l4_other;
    return fn(d, b);
}
