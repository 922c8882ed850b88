//! Confidence intervals and effect sizes: proportions (Wilson), differences of proportions
//! (Newcombe), means and paired differences (Student t), standardised effect sizes, Poisson
//! rates (Garwood) and rate ratios (Wald on the log scale, exact conditional).
//!
//! Every result names its method, so a report can say exactly which interval it shows. Inputs
//! that leave a statistic undefined (no people, zero exposure, a zero standard deviation where
//! one is divided by) give `None`, never NaN or infinity.

use super::quantile::{beta_quantile, chi_square_quantile, normal_critical, t_critical};
use serde::{Deserialize, Serialize};

/// A two-sided confidence level strictly between 0 and 1; 95% by default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Confidence(f64);

impl Confidence {
    pub const NINETY_FIVE: Confidence = Confidence(0.95);

    /// `None` unless 0 < level < 1 (0.95 means 95%).
    pub fn new(level: f64) -> Option<Confidence> {
        (level > 0.0 && level < 1.0).then_some(Confidence(level))
    }

    pub fn level(self) -> f64 {
        self.0
    }

    /// The tail probability α = 1 − level, split equally between the two tails.
    fn alpha(self) -> f64 {
        1.0 - self.0
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence::NINETY_FIVE
    }
}

/// Which interval a result carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Wilson (1927) score interval for one proportion.
    Wilson,
    /// Newcombe (1998) hybrid score interval (his method 10) for a difference of proportions.
    NewcombeHybridScore,
    /// mean ± t_{n−1} × SD/√n.
    StudentT,
    /// Wald interval on the log rate ratio, variance 1/x₁ + 1/x₂.
    WaldLog,
    /// Exact interval conditional on the total count (Clopper–Pearson on x₁ | x₁ + x₂).
    ExactConditional,
    /// Garwood (1936) exact central interval for a Poisson count, from chi-square quantiles.
    ExactPoissonGarwood,
}

// ---------------------------------------------------------------------------------------------
// Proportions

/// A proportion x/n with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProportionInterval {
    pub successes: u64,
    pub trials: u64,
    pub proportion: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// The Wilson score interval for a proportion.
///
/// # What it answers
/// Which true proportions are compatible with seeing `successes` out of `trials`?
///
/// # Formula
/// p̂ = x/n, z = Φ⁻¹(1 − α/2).
/// centre = (p̂ + z²/(2n)) / (1 + z²/n);
/// half-width = z·√(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n); interval = centre ± half-width.
///
/// # Remarks
/// Stays inside [0, 1] and behaves well for x = 0, x = n and small n, unlike the Wald interval.
/// At x = 0 the lower limit is exactly 0 and at x = n the upper limit is exactly 1.
/// `None` when `trials` is 0 or `successes > trials`.
///
/// # References
/// Wilson (1927), JASA 22:209–212; Newcombe (1998), Stat Med 17:857–872 (method 3).
/// Checked against statsmodels `proportion_confint(method="wilson")`.
pub fn wilson_interval(
    successes: u64,
    trials: u64,
    confidence: Confidence,
) -> Option<ProportionInterval> {
    let (lower, upper) = wilson_limits(successes, trials, confidence)?;
    Some(ProportionInterval {
        successes,
        trials,
        proportion: successes as f64 / trials as f64,
        lower,
        upper,
        confidence,
        method: IntervalMethod::Wilson,
    })
}

fn wilson_limits(successes: u64, trials: u64, confidence: Confidence) -> Option<(f64, f64)> {
    if trials == 0 || successes > trials {
        return None;
    }
    let z = normal_critical(confidence.level())?;
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At the boundaries the formula gives 0 and 1 exactly in real arithmetic.
    let lower = if successes == 0 {
        0.0
    } else {
        (centre - half_width).max(0.0)
    };
    let upper = if successes == trials {
        1.0
    } else {
        (centre + half_width).min(1.0)
    };
    Some((lower, upper))
}

/// A difference of two independent proportions, p₁ − p₂, with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProportionDifference {
    pub successes1: u64,
    pub trials1: u64,
    pub successes2: u64,
    pub trials2: u64,
    pub proportion1: f64,
    pub proportion2: f64,
    pub difference: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// Newcombe's hybrid score interval for the difference of two independent proportions.
