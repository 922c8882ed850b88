//! The demo generator's tests: determinism, the files' shape, and the planted effects
//! visible in the rows.

use super::csv_out::*;
use super::parameters::*;
use super::random::*;
use super::tables::*;
use super::vocabulary::*;
use super::*;
use crate::model::DAYS_PER_MONTH;
use chrono::{Months, NaiveDate};
use std::collections::BTreeMap;

/// Parses RFC 4180 text into records (quoted fields may hold commas, quotes, newlines).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(ch),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, _) => field.push(ch),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "file must end with a line feed"
    );
    records
}

/// A file's rows as maps from header name to value, after checking the header and the
/// field count of every row.
fn table(
    data: &DemoDataset,
    name: &str,
    header: &'static str,
) -> Vec<BTreeMap<&'static str, String>> {
    let file = data.file(name).unwrap_or_else(|| panic!("{name} missing"));
    assert!(!file.csv.contains('\r'), "{name}: LF line ends only");
    let records = parse_csv(&file.csv);
    let columns: Vec<&str> = header.split(',').collect();
    assert_eq!(records[0], columns, "{name}: header");
    for (line, record) in records.iter().enumerate().skip(1) {
        assert_eq!(
            record.len(),
            columns.len(),
            "{name} line {}: {record:?}",
            line + 1
        );
    }
    records[1..]
        .iter()
        .map(|r| columns.iter().copied().zip(r.iter().cloned()).collect())
        .collect()
}

fn date(text: &str) -> Day {
    let parsed =
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad date `{text}`"));
    assert_eq!(text.len(), 10, "`{text}` must be yyyy-mm-dd");
    day_of(parsed)
}

struct Window {
    start: Day,
    obs_end: Day,
    cohort: String,
    pathway: String,
}

fn windows(data: &DemoDataset, reference: Day) -> BTreeMap<String, Window> {
    table(data, "people.csv", PEOPLE_HEADER)
        .into_iter()
        .map(|r| {
            let start = date(&r["start_date"]);
            let obs_end = if r["end_date"].is_empty() {
                reference
            } else {
                date(&r["end_date"])
            };
            let window = Window {
                start,
                obs_end,
                cohort: r["cohort"].clone(),
                pathway: r["pathway"].clone(),
            };
            (r["person_id"].clone(), window)
        })
        .collect()
}

fn with(n_people: usize, seed: u64) -> DemoParams {
    DemoParams {
        n_people,
        seed,
        ..DemoParams::default()
    }
}

#[test]
fn same_seed_same_bytes_and_different_seed_different_bytes() {
    let a = generate(&DemoParams::default());
    let b = generate(&DemoParams::default());
    assert_eq!(a, b);
    let c = generate(&with(300, 43));
    for (x, y) in a.files.iter().zip(&c.files) {
        assert_ne!(x.csv, y.csv, "{} should change with the seed", x.name);
    }
}

/// Pins the bytes so a change in any platform or dependency that alters the output is
/// caught: an FNV-1a hash of every file, recomputed natively and on wasm32 when changed.
#[test]
fn output_is_pinned() {
    let data = generate(&with(40, 7));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &data.files {
        for byte in file.name.bytes().chain(file.csv.bytes()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    assert_eq!(
        hash, PINNED_HASH,
        "output changed: update PINNED_HASH if intended"
    );
}
const PINNED_HASH: u64 = 16_014_357_772_049_593_563;

#[test]
fn every_file_has_its_header_and_a_constant_field_count() {
    let data = generate(&DemoParams::default());
    let names: Vec<&str> = data.files.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "people.csv",
            "outcomes.csv",
            "events.csv",
            "goals.csv",
            "status.csv",
            "feedback.csv"
        ]
    );
    for (name, header) in [
        ("people.csv", PEOPLE_HEADER),
        ("outcomes.csv", OUTCOMES_HEADER),
        ("events.csv", EVENTS_HEADER),
        ("goals.csv", GOALS_HEADER),
        ("status.csv", STATUS_HEADER),
        ("feedback.csv", FEEDBACK_HEADER),
    ] {
        assert!(
            table(&data, name, header).len() > 100,
            "{name} should have rows"
        );
    }
    // Quoting is exercised: fields with commas and quotes come back intact.
    let feedback = table(&data, "feedback.csv", FEEDBACK_HEADER);
    assert!(feedback
        .iter()
        .any(|r| r["text"] == "Everyone says I'm \"doing well\", but I don't feel it."));
    let people = table(&data, "people.csv", PEOPLE_HEADER);
    assert!(people
        .iter()
        .any(|r| r["ethnicity"] == "Black, Black British, Caribbean or African"));
}

