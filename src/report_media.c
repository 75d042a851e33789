/* The calls and media of a report (report.h): SIP messages of calls,
 * calls, RTP streams and their time series, copied from the records of
 * a run or of a database, bounded by the REPORT_*_MAX caps. */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media_record.h"
#include "rtp_series.h"
#include "sip_record.h"
#include "xalloc.h"

/* NULL for NULL and "": the database stores both as NULL, and a run and
 * a database must give the same report. */
static char *dup_text(const char *s)
{
    return s && s[0] ? xstrdup(s) : NULL;
}

/* FNV-1a; never 0, which marks a free slot. */
static uint64_t call_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* Finds h in the set of call Call-IDs, or inserts it when insert is set
 * and the set is less than half full.  Returns true when h is (now) in
 * the set. */
static bool call_ids_has(struct report *r, uint64_t h, bool insert)
{
    size_t mask = REPORT_CALL_IDS_SLOTS - 1;
    size_t i = (size_t)h & mask;

    if (!r->_call_ids)
        r->_call_ids = xcalloc(REPORT_CALL_IDS_SLOTS, sizeof(uint64_t));
    while (r->_call_ids[i] != 0) {
        if (r->_call_ids[i] == h)
            return true;
        i = (i + 1) & mask;
    }
    if (!insert || r->_n_call_ids >= REPORT_CALL_IDS_SLOTS / 2)
        return false;
    r->_call_ids[i] = h;
    r->_n_call_ids++;
    return true;
}

static void endpoint(char *out, const struct ip_addr *ip, uint16_t port)
{
    if (ip->family == 0)
        out[0] = '\0';
    else
        ipaddr_format_endpoint(ip, port, out, IPADDR_ENDPOINT_STRLEN);
}

void report_add_sip_message(struct report *r,
                            const struct sip_message_record *m)
{
    struct report_sip_message *d;
    uint64_t h;
    bool invite;

    if (!r->keep_media || !m->call_id || !m->call_id[0])
        return;
    h = call_hash(m->call_id);
    invite = m->method && strcmp(m->method, "INVITE") == 0;
    if (!call_ids_has(r, h, invite))
        return;
    if (r->n_sip == REPORT_SIP_MESSAGES_MAX) {
        r->sip_omitted++;
        return;
    }
    r->sip = xreallocarray(r->sip, r->n_sip + 1, sizeof(*r->sip));
    d = &r->sip[r->n_sip++];
    memset(d, 0, sizeof(*d));
    d->call_id = xstrdup(m->call_id);
    d->_call_hash = h;
    d->packet = m->packet;
    d->ts_us = m->ts_us;
    endpoint(d->src, &m->src_ip, m->src_port);
    endpoint(d->dst, &m->dst_ip, m->dst_port);
    snprintf(d->transport, sizeof(d->transport), "%s",
             m->transport ? m->transport : "");
    d->method = dup_text(m->method);
    d->status = m->method ? 0 : m->status;
    d->reason = dup_text(m->reason);
    d->cseq = m->cseq;
    d->cseq_method = dup_text(m->cseq_method);
    d->user_agent = dup_text(m->user_agent && m->user_agent[0]
                                 ? m->user_agent : m->server);
    d->retransmission = m->retransmission;
}

void report_add_call(struct report *r, const struct call_record *c)
{
    struct report_call *d;

    if (!r->keep_media)
        return;
    if (r->n_calls == REPORT_CALLS_MAX) {
        r->calls_omitted++;
        return;
    }
    r->calls = xreallocarray(r->calls, r->n_calls + 1, sizeof(*r->calls));
    d = &r->calls[r->n_calls++];
    memset(d, 0, sizeof(*d));
    d->call_id = xstrdup(c->call_id ? c->call_id : "");
    d->_call_hash = call_hash(d->call_id);
    d->state = xstrdup(c->state ? c->state : "unknown");
    d->from_uri = dup_text(c->from_uri);
    d->to_uri = dup_text(c->to_uri);
    endpoint(d->caller, &c->caller_ip, c->caller_port);
    endpoint(d->callee, &c->callee_ip, c->callee_port);
    if (c->caller_ip.family)
        ipaddr_format(&c->caller_ip, d->caller_ip);
    d->flow_id = c->flow_id;
    d->first_packet = c->first_packet;
    d->first_us = c->first_us;
    d->last_us = c->last_us;
    d->ring_us = c->ring_us < 0 ? -1 : c->ring_us;
    d->setup_us = c->setup_us < 0 ? -1 : c->setup_us;
    d->duration_us = c->duration_us < 0 ? -1 : c->duration_us;
    d->final_status = c->final_status > 0 ? c->final_status : 0;
    d->messages = c->messages;
    d->retransmissions = c->retransmissions;
    d->end_reason = dup_text(c->end_reason);
}