///
/// # What it answers
/// How different are two groups' proportions (say, recovery rates in two teams), allowing for
/// chance in both?
///
/// # Formula
/// With Wilson limits (l₁, u₁) for p₁ and (l₂, u₂) for p₂ at the same confidence, and
/// d = p̂₁ − p̂₂:
/// lower = d − √((p̂₁ − l₁)² + (u₂ − p̂₂)²); upper = d + √((u₁ − p̂₁)² + (p̂₂ − l₂)²).
///
/// # Remarks
/// Good coverage for small samples and for proportions of 0 or 1, where the Wald interval fails.
/// No continuity correction. `None` when either group has no trials or more successes than
/// trials.
///
/// # References
/// Newcombe (1998), Stat Med 17:873–890, method 10. Checked against statsmodels
/// `confint_proportions_2indep(compare="diff", method="newcomb")`.
pub fn newcombe_difference_interval(
    successes1: u64,
    trials1: u64,
    successes2: u64,
    trials2: u64,
    confidence: Confidence,
) -> Option<ProportionDifference> {
    let (lower1, upper1) = wilson_limits(successes1, trials1, confidence)?;
    let (lower2, upper2) = wilson_limits(successes2, trials2, confidence)?;
    let p1 = successes1 as f64 / trials1 as f64;
    let p2 = successes2 as f64 / trials2 as f64;
    let difference = p1 - p2;
    let below = ((p1 - lower1).powi(2) + (upper2 - p2).powi(2)).sqrt();
    let above = ((upper1 - p1).powi(2) + (p2 - lower2).powi(2)).sqrt();
    Some(ProportionDifference {
        successes1,
        trials1,
        successes2,
        trials2,
        proportion1: p1,
        proportion2: p2,
        difference,
        lower: difference - below,
        upper: difference + above,
        confidence,
        method: IntervalMethod::NewcombeHybridScore,
    })
}

// ---------------------------------------------------------------------------------------------
// Means

/// A mean with its t-based confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanInterval {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (divisor n − 1).
    pub sd: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// The mean of a set of scores with a Student t confidence interval.
///
/// # What it answers
/// Where does the average score of the population these people come from plausibly lie?
///
/// # Formula
/// x̄ = Σx/n; s = √(Σ(x − x̄)²/(n − 1)); SE = s/√n; x̄ ± t_{1−α/2, n−1}·SE.
///
/// # Remarks
/// Needs n ≥ 2 and finite values (`None` otherwise). When every value is equal, s = 0 and the
/// interval collapses to the mean. Assumes roughly normal scores or a moderately large n.
///
/// # References
/// Student (1908), Biometrika 6:1–25. Checked against `scipy.stats.t.interval` with
/// `scipy.stats.sem`.
pub fn mean_interval(values: &[f64], confidence: Confidence) -> Option<MeanInterval> {
    let (n, mean, sd) = mean_and_sd(values)?;
    let standard_error = sd / (n as f64).sqrt();
    let t = t_critical(n as f64 - 1.0, confidence.level())?;
    Some(MeanInterval {
        n,
        mean,
        sd,
        standard_error,
        lower: mean - t * standard_error,
        upper: mean + t * standard_error,
        confidence,
        method: IntervalMethod::StudentT,
    })
}

/// The mean change between paired scores (after − before) with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    pub n_pairs: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    /// Mean of (after − before).
    pub mean_difference: f64,
    /// Sample standard deviation of the differences (divisor n − 1).
    pub sd_difference: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// The paired mean difference with a Student t confidence interval (the paired t interval).
///
/// # What it answers
/// By how much did scores change on average between the two assessments?
///
/// # Formula
/// dᵢ = afterᵢ − beforeᵢ; d̄ ± t_{1−α/2, n−1}·s_d/√n.
///
/// # Remarks
/// The change is after − before: for a lower-is-better measure a negative mean is improvement.
/// `None` when the two slices differ in length, fewer than 2 pairs, or a value is not finite.
///
/// # References
/// Student (1908). Checked against `scipy.stats.t.interval` on the differences and
/// `scipy.stats.ttest_rel(...).confidence_interval()`.
pub fn paired_difference_interval(
    before: &[f64],
    after: &[f64],
    confidence: Confidence,
) -> Option<PairedDifference> {
    let differences = paired_differences(before, after)?;
    let interval = mean_interval(&differences, confidence)?;
    let (_, mean_before, _) = mean_and_sd(before)?;
    let (_, mean_after, _) = mean_and_sd(after)?;
    Some(PairedDifference {
        n_pairs: interval.n,
        mean_before,
        mean_after,
        mean_difference: interval.mean,
        sd_difference: interval.sd,
        standard_error: interval.standard_error,
        lower: interval.lower,
        upper: interval.upper,
        confidence,
        method: IntervalMethod::StudentT,
    })
}

