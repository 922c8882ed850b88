//! Property tests standing in for a fuzzer: ingestion must never panic, whatever the bytes,
//! and its bookkeeping must always add up. Runs a bounded number of cases in CI
//! (`PROPTEST_CASES`, default 256 per property).

mod support;

use proptest::prelude::*;
use support::csvish;
use waymark_core::{ingest, InputFile, IssueSeverity, MappingConfig};

/// Names for generated files: f0.csv, f1.csv ...
fn names(files: &[Vec<u8>]) -> Vec<String> {
    (0..files.len()).map(|i| format!("f{i}.csv")).collect()
}

fn inputs<'a>(files: &'a [Vec<u8>], names: &'a [String]) -> Vec<InputFile<'a>> {
    files
        .iter()
        .zip(names)
        .map(|(bytes, name)| InputFile { name, bytes })
        .collect()
}

fn check_bookkeeping(files: &[Vec<u8>]) {
    let names = names(files);
    let report = ingest(&inputs(files, &names), &MappingConfig::default()).report;
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
        // A wide file counts scores: one row's scores share its line, and an error about the
        // row (not a score) is given once for the row.
        let needed = match &file.wide {
            Some(_) => usize::from(file.rows_rejected > 0),
            None => file.rows_rejected,
        };
        assert!(
            row_errors >= needed,
            "every rejected row is listed: {}",
            file.name
        );
    }
}

/// Ingestion, analysis and both report formats on generated files: nothing may panic, and the
/// report must be written. `scripts/soak` runs this (and the others) with millions of cases.
fn check_pipeline(files: &[Vec<u8>]) {
    let names = names(files);
    let inputs = inputs(files, &names);
    let config = waymark_core::config::Config::default();
    let ingested = waymark_core::ingest::ingest_with(
        &inputs,
        &config.mapping,
        &waymark_core::ingest::IngestRules::from_config(&config),
    );
    let evidence = waymark_core::config::analyse_and_report(ingested, &config)
        .expect("the default configuration is valid");
    assert!(evidence.report.to_json().starts_with('{'));
    assert!(!evidence.report.to_html().is_empty());
}

proptest! {
    #[test]
    fn csv_like_files_go_through_analysis_and_report_without_panicking(
        people in csvish(),
        events in csvish(),
        outcomes in csvish(),
    ) {
        // A people file that always parses, so the analysis has someone to work on.
        let mut people_file = b"person_id,pathway,start_date,end_date\nP1,A,2024-01-01,\n1,B,2024-02-01,2024-03-01\n".to_vec();
        people_file.extend_from_slice(&people);
        check_pipeline(&[people_file, events, outcomes]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_bookkeeping(&[bytes]);
    }

    #[test]
    fn csv_like_input_never_panics_and_counts_add_up(people in csvish(), other in csvish()) {
        check_bookkeeping(&[people, other]);
    }
}
