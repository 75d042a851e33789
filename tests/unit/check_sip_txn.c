/* Unit tests for SIP transactions, calls, registrations and the
 * retransmission timer analysis. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"
#include "sip_txn.h"

#define MS 1000             /* microseconds */
#define SEC 1000000

/* ---- what the callbacks saw ---------------------------------------------- */

#define REC_MAX 32

struct rec {
    size_t ntxn;
    struct sip_txn_report txn[REC_MAX];
    char txn_method[REC_MAX][32];
    size_t nstate;
    enum sip_call_state state[REC_MAX];
    size_t nend;
    struct sip_call_report end[REC_MAX];
    char end_to_tag[REC_MAX][64];
    size_t nbind;
    struct sip_binding_report bind[REC_MAX];
    char bind_contact[REC_MAX][128];
    char bind_aor[REC_MAX][128];
};

static void view_copy(char *dst, size_t cap, struct sip_str v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;

    if (n > 0)
        memcpy(dst, v.ptr, n);
    dst[n] = '\0';
}

/* Reports are copied without their strings, which die with the call. */
static void on_txn(void *arg, const struct sip_txn_report *r)
{
    struct rec *rec = arg;

    ck_assert_uint_lt(rec->ntxn, REC_MAX);
    snprintf(rec->txn_method[rec->ntxn], 32, "%s", r->method);
    rec->txn[rec->ntxn] = *r;
    rec->txn[rec->ntxn].call_id = NULL;
    rec->txn[rec->ntxn].branch = NULL;
    rec->txn[rec->ntxn].method = NULL;
    rec->ntxn++;
}

static void on_state(void *arg, const struct sip_call_report *r)
{
    struct rec *rec = arg;

    ck_assert_uint_lt(rec->nstate, REC_MAX);
    ck_assert_int_eq(r->why, SIP_CALL_END_NONE);
    rec->state[rec->nstate++] = r->state;
}

static void on_end(void *arg, const struct sip_call_report *r)
{
    struct rec *rec = arg;
    struct sip_call_report *e;

    ck_assert_uint_lt(rec->nend, REC_MAX);
    snprintf(rec->end_to_tag[rec->nend], 64, "%s", r->to_tag);
    e = &rec->end[rec->nend++];
    *e = *r;
    e->call_id = e->from_uri = e->to_uri = NULL;
    e->from_tag = e->to_tag = e->first_method = NULL;
}

static void on_bind(void *arg, const struct sip_binding_report *r)
{
    struct rec *rec = arg;

    ck_assert_uint_lt(rec->nbind, REC_MAX);
    view_copy(rec->bind_contact[rec->nbind], 128, r->contact);
    view_copy(rec->bind_aor[rec->nbind], 128, r->aor);
    rec->bind[rec->nbind] = *r;
    rec->nbind++;
}

