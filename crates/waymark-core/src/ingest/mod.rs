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

/// What reading a file's records needs from the session.
pub(crate) struct ReadContext<'a> {
    pub config: &'a MappingConfig,
    pub rules: &'a IngestRules,
    pub dataset: &'a mut Dataset,
    pub issues: &'a mut Vec<Issue>,
}

/// How many data rows to expect below a header, from the opening window of decoded text and
/// the expected length of the whole text, so that staged columns can be reserved once at
/// about the right size instead of doubling as they grow.
pub(crate) struct RowEstimate<'a> {
    /// The opening window of decoded text, from the start of the file.
    pub window: &'a [u8],
    /// The window is the whole text.
    pub complete: bool,
    /// The expected length of the whole decoded text, when the file size is known.
    pub text_len: Option<u64>,
}

impl RowEstimate<'_> {
    /// Rows expected after a header that ends at `header_end`; `None` when there is nothing
    /// to go on (the header lies beyond the window, or the file size is unknown).
    fn rows_after(&self, header_end: u64) -> Option<usize> {
        let rest = self.window.get(usize::try_from(header_end).ok()?..)?;
        let line_breaks = memchr::memchr_iter(b'\n', rest)
            .count()
            .max(memchr::memchr_iter(b'\r', rest).count());
        if self.complete {
            return Some(line_breaks + 1);
        }
        if line_breaks == 0 {
            return None;
        }
        let remaining = self.text_len?.saturating_sub(header_end);
        let rows = remaining as f64 * line_breaks as f64 / rest.len() as f64;
        // A little slack: a column that outgrows its reservation doubles.
        Some((rows * (1.0 + 1.0 / 32.0)) as usize + 16)
    }
}

/// Reads one file's records as they arrive: looks for the header among the first rows, then
/// parses each row into staged columns; at the end, takes the column-wide decisions and moves
/// the rows into the dataset.
pub(crate) struct FileReader {
    file: FileInfo,
    state: ReadState,
    /// Set when the header is found, or when the file is given up as unreadable.
    preview: FilePreview,
}

/// What is known about a file before its records are read.
struct FileInfo {
    name: String,
    file_idx: u16,
    delimiter: u8,
    encoding: TextEncoding,
    file_mapping: Option<FileMapping>,
    /// Day/month order set in the mapping for this file, or for all files.
    declared_date_order: Option<DateOrder>,
}

enum ReadState {
    /// Looking for the header among the first records; those above it are report titles.
    SeekingHeader {
        records: usize,
        title_lines: Vec<u32>,
        best_partial: Option<(Vec<String>, u32, ColumnResolution)>,
        /// The first record with two or more cells: the likeliest header when none is
        /// recognised, offered to the user to map.
        first_cells: Option<(Vec<String>, u32)>,
        /// The records searched so far (at most [`HEADER_SEARCH_ROWS`]) with their lines,
        /// cut for the preview, to preview an unrecognised file below its likeliest header.
        searched: Vec<(u32, Vec<String>)>,
    },
    Rows(Box<Rows>),
    /// No header in the first records: the file was explained and is not read further.
    Unreadable(FileSummary),
}

/// A record whose shape suggests a report footer, held until we know whether data follows it.
struct HeldRecord {
    record: OwnedRecord,
    line: u32,
}

/// Lines named per identifier length in the leading-zeros warning.
const ID_LINES_KEPT: usize = 10;

/// Per-column evidence gathered while reading, for whole-column verdicts.
#[derive(Default, Clone)]
struct ColumnEvidence {
    date_order: DateOrderEvidence,
    mangled_ids: Vec<u32>,
    /// Count of all-digit identifiers by length (index = digits, capped).
    numeric_id_lengths: [u32; 24],
    /// The first lines holding an all-digit identifier of each length, to name those whose
    /// leading zeros look lost (at most [`ID_LINES_KEPT`] per length).
    numeric_id_lines: [Vec<u32>; 24],
    other_ids: u32,
}

impl FileReader {
    pub(crate) fn new(
        name: &str,
        file_idx: u16,
        delimiter: u8,
        encoding: TextEncoding,
        config: &MappingConfig,
    ) -> Self {
        let file_mapping = config.for_file(name).cloned();
        let declared_date_order = file_mapping
            .as_ref()
            .and_then(|m| m.date_order)
            .or(config.date_order);
        FileReader {
            file: FileInfo {
                name: name.to_string(),
                file_idx,
                delimiter,
                encoding,
                file_mapping,
                declared_date_order,
            },
            state: ReadState::SeekingHeader {
                records: 0,
                title_lines: Vec::new(),
                best_partial: None,
                first_cells: None,
                searched: Vec::new(),
            },
            preview: FilePreview {
                file: name.to_string(),
                ..FilePreview::default()
            },
        }
    }

