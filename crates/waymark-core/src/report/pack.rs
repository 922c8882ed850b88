//! The report pack's commissioner-facing parts: the cover, the key messages, the evidence
//! grouped by priority and (when the settings allow) people's own words.
//!
//! # Rules (also in docs/methods.md, "The report pack")
//! - Every figure here is read from the report itself (never recomputed), so it matches the
//!   JSON and the sections below it, and a disclosure-controlled report's key messages show
//!   counts only as the report shows them (`*` for 1 to 7, others rounded to five).
//! - Key messages are one sentence each, in this order: what changed for people (reliable
//!   improvement on the two measures with most people paired), crisis use and its Making Data
//!   Count reading, the value headline with its interval and caveat, stability and early
//!   warning, goals and plans (with reviews leading to action), what people said beside the
//!   numbers, and how sure we are (people, period, the main data caveat). A report with no
//!   analysis has fewer.
//! - Quotes are feedback free text from people and carers, newest first, at most
//!   [`MAX_QUOTES`], with no person ID, no date and the person's own ID removed from the
//!   text; only when `include_quotes` is set.

use super::direction::{DirectionReport, IndicatorReport, MeasureReport};
use super::settings::ReportSettings;
use super::{charts, escape, push_wide_table, Report};
use crate::analysis::direction::service::Better;
use crate::disclosure::{ShownCount, ShownShare};
use crate::ingest::VerdictLevel;
use crate::model::{Dataset, FeedbackSource};
use crate::stats::spc::{AssuranceIcon, VariationIcon};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// At most this many quotes are included.
pub const MAX_QUOTES: usize = 6;

/// What the cover says. `None` means the setting is empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    pub service_name: Option<String>,
    pub provider: Option<String>,
    /// The period label from the settings, else "<first date> to <analysis date>".
    pub period: String,
    /// The settings' report date, else the analysis date.
    pub report_date: Option<NaiveDate>,
}

/// The cover's line when no service name is set.
pub const SERVICE_NAME_NOT_SET: &str = "Service name not set (enter it under \"Report cover, quotes and priorities\" on the app's overview or the [report] section of the configuration)";

/// One priority's evidence, in the order of the settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PriorityReport {
    pub name: String,
    pub indicators: Vec<PriorityIndicator>,
    pub measures: Vec<PriorityMeasure>,
    /// Indicator keys and measure names in the settings that matched nothing in these data.
    pub unmatched: Vec<String>,
}

/// A service indicator as a priority shows it: its latest shown month and its SPC reading.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PriorityIndicator {
    pub key: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    pub latest_month: Option<NaiveDate>,
    /// The latest month's value that may be shown (withheld months are skipped).
    pub latest_value: Option<f64>,
    pub variation_icon: Option<VariationIcon>,
    /// The plain-English name of the variation icon (as `charts::variation_label`).
    pub variation: Option<String>,
    pub assurance_icon: Option<AssuranceIcon>,
    pub assurance: Option<String>,
    /// Why there is no chart, when there is none.
    pub chart_note: Option<String>,
}

/// A measure as a priority shows it, from the direction report's measure table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PriorityMeasure {
    pub measure: String,
    pub people_paired: ShownCount,
    pub reliable_improvement: ShownShare,
    pub reliable_deterioration: ShownShare,
    pub recovered: ShownShare,
}

/// One piece of feedback free text: no person ID and no date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub source: Option<FeedbackSource>,
    pub themes: Vec<String>,
    pub text: String,
}

