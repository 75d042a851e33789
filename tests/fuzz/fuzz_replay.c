/* Replay of stored fuzz inputs: a main() for the fuzz targets when they
 * are not built as libFuzzer programs, so make check runs the corpus. */
#include "config.h"

#include "fuzz_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fuzz_replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int ret = -1;

    if (!f) {
        fprintf(stderr, "cannot open '%s'\n", path);
        goto out;
    }
    for (;;) {
        size_t n;

        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            uint8_t *p = realloc(buf, ncap);

            if (!p)
                goto out;
            buf = p;
            cap = ncap;
        }
        n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    if (ferror(f)) {
        fprintf(stderr, "cannot read '%s'\n", path);
        goto out;
    }
    /* An exact-size copy, so that a read one byte past the input is
     * caught by AddressSanitizer as it is under libFuzzer. */
    {
        uint8_t *exact = malloc(len ? len : 1);

        if (!exact)
            goto out;
        if (len)
            memcpy(exact, buf, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    ret = 0;
out:
    if (f)
        fclose(f);
    free(buf);
    return ret;
}

#ifndef RINGSCOPE_FUZZ_LIBFUZZER
int main(int argc, char **argv)
{
    int i, failed = 0;

    for (i = 1; i < argc; i++)
        if (fuzz_replay_file(argv[i]) != 0)
            failed = 1;
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif
