//! Ingestion as a user meets it: small inline exports in, counts and positioned issues out.
//! Expected values are read off the fixture text by hand (line numbers as a text editor shows).

use waymark_core::ingest::mapping::{FileMapping, GoalScale, MappingConfig};
use waymark_core::ingest::values::DateOrder;
use waymark_core::{
    ingest, Dataset, InputFile, Issue, IssueCode, IssueSeverity, TableKind, ValidationReport,
};

const PEOPLE: &str = "person_id,pathway,start_date,end_date\nP1,Step-down,2024-01-10,\nP2,Step-down,2024-02-01,2024-09-30\n";

fn run(files: &[(&str, &[u8])]) -> (Dataset, ValidationReport) {
    run_with(files, &MappingConfig::default())
}

fn run_with(files: &[(&str, &[u8])], config: &MappingConfig) -> (Dataset, ValidationReport) {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest(&inputs, config);
    (ingested.dataset, ingested.report)
}

fn event_lines(data: &Dataset) -> Vec<u32> {
    (0..data.events.lines.len())
        .map(|row| data.events.lines.line(row))
        .collect()
}

fn issues_with(report: &ValidationReport, code: IssueCode) -> Vec<&Issue> {
    report.issues.iter().filter(|i| i.code == code).collect()
}

fn lines_of(report: &ValidationReport, code: IssueCode) -> Vec<u32> {
    issues_with(report, code)
        .iter()
        .filter_map(|i| i.line)
        .collect()
}

fn file<'a>(report: &'a ValidationReport, name: &str) -> &'a waymark_core::ingest::FileSummary {
    report
        .files
        .iter()
        .find(|f| f.name == name)
        .expect("file summary present")
}

fn events_file(body: &str) -> String {
    format!("person_id,date,event_type,quantity,severity,follow_up\n{body}")
}

#[test]
fn canonical_files_load_into_every_table() {
    let outcomes = "person_id,date,measure,score,stage\nP1,2024-01-12,PHQ-9,18,baseline\nP1,2024-04-12,PHQ-9,11,review\n";
    let events = events_file(
        "P1,2024-02-01,crisis_contact,1,high,Crisis plan reviewed\nP2,2023-05-01,admission,,,\n",
    );
    let goals = "person_id,goal_id,review_date,rating,plan_changed\nP1,G1,2024-04-01,-1,no\n";
    let status = "person_id,date,indicator,value\nP1,2024-01-10,housing,Temporary\nP1,2024-06-10,engagement,engaged\n";
    let feedback = "person_id,date,source,self_rating,functioning_change,themes,text\nP1,2024-05-01,person,4,worse,isolation; Money worries,\"I feel alone, mostly\"\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("outcomes.csv", outcomes.as_bytes()),
        ("events.csv", events.as_bytes()),
        ("goals.csv", goals.as_bytes()),
        ("status.csv", status.as_bytes()),
        ("feedback.csv", feedback.as_bytes()),
    ]);
    assert!(report.usable, "{:?}", report.issues);
    assert_eq!(report.n_errors, 0, "{:?}", report.issues);
    let rows: Vec<usize> = TableKind::ALL.iter().map(|t| data.row_count(*t)).collect();
    assert_eq!(rows, vec![2, 2, 2, 1, 2, 1]);
    assert_eq!(
        data.events.quantity,
        vec![1.0, 1.0],
        "blank quantity counts as one"
    );
    assert_eq!(data.events.severity[0].map(|s| s.get()), Some(3));
    assert_eq!(data.status.rank, vec![Some(1), Some(2)]);
    let themes: Vec<&str> = data.feedback.themes[0]
        .iter()
        .map(|t| data.text.text(*t))
        .collect();
    assert_eq!(themes, vec!["isolation", "money worries"]);
    assert_eq!(
        data.feedback.text[0].map(|t| data.text.text(t)),
        Some("I feel alone, mostly")
    );
    assert_eq!(data.goals.scale, vec![GoalScale::Gas]);
}

