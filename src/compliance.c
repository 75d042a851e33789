/* The compliance engine: per requirement, compact evidence gathered from
 * flows, findings and DNS records, and one verdict per requirement set at
 * the end of each capture.  Each check kind is one entry of check_table
 * (what counts as good or bad evidence, and how the verdict is worded). */
#include "config.h"

#include "compliance.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_record.h"
#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "profile.h"
#include "xalloc.h"

/* Sizes of the texts a verdict is made of: the description of one flow,
 * and a summary or fix built around it (with room to spare). */
#define COMPLIANCE_TEXT_MAX 400
#define COMPLIANCE_SUMMARY_MAX 1024

/* IP protocol numbers (IANA). */
#define PROTO_TCP 6
#define PROTO_UDP 17

struct evidence {
    uint64_t flow_id;
    uint64_t packet;
};

/* What one requirement has seen in the current capture.  Only counters
 * and the first few flows are kept, so memory does not grow with the
 * capture. */
struct req_state {
    const struct profile_requirement *req;
    uint64_t in_scope;          /* flows (or DNS queries) in scope */
    uint64_t good;              /* evidence that it holds */
    uint64_t bad;               /* evidence that it does not */
    struct evidence good_ev[COMPLIANCE_EVIDENCE_MAX];
    size_t n_good_ev;
    struct evidence bad_ev[COMPLIANCE_EVIDENCE_MAX];
    size_t n_bad_ev;

    /* Findings naming the requirement: at or above its severity (they
     * make it fail), and below. */
    uint64_t findings_fail;
    uint64_t findings_other;
    char first_finding[FINDING_SUMMARY_MAX];

    /* connect: the first flow that went unanswered and why, and the port
     * ranges of answered and unanswered flows (a firewall that follows
     * an old port range shows as "answered up to X, never above"). */
    char first_bad[COMPLIANCE_TEXT_MAX];
    char first_good[COMPLIANCE_TEXT_MAX];
    const struct profile_rule *bad_rule;
    bool bad_outbound;
    unsigned bad_proto;
    uint16_t max_good_port;
    uint16_t min_bad_port;
};

struct compliance {
    const struct profile *profile;
    struct emit emit;
    struct req_state *st;
    size_t n;
    bool any_failed;
};

struct judgement {
    enum verdict verdict;
    char summary[COMPLIANCE_SUMMARY_MAX];
    char fix[COMPLIANCE_SUMMARY_MAX];
};

/* One check kind: a flow hook (the flow is already known to be in the
 * requirement's scope; NULL: flows are only counted), a DNS hook (when
 * set, the check is judged on DNS queries instead of flows), and the
 * verdict. */
struct check_ops {
    void (*flow)(struct req_state *s, const struct compliance *c,
                 const struct flow *f, const struct profile_rule *rule);
    void (*dns)(struct req_state *s, const struct dns_record *r);
    void (*judge)(const struct req_state *s, struct judgement *j);
};

/* --- names ------------------------------------------------------------ */

static const char *const verdict_names[] = {
    [VERDICT_NOT_OBSERVED] = "NOT_OBSERVED",
    [VERDICT_PASS] = "PASS",
    [VERDICT_FAIL] = "FAIL",
};

const char *verdict_name(enum verdict v)
{
    return (size_t)v < sizeof(verdict_names) / sizeof(verdict_names[0])
               ? verdict_names[v]
               : "?";
}

int verdict_parse(const char *s, enum verdict *out)
{
    size_t i;

    for (i = 0; i < sizeof(verdict_names) / sizeof(verdict_names[0]); i++)
        if (strcmp(s, verdict_names[i]) == 0) {
            *out = (enum verdict)i;
            return 0;
        }
    return -1;
}

/* --- evidence helpers -------------------------------------------------- */

