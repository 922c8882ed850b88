//! Workbooks (issue 14, section 3): the same data as CSV files and as one .xlsx workbook give
//! the same report. The workbook was made outside Waymark by openpyxl from the CSV files
//! (tests/fixtures/workbook/make_workbook.py): real Excel dates, numbers as numbers, two title
//! rows above the People header.

use serde_json::Value;
use waymark_core::config::{analyse_dataset, Config};
use waymark_core::ingest::{ingest_with, IngestRules};
use waymark_core::{InputFile, IssueCode};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/workbook");

fn report(files: &[(String, Vec<u8>)]) -> (Value, waymark_core::ValidationReport) {
    let config = Config {
        analysis: waymark_core::analysis::AnalysisConfig {
            reference_date: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
            ..Default::default()
        },
        ..Config::default()
    };
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(&config));
    let validation = ingested.report.clone();
    let evidence =
        analyse_dataset(&ingested.dataset, ingested.report, &config).expect("valid config");
    (
        serde_json::from_str(&evidence.report.to_json()).expect("json"),
        validation,
    )
}

fn csv_files() -> Vec<(String, Vec<u8>)> {
    [
        "people", "outcomes", "events", "goals", "status", "feedback",
    ]
    .iter()
    .map(|t| {
        (
            format!("{t}.csv"),
            std::fs::read(format!("{DIR}/csv/{t}.csv")).expect("fixture"),
        )
    })
    .collect()
}

#[test]
fn a_workbook_gives_the_same_report_as_the_same_data_in_csv() {
    let (from_csv, _) = report(&csv_files());
    let workbook = std::fs::read(format!("{DIR}/caseload.xlsx")).expect("fixture");
    let (from_xlsx, validation) = report(&[("caseload.xlsx".to_string(), workbook)]);
    // Every sheet read as its table, named with the file and the sheet.
    let names: Vec<(&str, Option<&str>, usize)> = validation
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.table.map(|t| t.name()), f.rows_rejected))
        .collect();
    assert_eq!(
        names,
        vec![
            ("caseload.xlsx [events]", Some("events"), 0),
            ("caseload.xlsx [feedback]", Some("feedback"), 0),
            ("caseload.xlsx [goals]", Some("goals"), 0),
            ("caseload.xlsx [outcomes]", Some("outcomes"), 0),
            ("caseload.xlsx [people]", Some("people"), 0),
            ("caseload.xlsx [status]", Some("status"), 0),
        ]
    );
    // The title rows sit above the header: the header is on line 3, as in the sheet.
    let people = validation
        .files
        .iter()
        .find(|f| f.name.ends_with("[people]"))
        .expect("people");
    assert_eq!(people.header_line, Some(3));
    assert!(from_csv["direction_of_travel"]["measures"]
        .as_array()
        .is_some_and(|m| !m.is_empty()));
    assert!(
        from_csv["value"].is_object() && from_csv["pathways"].is_object(),
        "the sections compared exist"
    );
    for section in ["direction_of_travel", "value", "pathways", "value_note"] {
        assert_eq!(from_xlsx[section], from_csv[section], "{section} differs");
    }
    assert_eq!(from_xlsx["data"]["n_people"], from_csv["data"]["n_people"]);
    assert_eq!(from_xlsx["data"]["tables"], from_csv["data"]["tables"]);
}

#[test]
fn a_damaged_workbook_is_one_error_naming_the_file() {
    let (_, validation) = report(&[(
        "caseload.xlsx".to_string(),
        b"PK\x03\x04 not really a zip".to_vec(),
    )]);
    let issue = validation
        .issues
        .iter()
        .find(|i| i.code == IssueCode::UnreadableWorkbook)
        .expect("issue");
    assert_eq!(issue.file, "caseload.xlsx");
    assert!(
        issue.message.contains("could not be opened as a workbook"),
        "{}",
        issue.message
    );
    assert!(!validation.usable);
}