static struct sip_txn_table *table_new(struct rec *rec,
                                       const struct sip_txn_config *cfg)
{
    struct sip_txn_config def;
    struct sip_txn_events ev = { on_txn, on_state, on_end, on_bind, rec };
    struct sip_txn_table *t;

    memset(rec, 0, sizeof(*rec));
    sip_txn_config_defaults(&def);
    t = sip_txn_new(cfg ? cfg : &def, &ev);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* ---- messages -------------------------------------------------------------- */

/* The phone (caller, behind nothing) and the server (callee side). */
#define PHONE "192.168.1.10"
#define SERVER "198.51.100.20"

struct spec {
    const char *method;         /* a request when set */
    int code;                   /* else a response */
    const char *via;            /* sent-by of the top Via */
    const char *branch;
    uint32_t cseq;
    const char *cseq_method;
    const char *from_tag;       /* the caller's tag unless from_callee */
    const char *to_tag;         /* "" for none */
    bool from_callee;           /* From/To swapped (BYE from the callee) */
    const char *call_id;
    const char *extra;          /* more header lines, CRLF-terminated */
};

static size_t build(const struct spec *s, char *out, size_t cap)
{
    char start[128], to[96], from[96];
    const char *a = s->from_callee ? "bob" : "alice";
    const char *b = s->from_callee ? "alice" : "bob";
    int n;

    if (s->method)
        snprintf(start, sizeof(start), "%s sip:%s@example.com SIP/2.0",
                 s->method, b);
    else
        snprintf(start, sizeof(start), "SIP/2.0 %d Reason", s->code);
    snprintf(from, sizeof(from), "<sip:%s@example.com>;tag=%s", a,
             s->from_tag);
    snprintf(to, sizeof(to), "<sip:%s@example.com>%s%s", b,
             s->to_tag[0] ? ";tag=" : "", s->to_tag);
    n = snprintf(out, cap,
                 "%s\r\n"
                 "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n"
                 "From: %s\r\n"
                 "To: %s\r\n"
                 "Call-ID: %s\r\n"
                 "CSeq: %u %s\r\n"
                 "%s"
                 "Content-Length: 0\r\n"
                 "\r\n",
                 start, s->via, s->branch, from, to, s->call_id, s->cseq,
                 s->cseq_method, s->extra ? s->extra : "");
    ck_assert_int_gt(n, 0);
    ck_assert_uint_lt((size_t)n, cap);
    return (size_t)n;
}

struct ep {
    const char *ip;
    uint16_t port;
};

static const struct ep phone = { PHONE, 5060 };
static const struct ep server = { SERVER, 5060 };

/* Parses the message and feeds it; returns the verdict. */
static struct sip_txn_verdict feed_tr(struct sip_txn_table *t,
                                      const struct spec *s, int64_t ts,
                                      uint64_t frame, struct ep src,
                                      struct ep dst, bool reliable)
{
    char text[2048];
    size_t len = build(s, text, sizeof(text));
    struct sip_msg *m = malloc(sizeof(*m));
    struct sip_txn_pkt pkt;
    struct sip_txn_verdict v;

    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(sip_parse((const uint8_t *)text, len, m), SIP_PARSE_OK);
    memset(&pkt, 0, sizeof(pkt));
    pkt.ts_us = ts;
    pkt.frame = frame;
    pkt.flow_id = 7;
    ck_assert_int_eq(ipaddr_parse(src.ip, &pkt.src), 0);
    ck_assert_int_eq(ipaddr_parse(dst.ip, &pkt.dst), 0);
    pkt.sport = src.port;
    pkt.dport = dst.port;
    pkt.reliable = reliable;
    sip_txn_process(t, m, &pkt, &v);
    free(m);
    return v;
}

static struct sip_txn_verdict feed(struct sip_txn_table *t,
                                   const struct spec *s, int64_t ts,
                                   uint64_t frame, struct ep src,
                                   struct ep dst)
{
    return feed_tr(t, s, ts, frame, src, dst, false);
}

/* The caller's INVITE, its responses and the caller's ACK for a non-2xx. */
static const struct spec invite = {
    "INVITE", 0, PHONE ":5060", "z9hG4bKinv1", 1, "INVITE", "caller1", "",
    false, "call-1@192.168.1.10", NULL,
};

static struct spec response(int code, const char *to_tag)
{
    struct spec s = invite;

    s.method = NULL;
    s.code = code;
    s.to_tag = to_tag;
    return s;
}

/* ---- transactions and retransmissions ----------------------------------- */

/* INVITE retransmitted at 0, 0.5, 1.5 and 3.5 s (Timer A), then 100 Trying
 * stops it; 180, 486 and the ACK for the 486 follow. */
START_TEST(test_invite_timer_a)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    static const int64_t at[4] = { 0, 500 * MS, 1500 * MS, 3500 * MS };
    struct sip_txn_verdict v;
    struct spec s;
    uint32_t i;
    const struct sip_txn_report *r;

    for (i = 0; i < 4; i++) {
        v = feed(t, &invite, at[i], i + 1, phone, server);
        ck_assert_uint_eq(v.txn_id, 1);
        ck_assert_uint_eq(v.call_ref, 1);
        ck_assert(v.retransmission == (i > 0));
        ck_assert(v.resend == (i > 0));
        ck_assert_uint_eq(v.resend_of, i > 0 ? 1 : 0);
        ck_assert_uint_eq(v.copy, i);
        ck_assert_uint_eq(v.original_frame, i > 0 ? 1 : 0);
        ck_assert_int_eq(v.gap_us, i > 0 ? at[i] - at[i - 1] : 0);
        ck_assert_int_eq(v.expected_gap_us, i > 0 ? at[i] - at[i - 1] : 0);
        ck_assert(v.timer_match == (i > 0));
    }
    s = response(100, "");
    v = feed(t, &s, 3600 * MS, 5, server, phone);
    ck_assert_uint_eq(v.txn_id, 1);
    ck_assert(!v.retransmission);
    ck_assert(!v.resend);
    s = response(180, "callee1");
    feed(t, &s, 4 * SEC, 6, server, phone);
    s = response(486, "callee1");
    v = feed(t, &s, 6 * SEC, 7, server, phone);
    ck_assert(!v.retransmission);
    s = invite;
    s.method = "ACK";
    s.cseq_method = "ACK";
    s.to_tag = "callee1";
    v = feed(t, &s, 6 * SEC + 10 * MS, 8, phone, server);
    ck_assert_uint_eq(v.txn_id, 1);
    ck_assert(!v.retransmission);
    ck_assert(!v.resend);

    ck_assert_uint_eq(rec.ntxn, 0);
    sip_txn_advance(t, 100 * SEC);
    ck_assert_uint_eq(rec.ntxn, 1);
    r = &rec.txn[0];
    ck_assert_str_eq(rec.txn_method[0], "INVITE");
    ck_assert_int_eq(r->method_id, SIP_METHOD_INVITE);
    ck_assert(!r->rfc2543);
    ck_assert(r->request_seen);
    ck_assert_uint_eq(r->request_copies, 4);
    ck_assert_uint_eq(r->request_timer_gaps, 3);
    ck_assert_uint_eq(r->request_timer_matches, 3);
    ck_assert_uint_eq(r->retransmissions, 3);
    ck_assert_int_eq(r->first_provisional, 100);
    ck_assert_int_eq(r->provisional_us, 3600 * MS);
    ck_assert_int_eq(r->final_status, 486);
    ck_assert_uint_eq(r->final_frame, 7);
    ck_assert_uint_eq(r->final_copies, 1);
    ck_assert(r->acked);
    ck_assert_uint_eq(r->ack_frame, 8);
    ck_assert(r->timed_out);
    ck_assert(!r->no_response);
    ck_assert(!r->twoxx_no_ack);
    ck_assert_uint_eq(r->first_frame, 1);
    ck_assert_uint_eq(r->client_port, 5060);
    ck_assert_int_eq(r->why, SIP_TXN_END_EXPIRED);

    ck_assert_uint_eq(rec.nstate, 3);
    ck_assert_int_eq(rec.state[0], SIP_CALL_TRYING);
    ck_assert_int_eq(rec.state[1], SIP_CALL_RINGING);
    ck_assert_int_eq(rec.state[2], SIP_CALL_FAILED);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_FAILED);
    ck_assert_int_eq(rec.end[0].final_status, 486);
    ck_assert_int_eq(rec.end[0].ring_delay_us, 4 * SEC);
    ck_assert_int_eq(rec.end[0].setup_us, -1);
    ck_assert_int_eq(rec.end[0].duration_us, -1);
    ck_assert_int_eq(rec.end[0].end_us, 6 * SEC);
    ck_assert_uint_eq(rec.end[0].messages, 8);
    ck_assert_int_eq(rec.end[0].why, SIP_CALL_END_FINISHED);
    ck_assert_str_eq(rec.end_to_tag[0], "callee1");
    sip_txn_free(t);
}
END_TEST

