/* The SVG drawings of the HTML report: SIP ladder diagrams and the plots
 * of RTP time series (report_html.h).  Coordinates are integers or have
 * one decimal, printed in the C locale's notation. */
#include "config.h"

#include "report_html.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "text_escape.h"

#define SVG_NS "http://www.w3.org/2000/svg"

static void esc(FILE *out, const char *s)
{
    text_escape_html_fputs(s, out);
}

/* --- ladder ------------------------------------------------------------ */

static bool same_call(const struct report_sip_message *m,
                      const struct report_call *c)
{
    return m->_call_hash == c->_call_hash &&
           strcmp(m->call_id, c->call_id) == 0;
}

/* Column of endpoint ep, added when there is room; -1 when not. */
static int ladder_column(const char **cols, size_t *n_cols, const char *ep)
{
    size_t i;

    for (i = 0; i < *n_cols; i++)
        if (strcmp(cols[i], ep) == 0)
            return (int)i;
    if (*n_cols == REPORT_HTML_LADDER_COLS)
        return -1;
    cols[*n_cols] = ep;
    return (int)(*n_cols)++;
}

static int ladder_x(int col)
{
    return REPORT_HTML_LADDER_X0 + col * REPORT_HTML_LADDER_COL_W;
}

static int ladder_y(size_t row)
{
    return REPORT_HTML_LADDER_Y0 + (int)row * REPORT_HTML_LADDER_ROW_H;
}

/* The endpoint's name over its lifeline: the address, then the port and
 * the endpoint's role in the call. */
static void ladder_endpoint(FILE *out, const struct report_call *c,
                            const char *ep, int x)
{
    const char *colon = strrchr(ep, ':');
    size_t addr_len = colon ? (size_t)(colon - ep) : strlen(ep);
    char addr[IPADDR_ENDPOINT_STRLEN];
    const char *role = strcmp(ep, c->caller) == 0   ? " \xc2\xb7 caller"
                       : strcmp(ep, c->callee) == 0 ? " \xc2\xb7 callee"
                                                    : "";

    snprintf(addr, sizeof(addr), "%.*s", (int)addr_len, ep);
    fprintf(out, "<text class=\"ep\" x=\"%d\" y=\"20\">", x);
    esc(out, addr);
    fprintf(out, "</text>\n<text class=\"port\" x=\"%d\" y=\"36\">port ",
            x);
    esc(out, colon ? colon + 1 : "");
    fprintf(out, "%s</text>\n", role);
}

static const char *ladder_class(const struct report_sip_message *m)
{
    if (m->method)
        return "req";
    if (m->status < 200)
        return "r1";
    if (m->status < 300)
        return "r2";
    return "rerr";
}

static void ladder_label(FILE *out, const struct report_sip_message *m)
{
    if (m->method) {
        esc(out, m->method);
    } else {
        fprintf(out, "%d", m->status);
        if (m->reason) {
            fputc(' ', out);
            esc(out, m->reason);
        }
    }
    if (m->retransmission)
        fputs(" (retransmission)", out);
}

static void format_hms(int64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    char hms[32];

    gmtime_r(&t, &tm);
    strftime(hms, sizeof(hms), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06d", hms, (int)(us % 1000000));
}

/* The tooltip of a message: everything the arrow does not say. */
static void ladder_title(FILE *out, const struct report_sip_message *m)
{
    char when[48];

    format_hms(m->ts_us, when, sizeof(when));
    fprintf(out, "<title>packet %" PRIu64 ", %s UTC, ", m->packet, when);
    esc(out, m->src);
    fputs(" \xe2\x86\x92 ", out);
    esc(out, m->dst);
    fputs(" (", out);
    esc(out, m->transport);
    fputc(')', out);
    if (m->cseq >= 0) {
        fprintf(out, ", CSeq %" PRId64 " ", m->cseq);
        esc(out, m->cseq_method);
    }
    if (m->user_agent) {
        fputs(", ", out);
        fputs(m->method ? "User-Agent " : "Server ", out);
        esc(out, m->user_agent);
    }
    fputs("</title>", out);
}

static void ladder_arrow(FILE *out, const struct report_sip_message *m,
                         int xs, int xd, int y, int64_t t0_us)
{
    const int h = REPORT_HTML_ARROW_HEAD;

    fprintf(out, "<g class=\"msg %s%s\">", ladder_class(m),
            m->retransmission ? " retx" : "");
    ladder_title(out, m);
    fprintf(out, "<text class=\"t\" x=\"8\" y=\"%d\">+%.3f s "
            "\xc2\xb7 #%" PRIu64 "</text>", y + 4,
            (double)(m->ts_us - t0_us) / 1e6, m->packet);
    if (xs != xd) {
        int dir = xd > xs ? 1 : -1;

        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                xs, y, xd - dir * h, y);
        fprintf(out, "<polygon points=\"%d,%d %d,%d %d,%d\"/>", xd, y,
                xd - dir * h, y - 4, xd - dir * h, y + 4);
        fprintf(out, "<text class=\"lbl\" x=\"%d\" y=\"%d\">", (xs + xd) / 2,
                y - 6);
    } else {
        /* To itself (one endpoint both ways): a loop to the right. */
        fprintf(out, "<path d=\"M%d %d h40 v12 h%d\"/>", xs, y, -(40 - h));
        fprintf(out, "<polygon points=\"%d,%d %d,%d %d,%d\"/>", xs, y + 12,
                xs + h, y + 8, xs + h, y + 16);
        fprintf(out, "<text class=\"lbl self\" x=\"%d\" y=\"%d\">", xs + 46,
                y + 8);
    }
    ladder_label(out, m);
    fputs("</text></g>\n", out);
}

