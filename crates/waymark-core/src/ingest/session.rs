//! Push-based ingestion: each file arrives as a sequence of byte chunks of any size, so no file
//! has to be in memory as a whole (the web app reads large files in slices).
//!
//! A file's bytes move through three stages as they arrive:
//!
//! 1. **Opening.** The first [`WINDOW`] bytes are held until the encoding can be decided: a
//!    byte-order mark, or whether they are valid UTF-8 ([`decode::detect_encoding`]). An
//!    encoding set in the file's mapping replaces detection ([`decode::chosen_encoding`]) but
//!    is applied at the same point, so a file is cut into chunks the same way either way.
//! 2. **Window.** The first [`WINDOW`] bytes of decoded text are held for the decisions taken on
//!    the file's opening: binary content, an Excel `sep=` line, the delimiter, and how many rows
//!    to reserve room for.
//! 3. **Records.** From then on, text goes straight through the CSV parser, record by record,
//!    into the file's staged columns. What is held per file is one chunk (only while it is
//!    being pushed) and one record, plus the columns.
//!
//! When a file ends its columns are settled and moved into the dataset; [`IngestSession::finish`]
//! runs the cross-table checks and summarises. The answer does not depend on how a file was cut
//! into chunks: every decision is taken on a fixed number of bytes, and the decoders and the CSV
//! parser carry their state across chunk boundaries.
//!
//! ```
//! use waymark_core::ingest::IngestSession;
//! use waymark_core::MappingConfig;
//!
//! let people = b"person_id,pathway,start_date\nP1,Step-down,2024-01-10\n";
//! let mut session = IngestSession::new(MappingConfig::default());
//! session.begin_file("people.csv", Some(people.len() as u64));
//! for slice in people.chunks(7) {
//!     session.push(slice);
//! }
//! session.end_file();
//! let ingested = session.finish();
//! assert_eq!(ingested.dataset.people.person.len(), 1);
//! assert!(ingested.report.usable);
//! ```

use super::decode::{self, Piece, TextDecoder, TextEncoding, WINDOW};
use super::formats::{self, ExportFormat};
use super::mhsds::{self, MhsdsTable};
use super::records::OwnedRecord;
use super::records::RecordReader;
use super::value_map::MeaningFrom;
use super::{
    crosscheck, file_error, separator_line, sniff, summarise, unreadable, FilePreview, FileReader,
    FileSummary, IngestRules, Ingested, ReadContext, RowEstimate,
};
use crate::issues::{Issue, IssueCode, IssueSeverity};
use crate::model::Dataset;
use crate::MappingConfig;

/// U+FFFD REPLACEMENT CHARACTER, put where bytes could not be decoded.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Reads files pushed to it in chunks into one dataset, and reports on them.
///
/// Call [`begin_file`](Self::begin_file), [`push`](Self::push) the file's bytes in chunks of
/// any size (empty ones included), then [`end_file`](Self::end_file); repeat for each file,
/// then [`finish`](Self::finish). The result is the same as [`ingest`](super::ingest) on the
/// whole files. Misuse never panics: bytes pushed outside a file are ignored, a file still
/// open when the next begins or the session finishes is ended first.
pub struct IngestSession {
    config: MappingConfig,
    rules: IngestRules,
    dataset: Dataset,
    issues: Vec<Issue>,
    files: Vec<FileSummary>,
    previews: Vec<FilePreview>,
    file: Option<OpenFile>,
    /// A workbook being received: its bytes are kept until it ends, then each sheet is read
    /// as a file of its own ([`workbook`](super::workbook)).
    workbook: Option<(String, Vec<u8>)>,
    /// With the MHSDS profile, every text file is kept whole until the session finishes: its
    /// tables are joined before their rows are read ([`mhsds`](super::mhsds)).
    held: Option<Vec<(String, Vec<u8>)>>,
    /// The user's own value choices, when a profile's are laid under them: values the profile
    /// gave their meaning are then said to come from it.
    user_values: Option<super::value_map::ValueMapping>,
    bytes_read: u64,
    /// Records parsed in files already ended.
    records_ended: u64,
}

impl IngestSession {
    /// A session with the shipped measure catalogue and analysis settings; use
    /// [`with_rules`](Self::with_rules) when the configuration changes them.
    pub fn new(config: MappingConfig) -> Self {
        IngestSession::with_rules(config, IngestRules::default())
    }

