/* Unit tests for IPv4 and IPv6 fragment reassembly: order, duplicates,
 * overlaps, timeouts, limits and the frame accounting of rebuilt
 * datagrams. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "ipaddr.h"
#include "packet.h"

/* Datagram A is a UDP SIP INVITE of 48 bytes (UDP header + 40) from
 * 192.0.2.10 to 198.51.100.20, id 0xabcd, sent in three fragments with
 * TTLs 64, 63 and 62.  Datagram B (id 0xb0b0) has two fragments, C (id
 * 0xc0c0) one.  D is an IPv6 datagram in two fragments behind a hop-by-hop
 * header. */

/* Datagram A, fragment 1 of 3: offset 0, MF, the UDP header and 16 bytes of
 * a SIP INVITE. */
static const uint8_t f_a1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 44, id
     * 0xabcd, ttl 64, flags 1, offset 0 (x8) */
    0x45, 0x00, 0x00, 0x2c, 0xab, 0xcd, 0x20, 0x00, 0x40, 0x11, 0xc2, 0xa1,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [0, 24): UDP 5060 > 5060, length 48; "INVITE sip:alice" */
    0x13, 0xc4, 0x13, 0xc4, 0x00, 0x30, 0x00, 0x00, 0x49, 0x4e, 0x56, 0x49,
    0x54, 0x45, 0x20, 0x73, 0x69, 0x70, 0x3a, 0x61, 0x6c, 0x69, 0x63, 0x65,
};

