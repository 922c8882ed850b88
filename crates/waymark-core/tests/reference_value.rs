//! Cost avoidance against pandas 2.3.3 / numpy 2.2.6 (tests/reference/value_reference.py wrote
//! tests/reference/value_expected.json from the fixture in tests/reference/value_fixture/),
//! bootstrap reproducibility, and the planted effects of the demo dataset.

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use tolerance::assert_close;
use waymark_core::stats::bootstrap::{percentile_interval, quantile_sorted};
use waymark_core::value::cost_avoidance::{CostAvoidance, ValueSummary};
use waymark_core::value::{cost_avoidance, ValueConfig, ValueError};
use waymark_core::{ingest, Dataset, InputFile, MappingConfig};

const PEOPLE: &str = include_str!("../../../tests/reference/value_fixture/people.csv");
const EVENTS: &str = include_str!("../../../tests/reference/value_fixture/events.csv");
const CONFIG: &str = include_str!("../../../tests/reference/value_fixture/config.json");
const EXPECTED: &str = include_str!("../../../tests/reference/value_expected.json");

#[derive(Deserialize)]
struct Expected {
    history_start: String,
    people: People,
    tracked: Vec<String>,
    types: Vec<TypeRef>,
    naive: ValueRef,
    did: ValueRef,
    pathways: std::collections::BTreeMap<String, PathwayRef>,
    over_time: Vec<MonthRef>,
    rtm: Vec<RtmRef>,
    percentiles: Vec<PercentileRef>,
}

#[derive(Deserialize)]
struct People {
    service_analysed: usize,
    comparison_analysed: usize,
    excluded_no_post_time: usize,
    excluded_no_pre_history: usize,
    pre_window_clipped: usize,
    events_without_person: usize,
}

#[derive(Deserialize)]
struct TypeRef {
    price: Option<f64>,
    service_pre_units: f64,
    service_pre_person_months: f64,
    service_pre_rate: f64,
    service_post_units: f64,
    service_post_person_months: f64,
    service_post_rate: f64,
    service_pre_rate_standardised: f64,
    avoided_units: f64,
    gross: Option<f64>,
    comparison_pre_units: f64,
    comparison_post_units: f64,
    comparison_pre_rate: f64,
    comparison_post_rate: f64,
    did_rate_change: f64,
    did_avoided_units: f64,
    did_gross: Option<f64>,
}

#[derive(Deserialize)]
struct ValueRef {
    gross: f64,
    adjusted: f64,
    service_cost: f64,
    net: f64,
    roi: f64,
}

#[derive(Deserialize)]
struct PathwayRef {
    n_people: usize,
    pre_person_months: f64,
    post_person_months: f64,
    avoided_units: Vec<f64>,
    gross: f64,
    adjusted: f64,
    service_cost: f64,
    net: f64,
    roi: f64,
}

#[derive(Deserialize)]
struct MonthRef {
    month: u32,
    person_months: f64,
    gross: f64,
    cumulative: f64,
    cumulative_adjusted: f64,
}

#[derive(Deserialize)]
struct RtmRef {
    recent_units: f64,
    earlier_units: f64,
    recent_person_months: f64,
    earlier_person_months: f64,
    recent_rate: f64,
    earlier_rate: f64,
    ratio: Option<f64>,
}

#[derive(Deserialize)]
struct PercentileRef {
    values: Vec<f64>,
    lower: f64,
    upper: f64,
    quantiles_at: Vec<f64>,
    quantiles: Vec<f64>,
}

fn dataset(people: &str, events: &str) -> Dataset {
    let inputs = [
        InputFile {
            name: "people.csv",
            bytes: people.as_bytes(),
        },
        InputFile {
            name: "events.csv",
            bytes: events.as_bytes(),
        },
    ];
    let ingested = ingest(&inputs, &MappingConfig::default());
    assert!(ingested.report.usable, "{:?}", ingested.report.issues);
    ingested.dataset
}

fn fixture() -> (Dataset, ValueConfig) {
    let config: ValueConfig = serde_json::from_str(CONFIG).expect("fixture config parses");
    (dataset(PEOPLE, EVENTS), config)
}

fn expected() -> Expected {
    serde_json::from_str(EXPECTED).expect("reference file parses")
}

