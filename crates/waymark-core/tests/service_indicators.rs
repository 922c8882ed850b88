//! The monthly service indicators on tiny hand-written exports, with every expected value
//! worked by hand from the CSV text in the comments.

#[path = "common/reference_exports.rs"]
#[allow(unused_macros)]
mod reference_exports;

use chrono::NaiveDate;
use reference_exports::{catalogue, ingest_export};
use waymark_core::analysis::{analyse, AnalysisConfig};

fn month(m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, 1).expect("a date")
}

/// PHQ-9 (lower is better, reliable change 6). A: baseline 20 in January, 12 in February (an
/// improvement of 8: reliable), nothing later. B: baseline 18 in January, 17 in March (1: not
/// reliable). C: baseline 22 in January, 20 and then 15 in April (the latest that month, 7:
/// reliable).
///
/// Per month, only the people with a follow-up score dated in it count:
/// February 1 of 1 = 100%, March 0 of 1 = 0%, April 1 of 1 = 100%; January has baselines only
/// (no value). A cumulative "so far" share would have kept A in March and April (March 1 of 2,
/// April 2 of 3), so each month would lean on the ones before.
#[test]
fn reliable_improvement_is_counted_per_month_not_carried_forward() {
    let people = "person_id,pathway,start_date,end_date,cohort\n\
                  A,Step-down,2026-01-05,,service\n\
                  B,Step-down,2026-01-05,,service\n\
                  C,Step-down,2026-01-05,,service\n";
    let outcomes = "person_id,date,measure,score,stage\n\
                    A,2026-01-06,PHQ-9,20,baseline\n\
                    A,2026-02-10,PHQ-9,12,review\n\
                    B,2026-01-06,PHQ-9,18,baseline\n\
                    B,2026-03-10,PHQ-9,17,review\n\
                    C,2026-01-06,PHQ-9,22,baseline\n\
                    C,2026-04-03,PHQ-9,20,review\n\
                    C,2026-04-20,PHQ-9,15,review\n";
    let ingested = ingest_export(&[("people.csv", people), ("outcomes.csv", outcomes)]);
    let config = AnalysisConfig {
        reference_date: NaiveDate::from_ymd_opt(2026, 4, 30),
        ..AnalysisConfig::default()
    };
    let analysis = analyse(&ingested.dataset, &config, &catalogue()).expect("people present");
    let indicator = analysis
        .service
        .indicators
        .iter()
        .find(|i| i.key == "reliably_improved_in_month_phq_9")
        .expect("the per-month indicator");
    let by_month: Vec<(NaiveDate, Option<f64>, f64, f64)> = indicator
        .months
        .iter()
        .map(|m| (m.month, m.value, m.numerator, m.denominator))
        .collect();
    assert_eq!(
        by_month,
        vec![
            (month(1), None, 0.0, 0.0),
            (month(2), Some(100.0), 1.0, 1.0),
            (month(3), Some(0.0), 0.0, 1.0),
            (month(4), Some(100.0), 1.0, 1.0),
        ]
    );
    assert!(!analysis
        .service
        .indicators
        .iter()
        .any(|i| i.key.starts_with("reliably_improved_phq")));
}
