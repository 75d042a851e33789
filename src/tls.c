/* TLS/DTLS handshake parsing: ClientHello, ServerHello, alerts, DTLS
 * recognition.  Specs: RFC 8446
 * 4.1.2-4.1.3, 4.2, 5.1, 6; RFC 5246 7.4.1; RFC 6066 3; RFC 7301;
 * RFC 8701; RFC 6347 4.1-4.2 and RFC 9147; RFC 7983. */
#include "config.h"

#include "tls.h"

#include <string.h>

#include "cursor.h"

/* A TLSPlaintext fragment is at most 2^14 bytes (RFC 8446 5.1); ciphertext
 * may add up to 256 (TLS 1.3) or 2048 (TLS 1.2) bytes of expansion. */
#define TLS_RECORD_MAX (16384 + 2048)
#define TLS_RECORD_HDR 5
#define DTLS_RECORD_HDR 13
#define TLS_HS_HDR 4
#define DTLS_HS_HDR 12

enum tls_hs_type {
    TLS_HS_CLIENT_HELLO = 1,
    TLS_HS_SERVER_HELLO = 2,
    TLS_HS_HELLO_VERIFY_REQUEST = 3,
};

/* SHA-256("HelloRetryRequest"): the ServerHello.random of a
 * HelloRetryRequest (RFC 8446 4.1.3). */
static const uint8_t tls_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

bool tls_is_grease(uint16_t v)
{
    /* 0x0a0a, 0x1a1a, ..., 0xfafa: both bytes equal, low nibble 0xa. */
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static bool tls_is_dtls_version(uint16_t v)
{
    return v == DTLS_VERSION_1_0 || v == DTLS_VERSION_1_2 ||
           v == DTLS_VERSION_1_3;
}

/* ------------------------------------------------------------------ */
/* Record layer (TLS over TCP) */

/* Reads a TLS record header, checking each byte as soon as it is there
 * so that a stream is refused on its first byte when it can be.  first:
 * the stream's first record, where a mismatch means "not TLS"; later
 * records of a handshake that has started are "malformed" instead. */
static enum tls_status tls_record_header(struct cursor *c, uint8_t want_type,
                                         bool first, uint16_t *version,
                                         uint16_t *length)
{
    enum tls_status bad = first ? TLS_NOT_TLS : TLS_MALFORMED;
    uint8_t b;

    if (!cur_peek_u8(c, 0, &b))
        return TLS_NEED_MORE;
    if (b != want_type)
        return bad;
    if (!cur_peek_u8(c, 1, &b))
        return TLS_NEED_MORE;
    if (b != 3)
        return bad;
    if (!cur_peek_u8(c, 2, &b))
        return TLS_NEED_MORE;
    if (b > 4)
        return bad;
    if (!cur_has(c, TLS_RECORD_HDR))
        return TLS_NEED_MORE;
    cur_skip(c, 1);
    cur_get_be16(c, version);
    cur_get_be16(c, length);
    if (*length == 0 || *length > TLS_RECORD_MAX)
        return bad;
    return TLS_OK;
}

/* Finds the first handshake message of a stream, of type hs_type, and
 * sets msg to its body.  Uses the first record in place when the message
 * fits in it; otherwise copies the fragments of consecutive handshake
 * records into scratch (TLS_HELLO_MAX bytes).  *consumed: bytes up to the
 * end of the last record used. */
static enum tls_status tls_gather(const uint8_t *data, size_t len,
                                  uint8_t hs_type, uint8_t *scratch,
                                  struct cursor *msg, size_t *consumed,
                                  uint16_t *record_version)
{
    struct cursor c, body;
    size_t have = 0, need = TLS_HS_HDR;
    bool first = true;

    cur_init(&c, data, len);
    for (;;) {
        uint16_t version, rlen;
        enum tls_status st;
        uint8_t t;

        st = tls_record_header(&c, TLS_CT_HANDSHAKE, first, &version, &rlen);
        if (st != TLS_OK)
            return st;
        if (first)
            *record_version = version;
        /* The handshake type is known before the record is whole. */
        if (have == 0 && cur_peek_u8(&c, 0, &t) && t != hs_type)
            return TLS_MALFORMED;
        if (!cur_sub(&c, rlen, &body))
            return TLS_NEED_MORE;
        if (first && rlen >= TLS_HS_HDR) {
            uint32_t mlen = 0;
            struct cursor in_place = body;

            if (cur_skip(&in_place, 1) && cur_get_be24(&in_place, &mlen) &&
                mlen <= cur_remaining(&in_place)) {
                cur_sub(&in_place, mlen, msg);
                *consumed = c.off;
                return TLS_OK;
            }
        }
        if (have + rlen > TLS_HELLO_MAX)
            return TLS_MALFORMED;
        memcpy(scratch + have, cur_ptr(&body), rlen);
        have += rlen;
        if (have >= TLS_HS_HDR) {
            need = TLS_HS_HDR + ((size_t)scratch[1] << 16 |
                                 (size_t)scratch[2] << 8 | scratch[3]);
            if (need > TLS_HELLO_MAX)
                return TLS_MALFORMED;
        }
        if (have >= need) {
            cur_init(msg, scratch + TLS_HS_HDR, need - TLS_HS_HDR);
            *consumed = c.off;
            return TLS_OK;
        }
        first = false;
    }
}

/* ------------------------------------------------------------------ */
/* Hello bodies */

/* Copies a name of n bytes, replacing anything not printable ASCII. */
static void tls_copy_printable(char *dst, size_t dstlen, const uint8_t *src,
                               size_t n)
{
    size_t i;

    if (n >= dstlen)
        n = dstlen - 1;
    for (i = 0; i < n; i++)
        dst[i] = (src[i] >= 0x21 && src[i] <= 0x7e) ? (char)src[i] : '?';
    dst[n] = '\0';
}

/* A hostname as RFC 6066 3 wants it: ASCII letters, digits, '-', '.',
 * and '_' (seen in practice), 1..255 bytes. */
static bool tls_hostname_ok(const uint8_t *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 255)
        return false;
    for (i = 0; i < n; i++) {
        uint8_t ch = s[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
              ch == '_'))
            return false;
    }
    return true;
}

