/* The analysis loop: capture -> decode -> flow table -> analyzers -> sinks.
 * This is the only file that knows every stage; stages are registered in
 * the tables below.
 *
 * With --workers 2 or more, capture and decode run in reader threads
 * (pkt_feed.h) and the sinks in a writer thread (record_writer.h); the
 * flow table and the analyzers stay here, in one thread, so that every
 * cross-flow conclusion is drawn in capture order (DEVELOPERS.md,
 * "Threads"). */
#include "config.h"

#include "pipeline.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"
#include "analyzer_media.h"
#include "analyzer_sip.h"
#include "analyzer_tcp.h"
#include "capture.h"
#include "classify.h"
#include "compliance.h"
#include "decode.h"
#include "flow_table.h"
#include "log.h"
#include "media_expect.h"
#include "options.h"
#include "pkt_feed.h"
#include "privdrop.h"
#include "profile.h"
#include "record_writer.h"
#include "report.h"
#include "report_html.h"
#ifdef HAVE_LIBFIXBUF
#include "sink_ipfix.h"
#endif
#include "sink_evidence.h"
#include "sink_sqlite.h"
#include "sink_summary.h"
#include "sink_tui.h"
#include "xalloc.h"

/* Analyzers run in this order on every packet of every flow; classifiers
 * come first so later stages see the flow's class. */
static const struct analyzer_ops *const analyzer_table[] = {
    &classify_ops,
    &analyzer_tcp_ops,
    &analyzer_sip_ops,
    &analyzer_media_ops,
    NULL,
};

#define PIPELINE_MAX_STAGES 16
#define PIPELINE_MAX_SINKS 8

/* Flows idle past their timeout are looked for once per second of packet
 * time: often enough for timely expiry, rare enough to cost nothing. */
#define PIPELINE_EXPIRE_INTERVAL_US 1000000

/* Live captures give the sinks a tick (sink.h) about this often. */
#define PIPELINE_LIVE_TICK_INTERVAL_US 250000

/* Threaded runs: the analysis waits this long for the readers before it
 * looks at stop requests and the live flush and tick timers again. */
#define PIPELINE_FEED_WAIT_MS 100

/* Live captures make their sinks durable at least this often. */
#define PIPELINE_LIVE_FLUSH_INTERVAL_US 1000000

struct stage {
    const struct analyzer_ops *ops;
    void *self;
    size_t offset;              /* of this stage's slice in flow->ext */
};

struct pipeline {
    const struct config *cfg;
    volatile sig_atomic_t *stop;
    struct profile *profile;
    struct media_expect *media;

    struct stage stages[PIPELINE_MAX_STAGES];
    size_t n_stages;
    size_t ext_size;

    struct sink sinks[PIPELINE_MAX_SINKS];
    size_t n_sinks;
    struct compliance *compliance;  /* owned by its sink */
    struct report_json *json;       /* --json, else NULL */
    struct report_html *html;       /* --html, else NULL */

    /* Per capture. */
    struct decoder *decoder;
    struct flow_table *flows;
    struct flow_table_config ft_cfg;
    struct capture_meta meta;
    int64_t next_expire_us;
    struct capture *cap;        /* the capture being read */

    /* --workers 2 or more ("Threads" in DEVELOPERS.md): the readers
     * and the writer thread; NULL when single-threaded.  caps are the
     * captures of the source being read: one, or a live fanout group. */
    struct pkt_feed *feed;
    struct record_writer *writer;
    bool writer_direct;         /* sinks called from this thread for now */
    struct capture **caps;
    size_t n_caps;

    uint64_t packets_total;     /* across captures, for -c */
    bool sink_failed;
    bool input_failed;
    bool has_tick;              /* a sink has a tick hook */
    bool quit;                  /* a sink asked to stop (the user quit) */
};

static int64_t monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t realtime_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- sinks ----------------------------------------------------------- */

