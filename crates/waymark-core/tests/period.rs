//! The filter's analysis period: who is kept, where the analysis ends and where the monthly
//! indicators start. Each test compares a run with a period against the same data without
//! one, or against counts made by hand from the CSV text, so ignoring the period fails it.

use chrono::NaiveDate;
use waymark_core::config::{analyse_dataset, Config, ConfigError};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::filter::{filter_people, PeopleFilter};
use waymark_core::{ingest, Dataset, Ingested, InputFile, MappingConfig};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn demo() -> Ingested {
    let demo = generate(&DemoParams::default());
    let files = demo.input_files();
    ingest(&files, &MappingConfig::default())
}

fn with_period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Config {
    Config {
        filter: PeopleFilter {
            period_from: from,
            period_to: to,
            ..PeopleFilter::default()
        },
        ..Config::default()
    }
}

fn run(ingested: &Ingested, config: &Config) -> waymark_core::config::Evidence {
    analyse_dataset(&ingested.dataset, ingested.report.clone(), config).unwrap()
}

/// People whose start date is on or before `to`, counted from the people table directly.
fn started_by(data: &Dataset, to: NaiveDate) -> usize {
    data.people.start_date.iter().filter(|d| **d <= to).count()
}

#[test]
fn a_period_ending_earlier_ends_the_analysis_and_the_indicators_there() {
    let ingested = demo();
    let to = date(2025, 12, 31);
    let whole = run(&ingested, &Config::default());
    let period = run(&ingested, &with_period(None, Some(to)));
    let (whole_a, period_a) = (whole.analysis.unwrap(), period.analysis.unwrap());

    assert_eq!(whole_a.reference_date, date(2026, 6, 30));
    assert_eq!(period_a.reference_date, to);
    assert!(
        period_a.service.person_months < whole_a.service.person_months - 100.0,
        "{} person-months with the period, {} without",
        period_a.service.person_months,
        whole_a.service.person_months
    );
    for indicator in &period_a.service.indicators {
        assert_eq!(
            indicator.months.last().map(|m| m.month),
            Some(date(2025, 12, 1)),
            "{}",
            indicator.key
        );
        assert!(indicator.chart_months.iter().all(|m| *m <= to));
    }
    // People who started after the period are not in it.
    let n_started = started_by(&ingested.dataset, to);
    assert!(n_started < ingested.dataset.people.person.len());
    assert_eq!(
        period.report.data.n_people,
        waymark_core::disclosure::ShownCount::from_count(n_started as u64)
    );
    // Cost avoidance runs to the same date.
    let value = period.value.unwrap().unwrap();
    assert_eq!(value.settings.reference_date, to);
}

#[test]
fn a_configured_analysis_date_after_the_period_is_capped_and_one_before_it_is_kept() {
    let ingested = demo();
    let to = date(2025, 12, 31);
    let mut config = with_period(None, Some(to));
    config.analysis.reference_date = Some(date(2026, 6, 30));
    config.value.reference_date = Some(date(2026, 6, 30));
    let evidence = run(&ingested, &config);
    assert_eq!(evidence.analysis.unwrap().reference_date, to);
    assert_eq!(evidence.value.unwrap().unwrap().settings.reference_date, to);

    let earlier = date(2025, 9, 30);
    config.analysis.reference_date = Some(earlier);
    config.value.reference_date = None;
    let evidence = run(&ingested, &config);
    assert_eq!(evidence.analysis.unwrap().reference_date, earlier);
    assert_eq!(
        evidence.value.unwrap().unwrap().settings.reference_date,
        earlier
    );
}

#[test]
fn the_period_start_is_the_first_month_of_every_indicator() {
    let ingested = demo();
    let from = date(2025, 3, 15);
    let whole = run(&ingested, &Config::default()).analysis.unwrap();
    let first_whole = whole.service.indicators[0].months[0].month;
    assert!(
        first_whole < date(2025, 3, 1),
        "the demo starts before the period"
    );

    let period = run(&ingested, &with_period(Some(from), None))
        .analysis
        .unwrap();
    for indicator in &period.service.indicators {
        assert_eq!(
            indicator.months[0].month,
            date(2025, 3, 1),
            "{}",
            indicator.key
        );
        assert_eq!(indicator.months.last().unwrap().month, date(2026, 6, 1));
    }
    let crisis = |a: &waymark_core::analysis::Analysis| {
        a.service
            .indicators
            .iter()
            .find(|i| i.key == "crisis_rate")
            .cloned()
            .unwrap()
    };
    let (whole_crisis, period_crisis) = (crisis(&whole), crisis(&period));
    // The first charted month is the period's first month (the demo has exposure then).
    assert_eq!(period_crisis.chart_months.first(), Some(&date(2025, 3, 1)));
    // Months inside the period are counted exactly as without it.
    let same_month = |i: &waymark_core::analysis::direction::service::Indicator, month| {
        i.months
            .iter()
            .find(|m| m.month == month)
            .map(|m| m.numerator)
    };
    assert_eq!(
        same_month(&period_crisis, date(2025, 6, 1)),
        same_month(&whole_crisis, date(2025, 6, 1))
    );
    assert!(period.service.person_months < whole.service.person_months);
}

