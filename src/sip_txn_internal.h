/* Declarations shared by sip_txn.c and sip_txn_call.c; not part of the
 * interface.
 *
 * sip_txn.c owns the table, its expiry and the transactions; sip_txn_call.c
 * keeps the call records (one per Call-ID), their state machine and the
 * Wireshark-compatible resend state that lives in them.  Both kinds of
 * entry sit in a hash table and on expiry lists: each list holds entries
 * that share one timeout, in order of last activity, so expiry only ever
 * looks at list heads. */
#ifndef RINGSCOPE_SIP_TXN_INTERNAL_H
#define RINGSCOPE_SIP_TXN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipaddr.h"
#include "sip.h"
#include "sip_txn.h"

#define SIP_TXN_METHOD_MAX 32   /* CSeq method text kept, NUL included */
#define SIP_TXN_TAG_MAX 64      /* tags kept, NUL included */
#define SIP_RESEND_DIRS 4       /* Wireshark resend state per call: (src,
                                   dst) pairs kept before the least
                                   recently used one is replaced */

/* FNV-1a, 64 bits.  Not seeded: results must be the same on every run. */
static inline uint64_t sip_txn_hash_bytes(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t sip_txn_hash_init(void)
{
    return 0xcbf29ce484222325ull;
}

/* Hashes a view and a separator, so that ("ab","c") != ("a","bc"). */
static inline uint64_t sip_txn_hash_str(uint64_t h, struct sip_str s)
{
    static const uint8_t sep = 0xff;

    if (s.ptr && s.len > 0)
        h = sip_txn_hash_bytes(h, s.ptr, s.len);
    return sip_txn_hash_bytes(h, &sep, 1);
}

static inline uint64_t sip_txn_hash_u32(uint64_t h, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 8), (uint8_t)v };

    return sip_txn_hash_bytes(h, b, sizeof(b));
}

/* Spreads the FNV bits before masking (MurmurHash3 finaliser). */
static inline size_t sip_txn_bucket(uint64_t h, size_t mask)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)(h & mask);
}

