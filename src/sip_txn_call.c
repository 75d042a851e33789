/* SIP call records: one per Call-ID, their state (trying, ringing,
 * answered, failed, cancelled, ended), timings, and the resend state that
 * reproduces Wireshark's sip.resend.  Spec: RFC 3261 sections 13 (INVITE
 * dialogs), 9 (CANCEL), 15 (BYE).  Calls are keyed by Call-ID alone, so
 * forked early dialogs fold into one call. */
#include "config.h"

#include "sip_txn.h"

#include <stdlib.h>
#include <string.h>

#include "sip_txn_internal.h"

/* ---- reports ------------------------------------------------------------- */

static void call_fill(const struct sip_call_rec *c, enum sip_call_end why,
                      struct sip_call_report *r)
{
    memset(r, 0, sizeof(*r));
    r->id = c->id;
    r->call_id = c->call_id;
    r->from_uri = c->from_uri;
    r->to_uri = c->to_uri;
    r->from_tag = c->from_tag;
    r->to_tag = c->to_tag;
    r->first_method = c->first_method;
    r->state = c->state;
    r->final_status = c->final_status;
    r->cancel_seen = c->cancel_seen;
    r->messages = c->messages;
    r->reinvites = c->reinvites;
    r->flow_id = c->flow_id;
    r->caller_ip = c->caller_ip;
    r->callee_ip = c->callee_ip;
    r->caller_port = c->caller_port;
    r->callee_port = c->callee_port;
    r->first_frame = c->first_frame;
    r->start_us = c->start_us;
    r->ring_us = c->ring_us;
    r->answer_us = c->answer_us;
    r->end_us = c->end_us;
    r->last_us = c->last_us;
    r->ring_delay_us = c->ring_us ? c->ring_us - c->start_us : -1;
    r->setup_us = c->answer_us ? c->answer_us - c->start_us : -1;
    r->duration_us = (c->state == SIP_CALL_ENDED && c->answer_us) ?
                     c->end_us - c->answer_us : -1;
    r->why = why;
}

static void call_notify(const struct sip_txn_table *t,
                        const struct sip_call_rec *c)
{
    struct sip_call_report r;

    if (!t->ev.call_state)
        return;
    call_fill(c, SIP_CALL_END_NONE, &r);
    t->ev.call_state(t->ev.arg, &r);
}

void sip_txn_call_remove(struct sip_txn_table *t, struct sip_call_rec *c,
                         enum sip_call_end why)
{
    struct sip_call_rec **pp = &t->cbuckets[sip_txn_bucket(c->hash, t->cmask)];

    if (t->ev.call_end) {
        struct sip_call_report r;

        call_fill(c, why, &r);
        t->ev.call_end(t->ev.arg, &r);
    }
    while (*pp && *pp != c)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = c->hnext;
    sip_txn_list_unlink(&c->lru);
    t->ncalls--;
    free(c);
}

struct sip_call_rec *sip_txn_call_oldest(struct sip_txn_table *t)
{
    struct sip_call_rec *best = NULL;
    int i;

    for (i = 0; i < SIP_CALL_LISTS; i++) {
        struct sip_call_rec *c;

        if (sip_txn_list_empty(&t->clists[i]))
            continue;
        c = sip_call_rec_of(t->clists[i].next);
        if (!best || c->touched_us < best->touched_us)
            best = c;
    }
    return best;
}

void sip_txn_call_touch(struct sip_txn_table *t, struct sip_call_rec *c)
{
    enum sip_call_list l;

    switch (c->state) {
    case SIP_CALL_TRYING:
    case SIP_CALL_RINGING:
        l = SIP_CALL_LIST_EARLY;
        break;
    case SIP_CALL_ANSWERED:
        l = SIP_CALL_LIST_ANSWERED;
        break;
    default:
        l = SIP_CALL_LIST_FINISHED;
        break;
    }
    sip_txn_list_unlink(&c->lru);
    c->list = l;
    c->touched_us = t->now;
    sip_txn_list_append(&t->clists[l], &c->lru);
    sip_txn_lists_changed(t);
}

/* ---- lookup and resend state --------------------------------------------- */

static struct sip_call_rec *call_find(struct sip_txn_table *t,
                                      struct sip_str id,
                                      uint64_t h)
{
    struct sip_call_rec *c = t->cbuckets[sip_txn_bucket(h, t->cmask)];

    for (; c; c = c->hnext) {
        if (c->hash == h && c->call_id_len == id.len &&
            sip_txn_stored_eq(c->call_id, sizeof(c->call_id), id))
            return c;
    }
    return NULL;
}

