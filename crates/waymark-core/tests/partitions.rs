//! Analysing partitions of the people and merging (ARCHITECTURE.md, "Partitions of people"):
//! the monthly service indicators and the pathway comparison of two halves of the people,
//! counted apart and added, are those of everyone: the indicators month by month with the same
//! XmR charts, every group's counts, intervals, tests, survival curves and funnels, and the
//! stability, goals and narrative engines' counts and people, and the outcome summaries per
//! measure, reviews leading to action and the governance pack's counts; and, put together, the
//! report's direction-of-travel and pathway sections and the governance pack, under disclosure
//! control and with exact counts.
//!
//! The first pass's constants are shared, as a distributed engine would broadcast them: the
//! reference date and the measures' reliable-change thresholds (worked out on all the data).
//! The demo data is used because it has every kind of row: events of every kind, housing and
//! engagement statuses, and several measures, one with a local threshold.

#[path = "common/tolerance.rs"]
mod tolerance;

use std::collections::BTreeMap;
use waymark_core::analysis::add_reviews_and_governance;
use waymark_core::analysis::direction::outcomes::{self, MeasureRules};
use waymark_core::analysis::direction::service::{Indicator, ServiceAnalysis, ServiceCounts};
use waymark_core::analysis::direction::stability::{self, StabilityAnalysis};
use waymark_core::analysis::direction::{goals, narrative};
use waymark_core::analysis::pathways::{compare_pathways, primary_measure, PathwayCounts};
use waymark_core::analysis::{Analysis, AnalysisConfig, PersonIndex};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::disclosure::Disclosure;
use waymark_core::filter::partition_people;
use waymark_core::measures::MeasureCatalogue;
use waymark_core::model::Dataset;
use waymark_core::report::direction::DirectionReport;
use waymark_core::report::governance::GovernanceReport;
use waymark_core::report::pathways::PathwaysReport;
use waymark_core::{ingest, MappingConfig};

fn demo(n_people: usize, seed: u64) -> (Dataset, AnalysisConfig) {
    let params = DemoParams {
        n_people,
        seed,
        ..DemoParams::default()
    };
    let demo = generate(&params);
    let data = ingest(&demo.input_files(), &MappingConfig::default()).dataset;
    let config = AnalysisConfig {
        reference_date: Some(params.reference_date),
        ..AnalysisConfig::default()
    };
    (data, config)
}

/// The people (with their rows) split in two by [`in_first_half`].
fn halves(data: &Dataset) -> (Dataset, Dataset) {
    (
        partition_people(data, in_first_half),
        partition_people(data, |id| !in_first_half(id)),
    )
}

/// A stable split of person IDs that does not follow the people file's order.
fn in_first_half(person_id: &str) -> bool {
    person_id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 2
        == 0
}

fn counts(data: &Dataset, config: &AnalysisConfig, rules: &MeasureRules) -> ServiceCounts {
    let index = PersonIndex::build(data, config).expect("people with time in service");
    ServiceCounts::count(data, &index, config, rules).expect("someone in service")
}

fn by_key(analysis: &ServiceAnalysis) -> BTreeMap<&str, &Indicator> {
    analysis
        .indicators
        .iter()
        .map(|i| (i.key.as_str(), i))
        .collect()
}

fn assert_same(merged: &ServiceAnalysis, whole: &ServiceAnalysis) {
    assert_eq!(merged.people_in_service, whole.people_in_service);
    tolerance::assert_close(merged.person_months, whole.person_months, "person-months");
    let (merged, whole) = (by_key(merged), by_key(whole));
    assert_eq!(
        merged.keys().collect::<Vec<_>>(),
        whole.keys().collect::<Vec<_>>()
    );
    assert!(whole.len() >= 10, "only {} indicators", whole.len());
    for (key, expected) in &whole {
        let got = merged[key];
        assert_eq!(got.months.len(), expected.months.len(), "{key}: months");
        for (g, e) in got.months.iter().zip(&expected.months) {
            let what = format!("{key} {}", e.month);
            assert_eq!(g.month, e.month, "{what}");
            tolerance::assert_close(g.numerator, e.numerator, &format!("{what} numerator"));
            tolerance::assert_close(g.denominator, e.denominator, &format!("{what} denominator"));
            match (g.value, e.value) {
                (Some(g), Some(e)) => tolerance::assert_close(g, e, &format!("{what} value")),
                (g, e) => assert_eq!(g, e, "{what} value"),
            }
        }
        assert_eq!(
            got.chart_months, expected.chart_months,
            "{key}: charted months"
        );
        assert_eq!(got.chart_note, expected.chart_note, "{key}: chart note");
        match (&got.chart, &expected.chart) {
            (Some(g), Some(e)) => {
                let (g, e) = (
                    serde_json::to_value(g).expect("chart"),
                    serde_json::to_value(e).expect("chart"),
                );
                assert_json_close(&g, &e, key);
            }
            (None, None) => {}
            _ => panic!("{key}: a chart on one side only"),
        }
    }
}

