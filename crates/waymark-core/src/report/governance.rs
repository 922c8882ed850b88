//! The governance pack: per team and per care coordinator, for supervision and governance
//! forums: caseload, the trend in crisis use and in engagement, overdue reviews, early
//! warnings, static plans and reviews leading to action. In the app as a view and as a
//! printable page; kept apart from [`super::Report`] so the main report's schema is unchanged.
//!
//! # Definitions (also in docs/methods.md, "Governance pack")
//! Every figure is the main report's, added up by group ([`crate::analysis::governance`]):
//! - **In service now**: service-cohort people whose service period includes the analysis
//!   date. **In service during the period**: service-cohort people with any time in service
//!   (the service indicators' "people in service").
//! - **Crisis contacts per 100 person-months**, latest three months against the three before:
//!   the service indicator's rule (crisis contacts dated inside each person's own service
//!   period, by quantity, over the days in service as person-months of 30.4375 days), pooled
//!   over each window: 100 × Σ contacts ÷ Σ person-months over the window's three calendar
//!   months. The latest window ends with the analysis date's month (counted up to the analysis
//!   date). The earlier window needs six months of indicators. The **trend** compares the two
//!   rates as shown, to one decimal place: rising, falling or no change. It is a
//!   description, not a test: read it beside the counts.
//! - **Engaged**: the engagement indicator, read at the end of the analysis date's month
//!   (people whose latest engagement status by then is one of the `engaged` values, of people
//!   with an engagement status) against the end of the month three months before; the trend
//!   compares the whole percentages as shown.
//! - **Overdue reviews**: the goals engine's rule: goals of people still in service whose next
//!   review date is more than `review_grace_days` before the analysis date, with no later
//!   review.
//! - **Early warnings**: people flagged by the stability rule (two or more indicators worse
//!   in the latest window than the one before), of the people assessed.
//! - **Static plans**: people with at least one static goal (two consecutive reviews with no
//!   plan change and no rise in rating), of the people with goals.
//! - **Reviews leading to action**: triggers followed by a plan adjustment within the window,
//!   of the triggers whose window has closed.
//!
//! # Disclosure
//! Every count goes through [`Disclosure::count`] or [`Disclosure::share`]; a rate is withheld
//! when the count of contacts behind it is. Under [`Disclosure::Controlled`] a group of fewer
//! than 8 people (in the people table, or in service during the period) shows `*` for every
//! figure: the row stays, so a reader sees the group exists.

use super::escape;
use super::REPORT_CSP;
use crate::analysis::direction::service::MonthCounts;
use crate::analysis::governance::{GovernanceAnalysis, GroupCounts};
use crate::analysis::Analysis;
use crate::disclosure::{Disclosure, ShownCount, ShownShare};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use waymark_charts::TableData;

/// Which way a figure moved between the two windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Rising,
    Falling,
    NoChange,
}

impl Trend {
    fn between(earlier: i64, latest: i64) -> Trend {
        match latest.cmp(&earlier) {
            std::cmp::Ordering::Greater => Trend::Rising,
            std::cmp::Ordering::Less => Trend::Falling,
            std::cmp::Ordering::Equal => Trend::NoChange,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::NoChange => "no change",
        }
    }
}

/// Crisis contacts per 100 person-months over one window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrisisRate {
    /// Crisis contacts in the window (the count behind the rate).
    pub contacts: ShownCount,
    /// `None` when the contacts are withheld or no one was in service in the window.
    pub rate: Option<f64>,
}

impl CrisisRate {
    fn build(months: &[MonthCounts], d: Disclosure) -> Option<CrisisRate> {
        if months.is_empty() {
            return None;
        }
        let contacts: f64 = months.iter().map(|m| m.crisis).sum();
        let person_months: f64 = months.iter().map(MonthCounts::person_months).sum();
        let shown = d.count(contacts.round() as u64);
        Some(CrisisRate {
            contacts: shown,
            rate: (person_months > 0.0 && shown != ShownCount::Suppressed)
                .then(|| 100.0 * contacts / person_months),
        })
    }

