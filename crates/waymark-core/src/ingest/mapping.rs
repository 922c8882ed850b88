//! How a file's columns become canonical fields: explicit mappings first, then canonical
//! names, then the synonyms real exports use.
//!
//! A [`MappingConfig`] is what the CLI reads from `--mapping mapping.toml` and what the app
//! saves as a named profile. It holds no data, only names and choices.

use super::values::DateOrder;
pub use crate::model::GoalScale;
use crate::model::{normalise_header, FieldSpec, TableKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// User choices that override detection. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingConfig {
    /// Day/month order for numeric dates in every file, unless a file says otherwise.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Scale of goal ratings, unless a file says otherwise.
    #[serde(default)]
    pub goal_scale: Option<GoalScale>,
    /// Ordered values of status indicators, worst first; replaces the default order of an
    /// indicator of the same name (`housing`, `engagement`) or adds a new indicator.
    #[serde(default)]
    pub status_orders: BTreeMap<String, Vec<String>>,
    /// Per-file settings, matched by file name (`*` matches any run of characters).
    #[serde(default)]
    pub files: Vec<FileMapping>,
    /// What values in coded columns mean (`[values.event_type]`: "A&E attendance" =
    /// "ed_attendance"); see [`super::value_map`].
    #[serde(default)]
    pub values: super::value_map::ValueMapping,
    /// A format profile to read the files with (`format = "mhsds_v6"`); see
    /// [`super::formats`].
    // Never skipped when absent: the worker's MessagePack messages are positional.
    #[serde(default)]
    pub format: Option<ExportFormat>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMapping {
    /// File name or pattern such as `crisis_*.csv`, compared case-insensitively.
    pub name: String,
    #[serde(default)]
    pub table: Option<TableKind>,
    /// The file's header (as written) to the canonical field name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    #[serde(default)]
    pub goal_scale: Option<GoalScale>,
    /// One of `,` `;` `\t` `|`; detected when absent.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// The file's text encoding (`encoding = "windows1252"`); detected when absent. When set it
    /// replaces detection entirely, byte-order mark included: only a mark belonging to the
    /// chosen encoding is stripped, and `utf8` and `utf8-bom` both mean UTF-8 with or without
    /// a mark (see [`chosen_encoding`](super::decode::chosen_encoding)).
    #[serde(default)]
    pub encoding: Option<super::decode::TextEncoding>,
}

impl MappingConfig {
    /// The worst-to-best order of an indicator's values, lower-cased: the mapping's own, else
    /// the default (`housing`, `engagement`); `None` when the indicator has none.
    pub fn status_order(&self, indicator: &str) -> Option<Vec<String>> {
        let key = indicator.trim().to_lowercase();
        if let Some((_, order)) = self
            .status_orders
            .iter()
            .find(|(name, _)| name.to_lowercase() == key)
        {
            return Some(order.iter().map(|v| v.trim().to_lowercase()).collect());
        }
        DEFAULT_STATUS_ORDERS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, order)| order.iter().map(|v| v.to_string()).collect())
    }

    /// Every value choice that names nothing Waymark knows: an unknown event type or coded
    /// value, or a status value outside its indicator's order. Measures are checked against
    /// the catalogue in force by [`ValueMapping::check_measures`](super::value_map::ValueMapping::check_measures).
    pub fn check_values(&self) -> Result<(), Vec<super::value_map::ValueMappingError>> {
        let mut errors = self.values.check().err().unwrap_or_default();
        errors.extend(
            self.values
                .check_status(|indicator| self.status_order(indicator))
                .err()
                .unwrap_or_default(),
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The settings for a file, if a `files` entry matches its name.
    pub fn for_file(&self, file_name: &str) -> Option<&FileMapping> {
        self.files
            .iter()
            .find(|entry| wildcard_match(&entry.name.to_lowercase(), &file_name.to_lowercase()))
    }
}

/// `*` matches any run of characters; everything else must match exactly.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    for (idx, piece) in pieces.iter().enumerate() {
        let is_last = idx + 1 == pieces.len();
        if is_last {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(pos) => rest = &rest[pos + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// How a header came to be mapped to a field, shown in the mapping step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Mapping,
    Name,
    Synonym,
    /// A measure, item or Star-area column of a wide outcomes file, read as scores.
    Wide,
}

/// The outcome of mapping one header row to one table.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnResolution {
    pub table: TableKind,
    /// For each canonical field (in `table.fields()` order): the column index and how it matched.
    pub field_columns: Vec<Option<(usize, MatchedBy)>>,
    /// Columns that matched a field already taken by an earlier column.
    pub duplicates: Vec<(usize, &'static str)>,
    /// Mapping entries naming headers this file does not have.
    pub unknown_mapped: Vec<String>,
    /// Mapping entries (header, field) whose field is not a canonical field of any table.
    pub unknown_fields: Vec<(String, String)>,
}

impl ColumnResolution {
    pub fn matched_count(&self) -> usize {
        self.field_columns.iter().filter(|c| c.is_some()).count()
    }

    pub fn missing_required(&self) -> Vec<&'static FieldSpec> {
        self.table
            .fields()
            .iter()
            .zip(&self.field_columns)
            .filter(|(spec, column)| spec.required && column.is_none())
            .map(|(spec, _)| spec)
            .collect()
    }

    pub fn column_of(&self, field_name: &str) -> Option<usize> {
        let idx = self
            .table
            .fields()
            .iter()
            .position(|f| f.name == field_name)?;
        self.field_columns[idx].map(|(column, _)| column)
    }
}

/// Maps `headers` to the fields of `table`, using `explicit` (header as written -> field) first.
pub fn resolve_columns(
    table: TableKind,
    headers: &[String],
    explicit: Option<&BTreeMap<String, String>>,
) -> ColumnResolution {
    let fields = table.fields();
    let mut field_columns: Vec<Option<(usize, MatchedBy)>> = vec![None; fields.len()];
    let mut duplicates = Vec::new();
    let mut unknown_mapped = Vec::new();
    let mut unknown_fields = Vec::new();
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();

    let mut claim = |field_idx: usize,
                     column: usize,
                     how: MatchedBy,
                     duplicates: &mut Vec<(usize, &'static str)>| {
        match field_columns[field_idx] {
            None => field_columns[field_idx] = Some((column, how)),
            Some((taken, _)) if taken != column => {
                duplicates.push((column, fields[field_idx].name))
            }
            Some(_) => {}
        }
    };
    let mut claimed_columns = vec![false; headers.len()];

    if let Some(explicit) = explicit {
        for (header, field_name) in explicit {
            let column = headers.iter().position(|h| h.trim() == header.trim());
            let field_idx = fields.iter().position(|f| f.name == field_name.trim());
            match (column, field_idx) {
                (Some(column), Some(field_idx)) => {
                    claim(field_idx, column, MatchedBy::Mapping, &mut duplicates);
                    claimed_columns[column] = true;
                }
                // A mapping to another table's field simply does not apply to this table.
                (None, Some(_)) => unknown_mapped.push(header.clone()),
                (_, None) if !is_any_field(field_name) => {
                    unknown_fields.push((header.clone(), field_name.clone()))
                }
                _ => {}
            }
        }
    }
    for (column, header) in normalised.iter().enumerate() {
        if claimed_columns[column] || header.is_empty() {
            continue;
        }
        let by_name = fields
            .iter()
            .position(|f| normalise_header(f.name) == *header);
        let matched = by_name.map(|idx| (idx, MatchedBy::Name)).or_else(|| {
            fields
                .iter()
                .position(|f| f.synonyms.iter().any(|s| s == header))
                .map(|idx| (idx, MatchedBy::Synonym))
        });
        if let Some((field_idx, how)) = matched {
            claim(field_idx, column, how, &mut duplicates);
        }
    }
    ColumnResolution {
        table,
        field_columns,
        duplicates,
        unknown_mapped,
        unknown_fields,
    }
}

fn is_any_field(name: &str) -> bool {
    TableKind::ALL
        .iter()
        .any(|table| table.field(name.trim()).is_some())
}

/// Chooses the table a header row belongs to: among tables whose required fields are all
/// present, the one matching the most columns; ties go to the table named in the file name,
/// then to the first in [`TableKind::ALL`].
pub fn detect_table(
    headers: &[String],
    file_name: &str,
    mapping: Option<&FileMapping>,
) -> Option<ColumnResolution> {
    let explicit = mapping.map(|m| &m.columns);
    if let Some(table) = mapping.and_then(|m| m.table) {
        return Some(resolve_columns(table, headers, explicit));
    }
    let lower_name = file_name.to_lowercase();
    TableKind::ALL
        .into_iter()
        .map(|table| resolve_columns(table, headers, explicit))
        .filter(|resolution| resolution.missing_required().is_empty())
        // Any export has an ID and a date; feedback also needs one of its own fields.
        .filter(|resolution| {
            resolution.table != TableKind::Feedback || resolution.matched_count() > 2
        })
        .max_by_key(|resolution| {
            let named = lower_name.contains(resolution.table.name());
            // Earlier tables win ties: max_by_key keeps the last maximum, so rank by reverse order.
            let order = TableKind::ALL.len()
                - TableKind::ALL
                    .iter()
                    .position(|t| *t == resolution.table)
                    .unwrap_or(0);
            (resolution.matched_count(), named, order)
        })
}

/// The table whose required fields come closest to being present, for explaining what is missing.
pub fn closest_table(headers: &[String], mapping: Option<&FileMapping>) -> ColumnResolution {
    let explicit = mapping.map(|m| &m.columns);
    let candidates: Vec<TableKind> = match mapping.and_then(|m| m.table) {
        Some(table) => vec![table],
        None => TableKind::ALL.to_vec(),
    };
    candidates
        .into_iter()
        .map(|table| resolve_columns(table, headers, explicit))
        .min_by_key(|resolution| {
            (
                resolution.missing_required().len(),
                usize::MAX - resolution.matched_count(),
            )
        })
        .unwrap_or_else(|| resolve_columns(TableKind::People, headers, explicit))
}

/// Default worst-to-best orders of status indicators; the mapping can replace or add to them.
pub const DEFAULT_STATUS_ORDERS: &[(&str, &[&str])] = &[
    (
        "housing",
        &["homeless", "temporary", "supported", "settled"],
    ),
    ("engagement", &["disengaged", "partial", "engaged"]),
];

/// A known export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    MhsdsV6,
    OutcomesStar,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 2] = [ExportFormat::MhsdsV6, ExportFormat::OutcomesStar];

    /// The profile's name as the app and the CLI show it.
    pub fn title(self) -> &'static str {
        match self {
            ExportFormat::MhsdsV6 => "MHSDS v6 (Intermediate Database CSV)",
            ExportFormat::OutcomesStar => "Outcomes Star (Mental Health Recovery Star)",
        }
    }

    /// The profile's name in a button ("MHSDS v6").
    pub fn short_title(self) -> &'static str {
        match self {
            ExportFormat::MhsdsV6 => "MHSDS v6",
            ExportFormat::OutcomesStar => "an Outcomes Star export",
        }
    }

    /// Where the profile's tables, columns and codes come from.
    pub fn source(self) -> &'static str {
        match self {
            ExportFormat::MhsdsV6 => "NHS England, Mental Health Services Data Set v6.0 Technical Output Specification (IDB element names); NHS Data Model and Dictionary (service or team type for mental health, attendance status, accommodation type, settled accommodation indicator, employment status); MHSDS assessment-tool reference table (SNOMED CT)",
            ExportFormat::OutcomesStar => "Triangle Consulting Social Enterprise and Mental Health Providers Forum, Mental Health Recovery Star (ten areas, each rated 1-10 through five stages: stuck, accepting help, believing, learning, self-reliance)",
        }
    }

    /// The `format` value in the mapping ("mhsds_v6").
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::MhsdsV6 => "mhsds_v6",
            ExportFormat::OutcomesStar => "outcomes_star",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_each_table_from_canonical_headers() {
        let cases = [
            (
                vec!["person_id", "pathway", "start_date"],
                TableKind::People,
            ),
            (
                vec!["person_id", "date", "measure", "score", "stage"],
                TableKind::Outcomes,
            ),
            (
                vec!["person_id", "date", "event_type", "quantity"],
                TableKind::Events,
            ),
            (
                vec!["person_id", "goal_id", "review_date", "rating"],
                TableKind::Goals,
            ),
            (
                vec!["person_id", "date", "indicator", "value"],
                TableKind::Status,
            ),
            (
                vec!["person_id", "date", "self_rating", "themes"],
                TableKind::Feedback,
            ),
        ];
        for (list, expected) in cases {
            let detected = detect_table(&headers(&list), "upload.csv", None).map(|r| r.table);
            assert_eq!(detected, Some(expected), "{list:?}");
        }
    }

    #[test]
    fn synonyms_map_real_export_headers() {
        let resolution = detect_table(
            &headers(&[
                "Client ID",
                "Care Pathway",
                "Referral Date",
                "Discharge Date",
            ]),
            "x.csv",
            None,
        )
        .expect("people table");
        assert_eq!(resolution.table, TableKind::People);
        assert_eq!(resolution.column_of("person_id"), Some(0));
        assert_eq!(resolution.column_of("start_date"), Some(2));
        assert_eq!(resolution.column_of("end_date"), Some(3));
        assert_eq!(
            resolution.field_columns[2].map(|c| c.1),
            Some(MatchedBy::Synonym)
        );
    }

    #[test]
    fn explicit_mapping_wins_and_reports_unknown_headers() {
        let mapping = FileMapping {
            name: "crisis*.csv".into(),
            table: Some(TableKind::Events),
            columns: [
                ("Ref".to_string(), "person_id".to_string()),
                ("Nope".to_string(), "date".to_string()),
            ]
            .into(),
            ..FileMapping::default()
        };
        let resolution = detect_table(
            &headers(&["Ref", "When", "What"]),
            "crisis_2024.csv",
            Some(&mapping),
        )
        .expect("forced table");
        assert_eq!(resolution.column_of("person_id"), Some(0));
        assert_eq!(resolution.unknown_mapped, vec!["Nope".to_string()]);
        assert_eq!(
            resolution
                .missing_required()
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>(),
            vec!["date", "event_type"]
        );
    }

    #[test]
    fn duplicate_columns_are_reported_first_kept() {
        let resolution = resolve_columns(
            TableKind::People,
            &headers(&["Client ID", "NHS Number", "pathway", "start_date"]),
            None,
        );
        assert_eq!(resolution.column_of("person_id"), Some(0));
        assert_eq!(resolution.duplicates, vec![(1, "person_id")]);
    }

    #[test]
    fn wildcards_match_file_names() {
        assert!(wildcard_match("crisis_*.csv", "crisis_2024.csv"));
        assert!(wildcard_match("*events*", "all_events_export.csv"));
        assert!(!wildcard_match("crisis_*.csv", "people.csv"));
        assert!(wildcard_match("people.csv", "people.csv"));
    }

    #[test]
    fn mapping_files_parse_from_json() {
        let config: MappingConfig = serde_json::from_str(
            r#"{"date_order":"month_first","files":[{"name":"a.csv","table":"events","columns":{"Ref":"person_id"}}]}"#,
        )
        .expect("valid mapping");
        assert_eq!(config.date_order, Some(DateOrder::MonthFirst));
        assert_eq!(
            config.for_file("A.CSV").and_then(|f| f.table),
            Some(TableKind::Events)
        );
    }
}

/// The mapping Waymark used for a file, written out as an explicit [`FileMapping`]: the
/// starting point of the app's mapping editor. Unmapped columns are left out. The delimiter,
/// date order and encoding are the ones used, so applying the result reads the file the same
/// way (without the notes that say a setting was guessed).
pub fn file_mapping_from_summary(summary: &super::FileSummary) -> FileMapping {
    FileMapping {
        name: summary.name.clone(),
        table: summary.table,
        columns: summary
            .columns
            .iter()
            // A wide file's score columns are found from their headers, not mapped.
            .filter(|c| c.matched_by != Some(MatchedBy::Wide))
            .filter_map(|c| {
                c.field
                    .as_deref()
                    .map(|f| (c.header.clone(), f.to_string()))
            })
            .collect(),
        date_order: summary.columns.iter().find_map(|c| c.date_order),
        goal_scale: None,
        delimiter: summary.delimiter.as_deref().and_then(|d| match d {
            "comma" => Some(','),
            "semicolon" => Some(';'),
            "tab" => Some('\t'),
            "pipe" => Some('|'),
            _ => None,
        }),
        encoding: summary.encoding,
    }
}
