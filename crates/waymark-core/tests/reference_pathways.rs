//! The pathway comparison on the demo data (300 people, seed 42, reference 2026-06-30) against
//! tests/reference/pathways_expected.json, written by tests/reference/pathways_reference.py
//! from the demo CSVs alone with pandas 2.3.3, numpy, scipy 1.14.1, statsmodels 0.15.0 and
//! lifelines 0.30.3. The script recomputes every per-person flag (reliable improvement,
//! recovery, sustained improvement, relapse, crisis counts and first crisis) itself from the
//! documented rules; nothing is exported from Waymark to it.

#[path = "common/tolerance.rs"]
mod tolerance;

use serde_json::Value;
use tolerance::assert_close;
use waymark_core::analysis::pathways::{
    compare_pathways, GroupKind, PathwayComparison, PathwayConfig, TimeToEvent,
};
use waymark_core::analysis::{analyse, AnalysisConfig, PersonIndex};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::measures::MeasureCatalogue;
use waymark_core::stats::intervals::{ProportionDifference, ProportionInterval};
use waymark_core::{ingest, InputFile, MappingConfig};

fn expected() -> Value {
    serde_json::from_str(include_str!(
        "../../../tests/reference/pathways_expected.json"
    ))
    .expect("reference file parses")
}

fn reference_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

/// Ingests a demo dataset and runs the direction-of-travel and pathway engines on it.
fn run_demo(n_people: usize) -> (waymark_core::Dataset, PathwayComparison) {
    let demo = generate(&DemoParams {
        n_people,
        ..DemoParams::default()
    });
    let files = demo.input_files();
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let config = AnalysisConfig {
        reference_date: Some(reference_date()),
        ..AnalysisConfig::default()
    };
    let catalogue = MeasureCatalogue::defaults();
    let analysis = analyse(&data, &config, &catalogue).unwrap();
    let index = PersonIndex::build(&data, &config).unwrap();
    let comparison = compare_pathways(
        &data,
        &index,
        &analysis.outcomes,
        &catalogue,
        &PathwayConfig::default(),
    );
    (data, comparison)
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("expected a count, found {v}"))
}

fn check_proportion(actual: Option<ProportionInterval>, expected: &Value, what: &str) {
    match (actual, expected.is_null()) {
        (None, true) => {}
        (Some(a), false) => {
            assert_eq!(a.successes, u(&expected["successes"]), "{what} successes");
            assert_eq!(a.trials, u(&expected["trials"]), "{what} trials");
            assert_close(a.proportion, f(&expected["proportion"]), what);
            assert_close(a.lower, f(&expected["lower"]), &format!("{what} lower"));
            assert_close(a.upper, f(&expected["upper"]), &format!("{what} upper"));
        }
        (a, _) => panic!("{what}: got {a:?}, reference {expected}"),
    }
}

fn check_difference(actual: Option<ProportionDifference>, expected: &Value, what: &str) {
    match (actual, expected.is_null()) {
        (None, true) => {}
        (Some(a), false) => {
            assert_close(a.difference, f(&expected["difference"]), what);
            assert_close(a.lower, f(&expected["lower"]), &format!("{what} lower"));
            assert_close(a.upper, f(&expected["upper"]), &format!("{what} upper"));
        }
        (a, _) => panic!("{what}: got {a:?}, reference {expected}"),
    }
}

fn check_optional(actual: Option<f64>, expected: &Value, what: &str) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert_close(a, e, what),
        (a, _) => panic!("{what}: got {a:?}, reference {expected}"),
    }
}

#[test]
fn demo_data_is_the_data_the_reference_read() {
    let (data, comparison) = run_demo(300);
    let e = expected();
    let rows = &e["data"]["rows"];
    assert_eq!(data.people.person.len() as u64, u(&rows["people"]));
    assert_eq!(data.outcomes.person.len() as u64, u(&rows["outcomes"]));
    assert_eq!(data.events.person.len() as u64, u(&rows["events"]));
    assert_eq!(
        comparison.reference_date.to_string(),
        e["data"]["reference_date"]
    );
    // The thresholds the reference script applied are the catalogue's.
    for m in &comparison.measures {
        assert_close(
            m.reliable_change_threshold,
            f(&e["thresholds"][&m.measure]),
            &format!("{} threshold", m.measure),
        );
    }
    let order: Vec<&str> = comparison
        .measures
        .iter()
        .map(|m| m.measure.as_str())
        .collect();
    assert_eq!(order, ["PHQ-9", "CORE-10", "WEMWBS"], "catalogue order");
    assert_eq!(comparison.primary_measure.as_deref(), Some("PHQ-9"));
}

