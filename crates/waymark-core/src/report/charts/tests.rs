use super::*;
use crate::analysis::direction::trajectories::{trajectories, PersonScores};
use chrono::NaiveDate;
use waymark_charts::{Chart, RenderOptions};

/// `n` people, person `i` scored at baseline and at 1 month (and at 2 months for the first
/// six), scores chosen so the medians are easy to work out.
fn people(n: usize) -> Vec<PersonScores> {
    (0..n)
        .map(|i| PersonScores {
            person: i,
            days_since_baseline: if i < 6 { vec![0, 30, 61] } else { vec![0, 30] },
            scores: if i < 6 {
                vec![20.0, 15.0, i as f64]
            } else {
                vec![20.0, 15.0]
            },
        })
        .collect()
}

#[test]
fn spaghetti_draws_at_most_200_people_and_tables_the_median_only() {
    let t = trajectories("PHQ-9", Direction::LowerIsBetter, &people(250));
    let chart = trajectory_spaghetti(&t);
    assert_eq!(chart.lines.len(), 200);
    assert!(
        chart.summary.starts_with("200 of 250 people drawn"),
        "{}",
        chart.summary
    );
    assert!(chart.summary.contains("fewer than 5 people"));
    assert_eq!(chart.better, Some(BetterDirection::Lower));
    let table = chart.as_table();
    assert_eq!(
        table.headers,
        vec!["Months since baseline", "Median score", "People"]
    );
    // Month 2: six people scored 0..5, median (2 + 3) / 2.
    assert_eq!(
        table.rows,
        vec![
            vec!["0", "20.0", "250"],
            vec!["1", "15.0", "250"],
            vec!["2", "2.5", "6"],
        ]
    );
    // Leaving the app: 6 people is withheld, and so is their median.
    let shown = disclose_table(&table);
    assert_eq!(shown.rows[2], vec!["2", "*", "*"]);
    assert_eq!(shown.rows[0], vec!["0", "20.0", "250"]);
    let svg = chart.to_svg(&RenderOptions::new("phq9-trajectories"));
    assert!(svg.contains(
        "<title id=\"phq9-trajectories-title\">PHQ-9: scores by months since baseline</title>"
    ));
    assert!(!svg.contains("style="));
}

#[test]
fn spaghetti_of_nobody_or_one_person_still_draws() {
    for t in [
        trajectories("WEMWBS", Direction::HigherIsBetter, &[]),
        trajectories("WEMWBS", Direction::HigherIsBetter, &people(1)),
    ] {
        let chart = trajectory_spaghetti(&t);
        assert!(chart.median.is_empty());
        assert!(chart.as_table().rows.is_empty());
        assert!(chart.to_svg(&RenderOptions::new("w")).starts_with("<svg"));
    }
    let nobody = trajectory_spaghetti(&trajectories("WEMWBS", Direction::HigherIsBetter, &[]));
    assert!(nobody.summary.starts_with("No one has a WEMWBS score."));
    let one = trajectory_spaghetti(&trajectories(
        "WEMWBS",
        Direction::HigherIsBetter,
        &people(1),
    ));
    assert!(one.summary.starts_with("One person, drawn"));
}

