//! A deterministic synthetic demo dataset: six CSV exports shaped like a community
//! mental-health service's, with known effects planted in them.
//!
//! The demo lets people try Waymark without real data, and gives tests a dataset whose
//! answers are known in advance: every planted effect is listed in
//! [`DemoDataset::planted`] with the parameters used and the values observed in the rows.
//! `docs/demo-data.md` describes the files and the model.
//!
//! # Invariants
//! - No I/O, no clock, no global randomness: every random draw comes from a
//!   `ChaCha8Rng` seeded with [`DemoParams::seed`], one stream per person and file, so one
//!   file's content does not depend on how many draws another file made.
//! - Same parameters, byte-identical output on every platform (wasm32 included). To that end
//!   the generator uses only the IEEE 754 operations that are exactly rounded everywhere
//!   (`+ - * /`, `sqrt`, `round`, `floor`) and never `exp`, `ln` or `cos`, whose results come
//!   from the platform's maths library and may differ in the last bit; integers only are
//!   written to the files; no hash map is iterated.
//! - The people are fictional: names, places and quotations are invented.

use crate::model::DAYS_PER_MONTH;
use chrono::{Datelike, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoParams {
    /// How many people (rows of `people.csv`).
    pub n_people: usize,
    /// Seed for `ChaCha8Rng::seed_from_u64`; the only source of randomness.
    pub seed: u64,
    /// The date the data are "extracted": no row is dated after it.
    pub reference_date: NaiveDate,
}

impl Default for DemoParams {
    /// 300 people, seed 42, reference date 2026-06-30.
    fn default() -> Self {
        DemoParams {
            n_people: 300,
            seed: 42,
            reference_date: NaiveDate::from_ymd_opt(2026, 6, 30)
                .expect("2026-06-30 is a valid date"),
        }
    }
}

/// One generated CSV export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFile {
    /// File name, such as `people.csv`.
    pub name: &'static str,
    /// The file's content: UTF-8, comma-separated, LF line ends, a header row first.
    pub csv: String,
}

/// A human-readable record of one effect planted in the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlantedEffect {
    /// A short snake_case name, such as `crisis_contacts_fall`.
    pub name: &'static str,
    /// What was planted, with the parameters used and the values observed in this dataset.
    pub description: String,
    /// The `person_id`s the effect was planted on, in id order; empty for effects planted on
    /// a whole cohort or pathway.
    pub people: Vec<String>,
}

/// The six files and what was planted in them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoDataset {
    /// In order: people, outcomes, events, goals, status, feedback.
    pub files: Vec<DemoFile>,
    pub planted: Vec<PlantedEffect>,
}

impl DemoDataset {
    /// The file with this name (`"events.csv"`), if generated.
    pub fn file(&self, name: &str) -> Option<&DemoFile> {
        self.files.iter().find(|file| file.name == name)
    }

    /// The files as [`crate::ingest`] reads them.
    pub fn input_files(&self) -> Vec<crate::InputFile<'_>> {
        self.files
            .iter()
            .map(|f| crate::InputFile {
                name: f.name,
                bytes: f.csv.as_bytes(),
            })
            .collect()
    }

    /// The files as owned (name, bytes) pairs, for callers that keep them.
    pub fn into_named_bytes(self) -> Vec<(String, Vec<u8>)> {
        self.files
            .into_iter()
            .map(|f| (f.name.to_string(), f.csv.into_bytes()))
            .collect()
    }
}

/// Mean number of `events.csv` rows per person, measured with the default reference date
/// over 20,000 people (seeds 1 to 3 agree within 1%); see `docs/demo-data.md`.
pub const MEAN_EVENT_ROWS_PER_PERSON: usize = 70;

/// Estimates how many people to generate for about `target_rows` rows of `events.csv`.
///
/// # Formula
/// `ceil(target_rows / MEAN_EVENT_ROWS_PER_PERSON)`.
///
/// # Remarks
/// The mean is a property of the model, not of the seed, so the estimate is within a few
/// percent for a few thousand people or more; for small numbers the person-to-person spread
/// dominates. Always at least 1 when `target_rows > 0`.
pub fn people_for_event_rows(target_rows: usize) -> usize {
    target_rows.div_ceil(MEAN_EVENT_ROWS_PER_PERSON)
}

/// Generates the demo dataset. Same `params`, same bytes, on every platform.
pub fn generate(params: &DemoParams) -> DemoDataset {
    let ctx = Ctx::new(params);
    let mut people: Vec<Person> = (0..params.n_people)
        .map(|idx| build_person(&ctx, idx))
        .collect();
    let roles = assign_roles(&ctx, &mut people);
    let mut tally = Tally::default();

    let files = vec![
        DemoFile {
            name: "people.csv",
            csv: write_people(&people),
        },
        DemoFile {
            name: "outcomes.csv",
            csv: write_outcomes(&ctx, &people, &mut tally),
        },
        DemoFile {
            name: "events.csv",
            csv: write_events(&ctx, &people, &mut tally),
        },
        DemoFile {
            name: "goals.csv",
            csv: write_goals(&ctx, &people),
        },
        DemoFile {
            name: "status.csv",
            csv: write_status(&ctx, &people),
        },
        DemoFile {
            name: "feedback.csv",
            csv: write_feedback(&ctx, &people),
        },
    ];
    let planted = describe_planted(&people, &roles, &tally);
    DemoDataset { files, planted }
}

// ---------------------------------------------------------------------------------------
// Value sets
// ---------------------------------------------------------------------------------------

const PATHWAYS: [&str; 3] = [
    "Integrated community support",
    "Standard community support",
    "Step-down",
];
const PATHWAY_WEIGHTS: [u32; 3] = [40, 40, 20];
const INTEGRATED: usize = 0;
const STANDARD: usize = 1;
const STEP_DOWN: usize = 2;
/// Index of the comparison cohort in per-group tables, after the three pathways.
const COMPARISON: usize = 3;
const GROUP_NAMES: [&str; 4] = [
    PATHWAYS[0],
    PATHWAYS[1],
    PATHWAYS[2],
    "Comparison cohort (usual care)",
];

const SEVERITIES: [&str; 3] = ["low", "moderate", "high"];
const SEVERITY_WEIGHTS: [u32; 3] = [30, 45, 25];

const TEAMS: [&str; 5] = [
    "Northgate",
    "Riverside",
    "Eastfield",
    "Hillcrest",
    "Westbrook",
];
const TEAM_WEIGHTS: [u32; 5] = [24, 22, 20, 18, 16];
/// Coordinators of each team, as indices into [`COORDINATORS`].
const TEAM_COORDINATORS: [&[usize]; 5] = [&[0, 1, 2], &[3, 4, 5], &[6, 7], &[8, 9], &[10, 11]];
const COORDINATORS: [&str; 12] = [
    "Amira Haddad",
    "Ben Carter",
    "Chloe Davies",
    "Daniel Osei",
    "Ellie Brennan",
    "Farah Qureshi",
    "George Whitfield",
    "Hannah Lowe",
    "Imran Siddiqui",
    "Jess Morgan",
    "Kwame Mensah",
    "Laura Pike",
];

const AGE_BANDS: [&str; 6] = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
const AGE_WEIGHTS: [u32; 6] = [18, 24, 20, 17, 13, 8];
const SEXES: [&str; 3] = ["Female", "Male", "Not stated"];
const SEX_WEIGHTS: [u32; 3] = [51, 47, 2];
/// ONS 2021 Census broad ethnic groups, plus "Not stated".
const ETHNICITIES: [&str; 6] = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
    "Not stated",
];
const ETHNICITY_WEIGHTS: [u32; 6] = [9, 5, 3, 78, 2, 3];

const HOUSING: [&str; 4] = ["homeless", "temporary", "supported", "settled"];
const HOUSING_WEIGHTS: [u32; 4] = [8, 17, 25, 50];
const ENGAGEMENT: [&str; 3] = ["disengaged", "partial", "engaged"];

const DOMAINS: [&str; 6] = [
    "housing",
    "mental wellbeing",
    "social connection",
    "employment & education",
    "physical health",
    "daily living",
];
/// Two goal descriptions per domain, in [`DOMAINS`] order.
const GOAL_TEXT: [[&str; 2]; 6] = [
    [
        "Move from temporary accommodation into a settled tenancy",
        "Keep up with rent, bills and repairs",
    ],
    [
        "Use my crisis plan when I start to feel overwhelmed",
        "Sleep through the night most nights",
    ],
    [
        "Meet a friend, or go to a group, once a week",
        "Get back in touch with my family",
    ],
    [
        "Start a college course",
        "Find volunteering, two days a week",
    ],
    [
        "Register with a GP and go to my check-up",
        "Walk for 20 minutes, three times a week",
    ],
    [
        "Cook a proper meal most days",
        "Open my post and deal with it each week",
    ],
];

const THEMES: [&str; 10] = [
    "isolation",
    "housing",
    "money worries",
    "medication",
    "feeling listened to",
    "family",
    "work",
    "physical health",
    "loneliness",
    "confidence",
];
const T_ISOLATION: usize = 0;
const T_HOUSING: usize = 1;
const T_LISTENED: usize = 4;
const T_LONELINESS: usize = 8;
const T_CONFIDENCE: usize = 9;
/// Themes drawn for positive, neutral and negative feedback, as indices into [`THEMES`].
const THEMES_BY_MOOD: [&[usize]; 3] = [&[4, 9, 5, 6, 3], &[2, 3, 7, 5, 1, 6], &[0, 8, 2, 7, 1, 5]];

