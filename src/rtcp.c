/* RTCP compound packet parsing and round-trip time.  Spec: RFC 3550
 * sections 6.4-6.7 and appendix A.2; RFC 5506; RFC 5761 section 4. */
#include "config.h"

#include "rtcp.h"

#include <string.h>

#include "cursor.h"

#define RTCP_HEADER_LEN 4
#define RTCP_REPORT_BLOCK_LEN 24
#define RTCP_SENDER_INFO_LEN 20
#define RTCP_SDES_END 0
#define RTCP_SDES_CNAME 1

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * length: the packet's size in 32-bit words minus one, header included.
 */
struct rtcp_hdr {
    bool padding;
    uint8_t count;              /* RC, SC or subtype */
    uint8_t type;
    size_t len;                 /* whole packet, bytes */
};

bool rtcp_looks_like(const uint8_t *data, size_t len)
{
    struct cursor c;
    uint8_t b0, pt;
    uint16_t words;

    cur_init(&c, data, len);
    if (!cur_get_u8(&c, &b0) || !cur_get_u8(&c, &pt) ||
        !cur_get_be16(&c, &words))
        return false;
    return (b0 >> 6) == 2 && pt >= RTCP_SR && pt <= RTCP_XR &&
           ((size_t)words + 1) * 4 <= len;
}

/* Reads a packet header and checks what A.2 checks per packet. */
static enum rtcp_status rtcp_read_hdr(struct cursor *c, struct rtcp_hdr *h)
{
    uint8_t b0;
    uint16_t words;

    if (!cur_get_u8(c, &b0) || !cur_get_u8(c, &h->type) ||
        !cur_get_be16(c, &words))
        return RTCP_TRUNCATED;
    if ((b0 >> 6) != 2)
        return RTCP_MALFORMED;
    /* RFC 5761 section 4: RTCP packet types live in 192-223. */
    if (h->type < 192 || h->type > 223)
        return RTCP_MALFORMED;
    h->padding = (b0 & 0x20) != 0;
    h->count = b0 & 0x1f;
    h->len = ((size_t)words + 1) * 4;
    return RTCP_OK;
}

static bool rtcp_read_block(struct cursor *c, uint32_t reporter,
                            struct rtcp_report_block *b)
{
    uint32_t lost24;

    b->reporter_ssrc = reporter;
    if (!cur_get_be32(c, &b->ssrc) || !cur_get_u8(c, &b->fraction_lost) ||
        !cur_get_be24(c, &lost24) || !cur_get_be32(c, &b->ext_highest_seq) ||
        !cur_get_be32(c, &b->jitter) || !cur_get_be32(c, &b->lsr) ||
        !cur_get_be32(c, &b->dlsr))
        return false;
    /* Cumulative lost is a signed 24-bit count (RFC 3550 6.4.1). */
    b->cumulative_lost = (lost24 & 0x800000u) ?
                         (int32_t)lost24 - 0x1000000 : (int32_t)lost24;
    return true;
}

/* SR and RR: sender SSRC, the SR's sender information, then RC report
 * blocks; profile extensions may follow and are skipped. */
static enum rtcp_status rtcp_parse_report(struct cursor *body,
                                          const struct rtcp_hdr *h,
                                          struct rtcp_compound *out)
{
    struct rtcp_sender_info si;
    struct rtcp_report_block block;
    uint32_t ssrc;
    unsigned i;

    if (!cur_get_be32(body, &ssrc))
        return RTCP_MALFORMED;
    if (h->type == RTCP_SR) {
        si.ssrc = ssrc;
        if (!cur_get_be32(body, &si.ntp_sec) ||
            !cur_get_be32(body, &si.ntp_frac) ||
            !cur_get_be32(body, &si.rtp_ts) ||
            !cur_get_be32(body, &si.packet_count) ||
            !cur_get_be32(body, &si.octet_count))
            return RTCP_MALFORMED;
        if (!out->has_sr) {
            out->has_sr = true;
            out->sr = si;
        }
    } else {
        if (out->rr_packets == 0)
            out->rr_ssrc = ssrc;
        out->rr_packets++;
    }
    /* RC blocks must fit in the length; what follows them is a profile
     * extension (RFC 3550 6.4.1), skipped. */
    for (i = 0; i < h->count; i++) {
        if (!rtcp_read_block(body, ssrc, &block))
            return RTCP_MALFORMED;
        if (out->block_count < RTCP_MAX_REPORT_BLOCKS)
            out->blocks[out->block_count++] = block;
        else
            out->blocks_dropped++;
    }
    return RTCP_OK;
}

/* Copies an SDES text, replacing control characters so the result is a
 * safe C string. */
static void rtcp_copy_text(char *dst, const uint8_t *src, size_t n)
{
    size_t i;

    for (i = 0; i < n && i < RTCP_CNAME_MAX - 1; i++)
        dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? '?' : (char)src[i];
    dst[i] = '\0';
}

/* SDES: SC chunks, each an SSRC and items (type, length, text) ended by a
 * null octet and padded to the next 32-bit boundary (RFC 3550 6.5). */
static enum rtcp_status rtcp_parse_sdes(struct cursor *body,
                                        const struct rtcp_hdr *h,
                                        struct rtcp_compound *out)
{
    unsigned chunk;

