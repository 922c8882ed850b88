//! Moving a file's staged rows into the dataset's typed tables, with the checks that need a
//! whole row (end before start, a score outside its measure's range) or a whole column
//! (goal-rating scale, status orders).

use super::mapping::{ColumnResolution, FileMapping, GoalScale, MappingConfig};
use super::staging::Columns;
use super::value_map::{event_type_meaning, sort_by_rows, MeaningFrom, ValueCount, NOT_COUNTED};
use crate::issues::{Issue, IssueCode, IssueSeverity};
use crate::measures::{MeasureCatalogue, MeasureDefinition, ScoreConversion};
use crate::model::{
    Cohort, Dataset, FeedbackSource, FunctioningChange, Label, LineIndex, RowOrigin, Severity,
    Stage, TableKind,
};
use std::num::NonZeroU8;

/// Appends a column, moving it outright when the table is still empty (the usual case of one
/// file per table), so a large file's columns are never copied.
fn append<T>(dst: &mut Vec<T>, src: impl IntoIterator<Item = T>) {
    if dst.is_empty() {
        *dst = src.into_iter().collect();
    } else {
        dst.extend(src);
    }
}

/// Accepted spellings of each coded field, compared case-insensitively, with the code stored.
pub fn code_choices(field: &str) -> &'static [(&'static str, u8)] {
    match field {
        "baseline_severity" => &[
            ("low", 0),
            ("moderate", 1),
            ("medium", 1),
            ("mod", 1),
            ("high", 2),
        ],
        "cohort" => &[
            ("service", 0),
            ("intervention", 0),
            ("treatment", 0),
            ("comparison", 1),
            ("control", 1),
            ("usual care", 1),
        ],
        "stage" => &[
            ("baseline", 0),
            ("initial", 0),
            ("intake", 0),
            ("first", 0),
            ("pre", 0),
            ("start", 0),
            ("review", 1),
            ("interim", 1),
            ("follow-up", 1),
            ("follow up", 1),
            ("followup", 1),
            ("mid", 1),
            ("discharge", 2),
            ("final", 2),
            ("exit", 2),
            ("end", 2),
            ("closing", 2),
            ("post", 2),
        ],
        "severity" => &[
            ("1", 1),
            ("2", 2),
            ("3", 3),
            ("low", 1),
            ("medium", 2),
            ("moderate", 2),
            ("med", 2),
            ("high", 3),
        ],
        "plan_changed" => &[
            ("yes", 1),
            ("y", 1),
            ("true", 1),
            ("1", 1),
            ("changed", 1),
            ("no", 0),
            ("n", 0),
            ("false", 0),
            ("0", 0),
            ("unchanged", 0),
        ],
        "source" => &[
            ("person", 0),
            ("self", 0),
            ("client", 0),
            ("service user", 0),
            ("patient", 0),
            ("staff", 1),
            ("worker", 1),
            ("practitioner", 1),
            ("clinician", 1),
            ("carer", 2),
            ("family", 2),
            ("relative", 2),
        ],
        "functioning_change" => &[
            ("better", 0),
            ("improved", 0),
            ("improving", 0),
            ("same", 1),
            ("no change", 1),
            ("unchanged", 1),
            ("stable", 1),
            ("worse", 2),
            ("worsened", 2),
            ("deteriorated", 2),
            ("worsening", 2),
        ],
        _ => &[],
    }
}

/// What assembly needs to know about the file being moved in.
pub struct AssembleContext<'a> {
    pub file: &'a str,
    pub file_idx: u16,
    pub headers: &'a [String],
    pub header_line: u32,
    pub resolution: &'a ColumnResolution,
    /// Physical line of each staged row.
    pub lines: &'a LineIndex,
    pub config: &'a MappingConfig,
    /// The measure catalogue in force: each score is checked against its measure's range.
    pub measures: &'a MeasureCatalogue,
    /// The event kinds and unit costs in force, for what each event type means.
    pub rules: &'a super::rules::IngestRules,
    pub file_mapping: Option<&'a FileMapping>,
    /// A wide outcomes file: each row is one score, named by the column it came from.
    pub wide: bool,
}

