/* Allocation for start-up and configuration paths: exits on exhaustion. */
#include "config.h"

#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xalloc_die(size_t size)
{
    fprintf(stderr, "ringscope: out of memory allocating %zu bytes\n", size);
    exit(2);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        return xalloc_die(size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        return xalloc_die(n * size);
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (!q)
        return xalloc_die(size);
    return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fprintf(stderr, "ringscope: allocation of %zu x %zu bytes overflows\n",
                n, size);
        exit(2);
    }
    return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);

    memcpy(d, s, n);
    return d;
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = xmalloc(len + 1);

    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* Pages as the kernel maps them; a smaller real page size only makes the
 * check coarser, never wrong. */
#define XALLOC_PAGE 4096u

void mem_zero_sparse(void *p, size_t n)
{
    unsigned char *b = p;

    while (n > 0) {
        size_t chunk = XALLOC_PAGE - (size_t)((uintptr_t)b % XALLOC_PAGE);

        if (chunk > n)
            chunk = n;
        /* All zero when the first byte is and every byte equals the
         * next one. */
        if (b[0] != 0 || (chunk > 1 && memcmp(b, b + 1, chunk - 1) != 0))
            memset(b, 0, chunk);
        b += chunk;
        n -= chunk;
    }
}
