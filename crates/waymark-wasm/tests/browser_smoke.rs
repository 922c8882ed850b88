//! Smoke test in a real browser (headless Chromium via wasm-bindgen-test-runner): the
//! JavaScript API ingests a Windows-1252, semicolon-separated, day-first export and reports
//! counts and positioned issues.

#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The demo's generated files, as the JavaScript API takes them: names and contents.
fn demo_inputs(people: u32, seed: u32) -> (Vec<String>, Vec<Uint8Array>) {
    let files = js_sys::Array::from(
        &waymark_wasm::demo_files(people, seed).unwrap_or_else(|_| panic!("demo failed")),
    );
    let names = files
        .iter()
        .map(|f| get(&f, "name").as_string().unwrap_or_default())
        .collect();
    let contents = files
        .iter()
        .map(|f| Uint8Array::from(get(&f, "csv").as_string().unwrap_or_default().as_bytes()))
        .collect();
    (names, contents)
}

#[wasm_bindgen_test]
fn validates_a_messy_export_in_the_browser() {
    // "Café" in Windows-1252 (0xE9), semicolons, dd/mm/yyyy, one impossible date on line 3.
    let people: &[u8] =
        b"person_id;pathway;start_date\nP1;Caf\xE9 support;25/01/2024\nP2;Step-down;31/02/2024\n";
    let report = waymark_wasm::validate(
        vec!["people.csv".to_string()],
        vec![Uint8Array::from(people)],
        JsValue::NULL,
    )
    .unwrap_or_else(|_| panic!("validate failed"));
    let file = js_sys::Array::from(&get(&report, "files")).get(0);
    assert_eq!(
        get(&file, "encoding").as_string().as_deref(),
        Some("windows1252")
    );
    assert_eq!(
        get(&file, "delimiter").as_string().as_deref(),
        Some("semicolon")
    );
    assert_eq!(get(&file, "rows_accepted").as_f64(), Some(1.0));
    assert_eq!(get(&file, "rows_rejected").as_f64(), Some(1.0));
    let issues = js_sys::Array::from(&get(&report, "issues"));
    let rejected = issues
        .iter()
        .find(|i| get(i, "code").as_string().as_deref() == Some("invalid_date"))
        .unwrap_or(JsValue::NULL);
    assert_eq!(get(&rejected, "line").as_f64(), Some(3.0));
    assert_eq!(
        get(&rejected, "column").as_string().as_deref(),
        Some("start_date")
    );
}

#[wasm_bindgen_test]
fn demo_files_round_trip_through_validation() {
    let (names, contents) = demo_inputs(40, 7);
    assert_eq!(names.len(), 6);
    let report = waymark_wasm::validate(names, contents, JsValue::NULL)
        .unwrap_or_else(|_| panic!("validate failed"));
    assert_eq!(get(&report, "usable").as_bool(), Some(true));
    assert_eq!(get(&report, "n_errors").as_f64(), Some(0.0));
}

/// The whole pipeline (ingestion, every engine, the report) on 300 generated people, inside
/// the small stack this test binary is linked with (build.rs): a stack overflow traps here.
#[wasm_bindgen_test]
fn the_full_report_runs_within_a_small_stack() {
    let (names, contents) = demo_inputs(300, 11);
    let report = waymark_wasm::report(names, contents, JsValue::NULL, None)
        .unwrap_or_else(|_| panic!("report failed"));
    assert!(get(&report, "direction_of_travel").is_object());
    assert!(get(&report, "value").is_object());
    assert!(get(&report, "pathways").is_object());
}
