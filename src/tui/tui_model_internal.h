/* Private to tui_model.c and tui_model_rows.c: what each table's rows
 * look like to the generic sort, filter and cell code. */
#ifndef RINGSCOPE_TUI_MODEL_INTERNAL_H
#define RINGSCOPE_TUI_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

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

/* Case-insensitive (ASCII) substring test; needle is lowercase. */
bool tui_model_contains(const char *hay, const char *needle);

/* Copies a flow into its row (serial and capture are the caller's). */
void tui_model_fill_flow(struct tui_flow_row *r, const struct flow *f,
                         bool ended);

#endif
