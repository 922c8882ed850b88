"""Reference values for Waymark's XmR chart (NHS England "Making Data Count" rules).

An independent implementation written from the MDC definitions (docs/methods.md, "Statistical process control: XmR charts"),
in pandas: segments are pandas groups, the run rules are rolling-window counts and run-length
groupings, not loops over points. Before writing anything it checks itself against the expected
values NHSRplotthedots publishes in its tests (tests/reference/spc_nhsrplotthedots_fixtures.json),
then computes every series below and writes the results.

Run:  python3 tests/reference/spc_reference.py > tests/reference/spc_expected.json
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd

LIMIT = 2.66
SCREEN = 3.267
RUN = 7
FIRM = 12
HERE = pathlib.Path(__file__).parent


def later_window_hit(window_end: pd.Series, width: int) -> pd.Series:
    """True at i when some window of `width` points ending at i..i+width-1 is flagged, i.e. the
    point belongs to a flagged window (a reversed rolling maximum)."""
    flipped = window_end.astype(float)[::-1]
    return flipped.rolling(width, min_periods=1).max()[::-1].astype(bool)


def segment_chart(y: pd.Series, opts: dict) -> tuple[pd.DataFrame, dict]:
    baseline = y if opts["fix_after"] is None else y.iloc[: opts["fix_after"]]
    if len(baseline) < 2:
        raise ValueError("baseline needs two points")
    mean = float(baseline.mean())
    moving_ranges = baseline.diff().abs().dropna()
    mean_mr = float(moving_ranges.mean())
    n_screened = 0
    if opts["screen"]:
        kept = moving_ranges[moving_ranges < SCREEN * mean_mr]
        if len(kept) > 0:  # a constant baseline keeps a mean moving range of 0
            n_screened = len(moving_ranges) - len(kept)
            mean_mr = float(kept.mean())
    upl, lpl = mean + LIMIT * mean_mr, mean - LIMIT * mean_mr
    two_sigma = 2 * LIMIT / 3 * mean_mr
    u2, l2 = mean + two_sigma, mean - two_sigma

    df = pd.DataFrame({"y": y.to_numpy()})
    side = np.sign(df.y - mean)
    outside = (df.y > upl) | (df.y < lpl)
    beyond2 = (df.y > u2) | (df.y < l2)
    near = beyond2 if opts["two_in_three"] == "beyond_two_sigma" else beyond2 & ~outside

    # Shift: label maximal runs of equal side, measure their length.
    run_id = side.ne(side.shift()).cumsum()
    shift = side.ne(0) & side.groupby(run_id).transform("size").ge(RUN)

    # Trend: the step into point i; a window of RUN-1 equal steps ending at i covers RUN points.
    step = np.sign(df.y.diff())
    rise_end = step.eq(1).astype(int).rolling(RUN - 1).sum().eq(RUN - 1)
    fall_end = step.eq(-1).astype(int).rolling(RUN - 1).sum().eq(RUN - 1)
    rising = later_window_hit(rise_end, RUN)
    falling = later_window_hit(fall_end, RUN)
    trend = rising | falling
    next_step_up = step.shift(-1).gt(0)
    trend_high = (rising & ~falling) | (rising & falling & next_step_up)

    # Two of three: windows of three on one side with >= 2 qualifying points.
    same_side = side.rolling(3).sum().abs().eq(3)
    enough = near.astype(int).rolling(3).sum().ge(2)
    two_in_three = later_window_hit(same_side & enough, 3) & near

    above = side.gt(0)
    high = np.select(
        [outside, trend, two_in_three, shift],
        [above, trend_high, above, above],
        default=False,
    )
    special = outside | trend | two_in_three | shift
    df = df.assign(
        mean=mean, upl=upl, lpl=lpl, u2=u2, l2=l2,
        moving_range=df.y.diff().abs(),
        outside=outside, shift=shift, trend=trend, two_in_three=two_in_three,
        special=special, high=high.astype(bool),
    )
    segment = {
        "n_points": len(y),
        "n_baseline_points": len(baseline),
        "mean": mean,
        "mean_moving_range": mean_mr,
        "n_moving_ranges_screened_out": n_screened,
        "upper_process_limit": upl,
        "lower_process_limit": lpl,
        "trial_limits": len(baseline) < FIRM,
    }
    return df, segment


def point_type(special: bool, high: bool, improvement: str) -> str:
    if not special:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral"
    good = high if improvement == "increase" else not high
    return "special_cause_improvement" if good else "special_cause_concern"


def chart(values, improvement="increase", target=None, rebase_at=(), fix_after=None,
          screen=True, two_in_three="between_two_and_three_sigma"):
    opts = dict(fix_after=fix_after, screen=screen, two_in_three=two_in_three)
    y = pd.Series(values, dtype=float)
    starts = pd.Series(0, index=y.index)
    starts.iloc[[i for i in rebase_at if i > 0]] = 1
    frames, segments = [], []
    for _, part in y.groupby(starts.cumsum()):
        frame, segment = segment_chart(part.reset_index(drop=True), opts)
        frames.append(frame)
        segments.append(segment)
    df = pd.concat(frames, ignore_index=True)
    df["point_type"] = [point_type(s, h, improvement) for s, h in zip(df.special, df.high)]
    df["side"] = [("high" if h else "low") if s else None for s, h in zip(df.special, df.high)]

    last = df.iloc[-1]
    if not last.special:
        variation = "common_cause"
    elif improvement == "neutral":
        variation = "neutral_high" if last.high else "neutral_low"
    else:
        kind = "improvement" if last.point_type == "special_cause_improvement" else "concern"
        variation = f"{kind}_{'high' if last.high else 'low'}"
    assurance = None
    if target is not None and improvement != "neutral":
        upl, lpl = segments[-1]["upper_process_limit"], segments[-1]["lower_process_limit"]
        if target > upl:
            assurance = "consistently_fail" if improvement == "increase" else "consistently_pass"
        elif target < lpl:
            assurance = "consistently_pass" if improvement == "increase" else "consistently_fail"
        else:
            assurance = "hit_and_miss"
    return df, segments, variation, assurance


def check_against_nhsrplotthedots():
    """The reference must reproduce NHSRplotthedots' published expectations before it is used."""
    fx = json.loads((HERE / "spc_nhsrplotthedots_fixtures.json").read_text())

    def near(a, b, rel=1e-12):
        assert abs(a - b) <= rel * max(1.0, abs(b)), (a, b)

    att = fx["ae_all_attendances"]
    df, seg, _, _ = chart(att["values"])
    near(seg[0]["mean"], att["mean"])
    near(seg[0]["lower_process_limit"], att["lower_process_limit"])
    near(seg[0]["upper_process_limit"], att["upper_process_limit"])
    assert list(df.point_type) == att["point_type"]

    reb = fx["ae_all_attendances_rebase"]
    df, seg, _, _ = chart(reb["values"], rebase_at=reb["rebase_at"])
    for k, s in enumerate(seg):
        near(s["mean"], reb["segment_mean"][k])
        near(s["lower_process_limit"], reb["segment_lower_process_limit"][k])
        near(s["upper_process_limit"], reb["segment_upper_process_limit"][k])
    assert list(df.point_type) == reb["point_type"]

    perf = fx["ae_all_performance_fix12"]
    df, seg, _, _ = chart(perf["values"], fix_after=perf["fix_after"])
    near(seg[0]["mean"], perf["mean"])
    near(seg[0]["lower_process_limit"], perf["lower_process_limit"])
    near(seg[0]["upper_process_limit"], perf["upper_process_limit"])
    assert list(df.point_type) == perf["point_type"], list(df.point_type)

    opp = fx["two_in_three_opposite_sides"]
    df, _, _, _ = chart(opp["values"])
    assert list(df.point_type[-2:]) == opp["last_two_point_types"]


