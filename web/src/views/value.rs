//! Value: the headline figure (the same one the overview and the report lead with), the
//! figures behind it, and the settings that produce them. The settings are part of the saved
//! configuration: applying them re-runs the whole analysis, so the overview, this view, the
//! report and "Save settings" all carry the same figures. A value the core refuses is shown
//! next to its field and nothing is applied.

use super::methods::{self, Method};
use super::ViewProps;
use crate::components::chart::ChartFigure;
use std::rc::Rc;
use waymark_charts::Chart;
use waymark_core::config::Config;
use waymark_core::report::charts::{avoided_cost_bars, cumulative_avoided_line};
use waymark_core::report::value::format_ratio;
use waymark_core::value::{ServiceCost, UnitCost, UnitCostTable, ValueConfig, ValueError};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Asks for a re-analysis with a new configuration (provided by the app, which shows that the
/// figures are updating).
#[derive(Clone, PartialEq)]
pub struct Reanalyse(pub Callback<Config>);

/// The settings as typed: text, so a value that is not accepted stays on screen beside its
/// message instead of being silently replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub attribution: String,
    pub optimism_bias: String,
    pub pre_months: String,
    pub post_months: String,
    pub min_pre_months: String,
    pub unit_costs: Vec<UnitCostDraft>,
    pub service_costs: Vec<ServiceCostDraft>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnitCostDraft {
    pub event_type: String,
    pub unit: String,
    pub price: String,
    pub price_year: String,
    pub source: String,
    pub estimate: bool,
    pub note: Option<String>,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCostDraft {
    pub pathway: String,
    pub cost_per_person_month: String,
    pub currency: String,
    pub price_year: Option<String>,
    pub source: Option<String>,
}

/// A message for one field: its element id and what to change.
pub type FieldError = (String, String);

impl Draft {
    pub fn from_config(v: &ValueConfig) -> Draft {
        Draft {
            attribution: v.attribution_percent.to_string(),
            optimism_bias: v.optimism_bias_percent.to_string(),
            pre_months: v.pre_months.to_string(),
            post_months: v.post_months.to_string(),
            min_pre_months: v.min_pre_months.to_string(),
            unit_costs: v
                .unit_costs
                .rows
                .iter()
                .map(|u| UnitCostDraft {
                    event_type: u.event_type.clone(),
                    unit: u.unit.clone(),
                    price: u.price.to_string(),
                    price_year: u.price_year.clone(),
                    source: u.source.clone(),
                    estimate: u.estimate,
                    note: u.note.clone(),
                    currency: u.currency.clone(),
                })
                .collect(),
            service_costs: v
                .service_costs
                .iter()
                .map(|s| ServiceCostDraft {
                    pathway: s.pathway.clone(),
                    cost_per_person_month: s.cost_per_person_month.to_string(),
                    currency: s.currency.clone(),
                    price_year: s.price_year.clone(),
                    source: s.source.clone(),
                })
                .collect(),
        }
    }

    /// The value settings this draft asks for, on top of `base`; or every field's problem.
    /// The rules are the core's own ([`ValueConfig::check`]); this only parses the text.
    pub fn to_config(&self, base: &ValueConfig) -> Result<ValueConfig, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut number = |id: &str, text: &str| -> f64 {
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    errors.push((id.into(), format!("\"{text}\" is not a number")));
                    0.0
                }
            }
        };
        let attribution = number("attribution", &self.attribution);
        let optimism = number("optimism", &self.optimism_bias);
        let pre = number("pre-months", &self.pre_months);
        let post = number("post-months", &self.post_months);
        let min_pre = number("min-pre-months", &self.min_pre_months);
        let prices: Vec<f64> = self
            .unit_costs
            .iter()
            .enumerate()
            .map(|(i, u)| number(&format!("unit-price-{i}"), &u.price))
            .collect();
        let service: Vec<f64> = self
            .service_costs
            .iter()
            .enumerate()
            .map(|(i, s)| number(&format!("service-cost-{i}"), &s.cost_per_person_month))
            .collect();
        let mut whole = |id: &str, v: f64| -> u32 {
            if v.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&v) {
                errors.push((
                    id.into(),
                    format!("must be a whole number of months, found {v}"),
                ));
            }
            v as u32
        };
        let (pre, post, min_pre) = (
            whole("pre-months", pre),
            whole("post-months", post),
            whole("min-pre-months", min_pre),
        );
        let config = ValueConfig {
            attribution_percent: attribution,
            optimism_bias_percent: optimism,
            pre_months: pre,
            post_months: post,
            min_pre_months: min_pre,
            unit_costs: UnitCostTable {
                rows: self
                    .unit_costs
                    .iter()
                    .zip(&prices)
                    .map(|(u, price)| UnitCost {
                        event_type: u.event_type.trim().to_string(),
                        currency: u.currency.clone(),
                        unit: u.unit.trim().to_string(),
                        price: *price,
                        price_year: u.price_year.trim().to_string(),
                        source: u.source.trim().to_string(),
                        estimate: u.estimate,
                        note: u.note.clone(),
                    })
                    .collect(),
            },
            service_costs: self
                .service_costs
                .iter()
                .zip(&service)
                .map(|(s, cost)| ServiceCost {
                    pathway: s.pathway.trim().to_string(),
                    cost_per_person_month: *cost,
                    currency: s.currency.clone(),
                    price_year: s.price_year.clone(),
                    source: s.source.clone(),
                })
                .collect(),
            ..base.clone()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        for (i, s) in config.service_costs.iter().enumerate() {
            if s.cost_per_person_month < 0.0 {
                return Err(vec![(
                    format!("service-cost-{i}"),
                    format!("must be 0 or more, found {}", s.cost_per_person_month),
                )]);
            }
        }
        config
            .check()
            .map(|()| config.clone())
            .map_err(|error| vec![(self.field_of(&error), error.to_string())])
    }

    /// The field a core error names.
    fn field_of(&self, error: &ValueError) -> String {
        let row_of = |event_type: &str| {
            self.unit_costs
                .iter()
                .position(|u| u.event_type.trim() == event_type)
                .map_or("unit-costs".to_string(), |i| format!("unit-price-{i}"))
        };
        match error {
            ValueError::InvalidSetting { setting, .. } => match setting.as_str() {
                "attribution_percent" => "attribution".into(),
                "optimism_bias_percent" => "optimism".into(),
                "pre_months" => "pre-months".into(),
                "post_months" => "post-months".into(),
                "min_pre_months" => "min-pre-months".into(),
                _ => "value-settings".into(),
            },
            ValueError::InvalidUnitCost { event_type, .. }
            | ValueError::DuplicateUnitCost { event_type } => row_of(event_type),
            _ => "unit-costs".into(),
        }
    }
}

