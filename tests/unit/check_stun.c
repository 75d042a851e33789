/* Unit tests for STUN parsing, transaction matching and keepalives. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "stun.h"

/* RFC 5769 2.1, sample request (short-term credentials). */
static const uint8_t rfc5769_request[] = {
    0x00, 0x01, 0x00, 0x58,             /* binding request, length 88 */
    0x21, 0x12, 0xa4, 0x42,             /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01,             /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x10,             /* SOFTWARE, 16 bytes */
    'S', 'T', 'U', 'N', ' ', 't', 'e', 's',
    't', ' ', 'c', 'l', 'i', 'e', 'n', 't',
    0x00, 0x24, 0x00, 0x04,             /* PRIORITY */
    0x6e, 0x00, 0x01, 0xff,
    0x80, 0x29, 0x00, 0x08,             /* ICE-CONTROLLED, tie-breaker */
    0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
    0x00, 0x06, 0x00, 0x09,             /* USERNAME, 9 bytes + 3 padding */
    'e', 'v', 't', 'j', ':', 'h', '6', 'v', 'Y', 0x20, 0x20, 0x20,
    0x00, 0x08, 0x00, 0x14,             /* MESSAGE-INTEGRITY (HMAC-SHA1) */
    0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
    0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2,
    0x80, 0x28, 0x00, 0x04,             /* FINGERPRINT */
    0xe5, 0x7a, 0x3b, 0xcf,
};

/* RFC 5769 2.2, sample IPv4 response: 192.0.2.1 port 32853. */
static const uint8_t rfc5769_ipv4[] = {
    0x01, 0x01, 0x00, 0x3c,             /* binding success, length 60 */
    0x21, 0x12, 0xa4, 0x42,             /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01,             /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x0b,             /* SOFTWARE, 11 bytes + 1 padding */
    't', 'e', 's', 't', ' ', 'v', 'e', 'c', 't', 'o', 'r', 0x20,
    0x00, 0x20, 0x00, 0x08,             /* XOR-MAPPED-ADDRESS */
    0x00, 0x01, 0xa1, 0x47,             /* IPv4, port ^ 0x2112 */
    0xe1, 0x12, 0xa6, 0x43,             /* address ^ cookie */
    0x00, 0x08, 0x00, 0x14,             /* MESSAGE-INTEGRITY */
    0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74,
    0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
    0x80, 0x28, 0x00, 0x04,             /* FINGERPRINT */
    0xc0, 0x7d, 0x4c, 0x96,
};

/* RFC 5769 2.3, sample IPv6 response: 2001:db8:1234:5678:11:2233:4455:6677
 * port 32853. */
static const uint8_t rfc5769_ipv6[] = {
    0x01, 0x01, 0x00, 0x48,             /* binding success, length 72 */
    0x21, 0x12, 0xa4, 0x42,             /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01,             /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x0b,             /* SOFTWARE */
    't', 'e', 's', 't', ' ', 'v', 'e', 'c', 't', 'o', 'r', 0x20,
    0x00, 0x20, 0x00, 0x14,             /* XOR-MAPPED-ADDRESS */
    0x00, 0x02, 0xa1, 0x47,             /* IPv6, port ^ 0x2112 */
    0x01, 0x13, 0xa9, 0xfa,             /* address ^ cookie + txid */
    0xa5, 0xd3, 0xf1, 0x79,
    0xbc, 0x25, 0xf4, 0xb5,
    0xbe, 0xd2, 0xb9, 0xd9,
    0x00, 0x08, 0x00, 0x14,             /* MESSAGE-INTEGRITY */
    0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84,
    0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
    0x80, 0x28, 0x00, 0x04,             /* FINGERPRINT */
    0xc8, 0xfb, 0x0b, 0x4c,
};

static const uint8_t rfc5769_txid[STUN_TXID_LEN] = {
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
};

