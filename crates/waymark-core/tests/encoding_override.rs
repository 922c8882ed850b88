//! A file's text encoding set in the mapping replaces detection, whole or streamed.

use waymark_core::ingest::decode::TextEncoding;
use waymark_core::ingest::mapping::{file_mapping_from_summary, FileMapping, MappingConfig};
use waymark_core::ingest::IngestSession;
use waymark_core::{ingest, Ingested, InputFile, IssueCode};

const PEOPLE: &str = "people.csv";

fn config_with(encoding: Option<TextEncoding>) -> MappingConfig {
    MappingConfig {
        files: vec![FileMapping {
            name: PEOPLE.into(),
            encoding,
            ..FileMapping::default()
        }],
        ..MappingConfig::default()
    }
}

fn whole(bytes: &[u8], config: &MappingConfig) -> Ingested {
    ingest(
        &[InputFile {
            name: PEOPLE,
            bytes,
        }],
        config,
    )
}

fn sliced(bytes: &[u8], config: &MappingConfig, size: usize, size_hint: bool) -> Ingested {
    let mut session = IngestSession::new(config.clone());
    session.begin_file(PEOPLE, size_hint.then_some(bytes.len() as u64));
    for slice in bytes.chunks(size) {
        session.push(slice);
    }
    session.end_file();
    session.finish()
}

/// Everything ingestion produced, in a form that can be compared.
fn snapshot(ingested: &Ingested) -> (String, String, String) {
    (
        serde_json::to_string_pretty(&ingested.report).unwrap(),
        format!("{:#?}", ingested.dataset),
        format!("{:#?}", ingested.previews),
    )
}

/// The same answer whole and in slices of 1, 2 and 7 bytes (with and without a size hint).
fn check_slicing(bytes: &[u8], config: &MappingConfig) -> Ingested {
    let ingested = whole(bytes, config);
    let expected = snapshot(&ingested);
    for size in [1, 2, 7] {
        for hint in [true, false] {
            assert_eq!(
                snapshot(&sliced(bytes, config, size, hint)),
                expected,
                "slices of {size}, size hint {hint}"
            );
        }
    }
    ingested
}

fn pathways(ingested: &Ingested) -> Vec<&str> {
    let data = &ingested.dataset;
    data.people
        .pathway
        .iter()
        .map(|label| data.text.text(*label))
        .collect()
}

fn has_issue(ingested: &Ingested, code: IssueCode) -> bool {
    ingested.report.issues.iter().any(|i| i.code == code)
}

#[test]
fn valid_utf8_read_as_windows_1252_when_the_mapping_says_so() {
    let bytes = "person_id,pathway,start_date\nP1,Café £5,2024-01-10\n".as_bytes();
    let detected = whole(bytes, &MappingConfig::default());
    assert_eq!(detected.report.files[0].encoding, Some(TextEncoding::Utf8));
    assert_eq!(pathways(&detected), ["Café £5"]);

    let config = config_with(Some(TextEncoding::Windows1252));
    let chosen = check_slicing(bytes, &config);
    // é is C3 A9 and £ is C2 A3 in UTF-8; one byte per character in Windows-1252.
    assert_eq!(pathways(&chosen), ["CafÃ© Â£5"]);
    assert_eq!(
        chosen.report.files[0].encoding,
        Some(TextEncoding::Windows1252)
    );
    // The user chose it: nothing was guessed.
    assert!(!has_issue(&chosen, IssueCode::EncodingGuessed));
    assert!(chosen.report.usable);
}

#[test]
fn a_windows_1252_file_is_read_as_chosen() {
    // "Café £5" in Windows-1252: é = 0xE9, £ = 0xA3.
    let bytes =
        b"person_id,pathway,start_date\nP1,Caf\xE9 \xA35,2024-01-10\nP2,Z\xF6e,2024-01-11\n";
    let config = config_with(Some(TextEncoding::Windows1252));
    let chosen = check_slicing(bytes, &config);
    assert_eq!(pathways(&chosen), ["Café £5", "Zöe"]);
    assert_eq!(
        chosen.report.files[0].encoding,
        Some(TextEncoding::Windows1252)
    );
    assert!(!has_issue(&chosen, IssueCode::EncodingGuessed));
    // Detection reaches the same text, but says it guessed.
    let detected = whole(bytes, &MappingConfig::default());
    assert_eq!(pathways(&detected), pathways(&chosen));
    assert!(has_issue(&detected, IssueCode::EncodingGuessed));
}

