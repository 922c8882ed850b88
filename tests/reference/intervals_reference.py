"""Reference values for Waymark's confidence intervals and effect sizes.

Computed outside Waymark with statsmodels and scipy:
  - Wilson:            statsmodels.stats.proportion.proportion_confint(method="wilson")
  - Newcombe (method 10): statsmodels.stats.proportion.confint_proportions_2indep(
                          compare="diff", method="newcomb")
  - mean / paired t:   scipy.stats.t.interval with scipy.stats.sem; the paired interval is also
                       checked against scipy.stats.ttest_rel(...).confidence_interval()
  - effect sizes:      numpy means and std(ddof=1); Hedges' g and the pooled-SD d from
                       statsmodels.stats.meta_analysis.effectsize_smd (d = g / its correction)
  - Poisson rate:      statsmodels.stats.rates.confint_poisson(method="exact-c"), cross-checked
                       with scipy.stats.chi2.ppf (Garwood)
  - rate ratio:        statsmodels.stats.rates.confint_poisson_2indep(method="wald-log");
                       exact conditional from scipy.stats.binomtest(...).proportion_ci("exact")
                       mapped to the ratio scale, cross-checked with statsmodels
                       proportion_confint(method="beta")
Run:  python3 tests/reference/intervals_reference.py > tests/reference/intervals_expected.json
"""
import json
import math
import sys

import numpy
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

CONFIDENCES = [0.95, 0.90, 0.99, 0.998]

# (successes, trials): x = 0, x = n, n = 1, small n, and typical service sizes.
PROPORTIONS = [(0, 1), (1, 1), (0, 5), (5, 5), (1, 5), (0, 20), (20, 20), (3, 10), (7, 20),
               (41, 97), (250, 1000), (1, 2)]

# (x1, n1, x2, n2): Newcombe's own worked examples (Stat Med 1998 Table II: 56/70 vs 48/80,
# 9/10 vs 3/10, 6/7 vs 2/7, 5/56 vs 0/29, 0/10 vs 0/20, 10/10 vs 0/20) plus service sizes.
DIFFERENCES = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20),
               (10, 10, 0, 20), (41, 97, 30, 102), (1, 3, 2, 3)]

# Score samples (e.g. PHQ-9 totals) for means; pairs (before, after) for paired statistics.
SAMPLES = [
    ("phq9_baseline", [17, 14, 21, 12, 19, 16, 23, 15, 11, 18, 20, 13]),
    ("two_values", [10, 14]),
    ("wemwbs", [38.0, 41.0, 35.0, 44.0, 40.0, 37.0, 46.0, 39.0, 42.0]),
    ("constant", [7, 7, 7, 7]),
]
PAIRS = [
    ("phq9_course", [17, 14, 21, 12, 19, 16, 23, 15, 11, 18, 20, 13],
     [9, 10, 14, 11, 8, 12, 15, 6, 9, 13, 11, 10]),
    ("wemwbs_course", [38, 41, 35, 44, 40, 37, 46, 39, 42],
     [45, 44, 41, 47, 49, 40, 52, 43, 46]),
    ("three_pairs", [20, 15, 18], [14, 13, 17]),
]
GROUPS = [
    ("phq9_change_teams", [8, 4, 7, 1, 11, 4, 8, 9, 2, 5, 9, 3], [3, 5, -1, 2, 6, 0, 4, 1, 2]),
    ("small_groups", [12.5, 14.0, 9.5], [10.0, 8.5]),
    ("wemwbs_groups", [45, 44, 41, 47, 49, 40, 52, 43, 46, 50], [40, 42, 39, 44, 38, 41, 45, 37]),
]

# (x, exposure in person-months): x = 0, x = 1, small and large counts.
RATES = [(0, 12.0), (1, 30.0), (3, 48.5), (10, 250.0), (57, 1830.0), (2, 0.5)]

# (x1, T1, x2, T2) for rate ratios, including x1 = 0 (exact only) and small counts.
RATE_RATIOS = [(6, 40.0, 9, 35.0), (12, 380.0, 31, 410.0), (1, 10.0, 1, 10.0), (0, 25.0, 5, 30.0),
               (30, 100.0, 4, 120.0), (57, 1830.0, 88, 1795.5), (5210, 90400.0, 4870, 88900.0)]


def wilson_cases():
    out = []
    for confidence in CONFIDENCES:
        for x, n in PROPORTIONS:
            low, upp = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
            out.append({"successes": x, "trials": n, "confidence": confidence,
                        "lower": float(low), "upper": float(upp)})
    return out


def newcombe_cases():
    out = []
    for confidence in CONFIDENCES:
        for x1, n1, x2, n2 in DIFFERENCES:
            low, upp = confint_proportions_2indep(x1, n1, x2, n2, compare="diff",
                                                  method="newcomb", alpha=1 - confidence)
            out.append({"successes1": x1, "trials1": n1, "successes2": x2, "trials2": n2,
                        "confidence": confidence, "difference": x1 / n1 - x2 / n2,
                        "lower": float(low), "upper": float(upp)})
    return out


