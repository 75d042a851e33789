/* The profile text format: lexer, global statements and dispatch; the
 * section properties are in profile_section.c.  The format is documented
 * in ringscope-profile(5); keep the two in step. */
#include "config.h"

#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "prefix.h"
#include "profile_internal.h"
#include "xalloc.h"

/* Names of classes, ranges, host sets, lists, sets and requirement IDs. */
#define PARSE_NAME_MAX 64
/* One hostname pattern may expand to at most this many names. */
#define PARSE_EXPAND_MAX 4096

/* Which section a directive may appear in. */
enum parse_where {
    PARSE_ANYWHERE = 0,
    PARSE_IN_CLASS = 1u << 0,
    PARSE_IN_REQ = 1u << 1,
};

struct directive {
    const char *name;
    unsigned where; /* PARSE_ANYWHERE or an OR of PARSE_IN_* */
    profile_directive_fn fn;
};

/* ------------------------------------------------------------------ */
/* Helpers shared with profile_section.c */

int profile_perr(struct profile_parser *ps, unsigned col, const char *fmt, ...)
{
    char msg[PROFILE_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return profile_errorf(ps->e, ps->line, col, "%s", msg);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* "range" and "hosts" are reserved because they are keywords on match
 * lines. */
bool profile_name_ok(const char *s)
{
    size_t i;

    if (!is_alnum(s[0]))
        return false;
    for (i = 0; s[i]; i++)
        if (!is_name_char(s[i]) || i >= PARSE_NAME_MAX)
            return false;
    return strcmp(s, "range") != 0 && strcmp(s, "hosts") != 0;
}

static int need_name(struct profile_parser *ps, struct profile_token *t,
                     size_t n, size_t i, const char *what)
{
    if (i >= n)
        return profile_perr(ps, t[0].col, "missing %s after '%s'", what,
                            t[0].s);
    if (!profile_name_ok(t[i].s))
        return profile_perr(ps, t[i].col, "invalid name '%s'", t[i].s);
    return 0;
}

int profile_no_more(struct profile_parser *ps, struct profile_token *t,
                    size_t n, size_t i)
{
    if (i < n)
        return profile_perr(ps, t[i].col, "unexpected '%s'", t[i].s);
    return 0;
}

int profile_one_text(struct profile_parser *ps, struct profile_token *t,
                     size_t n, size_t i)
{
    if (i >= n)
        return profile_perr(ps, t[0].col, "missing text after '%s'", t[0].s);
    if (i + 1 < n)
        return profile_perr(ps, t[i + 1].col,
                            "unexpected '%s' (put text with spaces in "
                            "quotes)",
                            t[i + 1].s);
    return 0;
}

bool profile_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return false;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *v <= max;
}

struct profile_ref profile_ref_make(const struct profile_token *t,
                                    unsigned line)
{
    struct profile_ref r;

    r.name = xstrdup(t->s);
    r.line = line;
    r.col = t->col;
    return r;
}

/* ------------------------------------------------------------------ */
/* Lexer */

static void push_token(struct profile_parser *ps, char *s, unsigned col,
                       bool quoted)
{
    ps->toks =
        profile_grow(ps->toks, ps->n_toks, &ps->cap_toks, sizeof(*ps->toks));
    ps->toks[ps->n_toks].s = s;
    ps->toks[ps->n_toks].col = col;
    ps->toks[ps->n_toks].quoted = quoted;
    ps->n_toks++;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits one line (without its newline) into tokens.  Words end at a
 * blank or '#'; strings are double-quoted with \" and \\ as the only
 * escapes; '#' outside a string starts a comment. */
static int lex_line(struct profile_parser *ps, const char *line, size_t len)
{
    size_t i = 0;
    char *out;

    if (len + 1 > ps->buf_cap) {
        ps->buf_cap = len + 1;
        ps->buf = xrealloc(ps->buf, ps->buf_cap);
    }
    out = ps->buf;
    ps->n_toks = 0;
    while (i < len) {
        unsigned char c = (unsigned char)line[i];
        unsigned col = (unsigned)i + 1;

        if (is_blank((char)c)) {
            i++;
            continue;
        }
        if (c == '#')
            break;
        if (c < 0x20 || c == 0x7f)
            return profile_perr(ps, col, "invalid character 0x%02x", c);
        if (c == '"') {
            char *s = out;

            i++;
            for (;;) {
                if (i >= len)
                    return profile_perr(ps, col, "unterminated string");
                c = (unsigned char)line[i];
                if (c == '"')
                    break;
                if (c < 0x20 && c != '\t')
                    return profile_perr(ps, (unsigned)i + 1,
                                        "invalid character 0x%02x", c);
                if (c == 0x7f)
                    return profile_perr(ps, (unsigned)i + 1,
                                        "invalid character 0x%02x", c);
                if (c == '\\') {
                    if (i + 1 >= len)
                        return profile_perr(ps, col, "unterminated string");
                    if (line[i + 1] != '"' && line[i + 1] != '\\')
                        return profile_perr(ps, (unsigned)i + 1,
                                            "unknown escape '\\%c' in string",
                                            line[i + 1]);
                    i++;
                    c = (unsigned char)line[i];
                }
                *out++ = (char)c;
                i++;
            }
            i++; /* the closing quote */
            if (i < len && !is_blank(line[i]) && line[i] != '#')
                return profile_perr(ps, (unsigned)i + 1,
                                    "missing space after the closing quote");
            *out++ = '\0';
            push_token(ps, s, col, true);
            continue;
        }
        {
            char *s = out;

            while (i < len && !is_blank(line[i]) && line[i] != '#') {
                c = (unsigned char)line[i];
                if (c == '"')
                    return profile_perr(ps, (unsigned)i + 1,
                                        "unexpected '\"' inside a word");
                if (c < 0x20 || c == 0x7f)
                    return profile_perr(ps, (unsigned)i + 1,
                                        "invalid character 0x%02x", c);
                *out++ = (char)c;
                i++;
            }
            *out++ = '\0';
            push_token(ps, s, col, false);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Global directives */

static int d_profile(struct profile_parser *ps, struct profile_token *t,
                     size_t n)
{
    struct profile *p = ps->p;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    if (n > 3)
        return profile_perr(ps, t[3].col,
                            "unexpected '%s' (put text with spaces in quotes)",
                            t[3].s);
    if (p->has_profile_line)
        return profile_perr(ps, t[0].col, "duplicate 'profile'");
    p->has_profile_line = true;
    free(p->name);
    p->name = xstrdup(t[1].s);
    free(p->title);
    p->title = xstrdup(n > 2 ? t[2].s : "");
    return 0;
}

static int d_requirement_set(struct profile_parser *ps,
                             struct profile_token *t, size_t n)
{
    struct profile *p = ps->p;
    struct pset *s;

    if (need_name(ps, t, n, 1, "name") != 0 ||
        profile_one_text(ps, t, n, 2) != 0)
        return -1;
    if (profile_pset_find(p, t[1].s))
        return profile_perr(ps, t[1].col, "duplicate requirement set '%s'",
                            t[1].s);
    if (p->n_sets == PROFILE_MAX_SETS)
        return profile_perr(ps, t[1].col,
                            "too many requirement sets (at most %d)",
                            PROFILE_MAX_SETS);
    s = xcalloc(1, sizeof(*s));
    s->name = xstrdup(t[1].s);
    s->text = xstrdup(t[2].s);
    s->pub.name = s->name;
    s->pub.text = s->text;
    s->pub.bit = 1u << p->n_sets;
    p->sets[p->n_sets++] = s;
    return 0;
}

/* List values become hostname labels or parts of them. */
static bool list_value_ok(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return i > 0 && i <= 63;
}

static int d_list(struct profile_parser *ps, struct profile_token *t, size_t n)
{
    struct profile *p = ps->p;
    struct plist *l;
    size_t i;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    if (n < 3 || strcmp(t[2].s, "=") != 0 || t[2].quoted)
        return profile_perr(ps, n < 3 ? t[1].col : t[2].col,
                            "expected '=' after the list name");
    if (n < 4)
        return profile_perr(ps, t[2].col, "missing value after '='");
    if (profile_plist_find(p, t[1].s))
        return profile_perr(ps, t[1].col, "duplicate list '%s'", t[1].s);
    for (i = 3; i < n; i++)
        if (!list_value_ok(t[i].s))
            return profile_perr(ps, t[i].col, "invalid list value '%s'",
                                t[i].s);
    l = xcalloc(1, sizeof(*l));
    l->name = xstrdup(t[1].s);
    l->n = n - 3;
    l->values = xcalloc(l->n, sizeof(*l->values));
    for (i = 3; i < n; i++) {
        char *v = xstrdup(t[i].s), *c;

        for (c = v; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        l->values[i - 3] = v;
    }
    p->lists =
        profile_grow(p->lists, p->n_lists, &p->cap_lists, sizeof(*p->lists));
    p->lists[p->n_lists++] = l;
    return 0;
}

static int d_range(struct profile_parser *ps, struct profile_token *t,
                   size_t n)
{
    struct profile *p = ps->p;
    struct prange *r;
    size_t i;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    /* Check every prefix before changing anything. */
    for (i = 2; i < n; i++) {
        struct ip_prefix pfx;

        if (ipaddr_parse_prefix(t[i].s, &pfx) != 0)
            return profile_perr(ps, t[i].col, "invalid address prefix '%s'",
                                t[i].s);
    }
    r = profile_prange_find(p, t[1].s);
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        r->pub.name = xstrdup(t[1].s);
        r->pub._tree = prefix_tree_new();
        p->ranges = profile_grow(p->ranges, p->n_ranges, &p->cap_ranges,
                                 sizeof(*p->ranges));
        p->ranges[p->n_ranges++] = r;
    }
    for (i = 2; i < n; i++) {
        struct ip_prefix pfx;

        ipaddr_parse_prefix(t[i].s, &pfx);
        if (prefix_tree_insert(r->pub._tree, &pfx, r) != 0)
            return profile_perr(ps, t[i].col,
                                "duplicate prefix '%s' in range '%s'", t[i].s,
                                r->pub.name);
        r->prefixes =
            profile_grow(r->prefixes, r->n, &r->cap, sizeof(*r->prefixes));
        r->prefixes[r->n++] = pfx;
    }
    return 0;
}

/* Checks an expanded pattern (lowercase, no trailing dot, after "*." for
 * suffixes): labels of 1..63 letters, digits, '-' or '_', at most
 * PROFILE_HOST_MAX bytes in all. */
static bool host_ok(const char *s)
{
    size_t i, label = 0;

    if (strlen(s) > PROFILE_HOST_MAX || s[0] == '\0')
        return false;
    for (i = 0; s[i]; i++) {
        if (s[i] == '.') {
            if (label == 0)
                return false;
            label = 0;
            continue;
        }
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
            return false;
        if (++label > 63)
            return false;
    }
    return label > 0;
}

static void hosts_add(struct phosts *h, const char *name, bool suffix)
{
    if (suffix) {
        h->suffix = profile_grow(h->suffix, h->n_suffix, &h->cap_suffix,
                                 sizeof(*h->suffix));
        h->suffix[h->n_suffix++] = xstrdup(name);
    } else {
        h->exact = profile_grow(h->exact, h->n_exact, &h->cap_exact,
                                sizeof(*h->exact));
        h->exact[h->n_exact++] = xstrdup(name);
    }
}

struct expand {
    struct profile_parser *ps;
    const struct profile_token *tok;
    struct phosts *h;
    bool suffix;
    size_t count;
    char out[PROFILE_HOST_MAX + 2];
};

/* Checks the {list} templates of a pattern before anything is expanded,
 * so that errors point at the right column: every '{' needs a '}' with a
 * list name between them, and the list must be defined already. */
static int check_templates(struct profile_parser *ps,
                           const struct profile_token *tok)
{
    const char *s = tok->s, *open, *close;
    char name[PARSE_NAME_MAX + 1];
    size_t nlen;

    while ((open = strchr(s, '{')) != NULL) {
        close = strchr(open, '}');
        nlen = close ? (size_t)(close - open - 1) : 0;
        if (!close || nlen == 0 || nlen > PARSE_NAME_MAX ||
            memchr(open + 1, '{', nlen))
            return profile_perr(ps, tok->col, "invalid hostname pattern '%s'",
                                tok->s);
        memcpy(name, open + 1, nlen);
        name[nlen] = '\0';
        if (!profile_plist_find(ps->p, name))
            return profile_perr(ps, tok->col + (unsigned)(open - tok->s),
                                "unknown list '%s'", name);
        s = close + 1;
    }
    if (strchr(s, '}'))
        return profile_perr(ps, tok->col, "invalid hostname pattern '%s'",
                            tok->s);
    return 0;
}

/* Expands the first {list} template left in pat into each of the list's
 * values, recursively, and adds the finished names to the set.  The
 * templates were checked by check_templates(). */
static int expand_rec(struct expand *x, const char *pat)
{
    const char *open = strchr(pat, '{'), *close;
    char name[PARSE_NAME_MAX + 1], buf[2 * (PROFILE_HOST_MAX + 2)];
    const struct plist *l;
    size_t i, head;

    if (!open) {
        if (!profile_host_normalise(pat, x->out) || !host_ok(x->out))
            return profile_perr(x->ps, x->tok->col,
                                "invalid hostname pattern '%s'", x->tok->s);
        if (++x->count > PARSE_EXPAND_MAX)
            return profile_perr(
                x->ps, x->tok->col,
                "hostname pattern '%s' expands to more than %d names",
                x->tok->s, PARSE_EXPAND_MAX);
        hosts_add(x->h, x->out, x->suffix);
        return 0;
    }
    head = (size_t)(open - pat);
    close = strchr(open, '}');
    memcpy(name, open + 1, (size_t)(close - open - 1));
    name[close - open - 1] = '\0';
    l = profile_plist_find(x->ps->p, name);
    for (i = 0; i < l->n; i++) {
        size_t vlen = strlen(l->values[i]), tail = strlen(close + 1);

        /* Longer than any hostname can be: report it as invalid. */
        if (head + vlen + tail >= sizeof(buf))
            return profile_perr(x->ps, x->tok->col,
                                "invalid hostname pattern '%s'", x->tok->s);
        memcpy(buf, pat, head);
        memcpy(buf + head, l->values[i], vlen);
        memcpy(buf + head + vlen, close + 1, tail + 1);
        if (expand_rec(x, buf) != 0)
            return -1;
    }
    return 0;
}

static int d_hosts(struct profile_parser *ps, struct profile_token *t,
                   size_t n)
{
    struct profile *p = ps->p;
    struct phosts *h;
    size_t i;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    h = profile_phosts_find(p, t[1].s);
    if (!h) {
        h = xcalloc(1, sizeof(*h));
        h->pub.name = xstrdup(t[1].s);
        p->hosts = profile_grow(p->hosts, p->n_hosts, &p->cap_hosts,
                                sizeof(*p->hosts));
        p->hosts[p->n_hosts++] = h;
    }
    for (i = 2; i < n; i++) {
        struct expand x;
        const char *pat = t[i].s;

        memset(&x, 0, sizeof(x));
        x.ps = ps;
        x.tok = &t[i];
        x.h = h;
        if (pat[0] == '*' && pat[1] == '.') {
            x.suffix = true;
            pat += 2;
        }
        if (strchr(pat, '*'))
            return profile_perr(ps, t[i].col, "invalid hostname pattern '%s'",
                                t[i].s);
        if (check_templates(ps, &t[i]) != 0 || expand_rec(&x, pat) != 0)
            return -1;
    }
    return 0;
}

/* Built-in classes are reopened (description, dscp) rather than defined. */
static int d_class(struct profile_parser *ps, struct profile_token *t,
                   size_t n)
{
    struct profile *p = ps->p;
    struct pclass *c;

    if (need_name(ps, t, n, 1, "name") != 0 ||
        profile_no_more(ps, t, n, 2) != 0)
        return -1;
    c = profile_pclass_find(p, t[1].s);
    if (c && c->opened)
        return profile_perr(ps, t[1].col, "duplicate class '%s'", t[1].s);
    if (!c) {
        c = xcalloc(1, sizeof(*c));
        c->name = xstrdup(t[1].s);
        c->description = xstrdup("");
        p->classes = profile_grow(p->classes, p->n_classes, &p->cap_classes,
                                  sizeof(*p->classes));
        p->classes[p->n_classes++] = c;
    }
    c->opened = true;
    ps->cur_class = c;
    ps->cur_req = NULL;
    return 0;
}

static int d_requirement(struct profile_parser *ps, struct profile_token *t,
                         size_t n)
{
    struct profile *p = ps->p;
    struct preq *r;
    size_t i;

    if (need_name(ps, t, n, 1, "ID") != 0 || profile_no_more(ps, t, n, 2) != 0)
        return -1;
    for (i = 0; i < p->n_reqs; i++)
        if (strcmp(p->reqs[i]->id, t[1].s) == 0)
            return profile_perr(ps, t[1].col, "duplicate requirement '%s'",
                                t[1].s);
    r = xcalloc(1, sizeof(*r));
    r->id = xstrdup(t[1].s);
    r->text = xstrdup("");
    r->source = xstrdup("");
    r->col = t[1].col;
    r->pub.line = ps->line;
    r->pub.check = PROFILE_CHECK_CONNECT;
    r->pub.severity = PROFILE_SEV_ERROR;
    r->pub.direction = PROFILE_DIR_ANY;
    r->pub.initiator = PROFILE_INIT_ANY;
    p->reqs = profile_grow(p->reqs, p->n_reqs, &p->cap_reqs, sizeof(*p->reqs));
    p->reqs[p->n_reqs++] = r;
    ps->cur_req = r;
    ps->cur_class = NULL;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch */

static const struct directive directives[] = {
    { "profile", PARSE_ANYWHERE, d_profile },
    { "requirement-set", PARSE_ANYWHERE, d_requirement_set },
    { "list", PARSE_ANYWHERE, d_list },
    { "range", PARSE_ANYWHERE, d_range },
    { "hosts", PARSE_ANYWHERE, d_hosts },
    { "class", PARSE_ANYWHERE, d_class },
    { "requirement", PARSE_ANYWHERE, d_requirement },
    { "description", PARSE_IN_CLASS, profile_prop_description },
    { "dscp", PARSE_IN_CLASS, profile_prop_dscp },
    { "match", PARSE_IN_CLASS | PARSE_IN_REQ, profile_prop_match },
    { "set", PARSE_IN_REQ, profile_prop_set },
    { "text", PARSE_IN_REQ, profile_prop_text },
    { "source", PARSE_IN_REQ, profile_prop_source },
    { "check", PARSE_IN_REQ, profile_prop_check },
    { "severity", PARSE_IN_REQ, profile_prop_severity },
    { "direction", PARSE_IN_REQ, profile_prop_direction },
    { "initiator", PARSE_IN_REQ, profile_prop_initiator },
    { "classes", PARSE_IN_REQ, profile_prop_classes },
};

static int parse_statement(struct profile_parser *ps, struct profile_token *t,
                           size_t n)
{
    const struct directive *d = NULL;
    unsigned here;
    size_t i;

    for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
        if (!t[0].quoted && strcmp(t[0].s, directives[i].name) == 0)
            d = &directives[i];
    if (!d)
        return profile_perr(ps, t[0].col, "unknown directive '%s'", t[0].s);
    here = ps->cur_class ? PARSE_IN_CLASS : ps->cur_req ? PARSE_IN_REQ : 0;
    if (d->where != PARSE_ANYWHERE && !(d->where & here)) {
        const char *where = d->where == PARSE_IN_CLASS ? "a class"
                            : d->where == PARSE_IN_REQ
                                ? "a requirement"
                                : "a class or requirement";
        return profile_perr(ps, t[0].col, "'%s' is only valid in %s section",
                            t[0].s, where);
    }
    return d->fn(ps, t, n);
}

int profile_parse(struct profile *p, const char *text, struct profile_err *e)
{
    struct profile_parser ps;
    const char *line = text;
    int ret = -1;

    memset(&ps, 0, sizeof(ps));
    ps.p = p;
    ps.e = e;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        size_t next = nl ? len + 1 : len;

        ps.line++;
        /* CRLF files: the CR belongs to the line ending. */
        if (len > 0 && line[len - 1] == '\r')
            len--;
        if (lex_line(&ps, line, len) != 0)
            goto out;
        if (ps.n_toks > 0 && parse_statement(&ps, ps.toks, ps.n_toks) != 0)
            goto out;
        line += next;
    }
    ret = 0;
out:
    free(ps.buf);
    free(ps.toks);
    return ret;
}
