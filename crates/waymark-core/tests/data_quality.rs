//! Data problems that change results are loud: scores outside their measure's range are
//! rejected at their row and column, the problems are summarised with their row counts, and the
//! verdict has three levels. Expected values are read off the inline files by hand (line
//! numbers as a text editor shows them; ranges from the measure catalogue: PHQ-9 0-27, GAD-7
//! 0-21, CORE-10 0-40, SWEMWBS raw totals 7-35 in whole numbers).

use waymark_core::config::Config;
use waymark_core::ingest::{ingest_with, IngestRules, ProblemKind, VerdictLevel};
use waymark_core::measures::MeasureOverride;
use waymark_core::stats::change::Direction;
use waymark_core::{ingest, InputFile, IssueCode, IssueSeverity, MappingConfig, TableKind};
use waymark_core::{Dataset, ValidationReport};

const PEOPLE: &str =
    "person_id,pathway,start_date,end_date\nP1,Step-down,2024-01-10,\nP2,Step-down,2024-02-01,\n";

fn run(files: &[(&str, &str)]) -> (Dataset, ValidationReport) {
    run_with(files, &IngestRules::default())
}

fn run_with(files: &[(&str, &str)], rules: &IngestRules) -> (Dataset, ValidationReport) {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, text)| InputFile {
            name,
            bytes: text.as_bytes(),
        })
        .collect();
    let ingested = ingest_with(&inputs, &MappingConfig::default(), rules);
    (ingested.dataset, ingested.report)
}

// Lines: 2 PHQ-9 31 (above 27), 3 PHQ-9 -3 (below 0), 4 PHQ-9 27 (the top of the range: kept),
// 5 CORE-10 40 (kept), 6 GAD-7 22 (above 21), 7 SWEMWBS 20.5 (not a whole raw total),
// 8 HoNOS 60 (not in the shipped catalogue: kept unchecked).
const OUTCOMES: &str = "person_id,date,measure,Total Score,stage\n\
P1,2024-01-12,PHQ-9,31,baseline\n\
P1,2024-02-12,PHQ-9,-3,review\n\
P1,2024-03-12,PHQ-9,27,review\n\
P1,2024-03-12,CORE-10,40,review\n\
P2,2024-03-12,GAD-7,22,review\n\
P2,2024-03-12,SWEMWBS,20.5,review\n\
P2,2024-03-12,HoNOS,60,review\n";

#[test]
fn scores_outside_their_measures_range_are_rejected_at_row_and_column() {
    let (data, report) = run(&[("people.csv", PEOPLE), ("outcomes.csv", OUTCOMES)]);
    let out_of_range: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::OutOfRange)
        .collect();
    let lines: Vec<u32> = out_of_range.iter().filter_map(|i| i.line).collect();
    assert_eq!(lines, vec![2, 3, 6, 7]);
    for issue in &out_of_range {
        assert_eq!(issue.severity, IssueSeverity::Error);
        assert_eq!(issue.file, "outcomes.csv");
        assert_eq!(issue.column.as_deref(), Some("Total Score"));
    }
    assert_eq!(out_of_range[0].value.as_deref(), Some("31"));
    assert_eq!(
        out_of_range[0].expected.as_deref(),
        Some("a PHQ-9 score from 0 to 27")
    );
    assert_eq!(out_of_range[1].value.as_deref(), Some("-3"));
    assert_eq!(
        out_of_range[2].expected.as_deref(),
        Some("a GAD-7 score from 0 to 21")
    );
    assert_eq!(
        out_of_range[3].expected.as_deref(),
        Some("a SWEMWBS raw total: a whole number from 7 to 35")
    );
    let file = report
        .files
        .iter()
        .find(|f| f.name == "outcomes.csv")
        .expect("summary");
    assert_eq!((file.rows_accepted, file.rows_rejected), (3, 4));
    assert_eq!(data.outcomes.score, vec![27.0, 40.0, 60.0]);
    // Shown with its position, value and range: one line a user can act on.
    assert_eq!(
        out_of_range[0].to_string(),
        "error: outcomes.csv line 2, column \"Total Score\": Row rejected: a PHQ-9 score lies between 0 and 27; this one is outside that range. Check the score and the measure name. (found \"31\"; expected a PHQ-9 score from 0 to 27)"
    );
}

