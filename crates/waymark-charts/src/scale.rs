//! Axis scales and "nice" tick steps (1, 2 or 5 × 10^k).

/// Magnitudes beyond this are clamped before any arithmetic, so differences of two domain
/// ends stay finite (2e300 is representable; 2e308 is not).
const MAGNITUDE_LIMIT: f64 = 1e300;

/// Ticks for one axis: the (widened) domain and the tick values inside it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// The finite extent of `values`, or `None` when there is no finite value.
pub(crate) fn extent<I: IntoIterator<Item = f64>>(values: I) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT))
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Nice ticks covering `[min, max]`, aiming at about `target_count` intervals.
///
/// The step is 1, 2 or 5 × 10^k; the domain is widened to whole steps. A zero range is
/// widened around the value (±10%, or ±1 around zero); non-finite input falls back to 0–1.
/// Never returns a non-finite number and never loops more than a fixed number of times.
pub(crate) fn nice_ticks(min: f64, max: f64, target_count: usize) -> Ticks {
    let (mut lo, mut hi) = if min.is_finite() && max.is_finite() {
        (
            min.min(max).clamp(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
            max.max(min).clamp(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT),
        )
    } else {
        (0.0, 1.0)
    };
    let magnitude = lo.abs().max(hi.abs());
    // Ranges below float resolution (or below 1e-200, where powers of ten underflow) are
    // treated as a single value.
    if hi - lo <= (magnitude * 1e-9).max(1e-200) {
        let pad = if magnitude > 1e-200 {
            magnitude * 0.1
        } else {
            1.0
        };
        lo -= pad;
        hi += pad;
    }
    let intervals = target_count.clamp(1, 20) as f64;
    let raw_step = (hi - lo) / intervals;
    let power = 10f64.powf(raw_step.log10().floor());
    let normalised = raw_step / power;
    let multiplier = if normalised <= 1.0 {
        1.0
    } else if normalised <= 2.0 {
        2.0
    } else if normalised <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = multiplier * power;
    if !step.is_finite() || step <= 0.0 {
        return Ticks {
            lo,
            hi,
            step: hi - lo,
            values: vec![lo, hi],
        };
    }
    let nice_lo = (lo / step).floor() * step;
    let nice_hi = (hi / step).ceil() * step;
    if !nice_lo.is_finite() || !nice_hi.is_finite() || nice_hi <= nice_lo {
        return Ticks {
            lo,
            hi,
            step: hi - lo,
            values: vec![lo, hi],
        };
    }
    let count = ((nice_hi - nice_lo) / step).round().clamp(1.0, 40.0) as usize;
    let values = (0..=count)
        .map(|i| {
            let v = nice_lo + i as f64 * step;
            // Snap float noise such as 0.30000000000000004 and -0.0 onto the step grid.
            let snapped = (v / step).round() * step;
            if snapped == 0.0 {
                0.0
            } else {
                snapped
            }
        })
        .collect();
    Ticks {
        lo: nice_lo,
        hi: nice_lo + count as f64 * step,
        step,
        values,
    }
}

/// Maps a data domain onto a pixel range. Out-of-domain values map outside the range;
/// callers clip or clamp as they need.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LinearScale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl LinearScale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> LinearScale {
        LinearScale {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    pub fn map(&self, value: f64) -> f64 {
        let span = self.d1 - self.d0;
        let clamped = value.clamp(-MAGNITUDE_LIMIT, MAGNITUDE_LIMIT);
        if !span.is_finite() || span == 0.0 || !clamped.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        let t = (clamped - self.d0) / span;
        // Keep far-away values a bounded distance off the plot (they are clipped anyway).
        let t = if t.is_finite() {
            t.clamp(-10.0, 11.0)
        } else {
            0.5
        };
        self.r0 + t * (self.r1 - self.r0)
    }

    /// Like `map`, but pinned to the pixel range.
    pub fn map_clamped(&self, value: f64) -> f64 {
        let (a, b) = if self.r0 <= self.r1 {
            (self.r0, self.r1)
        } else {
            (self.r1, self.r0)
        };
        self.map(value).clamp(a, b)
    }
}

/// Evenly spaced positions for `count` categories along `[start, end]`: the ends for lines
/// (first and last category on the plot edges, one category in the middle).
pub(crate) fn point_positions(count: usize, start: f64, end: f64) -> Vec<f64> {
    match count {
        0 => Vec::new(),
        1 => vec![(start + end) / 2.0],
        n => (0..n)
            .map(|i| start + (end - start) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// Which of `count` evenly spaced labels to show so that labels `label_width` wide do not
/// overlap when `spacing` pixels apart: every k-th, starting with the first.
pub(crate) fn label_stride(count: usize, spacing: f64, label_width: f64) -> usize {
    if count <= 1 || !spacing.is_finite() || spacing <= 0.0 {
        return 1;
    }
    let needed = ((label_width + 8.0) / spacing).ceil();
    if needed.is_finite() && needed >= 1.0 {
        (needed as usize).min(count)
    } else {
        1
    }
}

/// Moves label positions apart so that neighbours are at least `gap` pixels apart, keeping
/// them inside `[min, max]` where possible. Returns positions in the input order.
pub(crate) fn spread_labels(positions: &[f64], gap: f64, min: f64, max: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|a, b| {
        let pa = positions.get(*a).copied().unwrap_or(0.0);
        let pb = positions.get(*b).copied().unwrap_or(0.0);
        pa.total_cmp(&pb)
    });
    let mut placed: Vec<f64> = order
        .iter()
        .map(|&i| positions.get(i).copied().unwrap_or(min).clamp(min, max))
        .collect();
    for i in 1..placed.len() {
        if placed[i] - placed[i - 1] < gap {
            placed[i] = placed[i - 1] + gap;
        }
    }
    // If the last ones were pushed past the bottom, shift the stack back up.
    if let Some(&last) = placed.last() {
        if last > max {
            let shift = last - max;
            for p in placed.iter_mut() {
                *p -= shift;
            }
            for i in (0..placed.len().saturating_sub(1)).rev() {
                if placed[i + 1] - placed[i] < gap {
                    placed[i] = placed[i + 1] - gap;
                }
            }
        }
    }
    let mut result = vec![0.0; positions.len()];
    for (slot, &i) in order.iter().enumerate() {
        if let (Some(out), Some(p)) = (result.get_mut(i), placed.get(slot)) {
            *out = *p;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_use_1_2_5_steps() {
        let t = nice_ticks(0.0, 97.0, 5);
        assert_eq!(t.step, 20.0);
        assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = nice_ticks(0.13, 0.87, 5);
        assert_eq!(t.step, 0.2);
        assert_eq!(t.values.first().copied(), Some(0.0));
        assert_eq!(t.values.last().copied(), Some(1.0));
        let t = nice_ticks(-3.0, 12.0, 5);
        assert_eq!(t.step, 5.0);
        assert_eq!(t.lo, -5.0);
        assert_eq!(t.hi, 15.0);
    }

    #[test]
    fn degenerate_ranges_are_widened() {
        let t = nice_ticks(5.0, 5.0, 5);
        assert!(t.lo < 5.0 && t.hi > 5.0);
        let t = nice_ticks(0.0, 0.0, 5);
        assert!(t.lo < 0.0 && t.hi > 0.0);
        let t = nice_ticks(f64::NAN, 3.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        for (a, b) in [(-f64::MAX, f64::MAX), (1e16, 1e16 + 2.0), (0.0, 1e-320)] {
            let t = nice_ticks(a, b, 5);
            assert!(
                t.lo.is_finite() && t.hi.is_finite() && t.hi > t.lo,
                "{a} {b}"
            );
            assert!(t.values.iter().all(|v| v.is_finite()));
            assert!(t.values.len() <= 41);
        }
    }

    #[test]
    fn labels_are_spread_apart_inside_bounds() {
        let placed = spread_labels(&[100.0, 101.0, 50.0], 14.0, 0.0, 200.0);
        assert_eq!(placed[2], 50.0);
        assert!((placed[1] - placed[0]).abs() >= 14.0 - 1e-9);
        let placed = spread_labels(&[199.0, 200.0], 14.0, 0.0, 200.0);
        assert!(placed.iter().all(|p| *p <= 200.0));
    }
}
