//! Streaming ingestion: splitting a file into chunks gives the same answer.
//!
//! The same files are read whole with `ingest`, and through an `IngestSession` byte by byte
//! and in chunks of random sizes; the report (every file summary and every issue, lines
//! included) and the dataset (every column) must be identical. Runs a bounded number of cases
//! (`PROPTEST_CASES`, default 256 per property; the large-file property runs 16).

mod support;

use proptest::prelude::*;
use support::{csvish, encode, encoded_csvish, Encoding};
use waymark_core::ingest::IngestSession;
use waymark_core::{ingest, Ingested, InputFile, IssueCode, MappingConfig};

/// Everything ingestion produced, in a form that can be compared.
fn snapshot(ingested: &Ingested) -> (String, String, String) {
    (
        serde_json::to_string_pretty(&ingested.report).unwrap_or_default(),
        format!("{:#?}", ingested.dataset),
        format!("{:#?}", ingested.previews),
    )
}

const NAMES: [&str; 3] = ["people.csv", "events.csv", "goals.csv"];

fn whole(files: &[Vec<u8>]) -> Ingested {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .zip(NAMES)
        .map(|(bytes, name)| InputFile { name, bytes })
        .collect();
    ingest(&inputs, &MappingConfig::default())
}

/// Pushes each file in chunks whose sizes cycle through `sizes` (0 pushes an empty chunk,
/// then one byte).
fn chunked(files: &[Vec<u8>], sizes: &[usize], size_hint: bool) -> Ingested {
    let mut session = IngestSession::new(MappingConfig::default());
    let mut turn = 0;
    for (bytes, name) in files.iter().zip(NAMES) {
        session.begin_file(name, size_hint.then_some(bytes.len() as u64));
        let mut rest = bytes.as_slice();
        loop {
            let mut size = sizes[turn % sizes.len()].min(rest.len());
            turn += 1;
            if size == 0 {
                session.push(&[]);
                size = 1.min(rest.len());
            }
            session.push(&rest[..size]);
            rest = &rest[size..];
            if rest.is_empty() {
                break;
            }
        }
        session.end_file();
    }
    session.finish()
}

fn check_splitting_gives_the_same_answer(files: &[Vec<u8>], sizes: &[usize]) {
    let expected = snapshot(&whole(files));
    assert_eq!(
        snapshot(&chunked(files, &[1], true)),
        expected,
        "byte by byte"
    );
    assert_eq!(
        snapshot(&chunked(files, sizes, true)),
        expected,
        "chunks of {sizes:?}"
    );
    assert_eq!(
        snapshot(&chunked(files, sizes, false)),
        expected,
        "chunks of {sizes:?}, size unknown"
    );
}

/// An export of `rows` data rows that outgrows the opening window, with `tail` after them.
fn large_export(rows: usize, newline: &str, tail: &str) -> String {
    let mut text = format!("Crisis export{newline}person_id,date,event_type,follow_up{newline}");
    for row in 0..rows {
        let follow_up = match row % 7 {
            0 => "\"Called, left message\"",
            3 => "\"Two\r\nlines\"",
            _ => "",
        };
        text.push_str(&format!(
            "P{},2024-0{}-1{},crisis_contact,{follow_up}{newline}",
            row % 50,
            row % 9 + 1,
            row % 10
        ));
    }
    text.push_str(tail);
    text
}

