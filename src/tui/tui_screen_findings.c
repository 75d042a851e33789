/* The Findings screen: every violation or notable fact the analyzers
 * reported, most severe first. */
#include "config.h"

#include "tui_view.h"

#include <stdlib.h>

#include "xalloc.h"

/* Kind takes 22 columns; the longest kinds are cut but stay readable. */
static const struct tui_column_layout findings_layout[] = {
    { TUI_FINDING_COL_SEVERITY, 8, 0, false, false },
    { TUI_FINDING_COL_KIND, 22, 1, false, false },
    { TUI_FINDING_COL_REQUIREMENT, 16, 3, false, false },
    { TUI_FINDING_COL_FRAME, 7, 4, true, false },
    { TUI_FINDING_COL_TIME, 12, 5, false, false },
    { TUI_FINDING_COL_SUMMARY, 20, 2, false, true },
};

static enum tui_role findings_cell_role(const void *row, int col)
{
    const struct tui_finding_row *r = row;

    if (col == TUI_FINDING_COL_SEVERITY)
        return tui_theme_severity_role(r->severity);
    return TUI_ROLE_NORMAL;
}

static void *findings_create(struct tui_ctx *ctx,
                             const struct tui_target *tg)
{
    struct tui_list *l = xcalloc(1, sizeof(*l));

    (void)ctx;
    (void)tg;
    tui_list_init(l, TUI_TABLE_FINDINGS, findings_layout,
                  sizeof(findings_layout) / sizeof(findings_layout[0]),
                  "no findings to show", findings_cell_role);
    return l;
}

static void findings_destroy(void *self)
{
    free(self);
}

static void findings_draw(void *self, struct tui_ctx *ctx,
                          struct tui_canvas *cv, int top, int height)
{
    tui_list_draw(self, ctx, cv, top, height);
}

static void findings_resize(void *self, struct tui_ctx *ctx, int height,
                            int width)
{
    tui_list_resize(self, ctx, height, width);
}

static enum tui_result findings_handle_key(void *self, struct tui_ctx *ctx,
                                           enum tui_action a)
{
    return tui_list_handle_key(self, ctx, a);
}

static const char *findings_help(void *self)
{
    (void)self;
    return "Findings: what the analyzers reported, with the requirement "
           "each bears on and the first frame that shows it (numbered as "
           "Wireshark numbers frames).  Enter shows the whole finding and "
           "the flow it is about.";
}

const struct tui_screen_ops tui_screen_findings = {
    .name = "Findings",
    .table = TUI_TABLE_FINDINGS,
    .create = findings_create,
    .destroy = findings_destroy,
    .draw = findings_draw,
    .resize = findings_resize,
    .handle_key = findings_handle_key,
    .help = findings_help,
};
