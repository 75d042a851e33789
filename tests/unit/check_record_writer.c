/* Unit tests for the writer thread: deep copies, order, flush, failure. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance.h"
#include "dns_record.h"
#include "finding.h"
#include "media_record.h"
#include "record_writer.h"
#include "sip_record.h"
#include "tcp_record.h"

/* A sink that writes one line per call into a log (in the writer
 * thread; the test reads it after record_writer_sync()). */
struct log_sink {
    char *text;
    size_t len;
    int64_t capture_id;         /* seen in the last call */
    int fail_after;             /* calls before hooks fail; -1 never */
    int calls;
};

static void log_line(struct log_sink *l, const char *fmt, const char *a,
                     const char *b, unsigned long long n)
{
    char line[4096];
    int len = snprintf(line, sizeof(line), fmt, a ? a : "(null)",
                       b ? b : "(null)", n);

    ck_assert_int_gt(len, 0);
    /* A long line is cut to the buffer. */
    if ((size_t)len >= sizeof(line))
        len = (int)sizeof(line) - 1;
    l->text = realloc(l->text, l->len + (size_t)len + 1);
    ck_assert_ptr_nonnull(l->text);
    memcpy(l->text + l->len, line, (size_t)len + 1);
    l->len += (size_t)len;
}

static int log_rc(struct log_sink *l)
{
    l->calls++;
    return l->fail_after >= 0 && l->calls > l->fail_after ? -1 : 0;
}

static int log_flow(void *self, const struct capture_meta *meta,
                    const struct flow *f)
{
    struct log_sink *l = self;

    l->capture_id = meta->capture_id;
    ck_assert_ptr_null(f->ext);
    log_line(l, "flow %s %s %llu\n", f->hostname, f->ndpi_proto,
             (unsigned long long)f->id);
    return log_rc(l);
}

static int log_record(void *self, const struct capture_meta *meta,
                      enum record_kind kind, const void *rec)
{
    struct log_sink *l = self;

    l->capture_id = meta->capture_id;
    switch (kind) {
    case RECORD_FINDING: {
        const struct finding *x = rec;

        log_line(l, "finding %s %s %llu\n", x->kind, x->summary,
                 (unsigned long long)x->first_packet);
        break;
    }
    case RECORD_SIP_MESSAGE: {
        const struct sip_message_record *x = rec;

        log_line(l, "sip %s %s", x->call_id, x->via, x->packet);
        log_line(l, " %s %s %llu\n", x->sdp_m, x->malformed,
                 (unsigned long long)x->raw_len);
        ck_assert(x->raw == NULL || memcmp(x->raw, "RAW\0X", 5) == 0);
        break;
    }
    case RECORD_DNS: {
        const struct dns_record *x = rec;

        log_line(l, "dns %s %s %llu\n", x->query_name, x->answers,
                 (unsigned long long)x->packet);
        break;
    }
    case RECORD_TCP_FLAG: {
        const struct tcp_flag_record *x = rec;

        log_line(l, "tcp %s%s%llu\n", "", "",
                 (unsigned long long)x->packets[2]);
        break;
    }
    default:
        log_line(l, "kind %s%s%llu\n", "", "", (unsigned long long)kind);
        break;
    }
    return log_rc(l);
}

static int log_flush(void *self)
{
    struct log_sink *l = self;

    log_line(l, "flush%s%s%llu\n", "", "", 0);
    return log_rc(l);
}

static const struct sink_ops log_ops = {
    .name = "log",
    .flow = log_flow,
    .record = log_record,
    .flush = log_flush,
};

static struct record_writer *writer_for(struct log_sink *l, struct sink *s)
{
    struct capture_meta meta;
    struct record_writer *w;
    char err[128];

    memset(l, 0, sizeof(*l));
    l->fail_after = -1;
    s->ops = &log_ops;
    s->self = l;
    w = record_writer_start(s, 1, err, sizeof(err));
    ck_assert_ptr_nonnull(w);
    memset(&meta, 0, sizeof(meta));
    meta.capture_id = 42;
    record_writer_set_meta(w, &meta);
    return w;
}

/* The caller's strings change right after each call; the sink still sees
 * what they held at the call. */
