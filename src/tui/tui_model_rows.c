/* The rows of the interface's model: copying flows in, sanitizing packet
 * text for the terminal, and each table's columns (text, order, filter
 * fields, category). */
#include "config.h"

#include "tui_model.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tui_model_internal.h"

/* --- sanitizing ------------------------------------------------------ */

/* Decodes one well-formed UTF-8 sequence of 2 to 4 bytes (RFC 3629
 * section 3: no overlong forms, no surrogates, nothing past U+10FFFF).
 * Returns its length, or 0 when s does not start one. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    size_t n, i;
    uint32_t v, min;

    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        v = s[0] & 0x1Fu;
        min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        v = s[0] & 0x0Fu;
        min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        v = s[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        /* A NUL terminator is not a continuation byte, so this never reads
         * past the end of the string. */
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Characters a terminal shows as themselves.  C1 controls (U+0080 to
 * U+009F) would be read as escape sequences by some terminals (0x9B is
 * CSI); the direction and line controls reorder or break what is shown
 * without being visible. */
static bool printable_cp(uint32_t cp)
{
    if (cp < 0xA0)
        return false;
    if (cp == 0x200E || cp == 0x200F || cp == 0xFEFF)
        return false;
    if (cp >= 0x2028 && cp <= 0x202E)
        return false;
    if (cp >= 0x2066 && cp <= 0x2069)
        return false;
    return true;
}

size_t tui_model_sanitize(char *dst, size_t dstlen, const char *src)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t o = 0;

    if (dstlen == 0)
        return 0;
    while (s && *s) {
        uint32_t cp;
        size_t n;

        if (*s >= 0x20 && *s < 0x7F) {
            if (o + 1 >= dstlen)
                break;
            dst[o++] = (char)*s++;
            continue;
        }
        n = *s < 0x80 ? 0 : utf8_decode(s, &cp);
        if (n == 0 || !printable_cp(cp)) {
            if (o + 1 >= dstlen)
                break;
            dst[o++] = '?';
            s += n ? n : 1;
            continue;
        }
        if (o + n >= dstlen)
            break;
        memcpy(dst + o, s, n);
        o += n;
        s += n;
    }
    dst[o] = '\0';
    return o;
}

/* --- formatting helpers ---------------------------------------------- */

void tui_model_endpoint(const struct ip_addr *ip, uint16_t port, char *buf)
{
    ipaddr_format_endpoint(ip, port, buf, TUI_ENDPOINT_MAX);
}

const char *tui_verdict_name(enum tui_verdict v)
{
    switch (v) {
    case TUI_VERDICT_PASS:
        return "PASS";
    case TUI_VERDICT_FAIL:
        return "FAIL";
    case TUI_VERDICT_NOT_OBSERVED:
        break;
    }
    return "NOT OBSERVED";
}

/* Powers of 1,000, as tshark's statistics count. */
void tui_model_format_count(uint64_t v, char *buf, size_t len)
{
    static const char suffix[] = "kMGTP";
    double d = (double)v;
    size_t i = 0;

    if (v < 10000) {
        snprintf(buf, len, "%" PRIu64, v);
        return;
    }
    d /= 1000.0;
    while (d >= 999.95 && i + 1 < sizeof(suffix) - 1) {
        d /= 1000.0;
        i++;
    }
    if (d < 99.95)
        snprintf(buf, len, "%.1f%c", d, suffix[i]);
    else
        snprintf(buf, len, "%.0f%c", d, suffix[i]);
}

static void fmt_pair(const uint64_t v[2], char *buf, size_t len)
{
    char a[16], b[16];

    tui_model_format_count(v[0], a, sizeof(a));
    tui_model_format_count(v[1], b, sizeof(b));
    snprintf(buf, len, "%s/%s", a, b);
}

void tui_model_format_duration(int64_t us, char *buf, size_t len)
{
    int64_t s;

    if (us < 0)
        us = 0;
    if (us < 10000000) {
        snprintf(buf, len, "%.3fs", (double)us / 1e6);
        return;
    }
    if (us < 60000000) {
        snprintf(buf, len, "%.1fs", (double)us / 1e6);
        return;
    }
    s = us / 1000000;
    if (s < 3600)
        snprintf(buf, len, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
    else
        snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", s / 3600,
                 (s / 60) % 60);
}

