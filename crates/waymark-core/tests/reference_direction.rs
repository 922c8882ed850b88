//! The direction-of-travel engine against an independent Python implementation of its documented
//! rules (tests/reference/direction_reference.py, with pandas, scipy.stats.theilslopes and
//! pymannkendall; it wrote tests/reference/direction_expected.json). Both read the same demo
//! export committed under tests/reference/demo300/ (300 people, seed 42, extracted 2026-06-30).
//!
//! Counts must agree exactly; every real number within the shared tolerance. All disagreements
//! are collected and reported together, so one run shows the whole picture.

#[path = "common/tolerance.rs"]
mod tolerance;
#[path = "common/reference_exports.rs"]
#[macro_use]
mod reference_exports;

use reference_exports::{catalogue, ingest_export};

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use waymark_core::analysis::{analyse, Analysis, AnalysisConfig};

/// The demo export: 300 people, seed 42, extracted 2026-06-30.
const DEMO: [(&str, &str); 6] = export!("demo300");
/// Eight hand-made people at the edges of the rules (see direction_reference.py).
const EDGE_CASES: [(&str, &str); 6] = export!("direction_edge");

#[derive(Deserialize)]
struct ExpectedFile {
    datasets: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
struct Expected {
    reference_date: chrono::NaiveDate,
    measures: BTreeMap<String, MeasureExpected>,
    people: Vec<PersonExpected>,
    service: ServiceExpected,
    stability: StabilityExpected,
    goals: GoalsExpected,
    audit: BTreeMap<String, AuditExpected>,
    narrative: NarrativeExpected,
}

#[derive(Deserialize)]
struct MeasureExpected {
    people_scored: u64,
    people_paired: u64,
    reliable_improvement: u64,
    no_reliable_change: u64,
    reliable_deterioration: u64,
    recovered: u64,
    improved: u64,
    unchanged: u64,
    deteriorated: u64,
    sustained_improvement: u64,
    with_setbacks: u64,
    labels: BTreeMap<String, u64>,
    mean_baseline: Option<f64>,
    mean_latest: Option<f64>,
    median_slope_per_month: Option<f64>,
}

#[derive(Deserialize)]
struct PersonExpected {
    person_id: String,
    measure: String,
    n_scores: usize,
    baseline: f64,
    latest: f64,
    slope_per_month: Option<f64>,
    trend_p: Option<f64>,
    setbacks: u32,
    last_setback: Option<chrono::NaiveDate>,
    sustained_improvement: bool,
    reliable_change: Option<String>,
    clinical: Option<String>,
    label: String,
}

#[derive(Deserialize)]
struct ServiceExpected {
    person_months: f64,
    people_in_service: u64,
    indicators: BTreeMap<String, Vec<MonthExpected>>,
}

#[derive(Deserialize)]
struct MonthExpected {
    month: chrono::NaiveDate,
    numerator: f64,
    denominator: f64,
    value: Option<f64>,
}

#[derive(Deserialize)]
struct StabilityExpected {
    people_assessed: u64,
    improving: u64,
    stable: u64,
    deteriorating: u64,
    too_recent: u64,
    early_warnings: u64,
    flagged_with_follow_up: u64,
    flagged_by_indicator: BTreeMap<String, u64>,
    early_warning_people: BTreeSet<String>,
}

#[derive(Deserialize)]
struct GoalsExpected {
    goals: u64,
    goals_achieved: u64,
    goals_with_target: u64,
    mean_gas_t_score: Option<f64>,
    reviews_on_time: u64,
    reviews_late: u64,
    overdue_reviews: u64,
    static_goals: u64,
    people_with_static_plans: u64,
}

#[derive(Deserialize)]
struct AuditExpected {
    complete: u64,
    applicable: u64,
}

#[derive(Deserialize)]
struct NarrativeExpected {
    cases: Vec<CaseExpected>,
    themes: BTreeMap<String, u64>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct CaseExpected {
    person_id: String,
    kind: String,
    reconciled: bool,
}

/// Collects disagreements instead of stopping at the first.
#[derive(Default)]
struct Check {
    problems: Vec<String>,
}

impl Check {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, actual: T, expected: T) {
        if actual != expected {
            self.problems
                .push(format!("{what}: got {actual:?}, reference {expected:?}"));
        }
    }

