//! Waymark for JavaScript: ingestion, validation and the report, compiled to WebAssembly.
//!
//! The only crate that knows about `JsValue`. Core errors and results cross the boundary as
//! plain objects (serde-wasm-bindgen, JSON-compatible: `null` for missing values), so callers
//! never see Rust types. Nothing here touches the network or storage.

use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use waymark_core::config::{analyse_and_report, Config};
use waymark_core::demo::{self, DemoParams};
use waymark_core::ingest::{IngestRules, IngestSession};
use waymark_core::{Ingested, MappingConfig};

/// Measurement for the benchmarks (`timeEngines`, `memoryBytes`), only in a build with the
/// `bench` feature: the published package does not carry it.
#[cfg(feature = "bench")]
mod bench;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|err| {
            JsError::new(&format!(
                "could not convert the result for JavaScript: {err}"
            ))
        })
}

/// Reads a settings object (`what` names it in errors); `null` gives the defaults.
fn settings_from<T: serde::de::DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    // Through JSON text, so that unknown settings are rejected (serde-wasm-bindgen reads only
    // the fields it knows and would let a misspelt setting pass silently).
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| {
            JsError::new(&format!(
                "the {what} is not valid: it is not a plain object"
            ))
        })?;
    serde_json::from_str(&text)
        .map_err(|err| JsError::new(&format!("the {what} is not valid: {err}")))
}

fn mapping_from(value: JsValue) -> Result<MappingConfig, JsError> {
    settings_from(value, "mapping")
}

/// The configuration with `as_of` (an ISO date or `null`) as the analysis date when given.
fn config_from(value: JsValue, as_of: Option<String>) -> Result<Config, JsError> {
    let mut config: Config = settings_from(value, "configuration")?;
    if let Some(date) = parse_as_of(as_of)? {
        config.analysis.reference_date = Some(date);
    }
    Ok(config)
}

/// Runs the analysis and returns the report as a plain object.
fn report_js(ingested: Ingested, config: &Config) -> Result<JsValue, JsError> {
    match analyse_and_report(ingested, config) {
        Ok(evidence) => to_js(&evidence.report),
        Err(errors) => Err(JsError::new(&format!(
            "the settings are not valid: {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// Slices copied into WebAssembly memory at a time: the whole file never is.
const SLICE_BYTES: usize = 1 << 20;

/// Pushes a JavaScript byte array into a session one slice at a time, reusing `buffer`.
fn push_in_slices(session: &mut IngestSession, bytes: &Uint8Array, buffer: &mut Vec<u8>) {
    session.push_in_pieces(
        bytes.length() as usize,
        SLICE_BYTES,
        buffer,
        |start, end, into| bytes.subarray(start as u32, end as u32).copy_to(into),
    );
}

fn ingest_js(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    mapping: JsValue,
) -> Result<Ingested, JsError> {
    if names.len() != contents.len() {
        return Err(JsError::new("give one name for each file's contents"));
    }
    let mut session = IngestSession::new(mapping_from(mapping)?);
    let mut buffer = Vec::new();
    for (name, bytes) in names.iter().zip(&contents) {
        session.begin_file(name, Some(u64::from(bytes.length())));
        push_in_slices(&mut session, bytes, &mut buffer);
        session.end_file();
    }
    Ok(session.finish())
}

/// Streaming ingestion for large files: `beginFile`, `push` slices (e.g. from `File.slice`),
/// `endFile`, then `validate()` or `report()`. Progress is `bytesRead` and `rowsParsed`.
#[wasm_bindgen]
pub struct Session {
    inner: Option<IngestSession>,
    buffer: Vec<u8>,
}

#[wasm_bindgen]
impl Session {
    /// A new session; `mapping` is a mapping object or `null`.
    #[wasm_bindgen(constructor)]
    pub fn new(mapping: JsValue) -> Result<Session, JsError> {
        Ok(Session {
            inner: Some(IngestSession::new(mapping_from(mapping)?)),
            buffer: Vec::new(),
        })
    }

    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str, size: Option<f64>) {
        if let Some(session) = &mut self.inner {
            session.begin_file(name, size.map(|s| s as u64));
        }
    }

    /// Adds the next bytes of the current file (any length).
    pub fn push(&mut self, bytes: &Uint8Array) {
        if let Some(session) = &mut self.inner {
            push_in_slices(session, bytes, &mut self.buffer);
        }
    }

    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) {
        if let Some(session) = &mut self.inner {
            session.end_file();
        }
    }

    #[wasm_bindgen(getter, js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |s| s.bytes_read() as f64)
    }

    #[wasm_bindgen(getter, js_name = rowsParsed)]
    pub fn rows_parsed(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |s| s.rows_parsed() as f64)
    }

    /// Ends the session and returns the validation report.
    pub fn validate(&mut self) -> Result<JsValue, JsError> {
        let session = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("this session has already finished"))?;
        to_js(&session.finish().report)
    }

    /// Ends the session and returns the full report. `config` is a configuration object
    /// (`{mapping, analysis, measures}`; its mapping is ignored here, the session's was used)
    /// or `null`; `as_of` is an ISO date or `null`.
    pub fn report(&mut self, config: JsValue, as_of: Option<String>) -> Result<JsValue, JsError> {
        let config = config_from(config, as_of)?;
        let session = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("this session has already finished"))?;
        report_js(session.finish(), &config)
    }
}