impl AssembleContext<'_> {
    fn field_idx(&self, name: &str) -> usize {
        self.resolution
            .table
            .fields()
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(usize::MAX)
    }

    fn header_of(&self, name: &str) -> String {
        self.resolution
            .column_of(name)
            .and_then(|c| self.headers.get(c).cloned())
            .unwrap_or_else(|| name.to_string())
    }

    fn origins(&self, keep: &[bool]) -> Vec<RowOrigin> {
        keep.iter()
            .enumerate()
            .filter(|(_, keep)| **keep)
            .map(|(row, _)| RowOrigin {
                file_idx: self.file_idx,
                line: self.lines.line(row),
            })
            .collect()
    }

    fn reject(&self, keep: &mut [bool], row: usize, issues: &mut Vec<Issue>, issue: Issue) {
        if keep[row] {
            keep[row] = false;
            issues.push(issue.at_line(self.lines.line(row)));
        }
    }
}

/// Returns the values found in the file's coded columns with their meaning (event types).
pub fn assemble(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) -> Vec<ValueCount> {
    match ctx.resolution.table {
        TableKind::People => people(ctx, staged, dataset, issues),
        TableKind::Outcomes => return outcomes(ctx, staged, dataset, issues),
        TableKind::Events => return events(ctx, staged, dataset),
        TableKind::Goals => goals(ctx, staged, dataset, issues),
        TableKind::Status => return status(ctx, staged, dataset, issues),
        TableKind::Feedback => feedback(ctx, staged, dataset),
    }
    Vec::new()
}

fn people(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) {
    let (start_idx, end_idx) = (ctx.field_idx("start_date"), ctx.field_idx("end_date"));
    if let (Some(starts), Some(ends)) = (staged.peek_dates(start_idx), staged.peek_dates(end_idx)) {
        let bad: Vec<(usize, String)> = starts
            .iter()
            .zip(ends)
            .enumerate()
            .filter_map(|(row, (start, end))| match (start, end) {
                (Some(start), Some(end)) if end < start => {
                    Some((row, format!("{end} (start {start})")))
                }
                _ => None,
            })
            .collect();
        for (row, shown) in bad {
            let issue = Issue::new(
                IssueSeverity::Error,
                IssueCode::EndBeforeStart,
                ctx.file,
                "Row rejected: the end date is before the start date.",
            )
            .in_column(&ctx.header_of("end_date"))
            .found(&shown)
            .expected("an end date on or after the start date");
            ctx.reject(&mut staged.keep, row, issues, issue);
        }
    }
    let origins = ctx.origins(&staged.keep);
    let table = &mut dataset.people;
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.pathway, staged.labels(ctx.field_idx("pathway")));
    append(&mut table.start_date, staged.dates(start_idx));
    append(&mut table.end_date, staged.optional_dates(end_idx));
    append(
        &mut table.team,
        staged.optional_labels(ctx.field_idx("team")),
    );
    append(
        &mut table.coordinator,
        staged.optional_labels(ctx.field_idx("coordinator")),
    );
    let severities = [Severity::Low, Severity::Moderate, Severity::High];
    append(
        &mut table.baseline_severity,
        staged.coded(ctx.field_idx("baseline_severity"), &severities),
    );
    append(
        &mut table.age_band,
        staged.optional_labels(ctx.field_idx("age_band")),
    );
    append(&mut table.sex, staged.optional_labels(ctx.field_idx("sex")));
    append(
        &mut table.ethnicity,
        staged.optional_labels(ctx.field_idx("ethnicity")),
    );
    append(
        &mut table.cohort,
        staged.codes(ctx.field_idx("cohort")).into_iter().map(|c| {
            if c == Some(1) {
                Cohort::Comparison
            } else {
                Cohort::Service
            }
        }),
    );
    append(&mut table.origin, origins);
}

