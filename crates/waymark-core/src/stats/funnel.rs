//! Funnel plots for comparing units (teams, sites, practitioners) on a proportion or an
//! indirectly standardised ratio, after Spiegelhalter (2005).
//!
//! Each unit's value is plotted against its size (number of people, or expected events) with
//! control limits around a target that narrow as the size grows. A unit outside the 95% limits
//! is worth a look; outside the 99.8% limits, a closer one. Which units fall outside depends on
//! the method (normal or exact limits, the scale of the z-scores, the overdispersion
//! adjustment), so every funnel carries a plain description of its method.
//!
//! # References
//! Spiegelhalter (2005a), "Funnel plots for comparing institutional performance", Stat Med
//! 24:1185–1202 (limits, Appendix A exact limits with interpolation, §5 overdispersion);
//! Spiegelhalter (2005b), "Handling over-dispersion of performance indicators", Qual Saf
//! Health Care 14:347–351 (winsorised z-scores, additive random effects, transformations);
//! FunnelPlotR (NHS-R Community), whose transformed scales and τ² estimator this follows.

use super::quantile::{binomial_cdf, chi_square_quantile, normal_quantile, poisson_cdf};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::checked_gamma_ur;
use std::f64::consts::FRAC_PI_2;

/// The two limit bands Spiegelhalter recommends: two-sided 95% and 99.8%.
const INNER_TAIL: f64 = 0.025;
const OUTER_TAIL: f64 = 0.001;

/// What kind of indicator the funnel compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelIndicator {
    /// events / people, e.g. the proportion of people who recovered. Denominator: people.
    Proportion,
    /// observed / expected events, e.g. admissions against a casemix-expected count.
    /// Denominator: expected events (for a rate against a standard: standard rate × exposure).
    StandardisedRatio,
}

/// The centre line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelTarget {
    /// Σ numerators / Σ denominators over the units shown.
    Pooled,
    /// A value from outside the data: a national rate, a standard, or 1 for a ratio.
    External(f64),
}

/// How the limits are computed when no overdispersion adjustment is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelLimitMethod {
    /// target ± z × standard error, on the scale chosen by [`FunnelScale`].
    NormalApproximation,
    /// Spiegelhalter's exact limits: quantiles of the binomial (proportions) or Poisson
    /// (ratios) distribution at the target, interpolated between whole counts.
    ExactInterpolated,
    /// Ratios only: Poisson limits from chi-square quantiles, as FunnelPlotR draws them.
    PoissonChiSquare,
}

/// The scale on which z-scores, overdispersion and normal limits are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelScale {
    /// The indicator itself: SE = √(θ₀(1 − θ₀)/n) for proportions, √(θ₀/E) for ratios
    /// (Spiegelhalter 2005a).
    Natural,
    /// Variance-stabilised: arcsine √p for proportions, √ratio for ratios, both with
    /// SE = 1/(2√denominator) (Spiegelhalter 2005b; FunnelPlotR "PR" and "SR"/"CQC").
    VarianceStabilised,
}

/// Whether and how limits are widened when units vary more than chance allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverdispersionAdjustment {
    None,
    /// Limits widened by √φ (applied only when φ > 1).
    Multiplicative,
    /// Between-unit variance τ² added to each unit's variance (applied only when τ² > 0).
    AdditiveRandomEffects,
}

/// Options for [`funnel_plot`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelOptions {
    pub indicator: FunnelIndicator,
    pub target: FunnelTarget,
    pub limit_method: FunnelLimitMethod,
    pub scale: FunnelScale,
    pub overdispersion: OverdispersionAdjustment,
    /// Fraction winsorised at each end before estimating φ (0.1 = 10th and 90th percentiles).
    pub winsor_fraction: f64,
}

