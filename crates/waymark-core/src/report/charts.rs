//! From analysis results to chart inputs (`waymark-charts`), shared by the HTML report and the
//! web app so a chart can never disagree with the numbers beside it. The charts do no
//! statistics: limits, point types and icons all come from the core.

use super::direction::IndicatorReport;
use crate::analysis::outcomes::PersonMeasure;
use crate::stats::change::Direction;
use crate::stats::spc::{AssuranceIcon, PointType, VariationIcon};
use waymark_charts::{
    AssuranceIcon as ChartAssurance, BetterDirection, HistogramBin, HistogramData, NumberFormat,
    PointKind, ReferenceLine, ScatterChartData, ScatterPoint, VariationIcon as ChartVariation,
    XmrChartData,
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
    ScatterChartData {
        title: format!("{measure}: baseline against latest score"),
        x_label: format!("{measure} at baseline"),
        y_label: format!("{measure} at latest score"),
        summary: format!(
            "{} people with two or more {measure} scores. Points outside the band changed by {threshold} points or more (reliable change).",
            points.len()
        ),
        points,
        reliable_change: Some(threshold),
        better: direction.map(|d| match d {
            Direction::HigherIsBetter => BetterDirection::Higher,
            Direction::LowerIsBetter => BetterDirection::Lower,
        }),
        value_format: NumberFormat::number(),
    }
}

/// The distribution of GAS T-scores in bins of 5, with 50 ("as expected") marked. Bins of 1-7
/// people are suppressed as in every export.
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
    for bin in &mut bins {
        if matches!(bin.count, Some(1..=7)) {
            bin.count = None;
        }
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
            "GAS T-scores of {} people; bins of 1 to 7 people are shown as *. Scores below 20 or above 80 are in the end bins.",
            t_scores.len()
        ),
    }
}