/// Same JSON shape, same text, numbers within the reference tolerance (sums in another order
/// may differ in the last bits).
fn assert_json_close(got: &serde_json::Value, expected: &serde_json::Value, at: &str) {
    use serde_json::Value;
    match (got, expected) {
        (Value::Number(g), Value::Number(e)) => {
            tolerance::assert_close(g.as_f64().expect("number"), e.as_f64().expect("number"), at)
        }
        (Value::Array(g), Value::Array(e)) => {
            assert_eq!(g.len(), e.len(), "{at}: length");
            for (i, (g, e)) in g.iter().zip(e).enumerate() {
                assert_json_close(g, e, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(g), Value::Object(e)) => {
            assert_eq!(
                g.keys().collect::<Vec<_>>(),
                e.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, e) in e {
                assert_json_close(&g[k], e, &format!("{at}.{k}"));
            }
        }
        (g, e) => assert_eq!(g, e, "{at}"),
    }
}

#[test]
fn two_halves_of_the_people_counted_apart_and_added_give_everyones_service_indicators() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
        let whole = counts(&data, &config, &rules).indicators(&rules, &config);

        let (first, second) = halves(&data);
        let (n_first, n_second) = (first.people.person.len(), second.people.person.len());
        assert_eq!(n_first + n_second, data.people.person.len());
        assert!(
            n_first > n_people / 4 && n_second > n_people / 4,
            "{n_first} / {n_second}"
        );

        let mut merged = counts(&first, &config, &rules);
        merged.add(&counts(&second, &config, &rules));
        assert_same(&merged.indicators(&rules, &config), &whole);

        // Either order of adding gives the same.
        let mut other_way = counts(&second, &config, &rules);
        other_way.add(&counts(&first, &config, &rules));
        assert_same(&other_way.indicators(&rules, &config), &whole);
    }
}

/// Early starters and late starters: the two partitions' months begin in different months,
/// so adding them aligns the months by date.
#[test]
fn partitions_whose_months_begin_apart_are_aligned_by_date() {
    let (data, config) = demo(600, 42);
    let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
    let whole = counts(&data, &config, &rules).indicators(&rules, &config);
    let mut starts = data.people.start_date.clone();
    starts.sort();
    let median = starts[starts.len() / 2];
    let early: std::collections::HashSet<String> = (0..data.people.person.len())
        .filter(|p| data.people.start_date[*p] < median)
        .map(|p| data.person_ids.text(data.people.person[p]).to_string())
        .collect();
    let first = partition_people(&data, |id| early.contains(id));
    let second = partition_people(&data, |id| !early.contains(id));
    let (late, early_counts) = (
        counts(&second, &config, &rules),
        counts(&first, &config, &rules),
    );
    let late_months = late.indicators(&rules, &config).indicators[0].months.len();
    let early_months = early_counts.indicators(&rules, &config).indicators[0]
        .months
        .len();
    assert!(
        late_months < early_months,
        "{late_months} vs {early_months}"
    );
    let mut merged = late;
    merged.add(&early_counts);
    assert_same(&merged.indicators(&rules, &config), &whole);
}

#[test]
fn the_halves_alone_differ_from_everyone_so_the_merge_is_what_makes_them_agree() {
    let (data, config) = demo(600, 42);
    let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
    let whole = counts(&data, &config, &rules).indicators(&rules, &config);
    let half = partition_people(&data, in_first_half);
    let alone = counts(&half, &config, &rules).indicators(&rules, &config);
    assert!(alone.people_in_service < whole.people_in_service);
    let crisis = |a: &ServiceAnalysis| {
        a.indicators
            .iter()
            .find(|i| i.key == "crisis_rate")
            .map(|i| i.months.iter().map(|m| m.numerator).sum::<f64>())
            .expect("crisis rate")
    };
    assert!(crisis(&alone) < crisis(&whole));
}

