//! Histogram of pre-binned counts (e.g. Goal Attainment Scaling T-scores), with optional
//! labelled reference lines (e.g. T = 50, "goals met as expected"). Counts withheld under
//! disclosure control are drawn hatched and labelled `*`, never as zero.

use crate::charts::{describe, plural};
use crate::number::NumberFormat;
use crate::palette;
use crate::scale::{extent, nice_ticks, LinearScale};
use crate::svg::{
    chart_height, footer_height, header_height, left_margin_for, legend_height, legend_origin,
    legend_width, Anchor, LegendItem, Rect, Stroke, Svg, Swatch, TextStyle, RIGHT_PAD, TICK_SIZE,
};
use crate::table::TableData;
use crate::text::text_width;
use crate::{Chart, RenderOptions};

/// Input for a histogram. Bins are drawn in order of their lower edge.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HistogramData {
    pub title: String,
    /// e.g. "GAS T-score".
    pub x_label: String,
    /// e.g. "People".
    pub y_label: String,
    pub bins: Vec<HistogramBin>,
    pub reference_lines: Vec<ReferenceLine>,
    /// Format of the bin edges.
    pub value_format: NumberFormat,
    pub summary: String,
}

/// Values from `lower` (inclusive) to `upper` (exclusive, except for the last bin).
/// `count: None` means the count is suppressed for disclosure control.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HistogramBin {
    pub lower: f64,
    pub upper: f64,
    pub count: Option<u64>,
}

/// A labelled vertical line at `value`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReferenceLine {
    pub value: f64,
    pub label: String,
}

impl HistogramData {
    /// Bins with finite, increasing edges, sorted.
    fn clean_bins(&self) -> Vec<HistogramBin> {
        let mut bins: Vec<HistogramBin> = self
            .bins
            .iter()
            .filter(|b| b.lower.is_finite() && b.upper.is_finite() && b.upper > b.lower)
            .copied()
            .collect();
        bins.sort_by(|a, b| a.lower.total_cmp(&b.lower));
        bins
    }

    fn bin_label(&self, bin: &HistogramBin) -> String {
        format!(
            "{} to {}",
            self.value_format.label(bin.lower),
            self.value_format.label(bin.upper)
        )
    }

    fn description(&self) -> String {
        let bins = self.clean_bins();
        let mut facts = Vec::new();
        if bins.is_empty() {
            facts.push("No values to show.".to_string());
            return describe(&self.summary, &facts);
        }
        let shown: u64 = bins
            .iter()
            .filter_map(|b| b.count)
            .fold(0u64, |a, c| a.saturating_add(c));
        let suppressed = bins.iter().filter(|b| b.count.is_none()).count();
        facts.push(format!(
            "{} from {} to {}; {} counted in the bins shown.",
            plural(bins.len(), "bin", "bins"),
            self.value_format
                .label(bins.first().map(|b| b.lower).unwrap_or(0.0)),
            self.value_format
                .label(bins.last().map(|b| b.upper).unwrap_or(0.0)),
            shown
        ));
        if let Some(mode) = bins
            .iter()
            .filter(|b| b.count.is_some())
            .max_by_key(|b| b.count)
        {
            facts.push(format!(
                "Most common: {} ({}).",
                self.bin_label(mode),
                mode.count.unwrap_or(0)
            ));
        }
        if suppressed > 0 {
            facts.push(format!(
                "{} suppressed (small numbers).",
                plural(suppressed, "bin", "bins")
            ));
        }
        for line in &self.reference_lines {
            if line.value.is_finite() {
                facts.push(format!(
                    "Reference line at {}: {}.",
                    self.value_format.label(line.value),
                    line.label
                ));
            }
        }
        describe(&self.summary, &facts)
    }
}

