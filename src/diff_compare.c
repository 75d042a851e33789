/* ringscope diff: what changed between two copies of one SIP message,
 * header by header.  Spec: RFC 3261 sections 7.3 and 20 (headers),
 * RFC 4566 section 5 (SDP lines). */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff_internal.h"
#include "ipaddr.h"
#include "sip.h"
#include "xalloc.h"

/* Longest value printed; longer ones end in "...". */
#define DIFF_VALUE_MAX 200
#define DIFF_SDP_LINES_MAX 256

struct diff_cmp {
    FILE *out;
    struct diff_labels *labels;
    size_t lines;
};

/* --- labels -------------------------------------------------------------- */

void diff_labels_add(struct diff_labels *l, const char *label)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->name[i], label) == 0)
            return;
    if (l->n == DIFF_LABELS_MAX)
        return;
    snprintf(l->name[l->n], DIFF_LABEL_LEN, "%s", label);
    l->n++;
}

void diff_labels_print(FILE *out, const struct diff_labels *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", l->name[i]);
}

/* --- printing ------------------------------------------------------------ */

static struct sip_str view_of(const char *s)
{
    struct sip_str v;

    v.ptr = s;
    v.len = s ? strlen(s) : 0;
    return v;
}

/* One value on one line: control characters (folded lines) become
 * spaces; an absent value is "(none)". */
static void print_value(FILE *out, struct sip_str v)
{
    size_t i, n = v.len < DIFF_VALUE_MAX ? v.len : DIFF_VALUE_MAX;

    if (!v.ptr) {
        fputs("(none)", out);
        return;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v.ptr[i];

        fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
    }
    if (n < v.len)
        fputs("...", out);
}

static void change(struct diff_cmp *c, const char *label, const char *field,
                   struct sip_str before, struct sip_str after)
{
    fprintf(c->out, "    %-22s ", field);
    print_value(c->out, before);
    fputs(" -> ", c->out);
    print_value(c->out, after);
    fputc('\n', c->out);
    diff_labels_add(c->labels, label);
    c->lines++;
}

static bool views_differ(struct sip_str a, struct sip_str b)
{
    if (!a.ptr || !b.ptr)
        return a.ptr != b.ptr;
    return !sip_str_eq(a, b);
}

/* --- the start line and Via ---------------------------------------------- */

static void sent_by_text(const struct sip_via *v, char *buf, size_t size)
{
    int len = (int)(v->host.len < 100 ? v->host.len : 100);
    const char *h = v->host.ptr ? v->host.ptr : "";

    if (v->host_kind == SIP_HOST_IPV6 && v->has_port)
        snprintf(buf, size, "[%.*s]:%u", len, h, (unsigned)v->port);
    else if (v->host_kind == SIP_HOST_IPV6)
        snprintf(buf, size, "[%.*s]", len, h);
    else if (v->has_port)
        snprintf(buf, size, "%.*s:%u", len, h, (unsigned)v->port);
    else
        snprintf(buf, size, "%.*s", len, h);
}

static void rport_text(const struct sip_via *v, char *buf, size_t size)
{
    if (v->has_rport_value)
        snprintf(buf, size, "%u", (unsigned)v->rport);
    else if (v->has_rport)
        snprintf(buf, size, "(empty)");
    else
        buf[0] = '\0';
}

static void compare_via(struct diff_cmp *c, const struct sip_via *b,
                        const struct sip_via *a, size_t i)
{
    char field[48], sb[128], sa[128], rb[16], ra[16];
    size_t before = c->lines;

    if (b && a && sip_str_eq(b->text, a->text))
        return;
    if (!b || !a || !b->valid || !a->valid) {
        snprintf(field, sizeof(field), "Via[%zu]", i + 1);
        change(c, "Via", field, b ? b->text : view_of(NULL),
               a ? a->text : view_of(NULL));
        return;
    }
    sent_by_text(b, sb, sizeof(sb));
    sent_by_text(a, sa, sizeof(sa));
    if (strcmp(sb, sa) != 0) {
        snprintf(field, sizeof(field), "Via[%zu] sent-by", i + 1);
        change(c, "Via sent-by", field, view_of(sb), view_of(sa));
    }
    if (views_differ(b->received, a->received)) {
        snprintf(field, sizeof(field), "Via[%zu] received", i + 1);
        change(c, "Via received", field, b->received, a->received);
    }
    rport_text(b, rb, sizeof(rb));
    rport_text(a, ra, sizeof(ra));
    if (strcmp(rb, ra) != 0) {
        snprintf(field, sizeof(field), "Via[%zu] rport", i + 1);
        change(c, "Via rport", field, view_of(rb[0] ? rb : NULL),
               view_of(ra[0] ? ra : NULL));
    }
    if (views_differ(b->branch, a->branch)) {
        snprintf(field, sizeof(field), "Via[%zu] branch", i + 1);
        change(c, "Via branch", field, b->branch, a->branch);
    }
    if (c->lines == before) {
        snprintf(field, sizeof(field), "Via[%zu]", i + 1);
        change(c, "Via", field, b->text, a->text);
    }
}

