/* Unit tests for the HTML report: escaping of packet text, the calls and
 * media of the report model, the SIP ladder's geometry and the plots. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media_record.h"
#include "report.h"
#include "report_html.h"
#include "sip_record.h"
#include "text_escape.h"

/* Output of a renderer, as a string the test frees. */
struct capture_out {
    char *buf;
    size_t len;
    FILE *f;
};

static void out_open(struct capture_out *o)
{
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    ck_assert_ptr_nonnull(o->f);
}

static const char *out_close(struct capture_out *o)
{
    ck_assert_int_eq(fclose(o->f), 0);
    return o->buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* --- escaping ---------------------------------------------------------- */

static const struct {
    const char *in;
    const char *out;
} html_cases[] = {
    { "<script>alert('x')</script>",
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
    { "\"><img src=x onerror=alert(1)>",
      "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
    { "a & b", "a &amp; b" },
    { "\x1b[2Jred", "\\x1b[2Jred" },                /* terminal escape */
    { "x\xe2\x80\xaey", "x\\u202ey" },             /* right-to-left override */
    { "bad \xff\xc3", "bad \\xff\\xc3" },          /* invalid UTF-8 */
    { "caf\xc3\xa9 \xe2\x86\x92", "caf\xc3\xa9 \xe2\x86\x92" },
    { "", "" },
};

START_TEST(test_escape_fputs)
{
    struct capture_out o;
    size_t i;

    for (i = 0; i < sizeof(html_cases) / sizeof(html_cases[0]); i++) {
        out_open(&o);
        text_escape_html_fputs(html_cases[i].in, o.f);
        ck_assert_str_eq(out_close(&o), html_cases[i].out);
        free(o.buf);
    }
    out_open(&o);
    text_escape_html_fputs(NULL, o.f);
    ck_assert_str_eq(out_close(&o), "");
    free(o.buf);
}
END_TEST

/* No length limit: 10,000 '<' become 10,000 "&lt;". */
START_TEST(test_escape_long)
{
    struct capture_out o;
    char *in = malloc(10001);

    ck_assert_ptr_nonnull(in);
    memset(in, '<', 10000);
    in[10000] = '\0';
    out_open(&o);
    text_escape_html_fputs(in, o.f);
    out_close(&o);
    ck_assert_uint_eq(o.len, 40000);
    ck_assert_uint_eq(count(o.buf, "&lt;"), 10000);
    free(o.buf);
    free(in);
}
END_TEST

/* --- a hand-built call -------------------------------------------------- */

#define CALL_ID "c1@<b>host</b>"
#define T0 INT64_C(1700000000000000)

static void sip(struct report *r, const char *call_id, const char *src,
                uint16_t sport, const char *dst, uint16_t dport,
                const char *method, int status, const char *reason,
                int64_t t_ms, uint64_t packet, bool retx)
{
    struct sip_message_record m;

    memset(&m, 0, sizeof(m));
    ck_assert_int_eq(ipaddr_parse(src, &m.src_ip), 0);
    ck_assert_int_eq(ipaddr_parse(dst, &m.dst_ip), 0);
    m.src_port = sport;
    m.dst_port = dport;
    m.transport = "udp";
    m.call_id = call_id;
    m.cseq = 1;
    m.cseq_method = "INVITE";
    m.method = method;
    m.status = status;
    m.reason = reason;
    m.user_agent = method ? "<i>phone</i>" : NULL;
    m.ts_us = T0 + t_ms * 1000;
    m.packet = packet;
    m.retransmission = retx;
    report_add_sip_message(r, &m);
}

static void add_call(struct report *r, const char *call_id)
{
    struct call_record c;

    memset(&c, 0, sizeof(c));
    c.call_id = call_id;
    c.state = "answered";
    c.from_uri = "sip:alice@example.com";
    c.to_uri = "sip:bob@example.com";
    ck_assert_int_eq(ipaddr_parse("10.0.0.1", &c.caller_ip), 0);
    ck_assert_int_eq(ipaddr_parse("192.0.2.1", &c.callee_ip), 0);
    c.caller_port = 5060;
    c.callee_port = 5060;
    c.first_us = T0;
    c.last_us = T0 + 3000000;
    c.ring_us = -1;
    c.setup_us = 120000;
    c.duration_us = -1;
    c.final_status = 200;
    c.messages = 5;
    report_add_call(r, &c);
}

/* INVITE, its retransmission, 180, 200 with a hostile reason, ACK; an
 * OPTIONS of another Call-ID in between. */
static struct report *small_call(void)
{
    struct report *r = report_new();

    r->keep_media = true;
    sip(r, CALL_ID, "10.0.0.1", 5060, "192.0.2.1", 5060, "INVITE", 0, NULL,
        0, 1, false);
    sip(r, "other", "10.0.0.1", 5060, "192.0.2.1", 5060, "OPTIONS", 0, NULL,
        100, 2, false);
    sip(r, CALL_ID, "10.0.0.1", 5060, "192.0.2.1", 5060, "INVITE", 0, NULL,
        500, 3, true);
    sip(r, CALL_ID, "192.0.2.1", 5060, "10.0.0.1", 5060, NULL, 180,
        "Ringing", 600, 4, false);
    sip(r, CALL_ID, "192.0.2.1", 5060, "10.0.0.1", 5060, NULL, 200,
        "OK <script>x</script>", 1200, 5, false);
    sip(r, CALL_ID, "10.0.0.1", 5060, "192.0.2.1", 5060, "ACK", 0, NULL,
        1250, 6, false);
    add_call(r, CALL_ID);
    return r;
}

START_TEST(test_model_keeps_call_messages)
{
    struct report *r = small_call();
    struct report *off = report_new();

    /* The OPTIONS has no INVITE in its dialog: not kept. */
    ck_assert_uint_eq(r->n_sip, 5);
    ck_assert_str_eq(r->sip[3].reason, "OK <script>x</script>");
    ck_assert_str_eq(r->sip[0].src, "10.0.0.1:5060");
    ck_assert_uint_eq(r->n_calls, 1);
    ck_assert_str_eq(r->calls[0].caller, "10.0.0.1:5060");
    /* Without keep_media nothing is kept... */
    sip(off, CALL_ID, "10.0.0.1", 5060, "192.0.2.1", 5060, "INVITE", 0,
        NULL, 0, 1, false);
    add_call(off, CALL_ID);
    ck_assert_uint_eq(off->n_sip, 0);
    ck_assert_uint_eq(off->n_calls, 0);
    /* ...and clearing empties the report but keeps the choice. */
    report_clear(r);
    ck_assert(r->keep_media);
    ck_assert_uint_eq(r->n_sip, 0);
    ck_assert_uint_eq(r->n_calls, 0);
    report_free(r);
    report_free(off);
}
END_TEST

START_TEST(test_ladder_geometry)
{
    struct report *r = small_call();
    struct capture_out o;
    const char *svg;
    char want[160];
    const int x0 = REPORT_HTML_LADDER_X0;
    const int x1 = REPORT_HTML_LADDER_X0 + REPORT_HTML_LADDER_COL_W;
    const int y0 = REPORT_HTML_LADDER_Y0, dy = REPORT_HTML_LADDER_ROW_H;
    const int h = REPORT_HTML_ARROW_HEAD;

    out_open(&o);
    report_html_ladder(o.f, r, &r->calls[0]);
    svg = out_close(&o);

    /* Two columns, five rows. */
    snprintf(want, sizeof(want), "width=\"%d\" height=\"%d\"",
             x1 + REPORT_HTML_LADDER_RIGHT,
             y0 + 4 * dy + REPORT_HTML_LADDER_BOTTOM);
    ck_assert_ptr_nonnull(strstr(svg, want));
    ck_assert_uint_eq(count(svg, "<line class=\"life\""), 2);
    snprintf(want, sizeof(want), "<line class=\"life\" x1=\"%d\"", x0);
    ck_assert_ptr_nonnull(strstr(svg, want));
    snprintf(want, sizeof(want), "<line class=\"life\" x1=\"%d\"", x1);
    ck_assert_ptr_nonnull(strstr(svg, want));
    ck_assert_uint_eq(count(svg, "<g class=\"msg"), 5);

    /* The INVITE: left to right on the first row, its head on the
     * callee's lifeline. */
    snprintf(want, sizeof(want), "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
             "y2=\"%d\"/><polygon points=\"%d,%d %d,%d %d,%d\"/>", x0, y0,
             x1 - h, y0, x1, y0, x1 - h, y0 - 4, x1 - h, y0 + 4);
    ck_assert_ptr_nonnull(strstr(svg, want));
    /* The 180, third row, right to left. */
    snprintf(want, sizeof(want), "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
             "y2=\"%d\"/>", x1, y0 + 2 * dy, x0 + h, y0 + 2 * dy);
    ck_assert_ptr_nonnull(strstr(svg, want));
    /* The retransmission is marked, the times are relative. */
    ck_assert_ptr_nonnull(strstr(svg, "<g class=\"msg req retx\">"));
    ck_assert_ptr_nonnull(strstr(svg, "INVITE (retransmission)</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">+0.500 s \xc2\xb7 #3</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "<g class=\"msg r1\">"));
    ck_assert_ptr_nonnull(strstr(svg, "<g class=\"msg r2\">"));
    /* Endpoints named, roles given. */
    ck_assert_ptr_nonnull(strstr(svg, ">10.0.0.1</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">port 5060 \xc2\xb7 caller</text>"));
    /* Packet text stays text. */
    ck_assert_ptr_nonnull(strstr(svg, "200 OK &lt;script&gt;x&lt;/script&gt;"));
    ck_assert_ptr_nonnull(strstr(svg, "User-Agent &lt;i&gt;phone"));
    ck_assert_ptr_null(strstr(svg, "<script"));
    ck_assert_ptr_null(strstr(svg, "<i>"));
    free(o.buf);
    report_free(r);
}
END_TEST

/* More endpoints than columns: the message that needs a seventh is left
 * out and counted; a call without messages says so. */
START_TEST(test_ladder_limits)
{
    struct report *r = report_new();
    struct capture_out o;
    const char *html;
    char ip[32];
    int i;

    r->keep_media = true;
    sip(r, "c", "10.0.0.1", 5060, "10.0.0.2", 5060, "INVITE", 0, NULL, 0, 1,
        false);
    for (i = 3; i <= 7; i++) {
        snprintf(ip, sizeof(ip), "10.0.0.%d", i);
        sip(r, "c", "10.0.0.2", 5060, ip, 5060, "INVITE", 0, NULL, i, 2,
            false);
    }
    add_call(r, "c");
    add_call(r, "silent");
    out_open(&o);
    report_html_ladder(o.f, r, &r->calls[0]);
    report_html_ladder(o.f, r, &r->calls[1]);
    html = out_close(&o);
    ck_assert_uint_eq(count(html, "<line class=\"life\""),
                      REPORT_HTML_LADDER_COLS);
    ck_assert_uint_eq(count(html, "<g class=\"msg"), 5);
    ck_assert_ptr_nonnull(strstr(html, "1 more message not drawn (0 beyond "
                                       "100 rows, 1 between further "
                                       "endpoints)"));
    ck_assert_ptr_nonnull(strstr(html, "No SIP message of this call"));
    free(o.buf);
    report_free(r);
}
END_TEST

/* --- plots --------------------------------------------------------------- */

START_TEST(test_axis_max)
{
    ck_assert_double_eq(report_html_axis_max(0), 1);
    ck_assert_double_eq(report_html_axis_max(-3), 1);
    ck_assert_double_eq(report_html_axis_max(NAN), 1);
    ck_assert_double_eq_tol(report_html_axis_max(0.3), 0.5, 1e-12);
    ck_assert_double_eq(report_html_axis_max(1), 1);
    ck_assert_double_eq(report_html_axis_max(1.01), 2);
    ck_assert_double_eq(report_html_axis_max(7), 10);
    ck_assert_double_eq(report_html_axis_max(20), 20);
    ck_assert_double_eq(report_html_axis_max(101), 200);
    ck_assert_double_eq(report_html_axis_max(4999), 5000);
}
END_TEST

START_TEST(test_plot_empty)
{
    struct capture_out o;
    const char *svg;
    const double gaps[2] = { NAN, NAN }, zeros[3] = { 0, 0, 0 };

    out_open(&o);
    report_html_plot(o.f, "Jitter <ms>", NULL, 0, 1, false);
    report_html_plot(o.f, "Lost", gaps, 2, 1, true);
    report_html_plot(o.f, "Lost", zeros, 3, 1, true);
    svg = out_close(&o);
    ck_assert_uint_eq(count(svg, "<svg class=\"plot\""), 3);
    ck_assert_uint_eq(count(svg, ">no samples</text>"), 2);
    ck_assert_uint_eq(count(svg, ">none in any interval</text>"), 1);
    ck_assert_ptr_null(strstr(svg, "<polyline"));
    ck_assert_ptr_null(strstr(svg, "<circle"));
    ck_assert_ptr_null(strstr(svg, "class=\"bar\""));
    ck_assert_ptr_nonnull(strstr(svg, ">Jitter &lt;ms&gt;</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">0 s</text>"));
    free(o.buf);
}
END_TEST

/* One value: a dot in the middle of the area (a line needs two), or one
 * bar filling 80 % of it, scaled to the axis top of 5. */
START_TEST(test_plot_one_point)
{
    struct capture_out o;
    const char *svg;
    const double three = 3, four = 4;
    char want[160];
    const double l = REPORT_HTML_PLOT_LEFT, t = REPORT_HTML_PLOT_TOP;
    const double w = REPORT_HTML_PLOT_W, h = REPORT_HTML_PLOT_H;

    out_open(&o);
    report_html_plot(o.f, "Jitter", &three, 1, 2, false);
    report_html_plot(o.f, "Lost", &four, 1, 2, true);
    svg = out_close(&o);
    snprintf(want, sizeof(want), "<circle class=\"dot\" cx=\"%.1f\" "
             "cy=\"%.1f\"", l + w / 2, t + h - 3.0 / 5 * h);
    ck_assert_ptr_nonnull(strstr(svg, want));
    snprintf(want, sizeof(want), "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
             "width=\"%.1f\" height=\"%.1f\"/>", l + w * 0.1,
             t + h - 4.0 / 5 * h, w * 0.8, 4.0 / 5 * h);
    ck_assert_ptr_nonnull(strstr(svg, want));
    ck_assert_uint_eq(count(svg, ">5</text>"), 2);     /* axis tops */
    ck_assert_uint_eq(count(svg, ">2 s</text>"), 2);   /* one 2 s interval */
    ck_assert_ptr_null(strstr(svg, "<polyline"));
    free(o.buf);
}
END_TEST

/* A gap splits the line: a lone value is a dot, a run a polyline. */
START_TEST(test_plot_series)
{
    struct capture_out o;
    const char *svg;
    const double v[5] = { 1, NAN, 2, 3, 10 };
    const double slot = (double)REPORT_HTML_PLOT_W / 5;
    const double l = REPORT_HTML_PLOT_LEFT;
    const double base = REPORT_HTML_PLOT_TOP + REPORT_HTML_PLOT_H;
    char want[200];

    out_open(&o);
    report_html_plot(o.f, "Jitter", v, 5, 1, false);
    svg = out_close(&o);
    ck_assert_uint_eq(count(svg, "<circle"), 1);
    ck_assert_uint_eq(count(svg, "<polyline"), 1);
    snprintf(want, sizeof(want), "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"",
             l + 2.5 * slot, base - 2.0 / 10 * REPORT_HTML_PLOT_H,
             l + 3.5 * slot, base - 3.0 / 10 * REPORT_HTML_PLOT_H,
             l + 4.5 * slot, (double)REPORT_HTML_PLOT_TOP);
    ck_assert_ptr_nonnull(strstr(svg, want));
    ck_assert_ptr_nonnull(strstr(svg, ">5 s</text>"));
    free(o.buf);
}
END_TEST

/* --- streams and the page ------------------------------------------------ */

static void add_stream(struct report *r, const char *call_id,
                       enum flow_dir dir, const char *src, uint64_t packets)
{
    struct rtp_stream_record s;

    memset(&s, 0, sizeof(s));
    s.flow_id = 7;
    s.call_id = call_id;
    s.ssrc = dir == FLOW_DIR_C2S ? 0x1111 : 0x2222;
    s.direction = dir;
    ck_assert_int_eq(ipaddr_parse(src, &s.src_ip), 0);
    ck_assert_int_eq(ipaddr_parse("192.0.2.1", &s.dst_ip), 0);
    s.src_port = 4000;
    s.dst_port = 30000;
    s.encoding = "PCMU";
    s.summary.packets = packets;
    s.summary.start_s = 1700000000.5;
    s.summary.end_s = 1700000003.5;
    s.has_mos = true;
    s.mos = 4.4;
    report_add_rtp_stream(r, &s);
}

static void add_sample(struct report *r, uint32_t ssrc, enum flow_dir dir,
                       uint32_t index, uint32_t packets, int32_t lost)
{
    struct rtp_sample_record s;

    memset(&s, 0, sizeof(s));
    s.flow_id = 7;
    s.ssrc = ssrc;
    s.direction = dir;
    s.index = index;
    s.bucket_s = 1;
    s.packets = packets;
    s.lost = lost;
    s.jitter_ms = 1.5;
    report_add_rtp_sample(r, &s);
}

START_TEST(test_samples)
{
    struct report *r = report_new();

    r->keep_media = true;
    add_stream(r, CALL_ID, FLOW_DIR_C2S, "10.0.0.1", 150);
    add_sample(r, 0x1111, FLOW_DIR_C2S, 0, 50, 0);
    add_sample(r, 0x1111, FLOW_DIR_C2S, 2, 50, 3);
    add_sample(r, 0x9999, FLOW_DIR_C2S, 0, 50, 0);    /* no such stream */
    add_sample(r, 0x1111, FLOW_DIR_S2C, 0, 50, 0);    /* other direction */
    ck_assert_uint_eq(r->streams[0].n_samples, 3);
    ck_assert_uint_eq(r->streams[0].samples[1].packets, 0);
    ck_assert_int_eq(r->streams[0].samples[2].lost, 3);
    ck_assert_uint_eq(r->streams[0].first_us, T0 + 500000);
    report_free(r);
}
END_TEST

/* A whole page: verdicts coloured, the call with its one-way media, and
 * nothing from packets that becomes markup. */
START_TEST(test_page)
{
    struct report *r = small_call();
    struct report_html *h = report_html_new();
    struct verdict_record v;
    struct finding fd;
    char path[] = "check_report_html.XXXXXX";
    char *page;
    long len;
    FILE *f;
    int fd_tmp;

    memset(&v, 0, sizeof(v));
    v.requirement = "REQ-1";
    v.set_name = "document";
    v.verdict = VERDICT_FAIL;
    v.severity = "error";
    v.summary = "<b>bold</b> summary";
    v.evidence = "flow 1 packet 2";
    v.fix = "fix it";
    report_add_verdict(r, &v);
    v.requirement = "REQ-2";
    v.verdict = VERDICT_NOT_OBSERVED;
    report_add_verdict(r, &v);
    memset(&fd, 0, sizeof(fd));
    fd.kind = "sip_alg_suspected";
    fd.severity = FINDING_ERROR;
    snprintf(fd.summary, sizeof(fd.summary), "UA <script>evil()</script>");
    report_add_finding(r, &fd);
    add_stream(r, CALL_ID, FLOW_DIR_C2S, "10.0.0.1", 150);
    add_sample(r, 0x1111, FLOW_DIR_C2S, 0, 50, 0);
    add_sample(r, 0x1111, FLOW_DIR_C2S, 1, 50, 2);
    report_set_capture(r, 1, "calls<1>.pcap", "EN10MB", "ringio", "0");
    report_html_add(h, r);

    fd_tmp = mkstemp(path);
    ck_assert_int_ge(fd_tmp, 0);
    close(fd_tmp);
    ck_assert_int_eq(report_html_write(h, path), 0);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    page = calloc(1, (size_t)len + 1);
    ck_assert_ptr_nonnull(page);
    ck_assert_uint_eq(fread(page, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    unlink(path);

    ck_assert_ptr_eq(strstr(page, "<!DOCTYPE html>"), page);
    ck_assert_ptr_nonnull(strstr(page, "</html>\n"));
    ck_assert_uint_eq(count(page, "<section class=\"capture\">"), 1);
    ck_assert_ptr_nonnull(strstr(page, "<span class=\"badge fail\">FAIL"));
    ck_assert_ptr_nonnull(strstr(page, "<span class=\"badge nobs\">NOT "
                                       "OBSERVED"));
    ck_assert_ptr_nonnull(strstr(page, "&lt;b&gt;bold&lt;/b&gt; summary"));
    ck_assert_ptr_nonnull(strstr(page, "UA &lt;script&gt;evil()"));
    ck_assert_ptr_nonnull(strstr(page, "calls&lt;1&gt;.pcap"));
    ck_assert_ptr_nonnull(strstr(page, "<svg class=\"ladder\""));
    ck_assert_uint_eq(count(page, "<svg class=\"plot\""), 2);
    ck_assert_ptr_nonnull(strstr(page, "ONE-WAY MEDIA caller"));
    /* No script, no external reference of any kind. */
    ck_assert_ptr_null(strstr(page, "<script"));
    ck_assert_ptr_null(strstr(page, "<b>"));
    ck_assert_ptr_null(strstr(page, "src="));
    ck_assert_ptr_null(strstr(page, "href="));
    ck_assert_ptr_null(strstr(page, "url("));
    free(page);
    report_html_free(h);
    report_free(r);
}
END_TEST

static Suite *report_html_suite(void)
{
    Suite *s = suite_create("report_html");
    TCase *tc;

    tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_fputs);
    tcase_add_test(tc, test_escape_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("ladder");
    tcase_add_test(tc, test_model_keeps_call_messages);
    tcase_add_test(tc, test_ladder_geometry);
    tcase_add_test(tc, test_ladder_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("plot");
    tcase_add_test(tc, test_axis_max);
    tcase_add_test(tc, test_plot_empty);
    tcase_add_test(tc, test_plot_one_point);
    tcase_add_test(tc, test_plot_series);
    suite_add_tcase(s, tc);

    tc = tcase_create("page");
    tcase_add_test(tc, test_samples);
    tcase_add_test(tc, test_page);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_html_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