/* server_name (RFC 6066 3): a list of (type, name); the first host_name
 * (type 0) is kept. */
static enum tls_status tls_ext_sni(struct cursor *c,
                                   struct tls_client_hello *out)
{
    struct cursor list, name;
    uint16_t llen, nlen;
    uint8_t type;

    if (!cur_get_be16(c, &llen) || !cur_sub(c, llen, &list) ||
        cur_remaining(c) != 0)
        return TLS_MALFORMED;
    while (cur_remaining(&list) > 0) {
        if (!cur_get_u8(&list, &type) || !cur_get_be16(&list, &nlen) ||
            !cur_sub(&list, nlen, &name))
            return TLS_MALFORMED;
        if (type != 0 || out->sni[0] || out->sni_invalid)
            continue;
        if (tls_hostname_ok(cur_ptr(&name), nlen)) {
            memcpy(out->sni, cur_ptr(&name), nlen);
            out->sni[nlen] = '\0';
        } else {
            out->sni_invalid = true;
        }
    }
    return TLS_OK;
}

/* ALPN (RFC 7301 3.1): a list of non-empty names. */
static enum tls_status tls_alpn_list(struct cursor *c, unsigned *count,
                                     char (*names)[TLS_ALPN_NAME_MAX],
                                     unsigned keep)
{
    struct cursor list, name;
    uint16_t llen;
    uint8_t nlen;

    if (!cur_get_be16(c, &llen) || !cur_sub(c, llen, &list) ||
        cur_remaining(c) != 0 || llen == 0)
        return TLS_MALFORMED;
    while (cur_remaining(&list) > 0) {
        if (!cur_get_u8(&list, &nlen) || nlen == 0 ||
            !cur_sub(&list, nlen, &name))
            return TLS_MALFORMED;
        if (*count < keep)
            tls_copy_printable(names[*count], TLS_ALPN_NAME_MAX,
                               cur_ptr(&name), nlen);
        (*count)++;
    }
    return TLS_OK;
}

