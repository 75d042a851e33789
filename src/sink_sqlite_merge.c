/* "ringscope merge": several sensors' databases into one (db_merge.h).
 *
 * Inputs are attached read-only as in0, in1, ...; one transaction on OUT
 * copies them in order.  Per input, a temporary table maps old capture
 * ids to new ones, and every table with an integer row id gets an offset
 * that moves its ids above OUT's.  Each column is copied by one rule:
 *
 *   capture id    captures.id, capture_id, REFERENCES captures(id)
 *   flow id       flows.id, flow_id, REFERENCES flows(id): the capture
 *                 part (id / 10^10) is replaced by the new capture id
 *   row id        id INTEGER PRIMARY KEY, REFERENCES T(id): + offset of T
 *   value         everything else, unchanged */
#include "config.h"

#include "db_merge.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "options.h"
#include "sink_sqlite_internal.h"
#include "xalloc.h"

/* sink_sqlite.c builds flow ids as capture_id * stride + first_packet. */
#define MERGE_FLOW_STRIDE "10000000000"
#define MERGE_SQL_MAX 65536

enum merge_rule {
    MERGE_VALUE,
    MERGE_CAPTURE,
    MERGE_FLOW,
    MERGE_ROW,          /* + the offset of ref_table */
    MERGE_FLOW_TEXT,    /* text quoting flow ids ("flow N packet M") */
};

/* Text columns that quote flow ids in words: the schema cannot say
 * which, so they are listed here (compliance.c writes the evidence). */
static const struct {
    const char *table;
    const char *column;
} merge_flow_text_columns[] = {
    { "requirements", "evidence" },
};

struct merge_pair {
    sqlite3_int64 old_id;
    sqlite3_int64 new_id;
};

struct merge_ctx {
    sqlite3 *db;
    const char *out_path;
    char *err;
    size_t errlen;
    /* The current input's capture ids, old to new. */
    struct merge_pair *map;
    size_t n_map;
};