fn outcomes(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) -> Vec<ValueCount> {
    let (mapped, slots) = map_measures(ctx, staged, dataset);
    // In a wide file the measure as written is the score's column header.
    let written = |row: usize| -> Option<String> {
        let slot = (*slots.get(row)?)?;
        Some(dataset.text.text(mapped[slot].0).to_string())
    };
    let columns: Vec<String> = if ctx.wide {
        (0..staged.keep.len())
            .map(|row| written(row).unwrap_or_default())
            .collect()
    } else {
        Vec::new()
    };
    reject_scores_out_of_range(ctx, staged, dataset, issues, &columns);
    let values = measure_counts(ctx, staged, dataset, &mapped, &slots);
    let origins = ctx.origins(&staged.keep);
    let table = &mut dataset.outcomes;
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.date, staged.dates(ctx.field_idx("date")));
    append(&mut table.measure, staged.labels(ctx.field_idx("measure")));
    append(
        &mut table.score,
        staged.required_numbers(ctx.field_idx("score")),
    );
    let stages = [Stage::Baseline, Stage::Review, Stage::Discharge];
    append(
        &mut table.stage,
        staged.coded(ctx.field_idx("stage"), &stages),
    );
    append(&mut table.origin, origins);
    values
}

/// Gives a measure name the user mapped the measure's key, so its range check and every figure
/// use the measure chosen; returns each name as written with what it became.
/// The name each row had is kept as its slot in the returned list.
fn map_measures(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
) -> (Vec<(Label, Label, MeaningFrom)>, Vec<Option<usize>>) {
    let mut found: Vec<(Label, Label, MeaningFrom)> = Vec::new();
    let Some(column) = staged.text_mut(ctx.field_idx("measure")) else {
        return (found, Vec::new());
    };
    let mut slots = Vec::with_capacity(column.len());
    for cell in column.iter_mut() {
        let Some(label) = *cell else {
            slots.push(None);
            continue;
        };
        let slot = match found.iter().position(|(l, ..)| *l == label) {
            Some(slot) => slot,
            None => {
                let text = dataset.text.text(label).to_string();
                let choice = ctx
                    .config
                    .values
                    .measure_choice(&text)
                    .and_then(|t| ctx.measures.lookup(t));
                let (mapped, from) = match choice {
                    Some(definition) => {
                        (dataset.text.intern(&definition.key), MeaningFrom::Mapping)
                    }
                    None => (label, MeaningFrom::BuiltIn),
                };
                found.push((label, mapped, from));
                found.len() - 1
            }
        };
        *cell = Some(found[slot].1);
        slots.push(Some(slot));
    }
    (found, slots)
}

/// Each measure name as written with its accepted rows and the measure it counts as.
fn measure_counts(
    ctx: &AssembleContext<'_>,
    staged: &Columns,
    dataset: &Dataset,
    mapped: &[(Label, Label, MeaningFrom)],
    slots: &[Option<usize>],
) -> Vec<ValueCount> {
    let mut rows = vec![0usize; mapped.len()];
    for (slot, kept) in slots.iter().zip(&staged.keep) {
        if let (Some(n), true) = (slot, kept) {
            rows[*n] += 1;
        }
    }
    let mut values: Vec<ValueCount> = Vec::new();
    for ((written, to, from), rows) in mapped.iter().zip(rows) {
        if rows > 0 {
            values.push(ValueCount {
                field: "measure".into(),
                value: dataset.text.text(*written).to_string(),
                rows,
                meaning: ctx
                    .measures
                    .lookup(dataset.text.text(*to))
                    .map(|m| m.key.clone()),
                from: *from,
            });
        }
    }
    sort_by_rows(&mut values);
    values
}

