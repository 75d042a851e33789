/* Longest-prefix match: a path-compressed binary radix (PATRICIA) tree.
 *
 * Each node tests one bit position (its bitlen) and holds the key bits
 * above it.  A node with a value is a stored prefix; a node without one is
 * a "glue" node that only exists to branch, and always has two children
 * (nothing is ever deleted).  Because bits between a parent and a child are
 * skipped, a lookup collects the valued nodes on its path and then checks
 * each one's full prefix against the address, deepest first. */
#include "config.h"

#include "prefix.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct prefix_node {
    uint8_t key[16];            /* bits beyond bitlen are zero */
    unsigned bitlen;            /* prefix length; the bit this node tests */
    void *value;                /* NULL: glue node */
    struct prefix_node *child[2];
    struct prefix_node *parent;
};

struct prefix_tree {
    struct prefix_node *root[2];    /* [0] IPv4, [1] IPv6 */
    size_t count;
};

static unsigned prefix_family_bits(uint8_t family)
{
    return family == 4 ? 32 : 128;
}

/* Bit i of key, counting from the most significant bit of key[0]. */
static unsigned prefix_bit(const uint8_t *key, unsigned i)
{
    return (key[i / 8] >> (7 - i % 8)) & 1u;
}

/* True when the first len bits of a and b agree. */
static bool prefix_bits_equal(const uint8_t *a, const uint8_t *b,
                              unsigned len)
{
    unsigned full = len / 8, rest = len % 8;
    uint8_t mask;

    if (memcmp(a, b, full) != 0)
        return false;
    if (rest == 0)
        return true;
    mask = (uint8_t)(0xffu << (8 - rest));
    return (a[full] & mask) == (b[full] & mask);
}

/* Index of the first bit where a and b differ, or limit if none below. */
static unsigned prefix_first_diff(const uint8_t *a, const uint8_t *b,
                                  unsigned limit)
{
    unsigned i;

    for (i = 0; i < limit; i++) {
        if (i % 8 == 0 && i + 8 <= limit && a[i / 8] == b[i / 8]) {
            i += 7;
            continue;
        }
        if (prefix_bit(a, i) != prefix_bit(b, i))
            return i;
    }
    return limit;
}

/* Copies the first len bits of src into dst and zeroes the rest. */
static void prefix_mask_copy(uint8_t dst[16], const uint8_t *src,
                             unsigned len)
{
    unsigned full = len / 8, rest = len % 8;

    memset(dst, 0, 16);
    memcpy(dst, src, full);
    if (rest)
        dst[full] = (uint8_t)(src[full] & (0xffu << (8 - rest)));
}

static struct prefix_node *prefix_node_new(const uint8_t *key, unsigned len,
                                           void *value)
{
    struct prefix_node *n = xcalloc(1, sizeof(*n));

    prefix_mask_copy(n->key, key, len);
    n->bitlen = len;
    n->value = value;
    return n;
}

struct prefix_tree *prefix_tree_new(void)
{
    return xcalloc(1, sizeof(struct prefix_tree));
}

static void prefix_node_free(struct prefix_node *n)
{
    /* Depth is bounded by 129 levels, so recursion is safe. */
    if (!n)
        return;
    prefix_node_free(n->child[0]);
    prefix_node_free(n->child[1]);
    free(n);
}

void prefix_tree_free(struct prefix_tree *t)
{
    if (!t)
        return;
    prefix_node_free(t->root[0]);
    prefix_node_free(t->root[1]);
    free(t);
}

static int prefix_family_index(uint8_t family)
{
    if (family == 4)
        return 0;
    if (family == 6)
        return 1;
    return -1;
}

/* Puts repl where old hung from its parent (or the root). */
static void prefix_replace_child(struct prefix_node **root,
                                 struct prefix_node *old,
                                 struct prefix_node *repl)
{
    struct prefix_node *parent = old->parent;

    repl->parent = parent;
    if (!parent)
        *root = repl;
    else if (parent->child[0] == old)
        parent->child[0] = repl;
    else
        parent->child[1] = repl;
    old->parent = repl;
}

