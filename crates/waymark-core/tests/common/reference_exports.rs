//! Shared by the reference tests that read committed CSV exports under tests/reference/:
//! the files themselves, read into the engine, and the published thresholds both the engine
//! and the Python references use.

use waymark_core::measures::{CasenessRule, MeasureCatalogue, MeasureOverride, ThresholdRule};
use waymark_core::{ingest, Ingested, InputFile, MappingConfig};

/// The six CSV files of one export folder under tests/reference/, as (name, text).
#[macro_export]
macro_rules! export {
    ($folder:literal) => {
        [
            (
                "people.csv",
                include_str!(concat!("../../../tests/reference/", $folder, "/people.csv")),
            ),
            (
                "outcomes.csv",
                include_str!(concat!(
                    "../../../tests/reference/",
                    $folder,
                    "/outcomes.csv"
                )),
            ),
            (
                "events.csv",
                include_str!(concat!("../../../tests/reference/", $folder, "/events.csv")),
            ),
            (
                "goals.csv",
                include_str!(concat!("../../../tests/reference/", $folder, "/goals.csv")),
            ),
            (
                "status.csv",
                include_str!(concat!("../../../tests/reference/", $folder, "/status.csv")),
            ),
            (
                "feedback.csv",
                include_str!(concat!(
                    "../../../tests/reference/",
                    $folder,
                    "/feedback.csv"
                )),
            ),
        ]
    };
}

/// Reads one export with the default mapping.
pub fn ingest_export(files: &[(&str, &str)]) -> Ingested {
    let files: Vec<InputFile> = files
        .iter()
        .map(|(name, csv)| InputFile {
            name,
            bytes: csv.as_bytes(),
        })
        .collect();
    ingest(&files, &MappingConfig::default())
}

/// Published reliable-change thresholds and caseness cut-offs, given as overrides (the same
/// path a user takes): PHQ-9 6 (caseness >= 10), WEMWBS 8 (case <= 40), CORE-10 6
/// (caseness >= 11).
pub fn catalogue() -> MeasureCatalogue {
    let published = |measure: &str, value: f64, cutoff: f64, rule: CasenessRule| MeasureOverride {
        measure: measure.into(),
        source: Some("reference test thresholds".into()),
        reliable_change: Some(ThresholdRule::Published { value }),
        caseness_cutoff: Some(cutoff),
        caseness_rule: Some(rule),
        ..MeasureOverride::default()
    };
    MeasureCatalogue::defaults()
        .with_overrides(vec![
            published("PHQ-9", 6.0, 10.0, CasenessRule::AtOrAbove),
            published("WEMWBS", 8.0, 40.0, CasenessRule::AtOrBelow),
            published("CORE-10", 6.0, 11.0, CasenessRule::AtOrAbove),
        ])
        .expect("valid overrides")
}
