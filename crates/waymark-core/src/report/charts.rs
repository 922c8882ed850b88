//! From analysis results to chart inputs (`waymark-charts`), shared by the HTML report and the
//! web app so a chart can never disagree with the numbers beside it. The charts do no
//! statistics: limits, point types and icons all come from the core.

use super::direction::{IndicatorReport, ThemeReport};
use crate::analysis::outcomes::PersonMeasure;
use crate::analysis::trajectories::{Trajectories, MAX_PEOPLE_DRAWN, MIN_PEOPLE_FOR_MEDIAN};
use crate::disclosure::{ShownCount, ShownShare};
use crate::stats::change::Direction;
use crate::stats::spc::{AssuranceIcon, PointType, VariationIcon};
use waymark_charts::{
    AssuranceIcon as ChartAssurance, Bar, BarChartData, BetterDirection, Emphasis, FunnelChartData,
    FunnelLimit, FunnelPoint, FunnelPosition, HistogramBin, HistogramData, LineChartData,
    LineSeries, MedianPoint as ChartMedianPoint, NumberFormat, PointKind, ReferenceLine,
    ScatterChartData, ScatterPoint, SpaghettiChartData, StepChartData, StepPoint, StepSeries,
    TableData, VariationIcon as ChartVariation, XmrChartData,
};

/// The plain-English name of a Making Data Count variation icon.
pub fn variation_label(icon: VariationIcon) -> &'static str {
    match icon {
        VariationIcon::CommonCause => "Common-cause variation (no signal)",
        VariationIcon::ImprovementHigh => "Special-cause improvement (higher)",
        VariationIcon::ImprovementLow => "Special-cause improvement (lower)",
        VariationIcon::ConcernHigh => "Special-cause concern (higher)",
        VariationIcon::ConcernLow => "Special-cause concern (lower)",
        VariationIcon::NeutralHigh => "Special cause, neither better nor worse (higher)",
        VariationIcon::NeutralLow => "Special cause, neither better nor worse (lower)",
    }
}

pub fn assurance_label(icon: AssuranceIcon) -> &'static str {
    match icon {
        AssuranceIcon::ConsistentlyPass => "Consistently meets the target",
        AssuranceIcon::ConsistentlyFail => "Consistently misses the target",
        AssuranceIcon::HitAndMiss => "Hits and misses the target at random",
    }
}

/// The variation icon alone (38 px) for summary tables, named by [`variation_label`]; `None`
/// (an indicator with too few points for a chart) draws the dash of "too few points".
pub fn variation_icon_svg(id: &str, icon: Option<VariationIcon>) -> String {
    match icon {
        Some(icon) => {
            waymark_charts::variation_icon_svg(id, chart_variation(icon), variation_label(icon))
        }
        None => waymark_charts::variation_icon_svg(
            id,
            ChartVariation::TooFewPoints,
            "Too few points to judge variation",
        ),
    }
}

/// The assurance icon alone (38 px), named by [`assurance_label`].
pub fn assurance_icon_svg(id: &str, icon: AssuranceIcon) -> String {
    let chart = match icon {
        AssuranceIcon::ConsistentlyPass => ChartAssurance::Pass,
        AssuranceIcon::ConsistentlyFail => ChartAssurance::Fail,
        AssuranceIcon::HitAndMiss => ChartAssurance::HitAndMiss,
    };
    waymark_charts::assurance_icon_svg(id, chart, assurance_label(icon))
}

fn chart_variation(icon: VariationIcon) -> ChartVariation {
    match icon {
        VariationIcon::CommonCause => ChartVariation::CommonCause,
        VariationIcon::ImprovementHigh => ChartVariation::ImprovementHigh,
        VariationIcon::ImprovementLow => ChartVariation::ImprovementLow,
        VariationIcon::ConcernHigh => ChartVariation::ConcernHigh,
        VariationIcon::ConcernLow => ChartVariation::ConcernLow,
        VariationIcon::NeutralHigh => ChartVariation::NeitherHigh,
        VariationIcon::NeutralLow => ChartVariation::NeitherLow,
    }
}

/// The XmR chart of one service indicator, over its charted months. Values withheld by
/// disclosure control are gaps; the limits (statistics) are still drawn.
pub fn xmr_chart(indicator: &IndicatorReport) -> Option<XmrChartData> {
    let spc = indicator.spc.as_ref()?;
    let charted: Vec<_> = indicator
        .months
        .iter()
        .filter(|m| m.point_type.is_some())
        .collect();
    let value_format = if indicator.unit.starts_with('%') {
        NumberFormat::percent(1)
    } else {
        NumberFormat::fixed(1)
    };
    let summary = format!(
        "{} by month, {} months charted. {}.{}",
        indicator.title,
        charted.len(),
        variation_label(spc.variation_icon),
        spc.assurance_icon
            .map(|a| format!(" {}.", assurance_label(a)))
            .unwrap_or_default()
    );
    Some(XmrChartData {
        title: format!("{} ({})", indicator.title, indicator.unit),
        x_label: "Month".into(),
        y_label: indicator.unit.clone(),
        x_labels: charted
            .iter()
            .map(|m| m.month.format("%b %Y").to_string())
            .collect(),
        values: charted.iter().map(|m| m.value).collect(),
        mean: charted.iter().map(|m| m.mean.unwrap_or(spc.mean)).collect(),
        upper: charted
            .iter()
            .map(|m| m.upper_process_limit.unwrap_or(spc.upper_process_limit))
            .collect(),
        lower: charted
            .iter()
            .map(|m| m.lower_process_limit.unwrap_or(spc.lower_process_limit))
            .collect(),
        point_kinds: charted
            .iter()
            .map(|m| match m.point_type {
                Some(PointType::SpecialCauseImprovement) => PointKind::Improvement,
                Some(PointType::SpecialCauseConcern) => PointKind::Concern,
                Some(PointType::SpecialCauseNeutral) => PointKind::Neutral,
                _ => PointKind::Common,
            })
            .collect(),
        target: spc.target,
        variation_icon: chart_variation(spc.variation_icon),
        assurance_icon: spc.assurance_icon.map(|a| match a {
            AssuranceIcon::ConsistentlyPass => ChartAssurance::Pass,
            AssuranceIcon::ConsistentlyFail => ChartAssurance::Fail,
            AssuranceIcon::HitAndMiss => ChartAssurance::HitAndMiss,
        }),
        value_format,
        summary,
    })
}

