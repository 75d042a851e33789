/* Packet sources through libpcap: capture files and live interfaces.
 * This is the only file that includes pcap.h. */
#include "config.h"

#include "capture.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include <pcap/pcap.h>

#include "xalloc.h"

/* Live reads wake up this often (ms) so a stop request and the periodic
 * flushes are seen even on a silent interface. */
#define CAPTURE_LIVE_TIMEOUT_MS 100

#define CAPTURE_DEFAULT_SNAPLEN 262144

struct capture {
    pcap_t *pcap;
    bool live;
    int fd;                     /* live: descriptor to poll */
    int linktype;
    char linktype_name[32];
    char error[PCAP_ERRBUF_SIZE + 256];
};

static void capture_set_linktype(struct capture *c)
{
    const char *name;

    c->linktype = pcap_datalink(c->pcap);
    name = pcap_datalink_val_to_name(c->linktype);
    if (name)
        snprintf(c->linktype_name, sizeof(c->linktype_name), "%s", name);
    else
        snprintf(c->linktype_name, sizeof(c->linktype_name), "DLT_%d",
                 c->linktype);
}

static int capture_apply_filter(struct capture *c, const char *what,
                                const char *bpf, char *err, size_t errlen)
{
    struct bpf_program prog;
    int ret = -1;

    if (!bpf || !*bpf)
        return 0;
    if (pcap_compile(c->pcap, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "invalid filter '%s': %s", bpf,
                 pcap_geterr(c->pcap));
        return -1;
    }
    if (pcap_setfilter(c->pcap, &prog) != 0) {
        snprintf(err, errlen, "cannot set filter on '%s': %s", what,
                 pcap_geterr(c->pcap));
        goto out;
    }
    ret = 0;
out:
    pcap_freecode(&prog);
    return ret;
}

struct capture *capture_open_file(const char *path, const char *bpf,
                                  char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    struct capture *c = xcalloc(1, sizeof(*c));
    FILE *fp;

    /* Open the file ourselves first so the message for a missing or
     * unreadable file is the system's, not libpcap's paraphrase. */
    fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        goto fail;
    }
    c->pcap = pcap_fopen_offline_with_tstamp_precision(
        fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (!c->pcap) {
        fclose(fp);
        snprintf(err, errlen, "cannot read '%s': %s", path,
                 *ebuf ? ebuf : "not a pcap or pcapng file");
        goto fail;
    }
    capture_set_linktype(c);
    if (capture_apply_filter(c, path, bpf, err, errlen) != 0)
        goto fail;
    return c;
fail:
    capture_close(c);
    return NULL;
}

struct capture *capture_open_live(const char *iface, int snaplen,
                                  bool immediate, const char *bpf,
                                  char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    struct capture *c = xcalloc(1, sizeof(*c));
    int rc;

    c->live = true;
    c->pcap = pcap_create(iface, ebuf);
    if (!c->pcap) {
        snprintf(err, errlen, "cannot open interface '%s': %s", iface, ebuf);
        goto fail;
    }
    pcap_set_snaplen(c->pcap, snaplen > 0 ? snaplen : CAPTURE_DEFAULT_SNAPLEN);
    pcap_set_promisc(c->pcap, 1);
    pcap_set_timeout(c->pcap, CAPTURE_LIVE_TIMEOUT_MS);
    pcap_set_buffer_size(c->pcap, 32 * 1024 * 1024);
    pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_MICRO);
    if (immediate)
        pcap_set_immediate_mode(c->pcap, 1);
    rc = pcap_activate(c->pcap);
    if (rc < 0) {
        const char *why = pcap_geterr(c->pcap);

        switch (rc) {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            snprintf(err, errlen, "cannot open interface '%s': no such "
                     "interface", iface);
            break;
        case PCAP_ERROR_PERM_DENIED:
            snprintf(err, errlen, "cannot open interface '%s': permission "
                     "denied (run as root or grant CAP_NET_RAW)", iface);
            break;
        case PCAP_ERROR_IFACE_NOT_UP:
            snprintf(err, errlen, "cannot open interface '%s': interface is "
                     "down", iface);
            break;
        default:
            snprintf(err, errlen, "cannot open interface '%s': %s", iface,
                     why && *why ? why : pcap_statustostr(rc));
            break;
        }
        goto fail;
    }
    if (rc > 0 && rc != PCAP_WARNING_PROMISC_NOTSUP)
        fprintf(stderr, "ringscope: warning: interface '%s': %s\n", iface,
                pcap_statustostr(rc));
    capture_set_linktype(c);
    if (capture_apply_filter(c, iface, bpf, err, errlen) != 0)
        goto fail;
    /* With TPACKET_V3 a blocking read can wait forever on a quiet
     * interface (the read timeout only runs once a block holds a packet),
     * so live reads are non-blocking and capture_next() polls the
     * descriptor with its own timeout. */
    c->fd = pcap_get_selectable_fd(c->pcap);
    if (c->fd < 0 || pcap_setnonblock(c->pcap, 1, ebuf) != 0) {
        snprintf(err, errlen, "cannot poll interface '%s'%s%s", iface,
                 *ebuf ? ": " : "", ebuf);
        goto fail;
    }
    return c;