static void evidence_add(struct evidence *ev, size_t *n, uint64_t flow_id,
                         uint64_t packet)
{
    size_t i;

    /* A flow and a finding on it often point at the same packet. */
    for (i = 0; i < *n; i++)
        if (ev[i].flow_id == flow_id && ev[i].packet == packet)
            return;
    if (*n < COMPLIANCE_EVIDENCE_MAX) {
        ev[*n].flow_id = flow_id;
        ev[*n].packet = packet;
        (*n)++;
    }
}

static void evidence_format(const struct evidence *ev, size_t n, char *buf,
                            size_t len)
{
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < n && used < len; i++) {
        int w;

        if (ev[i].flow_id && ev[i].packet)
            w = snprintf(buf + used, len - used,
                         "%sflow %" PRIu64 " packet %" PRIu64, i ? ", " : "",
                         ev[i].flow_id, ev[i].packet);
        else if (ev[i].packet)
            w = snprintf(buf + used, len - used, "%spacket %" PRIu64,
                         i ? ", " : "", ev[i].packet);
        else
            w = snprintf(buf + used, len - used, "%sflow %" PRIu64,
                         i ? ", " : "", ev[i].flow_id);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static const char *proto_name(unsigned proto)
{
    return proto == PROTO_TCP ? "TCP" : proto == PROTO_UDP ? "UDP" : "IP";
}

/* "TCP 192.168.1.10:37946 -> 199.7.173.10:5222" */
static void flow_describe(const struct flow *f, char *buf, size_t len)
{
    char c[IPADDR_STRLEN], s[IPADDR_STRLEN];

    ipaddr_format(&f->client_ip, c);
    ipaddr_format(&f->server_ip, s);
    snprintf(buf, len, "%s %s:%u -> %s:%u", proto_name(f->key.proto), c,
             f->client_port, s, f->server_port);
}

/* A rule as the profile writes it: "UDP 10000-60000 to range
 * twilio-media-now". */
static void rule_describe(const struct profile_rule *r, char *buf,
                          size_t len)
{
    size_t used = 0, i;
    int w;

    w = snprintf(buf, len, "%s%s%s",
                 (r->protos & PROFILE_PROTO_UDP) ? "UDP" : "",
                 (r->protos & PROFILE_PROTO_UDP) &&
                         (r->protos & PROFILE_PROTO_TCP) ? "/" : "",
                 (r->protos & PROFILE_PROTO_TCP) ? "TCP" : "");
    used = w > 0 ? (size_t)w : 0;
    if (r->any_port && used < len) {
        w = snprintf(buf + used, len - used, " any port");
        used += w > 0 ? (size_t)w : 0;
    }
    for (i = 0; !r->any_port && i < r->n_ports && used < len; i++) {
        if (r->ports[i].lo == r->ports[i].hi)
            w = snprintf(buf + used, len - used, "%s%u", i ? "," : " port ",
                         r->ports[i].lo);
        else
            w = snprintf(buf + used, len - used, "%s%u-%u",
                         i ? "," : " ports ", r->ports[i].lo,
                         r->ports[i].hi);
        used += w > 0 ? (size_t)w : 0;
    }
    for (i = 0; i < r->n_ranges && used < len; i++) {
        w = snprintf(buf + used, len - used, "%s%s",
                     i ? " " : " to range ", r->ranges[i]->name);
        used += w > 0 ? (size_t)w : 0;
    }
    for (i = 0; i < r->n_hosts && used < len; i++) {
        w = snprintf(buf + used, len - used, "%s%s",
                     i ? " " : (r->n_ranges ? " or hosts " : " to hosts "),
                     r->hosts[i]->name);
        used += w > 0 ? (size_t)w : 0;
    }
}

/* --- connect ------------------------------------------------------------ */

enum outcome {
    OUTCOME_UNDECIDED,
    OUTCOME_ANSWERED,
    OUTCOME_FAILED,
};

struct tcp_outcome {
    enum outcome outcome;
    const char *why;
};

/* Handshake outcome (the TCP analyzer's) to evidence.  FLOW_TCP_NONE
 * means no handshake state was recorded: packets back decide. */
static const struct tcp_outcome tcp_outcomes[] = {
    [FLOW_TCP_NONE] = { OUTCOME_UNDECIDED, NULL },
    [FLOW_TCP_SYN_SENT] = { OUTCOME_UNDECIDED, NULL },
    [FLOW_TCP_ESTABLISHED] = { OUTCOME_ANSWERED, NULL },
    [FLOW_TCP_REFUSED] = { OUTCOME_FAILED, "refused (RST answering SYN)" },
    [FLOW_TCP_UNANSWERED] = { OUTCOME_FAILED, "SYN unanswered" },
    [FLOW_TCP_ICMP_UNREACHABLE] = { OUTCOME_FAILED, "ICMP unreachable" },
    [FLOW_TCP_MID_STREAM] = { OUTCOME_UNDECIDED, NULL },
};

static enum outcome flow_outcome(const struct flow *f, const char **why)
{
    bool back = f->dir[FLOW_DIR_S2C].packets > 0;

    *why = "no reply";
    if (flow_is_ttl_probe(f))
        return OUTCOME_UNDECIDED;
    if (f->key.proto == PROTO_TCP &&
        (size_t)f->tcp_state < sizeof(tcp_outcomes) / sizeof(tcp_outcomes[0])) {
        const struct tcp_outcome *o = &tcp_outcomes[f->tcp_state];

        if (o->outcome != OUTCOME_UNDECIDED) {
            *why = o->why;
            return o->outcome;
        }
        /* A stream without its handshake, or no TCP analysis: traffic
         * both ways shows the path is open.  A SYN still waiting at the
         * end of the capture tells nothing. */
        if (f->tcp_state == FLOW_TCP_SYN_SENT)
            return OUTCOME_UNDECIDED;
        return back ? OUTCOME_ANSWERED : OUTCOME_FAILED;
    }
    return back ? OUTCOME_ANSWERED : OUTCOME_FAILED;
}

static void connect_flow(struct req_state *s, const struct compliance *c,
                         const struct flow *f,
                         const struct profile_rule *rule)
{
    const char *why;
    char desc[COMPLIANCE_TEXT_MAX / 2];

    (void)c;
    switch (flow_outcome(f, &why)) {
    case OUTCOME_ANSWERED:
        s->good++;
        evidence_add(s->good_ev, &s->n_good_ev, f->id, f->first_packet);
        if (s->first_good[0] == '\0')
            flow_describe(f, s->first_good, sizeof(s->first_good));
        if (f->server_port > s->max_good_port)
            s->max_good_port = f->server_port;
        break;
    case OUTCOME_FAILED:
        s->bad++;
        evidence_add(s->bad_ev, &s->n_bad_ev, f->id, f->first_packet);
        if (s->first_bad[0] == '\0') {
            flow_describe(f, desc, sizeof(desc));
            snprintf(s->first_bad, sizeof(s->first_bad), "%s %s", desc, why);
            s->bad_rule = rule;
            s->bad_proto = f->key.proto;
            s->bad_outbound = f->client_side == FLOW_SIDE_INSIDE;
        }
        if (s->min_bad_port == 0 || f->server_port < s->min_bad_port)
            s->min_bad_port = f->server_port;
        break;
    case OUTCOME_UNDECIDED:
        break;
    }
}

static void connect_judge(const struct req_state *s, struct judgement *j)
{
    char rule[COMPLIANCE_TEXT_MAX / 2] = "";
    char note[160] = "";

    if (s->bad) {
        j->verdict = VERDICT_FAIL;
        /* Answered only below some port, never from another port up: the
         * firewall follows a narrower port range (SPEC 3a.1). */
        if (s->good && s->min_bad_port > s->max_good_port)
            snprintf(note, sizeof(note),
                     "; answered up to port %u, never from port %u up: "
                     "the firewall allows a narrower port range",
                     s->max_good_port, s->min_bad_port);
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " of %" PRIu64 " flows in scope got no answer "
                 "(first: %s)%s", s->bad, s->in_scope, s->first_bad, note);
        if (s->bad_rule)
            rule_describe(s->bad_rule, rule, sizeof(rule));
        else
            snprintf(rule, sizeof(rule), "%s", proto_name(s->bad_proto));
        snprintf(j->fix, sizeof(j->fix),
                 "Allow %s %s and its return traffic: %" PRIu64
                 " flow%s got no answer",
                 s->bad_outbound ? "outbound" : "inbound", rule, s->bad,
                 s->bad == 1 ? "" : "s");
        return;
    }
    if (s->findings_fail) {
        j->verdict = VERDICT_FAIL;
        snprintf(j->summary, sizeof(j->summary), "%s", s->first_finding);
        return;
    }
    if (s->good) {
        j->verdict = VERDICT_PASS;
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " of %" PRIu64 " flows in scope answered "
                 "(first: %s)", s->good, s->in_scope, s->first_good);
        return;
    }
    j->verdict = VERDICT_NOT_OBSERVED;
    if (s->in_scope)
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " flows in scope, none with a decided outcome "
                 "(handshake still pending at the end of the capture)",
                 s->in_scope);
    else
        snprintf(j->summary, sizeof(j->summary), "no traffic in scope");
}

