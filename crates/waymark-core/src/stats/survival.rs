//! Time to an event: the Kaplan–Meier survival curve, its median and restricted mean, and the
//! log-rank test that compares curves between care pathways.
//!
//! Waymark uses these for "time to first crisis" and "time to relapse": each person contributes
//! one [`Observation`], the time from the start of their episode to the event, or to the end of
//! their follow-up (censored) when the event has not happened.
//!
//! Inputs must be finite, non-negative times (NaN-free); every function returns `None` rather
//! than a number when that does not hold, so nothing here panics or returns NaN.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// Survival probabilities within this distance of 0.5 count as having reached 0.5: they are
/// products of ratios of counts, so exactly one half must not be lost to rounding.
const HALF_WITH_ROUNDING: f64 = 0.5 + 1e-12;

/// Pivots of the log-rank covariance matrix smaller than this fraction of its largest diagonal
/// are treated as zero (a group that adds no information), as in a generalised inverse.
const SINGULAR_PIVOT: f64 = 1e-10;

/// One person's time to the event (`event = true`) or to the end of their follow-up without it
/// (`event = false`, censored). Times are in any unit (Waymark passes days), finite and ≥ 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub time: f64,
    pub event: bool,
}

/// One row of the Kaplan–Meier table, at a time when someone had the event or was censored.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeierStep {
    pub time: f64,
    /// People still followed just before `time` (including those censored at `time`).
    pub n_at_risk: usize,
    pub n_events: usize,
    pub n_censored: usize,
    /// S(time): the estimated probability of no event up to and including `time`.
    pub survival: f64,
    /// Greenwood's variance of `survival`.
    pub greenwood_variance: f64,
    /// Pointwise confidence bounds for `survival` on the log(−log) scale.
    pub lower: f64,
    pub upper: f64,
}

/// The median time to the event and its confidence interval. `None` where the curve (or the
/// confidence band that gives the limit) never falls to one half during follow-up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MedianSurvival {
    pub time: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The Kaplan–Meier (product-limit) estimate of the survival curve.
///
/// # What it answers
/// What share of people have not yet had the event (crisis, relapse) by each time since the
/// start, allowing for people whose follow-up ended before it happened?
///
/// # Formula
/// At each distinct time t_i with n_i people at risk, d_i events and c_i censorings:
/// S(t) = Π_{t_i ≤ t} (1 − d_i/n_i).
/// Greenwood's variance: Var S(t) = S(t)² · Σ_{t_i ≤ t} d_i / (n_i (n_i − d_i)).
/// Confidence bounds on the log(−log) scale ("exponential Greenwood"): with v = ln S(t),
/// σ² = Σ d_i/(n_i(n_i − d_i)) and z the normal quantile for the confidence level,
/// bounds = exp(−exp(ln(−v) ∓ z·σ/v)), i.e. S^{exp(±z·σ/|v|)}; they stay within [0, 1].
///
/// The median is the smallest step time with S(t) ≤ 0.5. Its confidence interval inverts the
/// pointwise band: the lower limit is the first time the lower bound falls to ≤ 0.5 and the
/// upper limit the first time the upper bound does (lifelines' method: `median_survival_times`
/// of the confidence-interval frame; Brookmeyer & Crowley's test inversion on the log(−log)
/// scale).
///
/// # Remarks
/// Events come before censorings at the same time: a person censored at t is counted at risk
/// at t. Events at time 0 are allowed and lower S at 0. Where d_i = n_i (everyone left at risk
/// has the event) S falls to 0, the Greenwood term is taken as 0 and both bounds are 0;
/// before the first event S = 1 and both bounds are 1 (as lifelines reports). With no events
/// at all the curve stays at 1 and the median is `None`. A survival within 1e-12 of 0.5
/// counts as 0.5 when finding the median. Unlike R's `print.survfit`, a curve lying exactly at
/// 0.5 gives the start of that flat stretch as the median, not the midpoint to the next event.
/// `None` for no observations, a negative or non-finite time, or a confidence level outside
/// (0, 1).
///
/// # References
/// Kaplan & Meier (1958), JASA 53:457–481; Greenwood (1926), Reports on Public Health and
/// Medical Subjects 33; Kalbfleisch & Prentice (2002), *The Statistical Analysis of Failure
/// Time Data*, 2nd ed., §1.3 (log(−log) interval); Brookmeyer & Crowley (1982), Biometrics
/// 38:29–41. Checked against lifelines 0.30.3 `KaplanMeierFitter` (R survival's
/// `conf.type = "log-log"`) and statsmodels' `SurvfuncRight` for the Greenwood standard error
/// (tests/reference/survival_reference.py).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    pub n_observations: usize,
    pub n_events: usize,
    pub confidence_level: f64,
    pub steps: Vec<KaplanMeierStep>,
    pub median: MedianSurvival,
}

