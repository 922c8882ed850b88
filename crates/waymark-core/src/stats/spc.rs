//! Statistical process control: the XmR (individuals) chart with NHS England's "Making Data
//! Count" rules, the variation icon and the assurance icon.
//!
//! One call, [`xmr_chart`], takes a series in time order and returns every point with its
//! limits, its special-cause flags and its point type, plus the chart's icons. The rules follow
//! the reference implementation NHSRplotthedots (nhs-r-community/NHSRplotthedots, files
//! `R/ptd_spc_standard.R` and `R/ptd_calculate_point_type.R`); where the Making Data Count
//! (MDC) team changed a rule, both versions are options.

use serde::{Deserialize, Serialize};

/// Process limits sit this many mean moving ranges from the mean: 3/d₂ with d₂ = 1.128 for
/// ranges of two points, rounded as MDC and NHSRplotthedots round it.
pub const LIMIT_MULTIPLIER: f64 = 2.66;

/// A moving range at or above this multiple of the mean moving range is screened out before
/// the limits are computed (D₄ for ranges of two points, as MDC rounds it).
pub const MOVING_RANGE_SCREEN: f64 = 3.267;

/// Runs (shifts) and trends are signals from this many points on.
pub const RUN_LENGTH: usize = 7;

/// Limits computed from fewer points than this are trial limits.
pub const MIN_POINTS_FOR_FIRM_LIMITS: usize = 12;

/// A series with fewer points than this gets no limits and no verdict at all: one or two
/// moving ranges say nothing about a process's variation, and "no signal" from them would be
/// read as reassurance. Wheeler (1993, *Understanding Variation*, p. 60): "useful limits may
/// be constructed with as few as five or six values"; NHSRplotthedots' guidance ("How many
/// points are required for robust control limits?") starts trial limits there. Waymark takes
/// the stricter of the two.
pub const MIN_POINTS_FOR_LIMITS: usize = 6;

/// Relative tolerance for the comparisons the rules make (above or below the mean or a limit,
/// up or down from the previous point, a moving range of zero): two numbers closer than this
/// times the segment's largest absolute value are treated as equal. Rates such as 50/3 are not
/// exact in binary, so the mean of a constant series can differ from each value in the last
/// bit; without a tolerance every point of a flat series would sit "above the limit".
/// 1e-9 is far above floating-point rounding (about 1e-16 relative per operation) and far
/// below any difference a chart could show.
pub const COMPARISON_TOLERANCE: f64 = 1e-9;

/// Which way is better for the measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImprovementDirection {
    /// Higher values are better (e.g. WEMWBS, percentage seen within target).
    Increase,
    /// Lower values are better (e.g. PHQ-9, waiting time).
    Decrease,
    /// Neither: special causes are reported as "neutral" and there is no assurance icon.
    Neutral,
}

/// How the "two of three points beyond two sigma" rule treats points beyond a process limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoInThreeRule {
    /// Only points between the two-sigma line and the process limit count (MDC tools before
    /// November 2023; NHSRplotthedots at the commits this was checked against).
    BetweenTwoAndThreeSigma,
    /// Every point beyond the two-sigma line counts, including points beyond the process
    /// limit (the MDC change announced in November 2023, NHSRplotthedots issue #194).
    BeyondTwoSigma,
}

/// Choices for [`xmr_chart`]. The default is NHSRplotthedots' default: improvement upwards,
/// no target, one segment, limits from all points, moving ranges screened, classic 2-of-3 rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpcOptions {
    pub improvement: ImprovementDirection,
    /// The target the assurance icon compares with the process limits.
    pub target: Option<f64>,
    /// Indices of the points that start a new segment ("rebasing" after a known change); each
    /// segment gets its own mean and limits, and the rules never look across a boundary.
    /// Index 0 and repeats are ignored; order does not matter.
    pub rebase_at: Vec<usize>,
    /// Compute each segment's mean and limits from its first N points only (a baseline), and
    /// judge the later points against them.
    pub fix_after: Option<usize>,
    /// Drop moving ranges ≥ 3.267 × mean moving range and recompute the mean moving range once
    /// (NHSRplotthedots default; the MDC Excel tool does not screen).
    pub screen_moving_ranges: bool,
    pub two_in_three: TwoInThreeRule,
}

impl Default for SpcOptions {
    fn default() -> Self {
        SpcOptions {
            improvement: ImprovementDirection::Increase,
            target: None,
            rebase_at: Vec::new(),
            fix_after: None,
            screen_moving_ranges: true,
            two_in_three: TwoInThreeRule::BetweenTwoAndThreeSigma,
        }
    }
}

