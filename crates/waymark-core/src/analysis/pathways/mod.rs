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
//! The parts live beside this file: `groups.rs` (groups and intervals), `case_mix.rs`,
//! `time_to_event.rs` and `funnels.rs`.
//!
//! See docs/methods.md ("Comparing care pathways") for the methods in plain English.

use super::direction::outcomes::{episode_scores, MeasureRule, MeasureRules, OutcomesAnalysis};
use super::{EventKind, PersonIndex};
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

mod case_mix;
mod counts;
mod funnels;
mod groups;
mod time_to_event;

pub use case_mix::{
    CaseMix, ChiSquareTest, SeverityCounts, ShareDifference, StandardisedProportion, Stratum,
};
pub use counts::PathwayCounts;
pub use funnels::{FunnelData, FunnelUnits};
pub use groups::{CrisisSummary, GroupKind, GroupMeasure, PathwayGroup};
pub use time_to_event::{relapse_observation, SurvivalGroup, SurvivalOutcome, TimeToEvent};

use case_mix::{severity_slot, standardise};
use groups::{
    group_results, measures_compared, person_facts, small_number_warnings, tally_outcomes,
    GroupTotals, Groups, MeasureTally,
};

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

/// Per person, what the comparison needs.
#[derive(Clone, Copy)]
struct PersonFacts {
    group: usize,
    start: NaiveDate,
    end: NaiveDate,
    crisis_events: u64,
    first_crisis: Option<NaiveDate>,
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
/// once. Never panics; statistics that are undefined for the data are `None`. The primary
/// measure is the first measure, in catalogue order, with judged scores. Runs in two phases,
/// [`PathwayCounts::count`] then [`PathwayCounts::compare`], so partitions of the people can
/// be counted apart and added.
pub fn compare_pathways(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
    catalogue: &MeasureCatalogue,
    config: &PathwayConfig,
) -> PathwayComparison {
    let rules = MeasureRules::for_dataset(catalogue, data);
    let primary = primary_measure(&rules, catalogue, outcomes);
    PathwayCounts::count(data, index, outcomes, &rules, catalogue, primary.as_deref()).compare(
        &rules,
        catalogue,
        config,
        index.reference_date,
    )
}

/// The primary measure: the first, in catalogue order, with judged scores in `outcomes`.
pub fn primary_measure(
    rules: &MeasureRules,
    catalogue: &MeasureCatalogue,
    outcomes: &OutcomesAnalysis,
) -> Option<String> {
    measures_compared(rules, catalogue, outcomes)
        .first()
        .map(|r| r.name().to_string())
}

#[cfg(test)]
mod tests;
