//! Dates as day numbers, and CSV text written field by field (RFC 4180 quoting).

use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

/// A date as a day number, as `NaiveDate::num_days_from_ce` counts (1 January of year 1 is
/// day 1): integers are cheap to compare and to add days to.
pub(super) type Day = i32;

pub(super) fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

pub(super) fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN)
}

/// Appends `yyyy-mm-dd`.
pub(super) fn push_date(out: &mut String, day: Day) {
    let date = date_of(day);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
}

/// Appends one field, quoted per RFC 4180 when it holds a comma, a quote, CR or LF
/// (quotes inside are doubled).
pub(super) fn push_field(out: &mut String, value: &str) {
    if value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        for ch in value.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Builds one CSV file row by row; each method writes the separator before its field.
pub(super) struct CsvOut {
    pub(super) text: String,
    pub(super) at_row_start: bool,
}

impl CsvOut {
    pub(super) fn new(header: &str) -> CsvOut {
        let mut text = String::with_capacity(1 << 16);
        text.push_str(header);
        text.push('\n');
        CsvOut {
            text,
            at_row_start: true,
        }
    }

    pub(super) fn sep(&mut self) {
        if !self.at_row_start {
            self.text.push(',');
        }
        self.at_row_start = false;
    }

    pub(super) fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        push_field(&mut self.text, value);
        self
    }

    pub(super) fn date(&mut self, day: Day) -> &mut Self {
        self.sep();
        push_date(&mut self.text, day);
        self
    }

    pub(super) fn int(&mut self, value: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.text, "{value}");
        self
    }

    pub(super) fn end(&mut self) {
        self.text.push('\n');
        self.at_row_start = true;
    }
}

pub(super) const PEOPLE_HEADER: &str = concat!(
    "person_id,pathway,start_date,end_date,team,coordinator,baseline_severity,",
    "age_band,sex,ethnicity,cohort"
);
pub(super) const OUTCOMES_HEADER: &str = "person_id,date,measure,score,stage";
pub(super) const EVENTS_HEADER: &str = "person_id,date,event_type,quantity,severity,follow_up";
pub(super) const GOALS_HEADER: &str = concat!(
    "person_id,goal_id,review_date,rating,domain,description,set_date,",
    "baseline_rating,target_rating,next_review_date,plan_changed,staff"
);
pub(super) const STATUS_HEADER: &str = "person_id,date,indicator,value";
pub(super) const FEEDBACK_HEADER: &str =
    "person_id,date,source,self_rating,functioning_change,themes,text,plan_adjustment";