const SOURCES: [&str; 3] = ["person", "staff", "carer"];
const CHANGES: [&str; 3] = ["better", "same", "worse"];
/// Feedback text by source (person, staff, carer) and mood (positive, neutral, negative).
const FEEDBACK_TEXT: [[&[&str]; 3]; 3] = [
    [
        &[
            "Things feel more manageable now. I know who to ring if it gets bad.",
            "My coordinator actually listens, and I don't feel rushed.",
            "I've started going to the \"Tuesday walk\" group again.",
            "Sleeping better, eating better, and back in touch with my sister.",
            "Still hard some days, but I can see a way forward.",
        ],
        &[
            "Some weeks are good, some aren't.",
            "Not much has changed, but I keep coming.",
            "Waiting to hear about the flat, which is stressful.",
            "The new tablets help a bit, I think.",
        ],
        &[
            "I feel on my own most of the time.",
            "Everyone says I'm \"doing well\", but I don't feel it.",
            "I still don't go out much, and the evenings are long.",
            "The questionnaires look better than I feel.",
            "Nobody has asked me what I actually want.",
        ],
    ],
    [
        &[
            "Engaging well; attended every session this month.",
            "Making steady progress, and has started volunteering.",
            "Using the crisis plan well, with fewer calls to the duty line.",
        ],
        &[
            "Mixed month. Attendance patchy but keen to continue.",
            "Plan reviewed; goals still relevant.",
        ],
        &[
            "Mood lower this month; safety plan reviewed.",
            "Hard to reach by phone, three missed visits.",
        ],
    ],
    [
        &[
            "He seems calmer at home.",
            "She's going out more, which is lovely to see.",
        ],
        &["About the same as before, really."],
        &[
            "Worried, as they've stopped answering the phone.",
            "Spends most days in their room.",
        ],
    ],
];
/// Plan adjustments after positive feedback, and after neutral or negative feedback.
const PLAN_ADJUSTMENTS: [&[&str]; 2] = [
    &[
        "Reduced contact, as planned, ahead of discharge",
        "Agreed a new goal about daily routine",
    ],
    &[
        "Increased contact to weekly",
        "Added peer support group",
        "Referred to benefits advice",
        "Medication review requested with GP",
        "Joint visit with housing officer arranged",
    ],
];

const EVENT_TYPES: [&str; 10] = [
    "crisis_contact",
    "ed_attendance",
    "admission",
    "bed_day",
    "missed_appointment",
    "attended_appointment",
    "police_contact",
    "ambulance_callout",
    "safeguarding_concern",
    "incident",
];
const CRISIS: usize = 0;
const ADMISSION: usize = 2;
const BED_DAY: usize = 3;
const MISSED: usize = 4;
const ATTENDED: usize = 5;
const SAFEGUARDING: usize = 8;
const INCIDENT: usize = 9;
const CRISIS_FOLLOW_UPS: [&str; 5] = [
    "Crisis plan reviewed with care coordinator",
    "Safety plan updated, copy given to person",
    "Same-day call back from duty worker",
    "Referred to home treatment team",
    "GP informed; medication review booked",
];
const INCIDENT_FOLLOW_UPS: [&str; 3] = [
    "Debrief held with staff team",
    "Risk assessment updated",
    "Reported to safeguarding lead, no further action",
];
const SAFEGUARDING_FOLLOW_UPS: [&str; 4] = [
    "Referred to housing support",
    "Referred to adult social care",
    "Discussed at team meeting; monitoring agreed",
    "Police asked to do a \"safe and well\" check",
];

// ---------------------------------------------------------------------------------------
// Model parameters (the planted effects live here; describe_planted quotes them)
// ---------------------------------------------------------------------------------------

/// Share of people in the comparison (usual care) cohort, percent.
const COMPARISON_PCT: u32 = 15;

/// Event rates per person-month, in [`EVENT_TYPES`] order; `bed_day` is unused (it follows
/// each admission). For the "acute" kinds (all but appointments) these are population
/// averages: each person's rate is multiplied by their own [`Person::frailty`] (mean 1).
const PRE_RATES: [f64; 10] = [0.60, 0.35, 0.080, 0.0, 0.40, 1.0, 0.15, 0.20, 0.05, 0.10];
/// After start_date, by group: Integrated, Standard, Step-down, comparison.
const POST_RATES: [[f64; 10]; 4] = [
    [0.25, 0.15, 0.030, 0.0, 0.60, 4.3, 0.06, 0.08, 0.04, 0.05],
    [0.35, 0.20, 0.040, 0.0, 0.60, 3.5, 0.08, 0.11, 0.04, 0.06],
    [0.40, 0.22, 0.045, 0.0, 0.50, 2.5, 0.09, 0.12, 0.04, 0.07],
    [0.50, 0.30, 0.070, 0.0, 0.40, 1.2, 0.13, 0.17, 0.04, 0.09],
];
/// Acute-event multiplier from 12 to 3 months before start, and in the 3 months (91 days) before
/// start: the referral spike. They average 1 over the 12 months.
const PRE_EARLY_FACTOR: f64 = 5.0 / 6.0;
const PRE_SPIKE_FACTOR: f64 = 1.5;
const PRE_SPIKE_DAYS: i32 = 91;
/// Length of stay (bed days per admission), uniform over these inclusive bounds:
/// before start (mean 14), after start in service (mean 10), comparison after start (mean 13).
const LOS_PRE: (i32, i32) = (2, 26);
const LOS_SERVICE: (i32, i32) = (2, 18);
const LOS_COMPARISON: (i32, i32) = (2, 24);
/// Acute-event multiplier by baseline severity; with [`SEVERITY_WEIGHTS`] they average ~1.
const SEVERITY_EVENT_FACTOR: [f64; 3] = [0.7, 1.0, 1.35];

/// Mean of each person's recovery gain by group (Integrated, Standard, Step-down,
/// comparison), on the latent scale where 1 is about +16 WEMWBS and -9 PHQ-9 points.
const GAIN_MEAN: [f64; 4] = [1.05, 0.60, 0.55, 0.20];
const GAIN_SD: f64 = 0.35;
/// Time constant of recovery, days, uniform between these.
const TAU_DAYS: (f64, f64) = (60.0, 180.0);
const GAIN_SEVERITY_SHIFT: [f64; 3] = [-0.10, 0.0, 0.10];
/// Share of people whose gain is negative (deteriorating), percent: service, comparison.
const DETERIORATE_PCT: [u32; 2] = [8, 15];
/// Points per unit of latent recovery.
const WEMWBS_PER_UNIT: f64 = 16.0;
const PHQ9_PER_UNIT: f64 = 9.0;
const CORE10_PER_UNIT: f64 = 11.0;

/// Planted role shares, percent.
const DISCORDANT_PCT: usize = 8;
const REVERSE_PCT: usize = 2;
const EARLY_WARNING_PCT: usize = 5;
const STATIC_PLAN_PCT: usize = 20;
/// Early-warning ramp over the last three 30-day blocks before the reference date:
/// missed and attended appointments per month.
const EW_MISSED: [f64; 3] = [1.0, 2.0, 3.5];
const EW_ATTENDED: [f64; 3] = [3.0, 2.0, 1.0];

// ---------------------------------------------------------------------------------------
// Randomness: streams and small distributions
// ---------------------------------------------------------------------------------------

type Day = i32;

/// Which part of the generator draws from a stream; a person's streams are
/// `(person_idx + 1) * 8 + section`, and stream 0 is for choosing planted roles.
#[derive(Clone, Copy)]
enum Section {
    Person = 0,
    Outcomes = 1,
    Events = 2,
    Goals = 3,
    Status = 4,
    Feedback = 5,
}

struct Ctx {
    base: ChaCha8Rng,
    reference: Day,
}

impl Ctx {
    fn new(params: &DemoParams) -> Ctx {
        Ctx {
            base: ChaCha8Rng::seed_from_u64(params.seed),
            reference: day_of(params.reference_date),
        }
    }

    fn stream(&self, person_idx: usize, section: Section) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(((person_idx as u64 + 1) << 3) | section as u64);
        rng
    }

    fn roles_stream(&self) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(0);
        rng
    }
}

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    unit(rng) < p
}

fn between(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(rng)
}

/// A uniform integer in `lo..=hi`. Drawn as `u32`, never `usize`, so 32- and 64-bit
/// targets draw the same numbers.
fn int(rng: &mut ChaCha8Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo {
        return lo;
    }
    lo + rng.random_range(0..=(hi - lo) as u32) as i32
}

fn index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    int(rng, 0, len as i32 - 1) as usize
}

fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut draw = rng.random_range(0..total);
    for (idx, &weight) in weights.iter().enumerate() {
        if draw < weight {
            return idx;
        }
        draw -= weight;
    }
    weights.len() - 1
}

/// An approximately standard normal draw: the sum of twelve uniforms minus six
/// (Irwin–Hall), which has mean 0 and variance 1 and is bounded to ±6.
///
/// # Remarks
/// Not Box–Muller: Box–Muller needs `ln` and `cos`, whose last bit depends on the
/// platform's maths library, and a one-ulp difference can flip a rounded score and break
/// byte-identical output between native and wasm. Additions are exact IEEE operations.
/// `rand_distr` is not a dependency, hence this helper. The bounded tails are harmless for
/// synthetic scores that are clamped to their range anyway.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let mut sum = 0.0;
    for _ in 0..12 {
        sum += unit(rng);
    }
    sum - 6.0
}

/// `e^(-x)` for `x >= 0`, from `+ - * /` only so the result is bit-identical everywhere.
///
/// # Formula
/// Halve `x` until it is at most 1/8 (exact), sum the Taylor series of `e^(-y)` to 14
/// terms (truncation below 1e-20), then square the result once per halving.
///
/// # Remarks
/// Relative error grows by about 2^k for k halvings: under 1e-12 for `x` up to 1000, far
/// below what a synthetic rate needs. `f64::exp` is avoided because its last bit depends
/// on the platform's maths library.
fn exp_neg(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let mut y = x;
    let mut halvings = 0;
    while y > 0.125 {
        y *= 0.5;
        halvings += 1;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=14 {
        term *= -y / f64::from(k);
        sum += term;
    }
    for _ in 0..halvings {
        sum *= sum;
    }
    sum
}

/// A Poisson draw with mean `lambda`, by inversion of the cumulative distribution.
///
/// # Remarks
/// Written here because `rand_distr` is not a dependency, and from [`exp_neg`] so it is
/// bit-identical on every platform. The loop runs about `lambda` times, and the
/// generator's means stay below ~150 (in which range `e^(-lambda)` is a normal `f64`); a
/// cap of 10 × lambda + 50 guards against rounding leaving the cumulative sum below `u`.
fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let u = unit(rng);
    let mut p = exp_neg(lambda);
    let mut cumulative = p;
    let mut k = 0u32;
    let cap = (lambda * 10.0) as u32 + 50;
    while u > cumulative && k < cap {
        k += 1;
        p *= lambda / f64::from(k);
        cumulative += p;
    }
    k
}

/// `k` distinct items of `pool`, in the random order they were drawn (partial
/// Fisher–Yates shuffle).
fn choose(rng: &mut ChaCha8Rng, pool: &[usize], k: usize) -> Vec<usize> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for j in 0..k {
        let pick = j + index(rng, items.len() - j);
        items.swap(j, pick);
    }
    items.truncate(k);
    items
}

/// `pct` percent of `n`, rounded half up, in integers.
fn percent_of(n: usize, pct: usize) -> usize {
    (n * pct + 50) / 100
}

// ---------------------------------------------------------------------------------------
// Dates and CSV text
// ---------------------------------------------------------------------------------------

fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN)
}

/// Appends `yyyy-mm-dd`.
fn push_date(out: &mut String, day: Day) {
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
fn push_field(out: &mut String, value: &str) {
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
struct CsvOut {
    text: String,
    at_row_start: bool,
}

impl CsvOut {
    fn new(header: &str) -> CsvOut {
        let mut text = String::with_capacity(1 << 16);
        text.push_str(header);
        text.push('\n');
        CsvOut {
            text,
            at_row_start: true,
        }
    }

    fn sep(&mut self) {
        if !self.at_row_start {
            self.text.push(',');
        }
        self.at_row_start = false;
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        push_field(&mut self.text, value);
        self
    }

    fn date(&mut self, day: Day) -> &mut Self {
        self.sep();
        push_date(&mut self.text, day);
        self
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.text, "{value}");
        self
    }

    fn end(&mut self) {
        self.text.push('\n');
        self.at_row_start = true;
    }
}

const PEOPLE_HEADER: &str = concat!(
    "person_id,pathway,start_date,end_date,team,coordinator,baseline_severity,",
    "age_band,sex,ethnicity,cohort"
);
const OUTCOMES_HEADER: &str = "person_id,date,measure,score,stage";
const EVENTS_HEADER: &str = "person_id,date,event_type,quantity,severity,follow_up";
const GOALS_HEADER: &str = concat!(
    "person_id,goal_id,review_date,rating,domain,description,set_date,",
    "baseline_rating,target_rating,next_review_date,plan_changed,staff"
);
const STATUS_HEADER: &str = "person_id,date,indicator,value";
const FEEDBACK_HEADER: &str =
    "person_id,date,source,self_rating,functioning_change,themes,text,plan_adjustment";

// ---------------------------------------------------------------------------------------
// People: everything that more than one file depends on
// ---------------------------------------------------------------------------------------

/// A temporary drop in recovery: full `depth` at `at_day` (days since start), recovering
/// linearly over `length` days.
#[derive(Clone, Copy, Debug)]
struct Setback {
    at_day: f64,
    depth: f64,
    length: f64,
}

/// A person's latent recovery over time, in units where 1 is a large improvement.
#[derive(Clone, Debug)]
struct Trajectory {
    /// Where recovery levels off; negative for people who deteriorate.
    gain: f64,
    /// Time constant of the approach to `gain`, days.
    tau: f64,
    /// Recovery pauses from `.0` days for `.1` days.
    plateau: Option<(f64, f64)>,
    setbacks: Vec<Setback>,
}

impl Trajectory {
    /// # Formula
    /// `gain × (1 − e^(−t'/tau)) − Σ depth × (1 − (t − at)/length)` over setbacks in
    /// progress, where `t'` is `t` with the plateau's days taken out.
    fn at(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let warped = match self.plateau {
            Some((from, length)) if t > from => {
                if t < from + length {
                    from
                } else {
                    t - length
                }
            }
            _ => t,
        };
        let mut level = self.gain * (1.0 - exp_neg(warped / self.tau));
        for setback in &self.setbacks {
            let since = t - setback.at_day;
            if since >= 0.0 && since < setback.length {
                level -= setback.depth * (1.0 - since / setback.length);
            }
        }
        level
    }
}

#[derive(Clone, Debug)]
struct GoalPlan {
    domain: usize,
    text: usize,
    set: Day,
    baseline: i64,
    staff: usize,
    /// Follow-up review dates, after `set`.
    reviews: Vec<Day>,
}

#[derive(Clone, Debug, Default)]
struct Roles {
    discordant: bool,
    reverse: bool,
    early_warning: bool,
    early_warning_crisis: bool,
    static_plan: bool,
}

#[derive(Clone, Debug)]
struct Person {
    id: String,
    comparison: bool,
    pathway: usize,
    severity: usize,
    team: usize,
    coordinator: usize,
    age_band: usize,
    sex: usize,
    ethnicity: usize,
    start: Day,
    /// Discharge date, when before the reference date.
    end: Option<Day>,
    /// The last day the person is observed: `end`, else the reference date.
    obs_end: Day,
    /// Ended early after disengaging.
    dropped_out: bool,
    /// Multiplier on acute-event rates (mean about 1).
    frailty: f64,
    trajectory: Trajectory,
    /// Outcome occasions; when `discharge_measure`, the last is the discharge one.
    measure_days: Vec<Day>,
    discharge_measure: bool,
    uses_core10: bool,
    /// Housing level (index into [`HOUSING`]) from each date on; the first is at start.
    housing: Vec<(Day, usize)>,
    goals: Vec<GoalPlan>,
    roles: Roles,
}

impl Person {
    /// Index into per-group tables: the pathway, or [`COMPARISON`].
    fn group(&self) -> usize {
        if self.comparison {
            COMPARISON
        } else {
            self.pathway
        }
    }

    fn housing_on(&self, day: Day) -> usize {
        self.housing
            .iter()
            .take_while(|(from, _)| *from <= day)
            .last()
            .map_or(HOUSING.len() - 1, |h| h.1)
    }
}

fn build_person(ctx: &Ctx, idx: usize) -> Person {
    let rng = &mut ctx.stream(idx, Section::Person);
    let reference = ctx.reference;
    let comparison = chance(rng, f64::from(COMPARISON_PCT) / 100.0);
    let pathway = weighted(rng, &PATHWAY_WEIGHTS);
    let severity = weighted(rng, &SEVERITY_WEIGHTS);
    let team = weighted(rng, &TEAM_WEIGHTS);
    let coordinator = TEAM_COORDINATORS[team][index(rng, TEAM_COORDINATORS[team].len())];
    let age_band = weighted(rng, &AGE_WEIGHTS);
    let sex = weighted(rng, &SEX_WEIGHTS);
    let ethnicity = weighted(rng, &ETHNICITY_WEIGHTS);

    let start = reference - int(rng, 30, 730);
    let dropped_out = chance(rng, if comparison { 0.15 } else { 0.12 });
    let planned = if dropped_out {
        int(rng, 30, 120)
    } else if comparison {
        int(rng, 180, 450)
    } else {
        match pathway {
            INTEGRATED => int(rng, 270, 540),
            STANDARD => int(rng, 180, 365),
            _ => int(rng, 90, 180),
        }
    };
    let end = (start + planned < reference).then_some(start + planned);
    let obs_end = end.unwrap_or(reference);
    let frailty = between(rng, 0.4, 1.6) * SEVERITY_EVENT_FACTOR[severity];

    // Outcome occasions: baseline within two weeks of start, then about every 91 days
    // (±3 weeks), sometimes skipping one; a discharge measure near the end date.
    let mut measure_days = vec![start + int(rng, 0, 14)];
    let last_review = if end.is_some() { obs_end - 30 } else { obs_end };
    loop {
        let prev = measure_days[measure_days.len() - 1];
        let mut next = prev + 91 + int(rng, -21, 21);
        if chance(rng, 0.12) {
            next += 91;
        }
        if next > last_review {
            break;
        }
        measure_days.push(next);
    }
    let mut discharge_measure = false;
    if let Some(end) = end {
        let day = end - int(rng, 0, 7);
        if day >= measure_days[measure_days.len() - 1] + 28 {
            measure_days.push(day);
            discharge_measure = true;
        }
    }
    let uses_core10 = chance(rng, 0.05);

    let group = if comparison { COMPARISON } else { pathway };
    let deteriorates = chance(
        rng,
        f64::from(DETERIORATE_PCT[usize::from(comparison)]) / 100.0,
    );
    let gain = if deteriorates {
        -between(rng, 0.2, 0.7)
    } else {
        GAIN_MEAN[group] + GAIN_SEVERITY_SHIFT[severity] + GAIN_SD * normal(rng)
    };
    let tau = between(rng, TAU_DAYS.0, TAU_DAYS.1);
    let plateau = chance(rng, 0.3).then(|| (between(rng, 60.0, 200.0), between(rng, 60.0, 150.0)));
    let observed = f64::from(obs_end - start);
    let n_setbacks = poisson(rng, observed / DAYS_PER_MONTH * 0.07);
    let setbacks = (0..n_setbacks)
        .map(|_| Setback {
            at_day: between(rng, 30.0, observed.max(31.0)),
            depth: between(rng, 0.25, 0.6),
            length: between(rng, 30.0, 120.0),
        })
        .collect();
    let trajectory = Trajectory {
        gain,
        tau,
        plateau,
        setbacks,
    };

    // Housing: a level at start, then a chance each month to move up or down one level.
    let mut level = weighted(rng, &HOUSING_WEIGHTS);
    let mut housing = vec![(start, level)];
    let p_up = [0.15, 0.07, 0.05, 0.04][group];
    let mut month_start = start + 30;
    while month_start < obs_end {
        let day = (month_start + int(rng, 0, 29)).min(obs_end);
        if level + 1 < HOUSING.len() && chance(rng, p_up) {
            level += 1;
            housing.push((day, level));
        } else if level > 0 && chance(rng, 0.015) {
            level -= 1;
            housing.push((day, level));
        }
        month_start += 30;
    }

    let goals = if comparison {
        Vec::new()
    } else {
        plan_goals(rng, start, obs_end, team, coordinator)
    };

    Person {
        id: format!("WM-{:06}", idx + 1),
        comparison,
        pathway,
        severity,
        team,
        coordinator,
        age_band,
        sex,
        ethnicity,
        start,
        end,
        obs_end,
        dropped_out,
        frailty,
        trajectory,
        measure_days,
        discharge_measure,
        uses_core10,
        housing,
        goals,
        roles: Roles::default(),
    }
}

/// Two to four goals in distinct domains, set in the first three weeks, each reviewed
/// about every 91 days: mostly within ±10 days of due, sometimes late, now and then
/// months overdue.
fn plan_goals(
    rng: &mut ChaCha8Rng,
    start: Day,
    obs_end: Day,
    team: usize,
    coordinator: usize,
) -> Vec<GoalPlan> {
    let n_goals = int(rng, 2, 4) as usize;
    let all_domains: Vec<usize> = (0..DOMAINS.len()).collect();
    let mut domains = choose(rng, &all_domains, n_goals);
    domains.sort_unstable();
    domains
        .into_iter()
        .map(|domain| {
            let set = (start + int(rng, 0, 21)).min(obs_end);
            let baseline = if chance(rng, 0.55) { -2 } else { -1 };
            let staff = if chance(rng, 0.1) {
                let mates = TEAM_COORDINATORS[team];
                mates[index(rng, mates.len())]
            } else {
                coordinator
            };
            let mut reviews = Vec::new();
            let mut due = set + 91;
            loop {
                let lateness = match unit(rng) {
                    u if u < 0.75 => int(rng, -10, 10),
                    u if u < 0.93 => int(rng, 11, 45),
                    _ => int(rng, 46, 120),
                };
                let review = due + lateness;
                if review > obs_end {
                    break;
                }
                reviews.push(review);
                due = review + 91;
            }
            GoalPlan {
                domain,
                text: index(rng, 2),
                set,
                baseline,
                staff,
                reviews,
            }
        })
        .collect()
}

/// Which people the person-level effects are planted on, chosen at random from those who
/// can show them; returns each role's people in id order.
struct PlantedPeople {
    discordant: Vec<usize>,
    reverse: Vec<usize>,
    early_warning: Vec<usize>,
    early_warning_crisis: Vec<usize>,
    static_plan: Vec<usize>,
    n_service: usize,
}

fn assign_roles(ctx: &Ctx, people: &mut [Person]) -> PlantedPeople {
    let rng = &mut ctx.roles_stream();
    let n = people.len();
    let n_service = people.iter().filter(|p| !p.comparison).count();

    // Discordance needs a change to show: two occasions at least 150 days apart, scored on
    // WEMWBS and PHQ-9.
    let can_show_change: Vec<usize> = (0..n)
        .filter(|&i| {
            let p = &people[i];
            let span = p.measure_days[p.measure_days.len() - 1] - p.measure_days[0];
            !p.comparison && !p.uses_core10 && span >= 150
        })
        .collect();
    let discordant = choose(rng, &can_show_change, percent_of(n, DISCORDANT_PCT));
    let rest: Vec<usize> = can_show_change
        .iter()
        .copied()
        .filter(|i| !discordant.contains(i))
        .collect();
    let reverse = choose(rng, &rest, percent_of(n, REVERSE_PCT));

    // Early warning: still in service, at least 180 days in.
    let in_service: Vec<usize> = (0..n)
        .filter(|&i| {
            let p = &people[i];
            !p.comparison
                && p.end.is_none()
                && ctx.reference - p.start >= 180
                && !discordant.contains(&i)
                && !reverse.contains(&i)
        })
        .collect();
    let early_warning = choose(rng, &in_service, percent_of(n, EARLY_WARNING_PCT));
    let early_warning_crisis: Vec<usize> =
        early_warning[..early_warning.len().div_ceil(2)].to_vec();

    // Static plans: a goal with two follow-up reviews at least.
    let reviewed_twice: Vec<usize> = (0..n)
        .filter(|&i| people[i].goals.iter().any(|g| g.reviews.len() >= 2))
        .collect();
    let static_plan = choose(rng, &reviewed_twice, percent_of(n_service, STATIC_PLAN_PCT));

    for &i in &discordant {
        let p = &mut people[i];
        p.roles.discordant = true;
        p.trajectory = Trajectory {
            gain: between(rng, 1.1, 1.4),
            tau: between(rng, 60.0, 120.0),
            plateau: None,
            setbacks: Vec::new(),
        };
    }
    for &i in &reverse {
        let p = &mut people[i];
        p.roles.reverse = true;
        p.trajectory = Trajectory {
            gain: between(rng, -0.05, 0.1),
            tau: 120.0,
            plateau: None,
            setbacks: Vec::new(),
        };
    }
    for &i in &early_warning {
        let p = &mut people[i];
        p.roles.early_warning = true;
        let since_start = f64::from(ctx.reference - p.start);
        p.trajectory.setbacks.push(Setback {
            at_day: since_start - 80.0,
            depth: 0.3,
            length: 240.0,
        });
    }
    for &i in &early_warning_crisis {
        people[i].roles.early_warning_crisis = true;
    }
    for &i in &static_plan {
        people[i].roles.static_plan = true;
    }

    let sorted = |mut v: Vec<usize>| {
        v.sort_unstable();
        v
    };
    PlantedPeople {
        discordant: sorted(discordant),
        reverse: sorted(reverse),
        early_warning: sorted(early_warning),
        early_warning_crisis: sorted(early_warning_crisis),
        static_plan: sorted(static_plan),
        n_service,
    }
}

// ---------------------------------------------------------------------------------------
// The files
// ---------------------------------------------------------------------------------------

fn write_people(people: &[Person]) -> String {
    let mut out = CsvOut::new(PEOPLE_HEADER);
    for p in people {
        out.text(&p.id).text(PATHWAYS[p.pathway]).date(p.start);
        match p.end {
            Some(end) => out.date(end),
            None => out.text(""),
        };
        out.text(TEAMS[p.team])
            .text(COORDINATORS[p.coordinator])
            .text(SEVERITIES[p.severity])
            .text(AGE_BANDS[p.age_band])
            .text(SEXES[p.sex])
            .text(ETHNICITIES[p.ethnicity])
            .text(if p.comparison {
                "comparison"
            } else {
                "service"
            });
        out.end();
    }
    out.text
}

/// Counts gathered while writing, for the planted-effect descriptions.
#[derive(Default)]
struct Tally {
    groups: [GroupTally; 4],
    event_rows: usize,
}

#[derive(Default, Clone, Copy)]
struct GroupTally {
    people: u32,
    pre_days: i64,
    post_days: i64,
    crisis_pre: u32,
    crisis_post: u32,
    admissions_pre: u32,
    admissions_post: u32,
    bed_days_pre: i64,
    bed_days_post: i64,
    /// People with a first and a later WEMWBS, and how many rose by 8 points or more.
    wemwbs_people: u32,
    wemwbs_improved: u32,
    wemwbs_change: i64,
    phq9_people: u32,
    phq9_improved: u32,
    phq9_change: i64,
}

const WEMWBS_RANGE: (i64, i64) = (14, 70);
const PHQ9_RANGE: (i64, i64) = (0, 27);
const CORE10_RANGE: (i64, i64) = (0, 40);
/// Baseline means by severity (low, moderate, high) and person-level spread.
const WEMWBS_BASE: [f64; 3] = [41.0, 36.0, 31.0];
const PHQ9_BASE: [f64; 3] = [8.0, 13.0, 18.0];
const CORE10_BASE: [f64; 3] = [13.0, 18.0, 24.0];

fn score(value: f64, range: (i64, i64)) -> i64 {
    (value.round() as i64).clamp(range.0, range.1)
}

fn write_outcomes(ctx: &Ctx, people: &[Person], tally: &mut Tally) -> String {
    let mut out = CsvOut::new(OUTCOMES_HEADER);
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Outcomes);
        let wemwbs_base = WEMWBS_BASE[p.severity] + 4.0 * normal(rng);
        let phq9_base = PHQ9_BASE[p.severity] + 2.5 * normal(rng);
        let core10_base = CORE10_BASE[p.severity] + 3.0 * normal(rng);
        let (mut first_w, mut last_w, mut first_p, mut last_p) = (None, 0, None, 0);
        let n = p.measure_days.len();
        for (j, &day) in p.measure_days.iter().enumerate() {
            let stage = if j == 0 {
                "baseline"
            } else if j + 1 == n && p.discharge_measure {
                "discharge"
            } else {
                "review"
            };
            let level = p.trajectory.at(f64::from(day - p.start));
            let wemwbs = score(
                wemwbs_base + WEMWBS_PER_UNIT * level + 2.5 * normal(rng),
                WEMWBS_RANGE,
            );
            out.text(&p.id)
                .date(day)
                .text("WEMWBS")
                .int(wemwbs)
                .text(stage);
            out.end();
            first_w.get_or_insert(wemwbs);
            last_w = wemwbs;
            if p.uses_core10 {
                let core10 = score(
                    core10_base - CORE10_PER_UNIT * level + 2.0 * normal(rng),
                    CORE10_RANGE,
                );
                out.text(&p.id)
                    .date(day)
                    .text("CORE-10")
                    .int(core10)
                    .text(stage);
            } else {
                let phq9 = score(
                    phq9_base - PHQ9_PER_UNIT * level + 1.8 * normal(rng),
                    PHQ9_RANGE,
                );
                out.text(&p.id)
                    .date(day)
                    .text("PHQ-9")
                    .int(phq9)
                    .text(stage);
                first_p.get_or_insert(phq9);
                last_p = phq9;
            }
            out.end();
        }
        let g = &mut tally.groups[p.group()];
        if n >= 2 {
            if let Some(first) = first_w {
                g.wemwbs_people += 1;
                g.wemwbs_change += last_w - first;
                g.wemwbs_improved += u32::from(last_w - first >= 8);
            }
            if let Some(first) = first_p {
                g.phq9_people += 1;
                g.phq9_change += last_p - first;
                g.phq9_improved += u32::from(first - last_p >= 6);
            }
        }
    }
    out.text
}