/* Datagram A, fragment 2 of 3: offset 24, MF, 16 bytes. */
static const uint8_t f_a2[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 36, id
     * 0xabcd, ttl 63, flags 1, offset 3 (x8) */
    0x45, 0x00, 0x00, 0x24, 0xab, 0xcd, 0x20, 0x03, 0x3f, 0x11, 0xc3, 0xa6,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [24, 40): "@example.com SIP" */
    0x40, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d,
    0x20, 0x53, 0x49, 0x50,
    /* Ethernet padding: 10 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram A, fragment 3 of 3: offset 40, last, 8 bytes. */
static const uint8_t f_a3[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 28, id
     * 0xabcd, ttl 62, flags 0, offset 5 (x8) */
    0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x05, 0x3e, 0x11, 0xe4, 0xac,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [40, 48): "/2.0\r\nVi" */
    0x2f, 0x32, 0x2e, 0x30, 0x0d, 0x0a, 0x56, 0x69,
    /* Ethernet padding: 18 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram A: offset 16, MF, 16 bytes of other data, overlapping fragments
 * 1 and 2. */
static const uint8_t f_a2_overlap[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 36, id
     * 0xabcd, ttl 64, flags 1, offset 2 (x8) */
    0x45, 0x00, 0x00, 0x24, 0xab, 0xcd, 0x20, 0x02, 0x40, 0x11, 0xc2, 0xa7,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [16, 32): 16 x "X" */
    0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58, 0x58,
    0x58, 0x58, 0x58, 0x58,
    /* Ethernet padding: 10 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram A: the range of fragment 2 with different bytes. */
static const uint8_t f_a2_other[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 36, id
     * 0xabcd, ttl 64, flags 1, offset 3 (x8) */
    0x45, 0x00, 0x00, 0x24, 0xab, 0xcd, 0x20, 0x03, 0x40, 0x11, 0xc2, 0xa6,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [24, 40): 16 x "Y" */
    0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59, 0x59,
    0x59, 0x59, 0x59, 0x59,
    /* Ethernet padding: 10 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram A: a last fragment ending at 40, where fragment 3 says 48. */
static const uint8_t f_a3_short_end[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 28, id
     * 0xabcd, ttl 64, flags 0, offset 4 (x8) */
    0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x04, 0x40, 0x11, 0xe2, 0xad,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [32, 40): 8 x "Z" */
    0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
    /* Ethernet padding: 18 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram A, fragment 1, but in VLAN 10: another datagram. */
static const uint8_t f_a1_vlan[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x8100 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00,
    /* 802.1Q tag: VID 10, next type 0x0800 */
    0x00, 0x0a, 0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 44, id
     * 0xabcd, ttl 64, flags 1, offset 0 (x8) */
    0x45, 0x00, 0x00, 0x2c, 0xab, 0xcd, 0x20, 0x00, 0x40, 0x11, 0xc2, 0xa1,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [0, 24): UDP header and "INVITE sip:alice" */
    0x13, 0xc4, 0x13, 0xc4, 0x00, 0x30, 0x00, 0x00, 0x49, 0x4e, 0x56, 0x49,
    0x54, 0x45, 0x20, 0x73, 0x69, 0x70, 0x3a, 0x61, 0x6c, 0x69, 0x63, 0x65,
};

/* Datagram A: offset 0, MF, 20 bytes (not a multiple of 8). */
static const uint8_t f_a_odd[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 40, id
     * 0xabcd, ttl 64, flags 1, offset 0 (x8) */
    0x45, 0x00, 0x00, 0x28, 0xab, 0xcd, 0x20, 0x00, 0x40, 0x11, 0xc2, 0xa5,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [0, 20) */
    0x13, 0xc4, 0x13, 0xc4, 0x00, 0x30, 0x00, 0x00, 0x49, 0x4e, 0x56, 0x49,
    0x54, 0x45, 0x20, 0x73, 0x69, 0x70, 0x3a, 0x61,
};

/* Datagram A: last fragment at offset 65512 with 24 bytes: beyond 65535. */
static const uint8_t f_a_huge[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 44, id
     * 0xabcd, ttl 64, flags 0, offset 8189 (x8) */
    0x45, 0x00, 0x00, 0x2c, 0xab, 0xcd, 0x1f, 0xfd, 0x40, 0x11, 0xc2, 0xa4,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [65512, 65536) */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram B, fragment 1 of 2: offset 0, MF, 24 bytes. */
static const uint8_t f_b1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 44, id
     * 0xb0b0, ttl 64, flags 1, offset 0 (x8) */
    0x45, 0x00, 0x00, 0x2c, 0xb0, 0xb0, 0x20, 0x00, 0x40, 0x11, 0xbd, 0xbe,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [0, 24): UDP 5060 > 5061, length 32; "SIP/2.0 200
     * OK\r\n" */
    0x13, 0xc4, 0x13, 0xc5, 0x00, 0x20, 0x00, 0x00, 0x53, 0x49, 0x50, 0x2f,
    0x32, 0x2e, 0x30, 0x20, 0x32, 0x30, 0x30, 0x20, 0x4f, 0x4b, 0x0d, 0x0a,
};

/* Datagram B, fragment 2 of 2: offset 24, last, 8 bytes. */
static const uint8_t f_b2[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 28, id
     * 0xb0b0, ttl 64, flags 0, offset 3 (x8) */
    0x45, 0x00, 0x00, 0x1c, 0xb0, 0xb0, 0x00, 0x03, 0x40, 0x11, 0xdd, 0xcb,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [24, 32): "Via: SIP" */
    0x56, 0x69, 0x61, 0x3a, 0x20, 0x53, 0x49, 0x50,
    /* Ethernet padding: 18 bytes */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Datagram C, fragment 1 of 2: offset 0, MF, 16 bytes. */
static const uint8_t f_c1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 192.0.2.10 > 198.51.100.20, proto 17, total length 36, id
     * 0xc0c0, ttl 64, flags 1, offset 0 (x8) */
    0x45, 0x00, 0x00, 0x24, 0xc0, 0xc0, 0x20, 0x00, 0x40, 0x11, 0xad, 0xb6,
    0xc0, 0x00, 0x02, 0x0a, 0xc6, 0x33, 0x64, 0x14,
    /* fragment data [0, 16): UDP 1 > 2, length 24 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x10, 0x00, 0x00, 0x30, 0x31, 0x32, 0x33,
    0x34, 0x35, 0x36, 0x37,
};

/* IPv6 datagram D, fragment 1 of 2: offset 0, M. */
static const uint8_t f_d1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::10 > 2001:db8::20, next header 0, payload length 40,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x20,
    /* hop-by-hop options (unfragmentable): next 44, length 0, PadN */
    0x2c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* fragment: next 60, offset 0 (x8), M 1, id 0x11223344 */
    0x3c, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,
    /* fragment data [0, 24): destination options (next 17), UDP 5060 >
     * 5060, length 40, "REGISTER" */
    0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x13, 0xc4, 0x13, 0xc4,
    0x00, 0x28, 0x00, 0x00, 0x52, 0x45, 0x47, 0x49, 0x53, 0x54, 0x45, 0x52,
};

/* IPv6 datagram D, fragment 2 of 2: offset 24, last. */
static const uint8_t f_d2[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::10 > 2001:db8::20, next header 0, payload length 40,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x20,
    /* hop-by-hop options (unfragmentable): next 44, length 0, PadN */
    0x2c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
    /* fragment: next 60, offset 3 (x8), M 0, id 0x11223344 */
    0x3c, 0x00, 0x00, 0x18, 0x11, 0x22, 0x33, 0x44,
    /* fragment data [24, 48): " sip:example.com SIP/2.0" */
    0x20, 0x73, 0x69, 0x70, 0x3a, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
    0x2e, 0x63, 0x6f, 0x6d, 0x20, 0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30,
};

/* IPv6 atomic fragment (offset 0, M clear; RFC 6946) carrying UDP. */
static const uint8_t f_d_atomic[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::10 > 2001:db8::20, next header 44, payload length 20,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x2c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x20,
    /* fragment: next 17, offset 0, M 0, id 0x00000009 */
    0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
    /* UDP: 53 > 53, length 12 */
    0x00, 0x35, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
    /* payload: 4 bytes */
    0x61, 0x74, 0x6f, 0x6d,
};

/* IPv6 datagram E, fragment 1 of 2, whose data is another (non-atomic)
 * fragment header. */
static const uint8_t f_e1[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::10 > 2001:db8::20, next header 44, payload length 16,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x2c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x20,
    /* fragment: next 44, offset 0, M 1, id 0x00000005 */
    0x2c, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05,
    /* fragment data [0, 8): fragment header: next 17, offset 1, M 1, id 6 */
    0x11, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x06,
};

/* IPv6 datagram E, fragment 2 of 2. */
static const uint8_t f_e2[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x86dd */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: 2001:db8::10 > 2001:db8::20, next header 44, payload length 16,
     * hop limit 64 */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x2c, 0x40, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x20,
    /* fragment: next 44, offset 1, M 0, id 0x00000005 */
    0x2c, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x05,
    /* fragment data [8, 16): UDP 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* Ethernet, IPv4, UDP: an ordinary packet. */
static const uint8_t f_plain_udp[] = {
    /* Ethernet: 02:00:00:00:00:01 > 02:00:00:00:00:02, type 0x0800 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: 10.0.0.1 > 10.0.0.2, proto 17, total length 28, id 0x1234, ttl
     * 64 */
    0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x54, 0x9b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP: 1 > 2, length 8 */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/* --- harness ----------------------------------------------------------- */

#define SEC 1000000LL

static const char sip_invite[] = "INVITE sip:alice@example.com SIP/2.0\r\nVi";

struct fx {
    struct decoder *dec;
    struct decoded out;
    struct decode_stats stats;
};

static void fx_open(struct fx *f, uint32_t max_datagrams, uint32_t max_bytes)
{
    struct decoder_config cfg;

    memset(f, 0, sizeof(*f));
    decoder_config_defaults(&cfg);
    cfg.frag_max_datagrams = max_datagrams;
    cfg.frag_max_bytes = max_bytes;
    f->dec = decoder_new(&cfg);
    ck_assert_ptr_nonnull(f->dec);
}

static void fx_close(struct fx *f)
{
    decoder_free(f->dec);
    f->dec = NULL;
}

/* Feeds caplen bytes of a wirelen-byte Ethernet frame at time ts (s). */
static enum decode_status fx_cut(struct fx *f, const uint8_t *frame,
                                 size_t caplen, size_t wirelen, int64_t ts)
{
    struct pkt pkt;
    enum decode_status st;

    memset(&pkt, 0, sizeof(pkt));
    pkt.data = frame;
    pkt.caplen = (uint32_t)caplen;
    pkt.wirelen = (uint32_t)wirelen;
    pkt.ts_us = ts * SEC;
    pkt.linktype = 1;
    st = decode_packet(f->dec, &pkt, &f->out);
    decoder_get_stats(f->dec, &f->stats);
    return st;
}

static enum decode_status fx_feed(struct fx *f, const uint8_t *frame,
                                  size_t len, int64_t ts)
{
    return fx_cut(f, frame, len, len, ts);
}

static uint64_t anom(const struct fx *f, enum decode_anomaly a)
{
    return f->stats.anomalies[a];
}

static bool addr_is(const struct ip_addr *a, const char *text)
{
    struct ip_addr want;

    return ipaddr_parse(text, &want) == 0 && ipaddr_equal(a, &want);
}

/* Datagram A as rebuilt from frames: its fields, its SIP payload. */
static void assert_datagram_a(const struct fx *f, uint32_t frames,
                              uint64_t bytes)
{
    const struct decoded *o = &f->out;

    ck_assert(o->reassembled);
    ck_assert_uint_eq(o->frame_count, frames);
    ck_assert_uint_eq(o->frame_bytes, bytes);
    ck_assert_uint_eq(o->ip_version, 4);
    ck_assert_uint_eq(o->proto, 17);
    ck_assert(addr_is(&o->src, "192.0.2.10"));
    ck_assert(addr_is(&o->dst, "198.51.100.20"));
    ck_assert_uint_eq(o->ip_id, 0xabcd);
    ck_assert_uint_eq(o->ttl, 64);     /* from the first fragment */
    ck_assert_uint_eq(o->ip_len, 68);
    ck_assert_uint_eq(o->sport, 5060);
    ck_assert_uint_eq(o->dport, 5060);
    ck_assert_uint_eq(o->payload_len, 40);
    ck_assert_uint_eq(o->payload_wire_len, 40);
    ck_assert_mem_eq(o->payload, sip_invite, 40);
}

/* --- IPv4 --------------------------------------------------------------- */

START_TEST(test_in_order)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 2), DECODE_OK);
    assert_datagram_a(&f, 3, 58 + 60 + 60);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_HELD), 2);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 1);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 0);
    /* The next frame is an ordinary one again. */
    ck_assert_int_eq(fx_feed(&f, f_plain_udp, sizeof(f_plain_udp), 3),
                     DECODE_OK);
    ck_assert(!f.out.reassembled);
    ck_assert_uint_eq(f.out.frame_count, 1);
    ck_assert_uint_eq(f.out.frame_bytes, sizeof(f_plain_udp));
    fx_close(&f);
}
END_TEST

