/* Packet sources: capture files (pcap, pcapng) and live interfaces, read
 * through libpcap, and pcap files written through it (capture_writer).
 * This module is the only user of libpcap. */
#ifndef RINGSCOPE_CAPTURE_H
#define RINGSCOPE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

struct capture;

enum capture_status {
    CAPTURE_PACKET,     /* *pkt holds the next packet */
    CAPTURE_TIMEOUT,    /* live: no packet within the poll interval */
    CAPTURE_END,        /* end of file */
    CAPTURE_ERROR,      /* read error; capture_error() says why */
};

struct capture_stats {
    uint64_t received;      /* kernel's count, live only */
    uint64_t dropped;       /* dropped by the kernel for lack of buffer */
    uint64_t if_dropped;    /* dropped by the interface or driver */
};

/* Open a capture file; "-" is standard input (a pipe or FIFO is read as it
 * comes; capture_close closes it).  bpf may be NULL.  On failure returns
 * NULL and writes a message naming the file into err. */
struct capture *capture_open_file(const char *path, const char *bpf,
                                  char *err, size_t errlen);

/* Open a live interface with the given snaplen (0: 262144), in immediate
 * mode when asked (the TUI).  On failure returns NULL with a message that
 * tells a missing interface from missing permission. */
struct capture *capture_open_live(const char *iface, int snaplen,
                                  bool immediate, const char *bpf,
                                  char *err, size_t errlen);

/* Reads the next packet; pkt->data is borrowed until the next call. */
enum capture_status capture_next(struct capture *c, struct pkt *pkt);

int capture_linktype(const struct capture *c);
/* "EN10MB", "LINUX_SLL2", ... or "DLT_<n>" for unnamed types. */
const char *capture_linktype_name(const struct capture *c);
const char *capture_error(const struct capture *c);
bool capture_is_live(const struct capture *c);

/* Kernel statistics of a live capture; -1 for files. */
int capture_get_stats(struct capture *c, struct capture_stats *out);

/* Live (Linux): puts the capture's socket into AF_PACKET fanout group
 * `group` (PACKET_FANOUT_HASH with defragmentation), so that the sockets
 * of one group share the interface's packets, every flow going to one of
 * them.  Call it on every capture of the group right after opening it.
 * Returns 0, or -1 with a message in err (files, other systems). */
int capture_join_fanout(struct capture *c, uint16_t group, char *err,
                        size_t errlen);

/* Makes a blocked capture_next() return soon; safe from a signal
 * handler. */
void capture_breakloop(struct capture *c);

void capture_close(struct capture *c);

/* --- writing capture files (the evidence of a verdict) --------------- */

struct capture_writer;

/* Opens path for writing classic pcap with the given DLT_* link type and
 * microsecond timestamps.  append false creates or truncates the file;
 * append true adds to an existing pcap file (creating it when missing),
 * which fails when that file's link type differs.  On failure returns
 * NULL with a message naming the file in err. */
struct capture_writer *capture_writer_open(const char *path, int linktype,
                                           bool append, char *err,
                                           size_t errlen);

/* Writes one frame with its timestamp and original length; the data is
 * copied.  Returns 0, or -1 with capture_writer_error() set. */
int capture_writer_write(struct capture_writer *w, const struct pkt *pkt);

const char *capture_writer_error(const struct capture_writer *w);

/* Flushes and closes the file; returns -1 (after filling err) when the
 * data could not be written out.  Accepts NULL. */
int capture_writer_close(struct capture_writer *w, char *err, size_t errlen);

#endif