/// Rejects scores that their measure cannot take: outside the catalogue's range (PHQ-9 0 to
/// 27, CORE-10 0 to 40 ...), or, for a measure converted through a table (SWEMWBS), a raw total
/// the table does not list. Measures the catalogue does not know are kept unchecked; the
/// data-quality summary lists them. The range is the catalogue's in force, so a user's
/// override or own measure is checked the same way.
fn reject_scores_out_of_range(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &Dataset,
    issues: &mut Vec<Issue>,
    wide_columns: &[String],
) {
    let (Some(measures), Some(scores)) = (
        staged.peek_text(ctx.field_idx("measure")),
        staged.peek_numbers(ctx.field_idx("score")),
    ) else {
        return;
    };
    // One catalogue look-up per measure name, not per row.
    let mut known: Vec<Option<Option<&MeasureDefinition>>> = vec![None; dataset.text.len()];
    let mut bad: Vec<(usize, &MeasureDefinition, f64)> = Vec::new();
    for (row, (measure, score)) in measures.iter().zip(scores).enumerate() {
        let (Some(measure), true) = (measure, staged.keep[row]) else {
            continue;
        };
        let Some(slot) = known.get_mut(measure.position()) else {
            continue;
        };
        let definition =
            *slot.get_or_insert_with(|| ctx.measures.lookup(dataset.text.text(*measure)));
        if let Some(definition) = definition {
            if definition.score(*score).is_none() {
                bad.push((row, definition, *score));
            }
        }
    }
    let score_header = ctx.header_of("score");
    for (row, definition, score) in bad {
        let column = wide_columns.get(row).unwrap_or(&score_header);
        let key = &definition.key;
        let (min, max) = (definition.min, definition.max);
        let (message, expected) = match &definition.conversion {
            ScoreConversion::Identity => (
                format!("Row rejected: a {key} score lies between {min} and {max}; this one is outside that range. Check the score and the measure name."),
                format!("a {key} score from {min} to {max}"),
            ),
            ScoreConversion::Table { points, .. } => {
                let low = points.iter().map(|p| p.raw).fold(f64::INFINITY, f64::min);
                let high = points.iter().map(|p| p.raw).fold(f64::NEG_INFINITY, f64::max);
                (
                    format!("Row rejected: a {key} raw total is a whole number from {low} to {high}, converted by its table to a score from {min} to {max}; this one is not in the table. Check the score and the measure name."),
                    format!("a {key} raw total: a whole number from {low} to {high}"),
                )
            }
        };
        // A wide row's other scores are kept: only this one is left out.
        let message = match (ctx.wide, message.strip_prefix("Row rejected")) {
            (true, Some(rest)) => format!("Score left out{rest}"),
            _ => message,
        };
        let issue = Issue::new(
            IssueSeverity::Error,
            IssueCode::OutOfRange,
            ctx.file,
            message,
        )
        .in_column(column)
        .found(&score.to_string())
        .expected(&expected);
        ctx.reject(&mut staged.keep, row, issues, issue);
    }
}

fn events(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
) -> Vec<ValueCount> {
    // Each event type as written is looked up once: its rows are counted, and a value the
    // user mapped becomes the canonical name they chose, here and only here.
    let written = staged.labels(ctx.field_idx("event_type"));
    let mut found: Vec<(Label, usize, Label)> = Vec::new();
    let mut event_types = Vec::with_capacity(written.len());
    for label in written {
        let slot = match found.iter().position(|(l, _, _)| *l == label) {
            Some(slot) => slot,
            None => {
                let text = dataset.text.text(label).to_string();
                let mapped = match ctx.config.values.event_type_target(&text) {
                    Some(target) => dataset.text.intern(target),
                    None => label,
                };
                found.push((label, 0, mapped));
                found.len() - 1
            }
        };
        found[slot].1 += 1;
        event_types.push(found[slot].2);
    }
    let mut values: Vec<ValueCount> = found
        .iter()
        .map(|(label, rows, _)| {
            let value = dataset.text.text(*label).to_string();
            let (meaning, from) = event_type_meaning(&value, ctx.rules, &ctx.config.values);
            ValueCount {
                field: "event_type".into(),
                value,
                rows: *rows,
                meaning,
                from,
            }
        })
        .collect();
    sort_by_rows(&mut values);

    let table = &mut dataset.events;
    for (row, _) in staged.keep.iter().enumerate().filter(|(_, keep)| **keep) {
        table.lines.push(ctx.lines.line(row));
    }
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.date, staged.dates(ctx.field_idx("date")));
    append(&mut table.event_type, event_types);
    // A blank quantity is one event; invalid quantities were rejected while reading.
    append(
        &mut table.quantity,
        staged.quantities(ctx.field_idx("quantity")),
    );
    append(
        &mut table.severity,
        staged
            .codes(ctx.field_idx("severity"))
            .into_iter()
            .map(|c| c.and_then(NonZeroU8::new)),
    );
    append(
        &mut table.follow_up,
        staged.optional_labels(ctx.field_idx("follow_up")),
    );
    table.file_runs.push((ctx.file_idx, table.person.len()));
    values
}