static int merge_fail(struct merge_ctx *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int merge_fail(struct merge_ctx *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int merge_sql_fail(struct merge_ctx *m, const char *what)
{
    int rc = sqlite3_extended_errcode(m->db);

    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ||
        (rc & 0xff) == SQLITE_READONLY) {
        sink_sqlite_describe(m->db, rc, m->out_path, m->err, m->errlen);
        return -1;
    }
    return merge_fail(m, "merging into '%s': %s: %s", m->out_path, what,
                      sqlite3_errmsg(m->db));
}

/* SQL function: rewrites every "flow N" with N a flow id (at least one
 * stride) of a mapped capture; other text stays as it is. */
static void merge_flow_text_fn(sqlite3_context *ctx, int argc,
                               sqlite3_value **argv)
{
    const struct merge_ctx *m = sqlite3_user_data(ctx);
    const char *in = (const char *)sqlite3_value_text(argv[0]);
    size_t len, used = 0, i = 0;
    char *out;

    (void)argc;
    if (!in) {
        sqlite3_result_null(ctx);
        return;
    }
    len = strlen(in);
    /* A rewritten id grows by at most the digits of a capture id. */
    out = sqlite3_malloc64(len * 2 + 64);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    while (i < len) {
        if (strncmp(in + i, "flow ", 5) == 0 && in[i + 5] >= '0' &&
            in[i + 5] <= '9' && (i == 0 || in[i - 1] == ' ' ||
                                 in[i - 1] == ',')) {
            unsigned long long id = 0, stride = 10000000000ull;
            size_t j = i + 5, k;
            bool overflow = false;

            while (j < len && in[j] >= '0' && in[j] <= '9') {
                if (id > (ULLONG_MAX - 9) / 10)
                    overflow = true;
                id = id * 10 + (unsigned long long)(in[j] - '0');
                j++;
            }
            for (k = 0; !overflow && id >= stride && k < m->n_map; k++)
                if ((unsigned long long)m->map[k].old_id == id / stride) {
                    used += (size_t)sprintf(out + used, "flow %llu",
                                            (unsigned long long)
                                            m->map[k].new_id * stride +
                                            id % stride);
                    i = j;
                    break;
                }
            if (i == j)
                continue;
        }
        out[used++] = in[i++];
    }
    sqlite3_result_text(ctx, out, (int)used, sqlite3_free);
}

static int merge_exec(struct merge_ctx *m, const char *sql)
{
    if (sqlite3_exec(m->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return merge_sql_fail(m, sql);
    return 0;
}

/* One integer from a query; *found says whether there was a non-NULL
 * value.  fmt is an sqlite3_mprintf() format (%w quotes identifiers), so
 * it takes no printf format attribute. */
static int merge_query_int(struct merge_ctx *m, sqlite3_int64 *out,
                           bool *found, const char *fmt, ...);

static int merge_query_int(struct merge_ctx *m, sqlite3_int64 *out,
                           bool *found, const char *fmt, ...)
{
    sqlite3_stmt *st = NULL;
    char *sql;
    va_list ap;
    int rc, ret = -1;

    va_start(ap, fmt);
    sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    if (!sql)
        return merge_fail(m, "out of memory");
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK) {
        merge_sql_fail(m, sql);
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        merge_sql_fail(m, sql);
        goto out;
    }
    *found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    *out = *found ? sqlite3_column_int64(st, 0) : 0;
    ret = 0;
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return ret;
}

/* --- per table --------------------------------------------------------- */

struct merge_column {
    char *name;
    enum merge_rule rule;
    char *ref_table;        /* MERGE_ROW: whose offset */
};

struct merge_table {
    char *name;
    struct merge_column *cols;
    size_t n_cols;
    bool has_row_id;        /* id INTEGER PRIMARY KEY */
    sqlite3_int64 offset;   /* for has_row_id, per input */
};

static void merge_table_release(struct merge_table *t)
{
    size_t i;

    for (i = 0; i < t->n_cols; i++) {
        free(t->cols[i].name);
        free(t->cols[i].ref_table);
    }
    free(t->cols);
    free(t->name);
}

/* Does name say "flow" and "id"?  Such a column is a flow reference the
 * rules must cover; merging it unchanged would point into another
 * capture. */
static bool merge_looks_like_flow_ref(const char *name)
{
    return strstr(name, "flow") != NULL &&
           (strstr(name, "_id") != NULL || strstr(name, "id_") != NULL);
}

/* The declared REFERENCES of main.table, as (column, target table). */
static int merge_foreign_target(struct merge_ctx *m, const char *table,
                                const char *column, char **target)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *target = NULL;
    rc = sqlite3_prepare_v2(m->db, "SELECT \"table\", \"to\" FROM "
                            "pragma_foreign_key_list(?1, 'main') "
                            "WHERE \"from\" = ?2", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return merge_sql_fail(m, "reading foreign keys");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *to = (const char *)sqlite3_column_text(st, 1);

        if (to && strcmp(to, "id") != 0) {
            merge_fail(m, "cannot merge column %s.%s: it references "
                       "%s(%s), and only id columns can be renumbered",
                       table, column,
                       (const char *)sqlite3_column_text(st, 0), to);
            sqlite3_finalize(st);
            return -1;
        }
        *target = xstrdup((const char *)sqlite3_column_text(st, 0));
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        return merge_sql_fail(m, "reading foreign keys");
    }
    sqlite3_finalize(st);
    return 0;
}

/* Reads the columns of schema.table (an input) and decides each one's
 * rule from OUT's declaration of the same table. */
static int merge_table_load(struct merge_ctx *m, const char *schema,
                            const char *table, const char *in_path,
                            struct merge_table *t)
{
    sqlite3_stmt *st = NULL;
    bool any_ref = false;
    size_t i;
    int rc, ret = -1;

    memset(t, 0, sizeof(*t));
    t->name = xstrdup(table);
    rc = sqlite3_prepare_v2(m->db, "SELECT s.name, o.name IS NOT NULL, "
                            "lower(coalesce(o.type, '')), coalesce(o.pk, 0) "
                            "FROM pragma_table_info(?1, ?2) AS s "
                            "LEFT JOIN pragma_table_info(?1, 'main') AS o "
                            "ON o.name = s.name ORDER BY s.cid",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return merge_sql_fail(m, "reading table columns");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, schema, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 2);
        int pk = sqlite3_column_int(st, 3);
        struct merge_column c = { NULL, MERGE_VALUE, NULL };
        char *target = NULL;

        if (!sqlite3_column_int(st, 1)) {
            merge_fail(m, "'%s' has column %s.%s, which '%s' lacks; merge "
                       "into a database written by the same ringscope",
                       in_path, table, name, m->out_path);
            goto out;
        }
        if (merge_foreign_target(m, table, name, &target) != 0)
            goto out;
        for (i = 0; i < sizeof(merge_flow_text_columns) /
                        sizeof(merge_flow_text_columns[0]); i++)
            if (strcmp(table, merge_flow_text_columns[i].table) == 0 &&
                strcmp(name, merge_flow_text_columns[i].column) == 0)
                c.rule = MERGE_FLOW_TEXT;
        if (c.rule == MERGE_FLOW_TEXT) {
            /* decided above */
        } else if (strcmp(table, "captures") == 0 && strcmp(name, "id") == 0) {
            c.rule = MERGE_CAPTURE;
        } else if (strcmp(table, "flows") == 0 && strcmp(name, "id") == 0) {
            c.rule = MERGE_FLOW;
        } else if (strcmp(name, "capture_id") == 0 ||
                   (target && strcmp(target, "captures") == 0)) {
            c.rule = MERGE_CAPTURE;
        } else if (strcmp(name, "flow_id") == 0 ||
                   (target && strcmp(target, "flows") == 0)) {
            c.rule = MERGE_FLOW;
        } else if (target) {
            c.rule = MERGE_ROW;
            c.ref_table = xstrdup(target);
        } else if (strcmp(name, "id") == 0 && pk == 1 &&
                   strcmp(type, "integer") == 0) {
            c.rule = MERGE_ROW;
            c.ref_table = xstrdup(table);
            t->has_row_id = true;
        } else if (merge_looks_like_flow_ref(name)) {
            free(target);
            merge_fail(m, "cannot merge column %s.%s: it looks like a flow "
                       "reference but is neither flow_id nor declared "
                       "REFERENCES flows(id)", table, name);
            goto out;
        }
        free(target);
        if (c.rule == MERGE_CAPTURE || c.rule == MERGE_FLOW)
            any_ref = true;
        c.name = xstrdup(name);
        t->cols = xreallocarray(t->cols, t->n_cols + 1, sizeof(*t->cols));
        t->cols[t->n_cols++] = c;
    }
    if (rc != SQLITE_DONE) {
        merge_sql_fail(m, "reading table columns");
        goto out;
    }
    /* Rows tied to no capture and no flow cannot be told apart from
     * OUT's own; refuse rather than mix them. */
    if (!any_ref) {
        sqlite3_int64 n;
        bool found;
        bool refs_row = false;

        for (i = 0; i < t->n_cols; i++)
            if (t->cols[i].rule == MERGE_ROW &&
                strcmp(t->cols[i].ref_table, table) != 0)
                refs_row = true;
        if (!refs_row) {
            if (merge_query_int(m, &n, &found, "SELECT count(*) FROM "
                                "\"%w\".\"%w\"", schema, table) != 0)
                goto out;
            if (n > 0) {
                merge_fail(m, "cannot merge table %s of '%s': it has no "
                           "capture_id or flow reference", table, in_path);
                goto out;
            }
        }
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}

/* The expression that copies column c of a row of schema's table. */
static void merge_column_expr(const struct merge_table *tables, size_t n,
                              const char *schema, const struct merge_column *c,
                              char *buf, size_t len)
{
    sqlite3_int64 offset = 0;
    size_t i;

    switch (c->rule) {
    case MERGE_VALUE:
        sqlite3_snprintf((int)len, buf, "\"%w\"", c->name);
        break;
    case MERGE_FLOW_TEXT:
        sqlite3_snprintf((int)len, buf, "ringscope_merge_flow_text(\"%w\")",
                         c->name);
        break;
    case MERGE_CAPTURE:
        sqlite3_snprintf((int)len, buf, "(SELECT new_id FROM "
                         "temp.merge_capture_map WHERE old_id = \"%w\")",
                         c->name);
        break;
    case MERGE_FLOW:
        sqlite3_snprintf((int)len, buf, "(\"%w\" + ((SELECT new_id FROM "
                         "temp.merge_capture_map WHERE old_id = \"%w\" / "
                         MERGE_FLOW_STRIDE ") - \"%w\" / " MERGE_FLOW_STRIDE
                         ") * " MERGE_FLOW_STRIDE ")", c->name, c->name,
                         c->name);
        break;
    case MERGE_ROW:
        for (i = 0; i < n; i++)
            if (strcmp(tables[i].name, c->ref_table) == 0)
                offset = tables[i].offset;
        sqlite3_snprintf((int)len, buf, "(\"%w\" + %lld)", c->name,
                         (long long)offset);
        break;
    }
    (void)schema;
}

static int merge_table_copy(struct merge_ctx *m, const char *schema,
                            const struct merge_table *t,
                            const struct merge_table *tables, size_t n)
{
    char *sql = xmalloc(MERGE_SQL_MAX);
    char expr[512];
    size_t used = 0, i;
    int ret = -1;

#define MERGE_APPEND(...) do { \
        int w_ = snprintf(sql + used, MERGE_SQL_MAX - used, __VA_ARGS__); \
        if (w_ < 0 || (size_t)w_ >= MERGE_SQL_MAX - used) { \
            merge_fail(m, "table %s has too many columns to merge", \
                       t->name); \
            goto out; \
        } \
        used += (size_t)w_; \
    } while (0)

    sqlite3_snprintf(sizeof(expr), expr, "%w", t->name);
    MERGE_APPEND("INSERT INTO main.\"%s\" (", expr);
    for (i = 0; i < t->n_cols; i++) {
        sqlite3_snprintf(sizeof(expr), expr, "%w", t->cols[i].name);
        MERGE_APPEND("%s\"%s\"", i ? ", " : "", expr);
    }
    MERGE_APPEND(") SELECT ");
    for (i = 0; i < t->n_cols; i++) {
        merge_column_expr(tables, n, schema, &t->cols[i], expr, sizeof(expr));
        MERGE_APPEND("%s%s", i ? ", " : "", expr);
    }
    sqlite3_snprintf(sizeof(expr), expr, "\"%w\".\"%w\"", schema, t->name);
    MERGE_APPEND(" FROM %s", expr);
#undef MERGE_APPEND
    if (merge_exec(m, sql) != 0)
        goto out;
    ret = 0;
out:
    free(sql);
    return ret;
}

