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
use crate::analysis::vocabulary::StatusIndicator;
use crate::analysis::{AnalysisConfig, EventKind, PersonIndex};
use crate::model::Dataset;
use crate::model::DAYS_PER_MONTH;
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

/// The key of the crisis contacts indicator, the one the overview, the key messages and the
/// governance pack lead with.
pub const CRISIS_RATE: &str = "crisis_rate";

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

/// One month's accumulators for a group of people (the whole service, or a team in the
/// governance pack): the numerators and denominators of the indicators, unrounded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthCounts {
    /// Days in service in the month, summed over people.
    pub person_days: f64,
    pub crisis: f64,
    pub crisis_weighted: f64,
    pub ed: f64,
    pub admissions: f64,
    pub missed: f64,
    pub attended: f64,
    /// People whose latest engagement status at the month's end (or their last day in
    /// service) is positive, and people with any engagement status by then.
    pub engaged: f64,
    pub engagement_known: f64,
    pub settled: f64,
    pub housing_known: f64,
}

impl MonthCounts {
    /// Person-months in service ([`DAYS_PER_MONTH`] days each).
    pub fn person_months(&self) -> f64 {
        self.person_days / DAYS_PER_MONTH
    }

    /// Adds another group's counts for the same month.
    pub fn add(&mut self, other: &MonthCounts) {
        self.person_days += other.person_days;
        self.crisis += other.crisis;
        self.crisis_weighted += other.crisis_weighted;
        self.ed += other.ed;
        self.admissions += other.admissions;
        self.missed += other.missed;
        self.attended += other.attended;
        self.engaged += other.engaged;
        self.engagement_known += other.engagement_known;
        self.settled += other.settled;
        self.housing_known += other.housing_known;
    }
}

/// The monthly service indicators of the service cohort, each with its XmR chart: the counts
/// ([`ServiceCounts::count`]) turned into indicators ([`ServiceCounts::indicators`]).
pub fn analyse(
    data: &Dataset,
    index: &PersonIndex,
    config: &AnalysisConfig,
    rules: &MeasureRules,
) -> ServiceAnalysis {
    match ServiceCounts::count(data, index, config, rules) {
        Some(counts) => counts.indicators(rules, config),
        None => ServiceAnalysis::default(),
    }
}

/// Everything the service indicators are built from, before any division: additive across
/// people, so the counts of two partitions of the people add up ([`ServiceCounts::add`]) to
/// the counts of all of them, and [`ServiceCounts::indicators`] then gives the same indicators
/// and charts (ARCHITECTURE.md, "Partitions of people"). The reference date, the first month
/// and the measures' reliable-change thresholds must be the same in every partition: they
/// are the first pass's constants.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCounts {
    /// The number of the first month ([`month_number`]).
    first_month: i64,
    months: Vec<MonthCounts>,
    people_in_service: u64,
    /// Per measure judged, in the order first recorded: its monthly score sums and counts.
    measures: Vec<MeasureMonths>,
}

/// One measure's monthly accumulators: scores recorded (sum and count), and people with a
/// follow-up score in the month (all, and those reliably improved on their baseline).
#[derive(Clone, Debug, PartialEq)]
struct MeasureMonths {
    measure: String,
    sum: Vec<f64>,
    count: Vec<f64>,
    improved: Vec<f64>,
    paired: Vec<f64>,
}

impl ServiceCounts {
    /// Counts the service cohort's people with time in service; `None` when there is nobody.
    pub fn count(
        data: &Dataset,
        index: &PersonIndex,
        config: &AnalysisConfig,
        rules: &MeasureRules,
    ) -> Option<ServiceCounts> {
        let people = &data.people;
        let in_service: Vec<usize> = (0..index.len)
            .filter(|p| PersonIndex::in_service_cohort(data, *p))
            .filter(|p| people.start_date[*p] <= index.service_end[*p])
            .collect();
        let first = in_service.iter().map(|p| people.start_date[*p]).min()?;
        // A period's start fixes the first month; people who started earlier count from then on.
        let first_month = month_number(config.indicators_from.unwrap_or(first));
        let n_months = (month_number(index.reference_date) - first_month + 1).max(1) as usize;
        let mut months = vec![MonthCounts::default(); n_months];
        for &p in &in_service {
            add_person(&mut months, first_month, data, index, p);
        }
        let measures = measure_months(data, index, rules, &in_service, first_month, n_months);
        Some(ServiceCounts {
            first_month,
            months,
            people_in_service: in_service.len() as u64,
            measures,
        })
    }

