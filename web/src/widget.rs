//! Embeddable widgets: one of the app's key visuals mounted into an element of someone else's
//! page (a provider's intranet), by the `<waymark-widget>` custom element (web/waymark-widget.js)
//! or the iframe embed (web/embed.html).
//!
//! A widget is the app's own components (the overview view, `ChartFigure` with the report's
//! XmR chart, the pathways view, the figure helper) over the same pipeline
//! (`analyse_dataset`), never a copy. Only the report's disclosure-controlled aggregates are
//! shown, so small counts appear as `*` exactly as in the app and the exports.
//!
//! Several widgets on one page usually show the same files: the parsed files are cached by
//! their content and the analysis by (content, configuration), so five widgets parse once.
//! [`parse_count`] lets a test check that.

use crate::components::chart::ChartFigure;
use crate::state::Loaded;
use crate::views;
use chrono::NaiveDate;
use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use waymark_charts::Chart;
use waymark_core::config::Config;
use waymark_core::demo::{self, DemoParams};
use waymark_core::ingest::{ingest_with, IngestRules};
use waymark_core::report::charts::{assurance_label, variation_label, xmr_chart};
use waymark_core::report::direction::indicator_name;
use waymark_core::{Dataset, InputFile, ValidationReport};
use yew::prelude::*;

/// The visuals a host page can embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WidgetKind {
    /// The overview: key figures and the plain-English interpretation.
    DirectionSummary,
    /// One service indicator's XmR chart with its Making Data Count verdict.
    Spc,
    /// The pathway comparison.
    Pathways,
    /// Cost avoided, adjusted, with its interval.
    CostAvoidance,
    /// How many people the early-warning rule flags.
    EarlyWarning,
}

impl WidgetKind {
    pub const ALL: [WidgetKind; 5] = [
        WidgetKind::DirectionSummary,
        WidgetKind::Spc,
        WidgetKind::Pathways,
        WidgetKind::CostAvoidance,
        WidgetKind::EarlyWarning,
    ];

    /// The name used in the `kind` attribute and the `kind` URL parameter.
    pub fn slug(self) -> &'static str {
        match self {
            WidgetKind::DirectionSummary => "direction-summary",
            WidgetKind::Spc => "spc",
            WidgetKind::Pathways => "pathways",
            WidgetKind::CostAvoidance => "cost-avoidance",
            WidgetKind::EarlyWarning => "early-warning",
        }
    }

    pub fn from_slug(slug: &str) -> Option<WidgetKind> {
        WidgetKind::ALL
            .into_iter()
            .find(|k| k.slug() == slug.trim())
    }
}

/// The indicator an `spc` widget shows when the host names none.
pub const DEFAULT_INDICATOR: &str = waymark_core::analysis::service::CRISIS_RATE;

#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    pub kind: WidgetKind,
    pub loaded: Loaded,
    /// The service indicator of an `spc` widget (`crisis_rate`, ...).
    #[prop_or_default]
    pub indicator: Option<AttrValue>,
}

#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let loaded = &props.loaded;
    let body = match props.kind {
        WidgetKind::DirectionSummary => {
            html! { <views::overview::Overview loaded={loaded.clone()} /> }
        }
        WidgetKind::Pathways => html! { <views::pathways::Pathways loaded={loaded.clone()} /> },
        WidgetKind::Spc => spc(
            loaded,
            props.indicator.as_deref().unwrap_or(DEFAULT_INDICATOR),
        ),
        WidgetKind::CostAvoidance => cost_avoidance(loaded),
        WidgetKind::EarlyWarning => views::with_direction(loaded, |d| {
            let s = &d.stability;
            html! {
                <section class="widget-card" aria-labelledby="early-warning-heading" data-testid="early-warning">
                    <h2 id="early-warning-heading">{ "Early warnings" }</h2>
                    <dl class="figures">
                        { views::figure("People flagged", s.early_warnings.numerator.to_string(), "early-warnings") }
                        { views::figure("People assessed", s.people_assessed.to_string(), "early-warnings-assessed") }
                        { views::figure("Flagged with a follow-up recorded", s.flagged_with_follow_up.to_string(), "early-warnings-followed-up") }
                    </dl>
                    <ul class="flagged-by">
                        { for s.flagged_by_indicator.iter().map(|(indicator, n)| html! {
                            <li>{ format!("{}: {n} worsened", indicator_name(*indicator)) }</li>
                        }) }
                    </ul>
                    <p class="note">{ format!("Two or more indicators worsening together over the last {} days compared with the {} days before. Counts of 1 to 7 are shown as *.", s.window_days, s.window_days) }</p>
                </section>
            }
        }),
    };
    html! {
        <div class="waymark-widget" data-kind={props.kind.slug()} data-ready="true">
            { body }
            <p class="widget-source source">{ format!("Waymark · {}", loaded.source) }</p>
        </div>
    }
}

