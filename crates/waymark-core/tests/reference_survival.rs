//! Kaplan–Meier, median, RMST and log-rank against lifelines 0.30.3, statsmodels 0.15.0,
//! survrm2py 0.1.5 (a translation of R survRM2) and scipy 1.14.1
//! (tests/reference/survival_reference.py wrote tests/reference/survival_expected.json).
//! Datasets include the Freireich et al. (1963) 6-MP leukaemia data and lifelines' Waltons.

#[path = "common/tolerance.rs"]
mod tolerance;

use proptest::prelude::*;
use serde::Deserialize;
use waymark_core::stats::survival::{kaplan_meier, log_rank, Observation};

#[derive(Deserialize)]
struct Expected {
    kaplan_meier: Vec<KaplanMeierCase>,
    log_rank: Vec<LogRankCase>,
    log_rank_without_events: Vec<(Vec<f64>, Vec<bool>)>,
}

#[derive(Deserialize)]
struct KaplanMeierCase {
    name: String,
    times: Vec<f64>,
    events: Vec<bool>,
    confidence_level: f64,
    steps: Vec<Step>,
    median: Option<f64>,
    median_lower: Option<f64>,
    median_upper: Option<f64>,
    rmst: Vec<Rmst>,
}

#[derive(Deserialize)]
struct Step {
    time: f64,
    n_at_risk: usize,
    n_events: usize,
    n_censored: usize,
    survival: f64,
    greenwood_variance: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct Rmst {
    tau: f64,
    estimate: f64,
    variance: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct LogRankCase {
    name: String,
    groups: Vec<Group>,
    chi_square: f64,
    degrees_of_freedom: usize,
    p_value: f64,
    lifelines_degrees_of_freedom: usize,
    lifelines_p_value: f64,
}

#[derive(Deserialize)]
struct Group {
    times: Vec<f64>,
    events: Vec<bool>,
    observed_events: usize,
    expected_events: f64,
}

fn expected() -> Expected {
    serde_json::from_str(include_str!(
        "../../../tests/reference/survival_expected.json"
    ))
    .expect("reference file parses")
}

fn observations(times: &[f64], events: &[bool]) -> Vec<Observation> {
    assert_eq!(times.len(), events.len());
    times
        .iter()
        .zip(events)
        .map(|(&time, &event)| Observation { time, event })
        .collect()
}

fn assert_option_eq(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => tolerance::assert_close(a, e, what),
        (None, None) => {}
        _ => panic!("{what}: got {actual:?}, reference {expected:?}"),
    }
}

#[test]
fn kaplan_meier_matches_lifelines_and_statsmodels() {
    let expected = expected();
    assert!(expected.kaplan_meier.len() >= 10);
    for case in &expected.kaplan_meier {
        let name = &case.name;
        let fit = kaplan_meier(
            &observations(&case.times, &case.events),
            case.confidence_level,
        )
        .expect("valid observations");
        assert_eq!(fit.steps.len(), case.steps.len(), "{name}: steps");
        assert_eq!(fit.n_observations, case.times.len(), "{name}");
        for (got, want) in fit.steps.iter().zip(&case.steps) {
            let what = format!("{name} at t = {}", want.time);
            assert_eq!(got.time, want.time, "{what}");
            assert_eq!(got.n_at_risk, want.n_at_risk, "{what}: at risk");
            assert_eq!(got.n_events, want.n_events, "{what}: events");
            assert_eq!(got.n_censored, want.n_censored, "{what}: censored");
            tolerance::assert_close(got.survival, want.survival, &what);
            tolerance::assert_close(got.greenwood_variance, want.greenwood_variance, &what);
            tolerance::assert_close(got.lower, want.lower, &format!("{what}: lower"));
            tolerance::assert_close(got.upper, want.upper, &format!("{what}: upper"));
        }
        assert_option_eq(fit.median.time, case.median, &format!("{name}: median"));
        assert_option_eq(
            fit.median.lower,
            case.median_lower,
            &format!("{name}: lower"),
        );
        assert_option_eq(
            fit.median.upper,
            case.median_upper,
            &format!("{name}: upper"),
        );
    }
}

#[test]
fn restricted_mean_matches_lifelines_and_survrm2() {
    for case in &expected().kaplan_meier {
        let fit = kaplan_meier(
            &observations(&case.times, &case.events),
            case.confidence_level,
        )
        .expect("valid observations");
        for want in &case.rmst {
            let what = format!("{} to tau = {}", case.name, want.tau);
            let got = fit.restricted_mean(want.tau).expect("positive tau");
            tolerance::assert_close(got.estimate, want.estimate, &what);
            tolerance::assert_close(got.variance, want.variance, &what);
            tolerance::assert_close(got.lower, want.lower, &what);
            tolerance::assert_close(got.upper, want.upper, &what);
            let last_time = case.times.iter().copied().fold(0.0, f64::max);
            assert_eq!(got.tau_beyond_follow_up, want.tau > last_time, "{what}");
        }
    }
}

#[test]
fn log_rank_matches_lifelines() {
    let expected = expected();
    assert!(expected.log_rank.len() >= 6);
    for case in &expected.log_rank {
        let name = &case.name;
        let groups: Vec<Vec<Observation>> = case
            .groups
            .iter()
            .map(|g| observations(&g.times, &g.events))
            .collect();
        let test = log_rank(&groups).expect("events in the data");
        tolerance::assert_close(test.chi_square, case.chi_square, name);
        assert_eq!(test.degrees_of_freedom, case.degrees_of_freedom, "{name}");
        tolerance::assert_close(test.p_value, case.p_value, name);
        if test.degrees_of_freedom == case.lifelines_degrees_of_freedom {
            tolerance::assert_close(test.p_value, case.lifelines_p_value, name);
        }
        for (got, want) in test.groups.iter().zip(&case.groups) {
            assert_eq!(got.observed_events, want.observed_events, "{name}");
            tolerance::assert_close(got.expected_events, want.expected_events, name);
        }
    }
}

#[test]
fn empty_groups_are_left_out_of_the_log_rank() {
    let expected = expected();
    let case = expected
        .log_rank
        .iter()
        .find(|c| c.name == "freireich")
        .expect("Freireich case");
    let six_mp = observations(&case.groups[0].times, &case.groups[0].events);
    let placebo = observations(&case.groups[1].times, &case.groups[1].events);
    let test = log_rank(&[six_mp.clone(), Vec::new(), placebo]).expect("two groups");
    tolerance::assert_close(test.chi_square, case.chi_square, "with an empty group");
    assert_eq!(test.degrees_of_freedom, 1);
    assert_eq!(test.groups[1].n_observations, 0);
    assert_eq!(test.groups[1].expected_events, 0.0);
    assert!(log_rank(&[six_mp.clone(), Vec::new()]).is_none());
    assert!(log_rank(&[six_mp]).is_none());
    assert!(log_rank::<Vec<Observation>>(&[]).is_none());
}

#[test]
fn log_rank_without_events_is_undefined() {
    let groups: Vec<Vec<Observation>> = expected()
        .log_rank_without_events
        .iter()
        .map(|(times, events)| observations(times, events))
        .collect();
    assert!(log_rank(&groups).is_none());
}

fn arbitrary_observations() -> impl Strategy<Value = Vec<Observation>> {
    prop::collection::vec(
        (0u8..20, any::<bool>()).prop_map(|(t, event)| Observation {
            time: f64::from(t),
            event,
        }),
        0..40,
    )
}

proptest! {
    #[test]
    fn survival_is_order_free_bounded_and_finite(
        mut data in arbitrary_observations(),
        tau in 0.5f64..30.0,
    ) {
        let Some(fit) = kaplan_meier(&data, 0.95) else {
            prop_assert!(data.is_empty());
            return Ok(());
        };
        let mut previous = 1.0;
        for step in &fit.steps {
            prop_assert!(step.survival <= previous && step.survival >= 0.0);
            prop_assert!(step.lower <= step.survival && step.survival <= step.upper);
            prop_assert!(step.lower >= 0.0 && step.upper <= 1.0);
            prop_assert!(step.greenwood_variance.is_finite() && step.greenwood_variance >= 0.0);
            previous = step.survival;
        }
        let rmst = fit.restricted_mean(tau).expect("positive tau");
        prop_assert!(rmst.estimate >= 0.0 && rmst.estimate <= tau + 1e-12);
        prop_assert!(rmst.variance.is_finite());
        data.reverse();
        let reversed = kaplan_meier(&data, 0.95).expect("same data");
        prop_assert_eq!(reversed, fit);
    }

    #[test]
    fn log_rank_never_panics_and_is_finite(
        a in arbitrary_observations(),
        b in arbitrary_observations(),
        c in arbitrary_observations(),
    ) {
        if let Some(test) = log_rank(&[a, b, c]) {
            prop_assert!(test.chi_square.is_finite() && test.chi_square >= 0.0);
            prop_assert!((0.0..=1.0).contains(&test.p_value));
            prop_assert!((1..=2).contains(&test.degrees_of_freedom));
        }
    }
}