    /// Takes the next record, which starts on `line` and ends (with its first line terminator)
    /// at byte `end` of the text. Returns `false` when the rest of the file is not wanted.
    pub(crate) fn record(
        &mut self,
        record: Record<'_>,
        line: u32,
        end: u64,
        cx: &mut ReadContext<'_>,
        estimate: Option<&RowEstimate<'_>>,
    ) -> bool {
        let file = &self.file;
        let preview = &mut self.preview;
        let next = match &mut self.state {
            ReadState::Rows(rows) => {
                rows.record(&file.name, record, line, cx);
                return true;
            }
            ReadState::Unreadable(_) => return false,
            ReadState::SeekingHeader {
                records,
                title_lines,
                best_partial,
                first_cells,
                searched,
            } => {
                let cells: Vec<String> = record
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).trim().to_string())
                    .collect();
                let mapping = file.file_mapping.as_ref();
                let detected = mapping::detect_table(&cells, &file.name, mapping)
                    .filter(|resolution| resolution.missing_required().is_empty());
                // A wide outcomes header has an ID and a date, so it may pass for feedback.
                let wide = match &detected {
                    Some(resolution) if resolution.table != TableKind::Feedback => None,
                    _ => wide::WideLayout::detect(&cells, mapping, cx.config, &cx.rules.measures),
                };
                if let Some(layout) = wide {
                    preview.header = preview_cells(&cells);
                    let expected_rows = estimate.and_then(|e| e.rows_after(end));
                    let long_headers = layout.long_headers(&cells);
                    let resolution = mapping::resolve_columns(
                        TableKind::Outcomes,
                        &long_headers,
                        mapping.map(|m| &m.columns),
                    );
                    let mut rows = file.start_rows(
                        long_headers,
                        line,
                        resolution,
                        title_lines,
                        expected_rows.map(|r| r * layout.sources.len()),
                        &cx.config.values,
                        cx.issues,
                    );
                    rows.wide = Some(WideState::new(layout, cells));
                    self.state = ReadState::Rows(Box::new(rows));
                    return true;
                }
                match detected {
                    Some(resolution) => {
                        preview.header = preview_cells(&cells);
                        let expected_rows = estimate.and_then(|e| e.rows_after(end));
                        ReadState::Rows(Box::new(file.start_rows(
                            cells,
                            line,
                            resolution,
                            title_lines,
                            expected_rows,
                            &cx.config.values,
                            cx.issues,
                        )))
                    }
                    None => {
                        searched.push((line, preview_cells(&cells)));
                        if first_cells.is_none()
                            && cells.iter().filter(|c| !c.is_empty()).count() >= 2
                        {
                            *first_cells = Some((cells.clone(), line));
                        }
                        let closest = mapping::closest_table(&cells, mapping);
                        if closest.matched_count() >= 2
                            && best_partial.as_ref().is_none_or(|(_, _, best)| {
                                closest.matched_count() > best.matched_count()
                            })
                        {
                            *best_partial = Some((cells, line, closest));
                        }
                        title_lines.push(line);
                        *records += 1;
                        if *records < HEADER_SEARCH_ROWS {
                            return true;
                        }
                        preview_unrecognised(preview, best_partial, first_cells, searched);
                        ReadState::Unreadable(file.explain_missing_header(
                            best_partial.take(),
                            first_cells.take(),
                            cx.issues,
                        ))
                    }
                }
            }
        };
        self.state = next;
        !matches!(self.state, ReadState::Unreadable(_))
    }

    /// The file has ended: explains a missing header, or settles the columns and moves the
    /// rows into the dataset. Returns the file's summary and its preview.
    pub(crate) fn finish(self, cx: &mut ReadContext<'_>) -> (FileSummary, FilePreview) {
        let FileReader {
            file,
            state,
            mut preview,
        } = self;
        let summary = match state {
            ReadState::Unreadable(summary) => summary,
            ReadState::SeekingHeader {
                best_partial,
                first_cells,
                searched,
                ..
            } => {
                preview_unrecognised(&mut preview, &best_partial, &first_cells, &searched);
                file.explain_missing_header(best_partial, first_cells, cx.issues)
            }
            ReadState::Rows(mut rows) => {
                preview.rows = std::mem::take(&mut rows.preview_rows);
                file.finish_rows(*rows, cx)
            }
        };
        (summary, preview)
    }
}

/// The likeliest header of a file with none recognised: the closest partial match, else the
/// first row of two or more cells. Its cells and line.
fn likeliest_header<'a>(
    best_partial: &'a Option<(Vec<String>, u32, ColumnResolution)>,
    first_cells: &'a Option<(Vec<String>, u32)>,
) -> Option<(&'a [String], u32)> {
    best_partial
        .as_ref()
        .map(|(cells, line, _)| (cells.as_slice(), *line))
        .or_else(|| {
            first_cells
                .as_ref()
                .map(|(cells, line)| (cells.as_slice(), *line))
        })
}

/// Previews a file with no header recognised: its likeliest header and the rows below it.
fn preview_unrecognised(
    preview: &mut FilePreview,
    best_partial: &Option<(Vec<String>, u32, ColumnResolution)>,
    first_cells: &Option<(Vec<String>, u32)>,
    searched: &[(u32, Vec<String>)],
) {
    let Some((header, header_line)) = likeliest_header(best_partial, first_cells) else {
        return;
    };
    preview.header = preview_cells(header);
    preview.rows = searched
        .iter()
        .filter(|(line, cells)| *line > header_line && cells.iter().any(|c| !c.is_empty()))
        .take(PREVIEW_ROWS)
        .map(|(_, cells)| cells.clone())
        .collect();
}

/// How one mapped column's cells are read, decided once at the header.
struct MappedField {
    field_idx: usize,
    column: usize,
    spec: &'static FieldSpec,
    kind: CellKind,
    is_quantity: bool,
    is_self_rating: bool,
}

#[derive(Clone, Copy)]
enum CellKind {
    Person,
    Text,
    Date,
    Number,
    /// A coded field: its cells are read through the file's [`value_map::CodeValues`].
    Code,
}

impl MappedField {
    fn new(field_idx: usize, column: usize, spec: &'static FieldSpec) -> Self {
        let kind = match spec.kind {
            FieldKind::Id if spec.name == "person_id" => CellKind::Person,
            FieldKind::Id | FieldKind::Text => CellKind::Text,
            FieldKind::Date => CellKind::Date,
            FieldKind::Number => CellKind::Number,
            FieldKind::Code => CellKind::Code,
        };
        MappedField {
            field_idx,
            column,
            spec,
            kind,
            is_quantity: spec.name == "quantity",
            is_self_rating: spec.name == "self_rating",
        }
    }
}

