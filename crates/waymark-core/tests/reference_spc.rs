//! The XmR chart against (1) NHSRplotthedots' published test expectations
//! (tests/reference/spc_nhsrplotthedots_fixtures.json, each item citing file and commit) and
//! (2) an independent pandas implementation of the Making Data Count rules
//! (tests/reference/spc_reference.py wrote tests/reference/spc_expected.json).

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use serde_json::Value;
use waymark_core::stats::spc::{
    xmr_chart, ImprovementDirection, SpcOptions, TwoInThreeRule, XmrChart,
};

#[derive(Deserialize)]
struct Expected {
    tools: Value,
    series: Vec<Series>,
}

#[derive(Deserialize)]
struct Series {
    name: String,
    values: Vec<f64>,
    options: Options,
    segments: Vec<Segment>,
    mean: Vec<f64>,
    upper_process_limit: Vec<f64>,
    lower_process_limit: Vec<f64>,
    upper_two_sigma: Vec<f64>,
    lower_two_sigma: Vec<f64>,
    moving_range: Vec<Option<f64>>,
    outside_limits: Vec<bool>,
    shift: Vec<bool>,
    trend: Vec<bool>,
    two_in_three: Vec<bool>,
    special_cause_side: Vec<Option<String>>,
    point_type: Vec<String>,
    variation_icon: String,
    assurance_icon: Option<String>,
    trial_limits: bool,
}

#[derive(Deserialize)]
struct Options {
    improvement: ImprovementDirection,
    target: Option<f64>,
    rebase_at: Vec<usize>,
    fix_after: Option<usize>,
    screen_moving_ranges: bool,
    two_in_three: TwoInThreeRule,
}

#[derive(Deserialize)]
struct Segment {
    n_points: usize,
    n_baseline_points: usize,
    mean: f64,
    mean_moving_range: f64,
    n_moving_ranges_screened_out: usize,
    upper_process_limit: f64,
    lower_process_limit: f64,
    trial_limits: bool,
}

