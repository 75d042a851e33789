/* Private to the model's files (tui_model.c, tui_model_rows.c,
 * tui_model_view.c): what each table's rows look like to the generic
 * sort, filter and cell code, and the model's state. */
#ifndef RINGSCOPE_TUI_MODEL_INTERNAL_H
#define RINGSCOPE_TUI_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui_model.h"

struct tui_column_def {
    const char *name;
    bool descending;            /* natural direction: numbers high first */
};

struct tui_table_type {
    size_t row_size;
    size_t max_rows;
    const struct tui_column_def *cols;
    size_t n_cols;
    int default_col;
    const char *category_label;
    /* Orders two rows by col, ascending; 0 for ties. */
    int (*compare)(const void *a, const void *b, int col);
    void (*cell)(const void *row, int col, char *buf, size_t len);
    /* needle is lowercase and not empty. */
    bool (*matches)(const void *row, const char *needle);
    const char *(*category)(const void *row);
};

/* Indexed by enum tui_table. */
extern const struct tui_table_type *const tui_model_types[TUI_TABLE_COUNT];

/* The state of one table: rows in arrival order, the view (filtered and
 * sorted row indices) and the selection. */
struct tui_table_state {
    unsigned char *rows;        /* n rows of the type's row_size */
    size_t n;
    size_t cap;
    uint64_t dropped;

    size_t *view;               /* row indices in display order */
    size_t n_view;
    bool stale;                 /* rows, sort or filters changed */

    int sort_col;
    bool descending;
    bool has_category;
    char category[TUI_TEXT_MAX];
    char filter[TUI_FILTER_MAX];    /* lowercase */

    size_t page;
    size_t selected;
    size_t top;
    uint64_t selected_serial;   /* 0: none yet */
};

/* The model: four tables and what the header shows. */
struct tui_model {
    struct tui_table_state tables[TUI_TABLE_COUNT];
    uint64_t next_serial;
    unsigned capture;
    struct tui_stats stats;
    char status[TUI_TEXT_MAX];

    /* Flows of the current capture by flow id: open addressing with
     * linear probing, entries are row index + 1 (0 empty).  Rebuilt when
     * the rows move; never more than half full. */
    uint32_t *flow_index;
    size_t flow_index_cap;      /* a power of two */
};

static inline const struct tui_table_type *
tui_model_type_of(enum tui_table t)
{
    return tui_model_types[t];
}

static inline void *tui_model_row_ptr(const struct tui_table_state *ts,
                                      const struct tui_table_type *ty,
                                      size_t i)
{
    return ts->rows + i * ty->row_size;
}

/* Row i of table t, in arrival order. */
static inline void *tui_model_rowp(const struct tui_model *m,
                                   enum tui_table t, size_t i)
{
    return tui_model_row_ptr(&m->tables[t], tui_model_type_of(t), i);
}

/* Case-insensitive (ASCII) substring test; needle is lowercase. */
bool tui_model_contains(const char *hay, const char *needle);

/* Copies a flow into its row (serial and capture are the caller's). */
void tui_model_fill_flow(struct tui_flow_row *r, const struct flow *f,
                         bool ended);

#endif
