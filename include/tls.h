/* TLS and DTLS handshake recognition for classification: the ClientHello
 * (SNI, ALPN, versions), the ServerHello (the version the server chose),
 * alerts, a handshake-completion heuristic, and reassembly of the client's
 * first flight across TCP segments.
 *
 * Specs: RFC 8446 (TLS 1.3) sections 4.1.2, 4.1.3, 4.2, 5.1, 6; RFC 5246
 * (TLS 1.2) 7.4.1; RFC 6066 section 3 (server_name); RFC 7301 (ALPN);
 * RFC 8701 (GREASE); RFC 6347 section 4 and RFC 9147 (DTLS);
 * draft-ietf-tls-esni (encrypted_client_hello, 0xfe0d).
 *
 * Parsers read through cursor.h, never past len, never allocate except
 * where stated, and never log: bad data is a status. */
#ifndef RINGSCOPE_TLS_H
#define RINGSCOPE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for a hostname of 255 bytes and its terminator. */
#define TLS_SNI_MAX 256
/* ALPN names kept (the first ones offered) and their length; longer names
 * are cut (RFC 7301 allows 255 bytes, real ones are short: "h2",
 * "http/1.1", "webrtc", "stun.turn"). */
#define TLS_ALPN_KEEP 4
#define TLS_ALPN_NAME_MAX 32
/* Key-share groups kept from a ClientHello. */
#define TLS_KEY_SHARES_KEEP 4
/* The biggest ClientHello handshake message handled, and the reassembly
 * cap: 16 KiB is the largest TLS record (RFC 8446 5.1) and several times
 * a post-quantum hello (X25519MLKEM768 alone is a 1216-byte key share). */
#define TLS_HELLO_MAX 16384
#define TLS_REASM_CAP 16384

/* Versions on the wire. */
#define TLS_VERSION_SSL3 0x0300
#define TLS_VERSION_1_0 0x0301
#define TLS_VERSION_1_1 0x0302
#define TLS_VERSION_1_2 0x0303
#define TLS_VERSION_1_3 0x0304
#define DTLS_VERSION_1_0 0xfeff
#define DTLS_VERSION_1_2 0xfefd
#define DTLS_VERSION_1_3 0xfefc

/* Record content types (RFC 8446 5.1). */
enum tls_content_type {
    TLS_CT_CHANGE_CIPHER_SPEC = 20,
    TLS_CT_ALERT = 21,
    TLS_CT_HANDSHAKE = 22,
    TLS_CT_APPLICATION_DATA = 23,
};

/* Extension types this module looks at. */
enum tls_ext_type {
    TLS_EXT_SERVER_NAME = 0,
    TLS_EXT_SUPPORTED_GROUPS = 10,
    TLS_EXT_ALPN = 16,
    TLS_EXT_SUPPORTED_VERSIONS = 43,
    TLS_EXT_KEY_SHARE = 51,
    TLS_EXT_ECH = 0xfe0d,
};

enum tls_status {
    TLS_OK,             /* parsed */
    TLS_NEED_MORE,      /* a valid start: more bytes are needed */
    TLS_NOT_TLS,        /* the first bytes cannot be this TLS message */
    TLS_MALFORMED,      /* TLS framing, but inconsistent inside */
    TLS_GAVE_UP,        /* reassembly only: over the cap, too many holes,
                         * or out of memory */
};

struct tls_client_hello {
    bool is_dtls;
    uint16_t record_version;        /* of the first record */
    uint16_t legacy_version;        /* ClientHello.legacy_version */
    /* Highest non-GREASE entry of supported_versions, or legacy_version
     * when the extension is absent: TLS 1.3 shows only here. */
    uint16_t max_version;
    bool has_supported_versions;
    char sni[TLS_SNI_MAX];          /* first host_name; "" when none */
    bool sni_invalid;               /* a name was there but not a hostname */
    unsigned n_alpn;                /* protocols offered, all of them */
    char alpn[TLS_ALPN_KEEP][TLS_ALPN_NAME_MAX];    /* the first ones */
    unsigned n_key_shares;          /* non-GREASE entries, all of them */
    uint16_t key_share_group[TLS_KEY_SHARES_KEEP];
    uint16_t key_share_len[TLS_KEY_SHARES_KEEP];
    unsigned n_cipher_suites;       /* non-GREASE */
    unsigned n_extensions;          /* non-GREASE */
    bool has_grease;                /* any RFC 8701 value anywhere */
    /* encrypted_client_hello present: the real SNI is encrypted and sni
     * holds the outer, public name. */
    bool has_ech;
    size_t length;                  /* bytes of the records holding it */
};

struct tls_server_hello {
    bool is_dtls;
    uint16_t legacy_version;
    /* supported_versions' selected_version, or legacy_version. */
    uint16_t version;
    uint16_t cipher_suite;
    bool hello_retry;               /* a HelloRetryRequest (RFC 8446 4.1.3) */
    char alpn[TLS_ALPN_NAME_MAX];   /* the protocol chosen; "" if none */
    size_t length;
};

struct tls_alert {
    uint8_t level;                  /* 1 warning, 2 fatal */
    uint8_t description;            /* RFC 8446 6 */
};

/* True for the RFC 8701 GREASE values 0x0a0a, 0x1a1a, ... 0xfafa. */
bool tls_is_grease(uint16_t v);

/* Parses a ClientHello from the start of a client's TCP byte stream; the
 * handshake message may span several records.  TLS_NEED_MORE when data is
 * a prefix of one (a caller with the whole flight gives up instead). */