/* --- findings-driven checks (no-sip-alg, single-nat, udp-timeout) -------- */

/* SIP (or other) traffic both ways in scope: the analyzers had requests
 * and answers to compare, so the absence of findings means something. */
static void observed_flow(struct req_state *s, const struct compliance *c,
                          const struct flow *f,
                          const struct profile_rule *rule)
{
    (void)c;
    (void)rule;
    if (f->dir[FLOW_DIR_C2S].packets && f->dir[FLOW_DIR_S2C].packets) {
        s->good++;
        evidence_add(s->good_ev, &s->n_good_ev, f->id, f->first_packet);
    }
}

static void findings_judge(const struct req_state *s, struct judgement *j,
                           const char *pass_text, const char *fix)
{
    if (s->findings_fail) {
        j->verdict = VERDICT_FAIL;
        snprintf(j->summary, sizeof(j->summary), "%" PRIu64 " finding%s: %s",
                 s->findings_fail, s->findings_fail == 1 ? "" : "s",
                 s->first_finding);
        snprintf(j->fix, sizeof(j->fix), "%s", fix);
        return;
    }
    if (s->good && pass_text) {
        j->verdict = VERDICT_PASS;
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " flow%s in scope with traffic both ways; %s",
                 s->good, s->good == 1 ? "" : "s", pass_text);
        return;
    }
    j->verdict = VERDICT_NOT_OBSERVED;
    if (s->in_scope)
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " flow%s in scope, but nothing that could tell%s",
                 s->in_scope, s->in_scope == 1 ? "" : "s",
                 s->findings_other ? " (see the findings)" : "");
    else
        snprintf(j->summary, sizeof(j->summary), "no traffic in scope");
}

