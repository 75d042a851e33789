/* R-factor and MOS from a simplified ITU-T G.107 E-model; the formulas
 * and the codec table are documented in mos.h. */
#include "config.h"

#include "mos.h"

#include <math.h>
#include <strings.h>

#include "rtp.h"

/* G.107 Annex B: the MOS scale ends here. */
#define MOS_R_LOW 0.0
#define MOS_R_HIGH 100.0
/* Delay beyond which the delay impairment steepens (ms). */
#define MOS_DELAY_KNEE_MS 177.3
/* Jitter buffer and codec allowance of the effective delay (ms). */
#define MOS_CODEC_DELAY_MS 10.0

struct mos_codec_row {
    const char *name;
    double ie;
    double bpl;
};

/* Indexed by enum mos_codec.  ITU-T G.113 Appendix I, except G.722 and
 * Opus (see mos.h). */
static const struct mos_codec_row mos_codecs[] = {
    [MOS_CODEC_UNKNOWN] = { "unknown", 0, 0 },
    [MOS_CODEC_G711] = { "g711", 0, 4.3 },
    [MOS_CODEC_G711_PLC] = { "g711_plc", 0, 25.1 },
    [MOS_CODEC_G729] = { "g729", 11, 19.0 },
    [MOS_CODEC_G723] = { "g723", 15, 16.1 },
    [MOS_CODEC_G722] = { "g722", 0, 25.1 },
    [MOS_CODEC_OPUS] = { "opus", 0, 25.1 },
};

static bool mos_codec_valid(enum mos_codec codec)
{
    return (unsigned)codec < sizeof(mos_codecs) / sizeof(mos_codecs[0]);
}

bool mos_codec_params(enum mos_codec codec, double *ie, double *bpl)
{
    if (codec == MOS_CODEC_UNKNOWN || !mos_codec_valid(codec))
        return false;
    *ie = mos_codecs[codec].ie;
    *bpl = mos_codecs[codec].bpl;
    return true;
}

const char *mos_codec_name(enum mos_codec codec)
{
    if (!mos_codec_valid(codec))
        return "unknown";
    return mos_codecs[codec].name;
}

enum mos_codec mos_codec_from_payload(uint8_t pt, const char *encoding)
{
    static const struct {
        const char *encoding;
        enum mos_codec codec;
    } names[] = {
        { "PCMU", MOS_CODEC_G711_PLC },
        { "PCMA", MOS_CODEC_G711_PLC },
        { "G729", MOS_CODEC_G729 },
        { "G723", MOS_CODEC_G723 },
        { "G722", MOS_CODEC_G722 },
        { "opus", MOS_CODEC_OPUS },
    };
    const char *name = encoding;
    size_t i;

    /* A static type is what its number says, whatever SDP calls it. */
    if (pt < RTP_PT_DYNAMIC_FIRST)
        name = rtp_payload_name_static(pt);
    if (!name)
        return MOS_CODEC_UNKNOWN;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i].encoding) == 0)
            return names[i].codec;
    return MOS_CODEC_UNKNOWN;
}

double mos_delay_impairment(double delay_ms)
{
    double d = delay_ms > 0 ? delay_ms : 0;
    double id = 0.024 * d;

    if (d >= MOS_DELAY_KNEE_MS)
        id += 0.11 * (d - MOS_DELAY_KNEE_MS);
    return id;
}

double mos_ie_eff(double ie, double bpl, double ppl, double burst_r)
{
    double p = ppl < 0 ? 0 : (ppl > 100 ? 100 : ppl);
    double b = burst_r > 0 ? burst_r : 1;

    /* With Ppl = 0 the quotient is 0 (Bpl > 0 for every codec). */
    return ie + (95 - ie) * p / (p / b + bpl);
}

double mos_from_r(double r)
{
    double mos;

    if (r <= MOS_R_LOW)
        return MOS_MIN;
    if (r >= MOS_R_HIGH)
        return MOS_MAX;
    mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    if (mos < MOS_MIN)
        return MOS_MIN;
    if (mos > MOS_MAX)
        return MOS_MAX;
    return mos;
}

int mos_estimate(const struct mos_input *in, struct mos_result *out)
{
    double ie, bpl, d;

    if (!mos_codec_params(in->codec, &ie, &bpl))
        return -1;
    /* isnan() included: a NaN fails every comparison. */
    if (!(in->delay_ms >= 0) || !(in->jitter_ms >= 0) ||
        isnan(in->loss_pct) || isnan(in->burst_r))
        return -1;

    d = in->delay_ms + 2 * in->jitter_ms + MOS_CODEC_DELAY_MS;
    out->effective_delay_ms = d;
    out->id = mos_delay_impairment(d);
    out->ie_eff = mos_ie_eff(ie, bpl, in->loss_pct, in->burst_r);
    out->r = MOS_R_DEFAULT - out->id - out->ie_eff;
    out->mos = mos_from_r(out->r);
    return 0;
}
