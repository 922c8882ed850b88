//! What ingestion needs to know beyond the mapping, to say which rows and values no figure
//! will use.

use crate::measures::MeasureCatalogue;
use crate::model::event_kinds::EventKinds;
use crate::model::normalise_header;

/// What ingestion needs beyond the mapping: the measure catalogue in force (score ranges and
/// measure names), the event kinds the indicators count, and the event types cost avoidance
/// prices, which together say which event types and status indicators count. The shipped
/// rules ([`Default`]) and those of a configuration (`IngestRules::from_config`) are built in
/// `config`, which owns the settings they come from.
#[derive(Clone, Debug)]
pub struct IngestRules {
    pub measures: MeasureCatalogue,
    pub event_kinds: EventKinds,
    /// Event types cost avoidance counts: its counted event types, then its unit costs' types.
    pub priced_event_types: Vec<String>,
}

impl IngestRules {
    /// Whether cost avoidance counts an event type (as `value::cost_avoidance` matches them).
    pub(super) fn valued(&self, event_type: &str) -> bool {
        self.priced_as(event_type).is_some()
    }

    /// The name cost avoidance counts an event type under (a counted event type or a unit
    /// cost's), matched ignoring case and punctuation.
    pub fn priced_as(&self, event_type: &str) -> Option<&str> {
        let key = normalise_header(event_type);
        self.priced_event_types
            .iter()
            .find(|name| normalise_header(name) == key)
            .map(String::as_str)
    }
}
