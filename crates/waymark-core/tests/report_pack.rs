//! The report pack a commissioner receives: the cover and key messages first with nothing
//! technical on them, key-message figures equal to the JSON's, no small counts in a
//! controlled report's sentences, evidence grouped by priority, quotes only when opted in,
//! the `[report]` settings surviving TOML and JSON, and reviews leading to action counted by
//! hand on a small fixture.

use serde_json::Value;
use waymark_core::analysis::actions::{ActionCounts, TriggerCounts};
use waymark_core::config::{analyse_and_report, Config, Evidence};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::disclosure::{ShownCount, ShownShare};
use waymark_core::report::{Priority, ReportSettings};
use waymark_core::{ingest, InputFile, MappingConfig};

fn settings() -> ReportSettings {
    ReportSettings {
        service_name: "Northside Community Recovery".into(),
        provider: "Example Health CIC".into(),
        period_label: "2025/26 Q1-Q4".into(),
        ..ReportSettings::default()
    }
}

fn demo_with(n_people: usize, report: ReportSettings) -> Evidence {
    let demo = generate(&DemoParams {
        n_people,
        ..DemoParams::default()
    });
    let mut config = Config {
        report,
        ..Config::default()
    };
    config.value.bootstrap_resamples = 200;
    analyse_and_report(
        ingest(&demo.input_files(), &MappingConfig::default()),
        &config,
    )
    .expect("the configuration is valid")
}

/// The cover and the key messages: everything before the first section after them.
fn first_part(html: &str) -> &str {
    let key = html.find("<h2>Key messages</h2>").expect("key messages");
    let next = html[key + 1..]
        .find("<h2>")
        .map_or(html.len(), |i| key + 1 + i);
    &html[..next]
}

#[test]
fn the_first_part_is_the_cover_and_key_messages_with_nothing_technical() {
    let evidence = demo_with(120, settings());
    let html = evidence.report.to_html();
    let first = first_part(&html);
    for expected in [
        "<h1>Northside Community Recovery</h1>",
        "Example Health CIC",
        "2025/26 Q1-Q4",
        "Report date",
        "30 June 2026",
        "Prepared with Waymark",
    ] {
        assert!(
            first.contains(expected),
            "{expected} missing from the cover"
        );
    }
    let version = waymark_core::report::SCHEMA_VERSION;
    for technical in ["Schema", "schema", "Rows accepted", "<table", version] {
        assert!(!first.contains(technical), "{technical} on the first page");
    }
    // The technical details are in the appendix, after the sections.
    let appendix = html.find("Appendix: about the data").expect("appendix");
    assert!(html[appendix..].contains(&format!("Report schema {version}")));
    assert!(html[appendix..].contains("Rows accepted per table"));
    assert!(html[appendix..].contains("<h3>Validation summary</h3>"));
    assert!(appendix > html.find("Pathways compared").expect("pathways"));
    assert!(html.find("Methods and caveats").expect("methods") > appendix);

    // Printed: A4 portrait, a page per main section but none between the cover and the key
    // messages, tables that reflow and repeat their header, no row or chart split.
    for rule in [
        "@page{size:A4 portrait;margin:15mm}",
        "section{break-before:page}.key-messages{break-before:auto}",
        "table{table-layout:fixed;width:100%",
        "th,td{overflow-wrap:anywhere",
        ".scroll{overflow:visible}",
        "thead{display:table-header-group}",
        "tr,figure,.headline,.figures div,blockquote{break-inside:avoid}",
    ] {
        assert!(html.contains(rule), "print rule missing: {rule}");
    }

    // With no service name the cover says where to enter it; without a period label it
    // states the data's first date to the analysis date.
    let unnamed = demo_with(40, ReportSettings::default());
    let html = unnamed.report.to_html();
    let first = first_part(&html);
    assert!(first.contains(&waymark_core::report::escape(
        waymark_core::report::pack::SERVICE_NAME_NOT_SET
    )));
    assert!(first.contains("Report cover, quotes and priorities"));
    let json: Value = serde_json::from_str(&unnamed.report.to_json()).expect("JSON");
    assert_eq!(json["cover"]["service_name"], Value::Null);
    let period = json["cover"]["period"].as_str().expect("a period");
    assert!(period.ends_with("to 30 June 2026"), "{period}");
    assert!(first.contains(period));
}