#[derive(Clone, Copy)]
struct Event {
    day: Day,
    kind: usize,
    quantity: i32,
    severity: u8,
    /// Index + 1 into the kind's follow-up list; 0 for none.
    follow_up: usize,
}

fn follow_ups(kind: usize) -> &'static [&'static str] {
    match kind {
        CRISIS => &CRISIS_FOLLOW_UPS,
        INCIDENT => &INCIDENT_FOLLOW_UPS,
        SAFEGUARDING => &SAFEGUARDING_FOLLOW_UPS,
        _ => &[],
    }
}

/// Makes one event of `kind` on `day`, with its severity and follow-up when the kind has them.
fn event(rng: &mut ChaCha8Rng, day: Day, kind: usize) -> Event {
    let severity = match kind {
        CRISIS => weighted(rng, &[50, 35, 15]) as u8 + 1,
        INCIDENT => weighted(rng, &[55, 33, 12]) as u8 + 1,
        _ => 0,
    };
    let p_follow_up = match kind {
        CRISIS => 0.4,
        INCIDENT => 0.5,
        SAFEGUARDING => 0.7,
        _ => 0.0,
    };
    let follow_up = if p_follow_up > 0.0 && chance(rng, p_follow_up) {
        index(rng, follow_ups(kind).len()) + 1
    } else {
        0
    };
    Event {
        day,
        kind,
        quantity: 1,
        severity,
        follow_up,
    }
}

/// A stretch of days `[from, to)` with constant monthly rates.
struct Segment {
    from: Day,
    to: Day,
    rates: [f64; 10],
    /// Multiplier on the acute kinds (everything but appointments).
    acute_factor: f64,
    length_of_stay: (i32, i32),
}

