/* STUN parsing, transaction matching and keepalive classification.
 * Spec: RFC 8489 (and RFC 3489 for classic STUN), RFC 8445, RFC 7675,
 * RFC 8656. */
#include "config.h"

#include "stun.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Message type bits: M11..M7 C1 M6..M4 C0 M3..M0 (RFC 8489 5).
 * Attributes: 16-bit type, 16-bit length of the value, value padded to a
 * multiple of 4 bytes.
 */

#define STUN_FINGERPRINT_XOR 0x5354554Eu
#define STUN_ATTR_HEADER_LEN 4

/* Bytes of padding after an attribute value of len bytes. */
static size_t stun_pad(uint16_t len)
{
    return (4u - len % 4u) % 4u;
}

/* RFC 3489 message types, recognised without a magic cookie. */
static const uint16_t stun_classic_types[] = {
    0x0001, 0x0101, 0x0111,     /* binding request, response, error */
    0x0002, 0x0102, 0x0112,     /* shared secret request, response, error */
};

static bool stun_is_classic_type(uint16_t type)
{
    size_t i;

    for (i = 0; i < sizeof(stun_classic_types) / sizeof(stun_classic_types[0]);
         i++)
        if (stun_classic_types[i] == type)
            return true;
    return false;
}

/* CRC-32 as FINGERPRINT uses it (ISO 3309 / ITU-T V.42, as in zlib),
 * bit by bit: messages are small and this runs once per message. */
