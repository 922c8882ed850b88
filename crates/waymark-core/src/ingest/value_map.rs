//! Value mapping: what each value found in a coded column means to the analysis.
//!
//! Column mapping says which column holds the event type; value mapping says that "A&E
//! attendance" in it is an ED attendance, "Crisis team contact" a crisis contact and "Home
//! visit" nothing the figures count. A [`ValueMapping`] holds the user's choices (in the
//! mapping file: `[values.event_type]` in TOML, `values.event_type` in the app's JSON); every
//! value without a choice keeps the built-in rules (the event kinds and unit costs in force).
//!
//! A choice is applied once, when the rows are read: the row's event type becomes the chosen
//! canonical name, so every figure (service indicators, stability, cost avoidance, the
//! data-quality checks) and the person timeline see the same value. The values as written,
//! with their row counts and meaning, are listed per file ([`ValueCount`]) for the mapping
//! step and `waymark validate`.

use super::quality::IngestRules;
use crate::analysis::{fold_event_type, EventKind};
use crate::measures::MeasureCatalogue;
use crate::model::normalise_header;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The event types Waymark knows, as (canonical name, plain words): the names the default
/// event kinds and unit costs use, so a value mapped to one is counted wherever that name is.
pub const EVENT_TYPES: [(&str, &str); 10] = [
    ("crisis_contact", "Crisis contact"),
    ("ed_attendance", "ED attendance"),
    ("admission", "Admission"),
    ("bed_day", "Bed day"),
    ("missed_appointment", "Missed appointment"),
    ("attended_appointment", "Attended appointment"),
    ("police_contact", "Police contact"),
    ("ambulance_callout", "Ambulance call-out"),
    ("safeguarding_concern", "Safeguarding"),
    ("incident", "Incident"),
];

/// The choice that keeps a value out of every figure, on purpose (it is then not reported as
/// a data-quality problem: the user has decided).
pub const NOT_COUNTED: &str = "not_counted";

/// The user's value choices, by column. Keys are values as written in the files (matched
/// ignoring case and punctuation, as event types are everywhere); targets are a canonical name
/// from [`EVENT_TYPES`] or [`NOT_COUNTED`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValueMapping {
    pub event_type: BTreeMap<String, String>,
    /// Measure names as written ("PHQ9 Total") to a measure of the catalogue in force ("PHQ-9"),
    /// named by its key or any of its aliases.
    pub measure: BTreeMap<String, String>,
}

/// A value choice that names nothing Waymark knows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueMappingError {
    pub column: String,
    pub value: String,
    pub target: String,
    pub message: String,
}

