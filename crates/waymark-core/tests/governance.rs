//! The governance pack (per team and per care coordinator): its figures add up to the main
//! report's, a small fixture's figures match a hand computation, and the controlled version
//! shows no small count and hides groups of fewer than 8 people.

#[path = "common/disclosure_scan.rs"]
mod disclosure_scan;
use chrono::NaiveDate;
use serde_json::Value;
use waymark_core::config::{analyse_and_report, Config, Evidence};
use waymark_core::disclosure::{Disclosure, ShownCount};
use waymark_core::report::governance::{GovernanceReport, GroupKind, GroupRow, Trend};
use waymark_core::{ingest, InputFile, MappingConfig};

#[path = "common/demo_evidence.rs"]
mod demo_evidence;
use demo_evidence::demo;

fn shown(count: ShownCount) -> u64 {
    match count {
        ShownCount::Shown(n) => n,
        ShownCount::Suppressed => panic!("a suppressed count on the screen"),
    }
}

/// Per-team and per-coordinator caseloads add up to the service's people in service, and the
/// whole-service row is the main report's figure for figure, exact and controlled.
#[test]
fn the_whole_service_row_is_the_main_reports() {
    let evidence = demo(600);
    let analysis = evidence.analysis.as_ref().unwrap();
    let screen = evidence.screen_governance.as_ref().unwrap();
    let in_service = analysis.service.people_in_service;
    assert!(in_service > 0);
    for rows in [&screen.teams, &screen.coordinators] {
        let sum: u64 = rows.iter().map(|r| shown(r.in_service)).sum();
        assert_eq!(sum, in_service);
    }
    assert_eq!(shown(screen.service.in_service), in_service);
    let now: u64 = screen.teams.iter().map(|r| shown(r.in_service_now)).sum();
    assert_eq!(shown(screen.service.in_service_now), now);

    for (governance, report) in [
        (screen, &evidence.screen_report),
        (evidence.governance.as_ref().unwrap(), &evidence.report),
    ] {
        let direction = report.direction_of_travel.as_ref().unwrap();
        let service = &governance.service;
        assert_eq!(service.early_warnings, direction.stability.early_warnings);
        assert_eq!(
            service.static_plans,
            direction.goals.people_with_static_plans
        );
        assert_eq!(service.overdue_reviews, direction.goals.overdue_reviews);
        assert_eq!(
            service.reviews_leading_to_action,
            direction
                .goals
                .reviews_leading_to_action
                .as_ref()
                .unwrap()
                .service
                .all
        );
        assert_eq!(service.in_service, direction.service.people_in_service);
    }

    // The crisis rates pool the crisis indicator's own months; engagement is its last month.
    let indicator = |key: &str| {
        analysis
            .service
            .indicators
            .iter()
            .find(|i| i.key == key)
            .unwrap()
    };
    let crisis = &indicator("crisis_rate").months;
    let n = crisis.len();
    assert!(n >= 6, "the demo runs for more than six months");
    let pooled = |months: &[waymark_core::analysis::direction::service::MonthValue]| {
        100.0 * months.iter().map(|m| m.numerator).sum::<f64>()
            / months.iter().map(|m| m.denominator).sum::<f64>()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    let latest = screen.service.crisis_latest.unwrap().rate.unwrap();
    let earlier = screen.service.crisis_earlier.unwrap().rate.unwrap();
    assert!(close(latest, pooled(&crisis[n - 3..])), "{latest}");
    assert!(close(earlier, pooled(&crisis[n - 6..n - 3])), "{earlier}");
    let engagement = indicator("engagement").months.last().unwrap();
    assert_eq!(
        screen.service.engaged_latest,
        Disclosure::Exact.share(engagement.numerator as u64, engagement.denominator as u64)
    );
    assert_eq!(screen.latest_months.last(), Some(&crisis[n - 1].month));
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Four people in two teams, analysed to 30 June 2025 (months January to June; the latest
/// window is April to June, the earlier one January to March).
fn fixture() -> Evidence {
    let people = "person_id,pathway,start_date,end_date,team,coordinator\n\
                  A1,Core,2025-01-01,,North,Ann\n\
                  A2,Core,2025-01-01,2025-03-31,North,Ann\n\
                  B1,Core,2025-04-01,,South,Bob\n\
                  B2,Core,2025-01-01,,South,\n";
    let events = "person_id,date,event_type\n\
                  A1,2025-02-10,crisis_contact\n\
                  A1,2025-05-05,crisis_contact\n\
                  A1,2025-05-20,crisis_contact\n\
                  A2,2025-03-15,crisis_contact\n\
                  B1,2025-06-10,crisis_contact\n\
                  B2,2025-01-20,crisis_contact\n\
                  B2,2025-02-03,crisis_contact\n";
    let goals = "person_id,goal_id,review_date,rating,next_review_date\n\
                 A1,G1,2025-02-01,0,2025-05-01\n\
                 A2,G2,2025-02-01,0,2025-03-01\n\
                 B1,G5,2025-04-15,0,2025-06-16\n\
                 B2,G3,2025-06-01,0,2025-06-20\n\
                 B2,G4,2025-03-01,-1,2025-06-10\n";
    let status = "person_id,date,indicator,value\n\
                  A1,2025-01-05,engagement,engaged\n\
                  A1,2025-05-10,engagement,disengaged\n\
                  B1,2025-04-02,engagement,engaged\n\
                  B2,2025-02-01,engagement,partial\n";
    let files = [
        ("people.csv", people),
        ("events.csv", events),
        ("goals.csv", goals),
        ("status.csv", status),
    ]
    .map(|(name, text)| InputFile {
        name,
        bytes: text.as_bytes(),
    });
    let ingested = ingest(&files, &MappingConfig::default());
    assert!(ingested.report.usable);
    let mut config = Config::default();
    config.analysis.reference_date = Some(date(2025, 6, 30));
    analyse_and_report(ingested, &config).unwrap()
}

fn row<'a>(rows: &'a [GroupRow], name: &str) -> &'a GroupRow {
    rows.iter().find(|r| r.name == name).unwrap()
}

/// Worked by hand from the definitions in docs/methods.md ("Governance pack"); the divisions
/// were checked with Python 3 (`100 * c / (days / 30.4375)`, rounded to 4 places):
///
/// Exposure (days in service; a person-month is 30.4375 days):
/// - January to March has 31 + 28 + 31 = 90 days. North: A1 90 + A2 90 (to 31 March
///   inclusive) = 180 days = 5.913758 person-months; South: B2 90 days = 2.956879 (B1 starts in
///   April).
/// - April to June (to the analysis date, 30 June, inclusive) has 30 + 31 + 30 = 91 days.
///   North: A1 91 = 2.989733; South: B1 91 + B2 91 = 182 = 5.979466.
///
/// Crisis contacts: North 2 earlier (A1 10 Feb, A2 15 Mar), 2 latest (A1 5 and 20 May);
/// South 2 earlier (B2 20 Jan, 3 Feb), 1 latest (B1 10 Jun).
/// - North: 100 × 2 / 5.913758 = 33.8194 then 100 × 2 / 2.989733 = 66.8956: rising.
/// - South: 100 × 2 / 2.956879 = 67.6389 then 100 × 1 / 5.979466 = 16.7239: falling.
/// - Service: 100 × 4 / 8.870637 = 45.0926 then 100 × 3 / 8.969199 = 33.4478: falling.
///
/// Overdue reviews (next review date more than 14 days before 30 June, still in service):
/// G1 (A1, due 1 May: limit 15 May) overdue; G2 (A2 discharged) not; G5 (B1, due 16 June:
/// limit 30 June, not before it) not; G3 (B2, due 20 June) not; G4 (B2, due 10 June: limit
/// 24 June) overdue. North 1, South 1; Ann 1, Bob 0, not recorded (B2) 1; service 2.
///
/// Engagement at the end of March: North A1 engaged, 1 of 1; South B2 partial, 0 of 1.
/// At the end of June: North A1 disengaged, 0 of 1; South B1 engaged, B2 partial, 1 of 2.
///
/// Caseload now (30 June): North A1 = 1; South B1, B2 = 2. During the period: 2 and 2.
#[test]
fn a_small_fixture_matches_the_hand_computation() {
    let evidence = fixture();
    let g = evidence.screen_governance.as_ref().unwrap();
    assert_eq!(
        g.latest_months,
        [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    );
    assert_eq!(
        g.earlier_months,
        [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    );
    let names: Vec<&str> = g.teams.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["North", "South"]);
    let names: Vec<&str> = g.coordinators.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob", "Not recorded"]);

    let rate = |r: Option<waymark_core::report::governance::CrisisRate>| r.unwrap().rate.unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
    let (north, south, service) = (row(&g.teams, "North"), row(&g.teams, "South"), &g.service);
    for (r, earlier, latest, trend) in [
        (north, 33.8194, 66.8956, Trend::Rising),
        (south, 67.6389, 16.7239, Trend::Falling),
        (service, 45.0926, 33.4478, Trend::Falling),
    ] {
        assert!(
            close(rate(r.crisis_earlier), earlier),
            "{}: {:?}",
            r.name,
            r.crisis_earlier
        );
        assert!(
            close(rate(r.crisis_latest), latest),
            "{}: {:?}",
            r.name,
            r.crisis_latest
        );
        assert_eq!(r.crisis_trend, Some(trend), "{}", r.name);
    }
    let d = Disclosure::Exact;
    for (r, now, period, overdue) in [(north, 1, 2, 1), (south, 2, 2, 1), (service, 3, 4, 2)] {
        assert_eq!(r.in_service_now, d.count(now), "{}", r.name);
        assert_eq!(r.in_service, d.count(period), "{}", r.name);
        assert_eq!(r.overdue_reviews, d.count(overdue), "{}", r.name);
    }
    for (name, overdue) in [("Ann", 1), ("Bob", 0), ("Not recorded", 1)] {
        assert_eq!(row(&g.coordinators, name).overdue_reviews, d.count(overdue));
    }
    assert_eq!(north.engaged_earlier, d.share(1, 1));
    assert_eq!(north.engaged_latest, d.share(0, 1));
    assert_eq!(north.engagement_trend, Some(Trend::Falling));
    assert_eq!(south.engaged_earlier, d.share(0, 1));
    assert_eq!(south.engaged_latest, d.share(1, 2));
    assert_eq!(south.engagement_trend, Some(Trend::Rising));
    assert_eq!(service.engaged_latest, d.share(1, 3));

    // Under disclosure control every group here has fewer than 8 people: each row stays,
    // with every figure shown as *.
    let controlled = evidence.governance.as_ref().unwrap();
    assert_eq!(controlled.teams.len(), 2);
    for r in controlled.teams.iter().chain(&controlled.coordinators) {
        assert!(r.withheld, "{}", r.name);
        let cells = r.cells();
        assert_eq!(cells[0], r.name);
        assert!(cells[1..].iter().all(|c| c == "*"), "{cells:?}");
    }
    let html = controlled.to_html();
    assert!(html.contains("<th scope=\"row\">North</th><td>*</td>"));
}

/// Keys of the governance JSON whose integer values are counts.
const COUNT_KEYS: &[&str] = &[
    "in_service_now",
    "in_service",
    "contacts",
    "numerator",
    "denominator",
    "overdue_reviews",
];

/// Whole numbers in the HTML's table cells (counts, and the "N of M" of shares); rates carry
/// a decimal point and percentages a `%`, so neither is read as a count.
fn html_counts(html: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for cell in html.split("<td>").skip(1) {
        let cell = cell.split("</td>").next().unwrap_or("");
        for word in cell.split(|c: char| c == ' ' || c == '(' || c == ')') {
            if let Ok(n) = word.parse::<u64>() {
                out.push(n);
            }
        }
    }
    out
}

/// The controlled pack of a small demo (40 people over five teams and twelve coordinators)
/// shows no count of 1 to 7 and no unrounded count, in the JSON or the HTML; the same scan of
/// the exact pack finds some, so the scan can fail. Groups of fewer than 8 show `*`.
#[test]
fn the_controlled_pack_has_no_small_counts() {
    let evidence = demo(40);
    let controlled = evidence.governance.as_ref().unwrap();
    assert_eq!(controlled.disclosure, Disclosure::Controlled);
    let json: Value = serde_json::from_str(&controlled.to_json()).unwrap();
    let mut leaks = Vec::new();
    leaks.extend(disclosure_scan::small_or_unrounded_counts(
        &json, COUNT_KEYS,
    ));
    assert!(leaks.is_empty(), "{leaks:#?}");
    let html = controlled.to_html();
    let bad: Vec<u64> = html_counts(&html)
        .into_iter()
        .filter(|n| (1..=7).contains(n) || n % 5 != 0)
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(html.contains("Content-Security-Policy") && !html.contains("<script"));
    assert!(html.contains("@page{size:A4 portrait"));
    assert!(html.contains("thead{display:table-header-group}"));

    let screen = evidence.screen_governance.as_ref().unwrap();
    let exact = disclosure_scan::small_or_unrounded_counts(
        &serde_json::to_value(screen).unwrap(),
        COUNT_KEYS,
    );
    assert!(!exact.is_empty(), "the exact pack has small counts to find");
    assert!(html_counts(&screen.to_html())
        .iter()
        .any(|n| (1..=7).contains(n)));

    // A coordinator has fewer than 8 people here: their row is shown, with stars.
    let small = controlled
        .coordinators
        .iter()
        .find(|r| r.withheld)
        .expect("a coordinator with fewer than 8 people");
    let table = controlled.table(GroupKind::Coordinator);
    let cells = table.rows.iter().find(|r| r[0] == small.name).unwrap();
    assert!(cells[1..].iter().all(|c| c == "*"));
    assert_eq!(
        json["coordinators"][0]["in_service"].as_str().is_some(),
        controlled.coordinators[0].withheld
    );
}

/// Built from the analysis the pipeline completed, the pack equals the pipeline's.
#[test]
fn the_pack_is_built_from_the_analysis() {
    let evidence = demo(120);
    let analysis = evidence.analysis.as_ref().unwrap();
    assert_eq!(
        GovernanceReport::build(analysis, Disclosure::Controlled).as_ref(),
        evidence.governance.as_ref()
    );
}
