//! The schema: the six tables Waymark reads, their canonical fields, the header spellings
//! that map to each without a mapping file, and what a valid cell looks like for messages.

use serde::{Deserialize, Serialize};

/// One of the six kinds of export Waymark reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    People,
    Outcomes,
    Events,
    Goals,
    Status,
    Feedback,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::People,
        TableKind::Outcomes,
        TableKind::Events,
        TableKind::Goals,
        TableKind::Status,
        TableKind::Feedback,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TableKind::People => "people",
            TableKind::Outcomes => "outcomes",
            TableKind::Events => "events",
            TableKind::Goals => "goals",
            TableKind::Status => "status",
            TableKind::Feedback => "feedback",
        }
    }

    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The canonical fields of this table, required ones first.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::People => PEOPLE_FIELDS,
            TableKind::Outcomes => OUTCOME_FIELDS,
            TableKind::Events => EVENT_FIELDS,
            TableKind::Goals => GOAL_FIELDS,
            TableKind::Status => STATUS_FIELDS,
            TableKind::Feedback => FEEDBACK_FIELDS,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|field| field.name == name)
    }
}

/// How a field's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Kept exactly as text (trimmed); never converted to a number.
    Id,
    Date,
    Number,
    /// Free text or an open list of labels.
    Text,
    /// One of a fixed set of codes, listed in the field's `expected` text.
    Code,
}

/// A canonical field: its name, whether a file must have it, how it is read, and the header
/// spellings that map to it without a mapping file.
#[derive(Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub kind: FieldKind,
    /// Other headers seen in real exports, compared after [`normalise_header`].
    pub synonyms: &'static [&'static str],
    /// What a valid value looks like, for messages (codes list their accepted values).
    pub expected: &'static str,
}

const fn field(
    name: &'static str,
    required: bool,
    kind: FieldKind,
    synonyms: &'static [&'static str],
    expected: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        required,
        kind,
        synonyms,
        expected,
    }
}

const PERSON_ID_SYNONYMS: &[&str] = &[
    "client id",
    "client ref",
    "client reference",
    "nhs number",
    "nhs no",
    "service user id",
    "service user ref",
    "su id",
    "person",
    "patient id",
    "patient",
    "individual id",
    "id",
    "pid",
    "case id",
    "client",
];
const ID_TEXT: &str = "an identifier (any text)";
/// The date forms [`crate::ingest::values::parse_date`] accepts, as shown to users in messages
/// (a test there reads each example here).
pub const DATE_FORMATS: &str =
    "a date such as 2024-03-31, 31/03/2024, 31-Mar-2024 or 31/03/24 (a time may follow)";
/// What [`crate::ingest::values::parse_number`] accepts, for messages.
pub const NUMBER_FORMAT: &str = "a number such as 12, 3.5 or 1,250";
const DATE_TEXT: &str = DATE_FORMATS;
const NUMBER_TEXT: &str = NUMBER_FORMAT;
const TEXT: &str = "text";

static PEOPLE_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "pathway",
        true,
        FieldKind::Text,
        &[
            "care pathway",
            "programme",
            "service",
            "service line",
            "intervention",
        ],
        TEXT,
    ),
    field(
        "start_date",
        true,
        FieldKind::Date,
        &[
            "referral date",
            "start of support",
            "start",
            "date started",
            "admission to service",
            "accepted date",
            "episode start",
            "support start date",
        ],
        DATE_TEXT,
    ),
    field(
        "end_date",
        false,
        FieldKind::Date,
        &[
            "discharge date",
            "end of support",
            "end",
            "date ended",
            "closed date",
            "episode end",
            "support end date",
        ],
        DATE_TEXT,
    ),
    field(
        "team",
        false,
        FieldKind::Text,
        &["team name", "locality", "hub"],
        TEXT,
    ),
    field(
        "coordinator",
        false,
        FieldKind::Text,
        &[
            "care coordinator",
            "named coordinator",
            "key worker",
            "keyworker",
            "responsible staff",
            "lead practitioner",
            "worker",
        ],
        TEXT,
    ),
    field(
        "baseline_severity",
        false,
        FieldKind::Code,
        &[
            "severity",
            "severity at baseline",
            "baseline need",
            "risk level",
            "need level",
        ],
        "low, moderate or high",
    ),
    field(
        "age_band",
        false,
        FieldKind::Text,
        &["age group", "age range", "age"],
        TEXT,
    ),
    field("sex", false, FieldKind::Text, &["gender"], TEXT),
    field(
        "ethnicity",
        false,
        FieldKind::Text,
        &["ethnic group", "ethnic origin"],
        TEXT,
    ),
    field(
        "cohort",
        false,
        FieldKind::Code,
        &["group", "comparison", "cohort flag"],
        "service or comparison",
    ),
];

static OUTCOME_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "date",
        true,
        FieldKind::Date,
        &[
            "assessment date",
            "score date",
            "date completed",
            "completed",
            "measure date",
            "outcome date",
            "date of reading",
            "reading date",
            "star date",
        ],
        DATE_TEXT,
    ),
    field(
        "measure",
        true,
        FieldKind::Text,
        &[
            "tool",
            "outcome measure",
            "measure name",
            "scale",
            "questionnaire",
            "instrument",
        ],
        TEXT,
    ),
    field(
        "score",
        true,
        FieldKind::Number,
        &["total", "total score", "value", "result", "outcome score"],
        NUMBER_TEXT,
    ),
    field(
        "stage",
        false,
        FieldKind::Code,
        &["assessment stage", "timepoint", "time point", "point"],
        "baseline, review or discharge",
    ),
];

