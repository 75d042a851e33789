/* Unit tests for the packet decoder: link types, VLAN stacks, tunnels, IPv4
 * and IPv6, TCP, UDP, ICMP, and every truncation of every frame.  Fragment
 * reassembly has its own file (check_frag.c). */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "ipaddr.h"
#include "packet.h"

/* DLT_* numbers as libpcap reports them. */
enum {
    LT_NULL = 0,
    LT_EN10MB = 1,
    LT_RAW = 12,
    LT_LINKTYPE_RAW = 101,
    LT_LOOP = 108,
    LT_LINUX_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_LINUX_SLL2 = 276,
};

/* Checksums in these frames are correct where a real sender would compute
 * them over the bytes shown; the decoder records but does not verify
 * them. */

/* Ethernet, IPv4 (DSCP EF, ECT(1)), TCP SYN with MSS, SACK permitted,
 * timestamps, NOP, window scale. */
static const uint8_t f_eth_tcp_syn[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 60, id 0x4d2e,
     * ttl 63, tos 0xb9, flags 2, offset 0 (x8) */
    0x45, 0xb9, 0x00, 0x3c, 0x4d, 0x2e, 0x40, 0x00, 0x3f, 0x06, 0x01, 0x9e,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 40000 > 443, seq 1000, ack 0, flags [S], win 64240, data offset
     * 10 */
    0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
    0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
    /* TCP options: MSS 1460, SACK permitted, TS val 0x01020304 ecr 0, NOP,
     * WS 7 */
    0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x01, 0x02, 0x03, 0x04,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

/* Ethernet, IPv4, TCP ACK+PSH with two SACK blocks and 5 bytes of data. */
static const uint8_t f_eth_tcp_sack[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 65, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x41, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x4c,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 40000 > 443, seq 2001, ack 3001, flags [AP], win 500, data
     * offset 10 */
    0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x07, 0xd1, 0x00, 0x00, 0x0b, 0xb9,
    0xa0, 0x18, 0x01, 0xf4, 0x00, 0x00, 0x00, 0x00,
    /* TCP options: NOP, NOP, SACK 5000-6000 7000-8000 */
    0x01, 0x01, 0x05, 0x12, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70,
    0x00, 0x00, 0x1b, 0x58, 0x00, 0x00, 0x1f, 0x40,
    /* payload: "hello" */
    0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* Ethernet, IPv4, TCP whose MSS option has length 0. */
static const uint8_t f_tcp_bad_opt[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 44, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x61,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 1 > 2, seq 0, ack 0, flags [A], win 100, data offset 6 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x10, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
    /* TCP options: MSS with length 0 (invalid) */
    0x02, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv4, TCP SYN with window scale 15 (above the RFC 7323
 * maximum). */
static const uint8_t f_tcp_ws15[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 44, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x61,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 1 > 2, seq 0, ack 0, flags [S], win 100, data offset 6 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x02, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
    /* TCP options: WS 15, EOL */
    0x03, 0x03, 0x0f, 0x00,
};

/* Ethernet, IPv4, TCP with data offset 4 (below the 20-byte header). */
static const uint8_t f_tcp_off4[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 40, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x65,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 1 > 2, seq 0, ack 0, flags [A], win 100, data offset 4 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x40, 0x10, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv4, TCP with data offset 15 but only 20 bytes in the IP
 * payload. */
static const uint8_t f_tcp_off15[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 40, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x65,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 1 > 2, seq 0, ack 0, flags [A], win 100, data offset 15 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xf0, 0x10, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, 802.1ad S-tag 100, 802.1Q C-tag 200, IPv4, UDP with 4 bytes. */
static const uint8_t f_qinq_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x88a8 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x88, 0xa8,
    /* 802.1ad tag: VID 100, next type 0x8100 */
    0x00, 0x64, 0x81, 0x00,
    /* 802.1Q tag: VID 200, next type 0x0800 */
    0xa0, 0xc8, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 17, total length 32, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x54, 0x97,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP: 5353 > 5353, length 12 */
    0x14, 0xe9, 0x14, 0xe9, 0x00, 0x0c, 0x00, 0x00,
    /* payload: 4 bytes */
    0xde, 0xad, 0xbe, 0xef,
};

/* Ethernet, pre-standard QinQ tag 0x9100 VID 7, IPv4, UDP. */
static const uint8_t f_vlan9100_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x9100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x91, 0x00,
    /* 802.1Q tag: VID 7, next type 0x0800 */
    0x00, 0x07, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x54, 0x9b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet with four stacked 802.1Q tags (VIDs 1..4), IPv4, UDP: the
 * deepest stack accepted. */
static const uint8_t f_vlan4_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00,
    /* 802.1Q tag: VID 1, next type 0x8100 */
    0x00, 0x01, 0x81, 0x00,
    /* 802.1Q tag: VID 2, next type 0x8100 */
    0x00, 0x02, 0x81, 0x00,
    /* 802.1Q tag: VID 3, next type 0x8100 */
    0x00, 0x03, 0x81, 0x00,
    /* 802.1Q tag: VID 4, next type 0x0800 */
    0x00, 0x04, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x54, 0x9b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet with five stacked 802.1Q tags: one too many. */
static const uint8_t f_vlan5_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00,
    /* 802.1Q tag: VID 1, next type 0x8100 */
    0x00, 0x01, 0x81, 0x00,
    /* 802.1Q tag: VID 2, next type 0x8100 */
    0x00, 0x02, 0x81, 0x00,
    /* 802.1Q tag: VID 3, next type 0x8100 */
    0x00, 0x03, 0x81, 0x00,
    /* 802.1Q tag: VID 4, next type 0x8100 */
    0x00, 0x04, 0x81, 0x00,
    /* 802.1Q tag: VID 5, next type 0x0800 */
    0x00, 0x05, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x54, 0x9b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4 with 8 bytes of options (router alert, 3 NOPs, EOL), UDP
 * with 2 bytes. */
static const uint8_t f_ipv4_opts_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 38, id 0x1234, ttl
     * 64, 8 bytes of options */
    0x47, 0x00, 0x00, 0x26, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xb9, 0x88,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02, 0x94, 0x04, 0x00, 0x00,
    0x01, 0x01, 0x01, 0x00,
    /* UDP: 1000 > 2000, length 10 */
    0x03, 0xe8, 0x07, 0xd0, 0x00, 0x0a, 0x00, 0x00,
    /* payload: 2 bytes */
    0x68, 0x69,
};

/* Ethernet, IPv4 with a record-route option claiming 9 bytes in a 4-byte
 * option area, UDP. */
static const uint8_t f_ipv4_bad_opts_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 32, id 0x1234, ttl
     * 64, 4 bytes of options */
    0x46, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x45, 0x8b,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02, 0x07, 0x09, 0x04, 0x00,
    /* UDP: 1000 > 2000, length 8 */
    0x03, 0xe8, 0x07, 0xd0, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, UDP with 2 bytes, padded to the 60-byte Ethernet minimum. */
static const uint8_t f_eth_padding[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 30, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1e, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x51, 0x96,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1000 > 2000, length 10 */
    0x03, 0xe8, 0x07, 0xd0, 0x00, 0x0a, 0x00, 0x00,
    /* payload: 2 bytes */
    0x6f, 0x6b,
    /* Ethernet padding: 16 bytes, not part of the IP packet */
    0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
    0xee, 0xee, 0xee, 0xee,
};

/* Ethernet, IPv4, TCP with 100 bytes of data, captured with snaplen 64
 * (wire length 154). */
static const uint8_t f_snaplen_cut[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 140, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x8c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x01,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 40000 > 443, seq 1, ack 1, flags [A], win 500, data offset 5 */
    0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x50, 0x10, 0x01, 0xf4, 0x00, 0x00, 0x00, 0x00,
    /* payload: the first 10 of 100 bytes */
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
};

/* Ethernet, IPv4 claiming total length 200 in a complete 46-byte frame,
 * UDP. */
static const uint8_t f_ipv4_total_long[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 200, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0xc8, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x50, 0xec,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 12 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x00,
    /* payload: 4 bytes */
    0x61, 0x62, 0x63, 0x64,
};

/* Ethernet, IPv4 with total length 10, less than its own header. */
static const uint8_t f_ipv4_total_short[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 10, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x0a, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x51, 0xaa,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4 with IHL 4. */
static const uint8_t f_ipv4_ihl4[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: IHL 4 (invalid), total length 28, proto 17 */
    0x44, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv6 (traffic class 0xb8) with hop-by-hop, destination options
 * and routing headers, TCP. */
static const uint8_t f_ipv6_ext_tcp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 0, payload length 60,
     * hop limit 255, traffic class 0xb8 */
    0x6b, 0x80, 0x00, 0x00, 0x00, 0x3c, 0x00, 0xff, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* hop-by-hop options: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options: next 43, length 0, PadN */
    0x2b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* routing: next 6, length 2, type 2, segments left 1, one address */
    0x06, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99,
    /* TCP: 443 > 50000, seq 7, ack 8, flags [A], win 1000, data offset 5 */
    0x01, 0xbb, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08,
    0x50, 0x10, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv6 with nine destination-options headers, UDP. */
static const uint8_t f_ipv6_many_ext[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 60, payload length 80,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x50, 0x3c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* destination options 1: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 2: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 3: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 4: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 5: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 6: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 7: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 8: next 60, length 0, PadN */
    0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* destination options 9: next 17, length 0, PadN */
    0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv6, AH (next 17, 24 bytes), UDP. */
static const uint8_t f_ipv6_ah_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 51, payload length 32,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x33, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* AH: next 17, length 4 (24 bytes), SPI 0x1000, seq 1, ICV */
    0x11, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* UDP: 500 > 4500, length 8 */
    0x01, 0xf4, 0x11, 0x94, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv6, ESP (not decoded: no ports). */
static const uint8_t f_ipv6_esp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 50, payload length 16,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x32, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* ESP: SPI 0x1000, seq 1, 8 bytes of ciphertext */
    0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08,
};

/* Ethernet, IPv6 whose destination-options header claims 16 bytes in an
 * 8-byte payload. */
static const uint8_t f_ipv6_ext_beyond[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 60, payload length 8,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* destination options: next 59, length 1 (16 bytes) */
    0x3b, 0x01, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv6 with payload length 100 in a complete frame holding 8. */
static const uint8_t f_ipv6_plen_long[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::1 > 2001:db8::2, next header 17, payload length 100,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x64, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet type IPv6 carrying a version-4 header. */
static const uint8_t f_ipv6_bad_version[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x51, 0x98,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
    /* padding to 40 bytes of "IPv6" header */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv4, UDP claiming length 100 in a 12-byte IP payload. */
static const uint8_t f_udp_len_long[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 32, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x51, 0x94,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 100 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x64, 0x00, 0x00,
    /* payload: 4 bytes */
    0x61, 0x62, 0x63, 0x64,
};

/* Ethernet, IPv4, UDP claiming length 10 in a 14-byte IP payload. */
static const uint8_t f_udp_len_short[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.1.1.1 > 10.2.2.2, proto 17, total length 34, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x22, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x51, 0x92,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
    /* UDP: 1 > 2, length 10 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00,
    /* payload: 6 bytes */
    0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
};

/* Ethernet, IPv4, ICMP port unreachable quoting IPv4 + the UDP header of a
 * SIP packet. */
static const uint8_t f_icmp_unreach[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 198.51.100.9 > 192.0.2.1, proto 1, total length 56, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x38, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0x7c, 0x53,
    0xc6, 0x33, 0x64, 0x09, 0xc0, 0x00, 0x02, 0x01,
    /* ICMP: type 3 (unreachable), code 3 (port), checksum, unused */
    0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv4: 192.0.2.1 > 198.51.100.9, proto 17, total length 120, id
     * 0x1111, ttl 64 */
    0x45, 0x00, 0x00, 0x78, 0x11, 0x11, 0x00, 0x00, 0x40, 0x11, 0x7d, 0x26,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x09,
    /* quoted UDP: 5060 > 5062, length 108 */
    0x13, 0xc4, 0x13, 0xc6, 0x00, 0x6c, 0x00, 0x00,
};

/* Ethernet, IPv4, ICMP unreachable quoting only an IPv4 header (no
 * transport bytes). */
static const uint8_t f_icmp_unreach_noports[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 198.51.100.9 > 192.0.2.1, proto 1, total length 48, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x30, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0x7c, 0x5b,
    0xc6, 0x33, 0x64, 0x09, 0xc0, 0x00, 0x02, 0x01,
    /* ICMP: type 3 (unreachable), code 1 (host), checksum, unused */
    0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv4: 192.0.2.1 > 198.51.100.9, proto 17, total length 120, id
     * 0x1111, ttl 64 */
    0x45, 0x00, 0x00, 0x78, 0x11, 0x11, 0x00, 0x00, 0x40, 0x11, 0x7d, 0x26,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x09,
};

/* Ethernet, IPv4, ICMP time exceeded quoting an IPv4 header with options
 * and 8 TCP bytes. */
static const uint8_t f_icmp_ttl_tcp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.9.9.9 > 192.0.2.1, proto 1, total length 60, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0x93, 0x7a,
    0x0a, 0x09, 0x09, 0x09, 0xc0, 0x00, 0x02, 0x01,
    /* ICMP: type 11 (time exceeded), code 0, checksum, unused */
    0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv4: 192.0.2.1 > 203.0.113.5, proto 6, total length 84, id
     * 0x1234, ttl 64, 4 bytes of options */
    0x46, 0x00, 0x00, 0x54, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x67, 0x68,
    0xc0, 0x00, 0x02, 0x01, 0xcb, 0x00, 0x71, 0x05, 0x01, 0x01, 0x01, 0x00,
    /* quoted TCP: 40001 > 80, seq 9 */
    0x9c, 0x41, 0x00, 0x50, 0x00, 0x00, 0x00, 0x09,
};

/* Ethernet, IPv4, ICMP echo request with 4 bytes of data. */
static const uint8_t f_icmp_echo[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.9, proto 1, total length 32, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0x7c, 0x6b,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x09,
    /* ICMP: type 8 (echo request), code 0, checksum, id 1, seq 2 */
    0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02,
    /* payload: 4 bytes */
    0x70, 0x69, 0x6e, 0x67,
};

/* Ethernet, IPv6, ICMPv6 port unreachable quoting IPv6 + UDP. */
static const uint8_t f_icmp6_unreach[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::fe > 2001:db8::1, next header 58, payload length 56,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x38, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* ICMPv6: type 1 (unreachable), code 4 (port), checksum, unused */
    0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv6: 2001:db8::1 > 2001:db8::99, next header 17, payload
     * length 40, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x99,
    /* quoted UDP: 40000 > 53, length 40 */
    0x9c, 0x40, 0x00, 0x35, 0x00, 0x28, 0x00, 0x00,
};

/* Ethernet, IPv6, ICMPv6 packet too big quoting IPv6 + destination options
 * + TCP. */
static const uint8_t f_icmp6_too_big[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::fe > 2001:db8::1, next header 58, payload length 64,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x40, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* ICMPv6: type 2 (packet too big), code 0, checksum, MTU 1280 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
    /* quoted IPv6: 2001:db8::1 > 2001:db8::77, next header 60, payload
     * length 1400, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x05, 0x78, 0x3c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x77,
    /* quoted destination options: next 6, length 0, PadN */
    0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* quoted TCP: 40002 > 443, seq 1 */
    0x9c, 0x42, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x01,
};

/* Ethernet, ARP request (not IP). */
static const uint8_t f_arp[] = {
    /* Ethernet: 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, type 0x0806 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06,
    /* ARP: who-has 10.0.0.2 tell 10.0.0.1 */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x02,
};

/* Ethernet, 802.1Q VID 7, IPv4, GRE carrying IPv4, UDP. */
static const uint8_t f_gre_ip[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00,
    /* 802.1Q tag: VID 7, next type 0x0800 */
    0x00, 0x07, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 56, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x38, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x61,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: no options, protocol 0x0800 */
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 192.168.1.10 > 8.8.8.8, proto 17, total length 32, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x96, 0xd7,
    0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
    /* UDP: 5000 > 53, length 12 */
    0x13, 0x88, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
    /* payload: 4 bytes */
    0x64, 0x6e, 0x73, 0x3f,
};

/* Ethernet, IPv4, GRE with key and sequence carrying Ethernet (0x6558),
 * 802.1Q VID 300, IPv4, UDP. */
static const uint8_t f_gre_teb[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 78, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x4e, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x4b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: K and S set, protocol 0x6558, key 0x00000abc, sequence 5 */
    0x30, 0x00, 0x65, 0x58, 0x00, 0x00, 0x0a, 0xbc, 0x00, 0x00, 0x00, 0x05,
    /* Ethernet: 02:00:00:00:00:04 > 02:00:00:00:00:03, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x04,
    0x81, 0x00,
    /* 802.1Q tag: VID 300, next type 0x0800 */
    0x01, 0x2c, 0x08, 0x00,
    /* IPv4: 192.168.1.20 > 192.168.1.1, proto 17, total length 28, id
     * 0x1234, ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xe5, 0x37,
    0xc0, 0xa8, 0x01, 0x14, 0xc0, 0xa8, 0x01, 0x01,
    /* UDP: 67 > 68, length 8 */
    0x00, 0x43, 0x00, 0x44, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, GRE with checksum carrying IPv6, UDP. */
static const uint8_t f_gre_csum_v6[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 76, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x4c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x4d,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: C set, protocol 0x86dd, checksum, reserved1 */
    0x80, 0x00, 0x86, 0xdd, 0x12, 0x34, 0x00, 0x00,
    /* IPv6: 2001:db8:1::1 > 2001:db8:2::2, next header 17, payload length
     * 8, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* UDP: 123 > 123, length 8 */
    0x00, 0x7b, 0x00, 0x7b, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, 802.1Q VID 5, IPv4, GRE (S) 0x88be, ERSPAN type II, untagged
 * Ethernet, IPv4, TCP. */
static const uint8_t f_erspan2[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00,
    /* 802.1Q tag: VID 5, next type 0x0800 */
    0x00, 0x05, 0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 90, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x5a, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x3f,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: S set, protocol 0x88be, sequence 1 */
    0x10, 0x00, 0x88, 0xbe, 0x00, 0x00, 0x00, 0x01,
    /* ERSPAN II: ver 1, VLAN 5, COS 0, En 0, T 0, session 1, index 3 */
    0x10, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
    /* Ethernet: 02:00:00:00:00:06 > 02:00:00:00:00:05, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x06,
    0x08, 0x00,
    /* IPv4: 172.16.0.5 > 172.16.0.6, proto 6, total length 40, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x10, 0x71,
    0xac, 0x10, 0x00, 0x05, 0xac, 0x10, 0x00, 0x06,
    /* TCP: 22 > 50022, seq 1, ack 2, flags [A], win 300, data offset 5 */
    0x00, 0x16, 0xc3, 0x66, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
    0x50, 0x10, 0x01, 0x2c, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv4, GRE (S) 0x22eb, ERSPAN type III with platform subheader,
 * Ethernet, 802.1Q VID 42, IPv6, UDP. */
static const uint8_t f_erspan3[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 118, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x76, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x23,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: S set, protocol 0x22eb, sequence 9 */
    0x10, 0x00, 0x22, 0xeb, 0x00, 0x00, 0x00, 0x09,
    /* ERSPAN III: ver 2, VLAN 0, session 2, timestamp, SGT 0, FT 0
     * (Ethernet), O set */
    0x20, 0x00, 0x00, 0x02, 0x5f, 0x5e, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01,
    /* ERSPAN III platform subheader: platform id 3, port, timestamp */
    0x0c, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    /* Ethernet: 02:00:00:00:00:08 > 02:00:00:00:00:07, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x00, 0x00, 0x00, 0x00, 0x08,
    0x81, 0x00,
    /* 802.1Q tag: VID 42, next type 0x86dd */
    0x00, 0x2a, 0x86, 0xdd,
    /* IPv6: 2001:db8::a > 2001:db8::b, next header 17, payload length 12,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x0b,
    /* UDP: 3478 > 3479, length 12 */
    0x0d, 0x96, 0x0d, 0x97, 0x00, 0x0c, 0x00, 0x00,
    /* payload: 4 bytes */
    0x73, 0x74, 0x75, 0x6e,
};

/* Ethernet, IPv4, GRE without sequence 0x88be (ERSPAN type I), Ethernet,
 * IPv4, UDP. */
static const uint8_t f_erspan1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 66, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x42, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x57,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: no options, protocol 0x88be */
    0x00, 0x00, 0x88, 0xbe,
    /* Ethernet: 02:00:00:00:00:0a > 02:00:00:00:00:09, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
    0x08, 0x00,
    /* IPv4: 192.168.7.1 > 192.168.7.2, proto 17, total length 28, id
     * 0x1234, ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xd9, 0x49,
    0xc0, 0xa8, 0x07, 0x01, 0xc0, 0xa8, 0x07, 0x02,
    /* UDP: 9 > 9, length 8 */
    0x00, 0x09, 0x00, 0x09, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, GRE (S) 0x88be, ERSPAN type II with T set, Ethernet, IPv4
 * (total 540), UDP, the mirrored frame cut after 4 bytes of payload. */
static const uint8_t f_erspan2_cut[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 82, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x52, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x47,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: S set, protocol 0x88be, sequence 2 */
    0x10, 0x00, 0x88, 0xbe, 0x00, 0x00, 0x00, 0x02,
    /* ERSPAN II: ver 1, VLAN 0, T set, session 1, index 0 */
    0x10, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00,
    /* Ethernet: 02:00:00:00:00:0a > 02:00:00:00:00:09, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
    0x08, 0x00,
    /* IPv4: 192.168.7.1 > 192.168.7.2, proto 17, total length 540, id
     * 0x1234, ttl 64 */
    0x45, 0x00, 0x02, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xd7, 0x49,
    0xc0, 0xa8, 0x07, 0x01, 0xc0, 0xa8, 0x07, 0x02,
    /* UDP: 5004 > 5006, length 520 */
    0x13, 0x8c, 0x13, 0x8e, 0x02, 0x08, 0x00, 0x00,
    /* payload: first 4 of 512 bytes */
    0x80, 0x00, 0x00, 0x01,
};

/* Ethernet, IPv4, GRE carrying MPLS (0x8847, not decoded). */
static const uint8_t f_gre_mpls[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x7d,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: no options, protocol 0x8847 */
    0x00, 0x00, 0x88, 0x47,
    /* MPLS: label 16, S, TTL 64 */
    0x00, 0x01, 0x01, 0x40,
};

/* Ethernet, IPv4, enhanced GRE version 1 (PPTP) carrying PPP. */
static const uint8_t f_gre_pptp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 32, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x79,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: K set, version 1, protocol 0x880b, payload length 4, call id 7 */
    0x20, 0x01, 0x88, 0x0b, 0x00, 0x04, 0x00, 0x07,
    /* PPP: 4 bytes */
    0xff, 0x03, 0x00, 0x21,
};

/* Ethernet, then four nested IPv4+GRE layers, then IPv4, UDP: one layer
 * more than decoded. */
static const uint8_t f_gre_deep[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 124, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x7c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x1d,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: protocol 0x0800 */
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.0.1.1 > 10.0.1.2, proto 47, total length 100, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x64, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x52, 0x35,
    0x0a, 0x00, 0x01, 0x01, 0x0a, 0x00, 0x01, 0x02,
    /* GRE: protocol 0x0800 */
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.0.2.1 > 10.0.2.2, proto 47, total length 76, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x4c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x50, 0x4d,
    0x0a, 0x00, 0x02, 0x01, 0x0a, 0x00, 0x02, 0x02,
    /* GRE: protocol 0x0800 */
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.0.3.1 > 10.0.3.2, proto 47, total length 52, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x34, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x4e, 0x65,
    0x0a, 0x00, 0x03, 0x01, 0x0a, 0x00, 0x03, 0x02,
    /* GRE: protocol 0x0800 */
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.0.4.1 > 10.0.4.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x4c, 0x9b,
    0x0a, 0x00, 0x04, 0x01, 0x0a, 0x00, 0x04, 0x02,
    /* UDP: 7 > 7, length 8 */
    0x00, 0x07, 0x00, 0x07, 0x00, 0x08, 0x00, 0x00,
};

/* Linux cooked capture v1 (outgoing... host), IPv4, UDP. */
static const uint8_t f_sll_udp[] = {
    /* SLL: packet type 0 (to us), ARPHRD 1, address length 6, address,
     * protocol 0x0800 */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.3.3.3 > 10.4.4.4, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x4d, 0x90,
    0x0a, 0x03, 0x03, 0x03, 0x0a, 0x04, 0x04, 0x04,
    /* UDP: 4000 > 4001, length 8 */
    0x0f, 0xa0, 0x0f, 0xa1, 0x00, 0x08, 0x00, 0x00,
};

/* Linux cooked capture v1 with an 802.1Q tag VID 10, IPv4, UDP. */
static const uint8_t f_sll_vlan[] = {
    /* SLL: packet type 4 (outgoing), ARPHRD 1, address length 6, address,
     * protocol 0x8100 */
    0x00, 0x04, 0x00, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x81, 0x00,
    /* 802.1Q tag: VID 10, next type 0x0800 */
    0x00, 0x0a, 0x08, 0x00,
    /* IPv4: 10.3.3.3 > 10.4.4.4, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x4d, 0x90,
    0x0a, 0x03, 0x03, 0x03, 0x0a, 0x04, 0x04, 0x04,
    /* UDP: 4000 > 4001, length 8 */
    0x0f, 0xa0, 0x0f, 0xa1, 0x00, 0x08, 0x00, 0x00,
};

/* Linux cooked capture v2, IPv6, UDP. */
static const uint8_t f_sll2_v6[] = {
    /* SLL2: protocol 0x86dd, reserved, ifindex 2, ARPHRD 1, packet type 0,
     * address length 6, address */
    0x86, 0xdd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x06,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    /* IPv6: fe80::1 > ff02::fb, next header 17, payload length 8, hop limit
     * 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0xfe, 0x80, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xfb,
    /* UDP: 5353 > 5353, length 8 */
    0x14, 0xe9, 0x14, 0xe9, 0x00, 0x08, 0x00, 0x00,
};

/* Bare IPv4 (DLT_RAW, LINKTYPE_RAW, DLT_IPV4), UDP. */
static const uint8_t f_raw_v4[] = {
    /* IPv4: 100.64.0.1 > 100.64.0.2, proto 17, total length 28, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xa0, 0x1a,
    0x64, 0x40, 0x00, 0x01, 0x64, 0x40, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Bare IPv6 (DLT_RAW, LINKTYPE_RAW, DLT_IPV6), UDP. */
static const uint8_t f_raw_v6[] = {
    /* IPv6: fd00::1 > fd00::2, next header 17, payload length 8, hop limit
     * 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0xfd, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Bare "IP" with version 5. */
static const uint8_t f_raw_v5[] = {
    /* version 5 header */
    0x50, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
    0x01, 0x01, 0x01, 0x01, 0x02, 0x02, 0x02, 0x02,
};

/* BSD loopback (DLT_NULL), family 2 little-endian, IPv4, UDP. */
static const uint8_t f_null_v4[] = {
    /* NULL: family 2 (AF_INET), little-endian */
    0x02, 0x00, 0x00, 0x00,
    /* IPv4: 127.0.0.1 > 127.0.0.1, proto 17, total length 28, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x6a, 0x9b,
    0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* BSD loopback (DLT_NULL), family 30 (Darwin AF_INET6) big-endian, IPv6,
 * UDP. */
static const uint8_t f_null_v6_30be[] = {
    /* NULL: family 30 (AF_INET6, Darwin), big-endian */
    0x00, 0x00, 0x00, 0x1e,
    /* IPv6: ::1 > ::1, next header 17, payload length 8, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* BSD loopback (DLT_NULL), family 24 (NetBSD/OpenBSD AF_INET6) little-
 * endian, IPv6, UDP. */
static const uint8_t f_null_v6_24[] = {
    /* NULL: family 24 (AF_INET6, NetBSD), little-endian */
    0x18, 0x00, 0x00, 0x00,
    /* IPv6: ::1 > ::1, next header 17, payload length 8, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* BSD loopback (DLT_NULL), family 7 (not IP). */
static const uint8_t f_null_other[] = {
    /* NULL: family 7, little-endian */
    0x07, 0x00, 0x00, 0x00,
    /* data: 8 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* OpenBSD loopback (DLT_LOOP), family 2 big-endian, IPv4, UDP. */
static const uint8_t f_loop_v4[] = {
    /* LOOP: family 2 (AF_INET), big-endian */
    0x00, 0x00, 0x00, 0x02,
    /* IPv4: 127.0.0.1 > 127.0.0.1, proto 17, total length 28, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x6a, 0x9b,
    0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* OpenBSD loopback (DLT_LOOP), family 28 (FreeBSD AF_INET6) big-endian,
 * IPv6, UDP. */
static const uint8_t f_loop_v6[] = {
    /* LOOP: family 28 (AF_INET6, FreeBSD), big-endian */
    0x00, 0x00, 0x00, 0x1c,
    /* IPv6: ::1 > ::1, next header 17, payload length 8, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, PPPoE session 0x0001, PPP IPv4, UDP. */
static const uint8_t f_pppoe_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8864 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x88, 0x64,
    /* PPPoE: ver 1, type 1, code 0, session 1, length 30 */
    0x11, 0x00, 0x00, 0x01, 0x00, 0x1e,
    /* PPP: protocol 0x0021 (IPv4) */
    0x00, 0x21,
    /* IPv4: 100.64.9.9 > 198.51.100.1, proto 17, total length 28, id
     * 0x1234, ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xd1, 0x1f,
    0x64, 0x40, 0x09, 0x09, 0xc6, 0x33, 0x64, 0x01,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, PPPoE session, PPP LCP echo request (not IP). */
static const uint8_t f_pppoe_lcp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8864 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x88, 0x64,
    /* PPPoE: ver 1, type 1, code 0, session 1, length 10 */
    0x11, 0x00, 0x00, 0x01, 0x00, 0x0a,
    /* PPP: protocol 0xc021 (LCP) */
    0xc0, 0x21,
    /* LCP: echo request, id 1, length 8, magic */
    0x09, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
};

/* IEEE 802.3 with LLC/SNAP (OUI 00-00-00) carrying IPv4, UDP. */
static const uint8_t f_snap_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0024 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x24,
    /* LLC: DSAP 0xaa, SSAP 0xaa, UI; SNAP: OUI 00-00-00, type 0x0800 */
    0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,
    /* IPv4: 10.5.5.5 > 10.6.6.6, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x49, 0x88,
    0x0a, 0x05, 0x05, 0x05, 0x0a, 0x06, 0x06, 0x06,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, ESP (not decoded: no ports). */
static const uint8_t f_esp4[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 50, total length 36, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x00, 0x00, 0x40, 0x32, 0x54, 0x72,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* ESP: SPI 0x1000, seq 1, 8 bytes of ciphertext */
    0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08,
};

/* Ethernet, IPv4, ICMP host unreachable quoting an ESP packet (a flow
 * without ports). */
static const uint8_t f_icmp_unreach_esp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 198.51.100.9 > 192.0.2.1, proto 1, total length 56, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x38, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0x7c, 0x53,
    0xc6, 0x33, 0x64, 0x09, 0xc0, 0x00, 0x02, 0x01,
    /* ICMP: type 3 (unreachable), code 1 (host), checksum, unused */
    0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv4: 192.0.2.1 > 198.51.100.9, proto 50, total length 120, id
     * 0x2222, ttl 64 */
    0x45, 0x00, 0x00, 0x78, 0x22, 0x22, 0x00, 0x00, 0x40, 0x32, 0x6b, 0xf4,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x09,
    /* quoted ESP: SPI 0x1000, seq 7 */
    0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x07,
};

/* Ethernet, IPv6, ICMPv6 unreachable quoting a non-first IPv6 fragment (no
 * transport header to quote). */
static const uint8_t f_icmp6_unreach_frag[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::fe > 2001:db8::1, next header 58, payload length 64,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x40, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01,
    /* ICMPv6: type 1 (unreachable), code 3 (address), checksum, unused */
    0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IPv6: 2001:db8::1 > 2001:db8::99, next header 44, payload
     * length 1232, hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x04, 0xd0, 0x2c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x99,
    /* quoted fragment: next 17, offset 181 (x8), M 1, id 0x00000042 */
    0x11, 0x00, 0x05, 0xa9, 0x00, 0x00, 0x00, 0x42,
    /* quoted fragment data: 8 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet, IPv4, GRE (S) 0x22eb, ERSPAN type III with FT 2 (bare IP
 * packet), IPv4, UDP. */
static const uint8_t f_erspan3_ip[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 68, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x44, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x55,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: S set, protocol 0x22eb, sequence 10 */
    0x10, 0x00, 0x22, 0xeb, 0x00, 0x00, 0x00, 0x0a,
    /* ERSPAN III: ver 2, session 2, timestamp, SGT 0, FT 2 (IP), O clear */
    0x20, 0x00, 0x00, 0x02, 0x5f, 0x5e, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00,
    /* IPv4: 192.168.9.1 > 192.168.9.2, proto 17, total length 28, id
     * 0x1234, ttl 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0xd5, 0x49,
    0xc0, 0xa8, 0x09, 0x01, 0xc0, 0xa8, 0x09, 0x02,
    /* UDP: 69 > 69, length 8 */
    0x00, 0x45, 0x00, 0x45, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, GRE (S) 0x88be with an ERSPAN header of version 3. */
static const uint8_t f_erspan2_badver[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 47, total length 50, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x00, 0x00, 0x40, 0x2f, 0x54, 0x67,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* GRE: S set, protocol 0x88be, sequence 3 */
    0x10, 0x00, 0x88, 0xbe, 0x00, 0x00, 0x00, 0x03,
    /* ERSPAN: ver 3 (not type II), session 1, index 0 */
    0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    /* 14 bytes that are not decoded */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00,
};

/* Ethernet, IPv4, TCP with a timestamps option of length 6, then window
 * scale 2. */
static const uint8_t f_tcp_ts_badlen[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.1 > 198.51.100.2, proto 6, total length 52, id 0x1234,
     * ttl 64 */
    0x45, 0x00, 0x00, 0x34, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x7c, 0x59,
    0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
    /* TCP: 1 > 2, seq 0, ack 0, flags [SA], win 100, data offset 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x80, 0x12, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
    /* TCP options: timestamps with length 6 (invalid), WS 2, NOP, EOL,
     * padding */
    0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x02, 0x01, 0x00, 0x00,
};

/* --- harness ----------------------------------------------------------- */

/* One decode on a fresh decoder.  The frame is copied into a heap buffer of
 * exactly caplen bytes so that AddressSanitizer sees any read past it. */
struct run {
    struct decoder *dec;
    uint8_t *copy;
    size_t caplen;
    enum decode_status st;
    struct decoded out;
    struct decode_stats stats;
};

static void run_frame(struct run *r, int linktype, const uint8_t *frame,
                      size_t caplen, size_t wirelen)
{
    struct decoder_config cfg;
    struct pkt pkt;

    memset(r, 0, sizeof(*r));
    decoder_config_defaults(&cfg);
    r->dec = decoder_new(&cfg);
    ck_assert_ptr_nonnull(r->dec);
    r->copy = malloc(caplen + (caplen == 0));
    ck_assert_ptr_nonnull(r->copy);
    memcpy(r->copy, frame, caplen);
    r->caplen = caplen;
    memset(&pkt, 0, sizeof(pkt));
    pkt.data = r->copy;
    pkt.caplen = (uint32_t)caplen;
    pkt.wirelen = (uint32_t)wirelen;
    pkt.ts_us = 1700000000000000LL;
    pkt.num = 1;
    pkt.linktype = linktype;
    /* Garbage first: decode_packet() must overwrite all of it. */
    memset(&r->out, 0xa5, sizeof(r->out));
    r->st = decode_packet(r->dec, &pkt, &r->out);
    decoder_get_stats(r->dec, &r->stats);
}

static void run_done(struct run *r)
{
    decoder_free(r->dec);
    free(r->copy);
    r->dec = NULL;
    r->copy = NULL;
}

/* A whole frame as captured. */
static void run_full(struct run *r, int linktype, const uint8_t *frame,
                     size_t len)
{
    run_frame(r, linktype, frame, len, len);
}

static uint64_t anomalies_total(const struct run *r)
{
    uint64_t n = 0;
    int i;

    for (i = 0; i < DECODE_ANOM_COUNT; i++)
        n += r->stats.anomalies[i];
    return n;
}

/* True when exactly the one counter a moved, by one. */
static bool only_anomaly(const struct run *r, enum decode_anomaly a)
{
    return r->stats.anomalies[a] == 1 && anomalies_total(r) == 1;
}

static bool addr_is(const struct ip_addr *a, const char *text)
{
    struct ip_addr want;

    return ipaddr_parse(text, &want) == 0 && ipaddr_equal(a, &want);
}

/* The payload is the len bytes at offset off of the frame. */
static bool payload_at(const struct run *r, size_t off, uint32_t len)
{
    return r->out.payload_len == len && r->out.payload == r->copy + off;
}

/* Runs a frame (caplen of its wirelen bytes captured) expected to stop at
 * one layer, and checks the status and that only that layer's counter
 * moved. */
static void expect_failure(int linktype, const uint8_t *frame, size_t caplen,
                           size_t wirelen, enum decode_status st,
                           enum decode_anomaly a)
{
    struct run r;

    run_frame(&r, linktype, frame, caplen, wirelen);
    ck_assert_int_eq(r.st, st);
    ck_assert_msg(only_anomaly(&r, a), "expected only %s",
                  decode_anomaly_name(a));
    run_done(&r);
}

/* --- Ethernet, IPv4, TCP ------------------------------------------------ */

START_TEST(test_tcp_syn)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_eth_tcp_syn, sizeof(f_eth_tcp_syn));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(o->vlan, 0);
    ck_assert_uint_eq(o->tunnel_depth, 0);
    ck_assert_uint_eq(o->ip_version, 4);
    ck_assert_uint_eq(o->proto, 6);
    ck_assert_uint_eq(o->dscp, 46);
    ck_assert_uint_eq(o->ecn, 1);
    ck_assert_uint_eq(o->ttl, 63);
    ck_assert_uint_eq(o->ip_id, 0x4d2e);
    ck_assert_uint_eq(o->ip_checksum, 0x019e);
    ck_assert_uint_eq(o->ip_len, 60);
    ck_assert(addr_is(&o->src, "192.0.2.1"));
    ck_assert(addr_is(&o->dst, "198.51.100.2"));
    ck_assert_uint_eq(o->sport, 40000);
    ck_assert_uint_eq(o->dport, 443);
    ck_assert(!o->reassembled);
    ck_assert_uint_eq(o->frame_count, 1);
    ck_assert_uint_eq(o->frame_bytes, 74);
    ck_assert_uint_eq(o->tcp.seq, 1000);
    ck_assert_uint_eq(o->tcp.ack, 0);
    ck_assert_uint_eq(o->tcp.flags, TCP_SYN);
    ck_assert_uint_eq(o->tcp.window, 64240);
    ck_assert_uint_eq(o->tcp.hdr_len, 40);
    ck_assert_uint_eq(o->tcp.mss, 1460);
    ck_assert_int_eq(o->tcp.wscale, 7);
    ck_assert(o->tcp.sack_permitted);
    ck_assert_uint_eq(o->tcp.sack_blocks, 0);
    ck_assert(o->tcp.has_timestamp);
    ck_assert_uint_eq(o->tcp.tsval, 0x01020304);
    ck_assert_uint_eq(o->tcp.tsecr, 0);
    ck_assert(!o->tcp.options_truncated);
    ck_assert_ptr_null(o->payload);
    ck_assert_uint_eq(o->payload_len, 0);
    ck_assert_uint_eq(o->payload_wire_len, 0);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_sack_and_payload)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_eth_tcp_sack, sizeof(f_eth_tcp_sack));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(o->tcp.flags, TCP_PSH | TCP_ACK);
    ck_assert_uint_eq(o->tcp.seq, 2001);
    ck_assert_uint_eq(o->tcp.ack, 3001);
    ck_assert_uint_eq(o->tcp.window, 500);
    ck_assert_uint_eq(o->tcp.sack_blocks, 2);
    ck_assert_uint_eq(o->tcp.sack[0], 5000);
    ck_assert_uint_eq(o->tcp.sack[1], 6000);
    ck_assert_uint_eq(o->tcp.sack[2], 7000);
    ck_assert_uint_eq(o->tcp.sack[3], 8000);
    ck_assert_uint_eq(o->tcp.mss, 0);
    ck_assert_int_eq(o->tcp.wscale, -1);
    ck_assert(!o->tcp.has_timestamp);
    ck_assert(payload_at(&r, 74, 5));
    ck_assert_uint_eq(o->payload_wire_len, 5);
    ck_assert_mem_eq(o->payload, "hello", 5);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_bad_option_counted_header_kept)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_tcp_bad_opt, sizeof(f_tcp_bad_opt));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TCP_BAD_OPTIONS));
    ck_assert_uint_eq(r.out.tcp.mss, 0);
    ck_assert_uint_eq(r.out.sport, 1);
    ck_assert_uint_eq(r.out.dport, 2);
    ck_assert_uint_eq(r.out.tcp.hdr_len, 24);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_known_option_wrong_length)
{
    struct run r;

    /* Counted once; the option after it is still read. */
    run_full(&r, LT_EN10MB, f_tcp_ts_badlen, sizeof(f_tcp_ts_badlen));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TCP_BAD_OPTIONS));
    ck_assert(!r.out.tcp.has_timestamp);
    ck_assert_int_eq(r.out.tcp.wscale, 2);
    ck_assert_uint_eq(r.out.tcp.flags, TCP_SYN | TCP_ACK);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_window_scale_clamped)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_tcp_ws15, sizeof(f_tcp_ws15));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TCP_BAD_OPTIONS));
    ck_assert_int_eq(r.out.tcp.wscale, 14);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_bad_offset)
{
    expect_failure(LT_EN10MB, f_tcp_off4, sizeof(f_tcp_off4),
                   sizeof(f_tcp_off4), DECODE_MALFORMED,
                   DECODE_ANOM_TCP_BAD_OFFSET);
    expect_failure(LT_EN10MB, f_tcp_off15, sizeof(f_tcp_off15),
                   sizeof(f_tcp_off15), DECODE_MALFORMED,
                   DECODE_ANOM_TCP_BAD_OFFSET);
}
END_TEST

START_TEST(test_tcp_options_cut_by_snaplen)
{
    struct run r;
    const struct decoded *o = &r.out;

    /* 60 of 74 bytes: MSS and SACK-permitted made it, the rest did not. */
    run_frame(&r, LT_EN10MB, f_eth_tcp_syn, 60, sizeof(f_eth_tcp_syn));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TCP_TRUNCATED));
    ck_assert(o->tcp.options_truncated);
    ck_assert_uint_eq(o->tcp.flags, TCP_SYN);
    ck_assert_uint_eq(o->tcp.hdr_len, 40);
    ck_assert_uint_eq(o->tcp.mss, 1460);
    ck_assert(o->tcp.sack_permitted);
    ck_assert(!o->tcp.has_timestamp);
    ck_assert_int_eq(o->tcp.wscale, -1);
    ck_assert_uint_eq(o->payload_len, 0);
    ck_assert_uint_eq(o->payload_wire_len, 0);
    ck_assert_uint_eq(o->frame_bytes, 74);
    run_done(&r);
}
END_TEST

START_TEST(test_tcp_fixed_header_cut)
{
    struct run r;

    run_frame(&r, LT_EN10MB, f_eth_tcp_syn, 50, sizeof(f_eth_tcp_syn));
    ck_assert_int_eq(r.st, DECODE_TRUNCATED);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TCP_TRUNCATED));
    run_done(&r);
}
END_TEST