#[test]
fn every_encoding_reads_the_same_rows() {
    let text = "person_id,pathway,start_date\nP1,Café support,2024-01-10\n";
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let bom: Vec<u8> = b"\xEF\xBB\xBF"
        .iter()
        .copied()
        .chain(text.bytes())
        .collect();
    let cp1252: Vec<u8> = text
        .replace('é', "\u{1}")
        .bytes()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect();
    for (bytes, label) in [
        (text.as_bytes().to_vec(), "UTF-8"),
        (bom, "UTF-8 with BOM"),
        (utf16le, "UTF-16LE"),
        (utf16be, "UTF-16BE"),
        (cp1252, "Windows-1252"),
    ] {
        let (data, report) = run(&[("people.csv", &bytes)]);
        assert_eq!(report.files[0].encoding.map(|e| e.label()), Some(label));
        assert_eq!(
            data.text.text(data.people.pathway[0]),
            "Café support",
            "{label}"
        );
        assert_eq!(
            data.person_ids.text(data.people.person[0]),
            "P1",
            "{label}: BOM must not stick to the first header"
        );
    }
}

#[test]
fn delimiters_are_sniffed() {
    for delimiter in [",", ";", "\t", "|"] {
        let text = PEOPLE.replace(',', delimiter);
        let (data, report) = run(&[("people.csv", text.as_bytes())]);
        assert_eq!(
            data.people.person.len(),
            2,
            "delimiter {delimiter:?}: {:?}",
            report.issues
        );
    }
    let (_, report) = run(&[(
        "people.csv",
        b"sep=;\nperson_id;pathway;start_date\nP1;A, B;2024-01-01\n",
    )]);
    assert_eq!(report.files[0].delimiter.as_deref(), Some("semicolon"));
    assert_eq!(lines_of(&report, IssueCode::SeparatorLine), vec![1]);
}

#[test]
fn quoted_fields_and_crlf_keep_physical_line_numbers() {
    // Line 1 title, 2 blank, 3 header, 4 good, 5-6 one record with an embedded newline,
    // 7 blank, 8 bad date.
    let text = "Crisis export\r\n\r\nperson_id,date,event_type,follow_up\r\nP1,2024-02-01,crisis_contact,\"Called \"\"home\"\", left message\"\r\nP1,2024-02-02,crisis_contact,\"Two\r\nlines\"\r\n\r\nP1,2024-13-45,crisis_contact,\r\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", text.as_bytes()),
    ]);
    assert_eq!(file(&report, "events.csv").header_line, Some(3));
    assert_eq!(event_lines(&data), vec![4, 5]);
    assert_eq!(
        data.text.text(data.events.follow_up[0].expect("follow-up")),
        "Called \"home\", left message"
    );
    assert_eq!(
        data.text.text(data.events.follow_up[1].expect("follow-up")),
        "Two\r\nlines"
    );
    assert_eq!(lines_of(&report, IssueCode::SkippedTitleRows), vec![1]);
    assert!(
        lines_of(&report, IssueCode::EmptyRow).is_empty(),
        "blank lines are not rows"
    );
    let bad = issues_with(&report, IssueCode::InvalidDate);
    assert_eq!(bad.len(), 1);
    assert_eq!(
        (
            bad[0].line,
            bad[0].column.as_deref(),
            bad[0].value.as_deref()
        ),
        (Some(8), Some("date"), Some("2024-13-45"))
    );
}

#[test]
fn footer_rows_are_skipped_with_a_note_but_odd_rows_inside_data_are_errors() {
    let text = events_file("P1,2024-02-01,crisis_contact,1,,\nP1,2024-02-02\nP1,2024-02-03,crisis_contact,1,,\n,,,,,\nTotal records: 2,,,,,\nExported by CareSys\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", text.as_bytes()),
    ]);
    assert_eq!(event_lines(&data), vec![2, 4]);
    assert_eq!(lines_of(&report, IssueCode::WrongFieldCount), vec![3]);
    assert_eq!(lines_of(&report, IssueCode::EmptyRow), vec![5]);
    assert_eq!(lines_of(&report, IssueCode::SkippedFooterRows), vec![6]);
    let summary = file(&report, "events.csv");
    assert_eq!(
        (
            summary.rows_read,
            summary.rows_accepted,
            summary.rows_rejected
        ),
        (3, 2, 1)
    );
}

