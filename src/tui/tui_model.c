/* The interface's model: bounded row tables with a sorted, filtered view,
 * a selection that follows its row, and scrolling.  No terminal, no I/O. */
#include "config.h"

#include "tui_model.h"

#include <stdlib.h>
#include <string.h>

#include "tui_model_internal.h"
#include "xalloc.h"

struct tui_table_state {
    unsigned char *rows;        /* n rows of the type's row_size */
    size_t n;
    size_t cap;
    uint64_t dropped;

    size_t *view;               /* row indices in display order */
    size_t n_view;
    bool stale;                 /* rows, sort or filters changed */

    int sort_col;
    bool descending;
    bool has_category;
    char category[TUI_TEXT_MAX];
    char filter[TUI_FILTER_MAX];    /* lowercase */

    size_t page;
    size_t selected;
    size_t top;
    uint64_t selected_serial;   /* 0: none yet */
};

struct tui_model {
    struct tui_table_state tables[TUI_TABLE_COUNT];
    uint64_t next_serial;
    unsigned capture;
    struct tui_stats stats;
    char status[TUI_TEXT_MAX];

    /* Flows of the current capture by flow id: open addressing with
     * linear probing, entries are row index + 1 (0 empty).  Rebuilt when
     * the rows move; never more than half full. */
    uint32_t *flow_index;
    size_t flow_index_cap;      /* a power of two */
};

static const struct tui_table_type *type_of(enum tui_table t)
{
    return tui_model_types[t];
}

static void *row_ptr(const struct tui_table_state *ts,
                     const struct tui_table_type *ty, size_t i)
{
    return ts->rows + i * ty->row_size;
}

uint64_t tui_model_row_serial(enum tui_table t, const void *row)
{
    /* Every row type starts with its serial. */
    (void)t;
    return *(const uint64_t *)row;
}

/* --- life cycle ------------------------------------------------------ */

struct tui_model *tui_model_new(void)
{
    struct tui_model *m = xcalloc(1, sizeof(*m));
    int t;

    for (t = 0; t < TUI_TABLE_COUNT; t++) {
        m->tables[t].sort_col = type_of((enum tui_table)t)->default_col;
        m->tables[t].descending =
            type_of((enum tui_table)t)->cols[m->tables[t].sort_col]
                .descending;
        m->tables[t].page = 1;
    }
    m->next_serial = 1;
    return m;
}

void tui_model_free(struct tui_model *m)
{
    struct tui_table_state *calls;
    size_t i;
    int t;

    if (!m)
        return;
    calls = &m->tables[TUI_TABLE_CALLS];
    for (i = 0; i < calls->n; i++)
        free(((struct tui_call_row *)row_ptr(calls, type_of(TUI_TABLE_CALLS),
                                             i))->messages);
    for (t = 0; t < TUI_TABLE_COUNT; t++) {
        free(m->tables[t].rows);
        free(m->tables[t].view);
    }
    free(m->flow_index);
    free(m);
}

void tui_model_begin_capture(struct tui_model *m)
{
    m->capture++;
    /* Flow ids restart with each capture: only the new capture's flows
     * are looked up from now on. */
    if (m->flow_index)
        memset(m->flow_index, 0, m->flow_index_cap * sizeof(uint32_t));
}

void tui_model_set_stats(struct tui_model *m, const struct tui_stats *st)
{
    m->stats = *st;
}

const struct tui_stats *tui_model_stats(const struct tui_model *m)
{
    return &m->stats;
}

void tui_model_set_status(struct tui_model *m, const char *msg)
{
    tui_model_sanitize(m->status, sizeof(m->status), msg);
}

const char *tui_model_status(const struct tui_model *m)
{
    return m->status;
}

/* --- storage --------------------------------------------------------- */

/* Appends a zeroed row with a fresh serial; NULL when the table is at its
 * bound. */
static void *table_append(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = type_of(t);
    void *r;

    if (ts->n == ty->max_rows)
        return NULL;
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;

        if (cap > ty->max_rows)
            cap = ty->max_rows;
        ts->rows = xreallocarray(ts->rows, cap, ty->row_size);
        ts->view = xreallocarray(ts->view, cap, sizeof(size_t));
        ts->cap = cap;
    }
    r = row_ptr(ts, ty, ts->n++);
    memset(r, 0, ty->row_size);
    *(uint64_t *)r = m->next_serial++;
    ts->stale = true;
    return r;
}