/// Whether a special cause points to higher or lower values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    High,
    Low,
}

/// A point's type, as MDC colours it: grey, blue, orange or purple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    CommonCause,
    SpecialCauseImprovement,
    SpecialCauseConcern,
    /// A special cause on a measure with no improvement direction.
    SpecialCauseNeutral,
}

/// MDC's variation icon, read from the last point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariationIcon {
    CommonCause,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeutralHigh,
    NeutralLow,
}

/// MDC's assurance icon: can the process be relied on to meet the target?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssuranceIcon {
    /// The target lies outside the process limits on the failing side.
    ConsistentlyFail,
    /// The target lies outside the process limits on the passing side.
    ConsistentlyPass,
    /// The target lies between (or on) the process limits: the process will sometimes meet it.
    HitAndMiss,
}

/// One point of the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpcPoint {
    pub idx: usize,
    pub value: f64,
    /// Index of the segment the point belongs to (0 unless rebased).
    pub segment: usize,
    pub mean: f64,
    pub upper_process_limit: f64,
    pub lower_process_limit: f64,
    pub upper_two_sigma: f64,
    pub lower_two_sigma: f64,
    /// |value − previous value| within the segment; `None` for a segment's first point.
    pub moving_range: Option<f64>,
    /// Beyond a process limit (strictly).
    pub outside_limits: bool,
    /// Part of a run of ≥ 7 points on the same side of the mean (a point on the mean breaks it).
    pub shift: bool,
    /// Part of a run of ≥ 7 points each strictly above (or each strictly below) the one before.
    pub trend: bool,
    /// Beyond two sigma in a window of three consecutive points, all on the same side of the
    /// mean, of which at least two are beyond two sigma (see [`TwoInThreeRule`]).
    pub two_in_three: bool,
    /// The direction of the special cause that sets the point type; `None` for common cause.
    pub special_cause_side: Option<Side>,
    pub point_type: PointType,
}

/// The mean and limits of one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpcSegment {
    pub start_idx: usize,
    pub n_points: usize,
    /// Points the mean and limits were computed from (the baseline when limits are fixed).
    pub n_baseline_points: usize,
    pub mean: f64,
    /// Mean moving range after screening.
    pub mean_moving_range: f64,
    /// Moving ranges dropped by screening.
    pub n_moving_ranges_screened_out: usize,
    pub upper_process_limit: f64,
    pub lower_process_limit: f64,
    /// Limits from fewer than [`MIN_POINTS_FOR_FIRM_LIMITS`] points: to be revised as data come.
    pub trial_limits: bool,
}

/// An XmR chart with MDC's special-cause rules and icons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct XmrChart {
    /// One line naming the method and options, for the report.
    pub method: String,
    pub n_points: usize,
    pub improvement: ImprovementDirection,
    pub target: Option<f64>,
    pub points: Vec<SpcPoint>,
    pub segments: Vec<SpcSegment>,
    pub variation_icon: VariationIcon,
    /// `None` without a target or for a neutral measure.
    pub assurance_icon: Option<AssuranceIcon>,
    /// True when any segment has trial limits.
    pub trial_limits: bool,
}

/// Why no chart could be drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SpcError {
    /// No values.
    Empty,
    /// A value is NaN or infinite.
    NonFiniteValue { idx: usize },
    /// The target is NaN or infinite.
    NonFiniteTarget,
    /// Fewer points than [`MIN_POINTS_FOR_LIMITS`]: too few to say anything about variation.
    TooFewPointsForLimits { n_points: usize, minimum: usize },
    /// A rebase index is past the end of the series.
    RebaseOutOfRange { idx: usize, n_points: usize },
    /// A segment's baseline has fewer than two points, so there is no moving range to
    /// estimate the variation from.
    TooFewPoints {
        segment_start_idx: usize,
        n_baseline_points: usize,
    },
}

impl std::fmt::Display for SpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpcError::Empty => write!(f, "an SPC chart needs values; there are none"),
            SpcError::NonFiniteValue { idx } => {
                write!(f, "value {} is not a finite number", idx + 1)
            }
            SpcError::NonFiniteTarget => write!(f, "the target is not a finite number"),
            SpcError::TooFewPointsForLimits { n_points, minimum } => write!(
                f,
                "too few points to judge variation: {n_points} point(s), and limits need at \
                 least {minimum} (Making Data Count practice, after Wheeler: trial limits from \
                 5 or 6 points)"
            ),
            SpcError::RebaseOutOfRange { idx, n_points } => write!(
                f,
                "rebase at point {} but the series has {n_points} points",
                idx + 1
            ),
            SpcError::TooFewPoints {
                segment_start_idx,
                n_baseline_points,
            } => write!(
                f,
                "the segment starting at point {} has {n_baseline_points} point(s) to compute \
                 limits from; at least two are needed",
                segment_start_idx + 1
            ),
        }
    }
}