/// Fills the pack's parts of a report built from `dataset` (the cover, priorities, quotes,
/// then the key messages, which read the rest).
pub fn complete(report: &mut Report, dataset: &Dataset, settings: &ReportSettings) {
    report.cover = cover(report, settings);
    report.priorities = report
        .direction_of_travel
        .as_ref()
        .map(|d| priorities(d, settings))
        .unwrap_or_default();
    report.quotes = if settings.include_quotes {
        quotes(dataset)
    } else {
        Vec::new()
    };
    report.key_messages = key_messages(report);
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A date as the cover and the key messages write it: "30 June 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn cover(report: &Report, settings: &ReportSettings) -> Cover {
    let (from, to) = report.period();
    let period = non_empty(&settings.period_label).unwrap_or_else(|| match (from, to) {
        (Some(from), Some(to)) => format!("{} to {}", long_date(from), long_date(to)),
        (None, Some(to)) => format!("Up to {}", long_date(to)),
        _ => "No dated records".to_string(),
    });
    Cover {
        service_name: non_empty(&settings.service_name),
        provider: non_empty(&settings.provider),
        period,
        report_date: settings.report_date.or(report.as_of),
    }
}

fn priorities(d: &DirectionReport, settings: &ReportSettings) -> Vec<PriorityReport> {
    settings
        .priorities
        .iter()
        .map(|p| {
            let mut unmatched = Vec::new();
            let mut indicators = Vec::new();
            for key in &p.indicators {
                match d.service.indicators.iter().find(|i| i.key == key.trim()) {
                    Some(i) => indicators.push(priority_indicator(i)),
                    None => unmatched.push(key.clone()),
                }
            }
            let mut measures = Vec::new();
            for name in &p.measures {
                match d
                    .measures
                    .iter()
                    .find(|m| m.measure.eq_ignore_ascii_case(name.trim()))
                {
                    Some(m) => measures.push(priority_measure(m)),
                    None => unmatched.push(name.clone()),
                }
            }
            PriorityReport {
                name: p.name.clone(),
                indicators,
                measures,
                unmatched,
            }
        })
        .collect()
}

fn priority_indicator(i: &IndicatorReport) -> PriorityIndicator {
    let latest = i.latest_shown();
    let spc = i.spc.as_ref();
    PriorityIndicator {
        key: i.key.clone(),
        title: i.title.clone(),
        unit: i.unit.clone(),
        better: i.better,
        latest_month: latest.map(|m| m.month),
        latest_value: latest.and_then(|m| m.value),
        variation_icon: spc.map(|s| s.variation_icon),
        variation: spc.map(|s| charts::variation_label(s.variation_icon).to_string()),
        assurance_icon: spc.and_then(|s| s.assurance_icon),
        assurance: spc
            .and_then(|s| s.assurance_icon)
            .map(|a| charts::assurance_label(a).to_string()),
        chart_note: i.chart_note.clone(),
    }
}

fn priority_measure(m: &MeasureReport) -> PriorityMeasure {
    PriorityMeasure {
        measure: m.measure.clone(),
        people_paired: m.people_paired,
        reliable_improvement: m.reliable_improvement,
        reliable_deterioration: m.reliable_deterioration,
        recovered: m.recovered,
    }
}

fn quotes(data: &Dataset) -> Vec<Quote> {
    let f = &data.feedback;
    let mut rows: Vec<usize> = (0..f.person.len())
        .filter(|&r| {
            f.text[r].is_some()
                && !matches!(f.source[r], Some(FeedbackSource::Staff))
                && data.people.person.contains(&f.person[r])
        })
        .collect();
    rows.sort_by_key(|&r| std::cmp::Reverse((f.date[r], r)));
    let mut out: Vec<Quote> = Vec::new();
    for r in rows {
        let Some(label) = f.text[r] else { continue };
        let id = data.person_ids.text(f.person[r]).trim();
        let mut text = data.text.text(label).trim().to_string();
        if !id.is_empty() {
            text = text.replace(id, "[ID]");
        }
        if text.is_empty() || out.iter().any(|q| q.text == text) {
            continue;
        }
        out.push(Quote {
            source: f.source[r],
            themes: f.themes[r]
                .iter()
                .map(|t| data.text.text(*t).to_string())
                .collect(),
            text,
        });
        if out.len() == MAX_QUOTES {
            break;
        }
    }
    out
}

fn percent(share: &ShownShare) -> Option<String> {
    share.percent.map(|p| format!("{p:.0}%"))
}

