//! The governance pack's counts: caseload, crisis use, engagement, overdue reviews, early
//! warnings, static plans and reviews leading to action, per team and per care coordinator.
//!
//! Nothing here defines a figure of its own. Each person's contribution comes from the engine
//! that owns the figure, and is only added up by group:
//! - caseload, crisis contacts, person-months and engagement: the service indicators' counting
//!   rules ([`super::direction::service::person_months`]), over the last six months of the indicators;
//! - overdue reviews and static plans: each person's [`super::direction::goals::PersonGoals`];
//! - early warnings: each person's [`super::direction::stability::PersonStability`];
//! - reviews leading to action: each person's triggers ([`super::actions::triggers_by_person`]).
//!
//! So the whole-service row adds up to the main report's figures for the same data (tested in
//! `tests/governance.rs`). Unrounded: the report applies disclosure control
//! ([`crate::report::governance`]).
//!
//! # Groups
//! A person belongs to the team and the coordinator on their people-table row; people without
//! one are grouped as [`NOT_RECORDED`]. Every person of the people table is in a group; the
//! comparison cohort counts only where the owning engine counts it (the goals figures count
//! every person with goals, as the main report does; caseload, crisis use, engagement, early
//! warnings and reviews leading to action count the service cohort).

use super::actions::{ActionCounts, Trigger};
use super::direction::service::{person_months, MonthCounts};
use super::{Analysis, AnalysisConfig, PersonIndex};
use crate::model::{Dataset, Label};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use super::NOT_RECORDED;

/// How many of the indicators' latest months the pack reads: two windows of three.
pub const TREND_MONTHS: usize = 6;

/// The counts of one group (unrounded).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupCounts {
    pub name: String,
    /// People in the people table in this group (any cohort).
    pub n_people: u64,
    /// Service-cohort people in service at the analysis date.
    pub in_service_now: u64,
    /// Service-cohort people with any time in service (the service indicators' people).
    pub in_service: u64,
    /// One entry per month of [`GovernanceAnalysis::months`].
    pub months: Vec<MonthCounts>,
    pub overdue_reviews: u64,
    pub people_with_goals: u64,
    pub static_goals: u64,
    pub people_with_static_plans: u64,
    pub people_assessed: u64,
    pub early_warnings: u64,
    pub actions: ActionCounts,
}

impl GroupCounts {
    fn named(name: String, n_months: usize) -> GroupCounts {
        GroupCounts {
            name,
            months: vec![MonthCounts::default(); n_months],
            ..GroupCounts::default()
        }
    }
}

/// Everything the governance pack is built from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GovernanceAnalysis {
    pub reference_date: NaiveDate,
    /// The months read (first day of each): the last [`TREND_MONTHS`] of the service
    /// indicators (fewer when the indicators have fewer), ending with the analysis date's.
    pub months: Vec<NaiveDate>,
    /// Days of grace before a review counts as overdue (`review_grace_days`).
    pub review_grace_days: u32,
    /// The reviews-leading-to-action window.
    pub action_window_days: u32,
    pub stability_window_days: u32,
    pub service: GroupCounts,
    /// Teams in name order, [`NOT_RECORDED`] last.
    pub by_team: Vec<GroupCounts>,
    /// Coordinators in name order, [`NOT_RECORDED`] last.
    pub by_coordinator: Vec<GroupCounts>,
}

impl GroupCounts {
    /// Adds another partition's counts for the same group and months.
    fn add(&mut self, other: &GroupCounts) {
        let GroupCounts {
            name: _,
            n_people,
            in_service_now,
            in_service,
            months,
            overdue_reviews,
            people_with_goals,
            static_goals,
            people_with_static_plans,
            people_assessed,
            early_warnings,
            actions,
        } = other;
        self.n_people += n_people;
        self.in_service_now += in_service_now;
        self.in_service += in_service;
        for (mine, theirs) in self.months.iter_mut().zip(months) {
            mine.add(theirs);
        }
        self.overdue_reviews += overdue_reviews;
        self.people_with_goals += people_with_goals;
        self.static_goals += static_goals;
        self.people_with_static_plans += people_with_static_plans;
        self.people_assessed += people_assessed;
        self.early_warnings += early_warnings;
        self.actions.add_counts(actions);
    }
}

impl GovernanceAnalysis {
    /// Adds another partition's counts (ARCHITECTURE.md, "Partitions of people"): the service
    /// row, teams and coordinators (matched by name; name order, [`NOT_RECORDED`] last). Both
    /// must read the same months and settings (first-pass constants); when the months differ
    /// the partitions cannot be added, and `Err` says so.
    pub fn add(&mut self, other: &GovernanceAnalysis) -> Result<(), String> {
        if self.months != other.months {
            return Err(format!(
                "the partitions read different months ({:?} and {:?})",
                self.months.first(),
                other.months.first()
            ));
        }
        self.service.add(&other.service);
        for (mine, theirs) in [
            (&mut self.by_team, &other.by_team),
            (&mut self.by_coordinator, &other.by_coordinator),
        ] {
            super::add_matching(mine, theirs, |a, b| a.name == b.name, GroupCounts::add);
            mine.sort_by(group_order);
        }
        Ok(())
    }
}

