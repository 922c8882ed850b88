//! Time to event: time to first crisis and time to relapse, as Kaplan–Meier curves with
//! medians, restricted means and the log-rank test across pathways.

use super::*;

/// Which time-to-event outcome a [`TimeToEvent`] describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivalOutcome {
    TimeToFirstCrisis,
    TimeToRelapse,
}

/// Kaplan–Meier curves per group for one outcome, and the log-rank test across the service
/// pathways (the comparison cohort's curve is shown but not tested).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimeToEvent {
    pub outcome: SurvivalOutcome,
    /// The measure, for time to relapse.
    pub measure: Option<String>,
    /// The definition in plain words, to print with the chart.
    pub definition: String,
    pub time_unit: std::borrow::Cow<'static, str>,
    pub tau_days: f64,
    pub groups: Vec<SurvivalGroup>,
    /// Across the service pathways with anyone at risk, in the order of `log_rank_pathways`.
    pub log_rank: Option<LogRank>,
    pub log_rank_pathways: Vec<String>,
}

/// One group's curve. `curve` (with its median and log(−log) Greenwood band) is `None` when
/// nobody in the group is at risk.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SurvivalGroup {
    pub pathway: String,
    pub kind: GroupKind,
    pub people_at_risk: u64,
    pub events: u64,
    pub curve: Option<KaplanMeier>,
    pub restricted_mean: Option<crate::stats::survival::RestrictedMean>,
}

/// The first measure label in the outcomes table that the rules read as `rule`'s measure (the
/// same look-up the outcomes engine uses).
fn first_label_for(data: &Dataset, rules: &MeasureRules, rule: &MeasureRule) -> Option<Label> {
    let mut checked: Vec<Label> = Vec::new();
    for &label in &data.outcomes.measure {
        if checked.contains(&label) {
            continue;
        }
        checked.push(label);
        if rules
            .lookup(data.text.text(label))
            .is_some_and(|r| r.name() == rule.name())
        {
            return Some(label);
        }
    }
    None
}

/// One person's time to relapse, or `None` when they never improved reliably (not at risk).
///
/// Scores (dates ascending, baseline first) are put in "better" units (negated for
/// lower-is-better measures). The clock starts at the first score at least `threshold` better
/// than the baseline. Relapse is the first later score at least `threshold` worse than the best
/// score since the clock started; the time is the days between the two scores. Without a
/// relapse the person is censored at their last score (0 days when the improvement is the last
/// score).
pub fn relapse_observation(
    dates: &[NaiveDate],
    scores: &[f64],
    threshold: f64,
    direction: Direction,
) -> Option<Observation> {
    let better = |score: f64| match direction {
        Direction::HigherIsBetter => score,
        Direction::LowerIsBetter => -score,
    };
    let baseline = better(*scores.first()?);
    let start = scores
        .iter()
        .skip(1)
        .position(|s| better(*s) - baseline >= threshold)?
        + 1;
    let start_date = *dates.get(start)?;
    let mut best = better(*scores.get(start)?);
    for (date, score) in dates.iter().zip(scores).skip(start + 1) {
        let u = better(*score);
        if u <= best - threshold {
            return Some(Observation {
                time: days_between(start_date, *date),
                event: true,
            });
        }
        best = best.max(u);
    }
    let last = *dates.last()?;
    Some(Observation {
        time: days_between(start_date, last),
        event: false,
    })
}

