//! The canonical data model: the six tables Waymark understands, their fields, and the
//! columnar storage ingestion fills.
//!
//! Columns are plain vectors indexed by row; repeated text (pathways, event types, follow-up
//! actions) is interned into a [`Labels`] pool so a million events cost a few bytes each.

pub mod event_kinds;
mod row_groups;
pub use row_groups::RowGroups;
mod schema;
pub use schema::*;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// Days in an average month (365.25 / 12): the unit of person-months everywhere in Waymark,
/// in the analyses, cost avoidance and the demo data alike (docs/methods.md, "Service
/// indicators by month").
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// `column[i]` for each `i` where `keep[i]`.
fn rows_kept<T: Clone>(column: &[T], keep: &[bool]) -> Vec<T> {
    column
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| v.clone())
        .collect()
}

impl PeopleTable {
    /// The rows where `keep` is true. Every column is named here, so a column added to the
    /// table and not kept is a compile error rather than a silently empty column.
    pub fn rows_where(&self, keep: &[bool]) -> PeopleTable {
        let PeopleTable {
            person,
            pathway,
            start_date,
            end_date,
            team,
            coordinator,
            baseline_severity,
            age_band,
            sex,
            ethnicity,
            cohort,
            origin,
        } = self;
        PeopleTable {
            person: rows_kept(person, keep),
            pathway: rows_kept(pathway, keep),
            start_date: rows_kept(start_date, keep),
            end_date: rows_kept(end_date, keep),
            team: rows_kept(team, keep),
            coordinator: rows_kept(coordinator, keep),
            baseline_severity: rows_kept(baseline_severity, keep),
            age_band: rows_kept(age_band, keep),
            sex: rows_kept(sex, keep),
            ethnicity: rows_kept(ethnicity, keep),
            cohort: rows_kept(cohort, keep),
            origin: rows_kept(origin, keep),
        }
    }
}

impl OutcomesTable {
    /// The rows where `keep` is true. Every column is named here, so a column added to the
    /// table and not kept is a compile error rather than a silently empty column.
    pub fn rows_where(&self, keep: &[bool]) -> OutcomesTable {
        let OutcomesTable {
            person,
            date,
            measure,
            score,
            stage,
            origin,
        } = self;
        OutcomesTable {
            person: rows_kept(person, keep),
            date: rows_kept(date, keep),
            measure: rows_kept(measure, keep),
            score: rows_kept(score, keep),
            stage: rows_kept(stage, keep),
            origin: rows_kept(origin, keep),
        }
    }
}

impl GoalsTable {
    /// The rows where `keep` is true. Every column is named here, so a column added to the
    /// table and not kept is a compile error rather than a silently empty column.
    pub fn rows_where(&self, keep: &[bool]) -> GoalsTable {
        let GoalsTable {
            person,
            goal_id,
            review_date,
            rating,
            scale,
            domain,
            description,
            set_date,
            baseline_rating,
            target_rating,
            next_review_date,
            plan_changed,
            staff,
            origin,
        } = self;
        GoalsTable {
            person: rows_kept(person, keep),
            goal_id: rows_kept(goal_id, keep),
            review_date: rows_kept(review_date, keep),
            rating: rows_kept(rating, keep),
            scale: rows_kept(scale, keep),
            domain: rows_kept(domain, keep),
            description: rows_kept(description, keep),
            set_date: rows_kept(set_date, keep),
            baseline_rating: rows_kept(baseline_rating, keep),
            target_rating: rows_kept(target_rating, keep),
            next_review_date: rows_kept(next_review_date, keep),
            plan_changed: rows_kept(plan_changed, keep),
            staff: rows_kept(staff, keep),
            origin: rows_kept(origin, keep),
        }
    }
}

impl StatusTable {
    /// The rows where `keep` is true. Every column is named here, so a column added to the
    /// table and not kept is a compile error rather than a silently empty column.
    pub fn rows_where(&self, keep: &[bool]) -> StatusTable {
        let StatusTable {
            person,
            date,
            indicator,
            value,
            rank,
            origin,
        } = self;
        StatusTable {
            person: rows_kept(person, keep),
            date: rows_kept(date, keep),
            indicator: rows_kept(indicator, keep),
            value: rows_kept(value, keep),
            rank: rows_kept(rank, keep),
            origin: rows_kept(origin, keep),
        }
    }
}

