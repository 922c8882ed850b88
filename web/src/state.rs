//! The app's state as a pure reducer: actions in, new state out. No I/O here.

use crate::engine::protocol::Progress;
use crate::engine::snapshot::{FilterOptions, PersonLevel, Snapshot};
use std::rc::Rc;
use waymark_core::analysis::Analysis;
use waymark_core::config::Config;
use waymark_core::filter::PeopleFilter;
use waymark_core::report::governance::GovernanceReport;
use waymark_core::report::Report;
use waymark_core::value::cost_avoidance::CostAvoidance;
use waymark_core::ValidationReport;
use yew::Reducible;

/// The views of the app, each with its own URL hash (`#overview`); the hash holds the view and
/// never any data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Overview,
    Direction,
    Stability,
    Goals,
    Governance,
    Narrative,
    Value,
    Pathways,
    Person,
    Data,
    Privacy,
    Methods,
}

impl View {
    pub const ALL: [View; 12] = [
        View::Overview,
        View::Direction,
        View::Stability,
        View::Goals,
        View::Governance,
        View::Narrative,
        View::Value,
        View::Pathways,
        View::Person,
        View::Data,
        View::Privacy,
        View::Methods,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Direction => "direction",
            View::Stability => "stability",
            View::Goals => "goals",
            View::Governance => "governance",
            View::Narrative => "narrative",
            View::Value => "value",
            View::Pathways => "pathways",
            View::Person => "person",
            View::Data => "data",
            View::Privacy => "privacy",
            View::Methods => "methods",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Direction => "Direction of travel",
            View::Stability => "Stability and early warning",
            View::Goals => "Goals and reviews",
            View::Governance => "Team and coordinator governance",
            View::Narrative => "Numbers with narrative",
            View::Value => "Value",
            View::Pathways => "Pathways",
            View::Person => "Person",
            View::Data => "Data quality",
            View::Privacy => "How your data is protected",
            View::Methods => "How each figure is worked out",
        }
    }

    /// The name in the navigation bar: short, so every view fits one line at 1366px.
    pub fn nav_title(self) -> &'static str {
        match self {
            View::Direction => "Direction of travel",
            View::Stability => "Stability",
            View::Goals => "Goals",
            View::Governance => "Governance",
            View::Narrative => "Narrative",
            View::Privacy => "Privacy",
            _ => self.title(),
        }
    }

    /// Whether the navigation bar lists this view: the methods page is reached from the footer
    /// and from each figure's "How is this worked out?" link instead.
    pub fn in_nav(self) -> bool {
        self != View::Methods
    }

    /// The target a URL hash asks this view to open (see [`hash_with`]).
    pub fn target_from_hash(self, hash: &str) -> Option<String> {
        match self {
            View::Direction | View::Methods => hash_param(hash, "show"),
            View::Person => hash_param(hash, "id"),
            _ => None,
        }
    }

    /// The view named by a URL hash such as `#goals` or `#goals?pathway=Step-down`; unknown
    /// hashes give the overview.
    pub fn from_hash(hash: &str) -> View {
        let slug = hash
            .trim_start_matches('#')
            .split('?')
            .next()
            .unwrap_or_default();
        View::ALL
            .into_iter()
            .find(|v| v.slug() == slug)
            .unwrap_or_default()
    }
}

/// Where the app is in loading data.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Phase {
    #[default]
    Empty,
    Reading {
        n_files: usize,
        progress: Progress,
    },
    /// The user stopped a load; the previous data (if any) stay.
    Cancelled,
    Ready,
    /// Analysing the loaded data again with a new filter or settings; the views show the
    /// previous results until the new ones arrive.
    Updating,
    Failed(String),
}