static void no_sip_alg_judge(const struct req_state *s, struct judgement *j)
{
    findings_judge(s, j, "no sign of SIP header rewriting",
                   "Disable SIP ALG (\"SIP transformations\") on the router "
                   "or firewall");
}

static void single_nat_judge(const struct req_state *s, struct judgement *j)
{
    findings_judge(s, j, "no sign of a second NAT or carrier-grade NAT",
                   "Remove the second NAT (bridge mode on the ISP router) "
                   "or ask the ISP for a public address instead of CGNAT");
}

/* The binding lifetime is measured by the media analyzer, which reports
 * it as findings; flow records alone cannot prove an idle gap, so
 * without a finding the verdict stays NOT_OBSERVED (the flows in scope
 * are only counted). */
static void udp_timeout_judge(const struct req_state *s, struct judgement *j)
{
    findings_judge(s, j, NULL,
                   "Raise the router's UDP timeout to at least the required "
                   "time, or make the phones send keepalives more often");
}

/* --- dscp ---------------------------------------------------------------- */

static void dscp_list(uint64_t mask, char *buf, size_t len)
{
    size_t used = 0;
    unsigned v;

    buf[0] = '\0';
    for (v = 0; v < 64 && used < len; v++)
        if (mask & ((uint64_t)1 << v)) {
            int w = snprintf(buf + used, len - used, "%s%u",
                             used ? "," : "", v);

            used += w > 0 ? (size_t)w : 0;
        }
}

