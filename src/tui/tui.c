/* The interactive interface's controller: a stack of screens, keys to
 * actions to results, the filter prompt, and whole frames on a canvas. */
#include "config.h"

#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The list screens in tab order; keys 1-4 and F1-F4 pick them. */
static const struct tui_screen_ops *const tui_base_screens[] = {
    &tui_screen_flows,
    &tui_screen_calls,
    &tui_screen_findings,
    &tui_screen_checklist,
};

#define TUI_N_BASE (sizeof(tui_base_screens) / sizeof(tui_base_screens[0]))

/* Flows -> detail -> finding -> flow ... and help on top: drill-down is
 * shallow, so a small fixed stack is enough; deeper pushes replace the
 * top. */
#define TUI_STACK_MAX 8

struct tui_frame {
    const struct tui_screen_ops *ops;
    void *self;
};

struct tui {
    struct tui_ctx ctx;
    struct tui_frame stack[TUI_STACK_MAX];
    size_t depth;
    size_t base;                /* index into tui_base_screens */
    bool dirty;

    /* The "/" prompt edits the text filter of the list screen in place;
     * Esc puts the old filter back. */
    bool prompting;
    char prompt[TUI_FILTER_MAX];
    char saved[TUI_FILTER_MAX];
};

static int body_height(const struct tui *t)
{
    int h = t->ctx.rows - TUI_HEADER_ROWS - TUI_FOOTER_ROWS;

    return h > 0 ? h : 0;
}

static struct tui_frame *top_frame(struct tui *t)
{
    return &t->stack[t->depth - 1];
}

static void frame_resize(struct tui *t, struct tui_frame *f)
{
    f->ops->resize(f->self, &t->ctx, body_height(t), t->ctx.cols);
}

static void push(struct tui *t, const struct tui_screen_ops *ops,
                 const struct tui_target *target)
{
    struct tui_frame *f;

    if (t->depth == TUI_STACK_MAX) {
        f = top_frame(t);
        f->ops->destroy(f->self);
        t->depth--;
    }
    t->ctx.help_below = t->depth ? top_frame(t)->ops->help(
                                       top_frame(t)->self)
                                 : NULL;
    f = &t->stack[t->depth++];
    f->ops = ops;
    f->self = ops->create(&t->ctx, target);
    frame_resize(t, f);
    t->dirty = true;
}

static void pop(struct tui *t)
{
    struct tui_frame *f;

    if (t->depth <= 1)
        return;
    f = top_frame(t);
    f->ops->destroy(f->self);
    t->depth--;
    /* The screen below may have missed a resize while covered. */
    frame_resize(t, top_frame(t));
    t->dirty = true;
}

static void set_base(struct tui *t, size_t base)
{
    while (t->depth > 0) {
        t->stack[t->depth - 1].ops->destroy(t->stack[t->depth - 1].self);
        t->depth--;
    }
    t->base = base % TUI_N_BASE;
    t->prompting = false;
    push(t, tui_base_screens[t->base], NULL);
}

struct tui *tui_new(struct tui_model *model, int rows, int cols)
{
    struct tui *t = xcalloc(1, sizeof(*t));

    t->ctx.model = model;
    t->ctx.rows = rows;
    t->ctx.cols = cols;
    set_base(t, 0);
    return t;
}

void tui_free(struct tui *t)
{
    if (!t)
        return;
    while (t->depth > 0) {
        t->stack[t->depth - 1].ops->destroy(t->stack[t->depth - 1].self);
        t->depth--;
    }
    free(t);
}

void tui_resize(struct tui *t, int rows, int cols)
{
    size_t i;

    t->ctx.rows = rows;
    t->ctx.cols = cols;
    for (i = 0; i < t->depth; i++)
        frame_resize(t, &t->stack[i]);
    t->dirty = true;
}

void tui_mark_dirty(struct tui *t)
{
    t->dirty = true;
}

bool tui_needs_redraw(const struct tui *t)
{
    return t->dirty;
}

size_t tui_current_screen(const struct tui *t)
{
    return t->base;
}

const char *tui_top_name(const struct tui *t)
{
    return t->stack[t->depth - 1].ops->name;
}

/* --- the filter prompt ----------------------------------------------- */

static enum tui_table prompt_table(struct tui *t)
{
    return top_frame(t)->ops->table;
}

/* Edits the prompt with one key and applies the filter as typed, so the
 * rows narrow down while the user types (as htop's filter does). */
static void prompt_key(struct tui *t, int key)
{
    size_t len = strlen(t->prompt);
    enum tui_table table = prompt_table(t);

    if (key == TUI_KEY_ENTER) {
        t->prompting = false;
    } else if (key == TUI_KEY_ESC) {
        t->prompting = false;
        tui_model_set_text_filter(t->ctx.model, table, t->saved);
    } else if (key == TUI_KEY_BACKSPACE || key == 8) {
        /* Remove one whole UTF-8 character. */
        while (len > 0 && ((unsigned char)t->prompt[len - 1] & 0xC0) == 0x80)
            len--;
        if (len > 0)
            len--;
        t->prompt[len] = '\0';
    } else if (key == 21) {             /* Ctrl-U, as in a shell */
        t->prompt[0] = '\0';
    } else if (key >= 0x20 && key < 0x7F && len + 1 < sizeof(t->prompt)) {
        t->prompt[len] = (char)key;
        t->prompt[len + 1] = '\0';
    } else {
        return;
    }
    if (t->prompting || key == TUI_KEY_ENTER)
        tui_model_set_text_filter(t->ctx.model, table, t->prompt);
    tui_model_home(t->ctx.model, table);
    t->dirty = true;
}

