//! Reviews leading to action: how often a setback, an escalation or an engagement dip was
//! followed by a recorded plan adjustment within a window of days, by team.
//!
//! # Definitions (also in docs/methods.md, "Reviews leading to action")
//! Only people in the service cohort count, and only triggers dated inside their service
//! period (start date to end date, or the analysis date while still in service).
//! - A **setback** is the first score of a reliable fall from the best score so far on a
//!   measure (the rule of `outcomes.rs`: a fall of at least the reliable-change threshold; one
//!   setback lasts until the person climbs back within that amount). Its date is that score's.
//! - An **escalation** is a crisis contact or an admission (event types as configured in
//!   `[analysis.event_kinds]`): each such event row is one trigger, on its date.
//! - An **engagement dip** is an engagement status row whose value is lower in the engagement
//!   order than the person's previous engagement status row (values without a configured
//!   order are not compared).
//! - A **plan adjustment** is a goal review with `plan_changed = yes` (on its review date) or
//!   a feedback row with a `plan_adjustment` recorded (on its date).
//! - A trigger on day *t* is **followed by action** when a plan adjustment for the same person
//!   is dated *t* to *t + N* inclusive (N = `action_window_days`, default 28).
//! - A trigger is **due** when *t + N* is on or before the analysis date; triggers not yet due
//!   are left out of both counts (their window is still open), and counted in `not_yet_due`.
//! - The share is followed ÷ due triggers. It counts triggers, not people: a person with three
//!   crises counts three times. People are grouped by their `team` ("Not recorded" when
//!   blank, as in the governance pack).
//!
//! # Remarks
//! A plan adjustment recorded for another reason inside the window also counts: the rule
//! measures whether the plan moved after the signal, not why. It is Waymark's own audit
//! measure, not a validated instrument.

use super::direction::outcomes::OutcomesAnalysis;
use super::people::PersonIndex;
use super::vocabulary::StatusIndicator;
use super::{EventKind, NOT_RECORDED};
use crate::model::Dataset;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// What started the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    Setback,
    Escalation,
    EngagementDip,
}

/// One trigger of one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub kind: TriggerKind,
    pub date: NaiveDate,
    /// The window has closed by the analysis date.
    pub due: bool,
    /// A plan adjustment is dated within the window.
    pub followed: bool,
}

/// Due triggers and those followed by action (unrounded; the report applies disclosure).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerCounts {
    pub due: u64,
    pub followed: u64,
}

/// The counts for one group of people, by trigger kind and over all kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCounts {
    pub setbacks: TriggerCounts,
    pub escalations: TriggerCounts,
    pub engagement_dips: TriggerCounts,
    pub all: TriggerCounts,
}

impl ActionCounts {
    /// Adds another group's (or partition's) counts.
    pub fn add_counts(&mut self, other: &ActionCounts) {
        for (mine, theirs) in [
            (&mut self.setbacks, other.setbacks),
            (&mut self.escalations, other.escalations),
            (&mut self.engagement_dips, other.engagement_dips),
            (&mut self.all, other.all),
        ] {
            mine.due += theirs.due;
            mine.followed += theirs.followed;
        }
    }