/* --- VLAN -------------------------------------------------------------- */

START_TEST(test_qinq_innermost_vid)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_qinq_udp, sizeof(f_qinq_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.vlan, 200);
    ck_assert_uint_eq(r.out.proto, 17);
    ck_assert_uint_eq(r.out.sport, 5353);
    ck_assert(payload_at(&r, 50, 4));
    ck_assert_mem_eq(r.out.payload, "\xde\xad\xbe\xef", 4);
    run_done(&r);
}
END_TEST

START_TEST(test_vlan_9100)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_vlan9100_udp, sizeof(f_vlan9100_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.vlan, 7);
    run_done(&r);
}
END_TEST

START_TEST(test_vlan_depth_cap)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_vlan4_udp, sizeof(f_vlan4_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.vlan, 4);
    run_done(&r);
    expect_failure(LT_EN10MB, f_vlan5_udp, sizeof(f_vlan5_udp),
                   sizeof(f_vlan5_udp), DECODE_UNSUPPORTED,
                   DECODE_ANOM_VLAN_TOO_DEEP);
}
END_TEST

/* --- IPv4 --------------------------------------------------------------- */

START_TEST(test_ipv4_options_skipped)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_ipv4_opts_udp, sizeof(f_ipv4_opts_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.ip_len, 38);
    ck_assert_uint_eq(r.out.sport, 1000);
    ck_assert_uint_eq(r.out.dport, 2000);
    ck_assert(payload_at(&r, 50, 2));
    run_done(&r);
}
END_TEST