int prefix_tree_insert(struct prefix_tree *t, const struct ip_prefix *p,
                       void *value)
{
    struct prefix_node **root, *node, *fresh, *glue;
    const uint8_t *key = p->addr.bytes;
    unsigned len = p->len, maxbits, check, diff;
    int fi = prefix_family_index(p->addr.family);

    if (fi < 0 || !value)
        return -1;
    maxbits = prefix_family_bits(p->addr.family);
    if (len > maxbits)
        return -1;
    root = &t->root[fi];
    if (!*root) {
        *root = prefix_node_new(key, len, value);
        t->count++;
        return 0;
    }

    /* Walk down as far as the new key leads; glue nodes always have both
     * children, so the walk ends on a node that holds a key. */
    node = *root;
    while (node->bitlen < len || !node->value) {
        unsigned b = node->bitlen < maxbits ? prefix_bit(key, node->bitlen)
                                            : 0;
        if (!node->child[b])
            break;
        node = node->child[b];
    }

    check = node->bitlen < len ? node->bitlen : len;
    diff = prefix_first_diff(key, node->key, check);

    /* Climb back to the highest node at or below the differing bit. */
    while (node->parent && node->parent->bitlen >= diff)
        node = node->parent;

    if (diff == len && node->bitlen == len) {
        if (node->value)
            return -1;          /* duplicate: refused */
        node->value = value;    /* a glue node becomes a real prefix */
        t->count++;
        return 0;
    }

    fresh = prefix_node_new(key, len, value);
    if (node->bitlen == diff) {
        /* The new prefix extends node: hang it below. */
        unsigned b = prefix_bit(key, node->bitlen);
        fresh->parent = node;
        node->child[b] = fresh;
    } else if (len == diff) {
        /* The new prefix covers node: insert it above. */
        unsigned b = len < maxbits ? prefix_bit(node->key, len) : 0;
        prefix_replace_child(root, node, fresh);
        fresh->child[b] = node;
    } else {
        /* They part at bit diff: a glue node branches there. */
        unsigned b = prefix_bit(key, diff);
        glue = prefix_node_new(key, diff, NULL);
        prefix_replace_child(root, node, glue);
        glue->child[b] = fresh;
        glue->child[!b] = node;
        fresh->parent = glue;
    }
    t->count++;
    return 0;
}

void *prefix_tree_get(const struct prefix_tree *t, const struct ip_prefix *p)
{
    const struct prefix_node *node;
    int fi = prefix_family_index(p->addr.family);

    if (fi < 0 || p->len > prefix_family_bits(p->addr.family))
        return NULL;
    node = t->root[fi];
    while (node && node->bitlen < p->len)
        node = node->child[prefix_bit(p->addr.bytes, node->bitlen)];
    if (!node || node->bitlen != p->len || !node->value)
        return NULL;
    if (!prefix_bits_equal(node->key, p->addr.bytes, p->len))
        return NULL;
    return node->value;
}

size_t prefix_tree_lookup_all(const struct prefix_tree *t,
                              const struct ip_addr *a, void **values,
                              struct ip_prefix *matched, size_t max)
{
    const struct prefix_node *path[PREFIX_MAX_MATCHES];
    const struct prefix_node *node;
    size_t depth = 0, n = 0;
    unsigned maxbits;
    int fi = prefix_family_index(a->family);

    if (fi < 0)
        return 0;
    maxbits = prefix_family_bits(a->family);
    node = t->root[fi];
    while (node) {
        /* Bit lengths strictly grow along a path, so at most maxbits + 1
         * valued nodes can be collected. */
        if (node->value && depth < PREFIX_MAX_MATCHES)
            path[depth++] = node;
        if (node->bitlen >= maxbits)
            break;
        node = node->child[prefix_bit(a->bytes, node->bitlen)];
    }
    while (depth > 0 && n < max) {
        node = path[--depth];
        if (!prefix_bits_equal(node->key, a->bytes, node->bitlen))
            continue;
        values[n] = node->value;
        if (matched) {
            memset(&matched[n], 0, sizeof(matched[n]));
            matched[n].addr.family = a->family;
            memcpy(matched[n].addr.bytes, node->key, sizeof(node->key));
            matched[n].len = (uint8_t)node->bitlen;
        }
        n++;
    }
    return n;
}

void *prefix_tree_lookup(const struct prefix_tree *t, const struct ip_addr *a,
                         struct ip_prefix *matched)
{
    void *value = NULL;

    if (prefix_tree_lookup_all(t, a, &value, matched, 1) == 0)
        return NULL;
    return value;
}

size_t prefix_tree_count(const struct prefix_tree *t)
{
    return t->count;
}
