/* Profile matching: addresses, hostnames and rules to classes.  Lookups
 * never allocate: addresses go through the prefix tree, names through
 * sorted indexes (binary search, then one label less at a time). */
#include "config.h"

#include "profile.h"

#include <string.h>

#include "prefix.h"
#include "profile_internal.h"

/* IP protocol numbers (IANA): TCP 6, UDP 17. */
static bool rule_fits(const struct profile_rule *r, uint8_t proto,
                      uint16_t port)
{
    unsigned flag = proto == 17 ? PROFILE_PROTO_UDP
                  : proto == 6 ? PROFILE_PROTO_TCP : 0;
    size_t i;

    if (!(r->protos & flag))
        return false;
    if (r->any_port)
        return true;
    for (i = 0; i < r->n_ports; i++)
        if (port >= r->ports[i].lo && port <= r->ports[i].hi)
            return true;
    return false;
}

static void match_clear(struct profile_match *m)
{
    if (m)
        memset(m, 0, sizeof(*m));
}

const struct profile_class *profile_match_addr(const struct profile *p,
                                               const struct ip_addr *ip,
                                               uint8_t proto, uint16_t port,
                                               struct profile_match *m)
{
    void *slots[PREFIX_MAX_MATCHES];
    struct ip_prefix pfx[PREFIX_MAX_MATCHES];
    size_t n, i, j;

    match_clear(m);
    n = prefix_tree_lookup_all(p->addr_tree, ip, slots, pfx,
                               PREFIX_MAX_MATCHES);
    for (i = 0; i < n; i++) {
        const struct profile_addr_slot *slot = slots[i];

        for (j = 0; j < slot->n; j++) {
            const struct profile_rule *r = &slot->rules[j]->pub;

            if (!rule_fits(r, proto, port))
                continue;
            if (m) {
                m->cls = r->cls;
                m->rule = r;
                m->by = PROFILE_BY_RANGE;
                m->range = &slot->ranges[j]->pub;
                m->prefix = pfx[i];
            }
            return r->cls;
        }
    }
    for (i = 0; i < p->n_port_rules; i++) {
        const struct profile_rule *r = &p->port_rules[i]->pub;

        if (!rule_fits(r, proto, port))
            continue;
        if (m) {
            m->cls = r->cls;
            m->rule = r;
            m->by = PROFILE_BY_PORT;
        }
        return r->cls;
    }
    return NULL;
}

/* The first entry of a sorted index whose pattern is key, or n. */
static size_t index_lower_bound(const struct profile_host_entry *idx,
                                size_t n, const char *key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(idx[mid].pattern, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Among the entries for key (in rule order), the first whose rule fits
 * the protocol and port, or any when !use_port. */
static const struct profile_host_entry *
index_find(const struct profile_host_entry *idx, size_t n, const char *key,
           bool use_port, uint8_t proto, uint16_t port)
{
    size_t i;

    for (i = index_lower_bound(idx, n, key);
         i < n && strcmp(idx[i].pattern, key) == 0; i++)
        if (!use_port || rule_fits(&idx[i].rule->pub, proto, port))
            return &idx[i];
    return NULL;
}

static const struct profile_class *
match_host(const struct profile *p, const char *name, bool use_port,
           uint8_t proto, uint16_t port, struct profile_match *m)
{
    char buf[PROFILE_HOST_MAX + 2];
    const struct profile_host_entry *en;
    const char *s;
    bool exact = true;

    match_clear(m);
    if (!name || !profile_host_normalise(name, buf))
        return NULL;
    en = index_find(p->exact_idx, p->n_exact_idx, buf, use_port, proto,
                    port);
    /* Longest suffix first: cut one label at a time from the left. */
    for (s = strchr(buf, '.'); !en && s; s = strchr(s + 1, '.')) {
        exact = false;
        en = index_find(p->suffix_idx, p->n_suffix_idx, s + 1, use_port,
                        proto, port);
    }
    if (!en)
        return NULL;
    if (m) {
        m->cls = en->rule->pub.cls;
        m->rule = &en->rule->pub;
        m->by = PROFILE_BY_HOST;
        m->hosts = &en->hosts->pub;
        m->exact = exact;
    }
    return en->rule->pub.cls;
}

const struct profile_class *profile_match_host(const struct profile *p,
                                               const char *name,
                                               struct profile_match *m)
{
    return match_host(p, name, false, 0, 0, m);
}

const struct profile_class *
profile_match_host_port(const struct profile *p, const char *name,
                        uint8_t proto, uint16_t port,
                        struct profile_match *m)
{
    return match_host(p, name, true, proto, port, m);
}

static bool sorted_contains(const char *const *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid], key);

        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool profile_hosts_contains(const struct profile_hosts *h, const char *name)
{
    char buf[PROFILE_HOST_MAX + 2];
    const char *s;

    if (!name || !profile_host_normalise(name, buf))
        return false;
    if (sorted_contains(h->exact, h->n_exact, buf))
        return true;
    for (s = strchr(buf, '.'); s; s = strchr(s + 1, '.'))
        if (sorted_contains(h->suffix, h->n_suffix, s + 1))
            return true;
    return false;
}

bool profile_range_contains(const struct profile_range *r,
                            const struct ip_addr *ip)
{
    return prefix_tree_lookup(r->_tree, ip, NULL) != NULL;
}

bool profile_rule_matches(const struct profile_rule *r,
                          const struct ip_addr *ip, const char *name,
                          uint8_t proto, uint16_t port)
{
    size_t i;

    if (!rule_fits(r, proto, port))
        return false;
    if (r->n_ranges == 0 && r->n_hosts == 0)
        return true;
    for (i = 0; ip && i < r->n_ranges; i++)
        if (profile_range_contains(r->ranges[i], ip))
            return true;
    for (i = 0; name && i < r->n_hosts; i++)
        if (profile_hosts_contains(r->hosts[i], name))
            return true;
    return false;
}