START_TEST(test_ipv4_bad_options_counted)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_ipv4_bad_opts_udp, sizeof(f_ipv4_bad_opts_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_IPV4_BAD_OPTIONS));
    ck_assert_uint_eq(r.out.sport, 1000);
    run_done(&r);
}
END_TEST

START_TEST(test_ethernet_padding_not_payload)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_eth_padding, sizeof(f_eth_padding));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert(payload_at(&r, 42, 2));
    ck_assert_uint_eq(r.out.payload_wire_len, 2);
    ck_assert_mem_eq(r.out.payload, "ok", 2);
    ck_assert_uint_eq(r.out.frame_bytes, 60);
    run_done(&r);
}
END_TEST

START_TEST(test_snaplen_cut_payload)
{
    struct run r;

    run_frame(&r, LT_EN10MB, f_snaplen_cut, sizeof(f_snaplen_cut), 154);
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_PAYLOAD_TRUNCATED));
    ck_assert_uint_eq(r.out.ip_len, 140);
    ck_assert(payload_at(&r, 54, 10));
    ck_assert_uint_eq(r.out.payload_wire_len, 100);
    ck_assert_uint_eq(r.out.frame_bytes, 154);
    run_done(&r);
}
END_TEST

START_TEST(test_ipv4_bad_headers)
{
    /* Claims 200 bytes; the frame was captured whole with 32. */
    expect_failure(LT_EN10MB, f_ipv4_total_long, sizeof(f_ipv4_total_long),
                   sizeof(f_ipv4_total_long), DECODE_MALFORMED,
                   DECODE_ANOM_IPV4_BAD_LENGTH);
    expect_failure(LT_EN10MB, f_ipv4_total_short, sizeof(f_ipv4_total_short),
                   sizeof(f_ipv4_total_short), DECODE_MALFORMED,
                   DECODE_ANOM_IPV4_BAD_LENGTH);
    expect_failure(LT_EN10MB, f_ipv4_ihl4, sizeof(f_ipv4_ihl4),
                   sizeof(f_ipv4_ihl4), DECODE_MALFORMED,
                   DECODE_ANOM_IPV4_BAD_HEADER);
    expect_failure(LT_EN10MB, f_eth_tcp_syn, 30, sizeof(f_eth_tcp_syn),
                   DECODE_TRUNCATED, DECODE_ANOM_IPV4_TRUNCATED);
}
END_TEST

