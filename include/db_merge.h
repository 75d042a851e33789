/* "ringscope merge OUT IN...": databases from several sensors combined
 * into one for reporting.  Implemented in sink_sqlite_merge.c, as only
 * sink_sqlite*.c files use SQLite.
 *
 * Every capture of every input is copied into OUT with a new capture id;
 * every reference follows it: capture_id columns, flow ids (which are
 * capture_id * 10^10 + frame), and the row ids of other tables together
 * with the columns that declare a REFERENCES to them.  The tables come
 * from the schema (each table of an input is merged), not from a list,
 * so tables added later merge too; a column that looks like a flow
 * reference but is neither flow_id nor declared is refused, not guessed
 * at.  Everything happens in one transaction: OUT gains all inputs or
 * nothing. */
#ifndef RINGSCOPE_DB_MERGE_H
#define RINGSCOPE_DB_MERGE_H

#include <stddef.h>

/* Merges the databases in_paths[0..n-1] into out_path (created with the
 * current schema when missing).  Refuses inputs whose schema version
 * (PRAGMA user_version) differs from OUT's, a capture already in OUT
 * (same source, sensor, first timestamp and packet count), OUT given as
 * an input, and a read-only or locked OUT.  Returns the number of
 * captures merged, or -1 with the reason in err (OUT unchanged). */
long db_merge(const char *out_path, char *const *in_paths, size_t n,
              char *err, size_t errlen);

/* "merge OUT IN..." with argv[0] "merge"; returns an enum exit_status. */
int db_merge_command(int argc, char **argv);

#endif