fn draw_segment(rng: &mut ChaCha8Rng, segment: &Segment, obs_end: Day, out: &mut Vec<Event>) {
    if segment.to <= segment.from {
        return;
    }
    let months = f64::from(segment.to - segment.from) / DAYS_PER_MONTH;
    for kind in 0..EVENT_TYPES.len() {
        if kind == BED_DAY {
            continue;
        }
        let factor = if kind == MISSED || kind == ATTENDED {
            1.0
        } else {
            segment.acute_factor
        };
        let count = poisson(rng, segment.rates[kind] * factor * months);
        for _ in 0..count {
            let day = int(rng, segment.from, segment.to - 1);
            out.push(event(rng, day, kind));
            if kind == ADMISSION {
                let (lo, hi) = segment.length_of_stay;
                let stay = int(rng, lo, hi).min(obs_end - day).max(1);
                out.push(Event {
                    day,
                    kind: BED_DAY,
                    quantity: stay,
                    severity: 0,
                    follow_up: 0,
                });
            }
        }
    }
}

/// The stretches of a person's event window, from 12 months before start to the end of
/// observation, with the rates that apply in each.
fn segments(p: &Person, reference: Day) -> Vec<Segment> {
    let window_start = date_of(p.start)
        .checked_sub_months(Months::new(12))
        .map_or(p.start - 365, day_of);
    let spike_from = p.start - PRE_SPIKE_DAYS;
    let mut out = vec![
        Segment {
            from: window_start,
            to: spike_from,
            rates: PRE_RATES,
            acute_factor: p.frailty * PRE_EARLY_FACTOR,
            length_of_stay: LOS_PRE,
        },
        Segment {
            from: spike_from,
            to: p.start,
            rates: PRE_RATES,
            acute_factor: p.frailty * PRE_SPIKE_FACTOR,
            length_of_stay: LOS_PRE,
        },
    ];
    let group = p.group();
    let post = POST_RATES[group];
    let los = if p.comparison {
        LOS_COMPARISON
    } else {
        LOS_SERVICE
    };
    let mut tail_from = p.obs_end;
    let mut tail = Vec::new();
    if p.roles.early_warning {
        tail_from = reference - 90;
        for block in 0..3 {
            let mut rates = post;
            rates[MISSED] = EW_MISSED[block];
            rates[ATTENDED] = EW_ATTENDED[block];
            let from = tail_from + 30 * block as i32;
            tail.push(Segment {
                from,
                to: from + 30,
                rates,
                acute_factor: p.frailty,
                length_of_stay: los,
            });
        }
    } else if p.dropped_out && p.end.is_some() {
        tail_from = (p.obs_end - 60).max(p.start);
        let mut rates = post;
        rates[MISSED] *= 3.0;
        rates[ATTENDED] *= 0.4;
        tail.push(Segment {
            from: tail_from,
            to: p.obs_end,
            rates,
            acute_factor: p.frailty,
            length_of_stay: los,
        });
    }
    out.push(Segment {
        from: p.start,
        to: tail_from,
        rates: post,
        acute_factor: p.frailty,
        length_of_stay: los,
    });
    out.extend(tail);
    out
}

fn write_events(ctx: &Ctx, people: &[Person], tally: &mut Tally) -> String {
    let mut out = CsvOut::new(EVENTS_HEADER);
    out.text
        .reserve(people.len() * MEAN_EVENT_ROWS_PER_PERSON * 56);
    let mut events: Vec<Event> = Vec::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Events);
        events.clear();
        let parts = segments(p, ctx.reference);
        for segment in &parts {
            draw_segment(rng, segment, p.obs_end, &mut events);
        }
        if p.roles.early_warning_crisis {
            let day = int(rng, ctx.reference - 21, ctx.reference - 1);
            let mut crisis = event(rng, day, CRISIS);
            crisis.severity = int(rng, 2, 3) as u8;
            events.push(crisis);
        }
        events.sort_by_key(|e| (e.day, e.kind, e.severity, e.follow_up));
        // Two identical events on one day become one row with quantity 2, as case-management
        // systems record them; exact duplicate rows would be flagged by validation.
        events.dedup_by(|later, kept| {
            let same = (later.day, later.kind, later.severity, later.follow_up)
                == (kept.day, kept.kind, kept.severity, kept.follow_up);
            if same {
                kept.quantity += later.quantity;
            }
            same
        });

        let g = &mut tally.groups[p.group()];
        g.people += 1;
        g.pre_days += i64::from(p.start - parts[0].from);
        g.post_days += i64::from(p.obs_end - p.start);
        tally.event_rows += events.len();
        for e in &events {
            let pre = e.day < p.start;
            match (e.kind, pre) {
                (CRISIS, true) => g.crisis_pre += e.quantity as u32,
                (CRISIS, false) => g.crisis_post += e.quantity as u32,
                (ADMISSION, true) => g.admissions_pre += e.quantity as u32,
                (ADMISSION, false) => g.admissions_post += e.quantity as u32,
                (BED_DAY, true) => g.bed_days_pre += i64::from(e.quantity),
                (BED_DAY, false) => g.bed_days_post += i64::from(e.quantity),
                _ => {}
            }
            out.text(&p.id)
                .date(e.day)
                .text(EVENT_TYPES[e.kind])
                .int(i64::from(e.quantity));
            if e.severity > 0 {
                out.int(i64::from(e.severity));
            } else {
                out.text("");
            }
            out.text(if e.follow_up > 0 {
                follow_ups(e.kind)[e.follow_up - 1]
            } else {
                ""
            });
            out.end();
        }
    }
    out.text
}

fn write_goals(ctx: &Ctx, people: &[Person]) -> String {
    let mut out = CsvOut::new(GOALS_HEADER);
    let mut goal_id = String::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Goals);
        for (goal_idx, goal) in p.goals.iter().enumerate() {
            goal_id.clear();
            let _ = write!(goal_id, "{}-G{}", p.id, goal_idx + 1);
            let pace = between(rng, 0.6, 1.3);
            let row = |out: &mut CsvOut, review: Day, rating: i64, changed: bool| {
                out.text(&p.id)
                    .text(&goal_id)
                    .date(review)
                    .int(rating)
                    .text(DOMAINS[goal.domain])
                    .text(GOAL_TEXT[goal.domain][goal.text])
                    .date(goal.set)
                    .int(goal.baseline)
                    .int(0)
                    .date(review + 91)
                    .text(if changed { "yes" } else { "no" })
                    .text(COORDINATORS[goal.staff]);
                out.end();
            };
            // The goal-setting row: the plan is new, so it counts as changed.
            row(&mut out, goal.set, goal.baseline, true);
            let mut prev = goal.baseline;
            let mut prev_stuck = false;
            for &review in &goal.reviews {
                let (rating, changed) = if p.roles.static_plan {
                    let slip = chance(rng, 0.15);
                    ((prev - i64::from(slip)).max(-2), false)
                } else {
                    let level = p.trajectory.at(f64::from(review - p.start));
                    let ideal = goal.baseline as f64
                        + (1.0 - goal.baseline as f64) * level * pace
                        + 0.45 * normal(rng);
                    let rating = score(ideal, (-2, 2));
                    let changed = if rating > prev {
                        chance(rng, 0.2)
                    } else {
                        // Never two stuck reviews in a row unless the static plan is planted.
                        prev_stuck || chance(rng, 0.7)
                    };
                    (rating, changed)
                };
                prev_stuck = rating <= prev && !changed;
                prev = rating;
                row(&mut out, review, rating, changed);
            }
        }
    }
    out.text
}

fn write_status(ctx: &Ctx, people: &[Person]) -> String {
    const ENGAGED: usize = 2;
    const PARTIAL: usize = 1;
    const DISENGAGED: usize = 0;
    let mut out = CsvOut::new(STATUS_HEADER);
    // (day, indicator: 0 housing / 1 engagement, value index)
    let mut rows: Vec<(Day, usize, usize)> = Vec::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Status);
        rows.clear();
        rows.extend(p.housing.iter().map(|&(day, level)| (day, 0, level)));

        let mut level = if p.roles.early_warning || chance(rng, 0.72) {
            ENGAGED
        } else {
            PARTIAL
        };
        rows.push((p.start, 1, level));
        let drift_until = if p.roles.early_warning {
            p.start // steady engagement until the planted drop
        } else if p.dropped_out && p.end.is_some() {
            p.obs_end - 60
        } else {
            p.obs_end
        };
        let mut month_start = p.start + 30;
        while month_start < drift_until {
            let day = (month_start + int(rng, 0, 29)).min(drift_until);
            let next = match level {
                ENGAGED if chance(rng, 0.025) => PARTIAL,
                PARTIAL if chance(rng, 0.25) => ENGAGED,
                PARTIAL if chance(rng, 0.03) => DISENGAGED,
                DISENGAGED if chance(rng, 0.3) => PARTIAL,
                _ => level,
            };
            if next != level {
                level = next;
                rows.push((day, 1, level));
            }
            month_start += 30;
        }
        if p.roles.early_warning {
            rows.push((ctx.reference - int(rng, 70, 85), 1, PARTIAL));
            if chance(rng, 0.6) {
                rows.push((ctx.reference - int(rng, 20, 35), 1, DISENGAGED));
            }
        } else if p.dropped_out && p.end.is_some() {
            // Stays are 30 days at least, so both changes fit after start.
            let mut last_change = p.start;
            if level == ENGAGED {
                last_change = (p.obs_end - int(rng, 45, 59)).max(p.start + 1);
                rows.push((last_change, 1, PARTIAL));
            }
            rows.push((
                (p.obs_end - int(rng, 5, 20)).max(last_change + 1),
                1,
                DISENGAGED,
            ));
        }
        rows.sort_by_key(|&(day, indicator, _)| (day, indicator));
        for &(day, indicator, value) in rows.iter() {
            let (name, label) = if indicator == 0 {
                ("housing", HOUSING[value])
            } else {
                ("engagement", ENGAGEMENT[value])
            };
            out.text(&p.id).date(day).text(name).text(label);
            out.end();
        }
    }
    out.text
}

/// One feedback row before it is written.
struct Feedback {
    day: Day,
    source: usize,
    self_rating: i64,
    change: usize,
    themes: u16,
    text: &'static str,
    plan_adjustment: Option<&'static str>,
}

