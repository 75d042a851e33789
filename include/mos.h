/* Call quality estimate: R-factor and MOS from a simplified ITU-T G.107
 * E-model.
 *
 *   R   = 93.2 - Id - Ie_eff
 *
 * 93.2 is G.107's R with every transmission parameter at its default
 * value (basic signal-to-noise less simultaneous impairments, no delay,
 * no equipment impairment).
 *
 *   Id  = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)
 *
 * the usual fit of G.107's delay impairment (Cole and Rosenbluth, 2001),
 * with d the one-way mouth-to-ear delay in ms and H the unit step
 * (H(x) = 0 for x < 0, 1 otherwise).
 *
 *   Ie_eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)
 *
 * G.107 7.2 equipment impairment under packet loss: Ppl is the loss in
 * percent, BurstR the burst ratio (1 for random loss; >1 for bursty),
 * Ie and Bpl the codec's values from ITU-T G.113 Appendix I:
 *
 *   codec              Ie     Bpl
 *   G.711 without PLC   0     4.3
 *   G.711 with PLC      0    25.1     (G.711 Appendix I concealment)
 *   G.729(A)           11    19.0
 *   G.723.1 6.3k       15    16.1
 *   G.722               0    25.1     (our convention, see below)
 *   Opus                0    25.1     (our convention, see below)
 *
 * G.722 and Opus have no narrowband Ie/Bpl in G.113 (wideband codecs are
 * rated on G.107.1's extended scale).  We score them on the narrowband
 * scale as G.711 with concealment: no coding impairment and the same loss
 * robustness.  That understates their advantage at no loss and is roughly
 * right under moderate loss for Opus with in-band FEC; it is a convention,
 * stated so that readers of the numbers know.
 *
 *   MOS = 1 + 0.035 R + R (R - 60) (100 - R) 7e-6,  clamped to [1, 4.5]
 *
 * G.107 Annex B, with MOS 1 below R = 0 and 4.5 above R = 100; the
 * clamp also covers the dip of the cubic just below 1 for small R.
 *
 * Jitter enters as delay, by the common convention (not G.107): a jitter
 * buffer sized for twice the jitter adds that much delay, and 10 ms covers
 * codec look-ahead and packetisation, so
 *
 *   d = one-way delay + 2 * jitter + 10 ms.
 *
 * A passive capture rarely knows the one-way delay: callers pass half an
 * RTT measured elsewhere (RTCP, STUN, TCP), or 0, and say so. */
#ifndef RINGSCOPE_MOS_H
#define RINGSCOPE_MOS_H

#include <stdbool.h>
#include <stdint.h>

#define MOS_R_DEFAULT 93.2
#define MOS_MIN 1.0
#define MOS_MAX 4.5

enum mos_codec {
    MOS_CODEC_UNKNOWN,
    MOS_CODEC_G711,             /* without packet loss concealment */
    MOS_CODEC_G711_PLC,
    MOS_CODEC_G729,
    MOS_CODEC_G723,
    MOS_CODEC_G722,
    MOS_CODEC_OPUS,
};

struct mos_input {
    enum mos_codec codec;
    double delay_ms;            /* one-way network delay, >= 0 */
    double jitter_ms;           /* interarrival jitter, >= 0 */
    double loss_pct;            /* Ppl in percent; negative (duplicates)
                                   counts as 0, above 100 as 100 */
    double burst_r;             /* BurstR; <= 0 means 1 (random loss) */
};

struct mos_result {
    double effective_delay_ms;  /* delay + 2 * jitter + 10 */
    double id;                  /* delay impairment */
    double ie_eff;              /* effective equipment impairment */
    double r;                   /* may fall below 0 */
    double mos;                 /* in [1, 4.5] */
};

/* Ie and Bpl of a codec (table above).  Returns false, leaving *ie and
 * *bpl unchanged, for MOS_CODEC_UNKNOWN. */
bool mos_codec_params(enum mos_codec codec, double *ie, double *bpl);

/* Stable lowercase name ("g711_plc"). */
const char *mos_codec_name(enum mos_codec codec);

/* The codec to score an RTP payload type with: PCMU and PCMA count as
 * G.711 with concealment (every current phone conceals loss), 18 as G.729,
 * 4 as G.723.1, 9 as G.722; dynamic types by encoding name from SDP
 * ("opus", "G729", ...; case-insensitive, may be NULL).  Comfort noise,
 * telephone-event and everything else are MOS_CODEC_UNKNOWN. */
enum mos_codec mos_codec_from_payload(uint8_t pt, const char *encoding);

/* Id for a one-way mouth-to-ear delay in ms (negative counts as 0). */
double mos_delay_impairment(double delay_ms);

/* Ie_eff for loss ppl percent (clamped to [0, 100]) and burst ratio
 * burst_r (<= 0 means 1). */
double mos_ie_eff(double ie, double bpl, double ppl, double burst_r);

/* MOS for an R-factor (G.107 Annex B), clamped to [1, 4.5]. */
double mos_from_r(double r);

/* The whole estimate.  Returns 0, or -1 (out untouched) when the codec is
 * unknown, delay or jitter is negative, or an input is not a number: there
 * is then no estimate to report. */
int mos_estimate(const struct mos_input *in, struct mos_result *out);

#endif
