//! The nonparametric bootstrap: seeded resampling of units (people) with replacement, and
//! percentile confidence intervals from the resampled statistics.
//!
//! Resampling is reproducible by construction: every draw comes from a `ChaCha8Rng` seeded with
//! a caller-given seed, so the same data, seed and number of resamples give identical
//! intervals on every platform (wasm32 included).

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A seeded source of resampling draws.
///
/// # Remarks
/// Each index comes from one 32-bit ChaCha8 word by Lemire's multiply-and-reject method, which
/// is exactly uniform (words that would bias the result are rejected and redrawn; for n
/// people that happens with probability below n / 2^32). Only integer arithmetic is used, so
/// the draws are identical on 64-bit native builds and wasm32.
///
/// # References
/// Lemire (2019), "Fast random integer generation in an interval", ACM Transactions on
/// Modeling and Computer Simulation 29(1):3, algorithm 5.
#[derive(Clone, Debug)]
pub struct Resampler {
    rng: ChaCha8Rng,
}

impl Resampler {
    pub fn new(seed: u64) -> Resampler {
        Resampler {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniform index in `0..n`; `None` when `n` is 0.
    pub fn index(&mut self, n: u32) -> Option<u32> {
        if n == 0 {
            return None;
        }
        loop {
            let product = u64::from(self.rng.next_u32()) * u64::from(n);
            let low = product as u32;
            // Reject the (2^32 mod n) words that would make low indices more likely.
            if low >= n || low >= n.wrapping_neg() % n {
                return Some((product >> 32) as u32);
            }
        }
    }

    /// Fills `out` with `n` indices drawn uniformly with replacement from `0..n`: one bootstrap
    /// resample of `n` units.
    pub fn resample_into(&mut self, n: u32, out: &mut Vec<u32>) {
        out.clear();
        out.extend((0..n).filter_map(|_| self.index(n)));
    }
}

/// A quantile of sorted values with linear interpolation between order statistics.
///
/// # Formula
/// With n sorted values x_0 ≤ … ≤ x_{n−1} and 0 ≤ q ≤ 1, let h = (n − 1)·q, j = ⌊h⌋ and
/// g = h − j. The quantile is x_j + g·(x_{j+1} − x_j) (x_j itself when j = n − 1).
///
/// # Remarks
/// This is Hyndman & Fan's definition 7, the default of R's `quantile` and of
/// `numpy.percentile(..., method="linear")`. `None` for an empty slice, a q outside [0, 1] or
/// any non-finite value. The slice must already be sorted (ascending).
///
/// # References
/// Hyndman & Fan (1996), "Sample quantiles in statistical packages", American Statistician
/// 50:361–365, definition 7. Checked against numpy 2.x `percentile(method="linear")`
/// (tests/reference/value_reference.py).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&q) || sorted.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let j = h.floor();
    let g = h - j;
    let low = *sorted.get(j as usize)?;
    let high = sorted.get(j as usize + 1).copied().unwrap_or(low);
    Some(low + g * (high - low))
}

/// A two-sided percentile interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PercentileInterval {
    pub lower: f64,
    pub upper: f64,
}

/// The bootstrap percentile confidence interval.
///
/// # What it answers
/// Over resamples of the data, between which values does the statistic fall in the central
/// `confidence` share (0.95 for a 95% interval) of resamples?
///
/// # Formula
/// With α = 1 − confidence, the interval is [Q(α/2), Q(1 − α/2)] of the resampled statistics,
/// Q being [`quantile_sorted`] (Hyndman & Fan definition 7, numpy's "linear").
///
/// # Remarks
/// `None` for no values, any non-finite value, or a confidence outside (0, 1). The percentile
/// interval assumes the statistic's sampling distribution is roughly symmetric around the
/// estimate after some transformation; it can undercover for heavily skewed statistics and
/// small samples (Efron & Tibshirani 1993, ch. 13). With one value the interval is that value.
///
/// # References
/// Efron & Tibshirani (1993), *An Introduction to the Bootstrap*, ch. 13, eq. 13.5.
pub fn percentile_interval(values: &[f64], confidence: f64) -> Option<PercentileInterval> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let alpha = 1.0 - confidence;
    Some(PercentileInterval {
        lower: quantile_sorted(&sorted, alpha / 2.0)?,
        upper: quantile_sorted(&sorted, 1.0 - alpha / 2.0)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws_and_indices_in_range() {
        let mut a = Resampler::new(7);
        let mut b = Resampler::new(7);
        let (mut da, mut db) = (Vec::new(), Vec::new());
        a.resample_into(50, &mut da);
        b.resample_into(50, &mut db);
        assert_eq!(da, db);
        assert_eq!(da.len(), 50);
        assert!(da.iter().all(|i| *i < 50));
        assert_eq!(a.index(0), None);
    }

    #[test]
    fn degenerate_inputs_have_no_interval() {
        assert!(percentile_interval(&[], 0.95).is_none());
        assert!(percentile_interval(&[1.0, f64::NAN], 0.95).is_none());
        assert!(percentile_interval(&[1.0, 2.0], 1.0).is_none());
        assert_eq!(quantile_sorted(&[3.0], 0.5), Some(3.0));
        assert!(quantile_sorted(&[1.0, 2.0], 1.5).is_none());
    }
}
