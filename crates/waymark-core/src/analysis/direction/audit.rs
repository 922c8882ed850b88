//! The required-fields audit: for each person receiving the service, is the record complete
//! enough to show what changed? (The fields, as docs/methods.md lists them under "Required-fields
//! audit": initial goals, baseline status, agreed indicators, review dates, responsible staff;
//! crisis events with follow-up, engagement, housing; feedback, observed functioning, plan
//! adjustments.)
//!
//! Completeness is reported per field and per team as "complete of applicable": a field that
//! cannot apply (crisis follow-up for someone with no crisis) is not counted against anyone.

use crate::analysis::vocabulary::StatusIndicator;
use crate::analysis::{EventKind, PersonIndex};
use crate::model::{Dataset, Label};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One required field of the audit: how many people have it recorded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuditField {
    pub field: std::borrow::Cow<'static, str>,
    pub description: std::borrow::Cow<'static, str>,
    pub complete: u64,
    /// People the field applies to (e.g. crisis follow-up only for people with a crisis).
    pub applicable: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TeamAudit {
    pub team: String,
    pub fields: Vec<AuditField>,
}

/// Status recorded within this many days of the start date counts as a baseline status.
pub const BASELINE_STATUS_DAYS: i64 = 28;

/// (field, description) for each audit check, in report order.
pub const AUDIT_FIELDS: [(&str, &str); 11] = [
    ("initial_goals", "At least one goal set"),
    (
        "baseline_status",
        "Housing and engagement status recorded within 28 days of the start date",
    ),
    (
        "agreed_indicators",
        "At least one outcome measure with a baseline score",
    ),
    ("review_dates", "Every goal has a next review date"),
    (
        "responsible_staff",
        "A care coordinator, or staff named on the goals",
    ),
    (
        "crisis_follow_up",
        "Every crisis contact has a follow-up action (people with a crisis contact)",
    ),
    ("engagement", "Engagement status recorded"),
    ("housing", "Housing status recorded"),
    ("feedback", "Feedback from the person themselves"),
    (
        "observed_functioning",
        "Functioning change recorded in feedback",
    ),
    (
        "plan_adjustments",
        "A plan adjustment or plan change recorded",
    ),
];

/// Per field: Some(true/false) when it applies to the person, None when it does not.
fn person_checks(data: &Dataset, index: &PersonIndex, p: usize) -> [Option<bool>; 11] {
    let vocab = &index.vocab;
    let g = &data.goals;
    let goals = index.goals.of(p);
    let status = index.status.of(p);
    let start = data.people.start_date[p];
    let status_of = |name: StatusIndicator, baseline: bool| {
        status.iter().any(|r| {
            let r = *r as usize;
            vocab.status_indicator(data.status.indicator[r]) == Some(name)
                && (!baseline
                    || (data.status.date[r] - start).num_days().abs() <= BASELINE_STATUS_DAYS)
        })
    };
    let outcomes = index.outcomes.of(p);
    // Any score gives a baseline: the first one, when none is marked (the outcomes rule).
    let has_baseline_score = !outcomes.is_empty();
    let e = &data.events;
    let crises: Vec<usize> = index
        .events
        .of(p)
        .iter()
        .map(|r| *r as usize)
        .filter(|r| vocab.event_kind(e.event_type[*r]) == Some(EventKind::Crisis))
        .collect();
    let f = &data.feedback;
    let feedback = index.feedback.of(p);
    [
        Some(!goals.is_empty()),
        Some(
            status_of(StatusIndicator::Housing, true)
                && status_of(StatusIndicator::Engagement, true),
        ),
        Some(has_baseline_score),
        (!goals.is_empty()).then(|| {
            goals
                .iter()
                .all(|r| g.next_review_date[*r as usize].is_some() || is_not_last_row(goals, *r, g))
        }),
        Some(
            data.people.coordinator[p].is_some()
                || goals.iter().any(|r| g.staff[*r as usize].is_some()),
        ),
        (!crises.is_empty()).then(|| crises.iter().all(|r| e.follow_up[*r].is_some())),
        Some(status_of(StatusIndicator::Engagement, false)),
        Some(status_of(StatusIndicator::Housing, false)),
        Some(
            feedback
                .iter()
                .any(|r| f.source[*r as usize] == Some(crate::model::FeedbackSource::Person)),
        ),
        Some(
            feedback
                .iter()
                .any(|r| f.functioning_change[*r as usize].is_some()),
        ),
        Some(
            feedback
                .iter()
                .any(|r| f.plan_adjustment[*r as usize].is_some())
                || goals
                    .iter()
                    .any(|r| g.plan_changed[*r as usize] == Some(true)),
        ),
    ]
}

/// Review dates are needed on each goal's latest row; earlier rows were followed by a review.
fn is_not_last_row(goals: &[u32], row: u32, g: &crate::model::GoalsTable) -> bool {
    let id = g.goal_id[row as usize];
    goals.iter().any(|r| {
        g.goal_id[*r as usize] == id && g.review_date[*r as usize] > g.review_date[row as usize]
    })
}

fn fields_from(counts: &[(u64, u64); 11]) -> Vec<AuditField> {
    AUDIT_FIELDS
        .iter()
        .zip(counts)
        .map(
            |((field, description), (complete, applicable))| AuditField {
                field: (*field).into(),
                description: (*description).into(),
                complete: *complete,
                applicable: *applicable,
            },
        )
        .collect()
}

/// Completeness overall and per team, for people in the service cohort.
pub fn audit(data: &Dataset, index: &PersonIndex) -> (Vec<AuditField>, Vec<TeamAudit>) {
    let mut total = [(0u64, 0u64); 11];
    let mut teams: FxHashMap<Option<Label>, [(u64, u64); 11]> = FxHashMap::default();
    for p in 0..index.len {
        if !PersonIndex::in_service_cohort(data, p) {
            continue;
        }
        let checks = person_checks(data, index, p);
        let team = teams.entry(data.people.team[p]).or_insert([(0, 0); 11]);
        for (i, check) in checks.iter().enumerate() {
            if let Some(ok) = check {
                total[i].1 += 1;
                team[i].1 += 1;
                total[i].0 += u64::from(*ok);
                team[i].0 += u64::from(*ok);
            }
        }
    }
    let mut by_team: Vec<TeamAudit> = teams
        .into_iter()
        .map(|(team, counts)| TeamAudit {
            team: team.map_or_else(
                || "(not recorded)".to_string(),
                |t| data.text.text(t).to_string(),
            ),
            fields: fields_from(&counts),
        })
        .collect();
    by_team.sort_by(|a, b| a.team.cmp(&b.team));
    (fields_from(&total), by_team)
}