fn write_feedback(ctx: &Ctx, people: &[Person]) -> String {
    const PERSON: usize = 0;
    const CARER: usize = 2;
    let mut out = CsvOut::new(FEEDBACK_HEADER);
    let mut rows: Vec<Feedback> = Vec::new();
    let mut themes_text = String::new();
    for (idx, p) in people.iter().enumerate() {
        if p.comparison {
            continue; // usual care collects no feedback in this model
        }
        let rng = &mut ctx.stream(idx, Section::Feedback);
        rows.clear();
        for pair in p.measure_days.windows(2) {
            let (prev_day, occasion) = (pair[0], pair[1]);
            let planted = p.roles.discordant || p.roles.reverse;
            for (source, p_give, max_delay) in [
                (0, if planted { 1.0 } else { 0.8 }, 3),
                (1, 0.5, 7),
                (2, 0.12, 14),
            ] {
                if !chance(rng, p_give) {
                    continue;
                }
                let day = (occasion + int(rng, 0, max_delay)).min(p.obs_end);
                let now = p.trajectory.at(f64::from(day - p.start));
                let before = p.trajectory.at(f64::from(prev_day - p.start));
                let poor = p.roles.discordant && (source == PERSON || source == CARER);
                let good = p.roles.reverse && (source == PERSON || source == CARER);
                let (self_rating, change, mood) = if poor {
                    (
                        i64::from(int(rng, 1, 3)),
                        if chance(rng, 0.7) { 2 } else { 1 },
                        2,
                    )
                } else if good {
                    (
                        i64::from(int(rng, 7, 9)),
                        if chance(rng, 0.7) { 0 } else { 1 },
                        0,
                    )
                } else {
                    let rating = score(3.5 + 5.0 * now + 1.2 * normal(rng), (0, 10));
                    let delta = now - before + 0.1 * normal(rng);
                    let change = if delta > 0.08 {
                        0
                    } else if delta < -0.08 {
                        2
                    } else {
                        1
                    };
                    let mood = if rating >= 7 {
                        0
                    } else if rating >= 4 {
                        1
                    } else {
                        2
                    };
                    (rating, change, mood)
                };
                let mut themes: u16 = 0;
                if poor {
                    match int(rng, 0, 4) {
                        0 => themes |= 1 << T_ISOLATION,
                        1 => themes |= 1 << T_LONELINESS,
                        _ => themes |= (1 << T_ISOLATION) | (1 << T_LONELINESS),
                    }
                } else if good {
                    themes |= 1 << T_LISTENED;
                    if chance(rng, 0.6) {
                        themes |= 1 << T_CONFIDENCE;
                    }
                }
                let pool = THEMES_BY_MOOD[mood];
                for _ in 0..int(rng, if themes == 0 { 1 } else { 0 }, 2) {
                    themes |= 1 << pool[index(rng, pool.len())];
                }
                if p.housing_on(day) <= 1 && chance(rng, 0.7) {
                    themes |= 1 << T_HOUSING;
                }
                let texts = FEEDBACK_TEXT[source][mood];
                let text = texts[index(rng, texts.len())];
                let p_adjust = if poor {
                    0.1
                } else if mood == 2 {
                    0.5
                } else {
                    0.3
                };
                let adjustments = PLAN_ADJUSTMENTS[usize::from(mood > 0)];
                let plan_adjustment =
                    chance(rng, p_adjust).then(|| adjustments[index(rng, adjustments.len())]);
                rows.push(Feedback {
                    day,
                    source,
                    self_rating,
                    change,
                    themes,
                    text,
                    plan_adjustment,
                });
            }
        }
        rows.sort_by_key(|f| (f.day, f.source));
        for f in &rows {
            themes_text.clear();
            for (theme_idx, theme) in THEMES.iter().enumerate() {
                if f.themes & (1 << theme_idx) != 0 {
                    if !themes_text.is_empty() {
                        themes_text.push(';');
                    }
                    themes_text.push_str(theme);
                }
            }
            out.text(&p.id)
                .date(f.day)
                .text(SOURCES[f.source])
                .int(f.self_rating)
                .text(CHANGES[f.change])
                .text(&themes_text)
                .text(f.text)
                .text(f.plan_adjustment.unwrap_or(""));
            out.end();
        }
    }
    out.text
}

// ---------------------------------------------------------------------------------------
// Planted-effect descriptions
// ---------------------------------------------------------------------------------------

/// Events per person-month, two decimals; "n/a" with no exposure.
fn per_month(count: i64, days: i64) -> String {
    if days <= 0 {
        return "n/a".to_string();
    }
    format!("{:.2}", count as f64 / (days as f64 / DAYS_PER_MONTH))
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!("{:.0}%", 100.0 * f64::from(part) / f64::from(whole))
}

fn ids(people: &[Person], idxs: &[usize]) -> Vec<String> {
    idxs.iter().map(|&i| people[i].id.clone()).collect()
}

/// "n people (WM-000001, WM-000002, ...)": the first few ids of a list.
fn id_sample(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    let more = if ids.len() > shown.len() { ", ..." } else { "" };
    format!("{} people ({}{})", ids.len(), shown.join(", "), more)
}

