//! Ingestion: CSV exports (as bytes) in, a columnar [`Dataset`] and a [`ValidationReport`] out.
//!
//! Files arrive whole ([`ingest`]) or as chunks of any size ([`IngestSession`]); either way
//! each file streams through the same steps, so it never has to be in memory as a whole.
//! The pipeline for each file: decide the encoding from the opening bytes (unless the
//! mapping sets it) and decode ([`decode`]), find the delimiter ([`sniff`]), split the text into records with their
//! physical lines ([`records`]), find the header row below any title rows, recognise the
//! table and map its columns ([`mapping`]), then parse each row's cells ([`values`]) into
//! staged typed columns ([`staging`]). Column-wide decisions (date order, goal scale) are
//! taken once the file is read; then rows move into the dataset ([`assemble`]). Finally
//! [`crosscheck`] looks across tables. One bad row never stops a file, and every row left
//! out is an issue.

pub mod assemble;
pub mod crosscheck;
pub mod decode;
pub mod formats;
pub mod mapping;
pub mod mhsds;
pub mod quality;
pub mod records;
pub mod rules;
pub mod session;
pub mod sniff;
pub mod staging;
pub mod value_map;
pub mod values;
pub mod wide;
pub mod workbook;

mod finish;
mod header;
mod reader;
mod rows;

use finish::{blank_value, empty_column, line_list, observe_id};
pub(crate) use reader::*;
use rows::*;

use crate::issues::{Issue, IssueCode, IssueSeverity};
use crate::model::{Dataset, FieldKind, FieldSpec, Label, LineIndex, TableKind};
use decode::TextEncoding;
use mapping::{ColumnResolution, FileMapping, MappingConfig, MatchedBy};
pub use quality::{DataProblem, ProblemKind, Verdict, VerdictLevel};
use records::{OwnedRecord, Record};
pub use rules::IngestRules;
use serde::{Deserialize, Serialize};
pub use session::IngestSession;
use staging::{Columns, StagedColumn, StagedValue};
use values::{DateOrder, DateOrderEvidence, OrderVerdict, RawDate};

/// One file as the user supplied it.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The dataset and everything noticed while building it.
#[derive(Debug)]
pub struct Ingested {
    pub dataset: Dataset,
    pub report: ValidationReport,
    /// The opening rows of each file, one per file in the order of `report.files`, for the
    /// mapping step. Person-level: never part of the report.
    pub previews: Vec<FilePreview>,
}

/// Data rows kept per file for the preview.
pub const PREVIEW_ROWS: usize = 5;
/// Longest preview cell, in characters; longer cells are cut and end with "…".
pub const PREVIEW_CELL_CHARS: usize = 80;

/// The opening of one file as it was read: the header row's cells and the first
/// [`PREVIEW_ROWS`] data rows below it, as text after decoding and splitting into cells (quotes
/// removed, surrounding spaces trimmed) and before any value is parsed.
///
/// For a file recognised as a table the rows are the first data rows below its header, whether
/// or not they were accepted (empty rows and a report footer are left out). For a file not
/// recognised, the header is the likeliest header row (the one its validation summary lists)
/// and the rows are the non-empty rows that follow it among those searched. A file that is
/// empty or not text has an empty header and no rows. Rows may have more or fewer cells than
/// the header. Cells are cut to [`PREVIEW_CELL_CHARS`] characters.
///
/// Holds people's data: for the user's own screen, never for the exported report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilePreview {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A cell as the preview shows it: trimmed and cut to [`PREVIEW_CELL_CHARS`] characters.
fn preview_cell(cell: &str) -> String {
    let cell = cell.trim();
    match cell.char_indices().nth(PREVIEW_CELL_CHARS) {
        None => cell.to_string(),
        Some(_) => {
            let cut = cell
                .char_indices()
                .nth(PREVIEW_CELL_CHARS - 1)
                .map_or(cell.len(), |(at, _)| at);
            format!("{}…", &cell[..cut])
        }
    }
}

fn preview_record(record: Record<'_>) -> Vec<String> {
    record
        .iter()
        .map(|cell| preview_cell(&String::from_utf8_lossy(cell)))
        .collect()
}