fn message_for(errors: &[FieldError], id: &str) -> Option<String> {
    errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone())
}

/// A labelled text box with its error message (linked by `aria-describedby`).
fn field(id: &str, label: &str, value: &str, errors: &[FieldError], on: Callback<String>) -> Html {
    let error = message_for(errors, id);
    let error_id = format!("{id}-error");
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            on.emit(input.value());
        }
    });
    html! {
        <div class={classes!("setting", error.is_some().then_some("invalid"))}>
            <label class="nhsuk-label" for={id.to_string()}>{ label }</label>
            <input class="nhsuk-input" id={id.to_string()} type="text" inputmode="decimal" value={value.to_string()} {oninput}
                aria-invalid={error.is_some().to_string()} aria-describedby={error.as_ref().map(|_| error_id.clone())} />
            if let Some(message) = error {
                <p class="field-error" id={error_id} role="alert">{ message }</p>
            }
        </div>
    }
}

#[function_component(Value)]
pub fn value(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let reanalyse = use_context::<Reanalyse>();
    let configured = loaded.config.value.clone();
    let draft = use_state(|| Draft::from_config(&configured));
    // A new analysis (these settings applied, or new data) starts the form again from it.
    {
        let draft = draft.clone();
        let configured = configured.clone();
        use_effect_with(loaded.generation, move |_| {
            draft.set(Draft::from_config(&configured));
        });
    }
    let checked = draft.to_config(&configured);
    let errors: Vec<FieldError> = checked.clone().err().unwrap_or_default();
    let changed = checked.as_ref().is_ok_and(|c| *c != configured);
    let edit = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |text: String| {
            let mut next = (*draft).clone();
            f(&mut next, text);
            draft.set(next);
        })
    };
    let on_apply = {
        let config = loaded.config.clone();
        let checked = checked.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(reanalyse), Ok(value)) = (&reanalyse, &checked) {
                reanalyse.0.emit(Config {
                    value: value.clone(),
                    ..(*config).clone()
                });
            }
        })
    };
    let on_reset = {
        let draft = draft.clone();
        let configured = configured.clone();
        Callback::from(move |_: MouseEvent| draft.set(Draft::from_config(&configured)))
    };
    let row_edit = |i: usize, f: fn(&mut UnitCostDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |text: String| {
            let mut next = (*draft).clone();
            if let Some(row) = next.unit_costs.get_mut(i) {
                f(row, text);
            }
            draft.set(next);
        })
    };
    let remove_row = |i: usize| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            if i < next.unit_costs.len() {
                next.unit_costs.remove(i);
            }
            draft.set(next);
        })
    };
    let add_row = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            next.unit_costs.push(UnitCostDraft {
                event_type: String::new(),
                unit: "event".into(),
                price: "0".into(),
                price_year: String::new(),
                source: String::new(),
                estimate: false,
                note: None,
                currency: "GBP".into(),
            });
            draft.set(next);
        })
    };
    let service_edit = |i: usize| {
        let draft = draft.clone();
        Callback::from(move |text: String| {
            let mut next = (*draft).clone();
            if let Some(row) = next.service_costs.get_mut(i) {
                row.cost_per_person_month = text;
            }
            draft.set(next);
        })
    };
    let add_service_cost = {
        let draft = draft.clone();
        let pathways: Vec<String> = loaded
            .report()
            .pathways
            .as_ref()
            .map(|p| {
                p.groups
                    .iter()
                    .filter(|g| !g.comparison_cohort)
                    .map(|g| g.pathway.clone())
                    .collect()
            })
            .unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            if let Some(pathway) = pathways
                .iter()
                .find(|p| !next.service_costs.iter().any(|s| &s.pathway == *p))
            {
                next.service_costs.push(ServiceCostDraft {
                    pathway: pathway.clone(),
                    cost_per_person_month: "0".into(),
                    currency: "GBP".into(),
                    price_year: None,
                    source: None,
                });
            }
            draft.set(next);
        })
    };
    let cell = |id: String, label: String, value: &str, on: Callback<String>| {
        let error = message_for(&errors, &id);
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on.emit(input.value());
            }
        });
        html! {
            <td>
                <input class="nhsuk-input" id={id.clone()} type="text" aria-label={label} value={value.to_string()} {oninput} aria-invalid={error.is_some().to_string()} />
                if let Some(message) = error { <p class="field-error" role="alert">{ message }</p> }
            </td>
        }
    };
    let settings = html! {
        <form class="settings value-settings" id="value-settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset>
                <legend>{ "Honesty settings" }</legend>
                { field("attribution", "Attribution to this service (%), 0 to 100", &draft.attribution, &errors, edit(|d, t| d.attribution = t)) }
                { field("optimism", "Optimism-bias reduction (%), 0 to 100", &draft.optimism_bias, &errors, edit(|d, t| d.optimism_bias = t)) }
                { field("pre-months", "Months before start", &draft.pre_months, &errors, edit(|d, t| d.pre_months = t)) }
                { field("post-months", "Months after start", &draft.post_months, &errors, edit(|d, t| d.post_months = t)) }
                { field("min-pre-months", "Least history before start to be priced (months)", &draft.min_pre_months, &errors, edit(|d, t| d.min_pre_months = t)) }
            </fieldset>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Unit costs (scrolls sideways on narrow screens)">
            <table data-testid="unit-costs" class="nhsuk-table editable">
                <caption class="nhsuk-table__caption">{ "Unit costs (edit, add or remove rows; applied to every figure)" }</caption>
                <thead><tr><th scope="col">{ "Event type" }</th><th scope="col">{ "Unit" }</th><th scope="col">{ "Price (£)" }</th><th scope="col">{ "Price year" }</th><th scope="col">{ "Source" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>{ for draft.unit_costs.iter().enumerate().map(|(i, u)| html! {
                    <tr>
                        { cell(format!("unit-type-{i}"), format!("Event type, row {}", i + 1), &u.event_type, row_edit(i, |r, t| r.event_type = t)) }
                        { cell(format!("unit-unit-{i}"), format!("Unit, row {}", i + 1), &u.unit, row_edit(i, |r, t| r.unit = t)) }
                        { cell(format!("unit-price-{i}"), format!("Price, row {}", i + 1), &u.price, row_edit(i, |r, t| r.price = t)) }
                        { cell(format!("unit-year-{i}"), format!("Price year, row {}", i + 1), &u.price_year, row_edit(i, |r, t| r.price_year = t)) }
                        { cell(format!("unit-source-{i}"), format!("Source, row {}", i + 1), &u.source, row_edit(i, |r, t| { r.source = t; r.estimate = false; r.note = None; })) }
                        <td><button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={remove_row(i)} aria-label={format!("Remove unit cost row {}", i + 1)}>{ "Remove" }</button></td>
                    </tr>
                }) }</tbody>
            </table>
            </div>
            if let Some(message) = message_for(&errors, "unit-costs") { <p class="field-error" role="alert">{ message }</p> }
            <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="add-unit-cost" onclick={add_row}>{ "Add a unit cost" }</button>
            <table data-testid="service-costs" class="nhsuk-table editable">
                <caption class="nhsuk-table__caption">{ "Service cost per person-month, by pathway (for net value and return per £1)" }</caption>
                <thead><tr><th scope="col">{ "Pathway" }</th><th scope="col">{ "Cost per person-month (£)" }</th></tr></thead>
                <tbody>{ for draft.service_costs.iter().enumerate().map(|(i, s)| html! {
                    <tr><th scope="row">{ &s.pathway }</th>{ cell(format!("service-cost-{i}"), format!("Cost per person-month, {}", s.pathway), &s.cost_per_person_month, service_edit(i)) }</tr>
                }) }</tbody>
            </table>
            <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="add-service-cost" onclick={add_service_cost}>{ "Add a pathway's service cost" }</button>
            <div class="settings-actions">
                <button type="button" class="nhsuk-button" id="apply-value-settings" onclick={on_apply} disabled={!changed}>{ "Apply to every figure" }</button>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_reset} disabled={*draft == Draft::from_config(&configured)}>{ "Undo changes" }</button>
                if !errors.is_empty() {
                    <p class="field-error" role="status">{ "Some settings cannot be used: see the messages beside them. Nothing has been applied." }</p>
                } else if changed {
                    <p class="note" role="status">{ "Not applied yet: the figures below use the settings in force." }</p>
                }
            </div>
        </form>
    };
    let body = match (&loaded.value, &loaded.report().value) {
        (Some(c), Some(v)) => {
            let cur = c.currency.as_deref();
            let lead = v.lead_summary();
            html! {
                <>
                    { super::value_headline(&v.headline, "value-headline", "value-lead") }
                    <dl class="figures">
                        <div class="figure" data-testid="value-gross"><dt>{ "Gross cost avoided, before and after (no adjustment)" }</dt><dd>{ c.naive.gross_avoided.format(cur) }</dd></div>
                        <div class="figure" data-testid="value-adjusted"><dt>{ format!("Before and after, after attribution {}% and optimism bias {}%", c.settings.attribution_percent, c.settings.optimism_bias_percent) }</dt><dd>{ c.naive.adjusted_avoided.format(cur) }</dd></div>
                        if let Some(did) = &c.difference_in_differences {
                            <div class="figure" data-testid="value-did"><dt>{ "Against the comparison cohort (difference-in-differences)" }</dt><dd>{ did.value.adjusted_avoided.format(cur) }</dd></div>
                        }
                        if let Some(cost) = &lead.service_cost {
                            <div class="figure" data-testid="value-service-cost"><dt>{ "Service cost over the same months" }</dt><dd>{ cost.format(cur) }</dd></div>
                        }
                        if let Some(net) = &lead.net_value {
                            <div class="figure" data-testid="value-net"><dt>{ "Net value (headline figure minus service cost)" }</dt><dd>{ net.format(cur) }</dd></div>
                        }
                        if let Some(roi) = &lead.return_per_pound_spent {
                            <div class="figure" data-testid="value-roi"><dt>{ "Return per £1 spent (headline basis)" }</dt><dd>{ format_ratio(roi) }</dd></div>
                        }
                        if lead.service_cost.is_none() {
                            <div class="figure" data-testid="value-net"><dt>{ "Net value and return per £1" }</dt><dd class="muted">{ "Set each pathway's service cost below" }</dd></div>
                        }
                    </dl>
                    <ChartFigure id="avoided-by-type" chart={Rc::new(avoided_cost_bars(c)) as Rc<dyn Chart>} />
                    <ChartFigure id="avoided-over-time" chart={Rc::new(cumulative_avoided_line(c)) as Rc<dyn Chart>} />
                    <table class="nhsuk-table" data-testid="value-pathways">
                        <caption class="nhsuk-table__caption">{ "By pathway (before and after, adjusted)" }</caption>
                        <thead><tr><th scope="col">{ "Pathway" }</th><th scope="col">{ "People" }</th><th scope="col">{ "Cost avoided (adjusted)" }</th></tr></thead>
                        <tbody>{ for v.by_pathway.iter().map(|p| html! {
                            <tr><th scope="row">{ &p.pathway }</th><td>{ p.people.to_string() }</td><td>{ p.value.adjusted_avoided.format(cur) }</td></tr>
                        }) }</tbody>
                    </table>
                    <p class="how">{ methods::how_worked_out(Method::CostAvoidance, &loaded.config.filter) }{ " " }{ methods::how_worked_out_named("Unit costs", Method::UnitCosts, &loaded.config.filter) }</p>
                    <h3>{ "Caveats and assumptions" }</h3>
                    <ul data-testid="value-caveats">{ for v.warnings.iter().chain(&v.assumptions).map(|t| html! { <li>{ t }</li> }) }</ul>
                </>
            }
        }
        _ => {
            let message = loaded
                .report()
                .value_note
                .clone()
                .unwrap_or_else(|| "there are no people to analyse".to_string());
            html! { <p class="verdict bad">{ format!("Cost avoidance could not be computed: {message}") }</p> }
        }
    };
    html! {
        <section aria-labelledby="value-heading" data-testid="value">
            <h2 id="value-heading">{ "Cost avoidance" }</h2>
            { body }
            { settings }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> ValueConfig {
        ValueConfig::default()
    }

    /// The settings as saved come back unchanged through the form.
    #[test]
    fn an_untouched_form_gives_the_settings_back() {
        let config = defaults();
        assert_eq!(Draft::from_config(&config).to_config(&config), Ok(config));
    }

    /// "150" used to be ignored while the box kept showing it: now the core's rule is shown
    /// beside the field, and nothing is applied.
    #[test]
    fn refused_values_are_reported_beside_their_field() {
        let config = defaults();
        let mut draft = Draft::from_config(&config);
        draft.attribution = "150".into();
        let errors = draft.to_config(&config).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "attribution");
        assert!(errors[0].1.contains("0 to 100"), "{}", errors[0].1);

        let mut draft = Draft::from_config(&config);
        draft.pre_months = "six".into();
        draft.unit_costs[0].price = "-3".into();
        let errors = draft.to_config(&config).unwrap_err();
        assert_eq!(errors[0].0, "pre-months", "{errors:?}");

        let mut draft = Draft::from_config(&config);
        draft.unit_costs[0].price = "-3".into();
        let errors = draft.to_config(&config).unwrap_err();
        assert_eq!(errors[0].0, "unit-price-0", "{errors:?}");
    }

    /// Edits to unit costs and service costs reach the configuration that is applied.
    #[test]
    fn edited_costs_are_applied() {
        let config = defaults();
        let mut draft = Draft::from_config(&config);
        draft.unit_costs[0].price = "250".into();
        draft.unit_costs.remove(1);
        draft.attribution = "50".into();
        draft.service_costs.push(ServiceCostDraft {
            pathway: "Step-down".into(),
            cost_per_person_month: "410.5".into(),
            currency: "GBP".into(),
            price_year: None,
            source: None,
        });
        let applied = draft.to_config(&config).unwrap();
        assert_eq!(applied.attribution_percent, 50.0);
        assert_eq!(applied.unit_costs.rows[0].price, 250.0);
        assert_eq!(
            applied.unit_costs.rows.len(),
            config.unit_costs.rows.len() - 1
        );
        assert_eq!(applied.service_costs[0].cost_per_person_month, 410.5);
    }
}
