//! Trend on irregular time series: the Mann–Kendall test and the Theil–Sen slope.
//!
//! Outcome scores arrive at irregular intervals, so the slope uses real time (months between
//! assessments), while the Mann–Kendall test uses only the order of the scores in time.

use super::median;
use statrs::distribution::{ContinuousCDF, Normal};

/// The Mann–Kendall test for a monotonic trend.
///
/// # What it answers
/// Do the scores tend to rise (or fall) over time, beyond what chance ordering would give?
///
/// # Formula
/// S = Σ_{i<j} sign(x_j − x_i) over the values in time order.
/// Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18, where t_g is the size of each group of
/// tied values. Z = (S−1)/√Var(S) if S > 0, (S+1)/√Var(S) if S < 0, else 0 (continuity
/// correction). Two-sided p = 2(1 − Φ(|Z|)). Kendall's τ = S / (n(n−1)/2).
///
/// # Remarks
/// Needs at least 3 values (`None` otherwise). When every value is tied, Var(S) = 0; Z is 0
/// and p is 1. Ties in time are not special: values are taken in the order given.
///
/// # References
/// Mann (1945), Econometrica 13:245–259; Kendall (1975), *Rank Correlation Methods*, 4th ed.;
/// ties correction as in Hipel & McLeod (1994). Checked against pymannkendall's
/// `original_test` (tests/reference/trend_reference.py).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MannKendall {
    pub n: usize,
    pub s: f64,
    pub var_s: f64,
    pub z: f64,
    pub p_value: f64,
    pub tau: f64,
}

pub fn mann_kendall(values: &[f64]) -> Option<MannKendall> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let mut s = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            s += sign(values[j] - values[i]);
        }
    }
    let nf = n as f64;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let ties: f64 = sorted
        .chunk_by(|a, b| a == b)
        .map(|group| group.len() as f64)
        .filter(|t| *t > 1.0)
        .map(|t| t * (t - 1.0) * (2.0 * t + 5.0))
        .sum();
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = if var_s <= 0.0 {
        0.0
    } else if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    };
    let p_value = 2.0 * (1.0 - standard_normal().cdf(z.abs()));
    Some(MannKendall {
        n,
        s,
        var_s,
        z,
        p_value,
        tau: s / (nf * (nf - 1.0) / 2.0),
    })
}

/// The Theil–Sen estimate of the trend line through (time, value) points.
///
/// # Formula
/// slope = median over pairs i < j with t_i ≠ t_j of (y_j − y_i)/(t_j − t_i);
/// intercept = median(y) − slope · median(t).
///
/// # Remarks
/// Robust to outliers (breakdown point about 29%). Pairs measured at the same time carry no
/// slope and are skipped; `None` when no pair has distinct times. The slope is in the value's
/// units per unit of `times` (Waymark passes months).
///
/// # References
/// Theil (1950), Proc. KNAW 53; Sen (1968), JASA 63:1379–1389. Checked against
/// `scipy.stats.theilslopes` (its default "separate" intercept).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TheilSen {
    pub slope: f64,
    pub intercept: f64,
}

pub fn theil_sen(times: &[f64], values: &[f64]) -> Option<TheilSen> {
    let n = times.len().min(values.len());
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in (i + 1)..n {
            let dt = times[j] - times[i];
            if dt != 0.0 {
                slopes.push((values[j] - values[i]) / dt);
            }
        }
    }
    let slope = median(&slopes)?;
    let intercept = median(&values[..n])? - slope * median(&times[..n])?;
    Some(TheilSen { slope, intercept })
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

fn standard_normal() -> Normal {
    Normal::standard()
}
