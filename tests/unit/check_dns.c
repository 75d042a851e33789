/* Unit tests for DNS parsing and the passive DNS map (dns.h). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "ipaddr.h"

/* A response as a GLL lookup of the Voice JS SDK gets it: the roaming
 * name is a CNAME to an edge, which is a CNAME to a load balancer, which
 * has two addresses.  Offsets in the comments are the pointer targets. */
static const uint8_t gll_response[] = {
    /* 0: header: id 0x1234, QR RD RA NOERROR; qd 1, an 4, ns 0, ar 1 */
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
    /* 12: question name voice-js.roaming.twilio.com */
    0x08, 0x76, 0x6f, 0x69, 0x63, 0x65, 0x2d, 0x6a, 0x73, 0x07, 0x72, 0x6f,
    0x61, 0x6d, 0x69, 0x6e, 0x67, 0x06, 0x74, 0x77, 0x69, 0x6c, 0x69, 0x6f,
    0x03, 0x63, 0x6f, 0x6d, 0x00,
    /* 41: qtype A, qclass IN */
    0x00, 0x01, 0x00, 0x01,
    /* 45: answer 1 owner: pointer to 12 (voice-js.roaming.twilio.com) */
    0xc0, 0x0c,
    /* 47: CNAME, IN, TTL 60, rdlength */
    0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x13,
    /* 57: rdata: voice-js.ashburn + pointer to 29 (twilio.com) */
    0x08, 0x76, 0x6f, 0x69, 0x63, 0x65, 0x2d, 0x6a, 0x73, 0x07, 0x61, 0x73,
    0x68, 0x62, 0x75, 0x72, 0x6e, 0xc0, 0x1d,
    /* 76: answer 2 owner: pointer to 57 (voice-js.ashburn.twilio.com) */
    0xc0, 0x39,
    /* 78: CNAME, IN, TTL 300, rdlength 45 */
    0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x2d,
    /* 88: rdata: public-elb-1234.us-east-1.elb.amazonaws.com */
    0x0f, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0x2d, 0x65, 0x6c, 0x62, 0x2d,
    0x31, 0x32, 0x33, 0x34, 0x09, 0x75, 0x73, 0x2d, 0x65, 0x61, 0x73, 0x74,
    0x2d, 0x31, 0x03, 0x65, 0x6c, 0x62, 0x09, 0x61, 0x6d, 0x61, 0x7a, 0x6f,
    0x6e, 0x61, 0x77, 0x73, 0x03, 0x63, 0x6f, 0x6d, 0x00,
    /* 133: answer 3 owner: pointer to 88 (the ELB name) */
    0xc0, 0x58,
    /* 135: A, IN, TTL 30, rdlength 4 */
    0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04,
    /* 145: 54.172.60.10 */
    0x36, 0xac, 0x3c, 0x0a,
    /* 149: answer 4 owner: pointer to 88 */
    0xc0, 0x58,
    /* 151: A, IN, TTL 30, rdlength 4 */
    0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04,
    /* 161: 54.172.60.11 */
    0x36, 0xac, 0x3c, 0x0b,
    /* 165: additional: OPT (EDNS0), root name, UDP size 1232 */
    0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ------------------------------------------------------------------ */
/* A message builder for the structural tests */

struct mb {
    uint8_t b[2048];
    size_t n;
};

static void mb_put(struct mb *m, const void *p, size_t n)
{
    ck_assert_uint_le(m->n + n, sizeof(m->b));
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void mb_u8(struct mb *m, unsigned v)
{
    uint8_t b = (uint8_t)v;

    mb_put(m, &b, 1);
}

static void mb_u16(struct mb *m, unsigned v)
{
    mb_u8(m, v >> 8);
    mb_u8(m, v);
}

static void mb_u32(struct mb *m, uint32_t v)
{
    mb_u16(m, v >> 16);
    mb_u16(m, v & 0xffff);
}

/* Header with the given counts; flags 0x8180 (response, NOERROR). */
static void mb_header(struct mb *m, unsigned flags, unsigned qd, unsigned an,
                      unsigned ns, unsigned ar)
{
    memset(m, 0, sizeof(*m));
    mb_u16(m, 0xbeef);
    mb_u16(m, flags);
    mb_u16(m, qd);
    mb_u16(m, an);
    mb_u16(m, ns);
    mb_u16(m, ar);
}

/* Uncompressed labels of a dotted name, without the final zero. */
static void mb_labels(struct mb *m, const char *name)
{
    while (*name) {
        size_t len = strcspn(name, ".");

        mb_u8(m, (unsigned)len);
        mb_put(m, name, len);
        name += len;
        if (*name == '.')
            name++;
    }
}

static void mb_name(struct mb *m, const char *name)
{
    mb_labels(m, name);
    mb_u8(m, 0);
}

static void mb_ptr(struct mb *m, size_t target)
{
    mb_u16(m, 0xc000u | (unsigned)target);
}

/* type, class IN, ttl, and an A record's rdata */
static void mb_a(struct mb *m, uint32_t ttl, const uint8_t ip[4])
{
    mb_u16(m, DNS_TYPE_A);
    mb_u16(m, 1);
    mb_u32(m, ttl);
    mb_u16(m, 4);
    mb_put(m, ip, 4);
}

static enum dns_status parse(const struct mb *m, struct dns_message *msg)
{
    return dns_parse(m->b, m->n, msg);
}

static struct ip_addr addr(const char *s)
{
    struct ip_addr a;

    ck_assert_int_eq(ipaddr_parse(s, &a), 0);
    return a;
}

static const char *fmt_addr(const struct ip_addr *a, char *buf)
{
    return ipaddr_format(a, buf);
}

/* ------------------------------------------------------------------ */
/* Parsing */

START_TEST(test_gll_response)
{
    static struct dns_message m;
    char buf[IPADDR_STRLEN];

    ck_assert_int_eq(dns_parse(gll_response, sizeof(gll_response), &m),
                     DNS_OK);
    ck_assert_uint_eq(m.id, 0x1234);
    ck_assert(m.is_response);
    ck_assert(!m.truncated_flag);
    ck_assert_uint_eq(m.opcode, 0);
    ck_assert_uint_eq(m.rcode, DNS_RCODE_NOERROR);
    ck_assert_uint_eq(m.qdcount, 1);
    ck_assert_uint_eq(m.ancount, 4);
    ck_assert_uint_eq(m.arcount, 1);
    ck_assert_str_eq(m.qname, "voice-js.roaming.twilio.com");
    ck_assert_uint_eq(m.qtype, DNS_TYPE_A);
    ck_assert_uint_eq(m.qclass, 1);
    ck_assert_uint_eq(m.n_answers, 4);
    ck_assert_str_eq(m.answers[0].name, "voice-js.roaming.twilio.com");
    ck_assert_uint_eq(m.answers[0].type, DNS_TYPE_CNAME);
    ck_assert_uint_eq(m.answers[0].ttl, 60);
    ck_assert_str_eq(m.answers[0].cname, "voice-js.ashburn.twilio.com");
    ck_assert_str_eq(m.answers[1].name, "voice-js.ashburn.twilio.com");
    ck_assert_str_eq(m.answers[1].cname,
                     "public-elb-1234.us-east-1.elb.amazonaws.com");
    ck_assert_str_eq(m.answers[2].name,
                     "public-elb-1234.us-east-1.elb.amazonaws.com");
    ck_assert_uint_eq(m.answers[2].type, DNS_TYPE_A);
    ck_assert_str_eq(fmt_addr(&m.answers[2].addr, buf), "54.172.60.10");
    ck_assert_str_eq(m.answers[2].cname, "");
    ck_assert_str_eq(fmt_addr(&m.answers[3].addr, buf), "54.172.60.11");
    ck_assert_uint_eq(m.n_answers_other, 0);
    ck_assert(!m.odd_names);
    ck_assert_uint_eq(m.length, sizeof(gll_response));
}
END_TEST

START_TEST(test_every_truncation)
{
    static struct dns_message m;
    size_t len;

    for (len = 0; len < sizeof(gll_response); len++)
        ck_assert_msg(dns_parse(gll_response, len, &m) == DNS_TRUNCATED,
                      "length %zu", len);
    /* What came before the cut stays usable: cut inside the last A. */
    ck_assert_int_eq(dns_parse(gll_response, 163, &m), DNS_TRUNCATED);
    ck_assert_str_eq(m.qname, "voice-js.roaming.twilio.com");
    ck_assert_uint_eq(m.n_answers, 3);
}
END_TEST

START_TEST(test_aaaa_nxdomain_query)
{
    static struct dns_message m;
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x05};
    char buf[IPADDR_STRLEN], rc[16];
    struct mb b;

    /* AAAA answer with the owner compressed to the question */
    mb_header(&b, 0x8180, 1, 1, 0, 0);
    mb_name(&b, "eventgw.twilio.com");
    mb_u16(&b, DNS_TYPE_AAAA);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, DNS_TYPE_AAAA);
    mb_u16(&b, 1);
    mb_u32(&b, 0x80000010u);    /* top bit set: read as 0 (RFC 2181 8) */
    mb_u16(&b, 16);
    mb_put(&b, v6, 16);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_uint_eq(m.answers[0].type, DNS_TYPE_AAAA);
    ck_assert_str_eq(fmt_addr(&m.answers[0].addr, buf), "2001:db8::5");
    ck_assert_uint_eq(m.answers[0].ttl, 0);

    /* NXDOMAIN, with the TC bit */
    mb_header(&b, 0x8383, 1, 0, 0, 0);
    mb_name(&b, "nope.twilio.com");
    mb_u16(&b, DNS_TYPE_A);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_uint_eq(m.rcode, DNS_RCODE_NXDOMAIN);
    ck_assert(m.truncated_flag);
    ck_assert_str_eq(dns_rcode_name(m.rcode, rc), "NXDOMAIN");
    ck_assert_str_eq(dns_rcode_name(DNS_RCODE_SERVFAIL, rc), "SERVFAIL");
    ck_assert_str_eq(dns_rcode_name(9, rc), "rcode 9");

    /* A query: no QR bit, the root name */
    mb_header(&b, 0x0100, 1, 0, 0, 0);
    mb_u8(&b, 0);
    mb_u16(&b, 2);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert(!m.is_response);
    ck_assert_str_eq(m.qname, "");
}
END_TEST

