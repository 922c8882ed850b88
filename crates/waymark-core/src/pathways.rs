//! The pathway-comparison engine: which care pathway does best, for whom, and how sure can we be?
//!
//! [`compare_pathways`] takes the direction-of-travel results ([`OutcomesAnalysis`]) and the
//! person index, and compares the service cohort's pathways with each other (each against a
//! reference pathway); the comparison cohort (usual care) is reported beside them as its own
//! group, [`COMPARISON_GROUP`], and is never mixed into a pathway. It answers:
//!
//! | part | question |
//! |---|---|
//! | [`PathwayGroup`] | per pathway: people, person-months, % reliable improvement, % recovered and % sustained improvement per measure (Wilson intervals), differences from the reference pathway (Newcombe), mean change (t interval) with two effect sizes, crisis rate and rate ratio |
//! | [`TimeToEvent`] | time to first crisis after the start, and time to relapse after a reliable improvement: Kaplan–Meier curves, medians, restricted means, log-rank across pathways |
//! | [`CaseMix`] | do pathways serve people of different baseline severity? Directly standardised % reliable improvement and a plain warning |
//! | [`FunnelData`] | teams and pathways on funnel plots: reliable improvement on the primary measure, and crisis contacts as observed / expected |
//!
//! Definitions shared by every part:
//! - **In the comparison**: a person whose start date is on or before their last day in
//!   service ([`PersonIndex::service_end`]: the end date, or the reference date while still in
//!   service). People who start after the reference date, or end before they start, have no
//!   time in service and are counted in [`PathwayComparison::people_excluded`].
//! - **Person-months**: (last day − start date + 1) days / [`DAYS_PER_MONTH`], as in the
//!   service indicators.
//! - **Crisis events**: rows of the events table whose type is a crisis kind in the analysis
//!   vocabulary ([`EventKind::Crisis`]), dated from the start date to the last day in service
//!   inclusive, each counted `quantity` times (rounded to a whole number; 1 when blank).
//! - **Paired**: a person with two or more scores on a measure (a baseline and a latest).
//!
//! Everything is computed from unrounded counts; disclosure control happens in the report.
//! See docs/methods.md ("Comparing care pathways") for the methods in plain English.

use crate::analysis::outcomes::{episode_scores, MeasureRule, MeasureRules, OutcomesAnalysis};
use crate::analysis::{EventKind, PersonIndex};
use crate::measures::{normalise_name, MeasureCatalogue};
use crate::model::DAYS_PER_MONTH;
use crate::model::{Cohort, Dataset, Label, Severity};
use crate::stats::change::{ClinicalOutcome, Direction, ReliableChange};
use crate::stats::funnel::{
    funnel_plot, Funnel, FunnelOptions, FunnelUnit, OverdispersionAdjustment,
};
use crate::stats::intervals::{
    baseline_sd_effect_size, newcombe_difference_interval, paired_d_z, paired_difference_interval,
    poisson_rate_per_100_person_months, rate_ratio, wilson_interval, Confidence, EffectSize,
    PairedDifference, PoissonRate, ProportionDifference, ProportionInterval, RateRatio,
    RateRatioMethod,
};
use crate::stats::quantile::normal_critical;
use crate::stats::survival::{kaplan_meier, log_rank, KaplanMeier, LogRank, Observation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The name the comparison cohort is reported under.
pub const COMPARISON_GROUP: &str = "comparison (usual care)";

/// The severity bands in the order they are reported.
const SEVERITIES: [Severity; 3] = [Severity::Low, Severity::Moderate, Severity::High];

/// Settings for the pathway comparison. Every field has a documented default, so a config
/// file only names what it changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PathwayConfig {
    /// The pathway every other is compared with (matched ignoring case and punctuation). When
    /// absent, or not found among the service cohort's pathways, the pathway with the most
    /// people is used.
    pub reference_pathway: Option<String>,
    /// Two-sided confidence level of every interval (0.95).
    pub confidence_level: f64,
    /// Horizon for the restricted mean time to an event, in days (365).
    pub restricted_mean_tau_days: f64,
    /// A pathway with fewer paired people than this on the primary measure gets a small-numbers
    /// warning (30).
    pub min_group_size: u64,
    /// Case-mix warning when the chi-square test of severity by pathway has p below this (0.05).
    pub case_mix_alpha: f64,
    /// Case-mix warning when any pathway's share of a severity band differs from the whole
    /// service cohort's share by more than this fraction (0.10, i.e. 10 percentage points).
    pub case_mix_share_difference: f64,
    /// How the funnel plots' limits allow for units varying more than chance (Spiegelhalter
    /// 2005): `none` (default), `multiplicative` (limits × √φ when φ > 1) or
    /// `additive_random_effects` (τ² added to each unit's variance). The method used is named
    /// beside each funnel.
    pub funnel_overdispersion: crate::stats::funnel::OverdispersionAdjustment,
}

impl Default for PathwayConfig {
    fn default() -> Self {
        PathwayConfig {
            reference_pathway: None,
            confidence_level: 0.95,
            restricted_mean_tau_days: 365.0,
            min_group_size: 30,
            case_mix_alpha: 0.05,
            case_mix_share_difference: 0.10,
            funnel_overdispersion: crate::stats::funnel::OverdispersionAdjustment::None,
        }
    }
}

/// Everything the pathway comparison found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayComparison {
    pub reference_date: NaiveDate,
    pub confidence_level: f64,
    /// The pathway the others are compared with; `None` when the service cohort is empty.
    pub reference_pathway: Option<String>,
    /// Why that pathway: "configured" or "largest pathway (most people)".
    pub reference_basis: String,
    /// The first measure, in the catalogue's order, with judged scores in the data; the funnel
    /// plots and the time to relapse use it.
    pub primary_measure: Option<String>,
    /// The measures compared, primary first, in catalogue order.
    pub measures: Vec<MeasureInfo>,
    /// Service pathways (most people first, the reference pathway among them), then the
    /// comparison cohort when it has anyone.
    pub groups: Vec<PathwayGroup>,
    pub case_mix: CaseMix,
    pub time_to_first_crisis: TimeToEvent,
    /// `None` when no measure could be judged.
    pub time_to_relapse: Option<TimeToEvent>,
    pub funnels: Vec<FunnelData>,
    /// People left out because they have no time in service by the reference date.
    pub people_excluded: u64,
    /// Plain-English cautions to print next to the comparison.
    pub warnings: Vec<String>,
}