/* --- per input --------------------------------------------------------- */

/* New capture ids for schema's captures, refusing one OUT already has. */
static int merge_map_captures(struct merge_ctx *m, const char *schema,
                              const char *in_path, long *merged)
{
    sqlite3_stmt *st = NULL;
    char *sql;
    int rc, ret = -1;

    if (merge_exec(m, "DELETE FROM temp.merge_capture_map") != 0)
        return -1;
    m->n_map = 0;
    sql = sqlite3_mprintf(
        "SELECT s.id, s.source, coalesce(s.sensor, ''), "
        "(SELECT o.id FROM main.captures AS o WHERE o.source IS s.source "
        " AND o.sensor IS s.sensor AND o.first_ts IS s.first_ts "
        " AND o.packets IS s.packets) "
        "FROM \"%w\".captures AS s ORDER BY s.id", schema);
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK) {
        merge_sql_fail(m, "reading captures");
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 next;
        bool found;
        char *ins;

        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            merge_fail(m, "capture %lld of '%s' (source '%s', sensor '%s') "
                       "is already in '%s' as capture %lld; nothing merged",
                       (long long)sqlite3_column_int64(st, 0), in_path,
                       (const char *)sqlite3_column_text(st, 1),
                       (const char *)sqlite3_column_text(st, 2),
                       m->out_path,
                       (long long)sqlite3_column_int64(st, 3));
            goto out;
        }
        if (merge_query_int(m, &next, &found, "SELECT max(id) FROM ("
                            "SELECT id FROM main.captures UNION ALL "
                            "SELECT new_id FROM temp.merge_capture_map)") != 0)
            goto out;
        ins = sqlite3_mprintf("INSERT INTO temp.merge_capture_map "
                              "VALUES (%lld, %lld)",
                              (long long)sqlite3_column_int64(st, 0),
                              (long long)(found ? next + 1 : 1));
        rc = merge_exec(m, ins);
        sqlite3_free(ins);
        if (rc != 0)
            goto out;
        m->map = xreallocarray(m->map, m->n_map + 1, sizeof(*m->map));
        m->map[m->n_map].old_id = sqlite3_column_int64(st, 0);
        m->map[m->n_map].new_id = found ? next + 1 : 1;
        m->n_map++;
        (*merged)++;
    }
    if (rc != SQLITE_DONE) {
        merge_sql_fail(m, "reading captures");
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return ret;
}

