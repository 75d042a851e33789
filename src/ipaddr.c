/* IPv4/IPv6 address values. */
#include "config.h"

#include "ipaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ipaddr_set_v6(struct ip_addr *a, const uint8_t b[16])
{
    memset(a, 0, sizeof(*a));
    a->family = 6;
    memcpy(a->bytes, b, 16);
}

int ipaddr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

/* Dotted quad, as inet_ntop() writes it: the library's version runs
 * sprintf() once per octet, and every flow, message and stream record
 * formats two addresses. */
static void ipaddr_format_v4(const uint8_t b[4], char *buf)
{
    char *p = buf;
    int i;

    for (i = 0; i < 4; i++) {
        unsigned v = b[i];

        if (i > 0)
            *p++ = '.';
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    *p = '\0';
}

const char *ipaddr_format(const struct ip_addr *a, char *buf)
{
    const char *r = NULL;

    if (a->family == 4) {
        ipaddr_format_v4(a->bytes, buf);
        r = buf;
    } else if (a->family == 6)
        r = inet_ntop(AF_INET6, a->bytes, buf, IPADDR_STRLEN);
    if (!r)
        snprintf(buf, IPADDR_STRLEN, "?");
    return buf;
}

const char *ipaddr_format_endpoint(const struct ip_addr *a, uint16_t port,
                                   char *buf, size_t size)
{
    char ip[IPADDR_STRLEN];

    ipaddr_format(a, ip);
    if (a->family == 6)
        snprintf(buf, size, "[%s]:%u", ip, (unsigned)port);
    else
        snprintf(buf, size, "%s:%u", ip, (unsigned)port);
    return buf;
}

int ipaddr_parse(const char *s, struct ip_addr *a)
{
    uint8_t b[16];

    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, s, b) == 1) {
        ipaddr_set_v4(a, b);
        return 0;
    }
    if (inet_pton(AF_INET6, s, b) == 1) {
        ipaddr_set_v6(a, b);
        return 0;
    }
    return -1;
}

static unsigned ipaddr_bits(const struct ip_addr *a)
{
    return a->family == 4 ? 32 : 128;
}

/* True when every bit of a from position len on is zero. */
static bool ipaddr_host_bits_zero(const struct ip_addr *a, unsigned len)
{
    unsigned i;

    for (i = len; i < ipaddr_bits(a); i++)
        if (a->bytes[i / 8] & (0x80u >> (i % 8)))
            return false;
    return true;
}

int ipaddr_parse_prefix(const char *s, struct ip_prefix *p)
{
    char text[IPADDR_STRLEN + 8];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    long len;
    char *end;
    int ret = -1;

    memset(p, 0, sizeof(*p));
    if (alen == 0 || alen >= sizeof(text))
        goto out;
    memcpy(text, s, alen);
    text[alen] = '\0';
    if (ipaddr_parse(text, &p->addr) != 0)
        goto out;
    if (!slash) {
        p->len = (uint8_t)ipaddr_bits(&p->addr);
        ret = 0;
        goto out;
    }
    /* strtol() alone would take "+8", " 8" or an empty string. */
    if (slash[1] < '0' || slash[1] > '9')
        goto out;
    errno = 0;
    len = strtol(slash + 1, &end, 10);
    if (errno || *end != '\0' || len < 0 || len > (long)ipaddr_bits(&p->addr))
        goto out;
    if (!ipaddr_host_bits_zero(&p->addr, (unsigned)len))
        goto out;
    p->len = (uint8_t)len;
    ret = 0;
out:
    if (ret != 0)
        memset(p, 0, sizeof(*p));
    return ret;
}

bool ipaddr_in_prefix(const struct ip_addr *a, const struct ip_prefix *p)
{
    unsigned full = p->len / 8, rest = p->len % 8;
    uint8_t mask;

    /* A prefix built by hand may be longer than its family allows: refuse
     * it rather than compare past the address. */
    if (a->family != p->addr.family || (a->family != 4 && a->family != 6) ||
        p->len > ipaddr_bits(a))
        return false;
    if (memcmp(a->bytes, p->addr.bytes, full) != 0)
        return false;
    if (rest == 0)
        return true;
    mask = (uint8_t)(0xffu << (8 - rest));
    return (a->bytes[full] & mask) == (p->addr.bytes[full] & mask);
}

/* Matches a against a literal prefix of up to four leading bytes. */
static bool ipaddr_v4_in(const struct ip_addr *a, uint32_t net, unsigned len)
{
    uint32_t v, mask;

    if (a->family != 4)
        return false;
    v = (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
        (uint32_t)a->bytes[2] << 8 | a->bytes[3];
    mask = len ? 0xffffffffu << (32 - len) : 0;
    return (v & mask) == net;
}

bool ipaddr_is_rfc1918(const struct ip_addr *a)
{
    return ipaddr_v4_in(a, 0x0a000000u, 8) ||     /* 10.0.0.0/8 */
           ipaddr_v4_in(a, 0xac100000u, 12) ||    /* 172.16.0.0/12 */
           ipaddr_v4_in(a, 0xc0a80000u, 16);      /* 192.168.0.0/16 */
}

bool ipaddr_is_cgnat(const struct ip_addr *a)
{
    return ipaddr_v4_in(a, 0x64400000u, 10);      /* 100.64.0.0/10 */
}

bool ipaddr_is_link_local(const struct ip_addr *a)
{
    if (a->family == 6)
        return a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
    return ipaddr_v4_in(a, 0xa9fe0000u, 16);      /* 169.254.0.0/16 */
}

bool ipaddr_is_ula(const struct ip_addr *a)
{
    return a->family == 6 && (a->bytes[0] & 0xfe) == 0xfc;   /* fc00::/7 */
}

bool ipaddr_is_loopback(const struct ip_addr *a)
{
    static const uint8_t v6_loopback[16] = { [15] = 1 };

    if (a->family == 6)
        return memcmp(a->bytes, v6_loopback, 16) == 0;
    return ipaddr_v4_in(a, 0x7f000000u, 8);
}

bool ipaddr_is_home(const struct ip_addr *a)
{
    return ipaddr_is_rfc1918(a) || ipaddr_is_cgnat(a) ||
           ipaddr_is_link_local(a) || ipaddr_is_ula(a) ||
           ipaddr_is_loopback(a);
}
