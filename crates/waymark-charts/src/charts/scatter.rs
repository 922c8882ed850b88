//! Baseline against latest score: one point per person, the identity line (no change) and a
//! shaded band of ± the reliable-change threshold around it. Points outside the band are a
//! reliable change, marked by shape (triangle up or down) as well as colour.

use crate::charts::{describe, plural};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, LinearScale};
use crate::svg::{
    chart_height, header_height, left_margin_for, legend_height, LegendItem, PathData, Rect, Shape,
    Stroke, Svg, Swatch, RIGHT_PAD,
};
use crate::table::TableData;
use crate::{Chart, RenderOptions};

/// Input for the baseline-versus-latest scatter.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScatterChartData {
    pub title: String,
    /// Horizontal axis, e.g. "PHQ-9 at baseline".
    pub x_label: String,
    /// Vertical axis, e.g. "PHQ-9 at latest review".
    pub y_label: String,
    pub points: Vec<ScatterPoint>,
    /// Reliable-change threshold in score units: the band is latest = baseline ± this.
    pub reliable_change: Option<f64>,
    /// Which direction is better; `None` reads changes as increase/decrease only.
    pub better: Option<BetterDirection>,
    pub value_format: NumberFormat,
    pub summary: String,
    /// How each class's count is written in the legend and the description, in the order of
    /// [`ScatterChartData::class_counts`] (e.g. `*` and rounded counts under the caller's
    /// disclosure control, so the legend never shows what the exported table withholds).
    /// `None`, or a list of the wrong length, writes the exact counts.
    pub shown_counts: Option<Vec<String>>,
}

/// One person's baseline (`x`) and latest (`y`) score.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScatterPoint {
    pub x: f64,
    pub y: f64,
}

/// Which direction of a score is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum BetterDirection {
    Higher,
    Lower,
}

/// Where a point lies relative to the band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Increase,
    Decrease,
    NoReliableChange,
    /// No threshold was given, so changes are not classified.
    Unclassified,
}

impl ScatterChartData {
    fn threshold(&self) -> Option<f64> {
        self.reliable_change.filter(|t| t.is_finite() && *t >= 0.0)
    }

    fn plotted(&self) -> impl Iterator<Item = &ScatterPoint> {
        self.points
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
    }

    /// A change of at least the threshold counts as reliable (the usual |RCI| ≥ 1.96 reading).
    fn classify(&self, point: &ScatterPoint) -> Change {
        let Some(threshold) = self.threshold() else {
            return Change::Unclassified;
        };
        let change = point.y - point.x;
        if !change.is_finite() {
            return Change::Unclassified;
        }
        if change >= threshold && change > 0.0 {
            Change::Increase
        } else if change <= -threshold && change < 0.0 {
            Change::Decrease
        } else {
            Change::NoReliableChange
        }
    }

    fn style(&self, change: Change) -> (Shape, &'static str, &'static str) {
        let improvement_is = match self.better {
            Some(BetterDirection::Higher) => Some(Change::Increase),
            Some(BetterDirection::Lower) => Some(Change::Decrease),
            None => None,
        };
        match change {
            Change::NoReliableChange => (Shape::Circle, palette::COMMON, "No reliable change"),
            Change::Unclassified => (Shape::Circle, palette::COMMON, "Person"),
            Change::Increase | Change::Decrease => {
                let shape = if change == Change::Increase {
                    Shape::TriangleUp
                } else {
                    Shape::TriangleDown
                };
                match improvement_is {
                    Some(better) if better == change => {
                        (shape, palette::IMPROVEMENT, "Reliable improvement")
                    }
                    Some(_) => (shape, palette::CONCERN, "Reliable deterioration"),
                    None if change == Change::Increase => {
                        (shape, palette::NEUTRAL, "Reliable increase")
                    }
                    None => (shape, palette::NEUTRAL, "Reliable decrease"),
                }
            }
        }
    }

    /// The people plotted in each class of change, in the legend's reading order (zero counts
    /// included): for a caller that writes them its own way in [`Self::shown_counts`].
    pub fn class_counts(&self) -> Vec<usize> {
        self.counts().into_iter().map(|(_, n)| n).collect()
    }