fn preview_cells(cells: &[String]) -> Vec<String> {
    cells.iter().map(|cell| preview_cell(cell)).collect()
}

/// What happened to each file, table and row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ValidationReport {
    pub files: Vec<FileSummary>,
    /// Known export formats the files look like, and whether their profile was in force
    /// ([`formats`]).
    // Never skipped when empty: the worker's MessagePack messages are positional.
    #[serde(default)]
    pub formats: Vec<formats::FormatMatch>,
    pub tables: Vec<TableSummary>,
    pub issues: Vec<Issue>,
    pub n_errors: usize,
    pub n_warnings: usize,
    pub n_notes: usize,
    /// Ready, ready with problems, or cannot be analysed, with its headline (see
    /// [`quality`] for the rules). Computed once, when ingestion finishes.
    pub verdict: Verdict,
    /// Problems that change the results, with their row counts, for the top of the
    /// data-quality view: rows left out, rows for people not in the people file, people with
    /// no events or scores, and values the analysis does not recognise.
    pub problems: Vec<DataProblem>,
    /// False when nothing can be analysed: the same as `verdict.level` being
    /// `cannot_be_analysed` (kept for callers that only need yes or no).
    pub usable: bool,
    /// Why the data cannot be used, in plain words, when `usable` is false (`verdict.reason`).
    pub unusable_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TableSummary {
    pub table: TableKind,
    pub files: usize,
    pub rows: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub table: Option<TableKind>,
    /// The encoding the file was read with: detected from its opening bytes, or the one set
    /// for it in the mapping (`FileMapping::encoding`), which takes precedence. The summary
    /// does not say which; an `encoding_guessed` note accompanies a detected Windows-1252 only.
    pub encoding: Option<TextEncoding>,
    /// The delimiter as a printable name: "comma", "semicolon", "tab" or "pipe".
    pub delimiter: Option<std::borrow::Cow<'static, str>>,
    pub header_line: Option<u32>,
    pub columns: Vec<ColumnSummary>,
    /// Data records read below the header (title, footer and empty rows excluded).
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    /// False when the file could not be read as a table at all.
    pub readable: bool,
    /// The values found in its coded columns (event types), with their rows and meaning, for
    /// the mapping step's value mapping ([`value_map`]).
    #[serde(default)]
    pub values: Vec<value_map::ValueCount>,
    /// For a wide outcomes file ([`wide`]): its rows, and where its scores come from. Its
    /// `rows_read`, `rows_accepted` and `rows_rejected` then count scores.
    #[serde(default)]
    pub wide: Option<WideSummary>,
}

/// How a wide outcomes file was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WideSummary {
    /// Rows below the header (assessments), each giving up to one score per source.
    pub rows: usize,
    /// Each source of scores as the user sees it: a column's header, "PHQ-9 items 1-9", or
    /// the Recovery Star total.
    pub scores: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ColumnSummary {
    pub header: String,
    pub field: Option<std::borrow::Cow<'static, str>>,
    pub matched_by: Option<MatchedBy>,
    /// For date columns: the day/month order used.
    pub date_order: Option<DateOrder>,
}

/// Rows scanned for a header before giving up.
const HEADER_SEARCH_ROWS: usize = 30;
/// At most this many odd rows at the very end are treated as a report footer.
const MAX_FOOTER_ROWS: usize = 5;

