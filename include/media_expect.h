/* Media endpoints announced in SDP, shared between the SIP stage (which
 * learns them) and the media stage (which ties RTP streams to calls and
 * learns the clock rate of dynamic payload types).
 *
 * An entry says: "the party of call CALL_ID expects media at ADDR:PORT,
 * payload types with these clock rates".  The table is bounded; the oldest
 * announcement is dropped when it is full.  Lookups never allocate. */
#ifndef RINGSCOPE_MEDIA_EXPECT_H
#define RINGSCOPE_MEDIA_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

#define MEDIA_EXPECT_CALL_ID_MAX 128
#define MEDIA_EXPECT_PT_MAX 8

struct media_expect_entry {
    struct ip_addr addr;
    uint16_t port;
    char call_id[MEDIA_EXPECT_CALL_ID_MAX];     /* truncated if longer */
    uint64_t sdp_packet;        /* frame number of the SDP */
    int64_t ts_us;              /* when it was announced */
    bool from_offer;            /* offer (INVITE) or answer (2xx) */
    size_t n_pt;
    uint8_t pt[MEDIA_EXPECT_PT_MAX];
    uint32_t clock_rate[MEDIA_EXPECT_PT_MAX];
    char encoding[MEDIA_EXPECT_PT_MAX][16];
};

struct media_expect;

/* NULL when out of memory.  media_expect_free() accepts NULL. */
struct media_expect *media_expect_new(size_t max_entries);
void media_expect_free(struct media_expect *me);

/* Records or refreshes the announcement for e->addr:e->port (a later
 * announcement for the same endpoint replaces the earlier one). */
void media_expect_add(struct media_expect *me,
                      const struct media_expect_entry *e);

/* The latest announcement for addr:port made at or before now_us, or
 * NULL.  Borrowed until the next media_expect_add(). */
const struct media_expect_entry *
media_expect_lookup(const struct media_expect *me, const struct ip_addr *addr,
                    uint16_t port, int64_t now_us);

/* The announcements of one call made at or before now_us: stores up to
 * max of them in out[] (borrowed until the next media_expect_add(); any
 * order) and returns how many there are in all.  Scans every entry in
 * use, so it is meant for once per media flow, not per packet. */
size_t media_expect_find_call(const struct media_expect *me,
                              const char *call_id, int64_t now_us,
                              const struct media_expect_entry **out,
                              size_t max);

/* The clock rate announced for payload type pt, 0 when not announced. */
uint32_t media_expect_clock_rate(const struct media_expect_entry *e,
                                 uint8_t pt);

/* Forgets everything (end of a capture). */
void media_expect_clear(struct media_expect *me);

#endif
