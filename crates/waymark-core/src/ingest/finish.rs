//! A file's end: each date column's day/month order decided from the whole column, the staged
//! rows moved into the dataset, and the file's summary written.

use super::*;

impl FileInfo {
    pub(super) fn finish_rows(&self, rows: Rows, cx: &mut ReadContext<'_>) -> FileSummary {
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

    /// Decides each date column's order and resolves its cells; rows whose date does not exist
    /// in that order are rejected. Returns the order used per field.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn settle_dates(
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

pub(super) fn show_raw_date(raw: RawDate) -> String {
    match raw {
        RawDate::Complete(date) => date.to_string(),
        RawDate::Numeric {
            first,
            second,
            year,
        } => format!("{first:02}/{second:02}/{year}"),
    }
}

pub(super) fn empty_column(spec: &FieldSpec) -> StagedColumn {
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

pub(super) fn blank_value(spec: &FieldSpec) -> StagedValue {
    match spec.kind {
        // Only reached for rejected rows (person_id is required), so any label will do.
        FieldKind::Id if spec.name == "person_id" => StagedValue::Text(None),
        FieldKind::Id | FieldKind::Text => StagedValue::Text(None),
        FieldKind::Date => StagedValue::Date(None),
        FieldKind::Number => StagedValue::Number(None),
        FieldKind::Code => StagedValue::Code(None),
    }
}

pub(super) fn observe_id(cell: &[u8], line: u32, evidence: &mut ColumnEvidence) {
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
