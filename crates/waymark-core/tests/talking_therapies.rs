//! NHS Talking Therapies paired outcomes through the whole pipeline, on a dataset worked by hand
//! from the manual's definitions (caseness PHQ-9 >= 10 or GAD-7 >= 8 at the first scores;
//! recovery = at caseness first and below both cut-offs last; reliable change 6 and 4 points).

use waymark_core::config::{analyse_and_report, Config};
use waymark_core::{ingest, InputFile, MappingConfig};

const PEOPLE: &str = "person_id,pathway,start_date\nP1,A,2025-01-01\nP2,A,2025-01-01\nP3,A,2025-01-01\nP4,A,2025-01-01\n";
// P1 15->6 and 12->5: at caseness, recovered, reliable improvement on both: reliable recovery.
// P2 12->9 and 9->7: at caseness, recovered, but changes of 3 and 2 are not reliable.
// P3 5->12 and 4->10: not at caseness; rises of 7 and 6: reliable deterioration.
// P4 one PHQ-9 score only: not paired.
const OUTCOMES: &str = "person_id,date,measure,score\n\
P1,2025-01-05,PHQ-9,15\nP1,2025-01-05,GAD-7,12\nP1,2025-04-05,PHQ-9,6\nP1,2025-04-05,GAD-7,5\n\
P2,2025-01-05,PHQ-9,12\nP2,2025-01-05,GAD-7,9\nP2,2025-04-05,PHQ-9,9\nP2,2025-04-05,GAD-7,7\n\
P3,2025-01-05,PHQ-9,5\nP3,2025-01-05,GAD-7,4\nP3,2025-04-05,PHQ-9,12\nP3,2025-04-05,GAD-7,10\n\
P4,2025-01-05,PHQ-9,20\n";

#[test]
fn paired_phq9_and_gad7_follow_the_talking_therapies_definitions() {
    let files = [
        InputFile {
            name: "people.csv",
            bytes: PEOPLE.as_bytes(),
        },
        InputFile {
            name: "outcomes.csv",
            bytes: OUTCOMES.as_bytes(),
        },
    ];
    let evidence = analyse_and_report(
        ingest(&files, &MappingConfig::default()),
        &Config::default(),
    )
    .expect("default catalogue");
    let analysis = evidence.analysis.expect("people present");
    let t = analysis.outcomes.talking_therapies.expect("paired people");
    assert_eq!(t.people_paired, 3);
    assert_eq!(t.at_caseness, 2);
    assert_eq!(t.recovered, 2);
    assert_eq!(t.reliable_recovery, 1);
    assert_eq!(t.reliable_improvement, 1);
    assert_eq!(t.reliable_deterioration, 1);
    // In the report the counts are disclosure-controlled: all are 1-7, so shown as "*".
    let report = evidence.report.direction_of_travel.expect("analysed");
    let shown = report.talking_therapies.expect("section present");
    assert_eq!(shown.recovery.percent, None);
}
