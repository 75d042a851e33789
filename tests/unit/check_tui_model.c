/* Unit tests for the TUI model (tui_model.h): sanitizing, rows from flows
 * and findings, sort, filters, selection and scrolling, the checklist
 * and its colours, calls, and the canvas that never lets a control
 * character through.  No terminal is involved. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "flow.h"
#include "ipaddr.h"
#include "tui_model.h"
#include "tui_view.h"

#define SEC INT64_C(1000000)
/* 2023-11-14T22:13:20Z, an arbitrary capture start. */
#define T0 (INT64_C(1700000000) * SEC)

/* --- helpers --------------------------------------------------------- */

static struct ip_addr addr(const char *s)
{
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse(s, &a), 0);
    return a;
}

/* A UDP or TCP flow opened at frame id by client:cport, with the given
 * class (NULL: unclassified) and bytes each way. */
static struct flow flow_of(uint64_t id, uint8_t proto, const char *client,
                           uint16_t cport, const char *server,
                           uint16_t sport, const char *cls,
                           uint64_t c2s_bytes, uint64_t s2c_bytes)
{
    struct flow f;

    memset(&f, 0, sizeof(f));
    f.id = id;
    f.first_packet = id;
    f.key.proto = proto;
    f.key.ip_version = 4;
    f.client_ip = addr(client);
    f.server_ip = addr(server);
    f.client_port = cport;
    f.server_port = sport;
    f.class_name = cls;
    f.dir[FLOW_DIR_C2S].packets = 1 + c2s_bytes / 100;
    f.dir[FLOW_DIR_S2C].packets = s2c_bytes / 100;
    f.dir[FLOW_DIR_C2S].bytes = c2s_bytes;
    f.dir[FLOW_DIR_S2C].bytes = s2c_bytes;
    f.first_us = T0 + (int64_t)id * SEC;
    f.last_us = f.first_us + SEC / 2;
    f.tcp_state = proto == 6 ? FLOW_TCP_ESTABLISHED : FLOW_TCP_NONE;
    f.tcp_rtt_us = -1;
    return f;
}

/* Five flows of three classes, put in frame order. */
static struct tui_model *model_with_flows(void)
{
    struct tui_model *m = tui_model_new();
    struct flow f[5];
    size_t i;

    f[0] = flow_of(10, 17, "192.168.1.10", 5060, "199.7.172.10", 5060,
                   "provider-sip", 3000, 2000);
    f[1] = flow_of(20, 17, "192.168.1.10", 16384, "199.7.172.20", 30000,
                   "provider-media", 90000, 88000);
    f[2] = flow_of(30, 6, "192.168.1.11", 40000, "199.7.173.10", 443,
                   "provider-web", 500, 70000);
    f[3] = flow_of(40, 6, "10.0.0.5", 40001, "203.0.113.9", 443, NULL,
                   100, 100);
    f[4] = flow_of(50, 17, "192.168.1.12", 5060, "199.7.172.10", 5060,
                   "provider-sip", 3000, 2000);
    snprintf(f[2].hostname, sizeof(f[2].hostname), "lab-web.ring.io");
    f[2].dir[FLOW_DIR_C2S].tcp[FLOW_TCPF_RETRANSMISSION] = 2;
    f[2].dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_FAST_RETRANSMISSION] = 1;
    f[2].dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_SPURIOUS_RETRANSMISSION] = 3;
    f[2].dir[FLOW_DIR_S2C].tcp[FLOW_TCPF_OUT_OF_ORDER] = 7;
    tui_model_begin_capture(m);
    for (i = 0; i < 5; i++)
        ck_assert_int_eq(tui_model_put_flow(m, &f[i], true), 0);
    return m;
}

/* The frame numbers of the visible flows, in display order, joined by
 * commas. */
static const char *order(struct tui_model *m, char *buf, size_t len)
{
    size_t i, n = tui_model_visible(m, TUI_TABLE_FLOWS), o = 0;

    buf[0] = '\0';
    for (i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%llu", i ? "," : "",
                              (unsigned long long)tui_model_flow_at(m, i)
                                  ->first_packet);
    return buf;
}

static uint64_t selected_frame(struct tui_model *m)
{
    const struct tui_flow_row *r =
        tui_model_selected_row(m, TUI_TABLE_FLOWS);

    return r->first_packet;
}

/* --- sanitizing ------------------------------------------------------ */

START_TEST(test_sanitize_escape_sequences)
{
    /* Clear screen, a window title (OSC ... BEL), cursor home, a bell,
     * a C1 CSI as a raw byte and as UTF-8, and a backspace trick. */
    const char *hostile = "evil\x1b[2J\x1b]0;pwned\x07\x1b[H\x07"
                          "\x9b" "31m" "\xc2\x9b" "1m" "ok\bX\r\n";
    char out[128];
    size_t i;

    tui_model_sanitize(out, sizeof(out), hostile);
    ck_assert_str_eq(out, "evil?[2J?]0;pwned??[H??31m?1mok?X??");
    for (i = 0; out[i]; i++) {
        ck_assert_int_ge((unsigned char)out[i], 0x20);
        ck_assert_int_ne((unsigned char)out[i], 0x7F);
    }
}
END_TEST