#[test]
fn no_people_gives_headers_only() {
    let data = generate(&with(0, 1));
    for file in &data.files {
        assert_eq!(file.csv.lines().count(), 1, "{}", file.name);
    }
}

#[test]
fn dates_are_valid_and_within_each_persons_window() {
    let params = DemoParams::default();
    let reference = day_of(params.reference_date);
    let data = generate(&params);
    let people = windows(&data, reference);
    for w in people.values() {
        assert!((reference - 730..=reference - 30).contains(&w.start));
        assert!(w.obs_end > w.start && w.obs_end <= reference);
    }
    let sorted_people: Vec<&String> = people.keys().collect();
    let mut last: Option<(String, Day)> = None;
    for r in table(&data, "events.csv", EVENTS_HEADER) {
        let w = &people[&r["person_id"]];
        let day = date(&r["date"]);
        let earliest = day_of(
            date_of(w.start)
                .checked_sub_months(Months::new(12))
                .expect("in range"),
        );
        assert!(
            day >= earliest && day < w.obs_end,
            "event outside window: {r:?}"
        );
        if let Some((prev_id, prev_day)) = &last {
            assert!(
                (prev_id, *prev_day) <= (&r["person_id"], day),
                "events sorted by person then date"
            );
        }
        last = Some((r["person_id"].clone(), day));
        let severity_kind = r["event_type"] == "crisis_contact" || r["event_type"] == "incident";
        assert_eq!(!r["severity"].is_empty(), severity_kind, "{r:?}");
    }
    assert_eq!(sorted_people.len(), params.n_people);
    for (name, header, column) in [
        ("outcomes.csv", OUTCOMES_HEADER, "date"),
        ("goals.csv", GOALS_HEADER, "review_date"),
        ("status.csv", STATUS_HEADER, "date"),
        ("feedback.csv", FEEDBACK_HEADER, "date"),
    ] {
        for r in table(&data, name, header) {
            let w = &people[&r["person_id"]];
            let day = date(&r[column]);
            assert!(day >= w.start && day <= w.obs_end, "{name}: {r:?}");
        }
    }
    for r in table(&data, "goals.csv", GOALS_HEADER) {
        assert_eq!(date(&r["next_review_date"]), date(&r["review_date"]) + 91);
        assert!(date(&r["set_date"]) <= date(&r["review_date"]));
    }
}

#[test]
fn outcome_scores_stay_in_range_with_a_baseline_first() {
    let data = generate(&DemoParams::default());
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
        let score: i64 = r["score"].parse().expect("integer score");
        let (lo, hi) = match r["measure"].as_str() {
            "WEMWBS" => WEMWBS_RANGE,
            "PHQ-9" => PHQ9_RANGE,
            "CORE-10" => CORE10_RANGE,
            other => panic!("unexpected measure {other}"),
        };
        assert!((lo..=hi).contains(&score));
        let n = seen
            .entry((r["person_id"].clone(), r["measure"].clone()))
            .or_default();
        assert_eq!(r["stage"] == "baseline", *n == 0, "{r:?}");
        *n += 1;
    }
}

/// Crisis contacts per person-month before and after start, by cohort and pathway.
fn crisis_rates(params: &DemoParams) -> BTreeMap<String, (f64, f64)> {
    let reference = day_of(params.reference_date);
    let data = generate(params);
    let people = windows(&data, reference);
    let mut counts: BTreeMap<String, (f64, f64, f64, f64)> = BTreeMap::new();
    let group = |w: &Window| {
        if w.cohort == "comparison" {
            "comparison".to_string()
        } else {
            w.pathway.clone()
        }
    };
    for w in people.values() {
        let pre_start = day_of(
            date_of(w.start)
                .checked_sub_months(Months::new(12))
                .expect("in range"),
        );
        let c = counts.entry(group(w)).or_default();
        c.2 += f64::from(w.start - pre_start) / DAYS_PER_MONTH;
        c.3 += f64::from(w.obs_end - w.start) / DAYS_PER_MONTH;
    }
    for r in table(&data, "events.csv", EVENTS_HEADER) {
        if r["event_type"] == "crisis_contact" {
            let w = &people[&r["person_id"]];
            let c = counts.get_mut(&group(w)).expect("group seen");
            if date(&r["date"]) < w.start {
                c.0 += 1.0;
            } else {
                c.1 += 1.0;
            }
        }
    }
    counts
        .into_iter()
        .map(|(k, c)| (k, (c.0 / c.2, c.1 / c.3)))
        .collect()
}

