/* Shared between the diff subcommand's files (diff.c loads and matches,
 * diff_compare.c compares two messages); not a public interface. */
#ifndef RINGSCOPE_DIFF_INTERNAL_H
#define RINGSCOPE_DIFF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipaddr.h"
#include "sip.h"

/* One SIP message of a capture, with its own copy of the bytes. */
struct diff_msg {
    uint64_t frame;
    int64_t ts_us;
    struct ip_addr src;
    struct ip_addr dst;
    uint16_t sport;
    uint16_t dport;
    bool tcp;
    uint8_t *raw;
    size_t len;
    char *key;                  /* matching key; NULL: cannot match */
    struct diff_msg *peer;      /* the same message on the other side */
};

struct diff_side {
    const char *path;
    struct diff_msg *msgs;      /* in capture order */
    size_t n;
    size_t cap;
    int64_t first_us;           /* of its SIP messages; 0 when none */
    int64_t last_us;
};

/* Distinct change labels ("Via sent-by", "SDP c="), in first-seen
 * order.  Labels past the bound are dropped. */
#define DIFF_LABELS_MAX 64
#define DIFF_LABEL_LEN 48

struct diff_labels {
    size_t n;
    char name[DIFF_LABELS_MAX][DIFF_LABEL_LEN];
};

void diff_labels_add(struct diff_labels *l, const char *label);
/* "Via sent-by, Contact, SDP c=". */
void diff_labels_print(FILE *out, const struct diff_labels *l);

/* Prints, one indented line each, what changed between before and
 * after (the same message before and after the router): the IP/UDP
 * endpoints first, then the SIP text.  Adds the label of each SIP change
 * to sip (the IP/UDP ones are not SIP changes).  mb and ma are scratch
 * parse buffers.  Returns true when the SIP text differs. */
bool diff_compare(FILE *out, const struct diff_msg *before,
                  const struct diff_msg *after, struct sip_msg *mb,
                  struct sip_msg *ma, struct diff_labels *sip,
                  bool *addresses_changed);

/* "REGISTER sip:199.7.172.10 (CSeq 2 REGISTER, Call-ID abc)" or
 * "200 OK (CSeq 2 REGISTER, Call-ID abc)". */
void diff_describe(const struct diff_msg *dm, struct sip_msg *scratch,
                   char *buf, size_t size);

#endif