/// Four people: events at 10 and 20 days, one censored at 30, an event at 40. Worked by
/// hand: S = 1 before 10, 3/4 from 10, 3/4 · 1/2 = 1/2 from 20 (and at the censoring at
/// 30), 1/2 · 0/1 = 0 from 40. In percent: 100, 75, 50, 50, 0.
#[test]
fn survival_chart_is_in_percent_on_a_0_to_100_axis() {
    use crate::analysis::pathways::{GroupKind, SurvivalGroup, SurvivalOutcome, TimeToEvent};
    use crate::stats::survival::{kaplan_meier, Observation};
    let observations = [(10.0, true), (20.0, true), (30.0, false), (40.0, true)]
        .map(|(time, event)| Observation { time, event });
    let t = TimeToEvent {
        outcome: SurvivalOutcome::TimeToFirstCrisis,
        measure: None,
        definition: "Days from start to the first crisis contact.".into(),
        time_unit: "days".into(),
        tau_days: 365.0,
        groups: vec![SurvivalGroup {
            pathway: "Step-down".into(),
            kind: GroupKind::ServicePathway,
            people_at_risk: 4,
            events: 3,
            curve: kaplan_meier(&observations, 0.95),
            restricted_mean: None,
        }],
        log_rank: None,
        log_rank_pathways: Vec::new(),
    };
    let chart = survival_steps(&t, "Time to first crisis");
    assert_eq!(chart.y_domain, Some((0.0, 100.0)));
    let table = chart.as_table();
    assert_eq!(table.headers[2], "Estimate (%)");
    let estimates: Vec<&str> = table.rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(estimates, vec!["100.0", "75.0", "50.0", "50.0", "0.0"]);
    for row in &table.rows {
        for cell in &row[2..5] {
            let v: f64 = cell.parse().expect("a number");
            assert!((0.0..=100.0).contains(&v), "{cell}");
        }
    }
    // The 75% step's log(-log) band lies strictly inside (0, 100) and is not a fraction.
    let lower: f64 = table.rows[1][3].parse().expect("a number");
    assert!(lower > 1.0 && lower < 75.0, "{lower}");
    let svg = chart.to_svg(&RenderOptions::new("km"));
    assert!(svg.contains(">100%<"), "the axis reaches 100%");
    assert!(!svg.contains(">1.0%<") && !svg.contains(">0.2%<"));
}

/// The words and numbers a reader sees in an SVG: its text content (titles, descriptions,
/// labels, tooltips), without the markup and its coordinates.
fn svg_text(svg: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whole numbers standing alone in `text` ("47" in "0.21 of 47", not the 5 of "5.0%").
fn whole_numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|t| !t.is_empty() && !t.contains('.'))
        .filter_map(|t| t.parse().ok())
        .collect()
}

fn assert_disclosed(what: &str, text: &str, true_counts: &[u64]) {
    let numbers = whole_numbers(text);
    for count in true_counts {
        assert!(
            !numbers.contains(count),
            "{what} shows the true count {count}: {text}"
        );
    }
}

/// Small groups, as a small service has them. Teams: A 3 of 5 and E 2 of 12 (a count of 1-7
/// each, so left out), B 10 of 47, C 20 of 63, D 30 of 88 (shown at 45, 65 and 90 people).
/// GAS bins of 39, 58, 37 and 3 people (shown 40, 60, 35 and *; 137 people shown as 135).
/// PHQ-9 pairs: 5 reliable improvements (20 -> 10), 1 deterioration (10 -> 20), 10 no
/// reliable change (15 -> 14): the legend shows *, * and 10. All worked by hand from the
/// rule (1-7 -> *, others to the nearest 5).
#[test]
fn downloadable_charts_carry_only_disclosed_counts() {
    use crate::analysis::direction::outcomes::TravelLabel;
    use crate::analysis::pathways::{FunnelData, FunnelUnits};
    use crate::stats::funnel::{funnel_plot, FunnelOptions, FunnelUnit};

    let teams = [
        ("A", 3, 5),
        ("B", 10, 47),
        ("C", 20, 63),
        ("D", 30, 88),
        ("E", 2, 12),
    ];
    let units: Vec<FunnelUnit> = teams
        .iter()
        .map(|&(_, x, n)| FunnelUnit {
            numerator: x,
            denominator: n as f64,
        })
        .collect();
    let data = FunnelData {
        units: FunnelUnits::Team,
        indicator: "reliable improvement on PHQ-9".into(),
        standardisation: String::new(),
        unit_names: teams.iter().map(|t| t.0.to_string()).collect(),
        funnel: funnel_plot(&units, FunnelOptions::proportions()).ok(),
        note: None,
    };
    let funnel = funnel_chart(&data).expect("a funnel");
    let svg = svg_text(&funnel.to_svg(&RenderOptions::new("funnel")));
    let table = disclose_table(&funnel.as_table());
    let table_text = format!("{:?}", table.rows);
    // The teams' true sizes (their numerators are never written; "3 units plotted" and
    // tick labels such as "10%" are not counts of people; team A, of 5, is checked by name).
    for text in [&svg, &table_text] {
        assert_disclosed("funnel", text, &[12, 47, 63, 88]);
    }
    assert!(!svg.contains("A:") && !svg.contains("E:"));
    let sizes: Vec<&str> = table.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(sizes, vec!["45", "65", "90"]);
    assert!(funnel
        .summary
        .contains("2 teams with counts of 1 to 7 not shown"));
    // Each unit shown is named on the chart.
    for name in ["B", "C", "D"] {
        assert!(svg.contains(&format!(" {name} ")), "{name} labelled");
    }

    let mut t_scores = vec![47.0; 39];
    t_scores.extend([52.0; 58]);
    t_scores.extend([57.0; 37]);
    t_scores.extend([67.0; 3]);
    let histogram = gas_histogram(&t_scores);
    let svg = svg_text(&histogram.to_svg(&RenderOptions::new("gas")));
    let table_text = format!("{:?}", disclose_table(&histogram.as_table()).rows);
    for text in [&svg, &table_text] {
        assert_disclosed("GAS histogram", text, &[39, 58, 37, 3, 137]);
    }
    for shown in ["40", "60", "35"] {
        assert!(table_text.contains(&format!("\"{shown}\"")), "{shown}");
    }
    assert!(svg.contains("135 people"));

    let pair = |baseline: f64, latest: f64| PersonMeasure {
        person: 0,
        measure: "PHQ-9".into(),
        n_scores: 2,
        baseline_date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
        baseline,
        latest_date: NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date"),
        latest,
        change: latest - baseline,
        rci: None,
        reliable_change: None,
        clinical: None,
        slope_per_month: None,
        trend_p: None,
        setbacks: 0,
        setback_dates: Vec::new(),
        last_setback: None,
        days_since_last_setback: None,
        sustained_improvement: false,
        label: TravelLabel::Stable,
    };
    let mut people = vec![pair(20.0, 10.0); 5];
    people.push(pair(10.0, 20.0));
    people.extend(vec![pair(15.0, 14.0); 10]);
    let scatter = change_scatter("PHQ-9", 6.0, Some(Direction::LowerIsBetter), &people);
    let svg = svg_text(&scatter.to_svg(&RenderOptions::new("scatter")));
    assert!(!svg.contains("n = 5") && !svg.contains("n = 1)"), "{svg}");
    assert!(svg.contains("(n = *)") && svg.contains("(n = 10)"), "{svg}");
    assert!(
        svg.contains("15 people with two or more"),
        "16 rounds to 15"
    );
    assert!(
        !svg.contains("(5 people)") && !svg.contains("16 people"),
        "{svg}"
    );
}

