//! The report: what the CLI writes as JSON or HTML and the app shows.
//!
//! Its JSON shape is documented in `docs/report-schema.json`; bump [`SCHEMA_VERSION`] when it
//! changes. Aggregate counts of people go through [`crate::disclosure`]; validation issues are
//! about files and rows, not people, and carry no person-level data beyond what the user's
//! own file holds at that line.

pub mod charts;
pub mod direction;
pub mod value;

use crate::analysis::Analysis;
use crate::disclosure::ShownCount;
use crate::ingest::{TableSummary, ValidationReport};
use crate::model::{Dataset, TableKind};
use chrono::NaiveDate;
use direction::DirectionReport;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

pub const SCHEMA_VERSION: &str = "0.3.0";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: std::borrow::Cow<'static, str>,
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
    pub pathways: Option<value::PathwaysReport>,
    pub validation: ValidationReport,
}

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
    pub fn build(
        dataset: &Dataset,
        validation: ValidationReport,
        analysis: Option<&Analysis>,
        cost: Option<&Result<crate::value::cost_avoidance::CostAvoidance, String>>,
    ) -> Report {
        let as_of = analysis.map(|a| a.reference_date);
        let mut pathways: Vec<(String, u64)> = Vec::new();
        for label in &dataset.people.pathway {
            let name = dataset.text.text(*label);
            match pathways.iter_mut().find(|(p, _)| p == name) {
                Some((_, n)) => *n += 1,
                None => pathways.push((name.to_string(), 1)),
            }
        }
        pathways.sort();
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
        Report {
            schema_version: SCHEMA_VERSION.into(),
            as_of,
            filter: crate::filter::PeopleFilter::default(),
            data: DataSummary {
                n_people: ShownCount::from_count(dataset.people.person.len() as u64),
                pathways: pathways
                    .into_iter()
                    .map(|(pathway, n)| PathwayCount {
                        pathway,
                        n_people: ShownCount::from_count(n),
                    })
                    .collect(),
                tables: validation
                    .tables
                    .iter()
                    .map(|t: &TableSummary| ShownTableCount {
                        table: t.table,
                        files: t.files,
                        rows: ShownCount::from_count(t.rows as u64),
                    })
                    .collect(),
                first_date,
                last_date,
            },
            direction_of_travel: analysis.map(DirectionReport::build),
            value: cost
                .and_then(|c| c.as_ref().ok())
                .map(value::ValueReport::build),
            value_note: cost.and_then(|c| c.as_ref().err()).cloned(),
            pathways: analysis.map(|a| value::PathwaysReport::build(&a.pathways)),
            validation,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
    }

    /// A self-contained HTML page: no scripts, no external resources, readable when printed.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        let v = &self.validation;
        let _ = write!(
            html,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Waymark report</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <style>{STYLE}</style></head><body><main><h1>Waymark report</h1>"
        );
        let _ = write!(
            html,
            "<p class=\"meta\">Schema {}{}</p>",
            SCHEMA_VERSION,
            self.as_of
                .map(|d| format!(" · as of {d}"))
                .unwrap_or_default()
        );
        if !self.filter.is_empty() {
            let f = &self.filter;
            let parts: Vec<String> = [
                ("pathway", &f.pathways),
                ("team", &f.teams),
                ("coordinator", &f.coordinators),
                ("age band", &f.age_bands),
                ("sex", &f.sexes),
                ("ethnicity", &f.ethnicities),
            ]
            .iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(name, list)| format!("{name}: {}", list.join(" or ")))
            .collect();
            let mut sentence = String::from("Filtered to people");
            if !parts.is_empty() {
                let _ = write!(sentence, " with {}", parts.join("; "));
            }
            match (f.period_from, f.period_to) {
                (Some(from), Some(to)) => {
                    let _ = write!(sentence, " in service between {from} and {to}");
                }
                (Some(from), None) => {
                    let _ = write!(sentence, " in service on or after {from}");
                }
                (None, Some(to)) => {
                    let _ = write!(sentence, " in service by {to}, counting nothing after it");
                }
                (None, None) => {}
            }
            let _ = write!(html, "<p class=\"verdict\">{}.</p>", escape(&sentence));
        }
        html.push_str("<section><h2>Key figures</h2><dl class=\"figures\">");
        let _ = write!(
            html,
            "<div><dt>People</dt><dd>{}</dd></div>",
            self.data.n_people
        );
        for table in &self.data.tables {
            let _ = write!(
                html,
                "<div><dt>{} rows</dt><dd>{}</dd></div>",
                escape(table.table.name()),
                table.rows
            );
        }
        if let (Some(first), Some(last)) = (self.data.first_date, self.data.last_date) {
            let _ = write!(
                html,
                "<div><dt>Period covered</dt><dd>{first} to {last}</dd></div>"
            );
        }
        html.push_str("</dl>");
        if !self.data.pathways.is_empty() {
            html.push_str("<table><caption>People by pathway (counts of 1-7 shown as *, others rounded to 5)</caption><thead><tr><th scope=\"col\">Pathway</th><th scope=\"col\">People</th></tr></thead><tbody>");
            for pathway in &self.data.pathways {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    escape(&pathway.pathway),
                    pathway.n_people
                );
            }
            html.push_str("</tbody></table>");
        }
        html.push_str("</section>");
        if let Some(direction) = &self.direction_of_travel {
            direction::write_html(&mut html, direction);
        }
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
            value::write_pathways_html(&mut html, pathways);
        }
        html.push_str(METHODS_HTML);
        html.push_str("<section><h2>Data quality</h2><p class=\"meta\">This section describes rows of your own files, with their line numbers and values, for your own data-quality work. It is not disclosure-controlled: do not publish it.</p>");
        let verdict = match &v.unusable_reason {
            None => "The data can be analysed.".to_string(),
            Some(reason) => format!("The data cannot be analysed yet: {reason}"),
        };
        let _ = write!(
            html,
            "<p class=\"verdict\">{}</p><p>{} error(s) (rows left out or files not read), {} warning(s), {} note(s).</p>",
            escape(&verdict),
            v.n_errors,
            v.n_warnings,
            v.n_notes
        );
        html.push_str("<table><caption>Files</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Table</th><th scope=\"col\">Encoding</th><th scope=\"col\">Delimiter</th><th scope=\"col\">Rows read</th><th scope=\"col\">Accepted</th><th scope=\"col\">Rejected</th></tr></thead><tbody>");
        for file in &v.files {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&file.name),
                file.table.map_or("not recognised", |t| t.name()),
                file.encoding.map_or("-", |e| e.label()),
                file.delimiter.as_deref().unwrap_or("-"),
                file.rows_read,
                file.rows_accepted,
                file.rows_rejected
            );
        }
        html.push_str("</tbody></table>");
        if !v.issues.is_empty() {
            html.push_str("<table><caption>Issues, with their positions</caption><thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">File</th><th scope=\"col\">Line</th><th scope=\"col\">Column</th><th scope=\"col\">Found</th><th scope=\"col\">What it means</th></tr></thead><tbody>");
            for issue in &v.issues {
                let _ = write!(
                    html,
                    "<tr><td>{:?}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                    issue.severity,
                    escape(&issue.file),
                    issue.line.map(|l| l.to_string()).unwrap_or_default(),
                    escape(issue.column.as_deref().unwrap_or("")),
                    escape(issue.value.as_deref().unwrap_or("")),
                    escape(&issue.message),
                    issue.expected.as_ref().map(|e| format!(" Expected {}.", escape(e))).unwrap_or_default()
                );
            }
            html.push_str("</tbody></table>");
        }
        html.push_str("</section></main></body></html>\n");
        html
    }
}

