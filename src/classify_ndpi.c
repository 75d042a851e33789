/* nDPI adapter: feeds flows' packets to libndpi and names their protocol.
 *
 * The only file that includes the nDPI headers.  nDPI changed the shape of
 * its calls between 4.2 and 4.12; each version-dependent call goes through
 * one small static function below, chosen by the configure probes:
 *
 *   HAVE_NDPI_GLOBAL_CONTEXT       4.10: init takes a global context
 *   HAVE_NDPI_BITMASK_INT          4.6: the bitmask setter returns int
 *   HAVE_NDPI_FINALIZE_INT         4.10: finalize returns int
 *   HAVE_NDPI_INPUT_INFO           4.6: process_packet takes input_info
 *   HAVE_NDPI_GIVEUP_CFG_GUESS     4.10: giveup guesses by configuration
 *   HAVE_NDPI_MASTER_APP_PROTOCOL  4.12: ids in ndpi_protocol.proto
 *
 * When to stop feeding a flow follows ndpiReader (example/reader_util.c,
 * packet_processing()), so that both name a flow alike. */
#include "config.h"

#include "classify_ndpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi/ndpi_api.h>

#include "cursor.h"
#include "flow.h"
#include "log.h"

enum classify_ndpi_state {
    CLASSIFY_NDPI_IDLE = 0,     /* no packet fed yet */
    CLASSIFY_NDPI_INSPECTING,   /* _ndpi allocated, detection running */
    CLASSIFY_NDPI_FINISHED,     /* result written (or allocation failed) */
};

/* nDPI takes the packet length as an unsigned short. */
#define CLASSIFY_NDPI_MAX_L3 65535u

struct classify_ndpi {
    struct ndpi_detection_module_struct *mod;
    size_t flow_size;
    struct classify_ndpi_stats stats;
};

/* --- version-dependent calls ---------------------------------------- */

static struct ndpi_detection_module_struct *classify_ndpi_mod_init(void)
{
#ifdef HAVE_NDPI_GLOBAL_CONTEXT
    /* No global context: one module owns all its caches. */
    return ndpi_init_detection_module(NULL);
#else
    return ndpi_init_detection_module(ndpi_no_prefs);
#endif
}

static int classify_ndpi_enable_all(struct ndpi_detection_module_struct *mod)
{
    NDPI_PROTOCOL_BITMASK all;

    NDPI_BITMASK_SET_ALL(all);
#ifdef HAVE_NDPI_BITMASK_INT
    return ndpi_set_protocol_detection_bitmask2(mod, &all) == 0 ? 0 : -1;
#else
    ndpi_set_protocol_detection_bitmask2(mod, &all);
    return 0;
#endif
}

static int classify_ndpi_finalize(struct ndpi_detection_module_struct *mod)
{
#ifdef HAVE_NDPI_FINALIZE_INT
    return ndpi_finalize_initialization(mod) == 0 ? 0 : -1;
#else
    ndpi_finalize_initialization(mod);
    return 0;
#endif
}

/* From 4.6 the caller may say which side sent the packet.  The flow table
 * knows the client (it saw the handshake, or used the port heuristics), so
 * it says so.  seen_flow_beginning stays unknown: it is for callers that
 * saw the handshake without feeding it, and nDPI tracks the handshake
 * itself when it is fed every packet, as here. */
static ndpi_protocol
classify_ndpi_process(struct ndpi_detection_module_struct *mod,
                      struct ndpi_flow_struct *nf, const uint8_t *l3,
                      uint16_t len, uint64_t ms, enum flow_dir dir)
{
#ifdef HAVE_NDPI_INPUT_INFO
    struct ndpi_flow_input_info in;

    memset(&in, 0, sizeof(in));
    in.in_pkt_dir = dir == FLOW_DIR_C2S ? NDPI_IN_PKT_DIR_C_TO_S
                                        : NDPI_IN_PKT_DIR_S_TO_C;
    in.seen_flow_beginning = NDPI_FLOW_BEGINNING_UNKNOWN;
    return ndpi_detection_process_packet(mod, nf, l3, len, ms, &in);
#else
    (void)dir;
    return ndpi_detection_process_packet(mod, nf, l3, len, ms);
#endif
}

/* Gives up with guessing on (ndpiReader's default): by port or by
 * address.  From 4.10 guessing is the "dpi.guess_on_giveup" setting, on
 * by default. */
