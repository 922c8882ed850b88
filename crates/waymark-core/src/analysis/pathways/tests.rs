use super::*;

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(n)
}

#[test]
fn relapse_clock_starts_at_first_reliable_improvement() {
    // Lower is better, threshold 6: baseline 20, 13 improves (7), 10 is the best, 16 is a
    // relapse (6 worse than 10).
    let dates = [day(0), day(90), day(180), day(270), day(360)];
    let scores = [20.0, 13.0, 10.0, 16.0, 9.0];
    let o = relapse_observation(&dates, &scores, 6.0, Direction::LowerIsBetter).unwrap();
    assert_eq!(
        o,
        Observation {
            time: 180.0,
            event: true
        }
    );
    // 15 is only 5 worse than the best: censored at the last score.
    let scores = [20.0, 13.0, 10.0, 15.0, 9.0];
    let o = relapse_observation(&dates, &scores, 6.0, Direction::LowerIsBetter).unwrap();
    assert_eq!(
        o,
        Observation {
            time: 270.0,
            event: false
        }
    );
    // Never improved reliably: not at risk.
    let scores = [20.0, 15.0, 16.0, 17.0, 18.0];
    assert!(relapse_observation(&dates, &scores, 6.0, Direction::LowerIsBetter).is_none());
    assert!(relapse_observation(&[], &[], 6.0, Direction::LowerIsBetter).is_none());
}

#[test]
fn direct_standardisation_by_hand() {
    // Weights 0.3/0.5/0.2; stratum proportions 0.5, 0.4, 0.25.
    let (s, note) = standardise(
        &[(10, 5), (20, 8), (4, 1)],
        [0.3, 0.5, 0.2],
        Confidence::default(),
    );
    assert!(note.is_none());
    let s = s.unwrap();
    assert!((s.proportion - (0.15 + 0.2 + 0.05)).abs() < 1e-12);
    let var: f64 = 0.09 * 0.25 / 10.0 + 0.25 * 0.24 / 20.0 + 0.04 * 0.1875 / 4.0;
    assert!((s.standard_error - var.sqrt()).abs() < 1e-12);
    let (s, note) = standardise(
        &[(10, 5), (0, 0), (4, 1)],
        [0.3, 0.5, 0.2],
        Confidence::default(),
    );
    assert!(s.is_none() && note.is_some());
}

#[test]
fn empty_dataset_gives_no_groups() {
    let data = Dataset::default();
    assert!(PersonIndex::build(&data, &Default::default()).is_none());
}
