/* A finding: one observed violation or notable fact, with its evidence. */
#ifndef RINGSCOPE_FINDING_H
#define RINGSCOPE_FINDING_H

#include <stdint.h>

enum finding_severity {
    FINDING_INFO,
    FINDING_WARNING,
    FINDING_ERROR,
};

#define FINDING_SUMMARY_MAX 512

/* A value: sinks copy what they keep.  kind is one of the stable finding
 * kinds of the database interface ("tcp_blocked", "sip_alg_suspected",
 * ...); requirement is a profile requirement ID or NULL. */
struct finding {
    const char *kind;
    enum finding_severity severity;
    const char *requirement;
    uint64_t flow_id;           /* 0 when no single flow */
    uint64_t first_packet;      /* 1-based frame number; 0 unknown */
    int64_t ts_us;
    char summary[FINDING_SUMMARY_MAX];
};

const char *finding_severity_name(enum finding_severity s);

#endif
