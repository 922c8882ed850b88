//! The filter bar: narrow every view to a pathway, team, coordinator or demographic group. Choosing a value
//! changes the URL hash (which holds settings, never data); the app re-runs the analysis.

use std::rc::Rc;
use waymark_core::filter::PeopleFilter;
use waymark_core::model::Label;
use waymark_core::Dataset;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct FilterBarProps {
    pub dataset: Rc<Dataset>,
    pub filter: PeopleFilter,
    pub on_change: Callback<PeopleFilter>,
}

impl PartialEq for FilterBarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.dataset, &other.dataset) && self.filter == other.filter
    }
}

/// Distinct values of a people column, sorted.
fn distinct(data: &Dataset, column: impl Iterator<Item = Option<Label>>) -> Vec<String> {
    let mut values: Vec<String> = column
        .flatten()
        .map(|l| data.text.text(l).to_string())
        .collect();
    values.sort();
    values.dedup();
    values
}

fn select(
    id: &'static str,
    label: &'static str,
    options: Vec<String>,
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
        <div class="filter">
            <label for={id}>{ label }</label>
            <select id={id} {onchange}>
                <option value="" selected={chosen.is_none()}>{ "All" }</option>
                { for options.into_iter().map(|o| {
                    let selected = chosen == Some(&o);
                    html! { <option value={o.clone()} {selected}>{ o }</option> }
                }) }
            </select>
        </div>
    }
}

#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let data = &props.dataset;
    let people = &data.people;
    let set = |apply: fn(&mut PeopleFilter, Option<String>)| {
        let filter = props.filter.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |value: Option<String>| {
            let mut next = filter.clone();
            apply(&mut next, value);
            on_change.emit(next);
        })
    };
    html! {
        <form class="filters" aria-label="Filter every view" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select("filter-pathway", "Pathway", distinct(data, people.pathway.iter().map(|l| Some(*l))), props.filter.pathways.first(), set(|f, v| f.pathways = v.into_iter().collect())) }
            { select("filter-team", "Team", distinct(data, people.team.iter().copied()), props.filter.teams.first(), set(|f, v| f.teams = v.into_iter().collect())) }
            { select("filter-coordinator", "Care coordinator", distinct(data, people.coordinator.iter().copied()), props.filter.coordinators.first(), set(|f, v| f.coordinators = v.into_iter().collect())) }
            { select("filter-age", "Age band", distinct(data, people.age_band.iter().copied()), props.filter.age_bands.first(), set(|f, v| f.age_bands = v.into_iter().collect())) }
            { select("filter-sex", "Sex", distinct(data, people.sex.iter().copied()), props.filter.sexes.first(), set(|f, v| f.sexes = v.into_iter().collect())) }
            { select("filter-ethnicity", "Ethnicity", distinct(data, people.ethnicity.iter().copied()), props.filter.ethnicities.first(), set(|f, v| f.ethnicities = v.into_iter().collect())) }
            if !props.filter.is_empty() {
                <p class="filter-note" role="status">{ "Every figure below describes the filtered people only." }</p>
            }
        </form>
    }
}
