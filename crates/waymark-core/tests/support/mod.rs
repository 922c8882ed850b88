//! Input strategies shared by the property tests: CSV-like exports with awkward cells, and
//! the same exports as real tools write them (CRLF or CR line ends, title and blank lines,
//! byte-order marks, UTF-16, Windows-1252).

#![allow(dead_code)] // each test crate uses its own selection

use proptest::prelude::*;

/// Cells that exercise the parsers' edges: dates, numbers, quotes, separators, odd bytes.
pub fn cell() -> impl Strategy<Value = String> {
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

pub fn header() -> impl Strategy<Value = String> {
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
            "stage",
            "source",
            // Wide outcome shapes: a measure column, questionnaire items, Star areas.
            "PHQ-9",
            "GAD7_1",
            "GAD7_2",
            "Managing mental health",
            "Living skills",
            "Work",
            "Relationships",
            "Trust and hope",
        ],
        1..10,
    )
    .prop_map(|fields| fields.join(","))
}

pub fn csvish() -> impl Strategy<Value = Vec<u8>> {
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

/// How an export's text is written to bytes.
#[derive(Clone, Copy, Debug)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16le,
    Utf16be,
    /// Non-ASCII characters become one byte each (é as 0xE9), as in Excel's plain "CSV".
    Windows1252,
}

pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Encoding::Windows1252 => text
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { 0xE9 })
            .collect(),
    }
}

/// A [`csvish`] export as real tools write it: CR or CRLF line ends, title and blank lines
/// above it, cells with line breaks and accents, in one of the encodings Waymark reads.
pub fn encoded_csvish() -> impl Strategy<Value = Vec<u8>> {
    (
        csvish(),
        prop::collection::vec(
            prop::sample::select(vec!["", "Crisis export, May", "sep=,", "Café report"]),
            0..3,
        ),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        prop::collection::vec(
            prop::sample::select(vec!["", "\"two\r\nlines\"", "Zoë", "£5"]),
            0..3,
        ),
        prop::sample::select(vec![
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16le,
            Encoding::Utf16be,
            Encoding::Windows1252,
        ]),
    )
        .prop_map(|(csv, titles, newline, extra_rows, encoding)| {
            let csv = String::from_utf8_lossy(&csv).replace("\r\n", "\n");
            let mut lines: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
            lines.extend(csv.split('\n').map(str::to_string));
            lines.extend(extra_rows.iter().map(|r| format!("P1,{r}")));
            encode(&lines.join(newline), encoding)
        })
}