static int merge_input(struct merge_ctx *m, const char *schema,
                       const char *in_path, long *merged)
{
    struct merge_table *tables = NULL;
    size_t n = 0, i;
    sqlite3_stmt *st = NULL;
    sqlite3_int64 in_version, out_version;
    bool found;
    char *sql = NULL;
    int rc, ret = -1;

    if (merge_query_int(m, &in_version, &found, "PRAGMA \"%w\".user_version",
                        schema) != 0 ||
        merge_query_int(m, &out_version, &found, "PRAGMA main.user_version")
        != 0)
        goto out;
    if (in_version != out_version) {
        merge_fail(m, "'%s' has schema version %lld but '%s' has %lld; "
                   "only databases of the same schema version can be "
                   "merged", in_path, (long long)in_version, m->out_path,
                   (long long)out_version);
        goto out;
    }
    if (merge_query_int(m, &in_version, &found, "SELECT count(*) FROM "
                        "\"%w\".sqlite_master WHERE type = 'table' AND "
                        "name IN ('captures', 'flows')", schema) != 0)
        goto out;
    if (in_version != 2) {
        merge_fail(m, "'%s' is not a ringscope database (no captures and "
                   "flows tables)", in_path);
        goto out;
    }

    /* The tables, in the input's creation order, captures and flows
     * first; tables OUT lacks are refused unless empty. */
    sql = sqlite3_mprintf("SELECT s.name, (SELECT count(*) FROM "
                          "main.sqlite_master AS o WHERE o.type = 'table' "
                          "AND o.name = s.name) FROM \"%w\".sqlite_master "
                          "AS s WHERE s.type = 'table' AND s.name NOT LIKE "
                          "'sqlite_%%' ORDER BY s.name <> 'captures', "
                          "s.name <> 'flows', s.rowid", schema);
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK) {
        merge_sql_fail(m, "listing tables");
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        sqlite3_int64 rows;

        if (!sqlite3_column_int(st, 1)) {
            if (merge_query_int(m, &rows, &found, "SELECT count(*) FROM "
                                "\"%w\".\"%w\"", schema, name) != 0)
                goto out;
            if (rows > 0) {
                merge_fail(m, "'%s' has table %s, which '%s' lacks; merge "
                           "into a database written by the same ringscope",
                           in_path, name, m->out_path);
                goto out;
            }
            continue;
        }
        tables = xreallocarray(tables, n + 1, sizeof(*tables));
        if (merge_table_load(m, schema, name, in_path, &tables[n]) != 0) {
            merge_table_release(&tables[n]);
            goto out;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        merge_sql_fail(m, "listing tables");
        goto out;
    }

    if (merge_map_captures(m, schema, in_path, merged) != 0)
        goto out;
    /* Row ids move above OUT's: new = old + offset keeps their order. */
    for (i = 0; i < n; i++) {
        sqlite3_int64 out_max, in_min;
        bool out_found, in_found;

        if (!tables[i].has_row_id)
            continue;
        if (merge_query_int(m, &out_max, &out_found, "SELECT max(id) FROM "
                            "main.\"%w\"", tables[i].name) != 0 ||
            merge_query_int(m, &in_min, &in_found, "SELECT min(id) FROM "
                            "\"%w\".\"%w\"", schema, tables[i].name) != 0)
            goto out;
        tables[i].offset = (out_found ? out_max : 0) -
                           (in_found ? in_min : 1) + 1;
    }
    for (i = 0; i < n; i++)
        if (merge_table_copy(m, schema, &tables[i], tables, n) != 0)
            goto out;
    ret = 0;
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    for (i = 0; i < n; i++)
        merge_table_release(&tables[i]);
    free(tables);
    return ret;
}

