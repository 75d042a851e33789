/* Fuzz target for the HTTP request-head parser: the input is the start of
 * a client stream, parsed whole and cut at the point the first byte
 * chooses, the way a head arrives across segments.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"
#include "http.h"

static void fuzz_http_check(const struct http_request *r,
                            enum http_status st, size_t len)
{
    if (st != HTTP_OK)
        return;
    if (!memchr(r->method, '\0', sizeof(r->method)) ||
        !memchr(r->target, '\0', sizeof(r->target)) ||
        !memchr(r->host, '\0', sizeof(r->host)))
        abort();
    if (r->head_len > len || r->head_len > HTTP_HEAD_MAX)
        abort();
    if (r->version_major != 1)
        abort();
}

/* Parses a copy of exactly len bytes, so reading past it is caught. */
static enum http_status fuzz_http_parse(const uint8_t *data, size_t len)
{
    struct http_request r;
    uint8_t *copy = malloc(len ? len : 1);
    enum http_status st = HTTP_NOT_HTTP;

    if (!copy)
        return st;
    if (len)
        memcpy(copy, data, len);
    st = http_parse_request(copy, len, &r);
    fuzz_http_check(&r, st, len);
    free(copy);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum http_status whole, part;
    size_t cut;

    whole = fuzz_http_parse(data, size);
    if (size == 0)
        return 0;
    cut = (size_t)data[0] * size / 256;
    part = fuzz_http_parse(data, cut);
    /* A decision on a prefix stands once more bytes come: only a prefix
     * that needed more may turn into something else. */
    if (part == HTTP_NOT_HTTP && whole != HTTP_NOT_HTTP)
        abort();
    return 0;
}
