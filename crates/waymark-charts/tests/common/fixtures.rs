//! Realistic, made-up chart inputs shared by the tests and the gallery example.
//! Deterministic: a small linear congruential generator stands in for randomness.

use waymark_charts::*;

/// Deterministic pseudo-random numbers in [0, 1) (Numerical Recipes LCG constants).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly normal (sum of uniforms).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
}

pub fn months(n: usize) -> Vec<String> {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    (0..n)
        .map(|i| format!("{} {}", NAMES[i % 12], 2023 + i / 12))
        .collect()
}

pub fn xmr() -> XmrChartData {
    let mut rng = Lcg::new(7);
    let n = 24;
    let mut values: Vec<Option<f64>> = (0..n).map(|_| Some(62.0 + 4.5 * rng.normal())).collect();
    for v in values.iter_mut().skip(17) {
        *v = v.map(|x| x + 9.0);
    }
    values[5] = None;
    values[11] = Some(45.5);
    let mut kinds = vec![PointKind::Common; n];
    for k in kinds.iter_mut().skip(17) {
        *k = PointKind::Improvement;
    }
    kinds[11] = PointKind::Concern;
    XmrChartData {
        title: "Referrals contacted within 14 days".to_string(),
        x_label: "Month".to_string(),
        y_label: "Contacted within 14 days (%)".to_string(),
        x_labels: months(n),
        values,
        mean: vec![62.1; n],
        upper: vec![76.4; n],
        lower: vec![47.8; n],
        point_kinds: kinds,
        target: Some(75.0),
        variation_icon: VariationIcon::ImprovementHigh,
        assurance_icon: Some(AssuranceIcon::HitAndMiss),
        value_format: NumberFormat::percent(1),
        summary: "Since August 2024 the share contacted within 14 days has risen above its usual range; the 75% target is met in some months but not reliably.".to_string(),
    }
}

pub fn lines() -> LineChartData {
    let mut rng = Lcg::new(11);
    let reviews = 6;
    let mut series: Vec<LineSeries> = (0..40)
        .map(|p| {
            let start = 14.0 + 4.0 * rng.normal();
            let slope = -1.2 + 0.9 * rng.normal();
            let stop = 2 + (p % 5);
            LineSeries {
                name: format!("Person {p}"),
                values: (0..reviews)
                    .map(|r| {
                        (r < stop).then(|| {
                            (start + slope * r as f64 + 2.0 * rng.normal())
                                .clamp(0.0, 27.0)
                                .round()
                        })
                    })
                    .collect(),
                emphasis: Emphasis::Background,
            }
        })
        .collect();
    let median: Vec<Option<f64>> = (0..reviews)
        .map(|r| {
            let mut at: Vec<f64> = series.iter().filter_map(|s| s.values[r]).collect();
            at.sort_by(f64::total_cmp);
            at.get(at.len() / 2).copied()
        })
        .collect();
    series.push(LineSeries {
        name: "Median".to_string(),
        values: median,
        emphasis: Emphasis::Highlight,
    });
    series.push(LineSeries {
        name: "Clinical cut-off".to_string(),
        values: vec![Some(10.0); reviews],
        emphasis: Emphasis::Highlight,
    });
    LineChartData {
        title: "PHQ-9 over time".to_string(),
        x_label: "Assessment".to_string(),
        y_label: "PHQ-9 score".to_string(),
        x_labels: std::iter::once("Baseline".to_string()).chain((1..reviews).map(|r| format!("Review {r}"))).collect(),
        series,
        background_label: "One person".to_string(),
        value_format: NumberFormat::fixed(0),
        summary: "Scores fall over the first three reviews for most people; the median moves below the clinical cut-off at review 3.".to_string(),
        missing_cell: String::new(),
    }
}

