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

mod csv_out;
mod events;
mod parameters;
mod people;
mod planted;
mod random;
mod tables;
mod vocabulary;

use chrono::NaiveDate;
use events::write_events;
use people::{assign_roles, build_person, Person};
use planted::describe_planted;
use random::Ctx;
use tables::{write_feedback, write_goals, write_outcomes, write_people, write_status, Tally};

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

#[cfg(test)]
mod tests;
