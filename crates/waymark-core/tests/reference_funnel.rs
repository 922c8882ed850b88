//! Funnel plots against an independent scipy 1.14.1 / numpy implementation of Spiegelhalter
//! (2005) (tests/reference/funnel_reference.py wrote tests/reference/funnel_expected.json),
//! and against the Poisson limits printed in FunnelPlotR's own tests.

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use tolerance::assert_close;
use waymark_core::stats::funnel::{
    funnel_plot, FunnelBand, FunnelIndicator, FunnelLimitMethod, FunnelLimits, FunnelOptions,
    FunnelScale, FunnelTarget, FunnelUnit, OverdispersionAdjustment,
};

#[derive(Deserialize)]
struct Expected {
    z_95: f64,
    z_998: f64,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    indicator: String,
    numerators: Vec<u64>,
    denominators: Vec<f64>,
    target: Option<f64>,
    limit_method: String,
    scale: String,
    overdispersion: String,
    expected_target: f64,
    phi: f64,
    tau2: f64,
    dispersion_p_value: f64,
    adjustment_applied: bool,
    units: Vec<Unit>,
    curves: Vec<Curve>,
}

#[derive(Deserialize)]
struct Unit {
    value: f64,
    z: f64,
    z_adjusted: Option<f64>,
    limits: Limits,
    band: String,
}

#[derive(Deserialize)]
struct Curve {
    denominator: f64,
    limits: Limits,
}

#[derive(Deserialize)]
struct Limits {
    lower_95: f64,
    upper_95: f64,
    lower_998: f64,
    upper_998: f64,
}

fn options_for(case: &Case) -> FunnelOptions {
    FunnelOptions {
        indicator: match case.indicator.as_str() {
            "proportion" => FunnelIndicator::Proportion,
            "standardised_ratio" => FunnelIndicator::StandardisedRatio,
            other => panic!("unknown indicator {other}"),
        },
        target: case
            .target
            .map_or(FunnelTarget::Pooled, FunnelTarget::External),
        limit_method: match case.limit_method.as_str() {
            "normal_approximation" => FunnelLimitMethod::NormalApproximation,
            "exact_interpolated" => FunnelLimitMethod::ExactInterpolated,
            "poisson_chi_square" => FunnelLimitMethod::PoissonChiSquare,
            other => panic!("unknown limit method {other}"),
        },
        scale: match case.scale.as_str() {
            "natural" => FunnelScale::Natural,
            "variance_stabilised" => FunnelScale::VarianceStabilised,
            other => panic!("unknown scale {other}"),
        },
        overdispersion: match case.overdispersion.as_str() {
            "none" => OverdispersionAdjustment::None,
            "multiplicative" => OverdispersionAdjustment::Multiplicative,
            "additive_random_effects" => OverdispersionAdjustment::AdditiveRandomEffects,
            other => panic!("unknown overdispersion {other}"),
        },
        winsor_fraction: 0.1,
    }
}

fn band_name(band: FunnelBand) -> &'static str {
    match band {
        FunnelBand::WithinLimits => "within_limits",
        FunnelBand::AboveUpper95 => "above_upper95",
        FunnelBand::AboveUpper998 => "above_upper998",
        FunnelBand::BelowLower95 => "below_lower95",
        FunnelBand::BelowLower998 => "below_lower998",
    }
}

fn assert_limits(got: &FunnelLimits, expected: &Limits, what: &str) {
    assert_close(got.lower_95, expected.lower_95, &format!("{what} lower 95"));
    assert_close(got.upper_95, expected.upper_95, &format!("{what} upper 95"));
    assert_close(
        got.lower_998,
        expected.lower_998,
        &format!("{what} lower 99.8"),
    );
    assert_close(
        got.upper_998,
        expected.upper_998,
        &format!("{what} upper 99.8"),
    );
}

