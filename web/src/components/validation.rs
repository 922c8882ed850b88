//! The validation summary: the verdict and the problems that change the results (computed in
//! the core, `ValidationReport::verdict` and `::problems`), rows per table, what each file was
//! read as, and every issue grouped by problem with its file, line and column.

use std::collections::BTreeMap;
use std::rc::Rc;
use waymark_core::ingest::VerdictLevel;
use waymark_core::{Issue, IssueCode, IssueSeverity, ValidationReport};
use yew::prelude::*;

#[derive(Properties)]
pub struct ValidationSummaryProps {
    pub report: Rc<ValidationReport>,
    pub source: String,
}

/// A report never changes once built, so identity is equality.
impl PartialEq for ValidationSummaryProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && self.source == other.source
    }
}

/// Issues shown per group before "and N more".
const SHOWN_PER_GROUP: usize = 200;

#[function_component(ValidationSummary)]
pub fn validation_summary(props: &ValidationSummaryProps) -> Html {
    let report = &props.report;
    let verdict_class = match report.verdict.level {
        VerdictLevel::Ready => "verdict ok",
        VerdictLevel::ReadyWithProblems => "verdict warn",
        VerdictLevel::CannotBeAnalysed => "verdict bad",
    };
    let verdict =
        html! { <p class={verdict_class} data-testid="verdict">{ &report.verdict.headline }</p> };
    let problems = if report.problems.is_empty() {
        html! {}
    } else {
        html! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Problems that change the results (scrolls sideways on narrow screens)">
            <table class="nhsuk-table" data-testid="problems">
                <caption class="nhsuk-table__caption">{ "Problems that change the results" }</caption>
                <thead><tr>
                    <th scope="col">{ "Table" }</th><th scope="col">{ "Value" }</th>
                    <th scope="col">{ "Rows or people" }</th><th scope="col">{ "Of" }</th>
                    <th scope="col">{ "Share" }</th><th scope="col">{ "What it does" }</th>
                </tr></thead>
                <tbody>
                    { for report.problems.iter().map(|p| html! {
                        <tr data-kind={serde_json::to_string(&p.kind).unwrap_or_default().trim_matches('"').to_string()}>
                            <th scope="row">{ p.table.name() }</th>
                            <td>{ p.value.clone().unwrap_or_default() }</td>
                            <td class="count">{ p.count }</td>
                            <td class="of">{ p.of }</td>
                            <td>{ p.percent.map(|x| format!("{x}%")).unwrap_or_default() }</td>
                            <td>{ &p.effect }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        }
    };
    html! {
        <section aria-labelledby="summary-heading" data-testid="validation">
            <h2 id="summary-heading">{ "What was loaded" }</h2>
            <p class="source">{ format!("Source: {}", props.source) }</p>
            { verdict }
            { problems }
            <p data-testid="issue-totals">{ format!("{} error(s) — rows left out or files not read; {} warning(s); {} note(s).", report.n_errors, report.n_warnings, report.n_notes) }</p>
            <table class="nhsuk-table" data-testid="table-counts">
                <caption class="nhsuk-table__caption">{ "Rows accepted per table" }</caption>
                <thead><tr><th scope="col">{ "Table" }</th><th scope="col">{ "Files" }</th><th scope="col">{ "Rows" }</th></tr></thead>
                <tbody>
                    { for report.tables.iter().map(|t| html! {
                        <tr data-table={t.table.name()}>
                            <th scope="row">{ t.table.name() }</th>
                            <td class="files">{ t.files }</td>
                            <td class="rows">{ t.rows }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Files read (scrolls sideways on narrow screens)">
            <table class="nhsuk-table" data-testid="file-summaries">
                <caption class="nhsuk-table__caption">{ "How each file was read" }</caption>
                <thead><tr>
                    <th scope="col">{ "File" }</th><th scope="col">{ "Read as" }</th><th scope="col">{ "Encoding" }</th>
                    <th scope="col">{ "Delimiter" }</th><th scope="col">{ "Header line" }</th>
                    <th scope="col">{ "Rows read" }</th><th scope="col">{ "Accepted" }</th><th scope="col">{ "Rejected" }</th>
                </tr></thead>
                <tbody>
                    { for report.files.iter().map(|f| html! {
                        <tr data-file={f.name.clone()}>
                            <th scope="row">{ &f.name }</th>
                            <td>{ read_as(f) }</td>
                            <td>{ f.encoding.map_or("-", |e| e.label()) }</td>
                            <td>{ f.delimiter.as_deref().unwrap_or("-").to_string() }</td>
                            <td>{ f.header_line.map(|l| l.to_string()).unwrap_or_default() }</td>
                            <td class="read">{ f.rows_read }</td>
                            <td class="accepted">{ f.rows_accepted }</td>
                            <td class="rejected">{ f.rows_rejected }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <IssueGroups issues={report.clone()} />
        </section>
    }
}

/// What a file was read as, in the files table: its table, a wide file's shape (whose row
/// counts are then scores), or a file read only to look things up.
fn read_as(file: &waymark_core::ingest::FileSummary) -> String {
    match (file.readable, file.table, &file.wide) {
        (false, ..) => "not read".into(),
        (true, None, _) => "look-up only".into(),
        (true, Some(table), Some(wide)) => format!(
            "{}: {} rows, one column per measure (the row counts here are scores)",
            table.name(),
            wide.rows
        ),
        (true, Some(table), None) => table.name().into(),
    }
}

#[derive(Properties)]
struct IssueGroupsProps {
    issues: Rc<ValidationReport>,
}

impl PartialEq for IssueGroupsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.issues, &other.issues)
    }
}

#[function_component(IssueGroups)]
fn issue_groups(props: &IssueGroupsProps) -> Html {
    let mut groups: BTreeMap<(std::cmp::Reverse<IssueSeverity>, IssueCode), Vec<&Issue>> =
        BTreeMap::new();
    for issue in &props.issues.issues {
        groups
            .entry((std::cmp::Reverse(issue.severity), issue.code))
            .or_default()
            .push(issue);
    }
    if groups.is_empty() {
        return html! { <p data-testid="no-issues">{ "No problems found." }</p> };
    }
    html! {
        <div data-testid="issues">
            <h3>{ "Problems found, grouped" }</h3>
            { for groups.into_iter().map(|((severity, code), issues)| {
                let total = issues.len();
                html! {
                    <details class={classes!("nhsuk-details", "issue-group", severity_class(severity.0))} open={severity.0 == IssueSeverity::Error} data-code={code_name(code)}>
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{ format!("{} — {} ({total})", severity_word(severity.0), group_title(code)) }</span></summary>
                        <ul class="nhsuk-details__text">
                            { for issues.iter().take(SHOWN_PER_GROUP).map(|issue| html! { <li class="issue">{ position(issue) }<span class="message">{ &issue.message }</span>{ found(issue) }</li> }) }
                        </ul>
                        if total > SHOWN_PER_GROUP { <p>{ format!("and {} more (the CLI and the report list them all)", total - SHOWN_PER_GROUP) }</p> }
                    </details>
                }
            }) }
        </div>
    }
}

fn position(issue: &Issue) -> Html {
    let mut text = issue.file.clone();
    if let Some(line) = issue.line {
        text.push_str(&format!(", line {line}"));
    }
    if let Some(column) = &issue.column {
        text.push_str(&format!(", column \"{column}\""));
    }
    html! { <span class="position">{ text }{ ": " }</span> }
}

fn found(issue: &Issue) -> Html {
    match (&issue.value, &issue.expected) {
        (Some(value), Some(expected)) => {
            html! { <span class="found">{ format!(" Found \"{value}\"; expected {expected}.") }</span> }
        }
        (Some(value), None) => {
            html! { <span class="found">{ format!(" Found \"{value}\".") }</span> }
        }
        (None, Some(expected)) => {
            html! { <span class="found">{ format!(" Expected {expected}.") }</span> }
        }
        (None, None) => html! {},
    }
}

fn severity_word(severity: IssueSeverity) -> &'static str {
    match severity {
        IssueSeverity::Error => "Error",
        IssueSeverity::Warning => "Warning",
        IssueSeverity::Note => "Note",
    }
}

fn severity_class(severity: IssueSeverity) -> &'static str {
    match severity {
        IssueSeverity::Error => "error",
        IssueSeverity::Warning => "warning",
        IssueSeverity::Note => "note",
    }
}

fn code_name(code: IssueCode) -> String {
    serde_json::to_string(&code)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

/// One plain-words title per kind of problem.
fn group_title(code: IssueCode) -> &'static str {
    use IssueCode::*;
    match code {
        EmptyFile => "empty files",
        NotText => "files that are not CSV text",
        UnreadableWorkbook => "workbooks that could not be opened",
        HeaderOnly => "files with a header and no rows",
        NulInCell => "rows with a zero byte in a cell",
        WideOutcomes => "outcome files with a column per measure",
        FormatProfile => "known export formats",
        IncompleteItems => "questionnaires with items missing: no total",
        NoHeader => "no header row found",
        UnknownTable => "table not recognised",
        MissingRequiredColumn => "required columns missing",
        DuplicateColumn => "two columns for one field",
        UnusedColumn => "columns not used",
        UnknownMappedColumn => "mapping names a missing column",
        EncodingGuessed => "not UTF-8: read as Windows-1252",
        InvalidUtf8 => "bytes that are not UTF-8 replaced",
        SkippedTitleRows => "title rows above the header skipped",
        SkippedFooterRows => "footer rows after the data skipped",
        SeparatorLine => "Excel sep= line used",
        DateOrderAmbiguous => "day/month order cannot be proved",
        DateOrderMonthFirst => "dates are month-first",
        DateOrderContradictory => "dates mix day-first and month-first",
        IdLooksMangled => "IDs damaged by a spreadsheet",
        IdLeadingZerosLost => "IDs may have lost leading zeros",
        GoalScaleAmbiguous => "goal rating scale cannot be proved",
        UnorderedIndicator => "status indicators without an order",
        GoalScaleDetected => "goal rating scale detected",
        UnknownField => "mapping names an unknown field",
        WrongFieldCount => "rows with the wrong number of fields",
        MissingValue => "required values missing",
        InvalidDate => "dates that cannot be read",
        InvalidNumber => "numbers that cannot be read",
        InvalidCode => "values not recognised",
        OutOfRange => "values out of range",
        EndBeforeStart => "end date before start date",
        DuplicatePerson => "people listed twice",
        DuplicateRow => "rows repeated exactly",
        EmptyRow => "empty rows skipped",
        UnknownPerson => "rows for people not in the people table",
        BeforeStart => "rows dated before the person's start",
        AfterEnd => "rows dated after the person's end",
    }
}

/// The data-quality view in presentation mode: the report's own section, with its counts
/// under the export rules, and no issue list (its values come from the user's files).
pub fn presented(q: &waymark_core::report::quality::DataQualityReport) -> Html {
    let verdict_class = match q.verdict.level {
        VerdictLevel::Ready => "verdict ok",
        VerdictLevel::ReadyWithProblems => "verdict warn",
        VerdictLevel::CannotBeAnalysed => "verdict bad",
    };
    html! {
        <section aria-label="Data quality" data-testid="validation-presented">
            <p class={verdict_class} data-testid="verdict">{ &q.verdict.headline }</p>
            <ul>{ for q.problems.iter().map(|p| html! { <li>{ p.sentence() }</li> }) }</ul>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">{ "Files read (counts of 1 to 7 shown as *, others rounded to 5)" }</caption>
                <thead><tr><th scope="col">{ "File" }</th><th scope="col">{ "Table" }</th><th scope="col">{ "Rows read" }</th><th scope="col">{ "Accepted" }</th><th scope="col">{ "Left out" }</th></tr></thead>
                <tbody>{ for q.files.iter().map(|f| html! {
                    <tr><th scope="row">{ &f.name }</th><td>{ f.table.map_or("not recognised", |t| t.name()) }</td><td>{ f.rows_read.to_string() }</td><td>{ f.rows_accepted.to_string() }</td><td>{ f.rows_rejected.to_string() }</td></tr>
                }) }</tbody>
            </table>
            <p class="note">{ "Presentation mode: the list of issues, with the lines and values of your files, is hidden. Switch presentation mode off to see it." }</p>
        </section>
    }
}
