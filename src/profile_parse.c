/* The profile text format: lexer and directives.  The format itself is
 * documented in ringscope-profile(5); keep the two in step. */
#include "config.h"

#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipaddr.h"
#include "prefix.h"
#include "profile_internal.h"
#include "xalloc.h"

/* Names of classes, ranges, host sets, lists, sets and requirement IDs. */
#define PARSE_NAME_MAX 64
/* One hostname pattern may expand to at most this many names. */
#define PARSE_EXPAND_MAX 4096
/* udp-timeout accepts 1 s .. 1 day. */
#define PARSE_TIMEOUT_MAX 86400

struct token {
    char *s;            /* unescaped, NUL-terminated, in the line scratch */
    unsigned col;       /* 1-based column of its first byte */
    bool quoted;
};

struct parser {
    struct profile *p;
    struct profile_err *e;
    unsigned line;
    struct pclass *cur_class;
    struct preq *cur_req;
    /* Scratch for one line: unescaped token text and the token array. */
    char *buf;
    size_t buf_cap;
    struct token *toks;
    size_t n_toks, cap_toks;
};

/* Which section a directive may appear in. */
enum parse_where {
    PARSE_ANYWHERE = 0,
    PARSE_IN_CLASS = 1u << 0,
    PARSE_IN_REQ = 1u << 1,
};

typedef int (*parse_fn)(struct parser *ps, struct token *t, size_t n);

struct directive {
    const char *name;
    unsigned where;     /* PARSE_ANYWHERE or an OR of PARSE_IN_* */
    parse_fn fn;
};

/* ------------------------------------------------------------------ */
/* Small helpers */

#define GROW(arr, n, cap)                                                  \
    do {                                                                   \
        if ((n) == (cap)) {                                                \
            (cap) = (cap) ? (cap) * 2 : 8;                                 \
            (arr) = xreallocarray((arr), (cap), sizeof(*(arr)));           \
        }                                                                  \
    } while (0)

