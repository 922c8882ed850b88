//! What is said when a file's header is read: how its columns were mapped, why no header was
//! found, how a wide file was read, and what the identifier columns look like.

use super::*;

impl FileInfo {
    /// Says how a wide file was read, and which of its sets gave no total.
    pub(super) fn report_wide(&self, wide: &WideState, header_line: u32, issues: &mut Vec<Issue>) {
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

    pub(super) fn start_rows(
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

    /// Explains why no header was found. The summary lists the likeliest header's cells as
    /// unmapped columns (the closest partial match, else the first row of two or more cells),
    /// so the app's mapping step can offer them.
    pub(super) fn explain_missing_header(
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

    pub(super) fn explain_missing_header_issue(
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

    pub(super) fn report_column_mapping(
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

    pub(super) fn report_id_evidence(
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
}
