//! The files other than `events.csv`: people, outcomes, goals, status and feedback, and the
//! counts gathered while writing them for the planted-effect descriptions.

use super::csv_out::*;
use super::parameters::*;
use super::people::*;
use super::random::*;
use super::vocabulary::*;
use std::fmt::Write as _;

pub(super) fn write_people(people: &[Person]) -> String {
    let mut out = CsvOut::new(PEOPLE_HEADER);
    for p in people {
        out.text(&p.id).text(PATHWAYS[p.pathway]).date(p.start);
        match p.end {
            Some(end) => out.date(end),
            None => out.text(""),
        };
        out.text(TEAMS[p.team])
            .text(COORDINATORS[p.coordinator])
            .text(SEVERITIES[p.severity])
            .text(AGE_BANDS[p.age_band])
            .text(SEXES[p.sex])
            .text(ETHNICITIES[p.ethnicity])
            .text(if p.comparison {
                "comparison"
            } else {
                "service"
            });
        out.end();
    }
    out.text
}

/// Counts gathered while writing, for the planted-effect descriptions.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) groups: [GroupTally; 4],
    pub(super) event_rows: usize,
}

#[derive(Default, Clone, Copy)]
pub(super) struct GroupTally {
    pub(super) people: u32,
    pub(super) pre_days: i64,
    pub(super) post_days: i64,
    pub(super) crisis_pre: u32,
    pub(super) crisis_post: u32,
    pub(super) admissions_pre: u32,
    pub(super) admissions_post: u32,
    pub(super) bed_days_pre: i64,
    pub(super) bed_days_post: i64,
    /// People with a first and a later WEMWBS, and how many rose by 8 points or more.
    pub(super) wemwbs_people: u32,
    pub(super) wemwbs_improved: u32,
    pub(super) wemwbs_change: i64,
    pub(super) phq9_people: u32,
    pub(super) phq9_improved: u32,
    pub(super) phq9_change: i64,
}

pub(super) const WEMWBS_RANGE: (i64, i64) = (14, 70);
pub(super) const PHQ9_RANGE: (i64, i64) = (0, 27);
pub(super) const CORE10_RANGE: (i64, i64) = (0, 40);
/// Baseline means by severity (low, moderate, high) and person-level spread.
pub(super) const WEMWBS_BASE: [f64; 3] = [41.0, 36.0, 31.0];
pub(super) const PHQ9_BASE: [f64; 3] = [8.0, 13.0, 18.0];
pub(super) const CORE10_BASE: [f64; 3] = [13.0, 18.0, 24.0];

pub(super) fn score(value: f64, range: (i64, i64)) -> i64 {
    (value.round() as i64).clamp(range.0, range.1)
}

pub(super) fn write_outcomes(ctx: &Ctx, people: &[Person], tally: &mut Tally) -> String {
    let mut out = CsvOut::new(OUTCOMES_HEADER);
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Outcomes);
        let wemwbs_base = WEMWBS_BASE[p.severity] + 4.0 * normal(rng);
        let phq9_base = PHQ9_BASE[p.severity] + 2.5 * normal(rng);
        let core10_base = CORE10_BASE[p.severity] + 3.0 * normal(rng);
        let (mut first_w, mut last_w, mut first_p, mut last_p) = (None, 0, None, 0);
        let n = p.measure_days.len();
        for (j, &day) in p.measure_days.iter().enumerate() {
            let stage = if j == 0 {
                "baseline"
            } else if j + 1 == n && p.discharge_measure {
                "discharge"
            } else {
                "review"
            };
            let level = p.trajectory.at(f64::from(day - p.start));
            let wemwbs = score(
                wemwbs_base + WEMWBS_PER_UNIT * level + 2.5 * normal(rng),
                WEMWBS_RANGE,
            );
            out.text(&p.id)
                .date(day)
                .text("WEMWBS")
                .int(wemwbs)
                .text(stage);
            out.end();
            first_w.get_or_insert(wemwbs);
            last_w = wemwbs;
            if p.uses_core10 {
                let core10 = score(
                    core10_base - CORE10_PER_UNIT * level + 2.0 * normal(rng),
                    CORE10_RANGE,
                );
                out.text(&p.id)
                    .date(day)
                    .text("CORE-10")
                    .int(core10)
                    .text(stage);
            } else {
                let phq9 = score(
                    phq9_base - PHQ9_PER_UNIT * level + 1.8 * normal(rng),
                    PHQ9_RANGE,
                );
                out.text(&p.id)
                    .date(day)
                    .text("PHQ-9")
                    .int(phq9)
                    .text(stage);
                first_p.get_or_insert(phq9);
                last_p = phq9;
            }
            out.end();
        }
        let g = &mut tally.groups[p.group()];
        if n >= 2 {
            if let Some(first) = first_w {
                g.wemwbs_people += 1;
                g.wemwbs_change += last_w - first;
                g.wemwbs_improved += u32::from(last_w - first >= 8);
            }
            if let Some(first) = first_p {
                g.phq9_people += 1;
                g.phq9_change += last_p - first;
                g.phq9_improved += u32::from(first - last_p >= 6);
            }
        }
    }
    out.text
}

