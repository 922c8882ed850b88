//! Feature tests for every chart: well-formed, accessible SVG; descriptions carry the
//! summary and facts; the right number of marks; hostile text escaped; no NaN or infinity
//! on any input.

mod common;

use common::fixtures;
use common::xml::{parse, Element};
use proptest::prelude::*;
use waymark_charts::*;

/// Every chart in the crate, from the fixtures, as trait objects.
fn all_fixtures() -> Vec<(&'static str, Box<dyn Chart>)> {
    vec![
        ("xmr", Box::new(fixtures::xmr())),
        ("lines", Box::new(fixtures::lines())),
        ("bars", Box::new(fixtures::bars())),
        ("scatter", Box::new(fixtures::scatter())),
        ("steps", Box::new(fixtures::steps())),
        ("funnel", Box::new(fixtures::funnel())),
        ("histogram", Box::new(fixtures::histogram())),
        ("spaghetti", Box::new(fixtures::spaghetti())),
    ]
}

/// Words that must never appear as numbers in output.
fn has_non_finite_token(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|token| {
            matches!(
                token.to_ascii_lowercase().as_str(),
                "nan" | "inf" | "infinity"
            )
        })
}

/// Checks everything that holds for every chart, and returns the parsed tree.
fn check(svg: &str, id: &str) -> Element {
    let root = parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
    assert_eq!(root.name, "svg");
    assert_eq!(root.attribute("xmlns"), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("width"), Some("100%"));
    assert_eq!(root.attribute("id"), Some(id));
    let labelled_by = format!("{id}-title {id}-desc");
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(labelled_by.as_str())
    );

    // <title> then <desc>, first, with the ids aria-labelledby points at.
    let children: Vec<&Element> = root
        .children
        .iter()
        .filter_map(|c| match c {
            common::xml::Node::Element(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(children[0].name, "title");
    assert_eq!(
        children[0].attribute("id"),
        Some(format!("{id}-title").as_str())
    );
    assert!(!children[0].text().trim().is_empty());
    assert_eq!(children[1].name, "desc");
    assert_eq!(
        children[1].attribute("id"),
        Some(format!("{id}-desc").as_str())
    );
    assert!(!children[1].text().trim().is_empty());

    // viewBox is four finite numbers with a positive size.
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().expect("number"))
        .collect();
    assert_eq!(view_box.len(), 4);
    assert!(view_box[2] > 0.0 && view_box[3] > 0.0);

    let mut ids = std::collections::HashSet::new();
    for element in root.descendants() {
        // The app's Content Security Policy forbids inline styles.
        assert!(
            element.attribute("style").is_none() && element.name != "style",
            "inline style on <{}>",
            element.name
        );
        for (name, value) in &element.attributes {
            assert!(
                !has_non_finite_token(value) || name == "font-family",
                "{name}=\"{value}\" on <{}>",
                element.name
            );
        }
        if let Some(own) = element.attribute("id") {
            assert!(own.starts_with(id), "id {own} lacks the prefix {id}");
            assert!(ids.insert(own.to_string()), "duplicate id {own}");
        }
        if element.name == "text" {
            let size: f64 = element
                .attribute("font-size")
                .expect("font-size")
                .parse()
                .expect("number");
            assert!(size >= 12.0, "text smaller than 12px: {}", element.text());
            assert!(
                !has_non_finite_token(&element.text()),
                "text {:?}",
                element.text()
            );
        }
        // Every url(#...) reference points at an id in this chart.
        for (_, value) in &element.attributes {
            if let Some(rest) = value.strip_prefix("url(#") {
                let target = rest.trim_end_matches(')');
                assert!(
                    target.starts_with(id),
                    "reference {target} outside the chart"
                );
            }
        }
        // Data marks and lines: at least 3:1 against white.
        let is_data = ["wm-point", "wm-line", "wm-bar", "wm-step"]
            .iter()
            .any(|c| element.has_class(c));
        if is_data && !element.has_class("wm-suppressed") {
            for paint in ["fill", "stroke"] {
                if let Some(colour) = element
                    .attribute(paint)
                    .filter(|c| c.starts_with('#') && *c != "#ffffff")
                {
                    let ratio = contrast_ratio(colour, "#ffffff").expect("colour");
                    assert!(
                        ratio >= 3.0,
                        "{paint} {colour} is {ratio:.2}:1 on <{}>",
                        element.name
                    );
                }
            }
        }
    }
    assert!(!has_non_finite_token(&children[1].text()));
    root
}

fn desc_of(root: &Element) -> String {
    root.descendants()
        .into_iter()
        .find(|e| e.name == "desc")
        .map(|e| e.text())
        .unwrap_or_default()
}

fn check_table(table: &TableData) {
    assert!(!table.headers.is_empty());
    for row in &table.rows {
        assert_eq!(row.len(), table.headers.len(), "ragged row {row:?}");
        for cell in row {
            assert!(!has_non_finite_token(cell), "cell {cell:?}");
        }
    }
    let csv = table.to_csv();
    let multiline = table
        .rows
        .iter()
        .flatten()
        .any(|c| c.contains(['\r', '\n']));
    if !multiline {
        assert_eq!(csv.matches("\r\n").count(), table.rows.len() + 1);
    }
    parse(&table.to_html()).expect("table HTML is well-formed");
}

#[test]
fn every_chart_is_well_formed_accessible_svg() {
    for (name, chart) in all_fixtures() {
        let id = format!("fixture-{name}");
        let svg = chart.to_svg(&RenderOptions::new(&id));
        check(&svg, &id);
        check_table(&chart.as_table());
        // The same chart without its visible title is still labelled.
        let svg = chart.to_svg(&RenderOptions {
            show_title: false,
            ..RenderOptions::new(&id)
        });
        check(&svg, &id);
    }
}

#[test]
fn descriptions_start_with_the_summary_and_add_facts() {
    let xmr = fixtures::xmr();
    let root = check(&xmr.to_svg(&RenderOptions::new("x")), "x");
    let desc = desc_of(&root);
    assert!(desc.starts_with(&xmr.summary), "{desc}");
    for fact in [
        "23 values from Jan 2023 to Dec 2024",
        "Mean 62.1%",
        "Process limits 47.8% to 76.4%",
        "Target 75.0%",
        "latest",
        "Special cause improvement (higher)",
        "hit and miss",
        "1 point concern",
    ] {
        assert!(desc.contains(fact), "missing {fact:?} in {desc}");
    }

    let bars = fixtures::bars();
    let desc = desc_of(&check(&bars.to_svg(&RenderOptions::new("b")), "b"));
    assert!(desc.contains("North 48.2% (39.1% to 57.4%)"), "{desc}");
    assert!(desc.contains("Crisis team: suppressed"), "{desc}");

    let scatter = fixtures::scatter();
    let desc = desc_of(&check(&scatter.to_svg(&RenderOptions::new("s")), "s"));
    assert!(desc.contains("120 people plotted"), "{desc}");
    assert!(desc.contains("reliable improvement"), "{desc}");

    let funnel = fixtures::funnel();
    let desc = desc_of(&check(&funnel.to_svg(&RenderOptions::new("f")), "f"));
    assert!(desc.contains("1 unit above 99.8% limit: C"), "{desc}");
    assert!(desc.contains("2 units below 95% limit: D, G"), "{desc}");

    let hist = fixtures::histogram();
    let desc = desc_of(&check(&hist.to_svg(&RenderOptions::new("h")), "h"));
    assert!(desc.contains("Most common: 45 to 50 (31)"), "{desc}");
    assert!(desc.contains("2 bins suppressed"), "{desc}");
}

#[test]
fn each_chart_draws_one_mark_per_value() {
    let count = |chart: &dyn Chart, class: &str| {
        let root = check(&chart.to_svg(&RenderOptions::new("m")), "m");
        root.with_class(class).len()
    };
    // 24 months, one missing.
    assert_eq!(count(&fixtures::xmr(), "wm-point"), 23);
    // Markers only on highlighted series: median and cut-off, 6 positions each.
    assert_eq!(count(&fixtures::lines(), "wm-point"), 12);
    assert_eq!(count(&fixtures::lines(), "wm-line"), 42);
    // One bar has no value.
    assert_eq!(count(&fixtures::bars(), "wm-bar"), 4);
    // People with identical scores share one (bigger) mark; the tooltips add up to everyone.
    let scatter = fixtures::scatter();
    let mut distinct: Vec<(u64, u64)> = scatter
        .points
        .iter()
        .map(|p| (p.x.to_bits(), p.y.to_bits()))
        .collect();
    distinct.sort();
    distinct.dedup();
    let root = check(&scatter.to_svg(&RenderOptions::new("m")), "m");
    let marks = root.with_class("wm-point");
    assert_eq!(marks.len(), distinct.len());
    let people: usize = marks
        .iter()
        .map(|m| {
            let tip = m.text();
            tip.split(" (")
                .nth(1)
                .map(|rest| rest.trim_end_matches(" people)").parse::<usize>().unwrap())
                .unwrap_or(1)
        })
        .sum();
    assert_eq!(people, 120);
    assert_eq!(count(&fixtures::steps(), "wm-step"), 2);
    assert_eq!(count(&fixtures::funnel(), "wm-point"), 8);
    assert_eq!(count(&fixtures::histogram(), "wm-bar"), 12);
    assert_eq!(count(&fixtures::histogram(), "wm-suppressed"), 2);
    // One path per person with two or more points, a dot for each with one, one median path.
    let spaghetti = fixtures::spaghetti();
    let singles = spaghetti.lines.iter().filter(|l| l.len() == 1).count();
    assert_eq!(count(&spaghetti, "wm-person-line"), 30 - singles);
    assert_eq!(count(&spaghetti, "wm-bg-point"), singles);
    assert_eq!(count(&spaghetti, "wm-median-line"), 1);
    assert_eq!(count(&spaghetti, "wm-point"), 9);
}

#[test]
fn spaghetti_median_is_bold_dashed_and_broken_at_gaps() {
    let chart = fixtures::spaghetti();
    let root = check(&chart.to_svg(&RenderOptions::new("sp")), "sp");
    let median = root.with_class("wm-median-line");
    let person = root.with_class("wm-person-line");
    // Width and dash tell the median apart, not only its colour.
    assert!(median[0].attribute("stroke-dasharray").is_some());
    assert!(person
        .iter()
        .all(|p| p.attribute("stroke-dasharray").is_none()));
    let width = |e: &Element| e.attribute("stroke-width").unwrap().parse::<f64>().unwrap();
    assert!(width(median[0]) >= 3.0 * width(person[0]));
    // Months 0-6 joined, then a new segment at month 9 (7 and 8 are missing).
    assert_eq!(median[0].attribute("d").unwrap().matches('M').count(), 2);
    let desc = desc_of(&root);
    assert!(desc.starts_with(&chart.summary), "{desc}");
    for fact in [
        "30 lines drawn",
        "Median score (bold dashed line, 9 points)",
        "30 of people",
        "Lower values are better",
    ] {
        assert!(desc.contains(fact), "{fact:?} missing from {desc}");
    }
    let legend = root.with_class("wm-legend")[0].text();
    assert!(
        legend.contains("One person (n = 30)") && legend.contains("Median score"),
        "{legend}"
    );
    // The table is the median line only.
    let table = chart.as_table();
    assert_eq!(
        table.headers,
        vec!["Months since baseline", "Median score", "People"]
    );
    assert_eq!(table.rows.len(), 9);
    assert_eq!(table.rows[1], vec!["1", "15.3", "28"]);
}

#[test]
fn spaghetti_without_data_says_so() {
    let empty = SpaghettiChartData::default();
    let root = check(&empty.to_svg(&RenderOptions::new("e")), "e");
    assert!(desc_of(&root).contains("No values to show."));
    assert!(root.text().contains("No data"));
    assert!(empty.as_table().rows.is_empty());
    let lone = SpaghettiChartData {
        lines: vec![vec![(0.0, 5.0)], vec![(f64::NAN, 1.0)]],
        median: vec![MedianPoint {
            x: 0.0,
            value: 5.0,
            count: 1,
        }],
        ..SpaghettiChartData::default()
    };
    let root = check(&lone.to_svg(&RenderOptions::new("l")), "l");
    assert!(
        desc_of(&root).contains("1 line drawn"),
        "{}",
        desc_of(&root)
    );
    assert_eq!(root.with_class("wm-bg-point").len(), 1);
}

#[test]
fn point_types_differ_in_shape_as_well_as_colour() {
    let root = check(&fixtures::xmr().to_svg(&RenderOptions::new("k")), "k");
    let points = root.with_class("wm-point");
    let shape_of = |colour: &str| -> Vec<String> {
        let mut shapes: Vec<String> = points
            .iter()
            .filter(|p| p.attribute("fill") == Some(colour))
            .map(|p| p.name.clone())
            .collect();
        shapes.dedup();
        shapes
    };
    // Common cause circles, improvement diamonds (paths), concern triangles (paths).
    assert_eq!(shape_of("#425563"), vec!["circle"]);
    assert_eq!(shape_of("#005eb8"), vec!["path"]);
    assert_eq!(shape_of("#c25e00"), vec!["path"]);
    let d = |colour: &str| {
        points
            .iter()
            .find(|p| p.attribute("fill") == Some(colour))
            .and_then(|p| p.attribute("d"))
            .map(|d| d.matches('L').count())
    };
    assert_eq!(d("#005eb8"), Some(3), "diamond has four corners");
    assert_eq!(d("#c25e00"), Some(2), "triangle has three corners");
    // The legend names each type present.
    let legend = root.with_class("wm-legend")[0].text();
    for label in [
        "Common cause",
        "Special cause: improvement",
        "Special cause: concern",
    ] {
        assert!(legend.contains(label), "{legend}");
    }
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let evil = "</title><script>alert('x&y')</script>\"\u{0}\u{1b}]]>";
    let mut xmr = fixtures::xmr();
    xmr.title = evil.to_string();
    xmr.y_label = evil.to_string();
    xmr.x_labels[0] = evil.to_string();
    xmr.summary = evil.to_string();
    xmr.value_format = NumberFormat {
        decimals: Some(1),
        prefix: "<".to_string(),
        suffix: "&".to_string(),
    };
    let mut bars = fixtures::bars();
    bars.bars[0].label = evil.to_string();
    bars.bars[4].note = Some(evil.to_string());
    bars.interval_label = evil.to_string();
    let mut lines = fixtures::lines();
    lines.series.last_mut().unwrap().name = evil.to_string();
    lines.background_label = evil.to_string();
    let mut funnel = fixtures::funnel();
    funnel.points[0].label = evil.to_string();
    let mut steps = fixtures::steps();
    steps.series[0].name = evil.to_string();
    let mut hist = fixtures::histogram();
    hist.reference_lines[0].label = evil.to_string();
    let mut scatter = fixtures::scatter();
    scatter.x_label = evil.to_string();

    let charts: Vec<Box<dyn Chart>> = vec![
        Box::new(xmr),
        Box::new(bars),
        Box::new(lines),
        Box::new(funnel),
        Box::new(steps),
        Box::new(hist),
        Box::new(scatter),
    ];
    for chart in charts {
        let svg = chart.to_svg(&RenderOptions::new("evil\"><x"));
        assert!(!svg.contains("<script"), "unescaped markup");
        let root = check(&svg, "evil---x");
        let all_text = root.text();
        assert!(
            all_text.contains("alert('x&y')")
                || all_text.contains("alert('x&amp;y')")
                || all_text.contains('…')
        );
        check_table(&chart.as_table());
    }
}

#[test]
fn titles_round_trip_exactly_through_escaping() {
    let mut xmr = fixtures::xmr();
    xmr.title = "A & B <C> \"D\" 'E' £5 – 😀".to_string();
    let root = check(&xmr.to_svg(&RenderOptions::new("rt")), "rt");
    let title = root
        .descendants()
        .into_iter()
        .find(|e| e.name == "title")
        .unwrap()
        .text();
    assert_eq!(title, xmr.title);
}

#[test]
fn several_charts_on_one_page_do_not_share_ids() {
    let page: String = ["one", "two", "three"]
        .iter()
        .map(|id| {
            fixtures::histogram().to_svg(&RenderOptions::new(id))
                + &fixtures::scatter().to_svg(&RenderOptions::new(&format!("{id}-s")))
        })
        .collect();
    let root = parse(&format!("<page>{page}</page>")).expect("page");
    let mut seen = std::collections::HashSet::new();
    for element in root.descendants() {
        if let Some(id) = element.attribute("id") {
            assert!(seen.insert(id.to_string()), "duplicate id {id}");
        }
    }
}

fn xmr_with(values: Vec<Option<f64>>) -> XmrChartData {
    let n = values.len();
    XmrChartData {
        title: "Edge".to_string(),
        x_labels: fixtures::months(n),
        mean: vec![5.0; n],
        upper: vec![9.0; n],
        lower: vec![1.0; n],
        values,
        summary: "Edge case.".to_string(),
        ..XmrChartData::default()
    }
}

#[test]
fn degenerate_inputs_still_draw() {
    let cases: Vec<(&str, Box<dyn Chart>)> = vec![
        ("xmr-empty", Box::new(XmrChartData::default())),
        ("xmr-all-none", Box::new(xmr_with(vec![None, None, None]))),
        ("xmr-single", Box::new(xmr_with(vec![Some(5.0)]))),
        (
            "xmr-flat",
            Box::new(XmrChartData {
                mean: vec![3.0; 4],
                upper: vec![3.0; 4],
                lower: vec![3.0; 4],
                ..xmr_with(vec![Some(3.0); 4])
            }),
        ),
        (
            "xmr-nonfinite",
            Box::new(XmrChartData {
                target: Some(f64::NAN),
                mean: vec![f64::NAN; 3],
                upper: vec![f64::INFINITY; 3],
                ..xmr_with(vec![Some(f64::NAN), Some(f64::NEG_INFINITY), Some(1e308)])
            }),
        ),
        ("lines-empty", Box::new(LineChartData::default())),
        ("spaghetti-empty", Box::new(SpaghettiChartData::default())),
        (
            "lines-single",
            Box::new(LineChartData {
                series: vec![LineSeries {
                    name: "Only".into(),
                    values: vec![Some(2.0)],
                    emphasis: Emphasis::Highlight,
                }],
                ..LineChartData::default()
            }),
        ),
        ("bars-empty", Box::new(BarChartData::default())),
        (
            "bars-none",
            Box::new(BarChartData {
                bars: vec![Bar {
                    label: "A".into(),
                    ..Bar::default()
                }],
                ..BarChartData::default()
            }),
        ),
        (
            "bars-zero",
            Box::new(BarChartData {
                bars: vec![Bar {
                    label: "A".into(),
                    value: Some(0.0),
                    interval: Some((f64::NAN, 1.0)),
                    note: None,
                }],
                domain: Some((f64::NAN, f64::INFINITY)),
                ..BarChartData::default()
            }),
        ),
        (
            "bars-negative",
            Box::new(BarChartData {
                bars: vec![Bar {
                    label: "Loss".into(),
                    value: Some(-1250.0),
                    interval: Some((-2000.0, -300.0)),
                    note: None,
                }],
                value_format: NumberFormat::pounds(0),
                ..BarChartData::default()
            }),
        ),
        ("scatter-empty", Box::new(ScatterChartData::default())),
        (
            "scatter-one",
            Box::new(ScatterChartData {
                points: vec![ScatterPoint { x: 4.0, y: 4.0 }],
                reliable_change: Some(0.0),
                ..ScatterChartData::default()
            }),
        ),
        (
            "scatter-bad",
            Box::new(ScatterChartData {
                points: vec![
                    ScatterPoint {
                        x: f64::NAN,
                        y: 1.0,
                    },
                    ScatterPoint {
                        x: f64::MAX,
                        y: -f64::MAX,
                    },
                ],
                reliable_change: Some(f64::INFINITY),
                ..ScatterChartData::default()
            }),
        ),
        ("steps-empty", Box::new(StepChartData::default())),
        (
            "steps-one",
            Box::new(StepChartData {
                series: vec![StepSeries {
                    name: "A".into(),
                    points: vec![StepPoint {
                        time: 0.0,
                        estimate: 1.0,
                        lower: None,
                        upper: None,
                    }],
                    censored: vec![f64::NAN, 3.0],
                }],
                ..StepChartData::default()
            }),
        ),
        (
            "funnel-empty",
            Box::new(FunnelChartData {
                centre: f64::NAN,
                ..FunnelChartData::default()
            }),
        ),
        (
            "funnel-one",
            Box::new(FunnelChartData {
                points: vec![FunnelPoint {
                    label: "A".into(),
                    denominator: 0.0,
                    value: 0.0,
                    position: FunnelPosition::Within,
                }],
                centre: 0.0,
                ..FunnelChartData::default()
            }),
        ),
        ("hist-empty", Box::new(HistogramData::default())),
        (
            "hist-zero",
            Box::new(HistogramData {
                bins: vec![
                    HistogramBin {
                        lower: 1.0,
                        upper: 1.0,
                        count: Some(3),
                    },
                    HistogramBin {
                        lower: 0.0,
                        upper: 1.0,
                        count: Some(0),
                    },
                ],
                ..HistogramData::default()
            }),
        ),
        (
            "hist-huge",
            Box::new(HistogramData {
                bins: vec![
                    HistogramBin {
                        lower: -1e300,
                        upper: 1e300,
                        count: Some(u64::MAX),
                    },
                    HistogramBin {
                        lower: 0.0,
                        upper: 1.0,
                        count: None,
                    },
                ],
                ..HistogramData::default()
            }),
        ),
    ];
    for (name, chart) in cases {
        let svg = chart.to_svg(&RenderOptions::new(name));
        let root = check(&svg, name);
        assert!(!desc_of(&root).is_empty(), "{name}");
        check_table(&chart.as_table());
    }
}

#[test]
fn empty_charts_say_so() {
    let root = check(
        &XmrChartData::default().to_svg(&RenderOptions::new("e")),
        "e",
    );
    assert!(desc_of(&root).contains("No values to show."));
    let root = check(
        &BarChartData::default().to_svg(&RenderOptions::new("e")),
        "e",
    );
    assert!(root.text().contains("No data"));
}

#[test]
fn render_options_are_sanitised() {
    let options = RenderOptions {
        id: "9 bad id".into(),
        width: f64::NAN,
        height: Some(f64::INFINITY),
        show_title: true,
    };
    let svg = fixtures::xmr().to_svg(&options);
    check(&svg, "chart-9-bad-id");
    let options = RenderOptions {
        width: 1e12,
        height: Some(-5.0),
        ..RenderOptions::new("big")
    };
    check(&fixtures::funnel().to_svg(&options), "big");
}

#[test]
fn tables_match_the_charts() {
    let xmr = fixtures::xmr();
    let table = xmr.as_table();
    assert_eq!(table.caption, xmr.title);
    assert_eq!(table.rows.len(), 24);
    assert_eq!(table.headers[1], "Contacted within 14 days (%)");
    assert_eq!(table.headers[2], "Mean (%)");
    assert_eq!(table.rows[5][1], "", "missing value stays empty");
    assert_eq!(table.rows[5].last().unwrap(), "No value");
    assert_eq!(table.rows[11][1], "45.5");
    assert_eq!(table.rows[11].last().unwrap(), "Special cause: concern");

    let bars = fixtures::bars().as_table();
    assert_eq!(
        bars.headers,
        vec![
            "Team",
            "People with reliable improvement (%)",
            "Lower (%)",
            "Upper (%)",
            "Note"
        ]
    );
    assert_eq!(bars.rows[0], vec!["North", "48.2", "39.1", "57.4", ""]);
    assert_eq!(bars.rows[4][4], "Suppressed: fewer than 8 people");

    let scatter = fixtures::scatter();
    let table = scatter.as_table();
    let total: usize = table
        .rows
        .iter()
        .map(|r| r[1].parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 120);
    assert_eq!(table.rows[0][0], "Reliable improvement");

    let hist = fixtures::histogram().as_table();
    assert_eq!(hist.rows[1][3], "*");
    assert_eq!(hist.rows.len(), 12);

    let lines = fixtures::lines().as_table();
    assert_eq!(lines.headers.len(), 1 + 2 + 3);
    assert_eq!(lines.rows[0][3], "40", "every person has a baseline");

    let steps = fixtures::steps().as_table();
    let censored: usize = steps
        .rows
        .iter()
        .map(|r| r[5].parse::<usize>().unwrap())
        .sum();
    assert_eq!(
        censored,
        fixtures::steps()
            .series
            .iter()
            .map(|s| s.censored.len())
            .sum::<usize>()
    );
}

#[test]
fn x_labels_never_overlap() {
    // 120 months on a narrow chart: shown labels must be spaced at least their width apart.
    let mut data = xmr_with((0..120).map(|i| Some(i as f64)).collect());
    data.x_labels = fixtures::months(120);
    let root = check(
        &data.to_svg(&RenderOptions {
            width: 400.0,
            ..RenderOptions::new("dense")
        }),
        "dense",
    );
    let axis = root.with_class("wm-x-axis")[0];
    let xs: Vec<f64> = axis
        .children
        .iter()
        .filter_map(|c| match c {
            common::xml::Node::Element(e)
                if e.name == "text" && e.text().contains(' ') && e.text() != "" =>
            {
                e.attribute("x").map(|x| x.parse().unwrap())
            }
            _ => None,
        })
        .collect();
    assert!(xs.len() >= 2 && xs.len() < 20, "{} labels", xs.len());
    for pair in xs.windows(2) {
        assert!(
            pair[1] - pair[0] >= 8.0 * 12.0 * 0.5,
            "labels {pair:?} overlap"
        );
    }
}

/// Numbers a hostile or broken input might contain.
fn nasty_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1000.0..1000.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        1 => Just(f64::MIN_POSITIVE),
        1 => Just(5e-324),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => -1e300..1e300f64,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_numbers_give_well_formed_finite_svg(
        values in prop::collection::vec(prop::option::of(nasty_f64()), 0..30),
        others in prop::collection::vec(nasty_f64(), 0..30),
        counts in prop::collection::vec(prop::option::of(any::<u64>()), 0..12),
        target in prop::option::of(nasty_f64()),
        label in any::<String>(),
    ) {
        let n = values.len();
        let other = |i: usize| others.get(i % others.len().max(1)).copied().unwrap_or(1.0);
        let finite_or = |v: f64| if v.is_finite() { v } else { 0.0 };
        let charts: Vec<Box<dyn Chart>> = vec![
            Box::new(XmrChartData {
                mean: (0..n).map(other).collect(),
                upper: others.clone(),
                lower: others.iter().map(|v| v - 1.0).collect(),
                target,
                point_kinds: (0..n).map(|i| [PointKind::Common, PointKind::Concern, PointKind::Improvement, PointKind::Neutral][i % 4]).collect(),
                title: label.clone(),
                x_labels: vec![label.clone(); n.min(3)],
                ..xmr_with(values.clone())
            }),
            Box::new(LineChartData {
                series: vec![
                    LineSeries { name: "a".into(), values: values.clone(), emphasis: Emphasis::Background },
                    LineSeries { name: label.clone(), values: values.iter().rev().copied().collect(), emphasis: Emphasis::Highlight },
                ],
                y_label: label.clone(),
                ..LineChartData::default()
            }),
            Box::new(SpaghettiChartData {
                lines: vec![values.iter().enumerate().map(|(i, v)| (other(i), v.unwrap_or(f64::NAN))).collect(), others.iter().map(|&o| (o, o)).collect()],
                median: values.iter().enumerate().map(|(i, v)| MedianPoint { x: other(i), value: v.unwrap_or(f64::INFINITY), count: i }).collect(),
                max_gap: target,
                title: label.clone(),
                ..SpaghettiChartData::default()
            }),
            Box::new(BarChartData {
                bars: values.iter().enumerate().map(|(i, v)| Bar { label: format!("{label}{i}"), value: *v, interval: Some((other(i), other(i + 1))), note: None }).collect(),
                domain: target.map(|t| (t, other(0))),
                ..BarChartData::default()
            }),
            Box::new(ScatterChartData {
                points: values.iter().enumerate().map(|(i, v)| ScatterPoint { x: v.unwrap_or(f64::NAN), y: other(i) }).collect(),
                reliable_change: target,
                better: Some(BetterDirection::Higher),
                ..ScatterChartData::default()
            }),
            Box::new(StepChartData {
                series: vec![StepSeries {
                    name: "s".into(),
                    points: values.iter().enumerate().map(|(i, v)| StepPoint { time: other(i), estimate: v.unwrap_or(f64::NAN), lower: target, upper: Some(other(i + 2)) }).collect(),
                    censored: others.clone(),
                }],
                y_domain: target.map(|t| (0.0, t)),
                ..StepChartData::default()
            }),
            Box::new(FunnelChartData {
                points: values.iter().enumerate().map(|(i, v)| FunnelPoint { label: format!("u{i}"), denominator: other(i).abs(), value: v.unwrap_or(0.0), position: FunnelPosition::Above95 }).collect(),
                centre: target.unwrap_or(f64::NAN),
                limits: others.iter().map(|&d| FunnelLimit { denominator: d, lower_95: d - 1.0, upper_95: d * 2.0, lower_998: -d, upper_998: f64::NAN }).collect(),
                ..FunnelChartData::default()
            }),
            Box::new(HistogramData {
                bins: counts.iter().enumerate().map(|(i, c)| HistogramBin { lower: finite_or(other(i)), upper: finite_or(other(i)) + 1.0 + i as f64, count: *c }).collect(),
                reference_lines: vec![ReferenceLine { value: target.unwrap_or(0.0), label: "r".into() }],
                ..HistogramData::default()
            }),
        ];
        for chart in charts {
            let svg = chart.to_svg(&RenderOptions::new("p"));
            check(&svg, "p");
            check_table(&chart.as_table());
        }
    }
}
