/* The interactive interface's controller: the stack of screens over the
 * model, key dispatch, the filter prompt, and composing whole frames
 * (header, screen, footer) on a canvas.
 *
 * It does no I/O and knows no terminal: keys come in as enum tui_key
 * values and frames go out as a struct tui_canvas, which the curses
 * backend (tui_curses.h) puts on the terminal and --batch writes as text
 * (tui_write_batch).  Everything runs in the caller's thread; the caller
 * decides when to draw (only when tui_needs_redraw() says so). */
#ifndef RINGSCOPE_TUI_H
#define RINGSCOPE_TUI_H

#include <stdbool.h>
#include <stdio.h>

#include "tui_model.h"
#include "tui_view.h"

struct tui;

/* Columns of --batch frames: wide enough for every column of every
 * screen, fixed so the output does not depend on the environment. */
#define TUI_BATCH_COLS 160

/* Starts on the Flows screen at the given size.  The model is borrowed
 * and must outlive the controller.  Exits on exhaustion. */
struct tui *tui_new(struct tui_model *model, int rows, int cols);

/* Accepts NULL. */
void tui_free(struct tui *t);

/* The terminal changed size: every screen on the stack is told. */
void tui_resize(struct tui *t, int rows, int cols);

/* Handles one key.  Returns TUI_QUIT when the user asked to leave,
 * otherwise TUI_HANDLED (a redraw is flagged when needed). */
enum tui_result tui_key(struct tui *t, int key);

/* The model changed (new rows or counters): the next check redraws. */
void tui_mark_dirty(struct tui *t);
bool tui_needs_redraw(const struct tui *t);

/* Composes the whole frame on cv (resized to the controller's size) and
 * clears the redraw flag. */
void tui_draw(struct tui *t, struct tui_canvas *cv);

/* Which list screen is shown (0 Flows, 1 Calls, 2 Findings,
 * 3 Compliance), and whether a detail or help screen is on top. */
size_t tui_current_screen(const struct tui *t);
const char *tui_top_name(const struct tui *t);

/* Writes frame number frame of --batch to out: every list screen in tab
 * order, each after a line "-- frame N: NAME --", drawn TUI_BATCH_COLS
 * wide and as tall as its rows need, from the first row.  Afterwards the
 * size is restored and the list screen shown before is back on its own
 * (detail and help screens are closed).  Returns 0, or -1 on a write
 * error. */
int tui_write_batch(struct tui *t, FILE *out, int frame);

#endif
