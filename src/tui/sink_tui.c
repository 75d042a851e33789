/* The interactive interface as a sink: feeds the TUI model from flows,
 * findings and capture counters, and on the pipeline's ticks reads keys
 * and redraws (terminal) or writes text frames (--batch). */
#include "config.h"

#include "sink_tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compliance.h"
#include "finding.h"
#include "flow_table.h"
#include "log.h"
#include "media_record.h"
#include "profile.h"
#include "sip_record.h"
#include "tui.h"
#include "tui_model.h"
#include "xalloc.h"
#ifdef HAVE_TUI
#include "tui_curses.h"
#endif

/* How long the wait for q after a finished analysis sleeps between
 * looks at the stop flag, when no key comes. */
#define SINK_TUI_IDLE_WAIT_MS 1000

struct sink_tui {
    struct tui_model *model;
    struct tui *ui;
    struct tui_canvas canvas;
#ifdef HAVE_TUI
    struct tui_curses *term;
#endif
    bool live;
    int batch_frames;           /* 0: terminal mode */
    int frames_done;
    FILE *out;
    volatile sig_atomic_t *stop;
    bool quit;                  /* the user pressed q */

    int64_t next_refresh_us;    /* monotonic */
    int64_t last_draw_us;       /* monotonic */
    int64_t next_frame_us;      /* live --batch, real time */
    int64_t live_start_us;      /* real time the live capture began */
    int64_t now_us;             /* the latest tick's capture clock */
    int64_t rate_t0_us;         /* live packet rate: window start */
    uint64_t rate_p0;
    double pps;
};

