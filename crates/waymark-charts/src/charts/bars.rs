//! Horizontal bar chart with optional interval whiskers: percentages with Wilson intervals,
//! costs with bootstrap intervals, and the like. Category labels sit to the left of the
//! bars where long names have room, and every bar carries its value as text.

use crate::charts::{describe, finite, plural};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, legend_height, legend_origin, legend_width, Anchor,
    LegendItem, Rect, Stroke, Svg, Swatch, TextStyle, RIGHT_PAD, TICK_SIZE,
};
use crate::table::TableData;
use crate::text::{text_width, truncate_to_width};
use crate::{Chart, RenderOptions};

/// Input for a horizontal bar chart; bars are drawn top to bottom in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BarChartData {
    pub title: String,
    /// What the bars are, e.g. "Team" (the table's first header).
    pub category_label: String,
    /// What the bar length measures, e.g. "People who improved (%)".
    pub value_label: String,
    pub bars: Vec<Bar>,
    /// What the whiskers are, e.g. "95% confidence interval (Wilson)".
    pub interval_label: String,
    /// A fixed axis range such as (0, 100) for percentages; widened if data fall outside.
    pub domain: Option<(f64, f64)>,
    pub value_format: NumberFormat,
    pub summary: String,
}

/// One bar. A bar without a value shows its `note` (e.g. "Suppressed: fewer than 8 people").
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// Lower and upper end of the interval, drawn as a whisker.
    pub interval: Option<(f64, f64)>,
    pub note: Option<String>,
}

impl Bar {
    fn value(&self) -> Option<f64> {
        finite(self.value)
    }
    fn interval(&self) -> Option<(f64, f64)> {
        let (a, b) = self.interval?;
        (a.is_finite() && b.is_finite()).then(|| (a.min(b), a.max(b)))
    }
    fn missing_text(&self) -> String {
        self.note
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "No value".to_string())
    }
}

const ROW: f64 = 34.0;
const BAR_THICKNESS: f64 = 20.0;
const CATEGORY_SIZE: f64 = 13.0;

impl BarChartData {
    fn describe_bar(&self, bar: &Bar) -> String {
        let format = &self.value_format;
        match (bar.value(), bar.interval()) {
            (Some(v), Some((lo, hi))) => format!(
                "{} {} ({} to {})",
                bar.label,
                format.label(v),
                format.label(lo),
                format.label(hi)
            ),
            (Some(v), None) => format!("{} {}", bar.label, format.label(v)),
            (None, _) => format!("{}: {}", bar.label, bar.missing_text().to_lowercase()),
        }
    }

    fn description(&self) -> String {
        let format = &self.value_format;
        let mut facts = Vec::new();
        let with_value: Vec<&Bar> = self.bars.iter().filter(|b| b.value().is_some()).collect();
        if with_value.is_empty() {
            facts.push("No values to show.".to_string());
            return describe(&self.summary, &facts);
        }
        facts.push(format!("{}.", plural(self.bars.len(), "bar", "bars")));
        if self.bars.len() <= 12 {
            let listed: Vec<String> = self.bars.iter().map(|b| self.describe_bar(b)).collect();
            let interval = if self.bars.iter().any(|b| b.interval().is_some())
                && !self.interval_label.trim().is_empty()
            {
                format!(", with {} in brackets", self.interval_label.trim())
            } else {
                String::new()
            };
            facts.push(format!("Values{interval}: {}.", listed.join("; ")));
        } else {
            let highest = with_value.iter().max_by(|a, b| {
                a.value()
                    .unwrap_or(0.0)
                    .total_cmp(&b.value().unwrap_or(0.0))
            });
            let lowest = with_value.iter().min_by(|a, b| {
                a.value()
                    .unwrap_or(0.0)
                    .total_cmp(&b.value().unwrap_or(0.0))
            });
            if let (Some(h), Some(l)) = (highest, lowest) {
                facts.push(format!(
                    "Highest {} ({}); lowest {} ({}).",
                    format.label(h.value().unwrap_or(0.0)),
                    h.label,
                    format.label(l.value().unwrap_or(0.0)),
                    l.label
                ));
            }
            let missing = self.bars.len() - with_value.len();
            if missing > 0 {
                facts.push(format!(
                    "{} without a value.",
                    plural(missing, "bar", "bars")
                ));
            }
        }
        describe(&self.summary, &facts)
    }
}

