/* The record the TCP analyzer hands to the sinks for each Wireshark
 * analysis flag a flow direction carried: how often, and the first frames
 * that carried it (evidence a user can open in Wireshark). */
#ifndef RINGSCOPE_TCP_RECORD_H
#define RINGSCOPE_TCP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define TCP_RECORD_EVIDENCE 3

struct tcp_flag_record {
    uint64_t flow_id;
    enum flow_dir dir;
    enum flow_tcp_flag flag;
    uint32_t count;
    size_t n_packets;                       /* entries used in packets[] */
    uint64_t packets[TCP_RECORD_EVIDENCE];  /* first frames, ascending */
};

#endif
