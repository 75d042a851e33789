/* Analyzers: the stages after the flow table.  Each one sees the packets of
 * every flow (classifiers first, in registration order), keeps per-flow
 * state in its slice of flow->ext, and hands records to the sinks through
 * struct emit.  Analyzers do no I/O. */
#ifndef RINGSCOPE_ANALYZER_H
#define RINGSCOPE_ANALYZER_H

#include <stddef.h>

#include "decode.h"
#include "flow.h"
#include "packet.h"
#include "sink.h"

struct config;
struct profile;
struct media_expect;

/* The way out of an analyzer: records go to every sink, in order. */
struct emit {
    void (*record)(void *arg, enum record_kind kind, const void *rec);
    void *arg;
};

static inline void emit_record(const struct emit *e, enum record_kind kind,
                               const void *rec)
{
    e->record(e->arg, kind, rec);
}

struct analyzer_env {
    const struct config *cfg;   /* borrowed; outlives the analyzer */
    const struct profile *profile;  /* the requirement profile; borrowed,
                                       outlives the analyzer */
    struct media_expect *media;     /* SDP-announced media endpoints: the
                                       SIP stage adds, the media stage
                                       looks up; owned by the pipeline */
    struct emit emit;
};

struct analyzer_ops {
    const char *name;
    size_t flow_state_size;     /* bytes of per-flow state, zeroed */

    /* Per-run state; NULL on allocation failure. */
    void *(*create)(const struct analyzer_env *env);
    void (*destroy)(void *self);

    void (*capture_begin)(void *self, const struct capture_meta *meta);
    void (*packet)(void *self, struct flow *f, void *fstate,
                   const struct pkt *pkt, const struct decoded *d,
                   enum flow_dir dir);
    /* An ICMP error quoting a packet of flow f (f is the quoted flow, not
     * the ICMP one). */
    void (*icmp_error)(void *self, struct flow *f, void *fstate,
                       const struct pkt *pkt, const struct decoded *d);
    void (*flow_end)(void *self, struct flow *f, void *fstate,
                     enum flow_end_reason why);
    void (*capture_end)(void *self, const struct capture_meta *meta);
};

#endif
