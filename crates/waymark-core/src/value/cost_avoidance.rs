//! Cost avoidance: service use before and after the start of support, priced, set against the
//! cost of the service, with a difference-in-differences figure when a comparison cohort exists.
//!
//! # How it runs
//! One pass over the events table buckets each event's units by (person, event type, window),
//! plus by month since start for the time profile. Everything after that, including every
//! bootstrap resample, works on per-person aggregates only (the events are never re-read), so
//! a million events cost one linear scan.

use super::unit_costs::{uplift, UnitCost};
use super::{Estimate, Interval, Money, ValueConfig, ValueError};
use crate::model::DAYS_PER_MONTH;
use crate::model::{normalise_header, Cohort, Dataset, Label, PersonKey};
use crate::stats::bootstrap::{percentile_interval, Resampler};
use chrono::{Datelike, Months, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

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

// ---------------------------------------------------------------------------------------
// The analysis
// ---------------------------------------------------------------------------------------

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
    let Buckets {
        rows,
        month_exposure,
        month_units,
        recent_units,
        earlier_units,
        recent_exposure,
        earlier_exposure,
    } = buckets;
    let n_pathways = pathway_labels.len();
    let n_months = config.post_months as usize;
    count_event_patterns(&mut counts, &slots, &rows, k_types);
    // Pricing everyone from empty windows would print "£0 (95% CI £0 to £0)" as a result.
    if counts.service_without_counted_events == counts.service_analysed {
        return Err(ValueError::NoCountedEvents {
            people: counts.service_analysed,
            events_without_person: counts.events_without_person,
        });
    }

    // --- Point estimates and the bootstrap, on per-person aggregates.
    let service_slots: Vec<u32> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.cohort == Cohort::Service)
        .map(|(i, _)| i as u32)
        .collect();
    let comparison_slots: Vec<u32> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.cohort == Cohort::Comparison)
        .map(|(i, _)| i as u32)
        .collect();
    let has_comparison = !comparison_slots.is_empty();

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
        has_comparison,
    };

    let mut sums = Sums::new(&model, n_pathways);
    for idx in &service_slots {
        sums.add_service(&model, &rows, &slots, *idx);
    }
    for idx in &comparison_slots {
        sums.add_comparison(&model, &rows, *idx);
    }
    let point = model.evaluate(&sums);
    let point_sums = sums.clone();
    // What the people with no counted event at all do to the figure: the same sums without
    // them (they add exposure but no use, so they move the rates).
    let without_eventless = (counts.service_without_counted_events > 0).then(|| {
        let mut without = Sums::new(&model, n_pathways);
        for idx in &service_slots {
            if has_counted_events(&rows, *idx as usize, k_types) {
                without.add_service(&model, &rows, &slots, *idx);
            }
        }
        for idx in &comparison_slots {
            without.add_comparison(&model, &rows, *idx);
        }
        let point = model.evaluate(&without);
        Money(
            point
                .did
                .as_ref()
                .map_or(point.naive.adjusted, |(did, _)| did.adjusted),
        )
    });

    let intervals = bootstrap(
        &model,
        &rows,
        &slots,
        &service_slots,
        &comparison_slots,
        config,
        &mut sums,
    );
    let mut cis = intervals.into_iter();

    // --- Assemble the result in the order `Point::flatten` wrote the statistics.
    let naive = point.naive.build(&mut cis);
    let mut by_event_type: Vec<EventTypeResult> = Vec::with_capacity(k_types);
    for (t, (tracked_type, type_point)) in tracked.iter().zip(&point.types).enumerate() {
        let service = point_sums.service_use(&model, t);
        let e_post_t = point_sums.service_post_exposure(&model);
        let standardised =
            (e_post_t > 0.0).then(|| point_sums.standardised_pre_units(&model, t) / e_post_t);
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
    let mut by_pathway: Vec<PathwayResult> = Vec::with_capacity(n_pathways);
    for (k, value_point) in point.pathways.iter().enumerate() {
        let n_people = service_slots
            .iter()
            .filter(|s| slots.get(**s as usize).map(|s| s.pathway) == Some(k))
            .count();
        let row = point_sums.pathway_row(&model, k);
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
            value: value_point.build(&mut cis),
        });
    }
    let difference_in_differences = match &point.did {
        Some((did_value, did_types)) => {
            let value = did_value.build(&mut cis);
            let e_post_t = point_sums.service_post_exposure(&model);
            for (t, (result, type_point)) in by_event_type.iter_mut().zip(did_types).enumerate() {
                let comparison = point_sums.comparison_use(&model, t);
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
                result.did_avoided_units =
                    (e_post_t > 0.0).then(|| estimate(type_point.units, units_ci));
                result.did_gross_avoided = type_point.gross.map(|g| money(g, gross_ci));
                result.comparison = Some(comparison);
            }
            Some(DifferenceInDifferences {
                n_service: service_slots.len(),
                n_comparison: comparison_slots.len(),
                value,
            })
        }
        None => None,
    };
    by_pathway.sort_by(|a, b| a.pathway.cmp(&b.pathway));

    let over_time = time_profile(&model, &point_sums, &month_exposure, &month_units, n_months);
    let regression_to_the_mean = rtm_check(
        config,
        &tracked,
        &recent_units,
        &earlier_units,
        recent_exposure,
        earlier_exposure,
    );

    let settings = Settings {
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
    };
    let assumptions = assumptions(config, &settings);
    let warnings = warnings(
        config,
        &prices,
        &tracked,
        has_comparison,
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

/// Whether the person in slot `idx` has any counted event in either window.
fn has_counted_events(rows: &[f64], idx: usize, k_types: usize) -> bool {
    let stride = 2 + 2 * k_types;
    rows.get(idx * stride + 2..(idx + 1) * stride)
        .is_some_and(|units| units.iter().any(|u| *u > 0.0))
}

/// Counts the analysed service-cohort people whose counted events suggest missing history:
/// none in either window, or some after start and none before.
fn count_event_patterns(counts: &mut PeopleCounts, slots: &[Slot], rows: &[f64], k_types: usize) {
    let stride = 2 + 2 * k_types;
    for (slot, row) in slots.iter().zip(rows.chunks_exact(stride)) {
        if slot.cohort != Cohort::Service {
            continue;
        }
        let pre: f64 = row.iter().skip(2).take(k_types).sum();
        let post: f64 = row.iter().skip(2 + k_types).take(k_types).sum();
        match (pre > 0.0, post > 0.0) {
            (false, false) => counts.service_without_counted_events += 1,
            (false, true) => counts.service_with_post_events_only += 1,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// People and the pass over events
// ---------------------------------------------------------------------------------------

/// The analysed people: their windows, in data order, with the pathways of the service cohort.
struct Cohorts {
    counts: PeopleCounts,
    slot_of: FxHashMap<PersonKey, u32>,
    /// Everyone in the people table, analysed or not.
    seen: FxHashSet<PersonKey>,
    slots: Vec<Slot>,
    /// start + m months for m = 0..=post_months, per slot, at `Slot::months_at`.
    boundaries: Vec<i32>,
    pathway_labels: Vec<Label>,
}

fn analysed_people(
    data: &Dataset,
    config: &ValueConfig,
    history_day: i32,
    reference_day: i32,
) -> Cohorts {
    let mut counts = PeopleCounts::default();
    let mut slot_of: FxHashMap<PersonKey, u32> = FxHashMap::default();
    let mut seen: FxHashSet<PersonKey> = FxHashSet::default();
    let mut slots: Vec<Slot> = Vec::new();
    let mut boundaries: Vec<i32> = Vec::new();
    let mut pathway_index: FxHashMap<Label, usize> = FxHashMap::default();
    let mut pathway_labels: Vec<Label> = Vec::new();
    let people = &data.people;
    for (row, person) in people.person.iter().enumerate() {
        if !seen.insert(*person) {
            continue; // ingestion rejects duplicate people; keep the first row regardless
        }
        let (Some(start), Some(pathway), Some(cohort)) = (
            people.start_date.get(row),
            people.pathway.get(row),
            people.cohort.get(row),
        ) else {
            continue;
        };
        let end = people.end_date.get(row).copied().flatten();
        let Some(window) = person_window(*start, end, config, history_day, reference_day) else {
            counts.excluded_no_post_time += 1;
            continue;
        };
        if window.pre_lo >= window.start || window.pre_lo > window.min_pre_lo {
            counts.excluded_no_pre_history += 1;
            continue;
        }
        if window.clipped {
            counts.pre_window_clipped += 1;
        }
        let pathway_idx = match cohort {
            Cohort::Service => *pathway_index.entry(*pathway).or_insert_with(|| {
                pathway_labels.push(*pathway);
                pathway_labels.len() - 1
            }),
            Cohort::Comparison => 0,
        };
        let offset = boundaries.len();
        boundaries.extend_from_slice(&window.months);
        slot_of.insert(*person, slots.len() as u32);
        slots.push(Slot {
            cohort: *cohort,
            pathway: pathway_idx,
            start: window.start,
            pre_lo: window.pre_lo,
            recent_lo: window.recent_lo,
            post_hi: window.post_hi,
            months_at: offset,
        });
        match cohort {
            Cohort::Service => counts.service_analysed += 1,
            Cohort::Comparison => counts.comparison_analysed += 1,
        }
    }
    Cohorts {
        counts,
        slot_of,
        seen,
        slots,
        boundaries,
        pathway_labels,
    }
}

/// Per-person totals and the service cohort's month and regression-to-the-mean tallies.
struct Buckets {
    /// Per slot, `stride` values: [pre person-months, post person-months, pre units by type,
    /// post units by type].
    rows: Vec<f64>,
    /// Service person-months by (pathway, month since start).
    month_exposure: Vec<f64>,
    /// Service post units by (pathway, month since start, type).
    month_units: Vec<f64>,
    recent_units: Vec<f64>,
    earlier_units: Vec<f64>,
    recent_exposure: f64,
    earlier_exposure: f64,
}

/// Exposure per person, then the one pass over the events.
fn bucket_events(
    data: &Dataset,
    config: &ValueConfig,
    tracked: &[TrackedType],
    cohorts: &mut Cohorts,
) -> Buckets {
    let k_types = tracked.len();
    let stride = 2 + 2 * k_types;
    let n_pathways = cohorts.pathway_labels.len();
    let n_months = config.post_months as usize;
    let month_stride = n_months + 1;
    let (slots, boundaries) = (&cohorts.slots, &cohorts.boundaries);
    let (slot_of, seen, counts) = (&cohorts.slot_of, &cohorts.seen, &mut cohorts.counts);
    let mut rows = vec![0.0f64; slots.len() * stride];
    let mut month_exposure = vec![0.0f64; n_pathways * n_months];
    let (mut recent_exposure, mut earlier_exposure) = (0.0f64, 0.0f64);
    for (slot, row) in slots.iter().zip(rows.chunks_exact_mut(stride)) {
        if let [pre, post, ..] = row {
            *pre = f64::from(slot.start - slot.pre_lo) / DAYS_PER_MONTH;
            *post = f64::from(slot.post_hi - slot.start) / DAYS_PER_MONTH;
        }
        if slot.cohort != Cohort::Service {
            continue;
        }
        let recent_from = slot.recent_lo.max(slot.pre_lo);
        recent_exposure += f64::from(slot.start - recent_from) / DAYS_PER_MONTH;
        earlier_exposure += f64::from((recent_from - slot.pre_lo).max(0)) / DAYS_PER_MONTH;
        let bounds = boundaries
            .get(slot.months_at..slot.months_at + month_stride)
            .unwrap_or(&[]);
        let exposure = month_exposure
            .get_mut(slot.pathway * n_months..(slot.pathway + 1) * n_months)
            .unwrap_or(&mut []);
        for (pair, cell) in bounds.windows(2).zip(exposure.iter_mut()) {
            if let [from, to] = pair {
                let days = ((*to).min(slot.post_hi) - (*from).max(slot.start)).max(0);
                *cell += f64::from(days) / DAYS_PER_MONTH;
            }
        }
    }

    // --- The one pass over events.
    let mut month_units = vec![0.0f64; n_pathways * n_months * k_types];
    let mut recent_units = vec![0.0f64; k_types];
    let mut earlier_units = vec![0.0f64; k_types];
    let mut type_of: FxHashMap<Label, Option<usize>> = FxHashMap::default();
    let mut last_person: Option<(PersonKey, Option<u32>, bool)> = None;
    let mut last_type: Option<(Label, Option<usize>)> = None;
    let events = &data.events;
    for (((person, date), event_type), quantity) in events
        .person
        .iter()
        .zip(&events.date)
        .zip(&events.event_type)
        .zip(&events.quantity)
    {
        let (slot_idx, known) = match last_person {
            Some((key, slot, known)) if key == *person => (slot, known),
            _ => {
                let found = slot_of.get(person).copied();
                let known = found.is_some() || seen.contains(person);
                last_person = Some((*person, found, known));
                (found, known)
            }
        };
        if !known {
            counts.events_without_person += 1;
        }
        let Some(slot_idx) = slot_idx else { continue };
        let type_idx = match last_type {
            Some((label, idx)) if label == *event_type => idx,
            _ => {
                let idx = *type_of.entry(*event_type).or_insert_with(|| {
                    let key = normalise_header(data.text.text(*event_type));
                    tracked.iter().position(|t| t.key == key)
                });
                last_type = Some((*event_type, idx));
                idx
            }
        };
        let Some(type_idx) = type_idx else { continue };
        let units = f64::from(*quantity);
        if !(units.is_finite() && units >= 0.0) {
            counts.events_bad_quantity += 1;
            continue;
        }
        let Some(slot) = slots.get(slot_idx as usize) else {
            continue;
        };
        let day = date.num_days_from_ce();
        let base = slot_idx as usize * stride;
        if day < slot.start {
            if day < slot.pre_lo {
                continue;
            }
            add(&mut rows, base + 2 + type_idx, units);
            if slot.cohort == Cohort::Service {
                let bucket = if day >= slot.recent_lo {
                    &mut recent_units
                } else {
                    &mut earlier_units
                };
                add(bucket, type_idx, units);
            }
        } else if day < slot.post_hi {
            add(&mut rows, base + 2 + k_types + type_idx, units);
            if slot.cohort == Cohort::Service {
                let bounds = boundaries
                    .get(slot.months_at + 1..slot.months_at + month_stride)
                    .unwrap_or(&[]);
                let month = bounds.iter().position(|b| day < *b).unwrap_or(0);
                let at = (slot.pathway * n_months + month) * k_types + type_idx;
                add(&mut month_units, at, units);
            }
        }
    }

    Buckets {
        rows,
        month_exposure,
        month_units,
        recent_units,
        earlier_units,
        recent_exposure,
        earlier_exposure,
    }
}

// ---------------------------------------------------------------------------------------
// Settings, prices and event types
// ---------------------------------------------------------------------------------------

fn invalid(setting: &str, reason: String) -> ValueError {
    ValueError::InvalidSetting {
        setting: setting.to_string(),
        reason,
    }
}

pub(super) fn check_settings(config: &ValueConfig) -> Result<(), ValueError> {
    for (name, months) in [
        ("pre_months", config.pre_months),
        ("post_months", config.post_months),
    ] {
        if !(1..=LARGEST_WINDOW_MONTHS).contains(&months) {
            return Err(invalid(
                name,
                format!("must be 1 to {LARGEST_WINDOW_MONTHS} months, found {months}"),
            ));
        }
    }
    if config.min_pre_months > config.pre_months {
        return Err(invalid(
            "min_pre_months",
            format!(
                "must be at most pre_months ({}), found {}",
                config.pre_months, config.min_pre_months
            ),
        ));
    }
    for (name, value) in [
        ("attribution_percent", config.attribution_percent),
        ("optimism_bias_percent", config.optimism_bias_percent),
    ] {
        if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
            return Err(invalid(name, format!("must be 0 to 100, found {value}")));
        }
    }
    if config.bootstrap_resamples > LARGEST_RESAMPLES {
        return Err(invalid(
            "bootstrap_resamples",
            format!(
                "at most {LARGEST_RESAMPLES}, found {}",
                config.bootstrap_resamples
            ),
        ));
    }
    if !(config.rtm_ratio_threshold.is_finite() && config.rtm_ratio_threshold >= 1.0) {
        return Err(invalid(
            "rtm_ratio_threshold",
            format!(
                "must be a number of 1 or more, found {}",
                config.rtm_ratio_threshold
            ),
        ));
    }
    Ok(())
}

pub(super) struct Prices {
    currency: Option<String>,
    price_year: Option<String>,
    used: Vec<UnitCostUsed>,
}

pub(super) fn resolve_prices(config: &ValueConfig) -> Result<Prices, ValueError> {
    let currency = config.unit_costs.validate()?;
    let mut used = Vec::with_capacity(config.unit_costs.rows.len());
    for row in &config.unit_costs.rows {
        let uplifted = match &config.analysis_year {
            Some(year) => uplift(row.price, &row.price_year, year, &config.price_index)?,
            None => row.price,
        };
        used.push(UnitCostUsed {
            event_type: row.event_type.clone(),
            unit: row.unit.clone(),
            price: Money(row.price),
            price_year: row.price_year.clone(),
            uplifted_price: Money(uplifted),
            source: row.source.clone(),
            estimate: row.estimate,
            note: row.note.clone(),
        });
    }
    let price_year = match &config.analysis_year {
        Some(year) => Some(year.clone()),
        None => {
            let first = config.unit_costs.rows.first().map(|r| r.price_year.trim());
            let same = config
                .unit_costs
                .rows
                .iter()
                .all(|r| Some(r.price_year.trim()) == first);
            if same {
                first.map(str::to_string)
            } else {
                None
            }
        }
    };
    Ok(Prices {
        currency,
        price_year,
        used,
    })
}

/// Service cost per person-month for each service pathway (uplifted), in pathway index order.
fn resolve_service_costs(
    config: &ValueConfig,
    pathways: &[String],
    currency: Option<&str>,
) -> Result<Vec<Option<Money>>, ValueError> {
    let mut keys: Vec<String> = Vec::new();
    for cost in &config.service_costs {
        let key = normalise_header(&cost.pathway);
        if keys.contains(&key) {
            return Err(ValueError::DuplicateServiceCost {
                pathway: cost.pathway.clone(),
            });
        }
        keys.push(key);
        if !(cost.cost_per_person_month.is_finite() && cost.cost_per_person_month >= 0.0) {
            return Err(invalid(
                "service_costs",
                format!(
                    "cost per person-month for `{}` must be 0 or more, found {}",
                    cost.pathway, cost.cost_per_person_month
                ),
            ));
        }
        if let Some(expected) = currency {
            if !expected.eq_ignore_ascii_case(cost.currency.trim()) {
                return Err(ValueError::MixedCurrencies {
                    expected: expected.to_string(),
                    found: cost.currency.trim().to_string(),
                });
            }
        }
    }
    pathways
        .iter()
        .map(|pathway| {
            let key = normalise_header(pathway);
            let Some(cost) = config
                .service_costs
                .iter()
                .find(|c| normalise_header(&c.pathway) == key)
            else {
                return Ok(None);
            };
            let rate = match (&cost.price_year, &config.analysis_year) {
                (Some(from), Some(to)) => {
                    uplift(cost.cost_per_person_month, from, to, &config.price_index)?
                }
                _ => cost.cost_per_person_month,
            };
            Ok(Some(Money(rate)))
        })
        .collect()
}

/// An event type the analysis counts.
struct TrackedType {
    name: String,
    key: String,
    unit: Option<String>,
    price: Option<f64>,
    estimate: bool,
}

/// The counted types, then any priced type not already listed.
fn tracked_event_types(config: &ValueConfig, prices: &Prices) -> Vec<TrackedType> {
    let mut tracked: Vec<TrackedType> = Vec::new();
    let names = config
        .counted_event_types
        .iter()
        .chain(config.unit_costs.rows.iter().map(|row| &row.event_type));
    for name in names {
        let key = normalise_header(name);
        if key.is_empty() || tracked.iter().any(|t| t.key == key) {
            continue;
        }
        let row: Option<(&UnitCost, &UnitCostUsed)> = config
            .unit_costs
            .rows
            .iter()
            .zip(&prices.used)
            .find(|(row, _)| normalise_header(&row.event_type) == key);
        tracked.push(TrackedType {
            name: name.trim().to_string(),
            key,
            unit: row.map(|(r, _)| r.unit.clone()),
            price: row.map(|(_, used)| used.uplifted_price.0),
            estimate: row.is_some_and(|(r, _)| r.estimate),
        });
    }
    tracked
}

// ---------------------------------------------------------------------------------------
// People's windows
// ---------------------------------------------------------------------------------------

struct Slot {
    cohort: Cohort,
    pathway: usize,
    start: i32,
    pre_lo: i32,
    recent_lo: i32,
    post_hi: i32,
    months_at: usize,
}

struct Window {
    start: i32,
    /// First day of the pre window after clipping to history_start.
    pre_lo: i32,
    clipped: bool,
    /// The latest first day of a usable pre window: start − `min_pre_months`.
    min_pre_lo: i32,
    recent_lo: i32,
    /// First day after the post exposure.
    post_hi: i32,
    /// start + m calendar months for m = 0..=post_months (day numbers).
    months: Vec<i32>,
}

/// The person's windows as day numbers; `None` when there is no post-start time.
fn person_window(
    start: NaiveDate,
    end: Option<NaiveDate>,
    config: &ValueConfig,
    history_day: i32,
    reference_day: i32,
) -> Option<Window> {
    let start_day = start.num_days_from_ce();
    let pre_lo_raw = start
        .checked_sub_months(Months::new(config.pre_months))?
        .num_days_from_ce();
    let recent_lo = start
        .checked_sub_months(Months::new(RTM_RECENT_MONTHS))?
        .num_days_from_ce();
    let min_pre_lo = start
        .checked_sub_months(Months::new(config.min_pre_months))?
        .num_days_from_ce();
    let months: Vec<i32> = (0..=config.post_months)
        .map(|m| {
            start
                .checked_add_months(Months::new(m))
                .map(|d| d.num_days_from_ce())
        })
        .collect::<Option<Vec<i32>>>()?;
    let window_end = *months.last()?;
    let mut post_hi = window_end.min(reference_day.saturating_add(1));
    if let Some(end) = end {
        post_hi = post_hi.min(end.num_days_from_ce().saturating_add(1));
    }
    if post_hi <= start_day {
        return None;
    }
    let pre_lo = pre_lo_raw.max(history_day);
    Some(Window {
        start: start_day,
        pre_lo: pre_lo.min(start_day),
        clipped: pre_lo_raw < history_day,
        min_pre_lo,
        recent_lo,
        post_hi,
        months,
    })
}

fn add(values: &mut [f64], at: usize, amount: f64) {
    if let Some(cell) = values.get_mut(at) {
        *cell += amount;
    }
}

fn ratio(units: f64, person_months: f64) -> Option<f64> {
    (person_months > 0.0).then(|| units / person_months)
}

/// (pre rate − post rate) × post person-months; 0 when the group has no time.
fn avoided(pre_units: f64, pre_pm: f64, post_units: f64, post_pm: f64) -> f64 {
    if pre_pm > 0.0 && post_pm > 0.0 {
        pre_units * post_pm / pre_pm - post_units
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------------------
// The statistic, as a function of per-group sums (shared by the estimate and the bootstrap)
// ---------------------------------------------------------------------------------------

/// Row layout (length `stride`): [pre person-months, post person-months, pre units by type,
/// post units by type].
struct Model {
    k_types: usize,
    stride: usize,
    prices: Vec<Option<f64>>,
    service_rates: Vec<Option<f64>>,
    factor: f64,
    has_comparison: bool,
}

#[derive(Clone)]
struct Sums {
    /// One row per service pathway.
    service: Vec<f64>,
    comparison: Vec<f64>,
}

impl Sums {
    fn new(model: &Model, n_pathways: usize) -> Sums {
        Sums {
            service: vec![0.0; n_pathways * model.stride],
            comparison: vec![0.0; model.stride],
        }
    }

    fn add_service(&mut self, model: &Model, rows: &[f64], slots: &[Slot], idx: u32) {
        let idx = idx as usize;
        let Some(slot) = slots.get(idx) else { return };
        let from = idx * model.stride;
        let at = slot.pathway * model.stride;
        if let (Some(src), Some(dst)) = (
            rows.get(from..from + model.stride),
            self.service.get_mut(at..at + model.stride),
        ) {
            for (d, s) in dst.iter_mut().zip(src) {
                *d += s;
            }
        }
    }

    fn add_comparison(&mut self, model: &Model, rows: &[f64], idx: u32) {
        let from = idx as usize * model.stride;
        if let Some(src) = rows.get(from..from + model.stride) {
            for (d, s) in self.comparison.iter_mut().zip(src) {
                *d += s;
            }
        }
    }

    fn pathway_row(&self, model: &Model, k: usize) -> &[f64] {
        self.service
            .get(k * model.stride..(k + 1) * model.stride)
            .unwrap_or(&[])
    }

    fn service_post_exposure(&self, model: &Model) -> f64 {
        self.service
            .chunks_exact(model.stride)
            .filter_map(|row| row.get(1))
            .sum()
    }

    /// Σ_k (P_kt / E_pre,k) × E_post,k: expected post units at each pathway's pre rate.
    fn standardised_pre_units(&self, model: &Model, t: usize) -> f64 {
        self.service
            .chunks_exact(model.stride)
            .map(|row| {
                let e_pre = row.first().copied().unwrap_or(0.0);
                let e_post = row.get(1).copied().unwrap_or(0.0);
                let pre = row.get(2 + t).copied().unwrap_or(0.0);
                if e_pre > 0.0 {
                    pre * e_post / e_pre
                } else {
                    0.0
                }
            })
            .sum()
    }

    fn service_use(&self, model: &Model, t: usize) -> CohortUse {
        let mut total = vec![0.0; model.stride];
        for row in self.service.chunks_exact(model.stride) {
            for (d, s) in total.iter_mut().zip(row) {
                *d += s;
            }
        }
        cohort_use(&total, model.k_types, t)
    }

    fn comparison_use(&self, model: &Model, t: usize) -> CohortUse {
        cohort_use(&self.comparison, model.k_types, t)
    }
}

fn cohort_use(row: &[f64], k_types: usize, t: usize) -> CohortUse {
    let e_pre = row.first().copied().unwrap_or(0.0);
    let e_post = row.get(1).copied().unwrap_or(0.0);
    let pre = row.get(2 + t).copied().unwrap_or(0.0);
    let post = row.get(2 + k_types + t).copied().unwrap_or(0.0);
    CohortUse {
        pre_units: pre,
        pre_person_months: e_pre,
        pre_rate: ratio(pre, e_pre),
        post_units: post,
        post_person_months: e_post,
        post_rate: ratio(post, e_post),
    }
}

struct ValuePoint {
    gross: f64,
    adjusted: f64,
    service_cost: Option<f64>,
    net: Option<f64>,
    roi: Option<f64>,
}

impl ValuePoint {
    fn new(gross: f64, service_cost: Option<f64>, factor: f64) -> ValuePoint {
        let adjusted = gross * factor;
        ValuePoint {
            gross,
            adjusted,
            service_cost,
            net: service_cost.map(|cost| adjusted - cost),
            roi: service_cost
                .filter(|cost| *cost > 0.0)
                .map(|cost| adjusted / cost),
        }
    }

    fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.extend([
            Some(self.gross),
            Some(self.adjusted),
            self.service_cost,
            self.net,
            self.roi,
        ]);
    }

    /// Reads this point's intervals in `flatten` order.
    fn build(&self, cis: &mut impl Iterator<Item = Option<Interval<f64>>>) -> ValueSummary {
        let gross = cis.next().flatten();
        let adjusted = cis.next().flatten();
        let service_cost = cis.next().flatten();
        let net = cis.next().flatten();
        let roi = cis.next().flatten();
        ValueSummary {
            gross_avoided: money(self.gross, gross),
            adjusted_avoided: money(self.adjusted, adjusted),
            service_cost: self.service_cost.map(|v| money(v, service_cost)),
            net_value: self.net.map(|v| money(v, net)),
            return_per_pound_spent: self.roi.map(|v| estimate(v, roi)),
        }
    }
}

struct TypePoint {
    units: f64,
    gross: Option<f64>,
}

impl TypePoint {
    fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.extend([Some(self.units), self.gross]);
    }
}

struct Point {
    naive: ValuePoint,
    types: Vec<TypePoint>,
    pathways: Vec<ValuePoint>,
    did: Option<(ValuePoint, Vec<TypePoint>)>,
}

impl Point {
    /// Every statistic with an interval, in the order the result is assembled.
    fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.clear();
        self.naive.flatten(out);
        for t in &self.types {
            t.flatten(out);
        }
        for p in &self.pathways {
            p.flatten(out);
        }
        if let Some((value, types)) = &self.did {
            value.flatten(out);
            for t in types {
                t.flatten(out);
            }
        }
    }
}

impl Model {
    fn priced_total(&self, units: impl Iterator<Item = f64>) -> f64 {
        units
            .zip(&self.prices)
            .filter_map(|(u, price)| price.map(|p| p * u))
            .sum()
    }

    fn evaluate(&self, sums: &Sums) -> Point {
        let k = self.k_types;
        let mut type_units = vec![0.0; k];
        let mut pathways = Vec::with_capacity(self.service_rates.len());
        let mut e_post_total = 0.0;
        let mut service_cost_total = Some(0.0);
        for (row, rate) in sums
            .service
            .chunks_exact(self.stride)
            .zip(&self.service_rates)
        {
            let (pre_pm, post_pm) = match row {
                [pre, post, ..] => (*pre, *post),
                _ => (0.0, 0.0),
            };
            e_post_total += post_pm;
            let pre_units = row.get(2..2 + k).unwrap_or(&[]);
            let post_units = row.get(2 + k..2 + 2 * k).unwrap_or(&[]);
            let units: Vec<f64> = pre_units
                .iter()
                .zip(post_units)
                .map(|(pre, post)| avoided(*pre, pre_pm, *post, post_pm))
                .collect();
            for (total, u) in type_units.iter_mut().zip(&units) {
                *total += u;
            }
            let gross = self.priced_total(units.into_iter());
            let cost = rate.map(|r| r * post_pm);
            service_cost_total = service_cost_total.zip(cost).map(|(a, b)| a + b);
            pathways.push(ValuePoint::new(gross, cost, self.factor));
        }
        let types: Vec<TypePoint> = type_units
            .iter()
            .zip(&self.prices)
            .map(|(u, price)| TypePoint {
                units: *u,
                gross: price.map(|p| p * u),
            })
            .collect();
        let naive_gross = self.priced_total(type_units.iter().copied());
        let naive = ValuePoint::new(naive_gross, service_cost_total, self.factor);

        let did = self.has_comparison.then(|| {
            let c = &sums.comparison;
            let (pre_pm, post_pm) = match c.as_slice() {
                [pre, post, ..] => (*pre, *post),
                _ => (0.0, 0.0),
            };
            let did_units: Vec<f64> = type_units
                .iter()
                .enumerate()
                .map(|(t, naive_units)| {
                    let pre = c.get(2 + t).copied().unwrap_or(0.0);
                    let post = c.get(2 + k + t).copied().unwrap_or(0.0);
                    let fall = match (ratio(pre, pre_pm), ratio(post, post_pm)) {
                        (Some(before), Some(after)) => before - after,
                        _ => 0.0,
                    };
                    naive_units - fall * e_post_total
                })
                .collect();
            let gross = self.priced_total(did_units.iter().copied());
            let types = did_units
                .iter()
                .zip(&self.prices)
                .map(|(u, price)| TypePoint {
                    units: *u,
                    gross: price.map(|p| p * u),
                })
                .collect();
            (
                ValuePoint::new(gross, service_cost_total, self.factor),
                types,
            )
        });
        Point {
            naive,
            types,
            pathways,
            did,
        }
    }
}

/// Percentile intervals for every statistic in `Point::flatten` order; `None` where the
/// bootstrap is off or a resample left the statistic undefined.
///
/// Each resample draws n indices with replacement per cohort, counts how often each person
/// was drawn, and forms the groups' sums as count-weighted sums over column-major per-person
/// totals: the same sums as adding the drawn rows one by one, but over contiguous memory.
fn bootstrap(
    model: &Model,
    rows: &[f64],
    slots: &[Slot],
    service_slots: &[u32],
    comparison_slots: &[u32],
    config: &ValueConfig,
    sums: &mut Sums,
) -> Vec<Option<Interval<f64>>> {
    let mut flat = Vec::new();
    model.evaluate(sums).flatten(&mut flat);
    let n_stats = flat.len();
    let resamples = config.bootstrap_resamples as usize;
    if resamples == 0 {
        return vec![None; n_stats];
    }
    let n_pathways = sums.service.len() / model.stride.max(1);
    let pathway_of = |idx: u32| slots.get(idx as usize).map_or(0, |s| s.pathway);
    let service = Columns::new(rows, model.stride, service_slots, pathway_of, n_pathways);
    let comparison = Columns::new(rows, model.stride, comparison_slots, |_| 0, 1);
    let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); n_stats];
    let mut defined = vec![true; n_stats];
    let mut resampler = Resampler::new(config.seed);
    let mut service_weights = Weights::new(service.n_people);
    let mut comparison_weights = Weights::new(comparison.n_people);
    for _ in 0..resamples {
        service_weights.draw(&mut resampler);
        service.weighted_sums(&service_weights.weights, &mut sums.service);
        if model.has_comparison {
            comparison_weights.draw(&mut resampler);
            comparison.weighted_sums(&comparison_weights.weights, &mut sums.comparison);
        }
        model.evaluate(sums).flatten(&mut flat);
        for ((value, column), ok) in flat.iter().zip(&mut columns).zip(&mut defined) {
            match value {
                Some(v) if v.is_finite() => column.push(*v),
                _ => *ok = false,
            }
        }
    }
    columns
        .iter()
        .zip(&defined)
        .map(|(column, ok)| {
            ok.then(|| percentile_interval(column, CONFIDENCE))
                .flatten()
                .map(|ci| Interval {
                    lower: ci.lower,
                    upper: ci.upper,
                })
        })
        .collect()
}