/// The scale of a goals file's ratings: the one declared in the mapping, else read from the
/// kept ratings (any negative: GAS; any above 2: goal-based; all within 0 to 2: GAS, with a
/// warning that it is ambiguous). A detected scale is noted.
fn goal_scale(
    ctx: &AssembleContext<'_>,
    declared: Option<GoalScale>,
    ratings: &[f64],
    keep: &[bool],
    issues: &mut Vec<Issue>,
) -> GoalScale {
    let kept_ratings = || {
        ratings
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(r, _)| *r)
    };
    let has_negative = kept_ratings().any(|r| r < 0.0);
    let has_above_gas = kept_ratings().any(|r| r > 2.0);
    match declared {
        Some(scale) => scale,
        None if has_above_gas && !has_negative => {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::GoalScaleDetected,
                    ctx.file,
                    "Goal ratings were read as goal-based outcomes (0 to 10), because some are above 2 and none is negative.",
                )
                .at_line(ctx.header_line)
                .in_column(&ctx.header_of("rating")),
            );
            GoalScale::GoalBased
        }
        None if has_negative => {
            issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::GoalScaleDetected,
                    ctx.file,
                    "Goal ratings were read as Goal Attainment Scaling (-2 to +2), because some are negative.",
                )
                .at_line(ctx.header_line)
                .in_column(&ctx.header_of("rating")),
            );
            GoalScale::Gas
        }
        None => {
            if !has_negative && !kept_ratings().any(|r| r.is_nan()) && !ratings.is_empty() {
                issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::GoalScaleAmbiguous,
                        ctx.file,
                        "Every goal rating is between 0 and 2, which fits both Goal Attainment Scaling (-2 to +2) and goal-based outcomes (0 to 10). They were read as GAS; set goal_scale = \"goal_based\" in the mapping if that is wrong.",
                    )
                    .at_line(ctx.header_line)
                    .in_column(&ctx.header_of("rating")),
                );
            }
            GoalScale::Gas
        }
    }
}