impl std::error::Error for SpcError {}

/// An XmR (individuals) chart with NHS England Making Data Count rules.
///
/// # What it answers
/// Is the variation in this measure what the process normally produces (common cause), or is
/// something different going on (special cause), and is that better or worse? With a target:
/// will the process, as it runs now, reliably meet the target?
///
/// # Formula
/// Per segment, from its baseline points y₁…y_m (all its points unless `fix_after`):
/// mean ȳ; moving ranges MRᵢ = |yᵢ − yᵢ₋₁|; mean moving range M̄R. With screening, moving
/// ranges ≥ 3.267·M̄R are dropped and M̄R recomputed once from the rest. Process limits
/// ȳ ± 2.66·M̄R; two-sigma lines ȳ ± (2/3)·2.66·M̄R.
///
/// Special causes (each within a segment, judged against that segment's limits):
/// 1. a point above the upper or below the lower process limit;
/// 2. a shift: ≥ 7 consecutive points on the same side of the mean (a point on the mean
///    breaks the run);
/// 3. a trend: ≥ 7 consecutive points each strictly above (or below) the one before — a
///    repeated value breaks the run;
/// 4. two of three: a window of three consecutive points, all on the same side of the mean, with
///    at least two beyond the two-sigma line on that side; the points beyond two sigma are
///    flagged (see [`TwoInThreeRule`] for whether points beyond the limit count).
///
/// A point's type comes from the first rule it meets in the order limit, trend, two-of-three,
/// shift (NHSRplotthedots' order), taking that rule's side: above the mean or rising is
/// "high", and high is improvement when the improvement direction is `Increase`. A turning
/// point shared by a rising and a falling trend takes the side of the trend that follows it.
///
/// The variation icon is the last point's type and side. The assurance icon compares the target
/// with the last segment's limits: target above the upper limit means consistently fail when
/// higher is better (consistently pass when lower is better), below the lower limit the
/// reverse, otherwise hit and miss.
///
/// # Remarks
/// - Errors (not panics) for an empty series, non-finite values or target, a series of fewer
///   than [`MIN_POINTS_FOR_LIMITS`] points (no limits and no verdict: one or two points would
///   otherwise give "no signal" from nothing), rebase indices past the end, and a segment
///   baseline of fewer than two points.
/// - Comparisons use a relative tolerance ([`COMPARISON_TOLERANCE`] × the segment's largest
///   absolute value): a point that close to the mean is on the mean, a point must pass a limit
///   or a two-sigma line by more than that to count as beyond it, a step that small is no step
///   (it breaks a trend), and a mean moving range that small is zero.
/// - All values equal (also when they are not exact in binary, such as 50/3 every month):
///   M̄R = 0, the limits collapse onto the mean, no point is a special cause. With screening on, every moving range of 0 is "≥ 3.267 × 0"; rather than dropping
///   all of them (NHSRplotthedots then gives undefined limits), M̄R stays 0.
/// - Limits from fewer than 12 points are flagged as trial limits (NHSRplotthedots warns for
///   groups with n < 12; MDC advises recalculating until enough points exist).
/// - NHSRplotthedots labels a point at the join of a rising trend and a following falling
///   trend with equal values between them as "decreasing"; here it keeps its own trend's side.
///
/// # References
/// NHS England (2019, updated 2023) *Making Data Count*; Wheeler (1995) *Advanced Topics in
/// Statistical Process Control* (2.66 and 3.267); NHSRplotthedots (nhs-r-community), checked
/// against its published test fixtures and an independent Python implementation
/// (tests/reference/spc_reference.py).
pub fn xmr_chart(values: &[f64], options: &SpcOptions) -> Result<XmrChart, SpcError> {
    if values.is_empty() {
        return Err(SpcError::Empty);
    }
    if let Some(idx) = values.iter().position(|v| !v.is_finite()) {
        return Err(SpcError::NonFiniteValue { idx });
    }
    if options.target.is_some_and(|t| !t.is_finite()) {
        return Err(SpcError::NonFiniteTarget);
    }
    let n_points = values.len();
    if n_points < MIN_POINTS_FOR_LIMITS {
        return Err(SpcError::TooFewPointsForLimits {
            n_points,
            minimum: MIN_POINTS_FOR_LIMITS,
        });
    }
    let mut starts: Vec<usize> = options.rebase_at.clone();
    if let Some(&idx) = starts.iter().find(|&&idx| idx >= n_points) {
        return Err(SpcError::RebaseOutOfRange { idx, n_points });
    }
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();

    let mut segments = Vec::with_capacity(starts.len());
    let mut points = Vec::with_capacity(n_points);
    for (segment_idx, &start) in starts.iter().enumerate() {
        let end = starts.get(segment_idx + 1).copied().unwrap_or(n_points);
        let segment_values = values.get(start..end).unwrap_or(&[]);
        let segment = segment_limits(start, segment_values, options)?;
        points.extend(classify_segment(
            segment_idx,
            &segment,
            segment_values,
            options,
        ));
        segments.push(segment);
    }

    let variation_icon = points.last().map_or(VariationIcon::CommonCause, |last| {
        variation_icon(last, options.improvement)
    });
    let assurance_icon = match (options.target, segments.last()) {
        (Some(target), Some(last)) => assurance_icon(target, last, options.improvement),
        _ => None,
    };
    let trial_limits = segments.iter().any(|s| s.trial_limits);
    Ok(XmrChart {
        method: method_description(options),
        n_points,
        improvement: options.improvement,
        target: options.target,
        points,
        segments,
        variation_icon,
        assurance_icon,
        trial_limits,
    })
}

