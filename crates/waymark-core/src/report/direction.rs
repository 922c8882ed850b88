//! The direction-of-travel section of the report: aggregates only, under disclosure control.
//!
//! Person-level results stay in [`crate::analysis::Analysis`] for the app; nothing here names
//! or can single out a person. Counts go through [`ShownCount`], shares through [`ShownShare`];
//! rates and means are computed on unrounded data, and a monthly value is withheld when the count
//! it is built from is suppressed.

use crate::analysis::actions::{ActionCounts, ReviewActions, TriggerCounts};
use crate::analysis::direction::outcomes::TravelLabel;
use crate::analysis::direction::service::{Better, CountIn, Indicator};
use crate::analysis::direction::stability::StabilityIndicator;
use crate::analysis::Analysis;
use crate::disclosure::{Disclosure, ShownCount, ShownShare};
use crate::stats::change::Direction;
use crate::stats::spc::{AssuranceIcon, PointType, VariationIcon};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DirectionReport {
    pub reference_date: NaiveDate,
    /// Plain-English sentences generated from the figures below, most important first.
    pub interpretation: Vec<String>,
    pub measures: Vec<MeasureReport>,
    /// NHS Talking Therapies paired PHQ-9/GAD-7 outcomes, when anyone has both.
    pub talking_therapies: Option<TalkingTherapiesReport>,
    pub service: ServiceReport,
    pub stability: StabilityReport,
    pub goals: GoalsReport,
    pub narrative: NarrativeReport,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeasureReport {
    pub measure: String,
    pub direction: Option<Direction>,
    pub reliable_change_threshold: f64,
    pub threshold_basis: String,
    pub people_paired: ShownCount,
    pub reliable_improvement: ShownShare,
    pub no_reliable_change: ShownShare,
    pub reliable_deterioration: ShownShare,
    /// Reliably recovered (reliable improvement and moved below the clinical cut-off), of the
    /// paired people at caseness at baseline: the one per-measure recovery rate.
    pub recovered: ShownShare,
    pub sustained_improvement: ShownShare,
    pub with_setbacks: ShownShare,
    pub labels: Vec<LabelShare>,
    pub mean_baseline: Option<f64>,
    pub mean_latest: Option<f64>,
    pub median_slope_per_month: Option<f64>,
}

/// Recovery and reliable recovery divide by the people at caseness at their first scores;
/// reliable improvement and deterioration by everyone paired (NHS Talking Therapies).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TalkingTherapiesReport {
    pub people_paired: ShownCount,
    pub at_caseness: ShownCount,
    pub recovery: ShownShare,
    pub reliable_recovery: ShownShare,
    pub reliable_improvement: ShownShare,
    pub reliable_deterioration: ShownShare,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LabelShare {
    pub label: TravelLabel,
    pub share: ShownShare,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceReport {
    pub people_in_service: ShownCount,
    pub person_months: f64,
    pub indicators: Vec<IndicatorReport>,
}

impl ServiceReport {
    /// The indicator with this key (`crate::analysis::direction::service::CRISIS_RATE`, ...).
    pub fn indicator(&self, key: &str) -> Option<&IndicatorReport> {
        self.indicators.iter().find(|i| i.key == key)
    }

    /// What `people_in_service` counts, as every view and the report label it: the service
    /// cohort only (the comparison cohort is in the data, not in the service).
    pub fn people_in_service_label(&self) -> String {
        "People receiving the service (service cohort, with time in service)".to_string()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub key: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    pub denominator: String,
    pub months: Vec<MonthReport>,
    pub spc: Option<SpcReport>,
    /// Why there is no chart, when there is none.
    pub chart_note: Option<String>,
}

impl IndicatorReport {
    /// The latest month whose value may be shown (a withheld month is skipped): what every
    /// "latest month" figure reads.
    pub fn latest_shown(&self) -> Option<&MonthReport> {
        self.months.iter().rev().find(|m| m.value.is_some())
    }
}

/// The XmR chart's verdict (NHS England, Making Data Count); per-month limits and point types
/// are on the months.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SpcReport {
    pub method: String,
    pub variation_icon: VariationIcon,
    pub assurance_icon: Option<AssuranceIcon>,
    pub target: Option<f64>,
    pub charted_months: usize,
    pub trial_limits: bool,
    /// The latest segment's centre line and process limits.
    pub mean: f64,
    pub upper_process_limit: f64,
    pub lower_process_limit: f64,
    /// The first month of the latest unbroken run of points of the last month's signal (same
    /// point type and side, see `XmrChart::signal_start`), if the last month is special cause.
    pub signal_since: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MonthReport {
    pub month: NaiveDate,
    /// Withheld (`null`) when the count it is built from is suppressed.
    pub value: Option<f64>,
    pub count: ShownCount,
    /// Present for charted months: the centre line, limits and the point's type.
    pub mean: Option<f64>,
    pub upper_process_limit: Option<f64>,
    pub lower_process_limit: Option<f64>,
    pub point_type: Option<PointType>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StabilityReport {
    pub window_days: u32,
    pub people_assessed: ShownCount,
    pub improving: ShownShare,
    pub stable: ShownShare,
    pub deteriorating: ShownShare,
    pub early_warnings: ShownShare,
    pub flagged_by_indicator: Vec<(StabilityIndicator, ShownCount)>,
    pub flagged_with_follow_up: ShownShare,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoalsReport {
    pub people_with_goals: ShownCount,
    pub goals: ShownCount,
    pub goals_achieved: ShownShare,
    pub mean_gas_t_score: Option<f64>,
    pub goal_based_reliable_improvement: ShownShare,
    pub reviews_on_time: ShownShare,
    pub overdue_reviews: ShownCount,
    pub by_coordinator: Vec<CoordinatorReport>,
    pub static_goals: ShownCount,
    pub people_with_static_plans: ShownShare,
    pub audit: Vec<AuditReport>,
    pub audit_by_team: Vec<TeamAuditReport>,
    /// Setbacks, escalations and engagement dips followed by a plan adjustment (see
    /// [`crate::analysis::actions`]); absent when it was not computed.
    pub reviews_leading_to_action: Option<ReviewActionsReport>,
}

/// Reviews leading to action: each share is triggers followed by a plan adjustment within
/// `window_days`, of the triggers whose window has closed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewActionsReport {
    pub window_days: u32,
    pub service: ActionShares,
    pub by_team: Vec<TeamActionShares>,
    /// Triggers whose window is still open at the analysis date (left out of the shares).
    pub not_yet_due: ShownCount,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ActionShares {
    pub setbacks: ShownShare,
    pub escalations: ShownShare,
    pub engagement_dips: ShownShare,
    pub all: ShownShare,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TeamActionShares {
    pub team: String,
    pub shares: ActionShares,
}

impl ReviewActionsReport {
    pub fn build(a: &ReviewActions, d: Disclosure) -> ReviewActionsReport {
        let shares = |c: &ActionCounts| {
            let share = |t: TriggerCounts| d.share(t.followed, t.due);
            ActionShares {
                setbacks: share(c.setbacks),
                escalations: share(c.escalations),
                engagement_dips: share(c.engagement_dips),
                all: share(c.all),
            }
        };
        ReviewActionsReport {
            window_days: a.window_days,
            service: shares(&a.service),
            by_team: a
                .by_team
                .iter()
                .map(|t| TeamActionShares {
                    team: t.team.clone(),
                    shares: shares(&t.counts),
                })
                .collect(),
            not_yet_due: d.count(a.not_yet_due),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoordinatorReport {
    pub coordinator: String,
    pub reviews_on_time: ShownShare,
    pub overdue: ShownCount,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuditReport {
    pub field: String,
    pub description: String,
    pub complete: ShownShare,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TeamAuditReport {
    pub team: String,
    pub fields: Vec<AuditReport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NarrativeReport {
    pub feedback_entries: ShownCount,
    pub people_with_own_feedback: ShownCount,
    pub numbers_better_voice_worse: ShownCount,
    pub numbers_flat_voice_better: ShownCount,
    pub reconciled: ShownShare,
    pub themes: Vec<ThemeReport>,
    pub themes_by_pathway: Vec<ThemeReport>,
    pub themes_by_quarter: Vec<ThemeReport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThemeReport {
    pub theme: String,
    pub group: String,
    pub entries: ShownCount,
}

fn spc_report(indicator: &Indicator) -> Option<SpcReport> {
    let chart = indicator.chart.as_ref()?;
    let last_segment = chart.segments.last()?;
    let signal_since = chart
        .signal_start()
        .and_then(|i| indicator.chart_months.get(i).copied());
    Some(SpcReport {
        method: chart.method.clone(),
        variation_icon: chart.variation_icon,
        assurance_icon: chart.assurance_icon,
        target: chart.target,
        charted_months: chart.n_points,
        trial_limits: chart.trial_limits,
        mean: last_segment.mean,
        upper_process_limit: last_segment.upper_process_limit,
        lower_process_limit: last_segment.lower_process_limit,
        signal_since,
    })
}

fn indicator_report(indicator: &Indicator, d: Disclosure) -> IndicatorReport {
    let charted = |month: NaiveDate| {
        let at = indicator.chart_months.iter().position(|m| *m == month)?;
        indicator.chart.as_ref()?.points.get(at)
    };
    IndicatorReport {
        spc: spc_report(indicator),
        chart_note: indicator.chart_note.clone(),
        key: indicator.key.clone(),
        title: indicator.title.clone(),
        unit: indicator.unit.clone(),
        better: indicator.better,
        denominator: indicator.denominator.clone(),
        months: indicator
            .months
            .iter()
            .map(|m| {
                let basis = match indicator.count_in {
                    CountIn::Numerator => m.numerator,
                    CountIn::Denominator => m.denominator,
                };
                let shown = d.count(basis.round() as u64);
                let point = charted(m.month);
                MonthReport {
                    month: m.month,
                    value: m.value.filter(|_| shown != ShownCount::Suppressed),
                    count: shown,
                    mean: point.map(|p| p.mean),
                    upper_process_limit: point.map(|p| p.upper_process_limit),
                    lower_process_limit: point.map(|p| p.lower_process_limit),
                    point_type: point.map(|p| p.point_type),
                }
            })
            .collect(),
    }
}

impl DirectionReport {
    pub fn build(analysis: &Analysis, d: Disclosure) -> DirectionReport {
        let o = &analysis.outcomes;
        let measures = o
            .measures
            .iter()
            .map(|m| {
                let of_paired = |n: u64| d.share(n, m.people_paired);
                MeasureReport {
                    measure: m.measure.clone(),
                    direction: m.direction,
                    reliable_change_threshold: m.reliable_change_threshold,
                    threshold_basis: m.threshold_basis.clone(),
                    people_paired: d.count(m.people_paired),
                    reliable_improvement: of_paired(m.reliable_improvement),
                    no_reliable_change: of_paired(m.no_reliable_change),
                    reliable_deterioration: of_paired(m.reliable_deterioration),
                    recovered: d.share(m.recovered, m.paired_at_caseness),
                    sustained_improvement: of_paired(m.sustained_improvement),
                    with_setbacks: of_paired(m.with_setbacks),
                    labels: m
                        .labels
                        .iter()
                        .map(|(label, n)| LabelShare {
                            label: *label,
                            share: d.share(*n, m.people_scored),
                        })
                        .collect(),
                    mean_baseline: m.mean_baseline,
                    mean_latest: m.mean_latest,
                    median_slope_per_month: m.median_slope_per_month,
                }
            })
            .collect();
        let s = &analysis.stability;
        let of_assessed = |n: u64| d.share(n, s.people_assessed);
        let g = &analysis.goals;
        let audit_report = |fields: &[crate::analysis::direction::goals::AuditField]| {
            fields
                .iter()
                .map(|f| AuditReport {
                    field: f.field.to_string(),
                    description: f.description.to_string(),
                    complete: d.share(f.complete, f.applicable),
                })
                .collect::<Vec<_>>()
        };
        let n = &analysis.narrative;
        let themes = |list: &[crate::analysis::direction::narrative::ThemeCount]| {
            list.iter()
                .map(|t| ThemeReport {
                    theme: t.theme.clone(),
                    group: t.group.clone(),
                    entries: d.count(t.entries),
                })
                .collect::<Vec<_>>()
        };
        let talking_therapies = o
            .talking_therapies
            .as_ref()
            .map(|t| TalkingTherapiesReport {
                people_paired: d.count(t.people_paired),
                at_caseness: d.count(t.at_caseness),
                recovery: d.share(t.recovered, t.at_caseness),
                reliable_recovery: d.share(t.reliable_recovery, t.at_caseness),
                reliable_improvement: d.share(t.reliable_improvement, t.people_paired),
                reliable_deterioration: d.share(t.reliable_deterioration, t.people_paired),
            });
        let mut report = DirectionReport {
            reference_date: analysis.reference_date,
            interpretation: Vec::new(),
            measures,
            talking_therapies,
            service: ServiceReport {
                people_in_service: d.count(analysis.service.people_in_service),
                person_months: (analysis.service.person_months * 10.0).round() / 10.0,
                indicators: analysis
                    .service
                    .indicators
                    .iter()
                    .map(|i| indicator_report(i, d))
                    .collect(),
            },
            stability: StabilityReport {
                window_days: s.window_days,
                people_assessed: d.count(s.people_assessed),
                improving: of_assessed(s.improving),
                stable: of_assessed(s.stable),
                deteriorating: of_assessed(s.deteriorating),
                early_warnings: of_assessed(s.early_warnings),
                flagged_by_indicator: s
                    .flagged_by_indicator
                    .iter()
                    .map(|(i, n)| (*i, d.count(*n)))
                    .collect(),
                flagged_with_follow_up: d.share(s.flagged_with_follow_up, s.early_warnings),
            },
            goals: GoalsReport {
                people_with_goals: d.count(g.people_with_goals),
                goals: d.count(g.goals),
                goals_achieved: d.share(g.goals_achieved, g.goals_with_target),
                mean_gas_t_score: g.mean_gas_t_score,
                goal_based_reliable_improvement: d
                    .share(g.goal_based_reliable_improvement, g.goal_based_paired),
                reviews_on_time: d.share(g.reviews_on_time, g.reviews_on_time + g.reviews_late),
                overdue_reviews: d.count(g.overdue_reviews),
                by_coordinator: g
                    .by_coordinator
                    .iter()
                    .map(|c| CoordinatorReport {
                        coordinator: c.coordinator.clone(),
                        reviews_on_time: d
                            .share(c.reviews_on_time, c.reviews_on_time + c.reviews_late),
                        overdue: d.count(c.overdue),
                    })
                    .collect(),
                static_goals: d.count(g.static_goals),
                people_with_static_plans: d.share(g.people_with_static_plans, g.people_with_goals),
                audit: audit_report(&g.audit),
                audit_by_team: g
                    .audit_by_team
                    .iter()
                    .map(|t| TeamAuditReport {
                        team: t.team.clone(),
                        fields: audit_report(&t.fields),
                    })
                    .collect(),
                reviews_leading_to_action: analysis
                    .review_actions
                    .as_ref()
                    .map(|a| ReviewActionsReport::build(a, d)),
            },
            narrative: NarrativeReport {
                feedback_entries: d.count(n.feedback_entries),
                people_with_own_feedback: d.count(n.people_with_own_feedback),
                numbers_better_voice_worse: d.count(n.numbers_better_voice_worse),
                numbers_flat_voice_better: d.count(n.numbers_flat_voice_better),
                reconciled: d.share(n.reconciled, n.reconciled + n.not_reconciled),
                themes: themes(&n.themes),
                themes_by_pathway: themes(&n.themes_by_pathway),
                themes_by_quarter: themes(&n.themes_by_quarter),
            },
        };
        report.interpretation = interpret(&report);
        report
    }
}

fn month_name(date: NaiveDate) -> String {
    date.format("%B %Y").to_string()
}

/// Plain-English reading of the figures. Only shown (disclosure-controlled) figures are used,
/// so a sentence never reveals a suppressed count.
pub fn interpret(report: &DirectionReport) -> Vec<String> {
    let mut out = Vec::new();
    for m in &report.measures {
        if let (Some(improved), Some(worse)) = (
            m.reliable_improvement.percent,
            m.reliable_deterioration.percent,
        ) {
            out.push(format!(
                "{}: {improved:.0}% of the {} people with a baseline and a later score reliably improved, and {worse:.0}% reliably deteriorated (a reliable change is {} points or more: {}).",
                m.measure, m.people_paired, fmt_number(m.reliable_change_threshold), m.threshold_basis
            ));
        }
    }
    if let Some(t) = &report.talking_therapies {
        if let (Some(recovery), Some(reliable)) = (t.recovery.percent, t.reliable_recovery.percent)
        {
            out.push(format!(
                "NHS Talking Therapies definitions (PHQ-9 and GAD-7): of the {} people at caseness at their first scores, {recovery:.0}% recovered and {reliable:.0}% reliably recovered.",
                t.at_caseness
            ));
        }
    }
    for ind in &report.service.indicators {
        if let Some(sentence) = spc_sentence(ind) {
            out.push(sentence);
        }
    }
    let s = &report.stability;
    if s.early_warnings.numerator != ShownCount::Shown(0) {
        let mut movers: Vec<&(StabilityIndicator, ShownCount)> = s
            .flagged_by_indicator
            .iter()
            .filter(|(_, n)| *n != ShownCount::Shown(0))
            .collect();
        movers.sort_by_key(|(_, n)| {
            std::cmp::Reverse(match n {
                ShownCount::Shown(n) => *n,
                ShownCount::Suppressed => 1,
            })
        });
        let names: Vec<String> = movers
            .iter()
            .take(2)
            .map(|(i, _)| indicator_name(*i).to_string())
            .collect();
        out.push(format!(
            "Early warning: {} of the {} people still in service have two or more indicators worsening together over the last {} days, most often {}.",
            s.early_warnings.numerator,
            s.people_assessed,
            s.window_days,
            names.join(" and ")
        ));
    }
    let g = &report.goals;
    if g.static_goals != ShownCount::Shown(0) {
        out.push(format!(
            "{} goals ({} people) went through two or more reviews with no change to the plan while the rating did not improve: static plans to revisit.",
            g.static_goals, g.people_with_static_plans.numerator
        ));
    }
    let n = &report.narrative;
    if n.numbers_better_voice_worse != ShownCount::Shown(0)
        || n.numbers_flat_voice_better != ShownCount::Shown(0)
    {
        out.push(format!(
            "Numbers and narrative disagree for some people: {} whose scores improve say things are poor, and {} whose scores are flat say things are good. {} of these cases have a plan adjustment recorded since.",
            n.numbers_better_voice_worse, n.numbers_flat_voice_better, n.reconciled.numerator
        ));
    }
    out
}

/// One sentence per indicator whose chart shows a signal, plus crisis contacts always (the
/// headline indicator).
fn spc_sentence(ind: &IndicatorReport) -> Option<String> {
    let spc = ind.spc.as_ref()?;
    let headline = ind.key == crate::analysis::direction::service::CRISIS_RATE;
    let signal = !matches!(spc.variation_icon, VariationIcon::CommonCause);
    if !headline && !signal {
        return None;
    }
    // First and last charted months whose value may be shown.
    let shown: Vec<&MonthReport> = ind
        .months
        .iter()
        .filter(|m| m.point_type.is_some() && m.value.is_some())
        .collect();
    let value = |m: &MonthReport| {
        let v = m.value.unwrap_or_default();
        if ind.unit.starts_with('%') {
            format!("{v:.1}%")
        } else {
            format!("{v:.1} {}", ind.unit)
        }
    };
    let span = match (shown.first(), shown.last()) {
        (Some(first), Some(last)) if first.month != last.month => format!(
            "{} went from {} in {} to {} in {}",
            ind.title,
            value(first),
            month_name(first.month),
            value(last),
            month_name(last.month)
        ),
        _ => format!("{} ({})", ind.title, ind.unit),
    };
    let verdict = match spc.variation_icon {
        VariationIcon::CommonCause => format!(
            "common-cause variation around a mean of {:.1}: no sign of real change",
            spc.mean
        ),
        VariationIcon::ImprovementHigh | VariationIcon::ImprovementLow => format!(
            "a special-cause improvement{}",
            spc.signal_since
                .map(|m| format!(" since {}", month_name(m)))
                .unwrap_or_default()
        ),
        VariationIcon::ConcernHigh | VariationIcon::ConcernLow => format!(
            "a special-cause concern{}",
            spc.signal_since
                .map(|m| format!(" since {}", month_name(m)))
                .unwrap_or_default()
        ),
        VariationIcon::NeutralHigh | VariationIcon::NeutralLow => {
            "a special cause with no preferred direction".to_string()
        }
    };
    let trial = if spc.trial_limits {
        " (trial limits: fewer than 12 months)"
    } else {
        ""
    };
    Some(format!("{span}; the SPC chart shows {verdict}{trial}."))
}

pub(super) fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

pub fn indicator_name(indicator: StabilityIndicator) -> &'static str {
    match indicator {
        StabilityIndicator::CrisisContacts => "crisis contacts",
        StabilityIndicator::Admissions => "admissions",
        StabilityIndicator::MissedAppointments => "missed appointments",
        StabilityIndicator::Engagement => "engagement",
        StabilityIndicator::Housing => "housing",
    }
}

pub(super) fn label_name(label: TravelLabel) -> &'static str {
    match label {
        TravelLabel::Improving => "Improving",
        TravelLabel::Stable => "Stable",
        TravelLabel::Fluctuating => "Fluctuating",
        TravelLabel::Deteriorating => "Deteriorating",
        TravelLabel::InsufficientData => "One score only",
    }
}
