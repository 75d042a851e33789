/* The views of the interface's model: each table's rows filtered and
 * sorted for display, the selection that follows its row, scrolling. */
#include "config.h"

#include "tui_model.h"

#include <stdlib.h>
#include <string.h>

#include "tui_model_internal.h"
#include "xalloc.h"

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
    const void *a = tui_model_row_ptr(sc->ts, sc->ty, i);
    const void *b = tui_model_row_ptr(sc->ts, sc->ty, j);
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
        ts->selected_serial = tui_model_row_serial(
            t, tui_model_row_ptr(ts, ty, ts->view[ts->selected]));
}

static void view_refresh(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = tui_model_type_of(t);
    struct sort_ctx sc = { ts, ty, t };
    size_t i, *tmp;

    if (!ts->stale)
        return;
    ts->n_view = 0;
    for (i = 0; i < ts->n; i++)
        if (row_visible(ts, ty, tui_model_row_ptr(ts, ty, i)))
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
        if (tui_model_row_serial(t, tui_model_row_ptr(ts, ty, ts->view[i])) ==
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
    return tui_model_row_ptr(ts, tui_model_type_of(t), ts->view[i]);
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

    if (col < 0 || (size_t)col >= tui_model_type_of(t)->n_cols)
        return;
    ts->sort_col = col;
    ts->descending = tui_model_type_of(t)->cols[col].descending;
    ts->stale = true;
}

void tui_model_sort_next(struct tui_model *m, enum tui_table t)
{
    tui_model_set_sort(m, t,
                       (int)(((size_t)m->tables[t].sort_col + 1) %
                             tui_model_type_of(t)->n_cols));
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
    return tui_model_type_of(t)->category(row);
}

const char *tui_model_category_label(enum tui_table t)
{
    return tui_model_type_of(t)->category_label;
}

void tui_model_category_next(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];
    const struct tui_table_type *ty = tui_model_type_of(t);
    const char *next = NULL;
    size_t i;

    /* The smallest category after the current one; none left: all. */
    for (i = 0; i < ts->n; i++) {
        const char *c = ty->category(tui_model_row_ptr(ts, ty, i));

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
    remember_selection(ts, t, tui_model_type_of(t));
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
    remember_selection(ts, t, tui_model_type_of(t));
}

void tui_model_end(struct tui_model *m, enum tui_table t)
{
    struct tui_table_state *ts = &m->tables[t];

    view_refresh(m, t);
    ts->selected = ts->n_view ? ts->n_view - 1 : 0;
    fix_scroll(ts);
    remember_selection(ts, t, tui_model_type_of(t));
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