/// 30 people scored at irregular times over a year (PHQ-9-like, falling), with a median at
/// whole months where at least 5 people had a score; months 7 and 8 are left out (a gap).
pub fn spaghetti() -> SpaghettiChartData {
    let mut rng = Lcg::new(23);
    let lines: Vec<Vec<(f64, f64)>> = (0..30)
        .map(|p| {
            let start = 16.0 + 4.0 * rng.normal();
            let slope = -0.8 + 0.5 * rng.normal();
            let n = 1 + p % 6;
            (0..n)
                .map(|r| {
                    let t = if r == 0 {
                        0.0
                    } else {
                        2.0 * r as f64 + rng.next()
                    };
                    (
                        t,
                        (start + slope * t + 2.0 * rng.normal())
                            .clamp(0.0, 27.0)
                            .round(),
                    )
                })
                .collect()
        })
        .collect();
    let median = [0u32, 1, 2, 3, 4, 5, 6, 9, 10]
        .iter()
        .map(|&m| MedianPoint {
            x: f64::from(m),
            value: 16.0 - 0.7 * f64::from(m),
            count: (30 - 2 * m) as usize,
        })
        .collect();
    SpaghettiChartData {
        title: "PHQ-9 by months since baseline".to_string(),
        x_label: "Months since baseline".to_string(),
        y_label: "PHQ-9 score".to_string(),
        lines,
        line_label: "One person".to_string(),
        median,
        median_label: "Median score".to_string(),
        count_label: "People".to_string(),
        max_gap: Some(1.0),
        better: Some(BetterDirection::Lower),
        x_format: NumberFormat::fixed(0),
        value_format: NumberFormat::fixed(1),
        summary: "Scores fall over the first half-year for most people.".to_string(),
    }
}

pub fn bars() -> BarChartData {
    let bar = |label: &str, v: f64, lo: f64, hi: f64| Bar {
        label: label.to_string(),
        value: Some(v),
        interval: Some((lo, hi)),
        note: None,
    };
    BarChartData {
        title: "Reliable improvement by team".to_string(),
        category_label: "Team".to_string(),
        value_label: "People with reliable improvement (%)".to_string(),
        bars: vec![
            bar("North", 48.2, 39.1, 57.4),
            bar("South", 41.0, 33.2, 49.3),
            bar("East (community & outreach)", 55.6, 41.2, 69.1),
            bar("West", 37.5, 27.9, 48.2),
            Bar { label: "Crisis team".to_string(), value: None, interval: None, note: Some("Suppressed: fewer than 8 people".to_string()) },
        ],
        interval_label: "95% confidence interval (Wilson)".to_string(),
        domain: Some((0.0, 100.0)),
        value_format: NumberFormat::percent(1),
        summary: "East has the highest share with reliable improvement, but its interval is wide and overlaps every other team's.".to_string(),
    }
}

pub fn scatter() -> ScatterChartData {
    let mut rng = Lcg::new(3);
    let points = (0..120)
        .map(|_| {
            let x = (15.0 + 5.0 * rng.normal()).clamp(0.0, 27.0).round();
            let y = (x - 4.0 + 5.0 * rng.normal()).clamp(0.0, 27.0).round();
            ScatterPoint { x, y }
        })
        .collect();
    ScatterChartData {
        title: "PHQ-9: baseline and latest".to_string(),
        x_label: "PHQ-9 at baseline".to_string(),
        y_label: "PHQ-9 at latest review".to_string(),
        points,
        reliable_change: Some(6.0),
        better: Some(BetterDirection::Lower),
        value_format: NumberFormat::fixed(0),
        summary: "Most people's scores fell; points below the shaded band improved reliably."
            .to_string(),
        shown_counts: None,
    }
}

