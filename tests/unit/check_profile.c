/* Unit tests for the requirement profile (profile.h): the text format,
 * every error message, the matchers, and the shipped ringio.profile. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipaddr.h"
#include "profile.h"

/* ------------------------------------------------------------------ */
/* Helpers */

static struct profile *load_ok(const char *text)
{
    char err[PROFILE_ERR_MAX] = "";
    struct profile *p = NULL;
    int rc = profile_load_text("t.profile", text, &p, err, sizeof(err));

    ck_assert_msg(rc == 0, "load failed: %s", err);
    ck_assert_ptr_nonnull(p);
    return p;
}

static const char *class_of_addr(const struct profile *p, const char *ip,
                                 int proto, int port)
{
    struct ip_addr a;
    const struct profile_class *c;

    ck_assert_int_eq(ipaddr_parse(ip, &a), 0);
    c = profile_match_addr(p, &a, (uint8_t)proto, (uint16_t)port, NULL);
    return c ? c->name : "(none)";
}

static const char *class_of_host(const struct profile *p, const char *name)
{
    const struct profile_class *c = profile_match_host(p, name, NULL);

    return c ? c->name : "(none)";
}

static const char *class_of_host_port(const struct profile *p,
                                      const char *name, int proto, int port)
{
    const struct profile_class *c =
        profile_match_host_port(p, name, (uint8_t)proto, (uint16_t)port,
                                NULL);

    return c ? c->name : "(none)";
}

/* The source tree, where the shipped profile lives: "make check" exports
 * top_srcdir; by hand, run from the source tree or set it. */
static const char *srcdir(void)
{
    const char *d = getenv("top_srcdir");

    return d ? d : ".";
}

/* ------------------------------------------------------------------ */
/* A small profile that exercises every directive */

static const char small_profile[] =
    "# A test profile.\n"
    "profile small \"Small \\\"test\\\" profile # not a comment\"\n"
    "requirement-set doc \"As written\"\n"
    "requirement-set now \"As it is\"\n"
    "\n"
    "list reg = au1 US1\n"
    "list pop = a b\n"
    "range media 192.0.2.0/24 2001:db8::/32   # two families\n"
    "range media 198.51.100.0/24\n"
    "range sig 192.0.2.0/28\n"
    "range wide 192.0.0.0/8\n"
    "hosts sig-names gw-{reg}.example.com\tGW.Example.NET.\n"
    "hosts sig-names x-{reg}-{pop}.example.com\n"
    "hosts wild *.example.org *.eu.example.org\n"
    "hosts exact www.example.org\n"
    "hosts empty\n"
    "hosts turn turn.example.com\n"
    "\r\n"
    "class c-sig\r\n"
    "    description \"signaling\"\n"
    "    match tcp 443 hosts sig-names\n"
    "    match udp,tcp 5060-5062,5070 range sig\n"
    "class c-media\n"
    "    dscp ef 34 AF31\n"
    "    match udp 10000-20000 range media\n"
    "    match udp any range wide\n"
    "class c-wild\n"
    "    match tcp 443 hosts wild\n"
    "class c-exact\n"
    "    match tcp 443 hosts exact empty\n"
    "class c-turn-tcp\n"
    "    match tcp 443 hosts turn\n"
    "class c-turn-udp\n"
    "    match udp 3478 hosts turn\n"
    "class c-xmpp\n"
    "    match tcp 5222\n"
    "class sip\n"
    "    dscp cs3 26 cs5\n"
    "requirement R-ONE   # first\n"
    "    set doc now\n"
    "    text \"first requirement\"\n"
    "    source \"somewhere\"\n"
    "    check udp-timeout 120\n"
    "    severity warning\n"
    "    direction both\n"
    "    initiator either\n"
    "    classes c-sig c-later\n"
    "    match udp 10000-20000 range media\n"
    "requirement R-TWO\n"
    "    set now\n"
    "    text plain\n"
    "class c-later\n";