impl FunnelOptions {
    /// Proportions: pooled target, exact interpolated binomial limits, natural scale, no
    /// adjustment.
    pub fn proportions() -> FunnelOptions {
        FunnelOptions {
            indicator: FunnelIndicator::Proportion,
            target: FunnelTarget::Pooled,
            limit_method: FunnelLimitMethod::ExactInterpolated,
            scale: FunnelScale::Natural,
            overdispersion: OverdispersionAdjustment::None,
            winsor_fraction: 0.1,
        }
    }

    /// Indirectly standardised ratios: target 1, chi-square Poisson limits, natural scale, no
    /// adjustment.
    pub fn standardised_ratios() -> FunnelOptions {
        FunnelOptions {
            indicator: FunnelIndicator::StandardisedRatio,
            target: FunnelTarget::External(1.0),
            limit_method: FunnelLimitMethod::PoissonChiSquare,
            ..FunnelOptions::proportions()
        }
    }
}

/// One unit's counts: for proportions `numerator` events out of `denominator` people (a whole
/// number); for ratios `numerator` observed events against `denominator` expected events.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelUnit {
    pub numerator: u64,
    pub denominator: f64,
}

/// The control limits at one denominator, on the indicator's own scale.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelLimits {
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

/// Where a unit's value falls relative to its limits (a value on a limit is inside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelBand {
    WithinLimits,
    /// Above the upper 95% limit but not the upper 99.8% limit.
    AboveUpper95,
    AboveUpper998,
    /// Below the lower 95% limit but not the lower 99.8% limit.
    BelowLower95,
    BelowLower998,
}

/// One unit on the funnel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelPoint {
    pub unit_idx: usize,
    pub numerator: u64,
    pub denominator: f64,
    /// The proportion or ratio.
    pub value: f64,
    /// (Y − θ₀)/SE on the chosen scale, before any overdispersion adjustment.
    pub z: f64,
    /// z after the adjustment (z/√φ or (Y − θ₀)/√(SE² + τ²)); `None` when none was applied.
    pub z_adjusted: Option<f64>,
    pub limits: FunnelLimits,
    pub band: FunnelBand,
}

/// A funnel plot: the target, the overdispersion estimates, every unit, and the method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    pub options: FunnelOptions,
    /// The centre line on the indicator's scale.
    pub target: f64,
    /// φ = mean of squared winsorised z-scores; `None` with fewer than 2 units.
    pub phi: Option<f64>,
    /// P(χ²_{I−1} > I·φ): small values suggest more spread than chance (approximate, since
    /// the z-scores were winsorised). `None` with fewer than 2 units.
    pub dispersion_p_value: Option<f64>,
    /// DerSimonian–Laird-style between-unit variance on the chosen scale; `None` with fewer
    /// than 2 units.
    pub tau2: Option<f64>,
    /// Whether the requested overdispersion adjustment widened the limits.
    pub adjustment_applied: bool,
    /// Plain description of the method, to print beside the chart.
    pub method: String,
    pub units: Vec<FunnelPoint>,
}

/// Why a funnel could not be drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelError {
    NoUnits,
    /// A unit's denominator is not positive and finite, or (proportions) not a whole number
    /// at least as large as the numerator.
    InvalidUnit {
        unit_idx: usize,
        reason: std::borrow::Cow<'static, str>,
    },
    /// The target is outside (0, 1) for proportions or not positive for ratios — e.g. a pooled
    /// target of 0 because no unit had any events — so no unit can be judged against it.
    DegenerateTarget {
        target: f64,
    },
    /// The winsorising fraction must be in [0, 0.5).
    InvalidWinsorFraction,
    /// Chi-square Poisson limits apply to ratios, not proportions.
    LimitMethodNotForProportions,
}

