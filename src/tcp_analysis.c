/* TCP sequence analysis per flow, flag for flag as Wireshark 4.0 computes
 * tcp.analysis.* (epan/dissectors/packet-tcp.c, tcp_analyze_sequence_number
 * and the parts of dissect_tcp around it), plus the handshake outcome and
 * span-port duplicates.  Spec: RFC 9293 (sequence space, SYN and FIN take
 * one sequence number), RFC 7323 section 2 (window scale), RFC 1982
 * (serial number arithmetic).
 *
 * The order of the tests below is the order Wireshark runs them, and it is
 * what gives the precedence between flags:
 *
 *   zero window probe      len 1 at the next expected seq while the other
 *                          side advertises a zero window; skips the window
 *                          and ACK tests below
 *   zero window            window 0, no SYN/FIN/RST
 *   lost segment           seq beyond the next expected seq (not on RST)
 *   keep-alive             len 0 or 1 at next expected seq - 1, no SYN/FIN/RST
 *   window update          pure ACK, same seq/ack, new non-zero window
 *   window full            the segment ends exactly at the right edge of the
 *                          window the other side advertised (scale known)
 *   keep-alive ACK         dup-ACK-like answer to a keep-alive
 *   zero window probe ACK  zero-window answer to a probe
 *   duplicate ACK          pure ACK repeating seq, ack and non-zero window
 *   ACKed unseen segment   ACK beyond what the other side was seen sending
 *   then, for a segment with payload, SYN or FIN that is not a keep-alive:
 *     spurious retransmission  all its data already ACKed by the other side
 *     fast retransmission      below the next expected seq, >= 2 dup ACKs
 *                              for exactly this seq, last ACK < 20 ms ago
 *     out-of-order             below the next expected seq, < iRTT (3 ms
 *                              when unknown) after the highest segment, and
 *                              not ending exactly at the next expected seq
 *     retransmission           below the next expected seq
 *   (Wireshark's default "fast retransmission supersedes out-of-order".)
 * The three retransmission kinds are exclusive here; tshark's display
 * filter tcp.analysis.retransmission matches all three, so its count is
 * their sum (TCP_AF_ANY_RETRANSMISSION), as in flows.*_retrans.
 *
 * A value of zero in nextseq, maxseqtobeacked or lastack means "unknown",
 * as in Wireshark, even when the real value happens to be zero.  Windows
 * are compared raw (before scaling), as Wireshark does; only the window
 * full test scales, once both SYNs told whether scaling is in use.
 *
 * Known differences from tshark:
 * - Span-port duplicates.  A switch that mirrors both the ingress and the
 *   egress port of a host delivers every frame twice.  tshark calls the
 *   second copy a retransmission (or a duplicate ACK), which is not what
 *   happened on the network.  Here a segment is a copy of one of the last
 *   TCP_ANALYSIS_MIRROR_RING segments of the same direction when it came
 *   less than TCP_ANALYSIS_MIRROR_WINDOW_US (10 ms) after it and seq, ack,
 *   flags, window, length, TCP checksum, IP version, TTL and IPv4 header
 *   checksum are all equal, and either
 *     a) it is IPv4 with the same non-zero IP ID: a sender gives every new
 *        datagram a new ID, so a real retransmission never repeats it; or
 *     b) (IP ID 0, which Linux puts on SYN/ACKs and resets, or IPv6) it
 *        occupies sequence space (payload, SYN or FIN) or is a RST, and
 *        the other direction sent nothing in between: a real
 *        retransmission within 10 ms needs the other side's duplicate
 *        ACKs first, and a real SYN, FIN or RST is never resent that soon.
 *   Pure ACKs without an IP ID are never taken for copies, because a
 *   receiver may send several identical duplicate ACKs in a burst.
 * - Wireshark stops adding the SYN/FIN sequence number to its next
 *   expected seq once 10,000 segments of a direction are unacknowledged
 *   (capture of one direction only); this analysis always adds it.
 * - Wireshark keys state on addresses and ports only; the flow table also
 *   keys on the VLAN and splits flows after an idle timeout, so a flow
 *   that the table ends and restarts starts a fresh analysis here.
 * - Times are in microseconds: with nanosecond captures, a gap within a
 *   microsecond of a threshold (3 ms, 20 ms, the iRTT) may fall the other
 *   way. */