// ---------------------------------------------------------------------------------------------
// Effect sizes

/// Which standardised effect size a value is: they are not interchangeable, so a report must
/// always say which one it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectSizeKind {
    /// Paired: mean of the differences / SD of the differences (Cohen's d_z).
    PairedDz,
    /// Pre/post: mean change / SD of the baseline scores (the IAPT-style pre-post effect size).
    PrePostBaselineSd,
    /// Two independent groups: difference in means / pooled SD.
    CohensDPooled,
    /// Cohen's d with the small-sample bias correction of Hedges.
    HedgesG,
}

/// A standardised effect size: `mean_difference / standardiser`, times a bias correction for
/// Hedges' g.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectSize {
    pub kind: EffectSizeKind,
    pub value: f64,
    /// Paired: after − before; two groups: mean of group 1 − mean of group 2.
    pub mean_difference: f64,
    /// The standard deviation divided by.
    pub standardiser: f64,
    /// Pairs for the paired kinds; both groups together for the two-group kinds.
    pub n_people: usize,
}

/// Cohen's d_z for paired scores.
///
/// # What it answers
/// How large is the average change relative to how much the changes vary between people?
///
/// # Formula
/// d_z = d̄ / s_d with dᵢ = afterᵢ − beforeᵢ and s_d the SD of the differences (n − 1).
/// Equals the paired t statistic divided by √n.
///
/// # Remarks
/// Depends on the correlation between the two assessments, so it is usually larger than a
/// d computed with the baseline SD; do not compare it with between-group d values.
/// `None` for fewer than 2 pairs, unequal lengths, non-finite values or s_d = 0.
///
/// # References
/// Cohen (1988), *Statistical Power Analysis*, 2nd ed., §2.3; Lakens (2013), Front Psychol
/// 4:863, equation 6. Checked against scipy (mean and `std(ddof=1)` of the differences) and
/// the paired t statistic from `scipy.stats.ttest_rel`.
pub fn paired_d_z(before: &[f64], after: &[f64]) -> Option<EffectSize> {
    let differences = paired_differences(before, after)?;
    let (n, mean_difference, sd_difference) = mean_and_sd(&differences)?;
    standardised(EffectSizeKind::PairedDz, mean_difference, sd_difference, n)
}

/// The pre/post effect size standardised by the baseline SD.
///
/// # What it answers
/// How large is the average change relative to how much people differed at baseline? This is
/// the "pre-post effect size" used in NHS Talking Therapies (IAPT) benchmarking.
///
/// # Formula
/// ES = (mean(after) − mean(before)) / s_before, with s_before the sample SD (n − 1) of the
/// baseline scores of the same people.
///
/// # Remarks
/// Not the same as d_z (which divides by the SD of the changes). A baseline SD shrunk by
/// selection (everyone referred above a cut-off) inflates it. `None` for fewer than 2 pairs,
/// unequal lengths, non-finite values or s_before = 0.
///
/// # References
/// Becker (1988), Br J Math Stat Psychol 41:257–278 (standardised mean change, uncorrected);
/// Lakens (2013); Gyani et al. (2013), Behav Res Ther 51:597–606. Checked against numpy.
pub fn baseline_sd_effect_size(before: &[f64], after: &[f64]) -> Option<EffectSize> {
    paired_differences(before, after)?;
    let (n, mean_before, sd_before) = mean_and_sd(before)?;
    let (_, mean_after, _) = mean_and_sd(after)?;
    standardised(
        EffectSizeKind::PrePostBaselineSd,
        mean_after - mean_before,
        sd_before,
        n,
    )
}

