//! Embeddable widgets: one of the app's key visuals mounted into an element of someone else's
//! page (a provider's intranet), by the `<waymark-widget>` custom element (web/waymark-widget.js)
//! or the iframe embed (web/embed.html).
//!
//! A widget is the app's own components (the overview view, `ChartFigure` with the report's
//! XmR chart, the pathways view, the figure helper) over the same pipeline
//! (`analyse_dataset`), never a copy. Only the report's disclosure-controlled aggregates are
//! shown, so small counts appear as `*` exactly as in the app and the exports.
//!
//! The files are analysed by the app's own engine in its worker (`worker.js`), so a large
//! export never freezes the host page; in a sandboxed frame, where no worker can start, the
//! same engine runs in the page. Several widgets usually show the same files: the engine reads
//! them once and re-analyses the data it holds for another period or filter, and analyses are
//! cached by (content, configuration), so five widgets read once. [`parse_count`] lets a test
//! check that.

use crate::components::chart::ChartFigure;
use crate::engine::client::Engine;
use crate::engine::protocol::{Request, Response};
use crate::state::Loaded;
use crate::views;
use chrono::NaiveDate;
use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use waymark_charts::Chart;
use waymark_core::config::Config;
use waymark_core::demo::{self, DemoParams};
use waymark_core::report::charts::{assurance_label, variation_label, xmr_chart};
use waymark_core::report::direction::indicator_name;
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
pub const DEFAULT_INDICATOR: &str = waymark_core::analysis::direction::service::CRISIS_RATE;

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

/// Entries kept in the analysis cache: a page rarely shows more than a couple of data sets.
const CACHE_ENTRIES: usize = 4;

/// Identifies an analysis: the files with their mapping, and the whole configuration.
type AnalysisKey = (u64, String);

thread_local! {
    static ANALYSED: RefCell<Vec<(AnalysisKey, Loaded)>> = const { RefCell::new(Vec::new()) };
    static QUEUE: RefCell<Option<EngineQueue>> = const { RefCell::new(None) };
    static PARSES: Cell<u32> = const { Cell::new(0) };
    static ANALYSES: Cell<u32> = const { Cell::new(0) };
    static MOUNTS: Cell<u64> = const { Cell::new(0) };
    /// Each widget element's mount in force, so a slow analysis never replaces a newer one.
    static LATEST: RefCell<Vec<(web_sys::Element, u64)>> = const { RefCell::new(Vec::new()) };
    static MOUNTED: RefCell<Vec<(web_sys::Element, yew::AppHandle<Widget>)>> = const { RefCell::new(Vec::new()) };
}

fn cached(key: &AnalysisKey) -> Option<Loaded> {
    ANALYSED.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l.clone())
    })
}

fn remember(key: AnalysisKey, loaded: Loaded) {
    ANALYSED.with(|c| {
        let mut entries = c.borrow_mut();
        if entries.len() >= CACHE_ENTRIES {
            entries.remove(0);
        }
        entries.push((key, loaded));
    });
}

/// The key of an analysis of files whose names and contents hash to `content`. The mapping
/// decides how files are read, so it is part of the files' half: widgets whose keys share
/// that half share one reading of the files.
fn analysis_key(content: u64, config: &Config) -> AnalysisKey {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    serde_json::to_string(&config.mapping)
        .unwrap_or_default()
        .hash(&mut hasher);
    (
        hasher.finish(),
        serde_json::to_string(config).unwrap_or_default(),
    )
}

/// One widget's request for an analysis.
struct Job {
    key: AnalysisKey,
    config: Config,
    files: Vec<gloo::file::File>,
    source: String,
    done: Box<dyn FnOnce(Result<Loaded, String>)>,
}

/// The widgets' analyses, done by the app's own engine in a worker so the host page never
/// freezes, one request at a time: the engine holds one data set, and a new load would replace
/// the one in progress. Widgets on the same files and mapping share one reading; another
/// period or filter only re-analyses the data the engine holds.
struct EngineQueue {
    engine: Engine,
    /// The files-and-mapping key of the data the engine holds.
    holds: Option<u64>,
    current: Option<Job>,
    waiting: VecDeque<Job>,
}

/// Queues `job`, starting the engine on the first one (at `worker_url`; in the page if `None`).
fn enqueue(job: Job, worker_url: Option<&str>) {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let queue = q.get_or_insert_with(|| EngineQueue {
            engine: Engine::start_at(worker_url, Callback::from(on_engine_response)),
            holds: None,
            current: None,
            waiting: VecDeque::new(),
        });
        queue.waiting.push_back(job);
    });
    start_next();
}

