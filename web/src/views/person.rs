//! One person's timeline: scores, events, goals, status and feedback in date order. Person-level
//! detail for the user's own eyes; pseudonymous IDs as in the user's files.

use crate::engine::snapshot::{TimelineEntry, LANES};
use crate::state::{Loaded, Lookup, PersonLookup};
use chrono::Datelike;
use waymark_charts::{Chart, RenderOptions, TimelineChartData, TimelineLane, TimelineMark};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PersonProps {
    pub loaded: Loaded,
    /// Whose timeline is shown and the engine's answer: the app's state owns the question
    /// (`state::AppState::person`), this view renders it.
    pub lookup: Option<PersonLookup>,
    /// Another ID typed.
    pub on_look_up: Callback<String>,
}

#[function_component(Person)]
pub fn person(props: &PersonProps) -> Html {
    let loaded = &props.loaded;
    let chosen = props
        .lookup
        .as_ref()
        .map(|l| l.person.clone())
        .unwrap_or_default();
    let on_input = {
        let on_look_up = props.on_look_up.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_look_up.emit(input.value());
            }
        })
    };
    let answer = props.lookup.as_ref().map(|l| &l.answer);
    let answered = answer.is_some_and(|a| *a != Lookup::Waiting);
    let timeline: &[TimelineEntry] = match answer {
        Some(Lookup::Found(timeline)) => timeline,
        _ => &[],
    };
    let unknown = answer == Some(&Lookup::Unknown);
    // Found in the files but not among the people analysed: the filter leaves them out, and
    // the page says so rather than switching to someone else.
    let outside_filter = matches!(answer, Some(Lookup::Found(_)))
        && !loaded
            .person_ids
            .iter()
            .any(|id| id.eq_ignore_ascii_case(&chosen));
    html! {
        <section aria-labelledby="view-heading" data-testid="person" data-loaded={answered.to_string()}>
            <p class="note">{ "Person-level detail is shown for your own use and is never part of an export." }</p>
            <label class="nhsuk-label" for="person-id">{ "Person ID" }</label>
            <input class="nhsuk-input nhsuk-input--width-10" id="person-id" list="person-ids" value={chosen.clone()} oninput={on_input} />
            <datalist id="person-ids">{ for loaded.person_ids.iter().take(2000).map(|id| html! { <option value={id.clone()} /> }) }</datalist>
            if unknown { <p class="warning-text" data-testid="person-unknown">{ "No person with this ID in the people table." }</p> }
            if outside_filter { <p class="warning-text" data-testid="person-outside-filter">{ "This person is in your files but not among the people the current filter keeps: their records are shown here, and they are counted in no figure until the filter includes them." }</p> }
            if !timeline.is_empty() {
                // One person's records: drawn on screen only, with no download (the table
                // below is the same records as text).
                <figure class="chart" data-chart="person-timeline">
                    { Html::from_html_unchecked(AttrValue::from(
                        timeline_chart(&chosen, timeline).to_svg(&RenderOptions::new("person-timeline"))
                    )) }
                </figure>
            }
            <table class="nhsuk-table" data-testid="timeline">
                <caption class="nhsuk-table__caption">{ format!("Timeline of {} ({} entries)", chosen, timeline.len()) }</caption>
                <thead><tr><th scope="col">{ "Date" }</th><th scope="col">{ "What" }</th><th scope="col">{ "Detail" }</th></tr></thead>
                <tbody>{ for timeline.iter().map(|t| html! {
                    <tr><td>{ t.date.to_string() }</td><th scope="row">{ t.what.clone() }</th><td>{ t.detail.clone() }</td></tr>
                }) }</tbody>
            </table>
        </section>
    }
}

/// The timeline as a chart: a lane per measure (scores printed), then events, goal reviews,
/// status and feedback, on one date axis with a tick per quarter.
fn timeline_chart(person: &str, timeline: &[TimelineEntry]) -> TimelineChartData {
    let first = timeline.iter().map(|t| t.date).min();
    let last = timeline.iter().map(|t| t.date).max();
    let (Some(first), Some(last)) = (first, last) else {
        return TimelineChartData::default();
    };
    let day = |d: chrono::NaiveDate| (d - first).num_days() as f64;
    let mut lanes: Vec<TimelineLane> = Vec::new();
    // Score lanes first (one per measure, as they come), then the others in LANES order.
    let rank = |t: &TimelineEntry| match t.score {
        Some(_) => 0,
        None => {
            1 + LANES
                .iter()
                .position(|l| *l == t.lane)
                .unwrap_or(LANES.len())
        }
    };
    let mut entries: Vec<&TimelineEntry> = timeline.iter().collect();
    entries.sort_by_key(|t| rank(t));
    for t in entries {
        let mark = TimelineMark {
            day: day(t.date),
            date: t.date.format("%-d %b %Y").to_string(),
            text: format!("{}: {}", t.what, t.detail),
            label: t.score.map(|s| format!("{s}")),
            emphasis: t.emphasis,
        };
        match lanes.iter_mut().find(|l| l.name == t.lane) {
            Some(lane) => lane.marks.push(mark),
            None => lanes.push(TimelineLane {
                name: t.lane.clone(),
                marks: vec![mark],
            }),
        }
    }
    let mut ticks = Vec::new();
    let mut month =
        chrono::NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    while month <= last {
        if month >= first && matches!(month.month(), 1 | 4 | 7 | 10) {
            ticks.push((day(month), month.format("%b %Y").to_string()));
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(last + chrono::Days::new(1));
    }
    TimelineChartData {
        title: format!("Timeline of {person}"),
        summary: "Scores per measure, events (crises, emergency department attendances and admissions filled in orange), goal reviews, status changes and feedback, by date.".to_string(),
        span_days: day(last),
        ticks,
        lanes,
    }
}