/// Plain words for the report's note ("No funnel plot: …"), so the note never depends on the
/// variants' Rust names.
impl std::fmt::Display for FunnelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FunnelError::NoUnits => write!(f, "no team or pathway has anyone to plot"),
            FunnelError::InvalidUnit { unit_idx, reason } => {
                write!(f, "unit {} cannot be plotted ({reason})", unit_idx + 1)
            }
            // Proportions degenerate at 0% or 100%, ratios at 0 (no events anywhere).
            FunnelError::DegenerateTarget { target } if *target >= 1.0 => write!(
                f,
                "the overall figure is 100%, so no team or pathway can differ from it"
            ),
            FunnelError::DegenerateTarget { .. } => write!(
                f,
                "the overall figure is 0 (nobody, or no events, counted), so no team or pathway can differ from it"
            ),
            FunnelError::InvalidWinsorFraction => write!(
                f,
                "the winsorising fraction must be at least 0 and below 0.5"
            ),
            FunnelError::LimitMethodNotForProportions => {
                write!(f, "chi-square limits apply to ratios, not proportions")
            }
        }
    }
}

/// Builds a funnel plot: target, per-unit z-scores and limits, overdispersion and bands.
///
/// # What it answers
/// Which units differ from the target by more than chance would explain, given how many people
/// (or expected events) each has?
///
/// # Formula
/// Value yᵢ = numerator/denominator; θ₀ the target; ρᵢ the denominator.
/// * Standard error: natural scale √(θ₀(1 − θ₀)/ρ) (proportions) or √(θ₀/ρ) (ratios);
///   variance-stabilised scale Y = arcsin√y or √y with target arcsin√θ₀ or √θ₀ and SE 1/(2√ρ).
/// * zᵢ = (Yᵢ − θ₀)/SEᵢ on the chosen scale.
/// * Normal limits: θ₀ ± z_p·SE (back-transformed), z₀.₉₇₅ = 1.959964, z₀.₉₉₉ = 3.090232.
/// * Exact interpolated limits: r_p = the p-quantile of Bin(ρ, θ₀) (proportions) or
///   Poisson(θ₀ρ) (ratios); α = (F(r_p) − p)/(F(r_p) − F(r_p − 1)); limit = (r_p − α)/ρ
///   (Spiegelhalter 2005a, Appendix A.1.1), floored at 0; p = 0.025, 0.975, 0.001, 0.999.
/// * Chi-square Poisson limits (ratios), μ = θ₀ρ: lower = χ²_{p}(2μ)/(2ρ),
///   upper = χ²_{1−p}(2μ + 2)/(2ρ), p = 0.025 or 0.001; with θ₀ = 1 these are FunnelPlotR's
///   limits. They are confidence limits around the expected count, not prediction limits, and
///   flag small units too readily (Manktelow & Seaton 2012, BMC Med Res Methodol 12:98).
/// * Overdispersion: z-scores winsorised at the `winsor_fraction` and 1 − `winsor_fraction`
///   percentiles (linear interpolation, as R's default `quantile`); φ = Σ z_w²/I.
///   Multiplicative: SE·√φ when φ > 1. Additive: wᵢ = 1/SEᵢ²,
///   τ² = max(0, (Iφ − (I − 1))/(Σw − Σw²/Σw)), SE → √(SE² + τ²), when τ² > 0.
///   Adjusted limits are always normal limits on the chosen scale.
///
/// # Remarks
/// Limits on the natural scale are clipped to [0, 1] (proportions) or at 0 (ratios); on the
/// arcsine scale the angle is clipped to [0, π/2] before back-transforming. φ and τ² need at
/// least 2 units and are unstable with fewer than about 10; with fewer than 2 no adjustment
/// is made. A pooled target is estimated from the same units, which the limits ignore.
///
/// # References
/// Spiegelhalter (2005a, 2005b), see the module documentation; DerSimonian & Laird (1986),
/// Control Clin Trials 7:177–188. Checked against an independent scipy implementation
/// (tests/reference/funnel_reference.py).
pub fn funnel_plot(units: &[FunnelUnit], options: FunnelOptions) -> Result<Funnel, FunnelError> {
    if units.is_empty() {
        return Err(FunnelError::NoUnits);
    }
    if !(0.0..0.5).contains(&options.winsor_fraction) {
        return Err(FunnelError::InvalidWinsorFraction);
    }
    if options.indicator == FunnelIndicator::Proportion
        && options.limit_method == FunnelLimitMethod::PoissonChiSquare
    {
        return Err(FunnelError::LimitMethodNotForProportions);
    }
    for (unit_idx, unit) in units.iter().enumerate() {
        validate_unit(unit, options.indicator).map_err(|reason| FunnelError::InvalidUnit {
            unit_idx,
            reason: reason.into(),
        })?;
    }
    let target = match options.target {
        FunnelTarget::External(value) => value,
        FunnelTarget::Pooled => {
            let numerator: f64 = units.iter().map(|u| u.numerator as f64).sum();
            let denominator: f64 = units.iter().map(|u| u.denominator).sum();
            numerator / denominator
        }
    };
    let target_ok = match options.indicator {
        FunnelIndicator::Proportion => target > 0.0 && target < 1.0,
        FunnelIndicator::StandardisedRatio => target > 0.0 && target.is_finite(),
    };
    if !target_ok {
        return Err(FunnelError::DegenerateTarget { target });
    }
    let geometry = Geometry {
        indicator: options.indicator,
        scale: options.scale,
        target,
    };

    let z_scores: Vec<f64> = units
        .iter()
        .map(|u| geometry.z(value_of(u), u.denominator))
        .collect();
    let weights: Vec<f64> = units
        .iter()
        .map(|u| 1.0 / geometry.variance(u.denominator))
        .collect();
    let dispersion = estimate_dispersion(&z_scores, &weights, options.winsor_fraction);

    let inflation = match (options.overdispersion, dispersion) {
        (OverdispersionAdjustment::Multiplicative, Some(d)) if d.phi > 1.0 => {
            Inflation::Multiplicative(d.phi)
        }
        (OverdispersionAdjustment::AdditiveRandomEffects, Some(d)) if d.tau2 > 0.0 => {
            Inflation::Additive(d.tau2)
        }
        _ => Inflation::None,
    };
    let spec = LimitSpec {
        geometry,
        limit_method: options.limit_method,
        inflation,
    };

    let mut points = Vec::with_capacity(units.len());
    for (unit_idx, (unit, z)) in units.iter().zip(&z_scores).enumerate() {
        let value = value_of(unit);
        let limits = spec
            .limits_at(unit.denominator)
            .ok_or(FunnelError::InvalidUnit {
                unit_idx,
                reason: "control limits could not be computed for this denominator".into(),
            })?;
        let z_adjusted = match inflation {
            Inflation::None => None,
            Inflation::Multiplicative(phi) => Some(z / phi.sqrt()),
            Inflation::Additive(tau2) => Some(
                (geometry.transform(value) - geometry.transformed_target())
                    / (geometry.variance(unit.denominator) + tau2).sqrt(),
            ),
        };
        points.push(FunnelPoint {
            unit_idx,
            numerator: unit.numerator,
            denominator: unit.denominator,
            value,
            z: *z,
            z_adjusted,
            limits,
            band: band_of(value, &limits),
        });
    }

    Ok(Funnel {
        options,
        target,
        phi: dispersion.map(|d| d.phi),
        dispersion_p_value: dispersion.and_then(|d| d.p_value),
        tau2: dispersion.map(|d| d.tau2),
        adjustment_applied: !matches!(inflation, Inflation::None),
        method: describe(&options, target, dispersion, inflation),
        units: points,
    })
}