START_TEST(test_esp_is_a_flow_without_ports)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_esp4, sizeof(f_esp4));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_L4_UNSUPPORTED));
    ck_assert_uint_eq(r.out.proto, 50);
    ck_assert_uint_eq(r.out.sport, 0);
    ck_assert_uint_eq(r.out.dport, 0);
    ck_assert(payload_at(&r, 34, 16));
    run_done(&r);
}
END_TEST

/* --- IPv6 --------------------------------------------------------------- */

START_TEST(test_ipv6_extension_chain)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_ipv6_ext_tcp, sizeof(f_ipv6_ext_tcp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(o->ip_version, 6);
    ck_assert_uint_eq(o->proto, 6);
    ck_assert_uint_eq(o->dscp, 46);
    ck_assert_uint_eq(o->ecn, 0);
    ck_assert_uint_eq(o->ttl, 255);
    ck_assert_uint_eq(o->ip_id, 0);
    ck_assert_uint_eq(o->ip_checksum, 0);
    ck_assert_uint_eq(o->ip_len, 100);
    ck_assert(addr_is(&o->src, "2001:db8::1"));
    ck_assert(addr_is(&o->dst, "2001:db8::2"));
    ck_assert_uint_eq(o->sport, 443);
    ck_assert_uint_eq(o->dport, 50000);
    ck_assert_uint_eq(o->tcp.flags, TCP_ACK);
    run_done(&r);
}
END_TEST

