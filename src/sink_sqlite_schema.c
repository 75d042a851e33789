/* Opening the SQLite sink's database: what the file is, its schema
 * version, and the connection settings the writer relies on. */
#include "config.h"

#include "sink_sqlite_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* sql/schema.sql, embedded at build time. */
extern const char ringscope_schema_sql[];

/* The tables a database of this schema version must have; a database
 * with the right user_version but without them belongs to another
 * program that also sets user_version. */
static const char *const sink_sqlite_tables[] = {
    "captures",
    "decode_anomalies",
    "flows",
    "findings",
};

/* SQLite cannot open or create the file.  Its errno is not enough to
 * tell why: after a failed create it retries read-only and keeps that
 * errno (ENOENT).  So look at the file and its directory. */
static void sink_sqlite_describe_cantopen(sqlite3 *db, const char *path,
                                          char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    struct stat st;
    int sys = db ? sqlite3_system_errno(db) : 0;

    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);

    if (stat(path, &st) != 0 && errno == ENOENT) {
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            snprintf(err, errlen, "cannot create database '%s': its "
                     "directory does not exist", path);
        else if (access(dir, W_OK | X_OK) != 0)
            snprintf(err, errlen, "cannot create database '%s': its "
                     "directory is not writable", path);
        else
            snprintf(err, errlen, "cannot create database '%s': %s", path,
                     sys ? strerror(sys) : "unable to open database file");
    } else if (sys != 0) {
        snprintf(err, errlen, "cannot open database '%s' (or its journal "
                 "next to it): %s", path, strerror(sys));
    } else {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 db ? sqlite3_errmsg(db) : "unable to open database file");
    }
}

/* Turns a failure while opening or validating into the message the user
 * sees: it names the file and says what is wrong in words, not codes. */
void sink_sqlite_describe(sqlite3 *db, int rc, const char *path, char *err,
                          size_t errlen)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(err, errlen, "database '%s' is locked by another process",
                 path);
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        snprintf(err, errlen,
                 "'%s' is not a ringscope database or is corrupt", path);
        break;
    case SQLITE_READONLY:
        if (rc == SQLITE_READONLY_DIRECTORY)
            snprintf(err, errlen, "cannot write database '%s': its "
                     "directory is read-only", path);
        else
            snprintf(err, errlen, "database '%s' is read-only", path);
        break;
    case SQLITE_CANTOPEN:
        sink_sqlite_describe_cantopen(db, path, err, errlen);
        break;
    default:
        snprintf(err, errlen, "cannot use database '%s': %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        break;
    }
}

/* Runs a statement that yields one integer (pragmas, counts). */
static int sink_sqlite_query_int(sqlite3 *db, const char *sql,
                                 sqlite3_int64 *out)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Checks that every table of this schema version exists; names the
 * first one missing. */
static const char *sink_sqlite_missing_table(sqlite3 *db, int *rc)
{
    static const char sql[] =
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
        "name = ?";
    sqlite3_stmt *st = NULL;
    const char *missing = NULL;
    size_t i;

    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc != SQLITE_OK)
        return NULL;
    for (i = 0; i < sizeof(sink_sqlite_tables) / sizeof(sink_sqlite_tables[0])
         && !missing; i++) {
        sqlite3_bind_text(st, 1, sink_sqlite_tables[i], -1, SQLITE_STATIC);
        *rc = sqlite3_step(st);
        if (*rc != SQLITE_ROW)
            break;
        *rc = SQLITE_OK;
        if (sqlite3_column_int(st, 0) == 0)
            missing = sink_sqlite_tables[i];
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return missing;
}

/* Decides what the file is, inside one write transaction so that nothing
 * changes between the check and the schema being applied: an empty
 * database gets the schema, a ringscope database of this version is
 * used as it is, and anything else is refused untouched.  The write lock
 * of BEGIN IMMEDIATE also proves that the file can be written and is not
 * held by another writer. */
