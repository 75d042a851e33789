/* ndpi_dump: nDPI's verdict for every flow of capture files, through
 * ringscope's own capture, decoder, flow table and nDPI adapter.
 *
 * Usage: ndpi_dump FILE...
 *
 * Prints one line per flow, in the order flows end:
 *
 *   L4 CLIENT:PORT SERVER:PORT NDPI_PROTO CATEGORY
 *
 * L4 is named as ndpiReader names it (TCP, UDP, ICMP, ICMPV6, else the
 * protocol number), IPv6 addresses are in brackets, CATEGORY is "-" when
 * nDPI gives none.  The adapter's counters go to stderr.  Exit status 0,
 * or 1 when a file cannot be read.  The agreement test compares this
 * output with ndpiReader's. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "classify_ndpi.h"
#include "decode.h"
#include "flow.h"
#include "flow_table.h"
#include "ipaddr.h"
#include "packet.h"

/* Idle flows are looked for once per second of packet time, as the
 * pipeline does. */
#define NDPI_DUMP_EXPIRE_INTERVAL_US 1000000

struct ndpi_dump {
    struct classify_ndpi *cn;
    struct decoder *dec;
    struct flow_table *ft;
};

static const char *ndpi_dump_l4_name(uint8_t proto, char *buf, size_t len)
{
    switch (proto) {
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 1:
        return "ICMP";
    case 58:
        return "ICMPV6";
    default:
        snprintf(buf, len, "%u", (unsigned)proto);
        return buf;
    }
}

static void ndpi_dump_endpoint(const struct ip_addr *a, uint16_t port,
                               char *buf, size_t len)
{
    char ip[IPADDR_STRLEN];

    ipaddr_format(a, ip);
    if (a->family == 6)
        snprintf(buf, len, "[%s]:%u", ip, (unsigned)port);
    else
        snprintf(buf, len, "%s:%u", ip, (unsigned)port);
}

static void ndpi_dump_flow_end(void *arg, struct flow *f,
                               enum flow_end_reason why)
{
    struct ndpi_dump *nd = arg;
    char l4[8], cli[IPADDR_STRLEN + 10], srv[IPADDR_STRLEN + 10];

    (void)why;
    classify_ndpi_flow_end(nd->cn, f->ext, f);
    ndpi_dump_endpoint(&f->client_ip, f->client_port, cli, sizeof(cli));
    ndpi_dump_endpoint(&f->server_ip, f->server_port, srv, sizeof(srv));
    printf("%s %s %s %s %s\n", ndpi_dump_l4_name(f->key.proto, l4, sizeof(l4)),
           cli, srv, f->ndpi_proto[0] ? f->ndpi_proto : "-",
           f->ndpi_category[0] ? f->ndpi_category : "-");
}

static int ndpi_dump_file(struct ndpi_dump *nd, const char *path)
{
    struct flow_table_config ftc;
    struct decoder_config dc;
    struct capture *cap;
    struct pkt pkt;
    struct decoded d;
    enum capture_status cs;
    int64_t next_expire = 0;
    char err[512];
    int ret = -1;

    cap = capture_open_file(path, NULL, err, sizeof(err));
    if (!cap) {
        fprintf(stderr, "ndpi_dump: %s\n", err);
        return -1;
    }
    decoder_config_defaults(&dc);
    flow_table_config_defaults(&ftc);
    ftc.ext_size = sizeof(struct classify_ndpi_flow);
    nd->dec = decoder_new(&dc);
    nd->ft = flow_table_new(&ftc, ndpi_dump_flow_end, nd);
    if (!nd->dec || !nd->ft) {
        fprintf(stderr, "ndpi_dump: out of memory\n");
        goto out;
    }
    while ((cs = capture_next(cap, &pkt)) == CAPTURE_PACKET) {
        struct flow *f;
        enum flow_dir dir;
        bool created;

        if (pkt.ts_us >= next_expire) {
            if (next_expire != 0)
                flow_table_expire(nd->ft, pkt.ts_us);
            next_expire = pkt.ts_us + NDPI_DUMP_EXPIRE_INTERVAL_US;
        }
        if (decode_packet(nd->dec, &pkt, &d) != DECODE_OK)
            continue;
        f = flow_table_update(nd->ft, &pkt, &d, &created, &dir);
        if (!f)
            continue;
        classify_ndpi_packet(nd->cn, f->ext, f, d.l3, d.l3_len, pkt.ts_us,
                             dir);
    }
    if (cs == CAPTURE_ERROR) {
        fprintf(stderr, "ndpi_dump: %s: %s\n", path, capture_error(cap));
        goto out;
    }
    ret = 0;
out:
    /* Ends (and prints) every flow still live. */
    flow_table_free(nd->ft);
    nd->ft = NULL;
    decoder_free(nd->dec);
    nd->dec = NULL;
    capture_close(cap);
    return ret;
}

int main(int argc, char **argv)
{
    struct ndpi_dump nd;
    struct classify_ndpi_stats s;
    int i, ret = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: ndpi_dump FILE...\n");
        return 2;
    }
    memset(&nd, 0, sizeof(nd));
    nd.cn = classify_ndpi_new();
    if (!nd.cn)
        return 1;
    for (i = 1; i < argc; i++)
        if (ndpi_dump_file(&nd, argv[i]) != 0)
            ret = 1;
    classify_ndpi_get_stats(nd.cn, &s);
    fprintf(stderr,
            "ndpi_dump: nDPI %s: %" PRIu64 " flows inspected, %" PRIu64
            " detected, %" PRIu64 " given up (%" PRIu64 " guessed), %" PRIu64
            " packets fed, %" PRIu64 " skipped, %" PRIu64
            " allocation failures\n",
            classify_ndpi_version(), s.flows_inspected, s.flows_detected,
            s.flows_given_up, s.flows_guessed, s.packets_fed,
            s.packets_skipped, s.alloc_failures);
    classify_ndpi_free(nd.cn);
    return ret;
}