/// Baseline against latest score for everyone with two scores on a measure, with the
/// reliable-change band. Person-level: for the app, never for an export.
pub fn change_scatter(
    measure: &str,
    threshold: f64,
    direction: Option<Direction>,
    people: &[PersonMeasure],
) -> ScatterChartData {
    let points: Vec<ScatterPoint> = people
        .iter()
        .filter(|p| p.measure == measure && p.n_scores >= 2)
        .map(|p| ScatterPoint {
            x: p.baseline,
            y: p.latest,
        })
        .collect();
    let mut chart = ScatterChartData {
        title: format!("{measure}: baseline against latest score"),
        x_label: format!("{measure} at baseline"),
        y_label: format!("{measure} at latest score"),
        summary: format!(
            "{} people with two or more {measure} scores (counts of 1 to 7 shown as *, others rounded to the nearest 5). Points outside the band changed by {threshold} points or more (reliable change).",
            ShownCount::from_count(points.len() as u64)
        ),
        points,
        reliable_change: Some(threshold),
        better: direction.map(|d| match d {
            Direction::HigherIsBetter => BetterDirection::Higher,
            Direction::LowerIsBetter => BetterDirection::Lower,
        }),
        value_format: NumberFormat::number(),
        shown_counts: None,
    };
    // The legend's counts as the table shows them once disclosed.
    chart.shown_counts = Some(
        chart
            .class_counts()
            .into_iter()
            .map(|n| ShownCount::from_count(n as u64).to_string())
            .collect(),
    );
    chart
}

/// The distribution of GAS T-scores in bins of 5, with 50 ("as expected") marked. Every count
/// drawn goes through [`ShownCount`] (1-7 suppressed, others rounded to 5), as in every export.
pub fn gas_histogram(t_scores: &[f64]) -> HistogramData {
    let (lo, hi) = (20.0_f64, 80.0_f64);
    let mut bins: Vec<HistogramBin> = (0..12)
        .map(|i| HistogramBin {
            lower: lo + 5.0 * f64::from(i),
            upper: lo + 5.0 * f64::from(i + 1),
            count: Some(0),
        })
        .collect();
    for t in t_scores {
        let at = (((t.clamp(lo, hi - 1e-9)) - lo) / 5.0).floor() as usize;
        if let Some(bin) = bins.get_mut(at) {
            bin.count = bin.count.map(|c| c + 1);
        }
    }
    // The chart is offered as SVG and PNG: bar heights and labels are disclosed counts.
    for bin in &mut bins {
        bin.count = match bin.count.map(ShownCount::from_count) {
            Some(ShownCount::Shown(n)) => Some(n),
            _ => None,
        };
    }
    HistogramData {
        title: "Goal attainment: GAS T-scores".into(),
        x_label: "GAS T-score (50 = goals met as expected)".into(),
        y_label: "People".into(),
        bins,
        reference_lines: vec![ReferenceLine {
            value: 50.0,
            label: "As expected".into(),
        }],
        value_format: NumberFormat::fixed(0),
        summary: format!(
            "GAS T-scores of {} people; bins of 1 to 7 people are shown as *, other counts rounded to the nearest 5. Scores below 20 or above 80 are in the end bins.",
            ShownCount::from_count(t_scores.len() as u64)
        ),
    }
}

/// Gross cost avoided by event type with bootstrap intervals (priced event types only).
pub fn avoided_cost_bars(value: &crate::value::cost_avoidance::CostAvoidance) -> BarChartData {
    let bars: Vec<Bar> = value
        .by_event_type
        .iter()
        .filter_map(|e| {
            let gross = e.gross_avoided.as_ref()?;
            Some(Bar {
                label: e.event_type.replace('_', " "),
                value: Some(gross.value.0),
                interval: gross.ci95.map(|ci| (ci.lower.0, ci.upper.0)),
                note: e
                    .unit_cost_is_estimate
                    .then(|| "unit cost is an estimate".to_string()),
            })
        })
        .collect();
    BarChartData {
        title: "Gross cost avoided by event type".into(),
        category_label: "Event type".into(),
        value_label: "Cost avoided (£, before adjustments)".into(),
        summary: format!(
            "Cost avoided over the post window for {} priced event types, with bootstrap 95% intervals.",
            bars.len()
        ),
        bars,
        interval_label: "95% bootstrap interval".into(),
        domain: None,
        value_format: NumberFormat::pounds(0),
    }
}