START_TEST(test_records_are_deep_copies)
{
    struct log_sink l;
    struct sink s;
    struct record_writer *w = writer_for(&l, &s);
    char kind[16], summary_src[32], call_id[32], via[32], name[32];
    struct finding fi;
    struct sip_message_record sip;
    struct dns_record dns;
    struct flow f;

    memset(&fi, 0, sizeof(fi));
    strcpy(kind, "tcp_blocked");
    fi.kind = kind;
    strcpy(summary_src, "no answer");
    memcpy(fi.summary, summary_src, sizeof(summary_src));
    fi.first_packet = 7;
    record_writer_record(w, RECORD_FINDING, &fi);
    strcpy(kind, "CHANGED");
    memset(&fi, 0, sizeof(fi));

    memset(&f, 0, sizeof(f));
    f.id = 10000000003;
    strcpy(f.hostname, "example.org");
    strcpy(f.ndpi_proto, "TLS");
    f.ext = &f;
    record_writer_flow(w, &f);
    strcpy(f.hostname, "CHANGED");

    memset(&sip, 0, sizeof(sip));
    strcpy(call_id, "abc@host");
    strcpy(via, "SIP/2.0/UDP 10.0.0.1");
    sip.call_id = call_id;
    sip.via = via;
    sip.packet = 9;
    sip.raw = "RAW\0X";
    sip.raw_len = 5;
    record_writer_record(w, RECORD_SIP_MESSAGE, &sip);
    strcpy(call_id, "CHANGED");
    strcpy(via, "CHANGED");

    memset(&dns, 0, sizeof(dns));
    strcpy(name, "voice.example");
    dns.query_name = name;
    dns.packet = 11;
    record_writer_record(w, RECORD_DNS, &dns);
    strcpy(name, "CHANGED");

    record_writer_flush(w);
    record_writer_sync(w);
    ck_assert_str_eq(l.text,
                     "finding tcp_blocked no answer 7\n"
                     "flow example.org TLS 10000000003\n"
                     "sip abc@host SIP/2.0/UDP 10.0.0.1 (null) (null) 5\n"
                     "dns voice.example (null) 11\n"
                     "flush0\n");
    ck_assert_int_eq(l.capture_id, 42);
    ck_assert(!record_writer_failed(w));
    record_writer_free(w);
    free(l.text);
}
END_TEST

/* Far more items than a batch holds, flows and records interleaved:
 * they reach the sink in the order they were handed over. */
START_TEST(test_order_across_batches)
{
    struct log_sink l;
    struct sink s;
    struct record_writer *w = writer_for(&l, &s);
    struct tcp_flag_record t;
    struct flow f;
    char *expect = NULL, line[64];
    size_t elen = 0;
    unsigned i;

    for (i = 0; i < 5 * RECORD_WRITER_BATCH_ITEMS + 3; i++) {
        int n;

        if (i % 3 == 0) {
            memset(&f, 0, sizeof(f));
            f.id = i;
            record_writer_flow(w, &f);
            n = snprintf(line, sizeof(line), "flow   %u\n", i);
        } else {
            memset(&t, 0, sizeof(t));
            t.packets[2] = i;
            record_writer_record(w, RECORD_TCP_FLAG, &t);
            n = snprintf(line, sizeof(line), "tcp %u\n", i);
        }
        expect = realloc(expect, elen + (size_t)n + 1);
        memcpy(expect + elen, line, (size_t)n + 1);
        elen += (size_t)n;
    }
    record_writer_sync(w);
    ck_assert_str_eq(l.text, expect);
    record_writer_free(w);
    free(l.text);
    free(expect);
}
END_TEST

/* A record larger than a batch's arena is still copied whole. */
START_TEST(test_huge_record)
{
    struct log_sink l;
    struct sink s;
    struct record_writer *w = writer_for(&l, &s);
    struct sip_message_record sip;
    size_t big = 3 * 1024 * 1024;
    char *via = malloc(big + 1);

    ck_assert_ptr_nonnull(via);
    memset(via, 'v', big);
    via[big] = '\0';
    memset(&sip, 0, sizeof(sip));
    sip.call_id = "x";
    sip.via = via;
    record_writer_record(w, RECORD_SIP_MESSAGE, &sip);
    memset(via, 'w', big);
    record_writer_sync(w);
    /* The log line is cut at 4 KiB: compare its start. */
    ck_assert_uint_gt(l.len, 1000);
    ck_assert(strncmp(l.text, "sip x vvvvvvvv", 14) == 0);
    ck_assert_ptr_null(strchr(l.text, 'w'));
    record_writer_free(w);
    free(l.text);
    free(via);
}
END_TEST

START_TEST(test_failure_is_reported)
{
    struct log_sink l;
    struct sink s;
    struct record_writer *w = writer_for(&l, &s);
    struct tcp_flag_record t;

    l.fail_after = 1;
    memset(&t, 0, sizeof(t));
    record_writer_record(w, RECORD_TCP_FLAG, &t);
    record_writer_sync(w);
    ck_assert(!record_writer_failed(w));
    record_writer_record(w, RECORD_TCP_FLAG, &t);
    record_writer_sync(w);
    ck_assert(record_writer_failed(w));
    record_writer_free(w);
    free(l.text);
}
END_TEST

static Suite *record_writer_suite(void)
{
    Suite *s = suite_create("record_writer");
    TCase *tc = tcase_create("writer");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_records_are_deep_copies);
    tcase_add_test(tc, test_order_across_batches);
    tcase_add_test(tc, test_huge_record);
    tcase_add_test(tc, test_failure_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(record_writer_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
