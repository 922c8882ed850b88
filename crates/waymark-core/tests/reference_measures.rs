//! The measure catalogue's thresholds and the NHS Talking Therapies classification against
//! numpy 2.2.6 and pandas 2.3.3 (tests/reference/measures_reference.py wrote
//! tests/reference/measures_expected.json).

#[path = "common/tolerance.rs"]
mod tolerance;

use serde::Deserialize;
use waymark_core::measures::{
    talking_therapies_outcome, MeasureCatalogue, MeasureOverride, SdOrigin, ThresholdBasis,
    ThresholdRule,
};

#[derive(Deserialize)]
struct Expected {
    jacobson_truax_grid: Vec<GridPoint>,
    default_thresholds: Vec<DefaultThreshold>,
    local_sd: Vec<LocalSample>,
    core10_criterion_c: f64,
    talking_therapies_columns: Vec<String>,
    talking_therapies: Vec<[u8; 9]>,
}

#[derive(Deserialize)]
struct GridPoint {
    sd: f64,
    reliability: f64,
    threshold: f64,
}

#[derive(Deserialize)]
struct DefaultThreshold {
    measure: String,
    method: String,
    threshold: f64,
}

#[derive(Deserialize)]
struct LocalSample {
    name: String,
    measure: String,
    scores: Vec<f64>,
    sd: f64,
    method: String,
    threshold: f64,
}

fn expected() -> Expected {
    serde_json::from_str(include_str!(
        "../../../tests/reference/measures_expected.json"
    ))
    .expect("reference file parses")
}

fn method_name(basis: &ThresholdBasis) -> &'static str {
    match basis {
        ThresholdBasis::Published { .. } => "published",
        ThresholdBasis::JacobsonTruax { .. } => "jacobson_truax",
        ThresholdBasis::HalfSd { .. } => "half_sd",
    }
}

/// Every grid point is run through the catalogue itself: a user-added measure with that SD
/// and reliability and a Jacobson–Truax rule.
#[test]
fn jacobson_truax_thresholds_match_numpy_over_a_grid() {
    let expected = expected();
    assert!(expected.jacobson_truax_grid.len() >= 60);
    for point in &expected.jacobson_truax_grid {
        let catalogue = MeasureCatalogue::defaults()
            .with_overrides(vec![MeasureOverride {
                measure: "Grid scale".into(),
                min: Some(0.0),
                max: Some(100.0),
                direction: Some(waymark_core::stats::change::Direction::LowerIsBetter),
                sd: Some(point.sd),
                reliability: Some(point.reliability),
                reliable_change: Some(ThresholdRule::JacobsonTruax),
                ..MeasureOverride::default()
            }])
            .expect("valid grid measure");
        let (threshold, basis) = catalogue
            .lookup("grid scale")
            .and_then(|m| m.effective_threshold())
            .expect("threshold");
        let what = format!("sd {} r {}", point.sd, point.reliability);
        tolerance::assert_close(threshold, point.threshold, &what);
        assert_eq!(
            basis,
            ThresholdBasis::JacobsonTruax {
                sd: point.sd,
                reliability: point.reliability,
                sd_origin: SdOrigin::Catalogue
            }
        );
    }
}

#[test]
fn default_thresholds_match_the_reference() {
    let expected = expected();
    let catalogue = MeasureCatalogue::defaults();
    assert_eq!(expected.default_thresholds.len(), 8);
    for case in &expected.default_thresholds {
        let (threshold, basis) = catalogue
            .lookup(&case.measure)
            .and_then(|m| m.effective_threshold())
            .unwrap_or_else(|| panic!("{} has a threshold", case.measure));
        tolerance::assert_close(threshold, case.threshold, &case.measure);
        assert_eq!(method_name(&basis), case.method, "{}", case.measure);
    }
}

#[test]
fn local_baseline_sd_thresholds_match_numpy() {
    let expected = expected();
    let catalogue = MeasureCatalogue::defaults();
    for sample in &expected.local_sd {
        let measure = catalogue.lookup(&sample.measure).expect("default measure");
        let (threshold, basis) = measure
            .local_sd_threshold(&sample.scores)
            .unwrap_or_else(|| panic!("{}: at least 30 scores", sample.name));
        tolerance::assert_close(threshold, sample.threshold, &sample.name);
        assert_eq!(method_name(&basis), sample.method, "{}", sample.name);
        let sd = match &basis {
            ThresholdBasis::JacobsonTruax { sd, sd_origin, .. }
            | ThresholdBasis::HalfSd { sd, sd_origin } => {
                assert_eq!(
                    *sd_origin,
                    SdOrigin::LocalBaseline {
                        n_baseline: sample.scores.len()
                    }
                );
                *sd
            }
            ThresholdBasis::Published { .. } => f64::NAN,
        };
        tolerance::assert_close(sd, sample.sd, &sample.name);
    }
}

#[test]
fn core10_criterion_c_matches_the_reference() {
    let c = MeasureCatalogue::defaults()
        .lookup("CORE-10")
        .and_then(|m| m.norms.as_ref())
        .and_then(|norms| norms.criterion_c())
        .expect("CORE-10 has norms");
    tolerance::assert_close(c, expected().core10_criterion_c, "CORE-10 criterion c");
}

#[test]
fn talking_therapies_classification_matches_pandas() {
    let expected = expected();
    assert_eq!(
        expected.talking_therapies_columns,
        [
            "phq_first",
            "phq_last",
            "gad_first",
            "gad_last",
            "at_caseness",
            "recovered",
            "reliable_improvement",
            "reliable_deterioration",
            "reliable_recovery"
        ]
    );
    assert!(expected.talking_therapies.len() > 5000);
    for row in &expected.talking_therapies {
        let [phq_first, phq_last, gad_first, gad_last, caseness, recovered, improved, deteriorated, reliably_recovered] =
            *row;
        let outcome = talking_therapies_outcome(
            f64::from(phq_first),
            f64::from(phq_last),
            f64::from(gad_first),
            f64::from(gad_last),
        )
        .expect("scores in range");
        let actual = [
            outcome.at_caseness,
            outcome.recovered,
            outcome.reliable_improvement,
            outcome.reliable_deterioration,
            outcome.reliable_recovery,
        ];
        let wanted = [
            caseness == 1,
            recovered == 1,
            improved == 1,
            deteriorated == 1,
            reliably_recovered == 1,
        ];
        assert_eq!(actual, wanted, "row {row:?}");
    }
}