/* Copies off the pattern, a span-port duplicate and the same request seen
 * after a NAT are told apart. */
START_TEST(test_copy_kinds)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    static const struct ep nat = { "203.0.113.7", 40000 };
    struct sip_txn_verdict v;

    feed(t, &invite, 0, 1, phone, server);
    v = feed(t, &invite, 200 * MS, 2, phone, server);
    ck_assert(v.retransmission);
    ck_assert_int_eq(v.expected_gap_us, 500 * MS);
    ck_assert(!v.timer_match);
    v = feed(t, &invite, 200 * MS + 500, 3, phone, server);
    ck_assert(v.mirror_duplicate);
    ck_assert(!v.retransmission);
    ck_assert(v.resend);
    ck_assert_uint_eq(v.resend_of, 1);
    v = feed(t, &invite, 201 * MS, 4, nat, server);
    ck_assert(v.other_path);
    ck_assert(!v.retransmission);
    ck_assert(!v.resend);
    ck_assert_uint_eq(v.txn_id, 1);

    sip_txn_flush(t, 10 * SEC);
    ck_assert_uint_eq(rec.ntxn, 1);
    ck_assert_uint_eq(rec.txn[0].request_copies, 2);
    ck_assert_uint_eq(rec.txn[0].request_timer_gaps, 1);
    ck_assert_uint_eq(rec.txn[0].request_timer_matches, 0);
    ck_assert_uint_eq(rec.txn[0].mirror_duplicates, 1);
    ck_assert_uint_eq(rec.txn[0].other_path_copies, 1);
    ck_assert_uint_eq(rec.txn[0].retransmissions, 1);
    ck_assert(!rec.txn[0].timed_out);
    ck_assert(!rec.txn[0].no_response);
    ck_assert_int_eq(rec.txn[0].why, SIP_TXN_END_FLUSHED);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_TRYING);
    ck_assert_int_eq(rec.end[0].why, SIP_CALL_END_FLUSHED);
    sip_txn_free(t);
}
END_TEST

static const struct spec reg = {
    "REGISTER", 0, PHONE ":5060", "z9hG4bKreg1", 1, "REGISTER", "reg1", "",
    false, "reg-1@192.168.1.10",
    "Contact: <sip:alice@192.168.1.10:5060>;expires=3600\r\n"
    "Expires: 3600\r\n",
};

/* REGISTER sent 11 times, Timer E doubling to T2 (0, 0.5, 1.5, 3.5, 7.5,
 * 11.5 ... 31.5 s), never answered: no response once Timer F ran out. */
