/* The Compliance screen: every requirement of the profile with its
 * verdict, failures first. */
#include "config.h"

#include "tui_view.h"

#include <stdlib.h>

#include "xalloc.h"

static const struct tui_column_layout checklist_layout[] = {
    { TUI_CHECK_COL_VERDICT, 12, 0, false, false },
    { TUI_CHECK_COL_REQUIREMENT, 18, 1, false, false },
    { TUI_CHECK_COL_SETS, 17, 3, false, false },
    { TUI_CHECK_COL_SUMMARY, 20, 2, false, true },
};

static enum tui_role checklist_cell_role(const void *row, int col)
{
    const struct tui_check_row *r = row;

    if (col == TUI_CHECK_COL_VERDICT || col == TUI_CHECK_COL_REQUIREMENT)
        return tui_theme_verdict_role(r->verdict);
    return TUI_ROLE_NORMAL;
}

static void *checklist_create(struct tui_ctx *ctx,
                              const struct tui_target *tg)
{
    struct tui_list *l = xcalloc(1, sizeof(*l));

    (void)ctx;
    (void)tg;
    tui_list_init(l, TUI_TABLE_CHECKLIST, checklist_layout,
                  sizeof(checklist_layout) / sizeof(checklist_layout[0]),
                  "no requirements to show", checklist_cell_role);
    return l;
}

static void checklist_destroy(void *self)
{
    free(self);
}

static void checklist_draw(void *self, struct tui_ctx *ctx,
                           struct tui_canvas *cv, int top, int height)
{
    tui_list_draw(self, ctx, cv, top, height);
}

static void checklist_resize(void *self, struct tui_ctx *ctx, int height,
                             int width)
{
    tui_list_resize(self, ctx, height, width);
}

static enum tui_result checklist_handle_key(void *self, struct tui_ctx *ctx,
                                            enum tui_action a)
{
    return tui_list_handle_key(self, ctx, a);
}

static const char *checklist_help(void *self)
{
    (void)self;
    return "Compliance: each requirement of the profile, the requirement "
           "sets (verdict columns) it belongs to, and its verdict: PASS "
           "(evidence that it holds), FAIL (evidence that it does not) or "
           "NOT OBSERVED (no traffic that could tell).  Until a verdict "
           "comes, Summary says what the requirement asks.";
}

const struct tui_screen_ops tui_screen_checklist = {
    .name = "Compliance",
    .table = TUI_TABLE_CHECKLIST,
    .create = checklist_create,
    .destroy = checklist_destroy,
    .draw = checklist_draw,
    .resize = checklist_resize,
    .handle_key = checklist_handle_key,
    .help = checklist_help,
};