/// The area under the Kaplan–Meier curve up to `tau` and its standard error.
///
/// # What it answers
/// On average, how long did people go without the event during the first `tau` days? (The
/// restricted mean survival time, RMST: the mean of min(T, τ).)
///
/// # Formula
/// RMST(τ) = ∫₀^τ S(u) du, exact for the step function: Σ (t_{i+1} − t_i)·S(t_i) with t_0 = 0,
/// S(t_0) = 1 and the last interval ending at τ.
/// Var = Σ_{t_i ≤ τ} A_i² · d_i / (n_i (n_i − d_i)), where A_i = ∫_{t_i}^τ S(u) du (the
/// estimator's variance; terms with n_i = d_i are 0). The interval is RMST ± z·SE.
///
/// # Remarks
/// This is the variance of the *estimate* (survRM2's `rmst1`, Klein & Moeschberger), for
/// confidence intervals and comparing pathways. lifelines' `restricted_mean_survival_time(...,
/// return_variance=True)` returns a different quantity, the spread of min(T, τ) between people
/// (2∫₀^τ u S(u) du − RMST²). When τ is after the last observed time the curve is carried
/// forward flat, which assumes nothing changes after follow-up ends:
/// `tau_beyond_follow_up` flags it. `None` when τ is not finite or not positive.
///
/// # References
/// Royston & Parmar (2013), BMC Med Res Methodol 13:152; Klein & Moeschberger (2003), *Survival
/// Analysis*, 2nd ed., §4.5; Uno et al., R package survRM2 (`rmst1`). Checked against lifelines
/// 0.30.3 `restricted_mean_survival_time` (the area) and survrm2py 0.1.5 `exact_rmst1`, a
/// line-by-line translation of survRM2 (the variance).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestrictedMean {
    pub tau: f64,
    pub estimate: f64,
    pub variance: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub tau_beyond_follow_up: bool,
}

/// Fits the Kaplan–Meier curve; see [`KaplanMeier`] for the formula and edge cases.
/// `confidence_level` is e.g. 0.95.
pub fn kaplan_meier(observations: &[Observation], confidence_level: f64) -> Option<KaplanMeier> {
    if observations.is_empty() || !valid_times(observations) {
        return None;
    }
    let z = normal_quantile_for(confidence_level)?;
    let mut sorted = observations.to_vec();
    sorted.sort_by(|a, b| a.time.total_cmp(&b.time));

    let mut steps = Vec::new();
    let mut n_at_risk = sorted.len();
    let mut survival = 1.0;
    let mut greenwood_sum = 0.0;
    for tied in sorted.chunk_by(|a, b| a.time == b.time) {
        let n_events = tied.iter().filter(|o| o.event).count();
        let n_censored = tied.len() - n_events;
        let time = tied.first().map_or(0.0, |o| o.time);
        if n_events > 0 {
            let (n, d) = (n_at_risk as f64, n_events as f64);
            survival *= 1.0 - d / n;
            if n_events < n_at_risk {
                greenwood_sum += d / (n * (n - d));
            }
        }
        let (lower, upper) = log_log_bounds(survival, greenwood_sum, z);
        steps.push(KaplanMeierStep {
            time,
            n_at_risk,
            n_events,
            n_censored,
            survival,
            greenwood_variance: survival * survival * greenwood_sum,
            lower,
            upper,
        });
        n_at_risk -= tied.len();
    }
    let median = MedianSurvival {
        time: first_time_at_or_below_half(&steps, |s| s.survival),
        lower: first_time_at_or_below_half(&steps, |s| s.lower),
        upper: first_time_at_or_below_half(&steps, |s| s.upper),
    };
    Some(KaplanMeier {
        n_observations: sorted.len(),
        n_events: sorted.iter().filter(|o| o.event).count(),
        confidence_level,
        steps,
        median,
    })
}

