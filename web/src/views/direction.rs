//! Direction of travel: change per measure (reliable-change scatter, and each person's
//! trajectory with the median line) and every service indicator's XmR chart with its Making
//! Data Count verdict.

use super::methods::{self, Method};
use super::{
    bring_into_view, fmt_opt, indicator_summary, person_level, variation_icon, with_direction,
    ViewProps,
};
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::report::charts::{change_scatter, trajectory_spaghetti, xmr_chart};
use yew::prelude::*;

#[function_component(Direction)]
pub fn direction(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let target = props.target.clone();
    // A link to one chart (`#direction?show=crisis_rate`) opens it and brings it into view.
    {
        let target = target.clone();
        use_effect_with(target, |target| {
            if let Some(key) = target {
                bring_into_view(&format!("indicator-{key}"));
            }
        });
    }
    with_direction(loaded, |d| {
        let people = loaded
            .analysis
            .as_ref()
            .map(|a| a.outcomes.people.as_slice())
            .unwrap_or(&[]);
        let trajectories = loaded
            .analysis
            .as_ref()
            .map(|a| a.outcomes.trajectories.as_slice())
            .unwrap_or(&[]);
        html! {
            <section aria-labelledby="direction-heading" data-testid="direction">
                <nav class="contents" aria-label="On this page">
                    <p class="contents-title">{ "On this page" }</p>
                    <ul>
                        <li><a href="#direction" onclick={scroll_to("change-per-measure")}>{ "Change per measure" }</a>
                            <ul>{ for d.measures.iter().enumerate().map(|(n, m)| html! {
                                <li><a href="#direction" onclick={scroll_to(&format!("measure-{n}"))}>{ &m.measure }</a></li>
                            }) }</ul>
                        </li>
                        <li><a href="#direction" onclick={scroll_to("service-indicators")}>{ "Service indicators by month" }</a></li>
                    </ul>
                </nav>
                <h2 id="direction-heading"><span id="change-per-measure">{ "Change per measure" }</span></h2>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Change per measure table (scrolls sideways on narrow screens)">
                <table class="nhsuk-table" data-testid="measures">
                    <caption class="nhsuk-table__caption">{ "People with a baseline and a later score" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Measure" }</th><th scope="col">{ "People" }</th>
                        <th scope="col">{ "Reliable improvement" }</th><th scope="col">{ "No reliable change" }</th>
                        <th scope="col">{ "Reliable deterioration" }</th><th scope="col">{ "Reliably recovered (of those at caseness at baseline)" }</th>
                        <th scope="col">{ "Sustained improvement" }</th><th scope="col">{ "Median slope per month" }</th>
                        <th scope="col">{ "Reliable change is" }</th>
                    </tr></thead>
                    <tbody>
                        { for d.measures.iter().map(|m| html! {
                            <tr data-measure={m.measure.clone()}>
                                <th scope="row">{ &m.measure }</th>
                                <td class="paired">{ m.people_paired.to_string() }</td>
                                <td class="improved">{ m.reliable_improvement.to_string() }</td>
                                <td>{ m.no_reliable_change.to_string() }</td>
                                <td>{ m.reliable_deterioration.to_string() }</td>
                                <td>{ m.recovered.to_string() }</td>
                                <td>{ m.sustained_improvement.to_string() }</td>
                                <td>{ fmt_opt(m.median_slope_per_month, 2) }</td>
                                <td class="basis">{ format!("{} points: {}", if m.reliable_change_threshold.fract() == 0.0 { format!("{:.0}", m.reliable_change_threshold) } else { format!("{:.2}", m.reliable_change_threshold) }, m.threshold_basis) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
                { person_level(loaded, || html! { <>{ for d.measures.iter().enumerate().map(|(n, m)| {
                    let chart: Rc<dyn Chart> = Rc::new(change_scatter(&m.measure, m.reliable_change_threshold, m.direction, people));
                    let paths = trajectories.iter().find(|t| t.measure == m.measure).map(|t| Rc::new(trajectory_spaghetti(t)) as Rc<dyn Chart>);
                    html! {
                        // Folded, like the indicators: the page lists every measure and opens one
                        // on demand (a contents link opens it too).
                        <details class="nhsuk-details measure-charts" id={format!("measure-{n}")} data-measure={m.measure.clone()}>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{ format!("{}: change per person and trajectories", m.measure) }</span></summary>
                            <div class="nhsuk-details__text">
                            <ChartFigure id={format!("change-{n}")} chart={chart} person_level=true />
                            if let Some(paths) = paths {
                                <ChartFigure id={format!("trajectory-{n}")} chart={paths} person_level=true />
                            }
                            </div>
                        </details>
                    }
                }) }</> }) }
                <p class="how">{ methods::how_worked_out_named("Reliable change", Method::ReliableChange, &loaded.config.filter) }{ " " }{ methods::how_worked_out_named("Each person's direction of travel", Method::DirectionPerPerson, &loaded.config.filter) }</p>
                <h2 id="service-indicators">{ "Service indicators by month" }</h2>
                <p>{ format!("{} people in service over {:.0} person-months. Each chart follows NHS England's Making Data Count rules; months with fewer than 20 person-months are left off. Open an indicator to see its chart.", d.service.people_in_service, d.service.person_months) }</p>
                <p class="how">{ methods::how_worked_out_named("Service indicators", Method::ServiceIndicators, &loaded.config.filter) }{ " " }{ methods::how_worked_out_named("Making Data Count charts", Method::Xmr, &loaded.config.filter) }</p>
                { indicator_summary(d, &loaded.config.filter) }
                { for d.service.indicators.iter().enumerate().map(|(n, ind)| {
                    let open = target.as_deref() == Some(ind.key.as_str());
                    html! {
                        <details class="nhsuk-details indicator" id={format!("indicator-{}", ind.key)} data-indicator={ind.key.clone()} {open}>
                            <summary class="nhsuk-details__summary">
                                <span class="nhsuk-details__summary-text indicator-title">{ &ind.title }</span>
                                <span class="spc-verdict" data-testid="spc-verdict">{ variation_icon(ind.spc.as_ref().map(|s| s.variation_icon), &format!("direction-icon-{n}")) }</span>
                            </summary>
                            <div class="nhsuk-details__text">
                            if let Some(chart) = xmr_chart(ind) {
                                <ChartFigure id={format!("spc-{n}")} chart={Rc::new(chart) as Rc<dyn Chart>} />
                            } else if let Some(note) = &ind.chart_note {
                                <p class="note">{ note }</p>
                            }
                            </div>
                        </details>
                    }
                }) }
            </section>
        }
    })
}

/// A contents link's click: bring the element into view without touching the URL hash, which
/// names the view and filter.
fn scroll_to(id: &str) -> Callback<MouseEvent> {
    let id = id.to_string();
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        bring_into_view(&id);
    })
}