static void pipeline_emit_record(void *arg, enum record_kind kind,
                                 const void *rec)
{
    struct pipeline *p = arg;
    size_t i;

    if (p->writer && !p->writer_direct) {
        record_writer_record(p->writer, kind, rec);
        return;
    }
    for (i = 0; i < p->n_sinks; i++) {
        const struct sink *s = &p->sinks[i];

        if (s->ops->record &&
            s->ops->record(s->self, &p->meta, kind, rec) != 0)
            p->sink_failed = true;
    }
}

static void pipeline_flush_sinks(struct pipeline *p)
{
    size_t i;

    if (p->writer) {
        record_writer_flush(p->writer);
        return;
    }
    for (i = 0; i < p->n_sinks; i++)
        if (p->sinks[i].ops->flush &&
            p->sinks[i].ops->flush(p->sinks[i].self) != 0)
            p->sink_failed = true;
}

/* Gives the sinks that have a tick hook the live flows and the counters
 * so far.  A sink returning 1 asks for a clean stop. */
static void pipeline_tick(struct pipeline *p, int64_t now_us)
{
    struct capture_stats cs;
    size_t i;

    if (!p->has_tick)
        return;
    decoder_get_stats(p->decoder, &p->meta.decode);
    flow_table_get_stats(p->flows, &p->meta.flows);
    if (capture_is_live(p->cap) && capture_get_stats(p->cap, &cs) == 0) {
        p->meta.drops = cs.dropped;
        p->meta.if_drops = cs.if_dropped;
    }
    for (i = 0; i < p->n_sinks; i++) {
        const struct sink *s = &p->sinks[i];
        int rc;

        if (!s->ops->tick)
            continue;
        rc = s->ops->tick(s->self, &p->meta, p->flows, now_us);
        if (rc < 0)
            p->sink_failed = true;
        else if (rc > 0)
            p->quit = true;
    }
}

/* --- flow end -------------------------------------------------------- */

static void pipeline_on_flow_end(void *arg, struct flow *f,
                                 enum flow_end_reason why)
{
    struct pipeline *p = arg;
    size_t i;

    f->end_reason = why;
    for (i = 0; i < p->n_stages; i++) {
        const struct stage *st = &p->stages[i];

        if (st->ops->flow_end)
            st->ops->flow_end(st->self, f, (char *)f->ext + st->offset, why);
    }
    if (p->writer && !p->writer_direct) {
        record_writer_flow(p->writer, f);
        return;
    }
    for (i = 0; i < p->n_sinks; i++) {
        const struct sink *s = &p->sinks[i];

        if (s->ops->flow && s->ops->flow(s->self, &p->meta, f) != 0)
            p->sink_failed = true;
    }
}

/* --- per packet ------------------------------------------------------ */

/* Hands an ICMP error to the stages of the flow whose packet it quotes. */
static void pipeline_icmp_error(struct pipeline *p, const struct pkt *pkt,
                                const struct decoded *d)
{
    struct flow_key key;
    struct flow *f;
    bool from_lo;
    size_t i;

    flow_key_from_icmp_quote(d, &key, &from_lo);
    f = flow_table_find(p->flows, &key);
    if (!f)
        return;
    /* ICMP time exceeded, code 0 (in transit); ICMPv6 type 3 code 0. */
    if (d->icmp.code == 0 &&
        ((d->proto == 1 && d->icmp.type == 11) ||
         (d->proto == 58 && d->icmp.type == 3)))
        f->ttl_expired = true;
    for (i = 0; i < p->n_stages; i++) {
        const struct stage *st = &p->stages[i];

        if (st->ops->icmp_error)
            st->ops->icmp_error(st->self, f, (char *)f->ext + st->offset,
                                pkt, d);
    }
}

/* pre is the packet already decoded by a reader thread (with status
 * pre_st), or NULL to decode it here. */
static void pipeline_packet(struct pipeline *p, const struct pkt *pkt,
                            const struct decoded *pre,
                            enum decode_status pre_st)
{
    struct decoded d;
    struct flow *f;
    enum flow_dir dir;
    bool created;
    size_t i;