pub(super) fn write_goals(ctx: &Ctx, people: &[Person]) -> String {
    let mut out = CsvOut::new(GOALS_HEADER);
    let mut goal_id = String::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Goals);
        for (goal_idx, goal) in p.goals.iter().enumerate() {
            goal_id.clear();
            let _ = write!(goal_id, "{}-G{}", p.id, goal_idx + 1);
            let pace = between(rng, 0.6, 1.3);
            let row = |out: &mut CsvOut, review: Day, rating: i64, changed: bool| {
                out.text(&p.id)
                    .text(&goal_id)
                    .date(review)
                    .int(rating)
                    .text(DOMAINS[goal.domain])
                    .text(GOAL_TEXT[goal.domain][goal.text])
                    .date(goal.set)
                    .int(goal.baseline)
                    .int(0)
                    .date(review + 91)
                    .text(if changed { "yes" } else { "no" })
                    .text(COORDINATORS[goal.staff]);
                out.end();
            };
            // The goal-setting row: the plan is new, so it counts as changed.
            row(&mut out, goal.set, goal.baseline, true);
            let mut prev = goal.baseline;
            let mut prev_stuck = false;
            for &review in &goal.reviews {
                let (rating, changed) = if p.roles.static_plan {
                    let slip = chance(rng, 0.15);
                    ((prev - i64::from(slip)).max(-2), false)
                } else {
                    let level = p.trajectory.at(f64::from(review - p.start));
                    let ideal = goal.baseline as f64
                        + (1.0 - goal.baseline as f64) * level * pace
                        + 0.45 * normal(rng);
                    let rating = score(ideal, (-2, 2));
                    let changed = if rating > prev {
                        chance(rng, 0.2)
                    } else {
                        // Never two stuck reviews in a row unless the static plan is planted.
                        prev_stuck || chance(rng, 0.7)
                    };
                    (rating, changed)
                };
                prev_stuck = rating <= prev && !changed;
                prev = rating;
                row(&mut out, review, rating, changed);
            }
        }
    }
    out.text
}

pub(super) fn write_status(ctx: &Ctx, people: &[Person]) -> String {
    const ENGAGED: usize = 2;
    const PARTIAL: usize = 1;
    const DISENGAGED: usize = 0;
    let mut out = CsvOut::new(STATUS_HEADER);
    // (day, indicator: 0 housing / 1 engagement, value index)
    let mut rows: Vec<(Day, usize, usize)> = Vec::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Status);
        rows.clear();
        rows.extend(p.housing.iter().map(|&(day, level)| (day, 0, level)));

        let mut level = if p.roles.early_warning || chance(rng, 0.72) {
            ENGAGED
        } else {
            PARTIAL
        };
        rows.push((p.start, 1, level));
        let drift_until = if p.roles.early_warning {
            p.start // steady engagement until the planted drop
        } else if p.dropped_out && p.end.is_some() {
            p.obs_end - 60
        } else {
            p.obs_end
        };
        let mut month_start = p.start + 30;
        while month_start < drift_until {
            let day = (month_start + int(rng, 0, 29)).min(drift_until);
            let next = match level {
                ENGAGED if chance(rng, 0.025) => PARTIAL,
                PARTIAL if chance(rng, 0.25) => ENGAGED,
                PARTIAL if chance(rng, 0.03) => DISENGAGED,
                DISENGAGED if chance(rng, 0.3) => PARTIAL,
                _ => level,
            };
            if next != level {
                level = next;
                rows.push((day, 1, level));
            }
            month_start += 30;
        }
        if p.roles.early_warning {
            rows.push((ctx.reference - int(rng, 70, 85), 1, PARTIAL));
            if chance(rng, 0.6) {
                rows.push((ctx.reference - int(rng, 20, 35), 1, DISENGAGED));
            }
        } else if p.dropped_out && p.end.is_some() {
            // Stays are 30 days at least, so both changes fit after start.
            let mut last_change = p.start;
            if level == ENGAGED {
                last_change = (p.obs_end - int(rng, 45, 59)).max(p.start + 1);
                rows.push((last_change, 1, PARTIAL));
            }
            rows.push((
                (p.obs_end - int(rng, 5, 20)).max(last_change + 1),
                1,
                DISENGAGED,
            ));
        }
        rows.sort_by_key(|&(day, indicator, _)| (day, indicator));
        for &(day, indicator, value) in rows.iter() {
            let (name, label) = if indicator == 0 {
                ("housing", HOUSING[value])
            } else {
                ("engagement", ENGAGEMENT[value])
            };
            out.text(&p.id).date(day).text(name).text(label);
            out.end();
        }
    }
    out.text
}

