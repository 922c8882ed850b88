//! Trajectory "spaghetti" on a numeric time axis: one thin grey line per person (scores at
//! real times, e.g. months since their baseline) under a bold, dashed, dark median line with
//! markers. The median differs from the person lines in width, dash, colour and markers, so
//! colour is never the only signal. The table holds the median line only: no person-level rows.

use crate::charts::scatter::BetterDirection;
use crate::charts::{describe, finite, plural};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, LegendItem, PathData, Rect, Shape, Stroke, Svg, Swatch, RIGHT_PAD,
};
use crate::table::TableData;
use crate::{Chart, RenderOptions};

/// Input for a spaghetti chart.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpaghettiChartData {
    pub title: String,
    /// Horizontal (time) axis, e.g. "Months since baseline".
    pub x_label: String,
    /// Vertical axis, e.g. "PHQ-9 score".
    pub y_label: String,
    /// One line per person: (time, value) points in time order. Non-finite points are skipped.
    pub lines: Vec<Vec<(f64, f64)>>,
    /// Legend text for the thin lines, e.g. "One person"; the number of lines is added.
    pub line_label: String,
    /// The bold summary line, in time order.
    pub median: Vec<MedianPoint>,
    /// Legend text and table header for the bold line, e.g. "Median score".
    pub median_label: String,
    /// Table header for the count behind each median point, e.g. "People".
    pub count_label: String,
    /// The median line is broken where consecutive points are further apart than this in time
    /// (e.g. 1.0 when months with too few people are left out); `None` joins every point.
    pub max_gap: Option<f64>,
    /// Which direction of the values is better, stated in the description.
    pub better: Option<BetterDirection>,
    pub x_format: NumberFormat,
    pub value_format: NumberFormat,
    pub summary: String,
}

/// One point of the bold line: its time, value and how many lines (people) it summarises.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MedianPoint {
    pub x: f64,
    pub value: f64,
    pub count: usize,
}

const MEDIAN_DASH: &str = "10 5";

impl SpaghettiChartData {
    fn finite_points(line: &[(f64, f64)]) -> impl Iterator<Item = (f64, f64)> + '_ {
        line.iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
    }

    fn median_points(&self) -> impl Iterator<Item = &MedianPoint> {
        self.median
            .iter()
            .filter(|p| finite(Some(p.x)).is_some() && finite(Some(p.value)).is_some())
    }

    fn line_legend(&self) -> String {
        let label = if self.line_label.trim().is_empty() {
            "One line"
        } else {
            self.line_label.trim()
        };
        format!("{label} (n = {})", self.drawn_lines())
    }

    fn median_name(&self) -> &str {
        if self.median_label.trim().is_empty() {
            "Median"
        } else {
            self.median_label.trim()
        }
    }

    fn drawn_lines(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| Self::finite_points(l).next().is_some())
            .count()
    }

    fn description(&self) -> String {
        let (xf, vf) = (&self.x_format, &self.value_format);
        let mut facts = Vec::new();
        let drawn = self.drawn_lines();
        let median: Vec<&MedianPoint> = self.median_points().collect();
        if drawn == 0 && median.is_empty() {
            facts.push("No values to show.".to_string());
            return describe(&self.summary, &facts);
        }
        facts.push(format!(
            "{} drawn thin and grey.",
            plural(drawn, "line", "lines")
        ));
        match (median.first(), median.last()) {
            (Some(first), Some(last)) if median.len() > 1 => facts.push(format!(
                "{} (bold dashed line, {}): {} at {} {} ({} of {}), {} at {} {} ({} of {}).",
                self.median_name(),
                plural(median.len(), "point", "points"),
                vf.label(first.value),
                self.x_label.to_lowercase(),
                xf.label(first.x),
                first.count,
                self.count_noun(),
                vf.label(last.value),
                self.x_label.to_lowercase(),
                xf.label(last.x),
                last.count,
                self.count_noun(),
            )),
            (Some(only), _) => facts.push(format!(
                "{} (one point): {} at {} {} ({} of {}).",
                self.median_name(),
                vf.label(only.value),
                self.x_label.to_lowercase(),
                xf.label(only.x),
                only.count,
                self.count_noun(),
            )),
            _ => facts.push(format!("No {} to show.", self.median_name().to_lowercase())),
        }
        match self.better {
            Some(BetterDirection::Higher) => facts.push("Higher values are better.".to_string()),
            Some(BetterDirection::Lower) => facts.push("Lower values are better.".to_string()),
            None => {}
        }
        describe(&self.summary, &facts)
    }

    fn count_noun(&self) -> String {
        if self.count_label.trim().is_empty() {
            "lines".to_string()
        } else {
            self.count_label.trim().to_lowercase()
        }
    }

    /// The median as a path broken at gaps wider than `max_gap`; lone points are returned
    /// separately (a path of one point is invisible; they still get markers).
    fn median_path(&self, x: &LinearScale, y: &LinearScale) -> PathData {
        let points: Vec<&MedianPoint> = self.median_points().collect();
        let gap = self.max_gap.filter(|g| g.is_finite() && *g > 0.0);
        let joined = |a: &MedianPoint, b: &MedianPoint| gap.is_none_or(|g| b.x - a.x <= g);
        let mut path = PathData::new();
        for (i, point) in points.iter().enumerate() {
            let previous = i
                .checked_sub(1)
                .and_then(|p| points.get(p))
                .is_some_and(|prev| joined(prev, point));
            if previous {
                path.line_to(x.map(point.x), y.map(point.value));
            } else {
                path.move_to(x.map(point.x), y.map(point.value));
            }
        }
        path
    }
}