    if (pkt->ts_us >= p->next_expire_us) {
        if (p->next_expire_us != 0) {
            flow_table_expire(p->flows, pkt->ts_us);
            /* Files tick on packet time, so ticks are deterministic. */
            if (!capture_is_live(p->cap))
                pipeline_tick(p, pkt->ts_us);
        }
        p->next_expire_us = pkt->ts_us + PIPELINE_EXPIRE_INTERVAL_US;
    }
    if (pre) {
        if (pre_st != DECODE_OK)
            return;
        d = *pre;
    } else if (decode_packet(p->decoder, pkt, &d) != DECODE_OK) {
        return;
    }
    f = flow_table_update(p->flows, pkt, &d, &created, &dir);
    if (!f)
        return;
    if (created)
        f->id = p->meta.flow_id_base + pkt->num;
    for (i = 0; i < p->n_stages; i++) {
        const struct stage *st = &p->stages[i];

        if (st->ops->packet)
            st->ops->packet(st->self, f, (char *)f->ext + st->offset, pkt,
                            &d, dir);
    }
    if ((d.proto == 1 || d.proto == 58) && d.icmp.is_error &&
        d.icmp.has_quote)
        pipeline_icmp_error(p, pkt, &d);
}

/* --- one capture ----------------------------------------------------- */

static void pipeline_meta_init(struct pipeline *p, const char *source,
                               const struct capture *cap)
{
    const struct config *cfg = p->cfg;

    memset(&p->meta, 0, sizeof(p->meta));
    p->meta.source = source;
    p->meta.link_type = capture_linktype_name(cap);
    p->meta.tool_version = PACKAGE_VERSION;
    p->meta.command_line = cfg->command_line;
    p->meta.sensor = cfg->sensor;
    p->meta.filter = cfg->bpf;
    p->meta.profile_name = profile_name(p->profile);
    p->meta.profile_text = profile_text(p->profile);
    p->meta.capture_id = 0;
    p->meta.flow_id_base = 0;
}

static int pipeline_begin_capture(struct pipeline *p)
{
    struct decoder_config dcfg;
    size_t i;

    decoder_config_defaults(&dcfg);
    p->decoder = decoder_new(&dcfg);
    flow_table_config_defaults(&p->ft_cfg);
    p->ft_cfg.max_flows = p->cfg->max_flows;
    p->ft_cfg.tcp_timeout_us = p->cfg->tcp_timeout_us;
    p->ft_cfg.udp_timeout_us = p->cfg->udp_timeout_us;
    p->ft_cfg.ext_size = p->ext_size;
    p->ft_cfg.home_nets = p->cfg->home_nets;
    p->ft_cfg.n_home_nets = p->cfg->n_home_nets;
    p->flows = flow_table_new(&p->ft_cfg, pipeline_on_flow_end, p);
    if (!p->decoder || !p->flows)
        return log_error("out of memory setting up the analysis");
    p->next_expire_us = 0;
    for (i = 0; i < p->n_sinks; i++) {
        const struct sink *s = &p->sinks[i];

        if (s->ops->begin_capture &&
            s->ops->begin_capture(s->self, &p->meta) != 0) {
            p->sink_failed = true;
            return -1;
        }
    }
    if (p->writer)
        record_writer_set_meta(p->writer, &p->meta);
    for (i = 0; i < p->n_stages; i++)
        if (p->stages[i].ops->capture_begin)
            p->stages[i].ops->capture_begin(p->stages[i].self, &p->meta);
    return 0;
}

/* Threaded run, at the end of a capture: the readers are stopped, so
 * their decode statistics are final; a fanout group's drops are the sum
 * over its sockets; and everything queued for the sinks is written. */
static void pipeline_mt_end_capture(struct pipeline *p)
{
    struct capture_stats cs;
    size_t i;

    if (p->feed)
        pkt_feed_get_decode_stats(p->feed, &p->meta.decode);
    if (p->n_caps > 1) {
        p->meta.drops = 0;
        p->meta.if_drops = 0;
        for (i = 0; i < p->n_caps; i++) {
            if (capture_get_stats(p->caps[i], &cs) == 0) {
                p->meta.drops += cs.dropped;
                p->meta.if_drops += cs.if_dropped;
                log_info("fanout socket %zu: %llu packets received, %llu "
                         "dropped", i + 1, (unsigned long long)cs.received,
                         (unsigned long long)cs.dropped);
            }
        }
    }
    record_writer_sync(p->writer);
    if (record_writer_failed(p->writer))
        p->sink_failed = true;
}

