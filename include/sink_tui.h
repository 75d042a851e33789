/* The interactive interface as a sink: flows, findings and capture
 * counters go into the TUI model; on the pipeline's ticks live flows are
 * refreshed, keys are read and the screen is redrawn.  With --batch the
 * same screens are written to a stream as text instead.
 *
 * Single-threaded by design (STYLE 2.9): the pipeline calls the tick
 * between packets, and a tick reads at most one batch of keys (standard
 * input is only looked at, never waited for, and at most
 * SINK_TUI_KEYS_PER_TICK keys are taken) and draws at most one frame:
 * at once after a key, otherwise only when something changed and
 * SINK_TUI_REDRAW_US has passed since the last frame.  Capture therefore
 * never waits for the screen; a frame costs a few milliseconds at most
 * four times a second.  Only after the last capture of a file does the
 * interface wait for keys (until q). */
#ifndef RINGSCOPE_SINK_TUI_H
#define RINGSCOPE_SINK_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sink.h"

struct profile;

/* Redraw and live-row refresh interval. */
#define SINK_TUI_REDRAW_US 250000
/* Keys handled per tick at most (a held key cannot starve capture). */
#define SINK_TUI_KEYS_PER_TICK 32
/* --batch on a live capture: one frame per second of wall time. */
#define SINK_TUI_BATCH_INTERVAL_US 1000000

struct sink_tui_config {
    const struct profile *profile;  /* its requirements start the
                                       checklist; borrowed, may be NULL */
    bool live;                  /* the input is an interface */
    int batch_frames;           /* > 0: write this many text frames to
                                   out instead of using the terminal */
    FILE *out;                  /* batch output; borrowed */
    volatile sig_atomic_t *stop;    /* a stop signal ends the wait for q */
};

/* Fills *out.  In terminal mode the terminal is taken at the first
 * capture, so errors about inputs print normally.  Returns 0, or -1 with
 * a message in err when the interface cannot work (built without
 * ncursesw). */
int sink_tui_new(const struct sink_tui_config *cfg, struct sink *out,
                 char *err, size_t errlen);

#endif