/* Checks the marking of what the customer's side sends (packets from an
 * inside endpoint; both directions when neither side is inside): inbound
 * marking is the provider's and the ISP's, which the customer cannot
 * fix. */
static void dscp_flow(struct req_state *s, const struct compliance *c,
                      const struct flow *f, const struct profile_rule *rule)
{
    const struct profile_class *cls;
    bool any_inside = f->client_side == FLOW_SIDE_INSIDE ||
                      f->server_side == FLOW_SIDE_INSIDE;
    bool checked = false, ok = true;
    uint64_t wrong = 0;
    int d;

    (void)rule;
    if (flow_is_ttl_probe(f))
        return;
    cls = f->class_name ? profile_class_find(c->profile, f->class_name)
                        : NULL;
    if (!cls || cls->dscp_mask == 0)
        return;
    for (d = FLOW_DIR_C2S; d <= FLOW_DIR_S2C; d++) {
        enum flow_side from = d == FLOW_DIR_C2S ? f->client_side
                                                : f->server_side;

        if (f->dir[d].packets == 0 ||
            (any_inside && from != FLOW_SIDE_INSIDE))
            continue;
        checked = true;
        if ((f->dir[d].dscp_seen & cls->dscp_mask) == 0) {
            ok = false;
            wrong |= f->dir[d].dscp_seen;
        }
    }
    if (!checked)
        return;
    if (ok) {
        s->good++;
        evidence_add(s->good_ev, &s->n_good_ev, f->id, f->first_packet);
        return;
    }
    s->bad++;
    evidence_add(s->bad_ev, &s->n_bad_ev, f->id, f->first_packet);
    if (s->first_bad[0] == '\0') {
        char desc[COMPLIANCE_TEXT_MAX / 3], seen[96], want[96];

        flow_describe(f, desc, sizeof(desc));
        dscp_list(wrong, seen, sizeof(seen));
        dscp_list(cls->dscp_mask, want, sizeof(want));
        snprintf(s->first_bad, sizeof(s->first_bad),
                 "%s (%s) carried DSCP %s, expected %s", desc, cls->name,
                 seen, want);
    }
}

static void dscp_judge(const struct req_state *s, struct judgement *j)
{
    if (s->bad || s->findings_fail) {
        j->verdict = VERDICT_FAIL;
        if (s->bad)
            snprintf(j->summary, sizeof(j->summary),
                     "%" PRIu64 " of %" PRIu64 " flows sent without the "
                     "expected marking (first: %s)", s->bad,
                     s->good + s->bad, s->first_bad);
        else
            snprintf(j->summary, sizeof(j->summary), "%s", s->first_finding);
        snprintf(j->fix, sizeof(j->fix),
                 "Mark voice traffic on the phones or the router (RTP EF "
                 "46, SIP CS3/AF31 24/26) and keep the marking on the "
                 "uplink (on Windows this takes a QoS policy)");
        return;
    }
    if (s->good) {
        j->verdict = VERDICT_PASS;
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " flow%s in scope carried the expected marking",
                 s->good, s->good == 1 ? "" : "s");
        return;
    }
    j->verdict = VERDICT_NOT_OBSERVED;
    snprintf(j->summary, sizeof(j->summary), "%s",
             s->in_scope ? "no flow in scope sent from the customer side "
                           "with an expected marking to check"
                         : "no traffic in scope");
}

/* --- dns ----------------------------------------------------------------- */

