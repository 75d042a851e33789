/* Unit tests for the bounded blocking queue between threads. */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "batch_queue.h"

/* Items are small integers disguised as pointers (never 0). */
static void *item(uintptr_t v)
{
    return (void *)v;
}

START_TEST(test_fifo_order)
{
    struct batch_queue *q = batch_queue_new(4);
    bool timed_out = true;
    uintptr_t i;

    ck_assert_ptr_nonnull(q);
    for (i = 1; i <= 4; i++)
        ck_assert_int_eq(batch_queue_push(q, item(i)), 0);
    ck_assert_uint_eq(batch_queue_count(q), 4);
    for (i = 1; i <= 2; i++)
        ck_assert_ptr_eq(batch_queue_pop(q, 0, &timed_out), item(i));
    ck_assert(!timed_out);
    /* Wrap around the ring. */
    ck_assert_int_eq(batch_queue_push(q, item(5)), 0);
    ck_assert_int_eq(batch_queue_push(q, item(6)), 0);
    for (i = 3; i <= 6; i++)
        ck_assert_ptr_eq(batch_queue_pop(q, -1, NULL), item(i));
    ck_assert_uint_eq(batch_queue_count(q), 0);
    batch_queue_free(q);
}
END_TEST

START_TEST(test_pop_times_out)
{
    struct batch_queue *q = batch_queue_new(1);
    bool timed_out = false;

    ck_assert_ptr_null(batch_queue_pop(q, 20, &timed_out));
    ck_assert(timed_out);
    batch_queue_free(q);
}
END_TEST

START_TEST(test_close_drains_then_ends)
{
    struct batch_queue *q = batch_queue_new(2);
    bool timed_out = true;

    ck_assert_int_eq(batch_queue_push(q, item(7)), 0);
    batch_queue_close(q);
    ck_assert_int_eq(batch_queue_push(q, item(8)), -1);
    ck_assert_ptr_eq(batch_queue_pop(q, -1, &timed_out), item(7));
    ck_assert_ptr_null(batch_queue_pop(q, -1, &timed_out));
    ck_assert(!timed_out);
    batch_queue_free(q);
}
END_TEST

START_TEST(test_zero_capacity_refused)
{
    ck_assert_ptr_null(batch_queue_new(0));
    batch_queue_free(NULL);
}
END_TEST

#define PRODUCERS 3
#define PER_PRODUCER 20000

struct producer {
    struct batch_queue *q;
    uintptr_t id;
};

/* Pushes PER_PRODUCER items tagged with the producer and a sequence. */
static void *produce(void *arg)
{
    struct producer *p = arg;
    uintptr_t seq;

    for (seq = 1; seq <= PER_PRODUCER; seq++)
        if (batch_queue_push(p->q, item((p->id << 20) | seq)) != 0)
            break;
    return NULL;
}

/* A small queue and several producers: every item arrives once, and each
 * producer's items arrive in the order it pushed them. */
START_TEST(test_threads_keep_each_producers_order)
{
    struct batch_queue *q = batch_queue_new(3);
    struct producer prod[PRODUCERS];
    pthread_t th[PRODUCERS];
    uintptr_t last[PRODUCERS] = { 0 };
    size_t got = 0, i;

    for (i = 0; i < PRODUCERS; i++) {
        prod[i].q = q;
        prod[i].id = i;
        ck_assert_int_eq(pthread_create(&th[i], NULL, produce, &prod[i]), 0);
    }
    while (got < PRODUCERS * PER_PRODUCER) {
        uintptr_t v = (uintptr_t)batch_queue_pop(q, -1, NULL);
        uintptr_t id = v >> 20, seq = v & 0xfffff;

        ck_assert_uint_lt(id, PRODUCERS);
        ck_assert_uint_eq(seq, last[id] + 1);
        last[id] = seq;
        got++;
    }
    for (i = 0; i < PRODUCERS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_uint_eq(last[i], PER_PRODUCER);
    }
    ck_assert_uint_eq(batch_queue_count(q), 0);
    batch_queue_free(q);
}
END_TEST

static void *pop_forever(void *arg)
{
    return batch_queue_pop(arg, -1, NULL);
}

static void *push_to_full(void *arg)
{
    /* The queue is full: this waits until close makes it fail. */
    return batch_queue_push(arg, item(2)) == -1 ? item(1) : NULL;
}

START_TEST(test_close_wakes_waiters)
{
    struct batch_queue *empty = batch_queue_new(1);
    struct batch_queue *full = batch_queue_new(1);
    pthread_t a, b;
    void *ra, *rb;

    ck_assert_int_eq(batch_queue_push(full, item(1)), 0);
    ck_assert_int_eq(pthread_create(&a, NULL, pop_forever, empty), 0);
    ck_assert_int_eq(pthread_create(&b, NULL, push_to_full, full), 0);
    batch_queue_close(empty);
    batch_queue_close(full);
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    ck_assert_ptr_null(ra);
    ck_assert_ptr_eq(rb, item(1));
    batch_queue_free(empty);
    batch_queue_free(full);
}
END_TEST