/// How many times each person was drawn in one resample (whole numbers, exact in f32 up to
/// 2^24 people).
struct Weights {
    weights: Vec<f32>,
}

impl Weights {
    fn new(n: usize) -> Weights {
        Weights {
            weights: vec![0.0; n],
        }
    }

    /// One bootstrap resample: n draws with replacement from 0..n.
    fn draw(&mut self, resampler: &mut Resampler) {
        self.weights.fill(0.0);
        let n = self.weights.len() as u32;
        for _ in 0..n {
            if let Some(weight) = resampler
                .index(n)
                .and_then(|i| self.weights.get_mut(i as usize))
            {
                *weight += 1.0;
            }
        }
    }
}

/// One cohort's per-person totals stored column by column, people grouped by pathway.
///
/// Stored as f32 to halve the memory each resample streams through: exposure as whole days
/// and units as the person's totals, both exact in f32 for whole numbers below 2^24 (a
/// fractional quantity may round in its 8th significant digit). Sums accumulate in f64.
struct Columns {
    n_people: usize,
    stride: usize,
    /// Column j of the person at position i is at `j * n_people + i`.
    values: Vec<f32>,
    /// Positions [from, to) of each group, in group index order.
    groups: Vec<(usize, usize)>,
}

impl Columns {
    fn new(
        rows: &[f64],
        stride: usize,
        members: &[u32],
        group_of: impl Fn(u32) -> usize,
        n_groups: usize,
    ) -> Columns {
        let mut ordered: Vec<u32> = members.to_vec();
        ordered.sort_by_key(|idx| group_of(*idx)); // stable: keeps people in data order
        let n_people = ordered.len();
        let mut values = vec![0.0; stride * n_people];
        for (position, idx) in ordered.iter().enumerate() {
            let from = *idx as usize * stride;
            let Some(row) = rows.get(from..from + stride) else {
                continue;
            };
            for (j, value) in row.iter().enumerate() {
                let stored = if j < 2 {
                    (value * DAYS_PER_MONTH).round() // person-months back to whole days
                } else {
                    *value
                };
                if let Some(cell) = values.get_mut(j * n_people + position) {
                    *cell = stored as f32;
                }
            }
        }
        let groups = (0..n_groups)
            .map(|group| {
                let from = ordered.partition_point(|idx| group_of(*idx) < group);
                let to = ordered.partition_point(|idx| group_of(*idx) <= group);
                (from, to)
            })
            .collect();
        Columns {
            n_people,
            stride,
            values,
            groups,
        }
    }

