//! Monthly service indicators: is the service as a whole becoming more stable?
//!
//! Every rate divides by **exposure**: the days each person was actually in service in that
//! month (start date to end date, or to the reference date while still in service), summed and
//! expressed in person-months of [`DAYS_PER_MONTH`] days. Nothing is assumed about people who
//! were not yet referred or already discharged. Only events dated inside a person's own service
//! period count, and only for the service cohort (the comparison cohort is not receiving the
//! service). Each indicator becomes an XmR chart ([`crate::stats::spc`]) over the months with at
//! least [`AnalysisConfig::min_person_months`] of exposure. The months run from the first start
//! date's month, or from [`AnalysisConfig::indicators_from`]'s month when an analysis period
//! sets it, to the reference date's month.

use super::outcomes::MeasureRules;
use super::vocabulary::StatusIndicator;
use super::{AnalysisConfig, EventKind, PersonIndex, DAYS_PER_MONTH};
use crate::model::Dataset;
use crate::stats::change::{classify_change, Direction, ReliableChange};
use crate::stats::spc::{xmr_chart, ImprovementDirection, SpcOptions, XmrChart};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which way an indicator should move for the service to be doing better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// Which side of an indicator's monthly fraction is a count of people or events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountIn {
    Numerator,
    Denominator,
}

/// One month of one indicator. `value` is `None` when the denominator is zero.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MonthValue {
    /// First day of the month.
    pub month: NaiveDate,
    pub value: Option<f64>,
    /// The count (or sum) the value is built from, and what it is divided by (person-months,
    /// appointments or people), unrounded.
    pub numerator: f64,
    pub denominator: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Indicator {
    pub key: String,
    pub title: String,
    /// How the value is expressed, e.g. "per 100 person-months" or "%".
    pub unit: String,
    pub better: Better,
    /// What the denominator counts, for the "n" shown next to a value.
    pub denominator: String,
    /// Which side of each month's fraction counts people or events (the count disclosure
    /// control protects): the numerator for rates and shares, the denominator for means.
    pub count_in: CountIn,
    pub months: Vec<MonthValue>,
    /// The XmR chart over the charted months (enough exposure and a value); `None` with the
    /// reason in `chart_note` when it cannot be drawn.
    pub chart: Option<XmrChart>,
    /// The months the chart's points stand for, in order.
    pub chart_months: Vec<NaiveDate>,
    pub chart_note: Option<String>,
}