fn check_value(actual: &ValueSummary, expected: &ValueRef, what: &str) {
    assert_close(actual.gross_avoided.value.0, expected.gross, what);
    assert_close(actual.adjusted_avoided.value.0, expected.adjusted, what);
    let cost = actual.service_cost.as_ref().expect("service cost");
    assert_close(cost.value.0, expected.service_cost, what);
    let net = actual.net_value.as_ref().expect("net value");
    assert_close(net.value.0, expected.net, what);
    let roi = actual.return_per_pound_spent.as_ref().expect("return");
    assert_close(roi.value, expected.roi, what);
}

#[test]
fn cost_avoidance_matches_the_pandas_reference() {
    let (data, config) = fixture();
    let result = cost_avoidance(&data, &config).expect("fixture analyses");
    let expected = expected();

    assert_eq!(
        result.settings.history_start.to_string(),
        expected.history_start
    );
    let people = &result.people;
    assert_eq!(people.service_analysed, expected.people.service_analysed);
    assert_eq!(
        people.comparison_analysed,
        expected.people.comparison_analysed
    );
    assert_eq!(
        people.excluded_no_post_time,
        expected.people.excluded_no_post_time
    );
    assert_eq!(
        people.excluded_no_pre_history,
        expected.people.excluded_no_pre_history
    );
    assert_eq!(
        people.pre_window_clipped,
        expected.people.pre_window_clipped
    );
    assert_eq!(
        people.events_without_person,
        expected.people.events_without_person
    );

    let names: Vec<&str> = result
        .by_event_type
        .iter()
        .map(|t| t.event_type.as_str())
        .collect();
    assert_eq!(names, expected.tracked);
    for (actual, reference) in result.by_event_type.iter().zip(&expected.types) {
        let what = actual.event_type.as_str();
        match (actual.unit_cost, reference.price) {
            (Some(a), Some(e)) => assert_close(a.0, e, what),
            (None, None) => {}
            other => panic!("{what}: price {other:?}"),
        }
        let s = &actual.service;
        assert_close(s.pre_units, reference.service_pre_units, what);
        assert_close(
            s.pre_person_months,
            reference.service_pre_person_months,
            what,
        );
        assert_close(
            s.pre_rate.unwrap_or(f64::NAN),
            reference.service_pre_rate,
            what,
        );
        assert_close(s.post_units, reference.service_post_units, what);
        assert_close(
            s.post_person_months,
            reference.service_post_person_months,
            what,
        );
        assert_close(
            s.post_rate.unwrap_or(f64::NAN),
            reference.service_post_rate,
            what,
        );
        assert_close(
            actual.service_pre_rate_standardised.unwrap_or(f64::NAN),
            reference.service_pre_rate_standardised,
            what,
        );
        assert_close(actual.avoided_units.value, reference.avoided_units, what);
        match (&actual.gross_avoided, reference.gross) {
            (Some(a), Some(e)) => assert_close(a.value.0, e, what),
            (None, None) => {}
            _ => panic!("{what}: gross presence differs"),
        }
        let c = actual.comparison.as_ref().expect("comparison present");
        assert_close(c.pre_units, reference.comparison_pre_units, what);
        assert_close(c.post_units, reference.comparison_post_units, what);
        assert_close(
            c.pre_rate.unwrap_or(f64::NAN),
            reference.comparison_pre_rate,
            what,
        );
        assert_close(
            c.post_rate.unwrap_or(f64::NAN),
            reference.comparison_post_rate,
            what,
        );
        assert_close(
            actual.did_rate_change.unwrap_or(f64::NAN),
            reference.did_rate_change,
            what,
        );
        let did_units = actual.did_avoided_units.as_ref().expect("did units");
        assert_close(did_units.value, reference.did_avoided_units, what);
        match (&actual.did_gross_avoided, reference.did_gross) {
            (Some(a), Some(e)) => assert_close(a.value.0, e, what),
            (None, None) => {}
            _ => panic!("{what}: DiD gross presence differs"),
        }
    }

    check_value(&result.naive, &expected.naive, "naive");
    let did = result
        .difference_in_differences
        .as_ref()
        .expect("comparison cohort present");
    check_value(&did.value, &expected.did, "did");

    assert_eq!(result.by_pathway.len(), expected.pathways.len());
    for (actual, (name, reference)) in result.by_pathway.iter().zip(&expected.pathways) {
        assert_eq!(&actual.pathway, name);
        assert_eq!(actual.n_people, reference.n_people);
        assert_close(actual.pre_person_months, reference.pre_person_months, name);
        assert_close(
            actual.post_person_months,
            reference.post_person_months,
            name,
        );
        for (a, e) in actual.by_event_type.iter().zip(&reference.avoided_units) {
            assert_close(a.avoided_units, *e, name);
        }
        check_value(
            &actual.value,
            &ValueRef {
                gross: reference.gross,
                adjusted: reference.adjusted,
                service_cost: reference.service_cost,
                net: reference.net,
                roi: reference.roi,
            },
            name,
        );
    }

    assert_eq!(result.over_time.len(), expected.over_time.len());
    for (actual, reference) in result.over_time.iter().zip(&expected.over_time) {
        let what = format!("month {}", reference.month);
        assert_eq!(actual.month, reference.month);
        assert_close(actual.person_months, reference.person_months, &what);
        assert_close(actual.gross_avoided.0, reference.gross, &what);
        assert_close(
            actual.cumulative_gross_avoided.0,
            reference.cumulative,
            &what,
        );
        assert_close(
            actual.cumulative_adjusted_avoided.0,
            reference.cumulative_adjusted,
            &what,
        );
    }

    for (actual, reference) in result
        .regression_to_the_mean
        .by_event_type
        .iter()
        .zip(&expected.rtm)
    {
        let what = actual.event_type.as_str();
        assert_close(actual.recent_units, reference.recent_units, what);
        assert_close(actual.earlier_units, reference.earlier_units, what);
        assert_close(
            actual.recent_person_months,
            reference.recent_person_months,
            what,
        );
        assert_close(
            actual.earlier_person_months,
            reference.earlier_person_months,
            what,
        );
        assert_close(
            actual.recent_rate.unwrap_or(f64::NAN),
            reference.recent_rate,
            what,
        );
        assert_close(
            actual.earlier_rate.unwrap_or(f64::NAN),
            reference.earlier_rate,
            what,
        );
        match (actual.ratio, reference.ratio) {
            (Some(a), Some(e)) => assert_close(a, e, what),
            (None, None) => {}
            other => panic!("{what}: ratio {other:?}"),
        }
    }
    // Too few recent units in the fixture for the rule to fire (minimum 10).
    assert!(!result.regression_to_the_mean.warning);
}

