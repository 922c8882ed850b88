//! Who is in the data, when they were in service, and which rows of each table are theirs.
//!
//! Every engine walks people one at a time, so the index groups each table's rows by person
//! (sorted by date) once, with a counting sort: O(rows), no hashing, two `u32`s per row.

use super::vocabulary::Vocabulary;
use super::AnalysisConfig;
use crate::model::{Cohort, Dataset, Label, PersonKey, RowGroups};
use chrono::NaiveDate;

/// Rows of one table grouped by person: `of(p)` are person `p`'s rows, in date order (ties keep
/// file order).
#[derive(Clone, Debug, Default)]
pub struct Grouped(RowGroups);

impl Grouped {
    fn build(
        persons: &[PersonKey],
        dates: &[NaiveDate],
        slot: &[Option<u32>],
        n_people: usize,
    ) -> Grouped {
        let mut groups = RowGroups::build(persons.len(), n_people, |row| {
            let key = persons.get(row)?;
            slot.get(label_index(*key))
                .copied()
                .flatten()
                .map(|p| p as usize)
        });
        for p in 0..n_people {
            let span = groups.of_mut(p);
            if span
                .windows(2)
                .any(|w| dates[w[0] as usize] > dates[w[1] as usize])
            {
                span.sort_by_key(|row| dates[*row as usize]);
            }
        }
        Grouped(groups)
    }

    /// The rows of person `p` (a people-table row index), in date order.
    pub fn of(&self, p: usize) -> &[u32] {
        self.0.of(p)
    }
}

fn label_index(label: Label) -> usize {
    label.position()
}

/// People and their rows, plus the reference date the analysis runs to.
#[derive(Clone, Debug)]
pub struct PersonIndex {
    pub reference_date: NaiveDate,
    /// Number of people (rows of the people table).
    pub len: usize,
    /// Last day in service: the end date, or the reference date while still in service.
    pub service_end: Vec<NaiveDate>,
    pub outcomes: Grouped,
    pub events: Grouped,
    pub goals: Grouped,
    pub status: Grouped,
    pub feedback: Grouped,
    pub vocab: Vocabulary,
}

impl PersonIndex {
    /// `None` when there are no people.
    pub fn build(data: &Dataset, config: &AnalysisConfig) -> Option<PersonIndex> {
        let n = data.people.person.len();
        if n == 0 {
            return None;
        }
        let reference_date = config.reference_date.or_else(|| latest_date(data))?;
        let mut slot = vec![None; data.person_ids.len()];
        for (row, key) in data.people.person.iter().enumerate() {
            if let Some(s) = slot.get_mut(label_index(*key)) {
                *s = Some(row as u32);
            }
        }
        let service_end = data
            .people
            .end_date
            .iter()
            .map(|end| end.map_or(reference_date, |end| end.min(reference_date)))
            .collect();
        let o = &data.outcomes;
        let e = &data.events;
        let g = &data.goals;
        let s = &data.status;
        let f = &data.feedback;
        Some(PersonIndex {
            reference_date,
            len: n,
            service_end,
            outcomes: Grouped::build(&o.person, &o.date, &slot, n),
            events: Grouped::build(&e.person, &e.date, &slot, n),
            goals: Grouped::build(&g.person, &g.review_date, &slot, n),
            status: Grouped::build(&s.person, &s.date, &slot, n),
            feedback: Grouped::build(&f.person, &f.date, &slot, n),
            vocab: Vocabulary::build(data, config),
        })
    }

    /// Whether person `p` counts as receiving the service (not the comparison cohort).
    pub fn in_service_cohort(data: &Dataset, p: usize) -> bool {
        data.people.cohort.get(p) == Some(&Cohort::Service)
    }

    /// Days person `p` was in service between `from` and `to` inclusive.
    pub fn days_in_service(&self, data: &Dataset, p: usize, from: NaiveDate, to: NaiveDate) -> i64 {
        let (Some(start), Some(end)) = (data.people.start_date.get(p), self.service_end.get(p))
        else {
            return 0;
        };
        let lo = from.max(*start);
        let hi = to.min(*end);
        if hi < lo {
            0
        } else {
            (hi - lo).num_days() + 1
        }
    }
}

/// The latest date in any table: what "today" is when the caller gives no reference date.
pub fn latest_date(data: &Dataset) -> Option<NaiveDate> {
    data.people
        .start_date
        .iter()
        .chain(data.people.end_date.iter().flatten())
        .chain(&data.outcomes.date)
        .chain(&data.events.date)
        .chain(&data.goals.review_date)
        .chain(&data.status.date)
        .chain(&data.feedback.date)
        .max()
        .copied()
}
