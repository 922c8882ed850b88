//! What the page receives after each analysis, built by pure functions of the held dataset.
//! The dataset itself stays with the engine: the page gets the report, the analyses, the
//! people's IDs (to label person-level detail) and the filter choices.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use waymark_core::analysis::direction::goals::PersonGoals;
use waymark_core::analysis::direction::narrative::DiscordantCase;
use waymark_core::analysis::direction::outcomes::PersonMeasure;
use waymark_core::analysis::direction::stability::PersonStability;
use waymark_core::analysis::Analysis;
use waymark_core::analysis::EventKind;
use waymark_core::config::{analyse_filtered, Config};
use waymark_core::model::Label;
use waymark_core::report::governance::GovernanceReport;
use waymark_core::report::Report;
use waymark_core::value::cost_avoidance::CostAvoidance;
use waymark_core::{Dataset, FilePreview, ValidationReport};

/// The values each filter can take, from the whole (unfiltered) dataset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub pathways: Vec<String>,
    pub teams: Vec<String>,
    pub coordinators: Vec<String>,
    pub age_bands: Vec<String>,
    pub sexes: Vec<String>,
    pub ethnicities: Vec<String>,
    /// The earliest support start and the latest date in any table, to bound the period.
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

/// One row of a person's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    pub what: String,
    pub detail: String,
    /// The timeline chart's lane: the measure for a score, else one of [`LANES`].
    pub lane: String,
    /// A score, printed beside its mark.
    pub score: Option<f64>,
    /// A crisis contact, emergency department attendance or admission (by the analysis's
    /// event kinds), drawn in the concern colour.
    pub emphasis: bool,
}

/// The timeline chart's lanes after the score lanes (one per measure), in their order.
pub const LANES: [&str; 5] = [
    "Start and end",
    "Events",
    "Goal reviews",
    "Status",
    "Feedback",
];

/// The lane of a record that is not a score.
fn lane_of(what: &str) -> &'static str {
    match what {
        "Start" | "End" => LANES[0],
        "Event" => LANES[1],
        "Goal review" => LANES[2],
        "Status" => LANES[3],
        _ => LANES[4],
    }
}

/// Everything the views show for one analysis.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    /// Where the data came from ("demo data" or the file names).
    pub source: String,
    /// Under disclosure control: what every download and widget is made from.
    pub report: Report,
    /// The same report with exact counts, for the views on the user's own screen.
    pub screen_report: Report,
    /// The governance pack under disclosure control (its download, presentation mode) and
    /// with exact counts (the view); built in the core's pipeline beside the reports.
    pub governance: Option<GovernanceReport>,
    pub screen_governance: Option<GovernanceReport>,
    pub validation: ValidationReport,
    pub analysis: Option<Analysis>,
    pub value: Option<CostAvoidance>,
    /// The pseudonymous ID of each person the analysis covers, in the order the analyses
    /// number them (the filtered people table's rows).
    pub person_ids: Vec<String>,
    pub filter_options: FilterOptions,
    pub config: Config,
    /// Whether the files can be read again with a new mapping (the engine still holds them).
    pub can_remap: bool,
    /// Each file's header and first rows, for the mapping step (person-level: shown in the
    /// page only, never exported).
    pub previews: Vec<FilePreview>,
    /// The generation of the request this analysis answers (see `protocol::Request`); the
    /// person-level lists sent after it ([`PersonLevel`]) carry it too.
    pub generation: u64,
    /// Whether the analysis's person-level lists were taken out, to follow as a
    /// [`PersonLevel`] message.
    pub person_level_follows: bool,
}

/// The person-level lists the views draw, sent after the rest of the snapshot: at a million
/// events they are most of its bytes (3.7 MB of 4.7 MB is the per-person change in scores), and
/// the overview needs none of them, so the page draws the overview before decoding these.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PersonLevel {
    /// The snapshot these belong to ([`Snapshot::generation`]).
    pub generation: u64,
    pub outcomes: Vec<PersonMeasure>,
    pub discordant_cases: Vec<DiscordantCase>,
    pub stability: Vec<PersonStability>,
    pub goals: Vec<PersonGoals>,
    pub gas_t_scores: Vec<f64>,
}