impl FeedbackTable {
    /// The rows where `keep` is true. Every column is named here, so a column added to the
    /// table and not kept is a compile error rather than a silently empty column.
    pub fn rows_where(&self, keep: &[bool]) -> FeedbackTable {
        let FeedbackTable {
            person,
            date,
            source,
            self_rating,
            functioning_change,
            themes,
            text,
            plan_adjustment,
            origin,
        } = self;
        FeedbackTable {
            person: rows_kept(person, keep),
            date: rows_kept(date, keep),
            source: rows_kept(source, keep),
            self_rating: rows_kept(self_rating, keep),
            functioning_change: rows_kept(functioning_change, keep),
            themes: rows_kept(themes, keep),
            text: rows_kept(text, keep),
            plan_adjustment: rows_kept(plan_adjustment, keep),
            origin: rows_kept(origin, keep),
        }
    }
}

impl EventsTable {
    /// The rows where `keep` is true, with their lines and files. Every column is named here,
    /// so a column added to the table and not kept is a compile error.
    pub fn rows_where(&self, keep: &[bool]) -> EventsTable {
        let EventsTable {
            person,
            date,
            event_type,
            quantity,
            severity,
            follow_up,
            lines,
            file_runs: _,
        } = self;
        let mut out = EventsTable {
            person: rows_kept(person, keep),
            date: rows_kept(date, keep),
            event_type: rows_kept(event_type, keep),
            quantity: rows_kept(quantity, keep),
            severity: rows_kept(severity, keep),
            follow_up: rows_kept(follow_up, keep),
            lines: LineIndex::default(),
            file_runs: Vec::new(),
        };
        let mut kept_rows = 0;
        for (row, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            out.lines.push(lines.line(row));
            let file = self.file_of(row);
            kept_rows += 1;
            match out.file_runs.last_mut() {
                Some((last_file, end)) if *last_file == file => *end = kept_rows,
                _ => out.file_runs.push((file, kept_rows)),
            }
        }
        out
    }
}

/// An index into a [`Labels`] pool. Never zero, so `Option<Label>` costs four bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(NonZeroU32);

impl Label {
    /// Stands in where a required value is known to be present; never stored for a kept row.
    pub const PLACEHOLDER: Label = Label(NonZeroU32::MAX);

    /// Zero-based position in its pool (labels are dense), for indexing per-label vectors.
    pub fn position(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// A pool of interned strings, each stored once.
///
/// Looked up by bytes so that a hit (the common case) needs no UTF-8 validation. The index
/// holds only labels, found by the hash of their text, so each text is in memory once (a
/// free-text column of a large export would otherwise be held twice).
#[derive(Clone, Debug, Default)]
pub struct Labels {
    values: Vec<Box<str>>,
    index: hashbrown::HashTable<Label>,
    /// Bytes that are not UTF-8, as read, to the label of their text with replacement
    /// characters (so the same bytes find the same label again). Rare; usually empty.
    not_utf8: FxHashMap<Box<[u8]>, Label>,
}

fn text_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(bytes)
}

impl Labels {
    pub fn intern(&mut self, text: &str) -> Label {
        self.intern_bytes(text.as_bytes())
    }

    /// Interns text given as bytes; invalid UTF-8 is stored with replacement characters.
    pub fn intern_bytes(&mut self, bytes: &[u8]) -> Label {
        let hash = text_hash(bytes);
        if let Some(label) = self.find(hash, bytes) {
            return label;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.push(hash, text.into()),
            Err(_) => self.intern_not_utf8(bytes),
        }
    }

    /// Bytes that are not UTF-8: their text with replacement characters, found again by the
    /// same bytes through `not_utf8`.
    fn intern_not_utf8(&mut self, bytes: &[u8]) -> Label {
        if let Some(label) = self.not_utf8.get(bytes) {
            return *label;
        }
        let text = String::from_utf8_lossy(bytes).into_owned();
        let hash = text_hash(text.as_bytes());
        let label = match self.find(hash, text.as_bytes()) {
            Some(label) => label,
            None => self.push(hash, text.into()),
        };
        self.not_utf8.insert(bytes.into(), label);
        label
    }

    fn find(&self, hash: u64, bytes: &[u8]) -> Option<Label> {
        let values = &self.values;
        self.index
            .find(hash, |label| values[label.position()].as_bytes() == bytes)
            .copied()
    }

    /// Adds `text`, whose hash is `hash`, as a new label.
    fn push(&mut self, hash: u64, text: Box<str>) -> Label {
        self.values.push(text);
        let label = Label(NonZeroU32::new(self.values.len() as u32).unwrap_or(NonZeroU32::MIN));
        let values = &self.values;
        self.index.insert_unique(hash, label, |label| {
            text_hash(values[label.position()].as_bytes())
        });
        label
    }

    pub fn get(&self, text: &str) -> Option<Label> {
        self.find(text_hash(text.as_bytes()), text.as_bytes())
    }