fn spc(loaded: &Loaded, key: &str) -> Html {
    views::with_direction(loaded, |d| {
        let Some(indicator) = d.service.indicators.iter().find(|i| i.key == key) else {
            let known: Vec<&str> = d
                .service
                .indicators
                .iter()
                .map(|i| i.key.as_str())
                .collect();
            return html! { <p class="verdict bad" role="alert">{ format!("No service indicator called \"{key}\". Known indicators: {}.", known.join(", ")) }</p> };
        };
        let verdict = indicator
            .spc
            .as_ref()
            .map(|s| variation_label(s.variation_icon))
            .unwrap_or("No chart");
        let assurance = indicator
            .spc
            .as_ref()
            .and_then(|s| s.assurance_icon)
            .map(assurance_label);
        let latest = indicator
            .latest_shown()
            .map(|m| {
                format!(
                    "{:.1} {} ({}, n = {})",
                    m.value.unwrap_or_default(),
                    indicator.unit,
                    m.month.format("%b %Y"),
                    m.count
                )
            })
            .unwrap_or_else(|| "–".to_string());
        html! {
            <section class="indicator" aria-labelledby="spc-heading" data-indicator={indicator.key.clone()} data-testid="spc">
                <h2 id="spc-heading">{ &indicator.title }</h2>
                <dl class="figures">
                    { views::figure("Latest month", latest, "spc-latest") }
                    { views::figure("Variation", verdict.to_string(), "spc-verdict") }
                    if let Some(assurance) = assurance { { views::figure("Assurance", assurance.to_string(), "spc-assurance") } }
                </dl>
                if let Some(chart) = xmr_chart(indicator) {
                    <ChartFigure id={format!("spc-{}", indicator.key)} chart={Rc::new(chart) as Rc<dyn Chart>} />
                } else if let Some(note) = &indicator.chart_note {
                    <p class="note">{ note }</p>
                }
            </section>
        }
    })
}

fn cost_avoidance(loaded: &Loaded) -> Html {
    let Some(v) = &loaded.report().value else {
        let why = loaded
            .report()
            .value_note
            .clone()
            .unwrap_or_else(|| "there is nothing to analyse yet".to_string());
        return html! { <p class="verdict bad">{ format!("Cost avoidance could not be computed: {why}") }</p> };
    };
    let cur = v.currency.as_deref();
    html! {
        <section class="widget-card" aria-labelledby="cost-heading" data-testid="cost-avoidance">
            <h2 id="cost-heading">{ "Cost avoided" }</h2>
            { views::value_headline(&v.headline, "cost-headline", "cost-headline-figure") }
            <dl class="figures">
                { views::figure(
                    &format!("Before and after, after attribution {}% and optimism bias {}%", v.attribution_percent, v.optimism_bias_percent),
                    v.naive.adjusted_avoided.format(cur),
                    "cost-adjusted",
                ) }
                { views::figure("Gross (before and after)", v.naive.gross_avoided.format(cur), "cost-gross") }
                if let Some(did) = &v.difference_in_differences {
                    { views::figure("Against the comparison cohort", did.adjusted_avoided.format(cur), "cost-did") }
                }
                { views::figure("People in the service cohort", v.people_service.to_string(), "cost-people") }
            </dl>
            if v.regression_to_the_mean_warning {
                <p class="note">{ "People were referred after a spike in their use of services: part of the fall would have happened anyway. Read the comparison-cohort figure beside the simple one." }</p>
            }
            <p class="note">{ format!("{} months before and {} after each start; {}.", v.pre_months, v.post_months, v.interval_method) }</p>
        </section>
    }
}

