/* Shared between the SQLite sink's files (sink_sqlite.c writes,
 * sink_sqlite_schema.c opens and validates); not a public interface. */
#ifndef RINGSCOPE_SINK_SQLITE_INTERNAL_H
#define RINGSCOPE_SINK_SQLITE_INTERNAL_H

#include <stddef.h>

#include <sqlite3.h>

/* The schema version this program writes: PRAGMA user_version in
 * sql/schema.sql (see sql/README.md). */
#define SINK_SQLITE_SCHEMA_VERSION 1

/* Writes into err the message for a failure rc while opening or
 * validating path: it names the file and says what is wrong in words
 * (locked, read-only, not a database, cannot be created).  db may be
 * NULL. */
void sink_sqlite_describe(sqlite3 *db, int rc, const char *path, char *err,
                          size_t errlen);

/* Prepares a freshly opened read-write connection for writing: refuses a
 * file it may not write, sets the connection pragmas, applies the schema
 * to an empty database or validates an existing one, and switches to
 * WAL.  Nothing is written before the file has been validated.  Returns
 * 0, or -1 with a message naming path in err. */
int sink_sqlite_schema_setup(sqlite3 *db, const char *path, char *err,
                             size_t errlen);

#endif