static ndpi_protocol
classify_ndpi_giveup(struct ndpi_detection_module_struct *mod,
                     struct ndpi_flow_struct *nf)
{
    u_int8_t guessed = 0;

#ifdef HAVE_NDPI_GIVEUP_CFG_GUESS
    return ndpi_detection_giveup(mod, nf, &guessed);
#else
    return ndpi_detection_giveup(mod, nf, 1, &guessed);
#endif
}

/* True when nDPI found no dissector left to try.  ndpiReader gives such a
 * flow up at once from 4.6 (the release that added input_info); 4.2 keeps
 * feeding it until the packet budget, to the same verdict, and so do we,
 * so that both inspect the same packets. */
static bool classify_ndpi_hopeless(const struct ndpi_flow_struct *nf)
{
#ifdef HAVE_NDPI_INPUT_INFO
    return nf->fail_with_unknown != 0;
#else
    (void)nf;
    return false;
#endif
}

static uint16_t classify_ndpi_app_id(const ndpi_protocol *p)
{
#ifdef HAVE_NDPI_MASTER_APP_PROTOCOL
    return p->proto.app_protocol;
#else
    return p->app_protocol;
#endif
}

static uint16_t classify_ndpi_master_id(const ndpi_protocol *p)
{
#ifdef HAVE_NDPI_MASTER_APP_PROTOCOL
    return p->proto.master_protocol;
#else
    return p->master_protocol;
#endif
}

/* --- module --------------------------------------------------------- */

struct classify_ndpi *classify_ndpi_new(void)
{
    struct classify_ndpi *cn = calloc(1, sizeof(*cn));
    struct classify_ndpi *ret = NULL;

    if (!cn) {
        log_error("cannot set up nDPI: out of memory");
        goto out;
    }
    /* A library built from other headers than ours would read and write
     * its flows with another layout. */
    cn->flow_size = ndpi_detection_get_sizeof_ndpi_flow_struct();
    if (cn->flow_size != sizeof(struct ndpi_flow_struct)) {
        log_error("nDPI library '%s' does not match its headers "
                  "(flow size %zu, expected %zu)", ndpi_revision(),
                  cn->flow_size, sizeof(struct ndpi_flow_struct));
        goto out;
    }
    cn->mod = classify_ndpi_mod_init();
    if (!cn->mod || classify_ndpi_enable_all(cn->mod) != 0 ||
        classify_ndpi_finalize(cn->mod) != 0) {
        log_error("cannot set up nDPI '%s': initialization failed",
                  ndpi_revision());
        goto out;
    }
    ret = cn;
    cn = NULL;
out:
    classify_ndpi_free(cn);
    return ret;
}

void classify_ndpi_free(struct classify_ndpi *cn)
{
    if (!cn)
        return;
    if (cn->mod)
        ndpi_exit_detection_module(cn->mod);
    free(cn);
}

void classify_ndpi_get_stats(const struct classify_ndpi *cn,
                             struct classify_ndpi_stats *out)
{
    *out = cn->stats;
}

const char *classify_ndpi_version(void)
{
    return ndpi_revision();
}

/* --- flows ---------------------------------------------------------- */

/* True when l3 holds a whole IPv4 or IPv6 datagram, as nDPI needs (it
 * drops a packet whose captured length is below its IP length), no longer
 * than nDPI's length type.  ndpiReader does not count such packets
 * towards a flow either. */
static bool classify_ndpi_whole_datagram(const uint8_t *l3, uint32_t l3_len)
{
    struct cursor c;
    uint8_t vhl = 0;
    uint16_t len = 0;

    if (!l3 || l3_len > CLASSIFY_NDPI_MAX_L3)
        return false;
    cur_init(&c, l3, l3_len);
    if (!cur_peek_u8(&c, 0, &vhl))
        return false;
    /* IPv4 total length at offset 2; IPv6 payload length at offset 4,
     * after which come 40 bytes of header (RFC 791, RFC 8200). */
    if (vhl >> 4 == 4)
        return cur_skip(&c, 2) && cur_get_be16(&c, &len) && len <= l3_len;
    if (vhl >> 4 == 6)
        return cur_skip(&c, 4) && cur_get_be16(&c, &len) &&
               40u + len <= l3_len;
    return false;
}

static void classify_ndpi_release(struct classify_ndpi_flow *st)
{
    if (st->_ndpi) {
        ndpi_flow_free(st->_ndpi);
        st->_ndpi = NULL;
    }
}

/* Records nDPI's verdict in the flow and frees the nDPI flow.  With
 * giveup, the verdict comes from ndpi_detection_giveup(), which keeps a
 * protocol already found and otherwise guesses; that is how ndpiReader
 * ends both the flows that ran out of packets and those still under
 * inspection when the capture ends. */
