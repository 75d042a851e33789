/* The detail screen opened with Enter: everything about one flow (with
 * its findings), one call (with its SIP ladder), one finding (with its
 * flow) or one requirement (with its findings). */
#include "config.h"

#include "tui_view.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct detail {
    struct tui_target target;
    size_t offset;              /* first line shown */
    int height;
};

/* Widest line the ladder and the wrapped text are laid out for. */
#define DETAIL_MAX_WIDTH (TUI_TEXT_LINE_MAX - 1)

/* --- flows ----------------------------------------------------------- */

struct finding_lines {
    struct tui_text *text;
    unsigned capture;
    uint64_t flow_id;
    const char *requirement;    /* or match by requirement */
    size_t n;
};

static void add_finding_line(void *arg, const struct tui_finding_row *r)
{
    struct finding_lines *fl = arg;

    if (fl->requirement) {
        if (strcmp(r->requirement, fl->requirement) != 0)
            return;
    } else if (r->capture != fl->capture || r->flow_id != fl->flow_id) {
        return;
    }
    fl->n++;
    tui_text_add(fl->text, tui_theme_severity_role(r->severity),
                 "  %-8s %-22s frame %-7" PRIu64 " %s",
                 finding_severity_name(r->severity), r->kind,
                 r->first_packet, r->summary);
}

static void dscp_list(uint64_t mask, char *buf, size_t len)
{
    size_t o = 0;
    unsigned d;

    buf[0] = '\0';
    for (d = 0; d < 64 && o < len; d++)
        if (mask & (UINT64_C(1) << d))
            o += (size_t)snprintf(buf + o, len - o, "%s%u", o ? "," : "", d);
    if (!mask)
        snprintf(buf, len, "-");
}

static void flow_lines(struct tui_ctx *ctx, const struct tui_flow_row *r,
                       struct tui_text *t)
{
    struct finding_lines fl = { t, r->capture, r->flow_id, NULL, 0 };
    char a[32], b[32], c[32], d0[160], d1[160];
    int k;

    tui_text_add(t, TUI_ROLE_HEADING, "Flow %s -> %s", r->client, r->server);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %" PRIu64 " (capture %u, flow "
                 "id %" PRIu64 ")", "first frame", r->first_packet,
                 r->capture, r->flow_id);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "state",
                 r->ended ? flow_end_reason_name(r->end_reason) : "live");
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s (by %s)", "class",
                 r->class_name, flow_classified_by_name(r->classified_by));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s (%s)", "client",
                 r->client, flow_side_name(r->client_side));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s (%s)", "server",
                 r->server, flow_side_name(r->server_side));
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_APP, a, sizeof(a));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s IPv%u, %s%s%s%s", "protocol",
                 (unsigned)r->ip_version, a, r->category[0] ? " (" : "",
                 r->category, r->category[0] ? ")" : "");
    if (r->vlan)
        tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %u", "vlan",
                     (unsigned)r->vlan);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "hostname",
                 r->hostname[0] ? r->hostname : "-");
    tui_model_format_clock(r->first_us, a, sizeof(a));
    tui_model_format_clock(r->last_us, b, sizeof(b));
    tui_model_format_duration(r->last_us - r->first_us, c, sizeof(c));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s to %s UTC (%s)", "time", a,
                 b, c);
    if (r->proto == 6) {
        if (r->tcp_rtt_us >= 0)
            tui_text_add(t, TUI_ROLE_NORMAL,
                         "  %-16s %s, SYN to SYN/ACK %.3f ms", "handshake",
                         flow_tcp_state_name(r->tcp_state),
                         (double)r->tcp_rtt_us / 1000.0);
        else
            tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "handshake",
                         flow_tcp_state_name(r->tcp_state));
    }
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "  %-26s %16s %16s", "",
                 "client->server", "server->client");
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-26s %16" PRIu64 " %16" PRIu64,
                 "packets", r->packets[0], r->packets[1]);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-26s %16" PRIu64 " %16" PRIu64,
                 "bytes", r->bytes[0], r->bytes[1]);
    dscp_list(r->dscp_seen[0], d0, sizeof(d0));
    dscp_list(r->dscp_seen[1], d1, sizeof(d1));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-26s %16s %16s", "dscp", d0, d1);
    if (r->proto == 6) {
        tui_text_add(t, r->retrans[0] + r->retrans[1] ? TUI_ROLE_WARNING
                                                      : TUI_ROLE_NORMAL,
                     "  %-26s %16u %16u", "retransmissions (all)",
                     (unsigned)r->retrans[0], (unsigned)r->retrans[1]);
        for (k = 0; k < FLOW_TCPF_COUNT; k++)
            tui_text_add(t, TUI_ROLE_NORMAL, "    %-24s %16u %16u",
                         flow_tcp_flag_name((enum flow_tcp_flag)k),
                         (unsigned)r->tcp[0][k], (unsigned)r->tcp[1][k]);
    }
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "Findings of this flow");
    tui_model_foreach_finding(ctx->model, add_finding_line, &fl);
    if (fl.n == 0)
        tui_text_add(t, TUI_ROLE_DIM, "  none");
}