impl Funnel {
    /// The control limits at any denominator, for drawing the funnel's curves. For exact
    /// binomial limits the denominator must be a whole number; `None` otherwise or when the
    /// denominator is not positive and finite.
    pub fn limits_at(&self, denominator: f64) -> Option<FunnelLimits> {
        let inflation = match (self.adjustment_applied, self.options.overdispersion) {
            (true, OverdispersionAdjustment::Multiplicative) => {
                Inflation::Multiplicative(self.phi?)
            }
            (true, OverdispersionAdjustment::AdditiveRandomEffects) => {
                Inflation::Additive(self.tau2?)
            }
            _ => Inflation::None,
        };
        LimitSpec {
            geometry: Geometry {
                indicator: self.options.indicator,
                scale: self.options.scale,
                target: self.target,
            },
            limit_method: self.options.limit_method,
            inflation,
        }
        .limits_at(denominator)
    }
}

/// The smallest denominator (people, or expected events) a unit may have.
pub const MIN_DENOMINATOR: f64 = 1e-6;

fn validate_unit(unit: &FunnelUnit, indicator: FunnelIndicator) -> Result<(), &'static str> {
    let d = unit.denominator;
    if !(d > 0.0 && d.is_finite()) {
        return Err("the denominator must be a positive number");
    }
    // An expected count of, say, 1e-300 makes the ratio and its z-score overflow; nothing that
    // small can be judged against a target anyway.
    if d < MIN_DENOMINATOR {
        return Err("the denominator is too small to judge (below one millionth)");
    }
    if indicator == FunnelIndicator::Proportion {
        if d.fract() != 0.0 {
            return Err("the denominator of a proportion must be a whole number of people");
        }
        if (unit.numerator as f64) > d {
            return Err("the numerator of a proportion cannot exceed its denominator");
        }
    }
    Ok(())
}

