//! The planted effects described in words: the parameters used, quoted from
//! [`super::parameters`], and the values observed in the rows.

use super::parameters::*;
use super::people::*;
use super::tables::*;
use super::vocabulary::*;
use super::PlantedEffect;
use crate::model::DAYS_PER_MONTH;
use std::fmt::Write as _;

/// Events per person-month, two decimals; "n/a" with no exposure.
fn per_month(count: i64, days: i64) -> String {
    if days <= 0 {
        return "n/a".to_string();
    }
    format!("{:.2}", count as f64 / (days as f64 / DAYS_PER_MONTH))
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!("{:.0}%", 100.0 * f64::from(part) / f64::from(whole))
}

fn ids(people: &[Person], idxs: &[usize]) -> Vec<String> {
    idxs.iter().map(|&i| people[i].id.clone()).collect()
}

/// "n people (WM-000001, WM-000002, ...)": the first few ids of a list.
fn id_sample(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    let more = if ids.len() > shown.len() { ", ..." } else { "" };
    format!("{} people ({}{})", ids.len(), shown.join(", "), more)
}

/// Every planted effect: the three group-level ones (rates and recovery by pathway), then
/// the four planted on chosen people, with their ids.
pub(super) fn describe_planted(
    people: &[Person],
    planted: &PlantedPeople,
    tally: &Tally,
) -> Vec<PlantedEffect> {
    let groups = &tally.groups;
    vec![
        PlantedEffect {
            name: "crisis_contacts_fall",
            description: crisis_contacts_fall(groups),
            people: Vec::new(),
        },
        PlantedEffect {
            name: "integrated_best_improvement",
            description: integrated_best_improvement(groups),
            people: Vec::new(),
        },
        PlantedEffect {
            name: "admissions_fall",
            description: admissions_fall(groups),
            people: Vec::new(),
        },
        static_plans(people, planted),
        discordant_feedback(people, planted),
        reverse_discordant_feedback(people, planted),
        early_warning(people, planted),
    ]
}

/// Ends a list of "; "-separated observations with a full stop instead of the last ';'.
fn end_sentence(mut text: String) -> String {
    text.pop();
    text.push('.');
    text
}

/// A mean change to one decimal, signed, or "n/a" for nobody.
fn mean_change(sum: i64, n: u32) -> String {
    if n == 0 {
        "n/a".to_string()
    } else {
        // Rounded first, and + 0.0 turns -0.0 into 0.0, so no "-0.0".
        let tenths = (sum as f64 / f64::from(n) * 10.0).round() / 10.0;
        format!("{:+.1}", tenths + 0.0)
    }
}

fn crisis_contacts_fall(groups: &[GroupTally; 4]) -> String {
    let mut crisis = format!(
        "Crisis contacts per person-month (30.4375 days) fall after start_date. Planted: {:.2} in \
         the 12 months before start (x{:.3} from 12 to 3 months before, x{:.1} in the last {} \
         days: the spike that prompts referral); after start, service cohort {} {:.2}, {} {:.2}, \
         {} {:.2}; comparison cohort (usual care) {:.2}, a fall from regression to the mean only. \
         Each person's rate is scaled by a personal multiplier (uniform 0.4-1.6, times \
         0.7/1.0/1.35 for low/moderate/high severity). Observed (before -> after):",
        PRE_RATES[CRISIS],
        PRE_EARLY_FACTOR,
        PRE_SPIKE_FACTOR,
        PRE_SPIKE_DAYS,
        PATHWAYS[INTEGRATED],
        POST_RATES[INTEGRATED][CRISIS],
        PATHWAYS[STANDARD],
        POST_RATES[STANDARD][CRISIS],
        PATHWAYS[STEP_DOWN],
        POST_RATES[STEP_DOWN][CRISIS],
        POST_RATES[COMPARISON][CRISIS],
    );
    for (g, name) in groups.iter().zip(GROUP_NAMES) {
        let _ = write!(
            crisis,
            " {name} {} -> {} ({} people);",
            per_month(i64::from(g.crisis_pre), g.pre_days),
            per_month(i64::from(g.crisis_post), g.post_days),
            g.people,
        );
    }
    end_sentence(crisis)
}

fn admissions_fall(groups: &[GroupTally; 4]) -> String {
    let mut admissions = format!(
        "Admissions and bed days fall after start_date. Planted admissions per person-month: {:.3} \
         before; after, {:.3} / {:.3} / {:.3} for the three pathways and {:.3} for the comparison \
         cohort. Each admission has a bed_day row on the same day whose quantity is the length of \
         stay, uniform {}-{} days before start, {}-{} after start in service, {}-{} for the \
         comparison cohort (capped at the end of observation). Observed admissions and bed days \
         per person-month (before -> after):",
        PRE_RATES[ADMISSION],
        POST_RATES[INTEGRATED][ADMISSION],
        POST_RATES[STANDARD][ADMISSION],
        POST_RATES[STEP_DOWN][ADMISSION],
        POST_RATES[COMPARISON][ADMISSION],
        LOS_PRE.0,
        LOS_PRE.1,
        LOS_SERVICE.0,
        LOS_SERVICE.1,
        LOS_COMPARISON.0,
        LOS_COMPARISON.1,
    );
    for (g, name) in groups.iter().zip(GROUP_NAMES) {
        let _ = write!(
            admissions,
            " {name} {} -> {} admissions, {} -> {} bed days;",
            per_month(i64::from(g.admissions_pre), g.pre_days),
            per_month(i64::from(g.admissions_post), g.post_days),
            per_month(g.bed_days_pre, g.pre_days),
            per_month(g.bed_days_post, g.post_days),
        );
    }
    end_sentence(admissions)
}

