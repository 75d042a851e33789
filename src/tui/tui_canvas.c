/* A grid of character cells that screens draw on, independent of any
 * terminal. */
#include "config.h"

#include "tui_view.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "xalloc.h"

void tui_canvas_resize(struct tui_canvas *cv, int rows, int cols)
{
    free(cv->cells);
    cv->cells = NULL;
    cv->rows = rows > 0 && cols > 0 ? rows : 0;
    cv->cols = rows > 0 && cols > 0 ? cols : 0;
    if (cv->rows)
        cv->cells = xreallocarray(NULL, (size_t)cv->rows * (size_t)cv->cols,
                                  sizeof(struct tui_cell));
    tui_canvas_clear(cv);
}

void tui_canvas_release(struct tui_canvas *cv)
{
    free(cv->cells);
    memset(cv, 0, sizeof(*cv));
}

void tui_canvas_clear(struct tui_canvas *cv)
{
    size_t i, n = (size_t)cv->rows * (size_t)cv->cols;

    for (i = 0; i < n; i++) {
        cv->cells[i].ch = ' ';
        cv->cells[i].role = TUI_ROLE_NORMAL;
    }
}

static struct tui_cell *cell_at(struct tui_canvas *cv, int row, int col)
{
    if (row < 0 || row >= cv->rows || col < 0 || col >= cv->cols)
        return NULL;
    return &cv->cells[(size_t)row * (size_t)cv->cols + (size_t)col];
}

const struct tui_cell *tui_canvas_at(const struct tui_canvas *cv, int row,
                                     int col)
{
    return cell_at((struct tui_canvas *)cv, row, col);
}

/* Decodes the next character of s (advancing it); malformed bytes come
 * out as U+FFFD one at a time. */
static uint32_t next_char(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp;
    size_t n, i;

    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
        cp = p[0] & 0x1Fu;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        cp = p[0] & 0x0Fu;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        cp = p[0] & 0x07u;
    } else {
        *s = p + 1;
        return 0xFFFD;
    }
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *s = p + n;
    return cp;
}

/* What a cell may hold: printable and one column wide.  Everything else
 * is shown as '?', so no control byte ever reaches a terminal from here
 * (the model sanitizes packet text too; this is the second line). */
static uint32_t displayable(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return cp;
    if (cp < 0xA0 || cp == 0xFFFD)
        return '?';
    if (wcwidth((wchar_t)cp) != 1)
        return '?';
    return cp;
}

int tui_canvas_put(struct tui_canvas *cv, int row, int col, int width,
                   enum tui_role role, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int n = 0;

    if (!text)
        return 0;
    while (*s && n < width) {
        struct tui_cell *c = cell_at(cv, row, col + n);

        if (!c)
            break;
        c->ch = displayable(next_char(&s));
        c->role = (uint8_t)role;
        n++;
    }
    return n;
}

int tui_canvas_printf(struct tui_canvas *cv, int row, int col, int width,
                      enum tui_role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return tui_canvas_put(cv, row, col, width, role, buf);
}

/* Display columns of text: one per character. */
static int text_width(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int n = 0;

    while (*s) {
        next_char(&s);
        n++;
    }
    return n;
}

void tui_canvas_put_right(struct tui_canvas *cv, int row, int col,
                          int width, enum tui_role role, const char *text)
{
    int w = text_width(text);

    if (w < width)
        tui_canvas_put(cv, row, col + width - w, w, role, text);
    else
        tui_canvas_put(cv, row, col, width, role, text);
}

void tui_canvas_fill(struct tui_canvas *cv, int row, int col, int width,
                     enum tui_role role, uint32_t ch)
{
    int i;

    for (i = 0; i < width; i++) {
        struct tui_cell *c = cell_at(cv, row, col + i);

        if (!c)
            break;
        c->ch = displayable(ch);
        c->role = (uint8_t)role;
    }
}

void tui_canvas_set_role(struct tui_canvas *cv, int row, int col, int width,
                         enum tui_role role)
{
    int i;

    for (i = 0; i < width; i++) {
        struct tui_cell *c = cell_at(cv, row, col + i);

        if (!c)
            break;
        c->role = (uint8_t)role;
    }
}

/* Appends the UTF-8 form of cp; returns the bytes written (at most 4). */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *tui_canvas_row_text(const struct tui_canvas *cv, int row, char *buf,
                          size_t len)
{
    size_t o = 0, keep = 0;
    int c;

    if (len == 0)
        return buf;
    for (c = 0; row >= 0 && row < cv->rows && c < cv->cols; c++) {
        const struct tui_cell *cell = tui_canvas_at(cv, row, c);
        char u[4];
        size_t n = put_utf8(u, cell->ch);

        if (o + n >= len)
            break;
        memcpy(buf + o, u, n);
        o += n;
        if (cell->ch != ' ')
            keep = o;
    }
    buf[keep] = '\0';
    return buf;
}

int tui_canvas_write_text(const struct tui_canvas *cv, FILE *out)
{
    size_t len = (size_t)cv->cols * 4 + 1;
    char *buf = xmalloc(len);
    int r;

    for (r = 0; r < cv->rows; r++) {
        fputs(tui_canvas_row_text(cv, r, buf, len), out);
        fputc('\n', out);
    }
    free(buf);
    return ferror(out) ? -1 : 0;
}