/* --- calls ----------------------------------------------------------- */

#define LADDER_MAX_ENDPOINTS 4
#define LADDER_TIME_COLS 13

/* The column of an endpoint; past the maximum, the rest share the last
 * column. */
static size_t ladder_column(char eps[][TUI_ENDPOINT_MAX], size_t n,
                            const char *ep)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(eps[i], ep) == 0)
            return i;
    return n - 1;
}

static bool ladder_has(char eps[][TUI_ENDPOINT_MAX], size_t n,
                       const char *ep)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(eps[i], ep) == 0)
            return true;
    return false;
}

/* Writes text centred within columns [lo, hi) of line, cut to fit. */
static void ladder_put(char *line, int lo, int hi, const char *text)
{
    int len = (int)strlen(text), room = hi - lo, start;

    if (room <= 0)
        return;
    if (len > room)
        len = room;
    start = lo + (room - len) / 2;
    memcpy(line + start, text, (size_t)len);
}

/* A SIP ladder: one column per endpoint (in order of appearance), one
 * line per message with an arrow from sender to receiver. */
static void ladder_lines(const struct tui_call_row *c, struct tui_text *t,
                         int width)
{
    char eps[LADDER_MAX_ENDPOINTS][TUI_ENDPOINT_MAX];
    int x[LADDER_MAX_ENDPOINTS] = { 0 };
    char line[TUI_TEXT_LINE_MAX];
    size_t n = 0, i, e;
    int colw;

    for (i = 0; i < c->n_messages; i++) {
        const char *pair[2] = { c->messages[i].src, c->messages[i].dst };

        for (e = 0; e < 2 && n < LADDER_MAX_ENDPOINTS; e++)
            if (!ladder_has(eps, n, pair[e]))
                snprintf(eps[n++], TUI_ENDPOINT_MAX, "%s", pair[e]);
    }
    if (width > DETAIL_MAX_WIDTH)
        width = DETAIL_MAX_WIDTH;
    colw = (width - LADDER_TIME_COLS) / (int)(n ? n : 1);
    if (colw < 8)
        colw = 8;
    for (e = 0; e < n; e++)
        x[e] = LADDER_TIME_COLS + colw * (int)e + colw / 2;

    memset(line, ' ', sizeof(line));
    for (e = 0; e < n; e++)
        ladder_put(line, x[e] - colw / 2, x[e] - colw / 2 + colw - 1,
                   eps[e]);
    line[LADDER_TIME_COLS + colw * (int)n] = '\0';
    tui_text_add(t, TUI_ROLE_HEADING, "%s", line);

    for (i = 0; i < c->n_messages; i++) {
        const struct tui_sip_msg *msg = &c->messages[i];
        size_t s = ladder_column(eps, n, msg->src);
        size_t d = ladder_column(eps, n, msg->dst);
        char ts[32];
        int lo, hi, k;

        memset(line, ' ', sizeof(line));
        tui_model_format_clock(msg->ts_us, ts, sizeof(ts));
        memcpy(line, ts, strlen(ts));
        for (e = 0; e < n; e++)
            line[x[e]] = '|';
        lo = x[s < d ? s : d];
        hi = x[s < d ? d : s];
        if (s == d) {
            /* A message to itself (after NAT both ends may look alike). */
            ladder_put(line, x[s] + 2, x[s] + colw, msg->label);
        } else {
            for (k = lo + 1; k < hi; k++)
                line[k] = '-';
            if (s < d)
                line[hi - 1] = '>';
            else
                line[lo + 1] = '<';
            ladder_put(line, lo + 2, hi - 2, msg->label);
        }
        line[LADDER_TIME_COLS + colw * (int)n] = '\0';
        tui_text_add(t, TUI_ROLE_NORMAL, "%s", line);
    }
    if (c->messages_dropped)
        tui_text_add(t, TUI_ROLE_DIM, "  ... and %" PRIu64 " more messages",
                     c->messages_dropped);
}