#include "config.h"

#include "tcp_analysis.h"

#include <stddef.h>
#include <string.h>

#include "decode.h"
#include "packet.h"

#define TCP_ANALYSIS_NO_SCALE (-2)
#define TCP_ANALYSIS_SCALE_UNKNOWN (-1)
#define TCP_ANALYSIS_MAX_SHIFT 14   /* RFC 7323 section 2.3 */
#define TCP_ANALYSIS_DUPACK_MARK UINT32_MAX

/* RFC 1982 comparisons on 32-bit sequence numbers. */
static bool seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static bool seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

static bool seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(b - a) < 0;
}

/* Time since then, as Wireshark's unsigned nanosecond deltas: a packet
 * older than the reference gives a huge value, never a small one. */
static uint64_t since_us(int64_t now_us, int64_t then_us)
{
    return (uint64_t)now_us - (uint64_t)then_us;
}

static void dir_state_init(struct tcp_analysis_dir_state *st)
{
    memset(st, 0, sizeof(*st));
    st->window = UINT32_MAX;
    st->win_scale = TCP_ANALYSIS_SCALE_UNKNOWN;
}

/* The sequence state that Wireshark keeps in one TCP conversation; a new
 * SYN with another ISN starts it again. */
static void sequence_state_reset(struct tcp_analysis *ta)
{
    dir_state_init(&ta->_dir[0]);
    dir_state_init(&ta->_dir[1]);
    ta->_mru_syn_us = 0;
    ta->_first_rtt_us = 0;
}

void tcp_analysis_init(struct tcp_analysis *ta)
{
    memset(ta, 0, sizeof(*ta));
    sequence_state_reset(ta);
    ta->_state = FLOW_TCP_NONE;
    ta->_rtt_us = -1;
}

void tcp_segment_from_decoded(struct tcp_segment *seg, const struct pkt *pkt,
                              const struct decoded *d)
{
    memset(seg, 0, sizeof(*seg));
    seg->frame = pkt->num;
    seg->ts_us = pkt->ts_us;
    seg->seq = d->tcp.seq;
    seg->ack = d->tcp.ack;
    seg->len = d->payload_wire_len;
    seg->window = d->tcp.window;
    seg->flags = d->tcp.flags;
    seg->wscale = d->tcp.wscale;
    seg->ip_version = d->ip_version;
    seg->ttl = d->ttl;
    seg->ip_id = d->ip_id;
    seg->ip_checksum = d->ip_checksum;
    seg->tcp_checksum = d->tcp.checksum;
}

/* --- span-port duplicates --------------------------------------------- */

static bool mirror_has_id(const struct tcp_segment *s)
{
    return s->ip_version == 4 && s->ip_id != 0;
}

static bool mirror_matches(const struct tcp_analysis_mirror_entry *e,
                           const struct tcp_segment *s,
                           uint64_t other_segments)
{
    if (!e->used || e->seq != s->seq || e->ack != s->ack ||
        e->flags != s->flags || e->window != s->window ||
        e->len != s->len || e->tcp_checksum != s->tcp_checksum ||
        e->ip_version != s->ip_version || e->ttl != s->ttl ||
        e->ip_checksum != s->ip_checksum || e->ip_id != s->ip_id)
        return false;
    if (s->ts_us < e->ts_us ||
        s->ts_us - e->ts_us >= TCP_ANALYSIS_MIRROR_WINDOW_US)
        return false;
    if (mirror_has_id(s))
        return true;
    return (s->len > 0 || (s->flags & (TCP_SYN | TCP_FIN | TCP_RST))) &&
           e->other_segments == other_segments;
}

static bool mirror_is_duplicate(const struct tcp_analysis_side *sd,
                                const struct tcp_analysis_side *other,
                                const struct tcp_segment *s)
{
    size_t i;

    for (i = 0; i < TCP_ANALYSIS_MIRROR_RING; i++) {
        if (mirror_matches(&sd->mirror[i], s, other->segments))
            return true;
    }
    return false;
}