static int sink_sqlite_check_schema(sqlite3 *db, const char *path, char *err,
                                    size_t errlen)
{
    sqlite3_int64 version = 0, objects = 0;
    const char *missing;
    int ret = -1;
    int rc;

    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    rc = sink_sqlite_query_int(db, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK)
        goto fail;
    rc = sink_sqlite_query_int(db, "SELECT count(*) FROM sqlite_master",
                               &objects);
    if (rc != SQLITE_OK)
        goto fail;

    if (version == 0 && objects > 0) {
        snprintf(err, errlen, "'%s' is an SQLite database of another "
                 "program (it has tables but no ringscope schema version); "
                 "refusing to write into it", path);
        goto out;
    }
    if (version > SINK_SQLITE_SCHEMA_VERSION) {
        snprintf(err, errlen, "'%s' has schema version %lld, newer than "
                 "this ringscope (%d); upgrade ringscope", path,
                 (long long)version, SINK_SQLITE_SCHEMA_VERSION);
        goto out;
    }
    if (version < 0) {
        snprintf(err, errlen, "'%s' is not a ringscope database (schema "
                 "version %lld)", path, (long long)version);
        goto out;
    }
    /* No migration exists yet (sql/README.md): every version between 0
     * and the current one is refused rather than guessed at. */
    if (version > 0 && version < SINK_SQLITE_SCHEMA_VERSION) {
        snprintf(err, errlen, "'%s' has schema version %lld, older than "
                 "this ringscope (%d), and no migration from it exists",
                 path, (long long)version, SINK_SQLITE_SCHEMA_VERSION);
        goto out;
    }
    if (version == 0) {
        rc = sqlite3_exec(db, ringscope_schema_sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            goto fail;
        rc = sink_sqlite_query_int(db, "PRAGMA user_version", &version);
        if (rc != SQLITE_OK)
            goto fail;
        if (version != SINK_SQLITE_SCHEMA_VERSION) {
            snprintf(err, errlen, "the built-in schema has version %lld, "
                     "this ringscope writes %d", (long long)version,
                     SINK_SQLITE_SCHEMA_VERSION);
            goto out;
        }
    }
    missing = sink_sqlite_missing_table(db, &rc);
    if (rc != SQLITE_OK)
        goto fail;
    if (missing) {
        snprintf(err, errlen, "'%s' is not a ringscope database or is "
                 "corrupt (it has no table '%s')", path, missing);
        goto out;
    }
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    ret = 0;
    goto out;
fail:
    sink_sqlite_describe(db, rc, path, err, errlen);
out:
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}

/* Connection settings that write nothing: foreign keys checked;
 * synchronous=NORMAL, which in WAL mode loses no committed transaction
 * when the process dies (only on power loss may the last ones roll
 * back); and a page cache of 512 KiB instead of 2 MiB: rows are appended,
 * so the pages in use are the last ones of each table and index, and the
 * rest come back from the operating system's cache when needed. */
static int sink_sqlite_connection_setup(sqlite3 *db, const char *path,
                                        char *err, size_t errlen)
{
    int rc;

    rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON; "
                      "PRAGMA synchronous = NORMAL; "
                      "PRAGMA cache_size = -512", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sink_sqlite_describe(db, rc, path, err, errlen);
        return -1;
    }
    return 0;
}

/* WAL lets readers (reports, the TUI) work while the capture is written,
 * and keeps every committed batch when the process is killed.  The mode
 * is persistent, so this writes only the first time. */
static int sink_sqlite_set_wal(sqlite3 *db, const char *path, char *err,
                               size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int ret = -1;
    int rc;

    rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sink_sqlite_describe(db, rc, path, err, errlen);
        goto out;
    }
    /* A file system without shared memory keeps the rollback journal,
     * which is still crash safe, only slower. */
    if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
        log_warn("'%s' cannot use write-ahead logging; journal mode is %s",
                 path, (const char *)sqlite3_column_text(st, 0));
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}

int sink_sqlite_schema_setup(sqlite3 *db, const char *path, char *err,
                             size_t errlen)
{
    /* A file the process may not write is opened read-only without an
     * error; refuse it before anything else. */
    if (sqlite3_db_readonly(db, "main") != 0) {
        snprintf(err, errlen, "database '%s' is read-only", path);
        return -1;
    }
    if (sink_sqlite_connection_setup(db, path, err, errlen) != 0 ||
        sink_sqlite_check_schema(db, path, err, errlen) != 0 ||
        sink_sqlite_set_wal(db, path, err, errlen) != 0)
        return -1;
    return 0;
}
