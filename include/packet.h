/* One captured frame as handed from capture to decode. */
#ifndef RINGSCOPE_PACKET_H
#define RINGSCOPE_PACKET_H

#include <stdint.h>

struct pkt {
    const uint8_t *data;    /* borrowed: valid only during the call */
    uint32_t caplen;        /* bytes present in data */
    uint32_t wirelen;       /* original frame length on the wire */
    int64_t ts_us;          /* capture time, UTC microseconds */
    uint64_t num;           /* 1-based frame number in its capture file */
    int linktype;           /* DLT_* value of the interface it came from */
};

#endif
