//! The one tolerance policy for comparisons with reference tools: values agree when they are
//! within 1e-9 absolutely or 1e-9 relatively (reference tools print 15-17 significant digits;
//! the only differences expected are floating-point summation order).

#![allow(dead_code)]

pub const ABSOLUTE: f64 = 1e-9;
pub const RELATIVE: f64 = 1e-9;

pub fn close(actual: f64, expected: f64) -> bool {
    let diff = (actual - expected).abs();
    diff <= ABSOLUTE || diff <= RELATIVE * expected.abs()
}

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: got {actual}, reference {expected}"
    );
}

/// Some published reference values exist only as printed output (R's `pillar::glimpse` shows 7
/// significant digits). Such a value can only be matched to half a unit in its last printed
/// digit; this is the digit count, and `assert_matches_printed` applies it.
pub const PRINTED_SIGNIFICANT_DIGITS: i32 = 7;

/// `actual` rounds to `printed` at [`PRINTED_SIGNIFICANT_DIGITS`] significant digits (within
/// half a unit of the last printed digit, plus 1e-12 for the binary representation of the
/// printed decimal).
pub fn assert_matches_printed(actual: f64, printed: f64, what: &str) {
    let magnitude = printed.abs().log10().floor() as i32;
    let half_unit = 0.5 * 10f64.powi(magnitude - (PRINTED_SIGNIFICANT_DIGITS - 1));
    assert!(
        (actual - printed).abs() <= half_unit + 1e-12,
        "{what}: got {actual}, printed reference {printed}"
    );
}
