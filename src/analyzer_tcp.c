/* Transport health stage: TCP analysis per flow, ICMP errors tied to the
 * flows they quote, and the findings tcp_blocked, tcp_retransmissions,
 * tcp_resets and icmp_unreachable.  Spec: RFC 792 and RFC 1122 section
 * 3.2.2.1 (ICMP destination unreachable codes), RFC 4443 section 3.1
 * (ICMPv6), RFC 9293 (TCP).
 *
 * Heuristics and thresholds:
 * - tcp_blocked: the handshake ended unanswered (SYNs and nothing from the
 *   other side) or refused (a RST from the other side before any SYN/ACK).
 * - tcp_retransmissions: per direction of a connection that opened (or was
 *   already open when the capture started), retransmissions of the three
 *   kinds tshark's tcp.analysis.retransmission matches, at least
 *   ANALYZER_TCP_RETRANS_MIN (3) of them and at least
 *   ANALYZER_TCP_RETRANS_PERCENT (2 %) of the direction's data segments.
 *   Blocked handshakes are left to tcp_blocked.
 * - tcp_resets: the first RST of a connection that was open, had carried
 *   payload, and that neither side had begun to close with a FIN.  Some
 *   applications end every connection that way; it is a warning.
 * - icmp_unreachable: ICMP destination unreachable quoting a TCP or UDP
 *   flow (fragmentation needed excluded).  Error when the quoted flow
 *   never carried anything back, warning when it did (late media after a
 *   call ends often meets a closed port). */
#include "config.h"

#include "analyzer_tcp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "ipaddr.h"
#include "profile.h"
#include "tcp_record.h"

#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define ICMP4_UNREACH 3
#define ICMP4_UNREACH_NEEDFRAG 4
#define ICMP6_UNREACH 1

/* The stage's slice of flow->ext.  Zeroed by the flow table.  Small,
 * because every flow has one: the analysis state lives on the heap and
 * only TCP flows get it. */
struct analyzer_tcp_flow {
    struct tcp_analysis *ta;    /* owned; NULL until the first segment, or
                                   when it could not be allocated */

    /* ICMP errors quoting this flow (TCP or UDP). */
    uint32_t icmp_count;
    uint64_t icmp_frame;        /* the first of them */
    int64_t icmp_us;
    struct ip_addr icmp_from;   /* the host that reported it */
    uint8_t icmp_version;
    uint8_t icmp_type;
    uint8_t icmp_code;
};

struct analyzer_tcp {
    struct emit emit;
    const struct profile *profile;  /* borrowed; NULL in unit tests */
};

/* --- ICMP names ------------------------------------------------------- */

static const char *const icmp4_unreach_names[] = {
    "network unreachable",
    "host unreachable",
    "protocol unreachable",
    "port unreachable",
    "fragmentation needed",
    "source route failed",
    "destination network unknown",
    "destination host unknown",
    "source host isolated",
    "network administratively prohibited",
    "host administratively prohibited",
    "network unreachable for TOS",
    "host unreachable for TOS",
    "communication administratively prohibited",
    "host precedence violation",
    "precedence cutoff in effect",
};

static const char *const icmp6_unreach_names[] = {
    "no route to destination",
    "communication administratively prohibited",
    "beyond scope of source address",
    "address unreachable",
    "port unreachable",
    "source address failed ingress/egress policy",
    "reject route to destination",
    "error in source routing header",
};

bool analyzer_tcp_icmp_is_unreachable(uint8_t ip_version, uint8_t type,
                                      uint8_t code)
{
    if (ip_version == 4)
        return type == ICMP4_UNREACH && code != ICMP4_UNREACH_NEEDFRAG;
    if (ip_version == 6)
        return type == ICMP6_UNREACH;
    return false;
}

