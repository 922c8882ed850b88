"""Reference values for Waymark's survival statistics (Kaplan-Meier, median, RMST, log-rank).

Computed outside Waymark with:
- lifelines (KaplanMeierFitter: survival, at-risk/event/censored counts, exponential Greenwood
  (log(-log)) bounds; median_survival_time_ and median_survival_times of the confidence-interval
  frame for the median's interval; restricted_mean_survival_time for the RMST;
  multivariate_logrank_test and logrank_test);
- statsmodels (SurvfuncRight's Greenwood standard error and survdiff's log-rank chi-square,
  asserted here to agree with the values written);
- survrm2py (exact_rmst1, a line-by-line Python translation of R survRM2's rmst1) for the
  variance of the RMST estimate; lifelines' return_variance is the variance of min(T, tau)
  between people, a different quantity;
- scipy (normal quantile for the RMST interval; chi-square tail for the log-rank p-value).

Datasets: the Freireich et al. (1963) 6-MP vs placebo remission data, as bundled by lifelines
(load_leukemia: Rx = 0 is 6-MP, Rx = 1 placebo), lifelines' load_waltons, and small made-up or
seeded sets for ties, zero times, heavy censoring, no events and a curve that falls to zero.

Install: pip install lifelines==0.30.3 statsmodels==0.15.0 scipy==1.14.1
         pip install --no-deps survrm2py==0.1.5
Run:  python3 tests/reference/survival_reference.py > tests/reference/survival_expected.json
"""
import json
import math
import sys
import warnings

import lifelines
import numpy
import pandas
import scipy
import statsmodels
import survrm2py
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_leukemia, load_waltons
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import (
    group_survival_table_from_events,
    median_survival_times,
    restricted_mean_survival_time,
)
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from survrm2py import exact_rmst1

warnings.simplefilter("ignore")


def seeded_pathway(seed, n, mean_days, follow_up):
    """Days to first crisis, exponential, rounded to whole days (so ties), censored at the end
    of follow-up or at a random earlier discharge."""
    rng = numpy.random.default_rng(seed)
    crisis = numpy.floor(rng.exponential(mean_days, n))
    discharge = numpy.floor(rng.uniform(30, follow_up * 1.5, n))
    end = numpy.minimum(discharge, follow_up)
    times = numpy.minimum(crisis, end)
    events = crisis <= end
    return [float(t) for t in times], [bool(e) for e in events]


leukemia = load_leukemia()
waltons = load_waltons()


def column(frame, mask, name):
    return [float(v) for v in frame.loc[mask, name]]


FREIREICH_6MP = (column(leukemia, leukemia.Rx == 0, "t"), [bool(s) for s in leukemia.loc[leukemia.Rx == 0, "status"]])
FREIREICH_PLACEBO = (column(leukemia, leukemia.Rx == 1, "t"), [bool(s) for s in leukemia.loc[leukemia.Rx == 1, "status"]])
WALTONS_CONTROL = (column(waltons, waltons.group == "control", "T"), [bool(e) for e in waltons.loc[waltons.group == "control", "E"]])
WALTONS_MIR137 = (column(waltons, waltons.group == "miR-137", "T"), [bool(e) for e in waltons.loc[waltons.group == "miR-137", "E"]])
TIES_AND_ZERO_TIMES = (
    [0, 0, 0, 1, 1, 2, 2, 2, 3, 5, 5, 5, 8, 8, 13],
    [True, True, False, True, False, True, True, False, False, True, False, False, True, False, True],
)
HEAVY_CENSORING = (
    [12, 30, 45, 45, 60, 71, 90, 90, 90, 120, 150, 181, 181, 200, 240, 270, 300, 330, 365, 365, 365, 365, 365, 365, 365],
    [False, True, False, False, True, False, False, False, True, False, False, True, False, False, False, False, True, False, False, False, False, False, False, False, False],
)
ALL_CENSORED = ([4, 9, 9, 20, 31], [False] * 5)
FALLS_TO_ZERO = ([2, 3, 3, 5, 7, 11], [True, False, True, True, False, True])
EXACT_HALF = ([1, 2, 3, 4], [True, True, False, True])
SINGLE_EVENT = ([10], [True])
PATHWAY_A = seeded_pathway(11, 60, 200, 365)
PATHWAY_B = seeded_pathway(12, 45, 320, 365)
PATHWAY_C = seeded_pathway(13, 30, 140, 365)