/// Cumulative adjusted cost avoided by month since the start of support.
pub fn cumulative_avoided_line(
    value: &crate::value::cost_avoidance::CostAvoidance,
) -> LineChartData {
    LineChartData {
        title: "Cumulative cost avoided by month since start (before and after, adjusted)".into(),
        x_label: "Months since the start of support".into(),
        y_label: "Cumulative cost avoided (£, adjusted)".into(),
        x_labels: value.over_time.iter().map(|m| m.month.to_string()).collect(),
        series: vec![LineSeries {
            name: "Cumulative adjusted cost avoided".into(),
            values: value
                .over_time
                .iter()
                .map(|m| Some(m.cumulative_adjusted_avoided.0))
                .collect(),
            emphasis: Emphasis::Highlight,
        }],
        background_label: String::new(),
        value_format: NumberFormat::pounds(0),
        summary: "How the avoided cost builds up month by month after the start of support, so short-term spikes are not mistaken for lasting impact.".into(),
        missing_cell: String::new(),
    }
}

/// One measure's scores by months since each person's baseline: a thin line per person drawn
/// (person-level: for the app, never for an export) under the bold median line. The table is
/// the median line only, with the number of people behind each month.
pub fn trajectory_spaghetti(t: &Trajectories) -> SpaghettiChartData {
    let drawn = t.people.len();
    let who = if t.n_people == 0 {
        format!("No one has a {} score.", t.measure)
    } else if drawn < t.n_people {
        format!(
            "{drawn} of {} people drawn as thin grey lines (at most {MAX_PEOPLE_DRAWN}, spread evenly through the list).",
            t.n_people
        )
    } else if t.n_people == 1 {
        "One person, drawn as a thin grey line.".to_string()
    } else {
        format!("All {} people drawn as thin grey lines.", t.n_people)
    };
    let summary = format!(
        "{who} The bold dashed line is the median across everyone of each person's score nearest to each whole month since their baseline (within half a month). Months where fewer than {MIN_PEOPLE_FOR_MEDIAN} people had a score are left out of the median. Later months describe only the people still being scored."
    );
    SpaghettiChartData {
        title: format!("{}: scores by months since baseline", t.measure),
        x_label: "Months since baseline".into(),
        y_label: format!("{} score", t.measure),
        lines: t.people.iter().map(|p| p.points.clone()).collect(),
        line_label: "One person".into(),
        median: t
            .median
            .iter()
            .map(|m| ChartMedianPoint {
                x: f64::from(m.month),
                value: m.median,
                count: m.n_people,
            })
            .collect(),
        median_label: "Median score".into(),
        count_label: "People".into(),
        max_gap: Some(1.0),
        better: Some(match t.direction {
            Direction::HigherIsBetter => BetterDirection::Higher,
            Direction::LowerIsBetter => BetterDirection::Lower,
        }),
        x_format: NumberFormat::fixed(0),
        // Medians of whole-number scores end in .0 or .5.
        value_format: NumberFormat::fixed(1),
        summary,
    }
}

/// How many themes [`themes_over_time`] follows.
pub const THEMES_OVER_TIME: usize = 5;

/// Feedback entries naming each of the most common themes, by calendar quarter, as one line
/// per theme (colour, dash and marker shape differ). Takes the report's already-disclosed
/// counts: a withheld count (1-7 entries) is a gap in the line and `*` in the table, others are
/// rounded to 5, so the table passes [`disclose_table`] unchanged. Themes are ranked by the sum
/// of their shown counts (withheld counts as 0; ties by name); quarters run without gaps from
/// the first to the last with feedback, and a theme not named in a quarter has 0 entries.
pub fn themes_over_time(themes_by_quarter: &[ThemeReport]) -> LineChartData {
    let shown = |c: ShownCount| match c {
        ShownCount::Shown(n) => n,
        ShownCount::Suppressed => 0,
    };
    let mut totals: std::collections::BTreeMap<&str, u64> = Default::default();
    for t in themes_by_quarter {
        *totals.entry(t.theme.as_str()).or_default() += shown(t.entries);
    }
    let mut ranked: Vec<(&str, u64)> = totals.into_iter().collect();
    // BTreeMap order is by name, and the sort is stable, so ties stay alphabetical.
    ranked.sort_by(|a, b| b.1.cmp(&a.1));
    let top: Vec<&str> = ranked
        .iter()
        .take(THEMES_OVER_TIME)
        .map(|(theme, _)| *theme)
        .collect();
    let quarters = quarter_axis(themes_by_quarter.iter().map(|t| t.group.as_str()));
    let series = top
        .iter()
        .map(|theme| LineSeries {
            name: (*theme).to_string(),
            values: quarters
                .iter()
                .map(|q| {
                    match themes_by_quarter
                        .iter()
                        .find(|t| t.theme == *theme && &t.group == q)
                    {
                        Some(t) => match t.entries {
                            ShownCount::Shown(n) => Some(n as f64),
                            ShownCount::Suppressed => None,
                        },
                        None => Some(0.0),
                    }
                })
                .collect(),
            emphasis: Emphasis::Highlight,
        })
        .collect();
    let summary = if top.is_empty() {
        "No feedback themes to show.".to_string()
    } else {
        format!(
            "Feedback entries naming each of the {} most common themes, by calendar quarter. Counts are rounded to the nearest 5; counts of 1 to 7 are withheld (a gap in the line, * in the table).",
            top.len()
        )
    };
    LineChartData {
        title: "Feedback themes over time".into(),
        x_label: "Quarter".into(),
        y_label: "Feedback entries".into(),
        x_labels: quarters,
        series,
        background_label: String::new(),
        value_format: NumberFormat::fixed(0),
        summary,
        missing_cell: ShownCount::Suppressed.to_string(),
    }
}

