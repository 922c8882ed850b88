//! Rooms a maintainer can read: no Rust source file in the workspace over 1,000 lines (data
//! tables aside, listed in `DATA_TABLES`), and no function in waymark-core over 150 lines.
//!
//! Functions are found by their `fn` line and measured to the brace that closes them; strings
//! and comments are blanked first so braces inside them do not count.

#[path = "common/source_tree.rs"]
mod source_tree;

use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 1_000;
const MAX_CORE_FUNCTION_LINES: usize = 150;

/// Files that are data in code (a catalogue, a list of cases), exempt from the file limit.
const DATA_TABLES: &[&str] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let is_rust = |path: &Path| path.extension().is_some_and(|e| e == "rs");
    source_tree::files_under(dir, &is_rust, out);
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A line with string and character literals and `//` comments blanked.
fn code_only(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '/' if chars.peek() == Some(&'/') => break,
            // A character literal such as '{' (not a lifetime: those have no closing quote
            // two characters on).
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                if let Some(escaped) = rest.strip_prefix('\\') {
                    if let Some(end) = escaped.find('\'') {
                        for _ in 0..end + 2 {
                            chars.next();
                        }
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Each function's name, first line (1-based) and length in lines.
fn functions(source: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let code = code_only(line);
        let words: Vec<&str> = code.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            continue;
        };
        // `fn` must open the item: only qualifiers may come before it.
        if !words[..at].iter().all(|w| {
            matches!(*w, "pub" | "const" | "unsafe" | "async" | "extern") || w.starts_with("pub(")
        }) {
            continue;
        }
        let name: String = words
            .get(at + 1)
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .unwrap_or_default();
        let mut depth = 0i64;
        let mut opened = false;
        for (offset, body_line) in lines[start..].iter().enumerate() {
            let code = code_only(body_line);
            for c in code.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if !opened && code.contains(';') {
                break; // a declaration without a body
            }
            if opened && depth <= 0 {
                found.push((name.clone(), start + 1, offset + 1));
                break;
            }
        }
    }
    found
}

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let root = workspace();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("web/src"), &mut files);
    assert!(files.len() > 50, "only {} files found", files.len());
    let mut long = Vec::new();
    for path in &files {
        let relative = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .to_string();
        if DATA_TABLES.contains(&relative.as_str()) {
            continue;
        }
        let lines = fs::read_to_string(path).expect("source").lines().count();
        if lines > MAX_FILE_LINES {
            long.push(format!("{relative}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn no_core_function_is_over_150_lines() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut long = Vec::new();
    let mut measured = 0;
    for path in &files {
        let source = fs::read_to_string(path).expect("source");
        for (name, line, length) in functions(&source) {
            measured += 1;
            if length > MAX_CORE_FUNCTION_LINES {
                long.push(format!("{}:{line} {name}: {length} lines", path.display()));
            }
        }
    }
    assert!(measured > 500, "only {measured} functions found");
    assert!(
        long.is_empty(),
        "functions over {MAX_CORE_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_measure_counts_a_function_to_its_closing_brace() {
    let source = "pub(crate) fn a(x: &str) -> usize {\n    let s = \"}}}\"; // }\n    let c = '{';\n    x.len()\n}\nfn b();\nfn c() {}\n";
    let found = functions(source);
    assert_eq!(
        found,
        vec![("a".to_string(), 1, 5), ("c".to_string(), 7, 1)]
    );
}
