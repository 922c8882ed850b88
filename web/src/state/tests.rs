use super::*;

use crate::engine::snapshot::tests::demo_snapshot;

/// The engine's answer to the last analysis asked for: `snapshot` under its generation.
fn answer(state: &AppState, mut snapshot: Snapshot) -> Action {
    snapshot.generation = state.asked.as_ref().unwrap().generation;
    Action::Reply(Response::Loaded(Box::new(snapshot)))
}

/// The demo data asked for and analysed.
fn with_demo(state: Rc<AppState>) -> Rc<AppState> {
    let asked = state.reduce(Action::LoadDemo);
    let reply = answer(&asked, demo_snapshot());
    asked.reduce(reply)
}

fn generation_asked(state: &AppState) -> u64 {
    state.asked.as_ref().unwrap().generation
}

/// Person-level lists join the analysis they were sent with, and only that one.
#[test]
fn person_level_lists_join_only_their_own_analysis() {
    let state = Rc::new(AppState::default()).reduce(Action::LoadDemo);
    let generation = generation_asked(&state);
    let mut snapshot = demo_snapshot();
    let person_level = PersonLevel::split_off(&mut snapshot, generation).unwrap();
    let state = state.reduce(Action::Reply(Response::Loaded(Box::new(snapshot))));
    let loaded = state.loaded.clone().unwrap();
    assert!(loaded.person_level_pending);
    let stale = state
        .clone()
        .reduce(Action::Reply(Response::PersonLevel(Box::new(
            PersonLevel {
                generation: generation + 1,
                ..person_level.clone()
            },
        ))));
    assert!(stale.loaded.as_ref().unwrap().person_level_pending);
    let joined = state.reduce(Action::Reply(Response::PersonLevel(Box::new(person_level))));
    let joined = joined.loaded.as_ref().unwrap();
    assert!(!joined.person_level_pending);
    assert_ne!(joined, &loaded, "the views see a new analysis");
    assert_eq!(joined.generation, loaded.generation, "but not a new load");
    let analysis = joined.analysis.as_ref().unwrap();
    assert!(!analysis.outcomes.people.is_empty() && !analysis.narrative.cases.is_empty());
}

/// The staleness rule: a reply under an earlier generation is dropped, one under the
/// current generation is applied; the engine's own failures always are.
#[test]
fn a_stale_reply_is_dropped_and_a_current_one_applied() {
    let first = Rc::new(AppState::default()).reduce(Action::LoadDemo);
    let early = answer(&first, demo_snapshot());
    let early_progress = Response::Progress {
        generation: generation_asked(&first),
        progress: Progress::default(),
    };
    // Files chosen before the demo data's analysis came back: the demo's is now stale.
    let second = first.reduce(Action::Load(Vec::new()));
    let later = answer(&second, demo_snapshot());
    assert!(matches!(
        second.asked.as_ref().unwrap().request,
        Request::Load { .. }
    ));
    let reading = second.clone().reduce(Action::Reply(Response::Reading {
        generation: generation_asked(&second),
        n_files: 2,
        total_bytes: 100,
    }));
    assert!(matches!(reading.phase, Phase::Reading { n_files: 2, .. }));
    let dropped = reading.reduce(Action::Reply(early_progress)).reduce(early);
    assert!(dropped.loaded.is_none(), "the stale analysis is dropped");
    assert!(matches!(dropped.phase, Phase::Reading { .. }));
    let stale_failure = dropped.clone().reduce(Action::Reply(Response::Failed {
        generation: Some(generation_asked(&second) - 1),
        message: "an earlier request failed".into(),
    }));
    assert!(matches!(stale_failure.phase, Phase::Reading { .. }));
    let applied = dropped.clone().reduce(later);
    assert_eq!(applied.phase, Phase::Ready);
    assert_eq!(
        applied.loaded.as_ref().unwrap().generation,
        generation_asked(&second)
    );
    let stopped = dropped.reduce(Action::Reply(Response::engine_failed("stopped")));
    assert_eq!(stopped.phase, Phase::Failed("stopped".into()));
}