fn value_of(unit: &FunnelUnit) -> f64 {
    unit.numerator as f64 / unit.denominator
}

fn band_of(value: f64, limits: &FunnelLimits) -> FunnelBand {
    if value > limits.upper_998 {
        FunnelBand::AboveUpper998
    } else if value > limits.upper_95 {
        FunnelBand::AboveUpper95
    } else if value < limits.lower_998 {
        FunnelBand::BelowLower998
    } else if value < limits.lower_95 {
        FunnelBand::BelowLower95
    } else {
        FunnelBand::WithinLimits
    }
}

/// The indicator, the scale and the target: everything a z-score or a normal limit needs.
#[derive(Clone, Copy)]
struct Geometry {
    indicator: FunnelIndicator,
    scale: FunnelScale,
    target: f64,
}

impl Geometry {
    fn transform(&self, value: f64) -> f64 {
        match (self.scale, self.indicator) {
            (FunnelScale::Natural, _) => value,
            (FunnelScale::VarianceStabilised, FunnelIndicator::Proportion) => {
                value.clamp(0.0, 1.0).sqrt().asin()
            }
            (FunnelScale::VarianceStabilised, FunnelIndicator::StandardisedRatio) => {
                value.max(0.0).sqrt()
            }
        }
    }

    fn back_transform(&self, y: f64) -> f64 {
        match (self.scale, self.indicator) {
            (FunnelScale::Natural, FunnelIndicator::Proportion) => y.clamp(0.0, 1.0),
            (FunnelScale::Natural, FunnelIndicator::StandardisedRatio) => y.max(0.0),
            (FunnelScale::VarianceStabilised, FunnelIndicator::Proportion) => {
                y.clamp(0.0, FRAC_PI_2).sin().powi(2)
            }
            (FunnelScale::VarianceStabilised, FunnelIndicator::StandardisedRatio) => {
                y.max(0.0).powi(2)
            }
        }
    }

    fn transformed_target(&self) -> f64 {
        self.transform(self.target)
    }

    /// The within-unit sampling variance on this scale at a denominator.
    fn variance(&self, denominator: f64) -> f64 {
        match (self.scale, self.indicator) {
            (FunnelScale::Natural, FunnelIndicator::Proportion) => {
                self.target * (1.0 - self.target) / denominator
            }
            (FunnelScale::Natural, FunnelIndicator::StandardisedRatio) => self.target / denominator,
            (FunnelScale::VarianceStabilised, _) => 1.0 / (4.0 * denominator),
        }
    }

    fn z(&self, value: f64, denominator: f64) -> f64 {
        (self.transform(value) - self.transformed_target()) / self.variance(denominator).sqrt()
    }
}

