//! How each figure is worked out: docs/methods.md, rendered at build time (web/build.rs) and
//! shown inside the app, so it works offline and in the single-file build. Each figure's
//! "How is this worked out?" link ([`how_worked_out`]) opens its section.

use super::bring_into_view;
use crate::state::{hash_with, View};
use waymark_core::filter::PeopleFilter;
use yew::prelude::*;

/// docs/methods.md as HTML, headings with ids `method-<GitHub slug>` and one level down.
const METHODS_HTML: &str = include_str!(concat!(env!("OUT_DIR"), "/methods.html"));
/// Its top sections, `id<TAB>title` per line, for the contents list.
const METHODS_SECTIONS: &str = include_str!(concat!(env!("OUT_DIR"), "/methods-sections.tsv"));

/// A section of the methods that a figure links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    DataQuality,
    SmallNumbers,
    ReliableChange,
    DirectionPerPerson,
    ServiceIndicators,
    Xmr,
    Stability,
    Goals,
    ReviewsToAction,
    Governance,
    Narrative,
    CostAvoidance,
    HeadlineValue,
    UnitCosts,
    Pathways,
    Intervals,
    TimeToEvent,
    Funnels,
    ReportPack,
}

impl Method {
    /// Every section a figure links to (checked against the methods by the tests).
    #[cfg(test)]
    pub const ALL: [Method; 19] = [
        Method::DataQuality,
        Method::SmallNumbers,
        Method::ReliableChange,
        Method::DirectionPerPerson,
        Method::ServiceIndicators,
        Method::Xmr,
        Method::Stability,
        Method::Goals,
        Method::ReviewsToAction,
        Method::Governance,
        Method::Narrative,
        Method::CostAvoidance,
        Method::HeadlineValue,
        Method::UnitCosts,
        Method::Pathways,
        Method::Intervals,
        Method::TimeToEvent,
        Method::Funnels,
        Method::ReportPack,
    ];

    /// The section's heading slug in docs/methods.md (without the `method-` prefix).
    pub fn section(self) -> &'static str {
        match self {
            Method::DataQuality => "data-quality-and-the-verdict",
            Method::SmallNumbers => "small-number-suppression",
            Method::ReliableChange => "reliable-and-clinically-significant-change",
            Method::DirectionPerPerson => "direction-of-travel-per-person",
            Method::ServiceIndicators => "service-indicators-by-month",
            Method::Xmr => "statistical-process-control-xmr-charts-making-data-count",
            Method::Stability => "stability-and-early-warning",
            Method::Goals => "goals-and-reviews",
            Method::ReviewsToAction => "reviews-leading-to-action",
            Method::Governance => "governance-pack-per-team-and-per-care-coordinator",
            Method::Narrative => "numbers-with-narrative",
            Method::CostAvoidance => "value-cost-avoidance",
            Method::HeadlineValue => "the-headline-figure",
            Method::UnitCosts => "unit-costs",
            Method::Pathways => "comparing-care-pathways",
            Method::Intervals => "confidence-intervals-and-effect-sizes",
            Method::TimeToEvent => {
                "time-to-an-event-kaplanmeier-median-restricted-mean-and-the-log-rank-test"
            }
            Method::Funnels => "funnel-plots",
            Method::ReportPack => "the-report-pack",
        }
    }
}

/// A figure's link to the section of the methods that explains it; the link keeps the filter
/// (it lives in the URL hash, and a hash without it would clear it).
pub fn how_worked_out(method: Method, filter: &PeopleFilter) -> Html {
    link("How is this worked out?".to_string(), method, filter)
}

/// The same link where several sit together, naming what each explains.
pub fn how_worked_out_named(what: &str, method: Method, filter: &PeopleFilter) -> Html {
    link(
        format!("How is this worked out: {}", what.to_lowercase()),
        method,
        filter,
    )
}

fn link(text: String, method: Method, filter: &PeopleFilter) -> Html {
    let href = hash_with(View::Methods, filter, &[("show", method.section())]);
    html! { <a class="how-worked-out" {href}>{ text }</a> }
}

#[derive(Properties, PartialEq)]
pub struct MethodsProps {
    /// The section to open (`#methods?show=<section>`).
    #[prop_or_default]
    pub target: Option<String>,
}

#[function_component(Methods)]
pub fn methods(props: &MethodsProps) -> Html {
    use_effect_with(props.target.clone(), |target| {
        if let Some(section) = target {
            bring_into_view(&format!("method-{section}"));
        }
    });
    html! {
        <section class="methods" data-testid="methods">
            <p class="nhsuk-lede-text">{ "Every figure in Waymark, the formula behind it, its source and the tools it is checked against. This page is part of the app: it works offline and sends nothing anywhere." }</p>
            <nav class="contents" aria-label="Sections of the methods">
                <p class="contents-title">{ "Sections" }</p>
                <ul>{ for METHODS_SECTIONS.lines().filter_map(|line| line.split_once('\t')).map(|(id, title)| {
                    // Scrolled to in place: the URL hash holds the view and the filter.
                    let target = id.to_string();
                    let onclick = Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        bring_into_view(&target);
                    });
                    html! { <li><a href={format!("#{id}")} {onclick}>{ title }</a></li> }
                }) }</ul>
            </nav>
            { Html::from_html_unchecked(AttrValue::Static(METHODS_HTML)) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every "How is this worked out?" link opens a section that exists.
    #[test]
    fn every_method_link_names_a_heading_of_the_methods() {
        for method in Method::ALL {
            let id = format!("id=\"method-{}\"", method.section());
            assert!(
                METHODS_HTML.contains(&id),
                "{method:?}: no heading {id} in docs/methods.md"
            );
        }
    }

    #[test]
    fn the_methods_page_has_no_heading_of_its_own_rank_one() {
        assert!(
            !METHODS_HTML.contains("<h1"),
            "the view's title is its only h1"
        );
        assert!(METHODS_HTML.contains("<h2 id=\"method-methods\""));
    }

    #[test]
    fn the_contents_list_names_sections_of_the_page() {
        let sections: Vec<_> = METHODS_SECTIONS.lines().collect();
        assert!(sections.len() >= 5, "{sections:?}");
        for line in sections {
            let (id, title) = line.split_once('\t').expect("id and title");
            assert!(
                METHODS_HTML.contains(&format!("<h3 id=\"{id}\"")),
                "{id} is a section heading"
            );
            assert!(!title.is_empty());
        }
    }

    #[test]
    fn links_to_other_repository_files_are_dropped() {
        assert!(!METHODS_HTML.contains("href=\"data-formats.md\""));
        assert!(METHODS_HTML.contains("data-formats.md") || !METHODS_HTML.contains(".md"));
    }
}