fn goals(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) {
    let rating_idx = ctx.field_idx("rating");
    let declared = ctx
        .file_mapping
        .and_then(|m| m.goal_scale)
        .or(ctx.config.goal_scale);
    let ratings: Vec<f64> = staged
        .peek_numbers(rating_idx)
        .map(<[f64]>::to_vec)
        .unwrap_or_default();
    let scale = goal_scale(ctx, declared, &ratings, &staged.keep, issues);
    let (valid, expected): (fn(f64) -> bool, &str) = match scale {
        GoalScale::Gas => (|r| r.fract() == 0.0 && (-2.0..=2.0).contains(&r), "a GAS rating: a whole number from -2 to +2 (set goal_scale in the mapping if this file uses 0-10)"),
        GoalScale::GoalBased => (|r| (0.0..=10.0).contains(&r), "a goal-based rating from 0 to 10"),
    };
    for (row, rating) in ratings.iter().enumerate() {
        if !valid(*rating) {
            let issue = Issue::new(
                IssueSeverity::Error,
                IssueCode::OutOfRange,
                ctx.file,
                "Row rejected: the rating is outside the goal scale.",
            )
            .in_column(&ctx.header_of("rating"))
            .found(&rating.to_string())
            .expected(expected);
            ctx.reject(&mut staged.keep, row, issues, issue);
        }
    }
    let origins = ctx.origins(&staged.keep);
    let n = staged.kept_rows();
    let table = &mut dataset.goals;
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.goal_id, staged.labels(ctx.field_idx("goal_id")));
    append(
        &mut table.review_date,
        staged.dates(ctx.field_idx("review_date")),
    );
    append(&mut table.rating, staged.required_numbers(rating_idx));
    append(&mut table.scale, std::iter::repeat_n(scale, n));
    append(
        &mut table.domain,
        staged.optional_labels(ctx.field_idx("domain")),
    );
    append(
        &mut table.description,
        staged.optional_labels(ctx.field_idx("description")),
    );
    append(
        &mut table.set_date,
        staged.optional_dates(ctx.field_idx("set_date")),
    );
    // Baseline and target outside the scale are blanked, not fatal: the review itself is valid.
    for field in ["baseline_rating", "target_rating"] {
        let Some(values) = staged.peek_numbers(ctx.field_idx(field)) else {
            continue;
        };
        for (row, value) in values.iter().enumerate() {
            if !value.is_nan() && !valid(*value) && staged.keep[row] {
                issues.push(
                    Issue::new(
                        IssueSeverity::Warning,
                        IssueCode::OutOfRange,
                        ctx.file,
                        "Outside the goal scale: the value was left blank and the row kept.",
                    )
                    .at_line(ctx.lines.line(row))
                    .in_column(&ctx.header_of(field))
                    .found(&value.to_string())
                    .expected(expected),
                );
            }
        }
    }
    let in_scale = |v: Option<f64>| v.filter(|v| valid(*v));
    append(
        &mut table.baseline_rating,
        staged
            .numbers(ctx.field_idx("baseline_rating"))
            .into_iter()
            .map(in_scale),
    );
    append(
        &mut table.target_rating,
        staged
            .numbers(ctx.field_idx("target_rating"))
            .into_iter()
            .map(in_scale),
    );
    append(
        &mut table.next_review_date,
        staged.optional_dates(ctx.field_idx("next_review_date")),
    );
    append(
        &mut table.plan_changed,
        staged
            .codes(ctx.field_idx("plan_changed"))
            .into_iter()
            .map(|c| c.map(|c| c == 1)),
    );
    append(
        &mut table.staff,
        staged.optional_labels(ctx.field_idx("staff")),
    );
    append(&mut table.origin, origins);
}

/// What one (indicator, value) pair as written is read as, decided once per pair.
struct StatusReading {
    indicator: Label,
    value: Label,
    rank: Option<u8>,
    /// The order it was looked for in, when the value is not in it and no choice was made.
    missing_from: Option<Vec<String>>,
    /// The indicator has no order of values.
    unordered: bool,
    from: MeaningFrom,
    rows: usize,
}

/// The indicator and value a status row as written is read as: the user's value mapping
/// first ([`ValueMapping::indicator_choice`], [`ValueMapping::status_choice`]), then the order
/// in force for the indicator.
fn read_status(
    ctx: &AssembleContext<'_>,
    dataset: &mut Dataset,
    indicator: Label,
    value: Label,
) -> StatusReading {
    let values = &ctx.config.values;
    let indicator_text = dataset.text.text(indicator).to_string();
    let indicator = match values.indicator_choice(&indicator_text) {
        Some(target) => dataset.text.intern(target),
        None => indicator,
    };
    let indicator_text = dataset.text.text(indicator).to_string();
    let value_text = dataset.text.text(value).to_string();
    let choice = values
        .status_choice(&indicator_text, &value_text)
        .map(str::to_string);
    let from = if choice.is_some() {
        MeaningFrom::Mapping
    } else {
        MeaningFrom::BuiltIn
    };
    let reading = |value, rank, missing_from, unordered| StatusReading {
        indicator,
        value,
        rank,
        missing_from,
        unordered,
        from,
        rows: 0,
    };
    let Some(order) = ctx.config.status_order(&indicator_text) else {
        return reading(value, None, None, true);
    };
    match choice.as_deref() {
        Some(NOT_COUNTED) => reading(value, None, None, false),
        Some(target) => {
            let rank = order
                .iter()
                .position(|v| v.eq_ignore_ascii_case(target.trim()));
            let value = dataset.text.intern(&target.trim().to_lowercase());
            reading(value, rank.and_then(|r| u8::try_from(r).ok()), None, false)
        }
        None => match order
            .iter()
            .position(|v| *v == value_text.trim().to_lowercase())
        {
            Some(rank) => reading(value, u8::try_from(rank).ok(), None, false),
            None => reading(value, None, Some(order), false),
        },
    }
}

