//! The `waymark` command as a user runs it: exit codes, positioned messages, report formats.
//! Expected positions come from tests/fixtures/messy/README.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn waymark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .output()
        .expect("the waymark binary runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("waymark-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn validate_lists_positioned_issues_and_exits_zero_when_usable() {
    let output = waymark(&["validate", &fixture("messy/people-win1252.csv")]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("people table, Windows-1252, semicolon-separated, header on line 2; 7 rows read, 3 accepted, 4 rejected"), "{text}");
    for position in [
        "line 5, column \"Referral Date\"",
        "line 6, column \"Care Pathway\"",
        "line 7, column \"Discharge Date\"",
        "line 8, column \"Referral Date\"",
    ] {
        assert!(text.contains(position), "missing {position} in:\n{text}");
    }
}

#[test]
fn unusable_data_exits_one_and_usage_errors_two() {
    let dir = temp_dir("unusable");
    let events = dir.join("events.csv");
    std::fs::write(
        &events,
        "person_id,date,event_type\nP1,2024-01-01,crisis_contact\n",
    )
    .expect("write");
    let output = waymark(&["validate", &events.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("No people file was recognised"));

    assert_eq!(
        waymark(&["validate"]).status.code(),
        Some(2),
        "no files is a usage error"
    );
    let missing = waymark(&["validate", "/nonexistent/people.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/people.csv")
    );
}

#[test]
fn demo_then_report_in_both_formats() {
    let dir = temp_dir("demo");
    let output = waymark(&[
        "demo",
        &dir.display().to_string(),
        "--people",
        "40",
        "--seed",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path().display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 6);

    let json_path = dir.join("report.json");
    let mut args = vec!["report"];
    args.extend(files.iter().map(String::as_str));
    let json_arg = json_path.display().to_string();
    args.extend(["--format", "json", "--as-of", "2026-06-30", "-o", &json_arg]);
    assert_eq!(waymark(&args).status.code(), Some(0));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("report written"))
            .expect("valid JSON");
    assert_eq!(
        report["schema_version"],
        waymark_core::report::SCHEMA_VERSION
    );
    let measures = report["direction_of_travel"]["measures"]
        .as_array()
        .expect("measures judged");
    assert!(measures.iter().any(|m| m["measure"] == "PHQ-9"));
    assert!(report["value"]["naive"]["gross_avoided"]["value"].is_number());
    assert!(report["pathways"]["groups"]
        .as_array()
        .is_some_and(|g| !g.is_empty()));
    assert_eq!(report["as_of"], "2026-06-30");
    assert_eq!(report["data"]["n_people"], 40);
    assert_eq!(report["data_quality"]["errors"], 0);

    let html_args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "json" { "html" } else { a })
        .filter(|a| *a != "-o" && *a != json_arg)
        .collect();
    let html = waymark(&html_args);
    let page = stdout(&html);
    assert!(page.starts_with("<!doctype html>") && page.contains("<h2>Key messages</h2>"));
    assert!(page.contains("Service name not set"), "no [report] section");
    assert!(page.contains("What the data show") && page.contains("Pathways compared"));
    assert!(!page.contains("<script"), "the report page runs no script");
}

#[test]
fn mapping_file_maps_custom_headers() {
    let dir = temp_dir("mapping");
    let people = dir.join("clients.csv");
    std::fs::write(
        &people,
        "Ref,Programme Name,Began\nA1,Step-down,03/04/2024\n",
    )
    .expect("write");
    let mapping = dir.join("mapping.toml");
    std::fs::write(
        &mapping,
        "date_order = \"month_first\"\n\n[[files]]\nname = \"clients*.csv\"\ntable = \"people\"\n[files.columns]\n\"Ref\" = \"person_id\"\n\"Programme Name\" = \"pathway\"\n\"Began\" = \"start_date\"\n",
    )
    .expect("write");
    let output = waymark(&[
        "validate",
        &people.display().to_string(),
        "--mapping",
        &mapping.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("1 accepted, 0 rejected"));

    std::fs::write(&mapping, "not_a_setting = 1\n").expect("write");
    let bad = waymark(&[
        "validate",
        &people.display().to_string(),
        "--mapping",
        &mapping.display().to_string(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a valid configuration file"));
}

#[test]
fn a_value_mapping_in_the_mapping_file_says_what_event_types_mean() {
    let dir = temp_dir("values");
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "person_id,pathway,start_date\nA1,Step-down,2024-01-10\n",
    )
    .expect("write");
    let events = dir.join("events.csv");
    std::fs::write(
        &events,
        "person_id,date,event_type\nA1,2024-03-01,Crisis line call\nA1,2024-03-02,Crisis line call\nA1,2024-03-05,Home visit\n",
    )
    .expect("write");
    let mapping = dir.join("mapping.toml");
    std::fs::write(
        &mapping,
        "[values.event_type]\n\"Crisis line call\" = \"crisis_contact\"\n\"Home visit\" = \"not_counted\"\n",
    )
    .expect("write");
    let paths = [people.display().to_string(), events.display().to_string()];
    let output = waymark(&[
        "validate",
        &paths[0],
        &paths[1],
        "--mapping",
        &mapping.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("    event type \"Crisis line call\" (2 rows): counted as crisis_contact (your mapping)"), "{text}");
    assert!(
        text.contains("    event type \"Home visit\" (1 row): not counted (your mapping)"),
        "{text}"
    );
    assert!(!text.contains("Problems that change the results"), "{text}");
    // Without the mapping both are counted nowhere, and validation says so.
    let plain = stdout(&waymark(&["validate", &paths[0], &paths[1]]));
    assert!(
        plain.contains("    event type \"Crisis line call\" (2 rows): not counted\n"),
        "{plain}"
    );
    assert!(
        plain.contains("have event type \"Crisis line call\": not counted"),
        "{plain}"
    );
    // A choice naming no event type is refused, with the value named.
    std::fs::write(
        &mapping,
        "[values.event_type]\n\"Home visit\" = \"home_visit\"\n",
    )
    .expect("write");
    let bad = waymark(&[
        "validate",
        &paths[0],
        &paths[1],
        "--mapping",
        &mapping.display().to_string(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("\"Home visit\" is mapped to \"home_visit\""),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn config_file_sets_analysis_measures_and_value_and_rejects_typos() {
    let dir = temp_dir("config");
    assert_eq!(
        waymark(&["demo", &dir.display().to_string(), "--people", "40"])
            .status
            .code(),
        Some(0)
    );
    let config = dir.join("waymark.toml");
    std::fs::write(
        &config,
        "[analysis]\nstability_window_days = 60\n\n[value]\nattribution_percent = 50\nbootstrap_resamples = 50\n\n[[measures]]\nmeasure = \"PHQ-9\"\nreliable_change = { method = \"published\", value = 5 }\nsource = \"local audit\"\n",
    )
    .expect("write config");
    let csvs: Vec<String> = [
        "people", "outcomes", "events", "goals", "status", "feedback",
    ]
    .iter()
    .map(|t| dir.join(format!("{t}.csv")).display().to_string())
    .collect();
    let config_arg = config.display().to_string();
    let mut args: Vec<&str> = vec!["report", "--format", "json", "--config", &config_arg];
    args.extend(csvs.iter().map(String::as_str));
    let output = waymark(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let direction = &report["direction_of_travel"];
    assert_eq!(direction["stability"]["window_days"], 60);
    let phq = direction["measures"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["measure"] == "PHQ-9"))
        .expect("PHQ-9 judged");
    assert_eq!(phq["reliable_change_threshold"], 5.0);
    assert_eq!(report["value"]["attribution_percent"], 50.0);

    // A filter narrows every figure to one pathway's people.
    std::fs::write(&config, "[filter]\npathways = [\"Step-down\"]\n").expect("write config");
    let output = waymark(&args);
    assert_eq!(output.status.code(), Some(0));
    let filtered: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let people_csv = std::fs::read_to_string(dir.join("people.csv")).expect("people");
    let step_down = people_csv
        .lines()
        .filter(|l| l.contains(",Step-down,"))
        .count() as u64;
    assert!(step_down > 0);
    let shown = filtered["data"]["n_people"].as_u64();
    let expected = if step_down <= 7 {
        None
    } else {
        Some((step_down + 2) / 5 * 5)
    };
    assert_eq!(shown, expected, "{step_down} Step-down people");
    assert_eq!(filtered["filter"]["pathways"][0], "Step-down");

    // Dates may be written as TOML dates or as text; a period that ends before it starts is
    // an error naming both dates.
    for dates in [
        "period_from = 2025-10-01\nperiod_to = 2026-03-31",
        "period_from = \"2025-10-01\"\nperiod_to = \"2026-03-31\"",
    ] {
        std::fs::write(&config, format!("[filter]\n{dates}\n")).expect("write config");
        let output = waymark(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{dates}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let period: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        assert_eq!(period["filter"]["period_to"], "2026-03-31");
        assert_eq!(period["as_of"], "2026-03-31");
    }
    std::fs::write(
        &config,
        "[filter]\nperiod_from = 2026-03-31\nperiod_to = 2025-10-01\n",
    )
    .expect("write config");
    let output = waymark(&args);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("2026-03-31") && message.contains("2025-10-01"),
        "{message}"
    );

    std::fs::write(&config, "[analysis]\nstability_windw_days = 60\n").expect("write config");
    let output = waymark(&args);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("stability_windw_days"), "{message}");
}

#[test]
fn events_matching_no_person_exit_one_with_the_reason() {
    // The people file lists P1; all three events are for people of another export, so the
    // verdict is "cannot be analysed" (3 of 3 event rows unlinked, more than half) and the
    // exit code 1, although every row was read without an error.
    let dir = temp_dir("unlinked");
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "person_id,pathway,start_date\nP1,Step-down,2024-01-10\n",
    )
    .expect("write");
    let events = dir.join("events.csv");
    std::fs::write(
        &events,
        "person_id,date,event_type\nA1,2024-02-01,crisis_contact\nA2,2024-02-02,crisis_contact\nA3,2024-02-03,housing_visit\n",
    )
    .expect("write");
    let output = waymark(&[
        "validate",
        &people.display().to_string(),
        &events.display().to_string(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("The data cannot be analysed yet: 100% of the events rows are for a person_id that is not in the people file."),
        "{text}"
    );
    assert!(
        text.contains("  - events: 1 of 3 rows (33.3%) have event type \"housing_visit\""),
        "{text}"
    );
}

#[test]
fn a_score_outside_its_range_is_an_error_at_its_row_and_column() {
    let dir = temp_dir("range");
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "person_id,pathway,start_date\nP1,Step-down,2024-01-10\n",
    )
    .expect("write");
    let outcomes = dir.join("outcomes.csv");
    std::fs::write(
        &outcomes,
        "person_id,date,measure,score\nP1,2024-02-01,PHQ-9,12\nP1,2024-03-01,PHQ-9,31\n",
    )
    .expect("write");
    let output = waymark(&[
        "validate",
        &people.display().to_string(),
        &outcomes.display().to_string(),
    ]);
    let text = stdout(&output);
    // One row of two left out: ready with problems, still exit 0.
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("error: outcomes.csv line 3, column \"score\": Row rejected: a PHQ-9 score lies between 0 and 27"),
        "{text}"
    );
    assert!(
        text.contains("(found \"31\"; expected a PHQ-9 score from 0 to 27)"),
        "{text}"
    );
    assert!(
        text.contains("  - outcomes: 1 of 2 rows (50%) rejected (see the errors below): left out of every figure"),
        "{text}"
    );
}

/// A configuration's [report] section reaches the cover: the service name, provider and
/// period label appear before the key messages; a typo in the section is refused.
#[test]
fn report_section_names_the_service_on_the_cover() {
    let dir = temp_dir("report-section");
    assert_eq!(
        waymark(&["demo", &dir.display().to_string(), "--people", "40"])
            .status
            .code(),
        Some(0)
    );
    let config = dir.join("waymark.toml");
    std::fs::write(
        &config,
        "[value]\nbootstrap_resamples = 50\n\n[report]\nservice_name = \"Northside Community Recovery\"\nprovider = \"Example Health CIC\"\nperiod_label = \"2025/26 Q1-Q4\"\nreport_date = 2026-07-15\n\n[[report.priorities]]\nname = \"Fewer crises\"\nindicators = [\"crisis_rate\"]\nmeasures = [\"PHQ-9\"]\n",
    )
    .expect("write config");
    let mut args: Vec<String> = vec![
        "report".into(),
        "--format".into(),
        "html".into(),
        "--config".into(),
        config.display().to_string(),
    ];
    args.extend(
        [
            "people", "outcomes", "events", "goals", "status", "feedback",
        ]
        .iter()
        .map(|t| dir.join(format!("{t}.csv")).display().to_string()),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = waymark(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = stdout(&output);
    let cover = &page[..page.find("<h2>Key messages</h2>").expect("key messages")];
    for expected in [
        "<h1>Northside Community Recovery</h1>",
        "Example Health CIC",
        "2025/26 Q1-Q4",
        "15 July 2026",
    ] {
        assert!(cover.contains(expected), "{expected} on the cover");
    }
    assert!(page.contains("<h3>Fewer crises</h3>"));

    std::fs::write(&config, "[report]\nservice_nmae = \"x\"\n").expect("write config");
    let output = waymark(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("service_nmae"));
}

/// `waymark governance <dir>`: the pack from every CSV in a directory, JSON or printable HTML,
/// always under disclosure control (a group of fewer than 8 people shows `*`).
#[test]
fn governance_pack_from_a_directory() {
    let dir = temp_dir("governance");
    let data = dir.join("data");
    let data_arg = data.display().to_string();
    let output = waymark(&["demo", &data_arg, "--people", "60", "--seed", "5"]);
    assert_eq!(output.status.code(), Some(0));

    let json_path = dir.join("governance.json");
    let json_arg = json_path.display().to_string();
    let args = [
        "governance",
        &data_arg,
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
        "-o",
        &json_arg,
    ];
    assert_eq!(waymark(&args).status.code(), Some(0));
    let pack: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("pack written"))
            .expect("valid JSON");
    assert_eq!(pack["disclosure"], "controlled");
    assert_eq!(pack["as_of"], "2026-06-30");
    let teams = pack["teams"].as_array().expect("teams");
    assert!(!teams.is_empty());
    let coordinators = pack["coordinators"].as_array().expect("coordinators");
    assert!(
        coordinators
            .iter()
            .any(|c| c["withheld"] == true && c["in_service"] == "*"),
        "60 people over 12 coordinators: some have fewer than 8"
    );

    let html = waymark(&["governance", &data_arg, "--as-of", "2026-06-30"]);
    assert_eq!(html.status.code(), Some(0));
    let page = stdout(&html);
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<h1>Team and coordinator governance</h1>"));
    assert!(page.contains("size:A4 portrait") && !page.contains("<script"));

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("dir");
    let none = waymark(&["governance", &empty.display().to_string()]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn a_workbook_is_read_sheet_by_sheet() {
    let output = waymark(&["validate", &fixture("workbook/caseload.xlsx")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("caseload.xlsx [people]: people table"),
        "{text}"
    );
    assert!(text.contains("header on line 3"), "{text}");
    assert!(
        text.contains("caseload.xlsx [events]: events table"),
        "{text}"
    );
}
