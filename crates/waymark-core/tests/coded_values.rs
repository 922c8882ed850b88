//! Value mapping for coded columns and status values (issue 14, section 1): stages, feedback
//! sources and status values written in a provider's own words are read as the user says.
//! Expected values are read off the inline files by hand.

use waymark_core::config::{Config, ConfigError};
use waymark_core::ingest::value_map::{MeaningFrom, ValueCount};
use waymark_core::ingest::{ingest_with, IngestRules};
use waymark_core::model::{FeedbackSource, Stage};
use waymark_core::{Dataset, InputFile, IssueCode, ValidationReport};

const PEOPLE: &str =
    "person_id,pathway,start_date\nP1,Step-down,2024-01-10\nP2,Step-down,2024-01-20\n";

/// Stages: "Initial assessment" (2 rows) and "Discharged" (1) are not built-in spellings;
/// "Review" (1) is.
const OUTCOMES: &str = "person_id,date,measure,score,stage\n\
P1,2024-02-01,PHQ-9,18,Initial assessment\n\
P1,2024-03-01,PHQ-9,12,Review\n\
P1,2024-05-01,PHQ-9,9,Discharged\n\
P2,2024-02-10,PHQ-9,15,initial ASSESSMENT\n";

/// Housing recorded as "Accommodation": rough sleeping (1), supported accommodation (2),
/// own tenancy (1), not known (1).
const STATUS: &str = "person_id,date,indicator,value\n\
P1,2024-02-01,Accommodation,Rough sleeping\n\
P1,2024-04-01,Accommodation,Supported accommodation\n\
P1,2024-06-01,Accommodation,Own tenancy\n\
P2,2024-02-10,Accommodation,Supported accommodation\n\
P2,2024-05-10,Accommodation,Not known\n";

/// Sources: "Service user" (built in), "Mum" (1, not built in).
const FEEDBACK: &str = "person_id,date,source,self_rating\n\
P1,2024-03-01,Service user,6\n\
P2,2024-03-02,Mum,5\n";

fn run(config: &Config) -> (Dataset, ValidationReport) {
    let inputs = [
        ("people.csv", PEOPLE),
        ("outcomes.csv", OUTCOMES),
        ("status.csv", STATUS),
        ("feedback.csv", FEEDBACK),
    ];
    let inputs: Vec<InputFile<'_>> = inputs
        .iter()
        .map(|(name, text)| InputFile {
            name,
            bytes: text.as_bytes(),
        })
        .collect();
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(config));
    (ingested.dataset, ingested.report)
}

fn mapped_config() -> Config {
    let toml_text = r#"
[mapping.values.stage]
"Initial assessment" = "baseline"
"Discharged" = "discharge"

[mapping.values.source]
"Mum" = "carer"

[mapping.values.indicator]
"Accommodation" = "housing"

[mapping.values.status.housing]
"Rough sleeping" = "homeless"
"Supported accommodation" = "supported"
"Own tenancy" = "settled"
"Not known" = "not_counted"
"#;
    toml::from_str(toml_text).expect("the mapping reads")
}

fn listed<'a>(report: &'a ValidationReport, file: &str, field: &str) -> Vec<&'a ValueCount> {
    report
        .files
        .iter()
        .find(|f| f.name == file)
        .expect("file read")
        .values
        .iter()
        .filter(|v| v.field == field)
        .collect()
}

fn as_tuples<'a>(values: &[&'a ValueCount]) -> Vec<(&'a str, usize, Option<&'a str>, MeaningFrom)> {
    values
        .iter()
        .map(|v| (v.value.as_str(), v.rows, v.meaning.as_deref(), v.from))
        .collect()
}

#[test]
fn without_a_mapping_unfamiliar_stages_are_blank_warned_and_listed_as_not_counted() {
    let (data, report) = run(&Config::default());
    assert_eq!(
        data.outcomes.stage,
        vec![None, Some(Stage::Review), None, None]
    );
    let warned: Vec<u32> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::InvalidCode && i.file == "outcomes.csv")
        .filter_map(|i| i.line)
        .collect();
    assert_eq!(warned, vec![2, 4, 5]);
    assert_eq!(
        as_tuples(&listed(&report, "outcomes.csv", "stage")),
        vec![
            ("Initial assessment", 2, None, MeaningFrom::BuiltIn),
            ("Discharged", 1, None, MeaningFrom::BuiltIn),
            ("Review", 1, Some("review"), MeaningFrom::BuiltIn),
        ]
    );
}

