//! Per person and measure: baseline, latest, reliable change, clinical outcome and trajectory;
//! and the service-level counts built from them.
//!
//! Rules (also in docs/methods.md, "Direction of travel per person"):
//! - **Baseline** is the first score marked `stage = baseline`, otherwise the first score.
//!   Scores dated before the baseline are ignored. **Latest** is the last score.
//! - **Reliable change** compares baseline and latest with the measure's threshold
//!   ([`crate::stats::change::classify_change`]); the Reliable Change Index itself is given
//!   where the measure has an SD and reliability.
//! - **Setback**: in "better" units, a score at least one reliable-change amount below the best
//!   score so far. One setback lasts until the person climbs back within that amount of their
//!   best; only then can a new one start. Setbacks are fluctuation, not failure: they are counted
//!   and dated, and the label below judges the whole trajectory.
//! - **Sustained improvement**: the last two or more scores are each a reliable improvement on
//!   the baseline.
//! - **Label**: *deteriorating* if the latest score is a reliable deterioration, or the
//!   Mann–Kendall trend worsens at p < 0.05 without a net reliable improvement; otherwise
//!   *improving* if the latest score is a reliable improvement or the trend improves at p < 0.05;
//!   otherwise *fluctuating* if there was a setback or the scores moved by a reliable amount in
//!   both directions; otherwise *stable*. One score only: *insufficient data*.

use super::PersonIndex;
use crate::model::Dataset;
use crate::stats::change::{
    classify_change, clinical_outcome, reliable_change_index, ClinicalOutcome, Direction,
    ReliableChange,
};
use crate::stats::trend::{mann_kendall, theil_sen};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::DAYS_PER_MONTH;

/// Significance level for calling a Mann–Kendall trend.
pub const TREND_ALPHA: f64 = 0.05;

/// What the engine needs to know about a measure to judge change on it.
#[derive(Clone, Debug, Serialize)]
pub struct MeasureRule {
    pub name: String,
    pub direction: Direction,
    /// The smallest raw change that counts as reliable.
    pub reliable_change: f64,
    /// Where that threshold comes from, printed next to every result that uses it.
    pub threshold_basis: String,
    /// First clinical score (lower-is-better) or first non-clinical score (higher-is-better).
    pub cutoff: Option<f64>,
    /// For the Reliable Change Index: standard deviation and reliability.
    pub sd: Option<f64>,
    pub reliability: Option<f64>,
}

/// The rules for every measure the analysis knows, looked up by name (case and punctuation
/// folded, so "PHQ9" finds "PHQ-9").
#[derive(Clone, Debug, Default)]
pub struct MeasureRules {
    rules: Vec<(String, MeasureRule)>,
}