static void classify_ndpi_finish(struct classify_ndpi *cn,
                                 struct classify_ndpi_flow *st,
                                 struct flow *f, ndpi_protocol proto,
                                 bool giveup)
{
    const char *cat;

    if (st->_app != NDPI_PROTOCOL_UNKNOWN)
        cn->stats.flows_detected++;
    else
        cn->stats.flows_given_up++;
    if (giveup) {
        proto = classify_ndpi_giveup(cn->mod, st->_ndpi);
        if (st->_app == NDPI_PROTOCOL_UNKNOWN &&
            (classify_ndpi_app_id(&proto) != NDPI_PROTOCOL_UNKNOWN ||
             classify_ndpi_master_id(&proto) != NDPI_PROTOCOL_UNKNOWN))
            cn->stats.flows_guessed++;
    }
    ndpi_protocol2name(cn->mod, proto, f->ndpi_proto,
                       (u_int)sizeof(f->ndpi_proto));
    /* ndpiReader prints no category for "unspecified" (0): neither do we. */
    f->ndpi_category[0] = '\0';
    if (proto.category != NDPI_PROTOCOL_CATEGORY_UNSPECIFIED) {
        cat = ndpi_category_get_name(cn->mod, proto.category);
        if (cat)
            snprintf(f->ndpi_category, sizeof(f->ndpi_category), "%s", cat);
    }
    classify_ndpi_release(st);
    st->_state = CLASSIFY_NDPI_FINISHED;
}

/* Starts inspecting a flow at its first packet.  False when out of
 * memory: counted, and the flow stays unclassified. */
static bool classify_ndpi_start(struct classify_ndpi *cn,
                                struct classify_ndpi_flow *st)
{
    st->_ndpi = ndpi_flow_malloc(cn->flow_size);
    if (!st->_ndpi) {
        cn->stats.alloc_failures++;
        st->_state = CLASSIFY_NDPI_FINISHED;
        return false;
    }
    memset(st->_ndpi, 0, cn->flow_size);
    st->_packets = 0;
    st->_app = NDPI_PROTOCOL_UNKNOWN;
    st->_state = CLASSIFY_NDPI_INSPECTING;
    cn->stats.flows_inspected++;
    return true;
}

bool classify_ndpi_packet(struct classify_ndpi *cn,
                          struct classify_ndpi_flow *st, struct flow *f,
                          const uint8_t *l3, uint32_t l3_len, int64_t ts_us,
                          enum flow_dir dir)
{
    struct ndpi_flow_struct *nf;
    ndpi_protocol proto;
    uint64_t ms;
    bool enough;

    if (st->_state == CLASSIFY_NDPI_FINISHED)
        return true;
    if (!classify_ndpi_whole_datagram(l3, l3_len)) {
        cn->stats.packets_skipped++;
        return false;
    }
    if (st->_state == CLASSIFY_NDPI_IDLE && !classify_ndpi_start(cn, st))
        return true;

    nf = st->_ndpi;
    st->_packets++;
    cn->stats.packets_fed++;
    ms = ts_us > 0 ? (uint64_t)ts_us / 1000u : 0;
    proto = classify_ndpi_process(cn->mod, nf, l3, (uint16_t)l3_len, ms,
                                  dir);
    st->_app = classify_ndpi_app_id(&proto);

    /* ndpiReader: the packet budget counts this packet. */
    enough = classify_ndpi_hopeless(nf) ||
             (f->key.proto == 6 &&
              st->_packets > CLASSIFY_NDPI_MAX_TCP_PACKETS) ||
             (f->key.proto == 17 &&
              st->_packets > CLASSIFY_NDPI_MAX_UDP_PACKETS);
    if (!enough) {
        if (st->_app == NDPI_PROTOCOL_UNKNOWN)
            return false;
        /* Found, but more metadata may follow (the certificate after a
         * TLS ClientHello, the answer to a DNS query): keep feeding, as
         * ndpiReader does, since the name can still be refined. */
        if (ndpi_extra_dissection_possible(cn->mod, nf))
            return false;
    }
    classify_ndpi_finish(cn, st, f, proto,
                         st->_app == NDPI_PROTOCOL_UNKNOWN);
    return true;
}

void classify_ndpi_flow_end(struct classify_ndpi *cn,
                            struct classify_ndpi_flow *st, struct flow *f)
{
    ndpi_protocol none;

    if (st->_state != CLASSIFY_NDPI_INSPECTING)
        return;
    memset(&none, 0, sizeof(none));
    classify_ndpi_finish(cn, st, f, none, true);
}
