//! A chart from `waymark-charts` with its accessible extras: the SVG (title and description
//! inside), a "show as table" toggle, and downloads of the SVG and of the table as CSV.

use crate::download::{download_text, Download};
use std::rc::Rc;
use waymark_charts::{Chart, RenderOptions, TableData};
use yew::prelude::*;

#[derive(Properties)]
pub struct ChartFigureProps {
    /// Unique on the page: ids inside the SVG are prefixed with it.
    pub id: AttrValue,
    pub chart: Rc<dyn Chart>,
    #[prop_or(760.0)]
    pub width: f64,
    /// The chart draws people one by one (a point or a line each): it stays on screen, and
    /// only its table (aggregates, under disclosure control) can be downloaded.
    #[prop_or(false)]
    pub person_level: bool,
}

impl PartialEq for ChartFigureProps {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && Rc::ptr_eq(&self.chart, &other.chart)
            && self.width == other.width
            && self.person_level == other.person_level
    }
}

#[function_component(ChartFigure)]
pub fn chart_figure(props: &ChartFigureProps) -> Html {
    let as_table = use_state(|| false);
    let svg = use_memo(
        (
            props.id.clone(),
            props.width,
            Rc::as_ptr(&props.chart) as *const () as usize,
        ),
        {
            let chart = props.chart.clone();
            move |(id, width, _)| {
                let mut options = RenderOptions::new(id);
                options.width = *width;
                chart.to_svg(&options)
            }
        },
    );
    let table: Rc<TableData> = use_memo(Rc::as_ptr(&props.chart) as *const () as usize, {
        let chart = props.chart.clone();
        move |_| waymark_core::report::charts::disclose_table(&chart.as_table())
    });
    let toggle = {
        let as_table = as_table.clone();
        Callback::from(move |_: MouseEvent| as_table.set(!*as_table))
    };
    let file_stem = props.id.to_string();
    let on_svg = {
        let svg = svg.clone();
        let name = format!("{file_stem}.svg");
        Callback::from(move |_: MouseEvent| {
            download_text(&name, &svg, Download::Svg);
        })
    };
    let on_png = {
        let svg = svg.clone();
        let name = format!("{file_stem}.png");
        Callback::from(move |_: MouseEvent| crate::download::download_svg_as_png(&name, &svg))
    };
    let on_csv = {
        let table = table.clone();
        let name = format!("{file_stem}.csv");
        Callback::from(move |_: MouseEvent| download_text(&name, &table.to_csv(), Download::Csv))
    };
    html! {
        <figure class="chart" data-chart={props.id.clone()}>
            if *as_table {
                { Html::from_html_unchecked(AttrValue::from(table.to_html())) }
            } else {
                { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
            }
            <figcaption class="chart-actions">
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" aria-pressed={as_table.to_string()} onclick={toggle}>
                    { if *as_table { "Show as chart" } else { "Show as table" } }
                </button>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_csv}>{ "Download table (CSV)" }</button>
                if props.person_level {
                    <span class="note">{ "This chart shows people one by one, so it is not offered as an image: it stays on screen." }</span>
                } else {
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_svg}>{ "Download chart (SVG)" }</button>
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_png}>{ "Download chart (PNG)" }</button>
                }
            </figcaption>
        </figure>
    }
}