static void mirror_remember(struct tcp_analysis_side *sd,
                            const struct tcp_analysis_side *other,
                            const struct tcp_segment *s)
{
    struct tcp_analysis_mirror_entry *e = &sd->mirror[sd->mirror_next];

    sd->mirror_next = (uint8_t)((sd->mirror_next + 1u) %
                                TCP_ANALYSIS_MIRROR_RING);
    e->used = true;
    e->ts_us = s->ts_us;
    e->other_segments = other->segments;
    e->seq = s->seq;
    e->ack = s->ack;
    e->len = s->len;
    e->ip_id = s->ip_id;
    e->ip_checksum = s->ip_checksum;
    e->tcp_checksum = s->tcp_checksum;
    e->window = s->window;
    e->flags = s->flags;
    e->ip_version = s->ip_version;
    e->ttl = s->ttl;
}

/* --- Wireshark's conversation bookkeeping ----------------------------- */

/* A SYN on a conversation that already has a base sequence number: with
 * another ISN it is a new connection on the same ports (fresh state);
 * with the same ISN it is a retransmitted SYN, and the next expected seq
 * goes back to the highest contiguous one (Wireshark issue 17616).  A
 * SYN/ACK with another ISN only moves the base. */
static uint32_t reused_ports(struct tcp_analysis *ta, unsigned side,
                             const struct tcp_segment *s)
{
    struct tcp_analysis_dir_state *fwd = &ta->_dir[side];
    uint8_t sa = s->flags & (TCP_SYN | TCP_ACK);

    if (!fwd->base_seq_set)
        return 0;
    if (sa == TCP_SYN) {
        if (s->seq == fwd->base_seq) {
            fwd->nextseq = fwd->maxseqtobeacked;
            return 0;
        }
        sequence_state_reset(ta);
        return TCP_AF_REUSED_PORTS;
    }
    if (sa == (TCP_SYN | TCP_ACK) && s->seq != fwd->base_seq) {
        fwd->base_seq = s->seq;
        return TCP_AF_REUSED_PORTS;
    }
    return 0;
}

/* --- the flags -------------------------------------------------------- */

static unsigned window_shift(const struct tcp_analysis_dir_state *st)
{
    if (st->is_first_ack || st->win_scale < 0)
        return 0;
    return (unsigned)st->win_scale;
}

/* The tests before Wireshark's "finished_fwd" label: windows, gaps,
 * keep-alives and duplicate ACKs. */
static uint32_t analyse_forward(struct tcp_analysis_dir_state *fwd,
                                struct tcp_analysis_dir_state *rev,
                                const struct tcp_segment *s, uint32_t fl)
{
    const uint8_t sfr = TCP_SYN | TCP_FIN | TCP_RST;
    uint32_t win = s->window;
    bool pure = (s->flags & sfr) == 0;
    bool same_pos = s->seq == fwd->nextseq && s->ack == fwd->lastack;

    if (s->len == 1 && s->seq == fwd->nextseq && rev->window == 0)
        return fl | TCP_AF_ZERO_WINDOW_PROBE;

    if (win == 0 && pure)
        fl |= TCP_AF_ZERO_WINDOW;

    if (fwd->nextseq != 0 && seq_gt(s->seq, fwd->nextseq) &&
        (s->flags & TCP_RST) == 0)
        fl |= TCP_AF_LOST_SEGMENT;

    if (s->len <= 1 && s->seq == fwd->nextseq - 1u && pure)
        fl |= TCP_AF_KEEP_ALIVE;

    if (s->len == 0 && win != 0 && win != fwd->window && same_pos && pure)
        fl |= TCP_AF_WINDOW_UPDATE;

    if (s->len > 0 && rev->win_scale != TCP_ANALYSIS_SCALE_UNKNOWN && pure &&
        s->seq + s->len ==
            rev->lastack + (uint32_t)(rev->window << window_shift(rev)))
        fl |= TCP_AF_WINDOW_FULL;

    if (s->len == 0 && win != 0 && win == fwd->window && same_pos &&
        (rev->lastsegmentflags & TCP_AF_KEEP_ALIVE) && pure)
        return fl | TCP_AF_KEEP_ALIVE_ACK;

    if (s->len == 0 && win == 0 && win == fwd->window && same_pos &&
        (rev->lastsegmentflags & TCP_AF_ZERO_WINDOW_PROBE) && pure)
        return fl | TCP_AF_ZERO_WINDOW_PROBE_ACK;

    if (s->len == 0 && win != 0 && win == fwd->window && same_pos && pure) {
        /* The "reported" mark of analyse_ack_unseen() counts as none. */
        if (fwd->dupacknum == TCP_ANALYSIS_DUPACK_MARK)
            fwd->dupacknum = 1;
        else
            fwd->dupacknum++;
        fl |= TCP_AF_DUPLICATE_ACK;
    }
    return fl;
}

