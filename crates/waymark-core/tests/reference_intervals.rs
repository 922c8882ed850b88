//! Confidence intervals and effect sizes against statsmodels 0.15.0 and scipy 1.14.1
//! (tests/reference/intervals_reference.py wrote tests/reference/intervals_expected.json).

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use tolerance::assert_close;
use waymark_core::stats::intervals::{
    baseline_sd_effect_size, cohens_d, hedges_g, mean_interval, newcombe_difference_interval,
    paired_d_z, paired_difference_interval, poisson_rate_per_100_person_months, rate_ratio,
    wilson_interval, Confidence, EffectSizeKind, IntervalMethod, RateRatioMethod,
};

#[derive(Deserialize)]
struct Expected {
    wilson: Vec<WilsonCase>,
    newcombe: Vec<NewcombeCase>,
    means: Vec<MeanCase>,
    paired: Vec<PairedCase>,
    groups: Vec<GroupCase>,
    poisson_rates: Vec<RateCase>,
    rate_ratios: Vec<RateRatioCase>,
}

#[derive(Deserialize)]
struct WilsonCase {
    successes: u64,
    trials: u64,
    confidence: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct NewcombeCase {
    successes1: u64,
    trials1: u64,
    successes2: u64,
    trials2: u64,
    confidence: f64,
    difference: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct MeanCase {
    name: String,
    values: Vec<f64>,
    confidence: f64,
    mean: f64,
    sd: f64,
    standard_error: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct PairedCase {
    name: String,
    before: Vec<f64>,
    after: Vec<f64>,
    mean_difference: f64,
    sd_difference: f64,
    intervals: Vec<Limits>,
    d_z: f64,
    baseline_sd_effect_size: f64,
}

#[derive(Deserialize)]
struct Limits {
    #[serde(default)]
    confidence: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct GroupCase {
    name: String,
    group1: Vec<f64>,
    group2: Vec<f64>,
    cohens_d: f64,
    hedges_g: f64,
}

#[derive(Deserialize)]
struct RateCase {
    events: u64,
    person_months: f64,
    confidence: f64,
    rate_per_100: f64,
    lower_per_100: f64,
    upper_per_100: f64,
}

#[derive(Deserialize)]
struct RateRatioCase {
    events1: u64,
    exposure1: f64,
    events2: u64,
    exposure2: f64,
    confidence: f64,
    ratio: f64,
    wald_log: Option<Limits>,
    exact_conditional: Limits,
}

fn expected() -> Expected {
    serde_json::from_str(include_str!(
        "../../../tests/reference/intervals_expected.json"
    ))
    .expect("reference file parses")
}

fn confidence(level: f64) -> Confidence {
    Confidence::new(level).expect("reference confidence levels are valid")
}

#[test]
fn wilson_intervals_match_statsmodels() {
    let cases = expected().wilson;
    assert!(cases.len() >= 40);
    for case in &cases {
        let what = format!(
            "wilson {}/{} at {}",
            case.successes, case.trials, case.confidence
        );
        let got = wilson_interval(case.successes, case.trials, confidence(case.confidence))
            .expect("defined");
        assert_eq!(got.method, IntervalMethod::Wilson);
        assert_close(got.lower, case.lower, &what);
        assert_close(got.upper, case.upper, &what);
    }
}

#[test]
fn newcombe_intervals_match_statsmodels() {
    let cases = expected().newcombe;
    assert!(cases.len() >= 30);
    for case in &cases {
        let what = format!(
            "newcombe {}/{} - {}/{} at {}",
            case.successes1, case.trials1, case.successes2, case.trials2, case.confidence
        );
        let got = newcombe_difference_interval(
            case.successes1,
            case.trials1,
            case.successes2,
            case.trials2,
            confidence(case.confidence),
        )
        .expect("defined");
        assert_eq!(got.method, IntervalMethod::NewcombeHybridScore);
        assert_close(got.difference, case.difference, &what);
        assert_close(got.lower, case.lower, &what);
        assert_close(got.upper, case.upper, &what);
    }
}

/// Newcombe (1998), Stat Med 17:873–890, Table II, method 10, printed to 4 decimals.
#[test]
fn newcombe_reproduces_the_papers_worked_examples() {
    let examples = [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0000)),
    ];
    for ((x1, n1, x2, n2), (lower, upper)) in examples {
        let got = newcombe_difference_interval(x1, n1, x2, n2, Confidence::default()).unwrap();
        assert!((got.lower - lower).abs() < 5e-5, "{x1}/{n1}-{x2}/{n2}");
        assert!((got.upper - upper).abs() < 5e-5, "{x1}/{n1}-{x2}/{n2}");
    }
}

#[test]
fn mean_intervals_match_scipy() {
    let cases = expected().means;
    assert!(cases.len() >= 12);
    for case in &cases {
        let what = format!("mean {} at {}", case.name, case.confidence);
        let got = mean_interval(&case.values, confidence(case.confidence)).expect("n >= 2");
        assert_eq!(got.method, IntervalMethod::StudentT);
        assert_close(got.mean, case.mean, &what);
        assert_close(got.sd, case.sd, &what);
        assert_close(got.standard_error, case.standard_error, &what);
        assert_close(got.lower, case.lower, &what);
        assert_close(got.upper, case.upper, &what);
    }
}

#[test]
fn paired_differences_and_effect_sizes_match_scipy() {
    let cases = expected().paired;
    assert!(cases.len() >= 3);
    for case in &cases {
        let name = &case.name;
        for limits in &case.intervals {
            let what = format!("paired {name} at {}", limits.confidence);
            let got = paired_difference_interval(
                &case.before,
                &case.after,
                confidence(limits.confidence),
            )
            .expect("defined");
            assert_close(got.mean_difference, case.mean_difference, &what);
            assert_close(got.sd_difference, case.sd_difference, &what);
            assert_close(got.lower, limits.lower, &what);
            assert_close(got.upper, limits.upper, &what);
        }
        let d_z = paired_d_z(&case.before, &case.after).expect("defined");
        assert_eq!(d_z.kind, EffectSizeKind::PairedDz);
        assert_close(d_z.value, case.d_z, name);
        let baseline = baseline_sd_effect_size(&case.before, &case.after).expect("defined");
        assert_eq!(baseline.kind, EffectSizeKind::PrePostBaselineSd);
        assert_close(baseline.value, case.baseline_sd_effect_size, name);
    }
}

#[test]
fn two_group_effect_sizes_match_statsmodels() {
    let cases = expected().groups;
    assert!(cases.len() >= 3);
    for case in &cases {
        let d = cohens_d(&case.group1, &case.group2).expect("defined");
        assert_eq!(d.kind, EffectSizeKind::CohensDPooled);
        assert_close(d.value, case.cohens_d, &case.name);
        let g = hedges_g(&case.group1, &case.group2).expect("defined");
        assert_eq!(g.kind, EffectSizeKind::HedgesG);
        assert_close(g.value, case.hedges_g, &case.name);
    }
}

#[test]
fn poisson_rates_match_statsmodels_exact_c() {
    let cases = expected().poisson_rates;
    assert!(cases.len() >= 20);
    for case in &cases {
        let what = format!(
            "rate {} / {} at {}",
            case.events, case.person_months, case.confidence
        );
        let got = poisson_rate_per_100_person_months(
            case.events,
            case.person_months,
            confidence(case.confidence),
        )
        .expect("defined");
        assert_eq!(got.method, IntervalMethod::ExactPoissonGarwood);
        assert_close(got.rate, case.rate_per_100, &what);
        assert_close(got.lower, case.lower_per_100, &what);
        assert_close(got.upper, case.upper_per_100, &what);
    }
}

#[test]
fn rate_ratios_match_statsmodels_and_scipy() {
    let cases = expected().rate_ratios;
    assert!(cases.len() >= 20);
    for case in &cases {
        let what = format!(
            "ratio {}/{} vs {}/{} at {}",
            case.events1, case.exposure1, case.events2, case.exposure2, case.confidence
        );
        let level = confidence(case.confidence);
        let exact = rate_ratio(
            case.events1,
            case.exposure1,
            case.events2,
            case.exposure2,
            RateRatioMethod::ExactConditional,
            level,
        )
        .expect("exact interval defined when events2 > 0");
        assert_eq!(exact.method, IntervalMethod::ExactConditional);
        assert_close(exact.ratio, case.ratio, &what);
        assert_close(exact.lower, case.exact_conditional.lower, &what);
        assert_close(exact.upper, case.exact_conditional.upper, &what);
        let wald = rate_ratio(
            case.events1,
            case.exposure1,
            case.events2,
            case.exposure2,
            RateRatioMethod::WaldLog,
            level,
        );
        match (&wald, &case.wald_log) {
            (Some(got), Some(limits)) => {
                assert_eq!(got.method, IntervalMethod::WaldLog);
                assert_close(got.lower, limits.lower, &what);
                assert_close(got.upper, limits.upper, &what);
            }
            (None, None) => {}
            _ => panic!("{what}: Wald-log defined in one tool only"),
        }
    }
}