static void pipeline_end_capture(struct pipeline *p, struct capture *cap)
{
    struct capture_stats cs;
    size_t i;

    /* Ending the flows runs the analyzers' flow_end and writes them. */
    flow_table_flush(p->flows, FLOW_END_CAPTURE_END);
    for (i = 0; i < p->n_stages; i++)
        if (p->stages[i].ops->capture_end)
            p->stages[i].ops->capture_end(p->stages[i].self, &p->meta);
    decoder_get_stats(p->decoder, &p->meta.decode);
    flow_table_get_stats(p->flows, &p->meta.flows);
    if (capture_get_stats(cap, &cs) == 0) {
        p->meta.drops = cs.dropped;
        p->meta.if_drops = cs.if_dropped;
    }
    if (p->writer) {
        /* Everything queued reaches the sinks before their end_capture,
         * which runs here, as do the verdicts compliance emits in it. */
        pipeline_mt_end_capture(p);
        p->writer_direct = true;
    }
    for (i = 0; i < p->n_sinks; i++) {
        const struct sink *s = &p->sinks[i];

        if (s->ops->end_capture &&
            s->ops->end_capture(s->self, &p->meta) != 0)
            p->sink_failed = true;
    }
    p->writer_direct = false;
    flow_table_free(p->flows);
    p->flows = NULL;
    decoder_free(p->decoder);
    p->decoder = NULL;
    media_expect_clear(p->media);
}

/* Reads one source to its end, a stop request, -c or a read error. */
static void pipeline_read(struct pipeline *p, struct capture *cap,
                          const char *source)
{
    int64_t next_flush = monotonic_us() + PIPELINE_LIVE_FLUSH_INTERVAL_US;
    int64_t next_tick = monotonic_us() + PIPELINE_LIVE_TICK_INTERVAL_US;
    uint64_t num = 0;
    struct pkt pkt;
    struct decoded pre;
    enum decode_status pre_st = DECODE_OK;
    const char *error = NULL;

    for (;;) {
        enum capture_status st;

        if (*p->stop || p->quit) {
            p->meta.interrupted = 1;
            break;
        }
        if (p->sink_failed ||
            (p->writer && record_writer_failed(p->writer)))
            break;
        if (p->feed) {
            st = pkt_feed_next(p->feed, PIPELINE_FEED_WAIT_MS, &pkt, &pre,
                               &pre_st, &error);
        } else {
            st = capture_next(cap, &pkt);
            error = capture_error(cap);
        }
        if (st == CAPTURE_END)
            break;
        /* A signal interrupts a blocking read of a pipe (no SA_RESTART):
         * that is the stop it asked for, not a read error. */
        if (st == CAPTURE_ERROR && *p->stop) {
            p->meta.interrupted = 1;
            break;
        }
        if (st == CAPTURE_ERROR) {
            p->meta.read_error = error;
            log_error("'%s': %s; analysed the %llu packets before it",
                      source, error, (unsigned long long)num);
            p->input_failed = true;
            break;
        }
        if (st == CAPTURE_PACKET) {
            pkt.num = ++num;
            if (p->meta.first_us == 0 || pkt.ts_us < p->meta.first_us)
                p->meta.first_us = pkt.ts_us;
            if (pkt.ts_us > p->meta.last_us)
                p->meta.last_us = pkt.ts_us;
            p->meta.packets++;
            p->meta.bytes += pkt.wirelen;
            pipeline_packet(p, &pkt, p->feed ? &pre : NULL, pre_st);
            p->packets_total++;
            if (p->cfg->max_packets &&
                p->packets_total >= p->cfg->max_packets)
                break;
        }
        if (capture_is_live(cap) && monotonic_us() >= next_flush) {
            pipeline_flush_sinks(p);
            next_flush = monotonic_us() + PIPELINE_LIVE_FLUSH_INTERVAL_US;
        }
        if (capture_is_live(cap) &&
            (st == CAPTURE_TIMEOUT || monotonic_us() >= next_tick)) {
            pipeline_tick(p, realtime_us());
            next_tick = monotonic_us() + PIPELINE_LIVE_TICK_INTERVAL_US;
        }
    }
}