#[test]
fn the_time_profile_adds_up_to_the_naive_figure() {
    let (data, config) = fixture();
    let result = cost_avoidance(&data, &config).expect("fixture analyses");
    let last = result.over_time.last().expect("months");
    assert_close(
        last.cumulative_gross_avoided.0,
        result.naive.gross_avoided.value.0,
        "cumulative",
    );
    let by_pathway: f64 = result
        .by_pathway
        .iter()
        .map(|p| p.value.gross_avoided.value.0)
        .sum();
    assert_close(by_pathway, result.naive.gross_avoided.value.0, "pathways");
}

#[test]
fn percentile_interval_matches_numpy_linear() {
    for case in expected().percentiles {
        let ci = percentile_interval(&case.values, 0.95).expect("interval");
        assert_close(ci.lower, case.lower, "lower");
        assert_close(ci.upper, case.upper, "upper");
        let mut sorted = case.values.clone();
        sorted.sort_by(f64::total_cmp);
        for (q, e) in case.quantiles_at.iter().zip(&case.quantiles) {
            let got = quantile_sorted(&sorted, *q).expect("quantile");
            assert_close(got, *e, &format!("quantile {q}"));
        }
    }
}

fn intervals(result: &CostAvoidance) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut push = |ci: Option<(f64, f64)>| out.push(ci.unwrap_or((f64::NAN, f64::NAN)));
    push(
        result
            .naive
            .gross_avoided
            .ci95
            .map(|c| (c.lower.0, c.upper.0)),
    );
    for t in &result.by_event_type {
        push(t.avoided_units.ci95.map(|c| (c.lower, c.upper)));
    }
    out
}

