//! Stability and early warning: crisis use, admissions, missed contacts, engagement and housing
//! read together, so teams can escalate before a crisis.
//!
//! Each person still in service at the reference date is compared across two windows of
//! [`AnalysisConfig::stability_window_days`] (default 90): the latest window, ending on the
//! reference date, and the one before it. Both must lie inside the person's service period.
//!
//! An indicator **worsened** when (latest against previous window):
//! - crisis contacts: more than before, and at least 2 in the latest window;
//! - admissions: more than before;
//! - missed appointments: the missed share of appointments rose by 10 points or more, and at
//!   least 2 more were missed;
//! - engagement, housing: the status at the end of the latest window is lower in the status
//!   order than at the end of the previous one (orders in docs/data-formats.md).
//!
//! **Improved** mirrors each rule. The **state** is *deteriorating* when more indicators
//! worsened than improved, *improving* when more improved than worsened, else *stable*. An
//! **early warning** is raised when two or more indicators worsened together, whatever else
//! improved; it lists the indicators that moved and the follow-up actions recorded in the
//! latest window (event follow-ups and plan adjustments after feedback).
//!
//! These thresholds are Waymark's own screening rule, not a validated instrument: they are
//! chosen so that a single extra contact does not raise a flag. Tune them with local data.

use crate::analysis::vocabulary::StatusIndicator;
use crate::analysis::{AnalysisConfig, EventKind, PersonIndex};
use crate::model::Dataset;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StabilityState {
    Improving,
    Stable,
    Deteriorating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StabilityIndicator {
    CrisisContacts,
    Admissions,
    MissedAppointments,
    Engagement,
    Housing,
}

/// What was recorded for one person in one window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowReading {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub crisis_contacts: f64,
    pub admissions: f64,
    pub missed: f64,
    pub attended: f64,
    /// Status at the end of the window: its text and its position in the status order.
    pub engagement: Option<(String, u8)>,
    pub housing: Option<(String, u8)>,
}