    /// A session that checks scores against `rules.measures` and summarises the data's
    /// problems with `rules.analysis` (see [`IngestRules::from_config`]).
    pub fn with_rules(mut config: MappingConfig, rules: IngestRules) -> Self {
        let mhsds = config.format == Some(ExportFormat::MhsdsV6);
        let user_values = mhsds.then(|| config.values.clone());
        if mhsds {
            config.values = config
                .values
                .clone()
                .laid_over(super::mhsds::profile_values());
        }
        IngestSession {
            user_values,
            held: mhsds.then(Vec::new),
            config,
            rules,
            dataset: Dataset::default(),
            issues: Vec::new(),
            files: Vec::new(),
            previews: Vec::new(),
            file: None,
            workbook: None,
            bytes_read: 0,
            records_ended: 0,
        }
    }

    /// Starts the next file. `size_hint` is its size in bytes if known; it lets the columns be
    /// reserved once at about the right size rather than grown by doubling.
    pub fn begin_file(&mut self, name: &str, size_hint: Option<u64>) {
        self.end_file();
        if super::workbook::is_workbook(name) {
            let capacity = size_hint.and_then(|s| usize::try_from(s).ok()).unwrap_or(0);
            self.workbook = Some((name.to_string(), Vec::with_capacity(capacity)));
            return;
        }
        if let Some(held) = &mut self.held {
            held.push((name.to_string(), Vec::new()));
            return;
        }
        self.begin_text_file(name, size_hint);
    }

    fn begin_text_file(&mut self, name: &str, size_hint: Option<u64>) {
        let capacity = size_hint
            .and_then(|size| usize::try_from(size).ok())
            .unwrap_or(WINDOW)
            .min(WINDOW);
        self.file = Some(OpenFile {
            name: name.to_string(),
            file_idx: u16::try_from(self.files.len()).unwrap_or(u16::MAX),
            size_hint,
            issues_before: self.issues.len(),
            blank: true,
            stage: Stage::Opening(Vec::with_capacity(capacity)),
        });
    }

    /// The next bytes of the current file.
    /// Pushes `len` bytes that live outside this memory (a JavaScript array) a piece of at most
    /// `piece_len` bytes at a time: `copy(start, end, piece)` fills `piece` with bytes
    /// `start..end`, and `piece` is reused, so the whole input is never held here.
    pub fn push_in_pieces(
        &mut self,
        len: usize,
        piece_len: usize,
        piece: &mut Vec<u8>,
        mut copy: impl FnMut(usize, usize, &mut [u8]),
    ) {
        let mut start = 0;
        while start < len {
            let end = start.saturating_add(piece_len.max(1)).min(len);
            piece.resize(end - start, 0);
            copy(start, end, piece);
            self.push(piece);
            start = end;
        }
    }

    pub fn push(&mut self, chunk: &[u8]) {
        if let Some((_, bytes)) = &mut self.workbook {
            self.bytes_read += chunk.len() as u64;
            bytes.extend_from_slice(chunk);
            return;
        }
        self.bytes_read += chunk.len() as u64;
        if let Some((_, bytes)) = self.held.as_mut().and_then(|h| h.last_mut()) {
            bytes.extend_from_slice(chunk);
            return;
        }
        self.push_text(chunk);
    }

    fn push_text(&mut self, chunk: &[u8]) {
        let Some(file) = &mut self.file else {
            return;
        };
        if file.blank {
            file.blank = chunk.iter().all(u8::is_ascii_whitespace);
        }
        let mut cx = ReadContext {
            config: &self.config,
            rules: &self.rules,
            dataset: &mut self.dataset,
            issues: &mut self.issues,
        };
        file.push(chunk, &mut cx);
    }

    /// Ends the current file: its rows are settled and join the dataset.
    pub fn end_file(&mut self) {
        if let Some((name, bytes)) = self.workbook.take() {
            self.end_workbook(&name, bytes);
            return;
        }
        let Some(file) = self.file.take() else {
            return;
        };
        let mut cx = ReadContext {
            config: &self.config,
            rules: &self.rules,
            dataset: &mut self.dataset,
            issues: &mut self.issues,
        };
        let (summary, preview, records) = file.end(&mut cx);
        self.records_ended += records;
        self.files.push(summary);
        self.previews.push(preview);
    }

