//! The MHSDS v6 format profile (issue 14, section 4), on a made-up extract in the shape of
//! MHSDS v6 tables exported from the Intermediate Database (tests/fixtures/mhsds; no real
//! person: NHS numbers are in the 999 test range). Expected results were worked out by hand
//! from the fixture and the code lists cited in docs/data-formats.md:
//!
//! - Referral team types: R1 and R3 via team T1 (MHS902: A06, CMHT functional), R2 via MHS102
//!   (A02, crisis resolution / home treatment), R4 via team T3 (MHS902: A08, assertive
//!   outreach).
//! - People: LP001 from R1 (2024-01-05, open because R1 is open), LP002 from R3
//!   (2024-02-01 to 2024-08-31), LP003 from R4 (2024-02-15, open).
//! - Contacts: C1 attended (5) to a CMHT: attended appointment; C2 and C3 attended (5, 6) to
//!   the crisis team: two crisis contacts; C4 did not attend (3) and C5 arrived late and was
//!   not seen (7): two missed appointments; C6 (2) and C8 (4) cancelled: not counted; C7 names
//!   referral R9, which is not in MHS101: rejected at line 8.
//! - Spells: S1 2024-04-01 to 2024-04-11: an admission and 10 bed days; S2 open: an admission.
//! - Assessments: PHQ-9 (720433000) 18 and 9, GAD-7 (445455005) 12, CORE-10 (718583008) 41 is
//!   above its 0-40 range: rejected at line 5; a DIALOG item concept (1037651000000100) is no
//!   total: kept and listed as a measure Waymark does not know.
//! - Housing: 12 rough sleeper (homeless, 0), 19 temporary housing (temporary, 1), 02 social
//!   tenant (settled, 3); LP002's 20 (admitted patient setting) has no place; LP003's settled
//!   indicator Y is settled (3).

#[path = "common/fixture_files.rs"]
mod fixture_files;

use fixture_files::ingest_fixtures;
use waymark_core::config::Config;
use waymark_core::ingest::formats::ExportFormat;
use waymark_core::ingest::ProblemKind;
use waymark_core::{Dataset, IssueCode, TableKind, ValidationReport};

const FILES: [&str; 9] = [
    "MHS001MPI.csv",
    "MHS101Referral.csv",
    "MHS102ServiceTypeReferredTo.csv",
    "MHS902ServiceTeamDetails.csv",
    "MHS201CareContact.csv",
    "MHS606CodedScoreAssessmentRefer.csv",
    "MHS501HospProvSpell.csv",
    "MHS003AccommStatus.csv",
    "MHS004EmpStatus.csv",
];

fn run(config: &Config) -> (Dataset, ValidationReport) {
    ingest_fixtures("mhsds", &FILES, config)
}

fn mhsds() -> Config {
    let mut config = Config::default();
    config.mapping.format = Some(ExportFormat::MhsdsV6);
    config
}

fn text(data: &Dataset, label: waymark_core::model::Label) -> String {
    data.text.text(label).to_string()
}

#[test]
fn without_the_profile_the_files_are_recognised_and_the_profile_offered() {
    let (data, report) = run(&Config::default());
    assert_eq!(data.people.person.len(), 0);
    let found = report
        .formats
        .iter()
        .find(|f| f.format == ExportFormat::MhsdsV6)
        .expect("MHSDS recognised");
    assert!(!found.in_force);
    assert_eq!(found.files.len(), 9);
    assert!(found.files.contains(&(
        "MHS201CareContact.csv".to_string(),
        "MHS201 Care Contact".to_string()
    )));
    assert!(
        report
            .issues
            .iter()
            .any(|i| i.code == IssueCode::FormatProfile
                && i.message.contains("format = \"mhsds_v6\""))
    );
}