/// A file's rows below its header, as they are read.
struct Rows {
    /// The mapped fields, in the table's field order.
    fields: Vec<MappedField>,
    headers: Vec<String>,
    header_line: u32,
    resolution: ColumnResolution,
    columns: Vec<StagedColumn>,
    evidence: Vec<ColumnEvidence>,
    /// Physical line of each staged row.
    row_lines: LineIndex,
    /// Odd-shaped rows at the end so far, which may be a footer.
    held: Vec<HeldRecord>,
    empty_lines: Vec<u32>,
    rows_read: usize,
    rows_rejected: usize,
    /// Rows accepted so far, which is the length of every staged column.
    rows_staged: usize,
    /// The last person_id read and its label.
    last_person: (Vec<u8>, Option<Label>),
    /// The first [`PREVIEW_ROWS`] data rows, cut for the preview.
    preview_rows: Vec<Vec<String>>,
    /// Per field, the distinct values of a coded column (`None` for other fields); its staged
    /// cells hold slots in it until the file is finished.
    code_values: Vec<Option<value_map::CodeValues>>,
    /// A wide outcomes file: each row is split into long records before it is parsed.
    wide: Option<WideState>,
}

/// Reading a wide outcomes file ([`wide::WideLayout`]): `headers` of [`Rows`] are then the long
/// records' header, and rows are counted as scores.
struct WideState {
    layout: wide::WideLayout,
    /// The file's own header.
    raw_headers: Vec<String>,
    incomplete: wide::Incomplete,
    /// Rows of the file read (each gives up to one score per source).
    raw_rows: usize,
}

impl WideState {
    fn new(layout: wide::WideLayout, raw_headers: Vec<String>) -> Self {
        WideState {
            layout,
            raw_headers,
            incomplete: wide::Incomplete::default(),
            raw_rows: 0,
        }
    }
}

