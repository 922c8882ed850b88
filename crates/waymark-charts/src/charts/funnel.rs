//! Funnel plot: each unit's rate against its denominator, with the overall rate and the 95%
//! and 99.8% control limits, which narrow as the denominator grows.
//!
//! The limits and each point's position are computed elsewhere (waymark-core), so the
//! chart never disagrees with the table or the narrative.
//!
//! # References
//! Spiegelhalter D. J. (2005), "Funnel plots for comparing institutional performance",
//! *Statistics in Medicine* 24:1185–1202 (95% and 99.8% limits).

use crate::charts::{describe, plural};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, spread_labels, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, Anchor, LegendItem, PathData, Rect, Shape, Stroke, Svg, Swatch, TextStyle,
    TICK_SIZE,
};
use crate::table::TableData;
use crate::{Chart, RenderOptions};

/// Up to this many units, every point is labelled with its unit's name; above it, only the
/// units outside the 95% limits are, so the labels stay readable.
pub const MAX_UNITS_ALL_LABELLED: usize = 15;

/// Input for a funnel plot.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FunnelChartData {
    pub title: String,
    /// The denominator, e.g. "People referred".
    pub x_label: String,
    /// The rate, e.g. "Seen within 14 days (%)".
    pub y_label: String,
    /// What a point is, e.g. "Team" (the table's first header).
    pub unit_label: String,
    pub points: Vec<FunnelPoint>,
    /// The overall (target) rate.
    pub centre: f64,
    /// The limit curves sampled at increasing denominators.
    pub limits: Vec<FunnelLimit>,
    pub value_format: NumberFormat,
    pub summary: String,
}

/// One unit (team, coordinator, area).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FunnelPoint {
    pub label: String,
    pub denominator: f64,
    pub value: f64,
    pub position: FunnelPosition,
}

/// The limits at one denominator.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FunnelLimit {
    pub denominator: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

/// Where a point lies relative to the limits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FunnelPosition {
    #[default]
    Within,
    /// Above the 95% limit but within the 99.8% limit.
    Above95,
    Above998,
    /// Below the 95% limit but within the 99.8% limit.
    Below95,
    Below998,
}

impl FunnelPosition {
    /// Shape, colour and hollowness: triangles point the way the unit lies, filled when
    /// beyond 99.8%, hollow when beyond 95% only.
    fn style(self) -> (Shape, &'static str, bool) {
        match self {
            FunnelPosition::Within => (Shape::Circle, palette::COMMON, false),
            FunnelPosition::Above95 => (Shape::TriangleUp, palette::NEUTRAL, true),
            FunnelPosition::Above998 => (Shape::TriangleUp, palette::NEUTRAL, false),
            FunnelPosition::Below95 => (Shape::TriangleDown, palette::NEUTRAL, true),
            FunnelPosition::Below998 => (Shape::TriangleDown, palette::NEUTRAL, false),
        }
    }
    fn label(self) -> &'static str {
        match self {
            FunnelPosition::Within => "Within 95% limits",
            FunnelPosition::Above95 => "Above 95% limit",
            FunnelPosition::Above998 => "Above 99.8% limit",
            FunnelPosition::Below95 => "Below 95% limit",
            FunnelPosition::Below998 => "Below 99.8% limit",
        }
    }
    const ALL: [FunnelPosition; 5] = [
        FunnelPosition::Above998,
        FunnelPosition::Above95,
        FunnelPosition::Within,
        FunnelPosition::Below95,
        FunnelPosition::Below998,
    ];
}

impl FunnelPoint {
    fn is_plottable(&self) -> bool {
        self.denominator.is_finite() && self.value.is_finite()
    }
}

impl FunnelChartData {
    fn plotted(&self) -> impl Iterator<Item = &FunnelPoint> {
        self.points.iter().filter(|p| p.is_plottable())
    }

    fn clean_limits(&self) -> Vec<FunnelLimit> {
        let mut limits: Vec<FunnelLimit> = self
            .limits
            .iter()
            .filter(|l| l.denominator.is_finite())
            .copied()
            .collect();
        limits.sort_by(|a, b| a.denominator.total_cmp(&b.denominator));
        limits
    }

