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

use crate::analysis::PersonIndex;
use crate::measures::{
    normalise_name, talking_therapies_outcome, MeasureCatalogue, MeasureDefinition, SdOrigin,
    ThresholdBasis,
};
use crate::model::Dataset;
use crate::stats::change::{
    classify_change, reliable_change_index, ClinicalOutcome, Direction, ReliableChange,
};
use crate::stats::trend::{mann_kendall, theil_sen};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::model::DAYS_PER_MONTH;

/// Significance level for calling a Mann–Kendall trend.
pub const TREND_ALPHA: f64 = 0.05;

/// What the engine needs to know about a measure to judge change on it: the catalogue entry
/// and the threshold in force for this dataset.
#[derive(Clone, Debug)]
pub struct MeasureRule {
    pub definition: MeasureDefinition,
    /// The smallest raw change that counts as reliable.
    pub reliable_change: f64,
    pub basis: ThresholdBasis,
    /// Where the threshold comes from in plain words, printed next to every result using it.
    pub threshold_basis: String,
}

impl MeasureRule {
    pub fn name(&self) -> &str {
        &self.definition.key
    }

    pub fn direction(&self) -> Direction {
        self.definition.direction
    }
}

/// Describes a threshold's basis in plain words.
pub fn describe_basis(basis: &ThresholdBasis, estimate: bool) -> String {
    let origin = |o: &SdOrigin| match o {
        SdOrigin::Catalogue => "catalogue SD".to_string(),
        SdOrigin::LocalBaseline { n_baseline } => {
            format!("SD of this data's {n_baseline} baseline scores")
        }
    };
    let text = match basis {
        ThresholdBasis::Published { source, .. } => {
            // The first clause names the source; the rest (confirmations) is in the catalogue.
            let short = source.split(';').next().unwrap_or(source).trim();
            format!("published threshold ({short})")
        }
        ThresholdBasis::JacobsonTruax {
            sd,
            reliability,
            sd_origin,
        } => format!(
            "Jacobson-Truax 1.96 x SD x sqrt(2(1-r)) with SD {sd:.2} ({}) and r {reliability:.2}",
            origin(sd_origin)
        ),
        ThresholdBasis::HalfSd { sd, sd_origin } => format!(
            "no published threshold: half a standard deviation (Norman, Sloan & Wyrwich 2003), SD {sd:.2} ({})",
            origin(sd_origin)
        ),
    };
    if estimate {
        format!("{text}; an estimate to confirm locally")
    } else {
        text
    }
}

/// The rules for the measures in a dataset, looked up by name (catalogue keys and aliases,
/// case and punctuation folded, so "PHQ9" finds "PHQ-9").
#[derive(Clone, Debug, Default)]
pub struct MeasureRules {
    rules: Vec<MeasureRule>,
    /// Measures in the data the catalogue knows but cannot judge (no threshold and too few
    /// baseline scores for a local one), with the reason.
    pub not_judged: Vec<(String, String)>,
}

impl MeasureRules {
    /// Rules for every measure the catalogue knows. Where a measure has no threshold of its own
    /// (ReQoL-10, Recovery Star), one is derived from this data's baseline scores when there
    /// are enough (see [`MeasureDefinition::local_sd_threshold`]); otherwise it is listed in
    /// `not_judged`.
    pub fn for_dataset(catalogue: &MeasureCatalogue, data: &Dataset) -> MeasureRules {
        let mut out = MeasureRules::default();
        let mut seen: Vec<crate::model::Label> = Vec::new();
        for m in &data.outcomes.measure {
            if !seen.contains(m) {
                seen.push(*m);
            }
        }
        for label in seen {
            let name = data.text.text(label);
            let Some(definition) = catalogue.lookup(name) else {
                continue;
            };
            if out.rules.iter().any(|r| r.definition.key == definition.key) {
                continue;
            }
            let estimate = definition
                .reliable_change
                .as_ref()
                .is_some_and(|spec| spec.estimate);
            let threshold = definition.effective_threshold().or_else(|| {
                let baselines = first_scores(data, label, definition);
                definition.local_sd_threshold(&baselines)
            });
            match threshold {
                Some((reliable_change, basis)) => out.rules.push(MeasureRule {
                    definition: definition.clone(),
                    reliable_change,
                    threshold_basis: describe_basis(&basis, estimate),
                    basis,
                }),
                None => out.not_judged.push((
                    definition.key.clone(),
                    format!(
                        "{} has no published reliable-change threshold and fewer than {} baseline scores to derive one from; add a threshold in the configuration.",
                        definition.key,
                        crate::measures::MIN_LOCAL_BASELINE
                    ),
                )),
            }
        }
        out
    }