impl Rows {
    fn record(&mut self, name: &str, record: Record<'_>, line: u32, cx: &mut ReadContext<'_>) {
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            self.empty_lines.push(line);
            return;
        }
        let n_headers = self
            .wide
            .as_ref()
            .map_or(self.headers.len(), |w| w.layout.width);
        let only_first_cell = n_headers > 1
            && record
                .iter()
                .skip(1)
                .all(|cell| cell.trim_ascii().is_empty());
        let odd = record.len() != n_headers || only_first_cell;
        if odd {
            self.held.push(HeldRecord {
                record: record.to_owned_record(),
                line,
            });
            if self.held.len() <= MAX_FOOTER_ROWS {
                return;
            }
        }
        // Data follows the odd rows, so they were not a footer: treat them as rows.
        for held in std::mem::take(&mut self.held) {
            self.row(name, held.record.as_record(), held.line, cx);
        }
        if !odd {
            self.row(name, record, line, cx);
        }
    }

    fn row(&mut self, name: &str, record: Record<'_>, line: u32, cx: &mut ReadContext<'_>) {
        if self.preview_rows.len() < PREVIEW_ROWS {
            self.preview_rows.push(preview_record(record));
        }
        match self.wide.take() {
            Some(mut wide) => {
                self.wide_row(name, record, line, cx, &mut wide);
                self.wide = Some(wide);
            }
            None => self.long_row(name, record, line, cx),
        }
    }

    /// Splits a wide row into its long records and reads each. An issue about a score names
    /// the column it came from; an issue about the row's other cells is given once, not once
    /// per score.
    fn wide_row(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
        wide: &mut WideState,
    ) {
        wide.raw_rows += 1;
        if record.len() != wide.layout.width {
            // The long records would be cut from the wrong cells: reject the row as a whole.
            self.long_row(name, record, line, cx);
            return;
        }
        let cells: Vec<&[u8]> = record.iter().collect();
        let row_issues = cx.issues.len();
        for (source, long) in wide.layout.split(&cells, line, &mut wide.incomplete) {
            let before = cx.issues.len();
            let owned = OwnedRecord::from_cells(&long);
            self.long_row(name, owned.as_record(), line, cx);
            let column = wide.layout.sources[source].describe(&wide.raw_headers);
            let mut n = before;
            while n < cx.issues.len() {
                let issue = &mut cx.issues[n];
                if issue.column.as_deref() == Some("score") {
                    issue.column = Some(column.clone());
                    if let Some(rest) = issue.message.strip_prefix("Row rejected") {
                        issue.message = format!("Score left out{rest}");
                    }
                }
                let repeated = cx.issues[row_issues..before].iter().any(|earlier| {
                    earlier.code == cx.issues[n].code && earlier.column == cx.issues[n].column
                });
                if repeated {
                    cx.issues.remove(n);
                } else {
                    n += 1;
                }
            }
        }
    }

    fn long_row(&mut self, name: &str, record: Record<'_>, line: u32, cx: &mut ReadContext<'_>) {
        self.rows_read += 1;
        if self.parse(name, record, line, cx) {
            self.row_lines.push(line);
        } else {
            self.rows_rejected += 1;
        }
    }

    /// Parses the record's mapped cells straight into the staged columns and returns whether
    /// the row is accepted; a rejected row's partial values are truncated away.
    fn parse(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
    ) -> bool {
        let n_headers = self.headers.len();
        if record.len() != n_headers {
            cx.issues.push(
                Issue::new(
                    IssueSeverity::Error,
                    IssueCode::WrongFieldCount,
                    name,
                    format!("Row rejected: it has {} field(s) but the header has {n_headers}. A delimiter or quote inside a value may be unescaped.", record.len()),
                )
                .at_line(line)
                .expected(&format!("{n_headers} fields")),
            );
            return false;
        }
        // A zero byte is in no text: a damaged cell. Its row goes, not the whole file.
        if let Some(column) = record.iter().position(|cell| cell.contains(&0)) {
            cx.issues.push(
                Issue::new(
                    IssueSeverity::Error,
                    IssueCode::NulInCell,
                    name,
                    "Row rejected: a cell holds a zero (NUL) byte, which no text contains; the export may be damaged at this row.".to_string(),
                )
                .at_line(line)
                .in_column(&self.headers.get(column).cloned().unwrap_or_default())
                .expected("text without zero bytes"),
            );
            return false;
        }
        let rows_before = self.rows_staged;
        let mut accepted = true;
        for field in &self.fields {
            let (field_idx, spec) = (field.field_idx, field.spec);
            let cell = record.get(field.column).unwrap_or_default().trim_ascii();
            let header = || self.headers.get(field.column).cloned().unwrap_or_default();
            let column = &mut self.columns[field_idx];
            if cell.is_empty() {
                if spec.required {
                    accepted = false;
                    cx.issues.push(
                        Issue::new(
                            IssueSeverity::Error,
                            IssueCode::MissingValue,
                            name,
                            format!("Row rejected: {} is required.", spec.name),
                        )
                        .at_line(line)
                        .in_column(&header())
                        .expected(spec.expected),
                    );
                }
                column.push(blank_value(spec));
                continue;
            }
            let mut reject = |code, message: &str, expected: &str| {
                accepted = false;
                cx.issues.push(cell_issue(
                    IssueSeverity::Error,
                    code,
                    name,
                    message,
                    line,
                    &header(),
                    cell,
                    expected,
                ));
            };
            let value = match field.kind {
                CellKind::Person => {
                    observe_id(cell, line, &mut self.evidence[field_idx]);
                    StagedValue::Person(intern_person(&mut self.last_person, cell, cx.dataset))
                }
                CellKind::Text => StagedValue::Text(Some(cx.dataset.text.intern_bytes(cell))),
                CellKind::Date => match values::parse_date(cell) {
                    Ok(raw) => {
                        self.evidence[field_idx].date_order.observe(raw, line);
                        StagedValue::Date(Some(raw))
                    }
                    Err(()) => {
                        reject(
                            IssueCode::InvalidDate,
                            "Row rejected: not a date Waymark can read.",
                            spec.expected,
                        );
                        StagedValue::Date(None)
                    }
                },
                CellKind::Number => match values::parse_number(cell) {
                    Ok(number) if field.is_quantity && number < 0.0 => {
                        reject(
                            IssueCode::OutOfRange,
                            "Row rejected: a quantity cannot be negative.",
                            "a count of 0 or more",
                        );
                        StagedValue::Number(None)
                    }
                    Ok(number) if field.is_self_rating && !(0.0..=10.0).contains(&number) => {
                        cx.issues.push(cell_issue(
                            IssueSeverity::Warning,
                            IssueCode::OutOfRange,
                            name,
                            "Outside the 0-10 scale: the value was left blank and the row kept.",
                            line,
                            &header(),
                            cell,
                            spec.expected,
                        ));
                        StagedValue::Number(None)
                    }
                    Ok(number) => StagedValue::Number(Some(number)),
                    Err(()) if spec.required || field.is_quantity => {
                        reject(
                            IssueCode::InvalidNumber,
                            "Row rejected: not a number.",
                            spec.expected,
                        );
                        StagedValue::Number(None)
                    }
                    Err(()) => {
                        cx.issues.push(cell_issue(
                            IssueSeverity::Warning,
                            IssueCode::InvalidNumber,
                            name,
                            "Not a number: the value was left blank and the row kept.",
                            line,
                            &header(),
                            cell,
                            spec.expected,
                        ));
                        StagedValue::Number(None)
                    }
                },
                CellKind::Code => {
                    let (slot, reading) = match self.code_values[field_idx].as_mut() {
                        Some(codes) => codes.slot(cell),
                        None => (staging::NO_CODE, value_map::CodeReading::Unknown),
                    };
                    if reading == value_map::CodeReading::Unknown {
                        cx.issues.push(cell_issue(
                            IssueSeverity::Warning,
                            IssueCode::InvalidCode,
                            name,
                            "Not a recognised value: it was left blank and the row kept. Give it a meaning in the value mapping if it has one.",
                            line,
                            &header(),
                            cell,
                            spec.expected,
                        ));
                    }
                    StagedValue::Code(Some(slot))
                }
            };
            column.push(value);
        }
        if accepted {
            self.rows_staged += 1;
        } else {
            for column in self.columns.iter_mut() {
                column.truncate(rows_before);
            }
        }
        accepted
    }
}

/// Exports are usually sorted by person, so the previous row's person is checked first.
fn intern_person(last: &mut (Vec<u8>, Option<Label>), cell: &[u8], dataset: &mut Dataset) -> Label {
    let (last_bytes, last_label) = last;
    if let Some(label) = last_label {
        if last_bytes.as_slice() == cell {
            return *label;
        }
    }
    let label = dataset.person_ids.intern_bytes(cell);
    last_bytes.clear();
    last_bytes.extend_from_slice(cell);
    *last_label = Some(label);
    label
}

#[allow(clippy::too_many_arguments)]
fn cell_issue(
    severity: IssueSeverity,
    code: IssueCode,
    file: &str,
    message: &str,
    line: u32,
    header: &str,
    cell: &[u8],
    expected: &str,
) -> Issue {
    Issue::new(severity, code, file, message)
        .at_line(line)
        .in_column(header)
        .found(&String::from_utf8_lossy(cell))
        .expected(expected)
}

/// The columns of a wide file as the summary lists them: the kept columns with their fields,
/// score and item columns as `score` read [`MatchedBy::Wide`], the rest unused.
fn wide_columns(
    wide: &WideState,
    resolution: &ColumnResolution,
    date_orders: &[Option<DateOrder>],
) -> Vec<ColumnSummary> {
    let score_columns = wide.layout.score_columns();
    wide.raw_headers
        .iter()
        .enumerate()
        .map(|(column, header)| {
            // A kept column is read at its place in the long records.
            match wide.layout.kept.iter().position(|c| *c == column) {
                Some(long_column) => mapped_column(header, long_column, resolution, date_orders),
                None => {
                    let is_score = score_columns.contains(&column);
                    ColumnSummary {
                        header: header.clone(),
                        field: is_score.then(|| "score".into()),
                        matched_by: is_score.then_some(MatchedBy::Wide),
                        date_order: None,
                    }
                }
            }
        })
        .collect()
}

