//! Checks across tables, once every file is read: people listed twice, rows for people who
//! are not in the people table, dates outside a person's episode, and duplicate rows.
//!
//! Only duplicate people are rejected (the first row is kept, because a person's episode
//! must be unambiguous); everything else is a warning and the rows stay, so the user decides.

use super::FileSummary;
use crate::issues::{Issue, IssueCode, IssueSeverity};
use crate::model::{
    Dataset, EventsTable, Label, NonZeroU8Severity, PersonKey, RowGroups, RowOrigin, TableKind,
};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

pub fn check(dataset: &mut Dataset, files: &mut [FileSummary], issues: &mut Vec<Issue>) {
    reject_duplicate_people(dataset, files, issues);
    if dataset.people.person.is_empty() {
        return;
    }
    // Each person's episode, indexed by the person's position in the ID pool (labels are
    // dense): a lookup per row of every table, so an array rather than a hash map.
    let mut episodes: Vec<Option<Episode>> = vec![None; dataset.person_ids.len()];
    for (person, (start, end)) in dataset.people.person.iter().zip(
        dataset
            .people
            .start_date
            .iter()
            .zip(&dataset.people.end_date),
    ) {
        if let Some(slot) = episodes.get_mut(person.position()) {
            *slot = Some((*start, *end));
        }
    }
    let file_name = |file_idx: u16| {
        files
            .get(usize::from(file_idx))
            .map_or("?", |f| f.name.as_str())
            .to_string()
    };

    let d = &*dataset;
    let mut findings = Vec::new();
    // Scores, goals, status and feedback belong to the episode; events before the start are
    // the pre-support history that cost avoidance needs, so only events after the end are noted.
    let tables: [(TableKind, &[PersonKey], &[NaiveDate], bool); 4] = [
        (
            TableKind::Outcomes,
            &d.outcomes.person,
            &d.outcomes.date,
            true,
        ),
        (
            TableKind::Goals,
            &d.goals.person,
            &d.goals.review_date,
            true,
        ),
        (TableKind::Status, &d.status.person, &d.status.date, true),
        (
            TableKind::Feedback,
            &d.feedback.person,
            &d.feedback.date,
            true,
        ),
    ];
    let origins: [&[RowOrigin]; 4] = [
        &d.outcomes.origin,
        &d.goals.origin,
        &d.status.origin,
        &d.feedback.origin,
    ];
    for ((table, persons, dates, check_start), origins) in tables.into_iter().zip(origins) {
        for ((person, date), origin) in persons.iter().zip(dates).zip(origins) {
            findings.extend(
                episode_finding(table, d, &episodes, *person, *date, check_start)
                    .map(|f| (origin.file_idx, origin.line, f)),
            );
        }
    }
    let events = &d.events;
    let mut run_start = 0;
    for (file_idx, run_end) in &events.file_runs {
        for row in run_start..*run_end {
            let finding = episode_finding(
                TableKind::Events,
                d,
                &episodes,
                events.person[row],
                events.date[row],
                false,
            );
            findings.extend(finding.map(|f| (*file_idx, events.lines.line(row), f)));
        }
        run_start = *run_end;
    }
    for (file_idx, line, (code, message, value)) in findings {
        issues.push(
            Issue::new(IssueSeverity::Warning, code, &file_name(file_idx), message)
                .at_line(line)
                .found(&value),
        );
    }
    report_duplicate_rows(dataset, &file_name, issues);
}

type Finding = (IssueCode, String, String);

/// A person's start and end dates.
type Episode = (NaiveDate, Option<NaiveDate>);

fn episode_finding(
    table: TableKind,
    dataset: &Dataset,
    episodes: &[Option<Episode>],
    person: PersonKey,
    date: NaiveDate,
    check_start: bool,
) -> Option<Finding> {
    let id = || dataset.person_ids.text(person).to_string();
    match episodes.get(person.position()).copied().flatten() {
        None => Some((
            IssueCode::UnknownPerson,
            format!("This {} row is for a person_id that is not in the people table; it is kept but cannot be linked to a pathway or episode.", singular(table)),
            id(),
        )),
        Some((start, _)) if check_start && date < start => Some((
            IssueCode::BeforeStart,
            format!("This {} row is dated before the person's start date ({start}).", singular(table)),
            format!("{} on {date}", id()),
        )),
        Some((_, Some(end))) if date > end => Some((
            IssueCode::AfterEnd,
            format!("This {} row is dated after the person's end date ({end}).", singular(table)),
            format!("{} on {date}", id()),
        )),
        _ => None,
    }
}

