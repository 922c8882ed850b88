use super::catalogue::{name_clashes, validate};
use super::*;

fn catalogue() -> MeasureCatalogue {
    MeasureCatalogue::defaults()
}

fn threshold(name: &str) -> f64 {
    catalogue()
        .lookup(name)
        .and_then(MeasureDefinition::effective_threshold)
        .map_or(f64::NAN, |(t, _)| t)
}

#[test]
fn defaults_pass_their_own_validation() {
    let defaults = catalogue();
    for measure in defaults.measures() {
        assert_eq!(validate(measure), Vec::new(), "{}", measure.key);
    }
    assert!(name_clashes(defaults.measures()).is_empty());
    assert_eq!(defaults.measures().len(), 20);
}

#[test]
fn lookup_ignores_case_spacing_and_punctuation() {
    let c = catalogue();
    for spelling in [
        "PHQ-9",
        "phq9",
        "PHQ 9",
        "Patient Health Questionnaire",
        " phq_9 ",
    ] {
        assert_eq!(c.lookup(spelling).map(|m| m.key.as_str()), Some("PHQ-9"));
    }
    assert_eq!(c.lookup("gad-7").map(|m| m.key.as_str()), Some("GAD-7"));
    assert_eq!(
        c.lookup("S-WEMWBS").map(|m| m.key.as_str()),
        Some("SWEMWBS")
    );
    assert_eq!(c.lookup("wemwbs").map(|m| m.key.as_str()), Some("WEMWBS"));
    assert_eq!(
        c.lookup("recovery-star").map(|m| m.key.as_str()),
        Some("Recovery Star")
    );
    assert!(c.lookup("HoNOS").is_none());
    assert!(c.lookup("--").is_none());
}

/// Hand-worked: CORE-10 is the published 6 (Barkham et al. 2013); CORE-OM
/// 1.96·7.5·√0.12 = 5.0922; WEMWBS 1.96·8.79·√0.22 = 8.0808; DIALOG 0.5·1.1 = 0.55.
#[test]
fn effective_thresholds_worked_by_hand() {
    assert_eq!(threshold("PHQ-9"), 6.0);
    assert_eq!(threshold("GAD-7"), 4.0);
    assert_eq!(threshold("CORE-10"), 6.0);
    assert!((threshold("CORE-OM") - 5.092_2).abs() < 1e-4);
    assert!((threshold("WEMWBS") - 8.080_8).abs() < 1e-4);
    assert!((threshold("DIALOG") - 0.55).abs() < 1e-12);
    assert_eq!(threshold("SWEMWBS"), 2.87);
    assert_eq!(threshold("GBO"), 2.45);
    assert!(catalogue()
        .lookup("ReQoL-10")
        .and_then(MeasureDefinition::effective_threshold)
        .is_none());
}

#[test]
fn effective_threshold_reports_its_basis() {
    // CORE-10 by default: the published reliable change index, with its source.
    let c = catalogue();
    let (value, basis) = c
        .lookup("CORE-10")
        .and_then(MeasureDefinition::effective_threshold)
        .expect("CORE-10 has a threshold");
    assert_eq!(value, 6.0);
    assert_eq!(
        basis,
        ThresholdBasis::Published {
            value: 6.0,
            source: "Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13: reliable change index of 6 points".into()
        }
    );
}

/// The Jacobson & Truax value stays available as an option. Hand-worked:
/// 1.96·7.7·√(2·(1 − 0.90)) = 1.96·7.7·0.4472136 = 6.7493.
#[test]
fn core10_jacobson_truax_is_an_option() {
    let c = catalogue()
        .with_overrides(vec![MeasureOverride {
            measure: "CORE-10".into(),
            reliable_change: Some(ThresholdRule::JacobsonTruax),
            ..MeasureOverride::default()
        }])
        .expect("valid");
    let (value, basis) = c
        .lookup("CORE-10")
        .and_then(MeasureDefinition::effective_threshold)
        .expect("threshold");
    assert!((value - 6.749_3).abs() < 1e-4);
    assert_eq!(
        basis,
        ThresholdBasis::JacobsonTruax {
            sd: 7.7,
            reliability: 0.9,
            sd_origin: SdOrigin::Catalogue
        }
    );
}