    /// Each class's count as written in the legend and description.
    fn count_texts(&self) -> Vec<(Change, String)> {
        let counts = self.counts();
        match &self.shown_counts {
            Some(shown) if shown.len() == counts.len() => counts
                .iter()
                .zip(shown)
                .map(|((c, _), text)| (*c, text.clone()))
                .collect(),
            _ => counts.iter().map(|(c, n)| (*c, n.to_string())).collect(),
        }
    }

    /// The classes in a fixed reading order with their counts (zero counts included).
    fn counts(&self) -> Vec<(Change, usize)> {
        let order: &[Change] = if self.threshold().is_some() {
            match self.better {
                Some(BetterDirection::Higher) => {
                    &[Change::Increase, Change::NoReliableChange, Change::Decrease]
                }
                _ => &[Change::Decrease, Change::NoReliableChange, Change::Increase],
            }
        } else {
            &[Change::Unclassified]
        };
        order
            .iter()
            .map(|&c| (c, self.plotted().filter(|p| self.classify(p) == c).count()))
            .collect()
    }

    /// Plotted points with identical scores merged, in first-seen order, with their counts
    /// (scores are often whole numbers, so many people share a point).
    fn grouped(&self) -> Vec<(ScatterPoint, usize)> {
        let mut groups: Vec<(ScatterPoint, usize)> = Vec::new();
        let mut index: std::collections::BTreeMap<(u64, u64), usize> =
            std::collections::BTreeMap::new();
        for point in self.plotted() {
            // +0.0 turns -0.0 into 0.0 so both land in one group.
            let key = ((point.x + 0.0).to_bits(), (point.y + 0.0).to_bits());
            match index.get(&key).and_then(|&i| groups.get_mut(i)) {
                Some(group) => group.1 += 1,
                None => {
                    index.insert(key, groups.len());
                    groups.push((*point, 1));
                }
            }
        }
        groups
    }

    fn description(&self) -> String {
        let plotted = self.plotted().count();
        let mut facts = Vec::new();
        if plotted == 0 {
            facts.push("No values to show.".to_string());
        } else {
            // With caller-written counts, exact totals are left out too.
            let who = if self.shown_counts.is_some() {
                "One point per person".to_string()
            } else {
                format!("{} plotted", plural(plotted, "person", "people"))
            };
            facts.push(format!(
                "{who}: baseline across, latest up; points on the diagonal did not change."
            ));
            if let Some(threshold) = self.threshold() {
                let counts: Vec<String> = self
                    .count_texts()
                    .iter()
                    .map(|(c, n)| format!("{} {}", self.style(*c).2.to_lowercase(), n))
                    .collect();
                facts.push(format!(
                    "Reliable change is a change of at least {}: {}.",
                    self.value_format.label(threshold),
                    counts.join(", ")
                ));
            }
        }
        let unplotted = self.points.len() - plotted;
        if unplotted > 0 && self.shown_counts.is_some() {
            facts.push("Some people are not plotted (missing values).".to_string());
        } else if unplotted > 0 {
            facts.push(format!(
                "{} not plotted (missing values).",
                plural(unplotted, "person", "people")
            ));
        }
        describe(&self.summary, &facts)
    }
}