/// Quarters such as "2026 Q1" from the first to the last, without gaps. Labels that are not
/// quarters, or a span over 100 quarters (a mistyped date), fall back to the distinct labels
/// in sorted order.
fn quarter_axis<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut distinct: Vec<&str> = labels.collect();
    distinct.sort_unstable();
    distinct.dedup();
    let parse = |label: &str| -> Option<i64> {
        let (year, quarter) = label.split_once(" Q")?;
        let (year, quarter) = (year.parse::<i64>().ok()?, quarter.parse::<i64>().ok()?);
        (1..=4).contains(&quarter).then_some(year * 4 + quarter - 1)
    };
    let parsed: Option<Vec<i64>> = distinct.iter().map(|l| parse(l)).collect();
    let span = parsed
        .as_ref()
        .and_then(|p| Some((*p.iter().min()?, *p.iter().max()?)));
    match span {
        Some((first, last)) if last - first < 100 => (first..=last)
            .map(|i| format!("{} Q{}", i.div_euclid(4), i.rem_euclid(4) + 1))
            .collect(),
        _ => distinct.into_iter().map(str::to_string).collect(),
    }
}

/// Kaplan–Meier curves per pathway with log(-log) Greenwood bands, in percent: the core's
/// survival S(t) is a probability (0-1); the chart, its table and CSV show 100·S(t) on a
/// 0-100% axis, so a reader never sees "1.0%" for "everyone".
pub fn survival_steps(t: &crate::analysis::pathways::TimeToEvent, title: &str) -> StepChartData {
    let percent = |p: f64| 100.0 * p;
    let series = t
        .groups
        .iter()
        .filter_map(|g| {
            let curve = g.curve.as_ref()?;
            let mut points = vec![StepPoint {
                time: 0.0,
                estimate: 100.0,
                lower: Some(100.0),
                upper: Some(100.0),
            }];
            points.extend(curve.steps.iter().map(|s| StepPoint {
                time: s.time,
                estimate: percent(s.survival),
                lower: Some(percent(s.lower)),
                upper: Some(percent(s.upper)),
            }));
            Some(StepSeries {
                name: g.pathway.clone(),
                points,
                censored: Vec::new(),
            })
        })
        .collect();
    StepChartData {
        title: title.into(),
        x_label: format!("Time ({})", t.time_unit),
        y_label: "Share without the event (%)".into(),
        series,
        y_domain: Some((0.0, 100.0)),
        value_format: NumberFormat::percent(1),
        time_format: NumberFormat::fixed(0),
        summary: format!(
            "{} Kaplan-Meier estimates with 95% log(-log) Greenwood intervals.{}",
            t.definition,
            t.log_rank
                .as_ref()
                .map(|l| format!(" Log-rank test across pathways: p = {:.3}.", l.p_value))
                .unwrap_or_default()
        ),
    }
}

