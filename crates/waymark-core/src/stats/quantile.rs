//! Quantiles of the normal, Student t, chi-square, gamma and beta distributions, and the
//! binomial distribution function, to full double precision and without panics.
//!
//! statrs supplies the distribution functions (regularised incomplete gamma and beta); its own
//! inverse functions stop after a fixed number of steps, so the interval code inverts the
//! distribution functions here by bisection, which always converges for a monotone function.
//! Every function returns `None` for parameters outside the distribution's domain.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::checked_beta_reg;
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur};

/// Enough halvings to reach adjacent doubles from any bracket the callers use.
const MAX_BISECTIONS: usize = 1100;

/// The standard normal quantile Φ⁻¹(p), for 0 < p < 1.
pub(crate) fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let z = Normal::standard().inverse_cdf(p);
    z.is_finite().then_some(z)
}

/// The two-sided critical value z with P(|Z| > z) = 1 − confidence.
pub(crate) fn normal_critical(confidence: f64) -> Option<f64> {
    normal_quantile(1.0 - (1.0 - confidence) / 2.0)
}

/// The two-sided critical value t with P(|T_df| > t) = 1 − confidence.
/// Uses P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2) and bisects on t.
pub(crate) fn t_critical(df: f64, confidence: f64) -> Option<f64> {
    if !(df > 0.0) || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let two_sided_tail = 1.0 - confidence;
    let tail_beyond = |t: f64| checked_beta_reg(df / 2.0, 0.5, df / (df + t * t)).ok();
    // The tail probability falls as t grows; find an upper bracket first.
    let mut high = 1.0;
    while tail_beyond(high)? > two_sided_tail {
        high *= 2.0;
        if high > 1e12 {
            return None;
        }
    }
    bisect_decreasing(tail_beyond, two_sided_tail, 0.0, high)
}

/// The gamma(shape, scale 1) quantile: x with P(shape, x) = p (lower tail).
pub(crate) fn gamma_quantile(shape: f64, p: f64) -> Option<f64> {
    if !(shape > 0.0) || !(p > 0.0 && p < 1.0) {
        return None;
    }
    // Work in whichever tail is smaller, where the distribution function is most accurate.
    if p <= 0.5 {
        let lower = |x: f64| gamma_lower(shape, x);
        let high = bracket_above(|x| Some(lower(x)? < p))?;
        bisect_increasing(lower, p, 0.0, high)
    } else {
        let q = 1.0 - p;
        let upper = |x: f64| gamma_upper(shape, x);
        let high = bracket_above(|x| Some(upper(x)? > q))?;
        bisect_decreasing(upper, q, 0.0, high)
    }
}

/// The chi-square quantile with `df` degrees of freedom: 2 × gamma quantile(df/2).
pub(crate) fn chi_square_quantile(df: f64, p: f64) -> Option<f64> {
    gamma_quantile(df / 2.0, p).map(|x| 2.0 * x)
}

/// The beta(a, b) quantile: x in [0, 1] with I_x(a, b) = p.
pub(crate) fn beta_quantile(a: f64, b: f64, p: f64) -> Option<f64> {
    if !(a > 0.0) || !(b > 0.0) || !(p > 0.0 && p < 1.0) {
        return None;
    }
    bisect_increasing(|x| checked_beta_reg(a, b, x).ok(), p, 0.0, 1.0)
}

/// The binomial distribution function P(X ≤ r) for X ~ Bin(n, prob).
pub(crate) fn binomial_cdf(r: u64, n: u64, prob: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&prob) {
        return None;
    }
    if r >= n {
        return Some(1.0);
    }
    // P(X ≤ r) = I_{1−prob}(n − r, r + 1).
    checked_beta_reg((n - r) as f64, r as f64 + 1.0, 1.0 - prob).ok()
}

/// The Poisson distribution function P(X ≤ r) for X ~ Poisson(mean) = Q(r + 1, mean).
pub(crate) fn poisson_cdf(r: u64, mean: f64) -> Option<f64> {
    if !(mean >= 0.0 && mean.is_finite()) {
        return None;
    }
    gamma_upper(r as f64 + 1.0, mean)
}

/// P(shape, x), the regularised lower incomplete gamma function, with P(shape, 0) = 0.
fn gamma_lower(shape: f64, x: f64) -> Option<f64> {
    if x <= 0.0 {
        return Some(0.0);
    }
    checked_gamma_lr(shape, x).ok()
}

/// Q(shape, x) = 1 − P(shape, x), with Q(shape, 0) = 1.
fn gamma_upper(shape: f64, x: f64) -> Option<f64> {
    if x <= 0.0 {
        return Some(1.0);
    }
    checked_gamma_ur(shape, x).ok()
}

/// The first power of two, from 1 upwards, at which `still_below` turns false.
fn bracket_above(still_below: impl Fn(f64) -> Option<bool>) -> Option<f64> {
    let mut high = 1.0;
    while still_below(high)? {
        high *= 2.0;
        if high > 1e300 {
            return None;
        }
    }
    Some(high)
}

/// x in [low, high] with f(x) = target for an increasing f, to adjacent doubles.
fn bisect_increasing(
    f: impl Fn(f64) -> Option<f64>,
    target: f64,
    low: f64,
    high: f64,
) -> Option<f64> {
    bisect(|x| Some(f(x)? < target), low, high)
}

/// x in [low, high] with f(x) = target for a decreasing f, to adjacent doubles.
fn bisect_decreasing(
    f: impl Fn(f64) -> Option<f64>,
    target: f64,
    low: f64,
    high: f64,
) -> Option<f64> {
    bisect(|x| Some(f(x)? > target), low, high)
}

/// Bisection on a predicate that is true below the root and false above it.
fn bisect(below_root: impl Fn(f64) -> Option<bool>, mut low: f64, mut high: f64) -> Option<f64> {
    for _ in 0..MAX_BISECTIONS {
        let mid = low + (high - low) / 2.0;
        if mid <= low || mid >= high {
            break;
        }
        if below_root(mid)? {
            low = mid;
        } else {
            high = mid;
        }
    }
    let root = low + (high - low) / 2.0;
    root.is_finite().then_some(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Textbook values (scipy.stats prints the same to the digits shown).
    #[test]
    fn quantiles_match_table_values() {
        let z = normal_critical(0.95).unwrap();
        assert!((z - 1.959_963_984_540_054).abs() < 1e-12);
        let t = t_critical(10.0, 0.95).unwrap();
        assert!((t - 2.228_138_851_986_273_5).abs() < 1e-10);
        let c = chi_square_quantile(2.0, 0.5).unwrap();
        assert!((c - 2.0 * std::f64::consts::LN_2).abs() < 1e-12);
        let b = beta_quantile(1.0, 1.0, 0.3).unwrap();
        assert!((b - 0.3).abs() < 1e-14);
    }

    #[test]
    fn out_of_domain_arguments_give_none() {
        assert!(normal_quantile(0.0).is_none());
        assert!(t_critical(0.0, 0.95).is_none());
        assert!(gamma_quantile(-1.0, 0.5).is_none());
        assert!(beta_quantile(1.0, 1.0, 1.0).is_none());
        assert!(binomial_cdf(1, 3, 1.5).is_none());
    }
}