START_TEST(test_sanitize_utf8)
{
    char out[64];

    /* Well-formed printable UTF-8 stays. */
    tui_model_sanitize(out, sizeof(out), "Jos\xc3\xa9 \xe2\x82\xac");
    ck_assert_str_eq(out, "Jos\xc3\xa9 \xe2\x82\xac");
    /* Overlong '/', a lone continuation byte, a surrogate, a sequence
     * cut short, and bytes that never start UTF-8. */
    tui_model_sanitize(out, sizeof(out),
                       "a\xc0\xaf" "b\x80" "c\xed\xa0\x80" "d\xe2\x82"
                       "e\xff\xfe");
    ck_assert_str_eq(out, "a??b?c???d??e??");
    /* Right-to-left override, BOM and the line separator hide text. */
    tui_model_sanitize(out, sizeof(out),
                       "x\xe2\x80\xaey\xef\xbb\xbfz\xe2\x80\xa8!");
    ck_assert_str_eq(out, "x?y?z?!");
}
END_TEST

START_TEST(test_sanitize_bounds)
{
    char out[6];

    /* A character that does not fit is cut whole, never in half. */
    ck_assert_uint_eq(tui_model_sanitize(out, sizeof(out), "abc\xe2\x82\xac"),
                      3);
    ck_assert_str_eq(out, "abc");
    ck_assert_uint_eq(tui_model_sanitize(out, 1, "abc"), 0);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(tui_model_sanitize(out, sizeof(out), NULL), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

/* Every prefix of a hostile string, into every buffer size: always
 * terminated, never longer than the buffer, never a control byte. */
START_TEST(test_sanitize_every_length)
{
    const char hostile[] = "\x1b[2J\xc2\x9b\xe2\x80\xae\xf0\x9f\x98\x80"
                           "\xc3";
    char src[sizeof(hostile)];
    char out[32];
    size_t cut = (size_t)_i % sizeof(hostile), size;

    memcpy(src, hostile, cut);
    src[cut] = '\0';
    for (size = 1; size <= sizeof(out); size++) {
        size_t n = tui_model_sanitize(out, size, src), k;

        ck_assert_uint_lt(n, size);
        ck_assert_uint_eq(strlen(out), n);
        for (k = 0; k < n; k++)
            ck_assert_int_ge((unsigned char)out[k], 0x20);
    }
}
END_TEST

START_TEST(test_flow_strings_sanitized)
{
    struct tui_model *m = tui_model_new();
    struct flow f = flow_of(1, 6, "192.0.2.1", 1000, "192.0.2.2", 443,
                            "tls", 10, 10);
    const struct tui_flow_row *r;

    snprintf(f.hostname, sizeof(f.hostname), "a\x1b[2Jb.example");
    snprintf(f.ndpi_proto, sizeof(f.ndpi_proto), "T\x1bLS");
    tui_model_begin_capture(m);
    tui_model_put_flow(m, &f, true);
    r = tui_model_flow_at(m, 0);
    ck_assert_str_eq(r->hostname, "a?[2Jb.example");
    ck_assert_str_eq(r->app, "T?LS");
    tui_model_free(m);
}
END_TEST

/* --- rows and cells -------------------------------------------------- */

START_TEST(test_flow_rows_and_cells)
{
    struct tui_model *m = model_with_flows();
    const struct tui_flow_row *r;
    char cell[64];

    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_FLOWS), 5);
    r = tui_model_find_flow(m, 1, 30);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->client, "192.168.1.11:40000");
    ck_assert_uint_eq(r->retrans[FLOW_DIR_C2S], 2);
    ck_assert_uint_eq(r->retrans[FLOW_DIR_S2C], 4);
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_RETRANS, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "2/4");
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_BYTES, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "500/70.0k");
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_APP, cell, sizeof(cell));
    ck_assert_str_eq(cell, "TCP");
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_STATE, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "established");
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_DURATION, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "0.500s");
    r = tui_model_find_flow(m, 1, 40);
    ck_assert_str_eq(r->class_name, "other");
    r = tui_model_find_flow(m, 1, 10);
    tui_model_cell(TUI_TABLE_FLOWS, r, TUI_FLOW_COL_RETRANS, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "-");
    tui_model_free(m);
}
END_TEST

START_TEST(test_flow_update_in_place)
{
    struct tui_model *m = tui_model_new();
    struct flow f = flow_of(7, 17, "192.0.2.1", 1000, "192.0.2.2", 53,
                            "dns", 100, 0);
    const struct tui_flow_row *r;
    uint64_t serial;

    tui_model_begin_capture(m);
    tui_model_put_flow(m, &f, false);
    r = tui_model_flow_at(m, 0);
    serial = r->serial;
    ck_assert(!r->ended);
    f.dir[FLOW_DIR_S2C].bytes = 300;
    f.end_reason = FLOW_END_IDLE;
    tui_model_put_flow(m, &f, true);
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_FLOWS), 1);
    r = tui_model_flow_at(m, 0);
    ck_assert_uint_eq(r->serial, serial);
    ck_assert_uint_eq(r->bytes[FLOW_DIR_S2C], 300);
    ck_assert(r->ended);
    ck_assert_int_eq(r->end_reason, FLOW_END_IDLE);
    /* The same flow id in the next capture is another flow. */
    tui_model_begin_capture(m);
    tui_model_put_flow(m, &f, true);
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_FLOWS), 2);
    ck_assert_uint_eq(tui_model_find_flow(m, 2, 7)->capture, 2);
    ck_assert_uint_eq(tui_model_find_flow(m, 1, 7)->serial, serial);
    tui_model_free(m);
}
END_TEST