fn parse_as_of(as_of: Option<String>) -> Result<Option<chrono::NaiveDate>, JsError> {
    match as_of {
        Some(text) => text.parse().map(Some).map_err(|_| {
            JsError::new(&format!(
                "as_of must be a date like 2026-06-30, not {text:?}"
            ))
        }),
        None => Ok(None),
    }
}

/// Reads CSV files and returns the validation report: per-file summaries, per-table row
/// counts and every issue with its file, line, column, value and expectation.
///
/// `names[i]` is the file name of `contents[i]`; `mapping` is a mapping object or `null`.
#[wasm_bindgen]
pub fn validate(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    mapping: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&ingest_js(names, contents, mapping)?.report)
}

/// Reads CSV files, analyses them and returns the full report (the same JSON shape as
/// `waymark report`). `config` is a configuration object (`{mapping, analysis, measures}`,
/// the same settings as the CLI's TOML file) or `null`; `as_of` is an ISO date
/// (`YYYY-MM-DD`) or `null` (then the latest date in the data).
#[wasm_bindgen]
pub fn report(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    config: JsValue,
    as_of: Option<String>,
) -> Result<JsValue, JsError> {
    let config = config_from(config, as_of)?;
    if names.len() != contents.len() {
        return Err(JsError::new("give one name for each file's contents"));
    }
    let mut session =
        IngestSession::with_rules(config.mapping.clone(), IngestRules::from_config(&config));
    let mut buffer = Vec::new();
    for (name, bytes) in names.iter().zip(&contents) {
        session.begin_file(name, Some(u64::from(bytes.length())));
        push_in_slices(&mut session, bytes, &mut buffer);
        session.end_file();
    }
    report_js(session.finish(), &config)
}

/// A demo file for JavaScript: its name and CSV text.
#[derive(Serialize)]
struct DemoFileJs<'a> {
    name: &'a str,
    csv: &'a str,
}

/// The synthetic demo dataset as `[{name, csv}]`, deterministic for a given seed.
#[wasm_bindgen(js_name = demoFiles)]
pub fn demo_files(people: u32, seed: u32) -> Result<JsValue, JsError> {
    let dataset = demo::generate(&DemoParams {
        n_people: people as usize,
        seed: u64::from(seed),
        ..DemoParams::default()
    });
    let files: Vec<DemoFileJs<'_>> = dataset
        .files
        .iter()
        .map(|f| DemoFileJs {
            name: f.name,
            csv: &f.csv,
        })
        .collect();
    to_js(&files)
}

/// The package version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
