/* Profile sections: the properties of classes (description, dscp,
 * match) and of requirements (set, text, source, check, severity,
 * direction, initiator, classes, match).  Documented in
 * ringscope-profile(5). */
#include "config.h"

#include "profile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile_internal.h"
#include "xalloc.h"

/* udp-timeout accepts 1 s .. 1 day. */
#define SECTION_TIMEOUT_MAX 86400

/* ------------------------------------------------------------------ */
/* Class properties */

int profile_prop_description(struct profile_parser *ps,
                             struct profile_token *t, size_t n)
{
    struct pclass *c = ps->cur_class;

    if (profile_one_text(ps, t, n, 1) != 0)
        return -1;
    if (c->has_description)
        return profile_perr(ps, t[0].col,
                            "duplicate 'description' in class '%s'", c->name);
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
    { "df", 0 },    { "le", 1 },    { "cs1", 8 },  { "af11", 10 },
    { "af12", 12 }, { "af13", 14 }, { "cs2", 16 }, { "af21", 18 },
    { "af22", 20 }, { "af23", 22 }, { "cs3", 24 }, { "af31", 26 },
    { "af32", 28 }, { "af33", 30 }, { "cs4", 32 }, { "af41", 34 },
    { "af42", 36 }, { "af43", 38 }, { "cs5", 40 }, { "voice-admit", 44 },
    { "ef", 46 },   { "cs6", 48 },  { "cs7", 56 },
};

