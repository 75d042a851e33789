/* SIP transactions, calls, registrations and retransmissions as a passive
 * observer sees them (RFC 3261 sections 10, 13, 17; timer values from
 * Table 4).
 *
 * Feed every parsed SIP message with where and when it was seen, in
 * capture order.  sip_txn_process() answers at once for that message
 * (which transaction and call it belongs to, whether it is a
 * retransmission, whether the gap fits the RFC 3261 timer); what can only
 * be decided later (no response until Timer B/F, a 2xx never ACKed, the
 * end of a call) comes out through callbacks when packet time moves past
 * the deadline, or at sip_txn_flush().
 *
 * Pure and deterministic: no I/O, no wall clock; time is packet time.
 * Memory is bounded by the configured counts; when full, the least
 * recently active entry is evicted, reported and counted. */
#ifndef RINGSCOPE_SIP_TXN_H
#define RINGSCOPE_SIP_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "sip.h"

struct sip_txn_config {
    int64_t t1_us;              /* RFC 3261 T1: 500 ms */
    int64_t t2_us;              /* RFC 3261 T2: 4 s */
    /* A transaction is kept 64*T1 (Timer B/F/H, 32 s) after its last
     * message.  An INVITE that got a provisional and no final response is
     * kept proceeding_us instead (Timer C, 180 s, RFC 3261 section 16.6). */
    int64_t proceeding_us;
    /* A call that is answered and quiet is reported and dropped after
     * call_idle_us (default 3600 s); a trying or ringing one after
     * proceeding_us; a finished one (ended, failed, cancelled, or a
     * Call-ID that never had an INVITE) after 64*T1. */
    int64_t call_idle_us;
    /* A retransmission gap matches the timer when it is within
     * max(tolerance_pct % of the expected gap, tolerance_min_us) of it.
     * Defaults 25 % and 50 ms: capture timestamps and stack scheduling
     * jitter by milliseconds, never by a quarter of T1. */
    uint32_t tolerance_pct;
    int64_t tolerance_min_us;
    /* A copy closer than this to the previous one is a span-port mirror
     * duplicate, not a retransmission: no RFC 3261 timer fires that fast.
     * Default 2 ms. */
    int64_t mirror_window_us;
    size_t max_txns;            /* default 16384 */
    size_t max_calls;           /* default 16384 */
};

/* Fills in the defaults above. */
void sip_txn_config_defaults(struct sip_txn_config *cfg);

/* Where and when one message was seen. */
struct sip_txn_pkt {
    int64_t ts_us;              /* packet time, UTC microseconds */
    uint64_t frame;             /* 1-based frame number */
    uint64_t flow_id;
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    bool reliable;              /* TCP, TLS or WebSocket: timers A, E and
                                   G do not run (RFC 3261 section 17) */
};

/* The answer for one message, filled by sip_txn_process(). */
struct sip_txn_verdict {
    uint64_t txn_id;            /* 0: not in a transaction (no Call-ID or
                                   CSeq, or an ACK matching nothing) */
    uint64_t call_ref;          /* call record id; 0 without Call-ID */

    /* Wireshark's sip.resend and sip.original_frame, same definition:
     * UDP only, per Call-ID and (source, destination) address and port;
     * the same CSeq number and method as the previous request in that
     * direction (ACK and CANCEL never), or the same CSeq, method and final
     * status as the previous final response.  Use it for the
     * sip_messages.retransmission column so counts agree with tshark. */
    bool resend;
    uint64_t resend_of;

    /* Transaction view (requirements 2.5): the same transaction and the
     * same message (request, or status and To tag) again from the same
     * source, on any transport.  Provisional responses count too. */
    bool retransmission;
    uint32_t copy;              /* 0 for the original, n for the n-th copy */
    uint64_t original_frame;
    int64_t gap_us;             /* since the previous copy; 0 original */
    int64_t expected_gap_us;    /* what Timer A, E or G predicts; 0 when
                                   no timer drives this copy (provisional
                                   responses, ACKs, responses answering a
                                   retransmitted request, non-2xx over a
                                   reliable transport) */
    bool timer_match;           /* gap within tolerance of expected */
    bool mirror_duplicate;      /* a copy inside mirror_window_us */
    bool other_path;            /* the same message from another source:
                                   the capture saw it at two points */
};

