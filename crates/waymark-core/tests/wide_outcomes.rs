//! Wide outcome files (issue 14, section 2): a column per measure, per questionnaire item or
//! per Recovery Star area, read as one score per measure per row.
//!
//! Fixtures: tests/fixtures/shapes. Expected totals were computed outside Waymark with plain
//! Python sums over the fixture's cells (the scoring rules: PHQ-9 and GAD-7 the sum of items
//! 0-3, CORE-10 the sum of items 0-4 as marked, Recovery Star the sum of ten areas):
//! wide_items.csv gives PHQ-9 16 and 5 (P1), GAD-7 14, 3, 14, 7, CORE-10 26, 7 and 18; P2's
//! PHQ-9 sets are incomplete (item 3 blank on line 4; item 5 is 5 on line 5); P2's CORE-10 on
//! line 4 is all blank (not assessed). recovery_star.csv gives totals 37 and 51; P2's row
//! has Work blank, so no total.

#[path = "common/fixture_files.rs"]
mod fixture_files;

use fixture_files::ingest_fixtures;
use waymark_core::config::Config;
use waymark_core::ingest::mapping::MatchedBy;
use waymark_core::{Dataset, IssueCode, ValidationReport};

fn run(files: &[&str], config: &Config) -> (Dataset, ValidationReport) {
    ingest_fixtures("shapes", files, config)
}

/// (person, date, measure, score) of every outcome row, sorted.
fn scores(data: &Dataset) -> Vec<(String, String, String, f64)> {
    let o = &data.outcomes;
    let mut rows: Vec<_> = (0..o.person.len())
        .map(|i| {
            (
                data.person_ids.text(o.person[i]).to_string(),
                o.date[i].to_string(),
                data.text.text(o.measure[i]).to_string(),
                o.score[i],
            )
        })
        .collect();
    rows.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    rows
}

fn phq9_mapped() -> Config {
    let mut config = Config::default();
    config
        .mapping
        .values
        .measure
        .insert("PHQ9 Total".into(), "PHQ-9".into());
    config
}

#[test]
fn a_wide_file_gives_the_same_scores_and_issues_as_its_long_form() {
    let config = phq9_mapped();
    let (wide, wide_report) = run(&["people.csv", "wide_scores.csv"], &config);
    let (long, _) = run(&["people.csv", "long_scores.csv"], &config);
    // The long file has the same scores, the 31 included: it is rejected in both.
    assert_eq!(scores(&wide), scores(&long));
    assert_eq!(scores(&wide).len(), 6);
    assert_eq!(wide.outcomes.stage, long.outcomes.stage);

    let file = &wide_report.files[1];
    let summary = file.wide.as_ref().expect("read as wide");
    assert_eq!(summary.rows, 6);
    assert_eq!(summary.scores, vec!["PHQ9 Total", "GAD-7"]);
    let score_columns: Vec<&str> = file
        .columns
        .iter()
        .filter(|c| c.matched_by == Some(MatchedBy::Wide))
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(score_columns, vec!["PHQ9 Total", "GAD-7"]);

    // The out-of-range PHQ-9 of line 4 names its column, and leaves P2's GAD-7 in.
    let out_of_range: Vec<_> = wide_report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::OutOfRange)
        .collect();
    assert_eq!(out_of_range.len(), 1);
    assert_eq!(out_of_range[0].line, Some(4));
    assert_eq!(out_of_range[0].column.as_deref(), Some("PHQ9 Total"));
    assert!(out_of_range[0].message.starts_with("Score left out"));
    // Line 6 has no person: one error for the row, not one per score.
    let missing: Vec<_> = wide_report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::MissingValue && i.line == Some(6))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].column.as_deref(), Some("Client ID"));
    // Line 7 has no score at all: said, with its line.
    assert!(wide_report
        .issues
        .iter()
        .any(|i| i.code == IssueCode::MissingValue
            && i.line == Some(7)
            && i.message.contains("no score")));
    let note = wide_report
        .issues
        .iter()
        .find(|i| i.code == IssueCode::WideOutcomes)
        .expect("the shape is said");
    assert!(
        note.message.contains("Columns not used: Notes"),
        "{}",
        note.message
    );
}

