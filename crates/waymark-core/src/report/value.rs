//! The value sections of the report: cost avoidance and the pathway comparison, as aggregates
//! under disclosure control. Money, rates and intervals are statistics (computed on exact
//! data); counts of people and events go through [`ShownCount`], and a proportion is withheld
//! with its interval when its numerator or denominator is suppressed.

use super::{escape, push_table, push_wide_table};
use crate::disclosure::{Disclosure, ShownCount, ShownShare};
use crate::pathways::{FunnelUnits, GroupKind, PathwayComparison, TimeToEvent};
use crate::stats::intervals::{IntervalMethod, ProportionDifference, ProportionInterval};
use crate::value::cost_avoidance::{CostAvoidance, ValueSummary};
use crate::value::{Estimate, HeadlineBasis, Money, ValueHeadline};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

fn units(n: f64, d: Disclosure) -> ShownCount {
    d.count(n.max(0.0).round() as u64)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ValueReport {
    pub currency: Option<String>,
    pub price_year: Option<String>,
    pub pre_months: u32,
    pub post_months: u32,
    pub attribution_percent: f64,
    pub optimism_bias_percent: f64,
    pub bootstrap_resamples: u32,
    pub seed: u64,
    pub interval_method: String,
    /// The figure to quote first (see [`crate::value::headline`]).
    pub headline: ValueHeadline,
    pub people_service: ShownCount,
    pub people_comparison: ShownCount,
    pub people_excluded: ShownCount,
    /// The simple before-and-after figure, always shown.
    pub naive: ValueSummary,
    /// Difference-in-differences against the comparison cohort, beside the naive figure.
    pub difference_in_differences: Option<ValueSummary>,
    pub by_event_type: Vec<EventTypeReport>,
    pub by_pathway: Vec<PathwayValueReport>,
    /// Cumulative adjusted cost avoided by month since start.
    pub cumulative_by_month: Vec<(u32, f64)>,
    pub regression_to_the_mean_warning: bool,
    pub regression_to_the_mean_rule: String,
    pub unit_costs: Vec<UnitCostReport>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
}

impl ValueReport {
    /// The money figures behind the headline: difference-in-differences when there is a
    /// comparison cohort, else before and after.
    pub fn lead_summary(&self) -> &ValueSummary {
        self.difference_in_differences
            .as_ref()
            .unwrap_or(&self.naive)
    }

    fn headline_basis_words(&self) -> &'static str {
        match self.headline.basis {
            HeadlineBasis::DifferenceInDifferences => "against the comparison cohort",
            HeadlineBasis::BeforeAfterUpperBound => "before and after: upper bound",
        }
    }
}

/// A return per pound with its interval: "£1.42 (95% CI £0.90 to £1.95)".
pub fn format_ratio(r: &Estimate<f64>) -> String {
    let one = |x: f64| Money(x).format_price(Some("GBP"));
    match &r.ci95 {
        Some(ci) => format!(
            "{} (95% CI {} to {})",
            one(r.value),
            one(ci.lower),
            one(ci.upper)
        ),
        None => one(r.value),
    }
}

