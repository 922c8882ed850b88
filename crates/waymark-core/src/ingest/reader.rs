//! Reading one file: finding its header row among title, footer and empty rows, holding the
//! records until the header is known, and handing each record to `Rows`.

use super::*;

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
    pub(super) fn rows_after(&self, header_end: u64) -> Option<usize> {
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
    pub(super) file: FileInfo,
    pub(super) state: ReadState,
    /// Set when the header is found, or when the file is given up as unreadable.
    pub(super) preview: FilePreview,
}

/// What is known about a file before its records are read.
pub(super) struct FileInfo {
    pub(super) name: String,
    pub(super) file_idx: u16,
    pub(super) delimiter: u8,
    pub(super) encoding: TextEncoding,
    pub(super) file_mapping: Option<FileMapping>,
    /// Day/month order set in the mapping for this file, or for all files.
    pub(super) declared_date_order: Option<DateOrder>,
}

pub(super) enum ReadState {
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
pub(super) struct HeldRecord {
    pub(super) record: OwnedRecord,
    pub(super) line: u32,
}

/// Lines named per identifier length in the leading-zeros warning.
pub(super) const ID_LINES_KEPT: usize = 10;

/// Per-column evidence gathered while reading, for whole-column verdicts.
#[derive(Default, Clone)]
pub(super) struct ColumnEvidence {
    pub(super) date_order: DateOrderEvidence,
    pub(super) mangled_ids: Vec<u32>,
    /// Count of all-digit identifiers by length (index = digits, capped).
    pub(super) numeric_id_lengths: [u32; 24],
    /// The first lines holding an all-digit identifier of each length, to name those whose
    /// leading zeros look lost (at most [`ID_LINES_KEPT`] per length).
    pub(super) numeric_id_lines: [Vec<u32>; 24],
    pub(super) other_ids: u32,
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
pub(super) fn likeliest_header<'a>(
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
pub(super) fn preview_unrecognised(
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