START_TEST(test_format_helpers)
{
    char buf[32];
    struct ip_addr v6 = addr("2001:db8::1");

    tui_model_format_count(9999, buf, sizeof(buf));
    ck_assert_str_eq(buf, "9999");
    tui_model_format_count(12345, buf, sizeof(buf));
    ck_assert_str_eq(buf, "12.3k");
    tui_model_format_count(999999, buf, sizeof(buf));
    ck_assert_str_eq(buf, "1.0M");
    tui_model_format_count(UINT64_C(4200000000), buf, sizeof(buf));
    ck_assert_str_eq(buf, "4.2G");
    tui_model_format_duration(61 * SEC, buf, sizeof(buf));
    ck_assert_str_eq(buf, "1m01s");
    tui_model_format_duration(7322 * SEC, buf, sizeof(buf));
    ck_assert_str_eq(buf, "2h02m");
    tui_model_format_clock(T0 + 1500, buf, sizeof(buf));
    ck_assert_str_eq(buf, "22:13:20.001");
    tui_model_endpoint(&v6, 5060, buf);
    ck_assert_str_eq(buf, "[2001:db8::1]:5060");
}
END_TEST

/* --- sort ------------------------------------------------------------ */

START_TEST(test_sort_default_and_columns)
{
    struct tui_model *m = model_with_flows();
    char buf[64];

    /* Bytes, most first. */
    ck_assert_int_eq(tui_model_sort_column(m, TUI_TABLE_FLOWS),
                     TUI_FLOW_COL_BYTES);
    ck_assert(tui_model_sort_descending(m, TUI_TABLE_FLOWS));
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "20,30,10,50,40");
    /* Ties keep arrival order whichever the direction. */
    tui_model_sort_reverse(m, TUI_TABLE_FLOWS);
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "40,10,50,30,20");
    /* Text columns start ascending. */
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_CLASS);
    ck_assert(!tui_model_sort_descending(m, TUI_TABLE_FLOWS));
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "40,20,10,50,30");
    /* Addresses sort as addresses, not as text ("10." before "192."). */
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_CLIENT);
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "40,10,20,30,50");
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_RETRANS);
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "30,10,20,40,50");
    tui_model_free(m);
}
END_TEST

START_TEST(test_sort_next_cycles)
{
    struct tui_model *m = model_with_flows();
    int i;

    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_FRAME);
    for (i = 1; i < TUI_FLOW_COL_COUNT; i++) {
        tui_model_sort_next(m, TUI_TABLE_FLOWS);
        ck_assert_int_eq(tui_model_sort_column(m, TUI_TABLE_FLOWS), i);
    }
    tui_model_sort_next(m, TUI_TABLE_FLOWS);
    ck_assert_int_eq(tui_model_sort_column(m, TUI_TABLE_FLOWS),
                     TUI_FLOW_COL_FRAME);
    /* Out-of-range columns are refused. */
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_COUNT);
    ck_assert_int_eq(tui_model_sort_column(m, TUI_TABLE_FLOWS),
                     TUI_FLOW_COL_FRAME);
    tui_model_free(m);
}
END_TEST

/* --- filters --------------------------------------------------------- */

START_TEST(test_category_filter_cycles)
{
    struct tui_model *m = model_with_flows();
    char buf[64];

    ck_assert_ptr_null(tui_model_category(m, TUI_TABLE_FLOWS));
    tui_model_category_next(m, TUI_TABLE_FLOWS);
    ck_assert_str_eq(tui_model_category(m, TUI_TABLE_FLOWS), "other");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "40");
    tui_model_category_next(m, TUI_TABLE_FLOWS);
    ck_assert_str_eq(tui_model_category(m, TUI_TABLE_FLOWS),
                     "provider-media");
    tui_model_category_next(m, TUI_TABLE_FLOWS);
    ck_assert_str_eq(tui_model_category(m, TUI_TABLE_FLOWS), "provider-sip");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "10,50");
    tui_model_category_next(m, TUI_TABLE_FLOWS);
    ck_assert_str_eq(tui_model_category(m, TUI_TABLE_FLOWS), "provider-web");
    tui_model_category_next(m, TUI_TABLE_FLOWS);
    ck_assert_ptr_null(tui_model_category(m, TUI_TABLE_FLOWS));
    ck_assert_uint_eq(tui_model_visible(m, TUI_TABLE_FLOWS), 5);
    ck_assert_str_eq(tui_model_category_label(TUI_TABLE_FLOWS), "class");
    tui_model_free(m);
}
END_TEST

START_TEST(test_text_filter)
{
    struct tui_model *m = model_with_flows();
    char buf[64];

    /* Case-insensitive, in any text field: hostname ... */
    tui_model_set_text_filter(m, TUI_TABLE_FLOWS, "LAB-WEB");
    ck_assert_str_eq(tui_model_text_filter(m, TUI_TABLE_FLOWS), "lab-web");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "30");
    /* ... endpoints ... */
    tui_model_set_text_filter(m, TUI_TABLE_FLOWS, ":5060");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "10,50");
    /* ... protocol and state. */
    tui_model_set_text_filter(m, TUI_TABLE_FLOWS, "tcp");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "30,40");
    /* Both filters at once. */
    tui_model_set_category(m, TUI_TABLE_FLOWS, "other");
    ck_assert_str_eq(order(m, buf, sizeof(buf)), "40");
    tui_model_set_text_filter(m, TUI_TABLE_FLOWS, "no such thing");
    ck_assert_uint_eq(tui_model_visible(m, TUI_TABLE_FLOWS), 0);
    ck_assert_ptr_null(tui_model_selected_row(m, TUI_TABLE_FLOWS));
    tui_model_set_category(m, TUI_TABLE_FLOWS, NULL);
    tui_model_set_text_filter(m, TUI_TABLE_FLOWS, "");
    ck_assert_uint_eq(tui_model_visible(m, TUI_TABLE_FLOWS), 5);
    tui_model_free(m);
}
END_TEST