const char *analyzer_tcp_icmp_name(uint8_t ip_version, uint8_t type,
                                   uint8_t code)
{
    if (ip_version == 4) {
        if (type == ICMP4_UNREACH && code < sizeof(icmp4_unreach_names) /
                                          sizeof(icmp4_unreach_names[0]))
            return icmp4_unreach_names[code];
        if (type == ICMP4_UNREACH)
            return "destination unreachable";
        if (type == 11)
            return "time exceeded";
        if (type == 12)
            return "parameter problem";
    } else if (ip_version == 6) {
        if (type == ICMP6_UNREACH && code < sizeof(icmp6_unreach_names) /
                                          sizeof(icmp6_unreach_names[0]))
            return icmp6_unreach_names[code];
        if (type == ICMP6_UNREACH)
            return "destination unreachable";
        if (type == 2)
            return "packet too big";
        if (type == 3)
            return "time exceeded";
        if (type == 4)
            return "parameter problem";
    }
    return "error";
}

const struct tcp_analysis *analyzer_tcp_flow_analysis(const void *fstate)
{
    const struct analyzer_tcp_flow *fs = fstate;

    if (fs == NULL)
        return NULL;
    return fs->ta;
}

/* --- lifecycle -------------------------------------------------------- */

static void *analyzer_tcp_create(const struct analyzer_env *env)
{
    struct analyzer_tcp *self = calloc(1, sizeof(*self));

    if (self == NULL)
        return NULL;
    self->emit = env->emit;
    self->profile = env->profile;
    return self;
}

/* The requirement a blocked or unreachable flow bears on: the first
 * "connect" requirement of the profile whose scope covers the flow's server
 * endpoint (protocol, port, and range or hostname), so a blocked SIP/TLS
 * port names RIO-PHONE-TCP, an unanswered XMPP connection RIO-DESK-XMPP.
 * NULL when no requirement needs that port. */
static const char *connect_requirement(const struct analyzer_tcp *self,
                                       const struct flow *f)
{
    size_t i, j, n;
    const char *name = f->hostname[0] ? f->hostname : NULL;

    if (!self->profile)
        return NULL;
    n = profile_requirement_count(self->profile);
    for (i = 0; i < n; i++) {
        const struct profile_requirement *r =
            profile_requirement_at(self->profile, i);

        if (r->check != PROFILE_CHECK_CONNECT)
            continue;
        for (j = 0; j < r->n_scope; j++)
            if (profile_rule_matches(r->scope[j], &f->server_ip, name,
                                     f->key.proto, f->server_port))
                return r->id;
    }
    return NULL;
}

static void analyzer_tcp_destroy(void *self)
{
    free(self);
}

/* --- per packet ------------------------------------------------------- */

/* Side 0 is the key's lo endpoint.  The analysis is keyed on endpoints,
 * not on the flow's client/server orientation, so that a late change of
 * orientation cannot mix the two directions' sequence state. */
static unsigned side_of_packet(const struct flow *f, const struct decoded *d)
{
    if (ipaddr_equal(&d->src, &f->key.lo_ip) && d->sport == f->key.lo_port)
        return 0;
    return 1;
}

static enum flow_dir dir_of_side(const struct flow *f, unsigned side)
{
    bool client_is_lo = ipaddr_equal(&f->client_ip, &f->key.lo_ip) &&
                        f->client_port == f->key.lo_port;

    if ((side == 0) == client_is_lo)
        return FLOW_DIR_C2S;
    return FLOW_DIR_S2C;
}