/// A file handed over by the page: its name and content.
pub struct NamedBytes {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a host can set besides the files and the configuration.
#[derive(Debug, Default, PartialEq)]
pub struct WidgetOptions {
    pub indicator: Option<String>,
    /// The analysis date: the end of the period analysed (`period` / `as_of`, an ISO date).
    pub as_of: Option<NaiveDate>,
    /// People filter, passed into the configuration's `filter` section unchanged.
    pub filter: Option<serde_json::Value>,
    /// Use the built-in synthetic demo data instead of files.
    pub demo: bool,
}

impl WidgetOptions {
    pub fn from_json(text: Option<&str>) -> Result<WidgetOptions, String> {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        let Some(text) = text else {
            return Ok(WidgetOptions::default());
        };
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| format!("the widget options are not JSON: {e}"))?;
        let serde_json::Value::Object(map) = value else {
            return Err("the widget options must be a JSON object".to_string());
        };
        let mut options = WidgetOptions::default();
        for (key, value) in map {
            match (key.as_str(), value) {
                (_, serde_json::Value::Null) => {}
                ("indicator", serde_json::Value::String(s)) => options.indicator = Some(s),
                ("as_of" | "period", serde_json::Value::String(s)) => {
                    options.as_of = Some(NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                        format!("the period \"{s}\" is not a date such as 2026-06-30 (the last day analysed)")
                    })?);
                }
                ("filter" | "filters", value @ serde_json::Value::Object(_)) => {
                    options.filter = Some(value)
                }
                ("demo", serde_json::Value::Bool(b)) => options.demo = b,
                (key, _) => return Err(format!("unknown or malformed widget option \"{key}\"")),
            }
        }
        Ok(options)
    }
}

/// The configuration in force: the host's JSON (or the defaults), with the filter and the
/// period from the options.
pub fn effective_config(
    config_json: Option<&str>,
    options: &WidgetOptions,
) -> Result<Config, String> {
    let text = config_json.map(str::trim).filter(|t| !t.is_empty());
    let mut value: serde_json::Value = match text {
        Some(text) => {
            serde_json::from_str(text).map_err(|e| format!("the configuration is not JSON: {e}"))?
        }
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    if let (Some(filter), serde_json::Value::Object(map)) = (&options.filter, &mut value) {
        map.insert("filter".to_string(), filter.clone());
    }
    let mut config: Config = serde_json::from_value(value)
        .map_err(|e| format!("the configuration is not valid: {e}"))?;
    if let Some(date) = options.as_of {
        config.analysis.reference_date = Some(date);
    }
    Ok(config)
}

/// Parsed files, shared by every widget on them.
struct Parsed {
    dataset: Rc<Dataset>,
    validation: Rc<ValidationReport>,
}

/// Entries kept per cache: a page rarely shows more than a couple of data sets.
const CACHE_ENTRIES: usize = 4;

thread_local! {
    static PARSED: RefCell<Vec<(u64, Rc<Parsed>)>> = const { RefCell::new(Vec::new()) };
    static ANALYSED: RefCell<Vec<((u64, String), Loaded)>> = const { RefCell::new(Vec::new()) };
    static PARSES: Cell<u32> = const { Cell::new(0) };
    static ANALYSES: Cell<u32> = const { Cell::new(0) };
    static MOUNTED: RefCell<Vec<(web_sys::Element, yew::AppHandle<Widget>)>> = const { RefCell::new(Vec::new()) };
}

fn remember<K: PartialEq, V: Clone>(cache: &RefCell<Vec<(K, V)>>, key: K, value: V) {
    let mut entries = cache.borrow_mut();
    if entries.len() >= CACHE_ENTRIES {
        entries.remove(0);
    }
    entries.push((key, value));
}

fn content_key(files: &[NamedBytes]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.name.hash(&mut hasher);
        file.bytes.hash(&mut hasher);
    }
    hasher.finish()
}