/// The methods and caveats a commissioner needs beside the figures; the full account, with
/// sources and the reference tools each statistic is checked against, is docs/methods.md.
const METHODS_HTML: &str = "<section><h2>Methods and caveats</h2><ul>\
<li><strong>Reliable change</strong>: a change counts only when it reaches the measure's reliable-change threshold (NHS Talking Therapies: 6 points on PHQ-9, 4 on GAD-7; otherwise Jacobson &amp; Truax 1991 or half a standard deviation, as stated beside each figure). Recovered means reliably improved and moved across the clinical cut-off.</li>\
<li><strong>Direction of travel</strong> per person judges the whole trajectory (Theil-Sen slope, Mann-Kendall trend): setbacks are counted as fluctuation, not failure.</li>\
<li><strong>Service indicators</strong> divide by the days people were actually in service (person-months); each is an XmR chart following NHS England's Making Data Count rules, so only special-cause variation is read as change.</li>\
<li><strong>Early warning</strong> and <strong>discordance</strong> use Waymark's own screening rules, meant to start a conversation, not to score people.</li>\
<li><strong>Cost avoidance</strong> compares service use before and after the start of support, priced with the unit-cost table shown. People referred after a crisis would often have used less anyway (regression to the mean): read the difference-in-differences figure against the comparison cohort beside the simple one. Intervals come from a bootstrap of people with a fixed seed, so the figures can be reproduced.</li>\
<li><strong>Pathway comparisons</strong> are observational: pathways may differ in who they serve. Check the case-mix note and the standardised figures before drawing conclusions.</li>\
<li><strong>Small numbers</strong>: counts of 1 to 7 are shown as *, other counts are rounded to the nearest 5; percentages and rates are computed on the exact counts, and a percentage is withheld when a count behind it is suppressed.</li>\
</ul></section>";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#212b32;background:#f0f4f5}\
main{max-width:64rem;margin:0 auto;padding:1.5rem;background:#fff}h1{color:#005eb8}\
.figures{display:flex;flex-wrap:wrap;gap:1rem}.figures div{border-left:4px solid #005eb8;padding:.25rem .75rem}\
dt{font-size:.9rem;color:#4c6272}dd{margin:0;font-size:1.5rem;font-weight:600}\
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.5rem 0}\
th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}\
svg.waymark-chart{max-width:100%;height:auto}.scroll{overflow-x:auto}.verdict{font-weight:600}.meta{color:#4c6272}@media print{body{background:#fff}main{padding:0}}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}
