//! The mapping editor's starting point: the mapping Waymark chose for a file, written out
//! explicitly, reads the file exactly as the automatic detection did.

use waymark_core::ingest::mapping::{file_mapping_from_summary, MappingConfig};
use waymark_core::{ingest, InputFile};

#[test]
fn an_explicit_copy_of_the_detected_mapping_reads_the_same_rows() {
    let messy = include_bytes!("../../../tests/fixtures/messy/people-win1252.csv");
    let files = [InputFile {
        name: "people-win1252.csv",
        bytes: messy,
    }];
    let detected = ingest(&files, &MappingConfig::default());
    let summary = &detected.report.files[0];
    let explicit = file_mapping_from_summary(summary);
    assert_eq!(explicit.delimiter, Some(';'));
    assert!(explicit.columns.values().any(|f| f == "person_id"));
    let config = MappingConfig {
        files: vec![explicit],
        ..MappingConfig::default()
    };
    let again = ingest(&files, &config);
    let (a, b) = (&detected.report.files[0], &again.report.files[0]);
    assert_eq!(
        (a.rows_read, a.rows_accepted, a.rows_rejected),
        (b.rows_read, b.rows_accepted, b.rows_rejected)
    );
    assert_eq!(a.table, b.table);
    // Every column now says it was matched by the mapping.
    assert!(b
        .columns
        .iter()
        .filter(|c| c.field.is_some())
        .all(|c| c.matched_by == Some(waymark_core::ingest::mapping::MatchedBy::Mapping)));
}