/// Everything computed from one set of files, as the engine sent it. Never changes once
/// built, so identity is equality.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The source of the data, shown above the results ("demo data" or file names).
    pub source: String,
    /// Under disclosure control: every download, print and widget is made from this.
    pub export_report: Rc<Report>,
    /// Exact counts, for the user's own eyes.
    pub screen_report: Rc<Report>,
    /// The governance pack under disclosure control (its download) and with exact counts;
    /// [`Loaded::governance`] picks the one to show, as [`Loaded::report`] does.
    pub export_governance: Option<Rc<GovernanceReport>>,
    pub screen_governance: Option<Rc<GovernanceReport>>,
    /// Presentation mode: the export rules apply on screen too (for screen-sharing), and
    /// person-level lists are hidden so no exact list sits under a rounded figure.
    pub presentation: bool,
    pub validation: Rc<ValidationReport>,
    pub analysis: Option<Rc<Analysis>>,
    pub value: Option<Rc<CostAvoidance>>,
    /// The pseudonymous ID of each analysed person, by the analyses' person number.
    pub person_ids: Rc<Vec<String>>,
    pub filter_options: Rc<FilterOptions>,
    pub config: Rc<Config>,
    /// Whether a new mapping can be applied (the engine still holds the files).
    pub can_remap: bool,
    pub previews: Rc<Vec<waymark_core::FilePreview>>,
    /// Numbers each analysis the page receives, so effects can tell two apart.
    pub generation: u64,
    /// The engine's number for this analysis, which its person-level lists carry.
    pub load: u64,
    /// The person-level lists (per-person change, cases to reconcile, people flagged, static
    /// plans, GAS T-scores) have not arrived yet: the views that list them say so.
    pub person_level_pending: bool,
}

impl Loaded {
    /// This analysis shown with or without the export rules on screen.
    pub fn presenting(&self, presentation: bool) -> Loaded {
        Loaded {
            presentation,
            ..self.clone()
        }
    }

    /// The report the views show: exact, or controlled in presentation mode.
    pub fn report(&self) -> &Rc<Report> {
        if self.presentation {
            &self.export_report
        } else {
            &self.screen_report
        }
    }

    /// The governance pack the view shows: exact, or controlled in presentation mode.
    pub fn governance(&self) -> Option<&Rc<GovernanceReport>> {
        if self.presentation {
            self.export_governance.as_ref()
        } else {
            self.screen_governance.as_ref()
        }
    }

    /// This analysis with its person-level lists, when they belong to it.
    pub fn with_person_level(&self, person_level: PersonLevel) -> Option<Loaded> {
        if person_level.load != self.load || !self.person_level_pending {
            return None;
        }
        let mut analysis = Analysis::clone(self.analysis.as_ref()?);
        person_level.put_into(&mut analysis);
        Some(Loaded {
            analysis: Some(Rc::new(analysis)),
            person_level_pending: false,
            ..self.clone()
        })
    }
}

thread_local! {
    static GENERATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl From<Snapshot> for Loaded {
    fn from(s: Snapshot) -> Loaded {
        let generation = GENERATIONS.with(|g| {
            g.set(g.get() + 1);
            g.get()
        });
        Loaded {
            generation,
            source: s.source,
            export_report: Rc::new(s.report),
            screen_report: Rc::new(s.screen_report),
            export_governance: s.governance.map(Rc::new),
            screen_governance: s.screen_governance.map(Rc::new),
            presentation: false,
            validation: Rc::new(s.validation),
            analysis: s.analysis.map(Rc::new),
            value: s.value.map(Rc::new),
            person_ids: Rc::new(s.person_ids),
            filter_options: Rc::new(s.filter_options),
            config: Rc::new(s.config),
            can_remap: s.can_remap,
            previews: Rc::new(s.previews),
            load: s.load,
            person_level_pending: s.person_level_follows,
        }
    }
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        let same_analysis = match (&self.analysis, &other.analysis) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.presentation == other.presentation
            && Rc::ptr_eq(&self.screen_report, &other.screen_report)
            && same_analysis
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    pub phase: Phase,
    pub view: View,
    /// The filter the URL asks for; the analysis is re-run when it differs from the loaded one.
    pub filter: PeopleFilter,
    pub loaded: Option<Loaded>,
    /// The engine (worker or inline) has started and its assets are loaded.
    pub engine_ready: bool,
    /// Presentation mode (see [`Loaded::presentation`]); kept across new analyses.
    pub presentation: bool,
    /// What the URL asks the view to open: a chart (`#direction?show=crisis_rate`) or a person
    /// (`#person?id=P001`).
    pub target: Option<String>,
}

/// Filter keys in the URL hash, each repeatable.
const FILTER_KEYS: [&str; 6] = ["pathway", "team", "coordinator", "age", "sex", "ethnicity"];

fn filter_list<'a>(filter: &'a mut PeopleFilter, key: &str) -> Option<&'a mut Vec<String>> {
    match key {
        "pathway" => Some(&mut filter.pathways),
        "team" => Some(&mut filter.teams),
        "coordinator" => Some(&mut filter.coordinators),
        "age" => Some(&mut filter.age_bands),
        "sex" => Some(&mut filter.sexes),
        "ethnicity" => Some(&mut filter.ethnicities),
        _ => None,
    }
}

