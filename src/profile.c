/* The requirement profile: data model, loading entry points, name
 * resolution and accessors.  The text format is parsed in
 * profile_parse.c and profile_section.c; matching is in
 * profile_match.c. */
#include "config.h"

#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"
#include "profile_internal.h"
#include "xalloc.h"

/* Profiles are small hand-written files; anything bigger is a mistake. */
#define PROFILE_FILE_MAX (1024 * 1024)

/* The generic classes every profile has (SPEC 3): the same protocols to
 * anyone the profile does not name, and the rest. */
static const struct {
    const char *name;
    const char *description;
} builtin_classes[] = {
    {"sip", "SIP to or from anyone else"},
    {"rtp", "RTP/RTCP to or from anyone else"},
    {"stun", "STUN/TURN to or from anyone else"},
    {"tls", "TLS to anyone else"},
    {"http", "plain HTTP to anyone else"},
    {"dns", "DNS"},
    {"other", "everything else (counted, not analysed)"},
};

void *profile_grow(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? *cap * 2 : 8;
    return xreallocarray(arr, *cap, size);
}

int profile_errorf(struct profile_err *e, unsigned line, unsigned col,
                   const char *fmt, ...)
{
    char msg[PROFILE_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!e->buf || e->len == 0)
        return -1;
    if (line == 0)
        snprintf(e->buf, e->len, "%s: %s", e->name, msg);
    else
        snprintf(e->buf, e->len, "%s:%u:%u: %s", e->name, line, col, msg);
    return -1;
}

struct profile *profile_alloc(const char *name, const char *text)
{
    struct profile *p = xcalloc(1, sizeof(*p));
    size_t i;

    p->name = xstrdup(name);
    p->title = xstrdup("");
    p->text = xstrdup(text);
    p->addr_tree = prefix_tree_new();
    for (i = 0; i < sizeof(builtin_classes) / sizeof(builtin_classes[0]);
         i++) {
        struct pclass *c = xcalloc(1, sizeof(*c));

        c->name = xstrdup(builtin_classes[i].name);
        c->description = xstrdup(builtin_classes[i].description);
        c->pub.builtin = true;
        p->classes = profile_grow(p->classes, p->n_classes, &p->cap_classes,
                                  sizeof(*p->classes));
        p->classes[p->n_classes++] = c;
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Freeing */

void profile_rule_free(struct prule *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_range_refs; i++)
        free(r->range_refs[i].name);
    for (i = 0; i < r->n_host_refs; i++)
        free(r->host_refs[i].name);
    free(r->range_refs);
    free(r->host_refs);
    free(r->ports);
    free(r->ranges);
    free(r->hosts);
    free(r);
}

static void refs_free(struct profile_ref *refs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(refs[i].name);
    free(refs);
}

static void strings_free(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void profile_free(struct profile *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->n_classes; i++) {
        free(p->classes[i]->name);
        free(p->classes[i]->description);
        free(p->classes[i]->rules);
        free(p->classes[i]);
    }
    for (i = 0; i < p->n_rules; i++)
        profile_rule_free(p->rules[i]);
    for (i = 0; i < p->n_reqs; i++) {
        struct preq *r = p->reqs[i];
        size_t j;

        free(r->id);
        free(r->text);
        free(r->source);
        refs_free(r->set_refs, r->n_set_refs);
        refs_free(r->class_refs, r->n_class_refs);
        free(r->classes);
        for (j = 0; j < r->n_scope; j++)
            profile_rule_free(r->scope[j]);
        free(r->scope);
        free(r->scope_pub);
        free(r);
    }
    for (i = 0; i < p->n_sets; i++) {
        free(p->sets[i]->name);
        free(p->sets[i]->text);
        free(p->sets[i]);
    }
    for (i = 0; i < p->n_ranges; i++) {
        free((char *)p->ranges[i]->pub.name);
        prefix_tree_free(p->ranges[i]->pub._tree);
        free(p->ranges[i]->prefixes);
        free(p->ranges[i]);
    }
    for (i = 0; i < p->n_hosts; i++) {
        free((char *)p->hosts[i]->pub.name);
        strings_free(p->hosts[i]->exact, p->hosts[i]->n_exact);
        strings_free(p->hosts[i]->suffix, p->hosts[i]->n_suffix);
        free(p->hosts[i]);
    }
    for (i = 0; i < p->n_lists; i++) {
        free(p->lists[i]->name);
        strings_free(p->lists[i]->values, p->lists[i]->n);
        free(p->lists[i]);
    }
    for (i = 0; i < p->n_slots; i++) {
        free(p->slots[i]->rules);
        free(p->slots[i]->ranges);
        free(p->slots[i]);
    }
    free(p->slots);
    prefix_tree_free(p->addr_tree);
    free(p->exact_idx);
    free(p->suffix_idx);
    free(p->port_rules);
    free(p->classes);
    free(p->rules);
    free(p->reqs);
    free(p->ranges);
    free(p->hosts);
    free(p->lists);
    free(p->name);
    free(p->title);
    free(p->text);
    free(p);
}

/* ------------------------------------------------------------------ */
/* Lookups while loading */

struct pclass *profile_pclass_find(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_classes; i++)
        if (strcmp(p->classes[i]->name, name) == 0)
            return p->classes[i];
    return NULL;
}

