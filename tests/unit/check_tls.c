/* Unit tests for TLS/DTLS handshake recognition (tls.h). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"

/* ------------------------------------------------------------------ */
/* ClientHellos */

/* A real TLS 1.3 ClientHello: what "openssl s_client -connect HOST:PORT
 * -servername voice-js.roaming.twilio.com -alpn h2,http/1.1" (OpenSSL
 * 3.0) sent to a listener that recorded the bytes.  One record (version
 * 0x0301, 346 bytes); 31 cipher suites; extensions server_name,
 * ec_point_formats, supported_groups, session_ticket, ALPN,
 * encrypt_then_mac, extended_master_secret, signature_algorithms,
 * supported_versions (1.3 1.2 1.1 1.0), psk_key_exchange_modes and
 * key_share (x25519). */
static const uint8_t openssl_tls13_hello[] = {
    0x16, 0x03, 0x01, 0x01, 0x5a, 0x01, 0x00, 0x01, 0x56, 0x03, 0x03, 0xbb,
    0x7d, 0xf7, 0x51, 0x9a, 0x58, 0xbd, 0x56, 0x96, 0x7b, 0xbf, 0x84, 0x95,
    0x11, 0x58, 0x92, 0x2d, 0x3c, 0x3c, 0xce, 0x1b, 0xf1, 0xff, 0xa6, 0x8f,
    0xfb, 0x2c, 0x14, 0x4b, 0x26, 0x09, 0x3f, 0x20, 0x00, 0xa4, 0x8f, 0xff,
    0xc4, 0x76, 0x92, 0x0c, 0x04, 0x87, 0xc5, 0x0c, 0xde, 0x28, 0xdd, 0xd2,
    0x89, 0xe9, 0xd5, 0xe3, 0x1e, 0xb1, 0xb9, 0xf4, 0x44, 0x2e, 0x31, 0x01,
    0xec, 0x18, 0x5b, 0x87, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
    0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa,
    0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b,
    0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39,
    0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d,
    0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0xcf,
    0x00, 0x00, 0x00, 0x20, 0x00, 0x1e, 0x00, 0x00, 0x1b, 0x76, 0x6f, 0x69,
    0x63, 0x65, 0x2d, 0x6a, 0x73, 0x2e, 0x72, 0x6f, 0x61, 0x6d, 0x69, 0x6e,
    0x67, 0x2e, 0x74, 0x77, 0x69, 0x6c, 0x69, 0x6f, 0x2e, 0x63, 0x6f, 0x6d,
    0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16,
    0x00, 0x14, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18,
    0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x23,
    0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08,
    0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00,
    0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03,
    0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a,
    0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
    0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02,
    0x06, 0x02, 0x00, 0x2b, 0x00, 0x09, 0x08, 0x03, 0x04, 0x03, 0x03, 0x03,
    0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00,
    0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0xa2, 0x81, 0xf3, 0xe0, 0x64,
    0xee, 0x6c, 0xad, 0x4a, 0x6c, 0x16, 0xb5, 0x74, 0x77, 0xee, 0x6c, 0xd0,
    0xaa, 0x4a, 0xb2, 0x4a, 0x5a, 0xe2, 0x03, 0x42, 0xe2, 0x1c, 0xe3, 0x00,
    0x4f, 0xdc, 0x5e,
};

/* A real TLS 1.2-only ClientHello: "openssl s_client -tls1_2 -no_ticket
 * -servername eventgw.twilio.com -cipher ECDHE-RSA-AES128-GCM-SHA256"
 * (OpenSSL 3.0), recorded the same way.  No supported_versions: the
 * version is the legacy one. */
static const uint8_t openssl_tls12_hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x9a, 0x01, 0x00, 0x00, 0x96, 0x03, 0x03, 0x05,
    0x28, 0x55, 0xda, 0xb2, 0xe6, 0x0f, 0x60, 0x5e, 0x57, 0xb5, 0x59, 0xd3,
    0x17, 0x08, 0x1f, 0x76, 0xb6, 0x68, 0xb2, 0xff, 0x4b, 0x30, 0x66, 0x77,
    0x27, 0x0d, 0xcf, 0xca, 0xab, 0xf3, 0xc3, 0x00, 0x00, 0x04, 0xc0, 0x2f,
    0x00, 0xff, 0x01, 0x00, 0x00, 0x69, 0x00, 0x00, 0x00, 0x17, 0x00, 0x15,
    0x00, 0x00, 0x12, 0x65, 0x76, 0x65, 0x6e, 0x74, 0x67, 0x77, 0x2e, 0x74,
    0x77, 0x69, 0x6c, 0x69, 0x6f, 0x2e, 0x63, 0x6f, 0x6d, 0x00, 0x0b, 0x00,
    0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x0c, 0x00, 0x0a, 0x00,
    0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x00, 0x16, 0x00,
    0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04,
    0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08,
    0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05,
    0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05,
    0x02, 0x06, 0x02,
};

/* A browser-shaped hello built by hand: GREASE values (RFC 8701) in the
 * cipher suites, extensions, supported_groups, supported_versions and
 * key_share, and an encrypted_client_hello (0xfe0d) extension whose
 * outer SNI is the ECH public name. */
static const uint8_t grease_ech_hello[] = {
    /* TLS record: handshake, version 0x0301, length 271 */
    0x16, 0x03, 0x01, 0x01, 0x0f,
    /* Handshake: client_hello, length 267 */
    0x01, 0x00, 0x01, 0x0b,
    /* legacy_version TLS 1.2 */
    0x03, 0x03,
    /* random: 0x00..0x1f */
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
    0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    /* session_id: 32 bytes 0xe0..0xff */
    0x20, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
    0xeb, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6,
    0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
    /* cipher_suites: 8 bytes: GREASE 0x5a5a, 0x1301, 0x1302, 0xc02b */
    0x00, 0x08, 0x5a, 0x5a, 0x13, 0x01, 0x13, 0x02, 0xc0, 0x2b,
    /* compression_methods: null */
    0x01, 0x00,
    /* extensions: 186 bytes */
    0x00, 0xba,
    /* GREASE extension 0x2a2a, empty */
    0x2a, 0x2a, 0x00, 0x00,
    /* server_name: list 21, host_name "cloudflare-ech.com" (ECH public name) */
    0x00, 0x00, 0x00, 0x17, 0x00, 0x15, 0x00, 0x00, 0x12, 0x63, 0x6c, 0x6f,
    0x75, 0x64, 0x66, 0x6c, 0x61, 0x72, 0x65, 0x2d, 0x65, 0x63, 0x68, 0x2e,
    0x63, 0x6f, 0x6d,
    /* supported_groups: GREASE 0xdada, x25519, secp256r1 */
    0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0xda, 0xda, 0x00, 0x1d, 0x00, 0x17,
    /* ALPN: "h2", "http/1.1" */
    0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74,
    0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31,
    /* supported_versions: GREASE 0xeaea, TLS 1.3, TLS 1.2 */
    0x00, 0x2b, 0x00, 0x07, 0x06, 0xea, 0xea, 0x03, 0x04, 0x03, 0x03,
    /* key_share: GREASE 0xcaca (1 byte), x25519 (32 bytes 0x40..0x5f) */
    0x00, 0x33, 0x00, 0x2b, 0x00, 0x29, 0xca, 0xca, 0x00, 0x01, 0x00, 0x00,
    0x1d, 0x00, 0x20, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54,
    0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    /* encrypted_client_hello 0xfe0d: outer, HKDF-SHA256, AES-128-GCM, config 7, enc 32 bytes, payload 16 bytes */
    0xfe, 0x0d, 0x00, 0x3a, 0x00, 0x00, 0x01, 0x00, 0x01, 0x07, 0x00, 0x20,
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x00, 0x10, 0x22, 0x22,
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
    0x22, 0x22,
    /* GREASE extension 0x1a1a, one byte */
    0x1a, 0x1a, 0x00, 0x01, 0x00,
};

