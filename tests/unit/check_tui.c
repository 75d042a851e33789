/* Unit tests for the TUI controller and its screens (tui.h, tui_view.h):
 * keys drive a model and frames are read back from the canvas, so the
 * whole interface is exercised without a terminal. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "tui.h"
#include "tui_model.h"
#include "tui_view.h"

#define SEC INT64_C(1000000)
/* 2023-11-14T22:13:20Z, an arbitrary capture start. */
#define T0 (INT64_C(1700000000) * SEC)

struct fixture {
    struct tui_model *m;
    struct tui *t;
    struct tui_canvas cv;
};

static void put_flow(struct tui_model *m, uint64_t id, const char *client,
                     const char *server, uint16_t port, const char *cls,
                     const char *host, uint64_t bytes)
{
    struct flow f;

    memset(&f, 0, sizeof(f));
    f.id = id;
    f.first_packet = id;
    f.key.proto = 6;
    f.key.ip_version = 4;
    ck_assert_int_eq(ipaddr_parse(client, &f.client_ip), 0);
    ck_assert_int_eq(ipaddr_parse(server, &f.server_ip), 0);
    f.client_port = 40000;
    f.server_port = port;
    f.class_name = cls;
    snprintf(f.hostname, sizeof(f.hostname), "%s", host);
    f.dir[FLOW_DIR_C2S].packets = 10;
    f.dir[FLOW_DIR_C2S].bytes = bytes;
    f.first_us = T0;
    f.last_us = T0 + SEC;
    f.tcp_state = FLOW_TCP_ESTABLISHED;
    f.tcp_rtt_us = 1500;
    ck_assert_int_eq(tui_model_put_flow(m, &f, true), 0);
}

static void add_call(struct tui_model *m)
{
    static const char *const labels[] = { "INVITE", "180 Ringing",
                                          "200 OK", "ACK" };
    struct tui_call c;
    struct tui_sip_msg msg;
    size_t i;

    memset(&c, 0, sizeof(c));
    snprintf(c.call_id, sizeof(c.call_id), "call-1@phone");
    snprintf(c.from, sizeof(c.from), "sip:alice@example.com");
    snprintf(c.to, sizeof(c.to), "sip:bob@example.com");
    snprintf(c.state, sizeof(c.state), "ended");
    c.start_us = T0;
    c.end_us = T0 + 5 * SEC;
    ck_assert_int_eq(tui_model_set_call(m, &c), 0);
    for (i = 0; i < 4; i++) {
        memset(&msg, 0, sizeof(msg));
        msg.ts_us = T0 + (int64_t)i * 1000;
        snprintf(msg.src, sizeof(msg.src), "%s",
                 i % 2 ? "192.0.2.2:5060" : "192.0.2.1:5060");
        snprintf(msg.dst, sizeof(msg.dst), "%s",
                 i % 2 ? "192.0.2.1:5060" : "192.0.2.2:5060");
        snprintf(msg.label, sizeof(msg.label), "%s", labels[i]);
        ck_assert_int_eq(tui_model_add_call_message(m, c.call_id, &msg), 0);
    }
}

static void setup(struct fixture *fx, int rows, int cols)
{
    struct tui_stats st;
    struct finding fd;

    fx->m = tui_model_new();
    tui_model_begin_capture(fx->m);
    memset(&st, 0, sizeof(st));
    snprintf(st.source, sizeof(st.source), "capture.pcap");
    st.finished = true;
    st.packets = 1234;
    st.elapsed_us = 2 * SEC;
    st.packets_per_s = 617.0;
    st.flows_total = 2;
    tui_model_set_stats(fx->m, &st);
    put_flow(fx->m, 3, "192.168.1.10", "199.7.173.10", 443, "provider-web",
             "lab-web.ring.io", 9000);
    put_flow(fx->m, 9, "192.168.1.10", "199.7.172.10", 5061, "provider-sip",
             "", 700);
    memset(&fd, 0, sizeof(fd));
    fd.kind = "tcp_blocked";
    fd.severity = FINDING_ERROR;
    fd.requirement = "RIO-PHONE-TCP";
    fd.flow_id = 9;
    fd.first_packet = 9;
    fd.ts_us = T0;
    snprintf(fd.summary, sizeof(fd.summary), "SYN never answered");
    tui_model_add_finding(fx->m, &fd);
    tui_model_add_requirement(fx->m, "RIO-PHONE-TCP", "document,current",
                              "SIP over TCP to Ring.io");
    tui_model_add_requirement(fx->m, "RIO-PHONE-ALG", "document,current",
                              "No SIP ALG");
    tui_model_set_verdict(fx->m, "RIO-PHONE-TCP", TUI_VERDICT_FAIL,
                          "SYN never answered");
    add_call(fx->m);
    fx->t = tui_new(fx->m, rows, cols);
    memset(&fx->cv, 0, sizeof(fx->cv));
}