impl KaplanMeier {
    /// S(t): the curve is a right-continuous step function, 1 before the first step.
    pub fn survival_at(&self, time: f64) -> f64 {
        self.steps
            .iter()
            .take_while(|s| s.time <= time)
            .last()
            .map_or(1.0, |s| s.survival)
    }

    /// The restricted mean survival time up to `tau`; see [`RestrictedMean`].
    pub fn restricted_mean(&self, tau: f64) -> Option<RestrictedMean> {
        if !tau.is_finite() || tau <= 0.0 {
            return None;
        }
        let within: Vec<&KaplanMeierStep> =
            self.steps.iter().take_while(|s| s.time <= tau).collect();
        // Area of each flat stretch after step i, up to the next step or tau.
        let stretch_areas: Vec<f64> = within
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let end = within.get(i + 1).map_or(tau, |next| next.time);
                (end - step.time) * step.survival
            })
            .collect();
        let before_first = within.first().map_or(tau, |s| s.time);
        let estimate = before_first + stretch_areas.iter().sum::<f64>();

        let mut variance = 0.0;
        let mut area_after = 0.0;
        for (step, stretch) in within.iter().zip(&stretch_areas).rev() {
            area_after += stretch;
            if step.n_events > 0 && step.n_events < step.n_at_risk {
                let (n, d) = (step.n_at_risk as f64, step.n_events as f64);
                variance += area_after * area_after * d / (n * (n - d));
            }
        }
        let standard_error = variance.sqrt();
        let z = normal_quantile_for(self.confidence_level)?;
        let last_time = self.steps.last().map_or(0.0, |s| s.time);
        Some(RestrictedMean {
            tau,
            estimate,
            variance,
            standard_error,
            lower: estimate - z * standard_error,
            upper: estimate + z * standard_error,
            tau_beyond_follow_up: tau > last_time,
        })
    }
}

/// One group's part in a log-rank test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRankGroup {
    pub n_observations: usize,
    pub observed_events: usize,
    /// Events expected if every group shared the pooled hazard: Σ d_i · n_ij / n_i.
    pub expected_events: f64,
}

/// The log-rank test that two or more survival curves are the same.
///
/// # What it answers
/// Do people on different pathways have the event (crisis, relapse) at different rates over
/// follow-up, beyond what chance would give if the pathways made no difference?
///
/// # Formula
/// At each event time t_i, with n_i at risk (n_ij in group j) and d_i events (d_ij in group j):
/// E_j = Σ_i d_i n_ij / n_i, O_j = Σ_i d_ij, and the hypergeometric covariance
/// V_jl = Σ_i d_i (n_i − d_i)/(n_i² (n_i − 1)) · n_ij (n_i δ_jl − n_il).
/// χ² = (O − E)ᵀ V⁻ (O − E) over all groups but the last, with degrees of freedom the rank of
/// that matrix (groups − 1 in every ordinary case); p = P(χ²_df ≥ χ²).
///
/// # Remarks
/// Unweighted (Mantel–Haenszel) log-rank; for two groups χ² = (O₁ − E₁)²/V₁₁. Events come
/// before censorings at tied times. Empty groups are listed with zero counts and left out of
/// the test (lifelines never sees them either). A group that is never at risk alongside
/// another group at an event time carries no information: lifelines still counts it in the
/// degrees of freedom; Waymark uses the rank of V (a generalised inverse, as R's `coxph.wtest`
/// does), so the statistic agrees and the degrees of freedom are lower. `None` when fewer than
/// two groups have observations, there are no events, no two groups were ever at risk together
/// at an event time, or a time is negative or not finite.
///
/// # References
/// Mantel (1966), Cancer Chemother Rep 50:163–170; Peto & Peto (1972), JRSS A 135:185–207;
/// Kalbfleisch & Prentice (2002) §7.2. Checked against lifelines 0.30.3
/// `multivariate_logrank_test` and `logrank_test`, and statsmodels' `survdiff`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    pub chi_square: f64,
    pub degrees_of_freedom: usize,
    pub p_value: f64,
    pub groups: Vec<LogRankGroup>,
}

