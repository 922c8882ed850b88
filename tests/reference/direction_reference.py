"""Reference values for Waymark's direction-of-travel engine (crates/waymark-core/src/analysis/direction/).

An independent implementation of the rules as the module documentation states them (outcomes,
service, stability, goals, audit, narrative), written from the prose rules, not from the Rust
code; where a rule leaves a choice open, the reading taken here is stated next to the code
(search for "Reading:"). It runs on two exports:

- tests/reference/demo300/: the demo data (300 people, seed 42, extracted 2026-06-30);
- tests/reference/direction_edge/: eight hand-made people at the rules' edges. E1 has a score
  on its baseline's day listed before the baseline; E2's missed share rises by exactly 10
  points (2 of 10, then 6 of 20) while crises rise; E3 has a score after discharge and
  crises before and after it; E4 has no score marked baseline and none near its start; E5's
  feedback has no source and names a theme twice; E6 has a crisis before its start without a
  follow-up; E7 is in the comparison cohort; E8's setbacks sit exactly on the threshold.

Tools: pandas reads the CSV files; scipy.stats.theilslopes gives the Theil-Sen slope on real
time (months of 365.25/12 days since the baseline); pymannkendall.original_test gives the
Mann-Kendall p-value and S; numpy the means and medians. Exact rational arithmetic
(fractions) is used for the "10 points or more" share rule so that float rounding cannot
decide a boundary.

Measure rules (placeholders until the measure catalogue lands, the same as the Rust test):
PHQ-9 lower is better, reliable change 6, cut-off 10; WEMWBS higher is better, 8, cut-off 41;
CORE-10 lower is better, 6, cut-off 11.

Run:  python3 tests/reference/direction_reference.py > tests/reference/direction_expected.json
      (--all-people lists every demo person-measure result instead of a sample of about 20;
      the edge cases always list everyone)
"""
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import numpy
import pandas
import pymannkendall
import scipy
from scipy import stats

HERE = Path(__file__).parent
# (name, folder, reference date): the demo export, and small hand-made cases at the rules' edges.
DATASETS = [
    ("demo300", HERE / "demo300", dt.date(2026, 6, 30)),
    ("edge_cases", HERE / "direction_edge", dt.date(2026, 6, 30)),
]
DAYS_PER_MONTH = 365.25 / 12
TREND_ALPHA = 0.05

MEASURES = {
    # name: (higher_is_better, reliable_change, cutoff)
    "PHQ-9": (False, 6.0, 10.0),
    "WEMWBS": (True, 8.0, 41.0),
    "CORE-10": (False, 6.0, 11.0),
}

# AnalysisConfig defaults (crates/waymark-core/src/analysis/mod.rs).
EVENT_KINDS = {
    "crisis": ["crisis_contact", "crisis", "crisis_team_contact"],
    "ed": ["ed_attendance", "a_e_attendance", "ae_attendance"],
    "admission": ["admission", "inpatient_admission"],
    "missed": ["missed_appointment", "dna", "did_not_attend"],
    "attended": ["attended_appointment", "attended", "contact"],
}
SETTLED = {"settled"}
ENGAGED = {"engaged"}
WINDOW_DAYS = 90
REVIEW_GRACE_DAYS = 14
BASELINE_STATUS_DAYS = 28
ANCHOR_DAYS = 45
GAS_RHO = 0.3
# Status orders, worst to best (docs/data-formats.md, "Status orders").
STATUS_ORDER = {
    "housing": ["homeless", "temporary", "supported", "settled"],
    "engagement": ["disengaged", "partial", "engaged"],
}


def fold(name):
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


KIND_OF = {fold(n): kind for kind, names in EVENT_KINDS.items() for n in names}


def read(name, date_columns):
    frame = pandas.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
    for column in date_columns:
        frame[column] = [
            dt.date.fromisoformat(v) if v else None for v in frame[column]
        ]
    frame["file_order"] = range(len(frame))
    return frame


def number(text):
    return float(text) if text != "" else None


