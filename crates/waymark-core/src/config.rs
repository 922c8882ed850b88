//! The whole configuration a user can save and restore: how files are mapped, how the analysis
//! runs, and which measure definitions it uses. It holds settings only, never data.
//!
//! The same structure is read from TOML by the CLI (`--config`) and from JSON by the browser,
//! with unknown keys rejected so a typo is an error, not a silently ignored setting.

use crate::analysis::AnalysisConfig;
use crate::ingest::mapping::MappingConfig;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub mapping: MappingConfig,
    pub analysis: AnalysisConfig,
}