static EVENT_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "date",
        true,
        FieldKind::Date,
        &[
            "event date",
            "contact date",
            "activity date",
            "attendance date",
            "date of event",
        ],
        DATE_TEXT,
    ),
    field(
        "event_type",
        true,
        FieldKind::Text,
        &[
            "type",
            "event",
            "activity",
            "activity type",
            "contact type",
            "service use",
        ],
        TEXT,
    ),
    field(
        "quantity",
        false,
        FieldKind::Number,
        &["count", "number", "units", "days", "qty"],
        NUMBER_TEXT,
    ),
    field(
        "severity",
        false,
        FieldKind::Code,
        &["level", "event severity", "risk"],
        "1, 2 or 3 (or low, medium, high)",
    ),
    field(
        "follow_up",
        false,
        FieldKind::Text,
        &[
            "follow up",
            "follow up action",
            "action",
            "action taken",
            "outcome of contact",
            "next steps",
        ],
        TEXT,
    ),
];

static GOAL_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "goal_id",
        true,
        FieldKind::Id,
        &["goal", "goal ref", "goal number", "goal no"],
        ID_TEXT,
    ),
    field(
        "review_date",
        true,
        FieldKind::Date,
        &["review", "date of review", "reviewed", "review held"],
        DATE_TEXT,
    ),
    field(
        "rating",
        true,
        FieldKind::Number,
        &[
            "goal rating",
            "gas score",
            "gas",
            "attainment",
            "score",
            "goal score",
        ],
        "a goal rating: GAS -2 to +2, or goal-based 0 to 10",
    ),
    field(
        "domain",
        false,
        FieldKind::Text,
        &["goal domain", "area", "life area"],
        TEXT,
    ),
    field(
        "description",
        false,
        FieldKind::Text,
        &["goal description", "goal text", "details"],
        TEXT,
    ),
    field(
        "set_date",
        false,
        FieldKind::Date,
        &["goal set date", "date set", "agreed date"],
        DATE_TEXT,
    ),
    field(
        "baseline_rating",
        false,
        FieldKind::Number,
        &["baseline", "starting rating", "initial rating"],
        NUMBER_TEXT,
    ),
    field(
        "target_rating",
        false,
        FieldKind::Number,
        &["target", "expected rating", "expected outcome"],
        NUMBER_TEXT,
    ),
    field(
        "next_review_date",
        false,
        FieldKind::Date,
        &["next review", "review due", "due date", "next review due"],
        DATE_TEXT,
    ),
    field(
        "plan_changed",
        false,
        FieldKind::Code,
        &[
            "plan change",
            "plan updated",
            "care plan changed",
            "changed",
        ],
        "yes or no",
    ),
    field(
        "staff",
        false,
        FieldKind::Text,
        &["reviewer", "reviewed by", "staff member", "practitioner"],
        TEXT,
    ),
];

static STATUS_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "date",
        true,
        FieldKind::Date,
        &[
            "status date",
            "snapshot date",
            "recorded",
            "date recorded",
            "as at",
        ],
        DATE_TEXT,
    ),
    field(
        "indicator",
        true,
        FieldKind::Text,
        &["status type", "domain", "measure", "category"],
        TEXT,
    ),
    field(
        "value",
        true,
        FieldKind::Text,
        &["status", "level", "state"],
        TEXT,
    ),
];

static FEEDBACK_FIELDS: &[FieldSpec] = &[
    field(
        "person_id",
        true,
        FieldKind::Id,
        PERSON_ID_SYNONYMS,
        ID_TEXT,
    ),
    field(
        "date",
        true,
        FieldKind::Date,
        &["feedback date", "date given", "received"],
        DATE_TEXT,
    ),
    field(
        "source",
        false,
        FieldKind::Code,
        &["from", "feedback from", "respondent", "given by"],
        "person, staff or carer",
    ),
    field(
        "self_rating",
        false,
        FieldKind::Number,
        &[
            "rating",
            "how are you",
            "self rating 0 10",
            "wellbeing rating",
        ],
        "a number from 0 to 10",
    ),
    field(
        "functioning_change",
        false,
        FieldKind::Code,
        &["functioning", "change", "day to day", "daily functioning"],
        "better, same or worse",
    ),
    field(
        "themes",
        false,
        FieldKind::Text,
        &["theme", "tags", "topics", "barriers"],
        TEXT,
    ),
    field(
        "text",
        false,
        FieldKind::Text,
        &[
            "comment",
            "comments",
            "feedback",
            "what they said",
            "narrative",
            "notes",
        ],
        TEXT,
    ),
    field(
        "plan_adjustment",
        false,
        FieldKind::Text,
        &[
            "plan change made",
            "adjustment",
            "action agreed",
            "response",
        ],
        TEXT,
    ),
];

/// Folds a header for comparison: lower case, punctuation and runs of space collapsed,
/// so `Client_ID`, `client id` and `Client-ID ` all read `client id`.
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for ch in header.trim().chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}