/// 30 scores 0, 1, ..., 29: sample SD = √(30·31/12) = 8.803408; with r = 0.85 (ReQoL-10)
/// the threshold is 1.96·8.803408·√0.3 = 9.450778 (checked with numpy 2.2.6, ddof = 1);
/// Recovery Star (no r) gives the half SD, 4.401704.
#[test]
fn local_sd_threshold_needs_thirty_scores() {
    let c = catalogue();
    let scores: Vec<f64> = (0..30).map(f64::from).collect();
    let reqol = c.lookup("ReQoL-10").expect("default");
    let (t, basis) = reqol.local_sd_threshold(&scores).expect("30 scores");
    assert!((t - 9.450_778).abs() < 1e-6, "{t}");
    assert!(matches!(
        basis,
        ThresholdBasis::JacobsonTruax {
            sd_origin: SdOrigin::LocalBaseline { n_baseline: 30 },
            ..
        }
    ));
    assert!(reqol.local_sd_threshold(&scores[..29]).is_none());
    let mut with_gaps = scores.clone();
    with_gaps.push(f64::NAN);
    assert_eq!(
        reqol.local_sd_threshold(&with_gaps).map(|(t, _)| t),
        Some(t)
    );
    let star = c.lookup("Recovery Star").expect("default");
    let (half, _) = star.local_sd_threshold(&scores).expect("30 scores");
    assert!((half - 4.401_704).abs() < 1e-6);
    assert!(star.local_sd_threshold(&[5.0; 40]).is_none());
}