/// A funnel plot of teams or pathways against the overall rate, with 95% and 99.8% limits and
/// each unit named beside its point.
///
/// Everything drawn is disclosure-controlled with [`ShownShare`] and [`ShownCount`], since the
/// SVG, PNG and CSV are offered for download: a proportion's unit is placed at its number of
/// people rounded to 5 (its value and limits computed on the true counts), and a unit whose
/// numerator or denominator is 1-7 is left out (the summary says how many). A ratio's unit is
/// left out when its observed count is 1-7 (expected events are not a count). Proportions are
/// shown in percent. The limit curves are sampled at whole numbers of people for proportions
/// (exact binomial limits exist only there) and continuously for ratios.
pub fn funnel_chart(f: &crate::analysis::pathways::FunnelData) -> Option<FunnelChartData> {
    use crate::stats::funnel::{FunnelBand, FunnelIndicator};
    let funnel = f.funnel.as_ref()?;
    let proportion = funnel.options.indicator == FunnelIndicator::Proportion;
    let scale = if proportion { 100.0 } else { 1.0 };
    let max_n = funnel
        .units
        .iter()
        .map(|u| u.denominator)
        .fold(1.0_f64, f64::max);
    let samples: Vec<f64> = if proportion {
        let top = (max_n * 1.1).ceil().max(2.0) as u64;
        let step = top.div_ceil(80).max(1);
        (1..=top).step_by(step as usize).map(|n| n as f64).collect()
    } else {
        (1..=60)
            .map(|i| max_n * 1.1 * f64::from(i) / 60.0)
            .collect()
    };
    let limits = samples
        .into_iter()
        .filter_map(|n| {
            funnel.limits_at(n).map(|l| FunnelLimit {
                denominator: n,
                lower_95: scale * l.lower_95,
                upper_95: scale * l.upper_95,
                lower_998: scale * l.lower_998,
                upper_998: scale * l.upper_998,
            })
        })
        .collect();
    let (unit, units) = match f.units {
        crate::analysis::pathways::FunnelUnits::Team => ("Team", "teams"),
        crate::analysis::pathways::FunnelUnits::Pathway => ("Pathway", "pathways"),
    };
    let mut withheld = 0;
    let points: Vec<FunnelPoint> = funnel
        .units
        .iter()
        .filter_map(|u| {
            let shown_size = if proportion {
                let share = ShownShare::new(u.numerator, u.denominator as u64);
                match (share.percent, share.denominator) {
                    (Some(_), ShownCount::Shown(n)) => Some(n as f64),
                    _ => None,
                }
            } else {
                (ShownCount::from_count(u.numerator) != ShownCount::Suppressed)
                    .then_some(u.denominator)
            };
            let Some(size) = shown_size else {
                withheld += 1;
                return None;
            };
            Some(FunnelPoint {
                label: f.unit_names.get(u.unit_idx).cloned().unwrap_or_default(),
                denominator: size,
                value: scale * u.value,
                position: match u.band {
                    FunnelBand::WithinLimits => FunnelPosition::Within,
                    FunnelBand::AboveUpper95 => FunnelPosition::Above95,
                    FunnelBand::AboveUpper998 => FunnelPosition::Above998,
                    FunnelBand::BelowLower95 => FunnelPosition::Below95,
                    FunnelBand::BelowLower998 => FunnelPosition::Below998,
                },
            })
        })
        .collect();
    let by = unit.to_lowercase();
    let mut summary = format!("{}. Method: {}.", f.indicator, funnel.method);
    if proportion {
        summary.push_str(" Sizes are numbers of people rounded to the nearest 5.");
    }
    if withheld > 0 {
        summary.push_str(&format!(
            " {withheld} {} with counts of 1 to 7 not shown (disclosure control).",
            if withheld == 1 { by.as_str() } else { units }
        ));
    }
    let (x_label, y_label, value_format) = if proportion {
        (
            "People (rounded to 5)".to_string(),
            format!("{} (%)", f.indicator),
            NumberFormat::percent(1),
        )
    } else {
        (
            "Expected events".to_string(),
            f.indicator.clone(),
            NumberFormat::fixed(2),
        )
    };
    Some(FunnelChartData {
        title: format!("{} by {by}", f.indicator),
        x_label,
        y_label,
        unit_label: unit.into(),
        points,
        centre: scale * funnel.target,
        limits,
        value_format,
        summary,
    })
}

