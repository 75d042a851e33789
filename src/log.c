/* Diagnostics on stderr. */
#include "config.h"

#include "log.h"

#include <stdio.h>

/* Written once by main() before any other thread exists; read-only after
 * that, so no synchronisation is needed. */
static enum log_level current_level = LOG_LEVEL_NORMAL;

void log_set_level(enum log_level level)
{
    current_level = level;
}

enum log_level log_get_level(void)
{
    return current_level;
}

static void log_vprint(const char *prefix, const char *fmt, va_list ap)
{
    char line[2048];

    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "ringscope: %s%s\n", prefix, line);
}

int log_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint("", fmt, ap);
    va_end(ap);
    return -1;
}

void log_warn(const char *fmt, ...)
{
    va_list ap;

    if (current_level < LOG_LEVEL_NORMAL)
        return;
    va_start(ap, fmt);
    log_vprint("warning: ", fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;

    if (current_level < LOG_LEVEL_VERBOSE)
        return;
    va_start(ap, fmt);
    log_vprint("", fmt, ap);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;

    if (current_level < LOG_LEVEL_DEBUG)
        return;
    va_start(ap, fmt);
    log_vprint("debug: ", fmt, ap);
    va_end(ap);
}