START_TEST(test_ipv6_ah_then_udp)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_ipv6_ah_udp, sizeof(f_ipv6_ah_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.proto, 17);
    ck_assert_uint_eq(r.out.sport, 500);
    ck_assert_uint_eq(r.out.dport, 4500);
    run_done(&r);
}
END_TEST

START_TEST(test_ipv6_esp_stops_chain)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_ipv6_esp, sizeof(f_ipv6_esp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_L4_UNSUPPORTED));
    ck_assert_uint_eq(r.out.proto, 50);
    ck_assert_uint_eq(r.out.sport, 0);
    ck_assert(payload_at(&r, 54, 16));
    run_done(&r);
}
END_TEST

START_TEST(test_ipv6_bad_headers)
{
    expect_failure(LT_EN10MB, f_ipv6_many_ext, sizeof(f_ipv6_many_ext),
                   sizeof(f_ipv6_many_ext), DECODE_UNSUPPORTED,
                   DECODE_ANOM_IPV6_TOO_MANY_EXT);
    expect_failure(LT_EN10MB, f_ipv6_ext_beyond, sizeof(f_ipv6_ext_beyond),
                   sizeof(f_ipv6_ext_beyond), DECODE_MALFORMED,
                   DECODE_ANOM_IPV6_BAD_EXT);
    expect_failure(LT_EN10MB, f_ipv6_plen_long, sizeof(f_ipv6_plen_long),
                   sizeof(f_ipv6_plen_long), DECODE_MALFORMED,
                   DECODE_ANOM_IPV6_BAD_LENGTH);
    expect_failure(LT_EN10MB, f_ipv6_bad_version, sizeof(f_ipv6_bad_version),
                   sizeof(f_ipv6_bad_version), DECODE_MALFORMED,
                   DECODE_ANOM_IPV6_BAD_HEADER);
    /* The routing header is cut by the snaplen, not malformed. */
    expect_failure(LT_EN10MB, f_ipv6_ext_tcp, 80, sizeof(f_ipv6_ext_tcp),
                   DECODE_TRUNCATED, DECODE_ANOM_IPV6_TRUNCATED);
}
END_TEST

/* --- UDP ---------------------------------------------------------------- */

START_TEST(test_udp_length_longer_than_ip)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_udp_len_long, sizeof(f_udp_len_long));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_UDP_BAD_LENGTH));
    ck_assert(payload_at(&r, 42, 4));
    ck_assert_uint_eq(r.out.payload_wire_len, 4);
    run_done(&r);
}
END_TEST

START_TEST(test_udp_length_shorter_than_ip)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_udp_len_short, sizeof(f_udp_len_short));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_UDP_BAD_LENGTH));
    ck_assert(payload_at(&r, 42, 2));
    ck_assert_uint_eq(r.out.payload_wire_len, 2);
    run_done(&r);
}
END_TEST