static void pipeline_run_capture(struct pipeline *p, struct capture *cap,
                                 const char *source)
{
    if (!decode_linktype_supported(capture_linktype(cap))) {
        log_error("cannot analyse '%s': unsupported link type %s", source,
                  capture_linktype_name(cap));
        p->input_failed = true;
        return;
    }
    pipeline_meta_init(p, source, cap);
    p->cap = cap;
    if (pipeline_begin_capture(p) != 0) {
        flow_table_free(p->flows);
        p->flows = NULL;
        decoder_free(p->decoder);
        p->decoder = NULL;
        return;
    }
    if (p->writer) {
        struct decoder_config dcfg;
        char err[256];

        decoder_config_defaults(&dcfg);
        /* With -c, the readers take no more than the analysis will. */
        p->feed = pkt_feed_start(p->caps, p->n_caps, &dcfg,
                                 p->cfg->max_packets ?
                                     p->cfg->max_packets - p->packets_total :
                                     0,
                                 err, sizeof(err));
        if (!p->feed) {
            log_error("%s", err);
            p->input_failed = true;
        }
    }
    log_info("reading '%s' (%s)", source, capture_linktype_name(cap));
    if (!p->writer || p->feed)
        pipeline_read(p, cap, source);
    if (p->feed)
        pkt_feed_stop(p->feed);
    pipeline_end_capture(p, cap);
    pkt_feed_free(p->feed);
    p->feed = NULL;
    p->cap = NULL;
}

/* --- inputs ---------------------------------------------------------- */

static bool pipeline_limit_reached(const struct pipeline *p)
{
    return p->cfg->max_packets && p->packets_total >= p->cfg->max_packets;
}

static bool has_capture_suffix(const char *name)
{
    static const char *const suffixes[] = { ".pcap", ".pcapng", ".cap",
                                            ".dmp" };
    size_t len = strlen(name), i;

    for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t sl = strlen(suffixes[i]);

        if (len > sl && strcasecmp(name + len - sl, suffixes[i]) == 0)
            return true;
    }
    return false;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the capture files of a directory in name order, so a run over a
 * directory is deterministic. */
static int list_directory(const char *dir, char ***out, size_t *n_out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;

    *out = NULL;
    *n_out = 0;
    if (!d)
        return log_error("cannot open '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        size_t len;
        char *path;
        struct stat st;

        if (e->d_name[0] == '.' || !has_capture_suffix(e->d_name))
            continue;
        len = strlen(dir) + strlen(e->d_name) + 2;
        path = xmalloc(len);
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        names = xreallocarray(names, n + 1, sizeof(*names));
        names[n++] = path;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), compare_strings);
    *out = names;
    *n_out = n;
    return 0;
}

static void pipeline_run_file(struct pipeline *p, const char *path)
{
    char err[1024];
    struct capture *cap;

    cap = capture_open_file(path, p->cfg->bpf, err, sizeof(err));
    if (!cap) {
        log_error("%s", err);
        p->input_failed = true;
        return;
    }
    p->caps = &cap;
    p->n_caps = 1;
    pipeline_run_capture(p, cap, path);
    p->caps = NULL;
    p->n_caps = 0;
    capture_close(cap);
}

static void pipeline_run_path(struct pipeline *p, const char *path)
{
    struct stat st;
    char **files;
    size_t n, i;

    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
        S_ISDIR(st.st_mode)) {
        if (list_directory(path, &files, &n) != 0) {
            p->input_failed = true;
            return;
        }
        if (n == 0) {
            log_error("'%s' contains no capture files (*.pcap, *.pcapng, "
                      "*.cap)", path);
            p->input_failed = true;
        }
        for (i = 0; i < n; i++) {
            if (!*p->stop && !p->quit && !p->sink_failed &&
                !pipeline_limit_reached(p))
                pipeline_run_file(p, files[i]);
            free(files[i]);
        }
        free(files);
        return;
    }
    pipeline_run_file(p, path);
}

