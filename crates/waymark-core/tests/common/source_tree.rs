//! Walking the repository's source folders, for the tests that read the code as text
//! (architecture.rs, code_size.rs).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// Folders that hold no sources of ours: dependencies, build outputs, fixtures.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "artifacts",
    "target",
    "fixtures",
    ".tools",
];

/// Every file under `dir` (skipping [`SKIPPED_DIRS`]) that `keep` accepts, appended to `out`.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                files_under(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}
