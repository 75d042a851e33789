/* The header (capture counters, compliance line, screen tabs) and the
 * footer (key hints, messages, the filter prompt) around every screen. */
#include "config.h"

#include "tui_view.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Writes text at *x and moves *x past it and a gap. */
static void put_part(struct tui_canvas *cv, int row, int *x, int gap,
                     enum tui_role role, const char *text)
{
    *x += tui_canvas_put(cv, row, *x, cv->cols - *x, role, text) + gap;
}

static void draw_title(struct tui_ctx *ctx, struct tui_canvas *cv)
{
    const struct tui_stats *st = tui_model_stats(ctx->model);
    char buf[TUI_SOURCE_MAX + 32], n[16], el[32];
    int x = 1;

    tui_canvas_fill(cv, 0, 0, cv->cols, TUI_ROLE_TITLE, ' ');
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE, "ringscope");
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE, st->source[0] ? st->source : "-");
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE,
             st->live ? (st->finished ? "stopped" : "live")
                      : (st->finished ? "done" : "reading"));
    tui_model_format_duration(st->elapsed_us, el, sizeof(el));
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE, el);
    tui_model_format_count(st->packets, n, sizeof(n));
    snprintf(buf, sizeof(buf), "%s pkts %.1f/s", n, st->packets_per_s);
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE, buf);
    snprintf(buf, sizeof(buf), "flows %" PRIu64 " (%" PRIu64 " live)",
             st->flows_total, st->flows_live);
    put_part(cv, 0, &x, 2, TUI_ROLE_TITLE, buf);
    snprintf(buf, sizeof(buf), "drops %" PRIu64, st->drops);
    /* Drops mean the analysis missed traffic: make them stand out. */
    put_part(cv, 0, &x, 2, st->drops ? TUI_ROLE_FAIL : TUI_ROLE_TITLE, buf);
}

static void draw_compliance(struct tui_ctx *ctx, struct tui_canvas *cv)
{
    size_t counts[3], i, n, shown = 0, failing;
    char buf[64];
    int x = 1;

    tui_model_verdict_counts(ctx->model, counts);
    put_part(cv, 1, &x, 2, TUI_ROLE_HEADING, "Compliance");
    snprintf(buf, sizeof(buf), "FAIL %zu", counts[TUI_VERDICT_FAIL]);
    put_part(cv, 1, &x, 2, tui_theme_verdict_role(TUI_VERDICT_FAIL), buf);
    snprintf(buf, sizeof(buf), "PASS %zu", counts[TUI_VERDICT_PASS]);
    put_part(cv, 1, &x, 2, tui_theme_verdict_role(TUI_VERDICT_PASS), buf);
    snprintf(buf, sizeof(buf), "NOT OBSERVED %zu",
             counts[TUI_VERDICT_NOT_OBSERVED]);
    put_part(cv, 1, &x, 3,
             tui_theme_verdict_role(TUI_VERDICT_NOT_OBSERVED), buf);
    failing = counts[TUI_VERDICT_FAIL];
    if (failing == 0) {
        put_part(cv, 1, &x, 0, TUI_ROLE_DIM,
                 tui_model_rows(ctx->model, TUI_TABLE_CHECKLIST)
                     ? "nothing failed"
                     : "no requirements");
        return;
    }
    put_part(cv, 1, &x, 1, TUI_ROLE_NORMAL, "failing:");
    /* In profile order, as many as fit; the Compliance screen has all. */
    n = tui_model_rows(ctx->model, TUI_TABLE_CHECKLIST);
    for (i = 0; i < n; i++) {
        const struct tui_check_row *r =
            tui_model_row(ctx->model, TUI_TABLE_CHECKLIST, i);
        int need = (int)strlen(r->id) + 1;

        if (r->verdict != TUI_VERDICT_FAIL)
            continue;
        /* Leave room for "+N more" unless this is the last one. */
        if (x + need > cv->cols - (shown + 1 < failing ? 9 : 0))
            break;
        put_part(cv, 1, &x, 1, TUI_ROLE_FAIL, r->id);
        shown++;
    }
    if (shown < failing) {
        snprintf(buf, sizeof(buf), "+%zu more", failing - shown);
        put_part(cv, 1, &x, 0, TUI_ROLE_FAIL, buf);
    }
}