impl PersonLevel {
    /// Numbers `snapshot` with the request's `generation` and moves its person-level lists out (leaving
    /// them empty and marking the snapshot as followed by them); `None` when there is no
    /// analysis.
    pub fn split_off(snapshot: &mut Snapshot, generation: u64) -> Option<PersonLevel> {
        snapshot.generation = generation;
        let analysis = snapshot.analysis.as_mut()?;
        snapshot.person_level_follows = true;
        Some(PersonLevel {
            generation,
            outcomes: std::mem::take(&mut analysis.outcomes.people),
            discordant_cases: std::mem::take(&mut analysis.narrative.cases),
            stability: std::mem::take(&mut analysis.stability.people),
            goals: std::mem::take(&mut analysis.goals.people),
            gas_t_scores: std::mem::take(&mut analysis.goals.gas_t_scores),
        })
    }

    /// Puts the lists back where [`PersonLevel::split_off`] found them.
    pub fn put_into(self, analysis: &mut Analysis) {
        analysis.outcomes.people = self.outcomes;
        analysis.narrative.cases = self.discordant_cases;
        analysis.stability.people = self.stability;
        analysis.goals.people = self.goals;
        analysis.goals.gas_t_scores = self.gas_t_scores;
    }
}

/// Person-level detail that no view shows stays with the engine: the page receives only what
/// it draws (each crossing is decoded on the page's thread, so its size is the page's pause).
/// The report, computed before this, is unchanged.
fn trim_for_page(analysis: &mut Analysis) {
    // Feedback anchored to scores and crises: the report's counts use it; no view lists it.
    analysis.narrative.anchored = Vec::new();
    // The stability view lists the people flagged for early warning.
    analysis.stability.people.retain(|p| p.early_warning);
    // The goals view lists the people with static plans.
    analysis.goals.people.retain(|p| p.static_goals > 0);
}

