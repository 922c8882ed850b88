//! One person's timeline: scores, events, goals, status and feedback in date order. Person-level
//! detail for the user's own eyes; pseudonymous IDs as in the user's files.

use super::ViewProps;
use chrono::NaiveDate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[function_component(Person)]
pub fn person(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let data = &loaded.dataset;
    let chosen = use_state(|| {
        data.people
            .person
            .first()
            .map(|k| data.person_ids.text(*k).to_string())
            .unwrap_or_default()
    });
    let on_input = {
        let chosen = chosen.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                chosen.set(input.value());
            }
        })
    };
    let row = data
        .people
        .person
        .iter()
        .position(|k| data.person_ids.text(*k) == chosen.as_str());
    let mut timeline: Vec<(NaiveDate, &'static str, String)> = Vec::new();
    if let Some(p) = row {
        let key = data.people.person[p];
        let text = |l| data.text.text(l).to_string();
        timeline.push((
            data.people.start_date[p],
            "Start",
            format!(
                "{} ({})",
                text(data.people.pathway[p]),
                data.people.team[p].map(text).unwrap_or_default()
            ),
        ));
        if let Some(end) = data.people.end_date[p] {
            timeline.push((end, "End", "Discharged".into()));
        }
        let o = &data.outcomes;
        for r in (0..o.person.len()).filter(|r| o.person[*r] == key) {
            timeline.push((
                o.date[r],
                "Score",
                format!("{} {}", text(o.measure[r]), o.score[r]),
            ));
        }
        let e = &data.events;
        for r in (0..e.person.len()).filter(|r| e.person[*r] == key) {
            let follow = e.follow_up[r]
                .map(|f| format!(" — {}", text(f)))
                .unwrap_or_default();
            timeline.push((
                e.date[r],
                "Event",
                format!("{} ×{}{}", text(e.event_type[r]), e.quantity[r], follow),
            ));
        }
        let g = &data.goals;
        for r in (0..g.person.len()).filter(|r| g.person[*r] == key) {
            timeline.push((
                g.review_date[r],
                "Goal review",
                format!(
                    "{}: rating {}{}",
                    g.description[r]
                        .map(text)
                        .unwrap_or_else(|| text(g.goal_id[r])),
                    g.rating[r],
                    match g.plan_changed[r] {
                        Some(true) => ", plan changed",
                        Some(false) => ", plan unchanged",
                        None => "",
                    }
                ),
            ));
        }
        let s = &data.status;
        for r in (0..s.person.len()).filter(|r| s.person[*r] == key) {
            timeline.push((
                s.date[r],
                "Status",
                format!("{}: {}", text(s.indicator[r]), text(s.value[r])),
            ));
        }
        let f = &data.feedback;
        for r in (0..f.person.len()).filter(|r| f.person[*r] == key) {
            let rating = f.self_rating[r]
                .map(|x| format!("rating {x}"))
                .unwrap_or_default();
            timeline.push((
                f.date[r],
                "Feedback",
                format!("{rating} {}", f.text[r].map(text).unwrap_or_default()),
            ));
        }
    }
    timeline.sort_by(|a, b| a.0.cmp(&b.0));
    html! {
        <section aria-labelledby="person-heading" data-testid="person">
            <h2 id="person-heading">{ "Person timeline" }</h2>
            <p class="note">{ "Person-level detail is shown for your own use and is never part of an export." }</p>
            <label for="person-id">{ "Person ID" }</label>
            <input id="person-id" list="person-ids" value={(*chosen).clone()} oninput={on_input} />
            <datalist id="person-ids">{ for data.people.person.iter().take(2000).map(|k| html! { <option value={data.person_ids.text(*k).to_string()} /> }) }</datalist>
            if row.is_none() { <p class="warning-text">{ "No person with this ID in the people table." }</p> }
            <table data-testid="timeline">
                <caption>{ format!("Timeline of {} ({} entries)", *chosen, timeline.len()) }</caption>
                <thead><tr><th scope="col">{ "Date" }</th><th scope="col">{ "What" }</th><th scope="col">{ "Detail" }</th></tr></thead>
                <tbody>{ for timeline.iter().map(|(date, what, detail)| html! {
                    <tr><td>{ date.to_string() }</td><th scope="row">{ *what }</th><td>{ detail }</td></tr>
                }) }</tbody>
            </table>
        </section>
    }
}
