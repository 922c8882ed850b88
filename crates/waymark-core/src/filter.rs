//! Narrowing the data to a group of people (a pathway, a team, a coordinator, a demographic
//! band) before analysis, so every engine and every figure describes the same group.
//!
//! The filtered dataset keeps only the chosen people's rows in every table; the engines then
//! run unchanged. Label pools are shared, so text is not copied.

use crate::model::{Dataset, Label, PersonKey};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Which people to keep: each list, when not empty, must contain the person's value (compared
/// exactly as it appears in the people file). Empty lists keep everyone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleFilter {
    pub pathways: Vec<String>,
    pub teams: Vec<String>,
    pub coordinators: Vec<String>,
    pub age_bands: Vec<String>,
    pub sexes: Vec<String>,
    pub ethnicities: Vec<String>,
}

impl PeopleFilter {
    pub fn is_empty(&self) -> bool {
        self.pathways.is_empty()
            && self.teams.is_empty()
            && self.coordinators.is_empty()
            && self.age_bands.is_empty()
            && self.sexes.is_empty()
            && self.ethnicities.is_empty()
    }

    /// Whether person `p` (a people-table row) passes every list.
    pub fn keeps(&self, data: &Dataset, p: usize) -> bool {
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

/// Keeps `column[i]` where `keep[i]`.
fn retain<T: Clone>(column: &[T], keep: &[bool]) -> Vec<T> {
    column
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| v.clone())
        .collect()
}

/// The dataset restricted to the people the filter keeps, with all their rows.
pub fn filter_people(data: &Dataset, filter: &PeopleFilter) -> Dataset {
    if filter.is_empty() {
        return data.clone();
    }
    let keep_people: Vec<bool> = (0..data.people.person.len())
        .map(|p| filter.keeps(data, p))
        .collect();
    let kept: FxHashSet<PersonKey> = data
        .people
        .person
        .iter()
        .zip(&keep_people)
        .filter(|(_, k)| **k)
        .map(|(key, _)| *key)
        .collect();
    let mask =
        |persons: &[PersonKey]| -> Vec<bool> { persons.iter().map(|p| kept.contains(p)).collect() };
    let mut out = Dataset {
        person_ids: data.person_ids.clone(),
        text: data.text.clone(),
        ..Dataset::default()
    };
    let (src, k) = (&data.people, &keep_people);
    let people = &mut out.people;
    people.person = retain(&src.person, k);
    people.pathway = retain(&src.pathway, k);
    people.start_date = retain(&src.start_date, k);
    people.end_date = retain(&src.end_date, k);
    people.team = retain(&src.team, k);
    people.coordinator = retain(&src.coordinator, k);
    people.baseline_severity = retain(&src.baseline_severity, k);
    people.age_band = retain(&src.age_band, k);
    people.sex = retain(&src.sex, k);
    people.ethnicity = retain(&src.ethnicity, k);
    people.cohort = retain(&src.cohort, k);
    people.origin = retain(&src.origin, k);

    let (src, k) = (&data.outcomes, &mask(&data.outcomes.person));
    let o = &mut out.outcomes;
    o.person = retain(&src.person, k);
    o.date = retain(&src.date, k);
    o.measure = retain(&src.measure, k);
    o.score = retain(&src.score, k);
    o.stage = retain(&src.stage, k);
    o.origin = retain(&src.origin, k);

    let (src, k) = (&data.events, &mask(&data.events.person));
    let e = &mut out.events;
    e.person = retain(&src.person, k);
    e.date = retain(&src.date, k);
    e.event_type = retain(&src.event_type, k);
    e.quantity = retain(&src.quantity, k);
    e.severity = retain(&src.severity, k);
    e.follow_up = retain(&src.follow_up, k);
    let mut kept_rows = 0;
    for (row, keep) in k.iter().enumerate() {
        if !keep {
            continue;
        }
        e.lines.push(src.lines.line(row));
        let file = src.file_of(row);
        kept_rows += 1;
        match e.file_runs.last_mut() {
            Some((last_file, end)) if *last_file == file => *end = kept_rows,
            _ => e.file_runs.push((file, kept_rows)),
        }
    }

    let (src, k) = (&data.goals, &mask(&data.goals.person));
    let g = &mut out.goals;
    g.person = retain(&src.person, k);
    g.goal_id = retain(&src.goal_id, k);
    g.review_date = retain(&src.review_date, k);
    g.rating = retain(&src.rating, k);
    g.scale = retain(&src.scale, k);
    g.domain = retain(&src.domain, k);
    g.description = retain(&src.description, k);
    g.set_date = retain(&src.set_date, k);
    g.baseline_rating = retain(&src.baseline_rating, k);
    g.target_rating = retain(&src.target_rating, k);
    g.next_review_date = retain(&src.next_review_date, k);
    g.plan_changed = retain(&src.plan_changed, k);
    g.staff = retain(&src.staff, k);
    g.origin = retain(&src.origin, k);

    let (src, k) = (&data.status, &mask(&data.status.person));
    let s = &mut out.status;
    s.person = retain(&src.person, k);
    s.date = retain(&src.date, k);
    s.indicator = retain(&src.indicator, k);
    s.value = retain(&src.value, k);
    s.rank = retain(&src.rank, k);
    s.origin = retain(&src.origin, k);

    let (src, k) = (&data.feedback, &mask(&data.feedback.person));
    let f = &mut out.feedback;
    f.person = retain(&src.person, k);
    f.date = retain(&src.date, k);
    f.source = retain(&src.source, k);
    f.self_rating = retain(&src.self_rating, k);
    f.functioning_change = retain(&src.functioning_change, k);
    f.themes = retain(&src.themes, k);
    f.text = retain(&src.text, k);
    f.plan_adjustment = retain(&src.plan_adjustment, k);
    f.origin = retain(&src.origin, k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