    /// Adds another partition's counts: months are aligned by date (the union of both
    /// ranges), measures matched by name.
    pub fn add(&mut self, other: &ServiceCounts) {
        let first = self.first_month.min(other.first_month);
        let last = (self.first_month + self.months.len() as i64)
            .max(other.first_month + other.months.len() as i64);
        let n = (last - first).max(0) as usize;
        let shift = |from: i64| (from - first) as usize;
        let (own_shift, other_shift) = (shift(self.first_month), shift(other.first_month));
        let mut months = vec![MonthCounts::default(); n];
        for (i, acc) in self.months.iter().enumerate() {
            months[own_shift + i].add(acc);
        }
        for (i, acc) in other.months.iter().enumerate() {
            months[other_shift + i].add(acc);
        }
        let realign = |values: &[f64], at: usize| {
            let mut out = vec![0.0; n];
            for (i, v) in values.iter().enumerate() {
                out[at + i] += v;
            }
            out
        };
        let mut measures: Vec<MeasureMonths> = self
            .measures
            .iter()
            .map(|m| MeasureMonths {
                measure: m.measure.clone(),
                sum: realign(&m.sum, own_shift),
                count: realign(&m.count, own_shift),
                improved: realign(&m.improved, own_shift),
                paired: realign(&m.paired, own_shift),
            })
            .collect();
        for theirs in &other.measures {
            let at = match measures.iter().position(|m| m.measure == theirs.measure) {
                Some(at) => at,
                None => {
                    measures.push(MeasureMonths {
                        measure: theirs.measure.clone(),
                        sum: vec![0.0; n],
                        count: vec![0.0; n],
                        improved: vec![0.0; n],
                        paired: vec![0.0; n],
                    });
                    measures.len() - 1
                }
            };
            let ours = &mut measures[at];
            for (column, values) in [
                (&mut ours.sum, &theirs.sum),
                (&mut ours.count, &theirs.count),
                (&mut ours.improved, &theirs.improved),
                (&mut ours.paired, &theirs.paired),
            ] {
                for (i, v) in values.iter().enumerate() {
                    column[other_shift + i] += v;
                }
            }
        }
        self.first_month = first;
        self.months = months;
        self.people_in_service += other.people_in_service;
        self.measures = measures;
    }

