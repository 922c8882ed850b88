//! One person's records on one time axis: a lane per kind of record (each measure's scores,
//! events, goal reviews, status changes, feedback), each record a mark at its date with its
//! words as a tooltip and in the table. Scores are printed beside their mark, so a reader sees
//! the direction of travel without a second axis per measure.

use crate::charts::{describe, plural};
use crate::palette;
use crate::scale::LinearScale;
use crate::svg::{Anchor, Shape, Stroke, Svg, TextStyle};
use crate::table::TableData;
use crate::text::truncate_to_width;
use crate::{Chart, RenderOptions};

#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimelineChartData {
    pub title: String,
    pub summary: String,
    /// The axis runs from day 0 to `span_days` (days since the first date shown).
    pub span_days: f64,
    /// Tick positions (days) with their labels, e.g. month names.
    pub ticks: Vec<(f64, String)>,
    pub lanes: Vec<TimelineLane>,
}

#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimelineLane {
    pub name: String,
    pub marks: Vec<TimelineMark>,
}

#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimelineMark {
    pub day: f64,
    pub date: String,
    /// The record in words (tooltip and table).
    pub text: String,
    /// Printed beside the mark (a score), when short enough to read there.
    pub label: Option<String>,
    /// Drawn filled in the concern colour (a crisis, an admission).
    pub emphasis: bool,
}

const LANE_HEIGHT: f64 = 38.0;
const LANE_LABEL_WIDTH: f64 = 150.0;
const TOP: f64 = 48.0;
const AXIS_ROOM: f64 = 34.0;

impl Chart for TimelineChartData {
    fn to_svg(&self, options: &RenderOptions) -> String {
        let n_lanes = self.lanes.len().max(1) as f64;
        let height = TOP + n_lanes * LANE_HEIGHT + AXIS_ROOM;
        let facts = vec![format!(
            "{} in {}.",
            plural(
                self.lanes.iter().map(|l| l.marks.len()).sum(),
                "record",
                "records"
            ),
            plural(self.lanes.len(), "lane", "lanes")
        )];
        let mut svg = Svg::begin(
            options,
            height,
            &self.title,
            &describe(&self.summary, &facts),
        );
        let width = svg.width;
        if options.show_title {
            svg.text(
                0.0,
                20.0,
                &self.title,
                TextStyle::new(16.0, Anchor::Start).bold(),
            );
        }
        let left = LANE_LABEL_WIDTH;
        let right = width - 16.0;
        let x = LinearScale::new((0.0, self.span_days.max(1.0)), (left, right));
        let bottom = TOP + n_lanes * LANE_HEIGHT;
        for (day, label) in &self.ticks {
            let tx = x.map_clamped(*day);
            svg.line(tx, TOP - 6.0, tx, bottom, Stroke::solid(palette::GRID, 1.0));
            svg.text(
                tx,
                bottom + 18.0,
                label,
                TextStyle::new(12.0, Anchor::Middle).colour(palette::SECONDARY_TEXT),
            );
        }
        for (n, lane) in self.lanes.iter().enumerate() {
            let y = TOP + (n as f64 + 0.5) * LANE_HEIGHT;
            let name = truncate_to_width(&lane.name, 13.0, LANE_LABEL_WIDTH - 12.0);
            svg.text(0.0, y + 4.5, &name, TextStyle::new(13.0, Anchor::Start));
            svg.line(left, y, right, y, Stroke::solid(palette::GRID, 1.0));
            for mark in &lane.marks {
                let mx = x.map_clamped(mark.day);
                let colour = if mark.emphasis {
                    palette::CONCERN
                } else {
                    palette::IMPROVEMENT
                };
                let tooltip = format!("{}: {}", mark.date, mark.text);
                svg.marker(
                    Shape::Circle,
                    mx,
                    y,
                    5.0,
                    colour,
                    !mark.emphasis,
                    "wm-mark",
                    Some(&tooltip),
                );
                if let Some(label) = &mark.label {
                    svg.text(
                        mx,
                        y - 9.0,
                        label,
                        TextStyle::new(11.0, Anchor::Middle).colour(palette::TEXT),
                    );
                }
            }
        }
        svg.finish()
    }

    fn as_table(&self) -> TableData {
        let mut rows: Vec<(f64, Vec<String>)> = self
            .lanes
            .iter()
            .flat_map(|lane| {
                lane.marks.iter().map(|m| {
                    (
                        m.day,
                        vec![m.date.clone(), lane.name.clone(), m.text.clone()],
                    )
                })
            })
            .collect();
        // In date order, as a reader follows the axis; same-day records keep lane order.
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        TableData {
            caption: self.title.clone(),
            headers: vec!["Date".into(), "Record".into(), "Detail".into()],
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> TimelineChartData {
        let mark = |day: f64, text: &str, label: Option<&str>, emphasis| TimelineMark {
            day,
            date: format!("day {day}"),
            text: text.into(),
            label: label.map(String::from),
            emphasis,
        };
        TimelineChartData {
            title: "Timeline of P1".into(),
            summary: "Scores and events".into(),
            span_days: 100.0,
            ticks: vec![(0.0, "Jan".into()), (31.0, "Feb".into())],
            lanes: vec![
                TimelineLane {
                    name: "PHQ-9".into(),
                    marks: vec![
                        mark(50.0, "PHQ-9 12", Some("12"), false),
                        mark(0.0, "PHQ-9 20", Some("20"), false),
                    ],
                },
                TimelineLane {
                    name: "Events".into(),
                    marks: vec![mark(10.0, "Crisis contact <A&E>", None, true)],
                },
            ],
        }
    }

    #[test]
    fn every_record_is_a_mark_with_its_words_and_the_table_is_in_date_order() {
        let chart = data();
        let svg = chart.to_svg(&RenderOptions::new("t"));
        assert_eq!(svg.matches("wm-mark").count(), 3, "{svg}");
        assert!(
            svg.contains("Crisis contact &lt;A&amp;E&gt;"),
            "tooltips are escaped"
        );
        assert!(
            svg.contains(palette::CONCERN),
            "a crisis is drawn in the concern colour"
        );
        assert!(svg.contains(">12</text>") && svg.contains(">20</text>"));
        let table = chart.as_table();
        let dates: Vec<_> = table.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(dates, ["day 0", "day 10", "day 50"]);
        assert_eq!(table.rows[1][1], "Events");
    }

    #[test]
    fn no_lanes_still_draws_a_valid_chart() {
        let svg = TimelineChartData::default().to_svg(&RenderOptions::new("e"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
