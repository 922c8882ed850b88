//! Line chart with several series, built for trajectory "spaghetti" plots: many thin grey
//! background lines (one per person) under a few bold highlighted lines (e.g. the median).

use crate::charts::{describe, finite, label_at, plural, series_style};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, point_positions, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, LegendItem, PathData, Rect, Shape, Stroke, Svg, Swatch, RIGHT_PAD,
};
use crate::table::TableData;
use crate::{Chart, RenderOptions};

/// Input for a multi-series line chart. Series values are aligned with `x_labels`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LineChartData {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// One label per position, e.g. "Baseline", "Review 1".
    pub x_labels: Vec<String>,
    pub series: Vec<LineSeries>,
    /// Legend text for the thin background lines, e.g. "One person"; a count is added.
    pub background_label: String,
    pub value_format: NumberFormat,
    pub summary: String,
    /// What the table shows where a highlighted series has no value: empty by default, `*`
    /// where the gaps are counts withheld by disclosure control.
    #[cfg_attr(feature = "serde", serde(default))]
    pub missing_cell: String,
}

/// One line. `None` (or non-finite) values break the line.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LineSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
    pub emphasis: Emphasis,
}

/// How prominently a series is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Emphasis {
    /// Thin grey line without markers; summarised (not listed) in the table.
    #[default]
    Background,
    /// Bold line with its own colour, dash pattern and marker shape; listed in the table.
    Highlight,
}

impl LineSeries {
    fn value(&self, idx: usize) -> Option<f64> {
        finite(self.values.get(idx).copied().flatten())
    }
}

impl LineChartData {
    fn n_positions(&self) -> usize {
        self.series
            .iter()
            .map(|s| s.values.len())
            .chain(std::iter::once(self.x_labels.len()))
            .max()
            .unwrap_or(0)
    }

    fn highlights(&self) -> impl Iterator<Item = &LineSeries> {
        self.series
            .iter()
            .filter(|s| s.emphasis == Emphasis::Highlight)
    }

    fn backgrounds(&self) -> impl Iterator<Item = &LineSeries> {
        self.series
            .iter()
            .filter(|s| s.emphasis == Emphasis::Background)
    }

    fn background_legend(&self) -> String {
        let label = if self.background_label.trim().is_empty() {
            "Individual series"
        } else {
            self.background_label.trim()
        };
        format!("{label} (n = {})", self.backgrounds().count())
    }

    fn description(&self) -> String {
        let n = self.n_positions();
        let format = &self.value_format;
        let mut facts = Vec::new();
        let any_value = self
            .series
            .iter()
            .any(|s| (0..n).any(|i| s.value(i).is_some()));
        if !any_value {
            facts.push("No values to show.".to_string());
            return describe(&self.summary, &facts);
        }
        facts.push(format!(
            "{} over {} from {} to {}.",
            plural(self.series.len(), "line", "lines"),
            plural(n, "point", "points"),
            label_at(&self.x_labels, 0),
            label_at(&self.x_labels, n.saturating_sub(1))
        ));
        for series in self.highlights() {
            let first = (0..n).find_map(|i| series.value(i).map(|v| (i, v)));
            let last = (0..n).rev().find_map(|i| series.value(i).map(|v| (i, v)));
            if let (Some((fi, fv)), Some((li, lv))) = (first, last) {
                facts.push(format!(
                    "{}: {} at {}, {} at {}.",
                    series.name,
                    format.label(fv),
                    label_at(&self.x_labels, fi),
                    format.label(lv),
                    label_at(&self.x_labels, li)
                ));
            }
        }
        let background: Vec<f64> = self
            .backgrounds()
            .flat_map(|s| (0..n).filter_map(|i| s.value(i)))
            .collect();
        if let Some((lo, hi)) = extent(background.iter().copied()) {
            facts.push(format!(
                "{}, with values from {} to {}.",
                self.background_legend(),
                format.label(lo),
                format.label(hi)
            ));
        }
        describe(&self.summary, &facts)
    }
}

/// The series as a path broken at gaps; isolated values are returned separately so they
/// can be drawn as dots (a path of one point is invisible).
fn series_path(series: &LineSeries, xs: &[f64], y: &LinearScale) -> (PathData, Vec<(f64, f64)>) {
    let mut path = PathData::new();
    let mut isolated = Vec::new();
    for (i, &x) in xs.iter().enumerate() {
        let Some(v) = series.value(i) else { continue };
        let previous = i.checked_sub(1).and_then(|p| series.value(p)).is_some();
        let next = series.value(i + 1).is_some();
        if previous {
            path.line_to(x, y.map(v));
        } else if next {
            path.move_to(x, y.map(v));
        } else {
            isolated.push((x, y.map(v)));
        }
    }
    (path, isolated)
}