START_TEST(test_other_types_and_overflow)
{
    static struct dns_message m;
    static const uint8_t ip[4] = {192, 0, 2, 1};
    struct mb b;
    unsigned i;

    /* One TXT record, then DNS_ANSWERS_MAX + 3 A records */
    mb_header(&b, 0x8180, 1, DNS_ANSWERS_MAX + 4, 0, 0);
    mb_name(&b, "x.example");
    mb_u16(&b, DNS_TYPE_A);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, 16);             /* TXT */
    mb_u16(&b, 1);
    mb_u32(&b, 5);
    mb_u16(&b, 4);
    mb_put(&b, "\003abc", 4);
    for (i = 0; i < DNS_ANSWERS_MAX + 3; i++) {
        mb_ptr(&b, 12);
        mb_a(&b, 5, ip);
    }
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_uint_eq(m.n_answers_other, 1);
    ck_assert_uint_eq(m.n_answers, DNS_ANSWERS_MAX);
    ck_assert_uint_eq(m.n_answers_dropped, 3);
}
END_TEST

START_TEST(test_odd_labels)
{
    static struct dns_message m;
    struct mb b;

    /* A label holding a dot and a space: "a.b c" as one label */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_u8(&b, 5);
    mb_put(&b, "a.b c", 5);
    mb_name(&b, "example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_str_eq(m.qname, "a?b?c.example");
    ck_assert(m.odd_names);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Compression and its abuse */

START_TEST(test_pointer_loops_refused)
{
    static struct dns_message m;
    struct mb b;

    /* The question name is a pointer to itself (offset 12). */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_ptr(&b, 12);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* A label, then a pointer back into the same name. */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_u8(&b, 1);
    mb_u8(&b, 'a');
    mb_ptr(&b, 12);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* A forward pointer (to offset 20, past the name). */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_ptr(&b, 20);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_name(&b, "x");
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* Two names pointing at each other: the second one's target is
     * earlier, but the first one's then points forward. */
    mb_header(&b, 0x8180, 2, 0, 0, 0);
    mb_u8(&b, 1);
    mb_u8(&b, 'a');
    mb_ptr(&b, 20);             /* forward to the second name */
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_u8(&b, 1);               /* offset 20 */
    mb_u8(&b, 'b');
    mb_ptr(&b, 12);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* A pointer into the header. */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_ptr(&b, 4);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* Reserved label types 0x40 and 0x80. */
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    mb_u8(&b, 0x41);
    mb_u8(&b, 'a');
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);
    b.b[12] = 0x81;
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);
}
END_TEST