impl XmrChart {
    /// Where the latest signal began: the index of the first point of the unbroken run of
    /// points, ending at the last point, that share the last point's type and side (and
    /// segment). `None` when the last point is common cause.
    ///
    /// A run of improvement points followed by concern points is two signals: the concern
    /// started with the first concern point, not with the improvement before it.
    pub fn signal_start(&self) -> Option<usize> {
        let last = self.points.last()?;
        if last.point_type == PointType::CommonCause {
            return None;
        }
        let same_signal = |p: &&SpcPoint| {
            p.point_type == last.point_type
                && p.special_cause_side == last.special_cause_side
                && p.segment == last.segment
        };
        let run = self.points.iter().rev().take_while(same_signal).count();
        Some(self.points.len() - run)
    }
}

fn segment_limits(
    start: usize,
    segment_values: &[f64],
    options: &SpcOptions,
) -> Result<SpcSegment, SpcError> {
    let n_baseline = options
        .fix_after
        .map_or(segment_values.len(), |n| n.min(segment_values.len()));
    let baseline = segment_values.get(..n_baseline).unwrap_or(&[]);
    if baseline.len() < 2 {
        return Err(SpcError::TooFewPoints {
            segment_start_idx: start,
            n_baseline_points: baseline.len(),
        });
    }
    let mean = baseline.iter().sum::<f64>() / baseline.len() as f64;
    let tolerance = comparison_tolerance(segment_values);
    let moving_ranges: Vec<f64> = baseline.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mut mean_moving_range = average(&moving_ranges).unwrap_or(0.0);
    let mut n_screened = 0;
    if options.screen_moving_ranges {
        let threshold = MOVING_RANGE_SCREEN * mean_moving_range;
        let kept: Vec<f64> = moving_ranges
            .iter()
            .copied()
            .filter(|mr| *mr < threshold)
            .collect();
        // A constant baseline has every range equal to the (zero) threshold; keep M̄R = 0.
        if let Some(screened_mean) = average(&kept) {
            n_screened = moving_ranges.len() - kept.len();
            mean_moving_range = screened_mean;
        }
    }
    if mean_moving_range <= tolerance {
        mean_moving_range = 0.0;
    }
    Ok(SpcSegment {
        start_idx: start,
        n_points: segment_values.len(),
        n_baseline_points: baseline.len(),
        mean,
        mean_moving_range,
        n_moving_ranges_screened_out: n_screened,
        upper_process_limit: mean + LIMIT_MULTIPLIER * mean_moving_range,
        lower_process_limit: mean - LIMIT_MULTIPLIER * mean_moving_range,
        trial_limits: baseline.len() < MIN_POINTS_FOR_FIRM_LIMITS,
    })
}

/// The absolute tolerance for one segment: [`COMPARISON_TOLERANCE`] times its largest absolute
/// value (zero for an all-zero segment, where every comparison is exact).
fn comparison_tolerance(values: &[f64]) -> f64 {
    COMPARISON_TOLERANCE * values.iter().fold(0.0_f64, |max, v| max.max(v.abs()))
}