START_TEST(test_udp_header_cut)
{
    expect_failure(LT_EN10MB, f_qinq_udp, 44, sizeof(f_qinq_udp),
                   DECODE_TRUNCATED, DECODE_ANOM_UDP_TRUNCATED);
}
END_TEST

/* --- ICMP --------------------------------------------------------------- */

START_TEST(test_icmp_unreachable_quote)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    run_full(&r, LT_EN10MB, f_icmp_unreach, sizeof(f_icmp_unreach));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.proto, 1);
    ck_assert_uint_eq(r.out.sport, 0);
    ck_assert_uint_eq(r.out.dport, 0);
    ck_assert_uint_eq(ic->type, 3);
    ck_assert_uint_eq(ic->code, 3);
    ck_assert(ic->is_error);
    ck_assert(ic->has_quote);
    ck_assert_uint_eq(ic->q_ip_version, 4);
    ck_assert_uint_eq(ic->q_proto, 17);
    ck_assert(addr_is(&ic->q_src, "192.0.2.1"));
    ck_assert(addr_is(&ic->q_dst, "198.51.100.9"));
    ck_assert_uint_eq(ic->q_sport, 5060);
    ck_assert_uint_eq(ic->q_dport, 5062);
    ck_assert(payload_at(&r, 42, 28));
    run_done(&r);
}
END_TEST

START_TEST(test_icmp_quote_without_ports)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_icmp_unreach_noports,
             sizeof(f_icmp_unreach_noports));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_ICMP_BAD_QUOTE));
    ck_assert(r.out.icmp.is_error);
    ck_assert(!r.out.icmp.has_quote);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp_quote_cut_by_snaplen)
{
    struct run r;

    /* The quoted UDP ports are beyond the snaplen: no quote, and only the
     * cut payload is counted. */
    run_frame(&r, LT_EN10MB, f_icmp_unreach, 64, sizeof(f_icmp_unreach));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_PAYLOAD_TRUNCATED));
    ck_assert(r.out.icmp.is_error);
    ck_assert(!r.out.icmp.has_quote);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp_time_exceeded_quote_with_options)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    run_full(&r, LT_EN10MB, f_icmp_ttl_tcp, sizeof(f_icmp_ttl_tcp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(ic->type, 11);
    ck_assert(ic->is_error);
    ck_assert(ic->has_quote);
    ck_assert_uint_eq(ic->q_proto, 6);
    ck_assert(addr_is(&ic->q_src, "192.0.2.1"));
    ck_assert(addr_is(&ic->q_dst, "203.0.113.5"));
    ck_assert_uint_eq(ic->q_sport, 40001);
    ck_assert_uint_eq(ic->q_dport, 80);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp_echo_not_error)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_icmp_echo, sizeof(f_icmp_echo));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.icmp.type, 8);
    ck_assert(!r.out.icmp.is_error);
    ck_assert(!r.out.icmp.has_quote);
    ck_assert(payload_at(&r, 42, 4));
    ck_assert_mem_eq(r.out.payload, "ping", 4);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp6_unreachable_quote)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    run_full(&r, LT_EN10MB, f_icmp6_unreach, sizeof(f_icmp6_unreach));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.proto, 58);
    ck_assert_uint_eq(ic->type, 1);
    ck_assert_uint_eq(ic->code, 4);
    ck_assert(ic->is_error);
    ck_assert(ic->has_quote);
    ck_assert_uint_eq(ic->q_ip_version, 6);
    ck_assert_uint_eq(ic->q_proto, 17);
    ck_assert(addr_is(&ic->q_src, "2001:db8::1"));
    ck_assert(addr_is(&ic->q_dst, "2001:db8::99"));
    ck_assert_uint_eq(ic->q_sport, 40000);
    ck_assert_uint_eq(ic->q_dport, 53);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp6_too_big_quote_through_ext)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    run_full(&r, LT_EN10MB, f_icmp6_too_big, sizeof(f_icmp6_too_big));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(ic->type, 2);
    ck_assert(ic->is_error);
    ck_assert(ic->has_quote);
    ck_assert_uint_eq(ic->q_proto, 6);
    ck_assert(addr_is(&ic->q_dst, "2001:db8::77"));
    ck_assert_uint_eq(ic->q_sport, 40002);
    ck_assert_uint_eq(ic->q_dport, 443);
    run_done(&r);
}
END_TEST

START_TEST(test_icmp_quote_of_portless_protocol)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    run_full(&r, LT_EN10MB, f_icmp_unreach_esp, sizeof(f_icmp_unreach_esp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert(ic->has_quote);
    ck_assert_uint_eq(ic->q_proto, 50);
    ck_assert_uint_eq(ic->q_sport, 0);
    ck_assert_uint_eq(ic->q_dport, 0);
    ck_assert(addr_is(&ic->q_src, "192.0.2.1"));
    run_done(&r);
}
END_TEST

START_TEST(test_icmp6_quote_of_later_fragment)
{
    struct run r;
    const struct decoded_icmp *ic = &r.out.icmp;

    /* No transport header in the quote: no quote, but nothing wrong. */
    run_full(&r, LT_EN10MB, f_icmp6_unreach_frag,
             sizeof(f_icmp6_unreach_frag));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert(ic->is_error);
    ck_assert(!ic->has_quote);
    ck_assert_uint_eq(ic->q_proto, 17);
    run_done(&r);
}
END_TEST

/* --- not IP ------------------------------------------------------------- */

START_TEST(test_arp_not_ip)
{
    expect_failure(LT_EN10MB, f_arp, sizeof(f_arp), sizeof(f_arp),
                   DECODE_NOT_IP, DECODE_ANOM_NON_IP);
}
END_TEST

/* --- tunnels ------------------------------------------------------------ */

START_TEST(test_gre_ipv4_keeps_outer_vlan)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_gre_ip, sizeof(f_gre_ip));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(o->tunnel_depth, 1);
    /* No inner Ethernet: the IP packet rode in the tagged outer frame. */
    ck_assert_uint_eq(o->vlan, 7);
    ck_assert(addr_is(&o->src, "192.168.1.10"));
    ck_assert(addr_is(&o->dst, "8.8.8.8"));
    ck_assert_uint_eq(o->proto, 17);
    ck_assert_uint_eq(o->sport, 5000);
    ck_assert_uint_eq(o->dport, 53);
    ck_assert(payload_at(&r, 70, 4));
    ck_assert_uint_eq(o->frame_bytes, sizeof(f_gre_ip));
    run_done(&r);
}
END_TEST

START_TEST(test_gre_teb_inner_vlan)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_gre_teb, sizeof(f_gre_teb));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    ck_assert_uint_eq(r.out.vlan, 300);
    ck_assert(addr_is(&r.out.src, "192.168.1.20"));
    ck_assert_uint_eq(r.out.sport, 67);
    run_done(&r);
}
END_TEST

START_TEST(test_gre_checksum_ipv6)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_gre_csum_v6, sizeof(f_gre_csum_v6));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    ck_assert_uint_eq(r.out.ip_version, 6);
    ck_assert(addr_is(&r.out.src, "2001:db8:1::1"));
    ck_assert_uint_eq(r.out.sport, 123);
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_type2)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_erspan2, sizeof(f_erspan2));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    /* The mirrored frame is untagged: the outer VID 5 is not its VLAN. */
    ck_assert_uint_eq(r.out.vlan, 0);
    ck_assert(addr_is(&r.out.src, "172.16.0.5"));
    ck_assert_uint_eq(r.out.proto, 6);
    ck_assert_uint_eq(r.out.sport, 22);
    ck_assert_uint_eq(r.out.dport, 50022);
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_type3_platform_subheader)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_erspan3, sizeof(f_erspan3));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    ck_assert_uint_eq(r.out.vlan, 42);
    ck_assert_uint_eq(r.out.ip_version, 6);
    ck_assert(addr_is(&r.out.src, "2001:db8::a"));
    ck_assert_uint_eq(r.out.sport, 3478);
    ck_assert(payload_at(&r, 128, 4));
    ck_assert_mem_eq(r.out.payload, "stun", 4);
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_type1)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_erspan1, sizeof(f_erspan1));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    ck_assert(addr_is(&r.out.src, "192.168.7.1"));
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_truncated_mirror)
{
    struct run r;

    /* T set: the switch cut the mirrored frame, like a snaplen. */
    run_full(&r, LT_EN10MB, f_erspan2_cut, sizeof(f_erspan2_cut));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_PAYLOAD_TRUNCATED));
    ck_assert_uint_eq(r.out.ip_len, 540);
    ck_assert_uint_eq(r.out.sport, 5004);
    ck_assert(payload_at(&r, 92, 4));
    ck_assert_uint_eq(r.out.payload_wire_len, 512);
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_type3_bare_ip)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_erspan3_ip, sizeof(f_erspan3_ip));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(anomalies_total(&r), 0);
    ck_assert_uint_eq(r.out.tunnel_depth, 1);
    ck_assert(addr_is(&r.out.src, "192.168.9.1"));
    ck_assert_uint_eq(r.out.sport, 69);
    run_done(&r);
}
END_TEST

START_TEST(test_erspan_unknown_version)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_erspan2_badver, sizeof(f_erspan2_badver));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TUNNEL_UNSUPPORTED));
    ck_assert_uint_eq(r.out.tunnel_depth, 0);
    ck_assert_uint_eq(r.out.proto, 47);
    ck_assert(payload_at(&r, 34, 30));
    run_done(&r);
}
END_TEST

START_TEST(test_gre_unknown_payload_is_outer_flow)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_gre_mpls, sizeof(f_gre_mpls));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TUNNEL_UNSUPPORTED));
    ck_assert_uint_eq(o->tunnel_depth, 0);
    ck_assert_uint_eq(o->proto, 47);
    ck_assert(addr_is(&o->src, "10.0.0.1"));
    ck_assert_uint_eq(o->sport, 0);
    ck_assert_uint_eq(o->dport, 0);
    ck_assert(payload_at(&r, 34, 8));
    run_done(&r);

    run_full(&r, LT_EN10MB, f_gre_pptp, sizeof(f_gre_pptp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TUNNEL_UNSUPPORTED));
    ck_assert_uint_eq(o->proto, 47);
    ck_assert(payload_at(&r, 34, 12));
    run_done(&r);
}
END_TEST