# (name, (times, events), confidence level, taus for the RMST)
KM_CASES = [
    ("freireich_6mp", FREIREICH_6MP, 0.95, [5, 10, 16, 23, 35]),
    ("freireich_6mp_90", FREIREICH_6MP, 0.90, [23]),
    ("freireich_placebo", FREIREICH_PLACEBO, 0.95, [8, 12.5, 23, 30]),
    ("waltons_control", WALTONS_CONTROL, 0.95, [30, 50, 75]),
    ("waltons_mir137", WALTONS_MIR137, 0.95, [20, 40, 60]),
    ("ties_and_zero_times", TIES_AND_ZERO_TIMES, 0.95, [0.5, 2, 4, 13, 20]),
    ("heavy_censoring", HEAVY_CENSORING, 0.95, [10, 180, 365, 400]),
    ("all_censored", ALL_CENSORED, 0.95, [3, 9, 50]),
    ("falls_to_zero", FALLS_TO_ZERO, 0.99, [4, 11, 15]),
    ("exact_half", EXACT_HALF, 0.95, [2, 4]),
    ("single_event", SINGLE_EVENT, 0.95, [5, 10, 12]),
    ("pathway_a", PATHWAY_A, 0.95, [90, 180, 365]),
    ("pathway_b", PATHWAY_B, 0.80, [90, 365]),
]

# (name, groups as (times, events))
LOG_RANK_CASES = [
    ("freireich", [FREIREICH_6MP, FREIREICH_PLACEBO]),
    ("waltons", [WALTONS_CONTROL, WALTONS_MIR137]),
    ("three_pathways", [PATHWAY_A, PATHWAY_B, PATHWAY_C]),
    ("ties_vs_falls_to_zero", [TIES_AND_ZERO_TIMES, FALLS_TO_ZERO]),
    ("four_groups_heavy_censoring", [HEAVY_CENSORING, PATHWAY_B, ALL_CENSORED, PATHWAY_C]),
    # Every group is identical: chi-square 0.
    ("identical_groups", [EXACT_HALF, EXACT_HALF]),
    # The last group is censored before the first event, so it is never at risk at an event
    # time: lifelines keeps 3 - 1 degrees of freedom, Waymark uses the rank (1).
    ("group_never_at_risk", [FALLS_TO_ZERO, EXACT_HALF, ([0.25, 0.5], [False, False])]),
    ("group_never_at_risk_first", [([0.25, 0.5], [False, False]), FALLS_TO_ZERO, EXACT_HALF]),
]


def optional(value):
    value = float(value)
    return None if math.isinf(value) or math.isnan(value) else value


def kaplan_meier_case(name, data, level, taus):
    times, events = data
    kmf = KaplanMeierFitter(alpha=1 - level).fit(times, events)
    table = kmf.event_table
    survival = kmf.survival_function_.iloc[:, 0]
    bounds = kmf.confidence_interval_
    greenwood_sum = kmf._cumulative_sq_  # lifelines' running sum of d / (n (n - d))
    observed_times = sorted(set(times))
    steps = []
    for t in observed_times:
        row = table.loc[t]
        steps.append(
            {
                "time": float(t),
                "n_at_risk": int(row["at_risk"]),
                "n_events": int(row["observed"]),
                "n_censored": int(row["censored"]),
                "survival": float(survival.loc[t]),
                "greenwood_variance": float(survival.loc[t] ** 2 * greenwood_sum.loc[t]),
                "lower": float(bounds.loc[t].iloc[0]),
                "upper": float(bounds.loc[t].iloc[1]),
            }
        )
    check_greenwood_with_statsmodels(times, events, steps)
    median_interval = median_survival_times(kmf.confidence_interval_)
    rmst = []
    for tau in taus:
        estimate, spread_of_restricted_time = restricted_mean_survival_time(kmf, t=tau, return_variance=True)
        # survrm2py drops events at time 0 (it seeds its table with t = 0); shifting every time
        # by one leaves the variance unchanged (each A_i and d_i/(n_i(n_i - d_i)) is the same)
        # and puts those events back.
        _, variance = exact_rmst1(numpy.array(times, float) + 1.0, numpy.array(events, int), tau + 1.0)
        z = stats.norm.ppf(1 - (1 - level) / 2)
        rmst.append(
            {
                "tau": float(tau),
                "estimate": float(estimate),
                "variance": float(variance),
                "lower": float(estimate - z * math.sqrt(variance)),
                "upper": float(estimate + z * math.sqrt(variance)),
                "lifelines_variance_of_restricted_time": float(spread_of_restricted_time),
            }
        )
    return {
        "name": name,
        "times": [float(t) for t in times],
        "events": events,
        "confidence_level": level,
        "steps": steps,
        "median": optional(kmf.median_survival_time_),
        "median_lower": optional(median_interval.iloc[0, 0]),
        "median_upper": optional(median_interval.iloc[0, 1]),
        "rmst": rmst,
    }


