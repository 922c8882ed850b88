//! The app's state as a pure reducer: actions in, new state out. No I/O here.

use std::rc::Rc;
use waymark_core::analysis::Analysis;
use waymark_core::report::Report;
use waymark_core::value::cost_avoidance::CostAvoidance;
use waymark_core::{Dataset, ValidationReport};
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
    Narrative,
    Value,
    Pathways,
    Person,
    Data,
    Privacy,
}

impl View {
    pub const ALL: [View; 10] = [
        View::Overview,
        View::Direction,
        View::Stability,
        View::Goals,
        View::Narrative,
        View::Value,
        View::Pathways,
        View::Person,
        View::Data,
        View::Privacy,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Direction => "direction",
            View::Stability => "stability",
            View::Goals => "goals",
            View::Narrative => "narrative",
            View::Value => "value",
            View::Pathways => "pathways",
            View::Person => "person",
            View::Data => "data",
            View::Privacy => "privacy",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Direction => "Direction of travel",
            View::Stability => "Stability and early warning",
            View::Goals => "Goals and reviews",
            View::Narrative => "Numbers with narrative",
            View::Value => "Value",
            View::Pathways => "Pathways",
            View::Person => "Person",
            View::Data => "Data quality",
            View::Privacy => "How your data is protected",
        }
    }

    /// The view named by a URL hash such as `#goals`; unknown hashes give the overview.
    pub fn from_hash(hash: &str) -> View {
        let slug = hash.trim_start_matches('#');
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
    },
    Ready,
    Failed(String),
}

/// Everything computed from one set of files. Never changes once built, so identity is
/// equality.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The source of the data, shown above the results ("demo data" or file names).
    pub source: String,
    pub report: Rc<Report>,
    pub validation: Rc<ValidationReport>,
    pub analysis: Option<Rc<Analysis>>,
    pub value: Option<Rc<CostAvoidance>>,
    pub dataset: Rc<Dataset>,
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    pub phase: Phase,
    pub view: View,
    pub loaded: Option<Loaded>,
}

pub enum Action {
    StartReading { n_files: usize },
    Loaded(Loaded),
    Fail(String),
    Show(View),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let current = (*self).clone();
        let next = match action {
            Action::StartReading { n_files } => AppState {
                phase: Phase::Reading { n_files },
                ..current
            },
            Action::Loaded(loaded) => AppState {
                phase: Phase::Ready,
                loaded: Some(loaded),
                ..current
            },
            Action::Fail(message) => AppState {
                phase: Phase::Failed(message),
                ..current
            },
            Action::Show(view) => AppState { view, ..current },
        };
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_round_trip_and_unknown_ones_fall_back_to_the_overview() {
        for view in View::ALL {
            assert_eq!(View::from_hash(&format!("#{}", view.slug())), view);
        }
        assert_eq!(View::from_hash("#nonsense"), View::Overview);
        assert_eq!(View::from_hash(""), View::Overview);
    }
}