static void prompt_start(struct tui *t)
{
    enum tui_table table = prompt_table(t);

    if (table == TUI_TABLE_COUNT)
        return;
    snprintf(t->saved, sizeof(t->saved), "%s",
             tui_model_text_filter(t->ctx.model, table));
    snprintf(t->prompt, sizeof(t->prompt), "%s", t->saved);
    t->prompting = true;
    t->dirty = true;
}

/* --- keys ------------------------------------------------------------ */

/* What the controller does with an action no screen took. */
static enum tui_result global_action(struct tui *t, enum tui_action a)
{
    switch (a) {
    case TUI_ACT_QUIT:
        return TUI_QUIT;
    case TUI_ACT_HELP:
        if (top_frame(t)->ops == &tui_screen_help)
            pop(t);
        else
            push(t, &tui_screen_help, NULL);
        break;
    case TUI_ACT_BACK:
        pop(t);
        break;
    case TUI_ACT_NEXT_SCREEN:
        set_base(t, t->base + 1);
        break;
    case TUI_ACT_PREV_SCREEN:
        set_base(t, t->base + TUI_N_BASE - 1);
        break;
    case TUI_ACT_SCREEN_1:
    case TUI_ACT_SCREEN_2:
    case TUI_ACT_SCREEN_3:
    case TUI_ACT_SCREEN_4:
        set_base(t, (size_t)(a - TUI_ACT_SCREEN_1));
        break;
    case TUI_ACT_FILTER:
        prompt_start(t);
        break;
    default:
        break;
    }
    return TUI_HANDLED;
}

enum tui_result tui_key(struct tui *t, int key)
{
    struct tui_frame *f;
    enum tui_action a;
    enum tui_result r;

    if (t->prompting) {
        prompt_key(t, key);
        return TUI_HANDLED;
    }
    a = tui_keys_action(key);
    if (a == TUI_ACT_NONE)
        return TUI_HANDLED;
    f = top_frame(t);
    t->ctx.push = NULL;
    r = f->ops->handle_key(f->self, &t->ctx, a);
    if (t->ctx.push) {
        const struct tui_screen_ops *ops = t->ctx.push;
        struct tui_target target = t->ctx.push_target;

        t->ctx.push = NULL;
        push(t, ops, &target);
    }
    switch (r) {
    case TUI_HANDLED:
        return TUI_HANDLED;
    case TUI_REDRAW:
        t->dirty = true;
        return TUI_HANDLED;
    case TUI_POP:
        pop(t);
        return TUI_HANDLED;
    case TUI_QUIT:
        return TUI_QUIT;
    case TUI_IGNORED:
        break;
    }
    return global_action(t, a);
}

/* --- frames ---------------------------------------------------------- */

void tui_draw(struct tui *t, struct tui_canvas *cv)
{
    struct tui_frame *f = top_frame(t);

    if (cv->rows != t->ctx.rows || cv->cols != t->ctx.cols)
        tui_canvas_resize(cv, t->ctx.rows, t->ctx.cols);
    else
        tui_canvas_clear(cv);
    t->dirty = false;
    if (cv->rows < TUI_HEADER_ROWS + TUI_FOOTER_ROWS + 2 || cv->cols < 20) {
        tui_canvas_put(cv, 0, 0, cv->cols, TUI_ROLE_WARNING,
                       "ringscope: terminal too small");
        return;
    }
    tui_header_draw(&t->ctx, cv, tui_base_screens, TUI_N_BASE, t->base,
                    f->ops);
    f->ops->draw(f->self, &t->ctx, cv, TUI_HEADER_ROWS, body_height(t));
    tui_footer_draw(&t->ctx, cv, f->ops, t->prompting ? t->prompt : NULL);
}

int tui_write_batch(struct tui *t, FILE *out, int frame)
{
    struct tui_canvas cv = { 0, 0, NULL };
    int rows = t->ctx.rows, cols = t->ctx.cols, ret = 0;
    size_t base = t->base, i;

    for (i = 0; i < TUI_N_BASE; i++) {
        enum tui_table table = tui_base_screens[i]->table;
        size_t n;

        /* Every row of the table: heading, rows (or the empty-table
         * line), header and footer. */
        n = tui_model_visible(t->ctx.model, table);
        t->ctx.rows = TUI_HEADER_ROWS + TUI_FOOTER_ROWS + 1 +
                      (int)(n ? n : 1);
        t->ctx.cols = TUI_BATCH_COLS;
        set_base(t, i);
        tui_model_home(t->ctx.model, table);
        tui_draw(t, &cv);
        fprintf(out, "-- frame %d: %s --\n", frame,
                tui_base_screens[i]->name);
        if (tui_canvas_write_text(&cv, out) != 0)
            ret = -1;
    }
    tui_canvas_release(&cv);
    t->ctx.rows = rows;
    t->ctx.cols = cols;
    set_base(t, base);
    return ret;
}
