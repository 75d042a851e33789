/* The Flows screen: every flow of the capture, live ones refreshed as
 * they go, with class, endpoints, traffic each way, retransmissions and
 * the TCP handshake outcome. */
#include "config.h"

#include "tui_view.h"

#include <stdlib.h>

#include "xalloc.h"

/* Client and server take 21 columns, an IPv4 endpoint at its longest
 * ("255.255.255.255:65535"); class 16, the longest class name. */
static const struct tui_column_layout flows_layout[] = {
    { TUI_FLOW_COL_FRAME, 6, 9, true, false },
    { TUI_FLOW_COL_CLASS, 16, 0, false, false },
    { TUI_FLOW_COL_CLIENT, 21, 1, false, false },
    { TUI_FLOW_COL_SERVER, 21, 2, false, false },
    { TUI_FLOW_COL_APP, 14, 6, false, false },
    { TUI_FLOW_COL_PACKETS, 11, 7, true, false },
    { TUI_FLOW_COL_BYTES, 11, 3, true, false },
    { TUI_FLOW_COL_RETRANS, 7, 5, true, false },
    { TUI_FLOW_COL_STATE, 12, 4, false, false },
    { TUI_FLOW_COL_DURATION, 7, 8, true, false },
    { TUI_FLOW_COL_HOST, 8, 10, false, true },
};

static enum tui_role flows_cell_role(const void *row, int col)
{
    const struct tui_flow_row *r = row;

    if (col == TUI_FLOW_COL_STATE &&
        (r->tcp_state == FLOW_TCP_REFUSED ||
         r->tcp_state == FLOW_TCP_UNANSWERED ||
         r->tcp_state == FLOW_TCP_ICMP_UNREACHABLE))
        return TUI_ROLE_ERROR;
    if (col == TUI_FLOW_COL_RETRANS && r->retrans[0] + r->retrans[1] > 0)
        return TUI_ROLE_WARNING;
    if (!r->ended && col == TUI_FLOW_COL_DURATION)
        return TUI_ROLE_INFO;
    return TUI_ROLE_NORMAL;
}

static void *flows_create(struct tui_ctx *ctx, const struct tui_target *tg)
{
    struct tui_list *l = xcalloc(1, sizeof(*l));

    (void)ctx;
    (void)tg;
    tui_list_init(l, TUI_TABLE_FLOWS, flows_layout,
                  sizeof(flows_layout) / sizeof(flows_layout[0]),
                  "no flows to show", flows_cell_role);
    return l;
}

static void flows_destroy(void *self)
{
    free(self);
}

static void flows_draw(void *self, struct tui_ctx *ctx,
                       struct tui_canvas *cv, int top, int height)
{
    tui_list_draw(self, ctx, cv, top, height);
}

static void flows_resize(void *self, struct tui_ctx *ctx, int height,
                         int width)
{
    tui_list_resize(self, ctx, height, width);
}

static enum tui_result flows_handle_key(void *self, struct tui_ctx *ctx,
                                        enum tui_action a)
{
    return tui_list_handle_key(self, ctx, a);
}

static const char *flows_help(void *self)
{
    (void)self;
    return "Flows: one row per flow, client (who opened it) first.  "
           "Pkts and Bytes are client-to-server/server-to-client; Retr "
           "counts the retransmissions Wireshark flags (plain, fast and "
           "spurious) each way; TCP state is the handshake outcome.  "
           "Live flows are refreshed four times a second.  Columns that do "
           "not fit the width are left out; Enter shows all of them.";
}

const struct tui_screen_ops tui_screen_flows = {
    .name = "Flows",
    .table = TUI_TABLE_FLOWS,
    .create = flows_create,
    .destroy = flows_destroy,
    .draw = flows_draw,
    .resize = flows_resize,
    .handle_key = flows_handle_key,
    .help = flows_help,
};