#[test]
fn per_pathway_counts_intervals_and_differences_match_the_reference() {
    let (_, comparison) = run_demo(300);
    let e = expected();
    assert_eq!(
        comparison.reference_pathway.as_deref(),
        e["reference_pathway"].as_str()
    );
    let groups = e["groups"].as_array().unwrap();
    assert_eq!(comparison.groups.len(), groups.len());
    for (g, x) in comparison.groups.iter().zip(groups) {
        let name = &g.pathway;
        assert_eq!(name, x["pathway"].as_str().unwrap(), "group order");
        assert_eq!(g.people, u(&x["people"]), "{name} people");
        assert_close(
            g.person_months,
            f(&x["person_months"]),
            &format!("{name} person-months"),
        );
        assert_eq!(
            g.crisis.events,
            u(&x["crisis_events"]),
            "{name} crisis events"
        );
        let rate = g.crisis.rate_per_100_person_months.unwrap();
        assert_close(
            rate.rate,
            f(&x["crisis_rate"]["rate"]),
            &format!("{name} crisis rate"),
        );
        assert_close(
            rate.lower,
            f(&x["crisis_rate"]["lower"]),
            &format!("{name} rate lower"),
        );
        assert_close(
            rate.upper,
            f(&x["crisis_rate"]["upper"]),
            &format!("{name} rate upper"),
        );
        match (&g.crisis.rate_ratio_vs_reference, x["rate_ratio"].is_null()) {
            (None, true) => assert!(g.is_reference),
            (Some(rr), false) => {
                let what = format!("{name} crisis rate ratio");
                assert_close(rr.ratio, f(&x["rate_ratio"]["ratio"]), &what);
                assert_close(
                    rr.lower,
                    f(&x["rate_ratio"]["lower"]),
                    &format!("{what} lower"),
                );
                assert_close(
                    rr.upper,
                    f(&x["rate_ratio"]["upper"]),
                    &format!("{what} upper"),
                );
            }
            (rr, _) => panic!("{name}: rate ratio {rr:?} against {}", x["rate_ratio"]),
        }
        for m in &g.measures {
            let r = &x["measures"][&m.measure];
            let what = format!("{name} {}", m.measure);
            assert_eq!(m.people_paired, u(&r["paired"]), "{what} paired");
            assert_eq!(
                m.people_at_caseness,
                u(&r["at_caseness"]),
                "{what} at caseness"
            );
            check_proportion(
                m.reliable_improvement,
                &r["reliable_improvement"],
                &format!("{what} RI"),
            );
            check_difference(
                m.reliable_improvement_vs_reference,
                &r["reliable_improvement_vs_reference"],
                &format!("{what} RI vs reference"),
            );
            check_proportion(m.recovered, &r["recovered"], &format!("{what} recovered"));
            check_difference(
                m.recovered_vs_reference,
                &r["recovered_vs_reference"],
                &format!("{what} recovered vs reference"),
            );
            check_proportion(
                m.sustained_improvement,
                &r["sustained"],
                &format!("{what} sustained"),
            );
            let change = m.mean_change.unwrap();
            assert_close(
                change.mean_difference,
                f(&r["mean_change"]["mean"]),
                &format!("{what} mean change"),
            );
            assert_close(
                change.lower,
                f(&r["mean_change"]["lower"]),
                &format!("{what} change lower"),
            );
            assert_close(
                change.upper,
                f(&r["mean_change"]["upper"]),
                &format!("{what} change upper"),
            );
            check_optional(
                m.effect_size_baseline_sd.map(|es| es.value),
                &r["effect_size_baseline_sd"],
                &format!("{what} baseline-SD effect size"),
            );
            check_optional(
                m.effect_size_paired_dz.map(|es| es.value),
                &r["effect_size_paired_dz"],
                &format!("{what} d_z"),
            );
        }
    }
}