static void assert_addr(const struct stun_address *a, const char *text,
                        uint16_t port)
{
    char buf[IPADDR_STRLEN];

    ck_assert(a->present);
    ck_assert_str_eq(ipaddr_format(&a->addr, buf), text);
    ck_assert_uint_eq(a->port, port);
}

START_TEST(test_rfc5769_request)
{
    struct stun_message m;

    ck_assert_int_eq(stun_parse(rfc5769_request, sizeof(rfc5769_request),
                                sizeof(rfc5769_request), &m), STUN_OK);
    ck_assert_uint_eq(m.type, 0x0001);
    ck_assert_uint_eq(m.method, STUN_METHOD_BINDING);
    ck_assert_int_eq(m.cls, STUN_CLASS_REQUEST);
    ck_assert(stun_is_binding(&m));
    ck_assert_uint_eq(m.length, 88);
    ck_assert(!m.classic);
    ck_assert_uint_eq(m.cookie, STUN_MAGIC_COOKIE);
    ck_assert_mem_eq(m.txid, rfc5769_txid, STUN_TXID_LEN);
    ck_assert_uint_eq(m.attr_count, 6);
    ck_assert_uint_eq(m.skipped_attrs, 0);
    ck_assert_uint_eq(m.bad_attrs, 0);
    ck_assert_uint_eq(m.ignored_attrs, 0);
    ck_assert(m.has_software);
    ck_assert_str_eq(m.software, "STUN test client");
    ck_assert(m.has_priority);
    ck_assert_uint_eq(m.priority, 0x6e0001ff);
    ck_assert(m.ice_controlled);
    ck_assert(!m.ice_controlling);
    ck_assert_uint_eq(m.tie_breaker, 0x932ff9b151263b36u);
    ck_assert(m.has_username);
    ck_assert_str_eq(m.username, "evtj:h6vY");
    ck_assert(m.has_message_integrity);
    ck_assert(m.has_fingerprint);
    ck_assert_uint_eq(m.fingerprint, 0xe57a3bcf);
    ck_assert(m.fingerprint_ok);
    ck_assert(!m.xor_mapped.present);
    ck_assert(!m.use_candidate);
}
END_TEST

START_TEST(test_rfc5769_ipv4)
{
    struct stun_message m;

    ck_assert_int_eq(stun_parse(rfc5769_ipv4, sizeof(rfc5769_ipv4),
                                sizeof(rfc5769_ipv4), &m), STUN_OK);
    ck_assert_int_eq(m.cls, STUN_CLASS_SUCCESS);
    ck_assert_uint_eq(m.method, STUN_METHOD_BINDING);
    ck_assert_str_eq(m.software, "test vector");
    assert_addr(&m.xor_mapped, "192.0.2.1", 32853);
    ck_assert(!m.mapped.present);
    ck_assert(m.has_message_integrity);
    ck_assert(m.fingerprint_ok);
}
END_TEST

START_TEST(test_rfc5769_ipv6)
{
    struct stun_message m;

    ck_assert_int_eq(stun_parse(rfc5769_ipv6, sizeof(rfc5769_ipv6),
                                sizeof(rfc5769_ipv6), &m), STUN_OK);
    ck_assert_int_eq(m.cls, STUN_CLASS_SUCCESS);
    assert_addr(&m.xor_mapped, "2001:db8:1234:5678:11:2233:4455:6677",
                32853);
    ck_assert(m.fingerprint_ok);
}
END_TEST

START_TEST(test_fingerprint_mismatch)
{
    uint8_t p[sizeof(rfc5769_ipv4)];
    struct stun_message m;

    memcpy(p, rfc5769_ipv4, sizeof(p));
    p[24] = 'T';                        /* "Test vector" */
    ck_assert_int_eq(stun_parse(p, sizeof(p), sizeof(p), &m), STUN_OK);
    ck_assert(m.has_fingerprint);
    ck_assert(!m.fingerprint_ok);
    assert_addr(&m.xor_mapped, "192.0.2.1", 32853);
}
END_TEST

