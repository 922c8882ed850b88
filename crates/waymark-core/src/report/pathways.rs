//! The pathway-comparison section of the report, as aggregates under disclosure control.
//! Rates, intervals and effect sizes are statistics (computed on exact data); counts of people
//! and events go through [`ShownCount`], and a proportion is withheld with its interval when
//! its numerator or denominator is suppressed.

use super::{escape, push_table, push_wide_table};
use crate::analysis::pathways::{FunnelUnits, GroupKind, PathwayComparison, TimeToEvent};
use crate::disclosure::{Disclosure, ShownCount, ShownShare};
use crate::stats::intervals::{IntervalMethod, ProportionDifference, ProportionInterval};
use crate::value::cost_avoidance::CostAvoidance;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

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
    /// `cost` is the value engine's result for the same people, which gives each pathway's
    /// cost avoided per person (its adjusted avoided cost over its people).
    pub fn build(
        c: &PathwayComparison,
        cost: Option<&CostAvoidance>,
        d: Disclosure,
    ) -> PathwaysReport {
        let cost_avoided_per_person = |pathway: &str| {
            let result = cost?.by_pathway.iter().find(|r| r.pathway == pathway)?;
            (result.n_people > 0)
                .then(|| result.value.adjusted_avoided.value.0 / result.n_people as f64)
        };
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
                        cost_avoided_per_person: cost_avoided_per_person(&g.pathway),
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
