//! Messages between the page and the engine. Each message is one MessagePack document in the
//! positional form (a struct is its fields in order, without their names: about half the size
//! of the named form, and the page's decoding time is its pause). Both ends are the same build
//! of the same module, so the field order always agrees. Types that cross must not use
//! `skip_serializing_if` (a skipped field would shift the others); the round-trip test in
//! `snapshot.rs` checks a whole analysis. Chosen files travel beside a `Load` request as `File`
//! handles, never as bytes in the message.

use super::snapshot::{PersonLevel, Snapshot, TimelineEntry};
use serde::{Deserialize, Serialize};
use waymark_core::config::Config;

/// What the page asks of the engine. Each request carries the generation the page made it
/// under (`state::AppState` hands them out), and every reply carries it back, so the page can
/// drop a reply to a request it no longer waits for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Read and analyse the files sent with this message, with these settings.
    Load { generation: u64, config: Config },
    /// Generate and analyse the built-in demo data.
    Demo { generation: u64 },
    /// Analyse the held data again with new settings; the files are read again only when the
    /// mapping changed.
    Reanalyse { generation: u64, config: Config },
    /// Stop the load in progress at its next slice.
    Cancel { generation: u64 },
    /// One person's timeline, by their ID as written in the files.
    Person { generation: u64, person: String },
}

/// Bytes read so far in a load, shown as a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub rows_parsed: u64,
}

/// What the engine tells the page; `generation` is the request's it answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started and takes requests.
    Ready,
    /// A load has begun.
    Reading {
        generation: u64,
        n_files: usize,
        total_bytes: u64,
    },
    Progress {
        generation: u64,
        progress: Progress,
    },
    Cancelled {
        generation: u64,
    },
    /// A finished analysis ([`Snapshot::generation`]): everything the views show, except the
    /// person-level lists when `person_level_follows`.
    Loaded(Box<Snapshot>),
    /// The person-level lists of the last `Loaded` ([`PersonLevel::generation`]), sent
    /// straight after it.
    PersonLevel(Box<PersonLevel>),
    /// A request failed (`generation`), or the engine itself did (`None`: whatever was asked).
    Failed {
        generation: Option<u64>,
        message: String,
    },
    Person {
        generation: u64,
        person: String,
        timeline: Option<Vec<TimelineEntry>>,
    },
}

impl Response {
    /// The engine itself failed, whatever the page had asked.
    pub fn engine_failed(message: impl Into<String>) -> Response {
        Response::Failed {
            generation: None,
            message: message.into(),
        }
    }
}

/// Encodes a message for `postMessage`.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec(message).map_err(|e| format!("could not encode a message: {e}"))
}

/// Decodes a message from the other side.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(bytes).map_err(|e| format!("could not decode a message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MessagePack messages are positional: a field skipped when empty (serde's
    /// `skip_serializing_if`) shifts every field after it and the page cannot read the message.
    /// Settings with every optional part both absent and present must come back as they went.
    #[test]
    fn settings_survive_the_trip_to_the_worker_with_their_optional_parts_absent_or_present() {
        let mut full = Config::default();
        full.mapping.format = Some(waymark_core::ingest::formats::ExportFormat::MhsdsV6);
        full.mapping.date_order = Some(waymark_core::ingest::values::DateOrder::DayFirst);
        full.mapping
            .values
            .status
            .entry("housing".into())
            .or_default()
            .insert("Supported accommodation".into(), "supported".into());
        for config in [Config::default(), full] {
            let json = serde_json::to_string(&config).unwrap();
            let request = Request::Reanalyse {
                generation: 3,
                config,
            };
            let back = decode::<Request>(&encode(&request).unwrap()).unwrap();
            let Request::Reanalyse {
                generation: 3,
                config: back,
            } = back
            else {
                panic!("a different message came back")
            };
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
    }
}
