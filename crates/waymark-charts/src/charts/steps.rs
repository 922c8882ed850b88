//! Step curves with confidence bands, for Kaplan–Meier estimates (e.g. time to first
//! review, time staying out of crisis). Censored times are marked with short ticks.
//!
//! The estimates and intervals are computed elsewhere (waymark-core); this draws them.

use crate::charts::{describe, series_style};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, LegendItem, PathData, Rect, Stroke, Svg, Swatch, RIGHT_PAD,
};
use crate::table::TableData;
use crate::{Chart, RenderOptions};

/// Input for step curves (one per group).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StepChartData {
    pub title: String,
    /// e.g. "Days since referral".
    pub x_label: String,
    /// e.g. "Still waiting (%)".
    pub y_label: String,
    pub series: Vec<StepSeries>,
    /// A fixed vertical range such as (0, 1) or (0, 100); widened if data fall outside.
    pub y_domain: Option<(f64, f64)>,
    /// Format of the estimates (vertical axis).
    pub value_format: NumberFormat,
    /// Format of the times (horizontal axis).
    pub time_format: NumberFormat,
    pub summary: String,
}

/// One curve: the estimate after each event time, and the censored times.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StepSeries {
    pub name: String,
    /// The estimate from `time` on (right-continuous steps), in any order.
    pub points: Vec<StepPoint>,
    /// Times at which someone left observation without the event.
    pub censored: Vec<f64>,
}

/// The estimate (and its interval) from `time` until the next point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StepPoint {
    pub time: f64,
    pub estimate: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl StepSeries {
    /// Points with finite time and estimate, sorted by time.
    fn clean_points(&self) -> Vec<StepPoint> {
        let mut points: Vec<StepPoint> = self
            .points
            .iter()
            .filter(|p| p.time.is_finite() && p.estimate.is_finite())
            .map(|p| StepPoint {
                lower: p.lower.filter(|v| v.is_finite()),
                upper: p.upper.filter(|v| v.is_finite()),
                ..*p
            })
            .collect();
        points.sort_by(|a, b| a.time.total_cmp(&b.time));
        points
    }

    fn clean_censored(&self) -> Vec<f64> {
        self.censored
            .iter()
            .copied()
            .filter(|t| t.is_finite())
            .collect()
    }

    /// Where the curve ends: the last event or censored time.
    fn end_time(&self, points: &[StepPoint]) -> Option<f64> {
        extent(points.iter().map(|p| p.time).chain(self.clean_censored())).map(|e| e.1)
    }
}

/// The estimate in force at time `t` (the last point at or before it).
fn estimate_at(points: &[StepPoint], t: f64) -> Option<f64> {
    points
        .iter()
        .take_while(|p| p.time <= t)
        .last()
        .map(|p| p.estimate)
}

impl StepChartData {
    fn description(&self) -> String {
        let mut facts = Vec::new();
        let values = &self.value_format;
        let times = &self.time_format;
        for series in &self.series {
            let points = series.clean_points();
            let (Some(first), Some(last)) = (points.first(), points.last()) else {
                facts.push(format!("{}: no values.", series.name));
                continue;
            };
            let interval = match (last.lower, last.upper) {
                (Some(lo), Some(hi)) => {
                    format!(" (interval {} to {})", values.label(lo), values.label(hi))
                }
                _ => String::new(),
            };
            let censored = series.clean_censored().len();
            facts.push(format!(
                "{}: {} at {}, {} from {} on{}; {} censored.",
                series.name,
                values.label(first.estimate),
                times.label(first.time),
                values.label(last.estimate),
                times.label(last.time),
                interval,
                censored
            ));
        }
        if facts.is_empty() {
            facts.push("No values to show.".to_string());
        }
        describe(&self.summary, &facts)
    }
}