/* Orders versions by age: TLS counts up, DTLS counts down (0xfeff is
 * DTLS 1.0, 0xfefc DTLS 1.3). */
static unsigned tls_version_rank(uint16_t v)
{
    return tls_is_dtls_version(v) ? 0x10000u - v : v;
}

static enum tls_status tls_ext_versions(struct cursor *c,
                                        struct tls_client_hello *out)
{
    struct cursor list;
    uint16_t v, best = 0;
    uint8_t llen;

    if (!cur_get_u8(c, &llen) || llen < 2 || llen % 2 ||
        !cur_sub(c, llen, &list) || cur_remaining(c) != 0)
        return TLS_MALFORMED;
    out->has_supported_versions = true;
    while (cur_get_be16(&list, &v)) {
        if (tls_is_grease(v))
            out->has_grease = true;
        else if (best == 0 || tls_version_rank(v) > tls_version_rank(best))
            best = v;
    }
    out->max_version = best ? best : out->legacy_version;
    return TLS_OK;
}

static enum tls_status tls_ext_key_share(struct cursor *c,
                                         struct tls_client_hello *out)
{
    struct cursor list;
    uint16_t llen, group, klen;

    if (!cur_get_be16(c, &llen) || !cur_sub(c, llen, &list) ||
        cur_remaining(c) != 0)
        return TLS_MALFORMED;
    while (cur_remaining(&list) > 0) {
        if (!cur_get_be16(&list, &group) || !cur_get_be16(&list, &klen) ||
            !cur_skip(&list, klen))
            return TLS_MALFORMED;
        if (tls_is_grease(group)) {
            out->has_grease = true;
            continue;
        }
        if (out->n_key_shares < TLS_KEY_SHARES_KEEP) {
            out->key_share_group[out->n_key_shares] = group;
            out->key_share_len[out->n_key_shares] = klen;
        }
        out->n_key_shares++;
    }
    return TLS_OK;
}

static enum tls_status tls_ext_groups(struct cursor *c,
                                      struct tls_client_hello *out)
{
    struct cursor list;
    uint16_t llen, g;

    if (!cur_get_be16(c, &llen) || llen % 2 || !cur_sub(c, llen, &list) ||
        cur_remaining(c) != 0)
        return TLS_MALFORMED;
    while (cur_get_be16(&list, &g))
        if (tls_is_grease(g))
            out->has_grease = true;
    return TLS_OK;
}

static enum tls_status tls_client_ext(uint16_t type, struct cursor *body,
                                      struct tls_client_hello *out)
{
    switch (type) {
    case TLS_EXT_SERVER_NAME:
        return tls_ext_sni(body, out);
    case TLS_EXT_ALPN:
        return tls_alpn_list(body, &out->n_alpn, out->alpn, TLS_ALPN_KEEP);
    case TLS_EXT_SUPPORTED_VERSIONS:
        return tls_ext_versions(body, out);
    case TLS_EXT_KEY_SHARE:
        return tls_ext_key_share(body, out);
    case TLS_EXT_SUPPORTED_GROUPS:
        return tls_ext_groups(body, out);
    case TLS_EXT_ECH:
        out->has_ech = true;
        return TLS_OK;
    default:
        return TLS_OK;      /* unknown extensions are skipped */
    }
}

/*   ClientHello (RFC 8446 4.1.2; DTLS adds the cookie, RFC 6347 4.2.1):
 *     legacy_version(2) random(32) session_id<0..32>
 *     [cookie<0..2^8-1>]  cipher_suites<2..2^16-2>
 *     compression_methods<1..2^8-1>  extensions<0..2^16-1> (optional) */
static enum tls_status tls_client_hello_body(struct cursor *c, bool dtls,
                                             struct tls_client_hello *out)
{
    struct cursor list, exts, body;
    uint16_t v, llen, type;
    uint8_t n;