fn status(
    ctx: &AssembleContext<'_>,
    staged: &mut Columns,
    dataset: &mut Dataset,
    issues: &mut Vec<Issue>,
) -> Vec<ValueCount> {
    let (indicator_idx, value_idx) = (ctx.field_idx("indicator"), ctx.field_idx("value"));
    let indicators: Vec<Option<Label>> = staged
        .peek_text(indicator_idx)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    let values: Vec<Option<Label>> = staged
        .peek_text(value_idx)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    // Each pair as written is read once; rows only look their reading up.
    let mut readings: Vec<((Label, Label), StatusReading)> = Vec::new();
    let mut lookup: std::collections::HashMap<(Label, Label), usize> =
        std::collections::HashMap::new();
    let mut row_reading: Vec<Option<usize>> = Vec::with_capacity(values.len());
    for (row, (indicator, value)) in indicators.iter().zip(&values).enumerate() {
        let (Some(indicator), Some(value), true) = (indicator, value, keep_row(&staged.keep, row))
        else {
            row_reading.push(None);
            continue;
        };
        let slot = *lookup.entry((*indicator, *value)).or_insert_with(|| {
            readings.push((
                (*indicator, *value),
                read_status(ctx, dataset, *indicator, *value),
            ));
            readings.len() - 1
        });
        readings[slot].1.rows += 1;
        row_reading.push(Some(slot));
    }
    let mut unordered: Vec<String> = Vec::new();
    for (row, slot) in row_reading.iter().enumerate() {
        let Some(slot) = slot else { continue };
        let ((_, written), reading) = &readings[*slot];
        let indicator_text = dataset.text.text(reading.indicator);
        if let Some(order) = &reading.missing_from {
            let issue = Issue::new(IssueSeverity::Error, IssueCode::InvalidCode, ctx.file, format!("Row rejected: not a {indicator_text} value Waymark knows."))
                .in_column(&ctx.header_of("value"))
                .found(dataset.text.text(*written))
                .expected(&format!("one of {} (worst to best); give it a place in the value mapping ([values.status.{indicator_text}]) or add it to status_orders", order.join(", ")));
            ctx.reject(&mut staged.keep, row, issues, issue);
        } else if reading.unordered && !unordered.iter().any(|u| u == indicator_text) {
            unordered.push(indicator_text.to_string());
        }
    }
    for indicator in unordered {
        issues.push(
            Issue::new(
                IssueSeverity::Note,
                IssueCode::UnorderedIndicator,
                ctx.file,
                format!("Indicator \"{indicator}\" has no configured order of values, so its values are kept but cannot show improvement or decline. Add it to status_orders in the mapping."),
            )
            .in_column(&ctx.header_of("indicator")),
        );
    }
    let counts = status_counts(dataset, &readings);
    let ranks = row_reading
        .iter()
        .map(|slot| slot.and_then(|s| readings[s].1.rank));
    let kept_ranks = super::staging::filter_kept(ranks.collect(), &staged.keep);
    let renamed =
        |column: Vec<Option<Label>>, pick: fn(&StatusReading) -> Label| -> Vec<Option<Label>> {
            column
                .into_iter()
                .zip(&row_reading)
                .map(|(label, slot)| slot.map(|s| pick(&readings[s].1)).or(label))
                .collect()
        };
    if let Some(column) = staged.text_mut(indicator_idx) {
        *column = renamed(std::mem::take(column), |r| r.indicator);
    }
    if let Some(column) = staged.text_mut(value_idx) {
        *column = renamed(std::mem::take(column), |r| r.value);
    }
    let origins = ctx.origins(&staged.keep);
    let table = &mut dataset.status;
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.date, staged.dates(ctx.field_idx("date")));
    append(&mut table.indicator, staged.labels(indicator_idx));
    append(&mut table.value, staged.labels(value_idx));
    append(&mut table.rank, kept_ranks);
    append(&mut table.origin, origins);
    counts
}