/* ACK beyond the highest contiguous seq seen from the other side: a
 * segment the capture missed.  When the other side has sent beyond a hole,
 * the mark jumps to its highest seq; otherwise the other side's dup ACK
 * counter is set to a "reported already" mark, which its next ACK with a
 * new number clears, so that a stream of ACKs for one unseen segment is
 * reported once.  Wireshark stores -1 in an unsigned counter, so the mark
 * also reads as "many dup ACKs" to the fast retransmission test. */
static uint32_t analyse_ack_unseen(struct tcp_analysis_dir_state *rev,
                                   const struct tcp_segment *s, uint32_t fl)
{
    if (rev->maxseqtobeacked == 0 || !seq_gt(s->ack, rev->maxseqtobeacked) ||
        (s->flags & TCP_ACK) == 0)
        return fl;
    if (seq_gt(rev->nextseq, rev->maxseqtobeacked)) {
        rev->maxseqtobeacked = rev->nextseq;
        return fl | TCP_AF_ACK_LOST_SEGMENT;
    }
    if (rev->dupacknum == 0)
        fl |= TCP_AF_ACK_LOST_SEGMENT;
    rev->dupacknum = TCP_ANALYSIS_DUPACK_MARK;
    return fl;
}

/* Retransmission kinds of a segment that occupies sequence space. */
static uint32_t analyse_retransmission(const struct tcp_analysis *ta,
                                       const struct tcp_analysis_dir_state *fwd,
                                       const struct tcp_analysis_dir_state *rev,
                                       const struct tcp_segment *s,
                                       uint32_t fl)
{
    uint32_t synfin = (s->flags & (TCP_SYN | TCP_FIN)) ? 1u : 0u;
    uint64_t ooo_threshold;
    bool not_advanced;

    if (s->len == 0 && synfin == 0)
        return fl;
    if (fl & TCP_AF_KEEP_ALIVE)
        return fl;

    not_advanced = fwd->nextseq != 0 && seq_lt(s->seq, fwd->nextseq);
    /* One byte below: the previous segment may have been a zero window
     * probe; a longer segment from there brings new data. */
    if (s->len > 1 && fwd->nextseq - 1u == s->seq)
        not_advanced = false;

    if (s->len > 0 && rev->lastack != 0 &&
        seq_le(s->seq + s->len, rev->lastack))
        return fl | TCP_AF_SPURIOUS_RETRANSMISSION;

    if (not_advanced && rev->dupacknum >= 2 && rev->lastack == s->seq &&
        since_us(s->ts_us, rev->lastack_us) < TCP_ANALYSIS_FAST_RETRANS_US)
        return fl | TCP_AF_FAST_RETRANSMISSION;

    ooo_threshold = ta->_first_rtt_us != 0 ? (uint64_t)ta->_first_rtt_us
                                           : TCP_ANALYSIS_OOO_DEFAULT_US;
    if (not_advanced && since_us(s->ts_us, fwd->nextseq_us) < ooo_threshold &&
        fwd->nextseq != s->seq + s->len + synfin)
        return fl | TCP_AF_OUT_OF_ORDER;

    if (not_advanced)
        fl |= TCP_AF_RETRANSMISSION;
    return fl;
}