impl Chart for BarChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let format = &self.value_format;
        let top = header_height(options, 4.0);
        let legend_items: Vec<LegendItem> = if self.bars.iter().any(|b| b.interval().is_some()) {
            let label = if self.interval_label.trim().is_empty() {
                "Interval"
            } else {
                self.interval_label.trim()
            };
            vec![LegendItem {
                swatch: Swatch::Line(Stroke::solid(palette::TEXT, 2.0)),
                label: label.to_string(),
            }]
        } else {
            Vec::new()
        };
        let width = crate::svg::chart_width(options);
        let legend_h = legend_height(&legend_items, legend_width(width));
        let rows = self.bars.len().max(1) as f64;
        let natural = top + rows * ROW + footer_height(legend_h);
        let height = chart_height(options, natural);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());

        let (mut lo, mut hi) = extent(
            self.bars
                .iter()
                .flat_map(|b| {
                    [
                        b.value(),
                        b.interval().map(|i| i.0),
                        b.interval().map(|i| i.1),
                    ]
                })
                .flatten()
                .chain(std::iter::once(0.0)),
        )
        .unwrap_or((0.0, 1.0));
        if let Some((a, b)) = self.domain.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            lo = lo.min(a.min(b));
            hi = hi.max(a.max(b));
        }
        let ticks = nice_ticks(lo, hi, 5);

        let label_room = (width * 0.35).max(80.0);
        let category_labels: Vec<String> = self
            .bars
            .iter()
            .map(|b| truncate_to_width(&b.label, CATEGORY_SIZE, label_room))
            .collect();
        let widest_label = category_labels
            .iter()
            .map(|l| text_width(l, CATEGORY_SIZE))
            .fold(0.0, f64::max);
        let value_labels: Vec<String> = self
            .bars
            .iter()
            .map(|b| b.value().map(|v| format.label(v)).unwrap_or_default())
            .collect();
        let widest_value = value_labels
            .iter()
            .map(|l| text_width(l, TICK_SIZE + 1.0))
            .fold(0.0, f64::max);
        let plot = Rect {
            left: 16.0 + widest_label + 12.0,
            top,
            right: (width - RIGHT_PAD - widest_value - 10.0).max(16.0 + widest_label + 60.0),
            bottom: (height - footer_height(legend_h)).max(top + ROW),
        };
        let x = LinearScale::new((ticks.lo, ticks.hi), (plot.left, plot.right));
        let row_height = plot.height() / rows;

        if options.show_title {
            svg.title(&self.title);
        }
        svg.x_axis_numeric(plot, &x, &ticks, format, &self.value_label, true);
        if ticks.lo < 0.0 {
            let zero = x.map(0.0);
            svg.line(
                zero,
                plot.top,
                zero,
                plot.bottom,
                Stroke::solid(palette::AXIS, 1.0),
            );
        }

        svg.open_group("wm-bars");
        let zero = x.map_clamped(0.0);
        for (idx, bar) in self.bars.iter().enumerate() {
            let centre = plot.top + (idx as f64 + 0.5) * row_height;
            let label = category_labels.get(idx).cloned().unwrap_or_default();
            svg.text(
                plot.left - 8.0,
                centre + CATEGORY_SIZE * 0.35,
                &label,
                TextStyle::new(CATEGORY_SIZE, Anchor::End),
            );
            let thickness = BAR_THICKNESS.min(row_height * 0.7);
            match bar.value() {
                Some(v) => {
                    let end = x.map_clamped(v);
                    let tip = self.describe_bar(bar);
                    svg.rect(
                        zero.min(end),
                        centre - thickness / 2.0,
                        (end - zero).abs(),
                        thickness,
                        palette::BAR,
                        None,
                        "wm-bar",
                        Some(&tip),
                    );
                    let mut far_right = end.max(zero);
                    let mut far_left = end.min(zero);
                    if let Some((a, b)) = bar.interval() {
                        let (xa, xb) = (x.map_clamped(a), x.map_clamped(b));
                        let whisker = Stroke::solid(palette::TEXT, 2.0);
                        svg.line(xa, centre, xb, centre, whisker);
                        svg.line(xa, centre - 6.0, xa, centre + 6.0, whisker);
                        svg.line(xb, centre - 6.0, xb, centre + 6.0, whisker);
                        far_right = far_right.max(xb);
                        far_left = far_left.min(xa);
                    }
                    let text = value_labels.get(idx).cloned().unwrap_or_default();
                    let style = TextStyle::new(TICK_SIZE + 1.0, Anchor::Start);
                    if v >= 0.0 {
                        svg.text(far_right + 6.0, centre + 4.5, &text, style);
                    } else {
                        svg.text(
                            far_left - 6.0,
                            centre + 4.5,
                            &text,
                            TextStyle {
                                anchor: Anchor::End,
                                ..style
                            },
                        );
                    }
                }
                None => {
                    svg.text(
                        zero + 6.0,
                        centre + 4.5,
                        &truncate_to_width(
                            &bar.missing_text(),
                            TICK_SIZE,
                            (plot.right - zero - 6.0).max(60.0),
                        ),
                        TextStyle::new(TICK_SIZE, Anchor::Start).colour(palette::SECONDARY_TEXT),
                    );
                }
            }
        }
        svg.close_group();
        if self.bars.is_empty() {
            svg.no_data(plot);
        }

        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(svg.width));
        svg.finish()
    }

    fn as_table(&self) -> TableData {
        let format = &self.value_format;
        let unit = format.unit_suffix();
        let has_interval = self.bars.iter().any(|b| b.interval().is_some());
        let mut headers = vec![
            if self.category_label.trim().is_empty() {
                "Category".to_string()
            } else {
                self.category_label.clone()
            },
            format.header(&self.value_label, "Value"),
        ];
        if has_interval {
            headers.push(format!("Lower{unit}"));
            headers.push(format!("Upper{unit}"));
        }
        headers.push("Note".to_string());
        let rows = self
            .bars
            .iter()
            .map(|bar| {
                let mut row = vec![
                    bar.label.clone(),
                    bar.value().map(|v| format.cell(v)).unwrap_or_default(),
                ];
                if has_interval {
                    row.push(bar.interval().map(|i| format.cell(i.0)).unwrap_or_default());
                    row.push(bar.interval().map(|i| format.cell(i.1)).unwrap_or_default());
                }
                row.push(match (bar.value(), &bar.note) {
                    (_, Some(note)) => note.clone(),
                    (None, None) => "No value".to_string(),
                    (Some(_), None) => String::new(),
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
