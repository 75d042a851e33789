/* The requirement profile: everything provider-specific, loaded from one
 * human-editable text file (format: ringscope-profile(5)).
 *
 * A profile names address ranges, hostname sets and value lists, defines
 * traffic classes with their matching rules and expected DSCP values, and
 * lists the requirements the compliance engine gives verdicts on, each in
 * one or more requirement sets (verdict columns).
 *
 * struct profile is an opaque handle.  The entries it hands out (classes,
 * rules, ranges, host sets, requirements, sets) are transparent values
 * owned by the profile: borrowed, valid and unchanged until profile_free().
 * A loaded profile is read-only, so several threads may query it at once.
 * Matching functions never allocate. */
#ifndef RINGSCOPE_PROFILE_H
#define RINGSCOPE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

struct profile;
struct prefix_tree;

/* The default profile, the text of profiles/ringio.profile compiled into
 * the program (generated src/profile_default.c). */
extern const char ringscope_default_profile[];

/* The name error messages and profile_name() use for the built-in text. */
#define PROFILE_DEFAULT_NAME "ringio.profile"

/* Suggested size of the err buffer of the loaders. */
#define PROFILE_ERR_MAX 512

/* Longest hostname matched, in text form without the trailing dot
 * (RFC 1035: 255 octets on the wire, 253 characters of text). */
#define PROFILE_HOST_MAX 253

enum profile_proto_flags {
    PROFILE_PROTO_UDP = 1u << 0,
    PROFILE_PROTO_TCP = 1u << 1,
};

/* Traffic direction relative to the customer (inside) network. */
enum profile_direction {
    PROFILE_DIR_ANY,            /* not stated */
    PROFILE_DIR_OUT,            /* inside to outside */
    PROFILE_DIR_IN,             /* outside to inside */
    PROFILE_DIR_BOTH,           /* each way */
};

/* Which side must be able to open a flow. */
enum profile_initiator {
    PROFILE_INIT_ANY,           /* not stated */
    PROFILE_INIT_INSIDE,        /* the customer side opens */
    PROFILE_INIT_OUTSIDE,       /* the provider side opens */
    PROFILE_INIT_EITHER,        /* either side; one is evidence enough */
    PROFILE_INIT_BOTH,          /* each side opens flows of its own */
};

enum profile_severity {
    PROFILE_SEV_ERROR,
    PROFILE_SEV_WARNING,
    PROFILE_SEV_INFO,
};

/* What the compliance engine verifies for a requirement.  The engine knows
 * these kinds; the profile says which one applies and to what traffic. */
enum profile_check {
    PROFILE_CHECK_CONNECT,      /* flows in scope open and get answers */
    PROFILE_CHECK_NO_SIP_ALG,   /* no sign of SIP header rewriting */
    PROFILE_CHECK_UDP_TIMEOUT,  /* NAT keeps UDP bindings >= param s */
    PROFILE_CHECK_DSCP,         /* marking matches the class's dscp list */
    PROFILE_CHECK_SINGLE_NAT,   /* no double NAT, no CGNAT */
    PROFILE_CHECK_DNS,          /* the scope's hostnames resolve */
};

/* How an address or name matched. */
enum profile_match_by {
    PROFILE_BY_NONE,
    PROFILE_BY_RANGE,           /* the address is in one of the rule's ranges */
    PROFILE_BY_HOST,            /* the name is in one of the rule's host sets */
    PROFILE_BY_PORT,            /* the rule has neither: protocol and port */
};

/* A named CIDR list ("range NAME CIDR..." lines, merged by name). */
struct profile_range {
    const char *name;
    const struct ip_prefix *prefixes;
    size_t n_prefixes;
    struct prefix_tree *_tree;      /* private: prefixes -> this range */
};

/* A named set of hostname patterns after template expansion: exact names,
 * and suffix patterns stored without their leading "*." (lowercase, no
 * trailing dot). */
struct profile_hosts {
    const char *name;
    const char *const *exact;
    size_t n_exact;
    const char *const *suffix;
    size_t n_suffix;
};

struct profile_port_range {
    uint16_t lo;
    uint16_t hi;
};

struct profile_class;

/* One "match" line: protocols and server ports, and optionally the ranges
 * and host sets the server must be in.  With neither ranges nor hosts the
 * rule matches on protocol and port alone. */
struct profile_rule {
    const struct profile_class *cls;    /* NULL in a requirement's scope */
    unsigned protos;                    /* enum profile_proto_flags */
    bool any_port;
    const struct profile_port_range *ports;     /* sorted, when !any_port */
    size_t n_ports;
    const struct profile_range *const *ranges;
    size_t n_ranges;
    const struct profile_hosts *const *hosts;
    size_t n_hosts;
    unsigned line;                      /* where it is in the profile text */
    size_t index;                       /* position among all rules */
};

struct profile_class {
    const char *name;
    const char *description;            /* "" when not given */
    bool builtin;                       /* sip rtp stun tls http dns other */
    uint64_t dscp_mask;                 /* bit n: DSCP n expected; 0 none */
    const struct profile_rule *const *rules;
    size_t n_rules;
    size_t index;                       /* position among all classes */
};

/* A requirement set: one verdict column ("document", "current"). */
struct profile_set {
    const char *name;
    const char *text;
    unsigned bit;                       /* 1u << position */
};

