//! Narrowing the data to a group of people (a pathway, a team, a coordinator, a demographic
//! band) before analysis, so every engine and every figure describes the same group.
//!
//! The filtered dataset keeps only the chosen people's rows in every table; the engines then
//! run unchanged. Label pools are shared, so text is not copied.
//!
//! An analysis period ([`PeopleFilter::period_from`], [`PeopleFilter::period_to`]) narrows
//! time as well as people: see docs/methods.md, "The analysis period".

use crate::model::{Dataset, Label, PersonKey};
use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Which people to keep, and over which period: each list, when not empty, must contain the
/// person's value (compared exactly as it appears in the people file). Empty lists keep
/// everyone.
///
/// # The analysis period
///
/// `period_from` and `period_to` (both optional, inclusive) choose the period analysed:
///
/// - **People.** Only people in service at some time in the period are kept: start date on or
///   before `period_to`, and no end date or an end date on or after `period_from`. This is
///   combined with the lists above (a person must pass all of them).
/// - **`period_to` ends the analysis.** The analysis date becomes the earlier of `period_to`
///   and the configured (or derived) analysis date, and nothing dated after `period_to` counts
///   anywhere: [`filter_people`] drops every outcome, event, goal review, status and feedback
///   row dated after it, and an end date after it is cleared (the person was still in service
///   on `period_to`).
/// - **`period_from` starts the monthly indicators.** The service indicators and their XmR
///   charts begin at `period_from`'s month instead of the first month anyone started. Figures
///   measured from each person's own start (baselines, before/after windows, reliable change)
///   are unchanged: earlier rows still count for them.
///
/// A period that starts after it ends is an error ([`PeopleFilter::validate`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleFilter {
    pub pathways: Vec<String>,
    pub teams: Vec<String>,
    pub coordinators: Vec<String>,
    pub age_bands: Vec<String>,
    pub sexes: Vec<String>,
    pub ethnicities: Vec<String>,
    /// First day of the analysis period (inclusive); `None` for no lower bound.
    pub period_from: Option<NaiveDate>,
    /// Last day of the analysis period (inclusive); `None` for no upper bound.
    pub period_to: Option<NaiveDate>,
}

/// A period whose start is after its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodError {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the period starts on {} but ends earlier, on {}: choose a start date on or before the end date",
            self.period_from, self.period_to
        )
    }
}

impl std::error::Error for PeriodError {}

impl PeopleFilter {
    /// True when the filter keeps everyone and every row.
    pub fn is_empty(&self) -> bool {
        self.pathways.is_empty()
            && self.teams.is_empty()
            && self.coordinators.is_empty()
            && self.age_bands.is_empty()
            && self.sexes.is_empty()
            && self.ethnicities.is_empty()
            && self.period_from.is_none()
            && self.period_to.is_none()
    }

    /// The filter in words ("Filtered to people with team: North; in service between 2025-04-01
    /// and 2026-03-31"), or `None` when it keeps everyone; the report and the app both say it
    /// this way.
    pub fn in_words(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let parts: Vec<String> = [
            ("pathway", &self.pathways),
            ("team", &self.teams),
            ("coordinator", &self.coordinators),
            ("age band", &self.age_bands),
            ("sex", &self.sexes),
            ("ethnicity", &self.ethnicities),
        ]
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(name, list)| format!("{name}: {}", list.join(" or ")))
        .collect();
        let mut sentence = String::from("Filtered to people");
        if !parts.is_empty() {
            sentence.push_str(&format!(" with {}", parts.join("; ")));
        }
        match (self.period_from, self.period_to) {
            (Some(from), Some(to)) => {
                sentence.push_str(&format!(" in service between {from} and {to}"));
            }
            (Some(from), None) => sentence.push_str(&format!(" in service on or after {from}")),
            (None, Some(to)) => {
                sentence.push_str(&format!(" in service by {to}, counting nothing after it"));
            }
            (None, None) => {}
        }
        Some(sentence)
    }

    /// The period must not start after it ends.
    pub fn validate(&self) -> Result<(), PeriodError> {
        match (self.period_from, self.period_to) {
            (Some(period_from), Some(period_to)) if period_from > period_to => Err(PeriodError {
                period_from,
                period_to,
            }),
            _ => Ok(()),
        }
    }

    /// Whether person `p` (a people-table row) was in service during the period (see the
    /// type's documentation); true when no period is set.
    pub fn in_period(&self, data: &Dataset, p: usize) -> bool {
        let people = &data.people;
        let started_in_time = match (self.period_to, people.start_date.get(p)) {
            (Some(to), Some(start)) => *start <= to,
            _ => true,
        };
        let still_there = match (self.period_from, people.end_date.get(p).copied().flatten()) {
            (Some(from), Some(end)) => end >= from,
            _ => true,
        };
        started_in_time && still_there
    }

    /// Whether person `p` (a people-table row) passes every list and the period.
    pub fn keeps(&self, data: &Dataset, p: usize) -> bool {
        self.in_period(data, p) && self.passes_lists(data, p)
    }

    fn passes_lists(&self, data: &Dataset, p: usize) -> bool {
        let people = &data.people;
        let text = |label: Option<&Label>| label.map(|l| data.text.text(*l));
        let optional = |column: &[Option<Label>]| column.get(p).copied().flatten();
        let passes = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
        };
        passes(&self.pathways, text(people.pathway.get(p)))
            && passes(
                &self.teams,
                optional(&people.team).map(|l| data.text.text(l)),
            )
            && passes(
                &self.coordinators,
                optional(&people.coordinator).map(|l| data.text.text(l)),
            )
            && passes(
                &self.age_bands,
                optional(&people.age_band).map(|l| data.text.text(l)),
            )
            && passes(
                &self.sexes,
                optional(&people.sex).map(|l| data.text.text(l)),
            )
            && passes(
                &self.ethnicities,
                optional(&people.ethnicity).map(|l| data.text.text(l)),
            )
    }
}