/// A new analysis invalidates the questions asked about the one before: the person shown
/// is asked about again, and the answer to the earlier question is dropped.
#[test]
fn a_new_load_invalidates_older_questions() {
    let state = with_demo(Rc::new(AppState::default())).reduce(Action::Navigate(
        View::Person,
        PeopleFilter::default(),
        Some("P0001".into()),
    ));
    let asked = state.person.clone().unwrap();
    assert_eq!(
        (asked.person.as_str(), &asked.answer),
        ("P0001", &Lookup::Waiting)
    );
    let earlier_answer = Action::Reply(Response::Person {
        generation: asked.generation,
        person: "P0001".into(),
        timeline: Some(Vec::new()),
    });
    let reloaded = with_demo(state);
    let again = reloaded.person.clone().unwrap();
    assert!(again.generation > asked.generation, "asked again");
    assert_eq!(again.answer, Lookup::Waiting);
    let dropped = reloaded.clone().reduce(earlier_answer);
    assert_eq!(dropped.person.as_ref().unwrap().answer, Lookup::Waiting);
    let answered = reloaded.reduce(Action::Reply(Response::Person {
        generation: again.generation,
        person: "P0001".into(),
        timeline: None,
    }));
    assert_eq!(answered.person.as_ref().unwrap().answer, Lookup::Unknown);
    // Typing another ID asks again; the answer about the first is then dropped.
    let typed = answered.reduce(Action::LookUpPerson("P0002".into()));
    let late = typed.clone().reduce(Action::Reply(Response::Person {
        generation: again.generation,
        person: "P0001".into(),
        timeline: Some(Vec::new()),
    }));
    assert_eq!(late.person, typed.person);
    // Leaving the view forgets the question.
    let away = typed.reduce(Action::Navigate(View::Goals, PeopleFilter::default(), None));
    assert!(away.person.is_none());
}

/// Restored settings wait for the engine: accepted, their filter becomes the page's; a
/// refusal changes nothing. The URL's filter is not followed meanwhile.
#[test]
fn restored_settings_take_effect_once_accepted() {
    let team = PeopleFilter {
        teams: vec!["North".into()],
        ..PeopleFilter::default()
    };
    let mut config = Config::default();
    config.filter = team.clone();
    let loaded = with_demo(Rc::new(AppState::default()));
    let restoring = loaded
        .clone()
        .reduce(Action::RestoreSettings(config.clone()));
    assert_eq!(restoring.phase, Phase::Updating);
    assert_eq!(restoring.filter, PeopleFilter::default());
    let mut snapshot = demo_snapshot();
    snapshot.config = config.clone();
    let reply = answer(&restoring, snapshot);
    let accepted = restoring.clone().reduce(reply);
    assert_eq!(accepted.filter, team);
    assert!(accepted.restoring.is_none());
    assert_eq!(
        accepted.asked, restoring.asked,
        "nothing more asked: the figures are for the restored filter"
    );
    let refused = restoring.reduce(Action::Reply(Response::Failed {
        generation: Some(generation_asked(&loaded) + 1),
        message: "These settings are not valid".into(),
    }));
    assert_eq!(refused.filter, PeopleFilter::default());
    assert!(refused.restoring.is_none());
    let no_data = Rc::new(AppState::default()).reduce(Action::RestoreSettings(config));
    assert!(matches!(no_data.phase, Phase::Failed(_)) && no_data.asked.is_none());
}

/// A filter in the URL that the figures are not for is asked for once per data and filter.
#[test]
fn the_urls_filter_is_asked_for_once() {
    let team = PeopleFilter {
        teams: vec!["North".into()],
        ..PeopleFilter::default()
    };
    let loaded = with_demo(Rc::new(AppState::default()));
    let asked = loaded.reduce(Action::Navigate(View::Overview, team.clone(), None));
    assert_eq!(asked.phase, Phase::Updating);
    let Some(Asked {
        request: Request::Reanalyse { config, .. },
        ..
    }) = &asked.asked
    else {
        panic!("a re-analysis is asked for")
    };
    assert_eq!(config.filter, team);
    let refused = asked.clone().reduce(Action::Reply(Response::Failed {
        generation: Some(generation_asked(&asked)),
        message: "refused".into(),
    }));
    let again = refused.reduce(Action::Navigate(View::Goals, team, None));
    assert_eq!(again.asked, asked.asked, "not asked again");
}

