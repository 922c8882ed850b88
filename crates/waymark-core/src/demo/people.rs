//! The people: everything that more than one file depends on (who they are, their
//! recovery, goals and housing), and the people each planted effect is planted on.

use super::csv_out::Day;
use super::parameters::*;
use super::random::*;
use super::vocabulary::*;
use crate::model::DAYS_PER_MONTH;
use rand_chacha::ChaCha8Rng;

/// A temporary drop in recovery: full `depth` at `at_day` (days since start), recovering
/// linearly over `length` days.
#[derive(Clone, Copy, Debug)]
pub(super) struct Setback {
    pub(super) at_day: f64,
    pub(super) depth: f64,
    pub(super) length: f64,
}

/// A person's latent recovery over time, in units where 1 is a large improvement.
#[derive(Clone, Debug)]
pub(super) struct Trajectory {
    /// Where recovery levels off; negative for people who deteriorate.
    pub(super) gain: f64,
    /// Time constant of the approach to `gain`, days.
    pub(super) tau: f64,
    /// Recovery pauses from `.0` days for `.1` days.
    pub(super) plateau: Option<(f64, f64)>,
    pub(super) setbacks: Vec<Setback>,
}

impl Trajectory {
    /// # Formula
    /// `gain × (1 − e^(−t'/tau)) − Σ depth × (1 − (t − at)/length)` over setbacks in
    /// progress, where `t'` is `t` with the plateau's days taken out.
    pub(super) fn at(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let warped = match self.plateau {
            Some((from, length)) if t > from => {
                if t < from + length {
                    from
                } else {
                    t - length
                }
            }
            _ => t,
        };
        let mut level = self.gain * (1.0 - exp_neg(warped / self.tau));
        for setback in &self.setbacks {
            let since = t - setback.at_day;
            if since >= 0.0 && since < setback.length {
                level -= setback.depth * (1.0 - since / setback.length);
            }
        }
        level
    }
}