struct prange *profile_prange_find(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_ranges; i++)
        if (strcmp(p->ranges[i]->pub.name, name) == 0)
            return p->ranges[i];
    return NULL;
}

struct phosts *profile_phosts_find(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_hosts; i++)
        if (strcmp(p->hosts[i]->pub.name, name) == 0)
            return p->hosts[i];
    return NULL;
}

struct plist *profile_plist_find(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_lists; i++)
        if (strcmp(p->lists[i]->name, name) == 0)
            return p->lists[i];
    return NULL;
}

struct pset *profile_pset_find(struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_sets; i++)
        if (strcmp(p->sets[i]->name, name) == 0)
            return p->sets[i];
    return NULL;
}

bool profile_host_normalise(const char *name, char *buf)
{
    size_t i, len = strlen(name);

    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0 || len > PROFILE_HOST_MAX)
        return false;
    for (i = 0; i < len; i++) {
        char c = name[i];

        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    buf[len] = '\0';
    return true;
}

/* ------------------------------------------------------------------ */
/* Finishing a load */

static int resolve_rule(struct profile *p, struct prule *r,
                        struct profile_err *e)
{
    size_t i;

    r->ranges = xcalloc(r->n_range_refs + 1, sizeof(*r->ranges));
    r->hosts = xcalloc(r->n_host_refs + 1, sizeof(*r->hosts));
    for (i = 0; i < r->n_range_refs; i++) {
        const struct profile_ref *ref = &r->range_refs[i];
        struct prange *rg = profile_prange_find(p, ref->name);

        if (!rg)
            return profile_errorf(e, ref->line, ref->col,
                                  "unknown range '%s'", ref->name);
        r->ranges[i] = &rg->pub;
    }
    for (i = 0; i < r->n_host_refs; i++) {
        const struct profile_ref *ref = &r->host_refs[i];
        struct phosts *h = profile_phosts_find(p, ref->name);

        if (!h)
            return profile_errorf(e, ref->line, ref->col,
                                  "unknown hosts '%s'", ref->name);
        r->hosts[i] = &h->pub;
    }
    r->pub.ports = r->ports;
    r->pub.n_ports = r->n_ports;
    r->pub.ranges = r->ranges;
    r->pub.n_ranges = r->n_range_refs;
    r->pub.hosts = r->hosts;
    r->pub.n_hosts = r->n_host_refs;
    return 0;
}

static int resolve_requirement(struct profile *p, struct preq *r,
                               struct profile_err *e)
{
    size_t i;