void report_html_ladder(FILE *out, const struct report *r,
                        const struct report_call *c)
{
    const struct report_sip_message *rows[REPORT_HTML_LADDER_ROWS];
    int src_col[REPORT_HTML_LADDER_ROWS], dst_col[REPORT_HTML_LADDER_ROWS];
    const char *cols[REPORT_HTML_LADDER_COLS];
    size_t n_rows = 0, n_cols = 0, more = 0, outside = 0, i;
    int width, height;

    for (i = 0; i < r->n_sip; i++) {
        const struct report_sip_message *m = &r->sip[i];
        size_t saved = n_cols;
        int s, d;

        if (!same_call(m, c))
            continue;
        if (n_rows == REPORT_HTML_LADDER_ROWS) {
            more++;
            continue;
        }
        s = ladder_column(cols, &n_cols, m->src);
        d = s < 0 ? -1 : ladder_column(cols, &n_cols, m->dst);
        if (s < 0 || d < 0) {
            n_cols = saved;
            outside++;
            continue;
        }
        src_col[n_rows] = s;
        dst_col[n_rows] = d;
        rows[n_rows++] = m;
    }
    if (n_rows == 0) {
        fputs("<p class=\"muted\">No SIP message of this call was kept "
              "for the diagram.</p>\n", out);
        return;
    }
    width = ladder_x((int)n_cols - 1) + REPORT_HTML_LADDER_RIGHT;
    height = ladder_y(n_rows - 1) + REPORT_HTML_LADDER_BOTTOM;
    fprintf(out, "<svg class=\"ladder\" xmlns=\"" SVG_NS "\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"SIP ladder diagram\">\n", width, height, width,
            height);
    for (i = 0; i < n_cols; i++) {
        int x = ladder_x((int)i);

        ladder_endpoint(out, c, cols[i], x);
        fprintf(out, "<line class=\"life\" x1=\"%d\" y1=\"44\" x2=\"%d\" "
                "y2=\"%d\"/>\n", x, x, height - 6);
    }
    for (i = 0; i < n_rows; i++)
        ladder_arrow(out, rows[i], ladder_x(src_col[i]),
                     ladder_x(dst_col[i]), ladder_y(i), rows[0]->ts_us);
    fputs("</svg>\n", out);
    if (more || outside)
        fprintf(out, "<p class=\"muted\">%zu more message%s not drawn "
                "(%zu beyond %d rows, %zu between further endpoints).</p>\n",
                more + outside, more + outside == 1 ? "" : "s", more,
                REPORT_HTML_LADDER_ROWS, outside);
}

/* --- plots ------------------------------------------------------------- */

double report_html_axis_max(double v)
{
    static const double steps[] = { 1, 2, 5, 10 };
    double p;
    size_t i;

    if (!(v > 0))
        return 1;
    if (v > 1e15)
        return v;
    p = pow(10, floor(log10(v)));
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] * p >= v)
            return steps[i] * p;
    return 10 * p;
}

static double plot_y(double v, double top)
{
    if (v < 0)
        v = 0;
    return REPORT_HTML_PLOT_TOP + REPORT_HTML_PLOT_H -
           v / top * REPORT_HTML_PLOT_H;
}

