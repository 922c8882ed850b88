//! ARCHITECTURE.md stays true to the code: every file path and every identifier its code map
//! names in backticks must exist. A path is looked up from the repository root, from the
//! section's folder (`### crates/waymark-core` and so on) and from that folder's `src/`; a bare
//! file name listed under a module (`session.rs` under `ingest/`) anywhere in the section; an
//! identifier (`IngestSession`, `analysis::analyse`, `read_all`) must appear as a word in the
//! sources (Rust, JavaScript, Python, shell, HTML, CSS, TOML). Commands, values and patterns
//! (anything with a space, a quote, `*`, `…` or a leading `-`) are not checked, nor are the
//! build's outputs (`web/dist`, `target`, `.tools`), which a clean checkout does not have.

#[path = "common/source_tree.rs"]
mod source_tree;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Folders whose files are sources (folders inside them that are not: `source_tree`).
const SOURCE_DIRS: &[&str] = &["crates", "web", "tests", "scripts", ".ci"];
/// Folders the build writes: named in the code map, absent from a clean checkout.
const BUILD_OUTPUTS: &[&str] = &[
    "dist",
    "web/dist",
    "target",
    ".tools",
    "tests/e2e/artifacts",
];
const SOURCE_EXTENSIONS: &[&str] = &["rs", "js", "mjs", "py", "sh", "html", "css", "toml", "json"];

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    // Scripts without an extension (scripts/setup, .ci/run) are shell.
    let is_source = |path: &Path| {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        SOURCE_EXTENSIONS.contains(&extension) || extension.is_empty()
    };
    source_tree::files_under(dir, &is_source, out);
}

/// Every word (letters, digits, underscores) in the sources.
fn source_words(root: &Path) -> HashSet<String> {
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        collect_sources(&root.join(dir), &mut files);
    }
    let mut words = HashSet::new();
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !word.is_empty() {
                words.insert(word.to_string());
            }
        }
    }
    words
}

fn is_identifier(token: &str) -> bool {
    token.split("::").all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether a file called `name` is anywhere under `dir` (outside skipped folders).
fn file_named_under(dir: &Path, name: &str) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            !source_tree::SKIPPED_DIRS.contains(&file_name.as_str())
                && file_named_under(&path, name)
        } else {
            file_name == name
        }
    })
}

fn looks_like_path(token: &str) -> bool {
    let extension = token.rsplit_once('.').map(|(_, e)| e);
    token.contains('/')
        || extension.is_some_and(|e| {
            [
                "rs", "md", "js", "mjs", "py", "toml", "html", "css", "json", "sh",
            ]
            .contains(&e)
        })
}

#[test]
fn every_path_and_identifier_in_the_code_map_exists() {
    let root = repo_root();
    let text = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = text.find("## Code map").expect("a code map");
    let end = text[start..]
        .find("\n## ")
        .map_or(text.len(), |at| start + at);
    let words = source_words(&root);
    let mut section = PathBuf::new();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (offset, line) in text[start..end].lines().enumerate() {
        let line_no = text[..start].lines().count() + offset + 1;
        if let Some(heading) = line.strip_prefix("### ") {
            section = PathBuf::from(heading.trim().trim_matches('`'));
            continue;
        }
        for (n, token) in line.split('`').enumerate() {
            if n % 2 == 0 || token.is_empty() {
                continue;
            }
            let token = token.trim_end_matches("()");
            if token.contains([' ', '"', '\'', '*', '…', '<', '{', '=', ','])
                || token.starts_with('-')
                || token.starts_with("//")
            {
                continue;
            }
            if looks_like_path(token) {
                let relative = token.trim_start_matches("./").trim_end_matches('/');
                let generated = BUILD_OUTPUTS
                    .iter()
                    .any(|out| relative == *out || relative.starts_with(&format!("{out}/")));
                if generated {
                    continue;
                }
                let found = [
                    root.join(relative),
                    root.join(&section).join(relative),
                    root.join(&section).join("src").join(relative),
                ]
                .iter()
                .any(|p| p.exists())
                    || (!relative.contains('/')
                        && file_named_under(&root.join(&section), relative));
                checked += 1;
                if !found {
                    missing.push(format!("line {line_no}: path `{token}`"));
                }
            } else if is_identifier(token) {
                let last = token.rsplit("::").next().unwrap_or(token);
                checked += 1;
                if !words.contains(last) {
                    missing.push(format!("line {line_no}: identifier `{token}`"));
                }
            }
        }
    }
    assert!(
        checked > 200,
        "the code map names only {checked} things: was it parsed?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what the code does not have:\n{}",
        missing.join("\n")
    );
}