enum sip_txn_end {
    SIP_TXN_END_EXPIRED,        /* its timers ran out in packet time */
    SIP_TXN_END_EVICTED,        /* the table was full */
    SIP_TXN_END_FLUSHED,        /* end of capture */
};

#define SIP_TXN_STR_MAX 128     /* stored strings, NUL included; longer
                                   values are cut (matching still uses a
                                   hash of the whole value) */

/* A finished transaction.  Strings are NUL-terminated copies valid only
 * during the callback. */
struct sip_txn_report {
    uint64_t id;
    uint64_t call_ref;
    const char *call_id;
    const char *branch;         /* "" when the top Via had none */
    const char *method;         /* CSeq method text */
    enum sip_method method_id;
    uint32_t cseq;
    bool rfc2543;               /* branch without the z9hG4bK magic cookie:
                                   matched on Call-ID, CSeq, From tag and
                                   top Via (RFC 3261 section 17.2.3) */
    bool reliable;
    uint64_t flow_id;           /* of the first message seen */

    bool request_seen;          /* false: only responses were captured */
    struct ip_addr client_ip;   /* sender of the request */
    struct ip_addr server_ip;
    uint16_t client_port;
    uint16_t server_port;
    uint64_t first_frame;
    int64_t first_us;
    int64_t last_us;

    uint32_t request_copies;    /* every copy, the original included */
    uint32_t request_timer_gaps;    /* copies a timer should have driven */
    uint32_t request_timer_matches; /* ... whose gap matched */
    int first_provisional;      /* status code, 0 none */
    int64_t provisional_us;     /* when the first one came */
    uint32_t provisional_copies;    /* retransmitted provisionals */
    int final_status;           /* first final response, 0 none */
    uint64_t final_frame;
    int64_t final_us;
    uint32_t final_copies;      /* every copy of it, the original included */
    uint32_t final_timer_gaps;
    uint32_t final_timer_matches;
    uint32_t final_forks;       /* other finals (another status or To tag) */
    uint32_t retransmissions;   /* all copies beyond the originals */
    uint32_t mirror_duplicates;
    uint32_t other_path_copies;
    bool acked;                 /* INVITE: an ACK for its final was seen */
    uint64_t ack_frame;

    /* Verdicts the analyzer turns into findings. */
    bool timed_out;             /* 64*T1 passed after the first request in
                                   packet time (Timer B/F), so "no
                                   response" is a fact, not a cut capture */
    bool no_response;           /* sip_no_response: request seen (not ACK),
                                   nothing came back, timed_out */
    bool twoxx_no_ack;          /* sip_2xx_no_ack: INVITE 2xx without ACK
                                   for 64*T1 (Timer H) after the first 2xx */
    enum sip_txn_end why;
};

enum sip_call_state {
    SIP_CALL_NONE,              /* the Call-ID never had an initial INVITE
                                   (REGISTER, OPTIONS, SUBSCRIBE ...) */
    SIP_CALL_TRYING,            /* INVITE sent, nothing or 100 back */
    SIP_CALL_RINGING,           /* a provisional above 100 (180, 183) */
    SIP_CALL_ANSWERED,          /* 2xx to the initial INVITE */
    SIP_CALL_FAILED,            /* 3xx-6xx final to the initial INVITE */
    SIP_CALL_CANCELLED,         /* CANCEL then 487, or BYE before answer */
    SIP_CALL_ENDED,             /* BYE after answer */
};

enum sip_call_end {
    SIP_CALL_END_NONE,          /* a state change; the call goes on */
    SIP_CALL_END_FINISHED,      /* finished and quiet for 64*T1 */
    SIP_CALL_END_IDLE,          /* no message for the idle timeout */
    SIP_CALL_END_EVICTED,       /* the table was full */
    SIP_CALL_END_FLUSHED,       /* end of capture */
};

/* A call (every message sharing a Call-ID).  Strings as in
 * struct sip_txn_report.  Times are 0 and durations -1 when unknown. */