static void compare_vias(struct diff_cmp *c, const struct sip_msg *b,
                         const struct sip_msg *a)
{
    size_t nb = b->via_count < SIP_MAX_VIAS ? b->via_count : SIP_MAX_VIAS;
    size_t na = a->via_count < SIP_MAX_VIAS ? a->via_count : SIP_MAX_VIAS;
    size_t i;

    for (i = 0; i < nb || i < na; i++)
        compare_via(c, i < nb ? &b->via[i] : NULL, i < na ? &a->via[i] : NULL,
                    i);
}

static void compare_start(struct diff_cmp *c, const struct sip_msg *b,
                          const struct sip_msg *a)
{
    if (b->is_request && views_differ(b->ruri_text, a->ruri_text))
        change(c, "Request-URI", "Request-URI", b->ruri_text, a->ruri_text);
    if (!b->is_request && views_differ(b->reason, a->reason))
        change(c, "Status line", "Reason phrase", b->reason, a->reason);
}

/* --- From, To, Contact, Content-Length ----------------------------------- */

static void compare_nameaddr(struct diff_cmp *c, const char *label,
                             const char *field, const struct sip_nameaddr *b,
                             const struct sip_nameaddr *a)
{
    if (!b || !a) {
        change(c, label, field, b ? b->text : view_of(NULL),
               a ? a->text : view_of(NULL));
        return;
    }
    if (views_differ(b->uri_text, a->uri_text))
        change(c, label, field, b->uri_text, a->uri_text);
    else if (views_differ(b->text, a->text))
        change(c, label, field, b->text, a->text);
}

static void compare_contacts(struct diff_cmp *c, const struct sip_msg *b,
                             const struct sip_msg *a)
{
    size_t nb = b->contact_count < SIP_MAX_CONTACTS ? b->contact_count :
                                                      SIP_MAX_CONTACTS;
    size_t na = a->contact_count < SIP_MAX_CONTACTS ? a->contact_count :
                                                      SIP_MAX_CONTACTS;
    size_t i;

    for (i = 0; i < nb || i < na; i++) {
        char field[32];

        if (nb > 1 || na > 1)
            snprintf(field, sizeof(field), "Contact[%zu]", i + 1);
        else
            snprintf(field, sizeof(field), "Contact");
        compare_nameaddr(c, "Contact", field, i < nb ? &b->contact[i] : NULL,
                         i < na ? &a->contact[i] : NULL);
    }
}

static void compare_fields(struct diff_cmp *c, const struct sip_msg *b,
                           const struct sip_msg *a)
{
    char lb[24], la[24];

    if (b->has_from || a->has_from)
        compare_nameaddr(c, "From", "From", b->has_from ? &b->from : NULL,
                         a->has_from ? &a->from : NULL);
    if (b->has_to || a->has_to)
        compare_nameaddr(c, "To", "To", b->has_to ? &b->to : NULL,
                         a->has_to ? &a->to : NULL);
    compare_contacts(c, b, a);
    if (b->content_length != a->content_length) {
        snprintf(lb, sizeof(lb), "%" PRId64, b->content_length);
        snprintf(la, sizeof(la), "%" PRId64, a->content_length);
        change(c, "Content-Length", "Content-Length",
               view_of(b->content_length >= 0 ? lb : NULL),
               view_of(a->content_length >= 0 ? la : NULL));
    }
}

/* --- every other header -------------------------------------------------- */

