/* The terminal of the interactive interface through ncursesw: keys in,
 * canvases out, standard error kept off the screen meanwhile. */
#include "config.h"

#include "tui_curses.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "xalloc.h"

/* How long a lone Esc waits for the rest of an escape sequence.  The
 * curses default (1 s) makes Esc feel broken; local terminals and ssh
 * deliver a sequence's bytes together. */
#define TUI_CURSES_ESCDELAY_MS 25

struct tui_curses {
    SCREEN *screen;
    bool colors;
    int saved_stderr;           /* the real standard error */
    FILE *log;                  /* where standard error goes meanwhile */
    off_t log_seen;             /* bytes of log already looked at */
};

static attr_t curses_attrs(unsigned bits)
{
    attr_t a = A_NORMAL;

    if (bits & TUI_ATTR_BOLD)
        a |= A_BOLD;
    if (bits & TUI_ATTR_REVERSE)
        a |= A_REVERSE;
    if (bits & TUI_ATTR_DIM)
        a |= A_DIM;
    if (bits & TUI_ATTR_UNDERLINE)
        a |= A_UNDERLINE;
    return a;
}

static void curses_init_colors(struct tui_curses *tc)
{
    int r;

    tc->colors = has_colors();
    if (!tc->colors)
        return;
    start_color();
    /* Keep the terminal's own background and text colour for DEFAULT. */
    use_default_colors();
    for (r = 0; r < TUI_ROLE_COUNT; r++) {
        const struct tui_style *s = tui_theme_style((enum tui_role)r);

        init_pair((short)(r + 1), (short)s->fg, (short)s->bg);
    }
}

/* Sends standard error to a temporary file while curses owns the
 * screen.  A file rather than a pipe: a writer never blocks on it, so a
 * message can never stall capture. */
static int curses_capture_stderr(struct tui_curses *tc)
{
    fflush(stderr);
    tc->log = tmpfile();
    if (!tc->log)
        return -1;
    tc->saved_stderr = dup(STDERR_FILENO);
    if (tc->saved_stderr < 0 ||
        dup2(fileno(tc->log), STDERR_FILENO) < 0) {
        if (tc->saved_stderr >= 0)
            close(tc->saved_stderr);
        tc->saved_stderr = -1;
        fclose(tc->log);
        tc->log = NULL;
        return -1;
    }
    return 0;
}

static void curses_release_stderr(struct tui_curses *tc)
{
    char buf[4096];
    size_t n;

    if (!tc->log)
        return;
    fflush(stderr);
    dup2(tc->saved_stderr, STDERR_FILENO);
    close(tc->saved_stderr);
    rewind(tc->log);
    while ((n = fread(buf, 1, sizeof(buf), tc->log)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(tc->log);
    tc->log = NULL;
}

int tui_curses_check(char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "--tui needs a terminal on standard input "
                 "and output; --batch N prints the screens as text");
        return -1;
    }
    return 0;
}

/* Ctrl-C quits the interface like q (tui_keys.c), the same way for a run
 * and for a database: the terminal's interrupt character is turned off
 * while curses owns the terminal, so it arrives as a key instead of as
 * SIGINT, which curses itself would answer with exit status 1 when no
 * handler of ours is installed.  endwin() puts the shell's mode, and the
 * character, back.  SIGINT from kill(1) still stops a run. */
static void curses_ctrl_c_is_a_key(void)
{
    struct termios t;

    if (tcgetattr(STDIN_FILENO, &t) != 0)
        return;
    t.c_cc[VINTR] = _POSIX_VDISABLE;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
        def_prog_mode();
}

struct tui_curses *tui_curses_open(char *err, size_t errlen)
{
    struct tui_curses *tc;
    const char *term = getenv("TERM");

    if (tui_curses_check(err, errlen) != 0)
        return NULL;
    tc = xcalloc(1, sizeof(*tc));
    tc->saved_stderr = -1;
    tc->screen = newterm(NULL, stdout, stdin);
    if (!tc->screen) {
        snprintf(err, errlen, "cannot start the terminal interface: "
                 "unknown terminal type '%s'", term ? term : "");
        free(tc);
        return NULL;
    }
    set_term(tc->screen);
    cbreak();
    curses_ctrl_c_is_a_key();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(TUI_CURSES_ESCDELAY_MS);
    curs_set(0);
    curses_init_colors(tc);
    if (curses_capture_stderr(tc) != 0) {
        /* Messages will then show on the screen until the next redraw;
         * not a reason to refuse the interface. */
        tc->log = NULL;
    }
    return tc;
}