/// Team funnels list their teams in the order first met, which a partition changes: put each
/// funnel's units in name order (the points follow their names) before comparing.
fn teams_in_name_order(comparison: &mut serde_json::Value) {
    let Some(funnels) = comparison["funnels"].as_array_mut() else {
        return;
    };
    for funnel in funnels {
        let names: Vec<String> = funnel["unit_names"]
            .as_array()
            .map(|n| {
                n.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mut sorted = names.clone();
        sorted.sort();
        let new_index = |old: usize| sorted.iter().position(|n| *n == names[old]).unwrap_or(old);
        funnel["unit_names"] = serde_json::json!(sorted);
        if let Some(points) = funnel["funnel"]["units"].as_array_mut() {
            for point in points.iter_mut() {
                let old = point["unit_idx"].as_u64().unwrap_or(0) as usize;
                point["unit_idx"] = serde_json::json!(new_index(old));
            }
            points.sort_by_key(|p| p["unit_idx"].as_u64());
        }
    }
}

#[test]
fn two_halves_counted_apart_and_added_give_everyones_pathway_comparison() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let catalogue = MeasureCatalogue::defaults();
        let rules = MeasureRules::for_dataset(&catalogue, &data);
        let index = PersonIndex::build(&data, &config).expect("people");
        let whole_outcomes = outcomes::analyse(&data, &index, &rules);
        let whole = compare_pathways(&data, &index, &whole_outcomes, &catalogue, &config.pathways);
        // The first pass's constants: thresholds (in `rules`) and the primary measure.
        let primary = primary_measure(&rules, &catalogue, &whole_outcomes);
        assert!(primary.is_some());
        let count = |part: &Dataset| {
            let index = PersonIndex::build(part, &config).expect("people");
            let outcomes = outcomes::analyse(part, &index, &rules);
            PathwayCounts::count(
                part,
                &index,
                &outcomes,
                &rules,
                &catalogue,
                primary.as_deref(),
            )
        };
        let (first, second) = halves(&data);
        for (a, b) in [(&first, &second), (&second, &first)] {
            let mut merged = count(a);
            merged.add(&count(b));
            let merged = merged.compare(&rules, &catalogue, &config.pathways, whole.reference_date);
            let mut got = serde_json::to_value(&merged).expect("comparison");
            let mut expected = serde_json::to_value(&whole).expect("comparison");
            teams_in_name_order(&mut got);
            teams_in_name_order(&mut expected);
            assert_json_close(&got, &expected, "pathways");
        }
        assert!(
            whole.groups.len() >= 3 && whole.funnels.len() == 4,
            "{n_people}"
        );
    }
}

/// Person-level results keyed by person_id (with `key`, e.g. the measure), each row without
/// its person number: partitions number people by their own rows, so this is how two
/// analyses' people are compared.
fn by_person_id<T: serde::Serialize>(
    rows: &[T],
    person: impl Fn(&T) -> usize,
    key: impl Fn(&T) -> String,
    ids: &[String],
) -> BTreeMap<String, String> {
    rows.iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).expect("a person-level row");
            value.as_object_mut().expect("an object").remove("person");
            (
                format!("{} {}", ids[person(row)], key(row)),
                value.to_string(),
            )
        })
        .collect()
}

/// The person_ids of two partitions' people tables put one after the other, as the merged
/// results number them.
fn concatenated_ids(first: &Dataset, second: &Dataset) -> Vec<String> {
    let mut ids = person_ids(first);
    ids.extend(person_ids(second));
    ids
}

fn person_ids(data: &Dataset) -> Vec<String> {
    data.people
        .person
        .iter()
        .map(|key| data.person_ids.text(*key).to_string())
        .collect()
}