    fn text(&self) -> String {
        match (self.contacts, self.rate) {
            (ShownCount::Suppressed, _) => "*".into(),
            (_, Some(rate)) => format!("{rate:.1}"),
            (_, None) => "none in service".into(),
        }
    }
}

/// One team's, one coordinator's or the whole service's figures, as they may be shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    /// Every figure is withheld: fewer than 8 people, under disclosure control.
    pub withheld: bool,
    pub in_service_now: ShownCount,
    pub in_service: ShownCount,
    /// The latest three months; `None` when the group's figures are withheld.
    pub crisis_latest: Option<CrisisRate>,
    /// The three months before; `None` without six months of indicators, or when withheld.
    pub crisis_earlier: Option<CrisisRate>,
    pub crisis_trend: Option<Trend>,
    /// At the end of the analysis date's month.
    pub engaged_latest: ShownShare,
    /// At the end of the month three months before (zero of zero without that month).
    pub engaged_earlier: ShownShare,
    pub engagement_trend: Option<Trend>,
    pub overdue_reviews: ShownCount,
    /// People flagged, of the people assessed.
    pub early_warnings: ShownShare,
    /// People with a static plan, of the people with goals.
    pub static_plans: ShownShare,
    /// Triggers followed by a plan adjustment, of those whose window has closed.
    pub reviews_leading_to_action: ShownShare,
}

const WITHHELD_SHARE: ShownShare = ShownShare {
    numerator: ShownCount::Suppressed,
    denominator: ShownCount::Suppressed,
    percent: None,
};

impl GroupRow {
    fn build(g: &GroupCounts, d: Disclosure) -> GroupRow {
        if d.suppresses(g.n_people) || d.suppresses(g.in_service) {
            return GroupRow::withheld(&g.name);
        }
        let n = g.months.len();
        let latest = &g.months[n.saturating_sub(3)..];
        let earlier = (n >= 6).then(|| &g.months[n - 6..n - 3]);
        let crisis_latest = CrisisRate::build(latest, d);
        let crisis_earlier = earlier.and_then(|m| CrisisRate::build(m, d));
        let tenths =
            |r: Option<CrisisRate>| r.and_then(|r| r.rate).map(|r| (r * 10.0).round() as i64);
        let engaged = |m: Option<&MonthCounts>| {
            m.map_or(d.share(0, 0), |m| {
                d.share(m.engaged.round() as u64, m.engagement_known.round() as u64)
            })
        };
        let engaged_latest = engaged(g.months.last());
        let engaged_earlier = engaged(n.checked_sub(4).and_then(|i| g.months.get(i)));
        let whole = |s: ShownShare| s.percent.map(|p| p.round() as i64);
        GroupRow {
            name: g.name.clone(),
            withheld: false,
            in_service_now: d.count(g.in_service_now),
            in_service: d.count(g.in_service),
            crisis_trend: tenths(crisis_earlier)
                .zip(tenths(crisis_latest))
                .map(|(a, b)| Trend::between(a, b)),
            crisis_latest,
            crisis_earlier,
            engagement_trend: whole(engaged_earlier)
                .zip(whole(engaged_latest))
                .map(|(a, b)| Trend::between(a, b)),
            engaged_latest,
            engaged_earlier,
            overdue_reviews: d.count(g.overdue_reviews),
            early_warnings: d.share(g.early_warnings, g.people_assessed),
            static_plans: d.share(g.people_with_static_plans, g.people_with_goals),
            reviews_leading_to_action: d.share(g.actions.all.followed, g.actions.all.due),
        }
    }

    fn withheld(name: &str) -> GroupRow {
        GroupRow {
            name: name.to_string(),
            withheld: true,
            in_service_now: ShownCount::Suppressed,
            in_service: ShownCount::Suppressed,
            crisis_latest: None,
            crisis_earlier: None,
            crisis_trend: None,
            engaged_latest: WITHHELD_SHARE,
            engaged_earlier: WITHHELD_SHARE,
            engagement_trend: None,
            overdue_reviews: ShownCount::Suppressed,
            early_warnings: WITHHELD_SHARE,
            static_plans: WITHHELD_SHARE,
            reviews_leading_to_action: WITHHELD_SHARE,
        }
    }

