//! Goals and reviews: attainment, review compliance, static plans, and the required-fields audit.
//!
//! Rules (also in docs/methods.md, "Goals and reviews"):
//! - A goal's rows are its reviews in date order; the first is the goal-setting row (its rating
//!   is the baseline unless `baseline_rating` says otherwise). Later rows are follow-up reviews.
//! - **Attainment** uses each goal's latest rating. GAS goals (−2..+2) give a person's
//!   Kiresuk–Sherman T-score ([`crate::stats::goals::gas_t_score`], ρ = 0.3, equal weights).
//!   Goal-based outcomes (0–10) give change from baseline, reliable at a move of 3 or more
//!   (Edbrooke-Childs et al. 2015: reliable change index 2.45 points).
//! - A goal is **achieved** when its latest rating reaches its target, or, without a target,
//!   the expected level (0 on GAS; 7 on the goal-based scale is not assumed: such goals without
//!   a target are counted as "no target").
//! - **Review compliance**: a follow-up review was *on time* when held no later than the
//!   previous row's `next_review_date` plus [`AnalysisConfig::review_grace_days`]. A review is
//!   *overdue* when a goal of someone still in service has a `next_review_date` more than the
//!   grace days before the reference date and no later review. Overdue reviews are grouped by
//!   the person's care coordinator.
//! - **Static plan**: a goal with two or more consecutive follow-up reviews where the plan did
//!   not change (`plan_changed = no`) and the rating did not improve on the review before. The
//!   seed calls these "static care plans that appear complete but do not influence outcomes".