def rng_series(seed, n, loc, scale):
    rng = np.random.default_rng(seed)
    return [round(float(v), 1) for v in rng.normal(loc, scale, n)]


STABLE = rng_series(11, 24, 50.0, 4.0)
# Two of three: a calm baseline fixes the limits, then windows placed in sigma units: two points
# in the 2-3 sigma band (a signal under both rules); a band point next to a point beyond the limit
# (a signal only under the 2023 rule); band points on opposite sides, or with the middle point
# across the mean (never a signal); and two low band points to end on.
TWO_IN_THREE_BASELINE = rng_series(22, 20, 20.0, 0.8)


def two_in_three_series():
    _, seg, _, _ = chart(TWO_IN_THREE_BASELINE)
    mean, sigma = seg[0]["mean"], LIMIT / 3 * seg[0]["mean_moving_range"]
    pattern = [0.3, -0.4, 2.3, 0.5, 2.5, -0.3, 0.4, -0.5, 2.4, 3.5, 0.3, -0.6, 0.2,
               2.5, -2.5, 0.2, -0.4, 2.5, -0.3, 2.5, 0.6, -0.2, -2.5, -2.6]
    return TWO_IN_THREE_BASELINE + [round(mean + z * sigma, 3) for z in pattern]


TWO_IN_THREE = two_in_three_series()
# Eight rising points straddle the rebase: a trend only if the rules looked across segments.
ACROSS_REBASE = [5, 9, 4, 8, 5, 9, 1, 2, 3, 4, 5, 6, 7, 8, 2, 9, 3, 8, 4, 9]
SERIES = [
    dict(name="stable", values=STABLE),
    dict(name="stable_decrease_with_target_between", values=STABLE, improvement="decrease", target=52.0),
    dict(name="shift_up", values=rng_series(12, 12, 20.0, 1.5) + rng_series(13, 10, 22.5, 1.5)),
    dict(name="trend_down_then_flat",
         values=[30.2, 29.1, 31.0, 30.4, 28.8, 30.9, 29.5, 31.3, 30.0, 29.0, 27.9, 27.1, 26.0, 25.2,
                 24.8, 23.9, 22.7, 24.1, 23.5, 24.6], improvement="decrease"),
    dict(name="peak_between_trends",
         values=[0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]),
    dict(name="outside_limits_spike", values=rng_series(14, 20, 100.0, 5.0)[:15] + [140.0] +
         rng_series(15, 5, 100.0, 5.0)),
    dict(name="outside_limits_spike_unscreened", values=rng_series(14, 20, 100.0, 5.0)[:15] + [140.0] +
         rng_series(15, 5, 100.0, 5.0), screen=False),
    dict(name="two_in_three_classic", values=TWO_IN_THREE, fix_after=20),
    dict(name="two_in_three_mdc_2023", values=TWO_IN_THREE, fix_after=20, two_in_three="beyond_two_sigma"),
    dict(name="two_in_three_neutral", values=TWO_IN_THREE, fix_after=20, improvement="neutral", target=21.0),
    dict(name="rebased", values=rng_series(16, 15, 40.0, 3.0) + rng_series(17, 14, 33.0, 2.0),
         rebase_at=[15], improvement="decrease", target=36.0),
    dict(name="rebased_short_last_segment", values=rng_series(18, 20, 12.0, 1.0) + [15.1, 14.2, 16.0, 15.5],
         rebase_at=[20, 0, 20], target=10.0),
    dict(name="rising_across_a_rebase", values=ACROSS_REBASE, rebase_at=[10]),
    dict(name="rising_without_the_rebase", values=ACROSS_REBASE),
    dict(name="fixed_baseline_then_improvement",
         values=rng_series(19, 12, 60.0, 3.0) + rng_series(20, 12, 66.0, 3.0), fix_after=12, target=55.0),
    dict(name="fixed_baseline_longer_than_series", values=rng_series(21, 9, 5.0, 0.5), fix_after=12),
    dict(name="target_above_increase", values=STABLE, target=80.0),
    dict(name="target_below_increase", values=STABLE, target=20.0),
    dict(name="target_above_decrease", values=STABLE, target=80.0, improvement="decrease"),
    dict(name="target_below_decrease", values=STABLE, target=20.0, improvement="decrease"),
    dict(name="constant", values=[7.0] * 14, target=7.0),
    dict(name="integers_on_the_mean", values=[5, 5, 6, 4, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 4, 5, 5, 4]),
]


