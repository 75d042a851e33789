/* Unit tests for the E-model R-factor and MOS estimate. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "mos.h"

#define TOL 1e-9

START_TEST(test_mos_from_r)
{
    /* G.107 default R: 1 + 0.035 * 93.2 + 93.2 * 33.2 * 6.8 * 7e-6
     * = 1 + 3.262 + 0.147285824 = 4.409285824. */
    ck_assert_double_eq_tol(mos_from_r(MOS_R_DEFAULT), 4.409285824, TOL);
    /* The R -> MOS table of G.107 Annex B (figure B.1). */
    ck_assert_double_eq_tol(mos_from_r(50), 2.575, TOL);
    ck_assert_double_eq_tol(mos_from_r(60), 3.1, TOL);
    ck_assert_double_eq_tol(mos_from_r(70), 3.597, TOL);
    ck_assert_double_eq_tol(mos_from_r(80), 4.024, TOL);
    ck_assert_double_eq_tol(mos_from_r(90), 4.339, TOL);
    /* Ends of the scale, and the cubic's dip below 1 near R = 5
     * (0.992125) clamped. */
    ck_assert_double_eq_tol(mos_from_r(0), 1.0, TOL);
    ck_assert_double_eq_tol(mos_from_r(-20), 1.0, TOL);
    ck_assert_double_eq_tol(mos_from_r(5), 1.0, TOL);
    ck_assert_double_eq_tol(mos_from_r(100), 4.5, TOL);
    ck_assert_double_eq_tol(mos_from_r(130), 4.5, TOL);
}
END_TEST

START_TEST(test_delay_impairment)
{
    /* Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3). */
    ck_assert_double_eq_tol(mos_delay_impairment(0), 0, TOL);
    ck_assert_double_eq_tol(mos_delay_impairment(-5), 0, TOL);
    ck_assert_double_eq_tol(mos_delay_impairment(150), 3.6, TOL);
    ck_assert_double_eq_tol(mos_delay_impairment(177.3), 4.2552, TOL);
    /* 7.2 + 0.11 * 122.7 = 7.2 + 13.497 */
    ck_assert_double_eq_tol(mos_delay_impairment(300), 20.697, TOL);
    /* 9.6 + 0.11 * 222.7 = 9.6 + 24.497 */
    ck_assert_double_eq_tol(mos_delay_impairment(400), 34.097, TOL);
}
END_TEST

START_TEST(test_ie_eff)
{
    double ie, bpl;

    /* G.711 without concealment, 1 % random loss:
     * 95 * 1 / (1 + 4.3) = 17.924528301886792. */
    ck_assert(mos_codec_params(MOS_CODEC_G711, &ie, &bpl));
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 1, 1), 95.0 / 5.3, TOL);
    /* G.711 with concealment, 2 %: 95 * 2 / 27.1 = 7.011070110701107. */
    ck_assert(mos_codec_params(MOS_CODEC_G711_PLC, &ie, &bpl));
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 2, 1), 190.0 / 27.1, TOL);
    /* G.729: Ie 11 with no loss; 1 %: 11 + 84 / 20 = 15.2; 2 % with
     * BurstR 2: 11 + 84 * 2 / (1 + 19) = 19.4. */
    ck_assert(mos_codec_params(MOS_CODEC_G729, &ie, &bpl));
    ck_assert_double_eq_tol(ie, 11, TOL);
    ck_assert_double_eq_tol(bpl, 19, TOL);
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 0, 1), 11, TOL);
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 1, 1), 15.2, TOL);
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 2, 2), 19.4, TOL);
    /* BurstR 0 means random; loss is clamped to 0..100. */
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 1, 0), 15.2, TOL);
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, -3, 1), 11, TOL);
    ck_assert_double_eq_tol(mos_ie_eff(ie, bpl, 250, 1),
                            11 + 84.0 * 100 / 119, TOL);
    ck_assert(!mos_codec_params(MOS_CODEC_UNKNOWN, &ie, &bpl));
}
END_TEST