void tui_model_format_clock(int64_t us, char *buf, size_t len)
{
    time_t t;
    struct tm tm;

    if (us <= 0) {
        snprintf(buf, len, "-");
        return;
    }
    t = (time_t)(us / 1000000);
    gmtime_r(&t, &tm);
    snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
             tm.tm_sec, (int)((us / 1000) % 1000));
}

static const char *proto_name(uint8_t proto)
{
    switch (proto) {
    case 1:
        return "ICMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 58:
        return "ICMPv6";
    case 132:
        return "SCTP";
    default:
        return NULL;
    }
}

bool tui_model_contains(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    const char *h;

    for (h = hay; *h; h++) {
        size_t i;

        for (i = 0; i < nl && h[i]; i++) {
            char c = h[i];

            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != needle[i])
                break;
        }
        if (i == nl)
            return true;
    }
    return nl == 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* --- flows ----------------------------------------------------------- */

void tui_model_fill_flow(struct tui_flow_row *r, const struct flow *f,
                         bool ended)
{
    int d, k;

    r->flow_id = f->id;
    r->first_packet = f->first_packet;
    r->ip_version = f->key.ip_version;
    r->proto = f->key.proto;
    r->vlan = f->key.vlan;
    r->client_ip = f->client_ip;
    r->server_ip = f->server_ip;
    r->client_port = f->client_port;
    r->server_port = f->server_port;
    tui_model_sanitize(r->class_name, sizeof(r->class_name),
                       f->class_name ? f->class_name : "other");
    tui_model_endpoint(&f->client_ip, f->client_port, r->client);
    tui_model_endpoint(&f->server_ip, f->server_port, r->server);
    r->client_side = f->client_side;
    r->server_side = f->server_side;
    r->classified_by = f->classified_by;
    tui_model_sanitize(r->app, sizeof(r->app), f->ndpi_proto);
    tui_model_sanitize(r->category, sizeof(r->category), f->ndpi_category);
    tui_model_sanitize(r->hostname, sizeof(r->hostname), f->hostname);
    for (d = 0; d < 2; d++) {
        r->packets[d] = f->dir[d].packets;
        r->bytes[d] = f->dir[d].bytes;
        r->dscp_seen[d] = f->dir[d].dscp_seen;
        for (k = 0; k < FLOW_TCPF_COUNT; k++)
            r->tcp[d][k] = f->dir[d].tcp[k];
        r->retrans[d] = f->dir[d].tcp[FLOW_TCPF_RETRANSMISSION] +
                        f->dir[d].tcp[FLOW_TCPF_FAST_RETRANSMISSION] +
                        f->dir[d].tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION];
    }
    r->tcp_state = f->tcp_state;
    r->tcp_rtt_us = f->tcp_rtt_us;
    r->first_us = f->first_us;
    r->last_us = f->last_us;
    r->ended = ended;
    r->end_reason = ended ? f->end_reason : FLOW_END_CAPTURE_END;
}

static const struct tui_column_def flow_cols[TUI_FLOW_COL_COUNT] = {
    [TUI_FLOW_COL_FRAME] = { "Frame", false },
    [TUI_FLOW_COL_CLASS] = { "Class", false },
    [TUI_FLOW_COL_CLIENT] = { "Client", false },
    [TUI_FLOW_COL_SERVER] = { "Server", false },
    [TUI_FLOW_COL_APP] = { "Proto", false },
    [TUI_FLOW_COL_PACKETS] = { "Pkts c/s", true },
    [TUI_FLOW_COL_BYTES] = { "Bytes c/s", true },
    [TUI_FLOW_COL_RETRANS] = { "Retr", true },
    [TUI_FLOW_COL_STATE] = { "TCP state", false },
    [TUI_FLOW_COL_DURATION] = { "Dur", true },
    [TUI_FLOW_COL_HOST] = { "Host", false },
};

