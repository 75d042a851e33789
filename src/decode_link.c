/* Link layers: the link-type table, Ethernet with 802.1Q/802.1ad stacks and
 * LLC/SNAP, PPPoE sessions, Linux cooked capture v1/v2 and BSD loopback.
 *
 * Specs: IEEE 802.3 and 802.1Q (tags 0x8100, 0x88a8, and the pre-standard
 * 0x9100 QinQ tag); RFC 1042 (SNAP); RFC 2516 (PPPoE); the LINKTYPE_*
 * definitions of the tcpdump group (https://www.tcpdump.org/linktypes.html)
 * for LINUX_SLL, LINUX_SLL2, NULL and LOOP.  Link-type numbers are the DLT_*
 * values libpcap reports; pcap.h is deliberately not included here. */
#include "config.h"

#include "decode.h"

#include <stddef.h>

#include "decode_internal.h"

/* DLT_* values (pcap/dlt.h).  DLT_RAW is 12 everywhere but OpenBSD;
 * LINKTYPE_RAW (101) is what a file says, which libpcap maps to DLT_RAW but
 * other readers may pass through unchanged. */
enum decode_link_dlt {
    DECODE_DLT_NULL = 0,
    DECODE_DLT_EN10MB = 1,
    DECODE_DLT_RAW = 12,
    DECODE_LINKTYPE_RAW = 101,
    DECODE_DLT_LOOP = 108,
    DECODE_DLT_LINUX_SLL = 113,
    DECODE_DLT_IPV4 = 228,
    DECODE_DLT_IPV6 = 229,
    DECODE_DLT_LINUX_SLL2 = 276,
};

enum decode_link_ethertype {
    DECODE_ETH_IPV4 = 0x0800,
    DECODE_ETH_8021Q = 0x8100,
    DECODE_ETH_IPV6 = 0x86dd,
    DECODE_ETH_PPPOE_SESSION = 0x8864,
    DECODE_ETH_8021AD = 0x88a8,
    DECODE_ETH_QINQ_OLD = 0x9100,
    /* Values up to 1500 are an 802.3 length (or, in cooked captures, a
     * LINUX_SLL_P_* pseudo-protocol), not a type. */
    DECODE_ETH_MAX_LENGTH = 1500,
};

/* The header sizes of the link layers. */
enum decode_link_sizes {
    DECODE_ETHER_HDR = 14,
    DECODE_VLAN_TAG = 4,
    DECODE_SNAP_HDR = 8,
    DECODE_PPPOE_HDR = 8,       /* 6 PPPoE + 2 PPP protocol */
    DECODE_SLL_HDR = 16,
    DECODE_SLL2_HDR = 20,
    DECODE_NULL_HDR = 4,
};

/* --- Ethernet and the types it carries -------------------------------- */

/* PPPoE session stage (RFC 2516 section 4):
 *   ver(4)=1 type(4)=1 | code(8)=0 | session id(16) | length(16)
 * then the PPP protocol field (RFC 1661): 0x0021 IPv4, 0x0057 IPv6. */
static enum decode_status decode_link_pppoe(struct decoder *d,
                                            struct decode_buf *b)
{
    uint8_t vertype = 0, code = 0;
    uint16_t session = 0, length = 0, proto = 0;

    if (!cur_get_u8(&b->c, &vertype) || !cur_get_u8(&b->c, &code) ||
        !cur_get_be16(&b->c, &session) || !cur_get_be16(&b->c, &length) ||
        !cur_get_be16(&b->c, &proto)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    (void)session;
    (void)length;
    if (vertype == 0x11 && code == 0) {
        if (proto == 0x0021)
            return decode_ip_v4(d, b);
        if (proto == 0x0057)
            return decode_ip_v6(d, b);
    }
    /* LCP, IPCP, PAP and the rest of PPP's control protocols. */
    decode_count(d, DECODE_ANOM_NON_IP);
    return DECODE_NOT_IP;
}

struct decode_ethertype_entry {
    uint16_t type;
    decode_layer_fn fn;
};

static const struct decode_ethertype_entry decode_ethertypes[] = {
    { DECODE_ETH_IPV4, decode_ip_v4 },
    { DECODE_ETH_IPV6, decode_ip_v6 },
    { DECODE_ETH_PPPOE_SESSION, decode_link_pppoe },
};

static bool decode_link_is_vlan(uint16_t type)
{
    return type == DECODE_ETH_8021Q || type == DECODE_ETH_8021AD ||
           type == DECODE_ETH_QINQ_OLD;
}

/* True, and *type set, when an 802.2 LLC header with a SNAP header of
 * organisation 00-00-00 (RFC 1042: an encapsulated Ethertype) follows. */
static bool decode_link_snap(struct decode_buf *b, uint16_t *type)
{
    static const uint8_t llc_snap[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };
    uint8_t v;
    size_t i;

    for (i = 0; i < sizeof(llc_snap); i++)
        if (!cur_peek_u8(&b->c, i, &v) || v != llc_snap[i])
            return false;
    if (!cur_peek_be16(&b->c, sizeof(llc_snap), type))
        return false;
    return cur_skip(&b->c, DECODE_SNAP_HDR);
}

/* Dispatches on an Ethertype, first walking any VLAN tags:
 *   TPID(16) already read as type | PCP(3) DEI(1) VID(12) | next type(16)
 * The innermost tag's VID is the one that names the frame's VLAN. */
static enum decode_status decode_link_ethertype(struct decoder *d,
                                                struct decode_buf *b,
                                                uint16_t type)
{
    unsigned depth = 0;
    bool snap_done = false;
    size_t i;

    for (;;) {
        if (decode_link_is_vlan(type)) {
            uint16_t tci = 0;

            if (++depth > DECODE_VLAN_MAX) {
                decode_count(d, DECODE_ANOM_VLAN_TOO_DEEP);
                return DECODE_UNSUPPORTED;
            }
            if (!cur_has(&b->c, DECODE_VLAN_TAG)) {
                decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
                return DECODE_TRUNCATED;
            }
            (void)cur_get_be16(&b->c, &tci);
            (void)cur_get_be16(&b->c, &type);
            d->out->vlan = tci & 0x0fff;
            continue;
        }
        if (type <= DECODE_ETH_MAX_LENGTH && !snap_done &&
            decode_link_snap(b, &type)) {
            snap_done = true;
            continue;
        }
        break;
    }
    for (i = 0; i < sizeof(decode_ethertypes) / sizeof(decode_ethertypes[0]);
         i++)
        if (decode_ethertypes[i].type == type)
            return decode_ethertypes[i].fn(d, b);
    /* ARP, LLDP, STP, EAPOL, PPPoE discovery ... */
    decode_count(d, DECODE_ANOM_NON_IP);
    return DECODE_NOT_IP;
}

/* Ethernet II (or 802.3): dst(48) src(48) type-or-length(16). */
enum decode_status decode_link_ether(struct decoder *d, struct decode_buf *b)
{
    uint16_t type;