    /// Reads each sheet of a workbook as a file of its own, named `book.xlsx [Sheet]`.
    fn end_workbook(&mut self, name: &str, bytes: Vec<u8>) {
        match super::workbook::sheets(name, bytes) {
            Ok(sheets) if !sheets.is_empty() => {
                for sheet in sheets {
                    self.begin_text_file(&sheet.name, Some(sheet.csv.len() as u64));
                    self.push_text(sheet.csv.as_bytes());
                    self.end_file();
                }
            }
            outcome => {
                let message = match outcome {
                    Err(message) => message,
                    Ok(_) => format!("{name} has no sheet with any cell filled in."),
                };
                let code = IssueCode::UnreadableWorkbook;
                self.issues
                    .push(Issue::new(IssueSeverity::Error, code, name, message));
                self.files.push(super::unreadable(name, None, None));
                self.previews.push(empty_preview(name));
            }
        }
    }

    /// Reads the files kept for the MHSDS profile: its tables joined and read as Waymark's,
    /// any other file as usual.
    /// Returns each MHSDS file with the table it was read as.
    fn read_held(&mut self, held: Vec<(String, Vec<u8>)>) -> Vec<(String, String)> {
        let mut tables = Vec::new();
        for (name, bytes) in held {
            let raw = mhsds::RawTable::read(&name, &bytes);
            match raw
                .as_ref()
                .and_then(|raw| MhsdsTable::recognise(&raw.header))
            {
                Some(kind) => tables.push((kind, raw.expect("recognised from it"))),
                None => {
                    self.begin_text_file(&name, Some(bytes.len() as u64));
                    self.push_text(&bytes);
                    self.end_file();
                }
            }
        }
        let read: Vec<(String, String)> = tables
            .iter()
            .map(|(kind, raw)| (raw.name.clone(), kind.title().to_string()))
            .collect();
        let reading = mhsds::derive(tables);
        for derived in reading.derived {
            self.read_derived(derived);
        }
        for lookup in reading.lookups {
            let raw = &lookup.table;
            self.issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::FormatProfile,
                    &raw.name,
                    format!(
                        "Read with the MHSDS v6 profile as {}: {} rows, used for {}. It gives no table of its own.",
                        lookup.kind.title(),
                        raw.rows.len(),
                        lookup.used_for
                    ),
                )
                .at_line(raw.header_line),
            );
            self.files.push(super::lookup_summary(raw));
            self.previews.push(FilePreview {
                file: raw.name.clone(),
                header: raw.header.clone(),
                rows: raw
                    .rows
                    .iter()
                    .take(super::PREVIEW_ROWS)
                    .map(|(_, r)| r.clone())
                    .collect(),
            });
        }
        read
    }

    /// Reads one derived MHSDS table through the ordinary path, under its file's name and lines.
    fn read_derived(&mut self, derived: mhsds::Derived) {
        let mut config = self.config.clone();
        config.files.insert(0, derived.mapping.clone());
        let file_idx = u16::try_from(self.files.len()).unwrap_or(u16::MAX);
        let mut reader = FileReader::new(
            &derived.name,
            file_idx,
            derived.delimiter,
            derived.encoding,
            &config,
        );
        let mut cx = ReadContext {
            config: &config,
            rules: &self.rules,
            dataset: &mut self.dataset,
            issues: &mut self.issues,
        };
        let as_bytes = |cells: &[String]| -> Vec<Vec<u8>> {
            cells.iter().map(|c| c.as_bytes().to_vec()).collect()
        };
        let header = OwnedRecord::from_cells(&as_bytes(&derived.header));
        reader.record(header.as_record(), derived.header_line, 0, &mut cx, None);
        for (line, cells) in &derived.rows {
            let record = OwnedRecord::from_cells(&as_bytes(cells));
            reader.record(record.as_record(), *line, 0, &mut cx, None);
        }
        let (summary, preview) = reader.finish(&mut cx);
        let table = summary.table.map_or("nothing", |t| t.name());
        self.issues.push(
            Issue::new(
                IssueSeverity::Note,
                IssueCode::FormatProfile,
                &derived.name,
                format!(
                    "Read with the MHSDS v6 profile as the {table} table; its columns: {}.",
                    derived.header.join(", ")
                ),
            )
            .at_line(derived.header_line),
        );
        for note in derived.notes {
            self.issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::FormatProfile,
                    &derived.name,
                    note,
                )
                .at_line(derived.header_line),
            );
        }
        self.files.push(summary);
        self.previews.push(preview);
    }

    /// Ends the last file, runs the checks across files and summarises.
    pub fn finish(mut self) -> Ingested {
        self.end_file();
        let read_as_mhsds = match self.held.take() {
            Some(held) => self.read_held(held),
            None => Vec::new(),
        };
        let formats = formats::recognise(
            &self.previews,
            &self.files,
            self.config.format,
            &read_as_mhsds,
        );
        for found in formats.iter().filter(|f| !f.in_force) {
            let files: Vec<String> = found
                .files
                .iter()
                .map(|(file, what)| format!("{file} ({what})"))
                .collect();
            self.issues.push(Issue::new(
                IssueSeverity::Note,
                IssueCode::FormatProfile,
                &found.files[0].0,
                format!(
                    "These files look like {}: {}. Read them with its profile: choose it in the mapping step, or set format = \"{}\" in the mapping file.",
                    found.format.title(),
                    files.join(", "),
                    found.format.key()
                ),
            ));
        }
        if let Some(user) = &self.user_values {
            for value in self.files.iter_mut().flat_map(|f| &mut f.values) {
                if value.from == MeaningFrom::Mapping
                    && !user.has_choice(&value.field, &value.value)
                {
                    value.from = MeaningFrom::Profile;
                }
            }
        }
        let IngestSession {
            mut dataset,
            mut issues,
            mut files,
            previews,
            rules,
            ..
        } = self;
        crosscheck::check(&mut dataset, &mut files, &mut issues);
        let mut report = summarise(&dataset, files, issues, &rules);
        report.formats = formats;
        Ingested {
            dataset,
            report,
            previews,
        }
    }

    /// Bytes pushed so far, in all files (bytes pushed outside a file are not counted).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// CSV records parsed so far, in all files (header, title and footer rows included).
    pub fn rows_parsed(&self) -> u64 {
        let current = match self.file.as_ref().map(|f| &f.stage) {
            Some(Stage::Decoding(decoding)) => decoding.text.records,
            _ => 0,
        };
        self.records_ended + current
    }
}

