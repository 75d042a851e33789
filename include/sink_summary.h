/* The summary sink: prints a short per-capture summary (traffic, flows by
 * class, decoder anomalies, findings by kind) to a stream at the end of
 * each capture. */
#ifndef RINGSCOPE_SINK_SUMMARY_H
#define RINGSCOPE_SINK_SUMMARY_H

#include <stdio.h>

#include "sink.h"

/* Fills *out with a summary sink writing to out_stream (borrowed; must
 * outlive the sink).  Cannot fail. */
void sink_summary_new(FILE *out_stream, struct sink *out);

#endif
