//! Property tests standing in for a fuzzer: ingestion must never panic, whatever the bytes,
//! and its bookkeeping must always add up. Runs a bounded number of cases in CI
//! (`PROPTEST_CASES`, default 256 per property).

use proptest::prelude::*;
use waymark_core::{ingest, InputFile, IssueSeverity, MappingConfig};

/// Cells that exercise the parsers' edges: dates, numbers, quotes, separators, odd bytes.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("P1".to_string()),
        Just("2024-02-30".to_string()),
        Just("31/12/24 23:59".to_string()),
        Just("12/13/2024".to_string()),
        Just("1,250".to_string()),
        Just("9.43E+09".to_string()),
        Just("\"quoted, \"\"with\"\" comma\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("sep=;".to_string()),
        "[ -~]{0,12}".prop_map(|s| s),
        any::<u32>().prop_map(|n| n.to_string()),
    ]
}

fn header() -> impl Strategy<Value = String> {
    prop::sample::subsequence(
        vec![
            "person_id",
            "pathway",
            "start_date",
            "end_date",
            "date",
            "event_type",
            "quantity",
            "severity",
            "measure",
            "score",
            "goal_id",
            "review_date",
            "rating",
            "indicator",
            "value",
            "themes",
        ],
        1..8,
    )
    .prop_map(|fields| fields.join(","))
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    (
        header(),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        prop::sample::select(vec![",", ";", "\t", "|"]),
        any::<bool>(),
    )
        .prop_map(|(header, rows, delimiter, crlf)| {
            let newline = if crlf { "\r\n" } else { "\n" };
            let mut text = header.replace(',', delimiter);
            for row in rows {
                text.push_str(newline);
                text.push_str(&row.join(delimiter));
            }
            text.into_bytes()
        })
}

fn check_bookkeeping(files: &[Vec<u8>]) {
    let names: Vec<String> = (0..files.len()).map(|i| format!("f{i}.csv")).collect();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .zip(&names)
        .map(|(bytes, name)| InputFile { name, bytes })
        .collect();
    let report = ingest(&inputs, &MappingConfig::default()).report;
    for file in &report.files {
        assert_eq!(
            file.rows_accepted + file.rows_rejected,
            file.rows_read,
            "{}",
            file.name
        );
        let row_errors = report
            .issues
            .iter()
            .filter(|i| {
                i.file == file.name && i.severity == IssueSeverity::Error && i.line.is_some()
            })
            .count();
        assert!(
            row_errors >= file.rows_rejected,
            "every rejected row is listed: {}",
            file.name
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_bookkeeping(&[bytes]);
    }

    #[test]
    fn csv_like_input_never_panics_and_counts_add_up(people in csvish(), other in csvish()) {
        check_bookkeeping(&[people, other]);
    }
}
