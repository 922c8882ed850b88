//! Value mapping (issue 14, section 1): an export that names its event types in its own words
//! is counted once the user says what each word means. Expected values are read off the inline
//! files by hand: three "Crisis line call" rows (one with quantity 2 would still be one row
//! each; quantities are blank here), two "Emergency Dept" rows, one "Home visit" row.

use waymark_core::analysis::direction::service::CRISIS_RATE;
use waymark_core::config::{analyse_dataset, Config, ConfigError};
use waymark_core::ingest::value_map::{MeaningFrom, ValueMapping};
use waymark_core::ingest::{ingest_with, IngestRules, ProblemKind};
use waymark_core::{InputFile, ValidationReport};

const PEOPLE: &str =
    "person_id,pathway,start_date\nP1,Step-down,2024-01-10\nP2,Step-down,2024-01-20\n";
const EVENTS: &str = "person_id,date,event_type\n\
P1,2024-03-01,Crisis line call\n\
P1,2024-03-09,Crisis line call\n\
P2,2024-03-15,crisis LINE call\n\
P2,2024-03-20,Emergency Dept\n\
P1,2024-04-02,Emergency Dept\n\
P2,2024-04-05,Home visit\n\
P1,2024-04-06,DNA\n";

fn config(pairs: &[(&str, &str)]) -> Config {
    let mut config = Config::default();
    config.mapping.values = ValueMapping {
        event_type: pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..ValueMapping::default()
    };
    config
}

struct Run {
    evidence: waymark_core::config::Evidence,
    validation: ValidationReport,
}

fn run(config: &Config) -> Run {
    let inputs = [
        InputFile {
            name: "people.csv",
            bytes: PEOPLE.as_bytes(),
        },
        InputFile {
            name: "events.csv",
            bytes: EVENTS.as_bytes(),
        },
    ];
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(config));
    let validation = ingested.report.clone();
    let evidence =
        analyse_dataset(&ingested.dataset, ingested.report, config).expect("valid config");
    Run {
        evidence,
        validation,
    }
}

fn crisis_contacts(run: &Run) -> f64 {
    let analysis = run.evidence.analysis.as_ref().expect("analysed");
    let crisis = analysis
        .service
        .indicators
        .iter()
        .find(|i| i.key == CRISIS_RATE)
        .expect("crisis indicator");
    crisis.months.iter().map(|m| m.numerator).sum()
}

#[test]
fn without_a_mapping_the_unfamiliar_words_are_listed_as_not_counted() {
    let evidence = run(&Config::default());
    assert_eq!(crisis_contacts(&evidence), 0.0);
    let values = &evidence.validation.files[1].values;
    let listed: Vec<(&str, usize, Option<&str>, MeaningFrom)> = values
        .iter()
        .map(|v| (v.value.as_str(), v.rows, v.meaning.as_deref(), v.from))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("Crisis line call", 2, None, MeaningFrom::BuiltIn),
            ("Emergency Dept", 2, None, MeaningFrom::BuiltIn),
            ("DNA", 1, Some("missed_appointment"), MeaningFrom::BuiltIn),
            ("Home visit", 1, None, MeaningFrom::BuiltIn),
            ("crisis LINE call", 1, None, MeaningFrom::BuiltIn),
        ]
    );
    let mut not_counted: Vec<&str> = evidence
        .validation
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnrecognisedEventType)
        .filter_map(|p| p.value.as_deref())
        .collect();
    not_counted.sort_unstable();
    assert_eq!(
        not_counted,
        vec![
            "Crisis line call",
            "Emergency Dept",
            "Home visit",
            "crisis LINE call"
        ]
    );
}

#[test]
fn mapped_words_count_as_the_event_type_chosen_and_a_word_left_out_on_purpose_is_no_problem() {
    let evidence = run(&config(&[
        ("Crisis line call", "crisis_contact"),
        ("Emergency Dept", "ed_attendance"),
        ("Home visit", "not_counted"),
    ]));
    // Three crisis rows (the third written in another case), all in March 2024.
    assert_eq!(crisis_contacts(&evidence), 3.0);
    let values = &evidence.validation.files[1].values;
    let crisis: Vec<_> = values
        .iter()
        .filter(|v| v.meaning.as_deref() == Some("crisis_contact"))
        .map(|v| (v.rows, v.from))
        .collect();
    assert_eq!(
        crisis,
        vec![(2, MeaningFrom::Mapping), (1, MeaningFrom::Mapping)]
    );
    let home = values
        .iter()
        .find(|v| v.value == "Home visit")
        .expect("listed");
    assert_eq!(
        (home.meaning.as_deref(), home.from),
        (None, MeaningFrom::Mapping)
    );
    assert!(
        !evidence
            .validation
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::UnrecognisedEventType),
        "{:?}",
        evidence.validation.problems
    );
}