/// The serialised (snake_case) name of an enum value, for comparing with the reference's strings.
fn name_of(value: impl serde::Serialize) -> Option<String> {
    match serde_json::to_value(value).expect("serialisable") {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn chart_for(series: &Series) -> XmrChart {
    let o = &series.options;
    let options = SpcOptions {
        improvement: o.improvement,
        target: o.target,
        rebase_at: o.rebase_at.clone(),
        fix_after: o.fix_after,
        screen_moving_ranges: o.screen_moving_ranges,
        two_in_three: o.two_in_three,
    };
    xmr_chart(&series.values, &options).expect("reference series are valid")
}

#[test]
fn xmr_chart_matches_the_independent_pandas_reference() {
    let expected: Expected =
        serde_json::from_str(include_str!("../../../tests/reference/spc_expected.json"))
            .expect("reference file parses");
    assert!(expected.tools.get("pandas").is_some());
    assert!(expected.series.len() >= 15);
    for series in &expected.series {
        let chart = chart_for(series);
        let name = &series.name;
        assert_eq!(chart.n_points, series.values.len(), "{name}");
        assert_eq!(chart.segments.len(), series.segments.len(), "{name}");
        for (got, want) in chart.segments.iter().zip(&series.segments) {
            assert_eq!(got.n_points, want.n_points, "{name}");
            assert_eq!(got.n_baseline_points, want.n_baseline_points, "{name}");
            assert_eq!(
                got.n_moving_ranges_screened_out, want.n_moving_ranges_screened_out,
                "{name}"
            );
            assert_eq!(got.trial_limits, want.trial_limits, "{name}");
            tolerance::assert_close(got.mean, want.mean, name);
            tolerance::assert_close(got.mean_moving_range, want.mean_moving_range, name);
            tolerance::assert_close(got.upper_process_limit, want.upper_process_limit, name);
            tolerance::assert_close(got.lower_process_limit, want.lower_process_limit, name);
        }
        for (i, p) in chart.points.iter().enumerate() {
            let at = format!("{name} point {i}");
            assert_eq!(p.idx, i, "{at}");
            tolerance::assert_close(p.mean, series.mean[i], &at);
            tolerance::assert_close(p.upper_process_limit, series.upper_process_limit[i], &at);
            tolerance::assert_close(p.lower_process_limit, series.lower_process_limit[i], &at);
            tolerance::assert_close(p.upper_two_sigma, series.upper_two_sigma[i], &at);
            tolerance::assert_close(p.lower_two_sigma, series.lower_two_sigma[i], &at);
            match (p.moving_range, series.moving_range[i]) {
                (Some(got), Some(want)) => tolerance::assert_close(got, want, &at),
                (got, want) => assert_eq!(got, want, "{at} moving range"),
            }
            assert_eq!(p.outside_limits, series.outside_limits[i], "{at} outside");
            assert_eq!(p.shift, series.shift[i], "{at} shift");
            assert_eq!(p.trend, series.trend[i], "{at} trend");
            assert_eq!(p.two_in_three, series.two_in_three[i], "{at} two in three");
            assert_eq!(
                p.special_cause_side.and_then(name_of),
                series.special_cause_side[i],
                "{at} side"
            );
            assert_eq!(
                name_of(p.point_type).as_ref(),
                Some(&series.point_type[i]),
                "{at}"
            );
        }
        assert_eq!(
            name_of(chart.variation_icon).as_ref(),
            Some(&series.variation_icon),
            "{name}"
        );
        assert_eq!(
            chart.assurance_icon.and_then(name_of),
            series.assurance_icon,
            "{name}"
        );
        assert_eq!(chart.trial_limits, series.trial_limits, "{name}");
    }
}

fn fixtures() -> Value {
    serde_json::from_str(include_str!(
        "../../../tests/reference/spc_nhsrplotthedots_fixtures.json"
    ))
    .expect("fixture file parses")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_str().expect("a string").to_string())
        .collect()
}

fn point_types(chart: &XmrChart) -> Vec<String> {
    chart
        .points
        .iter()
        .map(|p| name_of(p.point_type).expect("a name"))
        .collect()
}

#[test]
fn reproduces_nhsrplotthedots_integration_snapshots() {
    let fx = fixtures();
    let close = |got: f64, want: &Value, what: &str| {
        tolerance::assert_close(got, want.as_f64().expect("a number"), what)
    };

    let att = &fx["ae_all_attendances"];
    let chart = xmr_chart(&floats(&att["values"]), &SpcOptions::default()).expect("valid");
    let s = &chart.segments[0];
    close(s.mean, &att["mean"], "attendances mean");
    close(
        s.lower_process_limit,
        &att["lower_process_limit"],
        "attendances lpl",
    );
    close(
        s.upper_process_limit,
        &att["upper_process_limit"],
        "attendances upl",
    );
    assert_eq!(point_types(&chart), strings(&att["point_type"]));

    let reb = &fx["ae_all_attendances_rebase"];
    let options = SpcOptions {
        rebase_at: vec![12],
        ..SpcOptions::default()
    };
    let chart = xmr_chart(&floats(&reb["values"]), &options).expect("valid");
    assert_eq!(chart.segments.len(), 2);
    for (k, s) in chart.segments.iter().enumerate() {
        close(s.mean, &reb["segment_mean"][k], "rebase mean");
        close(
            s.lower_process_limit,
            &reb["segment_lower_process_limit"][k],
            "rebase lpl",
        );
        close(
            s.upper_process_limit,
            &reb["segment_upper_process_limit"][k],
            "rebase upl",
        );
    }
    assert_eq!(point_types(&chart), strings(&reb["point_type"]));

    let perf = &fx["ae_all_performance_fix12"];
    let options = SpcOptions {
        fix_after: Some(12),
        ..SpcOptions::default()
    };
    let chart = xmr_chart(&floats(&perf["values"]), &options).expect("valid");
    let s = &chart.segments[0];
    close(s.mean, &perf["mean"], "performance mean");
    close(
        s.lower_process_limit,
        &perf["lower_process_limit"],
        "performance lpl",
    );
    close(
        s.upper_process_limit,
        &perf["upper_process_limit"],
        "performance upl",
    );
    assert_eq!(point_types(&chart), strings(&perf["point_type"]));
}

#[test]
fn reproduces_nhsrplotthedots_unit_test_expectations() {
    let fx = fixtures();
    let rn = &fx["rnorm_seed_123"];
    let check = |chart: &XmrChart, want: &Value, what: &str| {
        let s = &chart.segments[0];
        for (got, key) in [
            (s.mean, "mean"),
            (s.lower_process_limit, "lower_process_limit"),
            (s.upper_process_limit, "upper_process_limit"),
        ] {
            let printed = want[key].as_f64().expect("a number");
            tolerance::assert_matches_printed(got, printed, &format!("{what} {key}"));
        }
    };
    let mut values = floats(&rn["values"]);
    let screened = SpcOptions::default();
    let unscreened = SpcOptions {
        screen_moving_ranges: false,
        ..SpcOptions::default()
    };
    check(
        &xmr_chart(&values, &screened).expect("valid"),
        &rn["screened"],
        "rnorm",
    );
    let at = rn["outlier_at"].as_u64().expect("an index") as usize;
    values[at] = rn["outlier_value"].as_f64().expect("a number");
    let with_screening = xmr_chart(&values, &screened).expect("valid");
    let without = xmr_chart(&values, &unscreened).expect("valid");
    check(&with_screening, &rn["outlier_screened"], "outlier screened");
    check(&without, &rn["outlier_unscreened"], "outlier unscreened");
    assert_eq!(with_screening.segments[0].n_moving_ranges_screened_out, 2);

    let opposite = &fx["two_in_three_opposite_sides"];
    let chart = xmr_chart(&floats(&opposite["values"]), &SpcOptions::default()).expect("valid");
    let types = point_types(&chart);
    assert_eq!(
        types[types.len() - 2..].to_vec(),
        strings(&opposite["last_two_point_types"])
    );
}