static int flow_compare(const void *pa, const void *pb, int col)
{
    const struct tui_flow_row *a = pa, *b = pb;
    int c;

    switch ((enum tui_flow_col)col) {
    case TUI_FLOW_COL_FRAME:
        if (a->capture != b->capture)
            return a->capture < b->capture ? -1 : 1;
        return cmp_u64(a->first_packet, b->first_packet);
    case TUI_FLOW_COL_CLASS:
        return strcmp(a->class_name, b->class_name);
    case TUI_FLOW_COL_CLIENT:
        c = ipaddr_cmp(&a->client_ip, &b->client_ip);
        return c ? c : cmp_u64(a->client_port, b->client_port);
    case TUI_FLOW_COL_SERVER:
        c = ipaddr_cmp(&a->server_ip, &b->server_ip);
        return c ? c : cmp_u64(a->server_port, b->server_port);
    case TUI_FLOW_COL_APP:
        c = cmp_u64(a->proto, b->proto);
        return c ? c : strcmp(a->app, b->app);
    case TUI_FLOW_COL_PACKETS:
        return cmp_u64(a->packets[0] + a->packets[1],
                       b->packets[0] + b->packets[1]);
    case TUI_FLOW_COL_BYTES:
        return cmp_u64(a->bytes[0] + a->bytes[1], b->bytes[0] + b->bytes[1]);
    case TUI_FLOW_COL_RETRANS:
        return cmp_u64((uint64_t)a->retrans[0] + a->retrans[1],
                       (uint64_t)b->retrans[0] + b->retrans[1]);
    case TUI_FLOW_COL_STATE:
        return cmp_u64(a->tcp_state, b->tcp_state);
    case TUI_FLOW_COL_DURATION:
        return cmp_i64(a->last_us - a->first_us, b->last_us - b->first_us);
    case TUI_FLOW_COL_HOST:
        return strcmp(a->hostname, b->hostname);
    case TUI_FLOW_COL_COUNT:
        break;
    }
    return 0;
}

/* nDPI says "Unknown" when it could not tell, and names ICMP "ICMP":
 * neither adds anything to the transport's name. */
static bool app_adds(const char *app, const char *proto)
{
    return app[0] && strcmp(app, "Unknown") != 0 &&
           strcasecmp(app, proto) != 0;
}

static void flow_cell(const void *row, int col, char *buf, size_t len)
{
    const struct tui_flow_row *r = row;
    const char *p;

    switch ((enum tui_flow_col)col) {
    case TUI_FLOW_COL_FRAME:
        snprintf(buf, len, "%" PRIu64, r->first_packet);
        return;
    case TUI_FLOW_COL_CLASS:
        snprintf(buf, len, "%s", r->class_name);
        return;
    case TUI_FLOW_COL_CLIENT:
        snprintf(buf, len, "%s", r->client);
        return;
    case TUI_FLOW_COL_SERVER:
        snprintf(buf, len, "%s", r->server);
        return;
    case TUI_FLOW_COL_APP:
        p = proto_name(r->proto);
        if (p && app_adds(r->app, p))
            snprintf(buf, len, "%s/%s", p, r->app);
        else if (p)
            snprintf(buf, len, "%s", p);
        else
            snprintf(buf, len, "ip%u", (unsigned)r->proto);
        return;
    case TUI_FLOW_COL_PACKETS:
        fmt_pair(r->packets, buf, len);
        return;
    case TUI_FLOW_COL_BYTES:
        fmt_pair(r->bytes, buf, len);
        return;
    case TUI_FLOW_COL_RETRANS:
        if (r->proto == 6)
            snprintf(buf, len, "%u/%u", (unsigned)r->retrans[0],
                     (unsigned)r->retrans[1]);
        else
            snprintf(buf, len, "-");
        return;
    case TUI_FLOW_COL_STATE:
        snprintf(buf, len, "%s",
                 r->proto == 6 ? flow_tcp_state_name(r->tcp_state) : "-");
        return;
    case TUI_FLOW_COL_DURATION:
        tui_model_format_duration(r->last_us - r->first_us, buf, len);
        return;
    case TUI_FLOW_COL_HOST:
        snprintf(buf, len, "%s", r->hostname);
        return;
    case TUI_FLOW_COL_COUNT:
        break;
    }
    buf[0] = '\0';
}

static bool flow_matches(const void *row, const char *needle)
{
    const struct tui_flow_row *r = row;

    return tui_model_contains(r->class_name, needle) ||
           tui_model_contains(r->client, needle) ||
           tui_model_contains(r->server, needle) ||
           tui_model_contains(r->app, needle) ||
           tui_model_contains(r->hostname, needle) ||
           (r->proto == 6 &&
            tui_model_contains(flow_tcp_state_name(r->tcp_state), needle)) ||
           (proto_name(r->proto) &&
            tui_model_contains(proto_name(r->proto), needle));
}