#[test]
fn a_mapping_to_an_unknown_event_type_is_refused_with_its_value_named() {
    let errors = config(&[("Home visit", "home_visit")])
        .validate()
        .unwrap_err();
    assert!(
        matches!(&errors[0], ConfigError::ValueMapping(e) if e.value == "Home visit" && e.target == "home_visit")
    );
    assert!(
        errors[0]
            .to_string()
            .contains("not an event type Waymark knows"),
        "{}",
        errors[0]
    );
}

#[test]
fn the_value_mapping_reads_from_toml_and_json_alike() {
    let toml_text = "[mapping.values.event_type]\n\"Crisis line call\" = \"crisis_contact\"\n\"Home visit\" = \"not_counted\"\n";
    let from_toml: Config = toml::from_str(toml_text).expect("toml");
    let json = serde_json::to_string(&from_toml).expect("json");
    let from_json: Config = serde_json::from_str(&json).expect("json back");
    assert_eq!(from_json.mapping.values, from_toml.mapping.values);
    assert_eq!(
        from_toml
            .mapping
            .values
            .event_type_choice("crisis line CALL"),
        Some("crisis_contact")
    );
}

/// Outcome rows that name PHQ-9 in the provider's own words: three "PHQ9 Total" rows (one a
/// 31, above PHQ-9's 0-27), one "phq9 total" row.
const OUTCOMES: &str = "person_id,date,measure,score\n\
P1,2024-02-01,PHQ9 Total,18\n\
P1,2024-05-01,PHQ9 Total,9\n\
P2,2024-02-10,PHQ9 Total,31\n\
P2,2024-05-10,phq9 total,12\n";

fn outcomes_run(config: &Config) -> (waymark_core::Dataset, ValidationReport) {
    let inputs = [
        InputFile {
            name: "people.csv",
            bytes: PEOPLE.as_bytes(),
        },
        InputFile {
            name: "outcomes.csv",
            bytes: OUTCOMES.as_bytes(),
        },
    ];
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(config));
    (ingested.dataset, ingested.report)
}

#[test]
fn a_measure_named_in_other_words_is_read_as_the_measure_chosen_and_checked_by_its_range() {
    let (_, plain) = outcomes_run(&Config::default());
    assert!(plain
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::UnrecognisedMeasure
            && p.value.as_deref() == Some("PHQ9 Total")));
    assert!(
        !plain
            .issues
            .iter()
            .any(|i| i.code == waymark_core::IssueCode::OutOfRange),
        "unknown measures are not range-checked"
    );

    let mut config = Config::default();
    config
        .mapping
        .values
        .measure
        .insert("PHQ9 Total".into(), "phq-9".into());
    assert!(config.validate().is_ok());
    let (data, mapped) = outcomes_run(&config);
    // The 31 is now a PHQ-9 score out of range: rejected at its line.
    let out_of_range: Vec<u32> = mapped
        .issues
        .iter()
        .filter(|i| i.code == waymark_core::IssueCode::OutOfRange)
        .filter_map(|i| i.line)
        .collect();
    assert_eq!(out_of_range, vec![4]);
    let names: Vec<&str> = data
        .outcomes
        .measure
        .iter()
        .map(|l| data.text.text(*l))
        .collect();
    assert_eq!(names, vec!["PHQ-9", "PHQ-9", "PHQ-9"]);
    let values: Vec<(&str, usize, Option<&str>, MeaningFrom)> = mapped.files[1]
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.rows, v.meaning.as_deref(), v.from))
        .collect();
    assert_eq!(
        values,
        vec![
            ("PHQ9 Total", 2, Some("PHQ-9"), MeaningFrom::Mapping),
            ("phq9 total", 1, Some("PHQ-9"), MeaningFrom::Mapping)
        ]
    );
    assert!(!mapped
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::UnrecognisedMeasure));

    config
        .mapping
        .values
        .measure
        .insert("PHQ9 Total".into(), "PHQ-99".into());
    let errors = config.validate().unwrap_err();
    assert!(
        errors[0].to_string().contains(
            "\"PHQ9 Total\" is mapped to \"PHQ-99\", which is not a measure of the catalogue"
        ),
        "{}",
        errors[0]
    );
}
