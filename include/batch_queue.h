/* A bounded, blocking FIFO of pointers between threads.
 *
 * Threads hand each other whole batches (of packets, of records) through
 * it, so the mutex is taken once per batch, never per packet.  Any number
 * of producers and consumers may use one queue; items leave in the order
 * they were pushed.  The queue never owns its items. */
#ifndef RINGSCOPE_BATCH_QUEUE_H
#define RINGSCOPE_BATCH_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct batch_queue;

/* A queue holding at most capacity (>= 1) items.  NULL when out of
 * memory or when the thread primitives cannot be set up. */
struct batch_queue *batch_queue_new(size_t capacity);

/* Frees the queue (not its items).  No thread may still use it.
 * Accepts NULL. */
void batch_queue_free(struct batch_queue *q);

/* Appends item (not NULL), waiting while the queue is full.  Returns 0,
 * or -1 when the queue is closed (the item was not queued). */
int batch_queue_push(struct batch_queue *q, void *item);

/* Takes the oldest item, waiting while the queue is empty: forever when
 * timeout_ms < 0, else at most timeout_ms milliseconds.  Returns NULL
 * when the wait timed out (*timed_out true) or when the queue is closed
 * and empty (*timed_out false).  timed_out may be NULL. */
void *batch_queue_pop(struct batch_queue *q, int timeout_ms,
                      bool *timed_out);

/* Like batch_queue_pop(timeout_ms -1), except that when the queue is
 * empty it waits until want items are there (or about 20 ms passed, or
 * the queue closed) before it takes the oldest.  A producer that runs
 * ahead of its consumer and waits for free buffers this way sleeps once
 * per want buffers instead of once per buffer: on a busy run the wake-ups
 * cost more than the work between them.  NULL when closed and empty. */
void *batch_queue_pop_lazy(struct batch_queue *q, size_t want);

/* Closes the queue: pushes fail from now on, pops return what is left and
 * then NULL, and every waiting thread wakes up. */
void batch_queue_close(struct batch_queue *q);

/* Items queued now (a snapshot). */
size_t batch_queue_count(struct batch_queue *q);

#endif
