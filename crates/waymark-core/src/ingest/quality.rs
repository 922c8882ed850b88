//! Problems that change the results, summarised with their row counts, and the verdict on the
//! data: ready, ready with problems, or cannot be analysed.
//!
//! Issues say what is wrong at each row; this module says what those rows do to the figures,
//! table by table, so a commissioner's analyst sees at the top of the data-quality view that
//! "26,387 event rows (100%) are for people not in the people file" before the 26,387 warnings.
//! It is computed once, when ingestion finishes ([`assess`]), and carried in the
//! [`ValidationReport`](super::ValidationReport) that the report's JSON and HTML and the app
//! show. Rules (also in docs/methods.md, "Data quality and the verdict"):
//!
//! - **Rows left out**: per table, the rows rejected with an error (each has its issue).
//! - **Rows not linked to a person**: per table, rows whose `person_id` is not in the people
//!   table. They are kept but no per-person or service figure can use them.
//! - **People with no events or scores**: people-table rows with no row in the outcomes table
//!   and none in the events table. They still add months in service to every rate's
//!   denominator.
//! - **Values the analysis does not recognise**: event types that no event kind lists
//!   ([`EventKinds`]) and that cost avoidance does not count either (its
//!   `counted_event_types` and unit-cost rows), status indicators other than housing and
//!   engagement, and measure names not in the measure catalogue in force, one entry per value.
//! - **Verdict**: *cannot be analysed* when there is no usable people table, or when more than
//!   half ([`MAX_UNLINKED_SHARE`]) of the rows of any other table are not linked to a person
//!   (the files then most likely come from different exports or use different IDs, and any
//!   figure would describe the few rows that happen to match); *ready with problems* when any
//!   problem above is present; *ready* otherwise.

use super::rules::IngestRules;
use super::{FileSummary, ValidationReport};
use crate::model::{Dataset, Label, PersonKey, TableKind};
use serde::{Deserialize, Serialize};

/// Above this share of a table's rows not linked to a person, the data cannot be analysed.
pub const MAX_UNLINKED_SHARE: f64 = 0.5;

/// Whether the data can support figures, in three levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictLevel {
    /// Nothing was left out and nothing unrecognised was found.
    Ready,
    /// The data can be analysed, but some rows were left out or cannot be used: see `problems`.
    ReadyWithProblems,
    /// No figure would be defensible: see `reason`.
    CannotBeAnalysed,
}

/// The verdict on the data, with its reason in plain words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub level: VerdictLevel,
    /// One sentence for the top of the data-quality view, e.g. "The data can be analysed,
    /// with 3 problems that change the results (listed below)."
    pub headline: String,
    /// Why the data cannot be analysed; `None` unless `level` is `cannot_be_analysed`.
    pub reason: Option<String>,
}

/// The kind of a problem that changes the results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Rows rejected with an error: left out of every figure.
    RowsLeftOut,
    /// Rows for a `person_id` not in the people table.
    PersonNotInPeopleFile,
    /// People with no event and no score.
    PeopleWithoutRecords,
    /// An event type no event kind lists.
    UnrecognisedEventType,
    /// A status indicator other than housing and engagement.
    UnrecognisedStatusIndicator,
    /// A measure name not in the measure catalogue.
    UnrecognisedMeasure,
}

/// One problem that changes the results, with how many rows (or people) it touches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataProblem {
    pub kind: ProblemKind,
    pub table: TableKind,
    /// The value concerned (an event type, an indicator, a measure name), when there is one.
    pub value: Option<String>,
    /// Rows touched (people, for `people_without_records`).
    pub count: usize,
    /// Rows of the table read (accepted and rejected), or people, for the share.
    pub of: usize,
    /// `count / of` as a percentage, one decimal; `None` when `of` is zero.
    pub percent: Option<f64>,
    /// What it does to the figures, e.g. "not counted in any service indicator".
    pub effect: String,
    /// The whole sentence, e.g. "events: 3 of 120 rows (2.5%) have event type
    /// \"housing_visit\": not counted in any service indicator".
    pub message: String,
}