/* Keeps the rows for which keep[i] is true, in order. */
static void table_compact(struct tui_table_state *ts,
                          const struct tui_table_type *ty, const bool *keep)
{
    size_t i, o = 0;

    for (i = 0; i < ts->n; i++) {
        if (!keep[i])
            continue;
        if (o != i)
            memcpy(row_ptr(ts, ty, o), row_ptr(ts, ty, i), ty->row_size);
        o++;
    }
    ts->dropped += ts->n - o;
    ts->n = o;
    ts->stale = true;
}

static size_t flow_hash(uint64_t id, size_t cap)
{
    /* Fibonacci hashing spreads consecutive ids (frame numbers). */
    return (size_t)((id * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & (cap - 1);
}

static void flow_index_rebuild(struct tui_model *m)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_FLOWS];
    const struct tui_table_type *ty = type_of(TUI_TABLE_FLOWS);
    size_t need = 1024, i;

    while (need < 2 * ts->cap)
        need *= 2;
    if (need != m->flow_index_cap) {
        free(m->flow_index);
        m->flow_index = xcalloc(need, sizeof(uint32_t));
        m->flow_index_cap = need;
    } else {
        memset(m->flow_index, 0, need * sizeof(uint32_t));
    }
    for (i = 0; i < ts->n; i++) {
        const struct tui_flow_row *r = row_ptr(ts, ty, i);
        size_t h;

        if (r->capture != m->capture)
            continue;
        h = flow_hash(r->flow_id, need);
        while (m->flow_index[h])
            h = (h + 1) & (need - 1);
        m->flow_index[h] = (uint32_t)(i + 1);
    }
}

static struct tui_flow_row *flow_lookup(const struct tui_model *m,
                                        uint64_t flow_id)
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_FLOWS];
    size_t h;

    if (!m->flow_index)
        return NULL;
    h = flow_hash(flow_id, m->flow_index_cap);
    while (m->flow_index[h]) {
        struct tui_flow_row *r =
            row_ptr(ts, type_of(TUI_TABLE_FLOWS), m->flow_index[h] - 1);

        if (r->flow_id == flow_id && r->capture == m->capture)
            return r;
        h = (h + 1) & (m->flow_index_cap - 1);
    }
    return NULL;
}

/* Makes room in a full flow table by dropping the older half of the
 * flows that ended (the database has them).  False when every row is a
 * live flow. */
static bool flows_make_room(struct tui_model *m)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_FLOWS];
    const struct tui_table_type *ty = type_of(TUI_TABLE_FLOWS);
    size_t ended = 0, drop, i;
    bool *keep;

    for (i = 0; i < ts->n; i++)
        if (((const struct tui_flow_row *)row_ptr(ts, ty, i))->ended)
            ended++;
    if (ended == 0)
        return false;
    drop = (ended + 1) / 2;
    keep = xcalloc(ts->n, sizeof(bool));
    for (i = 0; i < ts->n; i++) {
        const struct tui_flow_row *r = row_ptr(ts, ty, i);

        keep[i] = true;
        /* Rows are in arrival order, so the first ended ones are the
         * oldest. */
        if (r->ended && drop > 0) {
            keep[i] = false;
            drop--;
        }
    }
    table_compact(ts, ty, keep);
    free(keep);
    flow_index_rebuild(m);
    return true;
}

int tui_model_put_flow(struct tui_model *m, const struct flow *f,
                       bool ended)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_FLOWS];
    struct tui_flow_row *r = flow_lookup(m, f->id);
    size_t h;

    if (!r) {
        size_t cap = ts->cap;

        if (ts->n == type_of(TUI_TABLE_FLOWS)->max_rows &&
            !flows_make_room(m)) {
            ts->dropped++;
            return -1;
        }
        r = table_append(m, TUI_TABLE_FLOWS);
        r->capture = m->capture;
        r->flow_id = f->id;
        if (ts->cap != cap || !m->flow_index) {
            flow_index_rebuild(m);
        } else {
            h = flow_hash(f->id, m->flow_index_cap);
            while (m->flow_index[h])
                h = (h + 1) & (m->flow_index_cap - 1);
            m->flow_index[h] = (uint32_t)ts->n;
        }
    }
    tui_model_fill_flow(r, f, ended);
    ts->stale = true;
    return 0;
}