static void draw_tabs(struct tui_ctx *ctx, struct tui_canvas *cv,
                      const struct tui_screen_ops *const *tabs,
                      size_t n_tabs, size_t active,
                      const struct tui_screen_ops *top)
{
    const struct tui_screen_ops *base = tabs[active];
    enum tui_table t = base->table;
    const char *cat, *filter;
    char buf[TUI_TEXT_MAX];
    size_t i;
    int x = 0;

    for (i = 0; i < n_tabs; i++) {
        snprintf(buf, sizeof(buf), i == active ? "[%zu %s]" : " %zu %s ",
                 i + 1, tabs[i]->name);
        put_part(cv, 2, &x, 1,
                 i == active ? TUI_ROLE_TAB_ACTIVE : TUI_ROLE_TAB, buf);
    }
    if (top != base) {
        snprintf(buf, sizeof(buf), "> %s", top->name);
        put_part(cv, 2, &x, 2, TUI_ROLE_TAB_ACTIVE, buf);
        return;
    }
    cat = tui_model_category(ctx->model, t);
    filter = tui_model_text_filter(ctx->model, t);
    snprintf(buf, sizeof(buf), "| %zu/%zu  %s %s%s%s%s",
             tui_model_visible(ctx->model, t), tui_model_rows(ctx->model, t),
             tui_model_category_label(t), cat ? cat : "all",
             filter[0] ? "  /" : "", filter, filter[0] ? "/" : "");
    put_part(cv, 2, &x, 2, TUI_ROLE_DIM, buf);
    if (tui_model_dropped(ctx->model, t)) {
        snprintf(buf, sizeof(buf), "(%" PRIu64 " older not kept)",
                 tui_model_dropped(ctx->model, t));
        put_part(cv, 2, &x, 0, TUI_ROLE_WARNING, buf);
    }
}

void tui_header_draw(struct tui_ctx *ctx, struct tui_canvas *cv,
                     const struct tui_screen_ops *const *tabs, size_t n_tabs,
                     size_t active, const struct tui_screen_ops *top)
{
    draw_title(ctx, cv);
    draw_compliance(ctx, cv);
    if (active < n_tabs)
        draw_tabs(ctx, cv, tabs, n_tabs, active, top);
}

void tui_footer_draw(struct tui_ctx *ctx, struct tui_canvas *cv,
                     const struct tui_screen_ops *top, const char *prompt)
{
    int row = cv->rows - 1, x = 0;
    char buf[TUI_TEXT_MAX];

    tui_canvas_fill(cv, row, 0, cv->cols, TUI_ROLE_FOOTER, ' ');
    if (prompt) {
        snprintf(buf, sizeof(buf), "Filter: %s_", prompt);
        put_part(cv, row, &x, 2, TUI_ROLE_PROMPT, buf);
        put_part(cv, row, &x, 0, TUI_ROLE_FOOTER,
                 "Enter keep  Esc cancel  (text anywhere in the row)");
        return;
    }
    if (tui_model_status(ctx->model)[0]) {
        put_part(cv, row, &x, 0, TUI_ROLE_FOOTER,
                 tui_model_status(ctx->model));
        return;
    }
    if (top->table != TUI_TABLE_COUNT) {
        snprintf(buf, sizeof(buf),
                 "Enter detail  s sort  r reverse  c %s  / filter  "
                 "Tab screen  ? help  q quit",
                 tui_model_category_label(top->table));
        put_part(cv, row, &x, 0, TUI_ROLE_FOOTER, buf);
    } else {
        put_part(cv, row, &x, 0, TUI_ROLE_FOOTER,
                 "Esc back  Up/Down/PgUp/PgDn scroll  Tab screen  ? help  "
                 "q quit");
    }
}