/// The filter in a hash such as `#overview?pathway=Step-down&team=North&from=2025-04-01`
/// (values percent-encoded; the period as ISO dates). Unknown keys and dates that are not
/// dates are ignored: the hash only ever holds settings, never data.
pub fn filter_from_hash(hash: &str) -> PeopleFilter {
    let mut filter = PeopleFilter::default();
    let query = hash.split_once('?').map(|(_, q)| q).unwrap_or_default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let date = || chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
        match key {
            "from" => filter.period_from = date(),
            "to" => filter.period_to = date(),
            _ => {}
        }
        if let Some(list) = filter_list(&mut filter, key) {
            let value = percent_decode(value);
            if !value.is_empty() && !list.contains(&value) {
                list.push(value);
            }
        }
    }
    filter
}

/// The hash for a view with a filter and extra keys the view reads (`show=crisis_rate` opens a
/// chart, `id=P001` a person); the filter ignores keys it does not know.
pub fn hash_with(view: View, filter: &PeopleFilter, extra: &[(&str, &str)]) -> String {
    let mut out = hash_for(view, filter);
    for (key, value) in extra {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(key);
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// The value of an extra key in a hash (see [`hash_with`]).
pub fn hash_param(hash: &str, wanted: &str) -> Option<String> {
    let query = hash.split_once('?').map(|(_, q)| q)?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == wanted).then(|| percent_decode(value))
    })
}