static bool parse_dscp(const char *s, unsigned *v)
{
    unsigned long n;
    size_t i;

    if (profile_parse_uint(s, 63, &n)) {
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

int profile_prop_dscp(struct profile_parser *ps, struct profile_token *t,
                      size_t n)
{
    uint64_t mask = 0;
    size_t i;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing value after 'dscp'");
    for (i = 1; i < n; i++) {
        unsigned v;

        if (!parse_dscp(t[i].s, &v))
            return profile_perr(ps, t[i].col, "invalid DSCP value '%s'",
                                t[i].s);
        mask |= UINT64_C(1) << v;
    }
    ps->cur_class->pub.dscp_mask |= mask;
    return 0;
}

/* "udp", "tcp" or both, comma-separated. */
static int parse_protos(struct profile_parser *ps,
                        const struct profile_token *t, unsigned *protos)
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
            return profile_perr(ps, t->col + (unsigned)(s - t->s),
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
static int parse_ports(struct profile_parser *ps,
                       const struct profile_token *t, struct prule *r)
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
            return profile_perr(ps, col, "invalid port '%.*s'", (int)len, s);
        memcpy(item, s, len);
        item[len] = '\0';
        dash = strchr(item, '-');
        if (dash)
            *dash = '\0';
        if (!profile_parse_uint(item, 65535, &lo) ||
            (dash && !profile_parse_uint(dash + 1, 65535, &hi))) {
            if (dash)
                *dash = '-';
            return profile_perr(ps, col, "invalid port '%s'", item);
        }
        if (!dash)
            hi = lo;
        if (lo > hi)
            return profile_perr(ps, col, "invalid port range '%.*s'", (int)len,
                                s);
        r->ports = profile_grow(r->ports, r->n_ports, &r->cap_ports,
                                sizeof(*r->ports));
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
int profile_prop_match(struct profile_parser *ps, struct profile_token *t,
                       size_t n)
{
    struct profile *p = ps->p;
    struct prule *r;
    enum { NONE, RANGE, HOSTS } mode = NONE;
    size_t i;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing protocol after 'match'");
    if (n < 3)
        return profile_perr(ps, t[0].col, "missing ports after 'match'");
    if (ps->cur_class && ps->cur_class->pub.builtin)
        return profile_perr(
            ps, t[0].col, "class '%s' is built in and cannot have match rules",
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
            profile_perr(ps, t[i].col, "unexpected '%s'", t[i].s);
            goto fail;
        }
        if (!profile_name_ok(t[i].s)) {
            profile_perr(ps, t[i].col, "invalid name '%s'", t[i].s);
            goto fail;
        }
        if (mode == RANGE) {
            r->range_refs =
                profile_grow(r->range_refs, r->n_range_refs,
                             &r->cap_range_refs, sizeof(*r->range_refs));
            r->range_refs[r->n_range_refs++] =
                profile_ref_make(&t[i], ps->line);
        } else {
            r->host_refs =
                profile_grow(r->host_refs, r->n_host_refs, &r->cap_host_refs,
                             sizeof(*r->host_refs));
            r->host_refs[r->n_host_refs++] = profile_ref_make(&t[i], ps->line);
        }
    }
    if (ps->cur_class) {
        struct pclass *c = ps->cur_class;

        r->pub.cls = &c->pub;
        r->pub.index = p->n_rules;
        p->rules = profile_grow(p->rules, p->n_rules, &p->cap_rules,
                                sizeof(*p->rules));
        p->rules[p->n_rules++] = r;
        c->rules = profile_grow(c->rules, c->n_rules, &c->cap_rules,
                                sizeof(*c->rules));
        c->rules[c->n_rules++] = &r->pub;
    } else {
        struct preq *q = ps->cur_req;

        r->pub.index = q->n_scope;
        q->scope = profile_grow(q->scope, q->n_scope, &q->cap_scope,
                                sizeof(*q->scope));
        q->scope[q->n_scope++] = r;
    }
    return 0;

missing:
    profile_perr(ps, t[i].col, "missing name after '%s'", t[i].s);
fail:
    profile_rule_free(r);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Requirement properties */

static int once(struct profile_parser *ps, struct profile_token *t,
                enum preq_prop prop)
{
    struct preq *r = ps->cur_req;

    if (r->seen & prop)
        return profile_perr(ps, t[0].col, "duplicate '%s' in requirement '%s'",
                            t[0].s, r->id);
    r->seen |= prop;
    return 0;
}

int profile_prop_set(struct profile_parser *ps, struct profile_token *t,
                     size_t n)
{
    struct preq *r = ps->cur_req;
    size_t i;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing name after 'set'");
    for (i = 1; i < n; i++) {
        if (!profile_name_ok(t[i].s))
            return profile_perr(ps, t[i].col, "invalid name '%s'", t[i].s);
        r->set_refs = profile_grow(r->set_refs, r->n_set_refs,
                                   &r->cap_set_refs, sizeof(*r->set_refs));
        r->set_refs[r->n_set_refs++] = profile_ref_make(&t[i], ps->line);
    }
    return 0;
}

int profile_prop_classes(struct profile_parser *ps, struct profile_token *t,
                         size_t n)
{
    struct preq *r = ps->cur_req;
    size_t i;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing name after 'classes'");
    for (i = 1; i < n; i++) {
        if (!profile_name_ok(t[i].s))
            return profile_perr(ps, t[i].col, "invalid name '%s'", t[i].s);
        r->class_refs =
            profile_grow(r->class_refs, r->n_class_refs, &r->cap_class_refs,
                         sizeof(*r->class_refs));
        r->class_refs[r->n_class_refs++] = profile_ref_make(&t[i], ps->line);
    }
    return 0;
}

int profile_prop_text(struct profile_parser *ps, struct profile_token *t,
                      size_t n)
{
    if (profile_one_text(ps, t, n, 1) != 0 || once(ps, t, PREQ_TEXT) != 0)
        return -1;
    free(ps->cur_req->text);
    ps->cur_req->text = xstrdup(t[1].s);
    return 0;
}

int profile_prop_source(struct profile_parser *ps, struct profile_token *t,
                        size_t n)
{
    if (profile_one_text(ps, t, n, 1) != 0 || once(ps, t, PREQ_SOURCE) != 0)
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
    [PROFILE_INIT_ANY] = "any",         [PROFILE_INIT_INSIDE] = "inside",
    [PROFILE_INIT_OUTSIDE] = "outside", [PROFILE_INIT_EITHER] = "either",
    [PROFILE_INIT_BOTH] = "both",
};

#define NAMES_OF(a) (a), (sizeof(a) / sizeof((a)[0]))

const char *profile_check_name(enum profile_check v)
{
    return (size_t)v < sizeof(check_names) / sizeof(check_names[0])
               ? check_names[v]
               : "?";
}

const char *profile_severity_name(enum profile_severity v)
{
    return (size_t)v < sizeof(severity_names) / sizeof(severity_names[0])
               ? severity_names[v]
               : "?";
}

const char *profile_direction_name(enum profile_direction v)
{
    return (size_t)v < sizeof(direction_names) / sizeof(direction_names[0])
               ? direction_names[v]
               : "?";
}

const char *profile_initiator_name(enum profile_initiator v)
{
    return (size_t)v < sizeof(initiator_names) / sizeof(initiator_names[0])
               ? initiator_names[v]
               : "?";
}

int profile_prop_check(struct profile_parser *ps, struct profile_token *t,
                       size_t n)
{
    struct preq *r = ps->cur_req;
    unsigned long secs;
    int k;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing kind after 'check'");
    k = keyword_index(t[1].s, NAMES_OF(check_names));
    if (k < 0)
        return profile_perr(ps, t[1].col, "unknown check '%s'", t[1].s);
    if (k == PROFILE_CHECK_UDP_TIMEOUT) {
        if (n < 3)
            return profile_perr(ps, t[1].col, "missing seconds after '%s'",
                                t[1].s);
        if (!profile_parse_uint(t[2].s, SECTION_TIMEOUT_MAX, &secs) ||
            secs == 0)
            return profile_perr(ps, t[2].col, "invalid number '%s'", t[2].s);
        if (profile_no_more(ps, t, n, 3) != 0)
            return -1;
        r->pub.check_param = (uint32_t)secs;
    } else if (profile_no_more(ps, t, n, 2) != 0) {
        return -1;
    }
    if (once(ps, t, PREQ_CHECK) != 0)
        return -1;
    r->pub.check = (enum profile_check)k;
    return 0;
}

/* severity, direction and initiator: one keyword each. */
static int enum_prop(struct profile_parser *ps, struct profile_token *t,
                     size_t n, const char *const *names, size_t n_names,
                     const char *expect, enum preq_prop prop)
{
    int k;

    if (n < 2)
        return profile_perr(ps, t[0].col, "missing value after '%s'", t[0].s);
    k = keyword_index(t[1].s, names, n_names);
    if (k < 0)
        return profile_perr(ps, t[1].col, "unknown %s '%s' (expected %s)",
                            t[0].s, t[1].s, expect);
    if (profile_no_more(ps, t, n, 2) != 0 || once(ps, t, prop) != 0)
        return -1;
    return k;
}

int profile_prop_severity(struct profile_parser *ps, struct profile_token *t,
                          size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(severity_names),
                      "error, warning or info", PREQ_SEVERITY);

    if (k < 0)
        return -1;
    ps->cur_req->pub.severity = (enum profile_severity)k;
    return 0;
}

int profile_prop_direction(struct profile_parser *ps, struct profile_token *t,
                           size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(direction_names),
                      "any, out, in or both", PREQ_DIRECTION);

    if (k < 0)
        return -1;
    ps->cur_req->pub.direction = (enum profile_direction)k;
    return 0;
}

int profile_prop_initiator(struct profile_parser *ps, struct profile_token *t,
                           size_t n)
{
    int k = enum_prop(ps, t, n, NAMES_OF(initiator_names),
                      "any, inside, outside, either or both", PREQ_INITIATOR);

    if (k < 0)
        return -1;
    ps->cur_req->pub.initiator = (enum profile_initiator)k;
    return 0;
}