    /// The indicators, each with its XmR chart, from the counts.
    pub fn indicators(&self, rules: &MeasureRules, config: &AnalysisConfig) -> ServiceAnalysis {
        let months = &self.months;
        let first_month = self.first_month;
        let n_months = months.len();
        let month_dates: Vec<NaiveDate> = (0..n_months)
            .filter_map(|i| month_from_number(first_month + i as i64))
            .collect();
        let series =
            |num: &dyn Fn(&MonthCounts) -> f64, den: &dyn Fn(&MonthCounts) -> f64, scale: f64| {
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
        let pm = |acc: &MonthCounts| acc.person_months();
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
                CRISIS_RATE,
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
        indicators.extend(self.measure_indicators(rules, &month_dates));
        let exposure: Vec<f64> = months.iter().map(pm).collect();
        for indicator in &mut indicators {
            chart(indicator, &exposure, config);
        }
        ServiceAnalysis {
            person_months: exposure.iter().sum(),
            people_in_service: self.people_in_service,
            indicators,
        }
    }

    /// For each measure counted: the mean score recorded each month, and the share of the people with
    /// a follow-up score (after their baseline) dated in the month whose latest score that month is
    /// a reliable improvement on their baseline.
    ///
    /// The second is a per-month figure on purpose. A cumulative share ("reliably improved so
    /// far", each person's latest score to date) carries every month into the next, so its points
    /// are not independent and runs and trends are near-certain by construction: the XmR rules
    /// would flag them as special causes whatever the service did. Counting only the scores
    /// recorded in the month keeps the points as independent as the mean score's.
    fn measure_indicators(
        &self,
        rules: &MeasureRules,
        month_dates: &[NaiveDate],
    ) -> Vec<Indicator> {
        let mut out = Vec::new();
        for counts in &self.measures {
            let Some(rule) = rules.lookup(&counts.measure) else {
                continue;
            };
            let MeasureMonths {
                sum,
                count,
                improved,
                paired,
                ..
            } = counts;
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
            let key = crate::analysis::fold_event_type(rule.name());
            out.push(Indicator {
                key: format!("mean_score_{key}"),
                title: format!("Mean {} score", rule.name()),
                unit: "score".into(),
                better: match rule.direction() {
                    Direction::HigherIsBetter => Better::Higher,
                    Direction::LowerIsBetter => Better::Lower,
                },
                denominator: "scores recorded".into(),
                months: build(sum, count, 1.0),
                count_in: CountIn::Denominator,
                chart: None,
                chart_months: Vec::new(),
                chart_note: None,
            });
            out.push(Indicator {
                key: format!("reliably_improved_in_month_{key}"),
                title: format!(
                    "Reliably improved at the month's {} follow-up scores",
                    rule.name()
                ),
                unit: "% of people".into(),
                better: Better::Higher,
                denominator: "people with a follow-up score in the month".into(),
                months: build(improved, paired, 100.0),
                count_in: CountIn::Numerator,
                chart: None,
                chart_months: Vec::new(),
                chart_note: None,
            });
        }
        out
    }
}

/// Adds person `p`'s exposure, events and month-end statuses to `months`, whose first entry
/// is the month numbered `first_month` (see [`month_number`]); months outside `months` are
/// skipped. The one home of the indicators' counting rules: the service indicators and the
/// governance pack's per-team figures both call it.
fn add_person(
    months: &mut [MonthCounts],
    first_month: i64,
    data: &Dataset,
    index: &PersonIndex,
    p: usize,
) {
    let people = &data.people;
    let vocab = &index.vocab;
    let e = &data.events;
    let s = &data.status;
    let slot = |date: NaiveDate| usize::try_from(month_number(date) - first_month).ok();
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

/// Person `p`'s counts in each of `n` months from `first`'s month, by the indicators' rules
/// ([`add_person`]). `p` must be in the service cohort with time in service.
pub fn person_months(
    data: &Dataset,
    index: &PersonIndex,
    p: usize,
    first: NaiveDate,
    n: usize,
) -> Vec<MonthCounts> {
    let mut months = vec![MonthCounts::default(); n];
    add_person(&mut months, month_number(first), data, index, p);
    months
}

/// Each measure's monthly accumulators (see [`ServiceCounts::measure_indicators`] for what they
/// become), over the people in service, for `n` months from the month numbered `first_month`.
fn measure_months(
    data: &Dataset,
    index: &PersonIndex,
    rules: &MeasureRules,
    in_service: &[usize],
    first_month: i64,
    n: usize,
) -> Vec<MeasureMonths> {
    let o = &data.outcomes;
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
            // Each month with a follow-up score (any score after the baseline) dated in it, up
            // to the person's last month in service: the latest such score that month against
            // the baseline. One person counts once a month; a month without a score of theirs
            // says nothing about them, so the months' shares do not carry one another forward.
            let last_month = month_number(index.service_end[p]);
            let mut latest_in_month: Vec<(i64, f64)> = Vec::new();
            for (date, score) in dates.iter().zip(&scores).skip(1) {
                let m = month_number(*date);
                if m > last_month {
                    continue;
                }
                match latest_in_month.iter_mut().find(|(month, _)| *month == m) {
                    Some(entry) => entry.1 = *score,
                    None => latest_in_month.push((m, *score)),
                }
            }
            for (m, score) in latest_in_month {
                let better =
                    classify_change(baseline, score, rule.reliable_change, rule.direction())
                        == ReliableChange::ReliableImprovement;
                if let Some(i) = usize::try_from(m - first_month).ok().filter(|i| *i < n) {
                    paired[i] += 1.0;
                    improved[i] += f64::from(u8::from(better));
                }
            }
        }
        out.push(MeasureMonths {
            measure: rule.name().to_string(),
            sum,
            count,
            improved,
            paired,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator_of(values: &[f64]) -> Indicator {
        Indicator {
            key: "crisis_rate".into(),
            title: "Crisis contacts".into(),
            unit: "per 100 person-months".into(),
            better: Better::Lower,
            denominator: "person-months".into(),
            count_in: CountIn::Numerator,
            months: values
                .iter()
                .enumerate()
                .map(|(i, v)| MonthValue {
                    month: NaiveDate::from_ymd_opt(2026, 1 + i as u32, 1).expect("a date"),
                    value: Some(*v),
                    numerator: *v,
                    denominator: 100.0,
                })
                .collect(),
            chart: None,
            chart_months: Vec::new(),
            chart_note: None,
        }
    }

    /// One or two charted months give no limits and no verdict, and the note says why and
    /// what minimum is used; six months (the minimum) get a chart.
    #[test]
    fn too_few_months_get_a_note_not_limits() {
        let config = AnalysisConfig::default();
        for n in [1, 2, 5] {
            let mut indicator = indicator_of(&vec![4.0; n]);
            chart(&mut indicator, &vec![100.0; n], &config);
            assert!(indicator.chart.is_none(), "{n} months");
            let note = indicator.chart_note.unwrap_or_default();
            assert!(note.contains("too few points"), "{note}");
            assert!(note.contains("at least 6"), "{note}");
            assert_eq!(indicator.chart_months.len(), n);
        }
        let mut six = indicator_of(&[4.0, 5.0, 4.0, 6.0, 5.0, 4.0]);
        chart(&mut six, &[100.0; 6], &config);
        assert!(six.chart.is_some() && six.chart_note.is_none());
    }
}
