//! Waymark for JavaScript: ingestion, validation and the report, compiled to WebAssembly.
//!
//! The only crate that knows about `JsValue`. Core errors and results cross the boundary as
//! plain objects (serde-wasm-bindgen, JSON-compatible: `null` for missing values), so callers
//! never see Rust types. Nothing here touches the network or storage.

use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use waymark_core::demo::{self, DemoParams};
use waymark_core::report::Report;
use waymark_core::{ingest, Ingested, InputFile, MappingConfig};

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|err| {
            JsError::new(&format!(
                "could not convert the result for JavaScript: {err}"
            ))
        })
}

fn mapping_from(value: JsValue) -> Result<MappingConfig, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(MappingConfig::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|err| JsError::new(&format!("the mapping is not valid: {err}")))
}

fn ingest_js(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    mapping: JsValue,
) -> Result<Ingested, JsError> {
    if names.len() != contents.len() {
        return Err(JsError::new("give one name for each file's contents"));
    }
    let mapping = mapping_from(mapping)?;
    let bytes: Vec<Vec<u8>> = contents.iter().map(Uint8Array::to_vec).collect();
    let inputs: Vec<InputFile<'_>> = names
        .iter()
        .zip(&bytes)
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    Ok(ingest(&inputs, &mapping))
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

/// Reads CSV files and returns the full report (the same JSON shape as `waymark report`).
/// `as_of` is an ISO date (`YYYY-MM-DD`) or `null`.
#[wasm_bindgen]
pub fn report(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    mapping: JsValue,
    as_of: Option<String>,
) -> Result<JsValue, JsError> {
    let as_of = match as_of {
        Some(text) => Some(text.parse().map_err(|_| {
            JsError::new(&format!(
                "as_of must be a date like 2026-06-30, not {text:?}"
            ))
        })?),
        None => None,
    };
    let ingested = ingest_js(names, contents, mapping)?;
    to_js(&Report::build(&ingested.dataset, ingested.report, as_of))
}

/// A demo file for JavaScript: its name and CSV text.
#[derive(Serialize)]
struct DemoFileJs<'a> {
    name: &'a str,
    csv: &'a str,
}

/// The synthetic demo dataset as `[{name, csv}]`, deterministic for a given seed.
#[wasm_bindgen(js_name = demoFiles)]
pub fn demo_files(people: usize, seed: u64) -> Result<JsValue, JsError> {
    let dataset = demo::generate(&DemoParams {
        n_people: people,
        seed,
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

/// Bytes of WebAssembly memory in use by this module. Memory only grows, so after a call
/// this is the high-water mark: used by the benchmark to measure peak memory.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|memory| memory.buffer().dyn_into::<js_sys::ArrayBuffer>().map_or(0.0, |b| f64::from(b.byte_length())))
        .unwrap_or(0.0)
}

/// The package version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
