//! Reading files of a folder under tests/fixtures the way a user hands them over, with the
//! measure catalogue and rules of the configuration in force.

use std::path::Path;
use waymark_core::config::Config;
use waymark_core::ingest::{ingest_with, IngestRules};
use waymark_core::{Dataset, InputFile, ValidationReport};

/// Ingests `files` of `tests/fixtures/<folder>` with `config`.
pub fn ingest_fixtures(
    folder: &str,
    files: &[&str],
    config: &Config,
) -> (Dataset, ValidationReport) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(folder);
    let bytes: Vec<Vec<u8>> = files
        .iter()
        .map(|f| {
            let path = dir.join(f);
            std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .zip(&bytes)
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(config));
    (ingested.dataset, ingested.report)
}