/* The default database name: the first input's base name with its capture
 * suffix replaced, in the current directory ("calls.pcapng" ->
 * "calls.ringscope.db"), "stdin" for -r -, or the interface name for a
 * live capture. */
static char *default_db_path(const struct config *cfg)
{
    const char *src = cfg->n_read_paths ? cfg->read_paths[0] : cfg->interface;
    const char *base;
    char *stem, *path, *dot;
    size_t len, n;

    if (strcmp(src, "-") == 0)
        src = "stdin";
    n = strlen(src);
    while (n > 1 && src[n - 1] == '/')
        n--;
    stem = xstrndup(src, n);
    base = strrchr(stem, '/');
    base = base ? base + 1 : stem;
    dot = strrchr(base, '.');
    if (dot && dot != base && has_capture_suffix(dot))
        *dot = '\0';
    len = strlen(base) + sizeof(".ringscope.db");
    path = xmalloc(len);
    snprintf(path, len, "%s.ringscope.db", base);
    free(stem);
    return path;
}

static int pipeline_add_stages(struct pipeline *p)
{
    struct analyzer_env env;
    size_t i;

    memset(&env, 0, sizeof(env));
    env.cfg = p->cfg;
    env.profile = p->profile;
    env.media = p->media;
    env.emit.record = pipeline_emit_record;
    env.emit.arg = p;
    for (i = 0; analyzer_table[i]; i++) {
        const struct analyzer_ops *ops = analyzer_table[i];
        struct stage *st = &p->stages[p->n_stages];

        if (p->n_stages == PIPELINE_MAX_STAGES)
            return log_error("too many analyzers registered");
        st->ops = ops;
        st->self = ops->create ? ops->create(&env) : NULL;
        if (ops->create && !st->self)
            return log_error("cannot set up analyzer '%s'", ops->name);
        /* Keep every slice aligned for any member type. */
        st->offset = p->ext_size;
        p->ext_size += (ops->flow_state_size + 15) & ~(size_t)15;
        p->n_stages++;
    }
    return 0;
}

static int pipeline_add_sinks(struct pipeline *p)
{
    const struct config *cfg = p->cfg;
    struct emit emit = { pipeline_emit_record, p };
    size_t i;

    /* The compliance engine comes first: its verdicts, emitted when a
     * capture ends, reach the sinks after it before they end it. */
    p->compliance = compliance_new(p->profile, &emit,
                                   &p->sinks[p->n_sinks++]);
    if (!cfg->no_db) {
        struct sink_sqlite_config scfg;
        char *derived = NULL;
        char err[1024];
        int rc;

        sink_sqlite_config_defaults(&scfg);
        if (cfg->db_path) {
            scfg.path = cfg->db_path;
        } else {
            derived = default_db_path(cfg);
            scfg.path = derived;
        }
        rc = sink_sqlite_open(&scfg, &p->sinks[p->n_sinks], err, sizeof(err));
        if (rc == 0)
            log_info("writing '%s'", scfg.path);
        free(derived);
        if (rc != 0)
            return log_error("%s", err);
        p->n_sinks++;
    }
#ifdef HAVE_LIBFIXBUF
    if (cfg->ipfix_host) {
        struct sink_ipfix_config icfg;
        char err[512];

        sink_ipfix_config_defaults(&icfg);
        icfg.host = cfg->ipfix_host;
        icfg.port = cfg->ipfix_port;
        icfg.tcp = cfg->ipfix_tcp;
        if (cfg->ipfix_pen)
            icfg.pen = cfg->ipfix_pen;
        /* Reading files, waiting for the exporter loses nothing. */
        icfg.wait_when_full = cfg->interface == NULL;
        if (sink_ipfix_open(&icfg, &p->sinks[p->n_sinks], err,
                            sizeof(err)) != 0)
            return log_error("%s", err);
        p->n_sinks++;
    }
#endif
    if (cfg->evidence_dir) {
        char err[1024];

        if (sink_evidence_new(cfg->evidence_dir, cfg->bpf,
                              &p->sinks[p->n_sinks], err, sizeof(err)) != 0)
            return log_error("%s", err);
        p->n_sinks++;
    }
    /* The interface's screens take the summary's place. */
    if (cfg->json_path)
        p->json = report_json_new();
    if (cfg->html_path)
        p->html = report_html_new();
    if ((cfg->verbosity >= 0 && !cfg->tui) || p->json || p->html)
        sink_summary_new(cfg->verbosity >= 0 && !cfg->tui ? stdout : NULL,
                         p->json, p->html, &p->sinks[p->n_sinks++]);
    if (cfg->tui) {
        struct sink_tui_config tcfg;
        char err[256];

        memset(&tcfg, 0, sizeof(tcfg));
        tcfg.profile = p->profile;
        tcfg.live = cfg->interface != NULL;
        tcfg.batch_frames = cfg->batch_frames;
        tcfg.out = stdout;
        tcfg.stop = p->stop;
        if (sink_tui_new(&tcfg, &p->sinks[p->n_sinks], err, sizeof(err)) != 0)
            return log_error("%s", err);
        p->n_sinks++;
    }
    for (i = 0; i < p->n_sinks; i++)
        if (p->sinks[i].ops->tick)
            p->has_tick = true;
    return 0;
}