START_TEST(test_out_of_order)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_OK);
    assert_datagram_a(&f, 3, 178);
    fx_close(&f);
}
END_TEST

START_TEST(test_duplicate_counts_frame_not_overlap)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_OK);
    assert_datagram_a(&f, 4, 58 + 58 + 60 + 60);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 0);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_HELD), 3);
    fx_close(&f);
}
END_TEST

START_TEST(test_overlap_drops_datagram)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2_overlap, sizeof(f_a2_overlap), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 1);
    /* What follows starts a new datagram that lacks its first fragment. */
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_same_range_other_bytes_is_overlap)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2_other, sizeof(f_a2_other), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 1);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    fx_close(&f);
}
END_TEST

START_TEST(test_conflicting_end)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3_short_end, sizeof(f_a3_short_end), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 1);
    /* A last fragment ending before bytes already held. */
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3_short_end, sizeof(f_a3_short_end), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_OVERLAP), 2);
    fx_close(&f);
}
END_TEST

START_TEST(test_bad_fragment_lengths)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a_odd, sizeof(f_a_odd), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_IPV4_BAD_LENGTH), 1);
    /* The too-big fragment also drops the datagram it belonged to. */
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a_huge, sizeof(f_a_huge), 1),
                     DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_TOO_BIG), 1);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_vlan_is_part_of_the_key)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1_vlan, sizeof(f_a1_vlan), 1),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_OK);
    assert_datagram_a(&f, 3, 178);
    ck_assert_uint_eq(f.out.vlan, 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_snaplen_cut_fragment)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    /* The first fragment lost 12 of its 24 data bytes to the snaplen:
     * the datagram still completes, with 4 payload bytes to show. */
    ck_assert_int_eq(fx_cut(&f, f_a1, 46, sizeof(f_a1), 1),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_OK);
    ck_assert(f.out.reassembled);
    ck_assert_uint_eq(f.out.sport, 5060);
    ck_assert_uint_eq(f.out.payload_len, 4);
    ck_assert_uint_eq(f.out.payload_wire_len, 40);
    ck_assert_mem_eq(f.out.payload, "INVI", 4);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_PAYLOAD_TRUNCATED), 1);
    ck_assert_uint_eq(f.out.frame_bytes, 178);
    fx_close(&f);
}
END_TEST

