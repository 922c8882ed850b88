//! The report: what the CLI writes as JSON or HTML and the app shows.
//!
//! Its JSON shape is documented in `docs/report-schema.json`; bump [`SCHEMA_VERSION`] when it
//! changes. Aggregate counts of people go through [`crate::disclosure`]; validation issues are
//! about files and rows, not people, and carry no person-level data beyond what the user's
//! own file holds at that line.

pub mod charts;
pub mod direction;
mod direction_html;
pub mod governance;
pub mod pack;
pub mod pathways;
pub mod quality;
pub mod settings;
pub mod value;

use crate::analysis::Analysis;
use crate::disclosure::{Disclosure, ShownCount};
use crate::ingest::{TableSummary, ValidationReport};
use crate::model::{Dataset, TableKind};
use chrono::NaiveDate;
use direction::DirectionReport;
use serde::{Deserialize, Serialize};
pub use settings::{Priority, ReportSettings};
use std::fmt::Write as _;

pub const SCHEMA_VERSION: &str = "0.6.0";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: std::borrow::Cow<'static, str>,
    /// Who the report is for and what it covers (from the `[report]` settings).
    pub cover: pack::Cover,
    /// Five to seven plain sentences from the figures below (see [`pack`]).
    pub key_messages: Vec<String>,
    /// The evidence grouped by the commissioner's priorities, in the settings' order.
    pub priorities: Vec<pack::PriorityReport>,
    /// Feedback free text, without person IDs or dates; empty unless the settings include
    /// quotes.
    pub quotes: Vec<pack::Quote>,
    /// How its counts are shown: `controlled` in everything that leaves the user's screen.
    pub disclosure: Disclosure,
    /// The date the analysis treats as "today"; given by the caller, never read from a clock.
    pub as_of: Option<NaiveDate>,
    /// The people the figures describe: empty lists mean everyone in the files.
    pub filter: crate::filter::PeopleFilter,
    pub data: DataSummary,
    /// Absent when the data could not be analysed (no people).
    pub direction_of_travel: Option<DirectionReport>,
    /// Cost avoidance; absent with `value_note` saying why when it could not be computed.
    pub value: Option<value::ValueReport>,
    pub value_note: Option<String>,
    pub pathways: Option<pathways::PathwaysReport>,
    /// The verdict, the problems and the files read, under the same disclosure policy (the
    /// issue list with its lines and values is not part of the report).
    pub data_quality: quality::DataQualityReport,
}