/// Analyses `analysed` (the people `config.filter` keeps from `dataset`, filtered by the
/// caller: [`waymark_core::config::filtered`]) and gathers what the page needs; `dataset`
/// gives the filter choices.
pub fn build(
    source: String,
    dataset: &Dataset,
    analysed: &Dataset,
    validation: &ValidationReport,
    config: &Config,
) -> Result<Snapshot, String> {
    let evidence = analyse_filtered(analysed, validation.clone(), config).map_err(|errors| {
        format!(
            "These settings are not valid: {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    Ok(Snapshot {
        source,
        report: evidence.report,
        screen_report: evidence.screen_report,
        governance: evidence.governance,
        screen_governance: evidence.screen_governance,
        validation: validation.clone(),
        analysis: evidence.analysis.map(|mut analysis| {
            trim_for_page(&mut analysis);
            analysis
        }),
        value: evidence.value.and_then(Result::ok),
        // The analyses number people by their row in the filtered table.
        person_ids: analysed
            .people
            .person
            .iter()
            .map(|key| analysed.person_ids.text(*key).to_string())
            .collect(),
        filter_options: filter_options(dataset),
        config: config.clone(),
        can_remap: false,
        previews: Vec::new(),
        generation: 0,
        person_level_follows: false,
    })
}

fn distinct(data: &Dataset, column: impl Iterator<Item = Option<Label>>) -> Vec<String> {
    let mut values: Vec<String> = column
        .flatten()
        .map(|l| data.text.text(l).to_string())
        .collect();
    values.sort();
    values.dedup();
    values
}

/// The choices for each filter.
pub fn filter_options(data: &Dataset) -> FilterOptions {
    let people = &data.people;
    let dates = people
        .start_date
        .iter()
        .chain(people.end_date.iter().flatten())
        .chain(&data.outcomes.date)
        .chain(&data.events.date)
        .chain(&data.goals.review_date)
        .chain(&data.status.date)
        .chain(&data.feedback.date);
    let (first_date, last_date) = dates.fold((None, None), |(lo, hi), d| {
        (
            Some(lo.map_or(*d, |l: NaiveDate| l.min(*d))),
            Some(hi.map_or(*d, |h: NaiveDate| h.max(*d))),
        )
    });
    FilterOptions {
        pathways: distinct(data, people.pathway.iter().map(|l| Some(*l))),
        teams: distinct(data, people.team.iter().copied()),
        coordinators: distinct(data, people.coordinator.iter().copied()),
        age_bands: distinct(data, people.age_band.iter().copied()),
        sexes: distinct(data, people.sex.iter().copied()),
        ethnicities: distinct(data, people.ethnicity.iter().copied()),
        first_date,
        last_date,
    }
}

/// A code from an export in plain words: "attended_appointment" reads "Attended appointment".
pub fn plain_words(code: &str) -> String {
    let spaced = code.replace(['_', '-'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One person's records from every table, in date order; `None` when no person has this ID.
/// The ID is matched exactly, or else ignoring case (IDs typed by hand).
pub fn person_timeline(
    data: &Dataset,
    person_id: &str,
    analysis: &waymark_core::analysis::AnalysisConfig,
) -> Option<Vec<TimelineEntry>> {
    let ids = &data.people.person;
    let p = ids
        .iter()
        .position(|k| data.person_ids.text(*k) == person_id)
        .or_else(|| {
            ids.iter()
                .position(|k| data.person_ids.text(*k).eq_ignore_ascii_case(person_id))
        })?;
    let key = *data.people.person.get(p)?;
    let text = |l| data.text.text(l).to_string();
    let mut timeline = Vec::new();
    let entry = |date: NaiveDate, what: &str, detail: String| TimelineEntry {
        date,
        what: what.to_string(),
        detail,
        lane: lane_of(what).to_string(),
        score: None,
        emphasis: false,
    };
    let people = &data.people;
    if let Some(start) = people.start_date.get(p) {
        let pathway = people.pathway.get(p).map(|l| text(*l)).unwrap_or_default();
        let team = people
            .team
            .get(p)
            .copied()
            .flatten()
            .map(text)
            .unwrap_or_default();
        timeline.push(entry(*start, "Start", format!("{pathway} ({team})")));
    }
    if let Some(end) = people.end_date.get(p).copied().flatten() {
        timeline.push(entry(end, "End", "Discharged".into()));
    }
    let o = &data.outcomes;
    for r in (0..o.person.len()).filter(|r| o.person[*r] == key) {
        timeline.push(TimelineEntry {
            lane: text(o.measure[r]),
            score: Some(o.score[r]),
            ..entry(
                o.date[r],
                "Score",
                format!("{} {}", text(o.measure[r]), o.score[r]),
            )
        });
    }
    let e = &data.events;
    for r in (0..e.person.len()).filter(|r| e.person[*r] == key) {
        let follow = e.follow_up[r]
            .map(|f| format!(" — {}", plain_words(&text(f))))
            .unwrap_or_default();
        let quantity = if e.quantity[r] == 1.0 {
            String::new()
        } else {
            format!(" ×{}", e.quantity[r])
        };
        let event_type = text(e.event_type[r]);
        let emphasis = matches!(
            analysis.event_kinds.classify(&event_type),
            Some(EventKind::Crisis | EventKind::EdAttendance | EventKind::Admission)
        );
        timeline.push(TimelineEntry {
            emphasis,
            ..entry(
                e.date[r],
                "Event",
                format!("{}{quantity}{follow}", plain_words(&event_type)),
            )
        });
    }
    let g = &data.goals;
    for r in (0..g.person.len()).filter(|r| g.person[*r] == key) {
        let plan = match g.plan_changed[r] {
            Some(true) => ", plan changed",
            Some(false) => ", plan unchanged",
            None => "",
        };
        let goal = g.description[r]
            .map(text)
            .unwrap_or_else(|| text(g.goal_id[r]));
        timeline.push(entry(
            g.review_date[r],
            "Goal review",
            format!("{goal}: rating {}{plan}", g.rating[r]),
        ));
    }
    let s = &data.status;
    for r in (0..s.person.len()).filter(|r| s.person[*r] == key) {
        timeline.push(entry(
            s.date[r],
            "Status",
            format!(
                "{}: {}",
                plain_words(&text(s.indicator[r])),
                plain_words(&text(s.value[r]))
            ),
        ));
    }
    let f = &data.feedback;
    for r in (0..f.person.len()).filter(|r| f.person[*r] == key) {
        let rating = f.self_rating[r]
            .map(|x| format!("own rating {x}; "))
            .unwrap_or_default();
        timeline.push(entry(
            f.date[r],
            "Feedback",
            format!("{rating}{}", f.text[r].map(text).unwrap_or_default()),
        ));
    }
    // Stable: same-day records keep the table order above.
    timeline.sort_by_key(|t| t.date);
    Some(timeline)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::protocol::{decode, encode, Response};
    use waymark_core::demo::{self, DemoParams};
    use waymark_core::filter::{filter_people, PeopleFilter};
    use waymark_core::ingest;

    fn demo_data() -> (waymark_core::Ingested, Config) {
        let params = DemoParams::default();
        let data = demo::generate(&params);
        let files = data.input_files();
        let mut config = Config::default();
        config.analysis.reference_date = Some(params.reference_date);
        (ingest(&files, &config.mapping), config)
    }

    /// The snapshot of the whole demo dataset (also used by the page state's tests).
    pub(crate) fn demo_snapshot() -> Snapshot {
        let (ingested, config) = demo_data();
        build(
            "demo".into(),
            &ingested.dataset,
            &ingested.dataset,
            &ingested.report,
            &config,
        )
        .unwrap()
    }

    #[test]
    fn a_snapshot_survives_the_trip_to_the_page_unchanged() {
        let snapshot = demo_snapshot();
        let message = Response::Loaded(Box::new(snapshot.clone()));
        let back: Response = decode(&encode(&message).unwrap()).unwrap();
        let Response::Loaded(back) = back else {
            panic!("a different message came back")
        };
        // Analysis has no meaningful equality (floats and all): compare the JSON the report
        // and the analyses write, which covers every field.
        let json = |s: &Snapshot| {
            (
                serde_json::to_string(&s.report).unwrap(),
                serde_json::to_string(&s.analysis).unwrap(),
                serde_json::to_string(&s.value).unwrap(),
                serde_json::to_string(&s.validation).unwrap(),
            )
        };
        assert_eq!(json(&back), json(&snapshot));
        assert!(snapshot.analysis.is_some() && snapshot.value.is_some());
        assert_eq!(back.person_ids, snapshot.person_ids);
        assert_eq!(back.filter_options, snapshot.filter_options);
        assert_eq!(
            serde_json::to_string(&back.config).unwrap(),
            serde_json::to_string(&snapshot.config).unwrap()
        );
    }

    /// The analysis sent in two messages (the rest first, then the person-level lists) comes
    /// back whole, and the first message is the smaller (at a million events, 4.7 MB fell to
    /// under 1 MB, measured with `tests/bench/app-load.mjs`).
    #[test]
    fn person_level_lists_follow_and_fit_back_in_place() {
        let whole = demo_snapshot();
        let mut first = whole.clone();
        let person_level = PersonLevel::split_off(&mut first, 7).unwrap();
        assert!(first.person_level_follows && first.generation == 7);
        let analysis = first.analysis.as_ref().unwrap();
        assert!(
            !person_level.outcomes.is_empty()
                && !person_level.discordant_cases.is_empty()
                && !person_level.stability.is_empty()
                && !person_level.goals.is_empty()
                && !person_level.gas_t_scores.is_empty(),
            "the demo data have every kind of person-level detail"
        );
        assert!(analysis.outcomes.people.is_empty() && analysis.narrative.cases.is_empty());
        let first_bytes = encode(&Response::Loaded(Box::new(first.clone()))).unwrap();
        let then_bytes = encode(&Response::PersonLevel(Box::new(person_level))).unwrap();
        let whole_bytes = encode(&Response::Loaded(Box::new(whole.clone()))).unwrap();
        assert!(
            first_bytes.len() < whole_bytes.len(),
            "{} of {} bytes",
            first_bytes.len(),
            whole_bytes.len()
        );
        let (Response::Loaded(back), Response::PersonLevel(then)) =
            (decode(&first_bytes).unwrap(), decode(&then_bytes).unwrap())
        else {
            panic!("different messages came back")
        };
        assert_eq!(then.generation, 7);
        let mut analysis = back.analysis.unwrap();
        then.put_into(&mut analysis);
        assert_eq!(
            serde_json::to_string(&analysis).unwrap(),
            serde_json::to_string(&whole.analysis.unwrap()).unwrap()
        );
    }

    /// The positional encoding needs every field present: a `skip_serializing_if` on any core
    /// type (the demo generator's own types never cross) would shift the fields after it.
    #[test]
    fn no_core_type_skips_fields_when_serialised() {
        fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    visit(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.components().any(|c| c.as_os_str() == "demo")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .contains(concat!("skip_serializing", "_if"))
                {
                    found.push(path.display().to_string());
                }
            }
        }
        let core =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/waymark-core/src");
        let mut found = Vec::new();
        visit(&core, &mut found);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn person_ids_follow_the_filtered_rows_the_analyses_number() {
        let (ingested, mut config) = demo_data();
        let pathway = filter_options(&ingested.dataset).pathways[1].clone();
        config.filter = PeopleFilter {
            pathways: vec![pathway],
            ..PeopleFilter::default()
        };
        let filtered = filter_people(&ingested.dataset, &config.filter);
        let ids = build(
            "demo".into(),
            &ingested.dataset,
            &filtered,
            &ingested.report,
            &config,
        )
        .unwrap()
        .person_ids;
        let expected: Vec<String> = filtered
            .people
            .person
            .iter()
            .map(|k| filtered.person_ids.text(*k).to_string())
            .collect();
        assert_eq!(ids, expected);
        assert!(ids.len() < ingested.dataset.people.person.len() && !ids.is_empty());
    }

    /// The value view's answers come from the same step as the pipeline's figure: with the
    /// configured settings they are the same, period cap included.
    #[test]
    fn cost_avoidance_on_request_matches_the_analysis() {
        let (ingested, mut config) = demo_data();
        config.filter.period_to = chrono::NaiveDate::from_ymd_opt(2026, 3, 31);
        config.value.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
        let filtered = filter_people(&ingested.dataset, &config.filter);
        let snapshot = build(
            "demo".into(),
            &ingested.dataset,
            &filtered,
            &ingested.report,
            &config,
        )
        .unwrap();
        let date = snapshot.analysis.as_ref().unwrap().reference_date;
        let answer =
            waymark_core::config::value_for(&filtered, &config.value, &config.filter, date)
                .unwrap();
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            serde_json::to_string(&snapshot.value).unwrap()
        );
        assert_eq!(
            Some(answer.settings.reference_date),
            config.filter.period_to
        );
    }

    #[test]
    fn a_timeline_lists_every_table_in_date_order_and_unknown_ids_give_none() {
        let (ingested, _) = demo_data();
        let data = &ingested.dataset;
        let id = data.person_ids.text(data.people.person[0]).to_string();
        let timeline = person_timeline(data, &id, &Config::default().analysis).unwrap();
        assert!(timeline.windows(2).all(|w| w[0].date <= w[1].date));
        // Events before support (the "before" of cost avoidance) come before the start.
        let starts: Vec<_> = timeline.iter().filter(|t| t.what == "Start").collect();
        assert_eq!(starts.len(), 1);
        assert_eq!(starts[0].date, data.people.start_date[0]);
        let key = data.people.person[0];
        let scores = data.outcomes.person.iter().filter(|k| **k == key).count();
        assert_eq!(
            timeline.iter().filter(|t| t.what == "Score").count(),
            scores
        );
        assert!(person_timeline(data, "no such person", &Config::default().analysis).is_none());
        // IDs typed by hand are found whatever their case.
        assert_eq!(
            person_timeline(data, &id.to_lowercase(), &Config::default().analysis),
            Some(timeline.clone())
        );
        // Codes read as words, and a single event has no "×1".
        assert!(timeline
            .iter()
            .filter(|t| t.what == "Event" || t.what == "Status")
            .all(|t| !t.detail.contains('_') && !t.detail.contains("×1 ")));
        assert_eq!(plain_words("attended_appointment"), "Attended appointment");
        assert_eq!(plain_words(""), "");
    }

    #[test]
    fn filter_options_are_sorted_and_bound_the_dates() {
        let (ingested, _) = demo_data();
        let options = filter_options(&ingested.dataset);
        assert!(options.pathways.windows(2).all(|w| w[0] < w[1]));
        let (first, last) = (options.first_date.unwrap(), options.last_date.unwrap());
        assert!(first < last);
        assert!(ingested
            .dataset
            .events
            .date
            .iter()
            .all(|d| first <= *d && *d <= last));
    }
}