static bool dns_in_scope(const struct profile_requirement *req,
                         const char *name)
{
    size_t i, k;

    for (i = 0; i < req->n_scope; i++)
        for (k = 0; k < req->scope[i]->n_hosts; k++)
            if (profile_hosts_contains(req->scope[i]->hosts[k], name))
                return true;
    return false;
}

/* A failure is an error rcode or a timeout; an answer with no address
 * records (NOERROR, no data) is neither. */
static void dns_record_seen(struct req_state *s, const struct dns_record *r)
{
    if (!r->query_name || !dns_in_scope(s->req, r->query_name))
        return;
    s->in_scope++;
    if (!r->rcode)
        return;
    if (strcmp(r->rcode, "NOERROR") == 0) {
        if (r->answers) {
            s->good++;
            evidence_add(s->good_ev, &s->n_good_ev, r->flow_id, r->packet);
        }
        return;
    }
    s->bad++;
    evidence_add(s->bad_ev, &s->n_bad_ev, r->flow_id,
                 r->packet ? r->packet : r->response_packet);
    if (s->first_bad[0] == '\0')
        snprintf(s->first_bad, sizeof(s->first_bad), "%s %s: %s",
                 r->query_type ? r->query_type : "?", r->query_name,
                 r->rcode);
}

static void dns_judge(const struct req_state *s, struct judgement *j)
{
    if (s->bad || s->findings_fail) {
        j->verdict = VERDICT_FAIL;
        if (s->bad)
            snprintf(j->summary, sizeof(j->summary),
                     "%" PRIu64 " of %" PRIu64 " queries for names in scope "
                     "failed (first: %s)", s->bad, s->in_scope, s->first_bad);
        else
            snprintf(j->summary, sizeof(j->summary), "%s", s->first_finding);
        snprintf(j->fix, sizeof(j->fix),
                 "Use a resolver that answers these names (with EDNS Client "
                 "Subnet), not a VPN or filtering DNS");
        return;
    }
    if (s->good) {
        j->verdict = VERDICT_PASS;
        snprintf(j->summary, sizeof(j->summary),
                 "%" PRIu64 " quer%s for names in scope answered",
                 s->good, s->good == 1 ? "y" : "ies");
        return;
    }
    j->verdict = VERDICT_NOT_OBSERVED;
    snprintf(j->summary, sizeof(j->summary), "%s",
             s->in_scope ? "queries in scope, but no answer seen"
                         : "no DNS query for names in scope");
}

/* --- the table ------------------------------------------------------------ */

static const struct check_ops check_table[] = {
    [PROFILE_CHECK_CONNECT] = { connect_flow, NULL, connect_judge },
    [PROFILE_CHECK_NO_SIP_ALG] = { observed_flow, NULL, no_sip_alg_judge },
    [PROFILE_CHECK_UDP_TIMEOUT] = { NULL, NULL, udp_timeout_judge },
    [PROFILE_CHECK_DSCP] = { dscp_flow, NULL, dscp_judge },
    [PROFILE_CHECK_SINGLE_NAT] = { observed_flow, NULL, single_nat_judge },
    [PROFILE_CHECK_DNS] = { NULL, dns_record_seen, dns_judge },
};

#define CHECK_COUNT (sizeof(check_table) / sizeof(check_table[0]))

static const struct check_ops *check_of(const struct profile_requirement *r)
{
    return (size_t)r->check < CHECK_COUNT ? &check_table[r->check] : NULL;
}

/* --- scope ----------------------------------------------------------------- */

/* Who opened the flow must fit the requirement's direction and
 * initiator: "out" and "inside" need an inside client and an outside
 * server, "in" and "outside" the reverse. */
static bool direction_fits(const struct profile_requirement *r,
                           const struct flow *f)
{
    bool out = f->client_side == FLOW_SIDE_INSIDE &&
               f->server_side == FLOW_SIDE_OUTSIDE;
    bool in = f->client_side == FLOW_SIDE_OUTSIDE &&
              f->server_side == FLOW_SIDE_INSIDE;

    if (r->direction == PROFILE_DIR_OUT || r->initiator == PROFILE_INIT_INSIDE)
        return out;
    if (r->direction == PROFILE_DIR_IN || r->initiator == PROFILE_INIT_OUTSIDE)
        return in;
    return true;
}

