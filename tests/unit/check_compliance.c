/* Unit tests for the compliance engine (compliance.h): one verdict per
 * check kind from synthetic flows, findings and DNS records under a small
 * profile, the exit decision, and the escaping of hostile text
 * (text_escape.h) and its use in the text report (report.h). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compliance.h"
#include "dns_record.h"
#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "profile.h"
#include "report.h"
#include "text_escape.h"

/* ------------------------------------------------------------------ */
/* Fixture: a profile with one requirement per check kind. */

static const char test_profile[] =
    "profile t \"test\"\n"
    "requirement-set doc \"as documented\"\n"
    "requirement-set now \"as needed today\"\n"
    "range prov 198.51.100.0/24\n"
    "hosts gll gll.example.com\n"
    "class prov-sip\n"
    "    dscp cs3\n"
    "    match udp,tcp 5060 range prov\n"
    "class prov-media\n"
    "    dscp ef\n"
    "    match udp 10000-60000 range prov\n"
    "requirement CONN-TCP\n"
    "    set doc now\n"
    "    text \"tcp\"\n"
    "    check connect\n"
    "    direction out\n"
    "    initiator inside\n"
    "    match tcp 5061 range prov\n"
    "requirement CONN-UDP\n"
    "    set now\n"
    "    text \"udp\"\n"
    "    check connect\n"
    "    direction out\n"
    "    initiator inside\n"
    "    classes prov-media\n"
    "    match udp 10000-60000 range prov\n"
    "requirement ALG\n"
    "    set doc now\n"
    "    text \"alg\"\n"
    "    check no-sip-alg\n"
    "    classes prov-sip\n"
    "requirement NAT1\n"
    "    set doc\n"
    "    text \"nat\"\n"
    "    check single-nat\n"
    "    classes prov-sip\n"
    "requirement UDPTO\n"
    "    set doc\n"
    "    text \"timeout\"\n"
    "    check udp-timeout 120\n"
    "    match udp any range prov\n"
    "requirement QOS\n"
    "    set doc\n"
    "    text \"qos\"\n"
    "    check dscp\n"
    "    severity warning\n"
    "    classes prov-sip prov-media\n"
    "requirement DNS\n"
    "    set now\n"
    "    text \"dns\"\n"
    "    check dns\n"
    "    severity warning\n"
    "    match udp,tcp any hosts gll\n";

#define MAX_SEEN 64

struct seen_verdict {
    char requirement[32];
    char set_name[16];
    enum verdict verdict;
    char summary[1024];
    char fix[1024];
    char evidence[256];
};

struct fixture {
    struct profile *profile;
    struct compliance *c;
    struct sink sink;
    struct capture_meta meta;
    struct seen_verdict seen[MAX_SEEN];
    size_t n_seen;
};

static struct fixture fx;

static void on_record(void *arg, enum record_kind kind, const void *rec)
{
    struct fixture *f = arg;
    const struct verdict_record *v = rec;
    struct seen_verdict *s;

    ck_assert_int_eq(kind, RECORD_VERDICT);
    ck_assert_uint_lt(f->n_seen, MAX_SEEN);
    s = &f->seen[f->n_seen++];
    snprintf(s->requirement, sizeof(s->requirement), "%s", v->requirement);
    snprintf(s->set_name, sizeof(s->set_name), "%s", v->set_name);
    s->verdict = v->verdict;
    snprintf(s->summary, sizeof(s->summary), "%s", v->summary);
    snprintf(s->fix, sizeof(s->fix), "%s", v->fix);
    snprintf(s->evidence, sizeof(s->evidence), "%s", v->evidence);
    /* Verdicts come back to the engine too; it must ignore them. */
    ck_assert_int_eq(f->sink.ops->record(f->sink.self, &f->meta, kind, rec),
                     0);
}

static void setup(void)
{
    char err[PROFILE_ERR_MAX] = "";
    struct emit emit = { on_record, &fx };

    memset(&fx, 0, sizeof(fx));
    ck_assert_msg(profile_load_text("t.profile", test_profile, &fx.profile,
                                    err, sizeof(err)) == 0, "%s", err);
    fx.c = compliance_new(fx.profile, &emit, &fx.sink);
    ck_assert_int_eq(fx.sink.ops->begin_capture(fx.sink.self, &fx.meta), 0);
}

static void teardown(void)
{
    fx.sink.ops->free(fx.sink.self);
    profile_free(fx.profile);
}