#[test]
fn direct_standardisation_and_case_mix_match_the_reference() {
    let (_, comparison) = run_demo(300);
    let e = expected();
    for (g, x) in comparison
        .groups
        .iter()
        .zip(e["groups"].as_array().unwrap())
    {
        for m in &g.measures {
            let r = &x["measures"][&m.measure]["standardised"];
            let what = format!("{} {} standardised RI", g.pathway, m.measure);
            match (&m.standardised_reliable_improvement, r.is_null()) {
                (None, true) => assert!(m.standardised_note.is_some(), "{what}: a reason"),
                (Some(s), false) => {
                    assert_close(s.proportion, f(&r["proportion"]), &what);
                    assert_close(
                        s.crude_proportion,
                        f(&r["crude_proportion"]),
                        &format!("{what} crude"),
                    );
                    assert_close(
                        s.standard_error,
                        f(&r["standard_error"]),
                        &format!("{what} SE"),
                    );
                    assert_close(s.lower, f(&r["lower"]), &format!("{what} lower"));
                    assert_close(s.upper, f(&r["upper"]), &format!("{what} upper"));
                    for stratum in &s.strata {
                        let key = serde_json::to_value(stratum.severity).unwrap();
                        let weight = &e["severity_weights"][key.as_str().unwrap()];
                        assert_close(stratum.weight, f(weight), &format!("{what} weight"));
                    }
                }
                (s, _) => panic!("{what}: got {s:?}, reference {r}"),
            }
        }
    }
    let mix = &comparison.case_mix;
    let x = &e["case_mix"];
    let test = mix.chi_square.unwrap();
    assert_close(test.statistic, f(&x["chi_square"]), "case-mix chi-square");
    assert_eq!(test.degrees_of_freedom as u64, u(&x["degrees_of_freedom"]));
    assert_close(test.p_value, f(&x["p_value"]), "case-mix p");
    let largest = mix.largest_share_difference.as_ref().unwrap();
    let y = &x["largest_share_difference"];
    assert_eq!(largest.pathway, y["pathway"].as_str().unwrap());
    assert_eq!(
        serde_json::to_value(largest.severity).unwrap(),
        y["severity"]
    );
    assert_close(
        largest.difference,
        f(&y["difference"]),
        "largest share difference",
    );
    // The demo assigns severity independently of pathway: no case-mix warning.
    assert!(!mix.differs);
}