/// The preview of a file with nothing to show.
fn empty_preview(name: &str) -> FilePreview {
    FilePreview {
        file: name.to_string(),
        ..FilePreview::default()
    }
}

/// The file being read.
struct OpenFile {
    name: String,
    file_idx: u16,
    size_hint: Option<u64>,
    /// Issues raised before this file: a file that turns out to be blank takes back its own.
    issues_before: usize,
    /// Every byte so far is ASCII whitespace.
    blank: bool,
    stage: Stage,
}

enum Stage {
    /// The file's first bytes, until the encoding can be decided.
    Opening(Vec<u8>),
    Decoding(Box<Decoding>),
}

struct Decoding {
    decoder: TextDecoder,
    text: Text,
}

/// Records being read from the text.
struct Reading {
    reader: RecordReader,
    file: FileReader,
}

/// The decoded text of one file and what becomes of it.
struct Text {
    name: String,
    file_idx: u16,
    encoding: TextEncoding,
    /// The encoding was set in the mapping, not detected.
    encoding_chosen: bool,
    /// The file's size without its byte-order mark, if known (for reserving columns).
    body_size: Option<u64>,
    /// Decoded bytes so far.
    len: u64,
    /// Where the first invalid UTF-8 sequence was replaced, in a file read as UTF-8.
    first_replaced: Option<u64>,
    records: u64,
    stage: TextStage,
}

enum TextStage {
    /// The opening window, until it is full.
    Window(Vec<u8>),
    Records(Box<Reading>),
    /// The file is not text; the rest of it is ignored.
    Binary(FileSummary),
}

impl OpenFile {
    fn push(&mut self, mut input: &[u8], cx: &mut ReadContext<'_>) {
        if let Stage::Opening(opening) = &mut self.stage {
            let take = (WINDOW - opening.len().min(WINDOW)).min(input.len());
            opening.extend_from_slice(&input[..take]);
            input = &input[take..];
            if opening.len() < WINDOW {
                return;
            }
            let opening = std::mem::take(opening);
            self.start_decoding(&opening, false, cx);
        }
        if let Stage::Decoding(decoding) = &mut self.stage {
            let Decoding { decoder, text } = &mut **decoding;
            if text.wants_more() {
                decoder.decode(input, &mut |piece| text.take(piece, cx));
            }
        }
    }