/// A proportion funnel draws its limit curves (they were empty: exact binomial limits exist
/// only at whole numbers of people, and the curves were sampled between them). Each sample
/// is a whole number, in percent, equal to the core's limits at that size; the 99.8% band
/// lies outside the 95% band, and the bands narrow as the size grows.
#[test]
fn proportion_funnels_have_limit_curves_in_percent() {
    use crate::analysis::pathways::{FunnelData, FunnelUnits};
    use crate::stats::funnel::{funnel_plot, FunnelOptions, FunnelUnit};
    let units: Vec<FunnelUnit> = [(10, 47), (20, 63), (30, 88), (12, 40)]
        .iter()
        .map(|&(x, n)| FunnelUnit {
            numerator: x,
            denominator: f64::from(n),
        })
        .collect();
    let data = FunnelData {
        units: FunnelUnits::Pathway,
        indicator: "reliable improvement on PHQ-9".into(),
        standardisation: String::new(),
        unit_names: vec!["P1".into(), "P2".into(), "P3".into(), "P4".into()],
        funnel: funnel_plot(&units, FunnelOptions::proportions()).ok(),
        note: None,
    };
    let funnel = data.funnel.as_ref().expect("a funnel");
    let chart = funnel_chart(&data).expect("a chart");
    assert!(chart.limits.len() >= 40, "{} samples", chart.limits.len());
    for l in &chart.limits {
        assert_eq!(l.denominator.fract(), 0.0);
        let core = funnel.limits_at(l.denominator).expect("limits");
        assert!((l.upper_95 - 100.0 * core.upper_95).abs() < 1e-9);
        assert!(l.lower_998 <= l.lower_95 && l.upper_95 <= l.upper_998);
    }
    let (first, last) = (chart.limits[5], chart.limits[chart.limits.len() - 1]);
    assert!(last.upper_95 - last.lower_95 < first.upper_95 - first.lower_95);
    // Pooled target 72 / 238 = 30.25%, in percent.
    assert!((chart.centre - 100.0 * 72.0 / 238.0).abs() < 1e-9);
    assert_eq!(chart.unit_label, "Pathway");
    let svg = chart.to_svg(&RenderOptions::new("f"));
    assert_eq!(svg.matches("class=\"wm-limit\"").count(), 4);
    assert!(!svg.contains("class=\"wm-limit\" d=\"\""));
}

