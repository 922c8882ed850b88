//! Ingestion: CSV exports (as bytes) in, a columnar [`Dataset`] and a [`ValidationReport`] out.
//!
//! The pipeline for each file: decode to UTF-8 ([`decode`]), find the delimiter ([`sniff`]),
//! find the header row below any title rows, recognise the table and map its columns
//! ([`mapping`]), then stream the records, parsing each cell ([`values`]) into staged typed
//! columns ([`staging`]). Column-wide decisions (date order, goal scale) are taken once the
//! file is read; then rows move into the dataset ([`assemble`]). Finally [`crosscheck`] looks
//! across tables. One bad row never stops a file, and every row left out is an issue.

pub mod assemble;
pub mod crosscheck;
pub mod decode;
pub mod mapping;
pub mod sniff;
pub mod staging;
pub mod values;

use crate::issues::{Issue, IssueCode, IssueSeverity};
use crate::model::{Dataset, FieldKind, FieldSpec, LineIndex, TableKind};
use csv::ByteRecord;
use decode::TextEncoding;
use mapping::{ColumnResolution, FileMapping, MappingConfig, MatchedBy};
use serde::Serialize;
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
}

/// What happened to each file, table and row.
#[derive(Clone, Debug, Serialize)]
pub struct ValidationReport {
    pub files: Vec<FileSummary>,
    pub tables: Vec<TableSummary>,
    pub issues: Vec<Issue>,
    pub n_errors: usize,
    pub n_warnings: usize,
    pub n_notes: usize,
    /// False when nothing can be analysed: no usable people table.
    pub usable: bool,
    /// Why the data cannot be used, in plain words, when `usable` is false.
    pub unusable_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TableSummary {
    pub table: TableKind,
    pub files: usize,
    pub rows: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    pub name: String,
    pub table: Option<TableKind>,
    pub encoding: Option<TextEncoding>,
    /// The delimiter as a printable name: "comma", "semicolon", "tab" or "pipe".
    pub delimiter: Option<&'static str>,
    pub header_line: Option<u32>,
    pub columns: Vec<ColumnSummary>,
    /// Data records read below the header (title, footer and empty rows excluded).
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    /// False when the file could not be read as a table at all.
    pub readable: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ColumnSummary {
    pub header: String,
    pub field: Option<&'static str>,
    pub matched_by: Option<MatchedBy>,
    /// For date columns: the day/month order used.
    pub date_order: Option<DateOrder>,
}

/// Rows scanned for a header before giving up.
const HEADER_SEARCH_ROWS: usize = 30;
/// At most this many odd rows at the very end are treated as a report footer.
const MAX_FOOTER_ROWS: usize = 5;

/// Reads every file into one dataset. Never panics and never aborts on a bad row.
pub fn ingest(files: &[InputFile<'_>], config: &MappingConfig) -> Ingested {
    let mut dataset = Dataset::default();
    let mut issues = Vec::new();
    let mut summaries = Vec::with_capacity(files.len());
    for (file_idx, file) in files.iter().enumerate() {
        let file_idx = u16::try_from(file_idx).unwrap_or(u16::MAX);
        summaries.push(read_file(file, file_idx, config, &mut dataset, &mut issues));
    }
    crosscheck::check(&mut dataset, &mut summaries, &mut issues);
    let report = summarise(&dataset, summaries, issues);
    Ingested { dataset, report }
}

fn summarise(
    dataset: &Dataset,
    files: Vec<FileSummary>,
    mut issues: Vec<Issue>,
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
    ValidationReport {
        files,
        tables,
        n_errors: count(IssueSeverity::Error),
        n_warnings: count(IssueSeverity::Warning),
        n_notes: count(IssueSeverity::Note),
        issues,
        usable: unusable_reason.is_none(),
        unusable_reason,
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

/// Converts csv byte offsets into the physical line numbers a text editor shows.
///
/// The csv crate's own line numbers drift after CRLF endings and blank lines, so lines are
/// counted here from byte offsets, which it reports exactly.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl LineCounter<'_> {
    /// The line of the record the csv reader says starts at `byte`. The reader reports the
    /// offset of the line terminator before a record (and before any blank lines it skipped),
    /// so terminators are stepped over first.
    fn line_at(&mut self, byte: usize) -> u32 {
        let mut byte = byte.min(self.text.len());
        while matches!(self.text.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte >= self.offset {
            self.line += count_line_breaks(self.text, self.offset, byte);
        } else {
            self.line -= count_line_breaks(self.text, byte, self.offset);
        }
        self.offset = byte;
        self.line
    }
}

/// Line breaks in `text[from..to]`: LF, CRLF (counted once) and a bare CR (classic Mac).
/// Records are short, so a plain loop beats memchr's set-up cost here.
fn count_line_breaks(text: &[u8], from: usize, to: usize) -> u32 {
    let mut count = 0;
    for idx in from..to {
        match text[idx] {
            b'\n' => count += 1,
            b'\r' if text.get(idx + 1) != Some(&b'\n') => count += 1,
            _ => {}
        }
    }
    count
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
    }
}

fn read_file(
    file: &InputFile<'_>,
    file_idx: u16,
    config: &MappingConfig,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) -> FileSummary {
    let name = file.name;
    if file.bytes.iter().all(u8::is_ascii_whitespace) {
        issues.push(file_error(
            name,
            IssueCode::EmptyFile,
            "The file is empty. Export the table again, with its header row.",
        ));
        return unreadable(name, None, None);
    }
    let (text, encoding) = decode::decode(file.bytes);
    if decode::looks_binary(&text) {
        issues.push(file_error(
            name,
            IssueCode::NotText,
            "This is not a CSV text file (it contains binary data). If it is a spreadsheet, save it as \"CSV UTF-8\" first.",
        ));
        return unreadable(name, None, Some(encoding));
    }
    if encoding == TextEncoding::Windows1252 {
        issues.push(Issue::new(
            IssueSeverity::Note,
            IssueCode::EncodingGuessed,
            name,
            "The file is not UTF-8, so it was read as Windows-1252 (Excel's plain \"CSV\"). If accented letters or £ look wrong, save it as \"CSV UTF-8\".",
        ));
    }
    let file_mapping = config.for_file(name);
    let (body_start, separator_line) = separator_line(&text);
    if let Some(sep) = separator_line {
        issues.push(
            Issue::new(
                IssueSeverity::Note,
                IssueCode::SeparatorLine,
                name,
                format!(
                    "Line 1 is Excel's \"sep={}\" hint; it was used and skipped.",
                    sep as char
                ),
            )
            .at_line(1),
        );
    }
    let body = &text[body_start..];
    let delimiter = file_mapping
        .and_then(|m| m.delimiter)
        .and_then(|c| u8::try_from(c).ok())
        .or(separator_line)
        .or_else(|| sniff::sniff_delimiter(body))
        .unwrap_or(b',');
    let reader = FileReader {
        name,
        file_idx,
        text: &text,
        body_start,
        delimiter,
        encoding,
        config,
        file_mapping,
    };
    reader.read(dataset, issues)
}

/// Excel's `sep=;` first line: returns where the CSV proper starts and the delimiter it names.
fn separator_line(text: &[u8]) -> (usize, Option<u8>) {
    let first_line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
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

struct FileReader<'a> {
    name: &'a str,
    file_idx: u16,
    text: &'a [u8],
    body_start: usize,
    delimiter: u8,
    encoding: TextEncoding,
    config: &'a MappingConfig,
    file_mapping: Option<&'a FileMapping>,
}

/// A record whose shape suggests a report footer, held until we know whether data follows it.
struct HeldRecord {
    record: ByteRecord,
    line: u32,
}

/// Per-column evidence gathered while reading, for whole-column verdicts.
#[derive(Default, Clone)]
struct ColumnEvidence {
    date_order: DateOrderEvidence,
    mangled_ids: Vec<u32>,
    /// Count of all-digit identifiers by length (index = digits, capped).
    numeric_id_lengths: [u32; 24],
    other_ids: u32,
}

impl FileReader<'_> {
    fn read(&self, dataset: &mut Dataset, issues: &mut Vec<Issue>) -> FileSummary {
        let body = &self.text[self.body_start..];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(body);
        let mut lines = LineCounter {
            text: self.text,
            offset: 0,
            line: 1,
        };
        let mut record = ByteRecord::new();

        // Find the header among the first rows; rows above it are report titles.
        let mut title_lines = Vec::new();
        let mut header: Option<(Vec<String>, u32, ColumnResolution)> = None;
        let mut best_partial: Option<(Vec<String>, u32, ColumnResolution)> = None;
        for _ in 0..HEADER_SEARCH_ROWS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) | Err(_) => break,
            }
            let line = lines.line_at(self.body_start + record_start(&record));
            let cells: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            if let Some(resolution) = mapping::detect_table(&cells, self.name, self.file_mapping) {
                if resolution.missing_required().is_empty() {
                    header = Some((cells, line, resolution));
                    break;
                }
            }
            let closest = mapping::closest_table(&cells, self.file_mapping);
            if closest.matched_count() >= 2
                && best_partial
                    .as_ref()
                    .is_none_or(|(_, _, best)| closest.matched_count() > best.matched_count())
            {
                best_partial = Some((cells, line, closest));
            }
            title_lines.push(line);
        }

        let Some((headers, header_line, resolution)) = header else {
            return self.explain_missing_header(best_partial, issues);
        };
        if !title_lines.is_empty() {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::SkippedTitleRows,
                    self.name,
                    format!(
                        "Skipped {} row(s) above the header (lines {}): report titles, not data.",
                        title_lines.len(),
                        line_list(&title_lines)
                    ),
                )
                .at_line(title_lines[0]),
            );
        }
        self.report_column_mapping(&headers, header_line, &resolution, issues);

        let table = resolution.table;
        let fields = table.fields();
        let estimated_rows = memchr::memchr_iter(b'\n', body)
            .count()
            .saturating_sub(title_lines.len());
        let mut columns: Vec<StagedColumn> = fields
            .iter()
            .zip(&resolution.field_columns)
            .map(|(spec, column)| match column {
                None => StagedColumn::Absent,
                Some(_) => {
                    let mut staged = empty_column(spec);
                    staged.reserve(estimated_rows);
                    staged
                }
            })
            .collect();
        let mut row_lines = LineIndex::default();
        let mut evidence = vec![ColumnEvidence::default(); fields.len()];
        let mut held: Vec<HeldRecord> = Vec::new();
        let mut empty_lines: Vec<u32> = Vec::new();
        let mut rows_read = 0usize;
        let mut rows_rejected = 0usize;
        let n_headers = headers.len();

        let mut row_parser = RowParser {
            reader: self,
            headers: &headers,
            last_person: (Vec::new(), None),
            rows_staged: 0,
            resolution: &resolution,
            dataset,
            issues,
        };
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(err) => {
                    row_parser.issues.push(file_error(
                        self.name,
                        IssueCode::NotText,
                        format!("The file could not be read past this point: {err}"),
                    ));
                    break;
                }
            }
            let line = lines.line_at(self.body_start + record_start(&record));
            if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                empty_lines.push(line);
                continue;
            }
            let only_first_cell = n_headers > 1
                && record
                    .iter()
                    .skip(1)
                    .all(|cell| cell.trim_ascii().is_empty());
            if record.len() != n_headers || only_first_cell {
                held.push(HeldRecord {
                    record: record.clone(),
                    line,
                });
                if held.len() <= MAX_FOOTER_ROWS {
                    continue;
                }
            }
            // Data follows the odd rows, so they were not a footer: treat them as rows.
            for held_row in held.drain(..) {
                rows_read += 1;
                if !row_parser.parse(
                    &held_row.record,
                    held_row.line,
                    n_headers,
                    &mut columns,
                    &mut evidence,
                ) {
                    rows_rejected += 1;
                    continue;
                }
                row_lines.push(held_row.line);
            }
            if record.len() != n_headers || only_first_cell {
                continue; // this record was among those just drained
            }
            rows_read += 1;
            if !row_parser.parse(&record, line, n_headers, &mut columns, &mut evidence) {
                rows_rejected += 1;
                continue;
            }
            row_lines.push(line);
        }
        let issues = row_parser.issues;
        let dataset = row_parser.dataset;
        if !held.is_empty() {
            let held_lines: Vec<u32> = held.iter().map(|h| h.line).collect();
            let first_text = held
                .first()
                .and_then(|h| h.record.get(0))
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .unwrap_or_default();
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::SkippedFooterRows,
                    self.name,
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
                    self.name,
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
        let ctx = assemble::AssembleContext {
            file: self.name,
            file_idx: self.file_idx,
            headers: &headers,
            header_line,
            resolution: &resolution,
            lines: &row_lines,
            config: self.config,
            file_mapping: self.file_mapping,
        };
        assemble::assemble(&ctx, &mut staged, dataset, issues);
        let rows_accepted = staged.kept_rows();
        rows_rejected += row_lines.len() - rows_accepted;

        FileSummary {
            name: self.name.to_string(),
            table: Some(table),
            encoding: Some(self.encoding),
            delimiter: Some(delimiter_name(self.delimiter)),
            header_line: Some(header_line),
            columns: headers
                .iter()
                .enumerate()
                .map(|(column, header)| {
                    let field_idx = resolution
                        .field_columns
                        .iter()
                        .position(|c| c.is_some_and(|(col, _)| col == column));
                    ColumnSummary {
                        header: header.clone(),
                        field: field_idx.map(|idx| fields[idx].name),
                        matched_by: field_idx
                            .and_then(|idx| resolution.field_columns[idx].map(|(_, how)| how)),
                        date_order: field_idx.and_then(|idx| date_orders[idx]),
                    }
                })
                .collect(),
            rows_read,
            rows_accepted,
            rows_rejected,
            readable: true,
        }
    }

    fn explain_missing_header(
        &self,
        best_partial: Option<(Vec<String>, u32, ColumnResolution)>,
        issues: &mut Vec<Issue>,
    ) -> FileSummary {
        match best_partial {
            Some((_, line, resolution)) if resolution.missing_required().is_empty() => {
                issues.push(
                    file_error(
                        self.name,
                        IssueCode::UnknownTable,
                        "The header names a person and a date but nothing that says which table this is. Outcomes need measure and score, events need event_type, goals need goal_id and rating, status needs indicator and value, feedback needs e.g. self_rating, themes or text; or set table = \"...\" for this file in the mapping.",
                    )
                    .at_line(line),
                );
                unreadable(self.name, None, Some(self.encoding))
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
                        self.name,
                        IssueCode::MissingRequiredColumn,
                        format!(
                            "This looks like a {} file, but it has no column for {list}. Add the column(s), or map your own header to {} in the mapping file, e.g. [[files]] name = \"{}\" with columns = {{ \"Your header\" = \"{}\" }}.",
                            table.name(),
                            if missing.len() == 1 { "it" } else { "each" },
                            self.name,
                            missing.first().copied().unwrap_or("person_id"),
                        ),
                    )
                    .at_line(line)
                    .expected(&format!("columns {}", table.fields().iter().filter(|f| f.required).map(|f| f.name).collect::<Vec<_>>().join(", "))),
                );
                unreadable(self.name, Some(table), Some(self.encoding))
            }
            None => {
                issues.push(file_error(
                    self.name,
                    IssueCode::NoHeader,
                    format!(
                        "No header row was recognised in the first {HEADER_SEARCH_ROWS} rows. The first row of the table should name its columns, e.g. person_id,pathway,start_date for people or person_id,date,event_type for events; or say which table this is and map its columns in the mapping file."
                    ),
                ));
                unreadable(self.name, None, Some(self.encoding))
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
                    self.name,
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
                    self.name,
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
                    self.name,
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
                    self.name,
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
                        self.name,
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
                    issues.push(
                        Issue::new(
                            IssueSeverity::Warning,
                            IssueCode::IdLeadingZerosLost,
                            self.name,
                            format!(
                                "{shorter} identifier(s) are shorter than the usual {modal_len} digits: leading zeros may have been lost in a spreadsheet, and such IDs will not match other files. Re-export the column formatted as text."
                            ),
                        )
                        .in_column(header),
                    );
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
        let declared = self
            .file_mapping
            .and_then(|m| m.date_order)
            .or(self.config.date_order);
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
                        self.name,
                        "Every date in this column has a day of 12 or less, so day/month order cannot be proved; it was read day-first (dd/mm/yyyy, the UK default). If this export is month-first, set date_order = \"month_first\" in the mapping.",
                    )
                    .at_line(header_line)
                    .in_column(header),
                ),
                OrderVerdict::EvidentMonthFirst => issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::DateOrderMonthFirst,
                        self.name,
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
                        self.name,
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
                            self.name,
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

