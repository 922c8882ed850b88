//! Property tests standing in for a fuzzer: ingestion must never panic, whatever the bytes,
//! and its bookkeeping must always add up. Runs a bounded number of cases in CI
//! (`PROPTEST_CASES`, default 256 per property).

mod support;

use proptest::prelude::*;
use support::csvish;
use waymark_core::{ingest, InputFile, IssueSeverity, MappingConfig};

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