static const char *flow_category(const void *row)
{
    return ((const struct tui_flow_row *)row)->class_name;
}

static const struct tui_table_type flow_type = {
    .row_size = sizeof(struct tui_flow_row),
    .max_rows = TUI_MODEL_MAX_FLOWS,
    .cols = flow_cols,
    .n_cols = TUI_FLOW_COL_COUNT,
    .default_col = TUI_FLOW_COL_BYTES,
    .category_label = "class",
    .compare = flow_compare,
    .cell = flow_cell,
    .matches = flow_matches,
    .category = flow_category,
};

/* --- findings -------------------------------------------------------- */

static const struct tui_column_def finding_cols[TUI_FINDING_COL_COUNT] = {
    [TUI_FINDING_COL_SEVERITY] = { "Severity", true },
    [TUI_FINDING_COL_KIND] = { "Kind", false },
    [TUI_FINDING_COL_REQUIREMENT] = { "Requirement", false },
    [TUI_FINDING_COL_FRAME] = { "Frame", false },
    [TUI_FINDING_COL_TIME] = { "Time", false },
    [TUI_FINDING_COL_SUMMARY] = { "Summary", false },
};

static int finding_compare(const void *pa, const void *pb, int col)
{
    const struct tui_finding_row *a = pa, *b = pb;

    switch ((enum tui_finding_col)col) {
    case TUI_FINDING_COL_SEVERITY:
        return cmp_u64(a->severity, b->severity);
    case TUI_FINDING_COL_KIND:
        return strcmp(a->kind, b->kind);
    case TUI_FINDING_COL_REQUIREMENT:
        return strcmp(a->requirement, b->requirement);
    case TUI_FINDING_COL_FRAME:
        if (a->capture != b->capture)
            return a->capture < b->capture ? -1 : 1;
        return cmp_u64(a->first_packet, b->first_packet);
    case TUI_FINDING_COL_TIME:
        return cmp_i64(a->ts_us, b->ts_us);
    case TUI_FINDING_COL_SUMMARY:
        return strcmp(a->summary, b->summary);
    case TUI_FINDING_COL_COUNT:
        break;
    }
    return 0;
}

static void finding_cell(const void *row, int col, char *buf, size_t len)
{
    const struct tui_finding_row *r = row;

    switch ((enum tui_finding_col)col) {
    case TUI_FINDING_COL_SEVERITY:
        snprintf(buf, len, "%s", finding_severity_name(r->severity));
        return;
    case TUI_FINDING_COL_KIND:
        snprintf(buf, len, "%s", r->kind);
        return;
    case TUI_FINDING_COL_REQUIREMENT:
        snprintf(buf, len, "%s", r->requirement[0] ? r->requirement : "-");
        return;
    case TUI_FINDING_COL_FRAME:
        if (r->first_packet)
            snprintf(buf, len, "%" PRIu64, r->first_packet);
        else
            snprintf(buf, len, "-");
        return;
    case TUI_FINDING_COL_TIME:
        tui_model_format_clock(r->ts_us, buf, len);
        return;
    case TUI_FINDING_COL_SUMMARY:
        snprintf(buf, len, "%s", r->summary);
        return;
    case TUI_FINDING_COL_COUNT:
        break;
    }
    buf[0] = '\0';
}

static bool finding_matches(const void *row, const char *needle)
{
    const struct tui_finding_row *r = row;

    return tui_model_contains(r->kind, needle) ||
           tui_model_contains(r->requirement, needle) ||
           tui_model_contains(r->summary, needle) ||
           tui_model_contains(finding_severity_name(r->severity), needle);
}

static const char *finding_category(const void *row)
{
    return finding_severity_name(((const struct tui_finding_row *)row)
                                     ->severity);
}

static const struct tui_table_type finding_type = {
    .row_size = sizeof(struct tui_finding_row),
    .max_rows = TUI_MODEL_MAX_FINDINGS,
    .cols = finding_cols,
    .n_cols = TUI_FINDING_COL_COUNT,
    .default_col = TUI_FINDING_COL_SEVERITY,
    .category_label = "severity",
    .compare = finding_compare,
    .cell = finding_cell,
    .matches = finding_matches,
    .category = finding_category,
};

/* --- calls ----------------------------------------------------------- */

