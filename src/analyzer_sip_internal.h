/* Shared between the SIP stage's files: analyzer_sip.c (per packet and
 * per message) and analyzer_sip_state.c (what spans messages: calls and
 * transactions, retransmission accounts, NAT bindings between REGISTER
 * refreshes, SDP media endpoints).  Not a public interface. */
#ifndef RINGSCOPE_ANALYZER_SIP_INTERNAL_H
#define RINGSCOPE_ANALYZER_SIP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "analyzer_sip.h"
#include "analyzer_sip_nat.h"
#include "media_expect.h"
#include "sdp.h"
#include "sip.h"
#include "sip_txn.h"

/* Room for the strings of one sip_messages row. */
#define ANALYZER_SIP_TEXT_ARENA 16384

/* Per flow and signature: how often it was seen and the first time. */
struct sip_sig_acc {
    uint32_t count;
    uint64_t frame;
    int64_t ts_us;
    char evidence[ANALYZER_SIP_NAT_TEXT_MAX];
    char why[ANALYZER_SIP_NAT_TEXT_MAX];
};

/* Retransmissions of one call (by sip_txn call id), kept until the call
 * ends.  Slot free when call_ref == 0. */
struct sip_acct {
    uint64_t call_ref;
    uint32_t all;               /* every retransmitted copy */
    uint32_t counted;           /* ... outside no-response/no-ACK */
    uint32_t worst;             /* of the worst transaction */
    uint32_t worst_copies;
    bool worst_final;           /* its final response was resent most */
    uint64_t worst_frame;
    int64_t worst_us;
    uint64_t worst_flow;
    char worst_method[24];
    struct ip_addr worst_from;
    struct ip_addr worst_to;
    uint16_t worst_from_port;
    uint16_t worst_to_port;
    int worst_answer;           /* its requests were answered here: the
                                   final status; 0 otherwise */
    uint64_t worst_answer_frame;
};

/* The NAT binding a 2xx to REGISTER shows.  Slot free when key == 0. */
struct sip_binding {
    uint64_t key;               /* AoR and registrar */
    char sent_by[80];           /* Via sent-by host:port as written */
    char received[48];          /* received= text, "" when absent */
    int32_t rport;              /* -1 absent */
    uint64_t frame;
    int64_t ts_us;
};

struct analyzer_sip {
    struct emit emit;
    const struct config *cfg;
    const char *req_alg;
    const char *req_nat;
    const char *req_udpto;
    uint32_t udpto_s;

    struct sip_txn_table *txn;
    struct sip_msg msg;         /* ~22 KiB: one per stage, reused */
    struct sdp sdp;             /* ~85 KiB */
    char text[ANALYZER_SIP_TEXT_ARENA];
    size_t text_used;

    /* Both tables hash into arrays of 16-bit record numbers (1 + index
     * in the records array, 0 free) and keep the records packed at the
     * start of their arrays: a run touches only the pages of the records
     * it uses, not one page per hashed slot.  Accounts given back go on
     * a stack for reuse; bindings are never removed. */
    struct sip_acct *accts;     /* ANALYZER_SIP_ACCOUNTS_MAX records */
    uint16_t *acct_slots;       /* ANALYZER_SIP_ACCOUNTS_MAX slots */
    uint16_t *accts_free;
    size_t n_accts_made;        /* accts[0, n) have been used */
    size_t n_accts_free;
    struct sip_binding *bindings;   /* ANALYZER_SIP_BINDINGS_MAX records */
    uint16_t *binding_slots;        /* ANALYZER_SIP_BINDINGS_MAX slots */
    size_t n_bindings_made;
    struct media_expect *media;     /* shared with the media stage;
                                       borrowed, may be NULL */

    struct analyzer_sip_stats st;
};

/* Where one message was seen. */
struct sip_where {
    const struct pkt *pkt;
    const struct decoded *d;
    const struct flow *f;
    enum flow_dir dir;
    bool tcp;
    bool complete;              /* UDP: not cut by the snaplen */
};

/* sip_txn callbacks: findings for transactions, call records and
 * sip_retransmissions for calls.  arg is the stage. */
void analyzer_sip_state_txn_end(void *arg, const struct sip_txn_report *r);
void analyzer_sip_state_call_end(void *arg, const struct sip_call_report *r);

/* A 2xx to REGISTER: compares its received=/rport with the previous
 * refresh of the same binding (nat_rewrite). */
void analyzer_sip_state_binding(struct analyzer_sip *self,
                                const struct sip_msg *m,
                                const struct sip_where *w);

/* Adds the media endpoints of message m's SDP s to the shared table. */
void analyzer_sip_state_media_remember(struct analyzer_sip *self,
                                       const struct sip_msg *m,
                                       const struct sdp *s,
                                       const struct sip_where *w);

/* One packet of a non-SIP UDP flow against the remembered endpoints;
 * *probe counts the packets of its direction already compared. */
void analyzer_sip_state_media_check(struct analyzer_sip *self,
                                    const struct flow *f, uint8_t *probe,
                                    const struct pkt *pkt,
                                    const struct decoded *d);

/* The finding for a signature a flow showed a->count times. */
void analyzer_sip_state_emit_sig(struct analyzer_sip *self,
                                 const struct flow *f,
                                 enum analyzer_sip_nat_sig sig,
                                 const struct sip_sig_acc *a);

/* The cross-message tables: allocated with the stage (-1 when out of
 * memory), emptied at the end of each capture, freed with the stage. */
int analyzer_sip_state_init(struct analyzer_sip *self);
void analyzer_sip_state_reset(struct analyzer_sip *self);
void analyzer_sip_state_release(struct analyzer_sip *self);

#endif
