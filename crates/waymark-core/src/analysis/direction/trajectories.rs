//! Score trajectories per measure: every person's scores against months since their own
//! baseline, and the median across people at each whole month, for the "spaghetti" chart in
//! the Direction of travel view.
//!
//! The person lines are person-level detail, for the user's own eyes in the app; only the
//! median line (with the number of people behind each point) is an aggregate.

use crate::stats::change::Direction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::model::DAYS_PER_MONTH;

/// At most this many person lines are kept per measure for drawing (a chart of thousands of
/// lines is an unreadable blot and a heavy SVG); the median always uses everyone.
pub const MAX_PEOPLE_DRAWN: usize = 200;

/// A month's median is shown only when at least this many people have a score for it: a
/// median of two or three people swings with each of them.
pub const MIN_PEOPLE_FOR_MEDIAN: usize = 5;

/// One measure's trajectories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trajectories {
    pub measure: String,
    /// Whether higher or lower scores are better on this measure.
    pub direction: Direction,
    /// People with at least one score on the measure (all of them feed the median).
    pub n_people: usize,
    /// The people drawn: everyone when there are at most [`MAX_PEOPLE_DRAWN`], otherwise
    /// that many spread evenly through the people in person order (see [`people_drawn`]).
    pub people: Vec<PersonTrajectory>,
    /// The median at each whole month since baseline with at least
    /// [`MIN_PEOPLE_FOR_MEDIAN`] people, months ascending.
    pub median: Vec<MedianPoint>,
}

/// One person's scores, in the order the direction-of-travel analysis keeps them (dates
/// ascending from the baseline).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonTrajectory {
    /// Row of the person in the people table.
    pub person: usize,
    /// (months since the person's baseline, score); months are days / (365.25 / 12).
    pub points: Vec<(f64, f64)>,
}

/// The median of the people's scores at one whole month since their baselines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MedianPoint {
    pub month: u32,
    pub median: f64,
    pub n_people: usize,
}

/// One person's score series on a measure: days since their baseline and scores, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonScores {
    pub person: usize,
    pub days_since_baseline: Vec<i64>,
    pub scores: Vec<f64>,
}

/// A person's score at each whole month since baseline.
///
/// Answers: "what was this person's score about `m` months after their baseline?"
///
/// # Rule
/// The score at month `m` is the score nearest to `m` months (`m × 365.25/12` days) among
/// those within half a month either side (inclusive); when two are equally near, the later one
/// in the series (later date, or on one date the one listed later) is taken. A month with no
/// score within half a month has no value (no interpolation).
///
/// # Remarks
/// Distances are computed in days, where `365.25/12 = 30.4375` and its half are exact in
/// binary, so ties are found exactly. With whole-day dates a score is never exactly half a
/// month from a whole month (30.4375 × (m + ½) is never a whole number), so each score serves
/// at most one month. Negative days (not produced by the analysis) are ignored.
pub fn scores_by_month(days_since_baseline: &[i64], scores: &[f64]) -> Vec<(u32, f64)> {
    let half = DAYS_PER_MONTH / 2.0;
    // month -> (distance in days, score)
    let mut nearest: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    for (&day, &score) in days_since_baseline.iter().zip(scores) {
        if day < 0 || !score.is_finite() {
            continue;
        }
        let day = day as f64;
        let centre = (day / DAYS_PER_MONTH).round();
        for candidate in [centre - 1.0, centre, centre + 1.0] {
            let distance = (day - candidate * DAYS_PER_MONTH).abs();
            if candidate < 0.0 || candidate > f64::from(u32::MAX) || distance > half {
                continue;
            }
            let month = candidate as u32;
            match nearest.get(&month) {
                // Strictly nearer keeps the earlier; equal distance lets the later one win.
                Some((best, _)) if *best < distance => {}
                _ => {
                    nearest.insert(month, (distance, score));
                }
            }
        }
    }
    nearest.into_iter().map(|(m, (_, s))| (m, s)).collect()
}

/// Which of `n` people (in person order) are drawn: all when `n <= max`, otherwise the
/// positions `floor(k × n / max)` for `k = 0 .. max-1`, evenly spread and deterministic.
pub fn people_drawn(n: usize, max: usize) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    (0..max)
        .map(|k| ((k as u128 * n as u128) / max as u128) as usize)
        .collect()
}