void tui_curses_close(struct tui_curses *tc)
{
    if (!tc)
        return;
    curs_set(1);
    endwin();
    delscreen(tc->screen);
    curses_release_stderr(tc);
    free(tc);
}

void tui_curses_size(const struct tui_curses *tc, int *rows, int *cols)
{
    (void)tc;
    getmaxyx(stdscr, *rows, *cols);
}

static int curses_translate(int rc, wint_t ch)
{
    if (rc == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            return TUI_KEY_UP;
        case KEY_DOWN:
            return TUI_KEY_DOWN;
        case KEY_LEFT:
            return TUI_KEY_LEFT;
        case KEY_RIGHT:
            return TUI_KEY_RIGHT;
        case KEY_PPAGE:
            return TUI_KEY_PAGE_UP;
        case KEY_NPAGE:
            return TUI_KEY_PAGE_DOWN;
        case KEY_HOME:
            return TUI_KEY_HOME;
        case KEY_END:
            return TUI_KEY_END;
        case KEY_BTAB:
            return TUI_KEY_BACKTAB;
        case KEY_ENTER:
            return TUI_KEY_ENTER;
        case KEY_BACKSPACE:
            return TUI_KEY_BACKSPACE;
        case KEY_RESIZE:
            return TUI_KEY_RESIZE;
        default:
            if (ch >= KEY_F(1) && ch <= KEY_F(12))
                return TUI_KEY_F1 + (int)(ch - KEY_F(1));
            return TUI_KEY_NONE;
        }
    }
    if (ch == '\r' || ch == '\n')
        return TUI_KEY_ENTER;
    if (ch == 8 || ch == 127)
        return TUI_KEY_BACKSPACE;
    return (int)ch;
}

int tui_curses_read_key(struct tui_curses *tc, int timeout_ms)
{
    struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
    wint_t ch;
    int rc;

    (void)tc;
    /* poll() first so that waiting never spins; a signal (a resize or a
     * stop) ends the wait early, and wget_wch below then reports it. */
    if (timeout_ms > 0 && poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
        return TUI_KEY_NONE;
    rc = wget_wch(stdscr, &ch);
    if (rc == ERR)
        return TUI_KEY_NONE;
    return curses_translate(rc, ch);
}

void tui_curses_draw(struct tui_curses *tc, const struct tui_canvas *cv)
{
    wchar_t run[512];
    int rows, cols, r;

    getmaxyx(stdscr, rows, cols);
    if (rows != cv->rows || cols != cv->cols)
        werase(stdscr);
    for (r = 0; r < cv->rows && r < rows; r++) {
        int c = 0;

        while (c < cv->cols && c < cols) {
            const struct tui_cell *first = tui_canvas_at(cv, r, c);
            const struct tui_style *s = tui_theme_style(first->role);
            int n = 0;

            /* One call per run of cells that share a role. */
            while (c + n < cv->cols && c + n < cols &&
                   n < (int)(sizeof(run) / sizeof(run[0])) &&
                   tui_canvas_at(cv, r, c + n)->role == first->role) {
                run[n] = (wchar_t)tui_canvas_at(cv, r, c + n)->ch;
                n++;
            }
            if (tc->colors)
                wattr_set(stdscr, curses_attrs(s->attrs),
                          (short)(first->role + 1), NULL);
            else
                wattr_set(stdscr, curses_attrs(s->mono_attrs), 0, NULL);
            /* Writing the bottom-right cell reports an error (the cursor
             * cannot move past it) but the cell is drawn. */
            mvwaddnwstr(stdscr, r, c, run, n);
            c += n;
        }
    }
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    wnoutrefresh(stdscr);
    doupdate();
}

bool tui_curses_message(struct tui_curses *tc, char *buf, size_t len)
{
    char tail[512];
    struct stat st;
    off_t from;
    ssize_t n;
    char *end, *start;

    if (!tc->log || len == 0)
        return false;
    fflush(stderr);
    if (fstat(fileno(tc->log), &st) != 0 || st.st_size <= tc->log_seen)
        return false;
    from = st.st_size - (off_t)sizeof(tail) + 1;
    if (from < tc->log_seen)
        from = tc->log_seen;
    n = pread(fileno(tc->log), tail, sizeof(tail) - 1, from);
    tc->log_seen = st.st_size;
    if (n <= 0)
        return false;
    tail[n] = '\0';
    end = tail + n;
    while (end > tail && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    start = strrchr(tail, '\n');
    start = start ? start + 1 : tail;
    snprintf(buf, len, "%s", start);
    return true;
}
