//! The whole configuration a user can save and restore: how files are mapped, how the analysis
//! runs, and which measure definitions it uses. It holds settings only, never data.
//!
//! The same structure is read from TOML by the CLI (`--config`) and from JSON by the browser,
//! with unknown keys rejected so a typo is an error, not a silently ignored setting.

use crate::analysis::{analyse, Analysis, AnalysisConfig};
use crate::ingest::mapping::MappingConfig;
use crate::ingest::Ingested;
use crate::measures::{MeasureCatalogue, MeasureConfigError, MeasureOverride};
use crate::report::Report;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub mapping: MappingConfig,
    pub analysis: AnalysisConfig,
    /// Changes to the measure catalogue's defaults, and measures of the user's own.
    pub measures: Vec<MeasureOverride>,
}

impl Config {
    /// The measure catalogue in force: the defaults with the user's changes. Every problem is
    /// returned, each naming its measure and field.
    pub fn catalogue(&self) -> Result<MeasureCatalogue, Vec<MeasureConfigError>> {
        MeasureCatalogue::defaults().with_overrides(self.measures.clone())
    }
}

/// Analyses ingested data and builds the report: the one pipeline the CLI, the wasm facade and
/// the app share. The analysis is `None` (and the report says so) when there are no people.
pub fn analyse_and_report(
    ingested: Ingested,
    config: &Config,
) -> Result<(Option<Analysis>, Report), Vec<MeasureConfigError>> {
    let catalogue = config.catalogue()?;
    let analysis = analyse(&ingested.dataset, &config.analysis, &catalogue);
    let report = Report::build(&ingested.dataset, ingested.report, analysis.as_ref());
    Ok((analysis, report))
}
