"""Reference values for Waymark's trend statistics (Mann-Kendall, Theil-Sen).

Computed outside Waymark with pymannkendall (Hussain & Mahmud 2019) for the Mann-Kendall test
with ties correction and scipy.stats.theilslopes for the Theil-Sen slope on real (irregular)
times. Run:  python3 tests/reference/trend_reference.py > tests/reference/trend_expected.json
The versions used are written into the output; the Rust test reads that file.
"""
import json
import sys

import numpy
import pymannkendall
import scipy
from scipy import stats

# Series: (name, times in months since the first score, values). Chosen to cover ties, a
# flat series, decreasing and increasing trends, irregular spacing, and n = 3 and n = 12.
SERIES = [
    ("rising_irregular", [0.0, 2.5, 3.1, 6.0, 9.4, 12.2], [40, 42, 41, 47, 50, 53]),
    ("falling_with_ties", [0, 3, 6, 9, 12, 15, 18, 21], [18, 18, 15, 15, 15, 11, 9, 9]),
    ("flat", [0, 3, 6, 9], [5, 5, 5, 5]),
    ("fluctuating", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [20, 14, 22, 15, 21, 16, 23, 14, 20, 17, 22, 15]),
    ("short", [0, 4, 7], [10, 12, 11]),
    ("wemwbs_recovery", [0, 2.9, 6.1, 8.8, 12.3, 15.0, 18.2], [38, 41, 39, 45, 44, 49, 52]),
]


def main():
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "pymannkendall": pymannkendall.__version__,
        },
        "series": [],
    }
    for name, times, values in SERIES:
        mk = pymannkendall.original_test(values)
        slope, intercept, low, high = stats.theilslopes(values, times)
        out["series"].append(
            {
                "name": name,
                "times": times,
                "values": values,
                "s": float(mk.s),
                "var_s": float(mk.var_s),
                "z": float(mk.z),
                "p": float(mk.p),
                "tau": float(mk.Tau),
                "theil_sen_slope": float(slope),
                "theil_sen_intercept": float(intercept),
            }
        )
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
