//! Mann–Kendall and Theil–Sen against pymannkendall 1.4.3 and scipy 1.14.1
//! (tests/reference/trend_reference.py wrote tests/reference/trend_expected.json).

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use waymark_core::stats::trend::{mann_kendall, theil_sen};

#[derive(Deserialize)]
struct Expected {
    series: Vec<Series>,
}

#[derive(Deserialize)]
struct Series {
    name: String,
    times: Vec<f64>,
    values: Vec<f64>,
    s: f64,
    var_s: f64,
    z: f64,
    p: f64,
    tau: f64,
    theil_sen_slope: f64,
    theil_sen_intercept: f64,
}

#[test]
fn mann_kendall_and_theil_sen_match_the_reference_tools() {
    let expected: Expected =
        serde_json::from_str(include_str!("../../../tests/reference/trend_expected.json"))
            .expect("reference file parses");
    assert!(expected.series.len() >= 6);
    for series in &expected.series {
        let mk = mann_kendall(&series.values).expect("at least three values");
        let name = &series.name;
        tolerance::assert_close(mk.s, series.s, name);
        tolerance::assert_close(mk.var_s, series.var_s, name);
        tolerance::assert_close(mk.z, series.z, name);
        tolerance::assert_close(mk.p_value, series.p, name);
        tolerance::assert_close(mk.tau, series.tau, name);
        let ts = theil_sen(&series.times, &series.values).expect("distinct times");
        tolerance::assert_close(ts.slope, series.theil_sen_slope, name);
        tolerance::assert_close(ts.intercept, series.theil_sen_intercept, name);
    }
}

#[test]
fn too_short_or_timeless_series_have_no_statistic() {
    assert!(mann_kendall(&[1.0, 2.0]).is_none());
    assert!(theil_sen(&[3.0, 3.0], &[1.0, 2.0]).is_none());
}

/// pymannkendall's own published test: `test_original_test` on the Bogra column of its
/// "Monthly Rainfall.csv" (353 months), expected values as printed in that test.
#[test]
fn mann_kendall_matches_pymannkendalls_published_test() {
    #[derive(Deserialize)]
    struct Published {
        values: Vec<f64>,
        expected: PublishedExpected,
    }
    #[derive(Deserialize)]
    struct PublishedExpected {
        s: f64,
        var_s: f64,
        z: f64,
        p: f64,
        tau: f64,
        sen_slope: f64,
    }
    let fixture: Published = serde_json::from_str(include_str!(
        "../../../tests/reference/pymannkendall_published_fixture.json"
    ))
    .expect("fixture parses");
    assert_eq!(fixture.values.len(), 353);
    let mk = mann_kendall(&fixture.values).expect("enough values");
    let e = &fixture.expected;
    tolerance::assert_close(mk.s, e.s, "S");
    tolerance::assert_close(mk.var_s, e.var_s, "Var(S)");
    tolerance::assert_close(mk.z, e.z, "Z");
    tolerance::assert_close(mk.p_value, e.p, "p");
    tolerance::assert_close(mk.tau, e.tau, "tau");
    let times: Vec<f64> = (0..fixture.values.len()).map(|i| i as f64).collect();
    let ts = theil_sen(&times, &fixture.values).expect("distinct times");
    tolerance::assert_close(ts.slope, e.sen_slope, "Sen slope");
}
