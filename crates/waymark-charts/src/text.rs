//! Text that goes into SVG: XML escaping, safe element ids, and width estimates for layout.

/// Escapes text for XML element content and attribute values.
///
/// The five predefined entities are escaped, and characters that XML 1.0 forbids (most C0
/// control characters and U+FFFE/U+FFFF) are replaced with U+FFFD, so hostile labels can
/// never break the document. Tabs and newlines become spaces: labels are single lines.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(ch),
        }
    }
    out
}

/// Turns a caller's id prefix into a valid, unambiguous XML id prefix.
///
/// Keeps ASCII letters, digits, `-` and `_`; anything else becomes `-`. An empty prefix or
/// one that does not start with a letter gets `chart-` in front, because ids must start
/// with a letter to be safe in both HTML and SVG and as CSS selectors.
pub fn sanitize_id(prefix: &str) -> String {
    let cleaned: String = prefix
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => cleaned,
        _ => format!("chart-{cleaned}"),
    }
}

/// Rough rendered width of `text` in pixels at `font_size`, for layout only.
///
/// Uses an average advance of 0.56 em (Arial/Frutiger-like sans-serif, mixed case), a
/// little generous so that estimates err towards more room.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.56
}

/// Shortens `text` with an ellipsis so that it fits in `max_width` pixels.
/// The full text is always available elsewhere (a tooltip, the table, the description).
pub(crate) fn truncate_to_width(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_string();
    }
    let per_char = font_size * 0.56;
    let keep = if per_char > 0.0 && max_width.is_finite() && max_width > per_char {
        ((max_width / per_char) as usize).saturating_sub(1)
    } else {
        0
    };
    let mut out: String = text.chars().take(keep).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_strips_forbidden_characters() {
        assert_eq!(
            escape_xml("<b a=\"1\">Tom & 'Jerry'</b>\u{0}\u{7}\n"),
            "&lt;b a=&quot;1&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/b&gt;\u{fffd}\u{fffd} "
        );
    }

    #[test]
    fn ids_are_made_safe() {
        assert_eq!(sanitize_id("xmr-1"), "xmr-1");
        assert_eq!(sanitize_id(""), "chart-");
        assert_eq!(sanitize_id("1 a\"b"), "chart-1-a-b");
    }

    #[test]
    fn truncation_adds_an_ellipsis_only_when_needed() {
        assert_eq!(truncate_to_width("short", 12.0, 200.0), "short");
        let cut = truncate_to_width("a very long label indeed", 12.0, 60.0);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() < 12);
    }
}
