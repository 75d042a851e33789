/* Unit tests for reading capture files: the fast reader of classic pcap
 * files must give exactly what libpcap gives, packets and errors alike.
 * A filter that matches every packet makes capture.c read through
 * libpcap, so each file is read both ways and the results compared. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* Matches every frame (len >= 0): forces libpcap's own reader. */
#define ALL_FRAMES "greater 0"

struct file {
    char path[256];
    FILE *fp;
    bool swap;
};

static uint32_t sw32(uint32_t v, bool swap)
{
    if (!swap)
        return v;
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) |
           (v << 24);
}

static uint16_t sw16(uint16_t v, bool swap)
{
    return swap ? (uint16_t)((v >> 8) | (v << 8)) : v;
}

/* A classic pcap file, Ethernet, in host order or swapped. */
static void file_open(struct file *f, uint32_t snaplen, bool swap)
{
    const char *dir = getenv("TMPDIR");
    uint32_t magic = sw32(0xa1b2c3d4u, swap);
    uint16_t major = sw16(2, swap), minor = sw16(4, swap);
    uint32_t zero = 0, snap = sw32(snaplen, swap), dlt = sw32(1, swap);
    int fd;

    snprintf(f->path, sizeof(f->path), "%s/check_capture_XXXXXX",
             dir && *dir ? dir : "/tmp");
    fd = mkstemp(f->path);
    ck_assert_int_ge(fd, 0);
    f->fp = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(f->fp);
    f->swap = swap;
    fwrite(&magic, 4, 1, f->fp);
    fwrite(&major, 2, 1, f->fp);
    fwrite(&minor, 2, 1, f->fp);
    fwrite(&zero, 4, 1, f->fp);
    fwrite(&zero, 4, 1, f->fp);
    fwrite(&snap, 4, 1, f->fp);
    fwrite(&dlt, 4, 1, f->fp);
}

/* A record with caplen bytes of a pattern that depends on its number;
 * write only `cut` bytes of it when cut is not 0 (a cut file). */
static void file_record(struct file *f, uint32_t n, uint32_t caplen,
                        uint32_t len, size_t cut)
{
    uint32_t h[4];
    uint8_t *rec;
    size_t i, total = 16 + (size_t)caplen;

    h[0] = sw32(1700000000u + n, f->swap);
    h[1] = sw32((n * 7919u) % 1000000u, f->swap);
    h[2] = sw32(caplen, f->swap);
    h[3] = sw32(len, f->swap);
    rec = malloc(total);
    ck_assert_ptr_nonnull(rec);
    memcpy(rec, h, sizeof(h));
    for (i = 16; i < total; i++)
        rec[i] = (uint8_t)(n * 31u + i);
    ck_assert_uint_eq(fwrite(rec, 1, cut ? cut : total, f->fp),
                      cut ? cut : total);
    free(rec);
}

static void file_close(struct file *f)
{
    ck_assert_int_eq(fclose(f->fp), 0);
}

/* Reads the file to its end; returns the packets read and fills *end
 * with the final status and err with the error text, if any. */
static size_t read_all(const char *path, const char *bpf, uint64_t *sum,
                       enum capture_status *end, char *err, size_t errlen)
{
    char oerr[512];
    struct capture *c = capture_open_file(path, bpf, oerr, sizeof(oerr));
    struct pkt pkt;
    size_t n = 0;
    uint64_t h = 1469598103934665603ull;

    ck_assert_msg(c != NULL, "%s", oerr);
    err[0] = '\0';
    for (;;) {
        uint32_t i;

        memset(&pkt, 0, sizeof(pkt));
        *end = capture_next(c, &pkt);
        if (*end != CAPTURE_PACKET)
            break;
        n++;
        /* Every field and byte goes into the sum. */
        h = (h ^ pkt.caplen) * 1099511628211ull;
        h = (h ^ pkt.wirelen) * 1099511628211ull;
        h = (h ^ (uint64_t)pkt.ts_us) * 1099511628211ull;
        h = (h ^ (uint64_t)pkt.linktype) * 1099511628211ull;
        for (i = 0; i < pkt.caplen; i++)
            h = (h ^ pkt.data[i]) * 1099511628211ull;
    }
    if (*end == CAPTURE_ERROR)
        snprintf(err, errlen, "%s", capture_error(c));
    capture_close(c);
    *sum = h;
    return n;
}

/* Both readers agree on the packets and on how the file ends. */
static void check_same(const char *path, size_t want_packets,
                       enum capture_status want_end)
{
    char err_fast[512], err_pcap[512];
    enum capture_status end_fast, end_pcap;
    uint64_t sum_fast, sum_pcap;
    size_t n_fast, n_pcap;