#[test]
fn utf8_chosen_for_windows_1252_bytes_replaces_them_and_warns() {
    let bytes = b"person_id,pathway,start_date\nP1,Caf\xE9,2024-01-10\n";
    let chosen = check_slicing(bytes, &config_with(Some(TextEncoding::Utf8)));
    assert_eq!(pathways(&chosen), ["Caf\u{FFFD}"]);
    assert_eq!(chosen.report.files[0].encoding, Some(TextEncoding::Utf8));
    let warning = chosen
        .report
        .issues
        .iter()
        .find(|i| i.code == IssueCode::InvalidUtf8)
        .expect("an invalid_utf8 warning");
    assert_eq!(warning.line, Some(2));
    assert!(warning.message.contains("mapping"), "{}", warning.message);
}

#[test]
fn multi_byte_characters_straddling_slices_past_the_opening_window() {
    // Long enough that the opening window fills mid-file; every row has 2-, 3- and 4-byte
    // characters, so slice boundaries fall inside them.
    let mut text = String::from("person_id,pathway,start_date\n");
    for row in 0..4000 {
        text.push_str(&format!("P{row},Zoë € 😀 {row},2024-01-10\n"));
    }
    assert!(text.len() > 64 * 1024 + 1000);
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    // UTF-16 without a byte-order mark is only readable when chosen.
    let ingested = check_slicing(&utf16, &config_with(Some(TextEncoding::Utf16le)));
    assert_eq!(ingested.dataset.people.person.len(), 4000);
    assert_eq!(pathways(&ingested)[3999], "Zoë € 😀 3999");
    let undetected = whole(&utf16, &MappingConfig::default());
    assert!(has_issue(&undetected, IssueCode::NotText));

    let ingested = check_slicing(text.as_bytes(), &config_with(Some(TextEncoding::Utf8)));
    assert_eq!(pathways(&ingested)[17], "Zoë € 😀 17");
    assert_eq!(
        snapshot(&ingested),
        snapshot(&whole(text.as_bytes(), &MappingConfig::default())),
        "choosing what detection finds changes nothing"
    );
}

#[test]
fn only_a_byte_order_mark_of_the_chosen_encoding_is_stripped() {
    let utf8_bom = "\u{FEFF}person_id,pathway,start_date\nP1,Café,2024-01-10\n".as_bytes();

    // UTF-8 with or without a BOM: the mark is stripped, and the summary says it was there.
    for choice in [TextEncoding::Utf8, TextEncoding::Utf8Bom] {
        let ingested = check_slicing(utf8_bom, &config_with(Some(choice)));
        assert_eq!(
            ingested.report.files[0].encoding,
            Some(TextEncoding::Utf8Bom)
        );
        assert_eq!(pathways(&ingested), ["Café"]);
    }
    // Without a mark, "utf8-bom" reads plain UTF-8 and says so.
    let plain = &utf8_bom[3..];
    let ingested = check_slicing(plain, &config_with(Some(TextEncoding::Utf8Bom)));
    assert_eq!(ingested.report.files[0].encoding, Some(TextEncoding::Utf8));
    assert_eq!(pathways(&ingested), ["Café"]);

    // Windows-1252 wins over a UTF-8 mark: its bytes are read as three characters.
    let ingested = check_slicing(utf8_bom, &config_with(Some(TextEncoding::Windows1252)));
    assert_eq!(
        ingested.report.files[0].encoding,
        Some(TextEncoding::Windows1252)
    );
    assert_eq!(ingested.previews[0].header[0], "ï»¿person_id");

    // A UTF-16 mark is stripped when UTF-16 of that byte order is chosen.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "person_id,pathway,start_date\nP1,Café,2024-01-10\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let ingested = check_slicing(&utf16, &config_with(Some(TextEncoding::Utf16le)));
    assert_eq!(
        ingested.report.files[0].encoding,
        Some(TextEncoding::Utf16le)
    );
    assert_eq!(ingested.previews[0].header[0], "person_id");
    assert_eq!(pathways(&ingested), ["Café"]);
}