/* A file URI opening path read-only; '%', '?' and '#' are escaped. */
static char *merge_ro_uri(const char *path)
{
    size_t len = strlen(path), i, o = 0;
    char *uri = xmalloc(len * 3 + 32);

    o += (size_t)sprintf(uri, "file:");
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)path[i];

        if (ch == '%' || ch == '?' || ch == '#')
            o += (size_t)sprintf(uri + o, "%%%02X", ch);
        else
            uri[o++] = (char)ch;
    }
    strcpy(uri + o, "?mode=ro");
    return uri;
}

static bool merge_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

long db_merge(const char *out_path, char *const *in_paths, size_t n,
              char *err, size_t errlen)
{
    struct merge_ctx m = { NULL, out_path, err, errlen, NULL, 0 };
    long merged = 0, ret = -1;
    size_t i;
    int rc, max_attached;

    for (i = 0; i < n; i++) {
        if (access(in_paths[i], R_OK) != 0) {
            snprintf(err, errlen, "cannot read database '%s': %s",
                     in_paths[i], strerror(errno));
            return -1;
        }
        if (merge_same_file(out_path, in_paths[i])) {
            snprintf(err, errlen, "'%s' is both the output and an input",
                     in_paths[i]);
            return -1;
        }
    }
    rc = sqlite3_open_v2(out_path, &m.db, SQLITE_OPEN_READWRITE |
                         SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
    if (rc != SQLITE_OK) {
        sink_sqlite_describe(m.db, rc, out_path, err, errlen);
        goto out;
    }
    sqlite3_busy_timeout(m.db, 2000);
    sqlite3_create_function(m.db, "ringscope_merge_flow_text", 1,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, &m,
                            merge_flow_text_fn, NULL, NULL);
    if (sink_sqlite_schema_setup(m.db, out_path, err, errlen) != 0)
        goto out;
    /* Every input is attached before the transaction (SQLite cannot
     * attach inside one), so the number of inputs is bounded. */
    max_attached = sqlite3_limit(m.db, SQLITE_LIMIT_ATTACHED, INT_MAX);
    if (n > (size_t)max_attached) {
        snprintf(err, errlen, "at most %d databases can be merged at once; "
                 "merge them in steps", max_attached);
        goto out;
    }
    for (i = 0; i < n; i++) {
        char *uri = merge_ro_uri(in_paths[i]);
        char *sql = sqlite3_mprintf("ATTACH DATABASE %Q AS in%d", uri,
                                    (int)i);

        rc = sqlite3_exec(m.db, sql, NULL, NULL, NULL);
        sqlite3_free(sql);
        free(uri);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "cannot open database '%s': %s",
                     in_paths[i], sqlite3_errmsg(m.db));
            goto out;
        }
    }
    if (merge_exec(&m, "CREATE TEMP TABLE merge_capture_map ("
                   "old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL)")
        != 0)
        goto out;
    /* Foreign keys are checked at COMMIT, once every table is in. */
    if (merge_exec(&m, "BEGIN IMMEDIATE") != 0 ||
        merge_exec(&m, "PRAGMA defer_foreign_keys = ON") != 0)
        goto out;
    for (i = 0; i < n; i++) {
        char schema[32];

        snprintf(schema, sizeof(schema), "in%zu", i);
        if (merge_input(&m, schema, in_paths[i], &merged) != 0)
            goto out;
    }
    if (merge_exec(&m, "COMMIT") != 0)
        goto out;
    ret = merged;