fn check_survival(actual: &TimeToEvent, expected: &Value, what: &str) {
    let groups = expected["groups"].as_array().unwrap();
    assert_eq!(actual.groups.len(), groups.len(), "{what} groups");
    for (g, x) in actual.groups.iter().zip(groups) {
        let name = format!("{what} {}", g.pathway);
        assert_eq!(g.pathway, x["pathway"].as_str().unwrap());
        assert_eq!(g.people_at_risk, u(&x["people_at_risk"]), "{name} at risk");
        assert_eq!(g.events, u(&x["events"]), "{name} events");
        let Some(curve) = &g.curve else {
            assert_eq!(g.people_at_risk, 0, "{name}: a curve");
            continue;
        };
        check_optional(curve.median.time, &x["median"], &format!("{name} median"));
        check_optional(
            curve.median.lower,
            &x["median_lower"],
            &format!("{name} median lower"),
        );
        check_optional(
            curve.median.upper,
            &x["median_upper"],
            &format!("{name} median upper"),
        );
        let rmst = g.restricted_mean.unwrap();
        assert_close(rmst.estimate, f(&x["rmst"]), &format!("{name} RMST"));
    }
    let test = actual.log_rank.as_ref().unwrap();
    let y = &expected["log_rank"];
    let pathways: Vec<&str> = y["pathways"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(actual.log_rank_pathways, pathways, "{what} log-rank groups");
    assert_close(
        test.chi_square,
        f(&y["chi_square"]),
        &format!("{what} log-rank chi-square"),
    );
    assert_eq!(test.degrees_of_freedom as u64, u(&y["degrees_of_freedom"]));
    assert_close(
        test.p_value,
        f(&y["p_value"]),
        &format!("{what} log-rank p"),
    );
}

#[test]
fn time_to_first_crisis_and_to_relapse_match_lifelines() {
    let (_, comparison) = run_demo(300);
    let e = expected();
    assert_close(
        comparison.time_to_first_crisis.tau_days,
        f(&e["tau_days"]),
        "tau",
    );
    check_survival(
        &comparison.time_to_first_crisis,
        &e["time_to_first_crisis"],
        "first crisis",
    );
    let relapse = comparison.time_to_relapse.as_ref().unwrap();
    assert_eq!(relapse.measure.as_deref(), Some("PHQ-9"));
    check_survival(relapse, &e["time_to_relapse"], "relapse");
}

#[test]
fn funnel_units_match_the_reference_counts() {
    let (_, comparison) = run_demo(300);
    let e = expected();
    for funnel in &comparison.funnels {
        let key = serde_json::to_value(funnel.units).unwrap();
        let units = &e["funnels"][key.as_str().unwrap()];
        let plot = funnel.funnel.as_ref().unwrap();
        assert_eq!(plot.units.len(), funnel.unit_names.len());
        assert_eq!(plot.units.len(), units.as_object().unwrap().len());
        let is_ratio = funnel.indicator.contains("observed / expected");
        for point in &plot.units {
            let name = &funnel.unit_names[point.unit_idx];
            let x = &units[name];
            if is_ratio {
                assert_eq!(point.numerator, u(&x["observed"]), "{name} observed");
                assert_close(
                    point.denominator,
                    f(&x["expected"]),
                    &format!("{name} expected"),
                );
            } else {
                assert_eq!(point.numerator, u(&x["improved"]), "{name} improved");
                assert_close(
                    point.denominator,
                    f(&x["paired"]),
                    &format!("{name} paired"),
                );
            }
        }
        assert!(!funnel.standardisation.is_empty() && !plot.method.is_empty());
    }
    assert_eq!(
        comparison.funnels.len(),
        4,
        "teams and pathways, two indicators each"
    );
}

/// The planted effect: Integrated community support has the best reliable improvement, and its
/// Newcombe interval against Standard community support excludes 0 (at 300 people on PHQ-9).
#[test]
fn integrated_has_the_best_reliable_improvement() {
    let (_, comparison) = run_demo(300);
    let service: Vec<_> = comparison
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::ServicePathway)
        .collect();
    let ri = |g: &waymark_core::analysis::pathways::PathwayGroup| {
        g.measures[0].reliable_improvement.unwrap().proportion
    };
    let best = service
        .iter()
        .max_by(|a, b| ri(a).total_cmp(&ri(b)))
        .unwrap();
    assert_eq!(best.pathway, "Integrated community support");
    let standard = service
        .iter()
        .find(|g| g.pathway == "Standard community support")
        .unwrap();
    let integrated = &best.measures[0];
    assert_eq!(integrated.measure, "PHQ-9");
    let difference = if standard.is_reference {
        integrated.reliable_improvement_vs_reference.unwrap()
    } else {
        waymark_core::stats::intervals::newcombe_difference_interval(
            integrated.reliable_improvement.unwrap().successes,
            integrated.reliable_improvement.unwrap().trials,
            standard.measures[0].reliable_improvement.unwrap().successes,
            standard.measures[0].reliable_improvement.unwrap().trials,
            Default::default(),
        )
        .unwrap()
    };
    assert!(difference.lower > 0.0, "{difference:?}");
    // Crisis rates are lowest on Integrated too.
    let rate = |g: &waymark_core::analysis::pathways::PathwayGroup| {
        g.crisis.rate_per_100_person_months.unwrap().rate
    };
    let lowest = service
        .iter()
        .min_by(|a, b| rate(a).total_cmp(&rate(b)))
        .unwrap();
    assert_eq!(lowest.pathway, "Integrated community support");
}