#[test]
fn planted_crisis_drop_is_visible_in_the_events() {
    for params in [DemoParams::default(), with(1000, 9)] {
        let rates = crisis_rates(&params);
        let (pre, post) = rates[PATHWAYS[INTEGRATED]];
        assert!((0.45..0.75).contains(&pre), "pre {pre}");
        assert!(post < 0.55 * pre, "Integrated {pre} -> {post}");
        let (pre_c, post_c) = rates["comparison"];
        assert!(post_c > 0.65 * pre_c, "comparison {pre_c} -> {post_c}");
        assert!(rates[PATHWAYS[STANDARD]].1 < post_c && post < rates[PATHWAYS[STEP_DOWN]].1);
    }
    // With a few thousand people the observed rates sit close to the planted ones.
    let rates = crisis_rates(&with(3000, 9));
    for (group, planted) in [
        (PATHWAYS[INTEGRATED], POST_RATES[INTEGRATED][CRISIS]),
        (PATHWAYS[STANDARD], POST_RATES[STANDARD][CRISIS]),
        (PATHWAYS[STEP_DOWN], POST_RATES[STEP_DOWN][CRISIS]),
        ("comparison", POST_RATES[COMPARISON][CRISIS]),
    ] {
        let observed = rates[group].1;
        assert!(
            (observed - planted).abs() < 0.05 + 0.1 * planted,
            "{group}: {observed} vs {planted}"
        );
    }
}

/// People with a goal whose follow-up reviews show plan_changed=no twice running while
/// the rating does not rise.
fn static_plan_people(data: &DemoDataset) -> Vec<String> {
    let mut by_goal: BTreeMap<String, Vec<BTreeMap<&'static str, String>>> = BTreeMap::new();
    for r in table(data, "goals.csv", GOALS_HEADER) {
        by_goal.entry(r["goal_id"].clone()).or_default().push(r);
    }
    let mut out: Vec<String> = Vec::new();
    for rows in by_goal.values() {
        let mut run = 0;
        for pair in rows.windows(2) {
            let rating =
                |r: &BTreeMap<&'static str, String>| r["rating"].parse::<i64>().expect("rating");
            let stuck = pair[1]["plan_changed"] == "no" && rating(&pair[1]) <= rating(&pair[0]);
            run = if stuck { run + 1 } else { 0 };
            if run >= 2 && out.last() != Some(&pair[1]["person_id"]) {
                out.push(pair[1]["person_id"].clone());
            }
        }
    }
    out.dedup();
    out
}

#[test]
fn static_plan_share_is_as_planted() {
    for params in [DemoParams::default(), with(2000, 11)] {
        let data = generate(&params);
        let detected = static_plan_people(&data);
        let planted = data
            .planted
            .iter()
            .find(|e| e.name == "static_plans")
            .expect("planted");
        assert_eq!(detected, planted.people);
        let n_service = table(&data, "people.csv", PEOPLE_HEADER)
            .iter()
            .filter(|r| r["cohort"] == "service")
            .count();
        let share = detected.len() as f64 / n_service as f64;
        assert!((share - 0.20).abs() < 0.01, "static share {share}");
    }
}

#[test]
fn integrated_has_the_best_reliable_improvement() {
    let data = generate(&DemoParams::default());
    let cohort: BTreeMap<String, (String, String)> = table(&data, "people.csv", PEOPLE_HEADER)
        .into_iter()
        .map(|r| {
            (
                r["person_id"].clone(),
                (r["cohort"].clone(), r["pathway"].clone()),
            )
        })
        .collect();
    let mut first_last: BTreeMap<String, (i64, i64, usize)> = BTreeMap::new();
    for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
        if r["measure"] == "WEMWBS" {
            let score: i64 = r["score"].parse().expect("score");
            let e = first_last
                .entry(r["person_id"].clone())
                .or_insert((score, score, 0));
            e.1 = score;
            e.2 += 1;
        }
    }
    let mut by_group: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (id, (first, last, n)) in first_last {
        let (c, pathway) = &cohort[&id];
        if n >= 2 && c == "service" {
            let e = by_group.entry(pathway.clone()).or_default();
            e.0 += u32::from(last - first >= 8);
            e.1 += 1;
        }
    }
    let rate = |p: &str| f64::from(by_group[p].0) / f64::from(by_group[p].1);
    assert!(
        rate(PATHWAYS[INTEGRATED]) > rate(PATHWAYS[STANDARD]) + 0.1,
        "{by_group:?}"
    );
    assert!(
        rate(PATHWAYS[INTEGRATED]) > rate(PATHWAYS[STEP_DOWN]) + 0.1,
        "{by_group:?}"
    );
}

