/* Fuzz target for the DNS parser and the passive DNS map: the input is
 * parsed as a UDP message and as a TCP stream of length-prefixed
 * messages, and every parsed response is learned into a small map that
 * is then queried, so eviction and CNAME-chain walking see hostile data.
 *
 * Input format: the whole input is the UDP payload and the TCP stream.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "fuzz_replay.h"

/* A map this small is full after a few answers, so eviction runs. */
#define FUZZ_DNS_CACHE_ENTRIES 4

/* Names are NUL-terminated within DNS_NAME_MAX: strlen must stop. */
static void fuzz_dns_check_name(const char *name)
{
    if (memchr(name, '\0', DNS_NAME_MAX) == NULL)
        abort();
}

static void fuzz_dns_check(const struct dns_message *m, size_t len)
{
    size_t i;

    if (m->n_answers > DNS_ANSWERS_MAX || m->length > len)
        abort();
    fuzz_dns_check_name(m->qname);
    for (i = 0; i < m->n_answers; i++) {
        fuzz_dns_check_name(m->answers[i].name);
        fuzz_dns_check_name(m->answers[i].cname);
    }
}

/* Learns m at ts_us and looks every answer's address up again. */
static void fuzz_dns_learn(struct dns_cache *c, const struct dns_message *m,
                           int64_t ts_us)
{
    char name[DNS_NAME_MAX];
    size_t i;

    dns_cache_learn(c, m, ts_us);
    if (dns_cache_count(c) > FUZZ_DNS_CACHE_ENTRIES)
        abort();
    for (i = 0; i < m->n_answers; i++) {
        if (m->answers[i].type != DNS_TYPE_A &&
            m->answers[i].type != DNS_TYPE_AAAA)
            continue;
        if (dns_cache_lookup(c, &m->answers[i].addr, ts_us, name))
            fuzz_dns_check_name(name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dns_message *m = malloc(sizeof(*m));
    struct dns_cache *c = dns_cache_new(FUZZ_DNS_CACHE_ENTRIES);
    char rcode[16];
    int64_t ts = 1000000;
    size_t pos = 0;
    enum dns_status st;

    if (!m || !c)
        goto out;
    st = dns_parse(data, size, m);
    if (st == DNS_OK || st == DNS_TRUNCATED) {
        fuzz_dns_check(m, size);
        dns_rcode_name(m->rcode, rcode);
        fuzz_dns_learn(c, m, ts);
    }
    /* The same bytes as a TCP stream, message after message. */
    while (pos < size) {
        size_t consumed = 0;

        st = dns_parse_tcp(data + pos, size - pos, m, &consumed);
        if (consumed == 0)
            break;
        if (consumed > size - pos || consumed < 2)
            abort();
        if (st == DNS_OK) {
            fuzz_dns_check(m, consumed - 2);
            ts += 1000000;
            fuzz_dns_learn(c, m, ts);
        }
        pos += consumed;
    }
out:
    dns_cache_free(c);
    free(m);
    return 0;
}