/// The hash for a view with a filter.
pub fn hash_for(view: View, filter: &PeopleFilter) -> String {
    let mut out = format!("#{}", view.slug());
    let mut first = true;
    let lists: [&Vec<String>; 6] = [
        &filter.pathways,
        &filter.teams,
        &filter.coordinators,
        &filter.age_bands,
        &filter.sexes,
        &filter.ethnicities,
    ];
    for (key, values) in FILTER_KEYS.iter().zip(lists) {
        for value in values {
            out.push(if first { '?' } else { '&' });
            first = false;
            out.push_str(key);
            out.push('=');
            out.push_str(&percent_encode(value));
        }
    }
    for (key, date) in [("from", filter.period_from), ("to", filter.period_to)] {
        if let Some(date) = date {
            out.push(if first { '?' } else { '&' });
            first = false;
            out.push_str(&format!("{key}={date}"));
        }
    }
    out
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub enum Action {
    StartReading {
        n_files: usize,
        total_bytes: u64,
    },
    Progress(Progress),
    /// A re-analysis of the loaded data has been asked for.
    Updating,
    EngineReady,
    Cancelled,
    Loaded(Loaded),
    /// The person-level lists of the loaded analysis (ignored if another has replaced it).
    PersonLevel(Box<PersonLevel>),
    Fail(String),
    /// The URL changed: show this view with this filter, opening this target.
    Navigate(View, PeopleFilter, Option<String>),
    /// Presentation mode on or off.
    SetPresentation(bool),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let current = (*self).clone();
        let next = match action {
            Action::StartReading {
                n_files,
                total_bytes,
            } => AppState {
                phase: Phase::Reading {
                    n_files,
                    progress: Progress {
                        total_bytes,
                        ..Progress::default()
                    },
                },
                ..current
            },
            Action::EngineReady => AppState {
                engine_ready: true,
                ..current
            },
            Action::Updating => AppState {
                phase: Phase::Updating,
                ..current
            },
            Action::Progress(progress) => match current.phase {
                Phase::Reading { n_files, .. } => AppState {
                    phase: Phase::Reading { n_files, progress },
                    ..current
                },
                _ => current,
            },
            Action::Cancelled => AppState {
                phase: if current.loaded.is_some() {
                    Phase::Ready
                } else {
                    Phase::Cancelled
                },
                ..current
            },
            Action::Loaded(loaded) => AppState {
                phase: Phase::Ready,
                loaded: Some(loaded.presenting(current.presentation)),
                ..current
            },
            Action::SetPresentation(on) => AppState {
                presentation: on,
                loaded: current.loaded.as_ref().map(|l| l.presenting(on)),
                ..current
            },
            Action::PersonLevel(person_level) => match current
                .loaded
                .as_ref()
                .and_then(|loaded| loaded.with_person_level(*person_level))
            {
                Some(loaded) => AppState {
                    loaded: Some(loaded),
                    ..current
                },
                None => current,
            },
            Action::Fail(message) => AppState {
                phase: Phase::Failed(message),
                ..current
            },
            Action::Navigate(view, filter, target) => {
                // Going back to the filter the figures are for settles a refused filter.
                let settled = matches!(current.phase, Phase::Failed(_))
                    && filter != current.filter
                    && current
                        .loaded
                        .as_ref()
                        .is_some_and(|loaded| loaded.config.filter == filter);
                AppState {
                    view,
                    filter,
                    target,
                    phase: if settled {
                        Phase::Ready
                    } else {
                        current.phase.clone()
                    },
                    ..current
                }
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Person-level lists join the analysis they were sent with, and only that one.
    #[test]
    fn person_level_lists_join_only_their_own_analysis() {
        use crate::engine::snapshot::{tests::demo_snapshot, PersonLevel};
        let mut snapshot = demo_snapshot();
        let person_level = PersonLevel::split_off(&mut snapshot, 3).unwrap();
        let loaded = Loaded::from(snapshot.clone());
        assert!(loaded.person_level_pending);
        let state = Rc::new(AppState {
            loaded: Some(loaded.clone()),
            ..AppState::default()
        });
        let stale = state
            .clone()
            .reduce(Action::PersonLevel(Box::new(PersonLevel {
                load: 2,
                ..person_level.clone()
            })));
        assert!(stale.loaded.as_ref().unwrap().person_level_pending);
        let joined = state.reduce(Action::PersonLevel(Box::new(person_level)));
        let joined = joined.loaded.as_ref().unwrap();
        assert!(!joined.person_level_pending);
        assert_ne!(joined, &loaded, "the views see a new analysis");
        assert_eq!(joined.generation, loaded.generation, "but not a new load");
        let analysis = joined.analysis.as_ref().unwrap();
        assert!(!analysis.outcomes.people.is_empty() && !analysis.narrative.cases.is_empty());
    }

    /// Presentation mode shows the export report on screen, survives a new analysis, and
    /// switching it off brings the exact counts back.
    #[test]
    fn presentation_mode_shows_the_export_rules_on_screen() {
        use crate::engine::snapshot::tests::demo_snapshot;
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
        let state =
            Rc::new(AppState::default()).reduce(Action::Loaded(Loaded::from(snapshot.clone())));
        let shown = |s: &AppState| warnings(s.loaded.as_ref().unwrap().report());
        assert_eq!(shown(&state), exact);
        let presenting = state.reduce(Action::SetPresentation(true));
        assert_eq!(shown(&presenting), controlled);
        let reloaded = presenting.reduce(Action::Loaded(Loaded::from(snapshot)));
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
        use crate::engine::snapshot::tests::demo_snapshot;
        let refused = PeopleFilter {
            period_from: chrono::NaiveDate::from_ymd_opt(2026, 5, 1),
            period_to: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
            ..PeopleFilter::default()
        };
        let state = Rc::new(AppState::default())
            .reduce(Action::Loaded(Loaded::from(demo_snapshot())))
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
}
