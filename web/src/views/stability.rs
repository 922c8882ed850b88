//! Stability and early warning: the people flagged, which indicators moved, and the follow-up
//! actions recorded.

use super::methods::{self, Method};
use super::{figure, person_level, person_link, with_direction, ViewProps};
use waymark_core::report::direction::indicator_name;
use yew::prelude::*;

#[function_component(Stability)]
pub fn stability(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    with_direction(loaded, |d| {
        let s = &d.stability;
        let flagged: Vec<_> = loaded
            .analysis
            .as_ref()
            .map(|a| {
                a.stability
                    .people
                    .iter()
                    .filter(|p| p.early_warning)
                    .collect()
            })
            .unwrap_or_default();
        html! {
            <section aria-labelledby="view-heading" data-testid="stability">
                <p>{ format!("People still in service, comparing the last {} days with the {} days before. An early warning means two or more indicators worsened together.", s.window_days, s.window_days) }</p>
                <dl class="figures">
                    { figure("People assessed", s.people_assessed.to_string(), "stability-assessed") }
                    { figure("Improving", s.improving.to_string(), "stability-improving") }
                    { figure("Stable", s.stable.to_string(), "stability-stable") }
                    { figure("Deteriorating", s.deteriorating.to_string(), "stability-deteriorating") }
                    { figure("Early warnings", s.early_warnings.numerator.to_string(), "stability-warnings") }
                </dl>
                <p class="how">{ methods::how_worked_out(Method::Stability, &loaded.config.filter) }</p>
                { person_level(loaded, || html! {
                <table class="nhsuk-table" data-testid="flagged-people">
                    <caption class="nhsuk-table__caption">{ format!("People flagged for early warning ({}; person-level, for your own use)", flagged.len()) }</caption>
                    <thead><tr><th scope="col">{ "Person" }</th><th scope="col">{ "Indicators that worsened" }</th><th scope="col">{ "Indicators that improved" }</th><th scope="col">{ "Follow-up actions recorded in the window" }</th></tr></thead>
                    <tbody>
                        { for flagged.iter().map(|p| html! {
                            <tr>
                                <th scope="row">{ person_link(loaded, p.person) }</th>
                                <td>{ p.worsened.iter().map(|i| indicator_name(*i)).collect::<Vec<_>>().join(", ") }</td>
                                <td>{ p.improved.iter().map(|i| indicator_name(*i)).collect::<Vec<_>>().join(", ") }</td>
                                <td>
                                    if p.follow_ups.is_empty() { <span class="warning-text">{ "None recorded" }</span> }
                                    else { <ul>{ for p.follow_ups.iter().map(|(date, action)| html! { <li>{ format!("{date}: {action}") }</li> }) }</ul> }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                }) }
            </section>
        }
    })
}