START_TEST(test_truncations)
{
    struct stun_message m;
    size_t len;

    /* Cut by the snaplen: never OK. */
    for (len = 0; len < sizeof(rfc5769_ipv6); len++)
        ck_assert_int_eq(stun_parse(rfc5769_ipv6, len, sizeof(rfc5769_ipv6),
                                    &m), STUN_TRUNCATED);
    /* A datagram that really is that short is not STUN: the length field
     * no longer matches. */
    for (len = 0; len < sizeof(rfc5769_ipv6); len++)
        ck_assert_int_eq(stun_parse(rfc5769_ipv6, len, len, &m),
                         STUN_NOT_STUN);
    /* Cut after XOR-MAPPED-ADDRESS: the address is there. */
    ck_assert_int_eq(stun_parse(rfc5769_ipv6, 20 + 16 + 24,
                                sizeof(rfc5769_ipv6), &m), STUN_TRUNCATED);
    assert_addr(&m.xor_mapped, "2001:db8:1234:5678:11:2233:4455:6677",
                32853);
    ck_assert(!m.has_fingerprint);
    /* Cut inside it: it is not. */
    ck_assert_int_eq(stun_parse(rfc5769_ipv6, 20 + 16 + 23,
                                sizeof(rfc5769_ipv6), &m), STUN_TRUNCATED);
    ck_assert(!m.xor_mapped.present);
    ck_assert(m.has_software);
}
END_TEST

START_TEST(test_unknown_attributes)
{
    static const uint8_t msg[] = {
        0x00, 0x01, 0x00, 0x20,         /* binding request, length 32 */
        0x21, 0x12, 0xa4, 0x42,         /* magic cookie */
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0x80, 0x55, 0x00, 0x05,         /* unknown, optional, 5 bytes */
        'a', 'b', 'c', 'd', 'e', 0x00, 0x00, 0x00,
        0x00, 0x30, 0x00, 0x02,         /* unknown, required, 2 bytes */
        0xaa, 0xbb, 0x00, 0x00,
        0x00, 0x25, 0x00, 0x00,         /* USE-CANDIDATE */
        0x00, 0x24, 0x00, 0x04,         /* PRIORITY 127 */
        0x00, 0x00, 0x00, 0x7f,
    };
    struct stun_message m;

    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m), STUN_OK);
    ck_assert_uint_eq(m.attr_count, 4);
    ck_assert_uint_eq(m.skipped_attrs, 2);
    ck_assert(m.use_candidate);
    ck_assert(m.has_priority);
    ck_assert_uint_eq(m.priority, 127);
    ck_assert(!m.has_fingerprint);
}
END_TEST

START_TEST(test_bad_lengths)
{
    uint8_t msg[] = {
        0x00, 0x01, 0x00, 0x18,         /* binding request, length 24 */
        0x21, 0x12, 0xa4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0x00, 0x20, 0x00, 0x08,         /* XOR-MAPPED-ADDRESS, family 3 */
        0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x24, 0x00, 0x08,         /* PRIORITY with 8 bytes */
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
    };
    struct stun_message m;

    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m), STUN_OK);
    ck_assert_uint_eq(m.bad_attrs, 2);
    ck_assert(!m.xor_mapped.present);
    ck_assert(!m.has_priority);

    /* An attribute running past the message length. */
    msg[22] = 0x00;
    msg[23] = 0x20;
    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m),
                     STUN_MALFORMED);
    /* The last attribute one byte too long for the message. */
    msg[23] = 0x08;
    msg[35] = 0x09;
    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m),
                     STUN_MALFORMED);
}
END_TEST

