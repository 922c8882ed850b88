//! The Waymark web app. Everything runs in this page: files are read with the browser's
//! File API, analysed by `waymark-core` compiled into this module, and never sent anywhere.

mod components;
mod download;
mod state;
mod views;
mod widget;

use components::validation::ValidationSummary;
use gloo::file::callbacks::FileReader;
use gloo::file::File;
use state::{Action, AppState, Loaded, Phase, View};
use std::cell::RefCell;
use std::rc::Rc;
use waymark_core::config::{analyse_and_report, Config};
use waymark_core::demo::{self, DemoParams};
use waymark_core::{ingest, InputFile};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Reads, validates and analyses named byte buffers, and reports the result as an action.
fn analyse(
    dispatch: &UseReducerDispatcher<AppState>,
    source: String,
    files: &[(String, Vec<u8>)],
    config: &Config,
) {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest(&inputs, &config.mapping);
    let dataset = Rc::new(ingested.dataset.clone());
    let validation = Rc::new(ingested.report.clone());
    match analyse_and_report(ingested, config) {
        Ok(evidence) => dispatch.dispatch(Action::Loaded(Loaded {
            source,
            report: Rc::new(evidence.report),
            validation,
            analysis: evidence.analysis.map(Rc::new),
            value: evidence.value.and_then(Result::ok).map(Rc::new),
            dataset,
        })),
        Err(errors) => dispatch.dispatch(Action::Fail(format!(
            "The measure settings are not valid: {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// Starts reading the chosen or dropped files; analysis runs when the last one arrives.
fn read_files(
    files: Vec<File>,
    dispatch: UseReducerDispatcher<AppState>,
    readers: Rc<RefCell<Vec<FileReader>>>,
) {
    if files.is_empty() {
        return;
    }
    dispatch.dispatch(Action::StartReading {
        n_files: files.len(),
    });
    let n_files = files.len();
    let loaded: Rc<RefCell<Vec<Option<(String, Vec<u8>)>>>> =
        Rc::new(RefCell::new(vec![None; n_files]));
    let mut new_readers = Vec::with_capacity(n_files);
    for (idx, file) in files.into_iter().enumerate() {
        let name = file.name();
        let loaded = loaded.clone();
        let dispatch = dispatch.clone();
        new_readers.push(gloo::file::callbacks::read_as_bytes(
            &file,
            move |result| match result {
                Err(err) => {
                    dispatch.dispatch(Action::Fail(format!("Could not read {name}: {err}")))
                }
                Ok(bytes) => {
                    let mut slots = loaded.borrow_mut();
                    if let Some(slot) = slots.get_mut(idx) {
                        *slot = Some((name, bytes));
                    }
                    if slots.iter().all(Option::is_some) {
                        let files: Vec<(String, Vec<u8>)> = slots.drain(..).flatten().collect();
                        let source = files
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        analyse(&dispatch, source, &files, &Config::default());
                    }
                }
            },
        ));
    }
    *readers.borrow_mut() = new_readers;
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| AppState {
        view: View::from_hash(&current_hash()),
        ..AppState::default()
    });
    // Readers must live until their callbacks fire.
    let readers: Rc<RefCell<Vec<FileReader>>> = use_mut_ref(Vec::new);
    let dragging = use_state(|| false);

    // The URL hash names the view (never data), so views can be bookmarked and the back button
    // works.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    dispatch.dispatch(Action::Show(View::from_hash(&current_hash())));
                })
            });
            move || drop(listener)
        });
    }

    let on_files = {
        let dispatch = state.dispatcher();
        let readers = readers.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(list) = input.files() else { return };
            let files: Vec<File> = (0..list.length())
                .filter_map(|i| list.get(i))
                .map(File::from)
                .collect();
            read_files(files, dispatch.clone(), readers.clone());
        })
    };
    let on_drop = {
        let dispatch = state.dispatcher();
        let readers = readers.clone();
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            let Some(list) = event.data_transfer().and_then(|t| t.files()) else {
                return;
            };
            let files: Vec<File> = (0..list.length())
                .filter_map(|i| list.get(i))
                .map(File::from)
                .collect();
            read_files(files, dispatch.clone(), readers.clone());
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };

    let on_demo = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let params = DemoParams::default();
            let dataset = demo::generate(&params);
            let files: Vec<(String, Vec<u8>)> = dataset
                .files
                .into_iter()
                .map(|f| (f.name.to_string(), f.csv.into_bytes()))
                .collect();
            let mut config = Config::default();
            config.analysis.reference_date = Some(params.reference_date);
            analyse(
                &dispatch,
                format!("built-in demo data (synthetic, {} people)", params.n_people),
                &files,
                &config,
            );
        })
    };

    let status = match &state.phase {
        Phase::Empty => {
            html! { <p>{ "Choose your CSV exports, or try the built-in demo data. Nothing leaves this device." }</p> }
        }
        Phase::Reading { n_files } => {
            html! { <p role="status">{ format!("Reading {n_files} file(s)…") }</p> }
        }
        Phase::Ready => html! {},
        Phase::Failed(message) => html! { <p class="verdict bad" role="alert">{ message }</p> },
    };
    let ready = matches!(state.phase, Phase::Ready);
    let view = state.view;

    let body = match (&state.loaded, view) {
        (_, View::Privacy) => html! { <views::privacy::Privacy /> },
        (None, _) => html! {},
        (Some(loaded), View::Data) => {
            html! { <ValidationSummary report={loaded.validation.clone()} source={loaded.source.clone()} /> }
        }
        (Some(loaded), View::Overview) => {
            html! { <views::overview::Overview loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Direction) => {
            html! { <views::direction::Direction loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Stability) => {
            html! { <views::stability::Stability loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Goals) => html! { <views::goals::Goals loaded={loaded.clone()} /> },
        (Some(loaded), View::Narrative) => {
            html! { <views::narrative::Narrative loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Value) => html! { <views::value::Value loaded={loaded.clone()} /> },
        (Some(loaded), View::Pathways) => {
            html! { <views::pathways::Pathways loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Person) => html! { <views::person::Person loaded={loaded.clone()} /> },
    };

    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to main content" }</a>
            <header class="banner"><div class="wrap"><span class="brand">{ "Waymark" }</span><span class="tagline">{ "What changed for people, and what it was worth" }</span></div></header>
            <nav class="views wrap" aria-label="Views">
                <ul>
                    { for View::ALL.into_iter().map(|v| html! {
                        <li><a href={format!("#{}", v.slug())} aria-current={if v == view { Some("page") } else { None }}>{ v.title() }</a></li>
                    }) }
                </ul>
            </nav>
            <main class="wrap" data-ready={ready.to_string()} data-view={view.slug()} id="main" tabindex="-1">
                <section class={classes!("loader", dragging.then_some("dragging"))} aria-label="Load data"
                    ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                    <label for="file-input" class="file-label">{ "Choose CSV files (people, outcomes, events, goals, status, feedback), or drop them here" }</label>
                    <input id="file-input" type="file" multiple=true accept=".csv,.txt,.tsv,text/csv" onchange={on_files} />
                    <button type="button" id="demo-button" onclick={on_demo}>{ "Try with demo data" }</button>
                </section>
                <div aria-live="polite">{ status }</div>
                if let Some(loaded) = &state.loaded {
                    <p class="source">{ format!("Showing: {}", loaded.source) }</p>
                }
                <h1>{ view.title() }</h1>
                { body }
            </main>
            <footer class="wrap privacy-note">{ "Your files are read and analysed inside this browser tab. Waymark sends no data anywhere. " }<a href="#privacy">{ "How your data is protected" }</a></footer>
        </>
    }
}

/// Whether this page is the app (`<body data-waymark="app">`). Widget and embed pages load
/// this module too, for `mountWidget`, and must not get the whole app.
fn is_app_page() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .and_then(|b| b.get_attribute("data-waymark"))
        .is_some_and(|v| v == "app")
}

fn main() {
    if is_app_page() {
        yew::Renderer::<App>::new().render();
    }
}