#[test]
fn people_discharged_before_the_period_and_starting_after_it_are_left_out() {
    let people = "person_id,pathway,start_date,end_date\n\
                  EARLY,A,2024-01-01,2024-12-31\n\
                  INSIDE,A,2025-02-01,\n\
                  OVERLAP,A,2024-06-01,2025-01-15\n\
                  LATE,A,2025-07-01,\n";
    let files = [InputFile {
        name: "people.csv",
        bytes: people.as_bytes(),
    }];
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let filter = PeopleFilter {
        period_from: Some(date(2025, 1, 1)),
        period_to: Some(date(2025, 6, 30)),
        ..PeopleFilter::default()
    };
    let kept = filter_people(&data, &filter);
    let ids: Vec<&str> = kept
        .people
        .person
        .iter()
        .map(|p| kept.person_ids.text(*p))
        .collect();
    assert_eq!(ids, ["INSIDE", "OVERLAP"]);
    // Combined with a list: both must pass.
    let none = filter_people(
        &data,
        &PeopleFilter {
            pathways: vec!["B".into()],
            ..filter
        },
    );
    assert!(none.people.person.is_empty());
}

#[test]
fn nothing_dated_after_the_period_counts() {
    let people = "person_id,pathway,start_date,end_date\n\
                  P1,A,2025-01-01,2025-09-30\n\
                  P2,A,2025-01-01,\n";
    let events = "person_id,date,event_type\n\
                  P1,2025-02-10,crisis_contact\n\
                  P1,2025-03-31,crisis_contact\n\
                  P1,2025-04-01,crisis_contact\n\
                  P2,2025-05-20,crisis_contact\n";
    let outcomes = "person_id,date,measure,score\n\
                    P1,2025-01-05,WEMWBS,30\n\
                    P1,2025-03-01,WEMWBS,40\n\
                    P1,2025-06-01,WEMWBS,60\n";
    let status = "person_id,date,indicator,value\n\
                  P2,2025-01-10,housing,temporary\n\
                  P2,2025-05-01,housing,settled\n";
    let files = [
        InputFile {
            name: "people.csv",
            bytes: people.as_bytes(),
        },
        InputFile {
            name: "events.csv",
            bytes: events.as_bytes(),
        },
        InputFile {
            name: "outcomes.csv",
            bytes: outcomes.as_bytes(),
        },
        InputFile {
            name: "status.csv",
            bytes: status.as_bytes(),
        },
    ];
    let ingested = ingest(&files, &MappingConfig::default());
    assert!(ingested.report.usable);
    let to = date(2025, 3, 31);
    let filter = PeopleFilter {
        period_to: Some(to),
        ..PeopleFilter::default()
    };

    let kept = filter_people(&ingested.dataset, &filter);
    assert_eq!(kept.events.person.len(), 2);
    assert!(kept.events.date.iter().all(|d| *d <= to));
    assert_eq!(kept.outcomes.person.len(), 2);
    assert_eq!(kept.status.person.len(), 1);
    // P1's discharge is after the period: on its last day P1 was still in service.
    assert_eq!(kept.people.end_date, [None, None]);
    // Line numbers still point at the source rows.
    assert_eq!(kept.events.lines.line(1), 3);

    let mut config = with_period(None, Some(to));
    // Even an analysis date configured later does not let later rows in.
    config.analysis.reference_date = Some(date(2025, 12, 31));
    let analysis = run(&ingested, &config).analysis.unwrap();
    assert_eq!(analysis.reference_date, to);
    let crisis = analysis
        .service
        .indicators
        .iter()
        .find(|i| i.key == "crisis_rate")
        .unwrap();
    let total: f64 = crisis.months.iter().map(|m| m.numerator).sum();
    assert_eq!(total, 2.0);
    assert_eq!(crisis.months.last().unwrap().month, date(2025, 3, 1));
    let housing = analysis
        .service
        .indicators
        .iter()
        .find(|i| i.key == "settled_housing")
        .unwrap();
    assert!(housing.months.iter().all(|m| m.numerator == 0.0));
    // Exposure: two people, 1 January to 31 March 2025 (90 days each).
    let person_months = 2.0 * 90.0 / waymark_core::model::DAYS_PER_MONTH;
    assert!((analysis.service.person_months - person_months).abs() < 1e-9);
}

#[test]
fn a_period_that_starts_after_it_ends_is_an_error_naming_both_dates() {
    let ingested = demo();
    let config = with_period(Some(date(2026, 1, 1)), Some(date(2025, 12, 31)));
    let errors = match analyse_dataset(&ingested.dataset, ingested.report.clone(), &config) {
        Ok(_) => panic!("a reversed period was accepted"),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0], ConfigError::Period(_)));
    let message = errors[0].to_string();
    assert!(
        message.contains("2026-01-01") && message.contains("2025-12-31"),
        "{message}"
    );
    // A one-day period is fine.
    let one_day = with_period(Some(date(2025, 12, 31)), Some(date(2025, 12, 31)));
    assert!(analyse_dataset(&ingested.dataset, ingested.report.clone(), &one_day).is_ok());
}

#[test]
fn the_period_survives_a_round_trip_and_old_filters_still_read() {
    let filter = PeopleFilter {
        teams: vec!["North".into()],
        period_from: Some(date(2025, 1, 1)),
        period_to: None,
        ..PeopleFilter::default()
    };
    let json = serde_json::to_string(&filter).unwrap();
    assert!(json.contains("\"period_to\":null"), "{json}");
    assert_eq!(serde_json::from_str::<PeopleFilter>(&json).unwrap(), filter);
    let old: PeopleFilter = serde_json::from_str(r#"{"pathways":["A"]}"#).unwrap();
    assert_eq!((old.period_from, old.period_to), (None, None));
    assert!(!filter.is_empty());
}