    /// The row's cells, in [`GovernanceReport::headers`] order.
    pub fn cells(&self) -> Vec<String> {
        if self.withheld {
            let mut cells = vec!["*".to_string(); 10];
            cells[0] = self.name.clone();
            return cells;
        }
        let rate =
            |r: &Option<CrisisRate>| r.as_ref().map_or("not available".into(), CrisisRate::text);
        let trend = |t: Option<Trend>| t.map_or(String::new(), |t| format!(" ({})", t.words()));
        vec![
            self.name.clone(),
            self.in_service_now.to_string(),
            self.in_service.to_string(),
            rate(&self.crisis_earlier),
            format!("{}{}", rate(&self.crisis_latest), trend(self.crisis_trend)),
            format!(
                "{} then {}{}",
                self.engaged_earlier,
                self.engaged_latest,
                trend(self.engagement_trend)
            ),
            self.overdue_reviews.to_string(),
            self.early_warnings.to_string(),
            self.static_plans.to_string(),
            self.reviews_leading_to_action.to_string(),
        ]
    }
}

/// Teams or coordinators: the pack's two tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    Team,
    Coordinator,
}

/// The governance pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GovernanceReport {
    pub disclosure: Disclosure,
    pub as_of: NaiveDate,
    /// The months of the latest window and of the one before (first day of each).
    pub latest_months: Vec<NaiveDate>,
    pub earlier_months: Vec<NaiveDate>,
    pub review_grace_days: u32,
    pub action_window_days: u32,
    pub stability_window_days: u32,
    pub service: GroupRow,
    pub teams: Vec<GroupRow>,
    pub coordinators: Vec<GroupRow>,
}

impl GovernanceReport {
    /// The pack from an analysis the pipeline has completed (`None` when its governance counts
    /// were not run: see [`crate::analysis::add_reviews_and_governance`]).
    pub fn build(analysis: &Analysis, d: Disclosure) -> Option<GovernanceReport> {
        analysis
            .governance
            .as_ref()
            .map(|g| Self::from_counts(g, d))
    }

    pub fn from_counts(g: &GovernanceAnalysis, d: Disclosure) -> GovernanceReport {
        let n = g.months.len();
        let rows = |list: &[GroupCounts]| list.iter().map(|c| GroupRow::build(c, d)).collect();
        GovernanceReport {
            disclosure: d,
            as_of: g.reference_date,
            latest_months: g.months[n.saturating_sub(3)..].to_vec(),
            earlier_months: if n >= 6 {
                g.months[n - 6..n - 3].to_vec()
            } else {
                Vec::new()
            },
            review_grace_days: g.review_grace_days,
            action_window_days: g.action_window_days,
            stability_window_days: g.stability_window_days,
            service: GroupRow::build(&g.service, d),
            teams: rows(&g.by_team),
            coordinators: rows(&g.by_coordinator),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
    }

    /// The column headers of both tables.
    pub fn headers(&self, kind: GroupKind) -> Vec<String> {
        let span = |months: &[NaiveDate]| match (months.first(), months.last()) {
            (Some(a), Some(b)) if a != b => {
                format!("{} to {}", a.format("%b %Y"), b.format("%b %Y"))
            }
            (Some(a), _) => a.format("%b %Y").to_string(),
            _ => "not available".into(),
        };
        vec![
            match kind {
                GroupKind::Team => "Team",
                GroupKind::Coordinator => "Care coordinator",
            }
            .into(),
            "In service now".into(),
            "In service during the period".into(),
            format!(
                "Crisis contacts per 100 person-months, {}",
                span(&self.earlier_months)
            ),
            format!(
                "Crisis contacts per 100 person-months, {}",
                span(&self.latest_months)
            ),
            "Engaged: 3 months before, then latest month".into(),
            "Overdue reviews".into(),
            "Early warnings (of people assessed)".into(),
            "People with static plans (of people with goals)".into(),
            "Reviews leading to action (of triggers due)".into(),
        ]
    }

    /// What is withheld for a small group, under this pack's policy.
    fn group_rule(&self) -> &'static str {
        match self.disclosure {
            Disclosure::Controlled => {
                ", and every figure of a group of fewer than 8 people shown as *"
            }
            Disclosure::Exact => "",
        }
    }