#[test]
fn two_halves_added_give_everyones_stability_counts_and_flagged_people() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let run = |part: &Dataset| {
            let index = PersonIndex::build(part, &config).expect("people");
            stability::analyse(part, &index, &config)
        };
        let whole = run(&data);
        let (first, second) = halves(&data);
        let mut merged = run(&first);
        merged.add(&run(&second), first.people.person.len());
        let counts = |a: &StabilityAnalysis| {
            let mut a = serde_json::to_value(a).expect("stability");
            a.as_object_mut().expect("object").remove("people");
            a
        };
        assert_eq!(counts(&merged), counts(&whole));
        assert!(
            whole.early_warnings > 0 && whole.people_assessed > 50,
            "{} flagged of {}",
            whole.early_warnings,
            whole.people_assessed
        );
        let people = |a: &StabilityAnalysis, ids: &[String]| {
            by_person_id(&a.people, |p| p.person, |_| String::new(), ids)
        };
        assert_eq!(
            people(&merged, &concatenated_ids(&first, &second)),
            people(&whole, &person_ids(&data))
        );
    }
}

#[test]
fn two_halves_added_give_everyones_goals_reviews_and_audit() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let run = |part: &Dataset| {
            let index = PersonIndex::build(part, &config).expect("people");
            goals::analyse(part, &index, &config)
        };
        let whole = run(&data);
        let (first, second) = halves(&data);
        let mut merged = run(&first);
        merged.add(&run(&second), first.people.person.len());
        // The scores' order follows the people's; compare them sorted, and the rest as JSON.
        let summary = |a: &goals::GoalsAnalysis| {
            let mut value = serde_json::to_value(a).expect("goals");
            let object = value.as_object_mut().expect("object");
            object.remove("people");
            let mut scores: Vec<f64> = a.gas_t_scores.clone();
            scores.sort_by(f64::total_cmp);
            object.insert("gas_t_scores".into(), serde_json::json!(scores));
            value
        };
        assert_json_close(&summary(&merged), &summary(&whole), "goals");
        assert!(whole.goals > 100 && whole.static_goals > 0 && !whole.audit_by_team.is_empty());
        let by_id = |a: &goals::GoalsAnalysis, ids: &[String]| {
            by_person_id(&a.people, |p| p.person, |_| String::new(), ids)
        };
        let ids = concatenated_ids(&first, &second);
        assert_eq!(by_id(&merged, &ids), by_id(&whole, &person_ids(&data)));
    }
}

#[test]
fn two_halves_added_give_everyones_outcome_summaries_and_talking_therapies_counts() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
        let run = |part: &Dataset| {
            let index = PersonIndex::build(part, &config).expect("people");
            outcomes::analyse(part, &index, &rules)
        };
        let whole = run(&data);
        let (first, second) = halves(&data);
        let mut merged = run(&first);
        merged.add(&run(&second), first.people.person.len());
        // Measures in name order: the partitions may meet them in another order.
        let summaries = |a: &outcomes::OutcomesAnalysis| {
            let mut by_name: BTreeMap<String, serde_json::Value> = BTreeMap::new();
            for summary in &a.measures {
                by_name.insert(
                    summary.measure.clone(),
                    serde_json::to_value(summary).expect("summary"),
                );
            }
            serde_json::to_value(by_name).expect("summaries")
        };
        assert_json_close(&summaries(&merged), &summaries(&whole), "measures");
        assert!(whole.measures.len() >= 3);
        assert_eq!(
            serde_json::to_value(&merged.talking_therapies).expect("tt"),
            serde_json::to_value(&whole.talking_therapies).expect("tt")
        );
        let unknown = |a: &outcomes::OutcomesAnalysis| {
            let mut names = a.unknown_measures.clone();
            names.sort();
            names
        };
        assert_eq!(unknown(&merged), unknown(&whole));
        let by_id = |a: &outcomes::OutcomesAnalysis, ids: &[String]| {
            by_person_id(&a.people, |p| p.person, |p| p.measure.clone(), ids)
        };
        let ids = concatenated_ids(&first, &second);
        assert_eq!(by_id(&merged, &ids), by_id(&whole, &person_ids(&data)));
    }
}

