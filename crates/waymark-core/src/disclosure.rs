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
            Written::Count(n) => Ok(ShownCount::Rounded(n)),
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
    pub fn new(numerator: u64, denominator: u64) -> ShownShare {
        let (num, den) = (
            ShownCount::from_count(numerator),
            ShownCount::from_count(denominator),
        );
        let shown = num != ShownCount::Suppressed && den != ShownCount::Suppressed;
        ShownShare {
            numerator: num,
            denominator: den,
            percent: (shown && denominator > 0)
                .then(|| 100.0 * numerator as f64 / denominator as f64),
        }
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