/// The problems in the order the view lists them, and the verdict that follows from them.
pub fn assess(
    dataset: &Dataset,
    files: &[FileSummary],
    rules: &IngestRules,
    unusable_reason: Option<String>,
) -> (Verdict, Vec<DataProblem>) {
    let mut problems = Vec::new();
    let rows_read = |table: TableKind| {
        let read: usize = files
            .iter()
            .filter(|f| f.table == Some(table) && f.readable)
            .map(|f| f.rows_accepted + f.rows_rejected)
            .sum();
        read.max(dataset.row_count(table))
    };
    for table in TableKind::ALL {
        let rejected: usize = files
            .iter()
            .filter(|f| f.table == Some(table) && f.readable)
            .map(|f| f.rows_rejected)
            .sum();
        if rejected > 0 {
            problems.push(problem(
                ProblemKind::RowsLeftOut,
                table,
                None,
                rejected,
                rows_read(table),
                "rejected (see the errors below): left out of every figure",
            ));
        }
    }
    let unlinked = unlinked_rows(dataset);
    let mut worst_unlinked: Option<(TableKind, usize, usize)> = None;
    for (table, count) in unlinked {
        if count == 0 {
            continue;
        }
        let of = rows_read(table);
        problems.push(problem(
            ProblemKind::PersonNotInPeopleFile,
            table,
            None,
            count,
            of,
            "for a person_id not in the people file: kept, but not linked to a pathway or episode, so no figure counts them",
        ));
        let share = count as f64 / of.max(1) as f64;
        let worse = worst_unlinked.is_none_or(|(_, c, o)| share > c as f64 / o.max(1) as f64);
        if share > MAX_UNLINKED_SHARE && worse {
            worst_unlinked = Some((table, count, of));
        }
    }
    let n_people = dataset.people.person.len();
    let without = people_without_records(dataset);
    if without > 0 {
        problems.push(problem(
            ProblemKind::PeopleWithoutRecords,
            TableKind::People,
            None,
            without,
            n_people,
            "have no event and no score at all: they add months in service to every rate but nothing else; check they are not missing from the other files",
        ));
    }
    // Values the user's value mapping (or the format profile's) keeps out on purpose are a
    // decision, not a problem.
    let left_out_by_choice = |name: &str| {
        files.iter().flat_map(|f| &f.values).any(|v| {
            v.from != super::value_map::MeaningFrom::BuiltIn
                && v.meaning.is_none()
                && v.value == name
        })
    };
    for (label, count) in label_counts(dataset, &dataset.events.event_type) {
        let name = dataset.text.text(label);
        if rules.event_kinds.classify(name).is_none()
            && !rules.valued(name)
            && !left_out_by_choice(name)
        {
            problems.push(problem(
                ProblemKind::UnrecognisedEventType,
                TableKind::Events,
                Some(name),
                count,
                rows_read(TableKind::Events),
                "not counted in any service indicator nor in cost avoidance (map it to an event type in the mapping step, or give it a unit cost)",
            ));
        }
    }
    for (label, count) in label_counts(dataset, &dataset.status.indicator) {
        let name = dataset.text.text(label);
        let folded = name.trim().to_lowercase();
        if folded != "housing" && folded != "engagement" {
            problems.push(problem(
                ProblemKind::UnrecognisedStatusIndicator,
                TableKind::Status,
                Some(name),
                count,
                rows_read(TableKind::Status),
                "not counted in any indicator (only housing and engagement are; map it to one in the mapping step if it is one of them)",
            ));
        }
    }
    for (label, count) in label_counts(dataset, &dataset.outcomes.measure) {
        let name = dataset.text.text(label);
        if rules.measures.lookup(name).is_none() {
            problems.push(problem(
                ProblemKind::UnrecognisedMeasure,
                TableKind::Outcomes,
                Some(name),
                count,
                rows_read(TableKind::Outcomes),
                "not in the measure catalogue: no change is judged on it (add the measure, with its range and direction, in the configuration)",
            ));
        }
    }

    let reason = unusable_reason.or_else(|| {
        // A share, not the counts: the verdict is printed in the report too, and the counts
        // are in the problems list, under the report's disclosure policy there.
        worst_unlinked.map(|(table, count, of)| {
            format!(
                "{}% of the {} rows are for a person_id that is not in the people file. The files may come from different exports, or their ID columns may differ; no figure would describe these people.",
                percent(count, of).unwrap_or(0.0),
                table.name(),
            )
        })
    });
    (verdict(reason, &problems), problems)
}

