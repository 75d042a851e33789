/* The compliance report from a database alone: "ringscope report DB".
 * report_db_load() reads the stored captures (it is implemented in
 * sink_sqlite_read.c, as only sink_sqlite*.c files use SQLite);
 * report_db_command() is the subcommand around it. */
#ifndef RINGSCOPE_REPORT_DB_H
#define RINGSCOPE_REPORT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* Called once per capture, in id order; r is borrowed for the call.
 * Returns 0 to go on, -1 to stop (load then returns -1). */
typedef int (*report_db_fn)(void *arg, const struct report *r);

/* Opens path read-only and hands fn the report of every capture, or of
 * capture capture_id only (0: all).  Returns the number of captures
 * reported, or -1 with a message in err (cannot open, not a ringscope
 * database, no such capture, a read error). */
int report_db_load(const char *path, int64_t capture_id, report_db_fn fn,
                   void *arg, char *err, size_t errlen);

/* The same, and the reports keep their calls, SIP messages, RTP streams
 * and time series (keep_media), as a run with --html does. */
int report_db_load_media(const char *path, int64_t capture_id,
                         report_db_fn fn, void *arg, char *err,
                         size_t errlen);

/* "report DB [--capture N] [--json FILE] [--quiet] [--tui] [--batch N]":
 * argv[0] is "report".  --tui (or --batch N) shows the captures in the
 * interactive interface (report_tui.h) instead of printing the text.
 * Prints the text report of each capture to standard output and writes
 * the JSON document and, with --html FILE, the HTML page.  Returns an enum exit_status: 1 when a requirement of
 * severity error has a FAIL verdict, 2 on a usage or database error. */
int report_db_command(int argc, char **argv);

#endif