/// Cohen's d for two independent groups with the pooled SD.
///
/// # What it answers
/// How far apart are two groups' means, in units of their common spread?
///
/// # Formula
/// s_p = √(((n₁ − 1)s₁² + (n₂ − 1)s₂²)/(n₁ + n₂ − 2)); d = (x̄₁ − x̄₂)/s_p.
///
/// # Remarks
/// Slightly overestimates the population effect in small samples (see Hedges' g). Each group
/// needs at least 2 finite values; `None` when s_p = 0.
///
/// # References
/// Cohen (1988), §2.5; Hedges & Olkin (1985), *Statistical Methods for Meta-Analysis*, ch. 5.
/// Checked against statsmodels `effectsize_smd` (before its bias correction).
pub fn cohens_d(group1: &[f64], group2: &[f64]) -> Option<EffectSize> {
    let (n1, mean1, sd1, n2, mean2, sd2) = two_group_summaries(group1, group2)?;
    let pooled_sd = pooled_sd(n1, sd1, n2, sd2);
    standardised(
        EffectSizeKind::CohensDPooled,
        mean1 - mean2,
        pooled_sd,
        n1 + n2,
    )
}

/// Hedges' g: Cohen's d with the small-sample bias correction.
///
/// # Formula
/// g = J·d with J = 1 − 3/(4(n₁ + n₂) − 9) = 1 − 3/(4·df − 1), df = n₁ + n₂ − 2.
///
/// # Remarks
/// J is Hedges' approximation to the exact Γ-function factor; the two differ by less than
/// 0.1% of g once n₁ + n₂ ≥ 10. Same `None` cases as [`cohens_d`].
///
/// # References
/// Hedges (1981), J Educ Stat 6:107–128; Borenstein et al. (2009), *Introduction to
/// Meta-Analysis*, equation 4.22. Checked against statsmodels `effectsize_smd`.
pub fn hedges_g(group1: &[f64], group2: &[f64]) -> Option<EffectSize> {
    let d = cohens_d(group1, group2)?;
    let correction = 1.0 - 3.0 / (4.0 * d.n_people as f64 - 9.0);
    Some(EffectSize {
        kind: EffectSizeKind::HedgesG,
        value: d.value * correction,
        ..d
    })
}

fn standardised(
    kind: EffectSizeKind,
    mean_difference: f64,
    standardiser: f64,
    n_people: usize,
) -> Option<EffectSize> {
    (standardiser > 0.0).then(|| EffectSize {
        kind,
        value: mean_difference / standardiser,
        mean_difference,
        standardiser,
        n_people,
    })
}

fn pooled_sd(n1: usize, sd1: f64, n2: usize, sd2: f64) -> f64 {
    let (n1, n2) = (n1 as f64, n2 as f64);
    (((n1 - 1.0) * sd1 * sd1 + (n2 - 1.0) * sd2 * sd2) / (n1 + n2 - 2.0)).sqrt()
}

fn two_group_summaries(
    group1: &[f64],
    group2: &[f64],
) -> Option<(usize, f64, f64, usize, f64, f64)> {
    let (n1, mean1, sd1) = mean_and_sd(group1)?;
    let (n2, mean2, sd2) = mean_and_sd(group2)?;
    Some((n1, mean1, sd1, n2, mean2, sd2))
}

/// n, mean and sample SD (divisor n − 1); `None` for fewer than 2 or non-finite values.
fn mean_and_sd(values: &[f64]) -> Option<(usize, f64, f64)> {
    let n = values.len();
    if n < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    // Two passes: subtracting the mean first keeps the sum of squares accurate.
    let sum_squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = (sum_squares / (n as f64 - 1.0)).sqrt();
    (mean.is_finite() && sd.is_finite()).then_some((n, mean, sd))
}

fn paired_differences(before: &[f64], after: &[f64]) -> Option<Vec<f64>> {
    (before.len() == after.len()).then(|| after.iter().zip(before).map(|(a, b)| a - b).collect())
}

// ---------------------------------------------------------------------------------------------
// Poisson rates

/// A Poisson rate, events per `per` units of exposure, with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoissonRate {
    pub events: u64,
    pub exposure: f64,
    /// The rate is expressed per this much exposure (100 for "per 100 person-months").
    pub per: f64,
    pub rate: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// The Garwood exact confidence interval for a Poisson rate.