/// Runs the log-rank test across `groups` (each a slice of observations); see [`LogRank`].
pub fn log_rank<G: AsRef<[Observation]>>(groups: &[G]) -> Option<LogRank> {
    if !groups.iter().all(|g| valid_times(g.as_ref())) {
        return None;
    }
    let n_groups = groups.len();
    let mut pooled: Vec<(f64, bool, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(j, g)| g.as_ref().iter().map(move |o| (o.time, o.event, j)))
        .collect();
    pooled.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut at_risk: Vec<f64> = groups.iter().map(|g| g.as_ref().len() as f64).collect();
    let mut observed = vec![0usize; n_groups];
    let mut expected = vec![0.0; n_groups];
    let mut covariance = vec![vec![0.0; n_groups]; n_groups];
    for tied in pooled.chunk_by(|a, b| a.0 == b.0) {
        let n: f64 = at_risk.iter().sum();
        let d = tied.iter().filter(|o| o.1).count() as f64;
        if d > 0.0 {
            for (e, n_j) in expected.iter_mut().zip(&at_risk) {
                *e += d * n_j / n;
            }
            if n > 1.0 {
                let factor = d * (n - d) / (n * n * (n - 1.0));
                for (j, row) in covariance.iter_mut().enumerate() {
                    for (l, cell) in row.iter_mut().enumerate() {
                        let (n_j, n_l) = (at_risk[j], at_risk[l]);
                        let same = if j == l { n } else { 0.0 };
                        *cell += factor * n_j * (same - n_l);
                    }
                }
            }
        }
        for &(_, event, j) in tied {
            if let Some(count) = at_risk.get_mut(j) {
                *count -= 1.0;
            }
            if let (true, Some(o)) = (event, observed.get_mut(j)) {
                *o += 1;
            }
        }
    }

    let present: Vec<usize> = (0..n_groups)
        .filter(|&j| !groups[j].as_ref().is_empty())
        .collect();
    if present.len() < 2 || observed.iter().all(|&o| o == 0) {
        return None;
    }
    // The full matrix has rank at most groups − 1 (rows sum to zero): drop the last group.
    let compared = &present[..present.len() - 1];
    let difference: Vec<f64> = compared
        .iter()
        .map(|&j| observed[j] as f64 - expected[j])
        .collect();
    let matrix: Vec<Vec<f64>> = compared
        .iter()
        .map(|&j| compared.iter().map(|&l| covariance[j][l]).collect())
        .collect();
    let (chi_square, rank) = generalised_quadratic_form(&matrix, &difference);
    if rank == 0 {
        return None;
    }
    let chi_square = chi_square.max(0.0);
    let p_value = ChiSquared::new(rank as f64).ok()?.sf(chi_square);
    Some(LogRank {
        chi_square,
        degrees_of_freedom: rank,
        p_value,
        groups: groups
            .iter()
            .enumerate()
            .map(|(j, g)| LogRankGroup {
                n_observations: g.as_ref().len(),
                observed_events: observed[j],
                expected_events: expected[j],
            })
            .collect(),
    })
}

fn valid_times(observations: &[Observation]) -> bool {
    observations
        .iter()
        .all(|o| o.time.is_finite() && o.time >= 0.0)
}

/// z such that P(|Z| ≤ z) = confidence_level; `None` outside (0, 1).
fn normal_quantile_for(confidence_level: f64) -> Option<f64> {
    if !(confidence_level > 0.0 && confidence_level < 1.0) {
        return None;
    }
    Some(Normal::standard().inverse_cdf(1.0 - (1.0 - confidence_level) / 2.0))
}

/// Exponential Greenwood bounds, written as lifelines writes them so rounding agrees.
fn log_log_bounds(survival: f64, greenwood_sum: f64, z: f64) -> (f64, f64) {
    if survival >= 1.0 {
        return (1.0, 1.0);
    }
    if survival <= 0.0 {
        return (0.0, 0.0);
    }
    let v = survival.ln();
    let spread = z * greenwood_sum.sqrt() / v;
    let lower = (-((-v).ln() - spread).exp()).exp();
    let upper = (-((-v).ln() + spread).exp()).exp();
    (lower, upper)
}

