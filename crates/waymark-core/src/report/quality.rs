//! The report's data-quality section: the verdict, the problems that change the results and
//! what was read from each file, with every count under the report's disclosure policy.
//!
//! The issue list itself (file, line, column and the value found) stays out of the report:
//! the values are the user's own data, person IDs and dates among them. It lives in the app's
//! Data quality view and in `waymark validate`, for the user's own data-quality work.

use super::{escape, push_wide_table};
use crate::disclosure::{Disclosure, ShownCount};
use crate::ingest::decode::TextEncoding;
use crate::ingest::{ProblemKind, ValidationReport, Verdict, VerdictLevel};
use crate::model::TableKind;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt::Write as _;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DataQualityReport {
    pub verdict: Verdict,
    /// False when nothing can be analysed (the verdict is `cannot_be_analysed`).
    pub usable: bool,
    pub problems: Vec<ProblemReport>,
    pub files: Vec<FileReport>,
    /// Issues found, by severity (each is a row or a file, so they are counts too).
    pub errors: ShownCount,
    pub warnings: ShownCount,
    pub notes: ShownCount,
}

/// One problem that changes the results (see `ingest::quality::DataProblem`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProblemReport {
    pub kind: ProblemKind,
    pub table: TableKind,
    /// The value concerned (an event type, an indicator, a measure name), when there is one.
    pub value: Option<String>,
    /// Rows touched (people, for `people_without_records`).
    pub count: ShownCount,
    pub of: ShownCount,
    /// Withheld when either count is suppressed.
    pub percent: Option<f64>,
    pub effect: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileReport {
    pub name: String,
    pub table: Option<TableKind>,
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<Cow<'static, str>>,
    pub rows_read: ShownCount,
    pub rows_accepted: ShownCount,
    pub rows_rejected: ShownCount,
    pub readable: bool,
}

impl ProblemReport {
    /// The problem in a commissioner's words, as a share with no row counts and no advice on
    /// configuration (the appendix and the data-quality view have both), e.g. `2.4% of the
    /// recorded events (type "incident") are not counted in any figure`.
    pub fn plain_caveat(&self) -> String {
        let share = self
            .percent
            .map(|p| format!("{p:.1}%"))
            .unwrap_or_else(|| "a small share".to_string());
        let records = match self.table {
            TableKind::People => "people",
            TableKind::Outcomes => "outcome scores",
            TableKind::Events => "recorded events",
            TableKind::Goals => "goal reviews",
            TableKind::Status => "status records",
            TableKind::Feedback => "feedback entries",
        };
        let value = self
            .value
            .as_ref()
            .map(|v| format!(" (\u{201c}{v}\u{201d})"))
            .unwrap_or_default();
        match self.kind {
            ProblemKind::RowsLeftOut => {
                format!("{share} of the {records} could not be read and are left out")
            }
            ProblemKind::PersonNotInPeopleFile => format!(
                "{share} of the {records} belong to no one in the people file and are left out"
            ),
            ProblemKind::PeopleWithoutRecords => {
                format!("{share} of people have no recorded event and no score")
            }
            ProblemKind::UnrecognisedEventType => {
                format!("{share} of the {records}{value} are of a kind no figure counts")
            }
            ProblemKind::UnrecognisedStatusIndicator | ProblemKind::UnrecognisedMeasure => {
                format!("{share} of the {records}{value} are not used by any figure")
            }
        }
    }

    /// One line for the top of a view, with the counts as this report shows them, e.g.
    /// `events "housing_visit": 505 of 20800 rows (2.4%): not counted in any service indicator`.
    pub fn sentence(&self) -> String {
        let unit = if self.kind == ProblemKind::PeopleWithoutRecords {
            "people"
        } else {
            "rows"
        };
        let value = self
            .value
            .as_ref()
            .map(|v| format!(" \"{v}\""))
            .unwrap_or_default();
        let share = self
            .percent
            .map(|p| format!(" ({p:.1}%)"))
            .unwrap_or_default();
        format!(
            "{}{value}: {} of {} {unit}{share}: {}",
            self.table.name(),
            self.count,
            self.of,
            self.effect
        )
    }
}