    fn close(&mut self, what: &str, actual: Option<f64>, expected: Option<f64>) {
        let agree = match (actual, expected) {
            (Some(a), Some(e)) => tolerance::close(a, e),
            (None, None) => true,
            _ => false,
        };
        if !agree {
            self.problems
                .push(format!("{what}: got {actual:?}, reference {expected:?}"));
        }
    }
}

/// The snake_case name serde gives an enum value (the same spelling the report uses).
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn expected(dataset: &str) -> Expected {
    let mut file: ExpectedFile = serde_json::from_str(include_str!(
        "../../../tests/reference/direction_expected.json"
    ))
    .expect("reference file parses");
    file.datasets
        .remove(dataset)
        .expect("dataset in the reference file")
}

/// Runs the engine on one export and lists every disagreement with the reference.
fn disagreements(files: &[(&str, &str)], expected: &Expected) -> Vec<String> {
    let ingested = ingest_export(files);
    let data = &ingested.dataset;
    let config = AnalysisConfig {
        reference_date: Some(expected.reference_date),
        ..AnalysisConfig::default()
    };
    let analysis = analyse(data, &config, &catalogue()).expect("people present");
    let person_id = |p: usize| data.person_ids.text(data.people.person[p]).to_string();

    let mut check = Check::default();
    compare_outcomes(&mut check, &analysis, expected, &person_id);
    compare_service(&mut check, &analysis, &expected.service);
    compare_stability(&mut check, &analysis, &expected.stability, &person_id);
    compare_goals(&mut check, &analysis, expected);
    compare_narrative(&mut check, &analysis, &expected.narrative, &person_id);
    check.problems
}

#[test]
fn demo_export_matches_the_independent_reference() {
    let expected = expected("demo300");
    assert!(expected.people.len() >= 15, "a sample of people to compare");
    let problems = disagreements(&DEMO, &expected);
    assert!(
        problems.is_empty(),
        "{} disagreements with the reference:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Where the reference's reading of a documented rule and the engine differ on the hand-made
/// cases, and the rule text does not settle which is right: (start of the disagreement, why).
/// Each must still occur, so resolving one (in the rule text, the engine or the reference)
/// means removing it here.
/// Disagreements explained and accepted (none: the four found while writing the reference were
/// settled in the engine's favour of its documented rules, see docs/methods).
const OPEN_QUESTIONS: [(&str, &str); 0] = [];

#[test]
fn edge_cases_match_the_independent_reference_apart_from_open_questions() {
    let problems = disagreements(&EDGE_CASES, &expected("edge_cases"));
    let open: Vec<&str> = OPEN_QUESTIONS.iter().map(|(start, _)| *start).collect();
    let unexplained: Vec<&String> = problems
        .iter()
        .filter(|p| !open.iter().any(|start| p.starts_with(start)))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} disagreements with the reference:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for start in open {
        assert!(
            problems.iter().any(|p| p.starts_with(start)),
            "resolved, remove from OPEN_QUESTIONS: {start}"
        );
    }
}

fn compare_outcomes(
    check: &mut Check,
    analysis: &Analysis,
    expected: &Expected,
    person_id: &dyn Fn(usize) -> String,
) {
    let found: BTreeSet<&str> = analysis
        .outcomes
        .measures
        .iter()
        .map(|m| m.measure.as_str())
        .collect();
    check.eq(
        "measures analysed",
        found,
        expected.measures.keys().map(String::as_str).collect(),
    );
    for (measure, e) in &expected.measures {
        let Some(m) = analysis
            .outcomes
            .measures
            .iter()
            .find(|m| m.measure == *measure)
        else {
            continue;
        };
        let at = |field: &str| format!("{measure} {field}");
        check.eq(&at("people_scored"), m.people_scored, e.people_scored);
        check.eq(&at("people_paired"), m.people_paired, e.people_paired);
        check.eq(
            &at("reliable_improvement"),
            m.reliable_improvement,
            e.reliable_improvement,
        );
        check.eq(
            &at("no_reliable_change"),
            m.no_reliable_change,
            e.no_reliable_change,
        );
        check.eq(
            &at("reliable_deterioration"),
            m.reliable_deterioration,
            e.reliable_deterioration,
        );
        check.eq(&at("recovered"), m.recovered, e.recovered);
        check.eq(&at("improved"), m.improved, e.improved);
        check.eq(&at("unchanged"), m.unchanged, e.unchanged);
        check.eq(&at("deteriorated"), m.deteriorated, e.deteriorated);
        check.eq(
            &at("sustained_improvement"),
            m.sustained_improvement,
            e.sustained_improvement,
        );
        check.eq(&at("with_setbacks"), m.with_setbacks, e.with_setbacks);
        let labels: BTreeMap<String, u64> = m.labels.iter().map(|(l, n)| (name(l), *n)).collect();
        check.eq(&at("labels"), &labels, &e.labels);
        check.close(&at("mean_baseline"), m.mean_baseline, e.mean_baseline);
        check.close(&at("mean_latest"), m.mean_latest, e.mean_latest);
        check.close(
            &at("median_slope_per_month"),
            m.median_slope_per_month,
            e.median_slope_per_month,
        );
    }
    for e in &expected.people {
        let at = |field: &str| format!("{} {} {field}", e.person_id, e.measure);
        let Some(r) = analysis
            .outcomes
            .people
            .iter()
            .find(|r| r.measure == e.measure && person_id(r.person) == e.person_id)
        else {
            check.problems.push(at("missing"));
            continue;
        };
        check.eq(&at("n_scores"), r.n_scores, e.n_scores);
        check.close(&at("baseline"), Some(r.baseline), Some(e.baseline));
        check.close(&at("latest"), Some(r.latest), Some(e.latest));
        check.close(&at("slope_per_month"), r.slope_per_month, e.slope_per_month);
        check.close(&at("trend_p"), r.trend_p, e.trend_p);
        check.eq(&at("setbacks"), r.setbacks, e.setbacks);
        check.eq(&at("last_setback"), r.last_setback, e.last_setback);
        check.eq(
            &at("sustained_improvement"),
            r.sustained_improvement,
            e.sustained_improvement,
        );
        check.eq(
            &at("reliable_change"),
            r.reliable_change.as_ref().map(name),
            e.reliable_change.clone(),
        );
        check.eq(
            &at("clinical"),
            r.clinical.as_ref().map(name),
            e.clinical.clone(),
        );
        check.eq(&at("label"), name(&r.label), e.label.clone());
    }
}

fn compare_service(check: &mut Check, analysis: &Analysis, expected: &ServiceExpected) {
    let service = &analysis.service;
    check.close(
        "person_months",
        Some(service.person_months),
        Some(expected.person_months),
    );
    check.eq(
        "people_in_service",
        service.people_in_service,
        expected.people_in_service,
    );
    let keys: BTreeSet<&str> = service.indicators.iter().map(|i| i.key.as_str()).collect();
    check.eq(
        "indicator keys",
        keys,
        expected.indicators.keys().map(String::as_str).collect(),
    );
    for (key, months) in &expected.indicators {
        let Some(indicator) = service.indicators.iter().find(|i| i.key == *key) else {
            continue;
        };
        check.eq(
            &format!("{key} months"),
            indicator.months.iter().map(|m| m.month).collect::<Vec<_>>(),
            months.iter().map(|m| m.month).collect(),
        );
        for (actual, e) in indicator.months.iter().zip(months) {
            let at = |field: &str| format!("{key} {} {field}", e.month);
            check.close(&at("numerator"), Some(actual.numerator), Some(e.numerator));
            check.close(
                &at("denominator"),
                Some(actual.denominator),
                Some(e.denominator),
            );
            check.close(&at("value"), actual.value, e.value);
        }
    }
}

fn compare_stability(
    check: &mut Check,
    analysis: &Analysis,
    e: &StabilityExpected,
    person_id: &dyn Fn(usize) -> String,
) {
    let s = &analysis.stability;
    check.eq(
        "stability people_assessed",
        s.people_assessed,
        e.people_assessed,
    );
    check.eq("stability improving", s.improving, e.improving);
    check.eq("stability stable", s.stable, e.stable);
    check.eq("stability deteriorating", s.deteriorating, e.deteriorating);
    check.eq("stability too_recent", s.too_recent, e.too_recent);
    check.eq(
        "stability early_warnings",
        s.early_warnings,
        e.early_warnings,
    );
    check.eq(
        "stability flagged_with_follow_up",
        s.flagged_with_follow_up,
        e.flagged_with_follow_up,
    );
    let by_indicator: BTreeMap<String, u64> = s
        .flagged_by_indicator
        .iter()
        .map(|(i, n)| (name(i), *n))
        .collect();
    check.eq(
        "stability flagged_by_indicator",
        &by_indicator,
        &e.flagged_by_indicator,
    );
    let flagged: BTreeSet<String> = s
        .people
        .iter()
        .filter(|p| p.early_warning)
        .map(|p| person_id(p.person))
        .collect();
    check.eq(
        "early-warning people (only Rust)",
        flagged
            .difference(&e.early_warning_people)
            .collect::<Vec<_>>(),
        vec![],
    );
    check.eq(
        "early-warning people (only reference)",
        e.early_warning_people
            .difference(&flagged)
            .collect::<Vec<_>>(),
        vec![],
    );
}

fn compare_goals(check: &mut Check, analysis: &Analysis, expected: &Expected) {
    let (g, e) = (&analysis.goals, &expected.goals);
    check.eq("goals", g.goals, e.goals);
    check.eq("goals_achieved", g.goals_achieved, e.goals_achieved);
    check.eq(
        "goals_with_target",
        g.goals_with_target,
        e.goals_with_target,
    );
    check.close("mean_gas_t_score", g.mean_gas_t_score, e.mean_gas_t_score);
    check.eq("reviews_on_time", g.reviews_on_time, e.reviews_on_time);
    check.eq("reviews_late", g.reviews_late, e.reviews_late);
    check.eq("overdue_reviews", g.overdue_reviews, e.overdue_reviews);
    check.eq("static_goals", g.static_goals, e.static_goals);
    check.eq(
        "people_with_static_plans",
        g.people_with_static_plans,
        e.people_with_static_plans,
    );
    let fields: BTreeSet<&str> = g.audit.iter().map(|f| f.field.as_ref()).collect();
    check.eq(
        "audit fields",
        fields,
        expected.audit.keys().map(String::as_str).collect(),
    );
    for field in &g.audit {
        if let Some(e) = expected.audit.get(field.field.as_ref()) {
            check.eq(
                &format!("audit {} complete/applicable", field.field),
                (field.complete, field.applicable),
                (e.complete, e.applicable),
            );
        }
    }
}

fn compare_narrative(
    check: &mut Check,
    analysis: &Analysis,
    e: &NarrativeExpected,
    person_id: &dyn Fn(usize) -> String,
) {
    let n = &analysis.narrative;
    let cases: BTreeSet<CaseExpected> = n
        .cases
        .iter()
        .map(|c| CaseExpected {
            person_id: person_id(c.person),
            kind: name(&c.kind),
            reconciled: c.reconciled,
        })
        .collect();
    let expected: BTreeSet<&CaseExpected> = e.cases.iter().collect();
    check.eq(
        "discordant cases (only Rust)",
        cases
            .iter()
            .filter(|c| !expected.contains(c))
            .collect::<Vec<_>>(),
        vec![],
    );
    check.eq(
        "discordant cases (only reference)",
        expected
            .iter()
            .filter(|c| !cases.contains(**c))
            .collect::<Vec<_>>(),
        vec![],
    );
    let themes: BTreeMap<String, u64> = n
        .themes
        .iter()
        .map(|t| (t.theme.clone(), t.entries))
        .collect();
    check.eq("themes overall", &themes, &e.themes);
}