fn percent(share: &Value) -> Option<String> {
    share["percent"].as_f64().map(|p| format!("{p:.0}%"))
}

fn count(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Five to seven messages, each in a fixed order, whose figures are the JSON's (formatted as
/// the sentences format them: whole percentages, rates to one decimal).
#[test]
fn key_messages_are_five_to_seven_and_quote_the_json() {
    let evidence = demo_with(120, settings());
    let json: Value = serde_json::from_str(&evidence.report.to_json()).expect("JSON");
    let messages: Vec<&str> = json["key_messages"]
        .as_array()
        .expect("key messages")
        .iter()
        .map(|m| m.as_str().expect("text"))
        .collect();
    assert!((5..=7).contains(&messages.len()), "{messages:#?}");
    let direction = &json["direction_of_travel"];

    // What changed: the measure with most people paired, its people and shares.
    let outcomes = messages[0];
    let top = direction["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .filter(|m| m["reliable_improvement"]["percent"].is_number())
        .max_by_key(|m| m["people_paired"].as_u64().unwrap_or(0))
        .expect("a measure with a shown share");
    let expected = format!(
        "on {}, {} of the {} people",
        top["measure"].as_str().expect("name"),
        percent(&top["reliable_improvement"]).expect("shown"),
        count(&top["people_paired"])
    );
    assert!(outcomes.contains(&expected), "{outcomes} / {expected}");

    // Crisis use: the latest shown month's rate and the chart's reading.
    let crisis = messages[1];
    let indicator = direction["service"]["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["key"] == "crisis_rate")
        .expect("crisis indicator");
    let latest = indicator["months"]
        .as_array()
        .expect("months")
        .iter()
        .rev()
        .find(|m| m["value"].is_number())
        .expect("a shown month");
    let rate = format!(
        "{:.1} crisis contacts",
        latest["value"].as_f64().expect("n")
    );
    assert!(crisis.contains(&rate), "{crisis} / {rate}");
    assert!(crisis.contains("Making Data Count"), "{crisis}");

    // Value: the headline's own statement and caveat, word for word.
    let value = messages[2];
    let headline = &json["value"]["headline"];
    assert!(value.contains(headline["statement"].as_str().expect("statement")));
    assert!(value.contains(headline["caveat"].as_str().expect("caveat")));
    assert!(value.contains("95%"), "{value}");

    let stability = messages[3];
    let s = &direction["stability"];
    assert!(stability.contains(&format!("the {} people", count(&s["people_assessed"]))));
    if let Some(p) = percent(&s["early_warnings"]) {
        assert!(stability.contains(&p), "{stability}");
    }
    let goals = messages[4];
    if let Some(p) = percent(&direction["goals"]["goals_achieved"]) {
        assert!(goals.contains(&p), "{goals}");
    }
    let voice = messages[5];
    let n = &direction["narrative"];
    assert!(voice.contains(&format!(
        "{} people gave",
        count(&n["people_with_own_feedback"])
    )));
    let sure = messages[6];
    assert!(sure.contains(&format!(
        "describe {} people",
        count(&json["data"]["n_people"])
    )));
    assert!(sure.contains("2025/26 Q1-Q4"), "{sure}");

    // The HTML shows the same sentences (escaped as HTML).
    let html = evidence.report.to_html();
    for m in &messages {
        assert!(
            html.contains(&waymark_core::report::escape(m)),
            "not in the HTML: {m}"
        );
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whole numbers standing alone in `text` that are 1 to 7: a count that must not be shown.
/// A number followed by a month name is a day of the month, not a count.
fn small_counts(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let token = word.trim_matches(|c: char| ",.;:()\u{201c}\u{201d}".contains(c));
        let Ok(n) = token.parse::<u64>() else {
            continue;
        };
        let next = words.get(i + 1).copied().unwrap_or("");
        if MONTHS.iter().any(|m| next.starts_with(m)) {
            continue;
        }
        if (1..=7).contains(&n) {
            out.push(format!("{token} in: {text}"));
        }
    }
    out
}

/// A small dataset (40 people over the demo's groups) has small counts everywhere; the
/// controlled report's key messages show none of them, while the screen report's sentences
/// are built the same way from exact counts.
#[test]
fn controlled_key_messages_show_no_count_of_one_to_seven() {
    for n_people in [25, 40] {
        let evidence = demo_with(n_people, settings());
        let leaks: Vec<String> = evidence
            .report
            .key_messages
            .iter()
            .flat_map(|m| small_counts(m))
            .collect();
        assert!(leaks.is_empty(), "{leaks:#?}");
    }
    assert_eq!(
        small_counts("of the 5 people"),
        vec!["5 in: of the 5 people"]
    );
    assert!(small_counts("1 July 2025 to 30 June 2026; GAD-7 and 7%").is_empty());
}

/// The default priorities take the demo's indicators and measures; a name that matches
/// nothing is listed in the note, not dropped silently.
#[test]
fn priorities_group_the_right_indicators_and_measures() {
    let mut report = settings();
    report.priorities.push(Priority {
        name: "Made up".into(),
        indicators: vec!["crisis_rate".into(), "no_such_indicator".into()],
        measures: vec!["phq-9".into(), "Nonsense Scale".into()],
    });
    let evidence = demo_with(120, report);
    let p = &evidence.report.priorities;
    let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Crisis reduction",
            "Community stabilisation",
            "Recovery and quality of life",
            "Continuity and engagement",
            "Made up"
        ]
    );
    let keys = |i: usize| -> Vec<&str> { p[i].indicators.iter().map(|x| x.key.as_str()).collect() };
    assert_eq!(
        keys(0),
        ["crisis_rate", "crisis_severity_weighted", "ed_rate"]
    );
    assert_eq!(keys(1), ["admission_rate", "settled_housing"]);
    assert_eq!(keys(3), ["engagement", "missed_appointments"]);
    let measures: Vec<&str> = p[2].measures.iter().map(|m| m.measure.as_str()).collect();
    assert_eq!(measures, ["PHQ-9", "CORE-10", "WEMWBS"]);
    assert_eq!(p[2].unmatched, ["GAD-7", "SWEMWBS", "ReQoL-10"]);
    assert_eq!(p[4].unmatched, ["no_such_indicator", "Nonsense Scale"]);
    assert_eq!(p[4].measures[0].measure, "PHQ-9");

    // The priority's figures are the direction report's.
    let direction = evidence
        .report
        .direction_of_travel
        .as_ref()
        .expect("analysed");
    let phq = direction
        .measures
        .iter()
        .find(|m| m.measure == "PHQ-9")
        .expect("PHQ-9");
    assert_eq!(
        p[4].measures[0].reliable_improvement,
        phq.reliable_improvement
    );
    let crisis = direction
        .service
        .indicators
        .iter()
        .find(|i| i.key == "crisis_rate")
        .expect("crisis");
    assert_eq!(
        p[0].indicators[0].variation_icon,
        crisis.spc.as_ref().map(|s| s.variation_icon)
    );
    let html = evidence.report.to_html();
    assert!(html.contains("<h2>Evidence by priority</h2>"));
    assert!(html.contains("Not found in these data (check the names in the report settings): no_such_indicator, Nonsense Scale."));
}

/// Feedback free text appears only when the settings include quotes, and then without any
/// person ID or date.
#[test]
fn quotes_appear_only_when_opted_in_and_never_with_an_id() {
    let demo = generate(&DemoParams {
        n_people: 60,
        ..DemoParams::default()
    });
    let ingested = || ingest(&demo.input_files(), &MappingConfig::default());
    let dataset = ingested().dataset;
    let texts: Vec<String> = dataset
        .feedback
        .text
        .iter()
        .flatten()
        .map(|t| dataset.text.text(*t).to_string())
        .collect();
    assert!(!texts.is_empty(), "the demo has feedback text");
    let run = |include_quotes: bool| {
        let mut config = Config::default();
        config.report.include_quotes = include_quotes;
        config.value.bootstrap_resamples = 50;
        analyse_and_report(ingested(), &config).expect("valid")
    };
    let without = run(false);
    assert!(without.report.quotes.is_empty());
    let (html, json) = (without.report.to_html(), without.report.to_json());
    for text in &texts {
        let escaped = waymark_core::report::escape(text);
        assert!(!html.contains(&escaped), "quote in the HTML: {text}");
        assert!(
            !json.contains(&format!("\"{text}\"")),
            "quote in the JSON: {text}"
        );
    }
    assert!(!html.contains("In people's own words"));

    let with = run(true);
    let quotes = &with.report.quotes;
    assert!(!quotes.is_empty() && quotes.len() <= 6, "{}", quotes.len());
    let ids: Vec<&str> = dataset
        .people
        .person
        .iter()
        .map(|key| dataset.person_ids.text(*key))
        .collect();
    for q in quotes {
        assert!(texts
            .iter()
            .any(|t| t.contains(&q.text) || q.text.contains("[ID]")));
        assert!(ids.iter().all(|id| !q.text.contains(id)), "{}", q.text);
    }
    let json: Value = serde_json::from_str(&with.report.to_json()).expect("JSON");
    for q in json["quotes"].as_array().expect("quotes") {
        let mut keys: Vec<&str> = q
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["source", "text", "themes"]);
    }
    assert!(with.report.to_html().contains("In people's own words"));
}

const REPORT_TOML: &str = r#"
[report]
service_name = "Northside Community Recovery"
provider = "Example Health CIC"
period_label = "2025/26 Q1-Q4"
report_date = "2026-07-15"
include_quotes = true
action_window_days = 21

[[report.priorities]]
name = "Fewer crises"
indicators = ["crisis_rate", "ed_rate"]
measures = []

[[report.priorities]]
name = "Feeling better"
measures = ["PHQ-9", "WEMWBS"]
"#;

/// The `[report]` section survives TOML and JSON unchanged; a typo in it is refused.
#[test]
fn a_report_section_round_trips_through_toml_and_json() {
    let config: Config = toml::from_str(REPORT_TOML).expect("valid TOML");
    let r = &config.report;
    assert_eq!(r.service_name, "Northside Community Recovery");
    assert_eq!(
        r.report_date.map(|d| d.to_string()).as_deref(),
        Some("2026-07-15")
    );
    assert!(r.include_quotes);
    assert_eq!(r.action_window_days, 21);
    assert_eq!(r.priorities.len(), 2);
    assert!(r.priorities[1].indicators.is_empty());
    let json = serde_json::to_string(&config).expect("JSON");
    let back: Config = serde_json::from_str(&json).expect("read back");
    assert_eq!(back.report, config.report);
    let toml_text = toml::to_string(&back).expect("TOML");
    let again: Config = toml::from_str(&toml_text).expect("read back");
    assert_eq!(again.report, config.report);

    // Absent means the defaults: no names, quotes off, a 28-day window, four priorities.
    let empty: Config = toml::from_str("").expect("empty");
    assert_eq!(empty.report, ReportSettings::default());
    assert_eq!(empty.report.action_window_days, 28);
    assert!(!empty.report.include_quotes);
    assert_eq!(empty.report.priorities.len(), 4);

    for typo in [
        "[report]\nservice_nmae = \"x\"\n",
        "[[report.priorities]]\nname = \"x\"\nindicator = [\"crisis_rate\"]\n",
    ] {
        let err = toml::from_str::<Config>(typo).expect_err("a typo is refused");
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}

fn file<'a>(name: &'a str, text: &'a str) -> InputFile<'a> {
    InputFile {
        name,
        bytes: text.as_bytes(),
    }
}

/// Reviews leading to action on two people, analysis date 2026-06-30, window 28 days. Worked
/// by hand from the definitions in `analysis::actions`:
///
/// P1 (Team A):
/// - crisis 2026-02-01: window to 2026-03-01; plan changed at the goal review of 2026-02-20:
///   followed.
/// - admission 2026-05-01: window to 2026-05-29; no adjustment in it: not followed.
/// - engagement engaged (2026-01-10) then disengaged (2026-03-10): a dip; the goal review of
///   2026-04-07 (day 28, inclusive) changed the plan: followed.
/// - PHQ-9 20, 10, 18: the best so far is 10, and 18 is 8 worse (threshold 6): a setback on
///   2026-04-15; window to 2026-05-13, no adjustment: not followed.
///
/// P2 (Team B):
/// - crisis 2025-12-01: before the start date, not a trigger.
/// - crisis 2026-03-01: feedback with a plan adjustment on 2026-03-29 (day 28): followed.
/// - crisis 2026-06-20: window to 2026-07-18, after the analysis date: not yet due.
///
/// Service: setbacks 0 of 1, escalations 2 of 3, engagement dips 1 of 1, all 3 of 5; one
/// trigger not yet due. Team A: 0/1, 1/2, 1/1, 2/4. Team B: 0/0, 1/1, 0/0, 1/1.
#[test]
fn reviews_leading_to_action_match_a_hand_count() {
    let people = "person_id,pathway,start_date,end_date,team\nP1,Step-down,2026-01-01,,Team A\nP2,Step-down,2026-01-01,,Team B\n";
    let events = "person_id,date,event_type\nP1,2026-02-01,crisis\nP1,2026-05-01,admission\nP2,2025-12-01,crisis\nP2,2026-03-01,crisis\nP2,2026-06-20,crisis\n";
    let status = "person_id,date,indicator,value\nP1,2026-01-10,engagement,engaged\nP1,2026-03-10,engagement,disengaged\n";
    let outcomes = "person_id,date,measure,score\nP1,2026-01-05,PHQ-9,20\nP1,2026-02-15,PHQ-9,10\nP1,2026-04-15,PHQ-9,18\n";
    let goals = "person_id,goal_id,review_date,rating,plan_changed\nP1,G1,2026-01-05,-2,no\nP1,G1,2026-02-20,-1,yes\nP1,G1,2026-04-07,-1,yes\n";
    let feedback = "person_id,date,source,self_rating,plan_adjustment\nP2,2026-03-29,person,5,Extra visits agreed\n";
    let ingested = ingest(
        &[
            file("people.csv", people),
            file("events.csv", events),
            file("status.csv", status),
            file("outcomes.csv", outcomes),
            file("goals.csv", goals),
            file("feedback.csv", feedback),
        ],
        &MappingConfig::default(),
    );
    let mut config = Config::default();
    config.analysis.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
    config.value.bootstrap_resamples = 20;
    let evidence = analyse_and_report(ingested, &config).expect("valid");
    let actions = evidence
        .analysis
        .as_ref()
        .and_then(|a| a.review_actions.clone())
        .expect("computed");
    let c = |due, followed| TriggerCounts { due, followed };
    assert_eq!(actions.window_days, 28);
    assert_eq!(
        actions.service,
        ActionCounts {
            setbacks: c(1, 0),
            escalations: c(3, 2),
            engagement_dips: c(1, 1),
            all: c(5, 3),
        }
    );
    assert_eq!(actions.not_yet_due, 1);
    let teams: Vec<(&str, ActionCounts)> = actions
        .by_team
        .iter()
        .map(|t| (t.team.as_str(), t.counts))
        .collect();
    assert_eq!(
        teams,
        [
            (
                "Team A",
                ActionCounts {
                    setbacks: c(1, 0),
                    escalations: c(2, 1),
                    engagement_dips: c(1, 1),
                    all: c(4, 2),
                }
            ),
            (
                "Team B",
                ActionCounts {
                    setbacks: c(0, 0),
                    escalations: c(1, 1),
                    engagement_dips: c(0, 0),
                    all: c(1, 1),
                }
            ),
        ]
    );
    // The screen report shows the exact shares; the controlled one suppresses them all.
    let screen = evidence
        .screen_report
        .direction_of_travel
        .as_ref()
        .and_then(|d| d.goals.reviews_leading_to_action.as_ref())
        .expect("in the report");
    assert_eq!(screen.service.all.percent, Some(60.0));
    let controlled = evidence
        .report
        .direction_of_travel
        .as_ref()
        .and_then(|d| d.goals.reviews_leading_to_action.as_ref())
        .expect("in the report");
    assert_eq!(
        controlled.service.all,
        ShownShare {
            numerator: ShownCount::Suppressed,
            denominator: ShownCount::Suppressed,
            percent: None
        }
    );
    assert!(evidence
        .screen_report
        .to_html()
        .contains("Reviews leading to action"));
}