impl DataQualityReport {
    pub fn build(v: &ValidationReport, d: Disclosure) -> DataQualityReport {
        let count = |n: usize| d.count(n as u64);
        DataQualityReport {
            verdict: v.verdict.clone(),
            usable: v.usable,
            problems: v
                .problems
                .iter()
                .map(|p| {
                    let share = d.share(p.count as u64, p.of as u64);
                    ProblemReport {
                        kind: p.kind,
                        table: p.table,
                        value: p.value.clone(),
                        count: share.numerator,
                        of: share.denominator,
                        percent: share.percent.and(p.percent),
                        effect: p.effect.clone(),
                    }
                })
                .collect(),
            files: v
                .files
                .iter()
                .map(|f| FileReport {
                    name: f.name.clone(),
                    table: f.table,
                    encoding: f.encoding,
                    delimiter: f.delimiter.clone(),
                    rows_read: count(f.rows_read),
                    rows_accepted: count(f.rows_accepted),
                    rows_rejected: count(f.rows_rejected),
                    readable: f.readable,
                })
                .collect(),
            errors: count(v.n_errors),
            warnings: count(v.n_warnings),
            notes: count(v.n_notes),
        }
    }
}

/// The validation summary in the report's appendix on the data: verdict, problems, files and
/// issue counts (the caller writes the section around it).
pub fn write_html(html: &mut String, q: &DataQualityReport) {
    html.push_str("<h3>Validation summary</h3>");
    let verdict_class = match q.verdict.level {
        VerdictLevel::Ready => "verdict ok",
        VerdictLevel::ReadyWithProblems => "verdict warn",
        VerdictLevel::CannotBeAnalysed => "verdict bad",
    };
    let _ = write!(
        html,
        "<p class=\"{verdict_class}\">{}</p>",
        escape(&q.verdict.headline)
    );
    if !q.problems.is_empty() {
        push_wide_table(
            html,
            "Problems that change the results (counts of 1-7 shown as *, others rounded to 5)"
                .to_string(),
            &[
                "Table",
                "Value",
                "Rows or people",
                "Of",
                "Share",
                "What it does",
            ],
            q.problems
                .iter()
                .map(|p| {
                    vec![
                        p.table.name().to_string(),
                        p.value.clone().unwrap_or_default(),
                        p.count.to_string(),
                        p.of.to_string(),
                        p.percent.map_or("*".to_string(), |x| format!("{x:.1}%")),
                        p.effect.clone(),
                    ]
                })
                .collect(),
        );
    }
    push_wide_table(
        html,
        "Files read".to_string(),
        &[
            "File",
            "Table",
            "Encoding",
            "Delimiter",
            "Rows read",
            "Accepted",
            "Left out",
        ],
        q.files
            .iter()
            .map(|f| {
                vec![
                    f.name.clone(),
                    f.table.map_or("not recognised", |t| t.name()).to_string(),
                    f.encoding.map_or("-", |e| e.label()).to_string(),
                    f.delimiter.as_deref().unwrap_or("-").to_string(),
                    f.rows_read.to_string(),
                    f.rows_accepted.to_string(),
                    f.rows_rejected.to_string(),
                ]
            })
            .collect(),
    );
    let _ = write!(
        html,
        "<p>Issues found: {} error(s) (rows left out or files not read), {} warning(s), {} note(s). \
         Each issue's file, line, column and the value found are listed in Waymark's Data quality view and by \
         <code>waymark validate</code>: they hold values from your own files, so they are not part of this report.</p>",
        q.errors, q.warnings, q.notes
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The caveat for commissioners gives a share and the kind of record, never row counts.
    #[test]
    fn the_plain_caveat_is_a_share_without_counts() {
        let problem = ProblemReport {
            kind: ProblemKind::UnrecognisedEventType,
            table: TableKind::Events,
            value: Some("incident".into()),
            count: ShownCount::Shown(505),
            of: ShownCount::Shown(20800),
            percent: Some(2.43),
            effect: "not counted".into(),
        };
        assert_eq!(
            problem.plain_caveat(),
            "2.4% of the recorded events (\u{201c}incident\u{201d}) are of a kind no figure counts"
        );
        let suppressed = ProblemReport {
            kind: ProblemKind::RowsLeftOut,
            table: TableKind::Outcomes,
            value: None,
            count: ShownCount::Suppressed,
            of: ShownCount::Shown(900),
            percent: None,
            ..problem
        };
        assert_eq!(
            suppressed.plain_caveat(),
            "a small share of the outcome scores could not be read and are left out"
        );
    }
}