/// The verdict: cannot be analysed when there is a reason, else ready or ready with problems.
fn verdict(reason: Option<String>, problems: &[DataProblem]) -> Verdict {
    match reason {
        Some(reason) => Verdict {
            level: VerdictLevel::CannotBeAnalysed,
            headline: format!("The data cannot be analysed yet: {reason}"),
            reason: Some(reason),
        },
        None if problems.is_empty() => Verdict {
            level: VerdictLevel::Ready,
            headline: "The data can be analysed.".to_string(),
            reason: None,
        },
        None => Verdict {
            level: VerdictLevel::ReadyWithProblems,
            headline: format!(
                "The data can be analysed, with {} problem{} that change{} the results (listed first below).",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                if problems.len() == 1 { "s" } else { "" },
            ),
            reason: None,
        },
    }
}

fn problem(
    kind: ProblemKind,
    table: TableKind,
    value: Option<&str>,
    count: usize,
    of: usize,
    effect: &str,
) -> DataProblem {
    let share = percent(count, of)
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    let message = match (kind, value) {
        (ProblemKind::PeopleWithoutRecords, _) => {
            format!("people: {count} of {of} people{share} {effect}")
        }
        (ProblemKind::UnrecognisedEventType, Some(value)) => format!(
            "{}: {count} of {of} rows{share} have event type \"{value}\": {effect}",
            table.name()
        ),
        (ProblemKind::UnrecognisedStatusIndicator, Some(value)) => format!(
            "{}: {count} of {of} rows{share} have indicator \"{value}\": {effect}",
            table.name()
        ),
        (ProblemKind::UnrecognisedMeasure, Some(value)) => format!(
            "{}: {count} of {of} rows{share} have measure \"{value}\": {effect}",
            table.name()
        ),
        _ => format!("{}: {count} of {of} rows{share} {effect}", table.name()),
    };
    DataProblem {
        kind,
        table,
        value: value.map(str::to_string),
        count,
        of,
        percent: percent(count, of),
        effect: effect.to_string(),
        message,
    }
}

/// `count / of` as a percentage rounded to one decimal.
fn percent(count: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| (1000.0 * count as f64 / of as f64).round() / 10.0)
}

/// Rows per distinct label, in the order each label first appears.
fn label_counts(dataset: &Dataset, labels: &[Label]) -> Vec<(Label, usize)> {
    let mut counts = vec![0usize; dataset.text.len()];
    let mut order = Vec::new();
    for label in labels {
        if let Some(count) = counts.get_mut(label.position()) {
            if *count == 0 {
                order.push(*label);
            }
            *count += 1;
        }
    }
    order
        .into_iter()
        .map(|label| (label, counts[label.position()]))
        .collect()
}

/// Which person IDs have a row in the people table, by position in the ID pool.
fn listed_people(dataset: &Dataset) -> Vec<bool> {
    let mut listed = vec![false; dataset.person_ids.len()];
    for person in &dataset.people.person {
        if let Some(slot) = listed.get_mut(person.position()) {
            *slot = true;
        }
    }
    listed
}

/// Rows per table (other than people) whose person is not in the people table.
fn unlinked_rows(dataset: &Dataset) -> Vec<(TableKind, usize)> {
    let listed = listed_people(dataset);
    let count = |persons: &[PersonKey]| {
        persons
            .iter()
            .filter(|p| !listed.get(p.position()).copied().unwrap_or(false))
            .count()
    };
    vec![
        (TableKind::Outcomes, count(&dataset.outcomes.person)),
        (TableKind::Events, count(&dataset.events.person)),
        (TableKind::Goals, count(&dataset.goals.person)),
        (TableKind::Status, count(&dataset.status.person)),
        (TableKind::Feedback, count(&dataset.feedback.person)),
    ]
}

/// People in the people table with no outcomes row and no events row.
fn people_without_records(dataset: &Dataset) -> usize {
    let mut has_record = vec![false; dataset.person_ids.len()];
    for person in dataset.outcomes.person.iter().chain(&dataset.events.person) {
        if let Some(slot) = has_record.get_mut(person.position()) {
            *slot = true;
        }
    }
    dataset
        .people
        .person
        .iter()
        .filter(|p| !has_record.get(p.position()).copied().unwrap_or(false))
        .count()
}

impl ValidationReport {
    /// Whether the data can be analysed at all (the verdict is not `cannot_be_analysed`).
    pub fn can_be_analysed(&self) -> bool {
        self.verdict.level != VerdictLevel::CannotBeAnalysed
    }
}
