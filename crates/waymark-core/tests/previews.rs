//! Previews for the mapping step: each file's header and first rows as decoded cells, the same
//! whether a file is read whole or streamed in slices, and never in the exported report.

use waymark_core::ingest::{IngestSession, PREVIEW_CELL_CHARS, PREVIEW_ROWS};
use waymark_core::{ingest, FilePreview, Ingested, InputFile, MappingConfig};

/// People, with a byte-order mark, a title row, semicolons, a quoted line break, a rejected
/// row (bad date), an empty row and a long cell.
fn people() -> Vec<u8> {
    let long = "x".repeat(200);
    let text = format!(
        "\u{FEFF}Caseload export;;;\r\n\
         person_id;pathway;start_date;notes\r\n\
         P1;Step-down;2025-01-01;\"first line\r\nsecond; line\"\r\n\
         P2;Step-down;not a date;\r\n\
         ;;;\r\n\
         P3;\"Crisis \"\"plus\"\"\";2025-02-01;{long}\r\n\
         P4;Step-down;2025-03-01;four\r\n\
         P5;Step-down;2025-03-02;five\r\n\
         P6;Step-down;2025-03-03;six\r\n"
    );
    text.into_bytes()
}

/// Not any table Waymark knows: a title, then a header of its own and rows.
fn unknown() -> Vec<u8> {
    b"Monthly summary\nward,beds,occupied\nNorth,12,10\n\nSouth,8,8\nEast,10,4\n".to_vec()
}

/// Windows-1252 (a pound sign as byte 0xA3).
fn events_1252() -> Vec<u8> {
    b"person_id,date,event_type,cost\nP1,2025-02-01,crisis_contact,\xa35\n".to_vec()
}

fn files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("people.csv", people()),
        ("wards.csv", unknown()),
        ("events.csv", events_1252()),
        ("empty.csv", b"  \n".to_vec()),
        (
            "picture.csv",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2],
        ),
    ]
}

fn whole() -> Ingested {
    let files = files();
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    ingest(&inputs, &MappingConfig::default())
}

fn streamed(slice: usize) -> Ingested {
    let mut session = IngestSession::new(MappingConfig::default());
    for (name, bytes) in files() {
        session.begin_file(name, None);
        for piece in bytes.chunks(slice) {
            session.push(piece);
        }
        session.end_file();
    }
    session.finish()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn preview<'a>(ingested: &'a Ingested, file: &str) -> &'a FilePreview {
    ingested
        .previews
        .iter()
        .find(|p| p.file == file)
        .unwrap_or_else(|| panic!("no preview for {file}"))
}

#[test]
fn a_recognised_file_previews_its_header_and_first_rows_as_decoded_cells() {
    let ingested = whole();
    let p = preview(&ingested, "people.csv");
    assert_eq!(
        p.header,
        strings(&["person_id", "pathway", "start_date", "notes"])
    );
    assert_eq!(p.rows.len(), PREVIEW_ROWS);
    assert_eq!(
        p.rows[0],
        strings(&[
            "P1",
            "Step-down",
            "2025-01-01",
            "first line\r\nsecond; line"
        ])
    );
    // The row rejected for its date is still shown as it was written.
    assert_eq!(p.rows[1], strings(&["P2", "Step-down", "not a date", ""]));
    // The empty row is skipped; quotes are undone; long cells are cut.
    assert_eq!(p.rows[2][1], "Crisis \"plus\"");
    let long = &p.rows[2][3];
    assert_eq!(long.chars().count(), PREVIEW_CELL_CHARS);
    assert!(long.ends_with('…') && long.starts_with("xxx"));
    assert_eq!(p.rows[4][0], "P5");
    // The sixth data row is not kept.
    assert!(p.rows.iter().all(|row| row[0] != "P6"));
    assert_eq!(ingested.dataset.people.person.len(), 5);
}

#[test]
fn an_unrecognised_file_previews_its_likeliest_header_and_the_rows_below() {
    let ingested = whole();
    let p = preview(&ingested, "wards.csv");
    assert_eq!(p.header, strings(&["ward", "beds", "occupied"]));
    assert_eq!(
        p.rows,
        vec![
            strings(&["North", "12", "10"]),
            strings(&["South", "8", "8"]),
            strings(&["East", "10", "4"]),
        ]
    );
    let summary = ingested
        .report
        .files
        .iter()
        .find(|f| f.name == "wards.csv")
        .unwrap();
    assert!(!summary.readable);
    let listed: Vec<&str> = summary.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(listed, ["ward", "beds", "occupied"]);
}

#[test]
fn previews_are_decoded_and_files_with_nothing_to_show_have_empty_ones() {
    let ingested = whole();
    assert_eq!(preview(&ingested, "events.csv").rows[0][3], "£5");
    for name in ["empty.csv", "picture.csv"] {
        let p = preview(&ingested, name);
        assert!(p.header.is_empty() && p.rows.is_empty(), "{name}: {p:?}");
    }
    // One preview per file, in the order of the validation report.
    let names: Vec<&str> = ingested.previews.iter().map(|p| p.file.as_str()).collect();
    let listed: Vec<&str> = ingested
        .report
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, listed);
}

#[test]
fn streaming_in_tiny_slices_gives_the_same_previews() {
    let expected = whole().previews;
    assert!(expected.iter().any(|p| !p.rows.is_empty()));
    for slice in [1, 7, 64] {
        assert_eq!(
            streamed(slice).previews,
            expected,
            "slices of {slice} bytes"
        );
    }
}

#[test]
fn previews_stay_out_of_the_validation_report() {
    let ingested = whole();
    let json = serde_json::to_string(&ingested.report).unwrap();
    for private in ["second; line", "North", "Crisis"] {
        assert!(!json.contains(private), "{private} leaked into the report");
    }
    let round_trip: Vec<FilePreview> =
        serde_json::from_str(&serde_json::to_string(&ingested.previews).unwrap()).unwrap();
    assert_eq!(round_trip, ingested.previews);
}