    /// Decides the encoding from the opening bytes, or takes the mapping's, then decodes them.
    ///
    /// A chosen encoding is applied at the same point as a detected one, to the same held
    /// opening bytes, so a byte-order mark or a character cut between chunks is handled alike.
    fn start_decoding(&mut self, opening: &[u8], complete: bool, cx: &mut ReadContext<'_>) {
        let chosen = cx.config.for_file(&self.name).and_then(|m| m.encoding);
        let (encoding, bom_len) = match chosen {
            Some(chosen) => decode::chosen_encoding(chosen, opening),
            None => decode::detect_encoding(opening, complete),
        };
        let body_size = self
            .size_hint
            .map(|size| size.saturating_sub(bom_len as u64));
        let mut text = Text {
            name: self.name.clone(),
            file_idx: self.file_idx,
            encoding,
            encoding_chosen: chosen.is_some(),
            body_size,
            len: 0,
            first_replaced: None,
            records: 0,
            stage: TextStage::Window(Vec::with_capacity(WINDOW.min(opening.len() * 3))),
        };
        let mut decoder = TextDecoder::new(encoding);
        let body = opening.get(bom_len..).unwrap_or_default();
        decoder.decode(body, &mut |piece| text.take(piece, cx));
        self.stage = Stage::Decoding(Box::new(Decoding { decoder, text }));
    }

    /// Ends the file: returns its summary, its preview and the number of records parsed.
    fn end(mut self, cx: &mut ReadContext<'_>) -> (FileSummary, FilePreview, u64) {
        if let Stage::Opening(opening) = &mut self.stage {
            let opening = std::mem::take(opening);
            self.start_decoding(&opening, true, cx);
        }
        let Stage::Decoding(decoding) = self.stage else {
            // Unreachable: decoding has just started.
            return (
                unreadable(&self.name, None, None),
                empty_preview(&self.name),
                0,
            );
        };
        let Decoding {
            mut decoder,
            mut text,
        } = *decoding;
        decoder.finish(&mut |piece| text.take(piece, cx));
        let (summary, preview, records) = text.end(decoder.replaced(), cx);
        if self.blank {
            // Only whitespace: whatever its records gave rise to is replaced by one error.
            cx.issues.truncate(self.issues_before);
            cx.issues.push(file_error(
                &self.name,
                IssueCode::EmptyFile,
                "The file is empty. Export the table again, with its header row.",
            ));
            return (
                unreadable(&self.name, None, None),
                empty_preview(&self.name),
                records,
            );
        }
        (summary, preview, records)
    }
}

impl Text {
    /// False once the rest of the text would be ignored: the file is binary, or has no header.
    fn wants_more(&self) -> bool {
        match &self.stage {
            TextStage::Window(_) => true,
            TextStage::Records(reading) => !reading.reader.is_stopped(),
            TextStage::Binary(_) => false,
        }
    }

    /// Takes the next piece of decoded text.
    fn take(&mut self, piece: Piece<'_>, cx: &mut ReadContext<'_>) {
        let bytes = match piece {
            Piece::Text(bytes) => bytes,
            Piece::Replaced => {
                if self.encoding == TextEncoding::Utf8 && self.first_replaced.is_none() {
                    self.first_replaced = Some(self.len);
                    if let TextStage::Records(reading) = &mut self.stage {
                        reading.reader.watch(self.len);
                    }
                }
                REPLACEMENT
            }
        };
        self.len += bytes.len() as u64;
        self.text(bytes, cx);
    }

    fn text(&mut self, mut bytes: &[u8], cx: &mut ReadContext<'_>) {
        if let TextStage::Window(window) = &mut self.stage {
            let take = (WINDOW - window.len().min(WINDOW)).min(bytes.len());
            window.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if window.len() < WINDOW {
                return;
            }
            let window = std::mem::take(window);
            self.open(&window, false, cx);
        }
        if let TextStage::Records(reading) = &mut self.stage {
            let Reading { reader, file } = &mut **reading;
            let records = &mut self.records;
            reader.feed(bytes, &mut |record, line, end| {
                *records += 1;
                file.record(record, line, end, cx, None)
            });
        }
    }