/// A measure compared across pathways and the rule its change was judged by.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeasureInfo {
    pub measure: String,
    pub primary: bool,
    pub direction: Direction,
    pub reliable_change_threshold: f64,
    pub threshold_basis: String,
    /// Whether the measure has a clinical cut-off, so "recovered" can be judged.
    pub has_caseness: bool,
}

/// Whether a group is one of the service's pathways or the comparison cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    ServicePathway,
    ComparisonCohort,
}

/// One pathway (or the comparison cohort) and its results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayGroup {
    pub pathway: String,
    pub kind: GroupKind,
    pub is_reference: bool,
    /// People in the comparison (with time in service).
    pub people: u64,
    pub person_months: f64,
    pub severity: SeverityCounts,
    pub crisis: CrisisSummary,
    pub measures: Vec<GroupMeasure>,
    /// Cost avoided per person, from the value engine; this engine leaves it `None`.
    pub cost_avoided_per_person: Option<f64>,
}

/// People per baseline severity band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub low: u64,
    pub moderate: u64,
    pub high: u64,
    pub unknown: u64,
}

impl SeverityCounts {
    fn add(&mut self, severity: Option<Severity>) {
        match severity {
            Some(Severity::Low) => self.low += 1,
            Some(Severity::Moderate) => self.moderate += 1,
            Some(Severity::High) => self.high += 1,
            None => self.unknown += 1,
        }
    }

    fn get(&self, severity: Severity) -> u64 {
        match severity {
            Severity::Low => self.low,
            Severity::Moderate => self.moderate,
            Severity::High => self.high,
        }
    }

    /// People with a recorded severity.
    pub fn known(&self) -> u64 {
        self.low + self.moderate + self.high
    }
}

/// Crisis events in service and their rate.
///
/// # Formula
/// rate = events / person-months × 100 with Garwood's exact Poisson interval
/// ([`poisson_rate_per_100_person_months`]); rate ratio = this group's rate / the reference
/// pathway's, with the exact interval conditional on the total number of events
/// ([`rate_ratio`] with [`RateRatioMethod::ExactConditional`]).
///
/// # Remarks
/// Both intervals assume Poisson variation. Crises cluster in some people, so the intervals
/// are too narrow when a few people account for many events. The ratio is `None` for the
/// reference pathway itself and when the reference pathway has no crisis events.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrisisSummary {
    pub events: u64,
    pub person_months: f64,
    pub rate_per_100_person_months: Option<PoissonRate>,
    pub rate_ratio_vs_reference: Option<RateRatio>,
}

/// One group's results on one measure. Denominators: paired people (two or more scores),
/// except recovery, whose denominator is paired people at caseness at baseline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupMeasure {
    pub measure: String,
    pub people_paired: u64,
    /// Reliable improvement, latest versus baseline, by the measure's threshold (Wilson).
    pub reliable_improvement: Option<ProportionInterval>,
    /// Reliable improvement minus the reference pathway's (Newcombe hybrid score).
    pub reliable_improvement_vs_reference: Option<ProportionDifference>,
    /// Paired people whose baseline score was on the clinical side of the cut-off.
    pub people_at_caseness: u64,
    /// Recovered (reliable improvement and moved from case to non-case) among
    /// `people_at_caseness` (Wilson); `None` when the measure has no cut-off.
    pub recovered: Option<ProportionInterval>,
    pub recovered_vs_reference: Option<ProportionDifference>,
    /// The last two or more scores each a reliable improvement on the baseline (Wilson).
    pub sustained_improvement: Option<ProportionInterval>,
    /// Mean of latest − baseline (paired t interval). For a lower-is-better measure a negative
    /// change is an improvement.
    pub mean_change: Option<PairedDifference>,
    /// (mean latest − mean baseline) / SD of the baseline scores: the pre-post effect size of
    /// NHS Talking Therapies benchmarking. The headline effect size.
    pub effect_size_baseline_sd: Option<EffectSize>,
    /// Mean change / SD of the changes (Cohen's d_z); larger than the baseline-SD effect size
    /// when baseline and latest scores are correlated. Not comparable with between-group d.
    pub effect_size_paired_dz: Option<EffectSize>,
    /// Reliable improvement directly standardised to the service cohort's severity mix.
    pub standardised_reliable_improvement: Option<StandardisedProportion>,
    /// Why the standardised proportion is missing, when it is.
    pub standardised_note: Option<String>,
}

/// One severity stratum of a directly standardised proportion.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Stratum {
    pub severity: Severity,
    /// Share of the standard population in this band.
    pub weight: f64,
    pub people: u64,
    pub successes: u64,
}

/// A proportion directly standardised to a standard population's severity mix.
///
/// # What it answers
/// What share of this pathway's people would have improved reliably if the pathway had served
/// people with the same mix of baseline severity as the whole service cohort?
///
/// # Formula
/// With standard weights w_s = N_s / N (N_s service-cohort people in severity band s, among
/// those with a recorded severity) and the pathway's stratum proportions p_s = x_s / n_s:
/// p_std = Σ_s w_s · p_s; Var = Σ_s w_s² · p_s(1 − p_s) / n_s; interval p_std ± z·√Var,
/// clipped to [0, 1].
///
/// # Remarks
/// Paired people with no recorded severity are left out of the strata (the crude proportion
/// here is over the stratified people only). `None` when a band with weight > 0 has no paired
/// people in the pathway (the standardised value would need a proportion that was not
/// observed). The interval is a normal (Wald) approximation: poor when a stratum is small or
/// its proportion is near 0 or 1.
///
/// # References
/// Breslow & Day (1987), *Statistical Methods in Cancer Research* vol. II, §2.3 (direct
/// standardisation and its variance); Kirkwood & Sterne (2003), *Essential Medical Statistics*,
/// 2nd ed., §18.4. Checked against a pandas computation (tests/reference/pathways_reference.py).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StandardisedProportion {
    pub proportion: f64,
    /// Successes / people over the strata, before standardisation.
    pub crude_proportion: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: String,
    pub strata: Vec<Stratum>,
}