START_TEST(test_ignored_after_integrity)
{
    static const uint8_t msg[] = {
        0x00, 0x01, 0x00, 0x2c,         /* binding request, length 44 */
        0x21, 0x12, 0xa4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0x00, 0x08, 0x00, 0x14,         /* MESSAGE-INTEGRITY */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x80, 0x22, 0x00, 0x04,         /* SOFTWARE after it: ignored */
        'e', 'v', 'i', 'l',
        0x00, 0x25, 0x00, 0x00,         /* USE-CANDIDATE: ignored */
        0x00, 0x24, 0x00, 0x04,         /* PRIORITY: ignored */
        0x00, 0x00, 0x00, 0x01,
    };
    struct stun_message m;

    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m), STUN_OK);
    ck_assert(m.has_message_integrity);
    ck_assert_uint_eq(m.ignored_attrs, 3);
    ck_assert(!m.has_software);
    ck_assert(!m.use_candidate);
    ck_assert(!m.has_priority);
}
END_TEST

START_TEST(test_error_code)
{
    static const uint8_t msg[] = {
        0x01, 0x11, 0x00, 0x18,         /* binding error, length 24 */
        0x21, 0x12, 0xa4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0x00, 0x09, 0x00, 0x11,         /* ERROR-CODE, 17 bytes */
        0x00, 0x00, 0x04, 0x57,         /* class 4, number 87: 487 */
        'R', 'o', 'l', 'e', ' ', 'C', 'o', 'n', 'f', 'l', 'i', 'c', 't',
        0x00, 0x00, 0x00,               /* padding */
    };
    struct stun_message m;

    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m), STUN_OK);
    ck_assert_int_eq(m.cls, STUN_CLASS_ERROR);
    ck_assert_uint_eq(m.method, STUN_METHOD_BINDING);
    ck_assert(m.has_error_code);
    ck_assert_uint_eq(m.error_code, 487);
    ck_assert_str_eq(m.error_reason, "Role Conflict");
}
END_TEST

START_TEST(test_classic_rfc3489)
{
    /* RFC 3489 binding response: 128-bit transaction ID, no cookie,
     * MAPPED-ADDRESS in clear. */
    uint8_t msg[] = {
        0x01, 0x01, 0x00, 0x0c,         /* binding response, length 12 */
        0x5a, 0x5b, 0x5c, 0x5d,         /* transaction ID (first 32 bits) */
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0x00, 0x01, 0x00, 0x08,         /* MAPPED-ADDRESS */
        0x00, 0x01, 0x13, 0x88,         /* IPv4, port 5000 */
        0xc0, 0xa8, 0x01, 0x0a,         /* 192.168.1.10 */
    };
    struct stun_message m;

    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m), STUN_OK);
    ck_assert(m.classic);
    ck_assert_uint_eq(m.cookie, 0x5a5b5c5d);
    ck_assert_int_eq(m.cls, STUN_CLASS_SUCCESS);
    assert_addr(&m.mapped, "192.168.1.10", 5000);
    ck_assert(!m.xor_mapped.present);

    /* Without a cookie only RFC 3489's own types are accepted. */
    msg[1] = 0x03;                      /* 0x0103: TURN Allocate success */
    ck_assert_int_eq(stun_parse(msg, sizeof(msg), sizeof(msg), &m),
                     STUN_NOT_STUN);
}
END_TEST

START_TEST(test_not_stun)
{
    static const uint8_t rtp[] = {
        0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0,
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
        0x99, 0xaa, 0xbb, 0xcc,
    };
    uint8_t p[sizeof(rfc5769_ipv4)];
    struct stun_message m;

    ck_assert_int_eq(stun_parse(rtp, sizeof(rtp), sizeof(rtp), &m),
                     STUN_NOT_STUN);
    ck_assert_int_eq(stun_parse(rtp, 1, sizeof(rtp), &m), STUN_NOT_STUN);
    /* Length not a multiple of 4. */
    memcpy(p, rfc5769_ipv4, sizeof(p));
    p[3] = 0x3d;
    ck_assert_int_eq(stun_parse(p, sizeof(p), sizeof(p), &m), STUN_NOT_STUN);
    /* Length not the datagram's. */
    p[3] = 0x38;
    ck_assert_int_eq(stun_parse(p, sizeof(p), sizeof(p), &m), STUN_NOT_STUN);
}
END_TEST

