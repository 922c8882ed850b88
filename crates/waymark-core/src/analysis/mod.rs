//! The analysis: every engine run on one dataset, each a module of its own.
//!
//! [`analyse`] reads a [`Dataset`] once and returns an [`Analysis`]: person-level results (for the
//! user's own eyes in the app) and service-level aggregates (what the report exports, after
//! disclosure control).
//!
//! | engine | question | report section | app view |
//! |---|---|---|---|
//! | [`direction`] (direction of travel) | what changed for each person, and is the service as a whole becoming more stable? | `direction_of_travel` | Direction of travel (and Goals, Narrative) |
//! | [`pathways`] (pathway comparison) | which care pathway does best, for whom, and how sure can we be? | `pathways` | Pathways |
//! | [`actions`] (reviews leading to action; run after [`analyse`], see [`add_reviews_and_governance`]) | did setbacks, escalations and engagement dips lead to a plan adjustment? | in the pack | Governance |
//! | [`governance`] (likewise) | the figures above by team and by care coordinator | the governance pack | Governance |
//!
//! Cost avoidance is the value engine (`crate::value`), run beside this one on the same data.
//! Two modules serve every engine: [`people`] (the person index: each table's rows by person)
//! and [`vocabulary`] (what each event-type and status label means).
//!
//! Rows whose person is not in the people table are left out of every analysis (validation
//! already reported them): without a start date there is no exposure to divide by.

pub mod actions;
pub mod direction;
pub mod governance;
pub mod pathways;
pub mod people;
pub mod vocabulary;

use direction::{goals, narrative, outcomes, service, stability};

use crate::measures::MeasureCatalogue;
use crate::model::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::model::event_kinds::{fold_event_type, EventKind, EventKinds};
pub use people::PersonIndex;

/// Settings for the direction-of-travel analysis. Every field has a documented default, so a
/// config file only names what it changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisConfig {
    /// The date the analysis treats as "today" (the data's extraction date). When absent, the
    /// latest date found in the data is used; the clock is never read.
    pub reference_date: Option<NaiveDate>,
    /// Which event types count as each service indicator (compared after folding case and
    /// punctuation, so "Crisis contact" matches `crisis_contact`).
    pub event_kinds: EventKinds,
    /// Status values that count as settled housing and as engaged.
    pub settled_housing: Vec<String>,
    pub engaged: Vec<String>,
    /// Length of the stability windows compared by the early-warning rule.
    pub stability_window_days: u32,
    /// Days of grace after a review's due date before it counts as late.
    pub review_grace_days: u32,
    /// Months with fewer person-months in service than this are left off SPC charts (a rate over
    /// a handful of people swings wildly and would raise false special causes).
    pub min_person_months: f64,
    /// How the XmR charts of the service indicators are drawn.
    pub spc: SpcSettings,
    /// How care pathways are compared.
    pub pathways: pathways::PathwayConfig,
    /// The first month of the monthly service indicators (any day of it); when absent, the
    /// month of the earliest start date. Not a setting of its own: the pipeline sets it from
    /// the filter's `period_from`, which is where it is saved, so it is never (de)serialised.
    #[serde(skip)]
    pub indicators_from: Option<NaiveDate>,
}

/// Settings for the service indicators' XmR charts (NHS England, Making Data Count).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpcSettings {
    /// Screen moving ranges of 3.267 × their mean or more before computing limits
    /// (NHSRplotthedots' default; the Making Data Count Excel tool does not screen).
    pub screen_moving_ranges: bool,
    pub two_in_three: crate::stats::spc::TwoInThreeRule,
    /// Compute limits from the first N charted months only, and judge later months against them.
    pub baseline_months: Option<usize>,
    /// Targets per indicator key (e.g. `crisis_rate = 25.0`), for the assurance icon.
    pub targets: std::collections::BTreeMap<String, f64>,
    /// Months (first day) where an indicator's chart starts a new segment after a known change,
    /// per indicator key; `"*"` applies to every indicator.
    pub rebase: std::collections::BTreeMap<String, Vec<NaiveDate>>,
}