static int perr(struct parser *ps, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(struct parser *ps, unsigned col, const char *fmt, ...)
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

/* Names start with a letter or digit, continue with letters, digits, '-',
 * '_' and '.', and are at most PARSE_NAME_MAX bytes.  "range" and "hosts"
 * are reserved because they are keywords on match lines. */
static bool name_ok(const char *s)
{
    size_t i;

    if (!is_alnum(s[0]))
        return false;
    for (i = 0; s[i]; i++)
        if (!is_name_char(s[i]) || i >= PARSE_NAME_MAX)
            return false;
    return strcmp(s, "range") != 0 && strcmp(s, "hosts") != 0;
}

static int need_name(struct parser *ps, struct token *t, size_t n,
                     size_t i, const char *what)
{
    if (i >= n)
        return perr(ps, t[0].col, "missing %s after '%s'", what, t[0].s);
    if (!name_ok(t[i].s))
        return perr(ps, t[i].col, "invalid name '%s'", t[i].s);
    return 0;
}

static int no_more(struct parser *ps, struct token *t, size_t n, size_t i)
{
    if (i < n)
        return perr(ps, t[i].col, "unexpected '%s'", t[i].s);
    return 0;
}

/* Directives that take one free text: the text must be one token. */
static int one_text(struct parser *ps, struct token *t, size_t n, size_t i)
{
    if (i >= n)
        return perr(ps, t[0].col, "missing text after '%s'", t[0].s);
    if (i + 1 < n)
        return perr(ps, t[i + 1].col,
                    "unexpected '%s' (put text with spaces in quotes)",
                    t[i + 1].s);
    return 0;
}

/* Decimal number without sign; false on anything else or out of range. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *v)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return false;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *v <= max;
}

static struct profile_ref ref_make(const struct token *t, unsigned line)
{
    struct profile_ref r;

    r.name = xstrdup(t->s);
    r.line = line;
    r.col = t->col;
    return r;
}

/* ------------------------------------------------------------------ */
/* Lexer */

static void push_token(struct parser *ps, char *s, unsigned col, bool quoted)
{
    GROW(ps->toks, ps->n_toks, ps->cap_toks);
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
static int lex_line(struct parser *ps, const char *line, size_t len)
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
            return perr(ps, col, "invalid character 0x%02x", c);
        if (c == '"') {
            char *s = out;

            i++;
            for (;;) {
                if (i >= len)
                    return perr(ps, col, "unterminated string");
                c = (unsigned char)line[i];
                if (c == '"')
                    break;
                if (c < 0x20 && c != '\t')
                    return perr(ps, (unsigned)i + 1,
                                "invalid character 0x%02x", c);
                if (c == 0x7f)
                    return perr(ps, (unsigned)i + 1,
                                "invalid character 0x%02x", c);
                if (c == '\\') {
                    if (i + 1 >= len)
                        return perr(ps, col, "unterminated string");
                    if (line[i + 1] != '"' && line[i + 1] != '\\')
                        return perr(ps, (unsigned)i + 1,
                                    "unknown escape '\\%c' in string",
                                    line[i + 1]);
                    i++;
                    c = (unsigned char)line[i];
                }
                *out++ = (char)c;
                i++;
            }
            i++;    /* the closing quote */
            if (i < len && !is_blank(line[i]) && line[i] != '#')
                return perr(ps, (unsigned)i + 1,
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
                    return perr(ps, (unsigned)i + 1,
                                "unexpected '\"' inside a word");
                if (c < 0x20 || c == 0x7f)
                    return perr(ps, (unsigned)i + 1,
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

static int d_profile(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    if (n > 3)
        return perr(ps, t[3].col,
                    "unexpected '%s' (put text with spaces in quotes)",
                    t[3].s);
    if (p->has_profile_line)
        return perr(ps, t[0].col, "duplicate 'profile'");
    p->has_profile_line = true;
    free(p->name);
    p->name = xstrdup(t[1].s);
    free(p->title);
    p->title = xstrdup(n > 2 ? t[2].s : "");
    return 0;
}

static int d_requirement_set(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;
    struct pset *s;

    if (need_name(ps, t, n, 1, "name") != 0 || one_text(ps, t, n, 2) != 0)
        return -1;
    if (profile_pset_find(p, t[1].s))
        return perr(ps, t[1].col, "duplicate requirement set '%s'", t[1].s);
    if (p->n_sets == PROFILE_MAX_SETS)
        return perr(ps, t[1].col, "too many requirement sets (at most %d)",
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

static int d_list(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;
    struct plist *l;
    size_t i;

    if (need_name(ps, t, n, 1, "name") != 0)
        return -1;
    if (n < 3 || strcmp(t[2].s, "=") != 0 || t[2].quoted)
        return perr(ps, n < 3 ? t[1].col : t[2].col,
                    "expected '=' after the list name");
    if (n < 4)
        return perr(ps, t[2].col, "missing value after '='");
    if (profile_plist_find(p, t[1].s))
        return perr(ps, t[1].col, "duplicate list '%s'", t[1].s);
    for (i = 3; i < n; i++)
        if (!list_value_ok(t[i].s))
            return perr(ps, t[i].col, "invalid list value '%s'", t[i].s);
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
    GROW(p->lists, p->n_lists, p->cap_lists);
    p->lists[p->n_lists++] = l;
    return 0;
}

static int d_range(struct parser *ps, struct token *t, size_t n)
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
            return perr(ps, t[i].col, "invalid address prefix '%s'",
                        t[i].s);
    }
    r = profile_prange_find(p, t[1].s);
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        r->pub.name = xstrdup(t[1].s);
        r->pub._tree = prefix_tree_new();
        GROW(p->ranges, p->n_ranges, p->cap_ranges);
        p->ranges[p->n_ranges++] = r;
    }
    for (i = 2; i < n; i++) {
        struct ip_prefix pfx;

        ipaddr_parse_prefix(t[i].s, &pfx);
        if (prefix_tree_insert(r->pub._tree, &pfx, r) != 0)
            return perr(ps, t[i].col, "duplicate prefix '%s' in range '%s'",
                        t[i].s, r->pub.name);
        GROW(r->prefixes, r->n, r->cap);
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
        GROW(h->suffix, h->n_suffix, h->cap_suffix);
        h->suffix[h->n_suffix++] = xstrdup(name);
    } else {
        GROW(h->exact, h->n_exact, h->cap_exact);
        h->exact[h->n_exact++] = xstrdup(name);
    }
}

struct expand {
    struct parser *ps;
    const struct token *tok;
    struct phosts *h;
    bool suffix;
    size_t count;
    char out[PROFILE_HOST_MAX + 2];
};

/* Checks the {list} templates of a pattern before anything is expanded,
 * so that errors point at the right column: every '{' needs a '}' with a
 * list name between them, and the list must be defined already. */
static int check_templates(struct parser *ps, const struct token *tok)
{
    const char *s = tok->s, *open, *close;
    char name[PARSE_NAME_MAX + 1];
    size_t nlen;

    while ((open = strchr(s, '{')) != NULL) {
        close = strchr(open, '}');
        nlen = close ? (size_t)(close - open - 1) : 0;
        if (!close || nlen == 0 || nlen > PARSE_NAME_MAX ||
            memchr(open + 1, '{', nlen))
            return perr(ps, tok->col, "invalid hostname pattern '%s'",
                        tok->s);
        memcpy(name, open + 1, nlen);
        name[nlen] = '\0';
        if (!profile_plist_find(ps->p, name))
            return perr(ps, tok->col + (unsigned)(open - tok->s),
                        "unknown list '%s'", name);
        s = close + 1;
    }
    if (strchr(s, '}'))
        return perr(ps, tok->col, "invalid hostname pattern '%s'", tok->s);
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
            return perr(x->ps, x->tok->col, "invalid hostname pattern '%s'",
                        x->tok->s);
        if (++x->count > PARSE_EXPAND_MAX)
            return perr(x->ps, x->tok->col,
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
            return perr(x->ps, x->tok->col, "invalid hostname pattern '%s'",
                        x->tok->s);
        memcpy(buf, pat, head);
        memcpy(buf + head, l->values[i], vlen);
        memcpy(buf + head + vlen, close + 1, tail + 1);
        if (expand_rec(x, buf) != 0)
            return -1;
    }
    return 0;
}

static int d_hosts(struct parser *ps, struct token *t, size_t n)
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
        GROW(p->hosts, p->n_hosts, p->cap_hosts);
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
            return perr(ps, t[i].col, "invalid hostname pattern '%s'",
                        t[i].s);
        if (check_templates(ps, &t[i]) != 0 || expand_rec(&x, pat) != 0)
            return -1;
    }
    return 0;
}

/* Built-in classes are reopened (description, dscp) rather than defined. */
static int d_class(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;
    struct pclass *c;

    if (need_name(ps, t, n, 1, "name") != 0 || no_more(ps, t, n, 2) != 0)
        return -1;
    c = profile_pclass_find(p, t[1].s);
    if (c && c->opened)
        return perr(ps, t[1].col, "duplicate class '%s'", t[1].s);
    if (!c) {
        c = xcalloc(1, sizeof(*c));
        c->name = xstrdup(t[1].s);
        c->description = xstrdup("");
        GROW(p->classes, p->n_classes, p->cap_classes);
        p->classes[p->n_classes++] = c;
    }
    c->opened = true;
    ps->cur_class = c;
    ps->cur_req = NULL;
    return 0;
}

static int d_requirement(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;
    struct preq *r;
    size_t i;

    if (need_name(ps, t, n, 1, "ID") != 0 || no_more(ps, t, n, 2) != 0)
        return -1;
    for (i = 0; i < p->n_reqs; i++)
        if (strcmp(p->reqs[i]->id, t[1].s) == 0)
            return perr(ps, t[1].col, "duplicate requirement '%s'", t[1].s);
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
    GROW(p->reqs, p->n_reqs, p->cap_reqs);
    p->reqs[p->n_reqs++] = r;
    ps->cur_req = r;
    ps->cur_class = NULL;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Class properties */

static int d_description(struct parser *ps, struct token *t, size_t n)
{
    struct pclass *c = ps->cur_class;

    if (one_text(ps, t, n, 1) != 0)
        return -1;
    if (c->has_description)
        return perr(ps, t[0].col, "duplicate 'description' in class '%s'",
                    c->name);
    c->has_description = true;
    free(c->description);
    c->description = xstrdup(t[1].s);
    return 0;
}

/* Per-hop behaviour names (RFC 2474, 2597, 3246, 5865, 8622). */
static const struct {
    const char *name;
    unsigned value;
} dscp_names[] = {
    {"df", 0}, {"le", 1}, {"cs1", 8}, {"af11", 10}, {"af12", 12},
    {"af13", 14}, {"cs2", 16}, {"af21", 18}, {"af22", 20}, {"af23", 22},
    {"cs3", 24}, {"af31", 26}, {"af32", 28}, {"af33", 30}, {"cs4", 32},
    {"af41", 34}, {"af42", 36}, {"af43", 38}, {"cs5", 40},
    {"voice-admit", 44}, {"ef", 46}, {"cs6", 48}, {"cs7", 56},
};

static bool parse_dscp(const char *s, unsigned *v)
{
    unsigned long n;
    size_t i;

    if (parse_uint(s, 63, &n)) {
        *v = (unsigned)n;
        return true;
    }
    for (i = 0; i < sizeof(dscp_names) / sizeof(dscp_names[0]); i++)
        if (strcasecmp(s, dscp_names[i].name) == 0) {
            *v = dscp_names[i].value;
            return true;
        }
    return false;
}

static int d_dscp(struct parser *ps, struct token *t, size_t n)
{
    uint64_t mask = 0;
    size_t i;

    if (n < 2)
        return perr(ps, t[0].col, "missing value after 'dscp'");
    for (i = 1; i < n; i++) {
        unsigned v;

        if (!parse_dscp(t[i].s, &v))
            return perr(ps, t[i].col, "invalid DSCP value '%s'", t[i].s);
        mask |= UINT64_C(1) << v;
    }
    ps->cur_class->pub.dscp_mask |= mask;
    return 0;
}

/* "udp", "tcp" or both, comma-separated. */
static int parse_protos(struct parser *ps, const struct token *t,
                        unsigned *protos)
{
    const char *s = t->s;

    *protos = 0;
    for (;;) {
        size_t len = strcspn(s, ",");

        if (len == 3 && strncmp(s, "udp", 3) == 0)
            *protos |= PROFILE_PROTO_UDP;
        else if (len == 3 && strncmp(s, "tcp", 3) == 0)
            *protos |= PROFILE_PROTO_TCP;
        else
            return perr(ps, t->col + (unsigned)(s - t->s),
                        "unknown protocol '%.*s'", (int)len, s);
        if (s[len] == '\0')
            return 0;
        s += len + 1;
    }
}

static int port_cmp(const void *a, const void *b)
{
    const struct profile_port_range *x = a, *y = b;

    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* "any", or comma-separated ports and LO-HI ranges. */
static int parse_ports(struct parser *ps, const struct token *t,
                       struct prule *r)
{
    const char *s = t->s;

    if (strcmp(s, "any") == 0) {
        r->pub.any_port = true;
        return 0;
    }
    for (;;) {
        size_t len = strcspn(s, ",");
        char item[16], *dash;
        unsigned long lo, hi;
        unsigned col = t->col + (unsigned)(s - t->s);

        if (len == 0 || len >= sizeof(item))
            return perr(ps, col, "invalid port '%.*s'", (int)len, s);
        memcpy(item, s, len);
        item[len] = '\0';
        dash = strchr(item, '-');
        if (dash)
            *dash = '\0';
        if (!parse_uint(item, 65535, &lo) ||
            (dash && !parse_uint(dash + 1, 65535, &hi))) {
            if (dash)
                *dash = '-';
            return perr(ps, col, "invalid port '%s'", item);
        }
        if (!dash)
            hi = lo;
        if (lo > hi)
            return perr(ps, col, "invalid port range '%.*s'", (int)len, s);
        GROW(r->ports, r->n_ports, r->cap_ports);
        r->ports[r->n_ports].lo = (uint16_t)lo;
        r->ports[r->n_ports].hi = (uint16_t)hi;
        r->n_ports++;
        if (s[len] == '\0')
            break;
        s += len + 1;
    }
    qsort(r->ports, r->n_ports, sizeof(*r->ports), port_cmp);
    return 0;
}

/* match PROTOS PORTS [range NAME...] [hosts NAME...] */
static int d_match(struct parser *ps, struct token *t, size_t n)
{
    struct profile *p = ps->p;
    struct prule *r;
    enum { NONE, RANGE, HOSTS } mode = NONE;
    size_t i;

    if (n < 2)
        return perr(ps, t[0].col, "missing protocol after 'match'");
    if (n < 3)
        return perr(ps, t[0].col, "missing ports after 'match'");
    if (ps->cur_class && ps->cur_class->pub.builtin)
        return perr(ps, t[0].col,
                    "class '%s' is built in and cannot have match rules",
                    ps->cur_class->name);
    r = xcalloc(1, sizeof(*r));
    r->pub.line = ps->line;
    if (parse_protos(ps, &t[1], &r->pub.protos) != 0 ||
        parse_ports(ps, &t[2], r) != 0)
        goto fail;
    for (i = 3; i < n; i++) {
        if (!t[i].quoted && strcmp(t[i].s, "range") == 0) {
            if (i + 1 >= n || strcmp(t[i + 1].s, "hosts") == 0)
                goto missing;
            mode = RANGE;
            continue;
        }
        if (!t[i].quoted && strcmp(t[i].s, "hosts") == 0) {
            if (i + 1 >= n || strcmp(t[i + 1].s, "range") == 0)
                goto missing;
            mode = HOSTS;
            continue;
        }
        if (mode == NONE) {
            perr(ps, t[i].col, "unexpected '%s'", t[i].s);
            goto fail;
        }
        if (!name_ok(t[i].s)) {
            perr(ps, t[i].col, "invalid name '%s'", t[i].s);
            goto fail;
        }
        if (mode == RANGE) {
            GROW(r->range_refs, r->n_range_refs, r->cap_range_refs);
            r->range_refs[r->n_range_refs++] = ref_make(&t[i], ps->line);
        } else {
            GROW(r->host_refs, r->n_host_refs, r->cap_host_refs);
            r->host_refs[r->n_host_refs++] = ref_make(&t[i], ps->line);
        }
    }
    if (ps->cur_class) {
        struct pclass *c = ps->cur_class;

        r->pub.cls = &c->pub;
        r->pub.index = p->n_rules;
        GROW(p->rules, p->n_rules, p->cap_rules);
        p->rules[p->n_rules++] = r;
        GROW(c->rules, c->n_rules, c->cap_rules);
        c->rules[c->n_rules++] = &r->pub;
    } else {
        struct preq *q = ps->cur_req;

        r->pub.index = q->n_scope;
        GROW(q->scope, q->n_scope, q->cap_scope);
        q->scope[q->n_scope++] = r;
    }
    return 0;

missing:
    perr(ps, t[i].col, "missing name after '%s'", t[i].s);
fail:
    profile_rule_free(r);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Requirement properties */

static int once(struct parser *ps, struct token *t, enum preq_prop prop)
{
    struct preq *r = ps->cur_req;

    if (r->seen & prop)
        return perr(ps, t[0].col, "duplicate '%s' in requirement '%s'",
                    t[0].s, r->id);
    r->seen |= prop;
    return 0;
}

static int d_set(struct parser *ps, struct token *t, size_t n)
{
    struct preq *r = ps->cur_req;
    size_t i;

    if (n < 2)
        return perr(ps, t[0].col, "missing name after 'set'");
    for (i = 1; i < n; i++) {
        if (!name_ok(t[i].s))
            return perr(ps, t[i].col, "invalid name '%s'", t[i].s);
        GROW(r->set_refs, r->n_set_refs, r->cap_set_refs);
        r->set_refs[r->n_set_refs++] = ref_make(&t[i], ps->line);
    }
    return 0;
}

static int d_classes(struct parser *ps, struct token *t, size_t n)
{
    struct preq *r = ps->cur_req;
    size_t i;

    if (n < 2)
        return perr(ps, t[0].col, "missing name after 'classes'");
    for (i = 1; i < n; i++) {
        if (!name_ok(t[i].s))
            return perr(ps, t[i].col, "invalid name '%s'", t[i].s);
        GROW(r->class_refs, r->n_class_refs, r->cap_class_refs);
        r->class_refs[r->n_class_refs++] = ref_make(&t[i], ps->line);
    }
    return 0;
}

static int d_text(struct parser *ps, struct token *t, size_t n)
{
    if (one_text(ps, t, n, 1) != 0 || once(ps, t, PREQ_TEXT) != 0)
        return -1;
    free(ps->cur_req->text);
    ps->cur_req->text = xstrdup(t[1].s);
    return 0;
}

static int d_source(struct parser *ps, struct token *t, size_t n)
{
    if (one_text(ps, t, n, 1) != 0 || once(ps, t, PREQ_SOURCE) != 0)
        return -1;
    free(ps->cur_req->source);
    ps->cur_req->source = xstrdup(t[1].s);
    return 0;
}

/* Looks s up among the names of an enum as written in the profile. */
static int keyword_index(const char *s, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

static const char *const check_names[] = {
    [PROFILE_CHECK_CONNECT] = "connect",
    [PROFILE_CHECK_NO_SIP_ALG] = "no-sip-alg",
    [PROFILE_CHECK_UDP_TIMEOUT] = "udp-timeout",
    [PROFILE_CHECK_DSCP] = "dscp",
    [PROFILE_CHECK_SINGLE_NAT] = "single-nat",
    [PROFILE_CHECK_DNS] = "dns",
};
static const char *const severity_names[] = {
    [PROFILE_SEV_ERROR] = "error",
    [PROFILE_SEV_WARNING] = "warning",
    [PROFILE_SEV_INFO] = "info",
};
static const char *const direction_names[] = {
    [PROFILE_DIR_ANY] = "any",
    [PROFILE_DIR_OUT] = "out",
    [PROFILE_DIR_IN] = "in",
    [PROFILE_DIR_BOTH] = "both",
};
static const char *const initiator_names[] = {
    [PROFILE_INIT_ANY] = "any",
    [PROFILE_INIT_INSIDE] = "inside",
    [PROFILE_INIT_OUTSIDE] = "outside",
    [PROFILE_INIT_EITHER] = "either",
    [PROFILE_INIT_BOTH] = "both",
};

#define NAMES_OF(a) (a), (sizeof(a) / sizeof((a)[0]))

const char *profile_check_name(enum profile_check v)
{
    return (size_t)v < sizeof(check_names) / sizeof(check_names[0])
               ? check_names[v] : "?";
}

const char *profile_severity_name(enum profile_severity v)
{
    return (size_t)v < sizeof(severity_names) / sizeof(severity_names[0])
               ? severity_names[v] : "?";
}

const char *profile_direction_name(enum profile_direction v)
{
    return (size_t)v < sizeof(direction_names) / sizeof(direction_names[0])
               ? direction_names[v] : "?";
}

const char *profile_initiator_name(enum profile_initiator v)
{
    return (size_t)v < sizeof(initiator_names) / sizeof(initiator_names[0])
               ? initiator_names[v] : "?";
}

static int d_check(struct parser *ps, struct token *t, size_t n)
{
    struct preq *r = ps->cur_req;
    unsigned long secs;
    int k;

    if (n < 2)
        return perr(ps, t[0].col, "missing kind after 'check'");
    k = keyword_index(t[1].s, NAMES_OF(check_names));
    if (k < 0)
        return perr(ps, t[1].col, "unknown check '%s'", t[1].s);
    if (k == PROFILE_CHECK_UDP_TIMEOUT) {
        if (n < 3)
            return perr(ps, t[1].col, "missing seconds after '%s'", t[1].s);
        if (!parse_uint(t[2].s, PARSE_TIMEOUT_MAX, &secs) || secs == 0)
            return perr(ps, t[2].col, "invalid number '%s'", t[2].s);
        if (no_more(ps, t, n, 3) != 0)
            return -1;
        r->pub.check_param = (uint32_t)secs;
    } else if (no_more(ps, t, n, 2) != 0) {
        return -1;
    }
    if (once(ps, t, PREQ_CHECK) != 0)
        return -1;
    r->pub.check = (enum profile_check)k;
    return 0;
}

/* severity, direction and initiator: one keyword each. */
static int enum_prop(struct parser *ps, struct token *t, size_t n,
                     const char *const *names, size_t n_names,
                     const char *expect, enum preq_prop prop)
{
    int k;

    if (n < 2)
        return perr(ps, t[0].col, "missing value after '%s'", t[0].s);
    k = keyword_index(t[1].s, names, n_names);
    if (k < 0)
        return perr(ps, t[1].col, "unknown %s '%s' (expected %s)", t[0].s,
                    t[1].s, expect);
    if (no_more(ps, t, n, 2) != 0 || once(ps, t, prop) != 0)
        return -1;
    return k;
}

static int d_severity(struct parser *ps, struct token *t, size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(severity_names),
                      "error, warning or info", PREQ_SEVERITY);

    if (k < 0)
        return -1;
    ps->cur_req->pub.severity = (enum profile_severity)k;
    return 0;
}

static int d_direction(struct parser *ps, struct token *t, size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(direction_names),
                      "any, out, in or both", PREQ_DIRECTION);

    if (k < 0)
        return -1;
    ps->cur_req->pub.direction = (enum profile_direction)k;
    return 0;
}

static int d_initiator(struct parser *ps, struct token *t, size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(initiator_names),
                      "any, inside, outside, either or both", PREQ_INITIATOR);

    if (k < 0)
        return -1;
    ps->cur_req->pub.initiator = (enum profile_initiator)k;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch */

static const struct directive directives[] = {
    {"profile", PARSE_ANYWHERE, d_profile},
    {"requirement-set", PARSE_ANYWHERE, d_requirement_set},
    {"list", PARSE_ANYWHERE, d_list},
    {"range", PARSE_ANYWHERE, d_range},
    {"hosts", PARSE_ANYWHERE, d_hosts},
    {"class", PARSE_ANYWHERE, d_class},
    {"requirement", PARSE_ANYWHERE, d_requirement},
    {"description", PARSE_IN_CLASS, d_description},
    {"dscp", PARSE_IN_CLASS, d_dscp},
    {"match", PARSE_IN_CLASS | PARSE_IN_REQ, d_match},
    {"set", PARSE_IN_REQ, d_set},
    {"text", PARSE_IN_REQ, d_text},
    {"source", PARSE_IN_REQ, d_source},
    {"check", PARSE_IN_REQ, d_check},
    {"severity", PARSE_IN_REQ, d_severity},
    {"direction", PARSE_IN_REQ, d_direction},
    {"initiator", PARSE_IN_REQ, d_initiator},
    {"classes", PARSE_IN_REQ, d_classes},
};

static int parse_statement(struct parser *ps, struct token *t, size_t n)
{
    const struct directive *d = NULL;
    unsigned here;
    size_t i;

    for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
        if (!t[0].quoted && strcmp(t[0].s, directives[i].name) == 0)
            d = &directives[i];
    if (!d)
        return perr(ps, t[0].col, "unknown directive '%s'", t[0].s);
    here = ps->cur_class ? PARSE_IN_CLASS : ps->cur_req ? PARSE_IN_REQ : 0;
    if (d->where != PARSE_ANYWHERE && !(d->where & here)) {
        const char *where = d->where == PARSE_IN_CLASS ? "a class"
                          : d->where == PARSE_IN_REQ ? "a requirement"
                          : "a class or requirement";
        return perr(ps, t[0].col, "'%s' is only valid in %s section",
                    t[0].s, where);
    }
    return d->fn(ps, t, n);
}

int profile_parse(struct profile *p, const char *text, struct profile_err *e)
{
    struct parser ps;
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