#[test]
fn date_forms_and_day_month_order() {
    let text = events_file("P1,05/02/2024,crisis_contact,,,\nP1,06-Feb-2024,crisis_contact,,,\nP1,07/02/24 13:45,crisis_contact,,,\nP1,2024-02-08T09:00:00,crisis_contact,,,\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", text.as_bytes()),
    ]);
    let dates: Vec<String> = data.events.date.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        dates,
        vec!["2024-02-05", "2024-02-06", "2024-02-07", "2024-02-08"]
    );
    let ambiguous = issues_with(&report, IssueCode::DateOrderAmbiguous);
    assert_eq!(
        ambiguous.len(),
        1,
        "every numeric day is <= 12: say so at the column"
    );
    assert_eq!(
        (ambiguous[0].line, ambiguous[0].column.as_deref()),
        (Some(1), Some("date"))
    );

    let proved = events_file("P1,25/02/2024,crisis_contact,,,\nP1,03/04/2024,crisis_contact,,,\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", proved.as_bytes()),
    ]);
    assert!(issues_with(&report, IssueCode::DateOrderAmbiguous).is_empty());
    assert_eq!(data.events.date[1].to_string(), "2024-04-03");

    let us = events_file("P1,02/25/2024,crisis_contact,,,\nP1,03/04/2024,crisis_contact,,,\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", us.as_bytes()),
    ]);
    assert_eq!(lines_of(&report, IssueCode::DateOrderMonthFirst), vec![1]);
    assert_eq!(data.events.date[1].to_string(), "2024-03-04");

    let mixed = events_file("P1,25/02/2024,crisis_contact,,,\nP1,02/26/2024,crisis_contact,,,\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", mixed.as_bytes()),
    ]);
    assert_eq!(
        issues_with(&report, IssueCode::DateOrderContradictory).len(),
        1
    );
    assert_eq!(lines_of(&report, IssueCode::InvalidDate), vec![3]);
    assert_eq!(data.events.person.len(), 1);

    let declared = MappingConfig {
        date_order: Some(DateOrder::MonthFirst),
        ..MappingConfig::default()
    };
    let (data, report) = run_with(
        &[
            ("people.csv", PEOPLE.as_bytes()),
            (
                "events.csv",
                events_file("P1,03/04/2024,crisis_contact,,,\n").as_bytes(),
            ),
        ],
        &declared,
    );
    assert!(issues_with(&report, IssueCode::DateOrderAmbiguous).is_empty());
    assert_eq!(data.events.date[0].to_string(), "2024-03-04");
}

#[test]
fn numbers_accept_thousands_separators() {
    let text = "person_id,date,measure,score\nP1,2024-02-01,Custom,\"1,250\"\nP1,2024-03-01,Custom,12.5\nP1,2024-04-01,Custom,12;5\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("outcomes.csv", text.as_bytes()),
    ]);
    assert_eq!(data.outcomes.score, vec![1250.0, 12.5]);
    let bad = issues_with(&report, IssueCode::InvalidNumber);
    assert_eq!(
        (bad[0].line, bad[0].value.as_deref()),
        (Some(4), Some("12;5"))
    );
}

#[test]
fn ids_stay_text_and_damaged_ids_are_warned_about() {
    let people = "Client ID,pathway,start_date\n0012345678,A,2024-01-01\n9.43E+09,A,2024-01-01\n123456789,A,2024-01-01\n";
    let (data, report) = run(&[("people.csv", people.as_bytes())]);
    assert_eq!(data.person_ids.text(data.people.person[0]), "0012345678");
    let mangled = issues_with(&report, IssueCode::IdLooksMangled);
    assert_eq!(
        (mangled[0].line, mangled[0].column.as_deref()),
        (Some(3), Some("Client ID"))
    );
    let numeric = "NHS Number,pathway,start_date\n4857773456,A,2024-01-01\n4857773457,A,2024-01-01\n857773458,A,2024-01-01\n";
    let (_, report) = run(&[("people.csv", numeric.as_bytes())]);
    let lost = issues_with(&report, IssueCode::IdLeadingZerosLost);
    assert_eq!(lost.len(), 1);
    // The short ID is on line 4, and the warning says so.
    assert_eq!(
        (lost[0].line, lost[0].column.as_deref()),
        (Some(4), Some("NHS Number"))
    );
    assert!(
        lost[0]
            .message
            .starts_with("1 identifier(s) are shorter than the usual 10 digits (line 4):"),
        "{}",
        lost[0].message
    );
}