START_TEST(test_register_no_response)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    static const int64_t gaps[10] = {
        500 * MS, 1 * SEC, 2 * SEC, 4 * SEC, 4 * SEC,
        4 * SEC, 4 * SEC, 4 * SEC, 4 * SEC, 4 * SEC,
    };
    int64_t ts = 0;
    struct sip_txn_verdict v;
    struct sip_txn_stats st;
    uint32_t i;

    v = feed(t, &reg, ts, 1, phone, server);
    ck_assert(!v.retransmission);
    for (i = 0; i < 10; i++) {
        ts += gaps[i];
        v = feed(t, &reg, ts, i + 2, phone, server);
        ck_assert(v.retransmission);
        ck_assert(v.resend);
        ck_assert_uint_eq(v.copy, i + 1);
        ck_assert_int_eq(v.expected_gap_us, gaps[i]);
        ck_assert(v.timer_match);
    }
    ck_assert_int_eq(ts, 31500 * MS);

    /* Kept 64*T1 after the last copy: 31.5 + 32 = 63.5 s. */
    sip_txn_advance(t, 63 * SEC);
    ck_assert_uint_eq(rec.ntxn, 0);
    sip_txn_advance(t, 63500 * MS);
    ck_assert_uint_eq(rec.ntxn, 1);
    ck_assert_str_eq(rec.txn_method[0], "REGISTER");
    ck_assert_uint_eq(rec.txn[0].request_copies, 11);
    ck_assert_uint_eq(rec.txn[0].request_timer_gaps, 10);
    ck_assert_uint_eq(rec.txn[0].request_timer_matches, 10);
    ck_assert_uint_eq(rec.txn[0].retransmissions, 10);
    ck_assert(rec.txn[0].timed_out);
    ck_assert(rec.txn[0].no_response);
    ck_assert_int_eq(rec.txn[0].final_status, 0);
    ck_assert_int_eq(rec.txn[0].why, SIP_TXN_END_EXPIRED);
    ck_assert_uint_eq(rec.nstate, 0);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_NONE);
    ck_assert_uint_eq(rec.end[0].messages, 11);
    ck_assert_int_eq(rec.end[0].why, SIP_CALL_END_FINISHED);
    ck_assert_uint_eq(rec.nbind, 0);
    sip_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.messages, 11);
    ck_assert_uint_eq(st.txns, 1);
    ck_assert_uint_eq(st.calls, 1);
    sip_txn_free(t);
}
END_TEST

/* After a provisional, a non-INVITE client retransmits every T2 (RFC 3261
 * section 17.1.2.2): 0, 0.5, 100 Trying, 1.5, 5.5, 9.5 s. */
START_TEST(test_non_invite_t2_after_provisional)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    static const int64_t at[5] = { 0, 500 * MS, 1500 * MS, 5500 * MS,
                                   9500 * MS };
    static const int64_t expect[5] = { 0, 500 * MS, 1 * SEC, 4 * SEC,
                                       4 * SEC };
    struct spec s = reg;
    struct sip_txn_verdict v;
    uint64_t frame = 0;
    uint32_t i;

    for (i = 0; i < 5; i++) {
        if (i == 2) {
            s.method = NULL;
            s.code = 100;
            feed(t, &s, 600 * MS, ++frame, server, phone);
            s.method = "REGISTER";
        }
        v = feed(t, &s, at[i], ++frame, phone, server);
        ck_assert_int_eq(v.expected_gap_us, expect[i]);
        ck_assert(v.timer_match == (i > 0));
    }
    sip_txn_flush(t, 10 * SEC);
    ck_assert_uint_eq(rec.txn[0].request_timer_matches, 4);
    ck_assert_int_eq(rec.txn[0].first_provisional, 100);
    ck_assert(!rec.txn[0].no_response);
    sip_txn_free(t);
}
END_TEST

/* A capture that stops before Timer F cannot say "no response"; one that
 * runs past it can. */
START_TEST(test_no_response_needs_timer_f)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);

    feed(t, &reg, 0, 1, phone, server);
    sip_txn_flush(t, 10 * SEC);
    ck_assert_uint_eq(rec.ntxn, 1);
    ck_assert(!rec.txn[0].timed_out);
    ck_assert(!rec.txn[0].no_response);
    sip_txn_free(t);

    t = table_new(&rec, NULL);
    feed(t, &reg, 0, 1, phone, server);
    sip_txn_flush(t, 31 * SEC);
    ck_assert(!rec.txn[0].no_response);
    sip_txn_free(t);

    t = table_new(&rec, NULL);
    feed(t, &reg, 0, 1, phone, server);
    feed(t, &reg, 20 * SEC, 2, phone, server);
    sip_txn_flush(t, 40 * SEC);
    ck_assert(rec.txn[0].timed_out);
    ck_assert(rec.txn[0].no_response);
    ck_assert_int_eq(rec.txn[0].why, SIP_TXN_END_FLUSHED);
    sip_txn_free(t);
}
END_TEST

/* 200 OK retransmitted by the callee with Timer G's schedule (0.5, 1, 2,
 * 4, 4 ... s) because no ACK arrives, then a BYE at ~32 s. */
