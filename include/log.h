/* Diagnostics on stderr in the form "ringscope: message".
 *
 * Messages start lowercase, have no final period and quote their subject:
 * log_error("cannot open '%s': %s", path, strerror(errno)). */
#ifndef RINGSCOPE_LOG_H
#define RINGSCOPE_LOG_H

#include <stdarg.h>

enum log_level {
    LOG_LEVEL_QUIET,    /* errors only */
    LOG_LEVEL_NORMAL,   /* errors and warnings */
    LOG_LEVEL_VERBOSE,  /* plus progress information */
    LOG_LEVEL_DEBUG,
};

/* The level is process-wide state set once by main() before any thread
 * starts; it only filters output. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Prints the message and returns -1, so callers can write
 * "return log_error(...)". */
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
