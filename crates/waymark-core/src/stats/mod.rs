//! Statistics shared by the engines, each documented with its formula and source, and tested
//! against values computed outside Waymark (see `tests/reference/`).

pub mod bootstrap;
pub mod change;
pub mod funnel;
pub mod goals;
pub mod intervals;
pub(crate) mod quantile;
pub mod spc;
pub mod survival;
pub mod trend;

/// Median of a slice (the mean of the middle two for an even count); `None` when empty.
/// NaNs must not be present (callers never pass them).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
