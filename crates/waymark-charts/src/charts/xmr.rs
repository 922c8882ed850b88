//! The XmR (statistical process control) chart in the style of NHS England's Making Data
//! Count: points coloured and shaped by type of variation, mean solid, process limits
//! dashed, an optional target, and the variation and assurance icons with text labels.
//!
//! The chart draws what it is given; the limits and point types are computed elsewhere
//! (waymark-core), so the rules live in one place.
//!
//! # References
//! NHS England, *Making Data Count* (2019, updated 2021): "Making Data Count: Getting
//! started" and the SPC icon guidance (common cause grey, special cause improvement blue,
//! special cause concern orange, neither purple; assurance pass/fail/hit-and-miss).

use crate::charts::{describe, finite, label_at, plural, range_facts};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, point_positions, spread_labels, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, Anchor, LegendItem, PathData, Rect, Shape, Stroke, Svg, Swatch, TextStyle,
    TICK_SIZE,
};
use crate::table::TableData;
use crate::text::{text_width, truncate_to_width};
use crate::{Chart, RenderOptions};

/// Input for an XmR chart. All vectors are indexed by period; shorter vectors are treated as
/// missing for the periods they do not cover.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct XmrChartData {
    pub title: String,
    /// What the periods are, e.g. "Month".
    pub x_label: String,
    pub y_label: String,
    /// One label per period, e.g. "Jan 2024".
    pub x_labels: Vec<String>,
    /// The measured value per period; `None` (or non-finite) is a gap.
    pub values: Vec<Option<f64>>,
    /// Centre line per period (it may step when limits are recalculated).
    pub mean: Vec<f64>,
    /// Upper process limit per period.
    pub upper: Vec<f64>,
    /// Lower process limit per period.
    pub lower: Vec<f64>,
    /// The type of variation each point shows.
    pub point_kinds: Vec<PointKind>,
    pub target: Option<f64>,
    pub variation_icon: VariationIcon,
    pub assurance_icon: Option<AssuranceIcon>,
    pub value_format: NumberFormat,
    /// Plain-English summary, first in the description.
    pub summary: String,
}

/// The type of variation a point shows (Making Data Count colours and, here, shapes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PointKind {
    /// Common-cause variation: grey circle.
    #[default]
    Common,
    /// Special cause, improving: blue diamond.
    Improvement,
    /// Special cause, concerning: orange triangle (a warning sign).
    Concern,
    /// Special cause where neither direction is better: purple square.
    Neutral,
}

impl PointKind {
    fn shape(self) -> Shape {
        match self {
            PointKind::Common => Shape::Circle,
            PointKind::Improvement => Shape::Diamond,
            PointKind::Concern => Shape::TriangleUp,
            PointKind::Neutral => Shape::Square,
        }
    }
    fn colour(self) -> &'static str {
        match self {
            PointKind::Common => palette::COMMON,
            PointKind::Improvement => palette::IMPROVEMENT,
            PointKind::Concern => palette::CONCERN,
            PointKind::Neutral => palette::NEUTRAL,
        }
    }
    fn label(self) -> &'static str {
        match self {
            PointKind::Common => "Common cause",
            PointKind::Improvement => "Special cause: improvement",
            PointKind::Concern => "Special cause: concern",
            PointKind::Neutral => "Special cause: neither better nor worse",
        }
    }
    const ALL: [PointKind; 4] = [
        PointKind::Common,
        PointKind::Improvement,
        PointKind::Concern,
        PointKind::Neutral,
    ];
}

/// The Making Data Count variation icon for the latest point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VariationIcon {
    #[default]
    CommonCause,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeitherHigh,
    NeitherLow,
    /// Too few points for SPC rules (the icon is shown greyed with a dash).
    TooFewPoints,
}

