//! One component per view. Every number comes from the core's report (aggregates, under
//! disclosure control) or analysis (person-level detail, for the user's own eyes); nothing is
//! recomputed here.

pub mod direction;
pub mod goals;
pub mod narrative;
pub mod overview;
pub mod pathways;
pub mod person;
pub mod privacy;
pub mod stability;
pub mod value;

use crate::state::Loaded;
use waymark_core::report::direction::DirectionReport;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub loaded: Loaded,
}

/// A small figure with its label, as on a dashboard.
pub fn figure(label: &str, value: String, test_id: &str) -> Html {
    html! {
        <div class="figure" data-testid={test_id.to_string()}>
            <dt>{ label }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

/// The direction-of-travel report, or a note saying why there is none.
pub fn with_direction(loaded: &Loaded, body: impl FnOnce(&DirectionReport) -> Html) -> Html {
    match &loaded.report.direction_of_travel {
        Some(direction) => body(direction),
        None => {
            html! { <p class="verdict bad">{ "There is nothing to analyse yet: the people table is empty or missing." }</p> }
        }
    }
}

/// Person-level detail, or a note while it is still arriving: the engine sends each analysis's
/// person-level lists just after the rest, so the overview is drawn without waiting for them.
pub fn person_level(loaded: &Loaded, body: impl FnOnce() -> Html) -> Html {
    if loaded.person_level_pending {
        html! { <p class="note" role="status" data-testid="person-level-pending">{ "The person-level detail is still arriving from the analysis…" }</p> }
    } else {
        body()
    }
}

/// A person's pseudonymous ID from the analyses' person number (their row among the
/// analysed, filtered people).
pub fn person_id(loaded: &Loaded, person: usize) -> String {
    loaded.person_ids.get(person).cloned().unwrap_or_default()
}

pub fn fmt_opt(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v:.digits$}"))
}