fn record_start(record: &ByteRecord) -> usize {
    record.position().map_or(0, |p| p.byte() as usize)
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

/// Parses one record's mapped cells, reporting each problem at its line and column.
struct RowParser<'r, 'a> {
    reader: &'r FileReader<'a>,
    headers: &'r [String],
    /// The last person_id read and its label.
    last_person: (Vec<u8>, Option<crate::model::Label>),
    /// Rows accepted so far, which is the length of every staged column.
    rows_staged: usize,
    resolution: &'r ColumnResolution,
    dataset: &'r mut Dataset,
    issues: &'r mut Vec<Issue>,
}

impl RowParser<'_, '_> {
    /// Fills `values` (one entry per field, `None` for fields not in the file) and returns
    /// whether the row is accepted.
    /// Parses the record's mapped cells straight into the staged columns and returns whether
    /// the row is accepted; a rejected row's partial values are truncated away.
    fn parse(
        &mut self,
        record: &ByteRecord,
        line: u32,
        n_headers: usize,
        columns: &mut [StagedColumn],
        evidence: &mut [ColumnEvidence],
    ) -> bool {
        let name = self.reader.name;
        if record.len() != n_headers {
            self.issues.push(
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
        let rows_before = self.rows_staged;
        let table = self.resolution.table;
        let mut accepted = true;
        for (field_idx, spec) in table.fields().iter().enumerate() {
            let Some((column, _)) = self.resolution.field_columns[field_idx] else {
                continue;
            };
            let cell = record.get(column).unwrap_or_default().trim_ascii();
            let header = || self.headers.get(column).cloned().unwrap_or_default();
            if cell.is_empty() {
                if spec.required {
                    accepted = false;
                    self.issues.push(
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
                columns[field_idx].push(blank_value(spec));
                continue;
            }
            let value = match spec.kind {
                FieldKind::Id if spec.name == "person_id" => {
                    observe_id(cell, line, &mut evidence[field_idx]);
                    StagedValue::Person(self.intern_person(cell))
                }
                FieldKind::Id | FieldKind::Text => {
                    StagedValue::Text(Some(self.dataset.text.intern_bytes(cell)))
                }
                FieldKind::Date => match values::parse_date(cell) {
                    Ok(raw) => {
                        evidence[field_idx].date_order.observe(raw, line);
                        StagedValue::Date(Some(raw))
                    }
                    Err(()) => {
                        accepted = false;
                        self.reject(
                            IssueCode::InvalidDate,
                            "Row rejected: not a date Waymark can read.",
                            line,
                            &header(),
                            cell,
                            spec.expected,
                        );
                        StagedValue::Date(None)
                    }
                },
                FieldKind::Number => {
                    match values::parse_number(cell) {
                        Ok(number) if spec.name == "quantity" && number < 0.0 => {
                            accepted = false;
                            self.reject(
                                IssueCode::OutOfRange,
                                "Row rejected: a quantity cannot be negative.",
                                line,
                                &header(),
                                cell,
                                "a count of 0 or more",
                            );
                            StagedValue::Number(None)
                        }
                        Ok(number)
                            if spec.name == "self_rating" && !(0.0..=10.0).contains(&number) =>
                        {
                            self.warn_blanked(IssueCode::OutOfRange, "Outside the 0-10 scale: the value was left blank and the row kept.", line, &header(), cell, spec.expected);
                            StagedValue::Number(None)
                        }
                        Ok(number) => StagedValue::Number(Some(number)),
                        Err(()) if spec.required || spec.name == "quantity" => {
                            accepted = false;
                            self.reject(
                                IssueCode::InvalidNumber,
                                "Row rejected: not a number.",
                                line,
                                &header(),
                                cell,
                                spec.expected,
                            );
                            StagedValue::Number(None)
                        }
                        Err(()) => {
                            self.warn_blanked(
                                IssueCode::InvalidNumber,
                                "Not a number: the value was left blank and the row kept.",
                                line,
                                &header(),
                                cell,
                                spec.expected,
                            );
                            StagedValue::Number(None)
                        }
                    }
                }
                FieldKind::Code => {
                    match values::parse_code(cell, assemble::code_choices(spec.name)) {
                        Some(code) => StagedValue::Code(Some(code)),
                        None => {
                            self.warn_blanked(
                                IssueCode::InvalidCode,
                                "Not a recognised value: it was left blank and the row kept.",
                                line,
                                &header(),
                                cell,
                                spec.expected,
                            );
                            StagedValue::Code(None)
                        }
                    }
                }
            };
            columns[field_idx].push(value);
        }
        if accepted {
            self.rows_staged += 1;
        } else {
            for column in columns.iter_mut() {
                column.truncate(rows_before);
            }
        }
        accepted
    }

    /// Exports are usually sorted by person, so the previous row's person is checked first.
    fn intern_person(&mut self, cell: &[u8]) -> crate::model::Label {
        let (last_bytes, last_label) = &mut self.last_person;
        if let Some(label) = last_label {
            if last_bytes.as_slice() == cell {
                return *label;
            }
        }
        let label = self.dataset.person_ids.intern_bytes(cell);
        last_bytes.clear();
        last_bytes.extend_from_slice(cell);
        *last_label = Some(label);
        label
    }

    fn reject(
        &mut self,
        code: IssueCode,
        message: &str,
        line: u32,
        header: &str,
        cell: &[u8],
        expected: &str,
    ) {
        self.issues.push(
            Issue::new(IssueSeverity::Error, code, self.reader.name, message)
                .at_line(line)
                .in_column(header)
                .found(&String::from_utf8_lossy(cell))
                .expected(expected),
        );
    }

    fn warn_blanked(
        &mut self,
        code: IssueCode,
        message: &str,
        line: u32,
        header: &str,
        cell: &[u8],
        expected: &str,
    ) {
        self.issues.push(
            Issue::new(IssueSeverity::Warning, code, self.reader.name, message)
                .at_line(line)
                .in_column(header)
                .found(&String::from_utf8_lossy(cell))
                .expected(expected),
        );
    }
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
    } else {
        evidence.other_ids += 1;
    }
}