/* ------------------------------------------------------------------ */
/* ServerHellos and DTLS, built by hand */

static const uint8_t tls13_server_hello[] = {
    /* TLS record: handshake, version 0x0303, length 122 */
    0x16, 0x03, 0x03, 0x00, 0x7a,
    /* Handshake: server_hello, length 118 */
    0x02, 0x00, 0x00, 0x76,
    /* legacy_version TLS 1.2 */
    0x03, 0x03,
    /* random: 0x70..0x8f */
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b,
    0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
    /* legacy_session_id_echo: 32 bytes 0xe0..0xff */
    0x20, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
    0xeb, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6,
    0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
    /* cipher_suite TLS_AES_128_GCM_SHA256 */
    0x13, 0x01,
    /* legacy_compression_method null */
    0x00,
    /* extensions: 46 bytes */
    0x00, 0x2e,
    /* supported_versions: selected TLS 1.3 */
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
    /* key_share: x25519, 32 bytes 0x90..0xaf */
    0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x90, 0x91, 0x92, 0x93,
    0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
    0xac, 0xad, 0xae, 0xaf,
};

static const uint8_t tls13_hello_retry[] = {
    /* TLS record: handshake, version 0x0303, length 56 */
    0x16, 0x03, 0x03, 0x00, 0x38,
    /* Handshake: server_hello (HelloRetryRequest), length 52 */
    0x02, 0x00, 0x00, 0x34,
    /* legacy_version TLS 1.2 */
    0x03, 0x03,
    /* random: SHA-256("HelloRetryRequest") */
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02,
    0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
    0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    /* legacy_session_id_echo: empty */
    0x00,
    /* cipher_suite TLS_AES_256_GCM_SHA384 */
    0x13, 0x02,
    /* compression null */
    0x00,
    /* extensions: 12 bytes */
    0x00, 0x0c,
    /* supported_versions: TLS 1.3 */
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
    /* key_share: selected group secp256r1 */
    0x00, 0x33, 0x00, 0x02, 0x00, 0x17,
};

static const uint8_t tls12_server_hello[] = {
    /* TLS record: handshake, version 0x0303, length 58 */
    0x16, 0x03, 0x03, 0x00, 0x3a,
    /* Handshake: server_hello, length 54 */
    0x02, 0x00, 0x00, 0x36,
    /* server_version TLS 1.2 */
    0x03, 0x03,
    /* random: 0x30..0x4f */
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b,
    0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
    0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
    /* session_id: empty */
    0x00,
    /* cipher_suite ECDHE-RSA-AES128-GCM-SHA256 */
    0xc0, 0x2f,
    /* compression null */
    0x00,
    /* extensions: 14 bytes */
    0x00, 0x0e,
    /* renegotiation_info: empty */
    0xff, 0x01, 0x00, 0x01, 0x00,
    /* ALPN: selected "h2" */
    0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 0x68, 0x32,
};

static const uint8_t dtls12_client_hello[] = {
    /* DTLS record: handshake, version 0xfeff, epoch 0, sequence 0, length 96 */
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x60,
    /* Handshake: client_hello, length 84, message_seq 0, fragment 0+84 */
    0x01, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54,
    /* client_version DTLS 1.2 */
    0xfe, 0xfd,
    /* random: 0x00..0x1f */
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
    0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    /* session_id: empty */
    0x00,
    /* cookie: empty */
    0x00,
    /* cipher_suites: 0xc02b, 0xc02f, 0x00ff */
    0x00, 0x06, 0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0xff,
    /* compression_methods: null */
    0x01, 0x00,
    /* extensions: 36 bytes */
    0x00, 0x24,
    /* extended_master_secret */
    0x00, 0x17, 0x00, 0x00,
    /* renegotiation_info: empty */
    0xff, 0x01, 0x00, 0x01, 0x00,
    /* supported_groups: x25519, secp256r1 */
    0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17,
    /* ec_point_formats: uncompressed */
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
    /* use_srtp: AEAD_AES_128_GCM, AES128_CM_SHA1_80, no MKI */
    0x00, 0x0e, 0x00, 0x07, 0x00, 0x04, 0x00, 0x07, 0x00, 0x01, 0x00,
};

static const uint8_t dtls13_client_hello[] = {
    /* DTLS record: handshake, version 0xfefd, epoch 0, sequence 0, length 144 */
    0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x90,
    /* Handshake: client_hello, length 132, message_seq 0, fragment 0+132 */
    0x01, 0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x84,
    /* client_version DTLS 1.2 (legacy) */
    0xfe, 0xfd,
    /* random: 0x20..0x3f */
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
    0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    /* session_id: empty */
    0x00,
    /* cookie: 4 bytes */
    0x04, 0xde, 0xad, 0xbe, 0xef,
    /* cipher_suites: GREASE 0x3a3a, TLS_AES_128_GCM_SHA256 */
    0x00, 0x04, 0x3a, 0x3a, 0x13, 0x01,
    /* compression_methods: null */
    0x01, 0x00,
    /* extensions: 82 bytes */
    0x00, 0x52,
    /* server_name: "global.turn.twilio.com" */
    0x00, 0x00, 0x00, 0x1b, 0x00, 0x19, 0x00, 0x00, 0x16, 0x67, 0x6c, 0x6f,
    0x62, 0x61, 0x6c, 0x2e, 0x74, 0x75, 0x72, 0x6e, 0x2e, 0x74, 0x77, 0x69,
    0x6c, 0x69, 0x6f, 0x2e, 0x63, 0x6f, 0x6d,
    /* supported_versions: DTLS 1.3, DTLS 1.2 */
    0x00, 0x2b, 0x00, 0x05, 0x04, 0xfe, 0xfc, 0xfe, 0xfd,
    /* key_share: x25519, 32 bytes 0x50..0x6f */
    0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x50, 0x51,
    0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d,
    0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
};

