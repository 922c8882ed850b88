//! One truth per figure: the report on screen (exact counts) and the report that leaves it
//! (disclosure-controlled JSON and HTML) come from one analysis and differ only in how counts
//! are shown; the value headline is the most defensible figure; every export is scanned for
//! small and unrounded counts. Expected values are worked by hand from the rules in
//! docs/methods.md, stated beside each.

#[path = "common/disclosure_scan.rs"]
mod disclosure_scan;
use serde_json::Value;
use waymark_core::config::{analyse_and_report, analyse_dataset, Config};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::disclosure::{Disclosure, ShownCount, ShownShare};
use waymark_core::value::{cost_avoidance, HeadlineBasis, Money, ValueConfig, ValueError};
use waymark_core::{ingest, InputFile, MappingConfig};

#[path = "common/demo_evidence.rs"]
mod demo_evidence;
use demo_evidence::demo;

fn csv(people: &str, events: &str) -> waymark_core::Ingested {
    ingest(
        &[
            InputFile {
                name: "people.csv",
                bytes: people.as_bytes(),
            },
            InputFile {
                name: "events.csv",
                bytes: events.as_bytes(),
            },
        ],
        &MappingConfig::default(),
    )
}

/// Keys whose integer values in the JSON report are counts of people, events, goals or rows.
const COUNT_KEYS: &[&str] = &[
    "n_people",
    "people",
    "people_service",
    "people_comparison",
    "people_excluded",
    "people_paired",
    "people_in_service",
    "people_assessed",
    "people_with_goals",
    "goals",
    "overdue_reviews",
    "overdue",
    "static_goals",
    "feedback_entries",
    "people_with_own_feedback",
    "numbers_better_voice_worse",
    "numbers_flat_voice_better",
    "numerator",
    "denominator",
    "count",
    "rows",
    "entries",
    "at_caseness",
    "people_at_risk",
    "events",
    "pre_units",
    "post_units",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "errors",
    "warnings",
    "notes",
    "of",
    "not_yet_due",
];

/// Every count in `json` that an export must not show: 1 to 7, or not a multiple of 5.
fn small_or_unrounded_counts(json: &Value) -> Vec<String> {
    disclosure_scan::small_or_unrounded_counts(json, COUNT_KEYS)
}

/// A dataset with many small groups (40 people over the demo's pathways, teams and measures)
/// exported as JSON: no count of 1 to 7 and no unrounded count. The same scan of the screen
/// report finds some, so the scan can fail.
#[test]
fn the_exported_report_has_no_small_or_unrounded_counts() {
    let evidence = demo(40);
    let exported: Value = serde_json::from_str(&evidence.report.to_json()).unwrap();
    assert_eq!(exported["disclosure"], "controlled");
    let leaks = small_or_unrounded_counts(&exported);
    assert!(
        leaks.is_empty(),
        "counts that must not leave the screen: {leaks:#?}"
    );
    // The HTML report is made from the same controlled report and lists no issue lines.
    assert!(!evidence
        .report
        .to_html()
        .contains("Issues, with their positions"));
    let screen: Value = serde_json::to_value(&evidence.screen_report).unwrap();
    assert_eq!(screen["disclosure"], "exact");
    assert!(
        !small_or_unrounded_counts(&screen).is_empty(),
        "the screen report has exact counts, so the scan would catch a leak"
    );
}