fn average(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Applies the four rules to one segment and returns its points.
fn classify_segment(
    segment_idx: usize,
    segment: &SpcSegment,
    values: &[f64],
    options: &SpcOptions,
) -> Vec<SpcPoint> {
    let two_sigma = 2.0 / 3.0 * LIMIT_MULTIPLIER * segment.mean_moving_range;
    let upper_two_sigma = segment.mean + two_sigma;
    let lower_two_sigma = segment.mean - two_sigma;
    let tolerance = comparison_tolerance(values);
    let sign = |x: f64| sign_within(x, tolerance);
    let side_of_mean: Vec<i8> = values.iter().map(|&v| sign(v - segment.mean)).collect();
    let outside: Vec<bool> = values
        .iter()
        .map(|&v| {
            sign(v - segment.upper_process_limit) > 0 || sign(v - segment.lower_process_limit) < 0
        })
        .collect();
    let counts_for_two_in_three: Vec<bool> = values
        .iter()
        .zip(&outside)
        .map(|(&v, &out)| {
            let beyond_two_sigma = sign(v - upper_two_sigma) > 0 || sign(v - lower_two_sigma) < 0;
            match options.two_in_three {
                TwoInThreeRule::BetweenTwoAndThreeSigma => beyond_two_sigma && !out,
                TwoInThreeRule::BeyondTwoSigma => beyond_two_sigma,
            }
        })
        .collect();
    let shift = members_of_long_runs(&side_of_mean, |side| side != 0);
    let steps: Vec<i8> = values.windows(2).map(|w| sign(w[1] - w[0])).collect();
    let rising = members_of_trends(&steps, 1);
    let falling = members_of_trends(&steps, -1);
    let two_in_three = two_in_three_members(&side_of_mean, &counts_for_two_in_three);

    let side_from_mean = |i: usize| match side_of_mean.get(i) {
        Some(&s) if s > 0 => Side::High,
        _ => Side::Low,
    };
    values
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let is = |flags: &[bool]| flags.get(i).copied().unwrap_or(false);
            let trend = is(&rising) || is(&falling);
            let special_cause_side = if is(&outside) {
                Some(side_from_mean(i))
            } else if trend {
                Some(trend_side(i, &rising, &falling, &steps))
            } else if is(&two_in_three) || is(&shift) {
                Some(side_from_mean(i))
            } else {
                None
            };
            SpcPoint {
                idx: segment.start_idx + i,
                value,
                segment: segment_idx,
                mean: segment.mean,
                upper_process_limit: segment.upper_process_limit,
                lower_process_limit: segment.lower_process_limit,
                upper_two_sigma,
                lower_two_sigma,
                moving_range: i
                    .checked_sub(1)
                    .and_then(|prev| values.get(prev))
                    .map(|prev| (value - prev).abs()),
                outside_limits: is(&outside),
                shift: is(&shift),
                trend,
                two_in_three: is(&two_in_three),
                special_cause_side,
                point_type: point_type(special_cause_side, options.improvement),
            }
        })
        .collect()
}

/// The sign of a difference, zero when it is within `tolerance` of zero.
fn sign_within(x: f64, tolerance: f64) -> i8 {
    if x > tolerance {
        1
    } else if x < -tolerance {
        -1
    } else {
        0
    }
}

/// Marks the members of maximal runs of equal values (accepted by `counts`) that are at least
/// [`RUN_LENGTH`] long.
fn members_of_long_runs(labels: &[i8], counts: impl Fn(i8) -> bool) -> Vec<bool> {
    let mut members = vec![false; labels.len()];
    for run in chunk_ranges(labels) {
        let label = labels.get(run.start).copied().unwrap_or(0);
        if counts(label) && run.len() >= RUN_LENGTH {
            for flag in members.get_mut(run).unwrap_or(&mut []) {
                *flag = true;
            }
        }
    }
    members
}

