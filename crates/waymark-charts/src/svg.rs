//! A small SVG writer and the pieces every chart shares: the accessible root element, axes,
//! markers and legends.
//!
//! Styling uses presentation attributes, never a `<style>` element: a `<style>` inside
//! inline SVG applies to the whole HTML page, which would let one chart restyle another.

use crate::number::{coord, decimals_for_step, NumberFormat};
use crate::palette;
use crate::scale::{label_stride, LinearScale, Ticks};
use crate::text::{escape_xml, sanitize_id, text_width, truncate_to_width};
use crate::RenderOptions;

pub(crate) const FONT_FAMILY: &str = "Frutiger W01, Arial, Helvetica, sans-serif";
pub(crate) const TITLE_SIZE: f64 = 18.0;
pub(crate) const LABEL_SIZE: f64 = 14.0;
/// The smallest text anywhere (WCAG: keep text readable; the brief asks for 12px or more).
pub(crate) const TICK_SIZE: f64 = 12.0;
const OUTER_PAD: f64 = 16.0;

/// A plot area in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }
    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// Chart width from the options: finite, within sensible bounds.
pub(crate) fn chart_width(options: &RenderOptions) -> f64 {
    if options.width.is_finite() {
        options.width.clamp(320.0, 4000.0)
    } else {
        800.0
    }
}

