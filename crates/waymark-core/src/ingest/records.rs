//! CSV records from text that arrives in pieces of any size, each with the physical line it
//! starts on.
//!
//! `csv_core` is a push parser: it takes whatever input it is given, says how many bytes it
//! consumed, and keeps its state between calls, so a record (even a quoted field with line
//! breaks in it) may span any number of pieces. Only the record being parsed is held.
//!
//! Lines are counted here, from exactly the bytes the parser consumed, as a text editor numbers
//! them: LF, CRLF (once) and a bare CR each end a line, also when the CR ends one piece and
//! its LF starts the next. A record's line is the line of its first byte that is not a line
//! terminator, so blank lines skipped before it are counted. The csv crate's own line numbers
//! are not used: they drift after CRLF endings and blank lines.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// Field bytes held for a record at first; doubled whenever a longer record needs it.
const INITIAL_FIELD_BYTES: usize = 1024;
const INITIAL_FIELDS: usize = 32;

/// One record's fields, borrowed from the reader (or from an [`OwnedRecord`]).
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    bytes: &'a [u8],
    /// End offset of each field in `bytes`.
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `idx`, unquoted, as raw bytes.
    pub fn get(&self, idx: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(idx)?;
        let start = match idx.checked_sub(1) {
            Some(before) => self.ends[before],
            None => 0,
        };
        self.bytes.get(start..end)
    }

    /// Whether any field holds `byte`: one search over the record instead of one per field.
    pub fn contains_byte(&self, byte: u8) -> bool {
        memchr::memchr(byte, self.bytes).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let bytes = self.bytes;
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = bytes.get(start..end).unwrap_or_default();
            start = end;
            field
        })
    }

    pub fn to_owned_record(&self) -> OwnedRecord {
        OwnedRecord {
            bytes: self.bytes.to_vec(),
            ends: self.ends.to_vec(),
        }
    }
}

/// A record kept beyond the next one (a possible footer row).
#[derive(Clone, Debug)]
pub struct OwnedRecord {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl OwnedRecord {
    /// A record of the given cells (already unquoted).
    pub fn from_cells(cells: &[Vec<u8>]) -> Self {
        let mut bytes = Vec::with_capacity(cells.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(cells.len());
        for cell in cells {
            bytes.extend_from_slice(cell);
            ends.push(bytes.len());
        }
        OwnedRecord { bytes, ends }
    }

    pub fn as_record(&self) -> Record<'_> {
        Record {
            bytes: &self.bytes,
            ends: &self.ends,
        }
    }
}

/// Physical lines of the text consumed so far.
#[derive(Debug)]
struct LineCounter {
    /// The line the next byte is on.
    line: u32,
    /// The last byte was a CR, so an LF next ends no further line.
    after_cr: bool,
    /// Bytes counted so far.
    pos: u64,
    /// A byte offset whose line is wanted, and that line once counted.
    watch: Option<u64>,
    watched_line: Option<u32>,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter {
            line: 1,
            after_cr: false,
            pos: 0,
            watch: None,
            watched_line: None,
        }
    }

    /// Counts the line breaks in `bytes`; when `record_line` is still unset, sets it to the
    /// line of the first byte that is not a line terminator.
    fn count(&mut self, bytes: &[u8], record_line: &mut Option<u32>) {
        if let Some(at) = self.watch {
            let end = self.pos + bytes.len() as u64;
            if at < end {
                let split = usize::try_from(at.saturating_sub(self.pos)).unwrap_or(0);
                let (before, after) = bytes.split_at(split.min(bytes.len()));
                self.count_unwatched(before, record_line);
                self.watched_line = Some(self.line);
                self.watch = None;
                self.count_unwatched(after, record_line);
                return;
            }
        }
        self.count_unwatched(bytes, record_line);
    }

    fn count_unwatched(&mut self, bytes: &[u8], record_line: &mut Option<u32>) {
        self.pos += bytes.len() as u64;
        let mut rest = bytes;
        if record_line.is_none() {
            let skipped = rest
                .iter()
                .position(|b| !matches!(b, b'\n' | b'\r'))
                .unwrap_or(rest.len());
            self.count_breaks(&rest[..skipped]);
            rest = &rest[skipped..];
            if !rest.is_empty() {
                *record_line = Some(self.line);
            }
        }
        self.count_breaks(rest);
    }