impl VariationIcon {
    /// Text label next to the icon, also used in the description.
    pub fn label(self) -> &'static str {
        match self {
            VariationIcon::CommonCause => "Common cause variation",
            VariationIcon::ImprovementHigh => "Special cause improvement (higher)",
            VariationIcon::ImprovementLow => "Special cause improvement (lower)",
            VariationIcon::ConcernHigh => "Special cause concern (higher)",
            VariationIcon::ConcernLow => "Special cause concern (lower)",
            VariationIcon::NeitherHigh => "Special cause, neither better nor worse (higher)",
            VariationIcon::NeitherLow => "Special cause, neither better nor worse (lower)",
            VariationIcon::TooFewPoints => "Too few points to judge variation",
        }
    }
    fn colour(self) -> &'static str {
        match self {
            VariationIcon::CommonCause | VariationIcon::TooFewPoints => palette::COMMON,
            VariationIcon::ImprovementHigh | VariationIcon::ImprovementLow => palette::IMPROVEMENT,
            VariationIcon::ConcernHigh | VariationIcon::ConcernLow => palette::CONCERN,
            VariationIcon::NeitherHigh | VariationIcon::NeitherLow => palette::NEUTRAL,
        }
    }
    fn letter(self) -> Option<&'static str> {
        match self {
            VariationIcon::ImprovementHigh
            | VariationIcon::ConcernHigh
            | VariationIcon::NeitherHigh => Some("H"),
            VariationIcon::ImprovementLow
            | VariationIcon::ConcernLow
            | VariationIcon::NeitherLow => Some("L"),
            VariationIcon::CommonCause | VariationIcon::TooFewPoints => None,
        }
    }
}

/// The Making Data Count assurance icon: can the process be relied on to meet the target?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AssuranceIcon {
    /// The target lies beyond the limits on the good side: it will consistently be met.
    Pass,
    /// The target lies beyond the limits on the bad side: it will consistently be missed.
    Fail,
    /// The target lies between the limits: it will be met in some periods and not others.
    HitAndMiss,
}

impl AssuranceIcon {
    /// Text label next to the icon, also used in the description.
    pub fn label(self) -> &'static str {
        match self {
            AssuranceIcon::Pass => "Target consistently met",
            AssuranceIcon::Fail => "Target consistently missed",
            AssuranceIcon::HitAndMiss => "Target met in some periods (hit and miss)",
        }
    }
    fn colour(self) -> &'static str {
        match self {
            AssuranceIcon::Pass => palette::IMPROVEMENT,
            AssuranceIcon::Fail => palette::CONCERN,
            AssuranceIcon::HitAndMiss => palette::COMMON,
        }
    }
    fn letter(self) -> &'static str {
        match self {
            AssuranceIcon::Pass => "P",
            AssuranceIcon::Fail => "F",
            AssuranceIcon::HitAndMiss => "?",
        }
    }
}

const BADGE_RADIUS: f64 = 17.0;
const BADGE_ROW: f64 = 2.0 * BADGE_RADIUS + 14.0;

impl XmrChartData {
    fn n_periods(&self) -> usize {
        self.values.len()
    }
    fn value(&self, idx: usize) -> Option<f64> {
        finite(self.values.get(idx).copied().flatten())
    }
    fn kind(&self, idx: usize) -> PointKind {
        self.point_kinds.get(idx).copied().unwrap_or_default()
    }
    fn target(&self) -> Option<f64> {
        finite(self.target)
    }

