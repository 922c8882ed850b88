"""Reference values for Waymark's score trajectories (crates/waymark-core/src/analysis/direction/trajectories.rs).

Written from the documented rule, not from the Rust code:

- a person's series on a measure is their episode as the direction-of-travel reference reads it
  (direction_reference.episode: the baseline row first, rows dated before it dropped);
- their score at whole month m is the score nearest to m x 365.25/12 days among those within
  half a month either side; equal distances go to the later score in the series;
- the median line: at each month, pandas' Series.median over the people with a score there
  (cross-checked against numpy.quantile(method="linear"), Hyndman & Fan type 7 at p = 0.5),
  kept when at least 5 people contribute;
- at most 200 person lines are drawn: positions floor(k x N / 200), k = 0..199, of the N people
  with a score, in people-file order.

Distances are computed with fractions.Fraction so that ties are exact.

Two exports:
- tests/reference/demo300/ (the demo data, 300 people, seed 42);
- tests/reference/trajectories_fixture/, written by this script: eight hand-made people on PHQ-9
  (F1 has a score before its baseline and two scores tied at month 8, 243 and 244 days; F2 has
  a second score on its baseline's day, listed after it; F6 has one score; F7 has no score
  marked baseline and two scores half a month either side of month 1's centre; month 2 has
  exactly 5 people, month 3 only 4; month 1 has 6, an even count) and one CORE-10 person.

Run:  python3 tests/reference/trajectories_reference.py > tests/reference/trajectories_expected.json
"""
import datetime as dt
import json
import sys
from fractions import Fraction
from pathlib import Path

import numpy
import pandas

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import direction_reference as dr  # noqa: E402  (its episode reading and CSV loading)

FIXTURE = HERE / "trajectories_fixture"
DAYS_PER_MONTH = Fraction(36525, 1200)  # 365.25 / 12
MIN_PEOPLE = 5
MAX_DRAWN = 200
MEASURES = ["PHQ-9", "WEMWBS", "CORE-10"]

# person, baseline date, [(day offset, score, stage)] in file order.
FIXTURE_PEOPLE = [
    ("F1", "2025-01-10", [(-5, 25, "review"), (0, 20, "baseline"), (31, 18, "review"),
                          (61, 15, "review"), (243, 12, "review"), (244, 11, "review")]),
    ("F2", "2025-02-01", [(0, 18, "baseline"), (0, 17, "review"), (30, 16, "review"),
                          (61, 14.5, "review"), (91, 13, "review"), (244, 10, "review")]),
    ("F3", "2025-03-01", [(0, 22, "baseline"), (29, 21, "review"), (59, 20, "review"),
                          (92, 19, "review"), (243, 15, "review")]),
    ("F4", "2025-01-01", [(0, 15, "baseline"), (31, 14, "review"), (60, 13, "review"),
                          (243, 9, "review")]),
    ("F5", "2025-04-01", [(0, 10, "baseline"), (30, 12, "review"), (62, 11, "review"),
                          (100, 11, "review"), (244, 8, "review")]),
    ("F6", "2025-05-01", [(0, 14, "baseline")]),
    ("F7", "2025-06-01", [(0, 25, "review"), (15, 26, "review"), (16, 24, "review"),
                          (45, 10, "review"), (244, 20, "review")]),
    ("F8", "2025-02-15", [(0, 19, "baseline"), (90, 16, "review")]),
]
FIXTURE_CORE10 = [("F1", 0, 20, "baseline"), ("F1", 31, 17, "review")]


def write_fixture():
    FIXTURE.mkdir(exist_ok=True)
    people = ["person_id,pathway,start_date,end_date,team,coordinator,cohort"]
    outcomes = ["person_id,date,measure,score,stage"]
    for pid, baseline, rows in FIXTURE_PEOPLE:
        start = dt.date.fromisoformat(baseline) - dt.timedelta(days=10)
        people.append(f"{pid},Step-down,{start},,North,Ann,service")
        for offset, score, stage in rows:
            day = dt.date.fromisoformat(baseline) + dt.timedelta(days=offset)
            outcomes.append(f"{pid},{day},PHQ-9,{score},{stage}")
    for pid, offset, score, stage in FIXTURE_CORE10:
        base = dict((p, b) for p, b, _ in FIXTURE_PEOPLE)[pid]
        day = dt.date.fromisoformat(base) + dt.timedelta(days=offset)
        outcomes.append(f"{pid},{day},CORE-10,{score},{stage}")
    files = {
        "people": people,
        "outcomes": outcomes,
        "events": ["person_id,date,event_type,quantity,severity,follow_up"],
        "goals": ["person_id,goal_id,review_date,rating,baseline_rating,target_rating,"
                  "next_review_date,plan_changed,staff"],
        "status": ["person_id,date,indicator,value"],
        "feedback": ["person_id,date,source,self_rating,functioning_change,themes,text,"
                     "plan_adjustment"],
    }
    for name, lines in files.items():
        (FIXTURE / f"{name}.csv").write_text("\n".join(lines) + "\n")


def series_of(measure):
    """[(person_id, [(days since baseline, score)])] for people with a score, in people order."""
    out = []
    for pid in dr.PERSON_IDS:
        rows = dr.OUTCOMES_BY_PERSON.get(pid)
        if rows is None:
            continue
        dates, scores = dr.episode(rows, measure)
        if not dates:
            continue
        out.append((pid, [((d - dates[0]).days, s) for d, s in zip(dates, scores)]))
    return out


def long_table(series):
    """One row per (person, candidate month, score), with the exact distance in days."""
    rows = []
    for pid, points in series:
        for order, (days, score) in enumerate(points):
            centre = round(Fraction(days) / DAYS_PER_MONTH)
            for month in (centre - 1, centre, centre + 1):
                distance = abs(Fraction(days) - month * DAYS_PER_MONTH)
                if month >= 0 and distance <= DAYS_PER_MONTH / 2:
                    rows.append((pid, month, order, distance, score))
    return pandas.DataFrame(rows, columns=["person", "month", "order", "distance", "score"])


def trajectories(measure):
    series = series_of(measure)
    if not series:
        return None
    table = long_table(series)
    # Nearest first; among equals the later in the series (higher order) first.
    table = table.sort_values(["person", "month", "distance", "order"],
                              ascending=[True, True, True, False], kind="stable")
    chosen = table.groupby(["person", "month"], sort=False).head(1)
    by_month = chosen.groupby("month")["score"]
    median = []
    for month, scores in by_month:
        if len(scores) < MIN_PEOPLE:
            continue
        value = float(scores.astype(float).median())
        assert value == float(numpy.quantile(scores.astype(float), 0.5, method="linear"))
        median.append({"month": int(month), "median": value, "n_people": int(len(scores))})
    n = len(series)
    positions = range(n) if n <= MAX_DRAWN else [k * n // MAX_DRAWN for k in range(MAX_DRAWN)]
    drawn = [
        {
            "person_id": series[i][0],
            "points": [[float(Fraction(d) / DAYS_PER_MONTH), float(s)] for d, s in series[i][1]],
        }
        for i in positions
    ]
    return {"n_people": n, "median": median, "drawn": drawn}


def main():
    write_fixture()
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "pandas": pandas.__version__,
            "numpy": numpy.__version__,
        },
        "datasets": {},
    }
    for name, folder in [("demo300", HERE / "demo300"), ("fixture", FIXTURE)]:
        dr.load(folder, dt.date(2026, 6, 30))
        measures = {}
        for measure in MEASURES:
            result = trajectories(measure)
            if result is not None:
                measures[measure] = result
        out["datasets"][name] = measures
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
