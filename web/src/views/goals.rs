//! Goals and reviews: GAS distribution, review compliance by coordinator, static plans and the
//! required-fields audit.

use super::methods::{self, Method};
use super::{figure, fmt_opt, person_level, person_link, with_direction, ViewProps};
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::report::charts::gas_histogram;
use yew::prelude::*;

#[function_component(Goals)]
pub fn goals(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    with_direction(loaded, |d| {
        let g = &d.goals;
        let analysis = loaded.analysis.as_ref();
        let t_scores = analysis
            .map(|a| a.goals.gas_t_scores.clone())
            .unwrap_or_default();
        let static_people: Vec<_> = analysis
            .map(|a| {
                a.goals
                    .people
                    .iter()
                    .filter(|p| p.static_goals > 0)
                    .collect()
            })
            .unwrap_or_default();
        html! {
            <section aria-labelledby="view-heading" data-testid="goals">
                <dl class="figures">
                    { figure("People with goals", g.people_with_goals.to_string(), "goals-people") }
                    { figure("Goals achieved", g.goals_achieved.to_string(), "goals-achieved") }
                    { figure("Mean GAS T-score", fmt_opt(g.mean_gas_t_score, 1), "goals-gas") }
                    { figure("Reviews on time", g.reviews_on_time.to_string(), "goals-on-time") }
                    { figure("Overdue reviews", g.overdue_reviews.to_string(), "goals-overdue") }
                    { figure("People with static plans", g.people_with_static_plans.to_string(), "goals-static") }
                </dl>
                <p class="how">{ methods::how_worked_out(Method::Goals, &loaded.config.filter) }</p>
                { person_level(loaded, || html! { <ChartFigure id="gas-histogram" chart={Rc::new(gas_histogram(&t_scores)) as Rc<dyn Chart>} /> }) }
                <table class="nhsuk-table" data-testid="coordinators">
                    <caption class="nhsuk-table__caption">{ "Review compliance by care coordinator" }</caption>
                    <thead><tr><th scope="col">{ "Coordinator" }</th><th scope="col">{ "Reviews on time" }</th><th scope="col">{ "Overdue now" }</th></tr></thead>
                    <tbody>{ for g.by_coordinator.iter().map(|c| html! {
                        <tr><th scope="row">{ &c.coordinator }</th><td>{ c.reviews_on_time.to_string() }</td><td>{ c.overdue.to_string() }</td></tr>
                    }) }</tbody>
                </table>
                { person_level(loaded, || html! {
                <table class="nhsuk-table" data-testid="static-plans">
                    <caption class="nhsuk-table__caption">{ format!("Static plans: goals reviewed twice or more with no plan change while the rating did not improve ({} people; person-level, for your own use)", static_people.len()) }</caption>
                    <thead><tr><th scope="col">{ "Person" }</th><th scope="col">{ "Static goals" }</th><th scope="col">{ "Goals" }</th><th scope="col">{ "GAS T-score" }</th></tr></thead>
                    <tbody>{ for static_people.iter().map(|p| html! {
                        <tr><th scope="row">{ person_link(loaded, p.person) }</th><td>{ p.static_goals }</td><td>{ p.goals }</td><td>{ fmt_opt(p.gas_t_score, 1) }</td></tr>
                    }) }</tbody>
                </table>
                }) }
                <table class="nhsuk-table" data-testid="audit">
                    <caption class="nhsuk-table__caption">{ "Required-fields audit (people receiving the service)" }</caption>
                    <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Complete" }</th></tr></thead>
                    <tbody>{ for g.audit.iter().map(|a| html! {
                        <tr data-field={a.field.clone()}><th scope="row">{ &a.description }</th><td>{ a.complete.to_string() }</td></tr>
                    }) }</tbody>
                </table>
            </section>
        }
    })
}