struct lazy_arg {
    struct batch_queue *q;
    size_t want;
};

static void *pop_lazily(void *arg)
{
    const struct lazy_arg *a = arg;

    return batch_queue_pop_lazy(a->q, a->want);
}

/* An item already queued is taken at once, whatever the batch asked for. */
START_TEST(test_lazy_pop_takes_what_is_there)
{
    struct batch_queue *q = batch_queue_new(4);

    ck_assert_int_eq(batch_queue_push(q, item(1)), 0);
    ck_assert_ptr_eq(batch_queue_pop_lazy(q, 3), item(1));
    ck_assert_uint_eq(batch_queue_count(q), 0);
    batch_queue_free(q);
}
END_TEST

/* Fewer items than asked for ever come: the waiter settles for one. */
START_TEST(test_lazy_pop_settles_for_fewer)
{
    struct batch_queue *q = batch_queue_new(4);
    struct lazy_arg a = { q, 3 };
    pthread_t th;
    void *r;

    ck_assert_int_eq(pthread_create(&th, NULL, pop_lazily, &a), 0);
    ck_assert_int_eq(batch_queue_push(q, item(5)), 0);
    pthread_join(th, &r);
    ck_assert_ptr_eq(r, item(5));
    batch_queue_free(q);
}
END_TEST

/* A batch larger than the queue is the whole queue; items keep their
 * order; closing wakes a lazy waiter. */
START_TEST(test_lazy_pop_batch_and_close)
{
    struct batch_queue *q = batch_queue_new(2);
    struct lazy_arg a = { q, 10 };
    pthread_t th;
    void *r;

    ck_assert_int_eq(pthread_create(&th, NULL, pop_lazily, &a), 0);
    ck_assert_int_eq(batch_queue_push(q, item(1)), 0);
    ck_assert_int_eq(batch_queue_push(q, item(2)), 0);
    pthread_join(th, &r);
    ck_assert_ptr_eq(r, item(1));
    ck_assert_ptr_eq(batch_queue_pop(q, 0, NULL), item(2));

    ck_assert_int_eq(pthread_create(&th, NULL, pop_lazily, &a), 0);
    batch_queue_close(q);
    pthread_join(th, &r);
    ck_assert_ptr_null(r);
    batch_queue_free(q);
}
END_TEST

#define LAZY_ITEMS 3000

struct lazy_consumer {
    struct batch_queue *q;
    size_t got;
};

/* Takes items three at a time at most until the queue closes. */
static void *consume_lazily(void *arg)
{
    struct lazy_consumer *c = arg;

    while (batch_queue_pop_lazy(c->q, 3) != NULL)
        c->got++;
    return NULL;
}

/* Two lazy consumers on one queue, as two fanout readers share their free
 * batches: every item arrives once, and the items left in the queue are
 * taken (a consumer left asleep beside them would make this time out). */
START_TEST(test_two_lazy_consumers)
{
    struct batch_queue *q = batch_queue_new(4);
    struct lazy_consumer c[2] = { { q, 0 }, { q, 0 } };
    pthread_t th[2];
    uintptr_t i;
    size_t k;

    for (k = 0; k < 2; k++)
        ck_assert_int_eq(pthread_create(&th[k], NULL, consume_lazily, &c[k]),
                         0);
    for (i = 1; i <= LAZY_ITEMS; i++) {
        ck_assert_int_eq(batch_queue_push(q, item(i)), 0);
        if (i % 64 == 0)
            sched_yield();
    }
    /* Wait until both have taken everything, then close. */
    while (batch_queue_count(q) > 0)
        sched_yield();
    batch_queue_close(q);
    for (k = 0; k < 2; k++)
        pthread_join(th[k], NULL);
    ck_assert_uint_eq(c[0].got + c[1].got, LAZY_ITEMS);
    batch_queue_free(q);
}
END_TEST

static Suite *batch_queue_suite(void)
{
    Suite *s = suite_create("batch_queue");
    TCase *tc = tcase_create("single thread");

    tcase_add_test(tc, test_fifo_order);
    tcase_add_test(tc, test_pop_times_out);
    tcase_add_test(tc, test_close_drains_then_ends);
    tcase_add_test(tc, test_zero_capacity_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_threads_keep_each_producers_order);
    tcase_add_test(tc, test_close_wakes_waiters);
    tcase_add_test(tc, test_lazy_pop_takes_what_is_there);
    tcase_add_test(tc, test_lazy_pop_settles_for_fewer);
    tcase_add_test(tc, test_lazy_pop_batch_and_close);
    tcase_add_test(tc, test_two_lazy_consumers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(batch_queue_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