    if (!cur_get_be16(c, &out->legacy_version) || !cur_skip(c, 32))
        return TLS_MALFORMED;
    if ((out->legacy_version >> 8) != (dtls ? 0xfe : 0x03))
        return TLS_MALFORMED;
    out->max_version = out->legacy_version;
    if (!cur_get_u8(c, &n) || n > 32 || !cur_skip(c, n))
        return TLS_MALFORMED;
    if (dtls && (!cur_get_u8(c, &n) || !cur_skip(c, n)))
        return TLS_MALFORMED;
    if (!cur_get_be16(c, &llen) || llen < 2 || llen % 2 ||
        !cur_sub(c, llen, &list))
        return TLS_MALFORMED;
    while (cur_get_be16(&list, &v)) {
        if (tls_is_grease(v))
            out->has_grease = true;
        else
            out->n_cipher_suites++;
    }
    if (!cur_get_u8(c, &n) || n < 1 || !cur_skip(c, n))
        return TLS_MALFORMED;
    if (cur_remaining(c) == 0)
        return TLS_OK;      /* no extensions: TLS 1.0 era */
    if (!cur_get_be16(c, &llen) || !cur_sub(c, llen, &exts) ||
        cur_remaining(c) != 0)
        return TLS_MALFORMED;
    while (cur_remaining(&exts) > 0) {
        enum tls_status st;

        if (!cur_get_be16(&exts, &type) || !cur_get_be16(&exts, &llen) ||
            !cur_sub(&exts, llen, &body))
            return TLS_MALFORMED;
        if (tls_is_grease(type)) {
            out->has_grease = true;
            continue;
        }
        out->n_extensions++;
        st = tls_client_ext(type, &body, out);
        if (st != TLS_OK)
            return st;
    }
    return TLS_OK;
}

/*   ServerHello (RFC 8446 4.1.3): legacy_version(2) random(32)
 *     legacy_session_id_echo<0..32> cipher_suite(2)
 *     legacy_compression_method(1) extensions<6..2^16-1> (optional) */
static enum tls_status tls_server_hello_body(struct cursor *c,
                                             struct tls_server_hello *out)
{
    struct cursor exts, body;
    uint8_t random[32], n;
    uint16_t llen, type;
    unsigned alpn_count = 0;

    if (!cur_get_be16(c, &out->legacy_version) ||
        !cur_get_bytes(c, random, sizeof(random)))
        return TLS_MALFORMED;
    out->version = out->legacy_version;
    out->hello_retry = memcmp(random, tls_hrr_random, sizeof(random)) == 0;
    if (!cur_get_u8(c, &n) || n > 32 || !cur_skip(c, n) ||
        !cur_get_be16(c, &out->cipher_suite) || !cur_get_u8(c, &n))
        return TLS_MALFORMED;
    if (cur_remaining(c) == 0)
        return TLS_OK;
    if (!cur_get_be16(c, &llen) || !cur_sub(c, llen, &exts) ||
        cur_remaining(c) != 0)
        return TLS_MALFORMED;
    while (cur_remaining(&exts) > 0) {
        if (!cur_get_be16(&exts, &type) || !cur_get_be16(&exts, &llen) ||
            !cur_sub(&exts, llen, &body))
            return TLS_MALFORMED;
        if (type == TLS_EXT_SUPPORTED_VERSIONS) {
            if (llen != 2)
                return TLS_MALFORMED;
            cur_get_be16(&body, &out->version);
        } else if (type == TLS_EXT_ALPN) {
            char names[1][TLS_ALPN_NAME_MAX];

            /* The server names exactly one protocol (RFC 7301 3.1). */
            if (tls_alpn_list(&body, &alpn_count, names, 1) != TLS_OK ||
                alpn_count != 1)
                return TLS_MALFORMED;
            memcpy(out->alpn, names[0], sizeof(out->alpn));
        }
    }
    return TLS_OK;
}

/* ------------------------------------------------------------------ */
/* TLS over TCP */

enum tls_status tls_parse_client_hello(const uint8_t *data, size_t len,
                                       struct tls_client_hello *out)
{
    uint8_t scratch[TLS_HELLO_MAX];
    struct cursor msg;
    enum tls_status st;

