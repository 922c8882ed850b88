//! One record parsed straight into staged columns: each mapped cell read by its field's kind,
//! wide rows split into long records, and every problem an issue with its line and column.

use super::*;

/// How one mapped column's cells are read, decided once at the header.
pub(super) struct MappedField {
    pub(super) field_idx: usize,
    pub(super) column: usize,
    pub(super) spec: &'static FieldSpec,
    pub(super) kind: CellKind,
    pub(super) is_quantity: bool,
    pub(super) is_self_rating: bool,
}

#[derive(Clone, Copy)]
pub(super) enum CellKind {
    Person,
    Text,
    Date,
    Number,
    /// A coded field: its cells are read through the file's [`value_map::CodeValues`].
    Code,
}

impl MappedField {
    pub(super) fn new(field_idx: usize, column: usize, spec: &'static FieldSpec) -> Self {
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
pub(super) struct Rows {
    /// The mapped fields, in the table's field order.
    pub(super) fields: Vec<MappedField>,
    pub(super) headers: Vec<String>,
    pub(super) header_line: u32,
    pub(super) resolution: ColumnResolution,
    pub(super) columns: Vec<StagedColumn>,
    pub(super) evidence: Vec<ColumnEvidence>,
    /// Physical line of each staged row.
    pub(super) row_lines: LineIndex,
    /// Odd-shaped rows at the end so far, which may be a footer.
    pub(super) held: Vec<HeldRecord>,
    pub(super) empty_lines: Vec<u32>,
    pub(super) rows_read: usize,
    pub(super) rows_rejected: usize,
    /// Rows accepted so far, which is the length of every staged column.
    pub(super) rows_staged: usize,
    /// The last person_id read and its label.
    pub(super) last_person: (Vec<u8>, Option<Label>),
    /// The first [`PREVIEW_ROWS`] data rows, cut for the preview.
    pub(super) preview_rows: Vec<Vec<String>>,
    /// Per field, the distinct values of a coded column (`None` for other fields); its staged
    /// cells hold slots in it until the file is finished.
    pub(super) code_values: Vec<Option<value_map::CodeValues>>,
    /// A wide outcomes file: each row is split into long records before it is parsed.
    pub(super) wide: Option<WideState>,
}

/// Reading a wide outcomes file ([`wide::WideLayout`]): `headers` of [`Rows`] are then the long
/// records' header, and rows are counted as scores.
pub(super) struct WideState {
    pub(super) layout: wide::WideLayout,
    /// The file's own header.
    pub(super) raw_headers: Vec<String>,
    pub(super) incomplete: wide::Incomplete,
    /// Rows of the file read (each gives up to one score per source).
    pub(super) raw_rows: usize,
}

impl WideState {
    pub(super) fn new(layout: wide::WideLayout, raw_headers: Vec<String>) -> Self {
        WideState {
            layout,
            raw_headers,
            incomplete: wide::Incomplete::default(),
            raw_rows: 0,
        }
    }
}

impl Rows {
    pub(super) fn record(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
    ) {
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

    pub(super) fn row(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
    ) {
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
    pub(super) fn wide_row(
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

    pub(super) fn long_row(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
    ) {
        self.rows_read += 1;
        if self.parse(name, record, line, cx) {
            self.row_lines.push(line);
        } else {
            self.rows_rejected += 1;
        }
    }

    /// Whether the record can be read at all: it has as many fields as the header, and no
    /// zero byte (a damaged cell: its row goes, not the whole file). Each refusal is an issue.
    #[inline]
    fn record_is_whole(
        &self,
        name: &str,
        record: &Record<'_>,
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
        let damaged = || record.iter().position(|cell| cell.contains(&0));
        if let Some(column) = record.contains_byte(0).then(damaged).flatten() {
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
        true
    }

    /// Parses the record's mapped cells straight into the staged columns and returns whether
    /// the row is accepted; a rejected row's partial values are truncated away.
    pub(super) fn parse(
        &mut self,
        name: &str,
        record: Record<'_>,
        line: u32,
        cx: &mut ReadContext<'_>,
    ) -> bool {
        if !self.record_is_whole(name, &record, line, cx) {
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
pub(super) fn intern_person(
    last: &mut (Vec<u8>, Option<Label>),
    cell: &[u8],
    dataset: &mut Dataset,
) -> Label {
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
pub(super) fn cell_issue(
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
pub(super) fn wide_columns(
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
pub(super) fn mapped_column(
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
