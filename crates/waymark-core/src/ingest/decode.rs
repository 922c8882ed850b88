//! Turning a file's bytes into UTF-8 text, as they arrive: byte-order marks, UTF-16, and
//! Excel's Windows-1252 "CSV" export.
//!
//! The encoding is decided once per file from its opening bytes ([`detect_encoding`]), or
//! chosen in the file's mapping ([`chosen_encoding`]); a [`TextDecoder`] then converts the
//! rest piece by piece. Valid UTF-8 is passed on as it is,
//! never copied, so the common case costs no memory. Other encodings are decoded with
//! `encoding_rs` through a small fixed buffer.

use encoding_rs::{CoderResult, Decoder, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::{Deserialize, Serialize};

/// The opening bytes on which file-wide decisions are taken: the encoding of a file without a
/// byte-order mark, and (on the decoded text) the binary check, the `sep=` line and the
/// delimiter. A smaller file is decided on all of its bytes.
pub const WINDOW: usize = 64 * 1024;

/// Decoded text handed on per call when the file is not UTF-8.
const DECODE_BUFFER: usize = 16 * 1024;

/// A file's text encoding. In JSON and TOML (reports and mappings) the names are `utf8`,
/// `utf8-bom`, `utf16le`, `utf16be` and `windows1252`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16le,
    Utf16be,
    /// Excel's plain "CSV" on Windows: detected when the opening bytes are not valid UTF-8.
    Windows1252,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16le => "UTF-16LE",
            TextEncoding::Utf16be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decides a file's encoding from its first bytes and returns it with the length of the
/// byte-order mark to skip.
///
/// `opening` is the file's first [`WINDOW`] bytes, or all of it when `complete`. A byte-order
/// mark decides; otherwise the bytes are UTF-8 when they are valid UTF-8 (a sequence cut off
/// at the end of an incomplete window is not held against them) and Windows-1252 when they
/// are not. Every byte sequence is valid Windows-1252, so this never fails; the caller
/// reports the guess.
pub fn detect_encoding(opening: &[u8], complete: bool) -> (TextEncoding, usize) {
    if opening.starts_with(b"\xEF\xBB\xBF") {
        return (TextEncoding::Utf8Bom, 3);
    }
    if opening.starts_with(b"\xFF\xFE") {
        return (TextEncoding::Utf16le, 2);
    }
    if opening.starts_with(b"\xFE\xFF") {
        return (TextEncoding::Utf16be, 2);
    }
    match std::str::from_utf8(opening) {
        Ok(_) => (TextEncoding::Utf8, 0),
        Err(err) if err.error_len().is_none() && !complete => (TextEncoding::Utf8, 0),
        Err(_) => (TextEncoding::Windows1252, 0),
    }
}

/// The encoding the mapping chose for a file, in place of [`detect_encoding`], with the length
/// of the byte-order mark to skip.
///
/// The user's choice wins over whatever the bytes suggest; only a byte-order mark belonging to
/// the chosen encoding is stripped. UTF-8 with and without a BOM are one choice: either reads
/// the file as UTF-8, stripping a UTF-8 BOM when there is one, and the result says which the
/// file was (as detection would), so a mapping copied from a summary reads the file the same
/// way. Any other mark is read as text in the chosen encoding (a UTF-8 BOM read as
/// Windows-1252 becomes "ï»¿" at the start of the first header).
pub fn chosen_encoding(chosen: TextEncoding, opening: &[u8]) -> (TextEncoding, usize) {
    match chosen {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            if opening.starts_with(b"\xEF\xBB\xBF") {
                (TextEncoding::Utf8Bom, 3)
            } else {
                (TextEncoding::Utf8, 0)
            }
        }
        TextEncoding::Utf16le if opening.starts_with(b"\xFF\xFE") => (chosen, 2),
        TextEncoding::Utf16be if opening.starts_with(b"\xFE\xFF") => (chosen, 2),
        TextEncoding::Utf16le | TextEncoding::Utf16be | TextEncoding::Windows1252 => (chosen, 0),
    }
}