/* Remembers what the next segments are compared with. */
static void advance(struct tcp_analysis_dir_state *fwd,
                    const struct tcp_segment *s, uint32_t fl)
{
    uint32_t nextseq = s->seq + s->len;
    bool probe = (fl & TCP_AF_ZERO_WINDOW_PROBE) != 0;

    if (s->flags & (TCP_SYN | TCP_FIN))
        nextseq += 1;
    if ((seq_gt(nextseq, fwd->nextseq) || fwd->nextseq == 0) && !probe) {
        fwd->nextseq = nextseq;
        fwd->nextseq_us = s->ts_us;
    }
    if ((s->seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0) &&
        !probe)
        fwd->maxseqtobeacked = fwd->nextseq;
    fwd->window = s->window;
    fwd->lastack = s->ack;
    fwd->lastack_us = s->ts_us;
    fwd->lastsegmentflags = fl;
}

static uint32_t analyse_sequence(struct tcp_analysis *ta, unsigned side,
                                 const struct tcp_segment *s, uint32_t fl)
{
    struct tcp_analysis_dir_state *fwd = &ta->_dir[side];
    struct tcp_analysis_dir_state *rev = &ta->_dir[side ^ 1u];

    /* Base sequence numbers: they tell a new connection on the same ports
     * from a retransmitted SYN. */
    if (!fwd->base_seq_set) {
        fwd->base_seq = (s->flags & TCP_SYN) ? s->seq : s->seq - 1u;
        fwd->base_seq_set = true;
    }
    if (!rev->base_seq_set && (s->flags & TCP_ACK)) {
        rev->base_seq = s->ack - 1u;
        rev->base_seq_set = true;
    }

    fl = analyse_forward(fwd, rev, s, fl);
    /* A new ACK number starts the duplicate ACK count again. */
    if (s->ack != fwd->lastack)
        fwd->dupacknum = 0;
    fl = analyse_ack_unseen(rev, s, fl);
    fl = analyse_retransmission(ta, fwd, rev, s, fl);
    advance(fwd, s, fl);
    return fl;
}

/* What dissect_tcp does after the analysis of a segment: handshake times,
 * the window scale option, and whether both SYNs agreed on scaling. */
static void after_segment(struct tcp_analysis *ta, unsigned side,
                          const struct tcp_segment *s)
{
    struct tcp_analysis_dir_state *fwd = &ta->_dir[side];
    struct tcp_analysis_dir_state *rev = &ta->_dir[side ^ 1u];
    uint8_t sa = s->flags & (TCP_SYN | TCP_ACK);

    if (s->flags & TCP_SYN) {
        if (sa == TCP_SYN)
            ta->_mru_syn_us = s->ts_us;
        fwd->is_first_ack = true;
    }
    /* The first ACK without SYN after a SYN gives the initial RTT.  Like
     * Wireshark, a time of zero means "not seen": a SYN stamped exactly
     * at the epoch, or a zero RTT, leave it unknown. */
    if (sa == TCP_ACK) {
        if (ta->_mru_syn_us != 0 && ta->_first_rtt_us == 0)
            ta->_first_rtt_us = s->ts_us - ta->_mru_syn_us;
        fwd->is_first_ack = false;
    }

    if (s->wscale >= 0)
        fwd->win_scale = s->wscale > TCP_ANALYSIS_MAX_SHIFT
                             ? TCP_ANALYSIS_MAX_SHIFT
                             : s->wscale;

    /* RFC 7323 section 2.2: scaling is in use only when both SYNs carry
     * the option.  A SYN without it settles "no scaling" both ways; a
     * SYN/ACK with it after a SYN without it does not turn it on. */
    if (s->flags & TCP_SYN) {
        if (fwd->win_scale == TCP_ANALYSIS_SCALE_UNKNOWN) {
            fwd->win_scale = TCP_ANALYSIS_NO_SCALE;
            rev->win_scale = TCP_ANALYSIS_NO_SCALE;
        } else if (sa == (TCP_SYN | TCP_ACK) &&
                   rev->win_scale == TCP_ANALYSIS_NO_SCALE) {
            fwd->win_scale = TCP_ANALYSIS_NO_SCALE;
        }
    }
}

/* --- handshake outcome and resets ------------------------------------- */

