/* The terminal of the interactive interface, through ncursesw.  This is
 * the only module that includes curses.h; it is built only when
 * configure found ncursesw (HAVE_TUI).
 *
 * Everything runs in the caller's thread.  Input is read without
 * blocking unless asked to wait, so a caller in the capture loop never
 * waits for the user. */
#ifndef RINGSCOPE_TUI_CURSES_H
#define RINGSCOPE_TUI_CURSES_H

#include <stdbool.h>
#include <stddef.h>

#include "tui_view.h"

struct tui_curses;

/* Whether the interface can run here: standard input and output are a
 * terminal.  Returns 0, or -1 with a message in err. */
int tui_curses_check(char *err, size_t errlen);

/* Takes over the terminal on standard input and output.  While it is
 * open, standard error goes to a temporary file so that messages cannot
 * garble the screen; tui_curses_message() gives the latest of them and
 * tui_curses_close() prints them all once the terminal is back.  Returns
 * NULL with a message in err when standard input or output is not a
 * terminal, or the terminal type is unknown. */
struct tui_curses *tui_curses_open(char *err, size_t errlen);

/* Gives the terminal back as it was, then writes what went to standard
 * error meanwhile.  Accepts NULL. */
void tui_curses_close(struct tui_curses *tc);

void tui_curses_size(const struct tui_curses *tc, int *rows, int *cols);

/* Returns the next key (enum tui_key), TUI_KEY_RESIZE once the terminal
 * changed size (tui_curses_size() has the new size), or TUI_KEY_NONE
 * when there is no input.  Waits up to timeout_ms for input; with 0 it
 * only looks (a poll() with no timeout). */
int tui_curses_read_key(struct tui_curses *tc, int timeout_ms);

/* Shows the canvas: curses compares it with the screen and sends only
 * the cells that changed, in one update, so nothing flickers. */
void tui_curses_draw(struct tui_curses *tc, const struct tui_canvas *cv);

/* Copies the last line written to standard error since the terminal was
 * taken into buf.  Returns true when there is a new one since the last
 * call. */
bool tui_curses_message(struct tui_curses *tc, char *buf, size_t len);

#endif