static void teardown(struct fixture *fx)
{
    tui_free(fx->t);
    tui_model_free(fx->m);
    tui_canvas_release(&fx->cv);
}

/* Draws and returns the frame as text, rows separated by newlines. */
static const char *frame(struct fixture *fx, char *buf, size_t len)
{
    char row[1024];
    size_t o = 0;
    int r;

    tui_draw(fx->t, &fx->cv);
    buf[0] = '\0';
    for (r = 0; r < fx->cv.rows && o < len; r++)
        o += (size_t)snprintf(buf + o, len - o, "%s\n",
                              tui_canvas_row_text(&fx->cv, r, row,
                                                  sizeof(row)));
    return buf;
}

/* a appears in buf, and before b. */
static void assert_before(const char *buf, const char *a, const char *b)
{
    const char *pa = strstr(buf, a), *pb = strstr(buf, b);

    ck_assert_ptr_nonnull(pa);
    ck_assert_ptr_nonnull(pb);
    ck_assert(pa < pb);
}

static void keys(struct fixture *fx, const char *s)
{
    for (; *s; s++)
        ck_assert_int_eq(tui_key(fx->t, (unsigned char)*s), TUI_HANDLED);
}

/* --- keys ------------------------------------------------------------ */

START_TEST(test_key_table)
{
    ck_assert_int_eq(tui_keys_action('q'), TUI_ACT_QUIT);
    ck_assert_int_eq(tui_keys_action(TUI_KEY_F1 + 9), TUI_ACT_QUIT);
    ck_assert_int_eq(tui_keys_action('?'), TUI_ACT_HELP);
    ck_assert_int_eq(tui_keys_action(TUI_KEY_TAB), TUI_ACT_NEXT_SCREEN);
    ck_assert_int_eq(tui_keys_action(TUI_KEY_F1 + 2), TUI_ACT_SCREEN_3);
    ck_assert_int_eq(tui_keys_action('4'), TUI_ACT_SCREEN_4);
    ck_assert_int_eq(tui_keys_action(TUI_KEY_PAGE_DOWN), TUI_ACT_PAGE_DOWN);
    ck_assert_int_eq(tui_keys_action(TUI_KEY_ESC), TUI_ACT_BACK);
    ck_assert_int_eq(tui_keys_action('x'), TUI_ACT_NONE);
}
END_TEST

/* Every action is documented: the help screen lists them all. */
START_TEST(test_every_action_documented)
{
    enum tui_action a = (enum tui_action)(_i + 1);

    ck_assert_uint_gt(strlen(tui_keys_names(a)), 0);
    ck_assert_uint_gt(strlen(tui_keys_description(a)), 0);
}
END_TEST

/* --- frames ---------------------------------------------------------- */

START_TEST(test_frame_at_80x24)
{
    struct fixture fx;
    char buf[8192];

    setup(&fx, 24, 80);
    frame(&fx, buf, sizeof(buf));
    ck_assert_int_eq(fx.cv.rows, 24);
    ck_assert_int_eq(fx.cv.cols, 80);
    ck_assert_ptr_nonnull(strstr(buf, "capture.pcap  done"));
    ck_assert_ptr_nonnull(strstr(buf, "FAIL 1  PASS 0  NOT OBSERVED 1"));
    ck_assert_ptr_nonnull(strstr(buf, "failing: RIO-PHONE-TCP"));
    ck_assert_ptr_nonnull(strstr(buf, "[1 Flows]"));
    /* Most bytes first; the columns that fit 80 columns. */
    ck_assert_ptr_nonnull(strstr(buf, "provider-web     192.168.1.10:40000"
                                      "    199.7.173.10:443"));
    assert_before(buf, "provider-web", "provider-sip");
    ck_assert_ptr_nonnull(strstr(buf, "? help  q quit"));
    teardown(&fx);
}
END_TEST

/* Live: the header shows the rate and the drops (highlighted when not
 * zero), and rows the model could not keep are counted where the rows
 * are. */
START_TEST(test_header_live_counters)
{
    struct fixture fx;
    struct tui_stats st;
    struct tui_call c;
    char buf[8192];
    const char *p;
    int col, i;

    setup(&fx, 24, 120);
    st = *tui_model_stats(fx.m);
    snprintf(st.source, sizeof(st.source), "eth1");
    st.live = true;
    st.finished = false;
    st.packets_per_s = 1500.0;
    st.drops = 7;
    tui_model_set_stats(fx.m, &st);
    memset(&c, 0, sizeof(c));
    snprintf(c.state, sizeof(c.state), "ended");
    for (i = 0; i <= TUI_MODEL_MAX_CALLS; i++) {
        snprintf(c.call_id, sizeof(c.call_id), "many-%d", i);
        tui_model_set_call(fx.m, &c);
    }
    tui_key(fx.t, '2');
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "eth1  live"));
    ck_assert_ptr_nonnull(strstr(buf, "pkts 1500.0/s"));
    p = strstr(buf, "drops 7");
    ck_assert_ptr_nonnull(p);
    ck_assert(p < strchr(buf, '\n'));
    col = (int)(p - buf);
    ck_assert_int_eq(fx.cv.cells[col].role, TUI_ROLE_FAIL);
    ck_assert_ptr_nonnull(strstr(buf, "older not kept)"));
    teardown(&fx);
}
END_TEST

