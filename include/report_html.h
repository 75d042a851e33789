/* The HTML report: one self-contained page (inline CSS and SVG, no
 * script, nothing fetched) with, per capture, its facts, the requirement
 * verdicts, the findings by severity, the traffic by class, each SIP call
 * as a ladder diagram with its media streams, and loss and jitter plots
 * of every stream.  Rendered from struct report (report.h) alone, so a
 * run and "ringscope report DB" write the same bytes for the same data;
 * the report must keep its calls and media (keep_media).  Text from
 * packet data is escaped with text_escape_html_fputs(). */
#ifndef RINGSCOPE_REPORT_HTML_H
#define RINGSCOPE_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* Findings listed per severity; the rest are counted. */
#define REPORT_HTML_FINDINGS 200

/* Ladder diagram: SIP messages drawn per call and endpoint columns; the
 * rest are counted under the diagram. */
#define REPORT_HTML_LADDER_ROWS 100
#define REPORT_HTML_LADDER_COLS 6

/* Ladder geometry, in SVG user units (pixels): endpoint column i has its
 * lifeline at x = X0 + i * COL_W; message row k is drawn at
 * y = Y0 + k * ROW_H; the times are written left of X0. */
#define REPORT_HTML_LADDER_X0 170
#define REPORT_HTML_LADDER_COL_W 230
#define REPORT_HTML_LADDER_RIGHT 130
#define REPORT_HTML_LADDER_Y0 70
#define REPORT_HTML_LADDER_ROW_H 30
#define REPORT_HTML_LADDER_BOTTOM 20
#define REPORT_HTML_ARROW_HEAD 9

/* Plot geometry: the data area is PLOT_W x PLOT_H at (LEFT, TOP) of an
 * SVG of LEFT + PLOT_W + RIGHT by TOP + PLOT_H + BOTTOM. */
#define REPORT_HTML_PLOT_LEFT 52
#define REPORT_HTML_PLOT_TOP 24
#define REPORT_HTML_PLOT_W 380
#define REPORT_HTML_PLOT_H 100
#define REPORT_HTML_PLOT_RIGHT 14
#define REPORT_HTML_PLOT_BOTTOM 26

/* Streams that get plots per capture (the table lists every kept one). */
#define REPORT_HTML_PLOTS_MAX 100

/* The document being built from the reports of a run. */
struct report_html;

/* Cannot fail (allocation failure exits). */
struct report_html *report_html_new(void);
void report_html_free(struct report_html *h);

/* Renders one capture's section.  Cannot fail. */
void report_html_add(struct report_html *h, const struct report *r);

/* Writes the page to path ("-": standard output).  Returns 0, or -1
 * after reporting the error. */
int report_html_write(const struct report_html *h, const char *path);

/* The pieces, for tests. */

/* One capture's <section>. */
void report_html_capture(FILE *out, const struct report *r);

/* The ladder <svg> of call c of r (messages of its Call-ID). */
void report_html_ladder(FILE *out, const struct report *r,
                        const struct report_call *c);

/* A plot <svg> of n values, one per interval of bucket_s seconds: bars,
 * or a line (points for isolated values).  NAN values are gaps; n = 0
 * or only gaps draw an empty frame saying so.  title is plain text. */
void report_html_plot(FILE *out, const char *title, const double *v,
                      size_t n, uint32_t bucket_s, bool bars);

/* The top of a plot's value axis for a largest value v: the least of
 * 1, 2 and 5 times a power of ten that is >= v; 1 when v <= 0 or v is
 * not a number. */
double report_html_axis_max(double v);

#endif