# ---------------------------------------------------------------------------------------------
# The data (one export at a time; `load` sets these module-level tables)
# ---------------------------------------------------------------------------------------------
def load(folder, reference_date):
    global DATA, REFERENCE_DATE, people, PERSON_IDS, KNOWN, START, END, SERVICE_COHORT
    global SERVICE_END, STILL_IN_SERVICE, EMPTY
    global OUTCOMES_BY_PERSON, EVENTS_BY_PERSON, GOALS_BY_PERSON, STATUS_BY_PERSON
    global FEEDBACK_BY_PERSON
    DATA, REFERENCE_DATE = folder, reference_date
    people = read("people", ["start_date", "end_date"])
    outcomes = read("outcomes", ["date"])
    events = read("events", ["date"])
    goals = read("goals", ["review_date", "next_review_date"])
    status = read("status", ["date"])
    feedback = read("feedback", ["date"])
    PERSON_IDS = list(people["person_id"])
    KNOWN = set(PERSON_IDS)
    START = dict(zip(people.person_id, people.start_date))
    END = dict(zip(people.person_id, people.end_date))
    SERVICE_COHORT = {
        pid for pid, cohort in zip(people.person_id, people.cohort) if cohort != "comparison"
    }
    # Last day in service: the end date, or the reference date while still in service.
    SERVICE_END = {
        pid: min(END[pid], REFERENCE_DATE) if END[pid] else REFERENCE_DATE for pid in PERSON_IDS
    }
    STILL_IN_SERVICE = {
        pid for pid in PERSON_IDS if END[pid] is None or END[pid] >= REFERENCE_DATE
    }
    OUTCOMES_BY_PERSON = rows_by_person(outcomes, "date")
    EVENTS_BY_PERSON = rows_by_person(events, "date")
    GOALS_BY_PERSON = rows_by_person(goals, "review_date")
    STATUS_BY_PERSON = rows_by_person(status, "date")
    FEEDBACK_BY_PERSON = rows_by_person(feedback, "date")
    EMPTY = {
        "outcomes": outcomes.iloc[0:0],
        "events": events.iloc[0:0],
        "goals": goals.iloc[0:0],
        "status": status.iloc[0:0],
        "feedback": feedback.iloc[0:0],
    }


def rows_by_person(frame, date_column):
    """Rows of a table per known person, in date order (ties keep file order)."""
    frame = frame[frame.person_id.isin(KNOWN)]
    frame = frame.sort_values([date_column, "file_order"], kind="stable")
    return {pid: group for pid, group in frame.groupby("person_id", sort=False)}


def event_kind(event_type):
    return KIND_OF.get(fold(event_type))


def quantity(text):
    return float(text) if text != "" else 1.0


# ---------------------------------------------------------------------------------------------
# Outcomes: per person and measure
# ---------------------------------------------------------------------------------------------
def episode(person_rows, measure):
    """Reading: the baseline is the first row marked baseline (else the first row); rows dated
    strictly before its date are dropped, and the baseline row goes first."""
    rows = person_rows[person_rows.measure == measure]
    if rows.empty:
        return [], []
    marked = rows[rows.stage.str.strip().str.lower() == "baseline"]
    base = marked.iloc[0] if not marked.empty else rows.iloc[0]
    later = rows[(rows.date >= base.date) & (rows.file_order != base.file_order)]
    dates = [base.date] + list(later.date)
    scores = [float(base.score)] + [float(s) for s in later.score]
    return dates, scores


def improvement(pre, post, higher_is_better):
    return post - pre if higher_is_better else pre - post


def classify(pre, post, rc, higher_is_better):
    gain = improvement(pre, post, higher_is_better)
    if gain >= rc:
        return "reliable_improvement"
    if -gain >= rc:
        return "reliable_deterioration"
    return "no_reliable_change"