#[test]
fn bad_rows_are_rejected_listed_and_counted_without_stopping_the_file() {
    let text = events_file(",2024-02-01,crisis_contact,,,\nP1,2024-02-02,crisis_contact,lots,,\nP1,2024-02-03,crisis_contact,,severe,\nP2,2024-02-04,admission,2,,\n");
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", text.as_bytes()),
    ]);
    assert_eq!(event_lines(&data), vec![4, 5]);
    let missing = issues_with(&report, IssueCode::MissingValue);
    assert_eq!(
        (
            missing[0].line,
            missing[0].column.as_deref(),
            missing[0].severity
        ),
        (Some(2), Some("person_id"), IssueSeverity::Error)
    );
    let number = issues_with(&report, IssueCode::InvalidNumber);
    assert_eq!(
        (number[0].line, number[0].value.as_deref()),
        (Some(3), Some("lots"))
    );
    let code = issues_with(&report, IssueCode::InvalidCode);
    assert_eq!(
        (code[0].line, code[0].severity),
        (Some(4), IssueSeverity::Warning),
        "an unknown optional code is blanked, not fatal"
    );
    assert_eq!(data.events.severity[0], None);
    let summary = file(&report, "events.csv");
    assert_eq!(
        (
            summary.rows_read,
            summary.rows_accepted,
            summary.rows_rejected
        ),
        (4, 2, 2)
    );
    let rejected_rows = report
        .issues
        .iter()
        .filter(|i| i.file == "events.csv" && i.severity == IssueSeverity::Error)
        .count();
    assert_eq!(rejected_rows, summary.rows_rejected);
}

#[test]
fn structural_problems_say_how_to_fix_them() {
    let (_, report) = run(&[("people.csv", b"")]);
    assert_eq!(report.issues[0].code, IssueCode::EmptyFile);
    assert!(!report.usable);
    let (_, report) = run(&[("scan.csv", b"PK\x03\x04\x00\x00binary")]);
    assert_eq!(report.issues[0].code, IssueCode::NotText);
    let (_, report) = run(&[("notes.csv", b"hello world\nthis is not a table\n")]);
    assert_eq!(report.issues[0].code, IssueCode::NoHeader);
    let (_, report) = run(&[("people.csv", b"person_id,pathway\nP1,A\n")]);
    let missing = issues_with(&report, IssueCode::MissingRequiredColumn);
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0].message.contains("start_date"),
        "{}",
        missing[0].message
    );
    assert!(
        missing[0].message.contains("mapping"),
        "{}",
        missing[0].message
    );
    assert_eq!(report.unusable_reason.is_some(), true);
}