static void media_line(struct tui_text *t, const char *label,
                       const struct tui_call_media *md, bool failed)
{
    if (!md->seen) {
        tui_text_add(t, failed ? TUI_ROLE_FAIL : TUI_ROLE_WARNING,
                     "  %-16s no media", label);
        return;
    }
    tui_text_add(t, TUI_ROLE_NORMAL,
                 "  %-16s %" PRIu64 " packets, %" PRId64 " lost, jitter "
                 "%.2f ms", label, md->packets, md->lost, md->jitter_ms);
}

static void call_lines(const struct tui_call_row *r, struct tui_text *t,
                       int width)
{
    const struct tui_call *c = &r->call;
    char a[32], b[32];

    tui_text_add(t, TUI_ROLE_HEADING, "Call %s", c->call_id);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "from", c->from);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "to", c->to);
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "state", c->state);
    tui_model_format_clock(c->start_us, a, sizeof(a));
    tui_model_format_duration(
        c->end_us > c->start_us ? c->end_us - c->start_us : 0, b, sizeof(b));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s UTC, %s", "start", a, b);
    if (!c->media_known) {
        tui_text_add(t, TUI_ROLE_DIM, "  %-16s not analysed", "media");
    } else {
        media_line(t, "media ->", &c->media[0],
                   c->one_way == TUI_ONE_WAY_REV_ONLY);
        media_line(t, "media <-", &c->media[1],
                   c->one_way == TUI_ONE_WAY_FWD_ONLY);
    }
    if (c->one_way == TUI_ONE_WAY_FWD_ONLY)
        tui_text_add(t, TUI_ROLE_FAIL,
                     "  ONE-WAY: media flowed caller to callee only");
    else if (c->one_way == TUI_ONE_WAY_REV_ONLY)
        tui_text_add(t, TUI_ROLE_FAIL,
                     "  ONE-WAY: media flowed callee to caller only");
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "SIP messages");
    if (r->n_messages == 0)
        tui_text_add(t, TUI_ROLE_DIM, "  none recorded for this call");
    else
        ladder_lines(r, t, width);
}

/* --- findings and requirements --------------------------------------- */

static void finding_lines(struct tui_ctx *ctx,
                          const struct tui_finding_row *r,
                          struct tui_text *t, int width)
{
    const struct tui_flow_row *f =
        tui_model_find_flow(ctx->model, r->capture, r->flow_id);
    char ts[32];

    tui_text_add(t, TUI_ROLE_HEADING, "Finding %s", r->kind);
    tui_text_add(t, tui_theme_severity_role(r->severity), "  %-16s %s",
                 "severity", finding_severity_name(r->severity));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "requirement",
                 r->requirement[0] ? r->requirement : "-");
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %" PRIu64, "first frame",
                 r->first_packet);
    tui_model_format_clock(r->ts_us, ts, sizeof(ts));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s UTC", "time", ts);
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_wrap(t, TUI_ROLE_NORMAL, 2, width, r->summary);
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    if (f)
        tui_text_add(t, TUI_ROLE_DIM, "  flow %s -> %s (%s); Enter opens it",
                     f->client, f->server, f->class_name);
    else if (r->flow_id)
        tui_text_add(t, TUI_ROLE_DIM, "  flow id %" PRIu64 " (no longer "
                     "shown)", r->flow_id);
}

static void check_lines(struct tui_ctx *ctx, const struct tui_check_row *r,
                        struct tui_text *t, int width)
{
    struct finding_lines fl = { t, 0, 0, r->id, 0 };
    size_t i;

    tui_text_add(t, TUI_ROLE_HEADING, "Requirement %s", r->id);
    tui_text_add(t, tui_theme_verdict_role(r->verdict), "  %-16s %s",
                 "verdict", tui_verdict_name(r->verdict));
    tui_text_add(t, TUI_ROLE_NORMAL, "  %-16s %s", "sets",
                 r->sets[0] ? r->sets : "-");
    for (i = 0; i < r->n_per_set; i++) {
        const struct tui_set_verdict *sv = &r->per_set[i];

        tui_text_add(t, tui_theme_verdict_role(sv->verdict),
                     "  %-16s %-12s %s", sv->set,
                     tui_verdict_name(sv->verdict), sv->summary);
    }
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    if (r->text[0])
        tui_text_wrap(t, TUI_ROLE_NORMAL, 2, width, r->text);
    if (r->summary[0]) {
        tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
        tui_text_wrap(t, TUI_ROLE_NORMAL, 2, width, r->summary);
    }
    tui_text_add(t, TUI_ROLE_NORMAL, "%s", "");
    tui_text_add(t, TUI_ROLE_HEADING, "Findings on this requirement");
    tui_model_foreach_finding(ctx->model, add_finding_line, &fl);
    if (fl.n == 0)
        tui_text_add(t, TUI_ROLE_DIM, "  none");
}