proptest! {
    #[test]
    fn splitting_csv_like_files_gives_the_same_answer(
        people in csvish(),
        other in encoded_csvish(),
        sizes in prop::collection::vec(0usize..64, 1..8),
    ) {
        check_splitting_gives_the_same_answer(&[people, other], &sizes);
    }

    #[test]
    fn splitting_arbitrary_bytes_gives_the_same_answer(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        sizes in prop::collection::vec(0usize..64, 1..8),
    ) {
        check_splitting_gives_the_same_answer(&[bytes], &sizes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Files larger than the opening window, so decisions and records straddle it.
    #[test]
    fn splitting_large_files_gives_the_same_answer(
        rows in 1500usize..4000,
        newline in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        encoding in prop::sample::select(vec![
            Encoding::Utf8, Encoding::Utf8Bom, Encoding::Utf16le, Encoding::Utf16be,
        ]),
        tail in prop::sample::select(vec!["", "Total: 3\n", "P1,not a date,crisis_contact,Zoë\n"]),
        sizes in prop::collection::vec(1usize..100_000, 1..6),
    ) {
        let bytes = encode(&large_export(rows, newline, tail), encoding);
        let people = b"person_id,pathway,start_date\nP1,A,2024-01-01\n".to_vec();
        let files = [people, bytes];
        let expected = snapshot(&whole(&files));
        prop_assert_eq!(&snapshot(&chunked(&files, &sizes, true)), &expected);
        prop_assert_eq!(&snapshot(&chunked(&files, &[1, 2, 3], false)), &expected);
    }
}

#[test]
fn a_crlf_split_between_chunks_is_one_line_break() {
    let text = b"person_id,pathway,start_date\r\n\r\nP1,A,2024-01-10\r\nP2,A,not a date\r\n";
    let cut = text.iter().position(|b| *b == b'\r').unwrap_or(0) + 1;
    for files in [
        vec![text[..cut].to_vec(), text[cut..].to_vec()],
        text.chunks(1).map(<[u8]>::to_vec).collect(),
    ] {
        let mut session = IngestSession::new(MappingConfig::default());
        session.begin_file("people.csv", None);
        for chunk in &files {
            session.push(chunk);
        }
        session.end_file();
        let report = session.finish().report;
        let bad: Vec<Option<u32>> = report
            .issues
            .iter()
            .filter(|i| i.code == IssueCode::InvalidDate)
            .map(|i| i.line)
            .collect();
        assert_eq!(bad, vec![Some(4)]);
    }
}

#[test]
fn utf16_and_boms_split_inside_code_units_read_the_same_rows() {
    let text = "person_id,pathway,start_date\nP1,Café 😀 support,2024-01-10\n";
    for encoding in [Encoding::Utf8Bom, Encoding::Utf16le, Encoding::Utf16be] {
        let bytes = encode(text, encoding);
        for sizes in [vec![1], vec![3], vec![1, 2], vec![5, 7]] {
            let ingested = chunked(std::slice::from_ref(&bytes), &sizes, true);
            let data = &ingested.dataset;
            assert_eq!(
                data.text.text(data.people.pathway[0]),
                "Café 😀 support",
                "{encoding:?} in chunks of {sizes:?}"
            );
            assert_eq!(data.person_ids.text(data.people.person[0]), "P1");
        }
    }
}

#[test]
fn invalid_utf8_after_the_opening_window_is_replaced_and_warned_about_at_its_line() {
    // Valid UTF-8 well past the opening window, then a Windows-1252 "é" on the last line.
    let mut bytes = large_export(3000, "\n", "").into_bytes();
    assert!(bytes.len() > 64 * 1024 + 1000);
    let last_line = bytes.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    bytes.extend_from_slice(b"P1,2024-02-01,crisis_contact,Caf\xE9 visit\n");
    let people = b"person_id,pathway,start_date\nP1,A,2024-01-01\n".to_vec();
    let files = [people, bytes];
    let ingested = whole(&files);
    let report = &ingested.report;
    assert_eq!(report.files[1].encoding.map(|e| e.label()), Some("UTF-8"));
    let warnings: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::InvalidUtf8)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(last_line));
    assert!(
        warnings[0].message.contains("Windows-1252"),
        "{}",
        warnings[0].message
    );
    let data = &ingested.dataset;
    let last = data.events.follow_up.last().copied().flatten();
    assert_eq!(last.map(|l| data.text.text(l)), Some("Caf\u{FFFD} visit"));
    let expected = snapshot(&ingested);
    for sizes in [vec![1], vec![4096], vec![65_535, 3]] {
        assert_eq!(
            snapshot(&chunked(&files, &sizes, true)),
            expected,
            "{sizes:?}"
        );
    }
}

#[test]
fn invalid_utf8_in_the_opening_window_still_means_windows_1252() {
    let text = b"person_id,pathway,start_date\nP1,Caf\xE9,2024-01-10\n";
    let ingested = chunked(&[text.to_vec()], &[1], true);
    let report = &ingested.report;
    assert_eq!(
        report.files[0].encoding.map(|e| e.label()),
        Some("Windows-1252")
    );
    assert!(report
        .issues
        .iter()
        .any(|i| i.code == IssueCode::EncodingGuessed));
    assert!(!report
        .issues
        .iter()
        .any(|i| i.code == IssueCode::InvalidUtf8));
    let data = &ingested.dataset;
    assert_eq!(data.text.text(data.people.pathway[0]), "Café");
}

#[test]
fn progress_counts_bytes_and_records() {
    let people = b"Title\nperson_id,pathway,start_date\nP1,A,2024-01-10\nP2,A,2024-01-11\n";
    let mut session = IngestSession::new(MappingConfig::default());
    session.begin_file("people.csv", Some(people.len() as u64));
    session.push(&people[..20]);
    assert_eq!(session.bytes_read(), 20);
    session.push(&people[20..]);
    session.end_file();
    assert_eq!(session.bytes_read(), people.len() as u64);
    assert_eq!(session.rows_parsed(), 4, "title, header and two rows");
    let report = session.finish().report;
    assert_eq!(report.files[0].rows_accepted, 2);
}

#[test]
fn a_wrong_size_hint_changes_nothing_but_memory() {
    let bytes = large_export(3000, "\n", "").into_bytes();
    let people = b"person_id,pathway,start_date\nP1,A,2024-01-01\n".to_vec();
    let expected = snapshot(&whole(&[people.clone(), bytes.clone()]));
    for hint in [Some(0), Some(1), Some(u64::MAX), None] {
        let mut session = IngestSession::new(MappingConfig::default());
        for (name, file) in [("people.csv", &people), ("events.csv", &bytes)] {
            session.begin_file(name, hint);
            session.push(file);
            session.end_file();
        }
        assert_eq!(snapshot(&session.finish()), expected, "size hint {hint:?}");
    }
}

#[test]
fn misuse_does_not_panic() {
    let mut session = IngestSession::new(MappingConfig::default());
    session.push(b"ignored: no file has begun");
    session.end_file();
    session.begin_file("people.csv", Some(3));
    session.push(b"person_id,pathway,start_date\nP1,A,2024-01-10\n");
    // The next file begins without the first being ended, and the last is never ended.
    session.begin_file("empty.csv", None);
    session.push(b"");
    let report = session.finish().report;
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.files[0].rows_accepted, 1);
    assert_eq!(report.issues[0].code, IssueCode::EmptyFile);
    assert!(report.usable);
}
