//! Rows of one file, parsed field by field into typed columns before they join the dataset.
//!
//! Cells are pushed straight into their column as a row is parsed; a rejected row is cut
//! off again by truncating every column to the accepted length.
//!
//! Staging exists because some decisions need the whole column: the day/month order of
//! numeric dates and the scale of goal ratings. Rows rejected at that point are dropped
//! column by column when the staged columns move into the dataset, so a large file never
//! holds two full copies of its rows.

use super::values::RawDate;

use crate::model::Label;
use chrono::NaiveDate;

/// Marker for a missing staged code.
pub const NO_CODE: u8 = u8::MAX;

/// One canonical field's values for every staged row.
#[derive(Debug)]
pub enum StagedColumn {
    /// The field is not in this file.
    Absent,
    Person(Vec<Label>),
    Text(Vec<Option<Label>>),
    /// Packed [`RawDate`]s (0 = blank), four bytes each.
    Date(Vec<u32>),
    /// Dates after the column's day/month order was settled.
    ResolvedDate(Vec<Option<NaiveDate>>),
    /// `NaN` marks a blank cell, so numbers stay eight bytes.
    Number(Vec<f64>),
    /// Event quantities, single precision to keep the largest table small.
    Quantity(Vec<f32>),
    /// Index into the field's code list, or [`NO_CODE`].
    Code(Vec<u8>),
}

/// One parsed cell, held while the rest of its row is checked.
#[derive(Clone, Copy, Debug)]
pub enum StagedValue {
    Person(Label),
    Text(Option<Label>),
    Date(Option<RawDate>),
    Number(Option<f64>),
    Code(Option<u8>),
}

impl StagedColumn {
    /// Once per cell: inlined into the row parser, where the value's kind is usually known.
    #[inline]
    pub fn push(&mut self, value: StagedValue) {
        match (self, value) {
            (StagedColumn::Person(col), StagedValue::Person(v)) => col.push(v),
            (StagedColumn::Text(col), StagedValue::Text(v)) => col.push(v),
            (StagedColumn::Date(col), StagedValue::Date(v)) => col.push(v.map_or(0, RawDate::pack)),
            (StagedColumn::Quantity(col), StagedValue::Number(v)) => {
                col.push(v.map_or(f32::NAN, |v| v as f32))
            }
            (StagedColumn::Number(col), StagedValue::Number(v)) => col.push(v.unwrap_or(f64::NAN)),
            (StagedColumn::Code(col), StagedValue::Code(v)) => col.push(v.unwrap_or(NO_CODE)),
            // Absent columns take nothing; kinds always match because both come from one FieldSpec.
            _ => {}
        }
    }

    pub fn truncate(&mut self, rows: usize) {
        match self {
            StagedColumn::Absent => {}
            StagedColumn::Person(col) => col.truncate(rows),
            StagedColumn::Text(col) => col.truncate(rows),
            StagedColumn::Date(col) => col.truncate(rows),
            StagedColumn::ResolvedDate(col) => col.truncate(rows),
            StagedColumn::Number(col) => col.truncate(rows),
            StagedColumn::Quantity(col) => col.truncate(rows),
            StagedColumn::Code(col) => col.truncate(rows),
        }
    }

    /// Makes room for `rows` more values, exactly, if the allocation can be had: the row count
    /// is an estimate from a caller's size hint, so failing to reserve is not an error.
    pub fn try_reserve_exact(&mut self, rows: usize) -> bool {
        match self {
            StagedColumn::Absent => Ok(()),
            StagedColumn::Person(col) => col.try_reserve_exact(rows),
            StagedColumn::Text(col) => col.try_reserve_exact(rows),
            StagedColumn::Date(col) => col.try_reserve_exact(rows),
            StagedColumn::ResolvedDate(col) => col.try_reserve_exact(rows),
            StagedColumn::Number(col) => col.try_reserve_exact(rows),
            StagedColumn::Quantity(col) => col.try_reserve_exact(rows),
            StagedColumn::Code(col) => col.try_reserve_exact(rows),
        }
        .is_ok()
    }
}

/// Keeps the elements whose `keep` flag is set, consuming the input.
pub fn filter_kept<T>(values: Vec<T>, keep: &[bool]) -> Vec<T> {
    if keep.iter().all(|k| *k) {
        return values;
    }
    values
        .into_iter()
        .zip(keep)
        .filter_map(|(value, keep)| keep.then_some(value))
        .collect()
}

/// Moves a staged column out, filtered by `keep`, converting each value.
pub struct Columns {
    pub columns: Vec<StagedColumn>,
    pub keep: Vec<bool>,
}

