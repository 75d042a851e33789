/* nDPI adapter: the application protocol of a flow, as libndpi names it.
 *
 * This module is the only user of libndpi; no nDPI type appears here.  It
 * hides the differences between nDPI 4.2 and 4.12 (the configure probes
 * choose the call shapes) and decides, like nDPI's own ndpiReader, how long
 * a flow is inspected:
 *
 *   - every packet of the flow is fed from its first one, until nDPI names
 *     an application protocol and has no further metadata to extract
 *     (a TLS certificate, a DNS answer, an HTTP response);
 *   - inspection stops, found or not, with the packet after the budget:
 *     packet CLASSIFY_NDPI_MAX_TCP_PACKETS + 1 of a TCP flow,
 *     CLASSIFY_NDPI_MAX_UDP_PACKETS + 1 of a UDP flow (other protocols
 *     have no budget); from nDPI 4.6 also as soon as nDPI reports that no
 *     dissector can match any more;
 *   - a flow without an application protocol when inspection stops, or
 *     when it ends first, is given up: nDPI may still guess from ports
 *     and addresses.
 *
 * The per-flow nDPI state (688 bytes with nDPI 4.2) is allocated at a
 * flow's first packet and freed as soon as inspection stops, so only
 * flows still under inspection cost memory.  An allocation failure is
 * counted and the flow is left unclassified; it is never fatal. */
#ifndef RINGSCOPE_CLASSIFY_NDPI_H
#define RINGSCOPE_CLASSIFY_NDPI_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

/* Packet budgets of a flow: ndpiReader's defaults, 80 for TCP (telnet
 * needs that many) and 24 for UDP (Signal and Snapchat calls need more
 * than the usual 8). */
#define CLASSIFY_NDPI_MAX_TCP_PACKETS 80
#define CLASSIFY_NDPI_MAX_UDP_PACKETS 24

struct classify_ndpi;

/* Per-flow state.  The caller embeds one in its per-flow area, zeroed
 * before the flow's first packet, and passes it back with every packet of
 * that flow; the fields are the adapter's own.  Once the flow ended
 * (classify_ndpi_flow_end()) the state holds no memory and may be
 * discarded. */
struct classify_ndpi_flow {
    void *_ndpi;            /* nDPI flow, while under inspection */
    uint32_t _packets;      /* packets fed to nDPI */
    uint16_t _app;          /* application protocol id found so far */
    uint8_t _state;         /* idle, inspecting, finished */
};

struct classify_ndpi_stats {
    uint64_t flows_inspected;   /* flows given nDPI state */
    uint64_t flows_detected;    /* a protocol named by inspection */
    uint64_t flows_given_up;    /* inspection stopped without a protocol */
    uint64_t flows_guessed;     /* of those, named by the give-up (port,
                                   address, partial evidence) */
    uint64_t packets_fed;
    uint64_t packets_skipped;   /* no whole IP datagram to show nDPI */
    uint64_t alloc_failures;    /* flows left unclassified: no memory */
};

/* Creates a detection module with every protocol enabled.  Returns NULL
 * after logging why (out of memory, or nDPI headers that do not match the
 * library).  Slow (tens of milliseconds: nDPI builds its host and address
 * tables), so create one per run.  Not thread-safe: one per thread. */
struct classify_ndpi *classify_ndpi_new(void);

/* Frees the module.  Flows still under inspection must have been ended
 * first.  Accepts NULL. */
void classify_ndpi_free(struct classify_ndpi *cn);

/* Feeds one packet of flow f (f->key.proto picks the budget).  l3 is the
 * packet from its IP header on and l3_len the bytes captured of the IP
 * datagram (never beyond its total length); both are borrowed for the
 * call.  A NULL l3, or a datagram not captured whole, is not shown to
 * nDPI and does not count towards the budget (packets_skipped).  dir is
 * the packet's direction in f; ts_us its capture time.
 *
 * Returns false while inspection wants more packets, true once it has
 * stopped.  When it stops, f->ndpi_proto receives nDPI's name
 * ("TLS.Google": master and application protocol; "DNS"; "Unknown" when
 * a give-up found nothing) and f->ndpi_category nDPI's category name
 * ("Web"; empty when nDPI gives none), and the nDPI state is freed.
 * Later calls for the same flow return true and do nothing.  When the
 * state cannot be allocated (alloc_failures) it returns true at once and
 * both fields stay empty. */
bool classify_ndpi_packet(struct classify_ndpi *cn,
                          struct classify_ndpi_flow *st, struct flow *f,
                          const uint8_t *l3, uint32_t l3_len, int64_t ts_us,
                          enum flow_dir dir);

/* Ends the flow's inspection; call it for every flow, from the flow
 * table's end callback.  A flow still under inspection is given up, as
 * ndpiReader does at the end of a capture: a protocol already named
 * (while nDPI waited for more metadata) stays, otherwise nDPI may guess by
 * port or address; f->ndpi_proto and f->ndpi_category are filled as
 * above.  A flow of which nDPI saw no packet keeps both fields empty.
 * Frees the state; safe to call more than once. */
void classify_ndpi_flow_end(struct classify_ndpi *cn,
                            struct classify_ndpi_flow *st, struct flow *f);

/* Copies the counters out. */
void classify_ndpi_get_stats(const struct classify_ndpi *cn,
                             struct classify_ndpi_stats *out);

/* nDPI's version string ("4.2.0"), for the record of a run. */
const char *classify_ndpi_version(void);

#endif