fn first_time_at_or_below_half(
    steps: &[KaplanMeierStep],
    value: impl Fn(&KaplanMeierStep) -> f64,
) -> Option<f64> {
    steps
        .iter()
        .find(|s| value(s) <= HALF_WITH_ROUNDING)
        .map(|s| s.time)
}

/// zᵀ A⁻ z and the rank of a symmetric positive semi-definite matrix A, from an LDLᵀ
/// factorisation that skips (near-)zero pivots. Any generalised inverse gives the same value
/// when z lies in A's column space, as the log-rank's observed − expected always does.
fn generalised_quadratic_form(matrix: &[Vec<f64>], vector: &[f64]) -> (f64, usize) {
    let size = vector.len();
    let largest_diagonal = (0..size).map(|i| matrix[i][i]).fold(0.0, f64::max);
    if largest_diagonal <= 0.0 {
        return (0.0, 0);
    }
    let mut lower = vec![vec![0.0; size]; size];
    let mut pivots = vec![0.0; size];
    for j in 0..size {
        let pivot = matrix[j][j]
            - (0..j)
                .map(|k| lower[j][k] * lower[j][k] * pivots[k])
                .sum::<f64>();
        if pivot <= SINGULAR_PIVOT * largest_diagonal {
            continue;
        }
        pivots[j] = pivot;
        lower[j][j] = 1.0;
        for i in (j + 1)..size {
            let dot: f64 = (0..j).map(|k| lower[i][k] * lower[j][k] * pivots[k]).sum();
            lower[i][j] = (matrix[i][j] - dot) / pivot;
        }
    }
    // Solve L w = z forward; skipped pivots leave their component out.
    let mut solved = vec![0.0; size];
    let mut form = 0.0;
    let mut rank = 0;
    for i in 0..size {
        let w = vector[i] - (0..i).map(|k| lower[i][k] * solved[k]).sum::<f64>();
        if pivots[i] > 0.0 {
            solved[i] = w;
            form += w * w / pivots[i];
            rank += 1;
        }
    }
    (form, rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observations(data: &[(f64, bool)]) -> Vec<Observation> {
        data.iter()
            .map(|&(time, event)| Observation { time, event })
            .collect()
    }

    #[test]
    fn invalid_inputs_give_none() {
        let ok = observations(&[(1.0, true), (2.0, false)]);
        assert!(kaplan_meier(&[], 0.95).is_none());
        assert!(kaplan_meier(&ok, 1.0).is_none());
        assert!(kaplan_meier(&ok, f64::NAN).is_none());
        assert!(kaplan_meier(&observations(&[(f64::NAN, true)]), 0.95).is_none());
        assert!(kaplan_meier(&observations(&[(-1.0, true)]), 0.95).is_none());
        let fit = kaplan_meier(&ok, 0.95).unwrap();
        assert!(fit.restricted_mean(0.0).is_none());
        assert!(fit.restricted_mean(f64::INFINITY).is_none());
    }

    #[test]
    fn all_censored_stays_at_one() {
        let fit = kaplan_meier(&observations(&[(3.0, false), (5.0, false)]), 0.95).unwrap();
        assert!(fit
            .steps
            .iter()
            .all(|s| s.survival == 1.0 && s.lower == 1.0));
        assert_eq!(fit.median.time, None);
        let rmst = fit.restricted_mean(10.0).unwrap();
        assert_eq!((rmst.estimate, rmst.variance), (10.0, 0.0));
        assert!(rmst.tau_beyond_follow_up);
        assert_eq!(fit.survival_at(2.0), 1.0);
    }

    #[test]
    fn ldl_handles_a_zero_row() {
        let matrix = vec![vec![0.0, 0.0], vec![0.0, 2.0]];
        let (form, rank) = generalised_quadratic_form(&matrix, &[0.0, 2.0]);
        assert_eq!(rank, 1);
        assert!((form - 2.0).abs() < 1e-12);
    }
}
