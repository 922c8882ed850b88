//! Spreadsheets: each sheet of an .xlsx, .xlsm, .xls or .ods workbook is read as one table,
//! found and mapped like a CSV file (title rows, footers and the header search included).
//!
//! The workbook is opened with the calamine crate, and each sheet is written out as CSV text
//! (RFC 4180 quoting) that the CSV reader then takes like any other file, named
//! `book.xlsx [Sheet name]`, so every message names the file and the sheet. Rows keep their
//! numbers: a sheet whose first cell is in row 5 gets four empty lines first, so "line 12" is
//! row 12 of the sheet. Cells become text as a person reading the sheet sees them:
//!
//! - text cells stay text, leading zeros and all ("007");
//! - whole numbers have no decimal point ("12", not "12.0"); other numbers are written in the
//!   shortest form that reads back to the same value ("0.1");
//! - dates become ISO dates ("2024-03-15"), from the serial number by the workbook's own date
//!   system (1900 or 1904). Excel's 1900 system counts a 29 February 1900 that never was
//!   (serial 60, kept by Excel for Lotus 1-2-3); that cell is written as "1900-02-29", which
//!   the date check rejects at its row and column rather than silently moving it a day. The
//!   time of day is dropped: Waymark's dates are days;
//! - error cells are written as Excel shows them ("#N/A"), so the check of their column names
//!   them; TRUE and FALSE as such.

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::fmt::Write as _;
use std::io::Cursor;

/// File-name endings read as workbooks, compared ignoring case.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = [".xlsx", ".xlsm", ".xls", ".ods"];

/// Whether a file name says it is a workbook.
pub fn is_workbook(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    WORKBOOK_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// One sheet as CSV text.
#[derive(Debug, PartialEq)]
pub struct Sheet {
    /// `book.xlsx [People]`: the name every message and the file summary use.
    pub name: String,
    pub csv: String,
}

/// Every sheet with at least one cell, in workbook order. An error names what could not be
/// read (a damaged file, a password-protected workbook, a file that is not a workbook).
pub fn sheets(file_name: &str, bytes: Vec<u8>) -> Result<Vec<Sheet>, String> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("{file_name} could not be opened as a workbook ({e}). Save it again from your spreadsheet program as .xlsx, or export each sheet as CSV."))?;
    let mut out = Vec::new();
    for (sheet_name, range) in workbook.worksheets() {
        let Some((first_row, _)) = range.start() else {
            continue;
        };
        let mut csv = String::with_capacity(range.get_size().0 * range.get_size().1 * 8);
        for _ in 0..first_row {
            csv.push('\n');
        }
        for row in range.rows() {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    csv.push(',');
                }
                push_field(&mut csv, &cell_text(cell));
            }
            csv.push('\n');
        }
        out.push(Sheet {
            name: format!("{file_name} [{sheet_name}]"),
            csv,
        });
    }
    Ok(out)
}

/// A cell as the sheet shows it (see the module documentation).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => number_text(*x),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::Error(error) => error.to_string(),
        Data::DateTime(dt) if dt.is_duration() => number_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
    }
}

/// Whole numbers without a decimal point; others in Rust's shortest round-trip form.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let mut out = String::new();
        let _ = write!(out, "{x}");
        out
    }
}

/// Appends one CSV field, quoted when it holds a comma, quote or line break.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn date(serial: f64, is_1904: bool) -> String {
        cell_text(&Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            is_1904,
        )))
    }

    /// Serial numbers and their dates as Excel shows them (Microsoft, "Date systems in Excel":
    /// 1 is 1 January 1900 in the 1900 system, 0 is 1 January 1904 in the 1904 system, and
    /// 1900 counts a 29 February; the two systems differ by 1,462 days; 45000 is 15 March 2023,
    /// 45292 is 1 January 2024, so 43830 in the 1904 system is 1 January 2024 too).
    #[test]
    fn excel_serial_dates_become_iso_dates_with_the_1900_quirk_kept_visible() {
        assert_eq!(date(1.0, false), "1900-01-01");
        assert_eq!(date(59.0, false), "1900-02-28");
        assert_eq!(date(60.0, false), "1900-02-29");
        assert_eq!(date(61.0, false), "1900-03-01");
        assert_eq!(date(45000.0, false), "2023-03-15");
        assert_eq!(date(45292.75, false), "2024-01-01");
        assert_eq!(date(0.0, true), "1904-01-01");
        assert_eq!(date(43830.0, true), "2024-01-01");
        assert_eq!(date(43838.0, true), "2024-01-09");
    }

    #[test]
    fn cells_read_as_a_person_sees_them() {
        assert_eq!(cell_text(&Data::String("007".into())), "007");
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(0.1)), "0.1");
        assert_eq!(cell_text(&Data::Float(-3.5)), "-3.5");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        let mut out = String::new();
        push_field(&mut out, "Smith, \"Jo\"\nline two");
        assert_eq!(out, "\"Smith, \"\"Jo\"\"\nline two\"");
    }

    #[test]
    fn workbook_names_are_recognised_by_their_ending() {
        assert!(is_workbook("Caseload Q3.XLSX"));
        assert!(is_workbook("export.ods"));
        assert!(!is_workbook("export.csv"));
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused_with_its_name() {
        let error = sheets("people.xlsx", b"person_id,pathway\n".to_vec()).unwrap_err();
        assert!(
            error.starts_with("people.xlsx could not be opened as a workbook"),
            "{error}"
        );
    }
}