START_TEST(test_gre_depth_cap)
{
    struct run r;
    const struct decoded *o = &r.out;

    run_full(&r, LT_EN10MB, f_gre_deep, sizeof(f_gre_deep));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(only_anomaly(&r, DECODE_ANOM_TUNNEL_TOO_DEEP));
    ck_assert_uint_eq(o->tunnel_depth, 3);
    ck_assert_uint_eq(o->proto, 47);
    ck_assert(addr_is(&o->src, "10.0.3.1"));
    ck_assert(addr_is(&o->dst, "10.0.3.2"));
    run_done(&r);
}
END_TEST

START_TEST(test_gre_header_cut)
{
    expect_failure(LT_EN10MB, f_gre_teb, 42, sizeof(f_gre_teb),
                   DECODE_TRUNCATED, DECODE_ANOM_TUNNEL_TRUNCATED);
    expect_failure(LT_EN10MB, f_erspan3, 60, sizeof(f_erspan3),
                   DECODE_TRUNCATED, DECODE_ANOM_TUNNEL_TRUNCATED);
}
END_TEST

/* --- other link types --------------------------------------------------- */

START_TEST(test_linux_sll)
{
    struct run r;

    run_full(&r, LT_LINUX_SLL, f_sll_udp, sizeof(f_sll_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(addr_is(&r.out.src, "10.3.3.3"));
    ck_assert_uint_eq(r.out.sport, 4000);
    ck_assert_uint_eq(r.out.vlan, 0);
    run_done(&r);

    run_full(&r, LT_LINUX_SLL, f_sll_vlan, sizeof(f_sll_vlan));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.vlan, 10);
    ck_assert_uint_eq(r.out.dport, 4001);
    run_done(&r);
}
END_TEST

START_TEST(test_linux_sll2)
{
    struct run r;

    run_full(&r, LT_LINUX_SLL2, f_sll2_v6, sizeof(f_sll2_v6));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 6);
    ck_assert(addr_is(&r.out.src, "fe80::1"));
    ck_assert(addr_is(&r.out.dst, "ff02::fb"));
    ck_assert_uint_eq(r.out.sport, 5353);
    run_done(&r);
}
END_TEST

static const int raw_v4_types[] = { LT_RAW, LT_LINKTYPE_RAW, LT_IPV4 };
static const int raw_v6_types[] = { LT_RAW, LT_LINKTYPE_RAW, LT_IPV6 };

START_TEST(test_raw_ipv4)
{
    struct run r;

    run_full(&r, raw_v4_types[_i], f_raw_v4, sizeof(f_raw_v4));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 4);
    ck_assert(addr_is(&r.out.src, "100.64.0.1"));
    ck_assert_uint_eq(r.out.frame_bytes, 28);
    run_done(&r);
}
END_TEST

START_TEST(test_raw_ipv6)
{
    struct run r;

    run_full(&r, raw_v6_types[_i], f_raw_v6, sizeof(f_raw_v6));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 6);
    ck_assert(addr_is(&r.out.dst, "fd00::2"));
    run_done(&r);
}
END_TEST

START_TEST(test_raw_bad_version)
{
    expect_failure(LT_RAW, f_raw_v5, sizeof(f_raw_v5), sizeof(f_raw_v5),
                   DECODE_NOT_IP, DECODE_ANOM_NON_IP);
    expect_failure(LT_IPV4, f_raw_v5, sizeof(f_raw_v5), sizeof(f_raw_v5),
                   DECODE_MALFORMED, DECODE_ANOM_IPV4_BAD_HEADER);
    expect_failure(LT_IPV6, f_raw_v4, sizeof(f_raw_v4), sizeof(f_raw_v4),
                   DECODE_TRUNCATED, DECODE_ANOM_IPV6_TRUNCATED);
    expect_failure(LT_RAW, f_raw_v4, 0, sizeof(f_raw_v4), DECODE_TRUNCATED,
                   DECODE_ANOM_LINK_TRUNCATED);
}
END_TEST

START_TEST(test_null_and_loop)
{
    struct run r;

    run_full(&r, LT_NULL, f_null_v4, sizeof(f_null_v4));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(addr_is(&r.out.src, "127.0.0.1"));
    run_done(&r);
    run_full(&r, LT_NULL, f_null_v6_30be, sizeof(f_null_v6_30be));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 6);
    run_done(&r);
    run_full(&r, LT_NULL, f_null_v6_24, sizeof(f_null_v6_24));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 6);
    run_done(&r);
    run_full(&r, LT_LOOP, f_loop_v4, sizeof(f_loop_v4));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 4);
    run_done(&r);
    run_full(&r, LT_LOOP, f_loop_v6, sizeof(f_loop_v6));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert_uint_eq(r.out.ip_version, 6);
    run_done(&r);
    expect_failure(LT_NULL, f_null_other, sizeof(f_null_other),
                   sizeof(f_null_other), DECODE_NOT_IP, DECODE_ANOM_NON_IP);
    /* LOOP is always big-endian: a little-endian 2 is not AF_INET. */
    expect_failure(LT_LOOP, f_null_v4, sizeof(f_null_v4), sizeof(f_null_v4),
                   DECODE_NOT_IP, DECODE_ANOM_NON_IP);
}
END_TEST

START_TEST(test_pppoe)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_pppoe_udp, sizeof(f_pppoe_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(addr_is(&r.out.src, "100.64.9.9"));
    run_done(&r);
    expect_failure(LT_EN10MB, f_pppoe_lcp, sizeof(f_pppoe_lcp),
                   sizeof(f_pppoe_lcp), DECODE_NOT_IP, DECODE_ANOM_NON_IP);
}
END_TEST

START_TEST(test_llc_snap)
{
    struct run r;

    run_full(&r, LT_EN10MB, f_snap_udp, sizeof(f_snap_udp));
    ck_assert_int_eq(r.st, DECODE_OK);
    ck_assert(addr_is(&r.out.src, "10.5.5.5"));
    run_done(&r);
}
END_TEST

START_TEST(test_unsupported_linktype)
{
    /* 105 is DLT_IEEE802_11. */
    expect_failure(105, f_raw_v4, sizeof(f_raw_v4), sizeof(f_raw_v4),
                   DECODE_UNSUPPORTED, DECODE_ANOM_LINK_UNSUPPORTED);
    expect_failure(LT_EN10MB, f_arp, 13, sizeof(f_arp), DECODE_TRUNCATED,
                   DECODE_ANOM_LINK_TRUNCATED);
}
END_TEST

START_TEST(test_linktype_supported)
{
    ck_assert(decode_linktype_supported(LT_NULL));
    ck_assert(decode_linktype_supported(LT_EN10MB));
    ck_assert(decode_linktype_supported(LT_RAW));
    ck_assert(decode_linktype_supported(LT_LINKTYPE_RAW));
    ck_assert(decode_linktype_supported(LT_LOOP));
    ck_assert(decode_linktype_supported(LT_LINUX_SLL));
    ck_assert(decode_linktype_supported(LT_IPV4));
    ck_assert(decode_linktype_supported(LT_IPV6));
    ck_assert(decode_linktype_supported(LT_LINUX_SLL2));
    ck_assert(!decode_linktype_supported(105));
    ck_assert(!decode_linktype_supported(127));
    ck_assert(!decode_linktype_supported(-1));
}
END_TEST

/* --- decoder state ------------------------------------------------------ */

START_TEST(test_output_reset_between_frames)
{
    struct decoder_config cfg;
    struct decoder *d;
    struct decoded out;
    struct decode_stats st;
    struct pkt pkt;

    decoder_config_defaults(&cfg);
    d = decoder_new(&cfg);
    ck_assert_ptr_nonnull(d);
    memset(&pkt, 0, sizeof(pkt));
    pkt.linktype = LT_EN10MB;
    pkt.data = f_eth_tcp_sack;
    pkt.caplen = pkt.wirelen = sizeof(f_eth_tcp_sack);
    ck_assert_int_eq(decode_packet(d, &pkt, &out), DECODE_OK);
    pkt.data = f_arp;
    pkt.caplen = pkt.wirelen = sizeof(f_arp);
    ck_assert_int_eq(decode_packet(d, &pkt, &out), DECODE_NOT_IP);
    ck_assert_uint_eq(out.ip_version, 0);
    ck_assert_uint_eq(out.proto, 0);
    ck_assert_uint_eq(out.sport, 0);
    ck_assert_uint_eq(out.tcp.seq, 0);
    ck_assert_uint_eq(out.tcp.sack_blocks, 0);
    ck_assert_ptr_null(out.payload);
    ck_assert_uint_eq(out.payload_len, 0);
    ck_assert_uint_eq(out.frame_count, 1);
    ck_assert_uint_eq(out.frame_bytes, sizeof(f_arp));
    ck_assert_int_eq(decode_packet(d, &pkt, &out), DECODE_NOT_IP);
    decoder_get_stats(d, &st);
    ck_assert_uint_eq(st.anomalies[DECODE_ANOM_NON_IP], 2);
    decoder_free(d);
    decoder_free(NULL);
}
END_TEST

START_TEST(test_config_defaults)
{
    struct decoder_config cfg;

    memset(&cfg, 0xa5, sizeof(cfg));
    decoder_config_defaults(&cfg);
    ck_assert_uint_eq(cfg.frag_max_datagrams, 1024);
    ck_assert_uint_eq(cfg.frag_max_bytes, 16u * 1024 * 1024);
    ck_assert_int_eq(cfg.frag_timeout_us, 30000000);
}
END_TEST

START_TEST(test_anomaly_names)
{
    int i, j;

    ck_assert_str_eq(decode_anomaly_name(DECODE_ANOM_IPV4_TRUNCATED),
                     "ipv4_truncated");
    ck_assert_str_eq(decode_anomaly_name(DECODE_ANOM_FRAG_OVERLAP),
                     "frag_overlap");
    ck_assert_str_eq(decode_anomaly_name(DECODE_ANOM_COUNT), "unknown");
    for (i = 0; i < DECODE_ANOM_COUNT; i++) {
        const char *n = decode_anomaly_name((enum decode_anomaly)i);

        ck_assert_ptr_nonnull(n);
        ck_assert_str_ne(n, "unknown");
        ck_assert_uint_gt(strlen(n), 0);
        ck_assert_uint_eq(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"),
                          strlen(n));
        for (j = 0; j < i; j++)
            ck_assert_str_ne(n, decode_anomaly_name((enum decode_anomaly)j));
    }
}
END_TEST

/* --- every truncation of every frame ------------------------------------ */

struct frame_case {
    const char *name;
    int linktype;
    const uint8_t *data;
    size_t len;
    enum decode_status want;    /* for the whole frame */
};