/// The headline figure, its statement and its caveat, as the report and the overview lead.
pub fn write_headline_html(html: &mut String, h: &ValueHeadline) {
    let _ = write!(
        html,
        "<div class=\"headline\" data-basis=\"{}\"><p class=\"headline-label\">{}</p><p class=\"headline-figure\">{}</p><p>{}</p><p class=\"caveat\">{}</p></div>",
        match h.basis {
            HeadlineBasis::DifferenceInDifferences => "difference_in_differences",
            HeadlineBasis::BeforeAfterUpperBound => "before_after_upper_bound",
        },
        escape(&h.label),
        escape(&h.estimate.format(h.currency.as_deref())),
        escape(&h.statement),
        escape(&h.caveat)
    );
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventTypeReport {
    pub event_type: String,
    pub unit_cost: Option<f64>,
    pub unit_cost_is_estimate: bool,
    pub pre_units: ShownCount,
    pub post_units: ShownCount,
    pub pre_rate_per_person_month: Option<f64>,
    pub post_rate_per_person_month: Option<f64>,
    pub avoided_units: Estimate<f64>,
    pub gross_avoided: Option<Estimate<Money>>,
    pub did_gross_avoided: Option<Estimate<Money>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayValueReport {
    pub pathway: String,
    pub people: ShownCount,
    pub value: ValueSummary,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnitCostReport {
    pub event_type: String,
    pub unit: String,
    pub price: f64,
    pub price_year: String,
    pub uplifted_price: f64,
    pub source: String,
    pub estimate: bool,
}

impl ValueReport {
    pub fn build(c: &CostAvoidance, d: Disclosure) -> ValueReport {
        let p = &c.people;
        ValueReport {
            currency: c.currency.clone(),
            price_year: c.price_year.clone(),
            pre_months: c.settings.pre_months,
            post_months: c.settings.post_months,
            attribution_percent: c.settings.attribution_percent,
            optimism_bias_percent: c.settings.optimism_bias_percent,
            bootstrap_resamples: c.settings.bootstrap_resamples,
            seed: c.settings.seed,
            interval_method: c.settings.interval_method.to_string(),
            headline: c.headline(),
            people_service: d.count(p.service_analysed as u64),
            people_comparison: d.count(p.comparison_analysed as u64),
            people_excluded: d.count((p.excluded_no_post_time + p.excluded_no_pre_history) as u64),
            naive: c.naive.clone(),
            difference_in_differences: c
                .difference_in_differences
                .as_ref()
                .map(|d| d.value.clone()),
            by_event_type: c
                .by_event_type
                .iter()
                .map(|e| EventTypeReport {
                    event_type: e.event_type.clone(),
                    unit_cost: e.unit_cost.map(|m| m.0),
                    unit_cost_is_estimate: e.unit_cost_is_estimate,
                    pre_units: units(e.service.pre_units, d),
                    post_units: units(e.service.post_units, d),
                    pre_rate_per_person_month: e.service.pre_rate,
                    post_rate_per_person_month: e.service.post_rate,
                    avoided_units: e.avoided_units,
                    gross_avoided: e.gross_avoided,
                    did_gross_avoided: e.did_gross_avoided,
                })
                .collect(),
            by_pathway: c
                .by_pathway
                .iter()
                .map(|r| PathwayValueReport {
                    pathway: r.pathway.clone(),
                    people: d.count(r.n_people as u64),
                    value: r.value.clone(),
                })
                .collect(),
            cumulative_by_month: c
                .over_time
                .iter()
                .map(|m| (m.month, m.cumulative_adjusted_avoided.0))
                .collect(),
            regression_to_the_mean_warning: c.regression_to_the_mean.warning,
            regression_to_the_mean_rule: c.regression_to_the_mean.rule.clone(),
            unit_costs: c
                .unit_costs
                .iter()
                .map(|u| UnitCostReport {
                    event_type: u.event_type.clone(),
                    unit: u.unit.clone(),
                    price: u.price.0,
                    price_year: u.price_year.clone(),
                    uplifted_price: u.uplifted_price.0,
                    source: u.source.clone(),
                    estimate: u.estimate,
                })
                .collect(),
            assumptions: c.assumptions.clone(),
            warnings: c
                .people_notes(d)
                .into_iter()
                .chain(c.warnings.iter().cloned())
                .collect(),
        }
    }
}

/// A proportion with its interval, withheld when a count behind it is suppressed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShownProportion {
    pub share: ShownShare,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub method: Option<IntervalMethod>,
}

fn shown_proportion(p: Option<&ProportionInterval>, d: Disclosure) -> Option<ShownProportion> {
    let p = p?;
    let share = d.share(p.successes, p.trials);
    let shown = share.percent.is_some();
    Some(ShownProportion {
        share,
        lower: shown.then_some(100.0 * p.lower),
        upper: shown.then_some(100.0 * p.upper),
        method: Some(p.method),
    })
}

/// A difference in percentage points with its Newcombe interval, withheld like a proportion.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShownDifference {
    pub difference: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

fn shown_difference(diff: Option<&ProportionDifference>, d: Disclosure) -> Option<ShownDifference> {
    let diff = diff?;
    let suppressed = [diff.successes1, diff.trials1, diff.successes2, diff.trials2]
        .iter()
        .any(|n| d.suppresses(*n));
    let keep = |x: f64| (!suppressed).then_some(100.0 * x);
    Some(ShownDifference {
        difference: keep(diff.difference),
        lower: keep(diff.lower),
        upper: keep(diff.upper),
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwaysReport {
    pub reference_pathway: Option<String>,
    pub reference_basis: String,
    pub primary_measure: Option<String>,
    pub confidence_level: f64,
    pub groups: Vec<PathwayGroupReport>,
    pub case_mix_differs: bool,
    pub case_mix_p_value: Option<f64>,
    pub time_to_first_crisis: SurvivalReport,
    pub time_to_relapse: Option<SurvivalReport>,
    pub funnels: Vec<FunnelReport>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayGroupReport {
    pub pathway: String,
    pub comparison_cohort: bool,
    pub is_reference: bool,
    pub people: ShownCount,
    pub person_months: f64,
    pub crisis_rate_per_100_person_months: Option<f64>,
    pub crisis_rate_lower: Option<f64>,
    pub crisis_rate_upper: Option<f64>,
    pub crisis_rate_ratio: Option<f64>,
    pub crisis_rate_ratio_lower: Option<f64>,
    pub crisis_rate_ratio_upper: Option<f64>,
    pub cost_avoided_per_person: Option<f64>,
    pub measures: Vec<GroupMeasureReport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupMeasureReport {
    pub measure: String,
    pub people_paired: ShownCount,
    pub reliable_improvement: Option<ShownProportion>,
    pub reliable_improvement_vs_reference: Option<ShownDifference>,
    pub recovered: Option<ShownProportion>,
    pub sustained_improvement: Option<ShownProportion>,
    pub mean_change: Option<f64>,
    pub mean_change_lower: Option<f64>,
    pub mean_change_upper: Option<f64>,
    /// Pre-post change divided by the baseline SD (the headline effect size; paired d_z is in
    /// the app).
    pub effect_size_baseline_sd: Option<f64>,
    pub standardised_reliable_improvement: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SurvivalReport {
    pub definition: String,
    pub tau_days: f64,
    pub log_rank_p_value: Option<f64>,
    pub groups: Vec<SurvivalGroupReport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SurvivalGroupReport {
    pub pathway: String,
    pub people_at_risk: ShownCount,
    pub events: ShownCount,
    pub median_days: Option<f64>,
    pub restricted_mean_days: Option<f64>,
    pub restricted_mean_lower: Option<f64>,
    pub restricted_mean_upper: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FunnelReport {
    pub indicator: String,
    pub units: FunnelUnits,
    pub method: Option<String>,
    pub note: Option<String>,
    /// Units outside the 99.8% limits (names of teams or pathways, not people).
    pub outside_998: Vec<String>,
}

fn survival_report(t: &TimeToEvent, d: Disclosure) -> SurvivalReport {
    SurvivalReport {
        definition: t.definition.clone(),
        tau_days: t.tau_days,
        log_rank_p_value: t.log_rank.as_ref().map(|l| l.p_value),
        groups: t
            .groups
            .iter()
            .map(|g| SurvivalGroupReport {
                pathway: g.pathway.clone(),
                people_at_risk: d.count(g.people_at_risk),
                events: d.count(g.events),
                median_days: g.curve.as_ref().and_then(|c| c.median.time),
                restricted_mean_days: g.restricted_mean.as_ref().map(|r| r.estimate),
                restricted_mean_lower: g.restricted_mean.as_ref().map(|r| r.lower),
                restricted_mean_upper: g.restricted_mean.as_ref().map(|r| r.upper),
            })
            .collect(),
    }
}

impl PathwaysReport {
    pub fn build(c: &PathwayComparison, d: Disclosure) -> PathwaysReport {
        PathwaysReport {
            reference_pathway: c.reference_pathway.clone(),
            reference_basis: c.reference_basis.clone(),
            primary_measure: c.primary_measure.clone(),
            confidence_level: c.confidence_level,
            groups: c
                .groups
                .iter()
                .map(|g| {
                    let rate = g.crisis.rate_per_100_person_months.as_ref();
                    let ratio = g.crisis.rate_ratio_vs_reference.as_ref();
                    PathwayGroupReport {
                        pathway: g.pathway.clone(),
                        comparison_cohort: g.kind == GroupKind::ComparisonCohort,
                        is_reference: g.is_reference,
                        people: d.count(g.people),
                        person_months: (g.person_months * 10.0).round() / 10.0,
                        crisis_rate_per_100_person_months: rate.map(|r| r.rate),
                        crisis_rate_lower: rate.map(|r| r.lower),
                        crisis_rate_upper: rate.map(|r| r.upper),
                        crisis_rate_ratio: ratio.map(|r| r.ratio),
                        crisis_rate_ratio_lower: ratio.map(|r| r.lower),
                        crisis_rate_ratio_upper: ratio.map(|r| r.upper),
                        cost_avoided_per_person: g.cost_avoided_per_person,
                        measures: g
                            .measures
                            .iter()
                            .map(|m| GroupMeasureReport {
                                measure: m.measure.clone(),
                                people_paired: d.count(m.people_paired),
                                reliable_improvement: shown_proportion(
                                    m.reliable_improvement.as_ref(),
                                    d,
                                ),
                                reliable_improvement_vs_reference: shown_difference(
                                    m.reliable_improvement_vs_reference.as_ref(),
                                    d,
                                ),
                                recovered: shown_proportion(m.recovered.as_ref(), d),
                                sustained_improvement: shown_proportion(
                                    m.sustained_improvement.as_ref(),
                                    d,
                                ),
                                mean_change: m.mean_change.as_ref().map(|d| d.mean_difference),
                                mean_change_lower: m.mean_change.as_ref().map(|d| d.lower),
                                mean_change_upper: m.mean_change.as_ref().map(|d| d.upper),
                                effect_size_baseline_sd: m
                                    .effect_size_baseline_sd
                                    .as_ref()
                                    .map(|e| e.value),
                                standardised_reliable_improvement: m
                                    .standardised_reliable_improvement
                                    .as_ref()
                                    .map(|s| 100.0 * s.proportion),
                            })
                            .collect(),
                    }
                })
                .collect(),
            case_mix_differs: c.case_mix.differs,
            case_mix_p_value: c.case_mix.chi_square.as_ref().map(|t| t.p_value),
            time_to_first_crisis: survival_report(&c.time_to_first_crisis, d),
            time_to_relapse: c.time_to_relapse.as_ref().map(|t| survival_report(t, d)),
            funnels: c
                .funnels
                .iter()
                .map(|f| FunnelReport {
                    indicator: f.indicator.clone(),
                    units: f.units,
                    method: f.funnel.as_ref().map(|fun| fun.method.clone()),
                    note: f.note.clone(),
                    outside_998: f
                        .funnel
                        .as_ref()
                        .map(|fun| {
                            fun.units
                                .iter()
                                .zip(&f.unit_names)
                                .filter(|(u, _)| {
                                    matches!(
                                        u.band,
                                        crate::stats::funnel::FunnelBand::AboveUpper998
                                            | crate::stats::funnel::FunnelBand::BelowLower998
                                    )
                                })
                                .map(|(_, name)| name.clone())
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
            warnings: c.warnings.clone(),
        }
    }
}

pub fn write_value_html(html: &mut String, v: &ValueReport) {
    let cur = v.currency.as_deref();
    let _ = write!(
        html,
        "<section><h2>Value: cost avoidance</h2><p>Service use in the {} months before and the {} months after the start of support, per person-month actually observed, priced with the unit-cost table below ({} prices). People: {} receiving the service, {} in the comparison cohort, {} left out (see assumptions).</p>",
        v.pre_months,
        v.post_months,
        escape(v.price_year.as_deref().unwrap_or("stated")),
        v.people_service,
        v.people_comparison,
        v.people_excluded
    );
    write_headline_html(html, &v.headline);
    // The lead figure's own breakdown: the headline's basis first, the other figure beside it.
    let lead = v.lead_summary();
    let _ = write!(
        html,
        "<dl class=\"figures\"><div><dt>Gross cost avoided, before and after (no adjustment)</dt><dd>{}</dd></div><div><dt>Before and after, after attribution {}% and optimism bias {}%</dt><dd>{}</dd></div>",
        &v.naive.gross_avoided.format(cur),
        v.attribution_percent,
        v.optimism_bias_percent,
        &v.naive.adjusted_avoided.format(cur)
    );
    if let Some(did) = &v.difference_in_differences {
        let _ = write!(
            html,
            "<div><dt>Against the comparison cohort (difference-in-differences)</dt><dd>{}</dd></div>",
            &did.adjusted_avoided.format(cur)
        );
    }
    if let Some(cost) = &lead.service_cost {
        let _ = write!(
            html,
            "<div><dt>Service cost over the same months</dt><dd>{}</dd></div>",
            cost.format(cur)
        );
    }
    if let Some(net) = &lead.net_value {
        let _ = write!(
            html,
            "<div><dt>Net value ({})</dt><dd>{}</dd></div>",
            v.headline_basis_words(),
            net.format(cur)
        );
    }
    if let Some(roi) = &lead.return_per_pound_spent {
        let _ = write!(
            html,
            "<div><dt>Return per £1 spent ({})</dt><dd>{}</dd></div>",
            v.headline_basis_words(),
            format_ratio(roi)
        );
    }
    html.push_str("</dl>");
    if v.regression_to_the_mean_warning {
        let _ = write!(
            html,
            "<p class=\"verdict\">Regression to the mean: people were referred after a spike in their use of services, so part of the fall would have happened anyway. {}</p>",
            escape(&v.regression_to_the_mean_rule)
        );
    }
    let _ = write!(
        html,
        "<p class=\"meta\">Intervals: {} ({} resamples of people, seed {}).</p>",
        escape(&v.interval_method),
        v.bootstrap_resamples,
        v.seed
    );
    let rate = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.3}"));
    push_wide_table(
        html,
        "By event type (units: counts of 1-7 shown as *, others rounded to 5)".to_string(),
        &[
            "Event type",
            "Units before",
            "Units after",
            "Rate before (per person-month)",
            "Rate after",
            "Gross cost avoided",
            "Difference-in-differences",
        ],
        v.by_event_type
            .iter()
            .map(|e| {
                vec![
                    format!(
                        "{}{}",
                        e.event_type,
                        if e.unit_cost_is_estimate {
                            " (unit cost is an estimate)"
                        } else {
                            ""
                        }
                    ),
                    e.pre_units.to_string(),
                    e.post_units.to_string(),
                    rate(e.pre_rate_per_person_month),
                    rate(e.post_rate_per_person_month),
                    e.gross_avoided
                        .as_ref()
                        .map_or("not priced".to_string(), |m| m.format(cur)),
                    e.did_gross_avoided
                        .as_ref()
                        .map_or("-".to_string(), |m| m.format(cur)),
                ]
            })
            .collect(),
    );
    push_wide_table(
        html,
        "Unit costs used".to_string(),
        &["Event type", "Unit", "Price", "Price year", "Source"],
        v.unit_costs
            .iter()
            .map(|u| {
                vec![
                    u.event_type.clone(),
                    u.unit.clone(),
                    format!(
                        "{}{}",
                        Money(u.uplifted_price).format_price(v.currency.as_deref()),
                        if u.estimate {
                            " (estimate: confirm locally)"
                        } else {
                            ""
                        }
                    ),
                    u.price_year.clone(),
                    u.source.clone(),
                ]
            })
            .collect(),
    );
    html.push_str("<h3>Caveats and assumptions</h3><ul>");
    for text in v.warnings.iter().chain(&v.assumptions) {
        let _ = write!(html, "<li>{}</li>", escape(text));
    }
    html.push_str("</ul></section>");
}

fn proportion_text(p: &Option<ShownProportion>) -> String {
    match p {
        Some(ShownProportion {
            share,
            lower: Some(lo),
            upper: Some(hi),
            ..
        }) => {
            format!("{} [{lo:.0}-{hi:.0}%]", share)
        }
        Some(p) => p.share.to_string(),
        None => "-".to_string(),
    }
}

pub fn write_pathways_html(html: &mut String, p: &PathwaysReport) {
    let _ = write!(
        html,
        "<section><h2>Pathways compared</h2><p>Reference pathway: {} ({}). Intervals: Wilson for percentages, Newcombe for differences, exact for rates.</p>",
        escape(p.reference_pathway.as_deref().unwrap_or("none")),
        escape(&p.reference_basis)
    );
    for warning in &p.warnings {
        let _ = write!(html, "<p class=\"verdict\">{}</p>", escape(warning));
    }
    let measures: Vec<String> = p
        .groups
        .first()
        .map(|g| g.measures.iter().map(|m| m.measure.clone()).collect())
        .unwrap_or_default();
    let mut headers: Vec<String> = [
        "Pathway",
        "People",
        "Person-months",
        "Crisis contacts per 100 person-months",
        "Rate ratio vs reference",
    ]
    .map(String::from)
    .to_vec();
    for m in &measures {
        headers.push(format!("{m} reliable improvement [95% CI]"));
        headers.push(format!("{m} difference vs reference (points)"));
    }
    let ci = |v: Option<f64>, lo: Option<f64>, hi: Option<f64>, d: usize| match (v, lo, hi) {
        (Some(v), Some(lo), Some(hi)) => format!("{v:.d$} [{lo:.d$}-{hi:.d$}]"),
        (Some(v), _, _) => format!("{v:.d$}"),
        _ => "-".to_string(),
    };
    let rows = p
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![
                format!(
                    "{}{}",
                    g.pathway,
                    if g.is_reference { " (reference)" } else { "" }
                ),
                g.people.to_string(),
                format!("{:.0}", g.person_months),
                ci(
                    g.crisis_rate_per_100_person_months,
                    g.crisis_rate_lower,
                    g.crisis_rate_upper,
                    1,
                ),
                ci(
                    g.crisis_rate_ratio,
                    g.crisis_rate_ratio_lower,
                    g.crisis_rate_ratio_upper,
                    2,
                ),
            ];
            for m in &g.measures {
                row.push(proportion_text(&m.reliable_improvement));
                row.push(
                    m.reliable_improvement_vs_reference
                        .as_ref()
                        .map_or("-".to_string(), |d| ci(d.difference, d.lower, d.upper, 1)),
                );
            }
            row
        })
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    push_wide_table(html, "Per pathway".to_string(), &header_refs, rows);
    for t in std::iter::once(&p.time_to_first_crisis).chain(&p.time_to_relapse) {
        let p_value = t.log_rank_p_value.map_or("-".to_string(), |p| {
            if p < 0.001 {
                "< 0.001".to_string()
            } else {
                format!("{p:.3}")
            }
        });
        let restricted = format!("Restricted mean to {:.0} days [95% CI]", t.tau_days);
        push_table(
            html,
            format!("{} (log-rank p = {p_value})", t.definition),
            &["Pathway", "People", "Events", "Median (days)", &restricted],
            t.groups
                .iter()
                .map(|g| {
                    vec![
                        g.pathway.clone(),
                        g.people_at_risk.to_string(),
                        g.events.to_string(),
                        g.median_days
                            .map_or("not reached".to_string(), |m| format!("{m:.0}")),
                        match (
                            g.restricted_mean_days,
                            g.restricted_mean_lower,
                            g.restricted_mean_upper,
                        ) {
                            (Some(v), Some(lo), Some(hi)) => format!("{v:.0} [{lo:.0}-{hi:.0}]"),
                            _ => "-".to_string(),
                        },
                    ]
                })
                .collect(),
        );
    }
    html.push_str("<h3>Funnel plots</h3><ul>");
    for f in &p.funnels {
        let _ = write!(
            html,
            "<li>{} by {}: {}{}</li>",
            escape(&f.indicator),
            f.units.noun(),
            if f.outside_998.is_empty() {
                "no unit outside the 99.8% limits".to_string()
            } else {
                format!(
                    "outside the 99.8% limits: {}",
                    escape(&f.outside_998.join(", "))
                )
            },
            f.method
                .as_ref()
                .map(|m| format!(" (method: {})", escape(m)))
                .unwrap_or_default()
        );
    }
    html.push_str("</ul></section>");
}