static bool header_is_structured(enum sip_hdr id)
{
    return id == SIP_HDR_VIA || id == SIP_HDR_CONTACT || id == SIP_HDR_FROM ||
           id == SIP_HDR_TO || id == SIP_HDR_CONTENT_LENGTH;
}

/* The name a header is compared and reported under: the canonical long
 * name when known (compact forms fold in), else the name as written. */
static void header_name(const struct sip_header *h, char *buf, size_t size)
{
    if (h->id != SIP_HDR_OTHER)
        snprintf(buf, size, "%s", sip_hdr_name(h->id));
    else
        snprintf(buf, size, "%.*s", (int)(h->name.len < 40 ? h->name.len : 40),
                 h->name.ptr ? h->name.ptr : "");
}

/* The k-th header (0-based) named name, or NULL. */
static const struct sip_header *header_nth(const struct sip_msg *m,
                                           const char *name, size_t k)
{
    size_t n = m->header_count < SIP_MAX_HEADERS ? m->header_count :
                                                   SIP_MAX_HEADERS;
    size_t i;
    char hn[48];

    for (i = 0; i < n; i++) {
        if (header_is_structured(m->headers[i].id))
            continue;
        header_name(&m->headers[i], hn, sizeof(hn));
        if (strcasecmp(hn, name) == 0 && k-- == 0)
            return &m->headers[i];
    }
    return NULL;
}

/* How many headers named like headers[i] come before it. */
static size_t header_rank(const struct sip_msg *m, size_t i)
{
    char name[48], hn[48];
    size_t j, k = 0;

    header_name(&m->headers[i], name, sizeof(name));
    for (j = 0; j < i; j++) {
        if (header_is_structured(m->headers[j].id))
            continue;
        header_name(&m->headers[j], hn, sizeof(hn));
        if (strcasecmp(hn, name) == 0)
            k++;
    }
    return k;
}

static void compare_headers(struct diff_cmp *c, const struct sip_msg *b,
                            const struct sip_msg *a)
{
    size_t nb = b->header_count < SIP_MAX_HEADERS ? b->header_count :
                                                    SIP_MAX_HEADERS;
    size_t na = a->header_count < SIP_MAX_HEADERS ? a->header_count :
                                                    SIP_MAX_HEADERS;
    char name[48];
    size_t i;

    for (i = 0; i < nb; i++) {
        const struct sip_header *hb = &b->headers[i], *ha;

        if (header_is_structured(hb->id))
            continue;
        header_name(hb, name, sizeof(name));
        ha = header_nth(a, name, header_rank(b, i));
        if (!ha)
            change(c, name, name, hb->value, view_of(NULL));
        else if (!sip_str_eq(hb->value, ha->value))
            change(c, name, name, hb->value, ha->value);
    }
    for (i = 0; i < na; i++) {
        const struct sip_header *ha = &a->headers[i];

        if (header_is_structured(ha->id))
            continue;
        header_name(ha, name, sizeof(name));
        if (!header_nth(b, name, header_rank(a, i)))
            change(c, name, name, view_of(NULL), ha->value);
    }
}

/* --- the body ------------------------------------------------------------ */

/* One SDP line: its media section (0 = session), its kind ("c=",
 * "a=rtcp") and its text without the line end. */
struct sdp_line {
    size_t section;
    char kind[32];
    char media[16];             /* the section's m= media name */
    struct sip_str text;
};

static size_t sdp_lines(struct sip_str body, struct sdp_line *v, size_t max)
{
    size_t n = 0, pos = 0, section = 0;
    char media[16] = "";

    while (pos < body.len && n < max) {
        size_t end = sip_str_find(body, pos, '\n');
        struct sip_str line = sip_str_sub(body, pos, end);
        struct sdp_line *l = &v[n];
        size_t k;

        if (line.len > 0 && line.ptr[line.len - 1] == '\r')
            line.len--;
        pos = end + 1;
        if (line.len < 2)
            continue;
        if (line.ptr[0] == 'm' && line.ptr[1] == '=') {
            section++;
            for (k = 2; k < line.len && k - 2 < sizeof(media) - 1 &&
                        line.ptr[k] != ' '; k++)
                media[k - 2] = line.ptr[k];
            media[k - 2] = '\0';
        }
        l->section = section;
        l->text = line;
        snprintf(l->media, sizeof(l->media), "%s", section ? media : "");
        if (line.ptr[0] == 'a' && line.ptr[1] == '=') {
            for (k = 2; k < line.len && k < sizeof(l->kind) - 1 &&
                        line.ptr[k] != ':'; k++)
                ;
            snprintf(l->kind, sizeof(l->kind), "%.*s", (int)k, line.ptr);
        } else {
            snprintf(l->kind, sizeof(l->kind), "%.2s", line.ptr);
        }
        n++;
    }
    return n;
}