pub use super::audit::{AuditField, TeamAudit};
use crate::analysis::{add_matching, AnalysisConfig, PersonIndex};
use crate::model::{Dataset, GoalScale, Label};
use crate::stats::goals::{gas_t_score, GAS_RHO};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// A move of this many points on a 0–10 goal-based outcome is reliable (Edbrooke-Childs et al.
/// 2015, reliable change index 2.45, so whole-point ratings must move by 3).
pub const GOAL_BASED_RELIABLE_CHANGE: f64 = 3.0;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonGoals {
    pub person: usize,
    pub goals: u32,
    pub achieved: u32,
    pub gas_t_score: Option<f64>,
    /// Mean change from baseline on goal-based (0–10) goals.
    pub goal_based_change: Option<f64>,
    pub static_goals: u32,
    pub reviews_on_time: u32,
    pub reviews_late: u32,
    pub overdue: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoordinatorReviews {
    pub coordinator: String,
    pub reviews_on_time: u64,
    pub reviews_late: u64,
    pub overdue: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GoalsAnalysis {
    pub people_with_goals: u64,
    pub goals: u64,
    pub goals_achieved: u64,
    pub goals_with_target: u64,
    /// Persons' GAS T-scores (for the distribution chart; person-level, app only).
    pub gas_t_scores: Vec<f64>,
    pub mean_gas_t_score: Option<f64>,
    pub goal_based_reliable_improvement: u64,
    pub goal_based_paired: u64,
    pub reviews_on_time: u64,
    pub reviews_late: u64,
    pub overdue_reviews: u64,
    pub by_coordinator: Vec<CoordinatorReviews>,
    pub static_goals: u64,
    pub people_with_static_plans: u64,
    pub people: Vec<PersonGoals>,
    pub audit: Vec<AuditField>,
    pub audit_by_team: Vec<TeamAudit>,
}

impl GoalsAnalysis {
    /// Adds another partition's results (ARCHITECTURE.md, "Partitions of people"): counts add;
    /// coordinators, required fields and teams are matched by name; the GAS T-scores are
    /// concatenated and their mean taken again; `other`'s people are appended with
    /// `person_offset` added to their numbers (see `StabilityAnalysis::add`). Every field is
    /// named, so a field added to the analysis and not merged is a compile error.
    pub fn add(&mut self, other: &GoalsAnalysis, person_offset: usize) {
        let GoalsAnalysis {
            people_with_goals,
            goals,
            goals_achieved,
            goals_with_target,
            gas_t_scores,
            mean_gas_t_score: _,
            goal_based_reliable_improvement,
            goal_based_paired,
            reviews_on_time,
            reviews_late,
            overdue_reviews,
            by_coordinator,
            static_goals,
            people_with_static_plans,
            people,
            audit,
            audit_by_team,
        } = other;
        self.people_with_goals += people_with_goals;
        self.goals += goals;
        self.goals_achieved += goals_achieved;
        self.goals_with_target += goals_with_target;
        self.goal_based_reliable_improvement += goal_based_reliable_improvement;
        self.goal_based_paired += goal_based_paired;
        self.reviews_on_time += reviews_on_time;
        self.reviews_late += reviews_late;
        self.overdue_reviews += overdue_reviews;
        self.static_goals += static_goals;
        self.people_with_static_plans += people_with_static_plans;
        self.gas_t_scores.extend_from_slice(gas_t_scores);
        self.mean_gas_t_score = (!self.gas_t_scores.is_empty())
            .then(|| self.gas_t_scores.iter().sum::<f64>() / self.gas_t_scores.len() as f64);
        add_matching(
            &mut self.by_coordinator,
            by_coordinator,
            |a, b| a.coordinator == b.coordinator,
            |mine, theirs| {
                mine.reviews_on_time += theirs.reviews_on_time;
                mine.reviews_late += theirs.reviews_late;
                mine.overdue += theirs.overdue;
            },
        );
        self.by_coordinator
            .sort_by(|a, b| a.coordinator.cmp(&b.coordinator));
        self.people.extend(people.iter().map(|person| PersonGoals {
            person: person.person + person_offset,
            ..person.clone()
        }));
        add_audit_fields(&mut self.audit, audit);
        add_matching(
            &mut self.audit_by_team,
            audit_by_team,
            |a, b| a.team == b.team,
            |mine, theirs| add_audit_fields(&mut mine.fields, &theirs.fields),
        );
        self.audit_by_team.sort_by(|a, b| a.team.cmp(&b.team));
    }
}

/// Adds each required field's counts to the same field's.
fn add_audit_fields(mine: &mut Vec<AuditField>, theirs: &[AuditField]) {
    add_matching(
        mine,
        theirs,
        |a, b| a.field == b.field,
        |m, field| {
            m.complete += field.complete;
            m.applicable += field.applicable;
        },
    );
}

pub fn analyse(data: &Dataset, index: &PersonIndex, config: &AnalysisConfig) -> GoalsAnalysis {
    let g = &data.goals;
    let grace = chrono::Days::new(u64::from(config.review_grace_days));
    let reference = index.reference_date;
    let mut out = GoalsAnalysis::default();
    let mut coordinators: FxHashMap<Option<Label>, CoordinatorReviews> = FxHashMap::default();
    let mut gas_sum = 0.0;

    for p in 0..index.len {
        let rows = index.goals.of(p);
        if rows.is_empty() {
            continue;
        }
        // Group this person's rows by goal, keeping date order.
        let mut goals: Vec<(Label, Vec<usize>)> = Vec::new();
        for &row in rows {
            let row = row as usize;
            match goals.iter_mut().find(|(id, _)| *id == g.goal_id[row]) {
                Some((_, list)) => list.push(row),
                None => goals.push((g.goal_id[row], vec![row])),
            }
        }
        let still_in_service = data.people.end_date[p].is_none_or(|end| end >= reference);
        let mut person = PersonGoals {
            person: p,
            goals: goals.len() as u32,
            achieved: 0,
            gas_t_score: None,
            goal_based_change: None,
            static_goals: 0,
            reviews_on_time: 0,
            reviews_late: 0,
            overdue: 0,
        };
        let mut gas_latest = Vec::new();
        let mut gbo_changes = Vec::new();
        for (_, list) in &goals {
            let (Some(&first), Some(&last)) = (list.first(), list.last()) else {
                continue;
            };
            let baseline = g.baseline_rating[first].unwrap_or(g.rating[first]);
            let latest = g.rating[last];
            match g.scale[last] {
                GoalScale::Gas => gas_latest.push(latest),
                GoalScale::GoalBased => {
                    if list.len() >= 2 {
                        gbo_changes.push(latest - baseline);
                        out.goal_based_paired += 1;
                        if latest - baseline >= GOAL_BASED_RELIABLE_CHANGE {
                            out.goal_based_reliable_improvement += 1;
                        }
                    }
                }
            }
            let target = g.target_rating[last].or(match g.scale[last] {
                GoalScale::Gas => Some(0.0),
                GoalScale::GoalBased => None,
            });
            if let Some(target) = target {
                out.goals_with_target += 1;
                if latest >= target {
                    person.achieved += 1;
                }
            }
            // Review timeliness.
            for pair in list.windows(2) {
                if let Some(due) = g.next_review_date[pair[0]] {
                    let on_time = due
                        .checked_add_days(grace)
                        .is_none_or(|limit| g.review_date[pair[1]] <= limit);
                    if on_time {
                        person.reviews_on_time += 1;
                    } else {
                        person.reviews_late += 1;
                    }
                }
            }
            if still_in_service {
                if let Some(due) = g.next_review_date[last] {
                    if due
                        .checked_add_days(grace)
                        .is_some_and(|limit| limit < reference)
                    {
                        person.overdue += 1;
                    }
                }
            }
            // Static plan: two consecutive follow-ups with no plan change and no rise.
            let mut run = 0;
            let mut is_static = false;
            for pair in list.windows(2) {
                let unchanged = g.plan_changed[pair[1]] == Some(false);
                let no_rise = g.rating[pair[1]] <= g.rating[pair[0]];
                run = if unchanged && no_rise { run + 1 } else { 0 };
                is_static |= run >= 2;
            }
            person.static_goals += u32::from(is_static);
        }
        person.gas_t_score = gas_t_score(&gas_latest, None, GAS_RHO);
        if !gbo_changes.is_empty() {
            person.goal_based_change =
                Some(gbo_changes.iter().sum::<f64>() / gbo_changes.len() as f64);
        }
        if let Some(t) = person.gas_t_score {
            out.gas_t_scores.push(t);
            gas_sum += t;
        }
        out.people_with_goals += 1;
        out.goals += u64::from(person.goals);
        out.goals_achieved += u64::from(person.achieved);
        out.reviews_on_time += u64::from(person.reviews_on_time);
        out.reviews_late += u64::from(person.reviews_late);
        out.overdue_reviews += u64::from(person.overdue);
        out.static_goals += u64::from(person.static_goals);
        out.people_with_static_plans += u64::from(person.static_goals > 0);
        let coordinator = data.people.coordinator[p];
        let entry = coordinators
            .entry(coordinator)
            .or_insert_with(|| CoordinatorReviews {
                coordinator: coordinator.map_or_else(
                    || "(not recorded)".to_string(),
                    |c| data.text.text(c).to_string(),
                ),
                reviews_on_time: 0,
                reviews_late: 0,
                overdue: 0,
            });
        entry.reviews_on_time += u64::from(person.reviews_on_time);
        entry.reviews_late += u64::from(person.reviews_late);
        entry.overdue += u64::from(person.overdue);
        out.people.push(person);
    }
    if !out.gas_t_scores.is_empty() {
        out.mean_gas_t_score = Some(gas_sum / out.gas_t_scores.len() as f64);
    }
    out.by_coordinator = coordinators.into_values().collect();
    out.by_coordinator
        .sort_by(|a, b| a.coordinator.cmp(&b.coordinator));
    let (audit, by_team) = super::audit::audit(data, index);
    out.audit = audit;
    out.audit_by_team = by_team;
    out
}