/// Sends the next waiting job to the engine, unless one is under way. A job that an earlier
/// one has answered meanwhile (the same files and settings) is answered from the cache.
fn start_next() {
    loop {
        let next = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            let queue = q.as_mut()?;
            if queue.current.is_some() {
                return None;
            }
            queue.waiting.pop_front()
        });
        let Some(job) = next else {
            return;
        };
        if let Some(hit) = cached(&job.key) {
            (job.done)(Ok(hit));
            continue;
        }
        let sent = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            let queue = q.as_mut()?;
            let read = queue.holds != Some(job.key.0);
            // One request at a time: each answer is the current job's, so the generation only
            // numbers the analyses (the views tell two apart by it).
            let generation = u64::from(ANALYSES.with(Cell::get)) + 1;
            let request = if read {
                Request::Load {
                    generation,
                    config: job.config.clone(),
                }
            } else {
                Request::Reanalyse {
                    generation,
                    config: job.config.clone(),
                }
            };
            let files = if read { job.files.clone() } else { Vec::new() };
            queue.current = Some(job);
            Some((queue.engine.clone(), request, files, read))
        });
        // Sent with the queue released: an engine that cannot post answers at once.
        if let Some((engine, request, files, read)) = sent {
            if read {
                PARSES.with(|n| n.set(n.get() + 1));
            }
            ANALYSES.with(|n| n.set(n.get() + 1));
            engine.send(request, files);
        }
        return;
    }
}

fn on_engine_response(response: Response) {
    let outcome = match response {
        Response::Loaded(snapshot) => Ok(snapshot),
        Response::Failed { message, .. } => Err(message),
        Response::Cancelled { .. } => Err("the analysis was cancelled".to_string()),
        // Progress and the person-level lists (no widget lists people).
        _ => return,
    };
    let finished = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let queue = q.as_mut()?;
        let job = queue.current.take()?;
        // After a failure the engine may hold nothing (or the previous data): read again.
        queue.holds = outcome.is_ok().then_some(job.key.0);
        Some(job)
    });
    if let Some(job) = finished {
        let result = outcome.map(|snapshot| {
            // Widgets sit on intranet pages, off the user's own screen: export rules always.
            let mut loaded = Loaded::from(*snapshot).presenting(true);
            loaded.source = job.source.clone();
            remember(job.key.clone(), loaded.clone());
            loaded
        });
        (job.done)(result);
    }
    start_next();
}

/// How many times widgets on this page have had files read (a page of widgets on one set of
/// files should say 1).
pub fn parse_count() -> u32 {
    PARSES.with(Cell::get)
}

/// The files handed over by the page (`{name, bytes: Uint8Array}`), as `File`s for the engine,
/// a hash of their names and contents, and their names.
#[allow(clippy::type_complexity)]
fn files_from_js(
    files: &js_sys::Array,
) -> Result<(Vec<gloo::file::File>, u64, Vec<String>), String> {
    let mut hasher = DefaultHasher::new();
    let mut chunk = Vec::new();
    let mut out = Vec::new();
    let mut names = Vec::new();
    for (n, item) in files.iter().enumerate() {
        let name = js_sys::Reflect::get(&item, &JsValue::from_str("name"))
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| format!("file {} has no name", n + 1))?;
        let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&item, &JsValue::from_str("bytes"))
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| format!("{name}: its bytes must be a Uint8Array"))?;
        name.hash(&mut hasher);
        // Hashed a megabyte at a time, so a large file is never copied whole into the page's
        // memory; the engine reads it from the `File`.
        const CHUNK: u32 = 1 << 20;
        let mut at = 0;
        while at < bytes.length() {
            let end = (at + CHUNK).min(bytes.length());
            chunk.resize((end - at) as usize, 0);
            bytes.subarray(at, end).copy_to(&mut chunk);
            hasher.write(&chunk);
            at = end;
        }
        hasher.write_u32(bytes.length());
        out.push(file_of(&name, &bytes)?);
        names.push(name);
    }
    Ok((out, hasher.finish(), names))
}

fn file_of(name: &str, bytes: &js_sys::Uint8Array) -> Result<gloo::file::File, String> {
    web_sys::File::new_with_u8_array_sequence(&js_sys::Array::of1(bytes), name)
        .map(gloo::file::File::from)
        .map_err(|e| format!("{name}: could not be handed to the engine ({e:?})"))
}

fn demo_files() -> (js_sys::Array, NaiveDate) {
    let params = DemoParams::default();
    let files = js_sys::Array::new();
    for (name, bytes) in demo::generate(&params).into_named_bytes() {
        let item = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&item, &"name".into(), &name.into());
        let _ = js_sys::Reflect::set(
            &item,
            &"bytes".into(),
            &js_sys::Uint8Array::from(bytes.as_slice()),
        );
        files.push(&item);
    }
    (files, params.reference_date)
}