static void plot_axes(FILE *out, double top, size_t n, uint32_t bucket_s)
{
    const int l = REPORT_HTML_PLOT_LEFT, t = REPORT_HTML_PLOT_TOP;
    const int w = REPORT_HTML_PLOT_W, h = REPORT_HTML_PLOT_H;

    fprintf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" "
            "height=\"%d\"/>\n", l, t, w, h);
    fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
            "y2=\"%d\"/>\n", l, t + h / 2, l + w, t + h / 2);
    fprintf(out, "<text class=\"ylab\" x=\"%d\" y=\"%d\">%g</text>"
            "<text class=\"ylab\" x=\"%d\" y=\"%d\">%g</text>"
            "<text class=\"ylab\" x=\"%d\" y=\"%d\">0</text>\n",
            l - 6, t + 4, top, l - 6, t + h / 2 + 4, top / 2, l - 6,
            t + h + 4);
    fprintf(out, "<text class=\"xlab\" x=\"%d\" y=\"%d\">0 s</text>"
            "<text class=\"xlab end\" x=\"%d\" y=\"%d\">%" PRIu64
            " s</text>\n", l, t + h + 17, l + w, t + h + 17,
            (uint64_t)n * bucket_s);
}

static void plot_bars(FILE *out, const double *v, size_t n, double top)
{
    double slot = (double)REPORT_HTML_PLOT_W / (double)n;
    double bw = slot * 0.8 < 1 ? 1 : slot * 0.8;
    size_t i;

    for (i = 0; i < n; i++) {
        double y;

        if (!isfinite(v[i]) || v[i] <= 0)
            continue;
        y = plot_y(v[i], top);
        fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                "width=\"%.1f\" height=\"%.1f\"/>\n",
                REPORT_HTML_PLOT_LEFT + (double)i * slot + (slot - bw) / 2,
                y, bw, REPORT_HTML_PLOT_TOP + REPORT_HTML_PLOT_H - y);
    }
}

/* Runs of values as polylines, a value alone as a dot. */
static void plot_line(FILE *out, const double *v, size_t n, double top)
{
    double slot = (double)REPORT_HTML_PLOT_W / (double)n;
    size_t i = 0;

    while (i < n) {
        size_t j = i, k;

        if (!isfinite(v[i])) {
            i++;
            continue;
        }
        while (j + 1 < n && isfinite(v[j + 1]))
            j++;
        if (j == i) {
            fprintf(out, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" "
                    "r=\"2.5\"/>\n",
                    REPORT_HTML_PLOT_LEFT + ((double)i + 0.5) * slot,
                    plot_y(v[i], top));
        } else {
            fputs("<polyline class=\"line\" points=\"", out);
            for (k = i; k <= j; k++)
                fprintf(out, "%s%.1f,%.1f", k > i ? " " : "",
                        REPORT_HTML_PLOT_LEFT + ((double)k + 0.5) * slot,
                        plot_y(v[k], top));
            fputs("\"/>\n", out);
        }
        i = j + 1;
    }
}

void report_html_plot(FILE *out, const char *title, const double *v,
                      size_t n, uint32_t bucket_s, bool bars)
{
    const int width = REPORT_HTML_PLOT_LEFT + REPORT_HTML_PLOT_W +
                      REPORT_HTML_PLOT_RIGHT;
    const int height = REPORT_HTML_PLOT_TOP + REPORT_HTML_PLOT_H +
                       REPORT_HTML_PLOT_BOTTOM;
    double max = 0;
    bool any = false;
    size_t i;

    for (i = 0; i < n; i++)
        if (isfinite(v[i])) {
            any = true;
            if (v[i] > max)
                max = v[i];
        }
    fprintf(out, "<svg class=\"plot\" xmlns=\"" SVG_NS "\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"", width, height, width, height);
    esc(out, title);
    fprintf(out, "\">\n<text class=\"ptitle\" x=\"%d\" y=\"15\">",
            REPORT_HTML_PLOT_LEFT);
    esc(out, title);
    fputs("</text>\n", out);
    plot_axes(out, report_html_axis_max(max), n, bucket_s);
    if (!any || (bars && max <= 0))
        fprintf(out, "<text class=\"empty\" x=\"%d\" y=\"%d\">%s"
                "</text>\n", REPORT_HTML_PLOT_LEFT + REPORT_HTML_PLOT_W / 2,
                REPORT_HTML_PLOT_TOP + REPORT_HTML_PLOT_H / 2 + 4,
                any ? "none in any interval" : "no samples");
    else if (bars)
        plot_bars(out, v, n, report_html_axis_max(max));
    else
        plot_line(out, v, n, report_html_axis_max(max));
    fputs("</svg>\n", out);
}