#[test]
fn a_measure_column_the_catalogue_does_not_know_is_listed_as_not_used() {
    let (data, report) = run(&["people.csv", "wide_scores.csv"], &Config::default());
    let measures: Vec<&str> = data
        .outcomes
        .measure
        .iter()
        .map(|m| data.text.text(*m))
        .collect();
    assert!(measures.iter().all(|m| *m == "GAD-7"), "{measures:?}");
    let note = report
        .issues
        .iter()
        .find(|i| i.code == IssueCode::WideOutcomes)
        .expect("the shape is said");
    assert!(
        note.message.contains("Columns not used: PHQ9 Total, Notes"),
        "{}",
        note.message
    );
}

#[test]
fn questionnaire_items_are_totalled_only_when_every_item_is_present_and_valid() {
    let (data, report) = run(&["people.csv", "wide_items.csv"], &Config::default());
    let got = scores(&data);
    let expect =
        |p: &str, d: &str, m: &str, s: f64| (p.to_string(), d.to_string(), m.to_string(), s);
    assert_eq!(
        got,
        vec![
            expect("P1", "2024-02-01", "CORE-10", 26.0),
            expect("P1", "2024-02-01", "GAD-7", 14.0),
            expect("P1", "2024-02-01", "PHQ-9", 16.0),
            expect("P1", "2024-05-01", "CORE-10", 7.0),
            expect("P1", "2024-05-01", "GAD-7", 3.0),
            expect("P1", "2024-05-01", "PHQ-9", 5.0),
            expect("P2", "2024-02-10", "GAD-7", 14.0),
            expect("P2", "2024-05-10", "CORE-10", 18.0),
            expect("P2", "2024-05-10", "GAD-7", 7.0),
        ]
    );
    let incomplete: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::IncompleteItems)
        .collect();
    assert_eq!(
        incomplete.len(),
        1,
        "only PHQ-9 has incomplete sets: {incomplete:?}"
    );
    assert!(
        incomplete[0]
            .message
            .starts_with("2 row(s) have an incomplete PHQ-9 (lines 4, 5)"),
        "{}",
        incomplete[0].message
    );
    assert!(
        incomplete[0].message.contains("item 3 blank"),
        "{}",
        incomplete[0].message
    );
    let summary = report.files[1].wide.as_ref().expect("wide");
    assert_eq!(
        summary.scores,
        vec!["PHQ-9 items 1-9", "GAD-7 items 1-7", "CORE-10 items 1-10"]
    );
}

#[test]
fn a_recovery_star_export_is_read_as_its_areas_and_its_total() {
    let (data, report) = run(&["people.csv", "recovery_star.csv"], &Config::default());
    let got = scores(&data);
    let totals: Vec<(&str, f64)> = got
        .iter()
        .filter(|(_, _, m, _)| m == "Recovery Star")
        .map(|(p, _, _, s)| (p.as_str(), *s))
        .collect();
    assert_eq!(totals, vec![("P1", 37.0), ("P1", 51.0)]);
    let areas = got
        .iter()
        .filter(|(_, _, m, _)| m.starts_with("Recovery Star: "))
        .count();
    assert_eq!(areas, 10 + 10 + 9);
    let trust: Vec<f64> = got
        .iter()
        .filter(|(_, _, m, _)| m == "Recovery Star: Trust and hope")
        .map(|(.., s)| *s)
        .collect();
    assert_eq!(trust, vec![4.0, 6.0, 4.0]);
    assert!(report
        .issues
        .iter()
        .any(|i| i.code == IssueCode::IncompleteItems && i.line == Some(4)));
    // Every area is a measure of the catalogue: nothing is reported as unrecognised.
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.kind == waymark_core::ingest::ProblemKind::UnrecognisedMeasure),
        "{:?}",
        report.problems
    );
}