struct sip_call_rec *sip_txn_call_get(struct sip_txn_table *t,
                                      const struct sip_msg *msg,
                                      const struct sip_txn_pkt *pkt)
{
    uint64_t h = sip_txn_hash_str(sip_txn_hash_init(), msg->call_id);
    struct sip_call_rec *c = call_find(t, msg->call_id, h);
    size_t b;

    if (c)
        return c;
    if (t->ncalls >= t->cfg.max_calls) {
        struct sip_call_rec *old = sip_txn_call_oldest(t);

        if (old) {
            sip_txn_call_remove(t, old, SIP_CALL_END_EVICTED);
            t->st.calls_evicted++;
        }
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        t->st.alloc_failures++;
        return NULL;
    }
    c->id = ++t->next_call;
    c->hash = h;
    c->call_id_len = msg->call_id.len;
    sip_txn_copy_str(c->call_id, sizeof(c->call_id), msg->call_id);
    sip_txn_copy_str(c->from_uri, sizeof(c->from_uri), msg->from.uri_text);
    sip_txn_copy_str(c->to_uri, sizeof(c->to_uri), msg->to.uri_text);
    sip_txn_copy_str(c->from_tag, sizeof(c->from_tag), msg->from.tag);
    sip_txn_copy_str(c->first_method, sizeof(c->first_method),
                     msg->is_request ? msg->method : msg->cseq_method);
    c->state = SIP_CALL_NONE;
    c->flow_id = pkt->flow_id;
    if (msg->is_request) {
        c->caller_ip = pkt->src;
        c->caller_port = pkt->sport;
        c->callee_ip = pkt->dst;
        c->callee_port = pkt->dport;
    } else {
        c->caller_ip = pkt->dst;
        c->caller_port = pkt->dport;
        c->callee_ip = pkt->src;
        c->callee_port = pkt->sport;
    }
    c->first_frame = pkt->frame;
    c->start_us = pkt->ts_us;
    b = sip_txn_bucket(h, t->cmask);
    c->hnext = t->cbuckets[b];
    t->cbuckets[b] = c;
    c->lru.prev = &c->lru;
    c->lru.next = &c->lru;
    t->ncalls++;
    t->st.calls++;
    return c;
}

/* Wireshark's sip_is_packet_resend(), same rules: the frame this one
 * repeats, or 0. */
uint64_t sip_txn_call_resend(struct sip_call_rec *c, const struct sip_msg *msg,
                             const struct sip_txn_pkt *pkt)
{
    struct sip_resend_dir *d = NULL, *victim = &c->dirs[0];
    uint32_t cmp = 0;
    uint64_t result = 0;
    size_t i;

    if (pkt->reliable)
        return 0;
    for (i = 0; i < SIP_RESEND_DIRS; i++) {
        struct sip_resend_dir *e = &c->dirs[i];

        if (e->used && sip_txn_same_endpoint(&e->src, e->sport, &pkt->src,
                                             pkt->sport) &&
            sip_txn_same_endpoint(&e->dst, e->dport, &pkt->dst, pkt->dport)) {
            d = e;
            break;
        }
        if (!e->used || (victim->used && e->used_at < victim->used_at))
            victim = e;
    }
    if (d) {
        cmp = d->cseq;
        if (msg->cseq != d->cseq) {
            d->cseq = msg->cseq;
            sip_txn_copy_str(d->method, sizeof(d->method), msg->cseq_method);
            d->state = SIP_RESEND_NOTHING;
            d->frame = 0;
        }
    } else {
        d = victim;
        memset(d, 0, sizeof(*d));
        d->used = true;
        d->src = pkt->src;
        d->dst = pkt->dst;
        d->sport = pkt->sport;
        d->dport = pkt->dport;
        d->cseq = msg->cseq;
        sip_txn_copy_str(d->method, sizeof(d->method), msg->cseq_method);
        d->state = SIP_RESEND_NOTHING;
    }
    d->used_at = ++c->dir_clock;

    if (msg->is_request && msg->cseq == cmp && d->state == SIP_RESEND_REQUEST &&
        sip_txn_stored_eq(d->method, sizeof(d->method), msg->cseq_method) &&
        msg->cseq_method_id != SIP_METHOD_ACK &&
        msg->cseq_method_id != SIP_METHOD_CANCEL)
        result = d->frame;
    if (!msg->is_request && msg->cseq == cmp && d->state == SIP_RESEND_FINAL &&
        sip_txn_stored_eq(d->method, sizeof(d->method), msg->cseq_method) &&
        msg->status_code >= 200 && msg->status_code == d->code)
        result = d->frame;

    if (msg->is_request) {
        d->state = SIP_RESEND_REQUEST;
        if (!result)
            d->frame = pkt->frame;
    } else if (msg->status_code >= 200) {
        d->code = msg->status_code;
        d->state = SIP_RESEND_FINAL;
        if (!result)
            d->frame = pkt->frame;
    } else {
        d->state = SIP_RESEND_PROVISIONAL;
    }
    return result;
}