/* --- time --------------------------------------------------------------- */

START_TEST(test_timeout_on_next_call)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 100),
                     DECODE_FRAGMENT_HELD);
    /* 31 s later (the default timeout is 30 s) any frame expires it. */
    ck_assert_int_eq(fx_feed(&f, f_plain_udp, sizeof(f_plain_udp), 131),
                     DECODE_OK);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_TIMEOUT), 1);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 131),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 131),
                     DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_timeout_is_exclusive)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 100),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 130),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 130), DECODE_OK);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_TIMEOUT), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_orphans_time_out)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    /* Non-first fragments whose first never comes. */
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 10),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 10),
                     DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 50),
                     DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_TIMEOUT), 1);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_reset_drops_partials)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    decoder_reset(f.dec);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_TIMEOUT), 0);
    fx_close(&f);
}
END_TEST

/* --- limits ------------------------------------------------------------- */

START_TEST(test_datagram_limit_evicts_oldest)
{
    struct fx f;

    fx_open(&f, 2, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_b1, sizeof(f_b1), 2), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_c1, sizeof(f_c1), 3), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 1);
    /* B survived; A did not. */
    ck_assert_int_eq(fx_feed(&f, f_b2, sizeof(f_b2), 4), DECODE_OK);
    ck_assert_uint_eq(f.out.dport, 5061);
    ck_assert_uint_eq(f.out.frame_count, 2);
    ck_assert_mem_eq(f.out.payload, "SIP/2.0 200 OK\r\nVia: SIP", 24);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 5), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 5), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 1);
    fx_close(&f);
}
END_TEST