    /// One table: a row per team (or coordinator), then the whole service.
    pub fn table(&self, kind: GroupKind) -> TableData {
        let (caption, rows) = match kind {
            GroupKind::Team => ("By team", &self.teams),
            GroupKind::Coordinator => ("By care coordinator", &self.coordinators),
        };
        let note = format!("; {}{}", self.disclosure.rule(), self.group_rule());
        TableData {
            caption: format!("{caption} (analysis date {}{note})", self.as_of),
            headers: self.headers(kind),
            rows: rows
                .iter()
                .chain(std::iter::once(&self.service))
                .map(GroupRow::cells)
                .collect(),
        }
    }

    /// A self-contained printable page (A4 portrait), with its own Content-Security-Policy.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        let _ = write!(
            html,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Team and coordinator governance</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{REPORT_CSP}\">\
             <style>{STYLE}</style></head><body><main>\
             <h1>Team and coordinator governance</h1><p class=\"meta\">Analysis date {}; {}{}.</p>",
            self.as_of,
            self.disclosure.rule(),
            self.group_rule()
        );
        for (heading, kind) in [
            ("By team", GroupKind::Team),
            ("By care coordinator", GroupKind::Coordinator),
        ] {
            let _ = write!(
                html,
                "<section><h2>{}</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table (scrolls sideways on narrow screens)\">{}</div></section>",
                escape(heading),
                self.table(kind).to_html()
            );
        }
        let _ = write!(
            html,
            "<section class=\"methods\"><h2>How each figure is worked out</h2><ul>\
             <li><strong>In service now</strong>: people receiving the service on the analysis date; <strong>during the period</strong>: with any time in service.</li>\
             <li><strong>Crisis contacts per 100 person-months</strong>: crisis contacts in each window of three calendar months, divided by the days people were in service in it (as person-months of 30.4375 days), times 100. The latest window ends with the analysis date's month. Rising, falling or no change compares the two rates as shown: a description, not a test.</li>\
             <li><strong>Engaged</strong>: people whose latest engagement status at the month's end counts as engaged, of people with an engagement status.</li>\
             <li><strong>Overdue reviews</strong>: goals of people still in service whose next review date passed more than {} days before the analysis date with no later review.</li>\
             <li><strong>Early warnings</strong>: two or more of crisis contacts, admissions, missed appointments, engagement and housing worse in the latest {} days than in the {} days before.</li>\
             <li><strong>Static plans</strong>: a goal with two consecutive reviews where the plan did not change and the rating did not rise.</li>\
             <li><strong>Reviews leading to action</strong>: setbacks, crisis contacts, admissions and engagement dips followed by a recorded plan change within {} days, of those whose window has closed.</li>\
             <li>The whole-service row uses the same figures as the main report. People without a team or coordinator recorded are shown as \"Not recorded\".</li></ul></section>",
            self.review_grace_days, self.stability_window_days, self.stability_window_days, self.action_window_days
        );
        html.push_str("</main></body></html>\n");
        html
    }
}

/// The main report's print approach: A4 portrait, tables reflowing within the page, headers
/// repeated on each printed page.
const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#212b32;background:#f0f4f5}\
main{max-width:72rem;margin:0 auto;padding:1.5rem;background:#fff}h1{color:#005eb8}.meta{color:#4c6272}\
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.5rem 0}\
th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}.scroll{overflow-x:auto}\
@page{size:A4 portrait;margin:12mm}\
@media print{body{background:#fff;font-size:9pt}main{padding:0;max-width:none}\
section+section{break-before:page}\
table{table-layout:fixed;width:100%;font-size:7.5pt}th,td{overflow-wrap:anywhere;padding:.15rem .2rem}\
.scroll{overflow:visible}thead{display:table-header-group}\
tr{break-inside:avoid}h2,caption{break-after:avoid}}";