/// The Talking Therapies counts pair each person's PHQ-9 and GAD-7, so the merge must keep
/// the partitions' people apart (the demo data has no GAD-7; this is the hand-worked dataset
/// of tests/talking_therapies.rs).
#[test]
fn talking_therapies_counts_of_two_partitions_pair_each_persons_own_scores() {
    let people = "person_id,pathway,start_date\nP1,A,2025-01-01\nP2,A,2025-01-01\nP3,A,2025-01-01\nP4,A,2025-01-01\n";
    let scores = "person_id,date,measure,score\n\
        P1,2025-01-05,PHQ-9,15\nP1,2025-01-05,GAD-7,12\nP1,2025-04-05,PHQ-9,6\nP1,2025-04-05,GAD-7,5\n\
        P2,2025-01-05,PHQ-9,12\nP2,2025-01-05,GAD-7,9\nP2,2025-04-05,PHQ-9,9\nP2,2025-04-05,GAD-7,7\n\
        P3,2025-01-05,PHQ-9,5\nP3,2025-01-05,GAD-7,4\nP3,2025-04-05,PHQ-9,12\nP3,2025-04-05,GAD-7,10\n\
        P4,2025-01-05,PHQ-9,20\n";
    let files = [
        waymark_core::InputFile {
            name: "people.csv",
            bytes: people.as_bytes(),
        },
        waymark_core::InputFile {
            name: "outcomes.csv",
            bytes: scores.as_bytes(),
        },
    ];
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let config = AnalysisConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
        ..AnalysisConfig::default()
    };
    let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
    let run = |part: &Dataset| {
        let index = PersonIndex::build(part, &config).expect("people");
        outcomes::analyse(part, &index, &rules)
    };
    let whole = run(&data).talking_therapies.expect("paired people");
    assert_eq!((whole.people_paired, whole.recovered), (3, 2));
    for split in [["P1", "P3"], ["P2", "P4"], ["P1", "P2"]] {
        let first = partition_people(&data, |id| split.contains(&id));
        let second = partition_people(&data, |id| !split.contains(&id));
        let mut merged = run(&first);
        merged.add(&run(&second), first.people.person.len());
        let merged = merged.talking_therapies.expect("paired people");
        assert_eq!(
            serde_json::to_value(&merged).expect("tt"),
            serde_json::to_value(&whole).expect("tt"),
            "{split:?}"
        );
    }
}

