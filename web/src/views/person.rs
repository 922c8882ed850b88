//! One person's timeline: scores, events, goals, status and feedback in date order. Person-level
//! detail for the user's own eyes; pseudonymous IDs as in the user's files.

use super::ViewProps;
use crate::engine::client::Engine;
use crate::engine::protocol::{Request, Response};
use crate::engine::snapshot::TimelineEntry;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The timeline shown: for which ID in which analysis, and what the engine found (`None`: no
/// such person).
#[derive(Clone, PartialEq)]
struct Shown {
    generation: u64,
    person: String,
    timeline: Option<Vec<TimelineEntry>>,
}

#[function_component(Person)]
pub fn person(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let engine = use_context::<Engine>();
    let chosen = use_state(|| loaded.person_ids.first().cloned().unwrap_or_default());
    let shown = use_state(|| None::<Shown>);
    // New data without the chosen person: start again from the first person.
    {
        let chosen = chosen.clone();
        let ids = loaded.person_ids.clone();
        use_effect_with(loaded.generation, move |_| {
            if !ids.contains(&*chosen) {
                chosen.set(ids.first().cloned().unwrap_or_default());
            }
        });
    }
    // The dataset stays with the engine: ask it for this person's records.
    {
        let shown = shown.clone();
        let generation = loaded.generation;
        use_effect_with(
            ((*chosen).clone(), engine, generation),
            move |(person, engine, _)| {
                if let Some(engine) = engine {
                    let for_reply = person.clone();
                    engine.ask(
                        |id| Request::Person {
                            id,
                            person: person.clone(),
                        },
                        Callback::from(move |response| {
                            if let Response::Person { timeline, .. } = response {
                                shown.set(Some(Shown {
                                    generation,
                                    person: for_reply.clone(),
                                    timeline,
                                }));
                            }
                        }),
                    );
                }
            },
        );
    }
    let on_input = {
        let chosen = chosen.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                chosen.set(input.value());
            }
        })
    };
    let current = shown
        .as_ref()
        .filter(|s| s.person == *chosen && s.generation == loaded.generation);
    let timeline: &[TimelineEntry] = current.and_then(|s| s.timeline.as_deref()).unwrap_or(&[]);
    let unknown = current.is_some_and(|s| s.timeline.is_none());
    html! {
        <section aria-labelledby="person-heading" data-testid="person" data-loaded={current.is_some().to_string()}>
            <h2 id="person-heading">{ "Person timeline" }</h2>
            <p class="note">{ "Person-level detail is shown for your own use and is never part of an export." }</p>
            <label for="person-id">{ "Person ID" }</label>
            <input id="person-id" list="person-ids" value={(*chosen).clone()} oninput={on_input} />
            <datalist id="person-ids">{ for loaded.person_ids.iter().take(2000).map(|id| html! { <option value={id.clone()} /> }) }</datalist>
            if unknown { <p class="warning-text">{ "No person with this ID in the people table." }</p> }
            <table data-testid="timeline">
                <caption>{ format!("Timeline of {} ({} entries)", *chosen, timeline.len()) }</caption>
                <thead><tr><th scope="col">{ "Date" }</th><th scope="col">{ "What" }</th><th scope="col">{ "Detail" }</th></tr></thead>
                <tbody>{ for timeline.iter().map(|t| html! {
                    <tr><td>{ t.date.to_string() }</td><th scope="row">{ t.what.clone() }</th><td>{ t.detail.clone() }</td></tr>
                }) }</tbody>
            </table>
        </section>
    }
}