#[derive(Clone, Copy)]
enum Inflation {
    None,
    Multiplicative(f64),
    Additive(f64),
}

struct LimitSpec {
    geometry: Geometry,
    limit_method: FunnelLimitMethod,
    inflation: Inflation,
}

impl LimitSpec {
    fn limits_at(&self, denominator: f64) -> Option<FunnelLimits> {
        if !(denominator > 0.0 && denominator.is_finite()) {
            return None;
        }
        let target = self.geometry.target;
        let pair = |tail: f64| -> Option<(f64, f64)> {
            match (self.inflation, self.limit_method, self.geometry.indicator) {
                (
                    Inflation::None,
                    FunnelLimitMethod::ExactInterpolated,
                    FunnelIndicator::Proportion,
                ) => {
                    if denominator.fract() != 0.0 {
                        return None;
                    }
                    let n = denominator as u64;
                    let cdf = |r: u64| binomial_cdf(r, n, target);
                    Some((
                        interpolated_quantile(cdf, tail, Some(n))? / denominator,
                        interpolated_quantile(cdf, 1.0 - tail, Some(n))? / denominator,
                    ))
                }
                (
                    Inflation::None,
                    FunnelLimitMethod::ExactInterpolated,
                    FunnelIndicator::StandardisedRatio,
                ) => {
                    let cdf = |r: u64| poisson_cdf(r, target * denominator);
                    Some((
                        interpolated_quantile(cdf, tail, None)? / denominator,
                        interpolated_quantile(cdf, 1.0 - tail, None)? / denominator,
                    ))
                }
                (Inflation::None, FunnelLimitMethod::PoissonChiSquare, _) => {
                    poisson_ratio_limits(target, denominator, tail)
                }
                _ => self.normal_limits(denominator, tail),
            }
        };
        let (lower_95, upper_95) = pair(INNER_TAIL)?;
        let (lower_998, upper_998) = pair(OUTER_TAIL)?;
        Some(FunnelLimits {
            lower_95,
            upper_95,
            lower_998,
            upper_998,
        })
    }

    fn normal_limits(&self, denominator: f64, tail: f64) -> Option<(f64, f64)> {
        let z = normal_quantile(1.0 - tail)?;
        let variance = self.geometry.variance(denominator);
        let se = match self.inflation {
            Inflation::None => variance.sqrt(),
            Inflation::Multiplicative(phi) => (phi * variance).sqrt(),
            Inflation::Additive(tau2) => (variance + tau2).sqrt(),
        };
        let centre = self.geometry.transformed_target();
        Some((
            self.geometry.back_transform(centre - z * se),
            self.geometry.back_transform(centre + z * se),
        ))
    }
}

