//! The direction-of-travel section of the printable report, as HTML: the interpretation,
//! then each part's tables, with the service indicators' XmR charts. The data are
//! [`super::direction::DirectionReport`]'s; this module only writes them, so the report's
//! types do not depend on the charts that draw them.

use super::charts::xmr_chart;
use super::direction::*;
use super::{escape, push_table, push_wide_table};
use crate::analysis::direction::outcomes::TravelLabel;
use crate::analysis::direction::service::Better;
use std::fmt::Write as _;
use waymark_charts::{Chart, RenderOptions};

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.digits$}"))
}

/// The HTML sections: interpretation first, then each part's tables.
pub fn write_html(html: &mut String, r: &DirectionReport) {
    write_interpretation_html(html, &r.interpretation);
    write_change_html(html, r);
    write_service_html(html, &r.service);
    write_stability_html(html, &r.stability);
    write_goals_html(html, &r.goals);
    write_narrative_html(html, &r.narrative);
}

/// The interpretation: one plain sentence per finding, before any table.
fn write_interpretation_html(html: &mut String, interpretation: &[String]) {
    html.push_str("<section><h2>What the data show</h2><ul class=\"interpretation\">");
    for sentence in interpretation {
        let _ = write!(html, "<li>{}</li>", escape(sentence));
    }
    html.push_str("</ul></section>");
}

/// The change section: reliable change per measure, the Talking Therapies pairing when
/// there is one, and each measure's direction of travel.
fn write_change_html(html: &mut String, r: &DirectionReport) {
    html.push_str("<section><h2>Change per measure</h2>");
    push_wide_table(
        html,
        "People with a baseline and a later score (counts of 1-7 shown as *, others rounded to 5; percentages from unrounded counts)".to_string(),
        &["Measure", "People", "Reliable improvement", "No reliable change", "Reliable deterioration", "Reliably recovered (of those at caseness at baseline)", "Sustained improvement", "Reliable change threshold"],
        r.measures
            .iter()
            .map(|m| {
                vec![
                    m.measure.clone(),
                    m.people_paired.to_string(),
                    m.reliable_improvement.to_string(),
                    m.no_reliable_change.to_string(),
                    m.reliable_deterioration.to_string(),
                    m.recovered.to_string(),
                    m.sustained_improvement.to_string(),
                    format!("{} ({})", fmt_number(m.reliable_change_threshold), m.threshold_basis),
                ]
            })
            .collect(),
    );
    if let Some(t) = &r.talking_therapies {
        write_talking_therapies_table(html, t);
    }
    write_direction_of_travel_table(html, &r.measures);
    html.push_str("</section>");
}

/// PHQ-9 and GAD-7 read together, as NHS Talking Therapies defines recovery.
fn write_talking_therapies_table(html: &mut String, t: &TalkingTherapiesReport) {
    push_wide_table(
        html,
        "NHS Talking Therapies paired outcomes: PHQ-9 and GAD-7 read together (a different definition from the per-measure rates above: recovery needs both measures below caseness)".to_string(),
        &["People paired on both", "At caseness", "Recovery (of those at caseness)", "Reliable recovery (of those at caseness)", "Reliable improvement", "Reliable deterioration"],
        vec![vec![
            t.people_paired.to_string(),
            t.at_caseness.to_string(),
            t.recovery.to_string(),
            t.reliable_recovery.to_string(),
            t.reliable_improvement.to_string(),
            t.reliable_deterioration.to_string(),
        ]],
    );
}

/// The share of people per direction-of-travel label, and the median slope, per measure.
fn write_direction_of_travel_table(html: &mut String, measures: &[MeasureReport]) {
    let mut headers = vec!["Measure"];
    headers.extend(TravelLabel::ALL.map(label_name));
    headers.push("Median slope per month");
    push_wide_table(
        html,
        "Direction of travel per person (share of people scored)".to_string(),
        &headers,
        measures
            .iter()
            .map(|m| {
                let mut row = vec![m.measure.clone()];
                row.extend(m.labels.iter().map(|l| l.share.to_string()));
                row.push(opt(m.median_slope_per_month, 2));
                row
            })
            .collect(),
    );
}

/// The service indicators by month: each one's XmR chart (or why there is none), with its
/// last 12 months as a table.
fn write_service_html(html: &mut String, service: &ServiceReport) {
    let _ = write!(
        html,
        "<section><h2>Service indicators by month</h2><p>{} people in service over {:.1} person-months. Rates divide by the days each person was actually in service. A month's value is withheld (shown as *) when the count behind it is 1-7.</p>",
        service.people_in_service, service.person_months
    );
    for (n, ind) in service.indicators.iter().enumerate() {
        write_indicator_html(html, n, ind);
    }
    html.push_str("</section>");
}

/// One indicator: its chart, numbered `n` so each chart's SVG ids are unique in the page.
fn write_indicator_html(html: &mut String, n: usize, ind: &IndicatorReport) {
    if let Some(chart) = xmr_chart(ind) {
        let options = RenderOptions::new(&format!("spc-{n}"));
        let _ = write!(
            html,
            "<figure class=\"chart\">{}</figure>",
            chart.to_svg(&options)
        );
    } else if let Some(note) = &ind.chart_note {
        let _ = write!(
            html,
            "<p class=\"meta\">{}: {}</p>",
            escape(&ind.title),
            escape(note)
        );
    }
    let _ = write!(
        html,
        "<details><summary>{} as a table (last 12 months)</summary>",
        escape(&ind.title)
    );
    let better = match ind.better {
        Better::Higher => "higher",
        Better::Lower => "lower",
    };
    push_table(
        html,
        format!("{} ({}; {better} is better)", ind.title, ind.unit),
        &["Month", "Value", "Count"],
        ind.months
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(|m| {
                vec![
                    m.month.format("%b %Y").to_string(),
                    m.value
                        .map_or_else(|| "*".to_string(), |v| format!("{v:.1}")),
                    m.count.to_string(),
                ]
            })
            .collect(),
    );
    html.push_str("</details>");
}

