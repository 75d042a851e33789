/* Shared between profile.c (model, matching) and profile_parse.c (the
 * text format).  Each public entry is embedded first in a private struct
 * that holds the growable arrays used while loading; profile_finish()
 * points the public fields at them once the text is parsed. */
#ifndef RINGSCOPE_PROFILE_INTERNAL_H
#define RINGSCOPE_PROFILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* At most this many requirement sets (one bit each in an unsigned). */
#define PROFILE_MAX_SETS 32

/* A name used before it is resolved, with where it was written. */
struct profile_ref {
    char *name;
    unsigned line;
    unsigned col;
};

struct prange {
    struct profile_range pub;       /* first: pointers convert both ways */
    struct ip_prefix *prefixes;
    size_t n, cap;
};

struct phosts {
    struct profile_hosts pub;
    char **exact;
    size_t n_exact, cap_exact;
    char **suffix;
    size_t n_suffix, cap_suffix;
};

struct plist {
    char *name;
    char **values;
    size_t n;
};

struct prule {
    struct profile_rule pub;
    struct profile_port_range *ports;
    size_t n_ports, cap_ports;
    struct profile_ref *range_refs;
    size_t n_range_refs, cap_range_refs;
    struct profile_ref *host_refs;
    size_t n_host_refs, cap_host_refs;
    const struct profile_range **ranges;
    const struct profile_hosts **hosts;
};

struct pclass {
    struct profile_class pub;
    char *name;
    char *description;
    bool opened;                    /* a "class" line named it */
    bool has_description;
    const struct profile_rule **rules;
    size_t n_rules, cap_rules;
};

struct preq {
    struct profile_requirement pub;
    char *id;
    char *text;
    char *source;
    unsigned col;                   /* of the ID on its line */
    unsigned seen;                  /* properties given: enum preq_prop bits */
    struct profile_ref *set_refs;
    size_t n_set_refs, cap_set_refs;
    struct profile_ref *class_refs;
    size_t n_class_refs, cap_class_refs;
    const struct profile_class **classes;
    struct prule **scope;
    size_t n_scope, cap_scope;
    const struct profile_rule **scope_pub;
};

enum preq_prop {
    PREQ_TEXT = 1u << 0,
    PREQ_SOURCE = 1u << 1,
    PREQ_CHECK = 1u << 2,
    PREQ_SEVERITY = 1u << 3,
    PREQ_DIRECTION = 1u << 4,
    PREQ_INITIATOR = 1u << 5,
};

struct pset {
    struct profile_set pub;
    char *name;
    char *text;
};

/* One hostname pattern in the global index: which rule it belongs to. */
struct profile_host_entry {
    const char *pattern;            /* borrowed from the host set */
    const struct prule *rule;
    const struct phosts *hosts;
};

/* All rules hanging from one prefix of the global address tree, in file
 * order, with the range that put each there. */
struct profile_addr_slot {
    const struct prule **rules;
    const struct prange **ranges;
    size_t n, cap;
};

struct profile {
    char *name;
    char *title;
    char *text;
    bool has_profile_line;

    struct pclass **classes;
    size_t n_classes, cap_classes;
    struct prule **rules;           /* class rules, file order */
    size_t n_rules, cap_rules;
    struct preq **reqs;
    size_t n_reqs, cap_reqs;
    struct pset *sets[PROFILE_MAX_SETS];
    size_t n_sets;
    struct prange **ranges;
    size_t n_ranges, cap_ranges;
    struct phosts **hosts;
    size_t n_hosts, cap_hosts;
    struct plist **lists;
    size_t n_lists, cap_lists;

    /* Built by profile_finish(). */
    struct prefix_tree *addr_tree;  /* prefix -> struct profile_addr_slot */
    struct profile_addr_slot **slots;
    size_t n_slots, cap_slots;
    struct profile_host_entry *exact_idx;
    size_t n_exact_idx;
    struct profile_host_entry *suffix_idx;
    size_t n_suffix_idx;
    const struct prule **port_rules;    /* neither ranges nor hosts */
    size_t n_port_rules;
};

/* Error sink of a load: "NAME:LINE:COL: message". */
struct profile_err {
    const char *name;
    char *buf;
    size_t len;
};

/* Makes room for element n of a growable array of *cap elements of size
 * bytes (doubling, from 8); returns the array, which may have moved. */