/* --- selection and scrolling ----------------------------------------- */

START_TEST(test_selection_moves_and_clamps)
{
    struct tui_model *m = model_with_flows();

    tui_model_set_page(m, TUI_TABLE_FLOWS, 2);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    tui_model_move(m, TUI_TABLE_FLOWS, -3);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    tui_model_move(m, TUI_TABLE_FLOWS, 1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 1);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 0);
    /* Moving past the page scrolls just enough. */
    tui_model_move(m, TUI_TABLE_FLOWS, 1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 2);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 1);
    tui_model_move(m, TUI_TABLE_FLOWS, 100);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 4);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 3);
    tui_model_home(m, TUI_TABLE_FLOWS);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 0);
    tui_model_end(m, TUI_TABLE_FLOWS);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 4);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 3);
    tui_model_free(m);
}
END_TEST

START_TEST(test_page_keys)
{
    struct tui_model *m = model_with_flows();

    tui_model_set_page(m, TUI_TABLE_FLOWS, 2);
    tui_model_page(m, TUI_TABLE_FLOWS, 1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 2);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 2);
    tui_model_page(m, TUI_TABLE_FLOWS, 1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 4);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 3);
    tui_model_page(m, TUI_TABLE_FLOWS, 1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 4);
    tui_model_page(m, TUI_TABLE_FLOWS, -1);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 2);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 1);
    tui_model_page(m, TUI_TABLE_FLOWS, -5);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 0);
    /* A taller page shows everything from the top. */
    tui_model_end(m, TUI_TABLE_FLOWS);
    tui_model_set_page(m, TUI_TABLE_FLOWS, 10);
    ck_assert_uint_eq(tui_model_top(m, TUI_TABLE_FLOWS), 0);
    tui_model_free(m);
}
END_TEST

START_TEST(test_selection_follows_row)
{
    struct tui_model *m = model_with_flows();
    struct flow late = flow_of(60, 17, "192.168.1.99", 9, "192.0.2.9", 9,
                               "sip", 999999, 0);

    /* Select flow 10 (third by bytes), then sort otherwise. */
    tui_model_move(m, TUI_TABLE_FLOWS, 2);
    ck_assert_uint_eq(selected_frame(m), 10);
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_FRAME);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    ck_assert_uint_eq(selected_frame(m), 10);
    /* A new row sorted above it does not move the selection off it. */
    tui_model_set_sort(m, TUI_TABLE_FLOWS, TUI_FLOW_COL_BYTES);
    tui_model_put_flow(m, &late, false);
    ck_assert_uint_eq(selected_frame(m), 10);
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 3);
    /* Filtered away: the position stays, clamped; shown again: back on
     * the row. */
    tui_model_set_category(m, TUI_TABLE_FLOWS, "provider-web");
    ck_assert_uint_eq(tui_model_selected(m, TUI_TABLE_FLOWS), 0);
    ck_assert_uint_eq(selected_frame(m), 30);
    tui_model_free(m);
}
END_TEST

/* --- bounds ---------------------------------------------------------- */

START_TEST(test_flow_bound_drops_older_ended)
{
    struct tui_model *m = tui_model_new();
    struct flow f;
    uint64_t i;

    tui_model_begin_capture(m);
    /* One live flow first, then ended ones up to the bound. */
    f = flow_of(1, 17, "192.0.2.1", 1, "192.0.2.2", 2, "x", 1, 1);
    ck_assert_int_eq(tui_model_put_flow(m, &f, false), 0);
    for (i = 2; i <= TUI_MODEL_MAX_FLOWS; i++) {
        f = flow_of(i, 17, "192.0.2.1", 1, "192.0.2.2", 2, "x", 1, 1);
        ck_assert_int_eq(tui_model_put_flow(m, &f, true), 0);
    }
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_FLOWS),
                      TUI_MODEL_MAX_FLOWS);
    f = flow_of(TUI_MODEL_MAX_FLOWS + 1, 17, "192.0.2.1", 1, "192.0.2.2", 2,
                "x", 1, 1);
    ck_assert_int_eq(tui_model_put_flow(m, &f, true), 0);
    /* The older half of the ended flows went; the live one stayed. */
    ck_assert_uint_eq(tui_model_dropped(m, TUI_TABLE_FLOWS),
                      TUI_MODEL_MAX_FLOWS / 2);
    ck_assert_ptr_nonnull(tui_model_find_flow(m, 1, 1));
    ck_assert_ptr_null(tui_model_find_flow(m, 1, 2));
    ck_assert_ptr_nonnull(
        tui_model_find_flow(m, 1, TUI_MODEL_MAX_FLOWS + 1));
    ck_assert_ptr_nonnull(tui_model_find_flow(m, 1, TUI_MODEL_MAX_FLOWS));
    tui_model_free(m);
}
END_TEST