int tui_model_add_finding(struct tui_model *m, const struct finding *fd)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_FINDINGS];
    const struct tui_table_type *ty = type_of(TUI_TABLE_FINDINGS);
    struct tui_finding_row *r;

    if (ts->n == ty->max_rows) {
        bool *keep = xcalloc(ts->n, sizeof(bool));
        size_t i;

        for (i = ts->n / 2; i < ts->n; i++)
            keep[i] = true;
        table_compact(ts, ty, keep);
        free(keep);
    }
    r = table_append(m, TUI_TABLE_FINDINGS);
    r->capture = m->capture;
    r->severity = fd->severity;
    tui_model_sanitize(r->kind, sizeof(r->kind), fd->kind);
    tui_model_sanitize(r->requirement, sizeof(r->requirement),
                       fd->requirement);
    r->flow_id = fd->flow_id;
    r->first_packet = fd->first_packet;
    r->ts_us = fd->ts_us;
    tui_model_sanitize(r->summary, sizeof(r->summary), fd->summary);
    return 0;
}

static struct tui_check_row *check_find(struct tui_model *m, const char *id)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_CHECKLIST];
    char clean[TUI_NAME_MAX];
    size_t i;

    tui_model_sanitize(clean, sizeof(clean), id);
    for (i = 0; i < ts->n; i++) {
        struct tui_check_row *r =
            row_ptr(ts, type_of(TUI_TABLE_CHECKLIST), i);

        if (strcmp(r->id, clean) == 0)
            return r;
    }
    return NULL;
}

int tui_model_add_requirement(struct tui_model *m, const char *id,
                              const char *sets, const char *text)
{
    struct tui_check_row *r = check_find(m, id);

    if (!r) {
        r = table_append(m, TUI_TABLE_CHECKLIST);
        if (!r)
            return -1;
        tui_model_sanitize(r->id, sizeof(r->id), id);
        r->verdict = TUI_VERDICT_NOT_OBSERVED;
    }
    tui_model_sanitize(r->sets, sizeof(r->sets), sets);
    tui_model_sanitize(r->text, sizeof(r->text), text);
    m->tables[TUI_TABLE_CHECKLIST].stale = true;
    return 0;
}

int tui_model_set_verdict(struct tui_model *m, const char *id,
                          enum tui_verdict v, const char *summary)
{
    struct tui_check_row *r = check_find(m, id);

    if (!r) {
        if (tui_model_add_requirement(m, id, "", "") != 0)
            return -1;
        r = check_find(m, id);
    }
    r->verdict = v;
    tui_model_sanitize(r->summary, sizeof(r->summary), summary);
    m->tables[TUI_TABLE_CHECKLIST].stale = true;
    return 0;
}

static struct tui_call_row *call_find(struct tui_model *m,
                                      const char *call_id)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_CALLS];
    char clean[TUI_CALL_ID_MAX];
    size_t i;

    /* A linear search: calls are few (bounded) and arrive at SIP rates. */
    tui_model_sanitize(clean, sizeof(clean), call_id);
    for (i = 0; i < ts->n; i++) {
        struct tui_call_row *r = row_ptr(ts, type_of(TUI_TABLE_CALLS), i);

        if (strcmp(r->call.call_id, clean) == 0)
            return r;
    }
    return NULL;
}

int tui_model_set_call(struct tui_model *m, const struct tui_call *c)
{
    struct tui_call_row *r;

    if (!c->call_id[0])
        return -1;
    r = call_find(m, c->call_id);
    if (!r) {
        r = table_append(m, TUI_TABLE_CALLS);
        if (!r)
            return -1;
    }
    r->call = *c;
    tui_model_sanitize(r->call.call_id, sizeof(r->call.call_id), c->call_id);
    tui_model_sanitize(r->call.from, sizeof(r->call.from), c->from);
    tui_model_sanitize(r->call.to, sizeof(r->call.to), c->to);
    tui_model_sanitize(r->call.state, sizeof(r->call.state), c->state);
    m->tables[TUI_TABLE_CALLS].stale = true;
    return 0;
}