/// The key messages (see the module's rules), from the report's own figures.
pub fn key_messages(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = &r.direction_of_travel {
        out.push(outcomes_message(d));
        out.push(crisis_message(d));
    }
    out.push(value_message(r));
    if let Some(d) = &r.direction_of_travel {
        out.push(stability_message(d));
        out.push(goals_message(d));
        out.push(voice_message(d));
    }
    out.push(confidence_message(r));
    out
}

fn outcomes_message(d: &DirectionReport) -> String {
    let mut main: Vec<&MeasureReport> = d
        .measures
        .iter()
        .filter(|m| m.reliable_improvement.percent.is_some())
        .collect();
    main.sort_by_key(|m| {
        std::cmp::Reverse(match m.people_paired {
            ShownCount::Shown(n) => n,
            ShownCount::Suppressed => 0,
        })
    });
    if main.is_empty() {
        return "What changed for people cannot be stated yet: too few people have a first and a later score on a standard measure.".to_string();
    }
    let parts: Vec<String> = main
        .iter()
        .take(2)
        .map(|m| {
            let mut part = format!(
                "on {}, {} of the {} people with a first and a later score reliably improved",
                m.measure,
                percent(&m.reliable_improvement).unwrap_or_default(),
                m.people_paired
            );
            if let Some(recovered) = percent(&m.recovered) {
                let _ = write!(
                    part,
                    " and {recovered} of those who started above the clinical cut-off reliably recovered"
                );
            }
            part
        })
        .collect();
    format!("What changed for people: {}.", parts.join("; "))
}

fn crisis_message(d: &DirectionReport) -> String {
    let Some(crisis) = d
        .service
        .indicator(crate::analysis::direction::service::CRISIS_RATE)
    else {
        return "Crisis use: no crisis contacts are recorded, so crisis use cannot be charted."
            .to_string();
    };
    let latest = crisis.latest_shown();
    let level = match latest.and_then(|m| m.value.map(|v| (m.month, v))) {
        Some((month, v)) => format!(
            "{v:.1} crisis contacts per 100 person-months in {}",
            month.format("%B %Y")
        ),
        None => "the monthly rate is withheld because the counts are small".to_string(),
    };
    let reading = match &crisis.spc {
        Some(spc) => {
            let label = charts::variation_label(spc.variation_icon).to_lowercase();
            let since = spc
                .signal_since
                .map(|m| format!(" since {}", m.format("%B %Y")))
                .unwrap_or_default();
            let trial = if spc.trial_limits {
                " (trial limits: under a year of months)"
            } else {
                ""
            };
            format!("the Making Data Count chart shows {label}{since}{trial}")
        }
        None => format!(
            "there is no SPC reading: {}",
            crisis.chart_note.as_deref().unwrap_or("no chart")
        ),
    };
    format!("Crisis use: {level}; {reading}.")
}

fn value_message(r: &Report) -> String {
    match (&r.value, &r.value_note) {
        (Some(v), _) => {
            let h = &v.headline;
            let interval = match (&h.estimate.ci95, h.indistinguishable_from_zero) {
                (None, _) => " No 95% interval could be computed.",
                (Some(_), false) => " The 95% interval does not include zero.",
                // The statement already says the interval includes zero.
                (Some(_), true) => "",
            };
            format!(
                "Value, stated conservatively: {}{interval} {}",
                h.statement, h.caveat
            )
        }
        (None, Some(note)) => format!("Value: cost avoidance was not computed ({note})."),
        (None, None) => "Value: cost avoidance was not computed.".to_string(),
    }
}

fn stability_message(d: &DirectionReport) -> String {
    let s = &d.stability;
    match percent(&s.early_warnings) {
        Some(warned) => {
            let follow_up = percent(&s.flagged_with_follow_up)
                .map(|p| format!(", and {p} of them had a follow-up action recorded"))
                .unwrap_or_default();
            format!(
                "Stability: of the {} people still in service and assessed, {warned} had an early warning (two or more indicators worsening together over the last {} days){follow_up}.",
                s.people_assessed, s.window_days
            )
        }
        None => format!(
            "Stability: early warnings among the {} people assessed are too few to report safely.",
            s.people_assessed
        ),
    }
}