/// What `DataSummary::n_people` counts, as the report and the app label it.
pub const PEOPLE_IN_DATA_LABEL: &str = "People in the data (service and comparison cohorts)";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DataSummary {
    /// People in the people table, after disclosure control.
    pub n_people: ShownCount,
    pub pathways: Vec<PathwayCount>,
    /// Rows per table, after disclosure control (the people table's rows are people).
    pub tables: Vec<ShownTableCount>,
    /// Earliest and latest date across every table's main date column.
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShownTableCount {
    pub table: TableKind,
    pub files: usize,
    pub rows: ShownCount,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayCount {
    pub pathway: String,
    pub n_people: ShownCount,
}

impl Report {
    /// The report on `dataset`, already narrowed by `filter` (stated on the report, and the
    /// start of its period), with counts shown by `d`.
    pub fn build(
        dataset: &Dataset,
        validation: &ValidationReport,
        analysis: Option<&Analysis>,
        cost: Option<&Result<crate::value::cost_avoidance::CostAvoidance, String>>,
        d: Disclosure,
        settings: &ReportSettings,
        filter: &crate::filter::PeopleFilter,
    ) -> Report {
        let as_of = analysis.map(|a| a.reference_date);
        // People by pathway as the pathway comparison counts them: the service cohort by its
        // pathway, the comparison cohort as one group of its own.
        let mut pathways: Vec<(String, u64)> = Vec::new();
        let mut comparison = 0u64;
        for (label, cohort) in dataset.people.pathway.iter().zip(&dataset.people.cohort) {
            if *cohort == crate::model::Cohort::Comparison {
                comparison += 1;
                continue;
            }
            let name = dataset.text.text(*label);
            match pathways.iter_mut().find(|(p, _)| p == name) {
                Some((_, n)) => *n += 1,
                None => pathways.push((name.to_string(), 1)),
            }
        }
        pathways.sort();
        if comparison > 0 {
            pathways.push((
                crate::analysis::pathways::COMPARISON_GROUP.to_string(),
                comparison,
            ));
        }
        let all_dates = dataset
            .people
            .start_date
            .iter()
            .chain(&dataset.outcomes.date)
            .chain(&dataset.events.date)
            .chain(&dataset.goals.review_date)
            .chain(&dataset.status.date)
            .chain(&dataset.feedback.date);
        let (first_date, last_date) = all_dates.fold(
            (None, None),
            |(lo, hi): (Option<NaiveDate>, Option<NaiveDate>), d| {
                (
                    Some(lo.map_or(*d, |lo| lo.min(*d))),
                    Some(hi.map_or(*d, |hi| hi.max(*d))),
                )
            },
        );
        let mut report = Report {
            schema_version: SCHEMA_VERSION.into(),
            cover: pack::Cover::default(),
            key_messages: Vec::new(),
            priorities: Vec::new(),
            quotes: Vec::new(),
            disclosure: d,
            as_of,
            filter: filter.clone(),
            data: DataSummary {
                n_people: d.count(dataset.people.person.len() as u64),
                pathways: pathways
                    .into_iter()
                    .map(|(pathway, n)| PathwayCount {
                        pathway,
                        n_people: d.count(n),
                    })
                    .collect(),
                tables: validation
                    .tables
                    .iter()
                    .map(|t: &TableSummary| ShownTableCount {
                        table: t.table,
                        files: t.files,
                        rows: d.count(t.rows as u64),
                    })
                    .collect(),
                first_date,
                last_date,
            },
            direction_of_travel: analysis.map(|a| DirectionReport::build(a, d)),
            value: cost
                .and_then(|c| c.as_ref().ok())
                .map(|c| value::ValueReport::build(c, d)),
            value_note: cost.and_then(|c| c.as_ref().err()).cloned(),
            pathways: analysis.map(|a| {
                pathways::PathwaysReport::build(&a.pathways, cost.and_then(|c| c.as_ref().ok()), d)
            }),
            data_quality: quality::DataQualityReport::build(validation, d),
        };
        pack::complete(&mut report, dataset, settings);
        report
    }

    /// The period the figures describe: from the later of the data's first date and the
    /// filter's start, to the analysis date (the data's last date when nothing was analysed).
    /// The cover, the key messages and the app's overview all state this one.
    pub fn period(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let from = match (self.data.first_date, self.filter.period_from) {
            (Some(first), Some(from)) => Some(first.max(from)),
            (first, from) => first.or(from),
        };
        (from, self.as_of.or(self.data.last_date))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
    }

    /// The sentence saying which people the figures describe, when a filter is set (the
    /// filter's own wording, which the app's controls bar shows too).
    fn filter_sentence(&self) -> Option<String> {
        self.filter
            .in_words()
            .map(|sentence| format!("{sentence}."))
    }

    /// A self-contained HTML page: no scripts, no external resources, readable when printed.
    /// The cover and key messages first (nothing technical), then the evidence by priority,
    /// the sections in detail, and an appendix on the data and the methods.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        let title = self.cover.service_name.as_deref().map_or_else(
            || "Waymark report".to_string(),
            |s| format!("{s}: outcomes report"),
        );
        let _ = write!(
            html,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{REPORT_CSP}\">\
             <style>{STYLE}</style></head><body><main>",
            escape(&title)
        );
        pack::write_cover_html(&mut html, self, self.filter_sentence().as_deref());
        pack::write_priorities_html(&mut html, &self.priorities);
        self.write_key_figures_html(&mut html);
        if let Some(direction) = &self.direction_of_travel {
            direction_html::write_html(&mut html, direction);
        }
        pack::write_quotes_html(&mut html, &self.quotes);
        if let Some(value) = &self.value {
            value::write_value_html(&mut html, value);
        } else if let Some(note) = &self.value_note {
            let _ = write!(
                html,
                "<section><h2>Value: cost avoidance</h2><p>Not computed: {}</p></section>",
                escape(note)
            );
        }
        if let Some(pathways) = &self.pathways {
            pathways::write_pathways_html(&mut html, pathways);
        }
        self.write_appendix_html(&mut html);
        html.push_str(METHODS_HTML);
        html.push_str("</main></body></html>\n");
        html
    }

    fn write_key_figures_html(&self, html: &mut String) {
        html.push_str("<section><h2>Key figures</h2>");
        if let Some(value) = &self.value {
            value::write_headline_html(html, &value.headline);
        }
        html.push_str("<dl class=\"figures\">");
        let _ = write!(
            html,
            "<div><dt>{PEOPLE_IN_DATA_LABEL}</dt><dd>{}</dd></div>",
            self.data.n_people
        );
        if let Some(direction) = &self.direction_of_travel {
            let _ = write!(
                html,
                "<div><dt>{}</dt><dd>{}</dd></div>",
                escape(&direction.service.people_in_service_label()),
                direction.service.people_in_service
            );
        }
        if let (Some(first), Some(last)) = (self.data.first_date, self.data.last_date) {
            let _ = write!(
                html,
                "<div><dt>Dates in the data</dt><dd>{first} to {last}</dd></div>"
            );
        }
        html.push_str("</dl>");
        if !self.data.pathways.is_empty() {
            push_table(
                html,
                format!("People by pathway ({})", self.disclosure.rule()),
                &["Pathway", "People"],
                self.data
                    .pathways
                    .iter()
                    .map(|p| vec![p.pathway.clone(), p.n_people.to_string()])
                    .collect(),
            );
        }
        html.push_str("</section>");
    }

    /// The appendix: the report's schema, the rows per table and the data-quality section.
    fn write_appendix_html(&self, html: &mut String) {
        let _ = write!(
            html,
            "<section class=\"appendix\"><h2>Appendix: about the data</h2><p class=\"meta\">Report schema {}{} · {}.</p>",
            SCHEMA_VERSION,
            self.as_of
                .map(|d| format!(" · analysis date {d}"))
                .unwrap_or_default(),
            self.disclosure.rule()
        );
        push_table(
            html,
            "Rows accepted per table".to_string(),
            &["Table", "Files", "Rows"],
            self.data
                .tables
                .iter()
                .map(|t| {
                    vec![
                        t.table.name().to_string(),
                        t.files.to_string(),
                        t.rows.to_string(),
                    ]
                })
                .collect(),
        );
        quality::write_html(html, &self.data_quality);
        html.push_str("</section>");
    }
}