/// Which rows of a table to keep: the person is kept and the row is not dated after `to`.
fn row_mask(
    persons: &[PersonKey],
    dates: &[NaiveDate],
    kept: &FxHashSet<PersonKey>,
    to: Option<NaiveDate>,
) -> Vec<bool> {
    persons
        .iter()
        .zip(dates)
        .map(|(p, date)| kept.contains(p) && to.is_none_or(|to| *date <= to))
        .collect()
}

/// The dataset restricted to the people the filter keeps, with their rows; with a period end,
/// rows dated after it are dropped and end dates after it cleared (see [`PeopleFilter`]).
pub fn filter_people(data: &Dataset, filter: &PeopleFilter) -> Dataset {
    if filter.is_empty() {
        return data.clone();
    }
    let keep_people: Vec<bool> = (0..data.people.person.len())
        .map(|p| filter.keeps(data, p))
        .collect();
    restrict_to_people(data, &keep_people, filter.period_to)
}

/// A partition of the people: those whose `person_id` `keep` accepts, with all of their rows
/// in every table. Rows of people not in the people table belong to no partition. What a
/// distributed engine would hand each worker (ARCHITECTURE.md, "Partitions of people").
pub fn partition_people(data: &Dataset, keep: impl Fn(&str) -> bool) -> Dataset {
    let keep_people: Vec<bool> = data
        .people
        .person
        .iter()
        .map(|key| keep(data.person_ids.text(*key)))
        .collect();
    restrict_to_people(data, &keep_people, None)
}

/// The people where `keep_people`, with their rows; with `to`, rows dated after it are dropped
/// and end dates after it cleared.
fn restrict_to_people(data: &Dataset, keep_people: &[bool], to: Option<NaiveDate>) -> Dataset {
    let kept: FxHashSet<PersonKey> = data
        .people
        .person
        .iter()
        .zip(keep_people)
        .filter(|(_, k)| **k)
        .map(|(key, _)| *key)
        .collect();
    let mask = |persons: &[PersonKey], dates: &[NaiveDate]| row_mask(persons, dates, &kept, to);
    let mut people = data.people.rows_where(keep_people);
    // Discharged after the period: still in service on its last day.
    for end in &mut people.end_date {
        *end = end.filter(|end| to.is_none_or(|to| *end <= to));
    }
    // Every table named, so a table added to the dataset cannot be left out.
    let Dataset {
        person_ids,
        text,
        people: _,
        outcomes,
        events,
        goals,
        status,
        feedback,
    } = data;
    Dataset {
        person_ids: person_ids.clone(),
        text: text.clone(),
        people,
        outcomes: outcomes.rows_where(&mask(&outcomes.person, &outcomes.date)),
        events: events.rows_where(&mask(&events.person, &events.date)),
        goals: goals.rows_where(&mask(&goals.person, &goals.review_date)),
        status: status.rows_where(&mask(&status.person, &status.date)),
        feedback: feedback.rows_where(&mask(&feedback.person, &feedback.date)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_is_said_in_words() {
        assert_eq!(PeopleFilter::default().in_words(), None);
        let f = PeopleFilter {
            teams: vec!["North".into(), "East".into()],
            period_from: NaiveDate::from_ymd_opt(2025, 4, 1),
            period_to: NaiveDate::from_ymd_opt(2026, 3, 31),
            ..PeopleFilter::default()
        };
        assert_eq!(
            f.in_words().unwrap(),
            "Filtered to people with team: North or East in service between 2025-04-01 and 2026-03-31"
        );
    }
    use crate::{ingest, InputFile, MappingConfig};

    /// Two pathways; filtering to one keeps exactly its people and their rows.
    #[test]
    fn keeps_only_the_chosen_people_and_their_rows() {
        let people = "person_id,pathway,start_date,team\nA,One,2025-01-01,North\nB,Two,2025-01-01,South\nC,One,2025-01-01,South\n";
        let events = "person_id,date,event_type\nA,2025-02-01,crisis_contact\nB,2025-02-01,crisis_contact\nC,2025-03-01,admission\nA,2025-04-01,admission\n";
        let files = [
            InputFile {
                name: "people.csv",
                bytes: people.as_bytes(),
            },
            InputFile {
                name: "events.csv",
                bytes: events.as_bytes(),
            },
        ];
        let data = ingest(&files, &MappingConfig::default()).dataset;
        let one = filter_people(
            &data,
            &PeopleFilter {
                pathways: vec!["One".into()],
                ..PeopleFilter::default()
            },
        );
        assert_eq!(one.people.person.len(), 2);
        assert_eq!(one.events.person.len(), 3);
        // Line numbers survive: C's admission is line 4 of events.csv.
        let c_row = one
            .events
            .person
            .iter()
            .position(|p| one.person_ids.text(*p) == "C")
            .unwrap_or(usize::MAX);
        assert_eq!(one.events.lines.line(c_row), 4);
        let south_one = filter_people(
            &data,
            &PeopleFilter {
                pathways: vec!["One".into()],
                teams: vec!["South".into()],
                ..PeopleFilter::default()
            },
        );
        assert_eq!(south_one.people.person.len(), 1);
        assert_eq!(south_one.events.person.len(), 1);
        assert_eq!(
            filter_people(&data, &PeopleFilter::default())
                .events
                .person
                .len(),
            4
        );
    }
}