START_TEST(test_findings_bound)
{
    struct tui_model *m = tui_model_new();
    struct finding fd;
    int i;

    memset(&fd, 0, sizeof(fd));
    fd.kind = "tcp_blocked";
    fd.severity = FINDING_ERROR;
    tui_model_begin_capture(m);
    for (i = 0; i <= TUI_MODEL_MAX_FINDINGS; i++) {
        fd.first_packet = (uint64_t)i + 1;
        ck_assert_int_eq(tui_model_add_finding(m, &fd), 0);
    }
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_FINDINGS),
                      TUI_MODEL_MAX_FINDINGS / 2 + 1);
    ck_assert_uint_eq(tui_model_dropped(m, TUI_TABLE_FINDINGS),
                      TUI_MODEL_MAX_FINDINGS / 2);
    tui_model_free(m);
}
END_TEST

/* A full calls table drops its older half, ladders included (ASan and
 * valgrind see a leak otherwise), and counts them. */
START_TEST(test_calls_bound)
{
    struct tui_model *m = tui_model_new();
    struct tui_call c;
    struct tui_sip_msg msg;
    int i;

    memset(&c, 0, sizeof(c));
    memset(&msg, 0, sizeof(msg));
    snprintf(c.state, sizeof(c.state), "ended");
    snprintf(msg.label, sizeof(msg.label), "INVITE");
    for (i = 0; i <= TUI_MODEL_MAX_CALLS; i++) {
        snprintf(c.call_id, sizeof(c.call_id), "call-%d", i);
        ck_assert_int_eq(tui_model_set_call(m, &c), 0);
        ck_assert_int_eq(tui_model_add_call_message(m, c.call_id, &msg), 0);
    }
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_CALLS),
                      TUI_MODEL_MAX_CALLS / 2 + 1);
    ck_assert_uint_eq(tui_model_dropped(m, TUI_TABLE_CALLS),
                      TUI_MODEL_MAX_CALLS / 2);
    /* The oldest are gone, the newest kept with its ladder. */
    ck_assert_int_eq(tui_model_add_call_message(m, "call-0", &msg), -1);
    snprintf(c.call_id, sizeof(c.call_id), "call-%d", TUI_MODEL_MAX_CALLS);
    ck_assert_int_eq(tui_model_add_call_message(m, c.call_id, &msg), 0);
    tui_model_free(m);
}
END_TEST

/* A requirement past the checklist's bound is refused and counted. */
START_TEST(test_checklist_bound)
{
    struct tui_model *m = tui_model_new();
    char id[32];
    int i;

    for (i = 0; i < TUI_MODEL_MAX_REQUIREMENTS; i++) {
        snprintf(id, sizeof(id), "REQ-%d", i);
        ck_assert_int_eq(tui_model_add_requirement(m, id, "document",
                                                   "text"), 0);
    }
    ck_assert_int_eq(tui_model_add_requirement(m, "ONE-TOO-MANY",
                                               "document", "text"), -1);
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_CHECKLIST),
                      TUI_MODEL_MAX_REQUIREMENTS);
    ck_assert_uint_eq(tui_model_dropped(m, TUI_TABLE_CHECKLIST), 1);
    tui_model_free(m);
}
END_TEST

/* --- findings -------------------------------------------------------- */

START_TEST(test_findings_sort_by_severity)
{
    struct tui_model *m = tui_model_new();
    struct finding fd;
    const struct tui_finding_row *r;
    char cell[64];

    memset(&fd, 0, sizeof(fd));
    tui_model_begin_capture(m);
    fd.kind = "qos_unmarked";
    fd.severity = FINDING_WARNING;
    fd.first_packet = 5;
    tui_model_add_finding(m, &fd);
    fd.kind = "sip_alg_suspected";
    fd.severity = FINDING_ERROR;
    fd.requirement = "RIO-PHONE-ALG";
    fd.first_packet = 9;
    fd.ts_us = T0;
    snprintf(fd.summary, sizeof(fd.summary), "Contact rewritten\x1b[1m");
    tui_model_add_finding(m, &fd);
    r = tui_model_finding_at(m, 0);
    ck_assert_str_eq(r->kind, "sip_alg_suspected");
    ck_assert_str_eq(r->summary, "Contact rewritten?[1m");
    tui_model_cell(TUI_TABLE_FINDINGS, r, TUI_FINDING_COL_TIME, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "22:13:20.000");
    r = tui_model_finding_at(m, 1);
    tui_model_cell(TUI_TABLE_FINDINGS, r, TUI_FINDING_COL_REQUIREMENT,
                   cell, sizeof(cell));
    ck_assert_str_eq(cell, "-");
    tui_model_category_next(m, TUI_TABLE_FINDINGS);
    ck_assert_str_eq(tui_model_category(m, TUI_TABLE_FINDINGS), "error");
    ck_assert_uint_eq(tui_model_visible(m, TUI_TABLE_FINDINGS), 1);
    tui_model_free(m);
}
END_TEST

/* --- checklist ------------------------------------------------------- */

