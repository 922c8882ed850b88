"""Reference values for Waymark's outcome-measure catalogue (crates/waymark-core/src/measures/).

Computed outside Waymark, independently of the Rust code:
  * Jacobson & Truax (1991) reliable-change thresholds 1.96 * SD * sqrt(2 * (1 - r)) and the
    Norman, Sloan & Wyrwich (2003) half-SD rule, with numpy, for a grid of SDs and
    reliabilities, for the catalogue defaults (inputs copied from docs/methods.md ("Outcome measures")),
    and for local baseline SDs (numpy std with ddof=1);
  * Jacobson & Truax criterion c for the CORE-10 manual norms;
  * the NHS Talking Therapies paired PHQ-9 / GAD-7 classification, written as vectorised
    pandas column logic from the definitions (caseness PHQ-9 >= 10 or GAD-7 >= 8; reliable
    change 6 and 4; recovery; reliable improvement / deterioration; reliable recovery) over
    every combination of a grid of first and last scores.

Run:  python3 tests/reference/measures_reference.py > tests/reference/measures_expected.json
The versions used are written into the output; the Rust test
crates/waymark-core/tests/reference_measures.rs reads that file.
"""
import itertools
import json
import sys

import numpy
import pandas

Z = 1.96

# (sd, reliability) grid, including the edge r = 0.
SD_GRID = [0.5, 1.1, 3.921, 4.5, 5.5, 7.7, 10.0, 25.0]
R_GRID = [0.0, 0.5, 0.71, 0.8, 0.84, 0.9, 0.94, 0.99]

# Catalogue defaults whose threshold is computed (method, sd, r); published values are
# listed as they are.
DEFAULT_THRESHOLDS = {
    "PHQ-9": ("published", 6.0, None),
    "GAD-7": ("published", 4.0, None),
    "CORE-10": ("published", 6.0, None),  # Barkham et al. 2013; J&T (7.7, .90) is an option
    "CORE-OM": ("jacobson_truax", 7.5, 0.94),
    "WEMWBS": ("jacobson_truax", 8.79, 0.89),
    "SWEMWBS": ("published", 2.87, None),
    "DIALOG": ("half_sd", 1.1, None),
    "GBO": ("published", 2.45, None),
}

# Baseline samples for the local-SD option: (name, catalogue measure, scores).
rng = numpy.random.default_rng(20240531)
LOCAL_SAMPLES = [
    ("reqol_0_to_29", "ReQoL-10", [float(x) for x in range(30)]),
    ("core10_clinical_like", "CORE-10", [float(x) for x in rng.integers(5, 36, size=45)]),
    ("phq9_forty", "PHQ-9", [float(x) for x in rng.integers(8, 28, size=40)]),
    ("dialog_means", "DIALOG", [round(float(x), 3) for x in rng.uniform(1.5, 6.5, size=31)]),
    ("recovery_star_totals", "Recovery Star", [float(x) for x in rng.integers(20, 90, size=33)]),
]
# Reliability and rule of each measure used for local samples (from the catalogue docs).
LOCAL_RULES = {
    "ReQoL-10": ("jacobson_truax", 0.85),
    "CORE-10": ("jacobson_truax", 0.90),
    "PHQ-9": ("jacobson_truax", 0.84),
    "DIALOG": ("half_sd", None),
    "Recovery Star": ("half_sd", None),
}

PHQ_GRID = [0, 4, 9, 10, 11, 15, 16, 21, 27]
GAD_GRID = [0, 3, 4, 7, 8, 11, 12, 21]
TT_COLUMNS = [
    "phq_first",
    "phq_last",
    "gad_first",
    "gad_last",
    "at_caseness",
    "recovered",
    "reliable_improvement",
    "reliable_deterioration",
    "reliable_recovery",
]


def jacobson_truax(sd, r):
    return Z * sd * numpy.sqrt(2.0 * (1.0 - r))


def threshold(method, sd, r):
    if method == "published":
        return sd
    if method == "half_sd":
        return 0.5 * sd
    return float(jacobson_truax(sd, r))


def talking_therapies_table():
    rows = list(itertools.product(PHQ_GRID, PHQ_GRID, GAD_GRID, GAD_GRID))
    df = pandas.DataFrame(rows, columns=["phq_first", "phq_last", "gad_first", "gad_last"])
    df["at_caseness"] = (df.phq_first >= 10) | (df.gad_first >= 8)
    df["recovered"] = df.at_caseness & (df.phq_last < 10) & (df.gad_last < 8)
    phq_change = df.phq_last - df.phq_first
    gad_change = df.gad_last - df.gad_first
    phq_down, phq_up = phq_change <= -6, phq_change >= 6
    gad_down, gad_up = gad_change <= -4, gad_change >= 4
    df["reliable_improvement"] = (phq_down | gad_down) & ~(phq_up | gad_up)
    df["reliable_deterioration"] = (phq_up | gad_up) & ~(phq_down | gad_down)
    df["reliable_recovery"] = df.recovered & df.reliable_improvement
    return df


def main():
    grid = [
        {"sd": sd, "reliability": r, "threshold": float(jacobson_truax(sd, r))}
        for sd in SD_GRID
        for r in R_GRID
    ]
    defaults = [
        {"measure": name, "method": method, "threshold": threshold(method, sd, r)}
        for name, (method, sd, r) in DEFAULT_THRESHOLDS.items()
    ]
    local = []
    for name, measure, scores in LOCAL_SAMPLES:
        sd = float(numpy.std(numpy.array(scores), ddof=1))
        method, r = LOCAL_RULES[measure]
        local.append(
            {
                "name": name,
                "measure": measure,
                "scores": scores,
                "sd": sd,
                "method": method,
                "threshold": threshold(method, sd, r),
            }
        )
    norms = (19.7, 7.7, 4.7, 4.8)  # CORE-10 manual: clinical mean/SD, general population mean/SD
    m_clin, sd_clin, m_norm, sd_norm = norms
    criterion_c = (sd_clin * m_norm + sd_norm * m_clin) / (sd_clin + sd_norm)
    table = talking_therapies_table()
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
        },
        "jacobson_truax_grid": grid,
        "default_thresholds": defaults,
        "local_sd": local,
        "core10_criterion_c": criterion_c,
        # One row per case, columns as in "talking_therapies_columns" (flags as 0/1).
        "talking_therapies_columns": TT_COLUMNS,
        "talking_therapies": "ROWS",
        "talking_therapies_counts": {
            column: int(table[column].sum())
            for column in [
                "at_caseness",
                "recovered",
                "reliable_improvement",
                "reliable_deterioration",
                "reliable_recovery",
            ]
        },
    }
    rows = table[TT_COLUMNS].astype(int).values.tolist()
    text = json.dumps(out, indent=1)
    compact_rows = ",\n  ".join(json.dumps(row, separators=(",", ":")) for row in rows)
    print(text.replace('"ROWS"', "[\n  " + compact_rows + "\n ]"))


if __name__ == "__main__":
    main()