    /// The decisions taken on the opening window of text; then its records are read.
    fn open(&mut self, window: &[u8], complete: bool, cx: &mut ReadContext<'_>) {
        let name = self.name.as_str();
        if decode::looks_binary(window) {
            cx.issues.push(file_error(
                name,
                IssueCode::NotText,
                "This is not a CSV text file (it contains binary data). If it is a spreadsheet, save it as \"CSV UTF-8\" first.",
            ));
            self.stage = TextStage::Binary(unreadable(name, None, Some(self.encoding)));
            return;
        }
        if self.encoding == TextEncoding::Windows1252 && !self.encoding_chosen {
            cx.issues.push(Issue::new(
                IssueSeverity::Note,
                IssueCode::EncodingGuessed,
                name,
                "The file is not UTF-8, so it was read as Windows-1252 (Excel's plain \"CSV\"). If accented letters or £ look wrong, save it as \"CSV UTF-8\".",
            ));
        }
        let (body_start, separator) = separator_line(window, complete);
        if let Some(sep) = separator {
            cx.issues.push(
                Issue::new(
                    IssueSeverity::Note,
                    IssueCode::SeparatorLine,
                    name,
                    format!(
                        "Line 1 is Excel's \"sep={}\" hint; it was used and skipped.",
                        sep as char
                    ),
                )
                .at_line(1),
            );
        }
        let body = &window[body_start..];
        // Sniff complete lines only, unless the window is the whole text.
        let sample = match memchr::memrchr2(b'\n', b'\r', body) {
            Some(last) if !complete => &body[..=last],
            _ => body,
        };
        let delimiter = cx
            .config
            .for_file(name)
            .and_then(|m| m.delimiter)
            .and_then(|c| u8::try_from(c).ok())
            .or(separator)
            .or_else(|| sniff::sniff_delimiter(sample))
            .unwrap_or(b',');

        let mut reader = RecordReader::new(delimiter);
        if let Some(offset) = self.first_replaced {
            reader.watch(offset);
        }
        reader.skip(&window[..body_start]);
        let mut file = FileReader::new(name, self.file_idx, delimiter, self.encoding, cx.config);
        let estimate = RowEstimate {
            window,
            complete,
            // The whole text is as much longer than the window as the file is than the bytes
            // the window was decoded from.
            text_len: self.body_size.and_then(|size| {
                let encoded = decode::encoded_len(window, self.encoding) as u64;
                (encoded > 0).then(|| size.saturating_mul(window.len() as u64) / encoded)
            }),
        };
        let records = &mut self.records;
        reader.feed(body, &mut |record, line, end| {
            *records += 1;
            file.record(record, line, end, cx, Some(&estimate))
        });
        self.stage = TextStage::Records(Box::new(Reading { reader, file }));
    }

    /// The text has ended: reads the last record and settles the file. Returns its summary,
    /// its preview and the number of records parsed.
    fn end(mut self, replaced: u64, cx: &mut ReadContext<'_>) -> (FileSummary, FilePreview, u64) {
        let no_preview = empty_preview(&self.name);
        if let TextStage::Window(window) = &mut self.stage {
            let window = std::mem::take(window);
            self.open(&window, true, cx);
        }
        match self.stage {
            TextStage::Window(_) => (
                unreadable(&self.name, None, Some(self.encoding)),
                no_preview,
                self.records,
            ),
            TextStage::Binary(summary) => (summary, no_preview, self.records),
            TextStage::Records(reading) => {
                let Reading {
                    mut reader,
                    mut file,
                } = *reading;
                let records = &mut self.records;
                reader.finish(&mut |record, line, end| {
                    *records += 1;
                    file.record(record, line, end, cx, None)
                });
                let (summary, preview) = file.finish(cx);
                if let (true, Some(line)) = (summary.readable, reader.watched_line()) {
                    let message = if self.encoding_chosen {
                        format!(
                            "The mapping says this file is UTF-8, but {replaced} place(s) from this line on are not valid UTF-8; they were replaced with \u{FFFD}. It is probably Windows-1252 (Excel's plain \"CSV\"): set encoding = \"windows1252\" in the mapping, or save it as \"CSV UTF-8\" and load it again."
                        )
                    } else {
                        format!(
                            "The file starts as UTF-8, but {replaced} place(s) from this line on are not valid UTF-8; they were replaced with \u{FFFD}. It is probably Windows-1252 (Excel's plain \"CSV\"): save it as \"CSV UTF-8\" and load it again."
                        )
                    };
                    cx.issues.push(
                        Issue::new(
                            IssueSeverity::Warning,
                            IssueCode::InvalidUtf8,
                            &self.name,
                            message,
                        )
                        .at_line(line),
                    );
                }
                (summary, preview, self.records)
            }
        }
    }
}
