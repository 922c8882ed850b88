//! The filter bar: narrow every view to a period, pathway, team, coordinator or demographic
//! group. Choosing a value
//! changes the URL hash (which holds settings, never data); the app re-runs the analysis.

use crate::engine::snapshot::FilterOptions;
use chrono::NaiveDate;
use std::rc::Rc;
use waymark_core::filter::PeopleFilter;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// An edit of the filter: applied by the app to the filter the URL holds at that moment.
#[derive(Clone)]
pub struct FilterEdit(pub Rc<dyn Fn(&mut PeopleFilter)>);

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    /// The values each filter can take, from the whole dataset.
    pub options: Rc<FilterOptions>,
    pub filter: PeopleFilter,
    /// One change to apply to the filter in the URL. A change, not a whole filter: two quick
    /// edits (from, then to) must not undo each other while the page re-renders.
    pub on_change: Callback<FilterEdit>,
}

fn select(
    id: &'static str,
    label: &'static str,
    options: &[String],
    chosen: Option<&String>,
    on: Callback<Option<String>>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
            let value = select.value();
            on.emit((!value.is_empty()).then_some(value));
        }
    });
    html! {
        <div class="nhsuk-form-group filter">
            <label class="nhsuk-label" for={id}>{ label }</label>
            <select class="nhsuk-select" id={id} {onchange}>
                <option value="" selected={chosen.is_none()}>{ "All" }</option>
                { for options.iter().map(|o| {
                    let selected = chosen == Some(o);
                    html! { <option value={o.clone()} {selected}>{ o.clone() }</option> }
                }) }
            </select>
        </div>
    }
}

/// A date box bounded by the data's first and last dates; clearing it removes that bound.
fn date_input(
    id: &'static str,
    label: &'static str,
    chosen: Option<NaiveDate>,
    options: &FilterOptions,
    on: Callback<Option<NaiveDate>>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            let value = input.value();
            if value.is_empty() {
                on.emit(None);
            } else if let Ok(date) = NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
                on.emit(Some(date));
            }
        }
    });
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    html! {
        <div class="nhsuk-form-group filter">
            <label class="nhsuk-label" for={id}>{ label }</label>
            <input class="nhsuk-input" type="date" id={id} value={iso(chosen)} min={iso(options.first_date)} max={iso(options.last_date)} {onchange} />
        </div>
    }
}

#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let options = &props.options;
    let set_date = |apply: fn(&mut PeopleFilter, Option<NaiveDate>)| {
        let on_change = props.on_change.clone();
        Callback::from(move |value: Option<NaiveDate>| {
            on_change.emit(FilterEdit(Rc::new(move |f| apply(f, value))));
        })
    };
    let set = |apply: fn(&mut PeopleFilter, Option<String>)| {
        let on_change = props.on_change.clone();
        Callback::from(move |value: Option<String>| {
            on_change.emit(FilterEdit(Rc::new(move |f| apply(f, value.clone()))));
        })
    };
    html! {
        <form class="filters" aria-label="Filter every view" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select("filter-pathway", "Pathway", &options.pathways, props.filter.pathways.first(), set(|f, v| f.pathways = v.into_iter().collect())) }
            { select("filter-team", "Team", &options.teams, props.filter.teams.first(), set(|f, v| f.teams = v.into_iter().collect())) }
            { select("filter-coordinator", "Care coordinator", &options.coordinators, props.filter.coordinators.first(), set(|f, v| f.coordinators = v.into_iter().collect())) }
            { select("filter-age", "Age band", &options.age_bands, props.filter.age_bands.first(), set(|f, v| f.age_bands = v.into_iter().collect())) }
            { select("filter-sex", "Sex", &options.sexes, props.filter.sexes.first(), set(|f, v| f.sexes = v.into_iter().collect())) }
            { select("filter-ethnicity", "Ethnicity", &options.ethnicities, props.filter.ethnicities.first(), set(|f, v| f.ethnicities = v.into_iter().collect())) }
            { date_input("filter-from", "Period from", props.filter.period_from, options, set_date(|f, d| f.period_from = d)) }
            { date_input("filter-to", "Period to", props.filter.period_to, options, set_date(|f, d| f.period_to = d)) }
            if !props.filter.is_empty() {
                <p class="filter-note" role="status">{ "Every figure below describes the filtered people only." }
                    if props.filter.period_from.is_some() || props.filter.period_to.is_some() {
                        { " The period keeps people in service at some time within it; nothing dated after its end counts, and the monthly charts start at its start." }
                    }
                </p>
            }
        </form>
    }
}
