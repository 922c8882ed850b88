//! NHS Talking Therapies outcomes (caseness, recovery, reliable improvement and deterioration)
//! on paired PHQ-9 and GAD-7 scores.
use serde::{Deserialize, Serialize};

/// NHS Talking Therapies caseness on PHQ-9: a score of 10 or more.
pub const PHQ9_CASENESS: f64 = 10.0;
/// NHS Talking Therapies caseness on GAD-7: a score of 8 or more.
pub const GAD7_CASENESS: f64 = 8.0;
/// NHS Talking Therapies reliable change on PHQ-9: 6 points.
pub const PHQ9_RELIABLE_CHANGE: f64 = 6.0;
/// NHS Talking Therapies reliable change on GAD-7: 4 points.
pub const GAD7_RELIABLE_CHANGE: f64 = 4.0;
/// Reliable change on CORE-10: the published reliable change index of 6 points (Barkham et
/// al. 2013, Counselling and Psychotherapy Research 13:3-13), the default; Jacobson & Truax
/// from the manual's SD and alpha (6.75) is an option through a measure override.
pub const CORE10_RELIABLE_CHANGE: f64 = 6.0;

/// The NHS Talking Therapies paired-score outcome of one referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkingTherapiesOutcome {
    /// PHQ-9 ≥ 10 or GAD-7 ≥ 8 at the first paired score.
    pub at_caseness: bool,
    /// At caseness first, and PHQ-9 < 10 and GAD-7 < 8 at the last paired score.
    pub recovered: bool,
    /// A reliable decrease on at least one measure and a reliable increase on neither.
    pub reliable_improvement: bool,
    /// A reliable increase on at least one measure and a reliable decrease on neither.
    pub reliable_deterioration: bool,
    /// Recovered and reliably improved.
    pub reliable_recovery: bool,
}

/// Classifies one referral's first and last paired PHQ-9 and GAD-7 scores.
///
/// # What it answers
/// Did this person recover, reliably improve, reliably deteriorate or reliably recover by
/// the NHS Talking Therapies (formerly IAPT) definitions?
///
/// # Formula
/// Caseness: PHQ-9 ≥ 10 or GAD-7 ≥ 8 at the first paired score. Recovered: at caseness
/// first and below both cut-offs at the last. A reliable decrease (increase) is a fall (rise)
/// of at least 6 points on PHQ-9 or 4 on GAD-7. Reliable improvement: a reliable decrease on
/// at least one measure and no reliable increase on either; reliable deterioration is the
/// mirror image; a reliable fall on one and a reliable rise on the other is neither. Reliable
/// recovery: recovered and reliably improved.
///
/// # Remarks
/// `None` when a score is not finite or outside its range (PHQ-9 0–27, GAD-7 0–21). The
/// caller chooses the cohort: NHS Talking Therapies counts only referrals that finished a
/// course of treatment (at least two treatment contacts) with paired scores, and reports
/// recovery among those at caseness. Reliable improvement and deterioration are returned
/// whether or not the person was at caseness. The anxiety measure here is GAD-7; the manual
/// substitutes an anxiety-disorder-specific measure for some problem descriptors, which this
/// function does not do.
///
/// # References
/// NHS Talking Therapies for anxiety and depression manual (NHS England); NHS Digital
/// IAPT/Talking Therapies glossary (caseness). The thresholds and the recovery and reliable
/// recovery definitions were confirmed in a secondary source (MindStep evaluation, BMC
/// Psychiatry 2018, doi:10.1186/s12888-018-1987-1, Table 1); the "no reliable increase on the
/// other measure" clause was not confirmed against the manual in this build
/// (docs/methods.md, "NHS Talking Therapies paired outcome").
pub fn talking_therapies_outcome(
    phq_first: f64,
    phq_last: f64,
    gad_first: f64,
    gad_last: f64,
) -> Option<TalkingTherapiesOutcome> {
    let in_range = |score: f64, max: f64| score.is_finite() && (0.0..=max).contains(&score);
    if !(in_range(phq_first, 27.0)
        && in_range(phq_last, 27.0)
        && in_range(gad_first, 21.0)
        && in_range(gad_last, 21.0))
    {
        return None;
    }
    let at_caseness = phq_first >= PHQ9_CASENESS || gad_first >= GAD7_CASENESS;
    let below_both_at_last = phq_last < PHQ9_CASENESS && gad_last < GAD7_CASENESS;
    let recovered = at_caseness && below_both_at_last;

    let phq_decrease = phq_first - phq_last >= PHQ9_RELIABLE_CHANGE;
    let phq_increase = phq_last - phq_first >= PHQ9_RELIABLE_CHANGE;
    let gad_decrease = gad_first - gad_last >= GAD7_RELIABLE_CHANGE;
    let gad_increase = gad_last - gad_first >= GAD7_RELIABLE_CHANGE;

    let reliable_improvement = (phq_decrease || gad_decrease) && !(phq_increase || gad_increase);
    let reliable_deterioration = (phq_increase || gad_increase) && !(phq_decrease || gad_decrease);
    Some(TalkingTherapiesOutcome {
        at_caseness,
        recovered,
        reliable_improvement,
        reliable_deterioration,
        reliable_recovery: recovered && reliable_improvement,
    })
}
