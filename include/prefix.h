/* Longest-prefix match over IPv4 and IPv6 prefixes: a path-compressed
 * binary radix (PATRICIA) tree per address family.
 *
 * Building the tree allocates (configuration time: xmalloc, exits on
 * exhaustion); lookups never allocate and cost one node per distinct
 * branching bit on the path, at most 33 (IPv4) or 129 (IPv6) nodes.  The
 * tree stores borrowed user pointers and never dereferences them. */
#ifndef RINGSCOPE_PREFIX_H
#define RINGSCOPE_PREFIX_H

#include <stddef.h>

#include "ipaddr.h"

struct prefix_tree;

/* The most matches prefix_tree_lookup_all() can ever report: one per
 * possible prefix length of an IPv6 address (0..128). */
#define PREFIX_MAX_MATCHES 129

/* An empty tree for both families.  Never NULL. */
struct prefix_tree *prefix_tree_new(void);

/* Frees the tree and its nodes, not the values.  Accepts NULL. */
void prefix_tree_free(struct prefix_tree *t);

/* Adds p (family 4 or 6, host bits zero as ipaddr_parse_prefix() leaves
 * them) with a non-NULL value.  A prefix that is already in the tree is
 * refused: the call returns -1 and the stored value stays, so callers that
 * want to merge look the old value up with prefix_tree_get() first.  Also
 * -1 for a NULL value, an unknown family or a length beyond the family's
 * width.  Returns 0 when added. */
int prefix_tree_insert(struct prefix_tree *t, const struct ip_prefix *p,
                       void *value);

/* The value stored for exactly p, or NULL. */
void *prefix_tree_get(const struct prefix_tree *t, const struct ip_prefix *p);

/* The value of the longest prefix containing a, or NULL when none does.
 * When matched is not NULL and a prefix matched, it receives that prefix.
 * Never allocates. */
void *prefix_tree_lookup(const struct prefix_tree *t, const struct ip_addr *a,
                         struct ip_prefix *matched);

/* Every prefix containing a, longest first: writes up to max values (and,
 * when matched is not NULL, their prefixes) and returns how many were
 * written.  With max >= PREFIX_MAX_MATCHES nothing is ever left out.
 * Lets a caller fall back to a shorter prefix when the longest one's data
 * does not fit (a port check, say).  Never allocates. */
size_t prefix_tree_lookup_all(const struct prefix_tree *t,
                              const struct ip_addr *a, void **values,
                              struct ip_prefix *matched, size_t max);

/* Number of prefixes stored (both families). */
size_t prefix_tree_count(const struct prefix_tree *t);

#endif