    if (!(r->seen & PREQ_TEXT))
        return profile_errorf(e, r->pub.line, r->col,
                              "requirement '%s' has no text", r->id);
    if (r->n_set_refs == 0)
        return profile_errorf(e, r->pub.line, r->col,
                              "requirement '%s' is in no requirement set",
                              r->id);
    for (i = 0; i < r->n_set_refs; i++) {
        const struct profile_ref *ref = &r->set_refs[i];
        struct pset *s = profile_pset_find(p, ref->name);

        if (!s)
            return profile_errorf(e, ref->line, ref->col,
                                  "unknown requirement set '%s'", ref->name);
        r->pub.sets |= s->pub.bit;
    }
    r->classes = xcalloc(r->n_class_refs + 1, sizeof(*r->classes));
    for (i = 0; i < r->n_class_refs; i++) {
        const struct profile_ref *ref = &r->class_refs[i];
        struct pclass *c = profile_pclass_find(p, ref->name);

        if (!c)
            return profile_errorf(e, ref->line, ref->col,
                                  "unknown class '%s'", ref->name);
        r->classes[i] = &c->pub;
    }
    r->scope_pub = xcalloc(r->n_scope + 1, sizeof(*r->scope_pub));
    for (i = 0; i < r->n_scope; i++) {
        if (resolve_rule(p, r->scope[i], e) != 0)
            return -1;
        r->scope_pub[i] = &r->scope[i]->pub;
    }
    r->pub.id = r->id;
    r->pub.text = r->text;
    r->pub.source = r->source;
    r->pub.classes = r->classes;
    r->pub.n_classes = r->n_class_refs;
    r->pub.scope = r->scope_pub;
    r->pub.n_scope = r->n_scope;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts a string array and drops repeats (templates may produce them). */
static size_t sort_unique(char **v, size_t n)
{
    size_t i, out = 0;

    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), str_cmp);
    for (i = 0; i < n; i++) {
        if (out > 0 && strcmp(v[out - 1], v[i]) == 0) {
            free(v[i]);
            continue;
        }
        v[out++] = v[i];
    }
    return out;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct profile_host_entry *x = a, *y = b;
    int c = strcmp(x->pattern, y->pattern);

    if (c != 0)
        return c;
    if (x->rule->pub.index != y->rule->pub.index)
        return x->rule->pub.index < y->rule->pub.index ? -1 : 1;
    return strcmp(x->hosts->pub.name, y->hosts->pub.name);
}

static void build_host_index(struct profile *p)
{
    size_t i, j, k, ne = 0, ns = 0;

    for (i = 0; i < p->n_rules; i++)
        for (j = 0; j < p->rules[i]->n_host_refs; j++) {
            const struct phosts *h =
                (const struct phosts *)p->rules[i]->hosts[j];
            ne += h->n_exact;
            ns += h->n_suffix;
        }
    p->exact_idx = xcalloc(ne + 1, sizeof(*p->exact_idx));
    p->suffix_idx = xcalloc(ns + 1, sizeof(*p->suffix_idx));
    for (i = 0; i < p->n_rules; i++) {
        const struct prule *r = p->rules[i];

        for (j = 0; j < r->n_host_refs; j++) {
            const struct phosts *h = (const struct phosts *)r->hosts[j];

            for (k = 0; k < h->n_exact; k++) {
                struct profile_host_entry *en = &p->exact_idx[p->n_exact_idx++];

                en->pattern = h->exact[k];
                en->rule = r;
                en->hosts = h;
            }
            for (k = 0; k < h->n_suffix; k++) {
                struct profile_host_entry *en =
                    &p->suffix_idx[p->n_suffix_idx++];

                en->pattern = h->suffix[k];
                en->rule = r;
                en->hosts = h;
            }
        }
    }
    qsort(p->exact_idx, p->n_exact_idx, sizeof(*p->exact_idx), entry_cmp);
    qsort(p->suffix_idx, p->n_suffix_idx, sizeof(*p->suffix_idx),
          entry_cmp);
}