#[test]
fn bootstrap_is_reproducible_and_depends_on_the_seed() {
    let (data, config) = fixture();
    let first = cost_avoidance(&data, &config).expect("runs");
    let again = cost_avoidance(&data, &config).expect("runs");
    assert_eq!(first, again, "same seed, same result");
    let ci = first.naive.gross_avoided.ci95.expect("interval present");
    assert!(ci.lower.0 <= ci.upper.0);
    let other = cost_avoidance(
        &data,
        &ValueConfig {
            seed: 12,
            ..config.clone()
        },
    )
    .expect("runs");
    assert_ne!(
        intervals(&first),
        intervals(&other),
        "another seed, other draws"
    );
    assert_eq!(
        first.naive.gross_avoided.value, other.naive.gross_avoided.value,
        "the point estimate does not depend on the seed"
    );
    let off = cost_avoidance(
        &data,
        &ValueConfig {
            bootstrap_resamples: 0,
            ..config
        },
    )
    .expect("runs");
    assert!(off.naive.gross_avoided.ci95.is_none());
}

#[test]
fn settings_errors_name_what_to_fix() {
    let (data, config) = fixture();
    let missing_year = ValueConfig {
        analysis_year: Some("2025/26".to_string()),
        ..config.clone()
    };
    assert_eq!(
        cost_avoidance(&data, &missing_year),
        Err(ValueError::MissingPriceIndex {
            year: "2025/26".to_string()
        })
    );
    let bad_attribution = ValueConfig {
        attribution_percent: 140.0,
        ..config.clone()
    };
    assert!(matches!(
        cost_avoidance(&data, &bad_attribution),
        Err(ValueError::InvalidSetting { .. })
    ));
    let misspelt = CONFIG.replacen("\"seed\"", "\"sead\"", 1);
    assert!(serde_json::from_str::<ValueConfig>(&misspelt).is_err());
    let no_events = dataset(PEOPLE, "person_id,date,event_type\n");
    assert_eq!(
        cost_avoidance(&no_events, &config),
        Err(ValueError::NoEvents)
    );
}

