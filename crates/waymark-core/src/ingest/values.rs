//! Parsing single cell values: dates, numbers, identifiers and coded categories.
//!
//! Every parser works on the raw bytes of one trimmed cell and returns either the value or a
//! short description of what was expected, which the caller turns into a positioned issue.
//! Nothing here guesses: a value that does not fit is rejected, and day/month order of numeric
//! dates is decided per column by [`DateOrderEvidence`], not per cell.

use chrono::{Datelike, NaiveDate};

/// The calendar order of a numeric date such as `03/04/2024`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// dd/mm/yyyy, the UK convention and Waymark's default.
    DayFirst,
    /// mm/dd/yyyy, as written by US-configured systems.
    MonthFirst,
}

/// A date cell as read, before the column's day/month order is known.
///
/// ISO and month-name dates are complete on their own; numeric dates keep their two leading
/// parts until the whole column has been seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawDate {
    Complete(NaiveDate),
    Numeric { first: u8, second: u8, year: i32 },
}

impl RawDate {
    /// Resolves a numeric date with the column's order; `None` when no such calendar day exists
    /// (for example 31/02/2024).
    pub fn resolve(self, order: DateOrder) -> Option<NaiveDate> {
        match self {
            RawDate::Complete(date) => Some(date),
            RawDate::Numeric {
                first,
                second,
                year,
            } => {
                let (day, month) = match order {
                    DateOrder::DayFirst => (first, second),
                    DateOrder::MonthFirst => (second, first),
                };
                NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
            }
        }
    }
}

impl RawDate {
    /// Packs the date into four bytes for staging (0 is reserved for "no date").
    ///
    /// Complete dates store their day number from the common era plus one; numeric dates set
    /// the top bit and keep both leading parts and the year.
    pub fn pack(self) -> u32 {
        match self {
            RawDate::Complete(date) => (date.num_days_from_ce() as u32 & 0x7FFF_FFFF).max(1),
            RawDate::Numeric {
                first,
                second,
                year,
            } => {
                0x8000_0000
                    | (u32::from(first) << 24)
                    | (u32::from(second) << 16)
                    | (year as u32 & 0xFFFF)
            }
        }
    }

    /// The inverse of [`RawDate::pack`]; `None` for the "no date" marker.
    pub fn unpack(packed: u32) -> Option<RawDate> {
        if packed == 0 {
            None
        } else if packed & 0x8000_0000 == 0 {
            NaiveDate::from_num_days_from_ce_opt(packed as i32).map(RawDate::Complete)
        } else {
            Some(RawDate::Numeric {
                first: ((packed >> 24) & 0x7F) as u8,
                second: ((packed >> 16) & 0xFF) as u8,
                year: (packed & 0xFFFF) as i32,
            })
        }
    }
}

/// What a column's numeric dates say about their order, gathered while reading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateOrderEvidence {
    /// Cells whose first part is above 12, so it can only be a day (e.g. `25/03/2024`).
    pub day_first: u32,
    /// Line of the first such cell, to point the user at it.
    pub first_day_first_line: Option<u32>,
    /// Cells whose second part is above 12, so it can only be a day (e.g. `03/25/2024`).
    pub month_first: u32,
    pub first_month_first_line: Option<u32>,
    /// Numeric cells that fit either order.
    pub ambiguous: u32,
}

/// The verdict on a column's date order, with how sure we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderVerdict {
    /// No numeric dates, or the mapping declared the order: nothing to report.
    Settled(DateOrder),
    /// Every numeric date fits both orders: read day-first (the UK default) and say so.
    AmbiguousDefaultDayFirst,
    /// Only month-first reading fits some cells and none contradict it.
    EvidentMonthFirst,
    /// Some cells only fit day-first and others only month-first: read day-first and reject the rest.
    Contradictory,
}

impl DateOrderEvidence {
    pub fn observe(&mut self, raw: RawDate, line: u32) {
        if let RawDate::Numeric { first, second, .. } = raw {
            if first > 12 {
                self.day_first += 1;
                self.first_day_first_line.get_or_insert(line);
            } else if second > 12 {
                self.month_first += 1;
                self.first_month_first_line.get_or_insert(line);
            } else {
                self.ambiguous += 1;
            }
        }
    }