START_TEST(test_type_decoding)
{
    uint8_t msg[20] = { 0x00, 0x17, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };
    struct stun_message m;

    /* 0x0017: TURN Data indication. */
    ck_assert_int_eq(stun_parse(msg, 20, 20, &m), STUN_OK);
    ck_assert_uint_eq(m.method, STUN_METHOD_DATA);
    ck_assert_int_eq(m.cls, STUN_CLASS_INDICATION);
    /* 0x0113: Allocate error response. */
    msg[0] = 0x01;
    msg[1] = 0x13;
    ck_assert_int_eq(stun_parse(msg, 20, 20, &m), STUN_OK);
    ck_assert_uint_eq(m.method, STUN_METHOD_ALLOCATE);
    ck_assert_int_eq(m.cls, STUN_CLASS_ERROR);
    /* 0x0011: binding indication. */
    msg[0] = 0x00;
    msg[1] = 0x11;
    ck_assert_int_eq(stun_parse(msg, 20, 20, &m), STUN_OK);
    ck_assert_uint_eq(m.method, STUN_METHOD_BINDING);
    ck_assert_int_eq(m.cls, STUN_CLASS_INDICATION);
    /* 0x3fff: every method bit and both class bits: method 0xfff,
     * error response. */
    msg[0] = 0x3f;
    msg[1] = 0xff;
    ck_assert_int_eq(stun_parse(msg, 20, 20, &m), STUN_OK);
    ck_assert_uint_eq(m.method, 0xfff);
    ck_assert_int_eq(m.cls, STUN_CLASS_ERROR);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(stun_status_name(STUN_OK), "ok");
    ck_assert_str_eq(stun_status_name(STUN_NOT_STUN), "not_stun");
    ck_assert_str_eq(stun_status_name(STUN_TRUNCATED), "truncated");
    ck_assert_str_eq(stun_status_name(STUN_MALFORMED), "malformed");
    ck_assert_str_eq(stun_class_name(STUN_CLASS_REQUEST), "request");
    ck_assert_str_eq(stun_class_name(STUN_CLASS_INDICATION), "indication");
    ck_assert_str_eq(stun_class_name(STUN_CLASS_SUCCESS), "success");
    ck_assert_str_eq(stun_class_name(STUN_CLASS_ERROR), "error");
    ck_assert_str_eq(stun_method_name(STUN_METHOD_BINDING), "binding");
    ck_assert_str_eq(stun_method_name(STUN_METHOD_CHANNEL_BIND),
                     "channel_bind");
    ck_assert_ptr_null(stun_method_name(0x00a));
    ck_assert_str_eq(stun_ka_kind_name(STUN_KA_CONSENT), "consent");
    ck_assert_str_eq(stun_ka_kind_name(STUN_KA_REFRESH), "refresh");
}
END_TEST

/* ------------------------------------------------------------------ */

/* A message value with just what transactions look at. */
static void make_msg(struct stun_message *m, uint8_t tag,
                     enum stun_class cls)
{
    memset(m, 0, sizeof(*m));
    m->method = STUN_METHOD_BINDING;
    m->cls = cls;
    m->cookie = STUN_MAGIC_COOKIE;
    memset(m->txid, 0x5a, sizeof(m->txid));
    m->txid[11] = tag;
}