def check_greenwood_with_statsmodels(times, events, steps):
    if not any(events):
        return
    fit = SurvfuncRight(numpy.array(times, float), numpy.array(events, int))
    by_time = {s["time"]: s for s in steps}
    for t, se in zip(fit.surv_times, fit.surv_prob_se):
        if not numpy.isnan(se):
            assert math.isclose(by_time[float(t)]["greenwood_variance"], se**2, rel_tol=1e-10, abs_tol=1e-14)


def log_rank_case(name, groups):
    durations = numpy.concatenate([numpy.array(t, float) for t, _ in groups])
    observed = numpy.concatenate([numpy.array(e, int) for _, e in groups])
    labels = numpy.concatenate([numpy.full(len(t), j) for j, (t, _) in enumerate(groups)])
    result = multivariate_logrank_test(durations, labels, observed)
    if len(groups) == 2:
        pair = logrank_test(groups[0][0], groups[1][0], groups[0][1], groups[1][1])
        assert math.isclose(pair.test_statistic, result.test_statistic, rel_tol=1e-12, abs_tol=1e-12)
    # Expected events per group from lifelines' own risk-set table.
    unique_groups, removed, obs, _ = group_survival_table_from_events(labels, durations, observed)
    at_risk = removed.sum(0) - removed.cumsum(0).shift(1).fillna(0)
    total_at_risk = at_risk.sum(1)
    total_events = obs.sum(1)
    expected = at_risk.mul(total_events / total_at_risk, axis="index").sum(0)
    groups_out = []
    for j, (t, e) in enumerate(groups):
        column_name = f"removed:{j}"
        groups_out.append(
            {
                "times": [float(x) for x in t],
                "events": [bool(x) for x in e],
                "observed_events": int(sum(e)),
                "expected_events": float(expected[column_name]),
            }
        )
    degrees_of_freedom = result.degrees_of_freedom
    if name.startswith("group_never_at_risk"):
        # One group is never at risk at an event time, so it adds no information.
        assert min(g["expected_events"] for g in groups_out) == 0.0
        degrees_of_freedom = len(groups) - 2
    else:
        chisq, _ = survdiff(durations, observed, labels)
        assert math.isclose(chisq, result.test_statistic, rel_tol=1e-9, abs_tol=1e-12)
    return {
        "name": name,
        "groups": groups_out,
        "chi_square": float(result.test_statistic),
        "lifelines_degrees_of_freedom": int(result.degrees_of_freedom),
        "lifelines_p_value": float(result.p_value),
        "degrees_of_freedom": int(degrees_of_freedom),
        "p_value": float(stats.chi2.sf(result.test_statistic, degrees_of_freedom)),
    }


def main():
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "lifelines": lifelines.__version__,
            "statsmodels": statsmodels.__version__,
            "survrm2py": survrm2py.__version__,
            "scipy": scipy.__version__,
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
        },
        "kaplan_meier": [kaplan_meier_case(*case) for case in KM_CASES],
        "log_rank": [log_rank_case(*case) for case in LOG_RANK_CASES],
        # No events in any group: the test is undefined (lifelines reports 0 and p = 1).
        "log_rank_without_events": [list(ALL_CENSORED), list(ALL_CENSORED)],
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
