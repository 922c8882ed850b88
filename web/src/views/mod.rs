//! One component per view. Every number comes from the core's report (aggregates, under
//! disclosure control) or analysis (person-level detail, for the user's own eyes); nothing is
//! recomputed here.

pub mod direction;
pub mod goals;
pub mod governance;
pub mod methods;
pub mod narrative;
pub mod overview;
pub mod pathways;
pub mod person;
pub mod privacy;
pub mod report_settings;
pub mod stability;
pub mod value;

use crate::state::{hash_with, Loaded, View};
use waymark_core::filter::PeopleFilter;
use waymark_core::report::charts::{
    assurance_icon_svg, assurance_label, variation_icon_svg, variation_label,
};
use waymark_core::report::direction::DirectionReport;
use waymark_core::stats::spc::VariationIcon;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub loaded: Loaded,
    /// What the URL asks the view to open (a chart's key, a person's ID).
    #[prop_or_default]
    pub target: Option<String>,
}

/// A small figure with its label, as on a dashboard.
pub fn figure(label: &str, value: String, test_id: &str) -> Html {
    html! {
        <div class="figure" data-testid={test_id.to_string()}>
            <dt>{ label }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

/// The value headline (the core's most defensible figure) with its statement and caveat, as
/// the overview, the value view and the cost widget lead with it.
pub fn value_headline(
    h: &waymark_core::value::ValueHeadline,
    test_id: &str,
    figure_test_id: &str,
) -> Html {
    let cur = h.currency.as_deref();
    html! {
        <div class="headline" data-testid={test_id.to_string()}>
            <p class="headline-label">{ &h.label }</p>
            // Each amount stays on one line: a narrow screen must not break "−£72,860" after
            // its minus sign.
            <p class="headline-figure" data-testid={figure_test_id.to_string()}>
                <span class="nowrap">{ h.estimate.value.format(cur) }</span>
                if let Some(ci) = &h.estimate.ci95 {
                    { " (95% CI " }<span class="nowrap">{ ci.lower.format(cur) }</span>{ " to " }<span class="nowrap">{ ci.upper.format(cur) }</span>{ ")" }
                }
            </p>
            <p>{ amounts_unbroken(&h.statement) }</p>
            <p class="caveat">{ amounts_unbroken(&h.caveat) }</p>
        </div>
    }
}

/// Prose with each negative amount ("−£72,860") kept on one line: browsers may break a line
/// between the minus sign and the currency symbol, which reads as a positive amount.
pub fn amounts_unbroken(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('\u{2212}') {
        let (before, from_minus) = rest.split_at(start);
        let minus_len = '\u{2212}'.len_utf8();
        let amount_len = minus_len
            + from_minus[minus_len..]
                .find(|c: char| !(c == '£' || c == ',' || c == '.' || c.is_ascii_digit()))
                .unwrap_or(from_minus.len() - minus_len);
        parts.push(html! { { before.to_string() } });
        parts.push(html! { <span class="nowrap">{ from_minus[..amount_len].to_string() }</span> });
        rest = &from_minus[amount_len..];
    }
    parts.push(html! { { rest.to_string() } });
    html! { <>{ for parts }</> }
}

/// The direction-of-travel report, or a note saying why there is none.
pub fn with_direction(loaded: &Loaded, body: impl FnOnce(&DirectionReport) -> Html) -> Html {
    match &loaded.report().direction_of_travel {
        Some(direction) => body(direction),
        None => {
            html! { <p class="verdict bad">{ "There is nothing to analyse yet: the people table is empty or missing." }</p> }
        }
    }
}

/// Person-level detail, or a note while it is still arriving: the engine sends each analysis's
/// person-level lists just after the rest, so the overview is drawn without waiting for them.
pub fn person_level(loaded: &Loaded, body: impl FnOnce() -> Html) -> Html {
    if loaded.presentation {
        html! { <p class="note" data-testid="person-level-hidden">{ "Person-level lists and charts are hidden in presentation mode: the figures above follow the export rules, and an exact list would undo them." }</p> }
    } else if loaded.person_level_pending {
        html! { <p class="note" role="status" data-testid="person-level-pending">{ "The person-level detail is still arriving from the analysis…" }</p> }
    } else {
        body()
    }
}

/// The Making Data Count variation icon with its words beside it (`None`: too few points).
pub fn variation_icon(icon: Option<VariationIcon>, id: &str) -> Html {
    let label = icon.map_or("Too few points to judge variation", variation_label);
    html! {
        <span class="icon-label">
            { Html::from_html_unchecked(AttrValue::from(variation_icon_svg(id, icon))) }
            <span>{ label }</span>
        </span>
    }
}

/// Every service indicator in one table, as NHS boards' "icons only" summaries show them:
/// latest value, variation and assurance icons, each row linking to its chart.
pub fn indicator_summary(d: &DirectionReport, filter: &PeopleFilter) -> Html {
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Service indicators (scrolls sideways on narrow screens)">
        <table class="nhsuk-table indicator-summary" data-testid="indicator-summary">
            <caption class="nhsuk-table__caption">{ "Each indicator's latest month, with its Making Data Count icons (variation: is there a signal; assurance: will the target be met)" }</caption>
            <thead><tr>
                <th scope="col">{ "Indicator" }</th><th scope="col">{ "Latest month" }</th>
                <th scope="col">{ "Value" }</th><th scope="col">{ "Variation" }</th><th scope="col">{ "Assurance" }</th>
            </tr></thead>
            <tbody>
                { for d.service.indicators.iter().map(|ind| {
                    let latest = ind.latest_shown();
                    let spc = ind.spc.as_ref();
                    let icon_id = format!("icon-{}", ind.key);
                    html! {
                        <tr data-indicator={ind.key.clone()}>
                            <th scope="row"><a href={hash_with(View::Direction, filter, &[("show", &ind.key)])}>{ &ind.title }</a></th>
                            <td>{ latest.map_or("–".to_string(), |m| m.month.format("%b %Y").to_string()) }</td>
                            <td class="number">{ latest.map_or("–".to_string(), |m| format!("{:.1} {} (n = {})", m.value.unwrap_or_default(), ind.unit, m.count)) }</td>
                            <td class="icon-cell">{ variation_icon(spc.map(|s| s.variation_icon), &icon_id) }</td>
                            <td class="icon-cell">{ match spc.and_then(|s| s.assurance_icon) {
                                Some(a) => html! { <span class="icon-label">
                                    { Html::from_html_unchecked(AttrValue::from(assurance_icon_svg(&format!("{icon_id}-assurance"), a))) }
                                    <span>{ assurance_label(a) }</span>
                                </span> },
                                None => html! { <span class="note">{ "No target set" }</span> },
                            } }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
        </div>
    }
}

/// A person's ID as a link that opens their timeline.
pub fn person_link(loaded: &Loaded, person: usize) -> Html {
    let id = person_id(loaded, person);
    html! { <a href={hash_with(View::Person, &loaded.config.filter, &[("id", &id)])}>{ id }</a> }
}

/// A person's pseudonymous ID from the analyses' person number (their row among the
/// analysed, filtered people).
pub fn person_id(loaded: &Loaded, person: usize) -> String {
    loaded.person_ids.get(person).cloned().unwrap_or_default()
}

pub fn fmt_opt(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v:.digits$}"))
}

/// Scrolls the element with this id into view, when the page has one, opening it first if it
/// is a folded section (`<details>`).
pub(crate) fn bring_into_view(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        if element.tag_name().eq_ignore_ascii_case("details") {
            let _ = element.set_attribute("open", "");
        }
        element.scroll_into_view();
    }
}

/// The foot of a story card: the view with the detail, and how the figure is worked out.
pub(crate) fn card_links(view: View, filter: &PeopleFilter, method: methods::Method) -> Html {
    html! {
        <p class="card-links">
            <a href={crate::state::hash_for(view, filter)}>{ format!("See {}", view.title().to_lowercase()) }</a>
            { methods::how_worked_out(method, filter) }
        </p>
    }
}