    pub fn verdict(&self, declared: Option<DateOrder>) -> OrderVerdict {
        if let Some(order) = declared {
            return OrderVerdict::Settled(order);
        }
        match (self.day_first > 0, self.month_first > 0) {
            (true, true) => OrderVerdict::Contradictory,
            (false, true) => OrderVerdict::EvidentMonthFirst,
            (true, false) => OrderVerdict::Settled(DateOrder::DayFirst),
            (false, false) if self.ambiguous > 0 => OrderVerdict::AmbiguousDefaultDayFirst,
            (false, false) => OrderVerdict::Settled(DateOrder::DayFirst),
        }
    }
}

impl OrderVerdict {
    pub fn order(self) -> DateOrder {
        match self {
            OrderVerdict::Settled(order) => order,
            OrderVerdict::EvidentMonthFirst => DateOrder::MonthFirst,
            OrderVerdict::AmbiguousDefaultDayFirst | OrderVerdict::Contradictory => {
                DateOrder::DayFirst
            }
        }
    }
}

/// Reads a date cell: ISO 8601 (`2024-03-31`, optionally `T14:30:00` or ` 14:30`),
/// numeric day/month/year with `/`, `-` or `.` separators and 2- or 4-digit years, or
/// day-monthname-year (`31-Mar-2024`, `31 MAR 24`, `31-March-2024`).
///
/// Two-digit years follow the POSIX `strptime` pivot: 00-68 are 2000-2068, 69-99 are 1969-1999.
pub fn parse_date(cell: &[u8]) -> Result<RawDate, ()> {
    let (date_part, time_part) = split_time(cell);
    if let Some(time) = time_part {
        if !is_valid_time(time) {
            return Err(());
        }
    }
    let d = date_part;
    // ISO: yyyy-mm-dd
    if d.len() == 10 && d[4] == b'-' && d[7] == b'-' {
        let year = digits(&d[0..4]).ok_or(())?;
        let month = digits(&d[5..7]).ok_or(())?;
        let day = digits(&d[8..10]).ok_or(())?;
        return NaiveDate::from_ymd_opt(year as i32, month, day)
            .map(RawDate::Complete)
            .ok_or(());
    }
    let sep_pos = d
        .iter()
        .position(|b| matches!(b, b'/' | b'-' | b'.' | b' '))
        .ok_or(())?;
    let sep = d[sep_pos];
    let mut parts = d.split(|b| *b == sep);
    let (p1, p2, p3) = (
        parts.next().ok_or(())?,
        parts.next().ok_or(())?,
        parts.next().ok_or(())?,
    );
    if parts.next().is_some() || p1.is_empty() || p1.len() > 2 {
        return Err(());
    }
    let first = digits(p1).ok_or(())? as u8;
    let year = parse_year(p3).ok_or(())?;
    if let Some(second) = digits(p2) {
        if p2.len() > 2 || first == 0 || second == 0 || first > 31 || second > 31 {
            return Err(());
        }
        if first > 12 && second > 12 {
            return Err(());
        }
        return Ok(RawDate::Numeric {
            first,
            second: second as u8,
            year,
        });
    }
    let month = month_from_name(p2).ok_or(())?;
    NaiveDate::from_ymd_opt(year, month, u32::from(first))
        .map(RawDate::Complete)
        .ok_or(())
}

fn split_time(cell: &[u8]) -> (&[u8], Option<&[u8]>) {
    if cell.len() > 10 && cell[4] == b'-' && matches!(cell[10], b'T' | b' ') {
        return (&cell[..10], Some(&cell[11..]));
    }
    // Other forms: the time starts after the last space before the first colon.
    let Some(colon) = cell.iter().position(|b| *b == b':') else {
        return (cell, None);
    };
    match cell[..colon].iter().rposition(|b| *b == b' ') {
        Some(pos) => (cell[..pos].trim_ascii_end(), Some(&cell[pos + 1..])),
        None => (cell, None),
    }
}