/* q questions: q0 = "a", and each next one is one label in front of a
 * pointer to the one before: reading question k takes k jumps. */
static void build_pointer_ladder(struct mb *b, unsigned q)
{
    size_t prev = 12;
    unsigned i;

    mb_header(b, 0x8180, q, 0, 0, 0);
    mb_name(b, "a");
    mb_u16(b, 1);
    mb_u16(b, 1);
    for (i = 1; i < q; i++) {
        size_t here = b->n;

        mb_u8(b, 1);
        mb_u8(b, 'b');
        mb_ptr(b, prev);
        mb_u16(b, 1);
        mb_u16(b, 1);
        prev = here;
    }
}

START_TEST(test_pointer_budget)
{
    static struct dns_message m;
    struct mb b;

    build_pointer_ladder(&b, DNS_MAX_POINTERS + 1);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    build_pointer_ladder(&b, DNS_MAX_POINTERS + 2);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);
}
END_TEST

START_TEST(test_name_length_limit)
{
    static struct dns_message m;
    static char label[64];
    struct mb b;
    unsigned i;

    /* Four 62-byte labels: 4 * 63 + 1 = 253 octets, and then a 1-byte
     * label makes 255 exactly (the limit), a 2-byte one 256. */
    memset(label, 'x', 62);
    mb_header(&b, 0x8180, 1, 0, 0, 0);
    for (i = 0; i < 4; i++) {
        mb_u8(&b, 62);
        mb_put(&b, label, 62);
    }
    mb_u8(&b, 1);
    mb_u8(&b, 'y');
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_uint_eq(strlen(m.qname), 253);

    mb_header(&b, 0x8180, 1, 0, 0, 0);
    for (i = 0; i < 4; i++) {
        mb_u8(&b, 62);
        mb_put(&b, label, 62);
    }
    mb_u8(&b, 2);
    mb_put(&b, "yz", 2);
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);
}
END_TEST