/// The HTML report is made from the controlled report: the headline and the interpretation
/// sentences appear in it word for word, and it carries a strict Content-Security-Policy.
#[test]
fn the_html_report_says_what_the_json_says() {
    let evidence = demo(300);
    let html = evidence.report.to_html();
    let json: Value = serde_json::from_str(&evidence.report.to_json()).unwrap();
    let escape = waymark_core::report::escape;
    let statement = json["value"]["headline"]["statement"].as_str().unwrap();
    assert!(html.contains(&escape(statement)), "headline statement");
    for sentence in json["direction_of_travel"]["interpretation"]
        .as_array()
        .unwrap()
    {
        assert!(html.contains(&escape(sentence.as_str().unwrap())));
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    assert!(!html.contains("<script"));
}

/// The screen report and the export report come from one analysis: every count in one is the
/// other's under the export rule, and every statistic (money, rates, percentages) is equal.
#[test]
fn the_screen_and_export_reports_differ_only_in_how_counts_are_shown() {
    let evidence = demo(300);
    let (exact, shown) = (&evidence.screen_report, &evidence.report);
    let (de, ds) = (
        exact.direction_of_travel.as_ref().unwrap(),
        shown.direction_of_travel.as_ref().unwrap(),
    );
    let controlled = |c: ShownCount| match c {
        ShownCount::Shown(n) => ShownCount::from_count(n),
        ShownCount::Suppressed => ShownCount::Suppressed,
    };
    assert_eq!(
        controlled(de.service.people_in_service),
        ds.service.people_in_service
    );
    assert_eq!(
        controlled(de.stability.early_warnings.numerator),
        ds.stability.early_warnings.numerator
    );
    // A share is the same figure, or withheld because a count behind it is suppressed.
    let same_share = |e: &ShownShare, s: &ShownShare, what: &str| {
        assert_eq!(controlled(e.numerator), s.numerator, "{what}");
        assert_eq!(controlled(e.denominator), s.denominator, "{what}");
        match s.percent {
            Some(p) => assert_eq!(e.percent, Some(p), "{what}"),
            None => assert!(
                s.numerator == ShownCount::Suppressed || s.denominator == ShownCount::Suppressed,
                "{what}: withheld only for a suppressed count"
            ),
        }
    };
    same_share(
        &de.stability.early_warnings,
        &ds.stability.early_warnings,
        "early warnings",
    );
    for (me, ms) in de.measures.iter().zip(&ds.measures) {
        assert_eq!(controlled(me.people_paired), ms.people_paired);
        same_share(
            &me.reliable_improvement,
            &ms.reliable_improvement,
            &me.measure,
        );
        same_share(&me.recovered, &ms.recovered, &me.measure);
    }
    assert_eq!(controlled(exact.data.n_people), shown.data.n_people);
    let (ve, vs) = (exact.value.as_ref().unwrap(), shown.value.as_ref().unwrap());
    assert_eq!(ve.headline, vs.headline, "the headline is the same figure");
    assert_eq!(ve.naive, vs.naive);
    // The analysis behind both is the value the app's value view prints.
    let c = evidence.value.unwrap().unwrap();
    assert_eq!(c.headline(), vs.headline);
}

/// Pathway counts in the report are the pathway comparison's: the comparison cohort is a group
/// of its own, never counted into a pathway. Both sum to the people in the data.
#[test]
fn people_by_pathway_are_counted_as_the_pathway_comparison_counts_them() {
    let evidence = demo(300);
    let report = &evidence.screen_report;
    let comparison = report.pathways.as_ref().unwrap();
    for group in &comparison.groups {
        let listed = report
            .data
            .pathways
            .iter()
            .find(|p| p.pathway == group.pathway)
            .unwrap_or_else(|| panic!("{} listed in the data summary", group.pathway));
        assert_eq!(listed.n_people, group.people, "{}", group.pathway);
    }
    let total: u64 = report
        .data
        .pathways
        .iter()
        .map(|p| match p.n_people {
            ShownCount::Shown(n) => n,
            ShownCount::Suppressed => 0,
        })
        .sum();
    assert_eq!(ShownCount::Shown(total), report.data.n_people);
}

/// With a comparison cohort the headline is difference in differences; on the demo its
/// interval includes zero (the "-£72,860 to £1,408,439"), and the statement says so.
/// Without one it is the before/after figure, labelled an upper bound, with the
/// regression-to-the-mean caveat.
#[test]
fn the_headline_is_the_most_defensible_figure() {
    let evidence = demo(300);
    let value = evidence.value.unwrap().unwrap();
    let h = value.headline();
    assert_eq!(h.basis, HeadlineBasis::DifferenceInDifferences);
    let did = value.difference_in_differences.as_ref().unwrap();
    assert_eq!(h.estimate, did.value.adjusted_avoided);
    let ci = h.estimate.ci95.unwrap();
    assert!(ci.lower.0 < 0.0 && ci.upper.0 > 0.0, "{ci:?}");
    assert!(h.indistinguishable_from_zero);
    assert!(h.statement.contains("cannot be told apart from no saving"));

    // The service cohort alone: the same data with the comparison cohort's rows dropped.
    let demo = generate(&DemoParams::default());
    let people = &demo.files[0].csv;
    let header = people.lines().next().unwrap();
    let cohort = header.split(',').position(|c| c == "cohort").unwrap();
    let service_only: String = std::iter::once(header.to_string())
        .chain(
            people
                .lines()
                .skip(1)
                .filter(|l| l.split(',').nth(cohort) != Some("comparison"))
                .map(str::to_string),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let mut files: Vec<InputFile<'_>> = demo.input_files();
    files[0] = InputFile {
        name: "people.csv",
        bytes: service_only.as_bytes(),
    };
    let evidence = analyse_and_report(
        ingest(&files, &MappingConfig::default()),
        &Config::default(),
    )
    .unwrap();
    let value = evidence.value.unwrap().unwrap();
    assert!(value.difference_in_differences.is_none());
    let h = value.headline();
    assert_eq!(h.basis, HeadlineBasis::BeforeAfterUpperBound);
    assert_eq!(h.estimate, value.naive.adjusted_avoided);
    assert!(h.label.contains("upper bound"), "{}", h.label);
    assert!(h.caveat.contains("regression to the mean"), "{}", h.caveat);
    assert!(h.statement.starts_with("At most "), "{}", h.statement);
}

/// Honesty settings change the headline the report leads with (50% attribution halves it,
/// as adjusted = gross × attribution × (1 − optimism bias)).
#[test]
fn honesty_settings_reach_the_headline() {
    let demo = generate(&DemoParams::default());
    let run = |attribution: f64| {
        let config = Config {
            value: ValueConfig {
                attribution_percent: attribution,
                ..ValueConfig::default()
            },
            ..Config::default()
        };
        let ingested = ingest(&demo.input_files(), &MappingConfig::default());
        analyse_dataset(&ingested.dataset, ingested.report, &config)
            .unwrap()
            .report
            .value
            .unwrap()
            .headline
    };
    let (full, half) = (run(100.0), run(50.0));
    assert!((half.estimate.value.0 - full.estimate.value.0 / 2.0).abs() < 1e-6);
    assert!(half.statement.contains("after 50% attribution"));
    // Refused, not ignored: 150% is a configuration error naming the setting.
    let config = Config {
        value: ValueConfig {
            attribution_percent: 150.0,
            ..ValueConfig::default()
        },
        ..Config::default()
    };
    let errors = config.validate().unwrap_err();
    assert!(errors
        .iter()
        .any(|e| e.to_string().contains("attribution_percent")));
}

/// History starts on 2024-01-01 (the earliest event). A starts on 2024-02-01 with one month of
/// history (below the 3-month minimum): left out and counted, not priced from an empty window.
/// B starts on 2025-01-01 with a full year. Worked by hand: only B is priced; B had 2 crisis
/// contacts before and none after, so B's figure is not negative.
#[test]
fn people_without_usable_history_are_counted_not_priced() {
    let people = "person_id,start_date,pathway,cohort\nA,2024-02-01,Step-down,service\nB,2025-01-01,Step-down,service\n";
    let events = "person_id,date,event_type\nB,2024-01-01,crisis_contact\nB,2024-06-01,crisis_contact\nA,2024-03-01,crisis_contact\nA,2024-04-01,crisis_contact\n";
    let ingested = csv(people, events);
    let config = ValueConfig {
        bootstrap_resamples: 0,
        ..ValueConfig::new(chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
    };
    let result = cost_avoidance(&ingested.dataset, &config).unwrap();
    assert_eq!(result.people.excluded_no_pre_history, 1);
    assert_eq!(result.people.service_analysed, 1);
    assert!(result.naive.gross_avoided.value.0 > 0.0);
    // On screen the note counts exactly; in every export the count of 1 is suppressed.
    let says =
        |d: Disclosure, start: &str| result.people_notes(d).iter().any(|w| w.starts_with(start));
    assert!(says(
        Disclosure::Exact,
        "1 people started before the event history begins, or less than 3 months after it"
    ));
    assert!(says(
        Disclosure::Controlled,
        "* people started before the event history begins, or less than 3 months after it"
    ));
    // With the minimum set to 0 months, A is priced from one month of history: the old
    // behaviour, whose A shows a rise in use (0 before, 2 after).
    let loose = ValueConfig {
        min_pre_months: 0,
        ..config.clone()
    };
    let result = cost_avoidance(&ingested.dataset, &loose).unwrap();
    assert_eq!(result.people.service_analysed, 2);
}

/// Events that match no one in the people file give an error that says so, not "£0 (95% CI
/// £0 to £0)"; the report carries it as the reason value was not computed.
#[test]
fn events_that_match_no_person_are_an_error_not_zero_pounds() {
    let people = "person_id,start_date,pathway,cohort\nA,2025-01-01,Step-down,service\nB,2025-02-01,Step-down,service\n";
    let events = "person_id,date,event_type\nX1,2024-01-01,crisis_contact\nX2,2024-06-01,crisis_contact\nX3,2025-06-01,crisis_contact\n";
    let ingested = csv(people, events);
    let config = ValueConfig {
        bootstrap_resamples: 0,
        ..ValueConfig::new(chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
    };
    match cost_avoidance(&ingested.dataset, &config) {
        Err(ValueError::NoCountedEvents {
            people,
            events_without_person,
        }) => {
            assert_eq!((people, events_without_person), (2, 3));
        }
        other => panic!("expected NoCountedEvents, got {other:?}"),
    }
    let evidence = analyse_and_report(csv(people, events), &Config::default()).unwrap();
    assert!(evidence.report.value.is_none());
    assert!(evidence
        .report
        .value_note
        .unwrap()
        .contains("person IDs match the people file"));
}

/// Money has one format in the report: a true minus sign, thousands separated.
#[test]
fn money_in_the_report_uses_the_one_format() {
    assert_eq!(Money(-145.0).format(None), "\u{2212}£145");
    let html = demo(300).report.to_html();
    assert!(!html.contains("£-"), "no hyphen-minus after the pound sign");
    assert!(
        !html.contains("-£"),
        "negative money uses the true minus sign"
    );
}

/// The export policy is the one rule: a policy switch, not a second rule.
#[test]
fn the_two_policies_agree_with_the_rule() {
    for n in [0_u64, 1, 7, 8, 12, 13, 16, 1002] {
        assert_eq!(Disclosure::Controlled.count(n), ShownCount::from_count(n));
        assert_eq!(Disclosure::Exact.count(n), ShownCount::Shown(n));
    }
}

/// The funnel plots' overdispersion adjustment is a setting: chosen in the configuration, it is
/// used and named beside every funnel (Spiegelhalter 2005), and the default names none.
#[test]
fn the_funnel_overdispersion_adjustment_is_chosen_and_named() {
    use waymark_core::stats::funnel::OverdispersionAdjustment;
    let demo = generate(&DemoParams::default());
    let methods = |adjustment| {
        let mut config = Config::default();
        config.analysis.pathways.funnel_overdispersion = adjustment;
        let ingested = ingest(&demo.input_files(), &MappingConfig::default());
        analyse_dataset(&ingested.dataset, ingested.report, &config)
            .unwrap()
            .report
            .pathways
            .unwrap()
            .funnels
            .into_iter()
            .filter_map(|f| f.method)
            .collect::<Vec<String>>()
    };
    let plain = methods(OverdispersionAdjustment::None);
    assert!(!plain.is_empty());
    assert!(plain
        .iter()
        .all(|m| m.contains("no overdispersion adjustment")));
    for m in methods(OverdispersionAdjustment::Multiplicative) {
        assert!(
            m.contains("multiplicative overdispersion adjustment")
                || m.contains("overdispersion adjustment requested but not needed"),
            "{m}"
        );
    }
    for m in methods(OverdispersionAdjustment::AdditiveRandomEffects) {
        assert!(
            m.contains("additive random-effects overdispersion adjustment")
                || m.contains("overdispersion adjustment requested but not needed"),
            "{m}"
        );
    }
}

/// People with no counted event at all are counted, and the headline figure is given with and
/// without them. Worked by hand (days; the unit cost of a crisis contact is £250): history
/// starts 2024-01-01 (the earliest event). A, B and C start on 2025-01-01 (pre 366 days, post
/// 365 to the reference date 2025-12-31), each with 2 crisis contacts before and 1 after. D, E
/// and F start on 2025-07-01 (pre 365 days, post 184) with no event at all.
/// With them: avoided = 6 × (3·365 + 3·184)/(3·366 + 3·365) − 3 = 6 × 1647/2193 − 3 = 1.50616
/// contacts, £376.54. Without them: 6 × 1095/1098 − 3 = 2.98361 contacts, £745.90.
#[test]
fn people_without_any_counted_event_are_counted_and_their_effect_shown() {
    let mut people = String::from("person_id,start_date,pathway,cohort\n");
    let mut events = String::from("person_id,date,event_type\nX,2024-01-01,attended_appointment\n");
    for (id, start) in [
        ("A", "2025-01-01"),
        ("B", "2025-01-01"),
        ("C", "2025-01-01"),
        ("D", "2025-07-01"),
        ("E", "2025-07-01"),
        ("F", "2025-07-01"),
    ] {
        people.push_str(&format!("{id},{start},Step-down,service\n"));
    }
    for id in ["A", "B", "C"] {
        events.push_str(&format!("{id},2024-05-01,crisis_contact\n{id},2024-09-01,crisis_contact\n{id},2025-03-01,crisis_contact\n"));
    }
    let ingested = csv(&people, &events);
    let config = ValueConfig {
        bootstrap_resamples: 0,
        ..ValueConfig::new(chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
    };
    let result = cost_avoidance(&ingested.dataset, &config).unwrap();
    assert_eq!(result.people.service_without_counted_events, 3);
    assert!(
        (result.naive.gross_avoided.value.0 - 376.539).abs() < 0.01,
        "{:?}",
        result.naive.gross_avoided
    );
    let without = result.headline_without_eventless.unwrap();
    assert!((without.0 - 745.902).abs() < 0.01, "{without:?}");
    let notes = result.people_notes(Disclosure::Exact);
    assert!(
        notes.iter().any(
            |n| n.starts_with("3 people in the figure have no counted event")
                && n.contains("is £377 with them and would be £746 without them")
        ),
        "{notes:#?}"
    );
}

/// Lists agree with their tiles on screen: the early-warning list has as many people as the
/// tile counts, the static-plan list as many people with static plans, and the cases to
/// reconcile as many as the two kinds of disagreement add up to.
#[test]
fn lists_agree_with_their_tiles_on_screen() {
    let evidence = demo(300);
    let a = evidence.analysis.as_ref().unwrap();
    let d = evidence.screen_report.direction_of_travel.as_ref().unwrap();
    let shown = |n: usize| ShownCount::Shown(n as u64);
    let flagged = a
        .stability
        .people
        .iter()
        .filter(|p| p.early_warning)
        .count();
    assert_eq!(shown(flagged), d.stability.early_warnings.numerator);
    let static_plans = a.goals.people.iter().filter(|p| p.static_goals > 0).count();
    assert_eq!(
        shown(static_plans),
        d.goals.people_with_static_plans.numerator
    );
    let n = &a.narrative;
    assert_eq!(
        n.cases.len() as u64,
        n.numbers_better_voice_worse + n.numbers_flat_voice_better
    );
}