    n_fast = read_all(path, NULL, &sum_fast, &end_fast, err_fast,
                      sizeof(err_fast));
    n_pcap = read_all(path, ALL_FRAMES, &sum_pcap, &end_pcap, err_pcap,
                      sizeof(err_pcap));
    ck_assert_uint_eq(n_pcap, want_packets);
    ck_assert_int_eq(end_pcap, want_end);
    ck_assert_uint_eq(n_fast, n_pcap);
    ck_assert_int_eq(end_fast, end_pcap);
    ck_assert_str_eq(err_fast, err_pcap);
    ck_assert(sum_fast == sum_pcap);
}

START_TEST(test_small_file)
{
    struct file f;

    file_open(&f, 65535, false);
    file_record(&f, 1, 60, 60, 0);
    file_record(&f, 2, 1514, 1514, 0);
    file_record(&f, 3, 96, 1514, 0);   /* cut by the snapshot length */
    file_record(&f, 4, 0, 64, 0);
    file_close(&f);
    check_same(f.path, 4, CAPTURE_END);
    unlink(f.path);
}
END_TEST

START_TEST(test_empty_file)
{
    struct file f;

    file_open(&f, 65535, false);
    file_close(&f);
    check_same(f.path, 0, CAPTURE_END);
    unlink(f.path);
}
END_TEST

/* Far more than one read window, and records of the largest size. */
START_TEST(test_many_and_large_records)
{
    struct file f;
    uint32_t i;

    file_open(&f, 262144, false);
    for (i = 0; i < 2000; i++)
        file_record(&f, i, 60 + (i * 97u) % 1455u, 1514, 0);
    file_record(&f, 2000, 262144, 262144, 0);
    file_record(&f, 2001, 200000, 300000, 0);
    file_record(&f, 2002, 60, 60, 0);
    file_close(&f);
    check_same(f.path, 2003, CAPTURE_END);
    unlink(f.path);
}
END_TEST

START_TEST(test_cut_record_header)
{
    struct file f;

    file_open(&f, 65535, false);
    file_record(&f, 1, 100, 100, 0);
    file_record(&f, 2, 100, 100, 7);
    file_close(&f);
    check_same(f.path, 1, CAPTURE_ERROR);
    unlink(f.path);
}
END_TEST

START_TEST(test_cut_record_data)
{
    struct file f;

    file_open(&f, 65535, false);
    file_record(&f, 1, 100, 100, 0);
    file_record(&f, 2, 100, 100, 16 + 40);
    file_close(&f);
    check_same(f.path, 1, CAPTURE_ERROR);
    unlink(f.path);
}
END_TEST

/* Records longer than the file's snapshot length, or shorter on the wire
 * than captured, are libpcap's to judge; the packets before them are
 * read either way. */
START_TEST(test_odd_records_left_to_libpcap)
{
    struct file f;
    char err[512];
    enum capture_status end;
    uint64_t sum;
    size_t n;

    file_open(&f, 128, false);
    file_record(&f, 1, 100, 100, 0);
    file_record(&f, 2, 90, 40, 0);     /* wire shorter than captured */
    file_record(&f, 3, 100, 100, 0);
    file_record(&f, 4, 1000, 1000, 0); /* beyond the snapshot length */
    file_record(&f, 5, 100, 100, 0);
    file_close(&f);
    n = read_all(f.path, ALL_FRAMES, &sum, &end, err, sizeof(err));
    ck_assert_uint_ge(n, 3);
    check_same(f.path, n, end);
    unlink(f.path);
}
END_TEST

START_TEST(test_swapped_file)
{
    struct file f;

    file_open(&f, 65535, true);
    file_record(&f, 1, 60, 60, 0);
    file_record(&f, 2, 1514, 1514, 0);
    file_close(&f);
    check_same(f.path, 2, CAPTURE_END);
    unlink(f.path);
}
END_TEST

static Suite *capture_suite(void)
{
    Suite *s = suite_create("capture");
    TCase *tc = tcase_create("file");

    tcase_add_test(tc, test_small_file);
    tcase_add_test(tc, test_empty_file);
    tcase_add_test(tc, test_many_and_large_records);
    tcase_add_test(tc, test_cut_record_header);
    tcase_add_test(tc, test_cut_record_data);
    tcase_add_test(tc, test_odd_records_left_to_libpcap);
    tcase_add_test(tc, test_swapped_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(capture_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
