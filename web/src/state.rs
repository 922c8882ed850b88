//! The app's state as a pure reducer: actions in, new state out. No I/O here.
//!
//! The reducer owns every state the page is in with the engine: loading, restoring settings,
//! re-analysing for the URL's filter or new settings, looking up a person. It decides each
//! request ([`AppState::asked`], [`AppState::person`]); `main` only posts what it decided and
//! turns the engine's replies into [`Action::Reply`]. One rule keeps replies in order: every
//! request carries a generation number, handed out here ([`AppState::generation`]), and a reply
//! whose generation is not the current one for what it answers is dropped (see
//! [`AppState::is_current`]).

use crate::engine::protocol::{Progress, Request, Response};
use crate::engine::snapshot::{FilterOptions, PersonLevel, Snapshot, TimelineEntry};
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
    /// The generation of the request this analysis answers: two analyses never share one, so
    /// effects can tell them apart, and its person-level lists carry it.
    pub generation: u64,
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
        if person_level.generation != self.generation || !self.person_level_pending {
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

impl From<Snapshot> for Loaded {
    fn from(s: Snapshot) -> Loaded {
        Loaded {
            generation: s.generation,
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
    /// The last generation handed out: each request to the engine takes the next.
    pub generation: u64,
    /// The last load, re-analysis or cancel asked of the engine: replies about an analysis
    /// count only when they carry its generation.
    pub asked: Option<Asked>,
    /// Settings restored from a file, asked for under `generation`: until the engine accepts
    /// them, the URL's filter is not followed; once it has, their filter becomes the page's
    /// (and `main` puts it in the URL). A refusal ends it with nothing changed.
    pub restoring: Option<(u64, PeopleFilter)>,
    /// The URL's filter last asked for, with the generation of the data it was asked on: asked
    /// once per data and filter, so a filter the engine refuses (a period ending before it
    /// starts) is reported once, not retried forever.
    pub filter_asked: Option<(u64, PeopleFilter)>,
    /// The person the person view shows, and the engine's answer.
    pub person: Option<PersonLookup>,
}

/// A request for an analysis (or to stop one), with the files that go with a load.
#[derive(Clone, Debug)]
pub struct Asked {
    pub generation: u64,
    pub request: Request,
    pub files: Rc<Vec<gloo::file::File>>,
}

impl PartialEq for Asked {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

/// The person view's question: whose timeline, asked under which generation, and the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonLookup {
    pub generation: u64,
    pub person: String,
    pub answer: Lookup,
}

/// The engine's answer about one person.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    Waiting,
    /// No person with this ID in the people table.
    Unknown,
    Found(Rc<Vec<TimelineEntry>>),
}

/// What a reply answers, for [`AppState::is_current`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answers {
    /// The last load, re-analysis or cancel ([`AppState::asked`]).
    Analysis,
    /// The analysis on screen (its person-level lists).
    Shown,
    /// The person view's question ([`AppState::person`]).
    Person,
}

impl AppState {
    /// Whether a reply made under `generation` answers what the page waits for now. The one
    /// staleness rule: anything else is dropped.
    pub fn is_current(&self, answers: Answers, generation: u64) -> bool {
        let current = match answers {
            Answers::Analysis => self.asked.as_ref().map(|a| a.generation),
            Answers::Shown => self.loaded.as_ref().map(|l| l.generation),
            Answers::Person => self.person.as_ref().map(|p| p.generation),
        };
        current == Some(generation)
    }

    /// This state asking the engine for `request` (built from its new generation).
    fn ask(self, request: impl FnOnce(u64) -> Request, files: Vec<gloo::file::File>) -> AppState {
        let generation = self.generation + 1;
        AppState {
            generation,
            asked: Some(Asked {
                generation,
                request: request(generation),
                files: Rc::new(files),
            }),
            ..self
        }
    }

    /// This state re-analysing the held data with `config`.
    fn reanalyse(self, config: Config) -> AppState {
        AppState {
            phase: Phase::Updating,
            ..self
        }
        .ask(
            |generation| Request::Reanalyse { generation, config },
            Vec::new(),
        )
    }

    /// This state asking for `person`'s timeline under a new generation (an earlier question's
    /// answer is then dropped).
    fn look_up(self, person: String) -> AppState {
        let generation = self.generation + 1;
        AppState {
            generation,
            person: Some(PersonLookup {
                generation,
                person,
                answer: Lookup::Waiting,
            }),
            ..self
        }
    }

    /// On the person view with data, someone is looked up: the one the URL names, else the one
    /// already chosen, else the first analysed.
    fn person_view_followed(self) -> AppState {
        if self.view != View::Person || self.person.is_some() || self.loaded.is_none() {
            return self;
        }
        let first = self
            .loaded
            .as_ref()
            .and_then(|l| l.person_ids.first().cloned());
        match self.target.clone().or(first) {
            Some(person) => self.look_up(person),
            None => self,
        }
    }

    /// Asks for the URL's filter when it differs from the one the data were analysed with;
    /// not while a load, a re-analysis or a restore is under way (the result is compared again
    /// when it arrives), and once per data and filter.
    fn filter_followed(self) -> AppState {
        let Some(loaded) = &self.loaded else {
            return self;
        };
        let busy = matches!(self.phase, Phase::Reading { .. } | Phase::Updating);
        let key = (loaded.generation, self.filter.clone());
        if busy
            || self.restoring.is_some()
            || loaded.config.filter == self.filter
            || self.filter_asked.as_ref() == Some(&key)
        {
            return self;
        }
        let config = Config {
            filter: self.filter.clone(),
            ..(*loaded.config).clone()
        };
        AppState {
            filter_asked: Some(key),
            ..self
        }
        .reanalyse(config)
    }

    /// A reply from the engine, if it is current (anything else is dropped).
    fn replied(self, response: Response) -> AppState {
        match response {
            Response::Ready => AppState {
                engine_ready: true,
                ..self
            },
            Response::Reading {
                generation,
                n_files,
                total_bytes,
            } if self.is_current(Answers::Analysis, generation) => AppState {
                phase: Phase::Reading {
                    n_files,
                    progress: Progress {
                        total_bytes,
                        ..Progress::default()
                    },
                },
                ..self
            },
            Response::Progress {
                generation,
                progress,
            } if self.is_current(Answers::Analysis, generation) => match self.phase {
                Phase::Reading { n_files, .. } => AppState {
                    phase: Phase::Reading { n_files, progress },
                    ..self
                },
                _ => self,
            },
            Response::Cancelled { generation }
                if self.is_current(Answers::Analysis, generation) =>
            {
                AppState {
                    phase: if self.loaded.is_some() {
                        Phase::Ready
                    } else {
                        Phase::Cancelled
                    },
                    ..self
                }
            }
            Response::Loaded(snapshot)
                if self.is_current(Answers::Analysis, snapshot.generation) =>
            {
                let loaded = Loaded::from(*snapshot).presenting(self.presentation);
                // Restored settings, accepted: their filter is the page's now.
                let filter = match &self.restoring {
                    Some((generation, filter)) if *generation == loaded.generation => {
                        filter.clone()
                    }
                    _ => self.filter.clone(),
                };
                // New data: the person shown is looked up again in them.
                let person = self.person.as_ref().map(|p| p.person.clone());
                let next = AppState {
                    phase: Phase::Ready,
                    loaded: Some(loaded),
                    restoring: None,
                    filter,
                    person: None,
                    ..self
                };
                match person {
                    Some(person) => next.look_up(person),
                    None => next.person_view_followed(),
                }
            }
            Response::PersonLevel(person_level)
                if self.is_current(Answers::Shown, person_level.generation) =>
            {
                match self
                    .loaded
                    .as_ref()
                    .and_then(|loaded| loaded.with_person_level(*person_level))
                {
                    Some(loaded) => AppState {
                        loaded: Some(loaded),
                        ..self
                    },
                    None => self,
                }
            }
            Response::Failed {
                generation: Some(generation),
                message,
            } if self.is_current(Answers::Analysis, generation) => self.failed(message),
            Response::Failed {
                generation: None,
                message,
            } => self.failed(message),
            Response::Person {
                generation,
                person,
                timeline,
            } if self.is_current(Answers::Person, generation) => AppState {
                person: Some(PersonLookup {
                    generation,
                    person,
                    answer: match timeline {
                        Some(timeline) => Lookup::Found(Rc::new(timeline)),
                        None => Lookup::Unknown,
                    },
                }),
                ..self
            },
            // A reply to a request the page no longer waits for.
            _ => self,
        }
    }

    /// A failure: shown, and a restore under way ends with nothing changed.
    fn failed(self, message: String) -> AppState {
        AppState {
            phase: Phase::Failed(message),
            restoring: None,
            ..self
        }
    }
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
    /// Read these files (chosen or dropped) with the default settings.
    Load(Vec<gloo::file::File>),
    /// Analyse the built-in demo data.
    LoadDemo,
    /// Stop the load in progress.
    Cancel,
    /// Analyse the loaded data again with these settings (the value view, the report settings,
    /// a new mapping or format profile).
    Reanalyse(Config),
    /// Settings read from a file, to apply to the loaded data.
    RestoreSettings(Config),
    /// Show this person's timeline.
    LookUpPerson(String),
    /// A message from the engine.
    Reply(Response),
    /// Something the page itself could not do, in plain words.
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
            Action::Load(files) => current.ask(
                |generation| Request::Load {
                    generation,
                    config: Config::default(),
                },
                files,
            ),
            Action::LoadDemo => current.ask(|generation| Request::Demo { generation }, Vec::new()),
            Action::Cancel => current.ask(|generation| Request::Cancel { generation }, Vec::new()),
            Action::Reanalyse(config) => current.reanalyse(config),
            Action::RestoreSettings(config) => {
                if current.loaded.is_none() {
                    current.failed("Load data before restoring settings.".into())
                } else {
                    let filter = config.filter.clone();
                    let next = current.reanalyse(config);
                    AppState {
                        restoring: Some((next.generation, filter)),
                        ..next
                    }
                }
            }
            Action::LookUpPerson(person) => current.look_up(person),
            Action::Reply(response) => current.replied(response),
            Action::Fail(message) => current.failed(message),
            Action::SetPresentation(on) => AppState {
                presentation: on,
                loaded: current.loaded.as_ref().map(|l| l.presenting(on)),
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
                // A link to a person opens them; leaving the person view forgets who was shown.
                let person = match (&target, view) {
                    (_, v) if v != View::Person => None,
                    (Some(id), _) if current.target.as_ref() != Some(id) => None,
                    _ => current.person.clone(),
                };
                AppState {
                    view,
                    filter,
                    target,
                    person,
                    phase: if settled {
                        Phase::Ready
                    } else {
                        current.phase.clone()
                    },
                    ..current
                }
                .person_view_followed()
            }
        };
        Rc::new(next.filter_followed())
    }
}

#[cfg(test)]
mod tests;
