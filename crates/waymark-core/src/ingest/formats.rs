//! Format profiles: what it takes to read a known export format, bundled and offered when its
//! files are recognised.
//!
//! A profile is named in the mapping (`format = "mhsds_v6"`). Two ship with Waymark:
//!
//! - **MHSDS v6** ([`super::mhsds`]): Mental Health Services Data Set tables exported from the
//!   Intermediate Database. Its tables are joined in the core (a contact's person and team type
//!   come from its referral) and its codes are given meaning by the profile's value mapping.
//! - **Outcomes Star** ([`super::wide`]): one row per Mental Health Recovery Star reading, one
//!   column per area. Five or more area columns are recognised without the profile; with it,
//!   any area column is read.
//!
//! Without a profile, each file that looks like one of these formats is listed in the
//! validation report ([`FormatMatch`]) with a note, so the app can offer the profile.

use super::mhsds::MhsdsTable;
use serde::{Deserialize, Serialize};

pub use super::mapping::ExportFormat;

/// Files that look like a known format, and what each of them is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormatMatch {
    pub format: ExportFormat,
    /// Whether the profile was in force for this reading.
    pub in_force: bool,
    /// Each file with what it is ("MHS201 Care Contact").
    pub files: Vec<(String, String)>,
}

/// The formats the files look like: MHSDS tables by their header, a Recovery Star export by
/// its area columns.
/// `read_as_mhsds` lists the files the MHSDS profile read (their previews show the rows it
/// derived, no longer the tables' own headers), with what each was.
pub fn recognise(
    previews: &[super::FilePreview],
    files: &[super::FileSummary],
    in_force: Option<ExportFormat>,
    read_as_mhsds: &[(String, String)],
) -> Vec<FormatMatch> {
    let mut matches: Vec<FormatMatch> = Vec::new();
    let mut add = |format: ExportFormat, file: &str, what: String| {
        let at = match matches.iter().position(|m| m.format == format) {
            Some(at) => at,
            None => {
                matches.push(FormatMatch {
                    format,
                    in_force: in_force == Some(format),
                    files: Vec::new(),
                });
                matches.len() - 1
            }
        };
        matches[at].files.push((file.to_string(), what));
    };
    for (file, what) in read_as_mhsds {
        add(ExportFormat::MhsdsV6, file, what.clone());
    }
    for (preview, file) in previews.iter().zip(files) {
        let read = read_as_mhsds.iter().any(|(name, _)| *name == file.name);
        if let (false, Some(table)) = (read, MhsdsTable::recognise(&preview.header)) {
            add(ExportFormat::MhsdsV6, &file.name, table.title().to_string());
        }
        let areas = file
            .wide
            .iter()
            .flat_map(|w| &w.scores)
            .filter(|s| s.starts_with("Recovery Star: "))
            .count();
        if areas > 0 {
            add(
                ExportFormat::OutcomesStar,
                &file.name,
                format!("{areas} Recovery Star area columns"),
            );
        }
    }
    matches
}