    fn description(&self) -> String {
        let format = &self.value_format;
        let plotted: Vec<&FunnelPoint> = self.plotted().collect();
        let mut facts = Vec::new();
        if plotted.is_empty() {
            facts.push("No values to show.".to_string());
        } else {
            facts.push(format!(
                "{} plotted.",
                plural(plotted.len(), "unit", "units")
            ));
        }
        if self.centre.is_finite() {
            facts.push(format!("Overall {}.", format.label(self.centre)));
        }
        for position in FunnelPosition::ALL {
            if position == FunnelPosition::Within {
                continue;
            }
            let names: Vec<&str> = plotted
                .iter()
                .filter(|p| p.position == position)
                .map(|p| p.label.as_str())
                .collect();
            if names.is_empty() {
                continue;
            }
            let listed = if names.len() <= 5 {
                format!(": {}", names.join(", "))
            } else {
                String::new()
            };
            facts.push(format!(
                "{} {}{}.",
                plural(names.len(), "unit", "units"),
                position.label().to_lowercase(),
                listed
            ));
        }
        let within = plotted
            .iter()
            .filter(|p| p.position == FunnelPosition::Within)
            .count();
        if !plotted.is_empty() {
            facts.push(format!(
                "{} within the 95% limits.",
                plural(within, "unit", "units")
            ));
        }
        describe(&self.summary, &facts)
    }
}

/// A limit curve as a path, skipping non-finite samples.
fn curve(
    limits: &[FunnelLimit],
    pick: fn(&FunnelLimit) -> f64,
    x: &LinearScale,
    y: &LinearScale,
) -> PathData {
    let mut path = PathData::new();
    let mut pen_down = false;
    for limit in limits {
        let v = pick(limit);
        if v.is_finite() {
            if pen_down {
                path.line_to(x.map(limit.denominator), y.map(v));
            } else {
                path.move_to(x.map(limit.denominator), y.map(v));
                pen_down = true;
            }
        } else {
            pen_down = false;
        }
    }
    path
}