#[test]
fn applying_the_prefilled_mapping_reads_every_encoding_the_same_way() {
    let utf16: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(
            "person_id;pathway;start_date\nP1;Zoë;2024-01-10\n"
                .encode_utf16()
                .flat_map(u16::to_be_bytes),
        )
        .collect();
    let files: [(&[u8], TextEncoding); 5] = [
        (
            include_bytes!("../../../tests/fixtures/messy/people-win1252.csv"),
            TextEncoding::Windows1252,
        ),
        (
            "person_id,pathway,start_date\nP1,Zoë,2024-01-10\n".as_bytes(),
            TextEncoding::Utf8,
        ),
        (
            "\u{FEFF}person_id\tpathway\tstart_date\nP1\tZoë\t2024-01-10\n".as_bytes(),
            TextEncoding::Utf8Bom,
        ),
        (&utf16, TextEncoding::Utf16be),
        (
            b"person_id|pathway|start_date\nP1|Zo\xEB|2024-01-10\n",
            TextEncoding::Windows1252,
        ),
    ];
    for (bytes, encoding) in files {
        let detected = whole(bytes, &MappingConfig::default());
        let summary = &detected.report.files[0];
        assert_eq!(summary.encoding, Some(encoding));
        let prefilled = file_mapping_from_summary(summary);
        assert_eq!(prefilled.encoding, Some(encoding));
        let config = MappingConfig {
            files: vec![FileMapping {
                name: PEOPLE.into(),
                ..prefilled
            }],
            ..MappingConfig::default()
        };
        let again = check_slicing(bytes, &config);
        let after = &again.report.files[0];
        assert_eq!(
            (after.encoding, &after.delimiter, after.table),
            (summary.encoding, &summary.delimiter, summary.table),
            "{encoding:?}"
        );
        assert_eq!(
            (after.rows_read, after.rows_accepted, after.rows_rejected),
            (
                summary.rows_read,
                summary.rows_accepted,
                summary.rows_rejected
            )
        );
        assert_eq!(
            format!("{:#?}", again.dataset),
            format!("{:#?}", detected.dataset),
            "{encoding:?}"
        );
        assert_eq!(again.previews, detected.previews, "{encoding:?}");
        // Pre-filling again gives the same mapping.
        assert_eq!(file_mapping_from_summary(after).encoding, Some(encoding));
    }
}

#[test]
fn mapping_files_name_encodings_in_toml_and_json() {
    let config: MappingConfig = toml::from_str(
        r#"
        [[files]]
        name = "people*.csv"
        encoding = "windows1252"

        [[files]]
        name = "events.csv"
        encoding = "utf8-bom"
        delimiter = ";"

        [[files]]
        name = "goals.csv"
        "#,
    )
    .unwrap();
    assert_eq!(
        config.for_file("People_2024.csv").and_then(|f| f.encoding),
        Some(TextEncoding::Windows1252)
    );
    assert_eq!(
        config.for_file("events.csv").and_then(|f| f.encoding),
        Some(TextEncoding::Utf8Bom)
    );
    assert_eq!(config.for_file("goals.csv").and_then(|f| f.encoding), None);
    for name in ["utf8", "utf16le", "utf16be"] {
        let text = format!("[[files]]\nname = \"a.csv\"\nencoding = \"{name}\"\n");
        let parsed: MappingConfig = toml::from_str(&text).unwrap();
        assert!(parsed.files[0].encoding.is_some(), "{name}");
    }
    assert!(toml::from_str::<MappingConfig>(
        "[[files]]\nname = \"a.csv\"\nencoding = \"latin1\"\n"
    )
    .is_err());

    // JSON, as the app saves profiles: an unset encoding is written as null and read back.
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(json["files"][0]["encoding"], "windows1252");
    assert!(json["files"][2]["encoding"].is_null());
    let back: MappingConfig = serde_json::from_value(json).unwrap();
    assert_eq!(back, config);
    // Profiles saved before the field existed still load.
    let old: MappingConfig =
        serde_json::from_str(r#"{"files":[{"name":"a.csv","delimiter":";"}]}"#).unwrap();
    assert_eq!(old.files[0].encoding, None);
}
