//! Cost avoidance: service use before and after the start of support, priced, set against the
//! cost of the service, with a difference-in-differences figure when a comparison cohort exists.
//!
//! # How it runs
//! One pass over the events table buckets each event's units by (person, event type, window),
//! plus by month since start for the time profile. Everything after that, including every
//! bootstrap resample, works on per-person aggregates only (the events are never re-read), so
//! a million events cost one linear scan.

use crate::model::DAYS_PER_MONTH;
use crate::model::{normalise_header, Cohort, Dataset, Label, PersonKey};
use crate::stats::bootstrap::{percentile_interval, Resampler};
use crate::value::unit_costs::{uplift, UnitCost};
use crate::value::{Estimate, Interval, Money, ValueConfig, ValueError};
use chrono::{Datelike, Months, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

mod checks;
mod model;
mod people;
mod prices;

use checks::{assumptions, rtm_check, time_profile, warnings};
use model::{add, avoided, bootstrap, estimate, money, ratio, Model, Point, Sums, TypePoint};
use people::{
    analysed_people, bucket_events, count_event_patterns, has_counted_events, Cohorts, Slot,
};
pub(in crate::value) use prices::{check_settings, resolve_prices};
use prices::{resolve_service_costs, tracked_event_types, Prices, TrackedType};

/// Months before start that make up the "recent" part of the pre window in the
/// regression-to-the-mean check.
pub const RTM_RECENT_MONTHS: u32 = 3;

/// The check only flags an event type with at least this many units in the recent part, so a
/// handful of events cannot trigger it.
pub const RTM_MIN_RECENT_UNITS: f64 = 10.0;

const CONFIDENCE: f64 = 0.95;

const LARGEST_WINDOW_MONTHS: u32 = 120;

const LARGEST_RESAMPLES: u32 = 100_000;

// ---------------------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------------------

/// The whole cost-avoidance result, with the settings and assumptions it depends on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostAvoidance {
    /// The currency of every [`Money`] figure (`None` when no unit cost was given).
    pub currency: Option<String>,
    /// The price year of every money figure: the analysis year, the unit costs' common price
    /// year, or `None` when the table mixes years and no uplift was asked for.
    pub price_year: Option<String>,
    pub settings: Settings,
    pub people: PeopleCounts,
    /// Pre/post in the service cohort, with no comparison group.
    pub naive: ValueSummary,
    /// Present when the people table has a comparison cohort with usable history.
    pub difference_in_differences: Option<DifferenceInDifferences>,
    pub by_event_type: Vec<EventTypeResult>,
    /// Sorted by pathway name; service cohort only.
    pub by_pathway: Vec<PathwayResult>,
    /// Naive avoided cost by month since start, 1 to `post_months`.
    pub over_time: Vec<MonthlyAvoidance>,
    pub regression_to_the_mean: RegressionToMeanCheck,
    pub unit_costs: Vec<UnitCostUsed>,
    /// Plain statements of what the figures assume.
    pub assumptions: Vec<String>,
    /// What a reader must know before quoting the figures (those that count people are made
    /// by [`CostAvoidance::people_notes`], under a disclosure policy).
    pub warnings: Vec<String>,
    /// The headline figure (difference in differences, else before and after, adjusted)
    /// recomputed without the people who have no counted event at all; `None` when there are
    /// none.
    pub headline_without_eventless: Option<Money>,
}

/// The honesty settings and analysis parameters, returned with every result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub pre_months: u32,
    pub post_months: u32,
    /// The shortest observed pre-start history for a person to be priced.
    pub min_pre_months: u32,
    pub reference_date: NaiveDate,
    /// The date event history is taken to start; pre windows are clipped to it.
    pub history_start: NaiveDate,
    /// True when `history_start` is the earliest event date (not configured).
    pub history_start_from_data: bool,
    pub person_month_days: f64,
    pub attribution_percent: f64,
    pub optimism_bias_percent: f64,
    /// attribution × (1 − optimism bias): the share of the gross figure that is claimed.
    pub adjustment_factor: f64,
    pub bootstrap_resamples: u32,
    pub seed: u64,
    pub confidence: f64,
    pub interval_method: std::borrow::Cow<'static, str>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeopleCounts {
    pub service_analysed: usize,
    pub comparison_analysed: usize,
    /// Started after the reference date, or an end date before the start date.
    pub excluded_no_post_time: usize,
    /// Started before `history_start` + `min_pre_months`, so too little pre-start history was
    /// observed to price them (never priced from empty windows).
    pub excluded_no_pre_history: usize,
    /// Analysed people whose pre window was shortened to begin at `history_start`.
    pub pre_window_clipped: usize,
    /// Event rows whose person is not in the people table (ignored).
    pub events_without_person: usize,
    /// Event rows of a counted type with a negative or non-numeric quantity (ignored).
    pub events_bad_quantity: usize,
    /// Analysed service-cohort people with no counted event in either window: priced as
    /// using nothing, which moves the figure if their events are missing from the export.
    pub service_without_counted_events: usize,
    /// Analysed service-cohort people with counted events after start but none before: the
    /// pattern of an export that only records events from referral.
    pub service_with_post_events_only: usize,
}