#[test]
fn people_come_from_referrals_with_their_first_team_type_as_pathway() {
    let (data, report) = run(&mhsds());
    let people: Vec<(String, String, Option<String>, String)> = (0..data.people.person.len())
        .map(|i| {
            (
                data.person_ids.text(data.people.person[i]).to_string(),
                data.people.start_date[i].to_string(),
                data.people.end_date[i].map(|d| d.to_string()),
                text(&data, data.people.pathway[i]),
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (
                "LP001".into(),
                "2024-01-05".into(),
                None,
                "Community Mental Health Team - Functional".into()
            ),
            (
                "LP002".into(),
                "2024-02-01".into(),
                Some("2024-08-31".into()),
                "Community Mental Health Team - Functional".into()
            ),
            (
                "LP003".into(),
                "2024-02-15".into(),
                None,
                "Assertive Outreach Team".into()
            ),
        ]
    );
    assert!(report.issues.iter().any(|i| i.file == "MHS101Referral.csv"
        && i.message.contains("1 person has more than one referral")));
    let found = report
        .formats
        .iter()
        .find(|f| f.format == ExportFormat::MhsdsV6)
        .expect("said");
    assert!(found.in_force);
    assert_eq!(found.files.len(), 9, "{:?}", found.files);
    // Lookup tables are said to be read, with their rows, not silently used.
    let lookup = report
        .files
        .iter()
        .find(|f| f.name == "MHS902ServiceTeamDetails.csv")
        .expect("listed");
    assert_eq!((lookup.table, lookup.rows_read), (None, 2));
}

#[test]
fn contacts_and_spells_become_events_by_attendance_code_and_team_type() {
    let (data, report) = run(&mhsds());
    let events: Vec<(String, String, String, f32)> = (0..data.events.person.len())
        .map(|i| {
            (
                data.person_ids.text(data.events.person[i]).to_string(),
                data.events.date[i].to_string(),
                text(&data, data.events.event_type[i]),
                data.events.quantity[i],
            )
        })
        .collect();
    let of = |kind: &str| -> Vec<(&str, &str, f32)> {
        events
            .iter()
            .filter(|(_, _, t, _)| t == kind)
            .map(|(p, d, _, q)| (p.as_str(), d.as_str(), *q))
            .collect()
    };
    assert_eq!(
        of("crisis_contact"),
        vec![("LP001", "2024-03-12", 1.0), ("LP001", "2024-03-13", 1.0)]
    );
    assert_eq!(
        of("attended_appointment"),
        vec![("LP001", "2024-01-20", 1.0)]
    );
    assert_eq!(
        of("missed_appointment"),
        vec![("LP002", "2024-02-10", 1.0), ("LP002", "2024-02-20", 1.0)]
    );
    assert_eq!(
        of("admission"),
        vec![("LP001", "2024-04-01", 1.0), ("LP003", "2024-05-01", 1.0)]
    );
    assert_eq!(of("bed_day"), vec![("LP001", "2024-04-01", 10.0)]);
    // The contact for an unknown referral is rejected at its own line, in its own file.
    let rejected: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.file == "MHS201CareContact.csv" && i.code == IssueCode::MissingValue)
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].line, Some(8));
    let contacts = report
        .files
        .iter()
        .find(|f| f.name == "MHS201CareContact.csv")
        .expect("read");
    assert_eq!(
        (contacts.table, contacts.rows_read, contacts.rows_rejected),
        (Some(TableKind::Events), 8, 1)
    );
    // Cancellations are listed as not counted, by the profile's choice.
    assert!(contacts
        .values
        .iter()
        .any(|v| v.value == "Cancelled by the patient (2)"
            && v.meaning.is_none()
            && v.from == waymark_core::ingest::value_map::MeaningFrom::Profile));
}

#[test]
fn assessments_become_scores_by_their_snomed_ct_concept() {
    let (data, report) = run(&mhsds());
    let mut scores: Vec<(String, String, f64)> = (0..data.outcomes.person.len())
        .map(|i| {
            (
                data.person_ids.text(data.outcomes.person[i]).to_string(),
                text(&data, data.outcomes.measure[i]),
                data.outcomes.score[i],
            )
        })
        .collect();
    scores.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    assert_eq!(
        scores,
        vec![
            ("LP001".into(), "PHQ-9".into(), 9.0),
            ("LP001".into(), "PHQ-9".into(), 18.0),
            ("LP002".into(), "GAD-7".into(), 12.0),
            ("LP003".into(), "1037651000000100".into(), 4.0),
        ]
    );
    assert!(report
        .issues
        .iter()
        .any(|i| i.file == "MHS606CodedScoreAssessmentRefer.csv"
            && i.code == IssueCode::OutOfRange
            && i.line == Some(5)
            && i.column.as_deref() == Some("PersScore")));
    assert!(report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::UnrecognisedMeasure
            && p.value.as_deref() == Some("1037651000000100")));
}

#[test]
fn accommodation_becomes_housing_in_its_order() {
    let (data, _) = run(&mhsds());
    let housing: Vec<(String, String, Option<u8>)> = (0..data.status.person.len())
        .filter(|i| text(&data, data.status.indicator[*i]) == "housing")
        .map(|i| {
            (
                data.person_ids.text(data.status.person[i]).to_string(),
                data.status.date[i].to_string(),
                data.status.rank[i],
            )
        })
        .collect();
    assert_eq!(
        housing,
        vec![
            ("LP001".into(), "2024-01-05".into(), Some(0)),
            ("LP001".into(), "2024-03-01".into(), Some(1)),
            ("LP001".into(), "2024-07-01".into(), Some(3)),
            ("LP002".into(), "2024-02-01".into(), None),
            ("LP003".into(), "2024-02-15".into(), Some(3)),
        ]
    );
    let employment = (0..data.status.person.len())
        .filter(|i| text(&data, data.status.indicator[*i]) == "employment")
        .count();
    assert_eq!(employment, 2);
}

#[test]
fn a_users_choice_wins_over_the_profiles() {
    let mut config = mhsds();
    config.mapping.values.event_type.insert(
        "Cancelled by the patient (2)".into(),
        "missed_appointment".into(),
    );
    let (data, _) = run(&config);
    let missed = data
        .events
        .event_type
        .iter()
        .filter(|t| data.text.text(**t) == "missed_appointment")
        .count();
    assert_eq!(missed, 3);
    let (_, report) = run(&config);
    let contacts = report
        .files
        .iter()
        .find(|f| f.name == "MHS201CareContact.csv")
        .expect("read");
    let chosen = contacts
        .values
        .iter()
        .find(|v| v.value == "Cancelled by the patient (2)")
        .expect("listed");
    assert_eq!(
        chosen.from,
        waymark_core::ingest::value_map::MeaningFrom::Mapping
    );
}
