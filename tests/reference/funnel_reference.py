"""Reference values for Waymark's funnel plots (Spiegelhalter 2005).

An independent implementation written from the papers with scipy.stats (binom, chi2, norm)
and numpy.percentile, not from Waymark's code:
  - proportions, normal limits:  theta0 +/- z * sqrt(theta0 (1 - theta0) / n)
  - exact interpolated limits:   r_p = binom.ppf(p, n, theta0) (or poisson.ppf(p, theta0 E));
                                 alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1));
                                 limit = (r_p - alpha) / n
                                 (Spiegelhalter 2005, Stat Med 24:1185, Appendix A.1.1)
  - ratios, chi-square limits:   chi2.ppf(p, 2 mu) / (2E), chi2.ppf(1 - p, 2 mu + 2) / (2E),
                                 mu = theta0 E (with theta0 = 1, FunnelPlotR's Poisson limits)
  - variance-stabilised scales:  arcsine sqrt (proportions), sqrt (ratios), SE = 1 / (2 sqrt n)
  - overdispersion:              z winsorised at numpy.percentile 10/90 (linear, = R type 7),
                                 phi = mean(z_w^2); multiplicative sqrt(phi) when phi > 1;
                                 additive tau2 = max(0, (I phi - (I - 1)) /
                                 (sum w - sum w^2 / sum w)), w = 1 / SE^2 (Spiegelhalter 2005,
                                 Qual Saf Health Care 14:347; FunnelPlotR)
  - dispersion p-value:          chi2.sf(I phi, I - 1)
Run:  python3 tests/reference/funnel_reference.py > tests/reference/funnel_expected.json
"""
import json
import math
import sys

import numpy
import scipy
from scipy import stats

TAILS = {"95": 0.025, "998": 0.001}

# Proportions: (events, people) for 12 teams, including n = 3 and 8, 0 events and all events.
TEAMS = [(3, 3), (2, 8), (0, 12), (9, 25), (14, 40), (22, 51), (30, 64), (18, 80),
         (55, 120), (41, 150), (90, 210), (70, 260)]
# Ratios: (observed, expected) including O = 0 and small E.
SITES = [(0, 2.4), (3, 1.7), (7, 9.3), (15, 12.8), (22, 30.5), (41, 35.2), (60, 71.9),
         (95, 80.4), (130, 152.0), (210, 196.3)]
# FunnelPlotR's own test data (tests/testthat/test-funnel_plot.R).
FUNNELPLOTR = [(100, 108), (150, 112), (180, 165), (80, 95), (120, 100), (225, 220)]

CASES = [
    # name, indicator, data, target (None = pooled), limit method, scale, overdispersion
    ("teams_exact_natural", "proportion", TEAMS, None, "exact_interpolated", "natural", "none"),
    ("teams_normal_natural", "proportion", TEAMS, None, "normal_approximation", "natural", "none"),
    ("teams_exact_external", "proportion", TEAMS, 0.3, "exact_interpolated", "natural", "none"),
    ("teams_multiplicative_natural", "proportion", TEAMS, None, "exact_interpolated", "natural", "multiplicative"),
    ("teams_additive_natural", "proportion", TEAMS, None, "exact_interpolated", "natural", "additive_random_effects"),
    ("teams_additive_arcsine", "proportion", TEAMS, None, "normal_approximation", "variance_stabilised",
     "additive_random_effects"),
    ("teams_normal_arcsine", "proportion", TEAMS, None, "normal_approximation", "variance_stabilised", "none"),
    ("sites_chisq_target1", "standardised_ratio", SITES, 1.0, "poisson_chi_square", "natural", "none"),
    ("sites_chisq_pooled", "standardised_ratio", SITES, None, "poisson_chi_square", "natural", "none"),
    ("sites_interpolated_target1", "standardised_ratio", SITES, 1.0, "exact_interpolated", "natural", "none"),
    ("sites_interpolated_pooled", "standardised_ratio", SITES, None, "exact_interpolated", "natural", "none"),
    ("sites_normal_natural", "standardised_ratio", SITES, 1.0, "normal_approximation", "natural", "none"),
    ("sites_multiplicative_sqrt", "standardised_ratio", SITES, 1.0, "poisson_chi_square", "variance_stabilised",
     "multiplicative"),
    ("sites_additive_sqrt", "standardised_ratio", SITES, 1.0, "poisson_chi_square", "variance_stabilised",
     "additive_random_effects"),
    ("funnelplotr_additive_sqrt", "standardised_ratio", FUNNELPLOTR, 1.0, "poisson_chi_square", "variance_stabilised",
     "additive_random_effects"),
    ("funnelplotr_additive_natural", "standardised_ratio", FUNNELPLOTR, 1.0, "poisson_chi_square", "natural",
     "additive_random_effects"),
]

# Denominators at which the drawn curves are checked (limits_at).
CURVE_POINTS = {"proportion": [1, 5, 17, 100, 1000, 100000], "standardised_ratio": [0.5, 3.0, 15.0, 20.0, 30.0, 400.0]}


