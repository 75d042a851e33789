/* STUN: message parsing, request/response matching and keepalive
 * classification.
 *
 * Specs: RFC 8489 (STUN, obsoletes RFC 5389) sections 5 (header), 14
 * (attributes) and 6.2.1 (retransmission timing); RFC 3489 (classic STUN,
 * no magic cookie); RFC 8445 (ICE attributes PRIORITY, USE-CANDIDATE,
 * ICE-CONTROLLED, ICE-CONTROLLING and keepalives, section 11); RFC 7675
 * (consent freshness); RFC 8656 (TURN methods and XOR-RELAYED-ADDRESS).
 * Test vectors: RFC 5769. */
#ifndef RINGSCOPE_STUN_H
#define RINGSCOPE_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

#define STUN_HEADER_LEN 20
#define STUN_MAGIC_COOKIE 0x2112A442u
#define STUN_TXID_LEN 12                /* 96 bits after the cookie */

/* The class bits of the message type (C1 C0). */
enum stun_class {
    STUN_CLASS_REQUEST = 0,
    STUN_CLASS_INDICATION = 1,
    STUN_CLASS_SUCCESS = 2,
    STUN_CLASS_ERROR = 3,
};

enum stun_method {
    STUN_METHOD_BINDING = 0x001,
    STUN_METHOD_SHARED_SECRET = 0x002,  /* RFC 3489 only */
    STUN_METHOD_ALLOCATE = 0x003,       /* TURN, RFC 8656 */
    STUN_METHOD_REFRESH = 0x004,
    STUN_METHOD_SEND = 0x006,
    STUN_METHOD_DATA = 0x007,
    STUN_METHOD_CREATE_PERMISSION = 0x008,
    STUN_METHOD_CHANNEL_BIND = 0x009,
};

enum stun_attr_type {
    STUN_ATTR_MAPPED_ADDRESS = 0x0001,
    STUN_ATTR_USERNAME = 0x0006,
    STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
    STUN_ATTR_ERROR_CODE = 0x0009,
    STUN_ATTR_XOR_RELAYED_ADDRESS = 0x0016,
    STUN_ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C,
    STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
    STUN_ATTR_PRIORITY = 0x0024,
    STUN_ATTR_USE_CANDIDATE = 0x0025,
    STUN_ATTR_SOFTWARE = 0x8022,
    STUN_ATTR_FINGERPRINT = 0x8028,
    STUN_ATTR_ICE_CONTROLLED = 0x8029,
    STUN_ATTR_ICE_CONTROLLING = 0x802A,
};

enum stun_status {
    STUN_OK,
    STUN_NOT_STUN,      /* the header rules out STUN: top bits set, length
                           not a multiple of 4 or not the datagram's, no
                           cookie and not an RFC 3489 message type */
    STUN_TRUNCATED,     /* the snaplen cut the message; *m holds the
                           attributes before the cut */
    STUN_MALFORMED,     /* an attribute runs past the message length */
};

struct stun_address {
    bool present;
    struct ip_addr addr;
    uint16_t port;
};

/* Longest USERNAME, SOFTWARE or ERROR-CODE reason kept; longer values are
 * cut (RFC 8489 allows up to 763 bytes for SOFTWARE and reason phrases). */
#define STUN_TEXT_MAX 128

struct stun_message {
    uint16_t type;              /* raw message type */
    uint16_t method;            /* enum stun_method value, or another */
    enum stun_class cls;
    uint16_t length;            /* attribute bytes, from the header */
    bool classic;               /* RFC 3489: no magic cookie; then the
                                   transaction ID is cookie + txid */
    uint32_t cookie;            /* STUN_MAGIC_COOKIE unless classic */
    uint8_t txid[STUN_TXID_LEN];

    unsigned attr_count;        /* attributes within the message */
    unsigned skipped_attrs;     /* not decoded here (unknown, or known
                                   but not needed: REALM, NONCE, ...) */
    unsigned bad_attrs;         /* decoded type with an impossible length
                                   or address family: ignored */
    unsigned ignored_attrs;     /* after MESSAGE-INTEGRITY (other than
                                   the SHA256 variant and FINGERPRINT) or
                                   after FINGERPRINT: ignored as RFC 8489
                                   14.5 and 14.7 require */

    struct stun_address xor_mapped;     /* 0x0020 */
    struct stun_address mapped;         /* 0x0001 */
    struct stun_address xor_relayed;    /* 0x0016 (TURN) */

    bool has_username;
    char username[STUN_TEXT_MAX + 1];   /* control characters -> '?' */
    bool has_software;
    char software[STUN_TEXT_MAX + 1];

    bool has_message_integrity;
    bool has_message_integrity_sha256;
    bool has_fingerprint;
    bool fingerprint_ok;        /* CRC-32 of the message before it, XOR
                                   0x5354554E, matches (RFC 8489 14.7) */
    uint32_t fingerprint;

    bool has_priority;
    uint32_t priority;
    bool use_candidate;
    bool ice_controlling;
    bool ice_controlled;
    uint64_t tie_breaker;       /* of ICE-CONTROLLING or ICE-CONTROLLED */

    bool has_error_code;
    uint16_t error_code;        /* class * 100 + number, e.g. 401 */
    char error_reason[STUN_TEXT_MAX + 1];
};