#[test]
fn mapped_stages_and_sources_are_read_as_chosen_without_warnings() {
    let config = mapped_config();
    assert!(config.validate().is_ok());
    let (data, report) = run(&config);
    assert_eq!(
        data.outcomes.stage,
        vec![
            Some(Stage::Baseline),
            Some(Stage::Review),
            Some(Stage::Discharge),
            Some(Stage::Baseline)
        ]
    );
    assert_eq!(
        data.feedback.source,
        vec![Some(FeedbackSource::Person), Some(FeedbackSource::Carer)]
    );
    assert!(
        !report
            .issues
            .iter()
            .any(|i| i.code == IssueCode::InvalidCode),
        "{:?}",
        report.issues
    );
    assert_eq!(
        as_tuples(&listed(&report, "feedback.csv", "source")),
        vec![
            ("Mum", 1, Some("carer"), MeaningFrom::Mapping),
            ("Service user", 1, Some("person"), MeaningFrom::BuiltIn),
        ]
    );
}

#[test]
fn without_a_mapping_an_unfamiliar_indicator_is_kept_unranked_and_reported() {
    let (data, report) = run(&Config::default());
    assert_eq!(data.status.rank, vec![None; 5]);
    assert!(report
        .problems
        .iter()
        .any(|p| p.value.as_deref() == Some("Accommodation")));
    assert_eq!(
        as_tuples(&listed(&report, "status.csv", "indicator")),
        vec![("Accommodation", 5, None, MeaningFrom::BuiltIn)]
    );
}

#[test]
fn a_mapped_indicator_takes_its_order_and_mapped_values_their_place_in_it() {
    let (data, report) = run(&mapped_config());
    // housing, worst first: homeless 0, temporary 1, supported 2, settled 3.
    assert_eq!(
        data.status.rank,
        vec![Some(0), Some(2), Some(3), Some(2), None]
    );
    let indicators: Vec<&str> = data
        .status
        .indicator
        .iter()
        .map(|l| data.text.text(*l))
        .collect();
    assert_eq!(indicators, vec!["housing"; 5]);
    let values: Vec<&str> = data
        .status
        .value
        .iter()
        .map(|l| data.text.text(*l))
        .collect();
    assert_eq!(
        values,
        vec!["homeless", "supported", "settled", "supported", "Not known"]
    );
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.table == waymark_core::TableKind::Status),
        "{:?}",
        report.problems
    );
    assert_eq!(
        as_tuples(&listed(&report, "status.csv", "status.housing")),
        vec![
            (
                "Supported accommodation",
                2,
                Some("supported"),
                MeaningFrom::Mapping
            ),
            ("Not known", 1, None, MeaningFrom::Mapping),
            ("Own tenancy", 1, Some("settled"), MeaningFrom::Mapping),
            ("Rough sleeping", 1, Some("homeless"), MeaningFrom::Mapping),
        ]
    );
    assert_eq!(
        as_tuples(&listed(&report, "status.csv", "indicator")),
        vec![("Accommodation", 5, Some("housing"), MeaningFrom::Mapping)]
    );
}

#[test]
fn a_status_value_outside_the_order_without_a_choice_is_rejected_and_listed() {
    let mut config = mapped_config();
    config.mapping.values.status.clear();
    let (data, report) = run(&config);
    // "Supported accommodation" etc. are not housing values: every row is rejected, each
    // with an error at its line that says where to give it a place.
    assert!(data.status.person.is_empty());
    let rejected: Vec<&waymark_core::Issue> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::InvalidCode && i.file == "status.csv")
        .collect();
    assert_eq!(rejected.len(), 5);
    assert!(rejected[0]
        .expected
        .as_deref()
        .unwrap_or_default()
        .contains("[values.status.housing]"));
    let listed = as_tuples(&listed(&report, "status.csv", "status.housing"));
    assert!(listed.contains(&("Supported accommodation", 2, None, MeaningFrom::BuiltIn)));
}

#[test]
fn choices_naming_nothing_waymark_knows_are_refused_with_the_value_named() {
    let mut config = mapped_config();
    config
        .mapping
        .values
        .stage
        .insert("Closing".into(), "closure".into());
    config
        .mapping
        .values
        .status
        .get_mut("housing")
        .expect("housing choices")
        .insert("Palace".into(), "castle".into());
    config
        .mapping
        .values
        .status
        .entry("wellbeing".into())
        .or_default()
        .insert("Good".into(), "good".into());
    let errors = config.validate().unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{messages:?}");
    assert!(errors
        .iter()
        .all(|e| matches!(e, ConfigError::ValueMapping(_))));
    assert!(messages
        .iter()
        .any(|m| m.contains("\"Closing\" is mapped to \"closure\"")
            && m.contains("baseline, review, discharge")));
    assert!(messages
        .iter()
        .any(|m| m.contains("\"Palace\" is mapped to \"castle\"")
            && m.contains("homeless, temporary, supported, settled")));
    assert!(messages
        .iter()
        .any(|m| m.contains("wellbeing") && m.contains("status_orders")));
}

#[test]
fn the_coded_value_mapping_survives_json_as_the_app_saves_it() {
    let config = mapped_config();
    let json = serde_json::to_string(&config.mapping).expect("json");
    let back: waymark_core::MappingConfig = serde_json::from_str(&json).expect("json back");
    assert_eq!(back.values, config.mapping.values);
}
