//! Measurement for the WebAssembly benchmark (`tests/bench/wasm-ingest.mjs`), exported only
//! from a build with the `bench` feature (`wasm-pack build crates/waymark-wasm ... --
//! --features bench`, as docs/performance.md shows): the published package and its API carry
//! no timings.

use super::{config_from, ingest_js, to_js};
use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Milliseconds each stage took, for the WebAssembly benchmark (tests/bench/wasm-ingest.mjs).
#[derive(Serialize)]
struct EngineTimings {
    event_rows: usize,
    ingest_ms: f64,
    direction_ms: f64,
    value_ms: f64,
    report_ms: f64,
}

/// Times ingestion, the direction-of-travel analysis (with the pathway comparison), cost
/// avoidance (with its bootstrap) and building the report, on the given files with the default
/// configuration and the analysis date `as_of`. For benchmarks: the result holds timings only.
#[wasm_bindgen(js_name = timeEngines)]
pub fn time_engines(
    names: Vec<String>,
    contents: Vec<Uint8Array>,
    as_of: Option<String>,
) -> Result<JsValue, JsError> {
    let config = config_from(JsValue::NULL, as_of)?;
    let now = js_sys::Date::now;
    let start = now();
    let ingested = ingest_js(names, contents, JsValue::NULL)?;
    let ingest_ms = now() - start;
    let catalogue = config
        .catalogue()
        .map_err(|_| JsError::new("the default measure catalogue is invalid"))?;
    let start = now();
    let analysis = waymark_core::analysis::analyse(&ingested.dataset, &config.analysis, &catalogue);
    let direction_ms = now() - start;
    let mut value_config = config.value.clone();
    value_config.reference_date = analysis.as_ref().map(|a| a.reference_date);
    let start = now();
    let cost = waymark_core::value::cost_avoidance(&ingested.dataset, &value_config)
        .map_err(|e| e.to_string());
    let value_ms = now() - start;
    let start = now();
    let event_rows = ingested.dataset.events.person.len();
    let report = waymark_core::report::Report::build(
        &ingested.dataset,
        &ingested.report,
        analysis.as_ref(),
        Some(&cost),
        waymark_core::disclosure::Disclosure::Controlled,
        &config.report,
        &config.filter,
    );
    let _ = report.to_json();
    let report_ms = now() - start;
    to_js(&EngineTimings {
        event_rows,
        ingest_ms,
        direction_ms,
        value_ms,
        report_ms,
    })
}

/// Bytes of WebAssembly memory in use by this module. Memory only grows, so after a call
/// this is the high-water mark: used by the benchmark to measure peak memory.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|memory| {
            memory
                .buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0.0, |b| f64::from(b.byte_length()))
        })
        .unwrap_or(0.0)
}