/// Presentation mode shows the export report on screen, survives a new analysis, and
/// switching it off brings the exact counts back.
#[test]
fn presentation_mode_shows_the_export_rules_on_screen() {
    let snapshot = demo_snapshot();
    let warnings = |r: &Report| {
        let d = r.direction_of_travel.as_ref().unwrap();
        d.stability.early_warnings.numerator.to_string()
    };
    let (exact, controlled) = (
        warnings(&snapshot.screen_report),
        warnings(&snapshot.report),
    );
    assert_ne!(
        exact, controlled,
        "the demo's count of early warnings is not a multiple of 5"
    );
    let state = with_demo(Rc::new(AppState::default()));
    let shown = |s: &AppState| warnings(s.loaded.as_ref().unwrap().report());
    assert_eq!(shown(&state), exact);
    let presenting = state.reduce(Action::SetPresentation(true));
    assert_eq!(shown(&presenting), controlled);
    let reloaded = with_demo(presenting);
    assert_eq!(
        shown(&reloaded),
        controlled,
        "a new analysis keeps the mode"
    );
    assert!(reloaded.loaded.as_ref().unwrap().presentation);
    assert_eq!(
        shown(&reloaded.reduce(Action::SetPresentation(false))),
        exact
    );
}

/// A refused filter leaves the page in `Failed`; going back to the filter the figures are
/// for settles it, and any other navigation keeps the message.
#[test]
fn returning_to_the_analysed_filter_settles_a_refused_one() {
    let refused = PeopleFilter {
        period_from: chrono::NaiveDate::from_ymd_opt(2026, 5, 1),
        period_to: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
        ..PeopleFilter::default()
    };
    let state = with_demo(Rc::new(AppState::default()))
        .reduce(Action::Navigate(View::Overview, refused.clone(), None))
        .reduce(Action::Fail("the period ends before it starts".into()));
    let elsewhere = state
        .clone()
        .reduce(Action::Navigate(View::Goals, refused, None));
    assert!(matches!(elsewhere.phase, Phase::Failed(_)));
    let back = state.reduce(Action::Navigate(
        View::Overview,
        PeopleFilter::default(),
        None,
    ));
    assert_eq!(back.phase, Phase::Ready);
}

#[test]
fn hashes_round_trip_and_unknown_ones_fall_back_to_the_overview() {
    for view in View::ALL {
        assert_eq!(View::from_hash(&format!("#{}", view.slug())), view);
    }
    assert_eq!(View::from_hash("#nonsense"), View::Overview);
    assert_eq!(View::from_hash("#goals?pathway=A"), View::Goals);
    assert_eq!(View::from_hash(""), View::Overview);
}

/// A link to a chart or a person keeps the filter, and the filter ignores the link's key.
#[test]
fn extra_keys_ride_with_the_filter() {
    let filter = PeopleFilter {
        teams: vec!["North".into()],
        ..PeopleFilter::default()
    };
    let hash = hash_with(View::Person, &filter, &[("id", "P 01&x")]);
    assert_eq!(hash, "#person?team=North&id=P%2001%26x");
    assert_eq!(hash_param(&hash, "id").as_deref(), Some("P 01&x"));
    assert_eq!(filter_from_hash(&hash), filter);
    let plain = hash_with(
        View::Direction,
        &PeopleFilter::default(),
        &[("show", "crisis_rate")],
    );
    assert_eq!(plain, "#direction?show=crisis_rate");
    assert_eq!(hash_param(&plain, "id"), None);
    assert_eq!(hash_param("#direction", "show"), None);
}

#[test]
fn filters_round_trip_through_the_hash() {
    let filter = PeopleFilter {
        pathways: vec!["Step-down".into(), "Integrated community support".into()],
        teams: vec!["North & East".into()],
        ..PeopleFilter::default()
    };
    let hash = hash_for(View::Pathways, &filter);
    assert_eq!(hash, "#pathways?pathway=Step-down&pathway=Integrated%20community%20support&team=North%20%26%20East");
    assert_eq!(filter_from_hash(&hash), filter);
    assert_eq!(View::from_hash(&hash), View::Pathways);
    let period = PeopleFilter {
        period_from: chrono::NaiveDate::from_ymd_opt(2025, 4, 1),
        period_to: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
        ..filter.clone()
    };
    let hash = hash_for(View::Value, &period);
    assert!(hash.ends_with("&from=2025-04-01&to=2026-03-31"), "{hash}");
    assert_eq!(filter_from_hash(&hash), period);
    assert_eq!(
        filter_from_hash("#value?from=2025-13-01&to=yesterday"),
        PeopleFilter::default()
    );
    assert_eq!(
        filter_from_hash("#overview?unknown=1&team="),
        PeopleFilter::default()
    );
}
