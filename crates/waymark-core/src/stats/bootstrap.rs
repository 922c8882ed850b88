//! The nonparametric bootstrap: seeded resampling of units (people) with replacement, and
//! percentile confidence intervals from the resampled statistics.
//!
//! Resampling is reproducible by construction: every draw comes from a `Xoshiro256PlusPlus`
//! generator seeded with a caller-given seed, so the same data, seed and number of resamples
//! give identical intervals on every platform (wasm32 included).

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// A seeded source of resampling draws.
///
/// # Remarks
/// The generator is xoshiro256++, seeded by `seed_from_u64` (SplitMix64 expansion of the
/// seed). Each 64-bit output is split into two 32-bit words, low half first; each index comes
/// from one word by Lemire's multiply-and-reject method, which is exactly uniform (words that
/// would bias the result are rejected and redrawn; for n people that happens with probability
/// below n / 2^32). Only integer arithmetic is used, so the draws are identical on 64-bit
/// native builds and wasm32. A statistical generator, not a cryptographic one: resampling
/// needs uniform, independent-looking draws, and xoshiro256++ gives them at a fraction of
/// ChaCha's cost in WebAssembly, where the bootstrap runs in the browser.
///
/// # References
/// Blackman & Vigna (2021), "Scrambled linear pseudorandom number generators", ACM
/// Transactions on Mathematical Software 47(4):36 (xoshiro256++). Lemire (2019), "Fast random
/// integer generation in an interval", ACM Transactions on Modeling and Computer Simulation
/// 29(1):3, algorithm 5.
#[derive(Clone, Debug)]
pub struct Resampler {
    rng: Xoshiro256PlusPlus,
    /// The unused high half of the last 64-bit output, if any.
    spare: Option<u32>,
}

impl Resampler {
    pub fn new(seed: u64) -> Resampler {
        Resampler {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            spare: None,
        }
    }

    /// The next 32-bit word: the low half of a fresh output, then its high half.
    fn next_word(&mut self) -> u32 {
        match self.spare.take() {
            Some(word) => word,
            None => {
                let output = self.rng.next_u64();
                self.spare = Some((output >> 32) as u32);
                output as u32
            }
        }
    }

    /// A uniform index in `0..n`; `None` when `n` is 0.
    pub fn index(&mut self, n: u32) -> Option<u32> {
        if n == 0 {
            return None;
        }
        loop {
            let product = u64::from(self.next_word()) * u64::from(n);
            let low = product as u32;
            // Reject the (2^32 mod n) words that would make low indices more likely.
            if low >= n || low >= n.wrapping_neg() % n {
                return Some((product >> 32) as u32);
            }
        }
    }

    /// Hands `count` uniform indices in `0..n` to `each`, the same indices as `count` calls of
    /// [`index`](Self::index), in one loop (the bootstrap draws millions of them). Nothing is
    /// drawn when `n` is 0.
    pub fn each_index(&mut self, n: u32, count: u32, mut each: impl FnMut(u32)) {
        if n == 0 {
            return;
        }
        // `index` accepts a word when low >= n or low >= 2^32 mod n; as 2^32 mod n < n, that
        // is low >= 2^32 mod n alone.
        let threshold = n.wrapping_neg() % n;
        let mut drawn = 0;
        while drawn < count {
            let product = u64::from(self.next_word()) * u64::from(n);
            if product as u32 >= threshold {
                each((product >> 32) as u32);
                drawn += 1;
            }
        }
    }

    /// Fills `out` with `n` indices drawn uniformly with replacement from `0..n`: one bootstrap
    /// resample of `n` units.
    pub fn resample_into(&mut self, n: u32, out: &mut Vec<u32>) {
        out.clear();
        self.each_index(n, n, |i| out.push(i));
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

    /// Reference values from tests/reference/resampler_reference.py, an independent Python
    /// implementation of SplitMix64 seeding, xoshiro256++ (the authors' reference C) and
    /// Lemire's method; n = 3 exercises the rejection step.
    #[test]
    fn draws_match_the_independent_reference() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
        let outputs: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            outputs,
            [0x53175d61490b23df, 0x61da6f3dc380d507, 0x5c0fdf91ec9a7bfc]
        );
        let draws = |seed: u64, n: u32, count: usize| -> Vec<u32> {
            let mut resampler = Resampler::new(seed);
            (0..count).filter_map(|_| resampler.index(n)).collect()
        };
        assert_eq!(
            draws(42, 1000, 12),
            [267, 814, 341, 318, 47, 983, 50, 701, 455, 793, 305, 588]
        );
        assert_eq!(draws(7, 3, 12), [0, 0, 2, 0, 2, 2, 1, 1, 2, 2, 1, 1]);
        assert_eq!(
            draws(2026, 14531, 8),
            [8866, 6204, 6819, 8923, 5872, 10490, 14003, 12556]
        );
        // The batched draws are the same stream: alone, and taking turns with `index` (an odd
        // count leaves half an output for the next draw).
        let batched = |seed: u64, n: u32, count: u32| -> Vec<u32> {
            let mut resampler = Resampler::new(seed);
            let mut out = Vec::new();
            resampler.each_index(n, count, |i| out.push(i));
            out
        };
        assert_eq!(batched(7, 3, 12), [0, 0, 2, 0, 2, 2, 1, 1, 2, 2, 1, 1]);
        assert_eq!(
            batched(2026, 14531, 8),
            [8866, 6204, 6819, 8923, 5872, 10490, 14003, 12556]
        );
        let mut resampler = Resampler::new(42);
        let mut mixed = Vec::new();
        mixed.extend(resampler.index(1000));
        resampler.each_index(1000, 3, |i| mixed.push(i));
        mixed.extend(resampler.index(1000));
        resampler.each_index(1000, 7, |i| mixed.push(i));
        assert_eq!(mixed, draws(42, 1000, 12));
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