/* Parses one STUN message that filled a UDP datagram: data holds caplen
 * captured bytes of a payload that was wirelen bytes long.  Attributes are
 * walked with their 4-byte padding; XOR-MAPPED-ADDRESS and
 * XOR-RELAYED-ADDRESS are un-XORed (the port with the cookie's top 16
 * bits, IPv4 with the cookie, IPv6 with cookie and transaction ID).
 * *m is fully written; on STUN_NOT_STUN its contents mean nothing. */
enum stun_status stun_parse(const uint8_t *data, size_t caplen,
                            size_t wirelen, struct stun_message *m);

/* Stable lowercase names: "ok", "request", "binding". */
const char *stun_status_name(enum stun_status st);
const char *stun_class_name(enum stun_class cls);
/* NULL for a method this module has no name for. */
const char *stun_method_name(uint16_t method);

/* True for a binding request, indication or response. */
bool stun_is_binding(const struct stun_message *m);

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

/* RFC 8489 6.2.1 with its defaults (RTO 500 ms, Rc 7, Rm 16) gives up
 * after 39.5 s; a request unanswered for longer is counted as such. */
#define STUN_TXN_TIMEOUT_US 40000000
#define STUN_TXN_WAYS 4         /* entries per bucket */

struct stun_txn_table;

struct stun_txn_stats {
    uint64_t requests;          /* new transactions */
    uint64_t retransmissions;   /* a request seen again while pending */
    uint64_t answered;          /* matched by a response */
    uint64_t unanswered;        /* expired without a response */
    uint64_t evicted;           /* pushed out while still pending: the
                                   table was too small */
    uint64_t orphan_responses;  /* responses matching nothing pending */
};

struct stun_txn_match {
    uint16_t method;
    uint32_t retransmissions;   /* of the request */
    int64_t rtt_us;             /* from the last transmission: right
                                   when the response answers it */
    int64_t rtt_first_us;       /* from the first transmission */
    uint64_t user;              /* what the caller stored */
};

/* A bounded table of pending requests keyed by magic cookie + transaction
 * ID (RFC 3489 IDs are 128 bits, so the cookie field is part of the key).
 * capacity is rounded up to a power of two and to STUN_TXN_WAYS; a full
 * bucket reuses an expired entry, else evicts its oldest.  Returns NULL
 * when out of memory or capacity is 0. */
struct stun_txn_table *stun_txn_table_new(size_t capacity, int64_t timeout_us);
void stun_txn_table_free(struct stun_txn_table *t);

/* Records a request (m must be of class REQUEST) seen at ts_us; user is
 * returned with the match (e.g. a flow id).  Returns true when it repeats
 * a pending transaction (a retransmission: the first time is kept). */
bool stun_txn_request(struct stun_txn_table *t, const struct stun_message *m,
                      int64_t ts_us, uint64_t user);

/* Matches a response (class SUCCESS or ERROR) seen at ts_us.  On a match
 * fills *out, forgets the transaction and returns true; a response that
 * arrives after the timeout still matches if its entry survived. */
bool stun_txn_response(struct stun_txn_table *t, const struct stun_message *m,
                       int64_t ts_us, struct stun_txn_match *out);

/* Counts requests pending for longer than the timeout at now_us as
 * unanswered and forgets them.  Call at the end of a capture with a time
 * past its end to count all of them. */
void stun_txn_expire(struct stun_txn_table *t, int64_t now_us);

void stun_txn_get_stats(const struct stun_txn_table *t,
                        struct stun_txn_stats *out);

/* ------------------------------------------------------------------ */
/* Keepalives                                                          */
/* ------------------------------------------------------------------ */

/* RFC 7675 5.1: consent checks every 5 s, randomised to 0.8-1.2 times
 * that, i.e. 4 to 6 s between checks; half a second either side absorbs
 * capture timing. */
#define STUN_CONSENT_MIN_US 3500000
#define STUN_CONSENT_MAX_US 6500000

enum stun_ka_kind {
    STUN_KA_NONE,           /* not a binding request or indication */
    STUN_KA_CHECK,          /* binding request before the pair answered
                               (ICE check, server-reflexive discovery), or
                               sooner than consent cadence after the last */
    STUN_KA_INDICATION,     /* binding indication: a keepalive that needs
                               no answer (RFC 8445 11, RFC 8489 6.3) */
    STUN_KA_CONSENT,        /* binding request on an answered pair at
                               consent cadence (RFC 7675) */
    STUN_KA_REFRESH,        /* binding request on an answered pair, less
                               often than consent (NAT keepalive, e.g.
                               RFC 5626 or ICE 11) */
    STUN_KA_KIND_COUNT,
};

/* Per-flow state; all zero bytes are a valid initial state. */
struct stun_keepalive {
    bool answered;              /* a binding success response was seen */
    bool _have_last[2];
    int64_t _last_us[2];        /* last binding request or indication, per
                                   direction */
    int64_t max_interval_us[2]; /* longest gap between consecutive
                                   keepalives (indication, consent,
                                   refresh) in one direction */
    uint64_t count[STUN_KA_KIND_COUNT];
};

void stun_keepalive_init(struct stun_keepalive *ka);

/* Classifies a parsed message travelling in direction dir (0 or 1) at
 * ts_us, updating the state (responses only mark the pair answered). */
enum stun_ka_kind stun_keepalive_classify(struct stun_keepalive *ka,
                                          unsigned dir,
                                          const struct stun_message *m,
                                          int64_t ts_us);

const char *stun_ka_kind_name(enum stun_ka_kind k);

#endif