fn integrated_best_improvement(groups: &[GroupTally; 4]) -> String {
    let mut improvement = format!(
        "{} has the best reliable-improvement rate. Each person's latent recovery approaches a \
         gain (1 unit = +{} WEMWBS, -{} PHQ-9, -{} CORE-10 points) with a time constant of \
         {:.0}-{:.0} days; mean gain {:.2} / {:.2} / {:.2} for the three pathways and {:.2} for \
         the comparison cohort (sd {:.2}, shifted -0.10/0/+0.10 by severity); {}% of the service \
         cohort and {}% of the comparison cohort deteriorate instead; 30% plateau for 60-150 days; \
         setbacks at 0.07 per person-month. Observed first-to-last change, with illustrative \
         thresholds (WEMWBS +8 or more, PHQ-9 -6 or more):",
        PATHWAYS[INTEGRATED],
        WEMWBS_PER_UNIT,
        PHQ9_PER_UNIT,
        CORE10_PER_UNIT,
        TAU_DAYS.0,
        TAU_DAYS.1,
        GAIN_MEAN[0],
        GAIN_MEAN[1],
        GAIN_MEAN[2],
        GAIN_MEAN[3],
        GAIN_SD,
        DETERIORATE_PCT[0],
        DETERIORATE_PCT[1],
    );
    for (g, name) in groups.iter().zip(GROUP_NAMES) {
        let _ = write!(
            improvement,
            " {name} WEMWBS {} improved (mean {}, {} people), PHQ-9 {} improved (mean {}, {} people);",
            share(g.wemwbs_improved, g.wemwbs_people),
            mean_change(g.wemwbs_change, g.wemwbs_people),
            g.wemwbs_people,
            share(g.phq9_improved, g.phq9_people),
            mean_change(g.phq9_change, g.phq9_people),
            g.phq9_people,
        );
    }
    end_sentence(improvement)
}

fn static_plans(people: &[Person], planted: &PlantedPeople) -> PlantedEffect {
    let static_ids = ids(people, &planted.static_plan);
    PlantedEffect {
        name: "static_plans",
        description: format!(
            "{}% of the service cohort ({} of {}), chosen among people with a goal reviewed at \
             least twice: {}. Every follow-up review of every goal has plan_changed=no and a \
             rating that never rises (it slips by 1 with probability 0.15, floor -2). No one \
             else has two consecutive follow-up reviews of a goal with plan_changed=no and no \
             rise in rating (the goal-setting row has plan_changed=yes).",
            STATIC_PLAN_PCT,
            static_ids.len(),
            planted.n_service,
            id_sample(&static_ids),
        ),
        people: static_ids,
    }
}

fn discordant_feedback(people: &[Person], planted: &PlantedPeople) -> PlantedEffect {
    let discordant_ids = ids(people, &planted.discordant);
    PlantedEffect {
        name: "discordant_feedback",
        description: format!(
            "{}% of all people ({}), chosen in the service cohort among people scored on \
             WEMWBS and PHQ-9 at least 150 days apart: {}. Their scores improve reliably (gain \
             1.1-1.4, time constant 60-120 days, no setbacks or plateau) while their own and \
             carers' feedback is poor: self_rating 1-3, functioning_change worse (70%) or \
             same, themes always isolation and/or loneliness, negative text, a plan adjustment \
             only 10% of the time. Staff feedback follows the scores.",
            DISCORDANT_PCT,
            discordant_ids.len(),
            id_sample(&discordant_ids),
        ),
        people: discordant_ids,
    }
}

fn reverse_discordant_feedback(people: &[Person], planted: &PlantedPeople) -> PlantedEffect {
    let reverse_ids = ids(people, &planted.reverse);
    PlantedEffect {
        name: "reverse_discordant_feedback",
        description: format!(
            "{}% of all people ({}), from the same pool as the discordant ones: {}. Their \
             scores stay flat (gain -0.05 to 0.10) while their own and carers' feedback is \
             good: self_rating 7-9, functioning_change better (70%) or same, themes include \
             feeling listened to.",
            REVERSE_PCT,
            reverse_ids.len(),
            id_sample(&reverse_ids),
        ),
        people: reverse_ids,
    }
}

fn early_warning(people: &[Person], planted: &PlantedPeople) -> PlantedEffect {
    let warning_ids = ids(people, &planted.early_warning);
    let warning_crisis_ids = ids(people, &planted.early_warning_crisis);
    PlantedEffect {
        name: "early_warning",
        description: format!(
            "{}% of all people ({}), chosen among the service cohort still in service with \
             180+ days since start: {}. In the last three 30-day blocks before the reference \
             date missed appointments run at {:.1}, {:.1}, {:.1} per month (otherwise \
             {:.2}-{:.2}) and attended ones at {:.1}, {:.1}, {:.1}; engagement, steady at \
             engaged before, drops to partial 70-85 days before the reference date and to \
             disengaged 20-35 days before for about 60%; scores take a setback from 80 days \
             before. A crisis contact (severity 2-3) follows in the last 21 days for {}: {}.",
            EARLY_WARNING_PCT,
            warning_ids.len(),
            id_sample(&warning_ids),
            EW_MISSED[0],
            EW_MISSED[1],
            EW_MISSED[2],
            POST_RATES[STEP_DOWN][MISSED],
            POST_RATES[INTEGRATED][MISSED],
            EW_ATTENDED[0],
            EW_ATTENDED[1],
            EW_ATTENDED[2],
            warning_crisis_ids.len(),
            warning_crisis_ids.join(", "),
        ),
        people: warning_ids,
    }
}