static const uint8_t dtls12_server_hello[] = {
    /* DTLS record: handshake, version 0xfefd, epoch 0, sequence 1, length 65 */
    0x16, 0xfe, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x41,
    /* Handshake: server_hello, length 53, message_seq 1, fragment 0+53 */
    0x02, 0x00, 0x00, 0x35, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x35,
    /* server_version DTLS 1.2 */
    0xfe, 0xfd,
    /* random: 0x80..0x9f */
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
    0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
    /* session_id: empty */
    0x00,
    /* cipher_suite ECDHE-ECDSA-AES128-GCM-SHA256 */
    0xc0, 0x2b,
    /* compression null */
    0x00,
    /* extensions: 13 bytes */
    0x00, 0x0d,
    /* extended_master_secret */
    0x00, 0x17, 0x00, 0x00,
    /* use_srtp: AEAD_AES_128_GCM, no MKI */
    0x00, 0x0e, 0x00, 0x05, 0x00, 0x02, 0x00, 0x07, 0x00,
};

static const uint8_t dtls_hello_verify[] = {
    /* DTLS record: handshake, version 0xfeff, epoch 0, sequence 0, length 23 */
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x17,
    /* Handshake: hello_verify_request, length 11, message_seq 0, fragment 0+11 */
    0x03, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
    /* server_version DTLS 1.0 */
    0xfe, 0xff,
    /* cookie: 8 bytes */
    0x08, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
};

/* ------------------------------------------------------------------ */
/* A byte builder for the large post-quantum hello */

struct hb {
    uint8_t b[4096];
    size_t n;
};

static void hb_put(struct hb *h, const void *p, size_t n)
{
    ck_assert_uint_le(h->n + n, sizeof(h->b));
    memcpy(h->b + h->n, p, n);
    h->n += n;
}

static void hb_u8(struct hb *h, unsigned v)
{
    uint8_t b = (uint8_t)v;

    hb_put(h, &b, 1);
}

static void hb_u16(struct hb *h, unsigned v)
{
    hb_u8(h, v >> 8);
    hb_u8(h, v);
}

static void hb_fill(struct hb *h, unsigned v, size_t n)
{
    ck_assert_uint_le(h->n + n, sizeof(h->b));
    memset(h->b + h->n, (int)v, n);
    h->n += n;
}

/* Reserves a length field of width bytes; hb_close() fills it in with the
 * number of bytes written after it. */
static size_t hb_open(struct hb *h, size_t width)
{
    size_t at = h->n;

    hb_fill(h, 0, width);
    return at;
}