def clinical(pre, post, rc, cutoff, higher_is_better):
    def is_clinical(score):
        return score < cutoff if higher_is_better else score >= cutoff

    change = classify(pre, post, rc, higher_is_better)
    if change == "reliable_improvement":
        return "recovered" if is_clinical(pre) and not is_clinical(post) else "improved"
    return "unchanged" if change == "no_reliable_change" else "deteriorated"


def judge(dates, scores, rule):
    higher_is_better, rc, cutoff = rule
    n = len(scores)
    result = {"n_scores": n, "baseline": scores[0], "latest": scores[-1]}
    better = [s if higher_is_better else -s for s in scores]

    months = [(d - dates[0]).days / DAYS_PER_MONTH for d in dates]
    result["slope_per_month"] = (
        float(stats.theilslopes(scores, months)[0]) if len(set(months)) >= 2 else None
    )
    trend = pymannkendall.original_test(scores) if n >= 3 else None
    result["trend_p"] = float(trend.p) if trend else None
    # +1: the trend moves the better way at p < 0.05; -1: the worse way.
    trend_way = 0
    if trend is not None and trend.p < TREND_ALPHA and trend.s != 0:
        rising = trend.s > 0
        trend_way = 1 if rising == higher_is_better else -1

    # Setbacks, in "better" units: a fall of at least rc below the best so far opens one; it
    # stays open until a score is back within rc of that best (strictly less than rc below).
    best, open_setback, setbacks, last_setback = better[0], False, 0, None
    for date, u in zip(dates[1:], better[1:]):
        if open_setback:
            if best - u < rc:
                open_setback = False
        elif best - u >= rc:
            open_setback, setbacks, last_setback = True, setbacks + 1, date
        if not open_setback:
            best = max(best, u)
    result["setbacks"] = setbacks
    result["last_setback"] = last_setback.isoformat() if last_setback else None

    # Sustained: the last two (or more) scores each reliably better than the baseline.
    result["sustained_improvement"] = n >= 3 and all(
        improvement(scores[0], s, higher_is_better) >= rc for s in scores[-2:]
    )

    if n < 2:
        result.update(reliable_change=None, clinical=None, label="insufficient_data")
        return result
    change = classify(scores[0], scores[-1], rc, higher_is_better)
    result["reliable_change"] = change
    result["clinical"] = clinical(scores[0], scores[-1], rc, cutoff, higher_is_better)
    # Reading of "moved by a reliable amount in both directions": some score reliably above the
    # baseline and some score reliably below it.
    both_ways = max(better) - better[0] >= rc and better[0] - min(better) >= rc
    if change == "reliable_deterioration" or (trend_way == -1 and change != "reliable_improvement"):
        label = "deteriorating"
    elif change == "reliable_improvement" or trend_way == 1:
        label = "improving"
    elif setbacks > 0 or both_ways:
        label = "fluctuating"
    else:
        label = "stable"
    result["label"] = label
    return result


def measures_in_data():
    """The measures with a rule that some known person has a score on (the others have no
    results to report)."""
    scored = {m for rows in OUTCOMES_BY_PERSON.values() for m in rows.measure}
    return [(m, rule) for m, rule in MEASURES.items() if m in scored]


LABELS = ["improving", "stable", "fluctuating", "deteriorating", "insufficient_data"]


def outcomes_analysis():
    per_person = {}  # (person_id, measure) -> result
    summaries = {}
    for measure, rule in measures_in_data():
        results = []
        for pid in PERSON_IDS:
            dates, scores = episode(OUTCOMES_BY_PERSON.get(pid, EMPTY["outcomes"]), measure)
            if not scores:
                continue
            result = judge(dates, scores, rule)
            per_person[(pid, measure)] = result
            results.append(result)
        paired = [r for r in results if r["n_scores"] >= 2]
        change = Counter(r["reliable_change"] for r in paired)
        outcome = Counter(r["clinical"] for r in paired)
        labels = Counter(r["label"] for r in results)
        slopes = [r["slope_per_month"] for r in results if r["slope_per_month"] is not None]
        summaries[measure] = {
            "people_scored": len(results),
            "people_paired": len(paired),
            "reliable_improvement": change["reliable_improvement"],
            "no_reliable_change": change["no_reliable_change"],
            "reliable_deterioration": change["reliable_deterioration"],
            "recovered": outcome["recovered"],
            "improved": outcome["improved"],
            "unchanged": outcome["unchanged"],
            "deteriorated": outcome["deteriorated"],
            "sustained_improvement": sum(r["sustained_improvement"] for r in results),
            "with_setbacks": sum(r["setbacks"] > 0 for r in results),
            "labels": {label: labels[label] for label in LABELS},
            "mean_baseline": float(numpy.mean([r["baseline"] for r in paired])) if paired else None,
            "mean_latest": float(numpy.mean([r["latest"] for r in paired])) if paired else None,
            "median_slope_per_month": float(numpy.median(slopes)) if slopes else None,
        }
    return per_person, summaries