static const struct sdp_line *sdp_nth(const struct sdp_line *v, size_t n,
                                      size_t section, const char *kind,
                                      size_t k)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i].section == section && strcmp(v[i].kind, kind) == 0 &&
            k-- == 0)
            return &v[i];
    return NULL;
}

static size_t sdp_rank(const struct sdp_line *v, size_t i)
{
    size_t j, k = 0;

    for (j = 0; j < i; j++)
        if (v[j].section == v[i].section && strcmp(v[j].kind, v[i].kind) == 0)
            k++;
    return k;
}

/* The port of an m= line ("m=audio 16384 RTP/AVP 0"). */
static struct sip_str m_port(struct sip_str line)
{
    size_t sp = sip_str_find(line, 0, ' ');
    size_t sp2 = sip_str_find(line, sp + 1, ' ');

    return sip_str_sub(line, sp + 1, sp2);
}

static void sdp_change(struct diff_cmp *c, const struct sdp_line *l,
                       struct sip_str before, struct sip_str after)
{
    char label[48], field[64];

    if (strcmp(l->kind, "m=") == 0 && before.ptr && after.ptr &&
        views_differ(m_port(before), m_port(after)))
        snprintf(label, sizeof(label), "SDP m= port");
    else
        snprintf(label, sizeof(label), "SDP %s", l->kind);
    if (l->section > 0 && strcmp(l->kind, "m=") != 0)
        snprintf(field, sizeof(field), "SDP %s %s", l->media, l->kind);
    else
        snprintf(field, sizeof(field), "SDP %s", l->kind);
    change(c, label, field, before, after);
}

static void compare_sdp(struct diff_cmp *c, struct sip_str bb,
                        struct sip_str ab)
{
    struct sdp_line *vb = xreallocarray(NULL, DIFF_SDP_LINES_MAX,
                                        sizeof(*vb));
    struct sdp_line *va = xreallocarray(NULL, DIFF_SDP_LINES_MAX,
                                        sizeof(*va));
    size_t nb = sdp_lines(bb, vb, DIFF_SDP_LINES_MAX);
    size_t na = sdp_lines(ab, va, DIFF_SDP_LINES_MAX);
    size_t i;

    for (i = 0; i < nb; i++) {
        const struct sdp_line *l = sdp_nth(va, na, vb[i].section, vb[i].kind,
                                           sdp_rank(vb, i));

        if (!l)
            sdp_change(c, &vb[i], vb[i].text, view_of(NULL));
        else if (!sip_str_eq(vb[i].text, l->text))
            sdp_change(c, &vb[i], vb[i].text, l->text);
    }
    for (i = 0; i < na; i++)
        if (!sdp_nth(vb, nb, va[i].section, va[i].kind, sdp_rank(va, i)))
            sdp_change(c, &va[i], view_of(NULL), va[i].text);
    free(vb);
    free(va);
}

static bool body_is_sdp(const struct sip_msg *m)
{
    struct sip_str ct = sip_str_trim(m->content_type);

    if (m->body.len == 0)
        return false;
    if (ct.ptr)
        return ct.len >= 15 &&
               sip_str_eq_ci(sip_str_sub(ct, 0, 15), "application/sdp");
    return m->body.len >= 2 && m->body.ptr[0] == 'v' && m->body.ptr[1] == '=';
}

static void compare_body(struct diff_cmp *c, const struct sip_msg *b,
                         const struct sip_msg *a)
{
    char lb[32], la[32];

    if (!views_differ(b->body, a->body))
        return;
    if (body_is_sdp(b) && body_is_sdp(a)) {
        compare_sdp(c, b->body, a->body);
        return;
    }
    snprintf(lb, sizeof(lb), "%zu bytes", b->body.len);
    snprintf(la, sizeof(la), "%zu bytes", a->body.len);
    change(c, "body", "body", view_of(lb), view_of(la));
}

/* --- entry points -------------------------------------------------------- */