void *profile_grow(void *arr, size_t n, size_t *cap, size_t size);

/* Formats the message into e and returns -1. */
int profile_errorf(struct profile_err *e, unsigned line, unsigned col,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An empty profile with the built-in classes; text is copied. */
struct profile *profile_alloc(const char *name, const char *text);

/* Lookups by name among what has been parsed so far (NULL if none). */
struct pclass *profile_pclass_find(struct profile *p, const char *name);
struct prange *profile_prange_find(struct profile *p, const char *name);
struct phosts *profile_phosts_find(struct profile *p, const char *name);
struct plist *profile_plist_find(struct profile *p, const char *name);
struct pset *profile_pset_find(struct profile *p, const char *name);

/* Resolves names, checks what can only be checked at the end and builds
 * the lookup structures.  Returns 0 or -1 with e filled. */
int profile_finish(struct profile *p, struct profile_err *e);

/* Parses text into p (from profile_alloc()).  Returns 0 or -1. */
int profile_parse(struct profile *p, const char *text, struct profile_err *e);

/* Frees a rule and what it owns; accepts NULL. */
void profile_rule_free(struct prule *r);

/* Lowercases name into buf (PROFILE_HOST_MAX + 1 bytes) without a trailing
 * dot.  Returns false when it is empty or too long to be a hostname. */
bool profile_host_normalise(const char *name, char *buf);

/* ------------------------------------------------------------------ */
/* The parser, shared by profile_parse.c (lexer, global statements,
 * dispatch) and profile_section.c (class and requirement properties). */

/* One word of a line. */
struct profile_token {
    char *s;            /* unescaped, NUL-terminated, in the line scratch */
    unsigned col;       /* 1-based column of its first byte */
    bool quoted;
};

/* State of one parse. */
struct profile_parser {
    struct profile *p;
    struct profile_err *e;
    unsigned line;
    struct pclass *cur_class;
    struct preq *cur_req;
    /* Scratch for one line: unescaped token text and the token array. */
    char *buf;
    size_t buf_cap;
    struct profile_token *toks;
    size_t n_toks, cap_toks;
};

/* A directive: the words of its line, t[0] being the directive. */
typedef int (*profile_directive_fn)(struct profile_parser *ps,
                                    struct profile_token *t, size_t n);

/* Reports an error at column col of the current line; returns -1. */
int profile_perr(struct profile_parser *ps, unsigned col, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

/* Names: a letter or digit, then letters, digits, '-', '_', '.'; at most
 * 64 bytes; not "range" or "hosts". */
bool profile_name_ok(const char *s);

/* -1 with "unexpected 'W'" when words remain from index i on. */
int profile_no_more(struct profile_parser *ps, struct profile_token *t,
                    size_t n, size_t i);

/* -1 unless exactly one word (the text) is at index i. */
int profile_one_text(struct profile_parser *ps, struct profile_token *t,
                     size_t n, size_t i);

/* A decimal number without sign, at most max. */
bool profile_parse_uint(const char *s, unsigned long max, unsigned long *v);

/* A reference to the name in t, remembered with its position. */
struct profile_ref profile_ref_make(const struct profile_token *t,
                                    unsigned line);

/* Class properties. */
int profile_prop_description(struct profile_parser *ps,
                             struct profile_token *t, size_t n);
int profile_prop_dscp(struct profile_parser *ps, struct profile_token *t,
                      size_t n);
/* In a class and in a requirement. */
int profile_prop_match(struct profile_parser *ps, struct profile_token *t,
                       size_t n);
/* Requirement properties. */
int profile_prop_set(struct profile_parser *ps, struct profile_token *t,
                     size_t n);
int profile_prop_classes(struct profile_parser *ps, struct profile_token *t,
                         size_t n);
int profile_prop_text(struct profile_parser *ps, struct profile_token *t,
                      size_t n);
int profile_prop_source(struct profile_parser *ps, struct profile_token *t,
                        size_t n);
int profile_prop_check(struct profile_parser *ps, struct profile_token *t,
                       size_t n);
int profile_prop_severity(struct profile_parser *ps, struct profile_token *t,
                          size_t n);
int profile_prop_direction(struct profile_parser *ps,
                           struct profile_token *t, size_t n);
int profile_prop_initiator(struct profile_parser *ps,
                           struct profile_token *t, size_t n);

#endif