static bool class_fits(const struct profile_requirement *r,
                       const struct flow *f)
{
    const char *name = f->class_name ? f->class_name : "other";
    size_t i;

    if (r->n_classes == 0)
        return true;
    for (i = 0; i < r->n_classes; i++)
        if (strcmp(r->classes[i]->name, name) == 0)
            return true;
    return false;
}

/* The scope rule the flow satisfies: its server endpoint, or, for
 * requirements that allow the provider to open flows, its client
 * endpoint.  Returns NULL when none does. */
static const struct profile_rule *
scope_rule(const struct profile_requirement *r, const struct flow *f,
           bool *matched)
{
    const char *host = f->hostname[0] ? f->hostname : NULL;
    bool remote_opens = r->direction == PROFILE_DIR_BOTH ||
                        r->direction == PROFILE_DIR_IN ||
                        r->initiator == PROFILE_INIT_BOTH ||
                        r->initiator == PROFILE_INIT_EITHER ||
                        r->initiator == PROFILE_INIT_OUTSIDE;
    size_t i;

    *matched = r->n_scope == 0;
    for (i = 0; i < r->n_scope; i++) {
        const struct profile_rule *rule = r->scope[i];

        if (profile_rule_matches(rule, &f->server_ip, host, f->key.proto,
                                 f->server_port) ||
            (remote_opens &&
             profile_rule_matches(rule, &f->client_ip, NULL, f->key.proto,
                                  f->client_port))) {
            *matched = true;
            return rule;
        }
    }
    return NULL;
}

static bool flow_in_scope(const struct profile_requirement *r,
                          const struct flow *f,
                          const struct profile_rule **rule)
{
    bool matched;

    if (r->n_scope == 0 && r->n_classes == 0)
        return false;
    if (!class_fits(r, f) || !direction_fits(r, f))
        return false;
    *rule = scope_rule(r, f, &matched);
    return matched;
}

/* --- the sink ---------------------------------------------------------------- */

static void state_reset(struct compliance *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        const struct profile_requirement *req = c->st[i].req;

        memset(&c->st[i], 0, sizeof(c->st[i]));
        c->st[i].req = req;
    }
}

static int compliance_begin(void *self, struct capture_meta *meta)
{
    (void)meta;
    state_reset(self);
    return 0;
}

static int compliance_flow(void *self, const struct capture_meta *meta,
                           const struct flow *f)
{
    struct compliance *c = self;
    size_t i;

    (void)meta;
    for (i = 0; i < c->n; i++) {
        struct req_state *s = &c->st[i];
        const struct check_ops *ops = check_of(s->req);
        const struct profile_rule *rule = NULL;

        /* Checks judged on DNS records count queries, not flows. */
        if (!ops || ops->dns || !flow_in_scope(s->req, f, &rule))
            continue;
        s->in_scope++;
        if (ops->flow)
            ops->flow(s, c, f, rule);
    }
    return 0;
}

static enum finding_severity finding_level(enum profile_severity sev)
{
    return sev == PROFILE_SEV_ERROR     ? FINDING_ERROR
           : sev == PROFILE_SEV_WARNING ? FINDING_WARNING
                                        : FINDING_INFO;
}

/* A finding naming a requirement at the requirement's own severity or
 * above is evidence against it: a warning fails a warning requirement
 * (QoS), an error requirement needs an error. */