static void pipeline_release(struct pipeline *p)
{
    size_t i;

    record_writer_free(p->writer);
    p->writer = NULL;
    for (i = 0; i < p->n_sinks; i++)
        if (p->sinks[i].ops->free)
            p->sinks[i].ops->free(p->sinks[i].self);
    for (i = 0; i < p->n_stages; i++)
        if (p->stages[i].ops->destroy)
            p->stages[i].ops->destroy(p->stages[i].self);
    profile_free(p->profile);
    media_expect_free(p->media);
    report_json_free(p->json);
    report_html_free(p->html);
}

/* Loads --profile, or the built-in default.  A syntax error names file,
 * line and column. */
static int pipeline_load_profile(struct pipeline *p)
{
    char err[PROFILE_ERR_MAX];
    int rc;

    if (p->cfg->profile_path)
        rc = profile_load_file(p->cfg->profile_path, &p->profile, err,
                               sizeof(err));
    else
        rc = profile_load_default(&p->profile, err, sizeof(err));
    if (rc != 0)
        return log_error("%s", err);
    return 0;
}

/* -Z: the interface and the database are open, so root is no longer
 * needed.  The database and its -wal and -shm files go to the user, who
 * must be able to write them (SQLite recreates -wal and -shm). */
static int pipeline_drop_privileges(const struct pipeline *p)
{
    const struct config *cfg = p->cfg;
    char *db = NULL, *wal = NULL, *shm = NULL;
    const char *paths[3] = { NULL, NULL, NULL };
    char err[1024];
    size_t len;
    int ret = -1;

    if (!cfg->no_db) {
        db = cfg->db_path ? xstrdup(cfg->db_path) : default_db_path(cfg);
        len = strlen(db) + sizeof("-wal");
        wal = xmalloc(len);
        snprintf(wal, len, "%s-wal", db);
        shm = xmalloc(len);
        snprintf(shm, len, "%s-shm", db);
        paths[0] = db;
        paths[1] = wal;
        paths[2] = shm;
    }
    if (privdrop_to_user(cfg->user, paths, 3, err, sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    log_info("running as user '%s'", cfg->user);
    ret = 0;
out:
    free(db);
    free(wal);
    free(shm);
    return ret;
}

/* Threaded live capture: one socket per worker, all in one AF_PACKET
 * fanout group (capture_join_fanout()), the first one already open. */
static int pipeline_open_fanout(struct pipeline *p, struct capture **caps,
                                size_t n)
{
    /* The group id only has to be unique on the machine while we run. */
    uint16_t group = (uint16_t)(getpid() & 0xffff);
    char err[1024];
    size_t i;

    for (i = 0; i < n; i++) {
        if (i > 0) {
            caps[i] = capture_open_live(p->cfg->interface, p->cfg->snaplen,
                                        p->cfg->tui, p->cfg->bpf, err,
                                        sizeof(err));
            if (!caps[i])
                return log_error("%s", err);
        }
        if (capture_join_fanout(caps[i], group, err, sizeof(err)) != 0)
            return log_error("interface '%s': %s", p->cfg->interface, err);
    }
    return 0;
}

static void pipeline_run_live(struct pipeline *p)
{
    char err[1024];
    struct capture **caps;
    size_t n = p->writer ? p->cfg->workers : 1, i;

    caps = xcalloc(n, sizeof(*caps));
    caps[0] = capture_open_live(p->cfg->interface, p->cfg->snaplen,
                                p->cfg->tui, p->cfg->bpf, err, sizeof(err));
    if (!caps[0]) {
        log_error("%s", err);
        p->input_failed = true;
        goto out;
    }
    if (n > 1 && pipeline_open_fanout(p, caps, n) != 0) {
        p->input_failed = true;
        goto out;
    }
    if (p->cfg->user && pipeline_drop_privileges(p) != 0) {
        p->input_failed = true;
        goto out;
    }
    p->caps = caps;
    p->n_caps = n;
    pipeline_run_capture(p, caps[0], p->cfg->interface);
    p->caps = NULL;
    p->n_caps = 0;
out:
    for (i = 0; i < n; i++)
        if (caps[i])
            capture_close(caps[i]);
    free(caps);
}

/* --workers 2 or more: the writer thread, unless a sink needs ticks (the
 * interface reads the live flow table, which only the analysis thread may
 * touch), in which case the run stays single-threaded. */
static int pipeline_start_writer(struct pipeline *p)
{
    char err[256];

    if (p->cfg->workers < 2)
        return 0;
    if (p->has_tick) {
        log_info("--workers: the interface runs single-threaded");
        return 0;
    }
    p->writer = record_writer_start(p->sinks, p->n_sinks, err, sizeof(err));
    if (!p->writer)
        return log_error("%s", err);
    return 0;
}

int pipeline_run(const struct config *cfg, volatile sig_atomic_t *stop)
{
    struct pipeline p;
    int status = EXIT_USAGE;
    size_t i;

    memset(&p, 0, sizeof(p));
    p.cfg = cfg;
    p.stop = stop;
    if (pipeline_load_profile(&p) != 0)
        goto out;
    /* Two endpoints per call: room for about 2000 concurrent calls. */
    p.media = media_expect_new(4096);
    if (!p.media) {
        log_error("out of memory setting up the analysis");
        goto out;
    }
    if (pipeline_add_stages(&p) != 0)
        goto out;
    if (pipeline_add_sinks(&p) != 0)
        goto out;
    if (pipeline_start_writer(&p) != 0)
        goto out;
    if (cfg->interface) {
        pipeline_run_live(&p);
    } else {
        for (i = 0; i < cfg->n_read_paths; i++) {
            if (*stop || p.quit || p.sink_failed ||
                pipeline_limit_reached(&p))
                break;
            pipeline_run_path(&p, cfg->read_paths[i]);
        }
    }
    /* The writer is idle between captures; the sinks are ours again. */
    record_writer_free(p.writer);
    p.writer = NULL;
    for (i = 0; i < p.n_sinks; i++)
        if (p.sinks[i].ops->end_run &&
            p.sinks[i].ops->end_run(p.sinks[i].self) != 0)
            p.sink_failed = true;
    if (*stop)
        log_warn("interrupted: everything read so far was analysed and "
                 "written");
    if (p.json && report_json_write(p.json, cfg->json_path) != 0)
        p.sink_failed = true;
    if (p.html && report_html_write(p.html, cfg->html_path) != 0)
        p.sink_failed = true;
    if (p.input_failed || p.sink_failed)
        status = EXIT_USAGE;
    else if (compliance_any_failed(p.compliance))
        status = EXIT_FAILED;
    else
        status = EXIT_COMPLIANT;
out:
    pipeline_release(&p);
    return status;
}