struct profile_requirement {
    const char *id;                     /* "WEB-MEDIA-NOW" */
    unsigned sets;                      /* OR of profile_set.bit */
    const char *text;                   /* the requirement, for humans */
    const char *source;                 /* where it comes from; "" if none */
    enum profile_check check;
    uint32_t check_param;               /* udp-timeout: seconds; else 0 */
    enum profile_severity severity;
    enum profile_direction direction;
    enum profile_initiator initiator;
    const struct profile_class *const *classes;     /* scope by class */
    size_t n_classes;
    const struct profile_rule *const *scope;        /* scope by traffic */
    size_t n_scope;
    unsigned line;
    size_t index;
};

/* The result of a match, for evidence ("classified by range
 * twilio-media-legacy, 54.172.60.0/23"). */
struct profile_match {
    const struct profile_class *cls;
    const struct profile_rule *rule;
    enum profile_match_by by;
    const struct profile_range *range;  /* PROFILE_BY_RANGE */
    struct ip_prefix prefix;            /* PROFILE_BY_RANGE */
    const struct profile_hosts *hosts;  /* PROFILE_BY_HOST */
    bool exact;                         /* PROFILE_BY_HOST: not a suffix */
};

/* Parses text (NUL-terminated) under the name used in error messages.
 * Returns 0 and sets *out, or -1 with *out NULL and err holding one line
 * "NAME:LINE:COL: message" (LINE and COL 1-based; COL counts bytes, a tab
 * is one).  Exit status 2 is the caller's business. */
int profile_load_text(const char *name, const char *text,
                      struct profile **out, char *err, size_t errlen);

/* Reads and parses a file; error messages carry path as given.  Files over
 * 1 MiB and files containing NUL bytes are refused. */
int profile_load_file(const char *path, struct profile **out, char *err,
                      size_t errlen);

/* Loads ringscope_default_profile under PROFILE_DEFAULT_NAME. */
int profile_load_default(struct profile **out, char *err, size_t errlen);

/* Accepts NULL. */
void profile_free(struct profile *p);

/* The "profile" line's name and title, or the load name and "". */
const char *profile_name(const struct profile *p);
const char *profile_title(const struct profile *p);

/* The text exactly as loaded, for storing with the results. */
const char *profile_text(const struct profile *p);

/* Classes in order: the built-in ones (sip rtp stun tls http dns other)
 * first, then the profile's in file order. */
size_t profile_class_count(const struct profile *p);
const struct profile_class *profile_class_at(const struct profile *p,
                                             size_t i);
const struct profile_class *profile_class_find(const struct profile *p,
                                               const char *name);

size_t profile_requirement_count(const struct profile *p);
const struct profile_requirement *
profile_requirement_at(const struct profile *p, size_t i);
const struct profile_requirement *
profile_requirement_find(const struct profile *p, const char *id);

size_t profile_set_count(const struct profile *p);
const struct profile_set *profile_set_at(const struct profile *p, size_t i);
const struct profile_set *profile_set_find(const struct profile *p,
                                           const char *name);

const struct profile_range *profile_range_find(const struct profile *p,
                                               const char *name);
const struct profile_hosts *profile_hosts_find(const struct profile *p,
                                               const char *name);

/* All rules of all classes in file order (requirement scopes excluded). */
size_t profile_rule_count(const struct profile *p);
const struct profile_rule *profile_rule_at(const struct profile *p,
                                           size_t i);

/* Classifies a name seen in SNI, DNS or a Host header (any case, a
 * trailing dot allowed).  An exact name beats a suffix pattern, a longer
 * suffix beats a shorter one, and among equals the rule that comes first
 * in the file wins.  Ports are not considered.  Returns the class or NULL;
 * fills *m (may be NULL). */
const struct profile_class *profile_match_host(const struct profile *p,
                                               const char *name,
                                               struct profile_match *m);

/* The same, among rules whose protocol (IP protocol number) and port
 * (the server's) fit: "global.turn.twilio.com" on TCP 443 vs UDP 3478. */
const struct profile_class *
profile_match_host_port(const struct profile *p, const char *name,
                        uint8_t proto, uint16_t port,
                        struct profile_match *m);

/* Classifies a server endpoint by address.  Range rules come first: the
 * longest matching prefix whose rules fit proto and port wins, falling back
 * to shorter prefixes, then file order; then rules with neither ranges nor
 * hosts (protocol and port only) in file order.  Returns the class or
 * NULL; fills *m (may be NULL). */
const struct profile_class *profile_match_addr(const struct profile *p,
                                               const struct ip_addr *ip,
                                               uint8_t proto, uint16_t port,
                                               struct profile_match *m);

/* True when a flow's server endpoint satisfies rule r: protocol and port
 * fit, and the address is in one of its ranges or the name (may be NULL)
 * in one of its host sets (or the rule has neither). */
bool profile_rule_matches(const struct profile_rule *r,
                          const struct ip_addr *ip, const char *name,
                          uint8_t proto, uint16_t port);

bool profile_range_contains(const struct profile_range *r,
                            const struct ip_addr *ip);
bool profile_hosts_contains(const struct profile_hosts *h, const char *name);

/* True when the class lists dscp (0..63) among its expected values. */
bool profile_class_expects_dscp(const struct profile_class *c,
                                unsigned dscp);

/* Names as written in the profile ("connect", "udp-timeout", ...). */
const char *profile_check_name(enum profile_check check);
const char *profile_severity_name(enum profile_severity sev);
const char *profile_direction_name(enum profile_direction dir);
const char *profile_initiator_name(enum profile_initiator init);

#endif
