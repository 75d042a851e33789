/* The interactive interface's views: a terminal-independent canvas that
 * screens draw on, the colour theme, the key table, and the screens
 * themselves as ops structs.
 *
 * Nothing here knows curses.  Screens draw cells (a character and a
 * role) on a struct tui_canvas; the curses backend (tui_curses.h) copies
 * the canvas to the terminal with the theme's colours, and --batch writes
 * the same canvas as plain text.  So the headless output is exactly the
 * screens, and screens are testable without a terminal.
 *
 * Control flows one way: a key becomes an action through the key table,
 * the top screen's handle_key() changes the model and returns a result,
 * and the controller (tui.h) redraws when something changed.  Handlers
 * never draw; draw() only renders the model and does no I/O. */
#ifndef RINGSCOPE_TUI_VIEW_H
#define RINGSCOPE_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "tui_model.h"

/* --- theme ----------------------------------------------------------- */

/* What a cell shows; the theme maps it to colours and attributes. */
enum tui_role {
    TUI_ROLE_NORMAL,
    TUI_ROLE_TITLE,             /* the top line */
    TUI_ROLE_TAB,
    TUI_ROLE_TAB_ACTIVE,
    TUI_ROLE_COLUMN,            /* column headings */
    TUI_ROLE_COLUMN_SORTED,
    TUI_ROLE_SELECTED,
    TUI_ROLE_PASS,
    TUI_ROLE_FAIL,
    TUI_ROLE_NOT_OBSERVED,
    TUI_ROLE_ERROR,
    TUI_ROLE_WARNING,
    TUI_ROLE_INFO,
    TUI_ROLE_DIM,
    TUI_ROLE_HEADING,           /* section titles in detail and help */
    TUI_ROLE_FOOTER,
    TUI_ROLE_PROMPT,
    TUI_ROLE_COUNT,
};

/* The eight ANSI colours, numbered as the terminal (and curses' COLOR_*
 * constants) number them; DEFAULT is the terminal's own colour. */
enum tui_color {
    TUI_COLOR_DEFAULT = -1,
    TUI_COLOR_BLACK = 0,
    TUI_COLOR_RED = 1,
    TUI_COLOR_GREEN = 2,
    TUI_COLOR_YELLOW = 3,
    TUI_COLOR_BLUE = 4,
    TUI_COLOR_MAGENTA = 5,
    TUI_COLOR_CYAN = 6,
    TUI_COLOR_WHITE = 7,
};

enum tui_attr_bits {
    TUI_ATTR_BOLD = 1u << 0,
    TUI_ATTR_REVERSE = 1u << 1,
    TUI_ATTR_DIM = 1u << 2,
    TUI_ATTR_UNDERLINE = 1u << 3,
};

struct tui_style {
    enum tui_color fg;
    enum tui_color bg;
    unsigned attrs;             /* with colours */
    unsigned mono_attrs;        /* on a terminal without colours */
};

/* The style of a role; never NULL (NORMAL for out-of-range roles). */
const struct tui_style *tui_theme_style(enum tui_role role);
enum tui_role tui_theme_verdict_role(enum tui_verdict v);
enum tui_role tui_theme_severity_role(enum finding_severity s);

/* --- canvas ---------------------------------------------------------- */

/* One character cell: a Unicode code point of display width one, and its
 * role. */
struct tui_cell {
    uint32_t ch;
    uint8_t role;
};

struct tui_canvas {
    int rows;
    int cols;
    struct tui_cell *cells;     /* rows * cols, row major */
};

/* Sets the size and blanks every cell.  Exits on exhaustion (the size
 * is a terminal's).  A zero or negative size gives an empty canvas. */
void tui_canvas_resize(struct tui_canvas *cv, int rows, int cols);
void tui_canvas_release(struct tui_canvas *cv);
void tui_canvas_clear(struct tui_canvas *cv);

/* Writes UTF-8 text at (row, col), at most width columns (and never past
 * the canvas), in role.  A character that is not printable or not one
 * column wide in the current locale is drawn as '?', so cells never hold
 * control characters whatever the caller passes.  Returns the columns
 * written. */
int tui_canvas_put(struct tui_canvas *cv, int row, int col, int width,
                   enum tui_role role, const char *text);
