/* The evidence writer (--evidence DIR): a sink that, for every requirement
 * that FAILs in a capture file, writes DIR/<requirement>.pcap holding the
 * packets that prove it, so the proof opens in Wireshark.
 *
 * Which packets: every packet of each flow the verdict names as evidence
 * (the flows of its "flow ID packet N" items, at most
 * COMPLIANCE_EVIDENCE_MAX), both directions, from the frame that opened
 * the flow to its last packet, plus ICMP errors quoting such a flow and
 * every packet the evidence names by number.  They are found in a second
 * pass over the capture file once its analysis is done, matched by flow
 * key (addresses, ports, protocol, VLAN) and the flow's frame and time
 * span, so a later flow on the same 5-tuple is not mixed in.  Packets keep
 * their capture order, timestamps (microseconds) and link type.  IP
 * fragments of an evidence flow are included only as the frame that
 * completes a datagram (earlier fragments carry no ports).
 *
 * A requirement that fails in several captures of one run gets the
 * packets of each, appended capture after capture; when a capture's link
 * type differs from the file's, that capture's packets go to
 * <requirement>.<N>.pcap (N: the capture's ordinal in the run).  A failing
 * verdict without flow or packet evidence, or whose evidence matches no
 * packet of the file, writes no file (a warning says so).  Memory: a few
 * dozen bytes per flow of the current capture, until its end.  Files only: a live capture cannot be read twice, so the option
 * refuses -i (options.c). */
#ifndef RINGSCOPE_SINK_EVIDENCE_H
#define RINGSCOPE_SINK_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "sink.h"

/* One item of a verdict's evidence text; 0 for what it does not name. */
struct evidence_item {
    uint64_t flow_id;
    uint64_t packet;
};

/* Parses a verdict's evidence text ("flow ID packet N, packet N, flow ID",
 * compliance.h) into items (at most max).  Returns the number parsed, or
 * -1 when the text is not in that form. */
int evidence_parse(const char *text, struct evidence_item *items,
                   size_t max);

/* The file name for a requirement ID: letters, digits, '-', '_' and '.'
 * are kept, anything else (a '/' above all) becomes '_', a leading '.'
 * too, and the name is cut to fit; ".pcap" is appended.  Never empty. */
void evidence_file_name(const char *requirement, char *buf, size_t len);

/* Makes dir (one level; an existing directory is fine) and fills *out
 * with the sink.  bpf is the run's filter (borrowed; may be NULL), applied
 * again in the second pass so frame numbers agree.  Returns 0, or -1 with
 * a message in err. */
int sink_evidence_new(const char *dir, const char *bpf, struct sink *out,
                      char *err, size_t errlen);

#endif