    d->out->vlan = 0;
    if (!cur_skip(&b->c, 12) || !cur_get_be16(&b->c, &type)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    return decode_link_ethertype(d, b, type);
}

/* --- Linux cooked capture --------------------------------------------- */

/* LINUX_SLL: packet type(16) ARPHRD type(16) address length(16)
 *            address(64) protocol(16) */
static enum decode_status decode_link_sll(struct decoder *d,
                                          struct decode_buf *b)
{
    uint16_t proto;

    if (!cur_skip(&b->c, DECODE_SLL_HDR - 2) ||
        !cur_get_be16(&b->c, &proto)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    return decode_link_ethertype(d, b, proto);
}

/* LINUX_SLL2: protocol(16) reserved(16) interface index(32)
 *             ARPHRD type(16) packet type(8) address length(8)
 *             address(64) */
static enum decode_status decode_link_sll2(struct decoder *d,
                                           struct decode_buf *b)
{
    uint16_t proto;

    if (!cur_get_be16(&b->c, &proto) ||
        !cur_skip(&b->c, DECODE_SLL2_HDR - 2)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    return decode_link_ethertype(d, b, proto);
}

/* --- BSD loopback ----------------------------------------------------- */

/* The address family of NULL/LOOP: AF_INET is 2 everywhere; AF_INET6 is 24
 * (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly) or 30 (Darwin). */
static enum decode_status decode_link_family(struct decoder *d,
                                             struct decode_buf *b,
                                             uint32_t family)
{
    if (family == 2)
        return decode_ip_v4(d, b);
    if (family == 24 || family == 28 || family == 30)
        return decode_ip_v6(d, b);
    decode_count(d, DECODE_ANOM_NON_IP);
    return DECODE_NOT_IP;
}

/* NULL: a 4-byte family in the byte order of the machine that captured,
 * which the reader does not know; no family value exceeds 16 bits, so a
 * value that does is byte-swapped. */
static enum decode_status decode_link_null(struct decoder *d,
                                           struct decode_buf *b)
{
    uint32_t family = 0;

    if (!cur_get_le32(&b->c, &family)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    if (family > 0xffff)
        family = (family >> 24) | ((family >> 8) & 0xff00) |
                 ((family << 8) & 0xff0000) | (family << 24);
    return decode_link_family(d, b, family);
}

/* LOOP (OpenBSD): the same family, always in network byte order. */
static enum decode_status decode_link_loop(struct decoder *d,
                                           struct decode_buf *b)
{
    uint32_t family = 0;

    if (!cur_get_be32(&b->c, &family)) {
        decode_count(d, DECODE_ANOM_LINK_TRUNCATED);
        return DECODE_TRUNCATED;
    }
    return decode_link_family(d, b, family);
}

/* --- the table -------------------------------------------------------- */

struct decode_link_entry {
    int linktype;
    decode_layer_fn fn;
};

static const struct decode_link_entry decode_links[] = {
    { DECODE_DLT_NULL, decode_link_null },
    { DECODE_DLT_EN10MB, decode_link_ether },
    { DECODE_DLT_RAW, decode_ip_any },
    { DECODE_LINKTYPE_RAW, decode_ip_any },
    { DECODE_DLT_LOOP, decode_link_loop },
    { DECODE_DLT_LINUX_SLL, decode_link_sll },
    { DECODE_DLT_IPV4, decode_ip_v4 },
    { DECODE_DLT_IPV6, decode_ip_v6 },
    { DECODE_DLT_LINUX_SLL2, decode_link_sll2 },
};

decode_layer_fn decode_link_lookup(int linktype)
{
    size_t i;

    for (i = 0; i < sizeof(decode_links) / sizeof(decode_links[0]); i++)
        if (decode_links[i].linktype == linktype)
            return decode_links[i].fn;
    return NULL;
}
