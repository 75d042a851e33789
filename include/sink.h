/* Sinks consume what the pipeline produces: captures, ended flows and
 * analyzer records (findings, DNS, SIP, calls, RTP streams).  A sink does
 * no analysis; the pipeline calls every registered sink in order.
 *
 * Every hook returns 0, or -1 after reporting the error once; a failing
 * sink stops the run, and the pipeline still calls end_capture/free so
 * that what was written stays consistent. */
#ifndef RINGSCOPE_SINK_H
#define RINGSCOPE_SINK_H

#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "flow_table.h"

/* What the sinks learn about one capture (one input file or one live
 * interface).  Strings are borrowed for the duration of the call. */
struct capture_meta {
    /* Filled in by the pipeline before begin_capture. */
    const char *source;         /* file path or interface name */
    const char *link_type;      /* DLT name, e.g. "EN10MB" */
    const char *tool_version;
    const char *command_line;
    const char *sensor;         /* --sensor, or NULL */
    const char *profile_name;
    const char *profile_text;   /* the requirement profile used, verbatim */
    const char *filter;         /* BPF expression, or NULL */

    /* Set by the first sink that stores captures (in begin_capture):
     * the capture's database id, and a base such that flow ids
     * id_base + first_packet are unique in the store. */
    int64_t capture_id;
    uint64_t flow_id_base;

    /* Filled in by the pipeline before end_capture. */
    uint64_t packets;           /* frames read */
    uint64_t bytes;             /* sum of frame wire lengths */
    uint64_t drops;             /* kernel drops (live), 0 offline */
    uint64_t if_drops;          /* interface drops reported by libpcap */
    int64_t first_us;           /* 0 when no packet */
    int64_t last_us;
    int interrupted;            /* stopped by a signal or -c */
    const char *read_error;     /* why reading stopped early, or NULL */
    struct decode_stats decode;
    struct flow_table_stats flows;
};

enum record_kind {
    RECORD_FINDING,     /* const struct finding * */
    RECORD_SIP_MESSAGE, /* const struct sip_message_record * */
    RECORD_CALL,        /* const struct call_record * (sip_record.h) */
    RECORD_TCP_FLAG,    /* const struct tcp_flag_record * (tcp_record.h) */
    RECORD_DNS,         /* const struct dns_record * (dns_record.h) */
    RECORD_VERDICT,     /* const struct verdict_record * (compliance.h) */
    RECORD_RTP_STREAM,  /* const struct rtp_stream_record *
                           (media_record.h) */
    RECORD_STUN_MAPPING,    /* const struct stun_mapping_record *
                               (media_record.h) */
    RECORD_RTP_SAMPLE,  /* const struct rtp_sample_record *
                           (media_record.h) */
    RECORD_KIND_COUNT,
};

struct sink_ops {
    const char *name;
    int (*begin_capture)(void *self, struct capture_meta *meta);
    int (*flow)(void *self, const struct capture_meta *meta,
                const struct flow *f);
    int (*record)(void *self, const struct capture_meta *meta,
                  enum record_kind kind, const void *rec);
    /* Makes everything handed over so far durable (periodic, and before
     * a clean stop). */
    int (*flush)(void *self);
    int (*end_capture)(void *self, const struct capture_meta *meta);
    /* Optional (NULL for most sinks): called while a capture is read, so
     * a sink can show progress.  For a file, once per second of packet
     * time (where the pipeline looks for idle flows), so what a sink does
     * on a file's ticks is deterministic; now_us is that packet time.
     * For a live capture, about every 250 ms of wall time and whenever
     * the interface was idle for the poll interval; now_us is the real
     * time (UTC).  ft is the live flow table, borrowed for the call and
     * only to be read with flow_table_foreach(); meta holds the counters
     * so far (flows, decode, drops).  Capture waits for the call, so it
     * must be short.  Returns 0 to go on, 1 to ask for a clean stop (the
     * user quit: everything is flushed as after a signal), -1 on error. */
    int (*tick)(void *self, const struct capture_meta *meta,
                struct flow_table *ft, int64_t now_us);
    /* Optional: called once after the last capture, before free.  A sink
     * may wait for the user here (the TUI on a file stays up until q). */
    int (*end_run)(void *self);
    void (*free)(void *self);
};

struct sink {
    const struct sink_ops *ops;
    void *self;
};

#endif