/// Chart height from the options, or the chart's natural height.
pub(crate) fn chart_height(options: &RenderOptions, natural: f64) -> f64 {
    let wanted = options.height.unwrap_or(natural);
    if wanted.is_finite() {
        wanted.clamp(200.0, 8000.0)
    } else {
        400.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TextStyle {
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub colour: &'static str,
}

impl TextStyle {
    pub fn new(size: f64, anchor: Anchor) -> TextStyle {
        TextStyle {
            size,
            bold: false,
            anchor,
            colour: palette::TEXT,
        }
    }
    pub fn bold(mut self) -> TextStyle {
        self.bold = true;
        self
    }
    pub fn colour(mut self, colour: &'static str) -> TextStyle {
        self.colour = colour;
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Stroke {
    pub colour: &'static str,
    pub width: f64,
    pub dash: Option<&'static str>,
}

impl Stroke {
    pub fn solid(colour: &'static str, width: f64) -> Stroke {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }
    pub fn dashed(colour: &'static str, width: f64, dash: &'static str) -> Stroke {
        Stroke {
            colour,
            width,
            dash: Some(dash),
        }
    }
    fn attributes(&self) -> String {
        let mut out = format!(
            " stroke=\"{}\" stroke-width=\"{}\"",
            self.colour,
            coord(self.width)
        );
        if let Some(dash) = self.dash {
            out.push_str(&format!(" stroke-dasharray=\"{dash}\""));
        }
        out
    }
}

/// Marker shapes: with colour, they tell point types apart (colour is never the only cue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    TriangleUp,
    TriangleDown,
    Diamond,
}

/// Shapes for highlighted series, paired with `palette::SERIES`.
pub(crate) const SERIES_SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::TriangleUp,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Circle,
];

/// SVG path data built from pixel coordinates, always finite.
#[derive(Clone, Debug, Default)]
pub(crate) struct PathData {
    d: String,
}

impl PathData {
    pub fn new() -> PathData {
        PathData::default()
    }
    pub fn move_to(&mut self, x: f64, y: f64) {
        self.d.push_str(&format!("M{} {}", coord(x), coord(y)));
    }
    pub fn line_to(&mut self, x: f64, y: f64) {
        self.d.push_str(&format!("L{} {}", coord(x), coord(y)));
    }
    pub fn close(&mut self) {
        self.d.push('Z');
    }
    pub fn is_empty(&self) -> bool {
        self.d.is_empty()
    }
    pub fn as_str(&self) -> &str {
        &self.d
    }
}

/// A legend entry's sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Swatch {
    Marker(Shape, &'static str),
    HollowMarker(Shape, &'static str),
    /// A short vertical tick (censoring marks).
    Tick(&'static str),
    Line(Stroke),
    LineWithMarker(Stroke, Shape),
    Fill(&'static str),
    Hatch,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

const LEGEND_ROW: f64 = 22.0;
const LEGEND_SWATCH: f64 = 24.0;

/// Lays legend items out in rows no wider than `max_width`; returns (x offset, row) per item.
fn legend_layout(items: &[LegendItem], max_width: f64) -> Vec<(f64, usize, String)> {
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0.0, 0usize);
    let label_room = (max_width - LEGEND_SWATCH - 8.0).max(40.0);
    for item in items {
        let label = truncate_to_width(&item.label, TICK_SIZE + 1.0, label_room);
        let item_width = LEGEND_SWATCH + 6.0 + text_width(&label, TICK_SIZE + 1.0) + 20.0;
        if x > 0.0 && x + item_width > max_width {
            x = 0.0;
            row += 1;
        }
        placed.push((x, row, label));
        x += item_width;
    }
    placed
}

/// Height a legend needs at `max_width` (0 when there are no items).
pub(crate) fn legend_height(items: &[LegendItem], max_width: f64) -> f64 {
    match legend_layout(items, max_width).last() {
        Some((_, row, _)) => (*row as f64 + 1.0) * LEGEND_ROW,
        None => 0.0,
    }
}

/// The document under construction.
pub(crate) struct Svg {
    out: String,
    id: String,
    pub width: f64,
    hatch_defined: bool,
}

impl Svg {
    /// Opens the root element with its accessible name (`<title>`) and description
    /// (`<desc>`), and a white background so contrast holds on any page and in export.
    pub fn begin(options: &RenderOptions, height: f64, title: &str, desc: &str) -> Svg {
        let id = sanitize_id(&options.id);
        let width = chart_width(options);
        let mut out = String::with_capacity(16 * 1024);
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"waymark-chart\" \
             viewBox=\"0 0 {w} {h}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             font-family=\"{FONT_FAMILY}\">",
            w = coord(width),
            h = coord(height),
        ));
        let title = if title.trim().is_empty() {
            "Chart"
        } else {
            title
        };
        out.push_str(&format!(
            "<title id=\"{id}-title\">{}</title>",
            escape_xml(title)
        ));
        out.push_str(&format!(
            "<desc id=\"{id}-desc\">{}</desc>",
            escape_xml(desc)
        ));
        out.push_str(&format!(
            "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            coord(width),
            coord(height)
        ));
        Svg {
            out,
            id,
            width,
            hatch_defined: false,
        }
    }

    /// A small square drawing (an icon) of `size` pixels, named by `label`; no background.
    pub fn begin_icon(id: &str, size: f64, label: &str) -> Svg {
        let id = sanitize_id(id);
        let out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"waymark-icon\" \
             viewBox=\"0 0 {s} {s}\" width=\"{s}\" height=\"{s}\" role=\"img\" \
             aria-labelledby=\"{id}-title\" font-family=\"{FONT_FAMILY}\">\
             <title id=\"{id}-title\">{}</title>",
            escape_xml(label),
            s = coord(size),
        );
        Svg {
            out,
            id,
            width: size,
            hatch_defined: false,
        }
    }

    /// A document-unique id: the chart's prefix plus `suffix`.
    pub fn id(&self, suffix: &str) -> String {
        format!("{}-{}", self.id, suffix)
    }

    /// "No data" in the middle of the plot, for a chart with nothing to draw.
    pub(crate) fn no_data(&mut self, plot: Rect) {
        self.text(
            (plot.left + plot.right) / 2.0,
            (plot.top + plot.bottom) / 2.0,
            "No data",
            TextStyle::new(LABEL_SIZE, Anchor::Middle).colour(palette::SECONDARY_TEXT),
        );
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Opens a group; `class` is a fixed internal name, never user text.
    pub fn open_group(&mut self, class: &str) {
        self.out.push_str(&format!("<g class=\"{class}\">"));
    }

    pub fn open_clipped_group(&mut self, class: &str, clip_id: &str) {
        self.out.push_str(&format!(
            "<g class=\"{class}\" clip-path=\"url(#{clip_id})\">"
        ));
    }

    pub fn close_group(&mut self) {
        self.out.push_str("</g>");
    }

    /// Defines a clip path for `rect` (slightly padded so markers on the edge stay whole)
    /// and returns its id.
    pub fn define_clip(&mut self, rect: Rect, pad: f64) -> String {
        let id = self.id("clip");
        self.out.push_str(&format!(
            "<defs><clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
            coord(rect.left - pad),
            coord(rect.top - pad),
            coord((rect.width() + 2.0 * pad).max(0.0)),
            coord((rect.height() + 2.0 * pad).max(0.0)),
        ));
        id
    }

    /// Defines (once) the diagonal hatch used for suppressed values and returns its id.
    pub fn hatch_id(&mut self) -> String {
        let id = self.id("hatch");
        if !self.hatch_defined {
            self.out.push_str(&format!(
                "<defs><pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
                 patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>\
                 <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{}\" stroke-width=\"2\"/></pattern></defs>",
                palette::SECONDARY_LINE
            ));
            self.hatch_defined = true;
        }
        id
    }

    pub fn text(&mut self, x: f64, y: f64, content: &str, style: TextStyle) {
        self.out.push_str(&text_element(x, y, content, style, None));
    }

    /// Text rotated a quarter-turn anticlockwise about its anchor (y-axis titles).
    pub fn vertical_text(&mut self, x: f64, y: f64, content: &str, style: TextStyle) {
        let rotate = format!("rotate(-90 {} {})", coord(x), coord(y));
        self.out
            .push_str(&text_element(x, y, content, style, Some(&rotate)));
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: Stroke) {
        self.out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>",
            coord(x1),
            coord(y1),
            coord(x2),
            coord(y2),
            stroke.attributes()
        ));
    }

    /// An unfilled path (a data line). Empty paths are skipped.
    pub fn stroke_path(&mut self, path: &PathData, stroke: Stroke, class: &str) {
        if path.is_empty() {
            return;
        }
        self.out.push_str(&format!(
            "<path class=\"{class}\" d=\"{}\" fill=\"none\"{} stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            path.as_str(),
            stroke.attributes()
        ));
    }

    /// A filled path without outline (bands).
    pub fn fill_path(&mut self, path: &PathData, fill: &str, opacity: f64, class: &str) {
        if path.is_empty() {
            return;
        }
        self.out.push_str(&format!(
            "<path class=\"{class}\" d=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"none\"/>",
            path.as_str(),
            coord(opacity)
        ));
    }

    /// A rectangle; `tooltip` (user text, escaped) becomes a hover title.
    #[allow(clippy::too_many_arguments)]
    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: &str,
        stroke: Option<Stroke>,
        class: &str,
        tooltip: Option<&str>,
    ) {
        let stroke = stroke.map(|s| s.attributes()).unwrap_or_default();
        let open = format!(
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{stroke}",
            coord(x),
            coord(y),
            coord(width.max(0.0)),
            coord(height.max(0.0)),
        );
        self.out.push_str(&open);
        self.close_with_tooltip("rect", tooltip);
    }

    /// A data marker. Filled shapes get a thin white outline so neighbours stay distinct.
    #[allow(clippy::too_many_arguments)]
    pub fn marker(
        &mut self,
        shape: Shape,
        x: f64,
        y: f64,
        radius: f64,
        colour: &str,
        hollow: bool,
        class: &str,
        tooltip: Option<&str>,
    ) {
        let (fill, stroke, stroke_width) = if hollow {
            ("#ffffff", colour, 2.0)
        } else {
            (colour, "#ffffff", 1.0)
        };
        let paint = format!(
            " fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
            coord(stroke_width)
        );
        let (tag, geometry) = match shape {
            Shape::Circle => (
                "circle",
                format!(
                    "cx=\"{}\" cy=\"{}\" r=\"{}\"",
                    coord(x),
                    coord(y),
                    coord(radius)
                ),
            ),
            Shape::Square => {
                let half = radius * 0.9;
                (
                    "rect",
                    format!(
                        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                        coord(x - half),
                        coord(y - half),
                        coord(2.0 * half),
                        coord(2.0 * half)
                    ),
                )
            }
            Shape::TriangleUp | Shape::TriangleDown | Shape::Diamond => {
                let mut path = PathData::new();
                match shape {
                    Shape::TriangleUp => {
                        let r = radius * 1.25;
                        path.move_to(x, y - r);
                        path.line_to(x + r, y + r * 0.75);
                        path.line_to(x - r, y + r * 0.75);
                    }
                    Shape::TriangleDown => {
                        let r = radius * 1.25;
                        path.move_to(x, y + r);
                        path.line_to(x + r, y - r * 0.75);
                        path.line_to(x - r, y - r * 0.75);
                    }
                    _ => {
                        let r = radius * 1.3;
                        path.move_to(x, y - r);
                        path.line_to(x + r, y);
                        path.line_to(x, y + r);
                        path.line_to(x - r, y);
                    }
                }
                path.close();
                ("path", format!("d=\"{}\"", path.as_str()))
            }
        };
        self.out
            .push_str(&format!("<{tag} class=\"{class}\" {geometry}{paint}"));
        self.close_with_tooltip(tag, tooltip);
    }

    fn close_with_tooltip(&mut self, tag: &str, tooltip: Option<&str>) {
        match tooltip {
            Some(tip) => self
                .out
                .push_str(&format!("><title>{}</title></{tag}>", escape_xml(tip))),
            None => self.out.push_str("/>"),
        }
    }

    /// The visible title, shortened to fit (the full title is the accessible name).
    pub fn title(&mut self, title: &str) {
        let shown = truncate_to_width(title, TITLE_SIZE, self.width - 2.0 * OUTER_PAD);
        self.text(
            OUTER_PAD,
            OUTER_PAD + TITLE_SIZE - 4.0,
            &shown,
            TextStyle::new(TITLE_SIZE, Anchor::Start).bold(),
        );
    }

    /// Horizontal gridlines, tick labels and the rotated axis title on the left.
    pub fn y_axis(
        &mut self,
        plot: Rect,
        scale: &LinearScale,
        ticks: &Ticks,
        format: &NumberFormat,
        title: &str,
    ) {
        let decimals = Some(decimals_for_step(ticks.step));
        self.open_group("wm-axis wm-y-axis");
        for &tick in &ticks.values {
            let y = scale.map(tick);
            self.line(
                plot.left,
                y,
                plot.right,
                y,
                Stroke::solid(palette::GRID, 1.0),
            );
            self.text(
                plot.left - 8.0,
                y + TICK_SIZE * 0.35,
                &format.label_with(tick, decimals),
                TextStyle::new(TICK_SIZE, Anchor::End).colour(palette::SECONDARY_TEXT),
            );
        }
        self.line(
            plot.left,
            plot.top,
            plot.left,
            plot.bottom,
            Stroke::solid(palette::AXIS, 1.0),
        );
        let shown = truncate_to_width(title, LABEL_SIZE, plot.height());
        self.vertical_text(
            OUTER_PAD + LABEL_SIZE - 2.0,
            (plot.top + plot.bottom) / 2.0,
            &shown,
            TextStyle::new(LABEL_SIZE, Anchor::Middle),
        );
        self.close_group();
    }

    /// The bottom axis for numbers: ticks, labels, optional vertical gridlines and title.
    pub fn x_axis_numeric(
        &mut self,
        plot: Rect,
        scale: &LinearScale,
        ticks: &Ticks,
        format: &NumberFormat,
        title: &str,
        gridlines: bool,
    ) {
        let decimals = Some(decimals_for_step(ticks.step));
        self.open_group("wm-axis wm-x-axis");
        let spacing = ticks
            .values
            .get(1)
            .zip(ticks.values.first())
            .map(|(b, a)| (scale.map(*b) - scale.map(*a)).abs())
            .unwrap_or(plot.width());
        let widest = ticks
            .values
            .iter()
            .map(|v| text_width(&format.label_with(*v, decimals), TICK_SIZE))
            .fold(0.0, f64::max);
        let stride = label_stride(ticks.values.len(), spacing, widest);
        for (i, &tick) in ticks.values.iter().enumerate() {
            let x = scale.map(tick);
            if gridlines {
                self.line(
                    x,
                    plot.top,
                    x,
                    plot.bottom,
                    Stroke::solid(palette::GRID, 1.0),
                );
            }
            self.line(
                x,
                plot.bottom,
                x,
                plot.bottom + 5.0,
                Stroke::solid(palette::AXIS, 1.0),
            );
            if i % stride == 0 {
                self.text(
                    x,
                    plot.bottom + 18.0,
                    &format.label_with(tick, decimals),
                    TextStyle::new(TICK_SIZE, Anchor::Middle).colour(palette::SECONDARY_TEXT),
                );
            }
        }
        self.line(
            plot.left,
            plot.bottom,
            plot.right,
            plot.bottom,
            Stroke::solid(palette::AXIS, 1.0),
        );
        self.x_title(plot, title);
        self.close_group();
    }

    /// The bottom axis for categories at `positions` (e.g. months), thinned so labels never
    /// overlap; the first label is always shown, and the last one when it has room.
    pub fn x_axis_categories(
        &mut self,
        plot: Rect,
        positions: &[f64],
        labels: &[String],
        title: &str,
    ) {
        self.open_group("wm-axis wm-x-axis");
        let spacing = if positions.len() > 1 {
            plot.width() / (positions.len() - 1) as f64
        } else {
            plot.width()
        };
        let max_label = 140.0_f64.min(plot.width());
        let shown: Vec<String> = labels
            .iter()
            .map(|label| truncate_to_width(label, TICK_SIZE, max_label))
            .collect();
        let widest = shown
            .iter()
            .map(|label| text_width(label, TICK_SIZE))
            .fold(0.0, f64::max);
        let stride = label_stride(positions.len(), spacing, widest);
        let last_idx = positions.len().saturating_sub(1);
        for (i, (&x, label)) in positions.iter().zip(shown.iter()).enumerate() {
            self.line(
                x,
                plot.bottom,
                x,
                plot.bottom + 4.0,
                Stroke::solid(palette::AXIS, 1.0),
            );
            let regular = i % stride == 0;
            // The last category matters most (the latest month): show it if it fits.
            let last_fits = i == last_idx && (last_idx % stride) as f64 * spacing >= widest + 8.0;
            if regular || last_fits {
                self.text(
                    x,
                    plot.bottom + 18.0,
                    label,
                    TextStyle::new(TICK_SIZE, Anchor::Middle).colour(palette::SECONDARY_TEXT),
                );
            }
        }
        self.line(
            plot.left,
            plot.bottom,
            plot.right,
            plot.bottom,
            Stroke::solid(palette::AXIS, 1.0),
        );
        self.x_title(plot, title);
        self.close_group();
    }

    fn x_title(&mut self, plot: Rect, title: &str) {
        let shown = truncate_to_width(title, LABEL_SIZE, plot.width());
        self.text(
            (plot.left + plot.right) / 2.0,
            plot.bottom + 40.0,
            &shown,
            TextStyle::new(LABEL_SIZE, Anchor::Middle),
        );
    }

    /// A legend laid out in rows from (`x`, `y`), at most `max_width` wide.
    pub fn legend(&mut self, items: &[LegendItem], x: f64, y: f64, max_width: f64) {
        if items.is_empty() {
            return;
        }
        let hatch = if items.iter().any(|item| item.swatch == Swatch::Hatch) {
            Some(self.hatch_id())
        } else {
            None
        };
        self.open_group("wm-legend");
        for (item, (dx, row, label)) in items.iter().zip(legend_layout(items, max_width)) {
            let left = x + dx;
            let middle = y + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
            let centre = left + LEGEND_SWATCH / 2.0;
            match item.swatch {
                Swatch::Marker(shape, colour) => self.marker(
                    shape,
                    centre,
                    middle,
                    5.0,
                    colour,
                    false,
                    "wm-legend-mark",
                    None,
                ),
                Swatch::HollowMarker(shape, colour) => self.marker(
                    shape,
                    centre,
                    middle,
                    5.0,
                    colour,
                    true,
                    "wm-legend-mark",
                    None,
                ),
                Swatch::Tick(colour) => self.line(
                    centre,
                    middle - 6.0,
                    centre,
                    middle + 6.0,
                    Stroke::solid(colour, 1.5),
                ),
                Swatch::Line(stroke) => {
                    self.line(left, middle, left + LEGEND_SWATCH, middle, stroke)
                }
                Swatch::LineWithMarker(stroke, shape) => {
                    self.line(left, middle, left + LEGEND_SWATCH, middle, stroke);
                    self.marker(
                        shape,
                        centre,
                        middle,
                        4.5,
                        stroke.colour,
                        false,
                        "wm-legend-mark",
                        None,
                    )
                }
                Swatch::Fill(colour) => self.rect(
                    left + 2.0,
                    middle - 7.0,
                    LEGEND_SWATCH - 4.0,
                    14.0,
                    colour,
                    None,
                    "wm-legend-mark",
                    None,
                ),
                Swatch::Hatch => {
                    let fill = format!("url(#{})", hatch.clone().unwrap_or_default());
                    self.rect(
                        left + 2.0,
                        middle - 7.0,
                        LEGEND_SWATCH - 4.0,
                        14.0,
                        &fill,
                        Some(Stroke::solid(palette::SECONDARY_LINE, 1.0)),
                        "wm-legend-mark",
                        None,
                    )
                }
            }
            self.text(
                left + LEGEND_SWATCH + 6.0,
                middle + (TICK_SIZE + 1.0) * 0.35,
                &label,
                TextStyle::new(TICK_SIZE + 1.0, Anchor::Start),
            );
        }
        self.close_group();
    }
}

fn text_element(
    x: f64,
    y: f64,
    content: &str,
    style: TextStyle,
    transform: Option<&str>,
) -> String {
    let anchor = match style.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let weight = if style.bold {
        " font-weight=\"bold\""
    } else {
        ""
    };
    let transform = transform
        .map(|t| format!(" transform=\"{t}\""))
        .unwrap_or_default();
    format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{}\"{weight}{transform}>{}</text>",
        coord(x),
        coord(y),
        coord(style.size.max(TICK_SIZE)),
        style.colour,
        escape_xml(content)
    )
}