out:
    if (m.db && !sqlite3_get_autocommit(m.db))
        sqlite3_exec(m.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(m.db);
    free(m.map);
    return ret;
}

int db_merge_command(int argc, char **argv)
{
    char err[1024];
    long merged;
    bool quiet = false;
    int first = 1;

    if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
                     strcmp(argv[1], "--help") == 0)) {
        printf("Usage: ringscope merge [-q] OUT.db IN.db...\n"
               "Copy every capture of the IN databases into OUT (created "
               "when missing),\nrenumbering captures and flows.  See "
               "ringscope(1), DEPLOYING MANY SENSORS.\n");
        return EXIT_COMPLIANT;
    }
    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        quiet = true;
        first = 2;
    }
    if (argc - first < 2) {
        log_error("merge needs an output and at least one input database");
        fprintf(stderr, "Usage: ringscope merge [-q] OUT.db IN.db...\n");
        return EXIT_USAGE;
    }
    merged = db_merge(argv[first], argv + first + 1,
                      (size_t)(argc - first - 1), err, sizeof(err));
    if (merged < 0) {
        log_error("%s", err);
        return EXIT_USAGE;
    }
    if (!quiet)
        printf("merged %ld capture%s from %d database%s into '%s'\n", merged,
               merged == 1 ? "" : "s", argc - first - 1,
               argc - first - 1 == 1 ? "" : "s", argv[first]);
    return EXIT_COMPLIANT;
}