#[test]
fn synonyms_and_mapping_files_map_columns() {
    let people = "Service User ID,Care Pathway,Referral Date\nP1,A,01/02/2024\n";
    let (data, report) = run(&[("export.csv", people.as_bytes())]);
    assert_eq!(file(&report, "export.csv").table, Some(TableKind::People));
    assert_eq!(data.people.start_date[0].to_string(), "2024-02-01");

    let crisis = "Ref,When,What\nP1,2024-02-01,crisis_contact\n";
    let config = MappingConfig {
        files: vec![FileMapping {
            name: "crisis*.csv".into(),
            table: Some(TableKind::Events),
            columns: [
                ("Ref", "person_id"),
                ("When", "date"),
                ("What", "event_type"),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            ..FileMapping::default()
        }],
        ..MappingConfig::default()
    };
    let (data, report) = run_with(
        &[
            ("people.csv", PEOPLE.as_bytes()),
            ("crisis_2024.csv", crisis.as_bytes()),
        ],
        &config,
    );
    assert_eq!(data.events.person.len(), 1, "{:?}", report.issues);
}

/// A repeated event row is reported at its own line, naming the first row's file and line,
/// also when the two are in different files of the same table.
#[test]
fn repeated_event_rows_name_the_first_row() {
    let people = "person_id,pathway,start_date\nP1,A,2024-01-10\nP2,A,2024-01-10\n";
    let first = events_file("P1,2024-02-01,crisis_contact,1,,\nP2,2024-02-01,crisis_contact,1,,\n");
    let second =
        events_file("P2,2024-03-01,crisis_contact,1,,\nP2,2024-02-01,crisis_contact,1,,\n");
    let (_, report) = run(&[
        ("people.csv", people.as_bytes()),
        ("events-2024a.csv", first.as_bytes()),
        ("events-2024b.csv", second.as_bytes()),
    ]);
    let repeats = issues_with(&report, IssueCode::DuplicateRow);
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    assert_eq!(repeats[0].file, "events-2024b.csv");
    assert_eq!(repeats[0].line, Some(3));
    assert!(
        repeats[0].message.contains("events-2024a.csv line 3"),
        "{}",
        repeats[0].message
    );
}

#[test]
fn cross_table_checks() {
    let people = "person_id,pathway,start_date,end_date\nP1,A,2024-01-10,2024-06-30\nP1,B,2024-02-01,\nP3,A,2024-05-01,2024-04-01\n";
    let outcomes = "person_id,date,measure,score\nP1,2023-12-01,PHQ-9,12\nP9,2024-02-01,PHQ-9,12\nP1,2024-02-01,PHQ-9,12\nP1,2024-02-01,PHQ-9,12\n";
    let events = events_file("P1,2023-06-01,crisis_contact,,,\nP1,2024-08-01,crisis_contact,,,\n");
    let (data, report) = run(&[
        ("people.csv", people.as_bytes()),
        ("outcomes.csv", outcomes.as_bytes()),
        ("events.csv", events.as_bytes()),
    ]);
    assert_eq!(data.people.person.len(), 1);
    assert_eq!(lines_of(&report, IssueCode::DuplicatePerson), vec![3]);
    assert_eq!(lines_of(&report, IssueCode::EndBeforeStart), vec![4]);
    assert_eq!(lines_of(&report, IssueCode::UnknownPerson), vec![3]);
    assert_eq!(
        lines_of(&report, IssueCode::BeforeStart),
        vec![2],
        "pre-start events are history, not errors"
    );
    assert_eq!(lines_of(&report, IssueCode::AfterEnd), vec![3]);
    assert_eq!(lines_of(&report, IssueCode::DuplicateRow), vec![5]);
    let people_summary = file(&report, "people.csv");
    assert_eq!(
        (people_summary.rows_accepted, people_summary.rows_rejected),
        (1, 2)
    );
}

#[test]
fn goal_scales_and_status_orders() {
    let gbo = "person_id,goal_id,review_date,rating\nP1,G1,2024-03-01,3\nP1,G1,2024-06-01,7\nP1,G2,2024-06-01,11\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("goals.csv", gbo.as_bytes()),
    ]);
    assert_eq!(data.goals.scale, vec![GoalScale::GoalBased; 2]);
    assert_eq!(lines_of(&report, IssueCode::OutOfRange), vec![4]);
    let ambiguous =
        "person_id,goal_id,review_date,rating\nP1,G1,2024-03-01,0\nP1,G1,2024-06-01,1\n";
    let (_, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("goals.csv", ambiguous.as_bytes()),
    ]);
    assert_eq!(issues_with(&report, IssueCode::GoalScaleAmbiguous).len(), 1);

    let status = "person_id,date,indicator,value\nP1,2024-02-01,housing,sofa surfing\nP1,2024-02-01,employment,volunteering\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("status.csv", status.as_bytes()),
    ]);
    let rejected = issues_with(&report, IssueCode::InvalidCode);
    assert_eq!(
        (rejected[0].line, rejected[0].severity),
        (Some(2), IssueSeverity::Error)
    );
    assert_eq!(data.status.rank, vec![None]);
    let mut config = MappingConfig::default();
    config.status_orders.insert(
        "housing".into(),
        vec!["sofa surfing".into(), "settled".into()],
    );
    let (data, _) = run_with(
        &[
            ("people.csv", PEOPLE.as_bytes()),
            ("status.csv", status.as_bytes()),
        ],
        &config,
    );
    assert_eq!(data.status.rank[0], Some(0));
}