static inline void sip_txn_copy_str(char *dst, size_t cap, struct sip_str s)
{
    size_t n = s.ptr ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    if (n > 0)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

/* Does a stored (possibly cut) copy equal the view cut the same way? */
static inline bool sip_txn_stored_eq(const char *stored, size_t cap,
                                     struct sip_str s)
{
    size_t n = s.ptr ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    return strlen(stored) == n && (n == 0 || memcmp(stored, s.ptr, n) == 0);
}

/* Circular, with a sentinel.  Entries embed a node as their first member
 * so a node pointer converts back to its entry. */
struct sip_lnode {
    struct sip_lnode *prev;
    struct sip_lnode *next;
};

static inline void sip_txn_list_init(struct sip_lnode *head)
{
    head->prev = head;
    head->next = head;
}

static inline bool sip_txn_list_empty(const struct sip_lnode *head)
{
    return head->next == head;
}

static inline void sip_txn_list_unlink(struct sip_lnode *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n;
    n->next = n;
}

static inline void sip_txn_list_append(struct sip_lnode *head,
                                       struct sip_lnode *n)
{
    n->prev = head->prev;
    n->next = head;
    head->prev->next = n;
    head->prev = n;
}

/* One message and its copies from one sender. */
struct sip_train {
    struct ip_addr src;
    uint16_t sport;
    uint64_t first_frame;
    int64_t first_us;
    int64_t last_us;
    uint32_t copies;            /* the original included */
    uint32_t timer_gaps;
    uint32_t timer_matches;
};

enum sip_txn_list {
    SIP_TXN_LIST_NORMAL,        /* kept 64*T1 after the last message */
    SIP_TXN_LIST_PROCEEDING,    /* INVITE, provisional, no final */
    SIP_TXN_LISTS,
};

struct sip_txn_rec {
    struct sip_lnode lru;       /* first member: see struct sip_lnode */
    struct sip_txn_rec *hnext;
    enum sip_txn_list list;
    int64_t touched_us;         /* last activity, in table time */

    uint64_t id;
    uint64_t fam;               /* hash of Call-ID, CSeq, method */
    uint64_t ident;             /* hash of the branch (or RFC 2543 key) */
    uint64_t call_ref;
    char call_id[SIP_TXN_STR_MAX];
    char branch[SIP_TXN_STR_MAX];
    char method[SIP_TXN_METHOD_MAX];
    enum sip_method method_id;
    uint32_t cseq;
    bool rfc2543;
    bool reliable;
    uint64_t flow_id;
    uint64_t first_frame;
    int64_t first_us;

    bool request_seen;
    struct ip_addr client_ip;
    struct ip_addr server_ip;
    uint16_t client_port;
    uint16_t server_port;
    struct sip_train req;
    int64_t req_expires;        /* REGISTER: what the client asked for */

    int first_prov;
    int64_t prov_us;            /* first provisional */
    int last_prov;              /* the latest distinct provisional ... */
    uint64_t last_prov_tag;     /* ... its To tag hash ... */
    struct sip_train prov;      /* ... and its copies */
    uint32_t prov_copies;

    int final_status;
    uint64_t final_tag;         /* hash of its To tag */
    struct sip_train fin;
    uint32_t req_since_final;   /* request copies since the last final
                                   copy: a final sent after one answers it
                                   rather than following Timer G */
    int64_t first_2xx_us;
    uint32_t final_forks;

    uint32_t retrans;
    uint32_t mirror;
    uint32_t other_path;
    uint32_t ack_copies;
    bool acked;
    uint64_t ack_frame;
    struct ip_addr ack_src;
    uint16_t ack_sport;
    int64_t ack_last_us;
};

enum sip_resend_state {
    SIP_RESEND_NOTHING,
    SIP_RESEND_REQUEST,
    SIP_RESEND_PROVISIONAL,
    SIP_RESEND_FINAL,
};

/* Wireshark's per (Call-ID, src, dst, sport, dport) resend state. */
struct sip_resend_dir {
    bool used;
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    uint32_t cseq;
    char method[SIP_TXN_METHOD_MAX];
    enum sip_resend_state state;
    int code;
    uint64_t frame;
    uint64_t used_at;           /* for least-recently-used replacement */
};

enum sip_call_list {
    SIP_CALL_LIST_FINISHED,     /* kept 64*T1 after the last message */
    SIP_CALL_LIST_EARLY,        /* trying or ringing: proceeding_us */
    SIP_CALL_LIST_ANSWERED,     /* call_idle_us */
    SIP_CALL_LISTS,
};

struct sip_call_rec {
    struct sip_lnode lru;       /* first member: see struct sip_lnode */
    struct sip_call_rec *hnext;
    enum sip_call_list list;
    int64_t touched_us;

    uint64_t id;
    uint64_t hash;              /* of the whole Call-ID */
    size_t call_id_len;
    char call_id[SIP_TXN_STR_MAX];
    char from_uri[SIP_TXN_STR_MAX];
    char to_uri[SIP_TXN_STR_MAX];
    char from_tag[SIP_TXN_TAG_MAX];
    char to_tag[SIP_TXN_TAG_MAX];
    char first_method[SIP_TXN_METHOD_MAX];

    enum sip_call_state state;
    bool is_invite;
    uint32_t invite_cseq;
    int final_status;
    bool cancel_seen;
    uint32_t messages;
    uint32_t reinvites;
    uint64_t flow_id;
    struct ip_addr caller_ip;
    struct ip_addr callee_ip;
    uint16_t caller_port;
    uint16_t callee_port;
    uint64_t first_frame;
    int64_t start_us;
    int64_t ring_us;
    int64_t answer_us;
    int64_t end_us;
    int64_t last_us;

    uint64_t dir_clock;
    struct sip_resend_dir dirs[SIP_RESEND_DIRS];
};

struct sip_txn_table {
    struct sip_txn_config cfg;
    struct sip_txn_events ev;
    int64_t now;
    bool started;

    struct sip_txn_rec **tbuckets;
    size_t tmask;
    size_t ntxns;
    struct sip_lnode tlists[SIP_TXN_LISTS];
    uint64_t next_txn;

    struct sip_call_rec **cbuckets;
    size_t cmask;
    size_t ncalls;
    struct sip_lnode clists[SIP_CALL_LISTS];
    uint64_t next_call;

    struct sip_txn_stats st;

    /* No record in any list lingers past this time: sip_txn_advance()
     * looks at the lists only from then on (it runs on every packet). */
    int64_t next_due;
};

static inline struct sip_txn_rec *sip_txn_rec_of(struct sip_lnode *n)
{
    return (struct sip_txn_rec *)(void *)n;
}

static inline struct sip_call_rec *sip_call_rec_of(struct sip_lnode *n)
{
    return (struct sip_call_rec *)(void *)n;
}

static inline int64_t sip_txn_timer_b(const struct sip_txn_table *t)
{
    return 64 * t->cfg.t1_us;
}

/* A record joined a list: the next sip_txn_advance() looks at them all. */
static inline void sip_txn_lists_changed(struct sip_txn_table *t)
{
    t->next_due = INT64_MIN;
}

static inline bool sip_txn_same_endpoint(const struct ip_addr *a, uint16_t ap,
                                         const struct ip_addr *b, uint16_t bp)
{
    return ap == bp && ipaddr_equal(a, b);
}

/* ---- calls (sip_txn_call.c) ---------------------------------------------- */

/* The call record of the message's Call-ID, created (evicting the least
 * recently active one when the table is full) if needed.  NULL when out
 * of memory (counted). */
struct sip_call_rec *sip_txn_call_get(struct sip_txn_table *t,
                                      const struct sip_msg *msg,
                                      const struct sip_txn_pkt *pkt);

/* Wireshark's sip_is_packet_resend() with the same rules, kept per call:
 * the frame this message repeats, or 0. */
uint64_t sip_txn_call_resend(struct sip_call_rec *c, const struct sip_msg *msg,
                             const struct sip_txn_pkt *pkt);

/* Moves the call along its state machine after the transaction layer has
 * judged the message (v says whether it was a copy). */
void sip_txn_call_request(struct sip_txn_table *t, struct sip_call_rec *c,
                          const struct sip_msg *msg,
                          const struct sip_txn_pkt *pkt,
                          const struct sip_txn_verdict *v);
void sip_txn_call_response(struct sip_txn_table *t, struct sip_call_rec *c,
                           const struct sip_msg *msg,
                           const struct sip_txn_pkt *pkt);

/* Puts the call on the expiry list its state calls for, as just active. */
void sip_txn_call_touch(struct sip_txn_table *t, struct sip_call_rec *c);

/* The least recently active call, or NULL. */
struct sip_call_rec *sip_txn_call_oldest(struct sip_txn_table *t);

/* Reports the call through call_end with why, then frees it. */
void sip_txn_call_remove(struct sip_txn_table *t, struct sip_call_rec *c,
                         enum sip_call_end why);

#endif