def assert_no_near_ties(values, df):
    """Flags compare values with the mean, two-sigma lines and limits; a value within rounding
    error of one of them could flip between implementations, so the series avoid that (exact
    ties in integer data are fine: both sides compute them exactly)."""
    for col in ("mean", "upl", "lpl", "u2", "l2"):
        gap = (df.y - df[col]).abs()
        scale = max(1.0, float(np.abs(values).max()))
        bad = gap[(gap > 0) & (gap < 1e-9 * scale)]
        assert bad.empty, (col, bad)


def main():
    check_against_nhsrplotthedots()
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "implementation": "tests/reference/spc_reference.py (independent pandas implementation of the "
                              "MDC rules, checked first against NHSRplotthedots' published fixtures)",
        },
        "series": [],
    }
    for spec in SERIES:
        spec = dict(spec)
        name, values = spec.pop("name"), spec.pop("values")
        df, segments, variation, assurance = chart(values, **spec)
        assert_no_near_ties(values, df)
        out["series"].append({
            "name": name,
            "values": [float(v) for v in values],
            "options": {
                "improvement": spec.get("improvement", "increase"),
                "target": spec.get("target"),
                "rebase_at": list(spec.get("rebase_at", [])),
                "fix_after": spec.get("fix_after"),
                "screen_moving_ranges": spec.get("screen", True),
                "two_in_three": spec.get("two_in_three", "between_two_and_three_sigma"),
            },
            "segments": segments,
            "mean": df["mean"].tolist(),
            "upper_process_limit": df.upl.tolist(),
            "lower_process_limit": df.lpl.tolist(),
            "upper_two_sigma": df.u2.tolist(),
            "lower_two_sigma": df.l2.tolist(),
            "moving_range": [None if np.isnan(v) else float(v) for v in df.moving_range],
            "outside_limits": df.outside.tolist(),
            "shift": df["shift"].tolist(),
            "trend": df.trend.tolist(),
            "two_in_three": df.two_in_three.tolist(),
            "special_cause_side": df.side.tolist(),
            "point_type": df.point_type.tolist(),
            "variation_icon": variation,
            "assurance_icon": assurance,
            "trial_limits": any(s["trial_limits"] for s in segments),
        })
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