static void hb_close(struct hb *h, size_t at, size_t width)
{
    size_t len = h->n - at - width, i;

    for (i = 0; i < width; i++)
        h->b[at + i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

/* A Chrome-like hello with the hybrid post-quantum key share
 * X25519MLKEM768 (group 0x11ec, 1216-byte share: 1184 ML-KEM-768 key +
 * 32 X25519) next to plain x25519, plus padding (RFC 7685): about 1.7 KB,
 * more than one 1448-byte MSS. */
static void build_pq_hello(struct hb *h)
{
    static const char sni[] = "voice-js.ashburn.twilio.com";
    size_t rec, hs, exts, ext, list;

    memset(h, 0, sizeof(*h));
    /* Record header: handshake, version 0x0301 */
    hb_u8(h, 22);
    hb_u16(h, 0x0301);
    rec = hb_open(h, 2);
    /* Handshake header: client_hello */
    hb_u8(h, 1);
    hs = hb_open(h, 3);
    /* legacy_version, random, 32-byte session_id */
    hb_u16(h, 0x0303);
    hb_fill(h, 0x11, 32);
    hb_u8(h, 32);
    hb_fill(h, 0x22, 32);
    /* cipher_suites: GREASE, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM */
    hb_u16(h, 6);
    hb_u16(h, 0x9a9a);
    hb_u16(h, 0x1301);
    hb_u16(h, 0x1302);
    /* compression_methods: null */
    hb_u8(h, 1);
    hb_u8(h, 0);
    exts = hb_open(h, 2);
    /* server_name */
    hb_u16(h, 0);
    ext = hb_open(h, 2);
    list = hb_open(h, 2);
    hb_u8(h, 0);
    hb_u16(h, sizeof(sni) - 1);
    hb_put(h, sni, sizeof(sni) - 1);
    hb_close(h, list, 2);
    hb_close(h, ext, 2);
    /* supported_groups: X25519MLKEM768, x25519 */
    hb_u16(h, 10);
    hb_u16(h, 6);
    hb_u16(h, 4);
    hb_u16(h, 0x11ec);
    hb_u16(h, 0x001d);
    /* ALPN: h2, http/1.1 */
    hb_u16(h, 16);
    hb_u16(h, 14);
    hb_u16(h, 12);
    hb_u8(h, 2);
    hb_put(h, "h2", 2);
    hb_u8(h, 8);
    hb_put(h, "http/1.1", 8);
    /* supported_versions: TLS 1.3 */
    hb_u16(h, 43);
    hb_u16(h, 3);
    hb_u8(h, 2);
    hb_u16(h, 0x0304);
    /* key_share: X25519MLKEM768 (1216 bytes), x25519 (32 bytes) */
    hb_u16(h, 51);
    ext = hb_open(h, 2);
    list = hb_open(h, 2);
    hb_u16(h, 0x11ec);
    hb_u16(h, 1216);
    hb_fill(h, 0xab, 1216);
    hb_u16(h, 0x001d);
    hb_u16(h, 32);
    hb_fill(h, 0xcd, 32);
    hb_close(h, list, 2);
    hb_close(h, ext, 2);
    /* padding (21): 256 zero bytes */
    hb_u16(h, 21);
    hb_u16(h, 256);
    hb_fill(h, 0, 256);
    hb_close(h, exts, 2);
    hb_close(h, hs, 3);
    hb_close(h, rec, 2);
}

/* Re-frames a single-record TLS hello as two records, the handshake
 * message cut after `cut` bytes of it (record fragmentation, RFC 8446
 * 5.1: used by some clients and by DPI-evasion tools). */
static size_t split_records(const uint8_t *in, size_t len, size_t cut,
                            uint8_t *out)
{
    size_t body = len - 5;

    memcpy(out, in, 3);                 /* type and version */
    out[3] = (uint8_t)(cut >> 8);
    out[4] = (uint8_t)cut;
    memcpy(out + 5, in + 5, cut);
    memcpy(out + 5 + cut, in, 3);
    out[5 + cut + 3] = (uint8_t)((body - cut) >> 8);
    out[5 + cut + 4] = (uint8_t)(body - cut);
    memcpy(out + 10 + cut, in + 5 + cut, body - cut);
    return len + 5;
}

/* ------------------------------------------------------------------ */
/* ClientHello parsing */

START_TEST(test_openssl_tls13)
{
    struct tls_client_hello ch;

    ck_assert_int_eq(tls_parse_client_hello(openssl_tls13_hello,
                                            sizeof(openssl_tls13_hello), &ch),
                     TLS_OK);
    ck_assert(!ch.is_dtls);
    ck_assert_str_eq(ch.sni, "voice-js.roaming.twilio.com");
    ck_assert(!ch.sni_invalid);
    ck_assert_uint_eq(ch.record_version, TLS_VERSION_1_0);
    ck_assert_uint_eq(ch.legacy_version, TLS_VERSION_1_2);
    ck_assert_uint_eq(ch.max_version, TLS_VERSION_1_3);
    ck_assert(ch.has_supported_versions);
    ck_assert_uint_eq(ch.n_alpn, 2);
    ck_assert_str_eq(ch.alpn[0], "h2");
    ck_assert_str_eq(ch.alpn[1], "http/1.1");
    ck_assert_uint_eq(ch.n_cipher_suites, 31);
    ck_assert_uint_eq(ch.n_extensions, 11);
    ck_assert_uint_eq(ch.n_key_shares, 1);
    ck_assert_uint_eq(ch.key_share_group[0], 0x001d);
    ck_assert_uint_eq(ch.key_share_len[0], 32);
    ck_assert(!ch.has_grease);
    ck_assert(!ch.has_ech);
    ck_assert_uint_eq(ch.length, sizeof(openssl_tls13_hello));
}
END_TEST

START_TEST(test_openssl_tls12)
{
    struct tls_client_hello ch;

    ck_assert_int_eq(tls_parse_client_hello(openssl_tls12_hello,
                                            sizeof(openssl_tls12_hello), &ch),
                     TLS_OK);
    ck_assert_str_eq(ch.sni, "eventgw.twilio.com");
    ck_assert_uint_eq(ch.max_version, TLS_VERSION_1_2);
    ck_assert(!ch.has_supported_versions);
    ck_assert_uint_eq(ch.n_alpn, 0);
    ck_assert_uint_eq(ch.n_cipher_suites, 2);
    ck_assert_uint_eq(ch.n_extensions, 6);
    ck_assert_uint_eq(ch.n_key_shares, 0);
}
END_TEST

START_TEST(test_grease_and_ech)
{
    struct tls_client_hello ch;

    ck_assert_int_eq(tls_parse_client_hello(grease_ech_hello,
                                            sizeof(grease_ech_hello), &ch),
                     TLS_OK);
    ck_assert(ch.has_grease);
    ck_assert(ch.has_ech);
    ck_assert_str_eq(ch.sni, "cloudflare-ech.com");
    /* GREASE is never the answer: 0xeaea is not "TLS 1.3 or newer". */
    ck_assert_uint_eq(ch.max_version, TLS_VERSION_1_3);
    ck_assert_uint_eq(ch.n_cipher_suites, 3);
    ck_assert_uint_eq(ch.n_extensions, 6);
    ck_assert_uint_eq(ch.n_key_shares, 1);
    ck_assert_uint_eq(ch.key_share_group[0], 0x001d);
    ck_assert_str_eq(ch.alpn[0], "h2");
}
END_TEST

START_TEST(test_post_quantum_hello)
{
    struct tls_client_hello ch;
    struct hb h;

    build_pq_hello(&h);
    ck_assert_uint_gt(h.n, 1448);
    ck_assert_int_eq(tls_parse_client_hello(h.b, h.n, &ch), TLS_OK);
    ck_assert_str_eq(ch.sni, "voice-js.ashburn.twilio.com");
    ck_assert_uint_eq(ch.n_key_shares, 2);
    ck_assert_uint_eq(ch.key_share_group[0], 0x11ec);
    ck_assert_uint_eq(ch.key_share_len[0], 1216);
    ck_assert_uint_eq(ch.key_share_group[1], 0x001d);
    ck_assert_uint_eq(ch.max_version, TLS_VERSION_1_3);
    ck_assert_uint_eq(ch.length, h.n);
    /* One MSS is not enough. */
    ck_assert_int_eq(tls_parse_client_hello(h.b, 1448, &ch), TLS_NEED_MORE);
}
END_TEST

START_TEST(test_hello_over_two_records)
{
    static uint8_t two[sizeof(openssl_tls13_hello) + 5];
    struct tls_client_hello ch;
    size_t n, cut;

    /* Cut inside the handshake header, then at several places later. */
    for (cut = 1; cut < sizeof(openssl_tls13_hello) - 5; cut += 37) {
        n = split_records(openssl_tls13_hello, sizeof(openssl_tls13_hello),
                          cut, two);
        ck_assert_int_eq(tls_parse_client_hello(two, n, &ch), TLS_OK);
        ck_assert_str_eq(ch.sni, "voice-js.roaming.twilio.com");
        ck_assert_uint_eq(ch.length, n);
        ck_assert_int_eq(tls_parse_client_hello(two, n - 1, &ch),
                         TLS_NEED_MORE);
    }
    /* The second record must be a handshake record too. */
    n = split_records(openssl_tls13_hello, sizeof(openssl_tls13_hello), 100,
                      two);
    two[105] = TLS_CT_APPLICATION_DATA;
    ck_assert_int_eq(tls_parse_client_hello(two, n, &ch), TLS_MALFORMED);
}
END_TEST

/* Every proper prefix of a valid hello asks for more, never crashes. */
static void assert_prefixes_need_more(const uint8_t *p, size_t n)
{
    struct tls_client_hello ch;
    size_t len;

    for (len = 0; len < n; len++)
        ck_assert_msg(tls_parse_client_hello(p, len, &ch) == TLS_NEED_MORE,
                      "length %zu", len);
}

START_TEST(test_every_truncation)
{
    struct hb h;

    assert_prefixes_need_more(openssl_tls13_hello,
                              sizeof(openssl_tls13_hello));
    assert_prefixes_need_more(openssl_tls12_hello,
                              sizeof(openssl_tls12_hello));
    assert_prefixes_need_more(grease_ech_hello, sizeof(grease_ech_hello));
    build_pq_hello(&h);
    assert_prefixes_need_more(h.b, h.n);
}
END_TEST

/* Re-declares the openssl TLS 1.3 hello with only its first cut body
 * bytes, in one whole record, and parses that. */
static enum tls_status parse_cut(size_t cut)
{
    static uint8_t buf[sizeof(openssl_tls13_hello)];
    struct tls_client_hello ch;

    memcpy(buf, openssl_tls13_hello, sizeof(buf));
    buf[3] = (uint8_t)((cut + 4) >> 8);     /* record length */
    buf[4] = (uint8_t)(cut + 4);
    buf[6] = 0;                             /* handshake length */
    buf[7] = (uint8_t)(cut >> 8);
    buf[8] = (uint8_t)cut;
    return tls_parse_client_hello(buf, cut + 9, &ch);
}

/* Cutting the message short inside a whole record: every shorter length
 * is malformed, never a read past the end, except right after the
 * compression methods (133 bytes), where a hello without extensions is
 * legal (RFC 5246 7.4.1.2). */
START_TEST(test_every_inner_truncation)
{
    size_t cut, body = sizeof(openssl_tls13_hello) - 9;

    for (cut = 0; cut < 133; cut++)
        ck_assert_msg(parse_cut(cut) == TLS_MALFORMED, "cut %zu", cut);
    ck_assert_int_eq(parse_cut(133), TLS_OK);
    for (cut = 134; cut < body; cut++)
        ck_assert_msg(parse_cut(cut) == TLS_MALFORMED, "cut %zu", cut);
    ck_assert_int_eq(parse_cut(body), TLS_OK);
}
END_TEST

START_TEST(test_not_tls)
{
    static const uint8_t http[] = "GET / HTTP/1.1\r\n";
    static const uint8_t ssh[] = "SSH-2.0-OpenSSH_9.2\r\n";
    /* Record header fine, but version 2.x / 3.5 */
    static const uint8_t v2[] = {0x16, 0x02, 0x00, 0x00, 0x10};
    static const uint8_t v35[] = {0x16, 0x03, 0x05, 0x00, 0x10};
    /* Record length 0 and over 2^14 + 2048 */
    static const uint8_t len0[] = {0x16, 0x03, 0x01, 0x00, 0x00};
    static const uint8_t big[] = {0x16, 0x03, 0x01, 0x48, 0x01};
    /* A handshake record whose message is a ServerHello */
    static const uint8_t sh[] = {0x16, 0x03, 0x01, 0x00, 0x10, 0x02};
    struct tls_client_hello ch;

    ck_assert_int_eq(tls_parse_client_hello(http, 1, &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(ssh, sizeof(ssh) - 1, &ch),
                     TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(v2, 2, &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(v35, 3, &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(len0, 5, &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(big, 5, &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(sh, sizeof(sh), &ch),
                     TLS_MALFORMED);
    ck_assert_int_eq(tls_parse_client_hello(NULL, 0, &ch), TLS_NEED_MORE);
}
END_TEST

START_TEST(test_bad_sni_is_flagged)
{
    static uint8_t buf[sizeof(openssl_tls12_hello)];
    struct tls_client_hello ch;

    memcpy(buf, openssl_tls12_hello, sizeof(buf));
    /* "eventgw.twilio.com" starts at offset 0x3f: put a space in it. */
    ck_assert_uint_eq(buf[0x3f], 'e');
    ck_assert_uint_eq(buf[0x43], 't');
    buf[0x43] = ' ';
    ck_assert_int_eq(tls_parse_client_hello(buf, sizeof(buf), &ch), TLS_OK);
    ck_assert_str_eq(ch.sni, "");
    ck_assert(ch.sni_invalid);
    /* An SNI list length (offset 0x3b, 21) that overruns the extension
     * (23 bytes) is malformed. */
    memcpy(buf, openssl_tls12_hello, sizeof(buf));
    ck_assert_uint_eq(buf[0x3b], 21);
    buf[0x3b] = 0x30;
    ck_assert_int_eq(tls_parse_client_hello(buf, sizeof(buf), &ch),
                     TLS_MALFORMED);
}
END_TEST

START_TEST(test_grease_values)
{
    unsigned hi;

    for (hi = 0; hi < 16; hi++)
        ck_assert(tls_is_grease((uint16_t)(hi << 12 | 0xa << 8 |
                                           hi << 4 | 0xa)));
    ck_assert(!tls_is_grease(0x0a1a));
    ck_assert(!tls_is_grease(0x0303));
    ck_assert(!tls_is_grease(0xfe0d));
    ck_assert(!tls_is_grease(0x0b0b));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Reassembly */

START_TEST(test_reasm_three_segments)
{
    struct tls_reasm r;
    struct tls_client_hello ch;
    const uint8_t *p = openssl_tls13_hello;
    size_t n = sizeof(openssl_tls13_hello);
    uint32_t isn = 0xfffffff0u;     /* sequence numbers wrap mid-hello */

    tls_reasm_init(&r);
    tls_reasm_start(&r, isn + 1);
    ck_assert_int_eq(tls_reasm_add(&r, isn + 1, p, 3, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, isn + 4, p + 3, 150, &ch),
                     TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, isn + 154, p + 153, n - 153, &ch),
                     TLS_OK);
    ck_assert_str_eq(ch.sni, "voice-js.roaming.twilio.com");
    /* Final: later data is ignored. */
    ck_assert_int_eq(tls_reasm_add(&r, isn + 1 + (uint32_t)n, p, 10, NULL),
                     TLS_OK);
    tls_reasm_release(&r);
    tls_reasm_release(NULL);
}
END_TEST

START_TEST(test_reasm_every_split)
{
    struct tls_client_hello ch;
    struct tls_reasm r;
    size_t n = sizeof(grease_ech_hello), k;

    for (k = 1; k < n; k++) {
        tls_reasm_init(&r);
        ck_assert_int_eq(tls_reasm_add(&r, 1000, grease_ech_hello, k, &ch),
                         TLS_NEED_MORE);
        ck_assert_int_eq(tls_reasm_add(&r, 1000 + (uint32_t)k,
                                       grease_ech_hello + k, n - k, &ch),
                         TLS_OK);
        ck_assert(ch.has_ech);
        tls_reasm_release(&r);
    }
}
END_TEST

START_TEST(test_reasm_out_of_order_and_overlap)
{
    struct tls_client_hello ch;
    struct tls_reasm r;
    const uint8_t *p = openssl_tls13_hello;
    size_t n = sizeof(openssl_tls13_hello);
    static uint8_t junk[400];

    tls_reasm_init(&r);
    tls_reasm_start(&r, 5000);
    /* The tail first, then a retransmission overlapping both, then the
     * head; bytes already held are not overwritten by a later copy. */
    ck_assert_int_eq(tls_reasm_add(&r, 5200, p + 200, n - 200, &ch),
                     TLS_NEED_MORE);
    memset(junk, 0xee, sizeof(junk));
    ck_assert_int_eq(tls_reasm_add(&r, 5250, junk, 50, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 5100, p + 100, 150, &ch),
                     TLS_NEED_MORE);
    /* A retransmission that starts before byte 0 is trimmed. */
    ck_assert_int_eq(tls_reasm_add(&r, 4990, junk, 10, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 4990, junk, 5, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 4995, junk, 0, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 5000, p, 120, &ch), TLS_OK);
    ck_assert_str_eq(ch.sni, "voice-js.roaming.twilio.com");
    tls_reasm_release(&r);
}
END_TEST

START_TEST(test_reasm_post_quantum_two_segments)
{
    struct tls_client_hello ch;
    struct tls_reasm r;
    struct hb h;

    build_pq_hello(&h);
    tls_reasm_init(&r);
    /* The first data segment defines byte 0 when no SYN was seen. */
    ck_assert_int_eq(tls_reasm_add(&r, 77, h.b, 1448, &ch), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 77 + 1448, h.b + 1448, h.n - 1448,
                                   &ch), TLS_OK);
    ck_assert_uint_eq(ch.key_share_len[0], 1216);
    ck_assert_str_eq(ch.sni, "voice-js.ashburn.twilio.com");
    tls_reasm_release(&r);
}
END_TEST

START_TEST(test_reasm_not_tls)
{
    static const uint8_t get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    struct tls_reasm r;

    tls_reasm_init(&r);
    ck_assert_int_eq(tls_reasm_add(&r, 1, get, sizeof(get) - 1, NULL),
                     TLS_NOT_TLS);
    ck_assert_int_eq(tls_reasm_add(&r, 1, openssl_tls13_hello,
                                   sizeof(openssl_tls13_hello), NULL),
                     TLS_NOT_TLS);
    tls_reasm_release(&r);
}
END_TEST

START_TEST(test_reasm_gives_up)
{
    /* A record of the maximum plaintext size whose hello needs 16389
     * stream bytes: one more than the cap. */
    static uint8_t huge[TLS_REASM_CAP];
    static const uint8_t byte = 0x42;
    struct tls_reasm r;
    uint32_t i;

    memset(huge, 0, sizeof(huge));
    huge[0] = 0x16;
    huge[1] = 0x03;
    huge[2] = 0x01;
    huge[3] = 0x40;             /* record length 16384 */
    huge[4] = 0x00;
    huge[5] = 0x01;             /* client_hello, length 16380 */
    huge[6] = 0x00;
    huge[7] = 0x3f;
    huge[8] = 0xfc;
    tls_reasm_init(&r);
    ck_assert_int_eq(tls_reasm_add(&r, 0, huge, 8000, NULL), TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 8000, huge + 8000,
                                   sizeof(huge) - 8000, NULL),
                     TLS_GAVE_UP);
    tls_reasm_release(&r);

    /* Too many holes. */
    tls_reasm_init(&r);
    tls_reasm_start(&r, 0);
    for (i = 1; i <= TLS_REASM_HOLES + 1; i++)
        ck_assert_int_eq(tls_reasm_add(&r, i * 10, &byte, 1, NULL),
                         TLS_NEED_MORE);
    ck_assert_int_eq(tls_reasm_add(&r, 200, &byte, 1, NULL), TLS_GAVE_UP);
    tls_reasm_release(&r);

    /* A segment starting beyond the cap. */
    tls_reasm_init(&r);
    tls_reasm_start(&r, 0);
    ck_assert_int_eq(tls_reasm_add(&r, TLS_REASM_CAP, &byte, 1, NULL),
                     TLS_GAVE_UP);
    tls_reasm_release(&r);
}
END_TEST

START_TEST(test_reasm_malformed_is_final)
{
    static uint8_t buf[sizeof(openssl_tls12_hello)];
    struct tls_reasm r;

    memcpy(buf, openssl_tls12_hello, sizeof(buf));
    buf[0x3b] = 0x30;           /* SNI list overruns its extension */
    tls_reasm_init(&r);
    ck_assert_int_eq(tls_reasm_add(&r, 0, buf, sizeof(buf), NULL),
                     TLS_MALFORMED);
    ck_assert_int_eq(tls_reasm_add(&r, 0, openssl_tls12_hello,
                                   sizeof(openssl_tls12_hello), NULL),
                     TLS_MALFORMED);
    tls_reasm_release(&r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ServerHello and alerts */

START_TEST(test_server_hello_tls13)
{
    struct tls_server_hello sh;
    size_t len;

    ck_assert_int_eq(tls_parse_server_hello(tls13_server_hello,
                                            sizeof(tls13_server_hello), &sh),
                     TLS_OK);
    ck_assert_uint_eq(sh.legacy_version, TLS_VERSION_1_2);
    ck_assert_uint_eq(sh.version, TLS_VERSION_1_3);
    ck_assert_uint_eq(sh.cipher_suite, 0x1301);
    ck_assert(!sh.hello_retry);
    ck_assert_uint_eq(sh.length, sizeof(tls13_server_hello));
    for (len = 0; len < sizeof(tls13_server_hello); len++)
        ck_assert_int_eq(tls_parse_server_hello(tls13_server_hello, len,
                                                &sh), TLS_NEED_MORE);
}
END_TEST

START_TEST(test_server_hello_retry_and_tls12)
{
    struct tls_server_hello sh;

    ck_assert_int_eq(tls_parse_server_hello(tls13_hello_retry,
                                            sizeof(tls13_hello_retry), &sh),
                     TLS_OK);
    ck_assert(sh.hello_retry);
    ck_assert_uint_eq(sh.version, TLS_VERSION_1_3);
    ck_assert_int_eq(tls_parse_server_hello(tls12_server_hello,
                                            sizeof(tls12_server_hello), &sh),
                     TLS_OK);
    ck_assert_uint_eq(sh.version, TLS_VERSION_1_2);
    ck_assert_uint_eq(sh.cipher_suite, 0xc02f);
    ck_assert_str_eq(sh.alpn, "h2");
    /* A client's hello is not a server's. */
    ck_assert_int_eq(tls_parse_server_hello(openssl_tls12_hello,
                                            sizeof(openssl_tls12_hello), &sh),
                     TLS_MALFORMED);
}
END_TEST

START_TEST(test_alerts)
{
    /* Record: alert, TLS 1.2, length 2; fatal (2), handshake_failure (40) */
    static const uint8_t fatal[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    /* An encrypted alert (after ChangeCipherSpec): 26 opaque bytes */
    static const uint8_t enc[5 + 26] = {0x15, 0x03, 0x03, 0x00, 0x1a};
    struct tls_server_hello sh;
    struct tls_alert a;
    size_t len;

    ck_assert_int_eq(tls_parse_alert(fatal, sizeof(fatal), &a), TLS_OK);
    ck_assert_uint_eq(a.level, 2);
    ck_assert_uint_eq(a.description, 40);
    ck_assert_str_eq(tls_alert_name(a.description), "handshake_failure");
    for (len = 0; len < sizeof(fatal); len++)
        ck_assert_int_eq(tls_parse_alert(fatal, len, &a), TLS_NEED_MORE);
    ck_assert_int_eq(tls_parse_alert(enc, sizeof(enc), &a), TLS_MALFORMED);
    ck_assert_int_eq(tls_parse_alert(tls13_server_hello, 5, &a),
                     TLS_NOT_TLS);
    /* A server that answers with an alert has no ServerHello. */
    ck_assert_int_eq(tls_parse_server_hello(fatal, sizeof(fatal), &sh),
                     TLS_NOT_TLS);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(tls_version_name(TLS_VERSION_1_3), "TLS 1.3");
    ck_assert_str_eq(tls_version_name(TLS_VERSION_1_2), "TLS 1.2");
    ck_assert_str_eq(tls_version_name(TLS_VERSION_1_1), "TLS 1.1");
    ck_assert_str_eq(tls_version_name(TLS_VERSION_1_0), "TLS 1.0");
    ck_assert_str_eq(tls_version_name(TLS_VERSION_SSL3), "SSL 3.0");
    ck_assert_str_eq(tls_version_name(DTLS_VERSION_1_0), "DTLS 1.0");
    ck_assert_str_eq(tls_version_name(DTLS_VERSION_1_2), "DTLS 1.2");
    ck_assert_str_eq(tls_version_name(DTLS_VERSION_1_3), "DTLS 1.3");
    ck_assert_str_eq(tls_version_name(0x0305), "unknown");
    ck_assert_str_eq(tls_alert_name(0), "close_notify");
    ck_assert_str_eq(tls_alert_name(112), "unrecognized_name");
    ck_assert_str_eq(tls_alert_name(121), "ech_required");
    ck_assert_str_eq(tls_alert_name(200), "unknown");
}
END_TEST

/* ------------------------------------------------------------------ */
/* DTLS */

START_TEST(test_dtls_client_hello)
{
    struct tls_client_hello ch;
    size_t len;

    ck_assert(tls_is_dtls_record(dtls12_client_hello,
                                 sizeof(dtls12_client_hello)));
    ck_assert_int_eq(tls_parse_dtls_client_hello(dtls12_client_hello,
                                                 sizeof(dtls12_client_hello),
                                                 &ch), TLS_OK);
    ck_assert(ch.is_dtls);
    ck_assert_uint_eq(ch.record_version, DTLS_VERSION_1_0);
    ck_assert_uint_eq(ch.legacy_version, DTLS_VERSION_1_2);
    ck_assert_uint_eq(ch.max_version, DTLS_VERSION_1_2);
    ck_assert_str_eq(ch.sni, "");
    ck_assert_uint_eq(ch.n_cipher_suites, 3);
    ck_assert_uint_eq(ch.n_extensions, 5);
    for (len = 0; len < sizeof(dtls12_client_hello); len++)
        ck_assert_int_eq(tls_parse_dtls_client_hello(dtls12_client_hello,
                                                     len, &ch),
                         TLS_NEED_MORE);

    ck_assert_int_eq(tls_parse_dtls_client_hello(dtls13_client_hello,
                                                 sizeof(dtls13_client_hello),
                                                 &ch), TLS_OK);
    ck_assert_str_eq(ch.sni, "global.turn.twilio.com");
    ck_assert_uint_eq(ch.max_version, DTLS_VERSION_1_3);
    ck_assert(ch.has_grease);
    ck_assert_uint_eq(ch.n_cipher_suites, 1);
    /* A TLS hello is not a DTLS one and the other way round. */
    ck_assert_int_eq(tls_parse_dtls_client_hello(openssl_tls13_hello,
                                                 sizeof(openssl_tls13_hello),
                                                 &ch), TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_client_hello(dtls12_client_hello,
                                            sizeof(dtls12_client_hello), &ch),
                     TLS_NOT_TLS);
    ck_assert_int_eq(tls_parse_dtls_client_hello(dtls12_server_hello,
                                                 sizeof(dtls12_server_hello),
                                                 &ch), TLS_NOT_TLS);
}
END_TEST

START_TEST(test_dtls_fragmented_hello)
{
    static uint8_t frag[sizeof(dtls12_client_hello)];
    struct tls_client_hello ch;

    memcpy(frag, dtls12_client_hello, sizeof(frag));
    /* fragment_length one less than the message (offset 22..24), and the
     * record one byte shorter to match */
    frag[24]--;
    frag[12]--;
    ck_assert_int_eq(tls_parse_dtls_client_hello(frag, sizeof(frag) - 1,
                                                 &ch), TLS_NEED_MORE);
    ck_assert(ch.is_dtls);
    /* A fragment claiming to run past the message is malformed. */
    memcpy(frag, dtls12_client_hello, sizeof(frag));
    frag[21] = 1;               /* fragment_offset 1, same length */
    ck_assert_int_eq(tls_parse_dtls_client_hello(frag, sizeof(frag), &ch),
                     TLS_MALFORMED);
}
END_TEST

START_TEST(test_dtls_server_side)
{
    struct tls_server_hello sh;
    size_t len;

    ck_assert_int_eq(tls_parse_dtls_server_hello(dtls12_server_hello,
                                                 sizeof(dtls12_server_hello),
                                                 &sh), TLS_OK);
    ck_assert(sh.is_dtls);
    ck_assert_uint_eq(sh.version, DTLS_VERSION_1_2);
    ck_assert_uint_eq(sh.cipher_suite, 0xc02b);
    ck_assert(!sh.hello_retry);
    for (len = 0; len < sizeof(dtls12_server_hello); len++)
        ck_assert_int_eq(tls_parse_dtls_server_hello(dtls12_server_hello,
                                                     len, &sh),
                         TLS_NEED_MORE);
    ck_assert_int_eq(tls_parse_dtls_server_hello(dtls_hello_verify,
                                                 sizeof(dtls_hello_verify),
                                                 &sh), TLS_OK);
    ck_assert(sh.hello_retry);
    ck_assert_uint_eq(sh.version, DTLS_VERSION_1_0);
    ck_assert_int_eq(tls_parse_dtls_server_hello(dtls12_client_hello,
                                                 sizeof(dtls12_client_hello),
                                                 &sh), TLS_NOT_TLS);
}
END_TEST

START_TEST(test_dtls_demux)
{
    /* RTP v2 header: 0x80, PT 0 */
    static const uint8_t rtp[] = {0x80, 0x00, 0x12, 0x34, 0, 0, 0, 0,
                                  0, 0, 0, 1, 0xff, 0xff};
    /* STUN binding request header: type 0x0001, length 0, cookie */
    static const uint8_t stun[] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4,
                                   0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                   12};
    /* DTLS application data, epoch 1, length 3, body present */
    static const uint8_t appdata[] = {0x17, 0xfe, 0xfd, 0x00, 0x01, 0, 0,
                                      0, 0, 0, 5, 0x00, 0x03, 1, 2, 3};

    ck_assert(!tls_is_dtls_record(rtp, sizeof(rtp)));
    ck_assert(!tls_is_dtls_record(stun, sizeof(stun)));
    ck_assert(tls_is_dtls_record(appdata, sizeof(appdata)));
    ck_assert(!tls_is_dtls_record(appdata, sizeof(appdata) - 1));
    ck_assert(!tls_is_dtls_record(appdata, 12));
    ck_assert(!tls_is_dtls_record(openssl_tls12_hello,
                                  sizeof(openssl_tls12_hello)));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Record tracking */

/* Record bytes for the tracker tests; bodies are filler. */
static size_t rec(uint8_t *out, uint8_t type, size_t body_len, uint8_t fill)
{
    out[0] = type;
    out[1] = 0x03;
    out[2] = 0x03;
    out[3] = (uint8_t)(body_len >> 8);
    out[4] = (uint8_t)body_len;
    memset(out + 5, fill, body_len);
    return 5 + body_len;
}

/* Feeds a stream to one direction either whole or byte by byte. */
static void feed(struct tls_track *t, unsigned dir, const uint8_t *p,
                 size_t n, size_t step)
{
    size_t i;

    for (i = 0; i < n; i += step)
        tls_track_feed(t, dir, p + i, n - i < step ? n - i : step);
}

static void run_tls12(size_t step)
{
    static uint8_t c1[64], c2[128], s1[256], s2[128];
    size_t n_c1, n_c2, n_s1, n_s2;
    struct tls_track t;

    /* client: ClientHello */
    n_c1 = rec(c1, TLS_CT_HANDSHAKE, 50, 0x01);
    /* server: ServerHello + Certificate + ServerHelloDone, one record */
    n_s1 = rec(s1, TLS_CT_HANDSHAKE, 200, 0x02);
    /* client: ClientKeyExchange, ChangeCipherSpec, encrypted Finished */
    n_c2 = rec(c2, TLS_CT_HANDSHAKE, 37, 0x10);
    n_c2 += rec(c2 + n_c2, TLS_CT_CHANGE_CIPHER_SPEC, 1, 0x01);
    n_c2 += rec(c2 + n_c2, TLS_CT_HANDSHAKE, 40, 0x77);
    /* server: ChangeCipherSpec, encrypted Finished */
    n_s2 = rec(s2, TLS_CT_CHANGE_CIPHER_SPEC, 1, 0x01);
    n_s2 += rec(s2 + n_s2, TLS_CT_HANDSHAKE, 40, 0x78);

    tls_track_init(&t);
    feed(&t, 0, c1, n_c1, step);
    feed(&t, 1, s1, n_s1, step);
    feed(&t, 0, c2, n_c2, step);
    ck_assert(!tls_track_established(&t));
    feed(&t, 1, s2, n_s2, step);
    ck_assert(tls_track_established(&t));
    ck_assert(!t.alert_seen);
    ck_assert_uint_eq(t.dir[0].records, 4);
    ck_assert_uint_eq(t.dir[1].records, 3);
}

START_TEST(test_track_tls12)
{
    run_tls12(100000);
    run_tls12(1);
    run_tls12(3);
}
END_TEST

/* TLS 1.3: the server's second flight is application_data records; the
 * client's Finished is one too, and decides. */
static void run_tls13(bool client_alert)
{
    static uint8_t c1[64], c2[128], s1[1200];
    size_t n_c1, n_c2, n_s1;
    struct tls_track t;

    n_c1 = rec(c1, TLS_CT_HANDSHAKE, 50, 0x01);
    n_s1 = rec(s1, TLS_CT_HANDSHAKE, 118, 0x02);
    n_s1 += rec(s1 + n_s1, TLS_CT_CHANGE_CIPHER_SPEC, 1, 0x01);
    n_s1 += rec(s1 + n_s1, TLS_CT_APPLICATION_DATA, 1000, 0x55);
    n_c2 = rec(c2, TLS_CT_CHANGE_CIPHER_SPEC, 1, 0x01);
    /* Finished: 32-byte verify_data + type + 16-byte tag = 53; an
     * encrypted alert: 2 + 1 + 16 = 19 */
    n_c2 += rec(c2 + n_c2, TLS_CT_APPLICATION_DATA, client_alert ? 19 : 53,
                0x66);
    tls_track_init(&t);
    feed(&t, 0, c1, n_c1, 7);
    feed(&t, 1, s1, n_s1, 7);
    ck_assert(!tls_track_established(&t));
    feed(&t, 0, c2, n_c2, 7);
    ck_assert(tls_track_established(&t) == !client_alert);
}

START_TEST(test_track_tls13)
{
    run_tls13(false);
    run_tls13(true);
}
END_TEST

START_TEST(test_track_plaintext_alert)
{
    static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};
    static uint8_t c1[64];
    struct tls_track t;
    size_t n;

    n = rec(c1, TLS_CT_HANDSHAKE, 50, 0x01);
    tls_track_init(&t);
    tls_track_feed(&t, 0, c1, n);
    feed(&t, 1, alert, sizeof(alert), 1);
    ck_assert(t.alert_seen);
    ck_assert_uint_eq(t.alert_dir, 1);
    ck_assert_uint_eq(t.alert.level, 2);
    ck_assert_str_eq(tls_alert_name(t.alert.description),
                     "unrecognized_name");
    ck_assert(!tls_track_established(&t));
}
END_TEST

START_TEST(test_track_lost)
{
    static const uint8_t junk[] = "HTTP/1.1 400 Bad Request\r\n";
    static uint8_t s[64];
    struct tls_track t;
    size_t n;

    tls_track_init(&t);
    tls_track_feed(&t, 1, junk, sizeof(junk) - 1);
    ck_assert(t.dir[1].lost);
    n = rec(s, TLS_CT_APPLICATION_DATA, 40, 0x01);
    tls_track_feed(&t, 1, s, n);
    ck_assert_uint_eq(t.dir[1].records, 0);
    /* After a gap the direction is not walked any more. */
    tls_track_gap(&t, 0);
    tls_track_feed(&t, 0, s, n);
    ck_assert_uint_eq(t.dir[0].records, 0);
    ck_assert(!tls_track_established(&t));
    tls_track_feed(&t, 2, s, n);
    tls_track_gap(&t, 2);
}
END_TEST

static Suite *tls_suite(void)
{
    Suite *s = suite_create("tls");
    TCase *tc = tcase_create("client_hello");

    tcase_add_test(tc, test_openssl_tls13);
    tcase_add_test(tc, test_openssl_tls12);
    tcase_add_test(tc, test_grease_and_ech);
    tcase_add_test(tc, test_post_quantum_hello);
    tcase_add_test(tc, test_hello_over_two_records);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_every_inner_truncation);
    tcase_add_test(tc, test_not_tls);
    tcase_add_test(tc, test_bad_sni_is_flagged);
    tcase_add_test(tc, test_grease_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("reasm");
    tcase_add_test(tc, test_reasm_three_segments);
    tcase_add_test(tc, test_reasm_every_split);
    tcase_add_test(tc, test_reasm_out_of_order_and_overlap);
    tcase_add_test(tc, test_reasm_post_quantum_two_segments);
    tcase_add_test(tc, test_reasm_not_tls);
    tcase_add_test(tc, test_reasm_gives_up);
    tcase_add_test(tc, test_reasm_malformed_is_final);
    suite_add_tcase(s, tc);

    tc = tcase_create("server");
    tcase_add_test(tc, test_server_hello_tls13);
    tcase_add_test(tc, test_server_hello_retry_and_tls12);
    tcase_add_test(tc, test_alerts);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("dtls");
    tcase_add_test(tc, test_dtls_client_hello);
    tcase_add_test(tc, test_dtls_fragmented_hello);
    tcase_add_test(tc, test_dtls_server_side);
    tcase_add_test(tc, test_dtls_demux);
    suite_add_tcase(s, tc);

    tc = tcase_create("track");
    tcase_add_test(tc, test_track_tls12);
    tcase_add_test(tc, test_track_tls13);
    tcase_add_test(tc, test_track_plaintext_alert);
    tcase_add_test(tc, test_track_lost);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tls_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