/// Name order, [`NOT_RECORDED`] last.
fn group_order(a: &GroupCounts, b: &GroupCounts) -> std::cmp::Ordering {
    (a.name == NOT_RECORDED, &a.name).cmp(&(b.name == NOT_RECORDED, &b.name))
}

/// Groups keyed by their label in the people table.
struct Groups {
    slots: FxHashMap<Option<Label>, usize>,
    list: Vec<GroupCounts>,
}

impl Groups {
    fn new() -> Groups {
        Groups {
            slots: FxHashMap::default(),
            list: Vec::new(),
        }
    }

    fn at(&mut self, data: &Dataset, key: Option<Label>, n_months: usize) -> usize {
        let list = &mut self.list;
        *self.slots.entry(key).or_insert_with(|| {
            let name = key.map_or(NOT_RECORDED, |k| data.text.text(k));
            list.push(GroupCounts::named(name.to_string(), n_months));
            list.len() - 1
        })
    }

    fn sorted(mut self) -> Vec<GroupCounts> {
        self.list.sort_by(group_order);
        self.list
    }
}

/// The months the pack reads: the crisis indicator's last [`TREND_MONTHS`] months.
fn trend_months(analysis: &Analysis) -> Vec<NaiveDate> {
    let months: Vec<NaiveDate> = analysis
        .service
        .indicators
        .iter()
        .find(|i| i.key == super::direction::service::CRISIS_RATE)
        .map(|i| i.months.iter().map(|m| m.month).collect())
        .unwrap_or_default();
    let from = months.len().saturating_sub(TREND_MONTHS);
    months[from..].to_vec()
}

/// Adds up each person's figures by team, by coordinator and for the whole service.
/// `index` must be built for `analysis`'s data and reference date, and `triggers` by
/// [`super::actions::triggers_by_person`] over `action_window_days`.
pub fn analyse(
    data: &Dataset,
    index: &PersonIndex,
    config: &AnalysisConfig,
    analysis: &Analysis,
    triggers: &[Vec<Trigger>],
    action_window_days: u32,
) -> GovernanceAnalysis {
    let months = trend_months(analysis);
    let n_months = months.len();
    let mut service = GroupCounts::named("Whole service".to_string(), n_months);
    let (mut teams, mut coordinators) = (Groups::new(), Groups::new());
    let people = &data.people;
    let mut group_of = Vec::with_capacity(index.len);
    for p in 0..index.len {
        let team = teams.at(data, people.team[p], n_months);
        let coordinator = coordinators.at(data, people.coordinator[p], n_months);
        group_of.push((team, coordinator));
    }
    let mut each = |p: usize, add: &dyn Fn(&mut GroupCounts)| {
        let Some(&(team, coordinator)) = group_of.get(p) else {
            return;
        };
        add(&mut service);
        add(&mut teams.list[team]);
        add(&mut coordinators.list[coordinator]);
    };
    for p in 0..index.len {
        each(p, &|g| g.n_people += 1);
        let in_service =
            PersonIndex::in_service_cohort(data, p) && people.start_date[p] <= index.service_end[p];
        if !in_service {
            continue;
        }
        let now = index.service_end[p] == index.reference_date;
        let counts = match months.first() {
            Some(&first) => person_months(data, index, p, first, n_months),
            None => Vec::new(),
        };
        let triggers = triggers.get(p).map_or(&[][..], Vec::as_slice);
        each(p, &|g| {
            g.in_service += 1;
            g.in_service_now += u64::from(now);
            for (total, month) in g.months.iter_mut().zip(&counts) {
                total.add(month);
            }
            for trigger in triggers {
                g.actions.add(trigger);
            }
        });
    }
    for person in &analysis.goals.people {
        each(person.person, &|g| {
            g.people_with_goals += 1;
            g.overdue_reviews += u64::from(person.overdue);
            g.static_goals += u64::from(person.static_goals);
            g.people_with_static_plans += u64::from(person.static_goals > 0);
        });
    }
    for person in &analysis.stability.people {
        each(person.person, &|g| {
            g.people_assessed += 1;
            g.early_warnings += u64::from(person.early_warning);
        });
    }
    GovernanceAnalysis {
        reference_date: index.reference_date,
        months,
        review_grace_days: config.review_grace_days,
        action_window_days,
        stability_window_days: analysis.stability.window_days,
        service,
        by_team: teams.sorted(),
        by_coordinator: coordinators.sorted(),
    }
}
