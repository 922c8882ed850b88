//! Statistical disclosure control for anything aggregated for export.
//!
//! # Rule
//! Counts of 1 to 7 are shown as `*`; every other count is rounded to the nearest 5 (0 stays
//! 0). A percentage whose numerator or denominator is suppressed is suppressed too.
//! Statistics are always computed on the unrounded counts; only what is shown is changed.
//!
//! # References
//! NHS England / NHS Digital statistical disclosure control guidance for published
//! statistics ("suppress 1-7, round to 5"); the same rule is applied by OpenSAFELY's output
//! checking. Person-level detail is never part of an aggregate export.

use serde::{Serialize, Serializer};

/// A count as it may be shown outside the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownCount {
    Suppressed,
    Rounded(u64),
}

impl ShownCount {
    pub fn from_count(count: u64) -> ShownCount {
        match count {
            0 => ShownCount::Rounded(0),
            1..=7 => ShownCount::Suppressed,
            // Round half up to the nearest 5 (e.g. 12 -> 10, 13 -> 15).
            n => ShownCount::Rounded((n + 2) / 5 * 5),
        }
    }
}

impl std::fmt::Display for ShownCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShownCount::Suppressed => write!(f, "*"),
            ShownCount::Rounded(n) => write!(f, "{n}"),
        }
    }
}

/// Serialised as a number, or as the string `"*"` when suppressed.
impl Serialize for ShownCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ShownCount::Suppressed => serializer.serialize_str("*"),
            ShownCount::Rounded(n) => serializer.serialize_u64(*n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values worked by hand from the rule above.
    #[test]
    fn suppresses_small_counts_and_rounds_the_rest() {
        let cases = [
            (0, "0"),
            (1, "*"),
            (7, "*"),
            (8, "10"),
            (12, "10"),
            (13, "15"),
            (15, "15"),
            (17, "15"),
            (18, "20"),
            (1002, "1000"),
        ];
        for (count, shown) in cases {
            assert_eq!(
                ShownCount::from_count(count).to_string(),
                shown,
                "count {count}"
            );
        }
    }

    #[test]
    fn serialises_suppressed_as_star() {
        assert_eq!(
            serde_json::to_string(&ShownCount::from_count(3))
                .ok()
                .as_deref(),
            Some("\"*\"")
        );
        assert_eq!(
            serde_json::to_string(&ShownCount::from_count(42))
                .ok()
                .as_deref(),
            Some("40")
        );
    }
}
