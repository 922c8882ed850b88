//! The event-type vocabulary: which event-type names count as which kind of event. Ingestion
//! uses it to say which types no figure counts; the analysis uses it to count them.

use serde::{Deserialize, Serialize};

/// Event-type names for each kind of event the indicators count.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventKinds {
    pub crisis: Vec<String>,
    pub ed_attendance: Vec<String>,
    pub admission: Vec<String>,
    pub missed_appointment: Vec<String>,
    pub attended_appointment: Vec<String>,
}

impl Default for EventKinds {
    fn default() -> Self {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        EventKinds {
            crisis: names(&["crisis_contact", "crisis", "crisis_team_contact"]),
            ed_attendance: names(&["ed_attendance", "a_e_attendance", "ae_attendance"]),
            admission: names(&["admission", "inpatient_admission"]),
            missed_appointment: names(&["missed_appointment", "dna", "did_not_attend"]),
            attended_appointment: names(&["attended_appointment", "attended", "contact"]),
        }
    }
}

/// The kinds of event the indicators count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Crisis,
    EdAttendance,
    Admission,
    MissedAppointment,
    AttendedAppointment,
}

/// Folds an event-type name for matching: lower case, runs of anything else as one `_`.
pub fn fold_event_type(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.trim().chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

impl EventKinds {
    /// The kind of an event type, if it is one the indicators count.
    pub fn classify(&self, event_type: &str) -> Option<EventKind> {
        let folded = fold_event_type(event_type);
        let matches = |list: &[String]| list.iter().any(|n| fold_event_type(n) == folded);
        [
            (EventKind::Crisis, &self.crisis),
            (EventKind::EdAttendance, &self.ed_attendance),
            (EventKind::Admission, &self.admission),
            (EventKind::MissedAppointment, &self.missed_appointment),
            (EventKind::AttendedAppointment, &self.attended_appointment),
        ]
        .into_iter()
        .find(|(_, list)| matches(list))
        .map(|(kind, _)| kind)
    }
}
