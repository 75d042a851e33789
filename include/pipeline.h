/* The pipeline: capture -> decode -> flow table -> classify -> analyzers
 * -> sinks.  The only module that knows every stage. */
#ifndef RINGSCOPE_PIPELINE_H
#define RINGSCOPE_PIPELINE_H

#include <signal.h>

struct config;

/* Runs the whole analysis that cfg describes: every input file in order,
 * each as its own capture, or the live interface.  *stop is polled between
 * packets; when it becomes non-zero the run stops and everything analysed
 * so far is flushed to the sinks.  Returns an enum exit_status. */
int pipeline_run(const struct config *cfg, volatile sig_atomic_t *stop);

#endif
