/* Lines of text for the detail and help screens: formatted, wrapped,
 * and scrolled by the screens that show them. */
#include "config.h"

#include "tui_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void tui_text_init(struct tui_text *t)
{
    memset(t, 0, sizeof(*t));
}

void tui_text_release(struct tui_text *t)
{
    free(t->lines);
    memset(t, 0, sizeof(*t));
}

static struct tui_text_line *text_new_line(struct tui_text *t,
                                           enum tui_role role)
{
    struct tui_text_line *l;

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->lines = xreallocarray(t->lines, t->cap, sizeof(*t->lines));
    }
    l = &t->lines[t->n++];
    l->role = role;
    l->s[0] = '\0';
    return l;
}

void tui_text_add(struct tui_text *t, enum tui_role role, const char *fmt,
                  ...)
{
    struct tui_text_line *l = text_new_line(t, role);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(l->s, sizeof(l->s), fmt, ap);
    va_end(ap);
}

void tui_text_wrap(struct tui_text *t, enum tui_role role, int indent,
                   int width, const char *text)
{
    const char *p = text;
    int avail = width - indent;

    if (indent < 0)
        indent = 0;
    if (avail < 10)
        avail = 10;
    if (avail > TUI_TEXT_LINE_MAX - indent - 1)
        avail = TUI_TEXT_LINE_MAX - indent - 1;
    do {
        size_t len = strlen(p), cut = len;

        /* Cut at the last blank that fits; a word longer than the line
         * is cut where the line ends.  Counted in bytes, which matches
         * columns for the ASCII text this wraps. */
        if (len > (size_t)avail) {
            cut = (size_t)avail;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = (size_t)avail;
        }
        tui_text_add(t, role, "%*s%.*s", indent, "", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    } while (*p);
}

void tui_text_draw(const struct tui_text *t, size_t offset,
                   struct tui_canvas *cv, int top, int height)
{
    int r;

    for (r = 0; r < height && offset + (size_t)r < t->n; r++) {
        const struct tui_text_line *l = &t->lines[offset + (size_t)r];

        tui_canvas_put(cv, top + r, 0, cv->cols, l->role, l->s);
    }
}

size_t tui_text_scroll(size_t offset, size_t n, int height,
                       enum tui_action a, bool *changed)
{
    size_t page = height > 1 ? (size_t)height : 1;
    size_t max = n > page ? n - page : 0;
    size_t o = offset;

    switch (a) {
    case TUI_ACT_UP:
        o = o ? o - 1 : 0;
        break;
    case TUI_ACT_DOWN:
        o = o + 1;
        break;
    case TUI_ACT_PAGE_UP:
        o = o > page ? o - page : 0;
        break;
    case TUI_ACT_PAGE_DOWN:
        o = o + page;
        break;
    case TUI_ACT_HOME:
        o = 0;
        break;
    case TUI_ACT_END:
        o = max;
        break;
    default:
        break;
    }
    if (o > max)
        o = max;
    *changed = o != offset;
    return o;
}
