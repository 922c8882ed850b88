//! The value section of the report: cost avoidance as aggregates under disclosure control.
//! Money, rates and intervals are statistics (computed on exact data); counts of people and
//! events go through [`ShownCount`].

use super::{escape, push_wide_table};
use crate::disclosure::{Disclosure, ShownCount};
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