#[test]
fn funnels_match_the_independent_scipy_implementation() {
    let expected: Expected = serde_json::from_str(include_str!(
        "../../../tests/reference/funnel_expected.json"
    ))
    .expect("reference file parses");
    assert!(expected.cases.len() >= 12);
    let mut bands_seen = std::collections::BTreeSet::new();
    for case in &expected.cases {
        let units: Vec<FunnelUnit> = case
            .numerators
            .iter()
            .zip(&case.denominators)
            .map(|(&numerator, &denominator)| FunnelUnit {
                numerator,
                denominator,
            })
            .collect();
        let funnel = funnel_plot(&units, options_for(case)).expect("valid funnel");
        let name = &case.name;
        assert_close(funnel.target, case.expected_target, name);
        assert_close(funnel.phi.expect("phi"), case.phi, name);
        assert_close(funnel.tau2.expect("tau2"), case.tau2, name);
        assert_close(
            funnel.dispersion_p_value.expect("p"),
            case.dispersion_p_value,
            name,
        );
        assert_eq!(funnel.adjustment_applied, case.adjustment_applied, "{name}");
        assert_eq!(funnel.units.len(), case.units.len());
        for (idx, (got, want)) in funnel.units.iter().zip(&case.units).enumerate() {
            let what = format!("{name} unit {idx}");
            assert_close(got.value, want.value, &what);
            assert_close(got.z, want.z, &what);
            match (got.z_adjusted, want.z_adjusted) {
                (Some(g), Some(w)) => assert_close(g, w, &what),
                (None, None) => {}
                _ => panic!("{what}: adjusted z present in one implementation only"),
            }
            assert_limits(&got.limits, &want.limits, &what);
            assert_eq!(band_name(got.band), want.band, "{what}");
            bands_seen.insert(want.band.clone());
        }
        for curve in &case.curves {
            let got = funnel
                .limits_at(curve.denominator)
                .expect("limits at a valid denominator");
            assert_limits(
                &got,
                &curve.limits,
                &format!("{name} curve at {}", curve.denominator),
            );
        }
        assert!(funnel.method.contains("Spiegelhalter (2005)"));
    }
    // The reference data exercise every band except possibly the outermost ones.
    for band in ["within_limits", "above_upper998", "below_lower998"] {
        assert!(
            bands_seen.contains(band),
            "no reference unit in band {band}"
        );
    }
    // The band edges use the exact normal quantiles (FunnelPlotR rounds them to 6 places).
    assert_close(expected.z_95, 1.959_963_984_540_054, "z 95");
    assert_close(expected.z_998, 3.090_232_306_167_813_5, "z 99.8");
}

/// FunnelPlotR tests/testthat/test-poisson_limits.R: Poisson limits for an indirectly
/// standardised ratio with target 1 at 15, 20 and 30 expected events, printed rounded to 7
/// (lower) and 6 (upper) decimal places.
#[test]
fn chi_square_poisson_limits_match_funnelplotr_printed_values() {
    let funnel = funnel_plot(
        &[FunnelUnit {
            numerator: 20,
            denominator: 20.0,
        }],
        FunnelOptions::standardised_ratios(),
    )
    .expect("valid funnel");
    let printed = [
        (15.0, 0.5596924, 1.649348, 0.3862650, 2.082907),
        (20.0, 0.6108260, 1.544419, 0.4479107, 1.902094),
        (30.0, 0.6746958, 1.427562, 0.5289724, 1.702771),
    ];
    for (expected_events, lower_95, upper_95, lower_998, upper_998) in printed {
        let got = funnel.limits_at(expected_events).expect("limits");
        assert!((got.lower_95 - lower_95).abs() < 5e-8, "{expected_events}");
        assert!(
            (got.lower_998 - lower_998).abs() < 5e-8,
            "{expected_events}"
        );
        assert!((got.upper_95 - upper_95).abs() < 5e-7, "{expected_events}");
        assert!(
            (got.upper_998 - upper_998).abs() < 5e-7,
            "{expected_events}"
        );
    }
}