static void finding_seen(struct compliance *c, const struct finding *fd)
{
    size_t i;

    if (!fd->requirement)
        return;
    for (i = 0; i < c->n; i++) {
        struct req_state *s = &c->st[i];

        if (strcmp(s->req->id, fd->requirement) != 0)
            continue;
        if (fd->severity >= finding_level(s->req->severity)) {
            if (s->findings_fail++ == 0)
                snprintf(s->first_finding, sizeof(s->first_finding), "%s",
                         fd->summary);
            evidence_add(s->bad_ev, &s->n_bad_ev, fd->flow_id,
                         fd->first_packet);
        } else {
            s->findings_other++;
        }
    }
}

static int compliance_record(void *self, const struct capture_meta *meta,
                             enum record_kind kind, const void *rec)
{
    struct compliance *c = self;
    size_t i;

    (void)meta;
    if (kind == RECORD_FINDING) {
        finding_seen(c, rec);
    } else if (kind == RECORD_DNS) {
        for (i = 0; i < c->n; i++) {
            const struct check_ops *ops = check_of(c->st[i].req);

            if (ops && ops->dns)
                ops->dns(&c->st[i], rec);
        }
    }
    /* RECORD_VERDICT comes back from our own end_capture: ignored. */
    return 0;
}

static void emit_verdicts(struct compliance *c, const struct req_state *s,
                          const struct judgement *j)
{
    char evidence[COMPLIANCE_EVIDENCE_MAX * 48];
    struct verdict_record v;
    size_t k;

    if (j->verdict == VERDICT_FAIL)
        evidence_format(s->bad_ev, s->n_bad_ev, evidence, sizeof(evidence));
    else if (j->verdict == VERDICT_PASS)
        evidence_format(s->good_ev, s->n_good_ev, evidence, sizeof(evidence));
    else
        evidence[0] = '\0';
    memset(&v, 0, sizeof(v));
    v.requirement = s->req->id;
    v.verdict = j->verdict;
    v.severity = profile_severity_name(s->req->severity);
    v.check = profile_check_name(s->req->check);
    v.summary = j->summary;
    v.evidence = evidence;
    v.fix = j->verdict == VERDICT_FAIL ? j->fix : "";
    for (k = 0; k < profile_set_count(c->profile); k++) {
        const struct profile_set *set = profile_set_at(c->profile, k);

        if (!(s->req->sets & set->bit))
            continue;
        v.set_name = set->name;
        emit_record(&c->emit, RECORD_VERDICT, &v);
    }
}

static int compliance_end(void *self, const struct capture_meta *meta)
{
    struct compliance *c = self;
    size_t i;

    (void)meta;
    for (i = 0; i < c->n; i++) {
        const struct req_state *s = &c->st[i];
        const struct check_ops *ops = check_of(s->req);
        struct judgement j;

        memset(&j, 0, sizeof(j));
        if (ops)
            ops->judge(s, &j);
        else
            snprintf(j.summary, sizeof(j.summary), "check kind not known");
        if (j.verdict == VERDICT_FAIL &&
            s->req->severity == PROFILE_SEV_ERROR)
            c->any_failed = true;
        emit_verdicts(c, s, &j);
    }
    return 0;
}

static void compliance_free(void *self)
{
    struct compliance *c = self;

    if (!c)
        return;
    free(c->st);
    free(c);
}

static const struct sink_ops compliance_ops = {
    .name = "compliance",
    .begin_capture = compliance_begin,
    .flow = compliance_flow,
    .record = compliance_record,
    .end_capture = compliance_end,
    .free = compliance_free,
};

struct compliance *compliance_new(const struct profile *profile,
                                  const struct emit *emit, struct sink *out)
{
    struct compliance *c = xcalloc(1, sizeof(*c));
    size_t i;

    c->profile = profile;
    c->emit = *emit;
    c->n = profile_requirement_count(profile);
    c->st = xcalloc(c->n ? c->n : 1, sizeof(*c->st));
    for (i = 0; i < c->n; i++)
        c->st[i].req = profile_requirement_at(profile, i);
    out->ops = &compliance_ops;
    out->self = c;
    return c;
}

bool compliance_any_failed(const struct compliance *c)
{
    return c && c->any_failed;
}