#[test]
fn planted_people_and_counts_are_as_documented() {
    let data = generate(&DemoParams::default());
    let count = |name: &str| {
        data.planted
            .iter()
            .find(|e| e.name == name)
            .expect(name)
            .people
            .len()
    };
    assert_eq!(count("discordant_feedback"), 24); // 8% of 300
    assert_eq!(count("reverse_discordant_feedback"), 6); // 2%
    assert_eq!(count("early_warning"), 15); // 5%
    for effect in &data.planted {
        assert!(
            !effect.description.contains("NaN") && !effect.description.contains("inf"),
            "{}",
            effect.description
        );
    }
}

fn planted_people(data: &DemoDataset, name: &str) -> Vec<String> {
    data.planted
        .iter()
        .find(|e| e.name == name)
        .expect(name)
        .people
        .clone()
}

#[test]
fn early_warning_people_miss_more_and_disengage() {
    let params = DemoParams::default();
    let reference = day_of(params.reference_date);
    let data = generate(&params);
    let warned = planted_people(&data, "early_warning");
    let people = windows(&data, reference);
    let in_service: Vec<&String> = people
        .iter()
        .filter(|(_, w)| {
            w.obs_end == reference && w.cohort == "service" && reference - w.start >= 180
        })
        .map(|(id, _)| id)
        .collect();
    let mut missed: BTreeMap<&str, u32> = BTreeMap::new();
    for r in table(&data, "events.csv", EVENTS_HEADER) {
        if r["event_type"] == "missed_appointment" && date(&r["date"]) >= reference - 90 {
            if let Some(id) = in_service.iter().find(|id| ***id == r["person_id"]) {
                *missed.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    let mean = |warned_group: bool| {
        let ids: Vec<&&String> = in_service
            .iter()
            .filter(|id| warned.contains(id) == warned_group)
            .collect();
        let total: u32 = ids
            .iter()
            .map(|id| missed.get(id.as_str()).copied().unwrap_or(0))
            .sum();
        f64::from(total) / ids.len() as f64
    };
    assert!(
        mean(true) > 3.0 * mean(false),
        "missed in last 90 days: {} vs {}",
        mean(true),
        mean(false)
    );
    let mut last_engagement: BTreeMap<String, String> = BTreeMap::new();
    for r in table(&data, "status.csv", STATUS_HEADER) {
        if r["indicator"] == "engagement" {
            last_engagement.insert(r["person_id"].clone(), r["value"].clone());
        }
    }
    assert!(warned.iter().all(|id| last_engagement[id] != "engaged"));
}

#[test]
fn discordant_people_improve_while_saying_otherwise() {
    let data = generate(&DemoParams::default());
    let discordant = planted_people(&data, "discordant_feedback");
    let mut wemwbs: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in table(&data, "outcomes.csv", OUTCOMES_HEADER) {
        if r["measure"] == "WEMWBS" {
            let score: i64 = r["score"].parse().expect("score");
            wemwbs
                .entry(r["person_id"].clone())
                .or_insert((score, score))
                .1 = score;
        }
    }
    let improved = discordant
        .iter()
        .filter(|id| wemwbs[*id].1 - wemwbs[*id].0 >= 8)
        .count();
    assert!(
        improved * 10 >= discordant.len() * 8,
        "{improved} of {} improved",
        discordant.len()
    );
    for r in table(&data, "feedback.csv", FEEDBACK_HEADER) {
        if discordant.contains(&r["person_id"]) && r["source"] == "person" {
            assert!(r["self_rating"].parse::<i64>().expect("rating") <= 3);
            assert!(r["themes"].contains("isolation") || r["themes"].contains("loneliness"));
        }
    }
}

#[test]
fn event_rows_per_person_match_the_estimate() {
    let params = with(2000, 3);
    let data = generate(&params);
    let rows = data.file("events.csv").expect("events").csv.lines().count() - 1;
    let mean = rows as f64 / params.n_people as f64;
    assert!((60.0..=120.0).contains(&mean), "mean {mean}");
    let estimate = people_for_event_rows(rows);
    assert!(
        (estimate as f64 / params.n_people as f64 - 1.0).abs() < 0.05,
        "estimate {estimate}"
    );
}

#[test]
fn helpers_are_exact() {
    // e^-1 and e^-10 to 1e-14 relative (values from any table of e^-x).
    assert!((exp_neg(1.0) - 0.367_879_441_171_442_33).abs() < 1e-15);
    assert!((exp_neg(10.0) / 4.539_992_976_248_485e-5 - 1.0).abs() < 1e-13);
    let mut out = String::new();
    push_field(&mut out, "say \"hi\", then go");
    assert_eq!(out, "\"say \"\"hi\"\", then go\"");
    assert_eq!(percent_of(300, 8), 24);
    assert_eq!(people_for_event_rows(0), 0);
}