static void end_capture(void)
{
    fx.n_seen = 0;
    ck_assert_int_eq(fx.sink.ops->end_capture(fx.sink.self, &fx.meta), 0);
}

static const struct seen_verdict *find(const char *req, const char *set)
{
    size_t i;

    for (i = 0; i < fx.n_seen; i++)
        if (strcmp(fx.seen[i].requirement, req) == 0 &&
            strcmp(fx.seen[i].set_name, set) == 0)
            return &fx.seen[i];
    return NULL;
}

/* The verdict, or -1 when the requirement has no column in that set. */
static int verdict_of(const char *req, const char *set)
{
    const struct seen_verdict *s = find(req, set);

    return s ? (int)s->verdict : -1;
}

/* An inside client 192.168.1.10 and an outside server. */
static void flow_init(struct flow *f, uint64_t id, int proto,
                      const char *server, int port, const char *cls,
                      uint64_t c2s, uint64_t s2c)
{
    memset(f, 0, sizeof(*f));
    f->id = id;
    f->first_packet = id;
    f->key.proto = (uint8_t)proto;
    f->key.ip_version = 4;
    ck_assert_int_eq(ipaddr_parse("192.168.1.10", &f->client_ip), 0);
    ck_assert_int_eq(ipaddr_parse(server, &f->server_ip), 0);
    f->client_port = 40000;
    f->server_port = (uint16_t)port;
    f->client_side = FLOW_SIDE_INSIDE;
    f->server_side = FLOW_SIDE_OUTSIDE;
    f->class_name = cls;
    f->dir[FLOW_DIR_C2S].packets = c2s;
    f->dir[FLOW_DIR_S2C].packets = s2c;
    f->tcp_state = proto == 6 ? FLOW_TCP_ESTABLISHED : FLOW_TCP_NONE;
}

static void feed_flow(const struct flow *f)
{
    ck_assert_int_eq(fx.sink.ops->flow(fx.sink.self, &fx.meta, f), 0);
}

static void feed_finding(const char *kind, enum finding_severity sev,
                         const char *req, uint64_t flow_id)
{
    struct finding fd;

    memset(&fd, 0, sizeof(fd));
    fd.kind = kind;
    fd.severity = sev;
    fd.requirement = req;
    fd.flow_id = flow_id;
    fd.first_packet = flow_id + 1;
    snprintf(fd.summary, sizeof(fd.summary), "%s seen", kind);
    ck_assert_int_eq(fx.sink.ops->record(fx.sink.self, &fx.meta,
                                         RECORD_FINDING, &fd), 0);
}

static void feed_dns(const char *name, const char *rcode,
                     const char *answers)
{
    struct dns_record r;

    memset(&r, 0, sizeof(r));
    r.flow_id = 7;
    r.packet = 8;
    r.query_name = name;
    r.query_type = "A";
    r.rcode = rcode;
    r.answers = answers;
    r.ttl_min = -1;
    r.response_us = -1;
    ck_assert_int_eq(fx.sink.ops->record(fx.sink.self, &fx.meta, RECORD_DNS,
                                         &r), 0);
}

/* ------------------------------------------------------------------ */
/* connect */

START_TEST(test_connect_pass)
{
    struct flow f;

    flow_init(&f, 10, 6, "198.51.100.5", 5061, NULL, 3, 2);
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_PASS);
    ck_assert_int_eq(verdict_of("CONN-TCP", "now"), VERDICT_PASS);
    ck_assert_str_eq(find("CONN-TCP", "doc")->evidence, "flow 10 packet 10");
    ck_assert_str_eq(find("CONN-TCP", "doc")->fix, "");
    ck_assert(!compliance_any_failed(fx.c));
}
END_TEST

START_TEST(test_connect_refused_fails)
{
    struct flow f;

    flow_init(&f, 11, 6, "198.51.100.5", 5061, NULL, 1, 1);
    f.tcp_state = FLOW_TCP_REFUSED;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_FAIL);
    ck_assert_int_eq(verdict_of("CONN-TCP", "now"), VERDICT_FAIL);
    ck_assert_ptr_nonnull(strstr(find("CONN-TCP", "doc")->summary,
                                 "refused"));
    ck_assert_ptr_nonnull(strstr(find("CONN-TCP", "doc")->fix,
                                 "Allow outbound TCP port 5061 to range "
                                 "prov"));
    ck_assert(compliance_any_failed(fx.c));
}
END_TEST