struct sip_call_report {
    uint64_t id;
    const char *call_id;
    const char *from_uri;       /* of the first message */
    const char *to_uri;
    const char *from_tag;
    const char *to_tag;         /* of the answer, else of the last final */
    const char *first_method;
    enum sip_call_state state;
    int final_status;           /* final response to the initial INVITE */
    bool cancel_seen;
    uint32_t messages;
    uint32_t reinvites;
    uint64_t flow_id;           /* of the initial INVITE (else first) */
    struct ip_addr caller_ip;   /* sender of the initial INVITE (else of
                                   the first message) */
    struct ip_addr callee_ip;
    uint16_t caller_port;
    uint16_t callee_port;
    uint64_t first_frame;
    int64_t start_us;           /* initial INVITE, else first message */
    int64_t ring_us;            /* first provisional above 100 */
    int64_t answer_us;          /* first 2xx to the initial INVITE */
    int64_t end_us;             /* BYE, failure or cancellation */
    int64_t last_us;            /* last message of any kind */
    int64_t ring_delay_us;      /* ring_us - start_us */
    int64_t setup_us;           /* answer_us - start_us (Wireshark's SIP
                                   "setup time") */
    int64_t duration_us;        /* end_us - answer_us when a BYE ended an
                                   answered call */
    enum sip_call_end why;
};

/* One binding confirmed by a 2xx to REGISTER (RFC 3261 section 10.3).
 * Views point into the response being processed: valid only during the
 * callback.  A 2xx without Contact gives one report with an absent
 * contact (count 0). */
struct sip_binding_report {
    uint64_t txn_id;
    uint64_t call_ref;
    uint64_t frame;
    int64_t ts_us;
    uint64_t flow_id;
    struct ip_addr client_ip;   /* the registering side */
    uint16_t client_port;
    struct sip_str aor;         /* To URI */
    struct sip_str contact;     /* Contact URI */
    int64_t expires_s;          /* granted: the Contact's expires param,
                                   else the Expires header; -1 unknown */
    int64_t requested_s;        /* asked for in the REGISTER; -1 unknown */
    size_t index;
    size_t count;               /* Contact values in the response */
};

/* Where results go.  Any callback may be NULL. */
struct sip_txn_events {
    void (*txn_end)(void *arg, const struct sip_txn_report *r);
    void (*call_state)(void *arg, const struct sip_call_report *r);
    void (*call_end)(void *arg, const struct sip_call_report *r);
    void (*binding)(void *arg, const struct sip_binding_report *r);
    void *arg;
};

struct sip_txn_stats {
    uint64_t messages;
    uint64_t ignored;           /* no Call-ID or no CSeq */
    uint64_t txns;              /* transactions created */
    uint64_t txns_evicted;
    uint64_t calls;             /* call records created */
    uint64_t calls_evicted;
    uint64_t acks_unmatched;    /* ACK for no INVITE we still know */
    uint64_t alloc_failures;    /* entries not created: out of memory */
};

struct sip_txn_table;

/* Returns a table, or NULL when out of memory.  cfg and ev are copied. */
struct sip_txn_table *sip_txn_new(const struct sip_txn_config *cfg,
                                  const struct sip_txn_events *ev);
/* Frees everything without reporting (call sip_txn_flush() first to get
 * the reports).  Accepts NULL. */
void sip_txn_free(struct sip_txn_table *t);

/* Expires what packet time now_us has made final, reporting it.  Called
 * by sip_txn_process() itself; call it on other packets too so that
 * deadlines fire even when SIP goes quiet.  Time never goes back: an
 * earlier now_us is ignored. */
void sip_txn_advance(struct sip_txn_table *t, int64_t now_us);

/* Accounts one message.  msg is borrowed for the call; *out is fully
 * overwritten.  Messages without Call-ID or CSeq are counted and ignored
 * (out is zeroed). */
void sip_txn_process(struct sip_txn_table *t, const struct sip_msg *msg,
                     const struct sip_txn_pkt *pkt,
                     struct sip_txn_verdict *out);

/* End of input: advances to now_us, then reports and drops every
 * transaction and call left, with why = FLUSHED.  The table stays usable. */
void sip_txn_flush(struct sip_txn_table *t, int64_t now_us);

void sip_txn_get_stats(const struct sip_txn_table *t,
                       struct sip_txn_stats *out);

const char *sip_call_state_name(enum sip_call_state st);
const char *sip_call_end_name(enum sip_call_end why);
const char *sip_txn_end_name(enum sip_txn_end why);

#endif