impl Chart for FunnelChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let format = &self.value_format;
        let height = chart_height(options, 440.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;
        let limits = self.clean_limits();
        let centre = Some(self.centre).filter(|c| c.is_finite());

        let min_denominator = self
            .plotted()
            .map(|p| p.denominator)
            .fold(f64::INFINITY, f64::min);
        let visible_limits = limits
            .iter()
            .filter(|l| !min_denominator.is_finite() || l.denominator >= min_denominator);
        let (ylo, yhi) = extent(
            self.plotted()
                .map(|p| p.value)
                .chain(centre)
                .chain(visible_limits.flat_map(|l| [l.lower_998, l.upper_998])),
        )
        .unwrap_or((0.0, 1.0));
        let x_max = extent(self.plotted().map(|p| p.denominator))
            .or_else(|| extent(limits.iter().map(|l| l.denominator)))
            .map(|e| e.1 * 1.05)
            .unwrap_or(1.0);
        let y_ticks = nice_ticks(ylo, yhi, 5);
        let x_ticks = nice_ticks(0.0, x_max, 6);

        let legend_items: Vec<LegendItem> = FunnelPosition::ALL
            .iter()
            .filter(|pos| {
                **pos == FunnelPosition::Within || self.plotted().any(|p| p.position == **pos)
            })
            .map(|pos| {
                let (shape, colour, hollow) = pos.style();
                LegendItem {
                    swatch: if hollow {
                        Swatch::HollowMarker(shape, colour)
                    } else {
                        Swatch::Marker(shape, colour)
                    },
                    label: pos.label().to_string(),
                }
            })
            .collect();
        let legend_h = legend_height(&legend_items, legend_width(width));
        let top = header_height(options, 0.0);
        let plot = Rect {
            left: left_margin_for(&y_ticks, format),
            top,
            right: width - 84.0,
            bottom: (height - footer_height(legend_h)).max(top + 40.0),
        };
        let x = LinearScale::new((x_ticks.lo, x_ticks.hi), (plot.left, plot.right));
        let y = LinearScale::new((y_ticks.lo, y_ticks.hi), (plot.bottom, plot.top));

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &y_ticks, format, &self.y_label);
        svg.x_axis_numeric(
            plot,
            &x,
            &x_ticks,
            &NumberFormat::fixed(0),
            &self.x_label,
            false,
        );

        let clip = svg.define_clip(plot, 0.0);
        svg.open_clipped_group("wm-limits", &clip);
        let limit95 = Stroke::dashed(palette::SECONDARY_TEXT, 1.5, "6 4");
        let limit998 = Stroke::dashed(palette::TEXT, 1.5, "2 3");
        svg.stroke_path(&curve(&limits, |l| l.upper_95, &x, &y), limit95, "wm-limit");
        svg.stroke_path(&curve(&limits, |l| l.lower_95, &x, &y), limit95, "wm-limit");
        svg.stroke_path(
            &curve(&limits, |l| l.upper_998, &x, &y),
            limit998,
            "wm-limit",
        );
        svg.stroke_path(
            &curve(&limits, |l| l.lower_998, &x, &y),
            limit998,
            "wm-limit",
        );
        if let Some(c) = centre {
            svg.line(
                plot.left,
                y.map(c),
                plot.right,
                y.map(c),
                Stroke::solid(palette::TEXT, 2.0),
            );
        }
        svg.close_group();

        svg.open_group("wm-points");
        for point in self.plotted() {
            let (shape, colour, hollow) = point.position.style();
            let tip = format!(
                "{}: {} of {} ({})",
                point.label,
                format.label(point.value),
                NumberFormat::fixed(0).label(point.denominator),
                point.position.label().to_lowercase()
            );
            svg.marker(
                shape,
                x.map(point.denominator),
                y.map(point.value),
                5.0,
                colour,
                hollow,
                "wm-point",
                Some(&tip),
            );
        }
        svg.close_group();
        if self.plotted().next().is_none() {
            svg.no_data(plot);
        }

        // Each unit named beside its point: all of them when there are few, otherwise the ones
        // outside the 95% limits (the table always lists every unit).
        let label_all = self.plotted().count() <= MAX_UNITS_ALL_LABELLED;
        svg.open_group("wm-point-labels");
        for point in self.plotted() {
            if !label_all && point.position == FunnelPosition::Within {
                continue;
            }
            let px = x.map(point.denominator);
            let near_right = px > plot.right - 90.0;
            let (lx, anchor) = if near_right {
                (px - 8.0, Anchor::End)
            } else {
                (px + 8.0, Anchor::Start)
            };
            svg.text(
                lx,
                y.map(point.value) - 6.0,
                &point.label,
                TextStyle::new(TICK_SIZE, anchor).colour(palette::SECONDARY_TEXT),
            );
        }
        svg.close_group();

        // Direct labels for the lines, at the right edge.
        let mut labels: Vec<(f64, &str, &'static str)> = Vec::new();
        if let Some(last) = limits.iter().rev().find(|l| l.denominator <= x_ticks.hi) {
            for (v, name, colour) in [
                (last.upper_998, "99.8%", palette::TEXT),
                (last.upper_95, "95%", palette::SECONDARY_TEXT),
                (last.lower_95, "95%", palette::SECONDARY_TEXT),
                (last.lower_998, "99.8%", palette::TEXT),
            ] {
                if v.is_finite() && v >= y_ticks.lo && v <= y_ticks.hi {
                    labels.push((y.map(v), name, colour));
                }
            }
        }
        if let Some(c) = centre {
            labels.push((y.map(c), "Overall", palette::TEXT));
        }
        let placed = spread_labels(
            &labels.iter().map(|l| l.0).collect::<Vec<_>>(),
            TICK_SIZE + 2.0,
            plot.top,
            plot.bottom,
        );
        svg.open_group("wm-line-labels");
        for ((_, name, colour), p) in labels.iter().zip(placed) {
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
        let rows = self
            .points
            .iter()
            .map(|p| {
                vec![
                    p.label.clone(),
                    NumberFormat::fixed(0).cell(p.denominator),
                    format.cell(p.value),
                    if p.is_plottable() {
                        p.position.label().to_string()
                    } else {
                        "Not plotted (missing value)".to_string()
                    },
                ]
            })
            .collect();
        TableData {
            caption: self.title.clone(),
            headers: vec![
                if self.unit_label.trim().is_empty() {
                    "Unit".to_string()
                } else {
                    self.unit_label.clone()
                },
                if self.x_label.trim().is_empty() {
                    "Denominator".to_string()
                } else {
                    self.x_label.clone()
                },
                format.header(&self.y_label, "Value"),
                "Position".to_string(),
            ],
            rows,
        }
    }
}