/* --- the screen ------------------------------------------------------ */

static void detail_build(struct detail *d, struct tui_ctx *ctx,
                         struct tui_text *t)
{
    const void *row = tui_model_find_serial(ctx->model, d->target.table,
                                            d->target.serial);
    int width = ctx->cols;

    if (!row) {
        tui_text_add(t, TUI_ROLE_DIM, "This row is no longer kept (the "
                     "oldest rows are dropped to bound memory).");
        return;
    }
    switch (d->target.table) {
    case TUI_TABLE_FLOWS:
        flow_lines(ctx, row, t);
        break;
    case TUI_TABLE_CALLS:
        call_lines(row, t, width);
        break;
    case TUI_TABLE_FINDINGS:
        finding_lines(ctx, row, t, width);
        break;
    case TUI_TABLE_CHECKLIST:
        check_lines(ctx, row, t, width);
        break;
    case TUI_TABLE_COUNT:
        break;
    }
}

static void *detail_create(struct tui_ctx *ctx, const struct tui_target *tg)
{
    struct detail *d = xcalloc(1, sizeof(*d));

    (void)ctx;
    if (tg)
        d->target = *tg;
    else
        d->target.table = TUI_TABLE_COUNT;
    return d;
}

static void detail_destroy(void *self)
{
    free(self);
}

static void detail_draw(void *self, struct tui_ctx *ctx,
                        struct tui_canvas *cv, int top, int height)
{
    struct detail *d = self;
    struct tui_text t;

    tui_text_init(&t);
    detail_build(d, ctx, &t);
    tui_text_draw(&t, d->offset, cv, top, height);
    tui_text_release(&t);
}

static void detail_resize(void *self, struct tui_ctx *ctx, int height,
                          int width)
{
    struct detail *d = self;
    bool changed;
    struct tui_text t;

    (void)width;
    d->height = height;
    tui_text_init(&t);
    detail_build(d, ctx, &t);
    d->offset = tui_text_scroll(d->offset, t.n, height, TUI_ACT_NONE,
                                &changed);
    tui_text_release(&t);
}

static enum tui_result detail_handle_key(void *self, struct tui_ctx *ctx,
                                         enum tui_action a)
{
    struct detail *d = self;
    const struct tui_finding_row *fr;
    const struct tui_flow_row *f;
    struct tui_text t;
    bool changed;

    switch (a) {
    case TUI_ACT_BACK:
        return TUI_POP;
    case TUI_ACT_ENTER:
        /* From a finding, on to its flow. */
        if (d->target.table != TUI_TABLE_FINDINGS)
            return TUI_HANDLED;
        fr = tui_model_find_serial(ctx->model, TUI_TABLE_FINDINGS,
                                   d->target.serial);
        f = fr ? tui_model_find_flow(ctx->model, fr->capture, fr->flow_id)
               : NULL;
        if (!f)
            return TUI_HANDLED;
        ctx->push = &tui_screen_detail;
        ctx->push_target.table = TUI_TABLE_FLOWS;
        ctx->push_target.serial = f->serial;
        return TUI_REDRAW;
    case TUI_ACT_UP:
    case TUI_ACT_DOWN:
    case TUI_ACT_PAGE_UP:
    case TUI_ACT_PAGE_DOWN:
    case TUI_ACT_HOME:
    case TUI_ACT_END:
        tui_text_init(&t);
        detail_build(d, ctx, &t);
        d->offset = tui_text_scroll(d->offset, t.n, d->height, a, &changed);
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

static const char *detail_help(void *self)
{
    (void)self;
    return "Detail: everything known about the row that was selected.  "
           "Up, Down, PgUp and PgDn scroll; Esc goes back.  On a finding, "
           "Enter opens the flow it is about.";
}

const struct tui_screen_ops tui_screen_detail = {
    .name = "Detail",
    .table = TUI_TABLE_COUNT,
    .create = detail_create,
    .destroy = detail_destroy,
    .draw = detail_draw,
    .resize = detail_resize,
    .handle_key = detail_handle_key,
    .help = detail_help,
};