START_TEST(test_small_profile_accessors)
{
    struct profile *p = load_ok(small_profile);
    const struct profile_requirement *r;
    const struct profile_class *c;
    const struct profile_hosts *h;
    const struct profile_set *s;

    ck_assert_str_eq(profile_name(p), "small");
    ck_assert_str_eq(profile_title(p),
                     "Small \"test\" profile # not a comment");
    ck_assert_str_eq(profile_text(p), small_profile);

    /* Built-in classes first, then the profile's in file order. */
    ck_assert_uint_eq(profile_class_count(p), 7 + 8);
    ck_assert_str_eq(profile_class_at(p, 0)->name, "sip");
    ck_assert(profile_class_at(p, 6)->builtin);
    ck_assert_str_eq(profile_class_at(p, 6)->name, "other");
    ck_assert_str_eq(profile_class_at(p, 7)->name, "c-sig");
    ck_assert(!profile_class_at(p, 7)->builtin);
    ck_assert_str_eq(profile_class_at(p, 14)->name, "c-later");
    ck_assert_ptr_null(profile_class_at(p, 15));
    ck_assert_uint_eq(profile_class_at(p, 14)->index, 14);

    c = profile_class_find(p, "c-sig");
    ck_assert_str_eq(c->description, "signaling");
    ck_assert_uint_eq(c->n_rules, 2);
    ck_assert_uint_eq(c->rules[1]->protos,
                      PROFILE_PROTO_UDP | PROFILE_PROTO_TCP);
    ck_assert_uint_eq(c->rules[1]->n_ports, 2);
    ck_assert_uint_eq(c->rules[1]->ports[0].lo, 5060);
    ck_assert_uint_eq(c->rules[1]->ports[0].hi, 5062);
    ck_assert_uint_eq(c->rules[1]->ports[1].lo, 5070);
    ck_assert_uint_eq(c->rules[1]->line, 22);
    ck_assert_ptr_eq(c->rules[1]->cls, c);
    ck_assert_str_eq(c->rules[1]->ranges[0]->name, "sig");
    ck_assert_str_eq(profile_class_find(p, "c-media")->description, "");
    ck_assert_uint_eq(profile_rule_count(p), 9);
    ck_assert_ptr_eq(profile_rule_at(p, 0), c->rules[0]);

    /* DSCP: names and numbers, on a profile class and a built-in one. */
    c = profile_class_find(p, "c-media");
    ck_assert(profile_class_expects_dscp(c, 46));
    ck_assert(profile_class_expects_dscp(c, 34));
    ck_assert(profile_class_expects_dscp(c, 26));
    ck_assert(!profile_class_expects_dscp(c, 0));
    ck_assert(!profile_class_expects_dscp(c, 64));
    c = profile_class_find(p, "sip");
    ck_assert_uint_eq(c->dscp_mask, (UINT64_C(1) << 24) |
                                        (UINT64_C(1) << 26) |
                                        (UINT64_C(1) << 40));
    ck_assert_str_eq(c->description, "SIP to or from anyone else");
    ck_assert_uint_eq(profile_class_find(p, "rtp")->dscp_mask, 0);

    /* Templates expand to lowercase names; duplicates collapse; the
     * trailing dot goes. */
    h = profile_hosts_find(p, "sig-names");
    ck_assert_uint_eq(h->n_exact, 7);
    ck_assert_str_eq(h->exact[0], "gw-au1.example.com");
    ck_assert_str_eq(h->exact[1], "gw-us1.example.com");
    ck_assert_str_eq(h->exact[2], "gw.example.net");
    ck_assert_str_eq(h->exact[3], "x-au1-a.example.com");
    ck_assert_str_eq(h->exact[6], "x-us1-b.example.com");
    ck_assert_uint_eq(h->n_suffix, 0);
    h = profile_hosts_find(p, "wild");
    ck_assert_uint_eq(h->n_suffix, 2);
    ck_assert_str_eq(h->suffix[0], "eu.example.org");
    ck_assert_uint_eq(profile_hosts_find(p, "empty")->n_exact, 0);
    ck_assert_ptr_null(profile_hosts_find(p, "nope"));

    ck_assert_uint_eq(profile_range_find(p, "media")->n_prefixes, 3);
    ck_assert_ptr_null(profile_range_find(p, "nope"));

    /* Requirement sets and requirements. */
    ck_assert_uint_eq(profile_set_count(p), 2);
    s = profile_set_find(p, "now");
    ck_assert_str_eq(s->text, "As it is");
    ck_assert_uint_eq(s->bit, 2);
    ck_assert_ptr_eq(profile_set_at(p, 0), profile_set_find(p, "doc"));
    ck_assert_ptr_null(profile_set_at(p, 2));
    ck_assert_uint_eq(profile_requirement_count(p), 2);
    r = profile_requirement_find(p, "R-ONE");
    ck_assert_ptr_eq(r, profile_requirement_at(p, 0));
    ck_assert_uint_eq(r->sets, 3);
    ck_assert_str_eq(r->text, "first requirement");
    ck_assert_str_eq(r->source, "somewhere");
    ck_assert_int_eq(r->check, PROFILE_CHECK_UDP_TIMEOUT);
    ck_assert_uint_eq(r->check_param, 120);
    ck_assert_int_eq(r->severity, PROFILE_SEV_WARNING);
    ck_assert_int_eq(r->direction, PROFILE_DIR_BOTH);
    ck_assert_int_eq(r->initiator, PROFILE_INIT_EITHER);
    ck_assert_uint_eq(r->n_classes, 2);
    ck_assert_str_eq(r->classes[1]->name, "c-later");
    ck_assert_uint_eq(r->n_scope, 1);
    ck_assert_ptr_null(r->scope[0]->cls);
    ck_assert_str_eq(r->scope[0]->ranges[0]->name, "media");
    ck_assert_uint_eq(r->line, 39);
    r = profile_requirement_find(p, "R-TWO");
    ck_assert_uint_eq(r->sets, 2);
    ck_assert_str_eq(r->text, "plain");
    ck_assert_str_eq(r->source, "");
    ck_assert_int_eq(r->check, PROFILE_CHECK_CONNECT);
    ck_assert_int_eq(r->severity, PROFILE_SEV_ERROR);
    ck_assert_int_eq(r->direction, PROFILE_DIR_ANY);
    ck_assert_int_eq(r->initiator, PROFILE_INIT_ANY);
    ck_assert_uint_eq(r->index, 1);
    ck_assert_ptr_null(profile_requirement_find(p, "R-THREE"));
    ck_assert_ptr_null(profile_requirement_at(p, 2));
    profile_free(p);
}
END_TEST

/* The example of ringscope-profile(5), EXAMPLES. */
static const char manual_example[] =
    "# My provider (sources in comments)\n"
    "profile acme \"ACME voice service\"\n"
    "requirement-set current \"ACME's published requirements\"\n"
    "\n"
    "list pop = fra1 ams1\n"
    "range acme-sip 192.0.2.0/28          # ACME firewall guide\n"
    "range acme-media 198.51.100.0/24     # ACME firewall guide\n"
    "hosts acme-sig sip-{pop}.acme.example *.edge.acme.example\n"
    "\n"
    "class provider-sip\n"
    "    description \"SIP to ACME\"\n"
    "    dscp cs3 af31 cs5\n"
    "    match udp,tcp 5060 range acme-sip\n"
    "    match tcp 5061 range acme-sip hosts acme-sig\n"
    "class provider-media\n"
    "    dscp ef\n"
    "    match udp 16384-32767 range acme-media\n"
    "\n"
    "requirement ACME-MEDIA\n"
    "    set current\n"
    "    text \"RTP to and from 198.51.100.0/24, UDP 16384-32767\"\n"
    "    check connect\n"
    "    direction both\n"
    "    initiator both\n"
    "    classes provider-media\n";

START_TEST(test_manual_example)
{
    struct profile *p = load_ok(manual_example);

    ck_assert_str_eq(profile_title(p), "ACME voice service");
    ck_assert_str_eq(class_of_host_port(p, "SIP-AMS1.acme.example", 6, 5061),
                     "provider-sip");
    ck_assert_str_eq(class_of_host_port(p, "x.edge.acme.example", 6, 5060),
                     "(none)");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.3", 17, 5060),
                     "provider-sip");
    ck_assert_str_eq(class_of_addr(p, "198.51.100.9", 17, 20000),
                     "provider-media");
    ck_assert_int_eq(profile_requirement_find(p, "ACME-MEDIA")->initiator,
                     PROFILE_INIT_BOTH);
    profile_free(p);
}
END_TEST

