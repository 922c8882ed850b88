//! Value: cost avoidance by event type and pathway with intervals, the honesty settings
//! (editable here, recomputed by the core on the spot), and the naive figure beside the
//! difference-in-differences one.

use super::ViewProps;
use crate::components::chart::ChartFigure;
use crate::engine::client::Engine;
use crate::engine::protocol::{Request, Response};
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::report::charts::{avoided_cost_bars, cumulative_avoided_line};
use waymark_core::report::value::format_money;
use waymark_core::value::cost_avoidance::CostAvoidance;
use waymark_core::value::ValueConfig;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The settings a commissioner adjusts in the page.
#[derive(Clone, Copy, PartialEq)]
struct Honesty {
    attribution: f64,
    optimism_bias: f64,
    pre_months: u32,
    post_months: u32,
}

fn number_input(
    id: &'static str,
    label: &'static str,
    value: f64,
    min: f64,
    max: f64,
    on: Callback<f64>,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            if let Ok(v) = input.value().parse::<f64>() {
                if (min..=max).contains(&v) {
                    on.emit(v);
                }
            }
        }
    });
    html! {
        <div class="setting">
            <label for={id}>{ label }</label>
            <input id={id} type="number" min={min.to_string()} max={max.to_string()} value={value.to_string()} {oninput} />
        </div>
    }
}

#[function_component(Value)]
pub fn value(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let engine = use_context::<Engine>();
    let configured = loaded.config.value.clone();
    let as_configured = Honesty {
        attribution: configured.attribution_percent,
        optimism_bias: configured.optimism_bias_percent,
        pre_months: configured.pre_months,
        post_months: configured.post_months,
    };
    let honesty = use_state(|| as_configured);
    let analysed: Result<Rc<CostAvoidance>, String> = loaded.value.clone().ok_or_else(|| {
        loaded
            .report
            .value_note
            .clone()
            .unwrap_or_else(|| "there are no people to analyse".to_string())
    });
    let result = use_state(|| analysed.clone());
    // Only the latest question's answer is shown: an answer for settings already changed
    // again is dropped.
    let asked = use_mut_ref(|| 0_u64);
    // The analysis already holds the figures for the configured settings; other settings are
    // computed by the engine, which holds the data.
    {
        let result = result.clone();
        use_effect_with((*honesty, loaded.generation), move |(h, _)| {
            *asked.borrow_mut() += 1;
            let this_question = *asked.borrow();
            if *h == as_configured {
                result.set(analysed);
            } else if let Some(engine) = engine {
                // The engine dates and caps them as the pipeline does (`config::value_for`).
                let settings = ValueConfig {
                    attribution_percent: h.attribution,
                    optimism_bias_percent: h.optimism_bias,
                    pre_months: h.pre_months,
                    post_months: h.post_months,
                    ..configured
                };
                engine.ask(
                    |id| Request::Value { id, settings },
                    Callback::from(move |response| {
                        if let Response::Value { result: answer, .. } = response {
                            if *asked.borrow() == this_question {
                                result.set(answer.map(Rc::new));
                            }
                        }
                    }),
                );
            }
        });
    }
    let set = |f: fn(&mut Honesty, f64)| {
        let honesty = honesty.clone();
        Callback::from(move |v: f64| {
            let mut next = *honesty;
            f(&mut next, v);
            honesty.set(next);
        })
    };
    let settings = html! {
        <fieldset class="settings">
            <legend>{ "Honesty settings (recomputed as you change them)" }</legend>
            { number_input("attribution", "Attribution to this service (%)", honesty.attribution, 0.0, 100.0, set(|h, v| h.attribution = v)) }
            { number_input("optimism", "Optimism-bias reduction (%)", honesty.optimism_bias, 0.0, 100.0, set(|h, v| h.optimism_bias = v)) }
            { number_input("pre-months", "Months before start", f64::from(honesty.pre_months), 1.0, 36.0, set(|h, v| h.pre_months = v as u32)) }
            { number_input("post-months", "Months after start", f64::from(honesty.post_months), 1.0, 36.0, set(|h, v| h.post_months = v as u32)) }
        </fieldset>
    };
    let body = match &*result {
        Err(message) => {
            html! { <p class="verdict bad">{ format!("Cost avoidance could not be computed: {message}") }</p> }
        }
        Ok(c) => {
            let cur = c.currency.as_deref();
            html! {
                <>
                    <dl class="figures">
                        <div class="figure" data-testid="value-gross"><dt>{ "Gross cost avoided (before and after)" }</dt><dd>{ format_money(&c.naive.gross_avoided, cur) }</dd></div>
                        <div class="figure" data-testid="value-adjusted"><dt>{ format!("After attribution {}% and optimism bias {}%", c.settings.attribution_percent, c.settings.optimism_bias_percent) }</dt><dd>{ format_money(&c.naive.adjusted_avoided, cur) }</dd></div>
                        if let Some(did) = &c.difference_in_differences {
                            <div class="figure" data-testid="value-did"><dt>{ "Against the comparison cohort (difference-in-differences)" }</dt><dd>{ format_money(&did.value.adjusted_avoided, cur) }</dd></div>
                        }
                    </dl>
                    if c.regression_to_the_mean.warning {
                        <p class="verdict">{ "Regression to the mean: people were referred after a spike in their use of services, so part of the fall would have happened anyway. Read the difference-in-differences figure beside the simple one." }</p>
                    }
                    <ChartFigure id="avoided-by-type" chart={Rc::new(avoided_cost_bars(c)) as Rc<dyn Chart>} />
                    <ChartFigure id="avoided-over-time" chart={Rc::new(cumulative_avoided_line(c)) as Rc<dyn Chart>} />
                    <table data-testid="value-pathways">
                        <caption>{ "By pathway" }</caption>
                        <thead><tr><th scope="col">{ "Pathway" }</th><th scope="col">{ "People" }</th><th scope="col">{ "Cost avoided (adjusted)" }</th></tr></thead>
                        <tbody>{ for c.by_pathway.iter().map(|p| html! {
                            <tr><th scope="row">{ &p.pathway }</th><td>{ waymark_core::disclosure::ShownCount::from_count(p.n_people as u64).to_string() }</td><td>{ format_money(&p.value.adjusted_avoided, cur) }</td></tr>
                        }) }</tbody>
                    </table>
                    <table data-testid="unit-costs">
                        <caption>{ "Unit costs used (edit them in the configuration file)" }</caption>
                        <thead><tr><th scope="col">{ "Event type" }</th><th scope="col">{ "Unit" }</th><th scope="col">{ "Price" }</th><th scope="col">{ "Price year" }</th><th scope="col">{ "Source" }</th></tr></thead>
                        <tbody>{ for c.unit_costs.iter().map(|u| html! {
                            <tr><th scope="row">{ &u.event_type }</th><td>{ &u.unit }</td><td>{ format!("£{:.2}{}", u.uplifted_price.0, if u.estimate { " (estimate: confirm locally)" } else { "" }) }</td><td>{ &u.price_year }</td><td>{ &u.source }</td></tr>
                        }) }</tbody>
                    </table>
                    <h3>{ "Caveats and assumptions" }</h3>
                    <ul>{ for c.warnings.iter().chain(&c.assumptions).map(|t| html! { <li>{ t }</li> }) }</ul>
                </>
            }
        }
    };
    html! {
        <section aria-labelledby="value-heading" data-testid="value">
            <h2 id="value-heading">{ "Cost avoidance" }</h2>
            { settings }
            { body }
        </section>
    }
}
