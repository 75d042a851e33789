/* The compliance engine: a sink that watches the flows, findings and DNS
 * records of a capture and, when the capture ends, gives every profile
 * requirement a verdict (PASS, FAIL, NOT_OBSERVED) in each requirement
 * set it belongs to.  The verdicts go to the sinks after it as
 * RECORD_VERDICT records (struct verdict_record).
 *
 * How each check kind is judged: man ringscope(1), COMPLIANCE. */
#ifndef RINGSCOPE_COMPLIANCE_H
#define RINGSCOPE_COMPLIANCE_H

#include <stdbool.h>

#include "analyzer.h"
#include "sink.h"

struct profile;
struct compliance;

enum verdict {
    VERDICT_NOT_OBSERVED,   /* no traffic that could tell */
    VERDICT_PASS,           /* evidence that it holds */
    VERDICT_FAIL,           /* evidence that it does not */
};

/* Evidence lists name at most this many flows. */
#define COMPLIANCE_EVIDENCE_MAX 5

/* One verdict: a value whose strings are borrowed for the duration of the
 * sink call (RECORD_VERDICT); sinks copy what they keep.  evidence lists
 * flows as "flow ID packet N" items separated by ", "; it and fix are ""
 * when there is nothing to say. */
struct verdict_record {
    const char *requirement;    /* profile requirement ID */
    const char *set_name;       /* requirement set (verdict column) */
    enum verdict verdict;
    const char *severity;       /* the requirement's: error | warning | info */
    const char *check;          /* its check kind, e.g. "connect" */
    const char *summary;        /* one line, what was seen */
    const char *evidence;
    const char *fix;
};

/* "PASS", "FAIL", "NOT_OBSERVED". */
const char *verdict_name(enum verdict v);

/* Parses verdict_name()'s output; -1 when s is none of them. */
int verdict_parse(const char *s, enum verdict *out);

/* Creates the engine for profile (borrowed; must outlive it) and fills
 * *out with its sink.  The verdicts are handed to emit at end_capture;
 * the pipeline points emit at its record fan-out, so they reach every
 * sink, this one included (which ignores them): place this sink before
 * the sinks that should see them.  The sink's free releases the engine;
 * the returned handle stays valid until then.  Cannot fail. */
struct compliance *compliance_new(const struct profile *profile,
                                  const struct emit *emit, struct sink *out);

/* True once a requirement of severity error got a FAIL verdict in any
 * capture so far (the run then exits with status 1).  A FAIL of a
 * warning or info requirement is reported but does not count. */
bool compliance_any_failed(const struct compliance *c);

#endif