    /// Counts a whole record known to be plain ([`is_plain_record`]): it starts on the current
    /// line and holds one line break, its terminator. Most records are plain, and scanning
    /// each for line breaks was about a twentieth of the ingestion time in WebAssembly.
    fn count_one_line_record(&mut self, bytes: &[u8], record_line: &mut Option<u32>) {
        self.pos += bytes.len() as u64;
        record_line.get_or_insert(self.line);
        self.line = self.line.saturating_add(1);
        self.after_cr = bytes.last() == Some(&b'\r');
    }

    fn count_breaks(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        // A CR counts at once; an LF only when no CR comes straight before it.
        let mut breaks = 0u32;
        for idx in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let after_cr = match idx.checked_sub(1) {
                Some(before) => bytes[before] == b'\r',
                None => self.after_cr,
            };
            if bytes[idx] == b'\r' || !after_cr {
                breaks += 1;
            }
        }
        self.line = self.line.saturating_add(breaks);
        self.after_cr = last == b'\r';
    }
}

/// Whether `consumed`, the input of one whole record that gave `nout` field bytes in `nend`
/// fields, is plain: its fields copied byte for byte, the delimiters between them and one
/// terminator (LF, CR or CRLF), and nothing else. Quotes, blank lines before the record and
/// a CR left over from a previous CRLF all take input that gives no field byte, so their
/// records are not plain; a plain record's field bytes hold no CR or LF, as an unquoted one
/// ends the record.
fn is_plain_record(consumed: &[u8], nout: usize, nend: usize) -> bool {
    let terminator = match consumed {
        [.., b'\r', b'\n'] => 2,
        [.., b'\n'] | [.., b'\r'] => 1,
        _ => return false,
    };
    nend > 0 && consumed.len() == nout + (nend - 1) + terminator
}

/// Turns pieces of text into records, calling back with each record, its line and the
/// offset in the text just past its first line terminator (where the next record may start).
///
/// The callback returns `false` to stop reading; the reader then takes no more input.
#[derive(Debug)]
pub struct RecordReader {
    parser: Reader,
    /// The record being parsed: its field bytes so far and the end of each field so far.
    fields: Vec<u8>,
    ends: Vec<usize>,
    n_field_bytes: usize,
    n_ends: usize,
    lines: LineCounter,
    /// The line of the current record's first byte, once that byte has been consumed.
    record_line: Option<u32>,
    /// The first bytes of the text, held until there are three: csv_core strips a UTF-8
    /// byte-order mark only when its very first input holds all of it, and the answer must
    /// not depend on how the text was split.
    opening: Option<Vec<u8>>,
    stopped: bool,
}

impl RecordReader {
    pub fn new(delimiter: u8) -> Self {
        RecordReader {
            parser: ReaderBuilder::new().delimiter(delimiter).build(),
            fields: vec![0; INITIAL_FIELD_BYTES],
            ends: vec![0; INITIAL_FIELDS],
            n_field_bytes: 0,
            n_ends: 0,
            lines: LineCounter::new(),
            record_line: None,
            opening: Some(Vec::new()),
            stopped: false,
        }
    }

    /// Counts the lines of text that is not CSV (the `sep=` line) without parsing it. Only
    /// before the first [`feed`](Self::feed).
    pub fn skip(&mut self, text: &[u8]) {
        let mut ignored = None;
        self.lines.count(text, &mut ignored);
    }

    /// Asks for the line of the byte at `offset` in the text (counted from the start of the
    /// text, skipped part included), available from [`watched_line`](Self::watched_line)
    /// once the reader has consumed that byte.
    pub fn watch(&mut self, offset: u64) {
        if self.lines.watched_line.is_none() && self.lines.watch.is_none() {
            self.lines.watch = Some(offset);
        }
    }

    pub fn watched_line(&self) -> Option<u32> {
        self.lines.watched_line
    }

