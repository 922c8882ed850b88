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
