"""Reference values for Waymark's pathway comparison (crates/waymark-core/src/analysis/pathways/),
recomputed from the demo CSVs alone.

Everything here is recomputed independently from the six demo files: nothing is read back from
Waymark's own results. The per-person rules are re-implemented from their documentation
(crates/waymark-core/src/analysis/direction/outcomes.rs, docs/methods.md ("Comparing care pathways")):
- groups: service cohort by pathway (most people first), comparison cohort as its own group;
  people whose start is after their last day in service are left out;
- last day in service = min(end_date, reference date), or the reference date when no end date;
- person-months = (last day - start + 1) days / 30.4375;
- crisis events: event_type folded (lower case, runs of other characters as "_") in Waymark's
  default crisis list, dated start..last day inclusive, counted `quantity` times;
- per person and measure: rows by date (ties in file order) from the first `stage = baseline`
  row, scores outside the measure's range dropped; baseline = first, latest = last; paired when
  two or more; reliable improvement when the change in the better direction reaches the
  catalogue threshold (PHQ-9 published 6, CORE-10 published 6 (Barkham et al. 2013); WEMWBS Jacobson-Truax 1.96 SD sqrt(2(1-r)));
  recovered = reliable improvement, case at baseline and not at latest; sustained = the last two
  or more scores (after the baseline) each a reliable improvement on the baseline;
- time to relapse and time to first crisis as defined in docs/methods.md ("Comparing care pathways").

Then the statistics with the named tools:
- statsmodels: proportion_confint(method="wilson"), confint_proportions_2indep(method="newcomb");
- scipy: ttest_rel(...).confidence_interval() for the mean change, chi2_contingency(correction=False)
  for case mix, binomtest(...).proportion_ci("exact") for the exact conditional rate ratio,
  chi2.ppf for Garwood's Poisson interval, norm.ppf for the standardised interval;
- numpy: effect sizes (baseline-SD and d_z);
- pandas: direct standardisation (weights from the service cohort's severity mix);
- lifelines: KaplanMeierFitter (median, its interval via median_survival_times, RMST area via
  restricted_mean_survival_time), multivariate_logrank_test.

Data: the demo generator's default dataset (300 people, seed 42, reference date 2026-06-30).
Write it with
  CARGO_TARGET_DIR=/work/target-helpers cargo run --release -p waymark-core --example pathways_demo -- 300 /tmp/pw-demo300
Run:
  python3 tests/reference/pathways_reference.py /tmp/pw-demo300 > tests/reference/pathways_expected.json
"""
import json
import math
import re
import sys
import warnings

import lifelines
import numpy
import pandas
import scipy
import statsmodels
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

warnings.simplefilter("ignore")

REFERENCE_DATE = pandas.Timestamp("2026-06-30")
DAYS_PER_MONTH = 30.4375
LEVEL = 0.95
TAU = 365.0
COMPARISON = "comparison (usual care)"
CRISIS_TYPES = {"crisis_contact", "crisis", "crisis_team_contact"}
SEVERITIES = ["low", "moderate", "high"]


def jacobson_truax(sd, r):
    return 1.96 * sd * math.sqrt(2 * (1 - r))


# The default catalogue entries of the measures in the demo, in catalogue order:
# key -> (min, max, higher is better, threshold, is_case).
MEASURES = {
    "PHQ-9": (0, 27, False, 6.0, lambda s: s >= 10),
    "CORE-10": (0, 40, False, 6.0, lambda s: s >= 11),
    "WEMWBS": (14, 70, True, jacobson_truax(8.79, 0.89), lambda s: s <= 40),
}


def fold(name):
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def opt(x):
    return None if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))) else float(x)


def load(directory):
    people = pandas.read_csv(f"{directory}/people.csv", dtype=str, keep_default_na=False)
    outcomes = pandas.read_csv(f"{directory}/outcomes.csv", dtype=str, keep_default_na=False)
    events = pandas.read_csv(f"{directory}/events.csv", dtype=str, keep_default_na=False)
    return people, outcomes, events


