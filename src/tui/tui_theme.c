/* Colours of the interactive interface: one style per role, and which
 * role a verdict or a severity takes. */
#include "config.h"

#include "tui_view.h"

/* Red is kept for what failed and green for what passed, so the
 * checklist reads at a glance; everything else stays in the terminal's
 * own colours.  Without colours, bold and reverse carry the meaning. */
static const struct tui_style tui_theme_styles[TUI_ROLE_COUNT] = {
    [TUI_ROLE_NORMAL] = { TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, 0, 0 },
    [TUI_ROLE_TITLE] = { TUI_COLOR_BLACK, TUI_COLOR_CYAN, 0,
                         TUI_ATTR_REVERSE },
    [TUI_ROLE_TAB] = { TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, 0, 0 },
    [TUI_ROLE_TAB_ACTIVE] = { TUI_COLOR_BLACK, TUI_COLOR_WHITE,
                              TUI_ATTR_BOLD,
                              TUI_ATTR_REVERSE | TUI_ATTR_BOLD },
    [TUI_ROLE_COLUMN] = { TUI_COLOR_BLACK, TUI_COLOR_GREEN, 0,
                          TUI_ATTR_REVERSE },
    [TUI_ROLE_COLUMN_SORTED] = { TUI_COLOR_BLACK, TUI_COLOR_CYAN,
                                 TUI_ATTR_BOLD,
                                 TUI_ATTR_REVERSE | TUI_ATTR_BOLD },
    [TUI_ROLE_SELECTED] = { TUI_COLOR_BLACK, TUI_COLOR_CYAN, 0,
                            TUI_ATTR_REVERSE },
    [TUI_ROLE_PASS] = { TUI_COLOR_GREEN, TUI_COLOR_DEFAULT, TUI_ATTR_BOLD,
                        0 },
    [TUI_ROLE_FAIL] = { TUI_COLOR_RED, TUI_COLOR_DEFAULT, TUI_ATTR_BOLD,
                        TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE },
    [TUI_ROLE_NOT_OBSERVED] = { TUI_COLOR_YELLOW, TUI_COLOR_DEFAULT, 0,
                                TUI_ATTR_DIM },
    [TUI_ROLE_ERROR] = { TUI_COLOR_RED, TUI_COLOR_DEFAULT, TUI_ATTR_BOLD,
                         TUI_ATTR_BOLD },
    [TUI_ROLE_WARNING] = { TUI_COLOR_YELLOW, TUI_COLOR_DEFAULT,
                           TUI_ATTR_BOLD, 0 },
    [TUI_ROLE_INFO] = { TUI_COLOR_CYAN, TUI_COLOR_DEFAULT, 0, 0 },
    [TUI_ROLE_DIM] = { TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, TUI_ATTR_DIM,
                       TUI_ATTR_DIM },
    [TUI_ROLE_HEADING] = { TUI_COLOR_CYAN, TUI_COLOR_DEFAULT, TUI_ATTR_BOLD,
                           TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE },
    [TUI_ROLE_FOOTER] = { TUI_COLOR_BLACK, TUI_COLOR_CYAN, 0,
                          TUI_ATTR_REVERSE },
    [TUI_ROLE_PROMPT] = { TUI_COLOR_YELLOW, TUI_COLOR_DEFAULT, TUI_ATTR_BOLD,
                          TUI_ATTR_BOLD },
};

const struct tui_style *tui_theme_style(enum tui_role role)
{
    if ((unsigned)role >= TUI_ROLE_COUNT)
        role = TUI_ROLE_NORMAL;
    return &tui_theme_styles[role];
}

enum tui_role tui_theme_verdict_role(enum tui_verdict v)
{
    switch (v) {
    case TUI_VERDICT_PASS:
        return TUI_ROLE_PASS;
    case TUI_VERDICT_FAIL:
        return TUI_ROLE_FAIL;
    case TUI_VERDICT_NOT_OBSERVED:
        break;
    }
    return TUI_ROLE_NOT_OBSERVED;
}

enum tui_role tui_theme_severity_role(enum finding_severity s)
{
    switch (s) {
    case FINDING_ERROR:
        return TUI_ROLE_ERROR;
    case FINDING_WARNING:
        return TUI_ROLE_WARNING;
    case FINDING_INFO:
        break;
    }
    return TUI_ROLE_INFO;
}