impl Default for SpcSettings {
    fn default() -> Self {
        SpcSettings {
            screen_moving_ranges: true,
            two_in_three: crate::stats::spc::TwoInThreeRule::BetweenTwoAndThreeSigma,
            baseline_months: None,
            targets: Default::default(),
            rebase: Default::default(),
        }
    }
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            reference_date: None,
            event_kinds: EventKinds::default(),
            settled_housing: vec!["settled".into()],
            engaged: vec!["engaged".into()],
            stability_window_days: 90,
            review_grace_days: 14,
            min_person_months: 20.0,
            spc: SpcSettings::default(),
            pathways: pathways::PathwayConfig::default(),
            indicators_from: None,
        }
    }
}

/// Everything the analysis found: each engine's results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Analysis {
    pub reference_date: NaiveDate,
    pub outcomes: outcomes::OutcomesAnalysis,
    pub service: service::ServiceAnalysis,
    pub stability: stability::StabilityAnalysis,
    pub goals: goals::GoalsAnalysis,
    pub narrative: narrative::NarrativeAnalysis,
    pub pathways: pathways::PathwayComparison,
    /// Reviews leading to action; `None` until [`add_reviews_and_governance`] is run (its
    /// window is a report setting, so `config::analyse_filtered` runs it).
    pub review_actions: Option<actions::ReviewActions>,
    /// The governance pack's counts by team and coordinator; `None` until
    /// [`add_reviews_and_governance`] is run (it reads the same window).
    pub governance: Option<governance::GovernanceAnalysis>,
}

/// Runs the whole direction-of-travel analysis. `None` only when the dataset has no people (no
/// exposure, nothing to analyse).
pub fn analyse(
    data: &Dataset,
    config: &AnalysisConfig,
    catalogue: &MeasureCatalogue,
) -> Option<Analysis> {
    let index = PersonIndex::build(data, config)?;
    let measures = &outcomes::MeasureRules::for_dataset(catalogue, data);
    let outcomes = outcomes::analyse(data, &index, measures);
    let service = service::analyse(data, &index, config, measures);
    let stability = stability::analyse(data, &index, config);
    let goals = goals::analyse(data, &index, config);
    let narrative = narrative::analyse(data, &index, &outcomes);
    let pathways = pathways::compare_pathways(data, &index, &outcomes, catalogue, &config.pathways);
    Some(Analysis {
        reference_date: index.reference_date,
        outcomes,
        service,
        stability,
        goals,
        narrative,
        pathways,
        review_actions: None,
        governance: None,
    })
}

/// Adds each of `theirs` to the entry of `mine` that is `same` (with `add`), or appends a copy:
/// how partitions' lists keyed by name are merged (ARCHITECTURE.md, "Partitions of people").
pub(crate) fn add_matching<T: Clone>(
    mine: &mut Vec<T>,
    theirs: &[T],
    same: impl Fn(&T, &T) -> bool,
    add: impl Fn(&mut T, &T),
) {
    for item in theirs {
        match mine.iter_mut().find(|m| same(m, item)) {
            Some(m) => add(m, item),
            None => mine.push(item.clone()),
        }
    }
}

/// The label of the group of people with no team, or no coordinator, recorded.
pub const NOT_RECORDED: &str = "Not recorded";

/// Adds reviews leading to action and the governance pack's counts to an analysis of `data`
/// (run with `config`), with a window of `window_days`: its own step because the window is a
/// report setting. The person index is built once here, and each person's triggers counted
/// once for both.
pub fn add_reviews_and_governance(
    data: &Dataset,
    config: &AnalysisConfig,
    analysis: &mut Analysis,
    window_days: u32,
) {
    let config = AnalysisConfig {
        reference_date: Some(analysis.reference_date),
        ..config.clone()
    };
    let Some(index) = PersonIndex::build(data, &config) else {
        return;
    };
    let triggers = actions::triggers_by_person(data, &index, &analysis.outcomes, window_days);
    analysis.review_actions = Some(actions::analyse(data, &triggers, window_days));
    analysis.governance = Some(governance::analyse(
        data,
        &index,
        &config,
        analysis,
        &triggers,
        window_days,
    ));
}