static const struct tui_column_def call_cols[TUI_CALL_COL_COUNT] = {
    [TUI_CALL_COL_START] = { "Start", false },
    [TUI_CALL_COL_CALL_ID] = { "Call-ID", false },
    [TUI_CALL_COL_FROM] = { "From", false },
    [TUI_CALL_COL_TO] = { "To", false },
    [TUI_CALL_COL_STATE] = { "State", false },
    [TUI_CALL_COL_DURATION] = { "Dur", true },
    [TUI_CALL_COL_MEDIA_FWD] = { "Media ->", true },
    [TUI_CALL_COL_MEDIA_REV] = { "Media <-", true },
    [TUI_CALL_COL_ONE_WAY] = { "One-way", true },
};

static int call_compare(const void *pa, const void *pb, int col)
{
    const struct tui_call *a = &((const struct tui_call_row *)pa)->call;
    const struct tui_call *b = &((const struct tui_call_row *)pb)->call;

    switch ((enum tui_call_col)col) {
    case TUI_CALL_COL_START:
        return cmp_i64(a->start_us, b->start_us);
    case TUI_CALL_COL_CALL_ID:
        return strcmp(a->call_id, b->call_id);
    case TUI_CALL_COL_FROM:
        return strcmp(a->from, b->from);
    case TUI_CALL_COL_TO:
        return strcmp(a->to, b->to);
    case TUI_CALL_COL_STATE:
        return strcmp(a->state, b->state);
    case TUI_CALL_COL_DURATION:
        return cmp_i64(a->end_us - a->start_us, b->end_us - b->start_us);
    case TUI_CALL_COL_MEDIA_FWD:
        return cmp_u64(a->media[0].packets, b->media[0].packets);
    case TUI_CALL_COL_MEDIA_REV:
        return cmp_u64(a->media[1].packets, b->media[1].packets);
    case TUI_CALL_COL_ONE_WAY:
        return cmp_u64(a->one_way != TUI_ONE_WAY_NONE,
                       b->one_way != TUI_ONE_WAY_NONE);
    case TUI_CALL_COL_COUNT:
        break;
    }
    return 0;
}

/* "1500 0.2% 3.1ms": packets, loss and jitter of one direction. */
static void fmt_media(const struct tui_call *c, int dir, char *buf,
                      size_t len)
{
    const struct tui_call_media *md = &c->media[dir];
    char pk[16];
    double loss = 0.0;
    int64_t expected;

    if (!c->media_known) {
        snprintf(buf, len, "-");
        return;
    }
    if (!md->seen) {
        snprintf(buf, len, "none");
        return;
    }
    tui_model_format_count(md->packets, pk, sizeof(pk));
    expected = (int64_t)md->packets + md->lost;
    if (md->lost > 0 && expected > 0)
        loss = 100.0 * (double)md->lost / (double)expected;
    snprintf(buf, len, "%s %.1f%% %.1fms", pk, loss, md->jitter_ms);
}

static void call_cell(const void *row, int col, char *buf, size_t len)
{
    const struct tui_call *c = &((const struct tui_call_row *)row)->call;

    switch ((enum tui_call_col)col) {
    case TUI_CALL_COL_START:
        tui_model_format_clock(c->start_us, buf, len);
        return;
    case TUI_CALL_COL_CALL_ID:
        snprintf(buf, len, "%s", c->call_id);
        return;
    case TUI_CALL_COL_FROM:
        snprintf(buf, len, "%s", c->from);
        return;
    case TUI_CALL_COL_TO:
        snprintf(buf, len, "%s", c->to);
        return;
    case TUI_CALL_COL_STATE:
        snprintf(buf, len, "%s", c->state);
        return;
    case TUI_CALL_COL_DURATION:
        tui_model_format_duration(
            c->end_us > c->start_us ? c->end_us - c->start_us : 0, buf, len);
        return;
    case TUI_CALL_COL_MEDIA_FWD:
        fmt_media(c, 0, buf, len);
        return;
    case TUI_CALL_COL_MEDIA_REV:
        fmt_media(c, 1, buf, len);
        return;
    case TUI_CALL_COL_ONE_WAY:
        snprintf(buf, len, "%s",
                 c->one_way == TUI_ONE_WAY_FWD_ONLY   ? "ONE-WAY ->"
                 : c->one_way == TUI_ONE_WAY_REV_ONLY ? "ONE-WAY <-"
                                                      : "");
        return;
    case TUI_CALL_COL_COUNT:
        break;
    }
    buf[0] = '\0';
}

