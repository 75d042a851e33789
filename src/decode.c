/* Packet decoder entry point: lifecycle, counters and per-frame setup. */
#include "config.h"

#include "decode.h"

#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

/* Indexed by enum decode_anomaly.  These names are stored in databases and
 * reports: never rename one, only add. */
static const char *const decode_anomaly_names[DECODE_ANOM_COUNT] = {
    [DECODE_ANOM_LINK_TRUNCATED] = "link_truncated",
    [DECODE_ANOM_LINK_UNSUPPORTED] = "link_unsupported",
    [DECODE_ANOM_VLAN_TOO_DEEP] = "vlan_too_deep",
    [DECODE_ANOM_TUNNEL_TRUNCATED] = "tunnel_truncated",
    [DECODE_ANOM_TUNNEL_UNSUPPORTED] = "tunnel_unsupported",
    [DECODE_ANOM_TUNNEL_TOO_DEEP] = "tunnel_too_deep",
    [DECODE_ANOM_NON_IP] = "non_ip",
    [DECODE_ANOM_IPV4_TRUNCATED] = "ipv4_truncated",
    [DECODE_ANOM_IPV4_BAD_HEADER] = "ipv4_bad_header",
    [DECODE_ANOM_IPV4_BAD_LENGTH] = "ipv4_bad_length",
    [DECODE_ANOM_IPV4_BAD_OPTIONS] = "ipv4_bad_options",
    [DECODE_ANOM_IPV6_TRUNCATED] = "ipv6_truncated",
    [DECODE_ANOM_IPV6_BAD_HEADER] = "ipv6_bad_header",
    [DECODE_ANOM_IPV6_BAD_LENGTH] = "ipv6_bad_length",
    [DECODE_ANOM_IPV6_BAD_EXT] = "ipv6_bad_ext",
    [DECODE_ANOM_IPV6_TOO_MANY_EXT] = "ipv6_too_many_ext",
    [DECODE_ANOM_FRAG_HELD] = "frag_held",
    [DECODE_ANOM_FRAG_REASSEMBLED] = "frag_reassembled",
    [DECODE_ANOM_FRAG_OVERLAP] = "frag_overlap",
    [DECODE_ANOM_FRAG_TOO_BIG] = "frag_too_big",
    [DECODE_ANOM_FRAG_TIMEOUT] = "frag_timeout",
    [DECODE_ANOM_FRAG_LIMIT] = "frag_limit",
    [DECODE_ANOM_TCP_TRUNCATED] = "tcp_truncated",
    [DECODE_ANOM_TCP_BAD_OFFSET] = "tcp_bad_offset",
    [DECODE_ANOM_TCP_BAD_OPTIONS] = "tcp_bad_options",
    [DECODE_ANOM_UDP_TRUNCATED] = "udp_truncated",
    [DECODE_ANOM_UDP_BAD_LENGTH] = "udp_bad_length",
    [DECODE_ANOM_ICMP_TRUNCATED] = "icmp_truncated",
    [DECODE_ANOM_ICMP_BAD_QUOTE] = "icmp_bad_quote",
    [DECODE_ANOM_L4_UNSUPPORTED] = "l4_unsupported",
    [DECODE_ANOM_PAYLOAD_TRUNCATED] = "payload_truncated",
};

const char *decode_anomaly_name(enum decode_anomaly a)
{
    if ((unsigned)a >= DECODE_ANOM_COUNT || !decode_anomaly_names[a])
        return "unknown";
    return decode_anomaly_names[a];
}

void decoder_config_defaults(struct decoder_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->frag_max_datagrams = 1024;
    cfg->frag_max_bytes = 16u * 1024 * 1024;
    cfg->frag_timeout_us = 30 * 1000000LL;
}

struct decoder *decoder_new(const struct decoder_config *cfg)
{
    struct decoder *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->cfg = *cfg;
    d->link_type = -1;
    d->frag = decode_frag_new(cfg);
    if (!d->frag) {
        free(d);
        return NULL;
    }
    return d;
}

/* Frees the reassembled datagrams handed out by the previous call. */
static void decoder_release_done(struct decoder *d)
{
    unsigned i;

    for (i = 0; i < d->n_done; i++) {
        free(d->done[i]);
        d->done[i] = NULL;
    }
    d->n_done = 0;
}

void decoder_free(struct decoder *d)
{
    if (!d)
        return;
    decoder_release_done(d);
    decode_frag_free(d->frag);
    free(d);
}

/* The last reassembled payload stays valid until the next decode_packet()
 * call, as promised; only partial datagrams go. */
void decoder_reset(struct decoder *d)
{
    decode_frag_clear(d->frag);
}

void decoder_get_stats(const struct decoder *d, struct decode_stats *out)
{
    *out = d->stats;
}

bool decode_linktype_supported(int linktype)
{
    return decode_link_lookup(linktype) != NULL;
}

enum decode_status decode_packet(struct decoder *d, const struct pkt *pkt,
                                 struct decoded *out)
{
    static const struct decoded zero;
    struct decode_buf b;

    /* The same full reset as memset(), but compilers copy a constant with
     * wide moves where they clear with a slow "rep stos": this was a
     * quarter of the time of a TCP packet. */
    *out = zero;
    out->frame_count = 1;
    out->frame_bytes = pkt->wirelen;
    out->tcp.wscale = -1;

    decoder_release_done(d);
    d->pkt = pkt;
    d->out = out;
    decode_frag_expire(d, pkt->ts_us);

    if (pkt->linktype != d->link_type) {
        d->link_type = pkt->linktype;
        d->link_fn = decode_link_lookup(pkt->linktype);
    }
    if (!d->link_fn) {
        decode_count(d, DECODE_ANOM_LINK_UNSUPPORTED);
        return DECODE_UNSUPPORTED;
    }
    decode_buf_init(&b, pkt->data, pkt->caplen, pkt->wirelen);
    return d->link_fn(d, &b);
}