START_TEST(test_byte_limit_evicts_oldest)
{
    struct fx f;

    /* A's first fragment holds 24 bytes, B's 24: the limit.  A's second
     * fragment grows A to 40, which costs B. */
    fx_open(&f, 16, 48);
    ck_assert_int_eq(fx_feed(&f, f_b1, sizeof(f_b1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 2), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 0);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 3), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 1);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 4), DECODE_OK);
    assert_datagram_a(&f, 3, 178);
    ck_assert_int_eq(fx_feed(&f, f_b2, sizeof(f_b2), 5), DECODE_FRAGMENT_HELD);
    fx_close(&f);
}
END_TEST

START_TEST(test_byte_limit_too_small_for_datagram)
{
    struct fx f;

    fx_open(&f, 16, 30);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 0);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 1);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 2);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 0);
    fx_close(&f);
}
END_TEST

/* Fragment 2 of A moved to offset units * 8: a copy with the offset field
 * rewritten (MF stays set).  The IPv4 checksum goes stale; the decoder
 * records it without checking. */
static void a2_at(uint8_t *frame, unsigned units)
{
    memcpy(frame, f_a2, sizeof(f_a2));
    frame[20] = (uint8_t)(0x20 | units >> 8);
    frame[21] = (uint8_t)units;
}