int tui_canvas_printf(struct tui_canvas *cv, int row, int col, int width,
                      enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Right-aligns text in width columns. */
void tui_canvas_put_right(struct tui_canvas *cv, int row, int col,
                          int width, enum tui_role role, const char *text);
/* Fills width cells with ch in role. */
void tui_canvas_fill(struct tui_canvas *cv, int row, int col, int width,
                     enum tui_role role, uint32_t ch);
/* Changes the role of width cells, keeping their characters. */
void tui_canvas_set_role(struct tui_canvas *cv, int row, int col, int width,
                         enum tui_role role);
const struct tui_cell *tui_canvas_at(const struct tui_canvas *cv, int row,
                                     int col);
/* Writes every row as UTF-8 text without trailing blanks, one line each.
 * Returns 0, or -1 on a write error. */
int tui_canvas_write_text(const struct tui_canvas *cv, FILE *out);
/* Row row as text into buf (for tests); returns buf. */
char *tui_canvas_row_text(const struct tui_canvas *cv, int row, char *buf,
                          size_t len);

/* --- text (detail and help screens) ---------------------------------- */

#define TUI_TEXT_LINE_MAX 320

struct tui_text_line {
    enum tui_role role;
    char s[TUI_TEXT_LINE_MAX];
};

/* A growing list of lines. */
struct tui_text {
    struct tui_text_line *lines;
    size_t n;
    size_t cap;
};

void tui_text_init(struct tui_text *t);
void tui_text_release(struct tui_text *t);
void tui_text_add(struct tui_text *t, enum tui_role role, const char *fmt,
                  ...) __attribute__((format(printf, 3, 4)));
/* Adds text wrapped at word boundaries to width columns, each line
 * starting with indent spaces. */
void tui_text_wrap(struct tui_text *t, enum tui_role role, int indent,
                   int width, const char *text);

/* --- keys ------------------------------------------------------------ */

/* Keys are Unicode code points for characters, and these for the rest
 * (above the Unicode range). */
enum tui_key {
    TUI_KEY_NONE = -1,
    TUI_KEY_TAB = 9,
    TUI_KEY_ENTER = 10,
    TUI_KEY_ESC = 27,
    TUI_KEY_BACKSPACE = 127,
    TUI_KEY_UP = 0x110000,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_PAGE_UP,
    TUI_KEY_PAGE_DOWN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_BACKTAB,
    TUI_KEY_RESIZE,
    TUI_KEY_F1,                 /* F1 .. F12 follow in order */
};

enum tui_action {
    TUI_ACT_NONE,
    TUI_ACT_QUIT,
    TUI_ACT_HELP,
    TUI_ACT_BACK,
    TUI_ACT_NEXT_SCREEN,
    TUI_ACT_PREV_SCREEN,
    TUI_ACT_SCREEN_1,
    TUI_ACT_SCREEN_2,
    TUI_ACT_SCREEN_3,
    TUI_ACT_SCREEN_4,
    TUI_ACT_UP,
    TUI_ACT_DOWN,
    TUI_ACT_PAGE_UP,
    TUI_ACT_PAGE_DOWN,
    TUI_ACT_HOME,
    TUI_ACT_END,
    TUI_ACT_SORT_NEXT,
    TUI_ACT_SORT_REVERSE,
    TUI_ACT_CATEGORY_NEXT,
    TUI_ACT_FILTER,
    TUI_ACT_ENTER,
    TUI_ACT_COUNT,
};

/* The action bound to key, TUI_ACT_NONE when none. */
enum tui_action tui_keys_action(int key);
/* The keys bound to an action, as shown in the help ("Up k"), and what
 * the action does. */
const char *tui_keys_names(enum tui_action a);
const char *tui_keys_description(enum tui_action a);

/* --- text views ----------------------------------------------------- */

/* Draws lines [offset, offset + height) of t into canvas rows [top,
 * top + height). */
void tui_text_draw(const struct tui_text *t, size_t offset,
                   struct tui_canvas *cv, int top, int height);
/* The scroll offset after a navigation action on a text of n lines shown
 * height lines at a time; *changed says whether it moved.  Other actions
 * leave it. */
size_t tui_text_scroll(size_t offset, size_t n, int height,
                       enum tui_action a, bool *changed);

/* --- screens --------------------------------------------------------- */

enum tui_result {
    TUI_HANDLED,                /* done, nothing visible changed */
    TUI_IGNORED,                /* not for this screen: the controller's */
    TUI_REDRAW,                 /* done, redraw */
    TUI_POP,                    /* close this screen */
    TUI_QUIT,                   /* leave the interface */
};

/* A row a detail screen is about. */
struct tui_target {
    enum tui_table table;
    uint64_t serial;
};

struct tui_screen_ops;

/* What handlers and draw functions get from the controller. */
struct tui_ctx {
    struct tui_model *model;
    int rows;                   /* terminal size */
    int cols;
    /* A handler that opens a screen sets these; the controller pushes it
     * after the handler returns. */
    const struct tui_screen_ops *push;
    struct tui_target push_target;
    /* For the help screen: the help of the screen it was opened from. */
    const char *help_below;
};

struct tui_screen_ops {
    const char *name;           /* tab label */
    enum tui_table table;       /* the list shown; TUI_TABLE_COUNT: none */
    /* Returns the screen's state; target is NULL for list screens.
     * Exits on exhaustion. */
    void *(*create)(struct tui_ctx *ctx, const struct tui_target *target);
    void (*destroy)(void *self);
    /* Renders into canvas rows [top, top + height). */
    void (*draw)(void *self, struct tui_ctx *ctx, struct tui_canvas *cv,
                 int top, int height);
    /* The screen's area changed (also called once after create). */
    void (*resize)(void *self, struct tui_ctx *ctx, int height, int width);
    enum tui_result (*handle_key)(void *self, struct tui_ctx *ctx,
                                  enum tui_action a);
    /* A few lines about this screen for the help screen. */
    const char *(*help)(void *self);
};

extern const struct tui_screen_ops tui_screen_flows;
extern const struct tui_screen_ops tui_screen_calls;
extern const struct tui_screen_ops tui_screen_findings;
extern const struct tui_screen_ops tui_screen_checklist;
extern const struct tui_screen_ops tui_screen_detail;
extern const struct tui_screen_ops tui_screen_help;

/* --- list screens (tui_table.c) -------------------------------------- */

/* One column of a list screen.  When the screen is narrow, columns are
 * kept in priority order (lower first) while they fit; the flexible ones
 * share what is left. */
struct tui_column_layout {
    int col;                    /* model column */
    int width;                  /* the minimum of a flexible one */
    int priority;
    bool right;                 /* right-aligned (numbers) */
    bool flex;
};

#define TUI_LIST_MAX_COLS 16

struct tui_list {
    enum tui_table table;
    const struct tui_column_layout *layout;
    size_t n_layout;
    const char *empty;          /* shown when no row passes the filters */
    /* Role of a cell (severity, verdict, ...); NULL: normal. */
    enum tui_role (*cell_role)(const void *row, int col);

    /* Chosen for the current width: layout indices and widths. */
    size_t shown[TUI_LIST_MAX_COLS];
    int widths[TUI_LIST_MAX_COLS];
    size_t n_shown;
};

void tui_list_init(struct tui_list *l, enum tui_table table,
                   const struct tui_column_layout *layout, size_t n_layout,
                   const char *empty,
                   enum tui_role (*cell_role)(const void *row, int col));
void tui_list_resize(struct tui_list *l, struct tui_ctx *ctx, int height,
                     int width);
void tui_list_draw(struct tui_list *l, struct tui_ctx *ctx,
                   struct tui_canvas *cv, int top, int height);
/* Navigation, sort, category filter and Enter (opens the detail screen
 * for the selected row). */
enum tui_result tui_list_handle_key(struct tui_list *l, struct tui_ctx *ctx,
                                    enum tui_action a);

/* --- header and footer (tui_header.c) -------------------------------- */

/* Rows the header takes at the top, and the footer at the bottom. */
#define TUI_HEADER_ROWS 3
#define TUI_FOOTER_ROWS 1

/* Title line, compliance line, and the tabs (the list screens, in
 * order) with tabs[active] marked and its table's rows and filters. */
void tui_header_draw(struct tui_ctx *ctx, struct tui_canvas *cv,
                     const struct tui_screen_ops *const *tabs, size_t n_tabs,
                     size_t active, const struct tui_screen_ops *top);
/* The last line: the filter prompt when prompt is not NULL, else the
 * status message or the key hints for the top screen. */
void tui_footer_draw(struct tui_ctx *ctx, struct tui_canvas *cv,
                     const struct tui_screen_ops *top, const char *prompt);

#endif
