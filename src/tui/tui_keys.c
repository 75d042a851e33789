/* Key bindings of the interactive interface: one table from keys to
 * actions, which the help screen and the manual page list. */
#include "config.h"

#include "tui_view.h"

#include <stddef.h>

struct tui_binding {
    int key;
    enum tui_action action;
};

/* Function keys follow the screens' numbers, as the tabs show them. */
static const struct tui_binding tui_bindings[] = {
    { 'q', TUI_ACT_QUIT },
    { 'Q', TUI_ACT_QUIT },
    { TUI_KEY_F1 + 9, TUI_ACT_QUIT },           /* F10, as in htop */
    { 3, TUI_ACT_QUIT },                        /* Ctrl-C (tui_curses.c) */
    { '?', TUI_ACT_HELP },
    { 'h', TUI_ACT_HELP },
    { TUI_KEY_ESC, TUI_ACT_BACK },
    { TUI_KEY_BACKSPACE, TUI_ACT_BACK },
    { TUI_KEY_LEFT, TUI_ACT_BACK },
    { TUI_KEY_TAB, TUI_ACT_NEXT_SCREEN },
    { TUI_KEY_BACKTAB, TUI_ACT_PREV_SCREEN },
    { '1', TUI_ACT_SCREEN_1 },
    { '2', TUI_ACT_SCREEN_2 },
    { '3', TUI_ACT_SCREEN_3 },
    { '4', TUI_ACT_SCREEN_4 },
    { TUI_KEY_F1 + 0, TUI_ACT_SCREEN_1 },
    { TUI_KEY_F1 + 1, TUI_ACT_SCREEN_2 },
    { TUI_KEY_F1 + 2, TUI_ACT_SCREEN_3 },
    { TUI_KEY_F1 + 3, TUI_ACT_SCREEN_4 },
    { TUI_KEY_UP, TUI_ACT_UP },
    { 'k', TUI_ACT_UP },
    { TUI_KEY_DOWN, TUI_ACT_DOWN },
    { 'j', TUI_ACT_DOWN },
    { TUI_KEY_PAGE_UP, TUI_ACT_PAGE_UP },
    { TUI_KEY_PAGE_DOWN, TUI_ACT_PAGE_DOWN },
    { ' ', TUI_ACT_PAGE_DOWN },
    { TUI_KEY_HOME, TUI_ACT_HOME },
    { 'g', TUI_ACT_HOME },
    { TUI_KEY_END, TUI_ACT_END },
    { 'G', TUI_ACT_END },
    { 's', TUI_ACT_SORT_NEXT },
    { 'r', TUI_ACT_SORT_REVERSE },
    { 'c', TUI_ACT_CATEGORY_NEXT },
    { '/', TUI_ACT_FILTER },
    { TUI_KEY_ENTER, TUI_ACT_ENTER },
    { TUI_KEY_RIGHT, TUI_ACT_ENTER },
};

struct tui_action_doc {
    const char *keys;
    const char *description;
};

static const struct tui_action_doc tui_action_docs[TUI_ACT_COUNT] = {
    [TUI_ACT_NONE] = { "", "" },
    [TUI_ACT_QUIT] = { "q F10 ^C",
                       "quit (the database is written out first)" },
    [TUI_ACT_HELP] = { "? h", "this help; again to close it" },
    [TUI_ACT_BACK] = { "Esc Left Bksp", "back to the previous screen" },
    [TUI_ACT_NEXT_SCREEN] = { "Tab", "next screen" },
    [TUI_ACT_PREV_SCREEN] = { "S-Tab", "previous screen" },
    [TUI_ACT_SCREEN_1] = { "1 F1", "Flows" },
    [TUI_ACT_SCREEN_2] = { "2 F2", "Calls" },
    [TUI_ACT_SCREEN_3] = { "3 F3", "Findings" },
    [TUI_ACT_SCREEN_4] = { "4 F4", "Compliance checklist" },
    [TUI_ACT_UP] = { "Up k", "select the row above; scroll up" },
    [TUI_ACT_DOWN] = { "Down j", "select the row below; scroll down" },
    [TUI_ACT_PAGE_UP] = { "PgUp", "one page up" },
    [TUI_ACT_PAGE_DOWN] = { "PgDn Space", "one page down" },
    [TUI_ACT_HOME] = { "Home g", "first row" },
    [TUI_ACT_END] = { "End G", "last row" },
    [TUI_ACT_SORT_NEXT] = { "s", "sort by the next column" },
    [TUI_ACT_SORT_REVERSE] = { "r", "reverse the sort order" },
    [TUI_ACT_CATEGORY_NEXT] = { "c",
                                "cycle the filter: class (flows), state "
                                "(calls), severity (findings), verdict "
                                "(compliance)" },
    [TUI_ACT_FILTER] = { "/", "filter rows by text (Enter keeps, Esc "
                              "cancels, empty shows all)" },
    [TUI_ACT_ENTER] = { "Enter Right", "details of the selected row" },
};

enum tui_action tui_keys_action(int key)
{
    size_t i;

    for (i = 0; i < sizeof(tui_bindings) / sizeof(tui_bindings[0]); i++)
        if (tui_bindings[i].key == key)
            return tui_bindings[i].action;
    return TUI_ACT_NONE;
}

const char *tui_keys_names(enum tui_action a)
{
    if ((unsigned)a >= TUI_ACT_COUNT)
        return "";
    return tui_action_docs[a].keys;
}

const char *tui_keys_description(enum tui_action a)
{
    if ((unsigned)a >= TUI_ACT_COUNT)
        return "";
    return tui_action_docs[a].description;
}