/// Checks the request, then queues its analysis (or answers from the cache) and renders the
/// widget when it is ready; resolves with the JSON summary for the load event.
fn mount(
    target: web_sys::Element,
    kind: &str,
    files: &js_sys::Array,
    config_json: Option<String>,
    options_json: Option<String>,
    worker_url: Option<String>,
) -> Result<js_sys::Promise, String> {
    let kind = WidgetKind::from_slug(kind).ok_or_else(|| {
        format!(
            "unknown widget kind \"{kind}\"; use one of: {}",
            WidgetKind::ALL.map(WidgetKind::slug).join(", ")
        )
    })?;
    let mut options = WidgetOptions::from_json(options_json.as_deref())?;
    let files = if options.demo {
        let (files, date) = demo_files();
        options.as_of.get_or_insert(date);
        files
    } else {
        files.clone()
    };
    let (files, content, names) = files_from_js(&files)?;
    let source = if options.demo {
        "built-in demo data (synthetic)".to_string()
    } else {
        names.join(", ")
    };
    if files.is_empty() {
        return Err("no files were given".to_string());
    }
    let config = effective_config(config_json.as_deref(), &options)?;
    let key = analysis_key(content, &config);
    let serial = MOUNTS.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    LATEST.with(|l| {
        let mut latest = l.borrow_mut();
        latest.retain(|(el, _)| *el != target);
        latest.push((target.clone(), serial));
    });
    let indicator = options.indicator.map(AttrValue::from);
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        return Err("the browser did not start the widget's promise".to_string());
    };
    let done = move |result: Result<Loaded, String>| match result {
        Ok(loaded) => {
            let detail = render(target, serial, kind, loaded, indicator);
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&detail));
        }
        Err(message) => {
            let _ = reject.call1(&JsValue::NULL, &JsError::new(&message).into());
        }
    };
    let job = Job {
        key,
        config,
        files,
        source,
        done: Box::new(done),
    };
    enqueue(job, worker_url.as_deref());
    Ok(promise)
}

/// Renders the analysed widget into `target`, unless a newer mount of it has been asked for
/// meanwhile; returns the JSON summary for the load event.
fn render(
    target: web_sys::Element,
    serial: u64,
    kind: WidgetKind,
    loaded: Loaded,
    indicator: Option<AttrValue>,
) -> String {
    let detail = serde_json::json!({
        "kind": kind.slug(),
        "source": loaded.source,
        "as_of": loaded.report().as_of,
        "people": loaded.report().data.n_people,
        "parse_count": parse_count(),
        "analysis_count": ANALYSES.with(Cell::get),
        // "worker", or "inline" where no worker could start.
        "engine": QUEUE.with(|q| q.borrow().as_ref().map(|q| q.engine.mode_name())),
    });
    let in_force = LATEST.with(|l| {
        l.borrow()
            .iter()
            .any(|(el, s)| *el == target && *s == serial)
    });
    if !in_force {
        return detail.to_string();
    }
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
        indicator,
    };
    let handle = yew::Renderer::<Widget>::with_root_and_props(target.clone(), props).render();
    MOUNTED.with(|m| m.borrow_mut().push((target, handle)));
    detail.to_string()
}

/// Renders widget `kind` into `target` (an element inside the custom element's shadow root, or
/// the embed page's container) from `files` (an array of `{name, bytes: Uint8Array}`), a
/// configuration (JSON text, as saved by the app; `null` for the defaults) and options (JSON:
/// `indicator`, `period`, `filter`, `demo`). The analysis runs in the engine worker at
/// `worker_url` (the page's own `worker.js`), or in the page when it is `null` or the worker
/// cannot start (a sandboxed frame). Returns a promise of a JSON summary for the load event;
/// it rejects with a message for the error event.
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    target: web_sys::Element,
    kind: String,
    files: js_sys::Array,
    config_json: Option<String>,
    options_json: Option<String>,
    worker_url: Option<String>,
) -> Result<js_sys::Promise, JsError> {
    mount(target, &kind, &files, config_json, options_json, worker_url)
        .map_err(|e| JsError::new(&e))
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
    fn another_period_shares_the_reading_and_another_mapping_does_not() {
        let at = |date| {
            effective_config(
                None,
                &WidgetOptions {
                    as_of: NaiveDate::from_ymd_opt(2026, date, 30),
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let june = analysis_key(7, &at(6));
        assert_eq!(
            june,
            analysis_key(7, &at(6)),
            "the same request hits the cache"
        );
        let april = analysis_key(7, &at(4));
        assert_eq!(june.0, april.0, "another period re-analyses the data held");
        assert_ne!(june.1, april.1);
        assert_ne!(june.0, analysis_key(8, &at(6)).0, "other files are read");
        let mut remapped = at(6);
        remapped.mapping.date_order = Some(waymark_core::ingest::values::DateOrder::MonthFirst);
        assert_ne!(
            june.0,
            analysis_key(7, &remapped).0,
            "another mapping reads the files again"
        );
    }
}