impl ValueMapping {
    /// Every choice whose target is not a known event type or `not_counted`.
    pub fn check(&self) -> Result<(), Vec<ValueMappingError>> {
        let known = |t: &str| t == NOT_COUNTED || EVENT_TYPES.iter().any(|(k, _)| *k == t);
        let errors: Vec<ValueMappingError> = self
            .event_type
            .iter()
            .filter(|(_, target)| !known(target))
            .map(|(value, target)| ValueMappingError {
                column: "event_type".into(),
                value: value.clone(),
                target: target.clone(),
                message: format!(
                    "values.event_type: \"{value}\" is mapped to \"{target}\", which is not an event type Waymark knows; use one of {} or {NOT_COUNTED}",
                    EVENT_TYPES.map(|(k, _)| k).join(", ")
                ),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Every measure choice whose target the catalogue in force does not know.
    pub fn check_measures(
        &self,
        catalogue: &MeasureCatalogue,
    ) -> Result<(), Vec<ValueMappingError>> {
        let errors: Vec<ValueMappingError> = self
            .measure
            .iter()
            .filter(|(_, target)| catalogue.lookup(target).is_none())
            .map(|(value, target)| ValueMappingError {
                column: "measure".into(),
                value: value.clone(),
                target: target.clone(),
                message: format!(
                    "values.measure: \"{value}\" is mapped to \"{target}\", which is not a measure of the catalogue; use one of {}",
                    catalogue.measures().iter().map(|m| m.key.as_str()).collect::<Vec<_>>().join(", ")
                ),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The user's choice for a measure name as written, compared as the catalogue compares
    /// names (case and punctuation ignored).
    pub fn measure_choice(&self, written: &str) -> Option<&str> {
        let wanted = normalise_header(written);
        self.measure
            .iter()
            .find(|(value, _)| normalise_header(value) == wanted)
            .map(|(_, target)| target.as_str())
    }

    /// The canonical event type a row written this way becomes: the user's choice when it names
    /// one of [`EVENT_TYPES`] (`not_counted` and unknown targets leave the row as written).
    pub fn event_type_target(&self, written: &str) -> Option<&'static str> {
        let choice = self.event_type_choice(written)?;
        EVENT_TYPES.iter().map(|(k, _)| *k).find(|k| *k == choice)
    }

    /// The user's choice for an event type as written, if any.
    pub fn event_type_choice(&self, written: &str) -> Option<&str> {
        let folded = fold_event_type(written);
        self.event_type
            .iter()
            .find(|(value, _)| fold_event_type(value) == folded)
            .map(|(_, target)| target.as_str())
    }
}

/// How a value came by its meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeaningFrom {
    /// The user's value mapping.
    Mapping,
    /// The built-in rules: the event kinds and unit costs in force.
    BuiltIn,
}

/// A value as written in a coded column, how many accepted rows of one file carry it, and what
/// the analysis takes it to mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The canonical field, e.g. `event_type`.
    pub field: String,
    pub value: String,
    pub rows: usize,
    /// The canonical event type it counts as; `None` when no figure counts it.
    pub meaning: Option<String>,
    pub from: MeaningFrom,
}

/// What the analysis takes an event type as written to mean: the user's choice, else the
/// built-in rules (the event kinds of the analysis settings, then the unit costs).
pub fn event_type_meaning(
    written: &str,
    rules: &IngestRules,
    mapping: &ValueMapping,
) -> (Option<String>, MeaningFrom) {
    if let Some(target) = mapping.event_type_choice(written) {
        let meaning = (target != NOT_COUNTED).then(|| target.to_string());
        return (meaning, MeaningFrom::Mapping);
    }
    let kind = rules.analysis.event_kinds.classify(written).map(|kind| {
        match kind {
            EventKind::Crisis => "crisis_contact",
            EventKind::EdAttendance => "ed_attendance",
            EventKind::Admission => "admission",
            EventKind::MissedAppointment => "missed_appointment",
            EventKind::AttendedAppointment => "attended_appointment",
        }
        .to_string()
    });
    let priced = || rules.priced_as(written).map(str::to_string);
    (kind.or_else(priced), MeaningFrom::BuiltIn)
}

/// Plain words for a canonical event type ("Crisis contact"), or the name itself.
pub fn event_type_words(canonical: &str) -> &str {
    EVENT_TYPES
        .iter()
        .find(|(k, _)| *k == canonical)
        .map_or(canonical, |(_, words)| words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(pairs: &[(&str, &str)]) -> ValueMapping {
        ValueMapping {
            event_type: pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..ValueMapping::default()
        }
    }

    #[test]
    fn a_choice_matches_the_value_ignoring_case_and_punctuation() {
        let m = mapping(&[("A&E attendance", "ed_attendance")]);
        assert_eq!(m.event_type_choice("a&e ATTENDANCE"), Some("ed_attendance"));
        assert_eq!(
            m.event_type_choice("A & E attendance"),
            Some("ed_attendance")
        );
        assert_eq!(m.event_type_choice("Home visit"), None);
    }

    #[test]
    fn a_choice_must_name_a_known_event_type() {
        assert!(
            mapping(&[("DNA", "missed_appointment"), ("Home visit", "not_counted")])
                .check()
                .is_ok()
        );
        let errors = mapping(&[("Home visit", "home_visit")])
            .check()
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .message
                .contains("\"Home visit\" is mapped to \"home_visit\""),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn the_meaning_is_the_choice_else_the_event_kinds_else_the_unit_costs() {
        let rules = IngestRules::default();
        let m = mapping(&[
            ("Crisis team contact", "crisis_contact"),
            ("Crisis", "not_counted"),
        ]);
        assert_eq!(
            event_type_meaning("Crisis team contact", &rules, &m),
            (Some("crisis_contact".into()), MeaningFrom::Mapping)
        );
        assert_eq!(
            event_type_meaning("crisis", &rules, &m),
            (None, MeaningFrom::Mapping)
        );
        assert_eq!(
            event_type_meaning("DNA", &rules, &m),
            (Some("missed_appointment".into()), MeaningFrom::BuiltIn)
        );
        assert_eq!(
            event_type_meaning("Bed day", &rules, &m),
            (Some("bed_day".into()), MeaningFrom::BuiltIn)
        );
        assert_eq!(
            event_type_meaning("Home visit", &rules, &m),
            (None, MeaningFrom::BuiltIn)
        );
    }
}