/// `H:MM`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`, optionally followed by `Z`, a UTC offset
/// (`+01:00`, `-0500`) or Excel's `AM`/`PM`.
fn is_valid_time(time: &[u8]) -> bool {
    let mut time = time.trim_ascii();
    let mut twelve_hour = false;
    for suffix in [b"AM", b"PM", b"am", b"pm"] {
        if let Some(rest) = time.strip_suffix(suffix) {
            time = rest.trim_ascii_end();
            twelve_hour = true;
        }
    }
    let time = time.strip_suffix(b"Z").unwrap_or(time);
    // A UTC offset starts at the first sign after the clock time.
    let time = match time.iter().position(|b| *b == b'+' || *b == b'-') {
        Some(pos) if pos > 0 && is_utc_offset(&time[pos + 1..]) => &time[..pos],
        Some(_) => return false,
        None => time,
    };
    let (hms, fraction) = match time.iter().position(|b| *b == b'.') {
        Some(pos) => (&time[..pos], Some(&time[pos + 1..])),
        None => (time, None),
    };
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.iter().all(u8::is_ascii_digit) {
            return false;
        }
    }
    let parts: Vec<&[u8]> = hms.split(|b| *b == b':').collect();
    let hour_ok = parts
        .first()
        .is_some_and(|hour| (1..=2).contains(&hour.len()));
    if !(2..=3).contains(&parts.len()) || !hour_ok || parts[1..].iter().any(|p| p.len() != 2) {
        return false;
    }
    let limits = [if twelve_hour { 12 } else { 23 }, 59, 59];
    parts
        .iter()
        .zip(limits)
        .all(|(part, limit)| digits(part).is_some_and(|v| v <= limit))
}

/// `HH:MM`, `HHMM` or `HH` after the sign of a UTC offset.
fn is_utc_offset(offset: &[u8]) -> bool {
    let compact: Vec<u8> = offset.iter().copied().filter(|b| *b != b':').collect();
    matches!(compact.len(), 2 | 4) && compact.iter().all(u8::is_ascii_digit)
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn parse_year(bytes: &[u8]) -> Option<i32> {
    let value = digits(bytes)? as i32;
    match bytes.len() {
        4 => Some(value),
        2 if value <= 68 => Some(2000 + value),
        2 => Some(1900 + value),
        _ => None,
    }
}

fn month_from_name(bytes: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    if bytes.len() < 3 {
        return None;
    }
    let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
    let is_sept = lower == b"sept";
    MONTHS
        .iter()
        .position(|name| {
            lower.len() == 3 && name.starts_with(&lower)
                || lower == *name
                || is_sept && name.starts_with(b"sep")
        })
        .map(|idx| idx as u32 + 1)
}

/// Reads a number, allowing a leading sign and thousands separators in groups of three
/// (`1,250.5`); a comma followed by anything other than three digits is rejected rather than
/// guessed to be a decimal comma.
pub fn parse_number(cell: &[u8]) -> Result<f64, ()> {
    // Fast path for the common case, small whole numbers such as counts and scores.
    if !cell.is_empty() && cell.len() <= 9 && cell.iter().all(u8::is_ascii_digit) {
        return digits(cell).map(f64::from).ok_or(());
    }
    let text = std::str::from_utf8(cell).map_err(|_| ())?;
    if text.contains(',') {
        let (int_part, frac) = match text.split_once('.') {
            Some((int_part, frac)) => (int_part, Some(frac)),
            None => (text, None),
        };
        let unsigned = int_part.trim_start_matches(['-', '+']);
        let mut groups = unsigned.split(',');
        let head = groups.next().unwrap_or("");
        let head_ok = (1..=3).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_digit());
        let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !(head_ok && rest_ok) {
            return Err(());
        }
        let joined: String = match frac {
            Some(frac) => format!("{}.{}", int_part.replace(',', ""), frac),
            None => int_part.replace(',', ""),
        };
        return checked_float(&joined);
    }
    checked_float(text)
}

fn checked_float(text: &str) -> Result<f64, ()> {
    // Rust's float parser accepts "inf" and "NaN"; data never means those.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Err(());
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(())
}

/// How an identifier cell may have been damaged by a spreadsheet on its way to CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdDamage {
    /// Scientific notation such as `9.43E+09`: the digits after the third are gone for good.
    ScientificNotation,
}