static bool state_is_open(enum flow_tcp_state st)
{
    return st == FLOW_TCP_ESTABLISHED || st == FLOW_TCP_MID_STREAM;
}

static bool state_awaits_answer(enum flow_tcp_state st)
{
    return st == FLOW_TCP_SYN_SENT || st == FLOW_TCP_REFUSED ||
           st == FLOW_TCP_ICMP_UNREACHABLE;
}

static void handshake_first(struct tcp_analysis *ta, unsigned side,
                            const struct tcp_segment *s)
{
    uint8_t sa = s->flags & (TCP_SYN | TCP_ACK);

    if (sa == TCP_SYN) {
        ta->_state = FLOW_TCP_SYN_SENT;
        ta->_syn_side = (uint8_t)side;
        ta->_syn_count = 1;
        ta->_first_syn_frame = s->frame;
        ta->_first_syn_us = s->ts_us;
        ta->_last_syn_us = s->ts_us;
    } else if (sa == (TCP_SYN | TCP_ACK)) {
        /* The SYN was not captured: established, RTT unknown. */
        ta->_state = FLOW_TCP_ESTABLISHED;
        ta->_syn_side = (uint8_t)(side ^ 1u);
    } else {
        ta->_state = FLOW_TCP_MID_STREAM;
    }
}

/* Outcome of the opening: a SYN/ACK from the other side establishes the
 * connection (also after a refusal or an ICMP error, when a retried SYN
 * finally got through); a RST from the other side before any SYN/ACK
 * refuses it. */
static void handshake_next(struct tcp_analysis *ta, unsigned side,
                           const struct tcp_segment *s)
{
    uint8_t sa = s->flags & (TCP_SYN | TCP_ACK);

    if (!state_awaits_answer(ta->_state))
        return;
    if (side == ta->_syn_side) {
        if (sa == TCP_SYN) {
            ta->_syn_count++;
            ta->_last_syn_us = s->ts_us;
        }
        return;
    }
    ta->_reply_seen = true;
    if (sa == (TCP_SYN | TCP_ACK)) {
        ta->_state = FLOW_TCP_ESTABLISHED;
        ta->_rtt_us = s->ts_us - ta->_last_syn_us;
    } else if ((s->flags & TCP_RST) && ta->_state == FLOW_TCP_SYN_SENT) {
        ta->_state = FLOW_TCP_REFUSED;
        ta->_refused_frame = s->frame;
        ta->_refused_us = s->ts_us;
    }
}

/* A reset of a connection that carried data and that neither side was
 * closing: the kind of reset that cuts a call. */
static void track_close(struct tcp_analysis *ta, unsigned side,
                        const struct tcp_segment *s)
{
    if ((s->flags & TCP_RST) && ta->_reset_frame == 0 &&
        state_is_open(ta->_state) && ta->_payload_seen && !ta->_fin_seen) {
        ta->_reset_frame = s->frame;
        ta->_reset_us = s->ts_us;
        ta->_reset_side = (uint8_t)side;
    }
    if (s->flags & TCP_FIN)
        ta->_fin_seen = true;
    if (s->len > 0 && (s->flags & TCP_RST) == 0)
        ta->_payload_seen = true;
}

/* --- tallies ---------------------------------------------------------- */

static void tally(struct tcp_analysis_side *sd, const struct tcp_segment *s,
                  uint32_t fl)
{
    unsigned k;

    for (k = 0; k < FLOW_TCPF_COUNT; k++) {
        if ((fl & (1u << k)) == 0)
            continue;
        if (sd->count[k] < TCP_ANALYSIS_EVIDENCE)
            sd->evidence[k][sd->count[k]] = s->frame;
        if (sd->count[k] < UINT32_MAX)
            sd->count[k]++;
    }
    if ((fl & TCP_AF_ANY_RETRANSMISSION) && sd->first_retrans_frame == 0) {
        sd->first_retrans_frame = s->frame;
        sd->first_retrans_us = s->ts_us;
    }
    if (fl & TCP_AF_MIRROR_DUPLICATE)
        return;
    sd->segments++;
    if (s->len > 0)
        sd->data_segments++;
}