void report_add_rtp_stream(struct report *r,
                           const struct rtp_stream_record *s)
{
    const struct rtp_stream_summary *sm = &s->summary;
    struct report_stream *d;

    if (!r->keep_media)
        return;
    if (r->n_streams == REPORT_STREAMS_MAX) {
        r->streams_omitted++;
        return;
    }
    r->streams = xreallocarray(r->streams, r->n_streams + 1,
                               sizeof(*r->streams));
    d = &r->streams[r->n_streams++];
    memset(d, 0, sizeof(*d));
    d->flow_id = s->flow_id;
    d->call_id = dup_text(s->call_id);
    d->ssrc = s->ssrc;
    d->direction = s->direction;
    endpoint(d->src, &s->src_ip, s->src_port);
    endpoint(d->dst, &s->dst_ip, s->dst_port);
    if (s->src_ip.family)
        ipaddr_format(&s->src_ip, d->src_ip);
    d->encoding = dup_text(s->encoding);
    d->payload_type = s->payload_type;
    d->packets = sm->packets;
    d->lost = sm->lost;
    d->lost_pct = sm->lost_pct;
    d->jitter_ms = sm->max_jitter_ms;
    d->has_mos = s->has_mos;
    d->mos = s->has_mos ? s->mos : 0;
    d->first_us = (int64_t)llround(sm->start_s * 1e6);
    d->last_us = (int64_t)llround(sm->end_s * 1e6);
}

static bool stream_is(const struct report_stream *st,
                      const struct rtp_sample_record *s)
{
    return st->flow_id == s->flow_id && st->ssrc == s->ssrc &&
           st->direction == s->direction;
}

/* The stream a sample belongs to: samples come grouped by stream, in
 * stream order, so the last one or the next is almost always it. */
static struct report_stream *sample_stream(struct report *r,
                                           const struct rtp_sample_record *s)
{
    size_t i, k = r->_last_stream;

    for (i = k; i < k + 2 && i < r->n_streams; i++)
        if (stream_is(&r->streams[i], s)) {
            r->_last_stream = i;
            return &r->streams[i];
        }
    for (i = r->n_streams; i-- > 0;)
        if (stream_is(&r->streams[i], s)) {
            r->_last_stream = i;
            return &r->streams[i];
        }
    return NULL;
}

void report_add_rtp_sample(struct report *r,
                           const struct rtp_sample_record *s)
{
    struct report_stream *st;
    struct report_sample *p;

    if (!r->keep_media || s->index >= RTP_SERIES_MAX || s->bucket_s == 0)
        return;
    st = sample_stream(r, s);
    if (!st)
        return;
    if (st->n_samples == 0)
        st->bucket_s = s->bucket_s;
    if (st->bucket_s != s->bucket_s || s->index < st->n_samples)
        return;     /* not a series this version wrote: ignored */
    /* Grown to the whole series at once: at most RTP_SERIES_MAX points. */
    if (!st->samples)
        st->samples = xcalloc(RTP_SERIES_MAX, sizeof(*st->samples));
    st->n_samples = s->index + 1;
    p = &st->samples[s->index];
    p->packets = s->packets;
    p->lost = s->lost;
    p->jitter_ms = s->jitter_ms;
}

void report_clear_media(struct report *r)
{
    size_t i;

    for (i = 0; i < r->n_sip; i++) {
        struct report_sip_message *m = &r->sip[i];

        free(m->call_id);
        free(m->method);
        free(m->reason);
        free(m->cseq_method);
        free(m->user_agent);
    }
    free(r->sip);
    for (i = 0; i < r->n_calls; i++) {
        struct report_call *c = &r->calls[i];

        free(c->call_id);
        free(c->state);
        free(c->from_uri);
        free(c->to_uri);
        free(c->end_reason);
    }
    free(r->calls);
    for (i = 0; i < r->n_streams; i++) {
        free(r->streams[i].call_id);
        free(r->streams[i].encoding);
        free(r->streams[i].samples);
    }
    free(r->streams);
    free(r->_call_ids);
    r->sip = NULL;
    r->n_sip = 0;
    r->sip_omitted = 0;
    r->calls = NULL;
    r->n_calls = 0;
    r->calls_omitted = 0;
    r->streams = NULL;
    r->n_streams = 0;
    r->streams_omitted = 0;
    r->_call_ids = NULL;
    r->_n_call_ids = 0;
    r->_last_stream = 0;
}