///
/// # What it answers
/// What underlying event rate (say, crisis contacts per 100 person-months) is compatible with
/// the events seen over this much exposure?
///
/// # Formula
/// For x events over exposure T, with χ²_q(k) the q-quantile of chi-square with k degrees of
/// freedom: lower count = χ²_{α/2}(2x)/2 (0 when x = 0), upper count = χ²_{1−α/2}(2x + 2)/2.
/// Rate and limits are the counts × per / T.
///
/// # Remarks
/// Central and conservative: each tail has probability at most α/2. Assumes events occur
/// independently at a constant rate; repeat events by the same person (overdispersion) make
/// the interval too narrow. `None` when exposure or `per` is not positive and finite.
///
/// # References
/// Garwood (1936), Biometrika 28:437–442; Ulm (1990), Am J Epidemiol 131:373–375. Checked
/// against statsmodels `confint_poisson(method="exact-c")` and `scipy.stats.chi2.ppf`.
pub fn poisson_rate(
    events: u64,
    exposure: f64,
    per: f64,
    confidence: Confidence,
) -> Option<PoissonRate> {
    if !(exposure > 0.0 && exposure.is_finite() && per > 0.0 && per.is_finite()) {
        return None;
    }
    let (lower_count, upper_count) = garwood_count_limits(events, confidence)?;
    let scale = per / exposure;
    Some(PoissonRate {
        events,
        exposure,
        per,
        rate: events as f64 * scale,
        lower: lower_count * scale,
        upper: upper_count * scale,
        confidence,
        method: IntervalMethod::ExactPoissonGarwood,
    })
}

/// [`poisson_rate`] per 100 person-months, the unit Waymark reports event rates in.
pub fn poisson_rate_per_100_person_months(
    events: u64,
    person_months: f64,
    confidence: Confidence,
) -> Option<PoissonRate> {
    poisson_rate(events, person_months, 100.0, confidence)
}

/// Garwood's exact limits for a Poisson mean given an observed count.
pub(crate) fn garwood_count_limits(events: u64, confidence: Confidence) -> Option<(f64, f64)> {
    let half_alpha = confidence.alpha() / 2.0;
    let x = events as f64;
    let lower = if events == 0 {
        0.0
    } else {
        chi_square_quantile(2.0 * x, half_alpha)? / 2.0
    };
    let upper = chi_square_quantile(2.0 * x + 2.0, 1.0 - half_alpha)? / 2.0;
    Some((lower, upper))
}

/// How the confidence interval of a rate ratio is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateRatioMethod {
    /// Wald interval on the log scale (statsmodels "wald-log").
    WaldLog,
    /// Exact interval conditional on the total number of events.
    ExactConditional,
}

/// The ratio of two Poisson rates (group 1 / group 2) with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateRatio {
    pub events1: u64,
    pub exposure1: f64,
    pub events2: u64,
    pub exposure2: f64,
    /// Events per unit of exposure (not per 100).
    pub rate1: f64,
    pub rate2: f64,
    pub ratio: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: Confidence,
    pub method: IntervalMethod,
}