static uint32_t stun_crc32(struct cursor *c)
{
    uint32_t crc = 0xffffffffu;
    uint8_t b;
    int k;

    while (cur_get_u8(c, &b)) {
        crc ^= b;
        for (k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

/* Copies a text attribute, replacing control characters so the result
 * is a safe C string; cuts at STUN_TEXT_MAX bytes. */
static void stun_copy_text(struct cursor *val, char *dst)
{
    size_t i = 0;
    uint8_t b;

    while (i < STUN_TEXT_MAX && cur_get_u8(val, &b)) {
        dst[i] = (b < 0x20 || b == 0x7f) ? '?' : (char)b;
        i++;
    }
    dst[i] = '\0';
}

/* MAPPED-ADDRESS layout, shared by the XOR variants:
 *   0: reserved, 1: family (1 IPv4, 2 IPv6), 2-3: port, 4-: address.
 * xor_key is the 16 header bytes after the type and length (cookie and
 * transaction ID), or NULL for the plain form. */
static bool stun_read_address(struct cursor *val, const uint8_t *xor_key,
                              struct stun_address *out)
{
    uint8_t reserved, family, bytes[16];
    uint16_t port;
    size_t n;

    if (!cur_get_u8(val, &reserved) || !cur_get_u8(val, &family) ||
        !cur_get_be16(val, &port))
        return false;
    if (family == 1)
        n = 4;
    else if (family == 2)
        n = 16;
    else
        return false;
    if (cur_remaining(val) != n || !cur_get_bytes(val, bytes, n))
        return false;
    if (xor_key) {
        size_t i;

        port ^= (uint16_t)(STUN_MAGIC_COOKIE >> 16);
        for (i = 0; i < n; i++)
            bytes[i] ^= xor_key[i];
    }
    if (family == 1)
        ipaddr_set_v4(&out->addr, bytes);
    else
        ipaddr_set_v6(&out->addr, bytes);
    out->port = port;
    out->present = true;
    return true;
}

static bool stun_read_error(struct cursor *val, struct stun_message *m)
{
    uint16_t reserved;
    uint8_t cls, number;

    /* 21 reserved bits, a 3-bit class and an 8-bit number, then the
     * reason phrase. */
    if (!cur_get_be16(val, &reserved) || !cur_get_u8(val, &cls) ||
        !cur_get_u8(val, &number))
        return false;
    m->error_code = (uint16_t)((cls & 0x07) * 100 + number);
    m->has_error_code = true;
    stun_copy_text(val, m->error_reason);
    return true;
}

/* Decodes one attribute value; false when its length or contents are
 * impossible for its type. */
static bool stun_read_attr(uint16_t type, struct cursor *val,
                           const uint8_t *xor_key, struct stun_message *m,
                           bool *skipped)
{
    size_t len = cur_remaining(val);
    uint32_t hi, lo;

    *skipped = false;
    switch (type) {
    case STUN_ATTR_XOR_MAPPED_ADDRESS:
        return stun_read_address(val, xor_key, &m->xor_mapped);
    case STUN_ATTR_MAPPED_ADDRESS:
        return stun_read_address(val, NULL, &m->mapped);
    case STUN_ATTR_XOR_RELAYED_ADDRESS:
        return stun_read_address(val, xor_key, &m->xor_relayed);
    case STUN_ATTR_USERNAME:
        m->has_username = true;
        stun_copy_text(val, m->username);
        return true;
    case STUN_ATTR_SOFTWARE:
        m->has_software = true;
        stun_copy_text(val, m->software);
        return true;
    case STUN_ATTR_ERROR_CODE:
        return stun_read_error(val, m);
    case STUN_ATTR_MESSAGE_INTEGRITY:
        m->has_message_integrity = len == 20;   /* HMAC-SHA1 */
        return len == 20;
    case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
        /* Truncated HMAC-SHA256: 16 to 32 bytes, a multiple of 4. */
        m->has_message_integrity_sha256 = len >= 16 && len <= 32 &&
                                          len % 4 == 0;
        return m->has_message_integrity_sha256;
    case STUN_ATTR_PRIORITY:
        m->has_priority = len == 4 && cur_get_be32(val, &m->priority);
        return m->has_priority;
    case STUN_ATTR_USE_CANDIDATE:
        m->use_candidate = len == 0;
        return m->use_candidate;
    case STUN_ATTR_ICE_CONTROLLING:
    case STUN_ATTR_ICE_CONTROLLED:
        if (len != 8 || !cur_get_be32(val, &hi) || !cur_get_be32(val, &lo))
            return false;
        m->tie_breaker = (uint64_t)hi << 32 | lo;
        if (type == STUN_ATTR_ICE_CONTROLLING)
            m->ice_controlling = true;
        else
            m->ice_controlled = true;
        return true;
    default:
        *skipped = true;
        return true;
    }
}

/* Walks the attributes in attrs (the message body); msg is the whole
 * message from its first byte, for FINGERPRINT. */
static enum stun_status stun_walk_attrs(struct cursor *attrs,
                                        const struct cursor *msg,
                                        const uint8_t *xor_key,
                                        struct stun_message *m)
{
    bool after_integrity = false, after_fingerprint = false;

    while (cur_remaining(attrs) > 0) {
        struct cursor val;
        uint16_t type, len;
        size_t at = STUN_HEADER_LEN + attrs->off;
        size_t pad;
        bool skipped, ok;

        if (!cur_get_be16(attrs, &type) || !cur_get_be16(attrs, &len))
            return STUN_MALFORMED;
        pad = stun_pad(len);
        if (!cur_sub(attrs, len, &val) || !cur_skip(attrs, pad))
            return STUN_MALFORMED;
        m->attr_count++;

        /* RFC 8489 14.5, 14.6, 14.7: after MESSAGE-INTEGRITY only the
         * SHA256 variant and FINGERPRINT count; after FINGERPRINT,
         * nothing. */
        if (after_fingerprint ||
            (after_integrity && type != STUN_ATTR_FINGERPRINT &&
             type != STUN_ATTR_MESSAGE_INTEGRITY_SHA256)) {
            m->ignored_attrs++;
            continue;
        }

        if (type == STUN_ATTR_FINGERPRINT) {
            struct cursor head;

            after_fingerprint = true;
            if (len != 4 || !cur_get_be32(&val, &m->fingerprint)) {
                m->bad_attrs++;
                continue;
            }
            m->has_fingerprint = true;
            cur_init(&head, msg->base, at);
            m->fingerprint_ok = (stun_crc32(&head) ^ STUN_FINGERPRINT_XOR) ==
                                m->fingerprint;
            continue;
        }

        ok = stun_read_attr(type, &val, xor_key, m, &skipped);
        if (!ok)
            m->bad_attrs++;
        else if (skipped)
            m->skipped_attrs++;
        if (type == STUN_ATTR_MESSAGE_INTEGRITY ||
            type == STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
            after_integrity = true;
    }
    return STUN_OK;
}

/* The status of a message whose header was cut by the snaplen: the
 * datagram's length decides whether it could have been STUN at all. */
static enum stun_status stun_cut_header(size_t wirelen)
{
    return wirelen >= STUN_HEADER_LEN ? STUN_TRUNCATED : STUN_NOT_STUN;
}

enum stun_status stun_parse(const uint8_t *data, size_t caplen,
                            size_t wirelen, struct stun_message *m)
{
    struct cursor c, msg, attrs;
    uint8_t xor_key[16];
    uint8_t b0;

    memset(m, 0, sizeof(*m));
    if (wirelen < caplen)
        wirelen = caplen;
    cur_init(&c, data, caplen);
    msg = c;

    /* Each header field is checked as soon as it is there, so a cut
     * header is still ruled out when it cannot be STUN. */
    if (cur_peek_u8(&c, 0, &b0) && (b0 & 0xc0) != 0)
        return STUN_NOT_STUN;
    if (!cur_get_be16(&c, &m->type) || !cur_get_be16(&c, &m->length))
        return stun_cut_header(wirelen);
    /* Over UDP a datagram holds exactly one message whose length is a
     * multiple of 4 (RFC 8489 5, 6.2.1). */
    if (m->length % 4 != 0 ||
        (size_t)m->length + STUN_HEADER_LEN != wirelen)
        return STUN_NOT_STUN;
    if (!cur_get_be32(&c, &m->cookie))
        return stun_cut_header(wirelen);
    m->classic = m->cookie != STUN_MAGIC_COOKIE;
    if (m->classic && !stun_is_classic_type(m->type))
        return STUN_NOT_STUN;
    if (!cur_get_bytes(&c, m->txid, STUN_TXID_LEN))
        return stun_cut_header(wirelen);

    m->method = (uint16_t)((m->type & 0x000f) | ((m->type & 0x00e0) >> 1) |
                           ((m->type & 0x3e00) >> 2));
    m->cls = (enum stun_class)(((m->type & 0x0100) >> 7) |
                               ((m->type & 0x0010) >> 4));

    /* XOR key: the cookie then the transaction ID, as on the wire. */
    xor_key[0] = (uint8_t)(m->cookie >> 24);
    xor_key[1] = (uint8_t)(m->cookie >> 16);
    xor_key[2] = (uint8_t)(m->cookie >> 8);
    xor_key[3] = (uint8_t)m->cookie;
    memcpy(xor_key + 4, m->txid, STUN_TXID_LEN);

    if (cur_remaining(&c) < m->length) {
        /* Snaplen cut: walk what is there, whole attributes only. */
        size_t whole = 0;
        struct cursor probe = c;
        uint16_t type, len;
        enum stun_status st;

        while (cur_get_be16(&probe, &type) && cur_get_be16(&probe, &len) &&
               cur_skip(&probe, (size_t)len + stun_pad(len)))
            whole = probe.off - c.off;
        (void)cur_sub(&c, whole, &attrs);
        st = stun_walk_attrs(&attrs, &msg, xor_key, m);
        return st == STUN_OK ? STUN_TRUNCATED : st;
    }
    (void)cur_sub(&c, m->length, &attrs);
    return stun_walk_attrs(&attrs, &msg, xor_key, m);
}

const char *stun_status_name(enum stun_status st)
{
    switch (st) {
    case STUN_OK:
        return "ok";
    case STUN_NOT_STUN:
        return "not_stun";
    case STUN_TRUNCATED:
        return "truncated";
    case STUN_MALFORMED:
        return "malformed";
    }
    return "unknown";
}

const char *stun_class_name(enum stun_class cls)
{
    switch (cls) {
    case STUN_CLASS_REQUEST:
        return "request";
    case STUN_CLASS_INDICATION:
        return "indication";
    case STUN_CLASS_SUCCESS:
        return "success";
    case STUN_CLASS_ERROR:
        return "error";
    }
    return "unknown";
}

const char *stun_method_name(uint16_t method)
{
    switch (method) {
    case STUN_METHOD_BINDING:
        return "binding";
    case STUN_METHOD_SHARED_SECRET:
        return "shared_secret";
    case STUN_METHOD_ALLOCATE:
        return "allocate";
    case STUN_METHOD_REFRESH:
        return "refresh";
    case STUN_METHOD_SEND:
        return "send";
    case STUN_METHOD_DATA:
        return "data";
    case STUN_METHOD_CREATE_PERMISSION:
        return "create_permission";
    case STUN_METHOD_CHANNEL_BIND:
        return "channel_bind";
    }
    return NULL;
}

bool stun_is_binding(const struct stun_message *m)
{
    return m->method == STUN_METHOD_BINDING;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

struct stun_txn_entry {
    bool used;
    uint16_t method;
    uint8_t key[16];            /* cookie + transaction ID */
    int64_t first_us;
    int64_t last_us;
    uint32_t retransmissions;
    uint64_t user;
};

struct stun_txn_table {
    struct stun_txn_entry *entries;     /* nbuckets * STUN_TXN_WAYS */
    size_t nbuckets;                    /* a power of two */
    int64_t timeout_us;
    struct stun_txn_stats stats;
};

struct stun_txn_table *stun_txn_table_new(size_t capacity, int64_t timeout_us)
{
    struct stun_txn_table *t = NULL;
    size_t nbuckets = 1;

    if (capacity == 0)
        goto fail;
    while (nbuckets * STUN_TXN_WAYS < capacity) {
        if (nbuckets > SIZE_MAX / 2 / STUN_TXN_WAYS)
            goto fail;
        nbuckets *= 2;
    }
    t = calloc(1, sizeof(*t));
    if (!t)
        goto fail;
    t->entries = calloc(nbuckets * STUN_TXN_WAYS, sizeof(*t->entries));
    if (!t->entries)
        goto fail;
    t->nbuckets = nbuckets;
    t->timeout_us = timeout_us;
    return t;
fail:
    stun_txn_table_free(t);
    return NULL;
}

void stun_txn_table_free(struct stun_txn_table *t)
{
    if (!t)
        return;
    free(t->entries);
    free(t);
}

static void stun_txn_key(const struct stun_message *m, uint8_t key[16])
{
    key[0] = (uint8_t)(m->cookie >> 24);
    key[1] = (uint8_t)(m->cookie >> 16);
    key[2] = (uint8_t)(m->cookie >> 8);
    key[3] = (uint8_t)m->cookie;
    memcpy(key + 4, m->txid, STUN_TXID_LEN);
}

/* First entry of the bucket the key hashes to (FNV-1a over the 96 random
 * bits; the cookie is constant). */
static struct stun_txn_entry *stun_txn_bucket(const struct stun_txn_table *t,
                                              const uint8_t key[16])
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 4; i < 16; i++) {
        h ^= key[i];
        h *= 0x100000001b3u;
    }
    return &t->entries[(h & (t->nbuckets - 1)) * STUN_TXN_WAYS];
}

static struct stun_txn_entry *stun_txn_find(const struct stun_txn_table *t,
                                            const uint8_t key[16])
{
    struct stun_txn_entry *b = stun_txn_bucket(t, key);
    size_t i;

    for (i = 0; i < STUN_TXN_WAYS; i++)
        if (b[i].used && memcmp(b[i].key, key, 16) == 0)
            return &b[i];
    return NULL;
}

static bool stun_txn_is_expired(const struct stun_txn_table *t,
                                const struct stun_txn_entry *e, int64_t now)
{
    return now - e->last_us > t->timeout_us;
}

bool stun_txn_request(struct stun_txn_table *t, const struct stun_message *m,
                      int64_t ts_us, uint64_t user)
{
    uint8_t key[16];
    struct stun_txn_entry *b, *e, *slot = NULL;
    size_t i;

    stun_txn_key(m, key);
    e = stun_txn_find(t, key);
    if (e) {
        e->last_us = ts_us;
        e->retransmissions++;
        t->stats.retransmissions++;
        return true;
    }

    /* A free way, else an expired one, else the oldest. */
    b = stun_txn_bucket(t, key);
    for (i = 0; i < STUN_TXN_WAYS && !slot; i++)
        if (!b[i].used)
            slot = &b[i];
    for (i = 0; i < STUN_TXN_WAYS && !slot; i++)
        if (stun_txn_is_expired(t, &b[i], ts_us)) {
            slot = &b[i];
            t->stats.unanswered++;
        }
    if (!slot) {
        slot = &b[0];
        for (i = 1; i < STUN_TXN_WAYS; i++)
            if (b[i].last_us < slot->last_us)
                slot = &b[i];
        t->stats.evicted++;
    }

    slot->used = true;
    slot->method = m->method;
    memcpy(slot->key, key, sizeof(key));
    slot->first_us = ts_us;
    slot->last_us = ts_us;
    slot->retransmissions = 0;
    slot->user = user;
    t->stats.requests++;
    return false;
}

bool stun_txn_response(struct stun_txn_table *t, const struct stun_message *m,
                       int64_t ts_us, struct stun_txn_match *out)
{
    uint8_t key[16];
    struct stun_txn_entry *e;

    stun_txn_key(m, key);
    e = stun_txn_find(t, key);
    if (!e) {
        t->stats.orphan_responses++;
        return false;
    }
    out->method = e->method;
    out->retransmissions = e->retransmissions;
    out->rtt_us = ts_us - e->last_us;
    out->rtt_first_us = ts_us - e->first_us;
    out->user = e->user;
    e->used = false;
    t->stats.answered++;
    return true;
}

void stun_txn_expire(struct stun_txn_table *t, int64_t now_us)
{
    size_t i;

    for (i = 0; i < t->nbuckets * STUN_TXN_WAYS; i++) {
        struct stun_txn_entry *e = &t->entries[i];

        if (e->used && stun_txn_is_expired(t, e, now_us)) {
            e->used = false;
            t->stats.unanswered++;
        }
    }
}

void stun_txn_get_stats(const struct stun_txn_table *t,
                        struct stun_txn_stats *out)
{
    *out = t->stats;
}

/* ------------------------------------------------------------------ */
/* Keepalives                                                          */
/* ------------------------------------------------------------------ */

void stun_keepalive_init(struct stun_keepalive *ka)
{
    memset(ka, 0, sizeof(*ka));
}

enum stun_ka_kind stun_keepalive_classify(struct stun_keepalive *ka,
                                          unsigned dir,
                                          const struct stun_message *m,
                                          int64_t ts_us)
{
    enum stun_ka_kind kind = STUN_KA_NONE;
    int64_t gap = -1;

    dir &= 1u;
    if (!stun_is_binding(m))
        goto out;
    if (m->cls == STUN_CLASS_SUCCESS) {
        ka->answered = true;
        goto out;
    }
    if (m->cls == STUN_CLASS_ERROR)
        goto out;

    if (ka->_have_last[dir])
        gap = ts_us - ka->_last_us[dir];
    if (m->cls == STUN_CLASS_INDICATION)
        kind = STUN_KA_INDICATION;
    else if (!ka->answered || gap < STUN_CONSENT_MIN_US)
        kind = STUN_KA_CHECK;           /* includes the first request */
    else if (gap <= STUN_CONSENT_MAX_US)
        kind = STUN_KA_CONSENT;
    else
        kind = STUN_KA_REFRESH;

    if (kind != STUN_KA_CHECK && gap > ka->max_interval_us[dir])
        ka->max_interval_us[dir] = gap;
    ka->_have_last[dir] = true;
    ka->_last_us[dir] = ts_us;
out:
    ka->count[kind]++;
    return kind;
}

const char *stun_ka_kind_name(enum stun_ka_kind k)
{
    switch (k) {
    case STUN_KA_NONE:
        return "none";
    case STUN_KA_CHECK:
        return "check";
    case STUN_KA_INDICATION:
        return "indication";
    case STUN_KA_CONSENT:
        return "consent";
    case STUN_KA_REFRESH:
        return "refresh";
    case STUN_KA_KIND_COUNT:
        break;
    }
    return "unknown";
}
