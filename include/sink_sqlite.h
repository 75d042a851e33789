/* The SQLite sink: writes captures, flows and analyzer records into a
 * database with the schema of sql/schema.sql.  This module (and its
 * sink_sqlite_*.c companions) are the only users of sqlite3.h. */
#ifndef RINGSCOPE_SINK_SQLITE_H
#define RINGSCOPE_SINK_SQLITE_H

#include <stddef.h>
#include <stdint.h>

#include "sink.h"

struct sink_sqlite_config {
    const char *path;
    int busy_timeout_ms;        /* wait this long for another writer */
    uint32_t batch_rows;        /* commit after this many rows ... */
    int64_t batch_interval_us;  /* ... or this much wall time */
};

/* Defaults: busy timeout 5 s, 5000 rows, 1 s. */
void sink_sqlite_config_defaults(struct sink_sqlite_config *cfg);

/* Opens or creates the database, applies the schema to a new one and
 * checks the version of an existing one.  On failure returns -1 with a
 * message in err that names the file and says what is wrong: cannot be
 * created, read-only, locked by another process, not a database or
 * corrupt, or written by a newer ringscope (schema version).  Nothing is
 * written to the file before it has been validated. */
int sink_sqlite_open(const struct sink_sqlite_config *cfg, struct sink *out,
                     char *err, size_t errlen);

#endif