    memset(out, 0, sizeof(*out));
    st = tls_gather(data, len, TLS_HS_CLIENT_HELLO, scratch, &msg,
                    &out->length, &out->record_version);
    if (st != TLS_OK)
        return st;
    return tls_client_hello_body(&msg, false, out);
}

enum tls_status tls_parse_server_hello(const uint8_t *data, size_t len,
                                       struct tls_server_hello *out)
{
    uint8_t scratch[TLS_HELLO_MAX];
    struct cursor msg;
    enum tls_status st;
    uint16_t record_version;

    memset(out, 0, sizeof(*out));
    st = tls_gather(data, len, TLS_HS_SERVER_HELLO, scratch, &msg,
                    &out->length, &record_version);
    if (st != TLS_OK)
        return st;
    return tls_server_hello_body(&msg, out);
}

enum tls_status tls_parse_alert(const uint8_t *data, size_t len,
                                struct tls_alert *out)
{
    struct cursor c;
    uint16_t version, rlen;
    enum tls_status st;

    memset(out, 0, sizeof(*out));
    cur_init(&c, data, len);
    st = tls_record_header(&c, TLS_CT_ALERT, true, &version, &rlen);
    if (st != TLS_OK)
        return st;
    /* Longer: encrypted (after ChangeCipherSpec); nothing to read. */
    if (rlen != 2)
        return TLS_MALFORMED;
    if (!cur_get_u8(&c, &out->level) || !cur_get_u8(&c, &out->description))
        return TLS_NEED_MORE;
    return TLS_OK;
}

/* ------------------------------------------------------------------ */
/* DTLS */

bool tls_is_dtls_record(const uint8_t *data, size_t len)
{
    struct cursor c;
    uint16_t version, rlen;
    uint8_t type;

    cur_init(&c, data, len);
    if (!cur_get_u8(&c, &type) || !cur_get_be16(&c, &version) ||
        !cur_skip(&c, 8) || !cur_get_be16(&c, &rlen))
        return false;
    return type >= TLS_CT_CHANGE_CIPHER_SPEC && type <= 25 &&
           tls_is_dtls_version(version) && rlen <= cur_remaining(&c);
}

/*   DTLS record: type(1) version(2) epoch(2) sequence(6) length(2)
 *   DTLS handshake: type(1) length(3) message_seq(2)
 *                   fragment_offset(3) fragment_length(3) */
static enum tls_status dtls_handshake(const uint8_t *data, size_t len,
                                      uint16_t *version, uint8_t *hs_type,
                                      struct cursor *msg, size_t *consumed)
{
    struct cursor c, rec;
    uint16_t rlen, mseq;
    uint32_t mlen, foff, flen;
    uint8_t type;

    cur_init(&c, data, len);
    if (!cur_get_u8(&c, &type))
        return TLS_NEED_MORE;
    if (type != TLS_CT_HANDSHAKE)
        return TLS_NOT_TLS;
    if (!cur_get_be16(&c, version))
        return TLS_NEED_MORE;
    if (!tls_is_dtls_version(*version))
        return TLS_NOT_TLS;
    if (!cur_skip(&c, 8) || !cur_get_be16(&c, &rlen))
        return TLS_NEED_MORE;
    /* A datagram holds whole records (RFC 6347 4.1.1): a cut one is a
     * snaplen problem, reported as need-more. */
    if (!cur_sub(&c, rlen, &rec))
        return TLS_NEED_MORE;
    if (!cur_get_u8(&rec, hs_type) || !cur_get_be24(&rec, &mlen) ||
        !cur_get_be16(&rec, &mseq) || !cur_get_be24(&rec, &foff) ||
        !cur_get_be24(&rec, &flen))
        return TLS_MALFORMED;
    if (flen > cur_remaining(&rec) || foff + (uint64_t)flen > mlen)
        return TLS_MALFORMED;
    if (foff != 0 || flen != mlen)
        return TLS_NEED_MORE;   /* fragmented: DTLS, fields unavailable */
    cur_sub(&rec, flen, msg);
    *consumed = c.off;
    return TLS_OK;
}