fn singular(table: TableKind) -> &'static str {
    match table {
        TableKind::People => "people",
        TableKind::Outcomes => "outcome",
        TableKind::Events => "event",
        TableKind::Goals => "goal review",
        TableKind::Status => "status",
        TableKind::Feedback => "feedback",
    }
}

fn reject_duplicate_people(
    dataset: &mut Dataset,
    files: &mut [FileSummary],
    issues: &mut Vec<Issue>,
) {
    let people = &mut dataset.people;
    let mut first_seen: FxHashMap<PersonKey, RowOrigin> = FxHashMap::default();
    let mut keep = vec![true; people.person.len()];
    for (row, (person, origin)) in people.person.iter().zip(&people.origin).enumerate() {
        if let Some(first) = first_seen.get(person) {
            keep[row] = false;
            let first_file = files
                .get(usize::from(first.file_idx))
                .map_or("?", |f| f.name.as_str())
                .to_string();
            let file = &mut files[usize::from(origin.file_idx)];
            file.rows_accepted -= 1;
            file.rows_rejected += 1;
            issues.push(
                Issue::new(
                    IssueSeverity::Error,
                    IssueCode::DuplicatePerson,
                    &file.name,
                    format!("Row rejected: this person_id is already listed ({first_file} line {}); each person needs one row, with one start date.", first.line),
                )
                .at_line(origin.line)
                .found(dataset.person_ids.text(*person)),
            );
        } else {
            first_seen.insert(*person, *origin);
        }
    }
    if keep.iter().all(|k| *k) {
        return;
    }
    *people = people.rows_where(&keep);
}

/// Warns about rows identical in every stored field to an earlier row of the same table.
/// They are kept: two crisis contacts on one day are possible, but the user should check.
fn report_duplicate_rows(
    dataset: &Dataset,
    file_name: &dyn Fn(u16) -> String,
    issues: &mut Vec<Issue>,
) {
    let mut warn = |file_idx: u16, line: u32, first: (u16, u32), table: &str| {
        let first_file = file_name(first.0);
        issues.push(
            Issue::new(
                IssueSeverity::Warning,
                IssueCode::DuplicateRow,
                &file_name(file_idx),
                format!("This {table} row repeats {first_file} line {} exactly; both are kept. Remove one if it was exported twice.", first.1),
            )
            .at_line(line),
        );
    };
    for (file_idx, row, (first_file, first_row)) in repeated_events(&dataset.events) {
        let lines = &dataset.events.lines;
        warn(
            file_idx,
            lines.line(row),
            (first_file, lines.line(first_row as usize)),
            "event",
        );
    }
    let o = &dataset.outcomes;
    let mut first_of: FxHashMap<(PersonKey, NaiveDate, crate::model::Label, u64), RowOrigin> =
        FxHashMap::with_capacity_and_hasher(o.person.len(), Default::default());
    for row in 0..o.person.len() {
        let key = (
            o.person[row],
            o.date[row],
            o.measure[row],
            o.score[row].to_bits(),
        );
        match first_of.get(&key) {
            Some(first) => warn(
                o.origin[row].file_idx,
                o.origin[row].line,
                (first.file_idx, first.line),
                "outcome",
            ),
            None => {
                first_of.insert(key, o.origin[row]);
            }
        }
    }
}

/// An event row's stored fields, compared to find repeats.
type EventFields = (
    PersonKey,
    NaiveDate,
    Label,
    u32,
    Option<NonZeroU8Severity>,
    Option<Label>,
);