#[test]
fn the_catalogue_in_force_sets_the_range() {
    // The user adds HoNOS (0-48): line 8's 60 is now outside its range and rejected too.
    let config = Config {
        measures: vec![MeasureOverride {
            measure: "HoNOS".into(),
            min: Some(0.0),
            max: Some(48.0),
            direction: Some(Direction::LowerIsBetter),
            ..MeasureOverride::default()
        }],
        ..Config::default()
    };
    let (_, report) = run_with(
        &[("people.csv", PEOPLE), ("outcomes.csv", OUTCOMES)],
        &IngestRules::from_config(&config),
    );
    let honos: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::OutOfRange && i.line == Some(8))
        .collect();
    assert_eq!(honos.len(), 1);
    assert_eq!(
        honos[0].expected.as_deref(),
        Some("a HoNOS score from 0 to 48")
    );
    // With the shipped catalogue HoNOS is unknown: kept, and listed as not recognised.
    let (_, shipped) = run(&[("people.csv", PEOPLE), ("outcomes.csv", OUTCOMES)]);
    let unknown: Vec<_> = shipped
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnrecognisedMeasure)
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].value.as_deref(), Some("HoNOS"));
    // 1 row of the 7 read.
    assert_eq!((unknown[0].count, unknown[0].of), (1, 7));
}

#[test]
fn events_that_match_no_person_make_the_data_not_ready() {
    // Every event is for a person missing from the people file (IDs from another export).
    let events = "person_id,date,event_type\nX1,2024-03-01,crisis_contact\nX2,2024-03-02,crisis_contact\nP1,2024-03-03,crisis_contact\n";
    let (_, report) = run(&[("people.csv", PEOPLE), ("events.csv", events)]);
    assert_eq!(report.verdict.level, VerdictLevel::CannotBeAnalysed);
    assert!(!report.usable);
    // 2 of 3 rows: 66.7%, above the half allowed.
    let reason = report.verdict.reason.as_deref().unwrap_or_default();
    assert!(
        reason.starts_with(
            "66.7% of the events rows are for a person_id that is not in the people file"
        ),
        "{reason}"
    );
    assert_eq!(report.unusable_reason.as_deref(), Some(reason));
    let unlinked: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::PersonNotInPeopleFile)
        .collect();
    assert_eq!(unlinked.len(), 1);
    assert_eq!(
        (unlinked[0].table, unlinked[0].count, unlinked[0].of),
        (TableKind::Events, 2, 3)
    );
    assert_eq!(unlinked[0].percent, Some(66.7));
}

#[test]
fn half_the_rows_unlinked_is_still_ready_with_problems() {
    // 1 of 2 rows (50%) is not more than half: the rule is "more than half".
    let events =
        "person_id,date,event_type\nX1,2024-03-01,crisis_contact\nP1,2024-03-03,crisis_contact\n";
    let (_, report) = run(&[("people.csv", PEOPLE), ("events.csv", events)]);
    assert_eq!(report.verdict.level, VerdictLevel::ReadyWithProblems);
    assert!(report.usable);
}

#[test]
fn problems_that_change_results_are_summarised_with_row_counts() {
    // People P1, P2, P3; P3 has no event and no score. Events: 4 rows, one for X9 (not in the
    // people file), one "housing_visit" (no event kind lists it). Status: 3 rows, one indicator
    // "employment" (only housing and engagement count), one rejected ("mansion" is not in the
    // housing order).
    let people = "person_id,pathway,start_date\nP1,Step-down,2024-01-10\nP2,Step-down,2024-02-01\nP3,Step-down,2024-02-01\n";
    let events = "person_id,date,event_type\nP1,2024-03-01,crisis_contact\nX9,2024-03-02,crisis_contact\nP2,2024-03-03,housing_visit\nP2,2024-03-04,admission\n";
    let status = "person_id,date,indicator,value\nP1,2024-03-01,housing,settled\nP1,2024-03-01,employment,working\nP2,2024-03-01,housing,mansion\n";
    let (_, report) = run(&[
        ("people.csv", people),
        ("events.csv", events),
        ("status.csv", status),
    ]);
    assert_eq!(report.verdict.level, VerdictLevel::ReadyWithProblems);
    let summary: Vec<(ProblemKind, TableKind, Option<&str>, usize, usize)> = report
        .problems
        .iter()
        .map(|p| (p.kind, p.table, p.value.as_deref(), p.count, p.of))
        .collect();
    assert_eq!(
        summary,
        vec![
            (ProblemKind::RowsLeftOut, TableKind::Status, None, 1, 3),
            (
                ProblemKind::PersonNotInPeopleFile,
                TableKind::Events,
                None,
                1,
                4
            ),
            (
                ProblemKind::PeopleWithoutRecords,
                TableKind::People,
                None,
                1,
                3
            ),
            (
                ProblemKind::UnrecognisedEventType,
                TableKind::Events,
                Some("housing_visit"),
                1,
                4
            ),
            (
                ProblemKind::UnrecognisedStatusIndicator,
                TableKind::Status,
                Some("employment"),
                1,
                3
            ),
        ]
    );
    let housing_visit = &report.problems[3];
    assert_eq!(
        housing_visit.message,
        "events: 1 of 4 rows (25%) have event type \"housing_visit\": not counted in any service indicator nor in cost avoidance (map it to an event type in the mapping step, or give it a unit cost)"
    );
    assert_eq!(
        report.verdict.headline,
        "The data can be analysed, with 5 problems that change the results (listed first below)."
    );
}