impl Chart for HistogramData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let height = chart_height(options, 400.0);
        let mut svg = Svg::begin(options, height, &self.title, &self.description());
        let width = svg.width;
        let bins = self.clean_bins();
        let lines: Vec<&ReferenceLine> = self
            .reference_lines
            .iter()
            .filter(|l| l.value.is_finite())
            .collect();

        let max_count = bins.iter().filter_map(|b| b.count).max().unwrap_or(0);
        // Suppressed bins are drawn up to a placeholder height; they are hatched and
        // labelled `*` so no one reads the height as a count.
        let placeholder = (max_count as f64 * 0.25).max(1.0);
        let y_ticks = nice_ticks(0.0, (max_count as f64).max(1.0), 5);
        let y_ticks = if y_ticks.step < 1.0 {
            nice_ticks(0.0, 5.0, 5)
        } else {
            y_ticks
        };
        let (xlo, xhi) = extent(
            bins.iter()
                .flat_map(|b| [b.lower, b.upper])
                .chain(lines.iter().map(|l| l.value)),
        )
        .unwrap_or((0.0, 1.0));
        let x_ticks = nice_ticks(xlo, xhi, 6);

        let mut legend_items = Vec::new();
        if bins.iter().any(|b| b.count.is_none()) {
            legend_items.push(LegendItem {
                swatch: Swatch::Hatch,
                label: "* Count suppressed (small number)".to_string(),
            });
        }
        for (idx, line) in lines.iter().enumerate() {
            let stroke = reference_stroke(idx);
            legend_items.push(LegendItem {
                swatch: Swatch::Line(stroke),
                label: format!("{} ({})", line.label, self.value_format.label(line.value)),
            });
        }
        let legend_h = legend_height(&legend_items, legend_width(width));
        let top = header_height(options, 0.0);
        let plot = Rect {
            left: left_margin_for(&y_ticks, &NumberFormat::fixed(0)),
            top: top + 8.0,
            right: width - RIGHT_PAD - 8.0,
            bottom: (height - footer_height(legend_h)).max(top + 48.0),
        };
        let x = LinearScale::new((x_ticks.lo, x_ticks.hi), (plot.left, plot.right));
        let y = LinearScale::new((y_ticks.lo, y_ticks.hi), (plot.bottom, plot.top));

        if options.show_title {
            svg.title(&self.title);
        }
        svg.y_axis(plot, &y, &y_ticks, &NumberFormat::fixed(0), &self.y_label);
        svg.x_axis_numeric(plot, &x, &x_ticks, &self.value_format, &self.x_label, false);

        let hatch = if bins.iter().any(|b| b.count.is_none()) {
            Some(svg.hatch_id())
        } else {
            None
        };
        svg.open_group("wm-bars");
        for bin in &bins {
            let (x0, x1) = (x.map(bin.lower), x.map(bin.upper));
            // A 1px white gap between neighbouring columns.
            let (left, bar_width) = (x0 + 0.5, (x1 - x0 - 1.0).max(1.0));
            let label_fits = text_width("0000", TICK_SIZE) <= bar_width + 8.0;
            match bin.count {
                Some(count) => {
                    let top_y = y.map(count as f64);
                    let tip = format!("{}: {}", self.bin_label(bin), count);
                    svg.rect(
                        left,
                        top_y,
                        bar_width,
                        plot.bottom - top_y,
                        palette::BAR,
                        None,
                        "wm-bar",
                        Some(&tip),
                    );
                    if label_fits && count > 0 {
                        svg.text(
                            left + bar_width / 2.0,
                            top_y - 4.0,
                            &count.to_string(),
                            TextStyle::new(TICK_SIZE, Anchor::Middle),
                        );
                    }
                }
                None => {
                    let top_y = y.map(placeholder);
                    let fill = format!("url(#{})", hatch.clone().unwrap_or_default());
                    let tip = format!("{}: suppressed", self.bin_label(bin));
                    svg.rect(
                        left,
                        top_y,
                        bar_width,
                        plot.bottom - top_y,
                        &fill,
                        Some(Stroke::solid(palette::SECONDARY_LINE, 1.0)),
                        "wm-bar wm-suppressed",
                        Some(&tip),
                    );
                    svg.text(
                        left + bar_width / 2.0,
                        top_y - 4.0,
                        "*",
                        TextStyle::new(TICK_SIZE + 2.0, Anchor::Middle).bold(),
                    );
                }
            }
        }
        svg.close_group();
        if bins.is_empty() {
            svg.no_data(plot);
        }

        svg.open_group("wm-reference-lines");
        for (idx, line) in lines.iter().enumerate() {
            let px = x.map(line.value);
            svg.line(px, plot.top - 6.0, px, plot.bottom, reference_stroke(idx));
        }
        svg.close_group();

        let (lx, ly) = legend_origin(plot);
        svg.legend(&legend_items, lx, ly, legend_width(width));
        svg.finish()
    }

    fn as_table(&self) -> TableData {
        let f = &self.value_format;
        let rows = self
            .clean_bins()
            .iter()
            .map(|b| {
                vec![
                    self.bin_label(b),
                    f.cell(b.lower),
                    f.cell(b.upper),
                    b.count
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| "*".to_string()),
                ]
            })
            .collect();
        let x = if self.x_label.trim().is_empty() {
            "Value"
        } else {
            self.x_label.as_str()
        };
        TableData {
            caption: self.title.clone(),
            headers: vec![
                format!("{x} range"),
                "From".to_string(),
                "To".to_string(),
                if self.y_label.trim().is_empty() {
                    "Count".to_string()
                } else {
                    self.y_label.clone()
                },
            ],
            rows,
        }
    }
}

/// Reference lines: dark, dashed, each with a different pattern.
fn reference_stroke(idx: usize) -> Stroke {
    const DASHES: [&str; 3] = ["6 4", "2 3", "10 3 2 3"];
    let colour = if idx % 2 == 0 {
        palette::TEXT
    } else {
        palette::TARGET
    };
    Stroke::dashed(
        colour,
        2.0,
        DASHES.get(idx % DASHES.len()).copied().unwrap_or("6 4"),
    )
}