    pub fn lookup(&self, name: &str) -> Option<&MeasureRule> {
        let key = normalise_name(name);
        self.rules.iter().find(|r| {
            normalise_name(&r.definition.key) == key
                || r.definition
                    .aliases
                    .iter()
                    .any(|a| normalise_name(a) == key)
        })
    }

    pub fn rules(&self) -> &[MeasureRule] {
        &self.rules
    }
}

/// Each person's first (converted, in-range) score on a measure: the baselines for a local SD.
fn first_scores(
    data: &Dataset,
    measure: crate::model::Label,
    definition: &MeasureDefinition,
) -> Vec<f64> {
    let o = &data.outcomes;
    let mut first: FxHashMap<crate::model::Label, (NaiveDate, f64)> = FxHashMap::default();
    for row in 0..o.person.len() {
        if o.measure[row] != measure {
            continue;
        }
        let Some(score) = definition.score(o.score[row]) else {
            continue;
        };
        let entry = first.entry(o.person[row]).or_insert((o.date[row], score));
        if o.date[row] < entry.0 {
            *entry = (o.date[row], score);
        }
    }
    let mut scores: Vec<f64> = first.into_values().map(|(_, s)| s).collect();
    scores.sort_by(f64::total_cmp);
    scores
}

/// How a person's scores on one measure are moving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Serialize, Deserialize)]
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
    /// The date each setback started (its first score), in date order.
    pub setback_dates: Vec<NaiveDate>,
    pub last_setback: Option<NaiveDate>,
    pub days_since_last_setback: Option<i64>,
    pub sustained_improvement: bool,
    pub label: TravelLabel,
}

/// Counts over people for one measure (unrounded; the report applies disclosure control).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MeasureSummary {
    pub measure: String,
    /// Scores outside the measure's range, left out of the analysis.
    pub scores_out_of_range: u64,
    pub threshold_basis: String,
    pub reliable_change_threshold: f64,
    pub direction: Option<Direction>,
    /// People with at least one score; with two or more (paired).
    pub people_scored: u64,
    pub people_paired: u64,
    pub reliable_improvement: u64,
    pub no_reliable_change: u64,
    pub reliable_deterioration: u64,
    /// Reliably improved and moved from the clinical range to below it (Jacobson & Truax
    /// "recovered"); its denominator is `paired_at_caseness`, never all paired people.
    pub recovered: u64,
    /// People with paired scores whose baseline was in the clinical range (at caseness): the
    /// only people who can recover, and the denominator of every recovery rate.
    pub paired_at_caseness: u64,
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

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OutcomesAnalysis {
    pub people: Vec<PersonMeasure>,
    pub measures: Vec<MeasureSummary>,
    /// Measures found in the data but not in the catalogue: scores are counted but change is not
    /// judged until the user adds the measure (direction and threshold) in the config.
    pub unknown_measures: Vec<String>,
    /// Measures the catalogue knows but that cannot be judged here, with the reason.
    pub not_judged: Vec<(String, String)>,
    /// NHS Talking Therapies paired outcomes, for people with two or more PHQ-9 and GAD-7
    /// scores; `None` when no one has both.
    pub talking_therapies: Option<TalkingTherapiesSummary>,
    /// Per judged measure, in the order of `measures`: each person's scores by months since
    /// baseline (a sample of at most 200 people) and the median line across everyone.
    pub trajectories: Vec<super::trajectories::Trajectories>,
}

/// Counts of the NHS Talking Therapies paired outcomes (first and last scores on PHQ-9 and
/// GAD-7; see [`crate::measures::talking_therapies_outcome`]). Recovery rates divide by the
/// people at caseness at their first scores, as the national statistics do.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TalkingTherapiesSummary {
    pub people_paired: u64,
    pub at_caseness: u64,
    pub recovered: u64,
    pub reliable_recovery: u64,
    pub reliable_improvement: u64,
    pub reliable_deterioration: u64,
}

