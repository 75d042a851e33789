/* Allocation that cannot fail for the caller.
 *
 * These exit the program on exhaustion and are meant for start-up,
 * configuration and per-run structures.  Per-packet paths use bounded pools
 * or plain malloc() and degrade (count and drop) instead of exiting. */
#ifndef RINGSCOPE_XALLOC_H
#define RINGSCOPE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Overflow-checked realloc of an array of n elements of size bytes. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* memset(p, 0, n), except that a page already all zero is only read, not
 * written: a large calloc()ed table that a run used sparsely is cleared
 * without making its untouched pages resident. */
void mem_zero_sparse(void *p, size_t n);

#endif