START_TEST(test_too_many_holes)
{
    uint8_t frame[sizeof(f_a2)];
    struct fx f;
    unsigned k;

    /* 16-byte fragments every 24 bytes leave a hole after each: 32
     * separate ranges are kept, the 33rd drops the datagram. */
    fx_open(&f, 16, 65536);
    for (k = 1; k <= 32; k++) {
        a2_at(frame, 3 * k);
        ck_assert_int_eq(fx_feed(&f, frame, sizeof(frame), 1),
                         DECODE_FRAGMENT_HELD);
    }
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 0);
    a2_at(frame, 3 * 33);
    ck_assert_int_eq(fx_feed(&f, frame, sizeof(frame), 1),
                     DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 1);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_HELD), 32);
    fx_close(&f);
}
END_TEST

START_TEST(test_reassembly_disabled)
{
    struct fx f;

    fx_open(&f, 0, 65536);
    ck_assert_int_eq(fx_feed(&f, f_a1, sizeof(f_a1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a2, sizeof(f_a2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_a3, sizeof(f_a3), 1), DECODE_FRAGMENT_HELD);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_LIMIT), 3);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_HELD), 0);
    fx_close(&f);
}
END_TEST

/* --- IPv6 --------------------------------------------------------------- */

static void assert_datagram_d(const struct fx *f)
{
    const struct decoded *o = &f->out;

    ck_assert(o->reassembled);
    ck_assert_uint_eq(o->frame_count, 2);
    ck_assert_uint_eq(o->frame_bytes, 94 + 94);
    ck_assert_uint_eq(o->ip_version, 6);
    ck_assert_uint_eq(o->proto, 17);
    ck_assert(addr_is(&o->src, "2001:db8::10"));
    ck_assert(addr_is(&o->dst, "2001:db8::20"));
    /* 40-byte header, 8-byte hop-by-hop, 48 bytes rebuilt. */
    ck_assert_uint_eq(o->ip_len, 96);
    ck_assert_uint_eq(o->sport, 5060);
    ck_assert_uint_eq(o->payload_len, 32);
    ck_assert_mem_eq(o->payload, "REGISTER sip:example.com SIP/2.0", 32);
}

START_TEST(test_ipv6_in_order)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_d1, sizeof(f_d1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_d2, sizeof(f_d2), 1), DECODE_OK);
    assert_datagram_d(&f);
    fx_close(&f);
}
END_TEST

START_TEST(test_ipv6_reverse_order)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_d2, sizeof(f_d2), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_d1, sizeof(f_d1), 1), DECODE_OK);
    assert_datagram_d(&f);
    fx_close(&f);
}
END_TEST

START_TEST(test_ipv6_atomic_fragment)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_d_atomic, sizeof(f_d_atomic), 1),
                     DECODE_OK);
    ck_assert(!f.out.reassembled);
    ck_assert_uint_eq(f.out.frame_count, 1);
    ck_assert_uint_eq(f.out.proto, 17);
    ck_assert_uint_eq(f.out.sport, 53);
    ck_assert_mem_eq(f.out.payload, "atom", 4);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_HELD), 0);
    fx_close(&f);
}
END_TEST

START_TEST(test_ipv6_nested_fragment_refused)
{
    struct fx f;

    fx_open(&f, 16, 65536);
    ck_assert_int_eq(fx_feed(&f, f_e1, sizeof(f_e1), 1), DECODE_FRAGMENT_HELD);
    ck_assert_int_eq(fx_feed(&f, f_e2, sizeof(f_e2), 1), DECODE_MALFORMED);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_FRAG_REASSEMBLED), 1);
    ck_assert_uint_eq(anom(&f, DECODE_ANOM_IPV6_BAD_EXT), 1);
    fx_close(&f);
}
END_TEST

