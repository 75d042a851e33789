/* A bounded blocking FIFO of pointers: a ring under one mutex, with one
 * condition for "not empty" and one for "not full".  Items are batches,
 * so the lock is taken a few thousand times a second at most. */
#include "config.h"

#include "batch_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct batch_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    void **ring;
    size_t capacity;
    size_t head;                /* next to pop */
    size_t count;
    bool closed;
};

struct batch_queue *batch_queue_new(size_t capacity)
{
    struct batch_queue *q;
    pthread_condattr_t ca;

    if (capacity == 0 || capacity > SIZE_MAX / sizeof(void *))
        return NULL;
    q = calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    q->ring = calloc(capacity, sizeof(void *));
    if (!q->ring)
        goto fail_ring;
    q->capacity = capacity;
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        goto fail_ring;
    /* Timed waits measure on the monotonic clock: a clock step must not
     * stretch or cut a poll interval. */
    if (pthread_condattr_init(&ca) != 0)
        goto fail_mutex;
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_cond_init(&q->not_empty, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        goto fail_mutex;
    }
    pthread_condattr_destroy(&ca);
    if (pthread_cond_init(&q->not_full, NULL) != 0)
        goto fail_cond;
    return q;
fail_cond:
    pthread_cond_destroy(&q->not_empty);
fail_mutex:
    pthread_mutex_destroy(&q->lock);
fail_ring:
    free(q->ring);
    free(q);
    return NULL;
}

void batch_queue_free(struct batch_queue *q)
{
    if (!q)
        return;
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
    free(q->ring);
    free(q);
}

int batch_queue_push(struct batch_queue *q, void *item)
{
    int ret = -1;

    pthread_mutex_lock(&q->lock);
    while (q->count == q->capacity && !q->closed)
        pthread_cond_wait(&q->not_full, &q->lock);
    if (q->closed)
        goto out;
    q->ring[(q->head + q->count) % q->capacity] = item;
    q->count++;
    pthread_cond_signal(&q->not_empty);
    ret = 0;
out:
    pthread_mutex_unlock(&q->lock);
    return ret;
}

static void deadline_after_ms(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

void *batch_queue_pop(struct batch_queue *q, int timeout_ms,
                      bool *timed_out)
{
    struct timespec deadline;
    void *item = NULL;

    if (timed_out)
        *timed_out = false;
    if (timeout_ms >= 0)
        deadline_after_ms(&deadline, timeout_ms);
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&q->not_empty, &q->lock);
        } else if (pthread_cond_timedwait(&q->not_empty, &q->lock,
                                          &deadline) == ETIMEDOUT) {
            if (q->count == 0 && !q->closed) {
                if (timed_out)
                    *timed_out = true;
                goto out;
            }
        }
    }
    if (q->count == 0)
        goto out;               /* closed and drained */
    item = q->ring[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    pthread_cond_signal(&q->not_full);
out:
    pthread_mutex_unlock(&q->lock);
    return item;
}

void batch_queue_close(struct batch_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}

size_t batch_queue_count(struct batch_queue *q)
{
    size_t n;

    pthread_mutex_lock(&q->lock);
    n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}