/// Does the case mix differ between pathways?
///
/// # Formula
/// Pearson's chi-square test of independence on the pathways × severity table of service-cohort
/// people with a recorded severity (rows and columns that are all zero dropped):
/// χ² = Σ (O − E)²/E with E = row total × column total / N, df = (rows − 1)(columns − 1),
/// no continuity correction. Alongside it, each pathway's share of each band is compared with
/// the whole service cohort's share.
///
/// # Remarks
/// `differs` is true when p < `case_mix_alpha` **or** any share differs by more than
/// `case_mix_share_difference`: the test alone flags trivial differences in very large data
/// and misses large ones in small data, the share rule alone ignores chance. The chi-square
/// approximation is poor when expected counts fall below about 5.
///
/// # References
/// Pearson (1900); Agresti (2013), *Categorical Data Analysis*, 3rd ed., §3.2. Checked against
/// scipy `chi2_contingency(correction=False)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CaseMix {
    /// The whole service cohort (the standard population for direct standardisation).
    pub service_cohort: SeverityCounts,
    pub pathways: Vec<(String, SeverityCounts)>,
    pub chi_square: Option<ChiSquareTest>,
    pub largest_share_difference: Option<ShareDifference>,
    pub differs: bool,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct ChiSquareTest {
    pub statistic: f64,
    pub degrees_of_freedom: usize,
    pub p_value: f64,
}

/// The severity band whose share in one pathway is furthest from the service cohort's.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShareDifference {
    pub pathway: String,
    pub severity: Severity,
    pub pathway_share: f64,
    pub service_cohort_share: f64,
    /// pathway share − service cohort share.
    pub difference: f64,
}

/// Which time-to-event outcome a [`TimeToEvent`] describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivalOutcome {
    TimeToFirstCrisis,
    TimeToRelapse,
}

/// Kaplan–Meier curves per group for one outcome, and the log-rank test across the service
/// pathways (the comparison cohort's curve is shown but not tested).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimeToEvent {
    pub outcome: SurvivalOutcome,
    /// The measure, for time to relapse.
    pub measure: Option<String>,
    /// The definition in plain words, to print with the chart.
    pub definition: String,
    pub time_unit: std::borrow::Cow<'static, str>,
    pub tau_days: f64,
    pub groups: Vec<SurvivalGroup>,
    /// Across the service pathways with anyone at risk, in the order of `log_rank_pathways`.
    pub log_rank: Option<LogRank>,
    pub log_rank_pathways: Vec<String>,
}

/// One group's curve. `curve` (with its median and log(−log) Greenwood band) is `None` when
/// nobody in the group is at risk.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SurvivalGroup {
    pub pathway: String,
    pub kind: GroupKind,
    pub people_at_risk: u64,
    pub events: u64,
    pub curve: Option<KaplanMeier>,
    pub restricted_mean: Option<crate::stats::survival::RestrictedMean>,
}

/// What a funnel's units are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelUnits {
    Team,
    Pathway,
}

impl FunnelUnits {
    /// What one unit is called in a sentence ("by team").
    pub fn noun(self) -> &'static str {
        match self {
            FunnelUnits::Team => "team",
            FunnelUnits::Pathway => "pathway",
        }
    }
}

/// One funnel plot's data: units named in `unit_names` (a point's `unit_idx` indexes it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FunnelData {
    pub units: FunnelUnits,
    pub indicator: String,
    /// How the plotted value is built (what is divided by what, and any standardisation).
    pub standardisation: String,
    pub unit_names: Vec<String>,
    pub funnel: Option<Funnel>,
    /// Why there is no funnel, when there is none.
    pub note: Option<String>,
}

/// Per person, what the comparison needs.
#[derive(Clone, Copy)]
struct PersonFacts {
    group: usize,
    start: NaiveDate,
    end: NaiveDate,
    crisis_events: u64,
    first_crisis: Option<NaiveDate>,
}

/// Running counts for one group on one measure.
#[derive(Clone, Default)]
struct MeasureTally {
    paired: u64,
    improved: u64,
    at_caseness: u64,
    recovered: u64,
    sustained: u64,
    baselines: Vec<f64>,
    latests: Vec<f64>,
    /// (paired people, reliable improvements) per severity band, low/moderate/high.
    strata: [(u64, u64); 3],
}

fn severity_slot(severity: Severity) -> usize {
    match severity {
        Severity::Low => 0,
        Severity::Moderate => 1,
        Severity::High => 2,
    }
}