/// The methods and caveats a commissioner needs beside the figures; the full account, with
/// sources and the reference tools each statistic is checked against, is docs/methods.md.
const METHODS_HTML: &str = "<section><h2>Methods and caveats</h2><ul>\
<li><strong>Reliable change</strong>: a change counts only when it reaches the measure's reliable-change threshold (NHS Talking Therapies: 6 points on PHQ-9, 4 on GAD-7; otherwise Jacobson &amp; Truax 1991 or half a standard deviation, as stated beside each figure). Reliably recovered means reliably improved and moved below the clinical cut-off, and is a share of the people at caseness at baseline; the NHS Talking Therapies table reads PHQ-9 and GAD-7 together, by its own definition.</li>\
<li><strong>Direction of travel</strong> per person judges the whole trajectory (Theil-Sen slope, Mann-Kendall trend): setbacks are counted as fluctuation, not failure.</li>\
<li><strong>Service indicators</strong> divide by the days people were actually in service (person-months); each is an XmR chart following NHS England's Making Data Count rules, so only special-cause variation is read as change.</li>\
<li><strong>Early warning</strong> and <strong>discordance</strong> use Waymark's own screening rules, meant to start a conversation, not to score people.</li>\
<li><strong>Cost avoidance</strong> compares service use before and after the start of support, priced with the unit-cost table shown. People referred after a crisis would often have used less anyway (regression to the mean), so the headline figure is the difference-in-differences figure against the comparison cohort when there is one; without one, the before-and-after figure is given as an upper bound. People with less than the minimum history before their start are not priced. Intervals come from a bootstrap of people with a fixed seed, so the figures can be reproduced; an interval that includes zero means the saving cannot be told apart from none.</li>\
<li><strong>Key messages</strong> are generated from this report's own figures, never recomputed, and show counts as the tables do. <strong>Reviews leading to action</strong> counts setbacks (a reliable fall from the best score so far), escalations (crisis contacts and admissions) and engagement dips (a lower engagement status than the one before) followed by a recorded plan change or plan adjustment within the window stated, of those whose window has closed; it shows whether the plan moved after the signal, not why.</li>\
<li><strong>Pathway comparisons</strong> are observational: pathways may differ in who they serve. Check the case-mix note and the standardised figures before drawing conclusions.</li>\
<li><strong>Small numbers</strong>: counts of 1 to 7 are shown as *, other counts are rounded to the nearest 5; percentages and rates are computed on the exact counts, and a percentage is withheld when a count behind it is suppressed.</li>\
</ul></section>";

