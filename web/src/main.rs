//! The Waymark web app. Everything runs in this page: files are read with the browser's
//! File API, analysed by `waymark-core` compiled into this module, and never sent anywhere.

mod components;
mod state;

use components::validation::ValidationSummary;
use gloo::file::callbacks::FileReader;
use gloo::file::File;
use state::{Action, AppState, Phase};
use std::cell::RefCell;
use std::rc::Rc;
use waymark_core::demo::{self, DemoParams};
use waymark_core::{ingest, InputFile, MappingConfig};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Runs ingestion on named byte buffers and reports the result as an action.
fn analyse(dispatch: &UseReducerDispatcher<AppState>, source: String, files: &[(String, Vec<u8>)]) {
    let inputs: Vec<InputFile<'_>> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    let ingested = ingest(&inputs, &MappingConfig::default());
    dispatch.dispatch(Action::Loaded {
        source,
        report: ingested.report,
    });
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(AppState::default);
    // Readers must live until their callbacks fire.
    let readers: Rc<RefCell<Vec<FileReader>>> = use_mut_ref(Vec::new);

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
                new_readers.push(gloo::file::callbacks::read_as_bytes(&file, move |result| {
                    match result {
                        Err(err) => {
                            dispatch.dispatch(Action::Fail(format!("Could not read {name}: {err}")))
                        }
                        Ok(bytes) => {
                            let mut slots = loaded.borrow_mut();
                            slots[idx] = Some((name, bytes));
                            if slots.iter().all(Option::is_some) {
                                let files: Vec<(String, Vec<u8>)> =
                                    slots.drain(..).flatten().collect();
                                let source = files
                                    .iter()
                                    .map(|(n, _)| n.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                analyse(&dispatch, source, &files);
                            }
                        }
                    }
                }));
            }
            *readers.borrow_mut() = new_readers;
        })
    };

    let on_demo = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let dataset = demo::generate(&DemoParams::default());
            let files: Vec<(String, Vec<u8>)> = dataset
                .files
                .into_iter()
                .map(|f| (f.name.to_string(), f.csv.into_bytes()))
                .collect();
            analyse(
                &dispatch,
                "built-in demo data (synthetic, 300 people)".to_string(),
                &files,
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

    html! {
        <>
            <header class="banner"><div class="wrap"><span class="brand">{ "Waymark" }</span><span class="tagline">{ "What changed for people, and what it was worth" }</span></div></header>
            <main class="wrap" data-ready={ready.to_string()} id="main">
                <h1>{ "Load your data" }</h1>
                <section class="loader" aria-label="Load data">
                    <label for="file-input" class="file-label">{ "Choose CSV files (people, outcomes, events, goals, status, feedback)" }</label>
                    <input id="file-input" type="file" multiple=true accept=".csv,.txt,.tsv,text/csv" onchange={on_files} />
                    <button type="button" id="demo-button" onclick={on_demo}>{ "Try with demo data" }</button>
                </section>
                <div aria-live="polite">{ status }</div>
                if let Some(report) = &state.report {
                    <ValidationSummary report={report.clone()} source={state.source.clone()} />
                }
            </main>
            <footer class="wrap privacy-note">{ "Your files are read and analysed inside this browser tab. Waymark sends no data anywhere." }</footer>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