def transform(indicator, scale, value):
    if scale == "natural":
        return value
    if indicator == "proportion":
        return math.asin(math.sqrt(min(max(value, 0.0), 1.0)))
    return math.sqrt(max(value, 0.0))


def back_transform(indicator, scale, y):
    if scale == "natural":
        return min(max(y, 0.0), 1.0) if indicator == "proportion" else max(y, 0.0)
    if indicator == "proportion":
        return math.sin(min(max(y, 0.0), math.pi / 2)) ** 2
    return max(y, 0.0) ** 2


def variance(indicator, scale, target, denominator):
    if scale == "variance_stabilised":
        return 1.0 / (4.0 * denominator)
    if indicator == "proportion":
        return target * (1 - target) / denominator
    return target / denominator


def interpolated(dist, p, denominator):
    r = dist.ppf(p)
    f_r = dist.cdf(r)
    f_below = dist.cdf(r - 1) if r > 0 else 0.0
    alpha = (f_r - p) / (f_r - f_below) if f_r > f_below else 0.0
    return max((r - alpha) / denominator, 0.0)


def limits(indicator, scale, target, method, inflation, denominator):
    out = {}
    for band, tail in TAILS.items():
        if inflation is None and method == "exact_interpolated":
            if indicator == "proportion":
                dist = stats.binom(int(denominator), target)
            else:
                dist = stats.poisson(target * denominator)
            low = interpolated(dist, tail, denominator)
            upp = interpolated(dist, 1 - tail, denominator)
        elif inflation is None and method == "poisson_chi_square":
            mu = target * denominator
            low = stats.chi2.ppf(tail, 2 * mu) / (2 * denominator)
            upp = stats.chi2.ppf(1 - tail, 2 * mu + 2) / (2 * denominator)
        else:
            var = variance(indicator, scale, target, denominator)
            if inflation is None:
                se = math.sqrt(var)
            elif inflation[0] == "multiplicative":
                se = math.sqrt(inflation[1] * var)
            else:
                se = math.sqrt(var + inflation[1])
            z = stats.norm.ppf(1 - tail)
            centre = transform(indicator, scale, target)
            low = back_transform(indicator, scale, centre - z * se)
            upp = back_transform(indicator, scale, centre + z * se)
        out["lower_" + band] = float(low)
        out["upper_" + band] = float(upp)
    return out


def band_of(value, lim):
    if value > lim["upper_998"]:
        return "above_upper998"
    if value > lim["upper_95"]:
        return "above_upper95"
    if value < lim["lower_998"]:
        return "below_lower998"
    if value < lim["lower_95"]:
        return "below_lower95"
    return "within_limits"


def run(name, indicator, data, target, method, scale, overdispersion):
    numerators = numpy.array([d[0] for d in data], dtype=float)
    denominators = numpy.array([d[1] for d in data], dtype=float)
    theta = float(numerators.sum() / denominators.sum()) if target is None else target
    values = numerators / denominators
    centre = transform(indicator, scale, theta)
    ses = numpy.sqrt([variance(indicator, scale, theta, d) for d in denominators])
    z = numpy.array([(transform(indicator, scale, v) - centre) / s for v, s in zip(values, ses)])
    lo, hi = numpy.percentile(z, [10, 90])
    z_w = numpy.clip(z, lo, hi)
    count = len(z)
    phi = float(numpy.mean(z_w ** 2))
    w = 1 / ses ** 2
    tau2 = max(0.0, (count * phi - (count - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    p_value = float(stats.chi2.sf(count * phi, count - 1))
    inflation = None
    if overdispersion == "multiplicative" and phi > 1:
        inflation = ("multiplicative", phi)
    if overdispersion == "additive_random_effects" and tau2 > 0:
        inflation = ("additive", tau2)
    units = []
    for v, d, zi, s in zip(values, denominators, z, ses):
        lim = limits(indicator, scale, theta, method, inflation, d)
        if inflation is None:
            z_adj = None
        elif inflation[0] == "multiplicative":
            z_adj = float(zi / math.sqrt(phi))
        else:
            z_adj = float((transform(indicator, scale, v) - centre) / math.sqrt(s ** 2 + tau2))
        units.append({"value": float(v), "z": float(zi), "z_adjusted": z_adj, "limits": lim,
                      "band": band_of(v, lim)})
    curves = [{"denominator": d, "limits": limits(indicator, scale, theta, method, inflation, d)}
              for d in CURVE_POINTS[indicator]]
    return {"name": name, "indicator": indicator, "numerators": [d[0] for d in data],
            "denominators": [float(d[1]) for d in data],
            "target": None if target is None else target, "limit_method": method, "scale": scale,
            "overdispersion": overdispersion, "expected_target": theta, "phi": phi, "tau2": tau2,
            "dispersion_p_value": p_value, "adjustment_applied": inflation is not None,
            "units": units, "curves": curves}


def main():
    out = {
        "tools": {"python": sys.version.split()[0], "numpy": numpy.__version__,
                  "scipy": scipy.__version__},
        "z_95": float(stats.norm.ppf(0.975)),
        "z_998": float(stats.norm.ppf(0.999)),
        "cases": [run(*case) for case in CASES],
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