/* ---- state machine ------------------------------------------------------- */

static void call_set_state(const struct sip_txn_table *t,
                           struct sip_call_rec *c,
                           enum sip_call_state st)
{
    if (c->state == st)
        return;
    c->state = st;
    call_notify(t, c);
}

/* An initial INVITE (no To tag).  A new CSeq after a failure is the same
 * call trying again, typically after a 401/407 challenge. */
static void call_initial_invite(struct sip_txn_table *t, struct sip_call_rec *c,
                                const struct sip_msg *msg,
                                const struct sip_txn_pkt *pkt)
{
    if (!c->is_invite) {
        c->is_invite = true;
        c->invite_cseq = msg->cseq;
        c->flow_id = pkt->flow_id;
        c->caller_ip = pkt->src;
        c->caller_port = pkt->sport;
        c->callee_ip = pkt->dst;
        c->callee_port = pkt->dport;
        c->first_frame = pkt->frame;
        c->start_us = pkt->ts_us;
        sip_txn_copy_str(c->from_uri, sizeof(c->from_uri), msg->from.uri_text);
        sip_txn_copy_str(c->to_uri, sizeof(c->to_uri), msg->to.uri_text);
        sip_txn_copy_str(c->from_tag, sizeof(c->from_tag), msg->from.tag);
        sip_txn_copy_str(c->first_method, sizeof(c->first_method), msg->method);
        call_set_state(t, c, SIP_CALL_TRYING);
        return;
    }
    if (msg->cseq == c->invite_cseq)
        return;
    c->invite_cseq = msg->cseq;
    if (c->state == SIP_CALL_FAILED) {
        c->final_status = 0;
        c->end_us = 0;
        c->to_tag[0] = '\0';
        call_set_state(t, c, SIP_CALL_TRYING);
    }
}

void sip_txn_call_request(struct sip_txn_table *t, struct sip_call_rec *c,
                          const struct sip_msg *msg,
                          const struct sip_txn_pkt *pkt,
                          const struct sip_txn_verdict *v)
{
    bool original = !v->retransmission && !v->mirror_duplicate &&
                    !v->other_path;

    switch (msg->method_id) {
    case SIP_METHOD_INVITE:
        if (msg->to.tag.len == 0)
            call_initial_invite(t, c, msg, pkt);
        else if (original)
            c->reinvites++;
        break;
    case SIP_METHOD_CANCEL:
        c->cancel_seen = true;
        break;
    case SIP_METHOD_BYE:
        if (c->state == SIP_CALL_ANSWERED) {
            c->end_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_ENDED);
        } else if (c->state == SIP_CALL_TRYING ||
                   c->state == SIP_CALL_RINGING) {
            c->end_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_CANCELLED);
        }
        break;
    default:
        break;
    }
}

void sip_txn_call_response(struct sip_txn_table *t, struct sip_call_rec *c,
                           const struct sip_msg *msg,
                           const struct sip_txn_pkt *pkt)
{
    int code = msg->status_code;
    bool early = c->state == SIP_CALL_TRYING || c->state == SIP_CALL_RINGING;

    if (!c->is_invite || msg->cseq_method_id != SIP_METHOD_INVITE ||
        msg->cseq != c->invite_cseq)
        return;
    if (code > 100 && code < 200) {
        if (c->state == SIP_CALL_TRYING) {
            c->ring_us = pkt->ts_us;
            call_set_state(t, c, SIP_CALL_RINGING);
        }
    } else if (code >= 200 && code < 300) {
        if (early || c->state == SIP_CALL_FAILED ||
            c->state == SIP_CALL_CANCELLED) {
            if (c->answer_us == 0)
                c->answer_us = pkt->ts_us;
            c->final_status = code;
            c->end_us = 0;
            sip_txn_copy_str(c->to_tag, sizeof(c->to_tag), msg->to.tag);
            call_set_state(t, c, SIP_CALL_ANSWERED);
        }
    } else if (code >= 300 && early) {
        /* 487 Request Terminated answers a CANCEL (RFC 3261 section
         * 9.2), even one the capture missed. */
        c->final_status = code;
        c->end_us = pkt->ts_us;
        sip_txn_copy_str(c->to_tag, sizeof(c->to_tag), msg->to.tag);
        call_set_state(t, c, code == 487 ? SIP_CALL_CANCELLED :
                       SIP_CALL_FAILED);
    }
}