#[test]
fn swemwbs_conversion_is_monotonic_and_matches_the_table_end_points() {
    let c = catalogue();
    let swemwbs = c.lookup("SWEMWBS").expect("default");
    assert_eq!(swemwbs.score(7.0), Some(7.0));
    assert_eq!(swemwbs.score(35.0), Some(35.0));
    assert_eq!(swemwbs.score(8.0), Some(9.51));
    assert_eq!(swemwbs.score(34.0), Some(32.55));
    let converted: Vec<f64> = (7..=35)
        .map(|raw| swemwbs.score(f64::from(raw)).unwrap_or(f64::NAN))
        .collect();
    assert_eq!(converted.len(), 29);
    assert!(converted.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(swemwbs.score(6.0), None);
    assert_eq!(swemwbs.score(36.0), None);
    assert_eq!(swemwbs.score(20.5), None);
    assert_eq!(swemwbs.score(f64::NAN), None);
    assert_eq!(c.lookup("PHQ-9").and_then(|m| m.score(12.0)), Some(12.0));
    assert_eq!(c.lookup("PHQ-9").and_then(|m| m.score(28.0)), None);
}

#[test]
fn caseness_rules_follow_each_measure() {
    let c = catalogue();
    let case = |name: &str, score: f64| c.lookup(name).and_then(|m| m.is_case(score));
    assert_eq!(case("PHQ-9", 10.0), Some(true));
    assert_eq!(case("PHQ-9", 9.0), Some(false));
    assert_eq!(case("GAD-7", 8.0), Some(true));
    assert_eq!(case("CORE-10", 10.0), Some(false));
    assert_eq!(case("WEMWBS", 40.0), Some(true));
    assert_eq!(case("WEMWBS", 41.0), Some(false));
    assert_eq!(case("ReQoL-10", 23.0), Some(true));
    assert_eq!(case("ReQoL-10", 24.0), Some(false));
    assert_eq!(case("DIALOG", 2.0), None);
}

/// CORE-10 manual norms: c = (7.7·4.7 + 4.8·19.7)/(7.7 + 4.8) = 130.75/12.5 = 10.46.
#[test]
fn core10_criterion_c_sits_just_below_the_cut_off() {
    let c = catalogue()
        .lookup("CORE-10")
        .and_then(|m| m.norms.as_ref())
        .and_then(CriterionNorms::criterion_c)
        .unwrap_or(f64::NAN);
    assert!((c - 10.46).abs() < 1e-12);
}

/// Worked cases of the NHS Talking Therapies definitions.
#[test]
fn talking_therapies_hand_worked_cases() {
    let outcome = |a, b, c, d| talking_therapies_outcome(a, b, c, d).expect("in range");
    // PHQ 15 -> 8 (-7, reliable), GAD 12 -> 7 (-5, reliable): reliable recovery.
    let o = outcome(15.0, 8.0, 12.0, 7.0);
    assert!(o.at_caseness && o.recovered && o.reliable_improvement && o.reliable_recovery);
    assert!(!o.reliable_deterioration);
    // PHQ 11 -> 9 (-2), GAD 6 -> 5: recovered but not reliably.
    let o = outcome(11.0, 9.0, 6.0, 5.0);
    assert!(o.recovered && !o.reliable_improvement && !o.reliable_recovery);
    // PHQ 20 -> 12 (-8) but GAD 5 -> 9 (+4): mixed, neither improvement nor deterioration.
    let o = outcome(20.0, 12.0, 5.0, 9.0);
    assert!(!o.reliable_improvement && !o.reliable_deterioration && !o.recovered);
    // Below caseness first: PHQ 6 -> 0 reliable improvement but cannot recover.
    let o = outcome(6.0, 0.0, 3.0, 2.0);
    assert!(!o.at_caseness && o.reliable_improvement && !o.recovered);
    // GAD 7 -> 11 (+4) with PHQ steady: reliable deterioration into caseness.
    let o = outcome(4.0, 5.0, 7.0, 11.0);
    assert!(o.reliable_deterioration && !o.reliable_improvement && !o.at_caseness);
    // Exactly on the thresholds: PHQ 10 -> 4 (-6) counts; GAD 8 -> 4 (-4) counts.
    let o = outcome(10.0, 4.0, 8.0, 4.0);
    assert!(o.reliable_recovery);
    // Out-of-range or missing scores.
    assert!(talking_therapies_outcome(28.0, 4.0, 8.0, 4.0).is_none());
    assert!(talking_therapies_outcome(10.0, 4.0, 22.0, 4.0).is_none());
    assert!(talking_therapies_outcome(f64::NAN, 4.0, 8.0, 4.0).is_none());
    assert!(talking_therapies_outcome(-1.0, 4.0, 8.0, 4.0).is_none());
}

#[test]
fn overrides_change_values_and_record_their_source() {
    let c = catalogue()
        .with_overrides(vec![MeasureOverride {
            measure: "core 10".into(),
            source: Some("Trust audit 2023".into()),
            sd: Some(10.0),
            reliability: Some(0.8),
            reliable_change: Some(ThresholdRule::JacobsonTruax),
            ..MeasureOverride::default()
        }])
        .expect("valid");
    let core10 = c.lookup("CORE-10").expect("still there");
    let (t, _) = core10.effective_threshold().expect("threshold");
    // 1.96·10·√0.4 = 12.396128 (Jacobson & Truax, recomputed from the new inputs).
    assert!((t - 12.396_128_427_860_045).abs() < 1e-12);
    assert_eq!(
        core10.sd.as_ref().map(|sd| sd.source.as_str()),
        Some("user configuration: Trust audit 2023")
    );
    assert_eq!(
        core10.reliability.as_ref().map(|r| r.kind),
        Some(ReliabilityKind::Alpha)
    );
    assert_eq!(
        core10.origin,
        MeasureOrigin::Overridden {
            fields: vec!["sd".into(), "reliability".into(), "reliable_change".into()]
        }
    );
}

#[test]
fn a_user_can_add_a_measure() {
    let c = catalogue()
        .with_overrides(vec![MeasureOverride {
            measure: "HoNOS".into(),
            aliases: vec!["Health of the Nation Outcome Scales".into()],
            min: Some(0.0),
            max: Some(48.0),
            direction: Some(Direction::LowerIsBetter),
            reliable_change: Some(ThresholdRule::Published { value: 8.0 }),
            estimate: Some(true),
            ..MeasureOverride::default()
        }])
        .expect("valid");
    let honos = c
        .lookup("health of the nation outcome scales")
        .expect("added");
    assert_eq!(honos.origin, MeasureOrigin::UserAdded);
    assert_eq!(honos.effective_threshold().map(|(t, _)| t), Some(8.0));
    assert_eq!(
        honos.reliable_change.as_ref().map(|s| s.estimate),
        Some(true)
    );
}

#[test]
fn invalid_overrides_name_the_measure_and_field() {
    let errors = catalogue()
        .with_overrides(vec![
            MeasureOverride {
                measure: "PHQ9".into(),
                reliability: Some(1.0),
                sd: Some(0.0),
                ..MeasureOverride::default()
            },
            MeasureOverride {
                measure: "My scale".into(),
                min: Some(10.0),
                max: Some(5.0),
                direction: Some(Direction::HigherIsBetter),
                ..MeasureOverride::default()
            },
            MeasureOverride {
                measure: "Half done".into(),
                min: Some(0.0),
                ..MeasureOverride::default()
            },
            MeasureOverride {
                measure: "Other".into(),
                min: Some(0.0),
                max: Some(5.0),
                direction: Some(Direction::HigherIsBetter),
                aliases: vec!["gad 7".into()],
                reliable_change: Some(ThresholdRule::JacobsonTruax),
                ..MeasureOverride::default()
            },
        ])
        .expect_err("invalid");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.measure.as_str(), e.field.as_str()))
        .collect();
    for expected in [
        ("PHQ-9", "sd"),
        ("PHQ-9", "reliability"),
        ("My scale", "min"),
        ("Half done", "max"),
        ("Half done", "direction"),
        ("Other", "reliable_change"),
        ("Other", "aliases"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    let message = errors
        .iter()
        .find(|e| e.field == "reliability")
        .map(ToString::to_string)
        .unwrap_or_default();
    assert_eq!(
        message,
        "measure `PHQ-9`, field `reliability`: must be at least 0 and below 1, found 1"
    );
}

#[test]
fn overrides_parse_from_json_and_reject_unknown_fields() {
    let json = r#"[{"measure": "SWEMWBS", "conversion": {"kind": "identity"},
                    "reliable_change": {"method": "half_sd"}, "sd": 4.0}]"#;
    let user: Vec<MeasureOverride> = serde_json::from_str(json).expect("parses");
    let c = catalogue().with_overrides(user).expect("valid");
    let swemwbs = c.lookup("swemwbs").expect("present");
    assert_eq!(swemwbs.score(20.0), Some(20.0));
    assert_eq!(swemwbs.effective_threshold().map(|(t, _)| t), Some(2.0));
    let typo = r#"[{"measure": "PHQ-9", "reliabilty": 0.8}]"#;
    assert!(serde_json::from_str::<Vec<MeasureOverride>>(typo).is_err());
    let bad_rule = r#"{"method": "published", "value": 5, "extra": 1}"#;
    assert!(serde_json::from_str::<ThresholdRule>(bad_rule).is_err());
}

#[test]
fn the_catalogue_serialises_every_value_with_its_source() {
    let json = serde_json::to_value(catalogue()).expect("serialises");
    let measures = json["measures"].as_array().expect("array");
    let phq9 = &measures[0];
    assert_eq!(phq9["key"], "PHQ-9");
    assert_eq!(phq9["reliable_change"]["rule"]["method"], "published");
    assert_eq!(phq9["reliable_change"]["rule"]["value"], 6.0);
    assert_eq!(phq9["reliability"]["estimate"], true);
    assert_eq!(phq9["direction"], "lower_is_better");
    assert_eq!(phq9["origin"]["kind"], "default");
    for measure in measures {
        assert!(measure["scale_source"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
    }
    // A definition round-trips through its own serialised form.
    let definition: MeasureDefinition =
        serde_json::from_value(measures[5].clone()).expect("round trip");
    assert_eq!(Some(&definition), catalogue().lookup("SWEMWBS"));
}
