//! Colours, taken from the NHS.UK palette and checked for contrast against white.
//!
//! WCAG 2.2 SC 1.4.11 (non-text contrast) asks for 3:1 between graphical objects that carry
//! meaning and their background; SC 1.4.3 asks for 4.5:1 for text. Every colour used for a
//! data mark or line here is at least 3:1 against white (tested below); text uses
//! [`TEXT`] (14:1) or [`SECONDARY_TEXT`] (7.7:1). NHS warm orange `#ed8b00` is only 2.5:1, so
//! concern uses a darker burnt orange that keeps the hue.

/// Main text, axis titles (NHS black).
pub const TEXT: &str = "#212b32";
/// Tick labels and notes (NHS dark grey).
pub const SECONDARY_TEXT: &str = "#425563";
/// Axis lines.
pub const AXIS: &str = "#425563";
/// Gridlines: decorative, deliberately faint (not a data mark).
pub const GRID: &str = "#d8dde0";
/// Shaded bands (reliable-change band, confidence bands): decorative fill; each band also
/// has a boundary line or is described in the table.
pub const BAND_FILL: &str = "#e8edee";

/// Making Data Count: improvement (NHS blue).
pub const IMPROVEMENT: &str = "#005eb8";
/// Making Data Count: concern (darkened NHS orange, 4.3:1).
pub const CONCERN: &str = "#c25e00";
/// Making Data Count: common-cause variation (NHS dark grey).
pub const COMMON: &str = "#425563";
/// Making Data Count: special cause where neither direction is better (NHS purple).
pub const NEUTRAL: &str = "#330072";
/// Target lines (NHS red).
pub const TARGET: &str = "#d5281b";
/// The joining line of an XmR chart and other secondary data lines (NHS mid grey, 3.7:1).
pub const SECONDARY_LINE: &str = "#768692";
/// Background trajectories in a spaghetti plot: the lightest grey that still has 3:1.
pub const BACKGROUND_LINE: &str = "#8a969f";
/// Bars and histogram columns.
pub const BAR: &str = "#005eb8";

/// Colours for highlighted series, in order. Each series also gets its own dash pattern and
/// marker shape, so colour is never the only way to tell them apart.
pub const SERIES: [&str; 6] = [
    "#005eb8", // NHS blue
    "#c25e00", // dark orange
    "#330072", // NHS purple
    "#007f3b", // NHS dark green
    "#ae2573", // NHS dark pink
    "#212b32", // NHS black
];

/// Dash patterns paired with [`SERIES`]; `None` is a solid line.
pub const SERIES_DASHES: [Option<&str>; 6] = [
    None,
    Some("8 4"),
    Some("2 3"),
    Some("10 3 2 3"),
    Some("4 4"),
    Some("12 4"),
];

/// WCAG 2.x relative luminance of a `#rrggbb` colour (`None` if it cannot be parsed).
pub fn relative_luminance(hex: &str) -> Option<f64> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.is_ascii() {
        return None;
    }
    let channel = |from: usize| -> Option<f64> {
        let byte = u8::from_str_radix(digits.get(from..from + 2)?, 16).ok()?;
        let c = f64::from(byte) / 255.0;
        Some(if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// WCAG contrast ratio between two `#rrggbb` colours, from 1 to 21.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (relative_luminance(a)?, relative_luminance(b)?);
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    Some((light + 0.05) / (dark + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_values() {
        let black_white = contrast_ratio("#000000", "#ffffff").unwrap();
        assert!((black_white - 21.0).abs() < 1e-9);
        // NHS blue on white is published as 6.4:1 (rounded).
        let blue = contrast_ratio("#005eb8", "#ffffff").unwrap();
        assert!((blue - 6.38).abs() < 0.01, "{blue}");
        assert!(contrast_ratio("#ed8b00", "#ffffff").unwrap() < 3.0);
    }

    #[test]
    fn data_colours_have_3_to_1_against_white() {
        let mut data_colours = vec![
            IMPROVEMENT,
            CONCERN,
            COMMON,
            NEUTRAL,
            TARGET,
            SECONDARY_LINE,
            BACKGROUND_LINE,
            BAR,
            AXIS,
        ];
        data_colours.extend(SERIES);
        for colour in data_colours {
            let ratio = contrast_ratio(colour, "#ffffff").unwrap();
            assert!(ratio >= 3.0, "{colour} has {ratio:.2}:1");
        }
        for colour in [TEXT, SECONDARY_TEXT] {
            let ratio = contrast_ratio(colour, "#ffffff").unwrap();
            assert!(ratio >= 4.5, "{colour} has {ratio:.2}:1");
        }
        // White text is drawn on bars.
        assert!(contrast_ratio(BAR, "#ffffff").unwrap() >= 4.5);
    }
}