START_TEST(test_screens_switch)
{
    struct fixture fx;
    char buf[8192];

    setup(&fx, 24, 100);
    keys(&fx, "2");
    ck_assert_uint_eq(tui_current_screen(fx.t), 1);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "[2 Calls]"));
    ck_assert_ptr_nonnull(strstr(buf, "sip:alice@"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_TAB), TUI_HANDLED);
    ck_assert_uint_eq(tui_current_screen(fx.t), 2);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "tcp_blocked"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_F1 + 3), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "FAIL         RIO-PHONE-TCP"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_BACKTAB), TUI_HANDLED);
    ck_assert_uint_eq(tui_current_screen(fx.t), 2);
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_TAB), TUI_HANDLED);
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_TAB), TUI_HANDLED);
    ck_assert_uint_eq(tui_current_screen(fx.t), 0);
    teardown(&fx);
}
END_TEST

START_TEST(test_sort_and_category_keys)
{
    struct fixture fx;
    char buf[8192];

    setup(&fx, 24, 100);
    keys(&fx, "r");
    frame(&fx, buf, sizeof(buf));
    assert_before(buf, "provider-sip", "provider-web");
    ck_assert_ptr_nonnull(strstr(buf, "Bytes c/s ^"));
    keys(&fx, "s");
    ck_assert_int_eq(tui_model_sort_column(fx.m, TUI_TABLE_FLOWS),
                     TUI_FLOW_COL_RETRANS);
    keys(&fx, "c");
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "1/2  class provider-sip"));
    ck_assert_ptr_null(strstr(buf, "provider-web"));
    teardown(&fx);
}
END_TEST

START_TEST(test_filter_prompt)
{
    struct fixture fx;
    char buf[8192];

    setup(&fx, 24, 100);
    keys(&fx, "/lab-w");
    frame(&fx, buf, sizeof(buf));
    /* Rows narrow down while typing. */
    ck_assert_ptr_nonnull(strstr(buf, "Filter: lab-w_"));
    ck_assert_uint_eq(tui_model_visible(fx.m, TUI_TABLE_FLOWS), 1);
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_BACKSPACE), TUI_HANDLED);
    ck_assert_str_eq(tui_model_text_filter(fx.m, TUI_TABLE_FLOWS),
                     "lab-");
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ENTER), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "/lab-/"));
    /* A new prompt starts from the filter and edits it; cancelled, the
     * filter before it comes back. */
    keys(&fx, "/zzz");
    ck_assert_uint_eq(tui_model_visible(fx.m, TUI_TABLE_FLOWS), 0);
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ESC), TUI_HANDLED);
    ck_assert_str_eq(tui_model_text_filter(fx.m, TUI_TABLE_FLOWS),
                     "lab-");
    /* q while typing is text, not quit. */
    keys(&fx, "/q");
    ck_assert_str_eq(tui_model_text_filter(fx.m, TUI_TABLE_FLOWS),
                     "lab-q");
    teardown(&fx);
}
END_TEST

START_TEST(test_flow_detail_and_back)
{
    struct fixture fx;
    char buf[16384];

    setup(&fx, 40, 100);
    /* The second flow by bytes is the one with the finding. */
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_DOWN), TUI_HANDLED);
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ENTER), TUI_HANDLED);
    ck_assert_str_eq(tui_top_name(fx.t), "Detail");
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "Flow 192.168.1.10:40000 -> "
                                      "199.7.172.10:5061"));
    ck_assert_ptr_nonnull(strstr(buf, "SYN to SYN/ACK 1.500 ms"));
    ck_assert_ptr_nonnull(strstr(buf, "Findings of this flow"));
    ck_assert_ptr_nonnull(strstr(buf, "SYN never answered"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ESC), TUI_HANDLED);
    ck_assert_str_eq(tui_top_name(fx.t), "Flows");
    teardown(&fx);
}
END_TEST

