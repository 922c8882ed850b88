//! Pathways side by side: intervals, Kaplan–Meier curves, funnel plots and the case-mix
//! warning.

use super::methods::{self, Method};
use super::{with_direction, ViewProps};
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::config::Config;
use waymark_core::report::charts::{funnel_chart, survival_steps};
use waymark_core::stats::funnel::OverdispersionAdjustment;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The funnel plots' overdispersion adjustment, chosen here and applied to every figure (it is
/// part of the saved configuration, like the value settings).
#[function_component(OverdispersionChoice)]
fn overdispersion_choice(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let reanalyse = use_context::<super::value::Reanalyse>();
    let current = loaded.config.analysis.pathways.funnel_overdispersion;
    let options = [
        (
            OverdispersionAdjustment::None,
            "none",
            "None: limits from chance alone",
        ),
        (
            OverdispersionAdjustment::Multiplicative,
            "multiplicative",
            "Multiplicative: limits widened by √φ",
        ),
        (
            OverdispersionAdjustment::AdditiveRandomEffects,
            "additive",
            "Additive random effects: τ² added",
        ),
    ];
    let config = loaded.config.clone();
    let onchange = Callback::from(move |e: Event| {
        let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
            return;
        };
        let chosen = options
            .iter()
            .find(|(_, value, _)| *value == select.value())
            .map(|(a, _, _)| *a);
        if let (Some(reanalyse), Some(adjustment)) = (&reanalyse, chosen) {
            let mut next = Config::clone(&config);
            next.analysis.pathways.funnel_overdispersion = adjustment;
            reanalyse.0.emit(next);
        }
    });
    html! {
        <div class="nhsuk-form-group setting">
            <label class="nhsuk-label" for="funnel-overdispersion">{ "Funnel plots: overdispersion adjustment (Spiegelhalter 2005)" }</label>
            <select class="nhsuk-select" id="funnel-overdispersion" {onchange}>
                { for options.iter().map(|(adjustment, value, label)| html! {
                    <option value={*value} selected={*adjustment == current}>{ *label }</option>
                }) }
            </select>
        </div>
    }
}

fn with_ci(v: Option<f64>, lo: Option<f64>, hi: Option<f64>, d: usize) -> String {
    match (v, lo, hi) {
        (Some(v), Some(lo), Some(hi)) => format!("{v:.d$} [{lo:.d$} to {hi:.d$}]"),
        (Some(v), _, _) => format!("{v:.d$}"),
        _ => "–".to_string(),
    }
}

#[function_component(Pathways)]
pub fn pathways(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    with_direction(loaded, |_| {
        let (Some(report), Some(analysis)) = (&loaded.report().pathways, &loaded.analysis) else {
            return html! { <p>{ "No pathway comparison." }</p> };
        };
        let comparison = &analysis.pathways;
        html! {
            <section aria-labelledby="pathways-heading" data-testid="pathways">
                <h2 id="pathways-heading">{ "Pathways side by side" }</h2>
                <p>{ format!("Reference pathway: {} ({}). Percentages with Wilson 95% intervals; differences in percentage points with Newcombe intervals; crisis rates with exact intervals.", report.reference_pathway.as_deref().unwrap_or("none"), report.reference_basis) }</p>
                <p class="how">{ methods::how_worked_out(Method::Pathways, &loaded.config.filter) }{ " " }{ methods::how_worked_out_named("Intervals and effect sizes", Method::Intervals, &loaded.config.filter) }</p>
                { for report.warnings.iter().map(|w| html! { <p class="verdict">{ w }</p> }) }
                <div class="table-scroll" tabindex="0" role="region" aria-label="Per pathway table (scrolls sideways on narrow screens)">
                <table class="nhsuk-table" data-testid="pathway-table">
                    <caption class="nhsuk-table__caption">{ "Per pathway" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Pathway" }</th><th scope="col">{ "People" }</th><th scope="col">{ "Person-months" }</th>
                        <th scope="col">{ "Crisis contacts per 100 person-months" }</th><th scope="col">{ "Rate ratio vs reference" }</th>
                        <th scope="col">{ "Cost avoided per person" }</th>
                        { for report.groups.first().into_iter().flat_map(|g| g.measures.iter()).map(|m| html! {
                            <><th scope="col">{ format!("{}: reliably improved", m.measure) }</th><th scope="col">{ format!("{}: difference vs reference", m.measure) }</th></>
                        }) }
                    </tr></thead>
                    <tbody>{ for report.groups.iter().map(|g| html! {
                        <tr data-pathway={g.pathway.clone()}>
                            <th scope="row">{ format!("{}{}", g.pathway, if g.is_reference { " (reference)" } else { "" }) }</th>
                            <td class="people">{ g.people.to_string() }</td>
                            <td>{ format!("{:.0}", g.person_months) }</td>
                            <td>{ with_ci(g.crisis_rate_per_100_person_months, g.crisis_rate_lower, g.crisis_rate_upper, 1) }</td>
                            <td>{ with_ci(g.crisis_rate_ratio, g.crisis_rate_ratio_lower, g.crisis_rate_ratio_upper, 2) }</td>
                            <td>{ g.cost_avoided_per_person.map_or("–".to_string(), |c| waymark_core::value::Money(c).format(None)) }</td>
                            { for g.measures.iter().map(|m| html! {
                                <>
                                    <td class="improved">{ m.reliable_improvement.as_ref().map_or("–".to_string(), |p| match (p.lower, p.upper) {
                                        (Some(lo), Some(hi)) => format!("{} [{lo:.0} to {hi:.0}%]", p.share),
                                        _ => p.share.to_string(),
                                    }) }</td>
                                    <td>{ m.reliable_improvement_vs_reference.as_ref().map_or("–".to_string(), |d| with_ci(d.difference, d.lower, d.upper, 1)) }</td>
                                </>
                            }) }
                        </tr>
                    }) }</tbody>
                </table>
                </div>
                <p>{ if report.case_mix_differs { "Case mix differs between pathways (baseline severity): compare the directly standardised figures, not the crude ones." } else { "Baseline severity is similar across pathways." } }</p>
                <p class="how">{ methods::how_worked_out_named("Time to an event", Method::TimeToEvent, &loaded.config.filter) }</p>
                <ChartFigure id="km-crisis" chart={Rc::new(survival_steps(&comparison.time_to_first_crisis, "Time to first crisis contact after start")) as Rc<dyn Chart>} />
                if let Some(relapse) = &comparison.time_to_relapse {
                    <ChartFigure id="km-relapse" chart={Rc::new(survival_steps(relapse, "Time to relapse after a reliable improvement")) as Rc<dyn Chart>} />
                }
                <h3>{ "Funnel plots" }</h3>
                <p class="how">{ methods::how_worked_out_named("Funnel plots", Method::Funnels, &loaded.config.filter) }</p>
                <OverdispersionChoice loaded={loaded.clone()} />
                { for comparison.funnels.iter().enumerate().filter_map(|(n, f)| funnel_chart(f).map(|chart| html! {
                    <>
                        <ChartFigure id={format!("funnel-{n}")} chart={Rc::new(chart) as Rc<dyn Chart>} />
                        if let Some(method) = f.funnel.as_ref().map(|fun| fun.method.clone()) {
                            <p class="note" data-testid="funnel-method">{ format!("Method: {method}.") }</p>
                        }
                    </>
                })) }
            </section>
        }
    })
}