#[test]
fn configured_reference_and_unknown_reference() {
    let demo = generate(&DemoParams::default());
    let files = demo.input_files();
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let config = AnalysisConfig {
        reference_date: Some(reference_date()),
        ..AnalysisConfig::default()
    };
    let catalogue = MeasureCatalogue::defaults();
    let analysis = analyse(&data, &config, &catalogue).unwrap();
    let index = PersonIndex::build(&data, &config).unwrap();
    let run = |reference: &str| {
        compare_pathways(
            &data,
            &index,
            &analysis.outcomes,
            &catalogue,
            &PathwayConfig {
                reference_pathway: Some(reference.to_string()),
                ..PathwayConfig::default()
            },
        )
    };
    let step_down = run("step down");
    assert_eq!(step_down.reference_pathway.as_deref(), Some("Step-down"));
    assert_eq!(step_down.reference_basis, "configured");
    let reference = step_down.groups.iter().find(|g| g.is_reference).unwrap();
    assert!(reference.crisis.rate_ratio_vs_reference.is_none());
    assert!(reference.measures[0]
        .reliable_improvement_vs_reference
        .is_none());
    let unknown = run("Nonexistent");
    assert_eq!(
        unknown.reference_pathway.as_deref(),
        Some("Standard community support")
    );
    assert!(unknown.warnings.iter().any(|w| w.contains("Nonexistent")));
    // Comparison cohort is its own group and never a reference.
    let last = unknown.groups.last().unwrap();
    assert_eq!(last.kind, GroupKind::ComparisonCohort);
    assert!(!last.is_reference);
}

/// Odd but legal inputs give `None`s and notes, never a panic: no comparison cohort, one
/// pathway, nobody paired, no crises, a start after the reference date, a blank severity.
#[test]
fn degenerate_inputs_do_not_panic() {
    let people = "person_id,pathway,start_date,end_date,team,baseline_severity,cohort\n\
        P1,Only,2026-01-01,,North,low,service\n\
        P2,Only,2026-02-01,2026-03-01,,,service\n\
        P3,Only,2026-09-01,,North,high,service\n";
    let outcomes = "person_id,date,measure,score,stage\nP1,2026-01-05,PHQ-9,15,baseline\n";
    let events = "person_id,date,event_type\nP1,2026-01-10,attended_appointment\n";
    let catalogue = MeasureCatalogue::defaults();
    for files in [
        vec![("people.csv", people)],
        vec![
            ("people.csv", people),
            ("outcomes.csv", outcomes),
            ("events.csv", events),
        ],
    ] {
        let inputs: Vec<InputFile> = files
            .iter()
            .map(|(name, text)| InputFile {
                name,
                bytes: text.as_bytes(),
            })
            .collect();
        let data = ingest(&inputs, &MappingConfig::default()).dataset;
        let config = AnalysisConfig {
            reference_date: Some(reference_date()),
            ..AnalysisConfig::default()
        };
        let analysis = analyse(&data, &config, &catalogue).unwrap();
        let index = PersonIndex::build(&data, &config).unwrap();
        let c = compare_pathways(
            &data,
            &index,
            &analysis.outcomes,
            &catalogue,
            &PathwayConfig {
                confidence_level: 2.0, // invalid: falls back to 95%
                ..PathwayConfig::default()
            },
        );
        assert_eq!(c.confidence_level, 0.95);
        assert_eq!(c.people_excluded, 1, "P3 starts after the reference date");
        assert_eq!(c.groups.len(), 1);
        assert_eq!(c.groups[0].crisis.events, 0);
        assert!(c.groups[0].crisis.rate_ratio_vs_reference.is_none());
        assert!(c.case_mix.chi_square.is_none());
        assert!(c.time_to_first_crisis.log_rank.is_none());
        assert!(c
            .funnels
            .iter()
            .all(|f| f.funnel.is_none() || f.unit_names.len() == 1));
        assert!(c
            .warnings
            .iter()
            .any(|w| w.contains("fewer than 30 people with paired scores")));
        serde_json::to_string(&c).unwrap();
    }
}