impl Chart for LineChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let n = self.n_positions();
        let format = &self.value_format;
        let height = chart_height(options, 420.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;

        let (lo, hi) = extent(
            self.series
                .iter()
                .flat_map(|s| (0..n).filter_map(|i| s.value(i))),
        )
        .unwrap_or((0.0, 1.0));
        let ticks = nice_ticks(lo, hi, 5);

        let mut legend_items = Vec::new();
        if self.backgrounds().next().is_some() {
            legend_items.push(LegendItem {
                swatch: Swatch::Line(Stroke::solid(palette::BACKGROUND_LINE, 1.0)),
                label: self.background_legend(),
            });
        }
        for (idx, series) in self.highlights().enumerate() {
            let (stroke, shape) = series_style(idx, 3.0);
            legend_items.push(LegendItem {
                swatch: Swatch::LineWithMarker(stroke, shape),
                label: series.name.clone(),
            });
        }
        let legend_h = legend_height(&legend_items, legend_width(width));
        let top = header_height(options, 0.0);
        let plot = Rect {
            left: left_margin_for(&ticks, format),
            top,
            right: width - RIGHT_PAD - 8.0,
            bottom: (height - footer_height(legend_h)).max(top + 40.0),
        };
        let y = LinearScale::new((ticks.lo, ticks.hi), (plot.bottom, plot.top));
        let inset = (plot.width() * 0.02).min(16.0);
        let xs = point_positions(n, plot.left + inset, plot.right - inset);

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &ticks, format, &self.y_label);
        let labels: Vec<String> = (0..n).map(|i| label_at(&self.x_labels, i)).collect();
        svg.x_axis_categories(plot, &xs, &labels, &self.x_label);

        svg.open_group("wm-background-lines");
        for series in self.backgrounds() {
            let (path, isolated) = series_path(series, &xs, &y);
            svg.stroke_path(
                &path,
                Stroke::solid(palette::BACKGROUND_LINE, 1.0),
                "wm-line",
            );
            for (x, py) in isolated {
                svg.marker(
                    Shape::Circle,
                    x,
                    py,
                    2.0,
                    palette::BACKGROUND_LINE,
                    false,
                    "wm-bg-point",
                    None,
                );
            }
        }
        svg.close_group();

        svg.open_group("wm-highlight-lines");
        for (idx, series) in self.highlights().enumerate() {
            let (stroke, shape) = series_style(idx, 3.0);
            let (path, _) = series_path(series, &xs, &y);
            // A white halo underneath keeps the bold line readable over the spaghetti.
            svg.stroke_path(&path, Stroke::solid("#ffffff", 6.0), "wm-halo");
            svg.stroke_path(&path, stroke, "wm-line");
            for (i, &x) in xs.iter().enumerate() {
                if let Some(v) = series.value(i) {
                    let tip = format!(
                        "{}, {}: {}",
                        series.name,
                        label_at(&self.x_labels, i),
                        format.label(v)
                    );
                    svg.marker(
                        shape,
                        x,
                        y.map(v),
                        4.5,
                        stroke.colour,
                        false,
                        "wm-point",
                        Some(&tip),
                    );
                }
            }
        }
        svg.close_group();

        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(width));
        svg.finish()
    }

    /// Highlighted series are listed column by column; background series (often one per
    /// person) are summarised as count, lowest and highest at each position, so the table
    /// stays readable and an export carries no person-level rows.
    fn as_table(&self) -> TableData {
        let n = self.n_positions();
        let format = &self.value_format;
        let unit = format.unit_suffix();
        let x_header = if self.x_label.trim().is_empty() {
            "Position".to_string()
        } else {
            self.x_label.clone()
        };
        let mut headers = vec![x_header];
        headers.extend(self.highlights().map(|s| format.header(&s.name, "Series")));
        let has_background = self.backgrounds().next().is_some();
        if has_background {
            let label = if self.background_label.trim().is_empty() {
                "Individual series"
            } else {
                self.background_label.trim()
            };
            headers.push(format!("{label}: number with a value"));
            headers.push(format!("{label}: lowest{unit}"));
            headers.push(format!("{label}: highest{unit}"));
        }
        let rows = (0..n)
            .map(|i| {
                let mut row = vec![label_at(&self.x_labels, i)];
                row.extend(self.highlights().map(|s| {
                    s.value(i)
                        .map(|v| format.cell(v))
                        .unwrap_or_else(|| self.missing_cell.clone())
                }));
                if has_background {
                    let values: Vec<f64> = self.backgrounds().filter_map(|s| s.value(i)).collect();
                    let range = extent(values.iter().copied());
                    row.push(values.len().to_string());
                    row.push(range.map(|r| format.cell(r.0)).unwrap_or_default());
                    row.push(range.map(|r| format.cell(r.1)).unwrap_or_default());
                }
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