int tui_model_add_call_message(struct tui_model *m, const char *call_id,
                               const struct tui_sip_msg *msg)
{
    struct tui_call_row *r = call_find(m, call_id);
    struct tui_sip_msg *out;

    if (!r)
        return -1;
    if (r->n_messages == TUI_MODEL_MAX_CALL_MESSAGES) {
        r->messages_dropped++;
        return 0;
    }
    if (!r->messages)
        r->messages = xcalloc(TUI_MODEL_MAX_CALL_MESSAGES,
                              sizeof(*r->messages));
    out = &r->messages[r->n_messages++];
    *out = *msg;
    tui_model_sanitize(out->src, sizeof(out->src), msg->src);
    tui_model_sanitize(out->dst, sizeof(out->dst), msg->dst);
    tui_model_sanitize(out->label, sizeof(out->label), msg->label);
    return 0;
}

size_t tui_model_rows(const struct tui_model *m, enum tui_table t)
{
    return m->tables[t].n;
}

uint64_t tui_model_dropped(const struct tui_model *m, enum tui_table t)
{
    return m->tables[t].dropped;
}

const void *tui_model_find_serial(const struct tui_model *m,
                                  enum tui_table t, uint64_t serial)
{
    const struct tui_table_state *ts = &m->tables[t];
    size_t lo = 0, hi = ts->n;

    /* Rows stay in arrival order, so serials ascend: bisect. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t s = tui_model_row_serial(t, row_ptr(ts, type_of(t), mid));

        if (s == serial)
            return row_ptr(ts, type_of(t), mid);
        if (s < serial)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct tui_flow_row *tui_model_find_flow(const struct tui_model *m,
                                               unsigned capture,
                                               uint64_t flow_id)
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_FLOWS];
    size_t i;

    if (capture == m->capture)
        return flow_lookup(m, flow_id);
    for (i = 0; i < ts->n; i++) {
        const struct tui_flow_row *r =
            row_ptr(ts, type_of(TUI_TABLE_FLOWS), i);

        if (r->capture == capture && r->flow_id == flow_id)
            return r;
    }
    return NULL;
}

void tui_model_foreach_flow_finding(const struct tui_model *m,
                                    unsigned capture, uint64_t flow_id,
                                    void (*fn)(void *arg,
                                               const struct tui_finding_row *r),
                                    void *arg)
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_FINDINGS];
    size_t i;

    for (i = 0; i < ts->n; i++) {
        const struct tui_finding_row *r =
            row_ptr(ts, type_of(TUI_TABLE_FINDINGS), i);

        if (r->capture == capture && r->flow_id == flow_id)
            fn(arg, r);
    }
}

void tui_model_verdict_counts(const struct tui_model *m, size_t counts[3])
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_CHECKLIST];
    size_t i;

    counts[0] = counts[1] = counts[2] = 0;
    for (i = 0; i < ts->n; i++)
        counts[((const struct tui_check_row *)row_ptr(
                    ts, type_of(TUI_TABLE_CHECKLIST), i))
                   ->verdict]++;
}

/* --- columns --------------------------------------------------------- */

size_t tui_model_column_count(enum tui_table t)
{
    return type_of(t)->n_cols;
}

const char *tui_model_column_name(enum tui_table t, int col)
{
    if (col < 0 || (size_t)col >= type_of(t)->n_cols)
        return "";
    return type_of(t)->cols[col].name;
}

void tui_model_cell(enum tui_table t, const void *row, int col, char *buf,
                    size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    if (col >= 0 && (size_t)col < type_of(t)->n_cols)
        type_of(t)->cell(row, col, buf, len);
}

/* --- the view -------------------------------------------------------- */

struct sort_ctx {
    const struct tui_table_state *ts;
    const struct tui_table_type *ty;
    enum tui_table t;
};

/* Display order of rows i and j: the sort column in its direction, then
 * arrival order. */
static int view_order(const struct sort_ctx *sc, size_t i, size_t j)
{
    const void *a = row_ptr(sc->ts, sc->ty, i);
    const void *b = row_ptr(sc->ts, sc->ty, j);
    int c = sc->ty->compare(a, b, sc->ts->sort_col);
    uint64_t sa, sb;

    if (c != 0)
        return sc->ts->descending ? -c : c;
    sa = tui_model_row_serial(sc->t, a);
    sb = tui_model_row_serial(sc->t, b);
    return sa < sb ? -1 : sa > sb;
}

/* A stable merge sort with a context (qsort has none, and qsort_r is not
 * portable).  tmp holds n entries. */
static void merge_sort(const struct sort_ctx *sc, size_t *v, size_t *tmp,
                       size_t n)
{
    size_t mid, i, j, k;

    if (n < 2)
        return;
    mid = n / 2;
    merge_sort(sc, v, tmp, mid);
    merge_sort(sc, v + mid, tmp, n - mid);
    i = 0;
    j = mid;
    k = 0;
    while (i < mid && j < n)
        tmp[k++] = view_order(sc, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(size_t));
}

static bool row_visible(const struct tui_table_state *ts,
                        const struct tui_table_type *ty, const void *row)
{
    if (ts->has_category && strcmp(ty->category(row), ts->category) != 0)
        return false;
    if (ts->filter[0] && !ty->matches(row, ts->filter))
        return false;
    return true;
}

static void fix_scroll(struct tui_table_state *ts)
{
    size_t page = ts->page ? ts->page : 1;

    if (ts->n_view == 0) {
        ts->selected = 0;
        ts->top = 0;
        return;
    }
    if (ts->selected >= ts->n_view)
        ts->selected = ts->n_view - 1;
    if (ts->selected < ts->top)
        ts->top = ts->selected;
    if (ts->selected >= ts->top + page)
        ts->top = ts->selected - page + 1;
    if (ts->n_view > page && ts->top > ts->n_view - page)
        ts->top = ts->n_view - page;
    if (ts->n_view <= page)
        ts->top = 0;
}

static void remember_selection(struct tui_table_state *ts, enum tui_table t,
                               const struct tui_table_type *ty)
{
    if (ts->n_view)
        ts->selected_serial =
            tui_model_row_serial(t, row_ptr(ts, ty, ts->view[ts->selected]));
}

static void view_refresh(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = type_of(t);
    struct sort_ctx sc = { ts, ty, t };
    size_t i, *tmp;

    if (!ts->stale)
        return;
    ts->n_view = 0;
    for (i = 0; i < ts->n; i++)
        if (row_visible(ts, ty, row_ptr(ts, ty, i)))
            ts->view[ts->n_view++] = i;
    if (ts->n_view > 1) {
        tmp = xmalloc(ts->n_view * sizeof(size_t));
        merge_sort(&sc, ts->view, tmp, ts->n_view);
        free(tmp);
    }
    ts->stale = false;
    /* Keep the selection on its row when it is still shown; otherwise
     * keep its position. */
    for (i = 0; ts->selected_serial && i < ts->n_view; i++) {
        if (tui_model_row_serial(t, row_ptr(ts, ty, ts->view[i])) ==
            ts->selected_serial) {
            ts->selected = i;
            break;
        }
    }
    fix_scroll(ts);
    remember_selection(ts, t, ty);
}

size_t tui_model_visible(struct tui_model *m, enum tui_table t)
{
    view_refresh(m, t);
    return m->tables[t].n_view;
}

const void *tui_model_row_at(struct tui_model *m, enum tui_table t,
                             size_t i)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    if (i >= ts->n_view)
        return NULL;
    return row_ptr(ts, type_of(t), ts->view[i]);
}