/// Spiegelhalter's interpolated quantile of a count distribution at probability p:
/// r_p = the smallest r with F(r) ≥ p; α = (F(r_p) − p)/(F(r_p) − F(r_p − 1)); returns
/// r_p − α, floored at 0. `largest` bounds the search (n for a binomial; none for Poisson).
fn interpolated_quantile(
    cdf: impl Fn(u64) -> Option<f64>,
    p: f64,
    largest: Option<u64>,
) -> Option<f64> {
    let mut high = match largest {
        Some(n) => n,
        None => {
            let mut high = 1_u64;
            while cdf(high)? < p {
                high = high.checked_mul(2)?;
            }
            high
        }
    };
    let mut low = 0_u64;
    while low < high {
        let mid = low + (high - low) / 2;
        if cdf(mid)? >= p {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let r_p = low;
    let at_r = cdf(r_p)?;
    let below_r = match r_p.checked_sub(1) {
        Some(r) => cdf(r)?,
        None => 0.0,
    };
    let step = at_r - below_r;
    let alpha = if step > 0.0 { (at_r - p) / step } else { 0.0 };
    Some((r_p as f64 - alpha).max(0.0))
}

/// Poisson limits for observed/expected from chi-square quantiles, with mean θ₀·E.
fn poisson_ratio_limits(target: f64, expected: f64, tail: f64) -> Option<(f64, f64)> {
    let mean = target * expected;
    let lower = chi_square_quantile(2.0 * mean, tail)? / (2.0 * expected);
    let upper = chi_square_quantile(2.0 * mean + 2.0, 1.0 - tail)? / (2.0 * expected);
    Some((lower, upper))
}

#[derive(Clone, Copy)]
struct Dispersion {
    phi: f64,
    p_value: Option<f64>,
    tau2: f64,
}

fn estimate_dispersion(z_scores: &[f64], weights: &[f64], fraction: f64) -> Option<Dispersion> {
    let count = z_scores.len();
    if count < 2 {
        return None;
    }
    let mut sorted = z_scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let low = percentile_linear(&sorted, fraction)?;
    let high = percentile_linear(&sorted, 1.0 - fraction)?;
    let i = count as f64;
    let phi = z_scores
        .iter()
        .map(|z| z.clamp(low, high).powi(2))
        .sum::<f64>()
        / i;
    let sum_w: f64 = weights.iter().sum();
    let sum_w2: f64 = weights.iter().map(|w| w * w).sum();
    let excess = i * phi - (i - 1.0);
    let spread = sum_w - sum_w2 / sum_w;
    let tau2 = if excess > 0.0 && spread > 0.0 {
        excess / spread
    } else {
        0.0
    };
    // P(χ²_{I−1} > Iφ) = Q((I − 1)/2, Iφ/2).
    let p_value = if i * phi > 0.0 {
        checked_gamma_ur((i - 1.0) / 2.0, i * phi / 2.0).ok()
    } else {
        Some(1.0)
    };
    Some(Dispersion { phi, p_value, tau2 })
}

/// The q-quantile of sorted values by linear interpolation between order statistics (R's
/// `quantile` type 7, numpy's default).
fn percentile_linear(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * q;
    let below = h.floor() as usize;
    let lower = *sorted.get(below)?;
    let upper = *sorted.get((below + 1).min(last))?;
    Some(lower + (h - below as f64) * (upper - lower))
}

fn describe(
    options: &FunnelOptions,
    target: f64,
    dispersion: Option<Dispersion>,
    inflation: Inflation,
) -> String {
    let indicator = match options.indicator {
        FunnelIndicator::Proportion => "proportions",
        FunnelIndicator::StandardisedRatio => "indirectly standardised ratios (observed/expected)",
    };
    let target_text = match options.target {
        FunnelTarget::Pooled => format!("pooled target {target:.4}"),
        FunnelTarget::External(_) => format!("external target {target:.4}"),
    };
    let scale = match (options.scale, options.indicator) {
        (FunnelScale::Natural, _) => "the natural scale",
        (FunnelScale::VarianceStabilised, FunnelIndicator::Proportion) => "the arcsine scale",
        (FunnelScale::VarianceStabilised, FunnelIndicator::StandardisedRatio) => {
            "the square-root scale"
        }
    };
    let limits = match (inflation, options.limit_method, options.indicator) {
        (Inflation::None, FunnelLimitMethod::ExactInterpolated, FunnelIndicator::Proportion) => {
            "exact binomial limits with Spiegelhalter's interpolation".to_string()
        }
        (Inflation::None, FunnelLimitMethod::ExactInterpolated, _) => {
            "exact Poisson limits with Spiegelhalter's interpolation".to_string()
        }
        (Inflation::None, FunnelLimitMethod::PoissonChiSquare, _) => {
            "Poisson limits from chi-square quantiles".to_string()
        }
        _ => format!("normal-approximation limits on {scale}"),
    };
    let fraction = options.winsor_fraction * 100.0;
    let phi_text = dispersion
        .map(|d| {
            format!(
                "phi {:.3}, tau² {:.4} from {fraction:.0}% winsorised z-scores",
                d.phi, d.tau2
            )
        })
        .unwrap_or_else(|| "overdispersion not estimable with one unit".to_string());
    let adjustment = match (options.overdispersion, inflation) {
        (OverdispersionAdjustment::None, _) => {
            format!("no overdispersion adjustment ({phi_text})")
        }
        (_, Inflation::Multiplicative(phi)) => format!(
            "multiplicative overdispersion adjustment, limits × √phi = {:.3} ({phi_text})",
            phi.sqrt()
        ),
        (_, Inflation::Additive(_)) => {
            format!("additive random-effects overdispersion adjustment ({phi_text})")
        }
        (_, Inflation::None) => {
            format!("overdispersion adjustment requested but not needed ({phi_text})")
        }
    };
    format!(
        "Spiegelhalter (2005) funnel plot of {indicator}; {target_text}; 95% and 99.8% {limits}; \
         z-scores on {scale}; {adjustment}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_plain_words_not_rust_names() {
        let errors = [
            FunnelError::NoUnits,
            FunnelError::InvalidUnit {
                unit_idx: 2,
                reason: "denominator is zero".into(),
            },
            FunnelError::DegenerateTarget { target: 1.0 },
            FunnelError::InvalidWinsorFraction,
            FunnelError::LimitMethodNotForProportions,
        ];
        for error in errors {
            let text = error.to_string();
            assert!(
                !text.contains(['{', '}', '_'])
                    && text.chars().next().is_some_and(char::is_lowercase),
                "{text}"
            );
        }
        assert!(FunnelError::InvalidUnit {
            unit_idx: 2,
            reason: "x".into()
        }
        .to_string()
        .starts_with("unit 3 "));
    }

    fn units(pairs: &[(u64, f64)]) -> Vec<FunnelUnit> {
        pairs
            .iter()
            .map(|&(numerator, denominator)| FunnelUnit {
                numerator,
                denominator,
            })
            .collect()
    }

    #[test]
    fn invalid_inputs_are_errors_not_panics() {
        let options = FunnelOptions::proportions();
        assert_eq!(funnel_plot(&[], options), Err(FunnelError::NoUnits));
        assert!(matches!(
            funnel_plot(&units(&[(3, 2.0)]), options),
            Err(FunnelError::InvalidUnit { unit_idx: 0, .. })
        ));
        assert!(matches!(
            funnel_plot(&units(&[(1, 2.5)]), options),
            Err(FunnelError::InvalidUnit { .. })
        ));
        assert!(matches!(
            funnel_plot(&units(&[(0, 10.0), (0, 20.0)]), options),
            Err(FunnelError::DegenerateTarget { .. })
        ));
        let chi_square_for_proportions = FunnelOptions {
            limit_method: FunnelLimitMethod::PoissonChiSquare,
            ..options
        };
        assert_eq!(
            funnel_plot(&units(&[(1, 4.0)]), chi_square_for_proportions),
            Err(FunnelError::LimitMethodNotForProportions)
        );
        let ratios = FunnelOptions::standardised_ratios();
        assert!(matches!(
            funnel_plot(&units(&[(3, 0.0)]), ratios),
            Err(FunnelError::InvalidUnit { .. })
        ));
    }

    #[test]
    fn one_unit_has_no_overdispersion_estimate() {
        let funnel = funnel_plot(&units(&[(4, 10.0)]), FunnelOptions::proportions()).unwrap();
        assert_eq!(funnel.phi, None);
        assert!(!funnel.adjustment_applied);
        assert_eq!(funnel.units.len(), 1);
    }

    #[test]
    fn limits_narrow_as_the_denominator_grows() {
        let funnel = funnel_plot(
            &units(&[(5, 20.0), (30, 100.0), (120, 500.0)]),
            FunnelOptions::proportions(),
        )
        .unwrap();
        let small = funnel.limits_at(20.0).unwrap();
        let large = funnel.limits_at(2000.0).unwrap();
        assert!(large.upper_95 - large.lower_95 < small.upper_95 - small.lower_95);
        assert!(small.lower_998 <= small.lower_95 && small.upper_95 <= small.upper_998);
    }
}
