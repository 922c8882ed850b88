"""Reference values for Waymark's cost-avoidance engine (crates/waymark-core/src/value/).

Computed outside Waymark with pandas and numpy from the fixture in tests/reference/value_fixture/
(people.csv, events.csv, config.json), following the method in docs/methods.md ("Value: cost avoidance"):
- windows in calendar months (pandas DateOffset, which clamps to the month end like Waymark);
  pre = [start - pre_months, start) clipped to the earliest event date; post = [start,
  min(start + post_months, end_date + 1 day, reference_date + 1 day)); person-month = 30.4375 days;
- per pathway k and type t: avoided = (P/E_pre - Q/E_post) * E_post, summed over pathways;
- DiD per type: naive avoided - (pre_C - post_C) * E_post_T;
- prices uplifted with price * index[analysis] / index[price_year];
- time profile by calendar month since start; regression-to-the-mean rates (last 3 months vs
  earlier pre window).
Also numpy.percentile(method="linear") on fixed arrays, for the bootstrap percentile interval.

Run:  python3 tests/reference/value_reference.py > tests/reference/value_expected.json
"""
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent / "value_fixture"
PERSON_MONTH = 30.4375
RECENT_MONTHS = 3


def key(text):
    """Case and punctuation folded, as Waymark matches event types and pathways."""
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def main():
    config = json.loads((HERE / "config.json").read_text())
    people = pd.read_csv(HERE / "people.csv", parse_dates=["start_date", "end_date"])
    events = pd.read_csv(HERE / "events.csv", parse_dates=["date"])
    pre_m, post_m = config["pre_months"], config["post_months"]
    reference = pd.Timestamp(config["reference_date"])
    history_start = events["date"].min()
    index = config["price_index"]
    year = config["analysis_year"]

    # Tracked types: counted first, then priced, deduplicated by key.
    names = list(config["counted_event_types"]) + [r["event_type"] for r in config["unit_costs"]]
    tracked = []
    for name in names:
        if key(name) not in [key(t) for t in tracked]:
            tracked.append(name)
    prices = {}
    for row in config["unit_costs"]:
        prices[key(row["event_type"])] = row["price"] * index[year] / index[row["price_year"]]
    price = [prices.get(key(t)) for t in tracked]
    service_rate = {}
    for row in config["service_costs"]:
        service_rate[key(row["pathway"])] = (
            row["cost_per_person_month"] * index[year] / index[row["price_year"]]
        )
    factor = config["attribution_percent"] / 100 * (1 - config["optimism_bias_percent"] / 100)

    # Windows.
    one_day = pd.Timedelta(days=1)
    rows = []
    excluded_post = excluded_pre = clipped = 0
    for p in people.itertuples():
        start = p.start_date
        window_end = start + pd.DateOffset(months=post_m)
        post_hi = min(window_end, reference + one_day)
        if not pd.isna(p.end_date):
            post_hi = min(post_hi, p.end_date + one_day)
        if post_hi <= start:
            excluded_post += 1
            continue
        pre_raw = start - pd.DateOffset(months=pre_m)
        pre_lo = max(pre_raw, history_start)
        if pre_lo >= start:
            excluded_pre += 1
            continue
        clipped += int(pre_raw < history_start)
        months = [start + pd.DateOffset(months=m) for m in range(post_m + 1)]
        rows.append(
            dict(
                person=p.person_id,
                cohort=p.cohort,
                pathway=p.pathway,
                start=start,
                pre_lo=pre_lo,
                recent_lo=max(start - pd.DateOffset(months=RECENT_MONTHS), pre_lo),
                post_hi=post_hi,
                months=months,
                pre_pm=(start - pre_lo).days / PERSON_MONTH,
                post_pm=(post_hi - start).days / PERSON_MONTH,
            )
        )
    persons = pd.DataFrame(rows).set_index("person")

    # Bucket events.
    ev = events[events["person_id"].isin(persons.index)].copy()
    ev["t"] = ev["event_type"].map(lambda e: next((i for i, t in enumerate(tracked) if key(t) == key(e)), None))
    ev = ev[ev["t"].notna()]
    ev["t"] = ev["t"].astype(int)
    ev = ev.join(persons, on="person_id")
    ev["window"] = np.where(
        (ev["date"] >= ev["pre_lo"]) & (ev["date"] < ev["start"]),
        "pre",
        np.where((ev["date"] >= ev["start"]) & (ev["date"] < ev["post_hi"]), "post", "out"),
    )
    ev = ev[ev["window"] != "out"]
    ev["month"] = [
        next((m for m in range(post_m) if d < ms[m + 1]), None) if w == "post" else None
        for d, ms, w in zip(ev["date"], ev["months"], ev["window"])
    ]

    service = persons[persons["cohort"] == "service"]
    comparison = persons[persons["cohort"] == "comparison"]
    pathways = sorted(service["pathway"].unique())
    k = len(tracked)

    def units(group_people, window, t):
        sel = ev[(ev["person_id"].isin(group_people.index)) & (ev["window"] == window) & (ev["t"] == t)]
        return float(sel["quantity"].sum())

    # Per pathway.
    per_pathway = {}
    type_avoided = np.zeros(k)
    for pw in pathways:
        grp = service[service["pathway"] == pw]
        e_pre, e_post = grp["pre_pm"].sum(), grp["post_pm"].sum()
        av = np.array([units(grp, "pre", t) / e_pre * e_post - units(grp, "post", t) for t in range(k)])
        type_avoided += av
        gross = sum(a * pr for a, pr in zip(av, price) if pr is not None)
        cost = service_rate[key(pw)] * e_post
        adjusted = gross * factor
        per_pathway[pw] = dict(
            n_people=len(grp),
            pre_person_months=e_pre,
            post_person_months=e_post,
            avoided_units=list(av),
            gross=gross,
            adjusted=adjusted,
            service_cost=cost,
            net=adjusted - cost,
            roi=adjusted / cost,
        )

    e_pre_t, e_post_t = service["pre_pm"].sum(), service["post_pm"].sum()
    e_pre_c, e_post_c = comparison["pre_pm"].sum(), comparison["post_pm"].sum()
    types = []
    did_units = []
    for t in range(k):
        pre_t, post_t = units(service, "pre", t), units(service, "post", t)
        standardised = sum(
            units(service[service["pathway"] == pw], "pre", t)
            / per_pathway[pw]["pre_person_months"]
            * per_pathway[pw]["post_person_months"]
            for pw in pathways
        ) / e_post_t
        pre_c, post_c = units(comparison, "pre", t), units(comparison, "post", t)
        did_rate = (post_t / e_post_t - standardised) - (post_c / e_post_c - pre_c / e_pre_c)
        did_u = type_avoided[t] - (pre_c / e_pre_c - post_c / e_post_c) * e_post_t
        did_units.append(did_u)
        types.append(
            dict(
                event_type=tracked[t],
                price=price[t],
                service_pre_units=pre_t,
                service_pre_person_months=e_pre_t,
                service_pre_rate=pre_t / e_pre_t,
                service_post_units=post_t,
                service_post_person_months=e_post_t,
                service_post_rate=post_t / e_post_t,
                service_pre_rate_standardised=standardised,
                avoided_units=type_avoided[t],
                gross=None if price[t] is None else type_avoided[t] * price[t],
                comparison_pre_units=pre_c,
                comparison_post_units=post_c,
                comparison_pre_rate=pre_c / e_pre_c,
                comparison_post_rate=post_c / e_post_c,
                did_rate_change=did_rate,
                did_avoided_units=did_u,
                did_gross=None if price[t] is None else did_u * price[t],
            )
        )

    def value(gross):
        cost = sum(p["service_cost"] for p in per_pathway.values())
        adjusted = gross * factor
        return dict(gross=gross, adjusted=adjusted, service_cost=cost, net=adjusted - cost, roi=adjusted / cost)

    naive_gross = sum(a * pr for a, pr in zip(type_avoided, price) if pr is not None)
    did_gross = sum(a * pr for a, pr in zip(did_units, price) if pr is not None)

    # Time profile: exposure and post units by calendar month since start.
    over_time = []
    cumulative = 0.0
    for m in range(post_m):
        pm_total = 0.0
        gross = 0.0
        for pw in pathways:
            grp = service[service["pathway"] == pw]
            exposure = sum(
                max((min(r.months[m + 1], r.post_hi) - max(r.months[m], r.start)).days, 0) / PERSON_MONTH
                for r in grp.itertuples()
            )
            pm_total += exposure
            for t in range(k):
                if price[t] is None:
                    continue
                rate = units(grp, "pre", t) / per_pathway[pw]["pre_person_months"]
                q = ev[(ev["person_id"].isin(grp.index)) & (ev["month"] == m) & (ev["t"] == t)]["quantity"].sum()
                gross += price[t] * (rate * exposure - q)
        cumulative += gross
        over_time.append(dict(month=m + 1, person_months=pm_total, gross=gross, cumulative=cumulative,
                              cumulative_adjusted=cumulative * factor))

    # Regression to the mean: service cohort, last 3 months vs earlier.
    recent_pm = sum((r.start - r.recent_lo).days for r in service.itertuples()) / PERSON_MONTH
    earlier_pm = sum(max((r.recent_lo - r.pre_lo).days, 0) for r in service.itertuples()) / PERSON_MONTH
    svc_pre = ev[(ev["person_id"].isin(service.index)) & (ev["window"] == "pre")]
    rtm = []
    for t in range(k):
        sel = svc_pre[svc_pre["t"] == t]
        recent = float(sel[sel["date"] >= sel["recent_lo"]]["quantity"].sum())
        earlier = float(sel[sel["date"] < sel["recent_lo"]]["quantity"].sum())
        rr, er = recent / recent_pm, earlier / earlier_pm
        rtm.append(dict(event_type=tracked[t], recent_units=recent, earlier_units=earlier,
                        recent_person_months=recent_pm, earlier_person_months=earlier_pm,
                        recent_rate=rr, earlier_rate=er, ratio=rr / er if er > 0 else None))

    # numpy percentiles for the percentile-interval function.
    rng = np.random.default_rng(2024)
    arrays = [
        [3.0, 1.0, 2.0],
        [10.5],
        [5.0, 5.0, 5.0, 5.0],
        list(np.round(rng.normal(100, 15, 37), 6)),
        list(np.round(rng.exponential(2.0, 1000), 6)),
        list(range(-20, 21)),
    ]
    percentiles = []
    for values in arrays:
        low, high = np.percentile(values, [2.5, 97.5], method="linear")
        q = [float(np.percentile(values, p, method="linear")) for p in (0, 10, 50, 90, 100)]
        percentiles.append(dict(values=[float(v) for v in values], lower=float(low), upper=float(high),
                                quantiles_at=[0.0, 0.1, 0.5, 0.9, 1.0], quantiles=q))

    out = dict(
        tools=dict(python=sys.version.split()[0], numpy=np.__version__, pandas=pd.__version__),
        history_start=str(history_start.date()),
        people=dict(service_analysed=len(service), comparison_analysed=len(comparison),
                    excluded_no_post_time=excluded_post, excluded_no_pre_history=excluded_pre,
                    pre_window_clipped=clipped,
                    events_without_person=int((~events["person_id"].isin(people["person_id"])).sum())),
        tracked=tracked,
        types=types,
        naive=value(naive_gross),
        did=value(did_gross),
        pathways=per_pathway,
        over_time=over_time,
        rtm=rtm,
        percentiles=percentiles,
    )
    json.dump(out, sys.stdout, indent=2, default=float)
    print()


if __name__ == "__main__":
    main()
