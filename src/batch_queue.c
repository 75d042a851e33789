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

/* batch_queue_pop_lazy() waits at most this long for its batch of items
 * before it settles for one. */
#define BATCH_QUEUE_LAZY_WAIT_MS 20

struct batch_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    void **ring;
    size_t capacity;
    size_t head;                /* next to pop */
    size_t count;
    bool closed;
    /* A push wakes a waiting consumer only once the queue holds this
     * many items: 1 normally, more while a batch_queue_pop_lazy() caller
     * waits (and no plain pop does). */
    size_t wake_at;
    size_t eager_waiters;       /* plain pops waiting */
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
    q->wake_at = 1;
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
    /* Every waiter wakes and looks again: a signal could wake a lazy
     * waiter that goes back to sleep while another, now content with
     * one item, sleeps on (fanout readers share the free queue). */
    if (q->eager_waiters > 0 || q->count >= q->wake_at)
        pthread_cond_broadcast(&q->not_empty);
    ret = 0;
out:
    pthread_mutex_unlock(&q->lock);
    return ret;
}

/* Takes the oldest item, with the lock held; NULL when empty. */
static void *queue_take(struct batch_queue *q)
{
    void *item;

    if (q->count == 0)
        return NULL;
    item = q->ring[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    pthread_cond_signal(&q->not_full);
    return item;
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
    q->eager_waiters++;
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
    item = queue_take(q);
out:
    q->eager_waiters--;
    pthread_mutex_unlock(&q->lock);
    return item;
}

void *batch_queue_pop_lazy(struct batch_queue *q, size_t want)
{
    struct timespec deadline;
    void *item;

    if (want > q->capacity)
        want = q->capacity;
    if (want == 0)
        want = 1;
    pthread_mutex_lock(&q->lock);
    if (q->count == 0 && !q->closed) {
        /* The bound on the wait keeps a consumer from sleeping forever
         * when fewer than want items can ever come back (other
         * consumers hold the rest). */
        deadline_after_ms(&deadline, BATCH_QUEUE_LAZY_WAIT_MS);
        q->wake_at = want;
        while (q->count < want && !q->closed)
            if (pthread_cond_timedwait(&q->not_empty, &q->lock,
                                       &deadline) == ETIMEDOUT)
                break;
        q->wake_at = 1;
        while (q->count == 0 && !q->closed)
            pthread_cond_wait(&q->not_empty, &q->lock);
    }
    item = queue_take(q);
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