impl WindowReading {
    fn missed_share(&self) -> Option<f64> {
        let total = self.missed + self.attended;
        (total > 0.0).then(|| self.missed / total)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonStability {
    pub person: usize,
    pub state: StabilityState,
    pub early_warning: bool,
    pub worsened: Vec<StabilityIndicator>,
    pub improved: Vec<StabilityIndicator>,
    pub previous: WindowReading,
    pub latest: WindowReading,
    /// Follow-up actions recorded in the latest window, with their dates.
    pub follow_ups: Vec<(NaiveDate, String)>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StabilityAnalysis {
    pub window_days: u32,
    /// People still in service with two full windows of service.
    pub people_assessed: u64,
    pub improving: u64,
    pub stable: u64,
    pub deteriorating: u64,
    pub early_warnings: u64,
    /// How often each indicator worsened among the people flagged.
    pub flagged_by_indicator: Vec<(StabilityIndicator, u64)>,
    /// Flagged people with at least one follow-up action recorded in the latest window.
    pub flagged_with_follow_up: u64,
    /// Still in service but too recently started for two windows.
    pub too_recent: u64,
    pub people: Vec<PersonStability>,
}

impl StabilityAnalysis {
    /// Adds another partition's results (ARCHITECTURE.md, "Partitions of people"): the counts
    /// add, per indicator too. `other`'s people are numbered by rows of its own people table;
    /// they are appended with `person_offset` added, the row its people start at when the
    /// partitions' people tables are put one after the other. Both must use the same window
    /// and reference date (first-pass constants).
    pub fn add(&mut self, other: &StabilityAnalysis, person_offset: usize) {
        self.people_assessed += other.people_assessed;
        self.improving += other.improving;
        self.stable += other.stable;
        self.deteriorating += other.deteriorating;
        self.early_warnings += other.early_warnings;
        self.flagged_with_follow_up += other.flagged_with_follow_up;
        self.too_recent += other.too_recent;
        crate::analysis::add_matching(
            &mut self.flagged_by_indicator,
            &other.flagged_by_indicator,
            |a, b| a.0 == b.0,
            |mine, theirs| mine.1 += theirs.1,
        );
        self.people
            .extend(other.people.iter().map(|person| PersonStability {
                person: person.person + person_offset,
                ..person.clone()
            }));
    }
}

/// Whether the missed share rose by 10 percentage points or more from `from` to `to`. Compared
/// as missed_to·total_from − missed_from·total_to ≥ total_from·total_to / 10, multiplied out so
/// that 2 of 10 then 6 of 20 (exactly 10 points) is not lost to rounding (0.3 − 0.2 < 0.1 in
/// floating point). Counts are whole numbers, so the products are exact.
fn share_rose_ten_points(from: &WindowReading, to: &WindowReading) -> bool {
    let (total_from, total_to) = (from.missed + from.attended, to.missed + to.attended);
    10.0 * (to.missed * total_from - from.missed * total_to) >= total_from * total_to
}

/// Compares two windows by the rules in the module documentation.
pub fn compare(
    previous: &WindowReading,
    latest: &WindowReading,
) -> (Vec<StabilityIndicator>, Vec<StabilityIndicator>) {
    use StabilityIndicator::*;
    let (mut worse, mut better) = (Vec::new(), Vec::new());
    if latest.crisis_contacts > previous.crisis_contacts && latest.crisis_contacts >= 2.0 {
        worse.push(CrisisContacts);
    } else if latest.crisis_contacts < previous.crisis_contacts && previous.crisis_contacts >= 2.0 {
        better.push(CrisisContacts);
    }
    if latest.admissions > previous.admissions {
        worse.push(Admissions);
    } else if latest.admissions < previous.admissions {
        better.push(Admissions);
    }
    if previous.missed_share().is_some() && latest.missed_share().is_some() {
        if share_rose_ten_points(previous, latest) && latest.missed - previous.missed >= 2.0 {
            worse.push(MissedAppointments);
        } else if share_rose_ten_points(latest, previous) && previous.missed - latest.missed >= 2.0
        {
            better.push(MissedAppointments);
        }
    }
    for (indicator, before, now) in [
        (Engagement, &previous.engagement, &latest.engagement),
        (Housing, &previous.housing, &latest.housing),
    ] {
        if let (Some((_, before)), Some((_, now))) = (before, now) {
            if now < before {
                worse.push(indicator);
            } else if now > before {
                better.push(indicator);
            }
        }
    }
    (worse, better)
}

pub fn analyse(data: &Dataset, index: &PersonIndex, config: &AnalysisConfig) -> StabilityAnalysis {
    let window = u64::from(config.stability_window_days.max(1));
    let reference = index.reference_date;
    let mut out = StabilityAnalysis {
        window_days: config.stability_window_days.max(1),
        ..StabilityAnalysis::default()
    };
    let (Some(latest_from), Some(previous_from)) = (
        reference.checked_sub_days(Days::new(window - 1)),
        reference.checked_sub_days(Days::new(2 * window - 1)),
    ) else {
        return out;
    };
    let previous_to = latest_from.pred_opt().unwrap_or(latest_from);
    let vocab = &index.vocab;
    let mut flagged_counts = [0u64; 5];

    for p in 0..index.len {
        let still_in_service = data.people.end_date[p].is_none_or(|end| end >= reference);
        if !PersonIndex::in_service_cohort(data, p) || !still_in_service {
            continue;
        }
        if data.people.start_date[p] > previous_from {
            out.too_recent += 1;
            continue;
        }
        let mut previous = WindowReading {
            from: Some(previous_from),
            to: Some(previous_to),
            ..WindowReading::default()
        };
        let mut latest = WindowReading {
            from: Some(latest_from),
            to: Some(reference),
            ..WindowReading::default()
        };
        let mut follow_ups = Vec::new();
        let e = &data.events;
        for &row in index.events.of(p) {
            let row = row as usize;
            let date = e.date[row];
            let reading = if (previous_from..=previous_to).contains(&date) {
                &mut previous
            } else if (latest_from..=reference).contains(&date) {
                if let Some(action) = e.follow_up[row] {
                    follow_ups.push((date, data.text.text(action).to_string()));
                }
                &mut latest
            } else {
                continue;
            };
            let q = f64::from(e.quantity[row]);
            match vocab.event_kind(e.event_type[row]) {
                Some(EventKind::Crisis) => reading.crisis_contacts += q,
                Some(EventKind::Admission) => reading.admissions += q,
                Some(EventKind::MissedAppointment) => reading.missed += q,
                Some(EventKind::AttendedAppointment) => reading.attended += q,
                _ => {}
            }
        }
        let s = &data.status;
        for &row in index.status.of(p) {
            let row = row as usize;
            let Some(rank) = s.rank[row] else { continue };
            let value = Some((data.text.text(s.value[row]).to_string(), rank));
            let date = s.date[row];
            let set = |reading: &mut WindowReading| match vocab.status_indicator(s.indicator[row]) {
                Some(StatusIndicator::Engagement) => reading.engagement = value.clone(),
                Some(StatusIndicator::Housing) => reading.housing = value.clone(),
                None => {}
            };
            if date <= previous_to {
                set(&mut previous);
            }
            if date <= reference {
                set(&mut latest);
            }
        }
        let f = &data.feedback;
        for &row in index.feedback.of(p) {
            let row = row as usize;
            if (latest_from..=reference).contains(&f.date[row]) {
                if let Some(action) = f.plan_adjustment[row] {
                    follow_ups.push((f.date[row], data.text.text(action).to_string()));
                }
            }
        }
        follow_ups.sort();
        let (worsened, improved) = compare(&previous, &latest);
        let state = if worsened.len() > improved.len() {
            StabilityState::Deteriorating
        } else if improved.len() > worsened.len() {
            StabilityState::Improving
        } else {
            StabilityState::Stable
        };
        let early_warning = worsened.len() >= 2;
        out.people_assessed += 1;
        match state {
            StabilityState::Improving => out.improving += 1,
            StabilityState::Stable => out.stable += 1,
            StabilityState::Deteriorating => out.deteriorating += 1,
        }
        if early_warning {
            out.early_warnings += 1;
            out.flagged_with_follow_up += u64::from(!follow_ups.is_empty());
            for indicator in &worsened {
                flagged_counts[*indicator as usize] += 1;
            }
        }
        out.people.push(PersonStability {
            person: p,
            state,
            early_warning,
            worsened,
            improved,
            previous,
            latest,
            follow_ups,
        });
    }
    use StabilityIndicator::*;
    out.flagged_by_indicator = [
        CrisisContacts,
        Admissions,
        MissedAppointments,
        Engagement,
        Housing,
    ]
    .into_iter()
    .zip(flagged_counts)
    .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(missed: f64, attended: f64) -> WindowReading {
        WindowReading {
            missed,
            attended,
            ..WindowReading::default()
        }
    }

    /// 2 of 10 missed, then 6 of 20: the share rose by exactly 10 points and 4 more were
    /// missed, so the rule is met (in floating point 0.3 − 0.2 is just under 0.1).
    #[test]
    fn a_rise_of_exactly_ten_points_counts() {
        let (worse, better) = compare(&window(2.0, 8.0), &window(6.0, 14.0));
        assert_eq!(worse, vec![StabilityIndicator::MissedAppointments]);
        assert!(better.is_empty());
        let (worse, better) = compare(&window(6.0, 14.0), &window(2.0, 8.0));
        assert!(worse.is_empty());
        assert_eq!(better, vec![StabilityIndicator::MissedAppointments]);
        // 2 of 10 then 6 of 21 is 8.6 points: not enough.
        assert!(compare(&window(2.0, 8.0), &window(6.0, 15.0)).0.is_empty());
    }
}