/// One feedback row before it is written.
pub(super) struct Feedback {
    pub(super) day: Day,
    pub(super) source: usize,
    pub(super) self_rating: i64,
    pub(super) change: usize,
    pub(super) themes: u16,
    pub(super) text: &'static str,
    pub(super) plan_adjustment: Option<&'static str>,
}

pub(super) fn write_feedback(ctx: &Ctx, people: &[Person]) -> String {
    const PERSON: usize = 0;
    const CARER: usize = 2;
    let mut out = CsvOut::new(FEEDBACK_HEADER);
    let mut rows: Vec<Feedback> = Vec::new();
    let mut themes_text = String::new();
    for (idx, p) in people.iter().enumerate() {
        if p.comparison {
            continue; // usual care collects no feedback in this model
        }
        let rng = &mut ctx.stream(idx, Section::Feedback);
        rows.clear();
        for pair in p.measure_days.windows(2) {
            let (prev_day, occasion) = (pair[0], pair[1]);
            let planted = p.roles.discordant || p.roles.reverse;
            for (source, p_give, max_delay) in [
                (0, if planted { 1.0 } else { 0.8 }, 3),
                (1, 0.5, 7),
                (2, 0.12, 14),
            ] {
                if !chance(rng, p_give) {
                    continue;
                }
                let day = (occasion + int(rng, 0, max_delay)).min(p.obs_end);
                let now = p.trajectory.at(f64::from(day - p.start));
                let before = p.trajectory.at(f64::from(prev_day - p.start));
                let poor = p.roles.discordant && (source == PERSON || source == CARER);
                let good = p.roles.reverse && (source == PERSON || source == CARER);
                let (self_rating, change, mood) = if poor {
                    (
                        i64::from(int(rng, 1, 3)),
                        if chance(rng, 0.7) { 2 } else { 1 },
                        2,
                    )
                } else if good {
                    (
                        i64::from(int(rng, 7, 9)),
                        if chance(rng, 0.7) { 0 } else { 1 },
                        0,
                    )
                } else {
                    let rating = score(3.5 + 5.0 * now + 1.2 * normal(rng), (0, 10));
                    let delta = now - before + 0.1 * normal(rng);
                    let change = if delta > 0.08 {
                        0
                    } else if delta < -0.08 {
                        2
                    } else {
                        1
                    };
                    let mood = if rating >= 7 {
                        0
                    } else if rating >= 4 {
                        1
                    } else {
                        2
                    };
                    (rating, change, mood)
                };
                let mut themes: u16 = 0;
                if poor {
                    match int(rng, 0, 4) {
                        0 => themes |= 1 << T_ISOLATION,
                        1 => themes |= 1 << T_LONELINESS,
                        _ => themes |= (1 << T_ISOLATION) | (1 << T_LONELINESS),
                    }
                } else if good {
                    themes |= 1 << T_LISTENED;
                    if chance(rng, 0.6) {
                        themes |= 1 << T_CONFIDENCE;
                    }
                }
                let pool = THEMES_BY_MOOD[mood];
                for _ in 0..int(rng, if themes == 0 { 1 } else { 0 }, 2) {
                    themes |= 1 << pool[index(rng, pool.len())];
                }
                if p.housing_on(day) <= 1 && chance(rng, 0.7) {
                    themes |= 1 << T_HOUSING;
                }
                let texts = FEEDBACK_TEXT[source][mood];
                let text = texts[index(rng, texts.len())];
                let p_adjust = if poor {
                    0.1
                } else if mood == 2 {
                    0.5
                } else {
                    0.3
                };
                let adjustments = PLAN_ADJUSTMENTS[usize::from(mood > 0)];
                let plan_adjustment =
                    chance(rng, p_adjust).then(|| adjustments[index(rng, adjustments.len())]);
                rows.push(Feedback {
                    day,
                    source,
                    self_rating,
                    change,
                    themes,
                    text,
                    plan_adjustment,
                });
            }
        }
        rows.sort_by_key(|f| (f.day, f.source));
        for f in &rows {
            themes_text.clear();
            for (theme_idx, theme) in THEMES.iter().enumerate() {
                if f.themes & (1 << theme_idx) != 0 {
                    if !themes_text.is_empty() {
                        themes_text.push(';');
                    }
                    themes_text.push_str(theme);
                }
            }
            out.text(&p.id)
                .date(f.day)
                .text(SOURCES[f.source])
                .int(f.self_rating)
                .text(CHANGES[f.change])
                .text(&themes_text)
                .text(f.text)
                .text(f.plan_adjustment.unwrap_or(""));
            out.end();
        }
    }
    out.text
}