const struct tui_flow_row *tui_model_flow_at(struct tui_model *m, size_t i)
{
    return tui_model_row_at(m, TUI_TABLE_FLOWS, i);
}

const struct tui_finding_row *tui_model_finding_at(struct tui_model *m,
                                                   size_t i)
{
    return tui_model_row_at(m, TUI_TABLE_FINDINGS, i);
}

const struct tui_call_row *tui_model_call_at(struct tui_model *m, size_t i)
{
    return tui_model_row_at(m, TUI_TABLE_CALLS, i);
}

const struct tui_check_row *tui_model_check_at(struct tui_model *m,
                                               size_t i)
{
    return tui_model_row_at(m, TUI_TABLE_CHECKLIST, i);
}

/* --- sort ------------------------------------------------------------ */

void tui_model_set_sort(struct tui_model *m, enum tui_table t, int col)
{
    struct tui_table_state *ts = &m->tables[t];

    if (col < 0 || (size_t)col >= type_of(t)->n_cols)
        return;
    ts->sort_col = col;
    ts->descending = type_of(t)->cols[col].descending;
    ts->stale = true;
}

void tui_model_sort_next(struct tui_model *m, enum tui_table t)
{
    tui_model_set_sort(m, t,
                       (int)(((size_t)m->tables[t].sort_col + 1) %
                             type_of(t)->n_cols));
}

void tui_model_sort_reverse(struct tui_model *m, enum tui_table t)
{
    m->tables[t].descending = !m->tables[t].descending;
    m->tables[t].stale = true;
}