/// Checks an identifier for Excel's scientific-notation rewrite of long numbers.
pub fn id_damage(cell: &[u8]) -> Option<IdDamage> {
    let upper_e = cell.iter().position(|b| *b == b'E' || *b == b'e')?;
    let (mantissa, exponent) = (&cell[..upper_e], &cell[upper_e + 1..]);
    let exponent = exponent.strip_prefix(b"+").unwrap_or(exponent);
    let mantissa_ok = !mantissa.is_empty()
        && mantissa.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && mantissa[0].is_ascii_digit();
    let exponent_ok = !exponent.is_empty() && exponent.iter().all(u8::is_ascii_digit);
    (mantissa_ok && exponent_ok).then_some(IdDamage::ScientificNotation)
}

/// Case-insensitive lookup of a coded value among its accepted spellings.
///
/// `choices` pairs each spelling with the canonical code it stands for.
pub fn parse_code<T: Copy>(cell: &[u8], choices: &[(&str, T)]) -> Option<T> {
    let text = std::str::from_utf8(cell).ok()?;
    choices
        .iter()
        .find(|(spelling, _)| spelling.eq_ignore_ascii_case(text))
        .map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// Every example the messages show is one the parsers accept (the texts live with the
    /// schema in `model`, so they could drift from the parsers without this).
    #[test]
    fn the_examples_in_the_format_messages_parse() {
        let examples = |text: &str| -> Vec<String> {
            text.split(|c: char| c == ',' || c == ' ')
                .map(|w| w.trim_matches(|c: char| c == '(' || c == ')').to_string())
                .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .collect()
        };
        let dates = examples(crate::model::DATE_FORMATS);
        assert_eq!(dates.len(), 4, "{dates:?}");
        for cell in dates {
            assert!(parse_date(cell.as_bytes()).is_ok(), "date example {cell:?}");
        }
        let numbers: Vec<String> = crate::model::NUMBER_FORMAT
            .trim_start_matches("a number such as ")
            .replace(" or ", ", ")
            .split(", ")
            .map(str::to_string)
            .collect();
        assert_eq!(numbers, ["12", "3.5", "1,250"]);
        for cell in numbers {
            assert!(
                parse_number(cell.as_bytes()).is_ok(),
                "number example {cell:?}"
            );
        }
    }

    fn resolved(cell: &str, order: DateOrder) -> Option<NaiveDate> {
        parse_date(cell.as_bytes())
            .ok()
            .and_then(|raw| raw.resolve(order))
    }

    #[test]
    fn reads_every_documented_date_form() {
        let day_first = DateOrder::DayFirst;
        let cases = [
            ("2024-03-31", date(2024, 3, 31)),
            ("2024-03-31T14:30:00", date(2024, 3, 31)),
            ("2024-03-31 14:30", date(2024, 3, 31)),
            ("2024-03-31T14:30:00.000Z", date(2024, 3, 31)),
            ("31/03/2024", date(2024, 3, 31)),
            ("31/03/2024 09:15", date(2024, 3, 31)),
            ("31-03-2024", date(2024, 3, 31)),
            ("31.03.2024", date(2024, 3, 31)),
            ("1/3/2024", date(2024, 3, 1)),
            ("31/03/24", date(2024, 3, 31)),
            ("01/01/69", date(1969, 1, 1)),
            ("31-Mar-2024", date(2024, 3, 31)),
            ("31-MAR-24", date(2024, 3, 31)),
            ("31 March 2024", date(2024, 3, 31)),
            ("5-Sept-2023", date(2023, 9, 5)),
            ("31/03/2024 9:15", date(2024, 3, 31)),
            ("31/03/2024 09:15:00 PM", date(2024, 3, 31)),
            ("2024-03-31T14:30:00+01:00", date(2024, 3, 31)),
            ("2024-03-31 14:30:00-0500", date(2024, 3, 31)),
        ];
        for (cell, expected) in cases {
            assert_eq!(resolved(cell, day_first), Some(expected), "cell {cell}");
        }
    }

    #[test]
    fn rejects_non_dates_and_impossible_days() {
        for cell in [
            "",
            "yesterday",
            "2024-02-30",
            "31/02/2024",
            "2024/03",
            "13/13/2024",
            "31-Foo-2024",
            "31/03/2024 25:00",
            "2024-03-31T12",
            "45123",
            "1/2/3/2024",
        ] {
            assert!(
                resolved(cell, DateOrder::DayFirst).is_none(),
                "cell {cell:?}"
            );
        }
    }

    #[test]
    fn packing_round_trips() {
        for cell in [
            "2024-03-31",
            "0001-01-01",
            "9999-12-31",
            "31/03/2024",
            "03/04/69",
            "1/2/2024",
        ] {
            let raw = parse_date(cell.as_bytes()).expect("date");
            assert_ne!(raw.pack(), 0);
            assert_eq!(RawDate::unpack(raw.pack()), Some(raw), "{cell}");
        }
        assert_eq!(RawDate::unpack(0), None);
    }

    #[test]
    fn numeric_dates_resolve_by_column_order() {
        let raw = parse_date(b"03/04/2024").expect("numeric date");
        assert_eq!(raw.resolve(DateOrder::DayFirst), Some(date(2024, 4, 3)));
        assert_eq!(raw.resolve(DateOrder::MonthFirst), Some(date(2024, 3, 4)));
    }

    #[test]
    fn order_evidence_gives_the_documented_verdicts() {
        let observe = |cells: &[&str]| {
            let mut evidence = DateOrderEvidence::default();
            for (idx, cell) in cells.iter().enumerate() {
                evidence.observe(parse_date(cell.as_bytes()).expect("date"), idx as u32 + 2);
            }
            evidence
        };
        assert_eq!(
            observe(&["01/02/2024", "12/11/2024"]).verdict(None),
            OrderVerdict::AmbiguousDefaultDayFirst
        );
        assert_eq!(
            observe(&["01/02/2024", "25/11/2024"]).verdict(None),
            OrderVerdict::Settled(DateOrder::DayFirst)
        );
        let us = observe(&["01/02/2024", "11/25/2024"]);
        assert_eq!(us.verdict(None), OrderVerdict::EvidentMonthFirst);
        assert_eq!(us.first_month_first_line, Some(3));
        assert_eq!(
            observe(&["25/01/2024", "11/25/2024"]).verdict(None),
            OrderVerdict::Contradictory
        );
        assert_eq!(
            observe(&["01/02/2024"]).verdict(Some(DateOrder::MonthFirst)),
            OrderVerdict::Settled(DateOrder::MonthFirst)
        );
        assert_eq!(
            observe(&["2024-01-02"]).verdict(None),
            OrderVerdict::Settled(DateOrder::DayFirst)
        );
    }

    #[test]
    fn numbers_with_thousands_separators() {
        assert_eq!(parse_number(b"1,250"), Ok(1250.0));
        assert_eq!(parse_number(b"1,250,000.5"), Ok(1_250_000.5));
        assert_eq!(parse_number(b"-3.5"), Ok(-3.5));
        assert_eq!(parse_number(b"+2"), Ok(2.0));
        assert_eq!(parse_number(b"12"), Ok(12.0));
        for bad in ["12,5", "1,25,000", "abc", "inf", "NaN", "", "1.2.3", ",123"] {
            assert!(parse_number(bad.as_bytes()).is_err(), "cell {bad:?}");
        }
    }

    #[test]
    fn spots_scientific_notation_ids() {
        assert_eq!(id_damage(b"9.43E+09"), Some(IdDamage::ScientificNotation));
        assert_eq!(id_damage(b"1.2e10"), Some(IdDamage::ScientificNotation));
        assert_eq!(id_damage(b"WM-000123"), None);
        assert_eq!(id_damage(b"E12"), None);
        assert_eq!(id_damage(b"0123456789"), None);
    }

    #[test]
    fn codes_match_case_insensitively() {
        let choices = [("yes", true), ("y", true), ("no", false)];
        assert_eq!(parse_code(b"YES", &choices), Some(true));
        assert_eq!(parse_code(b"n", &choices), None);
    }
}
