//! Numbers as they appear in charts: pixel coordinates (always finite) and value labels.

/// How values are written in labels, descriptions and tables.
///
/// `decimals: None` picks a sensible number of decimals from the size of the value. Labels
/// get thousands separators and the prefix/suffix (e.g. `£`, `%`); table cells get the plain
/// number so that a CSV export stays machine-readable, and the unit goes into the header.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NumberFormat {
    pub decimals: Option<u8>,
    pub prefix: String,
    pub suffix: String,
}

impl NumberFormat {
    /// Plain numbers with automatic decimals.
    pub fn number() -> NumberFormat {
        NumberFormat::default()
    }

    /// Fixed decimals, no unit.
    pub fn fixed(decimals: u8) -> NumberFormat {
        NumberFormat {
            decimals: Some(decimals),
            ..NumberFormat::default()
        }
    }

    /// Percentages given on a 0–100 scale, e.g. `45.2%`.
    pub fn percent(decimals: u8) -> NumberFormat {
        NumberFormat {
            decimals: Some(decimals),
            prefix: String::new(),
            suffix: "%".to_string(),
        }
    }

    /// Pounds sterling, e.g. `£1,250`.
    pub fn pounds(decimals: u8) -> NumberFormat {
        NumberFormat {
            decimals: Some(decimals),
            prefix: "£".to_string(),
            suffix: String::new(),
        }
    }

    /// A value label: prefix, thousands separators, suffix. Undefined values read "no value".
    pub fn label(&self, value: f64) -> String {
        self.label_with(value, self.decimals)
    }

    /// A label with an explicit number of decimals (used for axis ticks, whose decimals
    /// follow the tick step).
    pub(crate) fn label_with(&self, value: f64, decimals: Option<u8>) -> String {
        if !value.is_finite() {
            return "no value".to_string();
        }
        let body = group_thousands(&plain(value, decimals));
        // A minus sign goes before the prefix: "-£5", not "£-5".
        match body.strip_prefix('-') {
            Some(rest) => format!("-{}{}{}", self.prefix, rest, self.suffix),
            None => format!("{}{}{}", self.prefix, body, self.suffix),
        }
    }

    /// A table cell: the plain number, no unit, no separators.
    pub fn cell(&self, value: f64) -> String {
        if !value.is_finite() {
            return String::new();
        }
        plain(value, self.decimals)
    }

    /// A table header: `label` (or `fallback` when empty) with the unit added, unless the
    /// label already names it (no "Share (%) (%)").
    pub(crate) fn header(&self, label: &str, fallback: &str) -> String {
        let label = if label.trim().is_empty() {
            fallback
        } else {
            label.trim()
        };
        let unit = self.unit_suffix();
        if unit.is_empty() || label.contains(unit.trim()) {
            label.to_string()
        } else {
            format!("{label}{unit}")
        }
    }

    /// The unit for a table header, e.g. ` (%)`, or empty.
    pub(crate) fn unit_suffix(&self) -> String {
        let unit = format!("{}{}", self.prefix.trim(), self.suffix.trim());
        if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        }
    }
}

/// Automatic decimals: about three significant figures for small values, none for large.
fn auto_decimals(value: f64) -> u8 {
    let magnitude = value.abs();
    if magnitude >= 100.0 || magnitude == 0.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else if magnitude >= 0.1 {
        2
    } else {
        3
    }
}

/// A finite value as plain decimal text. Very large or very small magnitudes use scientific
/// notation so that labels stay short. Negative zero is written as `0`.
pub(crate) fn plain(value: f64, decimals: Option<u8>) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let magnitude = value.abs();
    if magnitude >= 1e12 || (magnitude > 0.0 && magnitude < 1e-6) {
        return format!("{value:.2e}");
    }
    let decimals = decimals.unwrap_or_else(|| auto_decimals(value)).min(9) as usize;
    let text = format!("{value:.decimals$}");
    // "-0.0" and friends: rounding can leave a lone minus sign in front of zero.
    if text.starts_with('-') && text[1..].chars().all(|ch| ch == '0' || ch == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

fn group_thousands(text: &str) -> String {
    if text.contains('e') {
        return text.to_string();
    }
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (integer, fraction) = match rest.find('.') {
        Some(dot) => (&rest[..dot], &rest[dot..]),
        None => (rest, ""),
    };
    if integer.len() <= 4 {
        // "1250" reads fine; separators from five digits keep years and small counts plain.
        return text.to_string();
    }
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3);
    for (i, ch) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{fraction}")
}

/// The largest coordinate written; anything beyond is clamped. Charts are a few hundred
/// pixels wide, so this only matters for hostile input.
const COORDINATE_LIMIT: f64 = 1e6;

/// A pixel coordinate as SVG text: finite, clamped, at most two decimals.
pub(crate) fn coord(value: f64) -> String {
    let safe = if value.is_finite() {
        value.clamp(-COORDINATE_LIMIT, COORDINATE_LIMIT)
    } else {
        0.0
    };
    let rounded = (safe * 100.0).round() / 100.0;
    if rounded == 0.0 {
        "0".to_string()
    } else {
        format!("{rounded}")
    }
}

/// Number of decimals that tick labels need to tell ticks `step` apart.
pub(crate) fn decimals_for_step(step: f64) -> u8 {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    let needed = (-step.log10()).ceil();
    if needed.is_finite() {
        needed.clamp(0.0, 9.0) as u8
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_have_units_and_separators() {
        assert_eq!(NumberFormat::pounds(0).label(1250.4), "£1250");
        assert_eq!(NumberFormat::pounds(0).label(-12500.0), "-£12,500");
        assert_eq!(NumberFormat::percent(1).label(45.25), "45.2%");
        assert_eq!(NumberFormat::number().label(3.14159), "3.14");
        assert_eq!(NumberFormat::number().label(-0.0001), "0.000");
        assert_eq!(NumberFormat::fixed(1).label(-0.01), "0.0");
        assert_eq!(NumberFormat::number().label(f64::NAN), "no value");
        assert_eq!(NumberFormat::number().label(3e300), "3.00e300");
    }

    #[test]
    fn coordinates_are_always_finite() {
        assert_eq!(coord(f64::NAN), "0");
        assert_eq!(coord(f64::INFINITY), "0");
        assert_eq!(coord(1e300), "1000000");
        assert_eq!(coord(-0.001), "0");
        assert_eq!(coord(12.345), "12.35");
    }

    #[test]
    fn tick_decimals_follow_the_step() {
        assert_eq!(decimals_for_step(5.0), 0);
        assert_eq!(decimals_for_step(0.5), 1);
        assert_eq!(decimals_for_step(0.02), 2);
    }
}