fn fold_measure(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl MeasureRules {
    /// Rules keyed by each given name (a measure's own name and any aliases).
    pub fn new(entries: impl IntoIterator<Item = (String, MeasureRule)>) -> MeasureRules {
        MeasureRules {
            rules: entries
                .into_iter()
                .map(|(name, rule)| (fold_measure(&name), rule))
                .collect(),
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&MeasureRule> {
        let key = fold_measure(name);
        self.rules.iter().find(|(k, _)| *k == key).map(|(_, r)| r)
    }
}

/// How a person's scores on one measure are moving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelLabel {
    Improving,
    Stable,
    Fluctuating,
    Deteriorating,
    InsufficientData,
}

impl TravelLabel {
    pub const ALL: [TravelLabel; 5] = [
        TravelLabel::Improving,
        TravelLabel::Stable,
        TravelLabel::Fluctuating,
        TravelLabel::Deteriorating,
        TravelLabel::InsufficientData,
    ];
}

/// One person's result on one measure.
#[derive(Clone, Debug, Serialize)]
pub struct PersonMeasure {
    /// Row of the person in the people table.
    pub person: usize,
    pub measure: String,
    pub n_scores: usize,
    pub baseline_date: NaiveDate,
    pub baseline: f64,
    pub latest_date: NaiveDate,
    pub latest: f64,
    pub change: f64,
    pub rci: Option<f64>,
    /// `None` with a single score.
    pub reliable_change: Option<ReliableChange>,
    /// `None` with a single score or when the measure has no cut-off.
    pub clinical: Option<ClinicalOutcome>,
    /// Theil–Sen slope in score points per month (two or more scores on distinct dates).
    pub slope_per_month: Option<f64>,
    /// Mann–Kendall two-sided p-value (three or more scores).
    pub trend_p: Option<f64>,
    pub setbacks: u32,
    pub last_setback: Option<NaiveDate>,
    pub days_since_last_setback: Option<i64>,
    pub sustained_improvement: bool,
    pub label: TravelLabel,
}

/// Counts over people for one measure (unrounded; the report applies disclosure control).
#[derive(Clone, Debug, Default, Serialize)]
pub struct MeasureSummary {
    pub measure: String,
    pub threshold_basis: String,
    pub reliable_change_threshold: f64,
    pub direction: Option<Direction>,
    /// People with at least one score; with two or more (paired).
    pub people_scored: u64,
    pub people_paired: u64,
    pub reliable_improvement: u64,
    pub no_reliable_change: u64,
    pub reliable_deterioration: u64,
    pub recovered: u64,
    pub improved: u64,
    pub unchanged: u64,
    pub deteriorated: u64,
    pub sustained_improvement: u64,
    pub with_setbacks: u64,
    pub labels: Vec<(TravelLabel, u64)>,
    pub mean_baseline: Option<f64>,
    pub mean_latest: Option<f64>,
    pub median_slope_per_month: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OutcomesAnalysis {
    pub people: Vec<PersonMeasure>,
    pub measures: Vec<MeasureSummary>,
    /// Measures found in the data but not in the catalogue: scores are counted but change is not
    /// judged until the user adds the measure (direction and threshold) in the config.
    pub unknown_measures: Vec<String>,
}

/// Judges one person's scores (dates ascending, from the baseline on) on one measure.
pub fn judge_person(
    person: usize,
    rule: &MeasureRule,
    dates: &[NaiveDate],
    scores: &[f64],
    reference_date: NaiveDate,
) -> Option<PersonMeasure> {
    let (&baseline, &latest) = (scores.first()?, scores.last()?);
    let (&baseline_date, &latest_date) = (dates.first()?, dates.last()?);
    let better = |score: f64| match rule.direction {
        Direction::HigherIsBetter => score,
        Direction::LowerIsBetter => -score,
    };
    let threshold = rule.reliable_change;
    let paired = scores.len() >= 2;
    let reliable_change =
        paired.then(|| classify_change(baseline, latest, threshold, rule.direction));
    let clinical = match (paired, rule.cutoff) {
        (true, Some(cutoff)) => Some(clinical_outcome(
            baseline,
            latest,
            threshold,
            cutoff,
            rule.direction,
        )),
        _ => None,
    };
    let rci = match (paired, rule.sd, rule.reliability) {
        (true, Some(sd), Some(r)) => reliable_change_index(baseline, latest, sd, r, rule.direction),
        _ => None,
    };
    let months: Vec<f64> = dates
        .iter()
        .map(|d| (*d - baseline_date).num_days() as f64 / DAYS_PER_MONTH)
        .collect();
    let slope_per_month = theil_sen(&months, scores).map(|ts| ts.slope);
    let trend = mann_kendall(scores);

    // Setbacks: reliable falls from the best score so far (in "better" units).
    let mut best = better(baseline);
    let mut in_setback = false;
    let mut setbacks = 0u32;
    let mut last_setback = None;
    let (mut lowest, mut highest) = (better(baseline), better(baseline));
    for (date, score) in dates.iter().zip(scores).skip(1) {
        let u = better(*score);
        lowest = lowest.min(u);
        highest = highest.max(u);
        if in_setback {
            if u > best - threshold {
                in_setback = false;
            }
        } else if u <= best - threshold {
            in_setback = true;
            setbacks += 1;
            last_setback = Some(*date);
        }
        if !in_setback {
            best = best.max(u);
        }
    }
    let improved_on_baseline = |score: &f64| better(*score) - better(baseline) >= threshold;
    let final_run = scores
        .iter()
        .skip(1)
        .rev()
        .take_while(|s| improved_on_baseline(s))
        .count();
    let sustained_improvement = final_run >= 2;

    let trend_direction = trend
        .as_ref()
        .filter(|mk| mk.p_value < TREND_ALPHA)
        .map(|mk| {
            let rising = mk.s > 0.0;
            match (rising, rule.direction) {
                (true, Direction::HigherIsBetter) | (false, Direction::LowerIsBetter) => 1,
                _ => -1,
            }
        });
    let label = match reliable_change {
        None => TravelLabel::InsufficientData,
        Some(ReliableChange::ReliableDeterioration) => TravelLabel::Deteriorating,
        Some(net) if trend_direction == Some(-1) && net != ReliableChange::ReliableImprovement => {
            TravelLabel::Deteriorating
        }
        Some(ReliableChange::ReliableImprovement) => TravelLabel::Improving,
        Some(_) if trend_direction == Some(1) => TravelLabel::Improving,
        Some(_)
            if setbacks > 0
                || (highest - better(baseline) >= threshold
                    && better(baseline) - lowest >= threshold) =>
        {
            TravelLabel::Fluctuating
        }
        Some(_) => TravelLabel::Stable,
    };
    Some(PersonMeasure {
        person,
        measure: rule.name.clone(),
        n_scores: scores.len(),
        baseline_date,
        baseline,
        latest_date,
        latest,
        change: latest - baseline,
        rci,
        reliable_change,
        clinical,
        slope_per_month,
        trend_p: trend.map(|mk| mk.p_value),
        setbacks,
        last_setback,
        days_since_last_setback: last_setback.map(|d| (reference_date - d).num_days()),
        sustained_improvement,
        label,
    })
}

/// A person's scores on one measure from the baseline on: (dates, scores).
pub fn episode_scores(
    data: &Dataset,
    rows: &[u32],
    measure: crate::model::Label,
) -> (Vec<NaiveDate>, Vec<f64>) {
    let o = &data.outcomes;
    let mine: Vec<usize> = rows
        .iter()
        .map(|r| *r as usize)
        .filter(|r| o.measure[*r] == measure)
        .collect();
    let start = mine
        .iter()
        .position(|r| o.stage[*r] == Some(crate::model::Stage::Baseline))
        .unwrap_or(0);
    let kept = &mine[start.min(mine.len())..];
    (
        kept.iter().map(|r| o.date[*r]).collect(),
        kept.iter().map(|r| o.score[*r]).collect(),
    )
}

pub fn analyse(data: &Dataset, index: &PersonIndex, rules: &MeasureRules) -> OutcomesAnalysis {
    let o = &data.outcomes;
    // The distinct measures in the data, in first-seen order.
    let mut measures: Vec<crate::model::Label> = Vec::new();
    let mut seen: FxHashMap<crate::model::Label, ()> = FxHashMap::default();
    for m in &o.measure {
        if seen.insert(*m, ()).is_none() {
            measures.push(*m);
        }
    }
    let mut analysis = OutcomesAnalysis::default();
    for measure in measures {
        let name = data.text.text(measure);
        let Some(rule) = rules.lookup(name) else {
            analysis.unknown_measures.push(name.to_string());
            continue;
        };
        let mut summary = MeasureSummary {
            measure: rule.name.clone(),
            threshold_basis: rule.threshold_basis.clone(),
            reliable_change_threshold: rule.reliable_change,
            direction: Some(rule.direction),
            ..MeasureSummary::default()
        };
        let mut label_counts = [0u64; 5];
        let (mut sum_base, mut sum_latest, mut n_paired_scores) = (0.0, 0.0, 0u64);
        let mut slopes = Vec::new();
        for p in 0..index.len {
            let (dates, scores) = episode_scores(data, index.outcomes.of(p), measure);
            let Some(result) = judge_person(p, rule, &dates, &scores, index.reference_date) else {
                continue;
            };
            summary.people_scored += 1;
            if let Some(rc) = result.reliable_change {
                summary.people_paired += 1;
                n_paired_scores += 1;
                sum_base += result.baseline;
                sum_latest += result.latest;
                match rc {
                    ReliableChange::ReliableImprovement => summary.reliable_improvement += 1,
                    ReliableChange::NoReliableChange => summary.no_reliable_change += 1,
                    ReliableChange::ReliableDeterioration => summary.reliable_deterioration += 1,
                }
            }
            match result.clinical {
                Some(ClinicalOutcome::Recovered) => summary.recovered += 1,
                Some(ClinicalOutcome::Improved) => summary.improved += 1,
                Some(ClinicalOutcome::Unchanged) => summary.unchanged += 1,
                Some(ClinicalOutcome::Deteriorated) => summary.deteriorated += 1,
                None => {}
            }
            summary.sustained_improvement += u64::from(result.sustained_improvement);
            summary.with_setbacks += u64::from(result.setbacks > 0);
            if let Some(slope) = result.slope_per_month {
                slopes.push(slope);
            }
            if let Some(i) = TravelLabel::ALL.iter().position(|l| *l == result.label) {
                label_counts[i] += 1;
            }
            analysis.people.push(result);
        }
        summary.labels = TravelLabel::ALL.iter().copied().zip(label_counts).collect();
        if n_paired_scores > 0 {
            summary.mean_baseline = Some(sum_base / n_paired_scores as f64);
            summary.mean_latest = Some(sum_latest / n_paired_scores as f64);
        }
        summary.median_slope_per_month = crate::stats::median(&slopes);
        analysis.measures.push(summary);
    }
    analysis
}