def person_table(people):
    p = people.copy()
    p["start"] = pandas.to_datetime(p["start_date"])
    end = pandas.to_datetime(p["end_date"].replace("", None))
    p["last_day"] = end.where(end.notna() & (end < REFERENCE_DATE), REFERENCE_DATE)
    p = p[p["start"] <= p["last_day"]].copy()
    p["days"] = (p["last_day"] - p["start"]).dt.days + 1
    service = p[p["cohort"] == "service"]
    sizes = service.groupby("pathway").size().reset_index(name="n")
    sizes = sizes.sort_values(["n", "pathway"], ascending=[False, True], kind="stable")
    order = list(sizes["pathway"])
    p["group"] = numpy.where(p["cohort"] == "service", p["pathway"], COMPARISON)
    if (p["cohort"] == "comparison").any():
        order.append(COMPARISON)
    return p, order


def crisis_facts(p, events):
    e = events[events["event_type"].map(fold).isin(CRISIS_TYPES)].copy()
    e["date"] = pandas.to_datetime(e["date"])
    e["count"] = e["quantity"].replace("", "1").astype(float).round().astype(int)
    e = e.merge(p[["person_id", "start", "last_day"]], on="person_id")
    e = e[(e["date"] >= e["start"]) & (e["date"] <= e["last_day"])]
    counts = e.groupby("person_id")["count"].sum()
    first = e.groupby("person_id")["date"].min()
    return counts, first


def person_measures(p, outcomes):
    """One row per person and measure with two or more in-range scores from the baseline on."""
    o = outcomes[outcomes["person_id"].isin(set(p["person_id"]))].copy()
    o["row"] = range(len(o))
    o["date"] = pandas.to_datetime(o["date"])
    o["score"] = o["score"].astype(float)
    o = o.sort_values(["person_id", "measure", "date", "row"], kind="stable")
    rows = []
    for (person, measure), scores in o.groupby(["person_id", "measure"], sort=False):
        if measure not in MEASURES:
            continue
        low, high, higher_better, threshold, is_case = MEASURES[measure]
        stages = list(scores["stage"])
        start = stages.index("baseline") if "baseline" in stages else 0
        kept = scores.iloc[start:]
        kept = kept[(kept["score"] >= low) & (kept["score"] <= high)]
        dates, values = list(kept["date"]), list(kept["score"])
        if len(values) < 2:
            continue
        better = (lambda s: s) if higher_better else (lambda s: -s)
        base, last = values[0], values[-1]
        improved = better(last) - better(base) >= threshold
        run = 0
        for v in reversed(values[1:]):
            if better(v) - better(base) >= threshold:
                run += 1
            else:
                break
        rows.append(
            {
                "person_id": person,
                "measure": measure,
                "baseline": base,
                "latest": last,
                "improved": improved,
                "case_at_baseline": is_case(base),
                "recovered": improved and is_case(base) and not is_case(last),
                "sustained": run >= 2,
                "relapse": relapse(dates, values, threshold, better),
            }
        )
    return pandas.DataFrame(rows)


def relapse(dates, values, threshold, better):
    base = better(values[0])
    start = next((i for i in range(1, len(values)) if better(values[i]) - base >= threshold), None)
    if start is None:
        return None
    best = better(values[start])
    for i in range(start + 1, len(values)):
        if better(values[i]) <= best - threshold:
            return ((dates[i] - dates[start]).days, True)
        best = max(best, better(values[i]))
    return ((dates[-1] - dates[start]).days, False)


def wilson(x, n):
    if n == 0:
        return None
    lower, upper = proportion_confint(x, n, alpha=1 - LEVEL, method="wilson")
    return {"successes": int(x), "trials": int(n), "proportion": x / n, "lower": float(lower), "upper": float(upper)}


def newcombe(x1, n1, x2, n2):
    if n1 == 0 or n2 == 0:
        return None
    lower, upper = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=1 - LEVEL)
    return {"difference": x1 / n1 - x2 / n2, "lower": float(lower), "upper": float(upper)}


def garwood(events, pm):
    lower = 0.0 if events == 0 else stats.chi2.ppf((1 - LEVEL) / 2, 2 * events) / 2
    upper = stats.chi2.ppf(1 - (1 - LEVEL) / 2, 2 * events + 2) / 2
    return {"rate": 100 * events / pm, "lower": 100 * lower / pm, "upper": 100 * upper / pm}


def exact_rate_ratio(x1, t1, x2, t2):
    if x2 == 0:
        return None
    ci = stats.binomtest(x1, x1 + x2).proportion_ci(confidence_level=LEVEL, method="exact")
    to_ratio = lambda share: share / (1 - share) * t2 / t1
    return {"ratio": (x1 / t1) / (x2 / t2), "lower": float(to_ratio(ci.low)), "upper": float(to_ratio(ci.high))}


