//! Property tests: the interval and funnel functions never panic and never return NaN or
//! infinity, whatever counts, exposures, scores or options they are given (within the
//! supported range of counts). Bounded by `PROPTEST_CASES` like the other property tests.

use proptest::prelude::*;
use waymark_core::stats::funnel::{
    funnel_plot, FunnelIndicator, FunnelLimitMethod, FunnelOptions, FunnelScale, FunnelTarget,
    FunnelUnit, OverdispersionAdjustment,
};
use waymark_core::stats::intervals::{
    baseline_sd_effect_size, cohens_d, hedges_g, mean_interval, newcombe_difference_interval,
    paired_d_z, paired_difference_interval, poisson_rate, rate_ratio, wilson_interval, Confidence,
    RateRatioMethod,
};

fn finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6..1e6f64,
        Just(0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        Just(1e-300),
    ]
}

proptest! {
    #[test]
    fn intervals_never_panic_or_return_non_finite(
        x1 in 0u64..5000, n1 in 0u64..5000, x2 in 0u64..5000, n2 in 0u64..5000,
        level in prop_oneof![Just(0.95), 0.0..1.2f64],
        exposure1 in any_f64(), exposure2 in any_f64(),
        before in prop::collection::vec(any_f64(), 0..12),
        after in prop::collection::vec(any_f64(), 0..12),
    ) {
        let Some(confidence) = Confidence::new(level) else { return Ok(()); };
        if let Some(r) = wilson_interval(x1, n1, confidence) {
            prop_assert!(finite(&[r.lower, r.upper]) && r.lower <= r.upper);
        }
        if let Some(r) = newcombe_difference_interval(x1, n1, x2, n2, confidence) {
            prop_assert!(finite(&[r.lower, r.upper, r.difference]));
        }
        if let Some(r) = mean_interval(&before, confidence) {
            prop_assert!(finite(&[r.mean, r.lower, r.upper]));
        }
        if let Some(r) = paired_difference_interval(&before, &after, confidence) {
            prop_assert!(finite(&[r.mean_difference, r.lower, r.upper]));
        }
        for effect in [paired_d_z(&before, &after), baseline_sd_effect_size(&before, &after),
                       cohens_d(&before, &after), hedges_g(&before, &after)].into_iter().flatten() {
            prop_assert!(effect.value.is_finite());
        }
        if let Some(r) = poisson_rate(x1, exposure1, 100.0, confidence) {
            prop_assert!(finite(&[r.rate, r.lower, r.upper]) && r.lower <= r.upper);
        }
        for method in [RateRatioMethod::WaldLog, RateRatioMethod::ExactConditional] {
            if let Some(r) = rate_ratio(x1, exposure1, x2, exposure2, method, confidence) {
                prop_assert!(finite(&[r.ratio, r.lower, r.upper]) && r.lower <= r.upper);
            }
        }
    }

    #[test]
    fn funnels_never_panic_or_return_non_finite(
        units in prop::collection::vec((0u64..400, prop_oneof![1.0..500.0f64, any_f64()]), 0..15),
        ratio in any::<bool>(), method in 0usize..3, scale in any::<bool>(), adjust in 0usize..3,
        external in prop::option::of(any_f64()), whole in any::<bool>(),
    ) {
        let units: Vec<FunnelUnit> = units
            .into_iter()
            .map(|(numerator, d)| {
                let denominator = if whole { d.ceil().max(numerator as f64) } else { d };
                FunnelUnit { numerator, denominator }
            })
            .collect();
        let options = FunnelOptions {
            indicator: if ratio { FunnelIndicator::StandardisedRatio } else { FunnelIndicator::Proportion },
            target: external.map_or(FunnelTarget::Pooled, FunnelTarget::External),
            limit_method: [FunnelLimitMethod::NormalApproximation, FunnelLimitMethod::ExactInterpolated,
                           FunnelLimitMethod::PoissonChiSquare][method],
            scale: if scale { FunnelScale::VarianceStabilised } else { FunnelScale::Natural },
            overdispersion: [OverdispersionAdjustment::None, OverdispersionAdjustment::Multiplicative,
                             OverdispersionAdjustment::AdditiveRandomEffects][adjust],
            winsor_fraction: 0.1,
        };
        if let Ok(funnel) = funnel_plot(&units, options) {
            prop_assert!(funnel.target.is_finite());
            for point in &funnel.units {
                let l = point.limits;
                prop_assert!(finite(&[point.value, point.z, l.lower_95, l.upper_95, l.lower_998, l.upper_998]));
                prop_assert!(l.lower_998 <= l.lower_95 && l.lower_95 <= l.upper_95 && l.upper_95 <= l.upper_998);
                if let Some(z) = point.z_adjusted { prop_assert!(z.is_finite()); }
            }
            for v in [funnel.phi, funnel.tau2, funnel.dispersion_p_value].into_iter().flatten() {
                prop_assert!(v.is_finite());
            }
        }
    }
}