/// Reads every file into one dataset. Never panics and never aborts on a bad row.
///
/// Each file goes through an [`IngestSession`] in one piece; the result is the same as
/// pushing it in chunks of any size.
pub fn ingest(files: &[InputFile<'_>], config: &MappingConfig) -> Ingested {
    ingest_with(files, config, &IngestRules::default())
}

/// [`ingest`] with the measure catalogue and analysis settings of a configuration, so that
/// scores are checked against the ranges in force and the data-quality summary knows which
/// event types, indicators and measures the analysis will count. Callers that hold a
/// [`Config`](crate::config::Config) should use this, with [`IngestRules::from_config`].
pub fn ingest_with(
    files: &[InputFile<'_>],
    config: &MappingConfig,
    rules: &IngestRules,
) -> Ingested {
    let mut session = IngestSession::with_rules(config.clone(), rules.clone());
    for file in files {
        session.begin_file(file.name, Some(file.bytes.len() as u64));
        session.push(file.bytes);
        session.end_file();
    }
    session.finish()
}

fn summarise(
    dataset: &Dataset,
    files: Vec<FileSummary>,
    mut issues: Vec<Issue>,
    rules: &IngestRules,
) -> ValidationReport {
    // Read like the files: by file, whole-file issues first, then by line.
    issues.sort_by_key(|issue| (files.iter().position(|f| f.name == issue.file), issue.line));
    let tables = TableKind::ALL
        .into_iter()
        .map(|table| TableSummary {
            table,
            files: files
                .iter()
                .filter(|f| f.table == Some(table) && f.readable)
                .count(),
            rows: dataset.row_count(table),
        })
        .collect();
    let count = |severity| issues.iter().filter(|i| i.severity == severity).count();
    let unusable_reason = if files.is_empty() {
        Some("No files were given.".to_string())
    } else if !files
        .iter()
        .any(|f| f.table == Some(TableKind::People) && f.readable)
    {
        Some("No people file was recognised. Waymark needs one, with at least person_id, pathway and start_date columns.".to_string())
    } else if dataset.people.person.is_empty() {
        Some("The people file has no valid rows: see the errors listed for it.".to_string())
    } else {
        None
    };
    let (verdict, problems) = quality::assess(dataset, &files, rules, unusable_reason);
    ValidationReport {
        formats: Vec::new(),
        files,
        tables,
        n_errors: count(IssueSeverity::Error),
        n_warnings: count(IssueSeverity::Warning),
        n_notes: count(IssueSeverity::Note),
        issues,
        usable: verdict.level != VerdictLevel::CannotBeAnalysed,
        unusable_reason: verdict.reason.clone(),
        verdict,
        problems,
    }
}

fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        b':' => "colon",
        b' ' => "space",
        _ => "other",
    }
}

/// The summary of a file read only to look things up (an MHSDS team-type table): read, but
/// no table of its own.
fn lookup_summary(raw: &mhsds::RawTable) -> FileSummary {
    FileSummary {
        name: raw.name.clone(),
        table: None,
        encoding: Some(raw.encoding),
        delimiter: Some(delimiter_name(raw.delimiter).into()),
        header_line: Some(raw.header_line),
        columns: raw
            .header
            .iter()
            .map(|header| ColumnSummary {
                header: header.clone(),
                field: None,
                matched_by: None,
                date_order: None,
            })
            .collect(),
        rows_read: raw.rows.len(),
        rows_accepted: raw.rows.len(),
        rows_rejected: 0,
        readable: true,
        values: Vec::new(),
        wide: None,
    }
}

fn file_error(name: &str, code: IssueCode, message: impl Into<String>) -> Issue {
    Issue::new(IssueSeverity::Error, code, name, message)
}

fn unreadable(name: &str, table: Option<TableKind>, encoding: Option<TextEncoding>) -> FileSummary {
    FileSummary {
        name: name.to_string(),
        table,
        encoding,
        delimiter: None,
        header_line: None,
        columns: Vec::new(),
        rows_read: 0,
        rows_accepted: 0,
        rows_rejected: 0,
        readable: false,
        values: Vec::new(),
        wide: None,
    }
}

/// Excel's `sep=;` first line: returns where the CSV proper starts and the delimiter it names.
///
/// `text` is the opening of the file; when it is not `complete` and holds no line break, the
/// first line is longer than it and so cannot be a `sep=` line.
fn separator_line(text: &[u8], complete: bool) -> (usize, Option<u8>) {
    let first_line_end = match memchr::memchr(b'\n', text) {
        Some(end) => end,
        None if complete => text.len(),
        None => return (0, None),
    };
    let first_line = text[..first_line_end].trim_ascii();
    match first_line {
        [s, e, p, b'=', delimiter]
            if s.eq_ignore_ascii_case(&b's')
                && e.eq_ignore_ascii_case(&b'e')
                && p.eq_ignore_ascii_case(&b'p') =>
        {
            ((first_line_end + 1).min(text.len()), Some(*delimiter))
        }
        _ => (0, None),
    }
}