    fn description(&self) -> String {
        let n = self.n_periods();
        let format = &self.value_format;
        let labelled: Vec<(String, f64)> = (0..n)
            .filter_map(|i| self.value(i).map(|v| (label_at(&self.x_labels, i), v)))
            .collect();
        let mut facts = Vec::new();
        match range_facts(&labelled, format) {
            None => facts.push("No values to show.".to_string()),
            Some(range) => {
                facts.push(format!(
                    "{} from {} to {}.",
                    plural(labelled.len(), "value", "values"),
                    label_at(&self.x_labels, 0),
                    label_at(&self.x_labels, n.saturating_sub(1))
                ));
                facts.push(range);
            }
        }
        let last = |series: &[f64]| series.iter().rev().copied().find(|v| v.is_finite());
        if let Some(mean) = last(&self.mean) {
            facts.push(format!("Mean {}.", format.label(mean)));
        }
        match (last(&self.lower), last(&self.upper)) {
            (Some(lower), Some(upper)) => facts.push(format!(
                "Process limits {} to {}.",
                format.label(lower),
                format.label(upper)
            )),
            (None, Some(upper)) => {
                facts.push(format!("Upper process limit {}.", format.label(upper)))
            }
            (Some(lower), None) => {
                facts.push(format!("Lower process limit {}.", format.label(lower)))
            }
            (None, None) => {}
        }
        if let Some(target) = self.target() {
            facts.push(format!("Target {}.", format.label(target)));
        }
        facts.push(format!("Variation: {}.", self.variation_icon.label()));
        if let Some(assurance) = self.assurance_icon {
            facts.push(format!("Assurance: {}.", assurance.label()));
        }
        let count = |kind: PointKind| {
            (0..n)
                .filter(|&i| self.value(i).is_some() && self.kind(i) == kind)
                .count()
        };
        let special: Vec<String> = [
            (PointKind::Improvement, "improvement"),
            (PointKind::Concern, "concern"),
            (PointKind::Neutral, "neither better nor worse"),
        ]
        .iter()
        .filter_map(|(kind, word)| {
            let c = count(*kind);
            (c > 0).then(|| format!("{} {word}", plural(c, "point", "points")))
        })
        .collect();
        if !special.is_empty() {
            facts.push(format!("Special cause: {}.", special.join(", ")));
        }
        describe(&self.summary, &facts)
    }
}

/// Width of one badge with its label, untruncated.
fn badge_width(label: &str) -> f64 {
    2.0 * BADGE_RADIUS + 8.0 + text_width(label, 13.0) + 24.0
}

/// Whether the two badges need a row each at this width.
fn badges_stack(data: &XmrChartData, available: f64) -> bool {
    let assurance = data
        .assurance_icon
        .map(|a| badge_width(a.label()))
        .unwrap_or(0.0);
    badge_width(data.variation_icon.label()) + assurance > available
}

/// Draws the variation and assurance badges from (`x`, `y`): side by side, or one above
/// the other when `stacked`.
fn badges(svg: &mut Svg, data: &XmrChartData, x: f64, y: f64, max_right: f64, stacked: bool) {
    svg.open_group("wm-icons");
    let mut left = x;
    let icon = data.variation_icon;
    let label_room = if stacked {
        max_right - x - 2.0 * BADGE_RADIUS - 8.0
    } else {
        (max_right - x) / 2.0 - 2.0 * BADGE_RADIUS - 24.0
    }
    .max(60.0);
    let cx = left + BADGE_RADIUS;
    let cy = y + BADGE_RADIUS;
    variation_badge(svg, cx, cy, icon);
    let label = truncate_to_width(icon.label(), 13.0, label_room);
    svg.text(
        left + 2.0 * BADGE_RADIUS + 8.0,
        cy + 4.5,
        &label,
        TextStyle::new(13.0, Anchor::Start),
    );
    let cy = if stacked {
        cy + BADGE_ROW - 8.0
    } else {
        left += badge_width(&label);
        cy
    };

    if let Some(assurance) = data.assurance_icon {
        let cx = left + BADGE_RADIUS;
        assurance_badge(svg, cx, cy, assurance);
        let room = (max_right - left - 2.0 * BADGE_RADIUS - 8.0).max(60.0);
        let label = truncate_to_width(assurance.label(), 13.0, room);
        svg.text(
            left + 2.0 * BADGE_RADIUS + 8.0,
            cy + 4.5,
            &label,
            TextStyle::new(13.0, Anchor::Start),
        );
    }
    svg.close_group();
}