START_TEST(test_connect_unanswered_and_icmp_fail)
{
    struct flow a, b;

    flow_init(&a, 12, 6, "198.51.100.5", 5061, NULL, 5, 0);
    a.tcp_state = FLOW_TCP_UNANSWERED;
    flow_init(&b, 13, 6, "198.51.100.6", 5061, NULL, 1, 0);
    b.tcp_state = FLOW_TCP_ICMP_UNREACHABLE;
    feed_flow(&a);
    feed_flow(&b);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_FAIL);
    ck_assert_str_eq(find("CONN-TCP", "doc")->evidence,
                     "flow 12 packet 12, flow 13 packet 13");
    ck_assert_ptr_nonnull(strstr(find("CONN-TCP", "doc")->summary,
                                 "2 of 2 flows"));
}
END_TEST

START_TEST(test_connect_pending_syn_not_observed)
{
    struct flow f;

    flow_init(&f, 14, 6, "198.51.100.5", 5061, NULL, 1, 0);
    f.tcp_state = FLOW_TCP_SYN_SENT;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_NOT_OBSERVED);
    ck_assert(!compliance_any_failed(fx.c));
}
END_TEST

/* traceroute's probes: unanswered by design, so they neither fail the
 * connect requirement nor count for QoS; a probe is known by the ICMP time
 * exceeded it drew or by a TTL no ordinary sender uses. */
START_TEST(test_ttl_probes_left_out)
{
    struct flow expired, low_ttl, normal;

    flow_init(&expired, 23, 17, "198.51.100.9", 33434, "prov-media", 1, 0);
    expired.ttl_expired = true;
    expired.dir[FLOW_DIR_C2S].max_ttl = 1;
    flow_init(&low_ttl, 24, 17, "198.51.100.9", 33437, "prov-media", 1, 0);
    low_ttl.dir[FLOW_DIR_C2S].max_ttl = FLOW_PROBE_TTL_MAX;
    feed_flow(&expired);
    feed_flow(&low_ttl);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-UDP", "now"), VERDICT_NOT_OBSERVED);
    ck_assert_int_eq(verdict_of("QOS", "doc"), VERDICT_NOT_OBSERVED);

    /* One more hop of TTL and the same silence is a blocked flow. */
    ck_assert_int_eq(fx.sink.ops->begin_capture(fx.sink.self, &fx.meta), 0);
    flow_init(&normal, 25, 17, "198.51.100.9", 33438, "prov-media", 1, 0);
    normal.dir[FLOW_DIR_C2S].max_ttl = FLOW_PROBE_TTL_MAX + 1;
    feed_flow(&normal);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-UDP", "now"), VERDICT_FAIL);
}
END_TEST

START_TEST(test_connect_no_traffic)
{
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_NOT_OBSERVED);
    ck_assert_str_eq(find("CONN-TCP", "doc")->summary,
                     "no traffic in scope");
    ck_assert(!compliance_any_failed(fx.c));
}
END_TEST

START_TEST(test_connect_wrong_direction_out_of_scope)
{
    struct flow f;

    flow_init(&f, 15, 6, "198.51.100.5", 5061, NULL, 1, 0);
    f.tcp_state = FLOW_TCP_UNANSWERED;
    f.client_side = FLOW_SIDE_OUTSIDE;
    f.server_side = FLOW_SIDE_INSIDE;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_NOT_OBSERVED);
}
END_TEST