impl Chart for SpaghettiChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let (xf, vf) = (&self.x_format, &self.value_format);
        let height = chart_height(options, 440.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;

        let all_points = || {
            self.lines
                .iter()
                .flat_map(|l| Self::finite_points(l))
                .chain(self.median_points().map(|p| (p.x, p.value)))
        };
        let (x_lo, x_hi) = extent(all_points().map(|p| p.0)).unwrap_or((0.0, 1.0));
        let (y_lo, y_hi) = extent(all_points().map(|p| p.1)).unwrap_or((0.0, 1.0));
        let x_ticks = nice_ticks(x_lo, x_hi, 8);
        let y_ticks = nice_ticks(y_lo, y_hi, 5);

        let background = Stroke::solid(palette::BACKGROUND_LINE, 1.0);
        let median_stroke = Stroke::dashed(palette::TEXT, 3.0, MEDIAN_DASH);
        let mut legend_items = Vec::new();
        if self.drawn_lines() > 0 {
            legend_items.push(LegendItem {
                swatch: Swatch::Line(background),
                label: self.line_legend(),
            });
        }
        if self.median_points().next().is_some() {
            legend_items.push(LegendItem {
                swatch: Swatch::LineWithMarker(median_stroke, Shape::Circle),
                label: self.median_name().to_string(),
            });
        }
        let legend_h = legend_height(&legend_items, legend_width(width));
        let top = header_height(options, 0.0);
        let plot = Rect {
            left: left_margin_for(&y_ticks, vf),
            top,
            right: width - RIGHT_PAD - 8.0,
            bottom: (height - footer_height(legend_h)).max(top + 40.0),
        };
        let x = LinearScale::new((x_ticks.lo, x_ticks.hi), (plot.left, plot.right));
        let y = LinearScale::new((y_ticks.lo, y_ticks.hi), (plot.bottom, plot.top));

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &y_ticks, vf, &self.y_label);
        svg.x_axis_numeric(plot, &x, &x_ticks, xf, &self.x_label, false);

        let clip = svg.define_clip(plot, 6.0);
        svg.open_clipped_group("wm-background-lines", &clip);
        for line in &self.lines {
            let points: Vec<(f64, f64)> = Self::finite_points(line).collect();
            match points.as_slice() {
                [] => {}
                [(px, py)] => svg.marker(
                    Shape::Circle,
                    x.map(*px),
                    y.map(*py),
                    2.0,
                    palette::BACKGROUND_LINE,
                    false,
                    "wm-bg-point",
                    None,
                ),
                _ => {
                    let mut path = PathData::new();
                    for (i, (px, py)) in points.iter().enumerate() {
                        if i == 0 {
                            path.move_to(x.map(*px), y.map(*py));
                        } else {
                            path.line_to(x.map(*px), y.map(*py));
                        }
                    }
                    svg.stroke_path(&path, background, "wm-line wm-person-line");
                }
            }
        }
        svg.close_group();

        svg.open_clipped_group("wm-highlight-lines", &clip);
        let path = self.median_path(&x, &y);
        // A white halo underneath keeps the median readable over the spaghetti.
        svg.stroke_path(&path, Stroke::solid("#ffffff", 7.0), "wm-halo");
        svg.stroke_path(&path, median_stroke, "wm-line wm-median-line");
        for point in self.median_points() {
            let tip = format!(
                "{} {}: {} {} ({} {})",
                self.x_label,
                xf.label(point.x),
                self.median_name(),
                vf.label(point.value),
                point.count,
                self.count_noun()
            );
            svg.marker(
                Shape::Circle,
                x.map(point.x),
                y.map(point.value),
                4.5,
                palette::TEXT,
                false,
                "wm-point",
                Some(&tip),
            );
        }
        svg.close_group();

        if legend_items.is_empty() {
            svg.no_data(plot);
        }
        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(width));
        svg.finish()
    }

    /// The median line only, one row per point: time, median, count. Person lines are not
    /// tabulated, so an export carries no person-level rows.
    fn as_table(&self) -> TableData {
        let x_header = if self.x_label.trim().is_empty() {
            "Time".to_string()
        } else {
            self.x_label.clone()
        };
        let count_header = if self.count_label.trim().is_empty() {
            "Count".to_string()
        } else {
            self.count_label.clone()
        };
        TableData {
            caption: self.title.clone(),
            headers: vec![
                x_header,
                self.value_format.header(self.median_name(), "Median"),
                count_header,
            ],
            rows: self
                .median_points()
                .map(|p| {
                    vec![
                        self.x_format.cell(p.x),
                        self.value_format.cell(p.value),
                        p.count.to_string(),
                    ]
                })
                .collect(),
        }
    }
}