START_TEST(test_verdicts)
{
    struct tui_model *m = tui_model_new();
    size_t counts[3];
    const struct tui_check_row *r;

    ck_assert_int_eq(tui_model_add_requirement(m, "WEB-MEDIA-NOW", "current",
                                               "media to Twilio"), 0);
    ck_assert_int_eq(tui_model_add_requirement(m, "RIO-PHONE-ALG",
                                               "document,current",
                                               "no SIP ALG"), 0);
    ck_assert_int_eq(tui_model_add_requirement(m, "NTS-STUN", "current",
                                               "STUN"), 0);
    tui_model_verdict_counts(m, counts);
    ck_assert_uint_eq(counts[TUI_VERDICT_NOT_OBSERVED], 3);
    ck_assert_int_eq(tui_model_set_verdict(m, "RIO-PHONE-ALG",
                                           TUI_VERDICT_FAIL,
                                           "Contact rewritten"), 0);
    ck_assert_int_eq(tui_model_set_verdict(m, "NTS-STUN", TUI_VERDICT_PASS,
                                           NULL), 0);
    /* An id the profile did not list is added. */
    ck_assert_int_eq(tui_model_set_verdict(m, "EXTRA", TUI_VERDICT_PASS,
                                           "seen"), 0);
    tui_model_verdict_counts(m, counts);
    ck_assert_uint_eq(counts[TUI_VERDICT_NOT_OBSERVED], 1);
    ck_assert_uint_eq(counts[TUI_VERDICT_PASS], 2);
    ck_assert_uint_eq(counts[TUI_VERDICT_FAIL], 1);
    /* Failures first, then passes in profile order, then the rest. */
    r = tui_model_check_at(m, 0);
    ck_assert_str_eq(r->id, "RIO-PHONE-ALG");
    ck_assert_str_eq(r->summary, "Contact rewritten");
    ck_assert_str_eq(tui_model_check_at(m, 1)->id, "NTS-STUN");
    ck_assert_str_eq(tui_model_check_at(m, 2)->id, "EXTRA");
    ck_assert_str_eq(tui_model_check_at(m, 3)->id, "WEB-MEDIA-NOW");
    /* Adding a known requirement again keeps its verdict. */
    tui_model_add_requirement(m, "RIO-PHONE-ALG", "document", "x");
    ck_assert_int_eq(tui_model_check_at(m, 0)->verdict, TUI_VERDICT_FAIL);
    ck_assert_str_eq(tui_verdict_name(TUI_VERDICT_NOT_OBSERVED),
                     "NOT OBSERVED");
    tui_model_free(m);
}
END_TEST

START_TEST(test_verdicts_per_set)
{
    struct tui_model *m = tui_model_new();
    const struct tui_check_row *r;
    int i;

    tui_model_add_requirement(m, "WEB-MEDIA", "document,current", "media");
    ck_assert_int_eq(tui_model_set_set_verdict(m, "WEB-MEDIA", "document",
                                               TUI_VERDICT_PASS,
                                               "answered up to 20000"), 0);
    r = tui_model_check_at(m, 0);
    ck_assert_int_eq(r->verdict, TUI_VERDICT_PASS);
    /* The worst set decides the row, with its reason. */
    ck_assert_int_eq(tui_model_set_set_verdict(m, "WEB-MEDIA", "current",
                                               TUI_VERDICT_FAIL,
                                               "never above 20000"), 0);
    r = tui_model_check_at(m, 0);
    ck_assert_int_eq(r->verdict, TUI_VERDICT_FAIL);
    ck_assert_str_eq(r->summary, "never above 20000");
    ck_assert_uint_eq(r->n_per_set, 2);
    ck_assert_str_eq(r->per_set[0].set, "document");
    ck_assert_int_eq(r->per_set[0].verdict, TUI_VERDICT_PASS);
    /* A set judged again is updated, not added. */
    tui_model_set_set_verdict(m, "WEB-MEDIA", "current", TUI_VERDICT_PASS,
                              "fine now");
    r = tui_model_check_at(m, 0);
    ck_assert_uint_eq(r->n_per_set, 2);
    ck_assert_int_eq(r->verdict, TUI_VERDICT_PASS);
    ck_assert_str_eq(r->summary, "answered up to 20000");
    /* Sets per requirement are bounded. */
    for (i = 2; i < TUI_MODEL_MAX_SETS; i++) {
        char set[16];

        snprintf(set, sizeof(set), "set%d", i);
        ck_assert_int_eq(tui_model_set_set_verdict(m, "WEB-MEDIA", set,
                                                   TUI_VERDICT_PASS, ""),
                         0);
    }
    ck_assert_int_eq(tui_model_set_set_verdict(m, "WEB-MEDIA", "one more",
                                               TUI_VERDICT_FAIL, ""), -1);
    ck_assert_int_eq(tui_model_check_at(m, 0)->verdict, TUI_VERDICT_PASS);
    tui_model_free(m);
}
END_TEST