#[test]
fn two_halves_added_give_everyones_narrative_counts_themes_and_cases() {
    for (n_people, seed) in [(600, 42), (1500, 7)] {
        let (data, config) = demo(n_people, seed);
        let rules = MeasureRules::for_dataset(&MeasureCatalogue::defaults(), &data);
        let run = |part: &Dataset| {
            let index = PersonIndex::build(part, &config).expect("people");
            let outcomes = outcomes::analyse(part, &index, &rules);
            narrative::analyse(part, &index, &outcomes)
        };
        let whole = run(&data);
        let (first, second) = halves(&data);
        let mut merged = run(&first);
        merged.add(
            &run(&second),
            first.people.person.len(),
            first.feedback.person.len(),
        );
        let counts = |a: &narrative::NarrativeAnalysis| {
            let mut value = serde_json::to_value(a).expect("narrative");
            let object = value.as_object_mut().expect("object");
            object.remove("anchored");
            object.remove("cases");
            value
        };
        assert_eq!(counts(&merged), counts(&whole));
        assert!(
            whole.feedback_entries > 100
                && !whole.cases.is_empty()
                && !whole.themes.is_empty()
                && !whole.anchored.is_empty()
        );
        let cases = |a: &narrative::NarrativeAnalysis, ids: &[String]| {
            by_person_id(&a.cases, |c| c.person, |_| String::new(), ids)
        };
        let ids = concatenated_ids(&first, &second);
        assert_eq!(cases(&merged, &ids), cases(&whole, &person_ids(&data)));
        // Anchored feedback: the same entries, each at the same person and date.
        let anchored = |a: &narrative::NarrativeAnalysis, ids: &[String]| {
            let mut rows: Vec<String> = a
                .anchored
                .iter()
                .map(|e| format!("{} {} {:?}", ids[e.person], e.date, e.crises_before))
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(
            anchored(&merged, &ids),
            anchored(&whole, &person_ids(&data))
        );
    }
}

/// Every engine of the analysis except the trajectories, for one partition (or all).
struct Parts {
    outcomes: outcomes::OutcomesAnalysis,
    service: ServiceCounts,
    stability: StabilityAnalysis,
    goals: goals::GoalsAnalysis,
    narrative: narrative::NarrativeAnalysis,
    pathways: PathwayCounts,
}

#[test]
fn two_halves_merged_give_everyones_direction_of_travel_pathway_and_governance_reports() {
    let (data, config) = demo(1500, 7);
    let catalogue = MeasureCatalogue::defaults();
    let rules = MeasureRules::for_dataset(&catalogue, &data);
    let whole_index = PersonIndex::build(&data, &config).expect("people");
    let primary = primary_measure(
        &rules,
        &catalogue,
        &outcomes::analyse(&data, &whole_index, &rules),
    );
    let parts = |part: &Dataset| {
        let index = PersonIndex::build(part, &config).expect("people");
        let outcomes = outcomes::analyse(part, &index, &rules);
        Parts {
            service: ServiceCounts::count(part, &index, &config, &rules).expect("in service"),
            stability: stability::analyse(part, &index, &config),
            goals: goals::analyse(part, &index, &config),
            narrative: narrative::analyse(part, &index, &outcomes),
            pathways: PathwayCounts::count(
                part,
                &index,
                &outcomes,
                &rules,
                &catalogue,
                primary.as_deref(),
            ),
            outcomes,
        }
    };
    let analysis = |p: Parts| Analysis {
        reference_date: whole_index.reference_date,
        service: p.service.indicators(&rules, &config),
        pathways: p.pathways.compare(
            &rules,
            &catalogue,
            &config.pathways,
            whole_index.reference_date,
        ),
        outcomes: p.outcomes,
        stability: p.stability,
        goals: p.goals,
        narrative: p.narrative,
        review_actions: None,
        governance: None,
    };
    let window = 28;
    let with_reviews = |part: &Dataset, mut a: Analysis| {
        add_reviews_and_governance(part, &config, &mut a, window);
        a
    };
    let whole = with_reviews(&data, analysis(parts(&data)));
    let (first, second) = halves(&data);
    let (first_analysis, second_analysis) = (
        with_reviews(&first, analysis(parts(&first))),
        with_reviews(&second, analysis(parts(&second))),
    );
    let (mut merged, theirs) = (parts(&first), parts(&second));
    let (people, feedback) = (first.people.person.len(), first.feedback.person.len());
    merged.outcomes.add(&theirs.outcomes, people);
    merged.service.add(&theirs.service);
    merged.stability.add(&theirs.stability, people);
    merged.goals.add(&theirs.goals, people);
    merged.narrative.add(&theirs.narrative, people, feedback);
    merged.pathways.add(&theirs.pathways);
    let mut merged = analysis(merged);
    let mut reviews = first_analysis.review_actions.expect("reviews");
    reviews.add(&second_analysis.review_actions.expect("reviews"));
    merged.review_actions = Some(reviews);
    let mut governance = first_analysis.governance.expect("governance");
    governance
        .add(&second_analysis.governance.expect("governance"))
        .expect("the same months");
    merged.governance = Some(governance);
    assert!(whole
        .review_actions
        .as_ref()
        .is_some_and(|r| r.service.all.due > 0));
    // The one thing a partition changes is the order measures are first met in the rows
    // (ARCHITECTURE.md: such orders must become orders by text); put it as the whole's.
    let position = |names: &[&str], name: &str| names.iter().position(|n| *n == name);
    let measure_order: Vec<&str> = whole
        .outcomes
        .measures
        .iter()
        .map(|m| m.measure.as_str())
        .collect();
    merged
        .outcomes
        .measures
        .sort_by_key(|m| position(&measure_order, &m.measure));
    let indicator_order: Vec<&str> = whole
        .service
        .indicators
        .iter()
        .map(|i| i.key.as_str())
        .collect();
    merged
        .service
        .indicators
        .sort_by_key(|i| position(&indicator_order, &i.key));

    for disclosure in [Disclosure::Controlled, Disclosure::Exact] {
        let direction = |a: &Analysis| {
            serde_json::to_value(DirectionReport::build(a, disclosure)).expect("direction")
        };
        assert_json_close(
            &direction(&merged),
            &direction(&whole),
            "direction_of_travel",
        );
        let pathways = |a: &Analysis| {
            let mut value =
                serde_json::to_value(PathwaysReport::build(&a.pathways, None, disclosure))
                    .expect("pathways");
            teams_in_name_order(&mut value);
            value
        };
        assert_json_close(&pathways(&merged), &pathways(&whole), "pathways");
        let governance = |a: &Analysis| {
            serde_json::to_value(GovernanceReport::build(a, disclosure)).expect("governance")
        };
        assert_json_close(&governance(&merged), &governance(&whole), "governance");
    }
}