    for (chunk = 0; chunk < h->count; chunk++) {
        uint32_t ssrc;
        uint8_t type, len;
        uint8_t text[UINT8_MAX];
        size_t pad;

        if (!cur_get_be32(body, &ssrc))
            return RTCP_MALFORMED;
        for (;;) {
            if (!cur_get_u8(body, &type))
                return RTCP_MALFORMED;
            if (type == RTCP_SDES_END)
                break;
            if (!cur_get_u8(body, &len) || !cur_get_bytes(body, text, len))
                return RTCP_MALFORMED;
            if (type == RTCP_SDES_CNAME && !out->has_cname) {
                out->has_cname = true;
                out->cname_ssrc = ssrc;
                rtcp_copy_text(out->cname, text, len);
            }
        }
        /* body starts on a 32-bit boundary (after the 4-byte header), so
         * its offset tells the padding the chunk needs. */
        pad = (4 - (body->off + RTCP_HEADER_LEN) % 4) % 4;
        if (!cur_skip(body, pad))
            return RTCP_MALFORMED;
    }
    return RTCP_OK;
}

/* BYE: SC SSRCs, then an optional reason. */
static enum rtcp_status rtcp_parse_bye(struct cursor *body,
                                       const struct rtcp_hdr *h,
                                       struct rtcp_compound *out)
{
    unsigned i;

    for (i = 0; i < h->count; i++) {
        uint32_t ssrc;

        if (!cur_get_be32(body, &ssrc))
            return RTCP_MALFORMED;
        if (out->bye_packets == 0 && i == 0)
            out->bye_ssrc = ssrc;
    }
    out->bye_packets++;
    out->bye_ssrc_count += h->count;
    return RTCP_OK;
}

enum rtcp_status rtcp_parse(const uint8_t *data, size_t caplen,
                            size_t wirelen, struct rtcp_compound *out)
{
    struct cursor c;
    enum rtcp_status st = RTCP_OK;

    memset(out, 0, sizeof(*out));
    if (wirelen < caplen)
        wirelen = caplen;
    cur_init(&c, data, caplen);

    while (cur_remaining(&c) > 0) {
        struct rtcp_hdr h;
        struct cursor peek = c, pkt, body;
        uint8_t pad = 0;

        st = rtcp_read_hdr(&peek, &h);
        if (st != RTCP_OK)
            goto out;
        if (!cur_sub(&c, h.len, &pkt)) {
            st = RTCP_TRUNCATED;
            goto out;
        }
        if (h.padding) {
            /* A.2: only the last packet of a compound may be padded; the
             * count is its last octet and cannot eat the header. */
            if (cur_remaining(&c) > 0 ||
                !cur_peek_u8(&pkt, h.len - 1, &pad) || pad == 0 ||
                pad > h.len - RTCP_HEADER_LEN) {
                st = RTCP_MALFORMED;
                goto out;
            }
        }
        cur_init(&body, pkt.base + RTCP_HEADER_LEN,
                 h.len - RTCP_HEADER_LEN - pad);

        if (out->packets == 0 && h.type != RTCP_SR && h.type != RTCP_RR)
            out->reduced_size = true;

        switch (h.type) {
        case RTCP_SR:
        case RTCP_RR:
            st = rtcp_parse_report(&body, &h, out);
            break;
        case RTCP_SDES:
            st = rtcp_parse_sdes(&body, &h, out);
            break;
        case RTCP_BYE:
            st = rtcp_parse_bye(&body, &h, out);
            break;
        default:
            /* APP, RTPFB, PSFB, XR and the rest: length checked, content
             * not needed. */
            out->skipped++;
            break;
        }
        if (st != RTCP_OK)
            goto out;
        out->packets++;
    }
    /* Everything captured parsed; anything the snaplen cut is missing. */
    if (caplen < wirelen)
        st = RTCP_TRUNCATED;
out:
    return st;
}

const char *rtcp_status_name(enum rtcp_status st)
{
    switch (st) {
    case RTCP_OK:
        return "ok";
    case RTCP_TRUNCATED:
        return "truncated";
    case RTCP_MALFORMED:
        return "malformed";
    }
    return "unknown";
}

/* ------------------------------------------------------------------ */
/* Round-trip time                                                     */
/* ------------------------------------------------------------------ */

uint32_t rtcp_ntp_middle32(uint32_t ntp_sec, uint32_t ntp_frac)
{
    return (ntp_sec & 0xffffu) << 16 | ntp_frac >> 16;
}

uint32_t rtcp_ntp_middle32_from_us(int64_t unix_us)
{
    int64_t sec = unix_us / 1000000;
    int64_t usec = unix_us % 1000000;
    uint32_t frac;

    if (usec < 0) {
        usec += 1000000;
        sec--;
    }
    /* The NTP seconds wrap in 2036 (era 1); only the low 16 bits are
     * used, so the modulo-2^32 value is right in every era. */
    frac = (uint32_t)(((uint64_t)usec << 32) / 1000000);
    return rtcp_ntp_middle32((uint32_t)(sec + RTCP_NTP_UNIX_OFFSET), frac);
}

/* 1/65536 s to microseconds, rounded to nearest. */
static int64_t rtcp_units_to_us(int64_t units)
{
    return (units * 1000000 + 32768) / 65536;
}

int64_t rtcp_rtt_us(uint32_t arrival_mid32, uint32_t lsr, uint32_t dlsr)
{
    int32_t rtt;

    if (lsr == 0)
        return -1;
    rtt = (int32_t)(arrival_mid32 - lsr - dlsr);
    if (rtt < 0)
        return -1;
    return rtcp_units_to_us(rtt);
}

int64_t rtcp_rtt_passive_us(int64_t sr_seen_us, int64_t rr_seen_us,
                            uint32_t dlsr)
{
    int64_t rtt = rr_seen_us - sr_seen_us - rtcp_units_to_us(dlsr);

    return rtt < 0 ? -1 : rtt;
}