/// A chart's table as it may leave the app (CSV download, "show as table"): counts of people go
/// through [`crate::disclosure::ShownCount`], and in a row whose count is suppressed every other
/// figure computed from those people is withheld too (a share, a funnel value, the lowest and
/// highest score of a tiny group). Axis positions (bin edges, times) are kept.
pub fn disclose_table(table: &TableData) -> TableData {
    let header = |i: usize| {
        table
            .headers
            .get(i)
            .map(|h| h.to_lowercase())
            .unwrap_or_default()
    };
    let is_count = |i: usize| {
        let h = header(i);
        h == "people"
            || h == "count"
            || h.starts_with("denominator")
            || h.contains("number with a value")
    };
    let is_axis = |i: usize| {
        let h = header(i);
        i == 0
            || h.starts_with("from")
            || h.starts_with("to")
            || h.starts_with("time")
            || h.contains("range")
    };
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut suppressed = false;
            let mut cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let number = cell.replace(',', "").parse::<f64>().ok();
                    match number {
                        Some(n) if is_count(i) && n.fract() == 0.0 && n >= 0.0 => {
                            let shown = crate::disclosure::ShownCount::from_count(n as u64);
                            suppressed |= shown == crate::disclosure::ShownCount::Suppressed;
                            shown.to_string()
                        }
                        _ => cell.clone(),
                    }
                })
                .collect();
            if suppressed {
                for (i, cell) in cells.iter_mut().enumerate() {
                    let numeric = cell
                        .replace(',', "")
                        .trim_end_matches('%')
                        .parse::<f64>()
                        .is_ok();
                    if numeric && !is_count(i) && !is_axis(i) {
                        *cell = "*".to_string();
                    }
                }
            }
            cells
        })
        .collect();
    TableData {
        caption: format!(
            "{} (counts of 1-7 shown as *, other counts rounded to 5)",
            table.caption
        ),
        headers: table.headers.clone(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::trajectories::{trajectories, PersonScores};
    use chrono::NaiveDate;
    use waymark_charts::{Chart, RenderOptions};

    /// `n` people, person `i` scored at baseline and at 1 month (and at 2 months for the first
    /// six), scores chosen so the medians are easy to work out.
    fn people(n: usize) -> Vec<PersonScores> {
        (0..n)
            .map(|i| PersonScores {
                person: i,
                days_since_baseline: if i < 6 { vec![0, 30, 61] } else { vec![0, 30] },
                scores: if i < 6 {
                    vec![20.0, 15.0, i as f64]
                } else {
                    vec![20.0, 15.0]
                },
            })
            .collect()
    }

    #[test]
    fn spaghetti_draws_at_most_200_people_and_tables_the_median_only() {
        let t = trajectories("PHQ-9", Direction::LowerIsBetter, &people(250));
        let chart = trajectory_spaghetti(&t);
        assert_eq!(chart.lines.len(), 200);
        assert!(
            chart.summary.starts_with("200 of 250 people drawn"),
            "{}",
            chart.summary
        );
        assert!(chart.summary.contains("fewer than 5 people"));
        assert_eq!(chart.better, Some(BetterDirection::Lower));
        let table = chart.as_table();
        assert_eq!(
            table.headers,
            vec!["Months since baseline", "Median score", "People"]
        );
        // Month 2: six people scored 0..5, median (2 + 3) / 2.
        assert_eq!(
            table.rows,
            vec![
                vec!["0", "20.0", "250"],
                vec!["1", "15.0", "250"],
                vec!["2", "2.5", "6"],
            ]
        );
        // Leaving the app: 6 people is withheld, and so is their median.
        let shown = disclose_table(&table);
        assert_eq!(shown.rows[2], vec!["2", "*", "*"]);
        assert_eq!(shown.rows[0], vec!["0", "20.0", "250"]);
        let svg = chart.to_svg(&RenderOptions::new("phq9-trajectories"));
        assert!(svg.contains(
            "<title id=\"phq9-trajectories-title\">PHQ-9: scores by months since baseline</title>"
        ));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn spaghetti_of_nobody_or_one_person_still_draws() {
        for t in [
            trajectories("WEMWBS", Direction::HigherIsBetter, &[]),
            trajectories("WEMWBS", Direction::HigherIsBetter, &people(1)),
        ] {
            let chart = trajectory_spaghetti(&t);
            assert!(chart.median.is_empty());
            assert!(chart.as_table().rows.is_empty());
            assert!(chart.to_svg(&RenderOptions::new("w")).starts_with("<svg"));
        }
        let nobody = trajectory_spaghetti(&trajectories("WEMWBS", Direction::HigherIsBetter, &[]));
        assert!(nobody.summary.starts_with("No one has a WEMWBS score."));
        let one = trajectory_spaghetti(&trajectories(
            "WEMWBS",
            Direction::HigherIsBetter,
            &people(1),
        ));
        assert!(one.summary.starts_with("One person, drawn"));
    }

    /// Four people: events at 10 and 20 days, one censored at 30, an event at 40. Worked by
    /// hand: S = 1 before 10, 3/4 from 10, 3/4 · 1/2 = 1/2 from 20 (and at the censoring at
    /// 30), 1/2 · 0/1 = 0 from 40. In percent: 100, 75, 50, 50, 0.
    #[test]
    fn survival_chart_is_in_percent_on_a_0_to_100_axis() {
        use crate::analysis::pathways::{GroupKind, SurvivalGroup, SurvivalOutcome, TimeToEvent};
        use crate::stats::survival::{kaplan_meier, Observation};
        let observations = [(10.0, true), (20.0, true), (30.0, false), (40.0, true)]
            .map(|(time, event)| Observation { time, event });
        let t = TimeToEvent {
            outcome: SurvivalOutcome::TimeToFirstCrisis,
            measure: None,
            definition: "Days from start to the first crisis contact.".into(),
            time_unit: "days".into(),
            tau_days: 365.0,
            groups: vec![SurvivalGroup {
                pathway: "Step-down".into(),
                kind: GroupKind::ServicePathway,
                people_at_risk: 4,
                events: 3,
                curve: kaplan_meier(&observations, 0.95),
                restricted_mean: None,
            }],
            log_rank: None,
            log_rank_pathways: Vec::new(),
        };
        let chart = survival_steps(&t, "Time to first crisis");
        assert_eq!(chart.y_domain, Some((0.0, 100.0)));
        let table = chart.as_table();
        assert_eq!(table.headers[2], "Estimate (%)");
        let estimates: Vec<&str> = table.rows.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(estimates, vec!["100.0", "75.0", "50.0", "50.0", "0.0"]);
        for row in &table.rows {
            for cell in &row[2..5] {
                let v: f64 = cell.parse().expect("a number");
                assert!((0.0..=100.0).contains(&v), "{cell}");
            }
        }
        // The 75% step's log(-log) band lies strictly inside (0, 100) and is not a fraction.
        let lower: f64 = table.rows[1][3].parse().expect("a number");
        assert!(lower > 1.0 && lower < 75.0, "{lower}");
        let svg = chart.to_svg(&RenderOptions::new("km"));
        assert!(svg.contains(">100%<"), "the axis reaches 100%");
        assert!(!svg.contains(">1.0%<") && !svg.contains(">0.2%<"));
    }

    /// The words and numbers a reader sees in an SVG: its text content (titles, descriptions,
    /// labels, tooltips), without the markup and its coordinates.
    fn svg_text(svg: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in svg.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    out.push(' ');
                }
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Whole numbers standing alone in `text` ("47" in "0.21 of 47", not the 5 of "5.0%").
    fn whole_numbers(text: &str) -> Vec<u64> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|t| !t.is_empty() && !t.contains('.'))
            .filter_map(|t| t.parse().ok())
            .collect()
    }

    fn assert_disclosed(what: &str, text: &str, true_counts: &[u64]) {
        let numbers = whole_numbers(text);
        for count in true_counts {
            assert!(
                !numbers.contains(count),
                "{what} shows the true count {count}: {text}"
            );
        }
    }

    /// Small groups, as a small service has them. Teams: A 3 of 5 and E 2 of 12 (a count of 1-7
    /// each, so left out), B 10 of 47, C 20 of 63, D 30 of 88 (shown at 45, 65 and 90 people).
    /// GAS bins of 39, 58, 37 and 3 people (shown 40, 60, 35 and *; 137 people shown as 135).
    /// PHQ-9 pairs: 5 reliable improvements (20 -> 10), 1 deterioration (10 -> 20), 10 no
    /// reliable change (15 -> 14): the legend shows *, * and 10. All worked by hand from the
    /// rule (1-7 -> *, others to the nearest 5).
    #[test]
    fn downloadable_charts_carry_only_disclosed_counts() {
        use crate::analysis::outcomes::TravelLabel;
        use crate::analysis::pathways::{FunnelData, FunnelUnits};
        use crate::stats::funnel::{funnel_plot, FunnelOptions, FunnelUnit};

        let teams = [
            ("A", 3, 5),
            ("B", 10, 47),
            ("C", 20, 63),
            ("D", 30, 88),
            ("E", 2, 12),
        ];
        let units: Vec<FunnelUnit> = teams
            .iter()
            .map(|&(_, x, n)| FunnelUnit {
                numerator: x,
                denominator: n as f64,
            })
            .collect();
        let data = FunnelData {
            units: FunnelUnits::Team,
            indicator: "reliable improvement on PHQ-9".into(),
            standardisation: String::new(),
            unit_names: teams.iter().map(|t| t.0.to_string()).collect(),
            funnel: funnel_plot(&units, FunnelOptions::proportions()).ok(),
            note: None,
        };
        let funnel = funnel_chart(&data).expect("a funnel");
        let svg = svg_text(&funnel.to_svg(&RenderOptions::new("funnel")));
        let table = disclose_table(&funnel.as_table());
        let table_text = format!("{:?}", table.rows);
        // The teams' true sizes (their numerators are never written; "3 units plotted" and
        // tick labels such as "10%" are not counts of people; team A, of 5, is checked by name).
        for text in [&svg, &table_text] {
            assert_disclosed("funnel", text, &[12, 47, 63, 88]);
        }
        assert!(!svg.contains("A:") && !svg.contains("E:"));
        let sizes: Vec<&str> = table.rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(sizes, vec!["45", "65", "90"]);
        assert!(funnel
            .summary
            .contains("2 teams with counts of 1 to 7 not shown"));
        // Each unit shown is named on the chart.
        for name in ["B", "C", "D"] {
            assert!(svg.contains(&format!(" {name} ")), "{name} labelled");
        }

        let mut t_scores = vec![47.0; 39];
        t_scores.extend([52.0; 58]);
        t_scores.extend([57.0; 37]);
        t_scores.extend([67.0; 3]);
        let histogram = gas_histogram(&t_scores);
        let svg = svg_text(&histogram.to_svg(&RenderOptions::new("gas")));
        let table_text = format!("{:?}", disclose_table(&histogram.as_table()).rows);
        for text in [&svg, &table_text] {
            assert_disclosed("GAS histogram", text, &[39, 58, 37, 3, 137]);
        }
        for shown in ["40", "60", "35"] {
            assert!(table_text.contains(&format!("\"{shown}\"")), "{shown}");
        }
        assert!(svg.contains("135 people"));

        let pair = |baseline: f64, latest: f64| PersonMeasure {
            person: 0,
            measure: "PHQ-9".into(),
            n_scores: 2,
            baseline_date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
            baseline,
            latest_date: NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date"),
            latest,
            change: latest - baseline,
            rci: None,
            reliable_change: None,
            clinical: None,
            slope_per_month: None,
            trend_p: None,
            setbacks: 0,
            setback_dates: Vec::new(),
            last_setback: None,
            days_since_last_setback: None,
            sustained_improvement: false,
            label: TravelLabel::Stable,
        };
        let mut people = vec![pair(20.0, 10.0); 5];
        people.push(pair(10.0, 20.0));
        people.extend(vec![pair(15.0, 14.0); 10]);
        let scatter = change_scatter("PHQ-9", 6.0, Some(Direction::LowerIsBetter), &people);
        let svg = svg_text(&scatter.to_svg(&RenderOptions::new("scatter")));
        assert!(!svg.contains("n = 5") && !svg.contains("n = 1)"), "{svg}");
        assert!(svg.contains("(n = *)") && svg.contains("(n = 10)"), "{svg}");
        assert!(
            svg.contains("15 people with two or more"),
            "16 rounds to 15"
        );
        assert!(
            !svg.contains("(5 people)") && !svg.contains("16 people"),
            "{svg}"
        );
    }

    /// A proportion funnel draws its limit curves (they were empty: exact binomial limits exist
    /// only at whole numbers of people, and the curves were sampled between them). Each sample
    /// is a whole number, in percent, equal to the core's limits at that size; the 99.8% band
    /// lies outside the 95% band, and the bands narrow as the size grows.
    #[test]
    fn proportion_funnels_have_limit_curves_in_percent() {
        use crate::analysis::pathways::{FunnelData, FunnelUnits};
        use crate::stats::funnel::{funnel_plot, FunnelOptions, FunnelUnit};
        let units: Vec<FunnelUnit> = [(10, 47), (20, 63), (30, 88), (12, 40)]
            .iter()
            .map(|&(x, n)| FunnelUnit {
                numerator: x,
                denominator: f64::from(n),
            })
            .collect();
        let data = FunnelData {
            units: FunnelUnits::Pathway,
            indicator: "reliable improvement on PHQ-9".into(),
            standardisation: String::new(),
            unit_names: vec!["P1".into(), "P2".into(), "P3".into(), "P4".into()],
            funnel: funnel_plot(&units, FunnelOptions::proportions()).ok(),
            note: None,
        };
        let funnel = data.funnel.as_ref().expect("a funnel");
        let chart = funnel_chart(&data).expect("a chart");
        assert!(chart.limits.len() >= 40, "{} samples", chart.limits.len());
        for l in &chart.limits {
            assert_eq!(l.denominator.fract(), 0.0);
            let core = funnel.limits_at(l.denominator).expect("limits");
            assert!((l.upper_95 - 100.0 * core.upper_95).abs() < 1e-9);
            assert!(l.lower_998 <= l.lower_95 && l.upper_95 <= l.upper_998);
        }
        let (first, last) = (chart.limits[5], chart.limits[chart.limits.len() - 1]);
        assert!(last.upper_95 - last.lower_95 < first.upper_95 - first.lower_95);
        // Pooled target 72 / 238 = 30.25%, in percent.
        assert!((chart.centre - 100.0 * 72.0 / 238.0).abs() < 1e-9);
        assert_eq!(chart.unit_label, "Pathway");
        let svg = chart.to_svg(&RenderOptions::new("f"));
        assert_eq!(svg.matches("class=\"wm-limit\"").count(), 4);
        assert!(!svg.contains("class=\"wm-limit\" d=\"\""));
    }

    fn theme(theme: &str, quarter: &str, entries: u64) -> ThemeReport {
        ThemeReport {
            theme: theme.into(),
            group: quarter.into(),
            entries: ShownCount::from_count(entries),
        }
    }

    /// Worked by hand: shown totals are Money 40, Isolation 30 (12 -> 10, 3 withheld, 20),
    /// Housing 25, Sleep 10 and Work 10 (a tie, alphabetical), Family 0 (withheld): Family is
    /// the sixth and left out. 2025 Q3 has no feedback at all but stays on the axis.
    #[test]
    fn themes_over_time_follows_the_top_five_with_disclosed_counts() {
        let by_quarter = vec![
            theme("Isolation", "2025 Q1", 12),
            theme("Isolation", "2025 Q2", 3),
            theme("Isolation", "2025 Q4", 20),
            theme("Money", "2025 Q1", 40),
            theme("Housing", "2025 Q2", 25),
            theme("Work", "2025 Q4", 9),
            theme("Sleep", "2025 Q1", 11),
            theme("Family", "2025 Q2", 5),
        ];
        let chart = themes_over_time(&by_quarter);
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["Money", "Isolation", "Housing", "Sleep", "Work"]
        );
        assert_eq!(
            chart.x_labels,
            vec!["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
        );
        let table = chart.as_table();
        assert_eq!(
            table.headers,
            vec!["Quarter", "Money", "Isolation", "Housing", "Sleep", "Work"]
        );
        assert_eq!(table.rows[0], vec!["2025 Q1", "40", "10", "0", "10", "0"]);
        assert_eq!(table.rows[1], vec!["2025 Q2", "0", "*", "25", "0", "0"]);
        assert_eq!(table.rows[2], vec!["2025 Q3", "0", "0", "0", "0", "0"]);
        assert_eq!(table.rows[3], vec!["2025 Q4", "0", "20", "0", "0", "10"]);
        // Already disclosed: the app's export step changes nothing.
        assert_eq!(disclose_table(&table).rows, table.rows);
        let svg = chart.to_svg(&RenderOptions::new("themes"));
        assert!(svg.contains("<title id=\"themes-title\">Feedback themes over time</title>"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn themes_over_time_without_feedback_says_so() {
        let chart = themes_over_time(&[]);
        assert!(chart.series.is_empty() && chart.x_labels.is_empty());
        assert_eq!(chart.summary, "No feedback themes to show.");
        assert!(chart
            .to_svg(&RenderOptions::new("t"))
            .contains("No feedback themes to show."));
        let odd = themes_over_time(&[theme("A", "all", 10), theme("A", "1999 Q3", 10)]);
        assert_eq!(odd.x_labels, vec!["1999 Q3", "all"]);
    }

    /// Worked by hand: 3 people is suppressed with its share; 12 is rounded to 10, its share
    /// kept (computed on the exact count).
    #[test]
    fn small_counts_and_what_they_reveal_are_withheld() {
        let table = TableData {
            caption: "Change".into(),
            headers: vec![
                "Change".into(),
                "People".into(),
                "Share of people plotted (%)".into(),
            ],
            rows: vec![
                vec!["Reliable deterioration".into(), "3".into(), "20.0".into()],
                vec!["No reliable change".into(), "12".into(), "80.0".into()],
            ],
        };
        let shown = disclose_table(&table);
        assert_eq!(shown.rows[0], vec!["Reliable deterioration", "*", "*"]);
        assert_eq!(shown.rows[1], vec!["No reliable change", "10", "80.0"]);
        let histogram = TableData {
            caption: "GAS".into(),
            headers: vec![
                "T-score range".into(),
                "From".into(),
                "To".into(),
                "Count".into(),
            ],
            rows: vec![vec!["45-50".into(), "45".into(), "50".into(), "5".into()]],
        };
        assert_eq!(
            disclose_table(&histogram).rows[0],
            vec!["45-50", "45", "50", "*"]
        );
    }
}