static void analyzer_tcp_packet(void *self, struct flow *f, void *fstate,
                                const struct pkt *pkt,
                                const struct decoded *d, enum flow_dir dir)
{
    struct analyzer_tcp_flow *fs = fstate;
    struct tcp_segment seg;
    uint32_t fl;
    unsigned k;

    (void)self;
    if (d->proto != IPPROTO_NUM_TCP)
        return;
    if (!fs->ta) {
        /* Without memory the flow keeps its defaults: no TCP analysis,
         * as for a flow the table could not follow. */
        fs->ta = malloc(sizeof(*fs->ta));
        if (!fs->ta)
            return;
        tcp_analysis_init(fs->ta);
    }
    tcp_segment_from_decoded(&seg, pkt, d);
    fl = tcp_analysis_segment(fs->ta, side_of_packet(f, d), &seg);
    for (k = 0; k < FLOW_TCPF_COUNT; k++) {
        if (fl & (1u << k))
            f->dir[dir].tcp[k]++;
    }
    f->tcp_state = tcp_analysis_state(fs->ta);
    f->tcp_rtt_us = tcp_analysis_rtt_us(fs->ta);
}

static void analyzer_tcp_icmp_error(void *self, struct flow *f, void *fstate,
                                    const struct pkt *pkt,
                                    const struct decoded *d)
{
    struct analyzer_tcp_flow *fs = fstate;
    bool unreachable;

    (void)self;
    unreachable = analyzer_tcp_icmp_is_unreachable(d->ip_version,
                                                    d->icmp.type,
                                                    d->icmp.code);
    if (!unreachable)
        return;
    if (fs->icmp_count == 0) {
        fs->icmp_frame = pkt->num;
        fs->icmp_us = pkt->ts_us;
        fs->icmp_from = d->src;
        fs->icmp_version = d->ip_version;
        fs->icmp_type = d->icmp.type;
        fs->icmp_code = d->icmp.code;
    }
    if (fs->icmp_count < UINT32_MAX)
        fs->icmp_count++;
    if (fs->ta) {
        tcp_analysis_icmp_error(fs->ta, true);
        f->tcp_state = tcp_analysis_state(fs->ta);
    }
}

/* --- findings --------------------------------------------------------- */

/* "TCP 192.168.1.10:40000 -> 199.7.172.10:5061", client first. */
static void format_flow(char *buf, size_t size, const struct flow *f)
{
    char c[IPADDR_STRLEN + 8];
    char s[IPADDR_STRLEN + 8];
    const char *proto = "IP";

    if (f->key.proto == IPPROTO_NUM_TCP)
        proto = "TCP";
    else if (f->key.proto == IPPROTO_NUM_UDP)
        proto = "UDP";
    ipaddr_format_endpoint(&f->client_ip, f->client_port, c, sizeof(c));
    ipaddr_format_endpoint(&f->server_ip, f->server_port, s, sizeof(s));
    snprintf(buf, size, "%s %s -> %s", proto, c, s);
}

/* Every finding of this stage starts here.  The requirement stays NULL:
 * the compliance stage names it from the flow's class (f->class_name)
 * and the finding kind, once classification is in place. */
static void finding_start(struct finding *fd, const char *kind,
                          enum finding_severity sev, const struct flow *f,
                          uint64_t frame, int64_t ts_us)
{
    memset(fd, 0, sizeof(*fd));
    fd->kind = kind;
    fd->severity = sev;
    fd->requirement = NULL;
    fd->flow_id = f->id;
    fd->first_packet = frame;
    fd->ts_us = ts_us;
}

static void emit_blocked(const struct analyzer_tcp *self,
                         const struct flow *f,
                         const struct tcp_analysis *ta,
                         enum flow_tcp_state st)
{
    struct finding fd;
    char flow[2 * IPADDR_STRLEN + 32];
    int64_t first_us;
    int64_t last_us;
    uint64_t frame = tcp_analysis_first_syn(ta, &first_us, &last_us);
    uint32_t syns = tcp_analysis_syn_count(ta);
    const char *plural = syns == 1 ? "" : "s";

