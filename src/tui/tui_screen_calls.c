/* The Calls screen: SIP calls with the media of both directions and a
 * mark on one-way calls. */
#include "config.h"

#include "tui_view.h"

#include <stdlib.h>

#include "xalloc.h"

/* Both media directions and the one-way mark come before the Call-ID:
 * at 80 columns they are what tells a broken call. */
static const struct tui_column_layout calls_layout[] = {
    { TUI_CALL_COL_START, 12, 8, false, false },
    { TUI_CALL_COL_CALL_ID, 12, 6, false, true },
    { TUI_CALL_COL_FROM, 16, 0, false, true },
    { TUI_CALL_COL_TO, 16, 1, false, true },
    { TUI_CALL_COL_STATE, 10, 5, false, false },
    { TUI_CALL_COL_DURATION, 7, 7, true, false },
    { TUI_CALL_COL_MEDIA_FWD, 15, 3, false, false },
    { TUI_CALL_COL_MEDIA_REV, 15, 4, false, false },
    { TUI_CALL_COL_ONE_WAY, 10, 2, false, false },
};

static enum tui_role calls_cell_role(const void *row, int col)
{
    const struct tui_call *c = &((const struct tui_call_row *)row)->call;

    if (col == TUI_CALL_COL_ONE_WAY && c->one_way != TUI_ONE_WAY_NONE)
        return TUI_ROLE_FAIL;
    if (c->media_known && col == TUI_CALL_COL_MEDIA_FWD &&
        !c->media[0].seen)
        return TUI_ROLE_WARNING;
    if (c->media_known && col == TUI_CALL_COL_MEDIA_REV &&
        !c->media[1].seen)
        return TUI_ROLE_WARNING;
    return TUI_ROLE_NORMAL;
}

static void *calls_create(struct tui_ctx *ctx, const struct tui_target *tg)
{
    struct tui_list *l = xcalloc(1, sizeof(*l));

    (void)ctx;
    (void)tg;
    tui_list_init(l, TUI_TABLE_CALLS, calls_layout,
                  sizeof(calls_layout) / sizeof(calls_layout[0]),
                  "no SIP calls to show", calls_cell_role);
    return l;
}

static void calls_destroy(void *self)
{
    free(self);
}

static void calls_draw(void *self, struct tui_ctx *ctx,
                       struct tui_canvas *cv, int top, int height)
{
    tui_list_draw(self, ctx, cv, top, height);
}

static void calls_resize(void *self, struct tui_ctx *ctx, int height,
                         int width)
{
    tui_list_resize(self, ctx, height, width);
}

static enum tui_result calls_handle_key(void *self, struct tui_ctx *ctx,
                                        enum tui_action a)
{
    return tui_list_handle_key(self, ctx, a);
}

static const char *calls_help(void *self)
{
    (void)self;
    return "Calls: one row per SIP call (Call-ID).  Media -> is what the "
           "caller sent to the callee, Media <- the way back, each as "
           "packets, loss (RFC 3550) and jitter.  ONE-WAY marks a call "
           "whose media flowed one way only, in the direction shown.  "
           "Enter shows the call and its SIP messages as a ladder.";
}

const struct tui_screen_ops tui_screen_calls = {
    .name = "Calls",
    .table = TUI_TABLE_CALLS,
    .create = calls_create,
    .destroy = calls_destroy,
    .draw = calls_draw,
    .resize = calls_resize,
    .handle_key = calls_handle_key,
    .help = calls_help,
};