/* Hangs every range rule from each of its prefixes in the global tree. */
static void build_addr_tree(struct profile *p)
{
    size_t i, j, k;

    p->port_rules = xcalloc(p->n_rules + 1, sizeof(*p->port_rules));
    for (i = 0; i < p->n_rules; i++) {
        const struct prule *r = p->rules[i];

        if (r->n_range_refs == 0 && r->n_host_refs == 0)
            p->port_rules[p->n_port_rules++] = r;
        for (j = 0; j < r->n_range_refs; j++) {
            const struct prange *rg = (const struct prange *)r->ranges[j];

            for (k = 0; k < rg->n; k++) {
                struct profile_addr_slot *slot =
                    prefix_tree_get(p->addr_tree, &rg->prefixes[k]);

                if (!slot) {
                    slot = xcalloc(1, sizeof(*slot));
                    prefix_tree_insert(p->addr_tree, &rg->prefixes[k], slot);
                    p->slots = profile_grow(p->slots, p->n_slots,
                        &p->cap_slots, sizeof(*p->slots));
                    p->slots[p->n_slots++] = slot;
                }
                if (slot->n == slot->cap) {
                    slot->cap = slot->cap ? slot->cap * 2 : 4;
                    slot->rules = xreallocarray(slot->rules, slot->cap,
                                                sizeof(*slot->rules));
                    slot->ranges = xreallocarray(slot->ranges, slot->cap,
                                                 sizeof(*slot->ranges));
                }
                slot->rules[slot->n] = r;
                slot->ranges[slot->n] = rg;
                slot->n++;
            }
        }
    }
}