def person_sample(per_person):
    """About 20 person-measure results covering every label, setbacks and sustained change."""
    chosen = []
    ordered = sorted(per_person, key=lambda k: (k[1], k[0]))
    for label in LABELS:
        chosen += [k for k in ordered if per_person[k]["label"] == label and k not in chosen][:3]
    chosen += [k for k in ordered if per_person[k]["setbacks"] >= 2 and k not in chosen][:3]
    chosen += [k for k in ordered if per_person[k]["sustained_improvement"] and k not in chosen][:2]
    chosen += [
        k
        for k in ordered
        if per_person[k]["trend_p"] is not None and per_person[k]["trend_p"] < TREND_ALPHA
        and k not in chosen
    ][:2]
    return sorted(chosen)


# ---------------------------------------------------------------------------------------------
# Service: monthly indicators
# ---------------------------------------------------------------------------------------------
def month_index(date):
    return date.year * 12 + date.month - 1


def month_first(index):
    return dt.date(index // 12, index % 12 + 1, 1)


def month_last(index):
    return month_first(index + 1) - dt.timedelta(days=1)


def status_as_of(rows, indicator, day):
    """The value of a status indicator as last recorded on or before `day` (None if never)."""
    mine = rows[(rows.indicator.str.strip().str.lower() == indicator) & (rows.date <= day)]
    return mine.iloc[-1].value.strip().lower() if not mine.empty else None


def service_analysis():
    in_service = [
        pid for pid in PERSON_IDS if pid in SERVICE_COHORT and START[pid] <= SERVICE_END[pid]
    ]
    # Reading: the months run from the month of the first start in service to the reference
    # month.
    first = min(month_index(START[pid]) for pid in in_service)
    last = month_index(REFERENCE_DATE)
    months = list(range(first, last + 1))
    acc = {m: defaultdict(float) for m in months}
    for pid in in_service:
        start, end = START[pid], SERVICE_END[pid]
        for m in range(month_index(start), month_index(end) + 1):
            lo, hi = max(start, month_first(m)), min(end, month_last(m))
            acc[m]["person_days"] += (hi - lo).days + 1
            # Status as it stood at the month end, or on the last day in service.
            rows = STATUS_BY_PERSON.get(pid, EMPTY["status"])
            housing = status_as_of(rows, "housing", hi)
            engagement = status_as_of(rows, "engagement", hi)
            if housing is not None:
                acc[m]["housing_known"] += 1
                acc[m]["settled"] += housing in SETTLED
            if engagement is not None:
                acc[m]["engagement_known"] += 1
                acc[m]["engaged"] += engagement in ENGAGED
        for row in EVENTS_BY_PERSON.get(pid, EMPTY["events"]).itertuples():
            if not (start <= row.date <= end):
                continue
            kind = event_kind(row.event_type)
            q = quantity(row.quantity)
            a = acc[month_index(row.date)]
            if kind == "crisis":
                a["crisis"] += q
                # Reading: a crisis without a severity weighs 1.
                a["crisis_weighted"] += q * (float(row.severity) if row.severity else 1.0)
            elif kind is not None:
                a[kind] += q

    def series(numerator, denominator, scale):
        out = []
        for m in months:
            n, d = numerator(acc[m]), denominator(acc[m])
            out.append(
                {
                    "month": month_first(m).isoformat(),
                    "numerator": n,
                    "denominator": d,
                    "value": scale * n / d if d > 0 else None,
                }
            )
        return out

    def pm(a):
        return a["person_days"] / DAYS_PER_MONTH

    indicators = {
        "crisis_rate": series(lambda a: a["crisis"], pm, 100.0),
        "crisis_severity_weighted": series(lambda a: a["crisis_weighted"], pm, 100.0),
        "ed_rate": series(lambda a: a["ed"], pm, 100.0),
        "admission_rate": series(lambda a: a["admission"], pm, 100.0),
        "missed_appointments": series(
            lambda a: a["missed"], lambda a: a["missed"] + a["attended"], 100.0
        ),
        "engagement": series(lambda a: a["engaged"], lambda a: a["engagement_known"], 100.0),
        "settled_housing": series(lambda a: a["settled"], lambda a: a["housing_known"], 100.0),
    }
    for measure, (higher_is_better, rc, _) in measures_in_data():
        score_sum, score_n = defaultdict(float), defaultdict(float)
        improved, paired = defaultdict(float), defaultdict(float)
        for pid in in_service:
            dates, scores = episode(OUTCOMES_BY_PERSON.get(pid, EMPTY["outcomes"]), measure)
            if not scores:
                continue
            # Reading: "the mean score recorded each month" takes every score of the episode
            # dated in that month.
            for date, score in zip(dates, scores):
                score_sum[month_index(date)] += score
                score_n[month_index(date)] += 1
            # Reading: a person counts in a month when a follow-up score (any after the
            # baseline) is dated in it, up to the month they leave the service; their standing
            # that month is the last such score listed in the month, against the baseline.
            until = month_index(SERVICE_END[pid])
            latest = {}
            for d, s in zip(dates[1:], scores[1:]):
                if month_index(d) <= until:
                    latest[month_index(d)] = s
            for m, s in latest.items():
                paired[m] += 1
                improved[m] += classify(scores[0], s, rc, higher_is_better) == (
                    "reliable_improvement"
                )
        key = fold(measure)
        for name, num, den, scale in [
            (f"mean_score_{key}", score_sum, score_n, 1.0),
            (f"reliably_improved_in_month_{key}", improved, paired, 100.0),
        ]:
            indicators[name] = [
                {
                    "month": month_first(m).isoformat(),
                    "numerator": num[m],
                    "denominator": den[m],
                    "value": scale * num[m] / den[m] if den[m] > 0 else None,
                }
                for m in months
            ]
    person_months = sum(pm(acc[m]) for m in months)
    return {
        "person_months": person_months,
        "people_in_service": len(in_service),
        "indicators": indicators,
    }


# ---------------------------------------------------------------------------------------------
# Stability and early warning
# ---------------------------------------------------------------------------------------------
def window_reading(pid, first_day, last_day):
    reading = {"crisis": 0, "admission": 0, "missed": 0, "attended": 0}
    for row in EVENTS_BY_PERSON.get(pid, EMPTY["events"]).itertuples():
        if first_day <= row.date <= last_day:
            kind = event_kind(row.event_type)
            if kind in reading:
                reading[kind] += int(quantity(row.quantity))
    rows = STATUS_BY_PERSON.get(pid, EMPTY["status"])
    for indicator, order in STATUS_ORDER.items():
        value = status_as_of(rows, indicator, last_day)
        reading[indicator] = order.index(value) if value in order else None
    return reading


def missed_share(reading):
    total = reading["missed"] + reading["attended"]
    return Fraction(reading["missed"], total) if total > 0 else None


def compare_windows(before, now):
    worse, better = [], []
    if now["crisis"] > before["crisis"] and now["crisis"] >= 2:
        worse.append("crisis_contacts")
    elif now["crisis"] < before["crisis"] and before["crisis"] >= 2:
        better.append("crisis_contacts")
    if now["admission"] > before["admission"]:
        worse.append("admissions")
    elif now["admission"] < before["admission"]:
        better.append("admissions")
    share_before, share_now = missed_share(before), missed_share(now)
    if share_before is not None and share_now is not None:
        ten_points = Fraction(1, 10)
        if share_now - share_before >= ten_points and now["missed"] - before["missed"] >= 2:
            worse.append("missed_appointments")
        elif share_before - share_now >= ten_points and before["missed"] - now["missed"] >= 2:
            better.append("missed_appointments")
    for indicator in ["engagement", "housing"]:
        if before[indicator] is not None and now[indicator] is not None:
            if now[indicator] < before[indicator]:
                worse.append(indicator)
            elif now[indicator] > before[indicator]:
                better.append(indicator)
    return worse, better


def stability_analysis():
    latest_from = REFERENCE_DATE - dt.timedelta(days=WINDOW_DAYS - 1)
    previous_to = latest_from - dt.timedelta(days=1)
    previous_from = previous_to - dt.timedelta(days=WINDOW_DAYS - 1)
    out = Counter()
    flagged, by_indicator = [], Counter()
    for pid in PERSON_IDS:
        if pid not in SERVICE_COHORT or pid not in STILL_IN_SERVICE:
            continue
        if START[pid] > previous_from:
            out["too_recent"] += 1
            continue
        before = window_reading(pid, previous_from, previous_to)
        now = window_reading(pid, latest_from, REFERENCE_DATE)
        worse, better = compare_windows(before, now)
        out["people_assessed"] += 1
        if len(worse) > len(better):
            out["deteriorating"] += 1
        elif len(better) > len(worse):
            out["improving"] += 1
        else:
            out["stable"] += 1
        if len(worse) >= 2:
            flagged.append(pid)
            by_indicator.update(worse)
            events_follow_up = any(
                latest_from <= r.date <= REFERENCE_DATE and r.follow_up
                for r in EVENTS_BY_PERSON.get(pid, EMPTY["events"]).itertuples()
            )
            plan_adjusted = any(
                latest_from <= r.date <= REFERENCE_DATE and r.plan_adjustment
                for r in FEEDBACK_BY_PERSON.get(pid, EMPTY["feedback"]).itertuples()
            )
            out["flagged_with_follow_up"] += events_follow_up or plan_adjusted
    return {
        "people_assessed": out["people_assessed"],
        "improving": out["improving"],
        "stable": out["stable"],
        "deteriorating": out["deteriorating"],
        "too_recent": out["too_recent"],
        "early_warnings": len(flagged),
        "flagged_with_follow_up": out["flagged_with_follow_up"],
        "flagged_by_indicator": {
            k: by_indicator[k]
            for k in ["crisis_contacts", "admissions", "missed_appointments", "engagement", "housing"]
        },
        "early_warning_people": sorted(flagged),
    }


# ---------------------------------------------------------------------------------------------
# Goals and reviews
# ---------------------------------------------------------------------------------------------
def gas_t(ratings):
    n = len(ratings)
    return 50 + 10 * sum(ratings) / ((1 - GAS_RHO) * n + GAS_RHO * n * n) ** 0.5


def goals_analysis():
    grace = dt.timedelta(days=REVIEW_GRACE_DAYS)
    totals = Counter()
    t_scores = []
    static_people = set()
    for pid in PERSON_IDS:
        rows = GOALS_BY_PERSON.get(pid)
        if rows is None:
            continue
        gas_latest = []
        for _, goal in rows.groupby("goal_id", sort=False):
            totals["goals"] += 1
            latest = float(goal.rating.iloc[-1])
            gas_latest.append(latest)  # the demo's goals file is GAS (ratings -2..+2)
            # Reading: the target is the latest row's target; GAS goals without one aim at 0.
            target = number(goal.target_rating.iloc[-1])
            target = 0.0 if target is None else target
            totals["with_target"] += 1
            totals["achieved"] += latest >= target
            reviews = list(goal.itertuples())
            for before, after in zip(reviews, reviews[1:]):
                if before.next_review_date is not None:
                    on_time = after.review_date <= before.next_review_date + grace
                    totals["on_time" if on_time else "late"] += 1
            due = reviews[-1].next_review_date
            if pid in STILL_IN_SERVICE and due is not None and due < REFERENCE_DATE - grace:
                totals["overdue"] += 1
            # Static: two consecutive follow-up reviews, each with plan_changed = no and a
            # rating no higher than the review before it.
            run, is_static = 0, False
            for before, after in zip(reviews, reviews[1:]):
                stuck = after.plan_changed.strip().lower() == "no" and float(after.rating) <= float(
                    before.rating
                )
                run = run + 1 if stuck else 0
                is_static |= run >= 2
            if is_static:
                totals["static"] += 1
                static_people.add(pid)
        t_scores.append(gas_t(gas_latest))
    return {
        "goals": totals["goals"],
        "goals_achieved": totals["achieved"],
        "goals_with_target": totals["with_target"],
        "mean_gas_t_score": float(numpy.mean(t_scores)),
        "reviews_on_time": totals["on_time"],
        "reviews_late": totals["late"],
        "overdue_reviews": totals["overdue"],
        "static_goals": totals["static"],
        "people_with_static_plans": len(static_people),
    }


# ---------------------------------------------------------------------------------------------
# Required-fields audit (people in the service cohort)
# ---------------------------------------------------------------------------------------------
def audit_analysis():
    counts = {name: [0, 0] for name in AUDIT_FIELDS}
    for pid in PERSON_IDS:
        if pid not in SERVICE_COHORT:
            continue
        start = START[pid]
        g = GOALS_BY_PERSON.get(pid, EMPTY["goals"])
        s = STATUS_BY_PERSON.get(pid, EMPTY["status"])
        o = OUTCOMES_BY_PERSON.get(pid, EMPTY["outcomes"])
        e = EVENTS_BY_PERSON.get(pid, EMPTY["events"])
        f = FEEDBACK_BY_PERSON.get(pid, EMPTY["feedback"])
        indicator = s.indicator.str.strip().str.lower()
        near_start = [abs((d - start).days) <= BASELINE_STATUS_DAYS for d in s.date]

        def status_near_start(name):
            return any(near_start[i] and ind == name for i, ind in enumerate(indicator))

        crises = [r for r in e.itertuples() if event_kind(r.event_type) == "crisis"]
        checks = {
            "initial_goals": not g.empty,
            "baseline_status": status_near_start("housing") and status_near_start("engagement"),
            # Reading: the outcomes rule makes the first score the baseline when none is marked,
            # so anyone with a score on a measure has a baseline score.
            "agreed_indicators": not o.empty,
            # Reading: each goal's latest review names the next review date.
            "review_dates": (
                all(goal.next_review_date.iloc[-1] is not None for _, goal in g.groupby("goal_id"))
                if not g.empty
                else None
            ),
            "responsible_staff": bool(people.coordinator.iloc[PERSON_IDS.index(pid)])
            or (g.staff != "").any(),
            "crisis_follow_up": all(r.follow_up for r in crises) if crises else None,
            "engagement": (indicator == "engagement").any(),
            "housing": (indicator == "housing").any(),
            "feedback": (f.source.str.strip().str.lower() == "person").any(),
            "observed_functioning": (f.functioning_change != "").any(),
            "plan_adjustments": (f.plan_adjustment != "").any()
            or (g.plan_changed.str.strip().str.lower() == "yes").any(),
        }
        for name, ok in checks.items():
            if ok is not None:
                counts[name][1] += 1
                counts[name][0] += bool(ok)
    return {name: {"complete": c, "applicable": a} for name, (c, a) in counts.items()}


AUDIT_FIELDS = [
    "initial_goals",
    "baseline_status",
    "agreed_indicators",
    "review_dates",
    "responsible_staff",
    "crisis_follow_up",
    "engagement",
    "housing",
    "feedback",
    "observed_functioning",
    "plan_adjustments",
]


# ---------------------------------------------------------------------------------------------
# Numbers with narrative
# ---------------------------------------------------------------------------------------------
def themes_of(text):
    return {t.strip().lower() for t in re.split(r"[;|]", text) if t.strip()}


def narrative_analysis(per_person):
    theme_counts = Counter()
    cases = []
    for pid in PERSON_IDS:
        rows = FEEDBACK_BY_PERSON.get(pid)
        if rows is None:
            continue
        for text in rows.themes:
            theme_counts.update(themes_of(text))
        # Reading: "the person's and carers' feedback" is the rows whose source is person or
        # carer; a row with no source recorded is nobody's own voice.
        own = rows[rows.source.str.strip().str.lower().isin(["person", "carer"])]
        if own.empty:
            continue
        ratings = [float(r) for r in own.self_rating if r != ""]
        median_rating = float(numpy.median(ratings)) if ratings else None
        worse_share = float((own.functioning_change == "worse").mean())
        # Reading: the person's own ratings come first. A median of 4 or less is poor; a
        # median of 7 or more is never poor; otherwise (no rating, or between) half or more
        # entries saying "worse" make it poor.
        if median_rating is not None and median_rating <= 4:
            voice_poor = True
        elif median_rating is not None and median_rating >= 7:
            voice_poor = False
        else:
            voice_poor = worse_share >= 0.5
        voice_good = median_rating is not None and median_rating >= 7 and worse_share < 0.25
        labels = [r["label"] for (p, _), r in per_person.items() if p == pid]
        improving = "improving" in labels
        deteriorating = "deteriorating" in labels
        paired = any(label != "insufficient_data" for label in labels)
        if improving and not deteriorating and voice_poor:
            kind = "numbers_better_voice_worse"

            def disagrees(r):
                # Rated 4 or less, or "worse" without being rated 7 or more itself.
                if r.self_rating != "":
                    rating = float(r.self_rating)
                    if rating <= 4:
                        return True
                    if rating >= 7:
                        return False
                return r.functioning_change == "worse"
        elif paired and not improving and voice_good:
            kind = "numbers_flat_voice_better"

            def disagrees(r):
                return r.self_rating != "" and float(r.self_rating) >= 7
        else:
            continue
        first = next(r.date for r in own.itertuples() if disagrees(r))
        reconciled = any(r.date >= first and r.plan_adjustment for r in rows.itertuples())
        cases.append({"person_id": pid, "kind": kind, "reconciled": reconciled})
    return {
        "cases": cases,
        "themes": dict(sorted(theme_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


# ---------------------------------------------------------------------------------------------
def analyse(everyone):
    per_person, summaries = outcomes_analysis()
    keys = sorted(per_person) if everyone else person_sample(per_person)
    return {
        "reference_date": REFERENCE_DATE.isoformat(),
        "measures": summaries,
        "people": [
            {
                "person_id": pid,
                "measure": measure,
                **{
                    k: per_person[(pid, measure)][k]
                    for k in [
                        "n_scores",
                        "baseline",
                        "latest",
                        "slope_per_month",
                        "trend_p",
                        "setbacks",
                        "last_setback",
                        "sustained_improvement",
                        "reliable_change",
                        "clinical",
                        "label",
                    ]
                },
            }
            for pid, measure in keys
        ],
        "service": service_analysis(),
        "stability": stability_analysis(),
        "goals": goals_analysis(),
        "audit": audit_analysis(),
        "narrative": narrative_analysis(per_person),
    }


def main():
    out = {
        "tools": {
            "python": sys.version.split()[0],
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
            "scipy": scipy.__version__,
            "pymannkendall": pymannkendall.__version__,
        },
        "datasets": {},
    }
    for name, folder, reference_date in DATASETS:
        load(folder, reference_date)
        everyone = "--all-people" in sys.argv or name == "edge_cases"
        out["datasets"][name] = analyse(everyone)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
