/* What the four list screens share: choosing the columns that fit the
 * width, drawing the visible rows of a model table, and the keys that
 * move, sort, filter and open a row. */
#include "config.h"

#include "tui_view.h"

#include <stdio.h>
#include <string.h>

void tui_list_init(struct tui_list *l, enum tui_table table,
                   const struct tui_column_layout *layout, size_t n_layout,
                   const char *empty,
                   enum tui_role (*cell_role)(const void *row, int col))
{
    memset(l, 0, sizeof(*l));
    l->table = table;
    l->layout = layout;
    l->n_layout = n_layout < TUI_LIST_MAX_COLS ? n_layout
                                               : TUI_LIST_MAX_COLS;
    l->empty = empty;
    l->cell_role = cell_role;
}

/* Keeps columns in priority order while they fit (one blank between
 * columns), shows them in layout order, and gives the room left to the
 * flexible columns. */
static void choose_columns(struct tui_list *l, int width)
{
    bool keep[TUI_LIST_MAX_COLS] = { false };
    int used = 0, prio, n_flex = 0, extra, k;
    size_t i;

    for (prio = 0; prio < 64; prio++) {
        for (i = 0; i < l->n_layout; i++) {
            int need;

            if (l->layout[i].priority != prio)
                continue;
            need = l->layout[i].width + (used ? 1 : 0);
            if (used + need <= width) {
                keep[i] = true;
                used += need;
            }
        }
    }
    l->n_shown = 0;
    for (i = 0; i < l->n_layout; i++) {
        if (!keep[i])
            continue;
        if (l->layout[i].flex)
            n_flex++;
        l->shown[l->n_shown] = i;
        l->widths[l->n_shown] = l->layout[i].width;
        l->n_shown++;
    }
    if (n_flex == 0 || used >= width)
        return;
    /* The flexible columns share the room left, the first ones taking
     * the remainder. */
    extra = width - used;
    for (i = 0, k = 0; i < l->n_shown; i++) {
        if (!l->layout[l->shown[i]].flex)
            continue;
        l->widths[i] += extra / n_flex + (k < extra % n_flex ? 1 : 0);
        k++;
    }
}

void tui_list_resize(struct tui_list *l, struct tui_ctx *ctx, int height,
                     int width)
{
    choose_columns(l, width);
    /* One line for the column headings. */
    tui_model_set_page(ctx->model, l->table,
                       height > 1 ? (size_t)(height - 1) : 1);
}

static void draw_headings(struct tui_list *l, struct tui_ctx *ctx,
                          struct tui_canvas *cv, int row)
{
    int sorted = tui_model_sort_column(ctx->model, l->table);
    bool desc = tui_model_sort_descending(ctx->model, l->table);
    int x = 0;
    size_t i;

    tui_canvas_fill(cv, row, 0, cv->cols, TUI_ROLE_COLUMN, ' ');
    for (i = 0; i < l->n_shown; i++) {
        const struct tui_column_layout *c = &l->layout[l->shown[i]];
        const char *name = tui_model_column_name(l->table, c->col);
        char label[64];
        enum tui_role role = TUI_ROLE_COLUMN;

        /* The sorted column carries its direction, which also shows in
         * text output where there is no colour. */
        if (c->col == sorted) {
            snprintf(label, sizeof(label), "%s %s", name, desc ? "v" : "^");
            role = TUI_ROLE_COLUMN_SORTED;
        } else {
            snprintf(label, sizeof(label), "%s", name);
        }
        if (c->right)
            tui_canvas_put_right(cv, row, x, l->widths[i], role, label);
        else
            tui_canvas_put(cv, row, x, l->widths[i], role, label);
        if (role == TUI_ROLE_COLUMN_SORTED)
            tui_canvas_set_role(cv, row, x, l->widths[i], role);
        x += l->widths[i] + 1;
    }
}

void tui_list_draw(struct tui_list *l, struct tui_ctx *ctx,
                   struct tui_canvas *cv, int top, int height)
{
    size_t n = tui_model_visible(ctx->model, l->table);
    size_t first = tui_model_top(ctx->model, l->table);
    size_t sel = tui_model_selected(ctx->model, l->table);
    int r;

    if (height <= 0)
        return;
    draw_headings(l, ctx, cv, top);
    if (n == 0) {
        tui_canvas_put(cv, top + 1, 1, cv->cols - 1, TUI_ROLE_DIM,
                       l->empty);
        return;
    }
    for (r = 1; r < height && first + (size_t)(r - 1) < n; r++) {
        size_t vi = first + (size_t)(r - 1);
        const void *row = tui_model_row_at(ctx->model, l->table, vi);
        int x = 0;
        size_t i;

        for (i = 0; i < l->n_shown; i++) {
            const struct tui_column_layout *c = &l->layout[l->shown[i]];
            char cell[TUI_TEXT_MAX];
            enum tui_role role = TUI_ROLE_NORMAL;

            tui_model_cell(l->table, row, c->col, cell, sizeof(cell));
            if (l->cell_role)
                role = l->cell_role(row, c->col);
            if (c->right)
                tui_canvas_put_right(cv, top + r, x, l->widths[i], role,
                                     cell);
            else
                tui_canvas_put(cv, top + r, x, l->widths[i], role, cell);
            x += l->widths[i] + 1;
        }
        if (vi == sel)
            tui_canvas_set_role(cv, top + r, 0, cv->cols,
                                TUI_ROLE_SELECTED);
    }
}

enum tui_result tui_list_handle_key(struct tui_list *l, struct tui_ctx *ctx,
                                    enum tui_action a)
{
    struct tui_model *m = ctx->model;
    const void *row;

    switch (a) {
    case TUI_ACT_UP:
        tui_model_move(m, l->table, -1);
        return TUI_REDRAW;
    case TUI_ACT_DOWN:
        tui_model_move(m, l->table, 1);
        return TUI_REDRAW;
    case TUI_ACT_PAGE_UP:
        tui_model_page(m, l->table, -1);
        return TUI_REDRAW;
    case TUI_ACT_PAGE_DOWN:
        tui_model_page(m, l->table, 1);
        return TUI_REDRAW;
    case TUI_ACT_HOME:
        tui_model_home(m, l->table);
        return TUI_REDRAW;
    case TUI_ACT_END:
        tui_model_end(m, l->table);
        return TUI_REDRAW;
    case TUI_ACT_SORT_NEXT:
        tui_model_sort_next(m, l->table);
        return TUI_REDRAW;
    case TUI_ACT_SORT_REVERSE:
        tui_model_sort_reverse(m, l->table);
        return TUI_REDRAW;
    case TUI_ACT_CATEGORY_NEXT:
        tui_model_category_next(m, l->table);
        return TUI_REDRAW;
    case TUI_ACT_ENTER:
        row = tui_model_selected_row(m, l->table);
        if (!row)
            return TUI_HANDLED;
        ctx->push = &tui_screen_detail;
        ctx->push_target.table = l->table;
        ctx->push_target.serial = tui_model_row_serial(l->table, row);
        return TUI_REDRAW;
    default:
        return TUI_IGNORED;
    }
}
