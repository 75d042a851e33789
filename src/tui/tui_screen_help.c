/* The help screen: every key from the key table, and a few lines about
 * the screen it was opened from. */
#include "config.h"

#include "tui_view.h"

#include <stdlib.h>

#include "xalloc.h"

struct help {
    const char *below;          /* the help of the screen underneath */
    size_t offset;
    int height;
};

static void help_build(const struct help *h, int width, struct tui_text *t)
{
    int a;

    tui_text_add(t, TUI_ROLE_HEADING, "Keys");
    for (a = TUI_ACT_NONE + 1; a < TUI_ACT_COUNT; a++)
        tui_text_add(t, TUI_ROLE_NORMAL, "  %-14s %s",
                     tui_keys_names((enum tui_action)a),
                     tui_keys_description((enum tui_action)a));
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "This screen");
    if (h->below)
        tui_text_wrap(t, TUI_ROLE_NORMAL, 2, width, h->below);
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "Header");
    tui_text_wrap(t, TUI_ROLE_NORMAL, 2, width,
                  "The first line shows the capture source, its state "
                  "(live, stopped, reading or done), the time it covers, "
                  "packets and packets per second, flows, and packets the "
                  "kernel dropped.  The second counts the requirements by "
                  "verdict and names the ones that failed.  The screen is "
                  "redrawn at most four times a second, so capture always "
                  "comes first.");
}

static void *help_create(struct tui_ctx *ctx, const struct tui_target *tg)
{
    struct help *h = xcalloc(1, sizeof(*h));

    (void)tg;
    h->below = ctx->help_below;
    return h;
}

static void help_destroy(void *self)
{
    free(self);
}

static void help_draw(void *self, struct tui_ctx *ctx, struct tui_canvas *cv,
                      int top, int height)
{
    struct help *h = self;
    struct tui_text t;

    tui_text_init(&t);
    help_build(h, ctx->cols, &t);
    tui_text_draw(&t, h->offset, cv, top, height);
    tui_text_release(&t);
}

static void help_resize(void *self, struct tui_ctx *ctx, int height,
                        int width)
{
    struct help *h = self;
    struct tui_text t;
    bool changed;

    (void)ctx;
    h->height = height;
    tui_text_init(&t);
    help_build(h, width, &t);
    h->offset = tui_text_scroll(h->offset, t.n, height, TUI_ACT_NONE,
                                &changed);
    tui_text_release(&t);
}

static enum tui_result help_handle_key(void *self, struct tui_ctx *ctx,
                                       enum tui_action a)
{
    struct help *h = self;
    struct tui_text t;
    bool changed;

    switch (a) {
    case TUI_ACT_HELP:
    case TUI_ACT_BACK:
    case TUI_ACT_ENTER:
        return TUI_POP;
    case TUI_ACT_UP:
    case TUI_ACT_DOWN:
    case TUI_ACT_PAGE_UP:
    case TUI_ACT_PAGE_DOWN:
    case TUI_ACT_HOME:
    case TUI_ACT_END:
        tui_text_init(&t);
        help_build(h, ctx->cols, &t);
        h->offset = tui_text_scroll(h->offset, t.n, h->height, a, &changed);
        tui_text_release(&t);
        return changed ? TUI_REDRAW : TUI_HANDLED;
    case TUI_ACT_SORT_NEXT:
    case TUI_ACT_SORT_REVERSE:
    case TUI_ACT_CATEGORY_NEXT:
    case TUI_ACT_FILTER:
        return TUI_HANDLED;
    default:
        return TUI_IGNORED;
    }
}

static const char *help_help(void *self)
{
    (void)self;
    return "Help: ? or Esc closes it.";
}

const struct tui_screen_ops tui_screen_help = {
    .name = "Help",
    .table = TUI_TABLE_COUNT,
    .create = help_create,
    .destroy = help_destroy,
    .draw = help_draw,
    .resize = help_resize,
    .handle_key = help_handle_key,
    .help = help_help,
};
