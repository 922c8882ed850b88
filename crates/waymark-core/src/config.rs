//! The whole configuration a user can save and restore: how files are mapped, how the analysis
//! runs, and which measure definitions it uses. It holds settings only, never data.
//!
//! The same structure is read from TOML by the CLI (`--config`) and from JSON by the browser,
//! with unknown keys rejected so a typo is an error, not a silently ignored setting.

use crate::analysis::people::latest_date;
use crate::analysis::{analyse, Analysis, AnalysisConfig};
use crate::disclosure::Disclosure;
use crate::filter::{filter_people, PeopleFilter, PeriodError};
use crate::ingest::mapping::MappingConfig;
use crate::ingest::{IngestRules, Ingested, ValidationReport};
use crate::measures::{MeasureCatalogue, MeasureConfigError, MeasureOverride};
use crate::model::Dataset;
use crate::report::governance::GovernanceReport;
use crate::report::{Report, ReportSettings};
use crate::value::cost_avoidance::CostAvoidance;
use crate::value::{cost_avoidance, ValueConfig};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub mapping: MappingConfig,
    pub analysis: AnalysisConfig,
    /// Changes to the measure catalogue's defaults, and measures of the user's own.
    pub measures: Vec<MeasureOverride>,
    /// Cost avoidance: windows, unit costs, service costs, honesty settings, bootstrap.
    pub value: ValueConfig,
    /// Which people to analyse (a pathway, a team...); empty keeps everyone.
    pub filter: PeopleFilter,
    /// The report pack: service, provider, period, quotes, priorities (`[report]`).
    pub report: ReportSettings,
}

impl IngestRules {
    /// The rules of a whole configuration. When its measure overrides are invalid the shipped
    /// catalogue is used here; the pipeline refuses such a configuration with its errors
    /// ([`Config::validate`]).
    pub fn from_config(config: &Config) -> Self {
        IngestRules {
            measures: config
                .catalogue()
                .unwrap_or_else(|_| MeasureCatalogue::defaults()),
            event_kinds: config.analysis.event_kinds.clone(),
            priced_event_types: config
                .value
                .counted_event_types
                .iter()
                .chain(
                    config
                        .value
                        .unit_costs
                        .rows
                        .iter()
                        .map(|row| &row.event_type),
                )
                .cloned()
                .collect(),
        }
    }
}

/// The shipped catalogue and settings' rules.
impl Default for IngestRules {
    fn default() -> Self {
        IngestRules::from_config(&Config::default())
    }
}

impl Config {
    /// The measure catalogue in force: the defaults with the user's changes. Every problem is
    /// returned, each naming its measure and field.
    pub fn catalogue(&self) -> Result<MeasureCatalogue, Vec<MeasureConfigError>> {
        MeasureCatalogue::defaults().with_overrides(self.measures.clone())
    }

    /// Checks everything a run depends on and returns the measure catalogue in force. Every
    /// problem is returned, each saying what to change.
    pub fn validate(&self) -> Result<MeasureCatalogue, Vec<ConfigError>> {
        let period = self.filter.validate().map_err(ConfigError::Period);
        let value = self.value.check().map_err(ConfigError::Value);
        let values = self.mapping.check_values().and_then(|()| {
            self.catalogue().map_or(Ok(()), |catalogue| {
                self.mapping.values.check_measures(&catalogue)
            })
        });
        match (self.catalogue(), period, value, values) {
            (Ok(catalogue), Ok(()), Ok(()), Ok(())) => Ok(catalogue),
            (catalogue, period, value, values) => {
                let mut errors: Vec<ConfigError> = catalogue
                    .err()
                    .unwrap_or_default()
                    .into_iter()
                    .map(ConfigError::Measure)
                    .collect();
                errors.extend(period.err());
                errors.extend(value.err());
                errors.extend(
                    values
                        .err()
                        .unwrap_or_default()
                        .into_iter()
                        .map(ConfigError::ValueMapping),
                );
                Err(errors)
            }
        }
    }
}

