//! From analysis results to chart inputs (`waymark-charts`), shared by the HTML report and the
//! web app so a chart can never disagree with the numbers beside it. The charts do no
//! statistics: limits, point types and icons all come from the core.

use super::direction::{IndicatorReport, ThemeReport};
use crate::analysis::direction::outcomes::PersonMeasure;
use crate::analysis::direction::trajectories::{
    Trajectories, MAX_PEOPLE_DRAWN, MIN_PEOPLE_FOR_MEDIAN,
};
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
mod tests;