    format_flow(flow, sizeof(flow), f);
    finding_start(&fd, "tcp_blocked", FINDING_ERROR, f, frame, first_us);
    fd.requirement = connect_requirement(self, f);
    if (st == FLOW_TCP_REFUSED) {
        snprintf(fd.summary, sizeof(fd.summary),
                 "%s refused: the server answered the SYN with a RST "
                 "(%" PRIu32 " SYN%s sent)",
                 flow, syns, plural);
    } else if (syns > 1) {
        int64_t span = last_us > first_us ? last_us - first_us : 0;

        snprintf(fd.summary, sizeof(fd.summary),
                 "%s unanswered: %" PRIu32 " SYNs over %" PRId64 ".%" PRId64
                 " s, no reply",
                 flow, syns, span / 1000000, (span % 1000000) / 100000);
    } else {
        snprintf(fd.summary, sizeof(fd.summary),
                 "%s unanswered: 1 SYN, no reply", flow);
    }
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void emit_retransmissions(const struct analyzer_tcp *self,
                                 const struct flow *f,
                                 const struct tcp_analysis *ta,
                                 unsigned side)
{
    struct finding fd;
    char flow[2 * IPADDR_STRLEN + 32];
    uint32_t plain = tcp_analysis_count(ta, side, FLOW_TCPF_RETRANSMISSION);
    uint32_t fast =
        tcp_analysis_count(ta, side, FLOW_TCPF_FAST_RETRANSMISSION);
    uint32_t spurious =
        tcp_analysis_count(ta, side, FLOW_TCPF_SPURIOUS_RETRANSMISSION);
    uint64_t total = (uint64_t)plain + fast + spurious;
    uint64_t data = tcp_analysis_data_segments(ta, side);
    uint64_t per_mille;
    int64_t ts_us;
    uint64_t frame;
    enum flow_dir dir = dir_of_side(f, side);

    if (total < ANALYZER_TCP_RETRANS_MIN ||
        total * 100 < (uint64_t)ANALYZER_TCP_RETRANS_PERCENT * data)
        return;
    frame = tcp_analysis_first_retrans(ta, side, &ts_us);
    per_mille = data ? total * 1000 / data : 1000;
    format_flow(flow, sizeof(flow), f);
    finding_start(&fd, "tcp_retransmissions", FINDING_WARNING, f, frame,
                  ts_us);
    snprintf(fd.summary, sizeof(fd.summary),
             "%s: %" PRIu64 " retransmissions %s, %" PRIu64 ".%" PRIu64
             "%% of %" PRIu64 " data segments (%" PRIu32 " plain, %" PRIu32
             " fast, %" PRIu32 " spurious)",
             flow, total,
             dir == FLOW_DIR_C2S ? "client to server" : "server to client",
             per_mille / 10, per_mille % 10, data, plain, fast, spurious);
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void emit_reset(const struct analyzer_tcp *self, const struct flow *f,
                       const struct tcp_analysis *ta)
{
    struct finding fd;
    char flow[2 * IPADDR_STRLEN + 32];
    int64_t ts_us;
    unsigned side;
    uint64_t frame = tcp_analysis_reset(ta, &ts_us, &side);

    if (frame == 0)
        return;
    format_flow(flow, sizeof(flow), f);
    finding_start(&fd, "tcp_resets", FINDING_WARNING, f, frame, ts_us);
    snprintf(fd.summary, sizeof(fd.summary),
             "%s reset by the %s in the middle of the connection, after "
             "data and before any FIN",
             flow, dir_of_side(f, side) == FLOW_DIR_C2S ? "client" : "server");
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

static void emit_icmp(const struct analyzer_tcp *self, const struct flow *f,
                      const struct analyzer_tcp_flow *fs)
{
    struct finding fd;
    char flow[2 * IPADDR_STRLEN + 32];
    char from[IPADDR_STRLEN];
    bool answered = f->dir[FLOW_DIR_C2S].packets > 0 &&
                    f->dir[FLOW_DIR_S2C].packets > 0;

    /* The destination's port unreachable is how a traceroute ends: it
     * stays on record, but bears on no requirement. */
    bool probe = flow_is_ttl_probe(f);

    format_flow(flow, sizeof(flow), f);
    ipaddr_format(&fs->icmp_from, from);
    finding_start(&fd, "icmp_unreachable",
                  probe      ? FINDING_INFO
                  : answered ? FINDING_WARNING
                             : FINDING_ERROR,
                  f, fs->icmp_frame, fs->icmp_us);
    fd.requirement = probe ? NULL : connect_requirement(self, f);
    snprintf(fd.summary, sizeof(fd.summary),
             "%s: ICMP%s %s from %s (%" PRIu32 " error%s)%s", flow,
             fs->icmp_version == 6 ? "v6" : "",
             analyzer_tcp_icmp_name(fs->icmp_version, fs->icmp_type,
                                    fs->icmp_code),
             from, fs->icmp_count, fs->icmp_count == 1 ? "" : "s",
             probe ? "; a TTL-limited probe (traceroute), not a blocked "
                     "port"
                   : "");
    emit_record(&self->emit, RECORD_FINDING, &fd);
}

/* One record per flag a direction carried, with its first frames, so the
 * database can answer "which packets were retransmitted" per flow. */
static void emit_flag_records(const struct analyzer_tcp *self,
                              const struct flow *f,
                              const struct tcp_analysis *ta)
{
    struct tcp_flag_record r;
    unsigned side, flag, n;

    for (side = 0; side < 2; side++) {
        for (flag = 0; flag < FLOW_TCPF_COUNT; flag++) {
            memset(&r, 0, sizeof(r));
            r.count = tcp_analysis_count(ta, side, (enum flow_tcp_flag)flag);
            if (r.count == 0)
                continue;
            r.flow_id = f->id;
            r.dir = dir_of_side(f, side);
            r.flag = (enum flow_tcp_flag)flag;
            for (n = 0; n < TCP_ANALYSIS_EVIDENCE &&
                        n < TCP_RECORD_EVIDENCE; n++) {
                uint64_t frame = tcp_analysis_evidence(
                    ta, side, (enum flow_tcp_flag)flag, n);

                if (frame == 0)
                    break;
                r.packets[r.n_packets++] = frame;
            }
            emit_record(&self->emit, RECORD_TCP_FLAG, &r);
        }
    }
}

static void analyzer_tcp_flow_end(void *self_, struct flow *f, void *fstate,
                                  enum flow_end_reason why)
{
    const struct analyzer_tcp *self = self_;
    struct analyzer_tcp_flow *fs = fstate;
    enum flow_tcp_state st;
    unsigned side;

    (void)why;
    if (fs->ta) {
        st = tcp_analysis_finish(fs->ta);
        f->tcp_state = st;
        f->tcp_rtt_us = tcp_analysis_rtt_us(fs->ta);
        if (st == FLOW_TCP_UNANSWERED || st == FLOW_TCP_REFUSED)
            emit_blocked(self, f, fs->ta, st);
        if (st == FLOW_TCP_ESTABLISHED || st == FLOW_TCP_MID_STREAM) {
            for (side = 0; side < 2; side++)
                emit_retransmissions(self, f, fs->ta, side);
        }
        emit_reset(self, f, fs->ta);
        emit_flag_records(self, f, fs->ta);
        free(fs->ta);
        fs->ta = NULL;
    }
    if (fs->icmp_count > 0 && (f->key.proto == IPPROTO_NUM_TCP ||
                               f->key.proto == IPPROTO_NUM_UDP))
        emit_icmp(self, f, fs);
}

const struct analyzer_ops analyzer_tcp_ops = {
    .name = "tcp",
    .flow_state_size = sizeof(struct analyzer_tcp_flow),
    .create = analyzer_tcp_create,
    .destroy = analyzer_tcp_destroy,
    .capture_begin = NULL,
    .packet = analyzer_tcp_packet,
    .icmp_error = analyzer_tcp_icmp_error,
    .flow_end = analyzer_tcp_flow_end,
    .capture_end = NULL,
};
