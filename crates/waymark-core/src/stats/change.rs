//! Reliable and clinically significant change between two scores on one measure.

use serde::{Deserialize, Serialize};

/// Whether higher scores mean better (WEMWBS) or worse (PHQ-9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// The Reliable Change Index of Jacobson & Truax.
///
/// # What it answers
/// Is the change between two scores bigger than the measure's own unreliability would produce
/// by chance (at the 95% level)?
///
/// # Formula
/// SE_m = SD·√(1 − r); S_diff = √2·SE_m = SD·√(2(1 − r)); RCI = (post − pre)/S_diff.
/// The change is reliable when |RCI| > 1.96; the smallest reliable raw change is 1.96·S_diff.
/// The sign is flipped for lower-is-better measures, so a positive index is always improvement.
///
/// # Remarks
/// SD is the pre-treatment (or normative clinical) standard deviation and r the reliability
/// (test-retest preferred). `None` when SD ≤ 0 or r is outside [0, 1).
///
/// # References
/// Jacobson & Truax (1991), J Consult Clin Psychol 59:12–19, equations 4–5.
pub fn reliable_change_index(
    pre: f64,
    post: f64,
    sd: f64,
    reliability: f64,
    direction: Direction,
) -> Option<f64> {
    let s_diff = standard_error_of_difference(sd, reliability)?;
    let change = match direction {
        Direction::HigherIsBetter => post - pre,
        Direction::LowerIsBetter => pre - post,
    };
    Some(change / s_diff)
}

/// S_diff = SD·√(2(1 − r)) (Jacobson & Truax 1991); `None` for impossible inputs.
pub fn standard_error_of_difference(sd: f64, reliability: f64) -> Option<f64> {
    if !(sd > 0.0) || !(0.0..1.0).contains(&reliability) {
        return None;
    }
    Some(sd * (2.0 * (1.0 - reliability)).sqrt())
}

/// The smallest raw change that is reliable at the 95% level: 1.96·S_diff.
pub fn reliable_change_threshold(sd: f64, reliability: f64) -> Option<f64> {
    standard_error_of_difference(sd, reliability).map(|s_diff| 1.96 * s_diff)
}

/// Jacobson & Truax's criterion c: the point between the clinical and normal populations,
/// weighted by their spreads: c = (SD_clin·M_norm + SD_norm·M_clin)/(SD_clin + SD_norm).
///
/// # References
/// Jacobson & Truax (1991), p. 13, equation 3.
pub fn criterion_c(
    clinical_mean: f64,
    clinical_sd: f64,
    normal_mean: f64,
    normal_sd: f64,
) -> Option<f64> {
    let total = clinical_sd + normal_sd;
    (clinical_sd > 0.0 && normal_sd > 0.0)
        .then(|| (clinical_sd * normal_mean + normal_sd * clinical_mean) / total)
}

/// Change classified by a reliable-change threshold on the raw scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliableChange {
    ReliableImprovement,
    NoReliableChange,
    ReliableDeterioration,
}

/// Classifies a raw change against a threshold (a published reliable-change value such as
/// NHS Talking Therapies' 6 points on PHQ-9, or 1.96·S_diff). A change must *reach* the
/// threshold (≥), as NHS Talking Therapies counts a 6-point PHQ-9 drop as reliable.
pub fn classify_change(
    pre: f64,
    post: f64,
    threshold: f64,
    direction: Direction,
) -> ReliableChange {
    let improvement = match direction {
        Direction::HigherIsBetter => post - pre,
        Direction::LowerIsBetter => pre - post,
    };
    if improvement >= threshold {
        ReliableChange::ReliableImprovement
    } else if -improvement >= threshold {
        ReliableChange::ReliableDeterioration
    } else {
        ReliableChange::NoReliableChange
    }
}

/// Jacobson & Truax's four outcome groups, combining reliable change with crossing a cut-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClinicalOutcome {
    /// Reliable improvement and moved from the clinical to the non-clinical side of the cut-off.
    Recovered,
    /// Reliable improvement without crossing the cut-off.
    Improved,
    Unchanged,
    Deteriorated,
}

/// Classifies a pair of scores. `cutoff` is the first score counted as clinical (caseness) on a
/// lower-is-better measure, or the first counted as non-clinical on a higher-is-better one.
pub fn clinical_outcome(
    pre: f64,
    post: f64,
    threshold: f64,
    cutoff: f64,
    direction: Direction,
) -> ClinicalOutcome {
    let clinical = |score: f64| match direction {
        Direction::LowerIsBetter => score >= cutoff,
        Direction::HigherIsBetter => score < cutoff,
    };
    match classify_change(pre, post, threshold, direction) {
        ReliableChange::ReliableImprovement if clinical(pre) && !clinical(post) => {
            ClinicalOutcome::Recovered
        }
        ReliableChange::ReliableImprovement => ClinicalOutcome::Improved,
        ReliableChange::NoReliableChange => ClinicalOutcome::Unchanged,
        ReliableChange::ReliableDeterioration => ClinicalOutcome::Deteriorated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked from the formula (checked in Python 3.11: 15/(10*sqrt(0.4)), 1.96*10*sqrt(0.4)): SD 10, r 0.8 -> S_diff = 10·√0.4 = 6.32456, so a
    /// change of 15 gives RCI 2.37171 and the threshold is 12.39613.
    #[test]
    fn rci_matches_a_hand_worked_example() {
        let rci = reliable_change_index(20.0, 35.0, 10.0, 0.8, Direction::HigherIsBetter)
            .unwrap_or(f64::NAN);
        assert!((rci - 15.0 / (10.0 * 0.4f64.sqrt())).abs() < 1e-12);
        assert!((rci - 2.371_708_245_126_284_5).abs() < 1e-12);
        let threshold = reliable_change_threshold(10.0, 0.8).unwrap_or(f64::NAN);
        assert!((threshold - 12.396_128_427_860_045).abs() < 1e-12);
        let flipped = reliable_change_index(20.0, 35.0, 10.0, 0.8, Direction::LowerIsBetter)
            .unwrap_or(f64::NAN);
        assert!((flipped + rci).abs() < 1e-12);
        assert!(reliable_change_index(1.0, 2.0, 0.0, 0.8, Direction::HigherIsBetter).is_none());
        assert!(reliable_change_index(1.0, 2.0, 1.0, 1.0, Direction::HigherIsBetter).is_none());
    }

    /// NHS Talking Therapies PHQ-9: caseness >= 10, reliable change 6 points.
    #[test]
    fn talking_therapies_phq9_examples() {
        let phq9 = |pre, post| clinical_outcome(pre, post, 6.0, 10.0, Direction::LowerIsBetter);
        assert_eq!(phq9(18.0, 9.0), ClinicalOutcome::Recovered);
        assert_eq!(phq9(18.0, 12.0), ClinicalOutcome::Improved);
        assert_eq!(phq9(18.0, 13.0), ClinicalOutcome::Unchanged);
        assert_eq!(phq9(8.0, 14.0), ClinicalOutcome::Deteriorated);
    }

    /// Criterion c with Jacobson & Truax's own illustration values worked by hand:
    /// clinical mean 40 (SD 7.5), normal mean 10 (SD 7.5) -> c = 25, the midpoint.
    #[test]
    fn criterion_c_is_the_weighted_midpoint() {
        assert_eq!(criterion_c(40.0, 7.5, 10.0, 7.5), Some(25.0));
        let c = criterion_c(19.7, 7.7, 4.7, 4.8).unwrap_or(f64::NAN);
        assert!((c - (7.7 * 4.7 + 4.8 * 19.7) / 12.5).abs() < 1e-12);
    }
}