#[test]
fn the_demo_planted_falls_are_found_with_intervals_excluding_zero() {
    let demo = waymark_core::demo::generate(&waymark_core::demo::DemoParams::default());
    let files: Vec<InputFile<'_>> = ["people.csv", "events.csv"]
        .iter()
        .map(|name| InputFile {
            name,
            bytes: demo.file(name).expect("demo file").csv.as_bytes(),
        })
        .collect();
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let config = ValueConfig::new(chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"));
    let result = cost_avoidance(&data, &config).expect("demo analyses");
    for name in ["crisis_contact", "admission", "bed_day"] {
        let t = result
            .by_event_type
            .iter()
            .find(|t| t.event_type == name)
            .expect("type counted");
        let ci = t.avoided_units.ci95.expect("interval");
        assert!(
            ci.lower > 0.0,
            "{name}: avoided {} CI {ci:?}",
            t.avoided_units.value
        );
        let pre = t.service.pre_rate.expect("pre rate");
        let post = t.service.post_rate.expect("post rate");
        assert!(post < pre, "{name}: {pre} -> {post}");
        let did = t.did_avoided_units.as_ref().expect("comparison cohort");
        assert!(did.value > 0.0, "{name}: DiD {}", did.value);
    }
    let gross = result.naive.gross_avoided.ci95.expect("interval");
    assert!(gross.lower.0 > 0.0);
    // The demo's referral spike (x1.5 in the last 91 days vs x5/6 before) must trip the rule.
    assert!(result.regression_to_the_mean.warning);
    let crisis = result
        .regression_to_the_mean
        .by_event_type
        .iter()
        .find(|r| r.event_type == "crisis_contact")
        .expect("crisis row");
    assert!(crisis.flagged && crisis.ratio.unwrap_or(0.0) > 1.5);
    assert!(result.warnings.iter().any(|w| w.contains("estimates")));
}

/// Timing on about a million demo events (native release; prints, does not assert, because
/// the shared machine's load varies). Run with
/// `WAYMARK_SLOW_TESTS=1 cargo test --release -p waymark-core --test reference_value -- --nocapture`.
#[test]
fn a_million_events_timing() {
    if std::env::var_os("WAYMARK_SLOW_TESTS").is_none() {
        return;
    }
    let params = waymark_core::demo::DemoParams {
        n_people: waymark_core::demo::people_for_event_rows(1_000_000),
        seed: 1,
        ..Default::default()
    };
    let demo = waymark_core::demo::generate(&params);
    let files: Vec<InputFile<'_>> = ["people.csv", "events.csv"]
        .iter()
        .map(|name| InputFile {
            name,
            bytes: demo.file(name).expect("demo file").csv.as_bytes(),
        })
        .collect();
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let with_bootstrap = ValueConfig::new(params.reference_date);
    let without_bootstrap = ValueConfig {
        bootstrap_resamples: 0,
        ..with_bootstrap.clone()
    };
    for (label, config) in [
        ("1000 resamples", &with_bootstrap),
        ("no bootstrap", &without_bootstrap),
    ] {
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                let result = cost_avoidance(&data, config).expect("runs");
                assert!(result.naive.gross_avoided.value.0 > 0.0);
                started.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        eprintln!(
            "cost_avoidance, {} events, {} people, {label}: min {:.3} s, median {:.3} s",
            data.events.person.len(),
            data.people.person.len(),
            times[0],
            times[2]
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const TYPES: [&str; 5] = [
        "crisis_contact",
        "ED attendance",
        "bed_day",
        "admission",
        "attended_appointment",
    ];
    const QUANTITIES: [&str; 6] = ["", "0", "1", "2.5", "7", "-1"];

    fn day(offset: u32) -> String {
        let base = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).expect("date");
        (base + chrono::Days::new(u64::from(offset))).to_string()
    }

    prop_compose! {
        fn export()(
            people in prop::collection::vec((0usize..3, 0u32..1100, prop::option::of(0u32..400), any::<bool>()), 1..12),
            events in prop::collection::vec((0usize..14, 0u32..1100, 0usize..5, 0usize..6), 0..80),
        ) -> (String, String) {
            let mut people_csv = String::from("person_id,pathway,start_date,end_date,cohort\n");
            for (i, (pathway, start, stay, comparison)) in people.iter().enumerate() {
                let end = stay.map(|s| day(start + s)).unwrap_or_default();
                let cohort = if *comparison { "comparison" } else { "service" };
                people_csv.push_str(&format!("P{i},{},{},{end},{cohort}\n", ["A", "B", "C"][*pathway], day(*start)));
            }
            let mut events_csv = String::from("person_id,date,event_type,quantity\n");
            for (person, date, kind, quantity) in &events {
                events_csv.push_str(&format!("P{person},{},{},{}\n", day(*date), TYPES[*kind], QUANTITIES[*quantity]));
            }
            (people_csv, events_csv)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_export_gives_a_result_or_an_error_and_the_figures_add_up(
            (people, events) in export(),
            pre_months in 1u32..15,
            post_months in 1u32..15,
            reference in 200u32..1200,
        ) {
            let inputs = [
                InputFile { name: "people.csv", bytes: people.as_bytes() },
                InputFile { name: "events.csv", bytes: events.as_bytes() },
            ];
            let data = ingest(&inputs, &MappingConfig::default()).dataset;
            let reference_date = chrono::NaiveDate::parse_from_str(&day(reference), "%Y-%m-%d").expect("date");
            let config = ValueConfig {
                pre_months,
                post_months,
                bootstrap_resamples: 20,
                service_costs: vec![waymark_core::value::ServiceCost {
                    pathway: "A".to_string(),
                    cost_per_person_month: 100.0,
                    currency: "GBP".to_string(),
                    price_year: None,
                    source: None,
                }],
                ..ValueConfig::new(reference_date)
            };
            if let Ok(result) = cost_avoidance(&data, &config) {
                let total = result.naive.gross_avoided.value.0;
                prop_assert!(total.is_finite());
                let by_pathway: f64 = result.by_pathway.iter().map(|p| p.value.gross_avoided.value.0).sum();
                prop_assert!((by_pathway - total).abs() <= 1e-6 * (1.0 + total.abs()));
                let cumulative = result.over_time.last().map_or(0.0, |m| m.cumulative_gross_avoided.0);
                prop_assert!((cumulative - total).abs() <= 1e-6 * (1.0 + total.abs()));
                if let Some(ci) = result.naive.gross_avoided.ci95 {
                    prop_assert!(ci.lower.0 <= ci.upper.0);
                }
                prop_assert!(serde_json::to_string(&result).is_ok());
            }
        }
    }
}