/* --- truncations -------------------------------------------------------- */

struct frag_case {
    const char *name;
    const uint8_t *data;
    size_t len;
};

#define FRAG(f) { #f, f, sizeof(f) }

static const struct frag_case all_frags[] = {
    FRAG(f_a1), FRAG(f_a2), FRAG(f_a3), FRAG(f_a2_overlap),
    FRAG(f_a2_other), FRAG(f_a3_short_end), FRAG(f_a1_vlan), FRAG(f_a_odd),
    FRAG(f_a_huge), FRAG(f_b1), FRAG(f_b2), FRAG(f_c1), FRAG(f_d1),
    FRAG(f_d2), FRAG(f_d_atomic), FRAG(f_e1), FRAG(f_e2),
};

/* A rebuilt datagram's payload lies inside what the headers promise. */
static bool result_is_sound(const struct fx *f, enum decode_status st)
{
    const struct decoded *o = &f->out;

    return st != DECODE_OK ||
           ((o->ip_version == 4 || o->ip_version == 6) &&
            o->payload_len <= o->payload_wire_len &&
            (o->payload_len == 0 || o->payload != NULL));
}

/* Each fragment cut at every length, alone and then completed by the
 * others of its datagram: no crash, no leak, sound results. */
START_TEST(test_every_truncation)
{
    const struct frag_case *fc = &all_frags[_i];
    size_t len, j;

    for (len = 0; len < fc->len; len++) {
        struct fx f;
        uint8_t *copy = malloc(len + 1);
        enum decode_status st;

        ck_assert_ptr_nonnull(copy);
        memcpy(copy, fc->data, len);
        fx_open(&f, 16, 65536);
        st = fx_cut(&f, copy, len, fc->len, 1);
        ck_assert_msg(result_is_sound(&f, st), "%s cut %zu", fc->name, len);
        for (j = 0; j < sizeof(all_frags) / sizeof(all_frags[0]); j++) {
            st = fx_feed(&f, all_frags[j].data, all_frags[j].len, 2);
            ck_assert_msg(result_is_sound(&f, st), "%s cut %zu then %s",
                          fc->name, len, all_frags[j].name);
        }
        fx_close(&f);
        free(copy);
    }
}
END_TEST

static Suite *frag_suite(void)
{
    Suite *s = suite_create("frag");
    TCase *tc;

    tc = tcase_create("ipv4");
    tcase_add_test(tc, test_in_order);
    tcase_add_test(tc, test_out_of_order);
    tcase_add_test(tc, test_duplicate_counts_frame_not_overlap);
    tcase_add_test(tc, test_overlap_drops_datagram);
    tcase_add_test(tc, test_same_range_other_bytes_is_overlap);
    tcase_add_test(tc, test_conflicting_end);
    tcase_add_test(tc, test_bad_fragment_lengths);
    tcase_add_test(tc, test_vlan_is_part_of_the_key);
    tcase_add_test(tc, test_snaplen_cut_fragment);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_test(tc, test_timeout_on_next_call);
    tcase_add_test(tc, test_timeout_is_exclusive);
    tcase_add_test(tc, test_orphans_time_out);
    tcase_add_test(tc, test_reset_drops_partials);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_datagram_limit_evicts_oldest);
    tcase_add_test(tc, test_byte_limit_evicts_oldest);
    tcase_add_test(tc, test_byte_limit_too_small_for_datagram);
    tcase_add_test(tc, test_too_many_holes);
    tcase_add_test(tc, test_reassembly_disabled);
    suite_add_tcase(s, tc);

    tc = tcase_create("ipv6");
    tcase_add_test(tc, test_ipv6_in_order);
    tcase_add_test(tc, test_ipv6_reverse_order);
    tcase_add_test(tc, test_ipv6_atomic_fragment);
    tcase_add_test(tc, test_ipv6_nested_fragment_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncation");
    tcase_add_loop_test(tc, test_every_truncation, 0,
                        (int)(sizeof(all_frags) / sizeof(all_frags[0])));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(frag_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