#define FRAME(lt, f, st) { #f, lt, f, sizeof(f), st }

static const struct frame_case all_frames[] = {
    FRAME(LT_EN10MB, f_eth_tcp_syn, DECODE_OK),
    FRAME(LT_EN10MB, f_eth_tcp_sack, DECODE_OK),
    FRAME(LT_EN10MB, f_tcp_bad_opt, DECODE_OK),
    FRAME(LT_EN10MB, f_tcp_ws15, DECODE_OK),
    FRAME(LT_EN10MB, f_tcp_off4, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_tcp_off15, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_qinq_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_vlan9100_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_vlan4_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_vlan5_udp, DECODE_UNSUPPORTED),
    FRAME(LT_EN10MB, f_ipv4_opts_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_ipv4_bad_opts_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_eth_padding, DECODE_OK),
    FRAME(LT_EN10MB, f_snaplen_cut, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv4_total_long, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv4_total_short, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv4_ihl4, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv6_ext_tcp, DECODE_OK),
    FRAME(LT_EN10MB, f_ipv6_many_ext, DECODE_UNSUPPORTED),
    FRAME(LT_EN10MB, f_ipv6_ah_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_ipv6_esp, DECODE_OK),
    FRAME(LT_EN10MB, f_ipv6_ext_beyond, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv6_plen_long, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_ipv6_bad_version, DECODE_MALFORMED),
    FRAME(LT_EN10MB, f_udp_len_long, DECODE_OK),
    FRAME(LT_EN10MB, f_udp_len_short, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp_unreach, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp_unreach_noports, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp_ttl_tcp, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp_echo, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp6_unreach, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp6_too_big, DECODE_OK),
    FRAME(LT_EN10MB, f_arp, DECODE_NOT_IP),
    FRAME(LT_EN10MB, f_gre_ip, DECODE_OK),
    FRAME(LT_EN10MB, f_gre_teb, DECODE_OK),
    FRAME(LT_EN10MB, f_gre_csum_v6, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan2, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan3, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan1, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan2_cut, DECODE_OK),
    FRAME(LT_EN10MB, f_gre_mpls, DECODE_OK),
    FRAME(LT_EN10MB, f_gre_pptp, DECODE_OK),
    FRAME(LT_EN10MB, f_gre_deep, DECODE_OK),
    FRAME(LT_LINUX_SLL, f_sll_udp, DECODE_OK),
    FRAME(LT_LINUX_SLL, f_sll_vlan, DECODE_OK),
    FRAME(LT_LINUX_SLL2, f_sll2_v6, DECODE_OK),
    FRAME(LT_RAW, f_raw_v4, DECODE_OK),
    FRAME(LT_RAW, f_raw_v6, DECODE_OK),
    FRAME(LT_RAW, f_raw_v5, DECODE_NOT_IP),
    FRAME(LT_NULL, f_null_v4, DECODE_OK),
    FRAME(LT_NULL, f_null_v6_30be, DECODE_OK),
    FRAME(LT_NULL, f_null_v6_24, DECODE_OK),
    FRAME(LT_NULL, f_null_other, DECODE_NOT_IP),
    FRAME(LT_LOOP, f_loop_v4, DECODE_OK),
    FRAME(LT_LOOP, f_loop_v6, DECODE_OK),
    FRAME(LT_EN10MB, f_pppoe_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_pppoe_lcp, DECODE_NOT_IP),
    FRAME(LT_EN10MB, f_snap_udp, DECODE_OK),
    FRAME(LT_EN10MB, f_esp4, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp_unreach_esp, DECODE_OK),
    FRAME(LT_EN10MB, f_icmp6_unreach_frag, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan3_ip, DECODE_OK),
    FRAME(LT_EN10MB, f_erspan2_badver, DECODE_OK),
    FRAME(LT_EN10MB, f_tcp_ts_badlen, DECODE_OK),
};

/* What a DECODE_OK result must satisfy whatever the input: an IP packet,
 * a payload inside the captured bytes and no larger than the wire says,
 * one frame. */
static bool ok_is_consistent(const struct run *r)
{
    const struct decoded *o = &r->out;

    return (o->ip_version == 4 || o->ip_version == 6) &&
           o->payload_len <= o->payload_wire_len &&
           (o->payload_len == 0 ||
            (o->payload >= r->copy &&
             o->payload + o->payload_len <= r->copy + r->caplen)) &&
           o->frame_count == 1 && !o->reassembled &&
           o->tunnel_depth <= 3;
}

/* Any result: OK and consistent, or not OK with a counter to say why. */
static bool result_is_sound(const struct run *r)
{
    return r->st == DECODE_OK ? ok_is_consistent(r) : anomalies_total(r) > 0;
}

START_TEST(test_whole_frame)
{
    const struct frame_case *fc = &all_frames[_i];
    struct run r;

    run_full(&r, fc->linktype, fc->data, fc->len);
    ck_assert_msg(r.st == fc->want, "%s: status %d, want %d", fc->name, r.st,
                  fc->want);
    ck_assert_msg(result_is_sound(&r), "%s", fc->name);
    run_done(&r);
}
END_TEST

START_TEST(test_every_truncation)
{
    const struct frame_case *fc = &all_frames[_i];
    size_t len;

    for (len = 0; len < fc->len; len++) {
        struct run r;

        /* Cut by the snaplen: the wire length is still the whole frame. */
        run_frame(&r, fc->linktype, fc->data, len, fc->len);
        ck_assert_msg(result_is_sound(&r), "%s snaplen %zu", fc->name, len);
        run_done(&r);

        /* Cut short on the wire (or by a broken file): every length field
         * now overstates what is there. */
        run_full(&r, fc->linktype, fc->data, len);
        ck_assert_msg(result_is_sound(&r), "%s length %zu", fc->name, len);
        run_done(&r);
    }
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    int n = (int)(sizeof(all_frames) / sizeof(all_frames[0]));
    TCase *tc;

    tc = tcase_create("tcp");
    tcase_add_test(tc, test_tcp_syn);
    tcase_add_test(tc, test_tcp_sack_and_payload);
    tcase_add_test(tc, test_tcp_bad_option_counted_header_kept);
    tcase_add_test(tc, test_tcp_known_option_wrong_length);
    tcase_add_test(tc, test_tcp_window_scale_clamped);
    tcase_add_test(tc, test_tcp_bad_offset);
    tcase_add_test(tc, test_tcp_options_cut_by_snaplen);
    tcase_add_test(tc, test_tcp_fixed_header_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("vlan");
    tcase_add_test(tc, test_qinq_innermost_vid);
    tcase_add_test(tc, test_vlan_9100);
    tcase_add_test(tc, test_vlan_depth_cap);
    suite_add_tcase(s, tc);

    tc = tcase_create("ipv4");
    tcase_add_test(tc, test_ipv4_options_skipped);
    tcase_add_test(tc, test_ipv4_bad_options_counted);
    tcase_add_test(tc, test_ethernet_padding_not_payload);
    tcase_add_test(tc, test_snaplen_cut_payload);
    tcase_add_test(tc, test_ipv4_bad_headers);
    tcase_add_test(tc, test_esp_is_a_flow_without_ports);
    suite_add_tcase(s, tc);

    tc = tcase_create("ipv6");
    tcase_add_test(tc, test_ipv6_extension_chain);
    tcase_add_test(tc, test_ipv6_ah_then_udp);
    tcase_add_test(tc, test_ipv6_esp_stops_chain);
    tcase_add_test(tc, test_ipv6_bad_headers);
    suite_add_tcase(s, tc);

    tc = tcase_create("udp");
    tcase_add_test(tc, test_udp_length_longer_than_ip);
    tcase_add_test(tc, test_udp_length_shorter_than_ip);
    tcase_add_test(tc, test_udp_header_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("icmp");
    tcase_add_test(tc, test_icmp_unreachable_quote);
    tcase_add_test(tc, test_icmp_quote_without_ports);
    tcase_add_test(tc, test_icmp_quote_cut_by_snaplen);
    tcase_add_test(tc, test_icmp_time_exceeded_quote_with_options);
    tcase_add_test(tc, test_icmp_echo_not_error);
    tcase_add_test(tc, test_icmp6_unreachable_quote);
    tcase_add_test(tc, test_icmp6_too_big_quote_through_ext);
    tcase_add_test(tc, test_icmp_quote_of_portless_protocol);
    tcase_add_test(tc, test_icmp6_quote_of_later_fragment);
    suite_add_tcase(s, tc);

    tc = tcase_create("tunnel");
    tcase_add_test(tc, test_gre_ipv4_keeps_outer_vlan);
    tcase_add_test(tc, test_gre_teb_inner_vlan);
    tcase_add_test(tc, test_gre_checksum_ipv6);
    tcase_add_test(tc, test_erspan_type2);
    tcase_add_test(tc, test_erspan_type3_platform_subheader);
    tcase_add_test(tc, test_erspan_type1);
    tcase_add_test(tc, test_erspan_truncated_mirror);
    tcase_add_test(tc, test_erspan_type3_bare_ip);
    tcase_add_test(tc, test_erspan_unknown_version);
    tcase_add_test(tc, test_gre_unknown_payload_is_outer_flow);
    tcase_add_test(tc, test_gre_depth_cap);
    tcase_add_test(tc, test_gre_header_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("link");
    tcase_add_test(tc, test_arp_not_ip);
    tcase_add_test(tc, test_linux_sll);
    tcase_add_test(tc, test_linux_sll2);
    tcase_add_loop_test(tc, test_raw_ipv4, 0,
                        (int)(sizeof(raw_v4_types) / sizeof(raw_v4_types[0])));
    tcase_add_loop_test(tc, test_raw_ipv6, 0,
                        (int)(sizeof(raw_v6_types) / sizeof(raw_v6_types[0])));
    tcase_add_test(tc, test_raw_bad_version);
    tcase_add_test(tc, test_null_and_loop);
    tcase_add_test(tc, test_pppoe);
    tcase_add_test(tc, test_llc_snap);
    tcase_add_test(tc, test_unsupported_linktype);
    tcase_add_test(tc, test_linktype_supported);
    suite_add_tcase(s, tc);

    tc = tcase_create("decoder");
    tcase_add_test(tc, test_output_reset_between_frames);
    tcase_add_test(tc, test_config_defaults);
    tcase_add_test(tc, test_anomaly_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncation");
    tcase_add_loop_test(tc, test_whole_frame, 0, n);
    tcase_add_loop_test(tc, test_every_truncation, 0, n);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(decode_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