impl OutcomesAnalysis {
    /// Adds another partition's results (ARCHITECTURE.md, "Partitions of people"), judged
    /// with the same rules: `other`'s people are appended with `person_offset` added to their
    /// numbers (see `StabilityAnalysis::add`); each measure's counts add (measures matched by
    /// name), its mean baseline and latest are weighted by paired people, and its median slope
    /// and the Talking Therapies counts are taken again over the merged people. The score
    /// trajectories are not merged: their 200-person sample and median lines need each
    /// person's scores, which the analysis does not keep, so they are left empty.
    pub fn add(&mut self, other: &OutcomesAnalysis, person_offset: usize) {
        self.people
            .extend(other.people.iter().map(|result| PersonMeasure {
                person: result.person + person_offset,
                ..result.clone()
            }));
        crate::analysis::add_matching(
            &mut self.measures,
            &other.measures,
            |a, b| a.measure == b.measure,
            MeasureSummary::add,
        );
        for summary in &mut self.measures {
            let slopes: Vec<f64> = self
                .people
                .iter()
                .filter(|p| p.measure == summary.measure)
                .filter_map(|p| p.slope_per_month)
                .collect();
            summary.median_slope_per_month = crate::stats::median(&slopes);
        }
        for name in &other.unknown_measures {
            if !self.unknown_measures.contains(name) {
                self.unknown_measures.push(name.clone());
            }
        }
        self.talking_therapies = talking_therapies(&self.people);
        self.trajectories = Vec::new();
    }
}

impl MeasureSummary {
    /// Adds another partition's counts on the same measure; the median slope is left to the
    /// caller, which holds the people.
    fn add(&mut self, other: &MeasureSummary) {
        let weighted = |mine: Option<f64>, n_mine: u64, theirs: Option<f64>, n_theirs: u64| {
            let total = n_mine + n_theirs;
            (total > 0).then(|| {
                (mine.unwrap_or(0.0) * n_mine as f64 + theirs.unwrap_or(0.0) * n_theirs as f64)
                    / total as f64
            })
        };
        self.mean_baseline = weighted(
            self.mean_baseline,
            self.people_paired,
            other.mean_baseline,
            other.people_paired,
        );
        self.mean_latest = weighted(
            self.mean_latest,
            self.people_paired,
            other.mean_latest,
            other.people_paired,
        );
        self.scores_out_of_range += other.scores_out_of_range;
        self.people_scored += other.people_scored;
        self.people_paired += other.people_paired;
        self.reliable_improvement += other.reliable_improvement;
        self.no_reliable_change += other.no_reliable_change;
        self.reliable_deterioration += other.reliable_deterioration;
        self.recovered += other.recovered;
        self.paired_at_caseness += other.paired_at_caseness;
        self.improved += other.improved;
        self.unchanged += other.unchanged;
        self.deteriorated += other.deteriorated;
        self.sustained_improvement += other.sustained_improvement;
        self.with_setbacks += other.with_setbacks;
        crate::analysis::add_matching(
            &mut self.labels,
            &other.labels,
            |a, b| a.0 == b.0,
            |mine, theirs| mine.1 += theirs.1,
        );
    }
}

