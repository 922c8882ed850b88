//! The app's state as a pure reducer: actions in, new state out. No I/O here.

use std::rc::Rc;
use waymark_core::ValidationReport;
use yew::Reducible;

/// Where the app is in its one job so far: loading files and showing what was found.
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

#[derive(Clone, Debug, Default)]
pub struct AppState {
    pub phase: Phase,
    /// The source of the current data, shown above the results ("demo data" or file names).
    pub source: String,
    pub report: Option<Rc<ValidationReport>>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.phase == other.phase
            && self.source == other.source
            && match (&self.report, &other.report) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

pub enum Action {
    StartReading {
        n_files: usize,
    },
    Loaded {
        source: String,
        report: ValidationReport,
    },
    Fail(String),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            Action::StartReading { n_files } => AppState {
                phase: Phase::Reading { n_files },
                ..(*self).clone()
            },
            Action::Loaded { source, report } => AppState {
                phase: Phase::Ready,
                source,
                report: Some(Rc::new(report)),
            },
            Action::Fail(message) => AppState {
                phase: Phase::Failed(message),
                ..(*self).clone()
            },
        };
        Rc::new(next)
    }
}