fn parsed(key: u64, files: &[NamedBytes], config: &Config) -> Rc<Parsed> {
    if let Some(hit) = PARSED.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p.clone())
    }) {
        return hit;
    }
    PARSES.with(|n| n.set(n.get() + 1));
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|f| InputFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(config));
    let parsed = Rc::new(Parsed {
        dataset: Rc::new(ingested.dataset),
        validation: Rc::new(ingested.report),
    });
    PARSED.with(|c| remember(c, key, parsed.clone()));
    parsed
}

/// The analysed files for widgets, from the caches when this page has seen them before.
pub fn load(source: &str, files: &[NamedBytes], config: &Config) -> Result<Loaded, String> {
    // The mapping decides how files are parsed, so it is part of the parse key.
    let mapping = serde_json::to_string(&config.mapping).unwrap_or_default();
    let mut hasher = DefaultHasher::new();
    content_key(files).hash(&mut hasher);
    mapping.hash(&mut hasher);
    let files_key = hasher.finish();
    let config_key = serde_json::to_string(config).unwrap_or_default();
    let key = (files_key, config_key);
    if let Some(hit) = ANALYSED.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, l)| l.clone())
    }) {
        return Ok(hit);
    }
    let parsed = parsed(files_key, files, config);
    ANALYSES.with(|n| n.set(n.get() + 1));
    // Widgets never re-read files with a new mapping: the cache above keys on it instead.
    // Widgets sit on intranet pages, off the user's own screen: export rules always.
    let loaded = Loaded::from(crate::engine::snapshot::build(
        source.to_string(),
        &parsed.dataset,
        &waymark_core::config::filtered(&parsed.dataset, &config.filter),
        &parsed.validation,
        config,
    )?)
    .presenting(true);
    ANALYSED.with(|c| remember(c, key.clone(), loaded.clone()));
    Ok(loaded)
}

/// How many times widgets on this page have parsed files (a page of widgets on one set of
/// files should say 1).
pub fn parse_count() -> u32 {
    PARSES.with(Cell::get)
}

fn files_from_js(files: &js_sys::Array) -> Result<Vec<NamedBytes>, String> {
    files
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let name = js_sys::Reflect::get(&item, &JsValue::from_str("name"))
                .ok()
                .and_then(|v| v.as_string())
                .ok_or_else(|| format!("file {} has no name", n + 1))?;
            let bytes = js_sys::Reflect::get(&item, &JsValue::from_str("bytes"))
                .ok()
                .filter(|v| v.is_instance_of::<js_sys::Uint8Array>())
                .map(|v| js_sys::Uint8Array::from(v).to_vec())
                .ok_or_else(|| format!("{name}: its bytes must be a Uint8Array"))?;
            Ok(NamedBytes { name, bytes })
        })
        .collect()
}

fn demo_files() -> (Vec<NamedBytes>, NaiveDate) {
    let params = DemoParams::default();
    let files = demo::generate(&params)
        .into_named_bytes()
        .into_iter()
        .map(|(name, bytes)| NamedBytes { name, bytes })
        .collect();
    (files, params.reference_date)
}

fn mount(
    target: web_sys::Element,
    kind: &str,
    files: &js_sys::Array,
    config_json: Option<String>,
    options_json: Option<String>,
) -> Result<String, String> {
    let kind = WidgetKind::from_slug(kind).ok_or_else(|| {
        format!(
            "unknown widget kind \"{kind}\"; use one of: {}",
            WidgetKind::ALL.map(WidgetKind::slug).join(", ")
        )
    })?;
    let mut options = WidgetOptions::from_json(options_json.as_deref())?;
    let (files, source) = if options.demo {
        let (files, date) = demo_files();
        options.as_of.get_or_insert(date);
        (files, "built-in demo data (synthetic)".to_string())
    } else {
        let files = files_from_js(files)?;
        if files.is_empty() {
            return Err("no files were given".to_string());
        }
        let source = files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        (files, source)
    };
    let config = effective_config(config_json.as_deref(), &options)?;
    let loaded = load(&source, &files, &config)?;
    let detail = serde_json::json!({
        "kind": kind.slug(),
        "source": loaded.source,
        "as_of": loaded.report().as_of,
        "people": loaded.report().data.n_people,
        "parse_count": parse_count(),
        "analysis_count": ANALYSES.with(Cell::get),
    });
    // A widget mounted again (new attributes) replaces the old one in place.
    MOUNTED.with(|m| {
        let mut mounted = m.borrow_mut();
        if let Some(at) = mounted.iter().position(|(el, _)| *el == target) {
            let (_, handle) = mounted.remove(at);
            handle.destroy();
        }
    });
    target.set_inner_html("");
    let props = WidgetProps {
        kind,
        loaded,
        indicator: options.indicator.map(AttrValue::from),
    };
    let handle = yew::Renderer::<Widget>::with_root_and_props(target.clone(), props).render();
    MOUNTED.with(|m| m.borrow_mut().push((target, handle)));
    Ok(detail.to_string())
}