    pub fn text(&self, label: Label) -> &str {
        &self.values[label.0.get() as usize - 1]
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Label, &str)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(idx, text)| NonZeroU32::new(idx as u32 + 1).map(|n| (Label(n), &**text)))
    }
}

/// Where a stored row came from: the input file's index and the physical line of its first
/// character (1-based, as a text editor shows it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOrigin {
    pub file_idx: u16,
    pub line: u32,
}

/// Baseline severity of need recorded at the start of support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Moderate,
    High,
}

/// Which group a person belongs to for difference-in-differences comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    Service,
    Comparison,
}

/// Where an outcome score sits in the episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Baseline,
    Review,
    Discharge,
}

/// Who gave a piece of feedback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackSource {
    Person,
    Staff,
    Carer,
}

/// How the person says their day-to-day functioning has changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctioningChange {
    Better,
    Same,
    Worse,
}

/// The scale goal ratings are recorded on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalScale {
    /// Goal Attainment Scaling, integers -2 to +2 (0 = expected outcome).
    Gas,
    /// Goal-based outcomes, 0 to 10.
    GoalBased,
}

/// The interned person identifier, shared by every table.
pub type PersonKey = Label;

#[derive(Clone, Debug, Default)]
pub struct PeopleTable {
    pub person: Vec<PersonKey>,
    pub pathway: Vec<Label>,
    pub start_date: Vec<NaiveDate>,
    pub end_date: Vec<Option<NaiveDate>>,
    pub team: Vec<Option<Label>>,
    pub coordinator: Vec<Option<Label>>,
    pub baseline_severity: Vec<Option<Severity>>,
    pub age_band: Vec<Option<Label>>,
    pub sex: Vec<Option<Label>>,
    pub ethnicity: Vec<Option<Label>>,
    pub cohort: Vec<Cohort>,
    pub origin: Vec<RowOrigin>,
}

#[derive(Clone, Debug, Default)]
pub struct OutcomesTable {
    pub person: Vec<PersonKey>,
    pub date: Vec<NaiveDate>,
    pub measure: Vec<Label>,
    pub score: Vec<f64>,
    pub stage: Vec<Option<Stage>>,
    pub origin: Vec<RowOrigin>,
}

/// Service use and crisis events: the largest table, kept compact.
#[derive(Clone, Debug, Default)]
pub struct EventsTable {
    pub person: Vec<PersonKey>,
    pub date: Vec<NaiveDate>,
    pub event_type: Vec<Label>,
    /// Units of the event (bed days, contacts); 1 when the column is absent or blank.
    pub quantity: Vec<f32>,
    /// 1 (low) to 3 (high); `None` when not recorded.
    pub severity: Vec<Option<NonZeroU8Severity>>,
    pub follow_up: Vec<Option<Label>>,
    /// Physical line of each row, stored sparsely.
    pub lines: LineIndex,
    /// Which file each run of rows came from: (file index, rows up to this end).
    pub file_runs: Vec<(u16, usize)>,
}

impl EventsTable {
    /// The input file index of a row.
    pub fn file_of(&self, row: usize) -> u16 {
        self.file_runs
            .iter()
            .find(|(_, end)| row < *end)
            .map_or(0, |(file, _)| *file)
    }
}

/// Physical line numbers of a table's rows, stored only where they stop running on by one:
/// a file of single-line records costs one entry, not one per row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// (first row, its line); rows after it up to the next jump follow line by line.
    jumps: Vec<(u32, u32)>,
    len: u32,
}

impl LineIndex {
    pub fn push(&mut self, line: u32) {
        let expected = self
            .jumps
            .last()
            .map(|(row, first)| first + (self.len - row));
        if expected != Some(line) {
            self.jumps.push((self.len, line));
        }
        self.len += 1;
    }