#[test]
fn clean_data_is_ready() {
    let outcomes = "person_id,date,measure,score\nP1,2024-01-12,PHQ-9,18\nP2,2024-03-12,PHQ-9,9\n";
    let inputs = [
        InputFile {
            name: "people.csv",
            bytes: PEOPLE.as_bytes(),
        },
        InputFile {
            name: "outcomes.csv",
            bytes: outcomes.as_bytes(),
        },
    ];
    let report = ingest(&inputs, &MappingConfig::default()).report;
    assert_eq!(
        report.verdict.level,
        VerdictLevel::Ready,
        "{:?}",
        report.problems
    );
    assert!(report.problems.is_empty());
    assert_eq!(report.verdict.headline, "The data can be analysed.");
}

#[test]
fn no_people_file_cannot_be_analysed_with_the_old_reason() {
    let events = "person_id,date,event_type\nP1,2024-03-01,crisis_contact\n";
    let (_, report) = run(&[("events.csv", events)]);
    assert_eq!(report.verdict.level, VerdictLevel::CannotBeAnalysed);
    assert!(report
        .verdict
        .reason
        .as_deref()
        .is_some_and(|r| r.starts_with("No people file was recognised")));
}

#[test]
fn the_report_shows_the_verdict_and_problems_in_json_and_html() {
    // One event type no kind lists ("housing_visit", 1 of 2 event rows = 50%).
    let events =
        "person_id,date,event_type\nP1,2024-03-01,crisis_contact\nP2,2024-03-03,housing_visit\n";
    let config = Config::default();
    let (data, report) = run_with(
        &[("people.csv", PEOPLE), ("events.csv", events)],
        &IngestRules::from_config(&config),
    );
    let evidence =
        waymark_core::config::analyse_dataset(&data, report, &config).expect("valid config");
    let json: serde_json::Value = serde_json::from_str(&evidence.report.to_json()).expect("json");
    assert_eq!(json["schema_version"], waymark_core::report::SCHEMA_VERSION);
    assert_eq!(
        json["data_quality"]["verdict"]["level"],
        "ready_with_problems"
    );
    assert_eq!(
        json["data_quality"]["problems"][0]["kind"],
        "unrecognised_event_type"
    );
    // 1 of 2 rows: both counts are suppressed in the export, and the share with them; the
    // screen report keeps them exact.
    assert_eq!(json["data_quality"]["problems"][0]["count"], "*");
    assert_eq!(
        json["data_quality"]["problems"][0]["percent"],
        serde_json::Value::Null
    );
    let screen = serde_json::to_value(&evidence.screen_report).expect("json");
    assert_eq!(screen["data_quality"]["problems"][0]["percent"], 50.0);
    assert_eq!(screen["data_quality"]["problems"][0]["count"], 1);
    let html = evidence.report.to_html();
    let quality = &html[html
        .find("<h2>Appendix: about the data</h2>")
        .expect("section")..];
    assert!(quality.contains("<p class=\"verdict warn\">The data can be analysed, with 1 problem that changes the results (listed first below).</p>"), "{quality}");
    assert!(
        quality.contains(
            "<th scope=\"row\">events</th><td>housing_visit</td><td>*</td><td>*</td><td>*</td>"
        ),
        "{quality}"
    );
    assert!(
        !quality.contains("Line"),
        "no issue list with lines and values in the report"
    );
}