#[derive(Clone, Debug)]
pub(super) struct GoalPlan {
    pub(super) domain: usize,
    pub(super) text: usize,
    pub(super) set: Day,
    pub(super) baseline: i64,
    pub(super) staff: usize,
    /// Follow-up review dates, after `set`.
    pub(super) reviews: Vec<Day>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Roles {
    pub(super) discordant: bool,
    pub(super) reverse: bool,
    pub(super) early_warning: bool,
    pub(super) early_warning_crisis: bool,
    pub(super) static_plan: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Person {
    pub(super) id: String,
    pub(super) comparison: bool,
    pub(super) pathway: usize,
    pub(super) severity: usize,
    pub(super) team: usize,
    pub(super) coordinator: usize,
    pub(super) age_band: usize,
    pub(super) sex: usize,
    pub(super) ethnicity: usize,
    pub(super) start: Day,
    /// Discharge date, when before the reference date.
    pub(super) end: Option<Day>,
    /// The last day the person is observed: `end`, else the reference date.
    pub(super) obs_end: Day,
    /// Ended early after disengaging.
    pub(super) dropped_out: bool,
    /// Multiplier on acute-event rates (mean about 1).
    pub(super) frailty: f64,
    pub(super) trajectory: Trajectory,
    /// Outcome occasions; when `discharge_measure`, the last is the discharge one.
    pub(super) measure_days: Vec<Day>,
    pub(super) discharge_measure: bool,
    pub(super) uses_core10: bool,
    /// Housing level (index into [`HOUSING`]) from each date on; the first is at start.
    pub(super) housing: Vec<(Day, usize)>,
    pub(super) goals: Vec<GoalPlan>,
    pub(super) roles: Roles,
}

impl Person {
    /// Index into per-group tables: the pathway, or [`COMPARISON`].
    pub(super) fn group(&self) -> usize {
        if self.comparison {
            COMPARISON
        } else {
            self.pathway
        }
    }

    pub(super) fn housing_on(&self, day: Day) -> usize {
        self.housing
            .iter()
            .take_while(|(from, _)| *from <= day)
            .last()
            .map_or(HOUSING.len() - 1, |h| h.1)
    }
}

pub(super) fn build_person(ctx: &Ctx, idx: usize) -> Person {
    let rng = &mut ctx.stream(idx, Section::Person);
    let reference = ctx.reference;
    let comparison = chance(rng, f64::from(COMPARISON_PCT) / 100.0);
    let pathway = weighted(rng, &PATHWAY_WEIGHTS);
    let severity = weighted(rng, &SEVERITY_WEIGHTS);
    let team = weighted(rng, &TEAM_WEIGHTS);
    let coordinator = TEAM_COORDINATORS[team][index(rng, TEAM_COORDINATORS[team].len())];
    let age_band = weighted(rng, &AGE_WEIGHTS);
    let sex = weighted(rng, &SEX_WEIGHTS);
    let ethnicity = weighted(rng, &ETHNICITY_WEIGHTS);

    let start = reference - int(rng, 30, 730);
    let dropped_out = chance(rng, if comparison { 0.15 } else { 0.12 });
    let planned = if dropped_out {
        int(rng, 30, 120)
    } else if comparison {
        int(rng, 180, 450)
    } else {
        match pathway {
            INTEGRATED => int(rng, 270, 540),
            STANDARD => int(rng, 180, 365),
            _ => int(rng, 90, 180),
        }
    };
    let end = (start + planned < reference).then_some(start + planned);
    let obs_end = end.unwrap_or(reference);
    let frailty = between(rng, 0.4, 1.6) * SEVERITY_EVENT_FACTOR[severity];

    // Outcome occasions: baseline within two weeks of start, then about every 91 days
    // (±3 weeks), sometimes skipping one; a discharge measure near the end date.
    let mut measure_days = vec![start + int(rng, 0, 14)];
    let last_review = if end.is_some() { obs_end - 30 } else { obs_end };
    loop {
        let prev = measure_days[measure_days.len() - 1];
        let mut next = prev + 91 + int(rng, -21, 21);
        if chance(rng, 0.12) {
            next += 91;
        }
        if next > last_review {
            break;
        }
        measure_days.push(next);
    }
    let mut discharge_measure = false;
    if let Some(end) = end {
        let day = end - int(rng, 0, 7);
        if day >= measure_days[measure_days.len() - 1] + 28 {
            measure_days.push(day);
            discharge_measure = true;
        }
    }
    let uses_core10 = chance(rng, 0.05);

    let group = if comparison { COMPARISON } else { pathway };
    let deteriorates = chance(
        rng,
        f64::from(DETERIORATE_PCT[usize::from(comparison)]) / 100.0,
    );
    let gain = if deteriorates {
        -between(rng, 0.2, 0.7)
    } else {
        GAIN_MEAN[group] + GAIN_SEVERITY_SHIFT[severity] + GAIN_SD * normal(rng)
    };
    let tau = between(rng, TAU_DAYS.0, TAU_DAYS.1);
    let plateau = chance(rng, 0.3).then(|| (between(rng, 60.0, 200.0), between(rng, 60.0, 150.0)));
    let observed = f64::from(obs_end - start);
    let n_setbacks = poisson(rng, observed / DAYS_PER_MONTH * 0.07);
    let setbacks = (0..n_setbacks)
        .map(|_| Setback {
            at_day: between(rng, 30.0, observed.max(31.0)),
            depth: between(rng, 0.25, 0.6),
            length: between(rng, 30.0, 120.0),
        })
        .collect();
    let trajectory = Trajectory {
        gain,
        tau,
        plateau,
        setbacks,
    };

    // Housing: a level at start, then a chance each month to move up or down one level.
    let mut level = weighted(rng, &HOUSING_WEIGHTS);
    let mut housing = vec![(start, level)];
    let p_up = [0.15, 0.07, 0.05, 0.04][group];
    let mut month_start = start + 30;
    while month_start < obs_end {
        let day = (month_start + int(rng, 0, 29)).min(obs_end);
        if level + 1 < HOUSING.len() && chance(rng, p_up) {
            level += 1;
            housing.push((day, level));
        } else if level > 0 && chance(rng, 0.015) {
            level -= 1;
            housing.push((day, level));
        }
        month_start += 30;
    }

    let goals = if comparison {
        Vec::new()
    } else {
        plan_goals(rng, start, obs_end, team, coordinator)
    };

    Person {
        id: format!("WM-{:06}", idx + 1),
        comparison,
        pathway,
        severity,
        team,
        coordinator,
        age_band,
        sex,
        ethnicity,
        start,
        end,
        obs_end,
        dropped_out,
        frailty,
        trajectory,
        measure_days,
        discharge_measure,
        uses_core10,
        housing,
        goals,
        roles: Roles::default(),
    }
}

/// Two to four goals in distinct domains, set in the first three weeks, each reviewed
/// about every 91 days: mostly within ±10 days of due, sometimes late, now and then
/// months overdue.
pub(super) fn plan_goals(
    rng: &mut ChaCha8Rng,
    start: Day,
    obs_end: Day,
    team: usize,
    coordinator: usize,
) -> Vec<GoalPlan> {
    let n_goals = int(rng, 2, 4) as usize;
    let all_domains: Vec<usize> = (0..DOMAINS.len()).collect();
    let mut domains = choose(rng, &all_domains, n_goals);
    domains.sort_unstable();
    domains
        .into_iter()
        .map(|domain| {
            let set = (start + int(rng, 0, 21)).min(obs_end);
            let baseline = if chance(rng, 0.55) { -2 } else { -1 };
            let staff = if chance(rng, 0.1) {
                let mates = TEAM_COORDINATORS[team];
                mates[index(rng, mates.len())]
            } else {
                coordinator
            };
            let mut reviews = Vec::new();
            let mut due = set + 91;
            loop {
                let lateness = match unit(rng) {
                    u if u < 0.75 => int(rng, -10, 10),
                    u if u < 0.93 => int(rng, 11, 45),
                    _ => int(rng, 46, 120),
                };
                let review = due + lateness;
                if review > obs_end {
                    break;
                }
                reviews.push(review);
                due = review + 91;
            }
            GoalPlan {
                domain,
                text: index(rng, 2),
                set,
                baseline,
                staff,
                reviews,
            }
        })
        .collect()
}

/// Which people the person-level effects are planted on, chosen at random from those who
/// can show them; returns each role's people in id order.
pub(super) struct PlantedPeople {
    pub(super) discordant: Vec<usize>,
    pub(super) reverse: Vec<usize>,
    pub(super) early_warning: Vec<usize>,
    pub(super) early_warning_crisis: Vec<usize>,
    pub(super) static_plan: Vec<usize>,
    pub(super) n_service: usize,
}

pub(super) fn assign_roles(ctx: &Ctx, people: &mut [Person]) -> PlantedPeople {
    let rng = &mut ctx.roles_stream();
    let n = people.len();
    let n_service = people.iter().filter(|p| !p.comparison).count();

    // Discordance needs a change to show: two occasions at least 150 days apart, scored on
    // WEMWBS and PHQ-9.
    let can_show_change: Vec<usize> = (0..n)
        .filter(|&i| {
            let p = &people[i];
            let span = p.measure_days[p.measure_days.len() - 1] - p.measure_days[0];
            !p.comparison && !p.uses_core10 && span >= 150
        })
        .collect();
    let discordant = choose(rng, &can_show_change, percent_of(n, DISCORDANT_PCT));
    let rest: Vec<usize> = can_show_change
        .iter()
        .copied()
        .filter(|i| !discordant.contains(i))
        .collect();
    let reverse = choose(rng, &rest, percent_of(n, REVERSE_PCT));

    // Early warning: still in service, at least 180 days in.
    let in_service: Vec<usize> = (0..n)
        .filter(|&i| {
            let p = &people[i];
            !p.comparison
                && p.end.is_none()
                && ctx.reference - p.start >= 180
                && !discordant.contains(&i)
                && !reverse.contains(&i)
        })
        .collect();
    let early_warning = choose(rng, &in_service, percent_of(n, EARLY_WARNING_PCT));
    let early_warning_crisis: Vec<usize> =
        early_warning[..early_warning.len().div_ceil(2)].to_vec();

    // Static plans: a goal with two follow-up reviews at least.
    let reviewed_twice: Vec<usize> = (0..n)
        .filter(|&i| people[i].goals.iter().any(|g| g.reviews.len() >= 2))
        .collect();
    let static_plan = choose(rng, &reviewed_twice, percent_of(n_service, STATIC_PLAN_PCT));

    for &i in &discordant {
        let p = &mut people[i];
        p.roles.discordant = true;
        p.trajectory = Trajectory {
            gain: between(rng, 1.1, 1.4),
            tau: between(rng, 60.0, 120.0),
            plateau: None,
            setbacks: Vec::new(),
        };
    }
    for &i in &reverse {
        let p = &mut people[i];
        p.roles.reverse = true;
        p.trajectory = Trajectory {
            gain: between(rng, -0.05, 0.1),
            tau: 120.0,
            plateau: None,
            setbacks: Vec::new(),
        };
    }
    for &i in &early_warning {
        let p = &mut people[i];
        p.roles.early_warning = true;
        let since_start = f64::from(ctx.reference - p.start);
        p.trajectory.setbacks.push(Setback {
            at_day: since_start - 80.0,
            depth: 0.3,
            length: 240.0,
        });
    }
    for &i in &early_warning_crisis {
        people[i].roles.early_warning_crisis = true;
    }
    for &i in &static_plan {
        people[i].roles.static_plan = true;
    }

    let sorted = |mut v: Vec<usize>| {
        v.sort_unstable();
        v
    };
    PlantedPeople {
        discordant: sorted(discordant),
        reverse: sorted(reverse),
        early_warning: sorted(early_warning),
        early_warning_crisis: sorted(early_warning_crisis),
        static_plan: sorted(static_plan),
        n_service,
    }
}