START_TEST(test_verdict_colours)
{
    ck_assert_int_eq(tui_theme_verdict_role(TUI_VERDICT_PASS),
                     TUI_ROLE_PASS);
    ck_assert_int_eq(tui_theme_verdict_role(TUI_VERDICT_FAIL),
                     TUI_ROLE_FAIL);
    ck_assert_int_eq(tui_theme_verdict_role(TUI_VERDICT_NOT_OBSERVED),
                     TUI_ROLE_NOT_OBSERVED);
    ck_assert_int_eq(tui_theme_style(TUI_ROLE_PASS)->fg, TUI_COLOR_GREEN);
    ck_assert_int_eq(tui_theme_style(TUI_ROLE_FAIL)->fg, TUI_COLOR_RED);
    ck_assert_int_eq(tui_theme_style(TUI_ROLE_NOT_OBSERVED)->fg,
                     TUI_COLOR_YELLOW);
    /* Without colours a failure still stands out. */
    ck_assert_uint_ne(tui_theme_style(TUI_ROLE_FAIL)->mono_attrs, 0);
    ck_assert_int_eq(tui_theme_severity_role(FINDING_ERROR), TUI_ROLE_ERROR);
    ck_assert_int_eq(tui_theme_severity_role(FINDING_WARNING),
                     TUI_ROLE_WARNING);
    ck_assert_int_eq(tui_theme_severity_role(FINDING_INFO), TUI_ROLE_INFO);
    ck_assert_int_eq(tui_theme_style(TUI_ROLE_ERROR)->fg, TUI_COLOR_RED);
    /* Out of range falls back to the normal style. */
    ck_assert_ptr_eq(tui_theme_style(TUI_ROLE_COUNT),
                     tui_theme_style(TUI_ROLE_NORMAL));
}
END_TEST

/* --- calls ----------------------------------------------------------- */

START_TEST(test_calls_and_messages)
{
    struct tui_model *m = tui_model_new();
    struct tui_call c;
    struct tui_sip_msg msg;
    const struct tui_call_row *r;
    char cell[64];
    int i;

    memset(&c, 0, sizeof(c));
    snprintf(c.call_id, sizeof(c.call_id), "abc@host");
    snprintf(c.from, sizeof(c.from), "sip:alice@example.com");
    snprintf(c.to, sizeof(c.to), "sip:bob\x1b[2J@example.com");
    snprintf(c.state, sizeof(c.state), "in progress");
    c.start_us = T0;
    c.end_us = T0;
    ck_assert_int_eq(tui_model_set_call(m, &c), 0);
    memset(&msg, 0, sizeof(msg));
    snprintf(msg.label, sizeof(msg.label), "INVITE");
    msg.ts_us = T0 + 3 * SEC;
    ck_assert_int_eq(tui_model_add_call_message(m, "abc@host", &msg), 0);
    ck_assert_int_eq(tui_model_add_call_message(m, "nope", &msg), -1);
    r = tui_model_call_at(m, 0);
    ck_assert_str_eq(r->call.to, "sip:bob?[2J@example.com");
    ck_assert_int_eq(r->call.end_us, T0 + 3 * SEC);
    tui_model_cell(TUI_TABLE_CALLS, r, TUI_CALL_COL_MEDIA_FWD, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "-");
    /* The call's final state replaces the row and keeps its ladder. */
    snprintf(c.state, sizeof(c.state), "ended");
    c.end_us = T0 + 9 * SEC;
    c.media_known = true;
    c.media[0].seen = true;
    c.media[0].packets = 1000;
    c.media[0].lost = 10;
    c.media[0].jitter_ms = 2.5;
    c.one_way = TUI_ONE_WAY_FWD_ONLY;
    ck_assert_int_eq(tui_model_set_call(m, &c), 0);
    ck_assert_uint_eq(tui_model_rows(m, TUI_TABLE_CALLS), 1);
    r = tui_model_call_at(m, 0);
    ck_assert_str_eq(r->call.state, "ended");
    ck_assert_uint_eq(r->n_messages, 1);
    tui_model_cell(TUI_TABLE_CALLS, r, TUI_CALL_COL_MEDIA_FWD, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "1000 1.0% 2.5ms");
    tui_model_cell(TUI_TABLE_CALLS, r, TUI_CALL_COL_MEDIA_REV, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "none");
    tui_model_cell(TUI_TABLE_CALLS, r, TUI_CALL_COL_ONE_WAY, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "ONE-WAY ->");
    tui_model_cell(TUI_TABLE_CALLS, r, TUI_CALL_COL_DURATION, cell,
                   sizeof(cell));
    ck_assert_str_eq(cell, "9.000s");
    /* The ladder is bounded; the rest is counted. */
    for (i = 0; i < TUI_MODEL_MAX_CALL_MESSAGES + 5; i++)
        tui_model_add_call_message(m, "abc@host", &msg);
    r = tui_model_call_at(m, 0);
    ck_assert_uint_eq(r->n_messages, TUI_MODEL_MAX_CALL_MESSAGES);
    ck_assert_uint_eq(r->messages_dropped, 6);
    /* A call needs a Call-ID. */
    c.call_id[0] = '\0';
    ck_assert_int_eq(tui_model_set_call(m, &c), -1);
    tui_model_free(m);
}
END_TEST