pub fn steps() -> StepChartData {
    let curve = |name: &str, hazard: f64, seed: u64| {
        let mut rng = Lcg::new(seed);
        let mut s = 1.0;
        let mut points = vec![StepPoint {
            time: 0.0,
            estimate: 1.0,
            lower: Some(1.0),
            upper: Some(1.0),
        }];
        let mut censored = Vec::new();
        let mut t = 0.0;
        for i in 0..14 {
            t += 3.0 + 10.0 * rng.next();
            if i % 4 == 3 {
                censored.push((t * 10.0f64).round() / 10.0);
                continue;
            }
            s *= 1.0 - hazard;
            let half = 0.05 + 0.01 * i as f64;
            points.push(StepPoint {
                time: (t * 10.0f64).round() / 10.0,
                estimate: s,
                lower: Some((s - half).max(0.0)),
                upper: Some((s + half).min(1.0)),
            });
        }
        StepSeries {
            name: name.to_string(),
            points,
            censored,
        }
    };
    StepChartData {
        title: "Time to first review".to_string(),
        x_label: "Days since referral".to_string(),
        y_label: "Still waiting for a review".to_string(),
        series: vec![curve("Adults", 0.12, 5), curve("Young people", 0.07, 9)],
        y_domain: Some((0.0, 1.0)),
        value_format: NumberFormat::fixed(2),
        time_format: NumberFormat::fixed(0),
        summary: "Young people wait longer for a first review than adults.".to_string(),
    }
}

pub fn funnel() -> FunnelChartData {
    let p0: f64 = 0.62;
    let limits: Vec<FunnelLimit> = (1..=60)
        .map(|i| {
            let n = i as f64 * 5.0;
            let se = (p0 * (1.0 - p0) / n).sqrt();
            FunnelLimit {
                denominator: n,
                lower_95: 100.0 * (p0 - 1.96 * se).max(0.0),
                upper_95: 100.0 * (p0 + 1.96 * se).min(1.0),
                lower_998: 100.0 * (p0 - 3.09 * se).max(0.0),
                upper_998: 100.0 * (p0 + 3.09 * se).min(1.0),
            }
        })
        .collect();
    let team = |label: &str, n: f64, v: f64, position: FunnelPosition| FunnelPoint {
        label: label.to_string(),
        denominator: n,
        value: v,
        position,
    };
    FunnelChartData {
        title: "Seen within 14 days, by coordinator".to_string(),
        x_label: "People referred".to_string(),
        y_label: "Seen within 14 days (%)".to_string(),
        unit_label: "Coordinator".to_string(),
        points: vec![
            team("A", 40.0, 65.0, FunnelPosition::Within),
            team("B", 120.0, 58.3, FunnelPosition::Within),
            team("C", 210.0, 72.4, FunnelPosition::Above998),
            team("D", 85.0, 49.4, FunnelPosition::Below95),
            team("E", 160.0, 61.9, FunnelPosition::Within),
            team("F", 25.0, 76.0, FunnelPosition::Within),
            team("G", 270.0, 55.2, FunnelPosition::Below95),
            team("H", 60.0, 60.0, FunnelPosition::Within),
        ],
        centre: 100.0 * p0,
        limits,
        value_format: NumberFormat::percent(1),
        summary: "Coordinator C sees people within 14 days more often than chance would explain."
            .to_string(),
    }
}

pub fn histogram() -> HistogramData {
    let counts = [
        Some(0),
        None,
        Some(9),
        Some(14),
        Some(22),
        Some(31),
        Some(27),
        Some(18),
        Some(11),
        None,
        Some(0),
        Some(0),
    ];
    HistogramData {
        title: "Goal Attainment Scaling T-scores".to_string(),
        x_label: "GAS T-score".to_string(),
        y_label: "People".to_string(),
        bins: counts
            .iter()
            .enumerate()
            .map(|(i, c)| HistogramBin {
                lower: 20.0 + 5.0 * i as f64,
                upper: 25.0 + 5.0 * i as f64,
                count: *c,
            })
            .collect(),
        reference_lines: vec![ReferenceLine {
            value: 50.0,
            label: "Goals met as expected".to_string(),
        }],
        value_format: NumberFormat::fixed(0),
        summary: "Most people's T-scores are between 40 and 55: goals were met about as expected."
            .to_string(),
    }
}