START_TEST(test_2xx_without_ack)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    static const int64_t gaps[10] = {
        500 * MS, 1 * SEC, 2 * SEC, 4 * SEC, 4 * SEC,
        4 * SEC, 4 * SEC, 4 * SEC, 4 * SEC, 4 * SEC,
    };
    struct spec ok = response(200, "callee1"), bye, bye_ok;
    int64_t ts = 2 * SEC;
    uint64_t frame = 3;
    struct sip_txn_verdict v;
    uint32_t i;
    const struct sip_txn_report *r;

    feed(t, &invite, 0, 1, phone, server);
    ok.code = 100;
    ok.to_tag = "";
    feed(t, &ok, 50 * MS, 2, server, phone);
    ok.code = 200;
    ok.to_tag = "callee1";
    v = feed(t, &ok, ts, frame, server, phone);
    ck_assert(!v.retransmission);
    for (i = 0; i < 10; i++) {
        ts += gaps[i];
        v = feed(t, &ok, ts, ++frame, server, phone);
        ck_assert(v.retransmission);
        ck_assert(v.resend);
        ck_assert_uint_eq(v.resend_of, 3);
        ck_assert_int_eq(v.expected_gap_us, gaps[i]);
        ck_assert(v.timer_match);
    }
    ck_assert_int_eq(ts, 33500 * MS);

    bye = invite;
    bye.method = "BYE";
    bye.via = SERVER ":5060";
    bye.branch = "z9hG4bKbye1";
    bye.cseq = 1;
    bye.cseq_method = "BYE";
    bye.from_tag = "callee1";
    bye.to_tag = "caller1";
    bye.from_callee = true;
    v = feed(t, &bye, 34 * SEC, ++frame, server, phone);
    ck_assert_uint_eq(v.txn_id, 2);
    ck_assert(!v.resend);
    bye_ok = bye;
    bye_ok.method = NULL;
    bye_ok.code = 200;
    feed(t, &bye_ok, 34 * SEC + 10 * MS, ++frame, phone, server);

    sip_txn_advance(t, 200 * SEC);
    ck_assert_uint_eq(rec.ntxn, 2);
    r = &rec.txn[0];
    ck_assert_str_eq(rec.txn_method[0], "INVITE");
    ck_assert_int_eq(r->final_status, 200);
    ck_assert_uint_eq(r->final_copies, 11);
    ck_assert_uint_eq(r->final_timer_gaps, 10);
    ck_assert_uint_eq(r->final_timer_matches, 10);
    ck_assert_uint_eq(r->retransmissions, 10);
    ck_assert(!r->acked);
    ck_assert(r->twoxx_no_ack);
    ck_assert(!r->no_response);
    ck_assert_str_eq(rec.txn_method[1], "BYE");
    ck_assert(!rec.txn[1].twoxx_no_ack);
    ck_assert_int_eq(rec.txn[1].final_status, 200);

    ck_assert_uint_eq(rec.nstate, 3);
    ck_assert_int_eq(rec.state[1], SIP_CALL_ANSWERED);
    ck_assert_int_eq(rec.state[2], SIP_CALL_ENDED);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].duration_us, 32 * SEC);
    sip_txn_free(t);
}
END_TEST

/* INVITE, 100, 180, 200, ACK (new branch), 60 s of call, BYE, 200. */
START_TEST(test_normal_call)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s, ack, bye;
    struct sip_txn_verdict v;
    const struct sip_call_report *c;

    feed(t, &invite, 0, 1, phone, server);
    s = response(100, "");
    feed(t, &s, 50 * MS, 2, server, phone);
    s = response(180, "callee1");
    feed(t, &s, 500 * MS, 3, server, phone);
    s = response(200, "callee1");
    feed(t, &s, 5 * SEC, 4, server, phone);
    ack = invite;
    ack.method = "ACK";
    ack.cseq_method = "ACK";
    ack.branch = "z9hG4bKack1";
    ack.to_tag = "callee1";
    v = feed(t, &ack, 5 * SEC + 50 * MS, 5, phone, server);
    ck_assert_uint_eq(v.txn_id, 1);
    ck_assert(!v.retransmission);
    bye = invite;
    bye.method = "BYE";
    bye.cseq_method = "BYE";
    bye.cseq = 2;
    bye.branch = "z9hG4bKbye2";
    bye.to_tag = "callee1";
    v = feed(t, &bye, 65 * SEC, 6, phone, server);
    ck_assert_uint_eq(v.txn_id, 2);
    ck_assert_uint_eq(v.call_ref, 1);
    /* The INVITE transaction went quiet at 5.05 s: reported at 37.05 s,
     * before this BYE was handled. */
    ck_assert_uint_eq(rec.ntxn, 1);
    ck_assert(rec.txn[0].acked);
    ck_assert_uint_eq(rec.txn[0].ack_frame, 5);
    ck_assert(!rec.txn[0].twoxx_no_ack);
    ck_assert_uint_eq(rec.txn[0].retransmissions, 0);
    s = bye;
    s.method = NULL;
    s.code = 200;
    feed(t, &s, 65 * SEC + 50 * MS, 7, server, phone);

    ck_assert_uint_eq(rec.nstate, 4);
    ck_assert_int_eq(rec.state[0], SIP_CALL_TRYING);
    ck_assert_int_eq(rec.state[1], SIP_CALL_RINGING);
    ck_assert_int_eq(rec.state[2], SIP_CALL_ANSWERED);
    ck_assert_int_eq(rec.state[3], SIP_CALL_ENDED);

    sip_txn_advance(t, 97 * SEC);
    ck_assert_uint_eq(rec.nend, 0);
    sip_txn_advance(t, 97 * SEC + 50 * MS);
    ck_assert_uint_eq(rec.ntxn, 2);
    ck_assert_str_eq(rec.txn_method[1], "BYE");
    ck_assert_uint_eq(rec.nend, 1);
    c = &rec.end[0];
    ck_assert_uint_eq(c->id, 1);
    ck_assert_int_eq(c->state, SIP_CALL_ENDED);
    ck_assert_int_eq(c->final_status, 200);
    ck_assert_int_eq(c->start_us, 0);
    ck_assert_int_eq(c->ring_delay_us, 500 * MS);
    ck_assert_int_eq(c->setup_us, 5 * SEC);
    ck_assert_int_eq(c->answer_us, 5 * SEC);
    ck_assert_int_eq(c->end_us, 65 * SEC);
    ck_assert_int_eq(c->duration_us, 60 * SEC);
    ck_assert_uint_eq(c->messages, 7);
    ck_assert_uint_eq(c->reinvites, 0);
    ck_assert_uint_eq(c->first_frame, 1);
    ck_assert_uint_eq(c->caller_port, 5060);
    ck_assert_uint_eq(c->caller_ip.bytes[3], 10);
    ck_assert_uint_eq(c->callee_ip.bytes[3], 20);
    ck_assert_str_eq(rec.end_to_tag[0], "callee1");
    ck_assert_int_eq(c->why, SIP_CALL_END_FINISHED);
    sip_txn_free(t);
}
END_TEST

