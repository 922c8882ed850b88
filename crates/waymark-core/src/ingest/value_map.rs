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

use super::rules::IngestRules;
use crate::measures::MeasureCatalogue;
use crate::model::event_kinds::{fold_event_type, EventKind};
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
    /// Coded columns ([`CODED_FIELDS`]): a value as written to one of the field's canonical
    /// values ([`code_targets`]) or [`NOT_COUNTED`], which leaves the cell blank.
    pub stage: BTreeMap<String, String>,
    pub source: BTreeMap<String, String>,
    pub functioning_change: BTreeMap<String, String>,
    pub plan_changed: BTreeMap<String, String>,
    pub severity: BTreeMap<String, String>,
    pub baseline_severity: BTreeMap<String, String>,
    pub cohort: BTreeMap<String, String>,
    /// Status indicator names as written ("Accommodation status") to the indicator they are
    /// ("housing"), so its order of values applies.
    pub indicator: BTreeMap<String, String>,
    /// Status values as written, per indicator (`[values.status.housing]`), to a value of that
    /// indicator's worst-to-best order, or [`NOT_COUNTED`], which keeps the row without a
    /// place in the order.
    pub status: BTreeMap<String, BTreeMap<String, String>>,
}

/// The user's choice for a value as written among `choices`, compared as headers and measure
/// names are (case and punctuation ignored).
fn choice_in<'a>(choices: &'a BTreeMap<String, String>, written: &str) -> Option<&'a str> {
    let wanted = normalise_header(written);
    choices
        .iter()
        .find(|(value, _)| normalise_header(value) == wanted)
        .map(|(_, target)| target.as_str())
}

/// The fields of [`ValueMapping`] that map names rather than coded values; with
/// [`CODED_FIELDS`], every field that maps values directly (all but `status`, which maps them
/// per indicator).
const NAMING_FIELDS: [&str; 3] = ["event_type", "measure", "indicator"];

/// The coded columns whose values can be mapped, in the order the mapping step shows them.
pub const CODED_FIELDS: [&str; 7] = [
    "stage",
    "source",
    "functioning_change",
    "plan_changed",
    "severity",
    "baseline_severity",
    "cohort",
];

/// The canonical values of a coded field as (name, plain words, code stored), in the order the
/// analysis ranks them. The built-in spellings of each are `assemble::code_choices`.
pub fn code_targets(field: &str) -> &'static [(&'static str, &'static str, u8)] {
    match field {
        "stage" => &[
            ("baseline", "Baseline", 0),
            ("review", "Review", 1),
            ("discharge", "Discharge", 2),
        ],
        "source" => &[
            ("person", "The person", 0),
            ("staff", "Staff", 1),
            ("carer", "Carer or family", 2),
        ],
        "functioning_change" => &[
            ("better", "Better", 0),
            ("same", "Same", 1),
            ("worse", "Worse", 2),
        ],
        "plan_changed" => &[("yes", "Yes, changed", 1), ("no", "No change", 0)],
        "severity" => &[
            ("low", "Low", 1),
            ("medium", "Medium", 2),
            ("high", "High", 3),
        ],
        "baseline_severity" => &[
            ("low", "Low", 0),
            ("moderate", "Moderate", 1),
            ("high", "High", 2),
        ],
        "cohort" => &[("service", "Service", 0), ("comparison", "Comparison", 1)],
        _ => &[],
    }
}