    /// out[group × stride + j] = Σ over the group's people of weight × column j.
    fn weighted_sums(&self, weights: &[f32], out: &mut [f64]) {
        let columns = self.values.chunks_exact(self.n_people.max(1));
        for (j, column) in columns.take(self.stride).enumerate() {
            for (g, (from, to)) in self.groups.iter().enumerate() {
                let (Some(values), Some(weights)) =
                    (column.get(*from..*to), weights.get(*from..*to))
                else {
                    continue;
                };
                let scale = if j < 2 { DAYS_PER_MONTH } else { 1.0 };
                if let Some(cell) = out.get_mut(g * self.stride + j) {
                    *cell = dot(values, weights) / scale;
                }
            }
        }
    }
}

/// Σ a_i b_i with four running sums, so the additions pipeline; a fixed order, so the result
/// is the same on every run and platform.
fn dot(a: &[f32], b: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let (a_rest, b_rest) = (a4.remainder(), b4.remainder());
    for (x, y) in a4.zip(b4) {
        for ((lane, xi), yi) in lanes.iter_mut().zip(x).zip(y) {
            *lane += f64::from(*xi) * f64::from(*yi);
        }
    }
    let tail: f64 = a_rest
        .iter()
        .zip(b_rest)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

fn estimate(value: f64, ci: Option<Interval<f64>>) -> Estimate<f64> {
    Estimate { value, ci95: ci }
}

fn money(value: f64, ci: Option<Interval<f64>>) -> Estimate<Money> {
    Estimate {
        value: Money(value),
        ci95: ci.map(|ci| Interval {
            lower: Money(ci.lower),
            upper: Money(ci.upper),
        }),
    }
}

// ---------------------------------------------------------------------------------------
// Time profile, regression to the mean, assumptions and warnings
// ---------------------------------------------------------------------------------------

/// Month m's avoided cost: Σ_k Σ_t price_t × (pre rate_kt × E_k,m − Q_k,m,t); the months add
/// up to the naive gross figure.
fn time_profile(
    model: &Model,
    sums: &Sums,
    month_exposure: &[f64],
    month_units: &[f64],
    n_months: usize,
) -> Vec<MonthlyAvoidance> {
    let k = model.k_types;
    let mut cumulative = 0.0;
    (0..n_months)
        .map(|m| {
            let mut person_months = 0.0;
            let mut gross = 0.0;
            for (p, row) in sums.service.chunks_exact(model.stride).enumerate() {
                let e_pre = row.first().copied().unwrap_or(0.0);
                let exposure = month_exposure.get(p * n_months + m).copied().unwrap_or(0.0);
                person_months += exposure;
                for (t, price) in model.prices.iter().enumerate() {
                    let Some(price) = price else { continue };
                    let pre = row.get(2 + t).copied().unwrap_or(0.0);
                    let post = month_units
                        .get((p * n_months + m) * k + t)
                        .copied()
                        .unwrap_or(0.0);
                    let expected = if e_pre > 0.0 {
                        pre / e_pre * exposure
                    } else {
                        0.0
                    };
                    gross += price * (expected - post);
                }
            }
            cumulative += gross;
            MonthlyAvoidance {
                month: m as u32 + 1,
                person_months,
                gross_avoided: Money(gross),
                cumulative_gross_avoided: Money(cumulative),
                cumulative_adjusted_avoided: Money(cumulative * model.factor),
            }
        })
        .collect()
}

fn rtm_check(
    config: &ValueConfig,
    tracked: &[TrackedType],
    recent_units: &[f64],
    earlier_units: &[f64],
    recent_pm: f64,
    earlier_pm: f64,
) -> RegressionToMeanCheck {
    let threshold = config.rtm_ratio_threshold;
    let by_event_type: Vec<RecentUse> = tracked
        .iter()
        .zip(recent_units.iter().zip(earlier_units))
        .map(|(t, (recent, earlier))| {
            let recent_rate = ratio(*recent, recent_pm);
            let earlier_rate = ratio(*earlier, earlier_pm);
            let ratio = match (recent_rate, earlier_rate) {
                (Some(r), Some(e)) if e > 0.0 => Some(r / e),
                _ => None,
            };
            RecentUse {
                event_type: t.name.clone(),
                recent_units: *recent,
                recent_person_months: recent_pm,
                recent_rate,
                earlier_units: *earlier,
                earlier_person_months: earlier_pm,
                earlier_rate,
                ratio,
                flagged: *recent >= RTM_MIN_RECENT_UNITS && ratio.is_some_and(|r| r >= threshold),
            }
        })
        .collect();
    RegressionToMeanCheck {
        rule: format!(
            "Warn when, in the service cohort, an event type's rate in the last \
             {RTM_RECENT_MONTHS} months before start is at least {threshold} times its rate \
             earlier in the pre window, with at least {RTM_MIN_RECENT_UNITS} units in those \
             {RTM_RECENT_MONTHS} months."
        ),
        ratio_threshold: threshold,
        recent_months: RTM_RECENT_MONTHS,
        warning: by_event_type.iter().any(|r| r.flagged),
        by_event_type,
    }
}

fn assumptions(config: &ValueConfig, settings: &Settings) -> Vec<String> {
    let history = if settings.history_start_from_data {
        format!(
            "Event history is assumed complete from {} (the earliest event date in the data) \
             onwards;",
            settings.history_start
        )
    } else {
        format!(
            "Event history is assumed complete from {} (history_start in the config) onwards;",
            settings.history_start
        )
    };
    vec![
        format!(
            "A person-month is {DAYS_PER_MONTH} days (365.25 / 12); windows are calendar months."
        ),
        format!(
            "{history} pre windows ({} months) beginning earlier were clipped to start then.",
            config.pre_months
        ),
        format!(
            "Post-start time runs from start_date for up to {} months and stops at end_date or \
             the reference date {} (both counted as days in service), whichever is first.",
            config.post_months, settings.reference_date
        ),
        "Quantities (for example bed days) are counted on the date of their row, even when a \
         stay runs past the end of a window."
            .to_string(),
        "Each pathway's own pre-start rate is its counterfactual; totals are sums over pathways, \
         so the breakdowns add up to them."
            .to_string(),
    ]
}

#[allow(clippy::too_many_arguments)]
fn warnings(
    config: &ValueConfig,
    prices: &Prices,
    tracked: &[TrackedType],
    has_comparison: bool,
    rtm: &RegressionToMeanCheck,
    by_pathway: &[PathwayResult],
    pathway_names: &[String],
    service_rates: &[Option<Money>],
) -> Vec<String> {
    let mut out = Vec::new();
    let estimates: Vec<&str> = prices
        .used
        .iter()
        .filter(|u| u.estimate)
        .map(|u| u.event_type.as_str())
        .collect();
    if !estimates.is_empty() {
        out.push(format!(
            "Unit costs for {} are estimates, not confirmed against their source: confirm them \
             locally before quoting money figures.",
            estimates.join(", ")
        ));
    }
    if prices.price_year.is_none() && !prices.used.is_empty() {
        out.push(
            "Unit costs are in different price years and no analysis_year was given: the totals \
             add prices from different years. Set analysis_year and price_index to uplift them."
                .to_string(),
        );
    }
    let unpriced: Vec<&str> = tracked
        .iter()
        .filter(|t| t.price.is_none())
        .map(|t| t.name.as_str())
        .collect();
    if !unpriced.is_empty() {
        out.push(format!(
            "Counted but not priced (no unit cost), so they add units, not money: {}.",
            unpriced.join(", ")
        ));
    }
    if rtm.warning {
        let flagged: Vec<&str> = rtm
            .by_event_type
            .iter()
            .filter(|r| r.flagged)
            .map(|r| r.event_type.as_str())
            .collect();
        out.push(format!(
            "Regression to the mean: use of {} was much higher in the {} months before start \
             than earlier, so people were probably referred at a peak and would have used less \
             afterwards anyway. The naive figure overstates the effect{}.",
            flagged.join(", "),
            RTM_RECENT_MONTHS,
            if has_comparison {
                "; prefer the difference-in-differences figure"
            } else {
                "; add a comparison cohort to estimate how much"
            }
        ));
    }
    if !has_comparison {
        out.push(
            "No comparison cohort: the figure credits the service with every fall in use, \
             including what would have happened anyway."
                .to_string(),
        );
    }
    if config.attribution_percent >= 100.0 {
        out.push(
            "Attribution is 100%: all of the change is credited to this service and none to \
             other services or support."
                .to_string(),
        );
    }
    let missing: Vec<&str> = pathway_names
        .iter()
        .zip(service_rates)
        .filter(|(_, rate)| rate.is_none())
        .map(|(name, _)| name.as_str())
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "No service cost for {}: net value and return per pound are not available for \
             them or in total.",
            missing.join(", ")
        ));
    }
    if by_pathway.iter().any(|p| p.n_people < 10) {
        out.push(
            "Some pathways have fewer than 10 people: their figures are very uncertain."
                .to_string(),
        );
    }
    out
}