/// True when the text looks like a binary file rather than CSV: more than one NUL byte in a
/// hundred of its opening 4 KiB (a spreadsheet, a PDF or undetected UTF-16 has them
/// throughout). A stray NUL in one cell is that row's problem, not the file's (its row is
/// rejected when read).
pub fn looks_binary(text: &[u8]) -> bool {
    let opening = &text[..text.len().min(4096)];
    let nuls = opening.iter().filter(|b| **b == 0).count();
    nuls > 0 && nuls * 100 > opening.len()
}

/// How many bytes of the file were decoded into `text`, counting its characters: one byte per
/// character in Windows-1252, two per UTF-16 code unit. Used to estimate the size of the
/// whole text from the file size.
pub fn encoded_len(text: &[u8], encoding: TextEncoding) -> usize {
    // Characters start at every byte that is not a UTF-8 continuation byte.
    let chars = || text.iter().filter(|b| (**b & 0xC0) != 0x80);
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => text.len(),
        TextEncoding::Windows1252 => chars().count(),
        // Characters beyond the Basic Multilingual Plane take two code units.
        TextEncoding::Utf16le | TextEncoding::Utf16be => {
            2 * chars()
                .map(|b| if *b >= 0xF0 { 2 } else { 1 })
                .sum::<usize>()
        }
    }
}

/// What a decoder hands on: UTF-8 text, or notice that invalid bytes were replaced by U+FFFD
/// (whose UTF-8 bytes the receiver inserts itself).
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a [u8]),
    Replaced,
}

/// Decodes one file's bytes (after its byte-order mark) as they arrive.
///
/// The result is the same however the bytes are split: a character cut between two pieces is
/// completed with the next one, and every invalid sequence becomes one U+FFFD, as
/// `String::from_utf8_lossy` and the WHATWG decoders do for the whole file at once.
pub struct TextDecoder {
    inner: Inner,
    replaced: u64,
}

enum Inner {
    Utf8 {
        /// The start of a character cut off at the end of the last piece.
        carry: [u8; 4],
        carry_len: usize,
    },
    Other {
        decoder: Decoder,
        out: Vec<u8>,
        finished: bool,
    },
}