int tui_model_sort_column(const struct tui_model *m, enum tui_table t)
{
    return m->tables[t].sort_col;
}

bool tui_model_sort_descending(const struct tui_model *m, enum tui_table t)
{
    return m->tables[t].descending;
}

/* --- filters --------------------------------------------------------- */

const char *tui_model_row_category(enum tui_table t, const void *row)
{
    return type_of(t)->category(row);
}

const char *tui_model_category_label(enum tui_table t)
{
    return type_of(t)->category_label;
}

void tui_model_category_next(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = type_of(t);
    const char *next = NULL;
    size_t i;

    /* The smallest category after the current one; none left: all. */
    for (i = 0; i < ts->n; i++) {
        const char *c = ty->category(row_ptr(ts, ty, i));

        if (ts->has_category && strcmp(c, ts->category) <= 0)
            continue;
        if (!next || strcmp(c, next) < 0)
            next = c;
    }
    tui_model_set_category(m, t, next);
}

void tui_model_set_category(struct tui_model *m, enum tui_table t,
                            const char *category)
{
    struct tui_table_state *ts = &m->tables[t];

    ts->has_category = category != NULL;
    if (category)
        tui_model_sanitize(ts->category, sizeof(ts->category), category);
    else
        ts->category[0] = '\0';
    ts->stale = true;
}

const char *tui_model_category(const struct tui_model *m, enum tui_table t)
{
    return m->tables[t].has_category ? m->tables[t].category : NULL;
}

void tui_model_set_text_filter(struct tui_model *m, enum tui_table t,
                               const char *text)
{
    struct tui_table_state *ts = &m->tables[t];
    size_t i;

    tui_model_sanitize(ts->filter, sizeof(ts->filter), text);
    for (i = 0; ts->filter[i]; i++)
        if (ts->filter[i] >= 'A' && ts->filter[i] <= 'Z')
            ts->filter[i] = (char)(ts->filter[i] - 'A' + 'a');
    ts->stale = true;
}

const char *tui_model_text_filter(const struct tui_model *m,
                                  enum tui_table t)
{
    return m->tables[t].filter;
}

/* --- selection and scrolling ----------------------------------------- */

void tui_model_set_page(struct tui_model *m, enum tui_table t, size_t rows)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    ts->page = rows ? rows : 1;
    fix_scroll(ts);
}

void tui_model_move(struct tui_model *m, enum tui_table t, long delta)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    if (ts->n_view == 0)
        return;
    if (delta < 0 && (size_t)-delta > ts->selected)
        ts->selected = 0;
    else if (delta < 0)
        ts->selected -= (size_t)-delta;
    else if ((size_t)delta >= ts->n_view - ts->selected)
        ts->selected = ts->n_view - 1;
    else
        ts->selected += (size_t)delta;
    fix_scroll(ts);
    remember_selection(ts, t, type_of(t));
}

void tui_model_page(struct tui_model *m, enum tui_table t, long pages)
{
    struct tui_table_state *ts = &m->tables[t];
    size_t page = ts->page ? ts->page : 1;

    view_refresh(m, t);
    /* Like less(1): the page moves by its height, and so does the
     * selection, so the selected line keeps its place on the screen. */
    if (pages > 0 && ts->n_view > page) {
        size_t max_top = ts->n_view - page;

        ts->top = ts->top + page * (size_t)pages > max_top
                      ? max_top
                      : ts->top + page * (size_t)pages;
    } else if (pages < 0) {
        size_t back = page * (size_t)-pages;

        ts->top = back > ts->top ? 0 : ts->top - back;
    }
    tui_model_move(m, t, pages * (long)page);
}

void tui_model_home(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    ts->selected = 0;
    ts->top = 0;
    fix_scroll(ts);
    remember_selection(ts, t, type_of(t));
}

void tui_model_end(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    ts->selected = ts->n_view ? ts->n_view - 1 : 0;
    fix_scroll(ts);
    remember_selection(ts, t, type_of(t));
}

size_t tui_model_selected(struct tui_model *m, enum tui_table t)
{
    view_refresh(m, t);
    return m->tables[t].selected;
}

size_t tui_model_top(struct tui_model *m, enum tui_table t)
{
    view_refresh(m, t);
    return m->tables[t].top;
}

const void *tui_model_selected_row(struct tui_model *m, enum tui_table t)
{
    return tui_model_row_at(m, t, tui_model_selected(m, t));
}