static void endpoint_text(const struct ip_addr *a, uint16_t port, bool tcp,
                          char *buf, size_t size)
{
    char ip[IPADDR_STRLEN];

    ipaddr_format(a, ip);
    if (a->family == 6)
        snprintf(buf, size, "[%s]:%u/%s", ip, (unsigned)port,
                 tcp ? "tcp" : "udp");
    else
        snprintf(buf, size, "%s:%u/%s", ip, (unsigned)port,
                 tcp ? "tcp" : "udp");
}

bool diff_compare(FILE *out, const struct diff_msg *before,
                  const struct diff_msg *after, struct sip_msg *mb,
                  struct sip_msg *ma, struct diff_labels *sip,
                  bool *addresses_changed)
{
    struct diff_labels ip_labels;
    struct diff_cmp c;
    char eb[IPADDR_STRLEN + 16], ea[IPADDR_STRLEN + 16];

    ip_labels.n = 0;
    c.out = out;
    c.labels = &ip_labels;
    c.lines = 0;
    endpoint_text(&before->src, before->sport, before->tcp, eb, sizeof(eb));
    endpoint_text(&after->src, after->sport, after->tcp, ea, sizeof(ea));
    if (strcmp(eb, ea) != 0)
        change(&c, "source", "source", view_of(eb), view_of(ea));
    endpoint_text(&before->dst, before->dport, before->tcp, eb, sizeof(eb));
    endpoint_text(&after->dst, after->dport, after->tcp, ea, sizeof(ea));
    if (strcmp(eb, ea) != 0)
        change(&c, "destination", "destination", view_of(eb), view_of(ea));
    *addresses_changed = c.lines > 0;
    if (before->len == after->len &&
        memcmp(before->raw, after->raw, before->len) == 0)
        return false;

    c.labels = sip;
    c.lines = 0;
    sip_parse(before->raw, before->len, mb);
    sip_parse(after->raw, after->len, ma);
    if (mb->header_len > 0 && ma->header_len > 0 &&
        mb->is_request == ma->is_request) {
        compare_start(&c, mb, ma);
        compare_vias(&c, mb, ma);
        compare_fields(&c, mb, ma);
        compare_headers(&c, mb, ma);
        compare_body(&c, mb, ma);
    }
    if (c.lines == 0) {
        /* Only spelling the parser folds away changed (header name case,
         * compact forms, spaces, line ends). */
        char lb[32], la[32];

        snprintf(lb, sizeof(lb), "%zu bytes", before->len);
        snprintf(la, sizeof(la), "%zu bytes", after->len);
        change(&c, "message text", "message text", view_of(lb),
               view_of(la));
    }
    return true;
}

void diff_describe(const struct diff_msg *dm, struct sip_msg *m, char *buf,
                   size_t size)
{
    int cl;

    sip_parse(dm->raw, dm->len, m);
    if (m->header_len == 0 && !m->is_request && m->status_code == 0) {
        snprintf(buf, size, "unparseable message (%zu bytes)", dm->len);
        return;
    }
    cl = (int)(m->call_id.len < 40 ? m->call_id.len : 40);
    if (m->is_request)
        snprintf(buf, size, "%.*s %.*s (CSeq %" PRIu32 " %.*s, Call-ID %.*s)",
                 (int)(m->method.len < 32 ? m->method.len : 32),
                 m->method.ptr ? m->method.ptr : "",
                 (int)(m->ruri_text.len < 100 ? m->ruri_text.len : 100),
                 m->ruri_text.ptr ? m->ruri_text.ptr : "", m->cseq,
                 (int)(m->cseq_method.len < 32 ? m->cseq_method.len : 32),
                 m->cseq_method.ptr ? m->cseq_method.ptr : "", cl,
                 m->call_id.ptr ? m->call_id.ptr : "");
    else
        snprintf(buf, size, "%d %.*s (CSeq %" PRIu32 " %.*s, Call-ID %.*s)",
                 m->status_code,
                 (int)(m->reason.len < 32 ? m->reason.len : 32),
                 m->reason.ptr ? m->reason.ptr : "", m->cseq,
                 (int)(m->cseq_method.len < 32 ? m->cseq_method.len : 32),
                 m->cseq_method.ptr ? m->cseq_method.ptr : "", cl,
                 m->call_id.ptr ? m->call_id.ptr : "");
}
