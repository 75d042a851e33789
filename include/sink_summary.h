/* The summary sink: at the end of each capture prints the compliance
 * report (capture facts, requirement verdicts, findings by severity,
 * flows by class, decoder anomalies) to a stream, and adds the capture to
 * the JSON report and the HTML page. */
#ifndef RINGSCOPE_SINK_SUMMARY_H
#define RINGSCOPE_SINK_SUMMARY_H

#include <stdio.h>

#include "sink.h"

struct report_json;
struct report_html;

/* Fills *out with a summary sink writing to out_stream (NULL: no text;
 * colours when it is a terminal) and adding each capture to json and to
 * html (NULL: none; with html the sink also keeps the calls and media).
 * They are borrowed and must outlive the sink.  Place it after the
 * compliance sink, whose verdicts it prints.  Cannot fail. */
void sink_summary_new(FILE *out_stream, struct report_json *json,
                      struct report_html *html, struct sink *out);

#endif