fn theme(theme: &str, quarter: &str, entries: u64) -> ThemeReport {
    ThemeReport {
        theme: theme.into(),
        group: quarter.into(),
        entries: ShownCount::from_count(entries),
    }
}

/// Worked by hand: shown totals are Money 40, Isolation 30 (12 -> 10, 3 withheld, 20),
/// Housing 25, Sleep 10 and Work 10 (a tie, alphabetical), Family 0 (withheld): Family is
/// the sixth and left out. 2025 Q3 has no feedback at all but stays on the axis.
#[test]
fn themes_over_time_follows_the_top_five_with_disclosed_counts() {
    let by_quarter = vec![
        theme("Isolation", "2025 Q1", 12),
        theme("Isolation", "2025 Q2", 3),
        theme("Isolation", "2025 Q4", 20),
        theme("Money", "2025 Q1", 40),
        theme("Housing", "2025 Q2", 25),
        theme("Work", "2025 Q4", 9),
        theme("Sleep", "2025 Q1", 11),
        theme("Family", "2025 Q2", 5),
    ];
    let chart = themes_over_time(&by_quarter);
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Money", "Isolation", "Housing", "Sleep", "Work"]
    );
    assert_eq!(
        chart.x_labels,
        vec!["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
    );
    let table = chart.as_table();
    assert_eq!(
        table.headers,
        vec!["Quarter", "Money", "Isolation", "Housing", "Sleep", "Work"]
    );
    assert_eq!(table.rows[0], vec!["2025 Q1", "40", "10", "0", "10", "0"]);
    assert_eq!(table.rows[1], vec!["2025 Q2", "0", "*", "25", "0", "0"]);
    assert_eq!(table.rows[2], vec!["2025 Q3", "0", "0", "0", "0", "0"]);
    assert_eq!(table.rows[3], vec!["2025 Q4", "0", "20", "0", "0", "10"]);
    // Already disclosed: the app's export step changes nothing.
    assert_eq!(disclose_table(&table).rows, table.rows);
    let svg = chart.to_svg(&RenderOptions::new("themes"));
    assert!(svg.contains("<title id=\"themes-title\">Feedback themes over time</title>"));
    assert!(!svg.contains("style="));
}

#[test]
fn themes_over_time_without_feedback_says_so() {
    let chart = themes_over_time(&[]);
    assert!(chart.series.is_empty() && chart.x_labels.is_empty());
    assert_eq!(chart.summary, "No feedback themes to show.");
    assert!(chart
        .to_svg(&RenderOptions::new("t"))
        .contains("No feedback themes to show."));
    let odd = themes_over_time(&[theme("A", "all", 10), theme("A", "1999 Q3", 10)]);
    assert_eq!(odd.x_labels, vec!["1999 Q3", "all"]);
}

/// Worked by hand: 3 people is suppressed with its share; 12 is rounded to 10, its share
/// kept (computed on the exact count).
#[test]
fn small_counts_and_what_they_reveal_are_withheld() {
    let table = TableData {
        caption: "Change".into(),
        headers: vec![
            "Change".into(),
            "People".into(),
            "Share of people plotted (%)".into(),
        ],
        rows: vec![
            vec!["Reliable deterioration".into(), "3".into(), "20.0".into()],
            vec!["No reliable change".into(), "12".into(), "80.0".into()],
        ],
    };
    let shown = disclose_table(&table);
    assert_eq!(shown.rows[0], vec!["Reliable deterioration", "*", "*"]);
    assert_eq!(shown.rows[1], vec!["No reliable change", "10", "80.0"]);
    let histogram = TableData {
        caption: "GAS".into(),
        headers: vec![
            "T-score range".into(),
            "From".into(),
            "To".into(),
            "Count".into(),
        ],
        rows: vec![vec!["45-50".into(), "45".into(), "50".into(), "5".into()]],
    };
    assert_eq!(
        disclose_table(&histogram).rows[0],
        vec!["45-50", "45", "50", "*"]
    );
}