enum tls_status tls_parse_client_hello(const uint8_t *data, size_t len,
                                       struct tls_client_hello *out);

/* Parses a ServerHello (or HelloRetryRequest) from the start of a server's
 * stream.  TLS_NOT_TLS also when the server answered with an alert:
 * tls_parse_alert() tells. */
enum tls_status tls_parse_server_hello(const uint8_t *data, size_t len,
                                       struct tls_server_hello *out);

/* The first record, when it is a plaintext alert (2-byte body). */
enum tls_status tls_parse_alert(const uint8_t *data, size_t len,
                                struct tls_alert *out);

/* DTLS over UDP: one datagram; the hello must start its first record and
 * be whole in one fragment (a fragmented hello is TLS_NEED_MORE: the
 * datagram is DTLS, but the fields are not available). */
enum tls_status tls_parse_dtls_client_hello(const uint8_t *data, size_t len,
                                            struct tls_client_hello *out);
enum tls_status tls_parse_dtls_server_hello(const uint8_t *data, size_t len,
                                            struct tls_server_hello *out);

/* True when a UDP payload starts with a DTLS record header (content type
 * 20..25, a DTLS version, a length that fits): RFC 7983 demultiplexing
 * plus the header check, for telling DTLS from RTP and STUN. */
bool tls_is_dtls_record(const uint8_t *data, size_t len);

/* "TLS 1.2", "DTLS 1.2", "SSL 3.0", or "unknown". */
const char *tls_version_name(uint16_t v);
/* "handshake_failure", ..., or "unknown". */
const char *tls_alert_name(uint8_t description);

/* ------------------------------------------------------------------ */
/* Reassembly of the client's first flight */

/* Collects a client's first bytes in sequence order until the ClientHello
 * parses.  Segments may come out of order, repeat or overlap (the first
 * copy of a byte wins); at most TLS_REASM_HOLES gaps are tracked.  The
 * buffer grows on demand up to TLS_REASM_CAP with malloc, and failure is
 * TLS_GAVE_UP, never fatal.  A status other than TLS_NEED_MORE is final:
 * later calls return it again and ignore their data. */
#define TLS_REASM_HOLES 8

struct tls_reasm {
    uint32_t base_seq;              /* sequence number of byte 0 */
    bool started;
    enum tls_status status;
    uint8_t *buf;
    size_t cap;                     /* bytes allocated */
    size_t n_spans;
    struct {
        size_t start, end;          /* filled byte ranges, sorted, apart */
    } spans[TLS_REASM_HOLES + 1];
};

/* Sets up an empty reassembly.  When the SYN was seen, pass its ISN + 1 as
 * the first data byte through tls_reasm_start(); otherwise the first
 * segment added defines byte 0. */
void tls_reasm_init(struct tls_reasm *r);
void tls_reasm_start(struct tls_reasm *r, uint32_t first_seq);

/* Adds one segment's payload.  Returns TLS_OK with *out filled when the
 * hello is complete, TLS_NEED_MORE, TLS_NOT_TLS, TLS_MALFORMED or
 * TLS_GAVE_UP.  out may be NULL. */
enum tls_status tls_reasm_add(struct tls_reasm *r, uint32_t seq,
                              const uint8_t *data, size_t len,
                              struct tls_client_hello *out);

/* Frees the buffer; the struct can be initialised again.  Accepts NULL. */
void tls_reasm_release(struct tls_reasm *r);

/* ------------------------------------------------------------------ */
/* Following records both ways */

/* Walks record headers in each direction to tell whether the handshake
 * completed and to catch plaintext alerts.  Feed each direction's payload
 * in sequence order; after a gap call tls_track_gap() and that direction
 * stops being walked.  Fixed size, no allocation. */
struct tls_track_dir {
    uint8_t hdr[5];                 /* a record header split over segments */
    uint8_t hdr_have;
    uint8_t type;                   /* of the record being skipped */
    uint32_t remaining;             /* its body bytes still to come */
    uint32_t body_len;
    uint8_t alert[2];
    uint8_t alert_have;
    bool lost;                      /* gap or garbage: no longer walked */
    bool ccs;                       /* ChangeCipherSpec sent */
    bool hs_after_ccs;              /* an (encrypted) handshake record
                                     * after it: TLS <= 1.2 Finished */
    bool appdata;                   /* an application_data record */
    bool appdata_big;               /* one longer than TLS_TRACK_ALERT_MAX */
    uint32_t records;
};

/* A TLS 1.3 encrypted alert is 2 bytes + content type + 16-byte AEAD tag
 * = 19, a little more with padding; a Finished is at least 32 + 17.  So
 * application_data records up to this size may be alerts in disguise. */
#define TLS_TRACK_ALERT_MAX 24

struct tls_track {
    struct tls_track_dir dir[2];    /* [0] client to server, [1] back */
    bool alert_seen;
    unsigned alert_dir;
    struct tls_alert alert;         /* the first plaintext alert */
};

void tls_track_init(struct tls_track *t);
void tls_track_feed(struct tls_track *t, unsigned dir, const uint8_t *data,
                    size_t len);
void tls_track_gap(struct tls_track *t, unsigned dir);

/* Heuristic: TLS <= 1.2 completed when both sides sent ChangeCipherSpec
 * followed by a handshake record (the encrypted Finished); any version
 * when the server sent application_data and the client sent one longer
 * than TLS_TRACK_ALERT_MAX (TLS 1.3 hides its Finished in one). */
bool tls_track_established(const struct tls_track *t);

#endif
