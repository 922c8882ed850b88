//! "Person says poor" agrees with the person's own ratings (docs/methods.md, "Numbers with
//! narrative"). Scores and ratings are chosen so the expected labels can be worked by hand.

use waymark_core::analysis::direction::narrative::Discordance;
use waymark_core::analysis::{analyse, AnalysisConfig};
use waymark_core::measures::MeasureCatalogue;
use waymark_core::{ingest, InputFile, MappingConfig};

/// Two people whose PHQ-9 falls 20 -> 14 -> 8 -> 2 (a fall of 18, three times the reliable
/// change of 6, steadily): both improving. Both say functioning is "worse" in both entries;
/// P1 rates themselves 8 and 9 (median 8.5), P2 rates 3 and 4 (median 3.5).
fn cases() -> Vec<(String, Discordance)> {
    let people = "person_id,pathway,start_date\nP1,Step-down,2024-01-01\nP2,Step-down,2024-01-01\n";
    let mut outcomes = String::from("person_id,date,measure,score\n");
    for person in ["P1", "P2"] {
        for (date, score) in [
            ("2024-01-05", 20),
            ("2024-02-05", 14),
            ("2024-03-05", 8),
            ("2024-04-05", 2),
        ] {
            outcomes.push_str(&format!("{person},{date},PHQ-9,{score}\n"));
        }
    }
    let feedback = "person_id,date,source,self_rating,functioning_change\n\
P1,2024-03-01,person,8,worse\nP1,2024-04-01,person,9,worse\n\
P2,2024-03-01,person,3,worse\nP2,2024-04-01,person,4,worse\n";
    let inputs = [
        InputFile {
            name: "people.csv",
            bytes: people.as_bytes(),
        },
        InputFile {
            name: "outcomes.csv",
            bytes: outcomes.as_bytes(),
        },
        InputFile {
            name: "feedback.csv",
            bytes: feedback.as_bytes(),
        },
    ];
    let ingested = ingest(&inputs, &MappingConfig::default());
    assert_eq!(ingested.report.n_errors, 0, "{:?}", ingested.report.issues);
    let data = ingested.dataset;
    let analysis = analyse(
        &data,
        &AnalysisConfig::default(),
        &MeasureCatalogue::defaults(),
    )
    .expect("people to analyse");
    analysis
        .narrative
        .cases
        .iter()
        .map(|c| {
            let id = data
                .person_ids
                .text(data.people.person[c.person])
                .to_string();
            (id, c.kind)
        })
        .collect()
}

#[test]
fn someone_rating_themselves_eight_or_nine_is_not_said_to_be_poor() {
    // Only P2 (median 3.5 <= 4) says poor while the numbers improve; P1's own median of 8.5
    // is 7 or more, so their "worse" entries make the voice mixed, not poor.
    assert_eq!(
        cases(),
        vec![("P2".to_string(), Discordance::NumbersBetterVoiceWorse)]
    );
}