impl TextDecoder {
    pub fn new(encoding: TextEncoding) -> Self {
        let other = |encoding: &'static encoding_rs::Encoding| Inner::Other {
            decoder: encoding.new_decoder_without_bom_handling(),
            out: vec![0; DECODE_BUFFER],
            finished: false,
        };
        let inner = match encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => Inner::Utf8 {
                carry: [0; 4],
                carry_len: 0,
            },
            TextEncoding::Utf16le => other(UTF_16LE),
            TextEncoding::Utf16be => other(UTF_16BE),
            TextEncoding::Windows1252 => other(WINDOWS_1252),
        };
        TextDecoder { inner, replaced: 0 }
    }

    /// Invalid UTF-8 sequences replaced so far (UTF-8 input only).
    pub fn replaced(&self) -> u64 {
        self.replaced
    }

    /// Decodes the next piece of the file, handing the text on to `sink` in order.
    pub fn decode(&mut self, input: &[u8], sink: &mut impl FnMut(Piece<'_>)) {
        match &mut self.inner {
            Inner::Utf8 { carry, carry_len } => {
                decode_utf8(carry, carry_len, input, &mut self.replaced, sink);
            }
            Inner::Other {
                decoder,
                out,
                finished,
            } => {
                if !*finished {
                    decode_other(decoder, out, input, false, sink);
                }
            }
        }
    }

    /// Ends the file: an incomplete character at the end becomes U+FFFD.
    pub fn finish(&mut self, sink: &mut impl FnMut(Piece<'_>)) {
        match &mut self.inner {
            Inner::Utf8 { carry_len, .. } => {
                if *carry_len > 0 {
                    *carry_len = 0;
                    self.replaced += 1;
                    sink(Piece::Replaced);
                }
            }
            Inner::Other {
                decoder,
                out,
                finished,
            } => {
                if !*finished {
                    *finished = true;
                    decode_other(decoder, out, &[], true, sink);
                }
            }
        }
    }
}

fn decode_utf8(
    carry: &mut [u8; 4],
    carry_len: &mut usize,
    mut input: &[u8],
    replaced: &mut u64,
    sink: &mut impl FnMut(Piece<'_>),
) {
    if *carry_len > 0 {
        // Finish the character cut off last time. Four bytes are always enough to tell
        // whether it completes, and the carry is a valid start of one, so the outcome
        // concerns its first character.
        let held = *carry_len;
        let mut joined = [0u8; 4];
        joined[..held].copy_from_slice(&carry[..held]);
        let added = input.len().min(4 - held);
        joined[held..held + added].copy_from_slice(&input[..added]);
        let joined = &joined[..held + added];
        match std::str::from_utf8(joined) {
            Ok(_) => {
                sink(Piece::Text(joined));
                input = &input[added..];
            }
            Err(err) if err.valid_up_to() > 0 => {
                let valid = err.valid_up_to();
                sink(Piece::Text(&joined[..valid]));
                input = &input[valid.saturating_sub(held).min(input.len())..];
            }
            Err(err) => match err.error_len() {
                Some(invalid) => {
                    *replaced += 1;
                    sink(Piece::Replaced);
                    input = &input[invalid.saturating_sub(held).min(input.len())..];
                }
                None => {
                    // Still incomplete: the input was shorter than the character.
                    carry[..joined.len()].copy_from_slice(joined);
                    *carry_len = joined.len();
                    return;
                }
            },
        }
        *carry_len = 0;
    }
    loop {
        match std::str::from_utf8(input) {
            Ok(_) => {
                if !input.is_empty() {
                    sink(Piece::Text(input));
                }
                return;
            }
            Err(err) => {
                let (valid, rest) = input.split_at(err.valid_up_to());
                if !valid.is_empty() {
                    sink(Piece::Text(valid));
                }
                match err.error_len() {
                    Some(invalid) => {
                        *replaced += 1;
                        sink(Piece::Replaced);
                        input = &rest[invalid.min(rest.len())..];
                    }
                    None => {
                        // At most three bytes: the start of a character cut off here.
                        let held = rest.len().min(4);
                        carry[..held].copy_from_slice(&rest[..held]);
                        *carry_len = held;
                        return;
                    }
                }
            }
        }
    }
}

fn decode_other(
    decoder: &mut Decoder,
    out: &mut [u8],
    mut input: &[u8],
    last: bool,
    sink: &mut impl FnMut(Piece<'_>),
) {
    loop {
        let (result, read, written, _) = decoder.decode_to_utf8(input, out, last);
        if written > 0 {
            sink(Piece::Text(&out[..written]));
        }
        input = &input[read..];
        match result {
            CoderResult::InputEmpty => return,
            CoderResult::OutputFull => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

    /// Decodes a whole file (BOM detection included) fed in the given pieces.
    fn decode(pieces: &[&[u8]]) -> (Vec<u8>, TextEncoding, u64) {
        let all: Vec<u8> = pieces.concat();
        let opening = &all[..all.len().min(WINDOW)];
        let (encoding, bom) = detect_encoding(opening, all.len() <= WINDOW);
        let mut decoder = TextDecoder::new(encoding);
        let mut text = Vec::new();
        let mut sink = |piece: Piece<'_>| match piece {
            Piece::Text(bytes) => text.extend_from_slice(bytes),
            Piece::Replaced => text.extend_from_slice(REPLACEMENT),
        };
        let mut skip = bom;
        for piece in pieces {
            let cut = skip.min(piece.len());
            skip -= cut;
            decoder.decode(&piece[cut..], &mut sink);
        }
        decoder.finish(&mut sink);
        (text, encoding, decoder.replaced())
    }

    /// Whole, split at every position and byte by byte: always the same answer.
    fn check(bytes: &[u8], expected: &str, encoding: TextEncoding) {
        let whole = decode(&[bytes]);
        assert_eq!(
            (String::from_utf8_lossy(&whole.0).as_ref(), whole.1),
            (expected, encoding)
        );
        for split in 0..=bytes.len() {
            let (a, b) = bytes.split_at(split);
            assert_eq!(decode(&[a, b]), whole, "split at {split}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode(&singles), whole, "byte by byte");
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let bom: [u8; 2] = if little_endian {
            [0xFF, 0xFE]
        } else {
            [0xFE, 0xFF]
        };
        bom.into_iter()
            .chain(text.encode_utf16().flat_map(|unit| {
                if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                }
            }))
            .collect()
    }

    #[test]
    fn plain_utf8_is_passed_on_as_it_is() {
        check(
            "id,name\n1,Zoë 😀\n".as_bytes(),
            "id,name\n1,Zoë 😀\n",
            TextEncoding::Utf8,
        );
        let mut decoder = TextDecoder::new(TextEncoding::Utf8);
        let input = "a,é\n".as_bytes();
        decoder.decode(input, &mut |piece| {
            assert_eq!(piece, Piece::Text(input), "borrowed, not copied")
        });
    }

    #[test]
    fn a_bom_is_stripped_even_when_split_across_pieces() {
        check(b"\xEF\xBB\xBFid\n1\n", "id\n1\n", TextEncoding::Utf8Bom);
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Zoë £5" in Windows-1252: ë = 0xEB, £ = 0xA3.
        check(b"Zo\xEB \xA35", "Zoë £5", TextEncoding::Windows1252);
    }

    #[test]
    fn utf16_both_byte_orders_with_boundaries_inside_code_units() {
        // é is one code unit; 😀 a surrogate pair, so splits fall inside units and pairs.
        check(&utf16("a,é😀\n", true), "a,é😀\n", TextEncoding::Utf16le);
        check(&utf16("a,é😀\n", false), "a,é😀\n", TextEncoding::Utf16be);
        // An odd trailing byte is replaced, as when decoding the whole file.
        let mut odd = utf16("ab", true);
        odd.push(0x41);
        check(&odd, "ab\u{FFFD}", TextEncoding::Utf16le);
    }

    #[test]
    fn invalid_utf8_after_the_window_is_replaced_like_from_utf8_lossy() {
        let mut bytes = vec![b'a'; WINDOW + 10];
        bytes.extend_from_slice(b"Zo\xEB \xE2\x82 \xF0\x9F\x98 end \xE2");
        let (text, encoding, replaced) = decode(&[&bytes]);
        assert_eq!(encoding, TextEncoding::Utf8);
        assert_eq!(text, String::from_utf8_lossy(&bytes).as_bytes());
        assert_eq!(replaced, 4);
        for size in [1, 2, 3, 5, 4096] {
            let pieces: Vec<&[u8]> = bytes.chunks(size).collect();
            assert_eq!(
                decode(&pieces),
                (text.clone(), encoding, replaced),
                "pieces of {size}"
            );
        }
    }

    #[test]
    fn the_encoding_is_decided_on_the_opening_window() {
        assert_eq!(detect_encoding(b"ab\xC3", false), (TextEncoding::Utf8, 0));
        assert_eq!(
            detect_encoding(b"ab\xC3", true),
            (TextEncoding::Windows1252, 0)
        );
        assert_eq!(
            detect_encoding(b"ab\xC3x", false),
            (TextEncoding::Windows1252, 0)
        );
    }

    #[test]
    fn a_chosen_encoding_strips_only_its_own_byte_order_mark() {
        use TextEncoding::*;
        let utf8_bom = b"\xEF\xBB\xBFid";
        assert_eq!(chosen_encoding(Utf8, utf8_bom), (Utf8Bom, 3));
        assert_eq!(chosen_encoding(Utf8Bom, b"id"), (Utf8, 0));
        assert_eq!(chosen_encoding(Windows1252, utf8_bom), (Windows1252, 0));
        assert_eq!(chosen_encoding(Utf16le, b"\xFF\xFEi\0"), (Utf16le, 2));
        assert_eq!(chosen_encoding(Utf16be, b"\xFF\xFEi\0"), (Utf16be, 0));
        assert_eq!(chosen_encoding(Utf16be, b"\xFE\xFF\0i"), (Utf16be, 2));
        assert_eq!(chosen_encoding(Utf8, b"\xFF\xFEi\0"), (Utf8, 0));
    }

    #[test]
    fn encoded_lengths_count_characters() {
        assert_eq!(encoded_len("aé😀".as_bytes(), TextEncoding::Utf8), 7);
        assert_eq!(encoded_len("aé".as_bytes(), TextEncoding::Windows1252), 2);
        assert_eq!(encoded_len("aé😀".as_bytes(), TextEncoding::Utf16le), 8);
    }
}