/// The report's own Content-Security-Policy: it is a saved file that may be opened anywhere,
/// so it allows no scripts, no requests and no forms; only its inline style and images.
pub const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#212b32;background:#f0f4f5}\
main{max-width:64rem;margin:0 auto;padding:1.5rem;background:#fff}h1{color:#005eb8}\
.cover{border-bottom:4px solid #005eb8;padding-bottom:1rem;margin-bottom:1rem}.cover h1{font-size:2.2rem;margin:.25rem 0}\
.kicker,.prepared,.note{color:#4c6272}.missing{font-weight:600;color:#942514}\
.cover-facts{display:flex;flex-wrap:wrap;gap:1rem 2rem}.cover-facts dd{font-size:1.1rem}\
.key-messages li{margin:.4rem 0}blockquote{margin:.5rem 0;padding-left:1rem;border-left:4px solid #d8dde0}\
.headline{border-left:8px solid #005eb8;padding:.25rem 1rem;margin:0 0 1rem}.headline p{margin:.25rem 0}\
.headline-figure{font-size:1.6rem;font-weight:700}.headline-label,.caveat{color:#4c6272}\
.figures{display:flex;flex-wrap:wrap;gap:1rem}.figures div{border-left:4px solid #005eb8;padding:.25rem .75rem}\
dt{font-size:.9rem;color:#4c6272}dd{margin:0;font-size:1.5rem;font-weight:600}\
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.5rem 0}\
th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}\
svg.waymark-chart{max-width:100%;height:auto}.scroll{overflow-x:auto}.verdict{font-weight:600}.meta{color:#4c6272}\
@page{size:A4 portrait;margin:15mm}\
@media print{body{background:#fff;font-size:10pt}main{padding:0;max-width:none}\
section{break-before:page}.key-messages{break-before:auto}\
table{table-layout:fixed;width:100%;font-size:8.5pt}th,td{overflow-wrap:anywhere;padding:.15rem .25rem}\
.scroll{overflow:visible}thead{display:table-header-group}\
tr,figure,.headline,.figures div,blockquote{break-inside:avoid}h2,h3,caption{break-after:avoid}}";

/// Escapes text for HTML element content and attribute values: the chart crate's escaper,
/// the one path every label in the app's charts, their tables and the report goes through.
pub fn escape(text: &str) -> String {
    waymark_charts::escape_xml(text)
}

/// Appends a report table: the chart crate's accessible table (caption, column headers with
/// `scope`, the first column as row headers, every cell escaped), as the app's "show as table"
/// and CSV downloads use.
pub(crate) fn push_table(
    html: &mut String,
    caption: String,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) {
    let table = waymark_charts::TableData {
        caption,
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    };
    html.push_str(&table.to_html());
}

/// [`push_table`] for a table with many columns: it scrolls sideways on a narrow screen (and
/// reflows to the page width in print).
pub(crate) fn push_wide_table(
    html: &mut String,
    caption: String,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) {
    html.push_str("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table (scrolls sideways on narrow screens)\">");
    push_table(html, caption, headers, rows);
    html.push_str("</div>");
}