START_TEST(test_connect_port_range_limit)
{
    struct flow ok, blocked, other_class;

    flow_init(&ok, 20, 17, "198.51.100.9", 15000, "prov-media", 50, 50);
    flow_init(&blocked, 21, 17, "198.51.100.9", 25000, "prov-media", 14, 0);
    /* Not of the requirement's classes: left out. */
    flow_init(&other_class, 22, 17, "198.51.100.9", 30000, "other", 9, 0);
    feed_flow(&ok);
    feed_flow(&blocked);
    feed_flow(&other_class);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-UDP", "now"), VERDICT_FAIL);
    /* CONN-UDP is in set "now" only. */
    ck_assert_int_eq(verdict_of("CONN-UDP", "doc"), -1);
    ck_assert_ptr_nonnull(strstr(find("CONN-UDP", "now")->summary,
                                 "1 of 2 flows"));
    ck_assert_ptr_nonnull(strstr(find("CONN-UDP", "now")->summary,
                                 "answered up to port 15000, never from "
                                 "port 25000 up"));
    ck_assert_ptr_nonnull(strstr(find("CONN-UDP", "now")->fix,
                                 "Allow outbound UDP ports 10000-60000 to "
                                 "range prov"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* findings-driven: no-sip-alg, single-nat, udp-timeout */

START_TEST(test_no_sip_alg_pass)
{
    struct flow f;

    flow_init(&f, 30, 17, "198.51.100.1", 5060, "prov-sip", 4, 4);
    feed_flow(&f);
    /* Below the requirement's severity: does not fail it. */
    feed_finding("sip_alg_suspected", FINDING_WARNING, "ALG", 30);
    end_capture();
    ck_assert_int_eq(verdict_of("ALG", "doc"), VERDICT_PASS);
    ck_assert_int_eq(verdict_of("ALG", "now"), VERDICT_PASS);
    ck_assert_int_eq(verdict_of("NAT1", "doc"), VERDICT_PASS);
}
END_TEST

START_TEST(test_no_sip_alg_fail)
{
    struct flow f;

    flow_init(&f, 31, 17, "198.51.100.1", 5060, "prov-sip", 4, 4);
    feed_flow(&f);
    feed_finding("sip_alg_suspected", FINDING_ERROR, "ALG", 31);
    end_capture();
    ck_assert_int_eq(verdict_of("ALG", "doc"), VERDICT_FAIL);
    ck_assert_str_eq(find("ALG", "doc")->summary,
                     "1 finding: sip_alg_suspected seen");
    ck_assert_str_eq(find("ALG", "doc")->evidence, "flow 31 packet 32");
    ck_assert_ptr_nonnull(strstr(find("ALG", "doc")->fix, "SIP ALG"));
    ck_assert_int_eq(verdict_of("NAT1", "doc"), VERDICT_PASS);
    ck_assert(compliance_any_failed(fx.c));
}
END_TEST

START_TEST(test_single_nat_one_way_not_observed)
{
    struct flow f;

    flow_init(&f, 32, 17, "198.51.100.1", 5060, "prov-sip", 4, 0);
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("NAT1", "doc"), VERDICT_NOT_OBSERVED);
    ck_assert_int_eq(verdict_of("ALG", "doc"), VERDICT_NOT_OBSERVED);
}
END_TEST

START_TEST(test_single_nat_fail)
{
    feed_finding("double_nat", FINDING_ERROR, "NAT1", 33);
    end_capture();
    ck_assert_int_eq(verdict_of("NAT1", "doc"), VERDICT_FAIL);
    ck_assert_int_eq(verdict_of("ALG", "doc"), VERDICT_NOT_OBSERVED);
}
END_TEST

START_TEST(test_udp_timeout)
{
    struct flow f;

    flow_init(&f, 34, 17, "198.51.100.1", 5060, "prov-sip", 4, 4);
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("UDPTO", "doc"), VERDICT_NOT_OBSERVED);
    ck_assert_int_eq(fx.sink.ops->begin_capture(fx.sink.self, &fx.meta), 0);
    feed_flow(&f);
    feed_finding("udp_timeout_short", FINDING_ERROR, "UDPTO", 34);
    end_capture();
    ck_assert_int_eq(verdict_of("UDPTO", "doc"), VERDICT_FAIL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* dscp */

START_TEST(test_dscp_pass)
{
    struct flow f;

    flow_init(&f, 40, 17, "198.51.100.1", 5060, "prov-sip", 4, 4);
    f.dir[FLOW_DIR_C2S].dscp_seen = (uint64_t)1 << 24;
    /* Inbound marking is not the customer's: not checked. */
    f.dir[FLOW_DIR_S2C].dscp_seen = 1;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("QOS", "doc"), VERDICT_PASS);
}
END_TEST

START_TEST(test_dscp_fail_is_warning)
{
    struct flow f;

    flow_init(&f, 41, 17, "198.51.100.9", 20000, "prov-media", 4, 4);
    f.dir[FLOW_DIR_C2S].dscp_seen = 1;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("QOS", "doc"), VERDICT_FAIL);
    ck_assert_ptr_nonnull(strstr(find("QOS", "doc")->summary,
                                 "carried DSCP 0, expected 46"));
    /* A warning requirement fails without failing the run. */
    ck_assert(!compliance_any_failed(fx.c));
}
END_TEST

START_TEST(test_dscp_warning_finding_fails)
{
    feed_finding("qos_unmarked", FINDING_WARNING, "QOS", 42);
    end_capture();
    ck_assert_int_eq(verdict_of("QOS", "doc"), VERDICT_FAIL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* dns */

START_TEST(test_dns_pass)
{
    feed_dns("gll.example.com", "NOERROR", "A 192.0.2.1");
    feed_dns("other.example.org", "NXDOMAIN", NULL);
    end_capture();
    ck_assert_int_eq(verdict_of("DNS", "now"), VERDICT_PASS);
}
END_TEST

START_TEST(test_dns_fail)
{
    feed_dns("GLL.example.com.", "SERVFAIL", NULL);
    end_capture();
    ck_assert_int_eq(verdict_of("DNS", "now"), VERDICT_FAIL);
    ck_assert_ptr_nonnull(strstr(find("DNS", "now")->summary, "SERVFAIL"));
    ck_assert_str_eq(find("DNS", "now")->evidence, "flow 7 packet 8");
}
END_TEST

START_TEST(test_dns_not_observed)
{
    struct flow f;

    /* Flows do not count for a DNS check. */
    flow_init(&f, 43, 17, "198.51.100.1", 53, NULL, 1, 1);
    feed_flow(&f);
    feed_dns("other.example.org", "NOERROR", "A 192.0.2.2");
    end_capture();
    ck_assert_int_eq(verdict_of("DNS", "now"), VERDICT_NOT_OBSERVED);
}
END_TEST

/* ------------------------------------------------------------------ */
/* captures and the exit decision */

START_TEST(test_next_capture_starts_clean)
{
    struct flow f;

    flow_init(&f, 50, 6, "198.51.100.5", 5061, NULL, 1, 0);
    f.tcp_state = FLOW_TCP_UNANSWERED;
    feed_flow(&f);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_FAIL);
    ck_assert_int_eq(fx.sink.ops->begin_capture(fx.sink.self, &fx.meta), 0);
    end_capture();
    ck_assert_int_eq(verdict_of("CONN-TCP", "doc"), VERDICT_NOT_OBSERVED);
    /* The run still failed. */
    ck_assert(compliance_any_failed(fx.c));
    /* Every requirement, once per set it belongs to. */
    ck_assert_uint_eq(fx.n_seen, 9);
}
END_TEST

START_TEST(test_verdict_names)
{
    enum verdict v = VERDICT_PASS;

    ck_assert_str_eq(verdict_name(VERDICT_NOT_OBSERVED), "NOT_OBSERVED");
    ck_assert_int_eq(verdict_parse("FAIL", &v), 0);
    ck_assert_int_eq(v, VERDICT_FAIL);
    ck_assert_int_eq(verdict_parse("fail", &v), -1);
    ck_assert(!compliance_any_failed(NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* escaping */

struct escape_case {
    const char *in;
    const char *terminal;
};

static const struct escape_case escape_cases[] = {
    { "plain.example.com", "plain.example.com" },
    { "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
    { "a\nb\tc\rd\x7f", "a\\x0ab\\x09c\\x0dd\\x7f" },
    { "\x1b]0;title\x07", "\\x1b]0;title\\x07" },
    { "caf\xc3\xa9", "caf\xc3\xa9" },
    { "\xc2\x9b" "2J", "\\xc2\\x9b2J" },                 /* C1 CSI */
    { "\xff\xfe", "\\xff\\xfe" },
    { "\xc0\xaf", "\\xc0\\xaf" },                        /* overlong '/' */
    { "\xed\xa0\x80", "\\xed\\xa0\\x80" },               /* surrogate */
    { "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },      /* > U+10FFFF */
    { "\xe2\x82", "\\xe2\\x82" },                        /* cut short */
    { "abc\xe2\x80\xaexyz", "abc\\u202exyz" },           /* RLO */
    { "\xe2\x81\xa6", "\\u2066" },                       /* LRI */
    { "\xf0\x9f\x93\x9e", "\xf0\x9f\x93\x9e" },          /* U+1F4DE */
    { "", "" },
};

START_TEST(test_escape_terminal)
{
    char out[256];
    size_t i;

    for (i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++)
        ck_assert_str_eq(text_escape_terminal(escape_cases[i].in, out,
                                              sizeof(out)),
                         escape_cases[i].terminal);
    ck_assert_str_eq(text_escape_terminal(NULL, out, sizeof(out)), "");
}
END_TEST

START_TEST(test_escape_truncates_whole)
{
    char out[6];

    /* "\x1b" fits (4 + NUL), the second escape does not. */
    ck_assert_str_eq(text_escape_terminal("\x1b\x1b", out, sizeof(out)),
                     "\\x1b");
    /* Never half a UTF-8 character. */
    ck_assert_str_eq(text_escape_terminal("\xc3\xa9\xc3\xa9\xc3\xa9", out,
                                          4), "\xc3\xa9");
    ck_assert_str_eq(text_escape_terminal("abc", out, 1), "");
}
END_TEST

START_TEST(test_escape_html)
{
    char out[256];

    ck_assert_str_eq(text_escape_html("<script>alert('x') & \"y\"</script>",
                                      out, sizeof(out)),
                     "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;"
                     "&lt;/script&gt;");
    ck_assert_str_eq(text_escape_html("a\x1b[2J\xc3\xa9<", out, sizeof(out)),
                     "a\\x1b[2J\xc3\xa9&lt;");
    ck_assert_str_eq(text_escape_html("&&&", out, 8), "&amp;");
}
END_TEST

/* The text report escapes what it prints. */
START_TEST(test_report_text_escaped)
{
    struct report *r = report_new();
    struct verdict_record v;
    struct finding fd;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    memset(&v, 0, sizeof(v));
    v.requirement = "R-1";
    v.set_name = "doc";
    v.verdict = VERDICT_FAIL;
    v.severity = "error";
    v.check = "connect";
    v.summary = "host \x1b[2Jevil\x07";
    v.evidence = "flow 1 packet 2";
    v.fix = "";
    report_add_verdict(r, &v);
    memset(&fd, 0, sizeof(fd));
    fd.kind = "sip_alg_suspected";
    fd.severity = FINDING_ERROR;
    fd.flow_id = 1;
    fd.first_packet = 2;
    snprintf(fd.summary, sizeof(fd.summary), "Contact \x1b]0;pwn\x07");
    report_add_finding(r, &fd);
    report_print(out, r, false);
    fclose(out);
    ck_assert_ptr_null(memchr(buf, 0x1b, len));
    ck_assert_ptr_null(memchr(buf, 0x07, len));
    ck_assert_ptr_nonnull(strstr(buf, "host \\x1b[2Jevil\\x07"));
    ck_assert_ptr_nonnull(strstr(buf, "Contact \\x1b]0;pwn\\x07"));
    ck_assert_ptr_nonnull(strstr(buf, "  R-1                    connect     "
                                      "FAIL\n"));
    free(buf);
    report_free(r);
}
END_TEST

static Suite *compliance_suite(void)
{
    Suite *s = suite_create("compliance");
    TCase *tc;

    tc = tcase_create("connect");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_connect_pass);
    tcase_add_test(tc, test_connect_refused_fails);
    tcase_add_test(tc, test_connect_unanswered_and_icmp_fail);
    tcase_add_test(tc, test_connect_pending_syn_not_observed);
    tcase_add_test(tc, test_ttl_probes_left_out);
    tcase_add_test(tc, test_connect_no_traffic);
    tcase_add_test(tc, test_connect_wrong_direction_out_of_scope);
    tcase_add_test(tc, test_connect_port_range_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("findings");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_no_sip_alg_pass);
    tcase_add_test(tc, test_no_sip_alg_fail);
    tcase_add_test(tc, test_single_nat_one_way_not_observed);
    tcase_add_test(tc, test_single_nat_fail);
    tcase_add_test(tc, test_udp_timeout);
    suite_add_tcase(s, tc);

    tc = tcase_create("dscp");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dscp_pass);
    tcase_add_test(tc, test_dscp_fail_is_warning);
    tcase_add_test(tc, test_dscp_warning_finding_fails);
    suite_add_tcase(s, tc);

    tc = tcase_create("dns");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dns_pass);
    tcase_add_test(tc, test_dns_fail);
    tcase_add_test(tc, test_dns_not_observed);
    suite_add_tcase(s, tc);

    tc = tcase_create("run");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_next_capture_starts_clean);
    tcase_add_test(tc, test_verdict_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_terminal);
    tcase_add_test(tc, test_escape_truncates_whole);
    tcase_add_test(tc, test_escape_html);
    tcase_add_test(tc, test_report_text_escaped);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(compliance_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
