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

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How the counts of a report are shown: the one switch between the user's own screen and
/// everything that leaves it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// Under the rule above: every export (CSV, SVG, PNG, the report, the JSON, widgets,
    /// the printed page) and the app's presentation mode.
    #[default]
    Controlled,
    /// Exact counts, for the user's own eyes on their own screen.
    Exact,
}

impl Disclosure {
    /// A count as this policy shows it.
    pub fn count(self, count: u64) -> ShownCount {
        match self {
            Disclosure::Controlled => ShownCount::from_count(count),
            Disclosure::Exact => ShownCount::Shown(count),
        }
    }

    /// A share as this policy shows it (see [`ShownShare`]).
    pub fn share(self, numerator: u64, denominator: u64) -> ShownShare {
        let (num, den) = (self.count(numerator), self.count(denominator));
        let shown = num != ShownCount::Suppressed && den != ShownCount::Suppressed;
        ShownShare {
            numerator: num,
            denominator: den,
            percent: (shown && denominator > 0)
                .then(|| 100.0 * numerator as f64 / denominator as f64),
        }
    }

    /// How this policy shows counts, in words for captions and notes.
    pub fn rule(self) -> &'static str {
        match self {
            Disclosure::Controlled => {
                "counts under disclosure control: 1-7 shown as *, others rounded to 5"
            }
            Disclosure::Exact => "exact counts, for your own screen only",
        }
    }

    /// Whether this policy withholds anything computed from a group of `count`.
    pub fn suppresses(self, count: u64) -> bool {
        self.count(count) == ShownCount::Suppressed
    }
}

/// A count as it is shown: withheld, or the number to print (rounded under
/// [`Disclosure::Controlled`], exact under [`Disclosure::Exact`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownCount {
    Suppressed,
    Shown(u64),
}

impl ShownCount {
    /// A count under the export rule ([`Disclosure::Controlled`]).
    pub fn from_count(count: u64) -> ShownCount {
        match count {
            0 => ShownCount::Shown(0),
            1..=7 => ShownCount::Suppressed,
            // Round half up to the nearest 5 (e.g. 12 -> 10, 13 -> 15).
            n => ShownCount::Shown((n + 2) / 5 * 5),
        }
    }
}

impl std::fmt::Display for ShownCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShownCount::Suppressed => write!(f, "*"),
            ShownCount::Shown(n) => write!(f, "{n}"),
        }
    }
}

/// Serialised as a number, or as the string `"*"` when suppressed.
impl Serialize for ShownCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ShownCount::Suppressed => serializer.serialize_str("*"),
            ShownCount::Shown(n) => serializer.serialize_u64(*n),
        }
    }
}

/// Read back from the number or `"*"` that [`Serialize`] writes (the app moves reports
/// between its worker and the page).
impl<'de> Deserialize<'de> for ShownCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Count(u64),
            Suppressed(String),
        }
        match Written::deserialize(deserializer)? {
            Written::Count(n) => Ok(ShownCount::Shown(n)),
            Written::Suppressed(s) if s == "*" => Ok(ShownCount::Suppressed),
            Written::Suppressed(other) => Err(serde::de::Error::custom(format!(
                "expected a count or \"*\", found {other:?}"
            ))),
        }
    }
}

/// A share of people (or events) as it may be shown outside the app: both counts under
/// [`ShownCount`], and the percentage (computed on the unrounded counts) withheld when either
/// count is suppressed or the denominator is zero.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownShare {
    pub numerator: ShownCount,
    pub denominator: ShownCount,
    pub percent: Option<f64>,
}

impl ShownShare {
    /// A share under the export rule ([`Disclosure::Controlled`]).
    pub fn new(numerator: u64, denominator: u64) -> ShownShare {
        Disclosure::Controlled.share(numerator, denominator)
    }
}

impl std::fmt::Display for ShownShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.percent {
            Some(p) => write!(f, "{p:.0}% ({} of {})", self.numerator, self.denominator),
            None => write!(f, "* ({} of {})", self.numerator, self.denominator),
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

    /// The screen policy shows every count as it is, and its shares are never withheld for
    /// size.
    #[test]
    fn exact_policy_shows_counts_as_they_are() {
        assert_eq!(Disclosure::Exact.count(3).to_string(), "3");
        assert_eq!(Disclosure::Exact.count(16).to_string(), "16");
        assert_eq!(Disclosure::Exact.share(3, 40).to_string(), "8% (3 of 40)");
        assert!(!Disclosure::Exact.suppresses(1));
        assert!(Disclosure::Controlled.suppresses(1));
        assert!(!Disclosure::Controlled.suppresses(0));
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

    /// Worked by hand: 12 of 40 is 30% shown as "10 of 40"; 3 of 40 withholds the percentage.
    #[test]
    fn shares_withhold_the_percentage_when_a_count_is_suppressed() {
        let share = ShownShare::new(12, 40);
        assert_eq!(share.percent, Some(30.0));
        assert_eq!(share.to_string(), "30% (10 of 40)");
        assert_eq!(ShownShare::new(3, 40).percent, None);
        assert_eq!(ShownShare::new(9, 5).percent, None);
        assert_eq!(ShownShare::new(0, 0).percent, None);
        assert_eq!(ShownShare::new(0, 20).percent, Some(0.0));
    }
}