/// The ratio of two independent Poisson rates, (x₁/T₁)/(x₂/T₂), with a confidence interval.
///
/// # What it answers
/// How many times higher (or lower) is the event rate in group 1 than in group 2 — for example
/// A&E attendances per person-month after versus before joining the service?
///
/// # Formula
/// RR = (x₁/T₁)/(x₂/T₂).
/// * Wald on the log scale: RR·exp(∓z·√(1/x₁ + 1/x₂)), z = Φ⁻¹(1 − α/2).
/// * Exact conditional: given N = x₁ + x₂, x₁ ~ Bin(N, π) with π = T₁RR/(T₁RR + T₂). The
///   Clopper–Pearson limits for π, π_L = B⁻¹(α/2; x₁, N − x₁ + 1) and
///   π_U = B⁻¹(1 − α/2; x₁ + 1, N − x₁), map back to RR = π/(1 − π)·T₂/T₁.
///
/// # Remarks
/// `None` when x₂ = 0 (the ratio is infinite; report the two rates instead) or an exposure is
/// not positive and finite. The Wald interval also needs x₁ > 0; the exact interval gives a
/// lower limit of 0 when x₁ = 0. The exact interval is conservative; the Wald interval can be
/// too narrow for small counts. Both assume Poisson variation (no overdispersion) and
/// independent groups — before/after periods of the same people are not independent, so the
/// interval is then only approximate.
///
/// # References
/// Wald-log: Rothman, Greenland & Lash (2008), *Modern Epidemiology*, 3rd ed., ch. 14;
/// statsmodels `confint_poisson_2indep(method="wald-log")`, which it is checked against.
/// Exact conditional: Ederer & Mantel (1974), Am J Epidemiol 100:165–167; the interval of R's
/// `poisson.test`; checked against scipy `binomtest(...).proportion_ci("exact")` and statsmodels
/// `proportion_confint(method="beta")` transformed.
pub fn rate_ratio(
    events1: u64,
    exposure1: f64,
    events2: u64,
    exposure2: f64,
    method: RateRatioMethod,
    confidence: Confidence,
) -> Option<RateRatio> {
    let valid_exposure = |t: f64| t > 0.0 && t.is_finite();
    if !valid_exposure(exposure1) || !valid_exposure(exposure2) || events2 == 0 {
        return None;
    }
    let rate1 = events1 as f64 / exposure1;
    let rate2 = events2 as f64 / exposure2;
    let ratio = rate1 / rate2;
    let half_alpha = confidence.alpha() / 2.0;
    let (lower, upper, interval_method) = match method {
        RateRatioMethod::WaldLog => {
            if events1 == 0 {
                return None;
            }
            let z = normal_critical(confidence.level())?;
            let se_log = (1.0 / events1 as f64 + 1.0 / events2 as f64).sqrt();
            (
                ratio * (-z * se_log).exp(),
                ratio * (z * se_log).exp(),
                IntervalMethod::WaldLog,
            )
        }
        RateRatioMethod::ExactConditional => {
            let total = (events1 + events2) as f64;
            let x1 = events1 as f64;
            let exposure_ratio = exposure2 / exposure1;
            let to_ratio = |share: f64| share / (1.0 - share) * exposure_ratio;
            let lower = if events1 == 0 {
                0.0
            } else {
                to_ratio(beta_quantile(x1, total - x1 + 1.0, half_alpha)?)
            };
            // events2 > 0, so the upper share is below 1 and the limit is finite.
            let upper = to_ratio(beta_quantile(x1 + 1.0, total - x1, 1.0 - half_alpha)?);
            (lower, upper, IntervalMethod::ExactConditional)
        }
    };
    (lower.is_finite() && upper.is_finite()).then_some(RateRatio {
        events1,
        exposure1,
        events2,
        exposure2,
        rate1,
        rate2,
        ratio,
        lower,
        upper,
        confidence,
        method: interval_method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_inputs_give_none() {
        let c = Confidence::default();
        assert!(Confidence::new(1.0).is_none());
        assert!(Confidence::new(0.0).is_none());
        assert!(wilson_interval(1, 0, c).is_none());
        assert!(wilson_interval(3, 2, c).is_none());
        assert!(mean_interval(&[1.0], c).is_none());
        assert!(mean_interval(&[1.0, f64::NAN], c).is_none());
        assert!(paired_difference_interval(&[1.0, 2.0], &[1.0], c).is_none());
        assert!(paired_d_z(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]).is_none()); // SD of changes 0
        assert!(cohens_d(&[1.0, 1.0], &[1.0, 1.0]).is_none());
        assert!(poisson_rate(3, 0.0, 100.0, c).is_none());
        assert!(rate_ratio(3, 10.0, 0, 10.0, RateRatioMethod::ExactConditional, c).is_none());
        assert!(rate_ratio(0, 10.0, 4, 10.0, RateRatioMethod::WaldLog, c).is_none());
    }

    #[test]
    fn wider_confidence_gives_wider_intervals() {
        let c90 = Confidence::new(0.90).unwrap();
        let c99 = Confidence::new(0.99).unwrap();
        let narrow = wilson_interval(7, 20, c90).unwrap();
        let wide = wilson_interval(7, 20, c99).unwrap();
        assert!(wide.lower < narrow.lower && wide.upper > narrow.upper);
        let narrow = rate_ratio(6, 40.0, 9, 35.0, RateRatioMethod::ExactConditional, c90).unwrap();
        let wide = rate_ratio(6, 40.0, 9, 35.0, RateRatioMethod::ExactConditional, c99).unwrap();
        assert!(wide.lower < narrow.lower && wide.upper > narrow.upper);
    }
}
