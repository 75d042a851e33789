/* "ringscope report DB --tui": the interactive interface on a database
 * alone.  The stored captures are read into the interface's model up
 * front (db_replay.h), with the requirement profile they were analysed
 * with, so the screens are those of the run that wrote the database and
 * drawing never touches the database. */
#ifndef RINGSCOPE_REPORT_TUI_H
#define RINGSCOPE_REPORT_TUI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Shows capture capture_id of the database at path (0: every capture,
 * one after the other, as one run over several files shows them).  With
 * batch_frames > 0 the screens of the finished analysis are written to
 * out as text (one frame: a database holds only the finished state);
 * otherwise the terminal interface runs until the user quits.  Returns 0,
 * or -1 with a message in err (the database cannot be read, no terminal,
 * an output error). */
int report_tui_show(const char *path, int64_t capture_id, int batch_frames,
                    FILE *out, char *err, size_t errlen);

#endif