/// Renders widget `kind` into `target` (an element inside the custom element's shadow root, or
/// the embed page's container) from `files` (an array of `{name, bytes: Uint8Array}`), a
/// configuration (JSON text, as saved by the app; `null` for the defaults) and options (JSON:
/// `indicator`, `period`, `filter`, `demo`). Returns a JSON summary for the load event; fails
/// with a message for the error event.
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    target: web_sys::Element,
    kind: String,
    files: js_sys::Array,
    config_json: Option<String>,
    options_json: Option<String>,
) -> Result<String, JsError> {
    mount(target, &kind, &files, config_json, options_json).map_err(|e| JsError::new(&e))
}

/// Parses done by widgets on this page so far (one per distinct set of files).
#[wasm_bindgen(js_name = widgetParseCount)]
pub fn widget_parse_count() -> u32 {
    parse_count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_refused() {
        for kind in WidgetKind::ALL {
            assert_eq!(WidgetKind::from_slug(kind.slug()), Some(kind));
        }
        assert_eq!(WidgetKind::from_slug("pie"), None);
    }

    #[test]
    fn options_read_the_period_and_filter_and_refuse_typos() {
        let o = WidgetOptions::from_json(Some(
            r#"{"indicator":"crisis_rate","period":"2026-06-30","filter":{"pathways":["A"]}}"#,
        ))
        .unwrap();
        assert_eq!(o.indicator.as_deref(), Some("crisis_rate"));
        assert_eq!(o.as_of, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert!(o.filter.is_some());
        assert!(WidgetOptions::from_json(Some(r#"{"indicatr":"x"}"#)).is_err());
        assert!(WidgetOptions::from_json(Some(r#"{"period":"June"}"#)).is_err());
        assert_eq!(
            WidgetOptions::from_json(None).unwrap(),
            WidgetOptions::default()
        );
    }

    #[test]
    fn the_period_sets_the_analysis_date_and_bad_config_is_an_error() {
        let o = WidgetOptions {
            as_of: NaiveDate::from_ymd_opt(2026, 1, 31),
            ..Default::default()
        };
        let c = effective_config(None, &o).unwrap();
        assert_eq!(
            c.analysis.reference_date,
            NaiveDate::from_ymd_opt(2026, 1, 31)
        );
        assert!(effective_config(Some(r#"{"analyss":{}}"#), &o).is_err());
    }

    #[test]
    fn widgets_on_the_same_files_parse_them_once() {
        let (files, date) = demo_files();
        let options = WidgetOptions {
            as_of: Some(date),
            ..Default::default()
        };
        let config = effective_config(None, &options).unwrap();
        let before = parse_count();
        let a = load("demo", &files, &config).unwrap();
        let b = load("demo", &files, &config).unwrap();
        assert_eq!(parse_count(), before + 1);
        assert!(a == b, "the second widget shares the first one's analysis");
        // Another period re-analyses the same parsed files.
        let other = effective_config(
            None,
            &WidgetOptions {
                as_of: NaiveDate::from_ymd_opt(2026, 3, 31),
                ..Default::default()
            },
        )
        .unwrap();
        let c = load("demo", &files, &other).unwrap();
        assert_eq!(parse_count(), before + 1);
        assert!(a != c);
    }
}