#[allow(clippy::too_many_arguments)]
fn time_to_event(
    outcome: SurvivalOutcome,
    measure: Option<String>,
    definition: String,
    names: &[String],
    kinds: &[GroupKind],
    n_pathways: usize,
    observations: Vec<Vec<Observation>>,
    tau: f64,
    confidence_level: f64,
) -> TimeToEvent {
    let tested: Vec<usize> = (0..n_pathways)
        .filter(|&g| observations.get(g).is_some_and(|o| !o.is_empty()))
        .collect();
    let log_rank_groups: Vec<&[Observation]> = tested
        .iter()
        .filter_map(|&g| observations.get(g).map(Vec::as_slice))
        .collect();
    let log_rank = log_rank(&log_rank_groups);
    let groups = observations
        .iter()
        .zip(names.iter().zip(kinds))
        .map(|(list, (name, kind))| {
            let curve = kaplan_meier(list, confidence_level);
            SurvivalGroup {
                pathway: name.clone(),
                kind: *kind,
                people_at_risk: list.len() as u64,
                events: list.iter().filter(|o| o.event).count() as u64,
                restricted_mean: curve.as_ref().and_then(|c| c.restricted_mean(tau)),
                curve,
            }
        })
        .collect();
    TimeToEvent {
        outcome,
        measure,
        definition,
        time_unit: "days".into(),
        tau_days: tau,
        groups,
        log_rank,
        log_rank_pathways: tested
            .iter()
            .filter_map(|&g| names.get(g).cloned())
            .collect(),
    }
}

/// Each group's observations of the time from the start date to the first crisis event in
/// service (censored at the last day in service), in person order.
pub(super) fn crisis_observations(
    facts: &[Option<PersonFacts>],
    n_groups: usize,
) -> Vec<Vec<Observation>> {
    let mut observations: Vec<Vec<Observation>> = vec![Vec::new(); n_groups];
    for f in facts.iter().flatten() {
        let observation = match f.first_crisis {
            Some(date) => Observation {
                time: days_between(f.start, date),
                event: true,
            },
            None => Observation {
                time: days_between(f.start, f.end),
                event: false,
            },
        };
        if let Some(list) = observations.get_mut(f.group) {
            list.push(observation);
        }
    }
    observations
}

/// Time from the start date to the first crisis event in service, per group.
pub(super) fn first_crisis(
    observations: Vec<Vec<Observation>>,
    groups: &Groups,
    tau: f64,
    confidence: Confidence,
) -> TimeToEvent {
    time_to_event(
        SurvivalOutcome::TimeToFirstCrisis,
        None,
        "Days from the start date to the first crisis event in service (a crisis event type, \
         dated from the start date on). People without one are censored at their last day in \
         service: the end date, or the reference date while still in service."
            .to_string(),
        &groups.names,
        &groups.kinds,
        groups.pathways,
        observations,
        tau,
        confidence.level(),
    )
}

/// Each group's observations of the time from a reliable improvement on `rule`'s measure to a
/// relapse, in person order.
pub(super) fn relapse_observations(
    data: &Dataset,
    index: &PersonIndex,
    rules: &MeasureRules,
    rule: &MeasureRule,
    facts: &[Option<PersonFacts>],
    n_groups: usize,
) -> Vec<Vec<Observation>> {
    let labels: Vec<Label> = first_label_for(data, rules, rule).into_iter().collect();
    let mut observations: Vec<Vec<Observation>> = vec![Vec::new(); n_groups];
    for (p, fact) in facts.iter().enumerate() {
        let (Some(f), Some(&label)) = (fact, labels.first()) else {
            continue;
        };
        let (dates, scores, _) = episode_scores(data, index.outcomes.of(p), label, rule);
        if let (Some(observation), Some(list)) = (
            relapse_observation(&dates, &scores, rule.reliable_change, rule.direction()),
            observations.get_mut(f.group),
        ) {
            list.push(observation);
        }
    }
    observations
}

/// Time from a reliable improvement on the primary measure to a relapse, per group.
pub(super) fn relapse(
    rule: &MeasureRule,
    observations: Vec<Vec<Observation>>,
    groups: &Groups,
    tau: f64,
    confidence: Confidence,
) -> TimeToEvent {
    time_to_event(
        SurvivalOutcome::TimeToRelapse,
        Some(rule.name().to_string()),
        format!(
            "Among people whose {m} score improved reliably on their baseline (by at least {t} points), \
             days from the first such score to the first later score that is a reliable worsening \
             (at least {t} points worse) than the best score reached since. People without one are \
             censored at their last {m} score.",
            m = rule.name(),
            t = rule.reliable_change
        ),
        &groups.names,
        &groups.kinds,
        groups.pathways,
        observations,
        tau,
        confidence.level(),
    )
}