enum tls_status tls_parse_dtls_client_hello(const uint8_t *data, size_t len,
                                            struct tls_client_hello *out)
{
    struct cursor msg;
    enum tls_status st;
    uint8_t hs_type = 0;

    memset(out, 0, sizeof(*out));
    out->is_dtls = true;
    st = dtls_handshake(data, len, &out->record_version, &hs_type, &msg,
                        &out->length);
    if (st == TLS_OK && hs_type != TLS_HS_CLIENT_HELLO)
        st = TLS_NOT_TLS;
    if (st != TLS_OK)
        return st;
    return tls_client_hello_body(&msg, true, out);
}

enum tls_status tls_parse_dtls_server_hello(const uint8_t *data, size_t len,
                                            struct tls_server_hello *out)
{
    struct cursor msg;
    enum tls_status st;
    uint16_t record_version;
    uint8_t hs_type = 0, n;

    memset(out, 0, sizeof(*out));
    out->is_dtls = true;
    st = dtls_handshake(data, len, &record_version, &hs_type, &msg,
                        &out->length);
    if (st != TLS_OK)
        return st;
    if (hs_type == TLS_HS_HELLO_VERIFY_REQUEST) {
        /* server_version(2) cookie<0..2^8-1> (RFC 6347 4.2.1): the
         * DTLS 1.0/1.2 counterpart of a HelloRetryRequest. */
        if (!cur_get_be16(&msg, &out->legacy_version) ||
            !cur_get_u8(&msg, &n) || !cur_skip(&msg, n))
            return TLS_MALFORMED;
        out->version = out->legacy_version;
        out->hello_retry = true;
        return TLS_OK;
    }
    if (hs_type != TLS_HS_SERVER_HELLO)
        return TLS_NOT_TLS;
    st = tls_server_hello_body(&msg, out);
    out->is_dtls = true;
    return st;
}

/* ------------------------------------------------------------------ */
/* Names */

const char *tls_version_name(uint16_t v)
{
    switch (v) {
    case TLS_VERSION_SSL3:
        return "SSL 3.0";
    case TLS_VERSION_1_0:
        return "TLS 1.0";
    case TLS_VERSION_1_1:
        return "TLS 1.1";
    case TLS_VERSION_1_2:
        return "TLS 1.2";
    case TLS_VERSION_1_3:
        return "TLS 1.3";
    case DTLS_VERSION_1_0:
        return "DTLS 1.0";
    case DTLS_VERSION_1_2:
        return "DTLS 1.2";
    case DTLS_VERSION_1_3:
        return "DTLS 1.3";
    default:
        return "unknown";
    }
}

/* RFC 8446 6 and the TLS Alerts registry. */
static const struct {
    uint8_t code;
    const char *name;
} tls_alerts[] = {
    {0, "close_notify"}, {10, "unexpected_message"},
    {20, "bad_record_mac"}, {21, "decryption_failed"},
    {22, "record_overflow"}, {30, "decompression_failure"},
    {40, "handshake_failure"}, {41, "no_certificate"},
    {42, "bad_certificate"}, {43, "unsupported_certificate"},
    {44, "certificate_revoked"}, {45, "certificate_expired"},
    {46, "certificate_unknown"}, {47, "illegal_parameter"},
    {48, "unknown_ca"}, {49, "access_denied"}, {50, "decode_error"},
    {51, "decrypt_error"}, {60, "export_restriction"},
    {70, "protocol_version"}, {71, "insufficient_security"},
    {80, "internal_error"}, {86, "inappropriate_fallback"},
    {90, "user_canceled"}, {100, "no_renegotiation"},
    {109, "missing_extension"}, {110, "unsupported_extension"},
    {111, "certificate_unobtainable"}, {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {114, "bad_certificate_hash_value"}, {115, "unknown_psk_identity"},
    {116, "certificate_required"}, {120, "no_application_protocol"},
    {121, "ech_required"},
};

const char *tls_alert_name(uint8_t description)
{
    size_t i;

    for (i = 0; i < sizeof(tls_alerts) / sizeof(tls_alerts[0]); i++)
        if (tls_alerts[i].code == description)
            return tls_alerts[i].name;
    return "unknown";
}