/// The variation icon centred on (`cx`, `cy`): a circle with a rising or falling run and H or
/// L for special causes, a zigzag for common cause, a dash for too few points.
fn variation_badge(svg: &mut Svg, cx: f64, cy: f64, icon: VariationIcon) {
    badge_circle(svg, cx, cy, icon.colour());
    match icon.letter() {
        Some(letter) => {
            // A small rising or falling run of dots above the letter, as in the MDC icons.
            let slope = if letter == "H" { -3.0 } else { 3.0 };
            for step in [-1.0, 0.0, 1.0] {
                svg.marker(
                    Shape::Circle,
                    cx + step * 6.0,
                    cy - 5.0 + step * slope,
                    2.2,
                    icon.colour(),
                    false,
                    "wm-icon-dot",
                    None,
                );
            }
            svg.text(
                cx,
                cy + 13.0,
                letter,
                TextStyle::new(12.0, Anchor::Middle)
                    .bold()
                    .colour(icon.colour()),
            );
        }
        None if icon == VariationIcon::TooFewPoints => {
            svg.line(
                cx - 7.0,
                cy,
                cx + 7.0,
                cy,
                Stroke::solid(icon.colour(), 3.0),
            );
        }
        None => {
            let mut zigzag = PathData::new();
            zigzag.move_to(cx - 10.0, cy + 2.0);
            zigzag.line_to(cx - 5.0, cy - 4.0);
            zigzag.line_to(cx, cy + 4.0);
            zigzag.line_to(cx + 5.0, cy - 3.0);
            zigzag.line_to(cx + 10.0, cy + 1.0);
            svg.stroke_path(&zigzag, Stroke::solid(icon.colour(), 2.0), "wm-icon-line");
        }
    }
}

/// The assurance icon centred on (`cx`, `cy`): P, F or ? in a circle.
fn assurance_badge(svg: &mut Svg, cx: f64, cy: f64, icon: AssuranceIcon) {
    badge_circle(svg, cx, cy, icon.colour());
    svg.text(
        cx,
        cy + 6.0,
        icon.letter(),
        TextStyle::new(17.0, Anchor::Middle)
            .bold()
            .colour(icon.colour()),
    );
}

/// One icon on its own, as NHS boards' "icons only" summary tables show them: the same
/// drawing as on the chart, named by its label for screen readers.
fn icon_svg(id: &str, label: &str, draw: impl FnOnce(&mut Svg, f64)) -> String {
    let size = 2.0 * BADGE_RADIUS + 4.0;
    let mut svg = Svg::begin_icon(id, size, label);
    draw(&mut svg, size / 2.0);
    svg.finish()
}

/// The variation icon alone, 38 px square, named `label` (the caller's wording, so the icon
/// and the text beside it agree); `id` must be unique on the page.
pub fn variation_icon_svg(id: &str, icon: VariationIcon, label: &str) -> String {
    icon_svg(id, label, |svg, c| variation_badge(svg, c, c, icon))
}

/// The assurance icon alone, 38 px square, named `label`; `id` must be unique on the page.
pub fn assurance_icon_svg(id: &str, icon: AssuranceIcon, label: &str) -> String {
    icon_svg(id, label, |svg, c| assurance_badge(svg, c, c, icon))
}

fn badge_circle(svg: &mut Svg, cx: f64, cy: f64, colour: &'static str) {
    svg.raw(&format!(
        "<circle class=\"wm-icon\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"3\"/>",
        crate::number::coord(cx),
        crate::number::coord(cy),
        crate::number::coord(BADGE_RADIUS)
    ));
}

/// Runs of equal consecutive finite values: (first index, last index, value).
fn constant_runs(series: &[f64], n: usize) -> Vec<(usize, usize, f64)> {
    let mut runs: Vec<(usize, usize, f64)> = Vec::new();
    for (i, &v) in series.iter().take(n).enumerate() {
        if !v.is_finite() {
            continue;
        }
        match runs.last_mut() {
            Some((_, end, value))
                if *end + 1 == i && (*value - v).abs() <= 1e-12 * v.abs().max(1.0) =>
            {
                *end = i;
            }
            _ => runs.push((i, i, v)),
        }
    }
    runs
}

