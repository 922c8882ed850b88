//! Finding the delimiter of a CSV file from its opening lines.

/// Delimiters Waymark accepts, in order of preference when the evidence ties.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

const SAMPLE_LINES: usize = 50;

/// Picks the delimiter that splits the most sampled lines into the same number of fields.
///
/// Counts each candidate outside double quotes on each of the first lines; the winner is the
/// candidate whose most common non-zero count occurs on the most lines (title rows above the
/// header simply fail to match). Returns `None` when no candidate appears at all, which is a
/// one-column file.
pub fn sniff_delimiter(text: &[u8]) -> Option<u8> {
    let lines = sample_lines(text);
    let mut best: Option<(usize, u8)> = None;
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| count_outside_quotes(line, delimiter))
            .collect();
        let support = modal_nonzero_support(&counts);
        if support > 0 && best.is_none_or(|(best_support, _)| support > best_support) {
            best = Some((support, delimiter));
        }
    }
    best.map(|(_, delimiter)| delimiter)
}

fn sample_lines(text: &[u8]) -> Vec<&[u8]> {
    // A quoted field can span lines; for counting purposes splitting on line breaks is
    // enough, because quotes are tracked within each line and a stray line only lowers its
    // support. LF, CRLF and a bare CR all end a line (CRLF leaves an empty piece between).
    text.split(|b| matches!(b, b'\n' | b'\r'))
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .take(SAMPLE_LINES)
        .collect()
}

fn count_outside_quotes(line: &[u8], delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for &byte in line {
        if byte == b'"' {
            in_quotes = !in_quotes;
        } else if byte == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

/// How many lines share the most common non-zero count.
fn modal_nonzero_support(counts: &[usize]) -> usize {
    let mut sorted: Vec<usize> = counts.iter().copied().filter(|c| *c > 0).collect();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .map(<[usize]>::len)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_delimiter() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), Some(b','));
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2,5;3\n"), Some(b';'));
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(sniff_delimiter(b"a|b\n1|2\n"), Some(b'|'));
    }

    #[test]
    fn ignores_delimiters_inside_quotes_and_title_rows() {
        let text = b"Crisis export, run 3 May\nid;note;date\n1;\"a, b, c, d\";2024-01-01\n2;x;2024-01-02\n";
        assert_eq!(sniff_delimiter(text), Some(b';'));
    }

    #[test]
    fn lines_may_end_with_a_bare_carriage_return() {
        // Read as one line, the title's comma would tie with the semicolons and win.
        let text = b"Export, May\rid;note;date\r1;x;2024-01-01\r2;y;2024-01-02\r";
        assert_eq!(sniff_delimiter(text), Some(b';'));
    }

    #[test]
    fn single_column_has_no_delimiter() {
        assert_eq!(sniff_delimiter(b"id\n1\n2\n"), None);
    }
}
