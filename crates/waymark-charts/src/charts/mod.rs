//! The charts, one module each, and the helpers they share for descriptions.

pub mod bars;
pub mod funnel;
pub mod histogram;
pub mod lines;
pub mod scatter;
pub mod spaghetti;
pub mod steps;
pub mod timeline;
pub mod xmr;

use crate::number::NumberFormat;

/// A value only if it is finite: NaN and infinities are treated as missing everywhere.
pub(crate) fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// The caller's summary followed by generated facts, as one description.
pub(crate) fn describe(summary: &str, facts: &[String]) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(facts.len() + 1);
    let summary = summary.trim();
    if !summary.is_empty() {
        parts.push(summary.to_string());
    }
    parts.extend(facts.iter().filter(|f| !f.is_empty()).cloned());
    parts.join(" ")
}

/// "Lowest 3 (Jan 2024); highest 9 (Mar 2024); latest 7 (Jun 2024)." over labelled values,
/// or `None` when no value is finite.
pub(crate) fn range_facts(labelled: &[(String, f64)], format: &NumberFormat) -> Option<String> {
    let finite: Vec<&(String, f64)> = labelled.iter().filter(|(_, v)| v.is_finite()).collect();
    let lowest = finite.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let highest = finite.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let latest = finite.last()?;
    if finite.len() == 1 {
        return Some(format!(
            "One value: {} ({}).",
            format.label(latest.1),
            latest.0
        ));
    }
    Some(format!(
        "Lowest {} ({}); highest {} ({}); latest {} ({}).",
        format.label(lowest.1),
        lowest.0,
        format.label(highest.1),
        highest.0,
        format.label(latest.1),
        latest.0
    ))
}

/// A label for position `idx`, falling back to a number when the caller gave too few.
pub(crate) fn label_at(labels: &[String], idx: usize) -> String {
    labels
        .get(idx)
        .cloned()
        .unwrap_or_else(|| format!("Point {}", idx + 1))
}

/// "1 person" / "3 people" style counts.
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Colour, dash pattern and marker shape for the `idx`-th highlighted series: three cues,
/// so series can be told apart without colour.
pub(crate) fn series_style(idx: usize, width: f64) -> (crate::svg::Stroke, crate::svg::Shape) {
    let slot = idx % crate::palette::SERIES.len();
    let colour = crate::palette::SERIES
        .get(slot)
        .copied()
        .unwrap_or(crate::palette::TEXT);
    let dash = crate::palette::SERIES_DASHES.get(slot).copied().flatten();
    let shape = crate::svg::SERIES_SHAPES
        .get(slot)
        .copied()
        .unwrap_or(crate::svg::Shape::Circle);
    (
        crate::svg::Stroke {
            colour,
            width,
            dash,
        },
        shape,
    )
}
