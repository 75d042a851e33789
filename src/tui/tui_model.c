/* The interface's model: bounded row tables with a sorted, filtered view,
 * a selection that follows its row, and scrolling.  No terminal, no I/O. */
#include "config.h"

#include "tui_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_model_internal.h"
#include "xalloc.h"

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
        const struct tui_table_type *ty =
            tui_model_type_of((enum tui_table)t);

        m->tables[t].sort_col = ty->default_col;
        m->tables[t].descending = ty->cols[ty->default_col].descending;
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
        free(((struct tui_call_row *)tui_model_rowp(m, TUI_TABLE_CALLS, i))
                 ->messages);
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
 * bound, and the row that was not kept is counted. */
static void *table_append(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = tui_model_type_of(t);
    void *r;

    if (ts->n == ty->max_rows) {
        ts->dropped++;
        return NULL;
    }
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;

        if (cap > ty->max_rows)
            cap = ty->max_rows;
        ts->rows = xreallocarray(ts->rows, cap, ty->row_size);
        ts->view = xreallocarray(ts->view, cap, sizeof(size_t));
        ts->cap = cap;
    }
    r = tui_model_row_ptr(ts, ty, ts->n++);
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
            memcpy(tui_model_row_ptr(ts, ty, o),
                   tui_model_row_ptr(ts, ty, i), ty->row_size);
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
    const struct tui_table_type *ty = tui_model_type_of(TUI_TABLE_FLOWS);
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
        const struct tui_flow_row *r = tui_model_row_ptr(ts, ty, i);
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
    size_t h;

    if (!m->flow_index)
        return NULL;
    h = flow_hash(flow_id, m->flow_index_cap);
    while (m->flow_index[h]) {
        struct tui_flow_row *r =
            tui_model_rowp(m, TUI_TABLE_FLOWS, m->flow_index[h] - 1);

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
    const struct tui_table_type *ty = tui_model_type_of(TUI_TABLE_FLOWS);
    size_t ended = 0, drop, i;
    bool *keep;

    for (i = 0; i < ts->n; i++)
        if (((const struct tui_flow_row *)tui_model_row_ptr(ts, ty, i))->ended)
            ended++;
    if (ended == 0)
        return false;
    drop = (ended + 1) / 2;
    keep = xcalloc(ts->n, sizeof(bool));
    for (i = 0; i < ts->n; i++) {
        const struct tui_flow_row *r = tui_model_row_ptr(ts, ty, i);

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

        if (ts->n == tui_model_type_of(TUI_TABLE_FLOWS)->max_rows &&
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
    const struct tui_table_type *ty = tui_model_type_of(TUI_TABLE_FINDINGS);
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
            tui_model_row_ptr(ts, tui_model_type_of(TUI_TABLE_CHECKLIST), i);

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

int tui_model_set_set_verdict(struct tui_model *m, const char *id,
                              const char *set, enum tui_verdict v,
                              const char *summary)
{
    struct tui_check_row *r = check_find(m, id);
    struct tui_set_verdict *sv = NULL;
    char clean[TUI_NAME_MAX];
    size_t i;

    if (!r) {
        if (tui_model_add_requirement(m, id, set, "") != 0)
            return -1;
        r = check_find(m, id);
    }
    tui_model_sanitize(clean, sizeof(clean), set);
    for (i = 0; i < r->n_per_set && !sv; i++)
        if (strcmp(r->per_set[i].set, clean) == 0)
            sv = &r->per_set[i];
    if (!sv) {
        if (r->n_per_set == TUI_MODEL_MAX_SETS)
            return -1;
        sv = &r->per_set[r->n_per_set++];
        snprintf(sv->set, sizeof(sv->set), "%s", clean);
    }
    sv->verdict = v;
    tui_model_sanitize(sv->summary, sizeof(sv->summary), summary);
    /* The worst set decides; among equals the first keeps its say. */
    sv = &r->per_set[0];
    for (i = 1; i < r->n_per_set; i++)
        if (r->per_set[i].verdict > sv->verdict)
            sv = &r->per_set[i];
    r->verdict = sv->verdict;
    snprintf(r->summary, sizeof(r->summary), "%s", sv->summary);
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
        struct tui_call_row *r = tui_model_rowp(m, TUI_TABLE_CALLS, i);

        if (strcmp(r->call.call_id, clean) == 0)
            return r;
    }
    return NULL;
}

/* The calls are full: the older half of them goes, with its ladder, as
 * the findings do.  A call dropped while it goes on comes back with its
 * record when it ends. */
static void calls_make_room(struct tui_model *m)
{
    struct tui_table_state *ts = &m->tables[TUI_TABLE_CALLS];
    const struct tui_table_type *ty = tui_model_type_of(TUI_TABLE_CALLS);
    bool *keep = xcalloc(ts->n, sizeof(bool));
    size_t i;

    for (i = 0; i < ts->n; i++) {
        keep[i] = i >= ts->n / 2;
        if (!keep[i])
            free(((struct tui_call_row *)tui_model_row_ptr(ts, ty, i))
                     ->messages);
    }
    table_compact(ts, ty, keep);
    free(keep);
}

int tui_model_set_call(struct tui_model *m, const struct tui_call *c)
{
    struct tui_call_row *r;

    if (!c->call_id[0])
        return -1;
    r = call_find(m, c->call_id);
    if (!r) {
        if (m->tables[TUI_TABLE_CALLS].n ==
            tui_model_type_of(TUI_TABLE_CALLS)->max_rows)
            calls_make_room(m);
        r = table_append(m, TUI_TABLE_CALLS);
        if (!r)
            return -1;
        r->call = *c;
    } else {
        struct tui_call old = r->call;

        r->call = *c;
        if (!c->media_known) {
            memcpy(r->call.media, old.media, sizeof(old.media));
            r->call.media_known = old.media_known;
            r->call.one_way = old.one_way;
        }
        if (c->caller_ip.family == 0)
            r->call.caller_ip = old.caller_ip;
    }
    tui_model_sanitize(r->call.call_id, sizeof(r->call.call_id), c->call_id);
    tui_model_sanitize(r->call.from, sizeof(r->call.from), c->from);
    tui_model_sanitize(r->call.to, sizeof(r->call.to), c->to);
    tui_model_sanitize(r->call.state, sizeof(r->call.state), c->state);
    m->tables[TUI_TABLE_CALLS].stale = true;
    return 0;
}

int tui_model_add_call_stream(struct tui_model *m, const char *call_id,
                              const struct ip_addr *src, uint64_t packets,
                              int64_t lost, double jitter_ms)
{
    struct tui_call_row *r = call_find(m, call_id);
    struct tui_call_media *md;
    struct tui_call *c;

    if (!r)
        return -1;
    c = &r->call;
    md = &c->media[c->caller_ip.family == 0 ||
                           ipaddr_equal(&c->caller_ip, src)
                       ? 0
                       : 1];
    md->seen = md->seen || packets > 0;
    md->packets += packets;
    md->lost += lost;
    if (jitter_ms > md->jitter_ms)
        md->jitter_ms = jitter_ms;
    c->media_known = true;
    /* One-way (SPEC 4): media in one direction only. */
    if (c->media[0].seen && !c->media[1].seen)
        c->one_way = TUI_ONE_WAY_FWD_ONLY;
    else if (!c->media[0].seen && c->media[1].seen)
        c->one_way = TUI_ONE_WAY_REV_ONLY;
    else
        c->one_way = TUI_ONE_WAY_NONE;
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
    if (msg->ts_us > r->call.end_us) {
        r->call.end_us = msg->ts_us;
        m->tables[TUI_TABLE_CALLS].stale = true;
    }
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

const void *tui_model_row(const struct tui_model *m, enum tui_table t,
                          size_t i)
{
    if (i >= m->tables[t].n)
        return NULL;
    return tui_model_row_ptr(&m->tables[t], tui_model_type_of(t), i);
}

const void *tui_model_find_serial(const struct tui_model *m,
                                  enum tui_table t, uint64_t serial)
{
    const struct tui_table_state *ts = &m->tables[t];
    size_t lo = 0, hi = ts->n;

    /* Rows stay in arrival order, so serials ascend: bisect. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t s = tui_model_row_serial(t, tui_model_rowp(m, t, mid));

        if (s == serial)
            return tui_model_row_ptr(ts, tui_model_type_of(t), mid);
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
            tui_model_row_ptr(ts, tui_model_type_of(TUI_TABLE_FLOWS), i);

        if (r->capture == capture && r->flow_id == flow_id)
            return r;
    }
    return NULL;
}

void tui_model_foreach_finding(const struct tui_model *m,
                               void (*fn)(void *arg,
                                          const struct tui_finding_row *r),
                               void *arg)
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_FINDINGS];
    size_t i;

    for (i = 0; i < ts->n; i++)
        fn(arg, tui_model_rowp(m, TUI_TABLE_FINDINGS, i));
}

void tui_model_verdict_counts(const struct tui_model *m, size_t counts[3])
{
    const struct tui_table_state *ts = &m->tables[TUI_TABLE_CHECKLIST];
    size_t i;

    counts[0] = counts[1] = counts[2] = 0;
    for (i = 0; i < ts->n; i++)
        counts[((const struct tui_check_row *)tui_model_row_ptr(
                    ts, tui_model_type_of(TUI_TABLE_CHECKLIST), i))
                   ->verdict]++;
}

/* --- columns --------------------------------------------------------- */

size_t tui_model_column_count(enum tui_table t)
{
    return tui_model_type_of(t)->n_cols;
}

const char *tui_model_column_name(enum tui_table t, int col)
{
    if (col < 0 || (size_t)col >= tui_model_type_of(t)->n_cols)
        return "";
    return tui_model_type_of(t)->cols[col].name;
}

void tui_model_cell(enum tui_table t, const void *row, int col, char *buf,
                    size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    if (col >= 0 && (size_t)col < tui_model_type_of(t)->n_cols)
        tui_model_type_of(t)->cell(row, col, buf, len);
}