START_TEST(test_estimate_reference_points)
{
    struct mos_input in = { MOS_CODEC_G711_PLC, 0, 0, 0, 1 };
    struct mos_result r;

    /* G.711, no loss, no delay: only the 10 ms allowance,
     * Id 0.24, R 92.96, MOS 4.404592027648. */
    ck_assert_int_eq(mos_estimate(&in, &r), 0);
    ck_assert_double_eq_tol(r.effective_delay_ms, 10, TOL);
    ck_assert_double_eq_tol(r.id, 0.24, TOL);
    ck_assert_double_eq_tol(r.ie_eff, 0, TOL);
    ck_assert_double_eq_tol(r.r, 92.96, TOL);
    ck_assert_double_eq_tol(r.mos, 4.404592027648, TOL);

    /* G.729A at low delay: the published R of about 82 (93.2 - 11);
     * here 81.96, MOS 4.095883997248. */
    in.codec = MOS_CODEC_G729;
    ck_assert_int_eq(mos_estimate(&in, &r), 0);
    ck_assert_double_eq_tol(r.r, 81.96, TOL);
    ck_assert_double_eq_tol(r.mos, 4.095883997248, TOL);

    /* G.711 with concealment, 100 ms one way, 20 ms jitter, 1 % loss:
     * d = 100 + 40 + 10 = 150, Id 3.6, Ie_eff 95 / 26.1 =
     * 3.639846743295019, R 85.96015325670498, MOS 4.227918598593808. */
    in.codec = MOS_CODEC_G711_PLC;
    in.delay_ms = 100;
    in.jitter_ms = 20;
    in.loss_pct = 1;
    ck_assert_int_eq(mos_estimate(&in, &r), 0);
    ck_assert_double_eq_tol(r.effective_delay_ms, 150, TOL);
    ck_assert_double_eq_tol(r.id, 3.6, TOL);
    ck_assert_double_eq_tol(r.ie_eff, 95.0 / 26.1, TOL);
    ck_assert_double_eq_tol(r.r, 85.96015325670498, TOL);
    ck_assert_double_eq_tol(r.mos, 4.227918598593808, TOL);

    /* Half the packets lost without concealment: R far below 0. */
    in.codec = MOS_CODEC_G711;
    in.loss_pct = 50;
    in.delay_ms = 400;
    ck_assert_int_eq(mos_estimate(&in, &r), 0);
    ck_assert(r.r < 0);
    ck_assert_double_eq_tol(r.mos, 1.0, TOL);
}
END_TEST

START_TEST(test_estimate_refuses)
{
    struct mos_input in = { MOS_CODEC_UNKNOWN, 0, 0, 0, 1 };
    struct mos_result r = { 1, 2, 3, 4, 5 };

    ck_assert_int_eq(mos_estimate(&in, &r), -1);
    ck_assert_double_eq_tol(r.mos, 5, TOL);     /* untouched */
    in.codec = MOS_CODEC_OPUS;
    in.delay_ms = -1;
    ck_assert_int_eq(mos_estimate(&in, &r), -1);
    in.delay_ms = 0;
    in.jitter_ms = NAN;
    ck_assert_int_eq(mos_estimate(&in, &r), -1);
    in.jitter_ms = 0;
    in.loss_pct = NAN;
    ck_assert_int_eq(mos_estimate(&in, &r), -1);
    in.loss_pct = -2;                   /* duplicates: counts as 0 */
    ck_assert_int_eq(mos_estimate(&in, &r), 0);
    ck_assert_double_eq_tol(r.ie_eff, 0, TOL);
}
END_TEST

START_TEST(test_codec_mapping)
{
    ck_assert_int_eq(mos_codec_from_payload(0, NULL), MOS_CODEC_G711_PLC);
    ck_assert_int_eq(mos_codec_from_payload(8, NULL), MOS_CODEC_G711_PLC);
    ck_assert_int_eq(mos_codec_from_payload(18, NULL), MOS_CODEC_G729);
    ck_assert_int_eq(mos_codec_from_payload(4, NULL), MOS_CODEC_G723);
    ck_assert_int_eq(mos_codec_from_payload(9, NULL), MOS_CODEC_G722);
    ck_assert_int_eq(mos_codec_from_payload(13, NULL), MOS_CODEC_UNKNOWN);
    ck_assert_int_eq(mos_codec_from_payload(3, NULL), MOS_CODEC_UNKNOWN);
    /* Static numbers win over what SDP calls them. */
    ck_assert_int_eq(mos_codec_from_payload(0, "opus"), MOS_CODEC_G711_PLC);
    ck_assert_int_eq(mos_codec_from_payload(111, "opus"), MOS_CODEC_OPUS);
    ck_assert_int_eq(mos_codec_from_payload(111, "OPUS"), MOS_CODEC_OPUS);
    ck_assert_int_eq(mos_codec_from_payload(96, "G729"), MOS_CODEC_G729);
    ck_assert_int_eq(mos_codec_from_payload(101, "telephone-event"),
                     MOS_CODEC_UNKNOWN);
    ck_assert_int_eq(mos_codec_from_payload(96, NULL), MOS_CODEC_UNKNOWN);

    ck_assert_str_eq(mos_codec_name(MOS_CODEC_G711_PLC), "g711_plc");
    ck_assert_str_eq(mos_codec_name(MOS_CODEC_OPUS), "opus");
    ck_assert_str_eq(mos_codec_name(MOS_CODEC_UNKNOWN), "unknown");
}
END_TEST

static Suite *mos_suite(void)
{
    Suite *s = suite_create("mos");
    TCase *tc;

    tc = tcase_create("emodel");
    tcase_add_test(tc, test_mos_from_r);
    tcase_add_test(tc, test_delay_impairment);
    tcase_add_test(tc, test_ie_eff);
    suite_add_tcase(s, tc);

    tc = tcase_create("estimate");
    tcase_add_test(tc, test_estimate_reference_points);
    tcase_add_test(tc, test_estimate_refuses);
    tcase_add_test(tc, test_codec_mapping);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mos_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