static int64_t clock_us(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- the model from the pipeline's data ------------------------------ */

static void sink_tui_stats(struct sink_tui *s, const struct capture_meta *meta,
                           bool finished)
{
    struct tui_stats st;

    memset(&st, 0, sizeof(st));
    tui_model_sanitize(st.source, sizeof(st.source), meta->source);
    st.live = s->live;
    st.finished = finished;
    st.first_us = meta->first_us;
    st.last_us = meta->last_us;
    st.packets = meta->packets;
    st.bytes = meta->bytes;
    st.drops = meta->drops + meta->if_drops;
    st.flows_live = meta->flows.flows_live;
    st.flows_total = meta->flows.flows_created;
    if (s->live) {
        /* Wall time, and the rate over the last second or so. */
        int64_t dt = s->now_us - s->rate_t0_us;

        st.elapsed_us = s->now_us > s->live_start_us
                            ? s->now_us - s->live_start_us
                            : 0;
        if (dt >= 1000000) {
            s->pps = (double)(meta->packets - s->rate_p0) * 1e6 / (double)dt;
            s->rate_t0_us = s->now_us;
            s->rate_p0 = meta->packets;
        }
        st.packets_per_s = s->pps;
    } else {
        /* Packet time only, so a file always shows the same numbers. */
        st.elapsed_us = meta->packets ? meta->last_us - meta->first_us : 0;
        st.packets_per_s = st.elapsed_us > 0 ? (double)meta->packets * 1e6 /
                                                   (double)st.elapsed_us
                                             : 0.0;
    }
    tui_model_set_stats(s->model, &st);
}

static void sink_tui_put_live(void *arg, const struct flow *f)
{
    struct sink_tui *s = arg;

    tui_model_put_flow(s->model, f, false);
}

/* Copies the live flows and the counters into the model. */
static void sink_tui_refresh(struct sink_tui *s,
                             const struct capture_meta *meta,
                             struct flow_table *ft)
{
    flow_table_foreach(ft, sink_tui_put_live, s);
    sink_tui_stats(s, meta, false);
    tui_mark_dirty(s->ui);
}

static void sink_tui_add_requirements(struct sink_tui *s,
                                      const struct profile *p)
{
    size_t i, k, n = p ? profile_requirement_count(p) : 0;

    for (i = 0; i < n; i++) {
        const struct profile_requirement *r = profile_requirement_at(p, i);
        char sets[TUI_NAME_MAX] = "";
        size_t o = 0;

        for (k = 0; k < profile_set_count(p) && o < sizeof(sets); k++) {
            const struct profile_set *set = profile_set_at(p, k);

            if (r->sets & set->bit)
                o += (size_t)snprintf(sets + o, sizeof(sets) - o, "%s%s",
                                      o ? "," : "", set->name);
        }
        tui_model_add_requirement(s->model, r->id, sets, r->text);
    }
}

/* --- batch ----------------------------------------------------------- */

static int sink_tui_frame(struct sink_tui *s)
{
    s->frames_done++;
    if (tui_write_batch(s->ui, s->out, s->frames_done) != 0 ||
        fflush(s->out) != 0)
        return log_error("cannot write the text frames: output error");
    return 0;
}

/* Live: one frame per second of wall time, and the run stops after the
 * last.  File: one frame per tick (a second of packet time), keeping the
 * last frame for the finished analysis. */
static int sink_tui_batch_tick(struct sink_tui *s,
                               const struct capture_meta *meta,
                               struct flow_table *ft)
{
    if (s->live) {
        if (s->next_frame_us == 0)
            s->next_frame_us = s->now_us + SINK_TUI_BATCH_INTERVAL_US;
        if (s->now_us < s->next_frame_us)
            return 0;
        s->next_frame_us += SINK_TUI_BATCH_INTERVAL_US;
        if (s->next_frame_us <= s->now_us)
            s->next_frame_us = s->now_us + SINK_TUI_BATCH_INTERVAL_US;
    } else if (s->frames_done + 1 >= s->batch_frames) {
        return 0;
    }
    sink_tui_refresh(s, meta, ft);
    if (sink_tui_frame(s) != 0)
        return -1;
    return s->live && s->frames_done >= s->batch_frames ? 1 : 0;
}

/* --- terminal -------------------------------------------------------- */

#ifdef HAVE_TUI
static void sink_tui_draw(struct sink_tui *s)
{
    tui_draw(s->ui, &s->canvas);
    tui_curses_draw(s->term, &s->canvas);
    s->last_draw_us = clock_us(CLOCK_MONOTONIC);
}

/* Handles the keys waiting (at most SINK_TUI_KEYS_PER_TICK), waiting up
 * to timeout_ms for the first.  Returns true when one arrived. */
static bool sink_tui_input(struct sink_tui *s, int timeout_ms)
{
    bool any = false;
    int i;

    for (i = 0; i < SINK_TUI_KEYS_PER_TICK && !s->quit; i++) {
        int key = tui_curses_read_key(s->term, i == 0 ? timeout_ms : 0);
        int rows, cols;

        if (key == TUI_KEY_NONE)
            break;
        any = true;
        if (key == TUI_KEY_RESIZE) {
            tui_curses_size(s->term, &rows, &cols);
            tui_resize(s->ui, rows, cols);
            continue;
        }
        if (tui_key(s->ui, key) == TUI_QUIT)
            s->quit = true;
    }
    return any;
}

static void sink_tui_messages(struct sink_tui *s)
{
    char msg[TUI_TEXT_MAX];

    if (tui_curses_message(s->term, msg, sizeof(msg))) {
        tui_model_set_status(s->model, msg);
        tui_mark_dirty(s->ui);
    }
}

static int sink_tui_open_term(struct sink_tui *s)
{
    char err[256];
    int rows, cols;

    if (s->term)
        return 0;
    s->term = tui_curses_open(err, sizeof(err));
    if (!s->term)
        return log_error("%s", err);
    tui_curses_size(s->term, &rows, &cols);
    tui_resize(s->ui, rows, cols);
    return 0;
}

static int sink_tui_term_tick(struct sink_tui *s,
                              const struct capture_meta *meta,
                              struct flow_table *ft)
{
    int64_t mono = clock_us(CLOCK_MONOTONIC);
    bool keys;

    if (!s->term)
        return 0;
    if (mono >= s->next_refresh_us) {
        sink_tui_refresh(s, meta, ft);
        sink_tui_messages(s);
        s->next_refresh_us = mono + SINK_TUI_REDRAW_US;
    }
    keys = sink_tui_input(s, 0);
    if (s->quit)
        return 1;
    /* A key is answered at once; new data waits for the redraw
     * interval, so a busy capture redraws four times a second. */
    if (tui_needs_redraw(s->ui) &&
        (keys || mono - s->last_draw_us >= SINK_TUI_REDRAW_US))
        sink_tui_draw(s);
    return 0;
}

/* After a finished analysis: the screen stays until q or a stop signal.
 * Nothing else runs now, so this may block on input. */
static void sink_tui_wait_for_quit(struct sink_tui *s)
{
    while (!s->quit && !*s->stop) {
        sink_tui_input(s, SINK_TUI_IDLE_WAIT_MS);
        sink_tui_messages(s);
        if (!s->quit && tui_needs_redraw(s->ui))
            sink_tui_draw(s);
    }
}
#endif

/* --- sink hooks ------------------------------------------------------ */

static int sink_tui_begin(void *self, struct capture_meta *meta)
{
    struct sink_tui *s = self;

    tui_model_begin_capture(s->model);
    s->now_us = clock_us(CLOCK_REALTIME);
    s->live_start_us = s->now_us;
    s->rate_t0_us = s->now_us;
    s->rate_p0 = 0;
    s->pps = 0.0;
    sink_tui_stats(s, meta, false);
    tui_mark_dirty(s->ui);
#ifdef HAVE_TUI
    if (s->batch_frames == 0) {
        if (sink_tui_open_term(s) != 0)
            return -1;
        sink_tui_draw(s);
    }
#endif
    return 0;
}

static int sink_tui_flow(void *self, const struct capture_meta *meta,
                         const struct flow *f)
{
    struct sink_tui *s = self;

    (void)meta;
    tui_model_put_flow(s->model, f, true);
    tui_mark_dirty(s->ui);
    return 0;
}

/* A call as the SIP analysis reports it at its end.  Media statistics
 * are not part of the record: the columns say so ("-"). */
static void sink_tui_call(struct sink_tui *s, const struct call_record *r)
{
    struct tui_call c;

    if (!r->call_id)
        return;
    memset(&c, 0, sizeof(c));
    snprintf(c.call_id, sizeof(c.call_id), "%s", r->call_id);
    snprintf(c.from, sizeof(c.from), "%s", r->from_uri ? r->from_uri : "");
    snprintf(c.to, sizeof(c.to), "%s", r->to_uri ? r->to_uri : "");
    snprintf(c.state, sizeof(c.state), "%s", r->state ? r->state : "");
    c.start_us = r->first_us;
    c.end_us = r->last_us;
    c.caller_ip = r->caller_ip;
    tui_model_set_call(s->model, &c);
}

/* An RTP stream of a SIP call (SDP tied it to the Call-ID) gives the
 * call's media in the stream's direction. */
static void sink_tui_rtp_stream(struct sink_tui *s,
                                const struct rtp_stream_record *r)
{
    if (!r->call_id)
        return;
    tui_model_add_call_stream(s->model, r->call_id, &r->src_ip,
                              r->summary.packets, r->summary.rfc_lost,
                              r->summary.max_jitter_ms);
}

static enum tui_verdict sink_tui_verdict(enum verdict v)
{
    switch (v) {
    case VERDICT_PASS:
        return TUI_VERDICT_PASS;
    case VERDICT_FAIL:
        return TUI_VERDICT_FAIL;
    case VERDICT_NOT_OBSERVED:
        break;
    }
    return TUI_VERDICT_NOT_OBSERVED;
}

/* A verdict of the compliance engine, for one requirement set. */
static void sink_tui_verdict_record(struct sink_tui *s,
                                    const struct verdict_record *r)
{
    if (!r->requirement)
        return;
    tui_model_set_set_verdict(s->model, r->requirement,
                              r->set_name ? r->set_name : "",
                              sink_tui_verdict(r->verdict), r->summary);
}

/* A SIP message goes on its call's ladder.  An INVITE of a Call-ID not
 * seen yet opens the call's row at once, so calls show while they are
 * going on (the call record replaces the row when the call ends);
 * messages of other dialogs (REGISTER, OPTIONS) are not calls. */
static void sink_tui_sip_message(struct sink_tui *s,
                                 const struct sip_message_record *r)
{
    struct tui_sip_msg msg;

    if (!r->call_id)
        return;
    memset(&msg, 0, sizeof(msg));
    msg.packet = r->packet;
    msg.ts_us = r->ts_us;
    tui_model_endpoint(&r->src_ip, r->src_port, msg.src);
    tui_model_endpoint(&r->dst_ip, r->dst_port, msg.dst);
    if (r->status > 0)
        snprintf(msg.label, sizeof(msg.label), "%d %s%s", r->status,
                 r->reason ? r->reason : "",
                 r->retransmission ? " (again)" : "");
    else
        snprintf(msg.label, sizeof(msg.label), "%s%s",
                 r->method ? r->method : "?",
                 r->retransmission ? " (again)" : "");
    if (tui_model_add_call_message(s->model, r->call_id, &msg) == 0)
        return;
    if (r->status == 0 && r->method && strcmp(r->method, "INVITE") == 0) {
        struct tui_call c;

        memset(&c, 0, sizeof(c));
        snprintf(c.call_id, sizeof(c.call_id), "%s", r->call_id);
        snprintf(c.from, sizeof(c.from), "%s",
                 r->from_uri ? r->from_uri : "");
        snprintf(c.to, sizeof(c.to), "%s", r->to_uri ? r->to_uri : "");
        snprintf(c.state, sizeof(c.state), "in progress");
        c.start_us = r->ts_us;
        c.end_us = r->ts_us;
        c.caller_ip = r->src_ip;
        if (tui_model_set_call(s->model, &c) == 0)
            tui_model_add_call_message(s->model, r->call_id, &msg);
    }
}

static int sink_tui_record(void *self, const struct capture_meta *meta,
                           enum record_kind kind, const void *rec)
{
    struct sink_tui *s = self;

    (void)meta;
    switch (kind) {
    case RECORD_FINDING:
        tui_model_add_finding(s->model, rec);
        break;
    case RECORD_CALL:
        sink_tui_call(s, rec);
        break;
    case RECORD_SIP_MESSAGE:
        sink_tui_sip_message(s, rec);
        break;
    case RECORD_RTP_STREAM:
        sink_tui_rtp_stream(s, rec);
        break;
    case RECORD_VERDICT:
        sink_tui_verdict_record(s, rec);
        break;
    default:
        return 0;
    }
    tui_mark_dirty(s->ui);
    return 0;
}

static int sink_tui_tick(void *self, const struct capture_meta *meta,
                         struct flow_table *ft, int64_t now_us)
{
    struct sink_tui *s = self;

    s->now_us = now_us;
    if (s->batch_frames > 0)
        return sink_tui_batch_tick(s, meta, ft);
#ifdef HAVE_TUI
    return sink_tui_term_tick(s, meta, ft);
#else
    return 0;
#endif
}

static int sink_tui_end(void *self, const struct capture_meta *meta)
{
    struct sink_tui *s = self;

    if (s->live)
        s->now_us = clock_us(CLOCK_REALTIME);
    sink_tui_stats(s, meta, true);
    tui_mark_dirty(s->ui);
#ifdef HAVE_TUI
    if (s->term)
        sink_tui_draw(s);
#endif
    return 0;
}

static int sink_tui_end_run(void *self)
{
    struct sink_tui *s = self;

    if (s->batch_frames > 0) {
        /* The finished analysis, unless a live run already printed all
         * its frames. */
        if (s->frames_done < s->batch_frames)
            return sink_tui_frame(s);
        return 0;
    }
#ifdef HAVE_TUI
    if (s->term) {
        /* A run that ended on its own (end of the files, -c) stays on
         * screen; q or a stop signal means the user is done. */
        if (!s->quit && !*s->stop)
            sink_tui_wait_for_quit(s);
        tui_curses_close(s->term);
        s->term = NULL;
    }
#endif
    return 0;
}

static void sink_tui_free(void *self)
{
    struct sink_tui *s = self;

    if (!s)
        return;
#ifdef HAVE_TUI
    tui_curses_close(s->term);
#endif
    tui_free(s->ui);
    tui_model_free(s->model);
    tui_canvas_release(&s->canvas);
    free(s);
}

static const struct sink_ops sink_tui_ops = {
    .name = "tui",
    .begin_capture = sink_tui_begin,
    .flow = sink_tui_flow,
    .record = sink_tui_record,
    .end_capture = sink_tui_end,
    .tick = sink_tui_tick,
    .end_run = sink_tui_end_run,
    .free = sink_tui_free,
};

int sink_tui_new(const struct sink_tui_config *cfg, struct sink *out,
                 char *err, size_t errlen)
{
    struct sink_tui *s;

#ifndef HAVE_TUI
    if (cfg->batch_frames <= 0) {
        snprintf(err, errlen, "this ringscope was built without the "
                 "terminal interface (configure --disable-tui); --batch N "
                 "prints its screens as text");
        return -1;
    }
#else
    /* Refuse before any capture starts, not half-way into the first. */
    if (cfg->batch_frames <= 0 && tui_curses_check(err, errlen) != 0)
        return -1;
#endif
    s = xcalloc(1, sizeof(*s));
    s->model = tui_model_new();
    s->ui = tui_new(s->model, 24, 80);
    s->live = cfg->live;
    s->batch_frames = cfg->batch_frames > 0 ? cfg->batch_frames : 0;
    s->out = cfg->out;
    s->stop = cfg->stop;
    sink_tui_add_requirements(s, cfg->profile);
    out->ops = &sink_tui_ops;
    out->self = s;
    return 0;
}
