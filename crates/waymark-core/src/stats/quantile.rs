//! Quantiles of the normal, Student t, chi-square, gamma and beta distributions, and the
//! binomial distribution function, to full double precision and without panics.
//!
//! statrs supplies the normal quantile and the regularised incomplete gamma function; its own
//! inverse functions stop after a fixed number of steps, so the distribution functions are
//! inverted here by bisection, which always converges for a monotone function. The
//! regularised incomplete beta function is evaluated here because statrs caps its continued
//! fraction at 140 terms, too few near the centre of a binomial with n above about 10⁵.
//! Every function returns `None` for parameters outside the distribution's domain or too large
//! to evaluate reliably (shape parameters above [`MAX_SHAPE`]).

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur, ln_gamma};

/// Enough halvings to reach adjacent doubles from any bracket the callers use.
const MAX_BISECTIONS: usize = 1100;

/// Largest gamma or beta shape parameter accepted (counts of events or people). Beyond it the
/// series behind statrs' incomplete gamma function slow down without bound.
pub(crate) const MAX_SHAPE: f64 = 1e8;

/// Continued-fraction terms allowed for the incomplete beta function; it needs about
/// √max(a, b) terms, so this covers every shape up to [`MAX_SHAPE`].
const MAX_BETA_TERMS: usize = 200_000;

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
    let tail_beyond = |t: f64| regularized_beta(df / 2.0, 0.5, df / (df + t * t));
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
    bisect_increasing(|x| regularized_beta(a, b, x), p, 0.0, 1.0)
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
    regularized_beta((n - r) as f64, r as f64 + 1.0, 1.0 - prob)
}

/// The regularised incomplete beta function I_x(a, b), by the continued fraction of
/// Numerical Recipes (Press et al. 2007, §6.4) evaluated with the modified Lentz method,
/// using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where that converges faster.
pub(crate) fn regularized_beta(a: f64, b: f64, x: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && a <= MAX_SHAPE && b <= MAX_SHAPE) || !(0.0..=1.0).contains(&x) {
        return None;
    }
    if x == 0.0 {
        return Some(0.0);
    }
    if x == 1.0 {
        return Some(1.0);
    }
    let log_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    let front = log_front.exp();
    let value = if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x)? / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x)? / b
    };
    value.is_finite().then_some(value.clamp(0.0, 1.0))
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..=MAX_BETA_TERMS {
        let m = m as f64;
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON {
            return Some(h);
        }
    }
    None
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
    if shape > MAX_SHAPE {
        return None;
    }
    if x <= 0.0 {
        return Some(0.0);
    }
    checked_gamma_lr(shape, x).ok()
}

/// Q(shape, x) = 1 − P(shape, x), with Q(shape, 0) = 1.
fn gamma_upper(shape: f64, x: f64) -> Option<f64> {
    if shape > MAX_SHAPE {
        return None;
    }
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
        assert!(gamma_quantile(1e12, 0.5).is_none());
        assert!(regularized_beta(1e12, 1.0, 0.5).is_none());
    }
}
