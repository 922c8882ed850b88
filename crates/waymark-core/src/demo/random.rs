//! Randomness: one seeded stream per person and file, and the small distributions drawn
//! from it, built from exactly rounded operations only so every platform draws the same.

use super::csv_out::*;
use super::DemoParams;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Which part of the generator draws from a stream; a person's streams are
/// `(person_idx + 1) * 8 + section`, and stream 0 is for choosing planted roles.
#[derive(Clone, Copy)]
pub(super) enum Section {
    Person = 0,
    Outcomes = 1,
    Events = 2,
    Goals = 3,
    Status = 4,
    Feedback = 5,
}

pub(super) struct Ctx {
    pub(super) base: ChaCha8Rng,
    pub(super) reference: Day,
}

impl Ctx {
    pub(super) fn new(params: &DemoParams) -> Ctx {
        Ctx {
            base: ChaCha8Rng::seed_from_u64(params.seed),
            reference: day_of(params.reference_date),
        }
    }

    pub(super) fn stream(&self, person_idx: usize, section: Section) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(((person_idx as u64 + 1) << 3) | section as u64);
        rng
    }

    pub(super) fn roles_stream(&self) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(0);
        rng
    }
}

pub(super) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

pub(super) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    unit(rng) < p
}

pub(super) fn between(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(rng)
}

/// A uniform integer in `lo..=hi`. Drawn as `u32`, never `usize`, so 32- and 64-bit
/// targets draw the same numbers.
pub(super) fn int(rng: &mut ChaCha8Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo {
        return lo;
    }
    lo + rng.random_range(0..=(hi - lo) as u32) as i32
}

pub(super) fn index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    int(rng, 0, len as i32 - 1) as usize
}

pub(super) fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut draw = rng.random_range(0..total);
    for (idx, &weight) in weights.iter().enumerate() {
        if draw < weight {
            return idx;
        }
        draw -= weight;
    }
    weights.len() - 1
}

/// An approximately standard normal draw: the sum of twelve uniforms minus six
/// (Irwin–Hall), which has mean 0 and variance 1 and is bounded to ±6.
///
/// # Remarks
/// Not Box–Muller: Box–Muller needs `ln` and `cos`, whose last bit depends on the
/// platform's maths library, and a one-ulp difference can flip a rounded score and break
/// byte-identical output between native and wasm. Additions are exact IEEE operations.
/// `rand_distr` is not a dependency, hence this helper. The bounded tails are harmless for
/// synthetic scores that are clamped to their range anyway.
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let mut sum = 0.0;
    for _ in 0..12 {
        sum += unit(rng);
    }
    sum - 6.0
}

/// `e^(-x)` for `x >= 0`, from `+ - * /` only so the result is bit-identical everywhere.
///
/// # Formula
/// Halve `x` until it is at most 1/8 (exact), sum the Taylor series of `e^(-y)` to 14
/// terms (truncation below 1e-20), then square the result once per halving.
///
/// # Remarks
/// Relative error grows by about 2^k for k halvings: under 1e-12 for `x` up to 1000, far
/// below what a synthetic rate needs. `f64::exp` is avoided because its last bit depends
/// on the platform's maths library.
pub(super) fn exp_neg(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let mut y = x;
    let mut halvings = 0;
    while y > 0.125 {
        y *= 0.5;
        halvings += 1;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=14 {
        term *= -y / f64::from(k);
        sum += term;
    }
    for _ in 0..halvings {
        sum *= sum;
    }
    sum
}

/// A Poisson draw with mean `lambda`, by inversion of the cumulative distribution.
///
/// # Remarks
/// Written here because `rand_distr` is not a dependency, and from [`exp_neg`] so it is
/// bit-identical on every platform. The loop runs about `lambda` times, and the
/// generator's means stay below ~150 (in which range `e^(-lambda)` is a normal `f64`); a
/// cap of 10 × lambda + 50 guards against rounding leaving the cumulative sum below `u`.
pub(super) fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let u = unit(rng);
    let mut p = exp_neg(lambda);
    let mut cumulative = p;
    let mut k = 0u32;
    let cap = (lambda * 10.0) as u32 + 50;
    while u > cumulative && k < cap {
        k += 1;
        p *= lambda / f64::from(k);
        cumulative += p;
    }
    k
}

/// `k` distinct items of `pool`, in the random order they were drawn (partial
/// Fisher–Yates shuffle).
pub(super) fn choose(rng: &mut ChaCha8Rng, pool: &[usize], k: usize) -> Vec<usize> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for j in 0..k {
        let pick = j + index(rng, items.len() - j);
        items.swap(j, pick);
    }
    items.truncate(k);
    items
}

/// `pct` percent of `n`, rounded half up, in integers.
pub(super) fn percent_of(n: usize, pct: usize) -> usize {
    (n * pct + 50) / 100
}