/* REGISTER, 401 with a challenge, REGISTER with credentials, 200 OK
 * granting a shorter expiry than asked. */
START_TEST(test_register_auth_binding)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s;
    struct sip_txn_verdict v;
    size_t i;

    feed(t, &reg, 0, 1, phone, server);
    s = reg;
    s.method = NULL;
    s.code = 401;
    s.to_tag = "srv1";
    s.extra = "WWW-Authenticate: Digest realm=\"example.com\", "
              "nonce=\"abc\", algorithm=MD5\r\n";
    feed(t, &s, 50 * MS, 2, server, phone);
    s = reg;
    s.branch = "z9hG4bKreg2";
    s.cseq = 2;
    s.extra = "Contact: <sip:alice@192.168.1.10:5060>;expires=3600\r\n"
              "Authorization: Digest username=\"alice\", realm=\"example.com\""
              ", nonce=\"abc\", uri=\"sip:example.com\", response=\"0\"\r\n";
    v = feed(t, &s, 100 * MS, 3, phone, server);
    ck_assert_uint_eq(v.txn_id, 2);
    ck_assert(!v.resend);
    s.method = NULL;
    s.code = 200;
    s.to_tag = "srv1";
    s.extra = "Contact: <sip:alice@192.168.1.10:5060>;expires=1800\r\n"
              "Expires: 3600\r\n";
    feed(t, &s, 150 * MS, 4, server, phone);

    ck_assert_uint_eq(rec.nbind, 1);
    ck_assert_str_eq(rec.bind_contact[0], "sip:alice@192.168.1.10:5060");
    ck_assert_str_eq(rec.bind_aor[0], "sip:bob@example.com");
    ck_assert_int_eq(rec.bind[0].expires_s, 1800);
    ck_assert_int_eq(rec.bind[0].requested_s, 3600);
    ck_assert_uint_eq(rec.bind[0].txn_id, 2);
    ck_assert_uint_eq(rec.bind[0].frame, 4);
    ck_assert_uint_eq(rec.bind[0].count, 1);
    ck_assert_uint_eq(rec.bind[0].client_port, 5060);
    ck_assert_uint_eq(rec.bind[0].client_ip.bytes[3], 10);

    sip_txn_flush(t, 1 * SEC);
    ck_assert_uint_eq(rec.ntxn, 2);
    for (i = 0; i < 2; i++) {
        ck_assert_str_eq(rec.txn_method[i], "REGISTER");
        ck_assert(!rec.txn[i].no_response);
        ck_assert_uint_eq(rec.txn[i].retransmissions, 0);
    }
    ck_assert_int_eq(rec.txn[0].final_status, 401);
    ck_assert_int_eq(rec.txn[1].final_status, 200);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_NONE);
    ck_assert_uint_eq(rec.end[0].messages, 4);
    sip_txn_free(t);
}
END_TEST

/* A 2xx without Contact (a query) still confirms the registration. */
START_TEST(test_binding_without_contact)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s = reg;

    s.extra = NULL;
    feed(t, &s, 0, 1, phone, server);
    s.method = NULL;
    s.code = 200;
    s.to_tag = "srv1";
    s.extra = "Expires: 600\r\n";
    feed(t, &s, 10 * MS, 2, server, phone);
    ck_assert_uint_eq(rec.nbind, 1);
    ck_assert_str_eq(rec.bind_contact[0], "");
    ck_assert_uint_eq(rec.bind[0].count, 0);
    ck_assert_int_eq(rec.bind[0].expires_s, 600);
    ck_assert_int_eq(rec.bind[0].requested_s, -1);
    sip_txn_free(t);
}
END_TEST

/* INVITE, 180, CANCEL (its own transaction, same branch), 200 to the
 * CANCEL, 487 to the INVITE, ACK. */