def survival(groups, order, service_groups):
    out = {"groups": []}
    for g in order:
        times, events = groups.get(g, ([], []))
        entry = {"pathway": g, "people_at_risk": len(times), "events": int(sum(events))}
        if times:
            kmf = KaplanMeierFitter().fit(times, events, alpha=1 - LEVEL)
            interval = median_survival_times(kmf.confidence_interval_)
            entry["median"] = opt(kmf.median_survival_time_)
            entry["median_lower"] = opt(interval.iloc[0, 0])
            entry["median_upper"] = opt(interval.iloc[0, 1])
            entry["rmst"] = float(restricted_mean_survival_time(kmf, t=TAU))
        out["groups"].append(entry)
    tested = [g for g in service_groups if groups.get(g, ([], []))[0]]
    durations = numpy.concatenate([numpy.array(groups[g][0], float) for g in tested])
    observed = numpy.concatenate([numpy.array(groups[g][1], int) for g in tested])
    labels = numpy.concatenate([numpy.full(len(groups[g][0]), j) for j, g in enumerate(tested)])
    result = multivariate_logrank_test(durations, labels, observed)
    out["log_rank"] = {
        "pathways": tested,
        "chi_square": float(result.test_statistic),
        "degrees_of_freedom": int(result.degrees_of_freedom),
        "p_value": float(result.p_value),
    }
    return out