fail:
    capture_close(c);
    return NULL;
}

enum capture_status capture_next(struct capture *c, struct pkt *pkt)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc = pcap_next_ex(c->pcap, &hdr, &data);

    if (rc == 0 && c->live) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };

        /* Nothing buffered: wait for the descriptor, but never longer
         * than the poll interval, and give up at once on a signal so a
         * stop request is seen. */
        if (poll(&pfd, 1, CAPTURE_LIVE_TIMEOUT_MS) <= 0)
            return CAPTURE_TIMEOUT;
        rc = pcap_next_ex(c->pcap, &hdr, &data);
    }
    switch (rc) {
    case 1:
        pkt->data = data;
        pkt->caplen = hdr->caplen;
        pkt->wirelen = hdr->len < hdr->caplen ? hdr->caplen : hdr->len;
        pkt->ts_us = (int64_t)hdr->ts.tv_sec * 1000000 + hdr->ts.tv_usec;
        pkt->linktype = c->linktype;
        return CAPTURE_PACKET;
    case 0:
        return CAPTURE_TIMEOUT;
    case PCAP_ERROR_BREAK:
        /* A file reports the end this way; a live capture was asked to
         * stop. */
        return CAPTURE_END;
    default:
        snprintf(c->error, sizeof(c->error), "%s", pcap_geterr(c->pcap));
        return CAPTURE_ERROR;
    }
}

int capture_linktype(const struct capture *c)
{
    return c->linktype;
}

const char *capture_linktype_name(const struct capture *c)
{
    return c->linktype_name;
}

const char *capture_error(const struct capture *c)
{
    return c->error;
}

bool capture_is_live(const struct capture *c)
{
    return c->live;
}

int capture_get_stats(struct capture *c, struct capture_stats *out)
{
    struct pcap_stat st;

    memset(out, 0, sizeof(*out));
    if (!c->live || pcap_stats(c->pcap, &st) != 0)
        return -1;
    out->received = st.ps_recv;
    out->dropped = st.ps_drop;
    out->if_dropped = st.ps_ifdrop;
    return 0;
}

int capture_join_fanout(struct capture *c, uint16_t group, char *err,
                        size_t errlen)
{
#ifdef PACKET_FANOUT
    /* Hash by flow (symmetric for TCP and UDP in the kernel), with IP
     * fragments reassembled before hashing so a datagram's fragments
     * reach one socket. */
    int arg = (int)((uint32_t)group |
                    ((uint32_t)(PACKET_FANOUT_HASH |
                                PACKET_FANOUT_FLAG_DEFRAG) << 16));

    if (!c->live || c->fd < 0) {
        snprintf(err, errlen, "packet fanout needs a live capture");
        return -1;
    }
    if (setsockopt(c->fd, SOL_PACKET, PACKET_FANOUT, &arg,
                   sizeof(arg)) != 0) {
        snprintf(err, errlen, "cannot join packet fanout group %u: %s",
                 (unsigned)group, strerror(errno));
        return -1;
    }
    return 0;
#else
    (void)c;
    (void)group;
    snprintf(err, errlen, "packet fanout is not supported on this system");
    return -1;
#endif
}

void capture_breakloop(struct capture *c)
{
    pcap_breakloop(c->pcap);
}

void capture_close(struct capture *c)
{
    if (!c)
        return;
    if (c->pcap)
        pcap_close(c->pcap);
    free(c);
}