    /// Counts a trigger whose window has closed (one not yet due is left out).
    pub fn add(&mut self, trigger: &Trigger) {
        if !trigger.due {
            return;
        }
        let followed = u64::from(trigger.followed);
        let kind = match trigger.kind {
            TriggerKind::Setback => &mut self.setbacks,
            TriggerKind::Escalation => &mut self.escalations,
            TriggerKind::EngagementDip => &mut self.engagement_dips,
        };
        for counts in [kind, &mut self.all] {
            counts.due += 1;
            counts.followed += followed;
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamActions {
    pub team: String,
    pub counts: ActionCounts,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewActions {
    pub window_days: u32,
    pub service: ActionCounts,
    /// Teams in name order.
    pub by_team: Vec<TeamActions>,
    /// Triggers whose window is still open at the analysis date.
    pub not_yet_due: u64,
}

impl ReviewActions {
    /// Adds another partition's counts (ARCHITECTURE.md, "Partitions of people"), teams
    /// matched by name and kept in name order; both must use the same window.
    pub fn add(&mut self, other: &ReviewActions) {
        self.service.add_counts(&other.service);
        self.not_yet_due += other.not_yet_due;
        super::add_matching(
            &mut self.by_team,
            &other.by_team,
            |a, b| a.team == b.team,
            |mine, theirs| mine.counts.add_counts(&theirs.counts),
        );
        self.by_team.sort_by(|a, b| a.team.cmp(&b.team));
    }
}

/// Person `p`'s triggers in date order (see the module's definitions); `setbacks` are the
/// start dates of their setbacks on every measure.
pub fn person_triggers(
    data: &Dataset,
    index: &PersonIndex,
    setbacks: &[NaiveDate],
    p: usize,
    window_days: u32,
) -> Vec<Trigger> {
    let (Some(&start), Some(&end)) = (data.people.start_date.get(p), index.service_end.get(p))
    else {
        return Vec::new();
    };
    let mut dates: Vec<(TriggerKind, NaiveDate)> = Vec::new();
    dates.extend(setbacks.iter().map(|d| (TriggerKind::Setback, *d)));
    let e = &data.events;
    for &row in index.events.of(p) {
        let row = row as usize;
        if matches!(
            index.vocab.event_kind(e.event_type[row]),
            Some(EventKind::Crisis | EventKind::Admission)
        ) {
            dates.push((TriggerKind::Escalation, e.date[row]));
        }
    }
    let s = &data.status;
    let mut previous: Option<u8> = None;
    for &row in index.status.of(p) {
        let row = row as usize;
        if index.vocab.status_indicator(s.indicator[row]) != Some(StatusIndicator::Engagement) {
            continue;
        }
        let Some(rank) = s.rank[row] else { continue };
        if previous.is_some_and(|before| rank < before) {
            dates.push((TriggerKind::EngagementDip, s.date[row]));
        }
        previous = Some(rank);
    }
    let g = &data.goals;
    let f = &data.feedback;
    let mut adjustments: Vec<NaiveDate> = index
        .goals
        .of(p)
        .iter()
        .map(|&r| r as usize)
        .filter(|&r| g.plan_changed[r] == Some(true))
        .map(|r| g.review_date[r])
        .chain(
            index
                .feedback
                .of(p)
                .iter()
                .map(|&r| r as usize)
                .filter(|&r| f.plan_adjustment[r].is_some())
                .map(|r| f.date[r]),
        )
        .collect();
    adjustments.sort_unstable();
    let window = Days::new(u64::from(window_days));
    let mut out: Vec<Trigger> = dates
        .into_iter()
        .filter(|(_, date)| *date >= start && *date <= end)
        .map(|(kind, date)| {
            let close = date.checked_add_days(window).unwrap_or(NaiveDate::MAX);
            Trigger {
                kind,
                date,
                due: close <= index.reference_date,
                followed: adjustments.iter().any(|a| *a >= date && *a <= close),
            }
        })
        .collect();
    out.sort_by_key(|t| t.date);
    out
}

/// Each person's triggers (see [`person_triggers`]), by person number; empty for people
/// outside the service cohort. Computed once per analysis and read by [`analyse`] and the
/// governance pack.
pub fn triggers_by_person(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
    window_days: u32,
) -> Vec<Vec<Trigger>> {
    let mut setbacks: Vec<Vec<NaiveDate>> = vec![Vec::new(); index.len];
    for m in &outcomes.people {
        if let Some(list) = setbacks.get_mut(m.person) {
            list.extend_from_slice(&m.setback_dates);
        }
    }
    setbacks
        .iter()
        .enumerate()
        .map(|(p, setbacks)| {
            if PersonIndex::in_service_cohort(data, p) {
                person_triggers(data, index, setbacks, p, window_days)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// The triggers of [`triggers_by_person`], counted for the service and by team.
pub fn analyse(data: &Dataset, triggers: &[Vec<Trigger>], window_days: u32) -> ReviewActions {
    let mut out = ReviewActions {
        window_days,
        ..ReviewActions::default()
    };
    for (p, triggers) in triggers.iter().enumerate() {
        if triggers.is_empty() {
            continue;
        }
        let team = data.people.team[p].map_or(NOT_RECORDED, |t| data.text.text(t));
        let at = match out.by_team.iter().position(|t| t.team == team) {
            Some(at) => at,
            None => {
                out.by_team.push(TeamActions {
                    team: team.to_string(),
                    counts: ActionCounts::default(),
                });
                out.by_team.len() - 1
            }
        };
        for trigger in triggers {
            out.service.add(trigger);
            out.by_team[at].counts.add(trigger);
            out.not_yet_due += u64::from(!trigger.due);
        }
    }
    out.by_team.sort_by(|a, b| a.team.cmp(&b.team));
    out
}