/// A problem with the configuration that stops a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigError {
    /// A measure definition or override is not valid.
    Measure(MeasureConfigError),
    /// The filter's analysis period starts after it ends.
    Period(PeriodError),
    /// A value setting or unit cost cannot be used.
    Value(crate::value::ValueError),
    /// A value mapping names an event type Waymark does not know.
    ValueMapping(crate::ingest::value_map::ValueMappingError),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Measure(error) => error.fmt(f),
            ConfigError::Period(error) => write!(f, "filter: {error}"),
            ConfigError::Value(error) => write!(f, "value: {error}"),
            ConfigError::ValueMapping(error) => write!(f, "mapping: {}", error.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Everything one run produces: the analyses (person-level, for the app) and the report
/// (aggregates under disclosure control, for export).
pub struct Evidence {
    pub analysis: Option<Analysis>,
    /// Cost avoidance, or why it could not be computed (no events, no usable people...).
    pub value: Option<Result<CostAvoidance, String>>,
    /// Under disclosure control: what every export is made from.
    pub report: Report,
    /// The same report with exact counts, for the user's own screen only (the app's views
    /// outside presentation mode). Built by the same code, so the two differ only in how
    /// counts are shown.
    pub screen_report: Report,
    /// The governance pack under disclosure control (every export of it), and with exact
    /// counts for the app's own screen; `None` when there is nothing to analyse. Kept apart
    /// from the report so its schema is unchanged.
    pub governance: Option<GovernanceReport>,
    pub screen_governance: Option<GovernanceReport>,
}

/// Analyses ingested data and builds the report: the one pipeline the CLI, the wasm facade and
/// the app share. The analyses are absent (and the report says so) when there are no people.
pub fn analyse_and_report(
    ingested: Ingested,
    config: &Config,
) -> Result<Evidence, Vec<ConfigError>> {
    analyse_dataset(&ingested.dataset, ingested.report, config)
}

/// The pipeline on an already ingested dataset. The configuration's filter is applied first
/// ([`filtered`]), then [`analyse_filtered`].
pub fn analyse_dataset(
    dataset: &Dataset,
    validation: ValidationReport,
    config: &Config,
) -> Result<Evidence, Vec<ConfigError>> {
    analyse_filtered(&filtered(dataset, &config.filter), validation, config)
}

/// The people (and their rows) the filter keeps: the dataset itself when there is no filter.
pub fn filtered<'a>(dataset: &'a Dataset, filter: &PeopleFilter) -> Cow<'a, Dataset> {
    if filter.is_empty() {
        Cow::Borrowed(dataset)
    } else {
        Cow::Owned(filter_people(dataset, filter))
    }
}

/// The pipeline on data already narrowed by `config.filter` (the app keeps them, to answer
/// later questions on the same people without filtering again). The filter's period caps the
/// analysis date and sets the indicators' first month (see [`PeopleFilter`]).
pub fn analyse_filtered(
    data: &Dataset,
    validation: ValidationReport,
    config: &Config,
) -> Result<Evidence, Vec<ConfigError>> {
    let catalogue = config.validate()?;
    let period_to = config.filter.period_to;
    let analysis_config = AnalysisConfig {
        reference_date: match period_to {
            Some(to) => Some(
                config
                    .analysis
                    .reference_date
                    .or_else(|| latest_date(data))
                    .map_or(to, |date| date.min(to)),
            ),
            None => config.analysis.reference_date,
        },
        indicators_from: config.filter.period_from,
        ..config.analysis.clone()
    };
    let mut analysis = analyse(data, &analysis_config, &catalogue);
    if let Some(a) = analysis.as_mut() {
        crate::analysis::add_reviews_and_governance(
            data,
            &analysis_config,
            a,
            config.report.action_window_days,
        );
    }
    let value = analysis
        .as_ref()
        .map(|a| value_for(data, &config.value, &config.filter, a.reference_date));
    let build = |d| {
        Report::build(
            data,
            &validation,
            analysis.as_ref(),
            value.as_ref(),
            d,
            &config.report,
            &config.filter,
        )
    };
    let screen_report = build(Disclosure::Exact);
    let report = build(Disclosure::Controlled);
    let governance = |d| {
        analysis
            .as_ref()
            .and_then(|a| GovernanceReport::build(a, d))
    };
    Ok(Evidence {
        governance: governance(Disclosure::Controlled),
        screen_governance: governance(Disclosure::Exact),
        analysis,
        value,
        report,
        screen_report,
    })
}

/// Cost avoidance on filtered data with these value settings: their analysis date, else the
/// analysis's, capped at the filter's period end. The pipeline's figure (a change of value
/// settings in the app re-runs the whole pipeline, so every view follows it).
pub fn value_for(
    data: &Dataset,
    settings: &ValueConfig,
    filter: &PeopleFilter,
    analysis_date: NaiveDate,
) -> Result<CostAvoidance, String> {
    let date = settings.reference_date.unwrap_or(analysis_date);
    let settings = ValueConfig {
        reference_date: Some(filter.period_to.map_or(date, |to| date.min(to))),
        ..settings.clone()
    };
    cost_avoidance(data, &settings).map_err(|err| err.to_string())
}
