//! Validation issues: what went wrong or was noticed while reading, and exactly where.
//!
//! Every issue names the file, and where it applies to a row or column, the physical line
//! (as a text editor numbers it), the column header as written in the file, the value found
//! and what was expected. Every rejected row has at least one issue of severity `Error` at
//! its line (a row can have several, one per bad cell); the per-file row counts in the
//! report say how many rows were left out.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueSeverity {
    /// Something the user may want to know; nothing was lost.
    Note,
    /// A value was not used, or something looks wrong, but the row was kept.
    Warning,
    /// A row was rejected, or a file could not be read.
    Error,
}

/// The kind of problem, so the app can group issues and explain each group once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    // Whole-file problems.
    EmptyFile,
    NotText,
    /// A workbook (.xlsx, .xls, .ods) that could not be opened.
    UnreadableWorkbook,
    /// A file with a header and no rows.
    HeaderOnly,
    NoHeader,
    UnknownTable,
    MissingRequiredColumn,
    DuplicateColumn,
    UnusedColumn,
    UnknownMappedColumn,
    EncodingGuessed,
    /// A file read as UTF-8 has invalid bytes after its opening window.
    InvalidUtf8,
    SkippedTitleRows,
    SkippedFooterRows,
    SeparatorLine,
    DateOrderAmbiguous,
    DateOrderMonthFirst,
    DateOrderContradictory,
    IdLooksMangled,
    IdLeadingZerosLost,
    GoalScaleAmbiguous,
    UnorderedIndicator,
    GoalScaleDetected,
    UnknownField,
    /// A wide outcomes file: read as one score per measure column per row.
    WideOutcomes,
    /// Files read with, or looking like, a format profile (MHSDS, Outcomes Star).
    FormatProfile,
    // Row problems.
    WrongFieldCount,
    MissingValue,
    InvalidDate,
    InvalidNumber,
    InvalidCode,
    OutOfRange,
    EndBeforeStart,
    DuplicatePerson,
    DuplicateRow,
    EmptyRow,
    /// A cell with a zero (NUL) byte.
    NulInCell,
    /// Questionnaire items (or Star areas) with some blank or invalid: no total computed.
    IncompleteItems,
    // Cross-table checks.
    UnknownPerson,
    BeforeStart,
    AfterEnd,
}

/// One finding, positioned as precisely as it can be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: IssueSeverity,
    pub code: IssueCode,
    /// The file's name as given by the user.
    pub file: String,
    /// Physical line, 1-based; `None` for whole-file issues.
    pub line: Option<u32>,
    /// The column header as it appears in the file.
    pub column: Option<String>,
    /// The offending value, as found (truncated if very long).
    pub value: Option<String>,
    /// What a valid value would look like.
    pub expected: Option<String>,
    /// A plain-words explanation, including how to fix it where that is not obvious.
    pub message: String,
}

const MAX_VALUE_CHARS: usize = 80;

impl Issue {
    pub fn new(
        severity: IssueSeverity,
        code: IssueCode,
        file: &str,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            severity,
            code,
            file: file.to_string(),
            line: None,
            column: None,
            value: None,
            expected: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    pub fn in_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    pub fn found(mut self, value: &str) -> Self {
        let mut shown: String = value.chars().take(MAX_VALUE_CHARS).collect();
        if shown.len() < value.len() {
            shown.push('…');
        }
        self.value = Some(shown);
        self
    }

    pub fn expected(mut self, expected: &str) -> Self {
        self.expected = Some(expected.to_string());
        self
    }
}

impl fmt::Display for Issue {
    /// `events.csv line 14, column "Date": found "31/02/2024", expected a date …: message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            IssueSeverity::Note => "note",
            IssueSeverity::Warning => "warning",
            IssueSeverity::Error => "error",
        };
        write!(f, "{severity}: {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(value) = &self.value {
            write!(f, " (found \"{value}\"")?;
            match &self.expected {
                Some(expected) => write!(f, "; expected {expected})")?,
                None => write!(f, ")")?,
            }
        } else if let Some(expected) = &self.expected {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_value_and_expectation() {
        let issue = Issue::new(
            IssueSeverity::Error,
            IssueCode::InvalidDate,
            "events.csv",
            "row rejected: not a date",
        )
        .at_line(14)
        .in_column("Date")
        .found("31/02/2024")
        .expected("a date such as 2024-03-31");
        assert_eq!(
            issue.to_string(),
            "error: events.csv line 14, column \"Date\": row rejected: not a date (found \"31/02/2024\"; expected a date such as 2024-03-31)"
        );
    }

    #[test]
    fn long_values_are_truncated_for_display() {
        let long = "x".repeat(200);
        let issue =
            Issue::new(IssueSeverity::Warning, IssueCode::InvalidCode, "f.csv", "m").found(&long);
        assert_eq!(
            issue.value.as_deref().map(|v| v.chars().count()),
            Some(MAX_VALUE_CHARS + 1)
        );
    }
}