/// Builds a measure's trajectories from each person's series.
///
/// Answers: "how do scores typically move in the months after baseline, and how much do
/// people differ around that?"
///
/// # Formula
/// For each whole month `m`, the median of `{ score of person i at month m }` over the people
/// with a score there ([`scores_by_month`]): the middle value of the sorted scores, or the
/// mean of the two middle values for an even count (the textbook median; Hyndman & Fan 1996
/// type 7 at p = 0.5). Months with fewer than [`MIN_PEOPLE_FOR_MEDIAN`] people are left out.
///
/// # Remarks
/// People who leave early stop contributing, so later months describe the people still
/// scored (survivorship): read the `n_people` beside each point. People without scores are
/// skipped; an empty input gives no lines and no median.
///
/// # References
/// Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
/// Statistician*, 50(4), 361–365 (definition 7; at p = 0.5 every common definition gives the
/// usual median). Tested against pandas `Series.median` (tests/reference/trajectories_reference.py).
pub fn trajectories(measure: &str, direction: Direction, series: &[PersonScores]) -> Trajectories {
    let scored: Vec<&PersonScores> = series
        .iter()
        .filter(|p| p.scores.iter().any(|s| s.is_finite()))
        .collect();
    let mut by_month: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for person in &scored {
        for (month, score) in scores_by_month(&person.days_since_baseline, &person.scores) {
            by_month.entry(month).or_default().push(score);
        }
    }
    let median = by_month
        .into_iter()
        .filter(|(_, scores)| scores.len() >= MIN_PEOPLE_FOR_MEDIAN)
        .filter_map(|(month, scores)| {
            Some(MedianPoint {
                month,
                median: crate::stats::median(&scores)?,
                n_people: scores.len(),
            })
        })
        .collect();
    let people = people_drawn(scored.len(), MAX_PEOPLE_DRAWN)
        .into_iter()
        .filter_map(|i| scored.get(i))
        .map(|p| PersonTrajectory {
            person: p.person,
            points: p
                .days_since_baseline
                .iter()
                .zip(&p.scores)
                .filter(|(_, s)| s.is_finite())
                .map(|(d, s)| (*d as f64 / DAYS_PER_MONTH, *s))
                .collect(),
        })
        .collect();
    Trajectories {
        measure: measure.to_string(),
        direction,
        n_people: scored.len(),
        people,
        median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: month 8 is 243.5 days; days 243 and 244 are equally near, so the
    /// later (score 2) wins; day 30 is month 1; day 0 twice takes the second.
    #[test]
    fn nearest_score_ties_go_to_the_later_one() {
        let got = scores_by_month(
            &[0, 0, 30, 243, 244, 260],
            &[10.0, 11.0, 9.0, 1.0, 2.0, 3.0],
        );
        assert_eq!(got, vec![(0, 11.0), (1, 9.0), (8, 2.0), (9, 3.0)]);
    }

    #[test]
    fn drawn_people_are_spread_evenly() {
        assert_eq!(people_drawn(3, 200), vec![0, 1, 2]);
        let drawn = people_drawn(1000, 200);
        assert_eq!(drawn.len(), 200);
        assert_eq!(drawn[..3], [0, 5, 10]);
        assert_eq!(drawn.last(), Some(&995));
        assert!(people_drawn(0, 200).is_empty());
    }

    #[test]
    fn empty_and_single_person_inputs_give_no_median() {
        let empty = trajectories("PHQ-9", Direction::LowerIsBetter, &[]);
        assert_eq!(empty.n_people, 0);
        assert!(empty.median.is_empty() && empty.people.is_empty());
        let one = trajectories(
            "PHQ-9",
            Direction::LowerIsBetter,
            &[PersonScores {
                person: 4,
                days_since_baseline: vec![0],
                scores: vec![12.0],
            }],
        );
        assert_eq!(one.n_people, 1);
        assert_eq!(one.people[0].points, vec![(0.0, 12.0)]);
        assert!(one.median.is_empty());
    }
}
