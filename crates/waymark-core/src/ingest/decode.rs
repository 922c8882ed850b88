//! Turning a file's bytes into UTF-8 text: byte-order marks, UTF-16, and Excel's
//! Windows-1252 "CSV" export.
//!
//! Valid UTF-8 is borrowed, never copied, so the common case costs no memory. Other encodings
//! are decoded once with `encoding_rs`.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16le,
    Utf16be,
    /// Chosen because the bytes are not valid UTF-8: Excel's plain "CSV" on Windows.
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

/// Decodes `bytes` to UTF-8, honouring a byte-order mark when present and otherwise treating
/// anything that is not valid UTF-8 as Windows-1252 (every byte sequence is valid there, so
/// this never fails; the caller reports the guess).
pub fn decode(bytes: &[u8]) -> (Cow<'_, [u8]>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(_) => (Cow::Borrowed(rest), TextEncoding::Utf8Bom),
            // A BOM followed by invalid bytes: replace them visibly rather than fail.
            Err(_) => (
                Cow::Owned(String::from_utf8_lossy(rest).into_owned().into_bytes()),
                TextEncoding::Utf8Bom,
            ),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (text, _) = UTF_16LE.decode_with_bom_removal(bytes);
        return (
            Cow::Owned(text.into_owned().into_bytes()),
            TextEncoding::Utf16le,
        );
    }
    if bytes.starts_with(b"\xFE\xFF") {
        let (text, _) = UTF_16BE.decode_with_bom_removal(bytes);
        return (
            Cow::Owned(text.into_owned().into_bytes()),
            TextEncoding::Utf16be,
        );
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (Cow::Borrowed(bytes), TextEncoding::Utf8);
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    (
        Cow::Owned(text.into_owned().into_bytes()),
        TextEncoding::Windows1252,
    )
}

/// True when the text looks like a binary file rather than CSV (NUL bytes in its opening).
pub fn looks_binary(text: &[u8]) -> bool {
    text.iter().take(4096).any(|b| *b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_borrowed() {
        let (text, enc) = decode("id,name\n1,Zoë\n".as_bytes());
        assert!(matches!(text, Cow::Borrowed(_)));
        assert_eq!(enc, TextEncoding::Utf8);
    }

    #[test]
    fn bom_is_stripped() {
        let (text, enc) = decode(b"\xEF\xBB\xBFid\n1\n");
        assert_eq!(&*text, b"id\n1\n");
        assert_eq!(enc, TextEncoding::Utf8Bom);
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Zoë £5" in Windows-1252: ë = 0xEB, £ = 0xA3.
        let (text, enc) = decode(b"Zo\xEB \xA35");
        assert_eq!(std::str::from_utf8(&text), Ok("Zoë £5"));
        assert_eq!(enc, TextEncoding::Windows1252);
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a,é\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            decode(&le),
            (Cow::Owned(b"a,\xC3\xA9\n".to_vec()), TextEncoding::Utf16le)
        );
        assert_eq!(
            decode(&be),
            (Cow::Owned(b"a,\xC3\xA9\n".to_vec()), TextEncoding::Utf16be)
        );
    }
}