START_TEST(test_bad_rdata)
{
    static struct dns_message m;
    struct mb b;

    /* An A record with 5 bytes of rdata */
    mb_header(&b, 0x8180, 1, 1, 0, 0);
    mb_name(&b, "a.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, DNS_TYPE_A);
    mb_u16(&b, 1);
    mb_u32(&b, 5);
    mb_u16(&b, 5);
    mb_put(&b, "\001\002\003\004\005", 5);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* An AAAA record with 4 */
    mb_header(&b, 0x8180, 1, 1, 0, 0);
    mb_name(&b, "a.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, DNS_TYPE_AAAA);
    mb_u16(&b, 1);
    mb_u32(&b, 5);
    mb_u16(&b, 4);
    mb_put(&b, "\001\002\003\004", 4);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* A CNAME whose name is shorter than its rdata (a stray byte) */
    mb_header(&b, 0x8180, 1, 1, 0, 0);
    mb_name(&b, "a.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, DNS_TYPE_CNAME);
    mb_u16(&b, 1);
    mb_u32(&b, 5);
    mb_u16(&b, 4);
    mb_name(&b, "b");
    mb_u8(&b, 0xff);
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* ... and one whose name runs past its rdata */
    mb_header(&b, 0x8180, 1, 1, 0, 0);
    mb_name(&b, "a.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, DNS_TYPE_CNAME);
    mb_u16(&b, 1);
    mb_u32(&b, 5);
    mb_u16(&b, 2);
    mb_name(&b, "bcd");
    ck_assert_int_eq(parse(&b, &m), DNS_MALFORMED);

    /* Counts that promise more records than there are: truncated */
    mb_header(&b, 0x8180, 1, 2, 0, 0);
    mb_name(&b, "a.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    ck_assert_int_eq(parse(&b, &m), DNS_TRUNCATED);
}
END_TEST

/* ------------------------------------------------------------------ */
/* TCP */

START_TEST(test_tcp_stream)
{
    static uint8_t stream[2 * (2 + sizeof(gll_response)) + 2 + 10];
    static struct dns_message m;
    size_t n = 0, used, off = 0, len;

    /* Two whole messages and the start of a third. */
    stream[n++] = 0;
    stream[n++] = sizeof(gll_response);
    memcpy(stream + n, gll_response, sizeof(gll_response));
    n += sizeof(gll_response);
    stream[n++] = 0;
    stream[n++] = sizeof(gll_response);
    memcpy(stream + n, gll_response, sizeof(gll_response));
    n += sizeof(gll_response);
    stream[n++] = 0;
    stream[n++] = sizeof(gll_response);
    memcpy(stream + n, gll_response, 10);
    n += 10;
    ck_assert_uint_eq(n, sizeof(stream));

    ck_assert_int_eq(dns_parse_tcp(stream, n, &m, &used), DNS_OK);
    ck_assert_uint_eq(used, 2 + sizeof(gll_response));
    ck_assert_str_eq(m.qname, "voice-js.roaming.twilio.com");
    off += used;
    ck_assert_int_eq(dns_parse_tcp(stream + off, n - off, &m, &used),
                     DNS_OK);
    ck_assert_uint_eq(m.n_answers, 4);
    off += used;
    ck_assert_int_eq(dns_parse_tcp(stream + off, n - off, &m, &used),
                     DNS_TRUNCATED);
    ck_assert_uint_eq(used, 0);

    /* Every cut of one framed message waits for more. */
    for (len = 0; len < 2 + sizeof(gll_response); len++) {
        ck_assert_int_eq(dns_parse_tcp(stream, len, &m, &used),
                         DNS_TRUNCATED);
        ck_assert_uint_eq(used, 0);
    }
}
END_TEST

START_TEST(test_tcp_short_frame_is_malformed)
{
    static uint8_t frame[2 + sizeof(gll_response)];
    static struct dns_message m;
    size_t used;

    /* The frame says 100 bytes: the message's own counts run past it. */
    frame[0] = 0;
    frame[1] = 100;
    memcpy(frame + 2, gll_response, sizeof(gll_response));
    ck_assert_int_eq(dns_parse_tcp(frame, sizeof(frame), &m, &used),
                     DNS_MALFORMED);
    ck_assert_uint_eq(used, 102);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Passive DNS map */

#define S(x) ((int64_t)(x) * 1000000)

START_TEST(test_cache_follows_cname_to_question)
{
    struct dns_cache *c = dns_cache_new(100);
    static struct dns_message m;
    struct ip_addr a = addr("54.172.60.10");
    char name[DNS_NAME_MAX];

    ck_assert_int_eq(dns_parse(gll_response, sizeof(gll_response), &m),
                     DNS_OK);
    ck_assert_uint_eq(dns_cache_learn(c, &m, S(1000)), 2);
    ck_assert_uint_eq(dns_cache_count(c), 2);
    ck_assert(dns_cache_lookup(c, &a, S(1000), name));
    ck_assert_str_eq(name, "voice-js.roaming.twilio.com");
    a = addr("54.172.60.11");
    ck_assert(dns_cache_lookup(c, &a, S(1001), name));
    ck_assert_str_eq(name, "voice-js.roaming.twilio.com");
    /* The chain's shortest TTL (30 s, of the A records) plus the grace. */
    ck_assert(dns_cache_lookup(c, &a, S(1000 + 30 + 300), name));
    ck_assert(!dns_cache_lookup(c, &a, S(1000 + 30 + 300) + 1, name));
    /* Capture order: a flow that began before the answer is not it. */
    ck_assert(!dns_cache_lookup(c, &a, S(1000) - 1, name));
    a = addr("54.172.60.12");
    ck_assert(!dns_cache_lookup(c, &a, S(1000), name));
    dns_cache_free(c);
    dns_cache_free(NULL);
}
END_TEST

START_TEST(test_cache_ignores_failures_and_queries)
{
    struct dns_cache *c = dns_cache_new(10);
    static struct dns_message m;
    static uint8_t copy[sizeof(gll_response)];

    memcpy(copy, gll_response, sizeof(copy));
    copy[3] = 0x83;             /* NXDOMAIN */
    ck_assert_int_eq(dns_parse(copy, sizeof(copy), &m), DNS_OK);
    ck_assert_uint_eq(dns_cache_learn(c, &m, S(1)), 0);
    copy[3] = 0x80;
    copy[2] = 0x01;             /* QR clear: a query */
    ck_assert_int_eq(dns_parse(copy, sizeof(copy), &m), DNS_OK);
    ck_assert_uint_eq(dns_cache_learn(c, &m, S(1)), 0);
    ck_assert_uint_eq(dns_cache_count(c), 0);
    dns_cache_free(c);
}
END_TEST

START_TEST(test_cache_chain_heads)
{
    struct dns_cache *c = dns_cache_new(10);
    static struct dns_message m;
    static const uint8_t ip1[4] = {192, 0, 2, 1}, ip2[4] = {192, 0, 2, 2};
    struct ip_addr a;
    char name[DNS_NAME_MAX];
    struct mb b;
    size_t x, y;

    /* Question q.example; answers: A for unrelated.example (no chain to
     * the question: its own name is used), and a CNAME loop x <-> y with
     * an A for x (the walk stops after DNS_MAX_CHAIN steps, on x). */
    mb_header(&b, 0x8180, 1, 4, 0, 0);
    mb_name(&b, "q.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_name(&b, "Unrelated.Example");
    mb_a(&b, 60, ip1);
    x = b.n;
    mb_name(&b, "x.example");
    mb_u16(&b, DNS_TYPE_CNAME);
    mb_u16(&b, 1);
    mb_u32(&b, 60);
    mb_u16(&b, 11);
    y = b.n;
    mb_name(&b, "y.example");
    mb_ptr(&b, y);
    mb_u16(&b, DNS_TYPE_CNAME);
    mb_u16(&b, 1);
    mb_u32(&b, 60);
    mb_u16(&b, 2);
    mb_ptr(&b, x);
    mb_ptr(&b, x);
    mb_a(&b, 60, ip2);
    ck_assert_int_eq(parse(&b, &m), DNS_OK);
    ck_assert_uint_eq(m.n_answers, 4);
    ck_assert_uint_eq(dns_cache_learn(c, &m, S(5)), 2);
    a = addr("192.0.2.1");
    ck_assert(dns_cache_lookup(c, &a, S(5), name));
    ck_assert_str_eq(name, "unrelated.example");
    a = addr("192.0.2.2");
    ck_assert(dns_cache_lookup(c, &a, S(5), name));
    ck_assert_str_eq(name, "x.example");
    dns_cache_free(c);
}
END_TEST

START_TEST(test_cache_replace_and_evict)
{
    struct dns_cache *c = dns_cache_new(3);
    struct ip_addr a1 = addr("192.0.2.1"), a2 = addr("192.0.2.2");
    struct ip_addr a3 = addr("2001:db8::3"), a4 = addr("192.0.2.4");
    char name[DNS_NAME_MAX];

    ck_assert_int_eq(dns_cache_insert(c, &a1, "One.Example.", S(1), 60), 0);
    ck_assert_int_eq(dns_cache_insert(c, &a2, "two.example", S(2), 60), 0);
    ck_assert_int_eq(dns_cache_insert(c, &a3, "three.example", S(3), 60), 0);
    ck_assert(dns_cache_lookup(c, &a1, S(10), name));
    ck_assert_str_eq(name, "one.example");
    /* A newer answer for a1 replaces the name and makes it the newest. */
    ck_assert_int_eq(dns_cache_insert(c, &a1, "uno.example", S(4), 60), 0);
    ck_assert(dns_cache_lookup(c, &a1, S(10), name));
    ck_assert_str_eq(name, "uno.example");
    ck_assert_uint_eq(dns_cache_count(c), 3);
    /* Full: the oldest (a2) goes. */
    ck_assert_int_eq(dns_cache_insert(c, &a4, "four.example", S(5), 60), 0);
    ck_assert_uint_eq(dns_cache_count(c), 3);
    ck_assert_uint_eq(dns_cache_evictions(c), 1);
    ck_assert(!dns_cache_lookup(c, &a2, S(10), name));
    ck_assert(dns_cache_lookup(c, &a3, S(10), name));
    ck_assert_str_eq(name, "three.example");
    ck_assert(dns_cache_lookup(c, &a4, S(10), name));
    ck_assert(dns_cache_lookup(c, &a1, S(10), name));
    /* Then a3, then a1. */
    ck_assert_int_eq(dns_cache_insert(c, &a2, "two.example", S(6), 60), 0);
    ck_assert(!dns_cache_lookup(c, &a3, S(10), name));
    ck_assert_int_eq(dns_cache_insert(c, &a3, "three.example", S(7), 60), 0);
    ck_assert(!dns_cache_lookup(c, &a1, S(10), name));
    ck_assert_uint_eq(dns_cache_evictions(c), 3);
    /* Names that cannot be stored. */
    ck_assert_int_eq(dns_cache_insert(c, &a1, "", S(8), 60), -1);
    ck_assert_int_eq(dns_cache_insert(c, &a1, ".", S(8), 60), -1);
    ck_assert_uint_eq(dns_cache_evictions(c), 3);
    dns_cache_free(c);
}
END_TEST

START_TEST(test_cache_zero_ttl_grace)
{
    struct dns_cache *c = dns_cache_new(0);     /* at least one entry */
    struct ip_addr a = addr("168.86.130.1");
    char name[DNS_NAME_MAX];

    ck_assert_int_eq(dns_cache_insert(c, &a, "n.example", S(100), 0), 0);
    ck_assert(dns_cache_lookup(c, &a, S(100) + DNS_CACHE_GRACE_US, name));
    ck_assert(!dns_cache_lookup(c, &a, S(100) + DNS_CACHE_GRACE_US + 1,
                                name));
    dns_cache_free(c);
}
END_TEST

START_TEST(test_cache_many)
{
    struct dns_cache *c = dns_cache_new(1000);
    char name[DNS_NAME_MAX], want[32];
    struct ip_addr a;
    unsigned i;

    memset(&a, 0, sizeof(a));
    a.family = 4;
    a.bytes[0] = 10;
    for (i = 0; i < 1500; i++) {
        a.bytes[2] = (uint8_t)(i >> 8);
        a.bytes[3] = (uint8_t)i;
        snprintf(want, sizeof(want), "h%u.example", i);
        ck_assert_int_eq(dns_cache_insert(c, &a, want, S(i), 3600), 0);
    }
    ck_assert_uint_eq(dns_cache_count(c), 1000);
    ck_assert_uint_eq(dns_cache_evictions(c), 500);
    for (i = 0; i < 500; i++) {
        a.bytes[2] = (uint8_t)(i >> 8);
        a.bytes[3] = (uint8_t)i;
        ck_assert(!dns_cache_lookup(c, &a, S(2000), name));
    }
    for (i = 500; i < 1500; i++) {
        a.bytes[2] = (uint8_t)(i >> 8);
        a.bytes[3] = (uint8_t)i;
        snprintf(want, sizeof(want), "h%u.example", i);
        ck_assert(dns_cache_lookup(c, &a, S(2000), name));
        ck_assert_str_eq(name, want);
    }
    dns_cache_free(c);
}
END_TEST

static Suite *dns_suite(void)
{
    Suite *s = suite_create("dns");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_gll_response);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_aaaa_nxdomain_query);
    tcase_add_test(tc, test_other_types_and_overflow);
    tcase_add_test(tc, test_odd_labels);
    tcase_add_test(tc, test_bad_rdata);
    suite_add_tcase(s, tc);

    tc = tcase_create("compression");
    tcase_add_test(tc, test_pointer_loops_refused);
    tcase_add_test(tc, test_pointer_budget);
    tcase_add_test(tc, test_name_length_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("tcp");
    tcase_add_test(tc, test_tcp_stream);
    tcase_add_test(tc, test_tcp_short_frame_is_malformed);
    suite_add_tcase(s, tc);

    tc = tcase_create("cache");
    tcase_add_test(tc, test_cache_follows_cname_to_question);
    tcase_add_test(tc, test_cache_ignores_failures_and_queries);
    tcase_add_test(tc, test_cache_chain_heads);
    tcase_add_test(tc, test_cache_replace_and_evict);
    tcase_add_test(tc, test_cache_zero_ttl_grace);
    tcase_add_test(tc, test_cache_many);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dns_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
