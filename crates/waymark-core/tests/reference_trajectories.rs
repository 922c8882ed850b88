//! Score trajectories (analysis.outcomes.trajectories) against an independent pandas
//! computation of the documented rule (tests/reference/trajectories_reference.py, which wrote
//! tests/reference/trajectories_expected.json and the hand-made export under
//! tests/reference/trajectories_fixture/). Both read the same CSV files: the demo export
//! (demo300) and eight hand-made people at the binning rule's edges.
//!
//! Counts, months and drawn people must agree exactly; scores, months since baseline and
//! medians within the shared tolerance.

#[path = "common/tolerance.rs"]
mod tolerance;
#[path = "common/reference_exports.rs"]
#[macro_use]
mod reference_exports;

use reference_exports::{catalogue, ingest_export};

use std::collections::BTreeMap;

use serde::Deserialize;
use waymark_core::analysis::{analyse, AnalysisConfig};

const DEMO: [(&str, &str); 6] = export!("demo300");
const FIXTURE: [(&str, &str); 6] = export!("trajectories_fixture");

#[derive(Deserialize)]
struct ExpectedFile {
    datasets: BTreeMap<String, BTreeMap<String, Expected>>,
}

#[derive(Deserialize)]
struct Expected {
    n_people: usize,
    median: Vec<MedianExpected>,
    drawn: Vec<DrawnExpected>,
}

#[derive(Deserialize)]
struct MedianExpected {
    month: u32,
    median: f64,
    n_people: usize,
}

#[derive(Deserialize)]
struct DrawnExpected {
    person_id: String,
    points: Vec<(f64, f64)>,
}

/// Every disagreement between the engine and the reference on one export.
fn disagreements(files: &[(&str, &str)], dataset: &str) -> Vec<String> {
    let mut file: ExpectedFile = serde_json::from_str(include_str!(
        "../../../tests/reference/trajectories_expected.json"
    ))
    .expect("reference file parses");
    let expected = file.datasets.remove(dataset).expect("dataset present");
    let ingested = ingest_export(files);
    let data = &ingested.dataset;
    let config = AnalysisConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
        ..AnalysisConfig::default()
    };
    let analysis = analyse(data, &config, &catalogue()).expect("people present");
    let person_id = |p: usize| data.person_ids.text(data.people.person[p]).to_string();

    let mut problems = Vec::new();
    let got: Vec<&str> = analysis
        .outcomes
        .trajectories
        .iter()
        .map(|t| t.measure.as_str())
        .collect();
    let mut want: Vec<&str> = expected.keys().map(|k| k.as_str()).collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    if got_sorted != want {
        problems.push(format!("measures: got {got:?}, reference {want:?}"));
    }
    for (measure, expected) in &expected {
        let Some(actual) = analysis
            .outcomes
            .trajectories
            .iter()
            .find(|t| &t.measure == measure)
        else {
            continue;
        };
        if actual.n_people != expected.n_people {
            problems.push(format!(
                "{measure} n_people: got {}, reference {}",
                actual.n_people, expected.n_people
            ));
        }
        let months = |m: &[(u32, usize)]| format!("{m:?}");
        let got_months: Vec<(u32, usize)> = actual
            .median
            .iter()
            .map(|m| (m.month, m.n_people))
            .collect();
        let want_months: Vec<(u32, usize)> = expected
            .median
            .iter()
            .map(|m| (m.month, m.n_people))
            .collect();
        if got_months != want_months {
            problems.push(format!(
                "{measure} median months (month, n): got {}, reference {}",
                months(&got_months),
                months(&want_months)
            ));
        }
        for (a, e) in actual.median.iter().zip(&expected.median) {
            if !tolerance::close(a.median, e.median) {
                problems.push(format!(
                    "{measure} median at month {}: got {}, reference {}",
                    e.month, a.median, e.median
                ));
            }
        }
        let got_people: Vec<String> = actual.people.iter().map(|p| person_id(p.person)).collect();
        let want_people: Vec<String> = expected.drawn.iter().map(|d| d.person_id.clone()).collect();
        if got_people != want_people {
            problems.push(format!("{measure} drawn people differ"));
            continue;
        }
        for (a, e) in actual.people.iter().zip(&expected.drawn) {
            let agree = a.points.len() == e.points.len()
                && a.points
                    .iter()
                    .zip(&e.points)
                    .all(|(x, y)| tolerance::close(x.0, y.0) && tolerance::close(x.1, y.1));
            if !agree {
                problems.push(format!(
                    "{measure} {}: got {:?}, reference {:?}",
                    e.person_id, a.points, e.points
                ));
            }
        }
    }
    problems
}

#[test]
fn demo_trajectories_match_the_independent_reference() {
    let problems = disagreements(&DEMO, "demo300");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hand_made_edge_cases_match_the_independent_reference() {
    let problems = disagreements(&FIXTURE, "fixture");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