START_TEST(test_call_media_streams)
{
    struct tui_model *m = tui_model_new();
    struct ip_addr caller = addr("192.168.1.10");
    struct ip_addr callee = addr("199.7.172.20");
    const struct tui_call_row *r;
    struct tui_call c;

    memset(&c, 0, sizeof(c));
    snprintf(c.call_id, sizeof(c.call_id), "x@y");
    snprintf(c.state, sizeof(c.state), "in progress");
    c.caller_ip = caller;
    tui_model_set_call(m, &c);
    ck_assert_int_eq(tui_model_add_call_stream(m, "nope", &caller, 1, 0, 0),
                     -1);
    /* Caller to callee only: one-way. */
    ck_assert_int_eq(tui_model_add_call_stream(m, "x@y", &caller, 250, 2,
                                               1.5), 0);
    r = tui_model_call_at(m, 0);
    ck_assert(r->call.media_known);
    ck_assert_uint_eq(r->call.media[0].packets, 250);
    ck_assert(!r->call.media[1].seen);
    ck_assert_int_eq(r->call.one_way, TUI_ONE_WAY_FWD_ONLY);
    /* The way back arrives: two-way; jitter keeps the highest. */
    tui_model_add_call_stream(m, "x@y", &callee, 240, 0, 4.0);
    tui_model_add_call_stream(m, "x@y", &callee, 10, 1, 2.0);
    r = tui_model_call_at(m, 0);
    ck_assert_uint_eq(r->call.media[1].packets, 250);
    ck_assert_int_eq(r->call.media[1].lost, 1);
    ck_assert(r->call.media[1].jitter_ms == 4.0);
    ck_assert_int_eq(r->call.one_way, TUI_ONE_WAY_NONE);
    /* The call's final record keeps the media and the caller it lacks. */
    memset(&c, 0, sizeof(c));
    snprintf(c.call_id, sizeof(c.call_id), "x@y");
    snprintf(c.state, sizeof(c.state), "ended");
    tui_model_set_call(m, &c);
    r = tui_model_call_at(m, 0);
    ck_assert_str_eq(r->call.state, "ended");
    ck_assert(r->call.media_known);
    ck_assert_uint_eq(r->call.media[0].packets, 250);
    ck_assert(ipaddr_equal(&r->call.caller_ip, &caller));
    tui_model_free(m);
}
END_TEST

/* --- canvas ---------------------------------------------------------- */

START_TEST(test_canvas_never_holds_controls)
{
    struct tui_canvas cv = { 0, 0, NULL };
    char row[128];
    int r, c;

    tui_canvas_resize(&cv, 2, 20);
    ck_assert_int_eq(tui_canvas_put(&cv, 0, 0, 20, TUI_ROLE_NORMAL,
                                    "a\x1b[2J\x07\x9b" "b"),
                     8);
    ck_assert_str_eq(tui_canvas_row_text(&cv, 0, row, sizeof(row)),
                     "a?[2J??b");
    /* Clipped to the width asked and to the canvas. */
    ck_assert_int_eq(tui_canvas_put(&cv, 1, 15, 20, TUI_ROLE_NORMAL,
                                    "0123456789"),
                     5);
    ck_assert_str_eq(tui_canvas_row_text(&cv, 1, row, sizeof(row)),
                     "               01234");
    ck_assert_int_eq(tui_canvas_put(&cv, 5, 0, 20, TUI_ROLE_NORMAL, "x"),
                     0);
    tui_canvas_put_right(&cv, 1, 0, 6, TUI_ROLE_NORMAL, "42");
    ck_assert_str_eq(tui_canvas_row_text(&cv, 1, row, sizeof(row)),
                     "    42         01234");
    for (r = 0; r < cv.rows; r++)
        for (c = 0; c < cv.cols; c++)
            ck_assert_uint_ge(tui_canvas_at(&cv, r, c)->ch, 0x20);
    tui_canvas_release(&cv);
}
END_TEST

static Suite *tui_model_suite(void)
{
    Suite *s = suite_create("tui_model");
    TCase *tc;

    tc = tcase_create("sanitize");
    tcase_add_test(tc, test_sanitize_escape_sequences);
    tcase_add_test(tc, test_sanitize_utf8);
    tcase_add_test(tc, test_sanitize_bounds);
    tcase_add_loop_test(tc, test_sanitize_every_length, 0, 24);
    tcase_add_test(tc, test_flow_strings_sanitized);
    suite_add_tcase(s, tc);

    tc = tcase_create("rows");
    tcase_add_test(tc, test_flow_rows_and_cells);
    tcase_add_test(tc, test_flow_update_in_place);
    tcase_add_test(tc, test_format_helpers);
    suite_add_tcase(s, tc);

    tc = tcase_create("sort");
    tcase_add_test(tc, test_sort_default_and_columns);
    tcase_add_test(tc, test_sort_next_cycles);
    suite_add_tcase(s, tc);

    tc = tcase_create("filter");
    tcase_add_test(tc, test_category_filter_cycles);
    tcase_add_test(tc, test_text_filter);
    suite_add_tcase(s, tc);

    tc = tcase_create("selection");
    tcase_add_test(tc, test_selection_moves_and_clamps);
    tcase_add_test(tc, test_page_keys);
    tcase_add_test(tc, test_selection_follows_row);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_flow_bound_drops_older_ended);
    tcase_add_test(tc, test_findings_bound);
    tcase_add_test(tc, test_calls_bound);
    tcase_add_test(tc, test_checklist_bound);
    suite_add_tcase(s, tc);

    tc = tcase_create("findings");
    tcase_add_test(tc, test_findings_sort_by_severity);
    suite_add_tcase(s, tc);

    tc = tcase_create("checklist");
    tcase_add_test(tc, test_verdicts);
    tcase_add_test(tc, test_verdicts_per_set);
    tcase_add_test(tc, test_verdict_colours);
    suite_add_tcase(s, tc);

    tc = tcase_create("calls");
    tcase_add_test(tc, test_calls_and_messages);
    tcase_add_test(tc, test_call_media_streams);
    suite_add_tcase(s, tc);

    tc = tcase_create("canvas");
    tcase_add_test(tc, test_canvas_never_holds_controls);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tui_model_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
