//! Goal Attainment Scaling: one score summarising several goals rated -2..+2.

/// The Goal Attainment Scaling T-score of Kiresuk & Sherman.
///
/// # What it answers
/// Across a person's goals, did they do as expected (T = 50), better (above 50) or worse?
///
/// # Formula
/// T = 50 + 10·Σ wᵢxᵢ / √((1 − ρ)·Σ wᵢ² + ρ·(Σ wᵢ)²), with xᵢ the attainment rating of goal i
/// (−2 much less than expected … +2 much more), wᵢ its weight (1 when unweighted) and ρ the
/// assumed correlation between goal scores, conventionally 0.3.
///
/// # Remarks
/// `None` when there are no goals, the weights and ratings differ in length, or the
/// denominator is not positive (all weights zero).
///
/// # References
/// Kiresuk & Sherman (1968), Community Mental Health Journal 4:443–453; weights as in
/// Turner-Stokes (2009), Clinical Rehabilitation 23:362–370.
pub fn gas_t_score(ratings: &[f64], weights: Option<&[f64]>, rho: f64) -> Option<f64> {
    if ratings.is_empty() || weights.is_some_and(|w| w.len() != ratings.len()) {
        return None;
    }
    let weight = |idx: usize| weights.map_or(1.0, |w| w[idx]);
    let weighted_sum: f64 = ratings
        .iter()
        .enumerate()
        .map(|(idx, x)| weight(idx) * x)
        .sum();
    let sum_w: f64 = (0..ratings.len()).map(weight).sum();
    let sum_w2: f64 = (0..ratings.len()).map(|idx| weight(idx).powi(2)).sum();
    let denominator = ((1.0 - rho) * sum_w2 + rho * sum_w.powi(2)).sqrt();
    (denominator > 0.0).then(|| 50.0 + 10.0 * weighted_sum / denominator)
}

/// The conventional assumed inter-goal correlation (Kiresuk & Sherman 1968).
pub const GAS_RHO: f64 = 0.3;

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values computed independently in Python 3.11 from the published formula:
    /// `50 + 10*sum(w*x)/sqrt((1-0.3)*sum(w*w) + 0.3*sum(w)**2)`.
    #[test]
    fn t_scores_match_the_formula_computed_elsewhere() {
        let cases: [(&[f64], Option<&[f64]>, f64); 5] = [
            (&[0.0, 0.0, 0.0], None, 50.0),
            (&[1.0, 1.0, 1.0], None, 63.693_063_937_629_155),
            (&[-2.0, -1.0], None, 31.394_789_811_618_73),
            (&[2.0], None, 70.0),
            (
                &[1.0, -1.0, 2.0],
                Some(&[2.0, 1.0, 3.0]),
                65.422_842_723_373_11,
            ),
        ];
        for (ratings, weights, expected) in cases {
            let t = gas_t_score(ratings, weights, GAS_RHO).unwrap_or(f64::NAN);
            assert!(
                (t - expected).abs() < 1e-9,
                "{ratings:?} {weights:?}: {t} vs {expected}"
            );
        }
        assert_eq!(gas_t_score(&[], None, GAS_RHO), None);
        assert_eq!(gas_t_score(&[1.0], Some(&[0.0]), GAS_RHO), None);
        assert_eq!(gas_t_score(&[1.0, 2.0], Some(&[1.0]), GAS_RHO), None);
    }
}