def mean_cases():
    out = []
    for confidence in CONFIDENCES:
        for name, values in SAMPLES:
            a = numpy.asarray(values, dtype=float)
            sem = stats.sem(a)
            if sem > 0:
                low, upp = stats.t.interval(confidence, len(a) - 1, loc=a.mean(), scale=sem)
            else:  # scipy returns NaN for scale 0; the interval is the point itself.
                low = upp = a.mean()
            out.append({"name": name, "values": values, "confidence": confidence,
                        "mean": float(a.mean()), "sd": float(a.std(ddof=1)),
                        "standard_error": float(sem), "lower": float(low), "upper": float(upp)})
    return out


def paired_cases():
    out = []
    for name, before, after in PAIRS:
        b = numpy.asarray(before, dtype=float)
        a = numpy.asarray(after, dtype=float)
        d = a - b
        intervals = []
        for confidence in CONFIDENCES:
            low, upp = stats.t.interval(confidence, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
            ci = stats.ttest_rel(a, b).confidence_interval(confidence_level=confidence)
            assert math.isclose(low, ci.low, rel_tol=1e-12) and math.isclose(upp, ci.high, rel_tol=1e-12)
            intervals.append({"confidence": confidence, "lower": float(low), "upper": float(upp)})
        t_stat = stats.ttest_rel(a, b).statistic
        d_z = d.mean() / d.std(ddof=1)
        assert math.isclose(d_z, t_stat / math.sqrt(len(d)), rel_tol=1e-12)
        out.append({"name": name, "before": before, "after": after,
                    "mean_difference": float(d.mean()), "sd_difference": float(d.std(ddof=1)),
                    "intervals": intervals, "d_z": float(d_z),
                    "baseline_sd_effect_size": float((a.mean() - b.mean()) / b.std(ddof=1))})
    return out


def group_cases():
    out = []
    for name, g1, g2 in GROUPS:
        a = numpy.asarray(g1, dtype=float)
        b = numpy.asarray(g2, dtype=float)
        g, _var = effectsize_smd(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b))
        correction = 1 - 3 / (4 * (len(a) + len(b)) - 9)
        out.append({"name": name, "group1": g1, "group2": g2,
                    "cohens_d": float(g / correction), "hedges_g": float(g)})
    return out


def rate_cases():
    out = []
    for confidence in CONFIDENCES:
        alpha = 1 - confidence
        for x, months in RATES:
            low, upp = confint_poisson(x, months, method="exact-c", alpha=alpha)
            chi_low = 0.0 if x == 0 else stats.chi2.ppf(alpha / 2, 2 * x) / 2 / months
            chi_upp = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2 / months
            assert math.isclose(low, chi_low, rel_tol=1e-10, abs_tol=1e-15)
            assert math.isclose(upp, chi_upp, rel_tol=1e-10)
            out.append({"events": x, "person_months": months, "confidence": confidence,
                        "rate_per_100": 100 * x / months,
                        "lower_per_100": 100 * float(low), "upper_per_100": 100 * float(upp)})
    return out


def rate_ratio_cases():
    out = []
    for confidence in CONFIDENCES:
        alpha = 1 - confidence
        for x1, t1, x2, t2 in RATE_RATIOS:
            case = {"events1": x1, "exposure1": t1, "events2": x2, "exposure2": t2,
                    "confidence": confidence, "ratio": (x1 / t1) / (x2 / t2)}
            if x1 > 0:
                low, upp = confint_poisson_2indep(x1, t1, x2, t2, method="wald-log",
                                                  compare="ratio", alpha=alpha)
                case["wald_log"] = {"lower": float(low), "upper": float(upp)}
            else:
                case["wald_log"] = None
            ci = stats.binomtest(x1, x1 + x2).proportion_ci(confidence_level=confidence,
                                                            method="exact")
            sm_low, sm_upp = proportion_confint(x1, x1 + x2, alpha=alpha, method="beta")
            assert math.isclose(ci.low, sm_low, rel_tol=1e-9, abs_tol=1e-15)
            assert math.isclose(ci.high, sm_upp, rel_tol=1e-9)
            to_ratio = lambda share: share / (1 - share) * t2 / t1  # noqa: E731
            case["exact_conditional"] = {"lower": float(to_ratio(ci.low)),
                                         "upper": float(to_ratio(ci.high))}
            out.append(case)
    return out


def main():
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
        },
        "wilson": wilson_cases(),
        "newcombe": newcombe_cases(),
        "means": mean_cases(),
        "paired": paired_cases(),
        "groups": group_cases(),
        "poisson_rates": rate_cases(),
        "rate_ratios": rate_ratio_cases(),
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