    pub fn line(&self, row: usize) -> u32 {
        let row = row as u32;
        let idx = self.jumps.partition_point(|(first, _)| *first <= row);
        match idx.checked_sub(1).and_then(|i| self.jumps.get(i)) {
            Some((first, line)) => line + (row - first),
            None => 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Event severity 1..=3, stored in one byte.
pub type NonZeroU8Severity = std::num::NonZeroU8;

#[derive(Clone, Debug, Default)]
pub struct GoalsTable {
    pub person: Vec<PersonKey>,
    pub goal_id: Vec<Label>,
    pub review_date: Vec<NaiveDate>,
    pub rating: Vec<f64>,
    /// The scale each rating was read on (decided per file).
    pub scale: Vec<GoalScale>,
    pub domain: Vec<Option<Label>>,
    pub description: Vec<Option<Label>>,
    pub set_date: Vec<Option<NaiveDate>>,
    pub baseline_rating: Vec<Option<f64>>,
    pub target_rating: Vec<Option<f64>>,
    pub next_review_date: Vec<Option<NaiveDate>>,
    pub plan_changed: Vec<Option<bool>>,
    pub staff: Vec<Option<Label>>,
    pub origin: Vec<RowOrigin>,
}

#[derive(Clone, Debug, Default)]
pub struct StatusTable {
    pub person: Vec<PersonKey>,
    pub date: Vec<NaiveDate>,
    pub indicator: Vec<Label>,
    pub value: Vec<Label>,
    /// Position of the value in its indicator's configured order (0 = worst); `None` for
    /// indicators without a configured order.
    pub rank: Vec<Option<u8>>,
    pub origin: Vec<RowOrigin>,
}

#[derive(Clone, Debug, Default)]
pub struct FeedbackTable {
    pub person: Vec<PersonKey>,
    pub date: Vec<NaiveDate>,
    pub source: Vec<Option<FeedbackSource>>,
    pub self_rating: Vec<Option<f64>>,
    pub functioning_change: Vec<Option<FunctioningChange>>,
    pub themes: Vec<Vec<Label>>,
    pub text: Vec<Option<Label>>,
    pub plan_adjustment: Vec<Option<Label>>,
    pub origin: Vec<RowOrigin>,
}

/// Everything ingested from one upload: the tables, and the string pools they refer to.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Person identifiers, exactly as written in the files.
    pub person_ids: Labels,
    /// All other interned text: pathways, teams, measures, event types, follow-ups, themes.
    pub text: Labels,
    pub people: PeopleTable,
    pub outcomes: OutcomesTable,
    pub events: EventsTable,
    pub goals: GoalsTable,
    pub status: StatusTable,
    pub feedback: FeedbackTable,
}

impl Dataset {
    /// Rows held per table, in [`TableKind::ALL`] order.
    pub fn row_count(&self, table: TableKind) -> usize {
        match table {
            TableKind::People => self.people.person.len(),
            TableKind::Outcomes => self.outcomes.person.len(),
            TableKind::Events => self.events.person.len(),
            TableKind::Goals => self.goals.person.len(),
            TableKind::Status => self.status.person.len(),
            TableKind::Feedback => self.feedback.person.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_intern_each_text_once_and_the_same_bytes_find_the_same_label() {
        let mut labels = Labels::default();
        let a = labels.intern("Crisis plan reviewed");
        let b = labels.intern_bytes(b"P001");
        assert_eq!(labels.intern_bytes(b"Crisis plan reviewed"), a);
        assert_ne!(a, b);
        assert_eq!(labels.get("P001"), Some(b));
        assert_eq!(labels.get("P002"), None);
        // Not UTF-8 (Windows-1252 "é"): stored with a replacement character; the same bytes
        // find the same label, and so does its stored text.
        let odd = labels.intern_bytes(b"caf\xe9");
        assert_eq!(labels.text(odd), "caf\u{fffd}");
        assert_eq!(labels.intern_bytes(b"caf\xe9"), odd);
        assert_eq!(labels.intern("caf\u{fffd}"), odd);
        assert_eq!(labels.len(), 3);
        let texts: Vec<&str> = labels.iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["Crisis plan reviewed", "P001", "caf\u{fffd}"]);
    }

    #[test]
    fn headers_normalise_across_punctuation_and_case() {
        assert_eq!(normalise_header("  Client_ID "), "client id");
        assert_eq!(normalise_header("Start-of-Support"), "start of support");
        assert_eq!(normalise_header("NHS  Number"), "nhs number");
        assert_eq!(normalise_header("Self rating (0-10)"), "self rating 0 10");
    }

    #[test]
    fn every_table_lists_required_fields_first_and_names_are_unique() {
        for table in TableKind::ALL {
            let fields = table.fields();
            let first_optional = fields
                .iter()
                .position(|f| !f.required)
                .unwrap_or(fields.len());
            assert!(
                fields[first_optional..].iter().all(|f| !f.required),
                "{table:?}"
            );
            let mut names: Vec<_> = fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), fields.len(), "{table:?}");
        }
    }

    #[test]
    fn line_index_stores_jumps_only() {
        let lines = [2, 3, 4, 7, 8, 10];
        let mut index = LineIndex::default();
        for line in lines {
            index.push(line);
        }
        assert_eq!(index.jumps.len(), 3);
        let back: Vec<u32> = (0..lines.len()).map(|row| index.line(row)).collect();
        assert_eq!(back, lines);
    }

    #[test]
    fn labels_intern_once() {
        let mut labels = Labels::default();
        let a = labels.intern("Step-down");
        let b = labels.intern("Step-down");
        assert_eq!(a, b);
        assert_eq!(labels.text(a), "Step-down");
        assert_eq!(labels.len(), 1);
    }
}