/// A crisis row's count: its quantity as a whole number (1 when the column was blank).
fn whole_events(quantity: f32) -> u64 {
    if quantity.is_finite() && quantity > 0.0 {
        quantity.round() as u64
    } else {
        0
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64
}

/// Compares the service cohort's pathways (and reports the comparison cohort beside them).
///
/// `outcomes` must come from the same `data` and `index` (its person numbers are people-table
/// rows); `catalogue` is the one the outcomes were judged with. Reads each person's event rows
/// once. Never panics; statistics that are undefined for the data are `None`.
pub fn compare_pathways(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
    catalogue: &MeasureCatalogue,
    config: &PathwayConfig,
) -> PathwayComparison {
    let confidence = Confidence::new(config.confidence_level).unwrap_or_default();
    let people = &data.people;
    let mut warnings = Vec::new();

    // Groups: the service cohort's pathways, most people first, then the comparison cohort.
    let included = |p: usize| match (people.start_date.get(p), index.service_end.get(p)) {
        (Some(start), Some(end)) => start <= end,
        _ => false,
    };
    let mut pathway_labels: Vec<(Label, u64)> = Vec::new();
    let mut comparison_people = 0u64;
    let mut people_excluded = 0u64;
    for p in 0..index.len {
        if !included(p) {
            people_excluded += 1;
            continue;
        }
        match (people.cohort.get(p), people.pathway.get(p)) {
            (Some(Cohort::Service), Some(label)) => {
                match pathway_labels.iter_mut().find(|(l, _)| l == label) {
                    Some((_, n)) => *n += 1,
                    None => pathway_labels.push((*label, 1)),
                }
            }
            (Some(Cohort::Comparison), _) => comparison_people += 1,
            _ => {}
        }
    }
    pathway_labels.sort_by(|(a, na), (b, nb)| {
        nb.cmp(na)
            .then_with(|| data.text.text(*a).cmp(data.text.text(*b)))
    });
    let n_pathways = pathway_labels.len();
    let mut group_names: Vec<String> = pathway_labels
        .iter()
        .map(|(l, _)| data.text.text(*l).to_string())
        .collect();
    let mut group_kinds = vec![GroupKind::ServicePathway; n_pathways];
    if comparison_people > 0 {
        group_names.push(COMPARISON_GROUP.to_string());
        group_kinds.push(GroupKind::ComparisonCohort);
    }
    let n_groups = group_names.len();
    let comparison_group = (comparison_people > 0).then_some(n_pathways);

    let (reference, reference_basis) = choose_reference(config, &group_names[..n_pathways]);
    if let (Some(wanted), "largest pathway (most people)") =
        (&config.reference_pathway, reference_basis.as_str())
    {
        warnings.push(format!(
            "The configured reference pathway \"{wanted}\" has nobody in the service cohort; the largest pathway is used instead."
        ));
    }

    // One pass over people and their events.
    let mut facts: Vec<Option<PersonFacts>> = vec![None; index.len];
    let vocab = &index.vocab;
    let events = &data.events;
    for (p, slot) in facts.iter_mut().enumerate() {
        if !included(p) {
            continue;
        }
        let group = match people.cohort.get(p) {
            Some(Cohort::Service) => people
                .pathway
                .get(p)
                .and_then(|label| pathway_labels.iter().position(|(l, _)| l == label)),
            Some(Cohort::Comparison) => comparison_group,
            None => None,
        };
        let (Some(group), Some(&start), Some(&end)) =
            (group, people.start_date.get(p), index.service_end.get(p))
        else {
            continue;
        };
        let mut crisis_events = 0u64;
        let mut first_crisis = None;
        for &row in index.events.of(p) {
            let row = row as usize;
            let (Some(&date), Some(&event_type)) =
                (events.date.get(row), events.event_type.get(row))
            else {
                continue;
            };
            if date < start || date > end || vocab.event_kind(event_type) != Some(EventKind::Crisis)
            {
                continue;
            }
            crisis_events += events.quantity.get(row).map_or(1, |q| whole_events(*q));
            first_crisis.get_or_insert(date);
        }
        *slot = Some(PersonFacts {
            group,
            start,
            end,
            crisis_events,
            first_crisis,
        });
    }

    // Group totals.
    let mut group_people = vec![0u64; n_groups];
    let mut group_days = vec![0.0f64; n_groups];
    let mut group_crises = vec![0u64; n_groups];
    let mut group_severity = vec![SeverityCounts::default(); n_groups];
    for (p, fact) in facts.iter().enumerate() {
        let Some(f) = fact else { continue };
        if let Some(n) = group_people.get_mut(f.group) {
            *n += 1;
        }
        if let Some(d) = group_days.get_mut(f.group) {
            *d += days_between(f.start, f.end) + 1.0;
        }
        if let Some(c) = group_crises.get_mut(f.group) {
            *c += f.crisis_events;
        }
        if let Some(s) = group_severity.get_mut(f.group) {
            s.add(people.baseline_severity.get(p).copied().flatten());
        }
    }
    let group_pm: Vec<f64> = group_days.iter().map(|d| d / DAYS_PER_MONTH).collect();

    // Measures: those judged in the outcomes, in catalogue order.
    let rules = MeasureRules::for_dataset(catalogue, data);
    let mut measure_rules: Vec<&MeasureRule> = Vec::new();
    for pm in &outcomes.people {
        if !measure_rules.iter().any(|r| r.name() == pm.measure) {
            if let Some(rule) = rules.lookup(&pm.measure) {
                measure_rules.push(rule);
            }
        }
    }
    let catalogue_position = |rule: &MeasureRule| {
        catalogue
            .measures()
            .iter()
            .position(|m| m.key == rule.definition.key)
            .unwrap_or(usize::MAX)
    };
    measure_rules.sort_by_key(|r| catalogue_position(r));
    let n_measures = measure_rules.len();

    // One pass over the person-level outcomes.
    let mut tallies = vec![vec![MeasureTally::default(); n_measures]; n_groups];
    let mut counted = vec![vec![false; index.len]; n_measures];
    for pm in &outcomes.people {
        let Some(m) = measure_rules.iter().position(|r| r.name() == pm.measure) else {
            continue;
        };
        let Some(Some(fact)) = facts.get(pm.person) else {
            continue;
        };
        let Some(rc) = pm.reliable_change else {
            continue;
        };
        // A measure recorded under two names gives two results: count the person once.
        match counted.get_mut(m).and_then(|c| c.get_mut(pm.person)) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        let Some(tally) = tallies.get_mut(fact.group).and_then(|t| t.get_mut(m)) else {
            continue;
        };
        let improved = rc == ReliableChange::ReliableImprovement;
        tally.paired += 1;
        tally.improved += u64::from(improved);
        tally.sustained += u64::from(pm.sustained_improvement);
        tally.baselines.push(pm.baseline);
        tally.latests.push(pm.latest);
        if measure_rules
            .get(m)
            .and_then(|r| r.definition.is_case(pm.baseline))
            == Some(true)
        {
            tally.at_caseness += 1;
            tally.recovered += u64::from(pm.clinical == Some(ClinicalOutcome::Recovered));
        }
        if let Some(severity) = people.baseline_severity.get(pm.person).copied().flatten() {
            if let Some(stratum) = tally.strata.get_mut(severity_slot(severity)) {
                stratum.0 += 1;
                stratum.1 += u64::from(improved);
            }
        }
    }

    // Standard population: the whole service cohort in the comparison, by severity.
    let mut service_severity = SeverityCounts::default();
    for s in group_severity.iter().take(n_pathways) {
        service_severity.low += s.low;
        service_severity.moderate += s.moderate;
        service_severity.high += s.high;
        service_severity.unknown += s.unknown;
    }
    let standard_weights: Option<[f64; 3]> = (service_severity.known() > 0).then(|| {
        let total = service_severity.known() as f64;
        SEVERITIES.map(|s| service_severity.get(s) as f64 / total)
    });

    let reference_tally = |m: usize| reference.and_then(|r| tallies.get(r)?.get(m));
    let mut groups = Vec::with_capacity(n_groups);
    for g in 0..n_groups {
        let is_reference = reference == Some(g);
        let (Some(name), Some(&kind)) = (group_names.get(g), group_kinds.get(g)) else {
            continue;
        };
        let pm_g = group_pm.get(g).copied().unwrap_or(0.0);
        let crises = group_crises.get(g).copied().unwrap_or(0);
        let rate_ratio_vs_reference = match reference {
            Some(r) if r != g => rate_ratio(
                crises,
                pm_g,
                group_crises.get(r).copied().unwrap_or(0),
                group_pm.get(r).copied().unwrap_or(0.0),
                RateRatioMethod::ExactConditional,
                confidence,
            ),
            _ => None,
        };
        let mut measures = Vec::with_capacity(n_measures);
        for (m, rule) in measure_rules.iter().enumerate() {
            let Some(tally) = tallies.get(g).and_then(|t| t.get(m)) else {
                continue;
            };
            let versus = |successes: fn(&MeasureTally) -> (u64, u64)| {
                let reference = reference_tally(m).filter(|_| !is_reference)?;
                let (x1, n1) = successes(tally);
                let (x2, n2) = successes(reference);
                newcombe_difference_interval(x1, n1, x2, n2, confidence)
            };
            let has_caseness = rule.definition.caseness.is_some();
            let (standardised, standardised_note) = match standard_weights {
                Some(weights) => standardise(&tally.strata, weights, confidence),
                None => (
                    None,
                    Some("No one in the service cohort has a recorded baseline severity.".into()),
                ),
            };
            measures.push(GroupMeasure {
                measure: rule.name().to_string(),
                people_paired: tally.paired,
                reliable_improvement: wilson_interval(tally.improved, tally.paired, confidence),
                reliable_improvement_vs_reference: versus(|t| (t.improved, t.paired)),
                people_at_caseness: tally.at_caseness,
                recovered: if has_caseness {
                    wilson_interval(tally.recovered, tally.at_caseness, confidence)
                } else {
                    None
                },
                recovered_vs_reference: if has_caseness {
                    versus(|t| (t.recovered, t.at_caseness))
                } else {
                    None
                },
                sustained_improvement: wilson_interval(tally.sustained, tally.paired, confidence),
                mean_change: paired_difference_interval(
                    &tally.baselines,
                    &tally.latests,
                    confidence,
                ),
                effect_size_baseline_sd: baseline_sd_effect_size(&tally.baselines, &tally.latests),
                effect_size_paired_dz: paired_d_z(&tally.baselines, &tally.latests),
                standardised_reliable_improvement: standardised,
                standardised_note,
            });
        }
        groups.push(PathwayGroup {
            pathway: name.clone(),
            kind,
            is_reference,
            people: group_people.get(g).copied().unwrap_or(0),
            person_months: pm_g,
            severity: group_severity.get(g).copied().unwrap_or_default(),
            crisis: CrisisSummary {
                events: crises,
                person_months: pm_g,
                rate_per_100_person_months: poisson_rate_per_100_person_months(
                    crises, pm_g, confidence,
                ),
                rate_ratio_vs_reference,
            },
            measures,
            cost_avoided_per_person: None,
        });
    }

    // Case mix.
    let case_mix = case_mix(
        &group_names[..n_pathways],
        &group_severity[..n_pathways.min(group_severity.len())],
        service_severity,
    );
    if let Some(test) = &case_mix.chi_square {
        if test.p_value < config.case_mix_alpha {
            warnings.push(format!(
                "The pathways serve people of different baseline severity (chi-square test p = {:.3}): compare the severity-standardised figures, not only the crude ones.",
                test.p_value
            ));
        }
    }
    if let Some(diff) = &case_mix.largest_share_difference {
        if diff.difference.abs() > config.case_mix_share_difference {
            warnings.push(format!(
                "{}: {:.0}% of its people have {} baseline severity against {:.0}% across the service; compare the severity-standardised figures, not only the crude ones.",
                diff.pathway,
                100.0 * diff.pathway_share,
                severity_name(diff.severity),
                100.0 * diff.service_cohort_share
            ));
        }
    }
    let differs = case_mix
        .chi_square
        .is_some_and(|t| t.p_value < config.case_mix_alpha)
        || case_mix
            .largest_share_difference
            .as_ref()
            .is_some_and(|d| d.difference.abs() > config.case_mix_share_difference);
    let case_mix = CaseMix {
        differs,
        ..case_mix
    };

    // Small numbers on the primary measure.
    for g in groups
        .iter()
        .filter(|g| g.kind == GroupKind::ServicePathway)
    {
        let paired = g.measures.first().map_or(0, |m| m.people_paired);
        if paired < config.min_group_size {
            // No counts in the sentence: it is printed in the report too, where counts are
            // disclosure-controlled; the table beside it gives them.
            warnings.push(format!(
                "{}: fewer than {} people with paired scores on {}; its percentages are uncertain, read the intervals.",
                g.pathway,
                config.min_group_size,
                measure_rules.first().map_or("the primary measure", |r| r.name()),
            ));
        }
    }

    // Time to first crisis.
    let tau = config.restricted_mean_tau_days;
    let mut crisis_observations: Vec<Vec<Observation>> = vec![Vec::new(); n_groups];
    for f in facts.iter().flatten() {
        let observation = match f.first_crisis {
            Some(date) => Observation {
                time: days_between(f.start, date),
                event: true,
            },
            None => Observation {
                time: days_between(f.start, f.end),
                event: false,
            },
        };
        if let Some(list) = crisis_observations.get_mut(f.group) {
            list.push(observation);
        }
    }
    let time_to_first_crisis = time_to_event(
        SurvivalOutcome::TimeToFirstCrisis,
        None,
        "Days from the start date to the first crisis event in service (a crisis event type, \
         dated from the start date on). People without one are censored at their last day in \
         service: the end date, or the reference date while still in service."
            .to_string(),
        &group_names,
        &group_kinds,
        n_pathways,
        crisis_observations,
        tau,
        confidence.level(),
    );

    // Time to relapse on the primary measure.
    let time_to_relapse = measure_rules.first().map(|rule| {
        let labels: Vec<Label> = first_label_for(data, &rules, rule).into_iter().collect();
        let mut observations: Vec<Vec<Observation>> = vec![Vec::new(); n_groups];
        for (p, fact) in facts.iter().enumerate() {
            let (Some(f), Some(&label)) = (fact, labels.first()) else {
                continue;
            };
            let (dates, scores, _) = episode_scores(data, index.outcomes.of(p), label, rule);
            if let (Some(observation), Some(list)) = (
                relapse_observation(&dates, &scores, rule.reliable_change, rule.direction()),
                observations.get_mut(f.group),
            ) {
                list.push(observation);
            }
        }
        time_to_event(
            SurvivalOutcome::TimeToRelapse,
            Some(rule.name().to_string()),
            format!(
                "Among people whose {m} score improved reliably on their baseline (by at least {t} points), \
                 days from the first such score to the first later score that is a reliable worsening \
                 (at least {t} points worse) than the best score reached since. People without one are \
                 censored at their last {m} score.",
                m = rule.name(),
                t = rule.reliable_change
            ),
            &group_names,
            &group_kinds,
            n_pathways,
            observations,
            tau,
            confidence.level(),
        )
    });

    // Funnels over the service cohort.
    let funnels = funnels(
        data,
        &facts,
        &tallies,
        &group_names,
        n_pathways,
        &group_crises,
        &group_pm,
        measure_rules.first().copied(),
        outcomes,
        config.funnel_overdispersion,
    );

    PathwayComparison {
        reference_date: index.reference_date,
        confidence_level: confidence.level(),
        reference_pathway: reference.and_then(|r| group_names.get(r).cloned()),
        reference_basis,
        primary_measure: measure_rules.first().map(|r| r.name().to_string()),
        measures: measure_rules
            .iter()
            .enumerate()
            .map(|(i, r)| MeasureInfo {
                measure: r.name().to_string(),
                primary: i == 0,
                direction: r.direction(),
                reliable_change_threshold: r.reliable_change,
                threshold_basis: r.threshold_basis.clone(),
                has_caseness: r.definition.caseness.is_some(),
            })
            .collect(),
        groups,
        case_mix,
        time_to_first_crisis,
        time_to_relapse,
        funnels,
        people_excluded,
        warnings,
    }
}

/// The reference pathway's position among the (size-ordered) pathways, and why it was chosen.
fn choose_reference(config: &PathwayConfig, pathways: &[String]) -> (Option<usize>, String) {
    let configured = config.reference_pathway.as_ref().and_then(|wanted| {
        let wanted = normalise_name(wanted);
        pathways.iter().position(|p| normalise_name(p) == wanted)
    });
    match configured {
        Some(i) => (Some(i), "configured".to_string()),
        None if pathways.is_empty() => (None, "no service pathways".to_string()),
        None => (Some(0), "largest pathway (most people)".to_string()),
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Moderate => "moderate",
        Severity::High => "high",
    }
}

/// Direct standardisation of one group's reliable improvement; see [`StandardisedProportion`].
fn standardise(
    strata: &[(u64, u64); 3],
    weights: [f64; 3],
    confidence: Confidence,
) -> (Option<StandardisedProportion>, Option<String>) {
    let mut proportion = 0.0;
    let mut variance = 0.0;
    let mut out = Vec::with_capacity(3);
    for ((&(people, successes), weight), severity) in strata.iter().zip(weights).zip(SEVERITIES) {
        out.push(Stratum {
            severity,
            weight,
            people,
            successes,
        });
        if weight <= 0.0 {
            continue;
        }
        if people == 0 {
            return (
                None,
                Some(format!(
                    "No paired people with {} baseline severity in this group, so it cannot be standardised to the service cohort's mix.",
                    severity_name(severity)
                )),
            );
        }
        let p = successes as f64 / people as f64;
        proportion += weight * p;
        variance += weight * weight * p * (1.0 - p) / people as f64;
    }
    let (people, successes) = strata
        .iter()
        .fold((0u64, 0u64), |(n, x), &(pn, px)| (n + pn, x + px));
    let Some(z) = normal_critical(confidence.level()) else {
        return (None, None);
    };
    let standard_error = variance.sqrt();
    (
        Some(StandardisedProportion {
            proportion,
            crude_proportion: if people > 0 {
                successes as f64 / people as f64
            } else {
                0.0
            },
            standard_error,
            lower: (proportion - z * standard_error).max(0.0),
            upper: (proportion + z * standard_error).min(1.0),
            method: "direct standardisation to the service cohort's baseline-severity mix; \
                     normal-approximation interval with variance sum of w^2 p(1-p)/n"
                .to_string(),
            strata: out,
        }),
        None,
    )
}

/// Severity by pathway: the chi-square test and the largest share difference.
fn case_mix(pathways: &[String], counts: &[SeverityCounts], service: SeverityCounts) -> CaseMix {
    let mut mix = CaseMix {
        service_cohort: service,
        pathways: pathways
            .iter()
            .cloned()
            .zip(counts.iter().copied())
            .collect(),
        ..CaseMix::default()
    };
    let total = service.known();
    if total == 0 {
        return mix;
    }
    // Largest share difference.
    for (name, c) in pathways.iter().zip(counts) {
        let known = c.known();
        if known == 0 {
            continue;
        }
        for severity in SEVERITIES {
            let pathway_share = c.get(severity) as f64 / known as f64;
            let service_cohort_share = service.get(severity) as f64 / total as f64;
            let difference = pathway_share - service_cohort_share;
            let larger = mix
                .largest_share_difference
                .as_ref()
                .is_none_or(|d| difference.abs() > d.difference.abs());
            if larger {
                mix.largest_share_difference = Some(ShareDifference {
                    pathway: name.clone(),
                    severity,
                    pathway_share,
                    service_cohort_share,
                    difference,
                });
            }
        }
    }
    // Pearson chi-square over non-empty rows and columns.
    let rows: Vec<&SeverityCounts> = counts.iter().filter(|c| c.known() > 0).collect();
    let columns: Vec<Severity> = SEVERITIES
        .into_iter()
        .filter(|s| service.get(*s) > 0)
        .collect();
    if rows.len() >= 2 && columns.len() >= 2 {
        let n = total as f64;
        let mut statistic = 0.0;
        for row in &rows {
            for &column in &columns {
                let expected = row.known() as f64 * service.get(column) as f64 / n;
                let observed = row.get(column) as f64;
                statistic += (observed - expected).powi(2) / expected;
            }
        }
        let degrees_of_freedom = (rows.len() - 1) * (columns.len() - 1);
        mix.chi_square = ChiSquared::new(degrees_of_freedom as f64)
            .ok()
            .map(|d| ChiSquareTest {
                statistic,
                degrees_of_freedom,
                p_value: d.sf(statistic),
            });
    }
    mix
}

/// The first measure label in the outcomes table that the rules read as `rule`'s measure (the
/// same look-up the outcomes engine uses).
fn first_label_for(data: &Dataset, rules: &MeasureRules, rule: &MeasureRule) -> Option<Label> {
    let mut checked: Vec<Label> = Vec::new();
    for &label in &data.outcomes.measure {
        if checked.contains(&label) {
            continue;
        }
        checked.push(label);
        if rules
            .lookup(data.text.text(label))
            .is_some_and(|r| r.name() == rule.name())
        {
            return Some(label);
        }
    }
    None
}

/// One person's time to relapse, or `None` when they never improved reliably (not at risk).
///
/// Scores (dates ascending, baseline first) are put in "better" units (negated for
/// lower-is-better measures). The clock starts at the first score at least `threshold` better
/// than the baseline. Relapse is the first later score at least `threshold` worse than the best
/// score since the clock started; the time is the days between the two scores. Without a
/// relapse the person is censored at their last score (0 days when the improvement is the last
/// score).
pub fn relapse_observation(
    dates: &[NaiveDate],
    scores: &[f64],
    threshold: f64,
    direction: Direction,
) -> Option<Observation> {
    let better = |score: f64| match direction {
        Direction::HigherIsBetter => score,
        Direction::LowerIsBetter => -score,
    };
    let baseline = better(*scores.first()?);
    let start = scores
        .iter()
        .skip(1)
        .position(|s| better(*s) - baseline >= threshold)?
        + 1;
    let start_date = *dates.get(start)?;
    let mut best = better(*scores.get(start)?);
    for (date, score) in dates.iter().zip(scores).skip(start + 1) {
        let u = better(*score);
        if u <= best - threshold {
            return Some(Observation {
                time: days_between(start_date, *date),
                event: true,
            });
        }
        best = best.max(u);
    }
    let last = *dates.last()?;
    Some(Observation {
        time: days_between(start_date, last),
        event: false,
    })
}

#[allow(clippy::too_many_arguments)]
fn time_to_event(
    outcome: SurvivalOutcome,
    measure: Option<String>,
    definition: String,
    names: &[String],
    kinds: &[GroupKind],
    n_pathways: usize,
    observations: Vec<Vec<Observation>>,
    tau: f64,
    confidence_level: f64,
) -> TimeToEvent {
    let tested: Vec<usize> = (0..n_pathways)
        .filter(|&g| observations.get(g).is_some_and(|o| !o.is_empty()))
        .collect();
    let log_rank_groups: Vec<&[Observation]> = tested
        .iter()
        .filter_map(|&g| observations.get(g).map(Vec::as_slice))
        .collect();
    let log_rank = log_rank(&log_rank_groups);
    let groups = observations
        .iter()
        .zip(names.iter().zip(kinds))
        .map(|(list, (name, kind))| {
            let curve = kaplan_meier(list, confidence_level);
            SurvivalGroup {
                pathway: name.clone(),
                kind: *kind,
                people_at_risk: list.len() as u64,
                events: list.iter().filter(|o| o.event).count() as u64,
                restricted_mean: curve.as_ref().and_then(|c| c.restricted_mean(tau)),
                curve,
            }
        })
        .collect();
    TimeToEvent {
        outcome,
        measure,
        definition,
        time_unit: "days".into(),
        tau_days: tau,
        groups,
        log_rank,
        log_rank_pathways: tested
            .iter()
            .filter_map(|&g| names.get(g).cloned())
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn funnels(
    data: &Dataset,
    facts: &[Option<PersonFacts>],
    tallies: &[Vec<MeasureTally>],
    group_names: &[String],
    n_pathways: usize,
    group_crises: &[u64],
    group_pm: &[f64],
    primary: Option<&MeasureRule>,
    outcomes: &OutcomesAnalysis,
    overdispersion: OverdispersionAdjustment,
) -> Vec<FunnelData> {
    let service_crises: u64 = group_crises.iter().take(n_pathways).sum();
    let service_pm: f64 = group_pm.iter().take(n_pathways).sum();
    let overall_rate = (service_pm > 0.0).then(|| service_crises as f64 / service_pm);

    // Teams: the service cohort's people with a team.
    let mut team_labels: Vec<Label> = Vec::new();
    let mut team_of = vec![None; facts.len()];
    let mut team_crises: Vec<u64> = Vec::new();
    let mut team_pm: Vec<f64> = Vec::new();
    for (p, fact) in facts.iter().enumerate() {
        let Some(f) = fact.filter(|f| f.group < n_pathways) else {
            continue;
        };
        let Some(label) = data.people.team.get(p).copied().flatten() else {
            continue;
        };
        let t = match team_labels.iter().position(|l| *l == label) {
            Some(t) => t,
            None => {
                team_labels.push(label);
                team_crises.push(0);
                team_pm.push(0.0);
                team_labels.len() - 1
            }
        };
        if let Some(slot) = team_of.get_mut(p) {
            *slot = Some(t);
        }
        if let Some(c) = team_crises.get_mut(t) {
            *c += f.crisis_events;
        }
        if let Some(pm) = team_pm.get_mut(t) {
            *pm += (days_between(f.start, f.end) + 1.0) / DAYS_PER_MONTH;
        }
    }
    let team_names: Vec<String> = team_labels
        .iter()
        .map(|l| data.text.text(*l).to_string())
        .collect();
    let mut team_paired = vec![0u64; team_labels.len()];
    let mut team_improved = vec![0u64; team_labels.len()];
    if let Some(rule) = primary {
        let mut seen = vec![false; facts.len()];
        for pm in outcomes
            .people
            .iter()
            .filter(|pm| pm.measure == rule.name())
        {
            let (Some(rc), Some(Some(t))) = (pm.reliable_change, team_of.get(pm.person)) else {
                continue;
            };
            match seen.get_mut(pm.person) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            if let (Some(n), Some(x)) = (team_paired.get_mut(*t), team_improved.get_mut(*t)) {
                *n += 1;
                *x += u64::from(rc == ReliableChange::ReliableImprovement);
            }
        }
    }
    let pathway_names: Vec<String> = group_names.iter().take(n_pathways).cloned().collect();
    let pathway_paired: Vec<(u64, u64)> = tallies
        .iter()
        .take(n_pathways)
        .map(|t| t.first().map_or((0, 0), |m| (m.improved, m.paired)))
        .collect();

    let mut out = Vec::new();
    for (units, names, counts, crises, pms) in [
        (
            FunnelUnits::Team,
            &team_names,
            team_improved
                .iter()
                .copied()
                .zip(team_paired.iter().copied())
                .collect::<Vec<_>>(),
            &team_crises[..],
            &team_pm[..],
        ),
        (
            FunnelUnits::Pathway,
            &pathway_names,
            pathway_paired,
            group_crises.get(..n_pathways).unwrap_or(&[]),
            group_pm.get(..n_pathways).unwrap_or(&[]),
        ),
    ] {
        if let Some(rule) = primary {
            out.push(proportion_funnel(
                units,
                names,
                &counts,
                rule,
                overdispersion,
            ));
        }
        out.push(crisis_funnel(
            units,
            names,
            crises,
            pms,
            overall_rate,
            overdispersion,
        ));
    }
    out
}

/// Reliable improvement on the primary measure: improved / paired people per unit.
fn proportion_funnel(
    units: FunnelUnits,
    names: &[String],
    counts: &[(u64, u64)],
    rule: &MeasureRule,
    overdispersion: OverdispersionAdjustment,
) -> FunnelData {
    let kept: Vec<(String, FunnelUnit)> = names
        .iter()
        .zip(counts)
        .filter(|(_, (_, n))| *n > 0)
        .map(|(name, &(x, n))| {
            (
                name.clone(),
                FunnelUnit {
                    numerator: x,
                    denominator: n as f64,
                },
            )
        })
        .collect();
    let (unit_names, unit_values): (Vec<String>, Vec<FunnelUnit>) = kept.into_iter().unzip();
    let options = FunnelOptions {
        overdispersion,
        ..FunnelOptions::proportions()
    };
    let (funnel, note) = match funnel_plot(&unit_values, options) {
        Ok(f) => (Some(f), None),
        Err(err) => (None, Some(format!("No funnel plot: {err:?}."))),
    };
    FunnelData {
        units,
        indicator: format!("reliable improvement on {}", rule.name()),
        standardisation: format!(
            "crude proportion: people with a reliable improvement on {} / people with paired scores on it (no case-mix adjustment)",
            rule.name()
        ),
        unit_names,
        funnel,
        note,
    }
}

/// Crisis events as an indirectly standardised ratio: observed / (overall rate × person-months).
fn crisis_funnel(
    units: FunnelUnits,
    names: &[String],
    crises: &[u64],
    person_months: &[f64],
    overall_rate: Option<f64>,
    overdispersion: OverdispersionAdjustment,
) -> FunnelData {
    let standardisation = "indirectly standardised ratio: observed crisis events / expected, \
        expected = the whole service cohort's crisis rate per person-month x the unit's \
        person-months in service (standardised for time in service only, not case mix)"
        .to_string();
    let base = FunnelData {
        units,
        indicator: "crisis events in service, observed / expected".to_string(),
        standardisation,
        unit_names: Vec::new(),
        funnel: None,
        note: None,
    };
    let Some(rate) = overall_rate.filter(|r| *r > 0.0) else {
        return FunnelData {
            note: Some("No funnel plot: no crisis events in service.".to_string()),
            ..base
        };
    };
    let (unit_names, unit_values): (Vec<String>, Vec<FunnelUnit>) = names
        .iter()
        .zip(crises.iter().zip(person_months))
        .filter(|(_, (_, pm))| **pm > 0.0)
        .map(|(name, (&observed, &pm))| {
            (
                name.clone(),
                FunnelUnit {
                    numerator: observed,
                    denominator: rate * pm,
                },
            )
        })
        .unzip();
    let options = FunnelOptions {
        overdispersion,
        ..FunnelOptions::standardised_ratios()
    };
    let (funnel, note) = match funnel_plot(&unit_values, options) {
        Ok(f) => (Some(f), None),
        Err(err) => (None, Some(format!("No funnel plot: {err:?}."))),
    };
    FunnelData {
        unit_names,
        funnel,
        note,
        ..base
    }
}

#[cfg(test)]
mod tests {
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
}