impl Columns {
    fn take(&mut self, field_idx: usize) -> StagedColumn {
        std::mem::replace(&mut self.columns[field_idx], StagedColumn::Absent)
    }

    pub fn persons(&mut self, field_idx: usize) -> Vec<Label> {
        match self.take(field_idx) {
            StagedColumn::Person(col) => filter_kept(col, &self.keep),
            _ => Vec::new(),
        }
    }

    /// A required text column: present on every kept row by construction.
    pub fn labels(&mut self, field_idx: usize) -> Vec<Label> {
        self.optional_labels(field_idx)
            .into_iter()
            .flatten()
            .collect()
    }

    pub fn optional_labels(&mut self, field_idx: usize) -> Vec<Option<Label>> {
        let n = self.kept_rows();
        match self.take(field_idx) {
            StagedColumn::Text(col) => filter_kept(col, &self.keep),
            _ => vec![None; n],
        }
    }

    /// A required date column: present on every kept row by construction.
    pub fn dates(&mut self, field_idx: usize) -> Vec<NaiveDate> {
        self.optional_dates(field_idx)
            .into_iter()
            .flatten()
            .collect()
    }

    pub fn optional_dates(&mut self, field_idx: usize) -> Vec<Option<NaiveDate>> {
        let n = self.kept_rows();
        match self.take(field_idx) {
            StagedColumn::ResolvedDate(col) => filter_kept(col, &self.keep),
            _ => vec![None; n],
        }
    }

    pub fn peek_dates(&self, field_idx: usize) -> Option<&[Option<NaiveDate>]> {
        match &self.columns[field_idx] {
            StagedColumn::ResolvedDate(col) => Some(col),
            _ => None,
        }
    }

    /// Event quantities: blank means one event.
    pub fn quantities(&mut self, field_idx: usize) -> Vec<f32> {
        let n = self.kept_rows();
        match self.take(field_idx) {
            StagedColumn::Quantity(col) => filter_kept(col, &self.keep)
                .into_iter()
                .map(|q| if q.is_nan() { 1.0 } else { q })
                .collect(),
            _ => vec![1.0; n],
        }
    }

    /// A required number column: present on every kept row by construction.
    pub fn required_numbers(&mut self, field_idx: usize) -> Vec<f64> {
        match self.take(field_idx) {
            StagedColumn::Number(col) => filter_kept(col, &self.keep),
            _ => Vec::new(),
        }
    }

    /// A coded column turned into its values: code `i` stands for `values[i]` (the order of
    /// the field's list in `assemble::code_choices`).
    pub fn coded<T: Copy>(&mut self, field_idx: usize, values: &[T]) -> Vec<Option<T>> {
        self.codes(field_idx)
            .into_iter()
            .map(|code| code.and_then(|c| values.get(usize::from(c)).copied()))
            .collect()
    }

    pub fn numbers(&mut self, field_idx: usize) -> Vec<Option<f64>> {
        let n = self.kept_rows();
        match self.take(field_idx) {
            StagedColumn::Number(col) => filter_kept(col, &self.keep)
                .into_iter()
                .map(|v| (!v.is_nan()).then_some(v))
                .collect(),
            _ => vec![None; n],
        }
    }

    pub fn codes(&mut self, field_idx: usize) -> Vec<Option<u8>> {
        let n = self.kept_rows();
        match self.take(field_idx) {
            StagedColumn::Code(col) => filter_kept(col, &self.keep)
                .into_iter()
                .map(|v| (v != NO_CODE).then_some(v))
                .collect(),
            _ => vec![None; n],
        }
    }

    pub fn kept_rows(&self) -> usize {
        self.keep.iter().filter(|k| **k).count()
    }

    /// Borrow a staged number column without consuming it (for whole-column checks).
    pub fn peek_numbers(&self, field_idx: usize) -> Option<&[f64]> {
        match &self.columns[field_idx] {
            StagedColumn::Number(col) => Some(col),
            _ => None,
        }
    }

    /// A code column to change in place (all rows, kept or not).
    pub fn codes_mut(&mut self, field_idx: usize) -> Option<&mut Vec<u8>> {
        match self.columns.get_mut(field_idx) {
            Some(StagedColumn::Code(col)) => Some(col),
            _ => None,
        }
    }

    /// A text column to change in place (all rows, kept or not).
    pub fn text_mut(&mut self, field_idx: usize) -> Option<&mut Vec<Option<Label>>> {
        match self.columns.get_mut(field_idx) {
            Some(StagedColumn::Text(col)) => Some(col),
            _ => None,
        }
    }

    pub fn peek_text(&self, field_idx: usize) -> Option<&[Option<Label>]> {
        match &self.columns[field_idx] {
            StagedColumn::Text(col) => Some(col),
            _ => None,
        }
    }
}