def main():
    directory = sys.argv[1]
    people, outcomes, events = load(directory)
    p, order = person_table(people)
    service_groups = [g for g in order if g != COMPARISON]
    reference = service_groups[0]
    counts, first = crisis_facts(p, events)
    p["crises"] = p["person_id"].map(counts).fillna(0).astype(int)
    p["first_crisis"] = p["person_id"].map(first)
    pm = person_measures(p, outcomes)
    pm = pm.merge(p[["person_id", "group", "baseline_severity", "cohort"]], on="person_id")

    service = p[p["cohort"] == "service"]
    mix = service[service["baseline_severity"].isin(SEVERITIES)]["baseline_severity"].value_counts()
    weights = {s: mix.get(s, 0) / mix.sum() for s in SEVERITIES}
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2)

    groups = []
    by_group = {g: d for g, d in p.groupby("group")}
    ref_people = by_group[reference]
    ref_pm = ref_people["days"].sum() / DAYS_PER_MONTH
    ref_crises = int(ref_people["crises"].sum())
    for g in order:
        d = by_group[g]
        person_months = d["days"].sum() / DAYS_PER_MONTH
        crises = int(d["crises"].sum())
        entry = {
            "pathway": g,
            "people": len(d),
            "person_months": person_months,
            "crisis_events": crises,
            "crisis_rate": garwood(crises, person_months),
            "rate_ratio": None if g == reference else exact_rate_ratio(crises, person_months, ref_crises, ref_pm),
            "measures": {},
        }
        for measure in MEASURES:
            m = pm[(pm["group"] == g) & (pm["measure"] == measure)]
            r = pm[(pm["group"] == reference) & (pm["measure"] == measure)]
            if len(pm[pm["measure"] == measure]) == 0:
                continue
            n, x = len(m), int(m["improved"].sum())
            cases, rec = int(m["case_at_baseline"].sum()), int(m["recovered"].sum())
            diff = g != reference
            before, after = m["baseline"].to_numpy(), m["latest"].to_numpy()
            changes = after - before
            res = {
                "paired": n,
                "reliable_improvement": wilson(x, n),
                "reliable_improvement_vs_reference": newcombe(x, n, int(r["improved"].sum()), len(r)) if diff else None,
                "at_caseness": cases,
                "recovered": wilson(rec, cases),
                "recovered_vs_reference": newcombe(rec, cases, int(r["recovered"].sum()), int(r["case_at_baseline"].sum())) if diff else None,
                "sustained": wilson(int(m["sustained"].sum()), n),
            }
            if n >= 2:
                ci = stats.ttest_rel(after, before).confidence_interval(confidence_level=LEVEL)
                res["mean_change"] = {"mean": float(changes.mean()), "lower": float(ci.low), "upper": float(ci.high)}
                res["effect_size_baseline_sd"] = float((after.mean() - before.mean()) / before.std(ddof=1))
                res["effect_size_paired_dz"] = float(changes.mean() / changes.std(ddof=1))
            # Direct standardisation to the service cohort's severity mix.
            strata = m[m["baseline_severity"].isin(SEVERITIES)].groupby("baseline_severity")["improved"].agg(["sum", "count"])
            if all(s in strata.index for s in SEVERITIES if weights[s] > 0):
                prop = sum(weights[s] * strata.loc[s, "sum"] / strata.loc[s, "count"] for s in SEVERITIES)
                var = sum(
                    weights[s] ** 2
                    * (strata.loc[s, "sum"] / strata.loc[s, "count"])
                    * (1 - strata.loc[s, "sum"] / strata.loc[s, "count"])
                    / strata.loc[s, "count"]
                    for s in SEVERITIES
                )
                se = math.sqrt(var)
                res["standardised"] = {
                    "proportion": float(prop),
                    "crude_proportion": float(strata["sum"].sum() / strata["count"].sum()),
                    "standard_error": se,
                    "lower": max(0.0, float(prop - z * se)),
                    "upper": min(1.0, float(prop + z * se)),
                }
            else:
                res["standardised"] = None
            entry["measures"][measure] = res
        groups.append(entry)

    # Case mix.
    table = pandas.crosstab(service["pathway"], service["baseline_severity"]).reindex(index=service_groups, columns=SEVERITIES, fill_value=0)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    chi2, chi_p, dof, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
    shares = table.div(table.sum(axis=1), axis=0)
    overall = table.sum(axis=0) / table.to_numpy().sum()
    differences = shares - overall
    stacked = differences.stack()
    worst = stacked.abs().idxmax()
    case_mix = {
        "chi_square": float(chi2),
        "degrees_of_freedom": int(dof),
        "p_value": float(chi_p),
        "largest_share_difference": {"pathway": worst[0], "severity": worst[1], "difference": float(stacked[worst])},
    }

    # Time to first crisis and to relapse on the primary measure (PHQ-9, first in catalogue order).
    crisis_groups = {}
    for g, d in p.groupby("group"):
        event = d["first_crisis"].notna()
        end = d["first_crisis"].where(event, d["last_day"])
        crisis_groups[g] = (list((end - d["start"]).dt.days.astype(float)), list(event))
    relapse_groups = {}
    primary = pm[(pm["measure"] == "PHQ-9") & pm["relapse"].notna()]
    for g, d in primary.groupby("group"):
        relapse_groups[g] = ([float(r[0]) for r in d["relapse"]], [bool(r[1]) for r in d["relapse"]])

    # Funnels: observed / expected crisis events, and reliable improvement on PHQ-9.
    rate = service["crises"].sum() / (service["days"].sum() / DAYS_PER_MONTH)
    phq = pm[(pm["measure"] == "PHQ-9") & (pm["cohort"] == "service")].merge(people[["person_id", "team", "pathway"]], on="person_id")
    funnels = {}
    for unit, column in [("team", "team"), ("pathway", "pathway")]:
        d = service[service[column] != ""]
        agg = d.groupby(column).agg(crises=("crises", "sum"), days=("days", "sum"))
        ri = phq[phq[column] != ""].groupby(column)["improved"].agg(["sum", "count"])
        funnels[unit] = {
            name: {
                "observed": int(row.crises),
                "expected": float(rate * row.days / DAYS_PER_MONTH),
                "improved": int(ri.loc[name, "sum"]) if name in ri.index else 0,
                "paired": int(ri.loc[name, "count"]) if name in ri.index else 0,
            }
            for name, row in agg.iterrows()
        }

    out = {
        "tools": {
            "python": sys.version.split()[0],
            "pandas": pandas.__version__,
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "lifelines": lifelines.__version__,
        },
        "data": {
            "generator": "waymark_core::demo::generate, DemoParams::default()",
            "n_people": len(people),
            "seed": 42,
            "reference_date": "2026-06-30",
            "rows": {"people": len(people), "outcomes": len(outcomes), "events": len(events)},
        },
        "confidence_level": LEVEL,
        "tau_days": TAU,
        "thresholds": {k: v[3] for k, v in MEASURES.items()},
        "reference_pathway": reference,
        "groups": groups,
        "case_mix": case_mix,
        "severity_weights": weights,
        "time_to_first_crisis": survival(crisis_groups, order, service_groups),
        "time_to_relapse": survival(relapse_groups, order, service_groups),
        "funnels": funnels,
    }
    json.dump(out, sys.stdout, indent=1, default=lambda x: x.item() if hasattr(x, "item") else str(x))
    print()


if __name__ == "__main__":
    main()