/// Stability and early warning: who is improving, stable or deteriorating lately, and
/// which indicators worsened among the people flagged.
fn write_stability_html(html: &mut String, s: &StabilityReport) {
    let _ = write!(
        html,
        "<section><h2>Stability and early warning</h2><p>People still in service, comparing the last {} days with the {} days before.</p><dl class=\"figures\"><div><dt>People assessed</dt><dd>{}</dd></div><div><dt>Improving</dt><dd>{}</dd></div><div><dt>Stable</dt><dd>{}</dd></div><div><dt>Deteriorating</dt><dd>{}</dd></div><div><dt>Early warnings</dt><dd>{}</dd></div></dl>",
        s.window_days, s.window_days, s.people_assessed, s.improving, s.stable, s.deteriorating, s.early_warnings
    );
    push_table(
        html,
        "Indicators that worsened among the people flagged".to_string(),
        &["Indicator", "People"],
        s.flagged_by_indicator
            .iter()
            .map(|(indicator, n)| vec![indicator_name(*indicator).to_string(), n.to_string()])
            .collect(),
    );
    let _ = write!(
        html,
        "<p>Flagged people with a follow-up action recorded in the window: {}.</p></section>",
        s.flagged_with_follow_up
    );
}

/// Numbers with narrative: the discordant cases counted, and the most common themes.
fn write_narrative_html(html: &mut String, n: &NarrativeReport) {
    let _ = write!(
        html,
        "<section><h2>Numbers with narrative</h2><p>{} feedback entries; {} people gave their own (or a carer's) view. Scores improving but the person says things are poor: {}. Scores flat but the person says things are good: {}. Reconciled by a plan adjustment: {}.</p>",
        n.feedback_entries, n.people_with_own_feedback, n.numbers_better_voice_worse, n.numbers_flat_voice_better, n.reconciled
    );
    push_table(
        html,
        "Most common themes in feedback".to_string(),
        &["Theme", "Entries"],
        n.themes
            .iter()
            .take(10)
            .map(|t| vec![t.theme.clone(), t.entries.to_string()])
            .collect(),
    );
    html.push_str("</section>");
}

/// The goals and reviews section: attainment, review compliance by coordinator, the
/// required-fields audit and reviews leading to action.
fn write_goals_html(html: &mut String, g: &GoalsReport) {
    let _ = write!(
        html,
        "<section><h2>Goals and reviews</h2><dl class=\"figures\"><div><dt>People with goals</dt><dd>{}</dd></div><div><dt>Goals achieved</dt><dd>{}</dd></div><div><dt>Mean GAS T-score</dt><dd>{}</dd></div><div><dt>Reviews on time</dt><dd>{}</dd></div><div><dt>Overdue reviews</dt><dd>{}</dd></div><div><dt>People with static plans</dt><dd>{}</dd></div></dl>",
        g.people_with_goals, g.goals_achieved, opt(g.mean_gas_t_score, 1), g.reviews_on_time, g.overdue_reviews, g.people_with_static_plans
    );
    push_table(
        html,
        "Review compliance by care coordinator".to_string(),
        &["Coordinator", "Reviews on time", "Overdue now"],
        g.by_coordinator
            .iter()
            .map(|c| {
                vec![
                    c.coordinator.clone(),
                    c.reviews_on_time.to_string(),
                    c.overdue.to_string(),
                ]
            })
            .collect(),
    );
    push_table(
        html,
        "Required-fields audit (people receiving the service)".to_string(),
        &["Field", "Complete"],
        g.audit
            .iter()
            .map(|a| vec![a.description.clone(), a.complete.to_string()])
            .collect(),
    );
    if let Some(a) = &g.reviews_leading_to_action {
        write_review_actions_html(html, a);
    }
    html.push_str("</section>");
}

/// The "reviews leading to action" table: the service first, then each team.
fn write_review_actions_html(html: &mut String, a: &ReviewActionsReport) {
    let row = |team: &str, s: &ActionShares| {
        vec![
            team.to_string(),
            s.setbacks.to_string(),
            s.escalations.to_string(),
            s.engagement_dips.to_string(),
            s.all.to_string(),
        ]
    };
    let mut rows = vec![row("Whole service", &a.service)];
    rows.extend(a.by_team.iter().map(|t| row(&t.team, &t.shares)));
    push_wide_table(
        html,
        format!("Reviews leading to action: setbacks, escalations (crisis contacts, admissions) and engagement dips followed by a recorded plan adjustment within {} days (triggers whose window has closed; counts of 1-7 shown as *, others rounded to 5)", a.window_days),
        &["Team", "Setbacks", "Escalations", "Engagement dips", "All"],
        rows,
    );
    let _ = write!(
        html,
        "<p class=\"meta\">Triggers whose {}-day window is still open: {}.</p>",
        a.window_days, a.not_yet_due
    );
}