fn goals_message(d: &DirectionReport) -> String {
    let g = &d.goals;
    if g.people_with_goals == ShownCount::Shown(0) {
        return "Goals and plans: no goals are recorded, so plans cannot be assessed.".to_string();
    }
    let mut parts = Vec::new();
    if let Some(p) = percent(&g.goals_achieved) {
        parts.push(format!("{p} of goals with a target were achieved"));
    }
    if let Some(p) = percent(&g.reviews_on_time) {
        parts.push(format!("{p} of reviews were on time"));
    }
    if let Some(p) = percent(&g.people_with_static_plans) {
        parts.push(format!(
            "{p} of people with goals had a static plan (two or more reviews with no change while the rating did not improve)"
        ));
    }
    if let Some(a) = &g.reviews_leading_to_action {
        if let Some(p) = percent(&a.service.all) {
            parts.push(format!(
                "{p} of setbacks, escalations and engagement dips were followed by a recorded plan adjustment within {} days",
                a.window_days
            ));
        }
    }
    if parts.is_empty() {
        return "Goals and plans: the numbers are too small to report safely.".to_string();
    }
    format!("Goals and plans: {}.", parts.join("; "))
}

fn voice_message(d: &DirectionReport) -> String {
    let n = &d.narrative;
    if n.feedback_entries == ShownCount::Shown(0) {
        return "What people said: no feedback is recorded, so the numbers cannot be read beside people's own view.".to_string();
    }
    let theme = n
        .themes
        .first()
        .map(|t| format!("; the most common theme was \u{201c}{}\u{201d}", t.theme))
        .unwrap_or_default();
    let reconciled = percent(&n.reconciled)
        .map(|p| format!(", and {p} of these had a plan adjustment recorded since"))
        .unwrap_or_default();
    format!(
        "What people said: {} people gave their own or a carer's view{theme}. Numbers and voice disagreed for {} people whose scores improved but who said things were poor and {} whose scores were flat but who said things were good{reconciled}.",
        n.people_with_own_feedback, n.numbers_better_voice_worse, n.numbers_flat_voice_better
    )
}

fn confidence_message(r: &Report) -> String {
    let q = &r.data_quality;
    let caveat = match q.verdict.level {
        VerdictLevel::Ready => {
            "the files passed every check with no problem that changes the results".to_string()
        }
        VerdictLevel::ReadyWithProblems => match q.problems.first() {
            Some(p) => format!(
                "the main data caveat is that {} (every data check is in the appendix)",
                p.plain_caveat()
            ),
            None => "some rows were left out (see the appendix)".to_string(),
        },
        VerdictLevel::CannotBeAnalysed => format!(
            "the data cannot be analysed: {}",
            q.verdict.reason.as_deref().unwrap_or("see the appendix")
        ),
    };
    let rounding = match r.disclosure {
        crate::disclosure::Disclosure::Controlled => {
            " Counts are rounded to the nearest five, and counts below eight are shown as *."
        }
        crate::disclosure::Disclosure::Exact => "",
    };
    format!(
        "How sure we are: these figures describe {} people over the period {}; {caveat}.{rounding}",
        r.data.n_people, r.cover.period
    )
}

