//! Direction of travel: change per measure (reliable-change scatter, and each person's
//! trajectory with the median line) and every service indicator's XmR chart with its Making
//! Data Count verdict.

use super::{fmt_opt, person_level, with_direction, ViewProps};
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::report::charts::{
    change_scatter, trajectory_spaghetti, variation_label, xmr_chart,
};
use yew::prelude::*;

#[function_component(Direction)]
pub fn direction(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
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
                <h2 id="direction-heading">{ "Change per measure" }</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Change per measure table (scrolls sideways on narrow screens)">
                <table data-testid="measures">
                    <caption>{ "People with a baseline and a later score" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Measure" }</th><th scope="col">{ "People" }</th>
                        <th scope="col">{ "Reliable improvement" }</th><th scope="col">{ "No reliable change" }</th>
                        <th scope="col">{ "Reliable deterioration" }</th><th scope="col">{ "Recovered" }</th>
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
                        <div class="measure-charts" data-measure={m.measure.clone()}>
                            <ChartFigure id={format!("change-{n}")} chart={chart} person_level=true />
                            if let Some(paths) = paths {
                                <ChartFigure id={format!("trajectory-{n}")} chart={paths} person_level=true />
                            }
                        </div>
                    }
                }) }</> }) }
                <h2>{ "Service indicators by month" }</h2>
                <p>{ format!("{} people in service over {:.0} person-months. Each chart follows NHS England's Making Data Count rules; months with fewer than 20 person-months are left off.", d.service.people_in_service, d.service.person_months) }</p>
                { for d.service.indicators.iter().enumerate().map(|(n, ind)| {
                    let verdict = ind.spc.as_ref().map(|s| variation_label(s.variation_icon)).unwrap_or("No chart");
                    html! {
                        <article class="indicator" data-indicator={ind.key.clone()}>
                            <h3>{ &ind.title }</h3>
                            <p class="spc-verdict" data-testid="spc-verdict">{ verdict }</p>
                            if let Some(chart) = xmr_chart(ind) {
                                <ChartFigure id={format!("spc-{n}")} chart={Rc::new(chart) as Rc<dyn Chart>} />
                            } else if let Some(note) = &ind.chart_note {
                                <p class="note">{ note }</p>
                            }
                        </article>
                    }
                }) }
            </section>
        }
    })
}