    /// Whether a callback asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Parses the next piece of text. Returns `false` once a callback has asked to stop.
    pub fn feed(
        &mut self,
        mut text: &[u8],
        on_record: &mut impl FnMut(Record<'_>, u32, u64) -> bool,
    ) -> bool {
        if self.stopped {
            return false;
        }
        if let Some(opening) = &mut self.opening {
            let take = 3usize.saturating_sub(opening.len()).min(text.len());
            opening.extend_from_slice(&text[..take]);
            text = &text[take..];
            if opening.len() < 3 {
                return true;
            }
            let opening = self.opening.take().unwrap_or_default();
            if !self.parse(&opening, on_record) {
                return false;
            }
        }
        self.parse(text, on_record)
    }

    /// Ends the text: the last record may have no line terminator.
    pub fn finish(&mut self, on_record: &mut impl FnMut(Record<'_>, u32, u64) -> bool) {
        if self.stopped {
            return;
        }
        if let Some(opening) = self.opening.take() {
            if !self.parse(&opening, on_record) {
                return;
            }
        }
        // An empty input tells csv_core the text has ended. Each round either grows a buffer,
        // emits the last record or ends, so a few rounds always suffice.
        for _ in 0..64 {
            let (result, _, nout, nend) = self.parser.read_record(
                &[],
                &mut self.fields[self.n_field_bytes..],
                &mut self.ends[self.n_ends..],
            );
            self.n_field_bytes += nout;
            self.n_ends += nend;
            match result {
                ReadRecordResult::OutputFull => self.grow_fields(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::Record => {
                    if !self.emit(on_record) {
                        return;
                    }
                }
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return,
            }
        }
    }

    fn parse(
        &mut self,
        mut input: &[u8],
        on_record: &mut impl FnMut(Record<'_>, u32, u64) -> bool,
    ) -> bool {
        while !input.is_empty() {
            let (result, nin, nout, nend) = self.parser.read_record(
                input,
                &mut self.fields[self.n_field_bytes..],
                &mut self.ends[self.n_ends..],
            );
            let whole_plain_record = result == ReadRecordResult::Record
                && self.n_field_bytes == 0
                && self.n_ends == 0
                && is_plain_record(&input[..nin], nout, nend);
            if whole_plain_record && self.lines.watch.is_none() {
                self.lines
                    .count_one_line_record(&input[..nin], &mut self.record_line);
            } else {
                self.lines.count(&input[..nin], &mut self.record_line);
            }
            input = &input[nin..];
            self.n_field_bytes += nout;
            self.n_ends += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.grow_fields(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::Record => {
                    if !self.emit(on_record) {
                        return false;
                    }
                }
                // Only after the end of the text, which is never followed by more input.
                ReadRecordResult::End => return true,
            }
        }
        true
    }

    fn emit(&mut self, on_record: &mut impl FnMut(Record<'_>, u32, u64) -> bool) -> bool {
        let line = self.record_line.take().unwrap_or(self.lines.line);
        let record = Record {
            bytes: self.fields.get(..self.n_field_bytes).unwrap_or_default(),
            ends: self.ends.get(..self.n_ends).unwrap_or_default(),
        };
        let go_on = on_record(record, line, self.lines.pos);
        self.n_field_bytes = 0;
        self.n_ends = 0;
        if !go_on {
            self.stopped = true;
        }
        go_on
    }

    fn grow_fields(&mut self) {
        let len = self.fields.len().max(INITIAL_FIELD_BYTES);
        self.fields.resize(len * 2, 0);
    }

    fn grow_ends(&mut self) {
        let len = self.ends.len().max(INITIAL_FIELDS);
        self.ends.resize(len * 2, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as (line, fields), with the text fed in the given pieces.
    fn records(pieces: &[&[u8]]) -> Vec<(u32, Vec<String>)> {
        let mut reader = RecordReader::new(b',');
        let mut found = Vec::new();
        let mut on_record = |record: Record<'_>, line: u32, _: u64| {
            found.push((
                line,
                record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ));
            true
        };
        for piece in pieces {
            reader.feed(piece, &mut on_record);
        }
        reader.finish(&mut on_record);
        found
    }

    /// The same text split at every position, and byte by byte, gives the same records.
    fn check(text: &[u8], expected: &[(u32, &[&str])]) {
        let expected: Vec<(u32, Vec<String>)> = expected
            .iter()
            .map(|(line, fields)| (*line, fields.iter().map(|f| f.to_string()).collect()))
            .collect();
        assert_eq!(records(&[text]), expected, "whole");
        for split in 0..=text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(records(&[a, b]), expected, "split at {split}");
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(records(&bytes), expected, "byte by byte");
    }

    /// Records with quotes, quoted line breaks, blank lines, a quote inside an unquoted
    /// field and every terminator, as the plain-record shortcut must leave their lines.
    #[test]
    fn lines_of_records_that_are_not_plain() {
        check(
            b"a,\"b\nc\"\nd,e\n",
            &[(1, &["a", "b\nc"]), (3, &["d", "e"])],
        );
        check(
            b"\n\na,b\r\n\r\nc,\"\"\"\"\r\ne\"f,g\rh\n",
            &[
                (3, &["a", "b"]),
                (5, &["c", "\""]),
                (6, &["e\"f", "g"]),
                (7, &["h"]),
            ],
        );
        check(b"a,,\r\n,b,\n", &[(1, &["a", "", ""]), (2, &["", "b", ""])]);
    }

    #[test]
    fn lines_count_lf_crlf_and_bare_cr() {
        check(b"a,b\nc,d\n", &[(1, &["a", "b"]), (2, &["c", "d"])]);
        check(b"a\r\nb\r\n", &[(1, &["a"]), (2, &["b"])]);
        check(b"a\rb\rc", &[(1, &["a"]), (2, &["b"]), (3, &["c"])]);
        check(b"a\n\rb", &[(1, &["a"]), (3, &["b"])]);
        check(b"a\r\r\nb", &[(1, &["a"]), (3, &["b"])]);
    }

    #[test]
    fn a_crlf_split_between_pieces_is_one_line_break() {
        let expected: Vec<(u32, Vec<String>)> = vec![(1, vec!["a".into()]), (2, vec!["b".into()])];
        assert_eq!(records(&[b"a\r", b"\nb"]), expected);
        assert_eq!(records(&[b"a", b"\r", b"\n", b"b"]), expected);
    }

    #[test]
    fn blank_lines_before_a_record_are_counted() {
        check(
            b"\r\n\r\nh\r\n\r\n\r\nx,y\r\n",
            &[(3, &["h"]), (6, &["x", "y"])],
        );
        check(b"\n\n\nx", &[(4, &["x"])]);
    }

    #[test]
    fn a_quoted_record_is_at_its_first_line_and_keeps_its_line_breaks() {
        check(
            b"h\n\"two\r\nlines\",x\nnext\n",
            &[(1, &["h"]), (2, &["two\r\nlines", "x"]), (4, &["next"])],
        );
    }

    #[test]
    fn long_records_and_many_fields_grow_the_buffers() {
        let long = "x".repeat(5000);
        let many = vec!["f"; 300].join(",");
        let text = format!("{long}\n{many}\n");
        let found = records(&[text.as_bytes()]);
        assert_eq!(found[0], (1, vec![long.clone()]));
        assert_eq!(found[1].0, 2);
        assert_eq!(found[1].1.len(), 300);
        let bytes: Vec<&[u8]> = text.as_bytes().chunks(7).collect();
        assert_eq!(records(&bytes), found);
    }

    #[test]
    fn a_byte_order_mark_split_across_pieces_is_stripped_as_csv_core_does_when_whole() {
        check(b"\xEF\xBB\xBFa,b\n", &[(1, &["a", "b"])]);
        check(b"ab", &[(1, &["ab"])]);
    }

    #[test]
    fn the_watched_offset_reports_its_line() {
        let mut reader = RecordReader::new(b',');
        reader.watch(8);
        let mut ignore = |_: Record<'_>, _: u32, _: u64| true;
        for piece in b"a\r\nb\r\ncdef\n".chunks(1) {
            reader.feed(piece, &mut ignore);
        }
        reader.finish(&mut ignore);
        assert_eq!(reader.watched_line(), Some(3));
    }

    #[test]
    fn a_callback_can_stop_the_reader() {
        let mut reader = RecordReader::new(b',');
        let mut seen = 0;
        let mut stop_after_two = |_: Record<'_>, _: u32, _: u64| {
            seen += 1;
            seen < 2
        };
        assert!(!reader.feed(b"a\nb\nc\nd\n", &mut stop_after_two));
        reader.finish(&mut stop_after_two);
        assert_eq!(seen, 2);
        assert!(reader.is_stopped());
    }
}