fn describe_planted(
    people: &[Person],
    planted: &PlantedPeople,
    tally: &Tally,
) -> Vec<PlantedEffect> {
    let groups = &tally.groups;
    let mut crisis = format!(
        "Crisis contacts per person-month (30.4375 days) fall after start_date. Planted: {:.2} in \
         the 12 months before start (x{:.3} from 12 to 3 months before, x{:.1} in the last {} \
         days: the spike that prompts referral); after start, service cohort {} {:.2}, {} {:.2}, \
         {} {:.2}; comparison cohort (usual care) {:.2}, a fall from regression to the mean only. \
         Each person's rate is scaled by a personal multiplier (uniform 0.4-1.6, times \
         0.7/1.0/1.35 for low/moderate/high severity). Observed (before -> after):",
        PRE_RATES[CRISIS],
        PRE_EARLY_FACTOR,
        PRE_SPIKE_FACTOR,
        PRE_SPIKE_DAYS,
        PATHWAYS[INTEGRATED],
        POST_RATES[INTEGRATED][CRISIS],
        PATHWAYS[STANDARD],
        POST_RATES[STANDARD][CRISIS],
        PATHWAYS[STEP_DOWN],
        POST_RATES[STEP_DOWN][CRISIS],
        POST_RATES[COMPARISON][CRISIS],
    );
    let mut admissions = format!(
        "Admissions and bed days fall after start_date. Planted admissions per person-month: {:.3} \
         before; after, {:.3} / {:.3} / {:.3} for the three pathways and {:.3} for the comparison \
         cohort. Each admission has a bed_day row on the same day whose quantity is the length of \
         stay, uniform {}-{} days before start, {}-{} after start in service, {}-{} for the \
         comparison cohort (capped at the end of observation). Observed admissions and bed days \
         per person-month (before -> after):",
        PRE_RATES[ADMISSION],
        POST_RATES[INTEGRATED][ADMISSION],
        POST_RATES[STANDARD][ADMISSION],
        POST_RATES[STEP_DOWN][ADMISSION],
        POST_RATES[COMPARISON][ADMISSION],
        LOS_PRE.0,
        LOS_PRE.1,
        LOS_SERVICE.0,
        LOS_SERVICE.1,
        LOS_COMPARISON.0,
        LOS_COMPARISON.1,
    );
    let mut improvement = format!(
        "{} has the best reliable-improvement rate. Each person's latent recovery approaches a \
         gain (1 unit = +{} WEMWBS, -{} PHQ-9, -{} CORE-10 points) with a time constant of \
         {:.0}-{:.0} days; mean gain {:.2} / {:.2} / {:.2} for the three pathways and {:.2} for \
         the comparison cohort (sd {:.2}, shifted -0.10/0/+0.10 by severity); {}% of the service \
         cohort and {}% of the comparison cohort deteriorate instead; 30% plateau for 60-150 days; \
         setbacks at 0.07 per person-month. Observed first-to-last change, with illustrative \
         thresholds (WEMWBS +8 or more, PHQ-9 -6 or more):",
        PATHWAYS[INTEGRATED],
        WEMWBS_PER_UNIT,
        PHQ9_PER_UNIT,
        CORE10_PER_UNIT,
        TAU_DAYS.0,
        TAU_DAYS.1,
        GAIN_MEAN[0],
        GAIN_MEAN[1],
        GAIN_MEAN[2],
        GAIN_MEAN[3],
        GAIN_SD,
        DETERIORATE_PCT[0],
        DETERIORATE_PCT[1],
    );
    for (g, name) in groups.iter().zip(GROUP_NAMES) {
        let _ = write!(
            crisis,
            " {name} {} -> {} ({} people);",
            per_month(i64::from(g.crisis_pre), g.pre_days),
            per_month(i64::from(g.crisis_post), g.post_days),
            g.people,
        );
        let _ = write!(
            admissions,
            " {name} {} -> {} admissions, {} -> {} bed days;",
            per_month(i64::from(g.admissions_pre), g.pre_days),
            per_month(i64::from(g.admissions_post), g.post_days),
            per_month(g.bed_days_pre, g.pre_days),
            per_month(g.bed_days_post, g.post_days),
        );
        let mean_change = |sum: i64, n: u32| {
            if n == 0 {
                "n/a".to_string()
            } else {
                // Rounded first, and + 0.0 turns -0.0 into 0.0, so no "-0.0".
                let tenths = (sum as f64 / f64::from(n) * 10.0).round() / 10.0;
                format!("{:+.1}", tenths + 0.0)
            }
        };
        let _ = write!(
            improvement,
            " {name} WEMWBS {} improved (mean {}, {} people), PHQ-9 {} improved (mean {}, {} people);",
            share(g.wemwbs_improved, g.wemwbs_people),
            mean_change(g.wemwbs_change, g.wemwbs_people),
            g.wemwbs_people,
            share(g.phq9_improved, g.phq9_people),
            mean_change(g.phq9_change, g.phq9_people),
            g.phq9_people,
        );
    }
    for text in [&mut crisis, &mut admissions, &mut improvement] {
        text.pop();
        text.push('.');
    }

    let static_ids = ids(people, &planted.static_plan);
    let discordant_ids = ids(people, &planted.discordant);
    let reverse_ids = ids(people, &planted.reverse);
    let warning_ids = ids(people, &planted.early_warning);
    let warning_crisis_ids = ids(people, &planted.early_warning_crisis);

    vec![
        PlantedEffect {
            name: "crisis_contacts_fall",
            description: crisis,
            people: Vec::new(),
        },
        PlantedEffect {
            name: "integrated_best_improvement",
            description: improvement,
            people: Vec::new(),
        },
        PlantedEffect {
            name: "admissions_fall",
            description: admissions,
            people: Vec::new(),
        },
        PlantedEffect {
            name: "static_plans",
            description: format!(
                "{}% of the service cohort ({} of {}), chosen among people with a goal reviewed at \
                 least twice: {}. Every follow-up review of every goal has plan_changed=no and a \
                 rating that never rises (it slips by 1 with probability 0.15, floor -2). No one \
                 else has two consecutive follow-up reviews of a goal with plan_changed=no and no \
                 rise in rating (the goal-setting row has plan_changed=yes).",
                STATIC_PLAN_PCT, static_ids.len(), planted.n_service, id_sample(&static_ids),
            ),
            people: static_ids,
        },
        PlantedEffect {
            name: "discordant_feedback",
            description: format!(
                "{}% of all people ({}), chosen in the service cohort among people scored on \
                 WEMWBS and PHQ-9 at least 150 days apart: {}. Their scores improve reliably (gain \
                 1.1-1.4, time constant 60-120 days, no setbacks or plateau) while their own and \
                 carers' feedback is poor: self_rating 1-3, functioning_change worse (70%) or \
                 same, themes always isolation and/or loneliness, negative text, a plan adjustment \
                 only 10% of the time. Staff feedback follows the scores.",
                DISCORDANT_PCT,
                discordant_ids.len(),
                id_sample(&discordant_ids),
            ),
            people: discordant_ids,
        },
        PlantedEffect {
            name: "reverse_discordant_feedback",
            description: format!(
                "{}% of all people ({}), from the same pool as the discordant ones: {}. Their \
                 scores stay flat (gain -0.05 to 0.10) while their own and carers' feedback is \
                 good: self_rating 7-9, functioning_change better (70%) or same, themes include \
                 feeling listened to.",
                REVERSE_PCT,
                reverse_ids.len(),
                id_sample(&reverse_ids),
            ),
            people: reverse_ids,
        },
        PlantedEffect {
            name: "early_warning",
            description: format!(
                "{}% of all people ({}), chosen among the service cohort still in service with \
                 180+ days since start: {}. In the last three 30-day blocks before the reference \
                 date missed appointments run at {:.1}, {:.1}, {:.1} per month (otherwise \
                 {:.2}-{:.2}) and attended ones at {:.1}, {:.1}, {:.1}; engagement, steady at \
                 engaged before, drops to partial 70-85 days before the reference date and to \
                 disengaged 20-35 days before for about 60%; scores take a setback from 80 days \
                 before. A crisis contact (severity 2-3) follows in the last 21 days for {}: {}.",
                EARLY_WARNING_PCT,
                warning_ids.len(),
                id_sample(&warning_ids),
                EW_MISSED[0],
                EW_MISSED[1],
                EW_MISSED[2],
                POST_RATES[STEP_DOWN][MISSED],
                POST_RATES[INTEGRATED][MISSED],
                EW_ATTENDED[0],
                EW_ATTENDED[1],
                EW_ATTENDED[2],
                warning_crisis_ids.len(),
                warning_crisis_ids.join(", "),
            ),
            people: warning_ids,
        },
    ]
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Parses RFC 4180 text into records (quoted fields may hold commas, quotes, newlines).
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match (quoted, ch) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, _) => field.push(ch),
                (false, '"') if field.is_empty() => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, _) => field.push(ch),
            }
        }
        assert!(
            field.is_empty() && record.is_empty(),
            "file must end with a line feed"
        );
        records
    }

    /// A file's rows as maps from header name to value, after checking the header and the
    /// field count of every row.
    fn table(
        data: &DemoDataset,
        name: &str,
        header: &'static str,
    ) -> Vec<BTreeMap<&'static str, String>> {
        let file = data.file(name).unwrap_or_else(|| panic!("{name} missing"));
        assert!(!file.csv.contains('\r'), "{name}: LF line ends only");
        let records = parse_csv(&file.csv);
        let columns: Vec<&str> = header.split(',').collect();
        assert_eq!(records[0], columns, "{name}: header");
        for (line, record) in records.iter().enumerate().skip(1) {
            assert_eq!(
                record.len(),
                columns.len(),
                "{name} line {}: {record:?}",
                line + 1
            );
        }
        records[1..]
            .iter()
            .map(|r| columns.iter().copied().zip(r.iter().cloned()).collect())
            .collect()
    }

    fn date(text: &str) -> Day {
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .unwrap_or_else(|_| panic!("bad date `{text}`"));
        assert_eq!(text.len(), 10, "`{text}` must be yyyy-mm-dd");
        day_of(parsed)
    }

    struct Window {
        start: Day,
        obs_end: Day,
        cohort: String,
        pathway: String,
    }

    fn windows(data: &DemoDataset, reference: Day) -> BTreeMap<String, Window> {
        table(data, "people.csv", PEOPLE_HEADER)
            .into_iter()
            .map(|r| {
                let start = date(&r["start_date"]);
                let obs_end = if r["end_date"].is_empty() {
                    reference
                } else {
                    date(&r["end_date"])
                };
                let window = Window {
                    start,
                    obs_end,
                    cohort: r["cohort"].clone(),
                    pathway: r["pathway"].clone(),
                };
                (r["person_id"].clone(), window)
            })
            .collect()
    }

    fn with(n_people: usize, seed: u64) -> DemoParams {
        DemoParams {
            n_people,
            seed,
            ..DemoParams::default()
        }
    }

    #[test]
    fn same_seed_same_bytes_and_different_seed_different_bytes() {
        let a = generate(&DemoParams::default());
        let b = generate(&DemoParams::default());
        assert_eq!(a, b);
        let c = generate(&with(300, 43));
        for (x, y) in a.files.iter().zip(&c.files) {
            assert_ne!(x.csv, y.csv, "{} should change with the seed", x.name);
        }
    }

    /// Pins the bytes so a change in any platform or dependency that alters the output is
    /// caught: an FNV-1a hash of every file, recomputed natively and on wasm32 when changed.
    #[test]
    fn output_is_pinned() {
        let data = generate(&with(40, 7));
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for file in &data.files {
            for byte in file.name.bytes().chain(file.csv.bytes()) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!(
            hash, PINNED_HASH,
            "output changed: update PINNED_HASH if intended"
        );
    }
    const PINNED_HASH: u64 = 16_014_357_772_049_593_563;

    #[test]
    fn every_file_has_its_header_and_a_constant_field_count() {
        let data = generate(&DemoParams::default());
        let names: Vec<&str> = data.files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "people.csv",
                "outcomes.csv",
                "events.csv",
                "goals.csv",
                "status.csv",
                "feedback.csv"
            ]
        );
        for (name, header) in [
            ("people.csv", PEOPLE_HEADER),
            ("outcomes.csv", OUTCOMES_HEADER),
            ("events.csv", EVENTS_HEADER),
            ("goals.csv", GOALS_HEADER),
            ("status.csv", STATUS_HEADER),
            ("feedback.csv", FEEDBACK_HEADER),
        ] {
            assert!(
                table(&data, name, header).len() > 100,
                "{name} should have rows"
            );
        }
        // Quoting is exercised: fields with commas and quotes come back intact.
        let feedback = table(&data, "feedback.csv", FEEDBACK_HEADER);
        assert!(feedback
            .iter()
            .any(|r| r["text"] == "Everyone says I'm \"doing well\", but I don't feel it."));
        let people = table(&data, "people.csv", PEOPLE_HEADER);
        assert!(people
            .iter()
            .any(|r| r["ethnicity"] == "Black, Black British, Caribbean or African"));
    }

    #[test]
    fn no_people_gives_headers_only() {
        let data = generate(&with(0, 1));
        for file in &data.files {
            assert_eq!(file.csv.lines().count(), 1, "{}", file.name);
        }
    }

    #[test]
    fn dates_are_valid_and_within_each_persons_window() {
        let params = DemoParams::default();
        let reference = day_of(params.reference_date);
        let data = generate(&params);
        let people = windows(&data, reference);
        for w in people.values() {
            assert!((reference - 730..=reference - 30).contains(&w.start));
            assert!(w.obs_end > w.start && w.obs_end <= reference);
        }
        let sorted_people: Vec<&String> = people.keys().collect();
        let mut last: Option<(String, Day)> = None;
        for r in table(&data, "events.csv", EVENTS_HEADER) {
            let w = &people[&r["person_id"]];
            let day = date(&r["date"]);
            let earliest = day_of(
                date_of(w.start)
                    .checked_sub_months(Months::new(12))
                    .expect("in range"),
            );
            assert!(
                day >= earliest && day < w.obs_end,
                "event outside window: {r:?}"
            );
            if let Some((prev_id, prev_day)) = &last {
                assert!(
                    (prev_id, *prev_day) <= (&r["person_id"], day),
                    "events sorted by person then date"
                );
            }
            last = Some((r["person_id"].clone(), day));
            let severity_kind =
                r["event_type"] == "crisis_contact" || r["event_type"] == "incident";
            assert_eq!(!r["severity"].is_empty(), severity_kind, "{r:?}");
        }
        assert_eq!(sorted_people.len(), params.n_people);
        for (name, header, column) in [
            ("outcomes.csv", OUTCOMES_HEADER, "date"),
            ("goals.csv", GOALS_HEADER, "review_date"),
            ("status.csv", STATUS_HEADER, "date"),
            ("feedback.csv", FEEDBACK_HEADER, "date"),
        ] {
            for r in table(&data, name, header) {
                let w = &people[&r["person_id"]];
                let day = date(&r[column]);
                assert!(day >= w.start && day <= w.obs_end, "{name}: {r:?}");
            }
        }
        for r in table(&data, "goals.csv", GOALS_HEADER) {
            assert_eq!(date(&r["next_review_date"]), date(&r["review_date"]) + 91);
            assert!(date(&r["set_date"]) <= date(&r["review_date"]));
        }
    }

    #[test]
    fn outcome_scores_stay_in_range_with_a_baseline_first() {
        let data = generate(&DemoParams::default());
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
            let score: i64 = r["score"].parse().expect("integer score");
            let (lo, hi) = match r["measure"].as_str() {
                "WEMWBS" => WEMWBS_RANGE,
                "PHQ-9" => PHQ9_RANGE,
                "CORE-10" => CORE10_RANGE,
                other => panic!("unexpected measure {other}"),
            };
            assert!((lo..=hi).contains(&score));
            let n = seen
                .entry((r["person_id"].clone(), r["measure"].clone()))
                .or_default();
            assert_eq!(r["stage"] == "baseline", *n == 0, "{r:?}");
            *n += 1;
        }
    }

    /// Crisis contacts per person-month before and after start, by cohort and pathway.
    fn crisis_rates(params: &DemoParams) -> BTreeMap<String, (f64, f64)> {
        let reference = day_of(params.reference_date);
        let data = generate(params);
        let people = windows(&data, reference);
        let mut counts: BTreeMap<String, (f64, f64, f64, f64)> = BTreeMap::new();
        let group = |w: &Window| {
            if w.cohort == "comparison" {
                "comparison".to_string()
            } else {
                w.pathway.clone()
            }
        };
        for w in people.values() {
            let pre_start = day_of(
                date_of(w.start)
                    .checked_sub_months(Months::new(12))
                    .expect("in range"),
            );
            let c = counts.entry(group(w)).or_default();
            c.2 += f64::from(w.start - pre_start) / DAYS_PER_MONTH;
            c.3 += f64::from(w.obs_end - w.start) / DAYS_PER_MONTH;
        }
        for r in table(&data, "events.csv", EVENTS_HEADER) {
            if r["event_type"] == "crisis_contact" {
                let w = &people[&r["person_id"]];
                let c = counts.get_mut(&group(w)).expect("group seen");
                if date(&r["date"]) < w.start {
                    c.0 += 1.0;
                } else {
                    c.1 += 1.0;
                }
            }
        }
        counts
            .into_iter()
            .map(|(k, c)| (k, (c.0 / c.2, c.1 / c.3)))
            .collect()
    }

    #[test]
    fn planted_crisis_drop_is_visible_in_the_events() {
        for params in [DemoParams::default(), with(1000, 9)] {
            let rates = crisis_rates(&params);
            let (pre, post) = rates[PATHWAYS[INTEGRATED]];
            assert!((0.45..0.75).contains(&pre), "pre {pre}");
            assert!(post < 0.55 * pre, "Integrated {pre} -> {post}");
            let (pre_c, post_c) = rates["comparison"];
            assert!(post_c > 0.65 * pre_c, "comparison {pre_c} -> {post_c}");
            assert!(rates[PATHWAYS[STANDARD]].1 < post_c && post < rates[PATHWAYS[STEP_DOWN]].1);
        }
        // With a few thousand people the observed rates sit close to the planted ones.
        let rates = crisis_rates(&with(3000, 9));
        for (group, planted) in [
            (PATHWAYS[INTEGRATED], POST_RATES[INTEGRATED][CRISIS]),
            (PATHWAYS[STANDARD], POST_RATES[STANDARD][CRISIS]),
            (PATHWAYS[STEP_DOWN], POST_RATES[STEP_DOWN][CRISIS]),
            ("comparison", POST_RATES[COMPARISON][CRISIS]),
        ] {
            let observed = rates[group].1;
            assert!(
                (observed - planted).abs() < 0.05 + 0.1 * planted,
                "{group}: {observed} vs {planted}"
            );
        }
    }

    /// People with a goal whose follow-up reviews show plan_changed=no twice running while
    /// the rating does not rise.
    fn static_plan_people(data: &DemoDataset) -> Vec<String> {
        let mut by_goal: BTreeMap<String, Vec<BTreeMap<&'static str, String>>> = BTreeMap::new();
        for r in table(data, "goals.csv", GOALS_HEADER) {
            by_goal.entry(r["goal_id"].clone()).or_default().push(r);
        }
        let mut out: Vec<String> = Vec::new();
        for rows in by_goal.values() {
            let mut run = 0;
            for pair in rows.windows(2) {
                let rating = |r: &BTreeMap<&'static str, String>| {
                    r["rating"].parse::<i64>().expect("rating")
                };
                let stuck = pair[1]["plan_changed"] == "no" && rating(&pair[1]) <= rating(&pair[0]);
                run = if stuck { run + 1 } else { 0 };
                if run >= 2 && out.last() != Some(&pair[1]["person_id"]) {
                    out.push(pair[1]["person_id"].clone());
                }
            }
        }
        out.dedup();
        out
    }

    #[test]
    fn static_plan_share_is_as_planted() {
        for params in [DemoParams::default(), with(2000, 11)] {
            let data = generate(&params);
            let detected = static_plan_people(&data);
            let planted = data
                .planted
                .iter()
                .find(|e| e.name == "static_plans")
                .expect("planted");
            assert_eq!(detected, planted.people);
            let n_service = table(&data, "people.csv", PEOPLE_HEADER)
                .iter()
                .filter(|r| r["cohort"] == "service")
                .count();
            let share = detected.len() as f64 / n_service as f64;
            assert!((share - 0.20).abs() < 0.01, "static share {share}");
        }
    }

    #[test]
    fn integrated_has_the_best_reliable_improvement() {
        let data = generate(&DemoParams::default());
        let cohort: BTreeMap<String, (String, String)> = table(&data, "people.csv", PEOPLE_HEADER)
            .into_iter()
            .map(|r| {
                (
                    r["person_id"].clone(),
                    (r["cohort"].clone(), r["pathway"].clone()),
                )
            })
            .collect();
        let mut first_last: BTreeMap<String, (i64, i64, usize)> = BTreeMap::new();
        for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
            if r["measure"] == "WEMWBS" {
                let score: i64 = r["score"].parse().expect("score");
                let e = first_last
                    .entry(r["person_id"].clone())
                    .or_insert((score, score, 0));
                e.1 = score;
                e.2 += 1;
            }
        }
        let mut by_group: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for (id, (first, last, n)) in first_last {
            let (c, pathway) = &cohort[&id];
            if n >= 2 && c == "service" {
                let e = by_group.entry(pathway.clone()).or_default();
                e.0 += u32::from(last - first >= 8);
                e.1 += 1;
            }
        }
        let rate = |p: &str| f64::from(by_group[p].0) / f64::from(by_group[p].1);
        assert!(
            rate(PATHWAYS[INTEGRATED]) > rate(PATHWAYS[STANDARD]) + 0.1,
            "{by_group:?}"
        );
        assert!(
            rate(PATHWAYS[INTEGRATED]) > rate(PATHWAYS[STEP_DOWN]) + 0.1,
            "{by_group:?}"
        );
    }

    #[test]
    fn planted_people_and_counts_are_as_documented() {
        let data = generate(&DemoParams::default());
        let count = |name: &str| {
            data.planted
                .iter()
                .find(|e| e.name == name)
                .expect(name)
                .people
                .len()
        };
        assert_eq!(count("discordant_feedback"), 24); // 8% of 300
        assert_eq!(count("reverse_discordant_feedback"), 6); // 2%
        assert_eq!(count("early_warning"), 15); // 5%
        for effect in &data.planted {
            assert!(
                !effect.description.contains("NaN") && !effect.description.contains("inf"),
                "{}",
                effect.description
            );
        }
    }

    fn planted_people(data: &DemoDataset, name: &str) -> Vec<String> {
        data.planted
            .iter()
            .find(|e| e.name == name)
            .expect(name)
            .people
            .clone()
    }

    #[test]
    fn early_warning_people_miss_more_and_disengage() {
        let params = DemoParams::default();
        let reference = day_of(params.reference_date);
        let data = generate(&params);
        let warned = planted_people(&data, "early_warning");
        let people = windows(&data, reference);
        let in_service: Vec<&String> = people
            .iter()
            .filter(|(_, w)| {
                w.obs_end == reference && w.cohort == "service" && reference - w.start >= 180
            })
            .map(|(id, _)| id)
            .collect();
        let mut missed: BTreeMap<&str, u32> = BTreeMap::new();
        for r in table(&data, "events.csv", EVENTS_HEADER) {
            if r["event_type"] == "missed_appointment" && date(&r["date"]) >= reference - 90 {
                if let Some(id) = in_service.iter().find(|id| ***id == r["person_id"]) {
                    *missed.entry(id.as_str()).or_default() += 1;
                }
            }
        }
        let mean = |warned_group: bool| {
            let ids: Vec<&&String> = in_service
                .iter()
                .filter(|id| warned.contains(id) == warned_group)
                .collect();
            let total: u32 = ids
                .iter()
                .map(|id| missed.get(id.as_str()).copied().unwrap_or(0))
                .sum();
            f64::from(total) / ids.len() as f64
        };
        assert!(
            mean(true) > 3.0 * mean(false),
            "missed in last 90 days: {} vs {}",
            mean(true),
            mean(false)
        );
        let mut last_engagement: BTreeMap<String, String> = BTreeMap::new();
        for r in table(&data, "status.csv", STATUS_HEADER) {
            if r["indicator"] == "engagement" {
                last_engagement.insert(r["person_id"].clone(), r["value"].clone());
            }
        }
        assert!(warned.iter().all(|id| last_engagement[id] != "engaged"));
    }

    #[test]
    fn discordant_people_improve_while_saying_otherwise() {
        let data = generate(&DemoParams::default());
        let discordant = planted_people(&data, "discordant_feedback");
        let mut wemwbs: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
            if r["measure"] == "WEMWBS" {
                let score: i64 = r["score"].parse().expect("score");
                wemwbs
                    .entry(r["person_id"].clone())
                    .or_insert((score, score))
                    .1 = score;
            }
        }
        let improved = discordant
            .iter()
            .filter(|id| wemwbs[*id].1 - wemwbs[*id].0 >= 8)
            .count();
        assert!(
            improved * 10 >= discordant.len() * 8,
            "{improved} of {} improved",
            discordant.len()
        );
        for r in table(&data, "feedback.csv", FEEDBACK_HEADER) {
            if discordant.contains(&r["person_id"]) && r["source"] == "person" {
                assert!(r["self_rating"].parse::<i64>().expect("rating") <= 3);
                assert!(r["themes"].contains("isolation") || r["themes"].contains("loneliness"));
            }
        }
    }

    #[test]
    fn event_rows_per_person_match_the_estimate() {
        let params = with(2000, 3);
        let data = generate(&params);
        let rows = data.file("events.csv").expect("events").csv.lines().count() - 1;
        let mean = rows as f64 / params.n_people as f64;
        assert!((60.0..=120.0).contains(&mean), "mean {mean}");
        let estimate = people_for_event_rows(rows);
        assert!(
            (estimate as f64 / params.n_people as f64 - 1.0).abs() < 0.05,
            "estimate {estimate}"
        );
    }

    #[test]
    fn helpers_are_exact() {
        // e^-1 and e^-10 to 1e-14 relative (values from any table of e^-x).
        assert!((exp_neg(1.0) - 0.367_879_441_171_442_33).abs() < 1e-15);
        assert!((exp_neg(10.0) / 4.539_992_976_248_485e-5 - 1.0).abs() < 1e-13);
        let mut out = String::new();
        push_field(&mut out, "say \"hi\", then go");
        assert_eq!(out, "\"say \"\"hi\"\", then go\"");
        assert_eq!(percent_of(300, 8), 24);
        assert_eq!(people_for_event_rows(0), 0);
    }
}
