//! Numbers with narrative: cases where the scores and the person's own view disagree, to
//! reconcile, and the themes people raise.

use super::methods::{self, Method};
use super::{fmt_opt, person_level, person_link, with_direction, ViewProps};
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::analysis::direction::narrative::Discordance;
use waymark_core::report::charts::themes_over_time;
use yew::prelude::*;

#[function_component(Narrative)]
pub fn narrative(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    with_direction(loaded, |d| {
        let n = &d.narrative;
        let cases = loaded
            .analysis
            .as_ref()
            .map(|a| a.narrative.cases.as_slice())
            .unwrap_or(&[]);
        html! {
                    <section aria-labelledby="view-heading" data-testid="narrative">
                        <p>{ format!("{} feedback entries; {} people gave their own or a carer's view. Scores improving but the person says things are poor: {}. Scores flat but the person says things are good: {}. Reconciled by a plan adjustment since: {}.",
                            n.feedback_entries, n.people_with_own_feedback, n.numbers_better_voice_worse, n.numbers_flat_voice_better, n.reconciled) }</p>
        <p class="how">{ methods::how_worked_out(Method::Narrative, &loaded.config.filter) }</p>
                        <ChartFigure id="themes-over-time" chart={Rc::new(themes_over_time(&n.themes_by_quarter)) as Rc<dyn Chart>} />
                        <table class="nhsuk-table" data-testid="themes">
                            <caption class="nhsuk-table__caption">{ "Most common themes in feedback (entries)" }</caption>
                            <thead><tr><th scope="col">{ "Theme" }</th><th scope="col">{ "Entries" }</th></tr></thead>
                            <tbody>{ for n.themes.iter().take(12).map(|t| html! {
                                <tr><th scope="row">{ &t.theme }</th><td>{ t.entries.to_string() }</td></tr>
                            }) }</tbody>
                        </table>
                        { person_level(loaded, || html! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Cases to reconcile (scrolls sideways on narrow screens)">
                        <table class="nhsuk-table" data-testid="discordant-cases">
                            <caption class="nhsuk-table__caption">{ format!("Cases to reconcile ({}; person-level, for your own use)", cases.len()) }</caption>
                            <thead><tr><th scope="col">{ "Person" }</th><th scope="col">{ "What disagrees" }</th><th scope="col">{ "The numbers" }</th><th scope="col">{ "Their view: median self-rating (0-10)" }</th><th scope="col">{ "Themes" }</th><th scope="col">{ "Since" }</th><th scope="col">{ "Reconciled" }</th></tr></thead>
                            <tbody>{ for cases.iter().map(|c| html! {
                                <tr>
                                    <th scope="row">{ person_link(loaded, c.person) }</th>
                                    <td>{ match c.kind { Discordance::NumbersBetterVoiceWorse => "Scores improve, person says poor", Discordance::NumbersFlatVoiceBetter => "Scores flat, person says good" } }</td>
                                    <td>{ c.labels.iter().map(|(m, l)| format!("{m}: {}", serde_json::to_value(l).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default().replace('_', " "))).collect::<Vec<_>>().join("; ") }</td>
                                    <td>{ fmt_opt(c.median_self_rating, 1) }</td>
                                    <td>{ c.themes.join(", ") }</td>
                                    <td>{ c.first_disagreeing_feedback.to_string() }</td>
                                    <td>{ if c.reconciled { "Yes" } else { "Not yet" } }</td>
                                </tr>
                            }) }</tbody>
                        </table>
                        </div>
                        }) }
                    </section>
                }
    })
}