/// The event rows that repeat an earlier row in every stored field, as (file, row, (file,
/// row) of the first such row), in row order.
///
/// Repeats can only be rows of one person, on one day, of one type, so the rows are grouped
/// by person (a stable counting sort: each person's rows stay in row order), each person's
/// rows sorted by day and type packed in one number, then by row, and only rows sharing a
/// day and a type compared field by field. A million rows were about a tenth of the
/// ingestion time in WebAssembly with one hash table over all rows (a cache miss per row);
/// grouped, the work stays within a person's rows.
fn repeated_events(e: &EventsTable) -> Vec<(u16, usize, (u16, u32))> {
    let fields = |row: u32| -> EventFields {
        let row = row as usize;
        (
            e.person[row],
            e.date[row],
            e.event_type[row],
            e.quantity[row].to_bits(),
            e.severity[row],
            e.follow_up[row],
        )
    };
    let day_and_type = |row: u32| -> u64 {
        let row = row as usize;
        let day = chrono::Datelike::num_days_from_ce(&e.date[row]) as u32;
        (u64::from(day) << 32) | e.event_type[row].position() as u64
    };
    let file_of = |row: u32| -> u16 {
        let run = e.file_runs.partition_point(|(_, end)| *end <= row as usize);
        e.file_runs.get(run).map_or(0, |(file_idx, _)| *file_idx)
    };
    let mut repeats = Vec::new();
    let mut report = |row: u32, first: u32| {
        repeats.push((file_of(row), row as usize, (file_of(first), first)));
    };
    let mut keyed: Vec<(u64, u32)> = Vec::new();
    let mut candidates: Vec<u32> = Vec::new();
    // Each person's rows in row order (by the position of the person's label).
    let n_labels = e.person.iter().map(|p| p.position() + 1).max().unwrap_or(0);
    let by_person = RowGroups::build(e.person.len(), n_labels, |row| {
        Some(e.person[row].position())
    });
    for person_rows in (0..by_person.len()).map(|p| by_person.of(p)) {
        keyed.clear();
        keyed.extend(person_rows.iter().map(|row| (day_and_type(*row), *row)));
        keyed.sort_unstable();
        for same_day_and_type in keyed.chunk_by(|a, b| a.0 == b.0) {
            if same_day_and_type.len() < 2 {
                continue;
            }
            // Sorted by field, then row: equal rows side by side, the first of them first.
            candidates.clear();
            candidates.extend(same_day_and_type.iter().map(|(_, row)| *row));
            candidates.sort_unstable_by(|a, b| fields(*a).cmp(&fields(*b)).then(a.cmp(b)));
            for same in candidates.chunk_by(|a, b| fields(*a) == fields(*b)) {
                if let [first, later @ ..] = same {
                    later.iter().for_each(|row| report(*row, *first));
                }
            }
        }
    }
    repeats.sort_unstable_by_key(|(_, row, _)| *row);
    repeats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest;
    use crate::{InputFile, MappingConfig};

    /// Repeats are exact: the same fields for another person, another day or another severity
    /// are not a repeat; every later copy names the first.
    #[test]
    fn repeats_are_rows_equal_in_every_field_and_name_the_first() {
        let events = "person_id,date,event_type,quantity,severity\n\
            P1,2025-01-02,crisis_contact,1,2\n\
            P2,2025-01-02,crisis_contact,1,2\n\
            P1,2025-01-02,crisis_contact,1,2\n\
            P1,2025-01-02,crisis_contact,1,3\n\
            P2,2025-01-02,crisis_contact,1,2\n\
            P1,2025-01-03,crisis_contact,1,2\n\
            P1,2025-01-02,crisis_contact,1,2\n";
        let more = "person_id,date,event_type,quantity,severity\n\
            P2,2025-01-02,crisis_contact,1,2\n\
            P1,2025-01-02,crisis_contact,2,2\n\
            P3,2025-01-02,crisis_contact,1,2\n";
        let files = [
            InputFile {
                name: "events.csv",
                bytes: events.as_bytes(),
            },
            InputFile {
                name: "more_events.csv",
                bytes: more.as_bytes(),
            },
        ];
        let e = ingest(&files, &MappingConfig::default()).dataset.events;
        assert_eq!(e.person.len(), 10);
        // By hand: rows 2 and 6 repeat row 0; rows 4 and 7 (the second file's first row)
        // repeat row 1; rows 8 (another quantity) and 9 (another person) repeat nothing.
        let expected = vec![
            (0, 2, (0, 0)),
            (0, 4, (0, 1)),
            (0, 6, (0, 0)),
            (1, 7, (0, 1)),
        ];
        assert_eq!(repeated_events(&e), expected);
    }
}
