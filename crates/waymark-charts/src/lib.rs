//! Waymark's charts as accessible SVG strings.
//!
//! One renderer for three places: the web app (inserted as HTML), the CLI's HTML report
//! (inline SVG) and SVG export. Pure Rust, no I/O, no dependencies (serde is optional), so
//! it builds for wasm32-unknown-unknown.
//!
//! Each chart takes a small plain-data input struct defined here (not a core type, so this
//! crate depends on nothing) and implements [`Chart`]: `to_svg` draws it and `as_table`
//! gives the same numbers as a [`TableData`] for the "show as table" toggle and CSV export.
//!
//! ```
//! use waymark_charts::{Chart, HistogramBin, HistogramData, RenderOptions};
//!
//! let chart = HistogramData {
//!     title: "GAS T-scores".to_string(),
//!     x_label: "GAS T-score".to_string(),
//!     y_label: "People".to_string(),
//!     bins: vec![
//!         HistogramBin { lower: 40.0, upper: 50.0, count: Some(12) },
//!         HistogramBin { lower: 50.0, upper: 60.0, count: None }, // suppressed
//!     ],
//!     summary: "Most goals were met about as expected.".to_string(),
//!     ..HistogramData::default()
//! };
//! let svg = chart.to_svg(&RenderOptions::new("gas-histogram"));
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("Most goals were met about as expected."));
//! let csv = chart.as_table().to_csv();
//! assert!(csv.starts_with("GAS T-score range,From,To,People\r\n"));
//! ```
//!
//! # Invariants
//! - Output is well-formed XML whatever the input: text is escaped, ids are sanitised.
//! - No `NaN` or infinity is ever written; non-finite inputs are treated as missing.
//! - No panics on any input (empty series, all missing, one point, zero range, huge values).
//! - Accessibility (WCAG 2.2 AA): `role="img"` with `<title>` and `<desc>` (the caller's
//!   summary plus generated facts), colour is never the only signal, data marks have at
//!   least 3:1 contrast against white, text is at least 12px.
//!   See docs/methods.md ("Charts").

mod charts;
mod number;
mod palette;
mod scale;
mod svg;
mod table;
mod text;

pub use charts::bars::{Bar, BarChartData};
pub use charts::funnel::{FunnelChartData, FunnelLimit, FunnelPoint, FunnelPosition};
pub use charts::histogram::{HistogramBin, HistogramData, ReferenceLine};
pub use charts::lines::{Emphasis, LineChartData, LineSeries};
pub use charts::scatter::{BetterDirection, ScatterChartData, ScatterPoint};
pub use charts::spaghetti::{MedianPoint, SpaghettiChartData};
pub use charts::steps::{StepChartData, StepPoint, StepSeries};
pub use charts::timeline::{TimelineChartData, TimelineLane, TimelineMark};
pub use charts::xmr::{
    assurance_icon_svg, variation_icon_svg, AssuranceIcon, PointKind, VariationIcon, XmrChartData,
};
pub use number::NumberFormat;
pub use palette::{contrast_ratio, relative_luminance};
pub use table::TableData;
pub use text::{escape_xml, sanitize_id};

/// A chart that can be drawn as SVG and shown as a table.
pub trait Chart {
    /// The chart as a standalone `<svg>` element (also valid inline in HTML).
    fn to_svg(&self, options: &RenderOptions) -> String;
    /// The chart's data as a table, in the order a reader would scan the chart.
    fn as_table(&self) -> TableData;
}

/// How a chart is drawn, separate from what it shows.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RenderOptions {
    /// Prefix for every id in the SVG; must be unique on the page (sanitised if needed).
    pub id: String,
    /// Width of the drawing in viewBox units (the SVG itself scales to 100% of its container).
    pub width: f64,
    /// Height in viewBox units; `None` lets the chart choose (bar charts grow with bars).
    pub height: Option<f64>,
    /// Draw the title inside the SVG. Turn off when the page already shows it as a heading;
    /// the accessible `<title>` is always present.
    pub show_title: bool,
}

impl RenderOptions {
    pub fn new(id: &str) -> RenderOptions {
        RenderOptions {
            id: id.to_string(),
            width: 800.0,
            height: None,
            show_title: true,
        }
    }
}