/// The canonical name of a code stored for a field ("discharge" for stage 2).
pub fn code_name(field: &str, code: u8) -> Option<&'static str> {
    code_targets(field)
        .iter()
        .find(|(_, _, c)| *c == code)
        .map(|(name, _, _)| *name)
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
    /// This mapping's choices laid over `base` (a profile's): a value chosen here wins.
    pub fn laid_over(self, mut base: ValueMapping) -> ValueMapping {
        // Compared as values are matched: ignoring case and punctuation.
        fn lay(mine: &BTreeMap<String, String>, base: &mut BTreeMap<String, String>) {
            base.retain(|key, _| {
                !mine
                    .keys()
                    .any(|k| normalise_header(k) == normalise_header(key))
            });
            base.extend(mine.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for name in NAMING_FIELDS.into_iter().chain(CODED_FIELDS) {
            if let (Some(mine), Some(theirs)) = (self.field(name), base.field_mut(name)) {
                lay(mine, theirs);
            }
        }
        for (indicator, choices) in &self.status {
            lay(choices, base.status.entry(indicator.clone()).or_default());
        }
        base
    }

    /// Every choice whose target is not a known event type, a canonical value of its coded
    /// field, or `not_counted`.
    pub fn check(&self) -> Result<(), Vec<ValueMappingError>> {
        let event_types: Vec<&str> = EVENT_TYPES.iter().map(|(k, _)| *k).collect();
        let mut errors = refuse_unknown(
            "event_type",
            &self.event_type,
            &event_types,
            "an event type Waymark knows",
        );
        for field in CODED_FIELDS {
            let targets: Vec<&str> = code_targets(field).iter().map(|(k, ..)| *k).collect();
            let choices = self.field(field).expect("every coded field has a map");
            errors.extend(refuse_unknown(
                field,
                choices,
                &targets,
                &format!("a {field} value"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Every status-value choice that is not in its indicator's order (`orders` gives the
    /// order in force for an indicator, worst first, or `None` when it has none).
    pub fn check_status(
        &self,
        orders: impl Fn(&str) -> Option<Vec<String>>,
    ) -> Result<(), Vec<ValueMappingError>> {
        let mut errors = Vec::new();
        for (indicator, choices) in &self.status {
            let column = format!("status.{indicator}");
            match orders(indicator) {
                Some(order) => {
                    let order: Vec<&str> = order.iter().map(String::as_str).collect();
                    errors.extend(refuse_unknown(&column, choices, &order, &format!("a {indicator} value")));
                }
                None => errors.extend(choices.iter().map(|(value, target)| ValueMappingError {
                    column: column.clone(),
                    value: value.clone(),
                    target: target.clone(),
                    message: format!("values.{column}: \"{indicator}\" has no order of values, so \"{value}\" cannot be given a place in it; add {indicator} to status_orders in the mapping"),
                })),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether the user chose a meaning for this value of this field (`field` as in
    /// [`ValueCount::field`]: `event_type`, `measure`, a coded field, `indicator` or
    /// `status.<indicator>`).
    pub fn has_choice(&self, field: &str, value: &str) -> bool {
        self.field(field)
            .is_some_and(|choices| choice_in(choices, value).is_some())
    }

    /// The user's choices for one field: any of [`NAMING_FIELDS`] or [`CODED_FIELDS`], or `status.<indicator>`.
    pub fn field(&self, field: &str) -> Option<&BTreeMap<String, String>> {
        if let Some(indicator) = field.strip_prefix("status.") {
            return self
                .status
                .iter()
                .find(|(name, _)| name.trim().eq_ignore_ascii_case(indicator.trim()))
                .map(|(_, choices)| choices);
        }
        Some(match field {
            "event_type" => &self.event_type,
            "measure" => &self.measure,
            "indicator" => &self.indicator,
            "stage" => &self.stage,
            "source" => &self.source,
            "functioning_change" => &self.functioning_change,
            "plan_changed" => &self.plan_changed,
            "severity" => &self.severity,
            "baseline_severity" => &self.baseline_severity,
            "cohort" => &self.cohort,
            _ => return None,
        })
    }

    fn field_mut(&mut self, field: &str) -> Option<&mut BTreeMap<String, String>> {
        Some(match field {
            "event_type" => &mut self.event_type,
            "measure" => &mut self.measure,
            "indicator" => &mut self.indicator,
            "stage" => &mut self.stage,
            "source" => &mut self.source,
            "functioning_change" => &mut self.functioning_change,
            "plan_changed" => &mut self.plan_changed,
            "severity" => &mut self.severity,
            "baseline_severity" => &mut self.baseline_severity,
            "cohort" => &mut self.cohort,
            _ => return None,
        })
    }

    /// The user's choices for a coded field, ready for reading cells: each value as written
    /// (compared as [`normalise_header`] compares) with the code it becomes, `None` for
    /// [`NOT_COUNTED`]. Targets were checked by [`ValueMapping::check`]; any other is skipped.
    pub fn code_choices(&self, field: &str) -> Vec<(String, Option<u8>)> {
        let targets = code_targets(field);
        self.field(field)
            .into_iter()
            .flatten()
            .filter_map(|(value, target)| {
                let code = match targets.iter().find(|(k, ..)| k == target) {
                    Some((_, _, code)) => Some(*code),
                    None if target == NOT_COUNTED => None,
                    None => return None,
                };
                Some((normalise_header(value), code))
            })
            .collect()
    }

    /// The indicator a name as written stands for: the user's choice, else the name itself.
    pub fn indicator_choice(&self, written: &str) -> Option<&str> {
        choice_in(&self.indicator, written)
    }

    /// The user's choice for a status value of an indicator, if any.
    pub fn status_choice(&self, indicator: &str, written: &str) -> Option<&str> {
        choice_in(self.field(&format!("status.{indicator}"))?, written)
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
        choice_in(&self.measure, written)
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

/// Each choice whose target is neither in `targets` nor [`NOT_COUNTED`], as an error naming
/// the column, the value and what would do.
fn refuse_unknown(
    column: &str,
    choices: &BTreeMap<String, String>,
    targets: &[&str],
    what: &str,
) -> Vec<ValueMappingError> {
    choices
        .iter()
        .filter(|(_, target)| {
            let target = target.as_str();
            target != NOT_COUNTED && !targets.contains(&target)
        })
        .map(|(value, target)| ValueMappingError {
            column: column.to_string(),
            value: value.clone(),
            target: target.clone(),
            message: format!(
                "values.{column}: \"{value}\" is mapped to \"{target}\", which is not {what}; use one of {} or {NOT_COUNTED}",
                targets.join(", ")
            ),
        })
        .collect()
}

/// How a value came by its meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeaningFrom {
    /// The user's value mapping.
    Mapping,
    /// The built-in rules: the event kinds and unit costs in force.
    BuiltIn,
    /// The value mapping of the format profile in force (MHSDS codes), not changed by the user.
    Profile,
}

/// A value as written in a coded column, how many accepted rows of one file carry it, and what
/// the analysis takes it to mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The canonical field, e.g. `event_type`.
    pub field: String,
    pub value: String,
    pub rows: usize,
    /// What it counts as: the canonical event type, measure key, coded value or place in the
    /// indicator's order; `None` when no figure counts it.
    pub meaning: Option<String>,
    pub from: MeaningFrom,
}

/// Slots kept for the distinct values of one coded column; values past this share a slot per
/// meaning, written "(other spellings)", so a staged slot always fits in a byte below
/// `staging::NO_CODE`.
const MAX_DISTINCT: usize = 240;

/// The distinct values as written in one coded column of one file, each with the code it is
/// read as. While a file is read, its staged code cells hold their value's slot here, so the
/// values can be counted over the rows finally accepted; [`CodeValues::code_of`] turns a slot
/// into the code the tables store.
#[derive(Debug)]
pub struct CodeValues {
    field: &'static str,
    builtin: &'static [(&'static str, u8)],
    chosen: Vec<(String, Option<u8>)>,
    seen: Vec<SeenValue>,
}

#[derive(Debug)]
struct SeenValue {
    written: String,
    code: Option<u8>,
    from: MeaningFrom,
}

/// How a coded cell was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeReading {
    /// A value the built-in spellings or the user's mapping give a meaning.
    Known,
    /// The user mapped the value to [`NOT_COUNTED`]: blank, on purpose.
    NotCounted,
    /// Neither knows it: blank, to be reported.
    Unknown,
}

impl CodeValues {
    /// `builtin` is the field's list of accepted spellings (`assemble::code_choices`).
    pub fn new(
        field: &'static str,
        builtin: &'static [(&'static str, u8)],
        mapping: &ValueMapping,
    ) -> Self {
        CodeValues {
            field,
            builtin,
            chosen: mapping.code_choices(field),
            seen: Vec::new(),
        }
    }

    /// The slot of a non-blank cell and how it was read.
    pub fn slot(&mut self, cell: &[u8]) -> (u8, CodeReading) {
        let text = String::from_utf8_lossy(cell);
        let found = self
            .seen
            .iter()
            .position(|seen| seen.written.eq_ignore_ascii_case(&text));
        let slot = match found {
            Some(slot) => slot,
            None => {
                let wanted = normalise_header(&text);
                let (code, from) = match self.chosen.iter().find(|(v, _)| *v == wanted) {
                    Some((_, code)) => (*code, MeaningFrom::Mapping),
                    None => (
                        super::values::parse_code(cell, self.builtin),
                        MeaningFrom::BuiltIn,
                    ),
                };
                self.place(text.into_owned(), code, from)
            }
        };
        let seen = &self.seen[slot];
        let reading = match (seen.code, seen.from) {
            (Some(_), _) => CodeReading::Known,
            (None, MeaningFrom::Mapping | MeaningFrom::Profile) => CodeReading::NotCounted,
            (None, MeaningFrom::BuiltIn) => CodeReading::Unknown,
        };
        (slot as u8, reading)
    }

    /// A new value's slot: its own, or past [`MAX_DISTINCT`] the shared one for its meaning.
    fn place(&mut self, written: String, code: Option<u8>, from: MeaningFrom) -> usize {
        if self.seen.len() < MAX_DISTINCT {
            self.seen.push(SeenValue {
                written,
                code,
                from,
            });
            return self.seen.len() - 1;
        }
        const OTHER: &str = "(other spellings)";
        if let Some(slot) = self.seen[MAX_DISTINCT..]
            .iter()
            .position(|s| s.code == code && s.from == from)
        {
            return MAX_DISTINCT + slot;
        }
        self.seen.push(SeenValue {
            written: OTHER.to_string(),
            code,
            from,
        });
        self.seen.len() - 1
    }

    /// The code a slot stands for, or `None` for a blank.
    pub fn code_of(&self, slot: u8) -> Option<u8> {
        self.seen.get(usize::from(slot)).and_then(|s| s.code)
    }

    /// Each value as written with the accepted rows that carry it (`slots` are the staged
    /// cells, `keep` the rows accepted), most rows first.
    pub fn counts(&self, slots: &[u8], keep: &[bool]) -> Vec<ValueCount> {
        let mut rows = vec![0usize; self.seen.len()];
        for (slot, kept) in slots.iter().zip(keep) {
            if let (Some(n), true) = (rows.get_mut(usize::from(*slot)), kept) {
                *n += 1;
            }
        }
        let mut values: Vec<ValueCount> = self
            .seen
            .iter()
            .zip(rows)
            .filter(|(_, rows)| *rows > 0)
            .map(|(seen, rows)| ValueCount {
                field: self.field.to_string(),
                value: seen.written.clone(),
                rows,
                meaning: seen
                    .code
                    .and_then(|code| code_name(self.field, code))
                    .map(str::to_string),
                from: seen.from,
            })
            .collect();
        sort_by_rows(&mut values);
        values
    }
}

/// Most rows first, then by value, as every list of values is shown.
pub fn sort_by_rows(values: &mut [ValueCount]) {
    values.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.value.cmp(&b.value)));
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
    let kind = rules.event_kinds.classify(written).map(|kind| {
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