/// The summary of the column at `column` of the header the rows were read with: the field it
/// feeds, how it was matched and, for a date, its day/month order.
fn mapped_column(
    header: &str,
    column: usize,
    resolution: &ColumnResolution,
    date_orders: &[Option<DateOrder>],
) -> ColumnSummary {
    let field_idx = resolution
        .field_columns
        .iter()
        .position(|c| c.is_some_and(|(col, _)| col == column));
    ColumnSummary {
        header: header.to_string(),
        field: field_idx.map(|idx| resolution.table.fields()[idx].name.into()),
        matched_by: field_idx.and_then(|idx| resolution.field_columns[idx].map(|(_, how)| how)),
        date_order: field_idx.and_then(|idx| date_orders[idx]),
    }
}

impl FileInfo {
    /// Says how a wide file was read, and which of its sets gave no total.
    fn report_wide(&self, wide: &WideState, header_line: u32, issues: &mut Vec<Issue>) {
        let sources: Vec<String> = wide
            .layout
            .sources
            .iter()
            .map(|s| s.describe(&wide.raw_headers))
            .collect();
        let mut message = format!(
            "Read as a wide outcomes file: each row is one assessment, giving one score per measure: {}.",
            sources.join("; ")
        );
        let scores = wide.layout.score_columns();
        let unused: Vec<&str> = wide
            .raw_headers
            .iter()
            .enumerate()
            .filter(|(c, h)| !h.is_empty() && !scores.contains(c) && !wide.layout.kept.contains(c))
            .map(|(_, h)| h.as_str())
            .collect();
        if !unused.is_empty() {
            message.push_str(&format!(
                " Columns not used: {} (a measure the catalogue does not know can be named in the value mapping, [values.measure]).",
                unused.join(", ")
            ));
        }
        for measure in &wide.layout.items_beside_totals {
            message.push_str(&format!(
                " The {measure} item columns were not summed, because the file has a {measure} total column."
            ));
        }
        issues.push(
            Issue::new(
                IssueSeverity::Note,
                IssueCode::WideOutcomes,
                &self.name,
                message,
            )
            .at_line(header_line),
        );
        let mut measures: Vec<&str> = Vec::new();
        for (measure, ..) in &wide.incomplete.sets {
            if !measures.contains(measure) {
                measures.push(measure);
            }
        }
        for measure in measures {
            let sets: Vec<&(&str, u32, String)> = wide
                .incomplete
                .sets
                .iter()
                .filter(|(m, ..)| *m == measure)
                .collect();
            let lines: Vec<u32> = sets.iter().map(|(_, line, _)| *line).collect();
            let (_, first_line, first_problem) = sets[0];
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::IncompleteItems,
                    &self.name,
                    format!(
                        "{} row(s) have an incomplete {measure} (lines {}): no total was computed for them, and none was guessed. The first: {first_problem}.",
                        sets.len(),
                        line_list(&lines)
                    ),
                )
                .at_line(*first_line)
                .expected("every item present, each a whole number in the item's range"),
            );
        }
        let empty = &wide.incomplete.rows_without_scores;
        if !empty.is_empty() {
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::MissingValue,
                    &self.name,
                    format!(
                        "{} row(s) have no score in any measure column (lines {}): nothing from them is counted.",
                        empty.len(),
                        line_list(empty)
                    ),
                )
                .at_line(empty[0]),
            );
        }
    }

    fn start_rows(
        &self,
        headers: Vec<String>,
        header_line: u32,
        resolution: ColumnResolution,
        title_lines: &[u32],
        expected_rows: Option<usize>,
        value_mapping: &value_map::ValueMapping,
        issues: &mut Vec<Issue>,
    ) -> Rows {
        if !title_lines.is_empty() {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::SkippedTitleRows,
                    &self.name,
                    format!(
                        "Skipped {} row(s) above the header (lines {}): report titles, not data.",
                        title_lines.len(),
                        line_list(title_lines)
                    ),
                )
                .at_line(title_lines[0]),
            );
        }
        self.report_column_mapping(&headers, header_line, &resolution, issues);
        let fields = resolution.table.fields();
        let columns: Vec<StagedColumn> = fields
            .iter()
            .zip(&resolution.field_columns)
            .map(|(spec, column)| match column {
                None => StagedColumn::Absent,
                Some(_) => {
                    let mut staged = empty_column(spec);
                    if let Some(rows) = expected_rows {
                        staged.try_reserve_exact(rows);
                    }
                    staged
                }
            })
            .collect();
        let mapped = fields
            .iter()
            .zip(&resolution.field_columns)
            .enumerate()
            .filter_map(|(field_idx, (spec, column))| {
                column.map(|(column, _)| MappedField::new(field_idx, column, spec))
            })
            .collect();
        let code_values = fields
            .iter()
            .zip(&resolution.field_columns)
            .map(|(spec, column)| {
                (column.is_some() && spec.kind == FieldKind::Code).then(|| {
                    value_map::CodeValues::new(
                        spec.name,
                        assemble::code_choices(spec.name),
                        value_mapping,
                    )
                })
            })
            .collect();
        Rows {
            wide: None,
            code_values,
            fields: mapped,
            columns,
            evidence: vec![ColumnEvidence::default(); fields.len()],
            headers,
            header_line,
            resolution,
            row_lines: LineIndex::default(),
            held: Vec::new(),
            empty_lines: Vec::new(),
            rows_read: 0,
            rows_rejected: 0,
            rows_staged: 0,
            last_person: (Vec::new(), None),
            preview_rows: Vec::new(),
        }
    }

    fn finish_rows(&self, rows: Rows, cx: &mut ReadContext<'_>) -> FileSummary {
        let Rows {
            headers,
            header_line,
            resolution,
            mut columns,
            evidence,
            row_lines,
            held,
            empty_lines,
            rows_read,
            mut rows_rejected,
            code_values,
            wide,
            ..
        } = rows;
        let table = resolution.table;
        let issues = &mut *cx.issues;
        let dataset = &mut *cx.dataset;
        if let Some(wide) = &wide {
            self.report_wide(wide, header_line, issues);
        }
        if wide.as_ref().map_or(rows_read, |w| w.raw_rows) == 0 {
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::HeaderOnly,
                    &self.name,
                    format!(
                        "The file has a header (line {header_line}) but no rows below it: nothing from it is counted. Check the export was not cut short."
                    ),
                )
                .at_line(header_line),
            );
        }
        if !held.is_empty() {
            let held_lines: Vec<u32> = held.iter().map(|h| h.line).collect();
            let first_text = held
                .first()
                .and_then(|h| h.record.as_record().get(0))
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .unwrap_or_default();
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::SkippedFooterRows,
                    &self.name,
                    format!("Skipped {} row(s) after the data (lines {}): they do not have the table's shape and look like a report footer.", held.len(), line_list(&held_lines)),
                )
                .at_line(held_lines[0])
                .found(&first_text),
            );
        }
        if !empty_lines.is_empty() {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::EmptyRow,
                    &self.name,
                    format!(
                        "Skipped {} row(s) with every cell empty (lines {}).",
                        empty_lines.len(),
                        line_list(&empty_lines)
                    ),
                )
                .at_line(empty_lines[0]),
            );
        }
        self.report_id_evidence(&headers, &resolution, &evidence, issues);

        // Column-wide decisions, then rows move into the dataset.
        let mut keep = vec![true; row_lines.len()];
        let date_orders = self.settle_dates(
            &headers,
            header_line,
            &resolution,
            &evidence,
            &mut columns,
            &row_lines,
            &mut keep,
            issues,
        );
        let mut staged = Columns { columns, keep };
        // Coded cells hold their value's slot until here: the slots are kept to count each
        // value over the rows finally accepted, and the cells become the codes stored.
        let code_slots: Vec<(&value_map::CodeValues, Vec<u8>)> = code_values
            .iter()
            .enumerate()
            .filter_map(|(field_idx, codes)| {
                let codes = codes.as_ref()?;
                let cells = staged.codes_mut(field_idx)?;
                let slots = cells.clone();
                for cell in cells.iter_mut() {
                    *cell = codes.code_of(*cell).unwrap_or(staging::NO_CODE);
                }
                Some((codes, slots))
            })
            .collect();
        let ctx = assemble::AssembleContext {
            file: &self.name,
            file_idx: self.file_idx,
            headers: &headers,
            header_line,
            resolution: &resolution,
            lines: &row_lines,
            config: cx.config,
            measures: &cx.rules.measures,
            rules: cx.rules,
            file_mapping: self.file_mapping.as_ref(),
            wide: wide.is_some(),
        };
        let mut values = assemble::assemble(&ctx, &mut staged, dataset, issues);
        for (codes, slots) in &code_slots {
            values.extend(codes.counts(slots, &staged.keep));
        }
        let rows_accepted = staged.kept_rows();
        rows_rejected += row_lines.len() - rows_accepted;

        let wide_summary = wide.as_ref().map(|w| WideSummary {
            rows: w.raw_rows,
            scores: w
                .layout
                .sources
                .iter()
                .map(|source| source.describe(&w.raw_headers))
                .collect(),
        });
        let columns = match &wide {
            Some(w) => wide_columns(w, &resolution, &date_orders),
            None => headers
                .iter()
                .enumerate()
                .map(|(column, header)| mapped_column(header, column, &resolution, &date_orders))
                .collect(),
        };
        FileSummary {
            wide: wide_summary,
            name: self.name.clone(),
            table: Some(table),
            encoding: Some(self.encoding),
            delimiter: Some(delimiter_name(self.delimiter).into()),
            header_line: Some(header_line),
            columns,
            rows_read,
            rows_accepted,
            rows_rejected,
            readable: true,
            values,
        }
    }

    /// Explains why no header was found. The summary lists the likeliest header's cells as
    /// unmapped columns (the closest partial match, else the first row of two or more cells),
    /// so the app's mapping step can offer them.
    fn explain_missing_header(
        &self,
        best_partial: Option<(Vec<String>, u32, ColumnResolution)>,
        first_cells: Option<(Vec<String>, u32)>,
        issues: &mut Vec<Issue>,
    ) -> FileSummary {
        let candidate = likeliest_header(&best_partial, &first_cells)
            .map(|(cells, line)| (cells.to_vec(), line));
        let mut summary = self.explain_missing_header_issue(best_partial, issues);
        if let Some((cells, line)) = candidate {
            summary.header_line = Some(line);
            summary.columns = cells
                .into_iter()
                .filter(|c| !c.is_empty())
                .map(|header| ColumnSummary {
                    header,
                    field: None,
                    matched_by: None,
                    date_order: None,
                })
                .collect();
        }
        summary
    }

    fn explain_missing_header_issue(
        &self,
        best_partial: Option<(Vec<String>, u32, ColumnResolution)>,
        issues: &mut Vec<Issue>,
    ) -> FileSummary {
        match best_partial {
            Some((_, line, resolution)) if resolution.missing_required().is_empty() => {
                issues.push(
                    file_error(
                        &self.name,
                        IssueCode::UnknownTable,
                        "The header names a person and a date but nothing that says which table this is. Outcomes need measure and score, events need event_type, goals need goal_id and rating, status needs indicator and value, feedback needs e.g. self_rating, themes or text; or set table = \"...\" for this file in the mapping.",
                    )
                    .at_line(line),
                );
                unreadable(&self.name, None, Some(self.encoding))
            }
            Some((_, line, resolution)) => {
                let table = resolution.table;
                let missing: Vec<&str> = resolution
                    .missing_required()
                    .iter()
                    .map(|f| f.name)
                    .collect();
                let list = missing.join(", ");
                issues.push(
                    file_error(
                        &self.name,
                        IssueCode::MissingRequiredColumn,
                        format!(
                            "This looks like a {} file, but it has no column for {list}. Add the column(s), or map your own header to {} in the mapping file, e.g. [[files]] name = \"{}\" with columns = {{ \"Your header\" = \"{}\" }}.",
                            table.name(),
                            if missing.len() == 1 { "it" } else { "each" },
                            &self.name,
                            missing.first().copied().unwrap_or("person_id"),
                        ),
                    )
                    .at_line(line)
                    .expected(&format!("columns {}", table.fields().iter().filter(|f| f.required).map(|f| f.name).collect::<Vec<_>>().join(", "))),
                );
                unreadable(&self.name, Some(table), Some(self.encoding))
            }
            None => {
                issues.push(file_error(
                    &self.name,
                    IssueCode::NoHeader,
                    format!(
                        "No header row was recognised in the first {HEADER_SEARCH_ROWS} rows. The first row of the table should name its columns, e.g. person_id,pathway,start_date for people or person_id,date,event_type for events; or say which table this is and map its columns in the mapping file."
                    ),
                ));
                unreadable(&self.name, None, Some(self.encoding))
            }
        }
    }

    fn report_column_mapping(
        &self,
        headers: &[String],
        header_line: u32,
        resolution: &ColumnResolution,
        issues: &mut Vec<Issue>,
    ) {
        for (column, field) in &resolution.duplicates {
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::DuplicateColumn,
                    &self.name,
                    format!("A second column maps to {field}; the first one was used and this one ignored."),
                )
                .at_line(header_line)
                .in_column(&headers[*column]),
            );
        }
        for header in &resolution.unknown_mapped {
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::UnknownMappedColumn,
                    &self.name,
                    "The mapping names a column this file does not have.",
                )
                .at_line(header_line)
                .found(header),
            );
        }
        for (header, field) in &resolution.unknown_fields {
            issues.push(
                Issue::new(
                    IssueSeverity::Warning,
                    IssueCode::UnknownField,
                    &self.name,
                    format!("The mapping maps \"{header}\" to \"{field}\", which is not a Waymark field; the column was not used. Check the spelling against docs/data-formats.md."),
                )
                .at_line(header_line)
                .found(field),
            );
        }
        let unused: Vec<&str> = headers
            .iter()
            .enumerate()
            .filter(|(column, header)| {
                !header.is_empty()
                    && !resolution
                        .field_columns
                        .iter()
                        .any(|c| c.is_some_and(|(col, _)| col == *column))
            })
            .filter(|(column, _)| !resolution.duplicates.iter().any(|(dup, _)| dup == column))
            .map(|(_, header)| header.as_str())
            .collect();
        if !unused.is_empty() {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::UnusedColumn,
                    &self.name,
                    format!("Column(s) not used by Waymark's {} table: {}. Map them in the mapping step if they hold one of its fields.", resolution.table.name(), unused.join(", ")),
                )
                .at_line(header_line),
            );
        }
    }

    fn report_id_evidence(
        &self,
        headers: &[String],
        resolution: &ColumnResolution,
        evidence: &[ColumnEvidence],
        issues: &mut Vec<Issue>,
    ) {
        for (field_idx, found) in evidence.iter().enumerate() {
            let Some((column, _)) = resolution.field_columns[field_idx] else {
                continue;
            };
            let header = &headers[column];
            if !found.mangled_ids.is_empty() {
                issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::IdLooksMangled,
                        &self.name,
                        format!(
                            "{} identifier(s) look like Excel turned them into scientific notation (lines {}); their digits are lost, so they cannot be matched across files. Re-export the column formatted as text.",
                            found.mangled_ids.len(),
                            line_list(&found.mangled_ids)
                        ),
                    )
                    .at_line(found.mangled_ids[0])
                    .in_column(header),
                );
            }
            let numeric: u32 = found.numeric_id_lengths.iter().sum();
            if numeric > 0 && found.other_ids == 0 {
                let modal_len = (0..found.numeric_id_lengths.len())
                    .max_by_key(|len| found.numeric_id_lengths[*len])
                    .unwrap_or(0);
                let shorter: u32 = found.numeric_id_lengths[..modal_len].iter().sum();
                if modal_len >= 6 && shorter > 0 {
                    let mut lines: Vec<u32> = found.numeric_id_lines[..modal_len]
                        .iter()
                        .flatten()
                        .copied()
                        .collect();
                    lines.sort_unstable();
                    lines.truncate(ID_LINES_KEPT);
                    let listed = lines
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    let more = (shorter as usize).saturating_sub(lines.len());
                    let more = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    let word = if lines.len() == 1 && more.is_empty() {
                        "line"
                    } else {
                        "lines"
                    };
                    let mut issue = Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::IdLeadingZerosLost,
                        &self.name,
                        format!(
                            "{shorter} identifier(s) are shorter than the usual {modal_len} digits ({word} {listed}{more}): leading zeros may have been lost in a spreadsheet, and such IDs will not match other files. Re-export the column formatted as text."
                        ),
                    )
                    .in_column(header);
                    if let Some(first) = lines.first() {
                        issue = issue.at_line(*first);
                    }
                    issues.push(issue);
                }
            }
        }
    }

    /// Decides each date column's order and resolves its cells; rows whose date does not exist
    /// in that order are rejected. Returns the order used per field.
    #[allow(clippy::too_many_arguments)]
    fn settle_dates(
        &self,
        headers: &[String],
        header_line: u32,
        resolution: &ColumnResolution,
        evidence: &[ColumnEvidence],
        columns: &mut [StagedColumn],
        row_lines: &LineIndex,
        keep: &mut [bool],
        issues: &mut Vec<Issue>,
    ) -> Vec<Option<DateOrder>> {
        let declared = self.declared_date_order;
        let mut orders = vec![None; columns.len()];
        for field_idx in 0..columns.len() {
            let StagedColumn::Date(raw) = &columns[field_idx] else {
                continue;
            };
            let Some((column, _)) = resolution.field_columns[field_idx] else {
                continue;
            };
            let header = &headers[column];
            let found = &evidence[field_idx].date_order;
            let verdict = found.verdict(declared);
            match verdict {
                OrderVerdict::AmbiguousDefaultDayFirst => issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::DateOrderAmbiguous,
                        &self.name,
                        "Every date in this column has a day of 12 or less, so day/month order cannot be proved; it was read day-first (dd/mm/yyyy, the UK default). If this export is month-first, set date_order = \"month_first\" in the mapping.",
                    )
                    .at_line(header_line)
                    .in_column(header),
                ),
                OrderVerdict::EvidentMonthFirst => issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::DateOrderMonthFirst,
                        &self.name,
                        format!(
                            "Dates in this column are month-first (mm/dd/yyyy): line {} has a second part above 12. They were read month-first; check the export's regional settings.",
                            found.first_month_first_line.unwrap_or(header_line)
                        ),
                    )
                    .at_line(header_line)
                    .in_column(header),
                ),
                OrderVerdict::Contradictory => issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::DateOrderContradictory,
                        &self.name,
                        format!(
                            "This column mixes day-first dates (e.g. line {}) with month-first ones (e.g. line {}). It was read day-first and the month-first rows were rejected; fix them at source or set date_order in the mapping.",
                            found.first_day_first_line.unwrap_or(header_line),
                            found.first_month_first_line.unwrap_or(header_line)
                        ),
                    )
                    .at_line(header_line)
                    .in_column(header),
                ),
                OrderVerdict::Settled(_) => {}
            }
            let order = verdict.order();
            orders[field_idx] = Some(order);
            for (row, packed) in raw.iter().enumerate() {
                let Some(raw_date) = RawDate::unpack(*packed) else {
                    continue;
                };
                if raw_date.resolve(order).is_none() && keep[row] {
                    keep[row] = false;
                    issues.push(
                        Issue::new(
                            IssueSeverity::Error,
                            IssueCode::InvalidDate,
                            &self.name,
                            "Row rejected: no such calendar date in this column's day/month order.",
                        )
                        .at_line(row_lines.line(row))
                        .in_column(header)
                        .found(&show_raw_date(raw_date))
                        .expected(match order {
                            DateOrder::DayFirst => "a real date, day first (dd/mm/yyyy)",
                            DateOrder::MonthFirst => "a real date, month first (mm/dd/yyyy)",
                        }),
                    );
                }
            }
            let StagedColumn::Date(raw) =
                std::mem::replace(&mut columns[field_idx], StagedColumn::Absent)
            else {
                continue;
            };
            // Four bytes in, four bytes out: the allocation is reused in place.
            let resolved: Vec<Option<chrono::NaiveDate>> = raw
                .into_iter()
                .map(|packed| RawDate::unpack(packed).and_then(|d| d.resolve(order)))
                .collect();
            columns[field_idx] = StagedColumn::ResolvedDate(resolved);
        }
        orders
    }
}

