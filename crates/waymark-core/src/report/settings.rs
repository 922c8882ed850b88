//! The report pack's settings: who the report is for (service, provider, period), what it
//! may include (feedback quotes), and how its evidence is grouped (the commissioner's
//! priorities). Part of [`crate::config::Config`] as its `[report]` section, so they are saved
//! and restored with the other settings; they hold no data.
//!
//! Nothing here is checked against the data: an indicator key or measure name that matches
//! nothing is listed in a note under its priority in the report, because which keys exist
//! depends on the files (a measure's indicators exist only when someone has its scores).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The `[report]` section of the configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// The service the report describes, as the commissioner knows it; empty means not set,
    /// and the cover says so and where to set it.
    pub service_name: String,
    /// The organisation that provides the service.
    pub provider: String,
    /// Free text for the period ("2025/26 Q1-Q4"); when empty the report states the data's
    /// first date to the analysis date.
    pub period_label: String,
    /// The date printed on the cover; the analysis date when absent (a clock is never read).
    pub report_date: Option<NaiveDate>,
    /// Whether people's own words (feedback free text, without any person ID) may appear in
    /// the report. Off by default: free text can identify people.
    pub include_quotes: bool,
    /// "Reviews leading to action": days after a setback, escalation or engagement dip within
    /// which a recorded plan adjustment counts as a response (see docs/methods.md).
    pub action_window_days: u32,
    /// How the evidence is grouped for the commissioner, in the order given.
    pub priorities: Vec<Priority>,
}

/// One commissioning priority and the evidence that speaks to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Priority {
    pub name: String,
    /// Service indicator keys (the `key` of `direction_of_travel.service.indicators`), e.g.
    /// `crisis_rate`, `engagement`, `mean_score_phq_9`.
    pub indicators: Vec<String>,
    /// Measure names as they appear in the outcomes file, e.g. `PHQ-9` (compared ignoring
    /// case).
    pub measures: Vec<String>,
}

/// The default window for "reviews leading to action": four weeks, a common review cycle.
pub const DEFAULT_ACTION_WINDOW_DAYS: u32 = 28;

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            service_name: String::new(),
            provider: String::new(),
            period_label: String::new(),
            report_date: None,
            include_quotes: false,
            action_window_days: DEFAULT_ACTION_WINDOW_DAYS,
            priorities: default_priorities(),
        }
    }
}

/// The priorities shipped by default: the four most community mental health contracts name.
pub fn default_priorities() -> Vec<Priority> {
    let priority = |name: &str, indicators: &[&str], measures: &[&str]| Priority {
        name: name.to_string(),
        indicators: indicators.iter().map(|s| s.to_string()).collect(),
        measures: measures.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        priority(
            "Crisis reduction",
            &["crisis_rate", "crisis_severity_weighted", "ed_rate"],
            &[],
        ),
        priority(
            "Community stabilisation",
            &["admission_rate", "settled_housing"],
            &[],
        ),
        priority(
            "Recovery and quality of life",
            &[],
            &["PHQ-9", "GAD-7", "CORE-10", "WEMWBS", "SWEMWBS", "ReQoL-10"],
        ),
        priority(
            "Continuity and engagement",
            &["engagement", "missed_appointments"],
            &[],
        ),
    ]
}
