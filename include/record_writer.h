/* The writing side of the threaded pipeline (--workers 2 or more): the
 * analysis thread hands ended flows and analyzer records to one writer
 * thread, which gives them to the sinks in the order they were handed
 * over.  The sinks are therefore called from one thread at a time, in the
 * same order as in a single-threaded run.
 *
 * Flows and records are deep-copied into batches (their strings too), so
 * the caller's copies may change or vanish as soon as the call returns.
 * The copy of a flow has ext NULL: sinks do not read analyzer state. */
#ifndef RINGSCOPE_RECORD_WRITER_H
#define RINGSCOPE_RECORD_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"
#include "sink.h"

/* Items per batch; a batch also goes when the caller syncs. */
#define RECORD_WRITER_BATCH_ITEMS 512

struct record_writer;

/* Starts the writer thread for n sinks (borrowed; they must outlive the
 * writer).  NULL with a message in err when memory or threads lack. */
struct record_writer *record_writer_start(const struct sink *sinks,
                                          size_t n, char *err,
                                          size_t errlen);

/* The capture_meta the sinks are handed from now on (copied; its strings
 * are borrowed and must stay valid until the next call or
 * record_writer_free()).  Only while the writer is idle: right after
 * record_writer_sync(). */
void record_writer_set_meta(struct record_writer *w,
                            const struct capture_meta *meta);

/* Queue an ended flow / a record / a flush of every sink.  They wait for
 * a full batch or the next sync. */
void record_writer_flow(struct record_writer *w, const struct flow *f);
void record_writer_record(struct record_writer *w, enum record_kind kind,
                          const void *rec);
void record_writer_flush(struct record_writer *w);

/* Hands over what is queued and waits until the sinks have it all: after
 * it the caller may call the sinks directly. */
void record_writer_sync(struct record_writer *w);

/* True once a sink hook failed (or a copy could not be made); what was
 * queued after that still reaches the sinks. */
bool record_writer_failed(const struct record_writer *w);

/* Syncs, stops the thread and frees the writer.  Accepts NULL. */
void record_writer_free(struct record_writer *w);

#endif
