/* SIP over TCP: one direction of a connection put back in sequence order
 * and cut into messages (RFC 3261 section 18.3: the end of the headers
 * plus Content-Length; RFC 5626 section 3.5.1 CRLF keep-alives).
 *
 * Feed every TCP segment of the direction with sip_stream_segment(), then
 * call sip_stream_next() until it says SIP_FRAME_NEED_MORE: what it
 * returns was completed by the segment just fed.  Returned bytes point
 * into the stream's buffer and stay valid until the next
 * sip_stream_segment() or sip_stream_free().
 *
 * Sequence handling: bytes before the next expected sequence number
 * (retransmissions, overlaps) are dropped; a segment beyond it is held
 * (a copy) until the gap fills.  When SIP_STREAM_MAX_HELD segments wait
 * or their bytes pass the buffer bound, the gap is given up: the partial
 * message before it is dropped and reading resumes at the first held
 * segment, where framing skips line by line to the next start line.
 * Memory is bounded by max_bytes for the buffer plus as much for held
 * segments.  A unit that does not fit is dropped and counted, and the
 * bytes after it until a segment that starts like SIP. */
#ifndef RINGSCOPE_SIP_STREAM_H
#define RINGSCOPE_SIP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip.h"

#define SIP_STREAM_MAX_HELD 16

struct sip_stream_stats {
    uint64_t segments;          /* segments with payload fed */
    uint64_t messages;          /* SIP_FRAME_MESSAGE units returned */
    uint64_t keepalives;        /* pings and pongs */
    uint64_t dup_bytes;         /* already seen (retransmitted) */
    uint64_t held_segments;     /* arrived ahead of a gap */
    uint64_t gaps;              /* gaps given up (bytes never seen) */
    uint64_t overflows;         /* units larger than the buffer bound */
    uint64_t skipped_bytes;     /* not SIP: dropped by framing */
    uint64_t alloc_failures;    /* data dropped for lack of memory */
};

struct sip_stream;

/* A stream whose buffer holds at most max_bytes (at least 1024); NULL
 * when out of memory.  The first segment fed sets the sequence number
 * unless sip_stream_begin() did. */
struct sip_stream *sip_stream_new(size_t max_bytes);
/* Accepts NULL. */
void sip_stream_free(struct sip_stream *s);

/* The next byte expected has sequence number seq (the SYN's sequence
 * number + 1).  Only before the first segment. */
void sip_stream_begin(struct sip_stream *s, uint32_t seq);

/* One TCP segment of this direction: its sequence number and payload
 * (borrowed for the call).  Never fails: trouble is counted. */
void sip_stream_segment(struct sip_stream *s, uint32_t seq,
                        const uint8_t *data, size_t len);

/* The next unit in the buffer.  SIP_FRAME_MESSAGE, _PING and _PONG give
 * the unit; SIP_FRAME_MALFORMED gives bytes framing had to skip (the
 * caller may record them when they begin like SIP, e.g. a message with a
 * bad Content-Length); SIP_FRAME_NEED_MORE gives nothing. */
enum sip_frame_status sip_stream_next(struct sip_stream *s,
                                      const uint8_t **unit, size_t *len);

/* Bytes buffered that do not yet form a unit. */
size_t sip_stream_pending(const struct sip_stream *s);

void sip_stream_get_stats(const struct sip_stream *s,
                          struct sip_stream_stats *out);

#endif
