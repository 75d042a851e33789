/* The reading side of the threaded pipeline (--workers 2 or more): one
 * thread per capture reads packets, copies them into batches and decodes
 * them there, and the analysis thread takes the decoded packets back in
 * order.
 *
 * With one capture the packets come out exactly in the capture's order
 * and each capture's decoder sees the same packets in the same order as
 * in a single-threaded run, so decoding (fragment reassembly included)
 * gives the same results.  With several captures (the sockets of one
 * fanout group) each capture's packets keep their order and the batches
 * of different captures come out in the order they were filled. */
#ifndef RINGSCOPE_PKT_FEED_H
#define RINGSCOPE_PKT_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "decode.h"
#include "packet.h"

/* Packets per batch.  A batch is handed over once it is full, or for a
 * live capture once its oldest packet waited PKT_FEED_LIVE_WAIT_MS or
 * the interface fell silent, so a quiet link still sees its packets
 * analysed promptly. */
#define PKT_FEED_BATCH_PACKETS 256
#define PKT_FEED_LIVE_WAIT_MS 50

/* Batches in flight per reader: the bound on memory (1 MiB each) and on
 * how far reading runs ahead of the analysis. */
#define PKT_FEED_BATCHES_PER_READER 6

struct pkt_feed;

/* Starts one reader thread per capture, each with its own decoder made
 * from dcfg.  The readers together read at most limit packets (0: no
 * limit), so that with -c the decoders see exactly the packets analysed.
 * The captures are borrowed: they must stay open until pkt_feed_free(),
 * and no one else may read them meanwhile.  Returns NULL with a message
 * in err when memory or threads are lacking. */
struct pkt_feed *pkt_feed_start(struct capture *const *caps, size_t n_caps,
                                const struct decoder_config *dcfg,
                                uint64_t limit, char *err, size_t errlen);

/* The next packet, waiting at most timeout_ms (< 0: forever):
 *   CAPTURE_PACKET  *pkt, *d and *ds hold it (pkt->num is 0: the caller
 *                   numbers packets); pkt->data and the pointers in *d
 *                   are borrowed until the next call;
 *   CAPTURE_TIMEOUT nothing came in time;
 *   CAPTURE_END     every capture ended (or the feed was stopped);
 *   CAPTURE_ERROR   a capture failed to read; *error says why (borrowed
 *                   until pkt_feed_free()).  Packets read before the
 *                   error have all been returned. */
enum capture_status pkt_feed_next(struct pkt_feed *f, int timeout_ms,
                                  struct pkt *pkt, struct decoded *d,
                                  enum decode_status *ds,
                                  const char **error);

/* Stops the readers (they may have read ahead of what pkt_feed_next()
 * returned) and waits for them.  Idempotent. */
void pkt_feed_stop(struct pkt_feed *f);

/* The decoders' statistics summed; meaningful after pkt_feed_stop(). */
void pkt_feed_get_decode_stats(const struct pkt_feed *f,
                               struct decode_stats *out);

/* Stops the readers if needed and frees everything.  Accepts NULL. */
void pkt_feed_free(struct pkt_feed *f);

#endif