/// Each indicator and each status value as written, with the rows that reached the order
/// check and what they were read as (a value outside its order is `None`: its rows were
/// rejected, each with its own error).
fn status_counts(
    dataset: &Dataset,
    readings: &[((Label, Label), StatusReading)],
) -> Vec<ValueCount> {
    let mut indicators: Vec<ValueCount> = Vec::new();
    let mut values: Vec<ValueCount> = Vec::new();
    for ((indicator, value), reading) in readings {
        let canonical = dataset.text.text(reading.indicator).to_string();
        let written = dataset.text.text(*indicator).to_string();
        match indicators.iter_mut().find(|c| c.value == written) {
            Some(count) => count.rows += reading.rows,
            None => indicators.push(ValueCount {
                field: "indicator".into(),
                value: written.clone(),
                rows: reading.rows,
                meaning: (!reading.unordered).then(|| canonical.clone()),
                from: if written == canonical {
                    MeaningFrom::BuiltIn
                } else {
                    MeaningFrom::Mapping
                },
            }),
        }
        let field = format!("status.{canonical}");
        let written = dataset.text.text(*value).to_string();
        if reading.unordered {
            continue;
        }
        match values
            .iter_mut()
            .find(|c| c.field == field && c.value == written)
        {
            Some(count) => count.rows += reading.rows,
            None => values.push(ValueCount {
                field,
                value: written,
                rows: reading.rows,
                meaning: reading
                    .rank
                    .map(|_| dataset.text.text(reading.value).to_string()),
                from: reading.from,
            }),
        }
    }
    sort_by_rows(&mut indicators);
    sort_by_rows(&mut values);
    indicators.extend(values);
    indicators
}

fn keep_row(keep: &[bool], row: usize) -> bool {
    keep.get(row).copied().unwrap_or(false)
}

fn feedback(ctx: &AssembleContext<'_>, staged: &mut Columns, dataset: &mut Dataset) {
    let origins = ctx.origins(&staged.keep);
    let themes: Vec<Vec<Label>> = staged
        .optional_labels(ctx.field_idx("themes"))
        .into_iter()
        .map(|cell| match cell {
            None => Vec::new(),
            Some(label) => {
                let text = dataset.text.text(label).to_string();
                text.split([';', '|'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| dataset.text.intern(&t.to_lowercase()))
                    .collect()
            }
        })
        .collect();
    let sources = [
        FeedbackSource::Person,
        FeedbackSource::Staff,
        FeedbackSource::Carer,
    ];
    let changes = [
        FunctioningChange::Better,
        FunctioningChange::Same,
        FunctioningChange::Worse,
    ];
    let table = &mut dataset.feedback;
    append(
        &mut table.person,
        staged.persons(ctx.field_idx("person_id")),
    );
    append(&mut table.date, staged.dates(ctx.field_idx("date")));
    append(
        &mut table.source,
        staged.coded(ctx.field_idx("source"), &sources),
    );
    append(
        &mut table.self_rating,
        staged.numbers(ctx.field_idx("self_rating")),
    );
    append(
        &mut table.functioning_change,
        staged.coded(ctx.field_idx("functioning_change"), &changes),
    );
    append(&mut table.themes, themes);
    append(
        &mut table.text,
        staged.optional_labels(ctx.field_idx("text")),
    );
    append(
        &mut table.plan_adjustment,
        staged.optional_labels(ctx.field_idx("plan_adjustment")),
    );
    append(&mut table.origin, origins);
}