static bool call_matches(const void *row, const char *needle)
{
    const struct tui_call *c = &((const struct tui_call_row *)row)->call;

    return tui_model_contains(c->call_id, needle) ||
           tui_model_contains(c->from, needle) ||
           tui_model_contains(c->to, needle) ||
           tui_model_contains(c->state, needle) ||
           (c->one_way != TUI_ONE_WAY_NONE &&
            tui_model_contains("one-way", needle));
}

static const char *call_category(const void *row)
{
    return ((const struct tui_call_row *)row)->call.state;
}

static const struct tui_table_type call_type = {
    .row_size = sizeof(struct tui_call_row),
    .max_rows = TUI_MODEL_MAX_CALLS,
    .cols = call_cols,
    .n_cols = TUI_CALL_COL_COUNT,
    .default_col = TUI_CALL_COL_START,
    .category_label = "state",
    .compare = call_compare,
    .cell = call_cell,
    .matches = call_matches,
    .category = call_category,
};

/* --- checklist ------------------------------------------------------- */

static const struct tui_column_def check_cols[TUI_CHECK_COL_COUNT] = {
    [TUI_CHECK_COL_VERDICT] = { "Verdict", true },
    [TUI_CHECK_COL_REQUIREMENT] = { "Requirement", false },
    [TUI_CHECK_COL_SETS] = { "Sets", false },
    [TUI_CHECK_COL_SUMMARY] = { "Summary", false },
};

static int check_compare(const void *pa, const void *pb, int col)
{
    const struct tui_check_row *a = pa, *b = pb;

    switch ((enum tui_check_col)col) {
    case TUI_CHECK_COL_VERDICT:
        return cmp_u64(a->verdict, b->verdict);
    case TUI_CHECK_COL_REQUIREMENT:
        return strcmp(a->id, b->id);
    case TUI_CHECK_COL_SETS:
        return strcmp(a->sets, b->sets);
    case TUI_CHECK_COL_SUMMARY:
        return strcmp(a->summary, b->summary);
    case TUI_CHECK_COL_COUNT:
        break;
    }
    return 0;
}

static void check_cell(const void *row, int col, char *buf, size_t len)
{
    const struct tui_check_row *r = row;

    switch ((enum tui_check_col)col) {
    case TUI_CHECK_COL_VERDICT:
        snprintf(buf, len, "%s", tui_verdict_name(r->verdict));
        return;
    case TUI_CHECK_COL_REQUIREMENT:
        snprintf(buf, len, "%s", r->id);
        return;
    case TUI_CHECK_COL_SETS:
        snprintf(buf, len, "%s", r->sets);
        return;
    case TUI_CHECK_COL_SUMMARY:
        /* Until a verdict comes, say what is required. */
        snprintf(buf, len, "%s", r->summary[0] ? r->summary : r->text);
        return;
    case TUI_CHECK_COL_COUNT:
        break;
    }
    buf[0] = '\0';
}

static bool check_matches(const void *row, const char *needle)
{
    const struct tui_check_row *r = row;

    return tui_model_contains(r->id, needle) ||
           tui_model_contains(r->sets, needle) ||
           tui_model_contains(r->text, needle) ||
           tui_model_contains(r->summary, needle) ||
           tui_model_contains(tui_verdict_name(r->verdict), needle);
}

static const char *check_category(const void *row)
{
    return tui_verdict_name(((const struct tui_check_row *)row)->verdict);
}

static const struct tui_table_type check_type = {
    .row_size = sizeof(struct tui_check_row),
    .max_rows = TUI_MODEL_MAX_REQUIREMENTS,
    .cols = check_cols,
    .n_cols = TUI_CHECK_COL_COUNT,
    .default_col = TUI_CHECK_COL_VERDICT,
    .category_label = "verdict",
    .compare = check_compare,
    .cell = check_cell,
    .matches = check_matches,
    .category = check_category,
};

const struct tui_table_type *const tui_model_types[TUI_TABLE_COUNT] = {
    [TUI_TABLE_FLOWS] = &flow_type,
    [TUI_TABLE_CALLS] = &call_type,
    [TUI_TABLE_FINDINGS] = &finding_type,
    [TUI_TABLE_CHECKLIST] = &check_type,
};
