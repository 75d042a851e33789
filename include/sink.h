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
    void (*free)(void *self);
};

struct sink {
    const struct sink_ops *ops;
    void *self;
};

#endif