/// Index ranges of maximal runs of equal labels.
fn chunk_ranges(labels: &[i8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, pair) in labels.windows(2).enumerate() {
        if pair[0] != pair[1] {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if !labels.is_empty() {
        ranges.push(start..labels.len());
    }
    ranges
}

/// Points belonging to a trend in `direction`: step k joins points k and k+1, so a run of
/// RUN_LENGTH − 1 equal steps covers RUN_LENGTH points.
fn members_of_trends(steps: &[i8], direction: i8) -> Vec<bool> {
    let mut members = vec![false; steps.len() + 1];
    for run in chunk_ranges(steps) {
        let step = steps.get(run.start).copied().unwrap_or(0);
        if step == direction && run.len() + 1 >= RUN_LENGTH {
            for flag in members.get_mut(run.start..run.end + 1).unwrap_or(&mut []) {
                *flag = true;
            }
        }
    }
    members
}

fn trend_side(i: usize, rising: &[bool], falling: &[bool], steps: &[i8]) -> Side {
    let in_rising = rising.get(i).copied().unwrap_or(false);
    let in_falling = falling.get(i).copied().unwrap_or(false);
    match (in_rising, in_falling) {
        // A turning point: the trend that follows it decides.
        (true, true) => {
            if steps.get(i).copied().unwrap_or(0) > 0 {
                Side::High
            } else {
                Side::Low
            }
        }
        (true, false) => Side::High,
        _ => Side::Low,
    }
}

fn two_in_three_members(side_of_mean: &[i8], counts: &[bool]) -> Vec<bool> {
    let mut members = vec![false; counts.len()];
    for (window_start, window) in side_of_mean.windows(3).enumerate() {
        let same_side = window[0] != 0 && window.iter().all(|&s| s == window[0]);
        let window_counts = counts.get(window_start..window_start + 3).unwrap_or(&[]);
        if same_side && window_counts.iter().filter(|&&c| c).count() >= 2 {
            for (offset, &c) in window_counts.iter().enumerate() {
                if let (true, Some(flag)) = (c, members.get_mut(window_start + offset)) {
                    *flag = true;
                }
            }
        }
    }
    members
}

fn point_type(side: Option<Side>, improvement: ImprovementDirection) -> PointType {
    match (side, improvement) {
        (None, _) => PointType::CommonCause,
        (Some(_), ImprovementDirection::Neutral) => PointType::SpecialCauseNeutral,
        (Some(Side::High), ImprovementDirection::Increase)
        | (Some(Side::Low), ImprovementDirection::Decrease) => PointType::SpecialCauseImprovement,
        (Some(_), _) => PointType::SpecialCauseConcern,
    }
}

fn variation_icon(last: &SpcPoint, improvement: ImprovementDirection) -> VariationIcon {
    match (last.point_type, last.special_cause_side) {
        (PointType::CommonCause, _) | (_, None) => VariationIcon::CommonCause,
        (PointType::SpecialCauseImprovement, _) => match improvement {
            ImprovementDirection::Decrease => VariationIcon::ImprovementLow,
            _ => VariationIcon::ImprovementHigh,
        },
        (PointType::SpecialCauseConcern, _) => match improvement {
            ImprovementDirection::Decrease => VariationIcon::ConcernHigh,
            _ => VariationIcon::ConcernLow,
        },
        (PointType::SpecialCauseNeutral, Some(Side::High)) => VariationIcon::NeutralHigh,
        (PointType::SpecialCauseNeutral, Some(Side::Low)) => VariationIcon::NeutralLow,
    }
}

fn assurance_icon(
    target: f64,
    last: &SpcSegment,
    improvement: ImprovementDirection,
) -> Option<AssuranceIcon> {
    let higher_is_better = match improvement {
        ImprovementDirection::Increase => true,
        ImprovementDirection::Decrease => false,
        ImprovementDirection::Neutral => return None,
    };
    Some(if target > last.upper_process_limit {
        if higher_is_better {
            AssuranceIcon::ConsistentlyFail
        } else {
            AssuranceIcon::ConsistentlyPass
        }
    } else if target < last.lower_process_limit {
        if higher_is_better {
            AssuranceIcon::ConsistentlyPass
        } else {
            AssuranceIcon::ConsistentlyFail
        }
    } else {
        AssuranceIcon::HitAndMiss
    })
}

fn method_description(options: &SpcOptions) -> String {
    let screening = if options.screen_moving_ranges {
        "moving ranges >= 3.267 x mean screened out"
    } else {
        "no moving-range screening"
    };
    let baseline = options.fix_after.map_or_else(
        || "limits from all points of each segment".to_string(),
        |n| format!("limits fixed after the first {n} points of each segment"),
    );
    let two_in_three = match options.two_in_three {
        TwoInThreeRule::BetweenTwoAndThreeSigma => "points between 2 and 3 sigma",
        TwoInThreeRule::BeyondTwoSigma => "all points beyond 2 sigma (MDC Nov 2023)",
    };
    format!(
        "XmR chart, NHS England Making Data Count rules: mean +/- 2.66 x mean moving range \
         ({screening}; {baseline}); special causes: a point beyond a limit, a run of 7 on one \
         side of the mean, a trend of 7, 2 of 3 beyond 2 sigma ({two_in_three})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[f64]) -> XmrChart {
        xmr_chart(values, &SpcOptions::default()).expect("a valid series")
    }

    #[test]
    fn degenerate_series_return_errors_not_panics() {
        let options = SpcOptions::default();
        assert_eq!(xmr_chart(&[], &options), Err(SpcError::Empty));
        // One or two points (and any series under the minimum of 6) get no limits and no
        // verdict (this test used to accept limits from two points).
        for n in 1..MIN_POINTS_FOR_LIMITS {
            assert_eq!(
                xmr_chart(&vec![3.0; n], &options),
                Err(SpcError::TooFewPointsForLimits {
                    n_points: n,
                    minimum: 6
                })
            );
        }
        assert_eq!(
            xmr_chart(&[1.0, f64::NAN], &options),
            Err(SpcError::NonFiniteValue { idx: 1 })
        );
        let seven = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let rebased_past_end = SpcOptions {
            rebase_at: vec![9],
            ..SpcOptions::default()
        };
        assert_eq!(
            xmr_chart(&seven, &rebased_past_end),
            Err(SpcError::RebaseOutOfRange {
                idx: 9,
                n_points: 7
            })
        );
        let rebased_last_point = SpcOptions {
            rebase_at: vec![6],
            ..SpcOptions::default()
        };
        assert!(matches!(
            xmr_chart(&seven, &rebased_last_point),
            Err(SpcError::TooFewPoints {
                segment_start_idx: 6,
                ..
            })
        ));
        let bad_target = SpcOptions {
            target: Some(f64::INFINITY),
            ..SpcOptions::default()
        };
        assert_eq!(
            xmr_chart(&[1.0, 2.0], &bad_target),
            Err(SpcError::NonFiniteTarget)
        );
    }

    #[test]
    fn constant_series_has_zero_width_limits_and_no_signal() {
        for screen in [true, false] {
            let options = SpcOptions {
                screen_moving_ranges: screen,
                ..SpcOptions::default()
            };
            let c = xmr_chart(&[4.0; 15], &options).expect("valid");
            let segment = &c.segments[0];
            assert_eq!(segment.mean_moving_range, 0.0);
            assert_eq!(segment.upper_process_limit, 4.0);
            assert!(c
                .points
                .iter()
                .all(|p| p.point_type == PointType::CommonCause));
            assert_eq!(c.variation_icon, VariationIcon::CommonCause);
        }
    }

    /// 50/3 and 400/9 are not exact in binary: summed 12, 15 or 24 times and divided, the
    /// mean differs from each value in the last bit (checked in Python: the mean of 15 × 50/3
    /// is 16.666666666666664, the value 16.666666666666668). By hand, a constant series has
    /// every moving range 0, so M̄R = 0, zero-width limits on the mean and no special cause.
    #[test]
    fn constant_series_not_exact_in_binary_has_no_signal() {
        for value in [50.0 / 3.0, 400.0 / 9.0] {
            for n in [12, 15, 24] {
                for screen in [true, false] {
                    let options = SpcOptions {
                        screen_moving_ranges: screen,
                        improvement: ImprovementDirection::Decrease,
                        ..SpcOptions::default()
                    };
                    let c = xmr_chart(&vec![value; n], &options).expect("valid");
                    let s = &c.segments[0];
                    assert_eq!(s.mean_moving_range, 0.0, "{value} x {n}");
                    assert_eq!(
                        s.upper_process_limit, s.lower_process_limit,
                        "{value} x {n}"
                    );
                    assert!((s.mean - value).abs() < 1e-12, "{value} x {n}");
                    for p in &c.points {
                        assert_eq!(p.point_type, PointType::CommonCause, "{value} x {n}");
                        assert!(!p.outside_limits && !p.shift && !p.trend && !p.two_in_three);
                    }
                    assert_eq!(c.variation_icon, VariationIcon::CommonCause);
                }
            }
        }
    }

    /// The tolerance is relative, so it does not hide real differences: 1e-6 apart on values
    /// of about 17 is far beyond 1e-9 × 17. Seven points above the mean of 14 points (seven
    /// at v, seven at v + 1e-6) form a shift, worked by hand.
    #[test]
    fn tolerance_does_not_hide_small_real_differences() {
        let v = 50.0 / 3.0;
        let mut values = vec![v; 7];
        values.extend([v + 1e-6; 7]);
        let c = chart(&values);
        assert!(c.points.iter().all(|p| p.shift));
    }

    /// Limits fixed on the first 12 points (10 and 11 alternating: mean 10.5, M̄R = 1, limits
    /// 10.5 ± 2.66 = 7.84 to 13.16, worked by hand). Then three points at 20 (above: an
    /// improvement when higher is better) and three at 5 (below: a concern). The concern
    /// started at point 15, not at the improvement before it; and the other way round.
    #[test]
    fn signal_start_is_the_start_of_the_last_signal_only() {
        let options = SpcOptions {
            fix_after: Some(12),
            ..SpcOptions::default()
        };
        let base: Vec<f64> = (0..12).map(|i| 10.0 + f64::from(i % 2)).collect();
        let mut improvement_then_concern = base.clone();
        improvement_then_concern.extend([20.0, 20.0, 20.0, 5.0, 5.0, 5.0]);
        let c = xmr_chart(&improvement_then_concern, &options).expect("valid");
        assert_eq!(c.points[12].point_type, PointType::SpecialCauseImprovement);
        assert_eq!(c.points[17].point_type, PointType::SpecialCauseConcern);
        assert_eq!(c.signal_start(), Some(15));

        let mut concern_then_improvement = base.clone();
        concern_then_improvement.extend([5.0, 5.0, 20.0, 20.0, 20.0, 20.0]);
        let c = xmr_chart(&concern_then_improvement, &options).expect("valid");
        assert_eq!(c.signal_start(), Some(14));

        let mut ends_common = base;
        ends_common.extend([20.0, 10.5]);
        let c = xmr_chart(&ends_common, &options).expect("valid");
        assert_eq!(c.signal_start(), None);
    }

    /// Worked by hand: 1,3,2,4,3,5 has mean 3, moving ranges 2,1,2,1,2 (mean 1.6; none
    /// reaches 3.267 × 1.6 = 5.23, so none is screened), limits 3 ± 2.66 × 1.6 = 3 ± 4.256;
    /// with six points (the fewest charted) the limits are trial limits. (This test used four
    /// points before series under six lost their limits.)
    #[test]
    fn small_series_limits_by_hand() {
        let c = chart(&[1.0, 3.0, 2.0, 4.0, 3.0, 5.0]);
        let s = &c.segments[0];
        assert_eq!(s.mean, 3.0);
        assert!((s.mean_moving_range - 1.6).abs() < 1e-12);
        assert!((s.upper_process_limit - 7.256).abs() < 1e-12);
        assert!((s.lower_process_limit - -1.256).abs() < 1e-12);
        assert!(s.trial_limits && c.trial_limits);
        assert_eq!(c.points[0].moving_range, None);
        assert_eq!(c.points[5].moving_range, Some(2.0));
    }

    /// A peak shared by a 7-point rise and a 7-point fall: rising points are high, the peak
    /// and the falling points are low (the following trend decides the turning point). The
    /// leading 0, 8, 0, 8 widens the limits so that no point is beyond them.
    #[test]
    fn turning_point_takes_the_following_trend() {
        let values = [
            0.0, 8.0, 0.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0,
        ];
        let c = chart(&values);
        assert!(c.points.iter().all(|p| !p.outside_limits));
        assert!(c.points[4..].iter().all(|p| p.trend));
        assert_eq!(c.points[9].special_cause_side, Some(Side::High));
        assert_eq!(c.points[10].special_cause_side, Some(Side::Low));
        assert_eq!(c.points[11].special_cause_side, Some(Side::Low));
    }

    #[test]
    fn repeated_value_breaks_a_trend() {
        let c = chart(&[1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        assert!(c.points.iter().all(|p| !p.trend));
    }

    #[test]
    fn icons_follow_the_improvement_direction() {
        let mut values = vec![10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0];
        values.push(30.0);
        for (improvement, icon) in [
            (
                ImprovementDirection::Increase,
                VariationIcon::ImprovementHigh,
            ),
            (ImprovementDirection::Decrease, VariationIcon::ConcernHigh),
            (ImprovementDirection::Neutral, VariationIcon::NeutralHigh),
        ] {
            let options = SpcOptions {
                improvement,
                ..SpcOptions::default()
            };
            let c = xmr_chart(&values, &options).expect("valid");
            assert_eq!(c.variation_icon, icon, "{improvement:?}");
        }
    }

    #[test]
    fn errors_say_where() {
        let message = SpcError::RebaseOutOfRange {
            idx: 39,
            n_points: 36,
        }
        .to_string();
        assert_eq!(message, "rebase at point 40 but the series has 36 points");
    }
}
