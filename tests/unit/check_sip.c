/* Unit tests for the SIP message parser, URI helpers and stream framing. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

/* ---- messages ----------------------------------------------------------- */

/* INVITE relayed by a proxy: two Vias (the phone's carries rport and
 * received), quoted display name, SDP body of 213 bytes (RFC 3665 style). */
static const char invite[] =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bK2d4790.1\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK74bf9;rport=5060"
    ";received=203.0.113.7\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@192.168.1.10:5060;transport=udp>\r\n"
    "Record-Route: <sip:proxy.example.com;lr>\r\n"
    "User-Agent: TestPhone/1.0\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 213\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.168.1.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.168.1.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=sendrecv\r\n";

static const char trying[] =
    "SIP/2.0 100 Trying\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK74bf9;rport=5060"
    ";received=203.0.113.7\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char ringing[] =
    "SIP/2.0 180 Ringing\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK74bf9;rport=5060"
    ";received=203.0.113.7\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@198.51.100.20:5060>\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/* 200 OK with a 137-byte SDP answer. */
static const char ok_invite[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK74bf9;rport=5060"
    ";received=203.0.113.7\r\n"
    "Record-Route: <sip:proxy.example.com;lr>\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@198.51.100.20:5060>\r\n"
    "Server: TestPBX 2.3\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 137\r\n"
    "\r\n"
    "v=0\r\n"
    "o=bob 2808844564 2808844564 IN IP4 198.51.100.20\r\n"
    "s=-\r\n"
    "c=IN IP4 198.51.100.20\r\n"
    "t=0 0\r\n"
    "m=audio 3456 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

static const char ack[] =
    "ACK sip:bob@198.51.100.20:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKnashds9;rport\r\n"
    "Max-Forwards: 70\r\n"
    "Route: <sip:proxy.example.com;lr>\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 ACK\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char bye[] =
    "BYE sip:alice@192.168.1.10:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKbye01\r\n"
    "Max-Forwards: 70\r\n"
    "From: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "To: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 231 BYE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char ok_bye[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKbye01\r\n"
    "From: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "To: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 231 BYE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char register1[] =
    "REGISTER sip:registrar.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKnashds7;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sip:alice@example.com>;tag=a73kszlfl\r\n"
    "To: Alice <sip:alice@example.com>\r\n"
    "Call-ID: 1j9FpLxk3uxtm8tn@192.168.1.10\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Contact: <sip:alice@192.168.1.10:5060>;expires=3600\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char unauthorized[] =
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKnashds7;rport=5060"
    ";received=203.0.113.7\r\n"
    "From: Alice <sip:alice@example.com>;tag=a73kszlfl\r\n"
    "To: Alice <sip:alice@example.com>;tag=1410948204\r\n"
    "Call-ID: 1j9FpLxk3uxtm8tn@192.168.1.10\r\n"
    "CSeq: 1 REGISTER\r\n"
    "WWW-Authenticate: Digest realm=\"example.com\", qop=\"auth\", "
    "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\", "
    "stale=FALSE, algorithm=MD5\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char register2[] =
    "REGISTER sip:registrar.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKnashds8;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sip:alice@example.com>;tag=a73kszlfl\r\n"
    "To: Alice <sip:alice@example.com>\r\n"
    "Call-ID: 1j9FpLxk3uxtm8tn@192.168.1.10\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Contact: <sip:alice@192.168.1.10:5060>;expires=3600\r\n"
    "Authorization: Digest username=\"alice\", realm=\"example.com\", "
    "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", "
    "uri=\"sip:registrar.example.com\", "
    "response=\"dfe56131d1958046689d83306477ecc\", qop=auth, "
    "nc=00000001, cnonce=\"0a4f113b\"\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char options[] =
    "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:carol@chicago.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Accept: application/sdp\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/* ---- helpers ------------------------------------------------------------ */

/* A heap copy of exactly the text's length, so that AddressSanitizer sees
 * any read past the end. */
static uint8_t *dup_exact(const char *text, size_t len)
{
    uint8_t *b = malloc(len > 0 ? len : 1);

    ck_assert_ptr_nonnull(b);
    memcpy(b, text, len);
    return b;
}

static enum sip_parse_status parse_text(const char *text, struct sip_msg *m,
                                        uint8_t **buf)
{
    size_t len = strlen(text);

    *buf = dup_exact(text, len);
    return sip_parse(*buf, len, m);
}

static void expect_view(struct sip_str v, const char *want)
{
    ck_assert_msg(v.len == strlen(want) &&
                  (v.len == 0 || memcmp(v.ptr, want, v.len) == 0),
                  "got '%.*s', want '%s'", (int)v.len,
                  v.ptr ? v.ptr : "", want);
}

static void expect_absent(struct sip_str v)
{
    ck_assert_msg(v.len == 0, "got '%.*s', want nothing", (int)v.len,
                  v.ptr ? v.ptr : "");
}

static struct sip_str view(const char *s)
{
    struct sip_str v = { s, strlen(s) };

    return v;
}

/* ---- request and response parsing -------------------------------------- */

START_TEST(test_invite_with_sdp)
{
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(invite, &m, &buf), SIP_PARSE_OK);
    ck_assert(m.is_request);
    expect_view(m.method, "INVITE");
    ck_assert_int_eq(m.method_id, SIP_METHOD_INVITE);
    expect_view(m.version, "SIP/2.0");
    ck_assert_int_eq(m.ruri.scheme, SIP_URI_SIP);
    expect_view(m.ruri.user, "bob");
    expect_view(m.ruri.host, "biloxi.example.com");
    ck_assert_int_eq(m.status_code, 0);

    ck_assert_uint_eq(m.via_count, 2);
    ck_assert(m.via[0].valid);
    expect_view(m.via[0].protocol, "SIP/2.0");
    expect_view(m.via[0].transport, "UDP");
    expect_view(m.via[0].host, "proxy.example.com");
    ck_assert_int_eq(m.via[0].host_kind, SIP_HOST_NAME);
    ck_assert(m.via[0].has_port);
    ck_assert_uint_eq(m.via[0].port, 5060);
    expect_view(m.via[0].branch, "z9hG4bK2d4790.1");
    ck_assert(!m.via[0].has_rport);
    expect_absent(m.via[0].received);
    ck_assert(m.via[1].valid);
    expect_view(m.via[1].host, "192.168.1.10");
    ck_assert_int_eq(m.via[1].host_kind, SIP_HOST_IPV4);
    expect_view(m.via[1].branch, "z9hG4bK74bf9");
    ck_assert(m.via[1].has_rport);
    ck_assert(m.via[1].has_rport_value);
    ck_assert_uint_eq(m.via[1].rport, 5060);
    expect_view(m.via[1].received, "203.0.113.7");
    ck_assert_ptr_eq(sip_msg_top_via(&m), &m.via[0]);

    ck_assert(m.has_from);
    expect_view(m.from.display, "Alice Liddell");
    expect_view(m.from.uri_text, "sip:alice@atlanta.example.com");
    expect_view(m.from.tag, "9fxced76sl");
    ck_assert(m.has_to);
    expect_view(m.to.display, "Bob");
    expect_absent(m.to.tag);
    expect_view(m.call_id, "3848276298220188511@atlanta.example.com");
    ck_assert(m.has_cseq);
    ck_assert_uint_eq(m.cseq, 314159);
    expect_view(m.cseq_method, "INVITE");
    ck_assert_int_eq(m.cseq_method_id, SIP_METHOD_INVITE);

    ck_assert_uint_eq(m.contact_count, 1);
    ck_assert(m.contact[0].uri_valid);
    expect_view(m.contact[0].uri.host, "192.168.1.10");
    ck_assert_uint_eq(m.contact[0].uri.port, 5060);
    expect_view(m.contact[0].uri.params, "transport=udp");
    ck_assert_int_eq(m.contact[0].expires, -1);
    ck_assert_uint_eq(m.record_route_count, 1);
    expect_view(m.record_route[0].uri.host, "proxy.example.com");
    expect_view(m.record_route[0].uri.params, "lr");

    ck_assert_int_eq(m.max_forwards, 69);
    ck_assert_int_eq(m.expires, -1);
    expect_view(m.user_agent, "TestPhone/1.0");
    expect_view(m.content_type, "application/sdp");
    ck_assert_int_eq(m.content_length, 213);
    ck_assert_uint_eq(m.body.len, 213);
    ck_assert_uint_eq(m.body_available, 213);
    ck_assert(memcmp(m.body.ptr, "v=0\r\n", 5) == 0);
    ck_assert_uint_eq(m.msg_len, strlen(invite));
    ck_assert_uint_eq(m.header_len + 213, strlen(invite));
    ck_assert_uint_eq(m.header_count, 12);
    ck_assert_int_eq(m.headers[0].id, SIP_HDR_VIA);
    ck_assert_int_eq(m.headers[11].id, SIP_HDR_CONTENT_LENGTH);
    ck_assert_uint_eq(m.anomalies, 0);
    ck_assert_int_eq(m.bad, SIP_BAD_NONE);
    free(buf);
}
END_TEST

START_TEST(test_responses)
{
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(trying, &m, &buf), SIP_PARSE_OK);
    ck_assert(!m.is_request);
    ck_assert_int_eq(m.status_code, 100);
    expect_view(m.reason, "Trying");
    expect_absent(m.method);
    expect_absent(m.to.tag);
    ck_assert_uint_eq(m.cseq, 314159);
    ck_assert_int_eq(m.cseq_method_id, SIP_METHOD_INVITE);
    ck_assert_uint_eq(m.anomalies, 0);
    free(buf);

    ck_assert_int_eq(parse_text(ringing, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.status_code, 180);
    expect_view(m.reason, "Ringing");
    expect_view(m.to.tag, "8321234356");
    ck_assert_uint_eq(m.contact_count, 1);
    ck_assert_int_eq(m.contact[0].uri.host_kind, SIP_HOST_IPV4);
    free(buf);

    ck_assert_int_eq(parse_text(ok_invite, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.status_code, 200);
    expect_view(m.reason, "OK");
    expect_view(m.server, "TestPBX 2.3");
    ck_assert_int_eq(m.content_length, 137);
    ck_assert_uint_eq(m.body.len, 137);
    ck_assert_uint_eq(m.record_route_count, 1);
    ck_assert_uint_eq(m.msg_len, strlen(ok_invite));
    free(buf);

    ck_assert_int_eq(parse_text(ok_bye, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.cseq_method_id, SIP_METHOD_BYE);
    ck_assert_ptr_null(m.body.ptr);
    ck_assert_uint_eq(m.body.len, 0);
    free(buf);
}
END_TEST

START_TEST(test_ack_and_bye)
{
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(ack, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.method_id, SIP_METHOD_ACK);
    ck_assert_int_eq(m.cseq_method_id, SIP_METHOD_ACK);
    ck_assert(m.via[0].has_rport);
    ck_assert(!m.via[0].has_rport_value);
    ck_assert_uint_eq(m.route_count, 1);
    expect_view(m.route[0].uri_text, "sip:proxy.example.com;lr");
    expect_view(m.ruri.host, "198.51.100.20");
    ck_assert_uint_eq(m.ruri.port, 5060);
    ck_assert_uint_eq(m.anomalies, 0);
    free(buf);

    ck_assert_int_eq(parse_text(bye, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.method_id, SIP_METHOD_BYE);
    expect_view(m.from.tag, "8321234356");
    expect_view(m.to.tag, "9fxced76sl");
    ck_assert_uint_eq(m.cseq, 231);
    free(buf);
}
END_TEST

START_TEST(test_register_and_auth)
{
    struct sip_msg m;
    uint8_t *buf;
    const struct sip_header *h;
    size_t pos = 0;

    ck_assert_int_eq(parse_text(register1, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.method_id, SIP_METHOD_REGISTER);
    ck_assert_int_eq(m.expires, 3600);
    ck_assert_uint_eq(m.contact_count, 1);
    ck_assert_int_eq(m.contact[0].expires, 3600);
    expect_view(m.contact[0].params, "expires=3600");
    expect_absent(m.ruri.user);
    expect_view(m.ruri.host, "registrar.example.com");
    free(buf);

    ck_assert_int_eq(parse_text(unauthorized, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.status_code, 401);
    expect_view(m.reason, "Unauthorized");
    h = sip_msg_find_header(&m, SIP_HDR_WWW_AUTHENTICATE, &pos);
    ck_assert_ptr_nonnull(h);
    ck_assert(strncmp(h->value.ptr, "Digest realm=\"example.com\"", 26) == 0);
    ck_assert(memcmp(h->value.ptr + h->value.len - 13, "algorithm=MD5", 13)
              == 0);
    ck_assert_ptr_null(sip_msg_find_header(&m, SIP_HDR_WWW_AUTHENTICATE,
                                           &pos));
    free(buf);

    ck_assert_int_eq(parse_text(register2, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.cseq, 2);
    expect_view(m.via[0].branch, "z9hG4bKnashds8");
    pos = 0;
    h = sip_msg_find_header(&m, SIP_HDR_AUTHORIZATION, &pos);
    ck_assert_ptr_nonnull(h);
    expect_view(h->name, "Authorization");
    ck_assert_int_eq(m.expires, -1);
    free(buf);
}
END_TEST

START_TEST(test_options_over_tcp)
{
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(options, &m, &buf), SIP_PARSE_OK);
    ck_assert_int_eq(m.method_id, SIP_METHOD_OPTIONS);
    expect_view(m.via[0].transport, "TCP");
    ck_assert(!m.via[0].has_port);
    ck_assert_uint_eq(m.via[0].port, 0);
    expect_absent(m.to.display);
    expect_view(m.to.uri.user, "carol");
    ck_assert_uint_eq(m.header_count, 9);
    ck_assert_int_eq(m.headers[7].id, SIP_HDR_OTHER);
    expect_view(m.headers[7].name, "Accept");
    expect_view(m.headers[7].value, "application/sdp");
    free(buf);
}
END_TEST

START_TEST(test_compact_forms)
{
    static const char text[] =
        "OPTIONS sip:user@example.com SIP/2.0\r\n"
        "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKc1\r\n"
        "f: <sip:caller@example.com>;tag=abc\r\n"
        "T: <sip:user@example.com>\r\n"
        "i: compact-1@10.0.0.1\r\n"
        "CSEQ: 1 OPTIONS\r\n"
        "m: <sip:caller@10.0.0.1>\r\n"
        "k: timer\r\n"
        "c: text/plain\r\n"
        "o: presence\r\n"
        "l: 5\r\n"
        "\r\n"
        "hello";
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.via_count, 1);
    expect_view(m.via[0].branch, "z9hG4bKc1");
    expect_view(m.from.tag, "abc");
    ck_assert(m.has_to);
    expect_view(m.call_id, "compact-1@10.0.0.1");
    ck_assert_uint_eq(m.cseq, 1);
    ck_assert_uint_eq(m.contact_count, 1);
    expect_view(m.content_type, "text/plain");
    ck_assert_int_eq(m.content_length, 5);
    expect_view(m.body, "hello");
    ck_assert_int_eq(m.headers[6].id, SIP_HDR_SUPPORTED);
    ck_assert_int_eq(m.headers[8].id, SIP_HDR_EVENT);
    expect_view(m.headers[8].name, "o");
    ck_assert_uint_eq(m.anomalies, 0);
    free(buf);
}
END_TEST

START_TEST(test_folded_headers)
{
    static const char text[] =
        "INVITE sip:bob@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 10.0.0.1:5060\r\n"
        " ;branch=z9hG4bKfold1\r\n"
        "Subject: I know you're there,\r\n"
        "\tpick up the phone\r\n"
        "From: Alice\r\n"
        "   <sip:alice@example.com>\r\n"
        " ;tag=f1\r\n"
        "To: <sip:bob@example.com>\r\n"
        "Call-ID: fold@10.0.0.1\r\n"
        "CSeq : 1\r\n"
        "  INVITE\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    struct sip_msg m;
    uint8_t *buf;
    struct sip_str subj;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.header_count, 7);
    expect_view(m.via[0].host, "10.0.0.1");
    expect_view(m.via[0].branch, "z9hG4bKfold1");
    expect_view(m.from.display, "Alice");
    expect_view(m.from.uri_text, "sip:alice@example.com");
    expect_view(m.from.tag, "f1");
    ck_assert_uint_eq(m.cseq, 1);
    ck_assert_int_eq(m.cseq_method_id, SIP_METHOD_INVITE);
    ck_assert_int_eq(m.headers[1].id, SIP_HDR_SUBJECT);
    subj = m.headers[1].value;
    ck_assert(memcmp(subj.ptr, "I know you're there,", 20) == 0);
    ck_assert(memcmp(subj.ptr + subj.len - 17, "pick up the phone", 17) == 0);
    ck_assert_uint_eq(m.anomalies, 0);
    free(buf);
}
END_TEST

START_TEST(test_multiple_vias_and_contacts)
{
    static const char text[] =
        "SIP/2.0 200 OK\r\n"
        "Via: SIP/2.0/UDP [2001:db8::10]:5070;branch=z9hG4bKa1"
        ";received=2001:db8::99, SIP / 2.0 / TCP proxy1.example.com"
        ";branch=z9hG4bKb2\r\n"
        "v: SIP/2.0/TLS 198.51.100.1:5061;branch=z9hG4bKc3;maddr=224.2.0.1"
        ";rport\r\n"
        "From: <sip:alice@example.com>;tag=1\r\n"
        "To: <sip:alice@example.com>;tag=2\r\n"
        "Call-ID: multi@example.com\r\n"
        "CSeq: 7 REGISTER\r\n"
        "Contact: <sip:alice@[2001:db8::10]:5070>;expires=120, "
        "\"Second, Desk\" <sip:alice@198.51.100.5>;q=0.5;expires=60\r\n"
        "m: sip:alice@203.0.113.9:5062;expires=30\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    struct sip_msg m;
    uint8_t *buf;
    struct ip_addr a;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.via_count, 3);
    expect_view(m.via[0].host, "2001:db8::10");
    ck_assert_int_eq(m.via[0].host_kind, SIP_HOST_IPV6);
    ck_assert_uint_eq(m.via[0].port, 5070);
    expect_view(m.via[0].received, "2001:db8::99");
    expect_view(m.via[1].protocol, "SIP / 2.0");
    expect_view(m.via[1].transport, "TCP");
    expect_view(m.via[1].host, "proxy1.example.com");
    expect_view(m.via[1].branch, "z9hG4bKb2");
    expect_view(m.via[2].transport, "TLS");
    expect_view(m.via[2].maddr, "224.2.0.1");
    ck_assert(m.via[2].has_rport);
    ck_assert(!m.via[2].has_rport_value);

    ck_assert(!m.contact_star);
    ck_assert_uint_eq(m.contact_count, 3);
    expect_view(m.contact[0].uri.host, "2001:db8::10");
    ck_assert_int_eq(m.contact[0].uri.host_kind, SIP_HOST_IPV6);
    ck_assert_int_eq(m.contact[0].expires, 120);
    expect_view(m.contact[1].display, "Second, Desk");
    expect_view(m.contact[1].uri.host, "198.51.100.5");
    ck_assert_int_eq(m.contact[1].expires, 60);
    expect_view(m.contact[2].uri_text, "sip:alice@203.0.113.9:5062");
    ck_assert_uint_eq(m.contact[2].uri.port, 5062);
    expect_absent(m.contact[2].uri.params);
    ck_assert_int_eq(m.contact[2].expires, 30);
    ck_assert_int_eq(sip_host_to_addr(m.contact[0].uri.host, &a), 0);
    ck_assert_uint_eq(a.family, 6);
    ck_assert_uint_eq(m.anomalies, 0);
    free(buf);
}
END_TEST

START_TEST(test_contact_star_and_ipv6_ruri)
{
    static const char text[] =
        "REGISTER sip:[2001:db8::1]:5080;transport=tcp SIP/2.0\r\n"
        "Via: SIP/2.0/TCP [2001:db8::2];branch=z9hG4bKstar\r\n"
        "From: <sip:alice@example.com>;tag=s1\r\n"
        "To: <sip:alice@example.com>\r\n"
        "Call-ID: star@example.com\r\n"
        "CSeq: 9 REGISTER\r\n"
        "Contact: *\r\n"
        "Expires: 0\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    expect_view(m.ruri.host, "2001:db8::1");
    ck_assert_int_eq(m.ruri.host_kind, SIP_HOST_IPV6);
    ck_assert_uint_eq(m.ruri.port, 5080);
    expect_view(m.ruri.params, "transport=tcp");
    expect_view(m.via[0].host, "2001:db8::2");
    ck_assert(!m.via[0].has_port);
    ck_assert(m.contact_star);
    ck_assert_uint_eq(m.contact_count, 0);
    ck_assert_int_eq(m.expires, 0);
    free(buf);
}
END_TEST

START_TEST(test_line_ends_and_leading_crlf)
{
    static const char lf[] =
        "OPTIONS sip:a@b SIP/2.0\n"
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
        "From: <sip:x@y>;tag=1\n"
        "To: <sip:a@b>\n"
        "Call-ID: lf\n"
        "CSeq: 1 OPTIONS\n"
        "Content-Length: 0\n"
        "\n";
    static const char lead[] =
        "\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n"
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
        "From: <sip:x@y>;tag=1\r\n"
        "To: <sip:a@b>\r\n"
        "Call-ID: lead\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "\r\n";
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(lf, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.anomalies, SIP_ANOM_LF_ONLY);
    expect_view(m.call_id, "lf");
    free(buf);

    /* No Content-Length is legal over UDP: the body is the rest. */
    ck_assert_int_eq(parse_text(lead, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.anomalies,
                      SIP_ANOM_LEADING_CRLF | SIP_ANOM_NO_CONTENT_LENGTH);
    expect_view(m.call_id, "lead");
    ck_assert_uint_eq(m.msg_len, strlen(lead));
    free(buf);
}
END_TEST

START_TEST(test_anomalies)
{
    static const char text[] =
        "INVITE sip:bob@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP\r\n"
        "From: <sip:alice@example.com>;tag=1\r\n"
        "From: <sip:mallory@example.com>;tag=2\r\n"
        "To: <bogus>\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Expires: soon\r\n"
        "Max-Forwards: many\r\n"
        "Content-Length: 0\r\n"
        "\r\n"
        "junk";
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.anomalies,
                      SIP_ANOM_BAD_VIA | SIP_ANOM_DUP_HEADER |
                      SIP_ANOM_BAD_URI | SIP_ANOM_NO_CALL_ID |
                      SIP_ANOM_CSEQ_METHOD | SIP_ANOM_BAD_EXPIRES |
                      SIP_ANOM_BAD_MAX_FORWARDS | SIP_ANOM_BODY_EXTRA);
    expect_view(m.from.tag, "1");
    ck_assert(!m.via[0].valid);
    expect_view(m.via[0].text, "SIP/2.0/UDP");
    ck_assert_uint_eq(m.body_available, 4);
    ck_assert_uint_eq(m.body.len, 0);
    ck_assert_uint_eq(m.msg_len, strlen(text) - 4);
    free(buf);
}
END_TEST

START_TEST(test_truncated_body)
{
    struct sip_msg m;
    size_t cut = strlen(invite) - 113;
    uint8_t *buf = dup_exact(invite, cut);

    ck_assert_int_eq(sip_parse(buf, cut, &m), SIP_PARSE_TRUNCATED);
    ck_assert_int_eq(m.content_length, 213);
    ck_assert_uint_eq(m.body_available, 100);
    ck_assert_uint_eq(m.body.len, 100);
    ck_assert_uint_eq(m.msg_len, strlen(invite));
    expect_view(m.call_id, "3848276298220188511@atlanta.example.com");
    free(buf);
}
END_TEST

/* Every strict prefix of a valid INVITE is incomplete: the parser says so
 * without reading past the end (ASan), and framing waits for more. */
START_TEST(test_every_truncation)
{
    size_t full = strlen(invite), len;
    struct sip_msg *m = malloc(sizeof(*m));

    ck_assert_ptr_nonnull(m);
    for (len = 0; len < full; len++) {
        uint8_t *buf = dup_exact(invite, len);
        size_t n = 99;

        ck_assert_int_eq(sip_parse(buf, len, m), SIP_PARSE_TRUNCATED);
        ck_assert_int_eq(sip_frame(buf, len, &n), SIP_FRAME_NEED_MORE);
        free(buf);
    }
    free(m);
}
END_TEST

START_TEST(test_every_truncation_of_each_message)
{
    static const char *const msgs[] = {
        trying, ringing, ok_invite, ack, bye, ok_bye, register1,
        unauthorized, register2, options,
    };
    struct sip_msg *m = malloc(sizeof(*m));
    size_t i, len;

    ck_assert_ptr_nonnull(m);
    for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        size_t full = strlen(msgs[i]);

        for (len = 0; len <= full; len++) {
            uint8_t *buf = dup_exact(msgs[i], len);

            ck_assert_int_eq(sip_parse(buf, len, m),
                             len == full ? SIP_PARSE_OK : SIP_PARSE_TRUNCATED);
            free(buf);
        }
    }
    free(m);
}
END_TEST

/* ---- malformed input ---------------------------------------------------- */

struct bad_case {
    const char *text;
    enum sip_bad bad;
};

START_TEST(test_malformed_start_lines)
{
    static const struct bad_case cases[] = {
        { "INVITE sip:bob@example.com SIP/3.0x\r\n\r\n", SIP_BAD_VERSION },
        { "INVITE sip:bob@example.com SIP/\r\n\r\n", SIP_BAD_VERSION },
        { "INVITE sip:bob@example.com\r\n\r\n", SIP_BAD_START_LINE },
        { "INVITE  \r\n\r\n", SIP_BAD_START_LINE },
        { "SIP/2.0 20 OK\r\n\r\n", SIP_BAD_STATUS_CODE },
        { "SIP/2.0 999 Weird\r\n\r\n", SIP_BAD_STATUS_CODE },
        { "SIP/2.0 abc OK\r\n\r\n", SIP_BAD_STATUS_CODE },
        { "SIP/2.0 2000 OK\r\n\r\n", SIP_BAD_STATUS_CODE },
        { "SIP/x.0 200 OK\r\n\r\n", SIP_BAD_VERSION },
        { "HTTP/1.1 200 OK\r\n\r\n", SIP_BAD_START_LINE },
        { "GET / HTTP/1.1\r\n\r\n", SIP_BAD_START_LINE },
        { "\x01\x02garbage\r\n\r\n", SIP_BAD_START_LINE },
        { "OPTIONS sip:a@b SIP/2.0\r\nno colon here\r\n\r\n", SIP_BAD_HEADER },
        { "OPTIONS sip:a@b SIP/2.0\r\n folded first\r\n\r\n", SIP_BAD_HEADER },
        { "OPTIONS sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n", SIP_BAD_HEADER },
        { "OPTIONS sip:a@b SIP/2.0\r\nCSeq: OPTIONS\r\n\r\n", SIP_BAD_CSEQ },
        { "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1\r\n\r\n", SIP_BAD_CSEQ },
        { "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 99999999999 OPTIONS\r\n\r\n",
          SIP_BAD_CSEQ },
        { "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: ten\r\n\r\n",
          SIP_BAD_CONTENT_LENGTH },
        { "OPTIONS sip:a@b SIP/2.0\r\nl: 4\r\nContent-Length: 5\r\n\r\nabcde",
          SIP_BAD_CONTENT_LENGTH },
    };
    struct sip_msg m;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t *buf;

        ck_assert_msg(parse_text(cases[i].text, &m, &buf) ==
                      SIP_PARSE_MALFORMED, "case %zu", i);
        ck_assert_msg(m.bad == cases[i].bad, "case %zu: bad %s", i,
                      sip_bad_name(m.bad));
        free(buf);
    }
    ck_assert_str_eq(sip_bad_name(SIP_BAD_CSEQ), "cseq");
    ck_assert_str_eq(sip_parse_status_name(SIP_PARSE_TRUNCATED), "truncated");
}
END_TEST

START_TEST(test_version_anomaly)
{
    static const char text[] =
        "OPTIONS sip:a@b SIP/3.0\r\n"
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
        "From: <sip:x@y>;tag=1\r\n"
        "To: <sip:a@b>\r\n"
        "Call-ID: v3\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    struct sip_msg m;
    uint8_t *buf;

    ck_assert_int_eq(parse_text(text, &m, &buf), SIP_PARSE_OK);
    ck_assert_uint_eq(m.anomalies, SIP_ANOM_VERSION);
    expect_view(m.version, "SIP/3.0");
    free(buf);
}
END_TEST

/* Builds a request with n_via Via headers and n_other filler headers. */
static char *many_headers(size_t n_via, size_t n_other, size_t *len)
{
    static const char head[] = "OPTIONS sip:a@example.com SIP/2.0\r\n";
    static const char via_line[] =
        "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKmany\r\n";
    static const char tail[] =
        "From: <sip:x@example.com>;tag=1\r\n"
        "To: <sip:a@example.com>\r\n"
        "Call-ID: many@example.com\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    size_t cap = sizeof(head) + sizeof(tail) + n_via * sizeof(via_line) +
                 n_other * 40;
    char *s = malloc(cap);
    size_t off = 0, i;

    ck_assert_ptr_nonnull(s);
    off += (size_t)snprintf(s + off, cap - off, "%s", head);
    for (i = 0; i < n_via; i++)
        off += (size_t)snprintf(s + off, cap - off, "%s", via_line);
    for (i = 0; i < n_other; i++)
        off += (size_t)snprintf(s + off, cap - off, "X-Filler-%zu: v\r\n", i);
    off += (size_t)snprintf(s + off, cap - off, "%s", tail);
    *len = off;
    return s;
}

START_TEST(test_ten_thousand_headers)
{
    size_t len;
    char *text = many_headers(5000, 5000, &len);
    struct sip_msg *m = malloc(sizeof(*m));
    uint8_t *buf = dup_exact(text, len);

    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(sip_parse(buf, len, m), SIP_PARSE_OK);
    ck_assert_uint_eq(m->header_count, 10005);
    ck_assert_uint_eq(m->via_count, 5000);
    ck_assert_uint_eq(m->anomalies, SIP_ANOM_HEADERS_DROPPED);
    expect_view(m->via[SIP_MAX_VIAS - 1].branch, "z9hG4bKmany");
    expect_view(m->call_id, "many@example.com");
    ck_assert_uint_eq(m->cseq, 1);
    ck_assert_uint_eq(m->msg_len, len);
    free(buf);
    free(text);
    free(m);
}
END_TEST

/* Ten times more headers still parse well within the test timeout: the
 * work is linear in the message size. */
START_TEST(test_many_headers_linear)
{
    size_t len;
    char *text = many_headers(50000, 50000, &len);
    struct sip_msg *m = malloc(sizeof(*m));
    size_t n = 0;

    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(sip_parse((const uint8_t *)text, len, m), SIP_PARSE_OK);
    ck_assert_uint_eq(m->header_count, 100005);
    ck_assert_int_eq(sip_frame((const uint8_t *)text, len, &n),
                     SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(n, len);
    free(text);
    free(m);
}
END_TEST

/* ---- URIs and parameters ------------------------------------------------ */

START_TEST(test_uri_sip_full)
{
    struct sip_uri u;

    ck_assert_int_eq(sip_uri_parse(view("sip:alice:secret@atlanta.example.com"
                                        ":5061;transport=tcp;lr?subject=hi"),
                                   &u), 0);
    ck_assert_int_eq(u.scheme, SIP_URI_SIP);
    expect_view(u.scheme_text, "sip");
    expect_view(u.user, "alice");
    expect_view(u.password, "secret");
    expect_view(u.host, "atlanta.example.com");
    ck_assert_int_eq(u.host_kind, SIP_HOST_NAME);
    ck_assert(u.has_port);
    ck_assert_uint_eq(u.port, 5061);
    expect_view(u.params, "transport=tcp;lr");
    expect_view(u.headers, "subject=hi");
}
END_TEST

START_TEST(test_uri_variants)
{
    struct sip_uri u;

    ck_assert_int_eq(sip_uri_parse(view("sips:[2001:db8::1]:5061"), &u), 0);
    ck_assert_int_eq(u.scheme, SIP_URI_SIPS);
    expect_absent(u.user);
    expect_view(u.host, "2001:db8::1");
    ck_assert_int_eq(u.host_kind, SIP_HOST_IPV6);
    ck_assert_uint_eq(u.port, 5061);

    ck_assert_int_eq(sip_uri_parse(view("SIP:Bob@192.0.2.4"), &u), 0);
    ck_assert_int_eq(u.scheme, SIP_URI_SIP);
    expect_view(u.user, "Bob");
    ck_assert_int_eq(u.host_kind, SIP_HOST_IPV4);
    ck_assert(!u.has_port);

    ck_assert_int_eq(sip_uri_parse(view("tel:+1-201-555-0123;phone-context"
                                        "=example.com"), &u), 0);
    ck_assert_int_eq(u.scheme, SIP_URI_TEL);
    expect_view(u.user, "+1-201-555-0123");
    expect_view(u.params, "phone-context=example.com");
    expect_absent(u.host);

    /* user-unreserved ';' in the user part (RFC 4694 number portability). */
    ck_assert_int_eq(sip_uri_parse(view("sip:+15551234;npdi;rn=+1555"
                                        "@gw.example.com;user=phone"), &u), 0);
    expect_view(u.user, "+15551234;npdi;rn=+1555");
    expect_view(u.host, "gw.example.com");
    expect_view(u.params, "user=phone");

    ck_assert_int_eq(sip_uri_parse(view("urn:service:sos"), &u), 0);
    ck_assert_int_eq(u.scheme, SIP_URI_OTHER);
    expect_view(u.scheme_text, "urn");

    ck_assert_int_eq(sip_uri_parse(view("  sip:host.example.com  "), &u), 0);
    expect_view(u.host, "host.example.com");
}
END_TEST

START_TEST(test_uri_errors)
{
    static const char *const bad[] = {
        "sip:host:99999", "sip:host:", "sip:host:5x", "sip:[2001:db8::1",
        "sip:[2001:db8::1]x", "sip:[zz::1]", "sip:[192.0.2.1]", "sip:",
        "sip:alice@", "nocolon", "1sip:host", "sip:a@b c", "tel:",
        "sip:a@<b>", "",
    };
    struct sip_uri u;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(sip_uri_parse(view(bad[i]), &u) == -1, "%s", bad[i]);
}
END_TEST

START_TEST(test_params_and_hosts)
{
    struct sip_str p = view("transport=udp;lr; maddr = \"239.1.1.1\" ;TTL=5");
    struct sip_str v;
    struct ip_addr a;

    ck_assert(sip_param_find(p, "transport", &v));
    expect_view(v, "udp");
    ck_assert(sip_param_find(p, "lr", &v));
    expect_absent(v);
    ck_assert(sip_param_find(p, "maddr", &v));
    expect_view(v, "239.1.1.1");
    ck_assert(sip_param_find(p, "ttl", &v));
    expect_view(v, "5");
    ck_assert(!sip_param_find(p, "x", &v));
    ck_assert(!sip_param_find(p, "l", &v));
    ck_assert(!sip_param_find(view(""), "lr", &v));

    ck_assert_int_eq(sip_host_kind_of(view("192.0.2.1")), SIP_HOST_IPV4);
    ck_assert_int_eq(sip_host_kind_of(view("256.1.1.1")), SIP_HOST_NAME);
    ck_assert_int_eq(sip_host_kind_of(view("[::1]")), SIP_HOST_IPV6);
    ck_assert_int_eq(sip_host_kind_of(view("fe80::1")), SIP_HOST_IPV6);
    ck_assert_int_eq(sip_host_kind_of(view("example.com")), SIP_HOST_NAME);
    ck_assert_int_eq(sip_host_kind_of(view("")), SIP_HOST_NONE);

    ck_assert_int_eq(sip_host_to_addr(view("[2001:db8::1]"), &a), 0);
    ck_assert_uint_eq(a.family, 6);
    ck_assert_int_eq(sip_host_to_addr(view("192.0.2.5"), &a), 0);
    ck_assert_uint_eq(a.family, 4);
    ck_assert_uint_eq(a.bytes[3], 5);
    ck_assert_int_eq(sip_host_to_addr(view("example.com"), &a), -1);
    ck_assert_int_eq(sip_host_to_addr(view(""), &a), -1);
}
END_TEST

START_TEST(test_names_and_views)
{
    struct sip_str s = view("  CSeq \t");
    uint64_t n = 7;

    ck_assert_int_eq(sip_method_from(view("INVITE")), SIP_METHOD_INVITE);
    ck_assert_int_eq(sip_method_from(view("invite")), SIP_METHOD_UNKNOWN);
    ck_assert_int_eq(sip_method_from(view("UPDATE")), SIP_METHOD_UPDATE);
    ck_assert_str_eq(sip_method_name(SIP_METHOD_PRACK), "PRACK");
    ck_assert_str_eq(sip_method_name(SIP_METHOD_UNKNOWN), "UNKNOWN");
    ck_assert_int_eq(sip_hdr_from_name(view("CALL-ID")), SIP_HDR_CALL_ID);
    ck_assert_int_eq(sip_hdr_from_name(view("I")), SIP_HDR_CALL_ID);
    ck_assert_int_eq(sip_hdr_from_name(view("x")), SIP_HDR_SESSION_EXPIRES);
    ck_assert_int_eq(sip_hdr_from_name(view("q")), SIP_HDR_OTHER);
    ck_assert_int_eq(sip_hdr_from_name(view("X-Custom")), SIP_HDR_OTHER);
    ck_assert_str_eq(sip_hdr_name(SIP_HDR_RECORD_ROUTE), "Record-Route");

    expect_view(sip_str_trim(s), "CSeq");
    expect_view(sip_str_sub(s, 2, 4), "CS");
    expect_absent(sip_str_sub(s, 5, 20));
    ck_assert_uint_eq(sip_str_find(s, 0, 'S'), 3);
    ck_assert_uint_eq(sip_str_find(s, 4, 'S'), s.len);
    ck_assert(sip_str_eq_ci(sip_str_trim(s), "cseq"));
    ck_assert(!sip_str_eq(sip_str_trim(s), view("cseq")));
    ck_assert_int_eq(sip_str_to_u64(view("65535"), 65535, &n), 0);
    ck_assert_uint_eq(n, 65535);
    ck_assert_int_eq(sip_str_to_u64(view("65536"), 65535, &n), -1);
    ck_assert_int_eq(sip_str_to_u64(view("99999999999999999999999"),
                                    UINT64_MAX, &n), -1);
    ck_assert_int_eq(sip_str_to_u64(view("-1"), 10, &n), -1);
    ck_assert_int_eq(sip_str_to_u64(view(""), 10, &n), -1);
    ck_assert_uint_eq(n, 65535);
}
END_TEST

/* ---- detection and framing ---------------------------------------------- */

static bool looks(const char *s)
{
    size_t len = strlen(s);
    uint8_t *b = dup_exact(s, len);
    bool r = sip_looks_like(b, len);

    free(b);
    return r;
}

START_TEST(test_looks_like)
{
    ck_assert(looks(invite));
    ck_assert(looks(ok_invite));
    ck_assert(looks("SIP/2.0 200"));
    ck_assert(looks("sip/2.0 180 Ringing\r\n"));
    ck_assert(looks("INVITE sip:bo"));
    ck_assert(looks("FOO sip:x@example.com SIP/2.0\r\n"));
    ck_assert(looks("NOTIFY tel:+1555 SIP/2.0\n"));
    ck_assert(!looks(""));
    ck_assert(!looks("SIP/2.0 2x0 OK\r\n"));
    ck_assert(!looks("GET / HTTP/1.1\r\n"));
    ck_assert(!looks("HTTP/1.1 200 OK\r\n"));
    ck_assert(!looks("INVITE sip:x SIP/2.1\r\n"));
    ck_assert(!looks("INVITE  SIP/2.0\r\n"));
    ck_assert(!looks("FOO sip:x@exa"));
    ck_assert(!looks("INVITE http://x"));
    ck_assert(!looks("\x16\x03\x01\x02\x00"));
}
END_TEST

START_TEST(test_keepalives)
{
    ck_assert_int_eq(sip_keepalive_kind((const uint8_t *)"\r\n\r\n", 4),
                     SIP_FRAME_PING);
    ck_assert_int_eq(sip_keepalive_kind((const uint8_t *)"\r\n", 2),
                     SIP_FRAME_PONG);
    ck_assert_int_eq(sip_keepalive_kind((const uint8_t *)"\r\n\r\n\r\n\r\n",
                                        8), SIP_FRAME_PING);
    ck_assert_int_eq(sip_keepalive_kind((const uint8_t *)"\r\n\r", 3),
                     SIP_FRAME_MALFORMED);
    ck_assert_int_eq(sip_keepalive_kind((const uint8_t *)"jak\n", 4),
                     SIP_FRAME_MALFORMED);
    ck_assert_int_eq(sip_keepalive_kind(NULL, 0), SIP_FRAME_MALFORMED);
}
END_TEST

/* A stream segment holding a BYE, a ping, a 200 OK with a body and a
 * pong: each unit comes out in turn, and nothing is left. */
START_TEST(test_frame_several_in_one_segment)
{
    size_t lb = strlen(bye), lo = strlen(ok_invite);
    size_t total = lb + 4 + lo + 2, off = 0, n = 0;
    uint8_t *buf = malloc(total);
    struct sip_msg m;

    ck_assert_ptr_nonnull(buf);
    memcpy(buf, bye, lb);
    memcpy(buf + lb, "\r\n\r\n", 4);
    memcpy(buf + lb + 4, ok_invite, lo);
    memcpy(buf + lb + 4 + lo, "\r\n", 2);

    ck_assert_int_eq(sip_frame(buf, total, &n), SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(n, lb);
    ck_assert_int_eq(sip_parse(buf, n, &m), SIP_PARSE_OK);
    ck_assert_int_eq(m.method_id, SIP_METHOD_BYE);
    off += n;
    ck_assert_int_eq(sip_frame(buf + off, total - off, &n), SIP_FRAME_PING);
    ck_assert_uint_eq(n, 4);
    off += n;
    ck_assert_int_eq(sip_frame(buf + off, total - off, &n), SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(n, lo);
    ck_assert_int_eq(sip_parse(buf + off, n, &m), SIP_PARSE_OK);
    ck_assert_int_eq(m.status_code, 200);
    ck_assert_uint_eq(m.body.len, 137);
    off += n;
    ck_assert_int_eq(sip_frame(buf + off, total - off, &n), SIP_FRAME_PONG);
    ck_assert_uint_eq(n, 2);
    off += n;
    ck_assert_uint_eq(off, total);
    ck_assert_int_eq(sip_frame(buf + off, total - off, &n),
                     SIP_FRAME_NEED_MORE);
    free(buf);
}
END_TEST

/* An INVITE arriving in three segments: cut inside the request line, then
 * inside the body.  The reassembly buffer grows; framing waits until the
 * whole message is there. */
START_TEST(test_frame_across_three_segments)
{
    size_t full = strlen(invite), cuts[3];
    uint8_t *stream = malloc(full);
    size_t have = 0, n = 0, i;
    struct sip_msg m;

    ck_assert_ptr_nonnull(stream);
    cuts[0] = 30;
    cuts[1] = full - 100;
    cuts[2] = full;
    for (i = 0; i < 3; i++) {
        uint8_t *view_buf;

        memcpy(stream + have, invite + have, cuts[i] - have);
        have = cuts[i];
        view_buf = dup_exact((const char *)stream, have);
        ck_assert_int_eq(sip_frame(view_buf, have, &n),
                         i < 2 ? SIP_FRAME_NEED_MORE : SIP_FRAME_MESSAGE);
        free(view_buf);
    }
    ck_assert_uint_eq(n, full);
    ck_assert_int_eq(sip_parse(stream, n, &m), SIP_PARSE_OK);
    ck_assert_uint_eq(m.body.len, 213);
    free(stream);
}
END_TEST

START_TEST(test_frame_errors)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char badcl[] =
        "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: x\r\n\r\nrest";
    static const char nocl[] = "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n"
                               "\r\nOPTIONS";
    size_t n = 0;

    ck_assert_int_eq(sip_frame((const uint8_t *)http, strlen(http), &n),
                     SIP_FRAME_MALFORMED);
    ck_assert_uint_eq(n, 16);
    ck_assert_int_eq(sip_frame((const uint8_t *)badcl, strlen(badcl), &n),
                     SIP_FRAME_MALFORMED);
    ck_assert_uint_eq(n, strlen(badcl) - 4);
    /* No Content-Length on a stream: RFC 3261 section 18.3 requires one;
     * the body is taken as empty. */
    ck_assert_int_eq(sip_frame((const uint8_t *)nocl, strlen(nocl), &n),
                     SIP_FRAME_MESSAGE);
    ck_assert_uint_eq(n, strlen(nocl) - 7);
    ck_assert_int_eq(sip_frame((const uint8_t *)"\x16\x03", 2, &n),
                     SIP_FRAME_MALFORMED);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(sip_frame((const uint8_t *)"\rX", 2, &n),
                     SIP_FRAME_MALFORMED);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(sip_frame((const uint8_t *)"\r\n\r", 3, &n),
                     SIP_FRAME_NEED_MORE);
    ck_assert_int_eq(sip_frame((const uint8_t *)"\r", 1, &n),
                     SIP_FRAME_NEED_MORE);
    ck_assert_int_eq(sip_frame((const uint8_t *)"\r\nINVITE", 8, &n),
                     SIP_FRAME_PONG);
    ck_assert_int_eq(sip_frame((const uint8_t *)"INVITE sip:x", 12, &n),
                     SIP_FRAME_NEED_MORE);
    ck_assert_int_eq(sip_frame((const uint8_t *)"INVITE \x01", 8, &n),
                     SIP_FRAME_MALFORMED);
}
END_TEST

static Suite *sip_suite(void)
{
    Suite *s = suite_create("sip");
    TCase *tc;

    tc = tcase_create("messages");
    tcase_add_test(tc, test_invite_with_sdp);
    tcase_add_test(tc, test_responses);
    tcase_add_test(tc, test_ack_and_bye);
    tcase_add_test(tc, test_register_and_auth);
    tcase_add_test(tc, test_options_over_tcp);
    tcase_add_test(tc, test_compact_forms);
    tcase_add_test(tc, test_folded_headers);
    tcase_add_test(tc, test_multiple_vias_and_contacts);
    tcase_add_test(tc, test_contact_star_and_ipv6_ruri);
    tcase_add_test(tc, test_line_ends_and_leading_crlf);
    tcase_add_test(tc, test_anomalies);
    suite_add_tcase(s, tc);

    tc = tcase_create("robustness");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_truncated_body);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_every_truncation_of_each_message);
    tcase_add_test(tc, test_malformed_start_lines);
    tcase_add_test(tc, test_version_anomaly);
    tcase_add_test(tc, test_ten_thousand_headers);
    tcase_add_test(tc, test_many_headers_linear);
    suite_add_tcase(s, tc);

    tc = tcase_create("uri");
    tcase_add_test(tc, test_uri_sip_full);
    tcase_add_test(tc, test_uri_variants);
    tcase_add_test(tc, test_uri_errors);
    tcase_add_test(tc, test_params_and_hosts);
    tcase_add_test(tc, test_names_and_views);
    suite_add_tcase(s, tc);

    tc = tcase_create("framing");
    tcase_add_test(tc, test_looks_like);
    tcase_add_test(tc, test_keepalives);
    tcase_add_test(tc, test_frame_several_in_one_segment);
    tcase_add_test(tc, test_frame_across_three_segments);
    tcase_add_test(tc, test_frame_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sip_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