START_TEST(test_txn_match_with_retransmission)
{
    struct stun_txn_table *t = stun_txn_table_new(64, STUN_TXN_TIMEOUT_US);
    struct stun_message req, resp;
    struct stun_txn_match match;
    struct stun_txn_stats st;

    ck_assert_ptr_nonnull(t);
    /* The RFC 5769 request and its IPv4 response share a transaction. */
    ck_assert_int_eq(stun_parse(rfc5769_request, sizeof(rfc5769_request),
                                sizeof(rfc5769_request), &req), STUN_OK);
    ck_assert_int_eq(stun_parse(rfc5769_ipv4, sizeof(rfc5769_ipv4),
                                sizeof(rfc5769_ipv4), &resp), STUN_OK);
    ck_assert(!stun_txn_request(t, &req, 1000000, 42));
    ck_assert(stun_txn_request(t, &req, 1500000, 43));  /* RTO 500 ms */
    ck_assert(stun_txn_response(t, &resp, 1520000, &match));
    ck_assert_uint_eq(match.method, STUN_METHOD_BINDING);
    ck_assert_uint_eq(match.retransmissions, 1);
    ck_assert_int_eq(match.rtt_us, 20000);
    ck_assert_int_eq(match.rtt_first_us, 520000);
    ck_assert_uint_eq(match.user, 42);
    /* Answered once: a second copy of the response is an orphan. */
    ck_assert(!stun_txn_response(t, &resp, 1530000, &match));
    stun_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.requests, 1);
    ck_assert_uint_eq(st.retransmissions, 1);
    ck_assert_uint_eq(st.answered, 1);
    ck_assert_uint_eq(st.orphan_responses, 1);
    ck_assert_uint_eq(st.unanswered, 0);
    stun_txn_table_free(t);
}
END_TEST

START_TEST(test_txn_expire)
{
    struct stun_txn_table *t = stun_txn_table_new(64, STUN_TXN_TIMEOUT_US);
    struct stun_message m;
    struct stun_txn_match match;
    struct stun_txn_stats st;

    make_msg(&m, 1, STUN_CLASS_REQUEST);
    stun_txn_request(t, &m, 0, 0);
    make_msg(&m, 2, STUN_CLASS_REQUEST);
    stun_txn_request(t, &m, 30000000, 0);
    /* At 41 s only the first has waited more than 40 s. */
    stun_txn_expire(t, 41000000);
    stun_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.unanswered, 1);
    make_msg(&m, 1, STUN_CLASS_SUCCESS);
    ck_assert(!stun_txn_response(t, &m, 41000000, &match));
    make_msg(&m, 2, STUN_CLASS_ERROR);
    ck_assert(stun_txn_response(t, &m, 41000000, &match));
    ck_assert_int_eq(match.rtt_us, 11000000);
    stun_txn_table_free(t);
}
END_TEST