/// Money figures for one analysis (naive, DiD, or one pathway).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueSummary {
    /// Priced avoided units, before attribution and optimism bias.
    pub gross_avoided: Estimate<Money>,
    /// gross × attribution × (1 − optimism bias).
    pub adjusted_avoided: Estimate<Money>,
    /// Service cost over the same post-start person-months (`None` when a pathway has no cost).
    pub service_cost: Option<Estimate<Money>>,
    /// adjusted − service cost.
    pub net_value: Option<Estimate<Money>>,
    /// adjusted / service cost: value returned per pound (per currency unit) spent.
    pub return_per_pound_spent: Option<Estimate<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DifferenceInDifferences {
    pub n_service: usize,
    pub n_comparison: usize,
    pub value: ValueSummary,
}

/// Units and rates of one event type in one cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortUse {
    pub pre_units: f64,
    pub pre_person_months: f64,
    pub pre_rate: Option<f64>,
    pub post_units: f64,
    pub post_person_months: f64,
    pub post_rate: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventTypeResult {
    pub event_type: String,
    pub unit: Option<String>,
    /// The unit cost after any uplift; `None` for a counted type without a unit cost.
    pub unit_cost: Option<Money>,
    pub unit_cost_is_estimate: bool,
    /// Pooled over the service cohort.
    pub service: CohortUse,
    /// The service cohort's pre rate with each pathway weighted by its post person-months:
    /// the counterfactual rate the naive figure uses.
    pub service_pre_rate_standardised: Option<f64>,
    /// Σ over pathways of (pre rate − post rate) × post person-months.
    pub avoided_units: Estimate<f64>,
    pub gross_avoided: Option<Estimate<Money>>,
    pub comparison: Option<CohortUse>,
    /// (post_T − pre_T) − (post_C − pre_C), per person-month (negative = a fall beyond the
    /// comparison cohort's).
    pub did_rate_change: Option<f64>,
    pub did_avoided_units: Option<Estimate<f64>>,
    pub did_gross_avoided: Option<Estimate<Money>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathwayResult {
    pub pathway: String,
    pub n_people: usize,
    pub pre_person_months: f64,
    pub post_person_months: f64,
    pub service_cost_per_person_month: Option<Money>,
    pub by_event_type: Vec<PathwayEventType>,
    pub value: ValueSummary,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathwayEventType {
    pub event_type: String,
    pub pre_rate: Option<f64>,
    pub post_rate: Option<f64>,
    pub avoided_units: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyAvoidance {
    /// 1 = the first calendar month from start_date.
    pub month: u32,
    /// Service-cohort person-months observed in this month.
    pub person_months: f64,
    pub gross_avoided: Money,
    pub cumulative_gross_avoided: Money,
    pub cumulative_adjusted_avoided: Money,
}

/// Were people referred at a peak of use? See [`cost_avoidance`] for the rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegressionToMeanCheck {
    pub rule: String,
    pub ratio_threshold: f64,
    pub recent_months: u32,
    pub warning: bool,
    pub by_event_type: Vec<RecentUse>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentUse {
    pub event_type: String,
    pub recent_units: f64,
    pub recent_person_months: f64,
    pub recent_rate: Option<f64>,
    pub earlier_units: f64,
    pub earlier_person_months: f64,
    pub earlier_rate: Option<f64>,
    pub ratio: Option<f64>,
    pub flagged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitCostUsed {
    pub event_type: String,
    pub unit: String,
    pub price: Money,
    pub price_year: String,
    pub uplifted_price: Money,
    pub source: String,
    pub estimate: bool,
    pub note: Option<String>,
}

/// Cost avoided by a service: pre/post change in priced service use, net of the service's
/// cost, with bootstrap intervals, and a difference-in-differences figure beside it.
///
/// # What it answers
/// How much acute service use (and money) did people use less after starting support than
/// before, what is that worth against what the service cost, and how much of the fall would
/// have happened anyway (comparison cohort)?
///
/// # Formula
/// Windows, per person: pre = [start − `pre_months`, start), clipped to begin no earlier than
/// `history_start`; post = [start, min(start + `post_months`, end_date + 1 day, reference
/// date + 1 day)). Calendar months; one person-month = 30.4375 days. Units are events'
/// `quantity` (bed days for a `bed_day` row), counted on the row's date.
///
/// For pathway k and event type t, with P (pre units), Q (post units), E_pre and E_post
/// (person-months) summed over the pathway's people:
/// avoided_kt = (P_kt / E_pre,k − Q_kt / E_post,k) × E_post,k.
/// avoided_t = Σ_k avoided_kt; gross = Σ_t price_t × avoided_t; adjusted = gross × attribution ×
/// (1 − optimism bias); service cost = Σ_k cost per person-month_k × E_post,k;
/// net = adjusted − service cost; return per pound = adjusted / service cost.
///
/// Difference in differences, per type: DiD_t = (post_T − pre_T) − (post_C − pre_C), where
/// post_T = Q_t / E_post,T, pre_T = Σ_k (P_kt / E_pre,k) × E_post,k / E_post,T (each pathway's
/// pre rate weighted by its post person-months, as in the naive figure) and C is the
/// comparison cohort, pooled; DiD-avoided units = −DiD_t × E_post,T.
///
/// Intervals: 1000 (configurable) bootstrap resamples of people with replacement (service
/// cohort as one sample; the comparison cohort resampled separately for DiD), seeded
/// xoshiro256++ (`stats::bootstrap::Resampler`); 95% percentile interval (Hyndman & Fan type 7).
///
/// Regression-to-the-mean rule: in the service cohort, for each counted type, the rate in the
/// last 3 months before start is compared with the rate earlier in the pre window; the check
/// warns when recent/earlier ≥ `rtm_ratio_threshold` (default 1.25) for a type with at least
/// 10 units in the recent part.
///
/// # Remarks
/// People are analysed only with post time (started by the reference date) and pre time
/// (started after `history_start`); the counts excluded are returned. Events before
/// `history_start`, after the reference date, of other types or of unknown people are
/// ignored. The naive figure credits the service with every fall, including regression to
/// the mean; deadweight is not applied on top of the DiD figure (Green Book practice).
///
/// # References
/// HM Treasury (2022), *The Green Book*, ch. 5 and annex A2 (additionality, optimism bias,
/// real prices); HM Treasury, GMCA & New Economy (2014), *Supporting public service
/// transformation: cost benefit analysis guidance for local partnerships*; Barnett, van der
/// Pols & Dobson (2005), Int J Epidemiol 34:215–220 (regression to the mean); Angrist &
/// Pischke (2009), *Mostly Harmless Econometrics*, ch. 5 (difference in differences); Efron &
/// Tibshirani (1993), *An Introduction to the Bootstrap*, ch. 13. Checked against pandas/numpy
/// in tests/reference/value_reference.py.
pub fn cost_avoidance(data: &Dataset, config: &ValueConfig) -> Result<CostAvoidance, ValueError> {
    check_settings(config)?;
    let prices = resolve_prices(config)?;
    let tracked = tracked_event_types(config, &prices);
    let k_types = tracked.len();
    let stride = 2 + 2 * k_types;

    let earliest_event = data.events.date.iter().min().copied();
    let Some(earliest_event) = earliest_event else {
        return Err(ValueError::NoEvents);
    };
    let history_start = config.history_start.unwrap_or(earliest_event);
    let history_day = history_start.num_days_from_ce();
    let reference_date = config
        .reference_date
        .ok_or_else(|| ValueError::InvalidSetting {
            setting: "reference_date".into(),
            reason: "no reference date: give the data's extraction date".into(),
        })?;
    let reference_day = reference_date.num_days_from_ce();

    let mut cohorts = analysed_people(data, config, history_day, reference_day);
    if cohorts.counts.service_analysed == 0 {
        return Err(ValueError::NoAnalysablePeople);
    }
    let buckets = bucket_events(data, config, &tracked, &mut cohorts);
    let Cohorts {
        mut counts,
        slots,
        pathway_labels,
        ..
    } = cohorts;
    let n_pathways = pathway_labels.len();
    count_event_patterns(&mut counts, &slots, &buckets.rows, k_types);
    // Pricing everyone from empty windows would print "£0 (95% CI £0 to £0)" as a result.
    if counts.service_without_counted_events == counts.service_analysed {
        return Err(ValueError::NoCountedEvents {
            people: counts.service_analysed,
            events_without_person: counts.events_without_person,
        });
    }

    // --- Point estimates and the bootstrap, on per-person aggregates.
    let people = PeopleByCohort::of(&slots);
    let pathway_names: Vec<String> = pathway_labels
        .iter()
        .map(|label| data.text.text(*label).to_string())
        .collect();
    let service_rates = resolve_service_costs(config, &pathway_names, prices.currency.as_deref())?;
    let factor = config.attribution_percent / 100.0 * (1.0 - config.optimism_bias_percent / 100.0);
    let model = Model {
        k_types,
        stride,
        prices: tracked.iter().map(|t| t.price).collect(),
        service_rates: service_rates.iter().map(|r| r.map(|r| r.0)).collect(),
        factor,
        has_comparison: !people.comparison.is_empty(),
    };
    let rows = &buckets.rows;
    let mut sums = Sums::of(&model, n_pathways, rows, &slots, &people, |_| true);
    let point = model.evaluate(&sums);
    let point_sums = sums.clone();
    let without_eventless = (counts.service_without_counted_events > 0)
        .then(|| headline_without_eventless(&model, n_pathways, rows, &slots, &people));
    let intervals = bootstrap(
        &model,
        rows,
        &slots,
        &people.service,
        &people.comparison,
        config,
        &mut sums,
    );

    // --- Assemble the result in the order `Point::flatten` wrote the statistics.
    let mut cis = intervals.into_iter();
    let naive = point.naive.build(&mut cis);
    let mut by_event_type = event_type_results(&model, &tracked, &point, &point_sums, &mut cis);
    let mut by_pathway = pathway_results(
        &model,
        &tracked,
        &point,
        &point_sums,
        &slots,
        &people,
        &pathway_names,
        &service_rates,
        &mut cis,
    );
    let difference_in_differences = point.did.as_ref().map(|(did_value, did_types)| {
        let value = did_value.build(&mut cis);
        add_did_by_type(&model, &point_sums, &mut by_event_type, did_types, &mut cis);
        DifferenceInDifferences {
            n_service: people.service.len(),
            n_comparison: people.comparison.len(),
            value,
        }
    });
    by_pathway.sort_by(|a, b| a.pathway.cmp(&b.pathway));

    let over_time = time_profile(
        &model,
        &point_sums,
        &buckets.month_exposure,
        &buckets.month_units,
        config.post_months as usize,
    );
    let regression_to_the_mean = rtm_check(
        config,
        &tracked,
        &buckets.recent_units,
        &buckets.earlier_units,
        buckets.recent_exposure,
        buckets.earlier_exposure,
    );
    let settings = settings_used(config, reference_date, history_start, factor);
    let assumptions = assumptions(config, &settings);
    let warnings = warnings(
        config,
        &prices,
        &tracked,
        model.has_comparison,
        &regression_to_the_mean,
        &by_pathway,
        &pathway_names,
        &service_rates,
    );
    Ok(CostAvoidance {
        currency: prices.currency.clone(),
        price_year: prices.price_year.clone(),
        settings,
        people: counts,
        naive,
        difference_in_differences,
        by_event_type,
        by_pathway,
        over_time,
        regression_to_the_mean,
        unit_costs: prices.used.clone(),
        assumptions,
        warnings,
        headline_without_eventless: without_eventless,
    })
}

/// The analysed people of each cohort, as indices into the slots.
struct PeopleByCohort {
    service: Vec<u32>,
    comparison: Vec<u32>,
}

impl PeopleByCohort {
    fn of(slots: &[Slot]) -> PeopleByCohort {
        let of_cohort = |cohort: Cohort| {
            slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.cohort == cohort)
                .map(|(i, _)| i as u32)
                .collect()
        };
        PeopleByCohort {
            service: of_cohort(Cohort::Service),
            comparison: of_cohort(Cohort::Comparison),
        }
    }
}

/// What the people with no counted event at all do to the figure: the headline from the same
/// sums without them (they add exposure but no use, so they move the rates).
fn headline_without_eventless(
    model: &Model,
    n_pathways: usize,
    rows: &[f64],
    slots: &[Slot],
    people: &PeopleByCohort,
) -> Money {
    let without = Sums::of(model, n_pathways, rows, slots, people, |idx| {
        has_counted_events(rows, idx as usize, model.k_types)
    });
    let point = model.evaluate(&without);
    Money(
        point
            .did
            .as_ref()
            .map_or(point.naive.adjusted, |(did, _)| did.adjusted),
    )
}

/// Per event type: service use, the standardised pre rate and the avoided units and money
/// (two intervals each from `cis`).
fn event_type_results(
    model: &Model,
    tracked: &[TrackedType],
    point: &Point,
    point_sums: &Sums,
    cis: &mut impl Iterator<Item = Option<Interval<f64>>>,
) -> Vec<EventTypeResult> {
    let mut by_event_type: Vec<EventTypeResult> = Vec::with_capacity(model.k_types);
    for (t, (tracked_type, type_point)) in tracked.iter().zip(&point.types).enumerate() {
        let service = point_sums.service_use(model, t);
        let e_post_t = point_sums.service_post_exposure(model);
        let standardised =
            (e_post_t > 0.0).then(|| point_sums.standardised_pre_units(model, t) / e_post_t);
        let avoided_units = estimate(type_point.units, cis.next().flatten());
        let gross_ci = cis.next().flatten();
        by_event_type.push(EventTypeResult {
            event_type: tracked_type.name.clone(),
            unit: tracked_type.unit.clone(),
            unit_cost: tracked_type.price.map(Money),
            unit_cost_is_estimate: tracked_type.estimate,
            service,
            service_pre_rate_standardised: standardised,
            avoided_units,
            gross_avoided: type_point.gross.map(|g| money(g, gross_ci)),
            comparison: None,
            did_rate_change: None,
            did_avoided_units: None,
            did_gross_avoided: None,
        });
    }
    by_event_type
}

/// Per pathway: people, person-months, rates by event type and the value summary.
#[allow(clippy::too_many_arguments)]
fn pathway_results(
    model: &Model,
    tracked: &[TrackedType],
    point: &Point,
    point_sums: &Sums,
    slots: &[Slot],
    people: &PeopleByCohort,
    pathway_names: &[String],
    service_rates: &[Option<Money>],
    cis: &mut impl Iterator<Item = Option<Interval<f64>>>,
) -> Vec<PathwayResult> {
    let k_types = model.k_types;
    let mut by_pathway: Vec<PathwayResult> = Vec::with_capacity(point.pathways.len());
    for (k, value_point) in point.pathways.iter().enumerate() {
        let n_people = people
            .service
            .iter()
            .filter(|s| slots.get(**s as usize).map(|s| s.pathway) == Some(k))
            .count();
        let row = point_sums.pathway_row(model, k);
        let (e_pre, e_post) = (row.first().copied(), row.get(1).copied());
        let (e_pre, e_post) = (e_pre.unwrap_or(0.0), e_post.unwrap_or(0.0));
        by_pathway.push(PathwayResult {
            pathway: pathway_names.get(k).cloned().unwrap_or_default(),
            n_people,
            pre_person_months: e_pre,
            post_person_months: e_post,
            service_cost_per_person_month: service_rates.get(k).copied().flatten(),
            by_event_type: tracked
                .iter()
                .enumerate()
                .map(|(t, tt)| {
                    let pre = row.get(2 + t).copied().unwrap_or(0.0);
                    let post = row.get(2 + k_types + t).copied().unwrap_or(0.0);
                    PathwayEventType {
                        event_type: tt.name.clone(),
                        pre_rate: ratio(pre, e_pre),
                        post_rate: ratio(post, e_post),
                        avoided_units: avoided(pre, e_pre, post, e_post),
                    }
                })
                .collect(),
            value: value_point.build(cis),
        });
    }
    by_pathway
}

/// Adds the difference-in-differences figures to each event type's result (two intervals
/// each from `cis`).
fn add_did_by_type(
    model: &Model,
    point_sums: &Sums,
    by_event_type: &mut [EventTypeResult],
    did_types: &[TypePoint],
    cis: &mut impl Iterator<Item = Option<Interval<f64>>>,
) {
    let e_post_t = point_sums.service_post_exposure(model);
    for (t, (result, type_point)) in by_event_type.iter_mut().zip(did_types).enumerate() {
        let comparison = point_sums.comparison_use(model, t);
        let change_t = match (
            result.service.post_rate,
            result.service_pre_rate_standardised,
        ) {
            (Some(post), Some(pre)) => Some(post - pre),
            _ => None,
        };
        let change_c = match (comparison.post_rate, comparison.pre_rate) {
            (Some(post), Some(pre)) => Some(post - pre),
            _ => None,
        };
        result.did_rate_change = change_t.zip(change_c).map(|(a, b)| a - b);
        let units_ci = cis.next().flatten();
        let gross_ci = cis.next().flatten();
        result.did_avoided_units = (e_post_t > 0.0).then(|| estimate(type_point.units, units_ci));
        result.did_gross_avoided = type_point.gross.map(|g| money(g, gross_ci));
        result.comparison = Some(comparison);
    }
}

/// The settings the figures were worked out under, as the report states them.
fn settings_used(
    config: &ValueConfig,
    reference_date: NaiveDate,
    history_start: NaiveDate,
    factor: f64,
) -> Settings {
    Settings {
        pre_months: config.pre_months,
        post_months: config.post_months,
        min_pre_months: config.min_pre_months,
        reference_date,
        history_start,
        history_start_from_data: config.history_start.is_none(),
        person_month_days: DAYS_PER_MONTH,
        attribution_percent: config.attribution_percent,
        optimism_bias_percent: config.optimism_bias_percent,
        adjustment_factor: factor,
        bootstrap_resamples: config.bootstrap_resamples,
        seed: config.seed,
        confidence: CONFIDENCE,
        interval_method: "bootstrap percentile (Hyndman & Fan type 7, numpy 'linear'); people \
                          resampled with replacement, within each cohort for DiD"
            .into(),
    }
}

impl CostAvoidance {
    /// The statements that count people (who was left out and why, signs of missing history),
    /// with the counts shown under `d`: exact on the user's screen, disclosure-controlled in
    /// every export.
    pub fn people_notes(&self, d: crate::disclosure::Disclosure) -> Vec<String> {
        let p = &self.people;
        let n = |count: usize| d.count(count as u64);
        let cur = self.currency.as_deref();
        let mut out = Vec::new();
        if p.excluded_no_pre_history > 0 {
            out.push(format!(
                "{} people started before the event history begins, or less than {} months \
                 after it: not in the before/after figure (they would be priced from empty \
                 windows).",
                n(p.excluded_no_pre_history),
                self.settings.min_pre_months
            ));
        }
        if p.excluded_no_post_time > 0 {
            out.push(format!(
                "{} people had no time in service by the reference date: not in the figure.",
                n(p.excluded_no_post_time)
            ));
        }
        if p.pre_window_clipped > 0 {
            out.push(format!(
                "{} people started less than {} months after the event history begins: their \
                 pre window was shortened to start then.",
                n(p.pre_window_clipped),
                self.settings.pre_months
            ));
        }
        if p.service_without_counted_events > 0 {
            let effect = self
                .headline_without_eventless
                .map(|without| {
                    format!(
                        " The headline figure is {} with them and would be {} without them.",
                        self.headline().estimate.value.format(cur),
                        without.format(cur)
                    )
                })
                .unwrap_or_default();
            out.push(format!(
                "{} people in the figure have no counted event before or after their start: \
                 they are priced as using no services. If their events are missing from the \
                 export, the figure is wrong; check the data-quality view.{effect}",
                n(p.service_without_counted_events)
            ));
        }
        if p.service_with_post_events_only > 0
            && p.service_with_post_events_only * 4 >= p.service_analysed.max(1)
        {
            out.push(format!(
                "{} of {} people in the figure have counted events after their start but none \
                 before: if the export only records events from referral, their use before \
                 support is missing and the figure understates what was avoided.",
                n(p.service_with_post_events_only),
                n(p.service_analysed)
            ));
        }
        out
    }
}