START_TEST(test_finding_drills_to_flow)
{
    struct fixture fx;
    char buf[16384];

    setup(&fx, 30, 100);
    keys(&fx, "3");
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ENTER), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "Finding tcp_blocked"));
    ck_assert_ptr_nonnull(strstr(buf, "Enter opens it"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ENTER), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "Flow 192.168.1.10:40000"));
    /* Back twice: finding, then the list. */
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ESC), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "Finding tcp_blocked"));
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ESC), TUI_HANDLED);
    ck_assert_str_eq(tui_top_name(fx.t), "Findings");
    teardown(&fx);
}
END_TEST

START_TEST(test_call_ladder)
{
    struct fixture fx;
    char buf[16384];

    setup(&fx, 30, 80);
    keys(&fx, "2");
    ck_assert_int_eq(tui_key(fx.t, TUI_KEY_ENTER), TUI_HANDLED);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "Call call-1@phone"));
    ck_assert_ptr_nonnull(strstr(buf, "192.0.2.1:5060"));
    ck_assert_ptr_nonnull(strstr(buf, "192.0.2.2:5060"));
    /* Requests go right, responses come back left. */
    ck_assert_ptr_nonnull(strstr(buf, "-INVITE-"));
    ck_assert_ptr_nonnull(strstr(buf, "->|"));
    ck_assert_ptr_nonnull(strstr(buf, "|<-"));
    ck_assert_ptr_nonnull(strstr(buf, "180 Ringing"));
    assert_before(buf, "INVITE", "200 OK");
    teardown(&fx);
}
END_TEST

START_TEST(test_help_and_quit)
{
    struct fixture fx;
    char buf[16384];

    setup(&fx, 30, 100);
    keys(&fx, "?");
    ck_assert_str_eq(tui_top_name(fx.t), "Help");
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "sort by the next column"));
    /* The help of the screen it was opened from. */
    ck_assert_ptr_nonnull(strstr(buf, "Flows: one row per flow"));
    keys(&fx, "?");
    ck_assert_str_eq(tui_top_name(fx.t), "Flows");
    ck_assert_int_eq(tui_key(fx.t, 'q'), TUI_QUIT);
    teardown(&fx);
}
END_TEST

START_TEST(test_resize_and_tiny)
{
    struct fixture fx;
    char buf[16384];

    setup(&fx, 24, 80);
    frame(&fx, buf, sizeof(buf));
    ck_assert(!tui_needs_redraw(fx.t));
    tui_resize(fx.t, 30, 120);
    ck_assert(tui_needs_redraw(fx.t));
    frame(&fx, buf, sizeof(buf));
    ck_assert_int_eq(fx.cv.rows, 30);
    ck_assert_int_eq(fx.cv.cols, 120);
    /* Wider: more columns. */
    ck_assert_ptr_nonnull(strstr(buf, "TCP state"));
    tui_resize(fx.t, 4, 30);
    frame(&fx, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "terminal too small"));
    teardown(&fx);
}
END_TEST

START_TEST(test_batch_frames)
{
    struct fixture fx;
    char *out = NULL;
    size_t len = 0;
    FILE *f;

    setup(&fx, 24, 80);
    keys(&fx, "3");
    f = open_memstream(&out, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(tui_write_batch(fx.t, f, 7), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(out, "-- frame 7: Flows --\n"));
    ck_assert_ptr_nonnull(strstr(out, "-- frame 7: Calls --\n"));
    ck_assert_ptr_nonnull(strstr(out, "-- frame 7: Findings --\n"));
    ck_assert_ptr_nonnull(strstr(out, "-- frame 7: Compliance --\n"));
    ck_assert_ptr_nonnull(strstr(out, "lab-web.ring.io"));
    /* No trailing blanks, no control characters. */
    ck_assert_ptr_null(strstr(out, " \n"));
    ck_assert_ptr_null(strchr(out, '\x1b'));
    /* The interactive state is back. */
    ck_assert_uint_eq(tui_current_screen(fx.t), 2);
    free(out);
    teardown(&fx);
}
END_TEST

static Suite *tui_suite(void)
{
    Suite *s = suite_create("tui");
    TCase *tc;

    tc = tcase_create("keys");
    tcase_add_test(tc, test_key_table);
    tcase_add_loop_test(tc, test_every_action_documented, 0,
                        TUI_ACT_COUNT - 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("screens");
    tcase_add_test(tc, test_frame_at_80x24);
    tcase_add_test(tc, test_header_live_counters);
    tcase_add_test(tc, test_screens_switch);
    tcase_add_test(tc, test_sort_and_category_keys);
    tcase_add_test(tc, test_filter_prompt);
    tcase_add_test(tc, test_help_and_quit);
    tcase_add_test(tc, test_resize_and_tiny);
    suite_add_tcase(s, tc);

    tc = tcase_create("detail");
    tcase_add_test(tc, test_flow_detail_and_back);
    tcase_add_test(tc, test_finding_drills_to_flow);
    tcase_add_test(tc, test_call_ladder);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_test(tc, test_batch_frames);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tui_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