/// Applies the NHS Talking Therapies definitions to everyone with paired PHQ-9 and GAD-7 scores.
fn talking_therapies(people: &[PersonMeasure]) -> Option<TalkingTherapiesSummary> {
    let mut by_person: FxHashMap<usize, (Option<&PersonMeasure>, Option<&PersonMeasure>)> =
        FxHashMap::default();
    for result in people.iter().filter(|r| r.n_scores >= 2) {
        let entry = by_person.entry(result.person).or_default();
        match normalise_name(&result.measure).as_str() {
            "phq9" => entry.0 = Some(result),
            "gad7" => entry.1 = Some(result),
            _ => {}
        }
    }
    let mut summary = TalkingTherapiesSummary::default();
    for (phq, gad) in by_person.values() {
        let (Some(phq), Some(gad)) = (phq, gad) else {
            continue;
        };
        let Some(outcome) =
            talking_therapies_outcome(phq.baseline, phq.latest, gad.baseline, gad.latest)
        else {
            continue;
        };
        summary.people_paired += 1;
        summary.at_caseness += u64::from(outcome.at_caseness);
        summary.recovered += u64::from(outcome.recovered);
        summary.reliable_recovery += u64::from(outcome.reliable_recovery);
        summary.reliable_improvement += u64::from(outcome.reliable_improvement);
        summary.reliable_deterioration += u64::from(outcome.reliable_deterioration);
    }
    (summary.people_paired > 0).then_some(summary)
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
    let direction = rule.direction();
    let better = |score: f64| match direction {
        Direction::HigherIsBetter => score,
        Direction::LowerIsBetter => -score,
    };
    let threshold = rule.reliable_change;
    let paired = scores.len() >= 2;
    let reliable_change = paired.then(|| classify_change(baseline, latest, threshold, direction));
    // Jacobson & Truax's groups, with "clinical" read from the catalogue's caseness rule.
    let clinical = match (reliable_change, &rule.definition.caseness) {
        (Some(rc), Some(caseness)) => Some(match rc {
            ReliableChange::ReliableImprovement
                if caseness.is_case(baseline) && !caseness.is_case(latest) =>
            {
                ClinicalOutcome::Recovered
            }
            ReliableChange::ReliableImprovement => ClinicalOutcome::Improved,
            ReliableChange::NoReliableChange => ClinicalOutcome::Unchanged,
            ReliableChange::ReliableDeterioration => ClinicalOutcome::Deteriorated,
        }),
        _ => None,
    };
    let rci = match (paired, &rule.definition.sd, &rule.definition.reliability) {
        (true, Some(sd), Some(r)) => {
            reliable_change_index(baseline, latest, sd.value, r.value, direction)
        }
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
    let mut setback_dates = Vec::new();
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
            setback_dates.push(*date);
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
            match (rising, direction) {
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
            if !setback_dates.is_empty()
                || (highest - better(baseline) >= threshold
                    && better(baseline) - lowest >= threshold) =>
        {
            TravelLabel::Fluctuating
        }
        Some(_) => TravelLabel::Stable,
    };
    Some(PersonMeasure {
        person,
        measure: rule.name().to_string(),
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
        setbacks: setback_dates.len() as u32,
        last_setback: setback_dates.last().copied(),
        days_since_last_setback: setback_dates
            .last()
            .map(|d| (reference_date - *d).num_days()),
        setback_dates,
        sustained_improvement,
        label,
    })
}

/// A person's scores on one measure from the baseline on: (dates, scores).
/// Scores outside the measure's range (after conversion, e.g. SWEMWBS raw to metric) are left
/// out and counted in the third value, so the report can say how many.
pub fn episode_scores(
    data: &Dataset,
    rows: &[u32],
    measure: crate::model::Label,
    rule: &MeasureRule,
) -> (Vec<NaiveDate>, Vec<f64>, u64) {
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
    // The baseline, then every later row; other scores on the baseline's own date (listed
    // before it in the file) follow it, as only scores dated *before* the baseline are ignored.
    let baseline_date = mine.get(start).map(|r| o.date[*r]);
    let same_day_before = mine[..start.min(mine.len())]
        .iter()
        .filter(|r| Some(o.date[**r]) == baseline_date);
    let kept: Vec<usize> = mine
        .get(start)
        .into_iter()
        .chain(same_day_before)
        .chain(mine.iter().skip(start + 1))
        .copied()
        .collect();
    let mut dates = Vec::with_capacity(kept.len());
    let mut scores = Vec::with_capacity(kept.len());
    let mut out_of_range = 0;
    for r in &kept {
        match rule.definition.score(o.score[*r]) {
            Some(score) => {
                dates.push(o.date[*r]);
                scores.push(score);
            }
            None => out_of_range += 1,
        }
    }
    (dates, scores, out_of_range)
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
    let mut analysis = OutcomesAnalysis {
        not_judged: rules.not_judged.clone(),
        ..OutcomesAnalysis::default()
    };
    for measure in measures {
        let name = data.text.text(measure);
        let Some(rule) = rules.lookup(name) else {
            let judged_elsewhere = rules
                .not_judged
                .iter()
                .any(|(key, _)| normalise_name(key) == normalise_name(name));
            if !judged_elsewhere && !analysis.unknown_measures.iter().any(|m| m == name) {
                analysis.unknown_measures.push(name.to_string());
            }
            continue;
        };
        let mut summary = MeasureSummary {
            measure: rule.name().to_string(),
            threshold_basis: rule.threshold_basis.clone(),
            reliable_change_threshold: rule.reliable_change,
            direction: Some(rule.direction()),
            ..MeasureSummary::default()
        };
        let mut label_counts = [0u64; 5];
        let (mut sum_base, mut sum_latest, mut n_paired_scores) = (0.0, 0.0, 0u64);
        let mut slopes = Vec::new();
        let mut series = Vec::new();
        for p in 0..index.len {
            let (dates, scores, out_of_range) =
                episode_scores(data, index.outcomes.of(p), measure, rule);
            summary.scores_out_of_range += out_of_range;
            let Some(result) = judge_person(p, rule, &dates, &scores, index.reference_date) else {
                continue;
            };
            series.push(super::trajectories::PersonScores {
                person: p,
                days_since_baseline: dates
                    .iter()
                    .map(|d| (*d - result.baseline_date).num_days())
                    .collect(),
                scores,
            });
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
                if let Some(caseness) = &rule.definition.caseness {
                    summary.paired_at_caseness += u64::from(caseness.is_case(result.baseline));
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
        analysis
            .trajectories
            .push(super::trajectories::trajectories(
                rule.name(),
                rule.direction(),
                &series,
            ));
        analysis.measures.push(summary);
    }
    analysis.talking_therapies = talking_therapies(&analysis.people);
    analysis
}