START_TEST(test_txn_bounded)
{
    /* Capacity 4: one bucket of four ways, so every key collides. */
    struct stun_txn_table *t = stun_txn_table_new(4, STUN_TXN_TIMEOUT_US);
    struct stun_message m;
    struct stun_txn_match match;
    struct stun_txn_stats st;
    uint8_t i;

    for (i = 1; i <= 5; i++) {
        make_msg(&m, i, STUN_CLASS_REQUEST);
        stun_txn_request(t, &m, 1000 * i, i);
    }
    stun_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.requests, 5);
    ck_assert_uint_eq(st.evicted, 1);
    /* The oldest (1) went; 2..5 are there. */
    make_msg(&m, 1, STUN_CLASS_SUCCESS);
    ck_assert(!stun_txn_response(t, &m, 10000, &match));
    make_msg(&m, 5, STUN_CLASS_SUCCESS);
    ck_assert(stun_txn_response(t, &m, 10000, &match));
    ck_assert_uint_eq(match.user, 5);
    /* Much later, a new request reuses an expired entry: unanswered, not
     * evicted. */
    make_msg(&m, 6, STUN_CLASS_REQUEST);
    stun_txn_request(t, &m, 100000000, 6);
    make_msg(&m, 7, STUN_CLASS_REQUEST);
    stun_txn_request(t, &m, 100000000, 7);
    stun_txn_get_stats(t, &st);
    ck_assert_uint_eq(st.evicted, 1);
    ck_assert_uint_eq(st.unanswered, 1);
    stun_txn_table_free(t);

    ck_assert_ptr_null(stun_txn_table_new(0, STUN_TXN_TIMEOUT_US));
    stun_txn_table_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_keepalive)
{
    struct stun_keepalive ka;
    struct stun_message req, ok, ind, alloc;

    make_msg(&req, 1, STUN_CLASS_REQUEST);
    make_msg(&ok, 1, STUN_CLASS_SUCCESS);
    make_msg(&ind, 2, STUN_CLASS_INDICATION);
    make_msg(&alloc, 3, STUN_CLASS_REQUEST);
    alloc.method = STUN_METHOD_ALLOCATE;

    stun_keepalive_init(&ka);
    /* Connectivity check, answered. */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 0),
                     STUN_KA_CHECK);
    ck_assert_int_eq(stun_keepalive_classify(&ka, 1, &ok, 50000),
                     STUN_KA_NONE);
    ck_assert(ka.answered);
    /* Consent freshness every 4-6 s. */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 5000000),
                     STUN_KA_CONSENT);
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 9500000),
                     STUN_KA_CONSENT);
    /* Half a second later: a check (e.g. a retransmission). */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 10000000),
                     STUN_KA_CHECK);
    /* 25 s later: a slower keepalive. */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 35000000),
                     STUN_KA_REFRESH);
    /* Indications in the other direction, 15 s apart. */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 1, &ind, 1000000),
                     STUN_KA_INDICATION);
    ck_assert_int_eq(stun_keepalive_classify(&ka, 1, &ind, 16000000),
                     STUN_KA_INDICATION);
    /* Not binding. */
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &alloc, 36000000),
                     STUN_KA_NONE);

    ck_assert_int_eq(ka.max_interval_us[0], 25000000);
    ck_assert_int_eq(ka.max_interval_us[1], 15000000);
    ck_assert_uint_eq(ka.count[STUN_KA_CHECK], 2);
    ck_assert_uint_eq(ka.count[STUN_KA_CONSENT], 2);
    ck_assert_uint_eq(ka.count[STUN_KA_REFRESH], 1);
    ck_assert_uint_eq(ka.count[STUN_KA_INDICATION], 2);
    ck_assert_uint_eq(ka.count[STUN_KA_NONE], 2);
}
END_TEST

START_TEST(test_keepalive_unanswered)
{
    struct stun_keepalive ka;
    struct stun_message req;

    /* Requests every 5 s that nobody answers are checks, not consent. */
    make_msg(&req, 1, STUN_CLASS_REQUEST);
    stun_keepalive_init(&ka);
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 0),
                     STUN_KA_CHECK);
    ck_assert_int_eq(stun_keepalive_classify(&ka, 0, &req, 5000000),
                     STUN_KA_CHECK);
    ck_assert_int_eq(ka.max_interval_us[0], 0);
}
END_TEST

static Suite *stun_suite(void)
{
    Suite *s = suite_create("stun");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_test(tc, test_rfc5769_request);
    tcase_add_test(tc, test_rfc5769_ipv4);
    tcase_add_test(tc, test_rfc5769_ipv6);
    tcase_add_test(tc, test_fingerprint_mismatch);
    tcase_add_test(tc, test_truncations);
    tcase_add_test(tc, test_unknown_attributes);
    tcase_add_test(tc, test_bad_lengths);
    tcase_add_test(tc, test_ignored_after_integrity);
    tcase_add_test(tc, test_error_code);
    tcase_add_test(tc, test_classic_rfc3489);
    tcase_add_test(tc, test_not_stun);
    tcase_add_test(tc, test_type_decoding);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("transactions");
    tcase_add_test(tc, test_txn_match_with_retransmission);
    tcase_add_test(tc, test_txn_expire);
    tcase_add_test(tc, test_txn_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("keepalive");
    tcase_add_test(tc, test_keepalive);
    tcase_add_test(tc, test_keepalive_unanswered);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stun_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