fn show_raw_date(raw: RawDate) -> String {
    match raw {
        RawDate::Complete(date) => date.to_string(),
        RawDate::Numeric {
            first,
            second,
            year,
        } => format!("{first:02}/{second:02}/{year}"),
    }
}

fn empty_column(spec: &FieldSpec) -> StagedColumn {
    match spec.kind {
        FieldKind::Id if spec.name == "person_id" => StagedColumn::Person(Vec::new()),
        FieldKind::Id | FieldKind::Text => StagedColumn::Text(Vec::new()),
        FieldKind::Date => StagedColumn::Date(Vec::new()),
        FieldKind::Number if spec.name == "quantity" => StagedColumn::Quantity(Vec::new()),
        FieldKind::Number => StagedColumn::Number(Vec::new()),
        FieldKind::Code => StagedColumn::Code(Vec::new()),
    }
}

/// Lines as "3, 4, 9" with at most ten shown.
pub(crate) fn line_list(lines: &[u32]) -> String {
    let mut shown: Vec<String> = lines.iter().take(10).map(u32::to_string).collect();
    if lines.len() > 10 {
        shown.push(format!("and {} more", lines.len() - 10));
    }
    shown.join(", ")
}

fn blank_value(spec: &FieldSpec) -> StagedValue {
    match spec.kind {
        // Only reached for rejected rows (person_id is required), so any label will do.
        FieldKind::Id if spec.name == "person_id" => StagedValue::Text(None),
        FieldKind::Id | FieldKind::Text => StagedValue::Text(None),
        FieldKind::Date => StagedValue::Date(None),
        FieldKind::Number => StagedValue::Number(None),
        FieldKind::Code => StagedValue::Code(None),
    }
}

fn observe_id(cell: &[u8], line: u32, evidence: &mut ColumnEvidence) {
    if values::id_damage(cell).is_some() {
        evidence.mangled_ids.push(line);
    }
    if cell.iter().all(u8::is_ascii_digit) {
        let len = cell.len().min(evidence.numeric_id_lengths.len() - 1);
        evidence.numeric_id_lengths[len] += 1;
        if evidence.numeric_id_lines[len].len() < ID_LINES_KEPT {
            evidence.numeric_id_lines[len].push(line);
        }
    } else {
        evidence.other_ids += 1;
    }
}