/// Left margin that fits the y tick labels and the rotated y-axis title.
pub(crate) fn left_margin_for(ticks: &Ticks, format: &NumberFormat) -> f64 {
    let decimals = Some(decimals_for_step(ticks.step));
    let widest = ticks
        .values
        .iter()
        .map(|v| text_width(&format.label_with(*v, decimals), TICK_SIZE))
        .fold(0.0, f64::max);
    OUTER_PAD + LABEL_SIZE + 12.0 + widest.min(160.0) + 8.0
}

/// Top of the plot: room for the visible title (if shown) plus `extra` rows.
pub(crate) fn header_height(options: &RenderOptions, extra: f64) -> f64 {
    let title = if options.show_title {
        OUTER_PAD + TITLE_SIZE + 18.0
    } else {
        OUTER_PAD
    };
    title + extra
}

/// Space below the plot for tick labels, the axis title and a legend.
pub(crate) fn footer_height(legend: f64) -> f64 {
    let axis = 50.0;
    if legend > 0.0 {
        axis + 8.0 + legend + 8.0
    } else {
        axis + 8.0
    }
}

/// Where the legend goes: below the x-axis title.
pub(crate) fn legend_origin(plot: Rect) -> (f64, f64) {
    (OUTER_PAD, plot.bottom + 54.0)
}

pub(crate) fn legend_width(width: f64) -> f64 {
    width - 2.0 * OUTER_PAD
}

pub(crate) const RIGHT_PAD: f64 = OUTER_PAD;
