//! The demo dataset's planted effects (docs/demo-data.md) are found by the engines: static
//! plans exactly, early warnings and discordant feedback with few false alarms.

use std::collections::BTreeSet;
use waymark_core::config::{analyse_and_report, Config};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::{ingest, MappingConfig};

#[test]
fn the_engines_find_the_planted_effects() {
    let params = DemoParams::default();
    let demo = generate(&params);
    let files = demo.input_files();
    let mut config = Config::default();
    config.analysis.reference_date = Some(params.reference_date);
    let evidence = analyse_and_report(ingest(&files, &MappingConfig::default()), &config)
        .expect("default settings are valid");
    let analysis = evidence.analysis.expect("people present");
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let id = |p: usize| data.person_ids.text(data.people.person[p]).to_string();
    let planted = |name: &str| -> BTreeSet<String> {
        demo.planted
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.people.iter().cloned().collect())
            .unwrap_or_default()
    };

    // Static plans: the detection rule finds exactly the planted people (docs/demo-data.md).
    let static_people: BTreeSet<String> = analysis
        .goals
        .people
        .iter()
        .filter(|p| p.static_goals > 0)
        .map(|p| id(p.person))
        .collect();
    assert_eq!(static_people, planted("static_plans"));

    // Early warning: nearly all planted people flagged, and most flags are planted people.
    let flagged: BTreeSet<String> = analysis
        .stability
        .people
        .iter()
        .filter(|p| p.early_warning)
        .map(|p| id(p.person))
        .collect();
    let expected = planted("early_warning");
    let hits = flagged.intersection(&expected).count();
    assert!(
        hits * 10 >= expected.len() * 9,
        "recall {hits}/{}",
        expected.len()
    );
    assert!(
        hits * 4 >= flagged.len() * 3,
        "precision {hits}/{}",
        flagged.len()
    );

    // Numbers with narrative: every planted discordant person is a case to reconcile.
    let cases: BTreeSet<String> = analysis
        .narrative
        .cases
        .iter()
        .map(|c| id(c.person))
        .collect();
    assert!(planted("discordant_feedback").is_subset(&cases));
    assert!(planted("reverse_discordant_feedback").is_subset(&cases));

    // Crisis contacts and admissions fall after the start of support (cost avoidance).
    let value = evidence
        .value
        .expect("events present")
        .expect("cost avoidance runs");
    for event_type in ["crisis_contact", "admission"] {
        let result = value
            .by_event_type
            .iter()
            .find(|e| e.event_type == event_type)
            .expect("event type tracked");
        let interval = result.avoided_units.ci95.expect("bootstrap interval");
        assert!(
            interval.lower > 0.0,
            "{event_type}: fall with an interval above zero"
        );
    }
}