START_TEST(test_cancelled_call)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s;
    struct sip_txn_verdict v;

    feed(t, &invite, 0, 1, phone, server);
    s = response(180, "callee1");
    feed(t, &s, 100 * MS, 2, server, phone);
    s = invite;
    s.method = "CANCEL";
    s.cseq_method = "CANCEL";
    v = feed(t, &s, 3 * SEC, 3, phone, server);
    ck_assert_uint_eq(v.txn_id, 2);
    v = feed(t, &s, 3500 * MS, 4, phone, server);
    ck_assert(v.retransmission);
    ck_assert(!v.resend);               /* Wireshark never flags CANCEL */
    ck_assert(v.timer_match);
    s.method = NULL;
    s.code = 200;
    feed(t, &s, 3600 * MS, 5, server, phone);
    s = response(487, "callee1");
    feed(t, &s, 3700 * MS, 6, server, phone);
    s = invite;
    s.method = "ACK";
    s.cseq_method = "ACK";
    s.to_tag = "callee1";
    v = feed(t, &s, 3710 * MS, 7, phone, server);
    ck_assert_uint_eq(v.txn_id, 1);

    ck_assert_uint_eq(rec.nstate, 3);
    ck_assert_int_eq(rec.state[2], SIP_CALL_CANCELLED);
    sip_txn_flush(t, 5 * SEC);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert(rec.end[0].cancel_seen);
    ck_assert_int_eq(rec.end[0].final_status, 487);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_CANCELLED);
    sip_txn_free(t);
}
END_TEST

/* A 407 challenge, then the INVITE again with a new CSeq: the same call
 * goes back to trying and is answered. */
START_TEST(test_invite_after_challenge)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s;

    feed(t, &invite, 0, 1, phone, server);
    s = response(407, "px1");
    feed(t, &s, 20 * MS, 2, server, phone);
    s = invite;
    s.branch = "z9hG4bKinv2";
    s.cseq = 2;
    feed(t, &s, 40 * MS, 3, phone, server);
    s.method = NULL;
    s.code = 200;
    s.to_tag = "callee1";
    feed(t, &s, 2 * SEC, 4, server, phone);
    ck_assert_uint_eq(rec.nstate, 4);
    ck_assert_int_eq(rec.state[1], SIP_CALL_FAILED);
    ck_assert_int_eq(rec.state[2], SIP_CALL_TRYING);
    ck_assert_int_eq(rec.state[3], SIP_CALL_ANSWERED);
    sip_txn_flush(t, 3 * SEC);
    ck_assert_int_eq(rec.end[0].setup_us, 2 * SEC);
    ck_assert_int_eq(rec.end[0].final_status, 200);
    ck_assert_int_eq(rec.end[0].duration_us, -1);
    sip_txn_free(t);
}
END_TEST

/* An INVITE that rings and never gets a final stays for Timer C. */
START_TEST(test_proceeding_kept_for_timer_c)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s = response(180, "callee1");

    feed(t, &invite, 0, 1, phone, server);
    feed(t, &s, 1 * SEC, 2, server, phone);
    sip_txn_advance(t, 100 * SEC);
    ck_assert_uint_eq(rec.ntxn, 0);
    ck_assert_uint_eq(rec.nend, 0);
    sip_txn_advance(t, 181 * SEC);
    ck_assert_uint_eq(rec.ntxn, 1);
    ck_assert(!rec.txn[0].no_response);
    ck_assert_int_eq(rec.txn[0].final_status, 0);
    ck_assert_uint_eq(rec.nend, 1);
    ck_assert_int_eq(rec.end[0].state, SIP_CALL_RINGING);
    ck_assert_int_eq(rec.end[0].why, SIP_CALL_END_IDLE);
    sip_txn_free(t);
}
END_TEST

/* Over TCP no timer drives a request copy and Wireshark flags nothing. */
START_TEST(test_reliable_transport)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct sip_txn_verdict v;

    feed_tr(t, &invite, 0, 1, phone, server, true);
    v = feed_tr(t, &invite, 500 * MS, 2, phone, server, true);
    ck_assert(v.retransmission);
    ck_assert_int_eq(v.expected_gap_us, 0);
    ck_assert(!v.timer_match);
    ck_assert(!v.resend);
    sip_txn_flush(t, 1 * SEC);
    ck_assert(rec.txn[0].reliable);
    ck_assert_uint_eq(rec.txn[0].request_timer_gaps, 0);
    sip_txn_free(t);
}
END_TEST

/* RFC 2543 peers: no magic cookie, matched on Call-ID, CSeq, From tag and
 * top Via; a different sent-by is another transaction. */
START_TEST(test_rfc2543_matching)
{
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct spec s = invite;
    struct sip_txn_verdict v;

    s.branch = "old1";
    v = feed(t, &s, 0, 1, phone, server);
    ck_assert_uint_eq(v.txn_id, 1);
    v = feed(t, &s, 500 * MS, 2, phone, server);
    ck_assert_uint_eq(v.txn_id, 1);
    ck_assert(v.retransmission);
    s.method = NULL;
    s.code = 100;
    v = feed(t, &s, 600 * MS, 3, server, phone);
    ck_assert_uint_eq(v.txn_id, 1);
    s = invite;
    s.branch = "old1";
    s.via = "192.168.1.11:5060";
    v = feed(t, &s, 700 * MS, 4, phone, server);
    ck_assert_uint_eq(v.txn_id, 2);
    sip_txn_flush(t, 1 * SEC);
    ck_assert_uint_eq(rec.ntxn, 2);
    ck_assert(rec.txn[0].rfc2543);
    ck_assert_int_eq(rec.txn[0].first_provisional, 100);
    sip_txn_free(t);
}
END_TEST

