/* Feeding a sink from a database instead of from packets: what
 * "ringscope report DB --tui" shows.  The stored captures are handed to a
 * sink's hooks in the order a run hands them over, so a sink built for a
 * run (the interactive interface) shows a database without knowing it.
 *
 * Implemented in sink_sqlite_replay.c, as only sink_sqlite*.c files use
 * SQLite.  Everything is read before this returns: a sink that draws
 * never waits on the database. */
#ifndef RINGSCOPE_DB_REPLAY_H
#define RINGSCOPE_DB_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "sink.h"

/* The requirement profile a capture was analysed with (captures.profile
 * and profile_name): of capture capture_id, or of the first capture when
 * 0.  *name and *text are allocated (free them); *text is NULL when the
 * database holds no profile.  Returns 0, or -1 with a message in err
 * (cannot open, not a ringscope database, no such capture). */
int db_replay_profile(const char *path, int64_t capture_id, char **name,
                      char **text, char *err, size_t errlen);

/* Opens path read-only and, for every capture (or capture capture_id
 * only, 0: all) in id order, calls the sink's begin_capture, then
 * record(RECORD_SIP_MESSAGE) for each SIP message, record(RECORD_CALL)
 * for each call, flow() for each flow, record(RECORD_RTP_STREAM) for each
 * RTP stream, record(RECORD_FINDING) for each finding,
 * record(RECORD_VERDICT) for each verdict, each kind in the order it was
 * written, and end_capture.  The capture_meta holds the stored counters
 * from the start (packets, bytes, drops, times, flows created and
 * evicted).
 *
 * What the database does not keep is left zero: a flow's per-analyzer
 * state, orientation, TLS facts and per-direction payload times; an RTP
 * stream record carries its addresses, SSRC, payload type and the
 * summary's packets, lost, rfc_lost and jitter figures only; a SIP
 * message record carries its addresses, method or status and reason,
 * Call-ID, CSeq, From and To, and the retransmission mark.  DNS, STUN and
 * TCP flag records are not replayed (the TCP flag counts are in the
 * flows).
 *
 * Returns the number of captures replayed, or -1 with a message in err
 * (cannot open, not a ringscope database, no such capture, a read error,
 * or a sink hook failed). */
int db_replay(const char *path, int64_t capture_id, const struct sink *sink,
              char *err, size_t errlen);

#endif