int profile_finish(struct profile *p, struct profile_err *e)
{
    size_t i;

    for (i = 0; i < p->n_rules; i++)
        if (resolve_rule(p, p->rules[i], e) != 0)
            return -1;
    for (i = 0; i < p->n_reqs; i++) {
        if (resolve_requirement(p, p->reqs[i], e) != 0)
            return -1;
        p->reqs[i]->pub.index = i;
    }
    for (i = 0; i < p->n_hosts; i++) {
        struct phosts *h = p->hosts[i];

        h->n_exact = sort_unique(h->exact, h->n_exact);
        h->n_suffix = sort_unique(h->suffix, h->n_suffix);
        h->pub.exact = (const char *const *)h->exact;
        h->pub.n_exact = h->n_exact;
        h->pub.suffix = (const char *const *)h->suffix;
        h->pub.n_suffix = h->n_suffix;
    }
    for (i = 0; i < p->n_ranges; i++) {
        p->ranges[i]->pub.prefixes = p->ranges[i]->prefixes;
        p->ranges[i]->pub.n_prefixes = p->ranges[i]->n;
    }
    for (i = 0; i < p->n_classes; i++) {
        struct pclass *c = p->classes[i];

        c->pub.name = c->name;
        c->pub.description = c->description;
        c->pub.rules = c->rules;
        c->pub.n_rules = c->n_rules;
        c->pub.index = i;
    }
    build_host_index(p);
    build_addr_tree(p);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Loading */

int profile_load_text(const char *name, const char *text,
                      struct profile **out, char *err, size_t errlen)
{
    struct profile_err e;
    struct profile *p;

    *out = NULL;
    e.name = name;
    e.buf = err;
    e.len = errlen;
    if (err && errlen)
        err[0] = '\0';
    p = profile_alloc(name, text);
    if (profile_parse(p, text, &e) != 0 || profile_finish(p, &e) != 0) {
        profile_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

int profile_load_default(struct profile **out, char *err, size_t errlen)
{
    return profile_load_text(PROFILE_DEFAULT_NAME, ringscope_default_profile,
                             out, err, errlen);
}

/* Line and column of byte off in text, for a NUL found in a file. */
static void text_position(const char *text, size_t off, unsigned *line,
                          unsigned *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int profile_load_file(const char *path, struct profile **out, char *err,
                      size_t errlen)
{
    struct profile_err e;
    FILE *f = NULL;
    char *text = NULL;
    const char *nul;
    size_t len;
    int ret = -1;

    *out = NULL;
    e.name = path;
    e.buf = err;
    e.len = errlen;
    f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    text = xmalloc(PROFILE_FILE_MAX + 1);
    len = fread(text, 1, PROFILE_FILE_MAX + 1, f);
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    if (len > PROFILE_FILE_MAX) {
        profile_errorf(&e, 0, 0, "larger than %d bytes", PROFILE_FILE_MAX);
        goto out;
    }
    text[len] = '\0';
    nul = memchr(text, '\0', len);
    if (nul) {
        unsigned line, col;

        text_position(text, (size_t)(nul - text), &line, &col);
        profile_errorf(&e, line, col, "invalid character 0x00");
        goto out;
    }
    ret = profile_load_text(path, text, out, err, errlen);
out:
    if (f)
        fclose(f);
    free(text);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Accessors */

const char *profile_name(const struct profile *p)
{
    return p->name;
}

const char *profile_title(const struct profile *p)
{
    return p->title;
}

const char *profile_text(const struct profile *p)
{
    return p->text;
}

size_t profile_class_count(const struct profile *p)
{
    return p->n_classes;
}

const struct profile_class *profile_class_at(const struct profile *p,
                                             size_t i)
{
    return i < p->n_classes ? &p->classes[i]->pub : NULL;
}

const struct profile_class *profile_class_find(const struct profile *p,
                                               const char *name)
{
    size_t i;

    for (i = 0; i < p->n_classes; i++)
        if (strcmp(p->classes[i]->name, name) == 0)
            return &p->classes[i]->pub;
    return NULL;
}

size_t profile_requirement_count(const struct profile *p)
{
    return p->n_reqs;
}

const struct profile_requirement *
profile_requirement_at(const struct profile *p, size_t i)
{
    return i < p->n_reqs ? &p->reqs[i]->pub : NULL;
}

const struct profile_requirement *
profile_requirement_find(const struct profile *p, const char *id)
{
    size_t i;

    for (i = 0; i < p->n_reqs; i++)
        if (strcmp(p->reqs[i]->id, id) == 0)
            return &p->reqs[i]->pub;
    return NULL;
}

size_t profile_set_count(const struct profile *p)
{
    return p->n_sets;
}

const struct profile_set *profile_set_at(const struct profile *p, size_t i)
{
    return i < p->n_sets ? &p->sets[i]->pub : NULL;
}

const struct profile_set *profile_set_find(const struct profile *p,
                                           const char *name)
{
    size_t i;

    for (i = 0; i < p->n_sets; i++)
        if (strcmp(p->sets[i]->name, name) == 0)
            return &p->sets[i]->pub;
    return NULL;
}

const struct profile_range *profile_range_find(const struct profile *p,
                                               const char *name)
{
    size_t i;

    for (i = 0; i < p->n_ranges; i++)
        if (strcmp(p->ranges[i]->pub.name, name) == 0)
            return &p->ranges[i]->pub;
    return NULL;
}

const struct profile_hosts *profile_hosts_find(const struct profile *p,
                                               const char *name)
{
    size_t i;

    for (i = 0; i < p->n_hosts; i++)
        if (strcmp(p->hosts[i]->pub.name, name) == 0)
            return &p->hosts[i]->pub;
    return NULL;
}

size_t profile_rule_count(const struct profile *p)
{
    return p->n_rules;
}

const struct profile_rule *profile_rule_at(const struct profile *p,
                                           size_t i)
{
    return i < p->n_rules ? &p->rules[i]->pub : NULL;
}

bool profile_class_expects_dscp(const struct profile_class *c, unsigned dscp)
{
    return dscp < 64 && (c->dscp_mask & (UINT64_C(1) << dscp)) != 0;
}