#[test]
fn every_issue_names_its_file_and_row_issues_their_line_and_column() {
    let text = events_file("P1,not a date,crisis_contact,,,\nP1,2024-02-01,,,,\n");
    let (_, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("events.csv", text.as_bytes()),
    ]);
    for issue in report
        .issues
        .iter()
        .filter(|i| i.severity == IssueSeverity::Error)
    {
        assert_eq!(issue.file, "events.csv");
        assert!(
            issue.line.is_some() && issue.column.is_some() && issue.expected.is_some(),
            "{issue}"
        );
    }
}

#[test]
fn bare_carriage_returns_end_lines_too() {
    let text = "person_id,pathway,start_date\rP1,A,2024-01-10\rP2,A,not a date\r";
    let (_, report) = run(&[("people.csv", text.as_bytes())]);
    assert_eq!(lines_of(&report, IssueCode::InvalidDate), vec![3]);
}

#[test]
fn detected_goal_scales_are_noted_and_out_of_scale_baselines_warned() {
    let goals = "person_id,goal_id,review_date,rating,baseline_rating\nP1,G1,2024-03-01,-1,-5\nP1,G1,2024-06-01,1,-2\n";
    let (data, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("goals.csv", goals.as_bytes()),
    ]);
    assert_eq!(issues_with(&report, IssueCode::GoalScaleDetected).len(), 1);
    let blanked = issues_with(&report, IssueCode::OutOfRange);
    assert_eq!(
        (blanked[0].line, blanked[0].severity),
        (Some(2), IssueSeverity::Warning)
    );
    assert_eq!(data.goals.baseline_rating, vec![None, Some(-2.0)]);
}

#[test]
fn mapping_to_an_unknown_field_is_reported() {
    let config = MappingConfig {
        files: vec![FileMapping {
            name: "people.csv".into(),
            columns: [("Team".to_string(), "teem".to_string())].into(),
            ..FileMapping::default()
        }],
        ..MappingConfig::default()
    };
    let people = "person_id,pathway,start_date,Team\nP1,A,2024-01-10,North\n";
    let (_, report) = run_with(&[("people.csv", people.as_bytes())], &config);
    let unknown = issues_with(&report, IssueCode::UnknownField);
    assert_eq!(unknown[0].value.as_deref(), Some("teem"));
}

#[test]
fn an_id_and_a_date_alone_are_not_mistaken_for_feedback() {
    let (_, report) = run(&[
        ("people.csv", PEOPLE.as_bytes()),
        ("mystery.csv", b"person_id,date,thing\nP1,2024-02-01,x\n"),
    ]);
    assert_eq!(file(&report, "mystery.csv").table, None);
    assert_eq!(file(&report, "mystery.csv").readable, false);
}

#[test]
fn a_file_with_a_header_and_no_rows_gets_a_warning_at_its_header() {
    let (_, report) = run(&[
        (
            "people.csv",
            b"person_id,pathway,start_date\nP1,Step-down,2024-01-10\n",
        ),
        (
            "events.csv",
            b"Export of events\nperson_id,date,event_type\n",
        ),
    ]);
    let warnings = issues_with(&report, IssueCode::HeaderOnly);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].file, "events.csv");
    assert_eq!(warnings[0].line, Some(2));
    assert_eq!(warnings[0].severity, waymark_core::IssueSeverity::Warning);
    assert!(issues_with(&report, IssueCode::HeaderOnly)
        .iter()
        .all(|i| i.file != "people.csv"));
}

#[test]
fn a_zero_byte_in_one_cell_rejects_that_row_not_the_file() {
    let (data, report) = run(&[
        ("people.csv", b"person_id,pathway,start_date\nP1,Step-down,2024-01-10\nP2,Step\0down,2024-01-11\nP3,Step-down,2024-01-12\n"),
    ]);
    assert_eq!(data.people.person.len(), 2);
    let issues = issues_with(&report, IssueCode::NulInCell);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, Some(3));
    assert_eq!(issues[0].column.as_deref(), Some("pathway"));
    assert!(issues_with(&report, IssueCode::NotText).is_empty());
    // A file that is mostly zero bytes is still not text.
    let (_, binary) = run(&[("people.csv", b"P\0K\0\x03\0\x04\0\0\0\0\0\0\0\0\0\0\0\0\0")]);
    assert_eq!(issues_with(&binary, IssueCode::NotText).len(), 1);
}