START_TEST(test_profile_without_profile_line)
{
    struct profile *p = load_ok("# nothing but a comment\n\n   \n");

    ck_assert_str_eq(profile_name(p), "t.profile");
    ck_assert_str_eq(profile_title(p), "");
    ck_assert_uint_eq(profile_class_count(p), 7);
    ck_assert_uint_eq(profile_requirement_count(p), 0);
    profile_free(p);
    profile_free(NULL);
}
END_TEST

START_TEST(test_names_of_enums)
{
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_CONNECT), "connect");
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_NO_SIP_ALG),
                     "no-sip-alg");
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_UDP_TIMEOUT),
                     "udp-timeout");
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_DSCP), "dscp");
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_SINGLE_NAT),
                     "single-nat");
    ck_assert_str_eq(profile_check_name(PROFILE_CHECK_DNS), "dns");
    ck_assert_str_eq(profile_severity_name(PROFILE_SEV_INFO), "info");
    ck_assert_str_eq(profile_direction_name(PROFILE_DIR_IN), "in");
    ck_assert_str_eq(profile_initiator_name(PROFILE_INIT_OUTSIDE),
                     "outside");
    ck_assert_str_eq(profile_initiator_name(PROFILE_INIT_BOTH), "both");
}
END_TEST

/* ------------------------------------------------------------------ */
/* Matching */

START_TEST(test_match_addr)
{
    struct profile *p = load_ok(small_profile);
    struct profile_match m;
    struct ip_addr a;
    char buf[IPADDR_STRLEN];

    /* 192.0.2.5 is in sig /28, media /24 and wide /8: the longest prefix
     * whose rule fits the port wins, falling back to shorter ones. */
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 17, 5060), "c-sig");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 6, 5070), "c-sig");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 17, 15000), "c-media");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 17, 30000), "c-media");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 6, 30000), "(none)");
    ck_assert_str_eq(class_of_addr(p, "192.0.2.200", 17, 5060), "c-media");
    ck_assert_str_eq(class_of_addr(p, "2001:db8::7", 17, 10000), "c-media");
    ck_assert_str_eq(class_of_addr(p, "2001:db8::7", 17, 9999), "(none)");
    ck_assert_str_eq(class_of_addr(p, "203.0.113.1", 17, 15000), "(none)");
    /* Port-only rules come after every range rule. */
    ck_assert_str_eq(class_of_addr(p, "203.0.113.1", 6, 5222), "c-xmpp");
    ck_assert_str_eq(class_of_addr(p, "203.0.113.1", 17, 5222), "(none)");
    /* Neither TCP nor UDP. */
    ck_assert_str_eq(class_of_addr(p, "192.0.2.5", 132, 5060), "(none)");

    ck_assert_int_eq(ipaddr_parse("192.0.2.5", &a), 0);
    ck_assert_ptr_nonnull(profile_match_addr(p, &a, 17, 15000, &m));
    ck_assert_int_eq(m.by, PROFILE_BY_RANGE);
    ck_assert_str_eq(m.range->name, "media");
    ck_assert_str_eq(ipaddr_format(&m.prefix.addr, buf), "192.0.2.0");
    ck_assert_uint_eq(m.prefix.len, 24);
    ck_assert_str_eq(m.cls->name, "c-media");
    ck_assert_uint_eq(m.rule->line, 25);
    ck_assert_ptr_nonnull(profile_match_addr(p, &a, 17, 30000, &m));
    ck_assert_str_eq(m.range->name, "wide");
    ck_assert_uint_eq(m.prefix.len, 8);
    ck_assert_ptr_nonnull(profile_match_addr(p, &a, 6, 5222, &m));
    ck_assert_int_eq(m.by, PROFILE_BY_PORT);
    ck_assert_ptr_null(m.range);
    ck_assert_ptr_null(profile_match_addr(p, &a, 6, 1, &m));
    ck_assert_int_eq(m.by, PROFILE_BY_NONE);
    ck_assert_ptr_null(m.cls);
    profile_free(p);
}
END_TEST

START_TEST(test_match_host)
{
    struct profile *p = load_ok(small_profile);
    struct profile_match m;

    ck_assert_str_eq(class_of_host(p, "gw-us1.example.com"), "c-sig");
    /* Case and one trailing dot do not matter. */
    ck_assert_str_eq(class_of_host(p, "GW-US1.Example.Com."), "c-sig");
    ck_assert_str_eq(class_of_host(p, "gw.example.net"), "c-sig");
    ck_assert_str_eq(class_of_host(p, "gw-us2.example.com"), "(none)");
    ck_assert_str_eq(class_of_host(p, "gw-us1.example.com.."), "(none)");
    ck_assert_str_eq(class_of_host(p, ""), "(none)");
    ck_assert_str_eq(class_of_host(p, "."), "(none)");
    ck_assert_str_eq(class_of_host(p, NULL), "(none)");
    /* Exact beats suffix even when the suffix rule comes first. */
    ck_assert_str_eq(class_of_host(p, "www.example.org"), "c-exact");
    ck_assert_str_eq(class_of_host(p, "ftp.example.org"), "c-wild");
    /* "*.example.org" needs one more label. */
    ck_assert_str_eq(class_of_host(p, "example.org"), "(none)");
    ck_assert_str_eq(class_of_host(p, "a.b.example.org"), "c-wild");
    ck_assert_str_eq(class_of_host(p, "x.eu.example.org"), "c-wild");
    ck_assert_str_eq(class_of_host(p, "xexample.org"), "(none)");

    ck_assert_ptr_nonnull(profile_match_host(p, "x.eu.example.org", &m));
    ck_assert_int_eq(m.by, PROFILE_BY_HOST);
    ck_assert(!m.exact);
    ck_assert_str_eq(m.hosts->name, "wild");
    ck_assert_ptr_nonnull(profile_match_host(p, "www.example.org", &m));
    ck_assert(m.exact);
    ck_assert_str_eq(m.hosts->name, "exact");

    /* The same name under two rules: without ports the first rule in the
     * file wins; with ports, the rule that fits. */
    ck_assert_str_eq(class_of_host(p, "turn.example.com"), "c-turn-tcp");
    ck_assert_str_eq(class_of_host_port(p, "turn.example.com", 17, 3478),
                     "c-turn-udp");
    ck_assert_str_eq(class_of_host_port(p, "turn.example.com", 6, 443),
                     "c-turn-tcp");
    ck_assert_str_eq(class_of_host_port(p, "turn.example.com", 6, 80),
                     "(none)");
    profile_free(p);
}
END_TEST