impl Chart for ScatterChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let format = &self.value_format;
        let height = chart_height(options, 480.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;

        let (lo, hi) = extent(self.plotted().flat_map(|p| [p.x, p.y])).unwrap_or((0.0, 1.0));
        let ticks = nice_ticks(lo, hi, 5);

        let mut legend_items = Vec::new();
        legend_items.push(LegendItem {
            swatch: Swatch::Line(Stroke::dashed(palette::TEXT, 1.5, "6 4")),
            label: "No change (latest = baseline)".to_string(),
        });
        if let Some(threshold) = self.threshold() {
            legend_items.push(LegendItem {
                swatch: Swatch::Fill(palette::BAND_FILL),
                label: format!(
                    "Within ±{} (not a reliable change)",
                    format.label(threshold)
                ),
            });
        }
        for (change, count) in self.count_texts() {
            let (shape, colour, label) = self.style(change);
            legend_items.push(LegendItem {
                swatch: Swatch::Marker(shape, colour),
                label: format!("{label} (n = {count})"),
            });
        }

        let groups = self.grouped();
        if groups.iter().any(|(_, count)| *count > 1) {
            legend_items.push(LegendItem {
                swatch: Swatch::Marker(Shape::Circle, palette::COMMON),
                label: "Bigger marks: several people with the same scores".to_string(),
            });
        }

        // A square plot (equal scales, so the identity line is at 45°) with the legend at
        // its right when there is room, otherwise below.
        let top = header_height(options, 0.0);
        let left = left_margin_for(&ticks, format);
        let legend_beside = width - left >= 560.0;
        let legend_h = if legend_beside {
            0.0
        } else {
            legend_height(&legend_items, width - 32.0)
        };
        let below = 58.0 + if legend_beside { 0.0 } else { legend_h + 16.0 };
        let side_room = if legend_beside {
            width - left - 300.0
        } else {
            width - left - RIGHT_PAD
        };
        let side = side_room.min(height - top - below).max(40.0);
        let plot = Rect {
            left,
            top,
            right: left + side,
            bottom: top + side,
        };
        let x = LinearScale::new((ticks.lo, ticks.hi), (plot.left, plot.right));
        let y = LinearScale::new((ticks.lo, ticks.hi), (plot.bottom, plot.top));

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &ticks, format, &self.y_label);
        svg.x_axis_numeric(plot, &x, &ticks, format, &self.x_label, true);

        let clip = svg.define_clip(plot, 0.0);
        svg.open_clipped_group("wm-band", &clip);
        let (d0, d1) = (ticks.lo, ticks.hi);
        if let Some(t) = self.threshold() {
            let mut band = PathData::new();
            band.move_to(x.map(d0), y.map(d0 - t));
            band.line_to(x.map(d1), y.map(d1 - t));
            band.line_to(x.map(d1), y.map(d1 + t));
            band.line_to(x.map(d0), y.map(d0 + t));
            band.close();
            svg.fill_path(&band, palette::BAND_FILL, 1.0, "wm-band-fill");
            for offset in [-t, t] {
                svg.line(
                    x.map(d0),
                    y.map(d0 + offset),
                    x.map(d1),
                    y.map(d1 + offset),
                    Stroke::dashed(palette::SECONDARY_LINE, 1.0, "3 3"),
                );
            }
        }
        svg.line(
            x.map(d0),
            y.map(d0),
            x.map(d1),
            y.map(d1),
            Stroke::dashed(palette::TEXT, 1.5, "6 4"),
        );
        svg.close_group();

        let base = if groups.len() > 300 { 3.5 } else { 4.5 };
        svg.open_group("wm-points");
        for (point, count) in &groups {
            let (shape, colour, label) = self.style(self.classify(point));
            let people = if *count > 1 && self.shown_counts.is_some() {
                " (several people)".to_string()
            } else if *count > 1 {
                format!(" ({count} people)")
            } else {
                String::new()
            };
            let tip = format!(
                "Baseline {}, latest {}: {}{people}",
                format.label(point.x),
                format.label(point.y),
                label.to_lowercase()
            );
            // Area grows with the number of people sharing the point, up to 9 times.
            let radius = base * (*count as f64).sqrt().min(3.0);
            svg.marker(
                shape,
                x.map(point.x),
                y.map(point.y),
                radius,
                colour,
                false,
                "wm-point",
                Some(&tip),
            );
        }
        svg.close_group();
        if self.plotted().next().is_none() {
            svg.no_data(plot);
        }

        if legend_beside {
            let legend_w = width - plot.right - 32.0 - RIGHT_PAD;
            for (row, item) in legend_items.iter().enumerate() {
                let item_top = plot.top + row as f64 * 26.0;
                svg.legend(
                    std::slice::from_ref(item),
                    plot.right + 32.0,
                    item_top,
                    legend_w,
                );
            }
        } else {
            svg.legend(&legend_items, 16.0, plot.bottom + 58.0, width - 32.0);
        }
        svg.finish()
    }

    /// Counts per class of change (person-level points are not tabulated, so an export
    /// holds aggregates only; the shares are of plotted people).
    fn as_table(&self) -> TableData {
        let plotted = self.plotted().count();
        let rows = self
            .counts()
            .into_iter()
            .map(|(change, count)| {
                let share = if plotted > 0 {
                    100.0 * count as f64 / plotted as f64
                } else {
                    f64::NAN
                };
                vec![
                    self.style(change).2.to_string(),
                    count.to_string(),
                    NumberFormat::fixed(1).cell(share),
                ]
            })
            .collect();
        TableData {
            caption: self.title.clone(),
            headers: vec![
                "Change".to_string(),
                "People".to_string(),
                "Share of people plotted (%)".to_string(),
            ],
            rows,
        }
    }
}