/* ---- bounds and odd input -------------------------------------------------- */

START_TEST(test_eviction)
{
    struct rec rec;
    struct sip_txn_config cfg;
    struct sip_txn_table *t;
    struct sip_txn_stats st;
    char id[32];
    uint32_t i;

    sip_txn_config_defaults(&cfg);
    cfg.max_txns = 4;
    cfg.max_calls = 2;
    t = table_new(&rec, &cfg);
    for (i = 0; i < 10; i++) {
        struct spec s = reg;

        snprintf(id, sizeof(id), "evict-%u", i);
        s.call_id = id;
        s.method = "OPTIONS";
        s.cseq_method = "OPTIONS";
        feed(t, &s, (int64_t)i * MS, i + 1, phone, server);
    }
    sip_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.txns, 10);
    ck_assert_uint_eq(st.txns_evicted, 6);
    ck_assert_uint_eq(st.calls, 10);
    ck_assert_uint_eq(st.calls_evicted, 8);
    ck_assert_uint_eq(rec.ntxn, 6);
    ck_assert_int_eq(rec.txn[0].why, SIP_TXN_END_EVICTED);
    ck_assert_uint_eq(rec.txn[0].first_frame, 1);
    ck_assert_uint_eq(rec.nend, 8);
    ck_assert_int_eq(rec.end[0].why, SIP_CALL_END_EVICTED);
    sip_txn_flush(t, 1 * SEC);
    ck_assert_uint_eq(rec.ntxn, 10);
    ck_assert_uint_eq(rec.nend, 10);
    ck_assert_uint_eq(rec.txn[9].first_frame, 10);
    sip_txn_free(t);
}
END_TEST

START_TEST(test_ignored_and_unmatched)
{
    static const char no_callid[] =
        "OPTIONS sip:a@b SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n";
    struct rec rec;
    struct sip_txn_table *t = table_new(&rec, NULL);
    struct sip_msg *m = malloc(sizeof(*m));
    struct sip_txn_pkt pkt;
    struct sip_txn_verdict v;
    struct sip_txn_stats st;
    struct spec s = invite;

    ck_assert_ptr_nonnull(m);
    memset(&pkt, 0, sizeof(pkt));
    pkt.frame = 1;
    ck_assert_int_eq(sip_parse((const uint8_t *)no_callid, strlen(no_callid),
                               m), SIP_PARSE_OK);
    memset(&v, 0xa5, sizeof(v));
    sip_txn_process(t, m, &pkt, &v);
    ck_assert_uint_eq(v.txn_id, 0);
    ck_assert_uint_eq(v.call_ref, 0);
    ck_assert(!v.retransmission);

    s.method = "ACK";
    s.cseq_method = "ACK";
    v = feed(t, &s, 1 * SEC, 2, phone, server);
    ck_assert_uint_eq(v.txn_id, 0);
    ck_assert_uint_eq(v.call_ref, 1);
    sip_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.messages, 2);
    ck_assert_uint_eq(st.ignored, 1);
    ck_assert_uint_eq(st.acks_unmatched, 1);
    ck_assert_uint_eq(st.txns, 0);

    /* Time never goes back: an older timestamp expires nothing extra. */
    sip_txn_advance(t, 0);
    sip_txn_flush(t, 0);
    ck_assert_uint_eq(rec.nend, 1);
    free(m);
    sip_txn_free(t);
    sip_txn_free(NULL);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(sip_call_state_name(SIP_CALL_ANSWERED), "answered");
    ck_assert_str_eq(sip_call_state_name(SIP_CALL_NONE), "none");
    ck_assert_str_eq(sip_call_end_name(SIP_CALL_END_IDLE), "idle");
    ck_assert_str_eq(sip_txn_end_name(SIP_TXN_END_EVICTED), "evicted");
}
END_TEST

static Suite *sip_txn_suite(void)
{
    Suite *s = suite_create("sip_txn");
    TCase *tc;

    tc = tcase_create("transactions");
    tcase_add_test(tc, test_invite_timer_a);
    tcase_add_test(tc, test_copy_kinds);
    tcase_add_test(tc, test_register_no_response);
    tcase_add_test(tc, test_non_invite_t2_after_provisional);
    tcase_add_test(tc, test_no_response_needs_timer_f);
    tcase_add_test(tc, test_2xx_without_ack);
    tcase_add_test(tc, test_reliable_transport);
    tcase_add_test(tc, test_rfc2543_matching);
    suite_add_tcase(s, tc);

    tc = tcase_create("calls");
    tcase_add_test(tc, test_normal_call);
    tcase_add_test(tc, test_cancelled_call);
    tcase_add_test(tc, test_invite_after_challenge);
    tcase_add_test(tc, test_proceeding_kept_for_timer_c);
    suite_add_tcase(s, tc);

    tc = tcase_create("registrations");
    tcase_add_test(tc, test_register_auth_binding);
    tcase_add_test(tc, test_binding_without_contact);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_eviction);
    tcase_add_test(tc, test_ignored_and_unmatched);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sip_txn_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