impl Chart for StepChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let height = chart_height(options, 420.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;
        let cleaned: Vec<(Vec<StepPoint>, Vec<f64>)> = self
            .series
            .iter()
            .map(|s| (s.clean_points(), s.clean_censored()))
            .collect();

        let (mut ylo, mut yhi) = extent(cleaned.iter().flat_map(|(points, _)| {
            points
                .iter()
                .flat_map(|p| [Some(p.estimate), p.lower, p.upper])
                .flatten()
        }))
        .unwrap_or((0.0, 1.0));
        if let Some((a, b)) = self
            .y_domain
            .filter(|(a, b)| a.is_finite() && b.is_finite())
        {
            ylo = ylo.min(a.min(b));
            yhi = yhi.max(a.max(b));
        }
        let (xlo, xhi) = extent(
            cleaned
                .iter()
                .flat_map(|(points, censored)| {
                    points
                        .iter()
                        .map(|p| p.time)
                        .chain(censored.iter().copied())
                })
                .chain(std::iter::once(0.0)),
        )
        .unwrap_or((0.0, 1.0));
        let y_ticks = nice_ticks(ylo, yhi, 5);
        let x_ticks = nice_ticks(xlo, xhi, 6);

        let mut legend_items: Vec<LegendItem> = self
            .series
            .iter()
            .enumerate()
            .map(|(idx, s)| {
                let (stroke, _) = series_style(idx, 2.5);
                LegendItem {
                    swatch: Swatch::Line(stroke),
                    label: s.name.clone(),
                }
            })
            .collect();
        if cleaned
            .iter()
            .any(|(p, _)| p.iter().any(|p| p.lower.is_some() && p.upper.is_some()))
        {
            legend_items.push(LegendItem {
                swatch: Swatch::Fill(palette::BAND_FILL),
                label: "Shaded: confidence interval".to_string(),
            });
        }
        if cleaned.iter().any(|(_, c)| !c.is_empty()) {
            legend_items.push(LegendItem {
                swatch: Swatch::Tick(palette::TEXT),
                label: "Tick: censored (left without the event)".to_string(),
            });
        }
        let legend_h = legend_height(&legend_items, legend_width(width));
        let top = header_height(options, 0.0);
        let plot = Rect {
            left: left_margin_for(&y_ticks, &self.value_format),
            top,
            right: width - RIGHT_PAD - 8.0,
            bottom: (height - footer_height(legend_h)).max(top + 40.0),
        };
        let x = LinearScale::new((x_ticks.lo, x_ticks.hi), (plot.left, plot.right));
        let y = LinearScale::new((y_ticks.lo, y_ticks.hi), (plot.bottom, plot.top));

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &y_ticks, &self.value_format, &self.y_label);
        svg.x_axis_numeric(plot, &x, &x_ticks, &self.time_format, &self.x_label, false);

        // Bands first, under every curve.
        svg.open_group("wm-bands");
        for (idx, (points, censored)) in cleaned.iter().enumerate() {
            let (stroke, _) = series_style(idx, 2.5);
            let end = extent(
                points
                    .iter()
                    .map(|p| p.time)
                    .chain(censored.iter().copied()),
            )
            .map(|e| e.1);
            for run in points.split(|p| p.lower.is_none() || p.upper.is_none()) {
                let Some(last) = run.last() else { continue };
                let run_end = points
                    .iter()
                    .find(|p| p.time > last.time)
                    .map(|p| p.time)
                    .or(end)
                    .unwrap_or(last.time);
                let mut band = PathData::new();
                for (i, p) in run.iter().enumerate() {
                    let next = run.get(i + 1).map(|n| n.time).unwrap_or(run_end);
                    let upper = p.upper.unwrap_or(p.estimate);
                    if i == 0 {
                        band.move_to(x.map(p.time), y.map(upper));
                    } else {
                        band.line_to(x.map(p.time), y.map(upper));
                    }
                    band.line_to(x.map(next), y.map(upper));
                }
                for (i, p) in run.iter().enumerate().rev() {
                    let next = run.get(i + 1).map(|n| n.time).unwrap_or(run_end);
                    let lower = p.lower.unwrap_or(p.estimate);
                    band.line_to(x.map(next), y.map(lower));
                    band.line_to(x.map(p.time), y.map(lower));
                }
                band.close();
                svg.fill_path(&band, stroke.colour, 0.12, "wm-band-fill");
            }
        }
        svg.close_group();

        svg.open_group("wm-curves");
        for (idx, (series, (points, censored))) in
            self.series.iter().zip(cleaned.iter()).enumerate()
        {
            let (stroke, _) = series_style(idx, 2.5);
            let mut path = PathData::new();
            for (i, p) in points.iter().enumerate() {
                if i == 0 {
                    path.move_to(x.map(p.time), y.map(p.estimate));
                } else {
                    path.line_to(
                        x.map(p.time),
                        y.map(points.get(i - 1).map(|q| q.estimate).unwrap_or(p.estimate)),
                    );
                    path.line_to(x.map(p.time), y.map(p.estimate));
                }
            }
            if let (Some(last), Some(end)) = (points.last(), series.end_time(points)) {
                if end > last.time {
                    path.line_to(x.map(end), y.map(last.estimate));
                }
            }
            svg.stroke_path(&path, stroke, "wm-step");
            for &t in censored {
                if let Some(e) = estimate_at(points, t) {
                    let (cx, cy) = (x.map(t), y.map(e));
                    svg.line(
                        cx,
                        cy - 5.0,
                        cx,
                        cy + 5.0,
                        Stroke::solid(stroke.colour, 1.5),
                    );
                }
            }
        }
        svg.close_group();
        if cleaned.iter().all(|(p, _)| p.is_empty()) {
            svg.no_data(plot);
        }

        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(width));
        svg.finish()
    }

    fn as_table(&self) -> TableData {
        let v = &self.value_format;
        let t = &self.time_format;
        let unit = v.unit_suffix();
        let mut rows = Vec::new();
        for series in &self.series {
            let censored = series.clean_censored();
            let points = series.clean_points();
            for (i, p) in points.iter().enumerate() {
                let next = points.get(i + 1).map(|n| n.time).unwrap_or(f64::INFINITY);
                let censored_here = censored
                    .iter()
                    .filter(|c| **c >= p.time && **c < next)
                    .count();
                rows.push(vec![
                    series.name.clone(),
                    t.cell(p.time),
                    v.cell(p.estimate),
                    p.lower.map(|x| v.cell(x)).unwrap_or_default(),
                    p.upper.map(|x| v.cell(x)).unwrap_or_default(),
                    censored_here.to_string(),
                ]);
            }
        }
        TableData {
            caption: self.title.clone(),
            headers: vec![
                "Group".to_string(),
                if self.x_label.trim().is_empty() {
                    "Time".to_string()
                } else {
                    self.x_label.clone()
                },
                format!("Estimate{unit}"),
                format!("Lower{unit}"),
                format!("Upper{unit}"),
                "Censored before the next step".to_string(),
            ],
            rows,
        }
    }
}