/// Draws an indicator's XmR chart over the months with enough exposure.
fn chart(indicator: &mut Indicator, exposure: &[f64], config: &AnalysisConfig) {
    let settings = &config.spc;
    let (months, values): (Vec<NaiveDate>, Vec<f64>) = indicator
        .months
        .iter()
        .zip(exposure)
        .filter(|(_, pm)| **pm >= config.min_person_months)
        .filter_map(|(m, _)| m.value.map(|v| (m.month, v)))
        .unzip();
    let rebase_months = settings
        .rebase
        .get(&indicator.key)
        .into_iter()
        .chain(settings.rebase.get("*"))
        .flatten();
    let options = SpcOptions {
        improvement: match indicator.better {
            Better::Higher => ImprovementDirection::Increase,
            Better::Lower => ImprovementDirection::Decrease,
        },
        target: settings.targets.get(&indicator.key).copied(),
        rebase_at: rebase_months
            .filter_map(|r| months.iter().position(|m| m >= r))
            .collect(),
        fix_after: settings.baseline_months,
        screen_moving_ranges: settings.screen_moving_ranges,
        two_in_three: settings.two_in_three,
    };
    match xmr_chart(&values, &options) {
        Ok(chart) => {
            indicator.chart = Some(chart);
            indicator.chart_note = None;
        }
        Err(err) => {
            indicator.chart = None;
            indicator.chart_note = Some(format!(
                "No chart: {err} ({} months have at least {} person-months in service).",
                months.len(),
                config.min_person_months
            ));
        }
    }
    indicator.chart_months = months;
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ServiceAnalysis {
    /// Person-months in service, all months.
    pub person_months: f64,
    /// People in the service cohort with any time in service.
    pub people_in_service: u64,
    pub indicators: Vec<Indicator>,
}

fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn month_from_number(n: i64) -> Option<NaiveDate> {
    let year = i32::try_from(n.div_euclid(12)).ok()?;
    NaiveDate::from_ymd_opt(year, u32::try_from(n.rem_euclid(12)).ok()? + 1, 1)
}

fn month_end(first: NaiveDate) -> NaiveDate {
    month_from_number(month_number(first) + 1)
        .and_then(|next| next.pred_opt())
        .unwrap_or(first)
}

/// Per-month accumulators.
#[derive(Clone, Default)]
struct Month {
    person_days: f64,
    crisis: f64,
    crisis_weighted: f64,
    ed: f64,
    admissions: f64,
    missed: f64,
    attended: f64,
    engaged: f64,
    engagement_known: f64,
    settled: f64,
    housing_known: f64,
}

pub fn analyse(
    data: &Dataset,
    index: &PersonIndex,
    config: &AnalysisConfig,
    rules: &MeasureRules,
) -> ServiceAnalysis {
    let people = &data.people;
    let in_service: Vec<usize> = (0..index.len)
        .filter(|p| PersonIndex::in_service_cohort(data, *p))
        .filter(|p| people.start_date[*p] <= index.service_end[*p])
        .collect();
    let Some(first) = in_service.iter().map(|p| people.start_date[*p]).min() else {
        return ServiceAnalysis::default();
    };
    // A period's start fixes the first month; people who started earlier count from then on.
    let first_month = month_number(config.indicators_from.unwrap_or(first));
    let n_months = (month_number(index.reference_date) - first_month + 1).max(1) as usize;
    let mut months = vec![Month::default(); n_months];
    let slot = |date: NaiveDate| usize::try_from(month_number(date) - first_month).ok();

    let vocab = &index.vocab;
    let e = &data.events;
    let s = &data.status;

    for &p in &in_service {
        let (start, end) = (people.start_date[p], index.service_end[p]);
        // Exposure, month by month.
        let mut m = month_number(start);
        while m <= month_number(end) {
            let Some(first_day) = month_from_number(m) else {
                break;
            };
            let days = index.days_in_service(data, p, first_day, month_end(first_day));
            if let Some(acc) = slot(first_day).and_then(|i| months.get_mut(i)) {
                acc.person_days += days as f64;
            }
            m += 1;
        }
        // Events inside the service period.
        for &row in index.events.of(p) {
            let row = row as usize;
            let date = e.date[row];
            if date < start || date > end {
                continue;
            }
            let Some(acc) = slot(date).and_then(|i| months.get_mut(i)) else {
                continue;
            };
            let quantity = f64::from(e.quantity[row]);
            match vocab.event_kind(e.event_type[row]) {
                Some(EventKind::Crisis) => {
                    acc.crisis += quantity;
                    let weight = e.severity[row].map_or(1.0, |s| f64::from(s.get()));
                    acc.crisis_weighted += quantity * weight;
                }
                Some(EventKind::EdAttendance) => acc.ed += quantity,
                Some(EventKind::Admission) => acc.admissions += quantity,
                Some(EventKind::MissedAppointment) => acc.missed += quantity,
                Some(EventKind::AttendedAppointment) => acc.attended += quantity,
                None => {}
            }
        }
        // Status as it stood at the end of each month in service (or the last day in service).
        let rows = index.status.of(p);
        let (mut housing, mut engagement) = (None, None);
        let mut next = 0;
        let mut m = month_number(start);
        while m <= month_number(end) {
            let Some(first_day) = month_from_number(m) else {
                break;
            };
            let as_of = month_end(first_day).min(end);
            while let Some(&row) = rows.get(next) {
                let row = row as usize;
                if s.date[row] > as_of {
                    break;
                }
                let positive = vocab.is_positive_status(s.value[row]);
                match vocab.status_indicator(s.indicator[row]) {
                    Some(StatusIndicator::Housing) => housing = Some(positive),
                    Some(StatusIndicator::Engagement) => engagement = Some(positive),
                    None => {}
                }
                next += 1;
            }
            if let Some(acc) = slot(first_day).and_then(|i| months.get_mut(i)) {
                if let Some(settled) = housing {
                    acc.housing_known += 1.0;
                    acc.settled += f64::from(u8::from(settled));
                }
                if let Some(engaged) = engagement {
                    acc.engagement_known += 1.0;
                    acc.engaged += f64::from(u8::from(engaged));
                }
            }
            m += 1;
        }
    }

    let month_dates: Vec<NaiveDate> = (0..n_months)
        .filter_map(|i| month_from_number(first_month + i as i64))
        .collect();
    let series = |num: &dyn Fn(&Month) -> f64, den: &dyn Fn(&Month) -> f64, scale: f64| {
        months
            .iter()
            .zip(&month_dates)
            .map(|(acc, month)| {
                let (n, d) = (num(acc), den(acc));
                MonthValue {
                    month: *month,
                    value: (d > 0.0).then(|| scale * n / d),
                    numerator: n,
                    denominator: d,
                }
            })
            .collect::<Vec<_>>()
    };
    let pm = |acc: &Month| acc.person_days / DAYS_PER_MONTH;
    let per_100_pm = "per 100 person-months";
    let indicator =
        |key: &str, title: &str, unit: &str, better, denominator: &str, months| Indicator {
            key: key.into(),
            title: title.into(),
            unit: unit.into(),
            better,
            denominator: denominator.into(),
            months,
            count_in: CountIn::Numerator,
            chart: None,
            chart_months: Vec::new(),
            chart_note: None,
        };
    let mut indicators = vec![
        indicator(
            "crisis_rate",
            "Crisis contacts",
            per_100_pm,
            Better::Lower,
            "person-months",
            series(&|a| a.crisis, &pm, 100.0),
        ),
        indicator(
            "crisis_severity_weighted",
            "Crisis contacts weighted by severity (1-3)",
            per_100_pm,
            Better::Lower,
            "person-months",
            series(&|a| a.crisis_weighted, &pm, 100.0),
        ),
        indicator(
            "ed_rate",
            "Emergency department attendances",
            per_100_pm,
            Better::Lower,
            "person-months",
            series(&|a| a.ed, &pm, 100.0),
        ),
        indicator(
            "admission_rate",
            "Admissions",
            per_100_pm,
            Better::Lower,
            "person-months",
            series(&|a| a.admissions, &pm, 100.0),
        ),
        indicator(
            "missed_appointments",
            "Missed appointments",
            "% of appointments",
            Better::Lower,
            "appointments",
            series(&|a| a.missed, &|a| a.missed + a.attended, 100.0),
        ),
        indicator(
            "engagement",
            "Engaged with the service",
            "% of people",
            Better::Higher,
            "people with an engagement status",
            series(&|a| a.engaged, &|a| a.engagement_known, 100.0),
        ),
        indicator(
            "settled_housing",
            "In settled housing",
            "% of people",
            Better::Higher,
            "people with a housing status",
            series(&|a| a.settled, &|a| a.housing_known, 100.0),
        ),
    ];
    indicators.extend(outcome_indicators(
        data,
        index,
        rules,
        &in_service,
        &month_dates,
    ));
    let exposure: Vec<f64> = months.iter().map(pm).collect();
    for indicator in &mut indicators {
        chart(indicator, &exposure, config);
    }
    ServiceAnalysis {
        person_months: exposure.iter().sum(),
        people_in_service: in_service.len() as u64,
        indicators,
    }
}

/// For each known measure: the mean score recorded each month, and the share of people with a
/// baseline and a later score whose latest score so far is a reliable improvement.
fn outcome_indicators(
    data: &Dataset,
    index: &PersonIndex,
    rules: &MeasureRules,
    in_service: &[usize],
    month_dates: &[NaiveDate],
) -> Vec<Indicator> {
    let o = &data.outcomes;
    let Some(&first) = month_dates.first() else {
        return Vec::new();
    };
    let first_month = month_number(first);
    let mut measures: Vec<crate::model::Label> = Vec::new();
    for m in &o.measure {
        if !measures.contains(m) {
            measures.push(*m);
        }
    }
    let mut out = Vec::new();
    for measure in measures {
        let Some(rule) = rules.lookup(data.text.text(measure)) else {
            continue;
        };
        let n = month_dates.len();
        let (mut sum, mut count) = (vec![0.0; n], vec![0.0; n]);
        let (mut improved, mut paired) = (vec![0.0; n], vec![0.0; n]);
        for &p in in_service {
            let (dates, scores, _) =
                super::outcomes::episode_scores(data, index.outcomes.of(p), measure, rule);
            let Some(&baseline) = scores.first() else {
                continue;
            };
            for (date, score) in dates.iter().zip(&scores) {
                if let Some(i) = usize::try_from(month_number(*date) - first_month)
                    .ok()
                    .filter(|i| *i < n)
                {
                    sum[i] += score;
                    count[i] += 1.0;
                }
            }
            // From the month of the second score to the person's last month in service, their
            // standing is the latest score so far against the baseline. Nothing is assumed
            // after discharge, so a score dated later adds no months.
            let last_month = month_number(index.service_end[p]);
            for k in 1..scores.len() {
                let from = month_number(dates[k]);
                let to = dates
                    .get(k + 1)
                    .map_or(last_month, |next| month_number(*next) - 1)
                    .min(last_month);
                let better =
                    classify_change(baseline, scores[k], rule.reliable_change, rule.direction())
                        == ReliableChange::ReliableImprovement;
                for m in from..=to {
                    if let Some(i) = usize::try_from(m - first_month).ok().filter(|i| *i < n) {
                        paired[i] += 1.0;
                        improved[i] += f64::from(u8::from(better));
                    }
                }
            }
        }
        let build = |num: &[f64], den: &[f64], scale: f64| {
            month_dates
                .iter()
                .enumerate()
                .map(|(i, month)| MonthValue {
                    month: *month,
                    value: (den[i] > 0.0).then(|| scale * num[i] / den[i]),
                    numerator: num[i],
                    denominator: den[i],
                })
                .collect()
        };
        let key = super::fold_event_type(rule.name());
        out.push(Indicator {
            key: format!("mean_score_{key}"),
            title: format!("Mean {} score", rule.name()),
            unit: "score".into(),
            better: match rule.direction() {
                Direction::HigherIsBetter => Better::Higher,
                Direction::LowerIsBetter => Better::Lower,
            },
            denominator: "scores recorded".into(),
            months: build(&sum, &count, 1.0),
            count_in: CountIn::Denominator,
            chart: None,
            chart_months: Vec::new(),
            chart_note: None,
        });
        out.push(Indicator {
            key: format!("reliably_improved_{key}"),
            title: format!("Reliably improved so far on {}", rule.name()),
            unit: "% of people".into(),
            better: Better::Higher,
            denominator: "people with a baseline and a later score".into(),
            months: build(&improved, &paired, 100.0),
            count_in: CountIn::Numerator,
            chart: None,
            chart_months: Vec::new(),
            chart_note: None,
        });
    }
    out
}