uint32_t tcp_analysis_segment(struct tcp_analysis *ta, unsigned side,
                              const struct tcp_segment *s)
{
    struct tcp_analysis_side *sd;
    const struct tcp_analysis_side *other;
    uint32_t fl;

    side &= 1u;
    sd = &ta->_side[side];
    other = &ta->_side[side ^ 1u];
    if (mirror_is_duplicate(sd, other, s)) {
        tally(sd, s, TCP_AF_MIRROR_DUPLICATE);
        return TCP_AF_MIRROR_DUPLICATE;
    }
    mirror_remember(sd, other, s);

    fl = reused_ports(ta, side, s);
    fl = analyse_sequence(ta, side, s, fl);
    after_segment(ta, side, s);

    if (!ta->_seen_any)
        handshake_first(ta, side, s);
    else
        handshake_next(ta, side, s);
    ta->_seen_any = true;
    track_close(ta, side, s);
    tally(sd, s, fl);
    return fl;
}

void tcp_analysis_icmp_error(struct tcp_analysis *ta, bool unreachable)
{
    if (unreachable && ta->_state == FLOW_TCP_SYN_SENT)
        ta->_state = FLOW_TCP_ICMP_UNREACHABLE;
}

enum flow_tcp_state tcp_analysis_finish(struct tcp_analysis *ta)
{
    if (ta->_state == FLOW_TCP_SYN_SENT && !ta->_reply_seen)
        ta->_state = FLOW_TCP_UNANSWERED;
    return ta->_state;
}

enum flow_tcp_state tcp_analysis_state(const struct tcp_analysis *ta)
{
    return ta->_state;
}

int64_t tcp_analysis_rtt_us(const struct tcp_analysis *ta)
{
    return ta->_rtt_us;
}

int64_t tcp_analysis_initial_rtt_us(const struct tcp_analysis *ta)
{
    return ta->_first_rtt_us;
}

uint32_t tcp_analysis_count(const struct tcp_analysis *ta, unsigned side,
                            enum flow_tcp_flag flag)
{
    if ((unsigned)flag >= FLOW_TCPF_COUNT)
        return 0;
    return ta->_side[side & 1u].count[flag];
}

uint64_t tcp_analysis_evidence(const struct tcp_analysis *ta, unsigned side,
                               enum flow_tcp_flag flag, unsigned n)
{
    if ((unsigned)flag >= FLOW_TCPF_COUNT || n >= TCP_ANALYSIS_EVIDENCE)
        return 0;
    return ta->_side[side & 1u].evidence[flag][n];
}

uint64_t tcp_analysis_data_segments(const struct tcp_analysis *ta,
                                    unsigned side)
{
    return ta->_side[side & 1u].data_segments;
}

uint64_t tcp_analysis_first_retrans(const struct tcp_analysis *ta,
                                    unsigned side, int64_t *ts_us)
{
    const struct tcp_analysis_side *sd = &ta->_side[side & 1u];

    if (ts_us)
        *ts_us = sd->first_retrans_us;
    return sd->first_retrans_frame;
}

uint32_t tcp_analysis_syn_count(const struct tcp_analysis *ta)
{
    return ta->_syn_count;
}

uint64_t tcp_analysis_first_syn(const struct tcp_analysis *ta,
                                int64_t *first_us, int64_t *last_us)
{
    if (first_us)
        *first_us = ta->_first_syn_us;
    if (last_us)
        *last_us = ta->_last_syn_us;
    return ta->_first_syn_frame;
}

unsigned tcp_analysis_syn_side(const struct tcp_analysis *ta)
{
    return ta->_syn_side;
}

uint64_t tcp_analysis_refused_frame(const struct tcp_analysis *ta,
                                    int64_t *ts_us)
{
    if (ts_us)
        *ts_us = ta->_refused_us;
    return ta->_refused_frame;
}

uint64_t tcp_analysis_reset(const struct tcp_analysis *ta, int64_t *ts_us,
                            unsigned *side)
{
    if (ts_us)
        *ts_us = ta->_reset_us;
    if (side)
        *side = ta->_reset_side;
    return ta->_reset_frame;
}
