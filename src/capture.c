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
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include <pcap/pcap.h>

#include "xalloc.h"

/* Live reads wake up this often (ms) so a stop request and the periodic
 * flushes are seen even on a silent interface. */
#define CAPTURE_LIVE_TIMEOUT_MS 100

#define CAPTURE_DEFAULT_SNAPLEN 262144

/* Classic pcap, microsecond timestamps, in this host's byte order. */
#define CAPTURE_PCAP_MAGIC 0xa1b2c3d4u
#define CAPTURE_PCAP_RECORD_HDR 16
#define CAPTURE_FAST_CHUNK (256 * 1024)

/* The fast file reader (see capture_fast_next()): a window of the file. */
struct capture_fast {
    int fd;                     /* borrowed from the FILE libpcap reads */
    FILE *fp;
    uint8_t *buf;
    size_t cap;
    size_t len;                 /* bytes of the file held in buf */
    size_t pos;                 /* next record in buf */
    off_t buf_off;              /* file offset of buf[0] */
    uint32_t snaplen;
};

struct capture {
    pcap_t *pcap;
    bool live;
    bool fast;                  /* records come from capture_fast_next() */
    int fd;                     /* live: descriptor to poll */
    int linktype;
    char linktype_name[32];
    char error[PCAP_ERRBUF_SIZE + 256];
    struct capture_fast rd;
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

/* --- the fast file reader ---------------------------------------------
 *
 * pcap_next_ex() on a file costs two buffered fread()s per record, each
 * taking the stream's lock: more than the whole decoder.  For the common
 * case, a classic pcap file in this host's byte order with microsecond
 * timestamps, read without a filter, the records are taken straight from a
 * large read() window instead.  Anything that libpcap would treat
 * specially (a record longer than the snapshot length, a cut record, a
 * read error) hands the rest of the file back to libpcap at that record,
 * so messages and edge cases stay libpcap's own. */

static void capture_fast_setup(struct capture *c, FILE *fp, const char *bpf)
{
    struct stat st;
    uint32_t magic;
    long off;
    int fd = fileno(fp);
    int dlt = c->linktype;

    if ((bpf && *bpf) || fd < 0 || fstat(fd, &st) != 0 ||
        !S_ISREG(st.st_mode) || pcap_is_swapped(c->pcap) ||
        pcap_major_version(c->pcap) != 2 ||
        pread(fd, &magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
        magic != CAPTURE_PCAP_MAGIC)
        return;
    /* libpcap rewrites the headers of these link types in place. */
    if (dlt == DLT_USB_LINUX || dlt == DLT_USB_LINUX_MMAPPED)
        return;
    off = ftell(fp);
    if (off < 0 || pcap_snapshot(c->pcap) <= 0)
        return;
    c->rd.fd = fd;
    c->rd.fp = fp;
    c->rd.buf_off = (off_t)off;
    c->rd.snaplen = (uint32_t)pcap_snapshot(c->pcap);
    c->fast = true;
}

/* Gives the rest of the file, from the record at buf[pos], to libpcap. */
static void capture_fast_stop(struct capture *c)
{
    struct capture_fast *r = &c->rd;

    c->fast = false;
    if (fseeko(r->fp, r->buf_off + (off_t)r->pos, SEEK_SET) != 0)
        snprintf(c->error, sizeof(c->error), "%s", strerror(errno));
    free(r->buf);
    r->buf = NULL;
    r->cap = r->len = r->pos = 0;
}

/* Makes at least need bytes from buf[pos] available; false at the end of
 * the file or on a read error (both left to libpcap). */
static bool capture_fast_fill(struct capture_fast *r, size_t need)
{
    if (r->len - r->pos >= need)
        return true;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->buf_off += (off_t)r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (need + CAPTURE_FAST_CHUNK > r->cap) {
        size_t cap = need + CAPTURE_FAST_CHUNK;
        uint8_t *nb = realloc(r->buf, cap);

        if (!nb)
            return false;
        r->buf = nb;
        r->cap = cap;
    }
    while (r->len < need) {
        ssize_t n = pread(r->fd, r->buf + r->len, r->cap - r->len,
                          r->buf_off + (off_t)r->len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        r->len += (size_t)n;
    }
    return true;
}

/* 1 with a packet, 0 when libpcap takes over from here. */
static int capture_fast_next(struct capture *c, struct pkt *pkt)
{
    struct capture_fast *r = &c->rd;
    uint32_t h[4];      /* seconds, microseconds, captured, original */
    const uint8_t *rec;

    if (!capture_fast_fill(r, CAPTURE_PCAP_RECORD_HDR))
        return 0;
    memcpy(h, r->buf + r->pos, sizeof(h));
    if (h[2] > r->snaplen || h[3] < h[2] ||
        !capture_fast_fill(r, CAPTURE_PCAP_RECORD_HDR + (size_t)h[2]))
        return 0;
    rec = r->buf + r->pos;
    r->pos += CAPTURE_PCAP_RECORD_HDR + (size_t)h[2];
    pkt->data = rec + CAPTURE_PCAP_RECORD_HDR;
    pkt->caplen = h[2];
    pkt->wirelen = h[3] < h[2] ? h[2] : h[3];
    pkt->ts_us = (int64_t)h[0] * 1000000 + h[1];
    pkt->linktype = c->linktype;
    return 1;
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
     * unreadable file is the system's, not libpcap's paraphrase.  "-" is
     * standard input, as in tcpdump: a pipe or FIFO is read as it comes
     * and reaches its end when the writer closes it. */
    if (strcmp(path, "-") == 0)
        fp = stdin;
    else
        fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        goto fail;
    }
    c->pcap = pcap_fopen_offline_with_tstamp_precision(
        fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (!c->pcap) {
        if (fp != stdin)
            fclose(fp);
        snprintf(err, errlen, "cannot read '%s': %s", path,
                 *ebuf ? ebuf : "not a pcap or pcapng file");
        goto fail;
    }
    capture_set_linktype(c);
    if (capture_apply_filter(c, path, bpf, err, errlen) != 0)
        goto fail;
    capture_fast_setup(c, fp, bpf);
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
    int rc;

    if (c->fast) {
        if (capture_fast_next(c, pkt))
            return CAPTURE_PACKET;
        capture_fast_stop(c);
        if (c->error[0])
            return CAPTURE_ERROR;
    }
    rc = pcap_next_ex(c->pcap, &hdr, &data);

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
    free(c->rd.buf);
    if (c->pcap)
        pcap_close(c->pcap);
    free(c);
}

/* --- writing ------------------------------------------------------------ */

struct capture_writer {
    pcap_t *dead;               /* carries link type and precision */
    pcap_dumper_t *dumper;
    char path[512];
    char error[PCAP_ERRBUF_SIZE + 600];
};

struct capture_writer *capture_writer_open(const char *path, int linktype,
                                           bool append, char *err,
                                           size_t errlen)
{
    struct capture_writer *w = xcalloc(1, sizeof(*w));

    snprintf(w->path, sizeof(w->path), "%s", path);
    w->dead = pcap_open_dead_with_tstamp_precision(
        linktype, CAPTURE_DEFAULT_SNAPLEN, PCAP_TSTAMP_PRECISION_MICRO);
    if (!w->dead) {
        snprintf(err, errlen, "cannot write '%s': out of memory", path);
        goto fail;
    }
    /* pcap_dump_open_append() checks that an existing file has the same
     * link type and precision, and writes a header to a new one. */
    w->dumper = append ? pcap_dump_open_append(w->dead, path)
                       : pcap_dump_open(w->dead, path);
    if (!w->dumper) {
        snprintf(err, errlen, "cannot write '%s': %s", path,
                 pcap_geterr(w->dead));
        goto fail;
    }
    return w;
fail:
    if (w->dead)
        pcap_close(w->dead);
    free(w);
    return NULL;
}

int capture_writer_write(struct capture_writer *w, const struct pkt *pkt)
{
    struct pcap_pkthdr hdr;

    memset(&hdr, 0, sizeof(hdr));
    hdr.ts.tv_sec = (time_t)(pkt->ts_us / 1000000);
    hdr.ts.tv_usec = (suseconds_t)(pkt->ts_us % 1000000);
    if (hdr.ts.tv_usec < 0) {
        hdr.ts.tv_sec -= 1;
        hdr.ts.tv_usec += 1000000;
    }
    hdr.caplen = pkt->caplen;
    hdr.len = pkt->wirelen;
    pcap_dump((u_char *)w->dumper, &hdr, pkt->data);
    if (ferror(pcap_dump_file(w->dumper))) {
        snprintf(w->error, sizeof(w->error), "cannot write '%s': %s",
                 w->path, strerror(errno));
        return -1;
    }
    return 0;
}

const char *capture_writer_error(const struct capture_writer *w)
{
    return w->error;
}

int capture_writer_close(struct capture_writer *w, char *err, size_t errlen)
{
    int ret = 0;

    if (!w)
        return 0;
    if (pcap_dump_flush(w->dumper) != 0 ||
        ferror(pcap_dump_file(w->dumper))) {
        snprintf(err, errlen, "cannot write '%s': %s", w->path,
                 strerror(errno));
        ret = -1;
    }
    pcap_dump_close(w->dumper);
    pcap_close(w->dead);
    free(w);
    return ret;
}