/// The cover: service, provider, period, report date and the filter, with nothing technical.
pub fn write_cover_html(html: &mut String, r: &Report, filter_sentence: Option<&str>) {
    let c = &r.cover;
    html.push_str(
        "<header class=\"cover\"><p class=\"kicker\">Outcomes evidence for commissioners</p>",
    );
    match &c.service_name {
        Some(name) => {
            let _ = write!(html, "<h1>{}</h1>", escape(name));
        }
        None => {
            let _ = write!(
                html,
                "<h1>Outcomes report</h1><p class=\"missing\">{}</p>",
                escape(SERVICE_NAME_NOT_SET)
            );
        }
    }
    let _ = write!(
        html,
        "<dl class=\"cover-facts\"><div><dt>Provider</dt><dd>{}</dd></div><div><dt>Period</dt><dd>{}</dd></div><div><dt>Report date</dt><dd>{}</dd></div></dl>",
        escape(c.provider.as_deref().unwrap_or("Not set")),
        escape(&c.period),
        c.report_date.map_or_else(|| "Not set".to_string(), long_date)
    );
    if let Some(sentence) = filter_sentence {
        let _ = write!(html, "<p class=\"verdict\">{}</p>", escape(sentence));
    }
    html.push_str("<p class=\"prepared\">Prepared with Waymark</p></header>");
    html.push_str("<section class=\"key-messages\"><h2>Key messages</h2><ol>");
    for message in &r.key_messages {
        let _ = write!(html, "<li>{}</li>", escape(message));
    }
    html.push_str("</ol></section>");
}

/// "Evidence by priority": one table of indicators and one of measures per priority.
pub fn write_priorities_html(html: &mut String, priorities: &[PriorityReport]) {
    if priorities.is_empty() {
        return;
    }
    html.push_str("<section><h2>Evidence by priority</h2>");
    for p in priorities {
        let _ = write!(html, "<h3>{}</h3>", escape(&p.name));
        if !p.indicators.is_empty() {
            push_wide_table(
                html,
                format!("{}: service indicators (latest month that may be shown; Making Data Count reading)", p.name),
                &["Indicator", "Latest month", "Value", "Variation", "Assurance"],
                p.indicators
                    .iter()
                    .map(|i| {
                        vec![
                            i.title.clone(),
                            i.latest_month
                                .map_or_else(|| "-".to_string(), |m| m.format("%b %Y").to_string()),
                            i.latest_value
                                .map_or_else(|| "*".to_string(), |v| format!("{v:.1} {}", i.unit)),
                            i.variation
                                .as_deref()
                                .or(i.chart_note.as_deref())
                                .unwrap_or("-")
                                .to_string(),
                            i.assurance.as_deref().unwrap_or("No target set").to_string(),
                        ]
                    })
                    .collect(),
            );
        }
        if !p.measures.is_empty() {
            push_wide_table(
                html,
                format!(
                    "{}: outcome measures (people with a first and a later score)",
                    p.name
                ),
                &[
                    "Measure",
                    "People",
                    "Reliable improvement",
                    "Reliable deterioration",
                    "Reliably recovered (of those at caseness)",
                ],
                p.measures
                    .iter()
                    .map(|m| {
                        vec![
                            m.measure.clone(),
                            m.people_paired.to_string(),
                            m.reliable_improvement.to_string(),
                            m.reliable_deterioration.to_string(),
                            m.recovered.to_string(),
                        ]
                    })
                    .collect(),
            );
        }
        if !p.unmatched.is_empty() {
            let _ = write!(
                html,
                "<p class=\"note\">Not found in these data (check the names in the report settings): {}.</p>",
                escape(&p.unmatched.join(", "))
            );
        }
    }
    html.push_str("</section>");
}

/// People's own words, when the settings include them.
pub fn write_quotes_html(html: &mut String, quotes: &[Quote]) {
    if quotes.is_empty() {
        return;
    }
    html.push_str("<section><h2>In people's own words</h2><p class=\"meta\">Feedback as written, newest first, without names, IDs or dates. Included because the report settings allow quotes.</p>");
    for q in quotes {
        let who = match q.source {
            Some(FeedbackSource::Carer) => "A carer",
            _ => "A person supported",
        };
        let themes = if q.themes.is_empty() {
            String::new()
        } else {
            format!(" (themes: {})", q.themes.join(", "))
        };
        let _ = write!(
            html,
            "<figure class=\"quote\"><blockquote>{}</blockquote><figcaption>{who}{}</figcaption></figure>",
            escape(&q.text),
            escape(&themes)
        );
    }
    html.push_str("</section>");
}