impl Chart for XmrChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let n = self.n_periods();
        let format = &self.value_format;
        let height = chart_height(options, 440.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;

        let y_extent = extent(
            (0..n)
                .filter_map(|i| self.value(i))
                .chain(self.mean.iter().take(n).copied())
                .chain(self.upper.iter().take(n).copied())
                .chain(self.lower.iter().take(n).copied())
                .chain(self.target()),
        );
        let (lo, hi) = y_extent.unwrap_or((0.0, 1.0));
        let ticks = nice_ticks(lo, hi, 5);

        let legend_items: Vec<LegendItem> = PointKind::ALL
            .iter()
            .filter(|kind| {
                **kind == PointKind::Common
                    || (0..n).any(|i| self.value(i).is_some() && self.kind(i) == **kind)
            })
            .map(|kind| LegendItem {
                swatch: Swatch::Marker(kind.shape(), kind.colour()),
                label: kind.label().to_string(),
            })
            .collect();
        let legend_h = legend_height(&legend_items, legend_width(width));
        let line_labels_width = 84.0;
        let stacked = badges_stack(self, width - 32.0);
        let badge_rows = if stacked {
            2.0 * BADGE_ROW - 8.0
        } else {
            BADGE_ROW
        };
        let top = header_height(options, badge_rows);
        let plot = Rect {
            left: left_margin_for(&ticks, format),
            top,
            right: width - line_labels_width,
            bottom: (height - footer_height(legend_h)).max(top + 40.0),
        };
        let y = LinearScale::new((ticks.lo, ticks.hi), (plot.bottom, plot.top));
        // Inset so the first and last points are not drawn on the axes.
        let inset = (plot.width() * 0.02).min(16.0);
        let xs = point_positions(n, plot.left + inset, plot.right - inset);
        let spacing = if n > 1 {
            (plot.width() - 2.0 * inset) / (n - 1) as f64
        } else {
            plot.width()
        };

        if options.show_title {
            svg.title(&self.title);
        }
        badges(
            &mut svg,
            self,
            16.0,
            header_height(options, 0.0) - 4.0,
            width - 16.0,
            stacked,
        );
        svg.y_axis(plot, &y, &ticks, format, &self.y_label);
        let labels: Vec<String> = (0..n).map(|i| label_at(&self.x_labels, i)).collect();
        svg.x_axis_categories(plot, &xs, &labels, &self.x_label);

        // Reference lines, each a run of constant value (limits step when recalculated).
        let mut end_labels: Vec<(f64, String, &'static str)> = Vec::new();
        let reference = [
            (
                &self.upper,
                "Upper limit",
                Stroke::dashed(palette::SECONDARY_TEXT, 1.5, "6 4"),
            ),
            (
                &self.lower,
                "Lower limit",
                Stroke::dashed(palette::SECONDARY_TEXT, 1.5, "6 4"),
            ),
            (&self.mean, "Mean", Stroke::solid(palette::TEXT, 1.5)),
        ];
        svg.open_group("wm-reference-lines");
        for (series, name, stroke) in reference {
            let runs = constant_runs(series, n);
            for &(first, last, value) in &runs {
                let x_start = xs.get(first).copied().unwrap_or(plot.left);
                let x_end = xs.get(last).copied().unwrap_or(plot.right);
                let (x_start, x_end) = if first == last {
                    (
                        (x_start - spacing / 2.0).max(plot.left),
                        (x_end + spacing / 2.0).min(plot.right),
                    )
                } else {
                    (x_start, x_end)
                };
                svg.line(x_start, y.map(value), x_end, y.map(value), stroke);
            }
            if let Some(&(_, _, value)) = runs.last() {
                end_labels.push((y.map(value), name.to_string(), stroke.colour));
            }
        }
        if let Some(target) = self.target() {
            let stroke = Stroke::dashed(palette::TARGET, 2.0, "2 3");
            svg.line(plot.left, y.map(target), plot.right, y.map(target), stroke);
            end_labels.push((y.map(target), "Target".to_string(), palette::TARGET));
        }
        svg.close_group();

        // The joining line, broken at gaps.
        let mut path = PathData::new();
        let mut pen_down = false;
        for (i, &x) in xs.iter().enumerate() {
            match self.value(i) {
                Some(v) if pen_down => path.line_to(x, y.map(v)),
                Some(v) => {
                    path.move_to(x, y.map(v));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        svg.stroke_path(
            &path,
            Stroke::solid(palette::SECONDARY_LINE, 1.5),
            "wm-data-line",
        );

        let radius = if n > 60 { 3.5 } else { 4.5 };
        svg.open_group("wm-points");
        for (i, &x) in xs.iter().enumerate() {
            if let Some(v) = self.value(i) {
                let kind = self.kind(i);
                let tip = format!(
                    "{}: {} ({})",
                    label_at(&self.x_labels, i),
                    format.label(v),
                    kind.label().to_lowercase()
                );
                svg.marker(
                    kind.shape(),
                    x,
                    y.map(v),
                    radius,
                    kind.colour(),
                    false,
                    "wm-point",
                    Some(&tip),
                );
            }
        }
        svg.close_group();

        // Direct labels at the right end of each reference line, nudged apart.
        let positions: Vec<f64> = end_labels.iter().map(|(p, _, _)| *p).collect();
        let placed = spread_labels(&positions, TICK_SIZE + 2.0, plot.top, plot.bottom);
        svg.open_group("wm-line-labels");
        for ((_, name, colour), p) in end_labels.iter().zip(placed) {
            svg.text(
                plot.right + 6.0,
                p + TICK_SIZE * 0.35,
                name,
                TextStyle::new(TICK_SIZE, Anchor::Start).colour(colour),
            );
        }
        svg.close_group();

        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(width));
        svg.finish()
    }

    fn as_table(&self) -> TableData {
        let format = &self.value_format;
        let unit = format.unit_suffix();
        let x_header = if self.x_label.trim().is_empty() {
            "Period".to_string()
        } else {
            self.x_label.clone()
        };
        let mut headers = vec![
            x_header,
            format.header(&self.y_label, "Value"),
            format!("Mean{unit}"),
            format!("Lower process limit{unit}"),
            format!("Upper process limit{unit}"),
        ];
        if self.target().is_some() {
            headers.push(format!("Target{unit}"));
        }
        headers.push("Point type".to_string());
        let cell =
            |series: &[f64], i: usize| series.get(i).map(|v| format.cell(*v)).unwrap_or_default();
        let rows = (0..self.n_periods())
            .map(|i| {
                let mut row = vec![
                    label_at(&self.x_labels, i),
                    self.value(i).map(|v| format.cell(v)).unwrap_or_default(),
                    cell(&self.mean, i),
                    cell(&self.lower, i),
                    cell(&self.upper, i),
                ];
                if let Some(target) = self.target() {
                    row.push(format.cell(target));
                }
                row.push(if self.value(i).is_some() {
                    self.kind(i).label().to_string()
                } else {
                    "No value".to_string()
                });
                row
            })
            .collect();
        TableData {
            caption: self.title.clone(),
            headers,
            rows,
        }
    }
}

#[cfg(test)]
mod icon_tests {
    use super::*;

    #[test]
    fn icons_alone_are_named_and_drawn_as_on_the_chart() {
        let svg = variation_icon_svg(
            "v1",
            VariationIcon::ConcernHigh,
            VariationIcon::ConcernHigh.label(),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"v1-title\">Special cause concern (higher)</title>"));
        assert!(svg.contains(">H</text>"), "{svg}");
        assert!(svg.contains(palette::CONCERN));
        let svg = assurance_icon_svg("a1", AssuranceIcon::Fail, "Target consistently missed");
        assert!(svg.contains(">F</text>") && svg.contains("Target consistently missed"));
        let svg = variation_icon_svg("v2", VariationIcon::CommonCause, "Common <cause>");
        assert!(svg.contains("Common &lt;cause&gt;"), "labels are escaped");
        assert!(svg.contains("wm-icon-line") && !svg.contains(">H<"));
    }
}