START_TEST(test_longest_suffix_wins)
{
    struct profile *p = load_ok(
        "hosts short *.example.com\n"
        "hosts long *.eu.example.com\n"
        "class c-short\n"
        "    match tcp 443 hosts short\n"
        "class c-long\n"
        "    match tcp 443 hosts long\n");

    ck_assert_str_eq(class_of_host(p, "a.eu.example.com"), "c-long");
    ck_assert_str_eq(class_of_host(p, "a.b.eu.example.com"), "c-long");
    ck_assert_str_eq(class_of_host(p, "eu.example.com"), "c-short");
    ck_assert_str_eq(class_of_host(p, "a.us.example.com"), "c-short");
    profile_free(p);
}
END_TEST

START_TEST(test_rule_and_set_membership)
{
    struct profile *p = load_ok(small_profile);
    const struct profile_class *sig = profile_class_find(p, "c-sig");
    const struct profile_rule *by_host = sig->rules[0];
    const struct profile_rule *by_range = sig->rules[1];
    const struct profile_rule *by_port =
        profile_class_find(p, "c-xmpp")->rules[0];
    struct ip_addr in, out;

    ck_assert_int_eq(ipaddr_parse("192.0.2.1", &in), 0);
    ck_assert_int_eq(ipaddr_parse("192.0.2.100", &out), 0);
    ck_assert(profile_rule_matches(by_range, &in, NULL, 17, 5061));
    ck_assert(!profile_rule_matches(by_range, &out, NULL, 17, 5061));
    ck_assert(!profile_rule_matches(by_range, &in, NULL, 17, 5063));
    ck_assert(!profile_rule_matches(by_range, NULL, NULL, 17, 5061));
    ck_assert(profile_rule_matches(by_host, NULL, "gw-au1.example.com", 6,
                                   443));
    ck_assert(profile_rule_matches(by_host, &out, "gw-au1.example.com.", 6,
                                   443));
    ck_assert(!profile_rule_matches(by_host, &in, "other.example.com", 6,
                                    443));
    ck_assert(!profile_rule_matches(by_host, NULL, "gw-au1.example.com",
                                    17, 443));
    ck_assert(profile_rule_matches(by_port, &out, NULL, 6, 5222));
    ck_assert(!profile_rule_matches(by_port, &out, NULL, 6, 5223));

    ck_assert(profile_range_contains(profile_range_find(p, "media"), &in));
    ck_assert(!profile_range_contains(profile_range_find(p, "sig"), &out));
    ck_assert(profile_hosts_contains(profile_hosts_find(p, "wild"),
                                     "A.Example.Org"));
    ck_assert(!profile_hosts_contains(profile_hosts_find(p, "wild"),
                                      "example.org"));
    ck_assert(profile_hosts_contains(profile_hosts_find(p, "exact"),
                                     "www.example.org."));
    ck_assert(!profile_hosts_contains(profile_hosts_find(p, "exact"),
                                      "w.www.example.org"));
    profile_free(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Errors: every message, with its exact position */

struct bad_case {
    const char *text;
    const char *message;
};

/* A header that the requirement cases share (two lines). */
#define SETS "requirement-set s \"S\"\nclass c\n"

static const struct bad_case bad_cases[] = {
    /* Lexical. */
    {"clas foo\n", "t.profile:1:1: unknown directive 'clas'"},
    {"\"class\" c\n", "t.profile:1:1: unknown directive 'class'"},
    {"profile x \"abc\n", "t.profile:1:11: unterminated string"},
    {"profile x \"abc\\", "t.profile:1:11: unterminated string"},
    {"profile x \"a\\nb\"\n", "t.profile:1:13: unknown escape '\\n' in string"},
    {"profile x \"a\"b\n",
     "t.profile:1:14: missing space after the closing quote"},
    {"profile x ab\"c\"\n", "t.profile:1:13: unexpected '\"' inside a word"},
    {"profile x\001\n", "t.profile:1:10: invalid character 0x01"},
    {"profile x \"a\002\"\n", "t.profile:1:13: invalid character 0x02"},
    {"profile x \"a\177\"\n", "t.profile:1:13: invalid character 0x7f"},
    {"profile x\177y\n", "t.profile:1:10: invalid character 0x7f"},
    /* Arguments. */
    {"range\n", "t.profile:1:1: missing name after 'range'"},
    {"profile\n", "t.profile:1:1: missing name after 'profile'"},
    {"requirement\n", "t.profile:1:1: missing ID after 'requirement'"},
    {"class foo bar\n", "t.profile:1:11: unexpected 'bar'"},
    {"profile a b c\n",
     "t.profile:1:13: unexpected 'c' (put text with spaces in quotes)"},
    {"requirement-set s\n",
     "t.profile:1:1: missing text after 'requirement-set'"},
    {"range -x 10.0.0.0/8\n", "t.profile:1:7: invalid name '-x'"},
    {"range hosts 10.0.0.0/8\n", "t.profile:1:7: invalid name 'hosts'"},
    {"class a/b\n", "t.profile:1:7: invalid name 'a/b'"},
    {"class "
     "a234567890123456789012345678901234567890123456789012345678901234"
     "5\n",
     "t.profile:1:7: invalid name "
     "'a234567890123456789012345678901234567890123456789012345678901234"
     "5'"},
    /* Profile and sets. */
    {"profile a\nprofile b\n", "t.profile:2:1: duplicate 'profile'"},
    {"requirement-set s \"S\"\nrequirement-set s \"T\"\n",
     "t.profile:2:17: duplicate requirement set 's'"},
    {"requirement-set s0 x\nrequirement-set s1 x\nrequirement-set s2 x\n"
     "requirement-set s3 x\nrequirement-set s4 x\nrequirement-set s5 x\n"
     "requirement-set s6 x\nrequirement-set s7 x\nrequirement-set s8 x\n"
     "requirement-set s9 x\nrequirement-set s10 x\nrequirement-set s11 x\n"
     "requirement-set s12 x\nrequirement-set s13 x\nrequirement-set s14 x\n"
     "requirement-set s15 x\nrequirement-set s16 x\nrequirement-set s17 x\n"
     "requirement-set s18 x\nrequirement-set s19 x\nrequirement-set s20 x\n"
     "requirement-set s21 x\nrequirement-set s22 x\nrequirement-set s23 x\n"
     "requirement-set s24 x\nrequirement-set s25 x\nrequirement-set s26 x\n"
     "requirement-set s27 x\nrequirement-set s28 x\nrequirement-set s29 x\n"
     "requirement-set s30 x\nrequirement-set s31 x\nrequirement-set s32 x\n",
     "t.profile:33:17: too many requirement sets (at most 32)"},
    /* Lists. */
    {"list a x\n", "t.profile:1:8: expected '=' after the list name"},
    {"list a\n", "t.profile:1:6: expected '=' after the list name"},
    {"list a \"=\" x\n", "t.profile:1:8: expected '=' after the list name"},
    {"list a =\n", "t.profile:1:8: missing value after '='"},
    {"list a = x.y\n", "t.profile:1:10: invalid list value 'x.y'"},
    {"list a = x\nlist a = y\n", "t.profile:2:6: duplicate list 'a'"},
    /* Ranges. */
    {"range r 10.0.0.1/8\n",
     "t.profile:1:9: invalid address prefix '10.0.0.1/8'"},
    {"range r 10.0.0.0/8 2001:db8::/129\n",
     "t.profile:1:20: invalid address prefix '2001:db8::/129'"},
    {"range r 10.0.0.0/8\nrange r 10.0.0.0/8\n",
     "t.profile:2:9: duplicate prefix '10.0.0.0/8' in range 'r'"},
    /* Hostname patterns. */
    {"hosts h a-{reg}.example.com\n", "t.profile:1:11: unknown list 'reg'"},
    {"hosts h a..example.com\n",
     "t.profile:1:9: invalid hostname pattern 'a..example.com'"},
    {"hosts h foo.*.example.com\n",
     "t.profile:1:9: invalid hostname pattern 'foo.*.example.com'"},
    {"hosts h *\n", "t.profile:1:9: invalid hostname pattern '*'"},
    {"hosts h a_b.com a{x\n", "t.profile:1:17: invalid hostname pattern 'a{x'"},
    {"hosts h a}.com\n", "t.profile:1:9: invalid hostname pattern 'a}.com'"},
    {"hosts h a{}.com\n", "t.profile:1:9: invalid hostname pattern 'a{}.com'"},
    {"hosts h a/b.com\n", "t.profile:1:9: invalid hostname pattern 'a/b.com'"},
    {"hosts h "
     "a123456789012345678901234567890123456789012345678901234567890123"
     ".com\n",
     "t.profile:1:9: invalid hostname pattern "
     "'a123456789012345678901234567890123456789012345678901234567890123"
     ".com'"},
    {"list a = v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 w0 w1 w2 w3 w4 w5 w6\n"
     "hosts h {a}{a}{a}.example.com\n",
     "t.profile:2:9: hostname pattern '{a}{a}{a}.example.com' expands to "
     "more than 4096 names"},
    /* Sections. */
    {"match udp 1\n",
     "t.profile:1:1: 'match' is only valid in a class or requirement "
     "section"},
    {"dscp 46\n", "t.profile:1:1: 'dscp' is only valid in a class section"},
    {"description x\n",
     "t.profile:1:1: 'description' is only valid in a class section"},
    {SETS "requirement R\ndscp 46\n",
     "t.profile:4:1: 'dscp' is only valid in a class section"},
    {"text x\n", "t.profile:1:1: 'text' is only valid in a requirement "
                 "section"},
    {"class c\nset s\n",
     "t.profile:2:1: 'set' is only valid in a requirement section"},
    {"class c\nclass c\n", "t.profile:2:7: duplicate class 'c'"},
    {"class sip\nclass sip\n", "t.profile:2:7: duplicate class 'sip'"},
    {"class c\ndescription a\ndescription b\n",
     "t.profile:3:1: duplicate 'description' in class 'c'"},
    {"class c\ndescription\n",
     "t.profile:2:1: missing text after 'description'"},
    /* Class properties. */
    {"class c\ndscp\n", "t.profile:2:1: missing value after 'dscp'"},
    {"class c\ndscp 64\n", "t.profile:2:6: invalid DSCP value '64'"},
    {"class c\ndscp ef xx\n", "t.profile:2:9: invalid DSCP value 'xx'"},
    {"class c\nmatch\n", "t.profile:2:1: missing protocol after 'match'"},
    {"class c\nmatch udp\n", "t.profile:2:1: missing ports after 'match'"},
    {"class c\nmatch udp,sctp 5\n", "t.profile:2:11: unknown protocol 'sctp'"},
    {"class c\nmatch udp, 5\n", "t.profile:2:11: unknown protocol ''"},
    {"class c\nmatch udp 70000\n", "t.profile:2:11: invalid port '70000'"},
    {"class c\nmatch udp 5,x-9\n", "t.profile:2:13: invalid port 'x-9'"},
    {"class c\nmatch udp 5,\n", "t.profile:2:13: invalid port ''"},
    {"class c\nmatch udp 1-\n", "t.profile:2:11: invalid port '1-'"},
    {"class c\nmatch udp 20-10\n",
     "t.profile:2:11: invalid port range '20-10'"},
    {"class c\nmatch udp 1 foo\n", "t.profile:2:13: unexpected 'foo'"},
    {"class c\nmatch udp 1 range\n",
     "t.profile:2:13: missing name after 'range'"},
    {"class c\nmatch udp 1 hosts range r\n",
     "t.profile:2:13: missing name after 'hosts'"},
    {"class c\nmatch udp 1 range r/1\n", "t.profile:2:19: invalid name 'r/1'"},
    {"class c\nmatch udp 1 range nope\n",
     "t.profile:2:19: unknown range 'nope'"},
    {"range r 10.0.0.0/8\nclass c\nmatch udp 1 range r hosts nope\n",
     "t.profile:3:27: unknown hosts 'nope'"},
    {"class sip\nmatch udp 5060\n",
     "t.profile:2:1: class 'sip' is built in and cannot have match rules"},
    /* Requirements. */
    {"requirement R\nrequirement R\n",
     "t.profile:2:13: duplicate requirement 'R'"},
    {SETS "requirement R\nset s\n",
     "t.profile:3:13: requirement 'R' has no text"},
    {SETS "requirement R\ntext x\n",
     "t.profile:3:13: requirement 'R' is in no requirement set"},
    {SETS "requirement R\ntext x\nset t\n",
     "t.profile:5:5: unknown requirement set 't'"},
    {SETS "requirement R\ntext x\nset s\nclasses c d\n",
     "t.profile:6:11: unknown class 'd'"},
    {SETS "requirement R\ntext x\nset s\nmatch udp 1 range nope\n",
     "t.profile:6:19: unknown range 'nope'"},
    {SETS "requirement R\nset\n", "t.profile:4:1: missing name after 'set'"},
    {SETS "requirement R\nset s -t\n", "t.profile:4:7: invalid name '-t'"},
    {SETS "requirement R\nclasses\n",
     "t.profile:4:1: missing name after 'classes'"},
    {SETS "requirement R\nclasses c d/\n",
     "t.profile:4:11: invalid name 'd/'"},
    {SETS "requirement R\ntext\n", "t.profile:4:1: missing text after 'text'"},
    {SETS "requirement R\ntext a b\n",
     "t.profile:4:8: unexpected 'b' (put text with spaces in quotes)"},
    {SETS "requirement R\ntext a\ntext b\n",
     "t.profile:5:1: duplicate 'text' in requirement 'R'"},
    {SETS "requirement R\nsource a\nsource b\n",
     "t.profile:5:1: duplicate 'source' in requirement 'R'"},
    {SETS "requirement R\ncheck\n",
     "t.profile:4:1: missing kind after 'check'"},
    {SETS "requirement R\ncheck foo\n", "t.profile:4:7: unknown check 'foo'"},
    {SETS "requirement R\ncheck connect now\n",
     "t.profile:4:15: unexpected 'now'"},
    {SETS "requirement R\ncheck udp-timeout\n",
     "t.profile:4:7: missing seconds after 'udp-timeout'"},
    {SETS "requirement R\ncheck udp-timeout 0\n",
     "t.profile:4:19: invalid number '0'"},
    {SETS "requirement R\ncheck udp-timeout 86401\n",
     "t.profile:4:19: invalid number '86401'"},
    {SETS "requirement R\ncheck udp-timeout -5\n",
     "t.profile:4:19: invalid number '-5'"},
    {SETS "requirement R\ncheck udp-timeout 60 s\n",
     "t.profile:4:22: unexpected 's'"},
    {SETS "requirement R\ncheck dns\ncheck dscp\n",
     "t.profile:5:1: duplicate 'check' in requirement 'R'"},
    {SETS "requirement R\nseverity\n",
     "t.profile:4:1: missing value after 'severity'"},
    {SETS "requirement R\nseverity fatal\n",
     "t.profile:4:10: unknown severity 'fatal' (expected error, warning or "
     "info)"},
    {SETS "requirement R\nseverity info\nseverity error\n",
     "t.profile:5:1: duplicate 'severity' in requirement 'R'"},
    {SETS "requirement R\ndirection up\n",
     "t.profile:4:11: unknown direction 'up' (expected any, out, in or "
     "both)"},
    {SETS "requirement R\ndirection in out\n",
     "t.profile:4:14: unexpected 'out'"},
    {SETS "requirement R\ninitiator client\n",
     "t.profile:4:11: unknown initiator 'client' (expected any, inside, "
     "outside, either or both)"},
    {SETS "requirement R\ninitiator both\ninitiator either\n",
     "t.profile:5:1: duplicate 'initiator' in requirement 'R'"},
};

START_TEST(test_error_messages)
{
    const struct bad_case *bc = &bad_cases[_i];
    char err[PROFILE_ERR_MAX] = "";
    struct profile *p = (struct profile *)&err;   /* must become NULL */

    ck_assert_int_eq(profile_load_text("t.profile", bc->text, &p, err,
                                       sizeof(err)), -1);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err, bc->message);
}
END_TEST

/* The example of the manual page: position counts from 1, in bytes. */
START_TEST(test_error_position_example)
{
    char err[PROFILE_ERR_MAX];
    struct profile *p;

    ck_assert_int_eq(profile_load_text("ringio.profile",
                                       "# 1\n#2\n\n\n\n\n\n\n\n\n\n"
                                       "      clas twilio-media\n",
                                       &p, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "ringio.profile:12:7: unknown directive 'clas'");
    /* A tab is one column. */
    ck_assert_int_eq(profile_load_text("x", "\t\tclas\n", &p, err,
                                       sizeof(err)), -1);
    ck_assert_str_eq(err, "x:1:3: unknown directive 'clas'");
    /* A short buffer truncates the message but stays a string. */
    ck_assert_int_eq(profile_load_text("x", "clas\n", &p, err, 8), -1);
    ck_assert_str_eq(err, "x:1:1: ");
}
END_TEST

/* Writes data to a fresh file in the current directory; returns its name
 * in buf. */
static const char *write_temp(char *buf, size_t len, const void *data,
                              size_t n)
{
    int fd;

    snprintf(buf, len, "check_profile_XXXXXX");
    fd = mkstemp(buf);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
    ck_assert_int_eq(close(fd), 0);
    return buf;
}

START_TEST(test_file_errors)
{
    char err[PROFILE_ERR_MAX], path[64], expect[128];
    static char big[1024 * 1024 + 2];
    struct profile *p;

    ck_assert_int_eq(profile_load_file("no-such-dir/none.profile", &p, err,
                                       sizeof(err)), -1);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err, "cannot open 'no-such-dir/none.profile': "
                          "No such file or directory");

    write_temp(path, sizeof(path), "class c\nx \0y\n", 13);
    ck_assert_int_eq(profile_load_file(path, &p, err, sizeof(err)), -1);
    snprintf(expect, sizeof(expect), "%s:2:3: invalid character 0x00", path);
    ck_assert_str_eq(err, expect);
    ck_assert_int_eq(unlink(path), 0);

    memset(big, '#', sizeof(big));
    write_temp(path, sizeof(path), big, sizeof(big));
    ck_assert_int_eq(profile_load_file(path, &p, err, sizeof(err)), -1);
    snprintf(expect, sizeof(expect), "%s: larger than 1048576 bytes", path);
    ck_assert_str_eq(err, expect);
    ck_assert_int_eq(unlink(path), 0);

    write_temp(path, sizeof(path), "range r 10.0.0.0/33\n", 20);
    ck_assert_int_eq(profile_load_file(path, &p, err, sizeof(err)), -1);
    snprintf(expect, sizeof(expect),
             "%s:1:9: invalid address prefix '10.0.0.0/33'", path);
    ck_assert_str_eq(err, expect);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The shipped profile */

/* Every rule of requirements-data.md section 1.1. */
static const char *const ringio_ids[] = {
    "WEB-SIG-GLL-1X", "WEB-SIG-REG-1X", "WEB-SIG-EDGE-2X", "WEB-INSIGHTS",
    "WEB-ASSETS", "WEB-MEDIA-NOW", "WEB-MEDIA-LEGACY", "NTS-STUN",
    "NTS-TURN", "SIPT-SIG", "SIPT-MEDIA", "RIO-PHONE-ALG", "RIO-PHONE-UDP",
    "RIO-PHONE-TCP", "RIO-PHONE-UDPTO", "RIO-PHONE-QOS", "RIO-PHONE-NAT1",
    "RIO-DESK-HTTP", "RIO-DESK-XMPP", "WEB-QOS", "WEB-GLL-DNS",
};

static struct profile *load_default(void)
{
    char err[PROFILE_ERR_MAX] = "";
    struct profile *p = NULL;

    ck_assert_msg(profile_load_default(&p, err, sizeof(err)) == 0, "%s",
                  err);
    return p;
}

START_TEST(test_ringio_loads)
{
    struct profile *p = load_default();
    char err[PROFILE_ERR_MAX] = "", path[4096];
    struct profile *f = NULL;
    size_t i;

    ck_assert_str_eq(profile_name(p), "ringio");
    ck_assert_str_eq(profile_text(p), ringscope_default_profile);
    ck_assert_uint_eq(profile_requirement_count(p),
                      sizeof(ringio_ids) / sizeof(ringio_ids[0]));
    for (i = 0; i < sizeof(ringio_ids) / sizeof(ringio_ids[0]); i++)
        ck_assert_msg(profile_requirement_find(p, ringio_ids[i]) != NULL,
                      "missing %s", ringio_ids[i]);
    /* Every requirement says where it comes from. */
    for (i = 0; i < profile_requirement_count(p); i++)
        ck_assert_msg(profile_requirement_at(p, i)->source[0] != '\0',
                      "%s has no source", profile_requirement_at(p, i)->id);
    ck_assert_uint_eq(profile_set_count(p), 2);
    ck_assert_str_eq(profile_set_at(p, 0)->name, "document");
    ck_assert_str_eq(profile_set_at(p, 1)->name, "current");

    /* The installed file is the compiled-in text. */
    snprintf(path, sizeof(path), "%s/profiles/ringio.profile", srcdir());
    ck_assert_msg(profile_load_file(path, &f, err, sizeof(err)) == 0, "%s",
                  err);
    ck_assert_str_eq(profile_text(f), profile_text(p));
    profile_free(f);
    profile_free(p);
}
END_TEST

START_TEST(test_ringio_requirement_sets)
{
    struct profile *p = load_default();
    unsigned doc = profile_set_find(p, "document")->bit;
    unsigned cur = profile_set_find(p, "current")->bit;
    const struct profile_requirement *r;

    ck_assert_uint_eq(profile_requirement_find(p, "WEB-MEDIA-NOW")->sets,
                      cur);
    ck_assert_uint_eq(profile_requirement_find(p, "WEB-MEDIA-LEGACY")->sets,
                      doc);
    ck_assert_uint_eq(profile_requirement_find(p, "RIO-PHONE-ALG")->sets,
                      doc | cur);
    r = profile_requirement_find(p, "RIO-PHONE-UDPTO");
    ck_assert_int_eq(r->check, PROFILE_CHECK_UDP_TIMEOUT);
    ck_assert_uint_eq(r->check_param, 120);
    r = profile_requirement_find(p, "RIO-DESK-XMPP");
    ck_assert_int_eq(r->direction, PROFILE_DIR_BOTH);
    ck_assert_int_eq(r->initiator, PROFILE_INIT_EITHER);
    r = profile_requirement_find(p, "RIO-PHONE-QOS");
    ck_assert_int_eq(r->check, PROFILE_CHECK_DSCP);
    ck_assert_int_eq(r->severity, PROFILE_SEV_WARNING);
    r = profile_requirement_find(p, "WEB-MEDIA-LEGACY");
    ck_assert_uint_eq(r->n_scope, 1);
    ck_assert_uint_eq(r->scope[0]->ports[0].lo, 10000);
    ck_assert_uint_eq(r->scope[0]->ports[0].hi, 20000);
    /* SPEC 3a.5: RTP expects EF, SIP accepts CS3, AF31 and CS5. */
    ck_assert_uint_eq(profile_class_find(p, "twilio-media")->dscp_mask,
                      UINT64_C(1) << 46);
    ck_assert_uint_eq(profile_class_find(p, "rtp")->dscp_mask,
                      UINT64_C(1) << 46);
    ck_assert_uint_eq(profile_class_find(p, "provider-sip")->dscp_mask,
                      (UINT64_C(1) << 24) | (UINT64_C(1) << 26) |
                          (UINT64_C(1) << 40));
    ck_assert_uint_eq(profile_class_find(p, "sip")->dscp_mask,
                      (UINT64_C(1) << 24) | (UINT64_C(1) << 26) |
                          (UINT64_C(1) << 40));
    profile_free(p);
}
END_TEST

START_TEST(test_ringio_hosts)
{
    struct profile *p = load_default();
    struct profile_match m;

    ck_assert_str_eq(class_of_host(p, "voice-js.ashburn.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "voice-js.roaming.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "voice-js.tokyo-ix.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "chunderw-vpc-gll.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "chunderw-gll.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "Chunderw-VPC-GLL-us2.twilio.com."),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "chunderw-vpc-gll-au1-ix.twilio.com"),
                     "twilio-signaling");
    ck_assert_str_eq(class_of_host(p, "chunderw-vpc-gll-sg1-tnx.twilio.com"),
                     "twilio-signaling");
    /* -tnx exists for us1 us2 ie1 sg1 only. */
    ck_assert_str_eq(class_of_host(p, "chunderw-vpc-gll-au1-tnx.twilio.com"),
                     "(none)");
    ck_assert_str_eq(class_of_host(p, "eventgw.twilio.com"),
                     "twilio-insights");
    ck_assert_str_eq(class_of_host(p, "eventgw.sg1.twilio.com"),
                     "twilio-insights");
    ck_assert_str_eq(class_of_host(p, "global.turn.twilio.com"),
                     "twilio-turn");
    ck_assert_str_eq(class_of_host(p, "sdk.twilio.com"), "provider-web");
    ck_assert_str_eq(class_of_host(p, "app.ring.io"), "provider-web");
    ck_assert_str_eq(class_of_host(p, "www.twilio.com"), "(none)");
    ck_assert_str_eq(class_of_host_port(p, "acme.pstn.ashburn.twilio.com", 6,
                                        5061), "provider-sip");
    ck_assert_str_eq(class_of_host_port(p, "acme.pstn.us1.twilio.com", 17,
                                        5060), "provider-sip");
    ck_assert_str_eq(class_of_host(p, "acme.pstn.tokyo-ix.twilio.com"),
                     "provider-sip");
    ck_assert_str_eq(class_of_host(p, "pstn.ashburn.twilio.com"), "(none)");
    ck_assert_str_eq(class_of_host_port(p, "global.turn.twilio.com", 17,
                                        3478), "twilio-turn");
    ck_assert_str_eq(class_of_host_port(p, "voice-js.dublin.twilio.com", 17,
                                        443), "(none)");

    ck_assert_ptr_nonnull(profile_match_host(p, "voice-js.sydney.twilio.com",
                                             &m));
    ck_assert_str_eq(m.hosts->name, "twilio-sig-edge-2x");
    profile_free(p);
}
END_TEST

START_TEST(test_ringio_addresses)
{
    struct profile *p = load_default();
    struct profile_match m;
    struct ip_addr a;

    ck_assert_str_eq(class_of_addr(p, "168.86.130.1", 17, 15000),
                     "twilio-media");
    ck_assert_str_eq(class_of_addr(p, "168.86.191.255", 17, 60000),
                     "twilio-media");
    ck_assert_str_eq(class_of_addr(p, "168.86.192.0", 17, 15000), "(none)");
    ck_assert_str_eq(class_of_addr(p, "168.86.130.1", 17, 60001), "(none)");
    ck_assert_str_eq(class_of_addr(p, "199.7.173.4", 17, 5060),
                     "provider-sip");
    ck_assert_str_eq(class_of_addr(p, "199.7.175.255", 6, 5066),
                     "provider-sip");
    ck_assert_str_eq(class_of_addr(p, "199.7.173.4", 17, 31000),
                     "provider-media");
    ck_assert_str_eq(class_of_addr(p, "199.7.173.4", 6, 443),
                     "provider-web");
    ck_assert_str_eq(class_of_addr(p, "199.7.176.1", 17, 5060), "(none)");
    /* The SIP gateway /30 lies inside the legacy media /23. */
    ck_assert_str_eq(class_of_addr(p, "54.172.60.1", 17, 5060),
                     "provider-sip");
    ck_assert_str_eq(class_of_addr(p, "54.172.60.1", 6, 5061),
                     "provider-sip");
    ck_assert_str_eq(class_of_addr(p, "54.172.60.1", 17, 5061), "(none)");
    ck_assert_str_eq(class_of_addr(p, "54.172.60.1", 17, 3478),
                     "twilio-turn");
    ck_assert_str_eq(class_of_addr(p, "3.7.35.200", 6, 443), "twilio-turn");
    ck_assert_str_eq(class_of_addr(p, "203.0.113.9", 6, 5222),
                     "provider-xmpp");

    ck_assert_int_eq(ipaddr_parse("54.172.60.5", &a), 0);
    ck_assert_ptr_nonnull(profile_match_addr(p, &a, 17, 12000, &m));
    ck_assert_str_eq(m.cls->name, "twilio-media");
    ck_assert_str_eq(m.range->name, "twilio-media-legacy");
    ck_assert_uint_eq(m.prefix.len, 23);
    /* Above the legacy port range nothing claims it. */
    ck_assert_ptr_null(profile_match_addr(p, &a, 17, 25000, &m));
    profile_free(p);
}
END_TEST

static Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("load");

    tcase_add_test(tc, test_small_profile_accessors);
    tcase_add_test(tc, test_manual_example);
    tcase_add_test(tc, test_profile_without_profile_line);
    tcase_add_test(tc, test_names_of_enums);
    suite_add_tcase(s, tc);

    tc = tcase_create("match");
    tcase_add_test(tc, test_match_addr);
    tcase_add_test(tc, test_match_host);
    tcase_add_test(tc, test_longest_suffix_wins);
    tcase_add_test(tc, test_rule_and_set_membership);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_error_messages, 0,
                        (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, test_error_position_example);
    tcase_add_test(tc, test_file_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("ringio");
    tcase_add_test(tc, test_ringio_loads);
    tcase_add_test(tc, test_ringio_requirement_sets);
    tcase_add_test(tc, test_ringio_hosts);
    tcase_add_test(tc, test_ringio_addresses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(profile_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
