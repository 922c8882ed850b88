//! Team and coordinator governance: the governance pack's two tables (per team, per care
//! coordinator) for supervision and governance forums, and its printable download. The pack is
//! built in the core's pipeline; this view only lays out its tables (the same `TableData` the
//! printable page is made of).

use super::methods::{self, Method};
use super::ViewProps;
use waymark_charts::TableData;
use waymark_core::report::governance::GroupKind;
use yew::prelude::*;

/// One of the pack's tables, drawn by the same `TableData::to_html` as the printable page
/// (which escapes every cell).
fn table(data: &TableData, test_id: &str) -> Html {
    html! {
        // Scrolls sideways on a narrow screen instead of breaking words inside the headers.
        <div class="table-scroll" tabindex="0" role="region" aria-label={data.caption.clone()} data-testid={test_id.to_string()}>
            { Html::from_html_unchecked(AttrValue::from(data.to_html())) }
        </div>
    }
}

#[function_component(Governance)]
pub fn governance(props: &ViewProps) -> Html {
    let loaded = &props.loaded;
    let on_download = {
        // The download is always the disclosure-controlled pack.
        let pack = loaded.export_governance.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(pack) = &pack {
                crate::download::download_text(
                    "waymark-governance.html",
                    &pack.to_html(),
                    crate::download::Download::Html,
                )
            }
        })
    };
    let Some(pack) = loaded.governance() else {
        return html! {
            <section aria-labelledby="view-heading" data-testid="governance">
                <p class="note">{ "No governance pack: the data have no people to analyse." }</p>
            </section>
        };
    };
    html! {
        <section aria-labelledby="view-heading" data-testid="governance">
            <p class="note">{ format!(
                "For supervision and governance forums. Analysis date {}. The whole-service row uses the same figures as the rest of the app; how each figure is worked out is at the end of the printable pack.",
                pack.as_of
            ) }</p>
            <p><button type="button" class="nhsuk-button" data-testid="download-governance" onclick={on_download}>
                { "Download the governance pack (HTML, printable)" }
            </button></p>
            <p class="how">{ methods::how_worked_out(Method::Governance, &loaded.config.filter) }{ " " }{ methods::how_worked_out_named("Reviews leading to action", Method::ReviewsToAction, &loaded.config.filter) }</p>
            <h2>{ "By team" }</h2>
            { table(&pack.table(GroupKind::Team), "governance-teams") }
            <h2>{ "By care coordinator" }</h2>
            { table(&pack.table(GroupKind::Coordinator), "governance-coordinators") }
        </section>
    }
}
